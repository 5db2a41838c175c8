/**
 * Faults injected on demand, shared by every simulator (portal, SAP B1, …). A fault matches a method
 * and a path — a prefix string or a RegExp tested against the simulator's path (after /api for the portal,
 * after /b1s/vN for SAP) — and, where a simulator serves several endpoints, a `target`; it fires
 * `times` times (after letting `skip` matching requests through), then vanishes.
 *
 * - status: answers that status (the simulator's error shape, or `body`) WITHOUT processing the request
 * - slow:   waits `delayMs` before processing; the request is still processed even if the client has
 *           given up meanwhile (a real server does not notice a client timeout)
 * - drop:   destroys the socket without answering
 * - reset:  ends the connection with a TCP RST
 *
 * Faults fire before auth and routing, like a proxy in front of the server. With `afterWrite: true` the
 * fault fires after the request was processed (the write is applied): drop/reset = the "lost response",
 * status = a gateway error although the write happened, slow = a late answer although the write is done.
 */

import type http from 'node:http';

export type FaultKind = 'status' | 'slow' | 'drop' | 'reset';

export interface FaultSpec<Target extends string = string> {
	/** which endpoint of the simulator (e.g. SAP: 'sl' or 'gateway'); the simulator's default when absent */
	target?: Target;
	/** HTTP method, any case; all methods when absent */
	method?: string;
	/** a path prefix or a RegExp; all paths when absent */
	path?: string | RegExp;
	kind: FaultKind;
	/** for kind 'status': 500, 502, 503, 429… */
	status?: number;
	/** Retry-After header value (seconds or an HTTP date) for kind 'status' */
	retryAfter?: string;
	/** for kind 'slow' (default 2000 ms) */
	delayMs?: number;
	/** how many matching requests it hits (default 1; Infinity for all) */
	times?: number;
	/** let this many matching requests through untouched before the fault starts hitting (default 0) */
	skip?: number;
	/** fire after the request was processed (the write applied) instead of before */
	afterWrite?: boolean;
	/** for kind 'status': a raw body instead of the simulator's error shape (e.g. a proxy's HTML page) */
	body?: string;
	/** content type of `body` (default text/html; charset=utf-8) */
	contentType?: string;
}

export interface Fault<Target extends string = string> extends FaultSpec<Target> {
	readonly id: number;
	/** matching requests still to hit */
	remaining: number;
	/** matching requests hit so far */
	hits: number;
	/** matching requests let through because of `skip` */
	skipped: number;
}

export class Faults<Target extends string = string> {
	protected active: Array<Fault<Target>> = [];
	private nextId = 1;

	constructor(private readonly defaultTarget: Target) {}

	add(spec: FaultSpec<Target>): Fault<Target> {
		if (!['status', 'slow', 'drop', 'reset'].includes(spec.kind))
			throw new Error(`unknown fault kind ${String(spec.kind)}`);
		if (spec.kind === 'status' && !(Number.isInteger(spec.status) && spec.status! >= 100 && spec.status! <= 599))
			throw new Error('a status fault needs status: 100–599');
		const times = spec.times ?? 1;
		if (!(times >= 1)) throw new Error('times must be at least 1');
		const fault: Fault<Target> = { ...spec, id: this.nextId++, remaining: times, hits: 0, skipped: 0 };
		this.active.push(fault);
		return fault;
	}

	clear(): void {
		this.active = [];
	}

	/** disarms one fault (requests it already holds, e.g. a slow one's, still complete) */
	remove(fault: Fault<Target>): void {
		this.active = this.active.filter((f) => f !== fault);
	}

	/** faults still armed */
	get pending(): ReadonlyArray<Fault<Target>> {
		return this.active;
	}

	/** the first armed fault of the phase matching the request, counted down (and removed when spent) */
	take(
		method: string,
		path: string,
		phase: 'before' | 'after',
		target: Target = this.defaultTarget,
	): Fault<Target> | undefined {
		const fault = this.active.find(
			(f) =>
				(f.target ?? this.defaultTarget) === target &&
				(f.afterWrite === true) === (phase === 'after') &&
				matches(f, method, path),
		);
		if (!fault) return undefined;
		if ((fault.skip ?? 0) > fault.skipped) {
			fault.skipped++;
			return undefined;
		}
		fault.hits++;
		fault.remaining--;
		if (fault.remaining <= 0) this.active = this.active.filter((f) => f !== fault);
		return fault;
	}
}

function matches(f: FaultSpec, method: string, path: string): boolean {
	if (f.method && f.method.toUpperCase() !== method.toUpperCase()) return false;
	if (f.path === undefined) return true;
	if (typeof f.path === 'string') return path.startsWith(f.path);
	f.path.lastIndex = 0; // a /g or /y RegExp keeps state between test() calls
	return f.path.test(path);
}

/**
 * Applies a fault that matched a request, the same way in every simulator: `slow` waits (then the request goes on,
 * unless the simulator closed meanwhile), `drop` / `reset` end the connection, `status` answers with `body` as given
 * or with the simulator's own error shape (`sendStatus`). Returns true when the request is finished.
 */
export async function applyFault(
	f: { kind: FaultKind; delayMs?: number; status?: number; retryAfter?: string; body?: string; contentType?: string },
	req: http.IncomingMessage,
	res: http.ServerResponse,
	entry: { fault?: FaultKind },
	finish: (status: number) => void,
	sim: {
		isClosed: () => boolean;
		sleep: (ms: number) => Promise<void>;
		sendStatus: (status: number, headers: Record<string, string>) => void;
	},
): Promise<boolean> {
	entry.fault = f.kind;
	if (f.kind === 'slow') {
		await sim.sleep(f.delayMs ?? 2000);
		if (!sim.isClosed()) return false;
		req.socket.destroy();
		finish(0);
		return true;
	}
	if (f.kind === 'drop') req.socket.destroy();
	else if (f.kind === 'reset') req.socket.resetAndDestroy();
	else {
		const status = f.status!;
		const headers: Record<string, string> = f.retryAfter !== undefined ? { 'Retry-After': f.retryAfter } : {};
		if (f.body !== undefined) {
			const payload = Buffer.from(f.body, 'utf8');
			res.writeHead(status, {
				'Content-Type': f.contentType ?? 'text/html; charset=utf-8',
				...headers,
				'Content-Length': String(payload.length),
			});
			res.end(payload);
		} else sim.sendStatus(status, headers);
		finish(status);
		return true;
	}
	finish(0);
	return true;
}
