/**
 * Non-contract endpoints under /__sim/ (outside the API base URL), served only with `admin: true`
 * (the CLI turns them on). They let a script in another process do what tests do in-process:
 *
 *   GET    /__sim/state          state snapshot (PDFs as byte counts)
 *   GET    /__sim/requests       request log
 *   GET    /__sim/violations     the simulator's own contract violations
 *   POST   /__sim/reset          empty everything
 *   POST   /__sim/orders         body: Order → seeds it (status placed)
 *   GET    /__sim/reservations  holds by order, shown available per product, the log of available over time
 *   GET    /__sim/claims         live order claims and the log of every claim decision
 *   POST   /__sim/clock          body: {"advanceMs": n} → moves the portal's clock (leases and stock holds expire sooner);
 *                                 {"offsetMs": n} → sets it n ms from real time (+600000: ten minutes ahead; 0: right
 *                                 again). The Date header of every answer and the webhooks' signed timestamps follow it
 *   GET    /__sim/faults         armed faults
 *   POST   /__sim/faults         body: FaultSpec; a RegExp path as {"pathRegex": "^/v1/orders"}
 *   DELETE /__sim/faults         disarm all
 *   POST   /__sim/order-events   body: {"targetUrl", "type", "order" (Order or order number), …SendOrderEventOptions}
 *
 * No auth: the server listens on 127.0.0.1 only and this is test tooling, not part of the portal.
 */
import type { Order } from '../../../nodes/shared/model/types';
import { errorBody, HttpError } from './errors';
import type { FaultSpec } from './faults';
import type { Reply } from './handlers';
import type { PortalSimulator } from './server';
import type { SendOrderEventOptions } from './webhooks';

export async function handleAdmin(sim: PortalSimulator, method: string, path: string, body: Buffer): Promise<Reply> {
	const ok = (json: unknown): Reply => ({ status: 200, json });
	const json = (): Record<string, unknown> => {
		try {
			const v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
			if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
			return v as Record<string, unknown>;
		} catch (err) {
			throw new HttpError(400, 'invalid_json', `admin body must be a UTF-8 JSON object: ${(err as Error).message}`);
		}
	};
	try {
		switch (`${method} ${path}`) {
			case 'GET /__sim/state':
				return ok(sim.state.snapshot());
			case 'GET /__sim/requests':
				return ok(sim.requests);
			case 'GET /__sim/reservations': {
				const ledger = sim.state.reservations;
				ledger.expireDue();
				const products = [...new Set([...sim.state.stock.values()].map((s) => s.productCode))];
				return ok({
					reservations: [...ledger.reservations.values()].map((r) => ledger.view(r)),
					available: Object.fromEntries(products.map((p) => [p, ledger.available(p)])),
					availabilityLog: ledger.availabilityLog,
				});
			}
			case 'GET /__sim/claims':
				return ok({ live: sim.state.claims.live(), log: sim.state.claims.log });
			case 'POST /__sim/clock': {
				const { advanceMs, offsetMs } = json();
				const given = (v: unknown) => v !== undefined;
				if (given(advanceMs) === given(offsetMs))
					throw new HttpError(422, 'validation_failed', 'give either advanceMs or offsetMs');
				const ms = advanceMs ?? offsetMs;
				if (typeof ms !== 'number' || !Number.isFinite(ms))
					throw new HttpError(
						422,
						'validation_failed',
						`${given(advanceMs) ? 'advanceMs' : 'offsetMs'} must be a number`,
					);
				if (given(advanceMs)) sim.state.clock.advance(ms);
				else sim.state.clock.setOffset(ms);
				return ok({ now: new Date(sim.state.clock.now()).toISOString(), offsetMs: sim.state.clock.offset() });
			}
			case 'GET /__sim/violations':
				return ok(sim.contractViolations);
			case 'POST /__sim/reset':
				sim.reset();
				return ok({ reset: true });
			case 'POST /__sim/orders':
				try {
					return ok(sim.seedOrder(json() as unknown as Order));
				} catch (err) {
					if (err instanceof HttpError) throw err;
					throw new HttpError(422, 'validation_failed', (err as Error).message);
				}
			case 'GET /__sim/faults':
				return ok(sim.faults.pending.map((f) => ({ ...f, path: f.path instanceof RegExp ? String(f.path) : f.path })));
			case 'POST /__sim/faults': {
				const { pathRegex, ...rest } = json();
				const spec = {
					...rest,
					...(typeof pathRegex === 'string' ? { path: new RegExp(pathRegex) } : {}),
				} as unknown as FaultSpec;
				try {
					const fault = sim.faults.add(spec);
					return ok({ ...fault, path: fault.path instanceof RegExp ? String(fault.path) : fault.path });
				} catch (err) {
					throw new HttpError(422, 'validation_failed', (err as Error).message);
				}
			}
			case 'DELETE /__sim/faults':
				sim.faults.clear();
				return ok({ cleared: true });
			case 'POST /__sim/order-events': {
				const { targetUrl, ...opts } = json();
				if (typeof targetUrl !== 'string') throw new HttpError(422, 'validation_failed', 'targetUrl is missing');
				try {
					return ok(await sim.sendOrderEvent(targetUrl, opts as unknown as SendOrderEventOptions));
				} catch (err) {
					throw new HttpError(502, 'bad_gateway', (err as Error).message);
				}
			}
			default:
				throw new HttpError(404, 'not_found', `no admin endpoint ${method} ${path}`);
		}
	} catch (err) {
		if (err instanceof HttpError) return { status: err.status, json: err.toBody() };
		return { status: 500, json: errorBody('internal_error', String((err as Error)?.message ?? err)) };
	}
}
