// `npm run demo`: the main job on an embedded default. Starts the portal simulator and a real n8n
// (2.41.1 on Node 24, from the npm registry) with this pack installed the way n8n's community-package
// installer does, imports a credential and the templates, runs a sync, sends one correctly and one badly
// signed order webhook, prints what happened and leaves the editor open on 127.0.0.1.
//   npm run demo                 keep running until Ctrl+C
//   npm run demo -- --exit       print the summary and stop (used by the tests)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureRuntime } from './runtime.mjs';

const require = createRequire(import.meta.url);
require('./ts-register.cjs');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const exitAfterSummary = process.argv.includes('--exit') || process.env.DEMO_EXIT === '1';
const n8nPort = Number(process.env.DEMO_N8N_PORT ?? 5678);
const portalPort = Number(process.env.DEMO_PORTAL_PORT ?? 0);

const started = Date.now();
const say = (line = '') => process.stdout.write(`${line}\n`);
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
async function timed(label, fn) {
	const t = Date.now();
	process.stdout.write(`• ${label} … `);
	const result = await fn();
	say(`done (${secs(Date.now() - t)})`);
	return result;
}

say('n8n-nodes-erp-b2b demo: simulated B2B portal + real n8n with the pack loaded');
say();
await timed('Node 24 and n8n 2.41.1 from the npm registry (cached in .cache/)', async () => ensureRuntime());
const { startPortalSimulator } = require(path.join(root, 'test/simulators/portal/server.ts'));
const { N8nInstance } = require(path.join(root, 'test/e2e/harness/n8n-instance.ts'));
const { makeOrder } = require(path.join(root, 'test/fixtures/polish.ts'));

const sim = await timed('portal simulator on 127.0.0.1', () => startPortalSimulator({ port: portalPort, admin: true }));
const owner = { email: 'demo@example.com', firstName: 'Demo', lastName: 'Konsultant', password: 'Demo-Passw0rd-1' };
const n8n = await N8nInstance.create({ port: n8nPort || undefined, owner });
let stopping = false;
async function stop(code = 0) {
	if (stopping) return;
	stopping = true;
	await n8n.dispose().catch(() => {});
	await sim.close().catch(() => {});
	process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
	await timed('build, pack and install the pack into n8n (.n8n/nodes)', () => n8n.installPack());
	const cred = { id: 'demoPortalCred01', name: 'B2B Portal account' };
	await timed('import the B2B Portal credential (pointing at the simulator)', () =>
		n8n.importCredentials([
			{ ...cred, type: 'b2bPortalApi', data: { baseUrl: sim.url, authType: 'apiKey', apiKey: sim.apiKey, webhookSecret: sim.webhookSecret } },
		]),
	);
	const template = (name) => JSON.parse(readFileSync(path.join(root, 'workflows-templates', name), 'utf8'));
	const [smokeId, hookId] = await timed('import the templates', () =>
		n8n.importWorkflows(
			['portal-smoke.json', 'portal-order-webhook.json'].map((name) => ({ workflow: template(name), credentialIds: { b2bPortalApi: cred } })),
		),
	);

	const run = await timed('run "Portal smoke test – send sample products" headless', () => n8n.execute(smokeId));
	if (!run.ok) throw new Error(`the smoke workflow failed: ${run.error}`);

	await timed('publish the order-webhook workflow and start n8n', async () => {
		await n8n.publish(hookId);
		await n8n.start();
	});
	await n8n.api('GET', '/workflows?limit=1'); // sets up the owner account printed below
	const url = await n8n.webhookUrlFor(hookId, 'Order from portal');
	sim.seedOrder(makeOrder(1));
	const good = await sim.sendOrderEvent(url, { type: 'order.created', order: 'B2B/2026/000001', id: 'demo-evt-1' });
	const bad = await sim.sendOrderEvent(url, { type: 'order.created', order: 'B2B/2026/000001', id: 'demo-evt-2', secret: 'wrong-secret' });
	const execution = await n8n.waitForExecution(hookId).catch(() => undefined);
	const deadline = Date.now() + 10_000;
	while (!sim.state.syncStatus.has('order-webhook B2B/2026/000001') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));

	say();
	say('What happened');
	const batch = sim.requests.filter((r) => r.path === '/v1/products/batch');
	say(`  products in the portal: ${sim.state.products.size} (sent in ${batch.length} batch request(s), workflow run ${secs(run.ms)})`);
	for (const p of sim.state.products.values()) say(`    ${p.code.padEnd(8)} ${p.name}`);
	say(`  signed order webhook:      HTTP ${good.status} → workflow execution ${execution ? `${execution.id} (${execution.status})` : 'not seen'}`);
	say(`  badly signed webhook:      HTTP ${bad.status} → refused, no workflow started`);
	for (const s of sim.state.syncStatus.values()) say(`  heartbeat "${s.flow}": ${s.status} ${JSON.stringify(s.counts ?? {})}`);
	say(`  total ${secs(Date.now() - started)}`);
	say();
	say(`n8n editor:        ${n8n.baseUrl}/   login ${owner.email} / ${owner.password}`);
	say(`portal simulator:  ${sim.url}   (API key ${sim.apiKey}; its state: http://127.0.0.1:${sim.port}/__sim/state)`);
	say(`order webhook URL: ${url}`);
	if (exitAfterSummary) await stop(0);
	say('Press Ctrl+C to stop.');
} catch (error) {
	say();
	say(`demo failed: ${error?.stack ?? error}`);
	say(n8n.logs().split('\n').slice(-40).join('\n'));
	await stop(1);
}
