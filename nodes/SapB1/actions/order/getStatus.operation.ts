/**
 * Canonical order status from SAP: the sales order (by the portal number in NumAtCard), its deliveries
 * (DeliveryNotes whose lines have BaseType 17 and BaseEntry = the order) and its invoices (Invoices based on
 * the order, or on one of its deliveries, BaseType 15). "Get Status" answers for the orders given;
 * "Get Status Changes" finds every portal order whose order, delivery or invoice changed since the cursor.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { cursorProperties, newestOf, readCursor, saveCursor, splitStamp } from '../../../shared/cursor';
import { forEachItem } from '../../../shared/items';
import { localStampToIso, orderStatusOf, updateStamp } from '../../mapping';
import { changedSinceFilter, odataString, slPages } from '../../transport';
import { readSapOptions, sapOptions, withTimeZone, type SapOptions } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Portal Order Number',
		name: 'orderNumber',
		type: 'string',
		default: '={{ $json.orderNumber ?? $json.number }}',
		required: true,
		description: "The number stored in the SAP order's NumAtCard",
		displayOptions: { show: { resource: ['order'], operation: ['getStatus'] } },
	},
	...cursorProperties('order', ['getStatusChanges'], 'orders'),
	sapOptions('order', ['getStatus', 'getStatusChanges']),
];

const DOC_SELECT = [
	'DocEntry',
	'DocNum',
	'NumAtCard',
	'CardCode',
	'Cancelled',
	'DocumentStatus',
	'UpdateDate',
	'UpdateTime',
	'DocumentLines',
];

async function documents(
	ctx: IExecuteFunctions,
	entity: string,
	filter: string,
	opts: SapOptions,
): Promise<IDataObject[]> {
	const out: IDataObject[] = [];
	for await (const page of slPages(ctx, entity, {
		select: DOC_SELECT,
		filter,
		orderby: 'DocEntry',
		pageSize: opts.pageSize,
		policy: opts.policy,
		action: `Reading ${entity}`,
	}))
		out.push(...page.items);
	return out;
}

const basedOn = (doc: IDataObject, baseType: number, entries: Set<number>) =>
	((doc.DocumentLines as IDataObject[] | undefined) ?? []).some(
		(l) => Number(l.BaseType) === baseType && entries.has(Number(l.BaseEntry)),
	);

/** Status records of the given portal order numbers (orders not in SAP are left out). */
export async function statusOf(ctx: IExecuteFunctions, numbers: string[], opts: SapOptions): Promise<IDataObject[]> {
	const out: IDataObject[] = [];
	for (let i = 0; i < numbers.length; i += 20) {
		const chunk = numbers.slice(i, i + 20);
		const filter = chunk.map((n) => `NumAtCard eq ${odataString(n)}`).join(' or ');
		const [orders, deliveries, invoices] = [
			await documents(ctx, 'Orders', filter, opts),
			await documents(ctx, 'DeliveryNotes', filter, opts),
			await documents(ctx, 'Invoices', filter, opts),
		];
		for (const number of chunk) {
			const mine = orders.filter((o) => o.NumAtCard === number);
			const order = mine.find((o) => o.Cancelled !== 'tYES') ?? mine[0];
			if (!order) continue;
			const entries = new Set([Number(order.DocEntry)]);
			const dels = deliveries.filter((d) => basedOn(d, 17, entries));
			const delEntries = new Set(dels.map((d) => Number(d.DocEntry)));
			const invs = invoices.filter((inv) => basedOn(inv, 17, entries) || basedOn(inv, 15, delEntries));
			const status = orderStatusOf(order, dels, invs);
			const latest = [order, ...dels, ...invs]
				.map((d) => updateStamp(d))
				.filter(Boolean)
				.sort()
				.pop();
			const record: IDataObject = {
				orderNumber: number,
				status,
				erpDocumentNumber: String(order.DocNum),
				changedAt: latest ? localStampToIso(latest, opts.timeZone) : new Date().toISOString(),
			};
			if (status === 'cancelled') record.reason = `Zamówienie anulowane w SAP (dokument ${String(order.DocNum)})`;
			if (status === 'invoiced') record.invoiceNumbers = invs.map((v) => String(v.DocNum));
			out.push(record);
		}
	}
	return out;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const opts = await withTimeZone(this, readSapOptions(this));
	return await forEachItem(this, items, async (i) => {
		const number = String(this.getNodeParameter('orderNumber', i)).trim();
		const [status] = await statusOf(this, [number], opts);
		return status ?? { orderNumber: number, status: 'placed', notInSap: true };
	});
}

export async function executeChanges(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = await withTimeZone(this, readSapOptions(this));
	const cursor = readCursor(this, 'orderStatus');
	const numbers = new Set<string>();
	let newest: string | undefined = cursor.since;
	const changed = cursor.since ? ` and (${changedSinceFilter(splitStamp(cursor.since))})` : '';
	for (const entity of ['Orders', 'DeliveryNotes', 'Invoices']) {
		for await (const page of slPages(this, entity, {
			select: ['DocEntry', 'NumAtCard', 'UpdateDate', 'UpdateTime'],
			filter: `NumAtCard ne null${changed}`,
			orderby: 'DocEntry',
			pageSize: opts.pageSize,
			policy: opts.policy,
			action: `Reading ${entity} changes`,
		})) {
			for (const doc of page.items) {
				if (doc.NumAtCard) numbers.add(String(doc.NumAtCard));
				newest = newestOf(newest, updateStamp(doc));
			}
		}
	}
	const statuses = await statusOf(this, [...numbers].sort(), opts);
	saveCursor(this, cursor, newest);
	return statuses.map((json) => ({ json, pairedItem: { item: 0 } }));
}
