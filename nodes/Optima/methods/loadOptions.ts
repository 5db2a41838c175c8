import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { withSqlSource } from '../../shared/sql/transport';
import { OPTIMA_SQL_CREDENTIAL } from '../actions/sqlCommon';
import { TOTAL_WAREHOUSE } from '../actions/stock/getMany.operation';
import { readWarehouses } from '../actions/warehouse/getMany.operation';
import { OPTIMA_SQL } from '../sql/queries';

/**
 * The stock read's warehouse: "every warehouse" (the empty value the template ships) first, Optima's totals
 * ("total", the TwI_MagId NULL rows), then Optima's warehouses from CDN.Magazyny, as SAP's and Subiekt's panels list
 * theirs. Without the first entry n8n marks the empty value red as a value not in the list (issue #17).
 */
export async function getStockWarehouses(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const credential = await this.getCredentials(OPTIMA_SQL_CREDENTIAL);
	const warehouses = await withSqlSource(this.getNode(), credential, OPTIMA_SQL, readWarehouses);
	return [
		{ name: 'Every Warehouse', value: '' },
		{ name: "Optima's Total Over All Warehouses", value: TOTAL_WAREHOUSE },
		...warehouses.map((w) => ({ name: w.name ? `${w.code} – ${w.name}` : w.code, value: w.code })),
	];
}
