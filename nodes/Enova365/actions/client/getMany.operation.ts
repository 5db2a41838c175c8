/** Kontrahenci → canonical clients (all, or changed since the last successful run, by the rowversion `Stamp`). */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { cursorProperties, readCounterCursor, saveCounterCursor } from '../../../shared/cursor';
import { kontrahentToClient } from '../../mapping';
import { enovaPages } from '../../transport';
import { enovaOptions, mapRecord, readEnovaOptions } from '../common';

export const description: INodeProperties[] = [
	...cursorProperties('client', ['getMany'], 'clients', { counter: true }),
	enovaOptions('client', ['getMany']),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readEnovaOptions(this);
	const cursor = readCounterCursor(this, 'clients');
	const out: INodeExecutionData[] = [];
	let next: string | undefined;
	for await (const page of enovaPages(this, {
		method: 'GetKontrahenci',
		recordsKey: 'Kontrahenci',
		since: cursor.since,
		pageSize: opts.pageSize,
		policy: opts.policy,
		action: 'Reading clients',
	})) {
		if (page.page === 1) next = page.stamp;
		for (const k of page.records)
			out.push({ json: mapRecord(this, () => kontrahentToClient(k)), pairedItem: { item: 0 } });
	}
	saveCounterCursor(this, cursor, next);
	return out;
}
