/**
 * What the simulated portal has stored. Tests read the maps directly (sim.state.products.get('ŁÓD-001'));
 * records are kept exactly as they arrived (the contract: "stored as sent").
 *
 * Composite keys are joined with U+001F, which the contract's Code pattern forbids inside codes, so a
 * joined key is never ambiguous; build them with `keys.*` (or the state's own helpers).
 */
import type {
	Client,
	Invoice,
	Order,
	OrderStatus,
	Price,
	Product,
	ProductImage,
	StockLevel,
	SyncStatus,
} from '../../../nodes/shared/model/types';

import { ClaimLedger, PortalClock } from './claims';
import { ReservationLedger } from './reservations';

export const KEY_SEPARATOR = '\u001f';

/** "1" == "1.0" == "01.00": quantities in keys are compared as numbers, not as text */
export function canonicalQuantity(q: string): string {
	const m = /^(\d+)(?:\.(\d+))?$/.exec(q);
	if (!m) return q;
	const int = m[1].replace(/^0+(?=\d)/, '');
	const frac = (m[2] ?? '').replace(/0+$/, '');
	return frac ? `${int}.${frac}` : int;
}

export const keys = {
	product: (p: Pick<Product, 'code'>): string => p.code,
	client: (c: Pick<Client, 'code'>): string => c.code,
	image: (i: Pick<ProductImage, 'productCode' | 'position'>): string =>
		[i.productCode, String(i.position)].join(KEY_SEPARATOR),
	stock: (s: Pick<StockLevel, 'productCode' | 'warehouseCode'>): string =>
		[s.productCode, s.warehouseCode].join(KEY_SEPARATOR),
	/** minQuantity defaults to "1"; validFrom to "" (open start), so price periods do not overwrite each other */
	price: (p: Pick<Price, 'productCode' | 'scope' | 'scopeCode' | 'currency' | 'minQuantity' | 'validFrom'>): string =>
		[p.productCode, p.scope, p.scopeCode, p.currency, canonicalQuantity(p.minQuantity ?? '1'), p.validFrom ?? ''].join(
			KEY_SEPARATOR,
		),
};

export interface StoredInvoice {
	data: Invoice;
	pdf?: Buffer;
}

export interface Acknowledgement {
	erpDocumentNumber: string;
	erpDocumentId?: string;
	at: string;
}

/** a flow's sync state as the portal keeps it (GET/PATCH /v1/sync-state/{key}) */
export interface StoredSyncState {
	version: number;
	cursors: Record<string, string>;
	deltas: Record<string, Record<string, string>>;
}

export class PortalState {
	readonly products = new Map<string, Product>();
	/** key: keys.image → productCode U+001F position */
	readonly images = new Map<string, ProductImage>();
	/** key: keys.price → productCode, scope, scopeCode, currency, minQuantity, validFrom joined by U+001F */
	readonly prices = new Map<string, Price>();
	/** key: keys.stock → productCode U+001F warehouseCode */
	readonly stock = new Map<string, StockLevel>();
	readonly clients = new Map<string, Client>();
	/** by order number; `status` is always set */
	readonly orders = new Map<string, Order>();
	/** order number → sequence number (listing order, cursor) */
	readonly orderSequence = new Map<string, number>();
	/** order number → every status change received (order-statuses batches and acknowledgements) */
	readonly orderStatusHistory = new Map<string, OrderStatus[]>();
	/** order number → acknowledgement (erpDocumentId is not part of Order, so it is kept here) */
	readonly acknowledgements = new Map<string, Acknowledgement>();
	readonly invoices = new Map<string, StoredInvoice>();
	/** flow → last recorded run */
	readonly syncStatus = new Map<string, SyncStatus>();
	/** flow key (n8n workflow id) → its sync state (read positions, record fingerprints), stored opaquely */
	readonly syncState = new Map<string, StoredSyncState>();
	/** the portal's clock for leases and stock holds: real time plus an offset tests move (clock.advance(ms)) */
	readonly clock = new PortalClock();
	/** stock reservations (holds, expiring by the portal's clock) by order number, with the log of available over time */
	readonly reservations = new ReservationLedger(this.stock, this.clock);
	/** order claims (leases) by order number, with the log of every decision */
	readonly claims = new ClaimLedger(this.clock);

	readonly keys = keys;
	private lastSequence = 0;

	/** @param checkOrder returns the contract violations of an order ([] when valid) */
	constructor(private readonly checkOrder: (order: unknown) => string[] = () => []) {}

	/**
	 * Adds an order as if a client had just placed it in the portal (status "placed" unless given).
	 * It gets the next sequence number, so listings with an older cursor return it.
	 */
	seedOrder(order: Order): Order {
		const stored = structuredClone({ ...order, status: order.status ?? 'placed' });
		const problems = this.checkOrder(stored);
		if (problems.length)
			throw new Error(`seedOrder: ${order?.number ?? '(no number)'} breaks the contract: ${problems.join('; ')}`);
		if (this.orders.has(stored.number)) throw new Error(`seedOrder: order ${stored.number} already exists`);
		this.orders.set(stored.number, stored);
		this.orderSequence.set(stored.number, ++this.lastSequence);
		return structuredClone(stored);
	}

	/** orders with their sequence numbers, oldest first */
	ordersInSequence(): Array<{ sequence: number; order: Order }> {
		return [...this.orders.values()]
			.map((order) => ({ sequence: this.orderSequence.get(order.number) ?? 0, order }))
			.sort((a, b) => a.sequence - b.sequence);
	}

	/** the highest sequence number handed out (it survives reset(), like a real portal's ids) */
	get sequence(): number {
		return this.lastSequence;
	}

	reset(): void {
		for (const map of [
			this.products,
			this.images,
			this.prices,
			this.stock,
			this.clients,
			this.orders,
			this.orderSequence,
			this.orderStatusHistory,
			this.acknowledgements,
			this.invoices,
			this.syncStatus,
			this.syncState,
		] as Array<Map<string, unknown>>)
			map.clear();
		this.reservations.reset();
		this.claims.reset();
		this.clock.reset();
	}

	/** a JSON-friendly copy (PDFs as byte counts), for the CLI's admin endpoint and for debugging */
	snapshot(): Record<string, unknown> {
		const obj = <V>(m: Map<string, V>, f: (v: V) => unknown = (v) => v) =>
			Object.fromEntries([...m].map(([k, v]) => [k.split(KEY_SEPARATOR).join('|'), f(v)]));
		return {
			products: obj(this.products),
			images: obj(this.images),
			prices: obj(this.prices),
			stock: obj(this.stock),
			clients: obj(this.clients),
			orders: this.ordersInSequence().map(({ sequence, order }) => ({ sequence, ...order })),
			orderStatusHistory: obj(this.orderStatusHistory),
			acknowledgements: obj(this.acknowledgements),
			invoices: obj(this.invoices, (v) => ({ data: v.data, pdfBytes: v.pdf?.length })),
			syncStatus: obj(this.syncStatus),
			syncState: obj(this.syncState, (v) => ({
				version: v.version,
				cursors: v.cursors,
				deltas: Object.fromEntries(Object.entries(v.deltas).map(([n, h]) => [n, Object.keys(h).length])),
			})),
			claims: this.claims.live().map((c) => ({
				orderNumber: c.orderNumber,
				owner: c.owner,
				claimedAt: new Date(c.claimedAtMs).toISOString(),
				expiresAt: new Date(c.expiresAtMs).toISOString(),
			})),
			reservations: Object.fromEntries(
				[...this.reservations.reservations.keys()].map((k) => [k, this.reservations.view(this.reservations.get(k)!)]),
			),
		};
	}
}

/** structural equality of JSON values (key order does not matter) */
export function deepEqual(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (Array.isArray(a) !== Array.isArray(b)) return false;
	if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
	const ka = Object.keys(a as object);
	const kb = Object.keys(b as object);
	return (
		ka.length === kb.length &&
		ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as never)[k], (b as never)[k]))
	);
}
