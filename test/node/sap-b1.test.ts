/**
 * The SAP Business One node through n8n-core's WorkflowExecute against the SAP Service Layer simulator
 * (real HTTP on 127.0.0.1): sessions, paging, deltas, prices, stock, clients, orders, statuses, invoices.
 */
import { createHash } from 'node:crypto';
import { startSapSimulator, type SapSimulator } from '../simulators/sap-b1/server';
import { imageBytes } from '../fixtures/images';
import { makeOrder } from '../fixtures/polish';
import type { IDataObject } from 'n8n-workflow';
import type { Order } from '../../nodes/shared/model/types';
import { afterRecordRun, out, runSap, sapCredential } from './sap-helpers';

const createOrder = async (cred: IDataObject, order: Order): Promise<IDataObject> =>
	out(
		await runSap(
			cred,
			{ resource: 'order', operation: 'create', orderField: '', warehouse: '', dueInDays: 7 },
			{ items: [{ json: order as never }] },
		),
	)[0];

let sim: SapSimulator;
beforeAll(async () => {
	sim = await startSapSimulator({
		seed: { items: 120, customers: 8, specialPrices: 30, seed: 7 },
		clock: { start: '2026-11-26T09:00:00Z', frozen: true },
		loginDelayMs: 5,
	});
});
afterAll(async () => sim.close());
beforeEach(() => sim.reset());
afterEach(() => expect(sim.crashes).toEqual([]));

const items = { resource: 'item', operation: 'getMany' };

describe('SAP B1 › session', () => {
	it('logs in once and reuses the session across pages, runs and items', async () => {
		const cred = sapCredential(sim);
		const r1 = await runSap(cred, { ...items, cursorMode: 'all', options: { pageSize: 25 } });
		expect(r1.error).toBeUndefined();
		expect(out(r1)).toHaveLength(120);
		const r2 = await runSap(cred, { ...items, cursorMode: 'all', options: { pageSize: 50 } });
		expect(out(r2)).toHaveLength(120);
		expect(sim.sessions.logins).toBe(1);
		// the cookies, and the fingerprint of the login fields they were made with (sessionBinding.ts)
		expect(String(cred.session)).toMatch(/^B1SESSION=[^;]+; ROUTEID=\.node1\n[0-9a-f]{32}$/);
	});

	it.each([401, 403] as const)(
		'logs in again when the session expires mid-read (%s) and loses no page',
		async (status) => {
			const s = await startSapSimulator({ seed: { items: 1000, seed: 3 }, expireWith: status, loginDelayMs: 5 });
			try {
				const cred = sapCredential(s);
				let pages = 0;
				const timer = setInterval(() => {
					if (s.requests.filter((r) => r.path === '/Items').length > pages) {
						pages = s.requests.filter((r) => r.path === '/Items').length;
						if (pages === 3) s.sessions.expireAll();
					}
				}, 1);
				const r = await runSap(cred, { ...items, cursorMode: 'all', options: { pageSize: 100 } });
				clearInterval(timer);
				expect(r.error).toBeUndefined();
				const codes = out(r).map((p) => p.code);
				expect(new Set(codes).size).toBe(1000);
				expect(s.sessions.logins).toBe(2);
				expect(s.requests.some((q) => q.status === status)).toBe(true);
			} finally {
				await s.close();
			}
		},
	);

	it('fails fast on a wrong password, naming the company and user but never the password', async () => {
		const r = await runSap(sapCredential(sim, { password: 'złe-hasło-123' }), { ...items, cursorMode: 'all' });
		expect(r.error?.message).toMatch(/SAP B1 login to company "SBODEMOPL" as "manager" failed \(HTTP 401/);
		expect(sim.requests.filter((q) => q.path === '/Login')).toHaveLength(1);
		expect(
			JSON.stringify({ m: r.error?.message, d: (r.error as { description?: string }).description, run: r.runData }),
		).not.toContain('złe-hasło-123');
	});
});

describe('SAP B1 › items and delta', () => {
	it('maps items to products with Polish names, VAT from the VAT group and active flags', async () => {
		const r = await runSap(sapCredential(sim), { ...items, cursorMode: 'all' });
		const products = out(r);
		expect(products[0]).toEqual(
			expect.objectContaining({
				code: expect.any(String),
				name: expect.stringMatching(/[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]/),
				unit: expect.any(String),
			}),
		);
		expect(new Set(products.map((p) => p.vatRate))).toEqual(new Set(['23', '8', '5']));
		for (const p of products) expect(p.name).not.toContain('\uFFFD');
	});

	it('reads only what changed since the stored cursor (UpdateDate + UpdateTime), including a later day at an earlier hour', async () => {
		const cred = sapCredential(sim);
		const first = await runSap(cred, { ...items, cursorMode: 'stored' });
		expect(out(first)).toHaveLength(120);
		const none = await runSap(
			cred,
			{ ...items, cursorMode: 'stored' },
			{ staticData: afterRecordRun(first.staticData) },
		);
		// the boundary record (same stamp as the cursor) is read again: harmless, upserts are idempotent
		expect(out(none).length).toBeLessThanOrEqual(2);
		sim.clock.advance(26 * 3600_000 - 5 * 3600_000); // next day, earlier hour than the cursor
		const code = String(out(first)[5].code);
		sim.state.touchItem(code);
		const next = await runSap(
			cred,
			{ ...items, cursorMode: 'stored' },
			{ staticData: afterRecordRun(none.staticData) },
		);
		expect(out(next).map((p) => p.code)).toContain(code);
		expect(out(next).length).toBeLessThanOrEqual(3);
	});
});

describe('SAP B1 › stock', () => {
	it('catches stock moves that do not touch Items.UpdateDate', async () => {
		const cred = sapCredential(sim);
		const full = await runSap(cred, { resource: 'stock', operation: 'getMany', cursorMode: 'stored', warehouses: [] });
		expect(full.error).toBeUndefined();
		expect(out(full).length).toBe(120 * 3);
		const code = String(out(full)[10].productCode);
		const before = sim.state.stockOf(code, '01').InStock;
		sim.clock.advance(60_000);
		sim.state.moveStock(code, '01', 7, 'receipt');
		const delta = await runSap(
			cred,
			{ resource: 'stock', operation: 'getMany', cursorMode: 'stored', warehouses: ['01'] },
			{ staticData: afterRecordRun(full.staticData) },
		);
		expect(delta.error).toBeUndefined();
		const row = out(delta).find((s) => s.productCode === code);
		expect(row).toMatchObject({ warehouseCode: '01', onHand: String(before + 7) });
		expect(out(delta).every((s) => s.warehouseCode === '01')).toBe(true);
		expect(out(delta).length).toBeLessThan(10);
	});
});

describe('SAP B1 › prices and clients', () => {
	it('reads price-list prices item by item (list reads return ItemPrices empty) and special prices per client', async () => {
		const r = await runSap(sapCredential(sim), {
			resource: 'price',
			operation: 'getMany',
			cursorMode: 'all',
			priceLists: [],
			includeSpecialPrices: true,
		});
		expect(r.error).toBeUndefined();
		const prices = out(r);
		const lists = prices.filter((p) => p.scope === 'priceList');
		expect(lists.filter((p) => p.scopeCode === '1' && !p.validFrom && !p.minQuantity).length).toBeGreaterThan(100);
		expect(lists.some((p) => p.scopeCode === '3' && p.gross !== undefined && p.net === undefined)).toBe(true);
		const clientPrices = prices.filter((p) => p.scope === 'client');
		expect(clientPrices.length).toBeGreaterThan(0);
		for (const p of prices) expect(String(p.net ?? p.gross)).toMatch(/^\d+\.\d{2}$/);
	});

	it("lists SAP's warehouses and price lists (what the flows may name; check reads them)", async () => {
		const w = await runSap(sapCredential(sim), { resource: 'warehouse', operation: 'getMany' });
		expect(w.error).toBeUndefined();
		expect(out(w)).toEqual(sim.state.warehouseOrder.map((code) => ({ code, name: expect.any(String) })));
		expect(out(w)[0]).toEqual({ code: '01', name: 'Magazyn główny Łódź' });
		const p = await runSap(sapCredential(sim), { resource: 'priceList', operation: 'getMany' });
		expect(p.error).toBeUndefined();
		expect(out(p).slice(0, 3)).toEqual([
			{ number: 1, name: 'Cennik podstawowy', gross: false },
			{ number: 2, name: 'Hurtowy', gross: false },
			{ number: 3, name: 'Detal brutto', gross: true },
		]);
	});

	it('maps customers only, with NIP normalised and addresses', async () => {
		const r = await runSap(sapCredential(sim), { resource: 'client', operation: 'getMany', cursorMode: 'all' });
		const clients = out(r);
		expect(clients).toHaveLength(8);
		for (const c of clients) {
			if (c.taxId) expect(c.taxId).toMatch(/^\d{10}$/);
			expect(Array.isArray(c.addresses)).toBe(true);
		}
	});
});

describe('SAP B1 › orders', () => {
	const customer = () =>
		[...sim.state.partners.values()].find(
			(p) => p.CardType === 'cCustomer' && p.Valid === 'tYES' && p.Frozen !== 'tYES',
		)!;
	const sellable = () =>
		[...sim.state.items.values()]
			.filter(
				(i) =>
					i.Valid === 'tYES' && i.Frozen !== 'tYES' && sim.state.stockOf(i.ItemCode, i.DefaultWarehouse).InStock >= 10,
			)
			.slice(0, 2);

	function portalOrder(n: number, priceOf: (code: string) => string) {
		const bp = customer();
		const [a, b] = sellable();
		return makeOrder(n, {
			clientCode: bp.CardCode,
			placedAt: '2026-11-26T10:15:00+01:00',
			lines: [
				{ lineNo: 1, productCode: a.ItemCode, quantity: '2', unitPrice: priceOf(a.ItemCode), vatRate: '23' },
				{ lineNo: 2, productCode: b.ItemCode, quantity: '1', unitPrice: priceOf(b.ItemCode), vatRate: '23' },
			],
		});
	}

	async function sapPrice(code: string): Promise<string> {
		const r = await runSap(
			sapCredential(sim),
			{
				resource: 'order',
				operation: 'checkPrices',
				orderField: '',
				toleranceAmount: '100000',
				tolerancePercent: 0,
			},
			{
				items: [
					{
						json: makeOrder(999, {
							clientCode: customer().CardCode,
							lines: [{ lineNo: 1, productCode: code, quantity: '1', unitPrice: '0', vatRate: '23' }],
						}) as never,
					},
				],
			},
		);
		return String((out(r)[0].priceCheck as { lines: Array<{ erpPrice: string }> }).lines[0].erpPrice);
	}

	it('accepts an order at SAP prices and rejects one with a wrong price, with a reason the client can read', async () => {
		const prices = new Map<string, string>();
		for (const i of sellable()) prices.set(i.ItemCode, await sapPrice(i.ItemCode));
		const good = portalOrder(1, (c) => prices.get(c)!);
		const bad = portalOrder(2, (c) => (Number(prices.get(c)!) + 5).toFixed(2));
		const r = await runSap(
			sapCredential(sim),
			{
				resource: 'order',
				operation: 'checkPrices',
				orderField: 'order',
				toleranceAmount: '0.01',
				tolerancePercent: 0,
			},
			{
				items: [{ json: { order: good as never } }, { json: { order: bad as never } }],
			},
		);
		expect(r.error).toBeUndefined();
		const [g, b] = out(r).map((j) => j.priceCheck as { accepted: boolean; reason?: string });
		expect(g.accepted).toBe(true);
		expect(b.accepted).toBe(false);
		expect(b.reason).toMatch(/^Cena pozycji 1 \(.+\) różni się od cennika: [\d.]+ zamiast [\d.]+ PLN netto/);
	});

	it("checks an order's prices with one special-price read for all its lines (the client's and its list's)", async () => {
		// a client on a net price list: the order's net prices are SAP's as they stand
		const bp = [...sim.state.partners.values()].find(
			(p) =>
				p.CardType === 'cCustomer' &&
				p.Valid === 'tYES' &&
				p.Frozen !== 'tYES' &&
				sim.state.priceLists.get(p.PriceListNum)?.IsGrossPrice !== 'tYES',
		)!;
		const [a, b, c] = [...sim.state.items.values()].filter(
			(i) =>
				i.Valid === 'tYES' &&
				i.Frozen !== 'tYES' &&
				i.SalesItem !== 'tNO' &&
				!sim.state.specialPrice(bp.CardCode, i.ItemCode) &&
				!sim.state.specialPrice(`*${bp.PriceListNum}`, i.ItemCode) &&
				sim.state.priceOf(i, bp.PriceListNum).grosze > 0,
		);
		const sp = (CardCode: string, ItemCode: string, Price: number) =>
			sim.state.addSpecialPrice({
				ItemCode,
				CardCode,
				Price,
				Currency: 'PLN',
				DiscountPercent: 0,
				PriceListNum: bp.PriceListNum,
				AutoUpdate: 'tNO',
				SourcePrice: 'spp_ListPrice',
				Valid: 'tYES',
				ValidFrom: null,
				ValidTo: null,
				SpecialPriceDataAreas: [],
			});
		sp(bp.CardCode, a.ItemCode, 12.34); // the client's own price
		sp(`*${bp.PriceListNum}`, b.ItemCode, 45.67); // the price for everyone on the client's list
		const order = makeOrder(31, {
			clientCode: bp.CardCode,
			lines: [a, b, c].map((i, k) => ({
				lineNo: k + 1,
				productCode: i.ItemCode,
				quantity: '1',
				unitPrice: '1.00',
				vatRate: '23',
			})),
		});
		const from = sim.requests.length;
		const r = await runSap(
			sapCredential(sim),
			{ resource: 'order', operation: 'checkPrices', orderField: '', toleranceAmount: '0', tolerancePercent: 0 },
			{ items: [{ json: order as never }] },
		);
		expect(r.error).toBeUndefined();
		const lines = (out(r)[0].priceCheck as { lines: Array<{ erpPrice: string; source?: string }> }).lines;
		expect(lines.map((l) => l.erpPrice)).toEqual([
			'12.34',
			'45.67',
			(sim.state.priceOf(c, bp.PriceListNum).grosze / 100).toFixed(2),
		]);
		const reads = sim.requests.slice(from).filter((q) => q.path !== '/Login');
		// the price lists, the client, each item alone (SL gives ItemPrices only so), then ONE read of the special
		// prices of all 3 lines, the client's and its list's (it was two per line: 6)
		expect(reads.map((q) => `${q.method} ${q.path.replace(/\(.*\)$/, '(…)')}`).sort()).toEqual([
			'GET /BusinessPartners(…)',
			'GET /Items(…)',
			'GET /Items(…)',
			'GET /Items(…)',
			'GET /PriceLists',
			'GET /SpecialPrices',
		]);
	});

	it('two runs creating the same order at the same time (a duplicate webhook delivery, or the poll path next to a webhook run) make one SAP document', async () => {
		const order = portalOrder(6, () => '10.00');
		const create = { resource: 'order', operation: 'create', orderField: '', warehouse: '', dueInDays: 7 };
		// SAP is slow to create: the second run looks the order up while the first one's POST is under way
		sim.faults.add({ method: 'POST', path: /^\/Orders$/, kind: 'slow', delayMs: 300, times: 2 });
		const [a, b] = await Promise.all([
			runSap(sapCredential(sim), create, { items: [{ json: order as never }] }),
			runSap(sapCredential(sim), create, { items: [{ json: order as never }] }),
		]);
		expect(a.error).toBeUndefined();
		expect(b.error).toBeUndefined();
		expect(sim.state.findOrdersByNumAtCard(order.number)).toHaveLength(1);
		expect([out(a)[0].docEntry, out(b)[0].docEntry]).toEqual([out(a)[0].docEntry, out(a)[0].docEntry]);
		expect([out(a)[0].action, out(b)[0].action].sort()).toEqual(['created', 'existing']);
	});

	it('creates the order once: a second run and a lost answer both find the existing order', async () => {
		const order = portalOrder(3, () => '10.00');
		const cred = sapCredential(sim);
		const create = { resource: 'order', operation: 'create', orderField: '', warehouse: '', dueInDays: 7 };
		const first = await runSap(cred, create, { items: [{ json: order as never }] });
		expect(first.error).toBeUndefined();
		expect(out(first)[0]).toMatchObject({
			orderNumber: order.number,
			action: 'created',
			erpDocumentNumber: expect.stringMatching(/^\d+$/),
		});
		const again = await runSap(cred, create, { items: [{ json: order as never }] });
		expect(out(again)[0]).toMatchObject({ action: 'existing', docEntry: out(first)[0].docEntry });
		expect(sim.state.findOrdersByNumAtCard(order.number)).toHaveLength(1);

		const lost = portalOrder(4, () => '10.00');
		sim.faults.loseResponse();
		const r = await runSap(cred, create, { items: [{ json: lost as never }] });
		expect(r.error).toBeUndefined();
		expect(out(r)[0]).toMatchObject({ orderNumber: lost.number, action: 'created' });
		expect(sim.state.findOrdersByNumAtCard(lost.number)).toHaveLength(1);
	});

	it('refuses an order with a line at a VAT rate SAP does not know (22) before anything is sent; "Allowed VAT Rates" can add one', async () => {
		const order = portalOrder(15, () => '10.00');
		order.lines[1].vatRate = '22';
		const create = { resource: 'order', operation: 'create', orderField: '', warehouse: '', dueInDays: 7 };
		const r = await runSap(sapCredential(sim), create, { items: [{ json: order as never }] });
		expect(r.error?.message).toMatch(
			new RegExp(
				`^Item 0: order "B2B/2026/000015": field "lines\\[1\\]\\.vatRate" is 22 on line 2 \\(${order.lines[1].productCode}\\): not a VAT rate the ERP takes \\(allowed: 23, 8, 5, 0, zw, np, oo; option "Allowed VAT Rates"\\)$`,
			),
		);
		expect((r.error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(0);
		expect(sim.requests.filter((q) => q.method === 'POST' && q.path === '/Orders')).toEqual([]);
		const allowed = await runSap(
			sapCredential(sim),
			{ ...create, options: { allowedVatRates: '23, 8, 5, 0, zw, np, oo, 22' } },
			{ items: [{ json: order as never }] },
		);
		expect(allowed.error).toBeUndefined();
		expect(out(allowed)[0]).toMatchObject({ orderNumber: order.number, action: 'created' });
	});

	it('turns an SAP refusal into a readable error on the item (unknown client)', async () => {
		const order = makeOrder(5, { clientCode: 'NIE-MA-TAKIEGO' });
		const r = await runSap(
			sapCredential(sim),
			{ resource: 'order', operation: 'create', orderField: '', warehouse: '', dueInDays: 7 },
			{ items: [{ json: order as never }] },
		);
		expect(r.error?.message).toMatch(/Creating SAP order for B2B\/2026\/000005 failed: HTTP 400 – Invalid BP code/);
	});

	it('follows the order to delivery and invoice, and downloads the invoice PDF from the API Gateway', async () => {
		const order = portalOrder(6, () => '10.00');
		const cred = sapCredential(sim);
		const created = await createOrder(cred, order);
		const status = { resource: 'order', operation: 'getStatus', orderNumber: order.number };
		expect(out(await runSap(cred, status))[0]).toMatchObject({
			status: 'confirmed',
			erpDocumentNumber: String(created.docNum),
		});
		const delivery = sim.state.deliverOrder(Number(created.docEntry));
		expect(out(await runSap(cred, status))[0].status).toBe('shipped');
		sim.state.invoiceOrder(Number(created.docEntry));
		void delivery;
		expect(out(await runSap(cred, status))[0].status).toBe('invoiced');

		const inv = await runSap(cred, {
			resource: 'invoice',
			operation: 'getMany',
			cursorMode: 'all',
			downloadPdf: true,
			layoutCode: 'INV20001',
			binaryPropertyName: 'data',
		});
		expect(inv.error).toBeUndefined();
		const item = inv.output![0].find((i) => i.json.orderNumber === order.number)!;
		expect(item.json).toMatchObject({ clientCode: order.clientCode, currency: 'PLN' });
		const pdf = Buffer.from(item.binary!.data.data, 'base64');
		expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(pdf.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
		expect(item.binary!.data.fileName).toMatch(/^FV_\d+\.pdf$/);
	});

	it('reports an unknown invoice layout instead of passing the gateway\'s "{}" on as a PDF', async () => {
		const order = portalOrder(7, () => '10.00');
		const cred = sapCredential(sim);
		const created = await createOrder(cred, order);
		sim.state.invoiceOrder(Number(created.docEntry));
		const inv = await runSap(cred, {
			resource: 'invoice',
			operation: 'getMany',
			cursorMode: 'all',
			downloadPdf: true,
			layoutCode: 'NOPE1',
			binaryPropertyName: 'data',
		});
		expect(inv.error?.message).toMatch(/The API Gateway sent no PDF for document \d+: unknown layout "NOPE1" \(\{\}\)/);
	});
});

describe('SAP B1 › newer error shape and order read-back', () => {
	it('reads the 10.00.210+ error body ({"error":{"code":"-1000","details":[],"message":"…"}})', async () => {
		const s = await startSapSimulator({ seed: { items: 20, seed: 5 }, errorShape: 'v10', loginDelayMs: 5 });
		try {
			const r = await runSap(
				sapCredential(s),
				{ resource: 'order', operation: 'create', orderField: '', warehouse: '', dueInDays: 7 },
				{ items: [{ json: makeOrder(8, { clientCode: 'NIE-MA' }) as never }] },
			);
			expect(r.error?.message).toMatch(/HTTP 400 – Invalid BP code/);
		} finally {
			await s.close();
		}
	});

	it("gets the SAP order of a portal order, and lists only that order's invoices", async () => {
		const bp = [...sim.state.partners.values()].find(
			(p) => p.CardType === 'cCustomer' && p.Valid === 'tYES' && p.Frozen !== 'tYES',
		)!;
		const item = [...sim.state.items.values()].find(
			(i) =>
				i.Valid === 'tYES' && i.Frozen !== 'tYES' && sim.state.stockOf(i.ItemCode, i.DefaultWarehouse).InStock >= 10,
		)!;
		const order = makeOrder(9, {
			clientCode: bp.CardCode,
			lines: [{ lineNo: 1, productCode: item.ItemCode, quantity: '3', unitPrice: '12.50', vatRate: '23' }],
		});
		const cred = sapCredential(sim);
		const created = await createOrder(cred, order);
		const got = out(await runSap(cred, { resource: 'order', operation: 'get', orderNumber: order.number }))[0];
		expect(got).toMatchObject({
			orderNumber: order.number,
			docNum: created.docNum,
			clientCode: bp.CardCode,
			lines: [{ productCode: item.ItemCode, quantity: '3', unitPrice: '12.50' }],
		});
		sim.state.invoiceOrder(Number(created.docEntry));
		const other = makeOrder(10, { clientCode: bp.CardCode, lines: order.lines });
		const created2 = await createOrder(cred, other);
		sim.state.invoiceOrder(Number(created2.docEntry));
		const inv = await runSap(cred, {
			resource: 'invoice',
			operation: 'getMany',
			cursorMode: 'all',
			orderNumber: order.number,
			downloadPdf: false,
			layoutCode: '',
			binaryPropertyName: 'data',
		});
		expect(out(inv).map((i) => i.orderNumber)).toEqual([order.number]);
		expect(out(inv)[0].totals).toEqual({ net: '37.50', vat: '8.63', gross: '46.13' });
	});
});

describe('SAP B1 › one client and the business-partner search', () => {
	it('reads one client by code, and the list search finds customers by any part of the code or name, case ignored', async () => {
		const bp = [...sim.state.partners.values()].find((p) => p.CardType === 'cCustomer')!;
		const r = await runSap(sapCredential(sim), {
			resource: 'client',
			operation: 'get',
			cardCode: { __rl: true, mode: 'id', value: bp.CardCode },
		});
		expect(r.error).toBeUndefined();
		expect(out(r)[0]).toMatchObject({ code: bp.CardCode, name: bp.CardName });

		const { searchBusinessPartners } = await import('../../nodes/SapB1/methods/listSearch');
		const cred = sapCredential(sim);
		const ctx = {
			getCredentials: async () => cred,
			getNode: () => ({ name: 'SAP', type: 'sapB1', typeVersion: 1, position: [0, 0], parameters: {} }),
			logger: { warn: () => undefined },
			helpers: {
				httpRequestWithAuthentication: async (_type: string, options: Record<string, unknown>) => {
					const { SapB1Api } = await import('../../credentials/SapB1Api.credentials');
					const type = new SapB1Api();
					if (!cred.session)
						Object.assign(
							cred,
							await type.preAuthentication.call({ helpers: { httpRequest } } as never, cred as never),
						);
					return await httpRequest((await type.authenticate(cred as never, options as never)) as never);
				},
			},
		};
		const found = await searchBusinessPartners.call(ctx as never, bp.CardName.slice(0, 4));
		expect(found.results.map((x) => x.value)).toContain(bp.CardCode);
		expect(found.results.every((x) => String(x.name).includes(' – '))).toBe(true);

		// a person types part of a name in lower case (a surname, a city): every customer holding it, and only those
		const lastWord = bp.CardName.split(' ').filter((w) => w.length > 3 && !/[.]/.test(w))[1] ?? bp.CardName;
		const fragment = lastWord.toLocaleLowerCase('pl');
		const expected = [...sim.state.partners.values()]
			.filter((p) => p.CardType === 'cCustomer')
			.filter((p) => `${p.CardCode} ${p.CardName}`.toLocaleLowerCase('pl').includes(fragment))
			.map((p) => p.CardCode)
			.sort();
		const byFragment = await searchBusinessPartners.call(ctx as never, fragment);
		expect(expected).toContain(bp.CardCode);
		expect(byFragment.results.map((x) => x.value)).toEqual(expected);
	});
});

/** a plain HTTP client with n8n's httpRequest options subset, for calling load-options methods directly */
async function httpRequest(options: Record<string, unknown>): Promise<unknown> {
	const url = new URL(String(options.url), options.baseURL ? `${String(options.baseURL)}/` : undefined);
	const target = options.baseURL ? `${String(options.baseURL)}${String(options.url)}` : url.toString();
	const res = await fetch(target, {
		method: String(options.method ?? 'GET'),
		headers: options.headers as Record<string, string>,
		body: options.body ? JSON.stringify(options.body) : undefined,
	});
	const text = await res.text();
	const body = text ? JSON.parse(text) : undefined;
	const headers: Record<string, string | string[]> = {};
	res.headers.forEach((v, k) => (headers[k] = k === 'set-cookie' ? res.headers.getSetCookie() : v));
	return options.returnFullResponse ? { statusCode: res.status, headers, body } : body;
}

describe('SAP B1 › product images (Items.Picture)', () => {
	const images = { resource: 'productImage', operation: 'getMany', cursorMode: 'all' };
	const codes = () => [...sim.state.items.keys()].sort();

	it('gives one item per picture with its bytes from ItemImages, the type from the bytes and a content hash', async () => {
		const [a, b, c] = codes();
		sim.state.setItemPicture(a, 'łódka żółta.jpg', imageBytes.jpeg('a'));
		sim.state.setItemPicture(b, 'żagiel.PNG', imageBytes.png('b'));
		// a GIF saved with a .jpg name: the type comes from the bytes
		sim.state.setItemPicture(c, 'gęś (kopia).jpg', imageBytes.gif('c'));
		const r = await runSap(sapCredential(sim), images);
		expect(r.error).toBeUndefined();
		const items = r.output![0];
		expect(items.map((i) => i.json)).toEqual([
			{ productCode: a, position: 0, fileName: 'łódka_żółta.jpg', contentType: 'image/jpeg', contentHash: createHash('sha256').update(imageBytes.jpeg('a')).digest('hex') },
			{ productCode: b, position: 0, fileName: 'żagiel.png', contentType: 'image/png', contentHash: createHash('sha256').update(imageBytes.png('b')).digest('hex') },
			{ productCode: c, position: 0, fileName: 'gęś_kopia_.gif', contentType: 'image/gif', contentHash: createHash('sha256').update(imageBytes.gif('c')).digest('hex') },
		]);
		expect(Buffer.from(items[1].binary!.data.data, 'base64')).toEqual(imageBytes.png('b'));
		expect(items[1].binary!.data.mimeType).toBe('image/png');
		expect(items[1].binary!.data.fileName).toBe('żagiel.png');
		const reads = sim.requests.filter((q) => q.path.startsWith('/ItemImages'));
		expect(reads).toHaveLength(3);
		expect(sim.requests.find((q) => q.path === '/Items')?.query).toContain('Picture');
	});

	it('URL-encodes the item code in the ItemImages path', async () => {
		const model = sim.state.items.get(codes()[0])!;
		const odd = 'ŁÓD/1#ą?%';
		sim.state.addItem({ ...model, ItemCode: odd, prices: [...model.prices], stock: [...model.stock] });
		sim.state.setItemPicture(odd, 'łódź.jpg', imageBytes.jpeg('odd'));
		const r = await runSap(sapCredential(sim), images);
		expect(r.error).toBeUndefined();
		expect(out(r).map((j) => j.productCode)).toEqual([odd]);
		const path = sim.requests.find((q) => q.path.startsWith('/ItemImages'))!.path;
		expect(path).toBe(`/ItemImages(${encodeURIComponent(`'${odd}'`)})/$value`);
	});

	it('refuses a Picture that could leave the pictures folder, naming the item and the field', async () => {
		const [a, b] = codes();
		sim.state.setItemPicture(a, '..\\..\\hasła.txt', imageBytes.jpeg('x'));
		sim.state.setItemPicture(b, 'dobre-zdjęcie.jpg', imageBytes.jpeg('b'));
		const r = await runSap(sapCredential(sim), images);
		expect(r.error?.message).toContain(`product image "${a}" #0`);
		expect(r.error?.message).toContain('field "Picture"');
		expect(sim.requests.filter((q) => q.path.startsWith('/ItemImages'))).toHaveLength(0);
		const soft = await runSap(sapCredential(sim), images, { continueOnFail: true });
		expect(out(soft).map((j) => j.productCode ?? 'error')).toEqual(['error', b]);
	});

	it('names the item when its bytes are not an image the portal takes (a BMP) or the file is missing', async () => {
		const [a, b] = codes();
		sim.state.setItemPicture(a, 'skan-ćmy.bmp', imageBytes.bmp());
		sim.state.setItemPicture(b, 'brak-pliku-żółw.jpg');
		const r = await runSap(sapCredential(sim), images, { continueOnFail: true });
		const errors = out(r).map((j) => String(j.error));
		expect(errors[0]).toMatch(new RegExp(`product image "${a}" #0 .*BMP`));
		expect(errors[1]).toContain(`product image "${b}" #0 (Picture "brak-pliku-żółw.jpg")`);
		expect(errors[1]).toContain('HTTP 404');
	});

	it('gives only the file names without reading bytes (Bytes From: File Name Only)', async () => {
		const [a] = codes();
		sim.state.setItemPicture(a, 'łódka.jpg');
		const r = await runSap(sapCredential(sim), { ...images, bytesFrom: 'fileName' });
		expect(out(r)).toEqual([{ productCode: a, position: 0, fileName: 'łódka.jpg' }]);
		expect(r.output![0][0].binary).toBeUndefined();
		expect(sim.requests.filter((q) => q.path.startsWith('/ItemImages'))).toHaveLength(0);
	});

	it('on a Service Layer without ItemImages says to read the pictures from the folder', async () => {
		const old = await startSapSimulator({ seed: { items: 3, seed: 1 }, itemImages: false, loginDelayMs: 5 });
		try {
			const [a] = [...old.state.items.keys()];
			old.state.setItemPicture(a, 'łódka.jpg', imageBytes.jpeg());
			const r = await runSap(sapCredential(old), images);
			expect(r.error?.message).toContain('File Name Only');
			const answer = old.requests.find((q) => q.path.startsWith('/ItemImages'));
			expect(answer?.status).toBe(404);
		} finally {
			await old.close();
		}
	});
});
