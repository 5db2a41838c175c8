/**
 * Every order template rejects an order the pack refuses as data (a VAT rate the ERP does not take, no client code,
 * a bad quantity …) once, with the reason, while the run's other orders go on: *Reserve stock in portal* (the first
 * node that reads the order, no error output) answers `reservation.outcome` "invalid" instead of failing, and
 * *Stock held?* → *Order valid?* → *Reject: invalid order* rejects it in the portal. Before, the reservation failed
 * the whole run on every poll — one poison order blocked all others. The real run: test/e2e/sap-b1.e2e.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { calledWorkflowId } from '../fixtures/templates';

interface Node {
	name: string;
	type: string;
	onError?: string;
	position: [number, number];
	parameters: Record<string, any>;
}
interface Template {
	nodes: Node[];
	connections: Record<string, { main: Array<Array<{ node: string; index: number }>> }>;
}

const ORDER_TEMPLATES = [
	'sap-b1/sap-b1-orders.json',
	'subiekt-gt/subiekt-gt-orders-bridge.json',
	'subiekt-gt/subiekt-gt-orders-epp.json',
	'enova365/enova365-orders.json',
	'business-central/business-central-orders.json',
	'optima/optima-orders.json',
	'optima/optima-orders-xml.json',
];

const CHECK_PART = 'parts/portal-check-and-reserve-orders.json';
const CHECK_PART_ID = 'erpB2bPortalChk1';
const load = (rel: string) =>
	JSON.parse(readFileSync(path.join(__dirname, '../../workflows-templates', rel), 'utf8')) as Template;

describe.each(ORDER_TEMPLATES)('%s: an invalid order is rejected with the reason, the run goes on', (file) => {
	const main = load(file);
	const CALL = 'Check and reserve each order';
	const usesPart = main.nodes.some((n) => calledWorkflowId(n) === CHECK_PART_ID);
	// where the steps are: the portal part when the template calls it, else the template itself
	const t = usesPart ? load(CHECK_PART) : main;
	const MERGE = usesPart ? 'Every order checked' : 'All orders handled';
	const node = (name: string) => {
		const n = t.nodes.find((x) => x.name === name);
		if (!n) throw new Error(`no node "${name}"`);
		return n;
	};
	const branches = (from: string) => (t.connections[from]?.main ?? []).map((b) => b.map((c) => `${c.node}#${c.index}`));

	it('the reservation is the first node that reads the order and has no error output: it answers "invalid" instead', () => {
		if (usesPart) {
			// every trigger reaches the part's call first; the part starts with the reservation
			const into = Object.values(main.connections)
				.flatMap((c) => c.main.flat())
				.filter((c) => c.node === CALL);
			// the webhook and the poll's "Same shape as webhook"; the file templates poll only ("Order and file name")
			const webhook = main.nodes.some((n) => n.type === 'n8n-nodes-erp-b2b.b2bPortalTrigger');
			expect(into).toHaveLength(webhook ? 2 : 1);
			expect(main.nodes.some((n) => n.name === 'Reserve stock in portal')).toBe(false);
			expect(t.connections['Orders from the main workflow'].main).toEqual([
				[expect.objectContaining({ node: 'Reserve stock in portal' })],
			]);
		}
		const reserve = node('Reserve stock in portal');
		expect(reserve.parameters).toMatchObject({ resource: 'stock', operation: 'reserve', orderField: 'order' });
		expect(reserve.onError).toBeUndefined();
		expect(branches('Reserve stock in portal')).toEqual([['Stock held?#0']]);
	});

	it('Stock held? (no) → Order valid?: outcome "invalid" → Reject: invalid order, else → Out of stock? as before', () => {
		expect(branches('Stock held?')[1]).toEqual(['Order valid?#0']);
		const valid = node('Order valid?');
		expect(valid.type).toBe('n8n-nodes-base.if');
		expect(valid.parameters.conditions.conditions).toEqual([
			expect.objectContaining({
				leftValue: '={{ $json.reservation.outcome }}',
				rightValue: 'invalid',
				operator: { type: 'string', operation: 'notEquals' },
			}),
		]);
		expect(branches('Order valid?')).toEqual([['Out of stock?#0'], ['Reject: invalid order#0']]);
		expect(node('Out of stock?').parameters.conditions.conditions).toEqual([
			expect.objectContaining({ leftValue: '={{ $json.reservation.outcome }}', rightValue: 'insufficient' }),
		]);
	});

	it('Reject: invalid order rejects it in the portal with the reservation’s reason, then joins the other orders', () => {
		const reject = node('Reject: invalid order');
		expect(reject).toMatchObject({
			type: 'n8n-nodes-erp-b2b.b2bPortal',
			parameters: {
				resource: 'order',
				operation: 'updateStatus',
				source: 'fields',
				orderNumber: '={{ $json.reservation.orderNumber }}',
				status: 'rejected',
				reason: '={{ $json.reservation.reason }}',
			},
		});
		expect(reject.onError).toBeUndefined(); // the portal down → the run fails; the order stays placed, tried again
		const merge = node(MERGE);
		const [into] = branches('Reject: invalid order');
		expect(into).toHaveLength(1);
		expect(into[0]).toMatch(new RegExp(`^${MERGE}#\\d+$`));
		const index = Number(into[0].split('#')[1]);
		expect(index).toBe(merge.parameters.numberInputs - 1);
		// no other node feeds that input of the merge
		const feeding = Object.values(t.connections)
			.flatMap((c) => c.main.flat())
			.filter((c) => c.node === MERGE && c.index === index);
		expect(feeding).toHaveLength(1);
	});

	it('the run record counts it as rejected and as invalid; the sticky note says what happens', () => {
		const counts = String(main.nodes.find((n) => n.name === 'Record run')!.parameters.counts);
		const inv = usesPart
			? `($('${CALL}').isExecuted ? $('${CALL}').all().filter((i) => i.json.portalCheck === 'rejected' && i.json.reservation.outcome === 'invalid').length : 0)`
			: "($('Reject: invalid order').isExecuted ? $('Reject: invalid order').all().length : 0)";
		// through the part: every order it rejected (invalid or not in stock) counts as rejected
		expect(counts).toContain(
			usesPart
				? `"rejected": ($('${CALL}').isExecuted ? $('${CALL}').all().filter((i) => i.json.portalCheck === 'rejected').length : 0) + `
				: `"rejected": ${inv} + `,
		);
		expect(counts).toContain(`"invalid": ${inv}`);
		if (counts.includes('"handedOver"'))
			expect(counts).toMatch(
				usesPart
					? /"handedOver": \(\$\('Hand over each order \((EPP|XML) file\)'\)\.isExecuted \? \$\('Hand over each order \((EPP|XML) file\)'\)\.all\(\)\.length : 0\)/
					: new RegExp(`\\.length - ${inv.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} - `),
			);
		const note = String(node('Stock reservation').parameters.content);
		expect(note).toContain('*Order valid?*');
		expect(note).toContain('*Reject: invalid order*');
		expect(note).toContain('stawka VAT 22 nie jest obsługiwana przez ERP');
		expect(note).toContain('Allowed VAT Rates');
	});
});
