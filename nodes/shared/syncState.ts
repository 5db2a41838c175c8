/**
 * A flow's sync state — its committed read positions (cursor.ts) and record fingerprints (delta.ts) — kept in the
 * portal as well as in the workflow's static data, so that every n8n process can read it.
 *
 * Why: n8n 2.41.1 in queue mode does not hand workflow static data to the worker that runs an execution
 * (docs/deploy.md), so a worker starts every run without the previous run's state. The portal is the one store
 * every worker of every deployment already reaches with a credential. "Load Sync State" (B2B Portal node, right
 * after the trigger) puts the portal's copy into static data before the ERP reads look at it; "Record Run" sends
 * the run's changes back (PATCH /v1/sync-state/{key}) before it commits them locally. The key is the n8n workflow
 * id.
 *
 * Regular mode costs one small request per run: static data already holds the state, so Load asks with
 * If-None-Match and the portal answers 304. A workflow without Load behaves as before (static data only).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { commitPending, CURSOR_STORE, type CursorEntry } from './cursor';
import { commitDeltaPending, DELTA_STORE, type DeltaState } from './delta';

/** key of the bookkeeping in the workflow's global static data */
export const SYNC_STATE_META = 'syncStateStore';

/** keys one PATCH sets or removes at most (the contract allows 50,000; smaller bodies, ≈ 1.5 MB) */
export const PATCH_KEYS = 20_000;

export interface SyncStateMeta {
	/** the portal's key of this flow's state (the workflow id) */
	key: string;
	/** the portal's version that static data holds; 0 = none (the next Load reads the whole state) */
	version: number;
	/** the execution that ran Load: only that run's Record Run writes the state back */
	loadedIn?: string;
	/** the portal had no state while static data had some (a flow older than the store): send all of it */
	upload?: boolean;
}

/** The portal's representation (GET /v1/sync-state/{key}). */
export interface PortalSyncState {
	key: string;
	version: number;
	cursors: Record<string, string>;
	deltas: Record<string, Record<string, string>>;
}

export interface SyncStatePatch {
	baseVersion: number;
	reset?: boolean;
	cursors?: Record<string, string | null>;
	deltas?: Record<string, { set?: Record<string, string>; remove?: string[] }>;
}

/** What a run changes: read positions moved, fingerprints set and removed (the pending parts Record Run commits). */
export interface SyncStateChanges {
	cursors: Record<string, string>;
	deltas: Record<string, { set: Record<string, string>; remove: string[] }>;
}

function statics(ctx: IExecuteFunctions): IDataObject {
	return ctx.getWorkflowStaticData('global');
}

function cursorStore(ctx: IExecuteFunctions): Record<string, CursorEntry> {
	return (statics(ctx)[CURSOR_STORE] as Record<string, CursorEntry> | undefined) ?? {};
}

function deltaStore(ctx: IExecuteFunctions): Record<string, DeltaState> {
	return (statics(ctx)[DELTA_STORE] as Record<string, DeltaState> | undefined) ?? {};
}

export function readMeta(ctx: IExecuteFunctions): SyncStateMeta | undefined {
	return statics(ctx)[SYNC_STATE_META] as SyncStateMeta | undefined;
}

export function writeMeta(ctx: IExecuteFunctions, meta: SyncStateMeta): void {
	// assigned as a whole so n8n notices the change
	statics(ctx)[SYNC_STATE_META] = { ...meta } as unknown as IDataObject;
}

/** Static data holds committed positions or fingerprints. */
export function hasLocalState(ctx: IExecuteFunctions): boolean {
	return (
		Object.values(cursorStore(ctx)).some((e) => e.committed !== undefined) ||
		Object.values(deltaStore(ctx)).some((d) => Object.keys(d.committed ?? {}).length > 0)
	);
}

/** Replaces the committed state in static data with the portal's (pending parts of older runs are dropped). */
export function applyPortalState(ctx: IExecuteFunctions, state: PortalSyncState): void {
	const cursors: Record<string, CursorEntry> = {};
	for (const [stream, position] of Object.entries(state.cursors ?? {})) cursors[stream] = { committed: position };
	const deltas: Record<string, DeltaState> = {};
	for (const [name, hashes] of Object.entries(state.deltas ?? {})) deltas[name] = { committed: { ...hashes } };
	const data = statics(ctx);
	data[CURSOR_STORE] = cursors as unknown as IDataObject;
	data[DELTA_STORE] = deltas as unknown as IDataObject;
}

/** The run loaded the state from the portal: Record Run writes its changes back. */
export function loadedThisRun(ctx: IExecuteFunctions): SyncStateMeta | undefined {
	const meta = readMeta(ctx);
	return meta && meta.loadedIn !== undefined && meta.loadedIn === ctx.getExecutionId() ? meta : undefined;
}

/** What Record Run (success) is about to commit: every pending read position and fingerprint diff. */
export function pendingChanges(ctx: IExecuteFunctions): SyncStateChanges {
	const cursors: Record<string, string> = {};
	for (const [stream, entry] of Object.entries(cursorStore(ctx)))
		if (entry.pending !== undefined) cursors[stream] = entry.pending;
	const deltas: SyncStateChanges['deltas'] = {};
	for (const [name, state] of Object.entries(deltaStore(ctx)))
		if (state.pending) deltas[name] = { set: { ...state.pending.set }, remove: [...state.pending.remove] };
	return { cursors, deltas };
}

/**
 * The whole state after the commit (for a first upload): what Record Run's local commit (commitPending,
 * commitDeltaPending) will leave, as one change that sets every position and fingerprint.
 */
export function stateAfterCommit(ctx: IExecuteFunctions): SyncStateChanges {
	const cursors: Record<string, string> = {};
	for (const [stream, entry] of Object.entries(commitPending(cursorStore(ctx)).cursors))
		if (entry.committed !== undefined) cursors[stream] = entry.committed;
	const deltas: SyncStateChanges['deltas'] = {};
	for (const [name, state] of Object.entries(commitDeltaPending(deltaStore(ctx)).states))
		deltas[name] = { set: state.committed, remove: [] };
	return { cursors, deltas };
}

/** Nothing to write back. */
export function isEmpty(changes: SyncStateChanges): boolean {
	return (
		!Object.keys(changes.cursors).length &&
		Object.values(changes.deltas).every((d) => !Object.keys(d.set).length && !d.remove.length)
	);
}

/**
 * The changes as PATCH bodies of at most `limit` keys each, fingerprints first and read positions in the last one,
 * so a run whose later request fails has moved no read position (the fingerprints written are true: the portal
 * holds those records). `reset` goes with the first body. baseVersion is filled in as the requests go.
 */
export function patchBodies(
	changes: SyncStateChanges,
	opts: { reset?: boolean; limit?: number } = {},
): Array<Omit<SyncStatePatch, 'baseVersion'>> {
	const limit = Math.max(1, opts.limit ?? PATCH_KEYS);
	const bodies: Array<Omit<SyncStatePatch, 'baseVersion'>> = [];
	let body: Omit<SyncStatePatch, 'baseVersion'> = {};
	let count = 0;
	const flush = () => {
		bodies.push(body);
		body = {};
		count = 0;
	};
	const deltaOf = (name: string) => {
		body.deltas ??= {};
		return (body.deltas[name] ??= {});
	};
	for (const [name, diff] of Object.entries(changes.deltas)) {
		// a state with no change at all still goes out once on an upload, so the portal knows it (empty)
		if (opts.reset && !Object.keys(diff.set).length && !diff.remove.length) deltaOf(name).set = {};
		for (const key of diff.remove) {
			if (count >= limit) flush();
			(deltaOf(name).remove ??= []).push(key);
			count++;
		}
		for (const [key, hash] of Object.entries(diff.set)) {
			if (count >= limit) flush();
			const d = deltaOf(name);
			d.set ??= {};
			// defineProperty: a record key "__proto__" stays a key
			Object.defineProperty(d.set, key, { value: hash, enumerable: true, writable: true, configurable: true });
			count++;
		}
	}
	const streams = Object.entries(changes.cursors);
	if (streams.length) {
		if (count && count + streams.length > limit) flush();
		body.cursors = Object.fromEntries(streams);
	}
	if (Object.keys(body).length || !bodies.length) flush();
	if (opts.reset) bodies[0] = { reset: true, ...bodies[0] };
	return bodies;
}
