/**
 * Prices → canonical Price records: the prices of the price definitions (`towar.Ceny[def]`: Podstawowa, Hurtowa…,
 * each a price list whose code is the definition's name) and the individual prices (CenaIndywidualna: for one
 * client or one client group, with a threshold `Prog` = quantity break and a period `Okres` = validity). Both net
 * and gross are given as enova keeps them. Blocked definitions are left out unless chosen by name. The changed-since
 * cursor is the older of the two reads' first `Stamp`s (one database rowversion): nothing changed between the two
 * reads is skipped next time. An individual price that is only a discount (Rabat, no Netto/Brutto) is not a price
 * the portal can take: it is counted in a hint, and applied by Order → Check Prices.
 */
import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { batchOutputProperties, recordSink } from '../../../shared/batch';
import { cursorProperties, oldestCounter, readCounterCursor, saveCounterCursor } from '../../../shared/cursor';
import {
	cenaIndywidualnaToPrice,
	cenaToPrice,
	definicjaCeny,
	isDiscountOnly,
	type PriceDefinition,
} from '../../mapping';
import { enovaCall, enovaPages } from '../../transport';
import { enovaOptions, mapRecord, readEnovaOptions, type EnovaOptions } from '../common';

const show = { show: { resource: ['price'], operation: ['getMany'] } };

export const description: INodeProperties[] = [
	...cursorProperties('price', ['getMany'], 'prices', { counter: true }),
	{
		displayName: 'Price Definition Names or IDs',
		name: 'definitions',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getPriceDefinitions' },
		default: [],
		description:
			'Only the prices of these price definitions (DefinicjeCen); none = every definition that is not blocked. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: show,
	},
	{
		displayName: 'Include Individual Prices',
		name: 'individual',
		type: 'boolean',
		default: true,
		description: 'Whether to read the individual prices of clients and client groups (CenaIndywidualna) too',
		displayOptions: show,
	},
	...batchOutputProperties('price', ['getMany'], 'prices'),
	enovaOptions('price', ['getMany']),
];

/** The price definitions of enova (GetDefinicjeCen), by name. */
export async function loadDefinitions(
	ctx: IExecuteFunctions,
	opts: EnovaOptions,
): Promise<Map<string, PriceDefinition>> {
	const body = await enovaCall(ctx, {
		method: 'GetDefinicjeCen',
		policy: opts.policy,
		action: 'Reading price definitions',
	});
	const map = new Map<string, PriceDefinition>();
	for (const d of Array.isArray(body.DefinicjeCen) ? body.DefinicjeCen : []) {
		const def = mapRecord(ctx, () => definicjaCeny(d as never));
		map.set(def.name, def);
	}
	return map;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readEnovaOptions(this);
	const chosen = (this.getNodeParameter('definitions', 0, []) as string[]).map(String).filter(Boolean);
	const individual = this.getNodeParameter('individual', 0, true) as boolean;
	const definitions = await loadDefinitions(this, opts);
	const unknown = chosen.filter((d) => !definitions.has(d));
	if (unknown.length) {
		throw new NodeOperationError(
			this.getNode(),
			`Price definition ${unknown.map((d) => `"${d}"`).join(', ')} does not exist in enova365 (known: ${[...definitions.keys()].map((d) => `"${d}"`).join(', ')})`,
			{ itemIndex: 0 },
		);
	}
	const wanted = chosen.length ? chosen : [...definitions.values()].filter((d) => !d.blocked).map((d) => d.name);
	const cursor = readCounterCursor(this, 'prices');
	const sink = recordSink(this, 'price');
	let next: string | undefined;
	let first = true;
	let discountsOnly = 0;
	for await (const page of enovaPages(this, {
		method: 'GetCeny',
		recordsKey: 'Ceny',
		args: { Definicje: wanted },
		since: cursor.since,
		pageSize: opts.pageSize,
		policy: opts.policy,
		action: 'Reading prices of price definitions',
	})) {
		if (first) next = page.stamp;
		first = false;
		for (const c of page.records) {
			const price = mapRecord(this, () => cenaToPrice(c, opts));
			if (!wanted.includes(price.scopeCode)) continue;
			await sink.add(price);
		}
	}
	if (individual) {
		first = true;
		for await (const page of enovaPages(this, {
			method: 'GetCenyIndywidualne',
			recordsKey: 'Ceny',
			since: cursor.since,
			pageSize: opts.pageSize,
			policy: opts.policy,
			action: 'Reading individual prices',
		})) {
			if (first) next = oldestCounter(next, page.stamp);
			first = false;
			for (const c of page.records) {
				const price = mapRecord(this, () => cenaIndywidualnaToPrice(c, opts));
				if (isDiscountOnly(price)) discountsOnly++;
				else await sink.add(price);
			}
		}
	}
	if (discountsOnly)
		this.addExecutionHints({
			message: `${discountsOnly} individual price${discountsOnly === 1 ? ' is' : 's are'} only a discount (Rabat) without a price: not sent as prices (the portal's price model has no discounts); Order → Check Prices applies them`,
			type: 'info',
			location: 'outputPane',
		});
	saveCounterCursor(this, cursor, next);
	return await sink.finish();
}
