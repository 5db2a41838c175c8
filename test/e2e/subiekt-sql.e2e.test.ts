/**
 * The four Subiekt GT SQL templates (workflows-templates/subiekt-gt/subiekt-gt-sql-*.json) run to completion in a
 * real n8n 2.41.1 with the packed pack (its `mssql` dependency installed as n8n installs community packages),
 * against the TDS simulator (test/simulators/sql-server: SQL Server's wire protocol, varchar text in code
 * page 1250, money, datetime) through the real mssql/tedious driver, and the portal simulator.
 *
 * The portal must end with exactly what the simulator's tables hold. The expected records are computed here
 * from those tables, following the rules in docs/subiekt-gt-sql.md — not with the pack's mapping code.
 * Also checked on the SQL Server side: every login read-only (ApplicationIntent=ReadOnly) with the pack's app
 * name; only the statements of SUBIEKT_QUERIES; keyset paging over a few thousand products, each page read
 * once; the clients cursor bound as Subiekt's wall clock; a wrong password fails with the mapped message and
 * the password nowhere in n8n's output, log or saved run data; a dropped connection and a deadlock (1205)
 * are retried and the run still ends with the right data.
 *
 * The test credential has "Encrypt Connection" OFF: the simulator has no TLS (its README). With Encrypt on,
 * the node refuses a server that does not encrypt (test/unit/subiekt-sql/adapter-simulator.test.ts).
 *
 * Also the EDI++ Export File resource end to end: Subiekt's CP1250 export served over HTTP on 127.0.0.1 → HTTP
 * Request (file) → Subiekt GT Read Products / Read Clients → B2B Portal upsert, Polish names checked byte-wise.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { N8nInstance, REPO_ROOT, nodeItems, nodeRecords } from './harness/n8n-instance';
import { sqlServerCredentialData } from '../fixtures/credentials';
import { stepTimings } from './harness/steps';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { keys } from '../simulators/portal/state';
import {
	addGeneratedProducts,
	seedDatabase,
	type SubiektDatabase,
	type Towar,
} from '../simulators/sql-server/subiekt/data';
import {
	DEFAULT_DATABASE,
	DEFAULT_USER,
	SqlServerSimulator,
	type StatementRecord,
} from '../simulators/sql-server/server';
import { subiektSchema } from '../simulators/sql-server/subiekt';
import { SUBIEKT_QUERIES } from '../../nodes/SubiektGt/sql/queries';
import type { Client, Price, Product, StockLevel } from '../../nodes/shared/model/types';

jest.setTimeout(600_000);

const DIR = path.join(REPO_ROOT, 'workflows-templates', 'subiekt-gt');
const NAMES = ['products', 'prices', 'stock', 'clients'] as const;
type Name = (typeof NAMES)[number];
const template = (name: string) => JSON.parse(readFileSync(path.join(DIR, `subiekt-gt-sql-${name}.json`), 'utf8'));
const SQL_CRED = { id: 'subiektSql00001', name: 'Subiekt GT SQL Server account' };
const BAD_CRED = { id: 'subiektSqlBad01', name: 'Subiekt GT SQL Server (wrong password)' };
const PORTAL_CRED = { id: 'portalCred0001', name: 'B2B Portal account' };
const WRONG_PASSWORD = 'Złe-hasło-e2e-źdźbło-91';
const GENERATED = 3000;
const PAGE = 1000; // the node's default page size (the templates leave it)

let db: SubiektDatabase;
let sql: SqlServerSimulator;
let portal: PortalSimulator;
let n8n: N8nInstance;
let files: Server;
let filesUrl: string;
let eppWorkflow: string;
let wrongPasswordWorkflow: string;
const ids = {} as Record<Name, string>;
const { timings, timed } = stepTimings();

// ------------------------------------------------------------------ expected portal contents, from the tables

/** money (bigint ten-thousandths) as 4-decimal text, as SQL Server money has */
const money4 = (v: bigint): string => {
	const abs = v < 0n ? -v : v;
	return `${v < 0n ? '-' : ''}${abs / 10000n}.${String(abs % 10000n).padStart(4, '0')}`;
};
/**
 * a unit price as the portal receives it: the B2B Portal node sends money with its "Money Decimal Places"
 * (default 2, half up) — the templates leave it, so Subiekt's 4 places arrive rounded to the grosz
 */
const price2 = (v: bigint): string => {
	const abs = v < 0n ? -v : v;
	const grosze = (abs + 50n) / 100n;
	return `${v < 0n ? '-' : ''}${grosze / 100n}.${String(grosze % 100n).padStart(2, '0')}`;
};
/** a quantity (money-typed in Subiekt) without trailing zeros, negative as 0 */
const qty = (v: bigint): string => money4(v < 0n ? 0n : v).replace(/\.?0+$/, '');
/**
 * what the portal may promise: the template's stock buffer shows 95 % of the free quantity (negative as 0),
 * rounded down to whole units — v is in ten-thousandths, so 95 % in whole units is v × 95 / 1,000,000
 */
const buffered95 = (v: bigint): string => String(((v < 0n ? 0n : v) * 95n) / 1_000_000n);
const date = (d: Date) => d.toISOString().slice(0, 10);
const live = () => db.tw__Towar.filter((t) => !t.tw_Usuniety);
const levelNames = () => [...db.tw_Parametr].sort((a, b) => a.twp_Id - b.twp_Id)[0]?.names ?? [];

function vatOf(t: Towar): string {
	const v = db.sl_StawkaVAT.find((s) => s.vat_Id === t.tw_IdVatSp)!;
	const symbol = v.vat_Symbol.trim().toLowerCase();
	return ['zw', 'np', 'oo'].includes(symbol) ? symbol : String(Number(v.vat_Stawka) / 10000);
}

function expectedProducts(): Product[] {
	return live().map((t) => ({
		code: t.tw_Symbol,
		name: t.tw_Nazwa,
		unit: t.tw_JednMiary || 'szt.',
		vatRate: vatOf(t),
		active: !t.tw_Zablokowany,
		...(t.tw_Opis ? { description: t.tw_Opis } : {}),
		...(t.tw_PodstKodKresk ? { ean: t.tw_PodstKodKresk } : {}),
	}));
}

function expectedPrices(): Price[] {
	const out: Price[] = [];
	const names = levelNames();
	for (const t of live()) {
		const c = db.tw_Cena.find((x) => x.tc_IdTowar === t.tw_Id);
		if (!c) continue;
		for (let n = 0; n < 10; n++) {
			const net = c.netto[n];
			const gross = c.brutto[n];
			if (net === null && gross === null) continue;
			out.push({
				productCode: t.tw_Symbol,
				scope: 'priceList',
				scopeCode: names[n] || String(n + 1),
				currency: 'PLN',
				vatRate: vatOf(t),
				...(net !== null ? { net: price2(net) } : {}),
				...(gross !== null ? { gross: price2(gross) } : {}),
			});
		}
	}
	// individual price lists assigned directly to clients, active ones, products not deleted
	for (const list of db.icen__CennikiIndywidualne.filter((l) => !l.icen_Nieaktywny)) {
		for (const link of db.icen_CennikKontrahent.filter((k) => k.icenk_CennikId === list.icen_Id)) {
			const client = db.kh__Kontrahent.find((k) => k.kh_Id === link.icenk_KhId)!;
			for (const row of db.icen_CennikTowar.filter((r) => r.icent_CennikId === list.icen_Id)) {
				const t = live().find((x) => x.tw_Id === row.icent_TwId);
				if (!t) continue;
				out.push({
					productCode: t.tw_Symbol,
					scope: 'client',
					scopeCode: client.kh_Symbol,
					currency: (list.icen_Waluta ?? '').trim().toUpperCase() || 'PLN',
					...(row.icent_CenaNetto !== null ? { net: price2(row.icent_CenaNetto) } : {}),
					...(row.icent_CenaBrutto !== null ? { gross: price2(row.icent_CenaBrutto) } : {}),
					...(list.icen_OgraniczonaCzasowo && list.icen_Od ? { validFrom: date(list.icen_Od) } : {}),
					...(list.icen_OgraniczonaCzasowo && list.icen_Do ? { validTo: date(list.icen_Do) } : {}),
				});
			}
		}
	}
	return out;
}

function expectedStock(): StockLevel[] {
	return db.tw_Stan.flatMap((s) => {
		const t = live().find((x) => x.tw_Id === s.st_TowId);
		const m = db.sl_Magazyn.find((x) => x.mag_Id === s.st_MagId);
		if (!t || !m) return [];
		return [
			{
				productCode: t.tw_Symbol,
				warehouseCode: m.mag_Symbol,
				onHand: qty(s.st_Stan),
				reserved: qty(s.st_StanRez),
				available: buffered95(s.st_Stan - s.st_StanRez),
			},
		];
	});
}

function expectedClients(): Client[] {
	const names = levelNames();
	return db.kh__Kontrahent.map((k) => {
		const a = db.adr__Ewid.find((x) => x.adr_IdObiektu === k.kh_Id && x.adr_TypAdresu === 1);
		const name = a?.adr_NazwaPelna || a?.adr_Nazwa || k.kh_Symbol;
		const client: Client = { code: k.kh_Symbol, name, blocked: k.kh_Zablokowany, addresses: [] };
		if (a?.adr_NIP) {
			const compact = a.adr_NIP.replace(/[\s-]/g, '').toUpperCase();
			client.taxId = /^PL\d{10}$/.test(compact) ? compact.slice(2) : compact;
		}
		if (k.kh_EMail) client.email = k.kh_EMail;
		if (a?.adr_Telefon) client.phone = a.adr_Telefon;
		if (k.kh_Cena !== null) client.priceListCode = names[k.kh_Cena - 1] || String(k.kh_Cena);
		const street = [a?.adr_Ulica, [a?.adr_NrDomu, a?.adr_NrLokalu].filter(Boolean).join('/')].filter(Boolean).join(' ');
		if (a && street && a.adr_Miejscowosc && a.adr_Kod) {
			const country = db.sl_Panstwo.find((p) => p.pa_Id === a.adr_IdPanstwo)?.pa_KodPanstwaISO;
			client.addresses.push({
				type: 'billing',
				name,
				street,
				postalCode: a.adr_Kod,
				city: a.adr_Miejscowosc,
				countryCode: country || 'PL',
			});
		}
		return client;
	});
}

/** a map keyed as the portal keys it, from a list (a duplicate key would be a test bug) */
function keyed<T>(list: T[], key: (x: T) => string): Map<string, T> {
	const map = new Map(list.map((x) => [key(x), x]));
	expect(map.size).toBe(list.length);
	return map;
}
const sorted = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
const utf8 = (s: string) => Buffer.from(s, 'utf8').toString('hex');

function expectPortalProducts(): void {
	const expected = keyed(expectedProducts(), keys.product);
	expect(expected.size).toBeGreaterThan(GENERATED - GENERATED / 37);
	expect(sorted(portal.state.products)).toEqual(sorted(expected));
	// byte-exact Polish names (the simulator sent them as CP1250 varchar)
	for (const [code, p] of expected) expect(utf8(portal.state.products.get(code)!.name)).toBe(utf8(p.name));
}
function expectPortalPrices(): void {
	const expected = keyed(expectedPrices(), keys.price);
	expect([...expected.values()].filter((p) => p.scope === 'client').length).toBeGreaterThan(0);
	expect(sorted(portal.state.prices)).toEqual(sorted(expected));
}
function expectPortalStock(): void {
	// every level carries the time its read began (for the portal's release of confirmed stock holds)
	const stamps = new Set([...portal.state.stock.values()].map((s) => s.updatedAt));
	expect([...stamps].every((t) => typeof t === 'string' && !Number.isNaN(Date.parse(t)))).toBe(true);
	const withoutStamp = new Map([...portal.state.stock].map(([k, { updatedAt: _t, ...rest }]) => [k, rest]));
	expect(sorted(withoutStamp)).toEqual(sorted(keyed(expectedStock(), keys.stock)));
}

// ------------------------------------------------------------------ what reached SQL Server

const SQL_TEXTS = new Map(Object.entries(SUBIEKT_QUERIES).map(([name, q]) => [q.sql, name]));
const TEDIOUS_SET_BATCH = /^(set [a-z_ ]+ [\w-]+\s*)+$/i;
const param = (s: StatementRecord, name: string) => s.params.find((p) => p.name === `@${name}`)?.value;

/** Requests (answered 200) of a portal batch path since `mark`, and the records they carried. */
const batches = (apiPath: string, mark: number) =>
	portal.requests.slice(mark).filter((r) => r.method === 'POST' && r.path === apiPath && r.status === 200);
const recordsSent = (apiPath: string, mark: number) =>
	batches(apiPath, mark).reduce((n, r) => n + (r.itemCount ?? 0), 0);

/** runs a workflow and returns the statements and logins the simulator saw during it */
async function runTracked(label: string, workflowId: string) {
	const s0 = sql.statements.length;
	const l0 = sql.logins.length;
	const result = await timed(label, () => n8n.execute(workflowId));
	const statements = sql.statements.slice(s0);
	return { result, statements, rpc: statements.filter((s) => s.via === 'rpc'), logins: sql.logins.slice(l0) };
}

/**
 * keyset pages of stock expected with page size PAGE: (0, 0), then the (st_TowId, st_MagId) of the last row of each
 * full page — rows of live products in an existing warehouse, in primary key order
 */
function expectedStockPages(): Array<[number, number]> {
	const pairs = db.tw_Stan
		.filter((s) => live().some((t) => t.tw_Id === s.st_TowId) && db.sl_Magazyn.some((m) => m.mag_Id === s.st_MagId))
		.map((s): [number, number] => [s.st_TowId, s.st_MagId])
		.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	const after: Array<[number, number]> = [[0, 0]];
	for (let i = PAGE; i <= pairs.length; i += PAGE) after.push(pairs[i - 1]);
	return after;
}

/**
 * The template's ERP read hands its records over in batch files of `perBatch`: items with the batch header only
 * (the records are in the file), numbered 1, 2, …, every one full but the last, `total` records in all.
 */
function expectBatchFiles(data: unknown, nodeName: string, total: number, perBatch = 5000): void {
	const items = nodeItems(data, nodeName);
	expect(items.length).toBe(Math.max(1, Math.ceil(total / perBatch)));
	items.forEach((j, k) => {
		expect(j).toMatchObject({ batch: k + 1, count: k < items.length - 1 ? perBatch : total - perBatch * k });
		expect(j.records).toBeUndefined();
	});
}

/** keyset pages of products expected with page size PAGE: afterId 0, then the last tw_Id of each full page */
function expectedProductPages(): number[] {
	const idsSorted = live()
		.map((t) => t.tw_Id)
		.sort((a, b) => a - b);
	const after = [0];
	for (let i = PAGE; i <= idsSorted.length; i += PAGE) after.push(idsSorted[i - 1]);
	return after;
}

// ------------------------------------------------------------------ set-up

beforeAll(async () => {
	db = seedDatabase();
	addGeneratedProducts(db, GENERATED);
	sql = new SqlServerSimulator({ databases: { [DEFAULT_DATABASE]: subiektSchema(db) } });
	await sql.start();
	const epp = readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'epp', 'golden-1.05-cp1250.epp'));
	files = createHttpServer((req, res) => {
		if (req.url !== '/eksport/towary.epp') return void res.writeHead(404).end();
		res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': epp.length }).end(epp);
	});
	await new Promise<void>((r) => files.listen(0, '127.0.0.1', () => r()));
	filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}/eksport/towary.epp`;
	portal = await startPortalSimulator({ apiKey: 'e2e-portal-KEY-5ab1c9e2', webhookSecret: 'e2e-webhook-SECRET-żółć' });
	n8n = await N8nInstance.create();
	await timed('install pack', () => n8n.installPack());
	// the simulator speaks TDS without TLS (see the file comment)
	const sqlCredential = (password: string) => sqlServerCredentialData(sql, { password });
	await n8n.importCredentials([
		{ ...SQL_CRED, type: 'subiektGtSqlApi', data: sqlCredential(DEFAULT_USER.password) },
		{ ...BAD_CRED, type: 'subiektGtSqlApi', data: sqlCredential(WRONG_PASSWORD) },
		{
			...PORTAL_CRED,
			type: 'b2bPortalApi',
			data: { baseUrl: portal.url, authType: 'apiKey', apiKey: portal.apiKey, webhookSecret: portal.webhookSecret },
		},
	]);
	const workflows = NAMES.map((name) => {
		const wf = template(name);
		if (name === 'prices') {
			// what the template's sticky note tells the user to switch on for individual client prices
			const node = wf.nodes.find((n: { name: string }) => n.name === 'Subiekt: all prices');
			node.parameters.includeClientPriceLists = true;
		}
		return { workflow: wf, credentialIds: { subiektGtSqlApi: SQL_CRED, b2bPortalApi: PORTAL_CRED } };
	});
	workflows.push({
		workflow: { ...template('products'), id: undefined, name: 'Subiekt products (wrong password)' },
		credentialIds: { subiektGtSqlApi: BAD_CRED, b2bPortalApi: PORTAL_CRED },
	});
	const imported = await timed('import workflows', () => n8n.importWorkflows(workflows));
	NAMES.forEach((name, i) => (ids[name] = imported[i]));
	wrongPasswordWorkflow = imported[NAMES.length];
	eppWorkflow = await n8n.importWorkflow(eppFileWorkflow(), { credentialIds: { b2bPortalApi: PORTAL_CRED } });
});

afterAll(async () => {
	// eslint-disable-next-line no-console
	console.log(`Subiekt SQL e2e timings:\n  ${timings.join('\n  ')}`);
	await n8n?.dispose();
	await portal?.close();
	await sql?.stop();
	await new Promise((r) => files?.close(r));
});

// ------------------------------------------------------------------ the templates

describe('Subiekt GT SQL templates → portal, through the real driver', () => {
	it('products: every live product, paged by tw_Id (each page read once), Polish names byte-exact', async () => {
		const mark = portal.requests.length;
		const { result, rpc, logins } = await runTracked('execute products', ids.products);
		expect(result.error).toBeUndefined();
		expectPortalProducts();
		expect(rpc.map((s) => s.query)).toEqual(expectedProductPages().map(() => 'products'));
		expect(rpc.map((s) => param(s, 'afterId'))).toEqual(expectedProductPages());
		expect(rpc.every((s) => param(s, 'pageSize') === PAGE && s.rowCount !== undefined)).toBe(true);
		expect(expectedProductPages().length).toBeGreaterThanOrEqual(3);
		expect(logins.length).toBeGreaterThan(0);
		// the template hands the products over in batch files, not one item per product
		expectBatchFiles(result.data, 'Subiekt: all products', expectedProducts().length);
		expect(nodeRecords(result.data, 'Only changed products', 0, n8n.userFolder)).toHaveLength(
			expectedProducts().length,
		);
		expect(recordsSent('/v1/products/batch', mark)).toBe(expectedProducts().length);
		expect(portal.state.syncStatus.get('subiekt-gt products')!.counts).toMatchObject({
			products: expectedProducts().length,
			created: expectedProducts().length,
			failed: 0,
			deactivated: 0,
		});
		expect(portal.state.syncStatus.get('subiekt-gt products')).toMatchObject({ status: 'success' });
	});

	it('prices: the levels of every product (named by tw_Parametr) and the individual client price lists', async () => {
		const { result, rpc } = await runTracked('execute prices', ids.prices);
		expect(result.error).toBeUndefined();
		expectPortalPrices();
		// the Subiekt node itself keeps SQL Server money's 4 places (the portal node rounds them to 2, see price2)
		const fromSubiekt = nodeRecords(result.data, 'Subiekt: all prices', 0, n8n.userFolder);
		const t101 = db.tw__Towar.find((t) => t.tw_Id === 101)!;
		const c101 = db.tw_Cena.find((c) => c.tc_IdTowar === 101)!;
		expect(fromSubiekt.find((p) => p.productCode === t101.tw_Symbol && p.scopeCode === levelNames()[0])).toMatchObject({
			net: money4(c101.netto[0]!),
			gross: money4(c101.brutto[0]!),
		});
		expect(fromSubiekt).toHaveLength(expectedPrices().length);
		// in batch files of 5,000 (more than one: the whole catalogue's levels and the client price lists)
		expectBatchFiles(result.data, 'Subiekt: all prices', expectedPrices().length);
		expect(expectedPrices().length).toBeGreaterThan(5000);
		expect(portal.state.syncStatus.get('subiekt-gt prices')!.counts).toMatchObject({
			prices: expectedPrices().length,
			failed: 0,
			deleted: 0,
		});
		const pages = expectedProductPages();
		// a page of product IDs, then the levels of exactly that tw_Id range, once each
		const levels = rpc.filter((s) => s.query === 'priceLevels');
		expect(rpc.filter((s) => s.query === 'products').map((s) => param(s, 'afterId'))).toEqual(pages);
		expect(levels).toHaveLength(pages.length);
		expect(new Set(levels.map((s) => param(s, 'afterId'))).size).toBe(levels.length);
		expect(rpc.filter((s) => s.query === 'clientPriceLists')).toHaveLength(1);
		expect(portal.state.syncStatus.get('subiekt-gt prices')).toMatchObject({ status: 'success' });
	});

	it('stock: on hand, reserved and available (95 %, rounded down) per product and warehouse', async () => {
		const { result, rpc } = await runTracked('execute stock', ids.stock);
		expect(result.error).toBeUndefined();
		expectPortalStock();
		// the buffer really lowered something
		const lowered = [...portal.state.stock.values()].filter(
			(s) => Number(s.available) < Number(s.onHand) - Number(s.reserved),
		);
		expect(lowered.length).toBeGreaterThan(10);
		expect(portal.state.stock.get(keys.stock({ productCode: 'ŻAG-002', warehouseCode: 'ŹRÓ' }))).toMatchObject({
			onHand: '3',
			reserved: '5',
			available: '0',
		});
		// keyset pages over tw_Stan's primary key: (0, 0), then the last pair of each full page, each page read once
		const pages = expectedStockPages();
		expect(pages.length).toBeGreaterThanOrEqual(3);
		expect(
			rpc.map((s) => [s.query, param(s, 'pageSize'), param(s, 'afterProductId'), param(s, 'afterWarehouseId')]),
		).toEqual(pages.map(([p, w]) => ['stock', PAGE, p, w]));
		expectBatchFiles(result.data, 'Subiekt: all stock', expectedStock().length);
	});

	it('clients: all on the first run; the next run asks from the committed kh_DataZmiany, bound as wall clock', async () => {
		const first = await runTracked('execute clients', ids.clients);
		expect(first.result.error).toBeUndefined();
		const expected = keyed(expectedClients(), keys.client);
		expect(sorted(portal.state.clients)).toEqual(sorted(expected));
		for (const [code, c] of expected) expect(utf8(portal.state.clients.get(code)!.name)).toBe(utf8(c.name));
		expect(first.rpc.map((s) => [s.query, param(s, 'changedSince')])).toEqual([['clients', null]]);
		// "Run now (test)" reads the changes since the last run: all of them the first time, in batch files
		expectBatchFiles(first.result.data, 'Subiekt: clients changed since last run', expectedClients().length);
		expect(portal.state.syncStatus.get('subiekt-gt clients')!.counts).toMatchObject({
			clients: expectedClients().length,
			failed: 0,
		});

		portal.state.clients.clear();
		const mark = portal.requests.length;
		const second = await runTracked('execute clients again (cursor)', ids.clients);
		expect(second.result.error).toBeUndefined();
		// the newest kh_DataZmiany, as Subiekt's wall clock (UTC fields of the driver's Date = wall clock)
		const newest = db.kh__Kontrahent
			.map((k) => k.kh_DataZmiany)
			.filter((d): d is Date => d !== null)
			.sort((a, b) => b.getTime() - a.getTime())[0];
		expect(second.rpc.map((s) => s.query)).toEqual(['clients']);
		expect((param(second.rpc[0], 'changedSince') as Date).toISOString()).toBe(newest.toISOString());
		const changed = db.kh__Kontrahent
			.filter((k) => k.kh_DataZmiany && k.kh_DataZmiany >= newest)
			.map((k) => k.kh_Symbol);
		// the cursor's boundary gives the newest clients again; the delta guard knows the portal has them already
		expect(
			nodeRecords(second.result.data, 'Subiekt: clients changed since last run', 0, n8n.userFolder).map((c) => c.code),
		).toEqual(changed);
		expect(changed.length).toBeGreaterThan(0);
		expect(batches('/v1/clients/batch', mark)).toEqual([]);
		expect(portal.state.clients.size).toBe(0);
		expect(portal.state.syncStatus.get('subiekt-gt clients')).toMatchObject({ counts: { clients: 0, deactivated: 0 } });
	});

	it('a dropped connection in the middle of a page and a deadlock victim (1205) are retried; the data is still right', async () => {
		// the portal keeps what it has: a read cut short would show up as deletions (products) or changes
		const mark = portal.requests.length;
		// the first page of products: the connection closes after 500 of its 1000 rows (several TDS packets)
		sql.addFault({ kind: 'drop', query: 'products', afterRows: 500 });
		sql.addFault({ kind: 'error', query: 'stock', number: 1205 });
		const products = await runTracked('execute products (connection dropped)', ids.products);
		expect(products.result.error).toBeUndefined();
		expect(nodeRecords(products.result.data, 'Subiekt: all products', 0, n8n.userFolder)).toHaveLength(
			expectedProducts().length,
		);
		expect(nodeItems(products.result.data, 'Only changed products', 1)).toEqual([]); // nothing missing
		expect(batches('/v1/products/batch', mark)).toEqual([]); // nothing changed
		expectPortalProducts();
		const pages = expectedProductPages();
		// page 1 twice (cut, then whole), every other page once
		expect(products.rpc.map((s) => param(s, 'afterId'))).toEqual([pages[0], ...pages]);
		expect(products.rpc[0].rowCount).toBeUndefined();
		expect(products.logins.filter((l) => l.accepted).length).toBeGreaterThan(1); // a new connection after the drop

		const stock = await runTracked('execute stock (deadlock)', ids.stock);
		expect(stock.result.error).toBeUndefined();
		// the template hands stock over in batch files: the records read, in as many files as Records per Batch asks
		expect(nodeRecords(stock.result.data, 'Subiekt: all stock', 0, n8n.userFolder)).toHaveLength(
			expectedStock().length,
		);
		expect(nodeItems(stock.result.data, 'Subiekt: all stock')).toEqual(
			Array.from({ length: Math.ceil(expectedStock().length / 5000) }, (_, k) =>
				expect.objectContaining({ batch: k + 1 }),
			),
		);
		expect(batches('/v1/stock/batch', mark)).toEqual([]);
		expectPortalStock();
		// the first page's deadlock retried, then every page once
		expect(stock.rpc.map((s) => [s.query, s.errorNumber])).toEqual([
			['stock', 1205],
			...expectedStockPages().map(() => ['stock', undefined]),
		]);
	});

	it('delta: nothing changed sends nothing (heartbeat still recorded); a renamed product is sent alone; a product deleted in Subiekt is deactivated (name kept), its stock zeroed and its prices deleted from the portal', async () => {
		portal.state.syncStatus.clear();
		let mark = portal.requests.length;
		const quiet = await runTracked('execute products (nothing changed)', ids.products);
		expect(quiet.result.error).toBeUndefined();
		expect(batches('/v1/products/batch', mark)).toEqual([]);
		expect(portal.state.syncStatus.get('subiekt-gt products')).toMatchObject({
			status: 'success',
			counts: { products: 0, deactivated: 0 },
		});

		const renamed = live()[7];
		renamed.tw_Nazwa = 'Żaglówka nowa nazwa zażółć gęślą jaźń';
		const gone = live()[11];
		const goneBefore = structuredClone(portal.state.products.get(gone.tw_Symbol)!);
		gone.tw_Usuniety = true; // Subiekt's "deleted": no longer read
		mark = portal.requests.length;
		const run = await runTracked('execute products (one renamed, one deleted)', ids.products);
		expect(run.result.error).toBeUndefined();
		expect(nodeRecords(run.result.data, 'Only changed products', 0, n8n.userFolder).map((p) => p.code)).toEqual([
			renamed.tw_Symbol,
		]);
		expect(recordsSent('/v1/products/batch', mark)).toBe(1); // the renamed one
		// the deactivation: a partial update of `active` alone, the name stays
		expect(
			portal.requests
				.slice(mark)
				.filter((r) => r.method === 'PATCH' && r.path === '/v1/products/batch' && r.status === 200),
		).toEqual([expect.objectContaining({ itemCount: 1 })]);
		expect(utf8(portal.state.products.get(renamed.tw_Symbol)!.name)).toBe(utf8(renamed.tw_Nazwa));
		expect(portal.state.products.get(gone.tw_Symbol)).toEqual({ ...goneBefore, active: false });
		expect(portal.state.syncStatus.get('subiekt-gt products')).toMatchObject({
			counts: { products: 1, deactivated: 1 },
		});

		const rows = db.tw_Stan.filter((x) => x.st_TowId === gone.tw_Id).length;
		expect(rows).toBeGreaterThan(0);
		mark = portal.requests.length;
		const stock = await runTracked('execute stock (a product deleted)', ids.stock);
		expect(stock.result.error).toBeUndefined();
		expect(recordsSent('/v1/stock/batch', mark)).toBe(rows);
		const zeroed = [...portal.state.stock.values()].filter((x) => x.productCode === gone.tw_Symbol);
		expect(zeroed).toHaveLength(rows);
		for (const z of zeroed) expect(z).toMatchObject({ onHand: '0', reserved: '0', available: '0' });
		expect(portal.state.syncStatus.get('subiekt-gt stock')).toMatchObject({ counts: { stock: 0, deactivated: rows } });

		// its prices: deleted from the portal by key (Price → Delete), every other price stays
		const stale = [...portal.state.prices.values()].filter((x) => x.productCode === gone.tw_Symbol);
		expect(stale.length).toBeGreaterThan(0);
		const pricesBefore = portal.state.prices.size;
		mark = portal.requests.length;
		const prices = await runTracked('execute prices (a product deleted)', ids.prices);
		expect(prices.result.error).toBeUndefined();
		expect(batches('/v1/prices/batch', mark)).toEqual([]);
		expect(nodeItems(prices.result.data, 'Only changed prices', 1)).toHaveLength(stale.length);
		expect(recordsSent('/v1/prices/batch/delete', mark)).toBe(stale.length);
		expect([...portal.state.prices.values()].filter((x) => x.productCode === gone.tw_Symbol)).toEqual([]);
		expect(portal.state.prices.size).toBe(pricesBefore - stale.length);
		const heartbeat = portal.state.syncStatus.get('subiekt-gt prices')!;
		expect(heartbeat.counts).toMatchObject({ prices: 0, deleted: stale.length });
	});

	it('a wrong password: the mapped login error, nothing sent to the portal, the password nowhere in n8n', async () => {
		portal.reset();
		const { result, rpc, logins } = await runTracked('execute with a wrong password', wrongPasswordWorkflow);
		expect(result.ok).toBe(false);
		expect(result.error).toContain(
			`node "Subiekt: all products" failed: Connecting: login failed for user "${DEFAULT_USER.user}" to database "${DEFAULT_DATABASE}" on 127.0.0.1:${sql.port} as "${DEFAULT_USER.user}"`,
		);
		expect(logins).toEqual([expect.objectContaining({ accepted: false, errorNumber: 18456 })]);
		expect(rpc).toEqual([]);
		expect(portal.state.products.size + portal.state.syncStatus.size).toBe(0);
		const saved = JSON.stringify(await n8n.sqlite('SELECT * FROM execution_data'));
		const everything = [result.stdout, result.stderr, JSON.stringify(result.data ?? null), n8n.logs(), saved];
		expect(saved.length).toBeGreaterThan(2);
		for (const secret of [WRONG_PASSWORD, DEFAULT_USER.password])
			for (const text of everything) expect(text).not.toContain(secret);
	});

	it('on the SQL Server side: every login read-only with the pack app name; only SUBIEKT_QUERIES statements', () => {
		expect(sql.logins.length).toBeGreaterThan(8);
		for (const login of sql.logins)
			expect(login).toMatchObject({
				user: DEFAULT_USER.user,
				database: DEFAULT_DATABASE,
				readOnlyIntent: true,
				appName: 'n8n-nodes-erp-b2b',
			});
		const rpc = sql.statements.filter((s) => s.via === 'rpc');
		expect(rpc.length).toBeGreaterThan(10);
		for (const s of rpc) {
			expect(SQL_TEXTS.get(s.statement.replace(/\r\n/g, '\n'))).toBe(s.query);
			expect(s.query).toBeDefined();
		}
		// the other statements are tedious's session options after each login (no `SELECT 1;` pool validation)
		for (const s of sql.statements.filter((x) => x.via === 'batch'))
			expect(s.statement.trim()).toMatch(TEDIOUS_SET_BATCH);
		expect(sql.statements.filter((x) => x.via === 'batch')).toHaveLength(sql.logins.filter((l) => l.accepted).length);
	});
});

// ------------------------------------------------------------------ EDI++ export file

/** Run now → HTTP Request (the .epp as a file) → Subiekt GT EDI++ Read Products / Read Clients → portal upserts. */
function eppFileWorkflow(): object {
	const portalNode = (name: string, resource: string, position: [number, number]) => ({
		id: `${resource}-portal`,
		name,
		type: 'n8n-nodes-erp-b2b.b2bPortal',
		typeVersion: 1,
		position,
		parameters: { resource, operation: 'upsert', source: 'items', options: { output: 'summary' } },
		credentials: { b2bPortalApi: { id: '', name: 'B2B Portal account' } },
	});
	const subiekt = (name: string, operation: string, position: [number, number]) => ({
		id: `${operation}-subiekt`,
		name,
		type: 'n8n-nodes-erp-b2b.subiektGt',
		typeVersion: 1,
		position,
		parameters: { resource: 'eppFile', operation, binaryPropertyName: 'data', encoding: 'auto', options: {} },
	});
	const to = (node: string) => ({ main: [[{ node, type: 'main', index: 0 }]] });
	return {
		name: 'Subiekt EDI++ export → portal (e2e)',
		nodes: [
			{
				id: 'run',
				name: 'Run now (test)',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'get',
				name: 'Get the export',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: {
					url: filesUrl,
					options: { response: { response: { responseFormat: 'file', outputPropertyName: 'data' } } },
				},
			},
			subiekt('Subiekt: products from EDI++', 'readProducts', [440, -100]),
			subiekt('Subiekt: clients from EDI++', 'readClients', [440, 100]),
			portalNode('Send products', 'product', [660, -100]),
			portalNode('Send clients', 'client', [660, 100]),
		],
		connections: {
			'Run now (test)': to('Get the export'),
			'Get the export': {
				main: [
					[
						{ node: 'Subiekt: products from EDI++', type: 'main', index: 0 },
						{ node: 'Subiekt: clients from EDI++', type: 'main', index: 0 },
					],
				],
			},
			'Subiekt: products from EDI++': to('Send products'),
			'Subiekt: clients from EDI++': to('Send clients'),
		},
		settings: { executionOrder: 'v1' },
	};
}

it('EDI++ export file (CP1250) → Subiekt GT → portal: products and clients with Polish names intact', async () => {
	portal.reset();
	const r = await timed('execute EDI++ export', () => n8n.execute(eppWorkflow));
	expect(r.error).toBeUndefined();
	expect(nodeItems(r.data, 'Subiekt: products from EDI++').map((p) => p.code)).toEqual([
		'ŁÓD-001',
		'WIE-002',
		'ŹRÓ-003',
		'USŁ-004',
	]);
	expect([...portal.state.products.keys()].sort()).toEqual(['USŁ-004', 'WIE-002', 'ŁÓD-001', 'ŹRÓ-003'].sort());
	const drill = portal.state.products.get('WIE-002')!;
	expect(Buffer.from(drill.name, 'utf8')).toEqual(Buffer.from('Wiertło "Żubr", 10 mm', 'utf8'));
	expect(portal.state.products.get('ŹRÓ-003')).toMatchObject({ vatRate: 'zw' });
	const client = portal.state.clients.get('ŻÓŁW')!;
	expect(Buffer.from(client.name, 'utf8')).toEqual(
		Buffer.from('Przedsiębiorstwo "Żółw", Sp. z o.o. ĄĆĘŁŃÓŚŹŻ', 'utf8'),
	);
	expect(client).toMatchObject({ taxId: '5261040828', addresses: [{ city: 'Gdańsk', street: 'ul. Źródlana 7/3' }] });
	expect(portal.state.clients.has('ĆMA')).toBe(true);
});
