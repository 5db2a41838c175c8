/**
 * Reading SQL Server row values the way every SQL ERP needs them (as the `mssql` driver returns them:
 * money/decimal as JS numbers or strings, datetime as Date or ISO text, bit as boolean or 0/1). The ERP's
 * own mapping (e.g. nodes/SubiektGt/sql/mapping.ts) names the columns and builds canonical records with these.
 *
 * Money: SQL Server `money` has 4 decimal places; values are kept exactly (parseDecimal takes a number's
 * shortest round-trip text, so 12.3457 stays "12.3457") and rounded half up with decimal.ts.
 * Dates: the Polish ERPs store local wall-clock time without a zone; the driver (useUTC: true, its default)
 * labels it UTC. sqlDateTime reads the wall-clock fields back and attaches the zone's offset.
 */
import { isDecimalText, roundDecimal } from '../model/decimal';
import { wallClockToIso } from '../time';
import type { SqlRow } from './types';

/** A row value the canonical model cannot take (the record is refused with this message). */
export class SqlMappingError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SqlMappingError';
	}
}

/** A text column, trimmed; '' for NULL. */
export function text(row: SqlRow, column: string): string {
	const v = row[column];
	if (v === null || v === undefined) return '';
	return String(v).trim();
}

/** A text column that must not be empty (`what` names the record in the error). */
export function required(row: SqlRow, column: string, what: string): string {
	const v = text(row, column);
	if (v === '') throw new SqlMappingError(`${what}: column ${column} is empty`);
	return v;
}

/** A bit column (true, 1, '1', 'true'). */
export function bool(row: SqlRow, column: string): boolean {
	const v = row[column];
	return v === true || v === 1 || v === '1' || (typeof v === 'string' && v.toLowerCase() === 'true');
}

/** A SQL money/decimal value (number or string) rounded to `scale` places; undefined for NULL. */
export function sqlMoney(value: unknown, scale = 4): string | undefined {
	if (value === null || value === undefined || value === '') return undefined;
	const input = typeof value === 'string' ? value.trim() : value;
	if (!isDecimalText(input)) throw new SqlMappingError(`"${String(value)}" is not a SQL money/decimal value`);
	return roundDecimal(input, scale, 'halfUp');
}

/** year, month, day, hour, minute, second of a datetime column as stored (the driver labels it UTC) */
export function wallClockParts(value: unknown): [number, number, number, number, number, number] | undefined {
	if (value === null || value === undefined || value === '') return undefined;
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) return undefined;
		return [
			value.getUTCFullYear(),
			value.getUTCMonth() + 1,
			value.getUTCDate(),
			value.getUTCHours(),
			value.getUTCMinutes(),
			value.getUTCSeconds(),
		];
	}
	const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(String(value));
	if (!m) throw new SqlMappingError(`"${String(value)}" is not a SQL datetime`);
	return [+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)];
}

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');

/** A wall-clock datetime (the ERP's local time, no zone) → ISO 8601 with the zone's offset ("2026-11-26T10:15:00+01:00"). */
export function sqlDateTime(value: unknown, timeZone = 'Europe/Warsaw'): string | undefined {
	const p = wallClockParts(value);
	if (!p) return undefined;
	return wallClockToIso({ year: p[0], month: p[1], day: p[2], hour: p[3], minute: p[4], second: p[5] }, timeZone);
}

/** A datetime → its calendar date ("2026-11-26"). */
export function sqlDate(value: unknown): string | undefined {
	const p = wallClockParts(value);
	return p ? `${pad(p[0], 4)}-${pad(p[1])}-${pad(p[2])}` : undefined;
}
