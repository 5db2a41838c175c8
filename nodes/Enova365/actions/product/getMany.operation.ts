/**
 * Towary → canonical products: all, or those changed since the last successful run. The add-on pages by
 * `Strona` and filters by `OdStamp` (the database rowversion, docs/enova365-webapi-contract.md): the `Stamp` of
 * the first page, taken before it was read, is the next run's cursor — a product changed while the pages are read
 * is read again next time, never lost. Nothing in enova is changed by reading (no "read clears the flag" feed: a
 * failed run would lose its changes). Large catalogues go out as batch items or batch files (nodes/shared/batch.ts).
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { batchOutputProperties, recordSink } from '../../../shared/batch';
import { cursorProperties, readCounterCursor, saveCounterCursor } from '../../../shared/cursor';
import { towarToProduct } from '../../mapping';
import { enovaPages } from '../../transport';
import { enovaOptions, mapRecord, readEnovaOptions } from '../common';

export const description: INodeProperties[] = [
	...cursorProperties('product', ['getMany'], 'products', { counter: true }),
	...batchOutputProperties('product', ['getMany'], 'products'),
	enovaOptions('product', ['getMany']),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readEnovaOptions(this);
	const cursor = readCounterCursor(this, 'products');
	const sink = recordSink(this, 'product');
	let next: string | undefined;
	for await (const page of enovaPages(this, {
		method: 'GetTowary',
		recordsKey: 'Towary',
		since: cursor.since,
		pageSize: opts.pageSize,
		policy: opts.policy,
		action: cursor.since ? `Reading products changed since ${cursor.since}` : 'Reading products',
	})) {
		if (page.page === 1) next = page.stamp;
		for (const t of page.records) await sink.add(mapRecord(this, () => towarToProduct(t)));
	}
	saveCounterCursor(this, cursor, next);
	return await sink.finish();
}
