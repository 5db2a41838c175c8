/**
 * Every template whose flow keeps state between runs (a reader "changed since the last successful run", the B2B
 * Sync Guard's delta, the watchdog's alert memory) loads that state from the portal right after each trigger that
 * leads to it, and writes it back at Record Run. Without that, a queue-mode worker starts each run with nothing
 * (nodes/shared/syncState.ts): it reads and sends everything and sees no deletion.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TEMPLATES_DIR, templateFiles } from '../fixtures/templates';

interface Node {
	name: string;
	type: string;
	disabled?: boolean;
	parameters: Record<string, any>;
	credentials?: Record<string, { id: string; name: string }>;
}
interface Template {
	nodes: Node[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}

const stateful = (n: Node) =>
	n.parameters.cursorMode === 'stored' ||
	n.parameters.operation === 'passChanged' ||
	n.parameters.operation === 'findOverdue';
const isLoad = (n: Node) => n.type === 'n8n-nodes-erp-b2b.b2bPortal' && n.parameters.operation === 'loadState';
const isTrigger = (n: Node) => /Trigger$/.test(n.type);

describe.each(templateFiles())('%s', (file) => {
	const t = JSON.parse(readFileSync(path.join(TEMPLATES_DIR, file), 'utf8')) as Template;
	const byName = new Map(t.nodes.map((n) => [n.name, n]));
	const next = (name: string) => (t.connections[name]?.main ?? []).flat().map((c) => byName.get(c.node)!);
	/** the nodes reachable from `name` */
	const reach = (name: string): Node[] => {
		const seen = new Set<string>();
		const todo = [name];
		while (todo.length)
			for (const n of next(todo.pop()!))
				if (!seen.has(n.name)) {
					seen.add(n.name);
					todo.push(n.name);
				}
		return [...seen].map((n) => byName.get(n)!);
	};

	it('a trigger that leads to kept state goes to Load Sync State first, and only there; Load sits right after triggers', () => {
		for (const trigger of t.nodes.filter(isTrigger)) {
			const leads = reach(trigger.name).some(stateful);
			const first = next(trigger.name);
			// the order webhook path keeps no state (claims live in the portal): no request per order for it
			if (leads)
				expect({ trigger: trigger.name, first: first.map((n) => n.name) }).toEqual({
					trigger: trigger.name,
					first: first.filter(isLoad).map((n) => n.name),
				});
			if (leads) expect(first).toHaveLength(1);
		}
		for (const load of t.nodes.filter(isLoad)) {
			const feeding = t.nodes.filter((n) => next(n.name).includes(load));
			expect(feeding.length).toBeGreaterThan(0);
			expect(feeding.every(isTrigger)).toBe(true);
			expect(load.credentials?.b2bPortalApi).toEqual({ id: '', name: 'B2B Portal account' });
			// and the run writes the state back: a Record Run that commits is reachable
			const record = reach(load.name).find((n) => n.parameters.operation === 'record');
			expect(record?.parameters.commitCursors).not.toBe(false);
		}
	});
});
