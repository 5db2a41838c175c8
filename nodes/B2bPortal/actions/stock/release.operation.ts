/**
 * Releases an order's stock hold at once (DELETE /v1/stock/reservations/{orderNumber}). Rarely needed:
 * the portal releases a hold by itself when the order is rejected or cancelled, and settles it after the
 * ERP confirmed the order and the next stock push shows it. Use it when a workflow gives up on an order
 * without rejecting it. Releasing an order without a hold is fine (`released`: false).
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forEachItem } from '../../../shared/items';
import { optionsCollection, readCommonOptions } from '../../../shared/options';
import { portalRequest } from '../../transport';

const show = { show: { resource: ['stock'], operation: ['release'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Order Number',
		name: 'orderNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'B2B/2026/000123',
		description: 'The portal order whose hold to release',
		displayOptions: show,
	},
	optionsCollection(show),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const number = String(this.getNodeParameter('orderNumber', i)).trim();
		const response = await portalRequest(this, {
			method: 'DELETE',
			path: `/v1/stock/reservations/${encodeURIComponent(number)}`,
			itemIndex: i,
			action: `Releasing the stock hold of order ${number}`,
			policy: readCommonOptions(this, i).policy,
		});
		return response.body;
	});
}
