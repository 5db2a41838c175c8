/**
 * The Business Central simulator's faults: the shared implementation (../common/faults.ts) with three targets —
 * 'api' (API v2.0 and custom APIs; path after .../api, e.g. "/v2.0/companies(…)/items"), 'odata' (page web
 * services; path after .../ODataV4, e.g. "/Company('…')/ItemCard") and 'login' (the token endpoint; path after
 * /login, e.g. "/{tenant}/oauth2/v2.0/token") — plus BC's throttling answers (research §1 limits: 429 over the
 * request rate, 503 when the queue wait runs out, 504 after 10 minutes). Every fault counts its hits.
 */
import { Faults, type Fault, type FaultSpec } from '../common/faults';

export type { FaultKind } from '../common/faults';
export type BcFaultTarget = 'api' | 'odata' | 'login';
export type BcFaultSpec = FaultSpec<BcFaultTarget>;
export type BcFault = Fault<BcFaultTarget>;

type Where = { target?: BcFaultTarget; method?: string; path?: string | RegExp; times?: number; skip?: number };

export class BcFaults extends Faults<BcFaultTarget> {
	constructor() {
		super('api');
	}

	/** 429 Application_TooManyRequests; with retryAfter a Retry-After header (BC's is undocumented: research §1) */
	throttle(opts: Where & { retryAfter?: string } = {}): BcFault {
		return this.add({ ...opts, kind: 'status', status: 429 });
	}

	/** 503: the request waited in BC's queue too long */
	unavailable(opts: Where & { retryAfter?: string } = {}): BcFault {
		return this.add({ ...opts, kind: 'status', status: 503 });
	}

	/** 504: the request ran over BC's 10 minutes */
	gatewayTimeout(opts: Where = {}): BcFault {
		return this.add({ ...opts, kind: 'status', status: 504 });
	}

	/**
	 * The "lost response": the request is processed (e.g. POST .../salesOrders creates the order), then the socket is
	 * dropped before the answer. Default: the next POST on the API.
	 */
	loseResponse(opts: Where & { reset?: boolean } = {}): BcFault {
		return this.add({
			target: opts.target,
			method: opts.method ?? 'POST',
			path: opts.path,
			times: opts.times,
			skip: opts.skip,
			kind: opts.reset ? 'reset' : 'drop',
			afterWrite: true,
		});
	}
}
