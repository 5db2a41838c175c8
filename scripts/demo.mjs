// `npm run demo`: the main job on an embedded default. Starts the SAP Business One simulator, the portal
// simulator and a real n8n (2.41.1 on Node 24, from the npm registry) with this pack installed the way n8n's
// community-package installer does, imports the credentials and the templates, runs the SAP → portal sync
// (products, prices, stock, clients) and the portal smoke test, takes one order from the portal into SAP
// (price check, sales order, confirmation with the DocNum), sends one correctly and one badly signed order
// webhook, prints what happened and leaves the editor open on 127.0.0.1. n8n starts with
// NODE_OPTIONS=--max-old-space-size=512, the heap the README's install section tells users to set (the harness default).
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
const { startSapSimulator } = require(path.join(root, 'test/simulators/sap-b1/server.ts'));

const sim = await timed('portal simulator on 127.0.0.1', () => startPortalSimulator({ port: portalPort, admin: true }));
const sap = await timed('SAP Business One simulator on 127.0.0.1 (500 items, 3 warehouses, 20 customers)', () =>
	startSapSimulator({ seed: { items: 500, customers: 20, specialPrices: 60, seed: 2026 }, loginDelayMs: 150 }),
);
const owner = { email: 'demo@example.com', firstName: 'Demo', lastName: 'Konsultant', password: 'Demo-Passw0rd-1' };
const n8n = await N8nInstance.create({ port: n8nPort || undefined, owner });
let stopping = false;
async function stop(code = 0) {
	if (stopping) return;
	stopping = true;
	await n8n.dispose().catch(() => {});
	await sim.close().catch(() => {});
	await sap.close().catch(() => {});
	process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
	await timed('build, pack and install the pack into n8n (.n8n/nodes)', () => n8n.installPack());
	const cred = { id: 'demoPortalCred01', name: 'B2B Portal account' };
	const sapCred = { id: 'demoSapB1Cred001', name: 'SAP Business One account' };
	await timed('import the credentials (pointing at the simulators)', () =>
		n8n.importCredentials([
			{ ...cred, type: 'b2bPortalApi', data: { baseUrl: sim.url, authType: 'apiKey', apiKey: sim.apiKey, webhookSecret: sim.webhookSecret } },
			{
				...sapCred,
				type: 'sapB1Api',
				data: { serviceLayerUrl: sap.url, companyDb: sap.companyDb, username: 'manager', password: '1234', gatewayUrl: sap.gatewayUrl, timeZone: 'Europe/Warsaw' },
			},
		]),
	);
	const template = (name) => JSON.parse(readFileSync(path.join(root, 'workflows-templates', name), 'utf8'));
	const credentialIds = { b2bPortalApi: cred, sapB1Api: sapCred };
	const files = ['portal-smoke.json', 'portal-order-webhook.json', ...['products', 'prices', 'stock', 'clients', 'orders'].map((n) => `sap-b1/sap-b1-${n}.json`)];
	const [smokeId, hookId, productsId, pricesId, stockId, clientsId, ordersId] = await timed(`import ${files.length} templates`, () =>
		n8n.importWorkflows(files.map((name) => ({ workflow: template(name), credentialIds }))),
	);

	const run = await timed('run "Portal smoke test – send sample products" headless', () => n8n.execute(smokeId));
	if (!run.ok) throw new Error(`the smoke workflow failed: ${run.error}`);
	const syncStarted = Date.now();
	const batch = await timed('run the SAP B1 → portal sync: products, prices, stock, clients', () => n8n.executeBatch([productsId, pricesId, stockId, clientsId]));
	for (const [id, r] of Object.entries(batch)) if (!r.ok) throw new Error(`SAP template ${id} failed: ${r.error}`);
	const syncMs = Date.now() - syncStarted;

	// one order placed in the portal at SAP's prices, one with a wrong price
	const customer = [...sap.state.partners.values()].find(
		(p) => p.CardType === 'cCustomer' && p.Valid === 'tYES' && p.Frozen !== 'tYES' && sap.state.priceLists.get(p.PriceListNum)?.IsGrossPrice !== 'tYES',
	);
	const listPrice = (item) => {
		const g = sap.state.priceOf(item, customer.PriceListNum).grosze;
		return `${Math.floor(g / 100)}.${String(g % 100).padStart(2, '0')}`;
	};
	const stocked = [...sap.state.items.values()].filter(
		(i) =>
			i.Valid === 'tYES' &&
			i.Frozen !== 'tYES' &&
			sap.state.stockOf(i.ItemCode, i.DefaultWarehouse).InStock >= 5 &&
			sap.state.priceOf(i, customer.PriceListNum).grosze > 2000 &&
			!sap.state.specialPrice(customer.CardCode, i.ItemCode) &&
			!sap.state.specialPrice(`*${customer.PriceListNum}`, i.ItemCode),
	);
	const portalPriceOf = listPrice;
	const line = (item, price) => ({ lineNo: 1, productCode: item.ItemCode, quantity: '2', unitPrice: price, vatRate: { S23: '23', S8: '8', S5: '5', S0: '0' }[item.SalesVATGroup] ?? '23' });
	sim.seedOrder(makeOrder(2, { clientCode: customer.CardCode, lines: [line(stocked[0], portalPriceOf(stocked[0]))] }));
	sim.seedOrder(makeOrder(3, { clientCode: customer.CardCode, lines: [line(stocked[1], (Number(portalPriceOf(stocked[1])) - 10).toFixed(2))] }));
	const orders = await timed('run the SAP B1 orders template: 2 portal orders → price check → SAP', () => n8n.execute(ordersId));
	if (!orders.ok) throw new Error(`the orders workflow failed: ${orders.error}`);

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
	const SMOKE = new Set(['ŁÓD-001', 'ŻAG-002', 'WIO-003']);
	const clientPrices = [...sim.state.prices.values()].filter((p) => p.scope === 'client').length;
	say(`  SAP → portal in ${secs(syncMs)}: ${sim.state.products.size - 3} products, ${sim.state.prices.size} prices (${clientPrices} per client), ${sim.state.stock.size} stock levels, ${sim.state.clients.size} clients`);
	for (const p of [...sim.state.products.values()].filter((x) => !SMOKE.has(x.code)).slice(0, 3)) say(`    ${p.code}  ${p.name}`);
	say(`  smoke test: 3 sample products (run ${secs(run.ms)}):`);
	for (const p of [...sim.state.products.values()].filter((x) => SMOKE.has(x.code))) say(`    ${p.code.padEnd(8)} ${p.name}`);
	for (const n of ['B2B/2026/000002', 'B2B/2026/000003']) {
		const o = sim.state.orders.get(n);
		const last = sim.state.orderStatusHistory.get(n)?.at(-1);
		say(`  portal order ${n}: ${o.status}${o.erpDocumentNumber ? ` as SAP sales order ${o.erpDocumentNumber}` : ''}${last?.reason ? ` – ${last.reason}` : ''}`);
	}
	say(`  signed order webhook:      HTTP ${good.status} → workflow execution ${execution ? `${execution.id} (${execution.status})` : 'not seen'}`);
	say(`  badly signed webhook:      HTTP ${bad.status} → refused, no workflow started`);
	for (const s of sim.state.syncStatus.values()) say(`  heartbeat "${s.flow}": ${s.status} ${JSON.stringify(s.counts ?? {})}`);
	say(`  total ${secs(Date.now() - started)}`);
	say();
	say(`n8n editor:        ${n8n.baseUrl}/   login ${owner.email} / ${owner.password}`);
	say(`portal simulator:  ${sim.url}   (API key ${sim.apiKey}; its state: http://127.0.0.1:${sim.port}/__sim/state)`);
	say(`SAP simulator:     ${sap.url}   (company ${sap.companyDb}, user manager / 1234)`);
	say(`order webhook URL: ${url}`);
	say();
	say('This demo runs the SAP Business One templates. The other ERPs have their own templates and simulators:');
	say('  Subiekt GT   workflows-templates/subiekt-gt/   (SQL Server, EDI++ files, Sfera bridge)');
	say('  enova365     workflows-templates/enova365/     simulator: node test/simulators/enova365/run-cli.mjs');
	say('               (the WebAPI add-on is our contract, docs/enova365-webapi-contract.md; no live enova365 has verified it)');
	say('  Optima       workflows-templates/optima/       simulators: node test/simulators/optima/run-cli.mjs');
	say('               (SQL Server reads + the Optima bridge, both only against our simulators; no live Optima has verified them)');
	say('  file export  workflows-templates/file-sync/    (CSV/XML/EDI++/JSON over FTP or a folder)');
	if (exitAfterSummary) await stop(0);
	say('Press Ctrl+C to stop.');
} catch (error) {
	say();
	say(`demo failed: ${error?.stack ?? error}`);
	say(n8n.logs().split('\n').slice(-40).join('\n'));
	await stop(1);
}
