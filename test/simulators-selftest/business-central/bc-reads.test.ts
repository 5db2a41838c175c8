/**
 * Reads from the BC simulator as research §1/§3 describes them: exact field names and enums, $filter (typed
 * literals, unknown field → 400), $select/$orderby/$top/$skip/$count, server-driven paging (page size, Prefer
 * odata.maxpagesize + Preference-Applied, absolute nextLink with $skiptoken, none with $top, 413 above the server's
 * size), stock moves that skip lastModifiedDateTime, the Item Card OData V4 page with Location_Filter, our custom
 * price API. Real HTTP on 127.0.0.1.
 */
import { startBusinessCentralSimulator, type BusinessCentralSimulator } from '../../simulators/business-central/server';
import { call, companyPath, expectBcError, token, type Answer } from './helpers';

let sim: BusinessCentralSimulator;
let t: string;
const NOW = '2026-12-01T08:00:00.000Z';

beforeAll(async () => {
	sim = await startBusinessCentralSimulator({
		clock: { start: NOW, frozen: true },
		seed: { items: 25, customers: 12 },
		pageSize: 10,
	});
});
afterAll(() => sim.close());
beforeEach(async () => {
	sim.reset();
	t = await token(sim);
});

const get = (path: string, headers: Record<string, string> = {}): Promise<Answer> =>
	call(sim, 'GET', path.startsWith('http') ? path : sim.apiRoot + companyPath(sim, path), { token: t, headers });
/** every row of a list, following nextLinks (pages are 10 rows here) */
async function all(path: string): Promise<{ status: number; json: { value: any[] } }> {
	// eslint-disable-line @typescript-eslint/no-explicit-any
	const value: unknown[] = [];
	let url: string | undefined = path.startsWith('http') ? path : sim.apiRoot + companyPath(sim, path);
	while (url) {
		const a = await get(url);
		expect(a.status).toBe(200);
		value.push(...a.json.value);
		url = a.json['@odata.nextLink'];
	}
	return { status: 200, json: { value } };
}

describe('entities', () => {
	test('items carry the API v2.0 fields; blocked is a boolean, inventory the sum over locations', async () => {
		const a = await get("/items?$filter=number eq '1004'");
		expect(a.status).toBe(200);
		const it = a.json.value[0];
		expect(Object.keys(it)).toEqual([
			'@odata.etag',
			'id',
			'number',
			'displayName',
			'displayName2',
			'type',
			'itemCategoryId',
			'itemCategoryCode',
			'blocked',
			'gtin',
			'inventory',
			'unitPrice',
			'priceIncludesTax',
			'unitCost',
			'taxGroupId',
			'taxGroupCode',
			'baseUnitOfMeasureId',
			'baseUnitOfMeasureCode',
			'generalProductPostingGroupId',
			'generalProductPostingGroupCode',
			'inventoryPostingGroupId',
			'inventoryPostingGroupCode',
			'lastModifiedDateTime',
		]);
		expect(it.blocked).toBe(true);
		expect(it['@odata.etag']).toMatch(/^W\/"[A-Za-z0-9+/=]+"$/);
		const co = sim.state.company(sim.company.id)!;
		const per = co.stock['1004'];
		expect(it.inventory).toBe(Object.values(per).reduce((x, y) => x + y, 0));
		expect(it.lastModifiedDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
		const types = new Set((await all('/items')).json.value.map((x: { type: string }) => x.type));
		expect(types).toEqual(new Set(['Inventory', 'Service']));
	});

	test('customers: blocked is the string " " / Ship / Invoice / All, the blank written "_x0020_" as BC writes enum names; no customerPriceGroup', async () => {
		const a = await all('/customers');
		const blocked = a.json.value.map((c: { number: string; blocked: string }) => [c.number, c.blocked]);
		expect(blocked.filter(([, b]: string[]) => b === ' ')).toEqual([]);
		expect(blocked.filter(([, b]: string[]) => b !== '_x0020_')).toEqual([
			['K00040', 'Ship'],
			['K00060', 'Invoice'],
			['K00080', 'All'],
		]);
		expect(a.json.value[0]).not.toHaveProperty('customerPriceGroup');
		expect(a.json.value[0]).toHaveProperty('taxRegistrationNumber');
		expect(a.json.value.some((c: { displayName: string }) => /[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]/.test(c.displayName))).toBe(true);
	});

	test('locations: code and displayName, Polish codes, no lastModifiedDateTime', async () => {
		const a = await get('/locations');
		expect(a.json.value.map((l: { code: string }) => l.code)).toEqual(['GDAŃSK', 'KRAKÓW', 'ŁÓDŹ']);
		expect(a.json.value[0]).not.toHaveProperty('lastModifiedDateTime');
	});

	test('by id: items({id}) with @odata.etag; an unknown id → 404 naming the id', async () => {
		const list = await get("/items?$filter=number eq 'ŻUBR-007'");
		const id = list.json.value[0].id;
		const one = await get(`/items(${id})`);
		expect(one.json).toMatchObject({ number: 'ŻUBR-007', id });
		expect(one.json['@odata.etag']).toBe(list.json.value[0]['@odata.etag']);
		const missing = await get('/items(11111111-2222-3333-4444-555555555555)');
		expectBcError(
			missing,
			404,
			'BadRequest_NotFound',
			/Item does not exist.*Id='11111111-2222-3333-4444-555555555555'/,
		);
		expectBcError(await get('/itemz'), 404, 'BadRequest_NotFound', /segment 'itemz'/);
	});
});

describe('$filter / $select / $orderby / $top / $skip', () => {
	test('lastModifiedDateTime gt <iso> (no quotes) returns exactly the newer rows', async () => {
		const rows = (await all('/items')).json.value as Array<{ number: string; lastModifiedDateTime: string }>;
		const sorted = rows.map((r) => r.lastModifiedDateTime).sort();
		const cut = sorted[Math.floor(sorted.length / 2)];
		const a = await all(`/items?$filter=lastModifiedDateTime gt ${cut}`);
		expect(a.status).toBe(200);
		const expected = rows.filter((r) => r.lastModifiedDateTime > cut).map((r) => r.number);
		expect(a.json.value.map((r: { number: string }) => r.number).sort()).toEqual(expected.sort());
		expect(expected.length).toBeGreaterThan(0);
		expect(expected.length).toBeLessThan(rows.length);
	});

	test('number eq, id eq (GUID unquoted), and; quotes doubled inside strings', async () => {
		const one = await get("/items?$filter=number eq 'ŻUBR-007'");
		expect(one.json.value.map((r: { number: string }) => r.number)).toEqual(['ŻUBR-007']);
		const id = one.json.value[0].id;
		expect((await get(`/items?$filter=id eq ${id}`)).json.value).toHaveLength(1);
		const both = await all("/items?$filter=blocked eq false and type eq 'Service'");
		expect(both.json.value.map((r: { number: string }) => r.number)).toEqual(['1009', '1019']);
		const quoted = await all("/customers?$filter=contains(displayName,'''Pod Dębem''')");
		expect(quoted.json.value).toHaveLength(1);
		expect(quoted.json.value[0].displayName).toContain("'Pod Dębem'");
	});

	test('unknown field → 400 naming it; a quoted datetime or GUID → 400 incompatible types', async () => {
		expectBcError(
			await get("/items?$filter=foo eq 'x'"),
			400,
			'BadRequest_NotFound',
			/property named 'foo' on type 'Microsoft\.NAV\.item'/,
		);
		expectBcError(
			await get("/items?$filter=lastModifiedDateTime gt '2026-11-01T00:00:00Z'"),
			400,
			'BadRequest',
			/'Edm\.DateTimeOffset' and 'Edm\.String'/,
		);
		expectBcError(
			await get("/items?$filter=id eq '11111111-2222-3333-4444-555555555555'"),
			400,
			'BadRequest',
			/'Edm\.Guid' and 'Edm\.String'/,
		);
		expectBcError(await get('/items?$filter=number eq 1000'), 400, 'BadRequest', /'Edm\.String' and 'Edm\.Decimal'/);
		expectBcError(await get('/items?$select=number,cena'), 400, 'BadRequest_NotFound', /'cena'/);
		expectBcError(await get('/items?$orderby=cena desc'), 400, 'BadRequest_NotFound', /'cena'/);
		expectBcError(await get("/items?$filter=number eq 'x' and"), 400, 'BadRequest');
	});

	test('$select keeps the ETag and the named fields; $orderby; $top/$skip; $count', async () => {
		const a = await get('/items?$select=number,unitPrice&$orderby=unitPrice desc&$top=3&$skip=1&$count=true');
		expect(a.json['@odata.count']).toBe(25);
		expect(Object.keys(a.json.value[0])).toEqual(['@odata.etag', 'number', 'unitPrice']);
		const prices = (await all('/items')).json.value
			.map((r: { unitPrice: number }) => r.unitPrice)
			.sort((x: number, y: number) => y - x);
		expect(a.json.value.map((r: { unitPrice: number }) => r.unitPrice)).toEqual(prices.slice(1, 4));
		expect(a.json['@odata.context']).toMatch(/\/\$metadata#companies\([0-9a-f-]+\)\/items\(number,unitPrice\)$/);
	});
});

describe('server-driven paging', () => {
	async function walk(
		first: string,
		headers: Record<string, string> = {},
	): Promise<{ numbers: string[]; pages: Answer[] }> {
		const pages: Answer[] = [];
		let url: string | undefined = sim.apiRoot + companyPath(sim, first);
		while (url) {
			const a = await get(url, headers);
			expect(a.status).toBe(200);
			pages.push(a);
			url = a.json['@odata.nextLink'];
		}
		return { numbers: pages.flatMap((p) => p.json.value.map((r: { number: string }) => r.number)), pages };
	}

	test('pages of the server size with an absolute nextLink carrying $skiptoken and the client options', async () => {
		const { numbers, pages } = await walk("/items?$filter=type eq 'Inventory'&$select=number");
		expect(pages.map((p) => p.json.value.length)).toEqual([10, 10, 3]);
		expect(new Set(numbers).size).toBe(23);
		const next = pages[0].json['@odata.nextLink'] as string;
		expect(next.startsWith(`${sim.apiRoot}/companies(${sim.company.id})/items?`)).toBe(true);
		// the 10th Inventory item: 1000…1005, 1007, 1008, 1010, 1011 (1006 is numbered ŻUBR-007, 1009 is a Service)
		expect(next).toContain("$skiptoken='1011'");
		expect(decodeURIComponent(next)).toContain("$filter=type eq 'Inventory'");
		expect(pages[2].json['@odata.nextLink']).toBeUndefined();
	});

	test('Prefer odata.maxpagesize=N gives pages of N and Preference-Applied; above the server size → 413', async () => {
		const { pages } = await walk('/items', { Prefer: 'odata.maxpagesize=7' });
		expect(pages.map((p) => p.json.value.length)).toEqual([7, 7, 7, 4]);
		expect(pages[0].headers.get('preference-applied')).toBe('odata.maxpagesize=7');
		const big = await get('/items', { Prefer: 'odata.maxpagesize=11' });
		expectBcError(big, 413, 'BadRequest_RequestEntityTooLarge', /11.*10/);
	});

	test('no nextLink when $top fits a page (the rows after it are simply not offered)', async () => {
		const a = await get('/items?$top=5');
		expect(a.json.value).toHaveLength(5);
		expect(a.json['@odata.nextLink']).toBeUndefined();
		// a $top larger than a page is paged, the nextLink counting down what is left of it
		const { pages } = await walk('/items?$top=15');
		expect(pages.map((p) => p.json.value.length)).toEqual([10, 5]);
		expect(pages[0].json['@odata.nextLink']).toContain('$top=5');
	});

	test('the default page size is 20,000 and oversizePage clamp serves instead of 413', async () => {
		const big = await startBusinessCentralSimulator({ seed: { items: 3, customers: 1 }, oversizePage: 'clamp' });
		try {
			const tk = await token(big);
			expect(big.ctx.pageSize).toBe(20_000);
			const a = await call(big, 'GET', `${big.apiRoot}/companies(${big.company.id})/items`, {
				token: tk,
				headers: { Prefer: 'odata.maxpagesize=50000' },
			});
			expect(a.status).toBe(200);
			expect(a.headers.get('preference-applied')).toBe('odata.maxpagesize=20000');
		} finally {
			await big.close();
		}
	});
});

describe('stock', () => {
	test('moveStock changes inventory but neither lastModifiedDateTime nor the ETag', async () => {
		const before = (await get("/items?$filter=number eq '1000'")).json.value[0];
		sim.clock.advance(60_000);
		sim.state.moveStock('1000', 'KRAKÓW', 7);
		const after = (await get("/items?$filter=number eq '1000'")).json.value[0];
		expect(after.inventory).toBe(before.inventory + 7);
		expect(after.lastModifiedDateTime).toBe(before.lastModifiedDateTime);
		expect(after['@odata.etag']).toBe(before['@odata.etag']);
		// so a delta read by lastModifiedDateTime does not see it
		const delta = await all(`/items?$filter=lastModifiedDateTime gt ${before.lastModifiedDateTime}`);
		expect(delta.json.value.map((r: { number: string }) => r.number)).not.toContain('1000');
		// a card edit does bump both
		sim.state.modifyItem('1000', { displayName: 'Łopata zmieniona' });
		const edited = (await get("/items?$filter=number eq '1000'")).json.value[0];
		expect(edited.lastModifiedDateTime).toBe(new Date(sim.clock.now()).toISOString());
		expect(edited['@odata.etag']).not.toBe(before['@odata.etag']);
	});

	test('ItemCard page: Inventory per Location_Filter, total without it; GUID in Company() → Internal_CompanyNotFound', async () => {
		const co = sim.state.company(sim.company.id)!;
		sim.state.moveStock('1001', 'ŁÓDŹ', 5);
		const base = `${sim.odataRoot}/Company('${encodeURIComponent(sim.company.name)}')/ItemCard`;
		const lodz = await get(`${base}?$filter=Location_Filter eq 'ŁÓDŹ' and No eq '1001'`);
		expect(lodz.status).toBe(200);
		expect(lodz.json.value).toEqual([
			expect.objectContaining({ No: '1001', Inventory: co.stock['1001']['ŁÓDŹ'], Location_Filter: 'ŁÓDŹ' }),
		]);
		const both = await get(`${base}?$filter=Location_Filter eq 'ŁÓDŹ|KRAKÓW' and No eq '1001'`);
		expect(both.json.value[0].Inventory).toBe((co.stock['1001']['ŁÓDŹ'] ?? 0) + (co.stock['1001']['KRAKÓW'] ?? 0));
		const total = await get(`${base}?$filter=No eq '1001'`);
		expect(total.json.value[0].Inventory).toBe(sim.state.inventory(co, '1001'));
		expect(Object.keys(total.json.value[0])).toEqual(
			expect.arrayContaining(['No', 'Description', 'Inventory', 'Location_Filter']),
		);
		// paging with the page's key
		const page = await get(`${base}?$filter=Location_Filter eq 'GDAŃSK'`);
		expect(page.json.value).toHaveLength(10);
		expect(page.json['@odata.nextLink']).toContain("$skiptoken='1010'");
		const guid = await get(`${sim.odataRoot}/Company('${sim.company.id}')/ItemCard`);
		expectBcError(guid, 404, 'Internal_CompanyNotFound', new RegExp(sim.company.id));
		expectBcError(
			await get(`${sim.odataRoot}/Company('${encodeURIComponent(sim.company.name)}')/Towary`),
			404,
			'BadRequest_NotFound',
		);
		const companies = await get(`${sim.odataRoot}/Company`);
		expect(companies.json.value.map((c: { Name: string }) => c.Name)).toContain(sim.company.name);
	});
});

describe('custom API erpB2b/sync/v1.0', () => {
	const custom = (path: string) => get(`${sim.customApiRoot}/companies(${sim.company.id})${path}`);

	test('priceListLines carry the contract fields; Draft and Inactive lines are there with their status', async () => {
		const a = await all(`${sim.customApiRoot}/companies(${sim.company.id})/priceListLines`);
		expect(a.status).toBe(200);
		expect(Object.keys(a.json.value[0])).toEqual([
			'@odata.etag',
			'id',
			'priceListCode',
			'sourceType',
			'sourceNo',
			'assetType',
			'assetNo',
			'currencyCode',
			'startingDate',
			'endingDate',
			'minimumQuantity',
			'unitOfMeasureCode',
			'unitPrice',
			'priceIncludesVAT',
			'lineDiscountPercent',
			'status',
			'lastModifiedDateTime',
		]);
		const lines = a.json.value as Array<Record<string, unknown>>;
		expect(new Set(lines.map((l) => l.sourceType))).toEqual(
			// enum names as BC writes them in JSON: spaces as _x0020_
			new Set(['All_x0020_Customers', 'Customer', 'Customer_x0020_Price_x0020_Group']),
		);
		expect(lines.filter((l) => l.status === 'Draft')).toHaveLength(1);
		expect(lines.filter((l) => l.status === 'Inactive')).toHaveLength(1);
		expect(lines.some((l) => (l.minimumQuantity as number) > 0)).toBe(true);
		expect(lines.some((l) => l.endingDate !== '0001-01-01')).toBe(true);
		expect(lines.some((l) => l.startingDate === '0001-01-01')).toBe(true);
		// a filter names the enum value as the JSON writes it (how BC compares a spaced name: unverified)
		const active = await custom(
			"/priceListLines?$filter=status eq 'Active' and sourceType eq 'Customer_x0020_Price_x0020_Group'",
		);
		expect(active.json.value.map((l: { minimumQuantity: number }) => l.minimumQuantity).sort()).toEqual([0, 10, 50]);
		const dated = await custom('/priceListLines?$filter=endingDate ne 0001-01-01');
		expect(dated.json.value.length).toBeGreaterThan(0);
	});

	test('customerPricing: the customer price group per customer; setPrice changes a line and its lastModifiedDateTime', async () => {
		const a = await all(`${sim.customApiRoot}/companies(${sim.company.id})/customerPricing`);
		expect(Object.keys(a.json.value[0])).toEqual([
			'@odata.etag',
			'id',
			'customerNumber',
			'customerPriceGroup',
			'customerDiscountGroup',
			'lastModifiedDateTime',
		]);
		expect(new Set(a.json.value.map((r: { customerPriceGroup: string }) => r.customerPriceGroup))).toEqual(
			new Set(['', 'HURT', 'DETAL']),
		);
		sim.clock.advance(1000);
		const line = sim.state.setPrice('1002', 12.34);
		const b = await custom(
			`/priceListLines?$filter=lastModifiedDateTime gt ${new Date(sim.clock.now() - 1).toISOString()}`,
		);
		expect(b.json.value).toEqual([expect.objectContaining({ id: line.id, assetNo: '1002', unitPrice: 12.34 })]);
		// the custom entity sets are not in API v2.0, nor v2.0's in the custom API
		expectBcError(await get('/priceListLines'), 404, 'BadRequest_NotFound');
		expectBcError(await custom('/items'), 404, 'BadRequest_NotFound');
	});
});
