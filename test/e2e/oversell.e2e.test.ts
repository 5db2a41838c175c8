/**
 * Issue #5, fault suite: "20 concurrent orders for the last 10 units → never oversold", in a real n8n 2.41.1
 * with the packed pack. The Subiekt GT bridge order template (workflows-templates/subiekt-gt/
 * subiekt-gt-orders-bridge.json) is published and started; the portal simulator holds 10 units of one product
 * and sends 20 signed order.created webhooks at the same moment, one unit each. n8n runs the 20 executions
 * concurrently; the only shared thing is the portal's reservation ledger (POST /v1/stock/reservations, an atomic
 * check-and-hold).
 *
 * Asserted on what the PORTAL and SUBIEKT (the bridge simulator) end up holding: exactly 10 ZK documents and
 * 10 bridge create requests (Subiekt is never asked for the 11th unit), 10 orders confirmed with their ZK
 * number, 10 rejected with the portal's out-of-stock reason in Polish, the portal's available (logged after
 * every change) never below 0, and the confirmed holds released once the next stock push shows the orders.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { N8nInstance, REPO_ROOT } from './harness/n8n-instance';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { startBridgeSimulator, type BridgeSimulator } from '../simulators/subiekt-bridge/server';
import type { Order } from '../../nodes/shared/model/types';

jest.setTimeout(300_000);

const TEMPLATE = path.join(REPO_ROOT, 'workflows-templates', 'subiekt-gt', 'subiekt-gt-orders-bridge.json');
const BRIDGE_CRED = { id: 'subiektBridge01', name: 'Subiekt GT bridge account' };
const PORTAL_CRED = { id: 'portalCred0001', name: 'B2B Portal account' };
const PRODUCT = 'ŁÓD-001';
const ORDERS = 20;
const UNITS = 10;

let bridge: BridgeSimulator;
let portal: PortalSimulator;
let n8n: N8nInstance;
let workflowId: string;

const order = (n: number): Order => ({
	number: `B2B/2026/${String(900 + n).padStart(6, '0')}`,
	clientCode: 'K-ŚWIĘTOKRZYSKA',
	placedAt: '2026-11-26T10:15:00+01:00',
	currency: 'PLN',
	priceType: 'net',
	lines: [{ lineNo: 1, productCode: PRODUCT, quantity: '1', unitPrice: '129.99', vatRate: '23' }],
	notes: 'Ostatnie sztuki — zażółć gęślą jaźń',
});

async function pushStock(available: string): Promise<void> {
	const res = await fetch(`${portal.url}/v1/stock/batch`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${portal.apiKey}`, 'Content-Type': 'application/json' },
		body: JSON.stringify({
			items: [
				{
					productCode: PRODUCT,
					warehouseCode: 'MAG',
					onHand: String(UNITS),
					reserved: String(UNITS - Number(available)),
					available,
					updatedAt: new Date().toISOString(),
				},
			],
		}),
	});
	expect(res.status).toBe(200);
}

beforeAll(async () => {
	[bridge, portal] = await Promise.all([
		startBridgeSimulator({ apiKey: 'e2e-bridge-KEY-3f9d1c7a' }),
		startPortalSimulator({ apiKey: 'e2e-portal-KEY-5ab1c9e2', webhookSecret: 'e2e-webhook-SECRET-żółć' }),
	]);
	bridge.state.clients.set('K-ŚWIĘTOKRZYSKA', {
		symbol: 'K-ŚWIĘTOKRZYSKA',
		name: 'Hurtownia Świętokrzyska',
		blocked: false,
	});
	// Subiekt has exactly the 10 units the portal shows; the ZK reserves them in Subiekt too
	bridge.state.products.set(PRODUCT, { symbol: PRODUCT, name: 'Łódka żółta', stock: UNITS, reserved: 0 });

	n8n = await N8nInstance.create();
	await n8n.installPack();
	await n8n.importCredentials([
		{ ...BRIDGE_CRED, type: 'subiektBridgeApi', data: { baseUrl: bridge.url, apiKey: bridge.apiKey } },
		{
			...PORTAL_CRED,
			type: 'b2bPortalApi',
			data: { baseUrl: portal.url, authType: 'apiKey', apiKey: portal.apiKey, webhookSecret: portal.webhookSecret },
		},
	]);
	workflowId = await n8n.importWorkflow(JSON.parse(readFileSync(TEMPLATE, 'utf8')), {
		credentialIds: { subiektBridgeApi: BRIDGE_CRED, b2bPortalApi: PORTAL_CRED },
	});
	await n8n.publish(workflowId);
	await n8n.start();
});

afterAll(async () => {
	await n8n?.stop();
	await n8n?.dispose();
	await Promise.all([bridge?.close(), portal?.close()]);
});

afterEach(() => expect(portal.contractViolations).toEqual([]));

describe('20 concurrent orders for the last 10 units', () => {
	it('exactly 10 ZK and 10 confirmations, 10 rejections with the out-of-stock reason, never below 0, holds released', async () => {
		await pushStock(String(UNITS));
		const orders = Array.from({ length: ORDERS }, (_, i) => portal.seedOrder(order(i + 1)));
		const url = await n8n.webhookUrlFor(workflowId, 'New order in portal');

		const answers = await Promise.all(
			orders.map((o, i) =>
				portal.sendOrderEvent(url, { type: 'order.created', order: o.number, id: `evt-oversell-${i + 1}` }),
			),
		);
		expect(answers.map((a) => a.status)).toEqual(Array(ORDERS).fill(200));

		// every order ends confirmed or rejected, and all 20 executions finish
		const deadline = Date.now() + 120_000;
		for (;;) {
			const runs = (await n8n.executions(workflowId)).filter((e) => e.mode === 'webhook');
			const settled = orders.every((o) => portal.state.orders.get(o.number)!.status !== 'placed');
			if (settled && runs.length === ORDERS && runs.every((e) => e.finished || e.status === 'error')) break;
			if (Date.now() > deadline)
				throw new Error(`not settled: ${runs.length} runs, ${JSON.stringify(runs.map((r) => r.status))}`);
			await new Promise((r) => setTimeout(r, 250));
		}
		const runs = (await n8n.executions(workflowId)).filter((e) => e.mode === 'webhook');
		expect(runs.map((e) => e.status)).toEqual(Array(ORDERS).fill('success'));

		// the executions really overlapped (otherwise this would not test concurrency)
		const spans = runs.map((e) => [Date.parse(e.startedAt!), Date.parse(e.stoppedAt!)] as const);
		const overlapping = spans.filter(([s], i) => spans.some(([s2, e2], j) => j !== i && s2 <= s && s <= e2)).length;
		expect(overlapping).toBeGreaterThan(1);

		const confirmed = orders.filter((o) => portal.state.orders.get(o.number)!.status === 'confirmed');
		const rejected = orders.filter((o) => portal.state.orders.get(o.number)!.status === 'rejected');
		expect(confirmed).toHaveLength(UNITS);
		expect(rejected).toHaveLength(ORDERS - UNITS);

		// Subiekt: exactly 10 ZK, one per confirmed order, and it was never asked for an 11th unit
		const zks = [...bridge.state.documents.values()];
		expect(zks).toHaveLength(UNITS);
		expect(zks.map((z) => z.originalNumber).sort()).toEqual(confirmed.map((o) => o.number).sort());
		expect(bridge.requests.filter((r) => r.method === 'POST' && r.path === '/v1/zk').map((r) => r.status)).toEqual(
			Array(UNITS).fill(201),
		);
		for (const o of confirmed) {
			const zk = zks.find((z) => z.originalNumber === o.number)!;
			expect(portal.state.orders.get(o.number)!.erpDocumentNumber).toBe(zk.number);
		}
		expect(bridge.state.products.get(PRODUCT)).toMatchObject({ stock: UNITS, reserved: UNITS });

		// the rejected ones read the portal's reason; nothing of theirs was held or sent to Subiekt
		for (const o of rejected) {
			const history = portal.state.orderStatusHistory.get(o.number)!;
			expect(history.map((h) => [h.status, h.reason])).toEqual([
				['rejected', `Brak wystarczającego stanu magazynowego: pozycja 1 (${PRODUCT}): zamówiono 1, dostępne 0`],
			]);
			expect(portal.state.reservations.reservations.has(o.number)).toBe(false);
		}

		// available over time: 10, 9, …, 0 — never below 0
		const log = portal.state.reservations.availabilityLog.filter((e) => e.productCode === PRODUCT);
		const figures = log.map((e) => Number(e.available));
		expect(Math.min(...figures)).toBe(0);
		expect(figures.filter((f, i) => i > 0 && f < figures[i - 1])).toHaveLength(UNITS);
		expect(portal.state.reservations.available(PRODUCT)).toBe('0');

		// the confirmed holds keep counting until the ERP's figure shows the orders …
		const held = confirmed.map((o) => portal.state.reservations.reservations.get(o.number)!);
		expect(held.map((r) => r.status)).toEqual(Array(UNITS).fill('confirmed'));
		// … which the next stock push does (Subiekt: 10 on hand, 10 reserved by the ZK, 0 available)
		await pushStock('0');
		expect(held.map((r) => [r.status, r.releaseReason])).toEqual(Array(UNITS).fill(['released', 'stockPush']));
		expect(portal.state.reservations.available(PRODUCT)).toBe('0');
		expect(Math.min(...portal.state.reservations.availabilityLog.map((e) => Number(e.available)))).toBe(0);

		// every run recorded its heartbeat; the last one counted itself
		expect(portal.state.syncStatus.get('subiekt-gt orders')).toMatchObject({ status: 'success' });
	});
});
