/**
 * Real n8n 2.41.1 (Node 24) with the packed pack installed as n8n's community-package installer does it:
 * the portal-smoke template is imported and executed headless against the portal simulator, and the
 * order-webhook template is published and called over HTTP with signed and badly signed events.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { N8nInstance, REPO_ROOT, httpRequest, nodeItems } from './harness/n8n-instance';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { makeOrder } from '../fixtures/polish';

jest.setTimeout(240_000);

const template = (name: string) => JSON.parse(readFileSync(path.join(REPO_ROOT, 'workflows-templates', name), 'utf8'));
const CRED = { id: 'portalCred0001', name: 'B2B Portal account' };

let sim: PortalSimulator;
let n8n: N8nInstance;

beforeAll(async () => {
	sim = await startPortalSimulator({ apiKey: 'e2e-portal-KEY-9f27c1d4', webhookSecret: 'e2e-webhook-SECRET-ąę' });
	n8n = await N8nInstance.create();
	await n8n.installPack();
	await n8n.importCredentials([
		{ ...CRED, type: 'b2bPortalApi', data: { baseUrl: sim.url, authType: 'apiKey', apiKey: sim.apiKey, webhookSecret: sim.webhookSecret } },
	]);
});

afterAll(async () => {
	await n8n?.dispose();
	await sim?.close();
});

afterEach(() => expect(sim.contractViolations).toEqual([]));

describe('portal-smoke template in real n8n', () => {
	it('leaves exactly the template products in the portal, every Polish letter intact', async () => {
		sim.reset();
		const workflow = template('portal-smoke.json');
		const expected = JSON.parse(workflow.nodes.find((n: { name: string }) => n.name === 'Send products to portal').parameters.records);
		const id = await n8n.importWorkflow(workflow, { credentialIds: { b2bPortalApi: CRED } });
		const run = await n8n.execute(id);
		expect(run.error).toBeUndefined();
		expect(run.ok).toBe(true);
		expect(nodeItems(run.data, 'Send products to portal').map((j) => j.action)).toEqual(['created', 'created', 'created']);

		expect([...sim.state.products.keys()]).toEqual(['ŁÓD-001', 'ŻAG-002', 'WIO-003']);
		for (const p of expected) {
			const stored = sim.state.products.get(p.code)!;
			expect(stored).toEqual(p);
			// byte for byte, in UTF-8
			expect(Buffer.from(stored.name, 'utf8').equals(Buffer.from(p.name, 'utf8'))).toBe(true);
		}
		expect(sim.state.products.get('ŁÓD-001')!.name).toBe('Łódka żółta ĄĘŚ');
		expect(sim.state.syncStatus.get('portal-smoke')).toMatchObject({ status: 'success', counts: { products: 3 } });
		expect(n8n.logs()).not.toContain(sim.apiKey);
		expect(run.stdout + run.stderr).not.toContain(sim.apiKey);
	});

	it('refuses bad input naming the item and field, and writes nothing', async () => {
		sim.reset();
		const workflow = template('portal-smoke.json');
		const node = workflow.nodes.find((n: { name: string }) => n.name === 'Send products to portal');
		node.parameters.records = JSON.stringify([
			{ code: 'ŁÓD-001', name: 'Łódka żółta ĄĘŚ' },
			{ name: 'Gęś bez kodu' },
		]);
		workflow.name = 'portal-smoke with a product without code';
		const id = await n8n.importWorkflow(workflow, { credentialIds: { b2bPortalApi: CRED } });
		const run = await n8n.execute(id);
		expect(run.ok).toBe(false);
		expect(run.error).toContain('product (no code): field "code" is missing');
		expect(sim.state.products.size).toBe(0);
		expect(sim.requests.filter((r) => r.path === '/v1/products/batch')).toEqual([]);
	});
});

describe('B2B Portal Trigger in real n8n', () => {
	let hookId: string;
	let url: string;

	beforeAll(async () => {
		hookId = await n8n.importWorkflow(template('portal-order-webhook.json'), { credentialIds: { b2bPortalApi: CRED } });
		await n8n.publish(hookId);
		await n8n.start();
		url = await n8n.webhookUrlFor(hookId, 'Order from portal');
	});

	const executionsOfHook = async () => (await n8n.executions(hookId)).filter((e) => e.finished || !['new', 'running', 'waiting'].includes(e.status)).length;
	const waitForCount = async (count: number) => {
		const deadline = Date.now() + 30_000;
		while ((await executionsOfHook()) < count) {
			if (Date.now() > deadline) throw new Error(`expected ${count} finished executions of the webhook workflow`);
			await new Promise((r) => setTimeout(r, 250));
		}
	};

	it('starts the workflow for a correctly signed order event', async () => {
		sim.reset();
		sim.seedOrder(makeOrder(501));
		const before = await executionsOfHook();
		const res = await sim.sendOrderEvent(url, { type: 'order.created', order: 'B2B/2026/000501', id: 'evt-501' });
		expect(res.status).toBe(200);
		await waitForCount(before + 1);
		expect(await executionsOfHook()).toBe(before + 1);
		const deadline = Date.now() + 20_000;
		while (!sim.state.syncStatus.has('order-webhook B2B/2026/000501') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
		expect(sim.state.syncStatus.get('order-webhook B2B/2026/000501')).toMatchObject({ counts: { lines: 2 }, message: 'order.created evt-501' });
	});

	it.each([
		['a wrong secret', { secret: 'not-the-secret' }],
		['a body changed after signing', { tamper: 'body' as const }],
		['a signature that was cut', { tamper: 'signature' as const }],
		['a timestamp 10 minutes old', { timestamp: Math.floor(Date.now() / 1000) - 600 }],
	])('refuses %s with 401 and starts nothing', async (_name, opts) => {
		sim.reset();
		sim.seedOrder(makeOrder(502));
		const before = await executionsOfHook();
		const res = await sim.sendOrderEvent(url, { type: 'order.created', order: 'B2B/2026/000502', id: `evt-bad-${Math.random()}`, ...opts });
		expect(res.status).toBe(401);
		await new Promise((r) => setTimeout(r, 1000));
		expect(await executionsOfHook()).toBe(before);
		expect(sim.state.syncStatus.size).toBe(0);
	});

	it('refuses an unsigned request', async () => {
		const before = await executionsOfHook();
		const res = await httpRequest('POST', url, { body: { id: 'x', type: 'order.created', createdAt: new Date().toISOString(), data: makeOrder(503) } });
		expect(res.status).toBe(401);
		expect(await executionsOfHook()).toBe(before);
	});

	it('answers a repeated event id with 200 and does not run it twice', async () => {
		sim.reset();
		sim.seedOrder(makeOrder(504));
		const before = await executionsOfHook();
		const first = await sim.sendOrderEvent(url, { type: 'order.created', order: 'B2B/2026/000504', id: 'evt-504' });
		expect(first.status).toBe(200);
		expect(JSON.parse(first.body)).toEqual({ received: true, eventId: 'evt-504' });
		await waitForCount(before + 1);
		const after = await executionsOfHook();
		const again = await sim.sendOrderEvent(url, { type: 'order.created', order: 'B2B/2026/000504', id: 'evt-504' });
		expect(again.status).toBe(200);
		expect(JSON.parse(again.body)).toMatchObject({ duplicate: true });
		await new Promise((r) => setTimeout(r, 1000));
		expect(await executionsOfHook()).toBe(after);
	});
});
