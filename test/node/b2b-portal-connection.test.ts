/**
 * B2B Portal → Connection → Check through n8n-core's engine: the portal simulator's clock set off by a known offset
 * is read back from its Date header through httpRequestWithAuthentication; a portal (or a proxy) that drops the
 * header gives an error saying so; a wrong key fails like every other read.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { json, runPortal } from './portal-helpers';

let sim: PortalSimulator;
beforeAll(async () => {
	sim = await startPortalSimulator();
});
afterAll(async () => sim.close());
beforeEach(() => sim.reset());
afterEach(() => expect(sim.contractViolations).toEqual([]));

const check = (extra: Record<string, unknown> = {}) => ({ resource: 'connection', operation: 'check', ...extra });

describe('B2B Portal › Connection › Check', () => {
	it('a portal on time: one authenticated GET, one item within the default 300 s window', async () => {
		const r = await runPortal(sim, check(), { items: [{ json: {} }, { json: {} }] });
		expect(r.error).toBeUndefined();
		const out = json(r);
		expect(out).toHaveLength(1);
		expect(out[0]).toMatchObject({ webhookWindowSeconds: 300, withinWebhookWindow: true });
		expect(Math.abs(out[0].clockDifferenceSeconds as number)).toBeLessThanOrEqual(1);
		expect(Math.abs(Date.parse(out[0].n8nTime as string) - Date.now())).toBeLessThan(5_000);
		expect(sim.requests.map((q) => `${q.method} ${q.path} ${q.status}`)).toEqual(['GET /v1/sync-status 200']);
	});

	it('a portal 10 minutes ahead: +600 s, outside the window; 10 minutes behind with a 3600 s window: inside', async () => {
		sim.state.clock.setOffset(600_000);
		const ahead = json(await runPortal(sim, check()))[0];
		expect(ahead.clockDifferenceSeconds).toBeGreaterThanOrEqual(599);
		expect(ahead.clockDifferenceSeconds).toBeLessThanOrEqual(601);
		expect(ahead.withinWebhookWindow).toBe(false);
		expect(Date.parse(ahead.portalTime as string) - Date.parse(ahead.n8nTime as string)).toBeGreaterThan(598_000);

		sim.state.clock.setOffset(-600_000);
		const behind = json(await runPortal(sim, check({ webhookWindowSeconds: 3600 })))[0];
		expect(behind.clockDifferenceSeconds).toBeLessThanOrEqual(-599);
		expect(behind).toMatchObject({ webhookWindowSeconds: 3600, withinWebhookWindow: true });
	});

	it('a window outside the trigger’s bounds is refused naming the field, before any request', async () => {
		const r = await runPortal(sim, check({ webhookWindowSeconds: 5 }));
		expect(r.error?.message).toBe('Webhook Window (Seconds) must be a number of seconds from 10 to 3600, got 5');
		expect(sim.requests).toEqual([]);
	});

	it('a wrong API key: the portal’s 401, no clock', async () => {
		const r = await runPortal(sim, check(), { apiKey: 'wrong-key-123' });
		expect(r.error?.message).toMatch(/401/);
		expect(JSON.stringify(r.error)).not.toContain('wrong-key-123');
	});

	it('an answer without a Date header (a proxy that drops it): an error saying so', async () => {
		// node:http adds Date unless told not to; the simulator always sends one, so this is a bare server
		const bare = http.createServer((req, res) => {
			res.sendDate = false;
			res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"items":[]}');
		});
		await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
		try {
			const url = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/api`;
			const r = await runPortal({ ...sim, url } as PortalSimulator, check());
			expect(r.error?.message).toBe(
				'the portal answered GET /v1/sync-status without a Date header, so its clock cannot be read',
			);
			expect((r.error as { description?: string } | undefined)?.description).toContain('proxy');
		} finally {
			await new Promise<void>((resolve) => bare.close(() => resolve()));
		}
	});
});
