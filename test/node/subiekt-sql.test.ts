/**
 * The Subiekt GT node's SQL Server and EDI++ sources through n8n-core's WorkflowExecute. The driver
 * boundary is mssql.ConnectionPool (replaced by test/node/subiekt-sql-fake.ts, answering from the recorded
 * result sets in test/fixtures/subiekt-sql); everything above it — the adapter, the guard, the typed
 * parameters, the mapping, cursors, error mapping — is the production code.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { SubiektGtSqlApi } from '../../credentials/SubiektGtSqlApi.credentials';
import { SubiektGt, subiektGtSqlConnectionTest } from '../../nodes/SubiektGt/SubiektGt.node';
import { SUBIEKT_QUERIES } from '../../nodes/SubiektGt/sql/queries';
import { describeIssues, validateRecord } from '../../nodes/shared/model/validate';
import type { EntityName } from '../../nodes/shared/model/types';
import { runNode, type RunNodeResult } from '../harness/n8n-core-harness';
import { fake } from './subiekt-sql-fake';
import { afterRecordRun } from './sap-helpers';

jest.mock('mssql', () => {
	const actual = jest.requireActual('mssql');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { FakeConnectionPool } = require('./subiekt-sql-fake');
	return { ...actual, ConnectionPool: FakeConnectionPool };
});

// eslint-disable-next-line @typescript-eslint/no-require-imports
const mssql = jest.requireActual('mssql') as typeof import('mssql');

const PASSWORD = 'Tajne-hasło-żółć-42';

const credential = (overrides: IDataObject = {}): IDataObject => ({
	server: 'sql.firma.local',
	instanceName: 'INSERTGT',
	port: 1433,
	database: 'FIRMA_ŁÓDŹ',
	user: 'n8n_czytelnik',
	password: PASSWORD,
	encrypt: true,
	trustServer: false,
	connectionTimeoutSeconds: 15,
	requestTimeoutSeconds: 60,
	...overrides,
});

async function run(
	parameters: INodeParameters,
	opts: { items?: INodeExecutionData[]; staticData?: IDataObject; continueOnFail?: boolean; cred?: IDataObject } = {},
): Promise<RunNodeResult> {
	return await runNode({
		nodeType: new SubiektGt(),
		parameters,
		inputItems: opts.items,
		staticData: opts.staticData,
		continueOnFail: opts.continueOnFail,
		credentials: {
			subiektGtSqlApi: {
				type: new SubiektGtSqlApi(),
				data: (opts.cred ?? credential()) as ICredentialDataDecryptedObject,
			},
		},
	});
}

const out = (r: RunNodeResult): IDataObject[] => (r.output?.[0] ?? []).map((i) => i.json);
const paired = (r: RunNodeResult) => (r.output?.[0] ?? []).map((i) => (i.pairedItem as { item: number }).item);
const callsOf = (name: string) => fake.calls.filter((c) => c.query === name);
const everything = (r: RunNodeResult) =>
	JSON.stringify({
		m: r.error?.message,
		d: (r.error as { description?: string } | undefined)?.description,
		c: (r.error as { cause?: unknown } | undefined)?.cause,
		run: r.runData,
		out: r.output,
	});

beforeEach(() => fake.reset());

describe('Subiekt GT SQL › connection', () => {
	it('opens one read-only pool per execution with the credential and always closes it', async () => {
		const r = await run({ resource: 'stock', operation: 'getMany', warehouseCode: '' });
		expect(r.error).toBeUndefined();
		expect(fake.configs).toHaveLength(1);
		expect(fake.configs[0]).toMatchObject({
			server: 'sql.firma.local',
			database: 'FIRMA_ŁÓDŹ',
			user: 'n8n_czytelnik',
			options: {
				readOnlyIntent: true,
				encrypt: true,
				trustServerCertificate: false,
				appName: 'n8n-nodes-erp-b2b',
				useUTC: true,
				instanceName: 'INSERTGT',
			},
		});
		expect(fake.configs[0]).not.toHaveProperty('port');
		// pooled connections are checked by their socket, not with a `SELECT 1;` round trip per acquire
		expect(fake.configs[0].validateConnection).toBe('socket');
		// the encryption guard is installed on every tedious connection (tested through the driver in
		// test/unit/subiekt-sql/adapter-simulator.test.ts)
		expect(typeof fake.configs[0].beforeConnect).toBe('function');
		expect(fake.connects).toBe(1);
		expect(fake.closes).toBe(1);
	});

	it('closes the pool when a query fails too', async () => {
		fake.queryErrors.stock = Object.assign(new mssql.RequestError('Invalid column name', 'EREQUEST'), { number: 207 });
		const r = await run({ resource: 'stock', operation: 'getMany' });
		expect(r.error?.message).toMatch(/SQL Server refused the query on database "FIRMA_ŁÓDŹ".*\(SQL error 207\)/);
		expect(fake.closes).toBe(1);
	});
});

describe('Subiekt GT SQL › retries (read-only SELECTs)', () => {
	// tedious's code for a connection that ends inside an answer (not among mssql's typed codes)
	const lost = () => new mssql.RequestError('socket hang up', 'ECONNRESET' as import('mssql').MSSQL_ERROR_CODE);
	const deadlock = () =>
		Object.assign(new mssql.RequestError('Transaction (Process ID 53) was deadlocked ...', 'EREQUEST'), {
			number: 1205,
		});

	it('a lost connection and a deadlock victim (1205) are retried; the run completes with every row', async () => {
		fake.queryErrors.products = [lost(), deadlock()];
		const r = await run({ resource: 'product', operation: 'getMany' });
		expect(r.error).toBeUndefined();
		expect(out(r).map((p) => p.code)).toEqual(['ŁÓD-001', 'ŻAG-002', 'WIO-003']);
		expect(callsOf('products')).toHaveLength(3); // 2 failed tries + 1
		expect(callsOf('products').map((c) => c.inputs.afterId.value)).toEqual([0, 0, 0]);
	});

	it('gives up after 3 retries, saying so', async () => {
		fake.queryErrors.stock = [lost(), lost(), lost(), lost(), lost()];
		const r = await run({ resource: 'stock', operation: 'getMany' });
		expect(r.error?.message).toBe(
			'Reading stock: the connection to SQL Server was lost (database "FIRMA_ŁÓDŹ" on sql.firma.local\\INSERTGT as "n8n_czytelnik") (after 3 retries)',
		);
		expect(callsOf('stock')).toHaveLength(4);
	});

	it.each([
		['permission denied (229)', () => Object.assign(new mssql.RequestError('denied', 'EREQUEST'), { number: 229 })],
		['lock request timeout (1222)', () => Object.assign(new mssql.RequestError('Lock', 'EREQUEST'), { number: 1222 })],
		['request timeout', () => new mssql.RequestError('Timeout: Request failed to complete in 60000ms', 'ETIMEOUT')],
	])('%s is not retried', async (_what, error) => {
		fake.queryErrors.stock = [error(), error()];
		const r = await run({ resource: 'stock', operation: 'getMany' });
		expect(r.error).toBeDefined();
		expect(r.error?.message).not.toMatch(/retries/);
		expect(callsOf('stock')).toHaveLength(1);
	});
});

describe('Subiekt GT SQL › products', () => {
	it('maps tw__Towar rows to products with Polish names, VAT markers and active flags', async () => {
		const r = await run({ resource: 'product', operation: 'getMany' });
		expect(r.error).toBeUndefined();
		const products = out(r);
		expect(products.map((p) => p.code)).toEqual(['ŁÓD-001', 'ŻAG-002', 'WIO-003']);
		expect(Buffer.from(String(products[0].name), 'utf8').toString('hex')).toBe(
			Buffer.from('Łódka żółta ĄĘŚ', 'utf8').toString('hex'),
		);
		expect(products[0]).toEqual({
			code: 'ŁÓD-001',
			name: 'Łódka żółta ĄĘŚ',
			description: 'Łódka wiosłowa, kolor żółty. Zażółć gęślą jaźń.',
			unit: 'szt.',
			vatRate: '23',
			active: true,
			ean: '5901234123457',
		});
		expect(products[2]).toMatchObject({ vatRate: 'zw', active: false, unit: 'para' });
		expect(paired(r)).toEqual([0, 0, 0]);
	});

	it('pages by tw_Id (keyset) with int parameters: after 0, then after the last ID of the page', async () => {
		const r = await run({ resource: 'product', operation: 'getMany', options: { pageSize: 2 } });
		expect(out(r)).toHaveLength(3);
		const calls = callsOf('products');
		expect(calls.map((c) => c.inputs.afterId.value)).toEqual([0, 102]);
		for (const c of calls) {
			expect(c.inputs.pageSize).toMatchObject({ type: 'int', value: 2 });
			expect(c.inputs.afterId.type).toBe('int');
			expect(c.sql).toBe(SUBIEKT_QUERIES.products.sql);
		}
	});

	it('asks once more when the last page is exactly full, and stops on an empty page', async () => {
		const r = await run({ resource: 'product', operation: 'getMany', options: { pageSize: 3 } });
		expect(out(r)).toHaveLength(3);
		expect(callsOf('products').map((c) => c.inputs.afterId.value)).toEqual([0, 105]);
	});

	it('stops on a row it cannot map, naming the product — or with Continue On Fail, returns it as an error item', async () => {
		fake.data.products![1] = { ...fake.data.products![1], vat_Symbol: null, vat_Stawka: null };
		const r = await run({ resource: 'product', operation: 'getMany' });
		expect(r.error?.message).toMatch(/Product tw_Symbol ŻAG-002, tw_Id 102: product has no sales VAT rate/);
		const c = await run({ resource: 'product', operation: 'getMany' }, { continueOnFail: true });
		expect(out(c).map((p) => p.code ?? p.error)).toEqual([
			'ŁÓD-001',
			expect.stringMatching(/ŻAG-002.*no sales VAT rate/),
			'WIO-003',
		]);
		expect(paired(c)).toEqual([0, 0, 0]);
	});
});

describe('Subiekt GT SQL › Output: one item per record, batches, batch files', () => {
	/** every record a read gave, whatever its form: items, batch items, or batch files (base64 in the item here) */
	const recordsOf = (r: RunNodeResult): IDataObject[] =>
		(r.output?.[0] ?? []).flatMap((i) =>
			i.binary?.records
				? (JSON.parse(Buffer.from(i.binary.records.data, 'base64').toString('utf8')) as IDataObject[])
				: Array.isArray(i.json.records)
					? (i.json.records as IDataObject[])
					: [i.json],
		);
	const reads: Array<[string, INodeParameters, string]> = [
		['product', { resource: 'product', operation: 'getMany' }, 'product'],
		['price', { resource: 'price', operation: 'getMany', includeLevels: true, includeClientPriceLists: true }, 'price'],
		['client', { resource: 'client', operation: 'getMany', cursorMode: 'all' }, 'client'],
	];

	it.each(reads)(
		'%s: the same records in the same order in all three forms, batches of "Records per Batch"',
		async (_n, params, entity) => {
			const items = await run(params);
			const batches = await run({ ...params, outputMode: 'batches', recordsPerBatch: 2 });
			const files = await run({ ...params, outputMode: 'files', recordsPerBatch: 2 });
			for (const r of [items, batches, files]) expect(r.error).toBeUndefined();
			const records = out(items);
			expect(records.length).toBeGreaterThanOrEqual(3);
			expect(records.every((j) => j.batch === undefined)).toBe(true);
			expect(recordsOf(batches)).toEqual(records);
			expect(recordsOf(files)).toEqual(records);
			const heads = Array.from({ length: Math.ceil(records.length / 2) }, (_, k) => ({
				entity,
				batch: k + 1,
				count: Math.min(2, records.length - 2 * k),
			}));
			expect(out(batches).map(({ records: _r, ...head }) => head)).toEqual(heads);
			expect(out(files)).toEqual(heads);
			expect((files.output?.[0] ?? []).map((i) => i.binary?.records.fileName)).toEqual(
				heads.map((h) => `${entity}-batch-${h.batch}.json`),
			);
			expect(paired(files)).toEqual(heads.map(() => 0));
		},
	);

	it('a row that cannot be mapped names the record and the column; with Continue On Fail an error item before the full batches', async () => {
		fake.data.products![1] = { ...fake.data.products![1], vat_Symbol: null, vat_Stawka: null };
		const params = { resource: 'product', operation: 'getMany', outputMode: 'files', recordsPerBatch: 2 };
		const r = await run(params);
		expect(r.error?.message).toBe(
			'Product tw_Symbol ŻAG-002, tw_Id 102: product has no sales VAT rate (tw_IdVatSp does not point at sl_StawkaVAT)',
		);
		const kept = await run(params, { continueOnFail: true });
		expect(out(kept)).toEqual([{ error: r.error?.message }, { entity: 'product', batch: 1, count: 2 }]);
		expect(
			recordsOf(kept)
				.slice(1)
				.map((p) => p.code),
		).toEqual(['ŁÓD-001', 'WIO-003']);
		// a client without a symbol: the client's ID and the empty column
		fake.data.clients![2] = { ...fake.data.clients![2], kh_Symbol: null };
		const c = await run({ resource: 'client', operation: 'getMany', cursorMode: 'all', outputMode: 'batches' });
		expect(c.error?.message).toMatch(/^Client kh_Id \d+: client: column kh_Symbol is empty$/);
	});
});

describe('Subiekt GT SQL › prices', () => {
	it('reads the price levels of each page of products (tw_Id range), named by tw_Parametr, NULL levels left out', async () => {
		const r = await run({ resource: 'price', operation: 'getMany', includeLevels: true, options: { pageSize: 2 } });
		expect(r.error).toBeUndefined();
		expect(out(r)).toEqual([
			{
				productCode: 'ŁÓD-001',
				scope: 'priceList',
				scopeCode: 'Detaliczna',
				currency: 'PLN',
				vatRate: '23',
				net: '121.9512',
				gross: '150.0000',
			},
			{
				productCode: 'ŁÓD-001',
				scope: 'priceList',
				scopeCode: 'Hurtowa ŻÓŁTA',
				currency: 'PLN',
				vatRate: '23',
				net: '99.9900',
				gross: '122.9877',
			},
			{
				productCode: 'ŁÓD-001',
				scope: 'priceList',
				scopeCode: '3',
				currency: 'PLN',
				vatRate: '23',
				net: '0.0001',
				gross: '0.0001',
			},
		]);
		expect(callsOf('priceLevels').map((c) => [c.inputs.afterId.value, c.inputs.upToId.value])).toEqual([
			[100, 102],
			[104, 105],
		]);
		for (const c of callsOf('priceLevels'))
			expect([c.inputs.afterId.type, c.inputs.upToId.type]).toEqual(['int', 'int']);
		expect(callsOf('clientPriceLists')).toHaveLength(0);
		expect(paired(r)).toEqual([0, 0, 0]);
	});

	it('keys levels by number and rounds to the price decimals when asked', async () => {
		const r = await run({
			resource: 'price',
			operation: 'getMany',
			options: { priceLevelKey: 'number', priceDecimals: 2 },
		});
		expect(out(r).map((p) => [p.scopeCode, p.net, p.gross])).toEqual([
			['1', '121.95', '150.00'],
			['2', '99.99', '122.99'],
			['3', '0.00', '0.00'],
		]);
	});

	it("adds individual client price lists (icen_*) as client prices, one client's only when asked (nvarchar parameter)", async () => {
		const all = await run({
			resource: 'price',
			operation: 'getMany',
			includeLevels: false,
			includeClientPriceLists: true,
		});
		expect(out(all)).toEqual([
			{
				productCode: 'ŁÓD-001',
				scope: 'client',
				scopeCode: 'K-ŚWIĘTY',
				currency: 'PLN',
				net: '109.9000',
				gross: '135.1770',
				validFrom: '2026-11-01',
				validTo: '2026-11-30',
			},
			{
				productCode: 'ŻAG-002',
				scope: 'client',
				scopeCode: 'K-ŚWIĘTY',
				currency: 'PLN',
				net: '12.3457',
				gross: '13.3334',
			},
		]);
		expect(callsOf('clientPriceLists')[0].inputs.clientCode).toMatchObject({
			type: 'nvarchar',
			length: 4000,
			value: null,
		});
		expect(callsOf('products')).toHaveLength(0);
		fake.reset();
		const one = await run({
			resource: 'price',
			operation: 'getMany',
			includeLevels: false,
			includeClientPriceLists: true,
			clientCode: 'K-ŻÓŁW',
		});
		expect(out(one)).toEqual([]);
		expect(callsOf('clientPriceLists')[0].inputs.clientCode.value).toBe('K-ŻÓŁW');
	});
});

describe('Subiekt GT SQL › stock', () => {
	it('gives on hand, reserved and available per warehouse, available never below 0', async () => {
		const before = new Date().toISOString();
		const r = await run({ resource: 'stock', operation: 'getMany' });
		// every level carries the time the read began (the portal releases confirmed holds only with later figures)
		const stamps = new Set(out(r).map((s) => s.updatedAt));
		expect(stamps.size).toBe(1);
		const [stamp] = [...stamps] as string[];
		expect(stamp >= before && stamp <= new Date().toISOString()).toBe(true);
		expect(out(r).map(({ updatedAt: _u, ...s }) => s)).toEqual([
			{ productCode: 'ŁÓD-001', warehouseCode: 'MAG', onHand: '12.5', reserved: '2.25', available: '10.25' },
			// reserved above on hand: Subiekt's available is -2, the portal gets 0 and the read counts the level
			{
				productCode: 'ŻAG-002',
				warehouseCode: 'ŹRÓ',
				onHand: '3',
				reserved: '5',
				available: '0',
				_belowZero: { available: '-2' },
			},
			{ productCode: 'WIO-003', warehouseCode: 'MAG', onHand: '0', reserved: '0', available: '0' },
		]);
		expect(Object.values(r.runData).flatMap((t) => t[0].hints ?? [])).toEqual([
			expect.objectContaining({ message: '1 stock level below zero in the ERP, sent with available 0: ŻAG-002 / ŹRÓ' }),
		]);
		expect(callsOf('stock')[0].inputs.warehouseCode).toMatchObject({ type: 'nvarchar', value: null });
	});

	it('stock sold below zero (a WZ before its PZ): on hand and available 0, the rest read, counted per batch', async () => {
		fake.data.stock = [
			...(fake.data.stock ?? []),
			{
				st_TowId: 106,
				st_MagId: 1,
				tw_Symbol: 'ŹDŹBŁO-4',
				mag_Symbol: 'MAG',
				mag_Nazwa: 'Magazyn główny Łódź',
				st_Stan: -3,
				st_StanRez: 1,
				st_Dostepne: -4,
			},
		];
		const r = await run({ resource: 'stock', operation: 'getMany', outputMode: 'batches', recordsPerBatch: 2 });
		expect(r.error).toBeUndefined();
		const items = (r.output?.[0] ?? []).map((i) => i.json);
		expect(items.map(({ records: _r, ...head }) => head)).toEqual([
			{ entity: 'stock', batch: 1, count: 2, negativeStock: 1, negativeStockLevels: ['ŻAG-002 / ŹRÓ'] },
			{ entity: 'stock', batch: 2, count: 2, negativeStock: 1, negativeStockLevels: ['ŹDŹBŁO-4 / MAG'] },
		]);
		const levels = items.flatMap((i) => i.records as IDataObject[]);
		expect(levels.map(({ updatedAt: _u, ...s }) => s)[3]).toEqual({
			productCode: 'ŹDŹBŁO-4',
			warehouseCode: 'MAG',
			onHand: '0',
			reserved: '1',
			available: '0',
			_belowZero: { onHand: '-3' },
		});
		expect(
			Object.values(r.runData)
				.flatMap((t) => t[0].hints ?? [])
				.map((h) => h.message),
		).toEqual(['2 stock levels below zero in the ERP, sent with available 0: ŻAG-002 / ŹRÓ, ŹDŹBŁO-4 / MAG']);
	});

	it('Output → Batch Files: the same levels in JSON files of "Records per Batch"; a bad row is an error item', async () => {
		const perItem = out(await run({ resource: 'stock', operation: 'getMany' }));
		const r = await run({ resource: 'stock', operation: 'getMany', outputMode: 'files', recordsPerBatch: 2 });
		expect(r.error).toBeUndefined();
		const items = r.output?.[0] ?? [];
		expect(items.map((i) => i.json)).toEqual([
			{ entity: 'stock', batch: 1, count: 2, negativeStock: 1, negativeStockLevels: ['ŻAG-002 / ŹRÓ'] },
			{ entity: 'stock', batch: 2, count: 1 },
		]);
		const records = items.flatMap(
			(i) => JSON.parse(Buffer.from(i.binary!.records.data, 'base64').toString('utf8')) as IDataObject[],
		);
		const strip = ({ updatedAt: _u, ...rest }: IDataObject) => rest;
		expect(records.map(strip)).toEqual(perItem.map(strip));
		// a row without a product symbol: named, and with Continue On Fail an error item next to the good batches
		fake.data.stock = [...(fake.data.stock ?? []), { ...fake.data.stock![0], st_TowId: 107, tw_Symbol: null }];
		const bad = await run({ resource: 'stock', operation: 'getMany', outputMode: 'files', recordsPerBatch: 2 });
		expect(bad.error?.message).toMatch(/^Stock /);
		const kept = await run(
			{ resource: 'stock', operation: 'getMany', outputMode: 'files', recordsPerBatch: 2 },
			{ continueOnFail: true },
		);
		expect(out(kept).map((j) => (j.error ? 'error' : `batch ${j.count}`))).toEqual(['error', 'batch 2', 'batch 1']);
	});

	it('pages with a keyset on (st_TowId, st_MagId): every level once, a product split over two pages, Page Size honoured', async () => {
		// 3 fixture levels + 2 more warehouses of ŁÓD-001 and 2 of a new product: 7 levels, pages of 3
		const extra = (st_TowId: number, st_MagId: number, tw_Symbol: string, mag_Symbol: string, st_Stan: number) => ({
			st_TowId,
			st_MagId,
			tw_Symbol,
			mag_Symbol,
			mag_Nazwa: `Skład ${mag_Symbol} żółw`,
			st_Stan,
			st_StanRez: 0,
			st_Dostepne: st_Stan,
		});
		fake.data.stock = [
			...(fake.data.stock ?? []),
			extra(101, 3, 'ŁÓD-001', 'GDA', 4),
			extra(101, 7, 'ŁÓD-001', 'ŚLĄ', 5),
			extra(110, 1, 'GĘŚ-110', 'MAG', 6),
			extra(110, 3, 'GĘŚ-110', 'GDA', 7),
		];
		const r = await run({
			resource: 'stock',
			operation: 'getMany',
			outputMode: 'files',
			recordsPerBatch: 4,
			options: { pageSize: 3 },
		});
		expect(r.error).toBeUndefined();
		const keys = (r.output?.[0] ?? [])
			.flatMap((i) => JSON.parse(Buffer.from(i.binary!.records.data, 'base64').toString('utf8')) as IDataObject[])
			.map((s) => `${s.productCode}@${s.warehouseCode}`);
		expect(keys).toEqual([
			'ŁÓD-001@MAG',
			'ŁÓD-001@GDA',
			'ŁÓD-001@ŚLĄ',
			'ŻAG-002@ŹRÓ',
			'WIO-003@MAG',
			'GĘŚ-110@MAG',
			'GĘŚ-110@GDA',
		]);
		expect(new Set(keys).size).toBe(7);
		// three statements: after (0, 0), after the last pair of each full page; the short third page ends the read
		expect(
			callsOf('stock').map((c) => [
				c.inputs.pageSize.value,
				c.inputs.afterProductId.value,
				c.inputs.afterWarehouseId.value,
				c.inputs.warehouseCode.value,
			]),
		).toEqual([
			[3, 0, 0, null],
			[3, 101, 7, null],
			[3, 110, 1, null],
		]);
		expect(callsOf('stock')[0].inputs).toMatchObject({
			pageSize: { type: 'int' },
			afterProductId: { type: 'int' },
			afterWarehouseId: { type: 'int' },
		});
		// the default page: one statement of 1000
		fake.calls = [];
		await run({ resource: 'stock', operation: 'getMany' });
		expect(callsOf('stock').map((c) => c.inputs.pageSize.value)).toEqual([1000]);
	});

	it('filters one warehouse by its symbol', async () => {
		const r = await run({ resource: 'stock', operation: 'getMany', warehouseCode: ' ŹRÓ ' });
		expect(out(r).map((s) => s.productCode)).toEqual(['ŻAG-002']);
		expect(callsOf('stock')[0].inputs.warehouseCode.value).toBe('ŹRÓ');
	});
});

describe('Subiekt GT SQL › warehouses', () => {
	const rows = [
		{ mag_Id: 1, mag_Symbol: 'MAG', mag_Nazwa: 'Magazyn główny Łódź', mag_Glowny: true },
		// bit as 0/1 (some drivers / versions) and a symbol padded as varchar(3) may come back
		{ mag_Id: 3, mag_Symbol: 'ŻAK', mag_Nazwa: 'Hurtownia Żółkiewskiego, Gdańsk', mag_Glowny: 0 },
		{ mag_Id: 2, mag_Symbol: 'ŹRÓ ', mag_Nazwa: null, mag_Glowny: false },
	];

	it("Warehouse → Get Many: one item per sl_Magazyn row in SAP's shape (code, name) with the main flag, in the statement's order", async () => {
		fake.data.warehouses = rows;
		const r = await run({ resource: 'warehouse', operation: 'getMany' });
		expect(r.error).toBeUndefined();
		expect(out(r)).toEqual([
			{ code: 'MAG', name: 'Magazyn główny Łódź', main: true },
			{ code: 'ŻAK', name: 'Hurtownia Żółkiewskiego, Gdańsk', main: false },
			{ code: 'ŹRÓ', name: '', main: false },
		]);
		expect(callsOf('warehouses')).toHaveLength(1);
		expect(callsOf('warehouses')[0].sql).toBe(SUBIEKT_QUERIES.warehouses.sql);
	});

	it('a row without a symbol stops the node naming its mag_Id (no password in the message)', async () => {
		fake.data.warehouses = [rows[0], { mag_Id: 7, mag_Symbol: '  ', mag_Nazwa: 'Bez symbolu', mag_Glowny: false }];
		const r = await run({ resource: 'warehouse', operation: 'getMany' });
		expect(r.error?.message).toBe('Reading warehouses (sl_Magazyn): warehouse mag_Id 7: column mag_Symbol is empty');
		expect(JSON.stringify(r.error)).not.toContain(PASSWORD);
	});

	it("the stock read's Warehouse dropdown: Every Warehouse (the empty value the template ships) first, then Subiekt's", async () => {
		fake.data.warehouses = rows;
		const { getStockWarehouses } = await import('../../nodes/SubiektGt/methods/loadOptions');
		const node = new SubiektGt();
		const ctx = {
			getCredentials: async (type: string) => {
				expect(type).toBe('subiektGtSqlApi');
				return credential();
			},
			getNode: () => ({
				id: 'n',
				name: 'Subiekt: stany',
				type: 'n8n-nodes-erp-b2b.subiektGt',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			}),
		};
		expect(await getStockWarehouses.call(ctx as never)).toEqual([
			{ name: 'Every Warehouse', value: '' },
			{ name: 'MAG – Magazyn główny Łódź (główny)', value: 'MAG' },
			{ name: 'ŻAK – Hurtownia Żółkiewskiego, Gdańsk', value: 'ŻAK' },
			{ name: 'ŹRÓ – ', value: 'ŹRÓ' },
		]);
		expect(node.methods.loadOptions.getStockWarehouses).toBe(getStockWarehouses);
		const stock = node.description.properties.find((p) => p.name === 'warehouseCode')!;
		expect(stock.typeOptions?.loadOptionsMethod).toBe('getStockWarehouses');
		// the statement runs with the SQL credential's pool, closed afterwards
		expect(fake.closes).toBe(fake.connects);
	});
});

describe('Subiekt GT SQL › clients', () => {
	it('maps clients with their main address, NIP and price level; all of them in "All" mode', async () => {
		const r = await run({ resource: 'client', operation: 'getMany', cursorMode: 'all' });
		const clients = out(r);
		expect(clients.map((c) => c.code)).toEqual(['K-ŚWIĘTY', 'K-ŻÓŁW', 'K-ŃOŹ']);
		expect(clients[0]).toMatchObject({
			name: 'Przedsiębiorstwo Święty Łukasz Gęślą Jaźń Sp. z o.o.',
			taxId: '1234563218',
			priceListCode: 'Hurtowa ŻÓŁTA',
			addresses: [
				{ type: 'billing', street: 'ul. Źródlana 12/3', postalCode: '25-001', city: 'Kielce', countryCode: 'PL' },
			],
		});
		expect(clients[1]).toMatchObject({ blocked: true, addresses: [{ countryCode: 'DE', city: 'Berlin' }] });
		expect(callsOf('clients')[0].inputs.changedSince).toMatchObject({ type: 'datetime', value: null });
		expect(paired(r)).toEqual([0, 0, 0]);
	});

	it('two-phase cursor: the newest kh_DataZmiany is pending until Record Run, then the next run asks from it', async () => {
		const first = await run({ resource: 'client', operation: 'getMany', cursorMode: 'stored' });
		expect(out(first)).toHaveLength(3);
		const cursors = (first.staticData.global as IDataObject).syncCursors as IDataObject;
		expect(cursors.subiektClients).toEqual({ pending: '2026-11-20 14:03:00' });

		// without Record Run nothing is committed: the next run reads everything again
		fake.reset();
		const again = await run(
			{ resource: 'client', operation: 'getMany', cursorMode: 'stored' },
			{ staticData: first.staticData },
		);
		expect(out(again)).toHaveLength(3);
		expect(callsOf('clients')[0].inputs.changedSince.value).toBeNull();

		fake.reset();
		const next = await run(
			{ resource: 'client', operation: 'getMany', cursorMode: 'stored' },
			{ staticData: afterRecordRun(first.staticData) },
		);
		const since = callsOf('clients')[0].inputs.changedSince;
		expect(since.type).toBe('datetime');
		// wall-clock 14:03 Subiekt time, sent through useUTC as the UTC fields
		expect((since.value as Date).toISOString()).toBe('2026-11-20T14:03:00.000Z');
		expect(out(next).map((c) => c.code)).toEqual(['K-ŚWIĘTY']);
	});

	it('"Changed Since a Time I Give" binds that time and leaves the stored cursor alone', async () => {
		const r = await run({
			resource: 'client',
			operation: 'getMany',
			cursorMode: 'explicit',
			since: '2026-11-21 00:00',
		});
		expect((callsOf('clients')[0].inputs.changedSince.value as Date).toISOString()).toBe('2026-11-21T00:00:00.000Z');
		expect(out(r)).toEqual([]);
		expect(((r.staticData.global ?? {}) as IDataObject).syncCursors).toBeUndefined();
	});

	it.each([
		// winter (CET, +01:00): 13:03Z is 14:03 in Warsaw — binding the instant's UTC fields would be an hour early
		['2026-11-20T13:03:00Z', 'Europe/Warsaw', '2026-11-20T14:03:00.000Z'],
		['2026-11-20T14:03:00.000+01:00', 'Europe/Warsaw', '2026-11-20T14:03:00.000Z'],
		// summer (CEST, +02:00)
		['2026-07-01T08:15:30Z', 'Europe/Warsaw', '2026-07-01T10:15:30.000Z'],
		['2026-11-20T13:03:00Z', 'Europe/London', '2026-11-20T13:03:00.000Z'],
	])('"Changed Since" %s (an instant) is bound as the wall clock of %s', async (since, timeZone, bound) => {
		await run({ resource: 'client', operation: 'getMany', cursorMode: 'explicit', since, options: { timeZone } });
		expect((callsOf('clients')[0].inputs.changedSince.value as Date).toISOString()).toBe(bound);
	});

	it('invoices: an instant in "Changed Since" is bound as Warsaw wall clock too', async () => {
		await run({
			resource: 'invoice',
			operation: 'getMany',
			cursorMode: 'explicit',
			since: '2026-11-27T23:30:00Z',
			onlyPortalOrders: false,
		});
		expect((callsOf('invoices')[0].inputs.issuedFrom.value as Date).toISOString()).toBe('2026-11-28T00:30:00.000Z');
	});

	it('an unknown time zone with an instant is a clear error', async () => {
		const r = await run({
			resource: 'client',
			operation: 'getMany',
			cursorMode: 'explicit',
			since: '2026-11-20T13:03:00Z',
			options: { timeZone: 'Europe/Łódź' },
		});
		expect(r.error?.message).toBe('Unknown time zone "Europe/Łódź"');
		expect(callsOf('clients')).toHaveLength(0);
	});
});

describe('Subiekt GT SQL › order status', () => {
	const items = ['B2B/2026/000042', 'B2B/2026/000043', 'B2B/2026/999999'].map((orderNumber) => ({
		json: { orderNumber },
	}));

	it('finds the ZK by dok_NrPelnyOryg (nvarchar) and follows it to the invoice; one status per input item', async () => {
		const r = await run({ resource: 'orderStatus', operation: 'get' }, { items });
		expect(r.error).toBeUndefined();
		expect(out(r)).toEqual([
			{
				orderNumber: 'B2B/2026/000042',
				status: 'invoiced',
				changedAt: '2026-11-27T08:30:00+01:00',
				erpDocumentNumber: 'FS 101/11/2026',
			},
			{
				orderNumber: 'B2B/2026/000043',
				status: 'confirmed',
				changedAt: '2026-07-15T09:00:00+02:00',
				erpDocumentNumber: 'ZK 16/07/2026',
			},
			{ orderNumber: 'B2B/2026/999999', status: 'placed', notInErp: true },
		]);
		expect(paired(r)).toEqual([0, 1, 2]);
		expect(callsOf('orderByNumber').map((c) => c.inputs.orderNumber)).toEqual(
			items.map((i) => ({ name: 'orderNumber', type: 'nvarchar', length: 4000, value: i.json.orderNumber })),
		);
		expect(fake.configs).toHaveLength(1);
	});

	it('an empty order number is an error of that item; Continue On Fail keeps the others', async () => {
		const withEmpty = [items[0], { json: { orderNumber: '' } }, items[1]];
		const stop = await run({ resource: 'orderStatus', operation: 'get' }, { items: withEmpty });
		expect(stop.error?.message).toMatch(/Item 1: the portal order number is empty/);
		const r = await run({ resource: 'orderStatus', operation: 'get' }, { items: withEmpty, continueOnFail: true });
		expect(out(r).map((s) => s.status ?? s.error)).toEqual(['invoiced', expect.stringMatching(/empty/), 'confirmed']);
		expect(paired(r)).toEqual([0, 1, 2]);
	});
});

describe('Subiekt GT SQL › invoices', () => {
	it('reads invoices of portal orders with totals rounded, all issued since 1900 in "All" mode', async () => {
		const r = await run({ resource: 'invoice', operation: 'getMany', cursorMode: 'all' });
		expect(out(r)).toEqual([
			{
				number: 'FS 101/11/2026',
				clientCode: 'K-ŚWIĘTY',
				issueDate: '2026-11-27',
				currency: 'PLN',
				totals: { net: '1234.57', vat: '283.95', gross: '1518.52' },
				dueDate: '2026-12-11',
				orderNumber: 'B2B/2026/000042',
			},
		]);
		const call = callsOf('invoices')[0];
		expect(call.inputs.issuedFrom.type).toBe('datetime');
		expect((call.inputs.issuedFrom.value as Date).toISOString()).toBe('1900-01-01T00:00:00.000Z');
	});

	it('with "only portal orders" off passes every FS; pages by dok_Id', async () => {
		const r = await run({
			resource: 'invoice',
			operation: 'getMany',
			cursorMode: 'all',
			onlyPortalOrders: false,
			options: { pageSize: 1 },
		});
		expect(out(r).map((i) => i.number)).toEqual(['FS 101/11/2026', 'FS 102/11/2026']);
		expect(out(r)[1]).toMatchObject({ currency: 'PLN', totals: { net: '0.01', vat: '0.00', gross: '0.01' } });
		expect(callsOf('invoices').map((c) => c.inputs.afterId.value)).toEqual([0, 6001, 6002]);
	});

	it('two-phase cursor on dok_DataWyst: committed by Record Run, then only invoices issued since', async () => {
		const first = await run({
			resource: 'invoice',
			operation: 'getMany',
			cursorMode: 'stored',
			onlyPortalOrders: false,
		});
		expect(((first.staticData.global as IDataObject).syncCursors as IDataObject).subiektInvoices).toEqual({
			pending: '2026-11-28 00:00:00',
		});
		fake.reset();
		const next = await run(
			{ resource: 'invoice', operation: 'getMany', cursorMode: 'stored', onlyPortalOrders: false },
			{ staticData: afterRecordRun(first.staticData) },
		);
		expect((callsOf('invoices')[0].inputs.issuedFrom.value as Date).toISOString()).toBe('2026-11-28T00:00:00.000Z');
		expect(out(next).map((i) => i.number)).toEqual(['FS 102/11/2026']);
	});
});

describe('Subiekt GT SQL › canonical model', () => {
	it.each([
		['product', { resource: 'product', operation: 'getMany' }],
		['price', { resource: 'price', operation: 'getMany', includeClientPriceLists: true }],
		['stock', { resource: 'stock', operation: 'getMany' }],
		['client', { resource: 'client', operation: 'getMany', cursorMode: 'all' }],
		['invoice', { resource: 'invoice', operation: 'getMany', cursorMode: 'all', onlyPortalOrders: false }],
	] as Array<[EntityName, INodeParameters]>)(
		'every %s record the node emits passes the canonical validation',
		async (entity, params) => {
			const records = out(await run(params));
			expect(records.length).toBeGreaterThan(0);
			for (const rec of records) {
				const result = validateRecord(entity, rec);
				expect(result.ok ? 'valid' : describeIssues(entity, result)).toBe('valid');
			}
		},
	);
});

describe('Subiekt GT SQL › guard', () => {
	it('refuses a tampered statement before anything reaches the server', async () => {
		const original = SUBIEKT_QUERIES.stock.sql;
		try {
			(SUBIEKT_QUERIES.stock as { sql: string }).sql = `${original};\nDROP TABLE dbo.tw_Stan`;
			const r = await run({ resource: 'stock', operation: 'getMany' });
			expect(r.error?.message).toMatch(/refused by the read-only guard: ";" at offset \d+ is followed by more SQL/);
			expect(fake.calls).toHaveLength(0);
			(SUBIEKT_QUERIES.stock as { sql: string }).sql = original.replace('SELECT', 'SELECT @extra AS x,');
			const r2 = await run({ resource: 'stock', operation: 'getMany' });
			expect(r2.error?.message).toMatch(/no value for @extra/);
			expect(fake.calls).toHaveLength(0);
		} finally {
			(SUBIEKT_QUERIES.stock as { sql: string }).sql = original;
		}
	});
});

describe('Subiekt GT SQL › errors (never the password)', () => {
	const connectCases: Array<[string, Error, RegExp]> = [
		[
			'ELOGIN',
			new mssql.ConnectionError(`Login failed for user 'n8n_czytelnik'. (password ${PASSWORD})`, 'ELOGIN'),
			/login failed for user "n8n_czytelnik" to database "FIRMA_ŁÓDŹ" on sql\.firma\.local\\INSERTGT/,
		],
		[
			'ESOCKET',
			new mssql.ConnectionError('Failed to connect to sql.firma.local:1433 - ECONNREFUSED', 'ESOCKET'),
			/cannot reach SQL Server for database "FIRMA_ŁÓDŹ" on sql\.firma\.local\\INSERTGT as "n8n_czytelnik"/,
		],
		[
			'ETIMEOUT',
			new mssql.ConnectionError('Failed to connect in 15000ms', 'ETIMEOUT'),
			/SQL Server did not answer in time \(database "FIRMA_ŁÓDŹ"/,
		],
		[
			'EINSTLOOKUP',
			new mssql.ConnectionError('Failed to get response from SQL Server Browser', 'EINSTLOOKUP'),
			/instance "INSERTGT" not found on sql\.firma\.local/,
		],
	];

	it.each(connectCases)('%s at connect', async (_code, error, message) => {
		fake.connectError = error;
		const r = await run({ resource: 'product', operation: 'getMany' });
		expect(r.error?.message).toMatch(message);
		expect(r.error?.constructor.name).toBe('NodeApiError');
		expect(everything(r)).not.toContain(PASSWORD);
		expect(fake.calls).toHaveLength(0);
	});

	it('SQL error 208 (no such table) says the database is not a Subiekt GT database', async () => {
		fake.queryErrors.products = Object.assign(
			new mssql.RequestError("Invalid object name 'dbo.tw__Towar'.", 'EREQUEST'),
			{
				number: 208,
			},
		);
		const r = await run({ resource: 'product', operation: 'getMany' });
		expect(r.error?.message).toMatch(/Reading products: database "FIRMA_ŁÓDŹ" is not a Subiekt GT database/);
	});

	it('SQL error 229 (permission denied) names the user', async () => {
		fake.queryErrors.stock = Object.assign(new mssql.RequestError('The SELECT permission was denied', 'EREQUEST'), {
			number: 229,
		});
		const r = await run({ resource: 'stock', operation: 'getMany' });
		expect(r.error?.message).toMatch(/user "n8n_czytelnik" may not read database "FIRMA_ŁÓDŹ"/);
	});

	it('a request timeout names the operation; with Continue On Fail it becomes an error item', async () => {
		fake.queryErrors.invoices = new mssql.RequestError('Timeout: Request failed to complete in 60000ms', 'ETIMEOUT');
		const r = await run({ resource: 'invoice', operation: 'getMany', cursorMode: 'stored' }, { continueOnFail: true });
		expect(out(r)).toHaveLength(1);
		// a failed read records no pending position
		expect(((r.staticData.global ?? {}) as IDataObject).syncCursors).toBeUndefined();
		expect(String(out(r)[0].error)).toMatch(/Reading invoices: SQL Server did not answer in time/);
		expect(paired(r)).toEqual([0]);
		expect(everything(r)).not.toContain(PASSWORD);
	});

	it('no connection for Order Status with Continue On Fail: one error item per input item', async () => {
		fake.connectError = new mssql.ConnectionError('Failed to connect', 'ESOCKET');
		const items = [{ json: { orderNumber: 'A' } }, { json: { orderNumber: 'B' } }];
		const r = await run({ resource: 'orderStatus', operation: 'get' }, { items, continueOnFail: true });
		expect(out(r).map((o) => o.error)).toEqual([
			expect.stringMatching(/^Connecting: cannot reach SQL Server/),
			expect.stringMatching(/^Connecting: cannot reach SQL Server/),
		]);
		expect(paired(r)).toEqual([0, 1]);
	});

	it('an empty server in the credential is a clear error, not a driver crash', async () => {
		const r = await run({ resource: 'stock', operation: 'getMany' }, { cred: credential({ server: ' ' }) });
		expect(r.error?.message).toBe('The Subiekt GT SQL credential has no Server');
		expect(fake.configs).toHaveLength(0);
	});
});

describe('Subiekt GT SQL › credential test', () => {
	const test = (data: IDataObject) =>
		subiektGtSqlConnectionTest.call({} as never, {
			id: '1',
			name: 'Subiekt',
			type: 'subiektGtSqlApi',
			data: data as ICredentialDataDecryptedObject,
		});

	it('connects, reads tw_Parametr through the guard and closes', async () => {
		const r = await test(credential());
		expect(r).toEqual({
			status: 'OK',
			message:
				'Connected: database "FIRMA_ŁÓDŹ" on sql.firma.local\\INSERTGT as "n8n_czytelnik" is a Subiekt GT database',
		});
		expect(fake.calls.map((c) => c.query)).toEqual(['checkSubiekt']);
		expect(fake.closes).toBe(1);
	});

	it('says when the database is not Subiekt GT', async () => {
		fake.queryErrors.checkSubiekt = Object.assign(
			new mssql.RequestError("Invalid object name 'dbo.tw_Parametr'.", 'EREQUEST'),
			{ number: 208 },
		);
		const r = await test(credential({ database: 'master' }));
		expect(r.status).toBe('Error');
		expect(r.message).toMatch(/^Checking the Subiekt database: database "master" is not a Subiekt GT database/);
	});

	it('says whose login failed, never the password', async () => {
		fake.connectError = new mssql.ConnectionError(`Login failed for user 'sa' ${PASSWORD}`, 'ELOGIN');
		const r = await test(credential({ user: 'sa', instanceName: '', port: 14330 }));
		expect(r.message).toMatch(/login failed for user "sa" to database "FIRMA_ŁÓDŹ" on sql\.firma\.local:14330/);
		expect(JSON.stringify(r)).not.toContain(PASSWORD);
	});
});

describe('Subiekt GT › EDI++ export file', () => {
	const EPP = path.join(__dirname, '../fixtures/epp');
	const fileItem = (name: string) => ({
		json: {},
		binary: {
			data: {
				data: readFileSync(path.join(EPP, name)).toString('base64'),
				mimeType: 'application/octet-stream',
				fileName: name,
			},
		},
	});

	it.each(['golden-1.05-cp1250.epp', 'golden-1.05-cp852.epp'])(
		'%s → products, prices and clients without a SQL connection',
		async (name) => {
			const products = await run({ resource: 'eppFile', operation: 'readProducts' }, { items: [fileItem(name)] });
			expect(products.error).toBeUndefined();
			expect(out(products).map((p) => p.code)).toEqual(['ŁÓD-001', 'WIE-002', 'ŹRÓ-003', 'USŁ-004']);
			const prices = await run(
				{ resource: 'eppFile', operation: 'readPrices', defaultCurrency: 'PLN' },
				{ items: [fileItem(name)] },
			);
			expect(out(prices).map((p) => [p.productCode, p.scopeCode, p.gross])).toEqual([
				['ŁÓD-001', 'Detaliczna', '123.00'],
				['ŁÓD-001', 'Hurtowa', '100.00'],
				['WIE-002', 'Hurtowa', '13.33'],
				['ŹRÓ-003', 'Hurtowa', '7.50'],
			]);
			const clients = await run({ resource: 'eppFile', operation: 'readClients' }, { items: [fileItem(name)] });
			expect(out(clients)[0]).toMatchObject({ code: 'ŻÓŁW', name: 'Przedsiębiorstwo "Żółw", Sp. z o.o. ĄĆĘŁŃÓŚŹŻ' });
			expect(fake.configs).toHaveLength(0);
		},
	);

	it('a broken file gives nothing of that file; with Continue On Fail an error item paired to it, other files still read', async () => {
		const broken = {
			json: {},
			binary: {
				data: {
					data: Buffer.from('[INFO]\r\n"1.05",3\r\n', 'latin1').toString('base64'),
					mimeType: 'x',
					fileName: 'zły.epp',
				},
			},
		};
		const stop = await run(
			{ resource: 'eppFile', operation: 'readProducts' },
			{ items: [fileItem('golden-1.05-cp1250.epp'), broken] },
		);
		expect(stop.error?.message).toMatch(/zły\.epp/);
		const r = await run(
			{ resource: 'eppFile', operation: 'readProducts' },
			{ items: [broken, fileItem('golden-1.05-cp1250.epp')], continueOnFail: true },
		);
		const o = out(r);
		expect(o[0].error).toMatch(/zły\.epp/);
		expect(o.slice(1).map((p) => p.code)).toEqual(['ŁÓD-001', 'WIE-002', 'ŹRÓ-003', 'USŁ-004']);
		expect(paired(r)).toEqual([0, 1, 1, 1, 1]);
	});

	it('a file over "Max File Size (MB)" is refused naming file and limit, and nothing of it is read', async () => {
		const big = {
			json: {},
			binary: {
				data: {
					data: Buffer.concat([Buffer.from('[INFO]\r\n', 'latin1'), Buffer.alloc(2 * 1024 * 1024, 0x20)]).toString(
						'base64',
					),
					mimeType: 'application/octet-stream',
					fileName: 'ogromny.epp',
				},
			},
		};
		const r = await run(
			{ resource: 'eppFile', operation: 'readProducts', options: { maxFileSizeMb: 1 } },
			{ items: [big] },
		);
		expect(r.error?.message).toMatch(/^ogromny\.epp: the file has 2\.0 MB, more than the limit of 1 MB/);
		// the default (50 MB) reads the golden file as before
		const ok = await run(
			{ resource: 'eppFile', operation: 'readProducts' },
			{ items: [fileItem('golden-1.05-cp1250.epp')] },
		);
		expect(ok.error).toBeUndefined();
	});
});
