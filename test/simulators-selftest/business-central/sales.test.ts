/**
 * Self-test of the Business Central simulator's sales module (test/simulators/business-central/sales.ts): real
 * HTTP to 127.0.0.1 through the on-prem endpoint (basic auth), as the node's order operations use it.
 */
import { startBusinessCentralSimulator } from '../../simulators/business-central/server';
import { salesControl } from '../../simulators/business-central/sales';

type Sim = Awaited<ReturnType<typeof startBusinessCentralSimulator>>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

let sim: Sim;

beforeAll(async () => {
	sim = await startBusinessCentralSimulator();
});
afterAll(async () => {
	await sim.close();
});

const base = () => `${sim.onPremBase}/api/v2.0/companies(${sim.company.id})`;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
	const auth = Buffer.from(`${sim.onPremUser}:${sim.onPremKey}`).toString('base64');
	const res = await fetch(path.startsWith('http') ? path : base() + path, {
		method,
		headers: {
			Authorization: `Basic ${auth}`,
			...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
			...headers,
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const raw = Buffer.from(await res.arrayBuffer());
	let json: Any;
	try {
		json = JSON.parse(raw.toString('utf8'));
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, raw, json };
}

const company = () => sim.ctx.company(sim.company.id)!;
const customer = (n = 0) => company().customers.filter((c) => c.blocked === ' ')[n];
const item = (n = 0) => company().items.filter((i) => !i.blocked)[n];

function orderBody(
	external: string,
	lines: Any[] = [{ lineType: 'Item', lineObjectNumber: item().number, quantity: 2 }],
) {
	return { externalDocumentNumber: external, customerNumber: customer().number, salesOrderLines: lines };
}

describe('BC simulator › sales orders', () => {
	it('creates a Draft order with its lines in one POST (201, full record, number from the series, empty dates as 0001-01-01)', async () => {
		const r = await call('POST', '/salesOrders', orderBody('B2B/ST/1'));
		expect(r.status).toBe(201);
		expect(r.json).toMatchObject({
			externalDocumentNumber: 'B2B/ST/1',
			customerNumber: customer().number,
			status: 'Draft',
			requestedDeliveryDate: '0001-01-01',
			fullyShipped: false,
			number: expect.stringMatching(/^\d{6}$/),
		});
		expect(r.json['@odata.etag']).toMatch(/^W\/"/);
		expect(r.json.salesOrderLines).toHaveLength(1);
		expect(r.json.salesOrderLines[0]).toMatchObject({ lineType: 'Item', lineObjectNumber: item().number, quantity: 2 });
		expect(r.json.totalAmountIncludingTax).toBeGreaterThan(0);
		const next = await call('POST', '/salesOrders', orderBody('B2B/ST/2'));
		expect(Number(next.json.number)).toBe(Number(r.json.number) + 1);
	});

	it("refuses an unknown item in BC's error shape and keeps nothing of the order (one transaction)", async () => {
		const before = salesControl(sim).state().orders.length;
		const r = await call(
			'POST',
			'/salesOrders',
			orderBody('B2B/ST/3', [
				{ lineType: 'Item', lineObjectNumber: item().number, quantity: 1 },
				{ lineType: 'Item', lineObjectNumber: 'NIE-MA-TAKIEGO', quantity: 1 },
			]),
		);
		expect(r.status).toBe(400);
		expect(r.json.error.code).toBe('Internal_RecordNotFound');
		expect(r.json.error.message).toMatch(
			/^The Item does not exist\. Identification fields and values: No\.='NIE-MA-TAKIEGO'.*CorrelationId/,
		);
		expect(salesControl(sim).state().orders.length).toBe(before);
	});

	it('refuses a customer blocked with type All, naming it', async () => {
		const c = customer(1);
		const was = c.blocked;
		c.blocked = 'All';
		try {
			const r = await call('POST', '/salesOrders', { ...orderBody('B2B/ST/4'), customerNumber: c.number });
			expect(r.status).toBe(400);
			expect(r.json.error.message).toContain(`Customer ${c.number} is blocked with type All`);
		} finally {
			c.blocked = was;
		}
	});

	it('finds an order by externalDocumentNumber ($filter), with lines on $expand', async () => {
		await call('POST', '/salesOrders', orderBody("B2B/ST/5'x"));
		const r = await call(
			'GET',
			`/salesOrders?$filter=${encodeURIComponent("externalDocumentNumber eq 'B2B/ST/5''x'")}&$expand=salesOrderLines`,
		);
		expect(r.status).toBe(200);
		expect(r.json.value).toHaveLength(1);
		expect(r.json.value[0].externalDocumentNumber).toBe("B2B/ST/5'x");
		expect(r.json.value[0].salesOrderLines).toHaveLength(1);
	});

	it('PATCH needs If-Match: none → 400 BadRequest_InvalidToken, stale → 409 Request_EntityChanged, current → 200', async () => {
		const created = await call('POST', '/salesOrders', orderBody('B2B/ST/6'));
		const path = `/salesOrders(${created.json.id})`;
		const none = await call('PATCH', path, { requestedDeliveryDate: '2026-12-24' });
		expect(none.status).toBe(400);
		expect(none.json.error.code).toBe('BadRequest_InvalidToken');
		const ok = await call(
			'PATCH',
			path,
			{ requestedDeliveryDate: '2026-12-24' },
			{ 'If-Match': created.json['@odata.etag'] },
		);
		expect(ok.status).toBe(200);
		expect(ok.json.requestedDeliveryDate).toBe('2026-12-24');
		const stale = await call(
			'PATCH',
			path,
			{ requestedDeliveryDate: '2026-12-27' },
			{ 'If-Match': created.json['@odata.etag'] },
		);
		expect(stale.status).toBe(409);
		expect(stale.json.error.code).toBe('Request_EntityChanged');
	});

	it('release → Open; a shipment sets shippedQuantity and fullyShipped; shipAndInvoice → 204, an Open invoice, the order deleted', async () => {
		const created = await call(
			'POST',
			'/salesOrders',
			orderBody('B2B/ST/7', [{ lineType: 'Item', lineObjectNumber: item().number, quantity: 4 }]),
		);
		const id = created.json.id;
		salesControl(sim).release(id);
		expect((await call('GET', `/salesOrders(${id})`)).json.status).toBe('Open');
		const line = salesControl(sim)
			.state()
			.lines.find((l) => l.documentId === id)!;
		salesControl(sim).ship(id, { [line.id]: 1 });
		const partly = await call('GET', `/salesOrders(${id})?$expand=salesOrderLines`);
		expect(partly.json.fullyShipped).toBe(false);
		expect(partly.json.salesOrderLines[0]).toMatchObject({ shippedQuantity: 1, invoicedQuantity: 0 });
		const post = await call('POST', `/salesOrders(${id})/Microsoft.NAV.shipAndInvoice`);
		expect(post.status).toBe(204);
		expect((await call('GET', `/salesOrders(${id})`)).status).toBe(404);
		const shipments = await call(
			'GET',
			`/salesShipments?$filter=${encodeURIComponent("externalDocumentNumber eq 'B2B/ST/7'")}`,
		);
		expect(shipments.json.value).toHaveLength(2);
		const invoices = await call(
			'GET',
			`/salesInvoices?$filter=${encodeURIComponent("externalDocumentNumber eq 'B2B/ST/7'")}`,
		);
		expect(invoices.json.value).toHaveLength(1);
		const inv = invoices.json.value[0];
		expect(inv).toMatchObject({
			status: 'Open',
			orderNumber: created.json.number,
			totalAmountIncludingTax: created.json.totalAmountIncludingTax,
		});
		expect(inv.remainingAmount).toBe(inv.totalAmountIncludingTax);
		salesControl(sim).pay(inv.id);
		expect((await call('GET', `/salesInvoices(${inv.id})`)).json).toMatchObject({ status: 'Paid', remainingAmount: 0 });
	});

	it("gives the invoice PDF through pdfDocument's mediaReadLink, in Polish by default and in English on Accept-Language", async () => {
		const created = await call('POST', '/salesOrders', orderBody('B2B/ST/8'));
		await call('POST', `/salesOrders(${created.json.id})/Microsoft.NAV.shipAndInvoice`);
		const inv = (
			await call('GET', `/salesInvoices?$filter=${encodeURIComponent("externalDocumentNumber eq 'B2B/ST/8'")}`)
		).json.value[0];
		const doc = await call('GET', `/salesInvoices(${inv.id})/pdfDocument`);
		expect(doc.json).toMatchObject({ parentId: inv.id, parentType: 'Sales Invoice' });
		const link = doc.json['pdfDocumentContent@odata.mediaReadLink'];
		expect(link).toMatch(/^http:\/\/.*\/salesInvoices\([0-9a-f-]+\)\/pdfDocument\/pdfDocumentContent$/);
		const pl = await call('GET', link);
		expect(pl.headers.get('content-type')).toBe('application/pdf');
		expect(pl.raw.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(pl.raw.toString('utf8')).toContain(`Faktura sprzedaży ${inv.number}`);
		const en = await call('GET', link, undefined, { 'Accept-Language': 'en-US' });
		expect(en.raw.toString('utf8')).toContain(`Sales Invoice ${inv.number}`);
	});

	it('loses the answer of a POST salesOrders on demand: the order exists, the client got no answer', async () => {
		salesControl(sim).loseOrderAnswers(1);
		// (the server's loseResponse fault, applied after the write)
		await expect(call('POST', '/salesOrders', orderBody('B2B/ST/9'))).rejects.toThrow();
		const found = await call(
			'GET',
			`/salesOrders?$filter=${encodeURIComponent("externalDocumentNumber eq 'B2B/ST/9'")}`,
		);
		expect(found.json.value).toHaveLength(1);
		expect((await call('POST', '/salesOrders', orderBody('B2B/ST/10'))).status).toBe(201);
	});
});
