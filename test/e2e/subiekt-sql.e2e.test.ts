/**
 * The Subiekt GT SQL templates (workflows-templates/subiekt-gt/subiekt-gt-sql-*.json) in a real n8n 2.41.1 with
 * the packed pack (its `mssql` dependency installed as n8n installs community packages). No SQL Server can run
 * here, so this proves what can be proved without one: the node and its SQL credential load, the templates
 * import with their credentials, and a run against an unreachable server fails in the Subiekt node with the
 * mapped message (server, database, user) — the real mssql/tedious driver underneath — with no password in
 * the run's output, and nothing reaches the portal (no data, no heartbeat: the cursors stay uncommitted).
 * Runs with a SQL Server speaking TDS are the TDS simulator's part (test/simulators/subiekt-sql, separate work).
 * Also the EDI++ Export File resource end to end: Subiekt's CP1250 export served over HTTP on 127.0.0.1 → HTTP
 * Request (file) → Subiekt GT Read Products / Read Clients → B2B Portal upsert, the Polish names checked byte-wise
 * in what the portal holds.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { N8nInstance, REPO_ROOT, nodeItems } from './harness/n8n-instance';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';

jest.setTimeout(600_000);

const DIR = path.join(REPO_ROOT, 'workflows-templates', 'subiekt-gt');
const NAMES = ['products', 'prices', 'stock', 'clients'] as const;
const template = (name: string) => JSON.parse(readFileSync(path.join(DIR, `subiekt-gt-sql-${name}.json`), 'utf8'));
const SQL_CRED = { id: 'subiektSql00001', name: 'Subiekt GT SQL Server account' };
const PORTAL_CRED = { id: 'portalCred0001', name: 'B2B Portal account' };
const PASSWORD = 'e2e-SQL-hasło-źdźbło-91';

let portal: PortalSimulator;
let n8n: N8nInstance;
let closedPort: number;
let files: Server;
let filesUrl: string;
let eppWorkflow: string;
const ids = {} as Record<(typeof NAMES)[number], string>;

beforeAll(async () => {
	const probe = createServer();
	await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
	closedPort = (probe.address() as AddressInfo).port;
	await new Promise((r) => probe.close(r));
	const epp = readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'epp', 'golden-1.05-cp1250.epp'));
	files = createHttpServer((req, res) => {
		if (req.url !== '/eksport/towary.epp') return void res.writeHead(404).end();
		res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': epp.length }).end(epp);
	});
	await new Promise<void>((r) => files.listen(0, '127.0.0.1', () => r()));
	filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}/eksport/towary.epp`;
	portal = await startPortalSimulator({ apiKey: 'e2e-portal-KEY-5ab1c9e2', webhookSecret: 'e2e-webhook-SECRET-żółć' });
	n8n = await N8nInstance.create();
	await n8n.installPack();
	await n8n.importCredentials([
		{
			...SQL_CRED,
			type: 'subiektGtSqlApi',
			data: {
				server: '127.0.0.1',
				instanceName: '',
				port: closedPort,
				database: 'FIRMA_ŁÓDŹ',
				user: 'n8n_czytelnik',
				password: PASSWORD,
				encrypt: true,
				trustServer: false,
				connectionTimeoutSeconds: 5,
				requestTimeoutSeconds: 10,
			},
		},
		{
			...PORTAL_CRED,
			type: 'b2bPortalApi',
			data: { baseUrl: portal.url, authType: 'apiKey', apiKey: portal.apiKey, webhookSecret: portal.webhookSecret },
		},
	]);
	const imported = await n8n.importWorkflows(
		NAMES.map((name) => ({
			workflow: template(name),
			credentialIds: { subiektGtSqlApi: SQL_CRED, b2bPortalApi: PORTAL_CRED },
		})),
	);
	NAMES.forEach((name, i) => (ids[name] = imported[i]));
	eppWorkflow = await n8n.importWorkflow(eppFileWorkflow(), { credentialIds: { b2bPortalApi: PORTAL_CRED } });
});

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

afterAll(async () => {
	await n8n?.dispose();
	await portal?.close();
	await new Promise((r) => files?.close(r));
});

it.each(NAMES)(
	'subiekt-gt-sql-%s: an unreachable SQL Server fails in the Subiekt node, named, without the password',
	async (name) => {
		const r = await n8n.execute(ids[name]);
		expect(r.ok).toBe(false);
		expect(r.error).toMatch(
			new RegExp(
				`node "Subiekt: [^"]+" failed: Connecting: cannot reach SQL Server for database "FIRMA_ŁÓDŹ" on 127\\.0\\.0\\.1:${closedPort} as "n8n_czytelnik"`,
			),
		);
		expect(r.stdout + r.stderr + JSON.stringify(r.data ?? null)).not.toContain(PASSWORD);
		expect(
			portal.state.products.size + portal.state.prices.size + portal.state.stock.size + portal.state.clients.size,
		).toBe(0);
		expect(portal.state.syncStatus.size).toBe(0);
	},
);

it('EDI++ export file (CP1250) → Subiekt GT → portal: products and clients with Polish names intact', async () => {
	const r = await n8n.execute(eppWorkflow);
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
