/**
 * Static checks of workflows-templates/watchdog/: the house style, the alert wiring a consultant relies on
 * (webhook on, e-mail and Slack present but disabled), and the error workflow's table of flow names, which
 * must match the Flow Name in every other template's Record Run (a renamed template would otherwise record its
 * failures under a flow the watchdog never sees recover).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { templateFiles } from '../fixtures/templates';

const ROOT = path.join(__dirname, '../../workflows-templates');
interface Node {
	name: string;
	type: string;
	disabled?: boolean;
	alwaysOutputData?: boolean;
	onError?: string;
	parameters: Record<string, any>;
}
interface Template {
	name: string;
	nodes: Node[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
	settings: Record<string, unknown>;
}
const load = (rel: string) => JSON.parse(readFileSync(path.join(ROOT, rel), 'utf8')) as Template;
const targets = (t: Template, from: string) => (t.connections[from]?.main ?? []).map((b) => b.map((c) => c.node));

describe.each(['watchdog.json', 'error-alert.json'])('template watchdog/%s', (file) => {
	const t = load(`watchdog/${file}`);
	it('house style: Run now first among triggers, error workflow placeholder, credentials by type only', () => {
		const triggers = t.nodes.filter((n) => /Trigger$/.test(n.type));
		expect(triggers[0]).toMatchObject({ name: 'Run now (test)', type: 'n8n-nodes-base.manualTrigger' });
		expect(t.settings).toEqual({ executionOrder: 'v1', errorWorkflow: '' });
		for (const n of t.nodes as Array<Node & { credentials?: Record<string, { id: string }> }>)
			for (const c of Object.values(n.credentials ?? {})) expect(c.id).toBe('');
		const names = new Set(t.nodes.map((n) => n.name));
		for (const [from, c] of Object.entries(t.connections)) {
			expect(names.has(from)).toBe(true);
			for (const b of c.main) for (const x of b) expect(names.has(x.node)).toBe(true);
		}
	});

	it('alerts through a webhook by default; e-mail and Slack are wired in parallel, disabled, with a note', () => {
		const http = t.nodes.find((n) => n.name === 'Send alert (webhook)')!;
		expect(http).toMatchObject({ type: 'n8n-nodes-base.httpRequest', parameters: { method: 'POST' } });
		expect(http.disabled).toBeUndefined();
		expect(http.parameters.url).toMatch(/REPLACE/);
		const email = t.nodes.find((n) => n.type === 'n8n-nodes-base.emailSend')!;
		const slack = t.nodes.find((n) => n.type === 'n8n-nodes-base.slack')!;
		expect([email.disabled, slack.disabled]).toEqual([true, true]);
		const feeding = Object.keys(t.connections).filter((k) => targets(t, k).flat().includes(http.name));
		expect(feeding).toHaveLength(1);
		expect(targets(t, feeding[0])[0]).toEqual([http.name, email.name, slack.name]);
		const notes = t.nodes
			.filter((n) => n.type === 'n8n-nodes-base.stickyNote')
			.map((n) => String(n.parameters.content));
		expect(notes.join('\n')).toMatch(/incoming-webhook URL/);
		expect(notes.join('\n')).toMatch(/Activate/);
	});
});

describe('watchdog.json', () => {
	const t = load('watchdog/watchdog.json');
	it('every 5 minutes: Find Overdue (alert once) → alerts → its own heartbeat, also when there is nothing to alert', () => {
		const schedule = t.nodes.find((n) => n.type === 'n8n-nodes-base.scheduleTrigger')!;
		expect(schedule.parameters.rule).toEqual({ interval: [{ field: 'minutes', minutesInterval: 5 }] });
		const find = t.nodes.find((n) => n.parameters.operation === 'findOverdue')!;
		expect(find).toMatchObject({ alwaysOutputData: true, parameters: { resource: 'syncStatus', alertOnce: true } });
		// the alert memory is sync state: loaded from the portal first, so a queue-mode worker alerts once too
		expect(targets(t, 'Run now (test)')).toEqual([['Load sync state']]);
		expect(targets(t, schedule.name)).toEqual([['Load sync state']]);
		expect(targets(t, 'Load sync state')).toEqual([[find.name]]);
		expect(targets(t, 'Anything to alert?')[1]).toEqual(['Record run']);
		expect(targets(t, 'Send alert (webhook)')).toEqual([['Record run']]);
		expect(t.nodes.find((n) => n.name === 'Record run')!.parameters).toMatchObject({
			operation: 'record',
			status: 'success',
			flow: 'watchdog',
			expectedEveryMinutes: 5,
			commitCursors: true,
		});
		expect(t.connections['Record run']).toBeUndefined();
	});
});

describe('error-alert.json', () => {
	const t = load('watchdog/error-alert.json');
	it('starts on any failed run, alerts even if the portal is down, then records a failure (never for a test run)', () => {
		expect(t.nodes.filter((n) => n.type === 'n8n-nodes-base.errorTrigger')).toHaveLength(1);
		expect(t.nodes.find((n) => n.name === 'Send alert (webhook)')!.onError).toBe('continueRegularOutput');
		expect(targets(t, 'Send alert (webhook)')).toEqual([['Real failure (not a test)?']]);
		expect(targets(t, 'Real failure (not a test)?')).toEqual([['Record failure']]);
		expect(t.nodes.find((n) => n.name === 'Record failure')!.parameters).toMatchObject({
			operation: 'record',
			status: 'failure',
			commitCursors: false,
		});
	});

	it("its table of flow names equals every template's Record Run Flow Name (literal names)", () => {
		const table = JSON.parse(t.nodes.find((n) => n.name === 'Flow name of each workflow')!.parameters.jsonOutput)
			.flowNames as Record<string, string>;
		const expected: Record<string, string> = {};
		for (const file of templateFiles()) {
			if (file.startsWith(`watchdog${path.sep}`)) continue;
			const w = JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as Template;
			for (const n of w.nodes)
				if (
					n.parameters?.resource === 'syncStatus' &&
					n.parameters.operation === 'record' &&
					!String(n.parameters.flow).startsWith('=')
				)
					expected[w.name] = n.parameters.flow;
		}
		expect(Object.keys(expected).length).toBeGreaterThanOrEqual(16);
		expect(table).toEqual(expected);
		expect(table['SAP B1 → portal: stock (every 5 min changes, nightly all)']).toBe('sap-b1 stock');
	});
});
