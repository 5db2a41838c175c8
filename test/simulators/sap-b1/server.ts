/**
 * SAP Business One Service Layer simulator: a real node:http server on 127.0.0.1 serving /b1s/v1
 * (OData 3) and /b1s/v2 (OData 4), plus the API Gateway on its own port. Requirements and sources:
 * /work/shared/research/erp-facts.md §1 and §6; what is reproduced where: README.md next to this file.
 *
 *   const sim = await startSapSimulator({ seed: { items: 500 } });
 *   const login = await fetch(`${sim.url}/Login`, { method: 'POST', body: JSON.stringify({ CompanyDB: sim.companyDb, UserName: 'manager', Password: '1234' }) });
 *   // cookie: B1SESSION=<guid> from the raw Set-Cookie "B1SESSION=<guid>;HttpOnly;"
 *   sim.clock.advance(31 * 60_000);            // the session is now idle-expired → 401 code 301
 *   sim.state.moveStock('TW-000001', '01', 5, 'receipt');   // stock changes, Items.UpdateDate does not
 *   sim.faults.loseResponse();                 // the next POST /Orders is processed, its answer lost
 *   await sim.close();
 *
 * SL request pipeline: read body → injected fault (before) → /Login (slow) or session check (401 code
 * 301, or 403) → route → injected fault (afterWrite) → answer.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClock, type ClockOptions, type SimClock } from './clock';
import { sapHeaders, type Version } from './collection';
import { entitySets } from './entitysets';
import { errorJson, errors, SapError, type ErrorShape } from './errors';
import { applyFault } from '../common/faults';
import { Faults, type FaultKind } from './faults';
import { Gateway, type GatewayReply } from './gateway';
import { parseBatch, runBatch } from './batch';
import { dispatch, parseJsonBody, type Reply, type SlContext } from './routes';
import { SEED_DEFAULTS, seedState, type SeedOptions, type SeedSummary } from './seed';
import { Sessions } from './session';
import { SapState } from './state';
import { readBody } from '../common/http';

export { SapState } from './state';
export type { StockMoveKind, MoveStockOptions, StockLevels } from './state';
export type { FaultSpec, Fault, FaultKind } from './faults';
export type { SeedOptions, SeedSummary } from './seed';
export type { SimClock } from './clock';
export { GATEWAY_LAYOUTS } from './gateway';

export interface SapUser {
	name: string;
	password: string;
}

export interface SapSimulatorOptions {
	/** Service Layer port (default 0: a free one) */
	port?: number;
	/** API Gateway port (default 0: a free one) */
	gatewayPort?: number;
	/** default 'SBODEMOPL' */
	companyDb?: string;
	/** default [{ name: 'manager', password: '1234' }] */
	users?: SapUser[];
	/** idle minutes before a session expires (default 30, as b1s.conf) */
	sessionTimeoutMinutes?: number;
	/** a session ends after serving this many requests (default 0: only by idle time, as SL) — for load tests */
	sessionLifetimeRequests?: number;
	/** status for an expired/unknown session: 401 (default) or 403 (the load-balanced install of erp-facts) */
	expireWith?: 401 | 403;
	/** a request must carry the ROUTEID of its session's node (load-balanced install; default false) */
	requireRouteId?: boolean;
	/** real-time delay of every login, SL and gateway (default 150 ms) */
	loginDelayMs?: number;
	/** default page size (default 20) */
	pageSize?: number;
	/** 'v1' classic error body (default) or 'v10' (10.00.210+) */
	errorShape?: ErrorShape;
	/** wrong user/password answer: 'sld' = -304 "Fail to get DB Credentials from SLD", 'login-failed' = 100000027 "Login failed" (default: 'sld' with errorShape v1, 'login-failed' with v10) */
	loginFailure?: 'sld' | 'login-failed';
	/** nextLink without the client's $filter/$select/$orderby (reported in the wild; default false) */
	dropQueryInNextLink?: boolean;
	/** approval procedures: POST /Orders creates a Draft and answers -2028 unless Prefer: return-no-content (default false) */
	ordersNeedApproval?: boolean;
	/** simulated clock: start (default now), frozen (default false), timeZone (default Europe/Warsaw) */
	clock?: ClockOptions;
	/** initial data (default SEED_DEFAULTS: 100 items, 3 warehouses, 3 price lists, 20 customers…); false = empty */
	seed?: SeedOptions | false;
	/** status of a successful ExportPDFData (default 'flip': 201, 200, 201… like the real gateway) */
	gatewayPdfStatus?: 200 | 201 | 'flip';
	/** idle minutes before a gateway session is forgotten (default 60) */
	gatewaySessionTimeoutMinutes?: number;
	/** request bodies above this answer 413 (default 50 MiB) */
	maxBodyBytes?: number;
	/** "Version" answered by /Login (default '1000230') */
	slVersion?: string;
	/**
	 * Whether this SL build has the ItemImages media entity (GET ItemImages('code')/$value = the bytes of the file
	 * Items.Picture names in the pictures folder). Default true; false = an older build: "Resource not found for
	 * the segment 'ItemImages'" — which builds added it is not verified (README).
	 */
	itemImages?: boolean;
}

export interface SapRequestLogEntry {
	api: 'v1' | 'v2' | 'gateway';
	method: string;
	/** path after /b1s/vN (or the gateway path), still encoded */
	path: string;
	query?: string;
	/** 0 when no answer was sent (drop, reset) */
	status: number;
	ms: number;
	/** when the answer was sent (Date.now()): timelines against n8n's own timestamps (bench) */
	at?: number;
	fault?: FaultKind;
	/** $batch: parts answered */
	batchParts?: number;
}

export interface SapSimulator {
	/** http://127.0.0.1:P/b1s/v1 */
	url: string;
	/** http://127.0.0.1:P/b1s/v2 */
	urlV2: string;
	port: number;
	/** API Gateway base, http://127.0.0.1:G */
	gatewayUrl: string;
	gatewayPort: number;
	companyDb: string;
	users: SapUser[];
	state: SapState;
	faults: Faults;
	/** every request in the order they finished; no cookies, no bodies */
	requests: SapRequestLogEntry[];
	sessions: Sessions;
	gateway: Gateway;
	clock: SimClock;
	/** internal errors of the simulator itself (should stay empty) */
	crashes: string[];
	/** replaces the data (deterministic for the options); returns counts and time */
	seed(opts?: SeedOptions): SeedSummary;
	/** back to right after start: data re-seeded as at start, sessions, faults and the log emptied */
	reset(): void;
	close(): Promise<void>;
}

const DEFAULT_MAX_BODY = 50 * 1024 * 1024;

function lowerHeaders(h: http.IncomingHttpHeaders): Record<string, string | undefined> {
	const out: Record<string, string | undefined> = {};
	for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
	return out;
}

export async function startSapSimulator(opts: SapSimulatorOptions = {}): Promise<SapSimulator> {
	const companyDb = opts.companyDb ?? 'SBODEMOPL';
	const users = opts.users ?? [{ name: 'manager', password: '1234' }];
	const shape: ErrorShape = opts.errorShape ?? 'v1';
	const loginFailure = opts.loginFailure ?? (shape === 'v10' ? 'login-failed' : 'sld');
	const expireWith = opts.expireWith ?? 401;
	const loginDelayMs = opts.loginDelayMs ?? 150;
	const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
	const clock = createClock(opts.clock);
	const state = new SapState(clock, companyDb);
	const sessions = new Sessions(
		clock,
		opts.sessionTimeoutMinutes ?? 30,
		opts.requireRouteId ?? false,
		opts.sessionLifetimeRequests ?? 0,
	);
	const faults = new Faults();
	const requests: SapRequestLogEntry[] = [];
	const crashes: string[] = [];
	const sleepers = new Set<() => void>();
	const seedOpts: SeedOptions | false = opts.seed === undefined ? { ...SEED_DEFAULTS } : opts.seed;
	let closed = false;
	if (seedOpts) seedState(state, seedOpts);
	const gateway = new Gateway({
		state,
		clock,
		companyDb,
		users,
		sessionTimeoutMinutes: opts.gatewaySessionTimeoutMinutes ?? 60,
		pdfStatus: opts.gatewayPdfStatus ?? 'flip',
	});

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

	const errorReply = (version: Version, err: SapError): Reply => ({
		status: err.status,
		headers: sapHeaders(version),
		json: errorJson(shape, err.code, err.message),
	});

	let port = 0;
	const ctx: SlContext = {
		state,
		sets: entitySets(state),
		sessions,
		clock,
		root: (v) => `http://127.0.0.1:${port}/b1s/${v}/`,
		defaultPageSize: opts.pageSize ?? 20,
		dropQueryInNextLink: opts.dropQueryInNextLink ?? false,
		ordersNeedApproval: opts.ordersNeedApproval ?? false,
		itemImages: opts.itemImages ?? true,
		cache: new Map(),
	};

	function login(version: Version, body: Buffer): Reply {
		let creds: Record<string, unknown>;
		try {
			const parsed = parseJsonBody(body);
			if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
				throw errors.badRequest('The login body must be a JSON object');
			creds = parsed as Record<string, unknown>;
		} catch (err) {
			return errorReply(version, err as SapError);
		}
		if (creds.CompanyDB !== companyDb) return errorReply(version, new SapError(401, -1, 'Switch company error: -5027'));
		if (!users.some((u) => u.name === creds.UserName && u.password === creds.Password))
			return errorReply(
				version,
				loginFailure === 'sld'
					? new SapError(401, -304, 'Fail to get DB Credentials from SLD')
					: new SapError(401, 100000027, 'Login failed'),
			);
		const s = sessions.create(String(creds.UserName), companyDb);
		const timeout = sessions.timeoutMinutes;
		const meta =
			version === 'v2'
				? { '@odata.context': `${ctx.root(version)}$metadata#B1Sessions/$entity` }
				: { 'odata.metadata': `${ctx.root(version)}$metadata#B1Sessions/@Element` };
		return {
			status: 200,
			headers: {
				...sapHeaders(version),
				'Set-Cookie': [`B1SESSION=${s.id};HttpOnly;`, `ROUTEID=${s.node}; path=/b1s`],
			} as unknown as Record<string, string>,
			json: { ...meta, SessionId: s.id, Version: opts.slVersion ?? '1000230', SessionTimeout: timeout },
		};
	}

	function processSl(
		version: Version,
		method: string,
		path: string,
		search: string,
		headers: Record<string, string | undefined>,
		body: Buffer,
		entry: SapRequestLogEntry,
	): Reply {
		try {
			const check = sessions.check(headers.cookie);
			if (!check.ok) throw errors.session(check.reason === 'missing' ? 401 : expireWith);
			if (path === '/$batch') {
				if (method !== 'POST') throw errors.methodNotAllowed(method, '$batch');
				const parts = parseBatch(body, headers['content-type'], version);
				const run = runBatch(
					parts,
					(r) => {
						try {
							if (r.path === '/Login' || r.path === '/$batch')
								throw errors.badRequest(`${r.path.slice(1)} is not allowed inside a $batch`);
							return dispatch(ctx, {
								method: r.method,
								path: r.path,
								search: r.search,
								headers: r.headers,
								body: r.body,
								version,
								sessionId: check.session.id,
								inBatch: true,
							});
						} catch (err) {
							if (err instanceof SapError) return errorReply(version, err);
							throw err;
						}
					},
					(fn) => state.transaction(fn),
					(status, code, message) => errorReply(version, new SapError(status, code, message)),
				);
				entry.batchParts = run.answered;
				return {
					status: 202,
					headers: {
						'Content-Type': `multipart/mixed;boundary=${run.boundary}`,
						...(version === 'v2' ? { 'OData-Version': '4.0' } : { DataServiceVersion: '3.0' }),
					},
					text: run.body.toString('utf8'),
				};
			}
			return dispatch(ctx, { method, path, search, headers, body, version, sessionId: check.session.id });
		} catch (err) {
			if (err instanceof SapError) return errorReply(version, err);
			crashes.push(`${method} /b1s/${version}${path}: ${String((err as Error)?.stack ?? err)}`);
			return errorReply(version, new SapError(500, -1, `Internal error: ${String((err as Error)?.message ?? err)}`));
		}
	}

	function send(
		res: http.ServerResponse,
		status: number,
		headers: Record<string, string | string[]>,
		payload: Buffer,
	): void {
		res.writeHead(status, { ...headers, 'Content-Length': String(payload.length) });
		res.end(payload);
	}

	function sendReply(res: http.ServerResponse, reply: Reply): void {
		const payload =
			reply.body !== undefined
				? reply.body
				: reply.json !== undefined
					? Buffer.from(JSON.stringify(reply.json), 'utf8')
					: reply.text !== undefined
						? Buffer.from(reply.text, 'utf8')
						: Buffer.alloc(0);
		send(res, reply.status, reply.headers, payload);
	}

	/** applies a fault; true when the request is finished (answered or dropped) */
	/** the shared fault handling (common/faults.ts), with the Service Layer's error shape of this version */
	const faultAnswer = (res: http.ServerResponse, version: Version) => ({
		isClosed: () => closed,
		sleep,
		sendStatus: (status: number, headers: Record<string, string>) =>
			sendReply(res, {
				...errorReply(
					version,
					new SapError(status, -1, `injected fault: ${status} ${http.STATUS_CODES[status] ?? ''}`.trim()),
				),
				headers: { ...sapHeaders(version), ...headers },
			}),
	});

	async function handleSl(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const started = performance.now();
		const method = req.method ?? 'GET';
		const rawUrl = req.url ?? '/';
		const q = rawUrl.indexOf('?');
		const pathname = q < 0 ? rawUrl : rawUrl.slice(0, q);
		const search = q < 0 ? '' : rawUrl.slice(q + 1);
		const m = /^\/b1s\/(v1|v2)(\/.*)?$/.exec(pathname);
		const version: Version = (m?.[1] as Version) ?? 'v1';
		const path = m?.[2] ?? '/';
		const entry: SapRequestLogEntry = {
			api: version,
			method,
			path: m ? path : pathname,
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
		if (!m) {
			send(
				res,
				404,
				{ 'Content-Type': 'text/html; charset=iso-8859-1' },
				Buffer.from(
					'<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n',
				),
			);
			return finish(404);
		}
		const before = faults.take(method, path, 'before', 'sl');
		if (before && (await applyFault(before, req, res, entry, finish, faultAnswer(res, version)))) return;
		const headers = lowerHeaders(req.headers);
		let reply: Reply;
		if (body.tooLarge) reply = errorReply(version, new SapError(413, -1, 'Request entity too large'));
		else if (path === '/Login') {
			await sleep(loginDelayMs);
			if (closed) return void req.socket.destroy();
			reply =
				method === 'POST' ? login(version, body.buf) : errorReply(version, errors.methodNotAllowed(method, 'Login'));
		} else reply = processSl(version, method, path, search, headers, body.buf, entry);
		const after = faults.take(method, path, 'after', 'sl');
		if (after && (await applyFault(after, req, res, entry, finish, faultAnswer(res, version)))) return;
		sendReply(res, reply);
		finish(reply.status);
	}

	async function handleGateway(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const started = performance.now();
		const method = req.method ?? 'GET';
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const entry: SapRequestLogEntry = {
			api: 'gateway',
			method,
			path: url.pathname,
			...(url.search ? { query: url.search.slice(1) } : {}),
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
		const before = faults.take(method, url.pathname, 'before', 'gateway');
		if (before && (await applyFault(before, req, res, entry, finish, faultAnswer(res, 'v1')))) return;
		let reply: GatewayReply;
		if (method === 'POST' && url.pathname === '/login') {
			await sleep(loginDelayMs);
			if (closed) return void req.socket.destroy();
			reply = gateway.login(body.buf);
		} else reply = gateway.handle(method, url.pathname, url.searchParams, req.headers, body.buf);
		const after = faults.take(method, url.pathname, 'after', 'gateway');
		if (after && (await applyFault(after, req, res, entry, finish, faultAnswer(res, 'v1')))) return;
		send(res, reply.status, reply.headers, Buffer.from(reply.body, 'utf8'));
		finish(reply.status);
	}

	const guard =
		(fn: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>) =>
		(req: http.IncomingMessage, res: http.ServerResponse) => {
			fn(req, res).catch((err) => {
				crashes.push(`simulator crashed on ${req.method} ${req.url}: ${String(err?.stack ?? err)}`);
				if (!res.headersSent) send(res, 500, { 'Content-Type': 'text/plain' }, Buffer.from('simulator error'));
				else res.destroy();
			});
		};
	const server = http.createServer(guard(handleSl));
	const gwServer = http.createServer(guard(handleGateway));
	const listen = (s: http.Server, p: number) =>
		new Promise<number>((resolve, reject) => {
			s.once('error', reject);
			s.listen(p, '127.0.0.1', () => {
				s.off('error', reject);
				resolve((s.address() as AddressInfo).port);
			});
		});
	port = await listen(server, opts.port ?? 0);
	const gatewayPort = await listen(gwServer, opts.gatewayPort ?? 0);

	const stop = (s: http.Server) =>
		new Promise<void>((resolve) => {
			s.close(() => resolve());
			s.closeAllConnections();
		});

	return {
		url: `http://127.0.0.1:${port}/b1s/v1`,
		urlV2: `http://127.0.0.1:${port}/b1s/v2`,
		port,
		gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
		gatewayPort,
		companyDb,
		users,
		state,
		faults,
		requests,
		sessions,
		gateway,
		clock,
		crashes,
		seed: (o = {}) => seedState(state, o),
		reset() {
			if (seedOpts) seedState(state, seedOpts);
			else state.reset();
			sessions.clear();
			gateway.reset();
			faults.clear();
			requests.length = 0;
			crashes.length = 0;
			ctx.cache.clear();
		},
		async close() {
			closed = true;
			for (const wake of [...sleepers]) wake();
			await Promise.all([stop(server), stop(gwServer)]);
		},
	};
}
