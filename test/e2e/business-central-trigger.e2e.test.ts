/**
 * The Business Central Trigger's subscription lifecycle in a started n8n 2.41.1 (the packed pack installed as n8n's
 * community-package installer does), against the BC simulator: publishing creates the subscription (BC's
 * validationToken call answered by n8n's live webhook), a change becomes an execution with one item per change, a
 * wrong clientState gets 401 and no execution, a subscription near its expiry is renewed by the next notification
 * and by a keep-alive GET, and unpublishing deletes it.
 */
import { N8nInstance, httpRequest } from './harness/n8n-instance';
import { startBusinessCentralSimulator, type BusinessCentralSimulator } from '../simulators/business-central/server';
import {
	subscriptionsOf,
	type SubscriptionRecord,
	type SubscriptionsState,
} from '../simulators/business-central/subscriptions';

jest.setTimeout(300_000);

const CRED = { id: 'bcCredTrigger01', name: 'Business Central (simulator)' };
const WEBHOOK_ID = '6d0b3f2e-41c8-4b7a-9e55-0c2f7a91d3b4';

let sim: BusinessCentralSimulator;
let n8n: N8nInstance;
let workflowId: string;
let url: string;

const bc = () => sim.state.ext.subscriptions as SubscriptionsState;
const records = (): SubscriptionRecord[] => {
	subscriptionsOf(sim.state).prune();
	return bc().records;
};
const okHandshakes = () => bc().handshakes.filter((h) => h.ok).length;
const item = () => sim.state.companies[0].items[0] as { id: string };

const workflow = () => ({
	name: 'BC trigger e2e',
	nodes: [
		{
			id: 'bc-trigger',
			name: 'Item changed in BC',
			type: 'n8n-nodes-erp-b2b.businessCentralTrigger',
			typeVersion: 1,
			position: [0, 0],
			webhookId: WEBHOOK_ID,
			parameters: { authentication: 'businessCentralApi', resource: 'product', company: '', options: {} },
			credentials: { businessCentralApi: CRED },
		},
		{
			id: 'noop',
			name: 'Changed item',
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [250, 0],
			parameters: {},
		},
	],
	connections: { 'Item changed in BC': { main: [[{ node: 'Changed item', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
});

async function staticData(): Promise<Record<string, unknown>> {
	const [row] = await n8n.sqlite('SELECT "staticData" FROM "workflow_entity" WHERE "id" = ?', [workflowId]);
	const raw = row?.staticData;
	const all = (typeof raw === 'string' ? JSON.parse(raw) : (raw ?? {})) as Record<string, Record<string, unknown>>;
	return all['node:Item changed in BC'] ?? {};
}

const finished = async () =>
	(await n8n.executions(workflowId)).filter((e) => e.finished || !['new', 'running', 'waiting'].includes(e.status));

async function waitFor<T>(what: () => Promise<T | undefined | false>, label: string, ms = 30_000): Promise<T> {
	const end = Date.now() + ms;
	for (;;) {
		const v = await what();
		if (v) return v;
		if (Date.now() > end) throw new Error(`timed out waiting for ${label}`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

beforeAll(async () => {
	sim = await startBusinessCentralSimulator({});
	n8n = await N8nInstance.create();
	await n8n.installPack();
	await n8n.importCredentials([
		{
			...CRED,
			type: 'businessCentralApi',
			data: {
				tenantId: sim.tenant,
				environment: sim.environment,
				company: sim.company.name,
				clientId: sim.clientId,
				clientSecret: sim.clientSecret,
				apiHost: sim.apiHost,
				loginHost: sim.loginHost,
			},
		},
	]);
	workflowId = await n8n.importWorkflow(workflow(), { credentialIds: { businessCentralApi: CRED } });
	await n8n.start();
	// published while n8n runs: BC's validationToken call reaches n8n's live webhook during the activation
	await n8n.publish(workflowId);
	url = await n8n.webhookUrlFor(workflowId, 'Item changed in BC');
});

afterAll(async () => {
	if (sim) subscriptionsOf(sim.state).stop();
	await n8n?.dispose();
	await sim?.close();
});

describe('Business Central Trigger in real n8n', () => {
	it('publishing creates the subscription after the handshake answered by n8n', async () => {
		const [rec] = records();
		expect(records()).toHaveLength(1);
		expect(rec.notificationUrl).toBe(url);
		expect(rec.resource).toBe(`/api/v2.0/companies(${sim.company.id})/items`);
		expect(bc().handshakes).toEqual([expect.objectContaining({ ok: true, method: 'POST', notificationUrl: url })]);
		const state = await staticData();
		expect(state).toMatchObject({ subscriptionId: rec.subscriptionId, clientState: rec.clientState });
		expect(n8n.logs()).not.toContain(sim.clientSecret);
	});

	it('a change in BC becomes one execution with the changed item', async () => {
		const before = (await finished()).length;
		sim.state.changed(sim.company.id, 'items', item().id, 'updated');
		const [d] = await subscriptionsOf(sim.state).flushNotifications();
		expect(d).toMatchObject({ status: 200, outcome: 'delivered', entries: 1 });
		const done = await waitFor(async () => {
			const list = await finished();
			return list.length > before && list;
		}, 'the execution');
		const r = await n8n.api('GET', `/executions/${done[0].id}?includeData=true`);
		const run = r.json<{
			data: { resultData: { runData: Record<string, Array<{ data: { main: Array<Array<{ json: unknown }>> } }>> } };
		}>();
		const items = run.data.resultData.runData['Changed item'][0].data.main[0].map((i) => i.json);
		expect(items).toEqual([
			expect.objectContaining({
				resource: 'product',
				changeType: 'updated',
				id: item().id,
				collection: false,
				companyId: sim.company.id,
			}),
		]);
	});

	it('a notification with a wrong clientState gets 401 and starts nothing', async () => {
		const before = (await finished()).length;
		const [rec] = records();
		const res = await httpRequest('POST', url, {
			body: {
				value: [{ subscriptionId: rec.subscriptionId, clientState: 'nie-ten', resource: 'x', changeType: 'updated' }],
			},
		});
		expect(res.status).toBe(401);
		await new Promise((r) => setTimeout(r, 1500));
		expect((await finished()).length).toBe(before);
	});

	it('a notification when less than 24 h are left renews the subscription (new handshake, 3 more days)', async () => {
		const [rec] = records();
		rec.expirationDateTime = new Date(Date.now() + 12 * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
		const shakes = okHandshakes();
		const before = (await finished()).length;
		sim.state.changed(sim.company.id, 'items', item().id, 'updated');
		await subscriptionsOf(sim.state).flushNotifications();
		await waitFor(async () => okHandshakes() > shakes, 'the renewal handshake');
		await waitFor(async () => (await finished()).length > before, 'the execution');
		expect(Date.parse(records()[0].expirationDateTime) - Date.now()).toBeGreaterThan(2.9 * 24 * 3600_000);
		expect(records()[0].subscriptionId).toBe(rec.subscriptionId);
		const state = await waitFor(async () => {
			const s = await staticData();
			return s.expirationDateTime === records()[0].expirationDateTime && s;
		}, 'the renewed expiry in the static data');
		expect(state.subscriptionId).toBe(rec.subscriptionId);
	});

	it('a keep-alive GET renews a subscription near its expiry and starts nothing', async () => {
		const [rec] = records();
		rec.expirationDateTime = new Date(Date.now() + 6 * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
		const before = (await finished()).length;
		const res = await httpRequest('GET', url);
		expect(res.status).toBe(200);
		expect(JSON.parse(res.body)).toMatchObject({ ok: true, status: 'renewed' });
		expect(Date.parse(records()[0].expirationDateTime) - Date.now()).toBeGreaterThan(2.9 * 24 * 3600_000);
		await new Promise((r) => setTimeout(r, 1000));
		expect((await finished()).length).toBe(before);
	});

	it('unpublishing deletes the subscription in BC', async () => {
		const r = await n8n.api('POST', `/workflows/${workflowId}/unpublish`, {});
		expect(r.status).toBe(200);
		await waitFor(async () => records().length === 0, 'the deletion');
		expect(records()).toEqual([]);
	});
});
