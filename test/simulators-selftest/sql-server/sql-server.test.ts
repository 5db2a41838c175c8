/**
 * The SQL Server simulator driven through the real `mssql` driver (tedious underneath): login with
 * ReadOnlyIntent, every SUBIEKT_QUERIES statement bound with bindParameters and the proper mssql types,
 * the value types mapping.ts expects, keyset paging, refusals and faults — and one server hosting two
 * databases of different schema plug-ins, each answering only its own statements.
 */
import sql from 'mssql';
import { bindParameters } from '../../../nodes/shared/sql/guard';
import {
	rowToClient,
	rowToClientPrice,
	rowToInvoice,
	rowToLevelPrice,
	rowToOrderStatus,
	rowToProduct,
	rowToStock,
} from '../../../nodes/SubiektGt/sql/mapping';
import { SUBIEKT_QUERIES, type SubiektQueryName } from '../../../nodes/SubiektGt/sql/queries';
import { zonedWallClock } from '../../../nodes/shared/time';
import { addGeneratedProducts, seedDatabase } from '../../simulators/sql-server/subiekt/data';
import { DEFAULT_DATABASE, DEFAULT_USER, SqlServerSimulator } from '../../simulators/sql-server/server';
import { col, matchExact, vc, type SqlSchema } from '../../simulators/sql-server/common';
import { subiektSchema } from '../../simulators/sql-server/subiekt';

const TYPES = { int: sql.Int, nvarchar: sql.NVarChar, datetime: sql.DateTime } as const;

function config(port: number, over: Partial<sql.config> = {}, options: Record<string, unknown> = {}): sql.config {
	return {
		server: '127.0.0.1',
		port,
		user: DEFAULT_USER.user,
		password: DEFAULT_USER.password,
		database: DEFAULT_DATABASE,
		connectionTimeout: 5000,
		requestTimeout: 5000,
		pool: { max: 2, min: 0 },
		options: { encrypt: false, readOnlyIntent: true, appName: 'n8n-nodes-erp-b2b Subiekt GT', ...options },
		...over,
	};
}

/** what the pack's adapter does: bindParameters, then request.input(name, type from SUBIEKT_QUERIES, value) */
async function run(pool: sql.ConnectionPool, name: SubiektQueryName, values: Record<string, unknown>) {
	const q = SUBIEKT_QUERIES[name];
	const request = pool.request();
	for (const p of bindParameters(q.sql, values)) {
		const def = (q.params as Record<string, { type: keyof typeof TYPES }>)[p.name];
		request.input(p.name, TYPES[def.type], p.value);
	}
	const result = await request.query(q.sql);
	return result.recordset as Array<Record<string, unknown>>;
}

describe('Subiekt SQL simulator through mssql/tedious', () => {
	let sim: SqlServerSimulator;
	let pool: sql.ConnectionPool;

	beforeAll(async () => {
		sim = new SqlServerSimulator();
		await sim.start();
		pool = await new sql.ConnectionPool(config(sim.port)).connect();
	});
	afterAll(async () => {
		await pool?.close();
		await sim?.stop();
	});

	test('login is recorded with user, database, app name and ReadOnlyIntent — never the password', () => {
		const login = sim.logins.find((l) => l.accepted);
		expect(login).toMatchObject({
			user: DEFAULT_USER.user,
			database: DEFAULT_DATABASE,
			readOnlyIntent: true,
			appName: 'n8n-nodes-erp-b2b Subiekt GT',
		});
		expect(JSON.stringify(sim.logins)).not.toContain(DEFAULT_USER.password);
	});

	test('products: int, varchar (code page 1250) with Polish letters, bit as boolean, money as number', async () => {
		const rows = await run(pool, 'products', { pageSize: 100, afterId: 0 });
		expect(rows.map((r) => r.tw_Id)).toEqual([101, 102, 105]); // 103 is deleted
		expect(rows[0]).toEqual({
			tw_Id: 101,
			tw_Symbol: 'ŁÓD-001',
			tw_Nazwa: 'Łódka żółta ĄĘŚ',
			tw_Opis: 'Łódka wiosłowa, kolor żółty. Zażółć gęślą jaźń.',
			tw_JednMiary: 'szt.',
			tw_PodstKodKresk: '5901234123457',
			tw_Zablokowany: false,
			tw_SklepInternet: true,
			vat_Symbol: '23',
			vat_Stawka: 23,
		});
		expect(rows[2]).toMatchObject({ tw_Nazwa: 'Wiosło ą ć ę ł ń ó ś ź ż', tw_Opis: null, tw_Zablokowany: true });
		expect(rows.map(rowToProduct)).toEqual([
			expect.objectContaining({ code: 'ŁÓD-001', vatRate: '23', active: true, ean: '5901234123457' }),
			expect.objectContaining({ code: 'ŻAG-002', name: 'Żagiel źrebięcy ćma ŃÓŹ', unit: 'kpl.', vatRate: '8' }),
			expect.objectContaining({ code: 'WIO-003', vatRate: 'zw', active: false }),
		]);
		const stmt = sim.statements.find((s) => s.query === 'products')!;
		expect(stmt.via).toBe('rpc');
		expect(stmt.params.map((p) => [p.name, p.typeName, p.value])).toEqual([
			['@pageSize', 'intn', 100],
			['@afterId', 'intn', 0],
		]);
	});

	test('price levels: 10 rows per product, names from tw_Parametr, money keeps 4 decimals', async () => {
		const rows = await run(pool, 'priceLevels', { afterId: 0, upToId: 102 });
		expect(rows).toHaveLength(20);
		expect(rows[1]).toEqual({
			tw_Symbol: 'ŁÓD-001',
			poziom: 2,
			nazwa_ceny: 'Hurtowa ŻÓŁTA',
			cena_netto: 99.99,
			cena_brutto: 122.9877,
			vat_Symbol: '23',
			vat_Stawka: 23,
		});
		const prices = rows.map((r) => rowToLevelPrice(r)).filter(Boolean);
		expect(prices).toContainEqual(
			expect.objectContaining({ productCode: 'ŻAG-002', scopeCode: 'Detaliczna', net: '12.3457', gross: '13.3334' }),
		);
		expect(prices).toHaveLength(4); // ŁÓD-001 levels 1..3, ŻAG-002 level 1; NULL levels are skipped
	});

	test('client price lists: NULL = every client, a code filters (case-insensitive like Polish_CI_AS)', async () => {
		const all = await run(pool, 'clientPriceLists', { clientCode: null });
		expect(all.map((r) => `${r.kh_Symbol}|${r.tw_Symbol}|${r.icen_Id}`)).toEqual([
			'K-ŚWIĘTY|ŁÓD-001|7',
			'K-ŚWIĘTY|ŻAG-002|7',
			'K-ŻÓŁW|WIO-003|9',
		]);
		expect(all[0].icen_Od).toBeInstanceOf(Date);
		expect(all[0].icen_OgraniczonaCzasowo).toBe(true);
		const one = await run(pool, 'clientPriceLists', { clientCode: 'k-żółw' });
		expect(one).toHaveLength(1);
		expect(rowToClientPrice(all[0])).toEqual({
			productCode: 'ŁÓD-001',
			scope: 'client',
			scopeCode: 'K-ŚWIĘTY',
			currency: 'PLN',
			net: '109.9000',
			gross: '135.1770',
			validFrom: '2026-11-01',
			validTo: '2026-11-30',
		});
		expect(rowToClientPrice(one[0])).toMatchObject({ currency: 'EUR', net: '9.5000' });
	});

	test('stock: money quantities, available = on hand − reserved (may be negative in SQL, clamped by mapping)', async () => {
		const rows = await run(pool, 'stock', {
			pageSize: 1000,
			afterProductId: 0,
			afterWarehouseId: 0,
			warehouseCode: null,
		});
		// ordered by the keyset (st_TowId, st_MagId), not by symbol
		expect(rows.map((r) => `${r.tw_Symbol}@${r.mag_Symbol}`)).toEqual([
			'ŁÓD-001@MAG',
			'ŁÓD-001@ŹRÓ',
			'ŻAG-002@ŹRÓ',
			'WIO-003@MAG',
		]);
		expect(rows.map((r) => [r.st_TowId, r.st_MagId])).toEqual([
			[101, 1],
			[101, 2],
			[102, 2],
			[105, 1],
		]);
		expect(rows[1].st_Stan).toBe(0.3333);
		const zag = rows[2];
		expect(zag).toMatchObject({ mag_Nazwa: 'Skład Źródło ćma', st_Stan: 3, st_StanRez: 5, st_Dostepne: -2 });
		expect(rowToStock(zag)).toEqual({
			productCode: 'ŻAG-002',
			warehouseCode: 'ŹRÓ',
			onHand: '3',
			reserved: '5',
			available: '0',
			_belowZero: { available: '-2' },
		});
		const filtered = await run(pool, 'stock', {
			pageSize: 1000,
			afterProductId: 0,
			afterWarehouseId: 0,
			warehouseCode: 'źró',
		});
		expect(filtered.map((r) => r.tw_Symbol)).toEqual(['ŁÓD-001', 'ŻAG-002']);
	});

	test('stock keyset: TOP (@pageSize) after the pair (@afterProductId, @afterWarehouseId); NULL keys give no rows', async () => {
		const page = (pageSize: number, afterProductId: number | null, afterWarehouseId: number | null) =>
			run(pool, 'stock', { pageSize, afterProductId, afterWarehouseId, warehouseCode: null });
		const pair = (rows: Array<Record<string, unknown>>) => rows.map((r) => `${r.st_TowId}/${r.st_MagId}`);
		expect(pair(await page(2, 0, 0))).toEqual(['101/1', '101/2']);
		// the same product, a later warehouse: the second warehouse of 101 is not read again, none is skipped
		expect(pair(await page(2, 101, 1))).toEqual(['101/2', '102/2']);
		expect(pair(await page(2, 101, 2))).toEqual(['102/2', '105/1']);
		expect(pair(await page(2, 105, 1))).toEqual([]);
		expect(pair(await page(2, null, 0))).toEqual([]);
	});

	test('clients: main address only, price level name, datetime as Date holding the wall clock', async () => {
		const rows = await run(pool, 'clients', { pageSize: 10, afterId: 0, changedSince: null });
		expect(rows.map((r) => r.kh_Id)).toEqual([11, 12, 13]);
		expect(rows[0].kh_DataZmiany).toEqual(new Date('2026-11-20T14:03:00.000Z'));
		expect(rows[0]).toMatchObject({ kh_CenaNazwa: 'Hurtowa ŻÓŁTA', adr_Ulica: 'ul. Źródlana', pa_KodPanstwaISO: 'PL' });
		expect(rows[2]).toMatchObject({ kh_Symbol: 'K-ŃOŹ', kh_Cena: null, adr_Nazwa: null });
		const clients = rows.map((r) => rowToClient(r));
		expect(clients[0]).toMatchObject({
			code: 'K-ŚWIĘTY',
			name: 'Przedsiębiorstwo Święty Łukasz Gęślą Jaźń Sp. z o.o.',
			taxId: '1234563218',
			priceListCode: 'Hurtowa ŻÓŁTA',
			addresses: [expect.objectContaining({ street: 'ul. Źródlana 12/3', city: 'Kielce', countryCode: 'PL' })],
		});
		expect(clients[1]).toMatchObject({ code: 'K-ŻÓŁW', blocked: true });
		const since = await run(pool, 'clients', {
			pageSize: 10,
			afterId: 0,
			changedSince: new Date('2026-11-20T14:03:00.000Z'),
		});
		expect(since.map((r) => r.kh_Id)).toEqual([11]);
		const later = await run(pool, 'clients', {
			pageSize: 10,
			afterId: 0,
			changedSince: new Date('2026-11-20T14:03:01.000Z'),
		});
		expect(later).toEqual([]);
	});

	test('datetime parameters compare with the wall clock: an instant must be turned into Warsaw wall-clock fields first', async () => {
		// kh_DataZmiany of K-ŚWIĘTY is 2026-11-20 14:03 (Warsaw, stored without a zone)
		const instant = new Date('2026-11-20T14:30:00+01:00'); // after the change, in real time
		const naive = await run(pool, 'clients', { pageSize: 10, afterId: 0, changedSince: instant });
		expect(naive.map((r) => r.kh_Id)).toEqual([11]); // 13:30Z sent as 13:30 wall clock: one hour too early
		const w = zonedWallClock(instant.getTime(), 'Europe/Warsaw');
		const wall = new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second));
		expect(await run(pool, 'clients', { pageSize: 10, afterId: 0, changedSince: wall })).toEqual([]);
		const stmt = sim.statements.filter((s) => s.query === 'clients').at(-1)!;
		expect(stmt.params.find((p) => p.name === '@changedSince')).toMatchObject({ typeName: 'datetimen', value: wall });
	});

	test('order by number: ZK with the FS made from it (both dok_DoDokId directions), or none', async () => {
		const invoiced = await run(pool, 'orderByNumber', { orderNumber: 'B2B/2026/000042' });
		expect(invoiced).toHaveLength(1);
		expect(invoiced[0]).toMatchObject({ dok_Id: 5002, fs_Id: 6001, fs_NrPelny: 'FS 101/11/2026' });
		expect(rowToOrderStatus(invoiced[0])).toEqual({
			orderNumber: 'B2B/2026/000042',
			status: 'invoiced',
			changedAt: '2026-11-27T08:30:00+01:00',
			erpDocumentNumber: 'FS 101/11/2026',
		});
		const reverse = await run(pool, 'orderByNumber', { orderNumber: 'B2B/2026/000044' });
		expect(reverse[0]).toMatchObject({ dok_DoDokId: 6003, fs_Id: 6003 });
		const open = await run(pool, 'orderByNumber', { orderNumber: 'B2B/2026/000043' });
		expect(open[0]).toMatchObject({ fs_Id: null }); // the WZ pointing at it is not an invoice
		expect(rowToOrderStatus(open[0])).toMatchObject({ status: 'confirmed', changedAt: '2026-11-26T23:59:59+01:00' });
		expect(await run(pool, 'orderByNumber', { orderNumber: 'B2B/nie-ma' })).toEqual([]);
	});

	test('invoices since a date: keyset by dok_Id, client via payer or receiver, ZK original number', async () => {
		const rows = await run(pool, 'invoices', {
			pageSize: 10,
			afterId: 0,
			issuedFrom: new Date('2026-11-01T00:00:00Z'),
		});
		expect(rows.map((r) => r.dok_Id)).toEqual([6001, 6002]);
		const invoices = rows.map((r) => rowToInvoice(r));
		expect(invoices[0]).toEqual({
			number: 'FS 101/11/2026',
			clientCode: 'K-ŚWIĘTY',
			issueDate: '2026-11-27',
			dueDate: '2026-12-11',
			currency: 'PLN',
			totals: { net: '1234.57', vat: '283.95', gross: '1518.52' },
			orderNumber: 'B2B/2026/000042',
		});
		expect(rows[1].dok_Waluta).toBe('   '); // char(3): an empty currency comes back as three spaces
		expect(invoices[1]).toMatchObject({
			clientCode: 'K-ŻÓŁW',
			currency: 'PLN',
			totals: { net: '0.01', vat: '0.00', gross: '0.01' },
		});
		const older = await run(pool, 'invoices', {
			pageSize: 10,
			afterId: 0,
			issuedFrom: new Date('2026-10-01T00:00:00Z'),
		});
		expect(older.map((r) => r.dok_Id)).toEqual([6001, 6002, 6003]);
		expect(older[2].zk_NrPelnyOryg).toBe('B2B/2026/000044');
		const page = await run(pool, 'invoices', {
			pageSize: 1,
			afterId: 6001,
			issuedFrom: new Date('2026-10-01T00:00:00Z'),
		});
		expect(page.map((r) => r.dok_Id)).toEqual([6002]);
	});

	test('a write is refused with 229 (db_datareader), an unknown table with 208, any other SELECT with an error', async () => {
		const write = await pool
			.request()
			.query("UPDATE dbo.tw__Towar SET tw_Nazwa = N'Źle' WHERE tw_Id = 101")
			.catch((e) => e);
		expect(write).toBeInstanceOf(sql.RequestError);
		expect(write.number).toBe(229);
		expect(write.message).toBe(
			`The UPDATE permission was denied on the object 'tw__Towar', database '${DEFAULT_DATABASE}', schema 'dbo'.`,
		);
		// the same through a plain SQL batch (request.batch), and DDL
		const batchWrite = await pool
			.request()
			.batch('DELETE FROM dbo.dok__Dokument')
			.catch((e) => e);
		expect(batchWrite.number).toBe(229);
		expect(batchWrite.message).toMatch(/^The DELETE permission was denied on the object 'dok__Dokument'/);
		expect(
			(
				await pool
					.request()
					.batch('CREATE TABLE dbo.zła (id int)')
					.catch((e) => e)
			).number,
		).toBe(262);
		expect(
			(
				await pool
					.request()
					.batch('DROP TABLE dbo.tw__Towar')
					.catch((e) => e)
			).number,
		).toBe(1088);
		const exec = await pool
			.request()
			.query('EXEC dbo.sp_zmien_cene 1')
			.catch((e) => e);
		expect(exec.number).toBe(229);
		const unknown = await pool
			.request()
			.query('SELECT * FROM dbo.tw_Nieistniejaca')
			.catch((e) => e);
		expect(unknown.number).toBe(208);
		expect(unknown.message).toBe("Invalid object name 'dbo.tw_Nieistniejaca'.");
		const other = await pool
			.request()
			.query('SELECT tw_Id FROM dbo.tw__Towar')
			.catch((e) => e);
		expect(other).toBeInstanceOf(sql.RequestError);
		expect(other.number).toBe(50000);
		// a statement differing by one space is not the reviewed statement
		const altered = await pool
			.request()
			.input('pageSize', sql.Int, 5)
			.input('afterId', sql.Int, 0)
			.query(SUBIEKT_QUERIES.products.sql.replace('TOP (@pageSize)', 'TOP  (@pageSize)'))
			.catch((e) => e);
		expect(altered.number).toBe(50000);
		// the statement without its parameter declaration
		const undeclared = await pool
			.request()
			.query(SUBIEKT_QUERIES.products.sql)
			.catch((e) => e);
		expect(undeclared.number).toBe(137);
		// other parameter types are read (decimal) or refused honestly when the simulator does not know them
		const decimal = await pool
			.request()
			.input('pageSize', sql.Decimal(10, 0), 2)
			.input('afterId', sql.Int, 0)
			.query(SUBIEKT_QUERIES.products.sql);
		expect(decimal.recordset.map((r: { tw_Id: number }) => r.tw_Id)).toEqual([101, 102]);
		const clientsWith = (
			pageSize: sql.ISqlType | (() => sql.ISqlType),
			since: sql.ISqlType | (() => sql.ISqlType),
			value: Date,
		) =>
			pool
				.request()
				.input('pageSize', pageSize, 10)
				.input('afterId', sql.BigInt, 0)
				.input('changedSince', since, value)
				.query(SUBIEKT_QUERIES.clients.sql);
		const viaDateTime2 = await clientsWith(sql.Money, sql.DateTime2, new Date('2026-11-20T14:03:00Z'));
		expect(viaDateTime2.recordset.map((r: { kh_Id: number }) => r.kh_Id)).toEqual([11]);
		const viaDate = await clientsWith(sql.Money, sql.Date, new Date('2026-11-21T00:00:00Z'));
		expect(viaDate.recordset).toEqual([]);
		expect(sim.statements.at(-1)!.params.map((p) => p.typeName)).toEqual(['money', 'intn', 'date']);
		const guid = await pool
			.request()
			.input('orderNumber', sql.UniqueIdentifier, '6f9619ff-8b86-d011-b42d-00c04fc964ff')
			.query(SUBIEKT_QUERIES.orderByNumber.sql)
			.catch((e) => e);
		expect(guid.number).toBe(50000);
		expect(guid.message).toMatch(/type 0x24 is not simulated \(parameter @orderNumber\)/);
		// the pool survives refusals
		expect((await run(pool, 'products', { pageSize: 1, afterId: 0 })).length).toBe(1);
	});

	test('faults: deadlock victim 1205, socket closed mid-result, request timeout, forced login failure', async () => {
		sim.addFault({ kind: 'error', query: 'stock', number: 1205 });
		const deadlock = await run(pool, 'stock', {
			pageSize: 1000,
			afterProductId: 0,
			afterWarehouseId: 0,
			warehouseCode: null,
		}).catch((e) => e);
		expect(deadlock).toBeInstanceOf(sql.RequestError);
		expect(deadlock.number).toBe(1205);
		expect(deadlock.message).toMatch(/deadlock victim/);

		sim.addFault({ kind: 'drop', query: 'products', afterRows: 1 });
		const dropped = await run(pool, 'products', { pageSize: 10, afterId: 0 }).catch((e) => e);
		expect(dropped).toBeInstanceOf(Error);
		// tedious reports a connection that ends inside a message as "socket hang up"
		expect(dropped).toBeInstanceOf(sql.RequestError);
		expect(dropped.code).toBe('ECONNRESET');
		// the pool replaces the dead connection
		expect((await run(pool, 'products', { pageSize: 10, afterId: 0 })).length).toBe(3);

		const quick = await new sql.ConnectionPool(
			config(sim.port, { requestTimeout: 300, pool: { max: 1, min: 0 } }, { cancelTimeout: 60_000 }),
		).connect();
		try {
			sim.addFault({ kind: 'delay', query: 'clients', delayMs: 30_000 });
			const timeout = await run(quick, 'clients', { pageSize: 1, afterId: 0, changedSince: null }).catch((e) => e);
			expect(timeout).toBeInstanceOf(sql.RequestError);
			expect(timeout.code).toBe('ETIMEOUT');
			// the attention was acknowledged (else tedious would wait cancelTimeout, 60 s, past jest's 30 s):
			// the same connection serves the next request, no new login
			const logins = sim.logins.length;
			expect((await run(quick, 'clients', { pageSize: 1, afterId: 0, changedSince: null })).length).toBe(1);
			expect(sim.logins.length).toBe(logins);
		} finally {
			await quick.close();
		}

		sim.addFault({ kind: 'loginFailure' });
		const refused = await new sql.ConnectionPool(config(sim.port)).connect().catch((e) => e);
		expect(refused).toBeInstanceOf(sql.ConnectionError);
		expect(refused.code).toBe('ELOGIN');
	});
});

describe('Subiekt SQL simulator: logins', () => {
	let sim: SqlServerSimulator;
	beforeAll(async () => {
		sim = new SqlServerSimulator();
		await sim.start();
	});
	afterAll(async () => sim?.stop());

	test('wrong password → ELOGIN with 18456 "Login failed for user"; the password is not recorded', async () => {
		const wrongPassword = 'Złe-hasło-ąę';
		const err = await new sql.ConnectionPool(config(sim.port, { password: wrongPassword })).connect().catch((e) => e);
		expect(err).toBeInstanceOf(sql.ConnectionError);
		expect(err.code).toBe('ELOGIN');
		expect(err.message).toBe(`Login failed for user '${DEFAULT_USER.user}'.`);
		expect(sim.logins.at(-1)).toMatchObject({ user: DEFAULT_USER.user, accepted: false, errorNumber: 18456 });
		expect(JSON.stringify(sim.logins)).not.toContain(wrongPassword);
	});

	test('unknown database → 4060 then 18456 (the driver reports the last)', async () => {
		const err = await new sql.ConnectionPool(config(sim.port, { database: 'NIEISTNIEJĄCA' })).connect().catch((e) => e);
		expect(err.code).toBe('ELOGIN');
		expect(sim.logins.at(-1)).toMatchObject({ database: 'NIEISTNIEJĄCA', accepted: false, errorNumber: 4060 });
	});

	test('readOnlyIntent off is recorded as such', async () => {
		const pool = await new sql.ConnectionPool(config(sim.port, {}, { readOnlyIntent: false })).connect();
		await pool.close();
		expect(sim.logins.at(-1)).toMatchObject({ accepted: true, readOnlyIntent: false });
	});

	test('encrypt: true fails: TLS is not simulated, the server closes after PRELOGIN and never sees the login', async () => {
		const before = sim.logins.length;
		const err = await new sql.ConnectionPool(config(sim.port, {}, { encrypt: true, trustServerCertificate: true }))
			.connect()
			.catch((e) => e);
		expect(err).toBeInstanceOf(sql.ConnectionError);
		expect(err.code).toBe('ESOCKET');
		expect(sim.logins.length).toBe(before);
	});
});

describe('Subiekt SQL simulator: variants', () => {
	test('nvarchar text columns (UTF-16LE) arrive the same as varchar in code page 1250', async () => {
		const sim = new SqlServerSimulator({ unicodeText: true });
		await sim.start();
		const pool = await new sql.ConnectionPool(config(sim.port)).connect();
		try {
			const rows = await run(pool, 'stock', {
				pageSize: 1000,
				afterProductId: 0,
				afterWarehouseId: 0,
				warehouseCode: 'ŹRÓ',
			});
			expect(rows.map((r) => [r.tw_Symbol, r.mag_Nazwa])).toEqual([
				['ŁÓD-001', 'Skład Źródło ćma'],
				['ŻAG-002', 'Skład Źródło ćma'],
			]);
		} finally {
			await pool.close();
			await sim.stop();
		}
	});

	test('a seed value longer than the real column (mag_Symbol is varchar(3)) is refused, not sent', async () => {
		const db = seedDatabase();
		db.sl_Magazyn[1].mag_Symbol = 'ŹRÓDŁO';
		const sim = new SqlServerSimulator({ databases: { [DEFAULT_DATABASE]: subiektSchema(db) } });
		await sim.start();
		const pool = await new sql.ConnectionPool(config(sim.port)).connect();
		try {
			const err = await run(pool, 'stock', {
				pageSize: 1000,
				afterProductId: 0,
				afterWarehouseId: 0,
				warehouseCode: null,
			}).catch((e) => e);
			expect(err.number).toBe(50000);
			expect(err.message).toMatch(/"ŹRÓDŁO" does not fit mag_Symbol varchar\(3\)/);
		} finally {
			await pool.close();
			await sim.stop();
		}
	});

	test('encrypt: true against a server that answers ENCRYPT_NOT_SUP and carries on: tedious sends the login without TLS', async () => {
		// a driver finding, not a simulator feature: the pack must not rely on encrypt: true alone
		const sim = new SqlServerSimulator({ onEncryptionRequest: 'continue' });
		await sim.start();
		try {
			const pool = await new sql.ConnectionPool(
				config(sim.port, {}, { encrypt: true, trustServerCertificate: false }),
			).connect();
			await pool.close();
			expect(sim.logins).toEqual([expect.objectContaining({ user: DEFAULT_USER.user, accepted: true })]);
		} finally {
			await sim.stop();
		}
	});
});

describe('Subiekt SQL simulator: keyset paging over generated products', () => {
	let sim: SqlServerSimulator;
	let pool: sql.ConnectionPool;
	const db = seedDatabase();
	const generated = addGeneratedProducts(db, 10_000);
	beforeAll(async () => {
		sim = new SqlServerSimulator({ databases: { [DEFAULT_DATABASE]: subiektSchema(db) } });
		await sim.start();
		pool = await new sql.ConnectionPool(config(sim.port)).connect();
	});
	afterAll(async () => {
		await pool?.close();
		await sim?.stop();
	});

	test('pages of 1000 by tw_Id visit every live product exactly once, in order', async () => {
		const seen: number[] = [];
		let afterId = 0;
		let pages = 0;
		for (;;) {
			const rows = await run(pool, 'products', { pageSize: 1000, afterId });
			if (rows.length === 0) break;
			pages++;
			for (const r of rows) seen.push(r.tw_Id as number);
			afterId = rows[rows.length - 1].tw_Id as number;
		}
		const expected = db.tw__Towar
			.filter((t) => !t.tw_Usuniety)
			.map((t) => t.tw_Id)
			.sort((a, b) => a - b);
		expect(seen).toEqual(expected);
		expect(expected.length).toBe(3 + generated.filter((t) => !t.tw_Usuniety).length);
		expect(pages).toBe(Math.ceil(expected.length / 1000));
		expect(new Set(seen).size).toBe(seen.length);
	});

	test('a connection lost after 500 of 1000 rows (several packets) fails the page; the retried page is whole', async () => {
		sim.addFault({ kind: 'drop', query: 'products', afterRows: 500 });
		const lost = await run(pool, 'products', { pageSize: 1000, afterId: 0 }).catch((e) => e);
		expect(lost).toBeInstanceOf(sql.RequestError);
		expect(lost.code).toBe('ECONNRESET');
		const again = await run(pool, 'products', { pageSize: 1000, afterId: 0 });
		expect(again).toHaveLength(1000);
	});

	test('parallel requests on the pool get their own answers', async () => {
		const starts = [0, 3000, 9000, 15000];
		const pages = await Promise.all(starts.map((afterId) => run(pool, 'products', { pageSize: 50, afterId })));
		const live = db.tw__Towar
			.filter((t) => !t.tw_Usuniety)
			.map((t) => t.tw_Id)
			.sort((a, b) => a - b);
		pages.forEach((rows, n) => {
			expect(rows.map((r) => r.tw_Id)).toEqual(live.filter((id) => id > starts[n]).slice(0, 50));
		});
	});

	test('price levels for an id window (afterId, upToId] of generated products', async () => {
		const rows = await run(pool, 'priceLevels', { afterId: 1000, upToId: 1010 });
		const ids = [...new Set(rows.map((r) => r.tw_Symbol))];
		expect(ids).toEqual(['GEN-000002', 'GEN-000003', 'GEN-000004', 'GEN-000005', 'GEN-000006']);
		expect(rows).toHaveLength(50);
	});
});

describe('SQL Server simulator: products added out of tw_Id order', () => {
	// the engine walks the table in place when it is already in tw_Id order (no sort per page); a product added
	// later with a lower tw_Id must still come in its place, in products pages and in priceLevels windows
	let sim: SqlServerSimulator;
	let pool: sql.ConnectionPool;
	const db = seedDatabase();
	addGeneratedProducts(db, 20); // tw_Id 1000, 1002, …, 1038
	db.tw__Towar.push({
		...db.tw__Towar[db.tw__Towar.length - 1],
		tw_Id: 1001,
		tw_Symbol: 'ŻÓŁW-1001',
		tw_Usuniety: false,
	});
	db.tw_Cena.push({ ...db.tw_Cena[db.tw_Cena.length - 1], tc_IdTowar: 1001 });
	beforeAll(async () => {
		sim = new SqlServerSimulator({ databases: { [DEFAULT_DATABASE]: subiektSchema(db) } });
		await sim.start();
		pool = await new sql.ConnectionPool(config(sim.port)).connect();
	});
	afterAll(async () => {
		await pool?.close();
		await sim?.stop();
	});

	test('keyset pages and price windows keep tw_Id order', async () => {
		const page = await run(pool, 'products', { pageSize: 3, afterId: 999 });
		expect(page.map((r) => r.tw_Id)).toEqual([1000, 1001, 1002]);
		const levels = await run(pool, 'priceLevels', { afterId: 999, upToId: 1002 });
		expect([...new Set(levels.map((r) => r.tw_Symbol))]).toEqual(['GEN-000001', 'ŻÓŁW-1001', 'GEN-000002']);
	});
});

describe('SQL Server simulator: one server, two databases with different schemas', () => {
	// a second ERP's schema defined here, the way optima/ plugs in: tables under CDN, one statement
	const OTHER_QUERIES = { towar: { sql: 'SELECT Twr_Kod FROM CDN.Towary WHERE Twr_TwrId = @id' } };
	const other: SqlSchema = {
		erp: 'inny',
		schemaName: 'CDN',
		knownTables: new Set(['towary']),
		match: (statement) => matchExact(OTHER_QUERIES, statement),
		run: (_name, params) => ({
			columns: [col('Twr_Kod', vc(40), false)],
			rows: params.id === 7 ? [['ŻÓŁW-7']] : [],
		}),
	};
	const OTHER_DB = 'CDN_FIRMA';
	let sim: SqlServerSimulator;
	let subiekt: sql.ConnectionPool;
	let inny: sql.ConnectionPool;
	const failure = (p: Promise<unknown>) =>
		p.then(
			() => {
				throw new Error('expected an error');
			},
			(e) => e,
		);
	const otherQuery = (pool: sql.ConnectionPool) =>
		pool.request().input('id', sql.Int, 7).query(OTHER_QUERIES.towar.sql);

	beforeAll(async () => {
		sim = new SqlServerSimulator({ databases: { [DEFAULT_DATABASE]: subiektSchema(), [OTHER_DB]: other } });
		await sim.start();
		subiekt = await new sql.ConnectionPool(config(sim.port)).connect();
		inny = await new sql.ConnectionPool(config(sim.port, { database: OTHER_DB })).connect();
	});
	afterAll(async () => {
		await subiekt?.close();
		await inny?.close();
		await sim?.stop();
	});

	test("each database answers its own schema's statements", async () => {
		expect((await run(subiekt, 'checkSubiekt', {})).length).toBe(1);
		expect((await otherQuery(inny)).recordset).toEqual([{ Twr_Kod: 'ŻÓŁW-7' }]);
		const logged = sim.statements.filter((x) => x.query);
		expect(logged.map((x) => [x.database, x.query])).toEqual([
			[DEFAULT_DATABASE, 'checkSubiekt'],
			[OTHER_DB, 'towar'],
		]);
	});

	test("a Subiekt statement against the other database is refused as SQL Server would: 208 for Subiekt's tables", async () => {
		const e = await failure(run(inny, 'checkSubiekt', {}));
		expect(e).toBeInstanceOf(sql.RequestError);
		expect(e.number).toBe(208);
		expect(e.message).toMatch(/^Invalid object name 'dbo\.tw_Parametr'\.$/);
		expect(sim.statements.at(-1)).toMatchObject({ database: OTHER_DB, query: undefined, errorNumber: 208 });
	});

	test("the other schema's statement against the Subiekt database: 208 as well", async () => {
		const e = await failure(otherQuery(subiekt));
		expect(e.number).toBe(208);
		expect(e.message).toBe("Invalid object name 'CDN.Towary'.");
	});

	test('an unknown SELECT over a known table → 50000; a write → 229 naming the database and its schema', async () => {
		const unknown = await failure(inny.request().query('SELECT Twr_Kod, Twr_Nazwa FROM CDN.Towary'));
		expect(unknown.number).toBe(50000);
		const write = await failure(inny.request().query("UPDATE CDN.Towary SET Twr_Kod = 'X'"));
		expect(write.number).toBe(229);
		expect(write.message).toBe(
			`The UPDATE permission was denied on the object 'Towary', database '${OTHER_DB}', schema 'CDN'.`,
		);
	});
});
