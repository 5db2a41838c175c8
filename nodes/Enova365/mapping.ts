/**
 * enova365 add-on records (docs/enova365-webapi-contract.md) → the canonical model, and a canonical order → the
 * AddZO argument. The only file that knows enova's field names. enova's Soneta types arrive as enova sends them
 * (erp-facts-enova-optima §1 [S1]): money `{"Value": "129,99", "Symbol": "PLN"}` with the value a string (comma or
 * dot decimals), percent `"50,00%"`, date `"2026-11-26"`, period `{"From", "To"}` with `To` "9999-12-31" = open,
 * enums as numbers. A value that is not in its shape is an EnovaValueError naming the record and the field — never
 * a silent 0 or a skipped price. Amounts are exact decimal strings (nodes/shared/model/decimal.ts), never floats.
 */
import type { IDataObject } from 'n8n-workflow';
import { ErpValueError } from '../shared/model/valueError';
import { hasOwn, ownValue } from '../shared/own';
import {
	formatDecimal,
	parseDecimal,
	rescale,
	roundDecimal,
	stripTrailingZeros,
	type RoundingMode,
} from '../shared/model/decimal';
import { normaliseTaxId } from '../shared/model/nip';
import { normaliseStock } from '../shared/model/stock';
import { normaliseVatRate } from '../shared/model/vat';
import type { Client, Invoice, Order, OrderStatusCode, Price, Product, StockLevel } from '../shared/model/types';

export interface MappingOptions {
	moneyDecimals?: number;
	rounding?: RoundingMode;
}

/** A Soneta value that is not in its shape: names the record and the field. */
export class EnovaValueError extends ErpValueError {
	constructor(record: string, field: string, value: unknown, expected: string) {
		super('enova365', record, field, value, expected);
		this.name = 'EnovaValueError';
	}
}

/** "Towar ŁÓD-001", "Kontrahent K-1", used in every error of a record */
export function recordName(kind: string, r: IDataObject, key = 'Kod'): string {
	const code = r[key] ?? r.ID;
	return code === undefined || code === null ? kind : `${kind} ${String(code)}`;
}

/** "1 234,50" / "1234.50" / 1234.5 → "1234.50"-style decimal text (exact), or undefined when not a number */
function decimalText(v: unknown): string | undefined {
	if (typeof v === 'number') return Number.isFinite(v) ? formatDecimal(parseDecimal(v)) : undefined;
	if (typeof v !== 'string') return undefined;
	// Polish group separators: spaces (also non-breaking); one decimal comma or dot
	const text = v.trim().replace(/[\s\u00a0\u202f]/g, '');
	if (!/^-?\d+(?:[.,]\d+)?$/.test(text)) return undefined;
	return formatDecimal(parseDecimal(text.replace(',', '.')));
}

/** A Soneta decimal (quantity or a plain amount): number, or a string with comma or dot decimals. */
export function sonetaDecimal(v: unknown, record: string, field: string): string {
	const d = decimalText(v);
	if (d === undefined) throw new EnovaValueError(record, field, v, 'a number (e.g. "12,5")');
	return d;
}

/** A quantity in normal form: at most 4 decimals (half up), no trailing zeros. */
export function sonetaQuantity(v: unknown, record: string, field: string): string {
	if (typeof v === 'number' && Number.isSafeInteger(v)) return v === 0 ? '0' : String(v);
	const d = sonetaDecimal(v, record, field);
	return stripTrailingZeros(formatDecimal(rescale(parseDecimal(d), 4, 'halfUp')));
}

export interface Money {
	amount: string;
	currency?: string;
}

/** Soneta money `{"Value": "129,99", "Symbol": "PLN"}` (Currency / DoubleCy). */
export function sonetaMoney(v: unknown, record: string, field: string): Money {
	if (!v || typeof v !== 'object' || Array.isArray(v))
		throw new EnovaValueError(record, field, v, 'a Soneta amount like {"Value": "129,99", "Symbol": "PLN"}');
	const m = v as IDataObject;
	const amount = decimalText(m.Value);
	if (amount === undefined) throw new EnovaValueError(record, `${field}.Value`, m.Value, 'an amount (e.g. "129,99")');
	const symbol = typeof m.Symbol === 'string' ? m.Symbol.trim().toUpperCase() : '';
	if (symbol && !/^[A-Z]{3}$/.test(symbol))
		throw new EnovaValueError(record, `${field}.Symbol`, m.Symbol, 'a currency code (e.g. "PLN")');
	return symbol ? { amount, currency: symbol } : { amount };
}

/** Soneta percent `"50,00%"` (or a number) → "50" */
export function sonetaPercent(v: unknown, record: string, field: string): string {
	let text = v;
	if (typeof text === 'string') {
		text = text.trim();
		if ((text as string).endsWith('%')) text = (text as string).slice(0, -1).trimEnd();
	}
	const d = decimalText(text);
	if (d === undefined) throw new EnovaValueError(record, field, v, 'a percentage (e.g. "50,00%")');
	return stripTrailingZeros(d);
}

/** Soneta date "2026-11-26" (a date-time "2026-11-26T00:00:00" is cut to the date) */
export function sonetaDate(v: unknown, record: string, field: string): string {
	if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}(?:$|T)/.test(v.trim())) return v.trim().slice(0, 10);
	throw new EnovaValueError(record, field, v, 'a date (YYYY-MM-DD)');
}

/** The end of time in Soneta periods: an open period */
const OPEN_END = '9999-12-31';

/** Soneta period `{"From", "To"}` → validity (an open end, "9999-12-31", or a missing one → no validTo) */
export function sonetaPeriod(v: unknown, record: string, field: string): { validFrom?: string; validTo?: string } {
	if (v === undefined || v === null) return {};
	if (typeof v !== 'object' || Array.isArray(v))
		throw new EnovaValueError(record, field, v, 'a period like {"From": "2026-01-01", "To": "2026-12-31"}');
	const p = v as IDataObject;
	const out: { validFrom?: string; validTo?: string } = {};
	if (p.From !== undefined && p.From !== null && p.From !== '')
		out.validFrom = sonetaDate(p.From, record, `${field}.From`);
	if (p.To !== undefined && p.To !== null && p.To !== '') {
		const to = sonetaDate(p.To, record, `${field}.To`);
		if (to !== OPEN_END) out.validTo = to;
	}
	return out;
}

/** enova's StawkaVAT ("23%", "23,00%", "8", "zw", "np") → canonical rate */
export function sonetaVat(v: unknown, record: string, field: string): string {
	const text = typeof v === 'string' ? v.trim().replace(/,0+%?$/, (m) => (m.endsWith('%') ? '%' : '')) : v;
	const rate = normaliseVatRate(typeof text === 'string' ? text.replace(',', '.') : text);
	if (rate === undefined) throw new EnovaValueError(record, field, v, 'a VAT rate (e.g. "23%", "zw")');
	return rate;
}

function text(v: unknown): string | undefined {
	if (typeof v === 'string') return v.trim() || undefined;
	if (typeof v === 'number') return String(v);
	return undefined;
}

function required(r: IDataObject, field: string, record: string): string {
	const t = text(r[field]);
	if (t === undefined) throw new EnovaValueError(record, field, r[field], 'a text');
	return t;
}

/** `Typ` of a Towar (enum as a number) */
export const TOWAR_TYP: Record<string, string> = { 1: 'towar', 2: 'usługa', 4: 'produkt' };

export function towarToProduct(t: IDataObject): Product & IDataObject {
	const name = recordName('Towar', t);
	const product: Product & IDataObject = {
		code: required(t, 'Kod', name),
		name: required(t, 'Nazwa', name),
		unit: text(t.Jednostka) ?? 'szt.',
		vatRate: sonetaVat(t.StawkaVAT, name, 'StawkaVAT'),
		active: t.Blokada !== true,
	};
	if (text(t.Opis)) product.description = text(t.Opis);
	if (text(t.EAN)) product.ean = text(t.EAN);
	const typ = ownValue(TOWAR_TYP, String(Number(t.Typ)));
	if (typ) product.attributes = { typ };
	return product;
}

export interface PriceDefinition {
	name: string;
	blocked: boolean;
	priority?: number;
	/** the definition keeps gross prices (its Brutto flag) */
	gross: boolean;
}

export function definicjaCeny(d: IDataObject): PriceDefinition {
	const name = recordName('DefinicjaCeny', d, 'Nazwa');
	return {
		name: required(d, 'Nazwa', name),
		blocked: d.Blokada === true,
		...(typeof d.Priorytet === 'number' ? { priority: d.Priorytet } : {}),
		gross: d.Brutto === true,
	};
}

function moneyPair(
	r: IDataObject,
	name: string,
	opts: MappingOptions,
	allowNone = false,
): { net?: string; gross?: string; currency: string } {
	const out: { net?: string; gross?: string; currency: string } = { currency: 'PLN' };
	const currencies = new Set<string>();
	for (const [field, key] of [
		['Netto', 'net'],
		['Brutto', 'gross'],
	] as const) {
		if (r[field] === undefined || r[field] === null) continue;
		const m = sonetaMoney(r[field], name, field);
		out[key] = roundDecimal(m.amount, opts.moneyDecimals ?? 2, opts.rounding ?? 'halfUp');
		if (m.currency) currencies.add(m.currency);
	}
	if (out.net === undefined && out.gross === undefined && !allowNone)
		throw new EnovaValueError(name, 'Netto', r.Netto, 'a Soneta amount (neither Netto nor Brutto is given)');
	if (currencies.size > 1)
		throw new EnovaValueError(name, 'Brutto.Symbol', [...currencies].join('/'), 'the currency of Netto');
	if (currencies.size) out.currency = [...currencies][0];
	return out;
}

/** A price of a price definition (`towar.Ceny[def]`) → a price-list price; the definition's name is the list code. */
export function cenaToPrice(c: IDataObject, opts: MappingOptions = {}): Price & IDataObject {
	const product = text(c.Towar);
	const name = `Cena ${product ?? '?'} / ${text(c.Definicja) ?? '?'}`;
	return {
		productCode: required(c, 'Towar', name),
		scope: 'priceList',
		scopeCode: required(c, 'Definicja', name),
		...moneyPair(c, name, opts),
	};
}

/**
 * An individual price (CenaIndywidualna) → a client or client-group price: exactly one of Kontrahent / Grupa, the
 * threshold `Prog` as the quantity break, the period as validity. A record with both or neither is an error (the
 * price would be given to the wrong clients). A row with a price (Netto / Brutto) is that price (its Rabat is kept
 * as information). A row with only a discount (`Rabat`, no price) has neither `net` nor `gross`: it is a discount
 * on the client's price-definition price (see isDiscountOnly), which the portal's price model cannot carry.
 */
export function cenaIndywidualnaToPrice(c: IDataObject, opts: MappingOptions = {}): Price & IDataObject {
	const who = text(c.Kontrahent) ?? text(c.Grupa);
	const name = `CenaIndywidualna ${text(c.Towar) ?? '?'} / ${who ?? '?'}`;
	const client = text(c.Kontrahent);
	const group = text(c.Grupa);
	if ((client === undefined) === (group === undefined))
		throw new EnovaValueError(
			name,
			client ? 'Grupa' : 'Kontrahent',
			client ? c.Grupa : c.Kontrahent,
			'given with exactly one of Kontrahent / Grupa',
		);
	const price: Price & IDataObject = {
		productCode: required(c, 'Towar', name),
		scope: client ? 'client' : 'clientGroup',
		scopeCode: (client ?? group) as string,
		...moneyPair(c, name, opts, c.Rabat !== undefined && c.Rabat !== null && c.Rabat !== ''),
		...sonetaPeriod(c.Okres, name, 'Okres'),
	};
	if (c.Prog !== undefined && c.Prog !== null && c.Prog !== '') {
		const from = sonetaQuantity(c.Prog, name, 'Prog');
		if (Number(from) > 1) price.minQuantity = from;
	}
	if (c.Rabat !== undefined && c.Rabat !== null && c.Rabat !== '') {
		const discount = sonetaPercent(c.Rabat, name, 'Rabat');
		if (discount !== '0') price.discountPercent = discount;
	}
	if (price.validFrom && price.validTo && price.validTo < price.validFrom)
		throw new EnovaValueError(name, 'Okres.To', price.validTo, `a date on or after Okres.From (${price.validFrom})`);
	return price;
}

/** An individual price that is only a discount (Rabat) on the price-definition price, without a price of its own. */
export function isDiscountOnly(p: Price & IDataObject): boolean {
	return p.net === undefined && p.gross === undefined;
}

/** Stock of one product in one warehouse; available = on hand − reserved (the shared rule for figures below 0). */
export function stanToStock(s: IDataObject): StockLevel & IDataObject {
	const name = `Stan ${text(s.Towar) ?? '?'} / ${text(s.Magazyn) ?? '?'}`;
	const level: StockLevel & IDataObject = {
		productCode: required(s, 'Towar', name),
		warehouseCode: required(s, 'Magazyn', name),
		onHand: sonetaQuantity(s.Stan, name, 'Stan'),
		reserved:
			s.Zarezerwowano === undefined || s.Zarezerwowano === null
				? '0'
				: sonetaQuantity(s.Zarezerwowano, name, 'Zarezerwowano'),
		available: '',
	};
	normaliseStock(level, true);
	return level;
}

export function kontrahentToClient(k: IDataObject): Client & IDataObject {
	const name = recordName('Kontrahent', k);
	const client: Client & IDataObject = {
		code: required(k, 'Kod', name),
		name: required(k, 'Nazwa', name),
		blocked: k.Blokada === true || k.BlokadaSprzedazy === true,
		addresses: [],
	};
	const nip = text(k.NIP) ?? text(k.EuVAT);
	if (nip) client.taxId = normaliseTaxId(nip);
	if (text(k.Email)) client.email = text(k.Email);
	if (text(k.Telefon)) client.phone = text(k.Telefon);
	if (text(k.DefinicjaCeny)) client.priceListCode = text(k.DefinicjaCeny);
	if (text(k.Grupa)) client.priceGroup = text(k.Grupa);
	if (k.TerminPlatnosci !== undefined && k.TerminPlatnosci !== null && k.TerminPlatnosci !== '') {
		const days = Number(sonetaDecimal(k.TerminPlatnosci, name, 'TerminPlatnosci'));
		if (!Number.isInteger(days) || days < 0)
			throw new EnovaValueError(name, 'TerminPlatnosci', k.TerminPlatnosci, 'a whole number of days');
		client.paymentTermsDays = days;
	}
	if (k.Rabat !== undefined && k.Rabat !== null && k.Rabat !== '') {
		const discount = sonetaPercent(k.Rabat, name, 'Rabat');
		if (discount !== '0') client.discountPercent = discount;
	}
	const a = k.Adres as IDataObject | undefined;
	if (a && typeof a === 'object' && (text(a.Ulica) || text(a.Miejscowosc)))
		client.addresses.push({
			type: 'billing',
			street: text(a.Ulica) ?? '-',
			postalCode: text(a.KodPocztowy) ?? '-',
			city: text(a.Miejscowosc) ?? '-',
			countryCode: countryCode(a.Kraj),
		});
	return client;
}

/** enova's Kraj is a code ("PL") or a Polish name ("Polska"); unknown names stay PL's neighbours' codes or PL. */
function countryCode(v: unknown): string {
	const t = text(v);
	if (!t) return 'PL';
	if (/^[A-Za-z]{2}$/.test(t)) return t.toUpperCase();
	const names: Record<string, string> = {
		polska: 'PL',
		niemcy: 'DE',
		czechy: 'CZ',
		słowacja: 'SK',
		litwa: 'LT',
		ukraina: 'UA',
	};
	// own keys only: a Kraj such as "constructor" is no country
	return ownValue(names, t.toLowerCase()) ?? 'PL';
}

/** A decimal as enova reads it in an argument: a plain string with a dot ("129.99"). */
function plain(v: string): string {
	return formatDecimal(parseDecimal(v));
}

export interface ZoOptions {
	/** warehouse symbol for the ZO (the contract has one Magazyn per document) */
	warehouse?: string;
}

/** A canonical order → the AddZO argument; the portal number goes into `ObcyNumer` (enova's Obcy.Numer). */
export function orderToZo(order: Order, opts: ZoOptions = {}): IDataObject {
	const body: IDataObject = {
		Kontrahent: order.clientCode,
		ObcyNumer: order.number,
		Data: order.placedAt.slice(0, 10),
		TypCen: order.priceType === 'gross' ? 'Brutto' : 'Netto',
		Waluta: order.currency,
		Pozycje: order.lines.map((line) => {
			const p: IDataObject = {
				Towar: line.productCode,
				Ilosc: plain(line.quantity),
				Cena: plain(line.unitPrice),
				StawkaVAT: /^\d/.test(line.vatRate) ? `${line.vatRate}%` : line.vatRate,
			};
			if (line.discountPercent) p.Rabat = `${plain(line.discountPercent).replace('.', ',')}%`;
			return p;
		}),
	};
	const warehouse = order.lines.find((l) => l.warehouseCode)?.warehouseCode ?? opts.warehouse;
	if (warehouse) body.Magazyn = warehouse;
	if (order.notes) body.Uwagi = order.notes;
	return body;
}

/** ZO `Stan`: 0 Bufor, 1 Zatwierdzony, 2 Zablokowany, 3 Anulowany */
export const ZO_STAN: Record<string, string> = { 0: 'Bufor', 1: 'Zatwierdzony', 2: 'Zablokowany', 3: 'Anulowany' };

/**
 * Canonical status of a ZO (the contract's table): Anulowany → cancelled; an FV among its Podrzedne → invoiced; a
 * WZ → shipped; Bufor, Zatwierdzony, Zablokowany → confirmed (the ZO exists; Bufor is the seller's draft).
 */
export function zoStatus(d: IDataObject): OrderStatusCode {
	const name = recordName('ZO', d, 'NumerPelnyZapisany');
	const stan = Number(d.Stan);
	if (!hasOwn(ZO_STAN, String(stan))) throw new EnovaValueError(name, 'Stan', d.Stan, 'a ZO state 0–3');
	if (stan === 3) return 'cancelled';
	const children = Array.isArray(d.Podrzedne) ? (d.Podrzedne as IDataObject[]) : [];
	if (children.some((c) => String(c.Typ).toUpperCase() === 'FV')) return 'invoiced';
	if (children.some((c) => String(c.Typ).toUpperCase() === 'WZ')) return 'shipped';
	return 'confirmed';
}

/** The canonical status record of a ZO (GetStanyZO / FindZO document), or undefined without an ObcyNumer. */
/**
 * When a change dated by enova's day-only date (a WZ or FV `Data`) happened, for the portal, which keeps the newest
 * change per order: the end of that day, never later than now. Midnight made a WZ issued on the day the order was
 * confirmed older than the portal's own confirmation, so the portal kept "confirmed" for goods already shipped.
 */
export function dayOfChange(day: string, now: string): string {
	const endOfDay = `${day}T23:59:59Z`;
	return Date.parse(endOfDay) < Date.parse(now) ? endOfDay : now;
}

export function zoToOrderStatus(d: IDataObject, now: string): (IDataObject & { orderNumber: string }) | undefined {
	const number = text(d.ObcyNumer);
	if (!number) return undefined;
	const status = zoStatus(d);
	const docNo = text(d.NumerPelnyZapisany);
	const children = Array.isArray(d.Podrzedne) ? (d.Podrzedne as IDataObject[]) : [];
	const dates = children
		.map((c) => (typeof c.Data === 'string' && /^\d{4}-\d{2}-\d{2}/.test(c.Data) ? c.Data.slice(0, 10) : undefined))
		.filter((x): x is string => !!x)
		.sort();
	const record: IDataObject & { orderNumber: string } = {
		orderNumber: number,
		status,
		changedAt: dates.length ? dayOfChange(dates[dates.length - 1], now) : now,
		erpDocumentId: String(d.ID ?? ''),
		enovaState: ownValue(ZO_STAN, String(Number(d.Stan))),
	};
	if (docNo) record.erpDocumentNumber = docNo;
	if (status === 'cancelled') record.reason = `Zamówienie anulowane w enova365 (dokument ${docNo ?? String(d.ID)})`;
	const invoices = children.filter((c) => String(c.Typ).toUpperCase() === 'FV').map((c) => text(c.NumerPelnyZapisany));
	if (invoices.length) record.invoiceNumbers = invoices.filter(Boolean) as string[];
	return record;
}

export function fakturaToInvoice(f: IDataObject, opts: MappingOptions = {}): Invoice & IDataObject {
	const name = recordName('Faktura', f, 'NumerPelnyZapisany');
	const suma = f.Suma as IDataObject | undefined;
	if (!suma || typeof suma !== 'object')
		throw new EnovaValueError(name, 'Suma', f.Suma, 'the totals {Netto, VAT, Brutto}');
	const money = (field: string) => sonetaMoney(suma[field], name, `Suma.${field}`);
	const net = money('Netto');
	const vat = money('VAT');
	const gross = money('Brutto');
	const round = (m: Money) => roundDecimal(m.amount, opts.moneyDecimals ?? 2, opts.rounding ?? 'halfUp');
	const invoice: Invoice & IDataObject = {
		number: required(f, 'NumerPelnyZapisany', name),
		clientCode: required(f, 'Kontrahent', name),
		issueDate: sonetaDate(f.Data, name, 'Data'),
		currency: gross.currency ?? net.currency ?? 'PLN',
		totals: { net: round(net), vat: round(vat), gross: round(gross) },
		erpDocumentId: String(f.ID ?? ''),
	};
	if (text(f.ObcyNumerZO)) invoice.orderNumber = text(f.ObcyNumerZO);
	if (f.TerminPlatnosci !== undefined && f.TerminPlatnosci !== null && f.TerminPlatnosci !== '')
		invoice.dueDate = sonetaDate(f.TerminPlatnosci, name, 'TerminPlatnosci');
	return invoice;
}
