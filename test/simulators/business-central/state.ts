/**
 * The Business Central simulator's data: companies, each with its items, customers, locations, per-location stock
 * and our custom API's price list lines and customer pricing. Everything here is plain JSON (no Maps, no classes in
 * the data) so that `snapshot()` / `restore()` — the `$batch` `Isolation: snapshot` rollback — is a JSON clone, and
 * so that the orders and webhook modules keep their data in `state.ext.sales` / `state.ext.subscriptions` and get
 * rolled back with the rest.
 *
 * Test helpers (addItem, modifyItem, moveStock, blockCustomer, setPrice…) act like a user working in the BC client:
 * they do not go through the API and are not in the request log, but they stamp lastModifiedDateTime as BC does —
 * except moveStock, which changes `inventory` without touching the item (research §1: "stock receipts may not bump
 * items' lastModifiedDateTime", issue 1762).
 */
import { createHash } from 'node:crypto';
import type { SimClock } from '../common/clock';

/** BC's "no date" */
export const NO_DATE = '0001-01-01';
export const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

export type ItemType = 'Inventory' | 'Service' | 'Non-Inventory';
/** customers.blocked: the option's captions as API v2.0 sends them; " " (one space) = not blocked */
export type CustomerBlocked = ' ' | 'Ship' | 'Invoice' | 'All';
export const CUSTOMER_BLOCKED: CustomerBlocked[] = [' ', 'Ship', 'Invoice', 'All'];

/** every record carries its row version (BC's SQL timestamp): the weak ETag is built from it */
export interface Versioned {
	id: string;
	rowVersion: number;
}

export interface Item extends Versioned {
	number: string;
	displayName: string;
	displayName2: string;
	type: ItemType;
	itemCategoryId: string;
	itemCategoryCode: string;
	blocked: boolean;
	gtin: string;
	unitPrice: number;
	priceIncludesTax: boolean;
	unitCost: number;
	taxGroupId: string;
	taxGroupCode: string;
	baseUnitOfMeasureId: string;
	baseUnitOfMeasureCode: string;
	generalProductPostingGroupId: string;
	generalProductPostingGroupCode: string;
	inventoryPostingGroupId: string;
	inventoryPostingGroupCode: string;
	lastModifiedDateTime: string;
}

export interface Customer extends Versioned {
	number: string;
	displayName: string;
	type: 'Company' | 'Person';
	addressLine1: string;
	addressLine2: string;
	city: string;
	state: string;
	country: string;
	postalCode: string;
	phoneNumber: string;
	email: string;
	website: string;
	salespersonCode: string;
	balanceDue: number;
	creditLimit: number;
	taxLiable: boolean;
	taxAreaId: string;
	taxAreaDisplayName: string;
	taxRegistrationNumber: string;
	currencyId: string;
	currencyCode: string;
	paymentTermsId: string;
	shipmentMethodId: string;
	paymentMethodId: string;
	blocked: CustomerBlocked;
	lastModifiedDateTime: string;
}

/** API v2.0 locations: no lastModifiedDateTime (research §1) */
export interface Location extends Versioned {
	code: string;
	displayName: string;
	contact: string;
	addressLine1: string;
	addressLine2: string;
	city: string;
	state: string;
	country: string;
	postalCode: string;
	phoneNumber: string;
	email: string;
	website: string;
}

export type PriceSourceType = 'All Customers' | 'Customer' | 'Customer Price Group';
export type PriceAssetType = 'Item' | 'Item Discount Group';
export type PriceLineStatus = 'Active' | 'Draft' | 'Inactive';

/** our custom API page over table 7001 "Price List Line" (contract: /api/erpB2b/sync/v1.0/.../priceListLines) */
export interface PriceListLine extends Versioned {
	priceListCode: string;
	sourceType: PriceSourceType;
	sourceNo: string;
	assetType: PriceAssetType;
	assetNo: string;
	currencyCode: string;
	startingDate: string;
	endingDate: string;
	minimumQuantity: number;
	unitOfMeasureCode: string;
	unitPrice: number;
	/** "Price Includes VAT": a gross price (docs/business-central-al-api.md) */
	priceIncludesVAT: boolean;
	lineDiscountPercent: number;
	status: PriceLineStatus;
	lastModifiedDateTime: string;
}

/** our custom API page: the customer's price and discount groups (API v2.0 customers have none) */
export interface CustomerPricing extends Versioned {
	customerNumber: string;
	customerPriceGroup: string;
	customerDiscountGroup: string;
	lastModifiedDateTime: string;
}

export interface Company extends Versioned {
	name: string;
	displayName: string;
	businessProfileId: string;
	systemCreatedAt: string;
	systemCreatedBy: string;
	systemModifiedAt: string;
	systemModifiedBy: string;
	items: Item[];
	customers: Customer[];
	locations: Location[];
	/** item number → location code ('' = no location) → quantity; items.inventory is the sum */
	stock: Record<string, Record<string, number>>;
	priceListLines: PriceListLine[];
	customerPricing: CustomerPricing[];
}

export type ChangeEntity = 'items' | 'customers' | 'salesOrders' | 'salesInvoices';
export type ChangeType = 'created' | 'updated' | 'deleted';
export interface ChangeEvent {
	companyId: string;
	entity: ChangeEntity;
	id: string;
	changeType: ChangeType;
	/** ISO time of the change (the simulated clock) */
	at: string;
}

/** the JSON part of the state */
export interface BcData {
	companies: Company[];
	/** counter behind every record's rowVersion */
	rowVersion: number;
	/** counter for generated GUIDs (deterministic: the same run gives the same ids) */
	guidCounter: number;
	/** data of the modules plugged into the server: ext.sales (orders), ext.subscriptions (webhooks) */
	ext: Record<string, unknown>;
}

/** a GUID from a name and a counter: stable between runs, unique within one */
export function makeGuid(seed: string): string {
	const h = createHash('sha1').update(seed).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export class BcState implements BcData {
	companies: Company[] = [];
	rowVersion = 0;
	guidCounter = 0;
	ext: Record<string, unknown> = {};
	/** not part of the data (non-enumerable, so JSON clones skip them) */
	declare readonly clock: SimClock;
	declare private readonly listeners: Array<(e: ChangeEvent) => void>;

	constructor(clock: SimClock) {
		Object.defineProperty(this, 'clock', { value: clock, enumerable: false });
		Object.defineProperty(this, 'listeners', { value: [], enumerable: false });
		Object.defineProperty(this, 'holding', { value: undefined, enumerable: false, writable: true });
	}

	/** ISO 8601 UTC with milliseconds, as BC's lastModifiedDateTime */
	nowIso(): string {
		return new Date(this.clock.now()).toISOString();
	}

	newGuid(): string {
		return makeGuid(`bc-sim-${++this.guidCounter}`);
	}

	/** marks a record as written: new row version (→ new ETag) and, where it has one, lastModifiedDateTime */
	touch<T extends Versioned>(rec: T, opts: { keepModified?: boolean } = {}): T {
		rec.rowVersion = ++this.rowVersion;
		if (!opts.keepModified && 'lastModifiedDateTime' in rec)
			(rec as unknown as { lastModifiedDateTime: string }).lastModifiedDateTime = this.nowIso();
		return rec;
	}

	// ---- data as JSON (batch rollback, reset) ----

	snapshot(): BcData {
		return JSON.parse(
			JSON.stringify({
				companies: this.companies,
				rowVersion: this.rowVersion,
				guidCounter: this.guidCounter,
				ext: this.ext,
			}),
		) as BcData;
	}

	restore(data: BcData): void {
		const copy = JSON.parse(JSON.stringify(data)) as BcData;
		this.companies = copy.companies;
		this.rowVersion = copy.rowVersion;
		this.guidCounter = copy.guidCounter;
		this.ext = copy.ext;
	}

	/**
	 * Runs fn; when it throws (or `failed(result)`) the data is put back as it was. Change events wait for the
	 * commit; a transaction inside another (an order's own transaction inside a snapshot $batch) hands its events to
	 * the outer one, so a batch rolled back later reports none of them.
	 */
	transaction<T>(fn: () => T, failed: (result: T) => boolean = () => false): T {
		const before = this.snapshot();
		const outer = this.holding;
		const held: ChangeEvent[] = [];
		this.holding = held;
		let ok = false;
		try {
			const result = fn();
			ok = !failed(result);
			return result;
		} finally {
			this.finishTransaction(ok, before, outer, held);
		}
	}

	/** the async form of transaction() ($batch runs its operations one after the other through the router) */
	async transactionAsync<T>(fn: () => Promise<T>, failed: (result: T) => boolean = () => false): Promise<T> {
		const before = this.snapshot();
		const outer = this.holding;
		const held: ChangeEvent[] = [];
		this.holding = held;
		let ok = false;
		try {
			const result = await fn();
			ok = !failed(result);
			return result;
		} finally {
			this.finishTransaction(ok, before, outer, held);
		}
	}

	private finishTransaction(ok: boolean, before: BcData, outer: ChangeEvent[] | undefined, held: ChangeEvent[]): void {
		this.holding = outer;
		if (!ok) this.restore(before);
		else if (outer) outer.push(...held);
		else for (const e of held) this.emit(e);
	}

	// ---- change notifications (webhooks) ----

	declare private holding: ChangeEvent[] | undefined;

	onChange(listener: (e: ChangeEvent) => void): () => void {
		this.listeners.push(listener);
		return () => {
			const i = this.listeners.indexOf(listener);
			if (i >= 0) this.listeners.splice(i, 1);
		};
	}

	/** a change to report to subscribers; inside a transaction it waits for the commit (a rolled-back one is never seen) */
	changed(companyId: string, entity: ChangeEntity, id: string, changeType: ChangeType): void {
		const e: ChangeEvent = { companyId, entity, id, changeType, at: this.nowIso() };
		if (this.holding) this.holding.push(e);
		else this.emit(e);
	}

	private emit(e: ChangeEvent): void {
		for (const l of [...this.listeners]) l(e);
	}

	// ---- look-ups ----

	/** by id (GUID, any case, with or without braces) or by name */
	company(idOrName: string): Company | undefined {
		const g = idOrName.replace(/^\{|\}$/g, '').toLowerCase();
		return this.companies.find((c) => c.id === g) ?? this.companies.find((c) => c.name === idOrName);
	}

	/** the company a test helper works in: the given one or the first */
	private co(company?: string): Company {
		const c = company === undefined ? this.companies[0] : this.company(company);
		if (!c) throw new Error(`no company ${company ?? '(none seeded)'}`);
		return c;
	}

	item(number: string, company?: string): Item {
		const it = byNumber(this.co(company).items).get(number);
		if (!it) throw new Error(`no item ${number}`);
		return it;
	}

	customer(number: string, company?: string): Customer {
		const c = byNumber(this.co(company).customers).get(number);
		if (!c) throw new Error(`no customer ${number}`);
		return c;
	}

	/** items.inventory: the sum over every location (and the blank one) */
	inventory(company: Company, itemNo: string): number {
		const per = company.stock[itemNo] ?? {};
		return round5(Object.values(per).reduce((a, b) => a + b, 0));
	}

	/** quantity at one location code ('' = the blank location) */
	inventoryAt(company: Company, itemNo: string, locationCode: string): number {
		return company.stock[itemNo]?.[locationCode] ?? 0;
	}

	// ---- writes a user makes in the client (test helpers) ----

	addCompany(name: string, displayName = name): Company {
		const now = this.nowIso();
		const c: Company = {
			id: this.newGuid(),
			rowVersion: ++this.rowVersion,
			name,
			displayName,
			businessProfileId: '',
			systemCreatedAt: now,
			systemCreatedBy: EMPTY_GUID,
			systemModifiedAt: now,
			systemModifiedBy: EMPTY_GUID,
			items: [],
			customers: [],
			locations: [],
			stock: {},
			priceListLines: [],
			customerPricing: [],
		};
		this.companies.push(c);
		return c;
	}

	addItem(fields: Partial<Item> & { number: string; displayName: string }, company?: string): Item {
		const co = this.co(company);
		if (byNumber(co.items).has(fields.number)) throw new Error(`item ${fields.number} exists`);
		const it: Item = {
			id: this.newGuid(),
			rowVersion: 0,
			displayName2: '',
			type: 'Inventory',
			itemCategoryId: EMPTY_GUID,
			itemCategoryCode: '',
			blocked: false,
			gtin: '',
			unitPrice: 0,
			priceIncludesTax: false,
			unitCost: 0,
			taxGroupId: EMPTY_GUID,
			taxGroupCode: '',
			baseUnitOfMeasureId: EMPTY_GUID,
			baseUnitOfMeasureCode: 'SZT',
			generalProductPostingGroupId: EMPTY_GUID,
			generalProductPostingGroupCode: 'HANDEL',
			inventoryPostingGroupId: EMPTY_GUID,
			inventoryPostingGroupCode: 'TOWARY',
			lastModifiedDateTime: '',
			...fields,
		};
		co.items.push(this.touch(it));
		this.changed(co.id, 'items', it.id, 'created');
		return it;
	}

	/** changes fields of an item as a user editing the card: new lastModifiedDateTime and ETag */
	modifyItem(number: string, fields: Partial<Omit<Item, 'id' | 'number'>>, company?: string): Item {
		const co = this.co(company);
		const it = this.item(number, co.id);
		Object.assign(it, fields);
		this.touch(it);
		this.changed(co.id, 'items', it.id, 'updated');
		return it;
	}

	addCustomer(fields: Partial<Customer> & { number: string; displayName: string }, company?: string): Customer {
		const co = this.co(company);
		if (byNumber(co.customers).has(fields.number)) throw new Error(`customer ${fields.number} exists`);
		const c: Customer = {
			id: this.newGuid(),
			rowVersion: 0,
			type: 'Company',
			addressLine1: '',
			addressLine2: '',
			city: '',
			state: '',
			country: 'PL',
			postalCode: '',
			phoneNumber: '',
			email: '',
			website: '',
			salespersonCode: '',
			balanceDue: 0,
			creditLimit: 0,
			taxLiable: true,
			taxAreaId: EMPTY_GUID,
			taxAreaDisplayName: '',
			taxRegistrationNumber: '',
			currencyId: EMPTY_GUID,
			currencyCode: '',
			paymentTermsId: EMPTY_GUID,
			shipmentMethodId: EMPTY_GUID,
			paymentMethodId: EMPTY_GUID,
			blocked: ' ',
			lastModifiedDateTime: '',
			...fields,
		};
		co.customers.push(this.touch(c));
		this.changed(co.id, 'customers', c.id, 'created');
		return c;
	}

	modifyCustomer(number: string, fields: Partial<Omit<Customer, 'id' | 'number'>>, company?: string): Customer {
		const co = this.co(company);
		const c = this.customer(number, co.id);
		if (fields.blocked !== undefined && !CUSTOMER_BLOCKED.includes(fields.blocked))
			throw new Error(`customer ${number}: blocked must be one of " ", Ship, Invoice, All — not ${fields.blocked}`);
		Object.assign(c, fields);
		this.touch(c);
		this.changed(co.id, 'customers', c.id, 'updated');
		return c;
	}

	blockCustomer(number: string, blocked: CustomerBlocked = 'All', company?: string): Customer {
		return this.modifyCustomer(number, { blocked }, company);
	}

	addLocation(fields: Partial<Location> & { code: string; displayName: string }, company?: string): Location {
		const co = this.co(company);
		if (co.locations.some((l) => l.code === fields.code)) throw new Error(`location ${fields.code} exists`);
		const l: Location = {
			id: this.newGuid(),
			rowVersion: 0,
			contact: '',
			addressLine1: '',
			addressLine2: '',
			city: '',
			state: '',
			country: 'PL',
			postalCode: '',
			phoneNumber: '',
			email: '',
			website: '',
			...fields,
		};
		co.locations.push(this.touch(l));
		return l;
	}

	/**
	 * A stock move posted in BC (item journal, purchase receipt, transfer…): the item's inventory and the location's
	 * quantity change, the item's lastModifiedDateTime and ETag do NOT (research §1, issue 1762). qty < 0 takes out.
	 * Returns the new quantity at the location.
	 */
	moveStock(itemNo: string, locationCode: string, qty: number, company?: string): number {
		const co = this.co(company);
		this.item(itemNo, co.id);
		if (locationCode !== '' && !co.locations.some((l) => l.code === locationCode))
			throw new Error(`no location ${locationCode}`);
		if (!Number.isFinite(qty)) throw new Error(`moveStock ${itemNo}: qty must be a number`);
		const per = (co.stock[itemNo] ??= {});
		per[locationCode] = round5((per[locationCode] ?? 0) + qty);
		return per[locationCode];
	}

	/**
	 * Sets the sales price the way a user edits a price list line: finds the Active line of that source / item /
	 * minimum quantity (default: all customers, quantity 0) and changes its unit price, or adds one to the list
	 * `priceListCode` (default 'S-CENY'). With `alsoItemCard` the item card's unitPrice changes too.
	 */
	setPrice(
		itemNo: string,
		unitPrice: number,
		opts: {
			sourceType?: PriceSourceType;
			sourceNo?: string;
			minimumQuantity?: number;
			priceListCode?: string;
			alsoItemCard?: boolean;
			company?: string;
		} = {},
	): PriceListLine {
		const co = this.co(opts.company);
		const item = this.item(itemNo, co.id);
		const sourceType = opts.sourceType ?? 'All Customers';
		const sourceNo = sourceType === 'All Customers' ? '' : (opts.sourceNo ?? '');
		const minimumQuantity = opts.minimumQuantity ?? 0;
		let line = co.priceListLines.find(
			(l) =>
				l.status === 'Active' &&
				l.assetType === 'Item' &&
				l.assetNo === itemNo &&
				l.sourceType === sourceType &&
				l.sourceNo === sourceNo &&
				l.minimumQuantity === minimumQuantity,
		);
		if (line) {
			line.unitPrice = unitPrice;
			this.touch(line);
		} else
			line = this.addPriceListLine(
				{ assetNo: itemNo, sourceType, sourceNo, minimumQuantity, unitPrice, priceListCode: opts.priceListCode },
				co.id,
			);
		if (opts.alsoItemCard) this.modifyItem(item.number, { unitPrice }, co.id);
		return line;
	}

	addPriceListLine(
		fields: Partial<PriceListLine> & { assetNo: string; unitPrice: number },
		company?: string,
	): PriceListLine {
		const co = this.co(company);
		const line: PriceListLine = {
			id: this.newGuid(),
			rowVersion: 0,
			priceListCode: 'S-CENY',
			sourceType: 'All Customers',
			sourceNo: '',
			assetType: 'Item',
			currencyCode: '',
			startingDate: NO_DATE,
			endingDate: NO_DATE,
			minimumQuantity: 0,
			unitOfMeasureCode: '',
			priceIncludesVAT: false,
			lineDiscountPercent: 0,
			status: 'Active',
			lastModifiedDateTime: '',
			...(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as typeof fields),
		};
		co.priceListLines.push(this.touch(line));
		return line;
	}

	/** the customer's price / discount group (our custom customerPricing page) */
	setCustomerPricing(
		customerNumber: string,
		fields: { customerPriceGroup?: string; customerDiscountGroup?: string },
		company?: string,
	): CustomerPricing {
		const co = this.co(company);
		this.customer(customerNumber, co.id);
		let row = co.customerPricing.find((r) => r.customerNumber === customerNumber);
		if (!row) {
			row = {
				id: this.newGuid(),
				rowVersion: 0,
				customerNumber,
				customerPriceGroup: '',
				customerDiscountGroup: '',
				lastModifiedDateTime: '',
			};
			co.customerPricing.push(row);
		}
		Object.assign(row, Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)));
		this.touch(row);
		return row;
	}

	/** empties the data (companies too) */
	reset(): void {
		this.restore({ companies: [], rowVersion: 0, guidCounter: 0, ext: {} });
	}
}

/**
 * number → record of an items / customers array, kept beside the data (not in it): rebuilt when the array is
 * another one (a rollback) or shorter; extended when records were appended (they only ever are; `number` is
 * read-only).
 */
const numberIndex = new WeakMap<object, { length: number; map: Map<string, { number: string }> }>();
function byNumber<T extends { number: string }>(rows: T[]): Map<string, T> {
	let idx = numberIndex.get(rows);
	if (!idx || idx.length > rows.length) {
		idx = { length: 0, map: new Map() };
		numberIndex.set(rows, idx);
	}
	for (; idx.length < rows.length; idx.length++) idx.map.set(rows[idx.length].number, rows[idx.length]);
	return idx.map as Map<string, T>;
}

/** decimals as BC keeps them (5 places) without float noise */
export function round5(n: number): number {
	return Math.round(n * 100000) / 100000;
}
