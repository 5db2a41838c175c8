/**
 * Exact decimal arithmetic for document totals: amounts are integer grosze (BigInt inside the formulas),
 * quantities and percentages are scaled integers, and every rounding is explicit half-away-from-zero.
 * No float ever accumulates: DocTotal = Σ LineTotal + Σ TaxTotal computed in grosze.
 */

/** the number (or numeric string) as an integer scaled by 10^scale, rounded half away from zero */
export function toScaled(v: number | string, scale: number): bigint {
	let s = typeof v === 'number' ? plain(v) : v.trim();
	if (!/^[-+]?\d+(\.\d*)?$|^[-+]?\.\d+$/.test(s)) throw new Error(`not a decimal number: ${String(v)}`);
	let neg = false;
	if (s[0] === '-' || s[0] === '+') {
		neg = s[0] === '-';
		s = s.slice(1);
	}
	const [int, frac = ''] = s.split('.');
	const kept = (frac + '0'.repeat(scale)).slice(0, scale);
	let n = BigInt((int || '0') + kept);
	const next = frac.length > scale ? Number(frac[scale]) : 0;
	if (next >= 5) n += 1n;
	return neg ? -n : n;
}

/** a scaled integer back to a JS number (exact decimal repr for amounts of realistic size) */
export function fromScaled(v: bigint, scale: number): number {
	const neg = v < 0n;
	const digits = (neg ? -v : v).toString().padStart(scale + 1, '0');
	const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
	return Number(neg ? `-${text}` : text);
}

/** round(a * b / d), half away from zero */
export function mulDiv(a: bigint, b: bigint, d: bigint): bigint {
	const num = a * b;
	const neg = num < 0n !== d < 0n;
	const an = num < 0n ? -num : num;
	const ad = d < 0n ? -d : d;
	const q = (an * 2n + ad) / (2n * ad);
	return neg ? -q : q;
}

/** a finite number written without exponent */
function plain(n: number): string {
	if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
	const s = String(n);
	if (!/e/i.test(s)) return s;
	return n.toFixed(20).replace(/\.?0+$/, '');
}

/** quantities keep at most 6 decimals (SAP's quantity precision) */
export function roundQty(q: number): number {
	return fromScaled(toScaled(q, 6), 6);
}

export const grosze = (v: number | string): bigint => toScaled(v, 2);
export const pln = (g: bigint): number => fromScaled(g, 2);
