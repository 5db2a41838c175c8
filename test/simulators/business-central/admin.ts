/**
 * Test admin over HTTP, for when the simulator runs as a process (cli.ts) and a test or the demo must act like a
 * user in the BC client. Not part of BC; no auth. Same effects as the state methods (BcState):
 *   GET   /__sim/info                         urls, tenant, company, credentials' names, tokens issued
 *   POST  /__sim/items            {number, displayName, …}          add an item
 *   PATCH /__sim/items/{number}   {field: value}                    modify (new lastModifiedDateTime + ETag)
 *   POST  /__sim/customers        {number, displayName, …}
 *   PATCH /__sim/customers/{number} {field: value}
 *   POST  /__sim/customers/{number}/block  {blocked: " "|"Ship"|"Invoice"|"All"}  (default All)
 *   POST  /__sim/stock            {itemNo, locationCode, qty}        stock move: item NOT modified
 *   POST  /__sim/prices           {itemNo, unitPrice, sourceType?, sourceNo?, minimumQuantity?, alsoItemCard?}
 *   POST  /__sim/clock            {advanceMs} | {set: ISO}
 *   POST  /__sim/tokens/expire                                       every token issued so far expires now
 *   GET   /__sim/requests                                            the request log
 * `?company=<id or name>` picks the company (default: the first).
 */
import type { BusinessCentralSimulator } from './server';
import type { CustomerBlocked, PriceSourceType } from './state';

export interface AdminReply {
	status: number;
	json?: unknown;
}

function obj(buf: Buffer): Record<string, unknown> {
	const text = buf.toString('utf8').trim();
	if (!text) return {};
	const v = JSON.parse(text) as unknown;
	if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('body must be a JSON object');
	return v as Record<string, unknown>;
}

export function handleAdmin(
	sim: BusinessCentralSimulator,
	method: string,
	path: string,
	query: URLSearchParams,
	body: Buffer,
): AdminReply {
	const company = query.get('company') ?? undefined;
	const st = sim.state;
	try {
		const b = method === 'GET' ? {} : obj(body);
		let m: RegExpExecArray | null;
		if (method === 'GET' && path === '/info')
			return {
				status: 200,
				json: {
					apiHost: sim.apiHost,
					loginHost: sim.loginHost,
					onPremBase: sim.onPremBase,
					apiRoot: sim.apiRoot,
					tenant: sim.tenant,
					environment: sim.environment,
					company: sim.company,
					companies: st.companies.map((c) => ({ id: c.id, name: c.name })),
					tokensIssued: sim.tokensIssued,
				},
			};
		if (method === 'GET' && path === '/requests') return { status: 200, json: sim.requests };
		if (method === 'POST' && path === '/items')
			return { status: 201, json: st.addItem(b as Parameters<typeof st.addItem>[0], company) };
		if (method === 'PATCH' && (m = /^\/items\/([^/]+)$/.exec(path)))
			return { status: 200, json: st.modifyItem(decodeURIComponent(m[1]), b, company) };
		if (method === 'POST' && path === '/customers')
			return { status: 201, json: st.addCustomer(b as Parameters<typeof st.addCustomer>[0], company) };
		if (method === 'PATCH' && (m = /^\/customers\/([^/]+)$/.exec(path)))
			return { status: 200, json: st.modifyCustomer(decodeURIComponent(m[1]), b, company) };
		if (method === 'POST' && (m = /^\/customers\/([^/]+)\/block$/.exec(path)))
			return {
				status: 200,
				json: st.blockCustomer(decodeURIComponent(m[1]), (b.blocked as CustomerBlocked | undefined) ?? 'All', company),
			};
		if (method === 'POST' && path === '/stock') {
			const qty = Number(b.qty);
			const quantity = st.moveStock(String(b.itemNo ?? ''), String(b.locationCode ?? ''), qty, company);
			return { status: 200, json: { itemNo: b.itemNo, locationCode: b.locationCode ?? '', quantity } };
		}
		if (method === 'POST' && path === '/prices')
			return {
				status: 200,
				json: st.setPrice(String(b.itemNo ?? ''), Number(b.unitPrice), {
					sourceType: b.sourceType as PriceSourceType | undefined,
					sourceNo: b.sourceNo as string | undefined,
					minimumQuantity: b.minimumQuantity as number | undefined,
					alsoItemCard: b.alsoItemCard === true,
					company,
				}),
			};
		if (method === 'POST' && path === '/clock') {
			if (typeof b.advanceMs === 'number') sim.clock.advance(b.advanceMs);
			else if (typeof b.set === 'string') sim.clock.set(b.set);
			else throw new Error('clock: give advanceMs (number) or set (ISO time)');
			return { status: 200, json: { now: new Date(sim.clock.now()).toISOString() } };
		}
		if (method === 'POST' && path === '/tokens/expire') {
			sim.tokens.expireAll();
			return { status: 200, json: { expired: true } };
		}
		return { status: 404, json: { error: `no admin route ${method} /__sim${path}` } };
	} catch (err) {
		return { status: 400, json: { error: String((err as Error)?.message ?? err) } };
	}
}
