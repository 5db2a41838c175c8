/**
 * Self-test of the portal simulator's order claims (docs/portal-api.yaml, /v1/orders/{number}/claim): real HTTP
 * to 127.0.0.1, the contract checked both ways (afterEach: no contract violations), leases expiring by the
 * simulator's clock.
 */
import { makeOrder } from '../../fixtures/polish';
import { startPortalSimulator, type PortalSimulator } from '../../simulators/portal/server';
import { jsonApi } from './json-api';

let sim: PortalSimulator;

beforeAll(async () => {
	sim = await startPortalSimulator({ admin: true });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());
afterEach(() => expect(sim.contractViolations).toEqual([]));

const api = jsonApi(() => sim);

const enc = encodeURIComponent;
const claim = (number: string, owner: string, leaseSeconds?: number) =>
	api('POST', `/v1/orders/${enc(number)}/claim`, { owner, ...(leaseSeconds !== undefined ? { leaseSeconds } : {}) });
const release = (number: string, owner: string) => api('DELETE', `/v1/orders/${enc(number)}/claim?owner=${enc(owner)}`);

describe('POST /v1/orders/{number}/claim', () => {
	it('takes a free claim, renews it for the same owner, and turns another owner away naming the holder', async () => {
		const { number } = sim.seedOrder(makeOrder(1));
		const t0 = sim.state.clock.now();
		const first = await claim(number, 'n8n-101', 60);
		expect(first.status).toBe(200);
		expect(first.json).toMatchObject({ orderNumber: number, claimed: true, owner: 'n8n-101', renewed: false });
		expect(Date.parse(first.json.expiresAt) - Date.parse(first.json.claimedAt)).toBe(60_000);
		expect(Date.parse(first.json.claimedAt)).toBeGreaterThanOrEqual(t0);

		sim.state.clock.advance(30_000);
		const renewed = await claim(number, 'n8n-101', 60);
		expect(renewed.status).toBe(200);
		expect(renewed.json).toMatchObject({ renewed: true, claimedAt: first.json.claimedAt });
		expect(Date.parse(renewed.json.expiresAt)).toBeGreaterThan(Date.parse(first.json.expiresAt));

		const busy = await claim(number, 'n8n-102');
		expect(busy.status).toBe(409);
		expect(busy.json.error).toMatchObject({
			code: 'claim_held',
			details: [{ key: number, field: 'owner', owner: 'n8n-101', expiresAt: renewed.json.expiresAt }],
		});
		expect(busy.json.error.message).toContain('n8n-101');
		expect(sim.state.claims.log.map((e) => [e.owner, e.decision])).toEqual([
			['n8n-101', 'claimed'],
			['n8n-101', 'renewed'],
			['n8n-102', 'busy'],
		]);
	});

	it('an expired lease (by the simulator clock) is claimable by another owner, who is told whose lease ran out', async () => {
		const { number } = sim.seedOrder(makeOrder(2));
		sim.state.clock.freeze();
		expect((await claim(number, 'n8n-201', 10)).status).toBe(200);
		sim.state.clock.advance(9_999);
		expect((await claim(number, 'n8n-202', 10)).status).toBe(409);
		sim.state.clock.advance(1);
		const taken = await claim(number, 'n8n-202', 10);
		expect(taken.status).toBe(200);
		expect(taken.json).toMatchObject({ owner: 'n8n-202', renewed: false, tookOverFrom: 'n8n-201' });
		// the old holder now is the one turned away
		expect((await claim(number, 'n8n-201', 10)).json.error.details[0].owner).toBe('n8n-202');
	});

	it('answers 409 order_closed once the order is acknowledged, confirmed or rejected — and that ends the claim', async () => {
		const [a, b] = [sim.seedOrder(makeOrder(3)).number, sim.seedOrder(makeOrder(4)).number];
		expect((await claim(a, 'n8n-301')).status).toBe(200);
		const ack = await api('POST', `/v1/orders/${enc(a)}/acknowledge`, { erpDocumentNumber: '1043' });
		expect(ack.status).toBe(200);
		expect(sim.state.claims.live()).toEqual([]);
		const done = await claim(a, 'n8n-302');
		expect(done.status).toBe(409);
		expect(done.json.error).toMatchObject({
			code: 'order_closed',
			details: [{ key: a, orderStatus: 'confirmed', erpDocumentNumber: '1043' }],
		});
		// the holder itself is told too: never create it again
		expect((await claim(a, 'n8n-301')).json.error.code).toBe('order_closed');

		expect((await claim(b, 'n8n-303')).status).toBe(200);
		const rejected = await api('POST', '/v1/order-statuses/batch', {
			items: [
				{ orderNumber: b, status: 'rejected', reason: 'Cena różni się od cennika', changedAt: '2026-11-26T10:00:00Z' },
			],
		});
		expect(rejected.status).toBe(200);
		expect(sim.state.claims.live()).toEqual([]);
		const closed = await claim(b, 'n8n-304');
		expect(closed.json.error).toMatchObject({ code: 'order_closed', details: [{ orderStatus: 'rejected' }] });
		expect(closed.json.error.details[0].erpDocumentNumber).toBeUndefined();
	});

	it('is atomic: 20 owners claiming the same order at once → exactly one gets it', async () => {
		const { number } = sim.seedOrder(makeOrder(5));
		const answers = await Promise.all(Array.from({ length: 20 }, (_, k) => claim(number, `n8n-5${k}`)));
		const winners = answers.filter((r) => r.status === 200);
		expect(winners).toHaveLength(1);
		const losers = answers.filter((r) => r.status === 409);
		expect(losers).toHaveLength(19);
		expect(losers.every((r) => r.json.error.details[0].owner === winners[0].json.owner)).toBe(true);
	});

	it('validates: unknown order 404, no owner / bad lease 422, bad owner text 422', async () => {
		const { number } = sim.seedOrder(makeOrder(6));
		expect((await claim('B2B/2026/999999', 'n8n-1')).status).toBe(404);
		expect((await api('POST', `/v1/orders/${enc(number)}/claim`, {})).status).toBe(422);
		const tooLong = await claim(number, 'n8n-1', 3601);
		expect(tooLong.status).toBe(422);
		expect(tooLong.json.error.details[0].field).toBe('leaseSeconds');
		expect((await claim(number, 'n8n-1', 4)).status).toBe(422);
		expect((await claim(number, ' n8n-1')).status).toBe(422);
		expect(sim.state.claims.live()).toEqual([]);
		// the default lease is 300 s
		const ok = await claim(number, 'n8n-1');
		expect(Date.parse(ok.json.expiresAt) - Date.parse(ok.json.claimedAt)).toBe(300_000);
	});
});

describe('DELETE /v1/orders/{number}/claim', () => {
	it("releases only the owner's own claim; another owner's live lease stays and is named", async () => {
		const { number } = sim.seedOrder(makeOrder(7));
		await claim(number, 'n8n-701');
		const notMine = await release(number, 'n8n-702');
		expect(notMine).toMatchObject({ status: 200, json: { orderNumber: number, released: false, heldBy: 'n8n-701' } });
		expect(sim.state.claims.live()).toHaveLength(1);
		const mine = await release(number, 'n8n-701');
		expect(mine).toMatchObject({ status: 200, json: { orderNumber: number, released: true } });
		expect(mine.json.heldBy).toBeUndefined();
		expect((await release(number, 'n8n-701')).json).toEqual({ orderNumber: number, released: false });
		expect((await claim(number, 'n8n-702')).status).toBe(200);
		expect((await release('B2B/2026/999999', 'n8n-1')).json).toEqual({
			orderNumber: 'B2B/2026/999999',
			released: false,
		});
		expect((await api('DELETE', `/v1/orders/${enc(number)}/claim`)).status).toBe(400); // owner is required
	});
});

describe('faults, request log and admin', () => {
	it('a lost answer after the claim was taken: the retry by the same owner is a renewal, not a refusal', async () => {
		const { number } = sim.seedOrder(makeOrder(8));
		sim.faults.add({ method: 'POST', path: /\/claim$/, kind: 'drop', afterWrite: true });
		await expect(claim(number, 'n8n-801')).rejects.toThrow();
		const retry = await claim(number, 'n8n-801');
		expect(retry.json).toMatchObject({ claimed: true, renewed: true });
		expect(sim.requests.map((r) => [r.method, r.path, r.status, r.fault])).toEqual([
			['POST', `/v1/orders/${enc(number)}/claim`, 0, 'drop'],
			['POST', `/v1/orders/${enc(number)}/claim`, 200, undefined],
		]);
	});

	it('GET /__sim/claims and POST /__sim/clock', async () => {
		const { number } = sim.seedOrder(makeOrder(9));
		await claim(number, 'n8n-901', 60);
		const base = sim.url.replace(/\/api$/, '');
		const live = (await (await fetch(`${base}/__sim/claims`)).json()) as { live: unknown[] };
		expect(live.live).toMatchObject([{ orderNumber: number, owner: 'n8n-901' }]);
		const moved = await fetch(`${base}/__sim/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: 60_000 }) });
		expect(moved.status).toBe(200);
		expect(((await (await fetch(`${base}/__sim/claims`)).json()) as { live: unknown[] }).live).toEqual([]);
		expect((sim.state.snapshot() as { claims: unknown[] }).claims).toEqual([]);
	});
});
