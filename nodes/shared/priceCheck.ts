/**
 * Price check at confirmation, shared by every ERP node's "check prices" and the B2B Sync Guard: one order
 * line's portal price against the price the ERP charges (converted between net and gross with the VAT rate,
 * rounded by the configured rule, half up to the grosz by default), within a tolerance; and, for ERPs that
 * hand over canonical price records, which of those records applies to the client (client price > client group
 * > price list, the highest quantity break reached, valid on the order date).
 *
 * Reasons are written twice: Polish for the client (`reason`, shown by the portal) and English (`reasonEn`).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import {
	addDecimal,
	compareDecimal,
	divideDecimal,
	formatDecimal,
	multiplyDecimal,
	rescale,
	roundDecimal,
	subtractDecimal,
	type RoundingMode,
} from './model/decimal';
import type { Order, OrderLine, Price, PriceScope } from './model/types';
import { vatPercent } from './model/vat';
import type { ClientProblem, Reasons } from './refusal';

/** The ERP's price for one line, in the ERP's own price type. */
export interface ErpLinePrice {
	price: string;
	/** true when `price` is gross (VAT included) */
	gross: boolean;
	/** where the price came from, English ("special price of the client", "price list 2") */
	source: string;
	/** VAT rate to convert with; the line's rate when absent */
	vatRate?: string;
}

export interface PriceTolerance {
	/** largest accepted difference per unit, in the order currency ("0.01") */
	amount: string;
	/** largest accepted difference as a percentage of the ERP price; the larger of the two applies */
	percent: number;
}

/** The two tolerance parameters of every price check (SAP's Check Prices, the Sync Guard's Price Check). */
export function toleranceProperties(
	displayOptions: INodeProperties['displayOptions'],
	erpName = 'ERP',
): INodeProperties[] {
	return [
		{
			displayName: 'Tolerance (Amount)',
			name: 'toleranceAmount',
			type: 'string',
			default: '0.00',
			description: 'Largest accepted difference per unit, in the order currency (e.g. 0.01)',
			displayOptions,
		},
		{
			displayName: 'Tolerance (%)',
			name: 'tolerancePercent',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 0,
			description: `Largest accepted difference as a percentage of the ${erpName} price (the larger of the two tolerances applies)`,
			displayOptions,
		},
	];
}

export function readTolerance(ctx: IExecuteFunctions, i: number): PriceTolerance {
	return {
		amount: String(ctx.getNodeParameter('toleranceAmount', i, '0.00') || '0').trim(),
		percent: Number(ctx.getNodeParameter('tolerancePercent', i, 0)) || 0,
	};
}

export interface PriceCheckSettings {
	tolerance: PriceTolerance;
	moneyDecimals: number;
	rounding: RoundingMode;
	/** how the reasons name the ERP ("SAP", "ERP") */
	erpName: string;
}

export interface LineCheck {
	line: IDataObject;
	ok: boolean;
	reason?: string;
	reasonEn?: string;
}

/** The ERP price brought to the order's price type (net ↔ gross with the VAT rate), rounded. */
export function expectedUnitPrice(
	erp: ErpLinePrice,
	priceType: Order['priceType'],
	vatRate: string,
	moneyDecimals: number,
	rounding: RoundingMode,
): string {
	const factor = formatDecimal(addDecimal('1', divideDecimal(vatPercent(vatRate), '100', 6)));
	if (erp.gross && priceType === 'net') return divideDecimal(erp.price, factor, moneyDecimals, rounding);
	if (!erp.gross && priceType === 'gross')
		return roundDecimal(formatDecimal(multiplyDecimal(erp.price, factor)), moneyDecimals, rounding);
	return roundDecimal(erp.price, moneyDecimals, rounding);
}

/** Checks one order line against the ERP's price (undefined = the ERP has no price for it). */
export function checkLinePrice(
	order: Order,
	line: OrderLine,
	erp: ErpLinePrice | undefined,
	s: PriceCheckSettings,
): LineCheck {
	const base = { lineNo: line.lineNo, productCode: line.productCode, portalPrice: line.unitPrice };
	if (!erp) {
		const reason = `Pozycja ${line.lineNo} (${line.productCode}): brak ceny w ${s.erpName}`;
		const reasonEn = `Line ${line.lineNo} (${line.productCode}): no price in ${s.erpName}`;
		return { line: { ...base, ok: false, reason, reasonEn }, ok: false, reason, reasonEn };
	}
	const expected = expectedUnitPrice(erp, order.priceType, erp.vatRate ?? line.vatRate, s.moneyDecimals, s.rounding);
	const diff = subtractDecimal(line.unitPrice, expected);
	const absDiff = formatDecimal(
		rescale({ units: diff.units < 0n ? -diff.units : diff.units, scale: diff.scale }, s.moneyDecimals, s.rounding),
	);
	const tolAmount = s.tolerance.amount.trim() || '0';
	const pctTol = divideDecimal(
		formatDecimal(multiplyDecimal(expected, s.tolerance.percent)),
		'100',
		s.moneyDecimals,
		s.rounding,
	);
	const allowed = compareDecimal(tolAmount, pctTol) >= 0 ? tolAmount : pctTol;
	const ok = compareDecimal(absDiff, allowed) <= 0;
	const result: LineCheck = {
		line: { ...base, erpPrice: expected, difference: formatDecimal(diff), source: erp.source, ok },
		ok,
	};
	if (!ok) {
		const kindPl = order.priceType === 'net' ? 'netto' : 'brutto';
		result.reason = `Cena pozycji ${line.lineNo} (${line.productCode}) różni się od cennika: ${line.unitPrice} zamiast ${expected} ${order.currency} ${kindPl}`;
		result.reasonEn = `Line ${line.lineNo} (${line.productCode}) price differs from the price list: ${line.unitPrice} instead of ${expected} ${order.currency} ${order.priceType}`;
		result.line.reason = result.reason;
		result.line.reasonEn = result.reasonEn;
	}
	return result;
}

/** A line the ERP will not sell at any price (unknown, blocked or not-for-sale product): refused with the reason. */
export function refusedLine(line: OrderLine, reasons: Reasons): LineCheck {
	const base = { lineNo: line.lineNo, productCode: line.productCode, portalPrice: line.unitPrice };
	return { line: { ...base, ok: false, ...reasons }, ok: false, ...reasons };
}

/**
 * The `priceCheck` object put on the order item: accepted, the reasons (Polish, English) and every line. A client
 * the ERP will not sell to (`client`) refuses the whole order before any line is priced.
 */
export function summarisePriceCheck(
	checks: LineCheck[],
	tolerance: PriceTolerance,
	client?: { code: string; problem: ClientProblem; reasons: Reasons },
): IDataObject {
	if (client)
		return {
			accepted: false,
			...client.reasons,
			client: { code: client.code, problem: client.problem },
			lines: [],
			tolerance: { amount: tolerance.amount, percent: tolerance.percent },
		};
	const rejected = checks.filter((c) => !c.ok);
	const accepted = rejected.length === 0;
	return {
		accepted,
		...(accepted
			? {}
			: {
					reason: rejected.map((c) => c.reason).join('; '),
					reasonEn: rejected.map((c) => c.reasonEn).join('; '),
				}),
		lines: checks.map((c) => c.line),
		tolerance: { amount: tolerance.amount, percent: tolerance.percent },
	};
}

/** Who the client is for price precedence: its code, and (when known) its group and price list codes. */
export interface PriceClient {
	code: string;
	/** the client's price group (canonical Client.priceGroup); empty = any clientGroup price given applies */
	group?: string;
	/** the client's price list (canonical Client.priceListCode); empty = any priceList price given applies */
	priceList?: string;
}

const SCOPE_ORDER: PriceScope[] = ['client', 'clientGroup', 'priceList'];

const SCOPE_TEXT: Record<PriceScope, string> = {
	client: 'price of the client',
	clientGroup: 'price of client group',
	priceList: 'price list',
};

export class AmbiguousPriceError extends Error {}

/**
 * The canonical price that applies to one order line: the client's own price, else its group's, else its
 * price list's (the canonical model's precedence); within a scope, in the order currency, valid on `date`
 * (YYYY-MM-DD, both ends inclusive), with the highest quantity break not above the line's quantity (a dated
 * price beats an undated one of the same break). Throws AmbiguousPriceError when two price lists or groups
 * offer a price and the client's own list/group was not named.
 */
export function resolveCanonicalPrice(
	prices: Price[],
	client: PriceClient,
	line: OrderLine,
	currency: string,
	date: string,
	priceType: Order['priceType'],
): ErpLinePrice | undefined {
	for (const scope of SCOPE_ORDER) {
		const want = scope === 'client' ? client.code : scope === 'clientGroup' ? client.group : client.priceList;
		const candidates = prices.filter(
			(p) =>
				p.productCode === line.productCode &&
				p.scope === scope &&
				(!want || p.scopeCode === want) &&
				p.currency === currency &&
				compareDecimal(p.minQuantity ?? '1', line.quantity) <= 0 &&
				(!p.validFrom || p.validFrom <= date) &&
				(!p.validTo || p.validTo >= date),
		);
		if (!candidates.length) continue;
		const codes = new Set(candidates.map((p) => p.scopeCode));
		if (codes.size > 1)
			throw new AmbiguousPriceError(
				`${line.productCode}: prices of ${scope} ${[...codes].map((c) => `"${c}"`).join(', ')} all apply; name the client's ${scope === 'clientGroup' ? 'price group' : 'price list'}`,
			);
		candidates.sort(
			(a, b) =>
				compareDecimal(b.minQuantity ?? '1', a.minQuantity ?? '1') ||
				(b.validFrom ?? '').localeCompare(a.validFrom ?? ''),
		);
		const best = candidates[0];
		// the price type of the order when the ERP has it, else the other one (converted with the VAT rate)
		const useGross = priceType === 'gross' ? best.gross !== undefined : best.net === undefined;
		const where = scope === 'client' ? SCOPE_TEXT.client : `${SCOPE_TEXT[scope]} ${best.scopeCode}`;
		const brk = best.minQuantity && compareDecimal(best.minQuantity, '1') > 0 ? ` from ${best.minQuantity}` : '';
		return {
			price: (useGross ? best.gross : best.net) as string,
			gross: useGross,
			source: where + brk,
			...(best.vatRate ? { vatRate: best.vatRate } : {}),
		};
	}
	return undefined;
}
