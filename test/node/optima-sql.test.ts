/**
 * Comarch ERP Optima → the SQL Server operations through n8n-core, the real mssql/tedious driver and the TDS
 * simulator hosting an Optima company database (test/simulators/sql-server/optima: CDN tables, statements matched by
 * exact text, everything else refused). What the research says a reader must get right is checked on the output:
 * dated TwrIlosci snapshots (a future row ignored, MagId NULL totals), TwC_TwCNumer = DfC_Lp with net / gross by
 * DfC_Typ, Rabaty % and fixed prices with dates, Knt_Ceny read either way, RO → WZ → FS relations, the buffer and
 * cancelled ROs, TS_Mod cursors.
 */
import type { ICredentialsDecrypted, IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { OptimaSqlApi } from '../../credentials/OptimaSqlApi.credentials';
import { Optima } from '../../nodes/Optima/Optima.node';
import { optimaSqlConnectionTest } from '../../nodes/Optima/actions/sqlCommon';
import { OPTIMA_QUERIES } from '../../nodes/Optima/sql/queries';
import { describeIssues, validateRecord } from '../../nodes/shared/model/validate';
import type { EntityName } from '../../nodes/shared/model/types';
import { runNode, type RunNodeResult } from '../harness/n8n-core-harness';
import { makeOrder } from '../fixtures/polish';
import { DEFAULT_USER, SqlServerSimulator } from '../simulators/sql-server/server';
import {
	OPTIMA_DATABASE,
	addGeneratedProducts,
	confirmDoc,
	issueWz,
	optimaRoStore,
	optimaSchema,
	seedOptima,
	type OptimaDatabase,
} from '../simulators/sql-server/optima';
import { afterRecordRun } from './sap-helpers';

let sim: SqlServerSimulator;
let db: OptimaDatabase;

beforeAll(async () => {
	db = seedOptima();
	sim = new SqlServerSimulator({ databases: { [OPTIMA_DATABASE]: optimaSchema(db) } });
	await sim.start();
});
afterAll(async () => sim.stop());
beforeEach(() => {
	// each test starts from the seed (the schema keeps the same object)
	Object.assign(db, seedOptima());
	sim.statements.length = 0;
});

const credential = (over: IDataObject = {}): IDataObject => ({
	server: '127.0.0.1',
	instanceName: '',
	port: sim.port,
	database: OPTIMA_DATABASE,
	user: DEFAULT_USER.user,
	password: DEFAULT_USER.password,
	encrypt: false,
	trustServer: false,
	connectionTimeoutSeconds: 5,
	requestTimeoutSeconds: 10,
	...over,
});

async function run(
	parameters: INodeParameters,
	opts: { items?: INodeExecutionData[]; staticData?: IDataObject; continueOnFail?: boolean } = {},
): Promise<RunNodeResult> {
	return await runNode({
		nodeType: new Optima(),
		parameters,
		inputItems: opts.items,
		staticData: opts.staticData,
		continueOnFail: opts.continueOnFail,
		credentials: { optimaSqlApi: { type: new OptimaSqlApi(), data: credential() as never } },
	});
}

const out = (r: RunNodeResult): IDataObject[] => {
	expect(r.error).toBeUndefined();
	return (r.output?.[0] ?? []).map((i) => i.json);
};
const sent = (name: string) => sim.statements.filter((s) => s.query === name);
const valid = (entity: EntityName, records: IDataObject[]) => {
	for (const rec of records) {
		const result = validateRecord(entity, rec);
		expect(result.ok ? '' : describeIssues(entity, result)).toBe('');
	}
};

describe('Optima SQL › credential test', () => {
	it('connects and reads CDN.DefCeny; a database that is not Optima is named', async () => {
		const ok = await optimaSqlConnectionTest.call({} as never, { data: credential() } as ICredentialsDecrypted);
		expect(ok).toEqual({ status: 'OK', message: expect.stringContaining('is a Comarch ERP Optima database') });
		const bad = await optimaSqlConnectionTest.call(
			{} as never,
			{
				data: credential({ database: 'CDN_KNF_Konfiguracja' }),
			} as ICredentialsDecrypted,
		);
		expect(bad.status).toBe('Error');
		expect(bad.message).toMatch(/CDN_KNF_Konfiguracja/);
	});
});

describe('Optima SQL › products', () => {
	it('every product, Polish text intact, inactive ones not active, VAT from Twr_Flaga / Twr_Stawka', async () => {
		const products = out(await run({ resource: 'product', operation: 'getMany', cursorMode: 'all' }));
		valid('product', products);
		expect(products.map((p) => p.code)).toEqual(['ŁÓD-001', 'ŻAG-002', 'WIO-003', 'ĆMA-009', 'KSIĄŻKA-ŚĆ', 'SZKOL-ZW']);
		expect(products[2]).toMatchObject({ name: 'Wiosło ą ć ę ł ń ó ś ź ż', vatRate: '8', active: true });
		expect(products[3]).toMatchObject({ active: false });
		expect(products[5]).toMatchObject({ vatRate: 'zw', unit: 'usł.' });
		expect(products[0]).toMatchObject({ ean: '5901234123457', updatedAt: '2026-03-01T08:00:00+01:00' });
		// typed parameters, nothing but the named statement
		expect(sent('products')[0].params.map((p) => `${p.name} ${p.typeName}`)).toEqual([
			'@pageSize intn',
			'@afterId intn',
			'@changedSince datetimen',
		]);
	});

	it('keyset pages of Page Size; the cursor reads only what changed after Record Run', async () => {
		addGeneratedProducts(db, 25);
		const first = await run({
			resource: 'product',
			operation: 'getMany',
			cursorMode: 'stored',
			options: { pageSize: 10 },
		});
		expect(out(first)).toHaveLength(31);
		expect(sent('products')).toHaveLength(4);
		db.Towary[1].Twr_TS_Mod = new Date(Date.UTC(2026, 3, 1, 12, 0, 0));
		sim.statements.length = 0;
		const second = await run(
			{ resource: 'product', operation: 'getMany', cursorMode: 'stored', options: { pageSize: 10 } },
			{ staticData: afterRecordRun(first.staticData!) },
		);
		// the newest stamp of the last run is read again (>=: a product saved later in the same second is not lost)
		expect(out(second).map((p) => p.code)).toEqual(['ŻAG-002', 'SZKOL-ZW']);
	});
});

describe('Optima SQL › prices', () => {
	it('every list except the purchase price; net or gross by DfC_Typ; Rabaty as client and group prices', async () => {
		const prices = out(await run({ resource: 'price', operation: 'getMany' }));
		valid('price', prices);
		const of = (code: string, scope: string, scopeCode: string) =>
			prices.filter((p) => p.productCode === code && p.scope === scope && p.scopeCode === scopeCode);
		expect(prices.some((p) => p.scopeCode === 'zakupu')).toBe(false);
		expect(of('ŁÓD-001', 'priceList', 'hurtowa 1')).toEqual([
			{
				productCode: 'ŁÓD-001',
				scope: 'priceList',
				scopeCode: 'hurtowa 1',
				currency: 'PLN',
				vatRate: '23',
				net: '120.0000',
			},
		]);
		expect(of('ŁÓD-001', 'priceList', 'detaliczna')[0]).toMatchObject({ gross: '184.5000' });
		expect(of('ŁÓD-001', 'priceList', 'detaliczna')[0].net).toBeUndefined();
		// K-ŚWIĘTOKRZYSKA: 5 % on every product of its list (Knt_Ceny = DfC_DfCId 102 = hurtowa 1) …
		expect(of('ŁÓD-001', 'client', 'K-ŚWIĘTOKRZYSKA')).toEqual([
			expect.objectContaining({ net: '114.0000', validFrom: '2026-01-01', validTo: '2099-12-31' }),
		]);
		// … but a fixed price (Rab_Rabat 0 + Rab_Cena) on ŻAG-002 wins
		expect(of('ŻAG-002', 'client', 'K-ŚWIĘTOKRZYSKA')).toEqual([expect.objectContaining({ net: '13.5000' })]);
		// a discount that starts later is a price with its dates, next to the current one
		expect(of('WIO-003', 'client', 'K-ŚWIĘTOKRZYSKA').map((p) => [p.net, p.validFrom])).toEqual([
			['37.9050', '2026-01-01'],
			['31.9200', '2099-01-01'],
		]);
		// K-GDAŃSK: 12.5 % on product group 20 from its list hurtowa 3 (Knt_Ceny 104)
		expect(of('ŻAG-002', 'client', 'K-GDAŃSK')).toEqual([expect.objectContaining({ net: '13.1163' })]);
		expect(of('ŁÓD-001', 'client', 'K-GDAŃSK')).toEqual([]);
		// a client-group discount (Rab_Typ 12) is named by the group's id
		expect(of('ŁÓD-001', 'clientGroup', '7')).toEqual([expect.objectContaining({ net: '116.4000' })]);
		// the ended discount (Rab_RabId 3) is not read at all
		expect(sent('discounts')).toHaveLength(1);
	});

	it('named lists (by name or number) only; an unknown one is an error naming the lists there are', async () => {
		const prices = out(
			await run({ resource: 'price', operation: 'getMany', priceLists: 'HURTOWA 1, 5', includeDiscounts: false }),
		);
		expect(new Set(prices.map((p) => p.scopeCode))).toEqual(new Set(['hurtowa 1', 'detaliczna']));
		expect(sent('discounts')).toHaveLength(0);
		const bad = await run({ resource: 'price', operation: 'getMany', priceLists: 'hurtowa 9' });
		expect(bad.error?.message).toMatch(/price list "hurtowa 9" is not in CDN.DefCeny .*2 hurtowa 1/);
	});

	it('the Rab_Typ table is an option: an emptied table turns no discount into a price', async () => {
		const prices = out(
			await run({ resource: 'price', operation: 'getMany', options: { discountTypes: '99=client/product' } }),
		);
		expect(prices.filter((p) => p.scope !== 'priceList').map((p) => [p.productCode, p.scopeCode, p.net])).toEqual([
			['ŁÓD-001', 'K-ŚWIĘTOKRZYSKA', '60.0000'],
		]);
	});
});

describe('Optima SQL › stock', () => {
	it('the latest snapshot not after today per product and warehouse; a future one and the totals are not read', async () => {
		const stock = out(await run({ resource: 'stock', operation: 'getMany', warehouseCode: '' }));
		const strip = stock.map(({ updatedAt, _belowZero, ...s }) => s);
		expect(strip).toEqual([
			{
				productCode: 'ŁÓD-001',
				warehouseCode: 'MAG-KRAKÓW',
				onHand: '7.5',
				reserved: '0',
				available: '7.5',
				incoming: '0',
			},
			{
				productCode: 'ŁÓD-001',
				warehouseCode: 'MAGAZYN',
				onHand: '120',
				reserved: '10',
				available: '110',
				incoming: '30',
			},
			{ productCode: 'ŻAG-002', warehouseCode: 'MAGAZYN', onHand: '3', reserved: '5', available: '0', incoming: '0' },
			{
				productCode: 'WIO-003',
				warehouseCode: 'MAG-KRAKÓW',
				onHand: '12.25',
				reserved: '0.25',
				available: '12',
				incoming: '0',
			},
			{
				productCode: 'KSIĄŻKA-ŚĆ',
				warehouseCode: 'MAGAZYN',
				onHand: '38',
				reserved: '2',
				available: '36',
				incoming: '0',
			},
		]);
		expect(stock[2]._belowZero).toEqual({ available: '-2' });
		const params = sent('stock')[0].params.map((p) => `${p.name} ${p.typeName}`);
		expect(params).toEqual([
			'@afterId intn',
			'@upToId intn',
			'@asOf datetimen',
			'@totalOnly bitn',
			'@warehouseCode nvarchar',
		]);
	});

	it('one warehouse, or "total" = the TwI_MagId NULL rows; batch files', async () => {
		const one = out(await run({ resource: 'stock', operation: 'getMany', warehouseCode: 'mag-kraków' }));
		expect(one.map((s) => s.productCode)).toEqual(['ŁÓD-001', 'WIO-003']);
		const totals = out(await run({ resource: 'stock', operation: 'getMany', warehouseCode: 'total' }));
		expect(totals.map((s) => [s.productCode, s.warehouseCode, s.onHand])).toEqual([
			['ŁÓD-001', 'total', '127.5'],
			['ŻAG-002', 'total', '3'],
			['WIO-003', 'total', '12.25'],
			['KSIĄŻKA-ŚĆ', 'total', '38'],
		]);
		const files = await run({
			resource: 'stock',
			operation: 'getMany',
			outputMode: 'files',
			recordsPerBatch: 2,
		});
		expect(out(files).map((b) => b.count)).toEqual([2, 2, 1]);
	});

	it('an RO saved through the bridge store raises the reservation the next read shows', async () => {
		const store = optimaRoStore(db);
		expect(
			store.refusal({
				foreignNumber: 'X',
				clientCode: 'GĄSKA-ŹRÓDŁA',
				warehouseSymbol: 'MAGAZYN',
				lines: [],
				buffer: true,
			}),
		).toMatch(/nieaktywny/);
		const ro = store.save({
			foreignNumber: 'B2B/2026/000777',
			clientCode: 'K-ŚWIĘTOKRZYSKA',
			warehouseSymbol: 'MAGAZYN',
			lines: [{ productCode: 'ŁÓD-001', quantity: '4', unitPrice: '114.00' }],
			buffer: true,
			notes: 'zażółć gęślą jaźń',
		});
		expect(ro).toMatchObject({ fullNumber: 'RO/7/2026', cancelled: false, buffer: true, notes: 'zażółć gęślą jaźń' });
		expect(store.findByForeignNumber('b2b/2026/000777')).toEqual([ro]);
		const stock = out(await run({ resource: 'stock', operation: 'getMany', warehouseCode: 'MAGAZYN' }));
		expect(stock[0]).toMatchObject({ productCode: 'ŁÓD-001', reserved: '14', available: '106' });
		const status = out(
			await run(
				{ resource: 'order', operation: 'getStatus', orderNumber: '={{ $json.number }}' },
				{
					items: [{ json: { number: 'B2B/2026/000777' } }],
				},
			),
		);
		expect(status[0]).toMatchObject({ status: 'placed', erpDocumentNumber: 'RO/7/2026' });
	});
});

describe('Optima SQL › warehouses and price lists', () => {
	it("Warehouse → Get Many: one item per CDN.Magazyny row in SAP's and Subiekt's shape (code, name), by symbol", async () => {
		const r = await run({ resource: 'warehouse', operation: 'getMany' });
		// ŻUŁAWY has no stock rows and is listed all the same: a workflow may name it
		expect(out(r)).toEqual([
			{ code: 'MAG-KRAKÓW', name: 'Magazyn Kraków' },
			{ code: 'MAGAZYN', name: 'Magazyn główny Łódź' },
			{ code: 'ŻUŁAWY', name: 'Skład Żuławy, Nowy Dwór Gdański' },
		]);
		expect(sent('warehouses')).toHaveLength(1);
	});

	it('a warehouse without a symbol stops the node naming its Mag_MagId (no password in the message)', async () => {
		db.Magazyny.push({ Mag_MagId: 7, Mag_Symbol: '  ', Mag_Nazwa: 'Bez symbolu' });
		const r = await run({ resource: 'warehouse', operation: 'getMany' });
		expect(r.error?.message).toBe(
			'Reading warehouses (CDN.Magazyny): warehouse Mag_MagId 7: column Mag_Symbol is empty',
		);
		expect(JSON.stringify(r.error)).not.toContain(DEFAULT_USER.password);
	});

	it("Price List → Get Many: every CDN.DefCeny row in SAP's shape (number = DfC_Lp, name, gross by DfC_Typ), the purchase price too", async () => {
		const r = await run({ resource: 'priceList', operation: 'getMany' });
		expect(out(r)).toEqual([
			{ number: 1, name: 'zakupu', gross: false },
			{ number: 2, name: 'hurtowa 1', gross: false },
			{ number: 3, name: 'hurtowa 2', gross: false },
			{ number: 4, name: 'hurtowa 3', gross: false },
			{ number: 5, name: 'detaliczna', gross: true },
		]);
		expect(sent('priceDefinitions')).toHaveLength(1);
	});

	it("the stock read's Warehouse dropdown: Every Warehouse (the template's empty value), the totals, then Optima's", async () => {
		const { getStockWarehouses } = await import('../../nodes/Optima/methods/loadOptions');
		const node = new Optima();
		const ctx = {
			getCredentials: async (type: string) => {
				expect(type).toBe('optimaSqlApi');
				return credential();
			},
			getNode: () => ({
				id: 'n',
				name: 'Optima: all stock',
				type: 'n8n-nodes-erp-b2b.optima',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			}),
		};
		expect(await getStockWarehouses.call(ctx as never)).toEqual([
			{ name: 'Every Warehouse', value: '' },
			{ name: "Optima's Total Over All Warehouses", value: 'total' },
			{ name: 'MAG-KRAKÓW – Magazyn Kraków', value: 'MAG-KRAKÓW' },
			{ name: 'MAGAZYN – Magazyn główny Łódź', value: 'MAGAZYN' },
			{ name: 'ŻUŁAWY – Skład Żuławy, Nowy Dwór Gdański', value: 'ŻUŁAWY' },
		]);
		expect(node.methods!.loadOptions!.getStockWarehouses).toBe(getStockWarehouses);
		const stock = node.description.properties.find((p) => p.name === 'warehouseCode')!;
		expect(stock.typeOptions?.loadOptionsMethod).toBe('getStockWarehouses');
	});
});

describe('Optima SQL › rows that cannot be mapped (Continue On Fail)', () => {
	// as Subiekt GT's reads: one item per record keeps an error item in its record's place (pairedItem 0);
	// batched, the error items come before the batches (every batch stays "Records per Batch" long)
	const labels = (r: RunNodeResult) =>
		out(r).map((j) => (j.error ? 'error' : j.entity ? `batch ${String(j.count)}` : `${j.productCode}`));
	const paired = (r: RunNodeResult) => (r.output?.[0] ?? []).map((i) => (i.pairedItem as { item: number }).item);

	it('stock: a snapshot of a warehouse missing from CDN.Magazyny is named with its TwI_MagId, and an error item in its place', async () => {
		db.TwrIlosci.push({
			...db.TwrIlosci.find((s) => s.TwI_TwrId === 2 && s.TwI_MagId === 1)!,
			TwI_TwIId: 99,
			TwI_MagId: 9,
		});
		const params = { resource: 'stock', operation: 'getMany', warehouseCode: '' };
		const stopped = await run(params);
		expect(stopped.error?.message).toBe(
			'Stock Twr_Kod ŻAG-002, TwI_MagId 9: stock of ŻAG-002: column Mag_Symbol is empty',
		);
		const kept = await run(params, { continueOnFail: true });
		expect(labels(kept)).toEqual(['ŁÓD-001', 'ŁÓD-001', 'error', 'ŻAG-002', 'WIO-003', 'KSIĄŻKA-ŚĆ']);
		expect(out(kept)[2]).toEqual({ error: stopped.error?.message });
		expect(paired(kept)).toEqual([0, 0, 0, 0, 0, 0]);
		const batched = await run({ ...params, outputMode: 'batches', recordsPerBatch: 2 }, { continueOnFail: true });
		expect(labels(batched)).toEqual(['error', 'batch 2', 'batch 2', 'batch 1']);
	});

	it('prices: a product with a VAT rate no rate table has is named; its prices are error items in their place', async () => {
		db.Towary[1].Twr_Stawka = 1_230_000n; // 123 % typed for 23 %
		const params = { resource: 'price', operation: 'getMany', priceLists: 'hurtowa 1', includeDiscounts: false };
		const stopped = await run(params);
		expect(stopped.error?.message).toMatch(
			/^Price Twr_Kod ŻAG-002, DfC_Nazwa \S+: VAT rate 123 \(Twr_Stawka\) is not valid$/,
		);
		const kept = await run(params, { continueOnFail: true });
		const list = labels(kept);
		// every TwrCeny row of ŻAG-002 (its purchase price too) fails; they stand between ŁÓD-001's and WIO-003's
		expect(list[0]).toBe('ŁÓD-001');
		expect(list.slice(1, list.indexOf('WIO-003'))).toEqual(list.filter((l) => l === 'error'));
		expect(list.filter((l) => l === 'error')).toHaveLength(5); // Lp 1–5
		expect(paired(kept).every((p) => p === 0)).toBe(true);
		const batched = await run({ ...params, outputMode: 'batches', recordsPerBatch: 100 }, { continueOnFail: true });
		const errors = list.filter((l) => l === 'error');
		expect(labels(batched)).toEqual([...errors, `batch ${list.length - errors.length}`]);
	});
});

describe('Optima SQL › clients', () => {
	it('address, NIP, group and price list; Knt_Nieaktywny → blocked; Knt_Ceny read as an id or a Lp', async () => {
		const clients = out(await run({ resource: 'client', operation: 'getMany', cursorMode: 'all' }));
		valid('client', clients);
		expect(clients[0]).toEqual({
			code: 'K-ŚWIĘTOKRZYSKA',
			name: 'Hurtownia Świętokrzyska Sp. z o.o.',
			taxId: '6570005412',
			email: 'zamowienia@swietokrzyska.pl',
			phone: '+48 41 000 00 01',
			priceGroup: 'HURT-ŁÓDŹ',
			priceListCode: 'hurtowa 1',
			blocked: false,
			addresses: [
				{
					type: 'billing',
					name: 'Hurtownia Świętokrzyska Sp. z o.o.',
					street: 'ul. Źródłowa 12/3',
					postalCode: '25-001',
					city: 'Kielce',
					countryCode: 'PL',
				},
			],
		});
		expect(clients[1].priceListCode).toBeUndefined();
		expect(clients[1].addresses).toEqual([expect.objectContaining({ city: 'Łódź', countryCode: 'PL' })]);
		expect(clients[2]).toMatchObject({ code: 'GĄSKA-ŹRÓDŁA', blocked: true, addresses: [] });
		const byLp = out(
			await run({ resource: 'client', operation: 'getMany', cursorMode: 'all', options: { clientPriceKey: 'lp' } }),
		);
		expect(byLp.map((c) => c.priceListCode)).toEqual([undefined, 'hurtowa 2', undefined, undefined]);
	});
});

describe('Optima SQL › order check', () => {
	const line = (lineNo: number, productCode: string, unitPrice: string, vatRate = '23') => ({
		lineNo,
		productCode,
		quantity: '1',
		unitPrice,
		vatRate,
	});
	const check = async (orders: object[]) => {
		const r = await run(
			{ resource: 'order', operation: 'check', orderField: 'order' },
			{ items: orders.map((order) => ({ json: { order, źródło: 'portal' } as never })) },
		);
		return out(r);
	};

	it("the client's list less its discount, a fixed price, a later discount not yet: accepted; the item is kept", async () => {
		const [item] = await check([
			makeOrder(1, {
				lines: [line(1, 'ŁÓD-001', '114.00'), line(2, 'ŻAG-002', '13.50'), line(3, 'WIO-003', '37.91', '8')],
			}),
		]);
		expect(item.źródło).toBe('portal');
		expect(item.orderCheck).toMatchObject({ accepted: true, client: { code: 'K-ŚWIĘTOKRZYSKA' } });
		expect(item.priceCheck).toMatchObject({
			accepted: true,
			lines: [
				expect.objectContaining({ lineNo: 1, erpPrice: '114.00', ok: true }),
				expect.objectContaining({ lineNo: 2, erpPrice: '13.50', ok: true }),
				expect.objectContaining({ lineNo: 3, erpPrice: '37.91', ok: true }),
			],
		});
		expect((item.priceCheck as IDataObject).lines).toEqual(
			expect.arrayContaining([expect.objectContaining({ source: expect.stringContaining('Rab_RabId 2') })]),
		);
	});

	it('a wrong price, an unknown and an inactive product are refused by line, in Polish and English', async () => {
		const [item] = await check([
			makeOrder(2, {
				lines: [line(1, 'ŁÓD-001', '120.00'), line(2, 'ŻÓŁW-404', '1.00'), line(3, 'ćma-009', '2.00')],
			}),
		]);
		const pc = item.priceCheck as IDataObject;
		expect(pc.accepted).toBe(false);
		expect(pc.reason).toBe(
			'Cena pozycji 1 (ŁÓD-001) różni się od cennika: 120.00 zamiast 114.00 PLN netto; Pozycja 2: produkt ŻÓŁW-404 nie istnieje w Comarch ERP Optima; Pozycja 3: produkt ćma-009 jest nieaktywny w Comarch ERP Optima',
		);
		expect(item.orderCheck).toMatchObject({
			accepted: false,
			lines: [{ ok: true }, { problem: 'missing' }, { problem: 'inactive' }],
		});
	});

	it('an unknown or inactive client refuses the whole order without reading its lines', async () => {
		const [unknown, inactive] = await check([
			makeOrder(3, { clientCode: 'K-ŹDŹBŁO' }),
			makeOrder(4, { clientCode: 'GĄSKA-ŹRÓDŁA' }),
		]);
		expect(unknown.priceCheck).toMatchObject({
			accepted: false,
			reason: 'Klient K-ŹDŹBŁO nie istnieje w Comarch ERP Optima',
			client: { code: 'K-ŹDŹBŁO', problem: 'missing' },
		});
		expect(inactive.orderCheck).toMatchObject({ accepted: false, client: { problem: 'inactive' } });
		expect(sent('orderProduct')).toEqual([]);
	});
});

describe('Optima SQL › order status', () => {
	const status = async (numbers: string[]) =>
		out(
			await run(
				{ resource: 'order', operation: 'getStatus', orderNumber: '={{ $json.number }}' },
				{ items: numbers.map((number) => ({ json: { number } })) },
			),
		);

	it('RO → WZ → FS invoiced, RO → WZ shipped, buffer placed, cancelled, RO → FS invoiced, none = not in Optima', async () => {
		const s = await status([
			'B2B/2026/000101',
			'B2B/2026/000102',
			'B2B/2026/000103',
			'B2B/2026/000104',
			'B2B/2026/000105',
			'B2B/2026/000999',
		]);
		expect(s.map((x) => [x.status, x.erpDocumentNumber, x.invoiceNumber ?? x.deliveryNumber ?? null])).toEqual([
			['invoiced', 'RO/1/2026', 'FS/1/2026'],
			['shipped', 'RO/2/2026', 'WZ/2/2026'],
			['placed', 'RO/3/2026', null],
			['cancelled', 'RO/4/2026', null],
			['invoiced', 'RO/5/2026', 'FS/2/2026'],
			['placed', undefined, null],
		]);
		expect(s[0].changedAt).toBe('2026-03-12T11:00:00+01:00');
		expect(s[3].reason).toMatch(/anulowana/);
		expect(s[5]).toEqual({ orderNumber: 'B2B/2026/000999', status: 'placed', notInErp: true });
		valid('orderStatus', s.slice(0, 5));
	});

	it('status changes: every RO with a portal number, then only those whose RO, WZ or FS changed', async () => {
		const first = await run({ resource: 'order', operation: 'getStatusChanges', cursorMode: 'stored' });
		expect(out(first).map((x) => x.orderNumber)).toEqual([
			'B2B/2026/000101',
			'B2B/2026/000102',
			'B2B/2026/000103',
			'B2B/2026/000104',
			'B2B/2026/000105',
		]);
		issueWz(db, 6, '2026-04-01 10:00'); // RO/3 (was in the buffer) confirmed and shipped
		confirmDoc(db, 6, '2026-04-01 09:00');
		const second = out(
			await run(
				{ resource: 'order', operation: 'getStatusChanges', cursorMode: 'stored' },
				{ staticData: afterRecordRun(first.staticData!) },
			),
		);
		// RO/5's FS carries the newest stamp of the first run: read again (>=), harmless for the portal
		expect(second.map((x) => [x.orderNumber, x.status])).toEqual([
			['B2B/2026/000103', 'shipped'],
			['B2B/2026/000105', 'invoiced'],
		]);
	});
});

describe('Optima SQL › invoices', () => {
	it('FS of portal orders (through the WZ or directly) with lines; an FS in the buffer is not read', async () => {
		const invoices = out(await run({ resource: 'invoice', operation: 'getMany', cursorMode: 'all' }));
		valid('invoice', invoices);
		expect(invoices.map((i) => [i.number, i.orderNumber, i.clientCode])).toEqual([
			['FS/1/2026', 'B2B/2026/000101', 'K-ŚWIĘTOKRZYSKA'],
			['FS/2/2026', 'B2B/2026/000105', 'K-GDAŃSK'],
		]);
		expect(invoices[0]).toMatchObject({
			issueDate: '2026-03-12',
			currency: 'PLN',
			totals: { net: '240.00', vat: '55.20', gross: '295.20' },
			lines: [{ lineNo: 1, productCode: 'ŁÓD-001', quantity: '2', unitPrice: '120.0000', net: '240.00' }],
		});
		const all = out(
			await run({ resource: 'invoice', operation: 'getMany', cursorMode: 'all', onlyPortalOrders: false }),
		);
		expect(all.map((i) => i.number)).toEqual(['FS/1/2026', 'FS/2/2026', 'FS/3/2026']);
	});
});

describe('Optima SQL › statements', () => {
	it('only the named OPTIMA_QUERIES reach SQL Server', async () => {
		await run({ resource: 'product', operation: 'getMany', cursorMode: 'all' });
		await run({ resource: 'invoice', operation: 'getMany', cursorMode: 'all' });
		const names = new Set(Object.keys(OPTIMA_QUERIES));
		for (const s of sim.statements.filter((x) => x.via === 'rpc')) expect(names.has(String(s.query))).toBe(true);
	});
});
