/** The Comarch ERP Optima node's bridge operations through n8n-core against the Optima bridge simulator. */
import { OptimaBridgeApi } from '../../credentials/OptimaBridgeApi.credentials';
import { Optima } from '../../nodes/Optima/Optima.node';
import { runNode, type RunNodeResult } from '../harness/n8n-core-harness';
import { MemoryRoStore } from '../simulators/optima-bridge/store';
import { startOptimaBridgeSimulator, type OptimaBridgeSimulator } from '../simulators/optima-bridge/server';
import { makeOrder } from '../fixtures/polish';

let sim: OptimaBridgeSimulator;
let store: MemoryRoStore;
beforeEach(async () => {
	store = new MemoryRoStore();
	sim = await startOptimaBridgeSimulator({ store });
});
afterEach(async () => sim.close());

const FAST = { maxRetries: 3, retryBaseDelayMs: 5, retryMaxDelayMs: 20, timeoutSeconds: 5 };
const run = (
	parameters: Record<string, unknown>,
	items: object[],
	opts: { apiKey?: string; continueOnFail?: boolean } = {},
): Promise<RunNodeResult> =>
	runNode({
		nodeType: new Optima(),
		parameters: { options: FAST, ...parameters } as never,
		inputItems: items.map((json) => ({ json: json as never })),
		continueOnFail: opts.continueOnFail,
		credentials: {
			optimaBridgeApi: { type: new OptimaBridgeApi(), data: { baseUrl: sim.url, apiKey: opts.apiKey ?? sim.apiKey } },
		},
	});
const create = { resource: 'order', operation: 'create', orderField: 'order', warehouse: 'MAGAZYN', buffer: true };
const rosOf = (n: number) => store.findByForeignNumber(`B2B/2026/${String(n).padStart(6, '0')}`);
const trail = () => sim.requests.map((r) => `${r.method} ${r.status}`);
/** everything the run gave back, as text: the error's message, description and fields, and the output */
const allText = (r: RunNodeResult) =>
	JSON.stringify({ error: r.error, message: r.error?.message, ...r.error, output: r.output });

describe('Comarch ERP Optima › RO through the bridge', () => {
	it('creates one RO per portal order, in the buffer, with the Polish text intact; run again → existing', async () => {
		const order = makeOrder(201);
		const first = await run(create, [{ order }]);
		expect(first.error).toBeUndefined();
		expect(first.output![0][0].json).toEqual({
			orderNumber: 'B2B/2026/000201',
			action: 'created',
			documentId: 1,
			erpDocumentNumber: `RO/1/${new Date().getUTCFullYear()}`,
			erpDocumentId: '1',
			buffer: true,
		});
		const [ro] = rosOf(201);
		expect(ro).toMatchObject({
			clientCode: 'K-ŚWIĘTOKRZYSKA',
			warehouseSymbol: 'MAGAZYN',
			buffer: true,
			notes: 'Proszę o dostawę przed świętami — zażółć gęślą jaźń',
			lines: [
				{ productCode: 'ŁÓD-001', quantity: '2', unitPrice: '129.99' },
				{ productCode: 'WIO-003', quantity: '1', unitPrice: '45.00' },
			],
		});
		const again = await run({ ...create, buffer: false }, [{ order }]);
		expect(again.output![0][0].json).toMatchObject({ action: 'existing', documentId: 1 });
		expect(rosOf(201)).toHaveLength(1);
	});

	it('a lost answer (the RO saved, the connection gone): looks it up, exactly one RO', async () => {
		sim.faults.add({ method: 'POST', path: '/v1/ro', kind: 'drop', afterWrite: true });
		const r = await run(create, [{ order: makeOrder(202) }]);
		expect(r.error).toBeUndefined();
		expect(r.output![0][0].json).toMatchObject({ orderNumber: 'B2B/2026/000202', action: 'created' });
		expect(trail()).toEqual(['POST 0', 'GET 200']);
		expect(rosOf(202)).toHaveLength(1);
	});

	it('an opaque COM error AFTER the save: looks it up, exactly one RO', async () => {
		sim.comError({ afterSave: true });
		const r = await run(create, [{ order: makeOrder(203) }]);
		expect(r.error).toBeUndefined();
		expect(r.output![0][0].json).toMatchObject({ action: 'created' });
		expect(trail()).toEqual(['POST 502', 'GET 200']);
		expect(rosOf(203)).toHaveLength(1);
	});

	it('an opaque COM error BEFORE the save: looks, finds none, posts again and creates it', async () => {
		sim.comError();
		const r = await run(create, [{ order: makeOrder(204) }]);
		expect(r.error).toBeUndefined();
		expect(r.output![0][0].json).toMatchObject({ action: 'created' });
		expect(trail()).toEqual(['POST 502', 'GET 200', 'POST 201']);
		expect(rosOf(204)).toHaveLength(1);
	});

	it('Optima locked by another operator (503 optima_locked): waits, looks, creates once', async () => {
		sim.lock({ operator: 'KSIĘGOWA', retryAfter: '0' });
		const r = await run(create, [{ order: makeOrder(205) }]);
		expect(r.error).toBeUndefined();
		expect(trail()).toEqual(['POST 503', 'GET 200', 'POST 201']);
		expect(rosOf(205)).toHaveLength(1);
	});

	it("a 422: an error item with a final refusal naming Optima's reason; the other items go on, every item paired", async () => {
		const bad = makeOrder(206, {
			lines: [{ lineNo: 1, productCode: 'ĆMA-009', quantity: '1', unitPrice: '9.99', vatRate: '23' }],
		});
		const r = await run(create, [{ order: makeOrder(207) }, { order: bad }, { order: makeOrder(208) }], {
			continueOnFail: true,
		});
		const out = r.output![0];
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json).toMatchObject({ action: 'created' });
		expect(out[2].json).toMatchObject({ action: 'created' });
		expect(out[1].json.error).toMatch(/Creating the Optima RO for B2B\/2026\/000206 failed: HTTP 422/);
		expect((out[1].json.details as { refusal: object }).refusal).toMatchObject({
			final: true,
			code: 'rejected',
			httpStatus: 422,
			message: 'Pozycja 1: towar ĆMA-009 jest nieaktywny',
			reason: 'Optima odrzucił zamówienie: Pozycja 1: towar ĆMA-009 jest nieaktywny',
		});
		expect(rosOf(206)).toHaveLength(0);
		expect(trail().filter((t) => t.startsWith('POST'))).toEqual(['POST 201', 'POST 422', 'POST 201']);
	});

	it('a gross or foreign-currency order is refused before anything is sent (final)', async () => {
		const r = await run(create, [{ order: makeOrder(209, { priceType: 'gross', currency: 'EUR' }) }], {
			continueOnFail: true,
		});
		const item = r.output![0][0].json;
		expect(item.error).toMatch(/gross prices \(the bridge takes net prices\) and currency EUR/);
		expect((item.details as { refusal: { final: boolean } }).refusal.final).toBe(true);
		expect(sim.requests).toEqual([]);
	});

	it("sends the line's price after its discount as CenaT", async () => {
		const order = makeOrder(210);
		order.lines[0].discountPercent = '12.5';
		expect((await run(create, [{ order }])).error).toBeUndefined();
		expect(rosOf(210)[0].lines[0]).toEqual({ productCode: 'ŁÓD-001', quantity: '2', unitPrice: '113.7413' });
	});

	it('a wrong key: a clear error, the key in no output; a key a header cannot carry is refused naming the field', async () => {
		const wrong = await run(create, [{ order: makeOrder(211) }], { apiKey: 'wrong-key-7731' });
		expect(wrong.error?.message).toMatch(/HTTP 401/);
		expect(allText(wrong)).toMatch(/The credential was refused/);
		expect(allText(wrong)).not.toContain('7731');
		expect(store.ros.size).toBe(0);

		sim.requests.length = 0;
		const polish = await run(create, [{ order: makeOrder(212) }], { apiKey: 'klucz-żółty-7731' });
		expect(polish.error?.message).toMatch(/API Key contains a letter or sign outside ASCII/);
		expect(allText(polish)).not.toContain('7731');
		expect(sim.requests).toEqual([]);
	});
});

describe('Comarch ERP Optima › invoice PDF through the bridge', () => {
	const pdf = { resource: 'invoice', operation: 'downloadPdf', binaryPropertyName: 'faktura' };

	it('downloads the PDF as binary data, keeping the item and naming the file by its number', async () => {
		await run(create, [{ order: makeOrder(220) }]);
		const fs = store.invoiceRo(rosOf(220)[0].id);
		const invoice = { number: fs.fullNumber, clientCode: 'K-ŚWIĘTOKRZYSKA', invoiceId: fs.id };
		const r = await run({ ...pdf, invoiceId: '={{ $json.invoiceId }}' }, [invoice]);
		expect(r.error).toBeUndefined();
		const out = r.output![0][0];
		expect(out.pairedItem).toEqual({ item: 0 });
		expect(out.json).toEqual({ ...invoice, invoiceId: String(fs.id) });
		const bin = out.binary!.faktura;
		expect(bin.mimeType).toBe('application/pdf');
		expect(bin.fileName).toBe(`FV_FS_${fs.id - 5000}_${new Date().getUTCFullYear()}.pdf`);
		const bytes = Buffer.from(bin.data, 'base64');
		expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(bytes.toString('utf8')).toContain('Hurtownia Świętokrzyska Sp. z o.o.');
	});

	it.each([
		['7/../../health', '/v1/invoices/7%2F..%2F..%2Fhealth/pdf'],
		['7?x=ż', '/v1/invoices/7%3Fx%3D%C5%BC/pdf'],
	])('an invoice id %j stays one path segment (percent-encoded): 404, never another endpoint', async (id, sent) => {
		const r = await run({ ...pdf, invoiceId: id }, [{}], { continueOnFail: true });
		expect(sim.requests.map((q) => q.url)).toEqual([sent]);
		expect(r.output![0][0]).toMatchObject({ pairedItem: { item: 0 } });
		expect(r.output![0][0].json.error).toMatch(/HTTP 404/);
	});
});
