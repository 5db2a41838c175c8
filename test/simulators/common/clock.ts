/**
 * A simulator's clock (SAP, enova365). SAP stamps records with the server's LOCAL date and time (UpdateDate is local
 * midnight, UpdateTime local "HH:MM:SS"), so the clock has a time zone (default Europe/Warsaw, like a
 * Polish install). It runs in real time from `start` unless frozen; tests move it with advance()/set()
 * to expire sessions or to stamp writes at chosen moments without waiting.
 */

export interface LocalStamp {
	/** YYYY-MM-DD in the server's time zone */
	date: string;
	/** HH:MM:SS in the server's time zone */
	time: string;
}

export interface SimClock {
	/** epoch milliseconds of simulated now */
	now(): number;
	/** moves simulated time forward (negative moves it back); returns the new now() */
	advance(ms: number): number;
	/** jumps to an instant (Date, ISO string or epoch ms) */
	set(t: Date | string | number): void;
	/** stops the clock at its current value (it still moves with advance/set) */
	freeze(): void;
	/** lets it run in real time again */
	resume(): void;
	readonly frozen: boolean;
	/** IANA time zone of the simulated server */
	readonly timeZone: string;
	/** the server-local date and time of now() (or of `t`) as SAP stores them */
	stamp(t?: number): LocalStamp;
}

export interface ClockOptions {
	start?: Date | string | number;
	frozen?: boolean;
	timeZone?: string;
}

export function createClock(opts: ClockOptions = {}): SimClock {
	const timeZone = opts.timeZone ?? 'Europe/Warsaw';
	const fmt = new Intl.DateTimeFormat('en-GB', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
		hourCycle: 'h23',
	});
	let base = toMs(opts.start ?? Date.now());
	let anchor = Date.now();
	let frozen = opts.frozen ?? false;
	const now = () => (frozen ? base : base + (Date.now() - anchor));
	const rebase = (ms: number) => {
		base = ms;
		anchor = Date.now();
	};
	return {
		now,
		advance(ms) {
			rebase(now() + ms);
			return base;
		},
		set(t) {
			rebase(toMs(t));
		},
		freeze() {
			rebase(now());
			frozen = true;
		},
		resume() {
			rebase(now());
			frozen = false;
		},
		get frozen() {
			return frozen;
		},
		timeZone,
		stamp(t) {
			const parts: Record<string, string> = {};
			for (const p of fmt.formatToParts(new Date(t ?? now()))) parts[p.type] = p.value;
			return {
				date: `${parts.year}-${parts.month}-${parts.day}`,
				time: `${parts.hour}:${parts.minute}:${parts.second}`,
			};
		},
	};
}

function toMs(t: Date | string | number): number {
	const ms = t instanceof Date ? t.getTime() : typeof t === 'string' ? Date.parse(t) : t;
	if (!Number.isFinite(ms)) throw new Error(`not a time: ${String(t)}`);
	return ms;
}

/** YYYY-MM-DD plus n days (calendar arithmetic, no time zone involved) */
export function addDays(date: string, n: number): string {
	const d = new Date(`${date}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return d.toISOString().slice(0, 10);
}
