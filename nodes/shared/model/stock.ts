/**
 * Stock below zero is data, not a bad record: ERPs sell below zero (goods issued before their receipt is booked;
 * Subiekt GT and SAP B1 both allow it, erp-facts §2/§4), and a stock read that refused such a row would stop every
 * stock move until someone edits the ERP. The portal contract (docs/portal-api.yaml, Quantity) holds only figures
 * ≥ 0, so every stock read — SAP B1, Subiekt GT SQL, ERP File CSV / XML / JSON, each ERP added later — calls
 * `normaliseStock` on each level, and the Stock Buffer does the same for records from elsewhere. ONE rule:
 *
 *   onHand    < 0  → onHand 0 and available 0 (nothing is on the shelf, whatever else the ERP says)
 *   reserved  < 0  → reserved 0
 *   available < 0  → available 0 (reserved more than on hand, or the ERP's own "available" below zero)
 *   incoming  < 0  → incoming 0
 *   ERPs that give on hand and reserved only: available = onHand − reserved of the figures above, below 0 → 0
 *
 * A level with any figure below zero keeps what the ERP said in `_belowZero` ({ "onHand": "-3", … }), which the
 * portal never receives (the B2B Portal node sends canonical fields only): a read counts those levels in its
 * summary (`negativeStock`, with the first codes), so the user sees them and the rest of the file is synced.
 *
 * 300,000 levels per run: the common case (no figure below zero) costs one character test per figure and no
 * allocation; only a level below zero gets its `_belowZero` object.
 */
import { formatDecimal, isSmallWhole, parseDecimal, stripTrailingZeros, subtractDecimal } from './decimal';

/** the field of a stock level that keeps the ERP's figures below zero (not canonical: never sent to the portal) */
export const BELOW_ZERO_FIELD = '_belowZero';

/** the figures of a stock level, as an ERP or a file gives them (text or numbers; checked later by validateRecord) */
export interface StockFigures {
	onHand?: unknown;
	reserved?: unknown;
	available?: unknown;
	incoming?: unknown;
	[BELOW_ZERO_FIELD]?: Record<string, string>;
}

const MINUS = 45;
const SPACE = 32;
const TAB = 9;

/** Whether a figure is a number below zero; text that is no number is left to validateRecord (false). */
export function isBelowZero(value: unknown): boolean {
	if (typeof value === 'number') return value < 0;
	if (typeof value !== 'string') return false;
	const c = value.charCodeAt(0);
	// the common path: a figure that does not start with "-" (or a space before one) is not below zero
	if (c !== MINUS && c !== SPACE && c !== TAB) return false;
	try {
		return parseDecimal(value).units < 0n;
	} catch {
		return false;
	}
}

/** a − b of two quantity texts, without trailing zeros ("5.25" − "0.05" = "5.2"); whole ones as plain numbers */
export function quantityDifference(a: string, b: string): string {
	if (isSmallWhole(a) && isSmallWhole(b)) {
		const d = Number(a) - Number(b);
		return d === 0 ? '0' : String(d);
	}
	const text = formatDecimal(subtractDecimal(a, b));
	return stripTrailingZeros(text);
}

/** Whether `normaliseStock` would change the level (for callers that must copy a record before changing it). */
export function stockBelowZero(level: StockFigures): boolean {
	return (
		isBelowZero(level.onHand) ||
		isBelowZero(level.reserved) ||
		isBelowZero(level.available) ||
		isBelowZero(level.incoming)
	);
}

function keep(level: StockFigures, field: 'onHand' | 'reserved' | 'available' | 'incoming', value: unknown): void {
	(level[BELOW_ZERO_FIELD] ??= {})[field] = typeof value === 'string' ? value.trim() : String(value);
}

/**
 * Applies the rule above to `level` in place. `computeAvailable`: the ERP gives on hand and reserved only
 * (onHand and reserved must then be decimal texts), so available is computed here. Returns whether any figure was
 * below zero (the level then carries `_belowZero`).
 */
export function normaliseStock(level: StockFigures, computeAvailable = false): boolean {
	const onHandBelow = isBelowZero(level.onHand);
	let below = onHandBelow;
	if (onHandBelow) {
		keep(level, 'onHand', level.onHand);
		level.onHand = '0';
	}
	if (isBelowZero(level.reserved)) {
		below = true;
		keep(level, 'reserved', level.reserved);
		level.reserved = '0';
	}
	if (computeAvailable) {
		const available = quantityDifference(String(level.onHand ?? '0'), String(level.reserved ?? '0'));
		if (available.charCodeAt(0) === MINUS) {
			// on hand below zero is kept already; reserved above on hand is kept as the available it gives
			if (!onHandBelow) keep(level, 'available', available);
			below = true;
			level.available = '0';
		} else level.available = available;
	} else if (onHandBelow) {
		if (isBelowZero(level.available)) keep(level, 'available', level.available);
		level.available = '0';
	} else if (isBelowZero(level.available)) {
		below = true;
		keep(level, 'available', level.available);
		level.available = '0';
	}
	if (isBelowZero(level.incoming)) {
		below = true;
		keep(level, 'incoming', level.incoming);
		level.incoming = '0';
	}
	return below;
}

/** How many levels of a read were below zero, and the first codes, for the read's summary. */
export class BelowZeroTally {
	static readonly MAX_CODES = 20;
	count = 0;
	readonly codes: string[] = [];

	add(productCode: unknown, warehouseCode?: unknown): void {
		this.count++;
		if (this.codes.length < BelowZeroTally.MAX_CODES)
			this.codes.push(warehouseCode ? `${String(productCode)} / ${String(warehouseCode)}` : String(productCode));
	}

	/** "2 stock levels below zero in the ERP, sent as 0: ŻUK-7 / MAG, ŁÓD-001 / MAG", or undefined when none */
	message(): string | undefined {
		if (!this.count) return undefined;
		const more = this.count > this.codes.length ? `, … (${this.count - this.codes.length} more)` : '';
		const levels = this.count === 1 ? 'stock level' : 'stock levels';
		return `${this.count} ${levels} below zero in the ERP, sent with available 0: ${this.codes.join(', ')}${more}`;
	}
}
