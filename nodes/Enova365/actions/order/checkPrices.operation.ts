/**
 * Price check at confirmation: every line's portal price against the price enova365 charges this client on the
 * order date, through the shared canonical precedence (nodes/shared/priceCheck.ts resolveCanonicalPrice): the
 * client's individual price, else its group's, else its price definition's (Kontrahent.DefinicjaCeny), the highest
 * threshold reached, valid on the order date. Net and gross are converted with the line's VAT rate and rounded by
 * the configured rule; a difference above the tolerance rejects the order with a reason the client can read.
 *
 * Before any price: a contractor enova will not sell to (unknown, `Blokada`, `BlokadaSprzedazy`) rejects the whole
 * order, and an unknown or blocked product rejects its line, with the shared reason texts (nodes/shared/refusal.ts)
 * — such an order can never become a ZO, so it must not reach the claim or enova.
 *
 * The contract has no per-product price read, so the prices are read once per run (the definitions the clients
 * use, and the individual prices) and only those of the products on the orders are kept.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forEachItem } from '../../../shared/items';
import { orderFieldProperty, orderFromItem } from '../../../shared/orders';
import { allowedVatRatesOption } from '../../../shared/options';
import {
	AmbiguousPriceError,
	checkLinePrice,
	readTolerance,
	refusedLine,
	resolveCanonicalPrice,
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
import { NodeOperationError } from 'n8n-workflow';
import { cenaIndywidualnaToPrice, cenaToPrice, isDiscountOnly } from '../../mapping';
import {
	compareDecimal,
	divideDecimal,
	formatDecimal,
	multiplyDecimal,
	subtractDecimal,
	type RoundingMode,
} from '../../../shared/model/decimal';
import type { OrderLine, Price } from '../../../shared/model/types';
import { enovaPages } from '../../transport';
import { enovaOptions, mapRecord, readEnovaOptions, type EnovaOptions } from '../common';
import { loadDefinitions } from '../price/getMany.operation';

const show = { show: { resource: ['order'], operation: ['checkPrices'] } };

export const description: INodeProperties[] = [
	orderFieldProperty(show),
	...toleranceProperties(show, 'enova365'),
	enovaOptions('order', ['checkPrices'], [allowedVatRatesOption]),
];

/** enova sells to a contractor that is not blocked, neither as a whole nor for sales. */
export function contractorProblem(k: IDataObject | undefined): ClientProblem | undefined {
	if (!k) return 'missing';
	if (k.Blokada === true || k.BlokadaSprzedazy === true) return 'blocked';
	return undefined;
}

/** enova sells a product that is not blocked. */
export function towarProblem(t: IDataObject | undefined): ProductProblem | undefined {
	if (!t) return 'missing';
	if (t.Blokada === true) return 'blocked';
	return undefined;
}

/**
 * A price-definition price less the client's (else its group's) individual discount (a CenaIndywidualna with a
 * Rabat and no price): the discount valid on the order date with the highest threshold reached. How enova itself
 * combines them is UNVERIFIED (docs/enova365.md): this is the contract's reading.
 */
export function withDiscount(
	erp: ErpLinePrice,
	discounts: Price[],
	who: { code: string; group?: string },
	line: OrderLine,
	date: string,
	moneyDecimals: number,
	rounding: RoundingMode,
): ErpLinePrice {
	for (const [scope, code] of [
		['client', who.code],
		['clientGroup', who.group],
	] as const) {
		if (!code) continue;
		const found = discounts
			.filter(
				(d) =>
					d.productCode === line.productCode &&
					d.scope === scope &&
					d.scopeCode === code &&
					compareDecimal(d.minQuantity ?? '1', line.quantity) <= 0 &&
					(!d.validFrom || d.validFrom <= date) &&
					(!d.validTo || d.validTo >= date),
			)
			.sort((a, b) => compareDecimal(b.minQuantity ?? '1', a.minQuantity ?? '1'));
		const d = found[0] as (Price & { discountPercent?: string }) | undefined;
		if (!d?.discountPercent) continue;
		const factor = divideDecimal(formatDecimal(subtractDecimal('100', d.discountPercent)), '100', 6);
		return {
			...erp,
			price: divideDecimal(formatDecimal(multiplyDecimal(erp.price, factor)), '1', moneyDecimals, rounding),
			source: `${erp.source} less ${d.discountPercent} % (${scope === 'client' ? 'discount of the client' : `discount of client group ${code}`})`,
		};
	}
	return erp;
}

/** Records of a paged method filtered by code (`Kody`), into `into` by their Kod. */
async function readByCodes(
	ctx: IExecuteFunctions,
	method: 'GetTowary' | 'GetKontrahenci',
	recordsKey: string,
	codes: string[],
	into: Map<string, IDataObject | undefined>,
	opts: EnovaOptions,
	itemIndex: number,
): Promise<void> {
	const wanted = codes.filter((c) => !into.has(c));
	if (!wanted.length) return;
	for await (const page of enovaPages(ctx, {
		method,
		recordsKey,
		args: { Kody: wanted },
		pageSize: opts.pageSize,
		policy: opts.policy,
		itemIndex,
		action: `Reading ${method === 'GetTowary' ? 'products' : 'client'} ${wanted.join(', ')}`,
	}))
		for (const r of page.records) if (wanted.includes(String(r.Kod))) into.set(String(r.Kod), r);
	for (const c of wanted) if (!into.has(c)) into.set(c, undefined);
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const opts = readEnovaOptions(this);
	const clients = new Map<string, IDataObject | undefined>();
	const products = new Map<string, IDataObject | undefined>();
	// the product codes of every order of the input: only their prices are kept
	const codes = new Set<string>();
	for (let i = 0; i < items.length; i++) {
		try {
			for (const line of orderFromItem(this, items[i], i).lines) codes.add(line.productCode);
		} catch {
			// the bad order is named when its turn comes
		}
	}
	let prices: Price[] | undefined;
	const loadPrices = async (i: number): Promise<Price[]> => {
		if (prices) return prices;
		const definitions = await loadDefinitions(this, opts);
		const list: Price[] = [];
		for await (const page of enovaPages(this, {
			method: 'GetCeny',
			recordsKey: 'Ceny',
			args: { Definicje: [...definitions.keys()] },
			pageSize: opts.pageSize,
			policy: opts.policy,
			itemIndex: i,
			action: 'Reading prices of price definitions',
		}))
			for (const c of page.records)
				if (codes.has(String(c.Towar))) list.push(mapRecord(this, () => cenaToPrice(c, opts), i));
		for await (const page of enovaPages(this, {
			method: 'GetCenyIndywidualne',
			recordsKey: 'Ceny',
			pageSize: opts.pageSize,
			policy: opts.policy,
			itemIndex: i,
			action: 'Reading individual prices',
		}))
			for (const c of page.records)
				if (codes.has(String(c.Towar))) {
					const p = mapRecord(this, () => cenaIndywidualnaToPrice(c, opts), i);
					if (!isDiscountOnly(p)) list.push(p);
					else if (p.discountPercent) discounts.push(p);
				}
		prices = list;
		return list;
	};
	const discounts: Price[] = [];

	return await forEachItem(this, items, async (i) => {
		const o = readEnovaOptions(this, i);
		const order = orderFromItem(this, items[i], i);
		const date = order.placedAt.slice(0, 10);
		const settings: PriceCheckSettings = {
			tolerance: readTolerance(this, i),
			moneyDecimals: o.moneyDecimals ?? 2,
			rounding: o.rounding ?? 'halfUp',
			erpName: 'enova365',
		};
		await readByCodes(this, 'GetKontrahenci', 'Kontrahenci', [order.clientCode], clients, o, i);
		const k = clients.get(order.clientCode);
		const problem = contractorProblem(k);
		if (problem) {
			const priceCheck = summarisePriceCheck([], settings.tolerance, {
				code: order.clientCode,
				problem,
				reasons: clientProblemReasons('enova365', order.clientCode, problem),
			});
			return { json: { ...items[i].json, priceCheck } };
		}
		await readByCodes(this, 'GetTowary', 'Towary', [...new Set(order.lines.map((l) => l.productCode))], products, o, i);
		const all = await loadPrices(i);
		const who = {
			code: order.clientCode,
			group: typeof k?.Grupa === 'string' && k.Grupa ? k.Grupa : undefined,
			priceList: typeof k?.DefinicjaCeny === 'string' && k.DefinicjaCeny ? k.DefinicjaCeny : undefined,
		};
		const checks: LineCheck[] = [];
		for (const line of order.lines) {
			const lineProblem = towarProblem(products.get(line.productCode));
			if (lineProblem) {
				checks.push(refusedLine(line, productProblemReasons('enova365', line.lineNo, line.productCode, lineProblem)));
				continue;
			}
			let erp;
			try {
				erp = resolveCanonicalPrice(all, who, line, order.currency, date, order.priceType);
			} catch (error) {
				const text = error instanceof AmbiguousPriceError ? error.message : (error as Error).message;
				throw new NodeOperationError(this.getNode(), `Item ${i}: order "${order.number}": ${text}`, { itemIndex: i });
			}
			if (erp && erp.source.startsWith('price list'))
				erp = withDiscount(erp, discounts, who, line, date, settings.moneyDecimals, settings.rounding);
			checks.push(checkLinePrice(order, line, erp, settings));
		}
		return { json: { ...items[i].json, priceCheck: summarisePriceCheck(checks, settings.tolerance) } };
	});
}
