/**
 * Stand-in for the Windows service around Comarch ERP Optima's COM objects (docs/optima-bridge.md): a real HTTP
 * server on 127.0.0.1 with the contract's endpoints. What it reproduces (README.md): one COM session per process
 * (`LockApp` + `Login` once, counted), one COM call at a time (a second request waits for the first), the RO
 * created once per foreign number (`TrN_NumerObcy`) by a check-back in the store before `AddNew`, Optima's refusals
 * in Polish (422), and the failures a COM bridge has: an opaque COM error before the save (nothing saved) or AFTER
 * it (saved, 502 returned), a lost answer (saved, connection destroyed), and Optima locked by another operator
 * (503 `optima_locked`, Retry-After). ROs live in a pluggable store (./store.ts) so an end-to-end test can make
 * them rows of the Optima SQL simulator.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compareDecimal, isDecimalText } from '../../../nodes/shared/model/decimal';
import { applyFault, Faults, type FaultKind } from '../common/faults';
import { OPAQUE_COM_ERROR as COM_ERROR } from '../common/com';
import { MemoryRoStore, type NewRo, type OptimaRoStore, type RoLine, type RoRecord } from './store';

export interface OptimaBridgeOptions {
	apiKey?: string;
	port?: number;
	/** where ROs are kept and checked; default a MemoryRoStore */
	store?: OptimaRoStore;
	/** how long one COM call (AddNew … Save, a printout) takes inside the one-at-a-time lock; default 0 */
	comCallMs?: number;
}

export interface OptimaBridgeSimulator {
	url: string;
	apiKey: string;
	store: OptimaRoStore;
	/** proxy-like faults (common/faults.ts): `afterWrite` drop on POST /v1/ro = the lost answer */
	faults: Faults<'bridge'>;
	/** the next `times` RO saves fail with the opaque COM error; `afterSave`: the RO IS saved first */
	comError(opts?: { afterSave?: boolean; times?: number }): void;
	/**
	 * Optima refuses the RO of this foreign number when it saves it, for a reason the bridge's SQL check-back and
	 * the store's refusal do not see (e.g. the client's credit limit, checked by Optima's business logic on
	 * Sesja.Save()): the next `times` saves of it (default 1) answer 422 rejected with `message`, nothing saved
	 */
	refuseAtSave(foreignNumber: string, message: string, opts?: { times?: number }): void;
	/** refusals armed by refuseAtSave that were not given yet */
	readonly pendingRefusals: ReadonlyArray<{ foreignNumber: string; message: string; remaining: number }>;
	/** another operator holds Optima (LockApp): the next `times` COM calls answer 503 optima_locked */
	lock(opts?: { operator?: string; times?: number; retryAfter?: string }): void;
	/** the service process restarts: its COM session is gone, the next COM call logs in again */
	restart(): void;
	/** how long a COM call takes (settable) */
	comCallMs: number;
	/** LockApp + Login calls so far, and whether a session is open */
	readonly session: { logins: number; open: boolean };
	/** every COM call with its start and end (ms, performance.now()): they never overlap */
	comCalls: Array<{ what: string; start: number; end: number }>;
	/** every request: method, raw URL as sent (percent-encoding kept), path, status (0 = no answer) */
	requests: Array<{ method: string; url: string; path: string; status: number }>;
	close(): Promise<void>;
}

interface Reply {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

const error = (status: number, code: string, message: string, retryable = false, headers?: Record<string, string>) => ({
	status,
	body: { error: { code, message, retryable } },
	headers,
});

function send(res: ServerResponse, reply: Reply) {
	const pdf = Buffer.isBuffer(reply.body);
	const data = pdf ? (reply.body as Buffer) : Buffer.from(JSON.stringify(reply.body), 'utf8');
	res.writeHead(reply.status, {
		'Content-Type': pdf ? 'application/pdf' : 'application/json; charset=utf-8',
		'Content-Length': String(data.length),
		...(reply.headers ?? {}),
	});
	res.end(data);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function roJson(ro: RoRecord, created?: boolean) {
	return {
		id: ro.id,
		number: ro.fullNumber,
		foreignNumber: ro.foreignNumber,
		clientCode: ro.clientCode,
		warehouseSymbol: ro.warehouseSymbol,
		buffer: ro.buffer,
		cancelled: ro.cancelled,
		createdAt: ro.createdAt,
		lines: ro.lines,
		...(ro.notes !== undefined ? { notes: ro.notes } : {}),
		...(created !== undefined ? { created } : {}),
	};
}

/** the request body as an RO, or the 400 message */
function readRo(body: Buffer): NewRo | string {
	let input: Record<string, unknown>;
	try {
		input = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)) as Record<string, unknown>;
	} catch {
		return 'the body is not UTF-8 JSON';
	}
	if (!input || typeof input !== 'object') return 'the body is not a JSON object';
	const text = (k: string) => (typeof input[k] === 'string' && (input[k] as string).trim() ? (input[k] as string) : '');
	for (const k of ['foreignNumber', 'clientCode', 'warehouseSymbol']) if (!text(k)) return `${k} is required`;
	if (input.buffer !== undefined && typeof input.buffer !== 'boolean') return 'buffer must be true or false';
	if (input.notes !== undefined && typeof input.notes !== 'string') return 'notes must be a string';
	if (!Array.isArray(input.lines) || input.lines.length === 0) return 'lines must be a non-empty list';
	const lines: RoLine[] = [];
	for (const [n, raw] of (input.lines as Array<Record<string, unknown>>).entries()) {
		const l = raw ?? {};
		if (typeof l.productCode !== 'string' || !l.productCode) return `lines[${n}].productCode is required`;
		// decimal strings only: the service converts with decimal, never double
		if (typeof l.quantity !== 'string' || !isDecimalText(l.quantity) || compareDecimal(l.quantity, '0') <= 0)
			return `lines[${n}].quantity must be a decimal string above 0`;
		if (typeof l.unitPrice !== 'string' || !isDecimalText(l.unitPrice) || compareDecimal(l.unitPrice, '0') < 0)
			return `lines[${n}].unitPrice must be a decimal string, 0 or more`;
		lines.push({ productCode: l.productCode, quantity: l.quantity, unitPrice: l.unitPrice });
	}
	return {
		foreignNumber: text('foreignNumber'),
		clientCode: text('clientCode'),
		warehouseSymbol: text('warehouseSymbol'),
		lines,
		buffer: input.buffer !== false,
		...(typeof input.notes === 'string' ? { notes: input.notes } : {}),
	};
}

function sameContent(a: NewRo, b: NewRo): boolean {
	return (
		a.clientCode === b.clientCode &&
		a.warehouseSymbol === b.warehouseSymbol &&
		a.lines.length === b.lines.length &&
		a.lines.every(
			(l, n) =>
				l.productCode === b.lines[n].productCode &&
				compareDecimal(l.quantity, b.lines[n].quantity) === 0 &&
				compareDecimal(l.unitPrice, b.lines[n].unitPrice) === 0,
		)
	);
}

export async function startOptimaBridgeSimulator(opts: OptimaBridgeOptions = {}): Promise<OptimaBridgeSimulator> {
	const apiKey = opts.apiKey ?? 'test-optima-bridge-key';
	const store = opts.store ?? new MemoryRoStore();
	const faults = new Faults<'bridge'>('bridge');
	const requests: OptimaBridgeSimulator['requests'] = [];
	const comCalls: OptimaBridgeSimulator['comCalls'] = [];
	const session = { logins: 0, open: false };
	let comErrors: Array<{ afterSave: boolean }> = [];
	let locks: Array<{ operator: string; retryAfter: string }> = [];
	let saveRefusals: Array<{ foreignNumber: string; message: string; remaining: number }> = [];
	let closed = false;
	let queue: Promise<unknown> = Promise.resolve();

	/** one COM call at a time (Optima's COM objects are not thread-safe): each waits for the one before */
	const oneComCall = <T>(what: string, fn: () => Promise<T> | T): Promise<T> => {
		const run = queue.then(async () => {
			const start = performance.now();
			try {
				return await fn();
			} finally {
				comCalls.push({ what, start, end: performance.now() });
			}
		});
		queue = run.catch(() => undefined);
		return run;
	};

	/** LockApp(256, 5000, …) + Login(…) once per process; undefined when Optima is locked by another operator */
	const ensureSession = (): Reply | undefined => {
		const lock = locks.shift();
		if (lock) {
			session.open = false;
			return error(
				503,
				'optima_locked',
				`Optima jest zablokowana przez operatora ${lock.operator} (LockApp): spróbuj później`,
				true,
				{ 'Retry-After': lock.retryAfter },
			);
		}
		if (!session.open) {
			session.logins++;
			session.open = true;
		}
		return undefined;
	};

	const createRo = async (ro: NewRo): Promise<Reply> => {
		const locked = ensureSession();
		if (locked) return locked;
		// the check-back through SQL (CDN.TraNag, TrN_TypDokumentu 308, TrN_NumerObcy, TrN_Anulowany = 0)
		const existing = store.findByForeignNumber(ro.foreignNumber).find((r) => !r.cancelled);
		if (existing) {
			if (!sameContent(existing, ro))
				return error(
					409,
					'conflict',
					`RO ${existing.fullNumber} ma już numer obcy ${ro.foreignNumber}, z innymi pozycjami`,
				);
			return { status: 200, body: roJson(existing, false) };
		}
		const refusal = store.refusal(ro);
		if (refusal) return error(422, 'rejected', refusal);
		if (sim.comCallMs) await sleep(sim.comCallMs);
		// Optima's own checks on Sesja.Save(): refused, nothing saved (the session stays: this is no COM failure)
		const refusedAtSave = saveRefusals.find((r) => r.foreignNumber === ro.foreignNumber);
		if (refusedAtSave) {
			if (--refusedAtSave.remaining <= 0) saveRefusals = saveRefusals.filter((r) => r !== refusedAtSave);
			return error(422, 'rejected', refusedAtSave.message);
		}
		const com = comErrors.shift();
		// after an opaque COM error the service drops its COM objects and logs in again on the next call
		if (com && !com.afterSave) {
			session.open = false;
			return { status: 502, body: { error: COM_ERROR } };
		}
		const saved = store.save(ro);
		if (com?.afterSave) {
			session.open = false;
			return { status: 502, body: { error: COM_ERROR } };
		}
		return { status: 201, body: roJson(saved, true) };
	};

	const printInvoice = async (segment: string): Promise<Reply> => {
		const locked = ensureSession();
		if (locked) return locked;
		if (sim.comCallMs) await sleep(sim.comCallMs);
		const pdf = /^\d{1,9}$/.test(segment) ? store.invoicePdf(Number(segment)) : undefined;
		if (!pdf) return error(404, 'not_found', `Nie ma faktury o identyfikatorze ${segment}`);
		return { status: 200, body: pdf };
	};

	const route = async (req: IncomingMessage, url: URL, body: Buffer): Promise<Reply> => {
		if (req.headers.authorization !== `Bearer ${apiKey}`)
			return error(401, 'unauthorized', 'missing or wrong bridge key');
		if (req.method === 'GET' && url.pathname === '/health')
			return {
				status: 200,
				body: {
					status: 'ok',
					optima: '2026.5.1',
					company: 'Firma Demo – Łódź',
					database: 'CDN_Firma_Demo',
					comSession: session.open ? 'open' : 'closed',
				},
			};
		if (url.pathname === '/v1/ro' && req.method === 'GET') {
			const foreign = url.searchParams.get('foreignNumber');
			if (!foreign) return error(400, 'bad_request', 'foreignNumber is required');
			return { status: 200, body: { documents: store.findByForeignNumber(foreign).map((r) => roJson(r)) } };
		}
		if (url.pathname === '/v1/ro' && req.method === 'POST') {
			const ro = readRo(body);
			if (typeof ro === 'string') return error(400, 'bad_request', ro);
			return await oneComCall(`RO ${ro.foreignNumber}`, () => createRo(ro));
		}
		const pdf = /^\/v1\/invoices\/([^/]+)\/pdf$/.exec(url.pathname);
		if (pdf && req.method === 'GET') {
			let segment: string;
			try {
				segment = decodeURIComponent(pdf[1]);
			} catch {
				return error(400, 'bad_request', 'the invoice id is not percent-encoded UTF-8');
			}
			return await oneComCall(`PDF ${segment}`, () => printInvoice(segment));
		}
		return error(404, 'not_found', `no route ${req.method} ${url.pathname}`);
	};

	const handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const method = req.method ?? 'GET';
		const entry: { fault?: FaultKind } = {};
		let logged = false;
		const finish = (status: number) => {
			if (logged) return;
			logged = true;
			requests.push({ method, url: req.url ?? '/', path: url.pathname, status });
		};
		res.on('close', () => finish(res.writableFinished ? res.statusCode : 0));
		const faultAnswer = {
			isClosed: () => closed,
			sleep,
			sendStatus: (status: number, headers: Record<string, string>) =>
				send(res, {
					...error(status, status === 503 ? 'optima_locked' : 'bridge_error', 'the bridge is unavailable', true),
					headers,
				}),
		};
		const before = faults.take(method, url.pathname, 'before');
		if (before && (await applyFault(before, req, res, entry, finish, faultAnswer))) return;
		const reply = await route(req, url, body);
		const after = faults.take(method, url.pathname, 'after');
		if (after && (await applyFault(after, req, res, entry, finish, faultAnswer))) return;
		send(res, reply);
		finish(reply.status);
	};

	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			void handle(req, res, Buffer.concat(chunks)).catch((e: Error) => send(res, error(500, 'internal', e.message)));
		});
	});
	await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	const sim: OptimaBridgeSimulator = {
		url: `http://127.0.0.1:${port}`,
		apiKey,
		store,
		faults,
		comCallMs: opts.comCallMs ?? 0,
		session,
		comCalls,
		requests,
		comError: (o = {}) => {
			for (let i = 0; i < (o.times ?? 1); i++) comErrors.push({ afterSave: o.afterSave === true });
		},
		refuseAtSave: (foreignNumber, message, o = {}) => {
			const times = o.times ?? 1;
			if (!(times >= 1)) throw new Error('times must be at least 1');
			saveRefusals.push({ foreignNumber, message, remaining: times });
		},
		get pendingRefusals() {
			return saveRefusals.map((r) => ({ ...r }));
		},
		lock: (o = {}) => {
			for (let i = 0; i < (o.times ?? 1); i++)
				locks.push({ operator: o.operator ?? 'ADMIN', retryAfter: o.retryAfter ?? '1' });
		},
		restart: () => {
			session.open = false;
			comErrors = [];
			locks = [];
		},
		close: () => {
			closed = true;
			return new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
	return sim;
}
