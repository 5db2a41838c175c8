/**
 * B2B Sync Guard (Delta) in a real n8n 2.41.1 with the packed pack: ERP records (from a small HTTP server the
 * test controls) → Pass Changed Records → B2B Portal upsert → Record Run, executed headless run after run.
 * Proves what the n8n-core harness cannot: the node's two outputs (an expression) are wired by real n8n, and the
 * hashes survive between executions in the workflow's static data in n8n's database, committed only by a
 * successful Record Run — a run whose Record Run fails sends the same records again.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { N8nInstance, nodeItems } from './harness/n8n-instance';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';

jest.setTimeout(240_000);

const CRED = { id: 'portalCred0001', name: 'B2B Portal account' };
let sim: PortalSimulator;
let n8n: N8nInstance;
let erp: Server;
let records: object[] = [];

const product = (code: string, name: string) => ({ code, name, unit: 'szt.', vatRate: '23', active: true });

function workflow(erpUrl: string) {
	const portal = { b2bPortalApi: { id: CRED.id, name: CRED.name } };
	const node = (name: string, type: string, parameters: object, extra: object = {}) => ({
		id: `n-${name.replace(/\W/g, '')}`,
		name,
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		...extra,
	});
	return {
		name: 'e2e sync guard',
		nodes: [
			node('Run now (test)', 'n8n-nodes-base.manualTrigger', {}),
			node(
				'ERP: all products',
				'n8n-nodes-base.httpRequest',
				{ method: 'GET', url: erpUrl, options: {} },
				{ typeVersion: 4.2 },
			),
			node(
				'Only changed products',
				'n8n-nodes-erp-b2b.b2bSyncGuard',
				{
					resource: 'delta',
					operation: 'passChanged',
					entity: 'product',
					recordField: '',
					snapshot: true,
					options: { maxDeletePercent: 100 },
				},
				{ alwaysOutputData: true },
			),
			node(
				'Anything to send?',
				'n8n-nodes-base.if',
				{
					conditions: {
						options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
						conditions: [
							{
								id: 'c1',
								leftValue: '={{ $json.code }}',
								rightValue: '',
								operator: { type: 'string', operation: 'exists', singleValue: true },
							},
						],
						combinator: 'and',
					},
					options: {},
				},
				{ typeVersion: 2.2 },
			),
			node(
				'Send products to portal',
				'n8n-nodes-erp-b2b.b2bPortal',
				{ resource: 'product', operation: 'upsert', source: 'items', options: { output: 'summary' } },
				{ credentials: portal },
			),
			node('Deleted in ERP', 'n8n-nodes-base.noOp', {}),
			node(
				'Record run',
				'n8n-nodes-erp-b2b.b2bPortal',
				{
					resource: 'syncStatus',
					operation: 'record',
					flow: 'e2e guard',
					status: 'success',
					expectedEveryMinutes: 0,
					counts: '={{ { "items": $input.all().length } }}',
					message: '',
					options: { maxRetries: 0 },
				},
				{ credentials: portal },
			),
		],
		connections: {
			'Run now (test)': { main: [[{ node: 'ERP: all products', type: 'main', index: 0 }]] },
			'ERP: all products': { main: [[{ node: 'Only changed products', type: 'main', index: 0 }]] },
			'Only changed products': {
				main: [
					[{ node: 'Anything to send?', type: 'main', index: 0 }],
					[{ node: 'Deleted in ERP', type: 'main', index: 0 }],
				],
			},
			'Anything to send?': {
				main: [
					[{ node: 'Send products to portal', type: 'main', index: 0 }],
					[{ node: 'Record run', type: 'main', index: 0 }],
				],
			},
			'Send products to portal': { main: [[{ node: 'Record run', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

beforeAll(async () => {
	erp = createServer((_req, res) => {
		res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
		res.end(JSON.stringify(records));
	});
	await new Promise<void>((resolve) => erp.listen(0, '127.0.0.1', resolve));
	sim = await startPortalSimulator({ apiKey: 'e2e-portal-KEY-guard-51c2' });
	n8n = await N8nInstance.create();
	await n8n.installPack();
	await n8n.importCredentials([
		{
			...CRED,
			type: 'b2bPortalApi',
			data: { baseUrl: sim.url, authType: 'apiKey', apiKey: sim.apiKey, webhookSecret: '' },
		},
	]);
});

afterAll(async () => {
	await n8n?.dispose();
	await sim?.close();
	await new Promise((resolve) => erp?.close(resolve));
});

const sent = () => sim.requests.filter((r) => r.method === 'POST' && r.path === '/v1/products/batch').length;

it('sends only changed products run after run, reports deletions, and repeats a run whose Record Run failed', async () => {
	const id = await n8n.importWorkflow(workflow(`http://127.0.0.1:${(erp.address() as AddressInfo).port}/products`), {
		credentialIds: { b2bPortalApi: CRED },
	});
	records = [
		product('ŁÓD-001', 'Łódka żółta'),
		product('ŻUK-7', 'Żuk ćwiczebny'),
		product('ŚRUBA-M8', 'Śruba źdźbłowa'),
	];

	const first = await n8n.execute(id);
	expect(first.error).toBeUndefined();
	expect(nodeItems(first.data, 'Only changed products', 0).map((p) => p.code)).toEqual([
		'ŁÓD-001',
		'ŻUK-7',
		'ŚRUBA-M8',
	]);
	expect([...sim.state.products.keys()]).toEqual(['ŁÓD-001', 'ŻUK-7', 'ŚRUBA-M8']);
	expect(nodeItems(first.data, 'Record run')[0]).toMatchObject({ committedDeltas: ['product'] });

	// nothing changed: nothing is sent, the run is still recorded
	const before = sent();
	const quiet = await n8n.execute(id);
	expect(quiet.error).toBeUndefined();
	expect(nodeItems(quiet.data, 'Only changed products', 0)).toEqual([{}]); // alwaysOutputData's empty item
	expect(sent()).toBe(before);

	// one renamed, one gone from the ERP; the portal's Record Run fails: hashes stay as they were
	records = [product('ŁÓD-001', 'Łódka żółta'), product('ŻUK-7', 'Żuk ćwiczebny — nowa nazwa ąęź')];
	sim.faults.add({ path: '/v1/sync-status', kind: 'status', status: 500, times: 1 });
	const failed = await n8n.execute(id);
	expect(failed.ok).toBe(false);
	expect(nodeItems(failed.data, 'Only changed products', 0).map((p) => p.code)).toEqual(['ŻUK-7']);
	expect(nodeItems(failed.data, 'Only changed products', 1)).toEqual([
		{ entity: 'product', code: 'ŚRUBA-M8', deleted: true },
	]);

	const repeated = await n8n.execute(id);
	expect(repeated.error).toBeUndefined();
	expect(nodeItems(repeated.data, 'Only changed products', 0).map((p) => p.code)).toEqual(['ŻUK-7']);
	expect(nodeItems(repeated.data, 'Deleted in ERP')).toEqual([{ entity: 'product', code: 'ŚRUBA-M8', deleted: true }]);
	expect(sim.state.products.get('ŻUK-7')!.name).toBe('Żuk ćwiczebny — nowa nazwa ąęź');

	const settled = await n8n.execute(id);
	expect(settled.error).toBeUndefined();
	expect(nodeItems(settled.data, 'Only changed products', 0)).toEqual([{}]);
	expect(nodeItems(settled.data, 'Only changed products', 1)).toEqual([]);
	expect(n8n.logs()).not.toContain(sim.apiKey);
});
