/** Stock per product and warehouse (tw_Stan) from SQL Server → canonical stock levels: on hand, reserved, available. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { rowToStock } from '../../sql/mapping';
import { RecordSink, rowRef, withSubiektSql } from '../sqlCommon';

export const description: INodeProperties[] = [
	{
		displayName: 'Warehouse Symbol',
		name: 'warehouseCode',
		type: 'string',
		default: '',
		placeholder: 'MAG',
		description: 'Only this warehouse (mag_Symbol); empty = every warehouse',
		displayOptions: { show: { resource: ['stock'], operation: ['getMany'] } },
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const warehouseCode = String(this.getNodeParameter('warehouseCode', 0, '') ?? '').trim();
	const sink = new RecordSink(this, 'Stock');
	// when the read began: the portal releases a confirmed order's stock hold only with a figure read after the
	// confirmation (docs/portal-api.yaml, stock reservations); the start is the safe side
	const readAt = new Date().toISOString();
	await withSubiektSql(this, async (sql) => {
		const rows = await sql.query('stock', { warehouseCode: warehouseCode || null }, { action: 'Reading stock' });
		for (const row of rows) sink.add(row, rowRef(row, 'tw_Symbol', 'mag_Symbol'), (r) => ({ ...rowToStock(r), updatedAt: readAt }));
	});
	return sink.items;
}
