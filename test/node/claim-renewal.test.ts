/**
 * The ERP order create renews the order's portal claim while its ERP call runs ("Renew Claim While Creating",
 * nodes/shared/claimRenewal.ts): the portal simulator over real HTTP, the SAP simulator slowed down by a fault, the
 * real SAP and B2B Portal nodes in n8n-core. Leases are the shortest the portal takes (5 s), so the renewals (every
 * lease/3 ≈ 1.7 s) and a second claimant happen in real time while SAP takes 12 s to answer.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { B2bPortalApi } from '../../credentials/B2bPortalApi.credentials';
import { SapB1Api } from '../../credentials/SapB1Api.credentials';
import { OptimaBridgeApi } from '../../credentials/OptimaBridgeApi.credentials';
import { Optima } from '../../nodes/Optima/Optima.node';
import { SapB1 } from '../../nodes/SapB1/SapB1.node';
import type { Order } from '../../nodes/shared/model/types';
import { makeOrder } from '../fixtures/polish';
import { runNode, type RunNodeResult } from '../harness/n8n-core-harness';
import { startOptimaBridgeSimulator } from '../simulators/optima-bridge/server';
import { MemoryRoStore } from '../simulators/optima-bridge/store';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { startSapSimulator, type SapSimulator } from '../simulators/sap-b1/server';
import { FAST_RETRY, json, runPortal } from './portal-helpers';
import { FAST, sapCredential } from './sap-helpers';

jest.setTimeout(60_000);

let portal: PortalSimulator;
let sap: SapSimulator;
beforeAll(async () => {
	[portal, sap] = await Promise.all([
		startPortalSimulator(),
		startSapSimulator({
			seed: { items: 40, customers: 6, specialPrices: 0, seed: 15 },
			clock: { start: '2026-11-26T09:00:00Z', frozen: true },
			loginDelayMs: 5,
		}),
	]);
});
afterAll(async () => Promise.all([portal.close(), sap.close()]));
beforeEach(() => {
	portal.reset();
	sap.reset();
});
afterEach(() => {
	expect(portal.contractViolations).toEqual([]);
	expect(sap.crashes).toEqual([]);
});

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function orderFor(n: number, overrides: Partial<Order> = {}): Order {
	const client = [...sap.state.partners.values()].find(
		(p) => p.CardType === 'cCustomer' && p.Valid === 'tYES' && p.Frozen !== 'tYES',
	)!;
	const [a] = [...sap.state.items.values()].filter(
		(i) => i.Valid === 'tYES' && i.Frozen !== 'tYES' && sap.state.stockOf(i.ItemCode, i.DefaultWarehouse).InStock >= 10,
	);
	return makeOrder(n, {
		clientCode: client.CardCode,
		lines: [{ lineNo: 1, productCode: a.ItemCode, quantity: '1', unitPrice: '10.00', vatRate: '23' }],
		notes: 'Dostawa do Łodzi — zażółć gęślą jaźń',
		...overrides,
	});
}

const claimParams = (leaseSeconds = 5) => ({
	resource: 'order',
	operation: 'claim',
	orderNumber: '={{ $json.order.number }}',
	leaseSeconds,
	options: FAST_RETRY,
});

async function claimed(order: Order, leaseSeconds = 5): Promise<INodeExecutionData> {
	const r = await runPortal(portal, claimParams(leaseSeconds), { items: [{ json: { order } as never }] });
	expect(r.error).toBeUndefined();
	const item = r.output![0][0];
	expect(item.json.claim).toMatchObject({ status: 'claimed', leaseSeconds });
	return { json: item.json };
}

/** SAP › Order › Create with the portal credential; SAP may take long, so its own timeout is 30 s */
async function createInSap(
	input: INodeExecutionData[],
	renewClaim: boolean,
	opts: { portalCredential?: boolean; continueOnFail?: boolean } = {},
): Promise<RunNodeResult> {
	return await runNode({
		nodeType: new SapB1(),
		parameters: {
			resource: 'order',
			operation: 'create',
			orderField: 'order',
			renewClaim,
			warehouse: '',
			dueInDays: 7,
			options: { ...FAST, timeoutSeconds: 30 },
		},
		inputItems: input,
		continueOnFail: opts.continueOnFail,
		credentials: {
			sapB1Api: { type: new SapB1Api(), data: sapCredential(sap) as ICredentialDataDecryptedObject },
			...(opts.portalCredential === false
				? {}
				: {
						b2bPortalApi: {
							type: new B2bPortalApi(),
							data: { baseUrl: portal.url, authType: 'apiKey', apiKey: portal.apiKey, webhookSecret: '' },
						},
					}),
		},
	});
}

const slowSap = (delayMs: number) =>
	sap.faults.add({ method: 'POST', path: /^\/Orders$/, kind: 'slow', delayMs, times: 1 });

/** another run (another owner) tries to claim the order `afterMs` into the SAP call */
async function secondClaimantAfter(afterMs: number, order: Order): Promise<IDataObject> {
	await wait(afterMs);
	const r = await runPortal(portal, claimParams(), { items: [{ json: { order } as never }] });
	expect(r.error).toBeUndefined();
	return json(r)[0].claim as IDataObject;
}

const claimRequests = () => portal.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/claim'));

/**
 * The timers nodes/shared/claimRenewal.ts sets (told apart by the stack that sets them), and which of them are
 * still waiting: neither fired nor cleared.
 */
function trackRenewalTimers() {
	const open = new Set<unknown>();
	const realSet = global.setTimeout;
	const realClear = global.clearTimeout;
	const setSpy = jest.spyOn(global, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
		const mine = /claimRenewal/.test(new Error().stack ?? '');
		const handle: unknown = realSet(() => {
			open.delete(handle);
			fn();
		}, ms);
		if (mine) open.add(handle);
		return handle;
	}) as typeof setTimeout);
	const clearSpy = jest.spyOn(global, 'clearTimeout').mockImplementation(((handle: unknown) => {
		open.delete(handle);
		realClear(handle as ReturnType<typeof setTimeout>);
	}) as typeof clearTimeout);
	return {
		open: () => open.size,
		restore: () => {
			setSpy.mockRestore();
			clearSpy.mockRestore();
		},
	};
}

describe('SAP › Order › Create › Renew Claim While Creating', () => {
	it('lease 5 s, SAP takes 12 s: the claim is renewed during the call, a second run 8 s in is told "busy"', async () => {
		const order = portal.seedOrder(orderFor(1501));
		const item = await claimed(order);
		const owner = (item.json.claim as IDataObject).owner;
		slowSap(12_000);
		const started = Date.now();
		const [created, second] = await Promise.all([createInSap([item], true), secondClaimantAfter(8_000, order)]);
		expect(Date.now() - started).toBeGreaterThanOrEqual(12_000);
		expect(created.error).toBeUndefined();
		expect(second).toMatchObject({ status: 'busy', heldBy: owner });
		const out = json(created)[0];
		expect(out).toMatchObject({ action: 'created', orderNumber: order.number });
		expect(out.claim).toMatchObject({ status: 'claimed', owner, leaseSeconds: 5, renewalFailures: 0 });
		// 12 s at one renewal per 1.7 s
		expect((out.claim as IDataObject).renewals).toBeGreaterThanOrEqual(6);
		expect(portal.state.claims.live()).toMatchObject([{ orderNumber: order.number, owner }]);
		expect(portal.state.claims.log.filter((e) => e.decision === 'renewed' && e.owner === owner).length).toBe(
			(out.claim as IDataObject).renewals,
		);
		expect(sap.state.findOrdersByNumAtCard(order.number)).toHaveLength(1);
	});

	it('without the option the same 12 s lets the second run take the claim (the race the renewal closes)', async () => {
		const order = portal.seedOrder(orderFor(1502));
		const item = await claimed(order);
		slowSap(12_000);
		const [created, second] = await Promise.all([createInSap([item], false), secondClaimantAfter(8_000, order)]);
		expect(created.error).toBeUndefined();
		expect(second).toMatchObject({ status: 'claimed', tookOverFrom: (item.json.claim as IDataObject).owner });
		expect(json(created)[0].claim).toBeUndefined(); // the output is as before the option existed
		expect(claimRequests()).toHaveLength(2); // the two claims, no renewal
	});

	it('no timer outlives the node: after it ends no renewal is sent and no timeout is left waiting', async () => {
		const order = portal.seedOrder(orderFor(1503));
		const item = await claimed(order);
		slowSap(4_000);
		const timers = trackRenewalTimers();
		let created: RunNodeResult;
		try {
			created = await createInSap([item], true);
			expect(timers.open()).toBe(0);
		} finally {
			timers.restore();
		}
		expect(created.error).toBeUndefined();
		expect((json(created)[0].claim as IDataObject).renewals).toBeGreaterThanOrEqual(2);
		const sent = claimRequests().length;
		await wait(4_000); // more than two renewal intervals
		expect(claimRequests()).toHaveLength(sent);
	});

	it('no timer outlives a failed create either (SAP refuses the order)', async () => {
		const order = portal.seedOrder(orderFor(1504, { clientCode: 'K-NIEZNANY-ŻÓŁW' }));
		const item = await claimed(order);
		slowSap(2_000);
		const timers = trackRenewalTimers();
		let created: RunNodeResult;
		try {
			created = await createInSap([item], true, { continueOnFail: true });
			expect(timers.open()).toBe(0);
		} finally {
			timers.restore();
		}
		expect(json(created)[0].error).toMatch(/K-NIEZNANY-ŻÓŁW|BusinessPartner|CardCode/i);
		const sent = claimRequests().length;
		await wait(2_500);
		expect(claimRequests()).toHaveLength(sent);
	});

	it('the portal down during the renewals does not fail the order: the failures are counted and named', async () => {
		const order = portal.seedOrder(orderFor(1505));
		const item = await claimed(order);
		slowSap(4_000);
		portal.faults.add({ method: 'POST', path: /\/claim$/, kind: 'reset', times: Infinity });
		const created = await createInSap([item], true);
		expect(created.error).toBeUndefined();
		const out = json(created)[0];
		expect(out).toMatchObject({ action: 'created', erpDocumentNumber: expect.any(String) });
		expect(out.claim).toMatchObject({ status: 'claimed', renewals: 0 });
		expect((out.claim as IDataObject).renewalFailures).toBeGreaterThanOrEqual(2);
		expect((out.claim as IDataObject).lastRenewalFailure).toMatch(
			new RegExp(`^Renewing the claim of order ${order.number.replace(/\//g, '\\/')} failed: `),
		);
		expect(JSON.stringify(created.runData)).not.toContain(portal.apiKey);
		expect(sap.state.findOrdersByNumAtCard(order.number)).toHaveLength(1);
	});

	it('a claim another run took meanwhile is reported lost (status "lost", lostTo), and renewing it stops', async () => {
		const order = portal.seedOrder(orderFor(1506));
		const item = await claimed(order);
		slowSap(5_000);
		const running = createInSap([item], true);
		await wait(500);
		portal.state.clock.advance(6_000); // the lease ran out (a portal down for a whole lease, say)
		const other = await runPortal(portal, claimParams(), { items: [{ json: { order } as never }] });
		const thief = (json(other)[0].claim as IDataObject).owner;
		const created = await running;
		expect(created.error).toBeUndefined();
		const claim = json(created)[0].claim as IDataObject;
		expect(claim).toMatchObject({ status: 'lost', lostTo: thief, owner: (item.json.claim as IDataObject).owner });
		expect(claim.lostReason).toContain(order.number);
		// after the 409 no more renewals by the lost owner
		const byOwner = portal.state.claims.log.filter((e) => e.owner === (item.json.claim as IDataObject).owner);
		expect(byOwner.filter((e) => e.decision === 'busy')).toHaveLength(1);
		expect(portal.state.claims.live()).toMatchObject([{ owner: thief }]);
	});

	it('errors by name: no claim on the item, a claim this run does not hold, no portal credential', async () => {
		const order = portal.seedOrder(orderFor(1507));
		const none = await createInSap([{ json: { order } as never }], true);
		expect(none.error).toBeInstanceOf(NodeOperationError);
		expect(none.error?.message).toBe('Item 0: "Renew Claim While Creating" is on, but the item has no "claim" field');
		const busy = await createInSap(
			[{ json: { order, claim: { status: 'busy', orderNumber: order.number, owner: 'n8n-1' } } as never }],
			true,
		);
		expect(busy.error?.message).toMatch(/claim\.status is "busy", not "claimed"/);
		const item = await claimed(order);
		const noCred = await createInSap([item], true, { portalCredential: false });
		expect(noCred.error?.message).toMatch(/no B2B Portal credential is selected/);
		expect(sap.state.findOrdersByNumAtCard(order.number)).toHaveLength(0);
	});

	it('every order of the node is renewed, not only the one SAP is working on: the second order waits its turn', async () => {
		const [first, waiting] = [portal.seedOrder(orderFor(1508)), portal.seedOrder(orderFor(1509))];
		const r = await runPortal(portal, claimParams(), {
			items: [first, waiting].map((order) => ({ json: { order } as never })),
		});
		const input = r.output![0].map((i) => ({ json: i.json }));
		slowSap(7_000); // the first order's POST only
		const [created, second] = await Promise.all([createInSap(input, true), secondClaimantAfter(6_000, waiting)]);
		expect(created.error).toBeUndefined();
		expect(second).toMatchObject({ status: 'busy', heldBy: (input[1].json.claim as IDataObject).owner });
		expect(json(created).map((j) => [j.action, (j.claim as IDataObject).status])).toEqual([
			['created', 'claimed'],
			['created', 'claimed'],
		]);
	});
});

describe('Optima › Order › Create (bridge) › Renew Claim While Creating', () => {
	it('the bridge path renews too: lease 5 s, the bridge answers after 8 s, a second run 6 s in is told "busy"', async () => {
		const store = new MemoryRoStore();
		const bridge = await startOptimaBridgeSimulator({ store });
		try {
			const order = portal.seedOrder(makeOrder(1510));
			const item = await claimed(order);
			bridge.faults.add({ method: 'POST', path: '/v1/ro', kind: 'slow', delayMs: 8_000 });
			const run = runNode({
				nodeType: new Optima(),
				parameters: {
					resource: 'order',
					operation: 'create',
					orderField: 'order',
					renewClaim: true,
					warehouse: 'MAGAZYN',
					buffer: true,
					options: { ...FAST, timeoutSeconds: 30 },
				},
				inputItems: [item],
				credentials: {
					optimaBridgeApi: { type: new OptimaBridgeApi(), data: { baseUrl: bridge.url, apiKey: bridge.apiKey } },
					b2bPortalApi: {
						type: new B2bPortalApi(),
						data: { baseUrl: portal.url, authType: 'apiKey', apiKey: portal.apiKey, webhookSecret: '' },
					},
				},
			});
			const [created, second] = await Promise.all([run, secondClaimantAfter(6_000, order)]);
			expect(created.error).toBeUndefined();
			expect(second.status).toBe('busy');
			expect(json(created)[0]).toMatchObject({ action: 'created', claim: { status: 'claimed' } });
			expect(store.findByForeignNumber(order.number)).toHaveLength(1);
		} finally {
			await bridge.close();
		}
	});
});
