/**
 * enova365 WebAPI simulator with the pack's B2B add-on installed (docs/enova365-webapi-contract.md): a real
 * node:http server on 127.0.0.1 serving both ways in — Dynamic WebAPI (`/api/LoginApi`, `/api/LogoutApi`,
 * `/api/<Class>/<Method>` with a session Bearer) and the older MethodInvoker (`/api/MethodInvoker/
 * InvokeServiceMethod`, credentials in every body). Research: /work/shared/research/erp-facts.md §2,
 * erp-facts-enova-optima.md §1 and §3; what is reproduced and how strictly: README.md next to this file.
 *
 *   const sim = await startEnovaSimulator({ seed: { products: 10_000 } });
 *   const { Token } = await (await fetch(`${sim.url}/api/LoginApi`, { method: 'POST', headers: { authorization: `Bearer ${sim.appToken}` } })).json();
 *   sim.clock.advance(301_000);              // the session token is now expired → 401 (expiredStatus)
 *   sim.state.moveStock('ŁÓD-001', '1', -3); // the stock row gets a new Stamp
 *   sim.faults.loseResponse();               // the next AddZO saves the ZO and its answer is lost
 *   await sim.close();
 *
 * Pipeline: read body → injected fault (before) → LoginApi / LogoutApi / MethodInvoker / session check (401)
 * → method lookup (404) → verb (405) → content type (415) → arguments (400) → the method → injected fault
 * (afterWrite) → answer.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClock, type ClockOptions, type SimClock } from '../common/clock';
import { applyFault } from '../common/faults';
import { Faults, type Fault, type FaultKind } from './faults';
import { ApiError, BizError, methods, type MethodContext, type MethodDef } from './methods';
import { SEED_DEFAULTS, seedState, type SeedOptions, type SeedSummary } from './seed';
import { bearer, jwtLike, Sessions } from './sessions';
import { EnovaState } from './state';
import type { DecimalSeparator } from './values';
import { readBody } from '../common/http';

export { EnovaState, StateError } from './state';
export { FIXTURES, SEED_DEFAULTS } from './seed';
export type { SeedOptions, SeedSummary } from './seed';
export type { FaultSpec, Fault, FaultKind } from './faults';
export type { SimClock } from '../common/clock';
export { decodeClaims } from './sessions';

/** the contract's default method names */
export const METHOD_NAMES = [
	'GetTowary',
	'GetDefinicjeCen',
	'GetCeny',
	'GetCenyIndywidualne',
	'GetMagazyny',
	'GetStany',
	'GetKontrahenci',
	'FindZO',
	'AddZO',
	'GetStanyZO',
	'GetFaktury',
	'GetFakturaPdf',
] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

/** methods whose MethodInvoker ResultInstance is a JSON string by default (the rest: the object itself) */
export const DEFAULT_STRING_RESULTS: MethodName[] = ['GetTowary', 'GetStany', 'FindZO', 'AddZO', 'GetFakturaPdf'];

export interface EnovaSimulatorOptions {
	/** default 0: a free port */
	port?: number;
	/** database name (MethodInvoker DatabaseHandle, the tokens' ath-db); default 'Handel Łódź' */
	database?: string;
	/** default 'Administrator' */
	operator?: string;
	/** default 'zażółć123' */
	password?: string;
	/** a fixed app token (e.g. for a demo's saved credential); default: a new JWT-shaped one valid 365 days */
	appToken?: string;
	/** the add-on's class (default 'B2BPortalApi') */
	serviceClass?: string;
	/**
	 * MethodInvoker `ServiceName` of the add-on (default: `serviceClass`). Old-WebAPI installs register the interface's
	 * full name with its assembly, e.g. 'B2BPortal.Interfaces.IB2BPortalApi, B2BPortal' (erp-facts §2).
	 */
	invokerServiceName?: string;
	/** other names for methods, as the node's Services option: 'Method' or 'Class/Method' */
	methodNames?: Partial<Record<MethodName, string>>;
	/** seconds from login to a session token's exp (default 300) */
	sessionLifetimeSeconds?: number;
	/** status for an expired or unknown session token (default 401; UNVERIFIED on real enova) */
	expiredStatus?: number;
	/** business errors as enova add-ons send them, HTTP 200 + a JSON string (default), or 404/422 + {"error"} */
	errorStyle?: 'string' | 'object';
	/** decimal separator in money Values (default ',') */
	decimalSeparator?: DecimalSeparator;
	/** IloscNaStronie when absent (default 100) */
	pageSize?: number;
	/** larger IloscNaStronie is served as this many (default 1000) */
	maxPageSize?: number;
	/** MethodInvoker: true = every ResultInstance is a JSON string, false = never, a list = those methods (default DEFAULT_STRING_RESULTS) */
	invokerStringResults?: boolean | MethodName[];
	/** real-time delay of LoginApi (default 50 ms) */
	loginDelayMs?: number;
	/** the first @@DBTS (default 2147480000, near 2^31) */
	stampStart?: bigint;
	/** simulated clock: start (default now), frozen (default false), timeZone (default Europe/Warsaw) */
	clock?: ClockOptions;
	/** initial data (default SEED_DEFAULTS); false = empty */
	seed?: SeedOptions | false;
	/** request bodies above this answer 413 (default 10 MiB) */
	maxBodyBytes?: number;
}

export interface EnovaRequestLogEntry {
	method: string;
	/** path after /api, e.g. "/B2BPortalApi/GetTowary"; MethodInvoker calls: "/<ServiceName>/<MethodName>" */
	path: string;
	mode: 'dynamic' | 'invoker' | 'login' | 'logout' | 'other';
	query?: string;
	/** 0 when no answer was sent (drop, reset) */
	status: number;
	/** the answer was an error string, {"error"} or IsException */
	error?: string;
	ms: number;
	fault?: FaultKind;
}

export interface EnovaSimulator {
	/** http://127.0.0.1:P — the WebAPI base; routes are under /api */
	url: string;
	port: number;
	/** the app token generated "in enova" (Bearer of LoginApi) */
	appToken: string;
	database: string;
	operator: string;
	password: string;
	serviceClass: string;
	state: EnovaState;
	faults: Faults;
	requests: EnovaRequestLogEntry[];
	sessions: Sessions;
	clock: SimClock;
	/** internal errors of the simulator itself (should stay empty) */
	crashes: string[];
	/** the next `times` requests (matching `path`) answer 503 `locked` with Retry-After */
	lock(opts?: { times?: number; retryAfter?: string; path?: string | RegExp }): Fault;
	seed(opts?: SeedOptions): SeedSummary;
	/** back to right after start: data re-seeded, sessions, faults and the log emptied (the app token stays) */
	reset(): void;
	close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';

interface Reply {
	status: number;
	json: unknown;
	headers?: Record<string, string>;
	error?: string;
}

const errorReply = (e: ApiError): Reply => ({
	status: e.status,
	json: { error: { code: e.code, message: e.message } },
	headers: e.headers,
	error: e.code,
});

const BIZ_STATUS = { not_found: 404, rejected: 422 } as const;

export async function startEnovaSimulator(opts: EnovaSimulatorOptions = {}): Promise<EnovaSimulator> {
	const database = opts.database ?? 'Handel Łódź';
	const operator = opts.operator ?? 'Administrator';
	const password = opts.password ?? 'zażółć123';
	const serviceClass = opts.serviceClass ?? 'B2BPortalApi';
	const expiredStatus = opts.expiredStatus ?? 401;
	const errorStyle = opts.errorStyle ?? 'string';
	const loginDelayMs = opts.loginDelayMs ?? 50;
	const maxBody = opts.maxBodyBytes ?? 10 * 1024 * 1024;
	const stringResults = opts.invokerStringResults ?? DEFAULT_STRING_RESULTS;
	const clock = createClock(opts.clock);
	const state = new EnovaState(clock, opts.stampStart);
	const sessions = new Sessions(clock, opts.sessionLifetimeSeconds ?? 300, serviceClass, database);
	const faults = new Faults();
	const requests: EnovaRequestLogEntry[] = [];
	const crashes: string[] = [];
	const sleepers = new Set<() => void>();
	const seedOpts: SeedOptions | false = opts.seed === undefined ? { ...SEED_DEFAULTS } : opts.seed;
	if (seedOpts) seedState(state, seedOpts);
	let closed = false;
	const issued = Math.floor(clock.now() / 1000);
	const appTokenExp = issued + 365 * 86400;
	const appToken =
		opts.appToken ??
		jwtLike({
			iss: 'https://www.enova.pl',
			aud: 'enova365',
			unique_name: operator,
			'ath-mth': '1024',
			'ath-db': database,
			'ath-guid': '3f2c1a9e-5b7d-4e21-9c0a-6d8e2f4b1a73',
			'ath-svc': 'Api',
			nbf: issued,
			iat: issued,
			exp: appTokenExp,
		});

	const ctx: MethodContext = {
		state,
		sep: opts.decimalSeparator ?? ',',
		maxPageSize: opts.maxPageSize ?? 1000,
		defaultPageSize: opts.pageSize ?? 100,
	};
	/** "class/method" in lower case → method (ASP.NET routing is case-insensitive) */
	const routes = new Map<string, MethodDef>();
	/** MethodInvoker: "ServiceName/MethodName" exactly (reflection is case-sensitive) */
	const invokerRoutes = new Map<string, MethodDef>();
	for (const def of methods()) {
		const custom = opts.methodNames?.[def.name as MethodName] ?? def.name;
		const full = custom.includes('/') ? custom : `${serviceClass}/${custom}`;
		routes.set(full.toLowerCase(), def);
		const method = full.slice(full.lastIndexOf('/') + 1);
		invokerRoutes.set(opts.invokerServiceName ? `${opts.invokerServiceName}/${method}` : full, def);
	}
	const isStringResult = (def: MethodDef) =>
		stringResults === true || (Array.isArray(stringResults) && stringResults.includes(def.name as MethodName));

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

	function run(def: MethodDef, arg: Record<string, unknown>): Reply {
		try {
			return { status: 200, json: def.run(ctx, arg) };
		} catch (err) {
			if (err instanceof ApiError) return errorReply(err);
			if (err instanceof BizError) {
				if (errorStyle === 'object') return errorReply(new ApiError(BIZ_STATUS[err.code], err.code, err.message));
				return { status: 200, json: err.message, error: err.code };
			}
			throw err;
		}
	}

	function parseJson(buf: Buffer): unknown {
		if (buf.length === 0)
			throw new ApiError(400, 'bad_request', 'The request body is empty; this method takes a JSON object');
		try {
			return JSON.parse(buf.toString('utf8'));
		} catch {
			throw new ApiError(400, 'bad_request', 'The request body is not valid JSON');
		}
	}

	function jsonObject(v: unknown, what: string): Record<string, unknown> {
		if (!v || typeof v !== 'object' || Array.isArray(v))
			throw new ApiError(400, 'bad_request', `${what} must be a JSON object`);
		return v as Record<string, unknown>;
	}

	/** simple arguments: by name (any case, as ASP.NET binds them), or `args=` for a one-argument method */
	function simpleArgs(def: MethodDef, search: URLSearchParams): Record<string, unknown> {
		const out: Record<string, unknown> = {};
		const lower = new Map<string, string>();
		for (const [k, v] of search) if (!lower.has(k.toLowerCase())) lower.set(k.toLowerCase(), v);
		const params = def.params ?? [];
		for (const p of params) {
			const v = lower.get(p.name.toLowerCase());
			if (v !== undefined) out[p.name] = v;
		}
		const args = lower.get('args');
		if (args !== undefined && params.length === 1 && out[params[0].name] === undefined) out[params[0].name] = args;
		for (const p of params)
			if (p.required && (out[p.name] === undefined || out[p.name] === ''))
				throw new ApiError(400, 'bad_request', `Missing argument '${p.name}' (query string)`);
		return out;
	}

	function dynamic(
		method: string,
		path: string,
		search: URLSearchParams,
		headers: http.IncomingHttpHeaders,
		body: Buffer,
	): Reply {
		const check = sessions.check(headers.authorization);
		if (!check.ok)
			return errorReply(
				new ApiError(
					check.reason === 'missing' ? 401 : expiredStatus,
					'unauthorized',
					check.reason === 'missing'
						? 'Brak tokenu sesji (Authorization: Bearer)'
						: check.reason === 'expired'
							? 'Token sesji wygasł'
							: 'Nieznany token sesji',
				),
			);
		const def = routes.get(path.slice(1).toLowerCase());
		if (!def)
			return errorReply(
				new ApiError(404, 'not_found', `No HTTP resource was found that matches the request URI '/api${path}'`),
			);
		if (method !== def.verb)
			return errorReply(
				new ApiError(405, 'method_not_allowed', `The requested resource does not support http method '${method}'`, {
					Allow: def.verb,
				}),
			);
		let arg: Record<string, unknown> = {};
		if (def.arg === 'object') {
			const type = String(headers['content-type'] ?? '').toLowerCase();
			if (!/^(application|text)\/json\b/.test(type))
				return errorReply(
					new ApiError(
						415,
						'unsupported_media_type',
						`Content-Type must be application/json or text/json, not '${type}'`,
					),
				);
			arg = jsonObject(parseJson(body), 'The request body');
		} else if (def.arg === 'simple') arg = simpleArgs(def, search);
		return run(def, arg);
	}

	function invoker(body: Buffer): Reply {
		const fail = (message: string, code?: string): Reply => ({
			status: 200,
			json: { IsException: true, ExceptionMessage: message, ResultInstance: null },
			error: code ?? 'exception',
		});
		const b = jsonObject(parseJson(body), 'The MethodInvoker body');
		if (b.DatabaseHandle !== database) return fail(`Nie znaleziono bazy danych '${String(b.DatabaseHandle)}'`, 'login');
		if (b.Operator !== operator || b.Password !== password)
			return fail('Nieprawidłowa nazwa operatora lub hasło', 'login');
		const def = invokerRoutes.get(`${String(b.ServiceName)}/${String(b.MethodName)}`);
		if (!def)
			return fail(`Nie znaleziono usługi '${String(b.ServiceName)}' z metodą '${String(b.MethodName)}'`, 'not_found');
		let arg: Record<string, unknown> = {};
		try {
			if (def.arg === 'object') arg = jsonObject(b.MethodArgs, 'MethodArgs');
			else if (def.arg === 'simple') {
				const raw = jsonObject(b.MethodArgs ?? {}, 'MethodArgs');
				const q = new URLSearchParams();
				for (const [k, v] of Object.entries(raw)) if (v !== null && v !== undefined) q.set(k, String(v));
				arg = simpleArgs(def, q);
			}
		} catch (err) {
			if (err instanceof ApiError) return fail(`${err.code}: ${err.message}`, err.code);
			throw err;
		}
		const r = run(def, arg);
		if (r.status !== 200) {
			const e = (r.json as { error: { code: string; message: string } }).error;
			return fail(`${e.code}: ${e.message}`, e.code);
		}
		return {
			status: 200,
			json: {
				IsException: false,
				ExceptionMessage: null,
				ResultInstance: isStringResult(def) ? JSON.stringify(r.json) : r.json,
			},
			error: r.error,
		};
	}

	function send(res: http.ServerResponse, reply: Reply): void {
		const payload = Buffer.from(JSON.stringify(reply.json), 'utf8');
		res.writeHead(reply.status, {
			'Content-Type': JSON_TYPE,
			...reply.headers,
			'Content-Length': String(payload.length),
		});
		res.end(payload);
	}

	/** the shared fault handling (common/faults.ts), with enova's error shape: 503 = the database locked */
	const faultAnswer = (res: http.ServerResponse) => ({
		isClosed: () => closed,
		sleep,
		sendStatus: (status: number, headers: Record<string, string>) =>
			send(res, {
				status,
				headers,
				json: {
					error:
						status === 503
							? {
									code: 'locked',
									message: 'Baza danych jest zablokowana lub pula sesji jest zajęta; spróbuj ponownie',
								}
							: {
									code: 'server_error',
									message: `injected fault: ${status} ${http.STATUS_CODES[status] ?? ''}`.trim(),
								},
				},
			}),
	});

	async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const started = performance.now();
		const method = (req.method ?? 'GET').toUpperCase();
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const apiPath = url.pathname.replace(/\/+$/, '');
		const m = /^\/api(\/.*)$/i.exec(apiPath);
		const entry: EnovaRequestLogEntry = {
			method,
			path: m ? m[1] : url.pathname,
			mode: 'other',
			...(url.search ? { query: url.search.slice(1) } : {}),
			status: 0,
			ms: 0,
		};
		const finish = (status: number) => {
			entry.status = status;
			entry.ms = Math.round((performance.now() - started) * 10) / 10;
			requests.push(entry);
		};
		let body: { buf: Buffer; tooLarge: boolean };
		try {
			body = await readBody(req, maxBody);
		} catch {
			return finish(0);
		}
		const lower = (m?.[1] ?? '').toLowerCase();
		const isInvoker = lower === '/methodinvoker/invokeservicemethod';
		if (isInvoker) {
			entry.mode = 'invoker';
			try {
				const b = JSON.parse(body.buf.toString('utf8')) as Record<string, unknown>;
				if (typeof b?.ServiceName === 'string' && typeof b.MethodName === 'string')
					entry.path = `/${b.ServiceName}/${b.MethodName}`;
			} catch {
				// answered as a bad request below
			}
		} else if (lower === '/loginapi') entry.mode = 'login';
		else if (lower === '/logoutapi') entry.mode = 'logout';
		else if (m) entry.mode = 'dynamic';
		const before = faults.take(method, entry.path, 'before');
		if (before && (await applyFault(before, req, res, entry, finish, faultAnswer(res)))) return;

		let reply: Reply;
		try {
			if (!m) reply = errorReply(new ApiError(404, 'not_found', `Not found: ${url.pathname}`));
			else if (body.tooLarge) reply = errorReply(new ApiError(413, 'too_large', 'Request entity too large'));
			else if (entry.mode === 'login') {
				if (method !== 'POST')
					reply = errorReply(
						new ApiError(405, 'method_not_allowed', `LoginApi takes POST, not ${method}`, { Allow: 'POST' }),
					);
				else {
					await sleep(loginDelayMs);
					if (closed) return void req.socket.destroy();
					const token = bearer(req.headers.authorization);
					if (token !== appToken || clock.now() / 1000 >= appTokenExp) {
						sessions.failedLogins++;
						reply = errorReply(
							new ApiError(
								401,
								'unauthorized',
								token === appToken ? 'Token aplikacji wygasł' : 'Nieprawidłowy token aplikacji',
							),
						);
					} else reply = { status: 200, json: { Token: sessions.create(operator).token } };
				}
			} else if (entry.mode === 'logout') {
				if (method !== 'POST')
					reply = errorReply(
						new ApiError(405, 'method_not_allowed', `LogoutApi takes POST, not ${method}`, { Allow: 'POST' }),
					);
				else {
					const check = sessions.check(req.headers.authorization);
					if (!check.ok)
						reply = errorReply(
							new ApiError(
								check.reason === 'missing' ? 401 : expiredStatus,
								'unauthorized',
								'Nieznany lub wygasły token sesji',
							),
						);
					else {
						sessions.logout(check.session);
						reply = { status: 200, json: { LoggedOut: true } };
					}
				}
			} else if (isInvoker) {
				if (method !== 'POST')
					reply = errorReply(
						new ApiError(405, 'method_not_allowed', `InvokeServiceMethod takes POST, not ${method}`, { Allow: 'POST' }),
					);
				else reply = invoker(body.buf);
			} else reply = dynamic(method, m[1], url.searchParams, req.headers, body.buf);
		} catch (err) {
			if (err instanceof ApiError) reply = errorReply(err);
			else {
				crashes.push(`${method} ${url.pathname}: ${String((err as Error)?.stack ?? err)}`);
				reply = errorReply(
					new ApiError(500, 'server_error', `Internal error: ${String((err as Error)?.message ?? err)}`),
				);
			}
		}
		if (reply.error) entry.error = reply.error;
		const after = faults.take(method, entry.path, 'after');
		if (after && (await applyFault(after, req, res, entry, finish, faultAnswer(res)))) return;
		send(res, reply);
		finish(reply.status);
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch((err) => {
			crashes.push(`simulator crashed on ${req.method} ${req.url}: ${String(err?.stack ?? err)}`);
			if (!res.headersSent) {
				res.writeHead(500, { 'Content-Type': 'text/plain' });
				res.end('simulator error');
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

	return {
		url: `http://127.0.0.1:${port}`,
		port,
		appToken,
		database,
		operator,
		password,
		serviceClass,
		state,
		faults,
		requests,
		sessions,
		clock,
		crashes,
		lock: (o = {}) =>
			faults.add({ kind: 'status', status: 503, retryAfter: o.retryAfter ?? '1', times: o.times ?? 1, path: o.path }),
		seed: (o = {}) => seedState(state, o),
		reset() {
			if (seedOpts) seedState(state, seedOpts);
			else state.reset();
			sessions.clear();
			faults.clear();
			requests.length = 0;
			crashes.length = 0;
		},
		async close() {
			closed = true;
			for (const wake of [...sleepers]) wake();
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
}
