/**
 * The Business Central Trigger against the BC simulator, through n8n-core's real hook and webhook contexts
 * (test/harness/n8n-webhook-harness.ts): activation → subscription + handshake answered by the node's own
 * webhook(), notification → one execution with one item per change, a wrong clientState → 401 and nothing,
 * renewal (activation, notification, keep-alive GET), deletion on deactivation, re-creation of a lost subscription.
 */
import type { IDataObject } from 'n8n-workflow';
import { BusinessCentralApi } from '../../credentials/BusinessCentralApi.credentials';
import { BusinessCentralTrigger } from '../../nodes/BusinessCentralTrigger/BusinessCentralTrigger.node';
import { startWebhookHarness, type WebhookHarness } from '../harness/n8n-webhook-harness';
import { startBusinessCentralSimulator, type BusinessCentralSimulator } from '../simulators/business-central/server';
import {
	subscriptionsOf,
	type SubscriptionRecord,
	type SubscriptionsState,
} from '../simulators/business-central/subscriptions';

const DAY = 24 * 3600_000;
let sim: BusinessCentralSimulator;
let hook: WebhookHarness;
let credential: IDataObject;

const bcState = () => sim.state.ext.subscriptions as SubscriptionsState;
const records = (): SubscriptionRecord[] => {
	subscriptionsOf(sim.state).prune();
	return bcState().records;
};
const handshakes = () => bcState().handshakes.filter((h) => h.ok).length;
const firstItem = () => sim.state.companies[0].items[0] as { id: string };

async function start(parameters: IDataObject = {}, delayMs = 0): Promise<WebhookHarness> {
	hook = await startWebhookHarness({
		nodeType: new BusinessCentralTrigger(),
		typeName: 'n8n-nodes-erp-b2b.businessCentralTrigger',
		parameters: { authentication: 'businessCentralApi', resource: 'product', company: '', options: {}, ...parameters },
		credentials: { businessCentralApi: { type: new BusinessCentralApi(), data: credential as never } },
		delayMs,
	});
	return hook;
}

beforeEach(async () => {
	sim = await startBusinessCentralSimulator({ clock: { start: Date.now(), frozen: true } });
	credential = {
		tenantId: sim.tenant,
		environment: sim.environment,
		company: sim.company.name,
		clientId: sim.clientId,
		clientSecret: sim.clientSecret,
		apiHost: sim.apiHost,
		loginHost: sim.loginHost,
		accessToken: '',
	};
});

afterEach(async () => {
	subscriptionsOf(sim.state).stop();
	await hook?.close();
	await sim.close();
});

describe('activation', () => {
	it('creates the subscription for the resource and company, answering the handshake with the token as text/plain', async () => {
		await start({ resource: 'client' });
		expect(await hook.activate()).toEqual({ existed: false });
		const [rec] = records();
		expect(rec.notificationUrl).toBe(hook.url());
		expect(rec.resource).toBe(`/api/v2.0/companies(${sim.company.id})/customers`);
		const state = hook.staticData();
		expect(state.subscriptionId).toBe(rec.subscriptionId);
		expect(state.clientState).toBe(rec.clientState);
		expect(String(state.clientState).length).toBeGreaterThanOrEqual(40);
		const shake = hook.calls.find((c) => c.query.validationToken);
		expect(shake).toMatchObject({ method: 'POST', status: 200, body: shake?.query.validationToken });
		expect(shake?.contentType).toMatch(/^text\/plain/);
		expect(shake?.execution).toBeUndefined();
	});

	it('answers a GET handshake the same way (BC’s method is unverified)', async () => {
		bcState().settings.handshakeMethod = 'GET';
		await start();
		await hook.activate();
		expect(records()).toHaveLength(1);
		expect(hook.calls[0]).toMatchObject({ method: 'GET', status: 200 });
	});

	it('a second activation finds the subscription (no new one); a lost one is created again', async () => {
		await start();
		await hook.activate();
		const first = records()[0].subscriptionId;
		expect(await hook.activate()).toEqual({ existed: true });
		expect(records().map((r) => r.subscriptionId)).toEqual([first]);
		sim.clock.advance(3 * DAY); // expired in BC
		sim.clock.set(Date.now());
		bcState().records = [];
		expect(await hook.activate()).toEqual({ existed: false });
		expect(records()).toHaveLength(1);
		expect(records()[0].subscriptionId).not.toBe(first);
	});

	it('a test listen in the editor makes its own subscription and leaves the active one alone', async () => {
		await start();
		await hook.activate();
		const production = { ...hook.staticData() };
		// the editor's copy of the workflow carries the active workflow's static data
		hook.useStaticData({ 'node:Business Central Trigger': { ...production } });
		expect(await hook.activate({ test: true })).toEqual({ existed: false });
		expect(records()).toHaveLength(2);
		const test = records().find((r) => r.subscriptionId !== production.subscriptionId)!;
		expect(test.notificationUrl).toBe(hook.url().replace('/webhook/', '/webhook-test/'));
		expect(await hook.deactivate({ test: true })).toBe(true);
		expect(records().map((r) => r.subscriptionId)).toEqual([production.subscriptionId]);
	});

	it('a production activation with another URL (WEBHOOK_URL changed) replaces the old subscription', async () => {
		await start();
		await hook.activate();
		const old = hook.staticData().subscriptionId;
		hook.staticData().notificationUrl = 'https://old.example.com/webhook/x/business-central';
		expect(await hook.activate()).toEqual({ existed: false });
		expect(records().map((r) => r.subscriptionId)).not.toContain(old);
		expect(records()).toHaveLength(1);
	});

	it('renews at activation when less than 24 h are left', async () => {
		sim.clock.set(Date.now() - 2.5 * DAY);
		await start();
		await hook.activate();
		const before = records()[0].expirationDateTime;
		sim.clock.set(Date.now());
		expect(await hook.activate()).toEqual({ existed: true });
		const after = records()[0].expirationDateTime;
		expect(Date.parse(after) - Date.parse(before)).toBeGreaterThan(2 * DAY);
		expect(hook.staticData().expirationDateTime).toBe(after);
		expect(handshakes()).toBe(2);
	});

	it('fails with the URL and what BC needs when the handshake is not answered in time', async () => {
		bcState().settings.handshakeTimeoutMs = 300;
		await start({}, 800);
		await expect(hook.activate()).rejects.toThrow(/validationToken.*within 5 s.*reachable from Business Central/);
		expect(records()).toHaveLength(0);
	});

	it('names an unknown company of the override and the companies there', async () => {
		await start({ company: 'Nie Ma Takiej Sp. z o.o.' });
		await expect(hook.activate()).rejects.toThrow(/Nie Ma Takiej Sp\. z o\.o\..*not found/);
	});
});

describe('notifications', () => {
	it('one execution per notification, one item per change, the record id parsed from the resource', async () => {
		await start();
		await hook.activate();
		sim.state.changed(sim.company.id, 'items', firstItem().id, 'updated');
		const [d] = await subscriptionsOf(sim.state).flushNotifications();
		expect(d.outcome).toBe('delivered');
		expect(hook.executions).toHaveLength(1);
		expect(hook.executions[0].map((i) => i.json)).toEqual([
			{
				resource: 'product',
				changeType: 'updated',
				id: firstItem().id,
				lastModifiedDateTime: expect.any(String),
				collection: false,
				changedSince: null,
				companyId: sim.company.id,
				entity: 'items',
				subscriptionId: records()[0].subscriptionId,
			},
		]);
	});

	it('a collection notification gives one item with collection: true and the time to read from', async () => {
		bcState().settings.maxNotifications = 3;
		await start();
		await hook.activate();
		for (let i = 0; i < 4; i++) sim.state.changed(sim.company.id, 'items', `id-${i}`, 'updated');
		await subscriptionsOf(sim.state).flushNotifications();
		const [item] = hook.executions[0].map((i) => i.json);
		expect(item).toMatchObject({ resource: 'product', changeType: 'collection', id: null, collection: true });
		expect(item.changedSince).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
	});

	it('a wrong clientState is answered 401 and starts nothing; BC then drops that subscription', async () => {
		await start();
		await hook.activate();
		const ours = records()[0];
		const forged = await fetch(hook.url(), {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({
				value: [{ subscriptionId: ours.subscriptionId, clientState: 'zgadnij', resource: 'x', changeType: 'updated' }],
			}),
		});
		expect(forged.status).toBe(401);
		expect(await forged.text()).not.toContain(ours.clientState);
		// a subscription someone else made to our URL, with another clientState
		ours.clientState = 'inny-sekret';
		sim.state.changed(sim.company.id, 'items', firstItem().id, 'updated');
		const [d] = await subscriptionsOf(sim.state).flushNotifications();
		expect(d).toMatchObject({ status: 401, outcome: 'deleted' });
		expect(hook.executions).toHaveLength(0);
		expect(hook.logs.join('\n')).toMatch(/refused a call: notification 1 does not carry this trigger's clientState/);
		expect(hook.logs.join('\n')).not.toContain(String(hook.staticData().clientState));
	});

	it('a notification for another subscription id is refused', async () => {
		await start();
		await hook.activate();
		const res = await fetch(hook.url(), {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ value: [{ subscriptionId: 'abc', clientState: hook.staticData().clientState }] }),
		});
		expect(res.status).toBe(401);
		expect(hook.executions).toHaveLength(0);
	});

	it('renews after a notification when less than 24 h are left (answering BC first)', async () => {
		sim.clock.set(Date.now() - 2.5 * DAY);
		await start();
		await hook.activate();
		sim.clock.set(Date.now());
		const before = records()[0].expirationDateTime;
		sim.state.changed(sim.company.id, 'items', firstItem().id, 'updated');
		await subscriptionsOf(sim.state).flushNotifications();
		await new Promise((r) => setTimeout(r, 300));
		expect(hook.executions).toHaveLength(1);
		expect(Date.parse(records()[0].expirationDateTime) - Date.parse(before)).toBeGreaterThan(2 * DAY);
		expect(handshakes()).toBe(2);
	});

	it('does not renew when more than 24 h are left', async () => {
		await start();
		await hook.activate();
		sim.state.changed(sim.company.id, 'items', firstItem().id, 'updated');
		await subscriptionsOf(sim.state).flushNotifications();
		expect(hook.executions).toHaveLength(1);
		expect(handshakes()).toBe(1);
	});
});

describe('keep-alive GET and deactivation', () => {
	it('a GET renews a subscription close to its expiry and re-creates one BC has deleted; nothing starts', async () => {
		sim.clock.set(Date.now() - 2.5 * DAY);
		await start();
		await hook.activate();
		sim.clock.set(Date.now());
		const renewed = await (await fetch(hook.url('setup'))).json();
		expect(renewed).toMatchObject({ ok: true, status: 'renewed' });
		expect(handshakes()).toBe(2);

		bcState().records = []; // BC deleted it (failed deliveries)
		delete hook.staticData().checkedAt;
		const again = await (await fetch(hook.url('setup'))).json();
		expect(again).toMatchObject({ ok: true, status: 'recreated' });
		expect(records()).toHaveLength(1);
		expect(records()[0].subscriptionId).toBe(hook.staticData().subscriptionId);
		expect(records()[0].clientState).toBe(hook.staticData().clientState);
		expect(hook.executions).toHaveLength(0);
	});

	it('a GET to a trigger that is not active answers 503 and calls nothing', async () => {
		await start();
		const res = await fetch(hook.url('setup'));
		expect(res.status).toBe(503);
		expect(bcState().handshakes).toHaveLength(0);
	});

	it('deactivation deletes the subscription and forgets it; a subscription already gone (404) is fine', async () => {
		await start();
		await hook.activate();
		expect(await hook.deactivate()).toBe(true);
		expect(records()).toHaveLength(0);
		expect(hook.staticData()).toEqual({});
		await hook.activate();
		bcState().records = [];
		expect(await hook.deactivate()).toBe(true);
		expect(hook.staticData()).toEqual({});
	});
});
