/**
 * Order claims (leases) through the B2B Portal node (n8n-core engine, portal simulator over real HTTP), and the
 * race they exist for: two n8n workers (queue mode) handling the same order at the same moment, which the
 * in-process oneAtATime lock of the SAP node cannot see. "Two workers" here are two copies of the SAP node loaded
 * through separate jest module registries, so each has its own lock, as two processes would.
 */
import type { IDataObject, INodeExecutionData, INodeType } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { SapB1Api } from '../../credentials/SapB1Api.credentials';
import type { Order } from '../../nodes/shared/model/types';
import { makeOrder } from '../fixtures/polish';
import { runNode, type RunNodeResult } from '../harness/n8n-core-harness';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { startSapSimulator, type SapSimulator } from '../simulators/sap-b1/server';
import { FAST_RETRY, json, runPortal } from './portal-helpers';
import { FAST, sapCredential } from './sap-helpers';

let portal: PortalSimulator;
let sap: SapSimulator;
beforeAll(async () => {
	[portal, sap] = await Promise.all([
		startPortalSimulator(),
		startSapSimulator({
			seed: { items: 60, customers: 6, specialPrices: 0, seed: 9 },
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

const claimParams = (extra: IDataObject = {}) => ({
	resource: 'order',
	operation: 'claim',
	orderNumber: '={{ $json.order.number }}',
	leaseSeconds: 300,
	options: FAST_RETRY,
	...extra,
});
const releaseParams = (extra: IDataObject = {}) => ({
	resource: 'order',
	operation: 'releaseClaim',
	orderNumber: '={{ $json.order.number }}',
	options: FAST_RETRY,
	...extra,
});
const withOrder = (...orders: Order[]): INodeExecutionData[] => orders.map((order) => ({ json: { order } as never }));
const claimOf = (r: RunNodeResult, i = 0) => json(r)[i]?.claim as IDataObject;

describe('B2B Portal › Order › Claim for Processing', () => {
	it('claims a free order for this execution (owner n8n-<execution id>), keeping the item for the ERP create', async () => {
		const order = portal.seedOrder(makeOrder(1));
		const r = await runPortal(portal, claimParams(), { items: withOrder(order) });
		expect(r.error).toBeUndefined();
		const claim = claimOf(r);
		expect(claim).toMatchObject({ status: 'claimed', orderNumber: order.number, renewed: false });
		expect(claim.owner).toMatch(/^n8n-harness-\d+$/);
		expect(portal.state.claims.live()).toMatchObject([{ orderNumber: order.number, owner: claim.owner }]);
		const held = portal.state.claims.live()[0];
		expect(claim.expiresAt).toBe(new Date(held.expiresAtMs).toISOString());
		expect(held.expiresAtMs - held.claimedAtMs).toBe(300_000);
		// the item goes on whole (the SAP create reads "order"), paired with its input
		expect(json(r)[0].order).toEqual(order);
		expect(r.output?.[0][0].pairedItem).toEqual({ item: 0 });
	});

	it('a second owner is told the order is busy, with the holder and when its lease ends; the holder renews', async () => {
		const order = portal.seedOrder(makeOrder(2));
		const first = await runPortal(portal, claimParams(), { items: withOrder(order) });
		const holder = claimOf(first).owner as string;
		const second = await runPortal(portal, claimParams(), { items: withOrder(order) });
		expect(second.error).toBeUndefined();
		expect(claimOf(second)).toEqual({
			status: 'busy',
			orderNumber: order.number,
			owner: expect.stringMatching(/^n8n-harness-\d+$/),
			heldBy: holder,
			expiresAt: claimOf(first).expiresAt,
		});
		expect(claimOf(second).owner).not.toBe(holder);
		// the same owner again (a retried run with a fixed owner): a renewal, not "busy"
		const again = await runPortal(portal, claimParams({ options: { ...FAST_RETRY, owner: holder } }), {
			items: withOrder(order),
		});
		expect(claimOf(again)).toMatchObject({ status: 'claimed', owner: holder, renewed: true });
	});

	it("an expired lease can be claimed by another owner (the portal's clock decides), naming whose lease ran out", async () => {
		const order = portal.seedOrder(makeOrder(3));
		portal.state.clock.freeze();
		const first = await runPortal(portal, claimParams({ leaseSeconds: 60 }), { items: withOrder(order) });
		portal.state.clock.advance(59_000);
		expect(claimOf(await runPortal(portal, claimParams(), { items: withOrder(order) })).status).toBe('busy');
		portal.state.clock.advance(1_000);
		const later = await runPortal(portal, claimParams(), { items: withOrder(order) });
		expect(claimOf(later)).toMatchObject({ status: 'claimed', renewed: false, tookOverFrom: claimOf(first).owner });
	});

	it('an acknowledged or rejected order is done: nothing to create, whoever asks', async () => {
		const acked = portal.seedOrder(makeOrder(4));
		const rejected = portal.seedOrder(makeOrder(5));
		const claimed = await runPortal(portal, claimParams(), { items: withOrder(acked, rejected) });
		expect(json(claimed).map((j) => (j.claim as IDataObject).status)).toEqual(['claimed', 'claimed']);
		const ack = await runPortal(portal, {
			resource: 'order',
			operation: 'acknowledge',
			orderNumber: acked.number,
			erpDocumentNumber: '1043',
			erpDocumentId: '',
			options: FAST_RETRY,
		});
		expect(ack.error).toBeUndefined();
		const reject = await runPortal(portal, {
			resource: 'order',
			operation: 'updateStatus',
			source: 'fields',
			orderNumber: rejected.number,
			status: 'rejected',
			reason: 'Cena pozycji 1 (ŁÓD-001) różni się od cennika',
			changedAt: '2026-11-26T11:00:00Z',
			options: FAST_RETRY,
		});
		expect(reject.error).toBeUndefined();
		expect(portal.state.claims.live()).toEqual([]); // acknowledge and reject ended both claims

		const late = await runPortal(portal, claimParams(), { items: withOrder(acked, rejected) });
		expect(late.error).toBeUndefined();
		expect(json(late).map((j) => j.claim)).toEqual([
			{
				status: 'done',
				orderNumber: acked.number,
				owner: expect.any(String),
				orderStatus: 'confirmed',
				erpDocumentNumber: '1043',
			},
			{ status: 'done', orderNumber: rejected.number, owner: expect.any(String), orderStatus: 'rejected' },
		]);
		expect(late.output?.[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('errors: an unknown order fails that item (NodeApiError, item index, 404); Continue On Fail keeps the others', async () => {
		const known = portal.seedOrder(makeOrder(6));
		const unknown = makeOrder(999);
		const r = await runPortal(portal, claimParams(), { items: withOrder(known, unknown) });
		expect(r.error).toBeInstanceOf(NodeApiError);
		expect(r.error?.message).toMatch(/Claiming order B2B\/2026\/000999 failed: HTTP 404/);
		expect((r.error as NodeApiError).context?.itemIndex).toBe(1);

		portal.reset();
		portal.seedOrder(known);
		const cont = await runPortal(portal, claimParams(), { items: withOrder(unknown, known), continueOnFail: true });
		expect(cont.output?.[0]).toEqual([
			{ json: { error: expect.stringMatching(/HTTP 404/) }, pairedItem: { item: 0 } },
			expect.objectContaining({ pairedItem: { item: 1 } }),
		]);
		expect(claimOf(cont, 1).status).toBe('claimed');
	});

	it('errors: a 409 that is neither busy nor done, a bad lease, no order number; the API key never shows', async () => {
		const order = portal.seedOrder(makeOrder(7));
		portal.faults.add({ method: 'POST', path: /\/claim$/, kind: 'status', status: 409 });
		const conflict = await runPortal(portal, claimParams(), { items: withOrder(order) });
		expect(conflict.error).toBeInstanceOf(NodeOperationError);
		expect(conflict.error?.message).toBe(
			`The portal refused to claim order ${order.number}: injected fault: 409 Conflict`,
		);

		const lease = await runPortal(portal, claimParams({ leaseSeconds: 4 }), { items: withOrder(order) });
		expect(lease.error?.message).toBe('Item 0: Lease (Seconds) must be a whole number from 5 to 3600, got 4');
		const none = await runPortal(portal, claimParams({ orderNumber: '={{ "" }}' }), { items: withOrder(order) });
		expect(none.error?.message).toBe('Item 0: no order number to claim');
		expect(portal.requests.filter((q) => q.path.endsWith('/claim'))).toHaveLength(1); // only the faulted one

		// (a key with letters a header cannot carry is refused before sending: test/node/credential-keys.test.ts)
		const wrongKey = await runPortal(portal, claimParams(), {
			items: withOrder(order),
			apiKey: 'wrong-klucz-ZOLW-123',
		});
		expect(wrongKey.error?.message).toMatch(/HTTP 401/);
		expect(JSON.stringify(wrongKey.runData)).not.toContain('wrong-klucz');
		expect(JSON.stringify(wrongKey.runData)).not.toContain(portal.apiKey);
	});

	it('counts attempts across releases and expired leases; the claim that reaches Max Attempts is the last one', async () => {
		const order = portal.seedOrder(makeOrder(9, { clientCode: 'K-ŁĘCZYCA' }));
		portal.state.clock.freeze();
		const seen: IDataObject[] = [];
		for (let n = 0; n < 2; n++) {
			const r = await runPortal(portal, claimParams({ maxAttempts: 3 }), { items: withOrder(order) });
			seen.push(claimOf(r));
			// the ERP refused it for a reason that may pass: the run gives its claim back
			await runPortal(portal, releaseParams({ options: { ...FAST_RETRY, owner: claimOf(r).owner } }), {
				items: withOrder(order),
			});
		}
		// a third run takes the claim and dies holding it; after the lease a fourth takes over
		const third = await runPortal(portal, claimParams({ maxAttempts: 3, leaseSeconds: 60 }), {
			items: withOrder(order),
		});
		seen.push(claimOf(third));
		portal.state.clock.advance(60_000);
		seen.push(claimOf(await runPortal(portal, claimParams({ maxAttempts: 3 }), { items: withOrder(order) })));
		expect(seen.map((c) => [c.status, c.attempt, c.maxAttempts, c.lastAttempt])).toEqual([
			['claimed', 1, 3, false],
			['claimed', 2, 3, false],
			['claimed', 3, 3, true],
			['claimed', 4, 3, true],
		]);
		// a renewal by the same owner is the same attempt
		const owner = String(seen[3].owner);
		const renewed = await runPortal(portal, claimParams({ maxAttempts: 3, options: { ...FAST_RETRY, owner } }), {
			items: withOrder(order),
		});
		expect(claimOf(renewed)).toMatchObject({ renewed: true, attempt: 4 });
	});

	it('Max Attempts below 1 is refused by name', async () => {
		const order = portal.seedOrder(makeOrder(10));
		const r = await runPortal(portal, claimParams({ maxAttempts: 0 }), { items: withOrder(order) });
		expect(r.error?.message).toMatch(/Max Attempts must be a whole number of at least 1, got 0/);
		expect(portal.state.claims.live()).toEqual([]);
	});

	it('a lost answer after the portal took the claim: the retry is a renewal by the same owner, not "busy"', async () => {
		const order = portal.seedOrder(makeOrder(8));
		portal.faults.add({ method: 'POST', path: /\/claim$/, kind: 'drop', afterWrite: true });
		const r = await runPortal(portal, claimParams(), { items: withOrder(order) });
		expect(r.error).toBeUndefined();
		expect(claimOf(r)).toMatchObject({ status: 'claimed', renewed: true });
		expect(portal.requests.filter((q) => q.path.endsWith('/claim')).map((q) => q.status)).toEqual([0, 200]);
	});
});

describe('B2B Portal › Order › Release Claim', () => {
	it("releases this execution's own claim only; another owner's lease stays and is named", async () => {
		const order = portal.seedOrder(makeOrder(9));
		const held = await runPortal(portal, claimParams(), { items: withOrder(order) });
		const holder = claimOf(held).owner as string;
		const other = await runPortal(portal, releaseParams(), { items: withOrder(order) });
		expect(other.error).toBeUndefined();
		expect(json(other)[0].claimRelease).toMatchObject({ orderNumber: order.number, released: false, heldBy: holder });
		expect(json(other)[0].order).toEqual(order);
		expect(portal.state.claims.live()).toHaveLength(1);
		const own = await runPortal(portal, releaseParams({ options: { ...FAST_RETRY, owner: holder } }), {
			items: withOrder(order),
		});
		expect(json(own)[0].claimRelease).toEqual({ orderNumber: order.number, owner: holder, released: true });
		expect(portal.state.claims.live()).toEqual([]);
		expect(claimOf(await runPortal(portal, claimParams(), { items: withOrder(order) })).status).toBe('claimed');
	});
});

/** a copy of the SAP node with its own module registry: its oneAtATime lock is not shared (another worker) */
function sapNodeOfAnotherWorker(): INodeType {
	let SapB1!: new () => INodeType;
	jest.isolateModules(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		SapB1 = (require('../../nodes/SapB1/SapB1.node') as { SapB1: new () => INodeType }).SapB1;
	});
	return new SapB1();
}

describe('two workers, one order (queue mode)', () => {
	const customer = () =>
		[...sap.state.partners.values()].find(
			(p) => p.CardType === 'cCustomer' && p.Valid === 'tYES' && p.Frozen !== 'tYES',
		)!;
	const orderFor = (n: number): Order => {
		const [a] = [...sap.state.items.values()].filter(
			(i) =>
				i.Valid === 'tYES' && i.Frozen !== 'tYES' && sap.state.stockOf(i.ItemCode, i.DefaultWarehouse).InStock >= 10,
		);
		return makeOrder(n, {
			clientCode: customer().CardCode,
			lines: [{ lineNo: 1, productCode: a.ItemCode, quantity: '1', unitPrice: '10.00', vatRate: '23' }],
		});
	};
	const create = {
		resource: 'order',
		operation: 'create',
		orderField: 'order',
		warehouse: '',
		dueInDays: 7,
		options: FAST,
	};
	const createIn = (worker: INodeType, cred: IDataObject, input: INodeExecutionData[]) =>
		runNode({
			nodeType: worker,
			parameters: create,
			inputItems: input,
			credentials: { sapB1Api: { type: new SapB1Api(), data: cred as never } },
		});
	// SAP is slow to create: the other run looks the order up while the first one's POST is under way
	const slowSap = () => sap.faults.add({ method: 'POST', path: /^\/Orders$/, kind: 'slow', delayMs: 300, times: 2 });

	it('without a claim, two workers both create the order (the race the claim closes — and proof the locks are apart)', async () => {
		const order = portal.seedOrder(orderFor(11));
		const [w1, w2] = [sapNodeOfAnotherWorker(), sapNodeOfAnotherWorker()];
		slowSap();
		const [a, b] = await Promise.all([
			createIn(w1, sapCredential(sap), withOrder(order)),
			createIn(w2, sapCredential(sap), withOrder(order)),
		]);
		expect([a.error, b.error]).toEqual([undefined, undefined]);
		expect([json(a)[0].action, json(b)[0].action]).toEqual(['created', 'created']);
		expect(sap.state.findOrdersByNumAtCard(order.number)).toHaveLength(2);
	});

	/** one worker's run of the template's tail: claim → (claimed) SAP create → acknowledge; busy/done: skip */
	async function workerRun(worker: INodeType, order: Order, ack = true) {
		const claimed = await runPortal(portal, claimParams(), { items: withOrder(order) });
		expect(claimed.error).toBeUndefined();
		const item = claimed.output![0][0];
		const claim = item.json.claim as IDataObject;
		if (claim.status !== 'claimed') return { claim };
		const created = await createIn(worker, sapCredential(sap), [{ json: item.json }]);
		expect(created.error).toBeUndefined();
		const doc = json(created)[0];
		if (ack) {
			const acked = await runPortal(portal, {
				resource: 'order',
				operation: 'acknowledge',
				orderNumber: order.number,
				erpDocumentNumber: String(doc.erpDocumentNumber),
				erpDocumentId: String(doc.erpDocumentId),
				options: FAST_RETRY,
			});
			expect(acked.error).toBeUndefined();
		}
		return { claim, doc };
	}

	it('with the claim, two workers racing for the same order make exactly one SAP document', async () => {
		const order = portal.seedOrder(orderFor(12));
		const [w1, w2] = [sapNodeOfAnotherWorker(), sapNodeOfAnotherWorker()];
		slowSap();
		const [a, b] = await Promise.all([workerRun(w1, order), workerRun(w2, order)]);
		const statuses = [a.claim.status, b.claim.status].sort();
		expect(statuses).toEqual(['busy', 'claimed']);
		const [winner, loser] = a.claim.status === 'claimed' ? [a, b] : [b, a];
		expect(loser.claim.heldBy).toBe(winner.claim.owner);
		expect(winner.doc).toMatchObject({ action: 'created' });
		const docs = sap.state.findOrdersByNumAtCard(order.number);
		expect(docs).toHaveLength(1);
		expect(portal.state.orders.get(order.number)).toMatchObject({
			status: 'confirmed',
			erpDocumentNumber: String(docs[0].DocNum),
		});
		expect(sap.requests.filter((r) => r.method === 'POST' && r.path === '/Orders')).toHaveLength(1);
		// a third, late run (the 5-minute poll) finds it done
		expect((await workerRun(sapNodeOfAnotherWorker(), order)).claim).toMatchObject({
			status: 'done',
			orderStatus: 'confirmed',
		});
	});

	it('a worker dying after SAP created the document but before acknowledging: after the lease, the next run finds the document and acknowledges it — still one', async () => {
		const order = portal.seedOrder(orderFor(13));
		portal.state.clock.freeze();
		const dead = await workerRun(sapNodeOfAnotherWorker(), order, false); // created in SAP, never acknowledged
		expect(dead.doc).toMatchObject({ action: 'created' });
		expect((await workerRun(sapNodeOfAnotherWorker(), order)).claim).toMatchObject({
			status: 'busy',
			heldBy: dead.claim.owner,
		});
		portal.state.clock.advance(300_000);
		const next = await workerRun(sapNodeOfAnotherWorker(), order);
		expect(next.claim).toMatchObject({ status: 'claimed', tookOverFrom: dead.claim.owner });
		expect(next.doc).toMatchObject({ action: 'existing', docEntry: dead.doc!.docEntry });
		expect(sap.state.findOrdersByNumAtCard(order.number)).toHaveLength(1);
		expect(portal.state.orders.get(order.number)).toMatchObject({
			status: 'confirmed',
			erpDocumentNumber: String(dead.doc!.erpDocumentNumber),
		});
	});
});
