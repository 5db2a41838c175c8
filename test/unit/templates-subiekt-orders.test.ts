/**
 * Static checks of workflows-templates/subiekt-gt/subiekt-gt-orders-bridge.json: the same shape as the SAP orders
 * template (test/unit/templates-sap-orders.test.ts) — the ZK is created only by the run that holds the order's claim,
 * taken after the stock reservation right before Subiekt; the bridge's refusal decides: final → rejected with
 * Subiekt's reason; temporary → claim released, tried again up to Max Attempts, then rejected with an alert.
 * The real runs are in test/e2e/subiekt-gt.e2e.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface Node {
	name: string;
	type: string;
	onError?: string;
	parameters: Record<string, any>;
}
interface Template {
	nodes: Node[];
	connections: Record<string, { main: Array<Array<{ node: string; index: number }>> }>;
}
const t = JSON.parse(
	readFileSync(path.join(__dirname, '../../workflows-templates/subiekt-gt/subiekt-gt-orders-bridge.json'), 'utf8'),
) as Template;
const node = (name: string) => {
	const n = t.nodes.find((x) => x.name === name);
	if (!n) throw new Error(`no node "${name}"`);
	return n;
};
const branches = (from: string) => (t.connections[from]?.main ?? []).map((b) => b.map((c) => `${c.node}#${c.index}`));
function pathsTo(from: string, target: string, seen: string[] = []): string[][] {
	if (from === target) return [[...seen, from]];
	if (seen.includes(from)) return [];
	return (t.connections[from]?.main ?? []).flat().flatMap((c) => pathsTo(c.node, target, [...seen, from]));
}
const CREATE = 'Create ZK in Subiekt';

describe('template subiekt-gt/subiekt-gt-orders-bridge.json: claim, then the refusal branch of the SAP template', () => {
	it('every way to the ZK goes through the stock reservation, then the claim (Max Attempts 5), nothing in between', () => {
		expect(node('Claim order in portal').parameters).toMatchObject({
			resource: 'order',
			operation: 'claim',
			orderNumber: '={{ $json.order.number }}',
			leaseSeconds: 300,
			maxAttempts: 5,
		});
		expect(node('Claimed by this run?').parameters.conditions.conditions).toEqual([
			expect.objectContaining({ leftValue: '={{ $json.claim.status }}', rightValue: 'claimed' }),
		]);
		const triggers = t.nodes.filter((n) => /Trigger$/i.test(n.type)).map((n) => n.name);
		const paths = triggers.flatMap((tr) => pathsTo(tr, CREATE));
		expect(paths.length).toBeGreaterThanOrEqual(3);
		for (const p of paths) {
			expect(p.indexOf('Claim order in portal')).toBeGreaterThan(p.indexOf('Reserve stock in portal'));
			expect(p.indexOf('Reserve stock in portal')).toBeGreaterThan(-1);
			expect(p.indexOf('Claimed by this run?')).toBe(p.length - 2);
		}
		expect(branches('Claimed by this run?')[1]).toEqual([expect.stringMatching(/^All orders handled#/)]);
	});

	it("no refusal is matched by its text any more: the create's refusal decides, with the SAP template's expressions", () => {
		const sap = JSON.parse(
			readFileSync(path.join(__dirname, '../../workflows-templates/sap-b1/sap-b1-orders.json'), 'utf8'),
		) as Template;
		const sapNode = (name: string) => sap.nodes.find((n) => n.name === name)!;
		expect(JSON.stringify(t)).not.toContain('HTTP 422');
		expect(node(CREATE).onError).toBe('continueErrorOutput');
		expect(branches(CREATE)[1]).toEqual(['Try Subiekt again later?#0']);
		expect(node('Try Subiekt again later?').parameters.conditions.conditions[0].leftValue).toBe(
			sapNode('Try SAP again later?').parameters.conditions.conditions[0].leftValue,
		);
		expect(branches('Try Subiekt again later?')).toEqual([
			['Release claim (Subiekt refused)#0'],
			['Reject: Subiekt refused#0'],
		]);
		expect(node('Release claim (Subiekt refused)').parameters).toMatchObject({
			operation: 'releaseClaim',
			orderNumber: '={{ $json.order.number }}',
		});
		expect(node('Reject: Subiekt refused').parameters).toMatchObject({
			operation: 'updateStatus',
			status: 'rejected',
			orderNumber: '={{ $json.order.number }}',
			reason: sapNode('Reject: SAP refused').parameters.reason,
		});
		expect(branches('Reject: Subiekt refused')).toEqual([['Rejected on its last attempt?#0']]);
		expect(node('Rejected on its last attempt?').parameters.conditions.conditions[0].leftValue).toBe(
			"={{ $('Try Subiekt again later?').item.json.details?.refusal?.final !== true }}",
		);
		expect(branches('Rejected on its last attempt?')[0]).toEqual(['Alert: order given up#0']);
		expect(pathsTo('Alert: order given up', 'Stop: Subiekt refused an order').length).toBeGreaterThan(0);
		expect(String(node('Alert: order given up').parameters.assignments.assignments[2].value)).toContain(
			'Subiekt did not take it',
		);
		expect(String(node('Stop: Subiekt refused an order').parameters.errorMessage)).toContain('$json.alert');
		expect(node('Record run').parameters.counts).toContain(`"refusedBySubiekt": ($('Reject: Subiekt refused')`);
	});

	it('every input of the merge is fed exactly once; the notes explain the claim, the attempts and the 422 as the check', () => {
		const merge = node('All orders handled');
		const inputs = Object.values(t.connections)
			.flatMap((c) => c.main.flat())
			.filter((c) => c.node === merge.name)
			.map((c) => c.index)
			.sort((a, b) => a - b);
		expect(inputs).toEqual(Array.from({ length: merge.parameters.numberInputs }, (_, i) => i));
		const notes = t.nodes
			.filter((n) => n.type === 'n8n-nodes-base.stickyNote')
			.map((n) => String(n.parameters.content));
		expect(notes.find((c) => c.includes('*Claim order in portal*') && c.includes('**busy**'))).toBeDefined();
		expect(notes.join('\n')).toMatch(/Max Attempts\* \(5\)/);
		expect(notes.join('\n')).toMatch(/no way to ask about a client or product beforehand/);
	});
});
