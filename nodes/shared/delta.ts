/**
 * Delta state: which content the portal holds for every ERP key, as a short content hash, so a sync sends only
 * records that changed since the last successful run, and (from a complete snapshot) the keys that disappeared.
 *
 * Where it lives: the workflow's static data (n8n's database, saved with the workflow after each production run),
 * under `syncDelta`, one entry per state name, and a copy in the portal for queue-mode workers, which n8n gives no
 * static data (syncState.ts: Load Sync State reads it, Record Run writes the diff back). Two-phase exactly like
 * the read cursors (cursor.ts): a run writes only a *pending* diff against the committed hashes; the B2B Portal
 * node's "Sync Status → Record Run" (success, last step, after the portal accepted the writes) commits it. A run
 * that fails before leaves the committed hashes as they were, so the next run sends the same records again.
 * See docs/sync-guard.md for the sizes and why not a data table or a portal-side hash.
 */
import * as crypto from 'node:crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { EntityName } from './model/types';
import { KEY_FIELD } from './model/validate';
import { hasOwn } from './own';

/** key of the delta states in the workflow's global static data */
export const DELTA_STORE = 'syncDelta';

/** characters of the base64 SHA-1 kept per key (60 bits: a change goes unnoticed with odds of 1 in 10^18) */
export const HASH_LENGTH = 10;

/** separator of the parts of a composite key: a control character, which ERP codes may not contain */
export const KEY_SEPARATOR = '\u001f';

export type DeltaEntity = Extract<EntityName, 'product' | 'price' | 'stock' | 'client' | 'productImage'>;

/** The fields that make up the key of a record, in order (the portal contract's upsert keys). */
export const DELTA_KEY_FIELDS: Record<DeltaEntity, string[]> = {
	product: [KEY_FIELD.product],
	client: [KEY_FIELD.client],
	productImage: [KEY_FIELD.productImage, 'position'],
	stock: [KEY_FIELD.stock, 'warehouseCode'],
	price: [KEY_FIELD.price, 'scope', 'scopeCode', 'currency', 'minQuantity', 'validFrom'],
};

/** Values a key field takes when the (normalised) record leaves it out. */
const KEY_DEFAULTS: Record<string, string> = { minQuantity: '1', validFrom: '' };

export function deltaKey(entity: DeltaEntity, record: Record<string, unknown>): string {
	return DELTA_KEY_FIELDS[entity]
		.map((f) => {
			const v = record[f];
			return v === undefined || v === null ? (KEY_DEFAULTS[f] ?? '') : String(v);
		})
		.join(KEY_SEPARATOR);
}

/** The key fields of a stored key, for the "Deleted" output ({productCode, warehouseCode}). */
export function keyFields(entity: DeltaEntity, key: string): IDataObject {
	const parts = key.split(KEY_SEPARATOR);
	const out: IDataObject = {};
	DELTA_KEY_FIELDS[entity].forEach((f, i) => {
		const v = parts[i] ?? '';
		if (f === 'position') out[f] = Number(v);
		else if (v !== '' || !hasOwn(KEY_DEFAULTS, f)) out[f] = v;
	});
	return out;
}

/** Puts an object's keys in order (untouched when they already are: the common case is cheap). */
function sortedKeys(_key: string, value: unknown): unknown {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
	const obj = value as Record<string, unknown>;
	const keys = Object.keys(obj);
	let ordered = true;
	for (let i = 1; i < keys.length && ordered; i++) ordered = keys[i - 1] < keys[i];
	if (ordered) return obj;
	const out: Record<string, unknown> = {};
	for (const k of keys.sort()) out[k] = obj[k];
	return out;
}

/**
 * SHA-1 in base64. Node ≥ 20.12 has the one-shot crypto.hash: no Hash object per record (a 300,000-record delta
 * made 300,000 of them, each with native state freed only when V8 collects it); older Node: createHash.
 */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'base64') => string }).hash;
function sha1Base64(text: string): string {
	return oneShot ? oneShot('sha1', text, 'base64') : crypto.createHash('sha1').update(text).digest('base64');
}

/** JSON with object keys sorted at every level: the same content always gives the same text. */
export function stableJson(value: unknown): string {
	return JSON.stringify(value, sortedKeys) ?? 'null';
}

/**
 * Hash of a record's content. `updatedAt` is left out: it says when the ERP was read or last touched, not what
 * the portal shows (stock reads stamp every level with the read time for the portal's reservation release).
 */
export function contentHash(record: unknown): string {
	let text: string | undefined;
	if (record && typeof record === 'object' && !Array.isArray(record))
		text = topLevelJson(record as Record<string, unknown>);
	return sha1Base64(text ?? stableJson(record)).slice(0, HASH_LENGTH);
}

const INDEX_LIKE = /^\d+$/;

/**
 * stableJson of a record without its `updatedAt`: the top level copied in key order (no `delete`: it would make
 * every record a slow object), then one plain JSON.stringify when every value is flat (a replacer function
 * called for every value cost more than the hash itself). The text is exactly stableJson's, so stored hashes
 * stay valid; keys JSON orders on its own (array-index-like ones: "9" before "10") leave it to stableJson.
 */
function topLevelJson(obj: Record<string, unknown>): string {
	const rest: Record<string, unknown> = {};
	let flat = true;
	const { order, indexLike } = keyOrder(Object.keys(obj));
	if (indexLike) flat = false;
	for (const k of order) {
		const v = obj[k];
		if (v !== null && typeof v === 'object') flat = false;
		rest[k] = v;
	}
	return flat ? JSON.stringify(rest) : stableJson(rest);
}

/**
 * The keys of a record in sorted order without `updatedAt`, and whether one looks like an array index. Records of
 * one read share their keys in the same order, so the last answer is kept and reused when the keys are the same
 * (sorting and testing the keys of 300,000 stock levels was a fifth of the hashing).
 */
let lastKeys: string[] = [];
let lastAnswer: { order: string[]; indexLike: boolean } = { order: [], indexLike: false };
function keyOrder(keys: string[]): { order: string[]; indexLike: boolean } {
	if (keys.length === lastKeys.length) {
		let same = true;
		for (let i = 0; i < keys.length; i++)
			if (keys[i] !== lastKeys[i]) {
				same = false;
				break;
			}
		if (same) return lastAnswer;
	}
	const order = [...keys].sort().filter((k) => k !== 'updatedAt');
	lastKeys = keys;
	lastAnswer = { order, indexLike: order.some((k) => INDEX_LIKE.test(k)) };
	return lastAnswer;
}

export interface DeltaPending {
	/** the execution that wrote it: a node run twice in one execution (a loop) adds to it */
	executionId?: string;
	/** new or changed keys → their new hash */
	set: Record<string, string>;
	/** keys found deleted */
	remove: string[];
}

export interface DeltaState {
	/** key → hash of the content the portal accepted in the last successful run */
	committed: Record<string, string>;
	pending?: DeltaPending;
}

function store(ctx: IExecuteFunctions): Record<string, DeltaState> {
	const data = ctx.getWorkflowStaticData('global');
	return { ...((data[DELTA_STORE] as Record<string, DeltaState> | undefined) ?? {}) };
}

export function readDeltaState(ctx: IExecuteFunctions, name: string): DeltaState {
	return store(ctx)[name] ?? { committed: {} };
}

export function writeDeltaPending(ctx: IExecuteFunctions, name: string, pending: DeltaPending): void {
	const states = store(ctx);
	const current = states[name] ?? { committed: {} };
	const previous = current.pending;
	const empty = !Object.keys(pending.set).length && !pending.remove.length;
	// nothing changed: leave static data untouched, so n8n does not save the whole state again
	if (empty && (!previous || previous.executionId !== pending.executionId)) {
		if (!previous) return;
		states[name] = { committed: current.committed };
		ctx.getWorkflowStaticData('global')[DELTA_STORE] = states as unknown as IDataObject;
		return;
	}
	let next = pending;
	// the same execution ran the node again (e.g. inside Loop Over Items): add to what it wrote before
	if (previous && pending.executionId && previous.executionId === pending.executionId)
		next = {
			executionId: pending.executionId,
			set: { ...previous.set, ...pending.set },
			remove: [...new Set([...previous.remove, ...pending.remove])].filter((k) => !hasOwn(pending.set, k)),
		};
	states[name] = { committed: current.committed, pending: next };
	// assigned as a whole so n8n notices the change
	ctx.getWorkflowStaticData('global')[DELTA_STORE] = states as unknown as IDataObject;
}

/** Applies every pending diff to its committed hashes (a pure function on the stored object, for Record Run and tests). */
export function commitDeltaPending(states: Record<string, DeltaState>): {
	states: Record<string, DeltaState>;
	committed: string[];
} {
	const out: Record<string, DeltaState> = {};
	const committed: string[] = [];
	for (const [name, state] of Object.entries(states)) {
		if (!state.pending) {
			out[name] = state;
			continue;
		}
		// spread, not Object.assign: a record key "__proto__" is copied as a key (assign would set the prototype)
		const hashes = { ...state.committed, ...state.pending.set };
		for (const key of state.pending.remove) delete hashes[key];
		out[name] = { committed: hashes };
		committed.push(name);
	}
	return { states: out, committed };
}

/** Called by Record Run (success): commits the workflow's pending delta diffs; returns the states committed. */
export function commitDeltas(ctx: IExecuteFunctions): string[] {
	const { states, committed } = commitDeltaPending(store(ctx));
	if (committed.length) ctx.getWorkflowStaticData('global')[DELTA_STORE] = states as unknown as IDataObject;
	return committed;
}
