/**
 * Status of portal orders read from SQL Server: the newest ZK whose original number (dok_NrPelnyOryg) is the
 * portal order number, followed to its invoice (dok_DoDokId) → canonical order status, one per input item.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { forEachItem } from '../../../shared/items';
import { rowToOrderStatus } from '../../sql/mapping';
import { sqlOptions } from '../../../shared/sql/common';
import { SQL_OPTION, readSqlOptions, withSubiektSql } from '../sqlCommon';

export const description: INodeProperties[] = [
	{
		displayName: 'Portal Order Number',
		name: 'orderNumber',
		type: 'string',
		default: '={{ $json.orderNumber ?? $json.number }}',
		required: true,
		description: "The ZK's original number (dok_NrPelnyOryg), usually taken from the input item",
		displayOptions: { show: { resource: ['orderStatus'], operation: ['get'] } },
	},
	sqlOptions('orderStatus', ['get'], [SQL_OPTION.timeZone]),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await withSubiektSql(this, async (sql) => {
		return await forEachItem(this, items, async (i) => {
			const opts = readSqlOptions(this, i);
			const number = String(this.getNodeParameter('orderNumber', i) ?? '').trim();
			if (!number)
				throw new NodeOperationError(this.getNode(), `Item ${i}: the portal order number is empty`, { itemIndex: i });
			const rows = await sql.query(
				'orderByNumber',
				{ orderNumber: number },
				{ itemIndex: i, action: `Reading the status of ${number}` },
			);
			if (!rows.length) return { orderNumber: number, status: 'placed', notInErp: true };
			try {
				// newest ZK first (ORDER BY dok_Id DESC)
				return rowToOrderStatus(rows[0], opts) as never;
			} catch (error) {
				throw new NodeOperationError(this.getNode(), `Item ${i}: order ${number}: ${(error as Error).message}`, {
					itemIndex: i,
				});
			}
		});
	});
}
