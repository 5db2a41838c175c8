/**
 * Validation and normalisation of canonical records. One field table per entity (FIELDS below) drives
 * both the check and the normal form, and a unit test holds docs/portal-api.yaml to the same table,
 * so the node and the portal contract cannot drift apart.
 */
import { compareDecimal, formatDecimal, parseDecimal, rescale, stripTrailingZeros, type RoundingMode } from './decimal';
import { DEFAULT_ORDER_VAT_RATES, normaliseVatRate } from './vat';
import type { EntityMap, EntityName } from './types';
import { setOwn } from '../own';

export interface ValidationIssue {
	/** dotted path inside the record, e.g. "lines[2].quantity" */
	field: string;
	message: string;
	/** a rule with its own wording for the client: "vatRateNotAllowed" (a valid rate the ERP does not take) */
	code?: 'vatRateNotAllowed';
}

export interface NormaliseOptions {
	/** decimal places of money amounts and prices (2 = grosz) */
	moneyDecimals?: number;
	rounding?: RoundingMode;
	/**
	 * The VAT rates (canonical form: "23", "zw") an order line may carry; any other valid rate refuses the order.
	 * Default DEFAULT_ORDER_VAT_RATES (23, 8, 5, 0, zw, np, oo); nodes pass their "Allowed VAT Rates" option.
	 */
	orderVatRates?: readonly string[];
}

type Kind =
	| { t: 'code' }
	| { t: 'text'; max?: number }
	| { t: 'money'; min?: 'nonNegative' }
	| { t: 'quantity'; min?: 'nonNegative' | 'positive' }
	| { t: 'int'; min?: number; max?: number }
	| { t: 'bool' }
	| { t: 'date' }
	| { t: 'datetime' }
	| { t: 'enum'; values: readonly string[] }
	| { t: 'vat' }
	| { t: 'currency' }
	| { t: 'countryCode' }
	| { t: 'email' }
	| { t: 'stringMap' }
	| { t: 'countMap' }
	| { t: 'object'; fields: FieldTable }
	| { t: 'array'; of: FieldTable; minItems?: number };

export interface FieldSpec {
	kind: Kind;
	required?: boolean;
	/** value used when the field is absent */
	default?: unknown;
}

export type FieldTable = Record<string, FieldSpec>;

const req = (kind: Kind, extra: Partial<FieldSpec> = {}): FieldSpec => ({ kind, required: true, ...extra });
const opt = (kind: Kind, extra: Partial<FieldSpec> = {}): FieldSpec => ({ kind, ...extra });

const ADDRESS: FieldTable = {
	type: req({ t: 'enum', values: ['billing', 'shipping'] }),
	name: opt({ t: 'text', max: 250 }),
	street: req({ t: 'text', max: 250 }),
	postalCode: req({ t: 'text', max: 20 }),
	city: req({ t: 'text', max: 100 }),
	countryCode: req({ t: 'countryCode' }),
};

const TOTALS: FieldTable = {
	net: req({ t: 'money' }),
	vat: req({ t: 'money' }),
	gross: req({ t: 'money' }),
};

export const ORDER_STATUSES = ['placed', 'confirmed', 'shipped', 'invoiced', 'cancelled', 'rejected'] as const;

const PRODUCT: FieldTable = {
	code: req({ t: 'code' }),
	name: req({ t: 'text', max: 500 }),
	description: opt({ t: 'text', max: 100000 }),
	ean: opt({ t: 'text', max: 50 }),
	unit: req({ t: 'text', max: 20 }, { default: 'szt.' }),
	vatRate: req({ t: 'vat' }, { default: '23' }),
	active: req({ t: 'bool' }, { default: true }),
	attributes: opt({ t: 'stringMap' }),
	updatedAt: opt({ t: 'datetime' }),
};

const PRICE: FieldTable = {
	productCode: req({ t: 'code' }),
	scope: req({ t: 'enum', values: ['priceList', 'clientGroup', 'client'] }),
	scopeCode: req({ t: 'code' }),
	currency: req({ t: 'currency' }, { default: 'PLN' }),
	net: opt({ t: 'money', min: 'nonNegative' }),
	gross: opt({ t: 'money', min: 'nonNegative' }),
	vatRate: opt({ t: 'vat' }),
	minQuantity: opt({ t: 'quantity', min: 'positive' }),
	validFrom: opt({ t: 'date' }),
	validTo: opt({ t: 'date' }),
};

const CLIENT: FieldTable = {
	code: req({ t: 'code' }),
	name: req({ t: 'text', max: 500 }),
	taxId: opt({ t: 'text', max: 30 }),
	email: opt({ t: 'email' }),
	phone: opt({ t: 'text', max: 50 }),
	priceGroup: opt({ t: 'code' }),
	priceListCode: opt({ t: 'code' }),
	paymentTermsDays: opt({ t: 'int', min: 0, max: 3650 }),
	paymentMethod: opt({ t: 'text', max: 100 }),
	creditLimit: opt({ t: 'money', min: 'nonNegative' }),
	currency: opt({ t: 'currency' }),
	blocked: req({ t: 'bool' }, { default: false }),
	addresses: req({ t: 'array', of: ADDRESS }, { default: [] }),
};

/** the fields of a price's key (docs/portal-api.yaml PriceKey), checked as the upsert checks them */
export const PRICE_KEY_FIELDS = ['productCode', 'scope', 'scopeCode', 'currency', 'minQuantity', 'validFrom'] as const;

/**
 * A partial update: the key stays required, every other field is optional with no default — a default would
 * overwrite what the portal holds (an absent `active` must not become true, an absent `blocked` false).
 */
function partialOf(table: FieldTable, key: string): FieldTable {
	const out: FieldTable = {};
	for (const [name, spec] of Object.entries(table)) out[name] = name === key ? spec : { kind: spec.kind };
	return out;
}

/** the partial updates (PATCH /v1/products/batch, /v1/clients/batch) and the change a delta deletion sends */
const PATCH_EXAMPLE: Partial<Record<EntityName, string>> = {
	productPatch: '"active": false',
	clientPatch: '"blocked": true',
};

export const FIELDS: Record<EntityName, FieldTable> = {
	product: PRODUCT,
	productPatch: partialOf(PRODUCT, 'code'),
	productImage: {
		productCode: req({ t: 'code' }),
		position: req({ t: 'int', min: 0, max: 1000 }, { default: 0 }),
		fileName: req({ t: 'text', max: 255 }),
		contentType: req({ t: 'enum', values: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] }),
		url: opt({ t: 'text', max: 2000 }),
		dataBase64: opt({ t: 'text', max: 20_000_000 }),
		contentHash: opt({ t: 'text', max: 64 }),
	},
	price: PRICE,
	// the currency default is the upsert's: a price sent without currency was stored under PLN
	priceKey: Object.fromEntries(PRICE_KEY_FIELDS.map((f) => [f, PRICE[f]])),
	stock: {
		productCode: req({ t: 'code' }),
		warehouseCode: req({ t: 'code' }),
		onHand: req({ t: 'quantity', min: 'nonNegative' }),
		reserved: req({ t: 'quantity', min: 'nonNegative' }, { default: '0' }),
		available: req({ t: 'quantity', min: 'nonNegative' }),
		incoming: opt({ t: 'quantity', min: 'nonNegative' }),
		updatedAt: opt({ t: 'datetime' }),
	},
	client: CLIENT,
	clientPatch: partialOf(CLIENT, 'code'),
	order: {
		number: req({ t: 'code' }),
		clientCode: req({ t: 'code' }),
		placedAt: req({ t: 'datetime' }),
		currency: req({ t: 'currency' }, { default: 'PLN' }),
		priceType: req({ t: 'enum', values: ['net', 'gross'] }, { default: 'net' }),
		lines: req({
			t: 'array',
			minItems: 1,
			of: {
				lineNo: req({ t: 'int', min: 1 }),
				productCode: req({ t: 'code' }),
				quantity: req({ t: 'quantity', min: 'positive' }),
				unit: opt({ t: 'text', max: 20 }),
				unitPrice: req({ t: 'money', min: 'nonNegative' }),
				vatRate: req({ t: 'vat' }),
				discountPercent: opt({ t: 'quantity', min: 'nonNegative' }),
				warehouseCode: opt({ t: 'code' }),
			},
		}),
		totals: opt({ t: 'object', fields: TOTALS }),
		shippingAddress: opt({ t: 'object', fields: ADDRESS }),
		notes: opt({ t: 'text', max: 5000 }),
		status: opt({ t: 'enum', values: ORDER_STATUSES }),
		erpDocumentNumber: opt({ t: 'text', max: 100 }),
		erpDocumentId: opt({ t: 'text', max: 100 }),
	},
	orderStatus: {
		orderNumber: req({ t: 'code' }),
		status: req({ t: 'enum', values: ORDER_STATUSES }),
		reason: opt({ t: 'text', max: 2000 }),
		erpDocumentNumber: opt({ t: 'text', max: 100 }),
		trackingNumber: opt({ t: 'text', max: 100 }),
		changedAt: req({ t: 'datetime' }),
	},
	invoice: {
		number: req({ t: 'code' }),
		orderNumber: opt({ t: 'code' }),
		clientCode: req({ t: 'code' }),
		issueDate: req({ t: 'date' }),
		dueDate: opt({ t: 'date' }),
		currency: req({ t: 'currency' }, { default: 'PLN' }),
		totals: req({ t: 'object', fields: TOTALS }),
		pdfBinaryProperty: opt({ t: 'text', max: 100 }),
	},
	syncStatus: {
		flow: req({ t: 'text', max: 200 }),
		status: req({ t: 'enum', values: ['success', 'failure'] }),
		startedAt: req({ t: 'datetime' }),
		finishedAt: req({ t: 'datetime' }),
		counts: opt({ t: 'countMap' }),
		expectedEveryMinutes: opt({ t: 'int', min: 1 }),
		message: opt({ t: 'text', max: 5000 }),
	},
};

// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL_CHARS = /[\u0000-\u001f]/;
/** a non-negative quantity with at most 4 decimals, no leading or trailing zeros: normal already */
const NORMAL_QUANTITY = /^(?:0|[1-9]\d{0,14})(?:\.\d{0,3}[1-9])?$/;
const lastDatetime: { in?: string; out?: string } = {};
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const QUANTITY_DECIMALS = 4;

/**
 * local@domain.tld: one "@", no white space, something before it, a dot inside the domain. Written out rather than
 * as /^[^\s@]+@[^\s@]+\.[^\s@]+$/, which backtracks over every dot of a long field (quadratic: a 40,000-character
 * field took 0.4 s, and a 50 MB file allows far longer).
 */
export function isEmailAddress(text: string): boolean {
	const at = text.indexOf('@');
	if (at < 1 || at !== text.lastIndexOf('@') || /\s/.test(text)) return false;
	const dot = text.indexOf('.', at + 2);
	return dot > 0 && dot < text.length - 1;
}

function isRealDate(text: string): boolean {
	const [y, m, d] = text.slice(0, 10).split('-').map(Number);
	const dt = new Date(Date.UTC(y, m - 1, d));
	return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (typeof value === 'string') return `"${value.length > 40 ? value.slice(0, 40) + '…' : value}"`;
	if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'an object';
	return String(value);
}

function checkValue(
	spec: FieldSpec,
	value: unknown,
	path: string,
	issues: ValidationIssue[],
	opts: Required<NormaliseOptions>,
): unknown {
	const k = spec.kind;
	const bad = (message: string) => {
		issues.push({ field: path, message });
		return undefined;
	};
	switch (k.t) {
		case 'code': {
			if (typeof value === 'number' && Number.isInteger(value)) value = String(value);
			if (typeof value !== 'string') return bad(`must be a text code, got ${describe(value)}`);
			const code = value.trim();
			if (code === '') return bad('must not be empty');
			if (code.length > 100) return bad('is longer than 100 characters');
			if (CONTROL_CHARS.test(code)) return bad('contains control characters');
			return code;
		}
		case 'text': {
			if (typeof value === 'number') value = String(value);
			if (typeof value !== 'string') return bad(`must be text, got ${describe(value)}`);
			if (k.max !== undefined && value.length > k.max) return bad(`is longer than ${k.max} characters`);
			if (value.includes('\uFFFD'))
				return bad('contains the replacement character U+FFFD: the text was decoded with the wrong code page');
			return value;
		}
		case 'money':
		case 'quantity': {
			// the common case, a quantity already in normal form ("12", "0.5"), is its own result
			if (
				k.t === 'quantity' &&
				typeof value === 'string' &&
				NORMAL_QUANTITY.test(value) &&
				!(k.min === 'positive' && value === '0')
			)
				return value;
			let d;
			try {
				d = parseDecimal(value);
			} catch {
				return bad(`must be a decimal number like "12.50", got ${describe(value)}`);
			}
			if (k.min === 'nonNegative' && d.units < 0n) return bad(`must not be negative, got ${formatDecimal(d)}`);
			if (k.min === 'positive' && d.units <= 0n) return bad(`must be greater than 0, got ${formatDecimal(d)}`);
			if (k.t === 'money') return formatDecimal(rescale(d, opts.moneyDecimals, opts.rounding));
			const exact = rescale(d, QUANTITY_DECIMALS, 'down');
			if (rescale(exact, d.scale).units !== d.units)
				return bad(`has more than ${QUANTITY_DECIMALS} decimal places: ${formatDecimal(d)}`);
			return stripTrailingZeros(formatDecimal(exact));
		}
		case 'int': {
			const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
			if (typeof n !== 'number' || !Number.isInteger(n)) return bad(`must be a whole number, got ${describe(value)}`);
			if (k.min !== undefined && n < k.min) return bad(`must be at least ${k.min}, got ${n}`);
			if (k.max !== undefined && n > k.max) return bad(`must be at most ${k.max}, got ${n}`);
			return n;
		}
		case 'bool': {
			if (typeof value === 'boolean') return value;
			if (value === 'true' || value === 1 || value === '1') return true;
			if (value === 'false' || value === 0 || value === '0') return false;
			return bad(`must be true or false, got ${describe(value)}`);
		}
		case 'date': {
			if (typeof value !== 'string' || !DATE_RE.test(value) || !isRealDate(value))
				return bad(`must be a date YYYY-MM-DD, got ${describe(value)}`);
			return value;
		}
		case 'datetime': {
			// a read stamps all its records with one time: checked once
			if (value === lastDatetime.in) return lastDatetime.out;
			if (typeof value !== 'string' || !DATETIME_RE.test(value) || !isRealDate(value))
				return bad(`must be an ISO 8601 date-time with a time zone (2026-11-26T10:15:00Z), got ${describe(value)}`);
			// RFC 3339 (the contract's date-time) needs seconds: 10:15Z → 10:15:00Z
			lastDatetime.out = /T\d{2}:\d{2}(Z|[+-])/.test(value) ? value.replace(/(T\d{2}:\d{2})/, '$1:00') : value;
			lastDatetime.in = value;
			return lastDatetime.out;
		}
		case 'enum': {
			if (typeof value !== 'string' || !k.values.includes(value))
				return bad(`must be one of ${k.values.join(', ')}, got ${describe(value)}`);
			return value;
		}
		case 'vat': {
			const rate = normaliseVatRate(value);
			if (rate === undefined) return bad(`must be a VAT rate (23, 8, 5, 0) or zw / np / oo, got ${describe(value)}`);
			return rate;
		}
		case 'currency': {
			if (typeof value !== 'string' || !/^[A-Za-z]{3}$/.test(value.trim()))
				return bad(`must be a 3-letter ISO 4217 currency code, got ${describe(value)}`);
			return value.trim().toUpperCase();
		}
		case 'countryCode': {
			if (typeof value !== 'string' || !/^[A-Za-z]{2}$/.test(value.trim()))
				return bad(`must be a 2-letter ISO 3166 country code, got ${describe(value)}`);
			return value.trim().toUpperCase();
		}
		case 'email': {
			if (typeof value !== 'string' || !isEmailAddress(value.trim()))
				return bad(`must be an e-mail address, got ${describe(value)}`);
			return value.trim();
		}
		case 'stringMap': {
			if (typeof value !== 'object' || value === null || Array.isArray(value))
				return bad(`must be an object of text values, got ${describe(value)}`);
			const out: Record<string, string> = {};
			for (const [key, v] of Object.entries(value)) {
				if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
					issues.push({ field: `${path}.${key}`, message: `must be text, got ${describe(v)}` });
					continue;
				}
				setOwn(out, key, String(v)); // a key "__proto__" from JSON stays a key
			}
			return out;
		}
		case 'countMap': {
			if (typeof value !== 'object' || value === null || Array.isArray(value))
				return bad(`must be an object of whole numbers, got ${describe(value)}`);
			const out: Record<string, number> = {};
			for (const [key, v] of Object.entries(value)) {
				if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
					issues.push({ field: `${path}.${key}`, message: `must be a whole number ≥ 0, got ${describe(v)}` });
				else setOwn(out, key, v);
			}
			return out;
		}
		case 'object': {
			if (typeof value !== 'object' || value === null || Array.isArray(value))
				return bad(`must be an object, got ${describe(value)}`);
			return checkTable(k.fields, value as Record<string, unknown>, `${path}.`, issues, opts);
		}
		case 'array': {
			if (!Array.isArray(value)) return bad(`must be a list, got ${describe(value)}`);
			if (k.minItems !== undefined && value.length < k.minItems) return bad(`must have at least ${k.minItems} entries`);
			return value.map((entry, i) => {
				if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
					issues.push({ field: `${path}[${i}]`, message: `must be an object, got ${describe(entry)}` });
					return undefined;
				}
				return checkTable(k.of, entry as Record<string, unknown>, `${path}[${i}].`, issues, opts);
			});
		}
	}
}

/** a table's fields, listed once (validation runs per record: 300,000 stock levels in a full sync) */
const tableEntries = new WeakMap<FieldTable, Array<[string, FieldSpec]>>();
function entriesOf(table: FieldTable): Array<[string, FieldSpec]> {
	let list = tableEntries.get(table);
	if (!list) tableEntries.set(table, (list = Object.entries(table)));
	return list;
}

function checkTable(
	table: FieldTable,
	record: Record<string, unknown>,
	prefix: string,
	issues: ValidationIssue[],
	opts: Required<NormaliseOptions>,
): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [name, spec] of entriesOf(table)) {
		let value = record[name];
		if (value === undefined || value === null || value === '') {
			if (spec.default !== undefined) value = structuredClone(spec.default);
			else {
				if (spec.required) issues.push({ field: prefix + name, message: 'is missing' });
				continue;
			}
		}
		const normal = checkValue(spec, value, prefix + name, issues, opts);
		if (normal !== undefined) out[name] = normal;
	}
	return out;
}

/** Cross-field rules that a field table cannot say. */
function crossChecks(
	entity: EntityName,
	rec: Record<string, unknown>,
	issues: ValidationIssue[],
	opts: Required<NormaliseOptions>,
): void {
	if (PATCH_EXAMPLE[entity] !== undefined && Object.keys(rec).length < 2)
		issues.push({
			field: '(record)',
			message: `has no field to change besides code (e.g. ${PATCH_EXAMPLE[entity]}); nothing would be updated`,
		});
	if (entity === 'price' && rec.net === undefined && rec.gross === undefined)
		issues.push({ field: 'net', message: 'is missing: a price needs net or gross (or both)' });
	if (
		entity === 'price' &&
		typeof rec.validFrom === 'string' &&
		typeof rec.validTo === 'string' &&
		rec.validTo < rec.validFrom
	)
		issues.push({ field: 'validTo', message: `is before validFrom (${rec.validFrom})` });
	if (entity === 'stock' && typeof rec.available === 'string' && typeof rec.onHand === 'string') {
		if (compareDecimal(rec.available, rec.onHand) > 0)
			issues.push({ field: 'available', message: `is greater than onHand (${rec.onHand})` });
	}
	// an ERP read gives the bytes as n8n binary data and their hash here (nodes/shared/images.ts); the portal
	// upsert puts the bytes into dataBase64 before sending (and refuses a record it has no bytes for)
	if (
		entity === 'productImage' &&
		rec.url === undefined &&
		rec.dataBase64 === undefined &&
		rec.contentHash === undefined
	)
		issues.push({ field: 'url', message: 'is missing: an image needs url or dataBase64' });
	if (entity === 'orderStatus' && (rec.status === 'rejected' || rec.status === 'cancelled') && !rec.reason)
		issues.push({
			field: 'reason',
			message: `is missing: a ${String(rec.status)} status needs a reason the client can read`,
		});
	if (entity === 'order' && Array.isArray(rec.lines)) {
		const seen = new Set<number>();
		rec.lines.forEach((line, i) => {
			const n = (line as { lineNo?: number } | undefined)?.lineNo;
			if (typeof n === 'number' && seen.has(n))
				issues.push({ field: `lines[${i}].lineNo`, message: `repeats line number ${n}` });
			if (typeof n === 'number') seen.add(n);
		});
		// every order that reaches an ERP (create, check, EDI++ / Optima XML file) passes here: one rule for all
		const allowed = opts.orderVatRates;
		rec.lines.forEach((line, i) => {
			const l = line as { lineNo?: number; productCode?: string; vatRate?: string } | undefined;
			if (typeof l?.vatRate === 'string' && !allowed.includes(l.vatRate))
				issues.push({
					code: 'vatRateNotAllowed',
					field: `lines[${i}].vatRate`,
					message: `is ${l.vatRate} on line ${String(l.lineNo)} (${String(l.productCode)}): not a VAT rate the ERP takes (allowed: ${allowed.join(', ')}; option "Allowed VAT Rates")`,
				});
		});
	}
}

export interface ValidationResult<T> {
	ok: boolean;
	value?: T;
	issues: ValidationIssue[];
	/** the record's key (ERP code / order number) when it could be read, for error messages */
	key?: string;
}

export const KEY_FIELD: Record<EntityName, string> = {
	product: 'code',
	productPatch: 'code',
	productImage: 'productCode',
	price: 'productCode',
	priceKey: 'productCode',
	stock: 'productCode',
	client: 'code',
	clientPatch: 'code',
	order: 'number',
	orderStatus: 'orderNumber',
	invoice: 'number',
	syncStatus: 'flow',
};

/** Checks and normalises one record. Unknown fields are dropped (they are not part of the contract). */
export function validateRecord<E extends EntityName>(
	entity: E,
	input: unknown,
	options: NormaliseOptions = {},
): ValidationResult<EntityMap[E]> {
	const opts: Required<NormaliseOptions> = {
		moneyDecimals: 2,
		rounding: 'halfUp',
		...options,
		orderVatRates: options.orderVatRates ?? DEFAULT_ORDER_VAT_RATES,
	};
	const issues: ValidationIssue[] = [];
	if (typeof input !== 'object' || input === null || Array.isArray(input)) {
		return { ok: false, issues: [{ field: '(record)', message: `must be an object, got ${describe(input)}` }] };
	}
	const raw = input as Record<string, unknown>;
	const keyRaw = raw[KEY_FIELD[entity]];
	const key = typeof keyRaw === 'string' || typeof keyRaw === 'number' ? String(keyRaw).trim() || undefined : undefined;
	const value = checkTable(FIELDS[entity], raw, '', issues, opts);
	if (issues.length === 0) crossChecks(entity, value, issues, opts);
	return issues.length
		? { ok: false, issues, key }
		: { ok: true, value: value as unknown as EntityMap[E], issues, key };
}

/** how messages name a record: a partial update is still a product, a price key still a price */
const RECORD_WORD: Partial<Record<EntityName, string>> = {
	productPatch: 'product',
	clientPatch: 'client',
	priceKey: 'price',
};

/** "product ŁÓD-001: field name is missing; field unit ..." */
export function describeIssues(entity: EntityName, result: ValidationResult<unknown>): string {
	const word = RECORD_WORD[entity] ?? entity;
	const who = result.key ? `${word} "${result.key}"` : `${word} (no ${KEY_FIELD[entity]})`;
	return `${who}: ${result.issues.map((i) => `field "${i.field}" ${i.message}`).join('; ')}`;
}
