/**
 * Subiekt's warehouses (sl_Magazyn), one item each — code (mag_Symbol), name, main — in SAP's shape (its Warehouse →
 * Get Many): what a workflow may name in the stock read's *Warehouse*, the ZK's *Warehouse Symbol* and the EDI++
 * order's *Warehouse Code*. The stock panel's dropdown (methods/loadOptions.ts) reads the same list, and
 * `npx n8n-nodes-erp-b2b check` runs this operation through n8n to verify the warehouses the imported flows name.
 * A few rows: one read, no paging.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { SqlSource } from '../../../shared/sql/transport';
import { RecordSink } from '../../../shared/sql/common';
import { rowToWarehouse, type Warehouse } from '../../sql/mapping';
import type { SubiektQueryName } from '../../sql/queries';
import { withSubiektSql } from '../sqlCommon';

export const description: INodeProperties[] = [];

/** Every warehouse, by symbol; a row without a symbol is an error naming its mag_Id. */
export async function readWarehouses(sql: SqlSource<SubiektQueryName>): Promise<Warehouse[]> {
	const rows = await sql.query('warehouses', {}, { action: 'Reading warehouses' });
	return rows.map(rowToWarehouse);
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const sink = new RecordSink(this, 'Reading warehouses');
	await withSubiektSql(this, async (sql) => {
		const rows = await sql.query('warehouses', {}, { action: 'Reading warehouses' });
		for (const row of rows) sink.add(row, '(sl_Magazyn)', (r) => rowToWarehouse(r) as unknown as IDataObject);
	});
	return sink.items;
}
