import type { INodeProperties } from 'n8n-workflow';
export { forEachItem } from '../../../shared/items';

export function orderNumberProperty(operation: string): INodeProperties {
	return {
		displayName: 'Order Number',
		name: 'orderNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'B2B/2026/000123',
		description: 'The portal order number',
		displayOptions: { show: { resource: ['order'], operation: [operation] } },
	};
}
