/**
 * Requests to the SAP Business One Service Layer: the shared retrying transport plus the SL specifics —
 * session renewal on 401 and 403 (one login for all requests in flight: shared/transport/session.ts), OData
 * query strings encoded the way SL reads them, and paging that follows `odata.nextLink` / `@odata.nextLink`
 * without trusting it to keep `$filter`/`$select` (some SL builds drop them, erp-facts §1): the next page is
 * always our own query plus the link's `$skip`.
 */
import { NodeOperationError, type IDataObject, type IHttpRequestMethods } from 'n8n-workflow';
import type { RetryPolicy } from '../../shared/transport/retry';
import { requestWithRetry, type FullResponse, type RequestContext } from '../../shared/transport/request';
import { isUnderServiceLayer, serviceLayerBase } from './session';

export const SAP_CREDENTIAL = 'sapB1Api';
/** 401 = session expired; 403 = load-balanced install whose session node was recycled */
export const SAP_REAUTH_STATUS = [401, 403];

export interface SlRequest {
	method: IHttpRequestMethods;
	/** path under the SL base, e.g. "/Items('A1')" */
	path: string;
	query?: Record<string, string | number | undefined>;
	body?: IDataObject;
	headers?: IDataObject;
	itemIndex?: number;
	action?: string;
	policy?: Partial<RetryPolicy>;
	acceptStatus?: number[];
	idempotent?: boolean;
	/** 'arraybuffer': the body is raw bytes (a media resource's $value), returned as a Buffer */
	encoding?: 'arraybuffer';
}

/** `$filter=a eq 'b'` → `%24filter=a%20eq%20'b'`: spaces as %20 (not "+"), quotes kept. */
export function odataQuery(query: Record<string, string | number | undefined> = {}): string {
	const parts = Object.entries(query)
		.filter(([, v]) => v !== undefined && v !== '')
		.map(([k, v]) => `${k}=${encodeURIComponent(String(v)).replace(/%27/g, "'").replace(/%2C/gi, ',')}`);
	return parts.length ? `?${parts.join('&')}` : '';
}

/** An OData string literal: quotes doubled. */
export function odataString(value: string): string {
	return `'${value.replace(/'/g, "''")}'`;
}

/**
 * `/Set('key')`, or `/Set(A='a',B='b')` for a composite key, with every key value URL-encoded: an ERP or portal
 * code may hold `/`, `.`, `#`, `?` or `%`, which would otherwise change the path (`X/../../../other` once sent a
 * GET with the session cookie to another path of the host); the quotes stay as OData writes them. Every path
 * segment built from data goes through here.
 */
export function keyPath(set: string, key: string | Record<string, string>): string {
	const literal = (v: string) => encodeURIComponent(odataString(v));
	const inner =
		typeof key === 'string'
			? literal(key)
			: Object.entries(key)
					.map(([k, v]) => `${k}=${literal(v)}`)
					.join(',');
	return `/${set}(${inner})`;
}

export async function slRequest<T = IDataObject>(ctx: RequestContext, req: SlRequest): Promise<FullResponse<T>> {
	const credentials = await ctx.getCredentials(SAP_CREDENTIAL);
	const base = serviceLayerBase(credentials.serviceLayerUrl);
	// second line behind keyPath: a path that resolves outside the Service Layer is never sent
	if (!isUnderServiceLayer({ baseURL: base, url: req.path }, base))
		throw new NodeOperationError(
			ctx.getNode(),
			`Refused: the request path "${req.path}" leads outside the Service Layer`,
			{
				itemIndex: req.itemIndex,
			},
		);
	return await requestWithRetry<T>(
		ctx,
		SAP_CREDENTIAL,
		{
			method: req.method,
			baseURL: base,
			url: `${req.path}${odataQuery(req.query)}`,
			body: req.body,
			headers: { Accept: 'application/json', ...(req.headers ?? {}) },
			json: !req.encoding,
			...(req.encoding ? { encoding: req.encoding } : {}),
		},
		{
			policy: req.policy,
			itemIndex: req.itemIndex,
			action: req.action,
			acceptStatus: req.acceptStatus,
			idempotent: req.idempotent,
			session: { field: 'session', expiredStatus: SAP_REAUTH_STATUS, credentials },
		},
	);
}

export interface ListOptions {
	select?: string[];
	filter?: string;
	orderby?: string;
	/** records per page (B1S-PageSize and Prefer: odata.maxpagesize); SL's default is 20 */
	pageSize?: number;
	itemIndex?: number;
	action?: string;
	policy?: Partial<RetryPolicy>;
	/** resume from this $skip (a synthetic cursor for resumable full reads) */
	startSkip?: number;
	/**
	 * Ask for the next page while the caller works on this one (one request ahead). For reads that go through
	 * every page; a caller that stops early would leave one request made for nothing.
	 */
	readAhead?: boolean;
}

interface ODataPage<T> {
	value?: T[];
	'odata.nextLink'?: string;
	'@odata.nextLink'?: string;
}

/** The `$skip` of a next link such as "Items?$skip=20" or "Items?$select=…&$skip=40". */
export function skipOfNextLink(link: string): number | undefined {
	const m = /[?&]\$skip=(\d+)/.exec(link);
	return m ? Number(m[1]) : undefined;
}

/** Pages of an entity set, as an async stream: one page in memory at a time. */
export async function* slPages<T = IDataObject>(
	ctx: RequestContext,
	entity: string,
	opts: ListOptions = {},
): AsyncGenerator<{ items: T[]; skip: number; nextSkip?: number }> {
	const pageSize = opts.pageSize ?? 500;
	let skip = opts.startSkip ?? 0;
	const seen = new Set<number>();
	const page = (at: number) =>
		slRequest<ODataPage<T>>(ctx, {
			method: 'GET',
			path: `/${entity}`,
			query: {
				$select: opts.select?.join(','),
				$filter: opts.filter,
				$orderby: opts.orderby,
				$skip: at || undefined,
			},
			headers: { 'B1S-PageSize': String(pageSize), Prefer: `odata.maxpagesize=${pageSize}` },
			itemIndex: opts.itemIndex,
			action: opts.action ?? `Reading ${entity}`,
			policy: opts.policy,
		});
	let pending = page(skip);
	for (;;) {
		const { body } = await pending;
		const items = body.value ?? [];
		const link = body['odata.nextLink'] ?? body['@odata.nextLink'];
		const nextSkip = link ? skipOfNextLink(link) : undefined;
		const more = nextSkip !== undefined && items.length > 0;
		const advances = more && !seen.has(nextSkip) && nextSkip > skip;
		if (advances && opts.readAhead) {
			pending = page(nextSkip);
			pending.catch(() => undefined); // thrown when awaited; nobody awaits it if the caller stops here
		}
		yield { items, skip, nextSkip };
		if (!more) return;
		if (!advances) throw new Error(`SAP sent a next link that does not advance ($skip=${nextSkip} after ${skip})`);
		seen.add(nextSkip);
		skip = nextSkip;
		if (!opts.readAhead) pending = page(skip);
	}
}

/**
 * The delta filter of erp-facts §1: UpdateDate is a date at midnight and UpdateTime a separate "HH:MM:SS",
 * so "changed since D T" is `(UpdateDate gt 'D') or (UpdateDate eq 'D' and UpdateTime ge 'T')`. The common
 * `UpdateDate ge 'D' and UpdateTime ge 'T'` misses a record changed on a later day at an earlier hour.
 */
export function changedSinceFilter(
	since: { date: string; time: string },
	dateField = 'UpdateDate',
	timeField = 'UpdateTime',
): string {
	const d = odataString(since.date);
	const t = odataString(since.time);
	return `(${dateField} gt ${d}) or (${dateField} eq ${d} and ${timeField} ge ${t})`;
}
