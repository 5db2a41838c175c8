/**
 * The Subiekt GT order templates (workflows-templates/subiekt-gt/: orders through the Sfera bridge, orders as
 * EDI++ files, order status, invoices) in a real n8n 2.41.1 with the packed pack, against the Sfera bridge
 * simulator and the portal simulator. Assertions are on what the PORTAL and SUBIEKT (the bridge's state, the
 * import folder's bytes) end up holding: exactly one ZK per portal order with the portal's lines, prices and
 * client — also after an opaque COM error before or after saving, a 503 with Retry-After, a lost answer and a
 * duplicate webhook —, rejections with Subiekt's reason, one CP1250 .epp file per order that the pack's own
 * reader parses back to the portal order, and an invoiced order whose invoice and PDF are in the portal.
 *
 * n8n 2.x lets Read/Write Files reach only N8N_RESTRICT_FILE_ACCESS_TO (default ~/.n8n-files): the EPP run
 * gets a temporary import folder allowed that way, as an installation would configure it.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as iconv from 'iconv-lite';
import { N8nInstance, REPO_ROOT, nodeItems, withoutSchedule } from './harness/n8n-instance';
import { sqlServerCredentialData } from '../fixtures/credentials';
import { stepTimings, until, ranNodes as ran } from './harness/steps';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { startBridgeSimulator, type BridgeSimulator, type ZkDocument } from '../simulators/subiekt-bridge/server';
import { DEFAULT_DATABASE, DEFAULT_USER, SqlServerSimulator } from '../simulators/sql-server/server';
import { subiektSchema } from '../simulators/sql-server/subiekt';
import { seedDatabase } from '../simulators/sql-server/subiekt/data';
import { parseEpp } from '../../nodes/shared/edi/epp';
import { orderFromZk } from '../../nodes/shared/edi/epp-canonical';
import { orderFileStem } from '../../nodes/shared/files/fileName';
import type { Order } from '../../nodes/shared/model/types';

jest.setTimeout(300_000);

const DIR = path.join(REPO_ROOT, 'workflows-templates', 'subiekt-gt');
const FILES = {
	bridge: 'subiekt-gt-orders-bridge.json',
	epp: 'subiekt-gt-orders-epp.json',
	status: 'subiekt-gt-order-status.json',
	invoices: 'subiekt-gt-invoices.json',
} as const;
type Name = keyof typeof FILES;
const template = (name: Name) => JSON.parse(readFileSync(path.join(DIR, FILES[name]), 'utf8'));
const BRIDGE_CRED = { id: 'subiektBridge01', name: 'Subiekt GT bridge account' };
const SQL_CRED = { id: 'subiektSql00001', name: 'Subiekt GT SQL Server account' };
const PORTAL_CRED = { id: 'portalCred0001', name: 'B2B Portal account' };
const CREDENTIAL_IDS = { subiektBridgeApi: BRIDGE_CRED, subiektGtSqlApi: SQL_CRED, b2bPortalApi: PORTAL_CRED };
const CRED_NAMES: Record<string, string> = {
	subiektBridgeApi: BRIDGE_CRED.name,
	subiektGtSqlApi: SQL_CRED.name,
	b2bPortalApi: PORTAL_CRED.name,
};
const NOTES = 'Proszę o dostawę przed świętami — zażółć gęślą jaźń, ĄĆĘŁŃÓŚŹŻ';

let bridge: BridgeSimulator;
let portal: PortalSimulator;
/** Subiekt's company database (read only): the EPP template checks orders against it before writing a file */
let sqlDb: SqlServerSimulator;
let n8n: N8nInstance;
let allowedRoot: string;
let importFolder: string;
const ids = {} as Record<Name, string>;
const started = Date.now();
const { timings, timed } = stepTimings();

const zksOf = (number: string): ZkDocument[] =>
	[...bridge.state.documents.values()].filter((d) => d.originalNumber === number);
const posts = () => bridge.requests.filter((r) => r.method === 'POST' && r.path === '/v1/zk');
const acks = (number: string) =>
	portal.requests.filter(
		(r) => r.method === 'POST' && r.path === `/v1/orders/${encodeURIComponent(number)}/acknowledge`,
	);
/** claims given back early (the bridge part's *Release claim (Subiekt refused)*), from the portal's request log */
const releases = () =>
	portal.requests.filter((r) => r.method === 'DELETE' && /^\/v1\/orders\/[^/]+\/claim$/.test(r.path));
/** what the bridge part gave back for each order (its nodes ran in a sub-execution of their own) */
const answered = (run: { data: unknown }) => nodeItems(run.data, 'Create each order in Subiekt');

function portalOrder(n: number, overrides: Partial<Order> = {}): Order {
	return {
		number: `B2B/2026/${String(n).padStart(6, '0')}`,
		clientCode: 'K-ŚWIĘTOKRZYSKA',
		placedAt: '2026-11-26T10:15:00+01:00',
		currency: 'PLN',
		priceType: 'net',
		lines: [
			{ lineNo: 1, productCode: 'ŁÓD-001', quantity: '2', unitPrice: '129.99', vatRate: '23' },
			{ lineNo: 2, productCode: 'WIO-003', quantity: '1', unitPrice: '45.00', vatRate: 'zw', discountPercent: '5' },
			{ lineNo: 3, productCode: 'ŻAG-002', quantity: '3.5', unitPrice: '12.35', vatRate: '8' },
		],
		notes: NOTES,
		...overrides,
	};
}

/** The one ZK of a portal order holds the portal's client, lines and prices; the portal knows its number. */
function expectOneZkAcknowledged(order: Order): ZkDocument {
	const zks = zksOf(order.number);
	expect(zks).toHaveLength(1);
	const [zk] = zks;
	expect(zk).toMatchObject({ clientSymbol: order.clientCode, warehouseSymbol: 'MAG', reserve: true, priceType: 'net' });
	expect(zk.lines).toEqual(
		order.lines.map((l) => ({
			symbol: l.productCode,
			quantity: l.quantity,
			unitPrice: l.unitPrice,
			vatRate: l.vatRate,
			...(l.discountPercent ? { discountPercent: l.discountPercent } : {}),
		})),
	);
	expect(zk.notes).toBe(order.notes);
	expect(portal.state.orders.get(order.number)).toMatchObject({
		status: 'confirmed',
		erpDocumentNumber: zk.number,
		erpDocumentId: String(zk.id),
	});
	return zk;
}

beforeAll(async () => {
	[bridge, portal] = await Promise.all([
		startBridgeSimulator({ apiKey: 'e2e-bridge-KEY-3f9d1c7a' }),
		startPortalSimulator({ apiKey: 'e2e-portal-KEY-5ab1c9e2', webhookSecret: 'e2e-webhook-SECRET-żółć' }),
	]);
	const clients = [
		{ symbol: 'K-ŚWIĘTOKRZYSKA', name: 'Hurtownia Świętokrzyska', blocked: false },
		{ symbol: 'K-ŁÓDŹ-ŻABIA', name: 'Sklep Żabia Łódź', blocked: false },
		{ symbol: 'K-ZABLOKOWANY-Ń', name: 'Dłużnik Ńowak', blocked: true },
	];
	for (const c of clients) bridge.state.clients.set(c.symbol, c);
	const products = [
		{ symbol: 'ŁÓD-001', name: 'Łódka żółta', stock: 1000, reserved: 0 },
		{ symbol: 'WIO-003', name: 'Wiosło ą ć ę ł ń ó ś ź ż', stock: 1000, reserved: 0 },
		{ symbol: 'ŻAG-002', name: 'Żagiel źrebięcy', stock: 1000, reserved: 0 },
	];
	for (const p of products) bridge.state.products.set(p.symbol, p);
	// the same clients and products in Subiekt's database (the EPP path reads it; the bridge asks Sfera)
	const db = seedDatabase();
	clients.forEach((c, i) =>
		db.kh__Kontrahent.push({
			kh_Id: 21 + i,
			kh_Symbol: c.symbol,
			kh_EMail: null,
			kh_Zablokowany: c.blocked,
			kh_Cena: 1,
			kh_DataZmiany: null,
		}),
	);
	db.tw__Towar.find((t) => t.tw_Symbol === 'WIO-003')!.tw_Zablokowany = false;
	sqlDb = new SqlServerSimulator({ databases: { [DEFAULT_DATABASE]: subiektSchema(db) } });
	await sqlDb.start();

	allowedRoot = mkdtempSync(path.join(tmpdir(), 'subiekt-e2e-files-'));
	importFolder = path.join(allowedRoot, 'subiekt-import');
	mkdirSync(importFolder); // Subiekt's import share exists; n8n does not create the folder it writes into
	n8n = await N8nInstance.create({ env: { N8N_RESTRICT_FILE_ACCESS_TO: allowedRoot } });
	await timed('install pack', () => n8n.installPack());
	await timed('import credentials', () =>
		n8n.importCredentials([
			{ ...BRIDGE_CRED, type: 'subiektBridgeApi', data: { baseUrl: bridge.url, apiKey: bridge.apiKey } },
			{
				...SQL_CRED,
				type: 'subiektGtSqlApi',
				data: sqlServerCredentialData(sqlDb),
			},
			{
				...PORTAL_CRED,
				type: 'b2bPortalApi',
				data: { baseUrl: portal.url, authType: 'apiKey', apiKey: portal.apiKey, webhookSecret: portal.webhookSecret },
			},
		]),
	);
	// the one line an installation changes in the EPP template: where Subiekt imports from
	const epp = template('epp');
	const settings = epp.nodes.find((n: { name: string }) => n.name === 'Order and file name');
	const folder = settings.parameters.assignments.assignments.find((a: { name: string }) => a.name === 'importFolder');
	expect(folder.value).toBe('/home/node/.n8n-files/subiekt-import'); // the Docker image's allowed folder
	folder.value = importFolder;
	const names = Object.keys(FILES) as Name[];
	const imported = await timed('import 4 templates', () =>
		n8n.importWorkflows(
			names.map((name) => ({ workflow: name === 'epp' ? epp : template(name), credentialIds: CREDENTIAL_IDS })),
		),
	);
	names.forEach((name, i) => (ids[name] = imported[i]));
});

afterAll(async () => {
	await n8n?.dispose();
	await Promise.all([bridge?.close(), portal?.close(), sqlDb?.stop()]);
	if (allowedRoot) rmSync(allowedRoot, { recursive: true, force: true });
	timings.push(`whole file: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	console.log(`subiekt-gt e2e timings:\n  ${timings.join('\n  ')}`);
});

afterEach(() => {
	expect(portal.contractViolations).toEqual([]);
	expect(bridge.faults.pending).toEqual([]); // every injected fault really happened
});

describe('the templates as shipped', () => {
	it.each(Object.values(FILES))(
		'%s: credentials by type only, error workflow ready, sticky notes, Run now first, ends with a heartbeat',
		(file) => {
			const wf = JSON.parse(readFileSync(path.join(DIR, file), 'utf8'));
			expect(wf.settings).toEqual({ executionOrder: 'v1', errorWorkflow: '' });
			for (const node of wf.nodes)
				for (const [type, ref] of Object.entries<{ id: string; name: string }>(node.credentials ?? {})) {
					expect(ref.id).toBe('');
					expect(ref.name).toBe(CRED_NAMES[type]);
				}
			expect(
				wf.nodes.filter((n: { type: string }) => n.type === 'n8n-nodes-base.stickyNote').length,
			).toBeGreaterThanOrEqual(2);
			const triggers = wf.nodes.filter((n: { type: string }) => /Trigger$|scheduleTrigger|manualTrigger/.test(n.type));
			expect(triggers[0]).toMatchObject({ name: 'Run now (test)', type: 'n8n-nodes-base.manualTrigger' });
			expect(triggers.some((n: { type: string }) => n.type === 'n8n-nodes-base.scheduleTrigger')).toBe(true);
			const heartbeat = wf.nodes.find((n: { name: string }) => n.name === 'Record run');
			expect(heartbeat.parameters).toMatchObject({ resource: 'syncStatus', operation: 'record', status: 'success' });
			expect(wf.connections['Record run']).toBeUndefined();
			// every connection points at a node that exists
			const names = new Set(wf.nodes.map((n: { name: string }) => n.name));
			for (const [from, c] of Object.entries<{ main: Array<Array<{ node: string }>> }>(wf.connections)) {
				expect(names.has(from)).toBe(true);
				for (const out of c.main) for (const to of out) expect(names.has(to.node)).toBe(true);
			}
		},
	);
});

describe('orders through the Sfera bridge: exactly one ZK each, acknowledged with its number', () => {
	it('polling: two orders become one ZK each with the portal lines, prices and client; a second run adds nothing', async () => {
		const a = portal.seedOrder(portalOrder(701));
		const b = portal.seedOrder(
			portalOrder(702, { clientCode: 'K-ŁÓDŹ-ŻABIA', lines: portalOrder(0).lines.slice(0, 1) }),
		);
		const run = await timed('execute orders-bridge (2 orders)', () => n8n.execute(ids.bridge));
		expect(run.error).toBeUndefined();
		const zkA = expectOneZkAcknowledged(a);
		const zkB = expectOneZkAcknowledged(b);
		expect(zkA.number).not.toBe(zkB.number);
		// Subiekt's totals, each line rounded to the grosz first: 259.98 + 59.80 (23 %), 42.75 (45.00 − 5 %, zw),
		// 43.23 + 3.46 (3.5 × 12.35, 8 %) — the bridge computes them, the pack never does
		expect(zkA.totals).toEqual({ net: '345.96', vat: '63.26', gross: '409.22' });
		expect(bridge.state.products.get('ŁÓD-001')!.reserved).toBe(4);
		expect(portal.state.syncStatus.get('subiekt-gt orders')).toMatchObject({
			status: 'success',
			counts: { confirmed: 2, rejected: 0 },
			expectedEveryMinutes: 5,
		});

		const postsBefore = posts().length;
		const again = await timed('execute orders-bridge (nothing new)', () => n8n.execute(ids.bridge));
		expect(again.error).toBeUndefined();
		expect(posts().length).toBe(postsBefore); // confirmed orders are not offered again
		expect(zksOf(a.number)).toHaveLength(1);
		expect(portal.state.syncStatus.get('subiekt-gt orders')).toMatchObject({ counts: { confirmed: 0, rejected: 0 } });
	});

	it('an opaque COM error BEFORE the save: the lookup finds nothing, the ZK is created on the next try', async () => {
		const order = portal.seedOrder(portalOrder(703));
		const before = bridge.requests.length;
		bridge.comError();
		const run = await timed('execute orders-bridge (COM error before save)', () => n8n.execute(ids.bridge));
		expect(run.error).toBeUndefined();
		expectOneZkAcknowledged(order);
		const calls = bridge.requests.slice(before).filter((r) => r.path === '/v1/zk');
		expect(calls.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 502', 'GET 200', 'POST 201']);
		expect(acks(order.number)).toHaveLength(1);
	});

	it('an opaque COM error AFTER the save: the lookup finds the ZK and nothing is posted again', async () => {
		const order = portal.seedOrder(portalOrder(704));
		const before = bridge.requests.length;
		bridge.comError({ afterSave: true });
		const run = await timed('execute orders-bridge (COM error after save)', () => n8n.execute(ids.bridge));
		expect(run.error).toBeUndefined();
		expectOneZkAcknowledged(order);
		const calls = bridge.requests.slice(before).filter((r) => r.path === '/v1/zk');
		expect(calls.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 502', 'GET 200']);
	});

	it('Subiekt locked (503 with Retry-After) twice: one ZK once the bridge takes it', async () => {
		const order = portal.seedOrder(portalOrder(705));
		const before = bridge.requests.length;
		bridge.faults.add({ method: 'POST', path: '/v1/zk', kind: 'status', status: 503, retryAfter: '1', times: 2 });
		const run = await timed('execute orders-bridge (503 twice)', () => n8n.execute(ids.bridge));
		expect(run.error).toBeUndefined();
		expectOneZkAcknowledged(order);
		const statuses = bridge.requests
			.slice(before)
			.filter((r) => r.method === 'POST' && r.path === '/v1/zk')
			.map((r) => r.status);
		expect(statuses).toEqual([503, 503, 201]);
	});

	it('the answer to the create is lost after Subiekt saved the ZK: one ZK, acknowledged once', async () => {
		const order = portal.seedOrder(portalOrder(706));
		const before = bridge.requests.length;
		bridge.faults.add({ method: 'POST', path: '/v1/zk', kind: 'drop', afterWrite: true });
		const run = await timed('execute orders-bridge (lost answer)', () => n8n.execute(ids.bridge));
		expect(run.error).toBeUndefined();
		expectOneZkAcknowledged(order);
		const calls = bridge.requests.slice(before).filter((r) => r.path === '/v1/zk');
		expect(calls.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 0', 'GET 200']);
		expect(acks(order.number)).toHaveLength(1);
		expect(portal.state.orderStatusHistory.get(order.number)!.filter((s) => s.status === 'confirmed')).toHaveLength(1);
	});

	it("Subiekt refuses for good (422): unknown client, unknown product, blocked client → rejected with Subiekt's reason, no ZK", async () => {
		const unknown = portal.seedOrder(
			portalOrder(707, {
				lines: [{ lineNo: 1, productCode: 'ŹDŹBŁO-999', quantity: '1', unitPrice: '1.00', vatRate: '23' }],
			}),
		);
		const blocked = portal.seedOrder(portalOrder(708, { clientCode: 'K-ZABLOKOWANY-Ń' }));
		const stranger = portal.seedOrder(portalOrder(713, { clientCode: 'K-NIEZNANY-ŹDŹBŁO' }));
		const fine = portal.seedOrder(portalOrder(709, { clientCode: 'K-ŁÓDŹ-ŻABIA' }));
		const releasesBefore = releases().length;
		const run = await timed('execute orders-bridge (3 refused, 1 fine)', () => n8n.execute(ids.bridge));
		expect(run.error).toBeUndefined(); // a final refusal is no failure of the run: the order is answered
		const last = (n: string) => portal.state.orderStatusHistory.get(n)!.at(-1)!;
		for (const [order, message] of [
			[unknown, 'Nie znaleziono towaru o symbolu ŹDŹBŁO-999'],
			[blocked, 'Kontrahent K-ZABLOKOWANY-Ń jest zablokowany'],
			[stranger, 'Nie znaleziono kontrahenta o symbolu K-NIEZNANY-ŹDŹBŁO'],
		] as const) {
			expect(zksOf(order.number)).toEqual([]);
			expect(portal.state.orders.get(order.number)!.status).toBe('rejected');
			// on the first attempt: no "(po N próbach)", retrying cannot change it
			expect(last(order.number)).toMatchObject({
				status: 'rejected',
				reason: `Subiekt GT odrzucił zamówienie: ${message}`,
			});
		}
		expectOneZkAcknowledged(fine);
		expect(portal.state.syncStatus.get('subiekt-gt orders')).toMatchObject({
			counts: { confirmed: 1, rejected: 3, refusedBySubiekt: 3 },
		});
		// the part's answers: three rejections in the portal, one confirmed order; no claim given back
		expect(answered(run).map((i) => i.outcome)).toEqual(['confirmed', 'rejected', 'rejected', 'rejected']);
		expect(releases().length).toBe(releasesBefore);
	});

	it('an order Subiekt cannot take for a reason that may pass stays placed and is retried, at most 5 times: then rejected with the last reason and an alert', async () => {
		// a ZK with this original number already exists with other lines (typed in Subiekt by hand): 409, a person
		// must look — retried while the attempts last
		const clash = portalOrder(710);
		bridge.state.documents.set(9001, {
			id: 9001,
			type: 'ZK',
			number: 'ZK 900/11/2026',
			originalNumber: clash.number,
			clientSymbol: clash.clientCode,
			warehouseSymbol: 'MAG',
			reserve: false,
			priceType: 'net',
			currency: 'PLN',
			lines: [{ symbol: 'ŁÓD-001', quantity: '9', unitPrice: '1.00', vatRate: '23' }],
			status: 'open',
			totals: { net: '9.00', vat: '2.07', gross: '11.07' },
		});
		portal.seedOrder(clash);
		try {
			const fine = portal.seedOrder(portalOrder(711));
			portal.state.syncStatus.clear();
			for (let attempt = 1; attempt <= 4; attempt++) {
				const releasesBefore = releases().length;
				const run = await timed(`execute orders-bridge (409, attempt ${attempt})`, () => n8n.execute(ids.bridge));
				expect(run.ok).toBe(false);
				expect(run.error).toContain(`Subiekt GT did not take portal order ${clash.number} (attempt ${attempt} of 5;`);
				expect(run.error).toContain('HTTP 409');
				expect(portal.state.orders.get(clash.number)!.status).toBe('placed');
				// its claim given back at once, so the next run may take it without waiting for the lease
				expect(
					releases()
						.slice(releasesBefore)
						.map((r) => r.path),
				).toEqual([`/v1/orders/${encodeURIComponent(clash.number)}/claim`]);
				expect(answered(run).filter((i) => i.outcome === 'retryLater')).toHaveLength(1);
				if (attempt === 1) expectOneZkAcknowledged(fine); // the others go through
				expect(portal.state.syncStatus.get('subiekt-gt orders')).toBeUndefined(); // a failed run is no heartbeat
			}
			const given = await timed('execute orders-bridge (409, last attempt)', () => n8n.execute(ids.bridge));
			expect(given.ok).toBe(false); // the alert
			expect(given.error).toContain(
				`Portal order ${clash.number} was rejected after 5 attempts; Subiekt did not take it`,
			);
			expect(portal.state.orders.get(clash.number)!.status).toBe('rejected');
			const reason = portal.state.orderStatusHistory.get(clash.number)!.at(-1)!.reason!;
			expect(reason).toMatch(
				/^Subiekt GT nie przyjął zamówienia \(błąd przejściowy\): ZK ZK 900\/11\/2026 already has original number/,
			);
			expect(reason.endsWith(' (po 5 próbach)')).toBe(true);
			expect(zksOf(clash.number)).toHaveLength(1); // still only the hand-made one
			// answered: the next run does not offer it again
			const postsBefore = posts().length;
			const idle = await timed('execute orders-bridge (after giving up)', () => n8n.execute(ids.bridge));
			expect(idle.error).toBeUndefined();
			expect(posts().length).toBe(postsBefore);
		} finally {
			bridge.state.documents.delete(9001);
			portal.state.orders.delete(clash.number); // out of the way of the later runs
		}
	});

	it('webhook: a signed order.created is confirmed in real time; a repeated delivery and a re-sent event create nothing', async () => {
		await timed('publish + start n8n', async () => {
			// the published copy without its 5-minute schedule (withoutSchedule says why)
			await n8n.importWorkflows([
				{ workflow: withoutSchedule(template('bridge')), id: ids.bridge, credentialIds: CREDENTIAL_IDS },
			]);
			await n8n.publish(ids.bridge);
			await n8n.start();
		});
		try {
			const url = await n8n.webhookUrlFor(ids.bridge, 'New order in portal');
			const order = portal.seedOrder(portalOrder(712, { clientCode: 'K-ŁÓDŹ-ŻABIA' }));
			const first = await portal.sendOrderEvent(url, { type: 'order.created', order: order.number, id: 'evt-sub-712' });
			expect(first.status).toBe(200);
			await until(
				'the webhook order to be confirmed',
				() => portal.state.orders.get(order.number)?.status === 'confirmed',
			);
			await n8n.waitForExecution(ids.bridge, (e) => e.mode === 'webhook' && e.finished);
			const zk = expectOneZkAcknowledged(order);

			// the portal retries the same delivery (its answer was lost): the trigger answers 200 and starts nothing
			const webhookRuns = async () => (await n8n.executions(ids.bridge)).filter((e) => e.mode === 'webhook');
			const runsBefore = (await webhookRuns()).length;
			const repeat = await portal.sendOrderEvent(url, {
				type: 'order.created',
				order: order.number,
				id: 'evt-sub-712',
			});
			expect(repeat.status).toBe(200);
			expect(JSON.parse(repeat.body)).toMatchObject({ duplicate: true });
			// the portal sends the order again as a NEW event: the claim answers "done" (the order is confirmed), so
			// Subiekt is not even asked
			const postsBefore = posts().length;
			const resent = await portal.sendOrderEvent(url, {
				type: 'order.created',
				order: order.number,
				id: 'evt-sub-712-b',
			});
			expect(resent.status).toBe(200);
			const deadline = Date.now() + 30_000;
			while ((await webhookRuns()).filter((e) => e.finished).length < runsBefore + 1) {
				if (Date.now() > deadline) throw new Error('the re-sent event was not processed');
				await new Promise((r) => setTimeout(r, 250));
			}
			expect((await webhookRuns()).length).toBe(runsBefore + 1);
			expect((await webhookRuns()).filter((e) => e.finished && e.status !== 'success')).toEqual([]);
			expect(posts().length).toBe(postsBefore);
			expect(zksOf(order.number)).toEqual([zk]);
			expect(portal.state.orders.get(order.number)!.erpDocumentNumber).toBe(zk.number);
			expect(portal.state.acknowledgements.get(order.number)).toMatchObject({ erpDocumentNumber: zk.number });
		} finally {
			await n8n.stop(); // so that the schedules cannot fire during the CLI runs below
		}
	});
});

describe('orders as EDI++ files (no Sfera)', () => {
	const eppFiles = () => readdirSync(importFolder).sort();
	/** ZK_<cleaned number>_<8 hex of the raw number's SHA-256>_<UTC yyyyMMdd-HHmmss>.epp: the template's rule */
	const nameOf = (number: string) => new RegExp(`^ZK_${orderFileStem(number)}_\\d{8}-\\d{6}\\.epp$`);
	/** the files of one order in the import folder */
	const filesOf = (number: string) => eppFiles().filter((f) => nameOf(number).test(f));
	const fileOf = (number: string) => {
		const files = filesOf(number);
		expect([number, files.length]).toEqual([number, 1]);
		return files[0];
	};
	const a = () => portal.state.orders.get('B2B/2026/000801')!;
	const b = () => portal.state.orders.get('B2B/2026/000802')!;

	it('each new order becomes one CP1250 .epp file: a ZK whose original number is the portal order number', async () => {
		// the bridge template must not take these: its placed orders were all handled above
		// EDI++ carries unit prices to 4 places: one line at 12.3456 PLN
		const fourPlaces = portalOrder(0).lines.map((l) => (l.lineNo === 3 ? { ...l, unitPrice: '12.3456' } : l));
		portal.seedOrder(portalOrder(801, { lines: fourPlaces }));
		portal.seedOrder(portalOrder(802, { clientCode: 'K-ŁÓDŹ-ŻABIA', priceType: 'gross', lines: fourPlaces }));
		const run = await timed('execute orders-epp (2 orders)', () => n8n.execute(ids.epp));
		expect(run.error).toBeUndefined();
		expect(eppFiles()).toHaveLength(2);
		expect(eppFiles()[0]).toMatch(nameOf('B2B/2026/000801'));
		expect(eppFiles()[1]).toMatch(nameOf('B2B/2026/000802'));

		for (const order of [a(), b()]) {
			const file = fileOf(order.number);
			const bytes = readFileSync(path.join(importFolder, file));
			const parsed = parseEpp(bytes, { encoding: 'auto', fileName: file });
			expect(parsed.encoding).toBe('windows-1250');
			expect(parsed.info[2]).toBe('1250');
			expect(parsed.sections.map((s) => s.name)).toEqual(['ZK']);
			const zk = orderFromZk(parsed.sections[0]);
			expect(zk).toMatchObject({
				number: order.number,
				clientCode: order.clientCode,
				currency: 'PLN',
				priceType: order.priceType,
				notes: NOTES,
			});
			expect(zk.lines.map((l) => [l.productCode, l.quantity, l.unitPrice, l.vatRate, l.discountPercent])).toEqual(
				order.lines.map((l) => [l.productCode, l.quantity, l.unitPrice, l.vatRate, l.discountPercent]),
			);
			// byte-wise: Polish letters as Windows-1250 bytes (ł = 0xB3, ś = 0x9C, Ż = 0xAF …), never as UTF-8
			for (const text of [NOTES, order.clientCode, 'ŁÓD-001', 'ŻAG-002'])
				expect(bytes.includes(iconv.encode(text, 'windows-1250'))).toBe(true);
			expect(bytes.includes(Buffer.from('ł', 'utf8'))).toBe(false);
			expect(bytes.includes(Buffer.from([0xb3]))).toBe(true);
			expect(bytes.subarray(-4).toString('latin1')).toBe('\r\n\r\n'); // CRLF and the trailing empty line
		}

		// handed over: confirmed, without a document number (the ZK number comes from Subiekt later), with a note
		for (const order of [a(), b()]) {
			expect(order.status).toBe('confirmed');
			expect(order.erpDocumentNumber).toBeUndefined();
			expect(portal.state.orderStatusHistory.get(order.number)!.at(-1)!.reason).toContain(fileOf(order.number));
		}
		expect(portal.state.syncStatus.get('subiekt-gt orders-epp')).toMatchObject({
			status: 'success',
			counts: { handedOver: 2 },
		});
	});

	it('an order Subiekt would refuse (unknown client, unknown product, blocked client) is rejected with the reason and gets no file', async () => {
		const unknownClient = portal.seedOrder(portalOrder(804, { clientCode: 'K-NIEZNANY-ŹDŹBŁO' }));
		const unknownProduct = portal.seedOrder(
			portalOrder(805, {
				lines: [
					portalOrder(0).lines[0],
					{ lineNo: 2, productCode: 'ŹDŹBŁO-999', quantity: '1', unitPrice: '1.00', vatRate: '23' },
				],
			}),
		);
		const blocked = portal.seedOrder(portalOrder(806, { clientCode: 'K-ZABLOKOWANY-Ń' }));
		const fine = portal.seedOrder(portalOrder(807, { clientCode: 'K-ŁÓDŹ-ŻABIA' }));
		const before = eppFiles();
		const run = await timed('execute orders-epp (3 refused, 1 fine)', () => n8n.execute(ids.epp));
		expect(run.error).toBeUndefined();
		expect(eppFiles()).toEqual([...before, fileOf(fine.number)].sort());
		const last = (n: string) => portal.state.orderStatusHistory.get(n)!.at(-1)!;
		expect(last(unknownClient.number)).toMatchObject({
			status: 'rejected',
			reason: 'Klient K-NIEZNANY-ŹDŹBŁO nie istnieje w Subiekt GT',
		});
		expect(last(unknownProduct.number)).toMatchObject({
			status: 'rejected',
			reason: 'Pozycja 2: produkt ŹDŹBŁO-999 nie istnieje w Subiekt GT',
		});
		expect(last(blocked.number)).toMatchObject({
			status: 'rejected',
			reason: 'Klient K-ZABLOKOWANY-Ń jest zablokowany w Subiekt GT',
		});
		expect(portal.state.orders.get(fine.number)!.status).toBe('confirmed');
		// only the accepted order reached the hand-over part (its file is the only new one, above)
		expect(nodeItems(run.data, 'Hand over each order (EPP file)')).toHaveLength(1);
		expect(portal.state.syncStatus.get('subiekt-gt orders-epp')).toMatchObject({
			counts: { handedOver: 1, rejected: 3, refusedBySubiekt: 3 },
		});
		// the check read Subiekt's database only through the named SELECTs
		expect(sqlDb.statements.filter((st) => st.query).map((st) => st.query)).toEqual(
			expect.arrayContaining(['orderClient', 'orderProduct']),
		);
		expect(sqlDb.statements.every((st) => st.errorNumber === undefined)).toBe(true);
	});

	it('a re-run writes no second file for an order already handed over; a new order gets its own file', async () => {
		const stamp = (f: string) => statSync(path.join(importFolder, f)).mtimeMs;
		const before = Object.fromEntries(
			eppFiles().map((f) => [f, { mtime: stamp(f), bytes: readFileSync(path.join(importFolder, f)) }]),
		);
		const idle = await timed('execute orders-epp (nothing new)', () => n8n.execute(ids.epp));
		expect(idle.error).toBeUndefined();
		expect(ran(idle.data)).toContain('Get new orders from portal');
		expect(ran(idle.data)).not.toContain('Hand over each order (EPP file)'); // nothing to hand over: the part is not even called
		expect(eppFiles()).toEqual(Object.keys(before));
		for (const [f, was] of Object.entries(before)) {
			expect(stamp(f)).toBe(was.mtime);
			expect(readFileSync(path.join(importFolder, f)).equals(was.bytes)).toBe(true);
		}
		expect(portal.state.syncStatus.get('subiekt-gt orders-epp')).toMatchObject({ counts: { handedOver: 0 } });

		portal.seedOrder(portalOrder(803));
		const next = await timed('execute orders-epp (1 new)', () => n8n.execute(ids.epp));
		expect(next.error).toBeUndefined();
		expect(eppFiles()).toEqual([...Object.keys(before), fileOf('B2B/2026/000803')].sort());
		expect(nodeItems(next.data, 'Hand over each order (EPP file)')).toHaveLength(1);
		for (const [f, was] of Object.entries(before)) expect(stamp(f)).toBe(was.mtime);
		// the bridge template never saw these orders
		expect(zksOf('B2B/2026/000801')).toEqual([]);
	});

	it('two orders whose numbers clean alike (B2B/2026/000809, B2B_2026_000809) get a file each, each with its own ZK', async () => {
		const slash = portal.seedOrder(portalOrder(809));
		const underscore = portal.seedOrder(portalOrder(809, { number: 'B2B_2026_000809', clientCode: 'K-ŁÓDŹ-ŻABIA' }));
		const before = eppFiles();
		const run = await timed('execute orders-epp (2 numbers that clean alike)', () => n8n.execute(ids.epp));
		expect(run.error).toBeUndefined();
		const files = [fileOf(slash.number), fileOf(underscore.number)];
		expect(files[0]).not.toBe(files[1]);
		expect(eppFiles()).toEqual([...before, ...files].sort());
		for (const [order, file] of [
			[slash, files[0]],
			[underscore, files[1]],
		] as const) {
			const zk = orderFromZk(
				parseEpp(readFileSync(path.join(importFolder, file)), { encoding: 'auto', fileName: file }).sections[0],
			);
			expect(zk).toMatchObject({ number: order.number, clientCode: order.clientCode });
			expect(portal.state.orders.get(order.number)!.status).toBe('confirmed');
		}
	});

	it('a second hand-over of an order (its file written, the portal update failed) never replaces or adds a file', async () => {
		const order = portal.seedOrder(portalOrder(810));
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
			const failed = await timed('execute orders-epp (portal update fails)', () => n8n.execute(ids.epp));
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
		const retry = await timed('execute orders-epp (the same order again)', () => n8n.execute(ids.epp));
		expect(retry.error).toBeUndefined();
		expect(filesOf(order.number)).toEqual([first]);
		expect(statSync(path.join(importFolder, first)).mtimeMs).toBe(was.mtime);
		expect(readFileSync(path.join(importFolder, first)).equals(was.bytes)).toBe(true);
		// handed over again by the file found (same name, same bytes, same time above), not by a new one
		expect(nodeItems(retry.data, 'Hand over each order (EPP file)')).toHaveLength(1);
		expect(portal.state.orders.get(order.number)!.status).toBe('confirmed');
		expect(portal.state.orderStatusHistory.get(order.number)!.at(-1)!.reason).toContain(first);
	});
});

describe('n8n 2.x file access (N8N_RESTRICT_FILE_ACCESS_TO)', () => {
	it('a folder outside the allowed paths is refused: no file anywhere, the order stays placed for the next run', async () => {
		const outside = mkdtempSync(path.join(tmpdir(), 'subiekt-e2e-outside-'));
		try {
			const wf = template('epp');
			const settings = wf.nodes.find((n: { name: string }) => n.name === 'Order and file name');
			settings.parameters.assignments.assignments.find((a: { name: string }) => a.name === 'importFolder').value =
				outside;
			wf.name = 'EPP into a folder n8n may not write to';
			const id = await n8n.importWorkflow(wf, { credentialIds: CREDENTIAL_IDS });
			const order = portal.seedOrder(portalOrder(899));
			try {
				const run = await timed('execute orders-epp (folder not allowed)', () => n8n.execute(id));
				expect(run.ok).toBe(false);
				expect(run.error).toContain('Access to the file is not allowed');
				expect(readdirSync(outside)).toEqual([]);
				expect(readdirSync(importFolder).filter((f) => f.startsWith('ZK_B2B_2026_000899'))).toEqual([]);
				expect(portal.state.orders.get(order.number)!.status).toBe('placed');
			} finally {
				portal.state.orders.delete(order.number); // out of the way of the later runs
			}
		} finally {
			rmSync(outside, { recursive: true, force: true });
		}
	});
});

describe('after Subiekt invoices or cancels: order status and invoices through the bridge', () => {
	it('the order moves to invoiced only with its invoice and PDF in the portal; a cancelled ZK cancels the order', async () => {
		const invoiced = zksOf('B2B/2026/000701')[0];
		const fs = bridge.invoiceZk(invoiced.id, { issueDate: '2026-11-27', paymentDays: 14 }).invoice!;
		const cancelled = zksOf('B2B/2026/000702')[0];
		bridge.cancelZk(cancelled.id);
		// an EPP order that Subiekt has imported meanwhile: its ZK number reaches the portal through the status
		const imported = portalOrder(801);
		bridge.state.documents.set(9100, {
			id: 9100,
			type: 'ZK',
			number: 'ZK 910/11/2026',
			originalNumber: imported.number,
			clientSymbol: imported.clientCode,
			warehouseSymbol: 'MAG',
			reserve: true,
			priceType: 'net',
			currency: 'PLN',
			lines: [],
			status: 'open',
			totals: { net: '0.00', vat: '0.00', gross: '0.00' },
		});

		const results = await timed('execute-batch order-status, invoices', () =>
			n8n.executeBatch([ids.status, ids.invoices]),
		);
		expect(results[ids.status]).toMatchObject({ ok: true });
		expect(results[ids.invoices]).toMatchObject({ ok: true });

		const order = portal.state.orders.get('B2B/2026/000701')!;
		expect(order.status).toBe('invoiced');
		expect(portal.state.orderStatusHistory.get(order.number)!.at(-1)).toMatchObject({
			status: 'invoiced',
			erpDocumentNumber: invoiced.number,
		});
		const stored = portal.state.invoices.get(fs.number)!;
		expect(stored.data).toEqual({
			number: fs.number,
			orderNumber: order.number,
			clientCode: 'K-ŚWIĘTOKRZYSKA',
			issueDate: '2026-11-27',
			dueDate: '2026-12-11',
			currency: 'PLN',
			totals: invoiced.totals,
		});
		const pdf = stored.pdf!;
		expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(pdf.toString('latin1')).toContain(fs.number); // the invoice's printout, not the ZK's
		expect(pdf.subarray(-32).toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
		expect(portal.state.invoices.size).toBe(1);

		expect(portal.state.orders.get('B2B/2026/000702')!.status).toBe('cancelled');
		expect(portal.state.orderStatusHistory.get('B2B/2026/000702')!.at(-1)).toMatchObject({
			status: 'cancelled',
			reason: `Zamówienie anulowane w Subiekcie (${cancelled.number})`,
		});
		expect(portal.state.orders.get(imported.number)).toMatchObject({
			status: 'confirmed',
			erpDocumentNumber: 'ZK 910/11/2026',
		});
		// untouched: confirmed orders whose ZK is neither invoiced nor cancelled, and rejected orders
		expect(portal.state.orders.get('B2B/2026/000703')!.status).toBe('confirmed');
		expect(portal.state.orders.get('B2B/2026/000707')!.status).toBe('rejected');
		expect(portal.state.syncStatus.get('subiekt-gt invoices')).toMatchObject({ counts: { invoices: 1 } });
		expect(portal.state.syncStatus.get('subiekt-gt order-status')).toMatchObject({ counts: { statuses: 2 } });

		// the next runs send nothing again: the invoiced and cancelled orders are no longer confirmed
		const uploadsBefore = portal.requests.filter((r) => r.path.startsWith('/v1/invoices/')).length;
		const again = await timed('execute-batch order-status, invoices (nothing new)', () =>
			n8n.executeBatch([ids.status, ids.invoices]),
		);
		expect(again[ids.status]).toMatchObject({ ok: true });
		expect(again[ids.invoices]).toMatchObject({ ok: true });
		expect(portal.requests.filter((r) => r.path.startsWith('/v1/invoices/')).length).toBe(uploadsBefore);
		expect(portal.state.syncStatus.get('subiekt-gt invoices')).toMatchObject({ counts: { invoices: 0 } });
		expect(portal.state.syncStatus.get('subiekt-gt order-status')).toMatchObject({ counts: { statuses: 0 } });
	});

	it('the bridge key and the SQL password never appear in n8n executions or logs', async () => {
		expect(n8n.logs()).not.toContain(bridge.apiKey);
		expect(n8n.logs()).not.toContain(DEFAULT_USER.password);
		const rows = await n8n.sqlite('SELECT data FROM execution_data');
		for (const row of rows) expect(String(row.data)).not.toContain(bridge.apiKey);
		for (const row of rows) expect(String(row.data)).not.toContain(DEFAULT_USER.password);
		expect(rows.length).toBeGreaterThan(0);
	});
});
