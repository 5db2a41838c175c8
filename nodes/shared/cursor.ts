/**
 * Incremental reads ("changed since the last successful run"), Airbyte-style: each stream (items, prices,
 * stock, clients, order statuses, invoices, portal orders) keeps one small cursor in the workflow's static
 * data — n8n's database — with a copy in the portal for queue-mode workers (syncState.ts). Cursors come from the data (the ERP's own change
 * stamps), never from n8n's clock, so time zones and clock skew between n8n and the ERP cannot open gaps.
 *
 * Two-phase commit. n8n 2.x saves static data after every production run, failed ones included, so a reader
 * that moved its cursor itself would skip the records of a failed run for good. A reader therefore only
 * records a *pending* position; the B2B Portal node's "Sync Status → Record Run" (status success, the last step
 * of every template, after the portal accepted the writes) commits every pending position of the workflow.
 * A run that fails before it leaves the committed positions where they were, and the next run reads the same
 * window again (upserts are keyed, so reading twice is harmless). A workflow without Record Run never commits:
 * it always reads everything — slower, never wrong.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { zonedWallClock } from './time';

export type CursorMode = 'stored' | 'explicit' | 'all';

/** key of the cursors in the workflow's global static data */
export const CURSOR_STORE = 'syncCursors';

export interface CursorEntry {
	/** position after the last run that ended with a successful Record Run */
	committed?: string;
	/** newest position read by a run that has not (yet) ended successfully */
	pending?: string;
}

/**
 * `opts.instants`: "Changed Since" also takes an instant with a zone (ISO 8601 with Z or an offset, e.g.
 * `{{ $now.minus(1, 'day').toISO() }}`), turned into the ERP's wall clock (readCursor with a time zone).
 */
export function cursorProperties(
	resource: string,
	operations: string[],
	what: string,
	opts: { instants?: boolean; counter?: boolean } = {},
): INodeProperties[] {
	const show = { show: { resource: [resource], operation: operations } };
	return [
		{
			displayName: 'Read',
			description:
				'Which records to read: only those changed since the last successful run, those changed since a time you give, or all',
			name: 'cursorMode',
			type: 'options',
			options: [
				{
					name: 'Changed Since the Last Successful Run',
					value: 'stored',
					description: `Only ${what} changed since the last run that ended with "Record Run" (active workflows only)`,
				},
				{ name: 'Changed Since a Time I Give', value: 'explicit' },
				{ name: 'All', value: 'all', description: `Every one of the ${what} (a full refresh)` },
			],
			default: 'stored',
			displayOptions: show,
		},
		{
			displayName: 'Changed Since',
			name: 'since',
			type: 'string',
			default: '',
			placeholder: opts.counter ? '123456789' : '2026-11-26 10:15:00',
			description: opts.counter
				? "The ERP's change counter (a whole number, e.g. enova365's Stamp): records changed after it"
				: opts.instants
					? "The ERP's local date and time (YYYY-MM-DD HH:MM:SS), or an instant with a zone (2026-11-26T09:15:00Z, 2026-11-26T10:15:00+01:00) — turned into the ERP's local time"
					: "The ERP's local date and time (YYYY-MM-DD HH:MM:SS)",
			displayOptions: { show: { ...show.show, cursorMode: ['explicit'] } },
		},
	];
}

export interface Cursor {
	mode: CursorMode;
	/** "YYYY-MM-DD HH:MM:SS" in the ERP's local time, or undefined for a full read */
	since?: string;
	key: string;
}

const STAMP = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?))?$/;
/** an instant: ISO 8601 date-time with Z or a UTC offset */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** An instant → the wall clock of `timeZone` as "YYYY-MM-DD HH:MM:SS" (fractions of a second dropped). */
export function instantToStamp(instant: string, timeZone: string): string | undefined {
	const ms = Date.parse(instant);
	if (!INSTANT.test(instant) || Number.isNaN(ms)) return undefined;
	const w = zonedWallClock(ms, timeZone);
	return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

function store(ctx: IExecuteFunctions): Record<string, CursorEntry> {
	const data = ctx.getWorkflowStaticData('global');
	return { ...((data[CURSOR_STORE] as Record<string, CursorEntry> | undefined) ?? {}) };
}

function writeStore(ctx: IExecuteFunctions, cursors: Record<string, CursorEntry>): void {
	// assigned as a whole so n8n notices the change
	ctx.getWorkflowStaticData('global')[CURSOR_STORE] = cursors as unknown as IDataObject;
}

/** The committed position of a stream (free-text positions too, e.g. the portal's opaque order cursor). */
export function committedPosition(ctx: IExecuteFunctions, key: string): string | undefined {
	return store(ctx)[key]?.committed;
}

/**
 * The stream's cursor. `timeZone` (the ERP's zone): an explicit "Changed Since" given as an instant with a
 * zone is turned into that zone's wall clock — the ERP compares its local times, so the instant itself would
 * be an hour or two off. Without it, only wall-clock stamps are accepted.
 */
export function readCursor(ctx: IExecuteFunctions, key: string, opts: { timeZone?: string } = {}): Cursor {
	const mode = ctx.getNodeParameter('cursorMode', 0, 'stored') as CursorMode;
	if (mode === 'all') return { mode, key };
	if (mode === 'explicit') {
		const text = String(ctx.getNodeParameter('since', 0, '')).trim();
		if (opts.timeZone && INSTANT.test(text)) {
			let stamp: string | undefined;
			try {
				stamp = instantToStamp(text, opts.timeZone);
			} catch {
				throw new NodeOperationError(ctx.getNode(), `Unknown time zone "${opts.timeZone}"`, { itemIndex: 0 });
			}
			if (stamp) return { mode, key, since: stamp };
		}
		const m = STAMP.exec(text);
		if (!m)
			throw new NodeOperationError(ctx.getNode(), `Changed Since must look like 2026-11-26 10:15:00, got "${text}"`, {
				itemIndex: 0,
			});
		return { mode, key, since: `${m[1]} ${(m[2] ?? '00:00:00').padEnd(8, ':00').slice(0, 8)}` };
	}
	const committed = committedPosition(ctx, key);
	return { mode, key, since: committed && STAMP.test(committed) ? committed : undefined };
}

/** Records the newest position read as pending; Record Run (success) commits it. */
export function saveCursor(ctx: IExecuteFunctions, cursor: Cursor, newest: string | undefined): void {
	if (cursor.mode === 'explicit' || !newest) return;
	setPending(ctx, cursor.key, newest, (a, b) => (a > b ? a : b));
}

/** Pending position of a stream whose positions are opaque (the newest read wins). */
export function setPending(
	ctx: IExecuteFunctions,
	key: string,
	position: string,
	newer: (a: string, b: string) => string = (_a, b) => b,
): void {
	const cursors = store(ctx);
	const entry = { ...(cursors[key] ?? {}) };
	const base = entry.pending ?? entry.committed;
	entry.pending = base ? newer(base, position) : position;
	cursors[key] = entry;
	writeStore(ctx, cursors);
}

/** Moves every pending position to committed (a pure function on the stored object, for Record Run and tests). */
export function commitPending(cursors: Record<string, CursorEntry>): {
	cursors: Record<string, CursorEntry>;
	committed: string[];
} {
	const out: Record<string, CursorEntry> = {};
	const committed: string[] = [];
	for (const [key, entry] of Object.entries(cursors)) {
		if (entry.pending !== undefined) {
			out[key] = { committed: entry.pending };
			committed.push(key);
		} else out[key] = { ...entry };
	}
	return { cursors: out, committed };
}

/** Called by Record Run (success): commits the workflow's pending positions; returns the streams committed. */
export function commitCursors(ctx: IExecuteFunctions): string[] {
	const { cursors, committed } = commitPending(store(ctx));
	if (committed.length) writeStore(ctx, cursors);
	return committed;
}

export function splitStamp(stamp: string): { date: string; time: string } {
	const [date, time] = stamp.split(' ');
	return { date, time: time ?? '00:00:00' };
}

export function newestOf(a: string | undefined, b: string | undefined): string | undefined {
	if (!a) return b;
	if (!b) return a;
	return a > b ? a : b;
}

/**
 * Cursors that are an ERP's change counter instead of a time: enova365's `Stamp` (the database rowversion as a
 * decimal string, docs/enova365-webapi-contract.md). Compared as whole numbers (a 20-digit rowversion is beyond a
 * float), so "99" < "100". Same modes, same two-phase commit as the time cursors above.
 */
const COUNTER = /^\d{1,30}$/;

export function readCounterCursor(ctx: IExecuteFunctions, key: string): Cursor {
	const mode = ctx.getNodeParameter('cursorMode', 0, 'stored') as CursorMode;
	if (mode === 'all') return { mode, key };
	if (mode === 'explicit') {
		const text = String(ctx.getNodeParameter('since', 0, '')).trim();
		if (!COUNTER.test(text))
			throw new NodeOperationError(
				ctx.getNode(),
				`Changed Since must be the ERP's change counter (a whole number such as 123456789), got "${text}"`,
				{ itemIndex: 0 },
			);
		return { mode, key, since: text };
	}
	const committed = committedPosition(ctx, key);
	return { mode, key, since: committed && COUNTER.test(committed) ? committed : undefined };
}

/** The larger of two change counters (undefined ignored). */
export function newestCounter(a: string | undefined, b: string | undefined): string | undefined {
	if (!a || !COUNTER.test(a)) return b && COUNTER.test(b) ? b : undefined;
	if (!b || !COUNTER.test(b)) return a;
	return BigInt(a) >= BigInt(b) ? a : b;
}

/** The smaller of two change counters (undefined ignored): the safe start when two reads each took a counter. */
export function oldestCounter(a: string | undefined, b: string | undefined): string | undefined {
	if (!a || !COUNTER.test(a)) return b && COUNTER.test(b) ? b : undefined;
	if (!b || !COUNTER.test(b)) return a;
	return BigInt(a) <= BigInt(b) ? a : b;
}

/** Records the counter read as pending (never moving back); Record Run (success) commits it. */
export function saveCounterCursor(ctx: IExecuteFunctions, cursor: Cursor, position: string | undefined): void {
	if (cursor.mode === 'explicit' || !position || !COUNTER.test(position)) return;
	setPending(ctx, cursor.key, position, (a, b) => newestCounter(a, b) ?? b);
}
