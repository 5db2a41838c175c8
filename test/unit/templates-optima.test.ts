/**
 * Static checks of workflows-templates/optima/: every template is its SAP or Subiekt twin with the Optima node in the
 * other ERP's place — the same node names for the same steps, the same triggers, guards, sticky notes, wiring and
 * positions — so a consultant who set up one sets up the other without reading the notes. The twin is the template
 * whose reads the Optima node has: SAP's where Optima reads "changed since" (products by Twr_TS_Mod, order status,
 * invoices), Subiekt's SQL templates where it reads everything each run (prices, stock) or by hour (clients), and
 * Subiekt's EDI++ order template for the XML file. Every Optima / ERP File node's parameters exist in the node's
 * description (an unknown name would be dropped by n8n without a word), credentials are named by type only, and the
 * orders template has the SAP template's claim and refusal branch ("Try Optima again later?", Max Attempts 5) with
 * the check in Optima before the claim. The real runs are in test/e2e/optima.e2e.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { partsCalledBy, inputsFed } from '../fixtures/templates';
import type { INodeProperties } from 'n8n-workflow';
import { Optima } from '../../nodes/Optima/Optima.node';
import { ErpFile } from '../../nodes/ErpFile/ErpFile.node';

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
const OPTIMA = 'n8n-nodes-erp-b2b.optima';
const ERP_FILE = 'n8n-nodes-erp-b2b.erpFile';
const PROPS: Record<string, INodeProperties[]> = {
	[OPTIMA]: new Optima().description.properties,
	[ERP_FILE]: new ErpFile().description.properties,
};
const SQL = { optimaSqlApi: { id: '', name: 'Comarch ERP Optima SQL Server account' } };
const BRIDGE = { optimaBridgeApi: { id: '', name: 'Comarch ERP Optima bridge account' } };

/** flow → its twin and the twin's node names that change (the ERP's word; the step's name does not) */
const TWINS: Record<string, { twin: string; erpType: string; names: Record<string, string>; added?: string[] }> = {
	products: {
		twin: 'sap-b1/sap-b1-products.json',
		erpType: 'n8n-nodes-erp-b2b.sapB1',
		names: {
			'SAP: all items': 'Optima: all products',
			'SAP: items changed since last run': 'Optima: products changed since last run',
			'Every night at 2:00 (all items)': 'Every night at 2:00 (all products)',
		},
	},
	prices: {
		twin: 'subiekt-gt/subiekt-gt-sql-prices.json',
		erpType: 'n8n-nodes-erp-b2b.subiektGt',
		names: { 'Subiekt: all prices': 'Optima: all prices' },
	},
	stock: {
		twin: 'subiekt-gt/subiekt-gt-sql-stock.json',
		erpType: 'n8n-nodes-erp-b2b.subiektGt',
		names: { 'Subiekt: all stock': 'Optima: all stock' },
	},
	clients: {
		twin: 'subiekt-gt/subiekt-gt-sql-clients.json',
		erpType: 'n8n-nodes-erp-b2b.subiektGt',
		names: {
			'Subiekt: all clients': 'Optima: all clients',
			'Subiekt: clients changed since last run': 'Optima: clients changed since last run',
		},
	},
	orders: {
		twin: 'sap-b1/sap-b1-orders.json',
		erpType: 'n8n-nodes-erp-b2b.sapB1',
		names: {
			'Check prices in SAP': 'Check order in Optima',
			'Prices match SAP?': 'Optima sells this order?',
			'Reject order in portal': 'Reject: Optima would refuse',
			'Create each order in SAP': 'Create each order in Optima',
			'Did SAP refuse an order?': 'Did Optima refuse an order?',
			'Stop: SAP refused an order': 'Stop: Optima refused an order',
		},
	},
	'orders-xml': {
		twin: 'subiekt-gt/subiekt-gt-orders-epp.json',
		erpType: 'n8n-nodes-erp-b2b.subiektGt',
		names: {
			'Check order in Subiekt': 'Check order in Optima',
			'Subiekt sells this order?': 'Optima sells this order?',
			'Reject: Subiekt would refuse': 'Reject: Optima would refuse',
			'Hand over each order (EPP file)': 'Hand over each order (XML file)',
		},
	},
	'order-status': {
		twin: 'sap-b1/sap-b1-order-status.json',
		erpType: 'n8n-nodes-erp-b2b.sapB1',
		names: { 'SAP: order statuses changed since last run': 'Optima: order statuses changed since last run' },
	},
	invoices: {
		twin: 'sap-b1/sap-b1-invoices.json',
		erpType: 'n8n-nodes-erp-b2b.sapB1',
		names: { 'SAP: invoices with PDF': 'Optima: new invoices' },
		// SAP prints the PDF in its invoice read; Optima's SQL cannot, the bridge does it in a step of its own
		added: ['Optima: invoice PDF'],
	},
};
const FLOWS = Object.keys(TWINS);

function shown(prop: INodeProperties, params: Record<string, unknown>): boolean {
	for (const [key, allowed] of Object.entries(prop.displayOptions?.show ?? {})) {
		if (key.startsWith('@') || !(key in params)) continue;
		if (!(allowed as unknown[]).includes(params[key])) return false;
	}
	return true;
}
const notes = (t: Template) =>
	t.nodes
		.filter((n) => n.type === 'n8n-nodes-base.stickyNote')
		.map((n) => String(n.parameters.content))
		.join('\n');

describe.each(FLOWS)('optima/optima-%s.json: its twin with the Optima node', (flow) => {
	const t = load(`optima/optima-${flow}.json`);
	const { twin: twinFile, erpType, names, added = [] } = TWINS[flow];
	const twin = load(twinFile);
	const rename = (n: string) => names[n] ?? n;

	it('has the twin’s nodes (renamed for Optima), positions, error outputs and settings', () => {
		expect(t.nodes.map((n) => n.name).sort()).toEqual([...twin.nodes.map((n) => rename(n.name)), ...added].sort());
		for (const n of twin.nodes) {
			const mine = t.nodes.find((x) => x.name === rename(n.name))!;
			if (n.type === erpType) expect([mine.name, mine.type]).toEqual([mine.name, OPTIMA]);
			else if (n.name === 'Build EPP file (ZK)') expect(mine.type).toBe(ERP_FILE);
			else expect([mine.name, mine.type]).toEqual([mine.name, n.type]);
			expect([mine.name, mine.onError]).toEqual([mine.name, n.onError]);
			// the invoice template moves the upload one step right for the PDF; everything else stays where it was
			if (!(flow === 'invoices' && mine.position[0] > 700))
				expect([mine.name, mine.position]).toEqual([mine.name, n.position]);
		}
		expect(t.settings).toEqual({ executionOrder: 'v1', errorWorkflow: '' });
		expect(JSON.stringify(t)).not.toMatch(/SAP|sapB1|Subiekt|subiektGt|Sfera|EDI\+\+|\.epp\b/);
		const ids = t.nodes.map((n) => (n as unknown as { id: string }).id);
		expect(new Set(ids).size).toBe(ids.length);
		const twinIds = new Set(twin.nodes.map((n) => (n as unknown as { id: string }).id));
		expect(ids.filter((id) => twinIds.has(id))).toEqual([]); // importing both never mixes their nodes up
	});

	it('the wiring is the twin’s (the invoice PDF step put between the filter and the upload)', () => {
		const renamed = Object.fromEntries(
			Object.entries(twin.connections).map(([from, v]) => [
				rename(from),
				{ main: v.main.map((out) => out.map((x) => ({ ...x, node: rename(x.node) }))) },
			]),
		);
		if (flow === 'invoices') {
			expect(t.connections['Portal order?'].main[0]).toEqual([{ node: 'Optima: invoice PDF', type: 'main', index: 0 }]);
			expect(t.connections['Optima: invoice PDF'].main).toEqual([
				[{ node: 'Upload invoice to portal', type: 'main', index: 0 }],
			]);
			renamed['Portal order?'].main[0] = t.connections['Portal order?'].main[0];
			renamed['Optima: invoice PDF'] = t.connections['Optima: invoice PDF'];
		}
		expect(t.connections).toEqual(renamed);
	});

	it('Optima and ERP File nodes: parameters the node knows, the twin’s cursor mode, credentials by type only', () => {
		const nodes = t.nodes.filter((n) => n.type === OPTIMA || n.type === ERP_FILE);
		expect(nodes.length).toBeGreaterThan(0);
		for (const n of nodes) {
			const props = PROPS[n.type];
			for (const key of Object.keys(n.parameters))
				expect([n.name, key, props.some((p) => p.name === key && shown(p, n.parameters))]).toEqual([n.name, key, true]);
			const mine = n.parameters;
			if (n.type === ERP_FILE) {
				expect(n.credentials).toBeUndefined();
				continue;
			}
			const bridge = mine.operation === 'create' || mine.operation === 'downloadPdf';
			// the create renews the order's portal claim while the bridge works: it needs the portal account too
			const portal = mine.operation === 'create' ? { b2bPortalApi: { id: '', name: 'B2B Portal account' } } : {};
			expect([n.name, n.credentials]).toEqual([n.name, bridge ? { ...BRIDGE, ...portal } : SQL]);
			const twinNode = twin.nodes.find((x) => rename(x.name) === n.name);
			if (twinNode && 'cursorMode' in twinNode.parameters) expect(mine.cursorMode).toBe(twinNode.parameters.cursorMode);
		}
		for (const n of t.nodes.filter((x) => x.credentials?.b2bPortalApi && x.type !== OPTIMA))
			expect(n.credentials).toEqual({ b2bPortalApi: { id: '', name: 'B2B Portal account' } });
		const record = t.nodes.find((n) => n.name === 'Record run')!;
		expect(record.parameters.flow).toBe(`optima ${flow}`);
		const twinRecord = twin.nodes.find((n) => n.name === 'Record run')!;
		expect(record.parameters.expectedEveryMinutes).toBe(twinRecord.parameters.expectedEveryMinutes);
	});

	it('the notes: what it does, what you may change, and that only our simulators have verified it', () => {
		const text = notes(t);
		expect(text).toMatch(/^## Comarch ERP Optima|^## Portal orders → Comarch ERP Optima/m);
		expect(text).toContain('## What you may change');
		expect(text).toContain('Verified only against our simulators');
		expect(text).toContain('*Workflow settings → Error workflow*');
		for (const n of t.nodes.filter(
			(x) =>
				x.type === 'n8n-nodes-base.stickyNote' && x.name !== 'About this workflow' && x.name !== 'What you may change',
		)) {
			const other = twin.nodes.find((x) => x.name === n.name);
			expect([n.name, other?.type]).toEqual([n.name, 'n8n-nodes-base.stickyNote']); // one note per guard, as in the twin
		}
		// every node a note names in *italics* exists (a renamed step must not leave a stale note behind), here or in a
		// part the template calls
		const nodeNames = new Set(
			[t, ...partsCalledBy(t).map((p) => p.workflow as Template)].flatMap((w) => w.nodes.map((n) => n.name)),
		);
		for (const m of text.matchAll(/(?<![*\w])\*([^*\s][^*\n]{2,48}[^*\s])\*(?![*\w])/g)) {
			const name = m[1].replace(/ → .*$/, '');
			if (!name.includes('Optima') || /^(Comarch ERP Optima|Optima's|Order → Check)/.test(name)) continue;
			expect([name, nodeNames.has(name)]).toEqual([name, true]);
		}
	});
});

describe('optima/optima-orders.json: check in Optima, claim, then the SAP template’s refusal branch (in its part)', () => {
	const main = load('optima/optima-orders.json');
	const t = load('optima/parts/optima-order-into-optima.json');
	const sap = load('sap-b1/parts/sap-b1-order-into-sap.json');
	const CALL = 'Create each order in Optima';
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
	const CREATE = 'Create RO in Optima';
	/** SAP part's node name → the Optima part's */
	const optimaName = (n: string) => (n === 'Create sales order in SAP' ? CREATE : n.replaceAll('SAP', 'Optima'));

	it('every way to the RO: stock reservation, the check in Optima, the claim (Max Attempts 5), nothing in between', () => {
		expect(node('Claim order in portal').parameters).toMatchObject({
			operation: 'claim',
			leaseSeconds: 300,
			maxAttempts: 5,
		});
		expect(nodeIn(main, 'Check order in Optima').parameters).toMatchObject({
			resource: 'order',
			operation: 'check',
			orderField: 'order',
		});
		expect(node(CREATE).parameters).toMatchObject({ resource: 'order', operation: 'create', orderField: 'order' });
		const triggers = main.nodes.filter((n) => /Trigger$/i.test(n.type)).map((n) => n.name);
		expect(triggers).toEqual(
			['Run now (test)', 'New order in portal', 'Every 5 minutes (missed webhooks)'].filter((x) =>
				triggers.includes(x),
			),
		);
		expect(triggers).toHaveLength(3);
		const paths = triggers.flatMap((tr) => pathsTo(tr, CALL, main));
		expect(paths.length).toBeGreaterThanOrEqual(3);
		for (const p of paths) {
			expect(p.indexOf('Check and reserve each order')).toBeGreaterThan(-1);
			expect(p.indexOf('Check order in Optima')).toBeGreaterThan(p.indexOf('Check and reserve each order'));
			expect(p.indexOf('Optima sells this order?')).toBe(p.length - 2);
		}
		expect(nodeIn(main, CALL).parameters.workflowId.value).toBe((t as unknown as { id: string }).id);
		expect(pathsTo('Orders from the main workflow', CREATE)).toEqual([
			['Orders from the main workflow', 'Claim order in portal', 'Claimed by this run?', CREATE],
		]);
		expect(nodeIn(main, 'Every 5 minutes (missed webhooks)').parameters.rule.interval[0]).toMatchObject({
			field: 'minutes',
			minutesInterval: 5,
		});
	});

	it('an order Optima would refuse is rejected with the check’s reason, before the claim', () => {
		const cond = nodeIn(main, 'Optima sells this order?').parameters.conditions.conditions[0];
		const reason = nodeIn(main, 'Reject: Optima would refuse').parameters.reason as string;
		// the If and the rejection read the same field of the check's output
		const field = /\$json\.(\w+)\.accepted/.exec(cond.leftValue)![1];
		expect(reason).toBe(`={{ $json.${field}.reason }}`);
		expect(branches('Optima sells this order?', main)).toEqual([[`${CALL}#0`], ['Reject: Optima would refuse#0']]);
		expect(nodeIn(main, 'Reject: Optima would refuse').parameters).toMatchObject({
			operation: 'updateStatus',
			status: 'rejected',
		});
	});

	it("Optima's refusal decides, with the SAP template's expressions", () => {
		expect(node(CREATE).onError).toBe('continueErrorOutput');
		expect(branches(CREATE)).toEqual([["Claim still this run's?#0"], ['Try Optima again later?#0']]);
		expect(node(CREATE).parameters.renewClaim).toBe(true);
		expect(branches("Claim still this run's?")).toEqual([['Confirm order in portal#0'], ['Alert: claim lost#0']]);
		expect(node('Try Optima again later?').parameters.conditions.conditions[0].leftValue).toBe(
			sapNode('Try SAP again later?').parameters.conditions.conditions[0].leftValue,
		);
		expect(branches('Try Optima again later?')).toEqual([
			['Release claim (Optima refused)#0'],
			['Reject: Optima refused#0'],
		]);
		expect(node('Reject: Optima refused').parameters.reason).toBe(sapNode('Reject: SAP refused').parameters.reason);
		expect(branches('Reject: Optima refused')).toEqual([['Rejected on its last attempt?#0']]);
		expect(node('Rejected on its last attempt?').parameters.conditions.conditions[0].leftValue).toBe(
			"={{ $('Try Optima again later?').item.json.details?.refusal?.final !== true }}",
		);
		expect(branches('Rejected on its last attempt?')[0]).toEqual(['Alert: order given up#0']);
		expect(String(node('Alert: order given up').parameters.assignments.assignments[2].value)).toContain(
			'Optima did not take it',
		);
		expect(pathsTo('Alert: order given up', 'What happened to each order').length).toBeGreaterThan(0);
		expect(pathsTo(CALL, 'Stop: Optima refused an order', main).length).toBeGreaterThan(0);
		expect(nodeIn(main, 'Record run').parameters.counts).toContain(
			`"refusedByOptima": ($('${CALL}').isExecuted ? $('${CALL}').all().filter((i) => i.json.outcome === 'rejected' || i.json.outcome === 'givenUp').length : 0)`,
		);
		for (const [w, name] of [
			[main, 'All orders handled'],
			[t, 'Every order handled'],
		] as const) {
			expect(inputsFed(w, name)).toEqual(Array.from({ length: nodeIn(w, name).parameters.numberInputs }, (_, i) => i));
		}
		expect(notes(main) + notes(t)).toMatch(/Max Attempts\* \(5\)/);
		expect(notes(main)).toContain('NumerObcy');
	});

	it('the part is the SAP part with the Optima node: same nodes (renamed), wiring and positions', () => {
		expect(t.nodes.map((n) => n.name).sort()).toEqual(sap.nodes.map((n) => optimaName(n.name)).sort());
		const renamed = Object.fromEntries(
			Object.entries(sap.connections).map(([from, v]) => [
				optimaName(from),
				{ main: v.main.map((out) => out.map((x) => ({ ...x, node: optimaName(x.node) }))) },
			]),
		);
		expect(t.connections).toEqual(renamed);
		for (const n of sap.nodes) {
			const mine = node(optimaName(n.name));
			expect([mine.name, mine.position, mine.onError]).toEqual([mine.name, n.position, n.onError]);
			expect([mine.name, mine.type]).toEqual([mine.name, n.type === 'n8n-nodes-erp-b2b.sapB1' ? OPTIMA : n.type]);
		}
		expect(t.settings).toEqual(sap.settings);
		expect(JSON.stringify(t)).not.toMatch(/SAP|sapB1|Subiekt/);
		expect(notes(t)).toContain('*Create RO in Optima* renews the claim');
	});
});

describe('optima/optima-orders-xml.json: the check before any file is written', () => {
	const t = load('optima/optima-orders-xml.json');
	const part = load('optima/parts/optima-order-into-xml-file.json');
	const HAND_OVER = 'Hand over each order (XML file)';
	const node = (w: Template, name: string) => w.nodes.find((x) => x.name === name)!;
	function reach(from: string, stop: string): Set<string> {
		const seen = new Set<string>();
		const queue = [from];
		while (queue.length)
			for (const c of (t.connections[queue.shift()!]?.main ?? []).flat())
				if (c.node !== stop && !seen.has(c.node)) queue.push(seen.add(c.node) && c.node);
		return seen;
	}

	it('no trigger reaches the hand-over part without passing the check in Optima; a refused order gets no file', () => {
		expect(partsCalledBy(t).map((p) => p.rel)).toEqual([
			'parts/portal-check-and-reserve-orders.json',
			'optima/parts/optima-order-into-xml-file.json',
		]);
		for (const tr of ['Run now (test)', 'Every 5 minutes']) {
			expect(reach(tr, 'Check order in Optima').has(HAND_OVER)).toBe(false);
			expect(reach(tr, '').has(HAND_OVER)).toBe(true);
		}
		expect(reach('Reject: Optima would refuse', '').has(HAND_OVER)).toBe(false);
		expect(t.connections['Optima sells this order?'].main).toEqual([
			[{ node: HAND_OVER, type: 'main', index: 0 }],
			[{ node: 'Reject: Optima would refuse', type: 'main', index: 0 }],
		]);
	});

	it('the file: an Optima RO XML named after the portal order, into the import folder', () => {
		expect(node(part, 'Build Optima XML file (RO)').parameters).toMatchObject({
			operation: 'build',
			outputFormat: 'optimaXml',
			recordField: 'order',
		});
		const fileName = node(t, 'Order and file name').parameters.assignments.assignments.find(
			(a: { name: string }) => a.name === 'fileName',
		).value as string;
		expect(fileName).toContain("'RO_'");
		expect(fileName).toContain("'.xml'");
		expect(node(part, "Write into Optima's import folder").parameters.operation).toBe('write');
		expect(node(part, 'Mark handed over in portal').parameters).toMatchObject({
			status: 'confirmed',
			erpDocumentNumber: '',
		});
	});

	it("its part is the Subiekt EPP part with Optima's file: same steps, wiring and positions, no Subiekt word", () => {
		const twin = load('subiekt-gt/parts/subiekt-gt-order-into-epp-file.json');
		const names: Record<string, string> = {
			'Build EPP file (ZK)': 'Build Optima XML file (RO)',
			"Write into Subiekt's import folder": "Write into Optima's import folder",
		};
		const rename = (n: string) => names[n] ?? n;
		expect(part.nodes.map((n) => [n.name, n.position])).toEqual(twin.nodes.map((n) => [rename(n.name), n.position]));
		const renamed = Object.fromEntries(
			Object.entries(twin.connections).map(([from, v]) => [
				rename(from),
				{ main: v.main.map((out) => out.map((x) => ({ ...x, node: rename(x.node) }))) },
			]),
		);
		expect(part.connections).toEqual(renamed);
		expect(JSON.stringify(part)).not.toMatch(/Subiekt|subiektGt|Sfera|EDI\+\+|\.epp\b/);
		const ids = [part, twin].map((w) => (w as unknown as { id: string }).id);
		expect(ids[0]).not.toBe(ids[1]);
	});
});

describe('optima/optima-order-status.json: an RO in Optima’s buffer is not news for the portal', () => {
	it('Portal order? passes B2B/ numbers whose status is not placed (the orders flow confirmed them already)', () => {
		const t = load('optima/optima-order-status.json');
		const gate = t.nodes.find((n) => n.name === 'Portal order?')!;
		expect(gate.parameters.conditions.combinator).toBe('and');
		expect(gate.parameters.conditions.conditions).toEqual([
			expect.objectContaining({ leftValue: '={{ $json.orderNumber }}', rightValue: 'B2B/' }),
			expect.objectContaining({
				leftValue: '={{ $json.status }}',
				rightValue: 'placed',
				operator: { type: 'string', operation: 'notEquals' },
			}),
		]);
		expect(notes(t)).toContain("an RO still in Optima's buffer");
	});
});
