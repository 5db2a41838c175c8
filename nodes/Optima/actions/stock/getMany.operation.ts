/**
 * Stock from SQL Server → canonical stock levels: on hand (TwI_Ilosc), reserved (TwI_Rezerwacje), available
 * (the difference, never below 0) and incoming (TwI_Zamowienia). CDN.TwrIlosci keeps dated snapshots, not one row
 * per product and warehouse: the statement reads the latest snapshot not after now (a row dated later is a
 * planned figure). Read page by page of products (Twr_TwrId ranges), so a 100,000-product catalogue never needs one
 * huge result; out as items, batch items or batch files (Output).
 * Warehouse Symbol "total" reads Optima's own totals over every warehouse (the TwI_MagId NULL rows).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { batchOutputProperties, recordSink } from '../../../shared/batch';
import { RecordSink, rowRef, sqlOptions } from '../../../shared/sql/common';
import { rowToStock } from '../../mapping';
import { optimaNow, readOptimaOptions, SQL_OPTION, withOptimaSql, productRanges } from '../sqlCommon';

/** the Warehouse Symbol that reads the totals (TwI_MagId NULL), and their warehouseCode */
export const TOTAL_WAREHOUSE = 'total';

export const description: INodeProperties[] = [
	{
		displayName: 'Warehouse Name or ID',
		name: 'warehouseCode',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getStockWarehouses' },
		default: '',
		description:
			'Only this warehouse (Mag_Symbol); empty = every warehouse; "total" = Optima\'s total over all warehouses (warehouse code "total"). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { resource: ['stock'], operation: ['getMany'] } },
	},
	...batchOutputProperties('stock', ['getMany'], 'stock levels'),
	sqlOptions('stock', ['getMany'], [SQL_OPTION.pageSize]),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readOptimaOptions(this);
	const warehouse = String(this.getNodeParameter('warehouseCode', 0, '') ?? '').trim();
	const totalOnly = warehouse.toLowerCase() === TOTAL_WAREHOUSE;
	// the records go to `out`: one item each, or batch items / batch files (Output); rows that cannot be mapped
	// stop the node, or with Continue On Fail become error items there too — in their record's place, or before
	// the batches (as Subiekt GT's reads)
	const out = recordSink(this, 'stock');
	const sink = new RecordSink(this, 'Stock', out);
	// when the read began: the portal releases a confirmed order's stock hold only with a figure read after the
	// confirmation (docs/portal-api.yaml, stock reservations); the start is the safe side
	const readAt = new Date().toISOString();
	const asOf = optimaNow(opts.timeZone);
	await withOptimaSql(this, async (sql) => {
		await productRanges(sql, opts.pageSize, async (products, { afterId, upToId }) => {
			const rows = await sql.query(
				'stock',
				{ afterId, upToId, asOf, totalOnly, warehouseCode: totalOnly || !warehouse ? null : warehouse },
				{ action: 'Reading stock' },
			);
			for (const row of rows) {
				// a snapshot of a warehouse missing from CDN.Magazyny has no Mag_Symbol: named by its TwI_MagId then
				const where = row.Mag_Symbol || row.TwI_MagId === null ? 'Mag_Symbol' : 'TwI_MagId';
				const level = sink.map(row, rowRef(row, 'Twr_Kod', where), (r) =>
					rowToStock(r, { totalWarehouseCode: TOTAL_WAREHOUSE }),
				);
				if (level) await out.add({ ...level, updatedAt: readAt } as IDataObject);
			}
		});
	});
	return await out.finish();
}
