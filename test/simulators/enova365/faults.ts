/**
 * The enova365 simulator's faults: the shared implementation (../common/faults.ts), one target ('api'), paths
 * after /api — "/LoginApi", "/B2BPortalApi/AddZO". A MethodInvoker call is matched as "/<ServiceName>/<MethodName>"
 * taken from its body (so one fault hits a method in both modes); an unreadable body as
 * "/MethodInvoker/InvokeServiceMethod". Plus loseResponse().
 */
import { Faults as CommonFaults, type Fault as CommonFault, type FaultSpec as CommonFaultSpec } from '../common/faults';

export type { FaultKind } from '../common/faults';
export type FaultSpec = CommonFaultSpec<'api'>;
export type Fault = CommonFault<'api'>;

export class Faults extends CommonFaults<'api'> {
	constructor() {
		super('api');
	}

	/**
	 * The "lost response": the request is processed (AddZO saves the ZO and reserves stock) and then the socket is
	 * dropped before any answer. Default: the next POST of exactly "/B2BPortalApi/AddZO".
	 */
	loseResponse(opts: { method?: string; path?: string | RegExp; times?: number; reset?: boolean } = {}): Fault {
		const path = opts.path ?? '/B2BPortalApi/AddZO';
		return this.add({
			method: opts.method ?? 'POST',
			path: typeof path === 'string' ? new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'i') : path,
			kind: opts.reset ? 'reset' : 'drop',
			afterWrite: true,
			times: opts.times,
		});
	}
}
