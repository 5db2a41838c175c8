/**
 * What every part of the Business Central simulator shares (server.ts, the entity routes, and the modules that plug
 * in: sales.ts for orders/invoices, subscriptions.ts for webhooks): the context a route handler gets (state, clock,
 * JSON answers, BC's error body with CorrelationId, weak ETags and If-Match, server-driven paging) and the route type.
 *
 * Paging is BC's (research §1, S11–S14): the server's page size (default 20,000) or a smaller
 * `Prefer: odata.maxpagesize=N` (echoed in Preference-Applied; above the server's size → 413 by default), an
 * ABSOLUTE `@odata.nextLink` carrying `$skiptoken='<key of the last row>'` and the client's other options, and no
 * nextLink when the client's `$top` fits in one page.
 */
import { createHash } from 'node:crypto';
import type http from 'node:http';
import type { SimClock } from '../common/clock';
import { BcError, errorBody, errors } from './errors';
import {
	compareRows,
	evalFilter,
	parseCount,
	parseFilter,
	parseOrderBy,
	parseSelect,
	schemaOf,
	type Filter,
	type Schema,
} from './query';
import type { BcState, ChangeEntity, ChangeEvent, ChangeType, Company } from './state';

export { BcError, errors } from './errors';
export type { Schema, FieldType } from './query';

/** what the router knows about a request, attached to it (read with info(req)) */
export interface BcRequestInfo {
	/** absolute URL of the API root it came in on, no trailing slash: http://127.0.0.1:P/v2.0/{tenant}/{env}/api/v2.0 */
	root: string;
	/** 'v2.0' or a custom API 'publisher/group/version' (e.g. 'erpB2b/sync/v1.0'); 'ODataV4' for page web services */
	api: string;
	/** the company of a companies({id})/… URL */
	company?: Company;
	/** path after companies({id}) (company scope) or after the root (root scope), still URL-encoded */
	path: string;
	/** the absolute URL of the request (for nextLinks) */
	url: string;
	query: URLSearchParams;
	/** a sub-request of a $batch */
	inBatch: boolean;
	mode: 'saas' | 'onprem';
	/** headers page() adds to the answer (Preference-Applied) */
	extraHeaders: Record<string, string>;
}

const INFO = Symbol('bc-request-info');
const EXTRA = Symbol('bc-extra-headers');

export function attachInfo(req: http.IncomingMessage, res: http.ServerResponse, i: BcRequestInfo): void {
	(req as unknown as Record<symbol, unknown>)[INFO] = i;
	(res as unknown as Record<symbol, unknown>)[EXTRA] = i.extraHeaders;
}

export function info(req: http.IncomingMessage): BcRequestInfo {
	const i = (req as unknown as Record<symbol, BcRequestInfo | undefined>)[INFO];
	if (!i) throw new Error('request has no BC info (not routed through the BC simulator)');
	return i;
}

/** the company of a company-scope route's request */
export function companyOf(req: http.IncomingMessage): Company {
	const c = info(req).company;
	if (!c) throw new Error('not a company-scope request');
	return c;
}

export interface PageOptions {
	/** field types for $filter/$select/$orderby (default: from the first row, lenient when there are none) */
	schema?: Schema;
	/** OData type for error messages, e.g. 'Microsoft.NAV.item' */
	typeName?: string;
	/** the key: default sort order and the $skiptoken value (default 'id') */
	key?: string;
	/** add @odata.etag to each row (default true) */
	etag?: boolean;
	/** the @odata.context fragment after $metadata# (default: companies(id)/<path>) */
	context?: string;
	/** a filter already parsed by the caller (FlowFilters) */
	filter?: Filter;
	/** fields the $filter may use that are not in the rows (FlowFilters such as Location_Filter) */
	extraFields?: Schema;
}

export interface PageBody {
	'@odata.context': string;
	value: Array<Record<string, unknown>>;
	'@odata.count'?: number;
	'@odata.nextLink'?: string;
}

export interface BcContext {
	state: BcState;
	clock: SimClock;
	/** by id (GUID) or name */
	company(idOrName: string): Company | undefined;
	sendJson(res: http.ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void;
	/** {"error":{"code","message":"... CorrelationId: <guid>."}} */
	sendError(
		res: http.ServerResponse,
		status: number,
		code: string,
		message: string,
		headers?: Record<string, string>,
	): void;
	/** raw bytes (PDFs) */
	sendBytes(
		res: http.ServerResponse,
		status: number,
		bytes: Buffer,
		contentType: string,
		headers?: Record<string, string>,
	): void;
	/** 204 with no body */
	sendNoContent(res: http.ServerResponse, headers?: Record<string, string>): void;
	/** $filter/$orderby/$skip/$top/$select + server-driven paging over rows (throws BcError: 400, 413) */
	page(req: http.IncomingMessage, rows: Array<Record<string, unknown>>, opts?: PageOptions): PageBody;
	/** weak ETag W/"JzQ0Oz…" — changes on every write (rowVersion and content) */
	etag(record: object): string;
	/** If-Match check for a write: none → 400 BadRequest_InvalidToken, stale → 409 Request_EntityChanged; false = answered */
	requireIfMatch(req: http.IncomingMessage, res: http.ServerResponse, record: object): boolean;
	/** reports a change to webhook subscribers (company: the request's when not given) */
	changed(entity: ChangeEntity, id: string, changeType: ChangeType, companyId?: string): void;
	onChange(listener: (e: ChangeEvent) => void): () => void;
	info(req: http.IncomingMessage): BcRequestInfo;
	/** ISO now of the simulated clock */
	nowIso(): string;
	/** the server's page size (default 20,000) */
	readonly pageSize: number;
	/** the request being handled (set by the router; changed() uses its company) */
	current?: http.IncomingMessage;
}

export interface BcRoute {
	method: string;
	/** matched against the path after .../companies({id}) (scope 'company') or after the API root (scope 'root') */
	pattern: RegExp;
	scope: 'company' | 'root';
	/** which API the route belongs to: 'v2.0' (default) or a custom 'publisher/group/version' */
	api?: string;
	handle(
		ctx: BcContext,
		req: http.IncomingMessage,
		res: http.ServerResponse,
		match: RegExpExecArray,
		body: unknown,
	): Promise<void> | void;
}

export interface CoreOptions {
	state: BcState;
	clock: SimClock;
	pageSize: number;
	/** what a Prefer odata.maxpagesize above the server's page size gets: 413 (research §1) or 'clamp' */
	oversizePage: 413 | 'clamp';
}

/**
 * A weak ETag in BC's form: W/"<base64 of '<n>;<key>;<version>;'>". The version is the record's rowVersion (BC's
 * SQL timestamp: a FlowField such as items.inventory changing does NOT change it) or, for records that carry none,
 * a hash of their content.
 */
export function makeEtag(record: object): string {
	const rec = record as { id?: unknown; rowVersion?: unknown };
	const key = Buffer.from(String(rec.id ?? ''), 'utf8')
		.toString('base64')
		.replace(/=+$/, '');
	const version =
		typeof rec.rowVersion === 'number'
			? String(rec.rowVersion)
			: String(createHash('sha1').update(JSON.stringify(record)).digest().readUInt32BE(0));
	const inner = `'${key.length};${key};${version};'`;
	return `W/"${Buffer.from(inner, 'utf8').toString('base64')}"`;
}

/** the token of an ETag, weak or not, for comparison */
function etagToken(v: string): string {
	return v.trim().replace(/^W\//, '');
}

/** a query string with $-options kept readable (BC's nextLinks show `$skiptoken=`, not `%24skiptoken=`) */
export function queryString(q: URLSearchParams): string {
	const parts: string[] = [];
	for (const [k, v] of q)
		parts.push(`${encodeURIComponent(k).replace(/^%24/, '$')}=${encodeURIComponent(v).replace(/%27/g, "'")}`);
	return parts.length ? `?${parts.join('&')}` : '';
}

/** Prefer: odata.maxpagesize=N → N */
export function maxPageSizePreference(req: http.IncomingMessage): number | undefined {
	const prefer = req.headers.prefer;
	const v = Array.isArray(prefer) ? prefer.join(',') : prefer;
	const m = v ? /(?:^|[,;\s])odata\.maxpagesize\s*=\s*"?(\d+)"?/i.exec(v) : null;
	return m ? Number(m[1]) : undefined;
}

export function createContext(opts: CoreOptions): BcContext {
	const { state, clock } = opts;
	const send = (res: http.ServerResponse, status: number, payload: Buffer, headers: Record<string, string>) => {
		const extra = (res as unknown as Record<symbol, Record<string, string> | undefined>)[EXTRA] ?? {};
		res.writeHead(status, { ...extra, ...headers, 'Content-Length': String(payload.length) });
		res.end(payload);
	};
	const ctx: BcContext = {
		state,
		clock,
		pageSize: opts.pageSize,
		company: (idOrName) => state.company(idOrName),
		info,
		nowIso: () => state.nowIso(),
		sendJson(res, status, body, headers = {}) {
			send(res, status, Buffer.from(JSON.stringify(body), 'utf8'), {
				'Content-Type': 'application/json; odata.metadata=minimal; odata.streaming=true',
				'OData-Version': '4.0',
				...headers,
			});
		},
		sendError(res, status, code, message, headers = {}) {
			send(res, status, Buffer.from(JSON.stringify(errorBody(code, message)), 'utf8'), {
				'Content-Type': 'application/json; charset=utf-8',
				...headers,
			});
		},
		sendBytes(res, status, bytes, contentType, headers = {}) {
			send(res, status, bytes, { 'Content-Type': contentType, ...headers });
		},
		sendNoContent(res, headers = {}) {
			send(res, 204, Buffer.alloc(0), headers);
		},
		etag: makeEtag,
		requireIfMatch(req, res, record) {
			const h = req.headers['if-match'];
			const v = Array.isArray(h) ? h[0] : h;
			if (!v) {
				const e = errors.missingIfMatch();
				ctx.sendError(res, e.status, e.code, e.message);
				return false;
			}
			if (v.trim() === '*') return true;
			const current = etagToken(makeEtag(record));
			if (v.split(',').some((t: string) => etagToken(t) === current)) return true;
			const e = errors.entityChanged();
			ctx.sendError(res, e.status, e.code, e.message);
			return false;
		},
		changed(entity, id, changeType, companyId) {
			const co = companyId ?? (ctx.current ? info(ctx.current).company?.id : undefined) ?? state.companies[0]?.id;
			if (!co) throw new Error('changed(): no company');
			state.changed(co, entity, id, changeType);
		},
		onChange: (listener) => state.onChange(listener),
		page(req, rows, o = {}) {
			return page(ctx, opts, req, rows, o);
		},
	};
	return ctx;
}

function page(
	ctx: BcContext,
	opts: CoreOptions,
	req: http.IncomingMessage,
	rows: Array<Record<string, unknown>>,
	o: PageOptions,
): PageBody {
	const i = info(req);
	const q = i.query;
	const key = o.key ?? 'id';
	const typeName = o.typeName ?? 'Microsoft.NAV.entity';
	const baseSchema: Schema = o.schema ?? (rows[0] ? schemaOf(rows[0]) : {});
	const lenient = !o.schema && rows.length === 0;
	const schema: Schema = { ...baseSchema, ...(o.extraFields ?? {}) };
	const filterSrc = q.get('$filter');
	const filter = o.filter ?? (filterSrc && !lenient ? parseFilter(filterSrc, schema, typeName) : undefined);
	const orderSrc = q.get('$orderby');
	const order = orderSrc && !lenient ? parseOrderBy(orderSrc, schema, typeName) : [];
	const selectSrc = q.get('$select');
	const select = selectSrc && !lenient ? parseSelect(selectSrc, baseSchema, typeName) : undefined;
	const top = parseCount(q.get('$top'), '$top');
	const skip = parseCount(q.get('$skip'), '$skip') ?? 0;
	let size = opts.pageSize;
	const asked = maxPageSizePreference(req);
	if (asked !== undefined && asked > 0) {
		if (asked > opts.pageSize && opts.oversizePage === 413) throw errors.pageTooLarge(asked, opts.pageSize);
		size = Math.min(asked, opts.pageSize);
		i.extraHeaders['Preference-Applied'] = `odata.maxpagesize=${size}`;
	}

	let list = filter ? rows.filter((r) => evalFilter(filter, r, schema)) : rows.slice();
	const sortBy = [...order, { field: key, desc: false }];
	const sortSchema: Schema = { ...schema, [key]: schema[key] ?? 'string' };
	list.sort((a, b) => compareRows(a, b, sortBy, sortSchema));
	const total = list.length;

	const token = q.get('$skiptoken');
	if (token !== null) {
		const t = /^'((?:[^']|'')*)'$/.exec(token)?.[1]?.replace(/''/g, "'") ?? token;
		const at = list.findIndex((r) => String(r[key]) === t);
		// the row may be gone since the last page: continue after where it would sort
		list = at >= 0 ? list.slice(at + 1) : list.filter((r) => String(r[key]) > t);
	} else if (skip) list = list.slice(skip);

	const count = q.get('$count');
	if (count !== null && count !== 'true' && count !== 'false')
		throw new BcError(400, 'BadRequest', `'${count}' is not a valid count option.`);
	const want = top === undefined ? Infinity : top;
	const n = Math.min(want, size);
	const pageRows = list.slice(0, n);
	const more = list.length > n && want > n;

	const value = pageRows.map((r) => {
		const out: Record<string, unknown> = {};
		if (o.etag ?? true) out['@odata.etag'] = ctx.etag(r);
		if (select) {
			for (const f of select) out[f] = r[f];
		} else for (const [k, v] of Object.entries(r)) if (!k.startsWith('@')) out[k] = v;
		return out;
	});
	const set = i.path.replace(/\(.*$/, '');
	const context = o.context ?? (i.company ? `companies(${i.company.id})${set}` : set.replace(/^\//, ''));
	const body: PageBody = {
		'@odata.context': `${i.root}/$metadata#${context}${select ? `(${select.join(',')})` : ''}`,
		value,
	};
	if (count === 'true') body['@odata.count'] = total;
	if (more) {
		const next = new URLSearchParams();
		for (const [k, v] of q) if (k !== '$skiptoken' && k !== '$skip' && k !== '$top') next.append(k, v);
		if (top !== undefined) next.set('$top', String(top - n));
		const last = pageRows[pageRows.length - 1];
		next.set('$skiptoken', `'${String(last[key]).replace(/'/g, "''")}'`);
		body['@odata.nextLink'] = i.url.split('?')[0] + queryString(next);
	}
	return body;
}

/** answers a BcError (or rethrows anything else) */
export function sendBcError(ctx: BcContext, res: http.ServerResponse, err: unknown): void {
	if (!(err instanceof BcError)) throw err;
	ctx.sendError(res, err.status, err.code, err.message, err.headers);
}
