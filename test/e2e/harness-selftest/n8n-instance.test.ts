/**
 * Proves the real-n8n harness (../harness/n8n-instance.ts) without relying on what our nodes do: n8n's own
 * Manual Trigger / Set / Stop and Error / Webhook nodes, plus one call of our B2B Portal node that only
 * shows the pack is installed and its credential reaches the wire.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { N8nInstance, httpRequest, maskSecrets, nodeItems } from '../harness/n8n-instance';

jest.setTimeout(300_000);

const manualTrigger = { id: 'n1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
const chain = (from: string, to: string) => ({ [from]: { main: [[{ node: to, type: 'main', index: 0 }]] } });

const setWorkflow = {
	name: 'selftest set',
	nodes: [
		manualTrigger,
		{
			id: 'n2',
			name: 'Set',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [200, 0],
			parameters: {
				assignments: {
					assignments: [
						{ id: 'a1', name: 'hello', value: 'world', type: 'string' },
						{ id: 'a2', name: 'sum', value: '={{ 20 + 22 }}', type: 'number' },
					],
				},
				options: {},
			},
		},
	],
	connections: chain('Start', 'Set'),
};

const failWorkflow = {
	name: 'selftest fail',
	nodes: [
		manualTrigger,
		{
			id: 'n2',
			name: 'Boom',
			type: 'n8n-nodes-base.stopAndError',
			typeVersion: 1,
			position: [200, 0],
			parameters: { errorMessage: 'selftest boom' },
		},
	],
	connections: chain('Start', 'Boom'),
};

const packWorkflow = {
	name: 'selftest pack',
	nodes: [
		manualTrigger,
		{
			id: 'n2',
			name: 'B2B Portal',
			type: 'n8n-nodes-erp-b2b.b2bPortal',
			typeVersion: 1,
			position: [200, 0],
			parameters: { resource: 'syncStatus', operation: 'getAll' },
			credentials: { b2bPortalApi: { id: 'placeholder', name: 'placeholder' } },
		},
	],
	connections: chain('Start', 'B2B Portal'),
};

/** As the editor creates it: the node has a webhookId, so n8n registers the bare path. */
const webhookWorkflow = (path: string, webhookId: string) => ({
	name: `selftest webhook ${path}`,
	nodes: [
		{
			id: 'w1',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId,
			parameters: { httpMethod: 'POST', path, options: {} },
		},
	],
	connections: {},
});

/** Hand-written JSON without a webhookId: n8n registers <workflowId>/<node name, lowercased + encoded>/<path>. */
const webhookWorkflowWithoutId = {
	name: 'selftest webhook without id',
	nodes: [
		{
			id: 'w1',
			name: 'My Hook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			parameters: { httpMethod: 'POST', path: 'noid/selftest', options: {} },
		},
	],
	connections: {},
};

/** Tries to leave the machine (192.0.2.1 is TEST-NET-1): the harness's network guard must refuse it. */
const outboundWorkflow = {
	name: 'selftest outbound',
	nodes: [
		manualTrigger,
		{
			id: 'n2',
			name: 'HTTP Request',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [200, 0],
			parameters: { method: 'GET', url: 'http://192.0.2.1:8080/selftest', options: { timeout: 5000 } },
		},
	],
	connections: chain('Start', 'HTTP Request'),
};

describe('N8nInstance (real n8n)', () => {
	let n8n: N8nInstance;
	let portal: http.Server;
	const seen: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders }> = [];
	const ids: Record<string, string> = {};
	const secret = 'selftest-webhook-signing-secret-0123456789';

	beforeAll(async () => {
		portal = http.createServer((req, res) => {
			seen.push({ method: req.method, url: req.url, headers: req.headers });
			if (req.method === 'GET' && req.url?.split('?')[0] === '/v1/sync-status') {
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ items: [] }));
			} else {
				res.writeHead(404, { 'content-type': 'application/json' });
				res.end('{"error":{"code":"not_found","message":"not found"}}');
			}
		});
		await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve));
		const port = (portal.address() as AddressInfo).port;

		n8n = await N8nInstance.create();
		await n8n.installPack();
		await n8n.importCredentials([
			{
				id: 'selftestCred0001',
				name: 'Selftest portal',
				type: 'b2bPortalApi',
				data: { baseUrl: `http://127.0.0.1:${port}`, authType: 'apiKey', apiKey: 'k', webhookSecret: secret },
			},
		]);
		const [set, fail, pack, hook, hookNoId, outbound] = await n8n.importWorkflows([
			{ workflow: setWorkflow },
			{ workflow: failWorkflow },
			{ workflow: packWorkflow, credentialIds: { b2bPortalApi: { id: 'selftestCred0001', name: 'Selftest portal' } } },
			{ workflow: webhookWorkflow('selftest', '5f1c2a0e-3b7d-4c4e-9a51-0d2b7e9c1a11') },
			{ workflow: webhookWorkflowWithoutId },
			{ workflow: outboundWorkflow },
		]);
		Object.assign(ids, { set, fail, pack, hook, hookNoId, outbound });
		// a single import too, with a caller-chosen id
		ids.set2 = await n8n.importWorkflow(setWorkflow, { id: 'selftestSet00002' });
	});

	afterAll(async () => {
		if (n8n) {
			// eslint-disable-next-line no-console
			console.log(`n8n harness timings (ms):\n${n8n.timings.map((t) => `  ${t.step}: ${t.ms}`).join('\n')}`);
			await n8n.dispose();
		}
		await new Promise<void>((resolve) => (portal ? portal.close(() => resolve()) : resolve()));
	});

	test('Manual Trigger -> Set: ok, with the Set output', async () => {
		const r = await n8n.execute(ids.set);
		expect(r.error).toBeUndefined();
		expect(r.ok).toBe(true);
		expect(r.exitCode).toBe(0);
		expect(r.data.status).toBe('success');
		expect(nodeItems(r.data, 'Set')).toEqual([{ hello: 'world', sum: 42 }]);

		const r2 = await n8n.execute('selftestSet00002');
		expect(r2.ok).toBe(true);
		// not started: executions() reads the SQLite database
		const listed = await n8n.executions(ids.set);
		expect(listed).toEqual([expect.objectContaining({ status: 'success', finished: true, mode: 'cli', workflowId: ids.set })]);
	});

	test('a failing node: ok=false, exit code 1, the node error', async () => {
		const r = await n8n.execute(ids.fail);
		expect(r.ok).toBe(false);
		expect(r.exitCode).toBe(1);
		expect(r.error).toBe('exit code 1; node "Boom" failed: selftest boom');
		expect(r.data?.data?.resultData?.error?.message).toBe('selftest boom');
	});

	test('an unknown workflow id: ok=false', async () => {
		const r = await n8n.execute('doesNotExist0001');
		expect(r.ok).toBe(false);
	});

	test('the pack is installed: b2bPortal syncStatus/getAll calls the portal with x-api-key', async () => {
		seen.length = 0;
		const r = await n8n.execute(ids.pack);
		expect(r.error).toBeUndefined();
		expect(r.ok).toBe(true);
		expect(seen).toHaveLength(1);
		expect(seen[0].method).toBe('GET');
		expect(seen[0].url).toBe('/v1/sync-status');
		expect(seen[0].headers['x-api-key']).toBe('k');
		expect(nodeItems(r.data, 'B2B Portal')).toEqual([]);
	});

	test('execute-batch: one start-up for several workflows', async () => {
		const t = Date.now();
		const results = await n8n.executeBatch([ids.set, ids.fail, ids.pack]);
		const batchMs = Date.now() - t;
		expect(results[ids.set].ok).toBe(true);
		expect(nodeItems(results[ids.set].data, 'Set')).toEqual([{ hello: 'world', sum: 42 }]);
		expect(results[ids.pack].ok).toBe(true);
		expect(results[ids.fail].ok).toBe(false);
		expect(results[ids.fail].error).toContain('selftest boom');
		// eslint-disable-next-line no-console
		console.log(`execute-batch of 3 workflows: ${batchMs} ms`);
	});

	test('webhook: published before start, called, listed in executions', async () => {
		await n8n.publish(ids.hook);
		await n8n.publish(ids.hookNoId);
		const { baseUrl, publications } = await n8n.start();
		expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(publications).toEqual(
			expect.arrayContaining([
				{ workflowId: ids.hook, status: 'completed', errorMessage: null },
				{ workflowId: ids.hookNoId, status: 'completed', errorMessage: null },
			]),
		);

		const url = n8n.webhookUrl('selftest');
		expect(url).toBe(`${baseUrl}/webhook/selftest`);
		const res = await httpRequest('POST', url, { body: { hello: 'webhook' } });
		expect({ url, status: res.status, body: res.body }).toEqual({ url, status: 200, body: '{"message":"Workflow was started"}' });

		const execution = await n8n.waitForExecution(ids.hook);
		expect(execution).toEqual(expect.objectContaining({ status: 'success', finished: true, mode: 'webhook' }));

		// what n8n registered, for both forms
		const hooks = await n8n.registeredWebhooks();
		expect(hooks).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ workflowId: ids.hook, webhookPath: 'selftest', method: 'POST', node: 'Webhook' }),
				expect.objectContaining({
					workflowId: ids.hookNoId,
					webhookPath: `${ids.hookNoId}/my%20hook/noid/selftest`,
					method: 'POST',
					node: 'My Hook',
				}),
			]),
		);
		expect(await n8n.webhookUrlFor(ids.hook)).toBe(url);
		const noIdUrl = await n8n.webhookUrlFor(ids.hookNoId, 'My Hook');
		expect(noIdUrl).toBe(`${baseUrl}/webhook/${ids.hookNoId}/my%2520hook/noid/selftest`);
		const noIdRes = await httpRequest('POST', noIdUrl, { body: {} });
		expect({ noIdUrl, status: noIdRes.status, body: noIdRes.body }).toEqual({ noIdUrl, status: 200, body: expect.any(String) });
		// the single-encoded form is NOT found: n8n compares the decoded request path with the stored one
		expect((await httpRequest('POST', `${baseUrl}/webhook/${ids.hookNoId}/my%20hook/noid/selftest`, { body: {} })).status).toBe(404);
	});

	test('publish while running (public API) registers the webhook at once', async () => {
		const id = await n8n.importWorkflow(webhookWorkflow('selftest-live', '7a0e4a55-1f7b-4d43-8f0c-2c9a3c1e5b22'));
		await n8n.publish(id);
		const res = await httpRequest('POST', n8n.webhookUrl('selftest-live'), { body: {} });
		expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: expect.any(String) });
		await n8n.waitForExecution(id, (e) => e.status === 'success');
	});

	test('logs are collected; nothing tried to leave the machine', async () => {
		expect(n8n.logs()).toContain('Editor is now accessible via');
		expect(n8n.logs()).not.toContain(secret);
		expect(maskSecrets(`key=${secret} again ${secret}`, [secret])).toBe('key=*** again ***');
		expect(n8n.outboundAttempts()).toEqual([]);
	});

	test('stop, then start again on the same user folder', async () => {
		const before = new Set((await n8n.executions(ids.hook)).map((e) => e.id));
		await n8n.stop();
		expect(n8n.running).toBe(false);
		await n8n.start();
		const res = await httpRequest('POST', n8n.webhookUrl('selftest'), { body: {} });
		expect(res.status).toBe(200);
		// the API key from the first start is still valid (it lives in the database)
		const fresh = await n8n.waitForExecution(ids.hook, (e) => !before.has(e.id) && e.finished);
		expect(fresh).toEqual(expect.objectContaining({ status: 'success', mode: 'webhook' }));
	});

	test('the network guard refuses and records a non-loopback connection', async () => {
		const r = await n8n.execute(ids.outbound);
		expect(r.ok).toBe(false);
		expect(r.error).toContain('node "HTTP Request" failed: The service refused the connection');
		expect(n8n.outboundAttempts()).toEqual([expect.objectContaining({ kind: 'connect', target: '192.0.2.1:8080', blocked: true })]);
	});
});
