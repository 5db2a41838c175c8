/**
 * EDI++ ⇄ canonical model. Field positions come only from ./epp-fields.ts. Money and quantities stay
 * decimal strings and are computed with ../model/decimal (exact BigInt arithmetic, never floats).
 *
 * VAT (spec §1.5): EDI++ carries a symbol and a rate; the symbols without a percentage carry negative rates:
 *   zw  (-1, exempt)                    → canonical "zw"
 *   ex  (-2, export, 0 %)               → canonical "0"   (0 % is a real rate in the canonical model)
 *   ue  (-3, intra-EU supply, 0 %)      → canonical "0"   (ex/ue distinction is lost: both are 0 %)
 *   npo (-4, "nie podlegający ...")     → canonical "np"
 *   oo  (-5, reverse charge)            → canonical "oo"
 *   "23" / 23.0000 etc.                 → canonical "23"
 * Writing back: "zw" → zw/-1, "np" → npo/-4, "oo" → oo/-5, a percentage p → "p"/p.0000 (so "0" → "0"/0.0000).
 */
import {
	addDecimal,
	compareDecimal,
	divideDecimal,
	formatDecimal,
	multiplyDecimal,
	parseDecimal,
	rescale,
	subtractDecimal,
	trimDecimal,
} from '../model/decimal';

export { trimDecimal };
import { normaliseTaxId } from '../model/nip';
import type { Client, Order, OrderLine, Price, Product } from '../model/types';
import { isVatMarker } from '../model/vat';
import { hasOwn } from '../own';
import {
	CENNIK_FIELDS,
	DOC_HEADER_FIELDS,
	DOC_LINE_FIELDS,
	EPP_VAT_SPECIAL,
	KONTRAHENCI_FIELDS_105,
	TOWARY_FIELDS,
	indexMap,
} from './epp-fields';
import type { EppSection } from './epp';
import { zonedWallClock } from '../time';

const T = indexMap<(typeof TOWARY_FIELDS)[number]['key']>(TOWARY_FIELDS) as Record<string, number>;
const C = indexMap<string>(CENNIK_FIELDS);
const K = indexMap<string>(KONTRAHENCI_FIELDS_105);
const H = indexMap<string>(DOC_HEADER_FIELDS);
const L = indexMap<string>(DOC_LINE_FIELDS);

export class EppMappingError extends Error {
	constructor(
		message: string,
		/** key of the record's field that is wrong (a key of the section's table in ./epp-fields), when one is */
		readonly field?: string,
	) {
		super(message);
		this.name = 'EppMappingError';
	}
}

/** Runs `read` on one field: an error it throws becomes an EppMappingError naming that field. */
function inField<R>(key: string, read: () => R): R {
	let failure: unknown;
	try {
		return read();
	} catch (error) {
		failure = error;
	}
	if (failure instanceof EppMappingError && failure.field) throw failure;
	throw new EppMappingError((failure as Error).message, key);
}

// ------------------------------------------------------------------------------------------- numbers

/** EDI++ amount: "." and exactly 4 places, half-up. */
export function eppAmount(value: unknown): string {
	return formatDecimal(rescale(parseDecimal(value), 4, 'halfUp'));
}

const round = (value: ReturnType<typeof parseDecimal>, places: number) => rescale(value, places, 'halfUp');

// ------------------------------------------------------------------------------------------- VAT

/** `keys`: the record's field keys of the symbol and the rate, named by the errors */
export function vatFromEpp(
	symbol: string,
	rate: string,
	keys: { symbol: string; rate: string } = { symbol: 'vatSymbol', rate: 'vatRate' },
): string {
	const s = symbol.trim().toLowerCase();
	if (s === '' && rate.trim() === '')
		throw new EppMappingError('VAT symbol and VAT rate are both empty (InsERT programs always write them)', keys.symbol);
	const r = rate.trim() === '' ? undefined : inField(keys.rate, () => parseDecimal(rate));
	// own keys only: a symbol "constructor" in a file is unknown, not a special rate
	const named = hasOwn(EPP_VAT_SPECIAL, s);
	if (named || (r && r.units < 0n)) {
		const special = named
			? s
			: Object.keys(EPP_VAT_SPECIAL).find((k) => r && compareDecimal(formatDecimal(r), EPP_VAT_SPECIAL[k]) === 0);
		if (!special) throw new EppMappingError(`unknown EDI++ VAT rate ${rate} (symbol "${symbol}")`, keys.rate);
		if (r && compareDecimal(formatDecimal(r), EPP_VAT_SPECIAL[special]) !== 0) {
			throw new EppMappingError(
				`EDI++ VAT symbol "${symbol}" must carry rate ${EPP_VAT_SPECIAL[special]}, found ${rate}`,
				keys.rate,
			);
		}
		return { zw: 'zw', ex: '0', ue: '0', npo: 'np', oo: 'oo' }[special] as string;
	}
	const pct = r ? trimDecimal(formatDecimal(r)) : s;
	// a symbol that is neither special nor a number (e.g. "XX") is named as such, not as a bad decimal
	if (!/^\d+(\.\d+)?$/.test(pct) || (s !== '' && !/^\d+(\.\d+)?$/.test(s)))
		throw new EppMappingError(`unknown EDI++ VAT symbol "${symbol}"`, keys.symbol);
	if (s !== '' && r && compareDecimal(s, pct) !== 0) {
		throw new EppMappingError(`EDI++ VAT symbol "${symbol}" disagrees with rate ${rate}`, keys.rate);
	}
	return pct;
}

export function vatToEpp(rate: string): { symbol: string; rate: string } {
	if (rate === 'zw') return { symbol: 'zw', rate: eppAmount(EPP_VAT_SPECIAL.zw) };
	if (rate === 'np') return { symbol: 'npo', rate: eppAmount(EPP_VAT_SPECIAL.npo) };
	if (rate === 'oo') return { symbol: 'oo', rate: eppAmount(EPP_VAT_SPECIAL.oo) };
	return { symbol: trimDecimal(rate), rate: eppAmount(rate) };
}

function vatPercentOf(rate: string): string {
	return isVatMarker(rate) ? '0' : rate;
}

// ------------------------------------------------------------------------------------------- master data

function sectionOf(section: EppSection, name: string): void {
	if (section.name !== name) throw new EppMappingError(`expected a ${name} section, got "${section.name}"`);
}

export function productFromTowary(record: string[]): Product {
	const product: Product = {
		code: record[T.symbol],
		name: record[T.name],
		unit: record[T.unit] || 'szt.',
		vatRate: vatFromEpp(record[T.vatSymbol], record[T.vatRate]),
		// EDI++ TOWARY has no blocked/inactive flag: every exported product is active
		active: true,
	};
	if (record[T.description]) product.description = record[T.description];
	if (record[T.barcode]) product.ean = record[T.barcode];
	const attributes: Record<string, string> = {};
	if (record[T.pkwiu]) attributes.pkwiu = record[T.pkwiu];
	if (record[T.supplierCode]) attributes.supplierCode = record[T.supplierCode];
	if (Object.keys(attributes).length) product.attributes = attributes;
	return product;
}

export function productsFromEpp(section: EppSection): Product[] {
	sectionOf(section, 'TOWARY');
	return section.body.map(productFromTowary);
}

/**
 * CENNIK → Price. EDI++ price lists carry no currency: amounts are in the file's home currency, PLN
 * unless the caller says otherwise. Net and gross are decimal strings with trailing zeros trimmed to 2 places.
 */
export function priceFromCennik(
	record: string[],
	opts: { currency?: string; vatRates?: Map<string, string> } = {},
): Price {
	const price: Price = {
		productCode: record[C.symbol],
		scope: 'priceList',
		scopeCode: record[C.priceName],
		currency: opts.currency ?? 'PLN',
	};
	if (record[C.net] !== '') price.net = inField('net', () => trimDecimal(record[C.net], 2));
	if (record[C.gross] !== '') price.gross = inField('gross', () => trimDecimal(record[C.gross], 2));
	const vat = opts.vatRates?.get(price.productCode);
	if (vat) price.vatRate = vat;
	return price;
}

export function pricesFromEpp(section: EppSection, opts: { currency?: string; products?: Product[] } = {}): Price[] {
	sectionOf(section, 'CENNIK');
	const vatRates = opts.products ? new Map(opts.products.map((p) => [p.code, p.vatRate])) : undefined;
	return section.body.map((r) => priceFromCennik(r, { currency: opts.currency, vatRates }));
}

export function clientFromKontrahenci(record: string[]): Client {
	const country = record[K.euPrefix] || (record[K.country] === '' || /^polska$/i.test(record[K.country]) ? 'PL' : '');
	const client: Client = {
		code: record[K.symbol],
		name: record[K.name] || record[K.shortName],
		blocked: false,
		addresses: [],
	};
	if (record[K.nip]) client.taxId = normaliseTaxId(record[K.nip]);
	if (record[K.email]) client.email = record[K.email];
	if (record[K.phone]) client.phone = record[K.phone];
	if (record[K.street] || record[K.city]) {
		client.addresses.push({
			type: 'billing',
			name: record[K.name] || record[K.shortName],
			street: record[K.street],
			postalCode: record[K.postalCode],
			city: record[K.city],
			countryCode: country || 'PL',
		});
	}
	return client;
}

export function clientsFromEpp(section: EppSection): Client[] {
	sectionOf(section, 'KONTRAHENCI');
	return section.body.map(clientFromKontrahenci);
}

// ------------------------------------------------------------------------------------------- ZK (writer direction)

export interface ZkOptions {
	/** the client's master record, for the contractor fields 12–18 and 60–62 (else only the code is written) */
	client?: Client;
	/** document number (field 4); 0 = let Subiekt number it (default) */
	documentNumber?: number;
	/** full document number (field 7), default empty */
	fullNumber?: string;
	/** active price name (field 27), e.g. "Hurtowa" */
	priceName?: string;
	/** place of issue (field 21) */
	place?: string;
	/** exchange rate (field 48) for non-PLN orders, default "1" */
	exchangeRate?: string;
	/** time zone for yyyymmddhhnnss dates (Subiekt stores local time), default Europe/Warsaw */
	timeZone?: string;
	/** product units by code, used when a line has no unit (default "szt.") */
	units?: Map<string, string>;
}

/** Header field values we write that are assumptions, not taken from the spec's wording. */
export const ZK_DEFAULTS = {
	/** field 2 "status": 1 as in public Subiekt exports (odłożony/wykonany/anulowany/zaksięgowany = 0..3, assumed) */
	status: '1',
	/** ZAWARTOSC fields 4–7 discount flags as in a public Subiekt GT export replica: percent, from value, not cumulated, blocked */
	discountIsPercent: '1',
	discountFromPrice: '0',
	discountCumulated: '0',
	discountBlocked: '1',
	/** ZAWARTOSC field 2: 1 = goods */
	itemType: '1',
} as const;

/** ISO date or instant → yyyymmddhhnnss in the given time zone (dates without time → midnight). */
export function eppDate(iso: string, timeZone = 'Europe/Warsaw'): string {
	const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
	if (dateOnly) return `${dateOnly[1]}${dateOnly[2]}${dateOnly[3]}000000`;
	const d = new Date(iso);
	if (Number.isNaN(d.getTime())) throw new EppMappingError(`"${iso}" is not an ISO date`);
	const w = zonedWallClock(d.getTime(), timeZone);
	const two = (n: number) => String(n).padStart(2, '0');
	return `${w.year}${two(w.month)}${two(w.day)}${two(w.hour)}${two(w.minute)}${two(w.second)}`;
}

export interface ZkLineAmounts {
	netPrice: string;
	grossPrice: string;
	netValue: string;
	vatValue: string;
	grossValue: string;
	discountValue: string;
}

/**
 * Exact line arithmetic. Unit prices after discount are rounded half-up to 4 places; values to 2 places.
 * Net pricing: net = qty × net price, VAT = net × rate, gross = net + VAT.
 * Gross pricing: gross = qty × gross price, VAT = gross × rate / (100 + rate), net = gross − VAT.
 * Markers (zw/np/oo) carry no VAT.
 */
export function zkLineAmounts(line: OrderLine, priceType: 'net' | 'gross'): ZkLineAmounts {
	const pct = vatPercentOf(line.vatRate);
	const discount = line.discountPercent ?? '0';
	const factor = subtractDecimal('100', discount);
	const listValue = round(multiplyDecimal(line.quantity, line.unitPrice), 2);
	const priceText = divideDecimal(formatDecimal(multiplyDecimal(line.unitPrice, formatDecimal(factor))), '100', 4);
	const hundredPlus = formatDecimal(addDecimal('100', pct));
	let netPrice: string, grossPrice: string, netValue: string, vatValue: string, grossValue: string;
	if (priceType === 'net') {
		netPrice = priceText;
		grossPrice = divideDecimal(formatDecimal(multiplyDecimal(priceText, hundredPlus)), '100', 4);
		netValue = formatDecimal(round(multiplyDecimal(line.quantity, priceText), 2));
		vatValue = divideDecimal(formatDecimal(multiplyDecimal(netValue, pct)), '100', 2);
		grossValue = formatDecimal(addDecimal(netValue, vatValue));
	} else {
		grossPrice = priceText;
		netPrice = divideDecimal(formatDecimal(multiplyDecimal(priceText, '100')), hundredPlus, 4);
		grossValue = formatDecimal(round(multiplyDecimal(line.quantity, priceText), 2));
		vatValue = divideDecimal(formatDecimal(multiplyDecimal(grossValue, pct)), hundredPlus, 2);
		netValue = formatDecimal(subtractDecimal(grossValue, vatValue));
	}
	const docValue = priceType === 'net' ? netValue : grossValue;
	const discountValue = formatDecimal(subtractDecimal(formatDecimal(listValue), docValue));
	return { netPrice, grossPrice, netValue, vatValue, grossValue, discountValue };
}

/**
 * Canonical Order → ZK document section (62-field header + 22-field lines).
 *
 * The portal order number goes to header field 10 "Numer zamówienia" (Tekst 30): that is the EDI++ field for
 * the customer's order number, the one Subiekt keeps as the document's original number (dok_NrPelnyOryg /
 * Sfera NumerOryginalny, erp-facts §4). Field 5 "Numer dokumentu dostawcy" is for purchase documents and is
 * left empty. Document totals are sums of the line values (VAT per line).
 */
export function orderToZk(order: Order, opts: ZkOptions = {}): EppSection {
	if (order.number.length > 30)
		throw new EppMappingError(`order number "${order.number}" is longer than 30 characters (EDI++ field 10)`);
	if (order.lines.length === 0) throw new EppMappingError(`order ${order.number} has no lines`);
	const tz = opts.timeZone ?? 'Europe/Warsaw';
	const date = eppDate(order.placedAt, tz);
	let net = parseDecimal('0');
	let vat = parseDecimal('0');
	let gross = parseDecimal('0');
	const body = order.lines.map((line, i) => {
		const a = zkLineAmounts(line, order.priceType);
		net = addDecimal(formatDecimal(net), a.netValue);
		vat = addDecimal(formatDecimal(vat), a.vatValue);
		gross = addDecimal(formatDecimal(gross), a.grossValue);
		const row = new Array<string>(DOC_LINE_FIELDS.length).fill('');
		const qty = eppAmount(line.quantity);
		row[L.lineNo] = String(i + 1);
		row[L.itemType] = ZK_DEFAULTS.itemType;
		row[L.productCode] = line.productCode;
		row[L.discountIsPercent] = ZK_DEFAULTS.discountIsPercent;
		row[L.discountFromPrice] = ZK_DEFAULTS.discountFromPrice;
		row[L.discountCumulated] = ZK_DEFAULTS.discountCumulated;
		row[L.discountBlocked] = ZK_DEFAULTS.discountBlocked;
		row[L.discountValue] = eppAmount(a.discountValue);
		row[L.discountPercent] = eppAmount(line.discountPercent ?? '0');
		row[L.unit] = line.unit ?? opts.units?.get(line.productCode) ?? 'szt.';
		row[L.quantity] = qty;
		row[L.quantityStockUnit] = qty;
		row[L.stockPrice] = eppAmount('0');
		row[L.netPrice] = eppAmount(a.netPrice);
		row[L.grossPrice] = eppAmount(a.grossPrice);
		row[L.vatPercent] = vatToEpp(line.vatRate).rate;
		row[L.netValue] = eppAmount(a.netValue);
		row[L.vatValue] = eppAmount(a.vatValue);
		row[L.grossValue] = eppAmount(a.grossValue);
		row[L.cost] = eppAmount('0');
		return row;
	});
	const c = opts.client;
	const billing = c?.addresses.find((x) => x.type === 'billing') ?? c?.addresses[0];
	const h = new Array<string>(DOC_HEADER_FIELDS.length).fill('');
	const zero = eppAmount('0');
	h[H.type] = 'ZK';
	h[H.status] = ZK_DEFAULTS.status;
	h[H.fiscalStatus] = '0';
	h[H.number] = String(opts.documentNumber ?? 0);
	h[H.fullNumber] = opts.fullNumber ?? '';
	h[H.orderNumber] = order.number;
	h[H.clientCode] = order.clientCode;
	h[H.clientShortName] = c?.name ?? '';
	h[H.clientName] = c?.name ?? '';
	h[H.clientCity] = billing?.city ?? '';
	h[H.clientPostalCode] = billing?.postalCode ?? '';
	h[H.clientStreet] = billing?.street ?? '';
	h[H.clientNip] = c?.taxId ?? '';
	h[H.place] = opts.place ?? '';
	h[H.issueDate] = date;
	h[H.saleDate] = date;
	h[H.lineCount] = String(body.length);
	h[H.netPricing] = order.priceType === 'net' ? '1' : '0';
	h[H.priceName] = opts.priceName ?? '';
	h[H.net] = eppAmount(formatDecimal(net));
	h[H.vat] = eppAmount(formatDecimal(vat));
	h[H.gross] = eppAmount(formatDecimal(gross));
	h[H.cost] = zero;
	h[H.discountPercent] = zero;
	h[H.paidOnReceipt] = zero;
	h[H.toPay] = eppAmount(formatDecimal(gross));
	h[H.roundingToPay] = '0';
	h[H.roundingVat] = '0';
	h[H.autoRecalculate] = '1';
	h[H.extendedStatus] = '0';
	h[H.packagingOut] = zero;
	h[H.packagingIn] = zero;
	h[H.currency] = order.currency;
	h[H.exchangeRate] = eppAmount(opts.exchangeRate ?? '1');
	h[H.remarks] = order.notes ?? '';
	h[H.importFlags] = '0';
	h[H.exportDocument] = '0';
	h[H.transactionKind] = '0';
	h[H.cardPaymentAmount] = zero;
	h[H.creditPaymentAmount] = zero;
	h[H.clientCountry] = billing && billing.countryCode !== 'PL' ? billing.countryCode : billing ? 'Polska' : '';
	h[H.clientEuPrefix] = billing?.countryCode ?? '';
	h[H.clientIsEu] = '0';
	return { header: h, name: 'ZK', body };
}

/** ZK (or any order-like document) → canonical Order: the inverse of orderToZk for the fields it writes. */
export function orderFromZk(section: EppSection): Order {
	const h = section.header;
	const priceType: 'net' | 'gross' = h[H.netPricing] === '1' ? 'net' : 'gross';
	const d = h[H.issueDate];
	const lines: OrderLine[] = section.body.map((r, i) => {
		const discount = r[L.discountPercent] === '' ? '0' : r[L.discountPercent];
		const after = priceType === 'net' ? r[L.netPrice] : r[L.grossPrice];
		// price before discount = after × 100 / (100 − discount), exact to 4 places
		const unitPrice =
			compareDecimal(discount, '0') === 0
				? after
				: divideDecimal(
						formatDecimal(multiplyDecimal(after, '100')),
						formatDecimal(subtractDecimal('100', discount)),
						4,
					);
		const line: OrderLine = {
			lineNo: Number(r[L.lineNo]) || i + 1,
			productCode: r[L.productCode],
			quantity: trimDecimal(r[L.quantity]),
			unit: r[L.unit] || undefined,
			unitPrice: trimDecimal(unitPrice, 2),
			vatRate: vatFromEpp('', r[L.vatPercent], { symbol: 'vatPercent', rate: 'vatPercent' }),
		};
		if (compareDecimal(discount, '0') !== 0) line.discountPercent = trimDecimal(discount);
		if (!line.unit) delete line.unit;
		return line;
	});
	return {
		number: h[H.orderNumber],
		clientCode: h[H.clientCode],
		placedAt: d ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : '',
		currency: h[H.currency] || 'PLN',
		priceType,
		lines,
		totals: {
			net: trimDecimal(h[H.net], 2),
			vat: trimDecimal(h[H.vat], 2),
			gross: trimDecimal(h[H.gross], 2),
		},
		...(h[H.remarks] ? { notes: h[H.remarks] } : {}),
	};
}
