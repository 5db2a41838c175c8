/**
 * Exact decimal arithmetic for money and quantities. Values are kept as a BigInt of units at a given
 * scale (number of decimal places), never as binary floats. Inputs are decimal strings ("12.345",
 * "-0.5", "1 234,56" is NOT accepted: normalise separators at the ERP edge) or safe JS numbers whose
 * shortest round-trip text is used (0.1 → "0.1", never 0.1000000000000000055...).
 */

export type RoundingMode = 'halfUp' | 'halfEven' | 'down' | 'up';

export const ROUNDING_MODES: RoundingMode[] = ['halfUp', 'halfEven', 'down', 'up'];

const DECIMAL_RE = /^([+-])?(\d+)(?:\.(\d+))?$/;

export class DecimalFormatError extends Error {
	constructor(public readonly input: unknown) {
		super(`"${String(input)}" is not a decimal number (use digits with "." as the decimal separator)`);
		this.name = 'DecimalFormatError';
	}
}

export interface ScaledDecimal {
	/** the value times 10^scale */
	units: bigint;
	scale: number;
}

const POW10: bigint[] = Array.from({ length: 40 }, (_, i) => 10n ** BigInt(i));

function pow10(n: number): bigint {
	return n < POW10.length ? POW10[n] : 10n ** BigInt(n);
}

/** Parses a decimal string or a finite number into exact units at its own scale. */
export function parseDecimal(input: unknown): ScaledDecimal {
	let text: string;
	if (typeof input === 'number') {
		if (!Number.isFinite(input)) throw new DecimalFormatError(input);
		text = numberToPlainString(input);
	} else if (typeof input === 'string') {
		text = input.trim();
	} else if (typeof input === 'bigint') {
		return { units: input, scale: 0 };
	} else {
		throw new DecimalFormatError(input);
	}
	const m = DECIMAL_RE.exec(text);
	if (!m) throw new DecimalFormatError(input);
	const frac = m[3] ?? '';
	let units = BigInt(m[2] + frac);
	if (m[1] === '-') units = -units;
	return { units, scale: frac.length };
}

/** Shortest round-trip text of a JS number without exponent notation. */
function numberToPlainString(n: number): string {
	const s = String(n);
	if (!/e/i.test(s)) return s;
	const [mant, expText] = s.toLowerCase().split('e');
	const exp = Number(expText);
	const neg = mant.startsWith('-');
	const digits = mant.replace('-', '').replace('.', '');
	const pointPos =
		(mant.replace('-', '').indexOf('.') === -1 ? mant.replace('-', '').length : mant.replace('-', '').indexOf('.')) +
		exp;
	let out: string;
	if (pointPos <= 0) out = `0.${'0'.repeat(-pointPos)}${digits}`;
	else if (pointPos >= digits.length) out = digits + '0'.repeat(pointPos - digits.length);
	else out = `${digits.slice(0, pointPos)}.${digits.slice(pointPos)}`;
	return neg ? `-${out}` : out;
}

/** Changes the scale of a value, rounding with the given mode when decimals are dropped. */
export function rescale(value: ScaledDecimal, scale: number, mode: RoundingMode = 'halfUp'): ScaledDecimal {
	if (scale === value.scale) return value;
	if (scale > value.scale) return { units: value.units * pow10(scale - value.scale), scale };
	const divisor = pow10(value.scale - scale);
	const neg = value.units < 0n;
	const abs = neg ? -value.units : value.units;
	let q = abs / divisor;
	const r = abs % divisor;
	if (r !== 0n) {
		const twice = r * 2n;
		switch (mode) {
			case 'down':
				break;
			case 'up':
				q += 1n;
				break;
			case 'halfUp':
				if (twice >= divisor) q += 1n;
				break;
			case 'halfEven':
				if (twice > divisor || (twice === divisor && q % 2n === 1n)) q += 1n;
				break;
		}
	}
	return { units: neg ? -q : q, scale };
}

export function formatDecimal(value: ScaledDecimal): string {
	const neg = value.units < 0n;
	const abs = (neg ? -value.units : value.units).toString();
	if (value.scale === 0) return (neg ? '-' : '') + abs;
	const padded = abs.padStart(value.scale + 1, '0');
	const int = padded.slice(0, padded.length - value.scale);
	const frac = padded.slice(padded.length - value.scale);
	const text = `${int}.${frac}`;
	return neg && /[1-9]/.test(text) ? `-${text}` : text;
}

/** Parses, rounds to `scale` places and formats: roundDecimal("1.005", 2) === "1.01". */
export function roundDecimal(input: unknown, scale = 2, mode: RoundingMode = 'halfUp'): string {
	return formatDecimal(rescale(parseDecimal(input), scale, mode));
}

function align(a: ScaledDecimal, b: ScaledDecimal): [bigint, bigint, number] {
	const scale = Math.max(a.scale, b.scale);
	return [rescale(a, scale).units, rescale(b, scale).units, scale];
}

export function addDecimal(a: unknown, b: unknown): ScaledDecimal {
	const [x, y, scale] = align(parseDecimal(a), parseDecimal(b));
	return { units: x + y, scale };
}

export function subtractDecimal(a: unknown, b: unknown): ScaledDecimal {
	const [x, y, scale] = align(parseDecimal(a), parseDecimal(b));
	return { units: x - y, scale };
}

export function multiplyDecimal(a: unknown, b: unknown): ScaledDecimal {
	const x = parseDecimal(a);
	const y = parseDecimal(b);
	return { units: x.units * y.units, scale: x.scale + y.scale };
}

/** -1, 0 or 1 */
/** whole numbers a double holds exactly: compared as numbers (most stock figures; no BigInt per comparison) */
const SMALL_WHOLE = /^-?\d{1,15}$/;

/** Whether a decimal text is a whole number of at most 15 digits, which a double holds and adds exactly. */
export function isSmallWhole(text: unknown): text is string {
	return typeof text === 'string' && SMALL_WHOLE.test(text);
}

export function compareDecimal(a: unknown, b: unknown): number {
	if (isSmallWhole(a) && isSmallWhole(b)) {
		const d = Number(a) - Number(b);
		return d === 0 ? 0 : d < 0 ? -1 : 1;
	}
	const [x, y] = align(parseDecimal(a), parseDecimal(b));
	return x === y ? 0 : x < y ? -1 : 1;
}

export function isDecimalText(input: unknown): boolean {
	try {
		parseDecimal(input);
		return true;
	} catch {
		return false;
	}
}

/** Integer minor units (grosze for PLN) of an amount, rounded to `scale` places first. */
export function toMinorUnits(input: unknown, scale = 2, mode: RoundingMode = 'halfUp'): bigint {
	return rescale(parseDecimal(input), scale, mode).units;
}

export function fromMinorUnits(units: bigint, scale = 2): string {
	return formatDecimal({ units, scale });
}

/** a ÷ b rounded to `scale` places by `mode` (exact: long division on integers). */
export function divideDecimal(a: unknown, b: unknown, scale = 2, mode: RoundingMode = 'halfUp'): string {
	const x = parseDecimal(a);
	const y = parseDecimal(b);
	if (y.units === 0n) throw new DecimalFormatError(b);
	// x/y = (xu / 10^xs) / (yu / 10^ys); compute with 2 extra digits, then round
	const extra = scale + 2;
	const num = x.units * 10n ** BigInt(extra + y.scale);
	const den = y.units * 10n ** BigInt(x.scale);
	const q = num / den;
	const rem = num % den;
	// one more digit beyond the two extra ones decides ties beyond precision: treat any remainder as > 0
	const sticky = rem === 0n ? 0n : q < 0n !== rem < 0n ? 0n : 1n;
	const scaled: ScaledDecimal = { units: q * 10n + (q >= 0n ? sticky : -sticky), scale: extra + 1 };
	return formatDecimal(rescale(scaled, scale, mode));
}

/** "12.3400" → "12.34", "2.0000" → "2", "0.1250" → "0.125" (exact; keeps at least `minPlaces`). */
/**
 * "12.5000" → "12.5", "3.000" → "3", "40" → "40": the zeros after the decimal point removed, in one pass from the
 * end. (The pattern `/\.?0+$/` it replaces is tried from every position of the text: quadratic on a long field.)
 */
export function stripTrailingZeros(text: string): string {
	const dot = text.indexOf('.');
	if (dot < 0) return text;
	let end = text.length;
	while (end > dot + 1 && text.charCodeAt(end - 1) === 48) end--;
	if (end === text.length) return text;
	return text.slice(0, end === dot + 1 ? dot : end);
}

export function trimDecimal(value: string, minPlaces = 0): string {
	const text = formatDecimal(parseDecimal(value));
	if (!text.includes('.')) return minPlaces > 0 ? `${text}.${'0'.repeat(minPlaces)}` : text;
	const [int, fracText] = text.split('.');
	let frac = fracText;
	while (frac.length > minPlaces && frac.endsWith('0')) frac = frac.slice(0, -1);
	return frac.length ? `${int}.${frac}` : int;
}
