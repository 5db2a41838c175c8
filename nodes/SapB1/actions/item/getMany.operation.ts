/** Items → canonical products: all, or only those changed since the stored cursor (UpdateDate/UpdateTime). */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { changedSinceFilter, slPages } from '../../transport';
import { cursorProperties, newestOf, readCursor, saveCursor, splitStamp } from '../../../shared/cursor';
import { itemToProduct, updateStamp } from '../../mapping';
import { readSapOptions, sapOptions, withTimeZone } from '../common';

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
	const cursor = readCursor(this, 'items');
	const filter = cursor.since ? changedSinceFilter(splitStamp(cursor.since)) : undefined;
	const out: INodeExecutionData[] = [];
	let newest: string | undefined = cursor.since;
	for await (const page of slPages(this, 'Items', {
		select: ITEM_SELECT,
		filter,
		orderby: 'ItemCode',
		pageSize: opts.pageSize,
		policy: opts.policy,
		action: 'Reading items',
	})) {
		for (const item of page.items) {
			newest = newestOf(newest, updateStamp(item));
			out.push({ json: itemToProduct(item, opts), pairedItem: { item: 0 } });
		}
	}
	saveCursor(this, cursor, newest);
	return out;
}
