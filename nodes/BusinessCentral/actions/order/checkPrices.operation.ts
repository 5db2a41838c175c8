/**
 * Price check at confirmation: every line's portal price against the price Business Central charges this customer
 * on the order date. BC's API v2.0 has no price-list endpoint (research §1), so the prices come from the pack's
 * custom API page `priceListLines` (docs/business-central-al-api.md), mapped to canonical prices by the Price
 * operation's own mapping (../../mapping.ts priceListLineToPrice), and the customer's price group from
 * `customerPricing`. Which price applies is BC's "best price" rule, as Price → Get Many keeps it: of the lines that
 * apply to this customer (its own, its price group's, every "All Customers" line) and the item card's `unitPrice`
 * (../../mapping.ts itemToUnitPrice, net or gross by `priceIncludesTax`; Get Many sends it on the same list as the
 * "All Customers" lines and keeps the lower), in the order currency, valid on the order date, with a minimum quantity
 * the line reaches — the lowest: the portal shows the same price, so a client is never refused the price it saw.
 * Whether BC itself lets the item card's price compete with price list lines is UNVERIFIED. Net and
 * gross are converted with the line's VAT rate and rounded by the configured rule (nodes/shared/priceCheck.ts).
 *
 * Before any price: a customer BC will not sell to (unknown, or `blocked` anything but blank) rejects the whole
 * order, and an unknown or blocked item rejects its line, with the shared reason texts (nodes/shared/refusal.ts),
 * so such an order never reaches the claim or BC.
 */
import { type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { forEachItem } from '../../../shared/items';
import { orderFieldProperty, orderFromItem } from '../../../shared/orders';
import { allowedVatRatesOption } from '../../../shared/options';
import {
	checkLinePrice,
	expectedUnitPrice,
	readTolerance,
	refusedLine,
	summarisePriceCheck,
	toleranceProperties,
	type ErpLinePrice,
	type LineCheck,
	type PriceCheckSettings,
} from '../../../shared/priceCheck';
import {
	clientProblemReasons,
	productProblemReasons,
	type ClientProblem,
	type ProductProblem,
} from '../../../shared/refusal';
import { compareDecimal } from '../../../shared/model/decimal';
import type { Order, OrderLine, Price } from '../../../shared/model/types';
import { itemToUnitPrice, priceListLineToPrice } from '../../mapping';
import { bcEnum } from '../../mapping/orders';
import { odataString } from '../../transport';
import { companyPages } from './sales';
import {
	bcOptions,
	customApiOptions,
	localCurrencyOption,
	mapRecord,
	readBcOptions,
	vatGroupsOption,
	type BcOptions,
} from '../common';

const show = { show: { resource: ['order'], operation: ['checkPrices'] } };

export const description: INodeProperties[] = [
	orderFieldProperty(show),
	...toleranceProperties(show, 'Business Central'),
	bcOptions(
		'order',
		['checkPrices'],
		[allowedVatRatesOption, vatGroupsOption, localCurrencyOption, ...customApiOptions],
	),
];

const ERP = 'Business Central';
/** the list code the item card's unit price gets here (only to name it in the check's `source`) */
const UNIT_PRICE = '\u0000item card';

/** BC sells to a customer whose `blocked` is blank (" " / "_x0020_"); Ship, Invoice and All all stop an order. */
export function customerProblem(c: IDataObject | undefined): ClientProblem | undefined {
	if (!c) return 'missing';
	return bcEnum(c.blocked) ? 'blocked' : undefined;
}

/** BC sells an item that is not `blocked`. */
export function itemProblem(item: IDataObject | undefined): ProductProblem | undefined {
	if (!item) return 'missing';
	return item.blocked === true ? 'blocked' : undefined;
}

/** Records of a company collection by `number`, 20 numbers per request, into `into` (absent → undefined). */
async function readByNumbers(
	ctx: IExecuteFunctions,
	entity: 'customers' | 'items',
	select: string,
	numbers: string[],
	into: Map<string, IDataObject | undefined>,
	opts: BcOptions,
	itemIndex: number,
): Promise<void> {
	const wanted = [...new Set(numbers)].filter((n) => !into.has(n));
	for (let i = 0; i < wanted.length; i += 20) {
		const chunk = wanted.slice(i, i + 20);
		for await (const page of companyPages(ctx, {
			url: `/${entity}`,
			query: { $filter: chunk.map((n) => `number eq ${odataString(n)}`).join(' or '), $select: select },
			pageSize: opts.pageSize,
			policy: opts.policy,
			itemIndex,
			action: `Reading ${entity} ${chunk.join(', ')}`,
		}))
			for (const r of page) if (chunk.includes(String(r.number))) into.set(String(r.number), r);
	}
	for (const n of wanted) if (!into.has(n)) into.set(n, undefined);
}

/**
 * BC's best price for one line: the lowest of the canonical prices that apply to the customer (its own, its group's,
 * any list's for all customers), in the order currency, valid on `date`, with a minimum quantity the line reaches —
 * compared in the order's price type (net / gross converted with the line's VAT rate).
 */
export function bestPrice(
	prices: Price[],
	who: { code: string; group?: string },
	order: Order,
	line: OrderLine,
	settings: Pick<PriceCheckSettings, 'moneyDecimals' | 'rounding'>,
): ErpLinePrice | undefined {
	let best: { erp: ErpLinePrice; amount: string } | undefined;
	const date = order.placedAt.slice(0, 10);
	for (const p of prices) {
		if (p.productCode !== line.productCode || p.currency !== order.currency) continue;
		if (p.scope === 'client' && p.scopeCode !== who.code) continue;
		if (p.scope === 'clientGroup' && (!who.group || p.scopeCode !== who.group)) continue;
		if (compareDecimal(p.minQuantity ?? '1', line.quantity) > 0) continue;
		if ((p.validFrom && p.validFrom > date) || (p.validTo && p.validTo < date)) continue;
		const gross = p.net === undefined;
		const source =
			p.scopeCode === UNIT_PRICE
				? 'unit price of the item card'
				: p.scope === 'client'
					? 'price of the customer'
					: p.scope === 'clientGroup'
						? `price of customer price group ${p.scopeCode}`
						: `price list ${p.scopeCode}`;
		const erp: ErpLinePrice = {
			price: (gross ? p.gross : p.net) as string,
			gross,
			source: p.minQuantity ? `${source} from ${p.minQuantity}` : source,
			...(p.vatRate ? { vatRate: p.vatRate } : {}),
		};
		const amount = expectedUnitPrice(
			erp,
			order.priceType,
			erp.vatRate ?? line.vatRate,
			settings.moneyDecimals,
			settings.rounding,
		);
		if (!best || compareDecimal(amount, best.amount) < 0) best = { erp, amount };
	}
	return best?.erp;
}

/** The price list lines of these items (custom API, asset type Item), mapped by the Price operation's mapping. */
async function priceListLinesFor(
	ctx: IExecuteFunctions,
	codes: string[],
	opts: BcOptions,
	itemIndex: number,
): Promise<Price[]> {
	const out: Price[] = [];
	for (let i = 0; i < codes.length; i += 20) {
		const chunk = codes.slice(i, i + 20);
		const filter = `assetType eq 'Item' and (${chunk.map((c) => `assetNo eq ${odataString(c)}`).join(' or ')})`;
		for await (const page of companyPages(ctx, {
			url: '/priceListLines',
			customApi: opts.customApi,
			query: { $filter: filter },
			pageSize: opts.pageSize,
			policy: opts.policy,
			itemIndex,
			action: `Reading the price list lines of ${chunk.join(', ')} (custom API ${opts.customApi.publisher}/${opts.customApi.group}/${opts.customApi.version})`,
		}))
			for (const line of page) {
				const p = mapRecord(ctx, () => priceListLineToPrice(line, opts), itemIndex);
				if (!('skip' in p)) out.push(p);
			}
	}
	return out;
}

/** The customer's price group (custom API customerPricing); undefined when it has none. */
async function priceGroupOf(
	ctx: IExecuteFunctions,
	customerNumber: string,
	opts: BcOptions,
	itemIndex: number,
): Promise<string | undefined> {
	for await (const page of companyPages(ctx, {
		url: '/customerPricing',
		customApi: opts.customApi,
		query: { $filter: `customerNumber eq ${odataString(customerNumber)}` },
		pageSize: opts.pageSize,
		policy: opts.policy,
		itemIndex,
		action: `Reading the price group of customer ${customerNumber}`,
	}))
		for (const row of page) {
			const group = String(row.customerPriceGroup ?? '').trim();
			if (row.customerNumber === customerNumber && group) return group;
		}
	return undefined;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const customers = new Map<string, IDataObject | undefined>();
	const bcItems = new Map<string, IDataObject | undefined>();
	const prices = new Map<string, Price[]>();
	const groups = new Map<string, string | undefined>();
	return await forEachItem(this, items, async (i) => {
		const opts = readBcOptions(this, i);
		const order = orderFromItem(this, items[i], i);
		const settings: PriceCheckSettings = {
			tolerance: readTolerance(this, i),
			moneyDecimals: opts.moneyDecimals ?? 2,
			rounding: opts.rounding ?? 'halfUp',
			erpName: ERP,
		};
		await readByNumbers(
			this,
			'customers',
			'id,number,displayName,blocked,currencyCode',
			[order.clientCode],
			customers,
			opts,
			i,
		);
		const problem = customerProblem(customers.get(order.clientCode));
		if (problem) {
			const priceCheck = summarisePriceCheck([], settings.tolerance, {
				code: order.clientCode,
				problem,
				reasons: clientProblemReasons(ERP, order.clientCode, problem),
			});
			return { json: { ...items[i].json, priceCheck } };
		}
		const codes = order.lines.map((l) => l.productCode);
		await readByNumbers(
			this,
			'items',
			'id,number,displayName,blocked,unitPrice,priceIncludesTax,taxGroupCode,generalProductPostingGroupCode',
			codes,
			bcItems,
			opts,
			i,
		);
		const unread = [...new Set(codes)].filter((c) => !prices.has(c) && !itemProblem(bcItems.get(c)));
		for (const c of unread) prices.set(c, []);
		for (const p of await priceListLinesFor(this, unread, opts, i)) prices.get(p.productCode)?.push(p);
		if (!groups.has(order.clientCode))
			groups.set(order.clientCode, await priceGroupOf(this, order.clientCode, opts, i));
		const who = { code: order.clientCode, group: groups.get(order.clientCode) };
		const checks: LineCheck[] = [];
		for (const line of order.lines) {
			const item = bcItems.get(line.productCode);
			const lineProblem = itemProblem(item);
			if (lineProblem) {
				checks.push(refusedLine(line, productProblemReasons(ERP, line.lineNo, line.productCode, lineProblem)));
				continue;
			}
			// the item card's unit price competes with the lines, as Price → Get Many sends it (same list, lowest kept)
			const unit = item ? mapRecord(this, () => itemToUnitPrice(item, UNIT_PRICE, opts), i) : undefined;
			const candidates = [...(prices.get(line.productCode) ?? []), ...(unit ? [unit] : [])];
			checks.push(checkLinePrice(order, line, bestPrice(candidates, who, order, line, settings), settings));
		}
		return { json: { ...items[i].json, priceCheck: summarisePriceCheck(checks, settings.tolerance) } };
	});
}
