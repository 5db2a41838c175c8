/**
 * Polish VAT rates. A rate is a percentage ("23", "8", "5", "0") or one of the markers below, which
 * have no percentage and must never be confused with 0 %:
 *   zw — zwolniony (exempt, art. 43 / 113 ustawy o VAT)
 *   np — nie podlega (not subject to Polish VAT, e.g. services taxed abroad)
 *   oo — odwrotne obciążenie (reverse charge; the buyer accounts for VAT)
 * 0 % itself is a rate (WDT, export) and is written "0".
 */
import { parseDecimal } from './decimal';
import { hasOwn } from '../own';

export const VAT_MARKERS = {
	zw: 'exempt (zwolniony)',
	np: 'not subject to VAT (nie podlega)',
	oo: 'reverse charge (odwrotne obciążenie)',
} as const;

export type VatMarker = keyof typeof VAT_MARKERS;

export const STANDARD_PL_RATES = ['23', '8', '5', '0'];

/** Normalises "23%", " 23 ", 23, "ZW", "NP." to the canonical form, or returns undefined when invalid. */
export function normaliseVatRate(input: unknown): string | undefined {
	if (typeof input === 'number') input = String(input);
	if (typeof input !== 'string') return undefined;
	let text = input.trim().toLowerCase().replace(/\.$/, '');
	// "23 %" → "23" by hand: /\s*%$/ is tried from every position of a long field (quadratic)
	if (text.endsWith('%')) text = text.slice(0, -1).trimEnd();
	if (isVatMarker(text)) return text;
	try {
		const d = parseDecimal(text);
		if (d.units < 0n) return undefined;
		const asNumber = Number(text);
		if (asNumber > 100) return undefined;
		return String(asNumber);
	} catch {
		return undefined;
	}
}

export function isVatMarker(rate: string): rate is VatMarker {
	// own keys only: "constructor" or "__proto__" from an order is no marker (it once passed as 0 %)
	return hasOwn(VAT_MARKERS, rate);
}

/** Percentage as a decimal string; markers carry no VAT, so 0. */
export function vatPercent(rate: string): string {
	return isVatMarker(rate) ? '0' : rate;
}
