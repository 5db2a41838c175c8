/**
 * Benchmark (not a test: nothing is asserted) of the big reads of issue #15, each through its real template in a
 * real n8n started with a 1 GB machine's heap (--max-old-space-size=512), against the simulators:
 *
 *   sap-products      workflows-templates/sap-b1/sap-b1-products.json, "all items"      N products
 *   sap-prices        workflows-templates/sap-b1/sap-b1-prices.json, "all prices"       ≈ N prices (N / 3 items × 3 lists)
 *   subiekt-products  workflows-templates/subiekt-gt/subiekt-gt-sql-products.json      N products (SQL Server simulator)
 *   subiekt-prices    workflows-templates/subiekt-gt/subiekt-gt-sql-prices.json        ≈ N prices (N / 2 products × 2 levels)
 *   csv-stock         workflows-templates/file-sync/file-sync-stock.json: a Windows-1250 CSV of R stock rows on the
 *                     FTP simulator → ERP File → Stock buffer 95 % → portal
 *
 * Each gets its own floor (bench/floor-reads.mjs, its own process, no n8n): the same reads, the guards' work with the
 * pack's own functions, the same portal writes in 1,000-record batches; ratio = our execution ÷ that floor. The scenario
 * code looks only at the simulators (requests, statements, portal batches) and n8n's execution times, never at the form
 * the records travel in between nodes (one item each, or batch files), so it measures whatever the templates do.
 *
 *   npm run bench -- --only products,prices,csv [--products N] [--prices N] [--csv-rows N] [--out FILE]
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { N8nInstance, REPO_ROOT } from '../test/e2e/harness/n8n-instance';
import { sqlServerCredentialData } from '../test/fixtures/credentials';
import { encodeText } from '../nodes/shared/files/encoding';
import { startFtpSimulator, type FtpSimulator } from '../test/simulators/ftp/server';
import { startPortalSimulator, type PortalSimulator } from '../test/simulators/portal/server';
import { startSapSimulator, type SapSimulator } from '../test/simulators/sap-b1/server';
import { DEFAULT_DATABASE, SqlServerSimulator } from '../test/simulators/sql-server/server';
import { subiektSchema } from '../test/simulators/sql-server/subiekt';
import { addGeneratedProducts, seedDatabase } from '../test/simulators/sql-server/subiekt/data';
import {
	benchCopy,
	CAPPED_HEAP_MB,
	freshN8n,
	nodeTimesOf,
	RssSampler,
	runByWebhook,
	runFloorScript,
	secs,
	type ScenarioRow,
	type Target,
	type Workflow,
} from './common';

export const READ_SCENARIOS = [
	'sap-products',
	'sap-prices',
	'subiekt-products',
	'subiekt-prices',
	'csv-stock',
] as const;
export type ReadScenario = (typeof READ_SCENARIOS)[number];
/** names --only takes besides the scenarios themselves */
const GROUPS: Record<string, ReadScenario[]> = {
	reads: [...READ_SCENARIOS],
	products: ['sap-products', 'subiekt-products'],
	prices: ['sap-prices', 'subiekt-prices'],
	csv: ['csv-stock'],
	sap: ['sap-products', 'sap-prices'],
	subiekt: ['subiekt-products', 'subiekt-prices'],
};

export interface ReadsOptions {
	products: number;
	prices: number;
	csvRows: number;
	scenarios: ReadScenario[];
	log: (line: string) => void;
}

const DEFAULTS = { products: 100_000, prices: 100_000, csvRows: 300_000 };
const QUICK = { products: 2_000, prices: 2_000, csvRows: 6_000 };
/** the SAP node's Page Size default (nodes/SapB1/actions/common.ts) */
const SAP_PAGE_SIZE = 500;
/** SAP simulator seed: 3 price lists, so ≈ 3 list prices per item */
const SAP_LISTS = 3;
/** Subiekt generated products have net prices on 2 levels */
const SUBIEKT_LEVELS = 2;
/** addGeneratedProducts marks every 37th product deleted (left out by the reads) */
const SUBIEKT_LIVE = 36 / 37;
const WAREHOUSES = ['MAG', 'ŁÓDŹ', 'GDAŃSK'];

const CRED = {
	portal: { id: 'benchPortalCred1', name: 'B2B Portal (bench)' },
	sapProducts: { id: 'benchSapProducts', name: 'SAP Business One (bench, products)' },
	sapPrices: { id: 'benchSapPrices01', name: 'SAP Business One (bench, prices)' },
	subiektProducts: { id: 'benchSqlProducts', name: 'Subiekt GT SQL (bench, products)' },
	subiektPrices: { id: 'benchSqlPrices01', name: 'Subiekt GT SQL (bench, prices)' },
	ftp: { id: 'benchFtpCred0001', name: 'FTP (bench)' },
};

/** What --only names: the stock/orders bench of sync.ts ('stock'), and read scenarios or their groups. */
export function parseOnly(argv: string[]): { stock: boolean; reads: ReadScenario[] } {
	const i = argv.indexOf('--only');
	if (i < 0) return { stock: true, reads: [...READ_SCENARIOS] };
	const names = String(argv[i + 1] ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	if (!names.length) throw new Error('--only needs a list, e.g. --only products,prices,csv');
	const reads = new Set<ReadScenario>();
	let stock = false;
	for (const n of names) {
		if (n === 'stock') stock = true;
		else if (GROUPS[n]) GROUPS[n].forEach((s) => reads.add(s));
		else if ((READ_SCENARIOS as readonly string[]).includes(n)) reads.add(n as ReadScenario);
		else
			throw new Error(
				`--only: unknown "${n}"; one of stock, ${Object.keys(GROUPS).join(', ')}, ${READ_SCENARIOS.join(', ')}`,
			);
	}
	return { stock, reads: READ_SCENARIOS.filter((s) => reads.has(s)) };
}

export function parseReadsArgs(
	argv: string[],
	log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): ReadsOptions {
	const base = argv.includes('--quick') ? QUICK : DEFAULTS;
	const num = (flag: string, dflt: number) => {
		const i = argv.indexOf(flag);
		if (i < 0) return dflt;
		const v = Number(argv[i + 1]);
		if (!Number.isFinite(v) || v <= 0) throw new Error(`${flag} needs a positive number, got "${argv[i + 1]}"`);
		return Math.round(v);
	};
	return {
		products: num('--products', base.products),
		prices: num('--prices', base.prices),
		csvRows: num('--csv-rows', base.csvRows),
		scenarios: parseOnly(argv).reads,
		log,
	};
}

// ------------------------------------------------------------------------------------------------ CSV

/** Windows-1250 stock CSV as Subiekt/Excel write one: `;`, decimal commas, CRLF, Polish letters in codes and names */
export function stockCsv(rows: number): Buffer {
	const lines = ['Symbol;Nazwa;Magazyn;Stan;Rezerwacja;Dostępne'];
	const names = ['Łódka wiosłowa żółta', 'Wiertło "Żubr" 10 mm', 'Źródło światła ćma', 'Gęś porcelanowa', 'Śruba ąę'];
	const products = Math.ceil(rows / WAREHOUSES.length);
	for (let n = 0; n < rows; n++) {
		const p = n % products;
		const wh = WAREHOUSES[Math.floor(n / products)];
		const onHand = (p * 7919) % 5000;
		const reserved = p % 13;
		const name = `${names[p % names.length]} nr ${p + 1}`.replace(/"/g, '""');
		lines.push(
			`ŻÓŁ-${String(p + 1).padStart(6, '0')};"${name}";${wh};${onHand},${p % 4}5;${reserved};${Math.max(0, onHand - reserved)},${p % 4}5`,
		);
	}
	return encodeText(`${lines.join('\r\n')}\r\n`, 'windows-1250');
}

// ------------------------------------------------------------------------------------------------ run

interface ErpCounter {
	count: () => number;
}
interface Scenario {
	name: ReadScenario;
	title: string;
	template: string;
	trigger: string;
	credentialIds: Record<string, { id: string; name: string }>;
	entity: 'products' | 'prices' | 'stock';
	erp: ErpCounter;
	floorCfg: () => object;
	size: string;
}

const written = (portal: PortalSimulator, from: number, entity: string) =>
	portal.requests
		.slice(from)
		.filter((r) => r.method === 'POST' && r.path.startsWith(`/v1/${entity}/batch`) && r.status >= 200 && r.status < 300)
		.reduce((n, r) => n + (r.itemCount ?? 0), 0);

export interface ReadsReport {
	when: string;
	options: Pick<ReadsOptions, 'products' | 'prices' | 'csvRows' | 'scenarios'>;
	loadBefore: number[];
	loadAfter: number[];
	cpus: number;
	rows: ScenarioRow[];
	targets: Target[];
}

export async function runReads(opts: ReadsOptions): Promise<ReadsReport> {
	const log = opts.log;
	const loadBefore = loadavg();
	const t0 = Date.now();
	const step = (s: string) => log(`[reads ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${s}`);
	const want = new Set(opts.scenarios);
	const sapItemsForPrices = Math.ceil(opts.prices / SAP_LISTS);
	const subiektForProducts = Math.ceil(opts.products / SUBIEKT_LIVE);
	const subiektForPrices = Math.ceil(opts.prices / SUBIEKT_LEVELS / SUBIEKT_LIVE);
	step(`seeding: ${[...want].join(', ')}`);
	const sql = (n: number) => {
		const db = seedDatabase();
		addGeneratedProducts(db, n);
		return new SqlServerSimulator({ databases: { [DEFAULT_DATABASE]: subiektSchema(db) } });
	};
	const portal = await startPortalSimulator({ apiKey: 'bench-portal-key-7c1e' });
	const sapP = want.has('sap-products')
		? await startSapSimulator({ seed: { items: opts.products, warehouses: 3, seed: 2026 } })
		: undefined;
	const sapC = want.has('sap-prices')
		? await startSapSimulator({ seed: { items: sapItemsForPrices, warehouses: 3, seed: 2026 } })
		: undefined;
	const sqlP = want.has('subiekt-products') ? sql(subiektForProducts) : undefined;
	const sqlC = want.has('subiekt-prices') ? sql(subiektForPrices) : undefined;
	await Promise.all([sqlP?.start(), sqlC?.start()]);
	const ftp: FtpSimulator | undefined = want.has('csv-stock') ? await startFtpSimulator() : undefined;
	const csvPath = '/export/stany_20261207_0215.csv';
	// the template moves the file it imported to the archive folder: the floor reads its own copy
	const floorCsv = '/bench-floor/stany.csv';
	if (ftp) {
		const csv = stockCsv(opts.csvRows);
		ftp.put(csvPath, csv, { mtime: new Date('2026-12-07T01:15:00Z') });
		ftp.put(floorCsv, csv);
	}
	step('seeded');

	const n8n = await N8nInstance.create();
	const rows: ScenarioRow[] = [];
	const targets: Target[] = [];
	try {
		step('build + pack + install the pack, import credentials and workflows');
		await n8n.installPack();
		const sapCred = (s: SapSimulator) => ({
			serviceLayerUrl: s.url,
			companyDb: s.companyDb,
			username: 'manager',
			password: '1234',
			gatewayUrl: s.gatewayUrl,
			timeZone: 'Europe/Warsaw',
		});
		const sqlCred = (s: SqlServerSimulator) => sqlServerCredentialData(s);
		await n8n.importCredentials([
			{
				...CRED.portal,
				type: 'b2bPortalApi',
				data: { baseUrl: portal.url, authType: 'apiKey', apiKey: portal.apiKey },
			},
			...(sapP ? [{ ...CRED.sapProducts, type: 'sapB1Api', data: sapCred(sapP) }] : []),
			...(sapC ? [{ ...CRED.sapPrices, type: 'sapB1Api', data: sapCred(sapC) }] : []),
			...(sqlP ? [{ ...CRED.subiektProducts, type: 'subiektGtSqlApi', data: sqlCred(sqlP) }] : []),
			...(sqlC ? [{ ...CRED.subiektPrices, type: 'subiektGtSqlApi', data: sqlCred(sqlC) }] : []),
			...(ftp
				? [
						{
							...CRED.ftp,
							type: 'ftp',
							data: { host: ftp.host, port: ftp.port, username: ftp.user, password: ftp.password },
						},
					]
				: []),
		]);
		// the floor reads SAP in pages of the size the template's read node asks for (its Page Size option, else
		// the node's default), so that its requests are the template's
		const sapPageSize = (template: string, node: string) =>
			Number(readTemplate(template).nodes.find((n) => n.name === node)?.parameters?.options?.pageSize ?? SAP_PAGE_SIZE);
		const sapFloor = (s: SapSimulator, template: string, node: string) => ({
			url: s.url,
			companyDb: s.companyDb,
			user: 'manager',
			password: '1234',
			pageSize: sapPageSize(template, node),
		});
		const stockTemplate = readTemplate('file-sync/file-sync-stock.json');
		const parseNode = stockTemplate.nodes.find((n) => n.type === 'n8n-nodes-erp-b2b.erpFile');
		const all: Scenario[] = [
			{
				name: 'sap-products',
				title: 'SAP B1 products, all items',
				template: 'sap-b1/sap-b1-products.json',
				trigger: 'SAP: all items',
				credentialIds: { sapB1Api: CRED.sapProducts, b2bPortalApi: CRED.portal },
				entity: 'products',
				erp: { count: () => sapP!.requests.length },
				floorCfg: () => ({ sap: sapFloor(sapP!, 'sap-b1/sap-b1-products.json', 'SAP: all items') }),
				size: `${opts.products} items`,
			},
			{
				name: 'sap-prices',
				title: 'SAP B1 prices, all prices',
				template: 'sap-b1/sap-b1-prices.json',
				trigger: 'SAP: all prices',
				credentialIds: { sapB1Api: CRED.sapPrices, b2bPortalApi: CRED.portal },
				entity: 'prices',
				erp: { count: () => sapC!.requests.length },
				floorCfg: () => ({
					sap: { ...sapFloor(sapC!, 'sap-b1/sap-b1-prices.json', 'SAP: all prices'), concurrency: 4 },
				}),
				size: `${sapItemsForPrices} items × ${SAP_LISTS} price lists + special prices`,
			},
			{
				name: 'subiekt-products',
				title: 'Subiekt GT SQL products',
				template: 'subiekt-gt/subiekt-gt-sql-products.json',
				trigger: 'Subiekt: all products',
				credentialIds: { subiektGtSqlApi: CRED.subiektProducts, b2bPortalApi: CRED.portal },
				entity: 'products',
				erp: { count: () => sqlP!.statements.length },
				floorCfg: () => ({ sql: sqlCred(sqlP!) }),
				size: `${subiektForProducts} generated products (every 37th deleted) + the seed's`,
			},
			{
				name: 'subiekt-prices',
				title: 'Subiekt GT SQL prices',
				template: 'subiekt-gt/subiekt-gt-sql-prices.json',
				trigger: 'Subiekt: all prices',
				credentialIds: { subiektGtSqlApi: CRED.subiektPrices, b2bPortalApi: CRED.portal },
				entity: 'prices',
				erp: { count: () => sqlC!.statements.length },
				floorCfg: () => ({ sql: sqlCred(sqlC!) }),
				size: `${subiektForPrices} generated products × ${SUBIEKT_LEVELS} levels + the seed's`,
			},
			{
				name: 'csv-stock',
				title: 'CSV stock file (Windows-1250) from FTP, ERP File → buffer → portal',
				template: 'file-sync/file-sync-stock.json',
				trigger: 'Settings',
				credentialIds: { ftp: CRED.ftp, b2bPortalApi: CRED.portal },
				entity: 'stock',
				// the FTP simulator keeps no request log: its one file is the read
				erp: { count: () => 0 },
				floorCfg: () => ({
					csv: {
						file: path.join(ftp!.root, floorCsv),
						mapping: parseNode?.parameters?.stockColumns,
						decimalComma: parseNode?.parameters?.options?.decimalComma === true,
					},
				}),
				size: `${opts.csvRows} rows, ${(stockCsvSize(ftp, csvPath) / 1e6).toFixed(1)} MB`,
			},
		];
		const scenarios = all.filter((s) => want.has(s.name));
		const ids = await n8n.importWorkflows(
			scenarios.map((s) => ({
				workflow: benchCopy(readTemplate(s.template), `bench: ${s.name}`, [{ path: `bench-${s.name}`, to: s.trigger }]),
				credentialIds: s.credentialIds,
			})),
		);
		for (const id of ids) await n8n.publish(id);

		for (const [k, s] of scenarios.entries()) {
			step(`${s.name}: fresh n8n with --max-old-space-size=${CAPPED_HEAP_MB}`);
			const idle = await freshN8n(n8n); // the harness starts n8n with the 512 MB heap
			portal.reset();
			const fromErp = s.erp.count();
			const fromPortal = portal.requests.length;
			step(`${s.name}: our template (${s.size})`);
			const sampler = new RssSampler({ server: true }).start();
			let run: Awaited<ReturnType<typeof runByWebhook>> | undefined;
			let failure: string | undefined;
			try {
				run = await runByWebhook(n8n, ids[k], `bench-${s.name}`, 20 * 60_000);
				if (!run.ok) failure = run.error;
			} catch (e) {
				// a V8 fatal error (the heap limit reached) ends n8n: its first line says so, the tail is a native stack
				const logs = n8n.logs();
				const fatal = /FATAL ERROR[^\n]*|JavaScript heap out of memory[^\n]*/.exec(logs)?.[0];
				failure = `${fatal ? `n8n crashed (${fatal.trim()})` : (e as Error).message}; n8n log:\n${logs.split('\n').slice(-15).join('\n')}`;
			}
			const rss = sampler.stop();
			const ours = written(portal, fromPortal, s.entity);
			const oursRow: ScenarioRow = {
				scenario: `${s.name}: ${s.title}`,
				wallMs: run?.ms ?? NaN,
				execMs: run?.execMs,
				sapRequests: s.erp.count() - fromErp,
				portalRequests: portal.requests.length - fromPortal,
				itemsWritten: ours,
				itemsPerSec: run?.execMs ? ours / (run.execMs / 1000) : NaN,
				peakRssMB: rss,
				mainRssMB: sampler.mainMB,
				note: `${s.size}; fresh n8n at ${idle} MB${failure ? `; FAILED: ${failure.split('\n')[0].slice(0, 300)}` : ''}`,
			};
			if (failure) log(`${s.name} failed: ${failure}`);
			else if (run) oursRow.note += `; nodes: ${await nodeTimesOf(n8n, run.executionId)}`;
			rows.push(oursRow);

			step(`${s.name}: floor (same reads, the guards' work, the same portal writes; no n8n)`);
			portal.reset();
			const fFromErp = s.erp.count();
			const fFromPortal = portal.requests.length;
			let floor: Awaited<ReturnType<typeof runFloorScript<{ rows: number; ms: number }>>>;
			try {
				floor = await runFloorScript<{ rows: number; ms: number }>('floor-reads.mjs', {
					kind: s.name,
					portalUrl: portal.url,
					apiKey: portal.apiKey,
					...s.floorCfg(),
				});
			} catch (e) {
				// one scenario's broken floor must not lose the other scenarios' figures
				log(`${s.name}: floor failed: ${(e as Error).message}`);
				floor = { rows: 0, ms: NaN, wallMs: NaN, peakRssMB: 0 };
			}
			const floorWritten = written(portal, fFromPortal, s.entity);
			rows.push({
				scenario: `${s.name}: floor + the guards' work, script, no n8n`,
				wallMs: floor.wallMs,
				execMs: floor.ms,
				sapRequests: s.erp.count() - fFromErp,
				portalRequests: portal.requests.length - fFromPortal,
				itemsWritten: floorWritten,
				itemsPerSec: floorWritten / (floor.ms / 1000),
				peakRssMB: floor.peakRssMB,
				note: 'its own process; the pack’s mapping and guards, 1,000 records per portal batch',
			});
			targets.push(...scenarioTargets(s.name, oursRow, floor.ms, floorWritten, failure));
			for (const row of rows.slice(-2))
				log(
					`  ${row.scenario}: execution ${secs(row.execMs ?? NaN)}, ${row.itemsWritten} written, ${row.peakRssMB} MB`,
				);
		}
		step('done');
	} catch (e) {
		log(`n8n log tail:\n${n8n.logs().split('\n').slice(-30).join('\n')}`);
		throw e;
	} finally {
		await n8n.dispose().catch(() => undefined);
		await Promise.all(
			[portal.close(), sapP?.close(), sapC?.close(), sqlP?.stop(), sqlC?.stop(), ftp?.close()].map((p) =>
				p?.catch(() => undefined),
			),
		);
	}
	return {
		when: new Date().toISOString(),
		options: { products: opts.products, prices: opts.prices, csvRows: opts.csvRows, scenarios: opts.scenarios },
		loadBefore,
		loadAfter: loadavg(),
		cpus: cpus().length,
		rows,
		targets,
	};
}

function readTemplate(rel: string): Workflow {
	return JSON.parse(readFileSync(path.join(REPO_ROOT, 'workflows-templates', rel), 'utf8')) as Workflow;
}

function stockCsvSize(ftp: FtpSimulator | undefined, at: string): number {
	return ftp?.read(at)?.length ?? 0;
}

/** PASS/MISS of one scenario, each with its reason */
export function scenarioTargets(
	name: string,
	ours: ScenarioRow,
	floorMs: number,
	floorWritten: number,
	failure?: string,
): Target[] {
	const exec = ours.execMs;
	const ratio = exec !== undefined && !failure ? exec / floorMs : NaN;
	const why = failure ? `run failed: ${failure.split('\n')[0].slice(0, 160)}` : '';
	return [
		{
			what: `${name}: ours ÷ floor doing the guards' work, time`,
			target: '≤ 2×',
			value: Number.isFinite(ratio)
				? `${ratio.toFixed(2)}× (${secs(exec!)} vs ${secs(floorMs)})`
				: `– (${why || 'no execution time'})`,
			pass: Number.isFinite(ratio) && ratio <= 2,
		},
		{
			what: `${name}: n8n peak RSS with its task runner, heap ${CAPPED_HEAP_MB} MB`,
			target: '≤ 1024 MB',
			value: `${ours.peakRssMB} MB${failure ? ` (${why})` : ''}`,
			pass: !failure && (ours.peakRssMB ?? Infinity) <= 1024,
		},
		{
			what: `${name}: records written, ours = floor`,
			target: `${floorWritten}`,
			value: `${ours.itemsWritten}`,
			pass: !failure && ours.itemsWritten === floorWritten && floorWritten > 0,
		},
	];
}

// ------------------------------------------------------------------------------------------------ report

export function renderReadsReport(r: ReadsReport): string {
	const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
	const underLoad = Math.max(r.loadBefore[0], r.loadAfter[0]) >= r.cpus;
	const s = (ms: number | undefined) => (ms === undefined || !Number.isFinite(ms) ? '–' : (ms / 1000).toFixed(1));
	const out: string[] = [];
	out.push('## Reads: products, prices, CSV stock file (issue #15)', '');
	out.push(
		`${r.when} · ${r.options.products.toLocaleString('en')} products · ${r.options.prices.toLocaleString('en')} prices · ${r.options.csvRows.toLocaleString('en')} CSV rows · n8n heap ${CAPPED_HEAP_MB} MB · ${r.options.scenarios.join(', ')}`,
	);
	out.push(
		`${r.cpus} CPUs, load average ${load(r.loadBefore)} before, ${load(r.loadAfter)} after${underLoad ? ' — MEASURED UNDER LOAD (other processes were competing for the CPUs)' : ''}`,
		'',
	);
	out.push(
		'| scenario | wall s | execution s | ERP requests | portal requests | records written | records/s | peak RSS MB (n8n + runner) | n8n process peak RSS MB | note |',
	);
	out.push('|---|--:|--:|--:|--:|--:|--:|--:|--:|---|');
	for (const row of r.rows)
		out.push(
			`| ${row.scenario} | ${s(row.wallMs)} | ${s(row.execMs)} | ${row.sapRequests} | ${row.portalRequests} | ${row.itemsWritten} | ${Number.isFinite(row.itemsPerSec) ? Math.round(row.itemsPerSec) : '–'} | ${row.peakRssMB ?? '–'} | ${row.mainRssMB ?? '–'} | ${row.note} |`,
		);
	out.push('', '| target (issue #15) | target | measured | |', '|---|---|---|---|');
	for (const t of r.targets)
		out.push(`| ${t.what} | ${t.target} | ${t.value} | ${t.pass === undefined ? '' : t.pass ? 'PASS' : 'MISS'} |`);
	out.push(
		'',
		"Each template run in a freshly started n8n (regular mode, --max-old-space-size=512), triggered by a bench-only webhook on its read node (the CSV: on Settings), into an emptied portal. execution = n8n's startedAt → stoppedAt; the floor: its own timer. ERP requests: SAP Service Layer requests, or SQL statements (the pool's checks included); the FTP simulator keeps no log (0). Records written = records of 2xx portal batch requests. Floor = bench/floor-reads.mjs: the same reads, the pack's mapping, the guards' work (products, prices: the delta's validation and content hash and the portal node's validation; CSV: ERP File's validation, the 95 % buffer, the portal node's validation), 1,000-record portal batches with the next prepared while one is in flight.",
	);
	return `${out.join('\n')}\n`;
}

export async function mainReads(argv: string[]): Promise<string> {
	const opts = parseReadsArgs(argv);
	if (!opts.scenarios.length) return '';
	return renderReadsReport(await runReads(opts));
}

/** writes `text` to `out` (folders made) unless out is '' */
export function writeReport(out: string, text: string, log: (l: string) => void): void {
	if (!out) return;
	if (!existsSync(path.dirname(out))) mkdirSync(path.dirname(out), { recursive: true });
	writeFileSync(out, text);
	log(`written to ${path.relative(process.cwd(), out)}`);
}
