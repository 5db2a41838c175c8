/**
 * Static checks of workflows-templates/enova365/: every template is its SAP twin (workflows-templates/sap-b1/) with
 * the enova365 node in place of SAP's — the same node names for the same steps, the same triggers, sticky notes and
 * wiring — so a consultant who set up one sets up the other without reading the notes. Every enova365 node's
 * parameters exist in the node's description (an unknown name would be dropped by n8n without a word), the
 * credentials are named by type only, and the orders template has the SAP template's claim and refusal branch
 * ("Try enova365 again later?", Max Attempts 5). The real runs are in test/e2e/enova365.e2e.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { INodeProperties } from 'n8n-workflow';
import { Enova365 } from '../../nodes/Enova365/Enova365.node';
import { inputsFed } from '../fixtures/templates';

interface Node {
	name: string;
	type: string;
	onError?: string;
	parameters: Record<string, any>;
	credentials?: Record<string, { id: string; name: string }>;
	position: [number, number];
}
interface Template {
	name: string;
	nodes: Node[];
	connections: Record<string, { main: Array<Array<{ node: string; index: number }>> }>;
	settings: Record<string, unknown>;
}
const ROOT = path.join(__dirname, '../../workflows-templates');
const load = (file: string) => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as Template;
const FLOWS = ['products', 'prices', 'stock', 'clients', 'orders', 'order-status', 'invoices'];
const ENOVA = 'n8n-nodes-erp-b2b.enova365';
const PROPS = new Enova365().description.properties;

/** SAP's node name → enova's: the ERP's word changes, the step's name does not. */
const enovaName = (sap: string) =>
	(
		({
			'SAP: all items': 'enova365: all products',
			'SAP: items changed since last run': 'enova365: products changed since last run',
			'Every night at 2:00 (all items)': 'Every night at 2:00 (all products)',
			'SAP: all customers': 'enova365: all clients',
			'Create sales order in SAP': 'Create ZO in enova365',
		}) as Record<string, string>
	)[sap] ?? sap.replace(/^SAP:/, 'enova365:').replaceAll('SAP', 'enova365');

/** SAP's wiring with every node name as the enova365 twin names it. */
const renamedConnections = (c: Template['connections']) =>
	Object.fromEntries(
		Object.entries(c).map(([from, v]) => [
			enovaName(from),
			{ main: v.main.map((out) => out.map((x) => ({ ...x, node: enovaName(x.node) }))) },
		]),
	);

function shown(prop: INodeProperties, params: Record<string, unknown>): boolean {
	for (const [key, allowed] of Object.entries(prop.displayOptions?.show ?? {})) {
		if (key.startsWith('@') || !(key in params)) continue;
		if (!(allowed as unknown[]).includes(params[key])) return false;
	}
	return true;
}

describe.each(FLOWS)('enova365/enova365-%s.json: the SAP twin with the enova365 node', (flow) => {
	const t = load(`enova365/enova365-${flow}.json`);
	const sap = load(`sap-b1/sap-b1-${flow}.json`);

	it('has the SAP template’s nodes (renamed for enova365), wiring, positions and settings', () => {
		expect(t.nodes.map((n) => n.name).sort()).toEqual(sap.nodes.map((n) => enovaName(n.name)).sort());
		expect(t.connections).toEqual(renamedConnections(sap.connections));
		for (const n of sap.nodes) {
			const mine = t.nodes.find((x) => x.name === enovaName(n.name))!;
			expect({ name: mine.name, position: mine.position, onError: mine.onError }).toEqual({
				name: mine.name,
				position: n.position,
				onError: n.onError,
			});
			if (n.type !== 'n8n-nodes-erp-b2b.sapB1') expect(mine.type).toBe(n.type);
			else expect(mine.type).toBe(ENOVA);
		}
		expect(t.settings).toEqual({ executionOrder: 'v1', errorWorkflow: '' });
		expect(JSON.stringify(t)).not.toMatch(/SAP|sapB1/);
	});

	it('enova365 nodes: parameters the node knows, the same cursor mode as SAP, credentials by type only', () => {
		const nodes = t.nodes.filter((n) => n.type === ENOVA);
		expect(nodes.length).toBeGreaterThan(0);
		for (const n of nodes) {
			for (const key of Object.keys(n.parameters))
				expect([n.name, key, PROPS.some((p) => p.name === key && shown(p, n.parameters))]).toEqual([n.name, key, true]);
			// the ZO create renews the order's portal claim while enova365 works: it needs the portal account too
			expect(n.credentials).toEqual({
				enova365Api: { id: '', name: 'enova365 account' },
				...(n.parameters.operation === 'create' ? { b2bPortalApi: { id: '', name: 'B2B Portal account' } } : {}),
			});
			const twin = sap.nodes.find((x) => enovaName(x.name) === n.name)!;
			expect(n.parameters.cursorMode).toBe(twin.parameters.cursorMode);
		}
		for (const n of t.nodes.filter((x) => x.credentials?.b2bPortalApi && x.type !== ENOVA))
			expect(n.credentials).toEqual({ b2bPortalApi: { id: '', name: 'B2B Portal account' } });
		const record = t.nodes.find((n) => n.name === 'Record run')!;
		expect(record.parameters.flow).toBe(`enova365 ${flow}`);
	});
});

describe('enova365/enova365-orders.json: claim, then the SAP template’s refusal branch (in its part)', () => {
	const main = load('enova365/enova365-orders.json');
	const t = load('enova365/parts/enova365-order-into-enova365.json');
	const sap = load('sap-b1/parts/sap-b1-order-into-sap.json');
	const CALL = 'Create each order in enova365';
	const nodeIn = (w: Template, name: string) => {
		const n = w.nodes.find((x) => x.name === name);
		if (!n) throw new Error(`no node "${name}"`);
		return n;
	};
	const node = (name: string) => nodeIn(t, name);
	const sapNode = (name: string) => sap.nodes.find((n) => n.name === name)!;
	const branches = (from: string, w = t) =>
		(w.connections[from]?.main ?? []).map((b) => b.map((c) => `${c.node}#${c.index}`));
	function pathsTo(from: string, target: string, w = t, seen: string[] = []): string[][] {
		if (from === target) return [[...seen, from]];
		if (seen.includes(from)) return [];
		return (w.connections[from]?.main ?? []).flat().flatMap((c) => pathsTo(c.node, target, w, [...seen, from]));
	}
	const CREATE = 'Create ZO in enova365';

	it('every way to the ZO: stock reservation, price check in enova365, claim (Max Attempts 5), nothing in between', () => {
		expect(node('Claim order in portal').parameters).toMatchObject({
			operation: 'claim',
			leaseSeconds: 300,
			maxAttempts: 5,
		});
		expect(nodeIn(main, 'Check prices in enova365').parameters).toMatchObject({
			resource: 'order',
			operation: 'checkPrices',
		});
		expect(node(CREATE).parameters).toMatchObject({ resource: 'order', operation: 'create', orderField: 'order' });
		const triggers = main.nodes.filter((n) => /Trigger$/i.test(n.type)).map((n) => n.name);
		expect(triggers).toHaveLength(3);
		const paths = triggers.flatMap((tr) => pathsTo(tr, CALL, main));
		expect(paths.length).toBeGreaterThanOrEqual(3);
		for (const p of paths) {
			expect(p.indexOf('Check and reserve each order')).toBeGreaterThan(-1);
			expect(p.indexOf('Check prices in enova365')).toBeGreaterThan(p.indexOf('Check and reserve each order'));
			expect(p.indexOf('Prices match enova365?')).toBe(p.length - 2);
		}
		expect(nodeIn(main, CALL).parameters.workflowId.value).toBe((t as unknown as { id: string }).id);
		expect(pathsTo('Orders from the main workflow', CREATE)).toEqual([
			['Orders from the main workflow', 'Claim order in portal', 'Claimed by this run?', CREATE],
		]);
	});

	it("enova365's refusal decides, with the SAP template's expressions", () => {
		expect(node(CREATE).onError).toBe('continueErrorOutput');
		expect(branches(CREATE)[1]).toEqual(['Try enova365 again later?#0']);
		expect(node('Try enova365 again later?').parameters.conditions.conditions[0].leftValue).toBe(
			sapNode('Try SAP again later?').parameters.conditions.conditions[0].leftValue,
		);
		expect(branches('Try enova365 again later?')).toEqual([
			['Release claim (enova365 refused)#0'],
			['Reject: enova365 refused#0'],
		]);
		expect(node('Reject: enova365 refused').parameters.reason).toBe(sapNode('Reject: SAP refused').parameters.reason);
		expect(branches('Reject: enova365 refused')).toEqual([['Rejected on its last attempt?#0']]);
		expect(branches('Rejected on its last attempt?')[0]).toEqual(['Alert: order given up#0']);
		expect(pathsTo('Alert: order given up', 'What happened to each order').length).toBeGreaterThan(0);
		expect(pathsTo(CALL, 'Stop: enova365 refused an order', main).length).toBeGreaterThan(0);
		const withoutIds = (n: Node) => ({
			...n.parameters,
			assignments: n.parameters.assignments.assignments.map(({ id, ...a }: { id: string }) => a),
		});
		expect(withoutIds(node('What happened to each order'))).toEqual(withoutIds(sapNode('What happened to each order')));
		expect(nodeIn(main, 'Record run').parameters.counts).toContain(
			`"refusedByEnova": ($('${CALL}').isExecuted ? $('${CALL}').all().filter((i) => i.json.outcome === 'rejected' || i.json.outcome === 'givenUp').length : 0)`,
		);
		for (const [w, name] of [
			[main, 'All orders handled'],
			[t, 'Every order handled'],
		] as const) {
			expect(inputsFed(w, name)).toEqual(Array.from({ length: nodeIn(w, name).parameters.numberInputs }, (_, i) => i));
		}
	});

	it('the part is the SAP part with the enova365 node: same nodes (renamed), wiring and positions', () => {
		expect(t.nodes.map((n) => n.name).sort()).toEqual(sap.nodes.map((n) => enovaName(n.name)).sort());
		expect(t.connections).toEqual(renamedConnections(sap.connections));
		for (const n of sap.nodes) {
			const mine = node(enovaName(n.name));
			expect([mine.name, mine.position, mine.onError]).toEqual([mine.name, n.position, n.onError]);
			expect([mine.name, mine.type]).toEqual([mine.name, n.type === 'n8n-nodes-erp-b2b.sapB1' ? ENOVA : n.type]);
		}
		expect(t.settings).toEqual(sap.settings);
		expect(JSON.stringify(t)).not.toMatch(/SAP|sapB1/);
	});
});
