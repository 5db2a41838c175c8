/** The Optima bridge simulator over real HTTP (fetch): the contract of docs/optima-bridge.md and its COM failures. */
import { MemoryRoStore } from '../../simulators/optima-bridge/store';
import { startOptimaBridgeSimulator, type OptimaBridgeSimulator } from '../../simulators/optima-bridge/server';

let sim: OptimaBridgeSimulator;
let store: MemoryRoStore;
beforeEach(async () => {
	store = new MemoryRoStore();
	sim = await startOptimaBridgeSimulator({ store });
});
afterEach(async () => sim.close());

const call = async (method: string, path: string, body?: unknown, key = sim.apiKey) => {
	const r = await fetch(`${sim.url}${path}`, {
		method,
		headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json; charset=utf-8' },
		body: body ? JSON.stringify(body) : undefined,
	});
	return {
		status: r.status,
		headers: r.headers,
		body: r.headers.get('content-type')?.includes('json')
			? ((await r.json()) as Record<string, any>)
			: Buffer.from(await r.arrayBuffer()),
	} as { status: number; headers: Headers; body: any };
};

const ro = {
	foreignNumber: 'B2B/2026/000123',
	clientCode: 'K-ŚWIĘTOKRZYSKA',
	warehouseSymbol: 'MAGAZYN',
	buffer: true,
	lines: [
		{ productCode: 'ŁÓD-001', quantity: '2', unitPrice: '129.99' },
		{ productCode: 'WIO-003', quantity: '1', unitPrice: '45.00' },
	],
	notes: 'Zażółć gęślą jaźń — dostawa przed świętami',
};
const lookup = async (n: string) =>
	(await call('GET', `/v1/ro?foreignNumber=${encodeURIComponent(n)}`)).body.documents as Array<{ id: number }>;

describe('Optima bridge simulator', () => {
	it('creates an RO once per foreign number (200 created:false the second time, 409 with other lines), Polish text intact', async () => {
		const first = await call('POST', '/v1/ro', ro);
		expect(first.status).toBe(201);
		expect(first.body).toMatchObject({
			number: 'RO/1/' + new Date().getUTCFullYear(),
			foreignNumber: ro.foreignNumber,
			clientCode: 'K-ŚWIĘTOKRZYSKA',
			buffer: true,
			cancelled: false,
			created: true,
			notes: ro.notes,
			lines: ro.lines,
		});
		const again = await call('POST', '/v1/ro', {
			...ro,
			lines: ro.lines.map((l) => ({ ...l, quantity: l.quantity + '.000' })),
		});
		expect(again.status).toBe(200);
		expect(again.body).toMatchObject({ id: first.body.id, created: false });
		const other = await call('POST', '/v1/ro', { ...ro, lines: ro.lines.slice(0, 1) });
		expect(other.status).toBe(409);
		expect(other.body.error).toMatchObject({ code: 'conflict', retryable: false });
		expect(store.ros.size).toBe(1);
		expect(await lookup(ro.foreignNumber)).toHaveLength(1);
		expect(await lookup('B2B/2026/999999')).toEqual([]);
		// a cancelled RO (TrN_Anulowany = 1) is not "the" RO: a new one is created, the lookup lists both, oldest first
		store.cancel(first.body.id);
		expect((await call('POST', '/v1/ro', ro)).status).toBe(201);
		expect((await lookup(ro.foreignNumber)).map((d) => d.id)).toEqual([first.body.id, first.body.id + 1]);
	});

	it('opaque COM error before the save: nothing saved; after the save: saved, 502 all the same; the session is logged in again', async () => {
		sim.comError();
		const before = await call('POST', '/v1/ro', ro);
		expect(before.status).toBe(502);
		expect(before.body.error).toMatchObject({
			code: 'com_error',
			message: 'Source: Unknown, Description: Unknown',
			retryable: true,
			com: { hresult: '0x80010105' },
		});
		expect(await lookup(ro.foreignNumber)).toHaveLength(0);
		sim.comError({ afterSave: true });
		expect((await call('POST', '/v1/ro', ro)).status).toBe(502);
		expect(await lookup(ro.foreignNumber)).toHaveLength(1);
		expect((await call('POST', '/v1/ro', ro)).body).toMatchObject({ created: false });
		expect(sim.session.logins).toBe(3);
	});

	it('a lost answer: the RO is saved, the connection destroyed', async () => {
		sim.faults.add({ method: 'POST', path: '/v1/ro', kind: 'drop', afterWrite: true });
		await expect(call('POST', '/v1/ro', ro)).rejects.toThrow();
		expect(await lookup(ro.foreignNumber)).toHaveLength(1);
		expect(sim.requests.find((r) => r.method === 'POST')?.status).toBe(0);
	});

	it('Optima locked by another operator: 503 optima_locked with Retry-After, nothing saved, then it passes', async () => {
		sim.lock({ operator: 'KSIĘGOWA', retryAfter: '2' });
		const locked = await call('POST', '/v1/ro', ro);
		expect(locked.status).toBe(503);
		expect(locked.headers.get('retry-after')).toBe('2');
		expect(locked.body.error).toMatchObject({ code: 'optima_locked', retryable: true });
		expect(locked.body.error.message).toContain('KSIĘGOWA');
		expect(store.ros.size).toBe(0);
		expect((await call('POST', '/v1/ro', ro)).status).toBe(201);
	});

	it('one COM call at a time: a second request waits for the first; two posts of one order make one RO', async () => {
		sim.comCallMs = 150;
		const t0 = performance.now();
		const [a, b] = await Promise.all([call('POST', '/v1/ro', ro), call('POST', '/v1/ro', ro)]);
		expect([a.status, b.status].sort()).toEqual([200, 201]);
		expect(store.ros.size).toBe(1);
		const [c, d] = await Promise.all([
			call('POST', '/v1/ro', { ...ro, foreignNumber: 'B2B/2026/000124' }),
			call('POST', '/v1/ro', { ...ro, foreignNumber: 'B2B/2026/000125' }),
		]);
		expect([c.status, d.status]).toEqual([201, 201]);
		const calls = sim.comCalls;
		for (let i = 1; i < calls.length; i++) expect(calls[i].start).toBeGreaterThanOrEqual(calls[i - 1].end);
		// the two new ROs took 2 × 150 ms one after the other, not 150 ms side by side
		expect(calls.at(-1)!.end - calls.at(-2)!.start).toBeGreaterThanOrEqual(290);
		expect(performance.now() - t0).toBeGreaterThanOrEqual(440);
		expect(sim.session.logins).toBe(1);
	});

	it('refuses what Optima would refuse with a Polish reason (422), and what it cannot read (400)', async () => {
		const cases: Array<[object, RegExp]> = [
			[{ clientCode: 'NIE-MA' }, /Nie znaleziono kontrahenta o kodzie NIE-MA/],
			[{ clientCode: 'GĄSKA-ŹRÓDŁA' }, /Kontrahent GĄSKA-ŹRÓDŁA jest nieaktywny/],
			[{ warehouseSymbol: 'MAG-ŻÓŁTY' }, /Nie znaleziono magazynu o symbolu MAG-ŻÓŁTY/],
			[
				{ lines: [{ productCode: 'ĆMA-009', quantity: '1', unitPrice: '1' }] },
				/Pozycja 1: towar ĆMA-009 jest nieaktywny/,
			],
		];
		for (const [change, why] of cases) {
			const r = await call('POST', '/v1/ro', { ...ro, ...change });
			expect(r.status).toBe(422);
			expect(r.body.error).toMatchObject({ code: 'rejected', retryable: false });
			expect(r.body.error.message).toMatch(why);
		}
		const bad = await call('POST', '/v1/ro', {
			...ro,
			lines: [{ productCode: 'ŁÓD-001', quantity: 2, unitPrice: '1' }],
		});
		expect(bad.status).toBe(400);
		expect(bad.body.error.message).toMatch(/lines\[0\]\.quantity must be a decimal string/);
		expect(store.ros.size).toBe(0);
	});

	it('a refusal Optima gives at save time (refuseAtSave): 422 rejected for that foreign number only, nothing saved, then it passes', async () => {
		const why = 'Kontrahent K-ŚWIĘTOKRZYSKA przekroczył limit kredytu kupieckiego: dokument nie może być zapisany';
		sim.refuseAtSave(ro.foreignNumber, why, { times: 2 });
		expect(() => sim.refuseAtSave('B2B/2026/1', 'x', { times: 0 })).toThrow(/at least 1/);
		// another order is not refused
		const other = await call('POST', '/v1/ro', { ...ro, foreignNumber: 'B2B/2026/000124' });
		expect(other.status).toBe(201);
		for (let i = 0; i < 2; i++) {
			const r = await call('POST', '/v1/ro', ro);
			expect(r.status).toBe(422);
			expect(r.body.error).toEqual({ code: 'rejected', message: why, retryable: false });
		}
		expect(sim.pendingRefusals).toEqual([]);
		expect(await lookup(ro.foreignNumber)).toEqual([]);
		expect(store.ros.size).toBe(1);
		expect(sim.session).toMatchObject({ logins: 1, open: true }); // no COM failure: the session stays
		expect((await call('POST', '/v1/ro', ro)).status).toBe(201);
	});

	it('prints an invoice PDF by id (404 otherwise, also for an id with "/" or "?"), and refuses a wrong key', async () => {
		const created = await call('POST', '/v1/ro', ro);
		const fs = store.invoiceRo(created.body.id);
		const pdf = await call('GET', `/v1/invoices/${fs.id}/pdf`);
		expect(pdf.status).toBe(200);
		expect(pdf.headers.get('content-type')).toBe('application/pdf');
		expect(pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(pdf.body.toString('utf8')).toContain('Hurtownia Świętokrzyska');
		expect((await call('GET', '/v1/invoices/424242/pdf')).status).toBe(404);
		expect((await call('GET', `/v1/invoices/${encodeURIComponent(`${fs.id}/../x?y`)}/pdf`)).status).toBe(404);
		const wrong = await call('GET', '/health', undefined, 'wrong-key-7731');
		expect(wrong.status).toBe(401);
		expect(wrong.body.error.code).toBe('unauthorized');
		expect((await call('GET', '/health')).body).toMatchObject({ status: 'ok', comSession: 'open' });
	});
});
