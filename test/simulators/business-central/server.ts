/**
 * Microsoft Dynamics 365 Business Central simulator: one real node:http server on 127.0.0.1 serving
 *   - the SaaS API      {apiHost}/v2.0/{tenant}/{environment}/api/v2.0/…  (also without the tenant segment)
 *                       {apiHost}/v2.0/{tenant}/{environment}/api/{publisher}/{group}/{version}/…  (our custom API)
 *                       {apiHost}/v2.0/{tenant}/{environment}/ODataV4/Company('{name}')/{Service}
 *     with Bearer tokens from
 *   - the Entra token endpoint  {loginHost}/{tenant}/oauth2/v2.0/token  (client credentials, form body)
 *   - on-premises       {onPremBase}/api/v2.0/…, {onPremBase}/ODataV4/…  with basic auth (user + web service key)
 *   - admin for tests   /__sim/…  (see admin.ts)
 * Requirements: /work/shared/research/erp-facts-wave2.md §1 and §3; what is reproduced how strictly: README.md.
 *
 *   const sim = await startBusinessCentralSimulator();
 *   const tok = await (await fetch(`${sim.loginHost}/${sim.tenant}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams({...}) })).json();
 *   await fetch(`${sim.apiRoot}/companies(${sim.company.id})/items`, { headers: { Authorization: `Bearer ${tok.access_token}` } });
 *   sim.state.moveStock('1000', 'ŁÓDŹ', 5);   // inventory changes, the item's lastModifiedDateTime does not
 *   sim.faults.throttle({ retryAfter: '2' }); // the next API call gets 429 Application_TooManyRequests
 *
 * Request pipeline: read body → token endpoint / admin, or: parse URL → auth (401) → injected fault (before) →
 * route (API / ODataV4 / $batch) → injected fault (afterWrite) → answer. sales.ts and subscriptions.ts plug their
 * routes in here; $batch sub-requests go through the same router.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClock, type ClockOptions, type SimClock } from '../common/clock';
import { applyFault, type FaultKind } from '../common/faults';
import { handleAdmin } from './admin';
import { Tokens, type TokenOptions } from './auth';
import { CapturedResponse, runBatch } from './batch';
import {
	attachInfo,
	BcError,
	createContext,
	errors,
	sendBcError,
	type BcContext,
	type BcRequestInfo,
	type BcRoute,
} from './core';
import { companyJson, COMPANY_SCHEMA, entityRoutes } from './entities';
import { errorBody } from './errors';
import { BcFaults, type BcFaultTarget } from './faults';
import { handleOData } from './odata';
import { installSales, salesRoutes } from './sales';
import { SEED_DEFAULTS, seedState, type SeedOptions, type SeedSummary } from './seed';
import { BcState, makeGuid, type Company } from './state';
import { installSubscriptions, subscriptionRoutes, subscriptionsOf, type Delivery } from './subscriptions';
import { readBody } from '../common/http';

export { BcState } from './state';
export type { BcContext, BcRoute } from './core';
export type { SeedOptions, SeedSummary } from './seed';
export type { SimClock } from '../common/clock';

export const BC_SCOPE = 'https://api.businesscentral.dynamics.com/.default';

export interface BusinessCentralSimulatorOptions {
	/** port (default 0: a free one) */
	port?: number;
	/** initial data (default SEED_DEFAULTS: 2 companies, 30 items, 12 customers, 3 locations each); false = empty */
	seed?: SeedOptions | false;
	/** the server's page size (ODataServicesMaxPageSize; default 20,000 as BC online) */
	pageSize?: number;
	/** Prefer odata.maxpagesize above pageSize: 413 (default, research §1) or 'clamp' to pageSize */
	oversizePage?: 413 | 'clamp';
	clock?: ClockOptions;
	/** Entra app (default a fixed GUID and secret) */
	clientId?: string;
	clientSecret?: string;
	/** tenant id (GUID; default a fixed one) */
	tenant?: string;
	/** the tenant's domain, accepted wherever the tenant id is (default 'hurtowniazelazna.onmicrosoft.com') */
	tenantDomain?: string;
	/** environment name (default 'production') */
	environment?: string;
	/** on-prem basic auth (default user 'ADMIN', key a fixed 44-character web service access key) */
	onPremUser?: string;
	onPremKey?: string;
	/** token lifetime in seconds (default 3599, as Entra's expires_in) */
	tokenLifetimeSeconds?: number;
	/** scopes the token endpoint accepts (default [BC_SCOPE]) */
	scopes?: string[];
	/** our custom API's publisher/group/version (default 'erpB2b/sync/v1.0'; unverified, so configurable) */
	customApi?: string;
	/** page 30 Item Card published under these service names (default ['ItemCard']) */
	itemCardServices?: string[];
	/** operations allowed in one $batch (default 100) */
	maxBatchOperations?: number;
	/** request bodies above this answer 413 (default 50 MiB) */
	maxBodyBytes?: number;
	/**
	 * BC online's per-user request limit (research §1: 6,000 requests per 5 minutes): API and ODataV4 calls over
	 * `requests` within `windowMs` (simulated clock) answer 429 Application_TooManyRequests, with Retry-After when
	 * `retryAfterSeconds` is given (BC's Retry-After is undocumented). Default: off.
	 */
	rateLimit?: { requests: number; windowMs: number; retryAfterSeconds?: number };
}

export interface BcRequestLogEntry {
	/** 'api' (API v2.0 and custom APIs), 'odata' (ODataV4 pages), 'login' (token endpoint), 'admin', 'other' */
	target: BcFaultTarget | 'admin' | 'other';
	method: string;
	/** the URL path, still encoded */
	path: string;
	query?: string;
	/** 0 when no answer was sent (drop, reset) */
	status: number;
	ms: number;
	at?: number;
	fault?: FaultKind;
	/** 'saas' or 'onprem' for API / ODataV4 calls */
	mode?: 'saas' | 'onprem';
	/** $batch: operations run */
	batchOperations?: number;
	/** set when the request is a $batch sub-request (logged after its batch's entry) */
	inBatch?: boolean;
}

export interface BusinessCentralSimulator {
	/** http://127.0.0.1:P */
	url: string;
	port: number;
	/** SaaS API host: http://127.0.0.1:P */
	apiHost: string;
	/** Entra login host: http://127.0.0.1:P/login (token: POST {loginHost}/{tenant}/oauth2/v2.0/token) */
	loginHost: string;
	/** on-prem base URL: http://127.0.0.1:P/BC */
	onPremBase: string;
	/** {apiHost}/v2.0/{tenant}/{environment}/api/v2.0 */
	apiRoot: string;
	/** {apiHost}/v2.0/{tenant}/{environment}/api/{customApi} */
	customApiRoot: string;
	/** {apiHost}/v2.0/{tenant}/{environment}/ODataV4 */
	odataRoot: string;
	tenant: string;
	tenantDomain: string;
	environment: string;
	customApi: string;
	/** the first company */
	company: { id: string; name: string };
	clientId: string;
	clientSecret: string;
	onPremUser: string;
	onPremKey: string;
	state: BcState;
	clock: SimClock;
	faults: BcFaults;
	ctx: BcContext;
	/** every request in the order they finished; no tokens, no bodies */
	requests: BcRequestLogEntry[];
	/** internal errors of the simulator itself (should stay empty) */
	crashes: string[];
	/** API / ODataV4 calls answered 429 by the rateLimit option */
	readonly throttled: number;
	/** access tokens issued so far (a node that caches its token asks once) */
	readonly tokensIssued: number;
	tokens: Tokens;
	/** replaces the data */
	seed(opts?: SeedOptions): SeedSummary;
	/** back to right after start: data re-seeded, tokens, faults and the log emptied */
	reset(): void;
	/** sends every pending webhook notification now (instead of advancing the clock past the 30 s debounce) */
	flushNotifications(): Promise<Delivery[]>;
	close(): Promise<void>;
}

const DEFAULT_TENANT = makeGuid('bc-sim-tenant');
const DEFAULT_CLIENT_ID = makeGuid('bc-sim-client');
const DEFAULT_SECRET = 'Zq8~sim.SekretKlienta_Lodz-0123456789abcdef';
const DEFAULT_KEY = 'b2Rkdm9xZ3F3ZXJ0eXVpb3Bhc2RmZ2hqa2x6eGN2Ym4=';
const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** the parsed JSON body of an API call (undefined when empty); not JSON → 400 "Invalid Request Body" */
export function parseJson(buf: Buffer): unknown {
	const text = buf.toString('utf8').replace(/^\uFEFF/, '');
	if (!text.trim()) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		throw errors.invalidBody();
	}
}

/** what the router needs of a request: a real one, or a $batch operation */
export interface RoutedRequest {
	method: string;
	/** path after the API root (or after /ODataV4), still encoded, no query */
	path: string;
	search: string;
	root: string;
	api: string;
	mode: 'saas' | 'onprem';
	inBatch: boolean;
}

export async function startBusinessCentralSimulator(
	opts: BusinessCentralSimulatorOptions = {},
): Promise<BusinessCentralSimulator> {
	const tenant = (opts.tenant ?? DEFAULT_TENANT).toLowerCase();
	const tenantDomain = (opts.tenantDomain ?? 'hurtowniazelazna.onmicrosoft.com').toLowerCase();
	const environment = opts.environment ?? 'production';
	const clientId = opts.clientId ?? DEFAULT_CLIENT_ID;
	const clientSecret = opts.clientSecret ?? DEFAULT_SECRET;
	const onPremUser = opts.onPremUser ?? 'ADMIN';
	const onPremKey = opts.onPremKey ?? DEFAULT_KEY;
	const customApi = opts.customApi ?? 'erpB2b/sync/v1.0';
	const itemCardServices = opts.itemCardServices ?? ['ItemCard'];
	const maxBody = opts.maxBodyBytes ?? 50 * 1024 * 1024;
	const clock = createClock(opts.clock);
	const state = new BcState(clock);
	const seedOpts: SeedOptions | false = opts.seed === undefined ? { ...SEED_DEFAULTS } : opts.seed;
	if (seedOpts) seedState(state, seedOpts);
	const faults = new BcFaults();
	const requests: BcRequestLogEntry[] = [];
	const crashes: string[] = [];
	const sleepers = new Set<() => void>();
	let closed = false;
	let throttled = 0;
	const recent: number[] = [];
	const tokenOpts: TokenOptions = {
		clock,
		tenant,
		tenantDomain,
		clientId,
		clientSecret,
		lifetimeSeconds: opts.tokenLifetimeSeconds ?? 3599,
		scopes: opts.scopes ?? [BC_SCOPE],
	};
	const tokens = new Tokens(tokenOpts);
	const ctx = createContext({
		state,
		clock,
		pageSize: opts.pageSize ?? 20_000,
		oversizePage: opts.oversizePage ?? 413,
	});
	const routes: BcRoute[] = [...entityRoutes(customApi), ...salesRoutes, ...subscriptionRoutes];
	const cleanups: Array<() => unknown> = [];
	for (const install of [installSales, installSubscriptions] as Array<(c: BcContext) => unknown>) {
		const done = install(ctx);
		if (typeof done === 'function') cleanups.push(done as () => unknown);
		// a module object with stop() (the subscriptions' delivery tick) stops with the server
		else if (done && typeof (done as { stop?: unknown }).stop === 'function')
			cleanups.push(() => (done as { stop: () => unknown }).stop());
	}

	const sleep = (ms: number) =>
		new Promise<void>((resolve) => {
			const done = () => {
				clearTimeout(timer);
				sleepers.delete(done);
				resolve();
			};
			const timer = setTimeout(done, ms);
			sleepers.add(done);
		});

	/** the API root / ODataV4 root of a parsed URL, absolute */
	const rootUrl = (host: string, prefix: string) => `http://${host}${prefix}`;

	/** company({id}) → the company, or BC's errors */
	function companyFromSegment(seg: string): Company {
		const id = decodeURIComponent(seg);
		if (!GUID_RE.test(id)) throw errors.badRequest(`'${id}' is not a valid value for the key 'id' of type 'Edm.Guid'.`);
		const c = state.companies.find((x) => x.id === id.toLowerCase());
		if (!c) throw errors.companyNotFound();
		return c;
	}

	/**
	 * Runs one API request (a real one or a $batch operation) against the routes. Throws BcError for BC's errors.
	 */
	async function routeApi(
		r: RoutedRequest,
		req: http.IncomingMessage,
		res: http.ServerResponse,
		body: unknown,
		entry: BcRequestLogEntry | undefined,
	): Promise<void> {
		const i: BcRequestInfo = {
			root: r.root,
			api: r.api,
			path: r.path,
			url: r.root + r.path,
			query: new URLSearchParams(r.search),
			inBatch: r.inBatch,
			mode: r.mode,
			extraHeaders: {},
		};
		attachInfo(req, res, i);
		if (r.api === 'ODataV4') {
			handleOData(ctx, req, res, r.path, itemCardServices);
			return;
		}
		if (r.api !== 'v2.0' && r.api !== customApi) throw errors.noSegment(r.api.split('/')[0]);
		const path = r.path;
		if (path === '' || path === '/') {
			const sets = [
				'companies',
				...new Set(
					routes
						.filter((x) => (x.api ?? 'v2.0') === r.api)
						.map((x) => /^\^\\?\/([A-Za-z]+)/.exec(x.pattern.source)?.[1])
						.filter((x): x is string => !!x),
				),
			];
			ctx.sendJson(res, 200, {
				'@odata.context': `${r.root}/$metadata`,
				value: sets.map((name) => ({ name, kind: 'EntitySet', url: name })),
			});
			return;
		}
		if (path === '/$batch') {
			if (r.inBatch) throw errors.badRequest('A $batch request cannot contain another $batch.');
			if (r.method !== 'POST') throw errors.methodNotAllowed(r.method);
			const ran = await runBatch(
				{
					state,
					maxOperations: opts.maxBatchOperations ?? 100,
					isolation: String(req.headers.isolation ?? req.headers['odata-isolation'] ?? ''),
					root: r.root,
					run: (op, fake, fakeRes) =>
						routeApi(
							{ ...r, method: op.method, path: op.path, search: op.search, inBatch: true },
							fake,
							fakeRes,
							op.body,
							undefined,
						),
					onCrash: (msg) => crashes.push(msg),
					ctx,
				},
				body,
			);
			if (entry) entry.batchOperations = ran.operations;
			ctx.sendJson(res, 200, ran.body);
			return;
		}
		if (path === '/companies') {
			if (r.method !== 'GET') throw errors.methodNotAllowed(r.method);
			const rows = state.companies.map(companyJson);
			ctx.sendJson(
				res,
				200,
				ctx.page(req, rows, { schema: COMPANY_SCHEMA, typeName: 'Microsoft.NAV.company', key: 'name', etag: false }),
			);
			return;
		}
		const cm = /^\/companies\(([^)]*)\)(\/.*)?$/.exec(path);
		let scope: 'company' | 'root' = 'root';
		let sub = path;
		if (cm) {
			const co = companyFromSegment(cm[1]);
			i.company = co;
			scope = 'company';
			sub = cm[2] ?? '';
			i.path = sub;
			if (sub === '' || sub === '/') {
				if (r.method !== 'GET') throw errors.methodNotAllowed(r.method);
				ctx.sendJson(res, 200, { '@odata.context': `${r.root}/$metadata#companies/$entity`, ...companyJson(co) });
				return;
			}
		}
		let pathMatched = false;
		for (const route of routes) {
			if ((route.api ?? 'v2.0') !== r.api || route.scope !== scope) continue;
			route.pattern.lastIndex = 0;
			const m = route.pattern.exec(sub);
			if (!m) continue;
			pathMatched = true;
			if (route.method.toUpperCase() !== r.method.toUpperCase()) continue;
			ctx.current = req;
			try {
				await route.handle(ctx, req, res, m, body);
			} finally {
				if (ctx.current === req) ctx.current = undefined;
			}
			return;
		}
		if (pathMatched) throw errors.methodNotAllowed(r.method);
		throw errors.noSegment(decodeURIComponent(sub.split('/')[1]?.replace(/\(.*$/, '') ?? ''));
	}

	/** faults answer in BC's error shape */
	const faultAnswer = (res: http.ServerResponse) => ({
		isClosed: () => closed,
		sleep,
		sendStatus: (status: number, headers: Record<string, string>) => {
			const [code, message] = faultError(status);
			ctx.sendError(res, status, code, message, headers);
		},
	});

	/** parses the URL into the API it addresses; undefined = not an API URL */
	function parseApiUrl(
		host: string,
		pathname: string,
	):
		| { mode: 'saas' | 'onprem'; tenant?: string; env?: string; prefix: string; kind: 'api' | 'ODataV4'; rest: string }
		| undefined {
		let m = /^\/v2\.0\/(?:([^/]+)\/)?([^/]+)\/(api|ODataV4)(\/.*)?$/.exec(pathname);
		if (m) {
			const prefix = pathname.slice(0, pathname.length - (m[4]?.length ?? 0));
			return {
				mode: 'saas',
				tenant: m[1] && decodeURIComponent(m[1]),
				env: decodeURIComponent(m[2]),
				prefix,
				kind: m[3] as 'api' | 'ODataV4',
				rest: m[4] ?? '',
			};
		}
		m = /^\/BC\/(api|ODataV4)(\/.*)?$/.exec(pathname);
		if (m) return { mode: 'onprem', prefix: `/BC/${m[1]}`, kind: m[1] as 'api' | 'ODataV4', rest: m[2] ?? '' };
		void host;
		return undefined;
	}

	async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const started = performance.now();
		const method = req.method ?? 'GET';
		const rawUrl = req.url ?? '/';
		const q = rawUrl.indexOf('?');
		const pathname = q < 0 ? rawUrl : rawUrl.slice(0, q);
		const search = q < 0 ? '' : rawUrl.slice(q + 1);
		const host = req.headers.host ?? `127.0.0.1:${port}`;
		const entry: BcRequestLogEntry = {
			target: 'other',
			method,
			path: pathname,
			...(search ? { query: search } : {}),
			status: 0,
			ms: 0,
		};
		const finish = (status: number) => {
			entry.status = status;
			entry.ms = Math.round((performance.now() - started) * 10) / 10;
			entry.at = Date.now();
			requests.push(entry);
		};
		let body: { buf: Buffer; tooLarge: boolean };
		try {
			body = await readBody(req, maxBody);
		} catch {
			return finish(0);
		}
		const answerError = (e: BcError) => {
			ctx.sendError(res, e.status, e.code, e.message, e.headers);
			finish(e.status);
		};

		// Entra token endpoint
		if (pathname.startsWith('/login/')) {
			entry.target = 'login';
			const sub = pathname.slice('/login'.length);
			const before = faults.take(method, sub, 'before', 'login');
			if (before && (await applyFault(before, req, res, entry, finish, faultAnswer(res)))) return;
			const reply = tokens.handle(method, sub, req.headers['content-type'], body.buf);
			const payload = Buffer.from(JSON.stringify(reply.json), 'utf8');
			res.writeHead(reply.status, {
				'Content-Type': 'application/json; charset=utf-8',
				'Cache-Control': 'no-store, no-cache',
				'Content-Length': String(payload.length),
			});
			res.end(payload);
			return finish(reply.status);
		}
		if (pathname.startsWith('/__sim/')) {
			entry.target = 'admin';
			const reply = handleAdmin(sim, method, pathname.slice('/__sim'.length), new URLSearchParams(search), body.buf);
			const payload = Buffer.from(JSON.stringify(reply.json ?? null), 'utf8');
			res.writeHead(reply.status, {
				'Content-Type': 'application/json; charset=utf-8',
				'Content-Length': String(payload.length),
			});
			res.end(payload);
			return finish(reply.status);
		}

		const api = parseApiUrl(host, pathname);
		if (!api) return answerError(errors.noSegment(decodeURIComponent(pathname.split('/')[1] ?? '')));
		entry.mode = api.mode;
		entry.target = api.kind === 'api' ? 'api' : 'odata';

		// authentication first, as BC does (a fault stands in front of it, like a proxy)
		const faultPath = api.rest || '/';
		const target: BcFaultTarget = api.kind === 'api' ? 'api' : 'odata';
		const before = faults.take(method, faultPath, 'before', target);
		if (before && (await applyFault(before, req, res, entry, finish, faultAnswer(res)))) return;
		if (opts.rateLimit && overLimit(opts.rateLimit)) {
			throttled++;
			const ra = opts.rateLimit.retryAfterSeconds;
			const [code, message] = faultError(429);
			ctx.sendError(res, 429, code, message, ra === undefined ? {} : { 'Retry-After': String(ra) });
			return finish(429);
		}
		// the answer is held until the afterWrite fault (if any) has had its say: a "lost response" loses it
		const cap = new CapturedResponse();
		try {
			if (api.mode === 'saas') {
				const t = tokens.check(req.headers.authorization, api.tenant);
				if (!t.ok) throw errors.invalidCredentials(tokens.challenge());
				if (api.env !== environment)
					throw new BcError(404, 'NoEnvironment', `The environment '${api.env}' does not exist for the tenant.`);
			} else if (!basicOk(req.headers.authorization))
				throw errors.invalidCredentials({ 'WWW-Authenticate': 'Basic realm=""' });
			if (body.tooLarge) throw new BcError(413, 'BadRequest_RequestEntityTooLarge', 'Request Entity Too Large');
			let apiName = 'ODataV4';
			let rest = api.rest;
			let prefix = api.prefix;
			if (api.kind === 'api') {
				const am = /^\/(v2\.0|[^/]+\/[^/]+\/[^/]+)(\/.*)?$/.exec(api.rest);
				if (!am) throw errors.noSegment(decodeURIComponent(api.rest.split('/')[1] ?? 'api'));
				apiName = decodeURIComponent(am[1]);
				rest = am[2] ?? '';
				prefix = `${api.prefix}/${am[1]}`;
			}
			const parsed = method === 'GET' || method === 'DELETE' ? undefined : parseJson(body.buf);
			await routeApi(
				{ method, path: rest, search, root: rootUrl(host, prefix), api: apiName, mode: api.mode, inBatch: false },
				req,
				cap.asServerResponse(),
				parsed,
				entry,
			);
		} catch (err) {
			if (!(err instanceof BcError) || cap.headersSent) throw err;
			sendBcError(ctx, cap.asServerResponse(), err);
		}
		const after = faults.take(method, faultPath, 'after', target);
		if (after && (await applyFault(after, req, res, entry, finish, faultAnswer(res)))) return;
		cap.flush(res);
		finish(cap.statusCode);
	}

	/** sliding window over the simulated clock */
	function overLimit(limit: { requests: number; windowMs: number }): boolean {
		const now = clock.now();
		while (recent.length && recent[0] <= now - limit.windowMs) recent.shift();
		if (recent.length >= limit.requests) return true;
		recent.push(now);
		return false;
	}

	function basicOk(h: string | undefined): boolean {
		const m = /^Basic\s+(.+)$/i.exec(h ?? '');
		if (!m) return false;
		const text = Buffer.from(m[1], 'base64').toString('utf8');
		const at = text.indexOf(':');
		return at > 0 && text.slice(0, at).toLowerCase() === onPremUser.toLowerCase() && text.slice(at + 1) === onPremKey;
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch((err) => {
			crashes.push(`simulator crashed on ${req.method} ${req.url}: ${String(err?.stack ?? err)}`);
			if (!res.headersSent) {
				const payload = Buffer.from(
					JSON.stringify(errorBody('Internal_ServerError', `simulator error: ${String(err?.message ?? err)}`)),
				);
				res.writeHead(500, { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) });
				res.end(payload);
			} else res.destroy();
		});
	});
	const port = await new Promise<number>((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port ?? 0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve((server.address() as AddressInfo).port);
		});
	});
	const url = `http://127.0.0.1:${port}`;
	const first = state.companies[0];

	const sim: BusinessCentralSimulator = {
		url,
		port,
		apiHost: url,
		loginHost: `${url}/login`,
		onPremBase: `${url}/BC`,
		apiRoot: `${url}/v2.0/${tenant}/${environment}/api/v2.0`,
		customApiRoot: `${url}/v2.0/${tenant}/${environment}/api/${customApi}`,
		odataRoot: `${url}/v2.0/${tenant}/${environment}/ODataV4`,
		tenant,
		tenantDomain,
		environment,
		customApi,
		company: { id: first?.id ?? '', name: first?.name ?? '' },
		clientId,
		clientSecret,
		onPremUser,
		onPremKey,
		state,
		clock,
		faults,
		ctx,
		requests,
		crashes,
		get throttled() {
			return throttled;
		},
		get tokensIssued() {
			return tokens.issued;
		},
		tokens,
		seed(o = {}) {
			const s = seedState(state, o);
			sim.company = { id: state.companies[0]?.id ?? '', name: state.companies[0]?.name ?? '' };
			return s;
		},
		reset() {
			if (seedOpts) seedState(state, seedOpts);
			else state.reset();
			sim.company = { id: state.companies[0]?.id ?? '', name: state.companies[0]?.name ?? '' };
			tokens.clear();
			faults.clear();
			throttled = 0;
			recent.length = 0;
			requests.length = 0;
			crashes.length = 0;
		},
		async flushNotifications() {
			return await subscriptionsOf(ctx.state).flushNotifications();
		},
		async close() {
			closed = true;
			for (const wake of [...sleepers]) wake();
			for (const c of cleanups) await c();
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
	return sim;
}

/** the error body an injected status fault answers with (research §1 limits: 429 / 503 / 504) */
function faultError(status: number): [string, string] {
	if (status === 429)
		return ['Application_TooManyRequests', 'Too many requests reached.  Actual (6001).  Maximum (6000).'];
	if (status === 503)
		return [
			'Application_ServiceUnavailable',
			'The service is temporarily unavailable. The request waited too long in the queue.',
		];
	if (status === 504) return ['Application_GatewayTimeout', 'The request took too long to process and timed out.'];
	return ['Internal_ServerError', `injected fault: ${status} ${http.STATUS_CODES[status] ?? ''}`.trim()];
}
