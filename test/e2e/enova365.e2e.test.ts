/**
 * The enova365 templates (workflows-templates/enova365/) in ONE real n8n 2.41.1 with the packed pack, against the
 * enova365 WebAPI simulator (with the pack's B2B add-on) and the portal simulator. Every assertion is on what the
 * PORTAL ends up holding (and, for orders, which ZOs enova holds): products with their Polish names byte for byte,
 * definition prices and a client's individual price, stock = 95 % of available, contractors with the blocked ones
 * blocked, orders confirmed with the ZO number or rejected with a reason (price; unknown or blocked client or
 * product — before any claim), one ZO after a lost answer, statuses after confirm / WZ / FV, invoices with their PDF.
 * Then: both ways into enova (Dynamic WebAPI session and MethodInvoker) run the same templates; sessions expire in
 * the middle of a 10,000-product sync with no gap and no duplicate; and no credential value appears in any run data,
 * output or n8n log.
 *
 * `n8n execute` needs the Manual Trigger "Run now (test)" first among the trigger nodes (see sap-b1.e2e.test.ts);
 * these CLI runs keep the nodes' cursors (workflow static data) between runs as active workflows do.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { N8nInstance, REPO_ROOT, nodeItems, nodeRecords, withoutSchedule } from './harness/n8n-instance';
import { stepTimings, until, ranNodes as ran, collectingExecute } from './harness/steps';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { FIXTURES, startEnovaSimulator, type EnovaSimulator } from '../simulators/enova365/server';
import type { Kontrahent, Towar } from '../simulators/enova365/state';
import type { Order } from '../../nodes/shared/model/types';
import { scanForSecrets, type Collected, type Secret } from '../harness/credential-scan';

jest.setTimeout(300_000);

const DIR = path.join(REPO_ROOT, 'workflows-templates', 'enova365');
const template = (name: string) => JSON.parse(readFileSync(path.join(DIR, `enova365-${name}.json`), 'utf8'));
const ENOVA_CRED = { id: 'enovaCred00001', name: 'enova365 account' };
const ENOVA_MI_CRED = { id: 'enovaCredMI001', name: 'enova365 account (MethodInvoker)' };
const PORTAL_CRED = { id: 'portalCred0001', name: 'B2B Portal account' };
const NAMES = ['products', 'prices', 'stock', 'clients', 'orders', 'order-status', 'invoices'] as const;
type Name = (typeof NAMES)[number];
const POLISH = /[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]/;
const APP_TOKEN = 'e2e-enova-APP-TOKEN.9f3c1a7b5d.c0ffee42';
const MI_PASSWORD = 'e2e-Hasło-żółw-71c2';
const PORTAL_KEY = 'e2e-portal-KEY-5ab1c9e2';
const WEBHOOK_SECRET = 'e2e-webhook-SECRET-żółć';

let enova: EnovaSimulator;
let portal: PortalSimulator;
let n8n: N8nInstance;
const ids = {} as Record<Name, string>;
/** the same templates bound to the MethodInvoker credential */
const mi = {} as Record<'stock' | 'orders', string>;
const collected: Collected[] = [];
const sessionTokens: string[] = [];
const started = Date.now();
const { timings, timed } = stepTimings();
/** `n8n execute`, its output kept for the credential scan */
const execute = collectingExecute(() => n8n, timed, collected);
const batches = (apiPath: string, mark: number) =>
	portal.requests.slice(mark).filter((r) => r.method === 'POST' && r.path === apiPath && r.status === 200);
const recordsSent = (apiPath: string, mark: number) =>
	batches(apiPath, mark).reduce((n, r) => n + (r.itemCount ?? 0), 0);

/** 95 % of enova's available (on hand − reserved, never below 0), rounded down to whole units; 1/10,000 units. */
const buffered95 = (stan: number, reserved: number): string => {
	const free = Math.max(0, Math.round((stan - reserved) * 10_000));
	return String(Math.floor((free * 95) / 1_000_000));
};
const zos = (number: string) => enova.state.zo.filter((z) => z.obcyNumer === number);
const towarById = (id: number) => enova.state.towary.find((t) => t.id === id)!;

/** Every stock row of enova is in the portal: on hand, reserved, available after the 95 % buffer. */
function expectPortalStockEqualsEnova() {
	// services (Typ 2) hold no stock: the add-on does not list their rows
	const rows = enova.state.stany.filter((s) => towarById(s.towarId).typ !== 2);
	expect(rows.length).toBeGreaterThan(100);
	expect(portal.state.stock.size).toBe(rows.length);
	for (const s of rows) {
		const code = towarById(s.towarId).kod;
		const wh = enova.state.magazyny.find((m) => m.id === s.magazynId)!.symbol;
		const got = portal.state.stock.get(portal.state.keys.stock({ productCode: code, warehouseCode: wh }))!;
		expect({ code, wh, onHand: Number(got.onHand), reserved: Number(got.reserved), available: got.available }).toEqual({
			code,
			wh,
			onHand: s.stan,
			reserved: s.zarezerwowano,
			available: buffered95(s.stan, s.zarezerwowano),
		});
	}
}

/** A contractor enova sells to, on a net price definition, without individual prices of its own. */
function client(skip = 0): Kontrahent {
	const net = new Set(enova.state.definicje.filter((d) => !d.brutto && !d.blokada).map((d) => d.nazwa));
	const all = enova.state.kontrahenci.filter(
		(k) =>
			/^K\d+$/.test(k.kod) &&
			!k.blokada &&
			!k.blokadaSprzedazy &&
			net.has(k.definicjaCeny) &&
			!enova.state.cenyIndywidualne.some((c) => c.kontrahentId === k.id),
	);
	return all[skip % all.length];
}

/** Products enova prices for this client by its definition alone, sellable, in pieces, ≥ 20 free in warehouse 1. */
function orderable(k: Kontrahent, count: number, offset = 0): Towar[] {
	const def = enova.state.definicja(k.definicjaCeny);
	const wh = enova.state.magazyn(FIXTURES.warehouse);
	const ok = (t: Towar) => {
		if (t.blokada || t.typ === 2 || t.jednostka !== 'szt.' || !enova.state.cena(t.id, def.id)) return false;
		if (enova.state.cenyIndywidualne.some((c) => c.towarId === t.id)) return false;
		const s = enova.state.stany.find((r) => r.towarId === t.id && r.magazynId === wh.id);
		return !!s && s.stan - s.zarezerwowano >= 20;
	};
	return enova.state.towary.filter(ok).slice(offset, offset + count);
}

/** money in the simulator is in grosze */
const netPrice = (k: Kontrahent, t: Towar) =>
	(enova.state.cena(t.id, enova.state.definicja(k.definicjaCeny).id)!.netto / 100).toFixed(2);

/** A portal order at the prices enova charges this client (or its first line `wrongBy` PLN off). */
function portalOrder(n: number, k: Pick<Kontrahent, 'kod'> & Partial<Kontrahent>, items: Towar[], wrongBy = 0): Order {
	return {
		number: `B2B/2026/${String(n).padStart(6, '0')}`,
		clientCode: k.kod,
		placedAt: `${enova.state.today()}T10:15:00+01:00`,
		currency: 'PLN',
		priceType: 'net',
		lines: items.map((t, i) => ({
			lineNo: i + 1,
			productCode: t.kod,
			quantity: String(i + 2),
			unitPrice: (Number(netPrice(k as Kontrahent, t)) + (i === 0 ? wrongBy : 0)).toFixed(2),
			vatRate: portal.state.products.get(t.kod)!.vatRate,
		})),
		notes: 'Proszę o dostawę przed świętami — zażółć gęślą jaźń',
	};
}

beforeAll(async () => {
	[enova, portal] = await Promise.all([
		startEnovaSimulator({
			seed: { products: 200, seed: 7 },
			clock: { start: Date.now(), frozen: true },
			appToken: APP_TOKEN,
			password: MI_PASSWORD,
		}),
		startPortalSimulator({ apiKey: PORTAL_KEY, webhookSecret: WEBHOOK_SECRET }),
	]);
	// every session token enova hands out, for the credential scan
	const create = enova.sessions.create.bind(enova.sessions);
	enova.sessions.create = (operator: string) => {
		const session = create(operator);
		sessionTokens.push(session.token);
		return session;
	};
	n8n = await N8nInstance.create();
	await timed('install pack', () => n8n.installPack());
	const enovaData = {
		baseUrl: enova.url,
		sessionExpiredStatus: 401,
		ignoreSslIssues: false,
	};
	await timed('import credentials', () =>
		n8n.importCredentials([
			{ ...ENOVA_CRED, type: 'enova365Api', data: { ...enovaData, mode: 'dynamic', appToken: APP_TOKEN } },
			{
				...ENOVA_MI_CRED,
				type: 'enova365Api',
				data: {
					...enovaData,
					mode: 'methodInvoker',
					databaseHandle: enova.database,
					operator: enova.operator,
					password: MI_PASSWORD,
				},
			},
			{
				...PORTAL_CRED,
				type: 'b2bPortalApi',
				data: { baseUrl: portal.url, authType: 'apiKey', apiKey: PORTAL_KEY, webhookSecret: WEBHOOK_SECRET },
			},
		]),
	);
	// The orders template creates the ZO in its enova365 part, which n8n binds to one enova365 account: the
	// MethodInvoker copy calls a copy of that part (another fixed id) bound to the MethodInvoker account, imported and
	// published first (the import below starts n8n once, which records the publication)
	const shippedPart = JSON.parse(
		readFileSync(path.join(DIR, 'parts', 'enova365-order-into-enova365.json'), 'utf8'),
	) as { id: string; name: string };
	const miPart = { ...shippedPart, id: 'erpB2bEnovaMI001', name: `${shippedPart.name} — MethodInvoker` };
	const miCredentials = { enova365Api: ENOVA_MI_CRED, b2bPortalApi: PORTAL_CRED };
	await n8n.importWorkflows([{ workflow: miPart, id: miPart.id, credentialIds: miCredentials }]);
	await n8n.publish(miPart.id);
	const miCopy = (name: 'stock' | 'orders') => {
		const wf = template(name);
		wf.name = `${wf.name} — MethodInvoker`;
		// the webhook path is the trigger's webhookId: the copy must not take the original's path
		for (const n of wf.nodes) if (n.webhookId) n.webhookId = `${n.webhookId.slice(0, -4)}0mi1`;
		for (const n of wf.nodes)
			if (n.parameters?.workflowId?.value === shippedPart.id)
				n.parameters.workflowId = { ...n.parameters.workflowId, value: miPart.id, cachedResultName: miPart.name };
		return { workflow: wf, credentialIds: miCredentials };
	};
	expect(JSON.stringify(miCopy('orders').workflow)).toContain(miPart.id);
	const imported = await timed('import 7 templates + 2 MethodInvoker copies', () =>
		n8n.importWorkflows([
			...NAMES.map((name) => ({
				workflow: template(name),
				credentialIds: { enova365Api: ENOVA_CRED, b2bPortalApi: PORTAL_CRED },
			})),
			miCopy('stock'),
			miCopy('orders'),
		]),
	);
	NAMES.forEach((name, i) => (ids[name] = imported[i]));
	[mi.stock, mi.orders] = imported.slice(NAMES.length);
});

afterAll(async () => {
	await n8n?.dispose();
	await Promise.all([enova?.close(), portal?.close()]);
	timings.push(`whole file: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	console.log(`enova365 e2e timings:\n  ${timings.join('\n  ')}`);
});

afterEach(() => {
	expect(portal.contractViolations).toEqual([]);
	expect(enova.crashes).toEqual([]);
});

describe('the templates as shipped', () => {
	it.each(readdirSync(DIR).filter((f) => f.endsWith('.json')))(
		'%s: credentials by type only, error workflow ready, sticky notes, ends with a heartbeat',
		(file) => {
			const wf = JSON.parse(readFileSync(path.join(DIR, file), 'utf8'));
			expect(wf.settings).toEqual({ executionOrder: 'v1', errorWorkflow: '' });
			for (const node of wf.nodes)
				for (const [type, ref] of Object.entries<{ id: string; name: string }>(node.credentials ?? {})) {
					expect(ref.id).toBe('');
					expect({ type, name: ref.name }).toEqual(
						type === 'enova365Api'
							? { type, name: 'enova365 account' }
							: { type: 'b2bPortalApi', name: 'B2B Portal account' },
					);
				}
			expect(
				wf.nodes.filter((n: { type: string }) => n.type === 'n8n-nodes-base.stickyNote').length,
			).toBeGreaterThanOrEqual(2);
			const heartbeat = wf.nodes.find((n: { name: string }) => n.name === 'Record run');
			expect(heartbeat.parameters).toMatchObject({ resource: 'syncStatus', operation: 'record', status: 'success' });
			expect(heartbeat.parameters.flow).toMatch(/^enova365 /);
			expect(wf.connections['Record run']).toBeUndefined();
			const triggers = wf.nodes.filter(
				(n: { type: string }) => /Trigger$/i.test(n.type) && !n.type.endsWith('b2bPortalTrigger'),
			);
			expect(triggers[0]).toMatchObject({ name: 'Run now (test)', type: 'n8n-nodes-base.manualTrigger' });
		},
	);
});

describe('catalogue: products, prices, stock and clients', () => {
	let results: Awaited<ReturnType<N8nInstance['executeBatch']>>;

	beforeAll(async () => {
		results = await timed('execute-batch products, prices, stock, clients, order-status, invoices', () =>
			n8n.executeBatch([ids.products, ids.prices, ids.stock, ids.clients, ids['order-status'], ids.invoices]),
		);
		for (const [id, r] of Object.entries(results))
			collected.push({ source: `batch run ${id}`, text: JSON.stringify(r) });
	});

	it('all runs succeed, start from "Run now (test)" and record their heartbeat', () => {
		for (const name of ['products', 'prices', 'stock', 'clients', 'order-status', 'invoices'] as const) {
			expect({ name, ...results[ids[name]], data: undefined }).toMatchObject({ name, ok: true, status: 'success' });
			expect(ran(results[ids[name]].data)).toContain('Run now (test)');
			expect(portal.state.syncStatus.get(`enova365 ${name}`)).toMatchObject({
				status: 'success',
				expectedEveryMinutes: { products: 30, prices: 30, stock: 5, clients: 1440, 'order-status': 15, invoices: 15 }[
					name
				],
			});
		}
		expect(ran(results[ids.products].data)).toEqual(
			expect.arrayContaining(['enova365: all products', 'Send products to portal', 'Record run']),
		);
		expect(portal.state.syncStatus.get('enova365 order-status')!.counts).toEqual({ statuses: 0 });
		expect(portal.state.syncStatus.get('enova365 invoices')!.counts).toEqual({ invoices: 0 });
	});

	it('products: one per enova Towar, names byte for byte, blocked ones not active', () => {
		const towary = enova.state.towary;
		expect(portal.state.products.size).toBe(towary.length);
		expect(towary.filter((t) => POLISH.test(t.nazwa)).length).toBeGreaterThan(10);
		for (const t of towary) {
			const p = portal.state.products.get(t.kod)!;
			expect(p).toBeDefined();
			expect(Buffer.from(p.name, 'utf8').equals(Buffer.from(t.nazwa, 'utf8'))).toBe(true);
			expect({ code: p.code, active: p.active }).toEqual({ code: t.kod, active: !t.blokada });
			if (t.ean) expect(p.ean).toBe(t.ean);
		}
		expect(portal.state.products.get(FIXTURES.product)!.name).toBe('Łódka wiosłowa żółta');
		expect(portal.state.products.get(FIXTURES.blockedProduct)!.active).toBe(false);
		expect(portal.state.syncStatus.get('enova365 products')!.counts).toMatchObject({
			products: towary.length,
			failed: 0,
		});
	});

	it("prices: every definition's price, and a client's individual price shown to that client only", () => {
		const prices = [...portal.state.prices.values()];
		let checked = 0;
		for (const c of enova.state.ceny) {
			const def = enova.state.definicje.find((d) => d.id === c.definicjaId)!;
			if (def.blokada) continue;
			const code = towarById(c.towarId).kod;
			const got = prices.filter(
				(p) => p.productCode === code && p.scope === 'priceList' && p.scopeCode === def.nazwa && !p.minQuantity,
			);
			expect({ code, def: def.nazwa, n: got.length }).toEqual({ code, def: def.nazwa, n: 1 });
			if (def.brutto) expect(got[0].gross).toBe((c.brutto / 100).toFixed(2));
			else expect(got[0].net).toBe((c.netto / 100).toFixed(2));
			checked++;
		}
		expect(checked).toBeGreaterThan(200);
		// a blocked definition is left out
		expect(prices.some((p) => p.scopeCode === FIXTURES.blockedPriceDefinition)).toBe(false);
		// HURT-ŁÓDŹ's individual prices on ŁÓD-001: 99 zł from 1 piece, 89 zł from 10 — for that client only
		const individual = prices.filter((p) => p.productCode === FIXTURES.product && p.scope === 'client');
		expect(individual.every((p) => p.scopeCode === FIXTURES.client)).toBe(true);
		const from1 = individual.find((p) => p.net === '99.00')!;
		expect(from1).toMatchObject({ scopeCode: FIXTURES.client, validFrom: `${enova.state.today().slice(0, 4)}-01-01` });
		expect(from1.minQuantity).toBeUndefined();
		expect(individual.find((p) => p.net === '89.00')).toMatchObject({ scopeCode: FIXTURES.client, minQuantity: '10' });
	});

	it('stock: every product in every warehouse, available = 95 % of (on hand − reserved), rounded down', () => {
		expectPortalStockEqualsEnova();
		const lowered = [...portal.state.stock.values()].filter(
			(s) => Number(s.available) < Number(s.onHand) - Number(s.reserved),
		);
		expect(lowered.length).toBeGreaterThan(10);
		expect(nodeRecords(results[ids.stock].data, 'Stock buffer 95 %', 0, n8n.userFolder).length).toBe(
			portal.state.stock.size,
		);
		// handed over in batch files, not one item per record
		const batchItems = nodeItems(results[ids.stock].data, 'Stock buffer 95 %');
		expect(batchItems.every((j) => j.records === undefined && typeof j.count === 'number')).toBe(true);
	});

	it('clients: every contractor, Blokada and Blokada sprzedaży blocked', () => {
		const all = enova.state.kontrahenci;
		expect([...portal.state.clients.keys()].sort()).toEqual(all.map((k) => k.kod).sort());
		for (const k of all) {
			const c = portal.state.clients.get(k.kod)!;
			expect(Buffer.from(c.name, 'utf8').equals(Buffer.from(k.nazwa, 'utf8'))).toBe(true);
			expect({ code: k.kod, blocked: c.blocked }).toEqual({ code: k.kod, blocked: k.blokada || k.blokadaSprzedazy });
		}
		expect(portal.state.clients.get(FIXTURES.blockedClient)!.blocked).toBe(true);
		expect(portal.state.clients.get(FIXTURES.salesBlockedClient)!.blocked).toBe(true);
		expect(portal.state.clients.get(FIXTURES.client)!.blocked).toBe(false);
		expect(all.some((k) => POLISH.test(k.nazwa))).toBe(true);
	});

	it('a second stock run reads only what moved (nothing), sends nothing and records its heartbeat', async () => {
		portal.state.syncStatus.clear();
		const mark = portal.requests.length;
		const run = await execute(ids.stock, 'execute stock again (delta, nothing moved)');
		expect(run.error).toBeUndefined();
		expect(ran(run.data)).not.toContain('enova365: all stock');
		const read = nodeRecords(run.data, 'enova365: stock changed since last run', 0, n8n.userFolder);
		expect(read.filter((r) => r.productCode !== undefined)).toHaveLength(0);
		expect(batches('/v1/stock/batch', mark)).toEqual([]);
		expect(portal.state.syncStatus.get('enova365 stock')).toMatchObject({ status: 'success', counts: { stock: 0 } });
	});
});

describe('orders: price check, ZO in enova365, confirmation or rejection', () => {
	const lastStatus = (number: string) => portal.state.orderStatusHistory.get(number)?.at(-1);
	const claimed = (number: string) => portal.state.claims.log.some((e) => e.orderNumber === number);

	it('polling: an order at enova prices is confirmed with the ZO number; a wrong price is rejected with a reason; an individual price is honoured', async () => {
		const k = client(0);
		const good = portal.seedOrder(portalOrder(701, k, orderable(k, 2)));
		const bad = portal.seedOrder(portalOrder(702, k, orderable(k, 2, 2), 1));
		const hurt = enova.state.kontrahent(FIXTURES.client);
		const lodka = enova.state.towar(FIXTURES.product);
		const individual = portal.seedOrder({
			...portalOrder(705, hurt, []),
			lines: [
				{
					lineNo: 1,
					productCode: lodka.kod,
					quantity: '2',
					unitPrice: '99.00',
					vatRate: portal.state.products.get(lodka.kod)!.vatRate,
				},
			],
		});
		const run = await execute(ids.orders, 'execute orders (3 orders, polling)');
		expect(run.error).toBeUndefined();

		for (const o of [good, individual]) {
			const [zo, ...more] = zos(o.number);
			expect(more).toEqual([]);
			expect(zo.kontrahentId).toBe(enova.state.kontrahent(o.clientCode).id);
			expect(portal.state.orders.get(o.number)).toMatchObject({ status: 'confirmed', erpDocumentNumber: zo.numer });
			expect(zo.numer).toMatch(/^ZO\//);
			expect(zo.pozycje.map((l) => [l.kod, l.ilosc])).toEqual(o.lines.map((l) => [l.productCode, Number(l.quantity)]));
		}
		expect(zos(bad.number)).toEqual([]);
		expect(portal.state.orders.get(bad.number)!.status).toBe('rejected');
		expect(lastStatus(bad.number)!.reason).toContain(
			`Cena pozycji 1 (${bad.lines[0].productCode}) różni się od cennika: ${bad.lines[0].unitPrice} zamiast ${netPrice(k, enova.state.towar(bad.lines[0].productCode))}`,
		);
		expect(portal.state.syncStatus.get('enova365 orders')).toMatchObject({
			counts: { confirmed: 2, rejected: 1, outOfStock: 0 },
			expectedEveryMinutes: 5,
		});
		// the ZO reserved its quantities in enova: the stock row shows it
		const zoLine = zos(good.number)[0].pozycje[0];
		expect(
			enova.state.stanRow(zoLine.towarId, enova.state.magazyn(FIXTURES.warehouse).id).zarezerwowano,
		).toBeGreaterThanOrEqual(zoLine.ilosc);
	});

	it('orders enova can never take — unknown or blocked client, unknown or blocked product — are rejected with the reason before any claim or ZO; the rest go through', async () => {
		const fine = client(1);
		const [a, b, c] = orderable(fine, 3, 5);
		const cases: Array<[Order, RegExp]> = [
			[
				portal.seedOrder({ ...portalOrder(751, fine, [a]), clientCode: 'KLIENT-ŹDŹBŁO-404' }),
				/Klient KLIENT-ŹDŹBŁO-404 nie istnieje w enova365/,
			],
			[
				portal.seedOrder({ ...portalOrder(752, fine, [b]), clientCode: FIXTURES.blockedClient }),
				/Klient ZABLOKOWANY .*enova365/,
			],
			[
				portal.seedOrder({ ...portalOrder(753, fine, [b]), clientCode: FIXTURES.salesBlockedClient }),
				/Klient BEZ-SPRZEDAŻY .*enova365/,
			],
		];
		const unknownProduct = portalOrder(754, fine, [c]);
		unknownProduct.lines[0] = { ...unknownProduct.lines[0], productCode: 'TOWAR-ŻÓŁW-404' };
		cases.push([portal.seedOrder(unknownProduct), /Pozycja 1: produkt TOWAR-ŻÓŁW-404 nie istnieje w enova365/]);
		const blockedProduct = portalOrder(755, fine, [c]);
		blockedProduct.lines[0] = { ...blockedProduct.lines[0], productCode: FIXTURES.blockedProduct };
		cases.push([portal.seedOrder(blockedProduct), /Pozycja 1: produkt WYC-ŻURAW .*enova365/]);
		const accepted = portal.seedOrder(portalOrder(756, fine, [a, c]));
		const addsBefore = enova.requests.filter((r) => /\/AddZO$/.test(r.path)).length;
		portal.state.syncStatus.clear();
		const run = await execute(ids.orders, 'execute orders (5 enova cannot take)');
		expect(run.error).toBeUndefined();
		for (const [order, reason] of cases) {
			expect({ n: order.number, s: portal.state.orders.get(order.number)!.status }).toEqual({
				n: order.number,
				s: 'rejected',
			});
			expect(lastStatus(order.number)!.reason).toMatch(reason);
			expect(claimed(order.number)).toBe(false);
			expect(zos(order.number)).toEqual([]);
		}
		expect(enova.requests.filter((r) => /\/AddZO$/.test(r.path)).length - addsBefore).toBe(1);
		expect(portal.state.orders.get(accepted.number)).toMatchObject({
			status: 'confirmed',
			erpDocumentNumber: zos(accepted.number)[0].numer,
		});
		expect(portal.state.syncStatus.get('enova365 orders')).toMatchObject({ counts: { confirmed: 1, rejected: 5 } });
	});

	it('a lost answer on ZO creation: exactly one ZO, confirmed once', async () => {
		const k = client(2);
		const order = portal.seedOrder(portalOrder(704, k, orderable(k, 2, 8)));
		const fault = enova.faults.loseResponse();
		const acksBefore = portal.requests.filter((r) => r.path.endsWith('/acknowledge')).length;
		const run = await execute(ids.orders, 'execute orders (lost answer)');
		expect(run.error).toBeUndefined();
		expect(fault.hits).toBe(1);
		expect(enova.requests.filter((r) => /\/AddZO$/.test(r.path)).map((r) => r.status)).toContain(0);
		const created = zos(order.number);
		expect(created).toHaveLength(1);
		expect(portal.state.orders.get(order.number)).toMatchObject({
			status: 'confirmed',
			erpDocumentNumber: created[0].numer,
		});
		expect(portal.requests.filter((r) => r.path.endsWith('/acknowledge')).length - acksBefore).toBe(1);
		expect(portal.state.orderStatusHistory.get(order.number)!.filter((s) => s.status === 'confirmed')).toHaveLength(1);
	});

	it('enova locked while the ZO is created: the claim is released, the run fails (alert) with the order still placed; the next run creates one ZO', async () => {
		const k = client(5);
		const order = portal.seedOrder(portalOrder(708, k, orderable(k, 1, 16)));
		// every AddZO answers 503 locked (Retry-After 1) until the fault is removed: the node's retries run out
		const lock = enova.lock({ times: 1000, path: /\/AddZO$/ });
		let failed;
		try {
			failed = await execute(ids.orders, 'execute orders (enova locked)');
		} finally {
			enova.faults.clear();
		}
		expect(lock.hits).toBeGreaterThan(0);
		expect(failed.ok).toBe(false);
		expect(failed.error).toContain(`enova365 did not take portal order ${order.number} (attempt 1 of 5`);
		expect(ran(failed.data)).toEqual(
			expect.arrayContaining(['Create each order in enova365', 'Stop: enova365 refused an order']),
		);
		// the part (Try enova365 again later? → Release claim) hands the order back to try again, not rejected
		expect(nodeItems(failed.data, 'Create each order in enova365').map((o) => o.outcome)).toEqual(['retryLater']);
		expect(portal.state.orders.get(order.number)!.status).toBe('placed');
		expect(zos(order.number)).toEqual([]);

		const again = await execute(ids.orders, 'execute orders (enova unlocked)');
		expect(again.error).toBeUndefined();
		const [zo, ...more] = zos(order.number);
		expect(more).toEqual([]);
		expect(portal.state.orders.get(order.number)).toMatchObject({ status: 'confirmed', erpDocumentNumber: zo.numer });
	});

	it('MethodInvoker credential: the same orders template creates the ZO and confirms it, no session login', async () => {
		const k = client(3);
		const order = portal.seedOrder(portalOrder(706, k, orderable(k, 1, 11)));
		const mark = enova.requests.length;
		const loginsBefore = enova.sessions.logins;
		const run = await execute(mi.orders, 'execute orders (MethodInvoker)');
		expect(run.error).toBeUndefined();
		const calls = enova.requests.slice(mark);
		expect(calls.filter((r) => r.mode === 'invoker').map((r) => r.path)).toEqual(
			expect.arrayContaining([expect.stringMatching(/\/AddZO$/)]),
		);
		expect(calls.filter((r) => r.mode === 'dynamic' || r.mode === 'login')).toEqual([]);
		expect(enova.sessions.logins).toBe(loginsBefore);
		const [zo, ...more] = zos(order.number);
		expect(more).toEqual([]);
		expect(portal.state.orders.get(order.number)).toMatchObject({ status: 'confirmed', erpDocumentNumber: zo.numer });
	});

	it('webhook: a signed order.created event is confirmed in real time', async () => {
		await timed('publish + start n8n', async () => {
			// the published copy without its 5-minute schedule (withoutSchedule says why)
			await n8n.importWorkflows([
				{
					workflow: withoutSchedule(template('orders')),
					id: ids.orders,
					credentialIds: { enova365Api: ENOVA_CRED, b2bPortalApi: PORTAL_CRED },
				},
			]);
			await n8n.publish(ids.orders);
			await n8n.start();
		});
		try {
			const url = await n8n.webhookUrlFor(ids.orders, 'New order in portal');
			const k = client(4);
			const order = portal.seedOrder(portalOrder(703, k, orderable(k, 2, 14)));
			const res = await timed('webhook → confirmed', async () => {
				const r = await portal.sendOrderEvent(url, { type: 'order.created', order: order.number, id: 'evt-enova-703' });
				collected.push({ source: 'webhook answer', text: JSON.stringify(r) });
				await until(
					'the webhook order to be confirmed',
					() => portal.state.orders.get(order.number)?.status === 'confirmed',
				);
				await n8n.waitForExecution(ids.orders, (e) => e.mode === 'webhook' && e.finished);
				return r;
			});
			expect(res.status).toBe(200);
			const [zo, ...more] = zos(order.number);
			expect(more).toEqual([]);
			expect(portal.state.orders.get(order.number)!.erpDocumentNumber).toBe(zo.numer);

			// the credential test (the editor's "Test" button, through n8n's public API), both modes
			const test = async (data: Record<string, unknown>) => {
				const r = await n8n.api('POST', '/credentials', {
					name: `enova test ${Math.random()}`,
					type: 'enova365Api',
					data: { baseUrl: enova.url, sessionExpiredStatus: 401, ignoreSslIssues: false, ...data },
				});
				expect(r.status).toBe(200);
				const t = await n8n.api('POST', `/credentials/${r.json<{ id: string }>().id}/test`);
				collected.push({ source: 'credential test answer', text: t.body });
				return t;
			};
			expect((await test({ mode: 'dynamic', appToken: APP_TOKEN })).json()).toMatchObject({ status: 'OK' });
			const miData = { mode: 'methodInvoker', databaseHandle: enova.database, operator: enova.operator };
			expect((await test({ ...miData, password: MI_PASSWORD })).json()).toMatchObject({ status: 'OK' });
			const wrong = await test({ ...miData, password: 'wrong-Hasło-42' });
			expect(wrong.json()).toMatchObject({ status: 'Error' });
			expect(wrong.body).not.toContain('wrong-Hasło-42');
		} finally {
			collected.push({ source: 'n8n log (server)', text: n8n['rawLogs']() });
			await n8n.stop();
		}
	});
});

describe('after enova confirms, issues the WZ and the FV: order status and invoices', () => {
	const number = 'B2B/2026/000701';
	const status = () => portal.state.orders.get(number)!.status;

	// enova's document dates are days: a WZ issued on the day the order was confirmed must still be newer than the
	// portal's confirmation (it used to be sent as that day's midnight, and the portal kept "confirmed")
	it('a WZ issued on the day the order was confirmed shows the order as shipped', async () => {
		const number = 'B2B/2026/000703';
		const [zo] = zos(number);
		enova.state.confirmZO(zo.id);
		enova.state.issueWZ(zo.id);
		const run = await execute(ids['order-status'], 'execute order-status (WZ the same day)');
		expect(run.error).toBeUndefined();
		const sent = nodeItems(run.data, 'enova365: order statuses changed since last run').find(
			(j) => j.orderNumber === number,
		)!;
		expect(sent).toMatchObject({ status: 'shipped' });
		const confirmedAt = portal.state.orderStatusHistory.get(number)!.find((h) => h.status === 'confirmed')!.changedAt;
		expect(Date.parse(String(sent.changedAt))).toBeGreaterThan(Date.parse(confirmedAt));
		expect(portal.state.orders.get(number)!.status).toBe('shipped');
	});

	it('confirmed in enova → still confirmed; WZ → shipped; FV → invoiced, with its PDF in the portal', async () => {
		const [zo] = zos(number);
		enova.clock.advance(3600_000);
		enova.state.confirmZO(zo.id);
		let run = await execute(ids['order-status'], 'execute order-status (ZO confirmed)');
		expect(run.error).toBeUndefined();
		expect(status()).toBe('confirmed');

		// enova's document dates are days: the WZ the next day, the FV the day after
		enova.clock.advance(24 * 3600_000);
		enova.state.issueWZ(zo.id);
		run = await execute(ids['order-status'], 'execute order-status (WZ)');
		expect(run.error).toBeUndefined();
		expect(status()).toBe('shipped');

		enova.clock.advance(24 * 3600_000);
		const fv = enova.state.issueFV(zo.id);
		const results = await timed('execute-batch order-status, invoices, stock', () =>
			n8n.executeBatch([ids['order-status'], ids.invoices, ids.stock]),
		);
		for (const [id, r] of Object.entries(results))
			collected.push({ source: `batch run ${id}`, text: JSON.stringify(r) });
		expect(results[ids['order-status']]).toMatchObject({ ok: true });
		expect(results[ids.invoices]).toMatchObject({ ok: true });
		expect(results[ids.stock]).toMatchObject({ ok: true });
		expect(status()).toBe('invoiced');
		expect(portal.state.orderStatusHistory.get(number)!.map((s) => s.status)).toEqual(
			expect.arrayContaining(['confirmed', 'shipped', 'invoiced']),
		);
		expect(portal.state.orders.get('B2B/2026/000702')!.status).toBe('rejected'); // never in enova: untouched

		const stored = portal.state.invoices.get(fv.numer)!;
		expect(stored.data).toMatchObject({
			number: fv.numer,
			orderNumber: number,
			clientCode: enova.state.kontrahenci.find((k) => k.id === zo.kontrahentId)!.kod,
			totals: { gross: (fv.suma.brutto / 100).toFixed(2) },
		});
		const pdf = stored.pdf!;
		expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(pdf.subarray(-32).toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
		expect(portal.state.invoices.size).toBe(1);
		expect(portal.state.syncStatus.get('enova365 invoices')).toMatchObject({ counts: { invoices: 1 } });
	});

	it('stock: the 5-minute delta picked up what the ZOs reserved and the WZ took out', () => {
		expectPortalStockEqualsEnova();
	});

	it('MethodInvoker credential: the stock template reads the same stock and the portal still equals enova', async () => {
		const mark = enova.requests.length;
		enova.state.moveStock(FIXTURES.product, FIXTURES.warehouse, -3);
		const run = await execute(mi.stock, 'execute stock (MethodInvoker, first run = all)');
		expect(run.error).toBeUndefined();
		const calls = enova.requests.slice(mark);
		expect(calls.some((r) => r.mode === 'invoker' && /\/GetStany$/.test(r.path))).toBe(true);
		expect(calls.filter((r) => r.mode === 'dynamic' || r.mode === 'login')).toEqual([]);
		expectPortalStockEqualsEnova();
	});
});

describe('products: only changes are sent', () => {
	it('a product renamed in enova: exactly that product is sent, its new Polish name byte for byte', async () => {
		const t = enova.state.towary[3];
		const name = 'Łódka wiosłowa — nowa nazwa zażółć gęślą jaźń';
		enova.state.renameProduct(t.kod, name);
		const mark = portal.requests.length;
		const run = await execute(ids.products, 'execute products (one renamed)');
		expect(run.error).toBeUndefined();
		expect(recordsSent('/v1/products/batch', mark)).toBe(1);
		expect(nodeItems(run.data, 'Only changed products').map((p) => p.code)).toEqual([t.kod]);
		expect(Buffer.from(portal.state.products.get(t.kod)!.name, 'utf8').equals(Buffer.from(name, 'utf8'))).toBe(true);
	});
});

describe('sessions expiring in the middle of a 10,000-product sync', () => {
	it('exactly every product once: no gap, no duplicate, one login per expiry', async () => {
		enova.seed({ products: 10_000, seed: 7 });
		const held = new Map([...portal.state.products].map(([k, v]) => [k, JSON.stringify(v)]));
		enova.requests.length = 0;
		const mark = portal.requests.length;
		const loginsBefore = enova.sessions.logins;
		const pages = () => enova.requests.filter((r) => /\/GetTowary$/.test(r.path) && r.status === 200).length;
		// after the 4th page every session dies (as 300 s after login would), and again after the 12th
		let expiries = 0;
		const watch = setInterval(() => {
			if ((pages() >= 4 && expiries === 0) || (pages() >= 12 && expiries === 1)) {
				enova.sessions.expireAll();
				expiries++;
			}
		}, 1);
		let run;
		try {
			run = await timed('execute-batch products (10,000 products, sessions expiring)', () =>
				n8n.executeBatch([ids.products], { timeoutMs: 240_000 }),
			);
		} finally {
			clearInterval(watch);
		}
		collected.push({ source: 'batch run products 10,000', text: JSON.stringify(run[ids.products].error ?? '') });
		expect(run[ids.products]).toMatchObject({ ok: true, status: 'success' });
		expect(expiries).toBe(2);
		const towary = enova.state.towary;
		expect(towary.length).toBeGreaterThan(10_000);
		// the portal holds every product (the old ones of the 200-product seed that are gone stay, deactivated)
		for (const t of towary) expect(portal.state.products.get(t.kod)!.name).toBe(t.nazwa);
		const changed = towary.filter((t) => held.get(t.kod) !== JSON.stringify(portal.state.products.get(t.kod)));
		const deactivated = [...held.keys()].filter((code) => !towary.some((t) => t.kod === code));
		expect(changed.length).toBeGreaterThan(9_000);
		// no duplicate: each changed product sent exactly once; the deactivations as partial updates (names kept)
		expect(recordsSent('/v1/products/batch', mark)).toBe(changed.length);
		const patched = portal.requests
			.slice(mark)
			.filter((r) => r.method === 'PATCH' && r.path === '/v1/products/batch' && r.status === 200);
		expect(patched.reduce((n, r) => n + (r.itemCount ?? 0), 0)).toBe(deactivated.length);
		for (const code of deactivated)
			expect(portal.state.products.get(code)).toEqual({ ...JSON.parse(held.get(code)!), active: false });
		const statuses = enova.requests.filter((r) => /\/GetTowary$/.test(r.path)).map((r) => r.status);
		expect(statuses).toContain(401);
		// no gap, nothing read twice: every page answered once with 200 (500 per page)
		expect(statuses.filter((s) => s === 200)).toHaveLength(Math.ceil(towary.length / 500));
		expect(enova.sessions.logins - loginsBefore).toBeLessThanOrEqual(3);
		expect(enova.sessions.logins - loginsBefore).toBeGreaterThanOrEqual(2);
		expect(portal.state.syncStatus.get('enova365 products')).toMatchObject({ counts: { failed: 0 } });
	});
});

describe('credentials', () => {
	it('no credential value in any output, error, run data or n8n log of the file', async () => {
		const rows = await n8n.sqlite(
			'SELECT e.id AS id, e.status AS status, d.data AS data FROM execution_entity e JOIN execution_data d ON d.executionId = e.id',
		);
		expect(rows.length).toBeGreaterThanOrEqual(10);
		for (const r of rows) collected.push({ source: `execution ${r.id} (${r.status}) run data`, text: String(r.data) });
		collected.push({ source: 'n8n logs', text: n8n['rawLogs']() });
		const secrets: Secret[] = [
			{ label: 'enova app token', value: APP_TOKEN },
			{ label: 'enova MethodInvoker password', value: MI_PASSWORD, user: enova.operator },
			{ label: 'portal API key', value: PORTAL_KEY },
			{ label: 'webhook secret', value: WEBHOOK_SECRET },
			...sessionTokens.map((value, i) => ({ label: `enova session token ${i + 1}`, value })),
		];
		expect(sessionTokens.length).toBeGreaterThanOrEqual(3);
		expect(scanForSecrets(secrets, collected)).toEqual([]);
	});
});
