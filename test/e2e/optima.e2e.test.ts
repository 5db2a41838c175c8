/**
 * Every Comarch ERP Optima template (workflows-templates/optima/) in ONE real n8n 2.41.1 with the packed pack,
 * against the SQL Server simulator serving an Optima company database (test/simulators/sql-server/optima: schema
 * CDN, varchar text in code page 1250 under Polish_CI_AS), the Optima bridge simulator whose ROs are rows of that
 * same database (optimaRoStore), and the portal simulator.
 *
 * What the PORTAL ends up holding is computed here from the simulator's tables by the rules of docs/optima-sql.md
 * (and the statements' comments in nodes/Optima/sql/queries.ts) — never with the pack's mapping code:
 * - products: one per CDN.Towary row, Twr_NieAktywny → not active, names byte for byte; a change (Twr_TS_Mod bumped)
 *   → only that product is sent by the next run;
 * - prices: every CDN.TwrCeny price of a non-purchase price list (DfC_Lp ≠ 1) under its DfC_Nazwa, net or gross by
 *   DfC_Typ; a client's fixed price from CDN.Rabaty as that client's price;
 * - stock: per product and warehouse the newest CDN.TwrIlosci row not dated in the future, available = 95 % of
 *   (TwI_Ilosc − TwI_Rezerwacje) rounded down; a second run sends only what changed;
 * - clients: one per CDN.Kontrahenci row, Knt_Nieaktywny → blocked;
 * - orders through the bridge: one RO in CDN.TraNag (TrN_NumerObcy = the portal number, type 308) and
 *   TwI_Rezerwacje raised; a lost answer still one RO; an unknown product rejected with the reason (no RO); an
 *   opaque COM error retried; a refusal Optima gives for good at save time (422) → rejected with its reason, the run
 *   goes on; Optima locked on every try → runs 1–4 release the claim and fail, the 5th rejects "(po 5 próbach)"
 *   with the alert; the signed webhook (the workflow published, n8n started) → one RO, confirmed in real time; the
 *   same order twice by webhook while the poll reads it → one RO;
 * - orders as XML: the file in the import folder, read back here: Optima's document namespace, the portal number as
 *   the foreign number, Polish letters byte for byte;
 * - order status: RO → WZ → FS issued in the simulator → shipped → invoiced; invoices: the FS with its PDF.
 * Polish text crosses SQL (CP1250 varchar), XML and files: ą ć ę ł ń ó ś ź ż are compared byte for byte.
 *
 * The harness runs the templates from "Run now (test)" (the first trigger); cursors and delta state stay in the
 * workflows' static data between runs, as in an active workflow.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as iconv from 'iconv-lite';
import { N8nInstance, REPO_ROOT, nodeItems, nodeRecords, withoutSchedule } from './harness/n8n-instance';
import { sqlServerCredentialData } from '../fixtures/credentials';
import { stepTimings, until, ranNodes as ran } from './harness/steps';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { SqlServerSimulator } from '../simulators/sql-server/server';
import {
	addGeneratedProducts,
	issueFs,
	issueWz,
	optimaRoStore,
	optimaSchema,
	seedOptima,
	type OptimaDatabase,
} from '../simulators/sql-server/optima';
import type { Kontrahent, Towar, TwrIlosc } from '../simulators/sql-server/optima/data';
import { startOptimaBridgeSimulator, type OptimaBridgeSimulator } from '../simulators/optima-bridge/server';
import type { Order } from '../../nodes/shared/model/types';
import { orderFileStem } from '../../nodes/shared/files/fileName';

jest.setTimeout(300_000);

const DIR = path.join(REPO_ROOT, 'workflows-templates', 'optima');
const NAMES = ['products', 'prices', 'stock', 'clients', 'orders', 'orders-xml', 'order-status', 'invoices'] as const;
type Name = (typeof NAMES)[number];
const template = (name: Name) => JSON.parse(readFileSync(path.join(DIR, `optima-${name}.json`), 'utf8'));
const DATABASE = 'CDN_ZOLW';
const SQL_CRED = { id: 'optimaSql000001', name: 'Comarch ERP Optima SQL Server account' };
const BRIDGE_CRED = { id: 'optimaBridge001', name: 'Comarch ERP Optima bridge account' };
const PORTAL_CRED = { id: 'portalCred0001', name: 'B2B Portal account' };
const CREDENTIAL_IDS = { optimaSqlApi: SQL_CRED, optimaBridgeApi: BRIDGE_CRED, b2bPortalApi: PORTAL_CRED };
const PORTAL_KEY = 'e2e-portal-KEY-0ptima';
const WEBHOOK_SECRET = 'e2e-webhook-SECRET-źdźbło';
const POLISH_LETTERS = ['ą', 'ć', 'ę', 'ł', 'ń', 'ó', 'ś', 'ź', 'ż'];
const GENERATED = 200;
const NOTES = 'Dostawa do magazynu — zażółć gęślą jaźń, ĄĆĘŁŃÓŚŹŻ, ąćęłńóśźż';

// ---------------------------------------------------------------------------------------------------------------
// Optima's tables as the simulator holds them (test/simulators/sql-server/optima/data.ts): money and quantities in
// bigint ten-thousandths, datetimes whose UTC fields are Optima's wall clock (Europe/Warsaw).
let db: OptimaDatabase;
const amount = (v: bigint | null | undefined) => Number(v ?? 0n) / 10_000;
/** money rounded half-up to the grosz, as the canonical model sends it unless configured (docs/canonical-model.md) */
const grosz = (v: bigint) => Number((v + 50n) / 100n) / 100;
const text = (v: string | null | undefined) => (v ?? '').replace(/ +$/, '');
/** Optima's "now": the wall clock in Warsaw, as a Date whose UTC fields are that wall clock */
const optimaNow = (): Date =>
	new Date(new Date().toLocaleString('sv-SE', { timeZone: 'Europe/Warsaw' }).replace(' ', 'T') + 'Z');
/** "YYYY-MM-DD HH:MM:SS" of Optima's now, for the simulator's document helpers */
const optimaStamp = () => optimaNow().toISOString().slice(0, 19).replace('T', ' ');

let sql: SqlServerSimulator;
let bridge: OptimaBridgeSimulator;
let portal: PortalSimulator;
let n8n: N8nInstance;
let allowedRoot: string;
let importFolder: string;
const ids = {} as Record<Name, string>;
const started = Date.now();
const { timings, timed } = stepTimings();
const batches = (apiPath: string, mark: number) =>
	portal.requests.slice(mark).filter((r) => r.method === 'POST' && r.path === apiPath && r.status === 200);
const recordsSent = (apiPath: string, mark: number) =>
	batches(apiPath, mark).reduce((n, r) => n + (r.itemCount ?? 0), 0);
const sameBytes = (a: string, b: string) => Buffer.from(a, 'utf8').equals(Buffer.from(b, 'utf8'));

// ---------------------------------------------------------------------------------------------------------------
// Expected portal state, from the tables (docs/optima-sql.md)

/** the current snapshot per product and warehouse: newest TwI_Data not after now, ties → highest TwI_TwIId */
function currentStock(): Map<string, TwrIlosc> {
	const now = optimaNow().getTime();
	const best = new Map<string, TwrIlosc>();
	for (const r of db.TwrIlosci) {
		if (r.TwI_MagId === null) continue; // the total over every warehouse
		if (r.TwI_Data.getTime() > now) continue; // a planned figure
		const key = `${r.TwI_TwrId}|${r.TwI_MagId}`;
		const had = best.get(key);
		const newer =
			!had ||
			r.TwI_Data.getTime() > had.TwI_Data.getTime() ||
			(r.TwI_Data.getTime() === had.TwI_Data.getTime() && r.TwI_TwIId > had.TwI_TwIId);
		if (newer) best.set(key, r);
	}
	return best;
}
const productById = (id: number) => db.Towary.find((t) => t.Twr_TwrId === id)!;
const warehouseById = (id: number) => db.Magazyny.find((m) => m.Mag_MagId === id)!;
/** 95 % of max(0, on hand − reserved), rounded down to whole units (in ten-thousandths: no float error) */
const buffered95 = (onHand: bigint, reserved: bigint) => {
	const free = onHand > reserved ? onHand - reserved : 0n;
	return String((free * 95n) / 1_000_000n);
};
const stockKey = (productCode: string, warehouseCode: string) =>
	portal.state.keys.stock({ productCode, warehouseCode });

function expectPortalStockEqualsOptima() {
	const rows = [...currentStock().values()];
	expect(rows.length).toBeGreaterThan(100);
	expect(portal.state.stock.size).toBe(rows.length);
	for (const r of rows) {
		const code = text(productById(r.TwI_TwrId).Twr_Kod);
		const wh = text(warehouseById(r.TwI_MagId!).Mag_Symbol);
		const got = portal.state.stock.get(stockKey(code, wh));
		expect({
			code,
			wh,
			onHand: Number(got?.onHand),
			reserved: Number(got?.reserved),
			available: got?.available,
		}).toEqual({
			code,
			wh,
			onHand: amount(r.TwI_Ilosc),
			reserved: amount(r.TwI_Rezerwacje),
			available: buffered95(r.TwI_Ilosc, r.TwI_Rezerwacje),
		});
	}
}

/** reserved (TwI_Rezerwacje) of one product in one warehouse, current snapshot */
const reservedIn = (productCode: string, warehouse = 'MAGAZYN') => {
	const t = db.Towary.find((x) => text(x.Twr_Kod) === productCode)!;
	const m = db.Magazyny.find((x) => text(x.Mag_Symbol) === warehouse)!;
	return amount(currentStock().get(`${t.Twr_TwrId}|${m.Mag_MagId}`)?.TwI_Rezerwacje);
};
const rosOf = (orderNumber: string) =>
	db.TraNag.filter((n) => n.TrN_TypDokumentu === 308 && text(n.TrN_NumerObcy) === orderNumber);

/**
 * The client the orders use: active, its price list by Knt_Ceny = DfC_DfCId (the node's default reading, see
 * docs/optima-sql.md) and a net one, no discount on every product (so some products sell at the list price).
 */
function sellingClient(): Kontrahent {
	const k = db.Kontrahenci.find((c) => {
		const def = db.DefCeny.find((x) => x.DfC_DfCId === c.Knt_Ceny);
		const onEverything = db.Rabaty.some((r) => r.Rab_PodmiotId === c.Knt_KntId && !r.Rab_TwrId);
		return !c.Knt_Nieaktywny && def && def.DfC_Typ === 1 && def.DfC_Lp !== 1 && !onEverything;
	});
	if (!k) throw new Error('the Optima seed has no active client with a net price list');
	return k;
}

/** does any CDN.Rabaty row of this client cover the product (every product, the product, or its group)? */
const discountedFor = (k: Kontrahent, t: Towar) =>
	db.Rabaty.some(
		(r) =>
			r.Rab_PodmiotId === k.Knt_KntId &&
			(!r.Rab_TwrId || r.Rab_TwrId === t.Twr_TwrId || r.Rab_TwrId === t.Twr_TwGGIDNumer),
	);

/** the net price Optima charges client k for product t: its price list's TwrCeny row (k has no discount on t) */
function listPrice(k: Kontrahent, t: Towar): string | undefined {
	const def = db.DefCeny.find((d) => d.DfC_DfCId === k.Knt_Ceny)!;
	const row = db.TwrCeny.find((c) => c.TwC_TwrID === t.Twr_TwrId && c.TwC_TwCNumer === def.DfC_Lp);
	return row ? amount(row.TwC_Wartosc).toFixed(2) : undefined;
}

/** active products k pays its list price for (to the grosz), with ≥ 20 available in MAGAZYN in the portal */
function orderable(k: Kontrahent, count: number, offset = 0): Towar[] {
	const ok = db.Towary.filter((t) => {
		const price = listPrice(k, t);
		const row = db.TwrCeny.find((c) => c.TwC_TwrID === t.Twr_TwrId && price !== undefined);
		return (
			!t.Twr_NieAktywny &&
			!discountedFor(k, t) &&
			price !== undefined &&
			row !== undefined &&
			Number(portal.state.stock.get(stockKey(text(t.Twr_Kod), 'MAGAZYN'))?.available ?? 0) >= 20 &&
			db.TwrCeny.some(
				(c) =>
					c.TwC_TwrID === t.Twr_TwrId &&
					c.TwC_TwCNumer === db.DefCeny.find((d) => d.DfC_DfCId === k.Knt_Ceny)!.DfC_Lp &&
					c.TwC_Wartosc % 100n === 0n,
			)
		);
	});
	return ok.slice(offset, offset + count);
}

function portalOrder(n: number, k: Kontrahent, items: Towar[]): Order {
	return {
		number: `B2B/2026/${String(n).padStart(6, '0')}`,
		clientCode: text(k.Knt_Kod),
		placedAt: new Date().toISOString(),
		currency: 'PLN',
		priceType: 'net',
		lines: items.map((t, i) => ({
			lineNo: i + 1,
			productCode: text(t.Twr_Kod),
			quantity: String(i + 2),
			unitPrice: listPrice(k, t)!,
			vatRate: portal.state.products.get(text(t.Twr_Kod))!.vatRate,
		})),
		notes: NOTES,
	};
}

beforeAll(async () => {
	db = seedOptima();
	addGeneratedProducts(db, GENERATED);
	// the seed's ROs came from another shop (not this portal): their foreign numbers must not look like ours
	for (const n of db.TraNag)
		if (n.TrN_NumerObcy.startsWith('B2B/')) n.TrN_NumerObcy = n.TrN_NumerObcy.replace('B2B/', 'SKLEP/');
	sql = new SqlServerSimulator({ databases: { [DATABASE]: optimaSchema(db) } });
	await sql.start();
	[bridge, portal] = await Promise.all([
		startOptimaBridgeSimulator({ store: optimaRoStore(db) }),
		startPortalSimulator({ apiKey: PORTAL_KEY, webhookSecret: WEBHOOK_SECRET }),
	]);
	allowedRoot = mkdtempSync(path.join(tmpdir(), 'optima-e2e-files-'));
	importFolder = path.join(allowedRoot, 'optima-import');
	mkdirSync(importFolder); // Optima's import share exists; n8n does not create the folder it writes into
	n8n = await N8nInstance.create({ env: { N8N_RESTRICT_FILE_ACCESS_TO: allowedRoot } });
	await timed('install pack', () => n8n.installPack());
	await timed('import credentials', () =>
		n8n.importCredentials([
			{
				...SQL_CRED,
				type: 'optimaSqlApi',
				data: sqlServerCredentialData(sql, { database: DATABASE }),
			},
			{ ...BRIDGE_CRED, type: 'optimaBridgeApi', data: { baseUrl: bridge.url, apiKey: bridge.apiKey } },
			{
				...PORTAL_CRED,
				type: 'b2bPortalApi',
				data: { baseUrl: portal.url, authType: 'apiKey', apiKey: PORTAL_KEY, webhookSecret: WEBHOOK_SECRET },
			},
		]),
	);
	// the one line an installation changes in the XML template: where Optima imports from
	const xml = template('orders-xml');
	const settings = xml.nodes.find((n: { name: string }) => n.name === 'Order and file name');
	const folder = settings.parameters.assignments.assignments.find((a: { name: string }) => a.name === 'importFolder');
	expect(folder.value).toBe('/home/node/.n8n-files/optima-import');
	folder.value = importFolder;
	const imported = await timed('import 8 templates', () =>
		n8n.importWorkflows(
			NAMES.map((name) => ({ workflow: name === 'orders-xml' ? xml : template(name), credentialIds: CREDENTIAL_IDS })),
		),
	);
	NAMES.forEach((name, i) => (ids[name] = imported[i]));
});

afterAll(async () => {
	await n8n?.dispose();
	await Promise.all([bridge?.close(), portal?.close(), sql?.stop()]);
	if (allowedRoot) rmSync(allowedRoot, { recursive: true, force: true });
	timings.push(`whole file: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	console.log(`optima e2e timings:\n  ${timings.join('\n  ')}`);
});

afterEach(() => {
	expect(portal.contractViolations).toEqual([]);
	expect(bridge.faults.pending).toEqual([]); // every injected fault really happened
	expect(bridge.pendingRefusals).toEqual([]);
});

describe('catalogue: products, prices, stock and clients from SQL', () => {
	let results: Awaited<ReturnType<N8nInstance['executeBatch']>>;

	beforeAll(async () => {
		results = await timed('execute-batch products, prices, stock, clients', () =>
			n8n.executeBatch([ids.products, ids.prices, ids.stock, ids.clients]),
		);
	});

	it('all four runs succeed from "Run now (test)" and record their heartbeat', () => {
		for (const name of ['products', 'prices', 'stock', 'clients'] as const) {
			expect({ name, ...results[ids[name]], data: undefined }).toMatchObject({ name, ok: true, status: 'success' });
			expect(ran(results[ids[name]].data)).toContain('Run now (test)');
			expect(portal.state.syncStatus.get(`optima ${name}`)).toMatchObject({
				status: 'success',
				expectedEveryMinutes: { products: 30, prices: 60, stock: 15, clients: 60 }[name],
			});
		}
	});

	it('products: one per CDN.Towary row, names byte for byte, Twr_NieAktywny → not active', () => {
		const towary = db.Towary;
		expect(portal.state.products.size).toBe(towary.length);
		expect(towary.some((t) => t.Twr_NieAktywny === 1)).toBe(true);
		for (const t of towary) {
			const p = portal.state.products.get(text(t.Twr_Kod));
			expect({ code: text(t.Twr_Kod), found: !!p }).toEqual({ code: text(t.Twr_Kod), found: true });
			expect([p!.code, sameBytes(p!.name, text(t.Twr_Nazwa))]).toEqual([p!.code, true]);
			expect([p!.code, p!.active]).toEqual([p!.code, t.Twr_NieAktywny !== 1]);
			if (text(t.Twr_EAN)) expect(p!.ean).toBe(text(t.Twr_EAN));
		}
		// every Polish letter came through SQL (CP1250 varchar) into the portal
		const names = [...portal.state.products.values()].map((p) => p.name).join(' ');
		for (const letter of POLISH_LETTERS) expect([letter, names.includes(letter)]).toEqual([letter, true]);
	});

	it('prices: every non-purchase list price under its list name, net or gross; client fixed prices from Rabaty', () => {
		const prices = [...portal.state.prices.values()];
		const defs = new Map(db.DefCeny.map((d) => [d.DfC_Lp, d]));
		let checked = 0;
		for (const c of db.TwrCeny) {
			const d = defs.get(c.TwC_TwCNumer);
			if (!d) continue;
			const code = text(productById(c.TwC_TwrID).Twr_Kod);
			const got = prices.filter(
				(p) => p.productCode === code && p.scope === 'priceList' && p.scopeCode === text(d.DfC_Nazwa),
			);
			if (d.DfC_Lp === 1) {
				expect({ code, purchase: got.length }).toEqual({ code, purchase: 0 }); // the purchase price never leaves
				continue;
			}
			expect({ code, list: text(d.DfC_Nazwa), n: got.length }).toEqual({ code, list: text(d.DfC_Nazwa), n: 1 });
			const value = d.DfC_Typ === 2 ? got[0].gross : got[0].net;
			expect({ code, list: text(d.DfC_Nazwa), value: Number(value) }).toEqual({
				code,
				list: text(d.DfC_Nazwa),
				value: grosz(c.TwC_Wartosc),
			});
			checked++;
		}
		expect(checked).toBeGreaterThan(20);
		// a client's fixed price on a product (Rab_Rabat 0, Rab_Cena set), valid today: that client's price
		const clientsById = new Map(db.Kontrahenci.map((k) => [k.Knt_KntId, k]));
		const today = optimaNow().getTime();
		const fixed = db.Rabaty.filter(
			(r) =>
				r.Rab_Rabat === 0n &&
				(r.Rab_Cena ?? 0n) > 0n &&
				clientsById.has(r.Rab_PodmiotId ?? -1) &&
				r.Rab_TwrId &&
				db.Towary.some((t) => t.Twr_TwrId === r.Rab_TwrId) &&
				(r.Rab_DataDo === null || r.Rab_DataDo.getTime() >= today) &&
				(r.Rab_DataOd === null || r.Rab_DataOd.getTime() <= today),
		);
		expect(fixed.length).toBeGreaterThan(0);
		for (const r of fixed) {
			const client = text(clientsById.get(r.Rab_PodmiotId!)!.Knt_Kod);
			const code = text(productById(r.Rab_TwrId!).Twr_Kod);
			const got = prices.filter((p) => p.productCode === code && p.scope === 'client' && p.scopeCode === client);
			// a fixed price beats the client's percentages on the same product (docs/optima-sql.md)
			expect({ client, code, net: got.map((p) => Number(p.net)) }).toEqual({ client, code, net: [grosz(r.Rab_Cena!)] });
		}
	});

	it("prices: a client's percentage on a product group (Rab_Typ 5) → that client's price on each product of the group", () => {
		// Rab_Typ 5 = client/productGroup in the default Discount Types (docs/optima-sql.md); the base is the client's
		// own list (Knt_Ceny read as DfC_DfCId, the default Client Price Key)
		const today = optimaNow().getTime();
		const rows = db.Rabaty.filter(
			(r) =>
				r.Rab_Typ === 5 &&
				r.Rab_Rabat > 0n &&
				(r.Rab_DataOd === null || r.Rab_DataOd.getTime() <= today) &&
				(r.Rab_DataDo === null || r.Rab_DataDo.getTime() >= today),
		);
		expect(rows.length).toBeGreaterThan(0);
		let checked = 0;
		for (const r of rows) {
			const k = db.Kontrahenci.find((x) => x.Knt_KntId === r.Rab_PodmiotId)!;
			const list = db.DefCeny.find((d) => d.DfC_DfCId === k.Knt_Ceny)!;
			for (const t of db.Towary.filter((x) => x.Twr_TwGGIDNumer === r.Rab_TwrId)) {
				const base = db.TwrCeny.find((c) => c.TwC_TwrID === t.Twr_TwrId && c.TwC_TwCNumer === list.DfC_Lp)!.TwC_Wartosc;
				// base × (100 % − Rab_Rabat), half-up to the grosz, in integers (both in ten-thousandths)
				const grosze = (base * (1_000_000n - r.Rab_Rabat) + 50_000_000n) / 100_000_000n;
				const got = [...portal.state.prices.values()].filter(
					(p) => p.productCode === t.Twr_Kod && p.scope === 'client' && p.scopeCode === k.Knt_Kod,
				);
				expect({ client: k.Knt_Kod, code: t.Twr_Kod, net: got.map((p) => Number(p.net)) }).toEqual({
					client: k.Knt_Kod,
					code: t.Twr_Kod,
					net: [Number(grosze) / 100],
				});
				checked++;
			}
		}
		expect(checked).toBeGreaterThan(1);
	});

	it('stock: the newest snapshot not in the future per product and warehouse, 95 % of available rounded down', () => {
		const now = optimaNow().getTime();
		// the seed has planned (future-dated) rows: they must not be what the portal shows
		expect(db.TwrIlosci.some((r) => r.TwI_Data.getTime() > now)).toBe(true);
		expectPortalStockEqualsOptima();
		const lowered = [...portal.state.stock.values()].filter(
			(s) => Number(s.available) < Number(s.onHand) - Number(s.reserved),
		);
		expect(lowered.length).toBeGreaterThan(5);
		// handed over in batch files, not one item per record
		expect(nodeRecords(results[ids.stock].data, 'Stock buffer 95 %', 0, n8n.userFolder).length).toBe(
			portal.state.stock.size,
		);
	});

	it('clients: one per CDN.Kontrahenci row, Knt_Nieaktywny → blocked, names byte for byte', () => {
		const all = db.Kontrahenci;
		expect([...portal.state.clients.keys()].sort()).toEqual(all.map((k) => text(k.Knt_Kod)).sort());
		expect(all.some((k) => k.Knt_Nieaktywny === 1)).toBe(true);
		for (const k of all) {
			const c = portal.state.clients.get(text(k.Knt_Kod))!;
			expect([c.code, c.blocked]).toEqual([c.code, k.Knt_Nieaktywny === 1]);
			expect([c.code, sameBytes(c.name.slice(0, text(k.Knt_Nazwa1).length), text(k.Knt_Nazwa1))]).toEqual([
				c.code,
				true,
			]);
			if (text(k.Knt_Nip)) expect(c.taxId?.replace(/\D/g, '')).toBe(text(k.Knt_Nip).replace(/\D/g, ''));
		}
	});

	it('second runs: a product changed in Optima (Twr_TS_Mod bumped) is the only one sent; stock sends only what moved', async () => {
		const t = db.Towary.find((x) => x.Twr_NieAktywny !== 1)!;
		t.Twr_Nazwa = `${text(t.Twr_Nazwa).slice(0, 30)} — źdźbło żółć`;
		t.Twr_TS_Mod = optimaNow();
		// one stock figure moves: Optima writes a new snapshot row dated now
		const [moved] = [...currentStock().values()].filter((r) => r.TwI_Ilosc >= 400_000n);
		const rows = db.TwrIlosci;
		rows.push({
			...moved,
			TwI_TwIId: Math.max(...rows.map((r) => r.TwI_TwIId)) + 1,
			TwI_Data: new Date(optimaNow().getTime() - 60_000),
			TwI_Ilosc: moved.TwI_Ilosc - 170_000n,
		});
		const mark = portal.requests.length;
		const again = await timed('execute-batch products, stock (second run)', () =>
			n8n.executeBatch([ids.products, ids.stock]),
		);
		expect({ ok: again[ids.products].ok, error: again[ids.products].error }).toEqual({ ok: true, error: undefined });
		expect({ ok: again[ids.stock].ok, error: again[ids.stock].error }).toEqual({ ok: true, error: undefined });
		expect(recordsSent('/v1/products/batch', mark)).toBe(1);
		expect(sameBytes(portal.state.products.get(text(t.Twr_Kod))!.name, text(t.Twr_Nazwa))).toBe(true);
		expect(recordsSent('/v1/stock/batch', mark)).toBe(1);
		expectPortalStockEqualsOptima();
	});
});

describe('orders through the Optima bridge: one RO each, in the same database the SQL reads', () => {
	const lastStatus = (number: string) => portal.state.orderStatusHistory.get(number)?.at(-1);
	const roCalls = (from: number) =>
		bridge.requests
			.slice(from)
			.filter((r) => r.path === '/v1/ro')
			.map((r) => `${r.method} ${r.status}`);

	function expectOneRoConfirmed(order: Order) {
		const ros = rosOf(order.number);
		expect({ order: order.number, ros: ros.length }).toEqual({ order: order.number, ros: 1 });
		const ro = ros[0];
		const lines = db.TraElem.filter((e) => e.TrE_TrNId === ro.TrN_TrNID);
		expect(lines.map((e) => [text(e.TrE_TwrKod), amount(e.TrE_Ilosc)])).toEqual(
			order.lines.map((l) => [l.productCode, Number(l.quantity)]),
		);
		expect(portal.state.orders.get(order.number)).toMatchObject({
			status: 'confirmed',
			erpDocumentNumber: text(ro.TrN_NumerPelny),
		});
		return ro;
	}

	it('an order placed: one RO with the portal number in TrN_NumerObcy, TwI_Rezerwacje raised, confirmed with its number', async () => {
		const k = sellingClient();
		const items = orderable(k, 2);
		expect(items).toHaveLength(2);
		const before = items.map((t) => reservedIn(text(t.Twr_Kod)));
		const order = portal.seedOrder(portalOrder(801, k, items));
		const run = await timed('execute orders (1 order)', () => n8n.execute(ids.orders));
		expect(run.error).toBeUndefined();
		expectOneRoConfirmed(order);
		expect(items.map((t) => reservedIn(text(t.Twr_Kod)))).toEqual(
			before.map((r, i) => r + Number(order.lines[i].quantity)),
		);
		expect(portal.state.syncStatus.get('optima orders')).toMatchObject({
			status: 'success',
			counts: { confirmed: 1, rejected: 0 },
			expectedEveryMinutes: 5,
		});
	});

	it('the answer of the create is lost after Optima saved the RO: one RO, confirmed once', async () => {
		const k = sellingClient();
		const order = portal.seedOrder(portalOrder(802, k, orderable(k, 1, 2)));
		const from = bridge.requests.length;
		bridge.faults.add({ method: 'POST', path: '/v1/ro', kind: 'drop', afterWrite: true });
		const run = await timed('execute orders (lost answer)', () => n8n.execute(ids.orders));
		expect(run.error).toBeUndefined();
		expectOneRoConfirmed(order);
		expect(roCalls(from)).toEqual(['POST 0', 'GET 200']);
		expect(portal.state.orderStatusHistory.get(order.number)!.filter((s) => s.status === 'confirmed')).toHaveLength(1);
	});

	it('an opaque COM error before the save is retried: one RO', async () => {
		const k = sellingClient();
		const order = portal.seedOrder(portalOrder(803, k, orderable(k, 1, 3)));
		const from = bridge.requests.length;
		bridge.comError();
		const run = await timed('execute orders (COM error)', () => n8n.execute(ids.orders));
		expect(run.error).toBeUndefined();
		expectOneRoConfirmed(order);
		expect(roCalls(from)).toEqual(['POST 502', 'GET 200', 'POST 201']);
	});

	it('an unknown product: rejected by the check with the reason, no RO, nothing asked of the bridge', async () => {
		const k = sellingClient();
		const order = portal.seedOrder({
			...portalOrder(804, k, orderable(k, 1, 4)),
			lines: [{ lineNo: 1, productCode: 'ŹDŹBŁO-999', quantity: '1', unitPrice: '1.00', vatRate: '23' }],
		});
		const from = bridge.requests.length;
		const run = await timed('execute orders (unknown product)', () => n8n.execute(ids.orders));
		expect(run.error).toBeUndefined();
		expect(rosOf(order.number)).toEqual([]);
		expect(portal.state.orders.get(order.number)!.status).toBe('rejected');
		expect(lastStatus(order.number)!.reason).toContain('ŹDŹBŁO-999');
		expect(roCalls(from)).toEqual([]);
		expect(portal.state.claims.log.some((e) => e.orderNumber === order.number)).toBe(false);
	});

	const claimDecisions = (number: string) =>
		portal.state.claims.log.filter((e) => e.orderNumber === number).map((e) => e.decision);
	const lastNode = (data: any): string | undefined => (data?.data?.resultData ?? data?.resultData)?.lastNodeExecuted;

	it("Optima refuses an RO for good at save time although the SQL check passed (422 rejected): rejected with Optima's reason, claim ended, no RO; the run goes on, no alert", async () => {
		const k = sellingClient();
		const refused = portal.seedOrder(portalOrder(805, k, orderable(k, 1, 7)));
		const fine = portal.seedOrder(portalOrder(806, k, orderable(k, 1, 8)));
		// a check of Optima's own at Sesja.Save() that the check through SQL does not make (the client's credit limit)
		const why = `Kontrahent ${text(k.Knt_Kod)} przekroczył limit kredytu kupieckiego: dokumentu RO nie można zapisać`;
		bridge.refuseAtSave(refused.number, why);
		const from = bridge.requests.length;
		portal.state.syncStatus.clear();
		const run = await timed('execute orders (Optima refuses for good)', () => n8n.execute(ids.orders));
		expect(run.error).toBeUndefined(); // a final refusal is no failure of the run: the order is answered
		expect(rosOf(refused.number)).toEqual([]);
		expect(portal.state.orders.get(refused.number)!.status).toBe('rejected');
		// on the first attempt, without "(po N próbach)": retrying cannot change it
		expect(lastStatus(refused.number)).toMatchObject({
			status: 'rejected',
			reason: `Optima odrzucił zamówienie: ${why}`,
		});
		// claimed once, the claim ended by the rejection (not released for another try); the portal hold released
		expect(claimDecisions(refused.number)).toEqual(['claimed', 'closed']);
		expect(portal.state.claims.live().filter((c) => c.orderNumber === refused.number)).toEqual([]);
		expect(portal.state.reservations.reservations.get(refused.number)).toMatchObject({
			status: 'released',
			releaseReason: 'rejected',
		});
		// the other order of the run goes through; each was posted once, nothing looked up after the 422
		expectOneRoConfirmed(fine);
		expect(roCalls(from).sort()).toEqual(['POST 201', 'POST 422']);
		// what the part (claim → RO → …) did with each order: one rejected for good (Reject: Optima refused), no
		// claim released, nothing given up; the run did not stop
		const outcomes = nodeItems(run.data, 'Create each order in Optima').map((o) => o.outcome);
		expect(outcomes.sort()).toEqual(['confirmed', 'rejected']);
		expect(ran(run.data)).not.toContain('Stop: Optima refused an order');
		expect(portal.state.syncStatus.get('optima orders')).toMatchObject({
			status: 'success',
			counts: { confirmed: 1, rejected: 1, refusedByOptima: 1 },
		});
	});

	it('Optima locked on every try (503 optima_locked): runs 1–4 release the claim and fail (error workflow), the 5th rejects the order "(po 5 próbach)" with the alert; no RO', async () => {
		const k = sellingClient();
		const order = portal.seedOrder(portalOrder(809, k, orderable(k, 1, 9)));
		const operator = 'KSIĘGOWA ŻANETA';
		// every COM call of this case meets the lock; Retry-After 0 so that the node's retries within a run do not wait
		bridge.lock({ operator, retryAfter: '0', times: 1000 });
		portal.state.syncStatus.clear();
		try {
			for (let attempt = 1; attempt <= 5; attempt++) {
				const from = bridge.requests.length;
				const run = await timed(`execute orders (Optima locked, attempt ${attempt})`, () => n8n.execute(ids.orders));
				// the run fails (status error: n8n starts the workflow's Error Workflow, the watchdog)
				expect({ attempt, ok: run.ok, status: run.data?.status }).toEqual({ attempt, ok: false, status: 'error' });
				expect(lastNode(run.data)).toBe('Stop: Optima refused an order');
				// within the run: posted, looked up (nothing there), posted again … every post refused by the lock
				const calls = roCalls(from);
				expect(calls).toContain('GET 200');
				expect(calls.filter((c) => c.startsWith('POST')).length).toBeGreaterThan(1);
				expect(calls.filter((c) => c !== 'POST 503' && c !== 'GET 200')).toEqual([]);
				expect(rosOf(order.number)).toEqual([]);
				expect(portal.state.syncStatus.get('optima orders')).toBeUndefined(); // a failed run is no heartbeat
				if (attempt < 5) {
					expect(run.error).toContain(`Optima did not take portal order ${order.number} (attempt ${attempt} of 5;`);
					expect(run.error).toContain(`zablokowana przez operatora ${operator}`);
					expect(portal.state.orders.get(order.number)!.status).toBe('placed');
					// the part released the claim (Release claim (Optima refused)), rejected nothing
					expect(nodeItems(run.data, 'Create each order in Optima').map((o) => o.outcome)).toEqual(['retryLater']);
					expect(claimDecisions(order.number)).toEqual(Array(attempt).fill(['claimed', 'released']).flat());
				} else {
					expect(run.error).toContain(
						`Portal order ${order.number} was rejected after 5 attempts; Optima did not take it`,
					);
					// the part rejected it (Reject: Optima refused → Alert: order given up), released nothing
					const [alert, ...more] = nodeItems(run.data, 'Create each order in Optima');
					expect(alert.outcome).toBe('givenUp');
					expect(more).toEqual([]);
					expect(alert).toMatchObject({ order: { number: order.number } });
					expect(String(alert.alert)).toContain(`zablokowana przez operatora ${operator}`);
					expect(claimDecisions(order.number)).toEqual([
						...Array(4).fill(['claimed', 'released']).flat(),
						'claimed',
						'closed',
					]);
				}
			}
		} finally {
			bridge.restart(); // the locks not used (the service restarts: another operator's lock is gone)
		}
		expect(portal.state.orders.get(order.number)!.status).toBe('rejected');
		const reason = lastStatus(order.number)!.reason!;
		expect(reason.startsWith('Optima nie przyjął zamówienia (błąd przejściowy): ')).toBe(true);
		expect(reason).toContain(`Optima jest zablokowana przez operatora ${operator} (LockApp)`);
		expect(reason.endsWith(' (po 5 próbach)')).toBe(true);
		expect(portal.state.reservations.reservations.get(order.number)).toMatchObject({ status: 'released' });
	});

	describe('delivered by the signed portal webhook (the workflow published, n8n started)', () => {
		let url: string;
		const webhookRuns = async () => (await n8n.executions(ids.orders)).filter((e) => e.mode === 'webhook');
		const ordersRead = (mark: number) =>
			portal.requests.slice(mark).filter((r) => r.method === 'GET' && r.path === '/v1/orders' && r.status === 200);

		beforeAll(async () => {
			// the published copy without its 5-minute schedule (withoutSchedule says why); the poll path is tested by
			// the CLI runs
			const published = withoutSchedule(template('orders'));
			await n8n.importWorkflows([{ workflow: published, id: ids.orders, credentialIds: CREDENTIAL_IDS }]);
			await timed('publish + start n8n', async () => {
				await n8n.publish(ids.orders);
				await n8n.start();
			});
			url = await n8n.webhookUrlFor(ids.orders, 'New order in portal');
		});
		afterAll(async () => {
			await n8n.stop();
		});

		it('order.created: one RO with the portal number, TwI_Rezerwacje raised, confirmed with the RO number in real time; a repeated delivery starts nothing', async () => {
			const k = sellingClient();
			const items = orderable(k, 2, 10);
			expect(items).toHaveLength(2);
			const before = items.map((t) => reservedIn(text(t.Twr_Kod)));
			const order = portal.seedOrder(portalOrder(807, k, items));
			const from = bridge.requests.length;
			const mark = portal.requests.length;
			const res = await timed('webhook → RO → confirmed', async () => {
				const r = await portal.sendOrderEvent(url, {
					type: 'order.created',
					order: order.number,
					id: 'evt-optima-807',
				});
				await until(
					'the webhook order to be confirmed',
					() => portal.state.orders.get(order.number)?.status === 'confirmed',
				);
				return r;
			});
			expect(res.status).toBe(200);
			const run = await n8n.waitForExecution(ids.orders, (e) => e.mode === 'webhook' && e.finished);
			expect(run.status).toBe('success');
			const ro = expectOneRoConfirmed(order);
			expect(portal.state.acknowledgements.get(order.number)).toMatchObject({
				erpDocumentNumber: text(ro.TrN_NumerPelny),
				erpDocumentId: String(ro.TrN_TrNID),
			});
			expect(items.map((t) => reservedIn(text(t.Twr_Kod)))).toEqual(
				before.map((r, i) => r + Number(order.lines[i].quantity)),
			);
			expect(roCalls(from)).toEqual(['POST 201']);
			expect(ordersRead(mark)).toEqual([]); // the webhook path: the poll's list was never asked for
			expect(portal.state.syncStatus.get('optima orders')).toMatchObject({ counts: { confirmed: 1, rejected: 0 } });

			// the portal retries the same delivery (its answer was lost): the trigger answers 200 and starts nothing
			const runsBefore = (await webhookRuns()).length;
			const repeat = await portal.sendOrderEvent(url, {
				type: 'order.created',
				order: order.number,
				id: 'evt-optima-807',
			});
			expect(repeat.status).toBe(200);
			expect(JSON.parse(repeat.body)).toMatchObject({ duplicate: true });
			await new Promise((r) => setTimeout(r, 500));
			expect((await webhookRuns()).length).toBe(runsBefore);
			expect(rosOf(order.number)).toHaveLength(1);
		});

		it('the same order delivered twice at once by webhook while the poll picks it up: exactly one RO, confirmed once', async () => {
			const k = sellingClient();
			const order = portal.seedOrder(portalOrder(808, k, orderable(k, 1, 12)));
			const from = bridge.requests.length;
			const mark = portal.requests.length;
			const runsBefore = (await webhookRuns()).length;
			// a slow save: the run that claims first holds the claim while Optima saves, the others arrive meanwhile
			bridge.comCallMs = 2500;
			try {
				const [poll, deliveries] = await timed('poll + two webhook deliveries of one order', async () => {
					// the 5-minute safety net (a CLI run beside the server): it reads the order while it is still placed
					const polling = n8n.execute(ids.orders);
					await until('the poll to read the new orders', () => ordersRead(mark).length > 0, 60_000);
					const sent = await Promise.all(
						['evt-optima-808-a', 'evt-optima-808-b'].map((id) =>
							portal.sendOrderEvent(url, { type: 'order.created', order: order.number, id }),
						),
					);
					const polled = await polling;
					const deadline = Date.now() + 30_000;
					while ((await webhookRuns()).filter((e) => e.finished).length < runsBefore + 2) {
						if (Date.now() > deadline) throw new Error('the two webhook runs did not finish');
						await new Promise((r) => setTimeout(r, 250));
					}
					return [polled, sent] as const;
				});
				expect(deliveries.map((r) => r.status)).toEqual([200, 200]);
				expect(poll.error).toBeUndefined();
			} finally {
				bridge.comCallMs = 0;
			}
			const runs = await webhookRuns();
			expect(runs).toHaveLength(runsBefore + 2);
			expect(runs.map((e) => e.status)).toEqual(runs.map(() => 'success'));
			// all three reached the claim: one created the RO, the others were turned away (busy, or done once confirmed)
			const decisions = claimDecisions(order.number).filter((d) => d !== 'closed');
			expect(decisions).toHaveLength(3);
			expect(decisions.filter((d) => d === 'claimed')).toHaveLength(1);
			expect(decisions.filter((d) => d !== 'claimed' && d !== 'busy' && d !== 'done')).toEqual([]);
			// Optima: asked once, one RO with the portal number; the portal: confirmed once with its number
			expect(roCalls(from)).toEqual(['POST 201']);
			expectOneRoConfirmed(order);
			expect(portal.state.orderStatusHistory.get(order.number)!.filter((h) => h.status === 'confirmed')).toHaveLength(
				1,
			);
		});
	});
});

describe('orders as Optima XML files in the import folder', () => {
	const xmlFiles = () => readdirSync(importFolder).sort();
	/** RO_<cleaned number>_<8 hex of the raw number's SHA-256>_<UTC yyyyMMdd-HHmmss>.xml: the template's rule */
	const nameOf = (number: string) => new RegExp(`^RO_${orderFileStem(number)}_\\d{8}-\\d{6}\\.xml$`);
	const filesOf = (number: string) => xmlFiles().filter((f) => nameOf(number).test(f));
	const fileOf = (number: string) => {
		const files = filesOf(number);
		expect([number, files.length]).toEqual([number, 1]);
		return files[0];
	};

	it('the check first; one RO file per accepted order with the namespace, the foreign number and Polish letters byte for byte', async () => {
		const k = sellingClient();
		const good = portal.seedOrder(portalOrder(811, k, orderable(k, 2, 5)));
		const bad = portal.seedOrder({
			...portalOrder(812, k, []),
			lines: [{ lineNo: 1, productCode: 'ŻÓŁW-404', quantity: '1', unitPrice: '1.00', vatRate: '23' }],
		});
		const run = await timed('execute orders-xml', () => n8n.execute(ids['orders-xml']));
		expect(run.error).toBeUndefined();
		expect(xmlFiles()).toEqual([fileOf(good.number)]);
		const bytes = readFileSync(path.join(importFolder, fileOf(good.number)));
		// Windows-1250, as Optima writes its XML (the template's Encoding), declared in the prolog
		const xml = iconv.decode(bytes, 'windows-1250');
		expect(iconv.encode(xml, 'windows-1250').equals(bytes)).toBe(true);
		expect(xml).toMatch(/^<\?xml version="1\.0" encoding="(windows|WINDOWS)-1250"\?>/);
		expect(xml).toMatch(/<ROOT xmlns="http:\/\/www\.cdn\.com\.pl\/optima\/dokument"/);
		expect(xml).toContain(`<NUMER_OBCY>${good.number}</NUMER_OBCY>`);
		expect(xml).toMatch(/<TYP_DOKUMENTU>308<\/TYP_DOKUMENTU>/);
		expect(xml).toContain(`<KOD>${good.clientCode}</KOD>`);
		for (const l of good.lines) expect(xml).toContain(`<KOD>${l.productCode}</KOD>`);
		// the notes' Polish letters, byte for byte in code page 1250 (ą = B9, ś = 9C, ź = 9F, Ż = AF …)
		expect(bytes.includes(iconv.encode(NOTES, 'windows-1250'))).toBe(true);
		// ą ć ę ł ń ó ś ź ż from the code page 1250 table itself, not from a converter
		expect(bytes.includes(Buffer.from([0xb9, 0xe6, 0xea, 0xb3, 0xf1, 0xf3, 0x9c, 0x9f, 0xbf]))).toBe(true);
		expect(portal.state.orders.get(good.number)!.status).toBe('confirmed');
		expect(portal.state.orders.get(bad.number)!.status).toBe('rejected');
		expect(portal.state.orderStatusHistory.get(bad.number)!.at(-1)!.reason).toContain('ŻÓŁW-404');
		// counted from what the two parts gave back (the portal held both; Optima would refuse the unknown product)
		expect(portal.state.syncStatus.get('optima orders-xml')).toMatchObject({
			status: 'success',
			counts: { handedOver: 1, rejected: 1, invalid: 0, outOfStock: 0, refusedByOptima: 1 },
		});
		expect(portal.state.orderStatusHistory.get(good.number)!.at(-1)!.reason).toContain(fileOf(good.number));
	});

	it('two orders whose numbers clean alike (B2B/2026/000813, B2B_2026_000813) get a file each, each with its own RO', async () => {
		const k = sellingClient();
		const slash = portal.seedOrder(portalOrder(813, k, orderable(k, 1, 5)));
		const underscore = portal.seedOrder({ ...portalOrder(813, k, orderable(k, 1, 6)), number: 'B2B_2026_000813' });
		const before = xmlFiles();
		const run = await timed('execute orders-xml (2 numbers that clean alike)', () => n8n.execute(ids['orders-xml']));
		expect(run.error).toBeUndefined();
		const files = [fileOf(slash.number), fileOf(underscore.number)];
		expect(files[0]).not.toBe(files[1]);
		expect(xmlFiles()).toEqual([...before, ...files].sort());
		for (const [order, file] of [
			[slash, files[0]],
			[underscore, files[1]],
		] as const) {
			const xml = iconv.decode(readFileSync(path.join(importFolder, file)), 'windows-1250');
			expect(xml).toContain(`<NUMER_OBCY>${order.number}</NUMER_OBCY>`);
			expect(portal.state.orders.get(order.number)!.status).toBe('confirmed');
		}
	});

	it('a second hand-over of an order (its file written, the portal update failed) never replaces or adds a file', async () => {
		const k = sellingClient();
		const order = portal.seedOrder(portalOrder(814, k, orderable(k, 2, 5)));
		portal.faults.add({
			method: 'POST',
			path: '/v1/order-statuses/batch',
			kind: 'status',
			status: 403,
			times: Infinity,
		});
		let first: string;
		let was: { mtime: number; bytes: Buffer };
		try {
			const failed = await timed('execute orders-xml (portal update fails)', () => n8n.execute(ids['orders-xml']));
			expect(failed.ok).toBe(false);
			first = fileOf(order.number);
			was = {
				mtime: statSync(path.join(importFolder, first)).mtimeMs,
				bytes: readFileSync(path.join(importFolder, first)),
			};
			expect(portal.state.orders.get(order.number)!.status).toBe('placed');
		} finally {
			portal.faults.clear();
		}
		await new Promise((r) => setTimeout(r, 1100)); // a later second: a new hand-over would get a new name
		const retry = await timed('execute orders-xml (the same order again)', () => n8n.execute(ids['orders-xml']));
		expect(retry.error).toBeUndefined();
		expect(filesOf(order.number)).toEqual([first]);
		expect(statSync(path.join(importFolder, first)).mtimeMs).toBe(was.mtime);
		expect(readFileSync(path.join(importFolder, first)).equals(was.bytes)).toBe(true);
		// handed over again by the file found (same name, same bytes, same time above), not by a new one
		expect(nodeItems(retry.data, 'Hand over each order (XML file)')).toHaveLength(1);
		expect(portal.state.orders.get(order.number)!.status).toBe('confirmed');
		expect(portal.state.orderStatusHistory.get(order.number)!.at(-1)!.reason).toContain(first);
	});
});

describe('after Optima issues the WZ and the FS: order status and invoices', () => {
	it('RO → WZ → FS in the simulator: the portal shows shipped, then invoiced with the FS and its PDF', async () => {
		const order = [...portal.state.orders.values()].find((o) => o.number === 'B2B/2026/000801')!;
		const ro = rosOf(order.number)[0];
		const status = () => portal.state.orders.get(order.number)!.status;

		const wz = issueWz(db, ro.TrN_TrNID, optimaStamp());
		const first = await timed('execute order-status (WZ)', () => n8n.execute(ids['order-status']));
		expect(first.error).toBeUndefined();
		expect(status()).toBe('shipped');
		// the other ROs are still in Optima's buffer (no WZ): 'placed' is never sent back for them, they stay confirmed
		for (const n of ['B2B/2026/000802', 'B2B/2026/000803']) {
			expect(db.TraNag.find((x) => x.TrN_NumerObcy === n)!.TrN_Bufor).toBe(1);
			expect([n, portal.state.orders.get(n)!.status]).toEqual([n, 'confirmed']);
			expect([n, portal.state.orderStatusHistory.get(n)!.map((h) => h.status)]).toEqual([n, ['confirmed']]);
		}

		await new Promise((r) => setTimeout(r, 1100)); // a later TS_Mod than the last status read
		const fs = issueFs(db, wz.TrN_TrNID, optimaStamp());
		const results = await timed('execute-batch order-status, invoices', () =>
			n8n.executeBatch([ids['order-status'], ids.invoices]),
		);
		expect({ ...results[ids['order-status']], data: undefined }).toMatchObject({ ok: true });
		expect({ ok: results[ids.invoices].ok, error: results[ids.invoices].error }).toEqual({
			ok: true,
			error: undefined,
		});
		expect(status()).toBe('invoiced');
		expect(portal.state.orderStatusHistory.get(order.number)!.map((s) => s.status)).toEqual(
			expect.arrayContaining(['confirmed', 'shipped', 'invoiced']),
		);
		const fsRow = fs;
		const stored = portal.state.invoices.get(text(fsRow.TrN_NumerPelny))!;
		expect(stored).toBeDefined();
		expect(stored.data).toMatchObject({ orderNumber: order.number, clientCode: order.clientCode });
		expect(Number(stored.data.totals.net)).toBeCloseTo(amount(fsRow.TrN_RazemNetto), 2);
		expect(stored.pdf!.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(portal.state.syncStatus.get('optima invoices')).toMatchObject({ counts: { invoices: 1 } });
	});
});
