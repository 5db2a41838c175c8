/**
 * Items → canonical products: all, or those changed since the last successful run by `lastModifiedDateTime`
 * (UTC; the shared two-phase cursor, nodes/shared/cursor.ts, committed by Record Run). `blocked` items come out
 * inactive. Large catalogues go out as batch items or batch files (nodes/shared/batch.ts).
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { batchOutputProperties, recordSink } from '../../../shared/batch';
import { cursorProperties, newestOf, readCursor, saveCursor } from '../../../shared/cursor';
import { ITEM_FIELDS, itemToProduct } from '../../mapping';
import { bcPages, companyContext } from '../../transport';
import { bcOptions, changedSinceFilter, mapRecord, readBcOptions, stampOf, vatGroupsOption } from '../common';

export const description: INodeProperties[] = [
	...cursorProperties('product', ['getMany'], 'items', { instants: true }),
	...batchOutputProperties('product', ['getMany'], 'products'),
	bcOptions('product', ['getMany'], [vatGroupsOption]),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readBcOptions(this);
	const cursor = readCursor(this, 'items', { timeZone: 'UTC' });
	const bc = await companyContext(this, opts.policy);
	const sink = recordSink(this, 'product');
	let newest = cursor.since;
	for await (const page of bcPages(this, {
		url: '/items',
		base: bc.companyApi,
		endpoints: bc,
		query: {
			$select: ITEM_FIELDS.join(','),
			$filter: cursor.since ? changedSinceFilter(cursor.since) : undefined,
		},
		pageSize: opts.pageSize,
		policy: opts.policy,
		action: cursor.since ? `Reading items changed since ${cursor.since} UTC` : 'Reading items',
	}))
		for (const item of page.items) {
			newest = newestOf(newest, stampOf(item.lastModifiedDateTime));
			await sink.add(mapRecord(this, () => itemToProduct(item, opts)));
		}
	saveCursor(this, cursor, newest);
	return await sink.finish();
}
