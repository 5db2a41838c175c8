/**
 * SAP Business One records → the canonical model (nodes/shared/model), and a canonical order → an SAP
 * sales order. The ERP's ItemCode / CardCode is the key; nothing else is invented. SAP sends numbers as
 * JSON numbers: they are read through their shortest decimal text (129.99 stays "129.99") and rounded by
 * the configured rule, never summed as floats.
 */
import { ownValue } from '../shared/own';
import type { IDataObject } from 'n8n-workflow';
import {
	formatDecimal,
	parseDecimal,
	rescale,
	roundDecimal,
	subtractDecimal,
	type RoundingMode,
	stripTrailingZeros,
} from '../shared/model/decimal';
import { normaliseTaxId } from '../shared/model/nip';
import { normaliseStock } from '../shared/model/stock';
import { wallClockToIso } from '../shared/time';
import type { Client, Invoice, Order, OrderStatusCode, Price, Product, StockLevel } from '../shared/model/types';

/** Polish localisation VAT groups → canonical rate; extendable per install through the node option. */
export const DEFAULT_VAT_GROUPS: Record<string, string> = {
	S23: '23',
	S8: '8',
	S5: '5',
	S0: '0',
	SZW: 'zw',
	SNP: 'np',
	SOO: 'oo',
	A23: '23',
	A8: '8',
	A5: '5',
	A0: '0',
	AZW: 'zw',
};

export interface MappingOptions {
	/** the SAP server's time zone: UpdateDate/UpdateTime are its local time (credential field) */
	timeZone?: string;
	vatGroups?: Record<string, string>;
	moneyDecimals?: number;
	rounding?: RoundingMode;
}

const yes = (v: unknown) => v === 'tYES' || v === true;

/** SAP v1 "2026-11-26" or v2 "2026-11-26T00:00:00Z" → "2026-11-26" */
export function sapDate(v: unknown): string | undefined {
	return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : undefined;
}

/** "HH:MM" or "HH:MM:SS" → "HH:MM:SS" */
export function sapTime(v: unknown): string {
	const text = typeof v === 'string' ? v.trim() : '';
	if (/^\d{2}:\d{2}:\d{2}$/.test(text)) return text;
	if (/^\d{2}:\d{2}$/.test(text)) return `${text}:00`;
	return '00:00:00';
}

/** The server-local stamp of a record: "2026-11-26 10:15:00" (sortable, used as delta cursor). */
export function updateStamp(r: IDataObject, dateField = 'UpdateDate', timeField = 'UpdateTime'): string | undefined {
	const d = sapDate(r[dateField]);
	return d ? `${d} ${sapTime(r[timeField])}` : undefined;
}

/** A quantity in normal form: at most 4 decimals (half up), no trailing zeros, "-" only before a non-zero. */
function quantity(v: unknown): string {
	// SAP sends quantities as JSON numbers; a whole one is already in normal form (most stock figures)
	if (typeof v === 'number' && Number.isSafeInteger(v)) return v === 0 ? '0' : String(v);
	const d = parseDecimal(typeof v === 'number' || typeof v === 'string' ? v : 0);
	const text = formatDecimal(rescale(d, 4, 'halfUp'));
	return stripTrailingZeros(text);
}

function vatRate(group: unknown, opts: MappingOptions): string | undefined {
	if (typeof group !== 'string' || !group) return undefined;
	const table = { ...DEFAULT_VAT_GROUPS, ...(opts.vatGroups ?? {}) };
	// own keys only: a VAT group named like an Object method ("constructor") is unknown, not a function
	return ownValue(table, group) ?? ownValue(table, group.toUpperCase());
}

export function itemToProduct(item: IDataObject, opts: MappingOptions = {}): Product & IDataObject {
	const stamp = updateStamp(item);
	const product: Product & IDataObject = {
		code: String(item.ItemCode),
		name: String(item.ItemName ?? ''),
		unit: (item.SalesUnit as string) || (item.InventoryUOM as string) || 'szt.',
		vatRate: vatRate(item.SalesVATGroup, opts) ?? '',
		active: yes(item.Valid ?? 'tYES') && !yes(item.Frozen),
	};
	if (item.ForeignName) product.description = String(item.ForeignName);
	if (item.BarCode) product.ean = String(item.BarCode);
	if (stamp) product.updatedAt = localStampToIso(stamp, opts.timeZone);
	return product;
}

/**
 * Stock per warehouse. Canonical `available` is what can be promised now: in stock minus committed; SAP's
 * `Ordered` (incoming from purchase orders) is kept as `incoming`. Figures below zero (SAP allows negative
 * inventory): the one rule of shared/model/stock.ts, the level then carries `_belowZero`.
 */
/** An item's Picture (a file name in the pictures folder) as the source of its main image; none when empty. */
export function pictureOf(item: IDataObject): { productCode: string; position: number; fileName: string } | undefined {
	const fileName = typeof item.Picture === 'string' ? item.Picture.trim() : '';
	if (!fileName) return undefined;
	return { productCode: String(item.ItemCode), position: 0, fileName };
}

export function itemToStock(item: IDataObject, warehouses?: string[]): Array<StockLevel & IDataObject> {
	const rows = (item.ItemWarehouseInfoCollection as IDataObject[] | undefined) ?? [];
	return rows
		.filter((w) => !warehouses?.length || warehouses.includes(String(w.WarehouseCode)))
		.map((w) => {
			const level = {
				productCode: String(item.ItemCode),
				warehouseCode: String(w.WarehouseCode),
				onHand: quantity(w.InStock ?? 0),
				reserved: quantity(w.Committed ?? 0),
				available: '',
				incoming: quantity(w.Ordered ?? 0),
			};
			normaliseStock(level, true);
			return level;
		});
}

export interface PriceListInfo {
	PriceListNo: number;
	IsGrossPrice?: string;
	DefaultPrimeCurrency?: string;
}

/** Price-list prices of one item read alone (list reads return ItemPrices empty). Zero prices are skipped. */
export function itemToPrices(
	item: IDataObject,
	lists: Map<number, PriceListInfo>,
	opts: MappingOptions & { priceLists?: number[] } = {},
): Price[] {
	const out: Price[] = [];
	for (const p of (item.ItemPrices as IDataObject[] | undefined) ?? []) {
		const listNo = Number(p.PriceList);
		if (opts.priceLists?.length && !opts.priceLists.includes(listNo)) continue;
		if (p.Price === null || p.Price === undefined || Number(p.Price) === 0) continue;
		const list = lists.get(listNo);
		const amount = roundDecimal(p.Price as number, opts.moneyDecimals ?? 2, opts.rounding ?? 'halfUp');
		const price: Price = {
			productCode: String(item.ItemCode),
			scope: 'priceList',
			scopeCode: String(listNo),
			currency: (p.Currency as string) || list?.DefaultPrimeCurrency || 'PLN',
		};
		if (yes(list?.IsGrossPrice)) price.gross = amount;
		else price.net = amount;
		const vat = vatRate(item.SalesVATGroup, opts);
		if (vat) price.vatRate = vat;
		out.push(price);
	}
	return out;
}

/**
 * Special prices (SAP "period and volume discounts" per business partner). A row for `*N` applies to every
 * partner on price list N and becomes a price-list price; a row for a partner becomes a client price. Date
 * areas become validity periods; quantity areas become quantity breaks.
 */
export function specialPriceToPrices(
	sp: IDataObject,
	lists: Map<number, PriceListInfo>,
	opts: MappingOptions = {},
): Price[] {
	if (!yes(sp.Valid ?? 'tYES')) return [];
	const card = String(sp.CardCode);
	const all = /^\*(\d+)$/.exec(card);
	const scope: Price['scope'] = all ? 'priceList' : 'client';
	const scopeCode = all ? all[1] : card;
	const listNo = all ? Number(all[1]) : Number(sp.PriceListNum);
	const gross = yes(lists.get(listNo)?.IsGrossPrice);
	const money = (v: unknown) => roundDecimal(v as number, opts.moneyDecimals ?? 2, opts.rounding ?? 'halfUp');
	// a period that ends before it starts can never apply (SAP accepts such rows): leave it out
	const impossible = (v: Partial<Price>) =>
		v.validFrom !== undefined && v.validTo !== undefined && v.validTo < v.validFrom;
	const make = (amount: unknown, currency: unknown, extra: Partial<Price>): Price => ({
		productCode: String(sp.ItemCode),
		scope,
		scopeCode,
		currency: (currency as string) || (sp.Currency as string) || 'PLN',
		...(gross ? { gross: money(amount) } : { net: money(amount) }),
		...extra,
	});
	const areas = (sp.SpecialPriceDataAreas as IDataObject[] | undefined) ?? [];
	if (!areas.length) {
		const validity: Partial<Price> = {};
		if (sapDate(sp.ValidFrom)) validity.validFrom = sapDate(sp.ValidFrom);
		if (sapDate(sp.ValidTo)) validity.validTo = sapDate(sp.ValidTo);
		return impossible(validity) ? [] : [make(sp.Price, sp.Currency, validity)];
	}
	const out: Price[] = [];
	for (const area of areas) {
		const validity: Partial<Price> = {};
		if (sapDate(area.DateFrom)) validity.validFrom = sapDate(area.DateFrom);
		if (sapDate(area.Dateto)) validity.validTo = sapDate(area.Dateto);
		if (impossible(validity)) continue;
		out.push(make(area.SpecialPrice, area.PriceCurrency, validity));
		for (const q of (area.SpecialPriceQuantityAreas as IDataObject[] | undefined) ?? []) {
			if (!(Number(q.Quantity) > 1)) continue;
			out.push(
				make(q.SpecialPrice, q.PriceCurrency ?? area.PriceCurrency, { ...validity, minQuantity: quantity(q.Quantity) }),
			);
		}
	}
	return out;
}

export function businessPartnerToClient(bp: IDataObject, paymentTermsDays?: Map<number, number>): Client & IDataObject {
	const addresses = ((bp.BPAddresses as IDataObject[] | undefined) ?? [])
		.filter((a) => a.Street || a.City)
		.map((a) => ({
			type: a.AddressType === 'bo_ShipTo' ? ('shipping' as const) : ('billing' as const),
			...(a.AddressName ? { name: String(a.AddressName) } : {}),
			street: [a.Street, a.StreetNo].filter(Boolean).join(' ') || '-',
			postalCode: String(a.ZipCode ?? '') || '-',
			city: String(a.City ?? '') || '-',
			countryCode: String(a.Country ?? 'PL') || 'PL',
		}));
	const client: Client & IDataObject = {
		code: String(bp.CardCode),
		name: String(bp.CardName ?? ''),
		blocked: yes(bp.Frozen) || bp.Valid === 'tNO',
		addresses,
	};
	if (bp.FederalTaxID) client.taxId = normaliseTaxId(String(bp.FederalTaxID));
	if (bp.EmailAddress) client.email = String(bp.EmailAddress).trim();
	if (bp.Phone1) client.phone = String(bp.Phone1);
	if (bp.PriceListNum !== undefined && bp.PriceListNum !== null) client.priceListCode = String(bp.PriceListNum);
	if (bp.GroupCode !== undefined && bp.GroupCode !== null) client.priceGroup = String(bp.GroupCode);
	const days = paymentTermsDays?.get(Number(bp.PayTermsGrpCode));
	if (days !== undefined) client.paymentTermsDays = days;
	if (typeof bp.CreditLimit === 'number' && bp.CreditLimit > 0) client.creditLimit = roundDecimal(bp.CreditLimit);
	if (typeof bp.Currency === 'string' && /^[A-Z]{3}$/.test(bp.Currency)) client.currency = bp.Currency;
	return client;
}

export interface OrderMappingOptions extends MappingOptions {
	/** days from the order date to the delivery date (SAP requires DocDueDate) */
	dueInDays?: number;
	/** warehouse for lines without one */
	defaultWarehouse?: string;
	/** canonical rate → SAP VAT group, the reverse of vatGroups */
	vatGroupForRate?: Record<string, string>;
}

/** A canonical order → the body of POST /Orders. The portal number goes into NumAtCard. */
export function orderToSapOrder(order: Order, opts: OrderMappingOptions = {}): IDataObject {
	const date = order.placedAt.slice(0, 10);
	const due = new Date(`${date}T00:00:00Z`);
	due.setUTCDate(due.getUTCDate() + (opts.dueInDays ?? 7));
	const reverse: Record<string, string> = { ...opts.vatGroupForRate };
	const lines = order.lines.map((line) => {
		const l: IDataObject = {
			ItemCode: line.productCode,
			Quantity: Number(line.quantity),
		};
		if (order.priceType === 'gross') l.PriceAfterVAT = Number(line.unitPrice);
		else l.UnitPrice = Number(line.unitPrice);
		if (line.discountPercent) l.DiscountPercent = Number(line.discountPercent);
		const wh = line.warehouseCode ?? opts.defaultWarehouse;
		if (wh) l.WarehouseCode = wh;
		const group = reverse[line.vatRate];
		if (group) l.VatGroup = group;
		return l;
	});
	const body: IDataObject = {
		CardCode: order.clientCode,
		NumAtCard: order.number,
		DocDate: date,
		DocDueDate: due.toISOString().slice(0, 10),
		DocumentLines: lines,
	};
	if (order.notes) body.Comments = order.notes.slice(0, 254);
	return body;
}

/** Canonical status of a sales order from the order and the documents made from it. */
export function orderStatusOf(order: IDataObject, deliveries: IDataObject[], invoices: IDataObject[]): OrderStatusCode {
	if (yes(order.Cancelled)) return 'cancelled';
	if (invoices.some((i) => !yes(i.Cancelled))) return 'invoiced';
	if (deliveries.some((d) => !yes(d.Cancelled))) return 'shipped';
	return 'confirmed';
}

export function invoiceToCanonical(
	inv: IDataObject,
	opts: MappingOptions & { numberPrefix?: string } = {},
): Invoice & IDataObject {
	const gross = roundDecimal(inv.DocTotal as number, opts.moneyDecimals ?? 2, opts.rounding ?? 'halfUp');
	const vat = roundDecimal((inv.VatSum as number) ?? 0, opts.moneyDecimals ?? 2, opts.rounding ?? 'halfUp');
	const invoice: Invoice & IDataObject = {
		number: `${opts.numberPrefix ?? ''}${String(inv.DocNum)}`,
		clientCode: String(inv.CardCode),
		issueDate: sapDate(inv.DocDate) ?? '',
		currency: (inv.DocCurrency as string) || 'PLN',
		totals: { net: formatDecimal(subtractDecimal(gross, vat)), vat, gross },
		docEntry: inv.DocEntry as number,
	};
	if (inv.NumAtCard) invoice.orderNumber = String(inv.NumAtCard);
	if (sapDate(inv.DocDueDate)) invoice.dueDate = sapDate(inv.DocDueDate);
	return invoice;
}

/**
 * SAP stores UpdateDate/UpdateTime in the server's local time without a zone. "2026-07-01 10:15:00" in
 * Europe/Warsaw → "2026-07-01T10:15:00+02:00" (an unknown zone falls back to UTC, marked "Z").
 */
export function localStampToIso(stamp: string, timeZone = 'Europe/Warsaw'): string {
	const [date, time = '00:00:00'] = stamp.split(' ');
	const [year, month, day] = date.split('-').map(Number);
	const [hour, minute, second] = time.split(':').map(Number);
	try {
		return wallClockToIso({ year, month, day, hour, minute, second: second || 0 }, timeZone);
	} catch {
		return `${date}T${time}Z`;
	}
}
