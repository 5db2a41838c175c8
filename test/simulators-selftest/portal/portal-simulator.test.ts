/**
 * Self-test of the portal simulator (test/simulators/portal): real HTTP with global fetch to 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Order } from '../../../nodes/shared/model/types';
import { main as cliMain, parsePort } from '../../simulators/portal/cli';
import { keys, startPortalSimulator, verifySignature, type PortalSimulator } from '../../simulators/portal/server';

const KEY = 'test-portal-key';
const SECRET = 'test-webhook-secret';
const AUTH = { Authorization: `Bearer ${KEY}` };

// expected UTF-8 bytes, written as hex so that the check does not depend on this file's own encoding
const LODKA = 'Łódka żółta ĄĘŚ';
const LODKA_UTF8 = Buffer.from('c581c3b3646b6120c5bcc3b3c582746120c484c498c59a', 'hex');
const ZAZOLC = 'Zażółć gęślą jaźń';
const ZAZOLC_UTF8 = Buffer.from('5a61c5bcc3b3c582c4872067c499c59b6cc485206a61c5bac584', 'hex');
const LOD_CODE = 'ŁÓD-001';

let sim: PortalSimulator;

beforeAll(async () => {
	sim = await startPortalSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());
afterEach(() => expect(sim.contractViolations).toEqual([]));

interface Answer {
	status: number;
	headers: Headers;
	raw: Buffer;
	json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function api(
	method: string,
	apiPath: string,
	body?: unknown,
	headers: Record<string, string | null> = {},
	init: RequestInit = {},
): Promise<Answer> {
	// null removes a header (the default Authorization one included)
	const h: Record<string, string> = {};
	for (const [k, v] of Object.entries({ ...AUTH, ...headers })) if (v !== null) h[k] = v;
	let payload: RequestInit['body'];
	if (Buffer.isBuffer(body)) payload = new Uint8Array(body);
	else if (typeof body === 'string') payload = body;
	else if (body !== undefined) {
		payload = JSON.stringify(body);
		h['Content-Type'] ??= 'application/json';
	}
	const res = await fetch(sim.url + apiPath, { method, headers: h, body: payload, ...init });
	const raw = Buffer.from(await res.arrayBuffer());
	let json: unknown;
	try {
		json = JSON.parse(raw.toString('utf8'));
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, raw, json };
}

const product = (code: string, extra: Record<string, unknown> = {}) => ({
	code,
	name: `Produkt ${code}`,
	unit: 'szt.',
	vatRate: '23',
	active: true,
	...extra,
});

const order = (number: string, extra: Partial<Order> = {}): Order => ({
	number,
	clientCode: 'K-ŚWIĘTOKRZYSKA',
	placedAt: '2026-11-26T10:15:00Z',
	currency: 'PLN',
	priceType: 'net',
	lines: [{ lineNo: 1, productCode: LOD_CODE, quantity: '2', unitPrice: '129.99', vatRate: '23' }],
	...extra,
});

const minimalPdf = (tail = '\n') =>
	Buffer.from(`%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF${tail}`, 'latin1');

async function until(check: () => boolean, ms = 3000): Promise<void> {
	const end = Date.now() + ms;
	while (!check()) {
		if (Date.now() > end) throw new Error('condition not met in time');
		await new Promise((r) => setTimeout(r, 10));
	}
}

describe('contract', () => {
	it('loads every operation of docs/portal-api.yaml and its examples pass its own schemas', () => {
		expect(sim.spec.operations.map((o) => o.operationId).sort()).toEqual(
			[
				'acknowledgeOrder',
				'claimOrder',
				'deletePrices',
				'getInvoicePdf',
				'getOrder',
				'getStockReservation',
				'getSyncState',
				'listOrders',
				'listSyncStatus',
				'patchSyncState',
				'putInvoice',
				'putInvoicePdf',
				'recordSyncStatus',
				'releaseOrderClaim',
				'releaseStockReservation',
				'reserveStock',
				'updateClients',
				'updateOrderStatuses',
				'updateProducts',
				'upsertClients',
				'upsertPrices',
				'upsertProductImages',
				'upsertProducts',
				'upsertStock',
			].sort(),
		);
		const schemas = (sim.spec.doc.components as { schemas: Record<string, { examples?: unknown[] }> }).schemas;
		for (const [name, schema] of Object.entries(schemas))
			for (const example of schema.examples ?? []) expect([name, sim.spec.schema(name)(example)]).toEqual([name, true]);
	});
});

describe('UTF-8', () => {
	it('round-trips Polish text byte-exact (batches in, order out)', async () => {
		const p = await api('POST', '/v1/products/batch', { items: [product(LOD_CODE, { name: LODKA })] });
		expect(p.status).toBe(200);
		expect(p.json).toMatchObject({
			received: 1,
			created: 1,
			results: [{ index: 0, key: LOD_CODE, action: 'created' }],
		});
		expect(Buffer.from(sim.state.products.get(LOD_CODE)!.name, 'utf8')).toEqual(LODKA_UTF8);

		const client = {
			code: 'K-ŚWIĘTOKRZYSKA',
			name: ZAZOLC,
			blocked: false,
			addresses: [
				{ type: 'billing', street: 'ul. Źródlana 5', postalCode: '25-001', city: 'Kielce', countryCode: 'PL' },
			],
		};
		expect((await api('POST', '/v1/clients/batch', { items: [client] })).status).toBe(200);
		expect(Buffer.from(sim.state.clients.get('K-ŚWIĘTOKRZYSKA')!.name, 'utf8')).toEqual(ZAZOLC_UTF8);
		expect(sim.state.clients.get('K-ŚWIĘTOKRZYSKA')).toEqual(client);

		sim.seedOrder(order('B2B/2026/000123', { notes: ZAZOLC }));
		const got = await api('GET', '/v1/orders/B2B%2F2026%2F000123');
		expect(got.status).toBe(200);
		expect(got.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(got.raw.includes(ZAZOLC_UTF8)).toBe(true);
		expect(got.json).toMatchObject({ number: 'B2B/2026/000123', notes: ZAZOLC, status: 'placed' });
	});

	it('answers 400 to Windows-1250 bytes and writes nothing', async () => {
		const cp1250 = Buffer.concat([
			Buffer.from('{"items":[{"code":"', 'latin1'),
			Buffer.from('a3d3442d303031', 'hex'), // ŁÓD-001 in Windows-1250
			Buffer.from('","name":"', 'latin1'),
			Buffer.from('a3f3646b6120bff3b3746120a5ca8c', 'hex'), // Łódka żółta ĄĘŚ in Windows-1250
			Buffer.from('","unit":"szt.","vatRate":"23","active":true}]}', 'latin1'),
		]);
		const r = await api('POST', '/v1/products/batch', cp1250, { 'Content-Type': 'application/json' });
		expect(r.status).toBe(400);
		expect(r.json.error.code).toBe('invalid_encoding');
		expect(sim.state.products.size).toBe(0);
	});

	it('refuses a non-UTF-8 charset, a BOM, malformed JSON and lone surrogates', async () => {
		const body = JSON.stringify({ items: [product('A')] });
		const cs = await api('POST', '/v1/products/batch', body, {
			'Content-Type': 'application/json; charset=windows-1250',
		});
		expect(cs.status).toBe(415);
		const bom = await api(
			'POST',
			'/v1/products/batch',
			Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]),
			{
				'Content-Type': 'application/json',
			},
		);
		expect(bom.status).toBe(400);
		const bad = await api('POST', '/v1/products/batch', '{"items":[{"code":"A",}]}', {
			'Content-Type': 'application/json',
		});
		expect(bad.status).toBe(400);
		expect(bad.json.error.code).toBe('invalid_json');
		const lone = await api(
			'POST',
			'/v1/products/batch',
			'{"items":[{"code":"A","name":"x\\ud800","unit":"szt.","vatRate":"23","active":true}]}',
			{
				'Content-Type': 'application/json',
			},
		);
		expect(lone.status).toBe(422);
		expect(lone.json.error.details).toEqual([expect.objectContaining({ index: 0, key: 'A', field: 'name' })]);
		expect(sim.state.products.size).toBe(0);
	});
});

describe('batches', () => {
	it('writes nothing when one record is invalid and names index, key and field', async () => {
		const r = await api('POST', '/v1/products/batch', {
			items: [product('P-1'), product('ŁÓD-002', { vatRate: '23%' }), product('P-3')],
		});
		expect(r.status).toBe(422);
		expect(r.json.error.code).toBe('validation_failed');
		expect(r.json.error.details).toEqual([
			{ index: 1, key: 'ŁÓD-002', field: 'vatRate', message: expect.stringContaining('"23%"') },
		]);
		expect(sim.state.products.size).toBe(0);
	});

	it('lists every problem with dotted paths inside records', async () => {
		const client = (code: string, countryCode: string) => ({
			code,
			name: 'Firma',
			blocked: false,
			addresses: [{ type: 'billing', street: 'Długa 1', postalCode: '00-001', city: 'Warszawa', countryCode }],
		});
		const r = await api('POST', '/v1/clients/batch', {
			items: [client('K-1', 'PL'), client('K-2', 'pl'), { code: 'K-3', name: 'X', addresses: [], extra: 1 }],
		});
		expect(r.status).toBe(422);
		const details = r.json.error.details;
		expect(details).toContainEqual(
			expect.objectContaining({ index: 1, key: 'K-2', field: 'addresses[0].countryCode' }),
		);
		expect(details).toContainEqual({ index: 2, key: 'K-3', field: 'blocked', message: 'is missing' });
		expect(details).toContainEqual(expect.objectContaining({ index: 2, key: 'K-3', field: 'extra' }));
		expect(details.some((d: { index: number }) => d.index === 0)).toBe(false);
		expect(sim.state.clients.size).toBe(0);
	});

	it('is idempotent: created, then unchanged, then updated', async () => {
		const batch = { items: [product('P-1'), product('P-2')] };
		expect((await api('POST', '/v1/products/batch', batch)).json).toMatchObject({
			received: 2,
			created: 2,
			updated: 0,
			unchanged: 0,
		});
		expect((await api('POST', '/v1/products/batch', batch)).json).toMatchObject({
			created: 0,
			updated: 0,
			unchanged: 2,
		});
		// key order does not matter for "unchanged"
		const reordered = {
			items: [
				{ active: true, vatRate: '23', unit: 'szt.', name: 'Produkt P-1', code: 'P-1' },
				product('P-2', { name: 'Nowa' }),
			],
		};
		const third = await api('POST', '/v1/products/batch', reordered);
		expect(third.json).toMatchObject({
			unchanged: 1,
			updated: 1,
			results: [
				{ index: 0, key: 'P-1', action: 'unchanged' },
				{ index: 1, key: 'P-2', action: 'updated' },
			],
		});
		expect(sim.state.products.get('P-2')!.name).toBe('Nowa');
	});

	it('keys prices by product, scope, scope code, currency and minQuantity (default "1")', async () => {
		const price = {
			productCode: LOD_CODE,
			scope: 'client' as const,
			scopeCode: 'K-ŚWIĘTOKRZYSKA',
			currency: 'PLN',
			net: '129.99',
		};
		expect((await api('POST', '/v1/prices/batch', { items: [price] })).json.created).toBe(1);
		const same = await api('POST', '/v1/prices/batch', { items: [{ ...price, minQuantity: '1.0' }] });
		expect(same.json).toMatchObject({ created: 0, updated: 1 });
		const other = await api('POST', '/v1/prices/batch', {
			items: [
				{ ...price, minQuantity: '10' },
				{ ...price, currency: 'EUR' },
			],
		});
		expect(other.json).toMatchObject({ created: 2 });
		expect(sim.state.prices.size).toBe(3);
		expect(sim.state.prices.get(keys.price(price))!.minQuantity).toBe('1.0');
		const noAmount = await api('POST', '/v1/prices/batch', { items: [{ ...price, net: undefined }] });
		expect(noAmount.status).toBe(422);
		expect(noAmount.json.error.details).toEqual([expect.objectContaining({ index: 0, key: LOD_CODE, field: 'net' })]);
	});

	it('keys stock by product and warehouse, images by product and position', async () => {
		const stock = { productCode: 'P-1', warehouseCode: 'MAG-1', onHand: '10', reserved: '2', available: '8' };
		await api('POST', '/v1/stock/batch', { items: [stock, { ...stock, warehouseCode: 'MAG-2' }] });
		const again = await api('POST', '/v1/stock/batch', { items: [{ ...stock, onHand: '12', available: '10' }] });
		expect(again.json).toMatchObject({ updated: 1 });
		expect(sim.state.stock.get(keys.stock(stock))!.onHand).toBe('12');
		expect(sim.state.stock.size).toBe(2);

		const image = {
			productCode: 'P-1',
			position: 0,
			fileName: 'p1.png',
			contentType: 'image/png',
			dataBase64: 'iVBORw0KGgo=',
		};
		expect(
			(await api('POST', '/v1/product-images/batch', { items: [image, { ...image, position: 1 }] })).json.created,
		).toBe(2);
		expect(sim.state.images.get(keys.image(image))).toEqual(image);
		const badB64 = await api('POST', '/v1/product-images/batch', {
			items: [{ ...image, position: 2, dataBase64: 'not base64!' }],
		});
		expect(badB64.status).toBe(422);
		expect(badB64.json.error.details).toEqual([expect.objectContaining({ index: 0, key: 'P-1', field: 'dataBase64' })]);
		const neither = await api('POST', '/v1/product-images/batch', { items: [{ ...image, dataBase64: undefined }] });
		expect(neither.status).toBe(422);
		expect(sim.state.images.size).toBe(2);
	});

	it('refuses empty and oversized batches', async () => {
		const empty = await api('POST', '/v1/products/batch', { items: [] });
		expect(empty.status).toBe(422);
		expect(empty.json.error.details).toEqual([expect.objectContaining({ field: 'items' })]);
		const many = await api('POST', '/v1/stock/batch', {
			items: Array.from({ length: 1001 }, (_, i) => ({
				productCode: `P-${i}`,
				warehouseCode: 'M',
				onHand: '1',
				reserved: '0',
				available: '1',
			})),
		});
		expect(many.status).toBe(422);
		expect(sim.state.stock.size).toBe(0);
		expect(sim.requests.at(-1)).toMatchObject({ path: '/v1/stock/batch', status: 422, itemCount: 1001 });
	});

	it('moves orders through statuses, keeping history; unknown orders fail the whole batch', async () => {
		sim.seedOrder(order('Z-1'));
		const shipped = {
			orderNumber: 'Z-1',
			status: 'shipped',
			trackingNumber: 'PL123',
			changedAt: '2026-11-27T08:00:00Z',
		};
		const unknown = await api('POST', '/v1/order-statuses/batch', {
			items: [shipped, { orderNumber: 'NOPE-9', status: 'shipped', changedAt: '2026-11-27T08:00:00Z' }],
		});
		expect(unknown.status).toBe(422);
		expect(unknown.json.error.details).toEqual([
			expect.objectContaining({ index: 1, key: 'NOPE-9', field: 'orderNumber' }),
		]);
		expect(sim.state.orders.get('Z-1')!.status).toBe('placed');
		expect(sim.state.orderStatusHistory.size).toBe(0);

		const noReason = await api('POST', '/v1/order-statuses/batch', {
			items: [{ orderNumber: 'Z-1', status: 'cancelled', changedAt: '2026-11-27T09:00:00Z' }],
		});
		expect(noReason.status).toBe(422);
		expect(noReason.json.error.details).toEqual([{ index: 0, key: 'Z-1', field: 'reason', message: 'is missing' }]);

		const ok = await api('POST', '/v1/order-statuses/batch', { items: [shipped] });
		expect(ok.json).toMatchObject({ updated: 1, results: [{ index: 0, key: 'Z-1', action: 'updated' }] });
		expect(sim.state.orders.get('Z-1')!.status).toBe('shipped');
		expect((await api('POST', '/v1/order-statuses/batch', { items: [shipped] })).json).toMatchObject({ unchanged: 1 });
		expect(sim.state.orderStatusHistory.get('Z-1')).toEqual([shipped]);
	});
});

describe('auth, routing and limits', () => {
	it('needs the API key as Bearer or X-API-Key', async () => {
		const none = await api('GET', '/v1/sync-status', undefined, { Authorization: null });
		expect(none.status).toBe(401);
		expect(none.json).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
		expect((await api('GET', '/v1/sync-status', undefined, { Authorization: 'Bearer wrong' })).status).toBe(401);
		expect((await api('GET', '/v1/sync-status', undefined, { Authorization: `Basic ${KEY}` })).status).toBe(401);
		expect((await api('GET', '/v1/sync-status', undefined, { Authorization: null, 'X-API-Key': KEY })).status).toBe(
			200,
		);
		expect((await api('GET', '/v1/sync-status', undefined, { Authorization: `bearer ${KEY}` })).status).toBe(200);
		// a wrong or empty credential next to a right one is still wrong
		expect((await api('GET', '/v1/sync-status', undefined, { Authorization: '', 'X-API-Key': KEY })).status).toBe(401);
		expect((await api('GET', '/v1/sync-status', undefined, { 'X-API-Key': 'wrong' })).status).toBe(401);
	});

	it('checks auth before routing under /api, then answers 404 / 405 in the error shape', async () => {
		expect((await api('GET', '/v1/nothing', undefined, { Authorization: null })).status).toBe(401);
		const nf = await api('GET', '/v1/nothing');
		expect(nf.status).toBe(404);
		expect(nf.json.error.code).toBe('not_found');
		const outside = await fetch(sim.url.replace(/\/api$/, '/v1/orders'), { headers: AUTH });
		expect(outside.status).toBe(404);
		const na = await api('DELETE', '/v1/products/batch');
		expect(na.status).toBe(405);
		expect(na.headers.get('allow')).toBe('PATCH, POST'); // every method the contract has for the path
		expect(na.json.error.code).toBe('method_not_allowed');
		expect((await api('POST', '/v1/invoices/FV%2F1/pdf', undefined)).status).toBe(405);
		expect((await api('DELETE', '/v1/invoices/FV%2F1/pdf')).headers.get('allow')).toBe('GET, PUT');
	});

	it('answers 413 above maxBodyBytes and 415 to a wrong media type', async () => {
		const small = await startPortalSimulator({ maxBodyBytes: 1000 });
		try {
			const res = await fetch(`${small.url}/v1/products/batch`, {
				method: 'POST',
				headers: { ...AUTH, 'Content-Type': 'application/json' },
				body: JSON.stringify({ items: [product('A', { description: 'x'.repeat(5000) })] }),
			});
			expect(res.status).toBe(413);
			expect(((await res.json()) as any).error.code).toBe('payload_too_large'); // eslint-disable-line @typescript-eslint/no-explicit-any
			expect(small.state.products.size).toBe(0);
		} finally {
			await small.close();
		}
		const text = await api('POST', '/v1/products/batch', JSON.stringify({ items: [product('A')] }), {
			'Content-Type': 'text/plain',
		});
		expect(text.status).toBe(415);
		const noBody = await api('POST', '/v1/products/batch');
		expect(noBody.status).toBe(400);
	});
});

describe('orders', () => {
	it('lists orders after a cursor, oldest first, with nextCursor and hasMore', async () => {
		for (let i = 1; i <= 5; i++) sim.seedOrder(order(`Z-${i}`));
		const p1 = await api('GET', '/v1/orders?limit=2');
		expect(p1.status).toBe(200);
		expect(p1.json.items.map((o: Order) => o.number)).toEqual(['Z-1', 'Z-2']);
		expect(p1.json.hasMore).toBe(true);
		const p2 = await api('GET', `/v1/orders?limit=2&cursor=${encodeURIComponent(p1.json.nextCursor)}`);
		expect(p2.json.items.map((o: Order) => o.number)).toEqual(['Z-3', 'Z-4']);
		const p3 = await api('GET', `/v1/orders?limit=2&cursor=${encodeURIComponent(p2.json.nextCursor)}`);
		expect(p3.json).toMatchObject({ hasMore: false });
		expect(p3.json.items.map((o: Order) => o.number)).toEqual(['Z-5']);
		const empty = await api('GET', `/v1/orders?cursor=${encodeURIComponent(p3.json.nextCursor)}`);
		expect(empty.json).toEqual({ items: [], nextCursor: p3.json.nextCursor, hasMore: false });
		sim.seedOrder(order('Z-6'));
		const later = await api('GET', `/v1/orders?cursor=${encodeURIComponent(p3.json.nextCursor)}`);
		expect(later.json.items.map((o: Order) => o.number)).toEqual(['Z-6']);
		// without a cursor: from the first order; nextCursor even when there is nothing
		sim.reset();
		const none = await api('GET', '/v1/orders');
		expect(none.json).toEqual({ items: [], nextCursor: expect.any(String), hasMore: false });
	});

	it('filters by status and validates the query', async () => {
		sim.seedOrder(order('Z-1'));
		sim.seedOrder(order('Z-2', { status: 'cancelled' }));
		const cancelled = await api('GET', '/v1/orders?status=cancelled');
		expect(cancelled.json.items.map((o: Order) => o.number)).toEqual(['Z-2']);
		for (const q of [
			'limit=0',
			'limit=201',
			'limit=abc',
			'limit=1.5',
			'limit=',
			'status=lost',
			'cursor=garbage',
			'cursor=',
			'limit=1&limit=2',
		]) {
			const r = await api('GET', `/v1/orders?${q}`);
			expect([q, r.status]).toEqual([q, 400]);
			expect(r.json.error.code).toMatch(/^invalid_/);
		}
		expect((await api('GET', '/v1/orders?limit=200')).status).toBe(200);
	});

	it('gets one order by its URL-encoded number', async () => {
		sim.seedOrder(order('B2B/2026/000123'));
		expect((await api('GET', '/v1/orders/B2B%2F2026%2F000123')).json.number).toBe('B2B/2026/000123');
		expect((await api('GET', '/v1/orders/B2B/2026/000123')).status).toBe(404); // slashes not encoded
		expect((await api('GET', '/v1/orders/B2B%2F2026%2F999')).status).toBe(404);
		expect((await api('GET', '/v1/orders/%B3')).status).toBe(400); // not UTF-8
		expect(() => sim.seedOrder(order('B2B/2026/000123'))).toThrow(/already exists/);
		expect(() => sim.seedOrder({ ...order('X'), lines: [] })).toThrow(/lines/);
	});

	it('acknowledges idempotently and answers 409 to another ERP number', async () => {
		sim.seedOrder(order('B2B/2026/000123'));
		const url = '/v1/orders/B2B%2F2026%2F000123/acknowledge';
		const first = await api('POST', url, { erpDocumentNumber: 'ZK/123/2026', erpDocumentId: '4711' });
		expect(first.status).toBe(200);
		expect(first.json).toMatchObject({
			number: 'B2B/2026/000123',
			status: 'confirmed',
			erpDocumentNumber: 'ZK/123/2026',
		});
		const again = await api('POST', url, { erpDocumentNumber: 'ZK/123/2026' });
		expect(again.status).toBe(200);
		expect(again.json).toEqual(first.json);
		expect(sim.state.orderStatusHistory.get('B2B/2026/000123')).toHaveLength(1);
		const other = await api('POST', url, { erpDocumentNumber: 'ZK/999/2026' });
		expect(other.status).toBe(409);
		expect(other.json.error.code).toBe('conflict');
		expect(sim.state.orders.get('B2B/2026/000123')!.erpDocumentNumber).toBe('ZK/123/2026');
		expect(sim.state.acknowledgements.get('B2B/2026/000123')).toMatchObject({ erpDocumentId: '4711' });
		expect((await api('POST', '/v1/orders/NOPE/acknowledge', { erpDocumentNumber: 'X' })).status).toBe(404);
		expect((await api('POST', url, { erpDocumentNumber: '' })).status).toBe(422);
	});
});

describe('invoices and sync status', () => {
	const invoice = {
		number: 'FV/2026/11/001',
		orderNumber: 'B2B/2026/000123',
		clientCode: 'K-ŚWIĘTOKRZYSKA',
		issueDate: '2026-11-26',
		currency: 'PLN',
		totals: { net: '100.00', vat: '23.00', gross: '123.00' },
	};
	const enc = encodeURIComponent(invoice.number);

	it('stores invoice data and checks the PDF', async () => {
		const pdfHeaders = { 'Content-Type': 'application/pdf' };
		const early = await api('PUT', `/v1/invoices/${enc}/pdf`, minimalPdf(), pdfHeaders);
		expect(early.status).toBe(404);

		const mismatch = await api('PUT', `/v1/invoices/${enc}`, { ...invoice, number: 'FV/2026/11/002' });
		expect(mismatch.status).toBe(422);
		const badDate = await api('PUT', `/v1/invoices/${enc}`, { ...invoice, issueDate: '2026-02-30' });
		expect(badDate.status).toBe(422);
		expect(badDate.json.error.details).toEqual([expect.objectContaining({ key: invoice.number, field: 'issueDate' })]);

		const put = await api('PUT', `/v1/invoices/${enc}`, invoice);
		expect(put.status).toBe(200);
		expect(put.json).toEqual({ number: invoice.number, hasPdf: false });
		expect(sim.state.invoices.get(invoice.number)!.data).toEqual(invoice);

		expect(
			(await api('PUT', `/v1/invoices/${enc}/pdf`, Buffer.from('<html>not a pdf</html>'), pdfHeaders)).status,
		).toBe(422);
		expect((await api('PUT', `/v1/invoices/${enc}/pdf`, Buffer.from('%PDF-1.4\ntruncated'), pdfHeaders)).status).toBe(
			422,
		);
		expect(
			(await api('PUT', `/v1/invoices/${enc}/pdf`, minimalPdf(), { 'Content-Type': 'application/octet-stream' }))
				.status,
		).toBe(415);
		expect((await api('GET', `/v1/invoices/${enc}/pdf`)).status).toBe(404);

		const pdf = minimalPdf('\r\n  \n');
		const ok = await api('PUT', `/v1/invoices/${enc}/pdf`, pdf, pdfHeaders);
		expect(ok.status).toBe(200);
		expect(ok.json).toEqual({ number: invoice.number, hasPdf: true, pdfBytes: pdf.length });
		const got = await api('GET', `/v1/invoices/${enc}/pdf`);
		expect(got.status).toBe(200);
		expect(got.headers.get('content-type')).toBe('application/pdf');
		expect(got.raw.equals(pdf)).toBe(true);
		// replacing the data keeps the PDF
		expect((await api('PUT', `/v1/invoices/${enc}`, { ...invoice, dueDate: '2026-12-10' })).json.hasPdf).toBe(true);
	});

	it('records the last run per flow', async () => {
		const run = (flow: string, status: string, finishedAt: string) => ({
			flow,
			status,
			startedAt: '2026-11-26T10:00:00Z',
			finishedAt,
			counts: { products: 120 },
		});
		expect((await api('POST', '/v1/sync-status', run('products', 'success', '2026-11-26T10:01:00Z'))).status).toBe(200);
		await api('POST', '/v1/sync-status', run('stock', 'failure', '2026-11-26T10:02:00Z'));
		await api('POST', '/v1/sync-status', run('products', 'failure', '2026-11-26T11:01:00Z'));
		const list = await api('GET', '/v1/sync-status');
		expect(list.json.items.map((r: { flow: string; status: string }) => `${r.flow}:${r.status}`)).toEqual([
			'products:failure',
			'stock:failure',
		]);
		const bad = await api('POST', '/v1/sync-status', { ...run('x', 'ok', '2026-11-26T10:01:00Z'), counts: { a: -1 } });
		expect(bad.status).toBe(422);
		expect(bad.json.error.details).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ key: 'x', field: 'status' }),
				expect.objectContaining({ key: 'x', field: 'counts.a' }),
			]),
		);
	});
});

describe('faults', () => {
	const batch = { items: [product('F-1')] };

	it('status: answers without processing, with Retry-After, `times` times', async () => {
		sim.faults.add({ path: '/v1/products', kind: 'status', status: 503, retryAfter: '2', times: 2 });
		for (let i = 0; i < 2; i++) {
			const r = await api('POST', '/v1/products/batch', batch);
			expect(r.status).toBe(503);
			expect(r.headers.get('retry-after')).toBe('2');
			expect(r.json.error.code).toBe('service_unavailable');
		}
		expect(sim.state.products.size).toBe(0);
		expect((await api('POST', '/v1/products/batch', batch)).status).toBe(200);
		expect(sim.faults.pending).toHaveLength(0);
		expect(sim.requests.map((r) => r.status)).toEqual([503, 503, 200]);
		expect(sim.requests[0].fault).toBe('status');
	});

	it('status: matches method and RegExp path; can answer a proxy HTML page; clear() disarms', async () => {
		sim.faults.add({
			method: 'get',
			path: /^\/v1\/orders\/[^/]+$/,
			kind: 'status',
			status: 502,
			body: '<html>Bad Gateway</html>',
		});
		sim.faults.add({
			path: '/v1/sync-status',
			kind: 'status',
			status: 429,
			retryAfter: 'Wed, 21 Oct 2026 07:28:00 GMT',
		});
		sim.seedOrder(order('Z-1'));
		expect((await api('GET', '/v1/orders')).status).toBe(200); // not matched by the RegExp
		const html = await api('GET', '/v1/orders/Z-1');
		expect(html.status).toBe(502);
		expect(html.headers.get('content-type')).toMatch(/^text\/html/);
		expect(html.raw.toString()).toContain('Bad Gateway');
		sim.faults.clear();
		expect((await api('GET', '/v1/sync-status')).status).toBe(200);
	});

	it('slow: the client times out, but the write still happens', async () => {
		sim.faults.add({ path: '/v1/products/batch', kind: 'slow', delayMs: 400 });
		await expect(api('POST', '/v1/products/batch', batch, {}, { signal: AbortSignal.timeout(100) })).rejects.toThrow(
			/timeout|aborted/i,
		);
		expect(sim.state.products.size).toBe(0);
		await until(() => sim.state.products.has('F-1'));
		await until(() => sim.requests.length === 1);
		expect(sim.requests[0]).toMatchObject({ fault: 'slow', status: 200, itemCount: 1 });
		expect(sim.requests[0].ms).toBeGreaterThanOrEqual(390);
	});

	it('drop: no answer and nothing written', async () => {
		sim.faults.add({ method: 'POST', path: '/v1/products/batch', kind: 'drop' });
		const err = await api('POST', '/v1/products/batch', batch).catch((e) => e);
		expect(err).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
		expect(sim.state.products.size).toBe(0);
		expect(sim.requests[0]).toMatchObject({ status: 0, fault: 'drop' });
		expect((await api('POST', '/v1/products/batch', batch)).json.created).toBe(1); // the retry works
	});

	it('drop afterWrite: the write is applied, the answer is lost; the retry finds it unchanged', async () => {
		sim.faults.add({ path: '/v1/products/batch', kind: 'drop', afterWrite: true });
		await expect(api('POST', '/v1/products/batch', batch)).rejects.toThrow();
		expect(sim.state.products.has('F-1')).toBe(true);
		expect((await api('POST', '/v1/products/batch', batch)).json).toMatchObject({ unchanged: 1 });
	});

	it('reset: the connection ends with a TCP RST', async () => {
		sim.faults.add({ path: '/v1/sync-status', kind: 'reset' });
		const err = await api('GET', '/v1/sync-status').catch((e) => e);
		expect(err).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
		expect(err.cause?.code).toBe('ECONNRESET'); // a drop shows as UND_ERR_SOCKET "other side closed" instead
		expect(sim.requests[0]).toMatchObject({ status: 0, fault: 'reset' });
	});

	it('status afterWrite: a gateway error although the write happened', async () => {
		sim.faults.add({ path: '/v1/products/batch', kind: 'status', status: 504, afterWrite: true });
		expect((await api('POST', '/v1/products/batch', batch)).status).toBe(504);
		expect(sim.state.products.has('F-1')).toBe(true);
	});
});

describe('signed webhooks', () => {
	interface Received {
		headers: http.IncomingHttpHeaders;
		raw: Buffer;
	}
	let receiver: http.Server;
	let target = '';
	const received: Received[] = [];
	const seenIds = new Set<string>();

	beforeAll(async () => {
		// a tiny receiver that does what the B2B Portal Trigger must: HMAC over "<t>.<raw body>", window, replay
		receiver = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const raw = Buffer.concat(chunks);
				received.push({ headers: req.headers, raw });
				const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req.headers['x-b2b-signature'] ?? ''));
				const expected = m ? createHmac('sha256', SECRET).update(`${m[1]}.`).update(raw).digest() : undefined;
				const fresh = m ? Math.abs(Date.now() / 1000 - Number(m[1])) <= 300 : false;
				const valid = !!m && fresh && timingSafeEqual(expected!, Buffer.from(m[2], 'hex'));
				const id = String(req.headers['x-b2b-event-id']);
				const replay = seenIds.has(id);
				if (valid && !replay) seenIds.add(id);
				res.writeHead(valid && !replay ? 200 : 401, { 'Content-Type': 'application/json' });
				res.end(
					JSON.stringify(
						valid && !replay ? { ok: true } : { error: { code: 'unauthorized', message: 'bad signature' } },
					),
				);
			});
		});
		await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
		target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook`;
	});
	afterAll(() => new Promise<void>((r) => receiver.close(() => r())));
	beforeEach(() => {
		received.length = 0;
	});

	it('sends an OrderEvent signed with HMAC-SHA256 over "<t>.<raw body>"', async () => {
		sim.seedOrder(order('B2B/2026/000123', { notes: ZAZOLC }));
		const r = await sim.sendOrderEvent(target, { type: 'order.created', order: 'B2B/2026/000123', id: 'evt-1' });
		expect(r.status).toBe(200);
		const got = received[0];
		expect(got.headers['x-b2b-event-id']).toBe('evt-1');
		expect(got.headers['x-b2b-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
		expect(got.raw.includes(ZAZOLC_UTF8)).toBe(true);
		const event = JSON.parse(got.raw.toString('utf8'));
		expect(sim.spec.schema('OrderEvent')(event)).toBe(true);
		expect(event).toMatchObject({
			id: 'evt-1',
			type: 'order.created',
			data: { number: 'B2B/2026/000123', status: 'placed' },
		});
		expect(verifySignature(SECRET, String(got.headers['x-b2b-signature']), got.raw).ok).toBe(true);
		// a retry keeps the id; this receiver refuses replays
		expect(
			(await sim.sendOrderEvent(target, { type: 'order.created', order: 'B2B/2026/000123', id: 'evt-1' })).status,
		).toBe(401);
		expect(sim.webhookDeliveries.map((d) => d.status)).toEqual([200, 401]);
	});

	it('lets tests tamper with signature, body, secret and timestamp', async () => {
		const o = order('Z-1');
		expect((await sim.sendOrderEvent(target, { type: 'order.updated', order: o, tamper: 'signature' })).status).toBe(
			401,
		);
		expect((await sim.sendOrderEvent(target, { type: 'order.updated', order: o, tamper: 'body' })).status).toBe(401);
		expect(JSON.parse(received[1].raw.toString()).data.lines[0].quantity).toBe('999999');
		expect((await sim.sendOrderEvent(target, { type: 'order.updated', order: o, secret: 'other' })).status).toBe(401);
		const old = Math.floor(Date.now() / 1000) - 3600;
		expect((await sim.sendOrderEvent(target, { type: 'order.updated', order: o, timestamp: old })).status).toBe(401);
		expect((await sim.sendOrderEvent(target, { type: 'order.cancelled', order: o })).status).toBe(200);
	});

	it('can write the JSON as PHP does (\\u escapes, \\/), still verifiable over the raw bytes', async () => {
		const o = order('B2B/2026/000124', { notes: ZAZOLC });
		expect((await sim.sendOrderEvent(target, { type: 'order.created', order: o, style: 'escaped' })).status).toBe(200);
		const raw = received[0].raw.toString('utf8');
		expect(raw).toContain('B2B\\/2026\\/000124');
		expect(raw).toContain('\\u017c'); // ż
		expect(/^[\x00-\x7f]*$/.test(raw)).toBe(true);
		expect(JSON.parse(raw).data.notes).toBe(ZAZOLC);
	});

	it('refuses invalid events and non-loopback targets', async () => {
		await expect(
			sim.sendOrderEvent(target, { type: 'order.created', order: { ...order('Z-1'), lines: [] } }),
		).rejects.toThrow(/lines/);
		await expect(
			sim.sendOrderEvent('http://example.com/hook', { type: 'order.created', order: order('Z-1') }),
		).rejects.toThrow(/only sends webhooks/);
		await expect(sim.sendOrderEvent(target, { type: 'order.created', order: 'NOPE' })).rejects.toThrow(/no order/);
	});
});

describe('request log', () => {
	it('records method, path, status, item count and time — never credentials or bodies', async () => {
		await api('POST', '/v1/products/batch', { items: [product(LOD_CODE, { name: LODKA }), product('P-2')] });
		await api('GET', '/v1/orders?limit=5', undefined, { Authorization: null, 'X-API-Key': KEY });
		await api('GET', '/v1/orders', undefined, { Authorization: 'Bearer not-the-key' });
		expect(sim.requests).toEqual([
			{ method: 'POST', path: '/v1/products/batch', status: 200, itemCount: 2, ms: expect.any(Number), at: expect.any(Number), concurrent: 1 },
			{ method: 'GET', path: '/v1/orders', query: 'limit=5', status: 200, ms: expect.any(Number), at: expect.any(Number), concurrent: 1 },
			{ method: 'GET', path: '/v1/orders', status: 401, ms: expect.any(Number), at: expect.any(Number), concurrent: 1 },
		]);
		const dump = JSON.stringify(sim.requests);
		for (const secret of [KEY, 'not-the-key', 'Łódka', LOD_CODE, 'Bearer']) expect(dump).not.toContain(secret);
	});
});

describe('CLI', () => {
	it('main() prints one JSON line and serves the API and the admin endpoints', async () => {
		const lines: string[] = [];
		const cliSim = await cliMain({
			argv: ['--port', '0'],
			env: { PORTAL_API_KEY: 'cli-key' },
			out: { write: (l: string) => lines.push(l) },
			handleSignals: false,
		});
		try {
			expect(lines).toHaveLength(1);
			const info = JSON.parse(lines[0]);
			expect(info).toEqual({
				url: cliSim.url,
				apiKey: 'cli-key',
				webhookSecret: SECRET,
				adminUrl: expect.stringMatching(/\/__sim$/),
			});
			const seeded = await fetch(`${info.adminUrl}/orders`, { method: 'POST', body: JSON.stringify(order('Z-1')) });
			expect(seeded.status).toBe(200);
			const list = await fetch(`${info.url}/v1/orders`, { headers: { 'X-API-Key': 'cli-key' } });
			expect(((await list.json()) as { items: unknown[] }).items).toHaveLength(1);
			const state = (await (await fetch(`${info.adminUrl}/state`)).json()) as { orders: unknown[] };
			expect(state.orders[0]).toMatchObject({ number: 'Z-1', sequence: expect.any(Number) });
			const fault = await fetch(`${info.adminUrl}/faults`, {
				method: 'POST',
				body: JSON.stringify({ pathRegex: '^/v1/sync', kind: 'status', status: 503 }),
			});
			expect(fault.status).toBe(200);
			expect((await fetch(`${info.url}/v1/sync-status`, { headers: { 'X-API-Key': 'cli-key' } })).status).toBe(503);
		} finally {
			await cliSim.close();
		}
		// admin endpoints are off unless asked for
		expect((await fetch(sim.url.replace(/\/api$/, '/__sim/state'))).status).toBe(404);
	});

	it('parses the port from argv or PORTAL_PORT', () => {
		expect(parsePort(['--port', '8123'], {})).toBe(8123);
		expect(parsePort(['--port=8124'], { PORTAL_PORT: '1' })).toBe(8124);
		expect(parsePort(['8125'], {})).toBe(8125);
		expect(parsePort([], { PORTAL_PORT: '8126' })).toBe(8126);
		expect(parsePort([], {})).toBe(0);
		expect(() => parsePort(['--port', 'x'], {})).toThrow();
	});

	it('run-cli.mjs runs as a process and stops on SIGTERM', async () => {
		const script = path.resolve(__dirname, '../../simulators/portal/run-cli.mjs');
		const child = spawn(process.execPath, [script], {
			env: { ...process.env, PORTAL_PORT: '0' },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stderr = '';
		child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
		const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
		try {
			const line = await new Promise<string>((resolve, reject) => {
				let out = '';
				child.stdout.on('data', (c: Buffer) => {
					out += c.toString();
					if (out.includes('\n')) resolve(out.split('\n')[0]);
				});
				child.on('exit', () => reject(new Error(`exited early: ${stderr}`)));
			});
			const info = JSON.parse(line);
			expect(info.apiKey).toBe(KEY);
			expect((await fetch(`${info.url}/v1/sync-status`, { headers: { Authorization: `Bearer ${KEY}` } })).status).toBe(
				200,
			);
		} finally {
			child.kill('SIGTERM');
		}
		expect(await exited).toBe(0);
	}, 20_000);
});
