/**
 * Self-test of the portal simulator's one clock (issue #20: the set-up check reads the portal's clock): a portal
 * server whose clock is wrong sends a wrong HTTP Date AND signs its webhooks with the wrong time, so the offset set
 * through POST /__sim/clock moves both, and offset 0 puts both right again.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeOrder } from '../../fixtures/polish';
import { startPortalSimulator, type PortalSimulator } from '../../simulators/portal/server';

let sim: PortalSimulator;
let receiver: http.Server;
let target: string;
const signedAt: number[] = [];

beforeAll(async () => {
	sim = await startPortalSimulator({ admin: true });
	receiver = http.createServer((req, res) => {
		signedAt.push(Number(/^t=(\d+),/.exec(String(req.headers['x-b2b-signature']))?.[1]));
		req.resume();
		req.on('end', () => res.writeHead(200).end());
	});
	await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
	target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook`;
});
afterAll(async () => {
	await sim.close();
	await new Promise<void>((r) => receiver.close(() => r()));
});
beforeEach(() => {
	sim.reset();
	signedAt.length = 0;
});
afterEach(() => expect(sim.contractViolations).toEqual([]));

const admin = (body: unknown) =>
	fetch(`http://127.0.0.1:${sim.port}/__sim/clock`, { method: 'POST', body: JSON.stringify(body) });

/** the portal's Date header − this machine's clock, in seconds (whole: the header has no fractions) */
async function dateSkew(): Promise<number> {
	const before = Date.now();
	const res = await fetch(`${sim.url}/v1/sync-status`, { headers: { 'X-API-Key': sim.apiKey } });
	expect(res.status).toBe(200);
	return (Date.parse(res.headers.get('date')!) - before) / 1000;
}

let seq = 0;
async function webhookSkew(): Promise<number> {
	const { number } = sim.seedOrder(makeOrder(++seq));
	const before = Date.now();
	expect((await sim.sendOrderEvent(target, { type: 'order.created', order: number })).status).toBe(200);
	return signedAt[signedAt.length - 1] - before / 1000;
}

describe('the portal simulator clock', () => {
	it('a set offset moves the Date header and the signed webhook timestamps alike; 0 restores both', async () => {
		expect(Math.abs(await dateSkew())).toBeLessThan(2);
		expect(Math.abs(await webhookSkew())).toBeLessThan(2);

		const set = await admin({ offsetMs: 600_000 });
		expect(set.status).toBe(200);
		expect(((await set.json()) as { offsetMs: number }).offsetMs).toBeGreaterThanOrEqual(599_990);
		// setting is not adding: twice +10 min is still +10 min
		expect((await admin({ offsetMs: 600_000 })).status).toBe(200);
		expect(await dateSkew()).toBeGreaterThan(598);
		expect(await dateSkew()).toBeLessThan(602);
		expect(await webhookSkew()).toBeGreaterThan(598);
		expect(await webhookSkew()).toBeLessThan(602);

		expect((await admin({ offsetMs: 0 })).status).toBe(200);
		expect(Math.abs(await dateSkew())).toBeLessThan(2);
		expect(Math.abs(await webhookSkew())).toBeLessThan(2);
	});

	it('an explicit webhook timestamp still wins over the clock (tests of the receiver window)', async () => {
		sim.state.clock.setOffset(-3_600_000);
		const { number } = sim.seedOrder(makeOrder(++seq));
		await sim.sendOrderEvent(target, { type: 'order.created', order: number, timestamp: 1_700_000_000 });
		expect(signedAt).toEqual([1_700_000_000]);
	});

	it('refuses a body with neither or both of advanceMs / offsetMs, or no number', async () => {
		for (const body of [{}, { advanceMs: 1, offsetMs: 1 }, { offsetMs: '600000' }]) {
			const r = await admin(body);
			expect({ body, status: r.status }).toEqual({ body, status: 422 });
		}
		expect(sim.state.clock.offset()).toBe(0);
	});
});
