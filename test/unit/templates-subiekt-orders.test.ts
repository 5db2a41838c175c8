/**
 * Static checks of workflows-templates/subiekt-gt/subiekt-gt-orders-bridge.json: the same shape as the SAP orders
 * template (test/unit/templates-sap-orders.test.ts) — the ZK is created only by the run that holds the order's claim,
 * taken after the stock reservation right before Subiekt; the bridge's refusal decides: final → rejected with
 * Subiekt's reason; temporary → claim released, tried again up to Max Attempts, then rejected with an alert.
 * The real runs are in test/e2e/subiekt-gt.e2e.test.ts. At the end: the EDI++ file template and its Optima twin.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { orderFileStem } from '../../nodes/shared/files/fileName';

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
			readFileSync(path.join(__dirname, '../../workflows-templates/sap-b1/parts/sap-b1-order-into-sap.json'), 'utf8'),
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

/**
 * The file templates (subiekt-gt-orders-epp.json and its Optima twin optima-orders-xml.json): one name per order and
 * hand-over, and no write without first looking for an earlier file of the order. n8n's Read/Write Files node has no
 * "fail if the file exists" (its only option is Append), so the look-up is what keeps a file from being replaced.
 * The real runs are in test/e2e/subiekt-gt.e2e.test.ts and test/e2e/optima.e2e.test.ts.
 */
describe.each([
	['subiekt-gt/subiekt-gt-orders-epp.json', 'ZK', 'epp', "Write into Subiekt's import folder", 'Build EPP file (ZK)'],
	['optima/optima-orders-xml.json', 'RO', 'xml', "Write into Optima's import folder", 'Build Optima XML file (RO)'],
])('template %s: unique file names, never a replaced file', (file, prefix, ext, WRITE, BUILD) => {
	const f = JSON.parse(readFileSync(path.join(__dirname, '../../workflows-templates', file), 'utf8')) as {
		nodes: Array<Node & { executeOnce?: boolean; typeVersion: number }>;
		connections: Template['connections'];
	};
	const n = (name: string) => {
		const x = f.nodes.find((y) => y.name === name);
		if (!x) throw new Error(`no node "${name}"`);
		return x;
	};
	const out = (from: string) => (f.connections[from]?.main ?? []).map((b) => b.map((c) => `${c.node}#${c.index}`));
	const assignment = (name: string) =>
		String(
			n('Order and file name').parameters.assignments.assignments.find((a: { name: string }) => a.name === name).value,
		);
	/** an n8n expression "={{ … }}" run with $json.number (n8n's String.hash as node:crypto) and a fixed $now */
	const evaluate = (expression: string, number: string) => {
		const body = expression.replace(/^=\{\{/, '').replace(/\}\}$/, '');
		const value = Object.assign(new String(number), {
			hash: (algorithm: string) => createHash(algorithm).update(number, 'utf8').digest('hex'),
		});
		const $now = {
			toUTC: () => ({ toFormat: (pattern: string) => (pattern === 'yyyyMMdd-HHmmss' ? '20261207-031928' : '?') }),
		};
		return new Function('$json', '$now', `return (${body});`)({ number: value }, $now) as string;
	};

	it('the name: cleaned number, 8 hex of the raw number, UTC time of the run; the pattern finds every hand-over of the order', () => {
		for (const number of ['B2B/2026/000123', 'B2B/1', 'B2B_1', 'B2B 1']) {
			const stem = orderFileStem(number);
			expect(evaluate(assignment('fileName'), number)).toBe(`${prefix}_${stem}_20261207-031928.${ext}`);
			expect(evaluate(assignment('filePattern'), number)).toBe(`${prefix}_${stem}_*.${ext}`);
		}
		expect(evaluate(assignment('fileName'), 'B2B/1')).not.toBe(evaluate(assignment('fileName'), 'B2B_1'));
	});

	it('the write comes only after the import folder answered "No file(s) found" for the order; a found file is never rewritten', () => {
		const earlier = n('Earlier file of this order?');
		expect(earlier).toMatchObject({
			type: 'n8n-nodes-base.readWriteFile',
			typeVersion: 1.1,
			onError: 'continueErrorOutput',
		});
		expect(earlier.parameters).toMatchObject({ operation: 'read' });
		expect(earlier.parameters.fileSelector).toContain("$('Order and file name').item.json.filePattern");
		expect(out('One order at a time')[1]).toEqual(['Earlier file of this order?#0']);
		// found (main output) → marked handed over, no build, no write; not found (error output) → checked below
		expect(out('Earlier file of this order?')).toEqual([['Mark handed over in portal#0'], ['No earlier file?#0']]);
		expect(n('No earlier file?').parameters.conditions.conditions).toEqual([
			expect.objectContaining({
				leftValue: '={{ $json.error }}',
				rightValue: 'No file(s) found',
				operator: { type: 'string', operation: 'equals' },
			}),
		]);
		expect(out('No earlier file?')).toEqual([[`${BUILD}#0`], ['Stop: import folder unreadable#0']]);
		expect(n('Stop: import folder unreadable').type).toBe('n8n-nodes-base.stopAndError');
		expect(out(BUILD)).toEqual([[`${WRITE}#0`]]);
		// the only way into the write
		const into = Object.entries(f.connections).filter(([, c]) => c.main.flat().some((x) => x.node === WRITE));
		expect(into.map(([from]) => from)).toEqual([BUILD]);
		expect(n(WRITE).parameters).toMatchObject({ operation: 'write', options: {} }); // never Append
		expect(n(WRITE).parameters.fileName).toContain("$('Order and file name').item.json.fileName");
		// several earlier files of the order: one status update; the note names the file written or found
		expect(n('Mark handed over in portal').executeOnce).toBe(true);
		expect(n('Mark handed over in portal').parameters.reason).toContain("$json.fileName.split('/').pop()");
	});

	it('the notes explain the name, the look-up and what the import does with a second file', () => {
		const text = f.nodes
			.filter((x) => x.type === 'n8n-nodes-base.stickyNote')
			.map((x) => String(x.parameters.content))
			.join('\n');
		expect(text).toContain(`${prefix}_B2B_2026_000123_<8 hex>_<UTC yyyyMMdd-HHmmss>.${ext}`);
		expect(text).toContain('*Earlier file of this order?*');
		expect(text).toContain('No file is ever replaced');
		expect(text).toMatch(/not verified against a real (Subiekt|Optima)/);
		expect(text).not.toMatch(/overwrit/i);
	});
});
