/** The Subiekt GT node's order operations through n8n-core against the Sfera bridge simulator. */
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
	sim.state.products.set('ŁÓD-001', { symbol: 'ŁÓD-001', name: 'Łódka żółta', stock: 20, reserved: 0 });
	sim.state.products.set('WIO-003', { symbol: 'WIO-003', name: 'Wiosło', stock: 20, reserved: 0 });
});
afterEach(async () => sim.close());

const FAST = { maxRetries: 3, retryBaseDelayMs: 5, retryMaxDelayMs: 20, timeoutSeconds: 5 };
const run = (parameters: Record<string, unknown>, items: object[]) =>
	runNode({
		nodeType: new SubiektGt(),
		parameters: { resource: 'order', ...parameters, options: FAST } as never,
		inputItems: items.map((json) => ({ json: json as never })),
		credentials: { subiektBridgeApi: { type: new SubiektBridgeApi(), data: { baseUrl: sim.url, apiKey: sim.apiKey } } },
	});
const create = { operation: 'create', orderField: 'order', warehouse: 'MAG', reserve: true };

describe('Subiekt GT › orders through the Sfera bridge', () => {
	it('creates one ZK per portal order, even when run twice', async () => {
		const order = makeOrder(123);
		const first = await run(create, [{ order }]);
		expect(first.error).toBeUndefined();
		expect(first.output![0][0].json).toMatchObject({
			orderNumber: 'B2B/2026/000123',
			action: 'created',
			erpDocumentNumber: expect.stringMatching(/^ZK /),
			totals: { net: '304.98', vat: '59.80', gross: '364.78' },
		});
		const again = await run(create, [{ order }]);
		expect(again.output![0][0].json).toMatchObject({ action: 'existing' });
		expect(sim.state.documents.size).toBe(1);
		expect(sim.state.products.get('ŁÓD-001')!.reserved).toBe(2);
	});

	it.each([
		['before saving', false],
		['after saving', true],
	])('survives the opaque COM error %s with exactly one ZK', async (_when, afterSave) => {
		sim.comError({ afterSave });
		const r = await run(create, [{ order: makeOrder(124) }]);
		expect(r.error).toBeUndefined();
		expect(r.output![0][0].json).toMatchObject({ orderNumber: 'B2B/2026/000124', action: 'created' });
		expect([...sim.state.documents.values()].filter((d) => d.originalNumber === 'B2B/2026/000124')).toHaveLength(1);
	});

	it('Subiekt locked (503 + Retry-After): waits, looks, creates once; a Retry-After beyond the limit ends the item', async () => {
		sim.faults.add({ method: 'POST', path: '/v1/zk', kind: 'status', status: 503, retryAfter: '0' });
		const ok = await run(create, [{ order: makeOrder(128) }]);
		expect(ok.error).toBeUndefined();
		expect(sim.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 503', 'GET 200', 'POST 201']);

		sim.requests.length = 0;
		// an hour is longer than the policy's 5-minute ceiling: no lookup, no second post, the item fails at once
		sim.faults.add({ method: 'POST', path: '/v1/zk', kind: 'status', status: 503, retryAfter: '3600' });
		const locked = await run(create, [{ order: makeOrder(129) }]);
		expect(locked.error?.message).toMatch(/Creating the Subiekt ZK for B2B\/2026\/000129 failed: HTTP 503/);
		expect(sim.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 503']);
		expect([...sim.state.documents.values()].map((d) => d.originalNumber)).toEqual(['B2B/2026/000128']);
	});

	it("reports a refusal with Subiekt's reason on the item", async () => {
		const r = await run(create, [
			{
				order: makeOrder(125, {
					lines: [{ lineNo: 1, productCode: 'NIE-MA', quantity: '1', unitPrice: '1', vatRate: '23' }],
				}),
			},
		]);
		expect(r.error?.message).toMatch(
			/Creating the Subiekt ZK for B2B\/2026\/000125 failed: HTTP 422 – Nie znaleziono towaru o symbolu NIE-MA/,
		);
	});

	it('follows the ZK to its invoice and downloads the PDF', async () => {
		const order = makeOrder(126);
		const created = (await run(create, [{ order }])).output![0][0].json;
		const status = { operation: 'getStatus', orderNumber: order.number };
		expect((await run(status, [{}])).output![0][0].json).toMatchObject({
			status: 'confirmed',
			erpDocumentNumber: created.erpDocumentNumber,
		});
		sim.invoiceZk(Number(created.documentId));
		expect((await run(status, [{}])).output![0][0].json).toMatchObject({
			status: 'invoiced',
			invoiceNumber: expect.stringMatching(/^FS /),
		});
		const pdf = await run({ operation: 'downloadInvoicePdf', orderNumber: order.number, binaryPropertyName: 'data' }, [
			{},
		]);
		const bin = pdf.output![0][0].binary!.data;
		expect(Buffer.from(bin.data, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(bin.fileName).toMatch(/^FV_FS_\d+_11_2026\.pdf$/);
		// the invoice's own printout (by the FS id, not the ZK's) and the data the portal's invoice upload needs
		const fs = sim.state.documents.get(Number(created.documentId))!.invoice!;
		expect(sim.requests.filter((r) => r.path.endsWith('/pdf')).at(-1)!.path).toBe(`/v1/documents/${fs.id}/pdf`);
		expect(Buffer.from(bin.data, 'base64').toString('latin1')).toContain(fs.number);
		expect(pdf.output![0][0].json).toMatchObject({
			number: fs.number,
			orderNumber: order.number,
			clientCode: order.clientCode,
			issueDate: fs.issueDate,
			currency: 'PLN',
			totals: created.totals,
		});
	});

	it('a ZK cancelled in Subiekt is reported as cancelled with a reason (not as "not in the ERP")', async () => {
		const order = makeOrder(127);
		const created = (await run(create, [{ order }])).output![0][0].json;
		sim.cancelZk(Number(created.documentId));
		expect((await run({ operation: 'getStatus', orderNumber: order.number }, [{}])).output![0][0].json).toMatchObject({
			orderNumber: order.number,
			status: 'cancelled',
			erpDocumentNumber: created.erpDocumentNumber,
			reason: `Zamówienie anulowane w Subiekcie (${String(created.erpDocumentNumber)})`,
		});
	});

	it('keeps a portal unit price of up to 4 places exactly (no silent rounding to the grosz); refuses 5', async () => {
		const order = makeOrder(130);
		order.lines[0].unitPrice = '12.3456';
		const r = await run(create, [{ order }]);
		expect(r.error).toBeUndefined();
		const zk = [...sim.state.documents.values()].find((d) => d.originalNumber === 'B2B/2026/000130')!;
		expect(zk.lines[0].unitPrice).toBe('12.3456');
		expect(zk.lines[1].unitPrice).toBe(order.lines[1].unitPrice);

		const bad = makeOrder(131);
		bad.lines[0].unitPrice = '12.34567';
		const r2 = await run(create, [{ order: bad }]);
		expect(r2.error?.message).toMatch(/order "B2B\/2026\/000131": lines\[0\]\.unitPrice has more than 4 decimal places \(12\.34567\)/);
		expect([...sim.state.documents.values()].some((d) => d.originalNumber === 'B2B/2026/000131')).toBe(false);
	});
});
