/**
 * Static checks of the Business Central order-side templates (workflows-templates/business-central/): orders (with
 * its part parts/business-central-order-into-bc.json), order status and invoices. Each is its SAP twin
 * (workflows-templates/sap-b1/) with the Business Central node in place of SAP's — the same node names for the same
 * steps ("SAP" → "Business Central"), triggers, sticky notes, positions and wiring, the same shared portal part — so
 * a consultant who set up SAP's sets these up without reading the notes. What is Business Central's own is pinned
 * here: the node's parameters exist in its description (n8n drops an unknown name without a word), credentials are
 * named by type only, the sales order is claimed and created by the part with the SAP part's refusal branch, the
 * invoices' PDF goes to the portal under the binary property the upload reads, and the notes name the field that
 * ties a BC document to the portal order (External Document No.). The real runs: test/e2e/business-central-orders.e2e.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { INodeProperties } from 'n8n-workflow';
import { BusinessCentral } from '../../nodes/BusinessCentral/BusinessCentral.node';
import { inputsFed } from '../fixtures/templates';

interface Node {
	name: string;
	type: string;
	onError?: string;
	alwaysOutputData?: boolean;
	parameters: Record<string, any>;
	credentials?: Record<string, { id: string; name: string }>;
	position: [number, number];
}
interface Template {
	id?: string;
	name: string;
	nodes: Node[];
	connections: Record<string, { main: Array<Array<{ node: string; index: number }>> }>;
	settings: Record<string, unknown>;
}
const ROOT = path.join(__dirname, '../../workflows-templates');
const load = (file: string) => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as Template;
const FLOWS = ['orders', 'order-status', 'invoices'];
const BC = 'n8n-nodes-erp-b2b.businessCentral';
const SAP = 'n8n-nodes-erp-b2b.sapB1';
const PROPS = new BusinessCentral().description.properties;
const BC_CRED = { businessCentralApi: { id: '', name: 'Business Central account' } };
const PORTAL_CRED = { b2bPortalApi: { id: '', name: 'B2B Portal account' } };
const PART_FILE = 'business-central/parts/business-central-order-into-bc.json';
const CALL = 'Create each order in Business Central';
const CREATE = 'Create sales order in Business Central';

/** SAP's node name → Business Central's: the ERP's word changes, the step's name does not. */
const bcName = (sap: string) =>
	(({ 'Create sales order in SAP': CREATE }) as Record<string, string>)[sap] ??
	sap.replaceAll('SAP', 'Business Central');

/** SAP's wiring with every node name as the Business Central twin names it. */
const renamedConnections = (c: Template['connections']) =>
	Object.fromEntries(
		Object.entries(c).map(([from, v]) => [
			bcName(from),
			{ main: v.main.map((out) => out.map((x) => ({ ...x, node: bcName(x.node) }))) },
		]),
	);

function shown(prop: INodeProperties, params: Record<string, unknown>): boolean {
	for (const [key, allowed] of Object.entries(prop.displayOptions?.show ?? {})) {
		if (key.startsWith('@') || !(key in params)) continue;
		if (!(allowed as unknown[]).includes(params[key])) return false;
	}
	return true;
}

const nodeIn = (w: Template, name: string) => {
	const n = w.nodes.find((x) => x.name === name);
	if (!n) throw new Error(`no node "${name}"`);
	return n;
};
const notesOf = (w: Template) =>
	w.nodes
		.filter((n) => n.type === 'n8n-nodes-base.stickyNote')
		.map((n) => String(n.parameters.content))
		.join('\n');

/** The SAP twin and the BC file, as [sap, bc], with the same node-by-node checks for main templates and the part. */
function expectTwin(t: Template, sap: Template) {
	expect(t.nodes.map((n) => n.name).sort()).toEqual(sap.nodes.map((n) => bcName(n.name)).sort());
	expect(t.connections).toEqual(renamedConnections(sap.connections));
	for (const n of sap.nodes) {
		const mine = nodeIn(t, bcName(n.name));
		expect([mine.name, mine.position, mine.onError, mine.alwaysOutputData]).toEqual([
			mine.name,
			n.position,
			n.onError,
			n.alwaysOutputData,
		]);
		expect([mine.name, mine.type]).toEqual([mine.name, n.type === SAP ? BC : n.type]);
		// every step but the ERP's keeps SAP's settings (ids aside: a copy must not share them)
		if (n.type !== SAP && n.type !== 'n8n-nodes-base.stickyNote') {
			const strip = (x: Node) =>
				JSON.stringify(x.parameters)
					.replace(/"id":"[^"]*"/g, '')
					.replaceAll('SAP', 'Business Central')
					.replace('refusedBySap', 'refusedByBusinessCentral')
					.replace(/erpB2bSapOrder01/g, 'erpB2bBcOrder001')
					.replace(/sap-b1/g, 'business-central');
			expect([mine.name, strip(mine)]).toEqual([mine.name, strip({ ...n, parameters: n.parameters })]);
		}
	}
	expect(t.settings).toEqual(sap.settings);
	expect(JSON.stringify(t)).not.toMatch(/SAP|sapB1|NumAtCard/);
	// no id shared with the SAP file: two imported templates must not share node (or webhook) ids
	const ids = (w: Template) => w.nodes.map((n) => (n as unknown as { id: string }).id);
	expect(ids(t).filter((id) => ids(sap).includes(id))).toEqual([]);
}

describe.each(FLOWS)(
	'business-central/business-central-%s.json: the SAP twin with the Business Central node',
	(flow) => {
		const t = load(`business-central/business-central-${flow}.json`);
		const sap = load(`sap-b1/sap-b1-${flow}.json`);

		it('has the SAP template’s nodes (renamed), wiring, positions, settings and step parameters', () => {
			expectTwin(t, sap);
			expect(t.settings).toEqual({ executionOrder: 'v1', errorWorkflow: '' });
			const hook = t.nodes.find((n) => n.type === 'n8n-nodes-erp-b2b.b2bPortalTrigger') as { webhookId?: string };
			const sapHook = sap.nodes.find((n) => n.type === 'n8n-nodes-erp-b2b.b2bPortalTrigger') as { webhookId?: string };
			if (sapHook) expect(hook?.webhookId).toMatch(/^[0-9a-f-]{36}$/);
			if (sapHook) expect(hook.webhookId).not.toBe(sapHook.webhookId); // its own webhook path
		});

		it('Business Central nodes: parameters the node knows, the same cursor mode as SAP, credentials by type only', () => {
			const nodes = t.nodes.filter((n) => n.type === BC);
			expect(nodes.length).toBeGreaterThan(0);
			for (const n of nodes) {
				for (const key of Object.keys(n.parameters))
					expect([n.name, key, PROPS.some((p) => p.name === key && shown(p, n.parameters))]).toEqual([
						n.name,
						key,
						true,
					]);
				expect(n.credentials).toEqual(BC_CRED);
				const twin = sap.nodes.find((x) => bcName(x.name) === n.name)!;
				expect(n.parameters.cursorMode).toBe(twin.parameters.cursorMode);
				expect([n.parameters.resource, n.parameters.operation]).toEqual([
					twin.parameters.resource,
					twin.parameters.operation,
				]);
			}
			for (const n of t.nodes.filter((x) => x.credentials?.b2bPortalApi)) expect(n.credentials).toEqual(PORTAL_CRED);
			expect(nodeIn(t, 'Record run').parameters.flow).toBe(`business-central ${flow}`);
		});
	},
);

describe('business-central/business-central-orders.json: check and reserve, price check, then the part', () => {
	const main = load('business-central/business-central-orders.json');
	const part = load(PART_FILE);
	const sapPart = load('sap-b1/parts/sap-b1-order-into-sap.json');
	const node = (name: string) => nodeIn(part, name);
	const branches = (from: string, w = part) =>
		(w.connections[from]?.main ?? []).map((b) => b.map((c) => `${c.node}#${c.index}`));
	function pathsTo(from: string, target: string, w = part, seen: string[] = []): string[][] {
		if (from === target) return [[...seen, from]];
		if (seen.includes(from)) return [];
		return (w.connections[from]?.main ?? []).flat().flatMap((c) => pathsTo(c.node, target, w, [...seen, from]));
	}

	it('every way to the sales order: the portal part, the price check in Business Central, the claim — nothing in between', () => {
		expect(nodeIn(main, 'Check and reserve each order').parameters.workflowId.value).toBe('erpB2bPortalChk1');
		expect(nodeIn(main, 'Check prices in Business Central').parameters).toMatchObject({
			resource: 'order',
			operation: 'checkPrices',
			orderField: 'order',
			toleranceAmount: '0.00',
			tolerancePercent: 0,
		});
		const triggers = main.nodes.filter((n) => /Trigger$/i.test(n.type)).map((n) => n.name);
		expect(triggers).toHaveLength(3);
		const paths = triggers.flatMap((tr) => pathsTo(tr, CALL, main));
		expect(paths.length).toBeGreaterThanOrEqual(3);
		for (const p of paths) {
			expect(p.indexOf('Check and reserve each order')).toBeGreaterThan(-1);
			expect(p.indexOf('Stock held?')).toBe(p.indexOf('Check and reserve each order') + 1);
			expect(p.indexOf('Check prices in Business Central')).toBe(p.indexOf('Stock held?') + 1);
			expect(p.indexOf('Prices match Business Central?')).toBe(p.length - 2);
		}
		// a price Business Central does not charge: rejected in the portal with the check's reason, never claimed
		expect(branches('Prices match Business Central?', main)).toEqual([[`${CALL}#0`], ['Reject order in portal#0']]);
		expect(nodeIn(main, 'Reject order in portal').parameters).toMatchObject({
			operation: 'updateStatus',
			status: 'rejected',
			reason: '={{ $json.priceCheck.reason }}',
		});
		expect(nodeIn(main, CALL).parameters.workflowId).toMatchObject({ value: part.id, cachedResultName: part.name });
		expect(part.id).toBe('erpB2bBcOrder001');
		expect(pathsTo('Orders from the main workflow', CREATE)).toEqual([
			['Orders from the main workflow', 'Claim order in portal', 'Claimed by this run?', CREATE],
		]);
	});

	it('the part is the SAP part with the Business Central node; the create renews the claim and sends the checked prices', () => {
		expectTwin(part, sapPart);
		expect(node('Claim order in portal').parameters).toMatchObject({ leaseSeconds: 300, maxAttempts: 5 });
		const create = node(CREATE);
		expect(create.onError).toBe('continueErrorOutput');
		expect(create.parameters).toMatchObject({ resource: 'order', operation: 'create', orderField: 'order' });
		expect(create.parameters.renewClaim).toBe(true);
		for (const key of Object.keys(create.parameters))
			expect([key, PROPS.some((p) => p.name === key && shown(p, create.parameters))]).toEqual([key, true]);
		// the lines carry the prices "Check prices in Business Central" just accepted (the part runs after it)
		expect(create.parameters.sendPrices).toBe(true);
		// the sales order renews the order's portal claim while BC works: it needs the portal account too
		expect(create.credentials).toEqual({ ...BC_CRED, ...PORTAL_CRED });
	});

	it("Business Central's refusal decides with the SAP part's expressions; the run record counts what BC refused", () => {
		expect(branches(CREATE)).toEqual([["Claim still this run's?#0"], ['Try Business Central again later?#0']]);
		expect(node('Try Business Central again later?').parameters.conditions.conditions[0].leftValue).toBe(
			nodeIn(sapPart, 'Try SAP again later?').parameters.conditions.conditions[0].leftValue,
		);
		expect(node('Reject: Business Central refused').parameters.reason).toBe(
			nodeIn(sapPart, 'Reject: SAP refused').parameters.reason,
		);
		expect(pathsTo(CALL, 'Stop: Business Central refused an order', main).length).toBeGreaterThan(0);
		expect(nodeIn(main, 'Stop: Business Central refused an order').parameters.errorMessage).toContain(
			"'Business Central did not take portal order ' + $json.order.number",
		);
		expect(nodeIn(main, 'Record run').parameters.counts).toContain(
			`"refusedByBusinessCentral": ($('${CALL}').isExecuted ? $('${CALL}').all().filter((i) => i.json.outcome === 'rejected' || i.json.outcome === 'givenUp').length : 0)`,
		);
		for (const [w, name] of [
			[main, 'All orders handled'],
			[part, 'Every order handled'],
		] as const)
			expect(inputsFed(w, name)).toEqual(Array.from({ length: nodeIn(w, name).parameters.numberInputs }, (_, i) => i));
	});

	it("the notes say Business Central's facts: the portal number in External Document No., found again, never twice", () => {
		expect(notesOf(main)).toContain('*External Document No.* = the portal number');
		expect(notesOf(main)).toMatch(/price group|quantity break/);
		expect(notesOf(main)).toContain('docs/business-central-orders.md');
		const one = String(node('One run per order').parameters.content);
		expect(one).toContain('(*External Document No.*) is then found and confirmed, never created twice');
		expect(one).toContain('renews the claim');
		expect(notesOf(part)).toContain(`*${CREATE}* → *`);
	});
});

describe('business-central/business-central-order-status.json and -invoices.json', () => {
	const status = load('business-central/business-central-order-status.json');
	const invoices = load('business-central/business-central-invoices.json');

	it('statuses: changed since the last run (stored cursor, loaded first), only portal numbers, sent as items', () => {
		const read = nodeIn(status, 'Business Central: order statuses changed since last run');
		expect(read.parameters).toMatchObject({ resource: 'order', operation: 'getStatusChanges', cursorMode: 'stored' });
		expect(read.alwaysOutputData).toBe(true); // nothing changed still reaches Record run (the heartbeat)
		expect(nodeIn(status, 'Portal order?').parameters.conditions.conditions).toEqual([
			expect.objectContaining({ leftValue: '={{ $json.orderNumber }}', rightValue: 'B2B/' }),
		]);
		expect(nodeIn(status, 'Update statuses in portal').parameters).toMatchObject({
			operation: 'updateStatus',
			source: 'items',
		});
		expect(notesOf(status)).toMatch(/\*External Document No\.\*/);
		expect(notesOf(status)).toContain('whether *Draft*, *In Review* or *Open*');
	});

	it('invoices: the PDF read from Business Central is uploaded under the binary property the portal node reads', () => {
		const read = nodeIn(invoices, 'Business Central: invoices with PDF');
		expect(read.parameters).toMatchObject({
			resource: 'invoice',
			operation: 'getMany',
			cursorMode: 'stored',
			downloadPdf: true,
		});
		const upload = nodeIn(invoices, 'Upload invoice to portal');
		expect(upload.parameters).toMatchObject({ resource: 'invoice', operation: 'upload' });
		expect(read.parameters.binaryPropertyName).toBe(upload.parameters.binaryPropertyName);
		expect(notesOf(invoices)).toContain('*pdfDocument*');
		expect(notesOf(invoices)).toMatch(/\*External Document No\.\* starts with `B2B\/`/);
	});
});
