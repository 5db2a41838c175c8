/**
 * The SQL Server simulator's Optima schema driven through the real `mssql` driver: every OPTIMA_QUERIES statement
 * bound with the guard's bindParameters and its declared types answers with the types mapping.ts expects; the
 * dated-snapshot, relation and discount semantics the research names; anything else is refused as SQL Server would
 * refuse a db_datareader login; one server hosts Optima and Subiekt side by side; the RO store satisfies the bridge
 * simulator's interface and its RO is what the status statement reads.
 */
import sql from 'mssql';
import { OPTIMA_QUERIES, type OptimaQueryName } from '../../../nodes/Optima/sql/queries';
import { SUBIEKT_QUERIES } from '../../../nodes/SubiektGt/sql/queries';
import { bindParameters } from '../../../nodes/shared/sql/guard';
import type { OptimaRoStore } from '../../simulators/optima-bridge/store';
import { OPTIMA_DATABASE, optimaRoStore, optimaSchema, seedOptima, issueFs } from '../../simulators/sql-server/optima';
import { DEFAULT_DATABASE, DEFAULT_USER, SqlServerSimulator } from '../../simulators/sql-server/server';
import { subiektSchema } from '../../simulators/sql-server/subiekt';

const TYPES = { int: sql.Int, nvarchar: sql.NVarChar, datetime: sql.DateTime, bit: sql.Bit } as const;
const wall = (s: string) => new Date(`${s.replace(' ', 'T')}Z`);

async function run(pool: sql.ConnectionPool, name: OptimaQueryName, values: Record<string, unknown>) {
	const q = OPTIMA_QUERIES[name];
	const request = pool.request();
	for (const p of bindParameters(q.sql, values)) {
		const def = (q.params as Record<string, { type: keyof typeof TYPES }>)[p.name];
		request.input(p.name, TYPES[def.type], p.value);
	}
	return (await request.query(q.sql)).recordset as Array<Record<string, unknown>>;
}

describe('Optima SQL simulator through mssql/tedious', () => {
	const db = seedOptima();
	let sim: SqlServerSimulator;
	let pool: sql.ConnectionPool;

	beforeAll(async () => {
		sim = new SqlServerSimulator({
			databases: { [OPTIMA_DATABASE]: optimaSchema(db), [DEFAULT_DATABASE]: subiektSchema() },
		});
		await sim.start();
		pool = await new sql.ConnectionPool({
			server: '127.0.0.1',
			port: sim.port,
			user: DEFAULT_USER.user,
			password: DEFAULT_USER.password,
			database: OPTIMA_DATABASE,
			pool: { max: 1, min: 0 },
			options: { encrypt: false, readOnlyIntent: true },
		}).connect();
	});
	afterAll(async () => {
		await pool?.close();
		await sim?.stop();
	});

	test('products: Polish varchar text, int flags, money rates, datetime stamps', async () => {
		const rows = await run(pool, 'products', { pageSize: 2, afterId: 0, changedSince: null });
		expect(rows[0]).toEqual({
			Twr_TwrId: 1,
			Twr_Kod: 'ŁÓD-001',
			Twr_Nazwa: 'Łódka żółta',
			Twr_EAN: '5901234123457',
			Twr_JM: 'szt.',
			Twr_NieAktywny: 0,
			Twr_Stawka: 23,
			Twr_Flaga: 2,
			Twr_TwCNumer: 2,
			Twr_TwGGIDNumer: 10,
			Twr_TS_Mod: wall('2026-03-01 08:00:00.250'),
		});
		expect(rows).toHaveLength(2);
		const changed = await run(pool, 'products', {
			pageSize: 100,
			afterId: 0,
			changedSince: wall('2026-03-05 12:00:00'),
		});
		expect(changed.map((r) => r.Twr_Kod)).toEqual(['KSIĄŻKA-ŚĆ', 'SZKOL-ZW']);
	});

	test('codes compare under Polish_CI_AS: any case, trailing spaces ignored, but a missing accent is another code', async () => {
		const found = async (productCode: string) =>
			(await run(pool, 'orderProduct', { productCode })).map((r) => r.Twr_Kod);
		expect(await found('łód-001')).toEqual(['ŁÓD-001']);
		expect(await found('ŁÓD-001   ')).toEqual(['ŁÓD-001']);
		expect(await found('LOD-001')).toEqual([]);
		expect(await found('ŁOD-001')).toEqual([]);
		const client = async (clientCode: string) => (await run(pool, 'orderClient', { clientCode })).map((r) => r.Knt_Kod);
		expect(await client('k-świętokrzyska')).toEqual(['K-ŚWIĘTOKRZYSKA']);
		expect(await client('K-SWIETOKRZYSKA')).toEqual([]);
	});

	test('stock: the latest snapshot not after @asOf; a later @asOf sees the planned row; totals apart', async () => {
		const now = await run(pool, 'stock', {
			afterId: 0,
			upToId: 1,
			asOf: wall('2026-06-01 00:00:00'),
			totalOnly: false,
			warehouseCode: null,
		});
		expect(now.map((r) => [r.Mag_Symbol, r.TwI_Ilosc, r.TwI_Dostepne])).toEqual([
			['MAG-KRAKÓW', 7.5, 7.5],
			['MAGAZYN', 120, 110],
		]);
		const early = await run(pool, 'stock', {
			afterId: 0,
			upToId: 1,
			asOf: wall('2026-02-01 00:00:00'),
			totalOnly: false,
			warehouseCode: 'magazyn',
		});
		expect(early.map((r) => r.TwI_Ilosc)).toEqual([100]);
		const planned = await run(pool, 'stock', {
			afterId: 0,
			upToId: 1,
			asOf: wall('2099-06-01 00:00:00'),
			totalOnly: true,
			warehouseCode: null,
		});
		expect(planned).toEqual([expect.objectContaining({ TwI_MagId: null, Mag_Symbol: null, TwI_Ilosc: 1006.5 })]);
	});

	test('prices join by DfC_Lp, not by DfC_DfCId; clients carry both readings of Knt_Ceny', async () => {
		const prices = await run(pool, 'prices', { afterId: 0, upToId: 1 });
		expect(prices.map((r) => [r.TwC_TwCNumer, r.DfC_DfCId, r.DfC_Nazwa, r.DfC_Typ])).toEqual([
			[1, 101, 'zakupu', 1],
			[2, 102, 'hurtowa 1', 1],
			[3, 103, 'hurtowa 2', 1],
			[4, 104, 'hurtowa 3', 1],
			[5, 105, 'detaliczna', 2],
		]);
		const clients = await run(pool, 'clients', { pageSize: 2, afterId: 0, changedSince: null });
		expect(clients.map((r) => [r.Knt_Ceny, r.CenyId_Nazwa, r.CenyLp_Nazwa])).toEqual([
			[102, 'hurtowa 1', null],
			[3, null, 'hurtowa 2'],
		]);
	});

	test('discounts: ended ones are not read; the order read keeps only the valid window and the product or its group', async () => {
		const all = await run(pool, 'discounts', { asOf: wall('2026-06-01 00:00:00') });
		expect(all.map((r) => r.Rab_RabId)).toEqual([1, 2, 4, 5, 6, 7]);
		expect(all[1]).toMatchObject({ Rab_Rabat: 0, Rab_Cena: 13.5, Knt_Kod: 'K-ŚWIĘTOKRZYSKA', Twr_Kod: 'ŻAG-002' });
		const forLine = await run(pool, 'orderDiscounts', {
			asOf: wall('2026-06-01 00:00:00'),
			productId: 2,
			productGroupId: 20,
		});
		expect(forLine.map((r) => r.Rab_RabId)).toEqual([1, 2, 4, 5]);
	});

	test('order status: RO → WZ → FS through TraNagRelacje, newest follower, cancelled followers skipped', async () => {
		const [ro1] = await run(pool, 'orderStatus', { orderNumber: 'b2b/2026/000101' });
		expect(ro1).toMatchObject({ TrN_NumerPelny: 'RO/1/2026', WZ_NumerPelny: 'WZ/1/2026', FS_NumerPelny: 'FS/1/2026' });
		const changes = await run(pool, 'orderStatusChanges', {
			pageSize: 10,
			afterId: 0,
			changedSince: wall('2026-03-16 00:00:00'),
		});
		expect(changes.map((r) => r.TrN_NumerObcy)).toEqual(['B2B/2026/000104', 'B2B/2026/000105']);
		const invoices = await run(pool, 'invoices', { pageSize: 10, afterId: 0, changedSince: null });
		expect(invoices.map((r) => [r.TrN_NumerPelny, r.RO_NumerObcy])).toEqual([
			['FS/1/2026', 'B2B/2026/000101'],
			['FS/2/2026', 'B2B/2026/000105'],
			['FS/3/2026', ''],
		]);
	});

	test('refusals: another SELECT 50000, a write 229 naming schema CDN, a Subiekt statement 208', async () => {
		const raw = async (text: string) =>
			await pool
				.request()
				.query(text)
				.catch((e: { number?: number; message: string }) => e);
		const other = (await raw('SELECT t.Twr_Kod FROM CDN.Towary AS t')) as { number?: number };
		expect(other.number).toBe(50000);
		const write = (await raw("UPDATE CDN.Towary SET Twr_Nazwa = 'x'")) as { number?: number; message: string };
		expect(write.number).toBe(229);
		expect(write.message).toMatch(/schema 'CDN'/);
		const subiekt = (await raw(SUBIEKT_QUERIES.stock.sql)) as { number?: number };
		expect(subiekt.number).toBe(208);
	});

	test('the RO store is an OptimaRoStore; its RO, WZ and FS are read like the seed', async () => {
		const store: OptimaRoStore = optimaRoStore(db, { now: () => new Date('2026-05-04T10:00:00Z') });
		const ro = store.save({
			foreignNumber: 'B2B/2026/000500',
			clientCode: 'ŻABKA-ŁÓDŹ',
			warehouseSymbol: 'MAG-KRAKÓW',
			lines: [{ productCode: 'WIO-003', quantity: '2.5', unitPrice: '38.00' }],
			buffer: false,
		});
		expect(ro).toMatchObject({
			createdAt: '2026-05-04T10:00:00.000Z',
			buffer: false,
			lines: [{ quantity: '2.5', unitPrice: '38' }],
		});
		const fs = issueFs(db, ro.id, '2026-05-05 09:00');
		expect(store.invoicePdf(fs.TrN_TrNID)?.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(store.invoicePdf(ro.id)).toBeUndefined();
		const [status] = await run(pool, 'orderStatus', { orderNumber: 'B2B/2026/000500' });
		expect(status).toMatchObject({ TrN_Bufor: 0, FS_NumerPelny: fs.TrN_NumerPelny });
		const stock = await run(pool, 'stock', {
			afterId: 2,
			upToId: 3,
			asOf: wall('2026-06-01 00:00:00'),
			totalOnly: false,
			warehouseCode: 'MAG-KRAKÓW',
		});
		expect(stock[0]).toMatchObject({ TwI_Rezerwacje: 2.75, TwI_Ilosc: 12.25 });
	});
});
