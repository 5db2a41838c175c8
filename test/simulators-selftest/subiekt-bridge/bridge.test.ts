import { startBridgeSimulator, type BridgeSimulator } from '../../simulators/subiekt-bridge/server';

let sim: BridgeSimulator;
beforeEach(async () => {
	sim = await startBridgeSimulator();
	sim.state.clients.set('K-ŚWIĘTOKRZYSKA', {
		symbol: 'K-ŚWIĘTOKRZYSKA',
		name: 'Hurtownia Świętokrzyska',
		blocked: false,
	});
	sim.state.products.set('ŁÓD-001', { symbol: 'ŁÓD-001', name: 'Łódka żółta', stock: 10, reserved: 0 });
	sim.state.products.set('WIO-003', { symbol: 'WIO-003', name: 'Wiosło', stock: 5, reserved: 0 });
});
afterEach(async () => sim.close());

const call = async (method: string, path: string, body?: unknown) => {
	const r = await fetch(`${sim.url}${path}`, {
		method,
		headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json; charset=utf-8' },
		body: body ? JSON.stringify(body) : undefined,
	});
	return {
		status: r.status,
		body: r.headers.get('content-type')?.includes('json') ? await r.json() : Buffer.from(await r.arrayBuffer()),
	};
};

const zk = {
	originalNumber: 'B2B/2026/000123',
	clientSymbol: 'K-ŚWIĘTOKRZYSKA',
	reserve: true,
	priceType: 'net',
	lines: [
		{ symbol: 'ŁÓD-001', quantity: '2', unitPrice: '129.99', vatRate: '23' },
		{ symbol: 'WIO-003', quantity: '1', unitPrice: '45.00', vatRate: 'zw', discountPercent: '5' },
	],
	notes: 'Zażółć gęślą jaźń',
};

describe('Subiekt Sfera bridge simulator', () => {
	it('creates a ZK once (idempotent by original number), reserves stock, computes exact totals', async () => {
		const first = await call('POST', '/v1/zk', zk);
		expect(first.status).toBe(201);
		expect(first.body).toMatchObject({
			originalNumber: zk.originalNumber,
			created: true,
			totals: { net: '302.73', vat: '59.80', gross: '362.53' },
		});
		const again = await call('POST', '/v1/zk', zk);
		expect(again.status).toBe(200);
		expect(again.body).toMatchObject({ id: (first.body as { id: number }).id, created: false });
		expect(sim.state.documents.size).toBe(1);
		expect(sim.state.products.get('ŁÓD-001')!.reserved).toBe(2);
		const other = await call('POST', '/v1/zk', { ...zk, lines: zk.lines.slice(0, 1) });
		expect(other.status).toBe(409);
	});

	it('answers the opaque COM error — before or after saving — and the lookup tells which', async () => {
		sim.comError({ afterSave: true });
		const r = await call('POST', '/v1/zk', zk);
		expect(r.status).toBe(502);
		expect(r.body).toMatchObject({
			error: { code: 'com_error', message: 'Source: Unknown, Description: Unknown', com: { hresult: '0x80010105' } },
		});
		const found = await call('GET', `/v1/zk?originalNumber=${encodeURIComponent(zk.originalNumber)}`);
		expect((found.body as { documents: unknown[] }).documents).toHaveLength(1);
		sim.comError();
		const r2 = await call('POST', '/v1/zk', { ...zk, originalNumber: 'B2B/2026/000124' });
		expect(r2.status).toBe(502);
		expect(
			((await call('GET', '/v1/zk?originalNumber=B2B%2F2026%2F000124')).body as { documents: unknown[] }).documents,
		).toHaveLength(0);
	});

	it('refuses unknown products, blocked clients and reservations beyond stock with a Polish reason (422)', async () => {
		expect(
			(
				await call('POST', '/v1/zk', {
					...zk,
					lines: [{ symbol: 'NIE-MA', quantity: '1', unitPrice: '1', vatRate: '23' }],
				})
			).body,
		).toMatchObject({ error: { code: 'rejected', message: 'Nie znaleziono towaru o symbolu NIE-MA' } });
		expect(
			(
				await call('POST', '/v1/zk', {
					...zk,
					lines: [{ symbol: 'WIO-003', quantity: '50', unitPrice: '1', vatRate: '23' }],
				})
			).body,
		).toMatchObject({ error: { message: expect.stringMatching(/^Brak towaru WIO-003 do rezerwacji/) } });
		sim.state.clients.get('K-ŚWIĘTOKRZYSKA')!.blocked = true;
		expect((await call('POST', '/v1/zk', zk)).status).toBe(422);
	});

	it('follows the ZK to its invoice and serves a PDF; a wrong key is 401', async () => {
		const { body } = await call('POST', '/v1/zk', zk);
		const id = (body as { id: number }).id;
		expect((await call('GET', `/v1/documents/${id}/status`)).body).toMatchObject({ status: 'open', reserved: true });
		sim.invoiceZk(id);
		expect((await call('GET', `/v1/documents/${id}/status`)).body).toMatchObject({
			status: 'completed',
			invoice: { type: 'FS' },
		});
		const pdf = (await call('GET', `/v1/documents/${id}/pdf`)).body as Buffer;
		expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect((await fetch(`${sim.url}/health`)).status).toBe(401);
	});

	it('loses the answer after saving (afterWrite drop), and sends Retry-After with an injected 503', async () => {
		const fault = sim.faults.add({ method: 'POST', path: '/v1/zk', kind: 'drop', afterWrite: true });
		await expect(call('POST', '/v1/zk', zk)).rejects.toThrow();
		expect(fault.hits).toBe(1);
		expect([...sim.state.documents.values()].map((d) => d.originalNumber)).toEqual([zk.originalNumber]);
		expect(sim.requests.at(-1)).toEqual({ method: 'POST', path: '/v1/zk', status: 0 });

		sim.faults.add({ method: 'GET', path: '/v1/zk', kind: 'status', status: 503, retryAfter: '2' });
		const r = await fetch(`${sim.url}/v1/zk?originalNumber=x`, { headers: { authorization: `Bearer ${sim.apiKey}` } });
		expect(r.status).toBe(503);
		expect(r.headers.get('retry-after')).toBe('2');
	});

	it("prints an invoice by the invoice's own id and gives its data in the ZK status", async () => {
		const created = (await call('POST', '/v1/zk', zk)).body as { id: number; totals: unknown };
		sim.invoiceZk(created.id, { issueDate: '2026-11-20', paymentDays: 14 });
		const status = (await call('GET', `/v1/documents/${created.id}/status`)).body as {
			invoice: { id: number; number: string };
		};
		expect(status.invoice).toMatchObject({
			type: 'FS',
			issueDate: '2026-11-20',
			dueDate: '2026-12-04',
			clientSymbol: 'K-ŚWIĘTOKRZYSKA',
			currency: 'PLN',
			totals: created.totals,
		});
		const fs = (await call('GET', `/v1/documents/${status.invoice.id}/pdf`)).body as Buffer;
		const zkPdf = (await call('GET', `/v1/documents/${created.id}/pdf`)).body as Buffer;
		expect(fs.toString('latin1')).toContain(status.invoice.number);
		expect(zkPdf.toString('latin1')).not.toContain(status.invoice.number);
	});
});
