/**
 * Reading entity sets the OData way, per protocol version:
 *   /b1s/v1 (OData 3): "odata.metadata", "odata.count", "odata.nextLink"; dates "2026-11-26"
 *   /b1s/v2 (OData 4): "@odata.context", "@odata.count", "@odata.nextLink", "@odata.etag" on every
 *                      entity; dates "2026-11-26T00:00:00Z"
 * Paging: 20 per page unless B1S-PageSize: N or Prefer: odata.maxpagesize=N (answered with
 * Preference-Applied). The nextLink is RELATIVE ("Items?$skip=20") and keeps the client's other options
 * (or drops them: option dropQueryInNextLink, as reported in the wild). $top ≤ page size answers at most
 * $top records and NO nextLink even when more match; a larger $top is served page by page.
 */
import { createHash } from 'node:crypto';
import { errors } from './errors';
import { compileFilter } from './filter';
import type { AnySet, Entity, KeyValue } from './entitysets';
import { DATE_FIELDS } from './model';
import type { QueryOptions } from './query';

export type Version = 'v1' | 'v2';

export interface ReadContext {
	version: Version;
	/** absolute service root, e.g. http://127.0.0.1:P/b1s/v1/ */
	root: string;
	headers: Record<string, string | undefined>;
	defaultPageSize: number;
	dropQueryInNextLink: boolean;
	/** data version of the set (cache key) */
	dataVersion: number;
	/** recent query results of this simulator, so that paging through 100,000 filtered items does not re-filter per page */
	cache: Map<string, unknown[]>;
}

export interface JsonReply {
	status: number;
	json?: unknown;
	text?: string;
	/** raw bytes (a media resource's $value) */
	body?: Buffer;
	headers: Record<string, string>;
}

/** renders dates for the protocol version (v2: "YYYY-MM-DDT00:00:00Z"), recursively */
export function render(value: unknown, version: Version): unknown {
	if (version === 'v1') return value;
	if (Array.isArray(value)) return value.map((v) => render(v, version));
	if (value && typeof value === 'object') {
		const out: Entity = {};
		for (const [k, v] of Object.entries(value)) {
			out[k] =
				DATE_FIELDS.has(k) && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)
					? `${v}T00:00:00Z`
					: render(v, version);
		}
		return out;
	}
	return value;
}

/** W/"<SHA-1 of the full entity>" — changes whenever anything in the record changes (stock included) */
export function etagOf(set: AnySet, r: unknown): string {
	const json = JSON.stringify(set.entity(r, 'single'));
	return `W/"${createHash('sha1').update(json).digest('hex').toUpperCase()}"`;
}

function pick(e: Entity, select: string[] | undefined): Entity {
	if (!select) return e;
	const out: Entity = {};
	for (const f of select) out[f] = e[f];
	return out;
}

function checkSelect(set: AnySet, select: string[] | undefined): void {
	for (const f of select ?? []) if (!set.schema.fields[f]) throw errors.invalidProperty(f, set.schema.type);
}

function jsonHeaders(version: Version): Record<string, string> {
	return version === 'v2'
		? { 'Content-Type': 'application/json;odata.metadata=minimal;charset=utf-8', 'OData-Version': '4.0' }
		: { 'Content-Type': 'application/json;odata=minimalmetadata;charset=utf-8', DataServiceVersion: '3.0' };
}

export function sapHeaders(version: Version): Record<string, string> {
	return jsonHeaders(version);
}

function pageSizeOf(ctx: ReadContext): { size: number; applied?: string } {
	const b1s = ctx.headers['b1s-pagesize'];
	if (b1s !== undefined) {
		if (!/^\s*\d+\s*$/.test(b1s) || Number(b1s) < 1)
			throw errors.badRequest(`Invalid B1S-PageSize header value '${b1s}'`);
		return { size: Number(b1s) };
	}
	const prefer = ctx.headers.prefer;
	const m = prefer ? /(?:^|[,;\s])odata\.maxpagesize\s*=\s*(\d+)/i.exec(prefer) : null;
	if (m && Number(m[1]) >= 1) return { size: Number(m[1]), applied: `odata.maxpagesize=${m[1]}` };
	return { size: ctx.defaultPageSize };
}

const CACHE_SIZE = 8;

const KEY_EQ = (field: string) => new RegExp(`^${field} eq '((?:[^']|'')*)'$`);

/** the key values of a filter that is only "<key> eq '…'" terms joined by "or", else undefined */
function keyLookup(filter: string, keyField: string): string[] | undefined {
	const eq = KEY_EQ(keyField);
	const out = new Set<string>();
	// a quoted value may contain " or ": split on the operator only outside quotes
	let term = '';
	let quoted = false;
	const terms: string[] = [];
	for (let i = 0; i < filter.length; i++) {
		const ch = filter[i];
		if (ch === "'") quoted = !quoted;
		if (!quoted && filter.startsWith(' or ', i)) {
			terms.push(term.trim());
			term = '';
			i += 3;
			continue;
		}
		term += ch;
	}
	terms.push(term.trim());
	for (const t of terms) {
		const m = eq.exec(t);
		if (!m) return undefined;
		out.add(m[1].replace(/''/g, "'"));
	}
	return [...out];
}

function matching(set: AnySet, q: QueryOptions, ctx: ReadContext): unknown[] {
	const ci = (ctx.headers['b1s-caseinsensitive'] ?? '').trim().toLowerCase() === 'true';
	for (const o of q.orderby ?? []) {
		const type = set.schema.fields[o.field];
		if (!type) throw errors.invalidProperty(o.field, set.schema.type);
		if (type === 'collection') throw errors.query(`Collection property '${o.field}' cannot be used in $orderby`);
	}
	const pred = q.filter
		? compileFilter(q.filter, { schema: set.schema, get: set.value, caseInsensitive: ci })
		: undefined;
	const key = `${set.schema.set}\u0000${ctx.dataVersion}\u0000${q.filter ?? ''}\u0000${JSON.stringify(q.orderby ?? [])}\u0000${ci}`;
	const cache = ctx.cache;
	// only a later page ($skip > 0) reuses a result: a first page always reads the data afresh, so even
	// records changed behind the state's back (a test poking sim.state directly) show up
	const hit = q.skip ? cache.get(key) : undefined;
	if (hit) {
		cache.delete(key);
		cache.set(key, hit);
		return hit;
	}
	// "ItemCode eq 'A' or ItemCode eq 'B' …" is answered from the key (SAP's database uses the primary key; a
	// scan of 100,000 items per request made a 1 % stock delta take 30 s in this simulator). Same rows, same order.
	const keys = !ci && q.filter && set.keyField ? keyLookup(q.filter, set.keyField) : undefined;
	let rows = keys
		? keys
				.sort()
				.map((k) => set.get({ [set.keyField!]: k }))
				.filter((r) => r !== undefined)
		: set.list();
	if (pred) rows = rows.filter(pred);
	if (q.orderby?.length) {
		const order = q.orderby;
		rows = [...rows].sort((a, b) => {
			for (const o of order) {
				const x = set.value(a, o.field) as string | number | null;
				const y = set.value(b, o.field) as string | number | null;
				if (x === y) continue;
				const c = x === null ? -1 : y === null ? 1 : x < y ? -1 : 1; // NULLs first, as SQL Server / HANA ascending
				return o.desc ? -c : c;
			}
			return 0;
		});
	}
	cache.set(key, rows);
	if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
	return rows;
}

function metadataKey(ctx: ReadContext, set: string, select: string[] | undefined, single: boolean) {
	if (ctx.version === 'v2') {
		const sel = select ? `(${select.join(',')})` : '';
		return { '@odata.context': `${ctx.root}$metadata#${set}${sel}${single ? '/$entity' : ''}` };
	}
	return {
		'odata.metadata': `${ctx.root}$metadata#${set}${single ? '/@Element' : ''}${select && !single ? `&$select=${select.join(',')}` : ''}`,
	};
}

function decorate(set: AnySet, r: unknown, e: Entity, ctx: ReadContext): Entity {
	const rendered = render(e, ctx.version) as Entity;
	return ctx.version === 'v2' ? { '@odata.etag': etagOf(set, r), ...rendered } : rendered;
}

export function readList(set: AnySet, q: QueryOptions, ctx: ReadContext): JsonReply {
	checkSelect(set, q.select);
	const rows = matching(set, q, ctx);
	const { size, applied } = pageSizeOf(ctx);
	const skip = q.skip ?? 0;
	const limit = q.top === undefined ? size : Math.min(q.top, size);
	const page = rows.slice(skip, skip + limit);
	const end = skip + page.length;
	const wanted = q.top === undefined ? rows.length : Math.min(rows.length, skip + q.top);
	let nextLink: string | undefined;
	if (end < wanted && (q.top === undefined || q.top > size)) {
		const params = ctx.dropQueryInNextLink ? [] : q.raw.filter((p) => p.name !== '$skip' && p.name !== '$top');
		const parts = params.map((p) => `${p.name}=${p.value}`);
		if (q.top !== undefined) parts.push(`$top=${q.top - page.length}`);
		parts.push(`$skip=${end}`);
		nextLink = `${set.schema.set}?${parts.join('&')}`;
	}
	const value = page.map((r) => decorate(set, r, pick(set.entity(r, 'list'), q.select), ctx));
	const v2 = ctx.version === 'v2';
	const json: Entity = { ...metadataKey(ctx, set.schema.set, q.select, false) };
	if (q.inlinecount) json[v2 ? '@odata.count' : 'odata.count'] = rows.length;
	json.value = value;
	if (nextLink) json[v2 ? '@odata.nextLink' : 'odata.nextLink'] = nextLink;
	return {
		status: 200,
		json,
		headers: { ...jsonHeaders(ctx.version), ...(applied ? { 'Preference-Applied': applied } : {}) },
	};
}

export function readCount(set: AnySet, q: QueryOptions, ctx: ReadContext): JsonReply {
	for (const p of q.raw)
		if (p.name !== '$filter') throw errors.query(`Query option '${p.name}' cannot be used with $count`);
	const rows = matching(set, q, ctx);
	return {
		status: 200,
		text: String(rows.length),
		headers: {
			'Content-Type': 'text/plain;charset=utf-8',
			...(ctx.version === 'v2' ? { 'OData-Version': '4.0' } : { DataServiceVersion: '3.0' }),
		},
	};
}

export function readOne(set: AnySet, key: Record<string, KeyValue>, q: QueryOptions, ctx: ReadContext): JsonReply {
	for (const p of q.raw)
		if (p.name !== '$select') throw errors.query(`Query option '${p.name}' cannot be applied to a single entity`);
	checkSelect(set, q.select);
	const r = set.get(key);
	if (r === undefined) throw errors.notFound();
	const body = decorate(set, r, pick(set.entity(r, 'single'), q.select), ctx);
	const headers = jsonHeaders(ctx.version);
	if (ctx.version === 'v2') headers.ETag = etagOf(set, r);
	return { status: 200, json: { ...metadataKey(ctx, set.schema.set, q.select, true), ...body }, headers };
}
