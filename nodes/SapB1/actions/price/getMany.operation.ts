/**
 * Prices → canonical prices. Price-list prices live in Items.ItemPrices, which the Service Layer returns
 * EMPTY in list reads (erp-facts §1): each item is read alone (a few at a time, Concurrency option) — all
 * items, or only those changed since the cursor (a price change updates the item's UpdateDate). Special
 * prices per business partner (and `*N` rows for everyone on list N) come from SpecialPrices, read whole.
 * The prices go out one item each or in batch items / batch files (nodes/shared/batch.ts).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { batchOutputProperties, recordSink } from '../../../shared/batch';
import { cursorProperties } from '../../../shared/cursor';
import { itemToPrices, specialPriceToPrices, type PriceListInfo } from '../../mapping';
import { keyPath, slPages, slRequest } from '../../transport';
import { readIncremental, readSapOptions, sapOptions } from '../common';

const show = { show: { resource: ['price'], operation: ['getMany'] } };

export const description: INodeProperties[] = [
	...cursorProperties('price', ['getMany'], 'items'),
	{
		displayName: 'Price List Names or IDs',
		name: 'priceLists',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getPriceLists' },
		default: [],
		description:
			'Only these price lists; none = all. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: show,
	},
	{
		displayName: 'Include Special Prices',
		name: 'includeSpecialPrices',
		type: 'boolean',
		default: true,
		description:
			'Whether to add special prices per business partner and per price list (SAP "period and volume discounts")',
		displayOptions: show,
	},
	...batchOutputProperties('price', ['getMany'], 'prices'),
	sapOptions(
		'price',
		['getMany'],
		[
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 16 },
				default: 4,
				description: 'Items read at the same time (the Service Layer has no bulk read of item prices)',
			},
		],
	),
];

export async function loadPriceLists(ctx: IExecuteFunctions, policy: object): Promise<Map<number, PriceListInfo>> {
	const lists = new Map<number, PriceListInfo>();
	for await (const page of slPages(ctx, 'PriceLists', {
		select: ['PriceListNo', 'IsGrossPrice', 'DefaultPrimeCurrency'],
		orderby: 'PriceListNo',
		policy,
		action: 'Reading price lists',
	}))
		for (const l of page.items) lists.set(Number(l.PriceListNo), l as unknown as PriceListInfo);
	return lists;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readSapOptions(this);
	const priceLists = (this.getNodeParameter('priceLists', 0, []) as Array<string | number>).map(Number);
	const concurrency = Math.max(1, Number(opts.raw.concurrency ?? 4));
	const lists = await loadPriceLists(this, opts.policy);
	// one price per portal key (product, scope, scope code, currency, quantity break, start date): an undated
	// special price for everyone on list N ("*N") replaces that list's own price of the item instead of
	// being sent next to it, which the portal node would refuse as the same key twice
	const byKey = new Map<string, IDataObject>();
	const push = (json: IDataObject) =>
		byKey.set(
			[json.productCode, json.scope, json.scopeCode, json.currency, json.minQuantity ?? '1', json.validFrom ?? '']
				.map(String)
				.join('\u001f'),
			json,
		);

	const codes: string[] = [];
	const listing = {
		stream: 'prices',
		entity: 'Items',
		select: ['ItemCode', 'UpdateDate', 'UpdateTime'],
		orderby: 'ItemCode',
		action: 'Listing items for prices',
	};
	await readIncremental(this, listing, opts, (item) => {
		codes.push(String(item.ItemCode));
	});
	// read item prices a few at a time, keeping the output in item-code order
	const results: IDataObject[][] = new Array(codes.length);
	let next = 0;
	const worker = async () => {
		while (next < codes.length) {
			const index = next++;
			const { body } = await slRequest(this, {
				method: 'GET',
				path: keyPath('Items', codes[index]),
				query: { $select: 'ItemCode,SalesVATGroup,ItemPrices' },
				action: `Reading prices of item ${codes[index]}`,
				policy: opts.policy,
			});
			results[index] = itemToPrices(body, lists, { ...opts, priceLists }) as unknown as IDataObject[];
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, codes.length) }, worker));
	for (const prices of results) prices?.forEach(push);

	if (this.getNodeParameter('includeSpecialPrices', 0, true)) {
		for await (const page of slPages(this, 'SpecialPrices', {
			orderby: 'ItemCode,CardCode',
			pageSize: opts.pageSize,
			policy: opts.policy,
			action: 'Reading special prices',
		})) {
			for (const sp of page.items) {
				const all = /^\*(\d+)$/.exec(String(sp.CardCode));
				if (all && priceLists.length && !priceLists.includes(Number(all[1]))) continue;
				specialPriceToPrices(sp, lists, opts).forEach((p) => push(p as unknown as IDataObject));
			}
		}
	}
	const sink = recordSink(this, 'price');
	for (const json of byKey.values()) await sink.add(json);
	return await sink.finish();
}
