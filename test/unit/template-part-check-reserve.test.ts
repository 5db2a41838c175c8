/**
 * The ERP-independent part every order template calls first (workflows-templates/parts/portal-check-and-reserve-
 * orders.json, docs/template-parts.md): reserve each order's stock in the portal, reject in the portal what cannot be
 * held, and give back EVERY order with what happened to it (`portalCheck`), because the caller sends only the held
 * ones on and counts the others in Record run. The real run: the orders e2e of SAP B1, enova365 and Optima.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface Node {
	name: string;
	type: string;
	typeVersion: number;
	onError?: string;
	parameters: Record<string, any>;
	credentials?: Record<string, { id: string; name: string }>;
}
interface Part {
	id: string;
	name: string;
	nodes: Node[];
	connections: Record<string, { main: Array<Array<{ node: string; index: number }>> }>;
	settings: Record<string, unknown>;
}

const FILE = path.join(__dirname, '../../workflows-templates/parts/portal-check-and-reserve-orders.json');
const part = JSON.parse(readFileSync(FILE, 'utf8')) as Part;
const flow = part.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote');
const node = (name: string) => {
	const n = part.nodes.find((x) => x.name === name);
	if (!n) throw new Error(`no node "${name}"`);
	return n;
};
const branches = (from: string) =>
	(part.connections[from]?.main ?? []).map((b) => b.map((c) => `${c.node}#${c.index}`));
const outgoing = (name: string) => (part.connections[name]?.main ?? []).flat();

/** evaluates an n8n "={{ … }}" expression with `$('Reserve stock in portal').item.json` = `reserved` */
function evaluate(expression: string, reserved: Record<string, unknown>, json: Record<string, unknown>) {
	const body = expression.replace(/^=\{\{/, '').replace(/\}\}$/, '');
	const $ = (name: string) => {
		if (name !== 'Reserve stock in portal') throw new Error(`reads node "${name}"`);
		return { item: { json: reserved } };
	};
	// eslint-disable-next-line @typescript-eslint/no-implied-eval
	return new Function('$', '$json', `return (${body});`)($, json) as Record<string, unknown>;
}

describe('parts/portal-check-and-reserve-orders.json: the contract every order template relies on', () => {
	it('is a part: fixed id, one passthrough trigger, callable by workflows of the same owner', () => {
		expect(part.id).toBe('erpB2bPortalChk1');
		expect(part.id).toMatch(/^erpB2b(?=.*\d)[A-Za-z0-9]{10}$/);
		expect(part.settings).toMatchObject({ executionOrder: 'v1', callerPolicy: 'workflowsFromSameOwner' });
		const triggers = flow.filter((n) => n.type === 'n8n-nodes-base.executeWorkflowTrigger');
		expect(triggers.map((n) => [n.name, n.typeVersion, n.parameters.inputSource])).toEqual([
			['Orders from the main workflow', 1.1, 'passthrough'],
		]);
		expect(branches('Orders from the main workflow')).toEqual([['Reserve stock in portal#0']]);
	});

	it('ends in exactly one node, and every branch reaches it through one merge', () => {
		const ends = flow.filter((n) => outgoing(n.name).length === 0);
		expect(ends.map((n) => n.name)).toEqual(['What happened to each order']);
		expect(branches('Every order checked')).toEqual([['What happened to each order#0']]);
		const merge = node('Every order checked');
		expect(merge.parameters).toMatchObject({ mode: 'append', numberInputs: 4 });
		// each input fed once: held, released (neither invalid nor out of stock), rejected out of stock, rejected invalid
		const feeding = Object.entries(part.connections).flatMap(([from, c]) =>
			c.main.flatMap((b, out) =>
				b.filter((x) => x.node === 'Every order checked').map((x) => `${x.index}:${from}#${out}`),
			),
		);
		expect(feeding.sort()).toEqual([
			'0:Stock held?#0',
			'1:Out of stock?#1',
			'2:Reject: not in stock#0',
			'3:Reject: invalid order#0',
		]);
	});

	it('rejects in the portal, with the reason the client reads, only what it could not hold; the portal down fails it', () => {
		expect(branches('Reserve stock in portal')).toEqual([['Stock held?#0']]);
		expect(branches('Stock held?')).toEqual([['Every order checked#0'], ['Order valid?#0']]);
		expect(branches('Order valid?')).toEqual([['Out of stock?#0'], ['Reject: invalid order#0']]);
		expect(branches('Out of stock?')).toEqual([['Reject: not in stock#0'], ['Every order checked#1']]);
		for (const name of ['Reserve stock in portal', 'Reject: not in stock', 'Reject: invalid order']) {
			expect(node(name).onError).toBeUndefined();
			expect(node(name).credentials).toEqual({ b2bPortalApi: { id: '', name: 'B2B Portal account' } });
		}
		for (const name of ['Reject: not in stock', 'Reject: invalid order'])
			expect(node(name).parameters).toMatchObject({
				resource: 'order',
				operation: 'updateStatus',
				orderNumber: '={{ $json.reservation.orderNumber }}',
				status: 'rejected',
				reason: '={{ $json.reservation.reason }}',
			});
	});

	it.each([
		['held', 'held'],
		['invalid', 'rejected'],
		['insufficient', 'rejected'],
		['released', 'released'],
	])('an order reserved as "%s" comes back with its own fields and portalCheck "%s"', (outcome, portalCheck) => {
		const set = node('What happened to each order');
		expect(set.parameters.mode).toBe('raw');
		const reserved = {
			order: { number: 'B2B/2026/000042', clientCode: 'K-ŁÓDŹ-01' },
			fileName: 'zamówienie-42.epp',
			reservation: { outcome, orderNumber: 'B2B/2026/000042', reason: 'Brak wystarczającego stanu' },
		};
		// a rejected order arrives as the portal's answer to the rejection: its own fields come from the reservation
		const arriving =
			outcome === 'held' || outcome === 'released' ? reserved : { entity: 'orderStatus', action: 'updated' };
		expect(evaluate(set.parameters.jsonOutput, reserved, arriving)).toEqual({ ...reserved, portalCheck });
	});

	it('its notes state the contract the order templates rely on', () => {
		const about = String(node('About this workflow').parameters.content);
		for (const word of ['`order`', '`reservation`', '`portalCheck`', '`held`', '`rejected`', '`released`', 'publish'])
			expect(about).toContain(word);
		expect(String(node('Stock reservation').parameters.content)).not.toMatch(/SAP|enova|Optima|Subiekt/);
	});
});
