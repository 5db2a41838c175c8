/**
 * Prices → canonical prices. API v2.0 has no price-list endpoint (research §1 [S4]), so two sources:
 * - each item's `unitPrice` (the item card's Unit Price, BC's price when no price list line applies) on the price
 *   list every customer has (*All Customers Price List Code*), net or gross by the item's `priceIncludesTax`;
 * - the lines of BC's price lists (table 7001 "Price List Line") through our custom API page `priceListLines`
 *   (docs/business-central-al-api.md ships its AL source): only status Active and asset type Item; All Customers →
 *   the same price list as the unit prices (BC applies them to everyone), Customer → the client, Customer Price
 *   Group → the client group; minimum quantity → a quantity break; starting / ending dates → validity; Price
 *   Includes VAT → gross; a Line Discount % taken off the price (mapping.ts). As SAP's special prices do.
 * All, or changed since the last successful run by `lastModifiedDateTime` of items and lines (one cursor, the
 * newest stamp of both). Where two lines give the same portal key (product, scope, code, currency, quantity
 * break, start), the lower price is kept: BC's best-price rule picks it too. Lines that are only a discount
 * (price 0, Line Discount %) are counted in a hint, not sent: the portal's price model has no discounts.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { batchOutputProperties, recordSink } from '../../../shared/batch';
import { cursorProperties, newestOf, readCursor, saveCursor } from '../../../shared/cursor';
import { compareDecimal } from '../../../shared/model/decimal';
import type { Price } from '../../../shared/model/types';
import { bcEnum, itemToUnitPrice, priceKey, priceListLineToPrice, type PriceLineSkip } from '../../mapping';
import { bcPages, companyContext, customApiHint, customCompanyApi } from '../../transport';
import {
	bcOptions,
	changedSinceFilter,
	customApiOptions,
	localCurrencyOption,
	mapRecord,
	readBcOptions,
	stampOf,
	vatGroupsOption,
} from '../common';

const show = { show: { resource: ['price'], operation: ['getMany'] } };

export const SOURCE_TYPES: Record<string, string> = {
	allCustomers: 'All Customers',
	customer: 'Customer',
	customerPriceGroup: 'Customer Price Group',
};

export const description: INodeProperties[] = [
	...cursorProperties('price', ['getMany'], 'prices', { instants: true }),
	{
		displayName: 'Include Item Unit Prices',
		name: 'includeUnitPrice',
		type: 'boolean',
		default: true,
		description: "Whether to send each item's Unit Price (items.unitPrice) as a price list price",
		displayOptions: show,
	},
	{
		displayName: 'All Customers Price List Code',
		name: 'allCustomersList',
		type: 'string',
		default: 'BASE',
		description:
			'Price list code the portal gets the prices for every customer under: the items’ Unit Prices and the All Customers lines',
		displayOptions: show,
	},
	{
		displayName: 'Include Price List Lines',
		name: 'includePriceListLines',
		type: 'boolean',
		default: true,
		description:
			'Whether to read the price list lines (all customers, customers, customer price groups) through the custom API page priceListLines',
		displayOptions: show,
	},
	{
		displayName: 'Price List Line Sources',
		name: 'sourceTypes',
		type: 'multiOptions',
		options: [
			{ name: 'All Customers', value: 'allCustomers' },
			{ name: 'Customer', value: 'customer' },
			{ name: 'Customer Price Group', value: 'customerPriceGroup' },
		],
		default: ['allCustomers', 'customer', 'customerPriceGroup'],
		description: 'Which lines to send, by their Assign-to (source) type',
		displayOptions: { show: { ...show.show, includePriceListLines: [true] } },
	},
	...batchOutputProperties('price', ['getMany'], 'prices'),
	bcOptions('price', ['getMany'], [vatGroupsOption, localCurrencyOption, ...customApiOptions]),
];

const SKIP_TEXT: Record<PriceLineSkip, string> = {
	notActive: 'not Active',
	notItem: 'not for an item',
	otherSource: 'for another source type',
	discountOnly: 'only a discount (price 0, Line Discount %)',
	zero: 'price 0',
	impossiblePeriod: 'ending before they start',
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readBcOptions(this);
	const cursor = readCursor(this, 'prices', { timeZone: 'UTC' });
	const includeUnitPrice = this.getNodeParameter('includeUnitPrice', 0, true) as boolean;
	const includeLines = this.getNodeParameter('includePriceListLines', 0, true) as boolean;
	const allCustomersList = String(this.getNodeParameter('allCustomersList', 0, 'BASE')).trim() || 'BASE';
	const mapping = { ...opts, allCustomersList };
	const bc = await companyContext(this, opts.policy);
	const filter = cursor.since ? changedSinceFilter(cursor.since) : undefined;
	const since = cursor.since ? ` changed since ${cursor.since} UTC` : '';
	let newest = cursor.since;
	const byKey = new Map<string, Price>();
	const push = (p: Price) => {
		const key = priceKey(p);
		const before = byKey.get(key);
		if (!before || compareDecimal(p.net ?? p.gross ?? '0', before.net ?? before.gross ?? '0') < 0) byKey.set(key, p);
	};

	if (includeUnitPrice) {
		for await (const page of bcPages(this, {
			url: '/items',
			base: bc.companyApi,
			endpoints: bc,
			query: {
				$select: 'number,unitPrice,priceIncludesTax,taxGroupCode,generalProductPostingGroupCode,lastModifiedDateTime',
				$filter: filter,
			},
			pageSize: opts.pageSize,
			policy: opts.policy,
			action: `Reading item unit prices${since}`,
		}))
			for (const item of page.items) {
				newest = newestOf(newest, stampOf(item.lastModifiedDateTime));
				const price = mapRecord(this, () => itemToUnitPrice(item, allCustomersList, opts));
				if (price) push(price);
			}
	}

	const skipped = new Map<PriceLineSkip, number>();
	if (includeLines) {
		const wanted = (this.getNodeParameter('sourceTypes', 0, Object.keys(SOURCE_TYPES)) as string[])
			.map((s) => SOURCE_TYPES[s])
			.filter(Boolean);
		const base = customCompanyApi(bc, opts.customApi);
		for await (const page of bcPages<IDataObject>(this, {
			url: '/priceListLines',
			base,
			endpoints: bc,
			query: { $filter: filter },
			pageSize: opts.pageSize,
			policy: opts.policy,
			notFoundHint: customApiHint(opts.customApi, 'priceListLines', 'Include Price List Lines'),
			action: `Reading price list lines${since} (custom API ${opts.customApi.publisher}/${opts.customApi.group}/${opts.customApi.version})`,
		}))
			for (const line of page.items) {
				newest = newestOf(newest, stampOf(line.lastModifiedDateTime));
				// "All_x0020_Customers" on the wire (BC's enum names): compared by name
				const source = bcEnum(line.sourceType);
				if (!wanted.includes(source)) {
					if (!Object.values(SOURCE_TYPES).includes(source))
						skipped.set('otherSource', (skipped.get('otherSource') ?? 0) + 1);
					continue;
				}
				const mapped = mapRecord(this, () => priceListLineToPrice(line, mapping));
				if ('skip' in mapped) skipped.set(mapped.skip, (skipped.get(mapped.skip) ?? 0) + 1);
				else push(mapped);
			}
	}
	const counted = [...skipped.entries()].filter(([reason]) => reason !== 'notActive');
	if (counted.length)
		this.addExecutionHints({
			message: `Price list lines not sent: ${counted.map(([reason, n]) => `${n} ${SKIP_TEXT[reason]}`).join(', ')}`,
			type: 'info',
			location: 'outputPane',
		});
	const sink = recordSink(this, 'price');
	for (const price of byKey.values()) await sink.add(price as unknown as IDataObject);
	saveCursor(this, cursor, newest);
	return await sink.finish();
}
