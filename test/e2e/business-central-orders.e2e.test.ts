/**
 * The Business Central order-side templates (workflows-templates/business-central/: orders with its part, order
 * status, invoices) in ONE real n8n 2.41.1 with the packed pack, against the Business Central simulator (in this
 * process: SaaS API behind a Microsoft Entra token endpoint) and the portal simulator. Every assertion is on what
 * the PORTAL ends up holding and which sales orders BC holds: orders at BC's prices confirmed with the BC order
 * number; a wrong price rejected with the reason the client reads; the customer's price group and a quantity break
 * honoured; unknown or blocked customers and items rejected with the reason before any claim or sales order; a lost
 * answer on the sales order POST makes exactly one order (found again by the portal number in
 * externalDocumentNumber); a signed order.created webhook confirmed in real time; then statuses as BC moves the
 * orders on (Draft → Open → shipped → invoiced, an order BC deletes once shipped and invoiced included) and the
 * invoice with its PDF in the portal; and no credential value in any output, run data or n8n log.
 *
 * `n8n execute` needs the Manual Trigger "Run now (test)" first among the trigger nodes (see sap-b1.e2e.test.ts);
 * these CLI runs keep the nodes' cursors (workflow static data) between runs as active workflows do.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { N8nInstance, REPO_ROOT, nodeItems, withoutSchedule } from './harness/n8n-instance';
import { stepTimings, until, ranNodes as ran, collectingExecute } from './harness/steps';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { startBusinessCentralSimulator, type BusinessCentralSimulator } from '../simulators/business-central/server';
import { salesControl } from '../simulators/business-central/sales';
import type { Customer, Item } from '../simulators/business-central/state';
import type { Order } from '../../nodes/shared/model/types';
import { scanForSecrets, type Collected, type Secret } from '../harness/credential-scan';

jest.setTimeout(300_000);

const DIR = path.join(REPO_ROOT, 'workflows-templates', 'business-central');
const template = (name: string) => JSON.parse(readFileSync(path.join(DIR, `business-central-${name}.json`), 'utf8'));
const BC_CRED = { id: 'bcCredential001', name: 'Business Central account' };
const PORTAL_CRED = { id: 'portalCred0001', name: 'B2B Portal account' };
const NAMES = ['orders', 'order-status', 'invoices'] as const;
type Name = (typeof NAMES)[number];
const CLIENT_SECRET = 'e2e-bc-SECRET~Żółw.7f3a9c0d41';
const PORTAL_KEY = 'e2e-portal-KEY-bc-5ab1c9e2';
const WEBHOOK_SECRET = 'e2e-webhook-SECRET-bc-żółć';

let bc: BusinessCentralSimulator;
let portal: PortalSimulator;
let n8n: N8nInstance;
let sales: ReturnType<typeof salesControl>;
const ids = {} as Record<Name, string>;
const collected: Collected[] = [];
/** every access token the token endpoint hands out, for the credential scan */
const accessTokens: string[] = [];
const started = Date.now();
const { timings, timed } = stepTimings();

const execute = collectingExecute(() => n8n, timed, collected);
/** BC's sales orders (still open) carrying this portal number */
const bcOrders = (number: string) => sales.state().orders.filter((o) => o.externalDocumentNumber === number);
const bcLines = (orderId: string) =>
	sales
		.state()
		.lines.filter((l) => l.documentId === orderId)
		.sort((a, b) => a.sequence - b.sequence);
const salesOrderPosts = () =>
	bc.requests.filter((r) => r.method === 'POST' && /\/salesOrders$/.test(r.path) && !r.inBatch);
const lastStatus = (number: string) => portal.state.orderStatusHistory.get(number)?.at(-1);
const claimed = (number: string) => portal.state.claims.log.some((e) => e.orderNumber === number);
const money = (n: number) => n.toFixed(2);

/** the test's own customers and items, with prices set the way a BC user sets them (price list lines) */
let plain: Customer; // no price group
let hurt: Customer; // price group HURT
let blockedAll: Customer;
let screws: Item; // list price only
let drill: Item; // list 200.00, HURT 170.00, HURT from 10 pieces 160.00
let blockedItem: Item;
const PRICE = { screws: 55.5, drillList: 200, drillHurt: 170, drillHurt10: 160 };

/** A portal order (net prices, VAT 23 %) for these lines: [item number, quantity, unit price]. */
function portalOrder(n: number, clientCode: string, lines: Array<[string, number, number]>): Order {
	return {
		number: `B2B/2026/${String(n).padStart(6, '0')}`,
		clientCode,
		placedAt: `${new Date(bc.clock.now()).toISOString().slice(0, 10)}T10:15:00+01:00`,
		currency: 'PLN',
		priceType: 'net',
		lines: lines.map(([productCode, quantity, price], i) => ({
			lineNo: i + 1,
			productCode,
			quantity: String(quantity),
			unitPrice: money(price),
			vatRate: '23',
		})),
		notes: 'Dostawa do magazynu w Łodzi — zażółć gęślą jaźń',
	};
}

beforeAll(async () => {
	[bc, portal] = await Promise.all([
		startBusinessCentralSimulator({ clock: { start: Date.now(), frozen: true }, clientSecret: CLIENT_SECRET }),
		startPortalSimulator({ apiKey: PORTAL_KEY, webhookSecret: WEBHOOK_SECRET }),
	]);
	sales = salesControl(bc);
	// every token BC's login hands out, for the scan
	const handle = bc.tokens.handle.bind(bc.tokens);
	bc.tokens.handle = (...args: Parameters<typeof handle>) => {
		const answer = handle(...args);
		const token = (answer.json as { access_token?: string })?.access_token;
		if (token) accessTokens.push(token);
		return answer;
	};
	const co = bc.state.companies[0];
	const customers = co.customers.filter((c) => c.blocked === ' ');
	plain = customers[0];
	hurt = customers[1];
	bc.state.setCustomerPricing(plain.number, { customerPriceGroup: '' });
	bc.state.setCustomerPricing(hurt.number, { customerPriceGroup: 'HURT' });
	blockedAll = co.customers.find((c) => c.blocked === 'All')!;
	// items no seeded price line other than the list price touches
	const special = new Set(co.priceListLines.filter((l) => l.priceListCode !== 'S-CENY').map((l) => l.assetNo));
	const free = co.items.filter((i) => i.type === 'Inventory' && !i.blocked && !special.has(i.number));
	[screws, drill] = free.slice(-2);
	blockedItem = co.items.find((i) => i.blocked)!;
	bc.state.setPrice(screws.number, PRICE.screws, { alsoItemCard: true });
	bc.state.setPrice(drill.number, PRICE.drillList, { alsoItemCard: true });
	const group = { sourceType: 'Customer Price Group' as const, sourceNo: 'HURT', priceListCode: 'S-HURT' };
	bc.state.setPrice(drill.number, PRICE.drillHurt, group);
	bc.state.setPrice(drill.number, PRICE.drillHurt10, { ...group, minimumQuantity: 10 });

	n8n = await N8nInstance.create();
	await timed('install pack', () => n8n.installPack());
	await timed('import credentials', () =>
		n8n.importCredentials([
			{
				...BC_CRED,
				type: 'businessCentralApi',
				data: {
					tenantId: bc.tenant,
					environment: bc.environment,
					company: bc.company.name,
					clientId: bc.clientId,
					clientSecret: CLIENT_SECRET,
					apiHost: bc.apiHost,
					loginHost: bc.loginHost,
				},
			},
			{
				...PORTAL_CRED,
				type: 'b2bPortalApi',
				data: { baseUrl: portal.url, authType: 'apiKey', apiKey: PORTAL_KEY, webhookSecret: WEBHOOK_SECRET },
			},
		]),
	);
	const imported = await timed('import 3 templates (+ their 2 parts)', () =>
		n8n.importWorkflows(
			NAMES.map((name) => ({
				// the orders template is published later for its webhook: imported once, without its 5-minute schedule
				// (withoutSchedule says why); `n8n execute` runs the same poll path from "Run now (test)"
				workflow: name === 'orders' ? withoutSchedule(template(name)) : template(name),
				credentialIds: { businessCentralApi: BC_CRED, b2bPortalApi: PORTAL_CRED },
			})),
		),
	);
	NAMES.forEach((name, i) => (ids[name] = imported[i]));
});

afterAll(async () => {
	await n8n?.dispose();
	await Promise.all([bc?.close(), portal?.close()]);
	timings.push(`whole file: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	console.log(`Business Central orders e2e timings:\n  ${timings.join('\n  ')}`);
});

afterEach(() => {
	expect(portal.contractViolations).toEqual([]);
	expect(bc.crashes).toEqual([]);
});

describe('orders: price check in Business Central, the sales order, confirmation or rejection', () => {
	const good: Order[] = [];
	const wrong: Array<[Order, number]> = [];
	const never: Array<[Order, RegExp]> = [];
	let fault: ReturnType<BusinessCentralSimulator['faults']['loseResponse']>;
	let postsBefore: number;
	let run: Awaited<ReturnType<typeof execute>>;

	// one polling run for every case (each n8n process costs seconds): the answer to the FIRST sales order POST of
	// the run is lost, so the lost-answer rule is checked on an order among the others
	beforeAll(async () => {
		good.push(
			portal.seedOrder(
				portalOrder(801, plain.number, [
					[screws.number, 3, PRICE.screws],
					[drill.number, 2, PRICE.drillList],
				]),
			),
			// the customer's price group, and its 10-piece break
			portal.seedOrder(portalOrder(802, hurt.number, [[drill.number, 2, PRICE.drillHurt]])),
			portal.seedOrder(portalOrder(803, hurt.number, [[drill.number, 12, PRICE.drillHurt10]])),
		);
		wrong.push(
			[portal.seedOrder(portalOrder(804, plain.number, [[screws.number, 2, PRICE.screws + 1]])), PRICE.screws],
			// 9 pieces do not reach the 10-piece break: the group's price applies, not the break's
			[portal.seedOrder(portalOrder(805, hurt.number, [[drill.number, 9, PRICE.drillHurt10]])), PRICE.drillHurt],
		);
		never.push(
			[
				portal.seedOrder(portalOrder(806, 'K-ŻÓŁW-404', [[screws.number, 1, PRICE.screws]])),
				/^Klient K-ŻÓŁW-404 nie istnieje w Business Central/,
			],
			[
				portal.seedOrder(portalOrder(807, blockedAll.number, [[screws.number, 1, PRICE.screws]])),
				new RegExp(`^Klient ${blockedAll.number} jest zablokowany w Business Central`),
			],
			[
				portal.seedOrder(portalOrder(808, plain.number, [['TOWAR-ŻÓŁW-404', 1, 10]])),
				/^Pozycja 1: produkt TOWAR-ŻÓŁW-404 nie istnieje w Business Central/,
			],
			[
				portal.seedOrder(portalOrder(809, plain.number, [[blockedItem.number, 1, blockedItem.unitPrice]])),
				new RegExp(`^Pozycja 1: produkt ${blockedItem.number} jest zablokowany w Business Central`),
			],
		);
		postsBefore = salesOrderPosts().length;
		fault = bc.faults.loseResponse({ path: /\/salesOrders$/ });
		run = await execute(ids.orders, 'execute orders (9 orders, polling, one lost answer)');
	});

	it('orders at BC prices — the customer price group and a quantity break honoured — are confirmed with the BC order number, lines as Item lines', () => {
		expect(run.error).toBeUndefined();
		for (const o of good) {
			const [so, ...more] = bcOrders(o.number);
			expect(more).toEqual([]);
			expect(so).toBeDefined();
			expect(so.customerNumber).toBe(o.clientCode);
			expect(portal.state.orders.get(o.number)).toMatchObject({ status: 'confirmed', erpDocumentNumber: so.number });
			expect(bcLines(so.id).map((l) => [l.lineType, l.lineObjectNumber, l.quantity, money(l.unitPrice)])).toEqual(
				o.lines.map((l) => ['Item', l.productCode, Number(l.quantity), l.unitPrice]),
			);
		}
		expect(portal.state.syncStatus.get('business-central orders')).toMatchObject({
			status: 'success',
			counts: { confirmed: 3, rejected: 6, refusedByBusinessCentral: 0, outOfStock: 0 },
			expectedEveryMinutes: 5,
		});
	});

	it('a lost answer on the sales order POST makes exactly one sales order (found by externalDocumentNumber), confirmed once', () => {
		expect(fault.hits).toBe(1);
		const posts = salesOrderPosts().slice(postsBefore);
		// BC was asked to create exactly the three good orders, one of them answered nothing (status 0)
		expect(posts.map((r) => r.status).sort()).toEqual([0, 201, 201]);
		for (const o of good) {
			expect(bcOrders(o.number)).toHaveLength(1);
			expect(
				portal.requests.filter((r) => r.path.endsWith(`${encodeURIComponent(o.number)}/acknowledge`)),
			).toHaveLength(1);
			expect(portal.state.orderStatusHistory.get(o.number)!.filter((s) => s.status === 'confirmed')).toHaveLength(1);
		}
	});

	it('a price BC does not charge this customer is rejected with the reason the client reads, before any claim', () => {
		for (const [o, expected] of wrong) {
			expect(bcOrders(o.number)).toEqual([]);
			expect(portal.state.orders.get(o.number)!.status).toBe('rejected');
			expect(lastStatus(o.number)!.reason).toContain(
				`Cena pozycji 1 (${o.lines[0].productCode}) różni się od cennika: ${o.lines[0].unitPrice} zamiast ${money(expected)}`,
			);
			expect(claimed(o.number)).toBe(false);
		}
	});

	it('unknown or blocked customers and items are rejected with the reason before any claim or sales order', () => {
		for (const [o, reason] of never) {
			expect({ n: o.number, s: portal.state.orders.get(o.number)!.status }).toEqual({ n: o.number, s: 'rejected' });
			expect(lastStatus(o.number)!.reason).toMatch(reason);
			expect(claimed(o.number)).toBe(false);
			expect(bcOrders(o.number)).toEqual([]);
		}
	});

	it('webhook: a signed order.created event is confirmed in real time', async () => {
		await timed('publish + start n8n', async () => {
			await n8n.publish(ids.orders);
			await n8n.start();
		});
		try {
			const url = await n8n.webhookUrlFor(ids.orders, 'New order in portal');
			const order = portal.seedOrder(portalOrder(811, hurt.number, [[drill.number, 10, PRICE.drillHurt10]]));
			const res = await timed('webhook → confirmed', async () => {
				const r = await portal.sendOrderEvent(url, { type: 'order.created', order: order.number, id: 'evt-bc-811' });
				collected.push({ source: 'webhook answer', text: JSON.stringify(r) });
				await until(
					'the webhook order to be confirmed',
					() => portal.state.orders.get(order.number)?.status === 'confirmed',
				);
				await n8n.waitForExecution(ids.orders, (e) => e.mode === 'webhook' && e.finished);
				return r;
			});
			expect(res.status).toBe(200);
			const [so, ...more] = bcOrders(order.number);
			expect(more).toEqual([]);
			expect(portal.state.orders.get(order.number)!.erpDocumentNumber).toBe(so.number);
		} finally {
			collected.push({ source: 'n8n log (server)', text: n8n['rawLogs']() });
			await n8n.stop();
		}
	});
});

describe('as Business Central moves the orders on: order status and invoices with PDF', () => {
	const [A, B, C, D] = ['B2B/2026/000801', 'B2B/2026/000802', 'B2B/2026/000803', 'B2B/2026/000811'];
	const status = (n: string) => portal.state.orders.get(n)!.status;
	/** BC's (frozen) clock to a minute after the real now: what BC does comes after the portal's confirmation */
	const later = () => bc.clock.set(Math.max(bc.clock.now(), Date.now()) + 60_000);

	it('a sales order in BC is confirmed in the portal whatever its BC status (Draft, In Review, Open), also when BC changes it after the confirmation; a posted shipment → shipped', async () => {
		const [a] = bcOrders(A);
		const [b] = bcOrders(B);
		const [c] = bcOrders(C);
		const [d] = bcOrders(D);
		expect([a.status, b.status, c.status, d.status]).toEqual(['Draft', 'Draft', 'Draft', 'Draft']);
		// what a BC user does after the portal confirmed the orders: A sent for approval, B released, C released
		// and shipped; D (the webhook's order) left as created
		later();
		sales.requestApproval(a.id);
		sales.release(b.id);
		sales.release(c.id);
		const shipment = sales.ship(c.id);
		const run = await execute(ids['order-status'], 'execute order-status (Draft, In Review, Open, shipped)');
		expect(run.error).toBeUndefined();
		expect(ran(run.data)).toEqual(expect.arrayContaining(['Update statuses in portal', 'Record run']));
		const sent = nodeItems(run.data, 'Business Central: order statuses changed since last run');
		const of = (n: string) => sent.find((j) => j.orderNumber === n);
		expect(of(D)).toMatchObject({ status: 'confirmed', bcStatus: 'Draft', erpDocumentNumber: d.number });
		expect(of(A)).toMatchObject({ status: 'confirmed', bcStatus: 'In Review', erpDocumentNumber: a.number });
		expect(of(B)).toMatchObject({ status: 'confirmed', bcStatus: 'Open', erpDocumentNumber: b.number });
		expect(of(C)).toMatchObject({ status: 'shipped', erpDocumentNumber: c.number });
		expect(shipment.orderNumber).toBe(c.number);
		// A's change in BC is newer than its confirmation: had it been sent as "placed", the portal would take it back
		expect([status(A), status(B), status(C), status(D)]).toEqual(['confirmed', 'confirmed', 'shipped', 'confirmed']);
		expect(portal.state.syncStatus.get('business-central order-status')).toMatchObject({ status: 'success' });
	});

	it('invoiced: C (shipped) invoiced, A shipped and invoiced at once — BC deletes both orders — invoices with their PDF in the portal', async () => {
		const [a] = bcOrders(A);
		const [c] = bcOrders(C);
		later();
		sales.release(a.id);
		const { invoice: invA } = sales.shipAndInvoice(a.id);
		const { invoice: invC } = sales.shipAndInvoice(c.id);
		// BC deletes a sales order once it is fully shipped and invoiced: only its posted documents are left
		expect([bcOrders(A), bcOrders(C)]).toEqual([[], []]);
		const results = await timed('execute-batch order-status, invoices', () =>
			n8n.executeBatch([ids['order-status'], ids.invoices]),
		);
		for (const [id, r] of Object.entries(results))
			collected.push({ source: `batch run ${id}`, text: JSON.stringify(r) });
		expect(results[ids['order-status']]).toMatchObject({ ok: true });
		expect(results[ids.invoices]).toMatchObject({ ok: true });
		expect([status(A), status(B), status(C)]).toEqual(['invoiced', 'confirmed', 'invoiced']);
		expect(portal.state.orderStatusHistory.get(C)!.map((s) => s.status)).toEqual(
			expect.arrayContaining(['confirmed', 'shipped', 'invoiced']),
		);
		expect(status('B2B/2026/000804')).toBe('rejected'); // never in BC: untouched

		for (const [inv, number, client] of [
			[invA, A, plain.number],
			[invC, C, hurt.number],
		] as const) {
			const stored = portal.state.invoices.get(inv.number)!;
			expect(stored).toBeDefined();
			expect(stored.data).toMatchObject({
				number: inv.number,
				orderNumber: number,
				clientCode: client,
				totals: { gross: money(inv.totalAmountIncludingTax) },
			});
			const pdf = stored.pdf!;
			expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
			expect(pdf.subarray(-32).toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
		}
		expect(portal.state.invoices.size).toBe(2);
		expect(portal.state.syncStatus.get('business-central invoices')).toMatchObject({ counts: { invoices: 2 } });
	});
});

describe('credentials', () => {
	it('no credential value in any output, error, run data or n8n log of the file', async () => {
		const rows = await n8n.sqlite(
			'SELECT e.id AS id, e.status AS status, d.data AS data FROM execution_entity e JOIN execution_data d ON d.executionId = e.id',
		);
		expect(rows.length).toBeGreaterThanOrEqual(8);
		for (const r of rows) collected.push({ source: `execution ${r.id} (${r.status}) run data`, text: String(r.data) });
		collected.push({ source: 'n8n logs', text: n8n['rawLogs']() });
		const secrets: Secret[] = [
			{ label: 'BC client secret', value: CLIENT_SECRET, user: bc.clientId },
			{ label: 'portal API key', value: PORTAL_KEY },
			{ label: 'webhook secret', value: WEBHOOK_SECRET },
			...accessTokens.map((value, i) => ({ label: `BC access token ${i + 1}`, value })),
		];
		expect(accessTokens.length).toBeGreaterThanOrEqual(1);
		expect(scanForSecrets(secrets, collected)).toEqual([]);
	});
});
