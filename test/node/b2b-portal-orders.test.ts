import type { IDataObject } from 'n8n-workflow';
/** Orders, statuses, invoices and heartbeats through the B2B Portal node (n8n-core engine, simulator). */
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { makeOrder } from '../fixtures/polish';
import { FAST_RETRY, items, json, runPortal } from './portal-helpers';
import { afterRecordRun } from './sap-helpers';

let sim: PortalSimulator;
beforeAll(async () => {
	sim = await startPortalSimulator();
});
afterAll(async () => sim.close());
beforeEach(() => sim.reset());
afterEach(() => expect(sim.contractViolations).toEqual([]));

const getNew = { resource: 'order', operation: 'getNew', cursorMode: 'stored', status: 'placed', maxOrders: 500, options: { ...FAST_RETRY, pageSize: 2 } };

describe('B2B Portal › orders', () => {
	it('gets new orders page by page; the position moves on only when Record Run commits it', async () => {
		for (let n = 1; n <= 5; n++) sim.seedOrder(makeOrder(n));
		const first = await runPortal(sim, getNew);
		expect(first.error).toBeUndefined();
		expect(json(first).map((o) => o.number)).toEqual(['B2B/2026/000001', 'B2B/2026/000002', 'B2B/2026/000003', 'B2B/2026/000004', 'B2B/2026/000005']);
		expect(json(first)[0]).toMatchObject({ clientCode: 'K-ŚWIĘTOKRZYSKA', notes: 'Proszę o dostawę przed świętami — zażółć gęślą jaźń' });
		const cursors = (first.staticData.global as { syncCursors: Record<string, { pending?: string; committed?: string }> }).syncCursors;
		expect(cursors.portalOrders).toEqual({ pending: expect.any(String) });
		expect(sim.requests.filter((r) => r.path === '/v1/orders')).toHaveLength(3);

		// the run failed after reading (no Record Run): n8n still saves static data, but nothing was committed
		const repeated = await runPortal(sim, getNew, { staticData: first.staticData });
		expect(json(repeated)).toHaveLength(5);

		const none = await runPortal(sim, getNew, { staticData: afterRecordRun(first.staticData) });
		expect(json(none)).toEqual([]);

		sim.seedOrder(makeOrder(6));
		const next = await runPortal(sim, getNew, { staticData: afterRecordRun(none.staticData) });
		expect(json(next).map((o) => o.number)).toEqual(['B2B/2026/000006']);
	});

	it('stops at Max Orders per Run; the rest comes next run', async () => {
		for (let n = 1; n <= 5; n++) sim.seedOrder(makeOrder(n));
		const r1 = await runPortal(sim, { ...getNew, maxOrders: 3 });
		expect(json(r1)).toHaveLength(3);
		const r2 = await runPortal(sim, { ...getNew, maxOrders: 3 }, { staticData: afterRecordRun(r1.staticData) });
		expect(json(r2).map((o) => o.number)).toEqual(['B2B/2026/000004', 'B2B/2026/000005']);
	});

	it('Record Run (success) commits every pending read position of the workflow; a failure commits none', async () => {
		const staticData = { global: { syncCursors: { items: { committed: '2026-11-25 10:00:00', pending: '2026-11-26 09:00:00' }, portalOrders: { pending: 'abc' } } } };
		const record = { resource: 'syncStatus', operation: 'record', flow: 'x', expectedEveryMinutes: 0, counts: '{}', message: '', commitCursors: true, options: FAST_RETRY };
		const failed = await runPortal(sim, { ...record, status: 'failure' }, { staticData });
		expect((failed.staticData.global as IDataObject).syncCursors).toEqual(staticData.global.syncCursors);
		const ok = await runPortal(sim, { ...record, status: 'success' }, { staticData });
		expect(json(ok)[0].committedCursors).toEqual(['items', 'portalOrders']);
		expect((ok.staticData.global as IDataObject).syncCursors).toEqual({ items: { committed: '2026-11-26 09:00:00' }, portalOrders: { committed: 'abc' } });
	});

	it('gets one order by a number with slashes', async () => {
		sim.seedOrder(makeOrder(7));
		const r = await runPortal(sim, { resource: 'order', operation: 'get', orderNumber: 'B2B/2026/000007', options: FAST_RETRY });
		expect(json(r)[0]).toMatchObject({ number: 'B2B/2026/000007', status: 'placed' });
	});

	it('acknowledges idempotently and reports a conflicting ERP number as an error on that item', async () => {
		sim.seedOrder(makeOrder(8));
		sim.seedOrder(makeOrder(9));
		const ack = { resource: 'order', operation: 'acknowledge', orderNumber: '={{ $json.number }}', erpDocumentNumber: '={{ $json.doc }}', erpDocumentId: '', options: FAST_RETRY };
		const r = await runPortal(sim, ack, { items: items([{ number: 'B2B/2026/000008', doc: 'ZK 8/2026' }, { number: 'B2B/2026/000009', doc: 'ZK 9/2026' }]) });
		expect(r.error).toBeUndefined();
		expect(json(r).map((o) => [o.number, o.status, o.erpDocumentNumber])).toEqual([
			['B2B/2026/000008', 'confirmed', 'ZK 8/2026'],
			['B2B/2026/000009', 'confirmed', 'ZK 9/2026'],
		]);
		const again = await runPortal(sim, ack, { items: items([{ number: 'B2B/2026/000008', doc: 'ZK 8/2026' }]) });
		expect(again.error).toBeUndefined();
		const conflict = await runPortal(sim, ack, { items: items([{ number: 'B2B/2026/000008', doc: 'ZK 8/2026' }, { number: 'B2B/2026/000009', doc: 'ZK 99/2026' }]) });
		expect(conflict.error?.message).toMatch(/Acknowledging order B2B\/2026\/000009 as ZK 99\/2026 failed: HTTP 409/);
		expect((conflict.error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(1);
	});

	it('updates statuses from fields, and refuses a rejection without a reason', async () => {
		sim.seedOrder(makeOrder(10));
		sim.seedOrder(makeOrder(11));
		const base = { resource: 'order', operation: 'updateStatus', source: 'fields', orderNumber: '={{ $json.number }}', status: '={{ $json.status }}', reason: '={{ $json.reason ?? "" }}', changedAt: '2026-11-26T11:00:00Z', options: FAST_RETRY };
		const r = await runPortal(sim, base, {
			items: items([
				{ number: 'B2B/2026/000010', status: 'shipped' },
				{ number: 'B2B/2026/000011', status: 'rejected', reason: 'Cena pozycji 1 (ŁÓD-001) różni się od cennika: 129.99 zamiast 139.99' },
			]),
		});
		expect(r.error).toBeUndefined();
		expect(sim.state.orders.get('B2B/2026/000010')?.status).toBe('shipped');
		expect(sim.state.orderStatusHistory.get('B2B/2026/000011')?.at(-1)).toMatchObject({ status: 'rejected', reason: expect.stringContaining('różni się') });

		sim.reset();
		sim.seedOrder(makeOrder(12));
		const bad = await runPortal(sim, base, { items: items([{ number: 'B2B/2026/000012', status: 'rejected' }]) });
		expect(bad.error?.message).toMatch(/orderStatus "B2B\/2026\/000012": field "reason" is missing/);
		expect(sim.requests).toEqual([]);
	});
});

describe('B2B Portal › invoices', () => {
	const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
	const invoice = { number: 'FV/2026/11/001', orderNumber: 'B2B/2026/000123', clientCode: 'K-ŚWIĘTOKRZYSKA', issueDate: '2026-11-27', currency: 'PLN', totals: { net: '302.73', vat: '59.80', gross: '362.53' } };

	it('uploads the data and the PDF from binary data', async () => {
		const r = await runPortal(sim, { resource: 'invoice', operation: 'upload', binaryPropertyName: 'data', options: FAST_RETRY }, {
			items: [{ json: invoice, binary: { data: { data: pdf.toString('base64'), mimeType: 'application/pdf', fileName: 'FV_2026_11_001.pdf' } } }],
		});
		expect(r.error).toBeUndefined();
		expect(json(r)[0]).toMatchObject({ number: 'FV/2026/11/001', hasPdf: true, pdfBytes: pdf.length });
		expect(sim.state.invoices.get('FV/2026/11/001')?.pdf?.equals(pdf)).toBe(true);
	});

	it('refuses a "PDF" that is an HTML error page, before sending anything', async () => {
		const html = Buffer.from('<html>Błąd serwera</html>');
		const r = await runPortal(sim, { resource: 'invoice', operation: 'upload', binaryPropertyName: 'data', options: FAST_RETRY }, {
			items: [{ json: invoice, binary: { data: { data: html.toString('base64'), mimeType: 'application/pdf', fileName: 'FV.pdf' } } }],
		});
		expect(r.error?.message).toBe('Item 0: invoice "FV/2026/11/001": binary field "data" (FV.pdf) is not a PDF');
		expect(sim.requests).toEqual([]);
	});
});

describe('B2B Portal › sync status', () => {
	it('records one heartbeat per run with counts, and lists them', async () => {
		const r = await runPortal(sim, { resource: 'syncStatus', operation: 'record', flow: 'sap-b1 stan magazynowy', status: 'success', expectedEveryMinutes: 5, counts: '={{ { "stock": $input.all().length } }}', message: '', options: FAST_RETRY }, {
			items: items([{ a: 1 }, { a: 2 }, { a: 3 }]),
		});
		expect(r.error).toBeUndefined();
		expect(json(r)).toHaveLength(1);
		expect(sim.state.syncStatus.get('sap-b1 stan magazynowy')).toMatchObject({ status: 'success', counts: { stock: 3 }, expectedEveryMinutes: 5 });
		const list = await runPortal(sim, { resource: 'syncStatus', operation: 'getAll', options: FAST_RETRY });
		expect(json(list).map((s) => s.flow)).toEqual(['sap-b1 stan magazynowy']);
	});

	it('refuses counts that are not whole numbers', async () => {
		const r = await runPortal(sim, { resource: 'syncStatus', operation: 'record', flow: 'x', status: 'success', expectedEveryMinutes: 0, counts: '{"stock": -1}', message: '', options: FAST_RETRY });
		expect(r.error?.message).toBe('syncStatus "x": field "counts.stock" must be a whole number ≥ 0, got -1');
	});
});
