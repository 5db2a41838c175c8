/**
 * Writes, throttling and $batch in the BC simulator: If-Match (none → 400 BadRequest_InvalidToken, stale → 409
 * Request_EntityChanged, '*' → any), injected 429 with and without Retry-After, 503, 504, a lost response, the
 * rate limit, change events for webhooks, JSON $batch (≤ 100 operations, Isolation: snapshot all-or-nothing).
 */
import { startBusinessCentralSimulator, type BusinessCentralSimulator } from '../../simulators/business-central/server';
import type { ChangeEvent } from '../../simulators/business-central/state';
import { call, companyPath, expectBcError, token } from './helpers';

let sim: BusinessCentralSimulator;
let t: string;

beforeAll(async () => {
	sim = await startBusinessCentralSimulator({
		clock: { start: '2026-12-01T08:00:00Z', frozen: true },
		seed: { items: 10, customers: 8 },
	});
});
afterAll(() => sim.close());
beforeEach(async () => {
	sim.reset();
	t = await token(sim);
});

const item = async (number: string) =>
	(await call(sim, 'GET', companyPath(sim, `/items?$filter=number eq '${number}'`), { token: t })).json.value[0];
const customer = async (number: string) =>
	(await call(sim, 'GET', companyPath(sim, `/customers?$filter=number eq '${number}'`), { token: t })).json.value[0];

describe('PATCH with If-Match', () => {
	test('without If-Match → 400 BadRequest_InvalidToken; stale → 409 Request_EntityChanged; current or * → 200 and a new ETag', async () => {
		const c = await customer('K00010');
		const url = companyPath(sim, `/customers(${c.id})`);
		expectBcError(
			await call(sim, 'PATCH', url, { token: t, body: { blocked: 'Ship' } }),
			400,
			'BadRequest_InvalidToken',
		);
		const ok = await call(sim, 'PATCH', url, {
			token: t,
			body: { blocked: 'Ship' },
			headers: { 'If-Match': c['@odata.etag'] },
		});
		expect(ok.status).toBe(200);
		expect(ok.json.blocked).toBe('Ship');
		expect(ok.json['@odata.etag']).not.toBe(c['@odata.etag']);
		const stale = await call(sim, 'PATCH', url, {
			token: t,
			body: { blocked: 'All' },
			headers: { 'If-Match': c['@odata.etag'] },
		});
		expectBcError(stale, 409, 'Request_EntityChanged');
		const star = await call(sim, 'PATCH', url, { token: t, body: { blocked: 'All' }, headers: { 'If-Match': '*' } });
		expect(star.json.blocked).toBe('All');
		expect(sim.state.customer('K00010').blocked).toBe('All');
	});

	test('bad values are refused naming the field; read-only fields too', async () => {
		const c = await customer('K00020');
		const url = companyPath(sim, `/customers(${c.id})`);
		const h = { 'If-Match': '*' };
		expectBcError(
			await call(sim, 'PATCH', url, { token: t, body: { blocked: 'Tak' }, headers: h }),
			400,
			'Application_DialogException',
			/Blocked: 'Tak'/,
		);
		expectBcError(
			await call(sim, 'PATCH', url, { token: t, body: { cenaGrupa: 'HURT' }, headers: h }),
			400,
			'BadRequest_NotFound',
			/'cenaGrupa'/,
		);
		expectBcError(
			await call(sim, 'PATCH', url, { token: t, body: { number: 'K99999' }, headers: h }),
			400,
			'BadRequest_InvalidOperation',
			/'number'/,
		);
		expectBcError(
			await call(sim, 'PATCH', url, { token: t, body: { creditLimit: '100' }, headers: h }),
			400,
			'BadRequest',
			/'creditLimit'/,
		);
		expectBcError(
			await call(sim, 'PATCH', url, { token: t, body: '{nie json', headers: h }),
			400,
			'BadRequest',
			/Invalid Request Body/,
		);
		// nothing changed: the state keeps the plain name of what the API wrote as "_x0020_"
		expect(c.blocked).toBe('_x0020_');
		expect(sim.state.customer('K00020').blocked).toBe(' ');
		expectBcError(await call(sim, 'DELETE', url, { token: t }), 405, 'BadRequest_MethodNotAllowed');
	});

	test('writes report changes (webhook feed); stock moves do not', async () => {
		const seen: ChangeEvent[] = [];
		const off = sim.ctx.onChange((e) => seen.push(e));
		try {
			const it = await item('1001');
			await call(sim, 'PATCH', companyPath(sim, `/items(${it.id})`), {
				token: t,
				body: { unitPrice: 9.99 },
				headers: { 'If-Match': '*' },
			});
			sim.state.moveStock('1001', 'ŁÓDŹ', 3);
			sim.state.blockCustomer('K00030');
			expect(seen.map((e) => [e.entity, e.changeType, e.companyId])).toEqual([
				['items', 'updated', sim.company.id],
				['customers', 'updated', sim.company.id],
			]);
			expect(seen[0].id).toBe(it.id);
		} finally {
			off();
		}
	});
});

describe('throttling and faults', () => {
	test('429 Application_TooManyRequests with and without Retry-After, 503, 504 — each counted, then gone', async () => {
		const a = sim.faults.throttle({ retryAfter: '7' });
		const b = sim.faults.throttle({ times: 2 });
		const c = sim.faults.unavailable();
		const d = sim.faults.gatewayTimeout();
		const got: Array<[number, string | null, string]> = [];
		for (let i = 0; i < 6; i++) {
			const r = await call(sim, 'GET', companyPath(sim, '/items?$top=1'), { token: t });
			got.push([r.status, r.headers.get('retry-after'), r.json?.error?.code ?? '']);
		}
		expect(got).toEqual([
			[429, '7', 'Application_TooManyRequests'],
			[429, null, 'Application_TooManyRequests'],
			[429, null, 'Application_TooManyRequests'],
			[503, null, expect.stringMatching(/Unavailable/)],
			[504, null, expect.stringMatching(/Timeout/)],
			[200, null, ''],
		]);
		expect([a.hits, b.hits, c.hits, d.hits]).toEqual([1, 2, 1, 1]);
		expect(sim.requests.filter((r) => r.fault === 'status').map((r) => r.status)).toEqual([429, 429, 429, 503, 504]);
	});

	test('faults can aim at ODataV4 or the token endpoint by target and path', async () => {
		sim.faults.throttle({ target: 'odata', path: /ItemCard/ });
		sim.faults.unavailable({ target: 'login' });
		expect((await call(sim, 'GET', companyPath(sim, '/items?$top=1'), { token: t })).status).toBe(200);
		const page = `${sim.odataRoot}/Company('${encodeURIComponent(sim.company.name)}')/ItemCard?$top=1`;
		expect((await call(sim, 'GET', page, { token: t })).status).toBe(429);
		expect((await call(sim, 'GET', page, { token: t })).status).toBe(200);
		const form = new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: sim.clientId,
			client_secret: sim.clientSecret,
			scope: 'https://api.businesscentral.dynamics.com/.default',
		});
		const r = await fetch(`${sim.loginHost}/${sim.tenant}/oauth2/v2.0/token`, { method: 'POST', body: form });
		expect(r.status).toBe(503);
		await r.arrayBuffer();
	});

	test('a lost response: the PATCH is applied, the socket dropped', async () => {
		const it = await item('1002');
		sim.faults.loseResponse({ method: 'PATCH' });
		await expect(
			fetch(`${sim.apiRoot}${companyPath(sim, `/items(${it.id})`)}`, {
				method: 'PATCH',
				headers: { Authorization: `Bearer ${t}`, 'If-Match': '*', 'Content-Type': 'application/json' },
				body: JSON.stringify({ displayName: 'Zapisane, ale bez odpowiedzi' }),
			}),
		).rejects.toThrow();
		expect(sim.state.item('1002').displayName).toBe('Zapisane, ale bez odpowiedzi');
	});

	test('rateLimit: over N requests in the window → 429 with Retry-After, counted; the window moves with the clock', async () => {
		const limited = await startBusinessCentralSimulator({
			clock: { frozen: true },
			seed: { items: 2, customers: 1 },
			rateLimit: { requests: 3, windowMs: 60_000, retryAfterSeconds: 30 },
		});
		try {
			const tk = await token(limited);
			const statuses: number[] = [];
			for (let i = 0; i < 5; i++) statuses.push((await call(limited, 'GET', '/companies', { token: tk })).status);
			expect(statuses).toEqual([200, 200, 200, 429, 429]);
			const r = await call(limited, 'GET', '/companies', { token: tk });
			expect(r.headers.get('retry-after')).toBe('30');
			expect(limited.throttled).toBe(3);
			limited.clock.advance(60_001);
			expect((await call(limited, 'GET', '/companies', { token: tk })).status).toBe(200);
		} finally {
			await limited.close();
		}
	});
});

describe('$batch', () => {
	const op = (id: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => ({
		id,
		method,
		url,
		headers: { 'Content-Type': 'application/json', ...headers },
		...(body !== undefined ? { body } : {}),
	});

	test('operations answer one by one; without isolation a failing one leaves the others applied', async () => {
		const a = await item('1003');
		const b = await item('1004');
		const r = await call(sim, 'POST', '/$batch', {
			token: t,
			body: {
				requests: [
					op('1', 'PATCH', `companies(${sim.company.id})/items(${a.id})`, { unitPrice: 1.5 }, { 'If-Match': '*' }),
					op('2', 'PATCH', `companies(${sim.company.id})/items(${b.id})`, { unitPrice: 2.5 }),
					op('3', 'GET', `companies(${sim.company.id})/items?$filter=number eq '1003'&$select=number,unitPrice`),
				],
			},
		});
		expect(r.status).toBe(200);
		expect(r.json.responses.map((x: { id: string; status: number }) => [x.id, x.status])).toEqual([
			['1', 200],
			['2', 400],
			['3', 200],
		]);
		expect(r.json.responses[1].body.error.code).toBe('BadRequest_InvalidToken');
		expect(r.json.responses[2].body.value[0]).toMatchObject({ number: '1003', unitPrice: 1.5 });
		expect(sim.state.item('1003').unitPrice).toBe(1.5);
		expect(sim.requests.at(-1)).toMatchObject({ path: expect.stringMatching(/\/\$batch$/), batchOperations: 3 });
	});

	test('Isolation: snapshot — one failure reverts every change of the batch and skips the rest; no change events escape', async () => {
		const a = await item('1005');
		const seen: ChangeEvent[] = [];
		const off = sim.ctx.onChange((e) => seen.push(e));
		const before = sim.state.item('1005').unitPrice;
		try {
			const r = await call(sim, 'POST', '/$batch', {
				token: t,
				headers: { Isolation: 'snapshot' },
				body: {
					requests: [
						op('a', 'PATCH', `companies(${sim.company.id})/items(${a.id})`, { unitPrice: 7.77 }, { 'If-Match': '*' }),
						op('b', 'PATCH', `companies(${sim.company.id})/items(${a.id})`, { type: 'Zły' }, { 'If-Match': '*' }),
						op('c', 'GET', 'companies'),
					],
				},
			});
			expect(r.json.responses.map((x: { status: number }) => x.status)).toEqual([200, 400, 424]);
			expect(sim.state.item('1005').unitPrice).toBe(before);
			expect(seen).toEqual([]);
			// the same batch without the bad operation commits
			const ok = await call(sim, 'POST', '/$batch', {
				token: t,
				headers: { Isolation: 'snapshot' },
				body: {
					requests: [
						op(
							'a',
							'PATCH',
							`${sim.apiRoot}/companies(${sim.company.id})/items(${a.id})`,
							{ unitPrice: 7.77 },
							{ 'If-Match': '*' },
						),
					],
				},
			});
			expect(ok.json.responses[0].status).toBe(200);
			expect(sim.state.item('1005').unitPrice).toBe(7.77);
			expect(seen.map((e) => e.changeType)).toEqual(['updated']);
		} finally {
			off();
		}
	});

	test('a transaction inside a snapshot batch (an order module writing) reports its events only when the batch commits', async () => {
		const seen: ChangeEvent[] = [];
		const off = sim.ctx.onChange((e) => seen.push(e));
		try {
			const price = sim.state.item('1001').unitPrice;
			await sim.state.transactionAsync(
				async () => {
					sim.state.transaction(() => sim.state.modifyItem('1001', { unitPrice: 0.5 }));
					return false;
				},
				(ok) => !ok,
			);
			expect(seen).toEqual([]);
			expect(sim.state.item('1001').unitPrice).toBe(price);
			await sim.state.transactionAsync(async () =>
				sim.state.transaction(() => sim.state.modifyItem('1001', { unitPrice: 0.5 })),
			);
			expect(seen.map((e) => [e.entity, e.changeType])).toEqual([['items', 'updated']]);
			// an inner failure rolls back the inner part only
			await sim.state.transactionAsync(async () => {
				expect(() =>
					sim.state.transaction(() => {
						sim.state.modifyItem('1002', { unitPrice: 0.25 });
						throw new Error('odmowa');
					}),
				).toThrow('odmowa');
				sim.state.modifyItem('1003', { unitPrice: 0.75 });
			});
			expect([sim.state.item('1002').unitPrice === 0.25, sim.state.item('1003').unitPrice]).toEqual([false, 0.75]);
			expect(seen.map((e) => e.id)).toEqual([sim.state.item('1001').id, sim.state.item('1003').id]);
		} finally {
			off();
		}
	});

	test('numbers stay unique across rollbacks: an item added in a rolled-back transaction can be added again, a live one not', () => {
		expect(() => sim.state.addItem({ number: '1001', displayName: 'Drugi 1001' })).toThrow('item 1001 exists');
		expect(() =>
			sim.state.transaction(() => {
				sim.state.addItem({ number: 'NOWY-Ż', displayName: 'Żuraw' });
				expect(sim.state.item('NOWY-Ż').displayName).toBe('Żuraw');
				throw new Error('wycofaj');
			}),
		).toThrow('wycofaj');
		expect(() => sim.state.item('NOWY-Ż')).toThrow('no item NOWY-Ż');
		expect(sim.state.addItem({ number: 'NOWY-Ż', displayName: 'Żuraw 2' }).displayName).toBe('Żuraw 2');
		expect(sim.state.item('NOWY-Ż').displayName).toBe('Żuraw 2');
		expect(() => sim.state.addCustomer({ number: 'K00010', displayName: 'Drugi' })).toThrow('customer K00010 exists');
	});

	test('more than 100 operations → 400; malformed bodies → 400; nothing runs', async () => {
		const many = Array.from({ length: 101 }, (_, i) => op(String(i), 'GET', 'companies'));
		const r = await call(sim, 'POST', '/$batch', { token: t, body: { requests: many } });
		expectBcError(r, 400, 'BadRequest', /101.*100/);
		const hundred = await call(sim, 'POST', '/$batch', { token: t, body: { requests: many.slice(0, 100) } });
		expect(hundred.json.responses).toHaveLength(100);
		expectBcError(
			await call(sim, 'POST', '/$batch', { token: t, body: { operations: [] } }),
			400,
			'BadRequest',
			/"requests"/,
		);
		expectBcError(
			await call(sim, 'POST', '/$batch', { token: t, body: { requests: [op('', 'GET', 'companies')] } }),
			400,
			'BadRequest',
			/no "id"/,
		);
		expectBcError(await call(sim, 'GET', '/$batch', { token: t }), 405, 'BadRequest_MethodNotAllowed');
		const nested = await call(sim, 'POST', '/$batch', {
			token: t,
			body: { requests: [op('1', 'POST', '$batch', { requests: [] })] },
		});
		expect(nested.json.responses[0].status).toBe(400);
	});
});
