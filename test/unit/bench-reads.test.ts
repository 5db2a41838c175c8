/**
 * The read benchmarks' own code paths without n8n (bench/reads.ts, bench/floor-reads.mjs): which scenarios --only
 * picks, the Windows-1250 stock file, and each floor against small simulators — every record the template would
 * write reaches the portal, in batches of at most 1,000. Only shapes and contents, never timings.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { runFloorScript } from '../../bench/common';
import { parseOnly, parseReadsArgs, READ_SCENARIOS, stockCsv } from '../../bench/reads';
import { REPO_ROOT } from '../e2e/harness/n8n-instance';
import { startFtpSimulator, type FtpSimulator } from '../simulators/ftp/server';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { startSapSimulator, type SapSimulator } from '../simulators/sap-b1/server';
import { DEFAULT_DATABASE, DEFAULT_USER, SqlServerSimulator } from '../simulators/sql-server/server';
import { subiektSchema } from '../simulators/sql-server/subiekt';
import { addGeneratedProducts, seedDatabase, type SubiektDatabase } from '../simulators/sql-server/subiekt/data';

jest.setTimeout(180_000);

let sap: SapSimulator;
let portal: PortalSimulator;
let sql: SqlServerSimulator;
let ftp: FtpSimulator;
let db: SubiektDatabase;
beforeAll(async () => {
	db = seedDatabase();
	addGeneratedProducts(db, 60);
	sql = new SqlServerSimulator({ databases: { [DEFAULT_DATABASE]: subiektSchema(db) } });
	[sap, portal, ftp] = await Promise.all([
		startSapSimulator({ seed: { items: 40, seed: 5 } }),
		startPortalSimulator({ apiKey: 'bench-reads-key-7' }),
		startFtpSimulator(),
		sql.start(),
	]);
});
afterAll(async () => {
	await Promise.all([sap?.close(), portal?.close(), sql?.stop(), ftp?.close()]);
});

const floor = (kind: string, extra: object) =>
	runFloorScript<{ rows: number; ms: number }>('floor-reads.mjs', {
		kind,
		portalUrl: portal.url,
		apiKey: portal.apiKey,
		batch: 25,
		...extra,
	});
const sapCfg = () => ({ sap: { url: sap.url, companyDb: sap.companyDb, user: 'manager', password: '1234' } });
const sqlCfg = () => ({
	sql: {
		server: '127.0.0.1',
		port: sql.port,
		database: DEFAULT_DATABASE,
		user: DEFAULT_USER.user,
		password: DEFAULT_USER.password,
		encrypt: false,
	},
});
const batches = (p: string) => portal.requests.filter((q) => q.method === 'POST' && q.path === p);

it('--only: groups, single scenarios, stock, and an unknown name refused', () => {
	expect(parseOnly([])).toEqual({ stock: true, reads: [...READ_SCENARIOS] });
	expect(parseOnly(['--only', 'products,csv'])).toEqual({
		stock: false,
		reads: ['sap-products', 'subiekt-products', 'csv-stock'],
	});
	expect(parseOnly(['--only', 'stock,sap-prices'])).toEqual({ stock: true, reads: ['sap-prices'] });
	expect(() => parseOnly(['--only', 'towary'])).toThrow('--only: unknown "towary"');
	expect(parseReadsArgs(['--products', '5000', '--csv-rows', '900'])).toMatchObject({ products: 5000, csvRows: 900 });
	expect(() => parseReadsArgs(['--prices', 'dużo'])).toThrow('--prices needs a positive number');
});

it('the stock file is Windows-1250 with Polish letters, `;`, decimal commas and one row per product and warehouse', () => {
	const bytes = stockCsv(9);
	const text = iconv.decode(bytes, 'win1250');
	expect(bytes.includes(Buffer.from('Ł', 'utf8'))).toBe(false);
	const lines = text.trimEnd().split('\r\n');
	expect(lines[0]).toBe('Symbol;Nazwa;Magazyn;Stan;Rezerwacja;Dostępne');
	expect(lines).toHaveLength(10);
	expect(lines[1]).toMatch(/^ŻÓŁ-000001;"Łódka wiosłowa żółta nr 1";MAG;\d+,\d+;\d+;\d+,\d+$/);
	expect(new Set(lines.slice(1).map((l) => l.split(';').slice(0, 3).join(';'))).size).toBe(9);
});

it('SAP products floor: every item as a product, in batches', async () => {
	portal.reset();
	const r = await floor('sap-products', sapCfg());
	expect(r.rows).toBe(40);
	expect(portal.state.products.size).toBe(40);
	expect(batches('/v1/products/batch').every((q) => q.status === 200 && (q.itemCount ?? 0) <= 25)).toBe(true);
});

it('SAP prices floor: list prices of every item and the special prices, one per portal key', async () => {
	portal.reset();
	const r = await floor('sap-prices', sapCfg());
	expect(r.rows).toBeGreaterThanOrEqual(40);
	expect(portal.state.prices.size).toBe(r.rows);
});

it('Subiekt SQL floors: every live product, and its price levels', async () => {
	const live = db.tw__Towar.filter((t) => !t.tw_Usuniety).length;
	portal.reset();
	expect((await floor('subiekt-products', sqlCfg())).rows).toBe(live);
	expect(portal.state.products.size).toBe(live);
	portal.reset();
	const prices = await floor('subiekt-prices', sqlCfg());
	expect(prices.rows).toBeGreaterThan(live);
	expect(portal.state.prices.size).toBe(prices.rows);
});

it('CSV floor: the template’s mapping, the 95 % buffer, names and codes with Polish letters intact', async () => {
	const template = JSON.parse(
		readFileSync(path.join(REPO_ROOT, 'workflows-templates', 'file-sync', 'file-sync-stock.json'), 'utf8'),
	);
	const parse = template.nodes.find((n: { type: string }) => n.type === 'n8n-nodes-erp-b2b.erpFile').parameters;
	ftp.put('/floor/stany.csv', stockCsv(12));
	portal.reset();
	const r = await floor('csv-stock', {
		csv: {
			file: path.join(ftp.root, 'floor', 'stany.csv'),
			mapping: parse.stockColumns,
			decimalComma: parse.options.decimalComma,
		},
	});
	expect(r.rows).toBe(12);
	const level = portal.state.stock.get(portal.state.keys.stock({ productCode: 'ŻÓŁ-000002', warehouseCode: 'ŁÓDŹ' }));
	// product 2 (p = 1): on hand 7919 % 5000 = 2919,15, reserved 1, available 2918,15 → 95 % rounded down
	expect(level).toMatchObject({ onHand: '2919.15', reserved: '1', available: String(Math.floor(2918.15 * 0.95)) });
});
