/**
 * Customers → canonical clients: all, or changed since the last successful run by `lastModifiedDateTime` (UTC, the
 * shared two-phase cursor). `blocked` " " → active; "Ship" / "Invoice" / "All" → blocked, BC's word in
 * `blockedReason`. The price group comes from the custom API page customerPricing; a price group changed there
 * does not touch the customer, so a delta also reads the pricing rows changed since and re-reads those customers.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { batchOutputProperties, recordSink } from '../../../shared/batch';
import { cursorProperties, newestOf, readCursor, saveCursor } from '../../../shared/cursor';
import { CUSTOMER_FIELDS, customerToClient } from '../../mapping';
import { bcPages, companyContext } from '../../transport';
import { bcOptions, changedSinceFilter, customApiOptions, mapRecord, readBcOptions, stampOf } from '../common';
import { includePriceGroupProperty, numberFilter, readPricing } from './pricing';

export const description: INodeProperties[] = [
	...cursorProperties('client', ['getMany'], 'clients', { instants: true }),
	includePriceGroupProperty(['getMany']),
	...batchOutputProperties('client', ['getMany'], 'clients'),
	bcOptions('client', ['getMany'], customApiOptions),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readBcOptions(this);
	const cursor = readCursor(this, 'clients', { timeZone: 'UTC' });
	const withGroup = this.getNodeParameter('includePriceGroup', 0, true) as boolean;
	const bc = await companyContext(this, opts.policy);
	const filter = cursor.since ? changedSinceFilter(cursor.since) : undefined;
	let newest = cursor.since;
	const pricing = withGroup ? await readPricing(this, bc, opts) : new Map<string, IDataObject>();
	const sink = recordSink(this, 'client');
	const done = new Set<string>();
	const read = async (customerFilter: string | undefined, action: string) => {
		for await (const page of bcPages(this, {
			url: '/customers',
			base: bc.companyApi,
			endpoints: bc,
			query: { $select: CUSTOMER_FIELDS.join(','), $filter: customerFilter },
			pageSize: opts.pageSize,
			policy: opts.policy,
			action,
		}))
			for (const c of page.items) {
				const number = String(c.number);
				if (done.has(number)) continue;
				done.add(number);
				newest = newestOf(newest, stampOf(c.lastModifiedDateTime));
				await sink.add(mapRecord(this, () => customerToClient(c, pricing.get(number))));
			}
	};
	await read(filter, cursor.since ? `Reading customers changed since ${cursor.since} UTC` : 'Reading customers');
	if (withGroup && cursor.since) {
		// price groups changed without the customer: those customers once more
		const changed: string[] = [];
		for (const [number, row] of pricing) {
			const stamp = stampOf(row.lastModifiedDateTime);
			if (stamp && stamp > cursor.since) {
				newest = newestOf(newest, stamp);
				if (!done.has(number)) changed.push(number);
			}
		}
		for (let i = 0; i < changed.length; i += 20)
			await read(numberFilter('number', changed.slice(i, i + 20)), 'Reading customers whose price group changed');
	}
	saveCursor(this, cursor, newest);
	return await sink.finish();
}
