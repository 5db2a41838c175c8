import type { INodeProperties } from 'n8n-workflow';
export { forEachItem } from '../../../shared/items';

/** The "Order Number" parameter of an order operation; `overrides` for its default and description. */
export function orderNumberProperty(
	operation: string,
	overrides: Partial<Pick<INodeProperties, 'default' | 'description'>> = {},
): INodeProperties {
	return {
		displayName: 'Order Number',
		name: 'orderNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'B2B/2026/000123',
		description: 'The portal order number',
		displayOptions: { show: { resource: ['order'], operation: [operation] } },
		...overrides,
	};
}
