/**
 * The sync templates use the B2B Sync Guard (issue #5: "the guards are used by the SAP B1 and Subiekt templates"):
 * Delta → Pass Changed Records in every products / prices / stock / clients template of SAP B1, enova365, Subiekt GT, Optima
 * and Business Central,
 * Stock Buffer (95 %) in every stock template. Static checks of the wiring that the real-n8n tests
 * (sap-b1, subiekt-sql, file-sync e2e) then run:
 * - snapshot mode (deletions) only after a full read: a "changed since" read never reaches the guard as a snapshot;
 * - the Deleted output deactivates in the portal (products not active by a partial update that keeps the name,
 *   clients blocked, stock 0) or deletes (prices, by key) and that write finishes before Record Run;
 * - every path from an ERP read to the portal's stock upsert passes through the 95 % buffer;
 * - Record Run is last, with Move Read Positions (which commits the guard's state) left on;
 * - parameters exist in the guard's description; sticky notes explain buffer, delta, deletions, Max Deletions.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { INodeProperties } from 'n8n-workflow';
import { B2bSyncGuard } from '../../nodes/B2bSyncGuard/B2bSyncGuard.node';
import { B2bPortal } from '../../nodes/B2bPortal/B2bPortal.node';

const ROOT = path.join(__dirname, '../../workflows-templates');
const GUARD = 'n8n-nodes-erp-b2b.b2bSyncGuard';
const PORTAL = 'n8n-nodes-erp-b2b.b2bPortal';
const ERP_READS = [
	'n8n-nodes-erp-b2b.sapB1',
	'n8n-nodes-erp-b2b.subiektGt',
	'n8n-nodes-erp-b2b.erpFile',
	'n8n-nodes-erp-b2b.enova365',
	'n8n-nodes-erp-b2b.optima',
	'n8n-nodes-erp-b2b.businessCentral',
];

interface Node {
	name: string;
	type: string;
	parameters: Record<string, any>;
	alwaysOutputData?: boolean;
	executeOnce?: boolean;
}
interface Template {
	nodes: Node[];
	connections: Record<string, { main: Array<Array<{ node: string; index: number }>> }>;
}
const load = (file: string) => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as Template;

type Entity = 'product' | 'price' | 'stock' | 'client';
const DELTA: Array<[string, Entity]> = [
	['sap-b1/sap-b1-products.json', 'product'],
	['sap-b1/sap-b1-prices.json', 'price'],
	['sap-b1/sap-b1-stock.json', 'stock'],
	['sap-b1/sap-b1-clients.json', 'client'],
	['enova365/enova365-products.json', 'product'],
	['enova365/enova365-prices.json', 'price'],
	['enova365/enova365-stock.json', 'stock'],
	['enova365/enova365-clients.json', 'client'],
	['subiekt-gt/subiekt-gt-sql-products.json', 'product'],
	['subiekt-gt/subiekt-gt-sql-prices.json', 'price'],
	['subiekt-gt/subiekt-gt-sql-stock.json', 'stock'],
	['subiekt-gt/subiekt-gt-sql-clients.json', 'client'],
	['subiekt-gt/subiekt-gt-epp-products.json', 'product'],
	['subiekt-gt/subiekt-gt-epp-prices.json', 'price'],
	['subiekt-gt/subiekt-gt-epp-clients.json', 'client'],
	['subiekt-gt/subiekt-gt-file-stock.json', 'stock'],
	['optima/optima-products.json', 'product'],
	['optima/optima-prices.json', 'price'],
	['optima/optima-stock.json', 'stock'],
	['optima/optima-clients.json', 'client'],
	['business-central/business-central-products.json', 'product'],
	['business-central/business-central-products-webhook.json', 'product'],
	['business-central/business-central-prices.json', 'price'],
	['business-central/business-central-stock.json', 'stock'],
	['business-central/business-central-clients.json', 'client'],
];
const STOCK = [
	'sap-b1/sap-b1-stock.json',
	'enova365/enova365-stock.json',
	'subiekt-gt/subiekt-gt-sql-stock.json',
	'subiekt-gt/subiekt-gt-file-stock.json',
	'optima/optima-stock.json',
	'business-central/business-central-stock.json',
	'file-sync/file-sync-stock.json',
	'file-sync/file-sync-folder-stock.json',
];
const RESOURCE: Record<Entity, string> = { product: 'product', price: 'price', stock: 'stock', client: 'client' };

const next = (t: Template, name: string, output = 0) => (t.connections[name]?.main[output] ?? []).map((c) => c.node);
const allNext = (t: Template, name: string) => (t.connections[name]?.main ?? []).flat().map((c) => c.node);
const node = (t: Template, name: string) => t.nodes.find((n) => n.name === name)!;

/** every node reachable from `from` (not following `stop`) */
function reach(t: Template, from: string[], stop = (_n: string) => false): Set<string> {
	const seen = new Set<string>();
	const queue = [...from];
	while (queue.length) {
		const n = queue.shift()!;
		for (const m of allNext(t, n)) if (!seen.has(m) && !stop(m)) queue.push(seen.add(m) && m);
	}
	return seen;
}

/** Is the property shown for these parameters (simple show conditions only)? */
function shown(prop: INodeProperties, params: Record<string, unknown>): boolean {
	for (const [key, allowed] of Object.entries(prop.displayOptions?.show ?? {})) {
		if (key.startsWith('@') || !(key in params)) continue;
		if (!(allowed as unknown[]).includes(params[key])) return false;
	}
	return true;
}
const GUARD_PROPS = new B2bSyncGuard().description.properties;
const PORTAL_PROPS = new B2bPortal().description.properties;

describe.each(DELTA)('%s: Delta → Pass Changed Records', (file, entity) => {
	const t = load(file);
	const guards = t.nodes.filter((n) => n.type === GUARD && n.parameters.resource === 'delta');
	const g = guards[0];
	const reads = t.nodes.filter((n) => ERP_READS.includes(n.type));
	const record = node(t, 'Record run');

	it('has one delta guard for the right records, parameters its description knows, Always Output Data on', () => {
		expect(guards).toHaveLength(1);
		expect(g.parameters).toMatchObject({ operation: 'passChanged', entity, recordField: '', options: {} });
		expect(g.alwaysOutputData).toBe(true); // an empty delta still reaches Record Run (the heartbeat)
		for (const key of Object.keys(g.parameters))
			expect([key, GUARD_PROPS.some((p) => p.name === key && shown(p, g.parameters))]).toEqual([key, true]);
	});

	it('sits after every ERP read and before every portal write', () => {
		expect(reads.length).toBeGreaterThan(0);
		for (const r of reads) expect([r.name, reach(t, [r.name]).has(g.name)]).toEqual([r.name, true]);
		const upserts = t.nodes.filter((n) => n.type === PORTAL && n.parameters.operation === 'upsert');
		const beforeGuard = reach(
			t,
			reads.map((r) => r.name),
			(n) => n === g.name,
		);
		for (const u of upserts) expect([u.name, beforeGuard.has(u.name)]).toEqual([u.name, false]);
	});

	it('looks for deletions only after a full read', () => {
		const stored = reads.filter((r) => r.parameters.cursorMode === 'stored');
		const full = reads.filter((r) => r.parameters.cursorMode !== 'stored');
		expect(full).toHaveLength(1);
		if (stored.length === 0) {
			expect(g.parameters.snapshot).toBe(true);
		} else {
			// one guard for both reads: snapshot exactly when the full read ran in this execution
			expect(g.parameters.snapshot).toBe(`={{ $('${full[0].name}').isExecuted }}`);
			expect(full[0].parameters.cursorMode).toBe('all');
		}
	});

	it('the Deleted output deactivates (prices: deletes) in the portal before Record Run', () => {
		const deleted = next(t, g.name, 1);
		expect(deleted).toHaveLength(1);
		let write: Node;
		if (entity === 'price') {
			// the guard's Deleted items carry the price key fields as they are: straight into Price → Delete
			write = node(t, deleted[0]);
			expect(write).toMatchObject({
				type: PORTAL,
				name: 'Delete removed prices in portal',
				parameters: { resource: 'price', operation: 'delete', source: 'items' },
			});
			expect(record.parameters.counts).toContain(`"deleted": $('${write.name}')`);
			expect(`${record.parameters.counts} ${record.parameters.message}`).not.toMatch(/removedInErp|cannot delete/);
		} else {
			const set = node(t, deleted[0]);
			expect(set.type).toBe('n8n-nodes-base.set');
			expect(set.parameters.includeOtherFields).toBe(true); // the key fields go on
			const fields = Object.fromEntries(
				(set.parameters.assignments.assignments as Array<{ name: string; value: unknown }>).map((a) => [
					a.name,
					a.value,
				]),
			);
			// a partial update of `active` / `blocked` only: the name (and a client's addresses) stay as the last
			// full upsert sent them
			if (entity === 'product') expect(fields).toEqual({ active: false });
			if (entity === 'client') expect(fields).toEqual({ blocked: true });
			if (entity === 'stock') expect(fields).toEqual({ onHand: '0', reserved: '0', available: '0' });
			[write] = next(t, set.name).map((n) => node(t, n));
			expect(write).toMatchObject({
				type: PORTAL,
				parameters:
					entity === 'product' || entity === 'client'
						? { resource: entity, operation: 'update', options: { notFound: 'output' } }
						: { resource: RESOURCE[entity], operation: 'upsert' },
			});
			for (const key of Object.keys(write.parameters))
				expect([key, PORTAL_PROPS.some((p) => p.name === key && shown(p, write.parameters))]).toEqual([key, true]);
		}
		// the deactivation and the normal writes join in one Merge; Record Run comes after both
		const [merge] = next(t, write.name);
		expect(node(t, merge).type).toBe('n8n-nodes-base.merge');
		expect(t.connections[write.name].main[0][0].index).toBe(1);
		const send = t.nodes.find((n) => n.name.startsWith('Send ') && n.name.endsWith(' to portal'))!;
		expect(t.connections[send.name].main[0]).toEqual([{ node: merge, type: 'main', index: 0 }]);
		expect(reach(t, [merge]).has('Record run')).toBe(true);
		if (entity !== 'price') expect(record.parameters.counts).toContain(`"deactivated": $('${write.name}')`);
		// file templates: the archive decision after the merge is taken once, not once per merged summary
		const after = next(t, merge);
		if (after[0] !== 'Record run') expect(node(t, after[0]).executeOnce).toBe(true);
	});

	it('Record Run is last and commits the guard state (Move Read Positions not switched off)', () => {
		expect(t.connections['Record run']).toBeUndefined();
		expect(record.parameters.commitCursors ?? true).toBe(true);
		const prop = PORTAL_PROPS.find((p) => p.name === 'commitCursors' && shown(p, record.parameters));
		expect(prop?.default).toBe(true);
		// whatever the guard passes on ends at Record Run
		for (const out of t.connections[g.name].main)
			for (const c of out) expect([c.node, reach(t, [c.node]).has('Record run')]).toEqual([c.node, true]);
	});

	it('sticky notes explain delta, deletions and the Max Deletions safety', () => {
		const text = t.nodes
			.filter((n) => n.type === 'n8n-nodes-base.stickyNote')
			.map((n) => String(n.parameters.content))
			.join('\n');
		expect(text).toContain('Only changes are sent');
		expect(text).toContain('Max Deletions');
		expect(text).toContain('50 %');
		if (entity === 'product') {
			expect(text).toMatch(/not active/);
			expect(text).toMatch(/partial update that changes only \*active\*/);
			expect(text).not.toContain('usunięty w ERP');
		}
		if (entity === 'client') {
			expect(text).toMatch(/set to \*\*blocked\*\*/);
			expect(text).toMatch(/partial update that changes only \*blocked\*/);
			expect(text).not.toMatch(/usunięty w ERP|addresses are emptied/);
		}
		if (entity === 'stock') expect(text).toMatch(/0 available/);
		if (entity === 'price') {
			expect(text).toMatch(/\*\*deleted in the portal\*\* by \*Delete removed prices in portal\*/);
			expect(text).not.toMatch(/no way to delete a price|remove them in the portal by hand/);
		}
	});
});

describe.each(STOCK)('%s: Stock Buffer 95 %%', (file) => {
	const t = load(file);
	const buffers = t.nodes.filter((n) => n.type === GUARD && n.parameters.resource === 'stock');

	it('has one buffer at 95 %, rounding to whole units, no fixed subtraction or minimum', () => {
		expect(buffers).toHaveLength(1);
		expect(buffers[0].parameters).toEqual({
			resource: 'stock',
			operation: 'buffer',
			percent: 95,
			subtract: 0,
			minimum: 0,
			quantityDecimals: 0,
			sumWarehouses: false,
		});
		for (const key of Object.keys(buffers[0].parameters))
			expect([key, GUARD_PROPS.some((p) => p.name === key && shown(p, buffers[0].parameters))]).toEqual([key, true]);
	});

	it('every path from the ERP read to the portal stock write passes through it', () => {
		const reads = t.nodes.filter((n) => ERP_READS.includes(n.type)).map((n) => n.name);
		expect(reads.length).toBeGreaterThan(0);
		const send = 'Send stock to portal';
		const bypass = reach(t, reads, (n) => n === buffers[0].name);
		expect(bypass.has(send)).toBe(false);
		expect(reach(t, reads).has(send)).toBe(true);
	});

	it('a sticky note says what the buffer does and where to change 95 %', () => {
		const text = t.nodes
			.filter((n) => n.type === 'n8n-nodes-base.stickyNote')
			.map((n) => String(n.parameters.content))
			.join('\n');
		expect(text).toContain('95 %');
		expect(text).toContain('rounded down');
		expect(text).toContain(`open *${buffers[0].name}* → **Show (%)**`);
		const prop = GUARD_PROPS.find((p) => p.name === 'percent')!;
		expect(prop.displayName).toBe('Show (%)');
	});
});
