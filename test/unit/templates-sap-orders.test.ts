/**
 * Static checks of workflows-templates/sap-b1/sap-b1-orders.json: the SAP sales order is created only by the run
 * that holds the order's claim in the portal (queue mode: several workers), the claim is taken after the stock
 * reservation and the price check, right before SAP; busy / done orders are skipped without an error; an order
 * SAP refuses gives its claim back. The real run is in test/e2e/sap-b1.e2e.test.ts and faults.e2e.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

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
const t = JSON.parse(
	readFileSync(path.join(__dirname, '../../workflows-templates/sap-b1/sap-b1-orders.json'), 'utf8'),
) as Template;
const node = (name: string) => {
	const n = t.nodes.find((x) => x.name === name);
	if (!n) throw new Error(`no node "${name}"`);
	return n;
};
const branches = (from: string) => (t.connections[from]?.main ?? []).map((b) => b.map((c) => `${c.node}#${c.index}`));
const byOp = (resource: string, operation: string) =>
	t.nodes.filter((n) => n.parameters.resource === resource && n.parameters.operation === operation);

/** every path from `from` that reaches `target`, as node names */
function pathsTo(from: string, target: string, seen: string[] = []): string[][] {
	if (from === target) return [[...seen, from]];
	if (seen.includes(from)) return [];
	return (t.connections[from]?.main ?? []).flat().flatMap((c) => pathsTo(c.node, target, [...seen, from]));
}

describe('template sap-b1/sap-b1-orders.json: one run per order (claim)', () => {
	const [claim] = byOp('order', 'claim');
	const [create] = byOp('order', 'create');

	it('claims the order in the portal right before SAP, with a 5-minute lease and this run as owner', () => {
		expect(byOp('order', 'claim')).toHaveLength(1);
		expect(claim).toMatchObject({
			name: 'Claim order in portal',
			type: 'n8n-nodes-erp-b2b.b2bPortal',
			parameters: { orderNumber: '={{ $json.order.number }}', leaseSeconds: 300, options: {} },
			credentials: { b2bPortalApi: { id: '', name: 'B2B Portal account' } },
		});
		expect(claim.onError).toBeUndefined(); // the portal down → the run fails before SAP; nothing half done
		expect(branches('Prices match SAP?')[0]).toEqual(['Claim order in portal#0']);
		expect(branches('Claim order in portal')).toEqual([['Claimed by this run?#0']]);
		const check = node('Claimed by this run?');
		expect(check.parameters.conditions.conditions).toEqual([
			expect.objectContaining({ leftValue: '={{ $json.claim.status }}', rightValue: 'claimed' }),
		]);
		expect(branches('Claimed by this run?')[0]).toEqual([`${create.name}#0`]);
	});

	it('every way to the SAP create goes through the stock reservation, the price check and then the claim', () => {
		const triggers = t.nodes.filter((n) => /Trigger$/i.test(n.type)).map((n) => n.name);
		expect(triggers).toHaveLength(3);
		const paths = triggers.flatMap((tr) => pathsTo(tr, create.name));
		expect(paths.length).toBeGreaterThanOrEqual(3);
		for (const p of paths) {
			const at = (n: string) => p.indexOf(n);
			expect(at('Reserve stock in portal')).toBeGreaterThan(-1);
			expect(at('Check prices in SAP')).toBeGreaterThan(at('Reserve stock in portal'));
			expect(at('Claim order in portal')).toBeGreaterThan(at('Check prices in SAP'));
			expect(at('Claimed by this run?')).toBe(p.length - 2); // nothing between the claim's check and SAP
		}
	});

	it('busy and done orders are skipped without an error; an order SAP refuses gives its claim back', () => {
		const merge = node('All orders handled');
		expect(branches('Claimed by this run?')[1]).toEqual(['All orders handled#6']);
		expect(create.onError).toBe('continueErrorOutput');
		expect(branches(create.name)[1]).toEqual(['Try SAP again later?#0']);
		expect(branches('Try SAP again later?')[0]).toEqual(['Release claim (SAP refused)#0']);
		expect(node('Release claim (SAP refused)')).toMatchObject({
			parameters: { resource: 'order', operation: 'releaseClaim', orderNumber: '={{ $json.order.number }}' },
		});
		expect(branches('Release claim (SAP refused)')).toEqual([['All orders handled#3']]);
		// the refusal still stops the run (error workflow alerted): the release keeps the item's error and order
		expect(branches('Did SAP refuse an order?')[0]).toEqual(['Stop: SAP refused an order#0']);
		// every input of the merge is fed exactly once
		const inputs = Object.values(t.connections)
			.flatMap((c) => c.main.flat())
			.filter((c) => c.node === merge.name)
			.map((c) => c.index)
			.sort((a, b) => a - b);
		expect(inputs).toEqual(Array.from({ length: merge.parameters.numberInputs }, (_, i) => i));
		expect(node('Record run').parameters.counts).toContain(`"skipped": $('Claimed by this run?')`);
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
		expect(branches('Rejected on its last attempt?')[0]).toEqual(['Alert: order given up#0']);
		expect(pathsTo('Alert: order given up', 'Stop: SAP refused an order').length).toBeGreaterThan(0);
		expect(String(node('Stop: SAP refused an order').parameters.errorMessage)).toContain('$json.alert');
		expect(node('Record run').parameters.counts).toContain(`"refusedBySap": $('Reject: SAP refused')`);
	});

	it('explains the claim in plain words on a sticky note', () => {
		const notes = t.nodes
			.filter((n) => n.type === 'n8n-nodes-base.stickyNote')
			.map((n) => String(n.parameters.content));
		const note = notes.find((c) => c.includes('*Claim order in portal*') && c.includes('**busy**'));
		expect(note).toBeDefined();
		expect(note).toMatch(/5 minutes/);
		expect(notes.join('\n')).toMatch(/Lease \(Seconds\)/);
		const names = new Set(t.nodes.map((n) => n.name));
		for (const [from, c] of Object.entries(t.connections)) {
			expect(names.has(from)).toBe(true);
			for (const x of c.main.flat()) expect(names.has(x.node)).toBe(true);
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
		// into the merge, then "Did SAP refuse an order?" ($json.error) → the Stop node says $json.alert
		expect(branches('Alert: claim lost')[0][0]).toMatch(/^All orders handled#\d+$/);
		expect(node('Stop: SAP refused an order').parameters.errorMessage).toMatch(/^=\{\{ \$json\.alert \|\|/);
	});

	it('the sticky notes say that the claim is renewed and what a lost claim does', () => {
		const notes = t.nodes
			.filter((n) => n.type === 'n8n-nodes-base.stickyNote')
			.map((n) => String(n.parameters.content));
		expect(notes.some((c) => c.includes('renews the claim') && c.includes('*Alert: claim lost*'))).toBe(true);
		expect(notes.some((c) => c.includes('**Accounts:**') && c.includes('keeps the claim alive'))).toBe(true);
	});
});
