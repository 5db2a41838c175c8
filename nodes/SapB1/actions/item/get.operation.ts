import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forEachItem } from '../../../shared/items';
import { itemToProduct } from '../../mapping';
import { keyPath, slRequest } from '../../transport';
import { readSapOptions, sapOptions, withTimeZone } from '../common';
import { ITEM_SELECT } from './getMany.operation';

export const description: INodeProperties[] = [
	{
		displayName: 'Item Code',
		description: "SAP's ItemCode of the item (the key everywhere)",
		name: 'itemCode',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { resource: ['item'], operation: ['get'] } },
	},
	sapOptions('item', ['get']),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const code = String(this.getNodeParameter('itemCode', i)).trim();
		const opts = await withTimeZone(this, readSapOptions(this, i));
		const { body } = await slRequest(this, {
			method: 'GET',
			path: keyPath('Items', code),
			query: { $select: ITEM_SELECT.join(',') },
			itemIndex: i,
			action: `Reading item ${code}`,
			policy: opts.policy,
		});
		return itemToProduct(body, opts);
	});
}
