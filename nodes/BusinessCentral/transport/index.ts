/**
 * Requests to Business Central (API v2.0, our custom API pages, OData V4 pages) through the shared retrying
 * transport (nodes/shared/transport: backoff with jitter for 429 / 503 / 504 and lost connections, honouring
 * Retry-After when BC sends one — research §1 calls it undocumented — and never following a redirect with the
 * token). On top of it, what BC needs:
 *
 * - SaaS: the Entra token lives in the credential's hidden expirable field; a 401 gets ONE new token shared by every
 *   request in flight (nodes/shared/transport/session.ts, as SAP's session), a 401 right after it fails the request.
 *   On premises: basic auth, nothing to renew.
 * - Company: the credential's Company may be the GUID or the name; it is resolved once per node run from
 *   `GET …/companies` to the id (API URLs `companies({id})`) and the name (OData V4 `Company('name')`). Unknown →
 *   an error naming it and listing the companies found.
 * - Paging: `Prefer: odata.maxpagesize=N` and the ABSOLUTE `@odata.nextLink` (`$skiptoken=<last key>`, research
 *   §1 [S13]). A link is followed only when it stays under this installation's root (same origin and path root as
 *   the credential's API): the token is never sent where a page points elsewhere.
 * - Errors: `{"error":{"code","message":"… CorrelationId: …"}}` → the node's message carries BC's code, its message
 *   (with the CorrelationId BC puts into it: Microsoft support asks for it) and the item.
 * - Writes: `If-Match` with the record's weak ETag; a 409 `Request_EntityChanged` (stale ETag, research §1 [S17])
 *   re-reads the record and tries once more (sendWithIfMatch).
 * Every path segment built from data is encoded here (entityPath, companyPagePath, keyLiteral).
 */
import {
	NodeApiError,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHttpRequestMethods,
} from 'n8n-workflow';
import { extractedOf, requestWithRetry, type FullResponse, type RequestContext } from '../../shared/transport/request';
import type { RetryPolicy } from '../../shared/transport/retry';
import { isUnderBase } from '../../shared/transport/url';
import { onPremRoot, saasRoot } from './auth';

export const BC_SAAS_CREDENTIAL = 'businessCentralApi';
export const BC_ONPREM_CREDENTIAL = 'businessCentralOnPremApi';
export type BcCredentialType = typeof BC_SAAS_CREDENTIAL | typeof BC_ONPREM_CREDENTIAL;

/**
 * Records per page asked with `Prefer: odata.maxpagesize` unless the node's Page Size says otherwise. 5,000, not
 * BC's maximum of 20,000: a page of items with every field is about 1 KB a record, so 20,000 is a 20 MB answer that
 * BC takes long to build (requests past 8 minutes are cut: 408 / 504) and n8n holds whole; 5,000 keeps a page at a
 * few MB while a 100,000-item catalogue is still only 20 requests of the 6,000 per 5 minutes BC allows a user.
 */
export const DEFAULT_PAGE_SIZE = 5000;
/** BC's own limit: more than 20,000 rows a page is answered 413 (research §1 [S11, S12]). */
export const MAX_PAGE_SIZE = 20000;

/**
 * A node parameter in any context: an execution reads it as `(name, itemIndex, fallback, options)`, the editor's
 * list and search methods (and triggers) as `(name, fallback, options)` — the wrong order gave a dropdown the
 * fallback or the whole resource locator object instead of the value.
 */
export function nodeParameter(ctx: RequestContext, name: string, fallback: unknown): unknown {
	const get = ctx.getNodeParameter as (...args: unknown[]) => unknown;
	let value: unknown;
	try {
		value =
			'getInputData' in ctx
				? get.call(ctx, name, 0, fallback, { extractValue: true })
				: get.call(ctx, name, fallback, { extractValue: true });
	} catch {
		value = fallback;
	}
	// a resource locator the context did not extract: its value
	if (value && typeof value === 'object' && 'value' in (value as object)) value = (value as { value: unknown }).value;
	return value ?? fallback;
}

/** The node's Authentication parameter (SaaS unless on-premises is chosen). */
export function credentialTypeOf(ctx: RequestContext): BcCredentialType {
	return nodeParameter(ctx, 'authentication', BC_SAAS_CREDENTIAL) === BC_ONPREM_CREDENTIAL
		? BC_ONPREM_CREDENTIAL
		: BC_SAAS_CREDENTIAL;
}

export interface BcEndpoints {
	type: BcCredentialType;
	credentials: ICredentialDataDecryptedObject;
	/** everything the credential's token / key may go to: `{apiHost}/v2.0/{tenant}/{env}` or the on-prem base */
	root: string;
	/** `{root}/api/v2.0` */
	api: string;
	/** `{root}/ODataV4` */
	odata: string;
}

export function endpointsOf(type: BcCredentialType, credentials: ICredentialDataDecryptedObject): BcEndpoints {
	const root = type === BC_SAAS_CREDENTIAL ? saasRoot(credentials) : onPremRoot(credentials);
	return { type, credentials, root, api: `${root}/api/v2.0`, odata: `${root}/ODataV4` };
}

export async function endpoints(ctx: RequestContext): Promise<BcEndpoints> {
	const type = credentialTypeOf(ctx);
	return endpointsOf(type, await ctx.getCredentials(type));
}

/** Root of a custom API: `{root}/api/{publisher}/{group}/{version}` (each segment encoded). */
export function customApiRoot(ep: BcEndpoints, api: { publisher: string; group: string; version: string }): string {
	const seg = (v: string, name: string) => {
		const t = v.trim();
		if (!t) throw new Error(`Custom API ${name} is empty`);
		return encodeURIComponent(t);
	};
	return `${ep.root}/api/${seg(api.publisher, 'publisher')}/${seg(api.group, 'group')}/${seg(api.version, 'version')}`;
}

/** The company under the pack's custom API (priceListLines, customerPricing): `companyApi`'s twin. */
export function customCompanyApi(
	bc: BcCompanyContext,
	api: { publisher: string; group: string; version: string },
): string {
	return `${customApiRoot(bc, api)}${entityPath('companies', bc.company.id)}`;
}

/** An OData string literal, quotes doubled: `'O''Brien'`. */
export function odataString(value: string): string {
	return `'${value.replace(/'/g, "''")}'`;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: unknown): boolean {
	return typeof value === 'string' && GUID.test(value.trim());
}

/**
 * The key of an entity in a path, encoded: a GUID as it is (`(5d1…)`, API v2.0 keys), anything else as a quoted
 * literal with every character that could change the path (`/`, `.`, `#`, `?`, `%`) encoded, as SAP's keyPath.
 */
export function keyLiteral(key: string): string {
	return isGuid(key) ? key.trim().toLowerCase() : encodeURIComponent(odataString(key));
}

/** `/{set}({key})` */
export function entityPath(set: string, key: string): string {
	return `/${set}(${keyLiteral(key)})`;
}

/** OData V4 page of a company: `/Company('name')/{service}` (name and service encoded). */
export function companyPagePath(companyName: string, service: string): string {
	return `/Company(${encodeURIComponent(odataString(companyName))})/${encodeURIComponent(service.trim())}`;
}

/** `?$filter=a%20eq%20'b'&$top=1`: every value encoded (spaces as %20, quotes and commas kept as OData writes them). */
export function odataQuery(query: Record<string, string | number | undefined> = {}): string {
	const parts = Object.entries(query)
		.filter(([, v]) => v !== undefined && v !== '')
		.map(([k, v]) => `${k}=${encodeURIComponent(String(v)).replace(/%27/g, "'").replace(/%2C/gi, ',')}`);
	return parts.length ? `?${parts.join('&')}` : '';
}

export interface BcRequest {
	method: IHttpRequestMethods;
	/** an absolute URL under the installation's root (a next link), or a path under `base` */
	url: string;
	/** absolute base the path is under (default: the API, `{root}/api/v2.0`) */
	base?: string;
	query?: Record<string, string | number | undefined>;
	body?: IDataObject;
	headers?: IDataObject;
	itemIndex?: number;
	action?: string;
	policy?: Partial<RetryPolicy>;
	acceptStatus?: number[];
	idempotent?: boolean;
	encoding?: 'arraybuffer';
	/** endpoints already read by the caller */
	endpoints?: BcEndpoints;
	/** added to the message of a 404: what is missing and how to fix it (the custom API pages) */
	notFoundHint?: string;
}

/**
 * The fix for a 404 from our custom API: BC answers "Resource not found for the segment 'erpB2b'" when the
 * extension of docs/business-central-al-api.md is not installed (or its publisher / group / version differ).
 */
export function customApiHint(
	api: { publisher: string; group: string; version: string },
	page: string,
	without?: string,
): string {
	const fixes = [
		'install the ERP B2B extension (docs/business-central-al-api.md)',
		'set Custom API Publisher / Group / Version to what your partner published',
		...(without ? [`switch off ${without}`] : []),
	];
	return `Business Central has no custom API page ${page} at api/${api.publisher}/${api.group}/${api.version}: ${fixes.slice(0, -1).join(', ')} or ${fixes[fixes.length - 1]}`;
}

/** BC's error code of a failed request (`BadRequest_NotFound`, `Request_EntityChanged`…), when it sent one. */
export function bcErrorCode(error: unknown): string | undefined {
	return extractedOf(error)?.code;
}

/** The HTTP status of a failed request. */
export function httpStatusOf(error: unknown): number | undefined {
	const code = (error as { httpCode?: unknown } | undefined)?.httpCode;
	return code ? Number(code) : undefined;
}

/** Puts BC's error code into the message: "Reading items failed: HTTP 400 BadRequest_NotFound – …". */
function withBcCode(error: unknown): unknown {
	const code = bcErrorCode(error);
	if (!code || !(error instanceof NodeApiError)) return error;
	if (!error.message.includes(code)) error.message = error.message.replace(/(HTTP \d{3})/, `$1 ${code}`);
	return error;
}

export async function bcRequest<T = IDataObject>(ctx: RequestContext, req: BcRequest): Promise<FullResponse<T>> {
	const ep = req.endpoints ?? (await endpoints(ctx));
	const absolute = /^https?:\/\//i.test(req.url);
	const url = absolute ? req.url : `${req.base ?? ep.api}${req.url}${odataQuery(req.query)}`;
	// the token / key go only under the installation's root: a path from data that resolves elsewhere is not sent
	if (!isUnderBase({ url }, ep.root))
		throw new NodeOperationError(
			ctx.getNode(),
			`Refused: the request ${absolute ? 'link' : 'path'} leads outside Business Central's ${ep.root}`,
			{ itemIndex: req.itemIndex },
		);
	try {
		return await requestWithRetry<T>(
			ctx,
			ep.type,
			{
				method: req.method,
				url,
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
				...(ep.type === BC_SAAS_CREDENTIAL
					? // the token is read fresh for each request (the endpoints may be older than the last renewal)
						{ session: { field: 'accessToken', expiredStatus: [401] } }
					: {}),
			},
		);
	} catch (error) {
		const e = withBcCode(error);
		if (req.notFoundHint && httpStatusOf(e) === 404 && e instanceof NodeApiError) {
			e.message = `${e.message} — ${req.notFoundHint}`;
			e.description = req.notFoundHint;
		}
		throw e;
	}
}

export interface Company {
	id: string;
	name: string;
	displayName?: string;
}

/** Companies of the environment (`GET …/api/v2.0/companies`). */
export async function listCompanies(
	ctx: RequestContext,
	ep: BcEndpoints,
	policy?: Partial<RetryPolicy>,
): Promise<Company[]> {
	const out: Company[] = [];
	for await (const page of bcPages<IDataObject>(ctx, {
		url: '/companies',
		endpoints: ep,
		action: 'Reading the companies',
		policy,
	}))
		for (const c of page.items)
			out.push({ id: String(c.id), name: String(c.name ?? ''), displayName: String(c.displayName ?? '') });
	return out;
}

/** The credential's company among the ones found: by ID (GUID), then by exact name, then by name ignoring case. */
export function findCompany(companies: Company[], wanted: string): Company | undefined {
	const w = wanted.trim();
	if (isGuid(w)) return companies.find((c) => c.id.toLowerCase() === w.toLowerCase());
	return (
		companies.find((c) => c.name === w) ??
		companies.find((c) => c.name.toLowerCase() === w.toLowerCase()) ??
		companies.find((c) => (c.displayName ?? '').toLowerCase() === w.toLowerCase())
	);
}

export function unknownCompanyMessage(wanted: string, companies: Company[], where: string): string {
	const list = companies.map((c) => `"${c.name}" (${c.id})`).join(', ');
	return `Company "${wanted}" was not found in Business Central ${where}: ${companies.length ? `the companies there are ${list}` : 'it has no companies the credential may read'} — check Company in the credential`;
}

/** The environment or on-prem base, for messages (no secrets: tenant and environment names, or the URL). */
export function whereOf(ep: BcEndpoints): string {
	if (ep.type === BC_ONPREM_CREDENTIAL) return `at ${ep.root}`;
	return `environment "${String(ep.credentials.environment || 'production')}" of tenant "${String(ep.credentials.tenantId ?? '').trim()}"`;
}

export interface BcCompanyContext extends BcEndpoints {
	company: Company;
	/** `{api}/companies({id})` */
	companyApi: string;
}

const resolved = new WeakMap<object, Promise<BcCompanyContext>>();

/**
 * The endpoints and the company, resolved once per node run (the context object of the run is the key): the node's
 * Company override when set, else the credential's Company.
 */
export async function companyContext(ctx: RequestContext, policy?: Partial<RetryPolicy>): Promise<BcCompanyContext> {
	let pending = resolved.get(ctx);
	if (!pending) {
		pending = (async () => {
			const ep = await endpoints(ctx);
			const wanted = companyWanted(ctx, ep);
			if (!wanted)
				throw new NodeOperationError(ctx.getNode(), 'Company is empty: fill it in the Business Central credential');
			const companies = await listCompanies(ctx, ep, policy);
			const company = findCompany(companies, wanted);
			if (!company) throw new NodeOperationError(ctx.getNode(), unknownCompanyMessage(wanted, companies, whereOf(ep)));
			return { ...ep, company, companyApi: `${ep.api}${entityPath('companies', company.id)}` };
		})();
		resolved.set(ctx, pending);
		// a failure is not kept: the next item of a Continue-On-Fail run asks again
		pending.catch(() => resolved.delete(ctx));
	}
	return await pending;
}

function companyWanted(ctx: RequestContext, ep: BcEndpoints): string {
	const override = String(nodeParameter(ctx, 'company', '') ?? '').trim();
	return override || String(ep.credentials.company ?? '').trim();
}

interface ODataPage<T> {
	value?: T[];
	'@odata.nextLink'?: string;
}

export interface PageOptions {
	/** path under `base` (default the company's API) or an absolute URL under the root */
	url: string;
	base?: string;
	query?: Record<string, string | number | undefined>;
	pageSize?: number;
	itemIndex?: number;
	action?: string;
	policy?: Partial<RetryPolicy>;
	endpoints?: BcEndpoints;
	notFoundHint?: string;
}

/** Whether a next link stays under the installation's root (same origin, path under the root's path). */
export function isOwnLink(link: string, root: string): boolean {
	return /^https?:\/\//i.test(link) && isUnderBase({ url: link }, root);
}

/**
 * The pages of a collection, one at a time: `Prefer: odata.maxpagesize`, then each absolute `@odata.nextLink` —
 * only while it stays under the installation's root; a link elsewhere (another host, another path root) ends the
 * read with an error instead of sending the token there. A link seen twice is an error too (no endless loop).
 */
export async function* bcPages<T = IDataObject>(
	ctx: RequestContext,
	opts: PageOptions,
): AsyncGenerator<{ items: T[]; page: number }> {
	const ep = opts.endpoints ?? (await endpoints(ctx));
	const size = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(opts.pageSize ?? DEFAULT_PAGE_SIZE)));
	const seen = new Set<string>();
	let url: string = opts.url;
	for (let page = 1; ; page++) {
		const { body } = await bcRequest<ODataPage<T>>(ctx, {
			method: 'GET',
			url,
			base: opts.base,
			query: page === 1 ? opts.query : undefined,
			headers: { Prefer: `odata.maxpagesize=${size}` },
			itemIndex: opts.itemIndex,
			action: page === 1 ? opts.action : `${opts.action ?? 'Reading'} (page ${page})`,
			policy: opts.policy,
			endpoints: ep,
			notFoundHint: opts.notFoundHint,
		});
		const items = Array.isArray(body?.value) ? body.value : undefined;
		if (!items)
			throw new NodeOperationError(
				ctx.getNode(),
				`${opts.action ?? 'Reading'} failed: Business Central answered page ${page} without a "value" list`,
				{ itemIndex: opts.itemIndex },
			);
		yield { items, page };
		const link = body['@odata.nextLink'];
		if (!link || items.length === 0) return;
		if (!isOwnLink(link, ep.root)) {
			let shown = 'another address';
			try {
				const u = new URL(link);
				shown = `${u.protocol}//${u.host}${u.pathname}`;
			} catch {
				// not even a URL: "another address"
			}
			throw new NodeOperationError(
				ctx.getNode(),
				`${opts.action ?? 'Reading'} stopped: Business Central's next-page link points to ${shown}, outside ${ep.root}; it is not followed (the credential would go along)`,
				{ itemIndex: opts.itemIndex },
			);
		}
		if (seen.has(link))
			throw new NodeOperationError(
				ctx.getNode(),
				`${opts.action ?? 'Reading'} stopped: Business Central sent the same next-page link twice`,
				{ itemIndex: opts.itemIndex },
			);
		seen.add(link);
		url = link;
	}
}

/** The weak ETag of a record as BC sends it (`@odata.etag`). */
export function etagOf(record: IDataObject | undefined): string | undefined {
	const tag = record?.['@odata.etag'];
	return typeof tag === 'string' && tag ? tag : undefined;
}

/**
 * A write with `If-Match: <etag>` (BC refuses a PATCH without it: 400 BadRequest_InvalidToken). When BC answers 409
 * `Request_EntityChanged` (someone changed the record since it was read), `reread` gets the record's current ETag
 * and the write is sent once more with it; a second 409 fails with BC's message. Used by the order writes.
 */
export async function sendWithIfMatch<T = IDataObject>(
	ctx: RequestContext,
	req: BcRequest & { etag: string },
	reread: () => Promise<string>,
): Promise<FullResponse<T>> {
	const send = async (etag: string) =>
		await bcRequest<T>(ctx, { ...req, headers: { ...(req.headers ?? {}), 'If-Match': etag } });
	let failure: unknown;
	try {
		return await send(req.etag);
	} catch (error) {
		failure = error;
	}
	if (httpStatusOf(failure) !== 409 || bcErrorCode(failure) !== 'Request_EntityChanged') throw failure;
	return await send(await reread());
}
