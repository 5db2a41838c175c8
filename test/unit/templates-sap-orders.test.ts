/**
 * Static checks of workflows-templates/sap-b1/sap-b1-orders.json and its part sap-b1/parts/sap-b1-order-into-sap.json
 * (claim → SAP → confirm / release / reject, called by "Create each order in SAP"): the SAP sales order is created only by the run
 * that holds the order's claim in the portal (queue mode: several workers), the claim is taken after the stock
 * reservation and the price check, right before SAP; busy / done orders are skipped without an error; an order
 * SAP refuses gives its claim back. The real run is in test/e2e/sap-b1.e2e.test.ts and faults.e2e.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inputsFed } from '../fixtures/templates';

interface Node {
	name: string;
	type: string;
	onError?: string;
	parameters: Record<string, any>;
	credentials?: Record<string, { id: string; name: string }>;
}
interface Template {
	nodes: Node[];
	connections: Record<string, { main: Array<Array<{ node: string; index: number }>> }>;
	settings: Record<string, unknown>;
}
const load = (rel: string) =>
	JSON.parse(readFileSync(path.join(__dirname, '../../workflows-templates', rel), 'utf8')) as Template;
/** the main canvas, and the part its "Create each order in SAP" node calls (claim → SAP → confirm / release / reject) */
const main = load('sap-b1/sap-b1-orders.json');
const part = load('sap-b1/parts/sap-b1-order-into-sap.json');
const CALL = 'Create each order in SAP';
const nodeOf = (t: Template) => (name: string) => {
	const n = t.nodes.find((x) => x.name === name);
	if (!n) throw new Error(`no node "${name}"`);
	return n;
};
const branchesOf = (t: Template) => (from: string) =>
	(t.connections[from]?.main ?? []).map((b) => b.map((c) => `${c.node}#${c.index}`));
/** every path from `from` that reaches `target`, as node names */
const pathsOf =
	(t: Template) =>
	(from: string, target: string, seen: string[] = []): string[][] => {
		if (from === target) return [[...seen, from]];
		if (seen.includes(from)) return [];
		return (t.connections[from]?.main ?? []).flat().flatMap((c) => pathsOf(t)(c.node, target, [...seen, from]));
	};
const node = (name: string) => (main.nodes.some((n) => n.name === name) ? nodeOf(main) : nodeOf(part))(name);
const branches = (from: string) => (main.connections[from] ? branchesOf(main) : branchesOf(part))(from);
const byOp = (resource: string, operation: string) =>
	[...main.nodes, ...part.nodes].filter(
		(n) => n.parameters.resource === resource && n.parameters.operation === operation,
	);
/** what the part's last node says happened to an order, for an item arriving at its merge */
function outcomeOf(json: Record<string, unknown>): unknown {
	const set = nodeOf(part)('What happened to each order');
	const [a] = set.parameters.assignments.assignments as Array<{ name: string; value: string }>;
	expect(a.name).toBe('outcome');
	// eslint-disable-next-line @typescript-eslint/no-implied-eval
	return new Function('$json', `return (${a.value.replace(/^=\{\{/, '').replace(/\}\}$/, '')});`)(json);
}

describe('template sap-b1/sap-b1-orders.json: one run per order (claim)', () => {
	const [claim] = byOp('order', 'claim');
	const [create] = byOp('order', 'create');

	it('claims the order in the portal right before SAP, with a 5-minute lease and this run as owner', () => {
		expect(byOp('order', 'claim')).toHaveLength(1);
		expect(byOp('order', 'create')).toHaveLength(1);
		expect(part.nodes).toContain(claim);
		expect(claim).toMatchObject({
			name: 'Claim order in portal',
			type: 'n8n-nodes-erp-b2b.b2bPortal',
			parameters: { orderNumber: '={{ $json.order.number }}', leaseSeconds: 300, options: {} },
			credentials: { b2bPortalApi: { id: '', name: 'B2B Portal account' } },
		});
		expect(claim.onError).toBeUndefined(); // the portal down → the part, hence the run, fails before SAP
		expect(branches('Prices match SAP?')[0]).toEqual([`${CALL}#0`]);
		expect(node(CALL)).toMatchObject({
			type: 'n8n-nodes-base.executeWorkflow',
			parameters: { workflowId: { value: (part as any).id }, mode: 'once' },
		});
		expect(branchesOf(part)('Orders from the main workflow')).toEqual([['Claim order in portal#0']]);
		expect(branches('Claim order in portal')).toEqual([['Claimed by this run?#0']]);
		const check = node('Claimed by this run?');
		expect(check.parameters.conditions.conditions).toEqual([
			expect.objectContaining({ leftValue: '={{ $json.claim.status }}', rightValue: 'claimed' }),
		]);
		expect(branches('Claimed by this run?')[0]).toEqual([`${create.name}#0`]);
	});

	it('every way to the SAP create goes through the stock reservation, the price check and then the claim', () => {
		const triggers = main.nodes.filter((n) => /Trigger$/i.test(n.type)).map((n) => n.name);
		expect(triggers).toHaveLength(3);
		const paths = triggers.flatMap((tr) => pathsOf(main)(tr, CALL));
		expect(paths.length).toBeGreaterThanOrEqual(3);
		for (const p of paths) {
			const at = (n: string) => p.indexOf(n);
			expect(at('Check and reserve each order')).toBeGreaterThan(-1);
			expect(at('Stock held?')).toBe(at('Check and reserve each order') + 1);
			expect(at('Check prices in SAP')).toBe(at('Stock held?') + 1);
			expect(at('Prices match SAP?')).toBe(p.length - 2);
		}
		// only the orders the portal part held go on, and only the true side of the price check
		expect(node('Stock held?').parameters.conditions.conditions).toEqual([
			expect.objectContaining({ leftValue: '={{ $json.portalCheck }}', rightValue: 'held' }),
		]);
		expect(branches('Stock held?')[0]).toEqual(['Check prices in SAP#0']);
		// inside the part: nothing between the trigger, the claim, its check and SAP
		expect(pathsOf(part)('Orders from the main workflow', create.name)).toEqual([
			['Orders from the main workflow', 'Claim order in portal', 'Claimed by this run?', create.name],
		]);
	});

	it('busy and done orders are skipped without an error; an order SAP refuses gives its claim back', () => {
		expect(branches('Claimed by this run?')[1]).toEqual(['Every order handled#1']);
		expect(create.onError).toBe('continueErrorOutput');
		expect(branches(create.name)[1]).toEqual(['Try SAP again later?#0']);
		expect(branches('Try SAP again later?')[0]).toEqual(['Release claim (SAP refused)#0']);
		expect(node('Release claim (SAP refused)')).toMatchObject({
			parameters: { resource: 'order', operation: 'releaseClaim', orderNumber: '={{ $json.order.number }}' },
		});
		expect(branches('Release claim (SAP refused)')).toEqual([['Every order handled#2']]);
		// the refusal still stops the run (error workflow alerted): the release keeps the item's error and order, the
		// part hands it back, the main's merge takes it to the stop
		expect(branches(CALL)).toEqual([['All orders handled#0']]);
		expect(branches('Did SAP refuse an order?')[0]).toEqual(['Stop: SAP refused an order#0']);
		// every input of each merge is fed exactly once
		for (const [t, name] of [
			[main, 'All orders handled'],
			[part, 'Every order handled'],
		] as const) {
			expect(inputsFed(t, name)).toEqual(Array.from({ length: nodeOf(t)(name).parameters.numberInputs }, (_, i) => i));
		}
		expect(branchesOf(part)('Every order handled')).toEqual([['What happened to each order#0']]);
		expect(node('Record run').parameters.counts).toContain(
			`"skipped": ($('${CALL}').isExecuted ? $('${CALL}').all().filter((i) => i.json.outcome === 'skipped').length : 0)`,
		);
	});

	it('the part tells the main what happened to each order, whichever branch it took', () => {
		// the shapes each branch hands to the part's merge (the portal's Order, the claim, the release, the rejection)
		expect(outcomeOf({ number: 'B2B/2026/000701', status: 'confirmed', erpDocumentNumber: '1043' })).toBe('confirmed');
		expect(outcomeOf({ order: { number: 'B2B/2026/000702' }, claim: { status: 'busy' } })).toBe('skipped');
		expect(outcomeOf({ order: { number: 'B2B/2026/000702' }, claim: { status: 'done' } })).toBe('skipped');
		expect(
			outcomeOf({ order: {}, claim: { status: 'claimed' }, error: 'zablokowany', claimRelease: { released: true } }),
		).toBe('retryLater');
		expect(outcomeOf({ entity: 'orderStatus', key: 'B2B/2026/000703', action: 'updated' })).toBe('rejected');
		const set = (name: string) =>
			Object.fromEntries(
				(node(name).parameters.assignments.assignments as Array<{ name: string; value: string }>).map((a) => [
					a.name,
					a.value,
				]),
			);
		expect(set('Alert: claim lost').outcome).toBe('claimLost');
		expect(set('Alert: order given up').outcome).toBe('givenUp');
		expect(outcomeOf({ outcome: 'givenUp', error: 'x', alert: 'y' })).toBe('givenUp');
	});

	it("a refusal no retry can change, or the last attempt's, rejects the order with SAP's reason; the last also fails the run", () => {
		expect(node('Claim order in portal').parameters.maxAttempts).toBe(5);
		expect(node('Try SAP again later?').parameters.conditions.conditions).toEqual([
			expect.objectContaining({
				leftValue: '={{ $json.details?.refusal?.final !== true && $json.claim?.lastAttempt !== true }}',
				operator: expect.objectContaining({ type: 'boolean', operation: 'true' }),
			}),
		]);
		expect(branches('Try SAP again later?')[1]).toEqual(['Reject: SAP refused#0']);
		expect(node('Reject: SAP refused').parameters).toMatchObject({
			resource: 'order',
			operation: 'updateStatus',
			status: 'rejected',
			orderNumber: '={{ $json.order.number }}',
		});
		expect(String(node('Reject: SAP refused').parameters.reason)).toContain('$json.details.refusal.reason');
		// given up after the last attempt → an item with an error reaches the stop (alert); a final refusal does not
		expect(branches('Reject: SAP refused')).toEqual([['Rejected on its last attempt?#0']]);
		expect(branches('Rejected on its last attempt?')).toEqual([['Alert: order given up#0'], ['Every order handled#3']]);
		expect(pathsOf(part)('Alert: order given up', 'What happened to each order').length).toBeGreaterThan(0);
		expect(pathsOf(main)(CALL, 'Stop: SAP refused an order').length).toBeGreaterThan(0);
		expect(String(node('Stop: SAP refused an order').parameters.errorMessage)).toContain('$json.alert');
		// both count as refused by SAP (and as rejected)
		expect(node('Record run').parameters.counts).toContain(
			`"refusedBySap": ($('${CALL}').isExecuted ? $('${CALL}').all().filter((i) => i.json.outcome === 'rejected' || i.json.outcome === 'givenUp').length : 0)`,
		);
	});

	it('explains the claim in plain words on a sticky note', () => {
		const notes = part.nodes
			.filter((n) => n.type === 'n8n-nodes-base.stickyNote')
			.map((n) => String(n.parameters.content));
		const note = notes.find((c) => c.includes('*Claim order in portal*') && c.includes('**busy**'));
		expect(note).toBeDefined();
		expect(note).toMatch(/5 minutes/);
		expect(notes.join('\n')).toMatch(/Lease \(Seconds\)/);
		for (const t of [main, part]) {
			const names = new Set(t.nodes.map((n) => n.name));
			for (const [from, c] of Object.entries(t.connections)) {
				expect(names.has(from)).toBe(true);
				for (const x of c.main.flat()) expect(names.has(x.node)).toBe(true);
			}
		}
	});
});

describe('template sap-b1/sap-b1-orders.json: the claim is renewed while SAP works', () => {
	const create = byOp('order', 'create')[0];

	it('the SAP create renews the claim, with the portal account named by type only', () => {
		expect(create.parameters.renewClaim).toBe(true);
		expect(create.credentials).toEqual({
			sapB1Api: { id: '', name: 'SAP Business One account' },
			b2bPortalApi: { id: '', name: 'B2B Portal account' },
		});
	});

	it('a document whose claim was lost is not confirmed by this run: it fails the run with an alert naming the order', () => {
		expect(branches(create.name)[0]).toEqual(["Claim still this run's?#0"]);
		expect(node("Claim still this run's?").parameters.conditions.conditions).toEqual([
			expect.objectContaining({ leftValue: "={{ $json.claim?.status !== 'lost' }}" }),
		]);
		expect(branches("Claim still this run's?")).toEqual([['Confirm order in portal#0'], ['Alert: claim lost#0']]);
		const alert = node('Alert: claim lost');
		const fields = Object.fromEntries(
			(alert.parameters.assignments.assignments as Array<{ name: string; value: string }>).map((a) => [
				a.name,
				a.value,
			]),
		);
		expect(fields.error).toBe('={{ $json.claim.lostReason }}');
		expect(fields.alert).toContain('$json.orderNumber');
		expect(fields.alert).toContain('$json.erpDocumentNumber');
		// into the part's merge, back to the main, then "Did SAP refuse an order?" ($json.error) → the Stop says $json.alert
		expect(branches('Alert: claim lost')).toEqual([['Every order handled#5']]);
		expect(node('Stop: SAP refused an order').parameters.errorMessage).toMatch(/^=\{\{ \$json\.alert \|\|/);
	});

	it('the sticky notes say that the claim is renewed and what a lost claim does', () => {
		const notes = [...main.nodes, ...part.nodes]
			.filter((n) => n.type === 'n8n-nodes-base.stickyNote')
			.map((n) => String(n.parameters.content));
		expect(notes.some((c) => c.includes('renews the claim') && c.includes('*Alert: claim lost*'))).toBe(true);
		expect(notes.some((c) => c.includes('**Accounts:**') && c.includes('keeps the claim alive'))).toBe(true);
	});
});
