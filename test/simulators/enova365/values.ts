/**
 * Soneta value shapes as enova's WebAPI serialises them (erp-facts-enova-optima §1 [S1]): money
 * `{"Value": "5", "Symbol": "PLN"}` — Value a STRING, the decimal's own text, so "5", "129,9" and "129,99" all
 * occur (the Soneta sample answers "5" for five złoty) —, percent `"50,00%"`, date `"2026-11-26"`, period
 * `{"From", "To"}` with `"9999-12-31"` = open, enums as numbers. Money is kept in grosze (integers) inside the
 * simulator, quantities as numbers rounded to 4 places.
 */

export type DecimalSeparator = ',' | '.';

export interface Money {
	Value: string;
	Symbol: string;
}

export interface Period {
	From: string;
	To: string;
}

/** the open end of a period in enova */
export const OPEN_END = '9999-12-31';

/** grosze → the decimal's text without trailing zeros ("5", "129,9", "129,99"), with the chosen separator */
export function decimalText(grosze: number, sep: DecimalSeparator): string {
	const neg = grosze < 0;
	const abs = Math.abs(grosze);
	const whole = Math.floor(abs / 100);
	const frac = String(abs % 100)
		.padStart(2, '0')
		.replace(/0+$/, '');
	return `${neg ? '-' : ''}${whole}${frac ? sep + frac : ''}`;
}

export function money(grosze: number, sep: DecimalSeparator, symbol = 'PLN'): Money {
	return { Value: decimalText(grosze, sep), Symbol: symbol };
}

/** hundredths of a percent → "50,00%" (always a comma and two places, as Soneta's Percent.ToString) */
export function percent(hundredths: number): string {
	const neg = hundredths < 0;
	const abs = Math.abs(hundredths);
	return `${neg ? '-' : ''}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}%`;
}

/** a VAT rate as the contract answers it: "23,00%", or "zw" for exempt */
export function vatText(rate: VatRate): string {
	return rate === 'zw' ? 'zw' : percent(rate * 100);
}

/** VAT rate in whole percent, or 'zw' (exempt) */
export type VatRate = number | 'zw';

export const roundQty = (q: number): number => Math.round(q * 10000) / 10000;

/** net grosze × (100 + rate)% rounded half up to the grosz */
export function grossOf(netGrosze: number, rate: VatRate): number {
	const pct = rate === 'zw' ? 0 : rate;
	return Math.round((netGrosze * (100 + pct)) / 100);
}

export function netOf(grossGrosze: number, rate: VatRate): number {
	const pct = rate === 'zw' ? 0 : rate;
	return Math.round((grossGrosze * 100) / (100 + pct));
}

export class InputError extends Error {}

const DECIMAL = /^-?\d{1,15}(?:[.,]\d{1,6})?$/;

/**
 * A decimal the client sent: a JSON number, a string with a dot or a comma ("129.99", "129,99"), or a Soneta
 * money object (its Value). Anything else (thousand separators, "12 zł", NaN, "") is refused.
 */
export function parseDecimalInput(v: unknown, what: string): number {
	if (v && typeof v === 'object' && !Array.isArray(v) && 'Value' in v) v = (v as { Value: unknown }).Value;
	if (typeof v === 'number') {
		if (!Number.isFinite(v)) throw new InputError(`${what}: not a number`);
		return v;
	}
	if (typeof v === 'string' && DECIMAL.test(v.trim())) return Number(v.trim().replace(',', '.'));
	throw new InputError(`${what}: not a decimal: ${JSON.stringify(v)}`);
}

/** a percent the client sent: "5,00%", "5%", "5", "5.5" or a number → hundredths of a percent */
export function parsePercentInput(v: unknown, what: string): number {
	const text = typeof v === 'string' ? v.trim().replace(/\s*%$/, '') : v;
	return Math.round(parseDecimalInput(text, what) * 100);
}

/** a VAT rate the client sent: "23,00%", "23%", 23, "zw" */
export function parseVatInput(v: unknown, what: string): VatRate {
	if (typeof v === 'string' && /^zw\.?$/i.test(v.trim())) return 'zw';
	const h = parsePercentInput(v, what);
	if (h % 100 !== 0 || h < 0 || h > 10000) throw new InputError(`${what}: not a VAT rate: ${JSON.stringify(v)}`);
	return h / 100;
}

export const isIsoDate = (s: unknown): s is string =>
	typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
