/**
 * Template parts (docs/template-parts.md): the sub-workflows a too-large template is split into so the canvas a
 * person opens first stays simple. What holds them together is checked here, for every shipped part and caller:
 * - a part has a fixed id (its callers find it by that id), one Execute Workflow Trigger passing items through, and
 *   ends in one node (n8n hands the caller the output of the last node the part ran);
 * - a part keeps no state: n8n keeps static data per workflow, so a Sync Guard's "pass changed", a stored cursor,
 *   Load Sync State and Record Run belong to the main template (a part shared by four templates would mix theirs);
 * - every Execute Workflow node in a template calls a shipped part from the database source, with all items at once
 *   and waiting for it, under the part's current name; every part is called by some main template.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
	EXECUTE_WORKFLOW,
	EXECUTE_WORKFLOW_TRIGGER,
	TEMPLATES_DIR,
	calledWorkflowId,
	mainTemplateFiles,
	partFiles,
	partsById,
	partsCalledBy,
} from '../fixtures/templates';

interface Node {
	name: string;
	type: string;
	disabled?: boolean;
	parameters: Record<string, any>;
}
interface Template {
	id?: string;
	name: string;
	nodes: Node[];
	connections: Record<string, { main?: Array<Array<{ node: string }> | null> }>;
	settings?: Record<string, unknown>;
}
const load = (rel: string) => JSON.parse(readFileSync(path.join(TEMPLATES_DIR, rel), 'utf8')) as Template;
const STICKY = 'n8n-nodes-base.stickyNote';
const STOP_AND_ERROR = 'n8n-nodes-base.stopAndError';

/** Why a node may not sit in a part (it keeps or loads state of the workflow it runs in), or undefined. */
export function keepsState(n: Node): string | undefined {
	const p = n.parameters ?? {};
	if (p.cursorMode === 'stored') return 'a stored cursor';
	if (
		n.type === 'n8n-nodes-erp-b2b.b2bSyncGuard' &&
		(p.resource ?? 'delta') === 'delta' &&
		(p.operation ?? 'passChanged') === 'passChanged'
	)
		return "Sync Guard's pass changed";
	if (n.type === 'n8n-nodes-erp-b2b.b2bPortal' && p.resource === 'syncStatus') return `Sync Status → ${p.operation}`;
	if (p.operation === 'findOverdue') return "the watchdog's alert memory";
	return undefined;
}

/** The problems of one part, as readable strings (empty = fine). */
export function partProblems(t: Template): string[] {
	const problems: string[] = [];
	if (typeof t.id !== 'string' || !/^erpB2b[A-Za-z0-9]{10}$/.test(t.id) || !/\d/.test(t.id))
		problems.push(`id ${JSON.stringify(t.id)}: 16 letters/digits starting erpB2b, with a digit`);
	const nodes = t.nodes.filter((n) => n.type !== STICKY);
	const triggers = nodes.filter((n) => /Trigger$/.test(n.type));
	if (triggers.length !== 1 || triggers[0].type !== EXECUTE_WORKFLOW_TRIGGER)
		problems.push(
			`starts with ${triggers.map((n) => n.type).join(', ') || 'no trigger'}, not one Execute Workflow Trigger`,
		);
	else if (triggers[0].parameters.inputSource !== 'passthrough')
		problems.push(`"${triggers[0].name}" does not pass the caller's items through (inputSource)`);
	// a Stop and Error has no output: it fails the part (and so the caller's node and run), it is no end of a branch
	const ends = nodes.filter(
		(n) => n.type !== STOP_AND_ERROR && !(t.connections[n.name]?.main ?? []).some((b) => (b ?? []).length > 0),
	);
	if (ends.length !== 1) problems.push(`ends in ${ends.length} nodes (${ends.map((n) => n.name).join(', ')}), not one`);
	for (const n of nodes) {
		const why = keepsState(n);
		if (why) problems.push(`"${n.name}" keeps state (${why}); it belongs to the main template`);
	}
	if (t.settings?.executionOrder !== 'v1') problems.push('settings.executionOrder is not v1');
	return problems;
}

/** The problems of one Execute Workflow node in a template (empty = fine). */
export function callProblems(n: Node, parts: Map<string, { workflow: { name?: string } }>): string[] {
	const p = n.parameters ?? {};
	const id = calledWorkflowId(n);
	const part = id === undefined ? undefined : parts.get(id);
	if (!part) return [`"${n.name}" calls ${JSON.stringify(p.workflowId)}, not a shipped part`];
	const problems: string[] = [];
	if (p.workflowId?.cachedResultName !== part.workflow.name)
		problems.push(
			`"${n.name}" shows the part as "${p.workflowId?.cachedResultName}", its name is "${part.workflow.name}"`,
		);
	if ((p.mode ?? 'once') !== 'once') problems.push(`"${n.name}" calls the part once per item`);
	if (p.options?.waitForSubWorkflow === false) problems.push(`"${n.name}" does not wait for the part`);
	if (n.disabled) problems.push(`"${n.name}" is disabled`);
	return problems;
}

describe('the checks themselves', () => {
	const part: Template = {
		id: 'erpB2bCheck00001',
		name: 'check',
		nodes: [
			{ name: 'In', type: EXECUTE_WORKFLOW_TRIGGER, parameters: { inputSource: 'passthrough' } },
			{ name: 'A', type: 'n8n-nodes-base.noOp', parameters: {} },
		],
		connections: { In: { main: [[{ node: 'A' }]] } },
		settings: { executionOrder: 'v1' },
	};
	it('accept a well-formed part and name each thing wrong with a bad one', () => {
		expect(partProblems(part)).toEqual([]);
		const bad: Template = {
			...part,
			id: 'sapOrders',
			nodes: [
				...part.nodes,
				{ name: 'Guard', type: 'n8n-nodes-erp-b2b.b2bSyncGuard', parameters: { operation: 'passChanged' } },
				{
					name: 'Record run',
					type: 'n8n-nodes-erp-b2b.b2bPortal',
					parameters: { resource: 'syncStatus', operation: 'record' },
				},
			],
			connections: { In: { main: [[{ node: 'A' }, { node: 'Guard' }]] } },
		};
		// a Stop and Error (no output) beside the one end is fine: it fails the run, it returns nothing
		const stops: Template = {
			...part,
			nodes: [...part.nodes, { name: 'Stop', type: STOP_AND_ERROR, parameters: {} }],
			connections: { In: { main: [[{ node: 'A' }, { node: 'Stop' }]] } },
		};
		expect(partProblems(stops)).toEqual([]);
		expect(partProblems(bad)).toEqual([
			'id "sapOrders": 16 letters/digits starting erpB2b, with a digit',
			'ends in 3 nodes (A, Guard, Record run), not one',
			`"Guard" keeps state (Sync Guard's pass changed); it belongs to the main template`,
			'"Record run" keeps state (Sync Status → record); it belongs to the main template',
		]);
	});
	it('find the parts a workflow calls through other parts, each once, and name a call to nothing shipped', () => {
		const parts = partsById();
		for (const [id, { workflow }] of parts) {
			const caller = {
				nodes: [{ type: EXECUTE_WORKFLOW, parameters: { source: 'database', workflowId: { value: id } } }],
			};
			expect(partsCalledBy(caller)[0].workflow).toBe(workflow);
		}
		const stray: Node = {
			name: 'Call',
			type: EXECUTE_WORKFLOW,
			parameters: { workflowId: { __rl: true, value: 'nope' } },
		};
		expect(callProblems(stray, parts)).toEqual(['"Call" calls {"__rl":true,"value":"nope"}, not a shipped part']);
	});
});

const PARTS = partFiles();
const CALLERS = mainTemplateFiles()
	.map((rel) => ({ rel, t: load(rel) }))
	.filter(({ t }) => t.nodes.some((n) => n.type === EXECUTE_WORKFLOW));

(PARTS.length ? describe.each(PARTS) : describe.skip.each(['(no parts shipped)']))('part %s', (rel) => {
	it('has a fixed id, one pass-through Execute Workflow Trigger, one end, and keeps no state', () => {
		expect(partProblems(load(rel))).toEqual([]);
	});
	it('is called by a main template', () => {
		const t = load(rel);
		const callers = CALLERS.filter(({ t: c }) => partsCalledBy(c).some((p) => p.workflow.id === t.id));
		expect(callers.length).toBeGreaterThan(0);
	});
});

(CALLERS.length ? describe.each(CALLERS.map((c) => c.rel)) : describe.skip.each(['(no callers)']))(
	'template %s',
	(rel) => {
		it('calls only shipped parts, all items at once, waiting, under their current names', () => {
			const t = load(rel);
			const parts = partsById();
			expect(t.nodes.filter((n) => n.type === EXECUTE_WORKFLOW).flatMap((n) => callProblems(n, parts))).toEqual([]);
		});
	},
);
