/**
 * Stock per warehouse. A full read takes ItemWarehouseInfoCollection from every item. A delta cannot use
 * Items.UpdateDate: goods receipts, issues, deliveries and transfers change stock WITHOUT touching the item
 * (erp-facts §1). So the delta reads the stock-moving documents changed since the cursor — goods
 * receipts/issues, transfers, deliveries, invoices, and sales orders (they change Committed) plus any
 * collections added in the options — collects their item codes, and re-reads those items' warehouse rows.
 * The cursor is the newest document stamp seen (the ERP's local time), committed by the workflow's Record Run.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { batchOutputProperties, recordSink } from '../../../shared/batch';
import { cursorProperties, newestOf, readCursor, saveCursor, splitStamp } from '../../../shared/cursor';
import { itemToStock, sapDate, updateStamp } from '../../mapping';
import { changedSinceFilter, odataString, slPages } from '../../transport';
import { readSapOptions, sapOptions, warehousesProperty } from '../common';

/** collection → its lines property; documents without UpdateTime are filtered by date only */
export const STOCK_DOCUMENTS: Record<string, { lines: string; hasTime: boolean }> = {
	InventoryGenEntries: { lines: 'DocumentLines', hasTime: true },
	InventoryGenExits: { lines: 'DocumentLines', hasTime: true },
	StockTransfers: { lines: 'StockTransferLines', hasTime: false },
	DeliveryNotes: { lines: 'DocumentLines', hasTime: true },
	Invoices: { lines: 'DocumentLines', hasTime: true },
	Orders: { lines: 'DocumentLines', hasTime: true },
};

export const description: INodeProperties[] = [
	...cursorProperties('stock', ['getMany'], 'stock levels'),
	warehousesProperty('stock', ['getMany']),
	...batchOutputProperties('stock', ['getMany'], 'stock levels'),
	sapOptions(
		'stock',
		['getMany'],
		[
			{
				displayName: 'More Stock Documents',
				name: 'extraDocuments',
				type: 'string',
				default: '',
				placeholder: 'PurchaseDeliveryNotes, Returns',
				description: 'Further Service Layer collections whose lines move stock (comma-separated), read by the delta',
			},
		],
	),
];

const ITEM_STOCK_SELECT = ['ItemCode', 'ItemWarehouseInfoCollection'];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readSapOptions(this);
	const warehouses = this.getNodeParameter('warehouses', 0, []) as string[];
	const cursor = readCursor(this, 'stock');
	const sink = recordSink(this, 'stock');
	// when the read began: the portal releases a confirmed order's stock hold only with a figure read after the
	// confirmation (docs/portal-api.yaml, stock reservations); the start is the safe side
	const readAt = new Date().toISOString();
	const emit = async (item: IDataObject) => {
		for (const level of itemToStock(item, warehouses)) await sink.add({ ...level, updatedAt: readAt });
	};
	const pageOpts = { pageSize: opts.pageSize, policy: opts.policy };

	if (!cursor.since) {
		// full read; the cursor starts at the newest item or stock-document stamp, so the next delta begins here
		let newest: string | undefined;
		for await (const page of slPages(this, 'Items', {
			...pageOpts,
			select: [...ITEM_STOCK_SELECT, 'UpdateDate', 'UpdateTime'],
			orderby: 'ItemCode',
			action: 'Reading stock',
			readAhead: true,
		}))
			for (const item of page.items) {
				newest = newestOf(newest, updateStamp(item));
				await emit(item);
			}
		for (const [entity, spec] of Object.entries(STOCK_DOCUMENTS)) {
			for await (const page of slPages(this, entity, {
				...pageOpts,
				select: spec.hasTime ? ['UpdateDate', 'UpdateTime'] : ['UpdateDate'],
				orderby: spec.hasTime ? 'UpdateDate desc,UpdateTime desc' : 'UpdateDate desc',
				action: `Reading ${entity}`,
			})) {
				for (const doc of page.items) newest = newestOf(newest, updateStamp(doc));
				break; // newest first: one page is enough
			}
		}
		saveCursor(this, cursor, newest);
		return await sink.finish();
	}

	const codes = new Set<string>();
	let newest: string | undefined = cursor.since;
	const since = splitStamp(cursor.since);
	const extra = String(opts.raw.extraDocuments ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	const documents: Array<[string, { lines: string; hasTime: boolean }]> = [
		...Object.entries(STOCK_DOCUMENTS),
		...extra.map((e): [string, { lines: string; hasTime: boolean }] => [e, { lines: 'DocumentLines', hasTime: true }]),
	];
	for (const [entity, spec] of documents) {
		const filter = spec.hasTime ? changedSinceFilter(since) : `UpdateDate ge ${odataString(since.date)}`;
		for await (const page of slPages(this, entity, {
			...pageOpts,
			select: ['DocEntry', 'UpdateDate', ...(spec.hasTime ? ['UpdateTime'] : []), spec.lines],
			filter,
			orderby: 'DocEntry',
			action: `Reading ${entity} changed since ${cursor.since}`,
		})) {
			for (const doc of page.items) {
				newest = newestOf(newest, spec.hasTime ? updateStamp(doc) : `${sapDate(doc.UpdateDate)} 00:00:00`);
				for (const line of (doc[spec.lines] as IDataObject[] | undefined) ?? [])
					if (line.ItemCode) codes.add(String(line.ItemCode));
			}
		}
	}
	// items whose master data changed (new items, manual corrections) too
	for await (const page of slPages(this, 'Items', {
		...pageOpts,
		select: ['ItemCode', 'UpdateDate', 'UpdateTime'],
		filter: changedSinceFilter(since),
		orderby: 'ItemCode',
		action: 'Reading changed items',
	})) {
		for (const item of page.items) {
			codes.add(String(item.ItemCode));
			newest = newestOf(newest, updateStamp(item));
		}
	}
	const list = [...codes].sort();
	for (let i = 0; i < list.length; i += 20) {
		const filter = list
			.slice(i, i + 20)
			.map((c) => `ItemCode eq ${odataString(c)}`)
			.join(' or ');
		for await (const page of slPages(this, 'Items', {
			...pageOpts,
			select: ITEM_STOCK_SELECT,
			filter,
			orderby: 'ItemCode',
			action: 'Reading stock of changed items',
		}))
			for (const item of page.items) await emit(item);
	}
	saveCursor(this, cursor, newest);
	return await sink.finish();
}
