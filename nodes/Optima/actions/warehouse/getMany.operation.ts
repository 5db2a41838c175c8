/**
 * Optima's warehouses (CDN.Magazyny), one item each — code (Mag_Symbol), name — in SAP's and Subiekt's shape (their
 * Warehouse → Get Many): what a workflow may name in the stock read's *Warehouse Symbol*, the RO's *Warehouse* (made
 * through the bridge) and the Optima XML's *Warehouse Symbol*. The stock panel's dropdown (methods/loadOptions.ts)
 * reads the same list, and `npx n8n-nodes-erp-b2b check` runs this operation through n8n to verify the warehouses
 * the imported flows name. A few rows: one read, no paging.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { RecordSink } from '../../../shared/sql/common';
import type { SqlSource } from '../../../shared/sql/transport';
import { rowToWarehouse, type Warehouse } from '../../mapping';
import type { OptimaQueryName } from '../../sql/queries';
import { withOptimaSql } from '../sqlCommon';

export const description: INodeProperties[] = [];

const ACTION = 'Reading warehouses';

/** Every warehouse, by symbol; a row without a symbol is an error naming its Mag_MagId. */
export async function readWarehouses(sql: SqlSource<OptimaQueryName>): Promise<Warehouse[]> {
	const rows = await sql.query('warehouses', {}, { action: ACTION });
	return rows.map(rowToWarehouse);
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const sink = new RecordSink(this, ACTION);
	await withOptimaSql(this, async (sql) => {
		const rows = await sql.query('warehouses', {}, { action: ACTION });
		for (const row of rows) sink.add(row, '(CDN.Magazyny)', (r) => rowToWarehouse(r) as unknown as IDataObject);
	});
	return sink.items;
}
