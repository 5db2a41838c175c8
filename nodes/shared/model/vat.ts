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

/**
 * The VAT rates an order line may carry unless a node's "Allowed VAT Rates" option says otherwise: the Polish
 * rates and the markers. A rate the ERP has no VAT group / symbol for (22, 7, 23.5, 100 — all valid 0–100
 * percentages) would be booked wrong or refused late by the ERP, so the order is refused before anything is sent.
 */
export const DEFAULT_ORDER_VAT_RATES: readonly string[] = [...STANDARD_PL_RATES, 'zw', 'np', 'oo'];

/**
 * "23, 8, 5, 0, zw, np, oo" (commas, semicolons or new lines between; "23%" and "ZW" as the validator reads them) →
 * the rates in canonical form. Blank → the default list. Throws naming the entry that is no VAT rate.
 */
export function parseVatRateList(text: unknown): string[] {
	const entries = String(text ?? '')
		.split(/[,;\n]/)
		.map((e) => e.trim())
		.filter((e) => e !== '');
	if (entries.length === 0) return [...DEFAULT_ORDER_VAT_RATES];
	return entries.map((entry) => {
		const rate = normaliseVatRate(entry);
		if (rate === undefined)
			throw new Error(`"${entry}" is not a VAT rate: use percentages 0–100 and the markers zw, np, oo`);
		return rate;
	});
}

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
