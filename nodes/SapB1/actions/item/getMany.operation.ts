/** Items → canonical products: all, or only those changed since the stored cursor (UpdateDate/UpdateTime). */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { cursorProperties } from '../../../shared/cursor';
import { itemToProduct } from '../../mapping';
import { readIncremental, readSapOptions, sapOptions, withTimeZone } from '../common';

export const ITEM_SELECT = [
	'ItemCode',
	'ItemName',
	'ForeignName',
	'BarCode',
	'SalesUnit',
	'InventoryUOM',
	'SalesVATGroup',
	'Valid',
	'Frozen',
	'UpdateDate',
	'UpdateTime',
];

export const description: INodeProperties[] = [
	...cursorProperties('item', ['getMany'], 'items'),
	sapOptions('item', ['getMany']),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = await withTimeZone(this, readSapOptions(this));
	const out: INodeExecutionData[] = [];
	await readIncremental(
		this,
		{ stream: 'items', entity: 'Items', select: ITEM_SELECT, orderby: 'ItemCode', action: 'Reading items' },
		opts,
		(item) => {
			out.push({ json: itemToProduct(item, opts), pairedItem: { item: 0 } });
		},
	);
	return out;
}
