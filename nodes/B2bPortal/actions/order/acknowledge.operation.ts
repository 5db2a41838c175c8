/**
 * Tells the portal the ERP accepted an order, with the ERP document number (SAP DocNum, Subiekt ZK
 * number). Idempotent at the portal: the same number twice is fine; a different number is a 409, which
 * means the order already exists in the ERP under another document — a duplicate to investigate.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { readCommonOptions } from '../../../shared/options';
import { portalRequest } from '../../transport';
import { forEachItem, orderNumberProperty } from './shared';

const show = { show: { resource: ['order'], operation: ['acknowledge'] } };

export const description: INodeProperties[] = [
	orderNumberProperty('acknowledge'),
	{
		displayName: 'ERP Document Number',
		name: 'erpDocumentNumber',
		type: 'string',
		default: '',
		required: true,
		displayOptions: show,
		description: 'Number of the sales order document the ERP created (e.g. SAP DocNum, Subiekt ZK number)',
	},
	{
		displayName: 'ERP Document ID',
		name: 'erpDocumentId',
		type: 'string',
		default: '',
		displayOptions: show,
		description: 'Internal ID of that document (e.g. SAP DocEntry), if the portal should keep it',
	},
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const number = (this.getNodeParameter('orderNumber', i) as string).trim();
		const body: IDataObject = { erpDocumentNumber: String(this.getNodeParameter('erpDocumentNumber', i)).trim() };
		const id = String(this.getNodeParameter('erpDocumentId', i, '')).trim();
		if (id) body.erpDocumentId = id;
		const response = await portalRequest(this, {
			method: 'POST',
			path: `/v1/orders/${encodeURIComponent(number)}/acknowledge`,
			body,
			itemIndex: i,
			action: `Acknowledging order ${number} as ${String(body.erpDocumentNumber)}`,
			policy: readCommonOptions(this, i).policy,
		});
		return response.body;
	});
}
