/**
 * Subiekt GT SQL rows (as the `mssql` driver returns them: money/decimal as JS numbers or strings,
 * datetime as Date or ISO text, bit as boolean or 0/1) → canonical records. Column names: queries.ts.
 *
 * Money: SQL Server `money` has 4 decimal places; values are kept exactly at 4 places (parseDecimal
 * takes a number's shortest round-trip text, so 12.3457 stays "12.3457") and rounded with decimal.ts:
 * unit prices to `priceDecimals` (default 4: canonical unit prices may carry 4), document totals to
 * `moneyDecimals` (default 2, half-up).
 * Dates: Subiekt stores local wall-clock time without a zone; the driver (useUTC: true, its default)
 * labels it UTC. We read the wall-clock fields back and attach the Europe/Warsaw offset.
 * The ERP-independent readers (text, bool, sqlMoney, sqlDateTime, ...) are nodes/shared/sql/values.ts.
 */
import { formatDecimal, parseDecimal, roundDecimal, stripTrailingZeros } from '../../shared/model/decimal';
import { normaliseTaxId } from '../../shared/model/nip';
import { normaliseStock } from '../../shared/model/stock';
import type { Client, Invoice, OrderStatus, Price, Product, StockLevel } from '../../shared/model/types';
import { normaliseVatRate } from '../../shared/model/vat';
import type { ClientProblem, ProductProblem } from '../../shared/refusal';
import type { SqlRow } from '../../shared/sql/types';
import { bool, required, sqlDate, sqlDateTime, sqlMoney, SqlMappingError, text } from '../../shared/sql/values';

/** A Subiekt row the canonical model cannot take (a SqlMappingError, as the shared readers throw). */
export class SubiektMappingError extends SqlMappingError {
	constructor(message: string) {
		super(message);
		this.name = 'SubiektMappingError';
	}
}

export interface SubiektMappingOptions {
	/** decimal places of unit prices (default 4, as SQL Server money) */
	priceDecimals?: number;
	/** decimal places of document totals (default 2) */
	moneyDecimals?: number;
	/** key of price levels in Price.scopeCode and Client.priceListCode: the level name or its number 1..10 */
	priceLevelKey?: 'name' | 'number';
	/** country of addresses without one (default "PL") */
	defaultCountry?: string;
	/** time zone of Subiekt's wall-clock datetimes (default Europe/Warsaw) */
	timeZone?: string;
}

const DEFAULTS: Required<SubiektMappingOptions> = {
	priceDecimals: 4,
	moneyDecimals: 2,
	priceLevelKey: 'name',
	defaultCountry: 'PL',
	timeZone: 'Europe/Warsaw',
};

/** Why Subiekt will not sell to the client of an `orderClient` row (none = unknown); undefined = it will. */
export function orderClientProblem(row: SqlRow | undefined): ClientProblem | undefined {
	if (!row) return 'missing';
	return bool(row, 'kh_Zablokowany') ? 'blocked' : undefined;
}

/** Why Subiekt will not sell the product of an `orderProduct` row (none or deleted = unknown); undefined = it will. */
export function orderProductProblem(row: SqlRow | undefined): ProductProblem | undefined {
	if (!row || bool(row, 'tw_Usuniety')) return 'missing';
	return bool(row, 'tw_Zablokowany') ? 'blocked' : undefined;
}

/** Quantity (money-typed in Subiekt: st_Stan, st_StanRez) without trailing zeros: 12.5000 → "12.5". */
function quantity(value: unknown): string {
	const m = sqlMoney(value ?? 0, 4) as string;
	return stripTrailingZeros(m);
}

/** VAT from sl_StawkaVAT: markers by vat_Symbol (zw, np, oo), otherwise vat_Stawka as a percentage. */
export function vatFromRow(row: SqlRow): string {
	const symbol = text(row, 'vat_Symbol').toLowerCase().replace(/\.$/, '');
	if (symbol === 'zw' || symbol === 'oo') return symbol;
	if (symbol === 'np' || symbol === 'npo') return 'np';
	const rate = row.vat_Stawka;
	if (rate === null || rate === undefined) {
		throw new SubiektMappingError('product has no sales VAT rate (tw_IdVatSp does not point at sl_StawkaVAT)');
	}
	const d = parseDecimal(typeof rate === 'string' ? rate.trim() : rate);
	if (d.units < 0n) {
		// EDI++ gives markers negative rates; we map only those we know by symbol
		throw new SubiektMappingError(`VAT rate "${symbol}" (${formatDecimal(d)}) has no canonical equivalent`);
	}
	const normal = normaliseVatRate(formatDecimal(d));
	if (normal === undefined) throw new SubiektMappingError(`VAT rate ${formatDecimal(d)} is not valid`);
	return normal;
}

export function rowToProduct(row: SqlRow): Product {
	const code = required(row, 'tw_Symbol', 'product');
	const product: Product = {
		code,
		name: required(row, 'tw_Nazwa', `product ${code}`),
		unit: text(row, 'tw_JednMiary') || 'szt.',
		vatRate: vatFromRow(row),
		active: !bool(row, 'tw_Zablokowany'),
	};
	const description = text(row, 'tw_Opis');
	if (description) product.description = description;
	const ean = text(row, 'tw_PodstKodKresk');
	if (ean) product.ean = ean;
	return product;
}

/** One unpivoted tw_Cena row → a price-list price; undefined when the level has neither net nor gross (NULL). */
export function rowToLevelPrice(row: SqlRow, options: SubiektMappingOptions = {}): Price | undefined {
	const o = { ...DEFAULTS, ...options };
	const productCode = required(row, 'tw_Symbol', 'price');
	const level = Number(row.poziom);
	if (!Number.isInteger(level) || level < 1 || level > 10)
		throw new SubiektMappingError(`price level "${String(row.poziom)}" is not 1..10`);
	const name = text(row, 'nazwa_ceny');
	const net = sqlMoney(row.cena_netto, o.priceDecimals);
	const gross = sqlMoney(row.cena_brutto, o.priceDecimals);
	if (net === undefined && gross === undefined) return undefined;
	const price: Price = {
		productCode,
		scope: 'priceList',
		scopeCode: o.priceLevelKey === 'name' && name ? name : String(level),
		currency: 'PLN',
		vatRate: vatFromRow(row),
	};
	if (net !== undefined) price.net = net;
	if (gross !== undefined) price.gross = gross;
	return price;
}

/** One icen_* row → a client price. */
export function rowToClientPrice(row: SqlRow, options: SubiektMappingOptions = {}): Price {
	const o = { ...DEFAULTS, ...options };
	const productCode = required(row, 'tw_Symbol', 'client price');
	const price: Price = {
		productCode,
		scope: 'client',
		scopeCode: required(row, 'kh_Symbol', `client price of ${productCode}`),
		currency: text(row, 'icen_Waluta').toUpperCase() || 'PLN',
	};
	const net = sqlMoney(row.icent_CenaNetto, o.priceDecimals);
	const gross = sqlMoney(row.icent_CenaBrutto, o.priceDecimals);
	if (net !== undefined) price.net = net;
	if (gross !== undefined) price.gross = gross;
	if (bool(row, 'icen_OgraniczonaCzasowo')) {
		const from = sqlDate(row.icen_Od);
		const to = sqlDate(row.icen_Do);
		if (from) price.validFrom = from;
		if (to) price.validTo = to;
	}
	return price;
}

/**
 * tw_Stan row → stock level: available = on hand − reserved. Subiekt sells below zero (a WZ before its PZ):
 * figures below zero follow the one rule of shared/model/stock.ts, and the level then carries `_belowZero`.
 */
export function rowToStock(row: SqlRow): StockLevel & { _belowZero?: Record<string, string> } {
	const productCode = required(row, 'tw_Symbol', 'stock');
	const level = {
		productCode,
		warehouseCode: required(row, 'mag_Symbol', `stock of ${productCode}`),
		onHand: quantity(row.st_Stan),
		reserved: quantity(row.st_StanRez),
		available: '',
	};
	normaliseStock(level, true);
	return level;
}

/** A warehouse a workflow may name: SAP's shape (code, name) and Subiekt's main-warehouse flag. */
export interface Warehouse {
	code: string;
	name: string;
	/** mag_Glowny: the company's main warehouse */
	main: boolean;
}

/** sl_Magazyn row → warehouse; the symbol is what the stock read, the ZK and the EDI++ order name. */
export function rowToWarehouse(row: SqlRow): Warehouse {
	const code = required(row, 'mag_Symbol', `warehouse mag_Id ${String(row.mag_Id ?? '?')}`);
	return { code, name: text(row, 'mag_Nazwa'), main: bool(row, 'mag_Glowny') };
}

/** kh__Kontrahent + main adr__Ewid row → client. NIP normalised ("PL 123-456-32-18" → "1234563218"). */
export function rowToClient(row: SqlRow, options: SubiektMappingOptions = {}): Client {
	const o = { ...DEFAULTS, ...options };
	const code = required(row, 'kh_Symbol', 'client');
	const name = text(row, 'adr_NazwaPelna') || text(row, 'adr_Nazwa') || code;
	const client: Client = { code, name, blocked: bool(row, 'kh_Zablokowany'), addresses: [] };
	const nip = text(row, 'adr_NIP');
	if (nip) client.taxId = normaliseTaxId(nip);
	const email = text(row, 'kh_EMail');
	if (email) client.email = email;
	const phone = text(row, 'adr_Telefon');
	if (phone) client.phone = phone;
	const level = row.kh_Cena;
	if (level !== null && level !== undefined && level !== '') {
		const levelName = text(row, 'kh_CenaNazwa');
		client.priceListCode = o.priceLevelKey === 'name' && levelName ? levelName : String(level);
	}
	const street = [
		text(row, 'adr_Ulica'),
		[text(row, 'adr_NrDomu'), text(row, 'adr_NrLokalu')].filter(Boolean).join('/'),
	]
		.filter(Boolean)
		.join(' ');
	const city = text(row, 'adr_Miejscowosc');
	const postalCode = text(row, 'adr_Kod');
	if (street && city && postalCode) {
		client.addresses.push({
			type: 'billing',
			name,
			street,
			postalCode,
			city,
			countryCode: (text(row, 'pa_KodPanstwaISO') || o.defaultCountry).toUpperCase(),
		});
	}
	return client;
}

/**
 * The newest ZK row for an order number → order status: "invoiced" when an FS was found through
 * dok_DoDokId, otherwise "confirmed" (the order exists in Subiekt). dok_Status is not interpreted
 * (its meanings are not documented publicly), so cancelled/shipped are never derived here.
 */
export function rowToOrderStatus(row: SqlRow, options: SubiektMappingOptions = {}): OrderStatus {
	const o = { ...DEFAULTS, ...options };
	const orderNumber = required(row, 'dok_NrPelnyOryg', 'order');
	const invoiced = row.fs_Id !== null && row.fs_Id !== undefined;
	const changedAt = sqlDateTime(invoiced ? row.fs_DataWyst : row.dok_DataWyst, o.timeZone);
	if (!changedAt) throw new SubiektMappingError(`order ${orderNumber}: no issue date`);
	const status: OrderStatus = {
		orderNumber,
		status: invoiced ? 'invoiced' : 'confirmed',
		changedAt,
	};
	const erpNumber = text(row, invoiced ? 'fs_NrPelny' : 'dok_NrPelny');
	if (erpNumber) status.erpDocumentNumber = erpNumber;
	return status;
}

/** Document totals from dok_WartNetto / dok_WartVat / dok_WartBrutto, rounded to `moneyDecimals`. */
export function documentTotals(
	row: SqlRow,
	options: SubiektMappingOptions = {},
): { net: string; vat: string; gross: string } {
	const o = { ...DEFAULTS, ...options };
	const m = (c: string) => sqlMoney(row[c] ?? 0, 4) as string;
	return {
		net: roundDecimal(m('dok_WartNetto'), o.moneyDecimals),
		vat: roundDecimal(m('dok_WartVat'), o.moneyDecimals),
		gross: roundDecimal(m('dok_WartBrutto'), o.moneyDecimals),
	};
}

/** FS row → invoice (totals rounded to `moneyDecimals`). */
export function rowToInvoice(row: SqlRow, options: SubiektMappingOptions = {}): Invoice {
	const number = required(row, 'dok_NrPelny', 'invoice');
	const issueDate = sqlDate(row.dok_DataWyst);
	if (!issueDate) throw new SubiektMappingError(`invoice ${number}: no issue date`);
	const invoice: Invoice = {
		number,
		clientCode: required(row, 'kh_Symbol', `invoice ${number}`),
		issueDate,
		currency: text(row, 'dok_Waluta').toUpperCase() || 'PLN',
		totals: documentTotals(row, options),
	};
	const due = sqlDate(row.dok_PlatTermin);
	if (due) invoice.dueDate = due;
	const orderNumber = text(row, 'zk_NrPelnyOryg');
	if (orderNumber) invoice.orderNumber = orderNumber;
	return invoice;
}

/** A tw_ZdjecieTw row (without bytes) → where its image goes; positions are counted per product by the caller. */
export interface PictureRef {
	pictureId: number;
	productCode: string;
	main: boolean;
}

export function rowToPictureRef(row: SqlRow): PictureRef {
	const pictureId = Number(row.zd_Id);
	if (!Number.isInteger(pictureId))
		throw new SubiektMappingError(`field "zd_Id" is not a whole number: ${String(row.zd_Id)}`);
	return { pictureId, productCode: required(row, 'tw_Symbol', 'product symbol'), main: bool(row, 'zd_Glowne') };
}

/** The picture has no file name in Subiekt: "<symbol>-<position>" (made safe and given the real extension later). */
export function pictureFileName(ref: PictureRef, position: number): string {
	return `${ref.productCode}-${position}`;
}
