/**
 * Faults injected on demand, the same API as the portal simulator's (test/simulators/portal/faults.ts),
 * standalone. A fault matches a method and a path — a prefix string or a RegExp tested against the path
 * after /b1s/v1 or /b1s/v2 (e.g. "/Orders", "/Items('A1')") or, with target 'gateway', the API Gateway
 * path (e.g. "/rs/v1/ExportPDFData") — fires `times` times, then vanishes.
 *
 * - status: answers that status (SAP error shape, or `body`) WITHOUT processing the request
 * - slow:   waits `delayMs` before processing (processed even if the client gave up meanwhile)
 * - drop:   destroys the socket without answering
 * - reset:  ends the connection with a TCP RST
 *
 * Faults fire before the session check (like a proxy in front of SL). With `afterWrite: true` the fault
 * fires after the request was processed: drop/reset = the "lost response" (e.g. the order IS created
 * but the client never hears so — see loseResponse()), status = a gateway error although the write
 * happened, slow = a late answer although the write is done.
 */

export type FaultKind = 'status' | 'slow' | 'drop' | 'reset';

export interface FaultSpec {
	/** 'sl' (default): Service Layer, both /b1s/v1 and /b1s/v2; 'gateway': the API Gateway port */
	target?: 'sl' | 'gateway';
	/** HTTP method, any case; all methods when absent */
	method?: string;
	/** path after /b1s/vN (or the gateway path): a prefix or a RegExp; all paths when absent */
	path?: string | RegExp;
	kind: FaultKind;
	/** for kind 'status': 500, 502, 503, 429… */
	status?: number;
	/** Retry-After header value for kind 'status' */
	retryAfter?: string;
	/** for kind 'slow' (default 2000 ms) */
	delayMs?: number;
	/** how many matching requests it hits (default 1; Infinity for all) */
	times?: number;
	/** let this many matching requests through untouched before the fault starts hitting (default 0) */
	skip?: number;
	/** fire after the request was processed (the write applied) instead of before */
	afterWrite?: boolean;
	/** for kind 'status': a raw body instead of the SAP error shape (e.g. a proxy's HTML page) */
	body?: string;
	/** content type of `body` (default text/html; charset=utf-8) */
	contentType?: string;
}

export interface Fault extends FaultSpec {
	readonly id: number;
	remaining: number;
	hits: number;
	skipped: number;
}

export class Faults {
	private active: Fault[] = [];
	private nextId = 1;

	add(spec: FaultSpec): Fault {
		if (!['status', 'slow', 'drop', 'reset'].includes(spec.kind))
			throw new Error(`unknown fault kind ${String(spec.kind)}`);
		if (spec.kind === 'status' && !(Number.isInteger(spec.status) && spec.status! >= 100 && spec.status! <= 599))
			throw new Error('a status fault needs status: 100–599');
		const times = spec.times ?? 1;
		if (!(times >= 1)) throw new Error('times must be at least 1');
		const fault: Fault = { ...spec, id: this.nextId++, remaining: times, hits: 0, skipped: 0 };
		this.active.push(fault);
		return fault;
	}

	/**
	 * The "lost response": the request is processed (e.g. POST /Orders creates the order) and then the
	 * socket is dropped before any answer. Default: the next POST /Orders (exactly that path).
	 */
	loseResponse(opts: { method?: string; path?: string | RegExp; times?: number; reset?: boolean } = {}): Fault {
		const path = opts.path ?? '/Orders';
		return this.add({
			method: opts.method ?? 'POST',
			path: typeof path === 'string' ? new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : path,
			kind: opts.reset ? 'reset' : 'drop',
			afterWrite: true,
			times: opts.times,
		});
	}

	clear(): void {
		this.active = [];
	}

	get pending(): readonly Fault[] {
		return this.active;
	}

	/** the first armed fault of the phase matching the request, counted down (and removed when spent) */
	take(target: 'sl' | 'gateway', method: string, path: string, phase: 'before' | 'after'): Fault | undefined {
		const fault = this.active.find(
			(f) =>
				(f.target ?? 'sl') === target && (f.afterWrite === true) === (phase === 'after') && matches(f, method, path),
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
	f.path.lastIndex = 0;
	return f.path.test(path);
}
