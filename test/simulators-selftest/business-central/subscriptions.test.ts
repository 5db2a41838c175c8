/**
 * The simulator's change webhooks against what research erp-facts-wave2 §1 "Webhooks" says BC does: the
 * validationToken handshake (answer, body, 5 s), supported resources, 200 at most, 3-day expiry, PATCH with If-Match
 * and a new handshake, DELETE, 30 s debounce, one entry per record or one `collection`, retries on 408/429/5xx for
 * 36 h, deletion on any other 4xx. A small listener here plays the subscriber.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBusinessCentralSimulator, type BusinessCentralSimulator } from '../../simulators/business-central/server';
import { subscriptionsOf, type SubscriptionsState } from '../../simulators/business-central/subscriptions';

interface Received {
	method: string;
	query: URLSearchParams;
	body: string;
}

/** the subscriber: answers the handshake as `mode` says, notifications with `status` */
class Listener {
	server!: Server;
	url = '';
	received: Received[] = [];
	mode: 'echo' | 'wrong' | 'error' | 'slow' = 'echo';
	status = 200;

	async start(): Promise<this> {
		this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const u = new URL(req.url ?? '/', 'http://x');
				this.received.push({ method: req.method ?? '', query: u.searchParams, body: Buffer.concat(chunks).toString() });
				const token = u.searchParams.get('validationToken');
				if (token === null) {
					res.writeHead(this.status);
					res.end();
					return;
				}
				if (this.mode === 'slow') {
					setTimeout(() => res.end(token), 1500);
					return;
				}
				if (this.mode === 'error') res.writeHead(500);
				else res.writeHead(200, { 'Content-Type': 'text/plain' });
				res.end(this.mode === 'wrong' ? 'OK' : token);
			});
		});
		await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
		return this;
	}

	notifications(): Array<{ value: Array<Record<string, string>> }> {
		return this.received.filter((r) => !r.query.has('validationToken')).map((r) => JSON.parse(r.body));
	}

	close = () => new Promise<void>((r) => this.server.close(() => r()));
}

let sim: BusinessCentralSimulator;
let listener: Listener;
let auth: string;
let api: string;

const settings = () => (sim.state.ext.subscriptions as SubscriptionsState).settings;
const resource = (entity = 'items') => `/api/v2.0/companies(${sim.company.id})/${entity}`;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
	const res = await fetch(`${api}${path}`, {
		method,
		headers: {
			Authorization: auth,
			...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
			...headers,
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

const subscribe = (entity = 'items', clientState = 'sekret-ąę') =>
	call('POST', '/subscriptions', { notificationUrl: listener.url, resource: resource(entity), clientState });

const waitFor = async (what: () => boolean, ms = 3000) => {
	const end = Date.now() + ms;
	while (!what()) {
		if (Date.now() > end) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 50));
	}
};

beforeEach(async () => {
	sim = await startBusinessCentralSimulator({ clock: { start: '2026-12-01T08:00:00Z', frozen: true } });
	listener = await new Listener().start();
	auth = `Basic ${Buffer.from(`${sim.onPremUser}:${sim.onPremKey}`).toString('base64')}`;
	api = `${sim.onPremBase}/api/v2.0`;
});

afterEach(async () => {
	// close() stops the delivery tick itself (the module's stop() is registered with the server)
	await sim.close();
	await listener.close();
});

describe('creating a subscription', () => {
	it('calls notificationUrl with a validationToken (POST) and creates it when the token comes back', async () => {
		const r = await subscribe();
		expect(r.status).toBe(201);
		expect(r.json).toMatchObject({
			notificationUrl: listener.url,
			resource: resource(),
			clientState: 'sekret-ąę',
			expirationDateTime: '2026-12-04T08:00:00Z',
		});
		expect(r.json.subscriptionId).toMatch(/^[0-9a-f]{32}$/);
		expect(r.json['@odata.etag']).toMatch(/^W\/"/);
		expect(listener.received).toHaveLength(1);
		expect(listener.received[0].method).toBe('POST');
		expect(listener.received[0].query.get('validationToken')).toBeTruthy();
	});

	it('uses GET for the handshake when settings.handshakeMethod says so (BC’s method is unverified)', async () => {
		settings().handshakeMethod = 'GET';
		expect((await subscribe()).status).toBe(201);
		expect(listener.received[0].method).toBe('GET');
	});

	it.each([
		['wrong', 'answered 200 without the validationToken'],
		['error', 'answered 500'],
		['slow', 'did not answer within 0.5 s'],
	] as const)('refuses with 400 and creates nothing when the subscriber answers %s', async (mode, text) => {
		settings().handshakeTimeoutMs = 500;
		listener.mode = mode;
		const r = await subscribe();
		expect(r.status).toBe(400);
		expect(r.json.error.message).toContain(text);
		expect(r.json.error.message).toMatch(/CorrelationId/);
		expect((await call('GET', '/subscriptions')).json.value).toEqual([]);
	});

	it('accepts items, customers, salesOrders, salesInvoices and refuses locations and salesShipments', async () => {
		for (const e of ['items', 'customers', 'salesOrders', 'salesInvoices'])
			expect((await subscribe(e)).status).toBe(201);
		for (const e of ['locations', 'salesShipments']) {
			const r = await subscribe(e);
			expect(r.status).toBe(400);
			expect(r.json.error.message).toContain(e);
		}
	});

	it('accepts the resource relative without the leading /api/v2.0 and absolute', async () => {
		for (const res of [`companies(${sim.company.id})/customers`, `${api}/companies(${sim.company.id})/items`]) {
			const r = await call('POST', '/subscriptions', { notificationUrl: listener.url, resource: res });
			expect(r.status).toBe(201);
		}
	});

	it('refuses an unknown company and a resource that is no entity set URL', async () => {
		const unknown = await call('POST', '/subscriptions', {
			notificationUrl: listener.url,
			resource: '/api/v2.0/companies(00000000-0000-0000-0000-000000000001)/items',
		});
		expect(unknown.status).toBe(404);
		const bad = await call('POST', '/subscriptions', { notificationUrl: listener.url, resource: 'items' });
		expect(bad.status).toBe(400);
		const noUrl = await call('POST', '/subscriptions', { resource: resource() });
		expect(noUrl.status).toBe(400);
	});

	it('stops at the maximum number of subscriptions', async () => {
		settings().maxSubscriptions = 2;
		expect((await subscribe()).status).toBe(201);
		expect((await subscribe('customers')).status).toBe(201);
		const third = await subscribe('salesOrders');
		expect(third.status).toBe(400);
		expect(third.json.error.message).toContain('maximum number of subscriptions (2)');
	});
});

describe('reading, renewing, expiring, deleting', () => {
	it('expires after 3 days: GET answers 404 and the list is empty', async () => {
		const { json } = await subscribe();
		sim.clock.advance(3 * 24 * 3600_000 - 1000);
		expect((await call('GET', `/subscriptions('${json.subscriptionId}')`)).status).toBe(200);
		sim.clock.advance(1000);
		const gone = await call('GET', `/subscriptions('${json.subscriptionId}')`);
		expect(gone.status).toBe(404);
		expect(gone.json.error.code).toBe('BadRequest_NotFound');
		expect((await call('GET', '/subscriptions')).json.value).toEqual([]);
	});

	it('PATCH needs If-Match (400 without, 409 stale), does a new handshake and renews for 3 days', async () => {
		const { json } = await subscribe();
		const path = `/subscriptions('${json.subscriptionId}')`;
		sim.clock.advance(2 * 24 * 3600_000);
		expect((await call('PATCH', path, {})).status).toBe(400);
		const ok = await call('PATCH', path, { clientState: 'nowy' }, { 'If-Match': json['@odata.etag'] });
		expect(ok.status).toBe(200);
		expect(ok.json.expirationDateTime).toBe('2026-12-06T08:00:00Z');
		expect(ok.json.clientState).toBe('nowy');
		expect(ok.json['@odata.etag']).not.toBe(json['@odata.etag']);
		expect(listener.received.filter((r) => r.query.has('validationToken'))).toHaveLength(2);
		const stale = await call('PATCH', path, {}, { 'If-Match': json['@odata.etag'] });
		expect(stale.status).toBe(409);
		expect(stale.json.error.code).toBe('Request_EntityChanged');
	});

	it('a PATCH whose handshake fails leaves the subscription as it was', async () => {
		const { json } = await subscribe();
		listener.mode = 'wrong';
		const r = await call('PATCH', `/subscriptions('${json.subscriptionId}')`, {}, { 'If-Match': '*' });
		expect(r.status).toBe(400);
		const now = await call('GET', `/subscriptions('${json.subscriptionId}')`);
		expect(now.json.expirationDateTime).toBe(json.expirationDateTime);
		expect(now.json['@odata.etag']).toBe(json['@odata.etag']);
	});

	it('DELETE needs If-Match, answers 204, then the subscription is gone (404)', async () => {
		const { json } = await subscribe();
		const path = `/subscriptions('${json.subscriptionId}')`;
		expect((await call('DELETE', path)).status).toBe(400);
		expect((await call('DELETE', path, undefined, { 'If-Match': '*' })).status).toBe(204);
		expect((await call('GET', path)).status).toBe(404);
		expect((await call('DELETE', path, undefined, { 'If-Match': '*' })).status).toBe(404);
	});
});

describe('notifications', () => {
	const item = () => sim.state.companies[0].items[0] as { id: string };

	it('waits 30 s after the first change, then posts one entry per changed record (no record data)', async () => {
		const { json } = await subscribe();
		await subscribe('customers');
		sim.state.changed(sim.company.id, 'items', item().id, 'updated');
		sim.state.changed(sim.company.id, 'items', item().id, 'updated');
		sim.clock.advance(29_000);
		await new Promise((r) => setTimeout(r, 500));
		expect(listener.notifications()).toHaveLength(0);
		sim.clock.advance(1_000);
		await waitFor(() => listener.notifications().length === 1);
		const [n] = listener.notifications();
		expect(n.value).toEqual([
			{
				subscriptionId: json.subscriptionId,
				clientState: 'sekret-ąę',
				expirationDateTime: json.expirationDateTime,
				resource: `api/v2.0/companies(${sim.company.id})/items(${item().id})`,
				changeType: 'updated',
				lastModifiedDateTime: '2026-12-01T08:00:00.000Z',
			},
		]);
	});

	it('flushNotifications() sends what is pending at once; created-then-updated stays created, deleted wins', async () => {
		await subscribe();
		sim.state.changed(sim.company.id, 'items', 'a1', 'created');
		sim.state.changed(sim.company.id, 'items', 'a1', 'updated');
		sim.state.changed(sim.company.id, 'items', 'b2', 'updated');
		sim.state.changed(sim.company.id, 'items', 'b2', 'deleted');
		await sim.flushNotifications(); // the simulator's own handle on the module
		const types = Object.fromEntries(
			listener.notifications()[0].value.map((e) => [e.resource.replace(/.*\(|\)$/g, ''), e.changeType]),
		);
		expect(types).toEqual({ a1: 'created', b2: 'deleted' });
	});

	it('more than 1,000 changed records in one wait → one collection entry with a lastModifiedDateTime filter', async () => {
		await subscribe();
		for (let i = 0; i < 1001; i++) sim.state.changed(sim.company.id, 'items', `id-${i}`, 'updated');
		await subscriptionsOf(sim.state).flushNotifications();
		const [n] = listener.notifications();
		expect(n.value).toHaveLength(1);
		expect(n.value[0].changeType).toBe('collection');
		expect(n.value[0].resource).toBe(
			`/api/v2.0/companies(${sim.company.id})/items?$filter=lastModifiedDateTime%20gt%202026-12-01T07:59:59Z`,
		);
	});

	it('1,000 records are still single entries', async () => {
		await subscribe();
		for (let i = 0; i < 1000; i++) sim.state.changed(sim.company.id, 'items', `id-${i}`, 'updated');
		await subscriptionsOf(sim.state).flushNotifications();
		expect(listener.notifications()[0].value).toHaveLength(1000);
	});

	it('retries 503 / 429 / 408 answers and keeps the subscription; after 36 h of failures it is deleted', async () => {
		const { json } = await subscribe();
		const m = subscriptionsOf(sim.state);
		sim.state.changed(sim.company.id, 'items', item().id, 'updated');
		for (const status of [503, 429, 408]) {
			listener.status = status;
			const [d] = await m.flushNotifications();
			expect(d.outcome).toBe('retry');
		}
		expect((await call('GET', `/subscriptions('${json.subscriptionId}')`)).status).toBe(200);
		listener.status = 200;
		expect((await m.flushNotifications())[0].outcome).toBe('delivered');
		expect(listener.notifications()).toHaveLength(4);

		sim.state.changed(sim.company.id, 'items', item().id, 'updated');
		listener.status = 500;
		expect((await m.flushNotifications())[0].outcome).toBe('retry');
		sim.clock.advance(36 * 3600_000);
		expect((await m.flushNotifications())[0].outcome).toBe('deleted');
		expect((await call('GET', `/subscriptions('${json.subscriptionId}')`)).status).toBe(404);
	});

	it.each([400, 401, 404, 410])('an answer %i deletes the subscription at once', async (status) => {
		const { json } = await subscribe();
		listener.status = status;
		sim.state.changed(sim.company.id, 'items', item().id, 'updated');
		expect((await subscriptionsOf(sim.state).flushNotifications())[0].outcome).toBe('deleted');
		expect((await call('GET', `/subscriptions('${json.subscriptionId}')`)).status).toBe(404);
	});

	it('an expired subscription gets no notification', async () => {
		await subscribe();
		sim.state.changed(sim.company.id, 'items', item().id, 'updated');
		sim.clock.advance(3 * 24 * 3600_000);
		expect(await subscriptionsOf(sim.state).flushNotifications()).toEqual([]);
		expect(listener.notifications()).toHaveLength(0);
	});
});
