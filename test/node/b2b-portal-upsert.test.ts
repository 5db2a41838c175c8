/**
 * The B2B Portal node run through n8n-core's WorkflowExecute against the portal simulator (real HTTP on
 * 127.0.0.1, requests validated against docs/portal-api.yaml).
 */
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { makeProducts, smokeProducts } from '../fixtures/polish';
import { FAST_RETRY, items, json, runPortal, writes } from './portal-helpers';

let sim: PortalSimulator;
beforeAll(async () => {
	sim = await startPortalSimulator();
});
afterAll(async () => sim.close());
beforeEach(() => sim.reset());
afterEach(() => expect(sim.contractViolations).toEqual([]));

const upsertProducts = { resource: 'product', operation: 'upsert', source: 'items', options: { ...FAST_RETRY } };

describe('B2B Portal › products › create or update', () => {
	it('writes products with every Polish letter intact, one output per record, paired with its item', async () => {
		const r = await runPortal(sim, upsertProducts, { items: items(smokeProducts) });
		expect(r.error).toBeUndefined();
		expect(json(r)).toEqual(smokeProducts.map((p) => ({ entity: 'product', key: p.code, action: 'created' })));
		expect(r.output?.[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect([...sim.state.products.values()]).toEqual(smokeProducts);
		expect(Buffer.from(sim.state.products.get('ŁÓD-001')!.name, 'utf8').toString('hex')).toBe(Buffer.from('Łódka żółta ĄĘŚ', 'utf8').toString('hex'));

		const again = await runPortal(sim, upsertProducts, { items: items(smokeProducts) });
		expect(json(again).map((j) => j.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
	});

	it('sends bearer tokens when the credential says so', async () => {
		const r = await runPortal(sim, upsertProducts, { items: items(smokeProducts.slice(0, 1)), authType: 'bearer' });
		expect(r.error).toBeUndefined();
		expect(sim.state.products.size).toBe(1);
	});

	it('splits 1,201 records into batches of 500 and reports a summary when asked', async () => {
		const products = makeProducts(1201);
		const r = await runPortal(sim, {
			resource: 'product',
			operation: 'upsert',
			source: 'json',
			records: JSON.stringify(products),
			options: { ...FAST_RETRY, output: 'summary' },
		});
		expect(r.error).toBeUndefined();
		expect(writes(sim, '/v1/products/batch').map((w) => w.itemCount)).toEqual([500, 500, 201]);
		expect(json(r)).toEqual([expect.objectContaining({ entity: 'product', received: 1201, created: 1201, updated: 0, unchanged: 0, failed: 0, batches: 3 })]);
		expect(sim.state.products.get('TW-001201')?.name).toBe(products[1200].name);
	});

	it('skips empty items (an ERP read that found nothing, with Always Output Data): no request, summary of 0', async () => {
		const mixed = await runPortal(sim, upsertProducts, { items: items([{}, smokeProducts[0], {}]) });
		expect(mixed.error).toBeUndefined();
		expect(json(mixed)).toEqual([{ entity: 'product', key: smokeProducts[0].code, action: 'created' }]);
		sim.reset();
		const none = await runPortal(sim, { ...upsertProducts, options: { ...FAST_RETRY, output: 'summary' } }, { items: items([{}]) });
		expect(none.error).toBeUndefined();
		expect(writes(sim, '/v1/products/batch')).toEqual([]);
		expect(json(none)).toEqual([expect.objectContaining({ entity: 'product', received: 0, failed: 0 })]);
	});

	it('honours a configured batch size', async () => {
		await runPortal(sim, { ...upsertProducts, options: { ...FAST_RETRY, batchSize: 2 } }, { items: items(smokeProducts) });
		expect(writes(sim, '/v1/products/batch').map((w) => w.itemCount)).toEqual([2, 1]);
	});

	describe('bad input: the error names the item and the field, and nothing is written', () => {
		it('missing ERP code', async () => {
			const bad = [smokeProducts[0], { name: 'Gęś bez kodu' }, smokeProducts[1]];
			const r = await runPortal(sim, upsertProducts, { items: items(bad) });
			expect(r.error?.message).toBe('Item 1: product (no code): field "code" is missing');
			expect((r.error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(1);
			expect(sim.requests).toEqual([]);
			expect(sim.state.products.size).toBe(0);
		});

		it('negative quantity', async () => {
			const r = await runPortal(sim, { resource: 'stock', operation: 'upsert', source: 'items', options: FAST_RETRY }, {
				items: items([
					{ productCode: 'ŁÓD-001', warehouseCode: 'MAG-ŁÓDŹ', onHand: '5', available: '5' },
					{ productCode: 'ŻAG-002', warehouseCode: 'MAG-ŁÓDŹ', onHand: '-1', available: '0' },
				]),
			});
			expect(r.error?.message).toBe('Item 1: stock "ŻAG-002": field "onHand" must not be negative, got -1');
			expect(sim.requests).toEqual([]);
		});

		it('malformed price', async () => {
			const r = await runPortal(sim, { resource: 'price', operation: 'upsert', source: 'items', options: FAST_RETRY }, {
				items: items([{ productCode: 'ŚRUBA-M8', scope: 'priceList', scopeCode: 'HURT', currency: 'PLN', net: '12,50' }]),
			});
			expect(r.error?.message).toBe('Item 0: price "ŚRUBA-M8": field "net" must be a decimal number like "12.50", got "12,50"');
			expect(sim.requests).toEqual([]);
		});

		it('the same ERP code twice', async () => {
			const r = await runPortal(sim, upsertProducts, { items: items([smokeProducts[0], { ...smokeProducts[0], name: 'Inna nazwa' }]) });
			expect(r.error?.message).toMatch(/product "ŁÓD-001" appears twice \(input items 0 and 1\)/);
			expect(sim.requests).toEqual([]);
		});

		it('with Continue On Fail: bad records become error items, good ones are written', async () => {
			const bad = [smokeProducts[0], { code: 'X-1', name: 'Zła stawka', vatRate: '22,5' }, smokeProducts[2]];
			const r = await runPortal(sim, upsertProducts, { items: items(bad), continueOnFail: true });
			const out = r.output?.[0] ?? [];
			expect(out.find((o) => o.json.error)?.json.error).toBe('Item 1: product "X-1": field "vatRate" must be a VAT rate (23, 8, 5, 0) or zw / np / oo, got "22,5"');
			expect(out.find((o) => o.json.error)?.pairedItem).toEqual({ item: 1 });
			expect([...sim.state.products.keys()]).toEqual(['ŁÓD-001', 'WIO-003']);
		});
	});

	describe('transport faults', () => {
		it('retries 503 and 429 (honouring Retry-After) and succeeds', async () => {
			sim.faults.add({ path: '/v1/products/batch', kind: 'status', status: 503, times: 1 });
			sim.faults.add({ path: '/v1/products/batch', kind: 'status', status: 429, retryAfter: '0', times: 1 });
			const r = await runPortal(sim, upsertProducts, { items: items(smokeProducts) });
			expect(r.error).toBeUndefined();
			expect(writes(sim, '/v1/products/batch').map((w) => w.status)).toEqual([503, 429, 200]);
			expect(sim.state.products.size).toBe(3);
		});

		it('survives a lost response after the write (no duplicates: keyed upsert)', async () => {
			sim.faults.add({ path: '/v1/products/batch', kind: 'drop', afterWrite: true, times: 1 });
			const r = await runPortal(sim, upsertProducts, { items: items(smokeProducts) });
			expect(r.error).toBeUndefined();
			expect(json(r).map((j) => j.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
			expect(sim.state.products.size).toBe(3);
		});

		it('retries a connection reset and a timeout', async () => {
			sim.faults.add({ path: '/v1/products/batch', kind: 'reset', times: 1 });
			sim.faults.add({ path: '/v1/products/batch', kind: 'slow', delayMs: 1500, times: 1 });
			const r = await runPortal(sim, { ...upsertProducts, options: { ...FAST_RETRY, timeoutSeconds: 1 } }, { items: items(smokeProducts) });
			expect(r.error).toBeUndefined();
			expect(sim.state.products.size).toBe(3);
		});

		it('fails fast on a wrong API key (one request) without leaking it', async () => {
			const r = await runPortal(sim, upsertProducts, { items: items(smokeProducts), apiKey: 'wrong-sekret-KLUCZ-123' });
			expect(r.error?.message).toMatch(/HTTP 401/);
			expect(writes(sim, '/v1/products/batch')).toHaveLength(1);
			const shown = JSON.stringify({ m: r.error?.message, d: (r.error as { description?: string }).description, o: r.output, run: r.runData });
			expect(shown).not.toContain('wrong-sekret-KLUCZ-123');
			expect(shown).not.toContain(sim.apiKey);
		});

		it('gives up after the configured retries and says which batches were written', async () => {
			const products = makeProducts(12);
			// batch 1 (5 records) goes through; every later request fails
			sim.faults.add({ path: '/v1/products/batch', kind: 'status', status: 502, skip: 1, times: 1000 });
			const r = await runPortal(sim, { ...upsertProducts, options: { ...FAST_RETRY, batchSize: 5 } }, { items: items(products) });
			expect(r.error?.message).toMatch(/Sending products 6–10 of 12 failed: HTTP 502/);
			expect((r.error as { description?: string }).description).toMatch(/Batch 1 of 3 was written; batch 2 and later were not/);
			expect((r.error as { description?: string }).description).toMatch(/Gave up after 4 tries/);
			expect(writes(sim, '/v1/products/batch').filter((w) => w.status === 502)).toHaveLength(4);
			expect(sim.state.products.size).toBe(5);
		});

		it('names the records a 422 from the portal points at', async () => {
			sim.faults.add({
				path: '/v1/products/batch',
				kind: 'status',
				status: 422,
				contentType: 'application/json',
				body: JSON.stringify({ error: { code: 'validation_failed', message: 'batch rejected', details: [{ index: 1, key: 'ŻAG-002', field: 'name', message: 'is reserved' }] } }),
			});
			const r = await runPortal(sim, upsertProducts, { items: items(smokeProducts) });
			expect(r.error?.message).toBe('Sending products 1–3 of 3 failed: HTTP 422 – item 1, product "ŻAG-002", field "name": is reserved');
			expect((r.error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(1);
			expect((r.error as { description?: string }).description).toMatch(/Nothing was written/);
			expect(writes(sim, '/v1/products/batch')).toHaveLength(1);
		});
	});
});
