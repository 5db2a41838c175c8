/**
 * Service Layer resources after /b1s/v1 or /b1s/v2 (the session is already checked; /Login and $batch
 * are handled by server.ts / batch.ts). Paths are case-sensitive, like SL's.
 *
 *   GET   /<Set>  /<Set>/$count  /<Set>(<key>)          every entity set in entitysets.ts
 *   POST  /Orders                                      create a sales order (201, or 204 with Prefer: return-no-content)
 *   PATCH /Orders(n)  /Items('A1')  /BusinessPartners('C1')   204; If-Match checked (412), except inside $batch
 *   POST  /Orders(n)/Cancel  /Orders(n)/Close           204
 *   POST  /Logout                                      204
 *   GET   /ItemImages('A1')  /ItemImages('A1')/$value  the item's picture record / the bytes of the file Items.Picture
 *                                                      names in the pictures folder (only with the itemImages option)
 */
import type { SimClock } from './clock';
import { readCount, readList, readOne, etagOf, sapHeaders, type JsonReply, type Version } from './collection';
import * as documents from './documents';
import type { AnySet, KeyValue } from './entitysets';
import { errors } from './errors';
import type { Document, Schema } from './model';
import { SCHEMAS } from './model';
import { grosze } from './money';
import { parseQuery, type QueryOptions } from './query';
import type { Sessions } from './session';
import type { SapState } from './state';

export interface SlContext {
	state: SapState;
	sets: Record<string, AnySet>;
	sessions: Sessions;
	clock: SimClock;
	/** absolute service root for a version, e.g. http://127.0.0.1:P/b1s/v2/ */
	root: (v: Version) => string;
	defaultPageSize: number;
	dropQueryInNextLink: boolean;
	/** POST /Orders creates a draft (approval procedure) and answers -2028 unless Prefer: return-no-content */
	ordersNeedApproval: boolean;
	/** the build has the ItemImages media entity */
	itemImages: boolean;
	cache: Map<string, unknown[]>;
}

export interface SlRequest {
	method: string;
	/** path after /b1s/vN, still percent-encoded, e.g. /Items('A%C5%811') */
	path: string;
	search: string;
	/** lower-case header names */
	headers: Record<string, string | undefined>;
	body: Buffer;
	version: Version;
	sessionId: string;
	/** inside a $batch: If-Match is not checked (B1SLayer #54) */
	inBatch?: boolean;
}

export type Reply = JsonReply;

const EMPTY_QUERY: QueryOptions = { inlinecount: false, raw: [] };

export interface ParsedPath {
	set: string;
	key?: Record<string, KeyValue>;
	/** "$count" or an action name ("Cancel", "Close") */
	tail?: string;
}

/** /Set, /Set/$count, /Set(key), /Set(key)/Action — keys: 'text' ('' escapes a quote), integers, or Name=value pairs */
export function parsePath(rawPath: string, schemaOf: (set: string) => Schema | undefined): ParsedPath {
	let path: string;
	try {
		path = decodeURIComponent(rawPath);
	} catch {
		throw errors.badRequest(`Malformed percent-encoding in the path: ${rawPath}`);
	}
	const m = /^\/([A-Za-z_$][A-Za-z0-9_]*)/.exec(path);
	if (!m) throw errors.noSegment(path.slice(1).split(/[/(]/)[0] ?? '');
	const set = m[1];
	const schema = schemaOf(set);
	if (!schema) throw errors.noSegment(set);
	let i = m[0].length;
	let key: Record<string, KeyValue> | undefined;
	if (path[i] === '(') {
		const { text, end } = scanParens(path, i);
		key = parseKey(text, schema);
		i = end;
	}
	let tail: string | undefined;
	if (i < path.length) {
		const t = /^\/(\$count|\$value|[A-Za-z]+)$/.exec(path.slice(i));
		if (!t) throw errors.noSegment(path.slice(i + 1));
		tail = t[1];
		if (tail === '$count' && key) throw errors.badRequest('$count cannot be applied to a single entity');
	}
	return { set, key, tail };
}

function scanParens(path: string, start: number): { text: string; end: number } {
	let i = start + 1;
	let inStr = false;
	for (; i < path.length; i++) {
		const c = path[i];
		if (inStr) {
			if (c === "'") {
				if (path[i + 1] === "'") i++;
				else inStr = false;
			}
		} else if (c === "'") inStr = true;
		else if (c === ')') return { text: path.slice(start + 1, i), end: i + 1 };
	}
	throw errors.badRequest(`Unbalanced parentheses or quotes in the key: ${path.slice(start)}`);
}

function parseKey(text: string, schema: Schema): Record<string, KeyValue> {
	const parts = splitTopLevel(text);
	const out: Record<string, KeyValue> = {};
	const literal = (raw: string, type: 'string' | 'number', name: string): KeyValue => {
		const s = raw.trim();
		if (type === 'string') {
			if (!/^'.*'$/s.test(s))
				throw errors.badRequest(`Invalid key value ${s} for '${name}': a quoted string is expected`);
			return s.slice(1, -1).replace(/''/g, "'");
		}
		if (!/^-?\d+$/.test(s)) throw errors.badRequest(`Invalid key value ${s} for '${name}': an integer is expected`);
		return Number(s);
	};
	if (parts.length === 1 && schema.keys.length === 1 && !/^\s*[A-Za-z_]\w*\s*=/.test(parts[0])) {
		const k = schema.keys[0];
		out[k.name] = literal(parts[0], k.type, k.name);
		return out;
	}
	for (const part of parts) {
		const eq = part.indexOf('=');
		const name = eq < 0 ? '' : part.slice(0, eq).trim();
		const k = schema.keys.find((x) => x.name === name);
		if (!k)
			throw errors.badRequest(
				`Invalid key '${part}' for '${schema.type}' (keys: ${schema.keys.map((x) => x.name).join(', ')})`,
			);
		out[name] = literal(part.slice(eq + 1), k.type, name);
	}
	for (const k of schema.keys)
		if (!(k.name in out)) throw errors.badRequest(`Key property '${k.name}' of '${schema.type}' is missing`);
	return out;
}

function splitTopLevel(text: string): string[] {
	const out: string[] = [];
	let cur = '';
	let inStr = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (c === "'") {
			if (inStr && text[i + 1] === "'") {
				cur += "''";
				i++;
				continue;
			}
			inStr = !inStr;
		}
		if (c === ',' && !inStr) {
			out.push(cur);
			cur = '';
		} else cur += c;
	}
	out.push(cur);
	return out;
}

export function parseJsonBody(body: Buffer): unknown {
	if (body.length === 0) throw errors.badRequest('The request body is empty');
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(body);
	} catch {
		throw errors.badRequest('The request body is not valid UTF-8');
	}
	try {
		return JSON.parse(text);
	} catch (err) {
		throw errors.badRequest(`Invalid JSON in the request body: ${(err as Error).message}`);
	}
}

function readCtx(ctx: SlContext, req: SlRequest, set: string) {
	return {
		version: req.version,
		root: ctx.root(req.version),
		headers: req.headers,
		defaultPageSize: ctx.defaultPageSize,
		dropQueryInNextLink: ctx.dropQueryInNextLink,
		dataVersion: ctx.state.version(set),
		cache: ctx.cache,
	};
}

function checkIfMatch(ctx: SlContext, req: SlRequest, set: AnySet, r: unknown): void {
	const ifMatch = req.headers['if-match'];
	if (req.inBatch || ifMatch === undefined || ifMatch.trim() === '*') return;
	const current = etagOf(set, r);
	const sent = ifMatch.split(',').map((s) => s.trim());
	if (!sent.includes(current)) throw errors.etagMismatch();
}

function noContent(req: SlRequest, extra: Record<string, string> = {}): Reply {
	return {
		status: 204,
		headers: { ...(req.version === 'v2' ? { 'OData-Version': '4.0' } : { DataServiceVersion: '3.0' }), ...extra },
	};
}

function prefersNoContent(req: SlRequest): boolean {
	return /(^|[,;\s])return-no-content\b|return\s*=\s*minimal/i.test(req.headers.prefer ?? '');
}

export function dispatch(ctx: SlContext, req: SlRequest): Reply {
	const { state } = ctx;
	const method = req.method.toUpperCase();
	if (req.path === '/Logout') {
		if (method !== 'POST') throw errors.methodNotAllowed(method, 'Logout');
		ctx.sessions.logout(req.sessionId);
		return noContent(req);
	}
	if (req.path === '/Login') throw errors.methodNotAllowed(method, 'Login');
	const parsed = parsePath(req.path, (s) =>
		s === 'ItemImages' ? (ctx.itemImages ? ITEM_IMAGES : undefined) : ctx.sets[s]?.schema,
	);
	if (parsed.set === 'ItemImages') return itemImage(ctx, req, method, parsed);
	const set = ctx.sets[parsed.set];
	const { key, tail } = parsed;

	if (method === 'GET') {
		if (tail && tail !== '$count') throw errors.methodNotAllowed(method, `${parsed.set}/${tail}`);
		const q = parseQuery(req.search, req.version);
		const rc = readCtx(ctx, req, parsed.set);
		if (tail === '$count') return readCount(set, q, rc);
		return key ? readOne(set, key, q, rc) : readList(set, q, rc);
	}
	if (req.search) parseQuery(req.search, req.version); // still validated

	if (parsed.set === 'Orders') {
		if (method === 'POST' && !key && !tail) {
			const { doc, draft } = state.transaction(() =>
				documents.createOrder(state, parseJsonBody(req.body), { approval: ctx.ordersNeedApproval }),
			);
			if (draft) {
				if (prefersNoContent(req)) return noContent(req);
				throw errors.notFound(); // SL cannot read the new order back: it became a draft (approval procedure)
			}
			const location = `${ctx.root(req.version)}Orders(${doc.DocEntry})`;
			if (prefersNoContent(req)) return noContent(req, { Location: location });
			const reply = readOne(set, { DocEntry: doc.DocEntry }, EMPTY_QUERY, readCtx(ctx, req, 'Orders'));
			return { ...reply, status: 201, headers: { ...reply.headers, Location: location } };
		}
		if (key) {
			const doc = set.get(key) as Document | undefined;
			if (!doc) throw errors.notFound();
			if (method === 'PATCH' && !tail) {
				checkIfMatch(ctx, req, set, doc);
				const replace = (req.headers['b1s-replacecollectionsonpatch'] ?? '').trim().toLowerCase() === 'true';
				state.transaction(() =>
					documents.patchOrder(state, doc, parseJsonBody(req.body), { replaceCollections: replace }),
				);
				return noContent(req, req.version === 'v2' ? { ETag: etagOf(set, doc) } : {});
			}
			if (method === 'POST' && (tail === 'Cancel' || tail === 'Close')) {
				state.transaction(() =>
					tail === 'Cancel' ? documents.cancelOrder(state, doc) : documents.closeOrder(state, doc),
				);
				return noContent(req);
			}
			if (method === 'POST' && tail) throw errors.notImplemented(`Orders(id)/${tail}`);
		}
	}
	if (method === 'PATCH' && key && !tail && (parsed.set === 'Items' || parsed.set === 'BusinessPartners')) {
		const r = set.get(key);
		if (!r) throw errors.notFound();
		checkIfMatch(ctx, req, set, r);
		const body = parseJsonBody(req.body);
		state.transaction(() =>
			parsed.set === 'Items'
				? patchItem(state, String(key.ItemCode), body)
				: patchPartner(state, String(key.CardCode), body),
		);
		return noContent(req, req.version === 'v2' ? { ETag: etagOf(set, r) } : {});
	}
	if (['POST', 'PATCH', 'PUT', 'DELETE'].includes(method))
		throw errors.notImplemented(`${method} ${parsed.set}${key ? '(id)' : ''}${tail ? `/${tail}` : ''}`);
	throw errors.methodNotAllowed(method, parsed.set);
}

/** ItemImages: a media entity (HasStream) keyed by ItemCode, whose stream is the file Items.Picture names */
const ITEM_IMAGES: Schema = {
	set: 'ItemImages',
	type: 'ItemImage',
	keys: [{ name: 'ItemCode', type: 'string' }],
	fields: { ItemCode: SCHEMAS.Items.fields.ItemCode, Picture: SCHEMAS.Items.fields.Picture },
};

const MEDIA_TYPES: Record<string, string> = {
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	png: 'image/png',
	gif: 'image/gif',
	webp: 'image/webp',
	bmp: 'image/bmp',
};

function itemImage(ctx: SlContext, req: SlRequest, method: string, parsed: ParsedPath): Reply {
	if (method !== 'GET') throw errors.notImplemented(`${method} ItemImages`);
	if (!parsed.key) throw errors.notImplemented('a collection read of ItemImages');
	if (parsed.tail && parsed.tail !== '$value') throw errors.noSegment(parsed.tail);
	if (req.search) parseQuery(req.search, req.version);
	const rec = ctx.state.items.get(String(parsed.key.ItemCode));
	// UNVERIFIED: the code and wording SL answers for an item without a picture or a missing file; -2028 assumed
	if (!rec || !rec.Picture) throw errors.notFound();
	if (!parsed.tail)
		return {
			status: 200,
			headers: sapHeaders(req.version),
			json: { ItemCode: rec.ItemCode, Picture: rec.Picture },
		};
	const bytes = ctx.state.picturesFolder.get(rec.Picture);
	if (!bytes) throw errors.notFound();
	const ext = /\.([A-Za-z0-9]+)$/.exec(rec.Picture)?.[1]?.toLowerCase() ?? '';
	return {
		status: 200,
		headers: { 'Content-Type': MEDIA_TYPES[ext] ?? 'application/octet-stream' },
		body: bytes,
	};
}

const YES_NO = new Set(['tYES', 'tNO']);

function object(body: unknown, type: string): Record<string, unknown> {
	if (!body || typeof body !== 'object' || Array.isArray(body))
		throw errors.badRequest(`The request body must be a JSON object of type '${type}'`);
	return body as Record<string, unknown>;
}

function patchItem(state: SapState, code: string, body: unknown): void {
	const b = object(body, 'Item');
	const allowed = new Set(['ItemName', 'ForeignName', 'BarCode', 'Valid', 'Frozen', 'SalesVATGroup', 'ItemPrices']);
	for (const k of Object.keys(b)) {
		if (!SCHEMAS.Items.fields[k]) throw errors.invalidProperty(k, 'Item');
		if (!allowed.has(k)) throw errors.notImplemented(`PATCH of Item property '${k}'`);
	}
	for (const k of ['Valid', 'Frozen'] as const)
		if (b[k] !== undefined && !YES_NO.has(b[k] as string))
			throw errors.badRequest(`Invalid value for property '${k}' of 'Item'`);
	for (const k of ['ItemName', 'ForeignName', 'BarCode', 'SalesVATGroup'] as const)
		if (b[k] !== undefined && b[k] !== null && typeof b[k] !== 'string')
			throw errors.badRequest(`Invalid value for property '${k}' of 'Item'`);
	if (typeof b.ItemName === 'string' && b.ItemName.length > 200)
		throw errors.validation(-5002, "Value too long in property 'ItemName' of 'Item'");
	const rec = state.items.get(code)!;
	state.mutateItem(rec);
	if (b.ItemName !== undefined) rec.ItemName = b.ItemName as string;
	if (b.ForeignName !== undefined) rec.ForeignName = b.ForeignName as string | null;
	if (b.BarCode !== undefined) rec.BarCode = b.BarCode as string | null;
	if (b.SalesVATGroup !== undefined) rec.SalesVATGroup = b.SalesVATGroup as string;
	if (b.Valid !== undefined) rec.Valid = b.Valid as 'tYES' | 'tNO';
	if (b.Frozen !== undefined) rec.Frozen = b.Frozen as 'tYES' | 'tNO';
	if (b.ItemPrices !== undefined) {
		if (!Array.isArray(b.ItemPrices)) throw errors.badRequest("Invalid value for property 'ItemPrices' of 'Item'");
		for (const p of b.ItemPrices as Record<string, unknown>[]) {
			if (!state.priceLists.has(Number(p?.PriceList)))
				throw errors.validation(-10, `Invalid price list [ITM1.PriceList] , '${String(p?.PriceList)}'`);
			if (typeof p.Price !== 'number' || p.Price < 0)
				throw errors.badRequest("Invalid value for property 'Price' of 'ItemPrice'");
			state.setItemPrice(code, Number(p.PriceList), Number(grosze(p.Price)), { touch: false });
		}
	}
	state.touch(rec);
}

function patchPartner(state: SapState, code: string, body: unknown): void {
	const b = object(body, 'BusinessPartner');
	const bp = state.partners.get(code)!;
	const allowed = new Set(['CardName', 'EmailAddress', 'Phone1', 'Valid', 'Frozen', 'PriceListNum', 'FederalTaxID']);
	for (const k of Object.keys(b)) {
		if (!SCHEMAS.BusinessPartners.fields[k]) throw errors.invalidProperty(k, 'BusinessPartner');
		if (!allowed.has(k)) throw errors.notImplemented(`PATCH of BusinessPartner property '${k}'`);
	}
	for (const k of ['Valid', 'Frozen'] as const)
		if (b[k] !== undefined && !YES_NO.has(b[k] as string))
			throw errors.badRequest(`Invalid value for property '${k}' of 'BusinessPartner'`);
	if (b.PriceListNum !== undefined && !state.priceLists.has(Number(b.PriceListNum)))
		throw errors.validation(-10, `Invalid price list [OCRD.ListNum] , '${String(b.PriceListNum)}'`);
	if (typeof b.CardName === 'string' && b.CardName.length > 100)
		throw errors.validation(-5002, "Value too long in property 'CardName' of 'BusinessPartner'");
	state.mutatePartner(bp);
	Object.assign(bp, b);
	state.touch(bp);
}

export { sapHeaders };
