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
import { partsCalledBy } from '../fixtures/templates';

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
const load = (rel: string) =>
	JSON.parse(readFileSync(path.join(__dirname, '../../workflows-templates', rel), 'utf8')) as Template;
const main = load('subiekt-gt/subiekt-gt-orders-bridge.json');
const part = load('subiekt-gt/parts/subiekt-gt-order-through-bridge.json');
/** a node of the main canvas or of the bridge part (names are unique across both) */
const node = (name: string) => {
	const n = [...main.nodes, ...part.nodes].find((x) => x.name === name);
	if (!n) throw new Error(`no node "${name}"`);
	return n;
};
const wiresOf = (name: string) => main.connections[name] ?? part.connections[name];
const branches = (from: string) => (wiresOf(from)?.main ?? []).map((b) => b.map((c) => `${c.node}#${c.index}`));
function pathsTo(w: Template, from: string, target: string, seen: string[] = []): string[][] {
	if (from === target) return [[...seen, from]];
	if (seen.includes(from)) return [];
	return (w.connections[from]?.main ?? []).flat().flatMap((c) => pathsTo(w, c.node, target, [...seen, from]));
}
const CREATE = 'Create ZK in Subiekt';
const CALL = 'Create each order in Subiekt';
/** evaluates an n8n "={{ … }}" expression where $('<node>') gives the items `ran[node]` (a node not in it did not run) */
function evaluate(expression: string, ran: Record<string, Array<Record<string, unknown>>>) {
	const body = expression.replace(/^=\{\{/, '').replace(/\}\}$/, '');
	const $ = (name: string) => {
		if (!(name in ran) && ![...main.nodes].some((n) => n.name === name))
			throw new Error(`reads node "${name}", which is not on the main canvas`);
		return { isExecuted: name in ran, all: () => (ran[name] ?? []).map((json) => ({ json })) };
	};
	return new Function('$', `return (${body});`)($) as Record<string, number>;
}

describe('template subiekt-gt/subiekt-gt-orders-bridge.json: claim, then the refusal branch of the SAP template', () => {
	it('main canvas: every trigger reaches the bridge part only through the portal check and reserve, held orders only', () => {
		expect(partsCalledBy(main).map((p) => p.rel)).toEqual([
			'parts/portal-check-and-reserve-orders.json',
			'subiekt-gt/parts/subiekt-gt-order-through-bridge.json',
		]);
		const triggers = main.nodes.filter((n) => /Trigger$/i.test(n.type)).map((n) => n.name);
		const paths = triggers.flatMap((tr) => pathsTo(main, tr, CALL));
		expect(paths.length).toBeGreaterThanOrEqual(3);
		for (const p of paths) expect(p.slice(-3)).toEqual(['Check and reserve each order', 'Stock held?', CALL]);
		expect(node('Stock held?').parameters.conditions.conditions).toEqual([
			expect.objectContaining({ leftValue: '={{ $json.portalCheck }}', rightValue: 'held' }),
		]);
		expect(branches('Stock held?')).toEqual([[`${CALL}#0`], [expect.stringMatching(/^All orders handled#/)]]);
	});

	it('the part: the claim (Max Attempts 5) comes first, the ZK only for a claim this run holds', () => {
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
		expect(pathsTo(part, 'Orders from the main workflow', CREATE)).toEqual([
			['Orders from the main workflow', 'Claim order in portal', 'Claimed by this run?', CREATE],
		]);
		expect(branches('Claimed by this run?')).toEqual([[`${CREATE}#0`], ['Every order handled#1']]);
	});

	it("no refusal is matched by its text any more: the create's refusal decides, with the SAP template's expressions", () => {
		const sap = load('sap-b1/sap-b1-orders.json');
		const sapParts = [sap, ...partsCalledBy(sap).map((p) => p.workflow as Template)];
		const sapNode = (name: string) => sapParts.flatMap((w) => w.nodes).find((n) => n.name === name)!;
		expect(JSON.stringify([main, part])).not.toContain('HTTP 422');
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
		// the part says what happened to each order as the SAP part does: the alerts name theirs, the last node the rest
		const outcomeSet = (name: string) =>
			node(name).parameters.assignments.assignments.find((a: { name: string }) => a.name === 'outcome')?.value;
		expect(outcomeSet('Alert: order given up')).toBe('givenUp');
		expect(outcomeSet('Alert: claim lost')).toBe('claimLost');
		const sapPart = load('sap-b1/parts/sap-b1-order-into-sap.json');
		const what = (w: Template) =>
			w.nodes.find((n) => n.name === 'What happened to each order')!.parameters.assignments.assignments[0].value;
		expect(what(part)).toBe(what(sapPart));
		expect(branches('Every order handled')).toEqual([['What happened to each order#0']]);
		expect(String(node('Alert: order given up').parameters.assignments.assignments[2].value)).toContain(
			'Subiekt did not take it',
		);
		// the part's answers reach the run's stop on the main canvas
		expect(pathsTo(part, 'Alert: order given up', 'What happened to each order').length).toBe(1);
		expect(branches(CALL)).toEqual([['All orders handled#0']]);
		expect(pathsTo(main, CALL, 'Stop: Subiekt refused an order').length).toBeGreaterThan(0);
		expect(String(node('Stop: Subiekt refused an order').parameters.errorMessage)).toContain('$json.alert');
	});

	it('Record run counts what the two parts gave back: the same counts as when their steps were on the main canvas', () => {
		const counts = node('Record run').parameters.counts as string;
		const reserved = (outcome: string, portalCheck: string) => ({ order: {}, reservation: { outcome }, portalCheck });
		const ran = {
			'Check and reserve each order': [
				reserved('held', 'held'),
				reserved('held', 'held'),
				reserved('held', 'held'),
				reserved('held', 'held'),
				reserved('held', 'held'),
				reserved('held', 'held'),
				reserved('invalid', 'rejected'),
				reserved('insufficient', 'rejected'),
				reserved('insufficient', 'rejected'),
				reserved('released', 'released'),
			],
			// what the part's last node says happened to each order
			[CALL]: [
				{ number: 'B2B/2026/000001', status: 'confirmed', outcome: 'confirmed' },
				{ order: {}, claim: { status: 'claimed' }, error: 'HTTP 409', outcome: 'retryLater' },
				{ order: {}, claim: { status: 'busy' }, outcome: 'skipped' },
				{ order: {}, claim: { status: 'done' }, outcome: 'skipped' },
				{ entity: 'orderStatus', key: 'B2B/2026/000004', outcome: 'rejected' },
				{ order: {}, error: 'x', alert: 'y', outcome: 'givenUp' },
				{ order: {}, claim: { status: 'lost' }, error: 'x', alert: 'y', outcome: 'claimLost' },
			],
		};
		expect(evaluate(counts, ran)).toEqual({
			confirmed: 1,
			rejected: 5,
			invalid: 1,
			outOfStock: 2,
			refusedBySubiekt: 2,
			skipped: 2,
		});
		// no order: neither part ran
		expect(evaluate(counts, {})).toEqual({
			confirmed: 0,
			rejected: 0,
			invalid: 0,
			outOfStock: 0,
			refusedBySubiekt: 0,
			skipped: 0,
		});
	});

	it('every input of each merge is fed exactly once; the notes explain the claim, the attempts and the 422 as the check', () => {
		for (const [w, name] of [
			[main, 'All orders handled'],
			[part, 'Every order handled'],
		] as const) {
			const merge = w.nodes.find((n) => n.name === name)!;
			const inputs = Object.values(w.connections)
				.flatMap((c) => c.main.flat())
				.filter((c) => c.node === merge.name)
				.map((c) => c.index)
				.sort((a, b) => a - b);
			expect(inputs).toEqual(Array.from({ length: merge.parameters.numberInputs }, (_, i) => i));
		}
		const notes = [...main.nodes, ...part.nodes]
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
	[
		'subiekt-gt/subiekt-gt-orders-epp.json',
		'ZK',
		'epp',
		"Write into Subiekt's import folder",
		'Build EPP file (ZK)',
		'Subiekt',
	],
	[
		'optima/optima-orders-xml.json',
		'RO',
		'xml',
		"Write into Optima's import folder",
		'Build Optima XML file (RO)',
		'Optima',
	],
])('template %s: unique file names, never a replaced file', (file, prefix, ext, WRITE, BUILD, ERP) => {
	type FileNode = Node & { executeOnce?: boolean; typeVersion: number };
	const main = load(file) as unknown as { nodes: FileNode[]; connections: Template['connections'] };
	const HAND_OVER = `Hand over each order (${ext.toUpperCase()} file)`;
	// the hand-over steps are a part the main canvas calls (its node names are its own)
	const [, handOver] = partsCalledBy(main).map((p) => p.workflow as unknown as typeof main);
	const f = {
		nodes: [...main.nodes, ...handOver.nodes],
		connections: { ...main.connections, ...handOver.connections },
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
		// the fields of *Order and file name* (main canvas) reach the part with each order: its trigger passes them on
		expect(earlier.parameters.fileSelector).toContain("$('Orders from the main workflow').item.json.filePattern");
		expect(n('Orders from the main workflow').parameters.inputSource).toBe('passthrough');
		expect(out('Orders from the main workflow')).toEqual([['One order at a time#0']]);
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
		expect(n(WRITE).parameters.fileName).toContain("$('Orders from the main workflow').item.json.fileName");
		// the main canvas: the part only for orders the portal holds and the ERP would take
		expect(out('Stock held?')).toEqual([[`Check order in ${ERP}#0`], ['All orders handled#2']]);
		expect(out(`${ERP} sells this order?`)).toEqual([[`${HAND_OVER}#0`], [`Reject: ${ERP} would refuse#0`]]);
		expect(out('Order and file name')).toEqual([['Check and reserve each order#0']]);
		// several earlier files of the order: one status update; the note names the file written or found
		expect(n('Mark handed over in portal').executeOnce).toBe(true);
		expect(n('Mark handed over in portal').parameters.reason).toContain("$json.fileName.split('/').pop()");
	});

	it('Record run counts what the two parts gave back: the same counts as when their steps were on the main canvas', () => {
		const ran: Record<string, Array<Record<string, unknown>>> = {
			'Check and reserve each order': [
				{ portalCheck: 'held', reservation: { outcome: 'held' } },
				{ portalCheck: 'held', reservation: { outcome: 'held' } },
				{ portalCheck: 'held', reservation: { outcome: 'held' } },
				{ portalCheck: 'rejected', reservation: { outcome: 'invalid' } },
				{ portalCheck: 'rejected', reservation: { outcome: 'insufficient' } },
				{ portalCheck: 'released', reservation: { outcome: 'released' } },
			],
			[`Reject: ${ERP} would refuse`]: [{ entity: 'orderStatus', key: 'B2B/2026/000003', action: 'updated' }],
			// Mark handed over in portal, once per order
			[HAND_OVER]: [
				{ entity: 'orderStatus', key: 'B2B/2026/000001', action: 'updated' },
				{ entity: 'orderStatus', key: 'B2B/2026/000002', action: 'updated' },
			],
		};
		const $ = (name: string) => {
			if (!main.nodes.some((x) => x.name === name)) throw new Error(`reads node "${name}", not on the main canvas`);
			return { isExecuted: name in ran, all: () => (ran[name] ?? []).map((json) => ({ json })) };
		};
		const body = String(n('Record run').parameters.counts).replace(/^=\{\{|\}\}$/g, '');
		const counts = new Function('$', `return (${body});`)($) as Record<string, number>;
		expect(counts).toEqual({
			handedOver: 2,
			rejected: 3,
			invalid: 1,
			outOfStock: 1,
			[`refusedBy${ERP}`]: 1,
		});
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
