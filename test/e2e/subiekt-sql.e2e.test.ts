/**
 * The Subiekt GT SQL templates (workflows-templates/subiekt-gt/subiekt-gt-sql-*.json) in a real n8n 2.41.1 with
 * the packed pack (its `mssql` dependency installed as n8n installs community packages). No SQL Server can run
 * here, so this proves what can be proved without one: the node and its SQL credential load, the templates
 * import with their credentials, and a run against an unreachable server fails in the Subiekt node with the
 * mapped message (server, database, user) — the real mssql/tedious driver underneath — with no password in
 * the run's output, and nothing reaches the portal (no data, no heartbeat: the cursors stay uncommitted).
 * Runs with a SQL Server speaking TDS are the TDS simulator's part (test/simulators/subiekt-sql, separate work).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { N8nInstance, REPO_ROOT } from './harness/n8n-instance';
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
const ids = {} as Record<(typeof NAMES)[number], string>;

beforeAll(async () => {
	const probe = createServer();
	await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
	closedPort = (probe.address() as AddressInfo).port;
	await new Promise((r) => probe.close(r));
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
});

afterAll(async () => {
	await n8n?.dispose();
	await portal?.close();
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
