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
) => api('POST', '/v1/stock/reservations', { orderNumber, lines });
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
