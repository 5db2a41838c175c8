/**
 * The node panels and credential forms as a person uses them (issue #17): a real headless Chromium on the real
 * n8n 2.41.1 with the pack installed and every simulator the pack's credentials can point at running (SAP B1 with
 * its API Gateway, enova365, the portal, one SQL Server holding an Optima and a Subiekt GT database, the Optima and
 * Subiekt bridges).
 *
 * 1. Every field backed by load options or a list search (grep nodes/ for loadOptionsMethod / searchListMethod:
 *    SAP B1 warehouses, price lists, invoice layouts, business partners; enova365 warehouses, price definitions,
 *    contractors) is opened in a node of a shipped template (bound to the simulators) — or, for "get one client",
 *    which no template has, in a two-node workflow — and the list shown must be the simulator's records, Polish
 *    names as they are. The client lists are searched with a lower-case fragment from the middle of the names.
 * 2. Every credential type's form (Overview → Credentials → the credential) tests itself on open: success against
 *    the simulator; then a wrong password / key is typed and saved: the failure must say what is wrong in words a
 *    person can act on (no bare HTTP code, no "undefined", no stack), and neither secret may appear in the page,
 *    in the failure, in what the browser loaded of the credential, or in n8n's log.
 * Found by this file and fixed: a changed SAP password passed the test on the old session (sessionBinding.ts);
 * the SAP client search matched only the start of the code or name, case-sensitively.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { N8nInstance, REPO_ROOT, type CredentialInput } from './harness/n8n-instance';
import {
	closeCredential,
	closeNodePanel,
	dropdownOptions,
	openCredential,
	openEditorBrowser,
	openNodePanel,
	openWorkflow,
	resourceLocatorItems,
	saveCredentialWith,
	type EditorBrowser,
} from './harness/browser';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { startSapSimulator, type SapSimulator } from '../simulators/sap-b1/server';
import { GATEWAY_LAYOUTS } from '../simulators/sap-b1/gateway';
import { FIXTURES, startEnovaSimulator, type EnovaSimulator } from '../simulators/enova365/server';
import { startOptimaBridgeSimulator, type OptimaBridgeSimulator } from '../simulators/optima-bridge/server';
import { startBridgeSimulator, type BridgeSimulator } from '../simulators/subiekt-bridge/server';
import { startBusinessCentralSimulator, type BusinessCentralSimulator } from '../simulators/business-central/server';
import { DEFAULT_DATABASE, DEFAULT_USER, SqlServerSimulator } from '../simulators/sql-server/server';
import { OPTIMA_DATABASE, optimaSchema } from '../simulators/sql-server/optima';
import { subiektSchema } from '../simulators/sql-server/subiekt';
import {
	PORTAL_CRED,
	SAP_CRED,
	portalCredential,
	sapCredential,
	sqlServerCredentialData,
} from '../fixtures/credentials';
import { TEMPLATES_DIR } from '../fixtures/templates';

jest.setTimeout(300_000);

const ENOVA_CRED = { id: 'enovaCred00001', name: 'enova365 account' };
const OPTIMA_SQL_CRED = { id: 'optimaSql00001', name: 'Comarch ERP Optima SQL Server account' };
const SUBIEKT_SQL_CRED = { id: 'subiektSql0001', name: 'Subiekt GT SQL Server account' };
const OPTIMA_BRIDGE_CRED = { id: 'optimaBridge01', name: 'Comarch ERP Optima bridge account' };
const SUBIEKT_BRIDGE_CRED = { id: 'subiektBridge1', name: 'Subiekt GT bridge account' };
const BC_CRED = { id: 'bcOnline000001', name: 'Business Central account' };
const BC_ONPREM_CRED = { id: 'bcOnPremise001', name: 'Business Central on-premises account' };
const PORTAL_KEY = 'e2e-portal-KEY-panels-7e1f';
const WEBHOOK_SECRET = 'e2e-webhook-SECRET-źrebię';

let sap: SapSimulator;
let portal: PortalSimulator;
let enova: EnovaSimulator;
let optimaBridge: OptimaBridgeSimulator;
let subiektBridge: BridgeSimulator;
let bc: BusinessCentralSimulator;
let sql: SqlServerSimulator;
let n8n: N8nInstance;
let editor: EditorBrowser;
let credentials: CredentialInput[];
const started = Date.now();
const timings: string[] = [];

const template = (rel: string) => JSON.parse(readFileSync(path.join(TEMPLATES_DIR, rel), 'utf8'));
const CREDENTIAL_IDS = { sapB1Api: SAP_CRED, b2bPortalApi: PORTAL_CRED, enova365Api: ENOVA_CRED };

/** Templates whose nodes carry the fields, by workflow id; and a workflow with the two "get one client" nodes. */
const WORKFLOWS: Record<string, { rel?: string; workflow: any }> = {
	panelSapStock01: { rel: 'sap-b1/sap-b1-stock.json', workflow: template('sap-b1/sap-b1-stock.json') },
	panelSapPrices1: { rel: 'sap-b1/sap-b1-prices.json', workflow: template('sap-b1/sap-b1-prices.json') },
	panelSapInvoic1: { rel: 'sap-b1/sap-b1-invoices.json', workflow: template('sap-b1/sap-b1-invoices.json') },
	// the create nodes sit in the orders templates' ERP parts (docs/template-parts.md)
	panelSapOrders1: {
		rel: 'sap-b1/parts/sap-b1-order-into-sap.json',
		workflow: template('sap-b1/parts/sap-b1-order-into-sap.json'),
	},
	panelEnoStock01: { rel: 'enova365/enova365-stock.json', workflow: template('enova365/enova365-stock.json') },
	panelEnoPrices1: { rel: 'enova365/enova365-prices.json', workflow: template('enova365/enova365-prices.json') },
	panelEnoOrders1: {
		rel: 'enova365/parts/enova365-order-into-enova365.json',
		workflow: template('enova365/parts/enova365-order-into-enova365.json'),
	},
	panelClients001: {
		workflow: {
			name: 'Jeden klient z ERP',
			nodes: [
				{
					id: 'b1000000-0000-4000-8000-000000000001',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'b1000000-0000-4000-8000-000000000002',
					name: 'SAP: one client',
					type: 'n8n-nodes-erp-b2b.sapB1',
					typeVersion: 1,
					position: [300, -100],
					parameters: { resource: 'client', operation: 'get' },
					credentials: { sapB1Api: SAP_CRED },
				},
				{
					id: 'b1000000-0000-4000-8000-000000000003',
					name: 'enova365: one client',
					type: 'n8n-nodes-erp-b2b.enova365',
					typeVersion: 1,
					position: [300, 100],
					parameters: { resource: 'client', operation: 'get' },
					credentials: { enova365Api: ENOVA_CRED },
				},
			],
			connections: {
				Start: {
					main: [
						[
							{ node: 'SAP: one client', type: 'main', index: 0 },
							{ node: 'enova365: one client', type: 'main', index: 0 },
						],
					],
				},
			},
			settings: { executionOrder: 'v1' },
		},
	},
};

beforeAll(async () => {
	const t = Date.now();
	sql = new SqlServerSimulator({
		databases: { [DEFAULT_DATABASE]: subiektSchema(), [OPTIMA_DATABASE]: optimaSchema() },
	});
	await sql.start();
	[sap, portal, enova, optimaBridge, subiektBridge] = await Promise.all([
		startSapSimulator(),
		startPortalSimulator({ apiKey: PORTAL_KEY, webhookSecret: WEBHOOK_SECRET }),
		startEnovaSimulator(),
		startOptimaBridgeSimulator({ apiKey: 'e2e-optima-bridge-KEY-4c2a' }),
		startBridgeSimulator({ apiKey: 'e2e-subiekt-bridge-KEY-9b3e' }),
	]);
	bc = await startBusinessCentralSimulator({ seed: { items: 10, customers: 5, locations: 2 } });
	n8n = await N8nInstance.create();
	await n8n.installPack();
	credentials = [
		sapCredential(sap),
		portalCredential(portal),
		{
			...ENOVA_CRED,
			type: 'enova365Api',
			data: { baseUrl: enova.url, mode: 'dynamic', appToken: enova.appToken, sessionExpiredStatus: 401 },
		},
		{ ...OPTIMA_SQL_CRED, type: 'optimaSqlApi', data: sqlServerCredentialData(sql, { database: OPTIMA_DATABASE }) },
		{ ...SUBIEKT_SQL_CRED, type: 'subiektGtSqlApi', data: sqlServerCredentialData(sql) },
		{
			...OPTIMA_BRIDGE_CRED,
			type: 'optimaBridgeApi',
			data: { baseUrl: optimaBridge.url, apiKey: optimaBridge.apiKey },
		},
		{
			...SUBIEKT_BRIDGE_CRED,
			type: 'subiektBridgeApi',
			data: { baseUrl: subiektBridge.url, apiKey: subiektBridge.apiKey },
		},
		{
			...BC_CRED,
			type: 'businessCentralApi',
			data: {
				tenantId: bc.tenant,
				environment: bc.environment,
				company: bc.company.name,
				clientId: bc.clientId,
				clientSecret: bc.clientSecret,
				apiHost: bc.apiHost,
				loginHost: bc.loginHost,
			},
		},
		{
			...BC_ONPREM_CRED,
			type: 'businessCentralOnPremApi',
			data: { baseUrl: bc.onPremBase, username: bc.onPremUser, accessKey: bc.onPremKey, company: bc.company.name },
		},
	];
	await n8n.importCredentials(credentials);
	await n8n.importWorkflows(
		Object.entries(WORKFLOWS).map(([id, w]) => ({ id, workflow: w.workflow, credentialIds: CREDENTIAL_IDS })),
	);
	await n8n.start();
	editor = await openEditorBrowser(n8n.baseUrl, await n8n.authCookie());
	editor.page.setDefaultTimeout(20_000);
	mkdirSync(path.join(REPO_ROOT, 'test-output'), { recursive: true });
	timings.push(`set-up (simulators, n8n, pack, browser): ${((Date.now() - t) / 1000).toFixed(1)} s`);
});

afterAll(async () => {
	await editor?.close();
	await n8n?.dispose();
	await Promise.all([
		sap?.close(),
		portal?.close(),
		enova?.close(),
		optimaBridge?.close(),
		subiektBridge?.close(),
		bc?.close(),
	]);
	await sql?.stop();
	timings.push(`whole file: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	process.stdout.write(`\neditor-panels timings:\n  ${timings.join('\n  ')}\n`);
});

afterEach(() => {
	expect(editor.offLoopback).toEqual([]);
});

/** A line on stderr as the file goes (jest prints its results only at the end of a file). */
const progress = (line: string) =>
	process.stderr.write(`[editor-panels ${((Date.now() - started) / 1000).toFixed(0)} s] ${line}\n`);

async function inPanel<T>(workflowId: string, nodeName: string, read: () => Promise<T>): Promise<T> {
	const page = editor.page;
	progress(`${workflowId}: ${nodeName}`);
	await openWorkflow(page, n8n.baseUrl, workflowId, WORKFLOWS[workflowId].workflow.nodes.length);
	await openNodePanel(page, nodeName);
	try {
		return await read();
	} catch (error) {
		await page.screenshot({ path: path.join(REPO_ROOT, 'test-output', `panels-failed-${workflowId}.png`) });
		throw error;
	} finally {
		await closeNodePanel(page).catch(() => page.keyboard.press('Escape'));
	}
}

/** The red issue marks n8n shows on a parameter of the open panel (e.g. a value that is not among its options). */
const issueMarks = (parameter: string) =>
	editor.page.locator(`[data-test-id="ndv"] [data-test-id="parameter-input-${parameter}"].has-issues`).count();

const sorted = (xs: string[]) => [...xs].sort((a, b) => a.localeCompare(b, 'pl'));
const sapWarehouses = () =>
	sap.state.warehouseOrder.map((code) => `${code} – ${sap.state.warehouses.get(code)!.WarehouseName}`);
const enovaWarehouses = () => enova.state.magazyny.map((m) => `${m.symbol} – ${m.nazwa}`);

describe('list searches and load options show the ERP simulators’ records', () => {
	it('SAP B1 stock → Warehouses (SAP: all stock, sap-b1-stock)', async () => {
		const shown = await inPanel('panelSapStock01', 'SAP: all stock', () => dropdownOptions(editor.page, 'warehouses'));
		expect(shown).toEqual(sapWarehouses());
		expect(shown.join(' ')).toMatch(/Łódź/);
	});

	it('SAP B1 order → Warehouse (Create sales order in SAP, the SAP orders part): the empty default is an option, not an error', async () => {
		const [shown, issues] = await inPanel('panelSapOrders1', 'Create sales order in SAP', async () => [
			await dropdownOptions(editor.page, 'warehouse'),
			await issueMarks('warehouse'),
		]);
		expect(shown).toEqual(["Each Item's Default Warehouse", ...sapWarehouses()]);
		expect(issues).toBe(0);
	});

	it('SAP B1 prices → Price Lists (SAP: all prices, sap-b1-prices)', async () => {
		const shown = await inPanel('panelSapPrices1', 'SAP: all prices', () => dropdownOptions(editor.page, 'priceLists'));
		const lists = [...sap.state.priceLists.values()].sort((a, b) => a.PriceListNo - b.PriceListNo);
		expect(shown).toEqual(
			lists.map((l) => `${l.PriceListNo} – ${l.PriceListName}${l.IsGrossPrice === 'tYES' ? ' (brutto)' : ''}`),
		);
		expect(shown.length).toBeGreaterThan(2);
	});

	it('SAP B1 invoices → Layout (SAP: invoices with PDF, sap-b1-invoices): the gateway’s invoice layouts only', async () => {
		const shown = await inPanel('panelSapInvoic1', 'SAP: invoices with PDF', () =>
			dropdownOptions(editor.page, 'layoutCode'),
		);
		expect(shown).toEqual(GATEWAY_LAYOUTS.filter((l) => l.kind === 'Invoices').map((l) => `${l.code} – ${l.name}`));
	});

	it('SAP B1 client → From List: the customers, and a lower-case fragment from the middle of names filters', async () => {
		const customers = [...sap.state.partners.values()]
			.filter((bp) => bp.CardType === 'cCustomer')
			.sort((a, b) => (a.CardCode < b.CardCode ? -1 : 1))
			.map((bp) => `${bp.CardCode} – ${bp.CardName}`);
		const fragment = 'łódź';
		const matching = customers.filter((c) => c.toLocaleLowerCase('pl').includes(fragment));
		expect(matching.length).toBeGreaterThan(0);
		expect(matching.length).toBeLessThan(customers.length);
		const [all, found] = await inPanel('panelClients001', 'SAP: one client', async () => [
			await resourceLocatorItems(editor.page, 'cardCode'),
			await resourceLocatorItems(editor.page, 'cardCode', fragment),
		]);
		expect(all).toEqual(customers.slice(0, 100));
		expect(found).toEqual(matching.slice(0, 100));
	});

	it('enova365 stock → Warehouses (enova365: all stock, enova365-stock)', async () => {
		const shown = await inPanel('panelEnoStock01', 'enova365: all stock', () =>
			dropdownOptions(editor.page, 'warehouses'),
		);
		expect(shown).toEqual(enovaWarehouses());
		expect(shown.join(' ')).toMatch(/Łódź/);
	});

	it('enova365 order → Warehouse (Create ZO in enova365, the enova365 orders part): the empty default is an option, not an error', async () => {
		const [shown, issues] = await inPanel('panelEnoOrders1', 'Create ZO in enova365', async () => [
			await dropdownOptions(editor.page, 'warehouse'),
			await issueMarks('warehouse'),
		]);
		expect(shown).toEqual(["The Add-On's Default Warehouse", ...enovaWarehouses()]);
		expect(issues).toBe(0);
	});

	it('enova365 prices → Price Definitions (enova365: all prices, enova365-prices), blocked ones marked', async () => {
		const shown = await inPanel('panelEnoPrices1', 'enova365: all prices', () =>
			dropdownOptions(editor.page, 'definitions'),
		);
		expect(sorted(shown)).toEqual(
			sorted(
				enova.state.definicje.map(
					(d) => `${d.nazwa}${d.brutto ? ' (brutto)' : ''}${d.blokada ? ' – zablokowana' : ''}`,
				),
			),
		);
		expect(shown).toContain(`${FIXTURES.blockedPriceDefinition} – zablokowana`);
	});

	it('enova365 client → From List: the contractors, and a lower-case fragment filters', async () => {
		const contractors = enova.state.kontrahenci.map((k) => `${k.kod} – ${k.nazwa}`);
		const fragment = 'łódź';
		const matching = contractors.filter((c) => c.toLocaleLowerCase('pl').includes(fragment));
		expect(matching.length).toBeGreaterThan(0);
		expect(matching.length).toBeLessThan(contractors.length);
		const [all, found] = await inPanel('panelClients001', 'enova365: one client', async () => [
			await resourceLocatorItems(editor.page, 'clientCode'),
			await resourceLocatorItems(editor.page, 'clientCode', fragment),
		]);
		expect(all).toEqual(contractors.slice(0, 100));
		expect(found).toEqual(matching);
		expect(found.join(' ')).toContain(FIXTURES.client);
	});
});

/**
 * One credential per type: the name in Overview → Credentials, the field a person gets wrong, a wrong value
 * (ASCII where an HTTP header carries it: a non-ASCII key is refused before sending, by its own message), and
 * what the failure must say.
 */
const BRIDGE_REFUSED = /The bridge refused the API key \(HTTP 401\): check API Key/;
const FORMS: Array<{ type: string; name: string; field: string; wrong: string; says: RegExp }> = [
	{
		type: 'sapB1Api',
		name: SAP_CRED.name,
		field: 'password',
		wrong: 'złe-hasło-SAP-1',
		says: /SAP B1 login to company "SBODEMOPL" as "manager" failed.*check Company Database, User and Password/,
	},
	{
		type: 'b2bPortalApi',
		name: PORTAL_CRED.name,
		field: 'apiKey',
		wrong: 'wrong-portal-key-0001',
		says: /The portal refused the API key \(HTTP 401\): check API Key and Send Key As/,
	},
	{
		type: 'enova365Api',
		name: ENOVA_CRED.name,
		field: 'appToken',
		wrong: 'wrong.app.token',
		says: /enova365 login \(LoginApi\) with the app token failed \(HTTP 401\): Nieprawidłowy token aplikacji/,
	},
	{
		type: 'optimaSqlApi',
		name: OPTIMA_SQL_CRED.name,
		field: 'password',
		wrong: 'złe-hasło-SQL-1',
		says: new RegExp(`login failed for user "${DEFAULT_USER.user}" to database "${OPTIMA_DATABASE}"`),
	},
	{
		type: 'subiektGtSqlApi',
		name: SUBIEKT_SQL_CRED.name,
		field: 'password',
		wrong: 'złe-hasło-SQL-2',
		says: new RegExp(`login failed for user "${DEFAULT_USER.user}" to database "${DEFAULT_DATABASE}"`),
	},
	{
		type: 'optimaBridgeApi',
		name: OPTIMA_BRIDGE_CRED.name,
		field: 'apiKey',
		wrong: 'wrong-bridge-key-01',
		says: BRIDGE_REFUSED,
	},
	{
		type: 'subiektBridgeApi',
		name: SUBIEKT_BRIDGE_CRED.name,
		field: 'apiKey',
		wrong: 'wrong-bridge-key-02',
		says: BRIDGE_REFUSED,
	},
	{
		type: 'businessCentralApi',
		name: BC_CRED.name,
		field: 'clientSecret',
		wrong: 'zly-sekret-BC-0001',
		says: /Microsoft Entra login for tenant ".+", client ".+" failed \(HTTP 401, invalid_client\).*check Client ID and Client Secret/,
	},
	{
		type: 'businessCentralOnPremApi',
		name: BC_ONPREM_CRED.name,
		field: 'accessKey',
		wrong: 'zly-klucz-BC-0002',
		says: /Reading the companies .*failed \(HTTP 401.*check User and Web Service Access Key/,
	},
];

describe('credential forms test themselves against the simulators', () => {
	it('covers every credential type of the pack', () => {
		const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
		expect(pkg.n8n.credentials.length).toBe(FORMS.length);
	});

	describe.each(FORMS.map((f) => [f.type, f] as const))('%s', (_type, form) => {
		it('opens with "Connection tested successfully"; a wrong value saved gives a failure that says what is wrong, no secret shown', async () => {
			const t = Date.now();
			const page = editor.page;
			const right = String(credentials.find((c) => c.name === form.name)!.data[form.field]);
			const loaded: string[] = [];
			const onResponse = async (r: { url(): string; text(): Promise<string> }) => {
				if (r.url().includes('/rest/credentials')) loaded.push(await r.text().catch(() => ''));
			};
			page.on('response', onResponse);
			progress(`credential ${form.type}`);
			try {
				const opened = await openCredential(page, n8n.baseUrl, form.name);
				expect(opened).toEqual({ status: 'success', text: expect.stringContaining('Connection tested successfully') });

				const failed = await saveCredentialWith(page, form.field, form.wrong);
				expect(failed.status).toBe('error');
				expect(failed.text).toMatch(form.says);
				// readable: words, not a bare status, "undefined", "[object Object]" or a stack
				expect(failed.text).not.toMatch(/undefined|\[object Object\]|\n\s+at \S+ \(/);
				const pageText = await page.innerText('body');
				for (const secret of [right, form.wrong]) {
					expect(pageText).not.toContain(secret);
					expect(failed.text).not.toContain(secret);
					expect(n8n.logs()).not.toContain(secret);
				}
				// what the browser loaded of the credential holds neither the secret nor a live session
				for (const body of loaded) expect(body).not.toContain(right);
				expect(loaded.join('\n')).not.toMatch(/B1SESSION=/);
				await closeCredential(page);
			} catch (error) {
				await page.screenshot({ path: path.join(REPO_ROOT, 'test-output', `panels-failed-${form.type}.png`) });
				throw error;
			} finally {
				page.off('response', onResponse);
			}
			timings.push(`${form.type}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
		});
	});
});
