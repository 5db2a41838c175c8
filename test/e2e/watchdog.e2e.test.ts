/**
 * The watchdog templates (workflows-templates/watchdog/) in a real n8n 2.41.1 with the packed pack, the portal
 * simulator and a small alert receiver on 127.0.0.1 standing in for a Slack/Teams incoming webhook.
 *
 * The watched flow is portal-smoke (the lightest template that records a heartbeat). Its Record Run records no
 * interval, so the watchdog lists it under "Flows That Must Report" with 60 minutes — the override a consultant
 * would set.
 *
 * How time passes: after portal-smoke ran, its heartbeat in the portal simulator is moved two hours into the
 * past (startedAt and finishedAt), which is exactly the state the portal would hold had the flow last run two
 * hours ago and been stopped since. The watchdog is untouched: it runs in n8n, reads the portal over HTTP and
 * measures silence against n8n's own clock. Nothing asserts on how long anything takes.
 *
 * The runs are `n8n execute` (mode "cli"), which keeps workflow static data like a production run: that is
 * where the watchdog remembers what it already alerted. The failure case needs n8n running (the error
 * workflow is started by the n8n process whose execution failed): error-alert is published, a copy of
 * portal-smoke with a webhook trigger and a broken product is published with Error Workflow = error-alert,
 * and its webhook is called.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { N8nInstance, REPO_ROOT, httpRequest, nodeItems } from './harness/n8n-instance';
import { stepTimings, until } from './harness/steps';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';

jest.setTimeout(300_000);

const DIR = path.join(REPO_ROOT, 'workflows-templates');
const load = (rel: string) => JSON.parse(readFileSync(path.join(DIR, rel), 'utf8'));
const CRED = { id: 'portalCred0001', name: 'B2B Portal account' };
const API_KEY = 'e2e-watchdog-KEY-5b1e7f0a';
const SMOKE_NAME = 'Portal smoke test – send sample products';

interface Alert {
	path: string;
	body: Record<string, any>;
}

let portal: PortalSimulator;
let n8n: N8nInstance;
let receiver: http.Server;
let receiverUrl: string;
const alerts: Alert[] = [];
const ids = { smoke: '', watchdog: '', errorAlert: '', failing: '' };
const started = Date.now();
const { timings, timed } = stepTimings();
const watchdogAlerts = () => alerts.filter((a) => a.path === '/watchdog');
const errorAlerts = () => alerts.filter((a) => a.path === '/errors');

async function runWatchdog(): Promise<Array<Record<string, unknown>>> {
	const r = await timed('watchdog run', () => n8n.execute(ids.watchdog));
	expect(r.error).toBeUndefined();
	expect(r.ok).toBe(true);
	return nodeItems(r.data, 'Find overdue or failing flows').filter((j) => j.flow !== undefined);
}

async function runSmoke(): Promise<void> {
	const r = await timed('portal-smoke run', () => n8n.execute(ids.smoke));
	expect(r.error).toBeUndefined();
	expect(portal.state.syncStatus.get('portal-smoke')).toMatchObject({ status: 'success' });
}

function withAlertUrl(workflow: any, url: string): any {
	const node = workflow.nodes.find((n: any) => n.name === 'Send alert (webhook)');
	node.parameters.url = url;
	return workflow;
}

beforeAll(async () => {
	portal = await startPortalSimulator({ apiKey: API_KEY });
	receiver = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			alerts.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') });
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

	n8n = await N8nInstance.create();
	await timed('install pack', () => n8n.installPack());
	await n8n.importCredentials([
		{
			id: CRED.id,
			name: CRED.name,
			type: 'b2bPortalApi',
			data: { baseUrl: portal.url, authType: 'apiKey', apiKey: API_KEY },
		},
	]);

	const watchdog = withAlertUrl(load('watchdog/watchdog.json'), `${receiverUrl}/watchdog`);
	const find = watchdog.nodes.find((n: any) => n.name === 'Find overdue or failing flows');
	find.parameters.watchedFlows = { flow: [{ name: 'portal-smoke', everyMinutes: 60 }] };
	const errorAlert = withAlertUrl(load('watchdog/error-alert.json'), `${receiverUrl}/errors`);

	ids.errorAlert = 'errAlertWf0001';
	// portal-smoke as it would run in production (a trigger instead of the button), failing on a product without code
	const failing = load('portal-smoke.json');
	failing.nodes.push({
		id: 'b9b3c1de-0f59-4a8e-9c4f-5a1d2e3f4a5b',
		name: 'Start by webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 200],
		webhookId: '6f0c2a8e-watchdog-e2e',
		parameters: { httpMethod: 'POST', path: 'watchdog-e2e-fail', responseMode: 'onReceived', options: {} },
	});
	failing.connections['Start by webhook'] = { main: [[{ node: 'Send products to portal', type: 'main', index: 0 }]] };
	const send = failing.nodes.find((n: any) => n.name === 'Send products to portal');
	send.parameters.records = JSON.stringify([
		{ name: 'Łódka bez kodu – zażółć gęślą jaźń', unit: 'szt.', vatRate: '23', active: true },
	]);
	failing.settings = { ...failing.settings, errorWorkflow: ids.errorAlert };

	[ids.smoke, ids.watchdog, ids.errorAlert, ids.failing] = await n8n.importWorkflows([
		{ workflow: load('portal-smoke.json'), id: 'smokeWf0000001', credentialIds: { b2bPortalApi: CRED } },
		{ workflow: watchdog, id: 'watchdogWf0001', credentialIds: { b2bPortalApi: CRED } },
		{ workflow: errorAlert, id: ids.errorAlert, credentialIds: { b2bPortalApi: CRED } },
		{ workflow: failing, id: 'failingWf00001', credentialIds: { b2bPortalApi: CRED } },
	]);
	expect(failing.name).toBe(SMOKE_NAME);
});

afterAll(async () => {
	await n8n?.dispose();
	await new Promise((r) => receiver?.close(r));
	await portal?.close();
	// eslint-disable-next-line no-console
	console.log(
		`watchdog e2e timings:\n  ${timings.join('\n  ')}\n  total: ${((Date.now() - started) / 1000).toFixed(1)} s`,
	);
});

afterEach(() => expect(portal.contractViolations).toEqual([]));

describe('watchdog in real n8n: a stopped flow is noticed', () => {
	it('the flow ran and reported: the watchdog stays silent and records its own heartbeat', async () => {
		await runSmoke();
		expect(await runWatchdog()).toEqual([]);
		expect(watchdogAlerts()).toEqual([]);
		expect(portal.state.syncStatus.get('watchdog')).toMatchObject({
			status: 'success',
			expectedEveryMinutes: 5,
			counts: { alerts: 0 },
		});
	});

	it('the flow stopped two hours ago: exactly one alert naming it, not repeated at the next check', async () => {
		const last = portal.state.syncStatus.get('portal-smoke')!;
		const back = (iso: string) => new Date(Date.parse(iso) - 120 * 60_000).toISOString();
		portal.state.syncStatus.set('portal-smoke', {
			...last,
			startedAt: back(last.startedAt),
			finishedAt: back(last.finishedAt),
		});

		const found = await runWatchdog();
		expect(found.map((f) => [f.flow, f.problem])).toEqual([['portal-smoke', 'overdue']]);
		expect(watchdogAlerts()).toHaveLength(1);
		const [alert] = watchdogAlerts();
		expect(alert.body).toMatchObject({ flow: 'portal-smoke', problem: 'overdue', lastStatus: 'success' });
		expect(alert.body.minutesOverdue).toBeGreaterThanOrEqual(60);
		expect(alert.body.text).toMatch(
			/^Przepływ „portal-smoke” milczy od 1\d\d min .*\nFlow "portal-smoke" has been silent for 1\d\d min/s,
		);
		expect(portal.state.syncStatus.get('watchdog')!.counts).toEqual({ alerts: 1 });

		expect(await runWatchdog()).toEqual([]);
		expect(watchdogAlerts()).toHaveLength(1);
	});

	it('the flow runs again: one "recovered" message, then silence', async () => {
		await runSmoke();
		const found = await runWatchdog();
		expect(found.map((f) => [f.flow, f.problem])).toEqual([['portal-smoke', 'recovered']]);
		expect(watchdogAlerts()).toHaveLength(2);
		expect(watchdogAlerts()[1].body).toMatchObject({ flow: 'portal-smoke', problem: 'recovered' });
		expect(watchdogAlerts()[1].body.messagePl).toMatch(/^Przepływ „portal-smoke” znowu działa/);

		expect(await runWatchdog()).toEqual([]);
		expect(watchdogAlerts()).toHaveLength(2);
	});
});

describe('error-alert in real n8n: a failed run is alerted and recorded', () => {
	it('Run now (test) sends a sample alert and records nothing', async () => {
		const r = await timed('error-alert test run', () => n8n.execute(ids.errorAlert));
		expect(r.error).toBeUndefined();
		expect(errorAlerts()).toHaveLength(1);
		expect(errorAlerts()[0].body).toMatchObject({ flow: 'Test alarmu – Error alert', problem: 'failing' });
		expect(errorAlerts()[0].body.messagePl).toContain('Przykładowy błąd – test alarmu (zażółć gęślą jaźń)');
		expect(portal.state.syncStatus.has('Test alarmu – Error alert')).toBe(false);
		const ran = Object.keys((r.data?.data?.resultData ?? r.data?.resultData)?.runData ?? {});
		expect(ran).toContain('Real failure (not a test)?');
		expect(ran).not.toContain('Record failure');
		alerts.splice(0, alerts.length, ...watchdogAlerts());
	});

	it('a run failing in production starts error-alert: alert sent, failure recorded under the flow name', async () => {
		await timed('publish + start n8n', async () => {
			await n8n.publish(ids.errorAlert);
			await n8n.publish(ids.failing);
			const { publications } = await n8n.start();
			for (const p of publications) expect(p).toMatchObject({ status: 'completed' });
		});
		const r = await httpRequest('POST', n8n.webhookUrl('watchdog-e2e-fail'), { body: { test: 'zażółć' } });
		expect(r.status).toBe(200);
		await timed('error alert arrives', () => until('the error alert', () => errorAlerts().length > 0, 60_000));
		await until(
			'the failure in the portal',
			() => portal.state.syncStatus.get('portal-smoke')?.status === 'failure',
			60_000,
		);

		expect(errorAlerts()).toHaveLength(1);
		const [alert] = errorAlerts();
		expect(alert.body).toMatchObject({ flow: 'portal-smoke', problem: 'failing', lastStatus: 'failure' });
		expect(alert.body.messagePl).toMatch(
			/^Przepływ „portal-smoke” zakończył się błędem w kroku „Send products to portal”: /,
		);
		expect(alert.body.text).toContain('\nFlow "portal-smoke" failed at step "Send products to portal": ');
		expect(alert.body.text).toContain('code');
		expect(JSON.stringify(alerts)).not.toContain(API_KEY);

		const status = portal.state.syncStatus.get('portal-smoke')!;
		expect(status.message).toMatch(/^Send products to portal: /);
		const executions = await n8n.executions(ids.errorAlert);
		expect(executions.filter((e) => e.mode === 'error').map((e) => e.status)).toEqual(['success']);

		// and the watchdog reports the flow as failing (its problem changed from "fine" to "failing")
		const found = await runWatchdog();
		expect(found.map((f) => [f.flow, f.problem])).toEqual([['portal-smoke', 'failing']]);
		expect(watchdogAlerts().at(-1)!.body).toMatchObject({ flow: 'portal-smoke', problem: 'failing' });
	});
});
