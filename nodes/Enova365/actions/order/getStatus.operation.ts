/**
 * Canonical order status from enova365: the ZO (by the portal number in Obcy.Numer) and its subordinate documents
 * (`Podrzedne`: WZ, FV) as GetStanyZO answers them. Anulowany → cancelled; an FV → invoiced; a WZ → shipped; Bufor,
 * Zatwierdzony, Zablokowany → confirmed (docs/enova365-webapi-contract.md). "Get Status" answers for the orders
 * given; "Get Status Changes" for every ZO whose state or documents changed since the last successful run (the
 * rowversion cursor).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { cursorProperties, readCounterCursor, saveCounterCursor } from '../../../shared/cursor';
import { forEachItem } from '../../../shared/items';
import { zoToOrderStatus } from '../../mapping';
import { enovaPages } from '../../transport';
import { enovaOptions, mapRecord, readEnovaOptions } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Portal Order Number',
		name: 'orderNumber',
		type: 'string',
		default: '={{ $json.orderNumber ?? $json.number }}',
		required: true,
		description: "The number stored in the ZO's Obcy.Numer",
		displayOptions: { show: { resource: ['order'], operation: ['getStatus'] } },
	},
	...cursorProperties('order', ['getStatusChanges'], 'orders', { counter: true }),
	enovaOptions('order', ['getStatus', 'getStatusChanges']),
];

/** One status per portal number: the ZO that is not cancelled wins over a cancelled one of the same number. */
function byNumber(ctx: IExecuteFunctions, docs: IDataObject[], now: string, itemIndex = 0): Map<string, IDataObject> {
	const out = new Map<string, IDataObject>();
	for (const d of docs) {
		const status = mapRecord(ctx, () => zoToOrderStatus(d, now), itemIndex);
		if (!status) continue;
		const before = out.get(status.orderNumber);
		if (!before || (before.status === 'cancelled' && status.status !== 'cancelled'))
			out.set(status.orderNumber, status);
	}
	return out;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const opts = readEnovaOptions(this);
	return await forEachItem(this, items, async (i) => {
		const number = String(this.getNodeParameter('orderNumber', i)).trim();
		const docs: IDataObject[] = [];
		for await (const page of enovaPages(this, {
			method: 'GetStanyZO',
			recordsKey: 'Dokumenty',
			args: { ObcyNumery: [number] },
			pageSize: opts.pageSize,
			policy: opts.policy,
			itemIndex: i,
			action: `Reading the state of ${number}`,
		}))
			docs.push(...page.records);
		const status = byNumber(this, docs, new Date().toISOString(), i).get(number);
		return status ?? { orderNumber: number, status: 'placed', notInEnova: true };
	});
}

export async function executeChanges(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readEnovaOptions(this);
	const cursor = readCounterCursor(this, 'orderStatus');
	const docs: IDataObject[] = [];
	let next: string | undefined;
	for await (const page of enovaPages(this, {
		method: 'GetStanyZO',
		recordsKey: 'Dokumenty',
		since: cursor.since,
		pageSize: opts.pageSize,
		policy: opts.policy,
		action: 'Reading ZO state changes',
	})) {
		if (page.page === 1) next = page.stamp;
		docs.push(...page.records);
	}
	const statuses = byNumber(this, docs, new Date().toISOString());
	saveCounterCursor(this, cursor, next);
	return [...statuses.values()].map((json) => ({ json, pairedItem: { item: 0 } }));
}
