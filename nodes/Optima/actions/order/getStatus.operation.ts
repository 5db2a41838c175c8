/**
 * Status of portal orders read from SQL Server: the newest RO (308) whose TrN_NumerObcy is the portal order number,
 * with the WZ (306) and FS (302) made from it through CDN.TraNagRelacje → canonical order status (mapping.ts
 * rowToOrderStatus: cancelled, invoiced, shipped, placed = in the buffer, confirmed), one per input item. No RO =
 * `{orderNumber, status: 'placed', notInErp: true}` (Optima has not got it yet), as Subiekt's and SAP's do.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forEachItem } from '../../../shared/items';
import { sqlOptions } from '../../../shared/sql/common';
import { rowToOrderStatus } from '../../mapping';
import { readOptimaOptions, SQL_OPTION, withOptimaSql } from '../sqlCommon';

export const description: INodeProperties[] = [
	{
		displayName: 'Portal Order Number',
		name: 'orderNumber',
		type: 'string',
		default: '={{ $json.number }}',
		required: true,
		description: "The RO's foreign number (TrN_NumerObcy), usually taken from the input item",
		displayOptions: { show: { resource: ['order'], operation: ['getStatus'] } },
	},
	sqlOptions('order', ['getStatus'], [SQL_OPTION.timeZone]),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await withOptimaSql(this, async (sql) => {
		return await forEachItem(this, items, async (i) => {
			const opts = readOptimaOptions(this, i);
			const number = String(this.getNodeParameter('orderNumber', i) ?? '').trim();
			const rows = await sql.query(
				'orderStatus',
				{ orderNumber: number },
				{ itemIndex: i, action: `Reading the status of ${number}` },
			);
			// newest first; a cancelled RO counts only when there is no other (the order was placed again)
			const row = rows.find((r) => !r.TrN_Anulowany) ?? rows[0];
			if (!row) return { orderNumber: number, status: 'placed', notInErp: true };
			return rowToOrderStatus(row, opts) as unknown as IDataObject;
		});
	});
}
