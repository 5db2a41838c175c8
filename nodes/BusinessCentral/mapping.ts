/**
 * Business Central records → the canonical model (nodes/shared/model): the only file that knows BC's field names.
 * API v2.0 entities (research erp-facts-wave2 §1 [S4]): items, customers, locations; our custom API's
 * `priceListLines` (table 7001) and `customerPricing`; the Item Card page (OData V4) for stock per location.
 *
 * BC sends money and quantities as JSON numbers: read through their shortest decimal text (129.99 stays "129.99")
 * and rounded by the node's rule (nodes/shared/model/decimal.ts), never summed as floats. A value that is not in its
 * shape is a BcValueError naming the record and the field — never a silent 0.
 * - items: `blocked` (boolean) → not active; `number` is the product code.
 * - customers: `blocked` is a string — " " (blank) = active; "Ship", "Invoice", "All" = blocked, kept as the reason.
 * - enum values come as BC writes them in JSON: XML-encoded names, "_x0020_" for the blank and for every space
 *   ("_x0020_", "In_x0020_Review", "All_x0020_Customers" — seen in public BC payloads); bcEnum() reads them back.
 * - price list lines: only status Active, asset type Item; source type All Customers → the price list every
 *   customer has (with the items' unit prices), Customer → the client, Customer Price Group → the client group;
 *   "0001-01-01" = no date; Price Includes VAT → gross; a Line Discount % is taken off the price (what the
 *   customer pays, and what Check Prices compares).
 */
import type { IDataObject } from 'n8n-workflow';
import { ErpValueError } from '../shared/model/valueError';
import {
	divideDecimal,
	formatDecimal,
	multiplyDecimal,
	parseDecimal,
	rescale,
	roundDecimal,
	stripTrailingZeros,
	subtractDecimal,
	type RoundingMode,
} from '../shared/model/decimal';
import { normaliseTaxId } from '../shared/model/nip';
import { normaliseStock } from '../shared/model/stock';
import { normaliseVatRate } from '../shared/model/vat';
import { ownValue } from '../shared/own';
import type { Client, Price, Product, StockLevel } from '../shared/model/types';

export interface MappingOptions {
	moneyDecimals?: number;
	rounding?: RoundingMode;
	/** BC tax group / VAT product posting group code → canonical rate, added to the built-in table */
	vatGroups?: Record<string, string>;
	/** currency of amounts BC leaves without one (its local currency, LCY) */
	localCurrency?: string;
	/** the portal price list of every customer: items' unit prices and All Customers lines go there */
	allCustomersList?: string;
}

/** A BC value that is not in its shape: names the record and the field. */
export class BcValueError extends ErpValueError {
	constructor(record: string, field: string, value: unknown, expected: string) {
		super('Business Central', record, field, value, expected);
		this.name = 'BcValueError';
	}
}

/** "item 1000", "customer K-01" in every error of a record */
function recordName(kind: string, r: IDataObject, key = 'number'): string {
	const code = r[key] ?? r.id;
	return code === undefined || code === null || code === '' ? kind : `${kind} ${String(code)}`;
}

/** A required code (number, No, code): non-empty text. */
function code(r: IDataObject, field: string, record: string): string {
	const v = r[field];
	if ((typeof v === 'string' && v.trim()) || typeof v === 'number') return String(v).trim();
	throw new BcValueError(record, field, v, 'a code');
}

/** A BC decimal (JSON number, or a numeric string) as exact decimal text. */
function decimal(v: unknown, record: string, field: string): string {
	if (typeof v === 'number' && Number.isFinite(v)) return formatDecimal(parseDecimal(v));
	if (typeof v === 'string' && /^-?\d+(?:\.\d+)?$/.test(v.trim())) return formatDecimal(parseDecimal(v.trim()));
	throw new BcValueError(record, field, v, 'a number');
}

/** A quantity in normal form: at most 4 decimals (half up), no trailing zeros. */
function quantity(v: unknown, record: string, field: string): string {
	if (typeof v === 'number' && Number.isSafeInteger(v)) return v === 0 ? '0' : String(v);
	return stripTrailingZeros(formatDecimal(rescale(parseDecimal(decimal(v, record, field)), 4, 'halfUp')));
}

function money(v: unknown, record: string, field: string, opts: MappingOptions): string {
	return roundDecimal(decimal(v, record, field), opts.moneyDecimals ?? 2, opts.rounding ?? 'halfUp');
}

/**
 * An enum value as BC writes it in JSON → its name: "_x0020_" → "" (blank), "In_x0020_Review" → "In Review",
 * "All_x0020_Customers" → "All Customers". BC encodes names the XML way (_xHHHH_ for every character a name may not
 * hold); a plain name passes unchanged.
 */
export function bcEnum(value: unknown): string {
	return String(value ?? '')
		.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
		.trim();
}

/** BC's empty date "0001-01-01" (and none) → undefined; a date-time is cut to the date. */
export function bcDate(v: unknown, record: string, field: string): string | undefined {
	if (v === undefined || v === null || v === '') return undefined;
	if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}(?:$|T)/.test(v))
		throw new BcValueError(record, field, v, 'a date (YYYY-MM-DD)');
	const date = v.slice(0, 10);
	return date === '0001-01-01' ? undefined : date;
}

/** Polish VAT as BC installations commonly name it (tax group / VAT product posting group codes). */
export const DEFAULT_VAT_GROUPS: Record<string, string> = {
	VAT23: '23',
	VAT8: '8',
	VAT5: '5',
	VAT0: '0',
	ZW: 'zw',
	NP: 'np',
	OO: 'oo',
	'23': '23',
	'8': '8',
	'5': '5',
	'0': '0',
};

export function vatRateOf(group: unknown, opts: MappingOptions = {}): string | undefined {
	if (typeof group !== 'string' || !group.trim()) return undefined;
	const g = group.trim();
	const table = { ...DEFAULT_VAT_GROUPS, ...(opts.vatGroups ?? {}) };
	// own keys only: a code named like an Object method ("constructor") is unknown, not a function
	const rate = ownValue(table, g) ?? ownValue(table, g.toUpperCase());
	return rate === undefined ? undefined : (normaliseVatRate(rate) ?? undefined);
}

/** the item fields the product read asks for ($select) */
export const ITEM_FIELDS = [
	'id',
	'number',
	'displayName',
	'displayName2',
	'type',
	'itemCategoryCode',
	'blocked',
	'gtin',
	'baseUnitOfMeasureCode',
	'taxGroupCode',
	'generalProductPostingGroupCode',
	'unitPrice',
	'priceIncludesTax',
	'lastModifiedDateTime',
];

/** An item → a product. `blocked: true` → not active. */
export function itemToProduct(item: IDataObject, opts: MappingOptions = {}): Product & IDataObject {
	const record = recordName('item', item);
	if (item.blocked !== undefined && typeof item.blocked !== 'boolean')
		throw new BcValueError(record, 'blocked', item.blocked, 'true or false');
	const product: Product & IDataObject = {
		code: code(item, 'number', record),
		name: String(item.displayName ?? ''),
		unit: String(item.baseUnitOfMeasureCode ?? '').trim() || 'szt.',
		vatRate: vatRateOf(item.taxGroupCode, opts) ?? vatRateOf(item.generalProductPostingGroupCode, opts) ?? '',
		active: item.blocked !== true,
	};
	if (typeof item.displayName2 === 'string' && item.displayName2.trim()) product.description = item.displayName2.trim();
	if (typeof item.gtin === 'string' && item.gtin.trim()) product.ean = item.gtin.trim();
	if (typeof item.itemCategoryCode === 'string' && item.itemCategoryCode.trim())
		product.attributes = { category: item.itemCategoryCode.trim() };
	if (typeof item.lastModifiedDateTime === 'string') product.updatedAt = item.lastModifiedDateTime;
	return product;
}

/**
 * An item's `unitPrice` (the item card's Unit Price: BC's price when no price list line applies) → a price on the
 * price list `listCode`, net or gross by `priceIncludesTax`. A zero price is none (undefined).
 */
export function itemToUnitPrice(item: IDataObject, listCode: string, opts: MappingOptions = {}): Price | undefined {
	const record = recordName('item', item);
	const amount = money(item.unitPrice ?? 0, record, 'unitPrice', opts);
	if (Number(amount) === 0) return undefined;
	const price: Price = {
		productCode: code(item, 'number', record),
		scope: 'priceList',
		scopeCode: listCode,
		currency: opts.localCurrency ?? 'PLN',
	};
	if (item.priceIncludesTax === true) price.gross = amount;
	else price.net = amount;
	const vat = vatRateOf(item.taxGroupCode, opts) ?? vatRateOf(item.generalProductPostingGroupCode, opts);
	if (vat) price.vatRate = vat;
	return price;
}

export type PriceLineSkip = 'notActive' | 'notItem' | 'otherSource' | 'discountOnly' | 'zero' | 'impossiblePeriod';

/**
 * A price list line of our custom API → a canonical price, or why it is left out. Source types: "All Customers" →
 * the price list every customer has (`allCustomersList`, where the items' unit prices go too: BC applies those lines
 * to everyone), "Customer" → the client (`sourceNo`), "Customer Price Group" → the client group.
 * Minimum quantity > 1 → a quantity break; starting / ending dates → validity ("0001-01-01" = none).
 */
export function priceListLineToPrice(line: IDataObject, opts: MappingOptions = {}): Price | { skip: PriceLineSkip } {
	const record = `price list line ${String(line.priceListCode ?? '')}/${String(line.assetNo ?? line.id ?? '')}`;
	if (bcEnum(line.status) !== 'Active') return { skip: 'notActive' };
	if (bcEnum(line.assetType) !== 'Item') return { skip: 'notItem' };
	const source = bcEnum(line.sourceType);
	let scope: Price['scope'];
	let scopeCode: string;
	if (source === 'All Customers') {
		scope = 'priceList';
		scopeCode = opts.allCustomersList || 'BASE';
	} else if (source === 'Customer') {
		scope = 'client';
		scopeCode = code(line, 'sourceNo', record);
	} else if (source === 'Customer Price Group') {
		scope = 'clientGroup';
		scopeCode = code(line, 'sourceNo', record);
	} else return { skip: 'otherSource' };
	const listed = decimal(line.unitPrice ?? 0, record, 'unitPrice');
	const discount = decimal(line.lineDiscountPercent ?? 0, record, 'lineDiscountPercent');
	if (Number(listed) === 0) return { skip: Number(discount) > 0 ? 'discountOnly' : 'zero' };
	if (Number(discount) < 0 || Number(discount) > 100)
		throw new BcValueError(record, 'lineDiscountPercent', line.lineDiscountPercent, 'a percentage from 0 to 100');
	// the price the customer pays: BC takes the line's discount off its unit price on the sales line
	const amount =
		Number(discount) === 0
			? money(listed, record, 'unitPrice', opts)
			: divideDecimal(
					formatDecimal(multiplyDecimal(listed, formatDecimal(subtractDecimal('100', discount)))),
					'100',
					opts.moneyDecimals ?? 2,
					opts.rounding ?? 'halfUp',
				);
	if (line.priceIncludesVAT !== undefined && typeof line.priceIncludesVAT !== 'boolean')
		throw new BcValueError(record, 'priceIncludesVAT', line.priceIncludesVAT, 'true or false');
	const currency = String(line.currencyCode ?? '').trim() || opts.localCurrency || 'PLN';
	if (!/^[A-Z]{3}$/.test(currency))
		throw new BcValueError(record, 'currencyCode', line.currencyCode, 'a currency code');
	const price: Price = {
		productCode: code(line, 'assetNo', record),
		scope,
		scopeCode,
		currency,
	};
	if (line.priceIncludesVAT === true) price.gross = amount;
	else price.net = amount;
	const min = quantity(line.minimumQuantity ?? 0, record, 'minimumQuantity');
	if (Number(min) > 1) price.minQuantity = min;
	const from = bcDate(line.startingDate, record, 'startingDate');
	const to = bcDate(line.endingDate, record, 'endingDate');
	if (from) price.validFrom = from;
	if (to) price.validTo = to;
	if (from && to && to < from) return { skip: 'impossiblePeriod' };
	return price;
}

/** The key a price has in the portal (product, scope, scope code, currency, quantity break, start). */
export function priceKey(p: Price): string {
	return [p.productCode, p.scope, p.scopeCode, p.currency, p.minQuantity ?? '1', p.validFrom ?? ''].join('\u001f');
}

/** the customer fields the client read asks for ($select) */
export const CUSTOMER_FIELDS = [
	'id',
	'number',
	'displayName',
	'addressLine1',
	'addressLine2',
	'city',
	'country',
	'postalCode',
	'phoneNumber',
	'email',
	'taxRegistrationNumber',
	'currencyCode',
	'creditLimit',
	'blocked',
	'lastModifiedDateTime',
];

const BLOCKED = ['Ship', 'Invoice', 'All'];

/**
 * A customer → a client. `blocked` " " (or empty) = active; "Ship" / "Invoice" / "All" = blocked, with BC's word
 * in `blockedReason` (Ship: no shipments; Invoice: no invoices; All: nothing). `pricing` is the customer's row of our
 * custom API (`customerPriceGroup`), when read.
 */
export function customerToClient(c: IDataObject, pricing?: IDataObject): Client & IDataObject {
	const record = recordName('customer', c);
	const blocked = typeof c.blocked === 'string' ? bcEnum(c.blocked) : c.blocked;
	if (blocked !== undefined && blocked !== '' && !(typeof blocked === 'string' && BLOCKED.includes(blocked)))
		throw new BcValueError(record, 'blocked', c.blocked, '" ", "Ship", "Invoice" or "All"');
	const client: Client & IDataObject = {
		code: code(c, 'number', record),
		name: String(c.displayName ?? ''),
		blocked: typeof blocked === 'string' && blocked !== '',
		addresses: [],
	};
	if (client.blocked) client.blockedReason = blocked as string;
	const street = [c.addressLine1, c.addressLine2]
		.map((v) => String(v ?? '').trim())
		.filter(Boolean)
		.join(' ');
	if (street || c.city)
		client.addresses.push({
			type: 'billing',
			street: street || '-',
			postalCode: String(c.postalCode ?? '').trim() || '-',
			city: String(c.city ?? '').trim() || '-',
			countryCode:
				String(c.country ?? '')
					.trim()
					.toUpperCase() || 'PL',
		});
	if (typeof c.taxRegistrationNumber === 'string' && c.taxRegistrationNumber.trim())
		client.taxId = normaliseTaxId(c.taxRegistrationNumber);
	if (typeof c.email === 'string' && c.email.trim()) client.email = c.email.trim();
	if (typeof c.phoneNumber === 'string' && c.phoneNumber.trim()) client.phone = c.phoneNumber.trim();
	if (typeof c.currencyCode === 'string' && /^[A-Z]{3}$/.test(c.currencyCode.trim()))
		client.currency = c.currencyCode.trim();
	if (c.creditLimit !== undefined && c.creditLimit !== null) {
		const limit = money(c.creditLimit, record, 'creditLimit', {});
		if (Number(limit) > 0) client.creditLimit = limit;
	}
	const group = pricing?.customerPriceGroup;
	if (typeof group === 'string' && group.trim()) client.priceGroup = group.trim();
	return client;
}

/** An item's one inventory total (`items.inventory`) → a stock level in the warehouse `warehouseCode`. */
export function itemToStockTotal(item: IDataObject, warehouseCode: string): StockLevel & IDataObject {
	const record = recordName('item', item);
	const level = {
		productCode: code(item, 'number', record),
		warehouseCode,
		onHand: quantity(item.inventory ?? 0, record, 'inventory'),
		reserved: '0',
		available: '',
	};
	normaliseStock(level, true);
	return level;
}

/** A row of the Item Card page read with `Location_Filter` → the stock level at that location. */
export function itemCardToStock(row: IDataObject, location: string): StockLevel & IDataObject {
	const record = recordName('Item Card row', row, 'No');
	const level = {
		productCode: code(row, 'No', record),
		warehouseCode: location,
		onHand: quantity(row.Inventory ?? 0, record, 'Inventory'),
		reserved: '0',
		available: '',
	};
	normaliseStock(level, true);
	return level;
}

export interface Warehouse extends IDataObject {
	code: string;
	name: string;
}

/** A location → a warehouse {code, name}. */
export function locationToWarehouse(l: IDataObject): Warehouse {
	const record = recordName('location', l, 'code');
	return { code: code(l, 'code', record), name: String(l.displayName ?? '') };
}
