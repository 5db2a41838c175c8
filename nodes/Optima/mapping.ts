/**
 * Comarch ERP Optima SQL rows (CDN schema, statements in sql/queries.ts) → the canonical model. The only file
 * that knows Optima's column names; the ERP-independent readers (text, bool, sqlMoney, sqlDateTime) are
 * nodes/shared/sql/values.ts.
 *
 * Prices: TwC_TwCNumer = DfC_Lp; DfC_Typ 1 = net, 2 = gross (research [FO] [O1] [O6] [O7]). Lp 1 is the
 * purchase price and never goes to the portal unless named.
 * Discounts (CDN.Rabaty): what a Rab_Typ means is not documented by Comarch. The default table below is one
 * B2B connector's reading [O9] — 1, 2, 5, 6, 13: Rab_PodmiotId is a client; 3, 4, 12: a client group; 3, 5, 7:
 * Rab_TwrId is a product group; 2: a client's discount on every product — and every node that reads discounts
 * takes it as an editable option (docs/optima-sql.md lists what is unverified). A row with Rab_Rabat = 0 and a
 * Rab_Cena is a fixed price, which wins over any percentage [O15].
 * Stock: TwrIlosci figures are dated snapshots; the statement already picked the current one.
 */
import {
	compareDecimal,
	divideDecimal,
	formatDecimal,
	multiplyDecimal,
	parseDecimal,
	roundDecimal,
	stripTrailingZeros,
	subtractDecimal,
} from '../shared/model/decimal';
import { normaliseTaxId } from '../shared/model/nip';
import { normaliseStock } from '../shared/model/stock';
import type { Client, Invoice, OrderStatus, Price, Product, StockLevel } from '../shared/model/types';
import { normaliseVatRate } from '../shared/model/vat';
import type { ClientProblem, ProductProblem } from '../shared/refusal';
import type { SqlRow } from '../shared/sql/types';
import { bool, required, sqlDate, sqlDateTime, sqlMoney, SqlMappingError, text } from '../shared/sql/values';

/** An Optima row the canonical model cannot take. */
export class OptimaMappingError extends SqlMappingError {
	constructor(message: string) {
		super(message);
		this.name = 'OptimaMappingError';
	}
}

/** How Knt_Ceny names the client's default price: a DfC_DfCId (one project's reading [O13], the default) or a DfC_Lp. */
export type ClientPriceKey = 'id' | 'lp';

export interface OptimaMappingOptions {
	/** decimal places of unit prices (default 4) */
	priceDecimals?: number;
	/** decimal places of document totals (default 2) */
	moneyDecimals?: number;
	/** time zone of Optima's wall-clock datetimes (default Europe/Warsaw) */
	timeZone?: string;
	/** country of addresses without a two-letter country (default PL) */
	defaultCountry?: string;
	/** how Knt_Ceny is read (default 'id') */
	clientPriceKey?: ClientPriceKey;
	/** the canonical warehouse code of the TwI_MagId NULL totals (default 'total') */
	totalWarehouseCode?: string;
}

const DEFAULTS: Required<OptimaMappingOptions> = {
	priceDecimals: 4,
	moneyDecimals: 2,
	timeZone: 'Europe/Warsaw',
	defaultCountry: 'PL',
	clientPriceKey: 'id',
	totalWarehouseCode: 'total',
};

/** The price number (DfC_Lp) of the purchase price, left out of "every price list" [FO] [O1]. */
export const PURCHASE_PRICE_LP = 1;

function int(row: SqlRow, column: string): number | undefined {
	const v = row[column];
	if (v === null || v === undefined || v === '') return undefined;
	const n = Number(v);
	return Number.isInteger(n) ? n : undefined;
}

/** Quantity (decimal in Optima) without trailing zeros: 12.5000 → "12.5". */
function quantity(value: unknown): string {
	return stripTrailingZeros(sqlMoney(value ?? 0, 4) as string);
}

/**
 * Sales VAT of a product from Twr_Flaga / Twr_Stawka. UNVERIFIED (docs/optima-sql.md): Flaga 1 = "zw" (exempt),
 * 4 = "np" (not subject), anything else = the percentage in Twr_Stawka.
 */
export function optimaVat(row: SqlRow): string {
	const flag = int(row, 'Twr_Flaga');
	if (flag === 1) return 'zw';
	if (flag === 4) return 'np';
	const rate = row.Twr_Stawka;
	if (rate === null || rate === undefined || rate === '')
		throw new OptimaMappingError('product has no VAT rate (Twr_Stawka is empty)');
	const d = formatDecimal(parseDecimal(typeof rate === 'string' ? rate.trim() : (rate as number)));
	const normal = normaliseVatRate(d);
	if (normal === undefined) throw new OptimaMappingError(`VAT rate ${d} (Twr_Stawka) is not valid`);
	return normal;
}

/** CDN.Towary row → product; Twr_NieAktywny → not active. */
export function rowToProduct(row: SqlRow, options: OptimaMappingOptions = {}): Product {
	const o = { ...DEFAULTS, ...options };
	const code = required(row, 'Twr_Kod', 'product');
	const product: Product = {
		code,
		name: required(row, 'Twr_Nazwa', `product ${code}`),
		unit: text(row, 'Twr_JM') || 'szt.',
		vatRate: optimaVat(row),
		active: !bool(row, 'Twr_NieAktywny'),
	};
	const ean = text(row, 'Twr_EAN');
	if (ean) product.ean = ean;
	const changed = sqlDateTime(row.Twr_TS_Mod, o.timeZone);
	if (changed) product.updatedAt = changed;
	return product;
}

/** A price definition (CDN.DefCeny row). */
export interface PriceDefinition {
	id: number;
	name: string;
	lp: number;
	gross: boolean;
}

export function rowToPriceDefinition(row: SqlRow): PriceDefinition {
	const lp = int(row, 'DfC_Lp');
	if (lp === undefined) throw new OptimaMappingError(`price definition without DfC_Lp (${text(row, 'DfC_Nazwa')})`);
	return {
		id: int(row, 'DfC_DfCId') ?? lp,
		name: text(row, 'DfC_Nazwa') || String(lp),
		lp,
		gross: int(row, 'DfC_Typ') === 2,
	};
}

/** A warehouse a workflow may name: the shape of SAP's and Subiekt's Warehouse → Get Many (code, name). */
export interface Warehouse {
	code: string;
	name: string;
}

/** CDN.Magazyny row → warehouse; the symbol is what the stock read, the RO and the Optima XML name. */
export function rowToWarehouse(row: SqlRow): Warehouse {
	const code = required(row, 'Mag_Symbol', `warehouse Mag_MagId ${String(row.Mag_MagId ?? '?')}`);
	return { code, name: text(row, 'Mag_Nazwa') };
}

/**
 * The price lists named by the operation ("hurtowa 1, 5": DfC_Nazwa, case-insensitive, or DfC_Lp numbers) → their
 * Lp; empty = every list but the purchase price (Lp 1). A name that matches nothing is an error (a typo would
 * otherwise send no prices at all).
 */
export function selectPriceLists(selection: string, definitions: PriceDefinition[]): Set<number> {
	const wanted = selection
		.split(/[,;\n]/)
		.map((s) => s.trim())
		.filter(Boolean);
	if (!wanted.length) return new Set(definitions.filter((d) => d.lp !== PURCHASE_PRICE_LP).map((d) => d.lp));
	const out = new Set<number>();
	for (const w of wanted) {
		const found =
			definitions.find((d) => d.name.toLocaleLowerCase('pl') === w.toLocaleLowerCase('pl')) ??
			(/^\d+$/.test(w) ? definitions.find((d) => d.lp === Number(w)) : undefined);
		if (!found)
			throw new OptimaMappingError(
				`price list "${w}" is not in CDN.DefCeny (there are: ${definitions.map((d) => `${d.lp} ${d.name}`).join(', ')})`,
			);
		out.add(found.lp);
	}
	return out;
}

/** A TwrCeny ⋈ DefCeny row → a price-list price (scopeCode = DfC_Nazwa; net or gross by DfC_Typ). */
export function rowToListPrice(row: SqlRow, options: OptimaMappingOptions = {}): Price | undefined {
	const o = { ...DEFAULTS, ...options };
	const productCode = required(row, 'Twr_Kod', 'price');
	const value = sqlMoney(row.TwC_Wartosc, o.priceDecimals);
	if (value === undefined) return undefined;
	const price: Price = {
		productCode,
		scope: 'priceList',
		scopeCode: text(row, 'DfC_Nazwa') || String(int(row, 'DfC_Lp')),
		currency: text(row, 'TwC_Waluta').toUpperCase() || 'PLN',
		vatRate: optimaVat(row),
	};
	if (int(row, 'DfC_Typ') === 2) price.gross = value;
	else price.net = value;
	return price;
}

// ---------------------------------------------------------------------------------------------------------------
// Discounts (CDN.Rabaty)

/** Who a discount is for, and on what. */
export type DiscountSubject = 'client' | 'group' | 'all';
export type DiscountGoods = 'product' | 'productGroup' | 'all';

export interface DiscountType {
	who: DiscountSubject;
	what: DiscountGoods;
}

/**
 * The default Rab_Typ table, one connector's reading [O9] (UNVERIFIED against Comarch): "typ=who/what".
 * 7 (a product group, PodmiotId neither a client nor a group) is read as a discount for every client.
 */
export const DEFAULT_DISCOUNT_TYPES =
	'1=client/product, 2=client/all, 3=group/productGroup, 4=group/product, 5=client/productGroup, 6=client/product, 7=all/productGroup, 12=group/all, 13=client/product';

/** "1=client/product, 2=client/all, …" → Rab_Typ → meaning. */
export function parseDiscountTypes(table: string): Map<number, DiscountType> {
	const out = new Map<number, DiscountType>();
	for (const entry of table.split(/[,;\n]/).map((s) => s.trim())) {
		if (!entry) continue;
		const m = /^(\d+)\s*=\s*(client|group|all)\s*\/\s*(product|productGroup|all)$/i.exec(entry);
		if (!m)
			throw new OptimaMappingError(
				`discount type "${entry}" must look like "2=client/all" (who: client, group or all; what: product, productGroup or all)`,
			);
		const what = m[3].toLowerCase() === 'productgroup' ? 'productGroup' : (m[3].toLowerCase() as DiscountGoods);
		out.set(Number(m[1]), { who: m[2].toLowerCase() as DiscountSubject, what });
	}
	return out;
}

/** One CDN.Rabaty row, understood through the Rab_Typ table. */
export interface Discount extends DiscountType {
	id: number;
	typ: number;
	/** Rab_PodmiotId: the client's or the group's id (who = client / group) */
	subjectId?: number;
	/** Rab_TwrId: the product's or the product group's id (what = product / productGroup) */
	goodsId?: number;
	/** Rab_Rabat, a percentage; undefined for a fixed price */
	percent?: string;
	/** Rab_Cena when Rab_Rabat = 0: a fixed price (UNVERIFIED: net) */
	fixedPrice?: string;
	currency: string;
	validFrom?: string;
	validTo?: string;
}

/** A CDN.Rabaty row → a discount; undefined when its Rab_Typ is not in the table or it changes nothing. */
export function rowToDiscount(
	row: SqlRow,
	types: Map<number, DiscountType>,
	options: OptimaMappingOptions = {},
): Discount | undefined {
	const o = { ...DEFAULTS, ...options };
	const typ = int(row, 'Rab_Typ');
	const meaning = typ === undefined ? undefined : types.get(typ);
	if (typ === undefined || !meaning) return undefined;
	const percent = sqlMoney(row.Rab_Rabat, 4);
	const cena = sqlMoney(row.Rab_Cena, o.priceDecimals);
	const isFixed = (percent === undefined || compareDecimal(percent, '0') === 0) && cena !== undefined;
	if (!isFixed && (percent === undefined || compareDecimal(percent, '0') === 0)) return undefined;
	const d: Discount = {
		...meaning,
		id: int(row, 'Rab_RabId') ?? 0,
		typ,
		currency: text(row, 'Rab_Waluta').toUpperCase() || 'PLN',
	};
	const subject = int(row, 'Rab_PodmiotId');
	if (subject) d.subjectId = subject;
	const goods = int(row, 'Rab_TwrId');
	if (goods) d.goodsId = goods;
	if (isFixed) d.fixedPrice = cena;
	else d.percent = stripTrailingZeros(percent as string);
	const from = sqlDate(row.Rab_DataOd);
	if (from) d.validFrom = from;
	const to = sqlDate(row.Rab_DataDo);
	if (to) d.validTo = to;
	return d;
}

/** Does discount `d` cover this product (by id, or its group id)? */
export function discountCoversProduct(d: Discount, productId: number, productGroupId: number | undefined): boolean {
	if (d.what === 'all') return true;
	if (d.what === 'product') return d.goodsId === productId;
	return productGroupId !== undefined && productGroupId !== 0 && d.goodsId === productGroupId;
}

/**
 * Which discount applies to a client on a product (order check): only those for this client, for a group (when
 * `groupId` is known) or for everyone; a fixed price beats any percentage [O15]; then the narrowest subject
 * (client > group > all) and the narrowest goods (product > group > all); then the highest Rab_RabId.
 * UNVERIFIED: Optima's own precedence between overlapping discounts.
 */
export function applicableDiscount(
	discounts: Discount[],
	client: { id: number; groupId?: number },
	product: { id: number; groupId?: number },
): Discount | undefined {
	const rankWho: Record<DiscountSubject, number> = { client: 0, group: 1, all: 2 };
	const rankWhat: Record<DiscountGoods, number> = { product: 0, productGroup: 1, all: 2 };
	const fits = discounts.filter(
		(d) =>
			(d.who === 'all' ||
				(d.who === 'client' && d.subjectId === client.id) ||
				(d.who === 'group' && client.groupId !== undefined && d.subjectId === client.groupId)) &&
			discountCoversProduct(d, product.id, product.groupId),
	);
	fits.sort(
		(a, b) =>
			Number(a.fixedPrice === undefined) - Number(b.fixedPrice === undefined) ||
			rankWho[a.who] - rankWho[b.who] ||
			rankWhat[a.what] - rankWhat[b.what] ||
			b.id - a.id,
	);
	return fits[0];
}

/** A base price with discount `d` applied: the fixed price (net), or the base less the percentage, rounded. */
export function discounted(
	base: { price: string; gross: boolean },
	d: Discount,
	decimals: number,
): { price: string; gross: boolean } {
	if (d.fixedPrice !== undefined) return { price: roundDecimal(d.fixedPrice, decimals), gross: false };
	const factor = divideDecimal(formatDecimal(subtractDecimal('100', d.percent ?? '0')), '100', 6);
	return {
		price: divideDecimal(formatDecimal(multiplyDecimal(base.price, factor)), '1', decimals, 'halfUp'),
		gross: base.gross,
	};
}

/** "rabat 5 % (Rab_Typ 2, Rab_RabId 7)" for the price check's `source`. */
export function discountSource(d: Discount): string {
	const what = d.fixedPrice !== undefined ? `fixed price ${d.fixedPrice}` : `less ${d.percent} %`;
	return `${what} (Rabaty: Rab_Typ ${d.typ}, Rab_RabId ${d.id})`;
}

/**
 * A discount of one client or group on one product → the canonical client / group price: the fixed price, or the
 * base list price less the percentage. `scopeCode`: the client's Knt_Kod, or the group's id (UNVERIFIED: which
 * table Rab_PodmiotId names for a group — the pack cannot name the group, see docs/optima-sql.md).
 */
export function discountToPrice(
	d: Discount,
	productCode: string,
	scopeCode: string,
	base: Price | undefined,
	options: OptimaMappingOptions = {},
): Price | undefined {
	const o = { ...DEFAULTS, ...options };
	if (d.who === 'all') return undefined;
	let value: { price: string; gross: boolean };
	let currency = d.currency;
	let vatRate: string | undefined;
	if (d.fixedPrice !== undefined) value = discounted({ price: '0', gross: false }, d, o.priceDecimals);
	else {
		const basePrice = base?.net ?? base?.gross;
		if (!base || basePrice === undefined) return undefined;
		value = discounted({ price: basePrice, gross: base.net === undefined }, d, o.priceDecimals);
		currency = base.currency;
	}
	if (base?.vatRate) vatRate = base.vatRate;
	const price: Price = {
		productCode,
		scope: d.who === 'client' ? 'client' : 'clientGroup',
		scopeCode,
		currency,
	};
	if (value.gross) price.gross = value.price;
	else price.net = value.price;
	if (vatRate) price.vatRate = vatRate;
	if (d.validFrom) price.validFrom = d.validFrom;
	if (d.validTo) price.validTo = d.validTo;
	return price;
}

// ---------------------------------------------------------------------------------------------------------------
// Stock, clients, order check

/** The current TwrIlosci snapshot of one product in one warehouse (or the total) → stock level. */
export function rowToStock(
	row: SqlRow,
	options: OptimaMappingOptions = {},
): StockLevel & { _belowZero?: Record<string, string> } {
	const o = { ...DEFAULTS, ...options };
	const productCode = required(row, 'Twr_Kod', 'stock');
	const total = row.TwI_MagId === null || row.TwI_MagId === undefined;
	const level: StockLevel & { _belowZero?: Record<string, string> } = {
		productCode,
		warehouseCode: total ? o.totalWarehouseCode : required(row, 'Mag_Symbol', `stock of ${productCode}`),
		onHand: quantity(row.TwI_Ilosc),
		reserved: quantity(row.TwI_Rezerwacje),
		available: '',
	};
	const incoming = row.TwI_Zamowienia;
	if (incoming !== null && incoming !== undefined) level.incoming = quantity(incoming);
	normaliseStock(level, true);
	return level;
}

/** The client's default price list (Knt_Ceny read as a DfC_DfCId or a DfC_Lp): its name and Lp. */
export function clientPriceList(row: SqlRow, key: ClientPriceKey): { name?: string; lp?: number } | undefined {
	if (row.Knt_Ceny === null || row.Knt_Ceny === undefined || row.Knt_Ceny === '') return undefined;
	const prefix = key === 'id' ? 'CenyId_' : 'CenyLp_';
	const lp = int(row, `${prefix}Lp`);
	const name = text(row, `${prefix}Nazwa`);
	if (lp === undefined && !name) return undefined;
	return { ...(name ? { name } : {}), ...(lp !== undefined ? { lp } : {}) };
}

/** CDN.Kontrahenci row → client. Knt_Nieaktywny → blocked (the portal's word for "do not sell"). */
export function rowToClient(row: SqlRow, options: OptimaMappingOptions = {}): Client {
	const o = { ...DEFAULTS, ...options };
	const code = required(row, 'Knt_Kod', 'client');
	const name = [text(row, 'Knt_Nazwa1'), text(row, 'Knt_Nazwa2')].filter(Boolean).join(' ') || code;
	const client: Client = { code, name, blocked: bool(row, 'Knt_Nieaktywny'), addresses: [] };
	const nip = text(row, 'Knt_Nip');
	if (nip) client.taxId = normaliseTaxId(nip);
	const email = text(row, 'Knt_Email');
	if (email) client.email = email;
	const phone = text(row, 'Knt_Telefon1');
	if (phone) client.phone = phone;
	const group = text(row, 'Knt_Grupa');
	if (group) client.priceGroup = group;
	const list = clientPriceList(row, o.clientPriceKey);
	if (list) client.priceListCode = list.name ?? String(list.lp);
	const street = [
		text(row, 'Knt_Ulica'),
		[text(row, 'Knt_NrDomu'), text(row, 'Knt_NrLokalu')].filter(Boolean).join('/'),
	]
		.filter(Boolean)
		.join(' ');
	const city = text(row, 'Knt_Miasto');
	const postalCode = text(row, 'Knt_KodPocztowy');
	if (street && city && postalCode) {
		const country = text(row, 'Knt_Kraj').toUpperCase();
		client.addresses.push({
			type: 'billing',
			name,
			street,
			postalCode,
			city,
			countryCode: /^[A-Z]{2}$/.test(country) ? country : o.defaultCountry.toUpperCase(),
		});
	}
	return client;
}

/** Why Optima will not sell to the client of an `orderClient` row (none = unknown); undefined = it will. */
export function orderClientProblem(row: SqlRow | undefined): ClientProblem | undefined {
	if (!row) return 'missing';
	return bool(row, 'Knt_Nieaktywny') ? 'inactive' : undefined;
}

/** Why Optima will not sell the product of an `orderProduct` row (none = unknown); undefined = it will. */
export function orderProductProblem(row: SqlRow | undefined): ProductProblem | undefined {
	if (!row) return 'missing';
	return bool(row, 'Twr_NieAktywny') ? 'inactive' : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Order status and invoices

/**
 * An RO with its newest WZ and FS → canonical order status (the values of nodes/shared/model):
 * TrN_Anulowany → 'cancelled'; an FS → 'invoiced'; a WZ → 'shipped'; in the buffer (TrN_Bufor = 1) → 'placed'
 * (Optima has the order but nobody confirmed it); otherwise → 'confirmed'. changedAt = the newest TrN_TS_Mod of
 * the three; erpDocumentNumber = the RO's full number; invoiceNumber / deliveryNumber when there are such.
 */
export function rowToOrderStatus(
	row: SqlRow,
	options: OptimaMappingOptions = {},
): OrderStatus & { invoiceNumber?: string; deliveryNumber?: string } {
	const o = { ...DEFAULTS, ...options };
	const orderNumber = required(row, 'TrN_NumerObcy', 'order');
	const roNumber = text(row, 'TrN_NumerPelny');
	const invoiced = row.FS_TrNID !== null && row.FS_TrNID !== undefined;
	const shipped = row.WZ_TrNID !== null && row.WZ_TrNID !== undefined;
	// the newest TrN_TS_Mod of the RO, its WZ and its FS (wall-clock values: the driver labels them UTC)
	const newest = [row.TrN_TS_Mod, row.WZ_TS_Mod, row.FS_TS_Mod]
		.filter((v) => v !== null && v !== undefined && v !== '')
		.map((v) => ({ v, ms: v instanceof Date ? v.getTime() : Date.parse(String(v)) }))
		.sort((a, b) => b.ms - a.ms)[0];
	const changedAt = sqlDateTime(newest ? newest.v : row.TrN_DataDok, o.timeZone);
	if (!changedAt) throw new OptimaMappingError(`order ${orderNumber}: no TrN_TS_Mod`);
	const status: OrderStatus & { invoiceNumber?: string; deliveryNumber?: string } = {
		orderNumber,
		status: bool(row, 'TrN_Anulowany')
			? 'cancelled'
			: invoiced
				? 'invoiced'
				: shipped
					? 'shipped'
					: bool(row, 'TrN_Bufor')
						? 'placed'
						: 'confirmed',
		changedAt,
	};
	if (roNumber) status.erpDocumentNumber = roNumber;
	if (status.status === 'cancelled')
		status.reason = `Rezerwacja odbiorcy ${roNumber || orderNumber} anulowana w Comarch ERP Optima`;
	if (invoiced && text(row, 'FS_NumerPelny')) status.invoiceNumber = text(row, 'FS_NumerPelny');
	if (shipped && text(row, 'WZ_NumerPelny')) status.deliveryNumber = text(row, 'WZ_NumerPelny');
	return status;
}

/** One invoice line (CDN.TraElem). */
export interface InvoiceLine {
	lineNo: number;
	productCode: string;
	quantity: string;
	unitPrice: string;
	discountPercent?: string;
	net: string;
}

export function rowToInvoiceLine(row: SqlRow, lineNo: number, options: OptimaMappingOptions = {}): InvoiceLine {
	const o = { ...DEFAULTS, ...options };
	const line: InvoiceLine = {
		lineNo,
		productCode: required(row, 'TrE_TwrKod', 'invoice line'),
		quantity: quantity(row.TrE_Ilosc),
		unitPrice: sqlMoney(row.TrE_CenaT ?? 0, o.priceDecimals) as string,
		net: roundDecimal(sqlMoney(row.TrE_WartoscNetto ?? 0, 4) as string, o.moneyDecimals),
	};
	const discount = sqlMoney(row.TrE_Rabat, 4);
	if (discount !== undefined && compareDecimal(discount, '0') !== 0)
		line.discountPercent = stripTrailingZeros(discount);
	return line;
}

/** FS row (+ its lines) → invoice; totals rounded to `moneyDecimals`, VAT = gross − net. */
export function rowToInvoice(
	row: SqlRow,
	lines: InvoiceLine[],
	options: OptimaMappingOptions = {},
): Invoice & { invoiceId: string; lines: InvoiceLine[] } {
	const o = { ...DEFAULTS, ...options };
	const number = required(row, 'TrN_NumerPelny', 'invoice');
	// the FS's TrN_TrNID: the bridge prints the PDF by it (Invoice → Download PDF reads `invoiceId`)
	const invoiceId = required(row, 'TrN_TrNID', `invoice ${number}`);
	const issueDate = sqlDate(row.TrN_DataWys) ?? sqlDate(row.TrN_DataDok);
	if (!issueDate) throw new OptimaMappingError(`invoice ${number}: no issue date (TrN_DataWys, TrN_DataDok)`);
	const net = roundDecimal(sqlMoney(row.TrN_RazemNetto ?? 0, 4) as string, o.moneyDecimals);
	const gross = roundDecimal(sqlMoney(row.TrN_RazemBrutto ?? 0, 4) as string, o.moneyDecimals);
	const invoice: Invoice & { invoiceId: string; lines: InvoiceLine[] } = {
		number,
		invoiceId,
		clientCode: required(row, 'Knt_Kod', `invoice ${number}`),
		issueDate,
		currency: 'PLN',
		totals: { net, vat: formatDecimal(subtractDecimal(gross, net)), gross },
		lines,
	};
	const orderNumber = text(row, 'RO_NumerObcy');
	if (orderNumber) invoice.orderNumber = orderNumber;
	return invoice;
}
