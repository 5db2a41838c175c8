/**
 * The SAP simulator's faults: the shared implementation (../common/faults.ts) with two targets — 'sl'
 * (Service Layer, /b1s/v1 and /b1s/v2, paths after /b1s/vN, e.g. "/Orders") and 'gateway' (the API
 * Gateway port, e.g. "/rs/v1/ExportPDFData") — plus loseResponse().
 */
import { Faults as CommonFaults, type Fault as CommonFault, type FaultSpec as CommonFaultSpec } from '../common/faults';

export type { FaultKind } from '../common/faults';
export type FaultTarget = 'sl' | 'gateway';
export type FaultSpec = CommonFaultSpec<FaultTarget>;
export type Fault = CommonFault<FaultTarget>;

export class Faults extends CommonFaults<FaultTarget> {
	constructor() {
		super('sl');
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
}
