/**
 * Stock per warehouse (StanMagazynuWorker in the add-on): on hand (`Stan`) and reserved (`Zarezerwowano`);
 * available = on hand − reserved, figures below zero by the one shared rule (nodes/shared/model/stock.ts). All, or
 * changed since the last successful run: stock rows carry their own `Stamp`, so — unlike SAP's items — a stock move
 * is seen by the delta itself. The warehouses chosen are checked against GetMagazyny first: a symbol enova does not
 * know is a clear error, not an empty read that would look like "nothing in stock".
 */
import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { batchOutputProperties, recordSink } from '../../../shared/batch';
import { cursorProperties, readCounterCursor, saveCounterCursor } from '../../../shared/cursor';
import { stanToStock } from '../../mapping';
import { enovaCall, enovaPages } from '../../transport';
import { enovaOptions, mapRecord, readEnovaOptions, warehousesProperty, type EnovaOptions } from '../common';

export const description: INodeProperties[] = [
	...cursorProperties('stock', ['getMany'], 'stock levels', { counter: true }),
	warehousesProperty('stock', ['getMany']),
	...batchOutputProperties('stock', ['getMany'], 'stock levels'),
	enovaOptions('stock', ['getMany']),
];

/** The warehouse symbols enova knows (GetMagazyny). */
export async function knownWarehouses(ctx: IExecuteFunctions, opts: EnovaOptions): Promise<string[]> {
	const body = await enovaCall(ctx, { method: 'GetMagazyny', policy: opts.policy, action: 'Reading warehouses' });
	const list = Array.isArray(body.Magazyny) ? body.Magazyny : [];
	return list.map((m) => String((m as { Symbol?: unknown }).Symbol ?? ''));
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readEnovaOptions(this);
	const warehouses = (this.getNodeParameter('warehouses', 0, []) as string[])
		.map((w) => String(w).trim())
		.filter(Boolean);
	if (warehouses.length) {
		const known = await knownWarehouses(this, opts);
		const unknown = warehouses.filter((w) => !known.includes(w));
		if (unknown.length)
			throw new NodeOperationError(
				this.getNode(),
				`Warehouse ${unknown.map((w) => `"${w}"`).join(', ')} does not exist in enova365 (known: ${known.map((w) => `"${w}"`).join(', ') || 'none'})`,
				{ itemIndex: 0 },
			);
	}
	const cursor = readCounterCursor(this, 'stock');
	const sink = recordSink(this, 'stock');
	// when the read began: the portal releases a confirmed order's stock hold only with a figure read after it
	const readAt = new Date().toISOString();
	let next: string | undefined;
	for await (const page of enovaPages(this, {
		method: 'GetStany',
		recordsKey: 'Stany',
		args: warehouses.length ? { Magazyny: warehouses } : undefined,
		since: cursor.since,
		pageSize: opts.pageSize,
		policy: opts.policy,
		action: cursor.since ? `Reading stock changed since ${cursor.since}` : 'Reading stock',
	})) {
		if (page.page === 1) next = page.stamp;
		for (const s of page.records) {
			const level = mapRecord(this, () => stanToStock(s));
			// the add-on filters by Magazyny; a row of another warehouse is not passed on all the same
			if (warehouses.length && !warehouses.includes(level.warehouseCode)) continue;
			await sink.add({ ...level, updatedAt: readAt });
		}
	}
	saveCounterCursor(this, cursor, next);
	return await sink.finish();
}
