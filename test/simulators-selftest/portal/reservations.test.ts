/**
 * Self-test of the portal simulator's stock reservations (docs/portal-api.yaml, /v1/stock/reservations):
 * real HTTP to 127.0.0.1, the contract checked both ways (afterEach: no contract violations).
 */
import type { StockLevel } from '../../../nodes/shared/model/types';
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

const level = (
	productCode: string,
	warehouseCode: string,
	available: string,
	extra: Partial<StockLevel> = {},
): StockLevel => ({
	productCode,
	warehouseCode,
	onHand: available,
	reserved: '0',
	available,
	...extra,
});
const pushStock = (...items: StockLevel[]) => api('POST', '/v1/stock/batch', { items });
const reserve = (
	orderNumber: string,
	lines: Array<{ productCode: string; warehouseCode?: string; quantity: string }>,
	holdSeconds?: number,
) =>
	api('POST', '/v1/stock/reservations', { orderNumber, lines, ...(holdSeconds !== undefined ? { holdSeconds } : {}) });
const enc = encodeURIComponent;

function seedOrders(n: number, from = 1): string[] {
	const numbers: string[] = [];
	for (let i = from; i < from + n; i++) numbers.push(sim.seedOrder(makeOrder(i)).number);
	return numbers;
}

describe('POST /v1/stock/reservations', () => {
	it('holds against the pushed available; the portal shows pushed − held; a short order holds nothing and says what is short', async () => {
		await pushStock(level('ŁÓD-001', 'MAG', '5'), level('ŁÓD-001', 'ŻÓŁ', '2.5'), level('WIO-003', 'MAG', '1'));
		const [a, b] = seedOrders(2);
		const held = await reserve(a, [
			{ productCode: 'ŁÓD-001', quantity: '6' },
			{ productCode: 'WIO-003', warehouseCode: 'MAG', quantity: '1.000' },
		]);
		expect(held.status).toBe(200);
		expect(held.json).toMatchObject({
			orderNumber: a,
			status: 'held',
			lines: [
				{ productCode: 'ŁÓD-001', quantity: '6', tracked: true, released: false },
				{ productCode: 'WIO-003', warehouseCode: 'MAG', quantity: '1', tracked: true, released: false },
			],
		});
		expect(sim.state.reservations.available('ŁÓD-001')).toBe('1.5');
		expect(sim.state.reservations.available('WIO-003', 'MAG')).toBe('0');

		const short = await reserve(b, [
			{ productCode: 'ŁÓD-001', quantity: '1' },
			{ productCode: 'WIO-003', warehouseCode: 'MAG', quantity: '1' },
			{ productCode: 'ŁÓD-001', quantity: '1' },
		]);
		expect(short.status).toBe(409);
		expect(short.json.error.code).toBe('insufficient_stock');
		expect(short.json.error.details).toEqual([
			{
				index: 0,
				key: 'ŁÓD-001',
				field: 'quantity',
				message: 'ŁÓD-001: requested 2, available 1.5',
				requested: '2',
				available: '1.5',
			},
			{
				index: 1,
				key: 'WIO-003',
				field: 'quantity',
				warehouseCode: 'MAG',
				message: 'WIO-003 in MAG: requested 1, available 0',
				requested: '1',
				available: '0',
			},
		]);
		expect(sim.state.reservations.reservations.has(b)).toBe(false);
		expect(sim.state.reservations.available('ŁÓD-001')).toBe('1.5');
	});

	it('is idempotent per order: the same lines answer the same hold, other lines 409 conflict', async () => {
		await pushStock(level('ŁÓD-001', 'MAG', '3'));
		const [a] = seedOrders(1);
		const first = await reserve(a, [{ productCode: 'ŁÓD-001', quantity: '2' }]);
		const again = await reserve(a, [{ productCode: 'ŁÓD-001', quantity: '2.00' }]);
		expect(again.status).toBe(200);
		expect(again.json).toEqual(first.json);
		expect(sim.state.reservations.available('ŁÓD-001')).toBe('1');
		const other = await reserve(a, [{ productCode: 'ŁÓD-001', quantity: '1' }]);
		expect(other.status).toBe(409);
		expect(other.json.error.code).toBe('conflict');
		expect(sim.state.reservations.available('ŁÓD-001')).toBe('1');
	});

	it('a product the portal has no stock level for is held untracked and never blocks', async () => {
		const [a] = seedOrders(1);
		const r = await reserve(a, [{ productCode: 'ŻUK-404', quantity: '1000' }]);
		expect(r.status).toBe(200);
		expect(r.json.lines[0]).toMatchObject({ tracked: false });
	});

	it('an unknown order is 404, an order no longer placed is 409, a bad body is 422', async () => {
		expect((await reserve('B2B/NIE-MA', [{ productCode: 'ŁÓD-001', quantity: '1' }])).status).toBe(404);
		const [a] = seedOrders(1);
		sim.state.orders.get(a)!.status = 'confirmed';
		const closed = await reserve(a, [{ productCode: 'ŁÓD-001', quantity: '1' }]);
		expect(closed.status).toBe(409);
		expect(closed.json.error.message).toContain('confirmed');
		const bad = await reserve(a, [{ productCode: 'ŁÓD-001', quantity: '0' }]);
		expect(bad.status).toBe(422);
		expect((await reserve(a, [])).status).toBe(422);
	});

	it('20 concurrent reservations of 1 for the last 10 units: exactly 10 held, available never below 0', async () => {
		await pushStock(level('ŁÓD-001', 'MAG', '10'));
		const numbers = seedOrders(20);
		const answers = await Promise.all(
			numbers.map((n) => reserve(n, [{ productCode: 'ŁÓD-001', warehouseCode: 'MAG', quantity: '1' }])),
		);
		expect(answers.filter((a) => a.status === 200)).toHaveLength(10);
		expect(answers.filter((a) => a.status === 409 && a.json.error.code === 'insufficient_stock')).toHaveLength(10);
		expect(sim.state.reservations.available('ŁÓD-001')).toBe('0');
		const log = sim.state.reservations.availabilityLog.map((e) => Number(e.available));
		expect(log).toHaveLength(11); // the push and 10 holds
		expect(Math.min(...log)).toBe(0);
	});
});

describe('releases', () => {
	it('reject and cancel release at once; DELETE forgets; a repeat after release holds nothing again', async () => {
		await pushStock(level('ŁÓD-001', 'MAG', '3'));
		const [a, b, c] = seedOrders(3);
		for (const n of [a, b, c]) expect((await reserve(n, [{ productCode: 'ŁÓD-001', quantity: '1' }])).status).toBe(200);
		expect(sim.state.reservations.available('ŁÓD-001')).toBe('0');
		const changedAt = new Date().toISOString();
		await api('POST', '/v1/order-statuses/batch', {
			items: [
				{ orderNumber: a, status: 'rejected', reason: 'Brak towaru — zażółć gęślą jaźń', changedAt },
				{ orderNumber: b, status: 'cancelled', reason: 'Klient zrezygnował', changedAt },
			],
		});
		expect(sim.state.reservations.available('ŁÓD-001')).toBe('2');
		const got = await api('GET', `/v1/stock/reservations/${enc(a)}`);
		expect(got.json).toMatchObject({ status: 'released', releaseReason: 'rejected', lines: [{ released: true }] });
		// a duplicate delivery of the rejected order's event does not hold again
		expect((await reserve(a, [{ productCode: 'ŁÓD-001', quantity: '1' }])).json.status).toBe('released');
		expect(sim.state.reservations.available('ŁÓD-001')).toBe('2');

		expect((await api('DELETE', `/v1/stock/reservations/${enc(c)}`)).json).toEqual({ orderNumber: c, released: true });
		expect((await api('DELETE', `/v1/stock/reservations/${enc(c)}`)).json).toEqual({ orderNumber: c, released: false });
		expect((await api('GET', `/v1/stock/reservations/${enc(c)}`)).status).toBe(404);
		expect(sim.state.reservations.available('ŁÓD-001')).toBe('3');
	});

	it('acknowledge confirms the hold; it counts until a stock push read after the confirmation, then is released', async () => {
		await pushStock(level('ŁÓD-001', 'MAG', '4'), level('ŁÓD-001', 'KRK', '1'));
		const [a, b] = seedOrders(2);
		await reserve(a, [{ productCode: 'ŁÓD-001', warehouseCode: 'MAG', quantity: '3' }]);
		await reserve(b, [{ productCode: 'ŁÓD-001', warehouseCode: 'MAG', quantity: '1' }]);
		const ack = await api('POST', `/v1/orders/${enc(a)}/acknowledge`, { erpDocumentNumber: 'ZK 12/2026' });
		expect(ack.status).toBe(200);
		let r = (await api('GET', `/v1/stock/reservations/${enc(a)}`)).json;
		expect(r.status).toBe('confirmed');
		expect(sim.state.reservations.available('ŁÓD-001', 'MAG')).toBe('0');

		// a push of a figure read before the confirmation, or for another warehouse, settles nothing
		await pushStock(level('ŁÓD-001', 'MAG', '4', { updatedAt: '2020-01-01T00:00:00Z' }), level('ŁÓD-001', 'KRK', '1'));
		expect((await api('GET', `/v1/stock/reservations/${enc(a)}`)).json.status).toBe('confirmed');
		expect(sim.state.reservations.available('ŁÓD-001', 'MAG')).toBe('0');

		// the ERP now shows the order (4 − 3 = 1 available): the confirmed hold goes, b's hold stays
		await pushStock(level('ŁÓD-001', 'MAG', '1'));
		r = (await api('GET', `/v1/stock/reservations/${enc(a)}`)).json;
		expect(r).toMatchObject({ status: 'released', releaseReason: 'stockPush', lines: [{ released: true }] });
		expect((await api('GET', `/v1/stock/reservations/${enc(b)}`)).json.status).toBe('held');
		expect(sim.state.reservations.available('ŁÓD-001', 'MAG')).toBe('0');
		expect(sim.state.reservations.available('ŁÓD-001')).toBe('1');
		expect(Math.min(...sim.state.reservations.availabilityLog.map((e) => Number(e.available)))).toBeGreaterThanOrEqual(
			0,
		);
	});

	it('the admin endpoint shows holds, available per product and the log', async () => {
		await pushStock(level('ŁÓD-001', 'MAG', '2'));
		const [a] = seedOrders(1);
		await reserve(a, [{ productCode: 'ŁÓD-001', quantity: '2' }]);
		const res = await fetch(`http://127.0.0.1:${sim.port}/__sim/reservations`);
		const body = (await res.json()) as {
			available: unknown;
			reservations: unknown[];
			availabilityLog: Array<{ available: string }>;
		};
		expect(body.available).toEqual({ 'ŁÓD-001': '0' });
		expect(body.reservations).toHaveLength(1);
		expect(body.availabilityLog.map((e) => e.available)).toEqual(['2', '0']);
	});
});

describe('expiry (holdSeconds, expiresAt: the portal clock)', () => {
	const HOUR = 3600_000;
	const iso = (ms: number) => new Date(ms).toISOString();

	it('a hold lasts holdSeconds (default 3600) by the portal clock; at expiresAt the stock is available again', async () => {
		sim.state.clock.freeze(Date.parse('2026-03-02T10:00:00.000Z'));
		await pushStock(level('ŁÓD-001', 'MAG', '3'));
		const [a, b] = seedOrders(2);
		const byDefault = await reserve(a, [{ productCode: 'ŁÓD-001', quantity: '2' }]);
		expect(byDefault.status).toBe(200);
		expect(byDefault.json).toMatchObject({
			status: 'held',
			createdAt: '2026-03-02T10:00:00.000Z',
			expiresAt: '2026-03-02T11:00:00.000Z',
		});
		const short = await reserve(b, [{ productCode: 'ŁÓD-001', quantity: '1' }], 60);
		expect(short.json.expiresAt).toBe('2026-03-02T10:01:00.000Z');
		expect(sim.state.reservations.available('ŁÓD-001')).toBe('0');

		// one millisecond before its end b still holds; at its end it no longer lowers available
		sim.state.clock.advance(60_000 - 1);
		expect(sim.state.reservations.available('ŁÓD-001')).toBe('0');
		expect((await api('GET', `/v1/stock/reservations/${enc(b)}`)).json.status).toBe('held');
		sim.state.clock.advance(1);
		expect(sim.state.reservations.available('ŁÓD-001')).toBe('1');
		expect((await api('GET', `/v1/stock/reservations/${enc(b)}`)).json).toMatchObject({
			status: 'released',
			releaseReason: 'expired',
			releasedAt: '2026-03-02T10:01:00.000Z',
			expiresAt: '2026-03-02T10:01:00.000Z',
			lines: [{ released: true }],
		});

		// a's hour runs out too: everything pushed is available again, and another order can take it
		sim.state.clock.advance(HOUR);
		expect(sim.state.reservations.available('ŁÓD-001')).toBe('3');
		const [c] = seedOrders(1, 3);
		expect((await reserve(c, [{ productCode: 'ŁÓD-001', quantity: '3' }])).status).toBe(200);
		const log = sim.state.reservations.availabilityLog.filter((e) => e.cause === 'expire');
		expect(log.map((e) => [e.orderNumber, e.at, e.available])).toEqual([
			[b, '2026-03-02T10:01:00.000Z', '1'],
			[a, '2026-03-02T11:00:00.000Z', '3'],
		]);
	});

	it('holdSeconds outside 60–604800 or not whole is 422, nothing held', async () => {
		await pushStock(level('ŁÓD-001', 'MAG', '3'));
		const [a] = seedOrders(1);
		for (const holdSeconds of [59, 604801, 90.5, 0]) {
			const r = await reserve(a, [{ productCode: 'ŁÓD-001', quantity: '1' }], holdSeconds);
			expect(r.status).toBe(422);
			expect(r.json.error.details[0].field).toBe('holdSeconds');
		}
		expect(sim.state.reservations.reservations.has(a)).toBe(false);
		expect((await reserve(a, [{ productCode: 'ŁÓD-001', quantity: '1' }], 604800)).status).toBe(200);
	});

	it('a repeat of a live hold keeps its expiresAt; after the expiry the same order starts afresh, checked against what is available now', async () => {
		sim.state.clock.freeze(Date.parse('2026-03-02T10:00:00.000Z'));
		await pushStock(level('ŁÓD-001', 'MAG', '2'));
		const [a, b] = seedOrders(2);
		const first = await reserve(a, [{ productCode: 'ŁÓD-001', quantity: '2' }], 600);
		sim.state.clock.advance(300_000);
		const repeat = await reserve(a, [{ productCode: 'ŁÓD-001', quantity: '2.0' }], 3600);
		expect(repeat.json).toEqual(first.json);
		expect(repeat.json.expiresAt).toBe('2026-03-02T10:10:00.000Z');

		// expired: b takes one of the two units; a, reserving again, is short and its expired reservation stays
		sim.state.clock.advance(300_000);
		expect((await reserve(b, [{ productCode: 'ŁÓD-001', quantity: '1' }])).status).toBe(200);
		const again = await reserve(a, [{ productCode: 'ŁÓD-001', quantity: '2' }]);
		expect(again.status).toBe(409);
		expect(again.json.error.code).toBe('insufficient_stock');
		expect((await api('GET', `/v1/stock/reservations/${enc(a)}`)).json.releaseReason).toBe('expired');

		// with enough stock (and other lines: the expired hold is as if there were none) it is held afresh
		const fresh = await reserve(a, [{ productCode: 'ŁÓD-001', quantity: '1' }], 120);
		expect(fresh.status).toBe(200);
		expect(fresh.json).toEqual({
			orderNumber: a,
			status: 'held',
			createdAt: '2026-03-02T10:10:00.000Z',
			expiresAt: '2026-03-02T10:12:00.000Z',
			lines: [{ productCode: 'ŁÓD-001', quantity: '1', tracked: true, released: false }],
		});
		expect(sim.state.reservations.available('ŁÓD-001')).toBe('0');
	});

	it('confirmation ends the expiry: a confirmed hold counts past expiresAt until the stock push read after the confirmation', async () => {
		const t0 = Date.parse('2026-03-02T10:00:00.000Z');
		sim.state.clock.freeze(t0);
		await pushStock(level('ŁÓD-001', 'MAG', '5'));
		const [a, b] = seedOrders(2);
		await reserve(a, [{ productCode: 'ŁÓD-001', quantity: '3' }], 60);
		await reserve(b, [{ productCode: 'ŁÓD-001', quantity: '1' }], 60);
		sim.state.clock.advance(30_000);
		await api('POST', '/v1/order-statuses/batch', {
			items: [{ orderNumber: a, status: 'confirmed', erpDocumentNumber: 'ZK 7/2026', changedAt: iso(t0 + 30_000) }],
		});
		const confirmed = (await api('GET', `/v1/stock/reservations/${enc(a)}`)).json;
		expect(confirmed).toMatchObject({ status: 'confirmed', confirmedAt: iso(t0 + 30_000) });
		expect(confirmed).not.toHaveProperty('expiresAt');

		// a day later: b's hold expired, a's confirmed hold still counts (the ERP figure does not show it yet)
		sim.state.clock.advance(24 * HOUR);
		expect((await api('GET', `/v1/stock/reservations/${enc(b)}`)).json.releaseReason).toBe('expired');
		expect((await api('GET', `/v1/stock/reservations/${enc(a)}`)).json.status).toBe('confirmed');
		expect(sim.state.reservations.available('ŁÓD-001')).toBe('2');
		// a push read before the confirmation settles nothing; one read after it releases the hold
		await pushStock(level('ŁÓD-001', 'MAG', '5', { updatedAt: iso(t0) }));
		expect(sim.state.reservations.available('ŁÓD-001')).toBe('2');
		await pushStock(level('ŁÓD-001', 'MAG', '2', { updatedAt: iso(t0 + 60_000) }));
		expect((await api('GET', `/v1/stock/reservations/${enc(a)}`)).json).toMatchObject({
			status: 'released',
			releaseReason: 'stockPush',
		});
		expect(sim.state.reservations.available('ŁÓD-001')).toBe('2');
	});

	it('an acknowledgement after the expiry does not take the units again; a rejected hold loses expiresAt', async () => {
		sim.state.clock.freeze(Date.parse('2026-03-02T10:00:00.000Z'));
		await pushStock(level('ŁÓD-001', 'MAG', '2'));
		const [a, b] = seedOrders(2);
		await reserve(a, [{ productCode: 'ŁÓD-001', quantity: '1' }], 60);
		await reserve(b, [{ productCode: 'ŁÓD-001', quantity: '1' }], 60);
		await api('POST', '/v1/order-statuses/batch', {
			items: [{ orderNumber: b, status: 'rejected', reason: 'Brak towaru', changedAt: '2026-03-02T10:00:00Z' }],
		});
		const rejected = (await api('GET', `/v1/stock/reservations/${enc(b)}`)).json;
		expect(rejected).toMatchObject({ status: 'released', releaseReason: 'rejected' });
		expect(rejected).not.toHaveProperty('expiresAt');

		sim.state.clock.advance(61_000);
		expect((await api('POST', `/v1/orders/${enc(a)}/acknowledge`, { erpDocumentNumber: 'ZK 8/2026' })).status).toBe(
			200,
		);
		expect((await api('GET', `/v1/stock/reservations/${enc(a)}`)).json).toMatchObject({
			status: 'released',
			releaseReason: 'expired',
		});
		expect(sim.state.reservations.available('ŁÓD-001')).toBe('2');
		// the order is no longer placed: a late duplicate answers the expired reservation, it does not hold again
		const late = await reserve(a, [{ productCode: 'ŁÓD-001', quantity: '1' }]);
		expect(late.status).toBe(200);
		expect(late.json).toMatchObject({ status: 'released', releaseReason: 'expired' });
		expect(sim.state.reservations.available('ŁÓD-001')).toBe('2');
	});

	it('the admin clock endpoint expires holds for a script in another process', async () => {
		await pushStock(level('ŁÓD-001', 'MAG', '1'));
		const [a] = seedOrders(1);
		await reserve(a, [{ productCode: 'ŁÓD-001', quantity: '1' }], 60);
		const post = (p: string, body: unknown) =>
			fetch(`http://127.0.0.1:${sim.port}${p}`, { method: 'POST', body: JSON.stringify(body) });
		expect((await post('/__sim/clock', { advanceMs: 61_000 })).status).toBe(200);
		const res = await fetch(`http://127.0.0.1:${sim.port}/__sim/reservations`);
		const body = (await res.json()) as { available: unknown; reservations: Array<{ releaseReason?: string }> };
		expect(body.available).toEqual({ 'ŁÓD-001': '1' });
		expect(body.reservations[0].releaseReason).toBe('expired');
	});
});
