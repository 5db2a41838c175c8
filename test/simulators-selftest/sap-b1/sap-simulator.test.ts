/**
 * Self-test of the SAP Business One Service Layer simulator (test/simulators/sap-b1): real HTTP with
 * global fetch to 127.0.0.1. Every behaviour listed in erp-facts §1/§6 that the simulator reproduces.
 */
import { startSapSimulator, type SapSimulator } from '../../simulators/sap-b1/server';
import { cookieFrom, enc, LOGIN, login, readAll, sl, toAnswer } from './helpers';

const START = '2026-11-26T09:00:00Z'; // 10:00:00 in Warsaw (CET)
const TODAY = '2026-11-26';
const SESSION_BODY = {
	error: { code: 301, message: { lang: 'en-us', value: 'Invalid session or session already timeout.' } },
};
const NOT_FOUND_BODY = {
	error: { code: -2028, message: { lang: 'en-us', value: 'No matching records found (ODBC -2028)' } },
};

let sim: SapSimulator;
let cookie: string;

beforeAll(async () => {
	sim = await startSapSimulator({ clock: { start: START, frozen: true } });
});
afterAll(() => sim.close());
beforeEach(async () => {
	sim.reset();
	sim.clock.set(START);
	cookie = await login(sim);
});
afterEach(() => expect(sim.crashes).toEqual([]));

const order = (extra: Record<string, unknown> = {}) => ({
	CardCode: 'C00001',
	NumAtCard: 'B2B/2026/000123',
	DocDate: TODAY,
	DocDueDate: '2026-12-03',
	Comments: 'Zamówienie z portalu B2B — Zażółć gęślą jaźń',
	DocumentLines: [
		{ ItemCode: 'TW-000001', Quantity: 3, UnitPrice: 19.99, WarehouseCode: '01', VatGroup: 'S23' },
		{ ItemCode: 'TW-000002', Quantity: 3, Price: 0.1, WarehouseCode: '02', VatGroup: 'S23' },
	],
	...extra,
});

function validOrder() {
	// C00001 must be usable and the two items active for the examples
	for (const code of ['TW-000001', 'TW-000002']) {
		const rec = sim.state.items.get(code)!;
		rec.Valid = 'tYES';
		rec.Frozen = 'tNO';
	}
	const bp = sim.state.partners.get('C00001')!;
	bp.Frozen = 'tNO';
	bp.Valid = 'tYES';
	// enough stock to deliver and invoice (set directly: no movement document)
	sim.state.addStock(sim.state.items.get('TW-000001')!, sim.state.warehouseIndex('01')!, 'InStock', 100);
	sim.state.addStock(sim.state.items.get('TW-000002')!, sim.state.warehouseIndex('02')!, 'InStock', 100);
}

describe('login, cookies and sessions', () => {
	test('POST /Login answers the session and the raw cookies exactly as SL does', async () => {
		const started = performance.now();
		const res = await fetch(`${sim.url}/Login`, { method: 'POST', body: JSON.stringify(LOGIN) });
		const elapsed = performance.now() - started;
		const a = await toAnswer(res);
		expect(a.status).toBe(200);
		const raw = res.headers.getSetCookie();
		expect(raw).toHaveLength(2);
		expect(raw[0]).toMatch(/^B1SESSION=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12};HttpOnly;$/);
		expect(raw[1]).toBe('ROUTEID=.node1; path=/b1s');
		expect(raw[0]).toBe(`B1SESSION=${a.json.SessionId};HttpOnly;`);
		expect(a.json).toMatchObject({ SessionTimeout: 30, Version: '1000230' });
		expect(a.json['odata.metadata']).toMatch(/\/b1s\/v1\/\$metadata#B1Sessions\/@Element$/);
		expect(elapsed).toBeGreaterThanOrEqual(140); // login is slow (150 ms by default)
		const v2 = await sl(sim, 'POST', '/Login', { version: 'v2', body: { ...LOGIN, Language: 31 } });
		expect(v2.status).toBe(200);
		expect(v2.json['@odata.context']).toMatch(/\/b1s\/v2\/\$metadata#B1Sessions\/\$entity$/);
		expect(v2.headers.get('odata-version')).toBe('4.0');
	});

	test('paths are case-sensitive: /login answers 401 "Invalid session…" like any unauthenticated call', async () => {
		for (const p of ['/login', '/LOGIN']) {
			const a = await sl(sim, 'POST', p, { body: LOGIN });
			expect(a.status).toBe(401);
			expect(a.json).toEqual(SESSION_BODY);
		}
		const items = await sl(sim, 'GET', '/items', { cookie });
		expect(items.status).toBe(404);
		expect(items.json.error.message.value).toBe("Resource not found for the segment 'items'");
	});

	test('wrong password and wrong company answer 401 with SAP errors (and are slow too)', async () => {
		const bad = await sl(sim, 'POST', '/Login', { body: { ...LOGIN, Password: 'zle-haslo' } });
		expect(bad.status).toBe(401);
		expect(bad.json).toEqual({
			error: { code: -304, message: { lang: 'en-us', value: 'Fail to get DB Credentials from SLD' } },
		});
		expect(bad.headers.getSetCookie()).toEqual([]);
		const db = await sl(sim, 'POST', '/Login', { body: { ...LOGIN, CompanyDB: 'SBODEMOUS' } });
		expect(db.status).toBe(401);
		expect(db.json.error.message.value).toBe('Switch company error: -5027');
		expect(sim.requests.filter((r) => r.path === '/Login').every((r) => r.ms >= 140)).toBe(true);
	});

	test('every other route needs the B1SESSION cookie', async () => {
		expect((await sl(sim, 'GET', '/Items')).json).toEqual(SESSION_BODY);
		expect((await sl(sim, 'GET', '/Items', { cookie: 'B1SESSION=00000000-0000-0000-0000-000000000000' })).status).toBe(
			401,
		);
		expect((await sl(sim, 'GET', '/Items?$top=1', { cookie })).status).toBe(200);
		// the B1SESSION cookie alone is enough (ROUTEID is optional on a single node)
		expect((await sl(sim, 'GET', '/Items?$top=1', { cookie: cookie.split(';')[0] })).status).toBe(200);
	});

	test('idle expiry after SessionTimeout minutes of the simulated clock → 401 code 301', async () => {
		sim.clock.advance(29 * 60_000);
		expect((await sl(sim, 'GET', '/Items?$top=1', { cookie })).status).toBe(200); // activity resets the idle timer
		sim.clock.advance(29 * 60_000);
		expect((await sl(sim, 'GET', '/Items?$top=1', { cookie })).status).toBe(200);
		sim.clock.advance(30 * 60_000 + 1000);
		const a = await sl(sim, 'GET', '/Items?$top=1', { cookie });
		expect(a.status).toBe(401);
		expect(a.json).toEqual(SESSION_BODY);
		const again = await login(sim);
		expect((await sl(sim, 'GET', '/Items?$top=1', { cookie: again })).status).toBe(200);
	});

	test('expireAll() and Logout end sessions', async () => {
		const other = await login(sim);
		expect(sim.sessions.expireAll()).toBe(2);
		expect((await sl(sim, 'GET', '/Items?$top=1', { cookie })).status).toBe(401);
		expect((await sl(sim, 'GET', '/Items?$top=1', { cookie: other })).status).toBe(401);
		const c = await login(sim);
		const out = await sl(sim, 'POST', '/Logout', { cookie: c });
		expect(out.status).toBe(204);
		expect(out.raw.length).toBe(0);
		expect((await sl(sim, 'GET', '/Items?$top=1', { cookie: c })).status).toBe(401);
		expect(sim.sessions.logins).toBe(3);
	});

	test('a session lifetime in requests (sessionLifetimeRequests) ends the session after its K-th request; logins are counted per expiry', async () => {
		const short = await startSapSimulator({
			sessionLifetimeRequests: 3,
			loginDelayMs: 0,
			seed: { items: 5 },
			clock: { start: START, frozen: true },
		});
		try {
			const c = await login(short);
			for (let i = 0; i < 3; i++) expect((await sl(short, 'GET', '/Items?$top=1', { cookie: c })).status).toBe(200);
			const dead = await sl(short, 'GET', '/Items?$top=1', { cookie: c });
			expect(dead.status).toBe(401);
			expect(dead.json).toEqual(SESSION_BODY);
			expect(short.sessions.expiries).toBe(1);
			// two logins after one expiry (a client that logs in per request in flight) show as a round of 2
			const c2 = await login(short);
			await login(short);
			expect((await sl(short, 'GET', '/Items?$top=1', { cookie: c2 })).status).toBe(200);
			expect(short.sessions.loginRounds).toEqual([1, 2]);
			expect(short.sessions.logins).toBe(3);
			short.sessions.expireAll();
			expect(short.sessions.expiries).toBe(3);
			short.reset();
			expect([short.sessions.logins, short.sessions.expiries, short.sessions.loginRounds]).toEqual([0, 0, [0]]);
		} finally {
			await short.close();
		}
	});

	test('the load-balanced install: 403 on expiry and on a recycled ROUTEID node', async () => {
		const lb = await startSapSimulator({
			expireWith: 403,
			requireRouteId: true,
			loginDelayMs: 0,
			seed: { items: 5 },
			clock: { start: START, frozen: true },
		});
		try {
			const c = await login(lb);
			expect(c).toMatch(/ROUTEID=\.node1$/);
			expect((await sl(lb, 'GET', '/Items', { cookie: c })).status).toBe(200);
			const noRoute = await sl(lb, 'GET', '/Items', { cookie: c.split(';')[0] });
			expect(noRoute.status).toBe(403);
			expect(noRoute.json).toEqual(SESSION_BODY);
			expect(lb.sessions.recycleNode()).toBe('.node2');
			expect((await sl(lb, 'GET', '/Items', { cookie: c })).status).toBe(403);
			const c2 = await login(lb);
			expect(c2).toMatch(/ROUTEID=\.node2$/);
			expect((await sl(lb, 'GET', '/Items', { cookie: c2 })).status).toBe(200);
			lb.clock.advance(31 * 60_000);
			expect((await sl(lb, 'GET', '/Items', { cookie: c2 })).status).toBe(403);
			expect((await sl(lb, 'GET', '/Items')).status).toBe(401); // no cookie at all is still 401
		} finally {
			await lb.close();
		}
	});
});

describe('OData reads: versions, paging, counts', () => {
	test('v1 (OData 3) and v2 (OData 4) envelopes, headers, dates and ETags', async () => {
		const v1 = await sl(sim, 'GET', '/Items?$top=2', { cookie });
		expect(v1.headers.get('content-type')).toBe('application/json;odata=minimalmetadata;charset=utf-8');
		expect(v1.headers.get('dataserviceversion')).toBe('3.0');
		expect(Object.keys(v1.json)).toEqual(['odata.metadata', 'value']);
		expect(v1.json.value[0].UpdateDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		expect(v1.json.value[0].UpdateTime).toMatch(/^\d{2}:\d{2}:\d{2}$/);
		expect(v1.json.value[0]['@odata.etag']).toBeUndefined();
		const v2 = await sl(sim, 'GET', '/Items?$top=2', { cookie, version: 'v2' });
		expect(v2.headers.get('content-type')).toBe('application/json;odata.metadata=minimal;charset=utf-8');
		expect(v2.headers.get('odata-version')).toBe('4.0');
		expect(v2.json['@odata.context']).toBe(`${sim.urlV2}/$metadata#Items`);
		expect(v2.json.value[0]['@odata.etag']).toMatch(/^W\/"[0-9A-F]{40}"$/);
		expect(v2.json.value[0].UpdateDate).toBe(`${v1.json.value[0].UpdateDate}T00:00:00Z`);
		const one = await sl(sim, 'GET', "/Items('TW-000001')", { cookie, version: 'v2' });
		expect(one.json['@odata.context']).toBe(`${sim.urlV2}/$metadata#Items/$entity`);
		expect(one.headers.get('etag')).toBe(one.json['@odata.etag']);
		expect(one.json['@odata.etag']).toBe(v2.json.value[0]['@odata.etag']);
	});

	test('default page size 20 with a RELATIVE nextLink; following it reads everything once', async () => {
		const first = await sl(sim, 'GET', '/Items', { cookie });
		expect(first.json.value).toHaveLength(20);
		expect(first.json['odata.nextLink']).toBe('Items?$skip=20');
		const all = await readAll(sim, '/Items', cookie);
		expect(all.pages).toBe(5);
		expect(all.rows).toHaveLength(100);
		expect(new Set(all.rows.map((r) => r.ItemCode)).size).toBe(100);
		const v2 = await sl(sim, 'GET', '/Orders', { cookie, version: 'v2' });
		expect(v2.json['@odata.nextLink']).toBeUndefined();
	});

	test('B1S-PageSize and Prefer: odata.maxpagesize (answered with Preference-Applied)', async () => {
		const a = await sl(sim, 'GET', '/Items', { cookie, headers: { 'B1S-PageSize': '7' } });
		expect(a.json.value).toHaveLength(7);
		expect(a.json['odata.nextLink']).toBe('Items?$skip=7');
		expect(a.headers.get('preference-applied')).toBeNull();
		const b = await sl(sim, 'GET', '/Items', { cookie, version: 'v2', headers: { Prefer: 'odata.maxpagesize=9' } });
		expect(b.json.value).toHaveLength(9);
		expect(b.json['@odata.nextLink']).toBe('Items?$skip=9');
		expect(b.headers.get('preference-applied')).toBe('odata.maxpagesize=9');
		const all = await readAll(sim, '/Items', cookie, { headers: { Prefer: 'odata.maxpagesize=30' } });
		expect(all.pages).toBe(4);
		expect(all.rows).toHaveLength(100);
		expect((await sl(sim, 'GET', '/Items', { cookie, headers: { 'B1S-PageSize': 'many' } })).status).toBe(400);
	});

	test('"ItemCode eq … or …" (read by key) answers exactly what the general filter answers', async () => {
		const codes = ['TW-000042', 'TW-000007', 'TW-000099', 'NO-SUCH', 'TW-000007'];
		const byKey = codes.map((c) => `ItemCode eq '${c}'`).join(' or ');
		// the same condition in a form the key path does not take (an extra always-true term)
		const general = `(${byKey}) and ItemsGroupCode ge 0`;
		const read = (f: string) => readAll(sim, `/Items?$filter=${enc(f)}&$select=ItemCode,ItemName`, cookie);
		const [a, b] = [await read(byKey), await read(general)];
		const existing = [...new Set(codes)].filter((c) => sim.state.items.has(c)).sort();
		expect(existing.length).toBeGreaterThanOrEqual(2);
		expect(a.rows.map((r) => r.ItemCode)).toEqual(existing);
		expect(a.rows).toEqual(b.rows);
		// a quote in a code, and " or " inside a quoted value, do not split the filter
		const odd = sim.state.items.get('TW-000005')!;
		sim.state.items.delete('TW-000005');
		odd.ItemCode = "TW-O'5 or X";
		sim.state.addItem(odd);
		const quoted = await read(`ItemCode eq 'TW-O''5 or X' or ItemCode eq 'TW-000001'`);
		expect(quoted.rows.map((r) => r.ItemCode)).toEqual(['TW-000001', "TW-O'5 or X"]);
		// any other term, or case-insensitive mode, goes through the general filter
		expect((await read(`ItemCode eq 'TW-000001' or ItemName ne ''`)).rows.length).toBeGreaterThan(1);
	});

	test('nextLink keeps $filter/$select — or drops them (dropQueryInNextLink), the trap reported in the wild', async () => {
		const q = `/Items?$filter=${enc('ItemsGroupCode ge 100')}&$select=ItemCode,ItemsGroupCode`;
		const kept = await sl(sim, 'GET', q, { cookie });
		expect(kept.json['odata.nextLink']).toBe(
			`Items?$filter=${enc('ItemsGroupCode ge 100')}&$select=ItemCode,ItemsGroupCode&$skip=20`,
		);
		const drop = await startSapSimulator({
			dropQueryInNextLink: true,
			loginDelayMs: 0,
			clock: { start: START, frozen: true },
		});
		try {
			const c = await login(drop);
			const filter = `/Items?$filter=${enc("startswith(ItemCode,'TW-0000')")}&$select=ItemCode`;
			const page1 = await sl(drop, 'GET', filter, { cookie: c });
			expect(page1.json['odata.nextLink']).toBe('Items?$skip=20');
			expect(Object.keys(page1.json.value[0])).toEqual(['ItemCode']);
			const naive = await readAll(drop, filter, c);
			expect(naive.rows.length).toBe(100); // 80 rows leaked past the filter, with every field
			expect(naive.rows.some((r) => !String(r.ItemCode).startsWith('TW-0000'))).toBe(true);
			expect(Object.keys(naive.rows[20]).length).toBeGreaterThan(1);
		} finally {
			await drop.close();
		}
	});

	test('$top within a page suppresses nextLink; a larger $top is paged', async () => {
		const a = await sl(sim, 'GET', '/Items?$top=5', { cookie });
		expect(a.json.value).toHaveLength(5);
		expect(a.json['odata.nextLink']).toBeUndefined(); // 95 more match: the client is not told
		const b = await sl(sim, 'GET', '/Items?$top=50', { cookie });
		expect(b.json.value).toHaveLength(20);
		expect(b.json['odata.nextLink']).toBe('Items?$top=30&$skip=20');
		const all = await readAll(sim, '/Items?$top=50', cookie);
		expect(all.rows).toHaveLength(50);
		const skip = await sl(sim, 'GET', '/Items?$top=5&$skip=95', { cookie });
		expect(skip.json.value.map((r: { ItemCode: string }) => r.ItemCode)).toEqual(
			sim.state
				.itemsInOrder()
				.slice(95)
				.map((r) => r.ItemCode),
		);
	});

	test('counts: $inlinecount=allpages, $count=true (v2) and /$count as plain text', async () => {
		const v1 = await sl(
			sim,
			'GET',
			`/BusinessPartners?$inlinecount=allpages&$filter=${enc("CardType eq 'cCustomer'")}&$top=1`,
			{ cookie },
		);
		expect(v1.json['odata.count']).toBe(20);
		expect(Object.keys(v1.json)).toEqual(['odata.metadata', 'odata.count', 'value']);
		const v2 = await sl(sim, 'GET', `/BusinessPartners?$count=true&$top=1`, { cookie, version: 'v2' });
		expect(v2.json['@odata.count']).toBe(27);
		const v2b = await sl(sim, 'GET', `/Items?$inlinecount=allpages&$top=1`, { cookie, version: 'v2' });
		expect(v2b.json['@odata.count']).toBe(100);
		expect((await sl(sim, 'GET', '/Items?$count=true', { cookie })).status).toBe(400); // not OData 3
		const c = await sl(sim, 'GET', '/Items/$count', { cookie });
		expect(c.headers.get('content-type')).toBe('text/plain;charset=utf-8');
		expect(c.text).toBe('100');
		const f = await sl(sim, 'GET', `/BusinessPartners/$count?$filter=${enc("CardType eq 'cSupplier'")}`, { cookie });
		expect(f.text).toBe('5');
	});

	test('ItemPrices is EMPTY in list reads (even when selected) and full in a single read', async () => {
		const list = await sl(sim, 'GET', '/Items?$top=3', { cookie });
		expect(list.json.value.every((r: { ItemPrices: unknown[] }) => r.ItemPrices.length === 0)).toBe(true);
		expect(list.json.value[0].ItemWarehouseInfoCollection).toHaveLength(3);
		const sel = await sl(sim, 'GET', '/Items?$select=ItemCode,ItemPrices&$top=3', { cookie, version: 'v2' });
		expect(sel.json.value[0].ItemPrices).toEqual([]);
		const one = await sl(sim, 'GET', "/Items('TW-000001')", { cookie });
		expect(one.json.ItemPrices.map((p: { PriceList: number }) => p.PriceList)).toEqual([1, 2, 3]);
		const [p1, p2, p3] = one.json.ItemPrices;
		expect(p1).toMatchObject({ Currency: 'PLN', BasePriceList: 1, Factor: 1 });
		expect(p3).toMatchObject({ BasePriceList: 1, Factor: 1.5375 });
		const g = Math.round(p1.Price * 100);
		expect(p3.Price).toBe(Math.round(g * 1.5375 - 1e-9) / 100 || p3.Price); // derived from the base list
		expect(p2.Price).toBeLessThanOrEqual(p1.Price);
	});

	test('single entities by key, Polish letters in keys and names, 404 -2028', async () => {
		const lod = await sl(sim, 'GET', `/Items('${enc('ŁÓD-007')}')`, { cookie });
		expect(lod.status).toBe(200);
		expect(lod.json.ItemName).toBe(sim.state.items.get('ŁÓD-007')!.ItemName);
		expect(lod.raw.includes(Buffer.from(lod.json.ItemName, 'utf8'))).toBe(true);
		expect((await sl(sim, 'GET', '/Orders(999999)', { cookie })).json).toEqual(NOT_FOUND_BODY);
		expect((await sl(sim, 'GET', '/Orders(999999)', { cookie })).status).toBe(404);
		expect((await sl(sim, 'GET', "/Items('NIE-MA')", { cookie })).status).toBe(404);
		expect((await sl(sim, 'GET', "/Orders('1')", { cookie })).status).toBe(400);
		expect((await sl(sim, 'GET', '/PriceLists(3)', { cookie })).json).toMatchObject({
			PriceListName: 'Detal brutto',
			IsGrossPrice: 'tYES',
			BasePriceList: 1,
		});
		expect((await sl(sim, 'GET', "/Warehouses('01')", { cookie })).json).toMatchObject({
			WarehouseName: 'Magazyn główny Łódź',
			City: 'Łódź',
		});
		const star = [...sim.state.specialPrices.values()].find((s) => s.CardCode === '*2')!;
		const sp = await sl(sim, 'GET', `/SpecialPrices(CardCode='${enc('*2')}',ItemCode='${enc(star.ItemCode)}')`, {
			cookie,
		});
		expect(sp.status).toBe(200);
		expect(sp.json).toMatchObject({ CardCode: '*2', ItemCode: star.ItemCode, PriceListNum: 2 });
	});
});

describe('$filter, $select, $orderby', () => {
	test('the sync client filters: CardType, NumAtCard with a slash, quotes, startswith, numbers, null, parentheses', async () => {
		sim.state.addPartner({
			...structuredClone(sim.state.partners.get('C00001')!),
			CardCode: 'C09999',
			CardName: "Sklep O'Neill Łódź",
		});
		const q = await sl(
			sim,
			'GET',
			`/BusinessPartners?$filter=${enc("CardName eq 'Sklep O''Neill Łódź'")}&$select=CardCode,CardName`,
			{ cookie },
		);
		expect(q.json.value).toEqual([{ CardCode: 'C09999', CardName: "Sklep O'Neill Łódź" }]);
		const customers = await readAll(
			sim,
			`/BusinessPartners?$filter=${enc("CardType eq 'cCustomer'")}&$select=CardCode,CardType`,
			cookie,
		);
		expect(customers.rows).toHaveLength(21);
		const enumLiteral = await sl(
			sim,
			'GET',
			`/BusinessPartners/$count?$filter=${enc("CardType eq SAPB1.BoCardTypes'cCustomer'")}`,
			{ cookie, version: 'v2' },
		);
		expect(enumLiteral.text).toBe('21');
		const sw = await readAll(sim, `/Items?$filter=${enc("startswith(ItemCode,'TW-00009')")}&$select=ItemCode`, cookie);
		expect(sw.rows.map((r) => r.ItemCode)).toEqual([
			'TW-000090',
			'TW-000091',
			'TW-000092',
			'TW-000093',
			'TW-000094',
			'TW-000095',
			'TW-000096',
			'TW-000097',
			'TW-000098',
			'TW-000099',
		]);
		const num = await readAll(
			sim,
			`/Items?$filter=${enc('QuantityOnStock gt 300 and (ItemsGroupCode eq 100 or ItemsGroupCode eq 101)')}&$select=ItemCode,QuantityOnStock,ItemsGroupCode`,
			cookie,
		);
		expect(num.rows.length).toBeGreaterThan(0);
		expect(num.rows.every((r) => r.QuantityOnStock > 300 && [100, 101].includes(r.ItemsGroupCode))).toBe(true);
		const nul = await sl(sim, 'GET', `/Items/$count?$filter=${enc('ForeignName eq null')}`, { cookie });
		expect(nul.text).toBe('100');
		const ne = await sl(sim, 'GET', `/Items/$count?$filter=${enc("not (Valid eq 'tYES') or Frozen ne 'tNO'")}`, {
			cookie,
		});
		const expected = [...sim.state.items.values()].filter((r) => r.Valid !== 'tYES' || r.Frozen !== 'tNO').length;
		expect(Number(ne.text)).toBe(expected);
	});

	test('$orderby asc/desc, $select, case-insensitive search with B1S-CaseInsensitive', async () => {
		const a = await sl(sim, 'GET', '/Items?$orderby=ItemCode desc&$top=3&$select=ItemCode', { cookie });
		expect(a.json.value.map((r: { ItemCode: string }) => r.ItemCode)).toEqual(['ŁÓD-007', 'TW-000100', 'TW-000099']);
		const b = await sl(
			sim,
			'GET',
			'/Items?$orderby=UpdateDate desc,UpdateTime desc&$select=ItemCode,UpdateDate,UpdateTime&$top=10',
			{ cookie },
		);
		const stamps = b.json.value.map(
			(r: { UpdateDate: string; UpdateTime: string }) => `${r.UpdateDate} ${r.UpdateTime}`,
		);
		expect([...stamps].sort().reverse()).toEqual(stamps);
		const name = sim.state.items.get('TW-000005')!.ItemName;
		const lower = `/Items/$count?$filter=${enc(`ItemName eq '${name.toLowerCase().replace(/'/g, "''")}'`)}`;
		expect((await sl(sim, 'GET', lower, { cookie })).text).toBe('0');
		expect(
			Number((await sl(sim, 'GET', lower, { cookie, headers: { 'B1S-CaseInsensitive': 'true' } })).text),
		).toBeGreaterThanOrEqual(1);
		const sel = await sl(sim, 'GET', "/Items('TW-000001')?$select=ItemCode,UpdateDate", { cookie, version: 'v2' });
		expect(Object.keys(sel.json)).toEqual(['@odata.context', '@odata.etag', 'ItemCode', 'UpdateDate']);
		expect(sel.json['@odata.context']).toBe(`${sim.urlV2}/$metadata#Items(ItemCode,UpdateDate)/$entity`);
	});

	test('unsupported or wrong query syntax is a 400 SAP error, never ignored', async () => {
		const bad: [string, RegExp][] = [
			['/Items?$expand=ItemWarehouseInfoCollection', /\$expand/],
			['/Items?foo=1', /foo/],
			['/Items?$top=1&$top=2', /more than once/],
			['/Items?$top=-1', /\$top/],
			[`/Items?$filter=${enc("ItemCode eq 'A")}`, /unterminated/],
			[`/Items?$filter=${enc("ItemCode eq 'A' and")}`, /end of expression/],
			[`/Items?$filter=${enc("Foo eq 'A'")}`, /Property 'Foo' of 'Item' is invalid/],
			[`/Items?$filter=${enc('ItemCode eq 5')}`, /string literal/],
			[`/Items?$filter=${enc("UpdateDate gt 'wczoraj'")}`, /date value/],
			[`/Items?$filter=${enc("ItemPrices eq 'x'")}`, /Collection property/],
			[`/Items?$filter=${enc('ItemWarehouseInfoCollection/any(w: w/InStock gt 0)')}`, /not supported/],
			[`/Items?$filter=${enc("substring(ItemCode,1) eq 'W'")}`, /not supported/],
			['/Items?$select=ItemCode,Nope', /Property 'Nope' of 'Item' is invalid/],
			['/Items?$orderby=Nope', /Property 'Nope'/],
			['/Items?$inlinecount=yes', /inlinecount/],
			['/Items/$count?$top=1', /cannot be used with \$count/],
		];
		for (const [path, msg] of bad) {
			const a = await sl(sim, 'GET', path, { cookie });
			expect([path, a.status]).toEqual([path, 400]);
			expect(a.json.error.code).toBe(-1000);
			expect(a.json.error.message.value).toMatch(msg);
		}
	});
});

describe('delta sync: UpdateDate (midnight) + UpdateTime', () => {
	const D = '2026-11-20';
	const T = '10:15:00';
	const correct = `(UpdateDate gt '${D}') or (UpdateDate eq '${D}' and UpdateTime ge '${T}')`;
	const wrong = `UpdateDate ge '${D}' and UpdateTime ge '${T}'`;

	test('the WRONG filter misses a record that the correct one finds', async () => {
		sim.state.setItemUpdated('TW-000010', '2026-11-21', '08:00:00'); // a later day, an earlier hour
		sim.state.setItemUpdated('TW-000011', D, '10:20:00');
		sim.state.setItemUpdated('TW-000012', D, '09:00:00');
		const page = { headers: { 'B1S-PageSize': '1000' } };
		const good = await readAll(
			sim,
			`/Items?$filter=${enc(correct)}&$select=ItemCode,UpdateDate,UpdateTime`,
			cookie,
			page,
		);
		const bad = await readAll(sim, `/Items?$filter=${enc(wrong)}&$select=ItemCode,UpdateDate,UpdateTime`, cookie, page);
		const codes = (rows: { ItemCode: string }[]) => rows.map((r) => r.ItemCode);
		expect(codes(good.rows)).toContain('TW-000010');
		expect(codes(bad.rows)).not.toContain('TW-000010');
		expect(codes(good.rows)).toContain('TW-000011');
		expect(codes(bad.rows)).toContain('TW-000011');
		expect(codes(good.rows)).not.toContain('TW-000012');
		const expected = [...sim.state.items.values()]
			.filter((r) => r.UpdateDate > D || (r.UpdateDate === D && r.UpdateTime >= T))
			.map((r) => r.ItemCode)
			.sort();
		expect(codes(good.rows).sort()).toEqual(expected);
		expect(bad.rows.length).toBeLessThan(good.rows.length);
		// v2 spells the same filter with the midnight timestamp or a bare date
		const v2 = await readAll(
			sim,
			`/Items?$filter=${enc(`(UpdateDate gt ${D}) or (UpdateDate eq '${D}T00:00:00Z' and UpdateTime ge '${T}')`)}&$select=ItemCode`,
			cookie,
			{ ...page, version: 'v2' },
		);
		expect(codes(v2.rows).sort()).toEqual(expected);
	});

	test('writes through the API stamp UpdateDate/UpdateTime from the simulated clock (server-local time)', async () => {
		sim.clock.set('2026-11-26T13:45:10Z'); // 14:45:10 in Warsaw
		expect((await sl(sim, 'GET', '/Items?$top=1', { cookie })).status).toBe(401); // 4¾ h idle: the session expired
		cookie = await login(sim);
		const stale = await sl(sim, 'PATCH', "/Items('TW-000003')", {
			cookie,
			version: 'v2',
			headers: { 'If-Match': 'W/"0"' },
			body: { ItemName: 'x' },
		});
		expect(stale.status).toBe(412);
		const patch = await sl(sim, 'PATCH', "/Items('TW-000003')", {
			cookie,
			body: { ItemName: 'Łopata szpadel — nowa nazwa' },
		});
		expect(patch.status).toBe(204);
		expect(
			(await sl(sim, 'PATCH', "/Items('TW-000003')", { cookie, body: { U_Kolor: 'żółty' } })).json.error.message.value,
		).toBe("Property 'U_Kolor' of 'Item' is invalid");
		const one = await sl(sim, 'GET', "/Items('TW-000003')?$select=ItemName,UpdateDate,UpdateTime", {
			cookie,
			version: 'v2',
		});
		expect(one.json).toMatchObject({
			ItemName: 'Łopata szpadel — nowa nazwa',
			UpdateDate: `${TODAY}T00:00:00Z`,
			UpdateTime: '14:45:10',
		});
		const since = await readAll(
			sim,
			`/Items?$filter=${enc(`(UpdateDate gt '${TODAY}') or (UpdateDate eq '${TODAY}' and UpdateTime ge '14:45:00')`)}&$select=ItemCode`,
			cookie,
		);
		expect(since.rows.map((r) => r.ItemCode)).toEqual(['TW-000003']);
		const bp = await sl(sim, 'PATCH', "/BusinessPartners('C00002')", {
			cookie,
			body: { EmailAddress: 'zamówienia@przykład.pl' },
		});
		expect(bp.status).toBe(204);
		const bpAfter = await sl(sim, 'GET', "/BusinessPartners('C00002')?$select=EmailAddress,UpdateDate,UpdateTime", {
			cookie,
		});
		expect(bpAfter.json).toMatchObject({
			EmailAddress: 'zamówienia@przykład.pl',
			UpdateDate: TODAY,
			UpdateTime: '14:45:10',
		});
	});
});

describe('stock movements do not touch Items.UpdateDate', () => {
	test('receipt, delivery and transfer change ItemWarehouseInfoCollection only — and show up in the movement collections', async () => {
		const code = 'TW-000004';
		sim.state.setItemUpdated(code, '2026-11-01', '07:00:00');
		const before = await sl(sim, 'GET', `/Items('${code}')`, { cookie, version: 'v2' });
		const stock = (a: typeof before, wh: string) =>
			a.json.ItemWarehouseInfoCollection.find((w: { WarehouseCode: string }) => w.WarehouseCode === wh).InStock;
		sim.clock.set('2026-11-26T14:00:00Z');
		cookie = await login(sim);
		sim.state.moveStock(code, '01', 500, 'receipt');
		sim.state.moveStock(code, '01', -2, 'delivery', { cardCode: 'C00003' });
		sim.state.moveStock(code, '03', 7, 'transfer', { otherWarehouse: '01' });
		const after = await sl(sim, 'GET', `/Items('${code}')`, { cookie, version: 'v2' });
		expect(after.json.UpdateDate).toBe('2026-11-01T00:00:00Z');
		expect(after.json.UpdateTime).toBe('07:00:00');
		expect(stock(after, '01')).toBe(stock(before, '01') + 500 - 2 - 7);
		expect(stock(after, '03')).toBe(stock(before, '03') + 7);
		expect(after.json.QuantityOnStock).toBe(before.json.QuantityOnStock + 498);
		expect(after.json['@odata.etag']).not.toBe(before.json['@odata.etag']);
		// a delta keyed on Items.UpdateDate misses the move…
		const delta = await sl(sim, 'GET', `/Items?$filter=${enc(`UpdateDate ge '${TODAY}'`)}&$select=ItemCode`, {
			cookie,
		});
		expect(delta.json.value.map((r: { ItemCode: string }) => r.ItemCode)).not.toContain(code);
		// …the movement documents do not
		const since = enc(`(UpdateDate gt '${TODAY}') or (UpdateDate eq '${TODAY}' and UpdateTime ge '15:00:00')`);
		const receipts = await sl(sim, 'GET', `/InventoryGenEntries?$filter=${since}`, { cookie });
		expect(receipts.json.value).toHaveLength(1);
		expect(receipts.json.value[0]).toMatchObject({
			DocDate: TODAY,
			UpdateTime: '15:00:00',
			DocObjectCode: 'oInventoryGenEntry',
		});
		expect(receipts.json.value[0].DocumentLines[0]).toMatchObject({
			ItemCode: code,
			WarehouseCode: '01',
			Quantity: 500,
		});
		const deliveries = await sl(sim, 'GET', `/DeliveryNotes?$filter=${since}`, { cookie });
		expect(deliveries.json.value[0]).toMatchObject({ CardCode: 'C00003', DocumentStatus: 'bost_Open' });
		expect(deliveries.json.value[0].DocumentLines[0]).toMatchObject({
			ItemCode: code,
			WarehouseCode: '01',
			Quantity: 2,
			BaseType: -1,
		});
		// StockTransfers have no UpdateTime in SL 1.27: only the date (and DocEntry) can be used
		expect((await sl(sim, 'GET', `/StockTransfers?$filter=${since}`, { cookie })).status).toBe(400);
		const transfers = await sl(sim, 'GET', `/StockTransfers?$filter=${enc(`UpdateDate ge '${TODAY}'`)}`, {
			cookie,
			version: 'v2',
		});
		expect(transfers.json.value[0]).toMatchObject({
			FromWarehouse: '01',
			ToWarehouse: '03',
			UpdateDate: `${TODAY}T00:00:00Z`,
		});
		expect(transfers.json.value[0].StockTransferLines[0]).toMatchObject({
			ItemCode: code,
			FromWarehouseCode: '01',
			WarehouseCode: '03',
			Quantity: 7,
		});
	});

	test('SAP refuses negative inventory unless allowed', () => {
		const code = 'TW-000005';
		const onHand = sim.state.stockOf(code, '02').InStock;
		expect(() => sim.state.moveStock(code, '02', -(onHand + 1), 'issue')).toThrow(
			/Quantity falls into negative inventory/,
		);
		expect(sim.state.stockOf(code, '02').InStock).toBe(onHand);
		sim.state.moveStock(code, '02', -(onHand + 1), 'issue', { allowNegative: true });
		expect(sim.state.stockOf(code, '02').InStock).toBe(-1);
	});
});

describe('sales orders', () => {
	test('POST /Orders creates the order (201): totals exact in grosze, Committed raised, Location, UTF-8', async () => {
		validOrder();
		const c1 = sim.state.stockOf('TW-000001', '01').Committed;
		const c2 = sim.state.stockOf('TW-000002', '02').Committed;
		const a = await sl(sim, 'POST', '/Orders', { cookie, body: order() });
		expect(a.status).toBe(201);
		expect(a.headers.get('location')).toBe(`${sim.url}/Orders(${a.json.DocEntry})`);
		expect(a.json).toMatchObject({
			CardCode: 'C00001',
			NumAtCard: 'B2B/2026/000123',
			DocDate: TODAY,
			DocDueDate: '2026-12-03',
			DocumentStatus: 'bost_Open',
			Cancelled: 'tNO',
			DocCurrency: 'PLN',
			// 3 × 19.99 = 59.97 (VAT 13.79), 3 × 0.10 = 0.30 (VAT 0.07): no float drift
			DocTotal: 74.13,
			VatSum: 13.86,
			Comments: 'Zamówienie z portalu B2B — Zażółć gęślą jaźń',
		});
		expect(a.json.DocNum).not.toBe(a.json.DocEntry);
		expect(a.raw.includes(Buffer.from('5a61c5bcc3b3c582c4872067c499c59b6cc485206a61c5bac584', 'hex'))).toBe(true);
		expect(a.json.DocumentLines).toHaveLength(2);
		expect(a.json.DocumentLines[0]).toMatchObject({
			LineNum: 0,
			ItemCode: 'TW-000001',
			Quantity: 3,
			UnitPrice: 19.99,
			Price: 19.99,
			LineTotal: 59.97,
			TaxTotal: 13.79,
			VatGroup: 'S23',
			BaseType: -1,
			BaseEntry: null,
			BaseLine: null,
			LineStatus: 'bost_Open',
			RemainingOpenQuantity: 3,
		});
		expect(a.json.DocumentLines[1]).toMatchObject({ Price: 0.1, LineTotal: 0.3, TaxTotal: 0.07, WarehouseCode: '02' });
		expect(sim.state.stockOf('TW-000001', '01').Committed).toBe(c1 + 3);
		expect(sim.state.stockOf('TW-000002', '02').Committed).toBe(c2 + 3);
		const item = await sl(sim, 'GET', "/Items('TW-000001')", { cookie });
		expect(
			item.json.ItemWarehouseInfoCollection.find((w: { WarehouseCode: string }) => w.WarehouseCode === '01').Committed,
		).toBe(c1 + 3);
		const found = await sl(
			sim,
			'GET',
			`/Orders?$filter=${enc("NumAtCard eq 'B2B/2026/000123'")}&$select=DocEntry,DocNum,NumAtCard`,
			{ cookie },
		);
		expect(found.json.value).toEqual([
			{ DocEntry: a.json.DocEntry, DocNum: a.json.DocNum, NumAtCard: 'B2B/2026/000123' },
		]);
		const none = await sl(sim, 'POST', '/Orders', {
			cookie,
			body: order({ NumAtCard: 'B2B/2026/000124' }),
			headers: { Prefer: 'return-no-content' },
		});
		expect(none.status).toBe(204);
		expect(none.headers.get('location')).toMatch(/\/Orders\(\d+\)$/);
	});

	test('a line without a price takes the special price (period and quantity steps) or the BP price list', async () => {
		validOrder();
		sim.state.addSpecialPrice({
			ItemCode: 'TW-000020',
			CardCode: 'C00001',
			Price: 12.34,
			Currency: 'PLN',
			DiscountPercent: 10,
			PriceListNum: 1,
			AutoUpdate: 'tNO',
			SourcePrice: 'spp_PriceList',
			Valid: 'tYES',
			ValidFrom: null,
			ValidTo: null,
			SpecialPriceDataAreas: [
				{
					PriceCurrency: 'PLN',
					AutoUpdate: 'tNO',
					DateFrom: '2026-11-20',
					Dateto: '2026-11-30',
					Discount: 15,
					SpecialPrice: 11.5,
					BPCode: 'C00001',
					PriceListNo: 1,
					ItemNo: 'TW-000020',
					RowNumber: 0,
					SpecialPriceQuantityAreas: [
						{
							Quantity: 10,
							SPDARowNumber: 0,
							SpecialPrice: 10.99,
							ItemNo: 'TW-000020',
							BPCode: 'C00001',
							RowNumber: 0,
							PriceCurrency: 'PLN',
							Discountin: 20,
							UoMEntry: null,
						},
					],
				},
			],
		});
		for (const code of ['TW-000020', 'TW-000021'])
			Object.assign(sim.state.items.get(code)!, { Valid: 'tYES', Frozen: 'tNO', SalesVATGroup: 'S23' });
		sim.state.partners.get('C00001')!.PriceListNum = 1;
		sim.state.specialPrices.delete('C00001\u0000TW-000021');
		sim.state.specialPrices.delete('*1\u0000TW-000021');
		const lines = [
			{ ItemCode: 'TW-000020', Quantity: 2 },
			{ ItemCode: 'TW-000020', Quantity: 12 },
			{ ItemCode: 'TW-000021', Quantity: 1 },
		];
		const a = await sl(sim, 'POST', '/Orders', { cookie, body: order({ DocumentLines: lines }) });
		expect(a.status).toBe(201);
		const [l0, l1, l2] = a.json.DocumentLines;
		expect(l0.Price).toBe(11.5); // the period price (Nov 20–30)
		expect(l1.Price).toBe(10.99); // the quantity step ≥ 10
		expect(l2.Price).toBe(Number((sim.state.priceOf(sim.state.items.get('TW-000021')!, 1).grosze / 100).toFixed(2)));
		expect(l2.WarehouseCode).toBe('01'); // the item's default warehouse
		const later = await sl(sim, 'POST', '/Orders', {
			cookie,
			body: order({ DocDate: '2026-12-05', DocDueDate: '2026-12-10', DocumentLines: [lines[0]] }),
		});
		expect(later.json.DocumentLines[0].Price).toBe(12.34); // after the period: the BP's special price
	});

	test('validation errors in SAP shape', async () => {
		validOrder();
		const cases: [Record<string, unknown>, number, string][] = [
			[order({ CardCode: 'C99999' }), -10, "Invalid BP code [ORDR.CardCode] , 'C99999'"],
			[order({ CardCode: 'S00001' }), -10, "Invalid BP code [ORDR.CardCode] , 'S00001'"],
			[
				order({ DocumentLines: [{ Quantity: 1 }] }),
				-5002,
				'Item number is missing; specify an item number [DocumentLines.ItemCode][line: 1]',
			],
			[
				order({ DocumentLines: [{ ItemCode: 'NIE-MA', Quantity: 1 }] }),
				-10,
				"Invalid item code [DocumentLines.ItemCode][line: 1] , 'NIE-MA'",
			],
			[
				order({ DocumentLines: [{ ItemCode: 'TW-000001', Quantity: 0 }] }),
				-5002,
				'Quantity must be greater than zero [DocumentLines.Quantity][line: 1]',
			],
			[
				order({ DocumentLines: [{ ItemCode: 'TW-000001', Quantity: 1, WarehouseCode: '99' }] }),
				-10,
				"Invalid warehouse code [DocumentLines.WarehouseCode][line: 1] , '99'",
			],
			[order({ DocumentLines: [] }), -5002, 'Add at least one row to the document [ORDR.DocumentLines]'],
			[order({ DocDueDate: undefined }), -5002, 'Enter a delivery date [ORDR.DocDueDate]'],
			[order({ Foo: 1 }), -1000, "Property 'Foo' of 'Document' is invalid"],
			[order({ NumAtCard: 'x'.repeat(101) }), -5002, "Value too long in property 'NumAtCard' of 'Document'"],
		];
		for (const [body, code, message] of cases) {
			const a = await sl(sim, 'POST', '/Orders', { cookie, body });
			expect([message, a.status, a.json.error]).toEqual([
				message,
				400,
				{ code, message: { lang: 'en-us', value: message } },
			]);
		}
		sim.state.items.get('TW-000002')!.Frozen = 'tYES';
		const frozen = await sl(sim, 'POST', '/Orders', { cookie, body: order() });
		expect(frozen.json.error.message.value).toBe("Item 'TW-000002' is inactive [DocumentLines.ItemCode][line: 2]");
		expect(sim.state.docs.Orders.size).toBe(0);
		const notJson = await sl(sim, 'POST', '/Orders', {
			cookie,
			body: '{"CardCode":',
			headers: { 'Content-Type': 'application/json' },
		});
		expect(notJson.status).toBe(400);
	});

	test('ETag: 412 on an If-Match mismatch, PATCH appends lines unless B1S-ReplaceCollectionsOnPatch', async () => {
		validOrder();
		const created = await sl(sim, 'POST', '/Orders', { cookie, body: order(), version: 'v2' });
		const n = created.json.DocEntry;
		const etag = created.json['@odata.etag'];
		expect(created.headers.get('etag')).toBe(etag);
		const stale = await sl(sim, 'PATCH', `/Orders(${n})`, {
			cookie,
			version: 'v2',
			headers: { 'If-Match': 'W/"0000000000000000000000000000000000000000"' },
			body: { Comments: 'x' },
		});
		expect(stale.status).toBe(412);
		expect(stale.json.error.code).toBe(-1000);
		const ok = await sl(sim, 'PATCH', `/Orders(${n})`, {
			cookie,
			version: 'v2',
			headers: { 'If-Match': etag },
			body: { Comments: 'Poprawione: ąę' },
		});
		expect(ok.status).toBe(204);
		expect(ok.headers.get('etag')).not.toBe(etag);
		expect(
			(
				await sl(sim, 'PATCH', `/Orders(${n})`, {
					cookie,
					version: 'v2',
					headers: { 'If-Match': etag },
					body: { Comments: 'y' },
				})
			).status,
		).toBe(412);
		const committed = () => sim.state.stockOf('TW-000001', '01').Committed;
		const c0 = committed();
		const append = await sl(sim, 'PATCH', `/Orders(${n})`, {
			cookie,
			body: { DocumentLines: [{ ItemCode: 'TW-000001', Quantity: 2, UnitPrice: 10, WarehouseCode: '01' }] },
		});
		expect(append.status).toBe(204);
		let doc = sim.state.docs.Orders.get(n)!;
		expect(doc.DocumentLines.map((l) => l.LineNum)).toEqual([0, 1, 2]);
		expect(committed()).toBe(c0 + 2);
		const replace = await sl(sim, 'PATCH', `/Orders(${n})`, {
			cookie,
			headers: { 'B1S-ReplaceCollectionsOnPatch': 'true' },
			body: { DocumentLines: [{ LineNum: 0, Quantity: 1 }] },
		});
		expect(replace.status).toBe(204);
		doc = sim.state.docs.Orders.get(n)!;
		expect(doc.DocumentLines).toHaveLength(1);
		expect(doc.DocumentLines[0]).toMatchObject({ LineNum: 0, Quantity: 1, LineTotal: 19.99 });
		expect(doc.DocTotal).toBe(24.59);
		expect(committed()).toBe(c0 - 3 + 1);
		expect(doc.Comments).toBe('Poprawione: ąę');
	});

	test('Cancel and Close release Committed; a closed order cannot change', async () => {
		validOrder();
		const c0 = sim.state.stockOf('TW-000001', '01').Committed;
		const a = await sl(sim, 'POST', '/Orders', { cookie, body: order() });
		expect((await sl(sim, 'POST', `/Orders(${a.json.DocEntry})/Cancel`, { cookie })).status).toBe(204);
		const cancelled = await sl(sim, 'GET', `/Orders(${a.json.DocEntry})`, { cookie });
		expect(cancelled.json).toMatchObject({
			Cancelled: 'tYES',
			DocumentStatus: 'bost_Close',
			CancelStatus: 'csYes',
			CancelDate: TODAY,
		});
		expect(sim.state.stockOf('TW-000001', '01').Committed).toBe(c0);
		expect((await sl(sim, 'POST', `/Orders(${a.json.DocEntry})/Cancel`, { cookie })).json.error.code).toBe(-5002);
		const b = await sl(sim, 'POST', '/Orders', { cookie, body: order() });
		expect((await sl(sim, 'POST', `/Orders(${b.json.DocEntry})/Close`, { cookie })).status).toBe(204);
		expect(sim.state.stockOf('TW-000001', '01').Committed).toBe(c0);
		const patch = await sl(sim, 'PATCH', `/Orders(${b.json.DocEntry})`, { cookie, body: { Comments: 'za późno' } });
		expect(patch.json.error.message.value).toBe('Document is already closed [ORDR.DocStatus]');
		expect((await sl(sim, 'POST', '/Orders(999)/Close', { cookie })).status).toBe(404);
		expect((await sl(sim, 'DELETE', `/Orders(${b.json.DocEntry})`, { cookie })).status).toBe(501);
	});

	test('the lost response: the order is created, the socket dropped; the client finds it by NumAtCard (a blind retry duplicates it)', async () => {
		validOrder();
		sim.faults.loseResponse();
		await expect(
			fetch(`${sim.url}/Orders`, {
				method: 'POST',
				headers: { Cookie: cookie },
				body: JSON.stringify(order({ NumAtCard: 'B2B/2026/000777' })),
			}),
		).rejects.toThrow();
		const log = sim.requests.filter((r) => r.path === '/Orders');
		expect(log.at(-1)).toMatchObject({ method: 'POST', status: 0, fault: 'drop' });
		const found = await sl(sim, 'GET', `/Orders?$filter=${enc("NumAtCard eq 'B2B/2026/000777'")}`, { cookie });
		expect(found.json.value).toHaveLength(1);
		await sl(sim, 'POST', '/Orders', { cookie, body: order({ NumAtCard: 'B2B/2026/000777' }) });
		expect(sim.state.findOrdersByNumAtCard('B2B/2026/000777')).toHaveLength(2); // SAP does not enforce NumAtCard uniqueness
	});

	test('approval procedures: POST /Orders makes a draft and answers -2028 unless Prefer: return-no-content', async () => {
		const ap = await startSapSimulator({
			ordersNeedApproval: true,
			loginDelayMs: 0,
			clock: { start: START, frozen: true },
		});
		try {
			const c = await login(ap);
			for (const code of ['TW-000001', 'TW-000002'])
				Object.assign(ap.state.items.get(code)!, { Valid: 'tYES', Frozen: 'tNO' });
			Object.assign(ap.state.partners.get('C00001')!, { Valid: 'tYES', Frozen: 'tNO' });
			const a = await sl(ap, 'POST', '/Orders', { cookie: c, body: order() });
			expect(a.status).toBe(404);
			expect(a.json).toEqual(NOT_FOUND_BODY);
			const b = await sl(ap, 'POST', '/Orders', { cookie: c, body: order(), headers: { Prefer: 'return-no-content' } });
			expect(b.status).toBe(204);
			expect(ap.state.docs.Orders.size).toBe(0);
			const drafts = await sl(ap, 'GET', `/Drafts?$filter=${enc("NumAtCard eq 'B2B/2026/000123'")}`, { cookie: c });
			expect(drafts.json.value).toHaveLength(2);
			expect(drafts.json.value[0].DocObjectCode).toBe('oOrders');
		} finally {
			await ap.close();
		}
	});
});

describe('deliveries and invoices (SAP-client helpers)', () => {
	test('deliverOrder → DeliveryNote (BaseType 17), invoiceOrder → Invoice (BaseType 15 and 17), payInvoice', async () => {
		validOrder();
		const created = await sl(sim, 'POST', '/Orders', { cookie, body: order() });
		const n = created.json.DocEntry;
		const s0 = sim.state.stockOf('TW-000001', '01');
		const dn = sim.state.deliverOrder(n, { lines: { 0: 1 } });
		expect(dn.DocumentLines).toHaveLength(1);
		expect(dn.DocumentLines[0]).toMatchObject({
			ItemCode: 'TW-000001',
			Quantity: 1,
			BaseType: 17,
			BaseEntry: n,
			BaseLine: 0,
			LineTotal: 19.99,
			TaxTotal: 4.6,
		});
		expect(dn.NumAtCard).toBe('B2B/2026/000123');
		const s1 = sim.state.stockOf('TW-000001', '01');
		expect(s1.InStock).toBe(s0.InStock - 1);
		expect(s1.Committed).toBe(s0.Committed - 1);
		const mid = await sl(sim, 'GET', `/Orders(${n})`, { cookie });
		expect(mid.json.DocumentStatus).toBe('bost_Open');
		expect(mid.json.DocumentLines[0]).toMatchObject({ RemainingOpenQuantity: 2, LineStatus: 'bost_Open' });
		expect((await sl(sim, 'POST', `/Orders(${n})/Cancel`, { cookie })).status).toBe(400); // partly delivered
		const inv = sim.state.invoiceOrder(n);
		expect(inv.DocumentLines.map((l) => [l.BaseType, l.BaseEntry, l.BaseLine, l.Quantity])).toEqual([
			[15, dn.DocEntry, 0, 1],
			[17, n, 0, 2],
			[17, n, 1, 3],
		]);
		// VAT is rounded per line (SAP's default): the split 1 + 2 of 19.99 gives 4.60 + 9.20 instead of 13.79 on the order
		expect(inv.VatSum).toBe(13.87);
		expect(inv.DocTotal).toBe(74.14);
		expect(created.json.DocTotal).toBe(74.13);
		expect(inv.DocDueDate).toBe('2026-12-10');
		const closed = await sl(sim, 'GET', `/Orders(${n})?$select=DocumentStatus`, { cookie });
		expect(closed.json.DocumentStatus).toBe('bost_Close');
		expect(sim.state.docs.DeliveryNotes.get(dn.DocEntry)!.DocumentStatus).toBe('bost_Close');
		const api = await sl(sim, 'GET', `/Invoices?$filter=${enc("NumAtCard eq 'B2B/2026/000123'")}`, {
			cookie,
			version: 'v2',
		});
		expect(api.json.value[0]).toMatchObject({
			DocEntry: inv.DocEntry,
			DocNum: inv.DocNum,
			DocumentStatus: 'bost_Open',
			PaidToDate: 0,
			DocObjectCode: 'oInvoices',
		});
		sim.state.payInvoice(inv.DocEntry);
		expect((await sl(sim, 'GET', `/Invoices(${inv.DocEntry})`, { cookie })).json).toMatchObject({
			DocumentStatus: 'bost_Close',
			PaidToDate: 74.14,
		});
		expect(() => sim.state.invoiceOrder(n)).toThrow(/nothing left to invoice/);
	});
});

describe('API Gateway (own port): base64 PDF and HTTP-200 sentinels', () => {
	async function gw(method: string, path: string, body?: unknown, cookieHeader?: string) {
		return toAnswer(
			await fetch(sim.gatewayUrl + path, {
				method,
				headers: { 'Content-Type': 'application/json', ...(cookieHeader ? { Cookie: cookieHeader } : {}) },
				body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
			}),
		);
	}
	async function gwLogin(): Promise<string> {
		const res = await fetch(`${sim.gatewayUrl}/login`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(LOGIN),
		});
		const a = await toAnswer(res);
		expect(a.status).toBe(200);
		expect(a.json).toEqual({ Version: '0.0.1', SessionTimeout: 30 });
		expect(a.headers.get('companyid')).toBe('SBODEMOPL');
		return cookieFrom(res.headers.getSetCookie());
	}

	test('login, LoadAuthorizedCRList, ExportPDFData → a real PDF with the invoice number and the Polish client name', async () => {
		expect((await gw('GET', '/rs/v1/LoadAuthorizedCRList')).status).toBe(401);
		expect((await gw('GET', '/rs/v1/LoadAuthorizedCRList')).raw.length).toBe(0);
		const failed = await gw('POST', '/login', { ...LOGIN, Password: 'x' });
		expect(failed.status).toBe(200);
		expect(failed.json.code).toBe(-1);
		expect(failed.json.message.lang).toBe('en-us');
		const c = await gwLogin();
		expect(c).toMatch(/^SESSION=/);
		const list = await gw('GET', '/rs/v1/LoadAuthorizedCRList', undefined, c);
		expect(list.json.result).toBe('Success');
		expect(list.json.resultSet.map((r: { code: string }) => r.code)).toEqual(['INV20001', 'RDR20001', 'DLN20001']);
		const params = await gw('GET', '/rs/v1/LoadCR?DocCode=INV20001', undefined, c);
		expect(params.json.resultSet.map((p: { name: string }) => p.name)).toEqual(['DocKey@', 'ObjectId@']);
		expect((await gw('GET', '/rs/v1/LoadCR?DocCode=NOPE', undefined, c)).text).toBe('{}');

		validOrder();
		const bp = sim.state.partners.get('C00001')!;
		bp.CardName = 'Hurtownia Żółć i Syn Łódź Sp. z o.o.';
		const created = await sl(sim, 'POST', '/Orders', { cookie, body: order() });
		const inv = sim.state.invoiceOrder(created.json.DocEntry);
		const body = [
			{ name: 'Dockey@', type: 'xsd:number', value: [[inv.DocEntry]] },
			{ name: 'Schema@', type: 'xsd:string', value: [['SBODEMOPL']] },
		];
		const pdfA = await gw('POST', '/rs/v1/ExportPDFData?DocCode=INV20001', body, c);
		const pdfB = await gw(
			'POST',
			'/rs/v1/ExportPDFData?DocCode=INV20001',
			[
				{ name: 'DocKey@', type: 'xsd:decimal', value: [[String(inv.DocEntry)]] },
				{ name: 'ObjectId@', type: 'xsd:decimal', value: [['13']] },
			],
			c,
		);
		expect([pdfA.status, pdfB.status].sort()).toEqual([200, 201]); // the real gateway flips between them
		for (const p of [pdfA, pdfB]) {
			expect(p.headers.get('content-type')).toBe('application/octet-stream');
			expect(p.text).toMatch(/^[A-Za-z0-9+/]+=*$/);
		}
		const pdf = Buffer.from(pdfA.text, 'base64');
		expect(pdf.subarray(0, 9).toString('latin1')).toBe('%PDF-1.4\n');
		expect(pdf.subarray(-6).toString('latin1')).toBe('%%EOF\n');
		expect(pdf.includes(Buffer.from(`Faktura VAT nr ${inv.DocNum}`, 'latin1'))).toBe(true);
		expect(pdf.includes(Buffer.from('Hurtownia Żółć i Syn Łódź Sp. z o.o.', 'utf8'))).toBe(true); // XMP metadata, UTF-8
		// the xref table points at every object
		const text = pdf.toString('latin1');
		const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)![1]);
		expect(text.slice(startxref, startxref + 4)).toBe('xref');
		const entries = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
		expect(entries.length).toBe(8);
		entries.forEach((off, i) => expect(text.slice(off, off + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`));

		const unknown = await gw('POST', '/rs/v1/ExportPDFData?DocCode=XYZ99999', body, c);
		expect([unknown.status, unknown.text]).toEqual([200, '{}']);
		const malformed = await gw('POST', '/rs/v1/ExportPDFData?DocCode=INV20001', '{"to nie": "tablica"}', c);
		expect([malformed.status, malformed.text]).toEqual([200, '(---)']);
		const missing = await gw(
			'POST',
			'/rs/v1/ExportPDFData?DocCode=INV20001',
			[{ name: 'DocKey@', value: [['999999']] }],
			c,
		);
		expect([missing.status, missing.text]).toEqual([200, '(---)']);
		const wrongSchema = await gw(
			'POST',
			'/rs/v1/ExportPDFData?DocCode=INV20001',
			[
				{ name: 'DocKey@', value: [[inv.DocEntry]] },
				{ name: 'Schema@', value: [['INNA']] },
			],
			c,
		);
		expect(wrongSchema.text).toBe('(---)');
		const orderPdf = await gw(
			'POST',
			'/rs/v1/ExportPDFData?DocCode=RDR20001',
			[{ name: 'DocKey@', value: [[created.json.DocEntry]] }],
			c,
		);
		expect(Buffer.from(orderPdf.text, 'base64').includes(Buffer.from(`nr ${created.json.DocNum}`))).toBe(true);

		expect((await gw('POST', '/logout', {}, c)).status).toBe(400); // as recorded on a real gateway
		sim.clock.advance(61 * 60_000);
		expect((await gw('GET', '/rs/v1/LoadAuthorizedCRList', undefined, c)).status).toBe(401);
		expect(sim.requests.filter((r) => r.api === 'gateway').length).toBeGreaterThan(5);
	});
});

describe('error shapes and faults', () => {
	test('the v10 error shape (10.00.210+): string code, details, flat message', async () => {
		const v10 = await startSapSimulator({ errorShape: 'v10', loginDelayMs: 0, seed: { items: 3 } });
		try {
			const bad = await sl(v10, 'POST', '/Login', { body: { ...LOGIN, Password: 'x' } });
			expect(bad.json).toEqual({
				error: { code: '100000027', details: [{ code: '', message: '' }], message: 'Login failed' },
			});
			expect((await sl(v10, 'GET', '/Items')).json).toEqual({
				error: {
					code: '301',
					details: [{ code: '', message: '' }],
					message: 'Invalid session or session already timeout.',
				},
			});
			const c = await login(v10);
			const nf = await sl(v10, 'GET', '/Orders(1)', { cookie: c, version: 'v2' });
			expect(nf.json).toEqual({
				error: {
					code: '-2028',
					details: [{ code: '', message: '' }],
					message: 'No matching records found (ODBC -2028)',
				},
			});
		} finally {
			await v10.close();
		}
	});

	test('faults: status, slow, drop, reset; skip and times; gateway target', async () => {
		sim.faults.add({ method: 'GET', path: '/Items', kind: 'status', status: 503, times: 2, skip: 1 });
		expect((await sl(sim, 'GET', '/Items?$top=1', { cookie })).status).toBe(200);
		const f = await sl(sim, 'GET', '/Items?$top=1', { cookie });
		expect(f.status).toBe(503);
		expect(f.json.error.message.value).toMatch(/injected fault: 503/);
		expect((await sl(sim, 'GET', '/Items?$top=1', { cookie })).status).toBe(503);
		expect((await sl(sim, 'GET', '/Items?$top=1', { cookie })).status).toBe(200);
		sim.faults.add({ path: /^\/Items\('TW-000001'\)$/, kind: 'status', status: 502, body: '<html>Bad Gateway</html>' });
		const html = await sl(sim, 'GET', "/Items('TW-000001')", { cookie });
		expect([html.status, html.text, html.headers.get('content-type')]).toEqual([
			502,
			'<html>Bad Gateway</html>',
			'text/html; charset=utf-8',
		]);
		sim.faults.add({ path: '/Items', kind: 'slow', delayMs: 300 });
		const t = performance.now();
		expect((await sl(sim, 'GET', '/Items?$top=1', { cookie })).status).toBe(200);
		expect(performance.now() - t).toBeGreaterThanOrEqual(280);
		sim.faults.add({ path: '/Items', kind: 'drop' });
		await expect(fetch(`${sim.url}/Items`, { headers: { Cookie: cookie } })).rejects.toThrow();
		sim.faults.add({ path: '/Items', kind: 'reset' });
		await expect(fetch(`${sim.url}/Items`, { headers: { Cookie: cookie } })).rejects.toThrow();
		sim.faults.add({
			target: 'gateway',
			path: '/rs/v1/ExportPDFData',
			kind: 'status',
			status: 200,
			body: '(---)',
			contentType: 'text/plain',
		});
		const g = await toAnswer(await fetch(`${sim.gatewayUrl}/rs/v1/ExportPDFData?DocCode=INV20001`, { method: 'POST' }));
		expect([g.status, g.text]).toEqual([200, '(---)']);
		expect(sim.faults.pending).toHaveLength(0);
		expect(sim.requests.every((r) => !('cookie' in r) && !('body' in r))).toBe(true);
	});
});
