/**
 * Stock per product and warehouse (tw_Stan) from SQL Server → canonical stock levels: on hand, reserved, available.
 * Read page by page with a keyset on tw_Stan's primary key (st_TowId, st_MagId), not as one result set holding
 * every row: a 300,000-row stock table would otherwise sit in the driver's memory whole before the first batch
 * file is written.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { batchOutputProperties, recordSink } from '../../../shared/batch';
import { rowToStock } from '../../sql/mapping';
import { RecordSink, compositeKeysetPages, rowRef, sqlOptions } from '../../../shared/sql/common';
import { SQL_OPTION, readSqlOptions, withSubiektSql } from '../sqlCommon';

export const description: INodeProperties[] = [
	{
		displayName: 'Warehouse Name or ID',
		name: 'warehouseCode',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getStockWarehouses' },
		default: '',
		description:
			'Only this warehouse (mag_Symbol); empty = every warehouse. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { resource: ['stock'], operation: ['getMany'] } },
	},
	...batchOutputProperties('stock', ['getMany'], 'stock levels'),
	sqlOptions('stock', ['getMany'], [SQL_OPTION.pageSize]),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const warehouseCode = String(this.getNodeParameter('warehouseCode', 0, '') ?? '').trim();
	const { pageSize } = readSqlOptions(this);
	// the records go to `out`: one item each, or batch items / batch files (Output); rows that cannot be mapped
	// stop the node, or with Continue On Fail become error items there too
	const out = recordSink(this, 'stock');
	const sink = new RecordSink(this, 'Stock', out);
	// when the read began: the portal releases a confirmed order's stock hold only with a figure read after the
	// confirmation (docs/portal-api.yaml, stock reservations); the start is the safe side
	const readAt = new Date().toISOString();
	await withSubiektSql(this, async (sql) => {
		await compositeKeysetPages(
			pageSize,
			['st_TowId', 'st_MagId'],
			async ([afterProductId, afterWarehouseId]) =>
				await sql.query(
					'stock',
					{ pageSize, afterProductId, afterWarehouseId, warehouseCode: warehouseCode || null },
					{ action: 'Reading stock' },
				),
			async (rows) => {
				for (const row of rows) {
					const level = sink.map(row, rowRef(row, 'tw_Symbol', 'mag_Symbol'), rowToStock);
					if (level) await out.add({ ...level, updatedAt: readAt } as IDataObject);
				}
			},
		);
	});
	return await out.finish();
}
