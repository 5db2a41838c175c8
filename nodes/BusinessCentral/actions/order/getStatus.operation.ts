/**
 * Canonical order status from Business Central: the sales order (by the portal number in
 * externalDocumentNumber), its posted shipments and its posted invoices (both carry the portal number and the
 * BC order number). BC deletes a sales order once it is fully shipped and invoiced, so the posted documents are
 * read by the portal number, never through the order (../../mapping/orders.ts bcOrderStatusOf: Draft, In Review
 * or Open → confirmed, a shipment → shipped, an invoice → invoiced). "Get Status" answers for the orders
 * given; "Get Status Changes" for every portal order whose order or invoice changed (lastModifiedDateTime), or
 * which got a shipment (postingDate, by day: a status reported twice is harmless), since the cursor.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { cursorProperties, newestOf, readCursor, saveCursor } from '../../../shared/cursor';
import { forEachItem } from '../../../shared/items';
import { bcOrderStatusRecord } from '../../mapping/orders';
import { odataString } from '../../transport';
import { companyPages } from './sales';
import { bcOptions, readBcOptions, type BcOptions } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Portal Order Number',
		name: 'orderNumber',
		type: 'string',
		default: '={{ $json.orderNumber ?? $json.number }}',
		required: true,
		description: "The number stored in the sales order's External Document No",
		displayOptions: { show: { resource: ['order'], operation: ['getStatus'] } },
	},
	...cursorProperties('order', ['getStatusChanges'], 'orders'),
	bcOptions('order', ['getStatus', 'getStatusChanges']),
];

const ORDER_SELECT = 'id,number,externalDocumentNumber,customerNumber,status,fullyShipped,lastModifiedDateTime';
const SHIPMENT_SELECT = 'id,number,externalDocumentNumber,orderNumber,postingDate,lastModifiedDateTime';
const INVOICE_SELECT = 'id,number,externalDocumentNumber,orderNumber,status,lastModifiedDateTime';

async function readAll(
	ctx: IExecuteFunctions,
	entity: string,
	filter: string,
	select: string,
	opts: BcOptions,
	itemIndex: number,
): Promise<IDataObject[]> {
	const out: IDataObject[] = [];
	for await (const page of companyPages(ctx, {
		url: `/${entity}`,
		query: filter ? { $filter: filter, $select: select } : { $select: select },
		pageSize: opts.pageSize,
		policy: opts.policy,
		itemIndex,
		action: `Reading ${entity}`,
	}))
		out.push(...page);
	return out;
}

/** Status records of the given portal order numbers (orders BC has nothing of are left out). */
export async function statusOf(
	ctx: IExecuteFunctions,
	numbers: string[],
	opts: BcOptions,
	itemIndex = 0,
): Promise<IDataObject[]> {
	const out: IDataObject[] = [];
	// 20 numbers per request keeps the URL short (an or-list of externalDocumentNumber)
	for (let i = 0; i < numbers.length; i += 20) {
		const chunk = numbers.slice(i, i + 20);
		const filter = chunk.map((n) => `externalDocumentNumber eq ${odataString(n)}`).join(' or ');
		const orders = await readAll(ctx, 'salesOrders', filter, ORDER_SELECT, opts, itemIndex);
		const shipments = await readAll(ctx, 'salesShipments', filter, SHIPMENT_SELECT, opts, itemIndex);
		const invoices = await readAll(ctx, 'salesInvoices', filter, INVOICE_SELECT, opts, itemIndex);
		for (const number of chunk) {
			const mine = (d: IDataObject) => d.externalDocumentNumber === number;
			const record = bcOrderStatusRecord(number, {
				order: orders.find(mine),
				shipments: shipments.filter(mine),
				invoices: invoices.filter(mine),
			});
			if (record) out.push(record);
		}
	}
	return out;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const opts = readBcOptions(this, i);
		const number = String(this.getNodeParameter('orderNumber', i)).trim();
		const [status] = await statusOf(this, [number], opts, i);
		return status ?? { orderNumber: number, status: 'placed', notInBusinessCentral: true };
	});
}

export async function executeChanges(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readBcOptions(this, 0);
	// BC stamps are UTC instants (lastModifiedDateTime); the cursor keeps them as UTC wall clock to the second
	// (the shared cursor's format): the records of that second are read again, which is harmless
	const cursor = readCursor(this, 'orderStatus', { timeZone: 'UTC' });
	const numbers = new Set<string>();
	let newest: string | undefined = cursor.since;
	const since = cursor.since ? `${cursor.since.replace(' ', 'T')}Z` : undefined;
	const reads: Array<[string, string, string]> = [
		['salesOrders', since ? `lastModifiedDateTime gt ${since}` : '', ORDER_SELECT],
		['salesInvoices', since ? `lastModifiedDateTime gt ${since}` : '', INVOICE_SELECT],
		['salesShipments', since ? `postingDate ge ${since.slice(0, 10)}` : '', SHIPMENT_SELECT],
	];
	for (const [entity, filter, select] of reads) {
		for (const doc of await readAll(this, entity, filter, select, opts, 0)) {
			if (typeof doc.externalDocumentNumber === 'string' && doc.externalDocumentNumber)
				numbers.add(doc.externalDocumentNumber);
			if (typeof doc.lastModifiedDateTime === 'string')
				newest = newestOf(newest, doc.lastModifiedDateTime.slice(0, 19).replace('T', ' '));
		}
	}
	const statuses = await statusOf(this, [...numbers].sort(), opts);
	saveCursor(this, cursor, newest);
	return statuses.map((json) => ({ json, pairedItem: { item: 0 } }));
}
