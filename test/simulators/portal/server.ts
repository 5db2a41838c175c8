/**
 * The portal simulator: a real node:http server on 127.0.0.1 that implements docs/portal-api.yaml
 * (routes, auth, validation, batch semantics) and can be made to misbehave on demand (faults).
 *
 *   const sim = await startPortalSimulator();
 *   await fetch(`${sim.url}/v1/products/batch`, { method: 'POST', headers: { Authorization: 'Bearer test-portal-key',
 *     'Content-Type': 'application/json' }, body: JSON.stringify({ items: [...] }) });
 *   sim.state.products.get('ŁÓD-001');
 *   await sim.close();
 *
 * Request pipeline (/api paths): read body → injected fault (before) → auth (401) → size (413) →
 * route (404/405) → path and query parameters (400) → media type (415) → UTF-8 (400) → JSON (400) →
 * schema and record checks (422) → operation → injected fault (afterWrite) → answer.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Order } from '../../../nodes/shared/model/types';
import { handleAdmin } from './admin';
import { errorBody, HttpError, STATUS_CODES } from './errors';
import { Faults, type Fault, type FaultKind } from './faults';
import { handlers, type Reply } from './handlers';
import { authorised, errorReply, pathParams, queryParams, readBody, requestBody, sendReply } from './request';
import { loadSpec, type Operation, type PortalSpec } from './spec';
import { PortalState } from './state';
import { toDetails, validationDetails } from './validation';
import {
	buildOrderEvent,
	deliverOrderEvent,
	type SendOrderEventOptions,
	type WebhookDelivery,
	type WebhookResponse,
} from './webhooks';

export { keys, KEY_SEPARATOR, PortalState, type StoredInvoice } from './state';
export type { FaultSpec, Fault, FaultKind } from './faults';
export { signatureHeader, verifySignature, type SendOrderEventOptions, type OrderEvent } from './webhooks';

export interface PortalSimulatorOptions {
	/** default 0 (a free port) */
	port?: number;
	/** default 'test-portal-key' */
	apiKey?: string;
	/** default 'test-webhook-secret' */
	webhookSecret?: string;
	/** default docs/portal-api.yaml */
	specPath?: string;
	/** request bodies above this answer 413 (default 10 MiB) */
	maxBodyBytes?: number;
	/** serve the non-contract /__sim/* endpoints (state, seeding, faults, webhooks) — for the CLI */
	admin?: boolean;
}

export interface RequestLogEntry {
	method: string;
	/** path after /api (e.g. /v1/orders/B2B%2F2026%2F000123, still encoded); the full path outside /api */
	path: string;
	/** raw query string, if any */
	query?: string;
	/** 0 when no answer was sent (drop, reset, client gone) */
	status: number;
	/** number of records in a batch body */
	itemCount?: number;
	ms: number;
	/** when the answer was sent (Date.now()): timelines against n8n's own timestamps (bench) */
	at?: number;
	/** requests in progress when this one arrived, itself included (1 = it was alone) */
	concurrent?: number;
	/** the injected fault that hit this request */
	fault?: FaultKind;
}

export interface PortalSimulator {
	/** base URL, e.g. http://127.0.0.1:PORT/api */
	url: string;
	port: number;
	apiKey: string;
	webhookSecret: string;
	spec: PortalSpec;
	state: PortalState;
	faults: Faults;
	/** every request, in the order they finished; never holds headers or bodies */
	requests: RequestLogEntry[];
	/** answers of the simulator itself that break the contract (should stay empty) */
	contractViolations: string[];
	/** webhooks sent with sendOrderEvent */
	webhookDeliveries: WebhookDelivery[];
	/** shortcut for state.seedOrder */
	seedOrder(order: Order): Order;
	/** POSTs a signed OrderEvent to targetUrl (loopback only) */
	sendOrderEvent(targetUrl: string, opts: SendOrderEventOptions): Promise<WebhookResponse>;
	/** empties state, the request log, faults and deliveries */
	reset(): void;
	close(): Promise<void>;
}

const DEFAULT_MAX_BODY = 10 * 1024 * 1024;

export async function startPortalSimulator(opts: PortalSimulatorOptions = {}): Promise<PortalSimulator> {
	const spec = loadSpec(opts.specPath);
	const apiKey = opts.apiKey ?? 'test-portal-key';
	const webhookSecret = opts.webhookSecret ?? 'test-webhook-secret';
	const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
	const orderCheck = spec.schema('Order');
	const eventCheck = spec.schema('OrderEvent');
	const errorCheck = spec.schema('Error');
	const problems = (v: typeof orderCheck, data: unknown) =>
		validationDetails(v, data).map((d) => `${d.field}: ${d.message}`);
	const state = new PortalState((order) => problems(orderCheck, order));
	const faults = new Faults();
	const requests: RequestLogEntry[] = [];
	let active = 0;
	const contractViolations: string[] = [];
	const webhookDeliveries: WebhookDelivery[] = [];
	const sleepers = new Set<() => void>();
	let closed = false;

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

	const server = http.createServer((req, res) => {
		handle(req, res).catch((err) => {
			contractViolations.push(`simulator crashed on ${req.method} ${req.url}: ${String(err?.stack ?? err)}`);
			if (!res.headersSent) sendReply(res, errorReply(new HttpError(500, 'internal_error', 'simulator error')));
			else res.destroy();
		});
	});

	async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const started = performance.now();
		// the portal's clock, not the machine's: a portal server whose clock is off sends a Date that is off
		res.setHeader('Date', new Date(state.clock.now()).toUTCString());
		const method = req.method ?? 'GET';
		const rawUrl = req.url ?? '/';
		const q = rawUrl.indexOf('?');
		const pathname = q < 0 ? rawUrl : rawUrl.slice(0, q);
		const search = q < 0 ? '' : rawUrl.slice(q + 1);
		const isApi = pathname === '/api' || pathname.startsWith('/api/');
		const apiPath = isApi ? pathname.slice(4) || '/' : pathname;
		const entry: RequestLogEntry = {
			method,
			path: apiPath,
			...(search ? { query: search } : {}),
			status: 0,
			ms: 0,
			concurrent: ++active,
		};
		let done = false;
		const finish = (status: number) => {
			if (!done) active--;
			done = true;
			entry.status = status;
			entry.ms = Math.round((performance.now() - started) * 10) / 10;
			entry.at = Date.now();
			requests.push(entry);
		};
		const answer = (reply: Reply) => {
			sendReply(res, reply);
			finish(reply.status);
		};

		let body: { buf: Buffer; tooLarge: boolean };
		try {
			body = await readBody(req, maxBodyBytes);
		} catch {
			return finish(0); // the client went away mid-body
		}

		if (!isApi) {
			if (opts.admin && pathname.startsWith('/__sim/'))
				return answer(await handleAdmin(sim, method, pathname, body.buf));
			return answer(errorReply(new HttpError(404, 'not_found', `no such path: ${pathname} (the API is under /api)`)));
		}

		const before = faults.take(method, apiPath, 'before');
		if (before) {
			entry.fault = before.kind;
			if (before.kind === 'slow') {
				await sleep(before.delayMs ?? 2000); // then processed even if the client gave up
				if (closed) return void req.socket.destroy();
			} else return applyFault(before, req, res, finish);
		}

		const outcome = processApi(method, apiPath, search, req.headers, body);
		if (outcome.itemCount !== undefined) entry.itemCount = outcome.itemCount;
		if (outcome.op) checkResponse(outcome.op, outcome.reply);

		const after = faults.take(method, apiPath, 'after');
		if (after) {
			entry.fault = after.kind;
			if (after.kind === 'slow') {
				await sleep(after.delayMs ?? 2000);
				if (closed) return void req.socket.destroy();
			} else return applyFault(after, req, res, finish);
		}
		answer(outcome.reply);
	}

	function applyFault(
		f: Fault,
		req: http.IncomingMessage,
		res: http.ServerResponse,
		finish: (s: number) => void,
	): void {
		if (f.kind === 'drop') {
			req.socket.destroy();
			return finish(0);
		}
		if (f.kind === 'reset') {
			req.socket.resetAndDestroy();
			return finish(0);
		}
		const status = f.status!;
		const headers: Record<string, string> = f.retryAfter !== undefined ? { 'Retry-After': f.retryAfter } : {};
		const reply: Reply =
			f.body !== undefined
				? {
						status,
						raw: Buffer.from(f.body, 'utf8'),
						contentType: f.contentType ?? 'text/html; charset=utf-8',
						headers,
					}
				: {
						status,
						json: errorBody(
							STATUS_CODES[status] ?? 'injected_fault',
							`injected fault: ${status} ${http.STATUS_CODES[status] ?? ''}`.trim(),
						),
						headers,
					};
		sendReply(res, reply);
		finish(status);
	}

	function processApi(
		method: string,
		apiPath: string,
		search: string,
		headers: http.IncomingHttpHeaders,
		body: { buf: Buffer; tooLarge: boolean },
	): { reply: Reply; op?: Operation; itemCount?: number } {
		let op: Operation | undefined;
		let itemCount: number | undefined;
		try {
			if (!authorised(headers, apiKey))
				throw new HttpError(
					401,
					'unauthorized',
					'missing or invalid API key (Authorization: Bearer <key> or X-API-Key)',
					undefined,
					{
						'WWW-Authenticate': 'Bearer',
					},
				);
			if (body.tooLarge) throw new HttpError(413, 'payload_too_large', `the body is larger than ${maxBodyBytes} bytes`);
			const found = spec.match(method, apiPath);
			if (found.kind === 'notFound') throw new HttpError(404, 'not_found', `no such path: ${apiPath}`);
			if (found.kind === 'methodNotAllowed')
				throw new HttpError(
					405,
					'method_not_allowed',
					`${method} is not allowed on ${apiPath}; use ${found.allow.join(', ')}`,
					undefined,
					{
						Allow: found.allow.join(', '),
					},
				);
			op = found.op;
			const params = pathParams(op, found.rawParams);
			const query = queryParams(op, search);
			const parsed = requestBody(op, headers, body.buf, (n) => (itemCount = n));
			const handler = handlers[op.operationId];
			if (!handler) throw new HttpError(501, 'not_implemented', `the simulator does not implement ${op.operationId}`);
			return { reply: handler({ state, params, query, body: parsed, headers }), op, itemCount };
		} catch (err) {
			return { reply: errorReply(err), op, itemCount };
		}
	}

	function checkResponse(op: Operation, reply: Reply): void {
		const expected = op.responses.get(String(reply.status)) ?? op.responses.get('default');
		const validate = expected?.json ?? (reply.status >= 400 ? errorCheck : undefined);
		if (!validate || reply.json === undefined) return;
		if (!validate(reply.json))
			contractViolations.push(
				`${op.operationId} answered ${reply.status} with a body that breaks the contract: ${toDetails(
					validate.errors ?? [],
				)
					.map((d) => `${d.field} ${d.message}`)
					.join('; ')}`,
			);
	}

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port ?? 0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;

	const sim: PortalSimulator = {
		url: `http://127.0.0.1:${port}/api`,
		port,
		apiKey,
		webhookSecret,
		spec,
		state,
		faults,
		requests,
		contractViolations,
		webhookDeliveries,
		seedOrder: (order) => state.seedOrder(order),
		async sendOrderEvent(targetUrl, o) {
			const order = typeof o.order === 'string' ? state.orders.get(o.order) : o.order;
			if (!order) throw new Error(`sendOrderEvent: no order ${String(o.order)} in the simulator`);
			// stamped and signed by the portal's clock (state.clock): a portal whose clock is off signs stale or future times
			const event = buildOrderEvent(order, {
				...o,
				createdAt: o.createdAt ?? new Date(state.clock.now()).toISOString(),
			});
			if (!o.allowInvalid) {
				const bad = problems(eventCheck, event);
				if (bad.length)
					throw new Error(`sendOrderEvent: the event breaks the contract's OrderEvent: ${bad.join('; ')}`);
			}
			const delivery: WebhookDelivery = {
				id: event.id,
				type: event.type,
				targetUrl,
				tamper: o.tamper ?? 'none',
				status: 0,
			};
			webhookDeliveries.push(delivery);
			const response = await deliverOrderEvent(targetUrl, event, o.secret ?? webhookSecret, {
				...o,
				timestamp: o.timestamp ?? Math.floor(state.clock.now() / 1000),
			});
			delivery.status = response.status;
			return response;
		},
		reset() {
			state.reset();
			faults.clear();
			requests.length = 0;
			contractViolations.length = 0;
			webhookDeliveries.length = 0;
		},
		close() {
			closed = true;
			for (const wake of [...sleepers]) wake();
			return new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
	return sim;
}
