/**
 * The portal's stock reservation ledger (docs/portal-api.yaml, /v1/stock/reservations): the one place every
 * n8n worker and workflow shares, with an atomic check-and-hold. Everything here is synchronous, so within
 * the simulator's single Node process no other request can run between the check and the hold.
 *
 * Quantities are kept as integers of 1/10,000 (the contract allows 4 decimal places), never as floats.
 *
 * Shown available (per product over all warehouses) = Σ pushed available − Σ counted holds of the product;
 * per warehouse = pushed available − counted holds that name that warehouse. A hold counts while its
 * reservation is `held` (and the portal's clock is before its `expiresAt`) or `confirmed`, and its line is not
 * released. Holds expire by the portal's clock (`PortalClock`, the one claims use: tests move it with advance()),
 * never by the client's; an expired hold becomes `released` with releaseReason `expired`. Confirmation ends the
 * expiry. `availabilityLog` records the product figure after every change (reserve, release, expiry, stock push)
 * so tests can prove it never went below zero.
 */
import type { StockLevel } from '../../../nodes/shared/model/types';
import type { PortalClock } from './claims';

/** the contract's default holdSeconds (docs/portal-api.yaml, StockReservationRequest) */
export const DEFAULT_HOLD_SECONDS = 3600;

const SCALE = 10_000n;

export function toUnits(q: string): bigint {
	const m = /^(-?)(\d+)(?:\.(\d{1,4}))?$/.exec(q.trim());
	if (!m) throw new Error(`not a quantity: ${JSON.stringify(q)}`);
	const v = BigInt(m[2]) * SCALE + BigInt((m[3] ?? '').padEnd(4, '0'));
	return m[1] ? -v : v;
}

export function fromUnits(u: bigint): string {
	const neg = u < 0n;
	const a = neg ? -u : u;
	const int = a / SCALE;
	const frac = (a % SCALE).toString().padStart(4, '0').replace(/0+$/, '');
	return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

export interface ReservationLine {
	productCode: string;
	warehouseCode?: string;
	quantity: string;
	tracked: boolean;
	released: boolean;
}

export interface Reservation {
	orderNumber: string;
	status: 'held' | 'confirmed' | 'released';
	createdAt: string;
	/** while held (and after an expiry): when the hold ends by the portal's clock; dropped at confirmation */
	expiresAt?: string;
	confirmedAt?: string;
	releasedAt?: string;
	releaseReason?: 'rejected' | 'cancelled' | 'stockPush' | 'expired';
	lines: ReservationLine[];
	/** the request's lines, normalised, to tell a repeat from a different request */
	fingerprint: string;
}

export interface Shortfall {
	index: number;
	productCode: string;
	warehouseCode?: string;
	requested: string;
	available: string;
}

export interface AvailabilityLogEntry {
	/** sequence of the change (1, 2, …) */
	seq: number;
	at: string;
	cause: 'reserve' | 'release' | 'expire' | 'stockPush';
	orderNumber?: string;
	productCode: string;
	/** Σ pushed available − Σ counted holds (not clamped: a negative figure here is an oversell) */
	available: string;
}

export type ReserveOutcome =
	| { kind: 'held' | 'repeat'; reservation: Reservation }
	| { kind: 'insufficient'; shortfall: Shortfall[] }
	| { kind: 'conflict'; message: string };

/** the same key as keys.stock in state.ts (U+001F cannot occur inside a code) */
const whKey = (productCode: string, warehouseCode: string) => `${productCode}\u001f${warehouseCode}`;

export class ReservationLedger {
	readonly reservations = new Map<string, Reservation>();
	readonly availabilityLog: AvailabilityLogEntry[] = [];
	private seq = 0;

	/**
	 * @param stock the portal's pushed stock levels (key productCode U+001F warehouseCode)
	 * @param clock the portal's clock (stamps, expiry)
	 */
	constructor(
		private readonly stock: Map<string, StockLevel>,
		private readonly clock: PortalClock,
	) {}

	private nowIso(): string {
		return new Date(this.clock.now()).toISOString();
	}

	/** a held reservation whose expiresAt the portal's clock has reached */
	private isExpired(r: Reservation): boolean {
		return r.status === 'held' && r.expiresAt !== undefined && this.clock.now() >= Date.parse(r.expiresAt);
	}

	/**
	 * Releases every held reservation whose time is up (releaseReason `expired`, releasedAt = expiresAt), oldest
	 * expiry first, logging the figure it frees. Every public entry point calls it, so what is read is never stale.
	 */
	expireDue(): void {
		const due = [...this.reservations.values()]
			.filter((r) => this.isExpired(r))
			.sort((a, b) => Date.parse(a.expiresAt!) - Date.parse(b.expiresAt!));
		for (const r of due) {
			r.status = 'released';
			r.releasedAt = r.expiresAt;
			r.releaseReason = 'expired';
			for (const l of r.lines) l.released = true;
			this.log(
				'expire',
				r.lines.map((l) => l.productCode),
				r.orderNumber,
				r.expiresAt,
			);
		}
	}

	private counted(): Array<ReservationLine> {
		const out: ReservationLine[] = [];
		for (const r of this.reservations.values())
			if (r.status !== 'released' && !this.isExpired(r)) for (const l of r.lines) if (!l.released) out.push(l);
		return out;
	}

	/** one order's reservation as it stands now (expiry applied) */
	get(orderNumber: string): Reservation | undefined {
		this.expireDue();
		return this.reservations.get(orderNumber);
	}

	/**
	 * productCode → its stock keys. A portal answers "available of product X" from an index, not by reading every
	 * stock row (that made a 300,000-row push quadratic: 15 s of a 20 s full sync was this simulator). Kept up to
	 * date by afterStockPush; rebuilt when the map changed behind its back (a test setting rows directly).
	 */
	private readonly byProduct = new Map<string, Set<string>>();
	private indexedKeys = 0;

	private index(productCode: string, key: string): void {
		let keys = this.byProduct.get(productCode);
		if (!keys) this.byProduct.set(productCode, (keys = new Set()));
		if (!keys.has(key)) {
			keys.add(key);
			this.indexedKeys++;
		}
	}

	private keysOf(productCode: string): Iterable<string> {
		// rows are only ever added (reset() clears both), so equal counts mean the index holds every row
		if (this.indexedKeys !== this.stock.size) {
			this.byProduct.clear();
			this.indexedKeys = 0;
			for (const [key, s] of this.stock) this.index(s.productCode, key);
		}
		return this.byProduct.get(productCode) ?? [];
	}

	private base(productCode: string, warehouseCode?: string): bigint | undefined {
		if (warehouseCode !== undefined) {
			const s = this.stock.get(whKey(productCode, warehouseCode));
			return s ? toUnits(s.available) : undefined;
		}
		let sum: bigint | undefined;
		for (const key of this.keysOf(productCode)) {
			const s = this.stock.get(key);
			if (s) sum = (sum ?? 0n) + toUnits(s.available);
		}
		return sum;
	}

	private held(productCode: string, warehouseCode?: string): bigint {
		let sum = 0n;
		for (const l of this.counted())
			if (l.productCode === productCode && (warehouseCode === undefined || l.warehouseCode === warehouseCode))
				sum += toUnits(l.quantity);
		return sum;
	}

	/** what the portal shows as available (never below 0), or undefined when the product is not stock-tracked */
	available(productCode: string, warehouseCode?: string): string | undefined {
		this.expireDue();
		const raw = this.rawAvailable(productCode, warehouseCode);
		return raw === undefined ? undefined : fromUnits(raw < 0n ? 0n : raw);
	}

	private rawAvailable(productCode: string, warehouseCode?: string): bigint | undefined {
		const b = this.base(productCode, warehouseCode);
		return b === undefined ? undefined : b - this.held(productCode, warehouseCode);
	}

	private log(
		cause: AvailabilityLogEntry['cause'],
		products: Iterable<string>,
		orderNumber?: string,
		at: string = this.nowIso(),
	): void {
		for (const productCode of new Set(products)) {
			const raw = this.rawAvailable(productCode);
			if (raw === undefined) continue;
			this.availabilityLog.push({
				seq: ++this.seq,
				at,
				cause,
				...(orderNumber ? { orderNumber } : {}),
				productCode,
				available: fromUnits(raw),
			});
		}
	}

	/** the atomic check-and-hold; synchronous from the first check to the last write */
	reserve(
		orderNumber: string,
		orderStatus: string,
		lines: Array<Omit<ReservationLine, 'tracked' | 'released'>>,
		holdSeconds: number = DEFAULT_HOLD_SECONDS,
	): ReserveOutcome {
		this.expireDue();
		const normalised = lines.map((l) => ({
			productCode: l.productCode,
			...(l.warehouseCode !== undefined ? { warehouseCode: l.warehouseCode } : {}),
			quantity: fromUnits(toUnits(l.quantity)),
		}));
		const fingerprint = JSON.stringify(normalised.map((l) => [l.productCode, l.warehouseCode ?? null, l.quantity]));
		const existing = this.reservations.get(orderNumber);
		// an expired hold of an order still placed is as if there were none: reserving again starts afresh
		const startsAfresh = existing?.releaseReason === 'expired' && orderStatus === 'placed';
		if (existing && !startsAfresh) {
			if (existing.fingerprint === fingerprint) return { kind: 'repeat', reservation: existing };
			return {
				kind: 'conflict',
				message: `order ${orderNumber} already has a reservation with other lines; release it (DELETE) before reserving again`,
			};
		}
		if (orderStatus !== 'placed')
			return {
				kind: 'conflict',
				message: `order ${orderNumber} is ${orderStatus}, not placed: there is nothing to hold`,
			};

		// what this order asks per product/warehouse and per product (first line index of each, for the details)
		const perWarehouse = new Map<string, { index: number; productCode: string; warehouseCode: string; q: bigint }>();
		const perProduct = new Map<string, { index: number; q: bigint }>();
		normalised.forEach((l, index) => {
			const q = toUnits(l.quantity);
			const p = perProduct.get(l.productCode) ?? { index, q: 0n };
			p.q += q;
			perProduct.set(l.productCode, p);
			if (l.warehouseCode !== undefined) {
				const k = whKey(l.productCode, l.warehouseCode);
				const w = perWarehouse.get(k) ?? { index, productCode: l.productCode, warehouseCode: l.warehouseCode, q: 0n };
				w.q += q;
				perWarehouse.set(k, w);
			}
		});
		const shortfall: Shortfall[] = [];
		for (const w of perWarehouse.values()) {
			const avail = this.rawAvailable(w.productCode, w.warehouseCode);
			if (avail !== undefined && w.q > avail)
				shortfall.push({
					index: w.index,
					productCode: w.productCode,
					warehouseCode: w.warehouseCode,
					requested: fromUnits(w.q),
					available: fromUnits(avail < 0n ? 0n : avail),
				});
		}
		for (const [productCode, p] of perProduct) {
			if (shortfall.some((s) => s.productCode === productCode)) continue;
			const avail = this.rawAvailable(productCode);
			if (avail !== undefined && p.q > avail)
				shortfall.push({
					index: p.index,
					productCode,
					requested: fromUnits(p.q),
					available: fromUnits(avail < 0n ? 0n : avail),
				});
		}
		if (shortfall.length) return { kind: 'insufficient', shortfall: shortfall.sort((a, b) => a.index - b.index) };

		const now = this.clock.now();
		const reservation: Reservation = {
			orderNumber,
			status: 'held',
			createdAt: new Date(now).toISOString(),
			expiresAt: new Date(now + holdSeconds * 1000).toISOString(),
			lines: normalised.map((l) => ({
				...l,
				tracked: this.base(l.productCode, l.warehouseCode) !== undefined,
				released: false,
			})),
			fingerprint,
		};
		this.reservations.set(orderNumber, reservation);
		this.log(
			'reserve',
			normalised.map((l) => l.productCode),
			orderNumber,
		);
		return { kind: 'held', reservation };
	}

	/** the order was rejected or cancelled: the hold is released at once */
	release(orderNumber: string, reason: 'rejected' | 'cancelled'): void {
		const r = this.get(orderNumber);
		if (!r || r.status === 'released') return;
		r.status = 'released';
		r.releasedAt = this.nowIso();
		r.releaseReason = reason;
		delete r.expiresAt;
		for (const l of r.lines) l.released = true;
		this.log(
			'release',
			r.lines.map((l) => l.productCode),
			orderNumber,
		);
	}

	/**
	 * the ERP accepted the order: the hold keeps counting, with no expiry any more, until a stock push read after
	 * now shows it. A hold that already expired is not taken again (other orders may hold its units by now).
	 */
	confirm(orderNumber: string): void {
		const r = this.get(orderNumber);
		if (!r || r.status !== 'held') return;
		r.status = 'confirmed';
		r.confirmedAt = this.nowIso();
		delete r.expiresAt;
	}

	/** DELETE: drop the reservation entirely; true when one counted */
	forget(orderNumber: string): boolean {
		const r = this.get(orderNumber);
		if (!r) return false;
		this.reservations.delete(orderNumber);
		const counted = r.status !== 'released';
		if (counted)
			this.log(
				'release',
				r.lines.map((l) => l.productCode),
				orderNumber,
			);
		return counted;
	}

	/**
	 * After a stock push was written: lines of confirmed reservations whose product (and warehouse) the push
	 * covered with a figure read at or after the confirmation are settled (the ERP figure includes them now).
	 */
	afterStockPush(pushed: StockLevel[], receivedAt: number = this.clock.now()): void {
		if (this.indexedKeys === this.stock.size - this.newRows(pushed))
			for (const p of pushed) this.index(p.productCode, whKey(p.productCode, p.warehouseCode));
		this.expireDue(); // after the index is up to date (its log reads the figures)
		for (const r of this.reservations.values()) {
			if (r.status !== 'confirmed') continue;
			const confirmedAt = Date.parse(r.confirmedAt!);
			for (const l of r.lines) {
				if (l.released) continue;
				const covers = pushed.some(
					(s) =>
						s.productCode === l.productCode &&
						(l.warehouseCode === undefined || s.warehouseCode === l.warehouseCode) &&
						(s.updatedAt !== undefined ? Date.parse(s.updatedAt) : receivedAt) >= confirmedAt,
				);
				if (covers) l.released = true;
			}
			if (r.lines.every((l) => l.released)) {
				r.status = 'released';
				r.releasedAt = new Date(receivedAt).toISOString();
				r.releaseReason = 'stockPush';
			}
		}
		this.log(
			'stockPush',
			pushed.map((s) => s.productCode),
		);
	}

	/** the contract's StockReservation */
	view(r: Reservation): Record<string, unknown> {
		const copy: Partial<Reservation> = structuredClone(r);
		delete copy.fingerprint;
		return copy;
	}

	/** how many of the pushed rows the index does not hold yet */
	private newRows(pushed: StockLevel[]): number {
		let n = 0;
		for (const p of pushed) if (!this.byProduct.get(p.productCode)?.has(whKey(p.productCode, p.warehouseCode))) n++;
		return n;
	}

	reset(): void {
		this.byProduct.clear();
		this.indexedKeys = 0;
		this.reservations.clear();
		this.availabilityLog.length = 0;
	}
}
