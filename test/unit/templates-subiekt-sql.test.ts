/**
 * Static checks of the Subiekt GT SQL templates (workflows-templates/subiekt-gt/subiekt-gt-sql-*.json): every
 * node type exists (in this pack or in n8n-nodes-base), every parameter of a pack node exists in the node's
 * description and is shown for the node's resource/operation, option values are valid, credentials are the
 * ones the node asks for, connections reference existing nodes, and the house style holds (Run now first,
 * a schedule, Record Run last, error workflow placeholder).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type {
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeTypeDescription,
} from 'n8n-workflow';
import { B2bPortal } from '../../nodes/B2bPortal/B2bPortal.node';
import { B2bSyncGuard } from '../../nodes/B2bSyncGuard/B2bSyncGuard.node';
import { SubiektGt } from '../../nodes/SubiektGt/SubiektGt.node';

const DIR = path.join(__dirname, '../../workflows-templates/subiekt-gt');
const FILES = [
	...['products', 'prices', 'stock', 'clients'].map((f) => `subiekt-gt-sql-${f}.json`),
	'subiekt-gt-images.json',
];

const PACK: Record<string, INodeTypeDescription> = {
	'n8n-nodes-erp-b2b.subiektGt': new SubiektGt().description,
	'n8n-nodes-erp-b2b.b2bPortal': new B2bPortal().description,
	'n8n-nodes-erp-b2b.b2bSyncGuard': new B2bSyncGuard().description,
};

/** n8n-nodes-base types: from the pinned n8n runtime when installed, else the few these templates may use. */
function baseTypes(): Set<string> {
	const pkg = path.join(__dirname, '../../.cache/runtime/n8n/node_modules/n8n-nodes-base/package.json');
	if (!existsSync(pkg))
		return new Set(['manualTrigger', 'scheduleTrigger', 'if', 'stickyNote'].map((t) => `n8n-nodes-base.${t}`));
	const list = (JSON.parse(readFileSync(pkg, 'utf8')) as { n8n: { nodes: string[] } }).n8n.nodes;
	return new Set(
		list.map((file) => {
			const base = path.basename(file).replace(/\.node\.js$/, '');
			return `n8n-nodes-base.${base[0].toLowerCase()}${base.slice(1)}`;
		}),
	);
}
const BASE = baseTypes();

interface TemplateNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}
interface Template {
	name: string;
	nodes: TemplateNode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;
	settings: { errorWorkflow?: string; executionOrder?: string };
}

const load = (file: string) => JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Template;

/** Is `prop` shown for these parameter values (resource, operation and other simple-valued conditions)? */
function shown(prop: { displayOptions?: INodeProperties['displayOptions'] }, params: Record<string, unknown>): boolean {
	const show = prop.displayOptions?.show ?? {};
	for (const [key, allowed] of Object.entries(show)) {
		if (key.startsWith('@')) continue;
		if (!(key in params)) continue; // default applies: checked by n8n, not here
		if (!(allowed as unknown[]).includes(params[key])) return false;
	}
	return true;
}

describe.each(FILES)('template %s', (file) => {
	const t = load(file);
	const names = new Set(t.nodes.map((n) => n.name));

	it('has unique node names and only known node types', () => {
		expect(names.size).toBe(t.nodes.length);
		for (const n of t.nodes) expect([n.type, PACK[n.type] !== undefined || BASE.has(n.type)]).toEqual([n.type, true]);
	});

	it('uses only parameters the pack nodes have, shown for their resource and operation, with valid option values', () => {
		for (const n of t.nodes.filter((x) => PACK[x.type])) {
			const props = PACK[n.type].properties;
			for (const [key, value] of Object.entries(n.parameters)) {
				const candidates = props.filter((p) => p.name === key && shown(p, n.parameters));
				expect([n.name, key, candidates.length > 0]).toEqual([n.name, key, true]);
				const prop = candidates[0];
				// a list read from the ERP (loadOptionsMethod) has no fixed values to compare with
				if (
					prop.type === 'options' &&
					!prop.typeOptions?.loadOptionsMethod &&
					typeof value === 'string' &&
					!value.startsWith('=')
				) {
					expect([n.name, key, (prop.options as INodePropertyOptions[]).map((o) => o.value)]).toEqual([
						n.name,
						key,
						expect.arrayContaining([value]),
					]);
				}
				if (prop.type === 'collection' && value && typeof value === 'object') {
					const inner = (prop.options as INodeProperties[]).map((o) => o.name);
					for (const k of Object.keys(value))
						expect([n.name, key, k, inner.includes(k)]).toEqual([n.name, key, k, true]);
				}
				if (prop.type === 'fixedCollection') {
					const inner = (prop.options as INodePropertyCollection[]).map((o) => o.name);
					for (const k of Object.keys(value as object)) expect(inner).toContain(k);
				}
			}
		}
	});

	it('names credentials by the types the nodes ask for at that resource', () => {
		for (const n of t.nodes.filter((x) => PACK[x.type])) {
			const wanted = (PACK[n.type].credentials ?? []).filter((c) => shown(c, n.parameters)).map((c) => c.name);
			expect([n.name, Object.keys(n.credentials ?? {}).sort()]).toEqual([n.name, [...wanted].sort()]);
		}
		const subiekt = t.nodes.filter((n) => n.type === 'n8n-nodes-erp-b2b.subiektGt');
		expect(subiekt.length).toBeGreaterThan(0);
		for (const n of subiekt) expect(Object.keys(n.credentials ?? {})).toEqual(['subiektGtSqlApi']);
	});

	it('connects only existing nodes, and every non-sticky node is reachable from a trigger', () => {
		for (const [from, out] of Object.entries(t.connections)) {
			expect([from, names.has(from)]).toEqual([from, true]);
			for (const branch of out.main)
				for (const c of branch) expect([c.node, names.has(c.node)]).toEqual([c.node, true]);
		}
		const triggers = t.nodes.filter((n) => /Trigger$/.test(n.type)).map((n) => n.name);
		const seen = new Set(triggers);
		const queue = [...triggers];
		while (queue.length) {
			const next = queue.shift()!;
			for (const branch of t.connections[next]?.main ?? [])
				for (const c of branch) if (!seen.has(c.node)) queue.push(seen.add(c.node) && c.node);
		}
		const working = t.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote').map((n) => n.name);
		expect(working.filter((n) => !seen.has(n))).toEqual([]);
	});

	it('follows the house style: Run now first among triggers, a schedule, Record Run last, error workflow placeholder', () => {
		const triggers = t.nodes.filter((n) => /Trigger$/.test(n.type));
		expect(triggers[0]).toMatchObject({ name: 'Run now (test)', type: 'n8n-nodes-base.manualTrigger' });
		expect(triggers.some((n) => n.type === 'n8n-nodes-base.scheduleTrigger')).toBe(true);
		const record = t.nodes.find((n) => n.name === 'Record run');
		expect(record).toMatchObject({
			type: 'n8n-nodes-erp-b2b.b2bPortal',
			parameters: { resource: 'syncStatus', operation: 'record', status: 'success' },
		});
		expect(t.connections['Record run']).toBeUndefined();
		expect(t.settings).toEqual({ executionOrder: 'v1', errorWorkflow: '' });
		const sticky = t.nodes
			.filter((n) => n.type === 'n8n-nodes-base.stickyNote')
			.map((n) => String(n.parameters.content));
		expect(sticky.join('\n')).toMatch(/not yet been checked against a live Subiekt GT database/);
	});
});
