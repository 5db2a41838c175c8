/**
 * The Business Central node against the real simulator (test/simulators/business-central) through n8n-core's
 * WorkflowExecute (the harness): token handling, throttling, paging, the stock delta that does not trust
 * lastModifiedDateTime, per-location stock, prices, the blocked mapping, errors and secrets.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunctions,
	IDataObject,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';
import { BusinessCentralOnPremApi } from '../../credentials/BusinessCentralOnPremApi.credentials';
import { searchCompanies, searchCustomers } from '../../nodes/BusinessCentral/methods/listSearch';
import { getLocations } from '../../nodes/BusinessCentral/methods/loadOptions';
import {
	businessCentralConnectionTest,
	businessCentralOnPremConnectionTest,
} from '../../nodes/BusinessCentral/methods/credentialTest';
import { roundDecimal } from '../../nodes/shared/model/decimal';
import { startBusinessCentralSimulator, type BusinessCentralSimulator } from '../simulators/business-central/server';
import { afterRecordRun, bcCredential, bcOnPremCredential, logins, out, runBc } from './bc-helpers';

const money = (v: number) => roundDecimal(v, 2);
const company = (sim: BusinessCentralSimulator) => sim.state.companies.find((c) => c.id === sim.company.id)!;
const apiCalls = (sim: BusinessCentralSimulator, pattern: RegExp) =>
	sim.requests.filter((r) => (r.target === 'api' || r.target === 'odata') && pattern.test(decodeURIComponent(r.path)));

describe('Business Central node', () => {
	let sim: BusinessCentralSimulator;
	beforeEach(async () => {
		sim = await startBusinessCentralSimulator({ clock: { start: '2026-11-26T09:00:00Z', frozen: true } });
	});
	afterEach(async () => {
		expect(sim.crashes).toEqual([]);
		await sim.close();
	});

	test('one token for every item and execution; the credential test does not hold it', async () => {
		const credential = bcCredential(sim);
		const items = ['K00010', 'K00020', 'K00030'].map((n) => ({ json: { n } }));
		const first = await runBc(
			credential,
			{ resource: 'client', operation: 'get', customerNumber: { mode: 'id', value: '={{ $json.n }}' } },
			{ items },
		);
		expect(first.error).toBeUndefined();
		expect(out(first).map((c) => c.code)).toEqual(['K00010', 'K00020', 'K00030']);
		const second = await runBc(credential, { resource: 'product', operation: 'getMany', cursorMode: 'all' });
		expect(out(second)).toHaveLength(30);
		expect(logins(sim)).toBe(1);
		// the company is resolved once per run, not per item
		expect(apiCalls(sim, /\/api\/v2\.0\/companies$/)).toHaveLength(2);
	});

	test('an expired token (401) gets exactly one new token; a token refused again fails without a loop', async () => {
		const credential = bcCredential(sim);
		await runBc(credential, { resource: 'warehouse', operation: 'getMany' });
		expect(logins(sim)).toBe(1);
		sim.tokens.expireAll();
		const renewed = await runBc(credential, { resource: 'warehouse', operation: 'getMany' });
		expect(renewed.error).toBeUndefined();
		expect(out(renewed)).toHaveLength(3);
		expect(logins(sim)).toBe(2);

		const fault = sim.faults.add({ kind: 'status', status: 401, times: 10 });
		const refused = await runBc(credential, { resource: 'warehouse', operation: 'getMany' });
		expect(refused.error?.message).toMatch(/HTTP 401/);
		expect(logins(sim)).toBe(3);
		expect(fault.hits).toBe(2);
	});

	test('429 with Retry-After waits that long; 429 and 503 without it back off, then succeed', async () => {
		const credential = bcCredential(sim);
		await runBc(credential, { resource: 'warehouse', operation: 'getMany' });
		const withHeader = sim.faults.throttle({ retryAfter: '1', path: /\/items/ });
		const started = Date.now();
		const a = await runBc(credential, { resource: 'product', operation: 'getMany', cursorMode: 'all' });
		expect(a.error).toBeUndefined();
		expect(withHeader.hits).toBe(1);
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);

		const bare = sim.faults.throttle({ times: 2, path: /\/items/ });
		const busy = sim.faults.unavailable({ times: 1, path: /\/customers/ });
		const gateway = sim.faults.gatewayTimeout({ times: 1, path: /\/locations/ });
		const b = await runBc(credential, { resource: 'product', operation: 'getMany', cursorMode: 'all' });
		const c = await runBc(credential, { resource: 'client', operation: 'getMany', cursorMode: 'all' });
		const d = await runBc(credential, { resource: 'warehouse', operation: 'getMany' });
		expect([b.error, c.error, d.error]).toEqual([undefined, undefined, undefined]);
		expect([bare.hits, busy.hits, gateway.hits]).toEqual([2, 1, 1]);
		expect(out(b)).toHaveLength(30);
	});

	test('pages follow the absolute nextLink with Prefer: odata.maxpagesize', async () => {
		const r = await runBc(bcCredential(sim), {
			resource: 'product',
			operation: 'getMany',
			cursorMode: 'all',
			options: { pageSize: 7 },
		});
		const codes = out(r).map((p) => p.code);
		expect(codes).toHaveLength(30);
		expect(new Set(codes).size).toBe(30);
		expect([...codes].sort()).toEqual(
			company(sim)
				.items.map((i) => i.number)
				.sort(),
		);
		expect(apiCalls(sim, /\/items$/)).toHaveLength(5);
	});

	test('products changed since the last successful run, by lastModifiedDateTime', async () => {
		const credential = bcCredential(sim);
		const all = await runBc(credential, { resource: 'product', operation: 'getMany' });
		expect(out(all)).toHaveLength(30);
		const blocked = company(sim).items.find((i) => i.blocked)!;
		expect(out(all).find((p) => p.code === blocked.number)?.active).toBe(false);
		expect(out(all).filter((p) => p.active === false)).toHaveLength(company(sim).items.filter((i) => i.blocked).length);
		let staticData = afterRecordRun(all.staticData);
		const newest = [...company(sim).items].sort((x, y) =>
			y.lastModifiedDateTime.localeCompare(x.lastModifiedDateTime),
		)[0];
		sim.clock.advance(60_000);
		sim.state.modifyItem('1003', { displayName: 'Młotek ciesielski Żubr' });
		const delta = await runBc(credential, { resource: 'product', operation: 'getMany' }, { staticData });
		// the cursor keeps whole seconds and asks "gt": the newest record of the last run may come once more, never one lost
		expect(out(delta).find((p) => p.code === '1003')?.name).toBe('Młotek ciesielski Żubr');
		expect(
			out(delta)
				.map((p) => p.code)
				.sort(),
		).toEqual([...new Set(['1003', newest.number])].sort());
		staticData = afterRecordRun(delta.staticData);
		const none = await runBc(credential, { resource: 'product', operation: 'getMany' }, { staticData });
		// 1003 was changed on a whole second (the frozen clock): "gt" that second reads nothing more
		expect(out(none)).toEqual([]);
	});

	test('stock delta sees a stock move that does not touch lastModifiedDateTime; a failed run sends it again', async () => {
		const credential = bcCredential(sim);
		const params = { resource: 'stock', operation: 'getMany' };
		const first = await runBc(credential, params);
		const inventoryItems = company(sim).items.filter((i) => i.type === 'Inventory');
		expect(out(first)).toHaveLength(inventoryItems.length);
		const staticData = afterRecordRun(first.staticData);
		const quiet = await runBc(credential, params, { staticData });
		expect(out(quiet)).toEqual([]);

		const item = company(sim).items.find((i) => i.number === '1003')!;
		const stamp = item.lastModifiedDateTime;
		const before = Number(out(first).find((l) => l.productCode === '1003')?.onHand);
		sim.state.moveStock('1003', 'ŁÓDŹ', 5);
		expect(company(sim).items.find((i) => i.number === '1003')!.lastModifiedDateTime).toBe(stamp);
		const moved = await runBc(credential, params, { staticData });
		expect(out(moved).map((l) => [l.productCode, l.warehouseCode, l.onHand])).toEqual([
			['1003', 'ALL', String(before + 5)],
		]);
		// not committed (the run failed later): the next run sends the move again
		const again = await runBc(credential, params, { staticData });
		expect(out(again).map((l) => l.productCode)).toEqual(['1003']);
		const settled = await runBc(credential, params, { staticData: afterRecordRun(again.staticData) });
		expect(out(settled)).toEqual([]);
	});

	test('stock per location: one Item Card request per location and page, with Location_Filter', async () => {
		const credential = bcCredential(sim);
		const r = await runBc(credential, {
			resource: 'stock',
			operation: 'getMany',
			cursorMode: 'all',
			stockSource: 'perLocation',
			locations: ['ŁÓDŹ', 'KRAKÓW'],
			options: { pageSize: 10 },
		});
		expect(r.error).toBeUndefined();
		const co = company(sim);
		const inventory = co.items.filter((i) => i.type === 'Inventory');
		expect(out(r)).toHaveLength(inventory.length * 2);
		for (const level of out(r)) {
			const expected = co.stock[String(level.productCode)]?.[String(level.warehouseCode)] ?? 0;
			expect(Number(level.onHand)).toBe(Math.max(0, expected));
		}
		const cards = sim.requests.filter((q) => q.target === 'odata');
		expect(cards).toHaveLength(2 * 3); // 30 rows, 10 a page, two locations
		expect(cards.every((q) => decodeURIComponent(q.path).endsWith(`/Company('${sim.company.name}')/ItemCard`))).toBe(
			true,
		);
		// the next pages keep the filter (BC's own next links)
		expect(cards.filter((q) => decodeURIComponent(q.query ?? '').includes("Location_Filter eq 'ŁÓDŹ'"))).toHaveLength(
			3,
		);

		// the delta per location: a move at KRAKÓW (no lastModifiedDateTime change) is the one level that comes out
		const perLocation = {
			resource: 'stock',
			operation: 'getMany',
			stockSource: 'perLocation',
			locations: ['ŁÓDŹ', 'KRAKÓW'],
		};
		const base = await runBc(credential, perLocation);
		expect(out(base)).toHaveLength(inventory.length * 2);
		const stockState = afterRecordRun(base.staticData);
		const now = co.stock['1004']?.['KRAKÓW'] ?? 0;
		sim.state.moveStock('1004', 'KRAKÓW', 7);
		const moved = await runBc(credential, perLocation, { staticData: stockState });
		expect(out(moved).map((l) => [l.productCode, l.warehouseCode, l.onHand])).toEqual([
			['1004', 'KRAKÓW', String(Math.max(0, now + 7))],
		]);

		const unknown = await runBc(credential, {
			resource: 'stock',
			operation: 'getMany',
			stockSource: 'perLocation',
			locations: ['WARSZAWA'],
		});
		expect(unknown.error?.message).toMatch(/Location "WARSZAWA" does not exist.*"ŁÓDŹ"/);
	});

	test('prices: unit prices and Active item lines for all customers, customers and price groups', async () => {
		const co = company(sim);
		const r = await runBc(bcCredential(sim), { resource: 'price', operation: 'getMany', cursorMode: 'all' });
		expect(r.error).toBeUndefined();
		const prices = out(r);
		const find = (p: IDataObject) =>
			prices.filter((x) => Object.entries(p).every(([k, v]) => x[k] === v || (v === undefined && !(k in x))));
		const group = co.priceListLines.find((l) => l.sourceType === 'Customer Price Group' && l.minimumQuantity === 0)!;
		expect(
			find({ productCode: group.assetNo, scope: 'clientGroup', scopeCode: 'HURT', minQuantity: undefined }),
		).toEqual([expect.objectContaining({ net: money(group.unitPrice), currency: 'PLN' })]);
		const step = co.priceListLines.find((l) => l.sourceType === 'Customer Price Group' && l.minimumQuantity === 10)!;
		expect(find({ productCode: step.assetNo, scope: 'clientGroup', minQuantity: '10' })).toHaveLength(1);
		const own = co.priceListLines.find(
			(l) => l.sourceType === 'Customer' && l.endingDate === '0001-01-01' && l.startingDate !== '0001-01-01',
		)!;
		// this line has a Line Discount % (5): the customer pays the unit price less 5 %, rounded half up to grosze
		expect(own.lineDiscountPercent).toBe(5);
		// (from the full price BC keeps — up to 5 decimals — not from a price rounded first)
		const units = Math.round(own.unitPrice * 100_000) * (100 - own.lineDiscountPercent); // 10^-7 PLN
		const paid = (Math.round(units / 100_000) / 100).toFixed(2);
		expect(find({ productCode: own.assetNo, scope: 'client', scopeCode: own.sourceNo })).toEqual([
			expect.objectContaining({ validFrom: own.startingDate, net: paid }),
		]);
		expect(find({ productCode: own.assetNo, scope: 'client', scopeCode: own.sourceNo })[0]).not.toHaveProperty(
			'validTo',
		);
		const promo = co.priceListLines.find((l) => l.priceListCode === 'S-PROMO' && l.endingDate < '2026-11-26')!;
		expect(find({ productCode: promo.assetNo, scope: 'priceList', validFrom: promo.startingDate })).toEqual([
			expect.objectContaining({ scopeCode: 'BASE', validTo: promo.endingDate }),
		]);
		expect(find({ currency: 'EUR' })).toHaveLength(1);
		// changed since the last successful run: only the price list line edited in BC since (its lastModifiedDateTime moves)
		sim.clock.advance(60_000);
		sim.state.setPrice(group.assetNo, 77.7, { sourceType: 'Customer Price Group', sourceNo: 'HURT' });
		const delta = await runBc(
			bcCredential(sim),
			{ resource: 'price', operation: 'getMany' },
			{ staticData: afterRecordRun(r.staticData) },
		);
		// (plus, at most, the record of the last run's newest second: the cursor asks "gt" whole seconds)
		expect(out(delta)).toContainEqual({
			productCode: group.assetNo,
			scope: 'clientGroup',
			scopeCode: 'HURT',
			currency: 'PLN',
			net: '77.70',
		});
		expect(out(delta).length).toBeLessThanOrEqual(2);
		// Draft and Inactive lines never count
		expect(prices.filter((p) => p.net === '0.01' || p.net === '0.02')).toEqual([]);
		// every item with a unit price has its BASE price (undated, quantity 1): the lower of it and an All Customers line
		// every item's BASE price (undated, quantity 1) is the lower of its unit price and its undated All Customers lines
		for (const item of co.items) {
			const lines = co.priceListLines.filter(
				(l) =>
					l.assetNo === item.number &&
					l.status === 'Active' &&
					l.sourceType === 'All Customers' &&
					l.currencyCode === '' &&
					l.minimumQuantity === 0 &&
					l.startingDate === '0001-01-01',
			);
			const lowest = Math.min(...[item.unitPrice, ...lines.map((l) => l.unitPrice)].filter((v) => v > 0));
			expect(
				find({
					productCode: item.number,
					scope: 'priceList',
					currency: 'PLN',
					minQuantity: undefined,
					validFrom: undefined,
				}),
			).toEqual([expect.objectContaining({ scopeCode: 'BASE', net: money(lowest) })]);
		}
		// one price per portal key
		const keys = prices.map((p) =>
			[p.productCode, p.scope, p.scopeCode, p.currency, p.minQuantity, p.validFrom].join('|'),
		);
		expect(new Set(keys).size).toBe(keys.length);
	});

	test('customers: blocked " " is active, Ship / Invoice / All are blocked with the reason; price group from the custom API', async () => {
		const r = await runBc(bcCredential(sim), { resource: 'client', operation: 'getMany', cursorMode: 'all' });
		const co = company(sim);
		expect(out(r)).toHaveLength(co.customers.length);
		for (const c of co.customers) {
			const client = out(r).find((x) => x.code === c.number)!;
			expect(client.blocked).toBe(c.blocked !== ' ');
			if (c.blocked === ' ') expect(client).not.toHaveProperty('blockedReason');
			else expect(client.blockedReason).toBe(c.blocked);
			const group = co.customerPricing.find((p) => p.customerNumber === c.number)?.customerPriceGroup;
			expect(client.priceGroup).toBe(group || undefined);
		}
		expect(new Set(co.customers.map((c) => c.blocked))).toEqual(new Set([' ', 'Ship', 'Invoice', 'All']));
	});

	test("errors name the record and the field, and carry BC's code and CorrelationId", async () => {
		const credential = bcCredential(sim);
		sim.state.modifyItem('1002', { blocked: 'tak' as unknown as boolean });
		const bad = await runBc(credential, { resource: 'product', operation: 'getMany', cursorMode: 'all' });
		expect(bad.error?.message).toBe('Business Central item 1002: field "blocked" is "tak", not true or false');

		const missing = await runBc(credential, {
			resource: 'client',
			operation: 'get',
			customerNumber: { mode: 'id', value: 'K-NIE-MA' },
		});
		expect(missing.error?.message).toMatch(
			/client "K-NIE-MA" does not exist in Business Central company "Hurtownia Żelazna/,
		);

		const noApi = await runBc(credential, {
			resource: 'price',
			operation: 'getMany',
			cursorMode: 'all',
			options: { customApiVersion: 'v9.9' },
		});
		expect(noApi.error?.message).toMatch(
			/^Reading price list lines .*failed: HTTP 404 [A-Za-z]+_[A-Za-z]+ – .*CorrelationId/,
		);
		// …and says what is missing and how to fix it (the extension, its names, or the switch)
		expect(noApi.error?.message).toContain(
			'Business Central has no custom API page priceListLines at api/erpB2b/sync/v9.9: install the ERP B2B extension (docs/business-central-al-api.md)',
		);
		expect(noApi.error?.message).toMatch(/or switch off Include Price List Lines$/);
		const noPricing = await runBc(credential, {
			resource: 'client',
			operation: 'getMany',
			cursorMode: 'all',
			options: { customApiGroup: 'inna' },
		});
		expect(noPricing.error?.message).toMatch(
			/no custom API page customerPricing at api\/erpB2b\/inna\/v1\.0: .*or switch off Include Price Group$/,
		);

		const unknown = await runBc(bcCredential(sim, { company: 'Nieistniejąca Sp. z o.o.' }), {
			resource: 'warehouse',
			operation: 'getMany',
		});
		expect(unknown.error?.message).toMatch(
			/^Company "Nieistniejąca Sp\. z o\.o\." was not found .*the companies there are/,
		);
		expect(unknown.error?.message).toContain(`"Hurtownia Żelazna Łódź Sp. z o.o." (${sim.company.id})`);
		expect(unknown.error?.message).toContain('"Filia Kraków"');
		const byId = await runBc(bcCredential(sim, { company: sim.company.id.toUpperCase() }), {
			resource: 'warehouse',
			operation: 'getMany',
		});
		expect(out(byId)).toHaveLength(3);
	});

	test('the client secret and the token never reach output, errors or the run data', async () => {
		const credential = bcCredential(sim);
		const ok = await runBc(credential, { resource: 'client', operation: 'getMany', cursorMode: 'all' });
		const token = String(credential.accessToken).split('\n')[0];
		expect(token.length).toBeGreaterThan(10);
		const okText = JSON.stringify([ok.runData, ok.output, ok.staticData]);
		expect(okText).not.toContain(sim.clientSecret);
		expect(okText).not.toContain(token);

		const wrong = 'Zly-Sekret-0123456789';
		const failed = await runBc(bcCredential(sim, { clientSecret: wrong }), {
			resource: 'warehouse',
			operation: 'getMany',
		});
		expect(failed.error?.message).toMatch(/Microsoft Entra login for tenant .* failed \(HTTP 401, invalid_client\)/);
		const failedText = JSON.stringify([
			failed.runData,
			failed.error?.message,
			(failed.error as { description?: string })?.description,
		]);
		expect(failedText).not.toContain(wrong);
		expect(failedText).not.toContain(sim.clientSecret);
	});

	test('a redirect never carries the secret or the token to another server: the login and the API answering 307', async () => {
		const hits: string[] = [];
		const elsewhere = http.createServer((req, res) => {
			let body = '';
			req.on('data', (c) => (body += c));
			req.on('end', () => {
				hits.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''} ${body}`);
				res.end('{"access_token":"ukradziony","value":[]}');
			});
		});
		await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
		const other = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
		const redirector = http.createServer((req, res) => {
			res.writeHead(307, { location: `${other}${req.url}` });
			res.end();
		});
		await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
		const self = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
		try {
			// the login host redirects: the form with the client secret must not be posted again elsewhere
			const login = await runBc(bcCredential(sim, { loginHost: self }), {
				resource: 'warehouse',
				operation: 'getMany',
			});
			expect(login.error?.message).toMatch(/Microsoft Entra login for tenant .*HTTP 307/);
			// the API host redirects (a token from the real login): the bearer token must not follow
			const api = await runBc(bcCredential(sim, { apiHost: self }), { resource: 'warehouse', operation: 'getMany' });
			expect(api.error).toBeDefined();
			expect(hits).toEqual([]);
			expect(JSON.stringify([login.error?.message, api.error?.message])).not.toContain(sim.clientSecret);
		} finally {
			elsewhere.close();
			redirector.close();
		}
	});

	test('a next link to another host or path root is refused, and nothing is sent there', async () => {
		const hits: string[] = [];
		const elsewhere = http.createServer((req, res) => {
			hits.push(`${req.url} ${req.headers.authorization ?? ''}`);
			res.end('{"value":[]}');
		});
		await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
		const other = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
		const links = [`${other}/BC/api/v2.0/companies(x)/items?$skiptoken=1`, 'SELF/other/api/v2.0/items?$skiptoken=1'];
		const seen: string[] = [];
		const fake = http.createServer((req, res) => {
			const self = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
			res.setHeader('content-type', 'application/json');
			seen.push(req.url ?? '');
			if (req.url?.startsWith('/BC/api/v2.0/companies?') || req.url === '/BC/api/v2.0/companies') {
				res.end(
					JSON.stringify({
						value: [{ id: '11111111-2222-3333-4444-555555555555', name: 'Firma', displayName: 'Firma' }],
					}),
				);
				return;
			}
			res.end(
				JSON.stringify({
					value: [{ number: '1', displayName: 'A', blocked: false }],
					'@odata.nextLink': links[0].replace('SELF', self),
				}),
			);
		});
		await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
		try {
			const base = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/BC`;
			for (const link of [...links]) {
				links[0] = link;
				const r = await runBc(
					{ baseUrl: base, username: 'ADMIN', accessKey: 'klucz-dostępu-123', company: 'Firma' },
					{ resource: 'product', operation: 'getMany', cursorMode: 'all' },
					{ onPrem: true },
				);
				expect(r.error?.message).toMatch(
					/next-page link points to http:\/\/127\.0\.0\.1:\d+\/.*outside .*\/BC; it is not followed/,
				);
			}
			expect(hits).toEqual([]);
			expect(seen.filter((u) => u.startsWith('/other'))).toEqual([]);
			expect(seen.filter((u) => u.includes('/items'))).toHaveLength(2);
		} finally {
			fake.close();
			elsewhere.close();
		}
	});

	test('on premises: basic auth with the web service access key, no token', async () => {
		const r = await runBc(
			bcOnPremCredential(sim),
			{ resource: 'product', operation: 'getMany', cursorMode: 'all' },
			{ onPrem: true },
		);
		expect(r.error).toBeUndefined();
		expect(out(r)).toHaveLength(30);
		expect(logins(sim)).toBe(0);
		const wrong = await runBc(
			bcOnPremCredential(sim, { accessKey: 'zły-klucz-0000' }),
			{ resource: 'warehouse', operation: 'getMany' },
			{ onPrem: true },
		);
		expect(wrong.error?.message).toMatch(/HTTP 401/);
		expect(JSON.stringify([wrong.runData, wrong.error?.message])).not.toContain('zły-klucz-0000');
	});

	test('the connection tests get a token, find the company and name an unknown one', async () => {
		const ctx = {
			helpers: {
				request: async (o: IDataObject) => {
					const res = await fetch(String(o.uri), {
						method: String(o.method),
						headers: o.headers as Record<string, string>,
						body: typeof o.body === 'string' ? o.body : undefined,
						redirect: 'manual',
					});
					const text = await res.text();
					let body: unknown = text;
					try {
						body = JSON.parse(text);
					} catch {
						// text
					}
					return { statusCode: res.status, body };
				},
			},
		} as unknown as ICredentialTestFunctions;
		const test = async (data: IDataObject, onPrem = false) =>
			await (onPrem ? businessCentralOnPremConnectionTest : businessCentralConnectionTest).call(ctx, {
				id: '1',
				name: 'bc',
				type: onPrem ? 'businessCentralOnPremApi' : 'businessCentralApi',
				data: data as never,
			});
		expect(await test(bcCredential(sim))).toEqual({
			status: 'OK',
			message: `Connected: company "${sim.company.name}" (${sim.company.id})`,
		});
		const unknown = await test(bcCredential(sim, { company: 'Firma X' }));
		expect(unknown.status).toBe('Error');
		expect(unknown.message).toMatch(/Company "Firma X" was not found .*"Filia Kraków"/);
		const wrong = await test(bcCredential(sim, { clientSecret: 'Sekret-Zly-987654' }));
		expect(wrong.message).toMatch(/invalid_client.*check Client ID and Client Secret/);
		expect(wrong.message).not.toContain('Sekret-Zly-987654');
		expect((await test(bcOnPremCredential(sim), true)).status).toBe('OK');
		const key = await test(bcOnPremCredential(sim, { accessKey: 'nie-ten-klucz' }), true);
		expect(key.message).toMatch(/HTTP 401.*check User and Web Service Access Key/);
	});

	test("the editor's lists: locations, customers by any part of the name, companies; the node's Company overrides the credential's", async () => {
		const credential = new BusinessCentralOnPremApi();
		const data = bcOnPremCredential(sim) as ICredentialDataDecryptedObject;
		const params: IDataObject = { authentication: 'businessCentralOnPremApi', company: { mode: 'id', value: '' } };
		const paths: string[] = [];
		// what n8n gives list and search methods: getNodeParameter(name, fallback, options), no item index
		// a new context per call, as n8n gives (the company is resolved once per context)
		const makeCtx = () =>
			({
				getNode: () => ({
					name: 'Business Central',
					parameters: params,
					credentials: { businessCentralOnPremApi: { id: '1', name: 'bc' } },
				}),
				getNodeParameter: (name: string, fallback: unknown, options?: { extractValue?: boolean }) => {
					const v = params[name] ?? fallback;
					return options?.extractValue && v && typeof v === 'object' ? (v as IDataObject).value : v;
				},
				getCredentials: async () => data,
				helpers: {
					httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
						const o = await credential.authenticate(data, options);
						paths.push(decodeURIComponent(new URL(o.url).pathname));
						const res = await fetch(o.url, { method: o.method, headers: o.headers as Record<string, string> });
						return { statusCode: res.status, headers: {}, body: (await res.json()) as unknown };
					},
				},
			}) as unknown as ILoadOptionsFunctions;
		const ctx = makeCtx();
		expect((await getLocations.call(ctx)).map((l) => l.value).sort()).toEqual(
			company(sim)
				.locations.map((l) => l.code)
				.sort(),
		);
		const kowalski = company(sim).customers.find((c) => c.displayName.includes('Kowalski'))!;
		const found = await searchCustomers.call(ctx, 'kowalski');
		expect(found.results.map((r) => r.value)).toContain(kowalski.number);
		expect(found.results.every((r) => /kowalski/i.test(String(r.name)))).toBe(true);
		const companies = await searchCompanies.call(ctx, 'kraków');
		const krakow = sim.state.companies.find((c) => c.name === 'Filia Kraków')!;
		expect(companies.results).toEqual([{ name: 'Filia Kraków', value: krakow.id }]);
		params.company = { mode: 'list', value: krakow.id };
		paths.length = 0;
		await getLocations.call(makeCtx());
		expect(paths.some((p) => p.includes(`companies(${krakow.id})/locations`))).toBe(true);
	});
});
