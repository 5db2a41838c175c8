import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { withSqlSource } from '../../shared/sql/transport';
import { readWarehouses } from '../actions/warehouse/getMany.operation';
import { SQL_CREDENTIAL } from '../actions/sqlCommon';
import { SUBIEKT_SQL } from '../sql/queries';

/**
 * The stock read's warehouse: "every warehouse" (the empty value the template ships) first, then Subiekt's
 * warehouses from sl_Magazyn, as SAP's panel lists its own. Without that first entry n8n marks the empty value red
 * as a value not in the list (issue #17).
 */
export async function getStockWarehouses(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const credential = await this.getCredentials(SQL_CREDENTIAL);
	const warehouses = await withSqlSource(this.getNode(), credential, SUBIEKT_SQL, readWarehouses);
	return [
		{ name: 'Every Warehouse', value: '' },
		...warehouses.map((w) => ({ name: `${w.code} – ${w.name}${w.main ? ' (główny)' : ''}`, value: w.code })),
	];
}
