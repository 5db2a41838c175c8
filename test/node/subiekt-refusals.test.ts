/**
 * What Subiekt GT answers when it does not create a ZK, classified (nodes/SubiektGt/refusals.ts), through n8n-core
 * against the Sfera bridge simulator: the bridge's 422 `rejected` (unknown client, blocked client, unknown product)
 * and a 400 are final — the order templates reject the order at once with Subiekt's message; a locked Subiekt
 * (503), opaque COM errors (502), no answer and a 409 conflict are temporary — released and tried again, a bounded
 * number of times. The refusal travels in the error item's `details.refusal` (Continue On Fail).
 */
import type { IDataObject } from 'n8n-workflow';
import { SubiektGt } from '../../nodes/SubiektGt/SubiektGt.node';
import { SubiektBridgeApi } from '../../credentials/SubiektBridgeApi.credentials';
import { runNode } from '../harness/n8n-core-harness';
import { startBridgeSimulator, type BridgeSimulator } from '../simulators/subiekt-bridge/server';
import { makeOrder } from '../fixtures/polish';

let sim: BridgeSimulator;
beforeEach(async () => {
	sim = await startBridgeSimulator();
	sim.state.clients.set('K-ŚWIĘTOKRZYSKA', {
		symbol: 'K-ŚWIĘTOKRZYSKA',
		name: 'Hurtownia Świętokrzyska',
		blocked: false,
	});
	sim.state.clients.set('K-ZABLOKOWANY-Ń', { symbol: 'K-ZABLOKOWANY-Ń', name: 'Dłużnik Ńowak', blocked: true });
	sim.state.products.set('ŁÓD-001', { symbol: 'ŁÓD-001', name: 'Łódka żółta', stock: 20, reserved: 0 });
	sim.state.products.set('WIO-003', { symbol: 'WIO-003', name: 'Wiosło', stock: 20, reserved: 0 });
});
afterEach(async () => sim.close());

const FAST = { maxRetries: 2, retryBaseDelayMs: 5, retryMaxDelayMs: 20, timeoutSeconds: 5 };
const run = (orders: object[]) =>
	runNode({
		nodeType: new SubiektGt(),
		parameters: {
			resource: 'order',
			operation: 'create',
			orderField: 'order',
			warehouse: 'MAG',
			reserve: true,
			options: FAST,
		} as never,
		inputItems: orders.map((order) => ({ json: { order } as never })),
		credentials: { subiektBridgeApi: { type: new SubiektBridgeApi(), data: { baseUrl: sim.url, apiKey: sim.apiKey } } },
		continueOnFail: true,
	});
const refusalOf = (json: IDataObject) => (json.details as IDataObject | undefined)?.refusal as IDataObject | undefined;

describe('Subiekt GT Create › refusals no retry can change are final, with the bridge message naming the card', () => {
	it('unknown client, blocked client, unknown product → final; the good order in the same run is created', async () => {
		const r = await run([
			makeOrder(301, { clientCode: 'K-ŹDŹBŁO-404' }),
			makeOrder(302, { clientCode: 'K-ZABLOKOWANY-Ń' }),
			makeOrder(303, { lines: [{ lineNo: 1, productCode: 'ŻÓŁW-999', quantity: '1', unitPrice: '1', vatRate: '23' }] }),
			makeOrder(304),
		]);
		const out = r.output![0].map((o) => o.json);
		expect(out.map(refusalOf).slice(0, 3)).toEqual([
			expect.objectContaining({
				final: true,
				code: 'rejected',
				httpStatus: 422,
				message: 'Nie znaleziono kontrahenta o symbolu K-ŹDŹBŁO-404',
				reason: 'Subiekt GT odrzucił zamówienie: Nie znaleziono kontrahenta o symbolu K-ŹDŹBŁO-404',
				reasonEn: 'Subiekt GT refused the order: Nie znaleziono kontrahenta o symbolu K-ŹDŹBŁO-404',
				rule: expect.stringContaining('Subiekt GT code rejected'),
			}),
			expect.objectContaining({
				final: true,
				reason: 'Subiekt GT odrzucił zamówienie: Kontrahent K-ZABLOKOWANY-Ń jest zablokowany',
			}),
			expect.objectContaining({
				final: true,
				reason: 'Subiekt GT odrzucił zamówienie: Nie znaleziono towaru o symbolu ŻÓŁW-999',
			}),
		]);
		expect(String(out[0].error)).toContain('B2B/2026/000301');
		expect(out[3]).toMatchObject({ orderNumber: 'B2B/2026/000304', action: 'created' });
		expect([...sim.state.documents.values()].map((d) => d.originalNumber)).toEqual(['B2B/2026/000304']);
		// a final refusal is never posted again within the run
		expect(sim.requests.filter((q) => q.method === 'POST').map((q) => q.status)).toEqual([422, 422, 422, 201]);
	});

	it('an order the node itself cannot send (5 decimal places) is final too: its data cannot pass', async () => {
		const bad = makeOrder(305);
		bad.lines[0].unitPrice = '1.23456';
		const [item] = (await run([bad])).output![0];
		expect(refusalOf(item.json)).toMatchObject({
			final: true,
			rule: expect.stringContaining('refused before it was sent'),
		});
		expect(sim.requests).toEqual([]);
	});
});

describe('Subiekt GT Create › refusals that may pass later are temporary (released, tried again, bounded)', () => {
	it.each([
		[
			'Subiekt locked (503, Retry-After longer than the policy)',
			() => sim.faults.add({ method: 'POST', path: '/v1/zk', kind: 'status', status: 503, retryAfter: '3600' }),
			{ httpStatus: 503, code: 'sfera_unavailable' },
		],
		[
			'an opaque COM error on every try (502)',
			() => sim.comError({ times: 3 }),
			{ httpStatus: 502, code: 'com_error' },
		],
		[
			'no answer (the connection dropped)',
			() => sim.faults.add({ method: 'POST', path: '/v1/zk', kind: 'drop', times: 3 }),
			{ rule: expect.stringContaining('no answer') },
		],
		[
			'a ZK with this number and other lines (409, typed in Subiekt by hand)',
			() =>
				sim.state.documents.set(9001, {
					id: 9001,
					type: 'ZK',
					number: 'ZK 900/11/2026',
					originalNumber: 'B2B/2026/000306',
					clientSymbol: 'K-ŚWIĘTOKRZYSKA',
					warehouseSymbol: 'MAG',
					reserve: false,
					priceType: 'net',
					currency: 'PLN',
					lines: [{ symbol: 'ŁÓD-001', quantity: '9', unitPrice: '1.00', vatRate: '23' }],
					status: 'open',
					totals: { net: '9.00', vat: '2.07', gross: '11.07' },
				}),
			{ httpStatus: 409, code: 'conflict' },
		],
	])('%s', async (_what, inject, expected) => {
		inject();
		const [item] = (await run([makeOrder(306)])).output![0];
		const refusal = refusalOf(item.json);
		expect(refusal).toMatchObject({ final: false, ...expected });
		expect(refusal!.reason).toMatch(/^Subiekt GT nie przyjął zamówienia \(błąd przejściowy\): /);
		expect(refusal!.reasonEn).toMatch(/^Subiekt GT did not take the order \(temporary\): /);
		expect([...sim.state.documents.values()].filter((d) => d.id !== 9001)).toEqual([]);
		expect(JSON.stringify(item.json)).not.toContain(sim.apiKey);
	});

	it('an unknown bridge code defaults to temporary (retried, then rejected), never to final', async () => {
		sim.faults.add({ method: 'POST', path: '/v1/zk', kind: 'status', status: 418 });
		const [item] = (await run([makeOrder(307)])).output![0];
		expect(refusalOf(item.json)).toMatchObject({ final: false, httpStatus: 418 });
	});
});
