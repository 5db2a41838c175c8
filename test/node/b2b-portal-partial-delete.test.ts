/**
 * B2B Portal › Product → Update (Partial), Client → Update (Partial) and Price → Delete, run through n8n-core against the portal simulator
 * (real HTTP, requests held to docs/portal-api.yaml). The inputs are what the templates feed them: the Sync
 * Guard's "Deleted" output (for products after a Set of active = false, for clients of blocked = true).
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import type { Client, Price } from '../../nodes/shared/model/types';
import { makeProducts, smokeProducts } from '../fixtures/polish';
import { keys, startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { FAST_RETRY, items, json, runPortal, writes } from './portal-helpers';

let sim: PortalSimulator;
beforeAll(async () => {
	sim = await startPortalSimulator();
});
afterAll(async () => sim.close());
beforeEach(() => {
	sim.reset();
	for (const p of smokeProducts) sim.state.products.set(p.code, structuredClone(p));
});
afterEach(() => expect(sim.contractViolations).toEqual([]));

const update = { resource: 'product', operation: 'update', source: 'items', options: { ...FAST_RETRY } };
const remove = { resource: 'price', operation: 'delete', source: 'items', options: { ...FAST_RETRY } };
/** the guard's "Deleted" item of a product after "Deleted in ERP → not active" */
const deactivated = (code: string) => ({ entity: 'product', code, deleted: true, active: false });
type IssueError = { message: string; description?: string; context?: { itemIndex?: number } };

describe('B2B Portal › product › update (partial)', () => {
	it('deactivates a product and keeps its name and every other field; one output per record, paired', async () => {
		const r = await runPortal(sim, update, { items: items([deactivated('ŁÓD-001'), deactivated('WIO-003')]) });
		expect(r.error).toBeUndefined();
		expect(json(r)).toEqual([
			{ entity: 'product', key: 'ŁÓD-001', action: 'updated' },
			{ entity: 'product', key: 'WIO-003', action: 'updated' },
		]);
		expect(r.output?.[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(writes(sim, '/v1/products/batch').map((w) => [w.method, w.itemCount])).toEqual([['PATCH', 2]]);
		expect(sim.state.products.get('ŁÓD-001')).toEqual({ ...smokeProducts[0], active: false });
		expect(sim.state.products.get('ŁÓD-001')?.name).toBe('Łódka żółta ĄĘŚ');
		expect(sim.state.products.get('ŻAG-002')).toEqual(smokeProducts[1]);

		const again = await runPortal(sim, update, { items: items([deactivated('ŁÓD-001')]) });
		expect(json(again)).toEqual([{ entity: 'product', key: 'ŁÓD-001', action: 'unchanged' }]);
	});

	it('sends only the fields given: no default (active, unit, VAT) fills the gaps', async () => {
		const r = await runPortal(sim, update, { items: items([{ code: 'ŻAG-002', name: 'Żagiel łódkowy' }]) });
		expect(r.error).toBeUndefined();
		expect(sim.state.products.get('ŻAG-002')).toEqual({ ...smokeProducts[1], name: 'Żagiel łódkowy' });
	});

	it('reads batch items like the upsert: 1,201 records in PATCH batches of 500', async () => {
		const products = makeProducts(1201);
		for (const p of products) sim.state.products.set(p.code, p);
		const batch: INodeExecutionData = {
			json: {
				entity: 'product',
				batch: 1,
				count: products.length,
				records: products.map((p) => ({ code: p.code, active: false })) as IDataObject[],
			},
		};
		const r = await runPortal(sim, { ...update, options: { ...FAST_RETRY, output: 'summary' } }, { items: [batch] });
		expect(r.error).toBeUndefined();
		expect(writes(sim, '/v1/products/batch').map((w) => w.itemCount)).toEqual([500, 500, 201]);
		expect(json(r)).toEqual([
			expect.objectContaining({
				entity: 'product',
				received: 1201,
				updated: 1201 - 93,
				unchanged: 93,
				notFound: 0,
				failed: 0,
			}),
		]);
		expect(products.filter((p) => sim.state.products.get(p.code)?.active !== false)).toEqual([]);
		expect(sim.state.products.get('TW-001201')?.name).toBe(products[1200].name);
	});

	it('a code the portal does not have fails its item by default, names it, creates nothing; the rest is written', async () => {
		const r = await runPortal(sim, update, { items: items([deactivated('ŁÓD-001'), deactivated('ŹDŹBŁO-404')]) });
		const error = r.error as unknown as IssueError;
		expect(error.message).toBe(
			'Item 1: product "ŹDŹBŁO-404" is not in the portal: nothing was changed for it (a partial update never creates a product)',
		);
		expect(error.context?.itemIndex).toBe(1);
		expect(error.description).toMatch(/The other records were written \(1 of 2\)/);
		expect(error.description).not.toMatch(/more missing/);
		expect(sim.state.products.has('ŹDŹBŁO-404')).toBe(false);
		expect(sim.state.products.get('ŁÓD-001')?.active).toBe(false);
	});

	it('several unknown codes: the error names the first, its description the others', async () => {
		const r = await runPortal(sim, update, {
			items: items([deactivated('ŹDŹBŁO-404'), deactivated('ŻAG-002'), deactivated('GĘŚ-405'), deactivated('ĆMA-406')]),
		});
		const error = r.error as unknown as IssueError;
		expect(error.message).toMatch(/^Item 0: product "ŹDŹBŁO-404" is not in the portal/);
		expect(error.context?.itemIndex).toBe(0);
		expect(error.description).toMatch(
			/^2 more missing from the portal: GĘŚ-405, ĆMA-406\.\nThe other records were written \(1 of 4\)/,
		);
	});

	it('with Continue On Fail: an error item paired with the unknown code, the others as usual', async () => {
		const r = await runPortal(sim, update, {
			items: items([deactivated('ŹDŹBŁO-404'), deactivated('ŻAG-002')]),
			continueOnFail: true,
		});
		expect(r.error).toBeUndefined();
		const out = r.output?.[0] ?? [];
		expect(out.map((o) => [o.json.error ?? o.json.action, o.pairedItem])).toEqual([
			[expect.stringMatching(/^Item 0: product "ŹDŹBŁO-404" is not in the portal/), { item: 0 }],
			['updated', { item: 1 }],
		]);
	});

	it('Code Not in Portal → Pass On: notFound in the output and in the summary, no error', async () => {
		const records = items([deactivated('ŹDŹBŁO-404'), deactivated('ŻAG-002')]);
		const r = await runPortal(sim, { ...update, options: { ...FAST_RETRY, notFound: 'output' } }, { items: records });
		expect(r.error).toBeUndefined();
		expect(json(r).map((j) => j.action)).toEqual(['notFound', 'updated']);
		sim.state.products.set('ŻAG-002', structuredClone(smokeProducts[1]));
		const summary = await runPortal(
			sim,
			{ ...update, options: { ...FAST_RETRY, notFound: 'output', output: 'summary' } },
			{ items: records },
		);
		expect(json(summary)).toEqual([
			expect.objectContaining({ received: 2, updated: 1, unchanged: 0, notFound: 1, failed: 0 }),
		]);
	});

	it('a record with nothing to change, or a bad field, stops the node before anything is sent', async () => {
		const nothing = await runPortal(sim, update, {
			items: items([{ entity: 'product', code: 'ŁÓD-001', deleted: true }]),
		});
		expect(nothing.error?.message).toBe(
			'Item 0: product "ŁÓD-001": field "(record)" has no field to change besides code (e.g. "active": false); nothing would be updated',
		);
		const bad = await runPortal(sim, update, {
			items: items([deactivated('ŁÓD-001'), { code: 'ŻAG-002', active: 'może' }]),
		});
		expect(bad.error?.message).toBe('Item 1: product "ŻAG-002": field "active" must be true or false, got "może"');
		expect((bad.error as unknown as IssueError).context?.itemIndex).toBe(1);
		expect(sim.requests).toEqual([]);
		expect(sim.state.products.get('ŁÓD-001')?.active).toBe(true);
	});
});

describe('B2B Portal › client › update (partial)', () => {
	const clientUpdate = { resource: 'client', operation: 'update', source: 'items', options: { ...FAST_RETRY } };
	const swietokrzyska: Client = {
		code: 'K-ŚWIĘTOKRZYSKA',
		name: 'Hurtownia Świętokrzyska Sp. z o.o.',
		taxId: '6570001122',
		priceGroup: 'HURT-ŚLĄSK',
		paymentTermsDays: 14,
		blocked: false,
		addresses: [{ type: 'billing', street: 'ul. Źródlana 5', postalCode: '25-001', city: 'Kielce', countryCode: 'PL' }],
	};
	const zolw: Client = { code: 'K-ŻÓŁW', name: 'Żółw Łódź', blocked: false, addresses: [] };
	/** the guard's "Deleted" item of a client after "Deleted in ERP → blocked" */
	const blocked = (code: string) => ({ entity: 'client', code, deleted: true, blocked: true });
	beforeEach(() => {
		for (const c of [swietokrzyska, zolw]) sim.state.clients.set(c.code, structuredClone(c));
	});

	it('blocks a client and keeps its name, tax ID and addresses; PATCH to the clients path, paired outputs', async () => {
		const r = await runPortal(sim, clientUpdate, { items: items([blocked('K-ŚWIĘTOKRZYSKA')]) });
		expect(r.error).toBeUndefined();
		expect(json(r)).toEqual([{ entity: 'client', key: 'K-ŚWIĘTOKRZYSKA', action: 'updated' }]);
		expect(r.output?.[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
		expect(writes(sim, '/v1/clients/batch').map((w) => [w.method, w.itemCount])).toEqual([['PATCH', 1]]);
		expect(sim.state.clients.get('K-ŚWIĘTOKRZYSKA')).toEqual({ ...swietokrzyska, blocked: true });
		expect(sim.state.clients.get('K-ŻÓŁW')).toEqual(zolw);
	});

	it('sends only the fields given: no default (blocked, addresses) fills the gaps', async () => {
		const ok = await runPortal(sim, clientUpdate, {
			items: items([{ code: 'K-ŚWIĘTOKRZYSKA', phone: '+48 41 555 01 02' }]),
		});
		expect(ok.error).toBeUndefined();
		expect(sim.state.clients.get('K-ŚWIĘTOKRZYSKA')).toEqual({ ...swietokrzyska, phone: '+48 41 555 01 02' });
	});

	it('a code the portal does not have fails its item by default, named as a client; Pass On counts it', async () => {
		const input = items([blocked('K-ŻÓŁW'), blocked('K-ŹRÓDŁO-404')]);
		const r = await runPortal(sim, clientUpdate, { items: input });
		const error = r.error as unknown as IssueError;
		expect(error.message).toBe(
			'Item 1: client "K-ŹRÓDŁO-404" is not in the portal: nothing was changed for it (a partial update never creates a client)',
		);
		expect(error.context?.itemIndex).toBe(1);
		expect(error.description).toMatch(/Client → Create or Update/);
		expect(sim.state.clients.has('K-ŹRÓDŁO-404')).toBe(false);
		expect(sim.state.clients.get('K-ŻÓŁW')?.blocked).toBe(true);

		sim.state.clients.set(zolw.code, structuredClone(zolw));
		const passed = await runPortal(
			sim,
			{ ...clientUpdate, options: { ...FAST_RETRY, notFound: 'output', output: 'summary' } },
			{ items: input },
		);
		expect(passed.error).toBeUndefined();
		expect(json(passed)).toEqual([
			expect.objectContaining({ entity: 'client', received: 2, updated: 1, unchanged: 0, notFound: 1, failed: 0 }),
		]);
	});

	it('a client with nothing to change stops the node before anything is sent, naming the field to send', async () => {
		const r = await runPortal(sim, clientUpdate, {
			items: items([{ entity: 'client', code: 'K-ŻÓŁW', deleted: true }]),
		});
		expect(r.error?.message).toBe(
			'Item 0: client "K-ŻÓŁW": field "(record)" has no field to change besides code (e.g. "blocked": true); nothing would be updated',
		);
		expect(sim.requests).toEqual([]);
	});
});

describe('B2B Portal › price › delete', () => {
	const listPrice: Price = {
		productCode: 'ŁÓD-001',
		scope: 'priceList',
		scopeCode: 'HURT-ŚLĄSK',
		currency: 'PLN',
		net: '129.99',
	};
	const fromTen: Price = { ...listPrice, minQuantity: '10', net: '119.99' };
	const forClient: Price = {
		...listPrice,
		scope: 'client',
		scopeCode: 'K-ŚWIĘTOKRZYSKA',
		validFrom: '2026-05-01',
		net: '99.50',
	};
	/** the guard's "Deleted" item of a price: its key fields, minQuantity always, validFrom when set */
	const deletedKey = (p: Price) => ({
		entity: 'price',
		productCode: p.productCode,
		scope: p.scope,
		scopeCode: p.scopeCode,
		currency: p.currency,
		minQuantity: p.minQuantity ?? '1',
		...(p.validFrom ? { validFrom: p.validFrom } : {}),
		deleted: true,
	});
	beforeEach(() => {
		for (const p of [listPrice, fromTen, forClient]) sim.state.prices.set(keys.price(p), structuredClone(p));
	});

	it('removes exactly the prices of the keys, one output per record, paired; other breaks and periods stay', async () => {
		const r = await runPortal(sim, remove, { items: items([deletedKey(fromTen), deletedKey(forClient)]) });
		expect(r.error).toBeUndefined();
		expect(json(r)).toEqual([
			{ entity: 'price', key: 'ŁÓD-001 / priceList / HURT-ŚLĄSK / PLN / 10 / open', action: 'deleted' },
			{ entity: 'price', key: 'ŁÓD-001 / client / K-ŚWIĘTOKRZYSKA / PLN / 1 / 2026-05-01', action: 'deleted' },
		]);
		expect(r.output?.[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(writes(sim, '/v1/prices/batch/delete').map((w) => [w.method, w.itemCount])).toEqual([['POST', 2]]);
		expect([...sim.state.prices.values()]).toEqual([listPrice]);
	});

	it('is idempotent: a price already gone is notFound, not an error (summary counts it)', async () => {
		const input = items([deletedKey(listPrice), { ...deletedKey(listPrice), scopeCode: 'DETAL-ŁÓDŹ' }]);
		const r = await runPortal(sim, { ...remove, options: { ...FAST_RETRY, output: 'summary' } }, { items: input });
		expect(r.error).toBeUndefined();
		expect(json(r)).toEqual([
			expect.objectContaining({ entity: 'price', received: 2, deleted: 1, notFound: 1, failed: 0 }),
		]);
		const again = await runPortal(sim, remove, { items: input });
		expect(json(again).map((j) => j.action)).toEqual(['notFound', 'notFound']);
		expect(sim.state.prices.size).toBe(2);
	});

	it('a key with a field missing stops the node before anything is sent, naming the item and field', async () => {
		const r = await runPortal(sim, remove, {
			items: items([deletedKey(listPrice), { productCode: 'ŻAG-002', scopeCode: 'HURT-ŚLĄSK', currency: 'PLN' }]),
		});
		expect(r.error?.message).toBe('Item 1: price "ŻAG-002": field "scope" is missing');
		expect((r.error as unknown as IssueError).context?.itemIndex).toBe(1);
		expect(sim.requests).toEqual([]);
		expect(sim.state.prices.size).toBe(3);
	});

	it('retries a lost answer: the second try finds the price gone (notFound) and the run succeeds', async () => {
		sim.faults.add({ path: '/v1/prices/batch/delete', kind: 'drop', afterWrite: true, times: 1 });
		const r = await runPortal(sim, remove, { items: items([deletedKey(fromTen)]) });
		expect(r.error).toBeUndefined();
		expect(json(r).map((j) => j.action)).toEqual(['notFound']);
		expect(sim.state.prices.has(keys.price(fromTen))).toBe(false);
		expect(writes(sim, '/v1/prices/batch/delete').map((w) => w.status)).toEqual([0, 200]);
	});
});
