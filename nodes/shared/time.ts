/**
 * Wall-clock time in a named zone, shared by the ERP mappings: SAP and Subiekt store local time without a
 * zone, EDI++ writes local yyyymmddhhnnss. One implementation of the Intl arithmetic for all of them.
 */

export interface WallClock {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
}

/** The wall clock of `timeZone` at the instant `utcMs` (throws RangeError for an unknown zone). */
export function zonedWallClock(utcMs: number, timeZone: string): WallClock {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(utcMs));
	const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
	return {
		year: get('year'),
		month: get('month'),
		day: get('day'),
		hour: get('hour'),
		minute: get('minute'),
		second: get('second'),
	};
}

/** Offset in minutes of `timeZone` at the instant `utcMs` (e.g. Europe/Warsaw in summer → 120). */
export function zoneOffsetMinutes(utcMs: number, timeZone: string): number {
	const w = zonedWallClock(utcMs, timeZone);
	return Math.round((Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - utcMs) / 60_000);
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/**
 * A local wall-clock time in `timeZone` → ISO 8601 with that zone's offset at that moment
 * ("2026-07-01T10:15:00+02:00"; "Z" when the offset is 0). Throws RangeError for an unknown zone.
 */
export function wallClockToIso(w: WallClock, timeZone: string): string {
	const wall = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
	let offset = zoneOffsetMinutes(wall, timeZone);
	offset = zoneOffsetMinutes(wall - offset * 60_000, timeZone);
	const local = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
	if (offset === 0) return `${local}Z`;
	return `${local}${offset < 0 ? '-' : '+'}${pad(Math.trunc(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}
