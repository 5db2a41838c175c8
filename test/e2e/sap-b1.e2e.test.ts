/**
 * The SAP Business One templates (workflows-templates/sap-b1/) in a real n8n 2.41.1 with the packed pack,
 * against the SAP B1 Service Layer simulator (+ its API Gateway) and the portal simulator. Every assertion
 * is on what the PORTAL ends up holding (and, for orders, what SAP holds): products, prices per client,
 * stock per warehouse, clients, orders confirmed with the SAP DocNum or rejected with a reason, statuses
 * moved to invoiced, invoice PDFs. Then the hard cases: sessions expiring in the middle of a 10,000-item
 * product sync, and the answer to POST /Orders lost after SAP created the order.
 *
 * Every template also has a "Run now (test)" Manual Trigger, first among its trigger nodes: n8n 2.41.1's
 * `execute` / `execute-batch` refuse a workflow without a Manual Trigger (or Execute Workflow Trigger) —
 * "Missing node to start execution" (findCliWorkflowStart) — and then start from the FIRST node in the
 * workflow's node list that has a trigger or poll function (Workflow.getStartNode), which may be a Schedule
 * Trigger. These CLI runs have mode "cli", so n8n keeps the nodes' cursors (workflow static data) between
 * runs as it does for active workflows.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { N8nInstance, REPO_ROOT, nodeItems, nodeRecords, withoutSchedule } from './harness/n8n-instance';
import { stepTimings, until, ranNodes as ran } from './harness/steps';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { startSapSimulator, type SapSimulator } from '../simulators/sap-b1/server';
import type { BusinessPartner, ItemRec } from '../simulators/sap-b1/model';
import type { Order } from '../../nodes/shared/model/types';
import { PORTAL_CRED, SAP_CRED, portalCredential, sapCredential } from '../fixtures/credentials';
import { freeStock, plnFromGrosze, pricedByListAlone, SAP_VAT, sellable } from '../fixtures/sap-orders';

jest.setTimeout(240_000);

const DIR = path.join(REPO_ROOT, 'workflows-templates', 'sap-b1');
const template = (name: string) => JSON.parse(readFileSync(path.join(DIR, `sap-b1-${name}.json`), 'utf8'));
const CREDENTIAL_IDS = { sapB1Api: SAP_CRED, b2bPortalApi: PORTAL_CRED };
const NAMES = ['products', 'prices', 'stock', 'clients', 'orders', 'order-status', 'invoices'] as const;
type Name = (typeof NAMES)[number];

/**
 * The prices template as its nightly run executes it: "Run now (test)" reads only the changes (no deletions can
 * be seen there), and `n8n execute` cannot start from the 2:30 Schedule Trigger, so this copy wires the Manual
 * Trigger as the schedule is wired (its Load Sync State step, then "SAP: all prices"). Everything after the trigger is the template as shipped.
 */
function nightlyPrices() {
	const wf = template('prices');
	expect(wf.connections['Every night at 2:30 (all prices)'].main[0]).toEqual([
		{ node: 'Load sync state (full read)', type: 'main', index: 0 },
	]);
	expect(wf.connections['Load sync state (full read)'].main[0]).toEqual([
		{ node: 'SAP: all prices', type: 'main', index: 0 },
	]);
	wf.connections['Run now (test)'] = wf.connections['Every night at 2:30 (all prices)'];
	wf.name = 'sap-b1 prices (the nightly full read)';
	return wf;
}
let nightlyPricesId: string;
const POLISH = /[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]/;

let sap: SapSimulator;
let portal: PortalSimulator;
let n8n: N8nInstance;
const ids = {} as Record<Name, string>;
const started = Date.now();
const { timings, timed } = stepTimings();

const money = (n: number) => n.toFixed(2);
const sapOrders = (numAtCard: string) => sap.state.findOrdersByNumAtCard(numAtCard);

/**
 * What the portal may promise: the templates' stock buffer shows 95 % of SAP's free quantity (on hand −
 * committed, never below 0), rounded down to whole units. Computed here in integer 1/10,000 units.
 */
const buffered95 = (inStock: number, committed: number): string => {
	const free = Math.max(0, Math.round((inStock - committed) * 10_000));
	return String(Math.floor((free * 95) / 1_000_000));
};

/** Requests (answered 200) of a portal batch path since `mark`, and the records they carried. */
const batches = (apiPath: string, mark: number) =>
	portal.requests.slice(mark).filter((r) => r.method === 'POST' && r.path === apiPath && r.status === 200);
const recordsSent = (apiPath: string, mark: number) =>
	batches(apiPath, mark).reduce((n, r) => n + (r.itemCount ?? 0), 0);

/**
 * The template's ERP read hands its records over in batch files of `perBatch`: items with the batch header only
 * (the records are in the file), numbered 1, 2, …, every one full but the last, `total` records in all.
 */
function expectBatchFiles(data: unknown, nodeName: string, total: number, perBatch = 5000): void {
	const items = nodeItems(data, nodeName);
	expect(items.length).toBe(Math.max(1, Math.ceil(total / perBatch)));
	items.forEach((j, k) => {
		expect(j).toMatchObject({ batch: k + 1, count: k < items.length - 1 ? perBatch : total - perBatch * k });
		expect(j.records).toBeUndefined();
	});
	expect(nodeRecords(data, nodeName, 0, n8n.userFolder)).toHaveLength(total);
}

/** Every item in every warehouse of SAP is in the portal with SAP's quantities (available after the 95 % buffer). */
function expectPortalStockEqualsSap() {
	const items = sap.state.itemsInOrder();
	expect(portal.state.stock.size).toBe(items.length * sap.state.warehouseOrder.length);
	for (const item of items) {
		for (const wh of sap.state.warehouseOrder) {
			const s = sap.state.stockOf(item.ItemCode, wh);
			const got = portal.state.stock.get(portal.state.keys.stock({ productCode: item.ItemCode, warehouseCode: wh }))!;
			expect({ code: item.ItemCode, wh, ...got }).toMatchObject({
				onHand: String(s.InStock),
				reserved: String(s.Committed),
				available: buffered95(s.InStock, s.Committed),
				incoming: String(s.Ordered),
			});
		}
	}
}

/** A customer on a net price list (1 or 2) that SAP lets order. */
function customer(skip = 0): BusinessPartner {
	const all = [...sap.state.partners.values()].filter(
		(b) => b.CardType === 'cCustomer' && b.Frozen === 'tNO' && b.Valid === 'tYES' && [1, 2].includes(b.PriceListNum),
	);
	return all[skip % all.length];
}

/** Items SAP prices from the client's price list alone (no special price), orderable, in stock in warehouse 01. */
function orderableItems(bp: BusinessPartner, count: number, offset = 0): ItemRec[] {
	const ok = (i: ItemRec) => sellable(i) && pricedByListAlone(sap, bp, i) && freeStock(sap, i) >= 10;
	const all = sap.state.itemsInOrder().filter(ok);
	// the code that needs URL encoding first, when SAP can sell it
	all.sort((a, b) => Number(b.ItemCode === 'ŁÓD-007') - Number(a.ItemCode === 'ŁÓD-007'));
	return all.slice(offset, offset + count);
}

/** A portal order whose lines carry exactly the price SAP charges this client (or one line off by `wrongBy`). */
function portalOrder(n: number, bp: BusinessPartner, items: ItemRec[], wrongBy?: number): Order {
	return {
		number: `B2B/2026/${String(n).padStart(6, '0')}`,
		clientCode: bp.CardCode,
		placedAt: `${sap.clock.stamp().date}T10:15:00+01:00`,
		currency: 'PLN',
		priceType: 'net',
		lines: items.map((item, i) => {
			const price = sap.state.priceOf(item, bp.PriceListNum).grosze + (i === 0 && wrongBy ? wrongBy : 0);
			return {
				lineNo: i + 1,
				productCode: item.ItemCode,
				quantity: String(i + 2),
				unitPrice: plnFromGrosze(price),
				vatRate: SAP_VAT[item.SalesVATGroup!],
			};
		}),
		notes: 'Proszę o dostawę przed świętami — zażółć gęślą jaźń',
	};
}

beforeAll(async () => {
	[sap, portal] = await Promise.all([
		// a load-balanced install: an expired session answers 403, not 401 (both must lead to a new login)
		startSapSimulator({ seed: { items: 200, seed: 7 }, clock: { start: Date.now(), frozen: true }, expireWith: 403 }),
		startPortalSimulator({ apiKey: 'e2e-portal-KEY-5ab1c9e2', webhookSecret: 'e2e-webhook-SECRET-żółć' }),
	]);
	n8n = await N8nInstance.create();
	await timed('install pack', () => n8n.installPack());
	await timed('import credentials', () => n8n.importCredentials([sapCredential(sap), portalCredential(portal)]));
	const imported = await timed('import 7 templates (+ the nightly prices run)', () =>
		n8n.importWorkflows([
			...NAMES.map((name) => ({ workflow: template(name), credentialIds: CREDENTIAL_IDS })),
			{ workflow: nightlyPrices(), credentialIds: CREDENTIAL_IDS },
		]),
	);
	NAMES.forEach((name, i) => (ids[name] = imported[i]));
	nightlyPricesId = imported[NAMES.length];
});

afterAll(async () => {
	await n8n?.dispose();
	await Promise.all([sap?.close(), portal?.close()]);
	timings.push(`whole file: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	console.log(`sap-b1 e2e timings:\n  ${timings.join('\n  ')}`);
});

afterEach(() => {
	expect(portal.contractViolations).toEqual([]);
	expect(sap.crashes).toEqual([]);
});

describe('the templates as shipped', () => {
	it.each(readdirSync(DIR).filter((f) => f.endsWith('.json')))(
		'%s: credentials by type only, error workflow ready, sticky notes, ends with a heartbeat',
		(file) => {
			const wf = JSON.parse(readFileSync(path.join(DIR, file), 'utf8'));
			expect(wf.settings).toEqual({ executionOrder: 'v1', errorWorkflow: '' });
			for (const node of wf.nodes) {
				for (const [type, ref] of Object.entries<{ id: string; name: string }>(node.credentials ?? {})) {
					expect(ref.id).toBe('');
					expect({ type, name: ref.name }).toEqual(
						type === 'sapB1Api'
							? { type, name: 'SAP Business One account' }
							: { type: 'b2bPortalApi', name: 'B2B Portal account' },
					);
				}
			}
			expect(
				wf.nodes.filter((n: { type: string }) => n.type === 'n8n-nodes-base.stickyNote').length,
			).toBeGreaterThanOrEqual(2);
			const heartbeat = wf.nodes.find((n: { name: string }) => n.name === 'Record run');
			expect(heartbeat.parameters).toMatchObject({ resource: 'syncStatus', operation: 'record', status: 'success' });
			expect(wf.connections['Record run']).toBeUndefined(); // the last node
			const schedules = wf.nodes.filter((n: { type: string }) => n.type === 'n8n-nodes-base.scheduleTrigger');
			const minutes = schedules.map(
				(s: { parameters: { rule: { interval: Array<{ field: string; minutesInterval?: number }> } } }) => {
					const rule = s.parameters.rule.interval[0];
					return rule.field === 'minutes' ? rule.minutesInterval : 1440;
				},
			);
			expect(heartbeat.parameters.expectedEveryMinutes).toBe(Math.min(...minutes));
			// `n8n execute` starts from the first trigger node in the list: the Manual Trigger must come first
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
		results = await timed('execute-batch products, prices, stock, clients (200 items), order-status, invoices', () =>
			n8n.executeBatch([ids.products, ids.prices, ids.stock, ids.clients, ids['order-status'], ids.invoices]),
		);
	});

	it('all runs succeed, start from "Run now (test)" and record their heartbeat', () => {
		for (const name of ['products', 'prices', 'stock', 'clients', 'order-status', 'invoices'] as const) {
			expect({ name, ...results[ids[name]] }).toMatchObject({ name, ok: true, status: 'success' });
			expect(ran(results[ids[name]].data)).toContain('Run now (test)');
			expect(portal.state.syncStatus.get(`sap-b1 ${name}`)).toMatchObject({
				status: 'success',
				expectedEveryMinutes: { products: 30, prices: 30, stock: 5, clients: 1440, 'order-status': 15, invoices: 15 }[
					name
				],
			});
		}
		expect(ran(results[ids.products].data)).toEqual(
			expect.arrayContaining(['SAP: all items', 'Send products to portal', 'Record run']),
		);
		expect(ran(results[ids.products].data)).not.toContain('SAP: items changed since last run');
	});

	it('order statuses and invoices with nothing in SAP yet: nothing sent, heartbeat recorded', () => {
		expect(portal.state.syncStatus.get('sap-b1 order-status')!.counts).toEqual({ statuses: 0 });
		expect(portal.state.syncStatus.get('sap-b1 invoices')!.counts).toEqual({ invoices: 0 });
		expect(
			portal.requests.filter((r) => r.path.startsWith('/v1/order-statuses') || r.path.startsWith('/v1/invoices')),
		).toEqual([]);
	});

	it('products: one per SAP item, names byte for byte', () => {
		const items = sap.state.itemsInOrder();
		expect(portal.state.products.size).toBe(items.length);
		expect([...portal.state.products.keys()].sort()).toEqual(items.map((i) => i.ItemCode).sort());
		const polish = items.filter((i) => POLISH.test(i.ItemName));
		expect(polish.length).toBeGreaterThan(10);
		for (const item of items) {
			const p = portal.state.products.get(item.ItemCode)!;
			expect(Buffer.from(p.name, 'utf8').equals(Buffer.from(item.ItemName, 'utf8'))).toBe(true);
			expect(p).toMatchObject({
				code: item.ItemCode,
				vatRate: SAP_VAT[item.SalesVATGroup!],
				active: item.Valid === 'tYES' && item.Frozen !== 'tYES',
				ean: item.BarCode,
			});
		}
		expect(portal.state.products.get('ŁÓD-007')!.name).toBe(sap.state.items.get('ŁÓD-007')!.ItemName);
		expect(portal.state.syncStatus.get('sap-b1 products')!.counts).toMatchObject({ products: items.length, failed: 0 });
		// the template hands the products over in batch files, not one item per item
		expectBatchFiles(results[ids.products].data, 'SAP: all items', items.length);
		expect(nodeItems(results[ids.products].data, 'Send products to portal')).toEqual([
			expect.objectContaining({ received: items.length, failed: 0 }),
		]);
	});

	it('prices: list prices, and a client special price shown to that client only', () => {
		const prices = [...portal.state.prices.values()];
		const find = (code: string, scope: string, scopeCode: string, extra: Record<string, unknown> = {}) =>
			prices.filter(
				(p) =>
					p.productCode === code &&
					p.scope === scope &&
					p.scopeCode === scopeCode &&
					Object.entries(extra).every(([k, v]) => (p as unknown as Record<string, unknown>)[k] === v),
			);
		// price list 1 (net) of every item that has a price and no undated "*1" special price
		for (const item of sap.state.itemsInOrder()) {
			const g = sap.state.priceOf(item, 1).grosze;
			const star = sap.state.specialPrice('*1', item.ItemCode);
			if (g === 0 || (star && !star.ValidFrom && !star.SpecialPriceDataAreas.length)) continue;
			expect(find(item.ItemCode, 'priceList', '1', { minQuantity: undefined, validFrom: undefined })).toEqual([
				expect.objectContaining({ net: plnFromGrosze(g), currency: 'PLN' }),
			]);
		}
		// a client's special prices: client scope, the client's code, SAP's price (undated ones and date periods)
		const specials = [...sap.state.specialPrices.values()].filter(
			(sp) =>
				!sp.CardCode.startsWith('*') &&
				sp.Valid === 'tYES' &&
				sap.state.priceLists.get(sp.PriceListNum)?.IsGrossPrice === 'tNO',
		);
		expect(specials.length).toBeGreaterThan(5);
		for (const sp of specials) {
			const area = sp.SpecialPriceDataAreas[0];
			const expected = area
				? { net: money(area.SpecialPrice), validFrom: area.DateFrom, validTo: area.Dateto, minQuantity: undefined }
				: { net: money(sp.Price), validFrom: sp.ValidFrom ?? undefined, minQuantity: undefined };
			const [got, ...more] = find(sp.ItemCode, 'client', sp.CardCode, {
				validFrom: expected.validFrom,
				minQuantity: undefined,
			});
			expect(more).toEqual([]);
			expect(got).toMatchObject(JSON.parse(JSON.stringify(expected)));
			for (const step of area?.SpecialPriceQuantityAreas ?? [])
				expect(find(sp.ItemCode, 'client', sp.CardCode, { minQuantity: String(step.Quantity) })).toEqual([
					expect.objectContaining({ net: money(step.SpecialPrice) }),
				]);
		}
		// an undated special price for everyone on a list replaces that list's own price (one record per key)
		const star = [...sap.state.specialPrices.values()].find(
			(sp) => /^\*[12]$/.test(sp.CardCode) && sp.Valid === 'tYES' && !sp.ValidFrom && !sp.SpecialPriceDataAreas.length,
		);
		if (star)
			expect(
				find(star.ItemCode, 'priceList', star.CardCode.slice(1), { minQuantity: undefined, validFrom: undefined }),
			).toEqual([expect.objectContaining({ net: money(star.Price) })]);
		// the gross list stays gross
		const gross = prices.find((p) => p.scope === 'priceList' && p.scopeCode === '3');
		expect(gross).toMatchObject({ gross: expect.stringMatching(/^\d+\.\d{2}$/) });
		expect(gross!.net).toBeUndefined();
		// in batch files: what SAP gave is what the portal holds and what Record run counted
		expectBatchFiles(results[ids.prices].data, 'SAP: prices changed since last run', prices.length);
		expect(portal.state.syncStatus.get('sap-b1 prices')!.counts).toMatchObject({
			prices: prices.length,
			failed: 0,
			deleted: 0,
		});
	});

	it('stock: every item in every warehouse, available = 95 % of (on hand − reserved), rounded down', () => {
		expectPortalStockEqualsSap();
		// the buffer really lowered something: some free quantity is not a multiple of 20
		const lowered = [...portal.state.stock.values()].filter(
			(s) => Number(s.available) < Number(s.onHand) - Number(s.reserved),
		);
		expect(lowered.length).toBeGreaterThan(10);
		expect(nodeRecords(results[ids.stock].data, 'Stock buffer 95 %', 0, n8n.userFolder).length).toBe(
			portal.state.stock.size,
		);
		// the template hands stock over in batch files (Records per Batch each), not one item per record
		const perBatch = (template('stock').nodes as Array<{ parameters: Record<string, unknown> }>).find(
			(n) => n.parameters.outputMode === 'files',
		)?.parameters.recordsPerBatch as number;
		const batchItems = nodeItems(results[ids.stock].data, 'Stock buffer 95 %');
		expect(batchItems.length).toBe(Math.ceil(portal.state.stock.size / perBatch));
		expect(batchItems.every((j) => j.records === undefined && typeof j.count === 'number')).toBe(true);
	});

	it('clients: every SAP customer, frozen ones blocked, leads and suppliers left out', () => {
		const customers = [...sap.state.partners.values()].filter((b) => b.CardType === 'cCustomer');
		expect([...portal.state.clients.keys()].sort()).toEqual(customers.map((c) => c.CardCode).sort());
		for (const bp of customers) {
			const c = portal.state.clients.get(bp.CardCode)!;
			expect(Buffer.from(c.name, 'utf8').equals(Buffer.from(bp.CardName, 'utf8'))).toBe(true);
			expect(c).toMatchObject({ blocked: bp.Frozen === 'tYES', priceListCode: String(bp.PriceListNum) });
			expect(c.taxId).toMatch(/^\d{10}$/);
		}
		expect(customers.some((c) => POLISH.test(c.CardName))).toBe(true);
		expectBatchFiles(results[ids.clients].data, 'SAP: all customers', customers.length);
		expect(portal.state.syncStatus.get('sap-b1 clients')!.counts).toMatchObject({
			clients: customers.length,
			failed: 0,
			deactivated: 0,
		});
	});

	it('a second stock run reads only what changed since the first (the boundary stamp again), sends none of it (nothing moved) and records its heartbeat', async () => {
		portal.state.syncStatus.clear();
		const mark = portal.requests.length;
		const run = await timed('execute stock again (delta, nothing moved)', () => n8n.execute(ids.stock));
		expect(run.error).toBeUndefined();
		expect(ran(run.data)).not.toContain('SAP: all stock');
		const read = nodeRecords(run.data, 'SAP: stock changed since last run', 0, n8n.userFolder).length;
		expect(read).toBeLessThan(sap.state.items.size); // not a full read again
		expect(read).toBeGreaterThan(0); // the boundary stamp: SAP's date-only stamps give some again …
		expect(batches('/v1/stock/batch', mark)).toEqual([]); // … and the delta guard holds them back
		expect(portal.state.syncStatus.get('sap-b1 stock')).toMatchObject({
			status: 'success',
			expectedEveryMinutes: 5,
			counts: { stock: 0, deactivated: 0 },
		});
		expectPortalStockEqualsSap();
	});
});

describe('orders: price check, SAP order, confirmation or rejection', () => {
	const good = () => portal.state.orders.get('B2B/2026/000701')!;
	const bad = () => portal.state.orders.get('B2B/2026/000702')!;

	it('polling: an order at SAP prices is confirmed with the SAP DocNum; a wrong price is rejected with a reason', async () => {
		const bp = customer(0);
		portal.seedOrder(portalOrder(701, bp, orderableItems(bp, 2)));
		portal.seedOrder(portalOrder(702, bp, orderableItems(bp, 2, 2), 100));
		const run = await timed('execute orders (2 orders, polling)', () => n8n.execute(ids.orders));
		expect(run.error).toBeUndefined();

		const [created] = sapOrders(good().number);
		expect(sapOrders(good().number)).toHaveLength(1);
		expect(created.CardCode).toBe(bp.CardCode);
		expect(good()).toMatchObject({ status: 'confirmed', erpDocumentNumber: String(created.DocNum) });
		expect(portal.state.acknowledgements.get(good().number)).toMatchObject({
			erpDocumentNumber: String(created.DocNum),
			erpDocumentId: String(created.DocEntry),
		});
		expect(created.DocumentLines.map((l) => [l.ItemCode, l.Quantity])).toEqual(
			good().lines.map((l) => [l.productCode, Number(l.quantity)]),
		);

		expect(sapOrders(bad().number)).toEqual([]);
		expect(bad().status).toBe('rejected');
		const rejection = portal.state.orderStatusHistory.get(bad().number)!.at(-1)!;
		const line = bad().lines[0];
		expect(rejection).toMatchObject({ status: 'rejected' });
		expect(rejection.reason).toContain(
			`Cena pozycji 1 (${line.productCode}) różni się od cennika: ${line.unitPrice} zamiast`,
		);
		expect(
			nodeItems(run.data, 'Check prices in SAP').map((j) => (j.priceCheck as { accepted: boolean }).accepted),
		).toEqual([true, false]);
		expect(portal.state.syncStatus.get('sap-b1 orders')).toMatchObject({
			counts: { confirmed: 1, rejected: 1, outOfStock: 0 },
			expectedEveryMinutes: 5,
		});
		// both were reserved first against the stock the catalogue run pushed: the confirmed order's hold counts
		// until the next stock push shows it, the price-rejected order's hold was released at once
		const holds = portal.state.reservations.reservations;
		expect(holds.get(good().number)).toMatchObject({ status: 'confirmed' });
		expect(holds.get(good().number)!.lines.every((l) => l.tracked)).toBe(true);
		expect(holds.get(bad().number)).toMatchObject({ status: 'released', releaseReason: 'rejected' });
		const figures = portal.state.reservations.availabilityLog.map((e) => Number(e.available));
		expect(Math.min(...figures)).toBeGreaterThanOrEqual(0);
	});

	it('a poll with no new orders creates nothing and still records its heartbeat', async () => {
		const before = sap.state.docs.Orders.size;
		portal.state.syncStatus.clear();
		const run = await timed('execute orders (none new)', () => n8n.execute(ids.orders));
		expect(run.error).toBeUndefined();
		expect(sap.state.docs.Orders.size).toBe(before);
		expect(portal.state.syncStatus.get('sap-b1 orders')).toMatchObject({ counts: { confirmed: 0, rejected: 0 } });
	});

	const lastStatus = (number: string) => portal.state.orderStatusHistory.get(number)?.at(-1);
	const claimed = (number: string) => portal.state.claims.log.some((e) => e.orderNumber === number);

	it('orders SAP can never take — unknown client, unknown product, blocked client — are rejected with the reason before any claim or SAP document; the rest go through', async () => {
		const blocked = customer(3);
		const fine = customer(4);
		expect(fine.CardCode).not.toBe(blocked.CardCode);
		const [item] = orderableItems(fine, 1, 10);
		const unknownClient = portal.seedOrder({ ...portalOrder(751, fine, [item]), clientCode: 'KLIENT-ŹDŹBŁO-404' });
		const unknownProduct = portalOrder(752, fine, orderableItems(fine, 1, 11));
		unknownProduct.lines[0] = { ...unknownProduct.lines[0], productCode: 'TOWAR-ŻÓŁW-404' };
		portal.seedOrder(unknownProduct);
		const blockedOrder = portal.seedOrder(portalOrder(753, blocked, orderableItems(blocked, 1, 9)));
		const accepted = portal.seedOrder(portalOrder(754, fine, orderableItems(fine, 1, 12)));
		sap.state.mutatePartner(blocked);
		blocked.Frozen = 'tYES'; // blocked in SAP after the client ordered
		portal.state.syncStatus.clear();
		const run = await timed('execute orders (3 SAP cannot take)', () => n8n.execute(ids.orders));
		expect(run.error).toBeUndefined();
		for (const [order, reason] of [
			[unknownClient, 'Klient KLIENT-ŹDŹBŁO-404 nie istnieje w SAP'],
			[unknownProduct, 'Pozycja 1: produkt TOWAR-ŻÓŁW-404 nie istnieje w SAP'],
			[blockedOrder, `Klient ${blocked.CardCode} jest zablokowany w SAP`],
		] as const) {
			expect({ number: order.number, status: portal.state.orders.get(order.number)!.status }).toEqual({
				number: order.number,
				status: 'rejected',
			});
			expect(lastStatus(order.number)?.reason).toBe(reason);
			expect(sapOrders(order.number)).toEqual([]);
			expect(claimed(order.number)).toBe(false);
		}
		expect(portal.state.orders.get(accepted.number)).toMatchObject({
			status: 'confirmed',
			erpDocumentNumber: String(sapOrders(accepted.number)[0].DocNum),
		});
		expect(portal.state.syncStatus.get('sap-b1 orders')).toMatchObject({ counts: { confirmed: 1, rejected: 3 } });
		sap.state.mutatePartner(blocked);
		blocked.Frozen = 'tNO';
	});

	it('an order at 22 % VAT among two good ones: rejected once with the reason naming the line and the rate, nothing held, claimed or sent to SAP; the other two confirmed, the run succeeds', async () => {
		const bp = customer(7);
		const [a, b, c] = orderableItems(bp, 3, 15);
		const first = portal.seedOrder(portalOrder(760, bp, [a]));
		const at22 = portalOrder(761, bp, [b, c]);
		at22.lines[1] = { ...at22.lines[1], vatRate: '22' };
		portal.seedOrder(at22);
		const last = portal.seedOrder(portalOrder(762, bp, [c]));
		portal.state.syncStatus.clear();
		const run = await timed('execute orders (one at 22 % VAT)', () => n8n.execute(ids.orders));
		expect(run.error).toBeUndefined();

		expect(portal.state.orders.get(at22.number)!.status).toBe('rejected');
		const rejections = () =>
			(portal.state.orderStatusHistory.get(at22.number) ?? []).filter((s) => s.status === 'rejected');
		expect(rejections()).toHaveLength(1);
		expect(rejections()[0].reason).toBe(
			`Zamówienie ${at22.number} odrzucone, nieprawidłowe dane: pozycja 2 (${c.ItemCode}): stawka VAT 22 nie jest obsługiwana przez ERP (dozwolone: 23, 8, 5, 0, zw, np, oo)`,
		);
		expect(sapOrders(at22.number)).toEqual([]);
		expect(claimed(at22.number)).toBe(false);
		expect(portal.state.reservations.reservations.has(at22.number)).toBe(false);
		for (const order of [first, last])
			expect(portal.state.orders.get(order.number)).toMatchObject({
				status: 'confirmed',
				erpDocumentNumber: String(sapOrders(order.number)[0].DocNum),
			});
		expect(portal.state.syncStatus.get('sap-b1 orders')).toMatchObject({
			counts: { confirmed: 2, rejected: 1, invalid: 1, outOfStock: 0 },
		});

		// once: the next poll does not see it again (it is no longer placed) and succeeds
		const again = await timed('execute orders (after the 22 % order)', () => n8n.execute(ids.orders));
		expect(again.error).toBeUndefined();
		expect(rejections()).toHaveLength(1);
		expect(portal.state.syncStatus.get('sap-b1 orders')).toMatchObject({ counts: { confirmed: 0, rejected: 0 } });
	});

	it("a refusal SAP gives at creation that no retry can change is rejected at once with SAP's message", async () => {
		const bp = customer(5);
		const [item] = orderableItems(bp, 1, 13);
		const order = portal.seedOrder(portalOrder(755, bp, [item]));
		const rec = sap.state.items.get(item.ItemCode)!;
		rec.locked = [sap.state.warehouseIndex(rec.DefaultWarehouse)!]; // passes the price check, SAP refuses the line
		portal.state.syncStatus.clear();
		const run = await timed('execute orders (SAP refuses for good)', () => n8n.execute(ids.orders));
		rec.locked = undefined;
		expect(run.error).toBeUndefined();
		expect(portal.state.orders.get(order.number)!.status).toBe('rejected');
		expect(lastStatus(order.number)?.reason).toMatch(
			new RegExp(`^SAP odrzucił zamówienie: Item '${item.ItemCode}' is locked in warehouse`),
		);
		expect(sapOrders(order.number)).toEqual([]);
		expect(portal.state.syncStatus.get('sap-b1 orders')).toMatchObject({ counts: { rejected: 1, refusedBySap: 1 } });
	});

	it('a refusal that may pass is tried again by the next runs, at most Max Attempts (5), then rejected with the last reason and the run fails (alert)', async () => {
		const bp = customer(6);
		const order = portal.seedOrder(portalOrder(756, bp, orderableItems(bp, 1, 14)));
		// SAP answers every create with a code it does not document: temporary, never for ever
		const fault = sap.faults.add({ method: 'POST', path: /^\/Orders$/, kind: 'status', status: 400, times: 5 });
		const errors: string[] = [];
		for (let attempt = 1; attempt <= 5; attempt++) {
			const run = await timed(`execute orders (temporary refusal, attempt ${attempt})`, () => n8n.execute(ids.orders));
			expect(run.ok).toBe(false);
			errors.push(String(run.error));
			if (attempt < 5) expect(portal.state.orders.get(order.number)!.status).toBe('placed');
		}
		expect(fault).toMatchObject({ hits: 5, remaining: 0 }); // one create per run, nothing left armed
		expect(errors.slice(0, 4).map((e) => /attempt (\d) of 5/.exec(e)?.[1])).toEqual(['1', '2', '3', '4']);
		expect(errors[0]).toContain(`SAP did not take portal order ${order.number}`);
		expect(errors[4]).toContain(`Portal order ${order.number} was rejected after 5 attempts`);
		expect(portal.state.orders.get(order.number)!.status).toBe('rejected');
		expect(lastStatus(order.number)?.reason).toMatch(
			/^SAP nie przyjął zamówienia \(błąd przejściowy\): .*injected fault.* \(po 5 próbach\)$/,
		);
		expect(sapOrders(order.number)).toEqual([]);
		expect(
			portal.state.claims.log.filter((e) => e.orderNumber === order.number && e.decision === 'claimed'),
		).toHaveLength(5);
	});

	it('webhook: a signed order.created event is confirmed in real time', async () => {
		await timed('publish + start n8n', async () => {
			// the published copy without its 5-minute schedule (withoutSchedule says why)
			await n8n.importWorkflows([
				{ workflow: withoutSchedule(template('orders')), id: ids.orders, credentialIds: CREDENTIAL_IDS },
			]);
			await n8n.publish(ids.orders);
			await n8n.start();
		});
		try {
			const url = await n8n.webhookUrlFor(ids.orders, 'New order in portal');
			const bp = customer(1);
			const order = portal.seedOrder(portalOrder(703, bp, orderableItems(bp, 3, 4)));
			const res = await timed('webhook → confirmed', async () => {
				const r = await portal.sendOrderEvent(url, { type: 'order.created', order: order.number, id: 'evt-sap-703' });
				await until(
					'the webhook order to be confirmed',
					() => portal.state.orders.get(order.number)?.status === 'confirmed',
				);
				await n8n.waitForExecution(ids.orders, (e) => e.mode === 'webhook' && e.finished);
				return r;
			});
			expect(res.status).toBe(200);
			const [created] = sapOrders(order.number);
			expect(sapOrders(order.number)).toHaveLength(1);
			expect(portal.state.orders.get(order.number)!.erpDocumentNumber).toBe(String(created.DocNum));
			expect(portal.state.syncStatus.get('sap-b1 orders')).toMatchObject({ counts: { confirmed: 1, rejected: 0 } });

			// the portal sends the same order twice at once, as two events (not a retry: different ids, so the
			// trigger's replay guard lets both through): both runs reach the claim, one creates, the other skips
			const twice = portal.seedOrder(portalOrder(707, bp, orderableItems(bp, 2, 12)));
			const webhookRunsBefore = (await n8n.executions(ids.orders)).filter((e) => e.mode === 'webhook').length;
			const deliveries = await timed('two deliveries of one order → one SAP order', async () => {
				const rs = await Promise.all(
					['evt-sap-707-a', 'evt-sap-707-b'].map((id) =>
						portal.sendOrderEvent(url, { type: 'order.created', order: twice.number, id }),
					),
				);
				await until(
					'the twice-sent order to be confirmed',
					() => portal.state.orders.get(twice.number)?.status === 'confirmed',
				);
				await until(
					'both runs to finish',
					() =>
						portal.state.claims.log.filter((e) => e.orderNumber === twice.number && e.decision !== 'closed').length >=
						2,
				);
				const deadline = Date.now() + 30_000;
				while (
					(await n8n.executions(ids.orders)).filter((e) => e.mode === 'webhook' && e.finished).length <
					webhookRunsBefore + 2
				) {
					if (Date.now() > deadline) throw new Error('the two webhook runs did not finish');
					await new Promise((r) => setTimeout(r, 250));
				}
				return rs;
			});
			expect(deliveries.map((r) => r.status)).toEqual([200, 200]);
			expect(sapOrders(twice.number)).toHaveLength(1);
			const decisions = portal.state.claims.log
				.filter((e) => e.orderNumber === twice.number && e.decision !== 'closed')
				.map((e) => e.decision)
				.sort();
			// the second run asked while the first one held the claim (busy) or after it confirmed the order (done)
			expect([
				['busy', 'claimed'],
				['claimed', 'done'],
			]).toContainEqual(decisions);
			expect(portal.state.orders.get(twice.number)!.erpDocumentNumber).toBe(String(sapOrders(twice.number)[0].DocNum));
			expect(portal.state.orderStatusHistory.get(twice.number)!.filter((h) => h.status === 'confirmed')).toHaveLength(
				1,
			);
			const runs = (await n8n.executions(ids.orders)).filter((e) => e.mode === 'webhook');
			expect(runs).toHaveLength(webhookRunsBefore + 2);
			expect(runs.map((e) => e.status)).toEqual(runs.map(() => 'success'));

			// the credential test (the editor's "Test" button, here through n8n's public API) really logs in
			const sapData = {
				serviceLayerUrl: sap.url,
				companyDb: sap.companyDb,
				username: 'manager',
				gatewayUrl: sap.gatewayUrl,
			};
			const create = async (password: string) => {
				const r = await n8n.api('POST', '/credentials', {
					name: `SAP test ${password}`,
					type: 'sapB1Api',
					data: { ...sapData, password },
				});
				expect(r.status).toBe(200);
				return r.json<{ id: string }>().id;
			};
			const loginsBefore = sap.sessions.logins;
			const good = await n8n.api('POST', `/credentials/${await create('1234')}/test`);
			expect(good.json<{ status: string }>()).toMatchObject({ status: 'OK' });
			expect(sap.sessions.logins).toBe(loginsBefore + 1);
			const bad = await n8n.api('POST', `/credentials/${await create('wrong-password-42')}/test`);
			expect(bad.json<{ status: string; message: string }>()).toMatchObject({ status: 'Error' });
			expect(bad.json<{ message: string }>().message).toMatch(
				/SAP B1 login to company "SBODEMOPL" as "manager" failed/,
			);
			expect(bad.body).not.toContain('wrong-password-42');
		} finally {
			await n8n.stop(); // so that the 5-minute schedule cannot fire during the CLI runs below
		}
	});
});

describe('after SAP delivers and invoices: order status and invoices', () => {
	it('the order moves to invoiced and its invoice PDF is in the portal', async () => {
		const number = 'B2B/2026/000701';
		const [order] = sapOrders(number);
		sap.clock.advance(2 * 3600_000); // two hours later in SAP
		sap.state.deliverOrder(order.DocEntry);
		sap.clock.advance(3600_000);
		const invoice = sap.state.invoiceOrder(order.DocEntry);

		const results = await timed('execute-batch order-status, invoices, stock', () =>
			n8n.executeBatch([ids['order-status'], ids.invoices, ids.stock]),
		);
		expect(results[ids['order-status']]).toMatchObject({ ok: true });
		expect(results[ids.invoices]).toMatchObject({ ok: true });
		expect(results[ids.stock]).toMatchObject({ ok: true });

		expect(portal.state.orders.get(number)!.status).toBe('invoiced');
		expect(portal.state.orders.get('B2B/2026/000703')!.status).toBe('confirmed');
		expect(portal.state.orders.get('B2B/2026/000702')!.status).toBe('rejected'); // never in SAP: untouched
		expect(portal.state.orderStatusHistory.get(number)!.map((s) => s.status)).toContain('invoiced');

		const stored = portal.state.invoices.get(String(invoice.DocNum))!;
		expect(stored.data).toMatchObject({
			number: String(invoice.DocNum),
			orderNumber: number,
			clientCode: order.CardCode,
			totals: { gross: money(invoice.DocTotal) },
		});
		const pdf = stored.pdf!;
		expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(pdf.subarray(-32).toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
		expect(portal.state.invoices.size).toBe(1);
		expect(portal.state.syncStatus.get('sap-b1 invoices')).toMatchObject({ counts: { invoices: 1 } });
		expect(portal.state.syncStatus.get('sap-b1 order-status')).toMatchObject({ status: 'success' });
	});

	it('stock: the 5-minute delta picks up what the orders reserved and the delivery took out', () => {
		const delivered = sapOrders('B2B/2026/000701')[0].DocumentLines.map((l) => l.ItemCode);
		for (const code of delivered) {
			const key = portal.state.keys.stock({ productCode: code, warehouseCode: '01' });
			expect(portal.state.stock.get(key)!.onHand).toBe(String(sap.state.stockOf(code, '01').InStock));
		}
		expectPortalStockEqualsSap();
	});
});

describe('products: only changes are sent (B2B Sync Guard → delta)', () => {
	const NEW_NAME = 'Łódka wiosłowa — nowa nazwa zażółć gęślą jaźń';
	const products = '/v1/products/batch';

	it('a second run with nothing changed in SAP reads every item, sends none and still records its heartbeat', async () => {
		portal.state.syncStatus.clear();
		const mark = portal.requests.length;
		const run = await timed('execute products (nothing changed)', () => n8n.execute(ids.products));
		expect(run.error).toBeUndefined();
		expectBatchFiles(run.data, 'SAP: all items', sap.state.items.size);
		expect(batches(products, mark)).toEqual([]);
		// the upsert gets the guard's one empty item and skips it: a summary of 0, no request
		expect(nodeItems(run.data, 'Send products to portal')).toEqual([
			expect.objectContaining({ received: 0, failed: 0 }),
		]);
		expect(portal.state.syncStatus.get('sap-b1 products')).toMatchObject({
			status: 'success',
			counts: { products: 0, deactivated: 0 },
		});
		expect(portal.requests.slice(mark).filter((r) => r.path === '/v1/sync-status' && r.status === 200)).toHaveLength(1);
	});

	it('an item renamed in SAP: exactly that product is sent', async () => {
		const item = sap.state.touchItem(sap.state.itemsInOrder()[3].ItemCode);
		item.ItemName = NEW_NAME;
		const mark = portal.requests.length;
		const run = await timed('execute products (one renamed)', () => n8n.execute(ids.products));
		expect(run.error).toBeUndefined();
		expect(recordsSent(products, mark)).toBe(1);
		expect(nodeRecords(run.data, 'Only changed products', 0, n8n.userFolder).map((p) => p.code)).toEqual([
			item.ItemCode,
		]);
		expect(portal.state.products.get(item.ItemCode)!.name).toBe(NEW_NAME);
		expect(portal.state.syncStatus.get('sap-b1 products')).toMatchObject({ counts: { products: 1, updated: 1 } });
	});

	it('an item deleted in SAP: the nightly full read finds it missing; the portal product keeps its name and is not active', async () => {
		const gone = sap.state.itemsInOrder()[5];
		const before = structuredClone(portal.state.products.get(gone.ItemCode)!);
		expect(before).toMatchObject({ name: gone.ItemName, active: true });
		sap.state.removeItem(gone.ItemCode);
		const mark = portal.requests.length;
		const run = await timed('execute products (one deleted)', () => n8n.execute(ids.products));
		expect(run.error).toBeUndefined();
		expect(nodeItems(run.data, 'Only changed products', 1)).toEqual([
			{ entity: 'product', code: gone.ItemCode, deleted: true },
		]);
		// a partial update of `active` alone: no full record, so nothing has to be made up for the name
		expect(batches(products, mark)).toEqual([]);
		expect(
			portal.requests.slice(mark).filter((r) => r.method === 'PATCH' && r.path === products && r.status === 200),
		).toEqual([expect.objectContaining({ itemCount: 1 })]);
		expect(portal.state.products.get(gone.ItemCode)).toEqual({ ...before, active: false });
		expect(
			Buffer.from(portal.state.products.get(gone.ItemCode)!.name, 'utf8').equals(Buffer.from(gone.ItemName, 'utf8')),
		).toBe(true);
		expect(portal.state.products.size).toBe(sap.state.items.size + 1); // deactivated, not deleted
		expect(portal.state.syncStatus.get('sap-b1 products')).toMatchObject({ counts: { products: 0, deactivated: 1 } });

		// reported once: the next run sends nothing
		const mark2 = portal.requests.length;
		const quiet = await timed('execute products (after the deletion)', () => n8n.execute(ids.products));
		expect(quiet.error).toBeUndefined();
		expect(portal.requests.slice(mark2).filter((r) => r.path === products)).toEqual([]);
	});

	it('a portal write that fails: the run fails, records no heartbeat, and the next run sends the change again', async () => {
		const item = sap.state.touchItem(sap.state.itemsInOrder()[8].ItemCode);
		item.ItemName = `${NEW_NAME} (2)`;
		const oldName = portal.state.products.get(item.ItemCode)!.name;
		portal.state.syncStatus.clear();
		portal.faults.add({ method: 'POST', path: products, kind: 'status', status: 422, times: 1 });
		const failed = await timed('execute products (portal refuses the batch)', () => n8n.execute(ids.products));
		expect(failed.ok).toBe(false);
		expect(portal.state.products.get(item.ItemCode)!.name).toBe(oldName);
		expect(portal.state.syncStatus.get('sap-b1 products')).toBeUndefined();

		const mark = portal.requests.length;
		const again = await timed('execute products (after the failed write)', () => n8n.execute(ids.products));
		expect(again.error).toBeUndefined();
		expect(recordsSent(products, mark)).toBe(1);
		expect(portal.state.products.get(item.ItemCode)!.name).toBe(`${NEW_NAME} (2)`);
		expect(portal.state.syncStatus.get('sap-b1 products')).toMatchObject({ counts: { products: 1 } });
	});
});

describe('clients: a customer deleted in SAP is blocked in the portal (B2B Sync Guard → Deleted → Client → Update (Partial))', () => {
	const clients = '/v1/clients/batch';

	it('the next full read finds it missing; the portal client keeps its name and addresses and is blocked', async () => {
		// the last open customer: the order tests use the first ones
		const gone = [...sap.state.partners.values()]
			.filter((b) => b.CardType === 'cCustomer' && b.Frozen !== 'tYES')
			.at(-1)!;
		const before = structuredClone(portal.state.clients.get(gone.CardCode)!);
		expect(before).toMatchObject({ name: gone.CardName, blocked: false });
		expect(before.addresses.length).toBeGreaterThan(0);
		const size = portal.state.clients.size;
		sap.state.partners.delete(gone.CardCode);
		try {
			portal.state.syncStatus.clear();
			const mark = portal.requests.length;
			const run = await timed('execute clients (one deleted)', () => n8n.execute(ids.clients));
			expect(run.error).toBeUndefined();
			expect(nodeItems(run.data, 'Only changed clients', 1)).toEqual([
				{ entity: 'client', code: gone.CardCode, deleted: true },
			]);
			// a partial update of `blocked` alone: no full record, so no made-up name and no emptied addresses
			expect(batches(clients, mark)).toEqual([]);
			expect(
				portal.requests.slice(mark).filter((r) => r.method === 'PATCH' && r.path === clients && r.status === 200),
			).toEqual([expect.objectContaining({ itemCount: 1 })]);
			expect(portal.state.clients.get(gone.CardCode)).toEqual({ ...before, blocked: true });
			expect(
				Buffer.from(portal.state.clients.get(gone.CardCode)!.name, 'utf8').equals(Buffer.from(gone.CardName, 'utf8')),
			).toBe(true);
			expect(portal.state.clients.size).toBe(size); // blocked, not deleted
			expect(portal.state.syncStatus.get('sap-b1 clients')).toMatchObject({
				status: 'success',
				counts: { clients: 0, deactivated: 1 },
			});

			// blocked once: the next full read sends nothing for it
			const mark2 = portal.requests.length;
			const quiet = await timed('execute clients (after the deletion)', () => n8n.execute(ids.clients));
			expect(quiet.error).toBeUndefined();
			expect(portal.requests.slice(mark2).filter((r) => r.path === clients)).toEqual([]);
		} finally {
			sap.state.partners.set(gone.CardCode, gone);
		}
	});
});

describe('prices: a price removed from SAP leaves the portal (B2B Sync Guard → Deleted → Price → Delete)', () => {
	const prices = '/v1/prices/batch';
	const deletes = '/v1/prices/batch/delete';

	it('the nightly full read after a special price was deleted in SAP removes exactly its prices from the portal', async () => {
		// the nightly run's own guard state starts empty: its first full read sends every price again (unchanged)
		const first = await timed('execute prices, nightly full read (first)', () => n8n.execute(nightlyPricesId));
		expect(first.error).toBeUndefined();
		expect(nodeItems(first.data, 'Only changed prices', 1)).toEqual([]);
		expect(portal.requests.filter((r) => r.path === deletes)).toEqual([]);
		const total = portal.state.prices.size;

		// a client's special price (with its periods and quantity breaks) deleted in SAP
		const [spKey, sp] = [...sap.state.specialPrices.entries()].find(
			([, x]) => !x.CardCode.startsWith('*') && x.Valid === 'tYES' && portalPricesOf(x.ItemCode, x.CardCode).length > 0,
		)!;
		const goneKeys = portalPricesOf(sp.ItemCode, sp.CardCode).map((p) => portal.state.keys.price(p));
		const listPrice = [...portal.state.prices.values()].find(
			(p) => p.productCode === sp.ItemCode && p.scope === 'priceList',
		);
		sap.state.specialPrices.delete(spKey);

		portal.state.syncStatus.clear();
		const mark = portal.requests.length;
		const run = await timed('execute prices, nightly full read (one special price deleted)', () =>
			n8n.execute(nightlyPricesId),
		);
		expect(run.error).toBeUndefined();
		const deleted = nodeItems(run.data, 'Only changed prices', 1);
		expect(deleted).toHaveLength(goneKeys.length);
		expect(deleted).toEqual(
			goneKeys.map(() =>
				expect.objectContaining({ entity: 'price', productCode: sp.ItemCode, scope: 'client', scopeCode: sp.CardCode }),
			),
		);
		expect(batches(prices, mark)).toEqual([]); // nothing else changed
		expect(portal.requests.slice(mark).filter((r) => r.path === deletes && r.status === 200)).toEqual([
			expect.objectContaining({ method: 'POST', itemCount: goneKeys.length }),
		]);
		for (const key of goneKeys) expect(portal.state.prices.has(key)).toBe(false);
		expect(portalPricesOf(sp.ItemCode, sp.CardCode)).toEqual([]);
		expect(portal.state.prices.size).toBe(total - goneKeys.length);
		// the same product's list price stays
		if (listPrice) expect(portal.state.prices.get(portal.state.keys.price(listPrice))).toEqual(listPrice);
		expect(portal.state.syncStatus.get('sap-b1 prices')).toMatchObject({
			status: 'success',
			counts: { prices: 0, deleted: goneKeys.length },
		});

		// deleted once: the next full read deletes nothing
		const mark2 = portal.requests.length;
		const quiet = await timed('execute prices, nightly full read (after the deletion)', () =>
			n8n.execute(nightlyPricesId),
		);
		expect(quiet.error).toBeUndefined();
		expect(portal.requests.slice(mark2).filter((r) => r.path.startsWith(prices))).toEqual([]);
	});
});

/** the portal's prices of one product for one client */
const portalPricesOf = (productCode: string, clientCode: string) =>
	[...portal.state.prices.values()].filter(
		(p) => p.productCode === productCode && p.scope === 'client' && p.scopeCode === clientCode,
	);

describe('faults', () => {
	it('a lost answer to POST /Orders: exactly one SAP order, acknowledged once', async () => {
		const bp = customer(2);
		const order = portal.seedOrder(portalOrder(704, bp, orderableItems(bp, 2, 7)));
		const fault = sap.faults.loseResponse();
		const acksBefore = portal.requests.filter((r) => r.path.endsWith('/acknowledge')).length;
		const run = await timed('execute orders (lost response)', () => n8n.execute(ids.orders));
		expect(run.error).toBeUndefined();
		expect(fault.hits).toBe(1);
		expect(sap.requests.filter((r) => r.method === 'POST' && r.path === '/Orders').map((r) => r.status)).toEqual(
			expect.arrayContaining([0]),
		);
		const created = sapOrders(order.number);
		expect(created).toHaveLength(1);
		expect(portal.state.orders.get(order.number)).toMatchObject({
			status: 'confirmed',
			erpDocumentNumber: String(created[0].DocNum),
		});
		expect(portal.requests.filter((r) => r.path.endsWith('/acknowledge')).length - acksBefore).toBe(1);
		expect(portal.state.orderStatusHistory.get(order.number)!.filter((s) => s.status === 'confirmed')).toHaveLength(1);
	});

	it('sessions expiring in the middle of a 10,000-item product sync: exactly 10,000 products, no gaps', async () => {
		sap.seed({ items: 10_000, seed: 7 });
		sap.sessions.expireAll();
		// the delta guard sends what is new or differs from what the portal accepted before; the portal holds
		// exactly what it was sent, so that is every item whose portal record differs from SAP's now
		const held = new Map([...portal.state.products].map(([k, v]) => [k, JSON.stringify(v)]));
		sap.requests.length = 0;
		const mark = portal.requests.length;
		const loginsBefore = sap.sessions.logins;
		// page 4 of the item list: an answer 401 (expired session) …
		sap.faults.add({ method: 'GET', path: /^\/Items$/, kind: 'status', status: 401, skip: 3 });
		// … and from page 10 on every session really ends (this install answers 403 then)
		const pages = () =>
			sap.requests.filter((r) => r.method === 'GET' && r.path === '/Items' && r.status === 200).length;
		let expired = 0;
		const watch = setInterval(() => {
			if (pages() >= 10 && expired === 0) expired = sap.sessions.expireAll() || -1;
		}, 1);
		let run;
		try {
			// execute-batch writes the run to a file: `execute --rawOutput` prints the run data (here 3 × 10,000
			// items: read, guard, If) on stdout, and n8n 2.41 exits before a result of this size is flushed
			// (seen: 146 kB of it, exit code 0)
			run = await timed('execute-batch products (10,000 items, sessions expiring)', () =>
				n8n.executeBatch([ids.products]),
			);
		} finally {
			clearInterval(watch);
		}
		expect(run[ids.products]).toMatchObject({ ok: true, status: 'success' });
		const items = sap.state.itemsInOrder();
		// two batch files of 5,000 out of the read, every item once
		expectBatchFiles(run[ids.products].data, 'SAP: all items', 10_000);
		expect(items).toHaveLength(10_000);
		expect(portal.state.products.size).toBe(10_000);
		expect([...portal.state.products.keys()].sort()).toEqual(items.map((i) => i.ItemCode).sort());
		for (const item of items) expect(portal.state.products.get(item.ItemCode)!.name).toBe(item.ItemName);
		const changed = items.filter((i) => held.get(i.ItemCode) !== JSON.stringify(portal.state.products.get(i.ItemCode)));
		expect(changed.length).toBeGreaterThan(9_000);
		expect(recordsSent('/v1/products/batch', mark)).toBe(changed.length);
		const statuses = sap.requests.filter((r) => r.path === '/Items').map((r) => r.status);
		expect(statuses).toContain(401);
		expect(statuses).toContain(403);
		expect(expired).toBeGreaterThan(0);
		// one login each for the session ended before the run, the 401 and the expiry at page 10 — though the read
		// has the next page in flight (readAhead); n8n keeps the renewed session in its database, and a renewal
		// that did not reach it would log in on every request
		expect(sap.sessions.logins - loginsBefore).toBe(3);
		expect(statuses.filter((s) => s === 200)).toHaveLength(20); // 10,000 / 500 per page, none read twice
		expect(portal.state.syncStatus.get('sap-b1 products')).toMatchObject({
			counts: { products: changed.length, failed: 0 },
		});
	});
});
