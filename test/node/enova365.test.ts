/**
 * The enova365 node through n8n-core's WorkflowExecute against the enova365 simulator (real HTTP on 127.0.0.1):
 * both login modes, sessions, paging and the rowversion cursor, prices, stock, clients, ZO create / check / status,
 * invoices with PDFs, errors that name what failed, and no credential in any output.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { scanForSecrets } from '../harness/credential-scan';
import { makeOrder } from '../fixtures/polish';
import { startEnovaSimulator, FIXTURES, type EnovaSimulator } from '../simulators/enova365/server';
import type { Order } from '../../nodes/shared/model/types';
import { afterRecordRun, out } from './sap-helpers';
import { enovaCredential, runEnova } from './enova-helpers';

let sim: EnovaSimulator;
beforeAll(async () => {
	sim = await startEnovaSimulator({
		seed: { products: 120, seed: 7 },
		clock: { start: '2026-11-26T09:00:00Z', frozen: true },
		loginDelayMs: 5,
	});
});
afterAll(async () => sim.close());
beforeEach(() => sim.reset());
afterEach(() => expect(sim.crashes).toEqual([]));

const products = { resource: 'product', operation: 'getMany' };
const POLISH = /[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]/;

/** An order of the seeded data: HURT-ŁÓDŹ buys ŁÓD-001 (its individual price: 99 zł from 1, 89 zł from 10). */
const zoOrder = (n: number, overrides: Partial<Order> = {}): Order =>
	makeOrder(n, {
		clientCode: FIXTURES.client,
		lines: [{ lineNo: 1, productCode: FIXTURES.product, quantity: '10', unitPrice: '89.00', vatRate: '23' }],
		...overrides,
	});

const createZo = async (cred: IDataObject, order: Order, continueOnFail = false) =>
	await runEnova(
		cred,
		{ resource: 'order', operation: 'create', orderField: '', warehouse: '' },
		{ items: [{ json: order as never }], continueOnFail },
	);

const zosOf = (number: string) => sim.state.zo.filter((d) => d.obcyNumer === number);

describe('enova365 › login modes and sessions', () => {
	it.each(['dynamic', 'methodInvoker'] as const)('reads every product in %s mode', async (mode) => {
		const r = await runEnova(enovaCredential(sim, mode), { ...products, cursorMode: 'all', options: { pageSize: 50 } });
		expect(r.error).toBeUndefined();
		const list = out(r);
		expect(list.length).toBe(sim.state.towary.length);
		expect(list.find((p) => p.code === FIXTURES.product)).toEqual(
			expect.objectContaining({ name: expect.stringMatching(POLISH), vatRate: '23', unit: 'szt.', active: true }),
		);
		expect(list.find((p) => p.code === FIXTURES.blockedProduct)?.active).toBe(false);
		expect(
			sim.requests.every((q) => q.mode === (mode === 'dynamic' ? 'dynamic' : 'invoker') || q.mode === 'login'),
		).toBe(true);
		expect(sim.sessions.logins).toBe(mode === 'dynamic' ? 1 : 0);
	});

	it('logs in once and re-uses the session across pages, runs and items', async () => {
		const cred = enovaCredential(sim);
		for (let run = 0; run < 3; run++)
			expect(out(await runEnova(cred, { ...products, cursorMode: 'all', options: { pageSize: 40 } })).length).toBe(
				sim.state.towary.length,
			);
		expect(sim.sessions.logins).toBe(1);
		// the JWT, and the fingerprint of the URL and app token it was made with (sessionBinding.ts)
		expect(String(cred.session)).toMatch(/^[\w-]+\.[\w-]+\.[\w-]*\n[0-9a-f]{32}$/);
	});

	it('a session that expires mid-read: one login per expiry, 10,000 products with no gap', async () => {
		const big = await startEnovaSimulator({ seed: { products: 10_000, seed: 3 }, loginDelayMs: 5 });
		try {
			const cred = enovaCredential(big);
			let expired = false;
			const timer = setInterval(() => {
				if (!expired && big.requests.filter((q) => q.path.endsWith('/GetTowary')).length >= 4) {
					expired = true;
					big.clock.advance(301_000); // the session token's exp (iat + 300 s) has passed
				}
			}, 1);
			const r = await runEnova(cred, { ...products, cursorMode: 'all', options: { pageSize: 500 } });
			clearInterval(timer);
			expect(r.error).toBeUndefined();
			const codes = out(r).map((p) => p.code);
			expect(codes.length).toBe(big.state.towary.length);
			expect(new Set(codes).size).toBe(big.state.towary.length);
			expect(big.state.towary.length).toBeGreaterThanOrEqual(10_000);
			expect(expired).toBe(true);
			expect(big.sessions.logins).toBe(2);
			expect(big.requests.some((q) => q.status === 401)).toBe(true);
		} finally {
			await big.close();
		}
	});

	it('fails at once on a wrong app token, never naming it', async () => {
		const bad = 'eyJhbGciOiJSUzI1NiJ9.zly-token-zolwia.podpis';
		const r = await runEnova(enovaCredential(sim, 'dynamic', { appToken: bad }), { ...products, cursorMode: 'all' });
		expect(r.error?.message).toMatch(/enova365 login \(LoginApi\) with the app token failed \(HTTP 401/);
		expect(sim.requests.filter((q) => q.mode === 'login')).toHaveLength(1);
		expect(JSON.stringify({ m: r.error?.message, run: r.runData })).not.toContain('zly-token');
	});

	it('an app token a header cannot carry is refused before anything is sent', async () => {
		const r = await runEnova(enovaCredential(sim, 'dynamic', { appToken: 'token-żółwia-123' }), {
			...products,
			cursorMode: 'all',
		});
		expect(r.error?.message).toMatch(/App Token contains a letter or sign outside ASCII/);
		expect(r.error?.message).not.toContain('żółwia');
		expect(sim.requests).toHaveLength(0);
	});

	it('MethodInvoker: a wrong password is the IsException message, naming the method', async () => {
		const r = await runEnova(enovaCredential(sim, 'methodInvoker', { password: 'złe-hasło-999' }), {
			...products,
			cursorMode: 'all',
		});
		expect(r.error?.message).toMatch(/B2BPortalApi\/GetTowary raised an exception: /);
		expect(JSON.stringify({ m: r.error?.message, run: r.runData })).not.toContain('złe-hasło-999');
	});

	it('other class and method names through the Services option', async () => {
		const other = await startEnovaSimulator({
			seed: { products: 5 },
			serviceClass: 'SklepŁódźApi',
			methodNames: { GetTowary: 'Produkty/PobierzTowary' },
		});
		try {
			const r = await runEnova(enovaCredential(other), {
				...products,
				cursorMode: 'all',
				services: { className: 'SklepŁódźApi', GetTowary: 'Produkty/PobierzTowary' },
			});
			expect(r.error).toBeUndefined();
			expect(out(r).length).toBe(other.state.towary.length);
			expect(other.requests.find((q) => q.mode === 'dynamic')?.path).toBe('/Produkty/PobierzTowary');
		} finally {
			await other.close();
		}
	});
});

describe('enova365 › changed since the last run (rowversion cursor)', () => {
	it('reads only what changed, and keeps the cursor until Record Run commits it', async () => {
		const cred = enovaCredential(sim);
		const first = await runEnova(cred, { ...products, cursorMode: 'stored' });
		expect(out(first).length).toBe(sim.state.towary.length);
		// without Record Run the next run reads everything again (two-phase commit)
		const again = await runEnova(cred, { ...products, cursorMode: 'stored' }, { staticData: first.staticData });
		expect(out(again).length).toBe(sim.state.towary.length);
		const none = await runEnova(
			cred,
			{ ...products, cursorMode: 'stored' },
			{ staticData: afterRecordRun(first.staticData) },
		);
		expect(out(none)).toEqual([]);
		sim.state.renameProduct(FIXTURES.product, 'Łódka wiosłowa źrebięca');
		const next = await runEnova(
			cred,
			{ ...products, cursorMode: 'stored' },
			{ staticData: afterRecordRun(none.staticData) },
		);
		expect(out(next).map((p) => [p.code, p.name])).toEqual([[FIXTURES.product, 'Łódka wiosłowa źrebięca']]);
	});

	it('a large catalogue as batch items: every product once, in order', async () => {
		const r = await runEnova(enovaCredential(sim), {
			...products,
			cursorMode: 'all',
			outputMode: 'batches',
			recordsPerBatch: 50,
			options: { pageSize: 30 },
		});
		const batches = r.output?.[0] ?? [];
		expect(batches.map((b) => b.json.count)).toEqual([50, 50, sim.state.towary.length - 100]);
		const codes = batches.flatMap((b) => (b.json.records as IDataObject[]).map((p) => p.code));
		expect(codes).toEqual(sim.state.towary.map((t) => t.kod));
	});

	it('an explicit counter must be a whole number', async () => {
		const r = await runEnova(enovaCredential(sim), { ...products, cursorMode: 'explicit', since: '2026-11-26' });
		expect(r.error?.message).toMatch(/Changed Since must be the ERP's change counter/);
	});
});

describe('enova365 › stock', () => {
	const stock = { resource: 'stock', operation: 'getMany', cursorMode: 'all' };

	it('per warehouse as batch files: on hand, reserved, available by the shared rule', async () => {
		const r = await runEnova(enovaCredential(sim), {
			...stock,
			warehouses: [FIXTURES.warehouse],
			outputMode: 'files',
			recordsPerBatch: 25,
		});
		expect(r.error).toBeUndefined();
		const items = r.output?.[0] ?? [];
		const records: IDataObject[] = items.flatMap((i: INodeExecutionData) =>
			JSON.parse(Buffer.from(String(i.binary?.records?.data), 'base64').toString('utf8')),
		);
		expect(items.every((i) => (i.json.count as number) <= 25 && i.binary?.records)).toBe(true);
		// services (Typ 2) have no stock rows in the add-on's answer
		const rows = sim.state.stany.filter(
			(s) => s.magazynId === sim.state.magazyn(FIXTURES.warehouse).id && sim.state.towaryById.get(s.towarId)?.typ !== 2,
		);
		expect(records.length).toBe(rows.length);
		expect(records.every((s) => s.warehouseCode === FIXTURES.warehouse)).toBe(true);
		for (const s of records.slice(0, 50)) {
			if (s._belowZero) continue;
			expect(Number(s.available)).toBeCloseTo(Math.max(0, Number(s.onHand) - Number(s.reserved)), 4);
		}
		expect(items.every((i) => i.pairedItem)).toBe(true);
	});

	it('a stock move is seen by the delta', async () => {
		const cred = enovaCredential(sim);
		const first = await runEnova(cred, { ...stock, cursorMode: 'stored' });
		sim.state.moveStock(FIXTURES.product, FIXTURES.warehouse, -3);
		const next = await runEnova(
			cred,
			{ ...stock, cursorMode: 'stored' },
			{ staticData: afterRecordRun(first.staticData) },
		);
		expect(out(next).map((s) => [s.productCode, s.warehouseCode])).toEqual([[FIXTURES.product, FIXTURES.warehouse]]);
	});

	it('an unknown warehouse is a clear error naming it', async () => {
		const r = await runEnova(enovaCredential(sim), { ...stock, warehouses: ['99-ŻUŁAWY'] });
		expect(r.error?.message).toMatch(/Warehouse "99-ŻUŁAWY" does not exist in enova365 \(known: "1", "2", "3"\)/);
	});
});

describe('enova365 › prices and clients', () => {
	it('price definitions and individual prices as canonical prices with validity and thresholds', async () => {
		const r = await runEnova(enovaCredential(sim), { resource: 'price', operation: 'getMany', cursorMode: 'all' });
		expect(r.error).toBeUndefined();
		const prices = out(r);
		const lists = new Set(prices.filter((p) => p.scope === 'priceList').map((p) => p.scopeCode));
		expect(lists).toEqual(new Set(FIXTURES.priceDefinitions));
		const mine = prices.filter(
			(p) => p.scope === 'client' && p.scopeCode === FIXTURES.client && p.productCode === FIXTURES.product,
		);
		expect(mine).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ net: '99.00', gross: '121.77', currency: 'PLN', validFrom: '2026-01-01' }),
				expect.objectContaining({ net: '89.00', minQuantity: '10' }),
				expect.objectContaining({ net: '79.00', validFrom: '2025-01-01', validTo: '2025-12-31' }),
			]),
		);
		expect(mine.find((p) => p.net === '99.00')?.validTo).toBeUndefined(); // 9999-12-31 = open
		const lod = prices.find((p) => p.scopeCode === 'Podstawowa' && p.productCode === FIXTURES.product);
		expect(lod).toEqual(
			expect.objectContaining({ net: expect.stringMatching(/^\d+\.\d{2}$/), gross: expect.any(String) }),
		);
		// the group's 5 % discount has no price of its own: a hint, not a price record
		expect(
			prices.some(
				(p) => p.scope === 'clientGroup' && p.scopeCode === FIXTURES.group && p.productCode === FIXTURES.product,
			),
		).toBe(false);
	});

	it('clients with group, price definition, payment terms, blocks and Polish addresses', async () => {
		const r = await runEnova(enovaCredential(sim), { resource: 'client', operation: 'getMany', cursorMode: 'all' });
		const clients = out(r);
		expect(clients.find((c) => c.code === FIXTURES.client)).toEqual(
			expect.objectContaining({
				name: expect.stringMatching(POLISH),
				priceGroup: FIXTURES.group,
				priceListCode: 'Hurtowa',
				paymentTermsDays: 30,
				blocked: false,
				taxId: expect.stringMatching(/^\d{10}$/),
				addresses: [expect.objectContaining({ type: 'billing', countryCode: 'PL' })],
			}),
		);
		expect(clients.find((c) => c.code === FIXTURES.blockedClient)?.blocked).toBe(true);
		const one = await runEnova(
			enovaCredential(sim),
			{ resource: 'client', operation: 'get', clientCode: { mode: 'id', value: '={{ $json.code }}' } },
			{ items: [{ json: { code: FIXTURES.retailClient } }, { json: { code: 'NIKT-ŻADEN' } }], continueOnFail: true },
		);
		expect(out(one)[0]).toEqual(expect.objectContaining({ code: FIXTURES.retailClient, priceListCode: 'Detaliczna' }));
		expect(out(one)[1].error).toBe('Item 1: client "NIKT-ŻADEN" does not exist in enova365');
		expect((one.output?.[0] ?? []).map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(clients.find((c) => c.code === FIXTURES.salesBlockedClient)?.blocked).toBe(true);
	});
});

describe('enova365 › orders', () => {
	it('creates the ZO once: a second run finds it', async () => {
		const cred = enovaCredential(sim);
		const order = zoOrder(1);
		const first = out(await createZo(cred, order))[0];
		expect(first).toEqual(
			expect.objectContaining({
				orderNumber: order.number,
				action: 'created',
				erpDocumentNumber: expect.stringMatching(/ZO/),
			}),
		);
		const second = out(await createZo(cred, order))[0];
		expect(second).toEqual(expect.objectContaining({ action: 'existing', erpDocumentId: first.erpDocumentId }));
		expect(zosOf(order.number)).toHaveLength(1);
		expect(zosOf(order.number)[0].uwagi ?? '').toMatch(POLISH);
	});

	it.each(['dynamic', 'methodInvoker'] as const)(
		'a lost AddZO answer (%s) ends with one ZO: FindZO before posting again',
		async (mode) => {
			const order = zoOrder(2);
			sim.faults.loseResponse({ path: /\/AddZO$/ });
			const r = await createZo(enovaCredential(sim, mode), order);
			expect(r.error).toBeUndefined();
			expect(out(r)[0]).toEqual(expect.objectContaining({ action: 'created', orderNumber: order.number }));
			expect(zosOf(order.number)).toHaveLength(1);
			expect(sim.requests.filter((q) => q.path.endsWith('/AddZO'))).toHaveLength(1);
		},
	);

	it('refusals: a blocked client and an unknown product are final, a locked database is temporary', async () => {
		const cred = enovaCredential(sim);
		const blocked = await createZo(cred, zoOrder(3, { clientCode: FIXTURES.blockedClient }), true);
		const e1 = out(blocked)[0];
		expect(e1.error).toMatch(
			/Item 0: .*enova365 B2BPortalApi\/AddZO answered with an error: Kontrahent 'ZABLOKOWANY' jest zablokowany/,
		);
		expect((e1.details as IDataObject).refusal).toEqual(
			expect.objectContaining({ final: true, reason: expect.stringMatching(/^enova365 odrzucił zamówienie/) }),
		);
		const unknown = out(
			await createZo(
				cred,
				zoOrder(4, {
					lines: [{ lineNo: 1, productCode: 'NIEMA-ŹDŹBŁO', quantity: '1', unitPrice: '1.00', vatRate: '23' }],
				}),
				true,
			),
		)[0];
		expect(((unknown.details as IDataObject).refusal as IDataObject).final).toBe(true);
		expect(unknown.error).toMatch(/Nie znaleziono towaru o kodzie 'NIEMA-ŹDŹBŁO'/);
		sim.lock({ times: 50, path: /\/AddZO$/ });
		const locked = out(await createZo(cred, zoOrder(5), true))[0];
		expect(((locked.details as IDataObject).refusal as IDataObject).final).toBe(false);
		expect(zosOf(zoOrder(5).number)).toHaveLength(0);
	});

	it('MethodInvoker with the interface as ServiceName: conflict is temporary, a lock is waited out', async () => {
		const iface = 'B2BPortal.Interfaces.IB2BPortalApi, B2BPortal';
		const old = await startEnovaSimulator({
			seed: { products: 10, seed: 2 },
			invokerServiceName: iface,
			loginDelayMs: 5,
		});
		try {
			const cred = enovaCredential(old, 'methodInvoker');
			const services = { className: iface };
			const run = async (order: Order) =>
				out(
					await runEnova(
						cred,
						{ resource: 'order', operation: 'create', orderField: '', warehouse: '', services },
						{ items: [{ json: order as never }], continueOnFail: true },
					),
				)[0];
			const order = zoOrder(50);
			old.lock({ times: 2 });
			expect(await run(order)).toEqual(expect.objectContaining({ action: 'created' }));
			expect(old.requests.filter((q) => q.fault !== undefined).map((q) => q.status)).toEqual([503, 503]);
			// a ZO of this number with other lines, made by another n8n process between FindZO and AddZO
			old.faults.add({
				path: /\/AddZO$/,
				kind: 'status',
				status: 200,
				contentType: 'application/json; charset=utf-8',
				body: JSON.stringify({
					IsException: true,
					ExceptionMessage:
						"conflict: Zamówienie ZO/7/2026 kontrahenta 'HURT-ŁÓDŹ' o numerze obcym 'B2B/2026/000051' istnieje z innymi pozycjami",
					ResultInstance: null,
				}),
			});
			const other = await run(zoOrder(51));
			expect(other.error).toMatch(/raised an exception: conflict: Zamówienie .* istnieje z innymi pozycjami/);
			expect((other.details as IDataObject).refusal).toEqual(
				expect.objectContaining({ final: false, code: 'conflict' }),
			);
		} finally {
			await old.close();
		}
	});

	it('a string error body names the item, the action and the method', async () => {
		const r = await createZo(enovaCredential(sim), zoOrder(6, { clientCode: 'NIKT-ŻADEN' }));
		expect(r.error?.message).toMatch(
			/^Item 0: Looking up the enova365 ZO of B2B\/2026\/000006 failed: enova365 B2BPortalApi\/FindZO answered with an error: Nie znaleziono kontrahenta o kodzie 'NIKT-ŻADEN'/,
		);
	});

	it('check prices: individual price with threshold, group discount, blocked client and product', async () => {
		const cred = enovaCredential(sim);
		const prices = out(await runEnova(cred, { resource: 'price', operation: 'getMany', cursorMode: 'all' }));
		const hurtowa = prices.find((p) => p.scopeCode === 'Hurtowa' && p.productCode === FIXTURES.product)!;
		const discounted = (Math.round(Number(hurtowa.net) * 95) / 100).toFixed(2);
		const group = sim.state.kontrahenci.find(
			(k) => k.grupa === FIXTURES.group && !k.blokada && !k.blokadaSprzedazy && k.kod.startsWith('K'),
		)!;
		const orders: Order[] = [
			zoOrder(10), // 10 × 89.00: the client's price from 10 pieces
			zoOrder(11, {
				lines: [{ lineNo: 1, productCode: FIXTURES.product, quantity: '2', unitPrice: '89.00', vatRate: '23' }],
			}),
			zoOrder(12, {
				clientCode: group.kod,
				lines: [{ lineNo: 1, productCode: FIXTURES.product, quantity: '1', unitPrice: discounted, vatRate: '23' }],
			}),
			zoOrder(13, { clientCode: FIXTURES.salesBlockedClient }),
			zoOrder(14, {
				lines: [{ lineNo: 1, productCode: FIXTURES.blockedProduct, quantity: '1', unitPrice: '1.00', vatRate: '23' }],
			}),
		];
		const r = await runEnova(
			cred,
			{ resource: 'order', operation: 'checkPrices', orderField: '', toleranceAmount: '0.00', tolerancePercent: 0 },
			{ items: orders.map((o) => ({ json: o as never })) },
		);
		expect(r.error).toBeUndefined();
		const checks = out(r).map((i) => i.priceCheck as IDataObject);
		expect(checks[0].accepted).toBe(true);
		expect(checks[1]).toEqual(
			expect.objectContaining({ accepted: false, reason: expect.stringMatching(/89.00 zamiast 99.00 PLN netto/) }),
		);
		expect(checks[2]).toEqual(expect.objectContaining({ accepted: true }));
		expect((checks[2].lines as IDataObject[])[0].source as string).toMatch(/Hurtowa less 5 %/);
		expect(checks[3]).toEqual(
			expect.objectContaining({
				accepted: false,
				reason: `Klient ${FIXTURES.salesBlockedClient} jest zablokowany w enova365`,
			}),
		);
		expect(checks[4].reason).toBe(`Pozycja 1: produkt ${FIXTURES.blockedProduct} jest zablokowany w enova365`);
		expect((r.output?.[0] ?? []).map((i) => i.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
	});

	it('status: confirmed, shipped, invoiced, cancelled; changes since the last run', async () => {
		const cred = enovaCredential(sim);
		const a = zoOrder(20);
		const b = zoOrder(21);
		await createZo(cred, a);
		await createZo(cred, b);
		const status = async (n: string) =>
			out(await runEnova(cred, { resource: 'order', operation: 'getStatus', orderNumber: n }))[0];
		expect(await status(a.number)).toEqual(expect.objectContaining({ status: 'confirmed', enovaState: 'Bufor' }));
		expect(await status('B2B/NIE-MA/ŻADNEGO')).toEqual(expect.objectContaining({ status: 'placed', notInEnova: true }));
		const changes = { resource: 'order', operation: 'getStatusChanges', cursorMode: 'stored' };
		const first = await runEnova(cred, changes);
		expect(
			out(first)
				.map((s) => s.orderNumber)
				.sort(),
		).toEqual([a.number, b.number]);
		const zoA = zosOf(a.number)[0];
		sim.state.confirmZO(zoA.id);
		sim.state.issueWZ(zoA.id);
		expect(await status(a.number)).toEqual(expect.objectContaining({ status: 'shipped' }));
		sim.state.issueFV(zoA.id);
		sim.state.cancelZO(zosOf(b.number)[0].id);
		const next = out(await runEnova(cred, changes, { staticData: afterRecordRun(first.staticData) }));
		expect(next.map((s) => [s.orderNumber, s.status]).sort()).toEqual([
			[a.number, 'invoiced'],
			[b.number, 'cancelled'],
		]);
		expect(next.find((s) => s.status === 'cancelled')?.reason).toMatch(/anulowane w enova365/);
	});
});

describe('enova365 › invoices', () => {
	it.each(['dynamic', 'methodInvoker'] as const)(
		'invoices of portal orders with the PDF as binary data (%s)',
		async (mode) => {
			const cred = enovaCredential(sim, mode);
			const order = zoOrder(30);
			await createZo(cred, order);
			const zo = zosOf(order.number)[0];
			sim.state.confirmZO(zo.id);
			sim.state.issueFV(zo.id, { paymentDays: 14 });
			const r = await runEnova(cred, {
				resource: 'invoice',
				operation: 'getMany',
				cursorMode: 'all',
				downloadPdf: true,
			});
			expect(r.error).toBeUndefined();
			const [item] = r.output?.[0] ?? [];
			expect(item.json).toEqual(
				expect.objectContaining({
					orderNumber: order.number,
					clientCode: FIXTURES.client,
					currency: 'PLN',
					totals: expect.objectContaining({ gross: expect.any(String) }),
				}),
			);
			const pdf = item.binary?.data;
			expect(pdf?.mimeType).toBe('application/pdf');
			expect(pdf?.fileName).toMatch(/^FV_.*\.pdf$/);
			expect(Buffer.from(String(pdf?.data), 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
		},
	);
});

describe('enova365 › malformed answers and secrets', () => {
	it('a malformed Soneta value is an error naming the record and the field', async () => {
		sim.faults.add({
			path: /\/GetCeny$/,
			kind: 'status',
			status: 200,
			contentType: 'application/json; charset=utf-8',
			body: JSON.stringify({
				Strona: 1,
				CzyJestNastepna: false,
				Stamp: '2147480100',
				Ceny: [
					{ Towar: 'ŁÓD-001', Definicja: 'Podstawowa', Netto: { Value: '12 zł 30 gr', Symbol: 'PLN' }, Stamp: '1' },
				],
			}),
		});
		const r = await runEnova(enovaCredential(sim), {
			resource: 'price',
			operation: 'getMany',
			cursorMode: 'all',
			individual: false,
		});
		expect(r.error?.message).toBe(
			'enova365 Cena ŁÓD-001 / Podstawowa: field "Netto.Value" is "12 zł 30 gr", not an amount (e.g. "129,99")',
		);
	});

	it('no credential value in any output, error or run data (both modes)', async () => {
		const dyn = enovaCredential(sim);
		const inv = enovaCredential(sim, 'methodInvoker');
		const runs = [
			await runEnova(dyn, { ...products, cursorMode: 'all' }),
			await createZo(dyn, zoOrder(40, { clientCode: FIXTURES.blockedClient }), true),
			await runEnova(inv, { resource: 'client', operation: 'getMany', cursorMode: 'all' }),
			await createZo(inv, zoOrder(41, { clientCode: 'NIKT-ŻADEN' }), true),
		];
		const collected = runs.map((r, n) => ({
			source: `run ${n}`,
			text: JSON.stringify({
				out: r.output,
				e: r.error?.message,
				d: (r.error as { description?: string })?.description,
				run: r.runData,
			}),
		}));
		const leaks = scanForSecrets(
			[
				{ label: 'app token', value: sim.appToken },
				{ label: 'session token', value: String(dyn.session) },
				{ label: 'MethodInvoker password', value: sim.password },
			],
			collected,
		);
		expect(leaks).toEqual([]);
	});
});
