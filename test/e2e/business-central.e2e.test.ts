/**
 * The Business Central catalogue templates (workflows-templates/business-central/) in ONE real n8n 2.41.1 with the
 * packed pack, against the Business Central simulator (in process: SaaS URLs, Entra token endpoint, the custom API
 * pages, the Item Card page as OData V4) and the portal simulator. The templates are imported as shipped, bound to
 * the online (SaaS) credential with its API and Login hosts pointed at the simulator, and every assertion is on what
 * the PORTAL ends up holding: products with their Polish names byte for byte and blocked items not active; unit
 * prices and price list lines (all customers, one customer, a customer price group with quantity breaks, dates,
 * another currency; Draft / Inactive lines left out); stock per location = 95 % rounded down, and after a stock
 * move that leaves the item's lastModifiedDateTime alone (as BC does) exactly the moved level — with a 429 and its
 * Retry-After in the middle of that read; customers with BC's string `blocked` mapped. The webhook variant of
 * products, published in a started n8n: its subscription, the keep-alive URL it builds, and a change in BC →
 * notification → execution → exactly that product in the portal. One Entra token serves every run of the file (n8n
 * keeps it in the credential); no secret, token or clientState in any output, run data or n8n log.
 *
 * `n8n execute` starts from the first trigger, "Run now (test)" (see sap-b1.e2e.test.ts); these CLI runs keep the
 * nodes' cursors and the guards' fingerprints (workflow static data) between runs, as an active workflow does.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { N8nInstance, REPO_ROOT, httpRequest, nodeRecords } from './harness/n8n-instance';
import { stepTimings, until, ranNodes as ran, collectingExecute } from './harness/steps';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { startBusinessCentralSimulator, type BusinessCentralSimulator } from '../simulators/business-central/server';
import type { Company, Item, PriceListLine } from '../simulators/business-central/state';
import { subscriptionsOf, type SubscriptionsState } from '../simulators/business-central/subscriptions';
import { scanForSecrets, type Collected, type Secret } from '../harness/credential-scan';

jest.setTimeout(300_000);

const DIR = path.join(REPO_ROOT, 'workflows-templates', 'business-central');
const template = (name: string) => JSON.parse(readFileSync(path.join(DIR, `business-central-${name}.json`), 'utf8'));
const BC_CRED = { id: 'bcCredSaaS00001', name: 'Business Central account' };
const PORTAL_CRED = { id: 'portalCred0001', name: 'B2B Portal account' };
const NAMES = ['products', 'prices', 'stock', 'clients'] as const;
type Name = (typeof NAMES)[number];
const POLISH = /[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]/;
const CLIENT_SECRET = 'e2e-BC~Sekret.Żółw-7Q8r.c0ffee42-9f3c1a7b5d';
const PORTAL_KEY = 'e2e-portal-KEY-bc-5ab1c9e2';
const WEBHOOK_SECRET = 'e2e-webhook-SECRET-bc-żółć';

let bc: BusinessCentralSimulator;
let portal: PortalSimulator;
let n8n: N8nInstance;
let co: Company;
const ids = {} as Record<Name, string>;
/** the products template started by Business Central's change webhook */
let webhookWf: string;
const WEBHOOK = template('products-webhook');
const TRIGGER = 'Business Central: item changed';
const collected: Collected[] = [];
const accessTokens: string[] = [];
const clientStates: string[] = [];
const started = Date.now();
const { timings, timed } = stepTimings();

const execute = collectingExecute(() => n8n, timed, collected);
const recordsSent = (apiPath: string, mark: number) =>
	portal.requests
		.slice(mark)
		.filter((r) => r.method === 'POST' && r.path === apiPath && r.status === 200)
		.reduce((n, r) => n + (r.itemCount ?? 0), 0);
const sameBytes = (a: string, b: string) => Buffer.from(a, 'utf8').equals(Buffer.from(b, 'utf8'));
/** 95 % of a whole quantity, rounded down, never below 0 (the template's Stock buffer 95 %) */
const buffered95 = (q: number) => String(Math.max(0, Math.floor((q * 95) / 100)));
const inventoryItems = () => co.items.filter((i) => i.type === 'Inventory');
const stockOf = (code: string, location: string) =>
	portal.state.stock.get(portal.state.keys.stock({ productCode: code, warehouseCode: location }));

/** BC's price list line → the portal price the node must make of it (undefined: not sent) */
function expectedLinePrice(l: PriceListLine) {
	if (l.status !== 'Active' || l.assetType !== 'Item' || !l.unitPrice) return undefined;
	const scope = { 'All Customers': 'priceList', Customer: 'client', 'Customer Price Group': 'clientGroup' }[
		l.sourceType
	];
	const validFrom = l.startingDate === '0001-01-01' ? undefined : l.startingDate;
	const validTo = l.endingDate === '0001-01-01' ? undefined : l.endingDate;
	if (validFrom && validTo && validTo < validFrom) return undefined;
	return {
		productCode: l.assetNo,
		scope,
		// all customers: with the items' Unit Prices on the template's All Customers Price List Code
		scopeCode: l.sourceType === 'All Customers' ? 'BASE' : l.sourceNo,
		currency: l.currencyCode || 'PLN',
		minQuantity: l.minimumQuantity > 1 ? String(l.minimumQuantity) : undefined,
		validFrom,
		validTo,
		// what the customer pays: BC takes the line's discount off its price; Price Includes VAT → gross
		amount: (l.unitPrice * (100 - l.lineDiscountPercent)) / 100,
		field: (l.priceIncludesVAT ? 'gross' : 'net') as 'net' | 'gross',
	};
}
const priceKey = (p: {
	productCode: string;
	scope?: string;
	scopeCode: string;
	currency: string;
	minQuantity?: string;
	validFrom?: string;
}) => [p.productCode, p.scope, p.scopeCode, p.currency, Number(p.minQuantity ?? 1), p.validFrom ?? ''].join(' | ');

beforeAll(async () => {
	[bc, portal] = await Promise.all([
		startBusinessCentralSimulator({ seed: { items: 60, customers: 20, locations: 3 }, clientSecret: CLIENT_SECRET }),
		startPortalSimulator({ apiKey: PORTAL_KEY, webhookSecret: WEBHOOK_SECRET }),
	]);
	co = bc.state.companies[0];
	// a price group's gross price (Price Includes VAT) beside the seed's net ones
	bc.state.addPriceListLine(
		{
			priceListCode: 'S-DETAL-BRUTTO',
			sourceType: 'Customer Price Group',
			sourceNo: 'DETAL',
			assetNo: co.items.filter((i) => i.type === 'Inventory')[1].number,
			unitPrice: 123.45,
			priceIncludesVAT: true,
		},
		co.id,
	);
	// every access token the login host hands out, for the credential scan
	const handle = bc.tokens.handle.bind(bc.tokens);
	bc.tokens.handle = (...args: Parameters<typeof handle>) => {
		const reply = handle(...args);
		const token = (reply.json as { access_token?: string } | undefined)?.access_token;
		if (token) accessTokens.push(token);
		return reply;
	};
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
					// by name (Polish letters): resolved to the company's id once per run, and put in Company('…') for the Item Card page
					company: co.name,
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
	const credentialIds = { businessCentralApi: BC_CRED, b2bPortalApi: PORTAL_CRED };
	const imported = await timed('import 5 templates', () =>
		n8n.importWorkflows([
			...NAMES.map((name) => ({ workflow: template(name), credentialIds })),
			{ workflow: WEBHOOK, credentialIds },
		]),
	);
	NAMES.forEach((name, i) => (ids[name] = imported[i]));
	webhookWf = imported[NAMES.length];
});

afterAll(async () => {
	if (bc) subscriptionsOf(bc.state).stop();
	await n8n?.dispose();
	await Promise.all([bc?.close(), portal?.close()]);
	timings.push(`whole file: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	console.log(`business central e2e timings:\n  ${timings.join('\n  ')}`);
});

afterEach(() => {
	expect(portal.contractViolations).toEqual([]);
	expect(bc.crashes).toEqual([]);
});

describe('the templates as shipped', () => {
	it.each(readdirSync(DIR).filter((f) => f.endsWith('.json')))(
		'%s: credentials by type only, error workflow ready, "Run now (test)" first, ends with a heartbeat',
		(file) => {
			const wf = JSON.parse(readFileSync(path.join(DIR, file), 'utf8'));
			expect(wf.settings).toEqual({ executionOrder: 'v1', errorWorkflow: '' });
			for (const node of wf.nodes)
				for (const [type, ref] of Object.entries<{ id: string; name: string }>(node.credentials ?? {}))
					expect({ type, ...ref }).toEqual(
						type === 'businessCentralApi'
							? { type, id: '', name: 'Business Central account' }
							: { type: 'b2bPortalApi', id: '', name: 'B2B Portal account' },
					);
			const heartbeat = wf.nodes.find((n: { name: string }) => n.name === 'Record run');
			expect(heartbeat.parameters).toMatchObject({ resource: 'syncStatus', operation: 'record', status: 'success' });
			expect(heartbeat.parameters.flow).toMatch(/^business-central /);
			const triggers = wf.nodes.filter((n: { type: string }) => /Trigger$/i.test(n.type));
			expect(triggers[0]).toMatchObject({ name: 'Run now (test)', type: 'n8n-nodes-base.manualTrigger' });
		},
	);
});

describe('catalogue: products, prices, stock and clients', () => {
	let results: Awaited<ReturnType<N8nInstance['executeBatch']>>;

	beforeAll(async () => {
		// the webhook variant's "Run now (test)" too (every item once, so its guard knows what the portal holds)
		results = await timed('execute-batch products, prices, stock, clients, products-webhook', () =>
			n8n.executeBatch([...NAMES.map((n) => ids[n]), webhookWf]),
		);
		for (const [id, r] of Object.entries(results))
			collected.push({ source: `batch run ${id}`, text: JSON.stringify(r) });
	});

	it('all runs succeed from "Run now (test)" and record their heartbeat', () => {
		for (const name of NAMES) {
			expect({ name, ...results[ids[name]], data: undefined }).toMatchObject({ name, ok: true, status: 'success' });
			expect(ran(results[ids[name]].data)).toContain('Run now (test)');
			expect(portal.state.syncStatus.get(`business-central ${name}`)).toMatchObject({
				status: 'success',
				expectedEveryMinutes: { products: 30, prices: 30, stock: 5, clients: 1440 }[name],
			});
		}
		expect(ran(results[ids.products].data)).toEqual(
			expect.arrayContaining(['Business Central: all items', 'Send products to portal', 'Record run']),
		);
	});

	it('products: one per item of the credential’s company, names byte for byte, blocked items not active', () => {
		expect(portal.state.products.size).toBe(co.items.length);
		expect(co.items.filter((i) => POLISH.test(i.displayName)).length).toBeGreaterThan(5);
		for (const item of co.items) {
			const p = portal.state.products.get(item.number)!;
			expect({ code: item.number, found: p !== undefined }).toEqual({ code: item.number, found: true });
			expect([item.number, sameBytes(p.name, item.displayName)]).toEqual([item.number, true]);
			expect({ code: p.code, active: p.active }).toEqual({ code: item.number, active: !item.blocked });
			if (item.gtin) expect(p.ean).toBe(item.gtin);
			expect(p.unit).toBe(item.baseUnitOfMeasureCode);
		}
		expect(co.items.filter((i) => i.blocked).length).toBeGreaterThan(0);
		expect(portal.state.products.get('ŻUBR-007')).toBeDefined();
		expect(portal.state.syncStatus.get('business-central products')!.counts).toMatchObject({
			products: co.items.length,
			failed: 0,
		});
	});

	it('prices: every unit price and every price list line in force, for all / a customer / a price group, with quantity breaks', () => {
		const expected = new Map<string, { amount: number; field: 'net' | 'gross'; validTo?: string }>();
		const put = (key: string, v: { amount: number; field: 'net' | 'gross'; validTo?: string }) => {
			const before = expected.get(key);
			if (!before || v.amount < before.amount) expected.set(key, v); // BC's best price: the lowest of one key
		};
		// the item card's Unit Price as price list BASE, gross where the item's price includes VAT
		for (const item of co.items)
			if (item.unitPrice)
				put(priceKey({ productCode: item.number, scope: 'priceList', scopeCode: 'BASE', currency: 'PLN' }), {
					amount: item.unitPrice,
					field: item.priceIncludesTax ? 'gross' : 'net',
				});
		for (const line of co.priceListLines) {
			const p = expectedLinePrice(line);
			if (p) put(priceKey(p), { amount: p.amount, field: p.field, validTo: p.validTo });
		}
		const got = new Map([...portal.state.prices.values()].map((p) => [priceKey(p), p]));
		expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
		for (const [key, v] of expected) {
			const p = got.get(key)!;
			// money to the grosz, rounded half-up from BC's decimal
			const amount = Number(p[v.field]);
			expect([key, Math.abs(amount - v.amount) <= 0.005 + 1e-9, p.validTo]).toEqual([key, true, v.validTo]);
		}
		const a = inventoryItems()[0];
		const prices = [...portal.state.prices.values()].filter((p) => p.productCode === a.number);
		// a customer's own price, seen by that customer only
		const own = co.priceListLines.find((l) => l.sourceType === 'Customer' && l.assetNo === a.number)!;
		expect(prices.filter((p) => p.scope === 'client').map((p) => p.scopeCode)).toEqual([own.sourceNo]);
		// the HURT group's price with its quantity breaks from 10 and 50
		expect(
			prices
				.filter((p) => p.scope === 'clientGroup' && p.scopeCode === 'HURT')
				.map((p) => p.minQuantity ?? '1')
				.sort(),
		).toEqual(['1', '10', '50']);
		// a gross line stays gross; a line's discount is taken off its price
		expect(
			[...portal.state.prices.values()]
				.filter((p) => p.scopeCode === 'DETAL')
				.map((p) => ({ scope: p.scope, gross: p.gross, net: p.net })),
		).toEqual([{ scope: 'clientGroup', gross: '123.45', net: undefined }]);
		const discounted = co.priceListLines.find((l) => l.lineDiscountPercent > 0 && l.status === 'Active')!;
		expect(discounted).toBeDefined();
		// another currency keeps its own price
		expect(prices.some((p) => p.currency === 'EUR' && p.scopeCode === 'BASE')).toBe(true);
		// a Draft (0.01) and an Inactive (0.02) line are not in force
		expect([...portal.state.prices.values()].filter((p) => ['0.01', '0.02'].includes(String(p.net)))).toEqual([]);
	});

	it('stock: every inventory item at every location through the Item Card page, available = 95 % rounded down', () => {
		const locations = co.locations.map((l) => l.code);
		expect(locations.some((l) => POLISH.test(l))).toBe(true);
		expect(portal.state.stock.size).toBe(inventoryItems().length * locations.length);
		let lowered = 0;
		for (const item of inventoryItems())
			for (const location of locations) {
				const q = bc.state.inventoryAt(co, item.number, location);
				const got = stockOf(item.number, location)!;
				expect({ item: item.number, location, onHand: Number(got?.onHand), available: got?.available }).toEqual({
					item: item.number,
					location,
					onHand: q,
					available: buffered95(q),
				});
				if (Number(got.available) < q) lowered++;
			}
		expect(lowered).toBeGreaterThan(10);
		// the Item Card page was read once per location (one page each: 60 items), for the company by name
		const itemCard = bc.requests.filter((r) => r.target === 'odata' && r.status === 200);
		expect(itemCard.length).toBeGreaterThanOrEqual(locations.length);
		expect(itemCard.every((r) => decodeURIComponent(r.path).includes(`Company('${co.name}')/ItemCard`))).toBe(true);
		// handed over in batch files, not one item per record
		expect(nodeRecords(results[ids.stock].data, 'Stock buffer 95 %', 0, n8n.userFolder).length).toBe(
			portal.state.stock.size,
		);
	});

	it('clients: every customer, blocked Ship / Invoice / All → blocked, blank → not, with the price group', () => {
		expect([...portal.state.clients.keys()].sort()).toEqual(co.customers.map((c) => c.number).sort());
		for (const c of co.customers) {
			const got = portal.state.clients.get(c.number)!;
			expect([c.number, sameBytes(got.name, c.displayName)]).toEqual([c.number, true]);
			expect({ code: c.number, blocked: got.blocked }).toEqual({ code: c.number, blocked: c.blocked !== ' ' });
			const group = co.customerPricing.find((p) => p.customerNumber === c.number)?.customerPriceGroup;
			expect({ code: c.number, priceGroup: got.priceGroup }).toEqual({
				code: c.number,
				priceGroup: group || undefined,
			});
		}
		expect(new Set(co.customers.map((c) => c.blocked))).toEqual(new Set([' ', 'Ship', 'Invoice', 'All']));
		expect(co.customers.some((c) => POLISH.test(c.displayName))).toBe(true);
	});
});

describe('stock moves that leave the item untouched', () => {
	it('the 5-minute read sends exactly the moved level — through a 429 with Retry-After in the middle', async () => {
		const item = inventoryItems()[3];
		const location = co.locations[1].code;
		const stamp = item.lastModifiedDateTime;
		const before = bc.state.inventoryAt(co, item.number, location);
		const now = bc.state.moveStock(item.number, location, 37);
		// as in BC: the receipt changes the location's quantity, not the item
		expect(bc.state.item(item.number).lastModifiedDateTime).toBe(stamp);
		// the second location's Item Card page answers 429 once, with Retry-After: 2
		bc.faults.throttle({ target: 'odata', skip: 1, times: 1, retryAfter: '2' });
		const logMark = bc.requests.length;
		const mark = portal.requests.length;
		const run = await execute(ids.stock, 'execute stock (one level moved, a 429 on the way)');
		expect(run.error).toBeUndefined();
		expect(ran(run.data)).not.toContain('Business Central: all stock');
		expect(recordsSent('/v1/stock/batch', mark)).toBe(1);
		expect(stockOf(item.number, location)).toMatchObject({ onHand: String(now), available: buffered95(now) });
		expect(now).toBe(before + 37);
		expect(portal.state.syncStatus.get('business-central stock')).toMatchObject({
			status: 'success',
			counts: { stock: 1, failed: 0 },
		});
		// the 429 was waited out (Retry-After: 2 s), and its page asked again, not skipped
		const odata = bc.requests.slice(logMark).filter((r) => r.target === 'odata');
		const throttled = odata.findIndex((r) => r.status === 429);
		expect(throttled).toBeGreaterThan(0);
		const retry = odata[throttled + 1];
		expect({ path: retry.path, status: retry.status }).toEqual({ path: odata[throttled].path, status: 200 });
		expect(retry.at! - odata[throttled].at!).toBeGreaterThanOrEqual(1_900);
		expect(odata.filter((r) => r.status === 200)).toHaveLength(co.locations.length);
	});
});

describe('products in real time: the Business Central Trigger', () => {
	const subscriptions = () => {
		subscriptionsOf(bc.state).prune();
		return (bc.state.ext.subscriptions as SubscriptionsState).records;
	};
	let baseUrl: string;

	beforeAll(async () => {
		// its "Run now (test)" ran in the catalogue's batch: every item once, so its guard knows what the portal holds
		expect(portal.state.syncStatus.get('business-central products-webhook')).toMatchObject({
			status: 'success',
			counts: { products: co.items.length },
		});
		({ baseUrl } = await timed('start n8n', () => n8n.start()));
		// published while n8n runs: Business Central's validationToken call reaches n8n's live webhook
		await timed('publish products-webhook (subscription, handshake)', () => n8n.publish(webhookWf));
	});

	it('publishing subscribes to the company’s items; the keep-alive URL the template builds is the trigger’s', async () => {
		const [sub, ...more] = subscriptions();
		expect(more).toEqual([]);
		const url = await n8n.webhookUrlFor(webhookWf, TRIGGER);
		expect(sub).toMatchObject({ notificationUrl: url, resource: `/api/v2.0/companies(${co.id})/items` });
		clientStates.push(sub.clientState);
		// the keep-alive node's URL: n8n's webhook base + /webhook/<the trigger's webhookId>/<its path>
		const trigger = WEBHOOK.nodes.find((n: { name: string }) => n.name === TRIGGER);
		const keep = WEBHOOK.nodes.find((n: { name: string }) => n.name === 'Keep the change webhook alive');
		const built = String(keep.parameters.url).replace(
			"={{ $execution.resumeUrl.split('/webhook-waiting/')[0] }}",
			baseUrl.replace(/\/$/, ''),
		);
		expect(built).toBe(url);
		expect(built).toContain(trigger.webhookId);
		const alive = await httpRequest('GET', built);
		expect({ status: alive.status, body: JSON.parse(alive.body) }).toMatchObject({ status: 200, body: { ok: true } });
	});

	it('an item changed in BC → notification → execution → exactly that product, its new Polish name, in the portal', async () => {
		const item: Item = co.items[7];
		const name = 'Wiertarka udarowa — nowa nazwa zażółć gęślą jaźń';
		const before = (await n8n.executions(webhookWf)).length;
		const mark = portal.requests.length;
		bc.state.modifyItem(item.number, { displayName: name });
		const [delivery] = await subscriptionsOf(bc.state).flushNotifications();
		expect(delivery).toMatchObject({ status: 200, outcome: 'delivered', entries: 1 });
		const finished = async () =>
			(await n8n.executions(webhookWf)).filter((e) => !['new', 'running', 'waiting'].includes(e.status));
		await until('the execution the notification started', async () => (await finished()).length > before, 60_000);
		expect((await finished()).map((e) => e.status)).toEqual(Array(before + 1).fill('success'));
		expect(recordsSent('/v1/products/batch', mark)).toBe(1);
		expect(sameBytes(portal.state.products.get(item.number)!.name, name)).toBe(true);
		expect(portal.state.syncStatus.get('business-central products-webhook')).toMatchObject({
			status: 'success',
			counts: { products: 1, failed: 0 },
		});
	});
});

describe('credentials', () => {
	it('one Entra token for every run of the file: n8n keeps it in the credential', () => {
		expect(bc.tokensIssued).toBe(1);
		expect(bc.tokens.requests).toBe(1);
		expect(accessTokens).toHaveLength(1);
	});

	it('no client secret, token or portal key in any output, error, run data or n8n log of the file', async () => {
		const rows = await n8n.sqlite(
			'SELECT e.id AS id, e.status AS status, d.data AS data FROM execution_entity e JOIN execution_data d ON d.executionId = e.id',
		);
		expect(rows.length).toBeGreaterThanOrEqual(6);
		for (const r of rows) collected.push({ source: `execution ${r.id} (${r.status}) run data`, text: String(r.data) });
		collected.push({ source: 'n8n logs', text: n8n['rawLogs']() });
		const secrets: Secret[] = [
			{ label: 'BC client secret', value: CLIENT_SECRET },
			{ label: 'portal API key', value: PORTAL_KEY },
			{ label: 'webhook secret', value: WEBHOOK_SECRET },
			...accessTokens.map((value, i) => ({ label: `BC access token ${i + 1}`, value })),
			...clientStates.map((value) => ({ label: 'webhook clientState', value })),
		];
		expect(scanForSecrets(secrets, collected)).toEqual([]);
	});
});
