/**
 * Items → canonical products: all, or only those changed since the stored cursor (UpdateDate/UpdateTime).
 * A full catalogue (100,000 items) goes out as batch items or batch files (nodes/shared/batch.ts): n8n's cost
 * is per item.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { batchOutputProperties, recordSink } from '../../../shared/batch';
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
	...batchOutputProperties('item', ['getMany'], 'products'),
	sapOptions('item', ['getMany']),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = await withTimeZone(this, readSapOptions(this));
	const sink = recordSink(this, 'product');
	await readIncremental(
		this,
		{ stream: 'items', entity: 'Items', select: ITEM_SELECT, orderby: 'ItemCode', action: 'Reading items' },
		opts,
		async (item) => await sink.add(itemToProduct(item, opts)),
	);
	return await sink.finish();
}
