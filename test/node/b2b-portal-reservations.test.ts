/** Stock → Reserve for Order / Release Reservation through the B2B Portal node (n8n-core engine, portal simulator). */
import type { IDataObject } from 'n8n-workflow';
import { makeOrder } from '../fixtures/polish';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { FAST_RETRY, items, json, runPortal } from './portal-helpers';

let sim: PortalSimulator;
beforeAll(async () => {
	sim = await startPortalSimulator({ apiKey: 'node-portal-KEY-rez-5f1' });
});
afterAll(async () => sim.close());
beforeEach(() => sim.reset());
afterEach(() => expect(sim.contractViolations).toEqual([]));

const reserve = { resource: 'stock', operation: 'reserve', orderField: 'order', options: FAST_RETRY };
const stock = (productCode: string, warehouseCode: string, available: string) => ({
	productCode,
	warehouseCode,
	onHand: available,
	reserved: '0',
	available,
});
function seedStock(...levels: ReturnType<typeof stock>[]): void {
	for (const l of levels) sim.state.stock.set(sim.state.keys.stock(l), l);
}

describe('B2B Portal › Stock › Reserve for Order', () => {
	it('holds orders with enough stock; a short order is an outcome with the short lines and reasons in Polish and English', async () => {
		seedStock(stock('ŁÓD-001', 'MAG', '3'), stock('WIO-003', 'MAG', '5'));
		const a = sim.seedOrder(makeOrder(1));
		const b = sim.seedOrder(makeOrder(2));
		const r = await runPortal(sim, reserve, { items: items([{ order: a, extra: 'zażółć' }, { order: b }]) });
		expect(r.error).toBeUndefined();
		const [first, second] = json(r);
		expect(first.extra).toBe('zażółć');
		expect(first.reservation).toMatchObject({ outcome: 'held', orderNumber: a.number, status: 'held' });
		expect(second.reservation).toEqual({
			outcome: 'insufficient',
			orderNumber: b.number,
			shortfall: [{ lineNo: 1, productCode: 'ŁÓD-001', requested: '2', available: '1' }],
			reason: 'Brak wystarczającego stanu magazynowego: pozycja 1 (ŁÓD-001): zamówiono 2, dostępne 1',
			reasonEn: 'Not enough stock: line 1 (ŁÓD-001): ordered 2, available 1',
		});
		expect(r.output?.[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(sim.state.reservations.available('ŁÓD-001')).toBe('1');
		expect(sim.state.reservations.available('WIO-003')).toBe('4');
		expect(sim.state.reservations.reservations.has(b.number)).toBe(false);
	});

	it('names the warehouse when a line asks for one; running again for the same order holds nothing more', async () => {
		seedStock(stock('ŁÓD-001', 'MAG', '2'), stock('ŁÓD-001', 'ŻÓŁ', '9'));
		const order = sim.seedOrder(
			makeOrder(3, {
				lines: [
					{
						lineNo: 1,
						productCode: 'ŁÓD-001',
						quantity: '2',
						unitPrice: '129.99',
						vatRate: '23',
						warehouseCode: 'MAG',
					},
				],
			}),
		);
		const first = await runPortal(sim, reserve, { items: items([{ order }]) });
		const again = await runPortal(sim, reserve, { items: items([{ order }]) });
		expect(json(again)[0].reservation).toEqual(json(first)[0].reservation);
		expect(sim.state.reservations.available('ŁÓD-001', 'MAG')).toBe('0');
		const other = sim.seedOrder(
			makeOrder(4, {
				lines: [
					{
						lineNo: 7,
						productCode: 'ŁÓD-001',
						quantity: '1',
						unitPrice: '129.99',
						vatRate: '23',
						warehouseCode: 'MAG',
					},
				],
			}),
		);
		const short = json(await runPortal(sim, reserve, { items: items([{ order: other }]) }))[0]
			.reservation as IDataObject;
		expect(short.reason).toBe(
			'Brak wystarczającego stanu magazynowego: pozycja 7 (ŁÓD-001) w magazynie MAG: zamówiono 1, dostępne 0',
		);
		expect(short.reasonEn).toBe('Not enough stock: line 7 (ŁÓD-001) in warehouse MAG: ordered 1, available 0');
	});

	it('an order already rejected answers "released" (nothing to send to the ERP); other lines for a held order are an error naming it', async () => {
		seedStock(stock('ŁÓD-001', 'MAG', '10'), stock('WIO-003', 'MAG', '10'));
		const order = sim.seedOrder(makeOrder(5));
		await runPortal(sim, reserve, { items: items([{ order }]) });
		const changed = { ...order, lines: [order.lines[0]] };
		const conflict = await runPortal(sim, reserve, { items: items([{ order: changed }]) });
		expect(conflict.error?.message).toContain(`The portal refused to reserve stock for order ${order.number}`);
		expect(conflict.error?.message).toContain('release it (DELETE)');

		sim.state.reservations.release(order.number, 'rejected');
		const after = json(await runPortal(sim, reserve, { items: items([{ order }]) }))[0].reservation;
		expect(after).toMatchObject({ outcome: 'released', releaseReason: 'rejected' });
	});

	it('an order at a VAT rate the ERP does not take is an "invalid" outcome with the reason: nothing asked of the portal, the other orders go on', async () => {
		seedStock(stock('ŁÓD-001', 'MAG', '10'), stock('WIO-003', 'MAG', '10'));
		const good = sim.seedOrder(makeOrder(6));
		const base = makeOrder(15);
		const bad = sim.seedOrder({ ...base, lines: [base.lines[0], { ...base.lines[1], vatRate: '22' }] });
		const r = await runPortal(sim, reserve, { items: items([{ order: bad, extra: 'zażółć' }, { order: good }]) });
		expect(r.error).toBeUndefined();
		const [first, second] = json(r);
		expect(first.extra).toBe('zażółć');
		expect(first.reservation).toEqual({
			outcome: 'invalid',
			invalidOrder: true,
			orderNumber: 'B2B/2026/000015',
			issues: [
				{
					field: 'lines[1].vatRate',
					message:
						'is 22 on line 2 (WIO-003): not a VAT rate the ERP takes (allowed: 23, 8, 5, 0, zw, np, oo; option "Allowed VAT Rates")',
				},
			],
			reason:
				'Zamówienie B2B/2026/000015 odrzucone, nieprawidłowe dane: pozycja 2 (WIO-003): stawka VAT 22 nie jest obsługiwana przez ERP (dozwolone: 23, 8, 5, 0, zw, np, oo)',
			reasonEn:
				'Order B2B/2026/000015 rejected, invalid data: line 2 (WIO-003): VAT rate 22 is not one the ERP takes (allowed: 23, 8, 5, 0, zw, np, oo)',
		});
		expect(second.reservation).toMatchObject({ outcome: 'held', orderNumber: good.number });
		expect(r.output?.[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		// one reservation request, for the good order only; nothing held for the invalid one
		const posts = sim.requests.filter((q) => q.method === 'POST' && q.path === '/v1/stock/reservations');
		expect(posts).toHaveLength(1);
		expect(sim.state.reservations.reservations.has(bad.number)).toBe(false);
		expect(sim.state.reservations.available('WIO-003')).toBe('9');
	});

	it('any other invalid order (a quantity below 0, no client code) is "invalid" with the field and value; the option widens the rates', async () => {
		seedStock(stock('ŁÓD-001', 'MAG', '10'), stock('WIO-003', 'MAG', '10'));
		const negative = {
			...makeOrder(7),
			lines: [{ lineNo: 3, productCode: 'ŁÓD-001', quantity: '-1', unitPrice: '1', vatRate: '23' }],
		};
		const noClient = { ...makeOrder(8), clientCode: '' };
		const at22 = sim.seedOrder({ ...makeOrder(9), lines: [{ ...makeOrder(9).lines[0], vatRate: '22' }] });
		const r = await runPortal(
			sim,
			{ ...reserve, options: { ...FAST_RETRY, allowedVatRates: '23, 22, 8, 5, 0, zw, np, oo' } },
			{ items: items([{ order: negative }, { order: noClient }, { order: at22 }]) },
		);
		expect(r.error).toBeUndefined();
		const [a, b, c] = json(r).map((o) => o.reservation as IDataObject);
		expect(a).toMatchObject({ outcome: 'invalid', invalidOrder: true, orderNumber: negative.number });
		expect(a.reason).toBe(
			`Zamówienie ${negative.number} odrzucone, nieprawidłowe dane: pozycja 3 (ŁÓD-001): nieprawidłowa wartość pola „ilość” (lines[0].quantity): -1`,
		);
		expect(a.reasonEn).toMatch(
			/^Order B2B\/2026\/000007 rejected, invalid data: line 3 \(ŁÓD-001\): field "lines\[0\]\.quantity" /,
		);
		expect(b).toMatchObject({ outcome: 'invalid', orderNumber: noClient.number });
		expect(b.reason).toBe(
			`Zamówienie ${noClient.number} odrzucone, nieprawidłowe dane: brak pola „kod klienta” (clientCode)`,
		);
		expect(c).toMatchObject({ outcome: 'held', orderNumber: at22.number });
	});

	it('an order without a number stays an error (the portal could not be told); with Continue On Fail the others go on', async () => {
		seedStock(stock('ŁÓD-001', 'MAG', '10'), stock('WIO-003', 'MAG', '10'));
		const good = sim.seedOrder(makeOrder(6));
		const bad = { ...makeOrder(7), number: '' };
		const r = await runPortal(sim, reserve, { items: items([{ order: bad }, { order: good }]), continueOnFail: true });
		const out = json(r);
		expect(String(out[0].error)).toMatch(/field "number" is missing/);
		expect(out[1].reservation).toMatchObject({ outcome: 'held' });
		expect(r.output?.[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('retries a 503 and holds once; the API key appears in no output or error', async () => {
		seedStock(stock('ŁÓD-001', 'MAG', '10'), stock('WIO-003', 'MAG', '10'));
		const order = sim.seedOrder(makeOrder(8));
		sim.faults.add({ method: 'POST', path: '/v1/stock/reservations', kind: 'status', status: 503, times: 1 });
		const r = await runPortal(sim, reserve, { items: items([{ order }]) });
		expect(json(r)[0].reservation).toMatchObject({ outcome: 'held' });
		expect(sim.requests.filter((q) => q.path === '/v1/stock/reservations')).toHaveLength(2);
		expect(sim.state.reservations.available('ŁÓD-001')).toBe('8');
		const wrongKey = await runPortal(sim, reserve, { items: items([{ order }]), apiKey: 'zly-KLUCZ-77a1' });
		expect(
			JSON.stringify({
				out: r.output,
				err: wrongKey.error?.message,
				desc: (wrongKey.error as { description?: string })?.description,
			}),
		).not.toMatch(/node-portal-KEY-rez|zly-KLUCZ/);
	});
});

describe('B2B Portal › Stock › Reserve for Order › Hold For (Minutes)', () => {
	const t0 = Date.parse('2026-03-02T10:00:00.000Z');

	it('sends the option as holdSeconds (default 60 minutes) and outputs expiresAt by the portal clock', async () => {
		sim.state.clock.freeze(t0);
		seedStock(stock('ŁÓD-001', 'MAG', '10'), stock('WIO-003', 'MAG', '10'));
		const a = sim.seedOrder(makeOrder(11));
		const b = sim.seedOrder(makeOrder(12));
		const byDefault = json(await runPortal(sim, reserve, { items: items([{ order: a }]) }))[0].reservation;
		expect(byDefault).toMatchObject({ outcome: 'held', status: 'held', expiresAt: '2026-03-02T11:00:00.000Z' });
		const quarter = await runPortal(
			sim,
			{ ...reserve, options: { ...FAST_RETRY, holdMinutes: 15 } },
			{ items: items([{ order: b }]) },
		);
		expect(quarter.error).toBeUndefined();
		expect(json(quarter)[0].reservation).toMatchObject({ outcome: 'held', expiresAt: '2026-03-02T10:15:00.000Z' });
		expect(sim.state.reservations.reservations.get(b.number)).toMatchObject({
			createdAt: '2026-03-02T10:00:00.000Z',
			expiresAt: '2026-03-02T10:15:00.000Z',
		});
	});

	it('when the hold has expired the stock is free for another order; the same order reserving again is checked afresh (short now)', async () => {
		sim.state.clock.freeze(t0);
		seedStock(stock('ŁÓD-001', 'MAG', '2'), stock('WIO-003', 'MAG', '1'));
		const dead = sim.seedOrder(makeOrder(13)); // its run died before the ERP create
		const other = sim.seedOrder(makeOrder(14));
		const opts = { ...reserve, options: { ...FAST_RETRY, holdMinutes: 5 } };
		await runPortal(sim, opts, { items: items([{ order: dead }]) });
		expect(json(await runPortal(sim, opts, { items: items([{ order: other }]) }))[0].reservation).toMatchObject({
			outcome: 'insufficient',
		});
		sim.state.clock.advance(5 * 60_000);
		expect(json(await runPortal(sim, opts, { items: items([{ order: other }]) }))[0].reservation).toMatchObject({
			outcome: 'held',
			expiresAt: '2026-03-02T10:10:00.000Z',
		});
		expect(json(await runPortal(sim, opts, { items: items([{ order: dead }]) }))[0].reservation).toMatchObject({
			outcome: 'insufficient',
		});
	});

	it('a confirmed order outputs no expiresAt; a hold outside 1–10080 minutes is an error naming the option', async () => {
		seedStock(stock('ŁÓD-001', 'MAG', '10'), stock('WIO-003', 'MAG', '10'));
		const order = sim.seedOrder(makeOrder(15));
		await runPortal(sim, reserve, { items: items([{ order }]) });
		sim.state.reservations.confirm(order.number);
		const confirmed = json(await runPortal(sim, reserve, { items: items([{ order }]) }))[0].reservation as IDataObject;
		expect(confirmed).toMatchObject({ outcome: 'held', status: 'confirmed' });
		expect(confirmed).not.toHaveProperty('expiresAt');
		for (const holdMinutes of [0, 10081, 2.5]) {
			const r = await runPortal(
				sim,
				{ ...reserve, options: { ...FAST_RETRY, holdMinutes } },
				{ items: items([{ order }]) },
			);
			expect(r.error?.message).toContain('Hold For (Minutes) must be a whole number from 1 to 10080');
		}
	});
});

describe('B2B Portal › Stock › Release Reservation', () => {
	it('releases a hold now; releasing again says nothing was held', async () => {
		seedStock(stock('ŁÓD-001', 'MAG', '2'), stock('WIO-003', 'MAG', '1'));
		const order = sim.seedOrder(makeOrder(9));
		await runPortal(sim, reserve, { items: items([{ order }]) });
		expect(sim.state.reservations.available('ŁÓD-001')).toBe('0');
		const release = {
			resource: 'stock',
			operation: 'release',
			orderNumber: '={{ $json.number }}',
			options: FAST_RETRY,
		};
		const r = await runPortal(sim, release, { items: items([{ number: order.number }, { number: order.number }]) });
		expect(json(r)).toEqual([
			{ orderNumber: order.number, released: true },
			{ orderNumber: order.number, released: false },
		]);
		expect(sim.state.reservations.available('ŁÓD-001')).toBe('2');
	});
});
