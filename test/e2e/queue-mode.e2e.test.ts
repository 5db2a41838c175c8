/**
 * n8n's queue mode for real (issue #16): PostgreSQL and Redis from Debian's packages on 127.0.0.1 (harness/queue.ts),
 * n8n 2.41.1 as main (editor, schedules) + 2 workers (`n8n worker`) + 1 webhook processor (`n8n webhook`), binary
 * data in the database, the pack installed once in the shared user folder. The SAP B1 and portal simulators stand
 * in for the ERP and the portal.
 *
 * Nothing here runs a workflow through `n8n execute`: in queue mode that CLI falls back to running in its own
 * process. Every run is started the way production starts it — a schedule fired by main, or a webhook received by
 * the webhook processor — and executed by whichever worker Redis hands the job to. So the test copies of the
 * templates differ from the shipped ones in timing only: schedules every few seconds instead of every 5 minutes,
 * and the orders template's claim lease 20 s instead of 300 s, so that a killed worker's orders come back within
 * the test. Everything else is the template as shipped.
 *
 * 1. Stock: full, then 1 % delta, by workers → the portal equals a regular-mode n8n's (SQLite, `n8n execute`) run
 *    of the same template against the same SAP, and the delta sends only what moved; the delta state and the SAP
 *    cursor are kept by the portal (Load Sync State / Record Run, because n8n gives workers no static data) and are
 *    also rows in PostgreSQL; the batch files are rows of n8n's binary_data table, readable by any process.
 * 2. Orders: signed webhooks at 5/s through the webhook processor, 5 % delivered twice at the same moment, SAP
 *    faults (503s, a lost answer), one worker SIGKILLed while SAP works on its orders → every order exactly once in
 *    SAP, none lost; the orders the dead worker held are finished by the poll once their lease ran out.
 * 3. Heartbeats and the watchdog: flows run on workers record their heartbeats; the watchdog, run by a schedule on
 *    whichever worker, alerts once for a flow gone silent (its memory of alerts crosses workers through the portal);
 *    the SAP session cache logs in at most once per worker per session life.
 *
 * Sizes: QUEUE_E2E_ORDERS (default 60) and QUEUE_E2E_ITEMS (default 1,200 items × 3 warehouses).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { N8nInstance, REPO_ROOT, nodeItems, type N8nProcess } from './harness/n8n-instance';
import { until } from './harness/steps';
import { queueModeEnv, startPostgres, startRedis, type PostgresServer, type RedisServer } from './harness/queue';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { startSapSimulator, type SapSimulator } from '../simulators/sap-b1/server';
import { orderPlan, planOrder } from '../fixtures/sap-orders';
import { PORTAL_CRED, SAP_CRED, portalCredential, sapCredential } from '../fixtures/credentials';
import { BATCH_FILE_PROPERTY } from '../../nodes/shared/batch';
import { CURSOR_STORE } from '../../nodes/shared/cursor';
import { DELTA_STORE } from '../../nodes/shared/delta';
import { QUEUE_STATE_NOTICE } from '../../nodes/shared/queueMode';

jest.setTimeout(600_000);

const ORDERS = Number(process.env.QUEUE_E2E_ORDERS ?? 60);
const ITEMS = Number(process.env.QUEUE_E2E_ITEMS ?? 1200);
const LEASE_SECONDS = 20;
const POLL_SECONDS = 15;

const load = (rel: string) =>
	JSON.parse(readFileSync(path.join(REPO_ROOT, 'workflows-templates', rel), 'utf8')) as Record<string, any>;
const CREDENTIAL_IDS = { sapB1Api: SAP_CRED, b2bPortalApi: PORTAL_CRED };
const PORTAL_KEY = 'e2e-queue-portal-KEY-7c1d';
const WEBHOOK_SECRET = 'e2e-queue-webhook-SECRET-źdźbło';

/** A schedule every `seconds` s instead of its minutes/days: main fires it, a worker runs it. */
function everySeconds(workflow: Record<string, any>, nodeName: string, seconds: number): void {
	const node = workflow.nodes.find((n: any) => n.name === nodeName);
	if (!node) throw new Error(`no node "${nodeName}" in ${workflow.name}`);
	node.parameters.rule = { interval: [{ field: 'seconds', secondsInterval: seconds }] };
}

function ordersCopy(): Record<string, any> {
	const wf = load('sap-b1/sap-b1-orders.json');
	everySeconds(wf, 'Every 5 minutes (missed webhooks)', POLL_SECONDS);
	return wf;
}

/** The orders template's SAP part (claim → SAP → confirm), imported in place of the shipped one: a shorter lease. */
function ordersPartCopy(): Record<string, any> {
	const wf = load('sap-b1/parts/sap-b1-order-into-sap.json');
	const claim = wf.nodes.find((n: any) => n.name === 'Claim order in portal');
	expect(claim.parameters.leaseSeconds).toBe(300); // the shipped lease
	claim.parameters.leaseSeconds = LEASE_SECONDS;
	return wf;
}

function stockCopy(): Record<string, any> {
	const wf = load('sap-b1/sap-b1-stock.json');
	everySeconds(wf, 'Every 5 minutes (changes)', 10);
	return wf;
}

function watchdogCopy(alertUrl: string): Record<string, any> {
	const wf = load('watchdog/watchdog.json');
	everySeconds(wf, 'Every 5 minutes', 5);
	wf.nodes.find((n: any) => n.name === 'Send alert (webhook)').parameters.url = alertUrl;
	return wf;
}

let pg: PostgresServer;
let redis: RedisServer;
let sap: SapSimulator;
let portal: PortalSimulator;
let regularPortal: PortalSimulator;
let n8n: N8nInstance;
let regular: N8nInstance;
let workers: N8nProcess[] = [];
let hooks: N8nProcess;
let receiver: http.Server;
let receiverUrl: string;
const alerts: Array<Record<string, any>> = [];
const ids = { orders: 'queueOrders00001', stock: 'queueStock000001', watchdog: 'queueWatchdog001' };
const report: string[] = [];
const stockDelta = { sent: -1, moved: -1 };
const watchdog = { runs: -1, alerts: -1 };
const replay = { answer: '', newRuns: -1 };
const started = Date.now();
const note = (line: string) => report.push(line);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Which worker ran an execution: each worker logs "Worker started execution <id>". */
function workerOf(executionId: string): string | undefined {
	const re = new RegExp(`Worker started execution ${executionId} \\(`);
	return n8n.processes.find((p) => p.kind === 'worker' && re.test(p.logs()))?.name;
}

const parentOf = new Map<string, string>();
const unreadable = new Map<string, string>();
/**
 * The run a claim belongs to: the claim owner is "n8n-" + the id of the execution that claimed, and the orders
 * template claims inside its SAP part, whose run is a sub-execution of the template's run (the one a worker started
 * and logged). n8n keeps the caller in the sub-execution's data (parentExecution).
 */
async function runOfClaim(owner: string): Promise<string> {
	const id = owner.replace(/^n8n-/, '');
	if (!parentOf.has(id)) {
		const r = await n8n.api('GET', `/executions/${encodeURIComponent(id)}?includeData=true`);
		const body = r.status === 200 ? r.json<any>() : undefined;
		const parent = body?.data?.parentExecution?.executionId;
		if (parent === undefined) {
			unreadable.set(
				id,
				`${r.status} ${JSON.stringify(Object.keys(body ?? {}))} ${JSON.stringify(Object.keys(body?.data ?? {}))} mode ${body?.mode} wf ${body?.workflowId}`,
			);
			return id; // not readable yet: asked again next time
		}
		parentOf.set(id, String(parent));
	}
	return parentOf.get(id)!;
}

/** The finished executions of a workflow started by its schedule (mode trigger), oldest first. */
async function triggerRuns(workflowId: string) {
	return (await n8n.executions(workflowId)).filter((e) => e.mode === 'trigger').reverse();
}

async function executionData(id: string): Promise<any> {
	const r = await n8n.api('GET', `/executions/${encodeURIComponent(id)}?includeData=true`);
	expect(r.status).toBe(200);
	return r.json<any>();
}

/** The portal's stock as comparable text, sorted: "key onHand/reserved/available/incoming". */
const stockOf = (p: PortalSimulator) =>
	[...p.state.stock.entries()]
		.map(([k, s]: [string, any]) => `${k} ${s.onHand}/${s.reserved}/${s.available}/${s.incoming}`)
		.sort();
/** The lines of a that b lacks and the other way round (empty both when equal), for a readable failure. */
const stockDiff = (a: string[], b: string[]) => {
	const sa = new Set(a);
	const sb = new Set(b);
	return {
		onlyQueue: a.filter((x) => !sb.has(x)).slice(0, 5),
		onlyRegular: b.filter((x) => !sa.has(x)).slice(0, 5),
		sizes: [a.length, b.length],
	};
};

/**
 * Slows SAP's order creation until a worker is inside it with a claim, then SIGKILLs that worker (and its task
 * runner) and lets SAP go on: the requests already in SAP still complete after the delay, so SAP creates those
 * orders although nobody is left to confirm them. Returns the worker and the orders its runs held.
 */
async function killWorkerMidCreate(): Promise<{ worker: N8nProcess; held: string[] }> {
	const slow = sap.faults.add({ method: 'POST', path: /^\/Orders$/, kind: 'slow', delayMs: 6_000, times: Infinity });
	try {
		let victim: { worker: N8nProcess; held: string[] } | undefined;
		await until(
			'a worker holding an order inside SAP',
			async () => {
				if (slow.hits === 0) return false;
				const live = await Promise.all(
					portal.state.claims.live().map(async (c) => ({ c, worker: workerOf(await runOfClaim(c.owner)) })),
				);
				for (const w of workers) {
					const held = live.filter((x) => x.worker === w.name).map((x) => x.c.orderNumber);
					if (held.length) {
						victim = { worker: w, held };
						return true;
					}
				}
				return false;
			},
			30_000,
		);
		await victim!.worker.kill('SIGKILL');
		return victim!;
	} finally {
		sap.faults.remove(slow);
	}
}

beforeAll(async () => {
	const t = Date.now();
	[pg, redis, sap, portal, regularPortal] = await Promise.all([
		startPostgres(),
		startRedis(),
		startSapSimulator({ seed: { items: ITEMS, seed: 16 }, clock: { start: Date.now(), frozen: true } }),
		startPortalSimulator({ apiKey: PORTAL_KEY, webhookSecret: WEBHOOK_SECRET }),
		startPortalSimulator({ apiKey: PORTAL_KEY, webhookSecret: WEBHOOK_SECRET }),
	]);
	receiver = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			alerts.push(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/watchdog`;
	note(`PostgreSQL ${pg.version} as "${pg.runsAs}" on ${pg.port}, Redis ${redis.version} on ${redis.port}`);

	const creds = (p: PortalSimulator) => [sapCredential(sap), portalCredential(p)];
	n8n = await N8nInstance.create({ env: queueModeEnv(pg, redis), database: pg });
	regular = await N8nInstance.create();
	await Promise.all([n8n.installPack(), regular.installPack()]);
	await n8n.importCredentials(creds(portal));
	await regular.importCredentials(creds(regularPortal));
	const ordersPart = ordersPartCopy();
	await n8n.importWorkflows([
		{ workflow: ordersCopy(), id: ids.orders, credentialIds: CREDENTIAL_IDS },
		{ workflow: ordersPart, id: ordersPart.id, credentialIds: CREDENTIAL_IDS },
		{ workflow: stockCopy(), id: ids.stock, credentialIds: CREDENTIAL_IDS },
		{ workflow: watchdogCopy(receiverUrl), id: ids.watchdog, credentialIds: CREDENTIAL_IDS },
	]);
	await regular.importWorkflows([
		{ workflow: load('sap-b1/sap-b1-stock.json'), id: ids.stock, credentialIds: CREDENTIAL_IDS },
	]);
	await n8n.publish(ordersPart.id); // n8n runs a part's published version (the portal part came published)
	await n8n.start();
	workers = await Promise.all([n8n.startWorker({ concurrency: 5 }), n8n.startWorker({ concurrency: 5 })]);
	hooks = await n8n.startWebhookProcessor();
	note(
		`deployment up in ${((Date.now() - t) / 1000).toFixed(1)} s: main ${n8n.baseUrl}, ${workers.map((w) => w.name).join(', ')}, webhook processor ${hooks.url}`,
	);
});

afterAll(async () => {
	await Promise.all([n8n?.dispose(), regular?.dispose()]);
	await Promise.all([redis?.stop(), pg?.stop(), sap?.close(), portal?.close(), regularPortal?.close()]);
	await new Promise((r) => receiver?.close(r));
	note(`whole file: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	// eslint-disable-next-line no-console
	console.log(`queue-mode e2e:\n  ${report.join('\n  ')}`);
});

afterEach(() => {
	expect(portal.contractViolations).toEqual([]);
	expect(regularPortal.contractViolations).toEqual([]);
	expect(sap.crashes).toEqual([]);
});

describe('n8n queue mode: main + 2 workers + webhook processor on PostgreSQL and Redis', () => {
	it('the deployment: PostgreSQL not as root, n8n tables in it, binary data and executions there', async () => {
		expect(pg.runsAs).not.toBe('root');
		const [{ usename }] = await pg.query<{ usename: string }>(
			'SELECT usename FROM pg_user WHERE usesuper = false AND usename = ?',
			[pg.user],
		);
		expect(usename).toBe(pg.user);
		const tables = (
			await pg.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'")
		).map((r) => r.t);
		expect(tables).toEqual(
			expect.arrayContaining(['workflow_entity', 'execution_entity', 'binary_data', 'webhook_entity']),
		);
		// the webhook processor serves the orders template's webhook; main does not (N8N_DISABLE_PRODUCTION_MAIN_PROCESS)
		await n8n.publish(ids.orders);
		const url = await n8n.webhookUrlFor(ids.orders, 'New order in portal', hooks.url);
		expect(url.startsWith(`${hooks.url}/webhook/`)).toBe(true);
	});

	it('stock: full then 1 % delta run by workers = the regular-mode run; delta state and cursor are rows in PostgreSQL; batch files in binary_data', async () => {
		const levels = sap.state.itemsInOrder().length * sap.state.warehouseOrder.length;
		// regular mode: SQLite, `n8n execute` ("Run now (test)" → the changes read, as the schedule in the copy)
		const full = await regular.execute(ids.stock);
		expect(full.error).toBeUndefined();
		expect(regularPortal.state.stock.size).toBe(levels);

		// queue mode: main's schedule fires every 10 s, a worker runs it
		let t = Date.now();
		await n8n.publish(ids.stock);
		await until(
			'the first scheduled stock run',
			async () => (await triggerRuns(ids.stock)).some((e) => e.finished),
			90_000,
		);
		const [first] = await triggerRuns(ids.stock);
		expect(first.status).toBe('success');
		note(
			`stock full (${levels} levels) by ${workerOf(first.id)}: ${((Date.now() - t) / 1000).toFixed(1)} s from publish`,
		);
		expect(stockDiff(stockOf(portal), stockOf(regularPortal))).toEqual({
			onlyQueue: [],
			onlyRegular: [],
			sizes: [levels, levels],
		});

		// the run's batch files are rows of binary_data in PostgreSQL: any process can read them
		const data = await executionData(first.id);
		const reads = nodeItems(data, 'SAP: stock changed since last run');
		expect(reads.length).toBe(Math.ceil(levels / 5000));
		const runData = data.data.resultData.runData['SAP: stock changed since last run'];
		const files = runData[runData.length - 1].data.main[0].map((i: any) => i.binary[BATCH_FILE_PROPERTY]);
		let fromDb = 0;
		for (const f of files) {
			expect(f.id).toMatch(/^database:/);
			const [row] = await pg.query<{ data: Buffer }>('SELECT "data" FROM "binary_data" WHERE "fileId" = ?', [
				f.id.slice('database:'.length),
			]);
			fromDb += (JSON.parse(row.data.toString('utf8')) as unknown[]).length;
		}
		expect(fromDb).toBe(levels);

		// 1 % of the levels move in SAP; the next scheduled run sends exactly those
		const codes = sap.state.itemsInOrder().map((i) => i.ItemCode);
		const moved = Math.max(1, Math.round(levels / 100));
		const runsBefore = (await triggerRuns(ids.stock)).length;
		const mark = portal.requests.length;
		for (let k = 0; k < moved; k++)
			sap.state.moveStock(codes[Math.floor((k * codes.length) / moved)], '01', 5, 'receipt');
		t = Date.now();
		// a run that started before the moves may have read none of them: wait for one that started after
		await until(
			'a scheduled stock run after the moves',
			async () =>
				(await triggerRuns(ids.stock)).slice(runsBefore).some((e) => e.finished && Date.parse(String(e.startedAt)) > t),
			90_000,
		);
		const r = await n8n.api('POST', `/workflows/${ids.stock}/unpublish`, {});
		expect(r.status).toBe(200);
		const delta = (await triggerRuns(ids.stock)).slice(runsBefore);
		expect(delta.every((e) => e.status === 'success')).toBe(true);
		const sent = portal.requests
			.slice(mark)
			.filter((q) => q.method === 'POST' && q.path === '/v1/stock/batch' && q.status === 200)
			.reduce((n, q) => n + (q.itemCount ?? 0), 0);
		stockDelta.sent = sent;
		stockDelta.moved = moved;

		const regularMark = regularPortal.requests.length;
		const again = await regular.execute(ids.stock);
		expect(again.error).toBeUndefined();
		// regular mode: the second run reads the state the first one left in static data and sends only the moves
		const regularSent = regularPortal.requests
			.slice(regularMark)
			.filter((q) => q.method === 'POST' && q.path === '/v1/stock/batch' && q.status === 200)
			.reduce((n, q) => n + (q.itemCount ?? 0), 0);
		expect(regularSent).toBe(moved);
		note(
			`stock delta: ${moved} of ${levels} levels moved; regular mode sent ${regularSent}, queue mode sent ${sent} (by ${delta.map((e) => workerOf(e.id)).join(', ')})`,
		);
		expect(stockDiff(stockOf(portal), stockOf(regularPortal))).toEqual({
			onlyQueue: [],
			onlyRegular: [],
			sizes: [levels, levels],
		});

		// the state reached the next run (Load Sync State): no queue-mode notice in the run's sync status
		expect(portal.state.syncStatus.get('sap-b1 stock')!.message).toBeUndefined();
		expect(regularPortal.state.syncStatus.get('sap-b1 stock')!.message).toBeUndefined();
		expect(QUEUE_STATE_NOTICE).toMatch(/n8n queue mode/);

		// where the state lives: workflow_entity."staticData" in PostgreSQL, written by the workers
		const [row] = await pg.query<{ staticData: any }>('SELECT "staticData" FROM "workflow_entity" WHERE "id" = ?', [
			ids.stock,
		]);
		const state = row.staticData.global;
		expect(Object.keys(state)).toEqual(expect.arrayContaining([DELTA_STORE, CURSOR_STORE]));
		const cursors = JSON.stringify(state[CURSOR_STORE]);
		const deltaState = JSON.stringify(state[DELTA_STORE]);
		note(`PostgreSQL workflow_entity."staticData" of the stock flow: ${CURSOR_STORE} = ${cursors.slice(0, 240)}`);
		note(`  ${DELTA_STORE}: ${deltaState.length} characters (${deltaState.slice(0, 160)}…)`);
		expect(cursors).toMatch(/stock/i);
		expect(deltaState.length).toBeGreaterThan(levels * 8);

		// the copy every worker starts from: the portal's sync state of this workflow, the same committed state
		const kept = portal.state.syncState.get(ids.stock)!;
		const committedCursors = Object.fromEntries(
			Object.entries(state[CURSOR_STORE] as Record<string, { committed?: string }>).map(([k, e]) => [k, e.committed]),
		);
		expect(kept.cursors).toEqual(committedCursors);
		const committedDeltas = state[DELTA_STORE] as Record<string, { committed: Record<string, string> }>;
		for (const [name, d] of Object.entries(committedDeltas)) expect(kept.deltas[name]).toEqual(d.committed);
		expect(Object.values(kept.deltas).reduce((n, h) => n + Object.keys(h).length, 0)).toBe(levels);
		const stateCalls = portal.requests.filter((q) => q.path === `/v1/sync-state/${ids.stock}`);
		note(
			`portal sync state of the stock flow: version ${kept.version}, ${Object.keys(kept.cursors).length} read position(s), ${levels} fingerprints; ${stateCalls.filter((q) => q.method === 'GET').length} loads, ${stateCalls.filter((q) => q.method === 'PATCH').length} saves`,
		);
	});

	it(`orders: ${ORDERS} signed webhooks through the webhook processor, 5 % delivered twice at once, SAP faults, a worker SIGKILLed mid-run → each order exactly once in SAP, none lost`, async () => {
		const url = await n8n.webhookUrlFor(ids.orders, 'New order in portal', hooks.url);
		const plan = orderPlan(sap, ORDERS + 10);
		const numbers: string[] = [];
		const twice: string[] = [];
		const answers: Array<Promise<number>> = [];
		const send = (number: string, id: string) =>
			portal.sendOrderEvent(url, { type: 'order.created', order: number, id, timeoutMs: 120_000 }).then(
				(r) => r.status,
				() => 0, // the answer of a killed worker's run may never come: the portal would deliver again later
			);
		// SAP faults: two creates answered 503 (released, tried again by a later run), one create whose answer is lost
		const unavailable = sap.faults.add({
			method: 'POST',
			path: /^\/Orders$/,
			kind: 'status',
			status: 503,
			times: 2,
			skip: 3,
		});
		const lost = sap.faults.add({ method: 'POST', path: /^\/Orders$/, kind: 'drop', afterWrite: true, skip: 9 });
		const killAt = Math.floor(ORDERS * 0.4);
		let killed: { worker: N8nProcess; held: string[] } | undefined;
		const t0 = Date.now();
		for (let n = 0; n < ORDERS; n++) {
			const wait = t0 + n * 200 - Date.now(); // 5 orders per second
			if (wait > 0) await sleep(wait);
			const { bp, items } = plan[n];
			const order = portal.seedOrder(planOrder(sap, 160_001 + n, bp, items));
			numbers.push(order.number);
			if (n % 20 === 10) {
				// the portal delivers this order twice at the same moment (two events: the replay guard lets both in)
				twice.push(order.number);
				answers.push(send(order.number, `evt-q-${n}-a`), send(order.number, `evt-q-${n}-b`));
			} else answers.push(send(order.number, `evt-q-${n}`));
			if (n === killAt) killed = await killWorkerMidCreate();
		}
		expect(killed).toBeDefined();
		// as a container's restart policy would: a new worker takes the dead one's place
		const replacement = n8n.startWorker({ concurrency: 5 });
		note(
			`orders sent in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${killed!.worker.name} SIGKILLed holding ${killed!.held.join(', ')}`,
		);

		// every order ends confirmed: the webhook runs, the 503s' next runs, and the poll once the dead worker's leases ran out
		workers.push(await replacement);
		await until(
			'every order confirmed',
			() => numbers.every((n) => portal.state.orders.get(n)?.status === 'confirmed'),
			240_000,
		);
		const settle = Date.now();
		await Promise.all(answers);
		for (const number of numbers) {
			const docs = sap.state.findOrdersByNumAtCard(number);
			expect({ number, inSap: docs.length }).toEqual({ number, inSap: 1 });
			expect(portal.state.orders.get(number)!.erpDocumentNumber).toBe(String(docs[0].DocNum));
			expect(portal.state.orderStatusHistory.get(number)!.filter((h) => h.status === 'confirmed')).toHaveLength(1);
		}
		expect(unavailable.hits).toBe(2);
		expect(lost.hits).toBe(1);

		// what the dead worker held was claimed again after its lease ran out, by the poll (a scheduled run)
		const modes = new Map((await n8n.executions(ids.orders)).map((e) => [e.id, e.mode]));
		for (const number of killed!.held) {
			const claims = portal.state.claims.log.filter((e) => e.orderNumber === number && e.decision === 'claimed');
			const last = claims[claims.length - 1];
			const run = await runOfClaim(last.owner);
			// a run not listed (yet): asked for by its id
			const mode = modes.get(run) ?? (await n8n.api('GET', `/executions/${encodeURIComponent(run)}`)).json<any>()?.mode;
			expect({ number, by: mode, debug: mode ? '' : `${run}: ${unreadable.get(run)}` }).toEqual({
				number,
				by: 'trigger',
				debug: '',
			});
			expect(last.other).toBeDefined(); // it took over an expired lease
		}

		// the duplicates: both runs of a pair reached the claim at the same moment, one created, the other was turned
		// away. Which worker Redis hands a job to is Bull's choice: pairs are sent (fresh orders, now that the
		// replacement worker is up) until one pair has run on two different workers, and every pair stays one order.
		const workersOf = async (number: string) =>
			new Set(
				await Promise.all(
					portal.state.claims.log
						.filter((e) => e.orderNumber === number && e.decision !== 'closed')
						.map(async (e) => workerOf(await runOfClaim(e.owner)) ?? '?'),
				),
			);
		const split: string[] = [];
		for (const number of twice) if ((await workersOf(number)).size > 1) split.push(number);
		let extra = 0;
		while (split.length === 0 && extra < 8) {
			const { bp, items } = plan[ORDERS + extra];
			const order = portal.seedOrder(planOrder(sap, 160_001 + ORDERS + extra, bp, items));
			extra++;
			twice.push(order.number);
			const pair = await Promise.all([
				send(order.number, `evt-q-x${extra}-a`),
				send(order.number, `evt-q-x${extra}-b`),
			]);
			expect(pair).toEqual([200, 200]);
			await until(
				'both runs of the pair to reach the claim',
				() => {
					const decided = portal.state.claims.log.filter(
						(e) => e.orderNumber === order.number && e.decision !== 'closed',
					);
					return decided.length >= 2 && portal.state.orders.get(order.number)?.status === 'confirmed';
				},
				60_000,
			);
			if ((await workersOf(order.number)).size > 1) split.push(order.number);
		}
		for (const number of twice) {
			expect({ number, inSap: sap.state.findOrdersByNumAtCard(number).length }).toEqual({ number, inSap: 1 });
			const decisions = portal.state.claims.log
				.filter((e) => e.orderNumber === number && e.decision !== 'closed')
				.map((e) => e.decision)
				.sort();
			// one claim, or two when the first holder was the killed worker and the poll took its expired lease over
			expect(decisions.filter((d) => d === 'claimed')).toHaveLength(killed!.held.includes(number) ? 2 : 1);
		}
		expect(split.length).toBeGreaterThan(0);
		note(`duplicate pairs: ${twice.length} (${extra} sent after the run), on two different workers: ${split.length}`);

		// the SAP session cache: one login per worker for the session's life (the simulator's clock stands still)
		// (counted since the file started: the stock runs logged the first workers in)
		const logins = sap.requests.filter((q) => q.method === 'POST' && /^\/Login$/.test(q.path)).length;
		expect(logins).toBeGreaterThanOrEqual(1);
		expect(logins).toBeLessThanOrEqual(workers.length);
		note(
			`SAP logins in the whole file: ${logins} (${workers.length} workers started); settled ${((Date.now() - settle) / 1000).toFixed(1)} s after the last confirmation`,
		);
		const ordersStatus = portal.state.syncStatus.get('sap-b1 orders')!;
		expect(ordersStatus).toMatchObject({ status: 'success' });
		note(`orders flow's sync status message: ${ordersStatus.message ?? '(none)'}`);
	});

	it('a retried delivery (the same event id again) is answered as a duplicate by the webhook processor and starts no run', async () => {
		const url = await n8n.webhookUrlFor(ids.orders, 'New order in portal', hooks.url);
		const first = portal.state.orders.get('B2B/2026/160001')!;
		expect(first.status).toBe('confirmed');
		const before = (await n8n.executions(ids.orders)).filter((e) => e.mode === 'webhook').length;
		const r = await portal.sendOrderEvent(url, { type: 'order.created', order: first.number, id: 'evt-q-0' });
		expect(r.status).toBe(200);
		replay.answer = r.body;
		await sleep(3_000);
		replay.newRuns = (await n8n.executions(ids.orders)).filter((e) => e.mode === 'webhook').length - before;
		note(`the same event again: ${r.body}, ${replay.newRuns} new webhook run(s)`);
		// whichever way the replay guard goes, the order is not created twice: the claim answers "done"
		expect(sap.state.findOrdersByNumAtCard(first.number)).toHaveLength(1);
	});

	it('heartbeats and the watchdog: flows run on workers report; a flow gone silent is alerted by the scheduled watchdog', async () => {
		// the heartbeats the workers' runs recorded in the portal
		for (const flow of ['sap-b1 stock', 'sap-b1 orders'])
			expect(portal.state.syncStatus.get(flow)).toMatchObject({ status: 'success', expectedEveryMinutes: 5 });
		// the stock flow stopped two hours ago (its schedule is off since the stock test): the watchdog must say so
		const last = portal.state.syncStatus.get('sap-b1 stock')!;
		const back = (iso: string) => new Date(Date.parse(iso) - 120 * 60_000).toISOString();
		portal.state.syncStatus.set('sap-b1 stock', {
			...last,
			startedAt: back(last.startedAt),
			finishedAt: back(last.finishedAt),
		});

		await n8n.publish(ids.watchdog);
		await until(
			'three scheduled watchdog runs',
			async () => (await triggerRuns(ids.watchdog)).filter((e) => e.finished).length >= 3,
			90_000,
		);
		const r = await n8n.api('POST', `/workflows/${ids.watchdog}/unpublish`, {});
		expect(r.status).toBe(200);
		await sleep(1_000); // a run already started may still send its alert
		const runs = (await triggerRuns(ids.watchdog)).filter((e) => e.finished);
		expect(runs.every((e) => e.status === 'success')).toBe(true);
		expect(alerts.length).toBeGreaterThanOrEqual(1);
		expect(alerts[0]).toMatchObject({ flow: 'sap-b1 stock', problem: 'overdue', lastStatus: 'success' });
		expect(alerts[0].minutesOverdue).toBeGreaterThanOrEqual(100);
		expect(alerts.every((a) => a.flow === 'sap-b1 stock')).toBe(true);
		expect(portal.state.syncStatus.get('watchdog')).toMatchObject({ status: 'success' });
		watchdog.runs = runs.length;
		watchdog.alerts = alerts.length;
		note(
			`watchdog: ${runs.length} scheduled runs on ${[...new Set(runs.map((e) => workerOf(e.id)))].join(' + ')}, ${alerts.length} alerts for the silent flow`,
		);
	});

	/** The watchdog remembers what it alerted as sync state: loaded from the portal, so any worker knows it. */
	it('the watchdog alerts a silent flow once, not at every check, across workers', () => {
		expect(watchdog.runs).toBeGreaterThanOrEqual(3);
		expect(watchdog.alerts).toBe(1);
	});

	/**
	 * n8n 2.41.1 does not hand a workflow's static data to the worker that runs it (docs/deploy.md): main loads it
	 * when it enqueues a scheduled run, but the execution it stores keeps only id/name/nodes/connections/settings
	 * (toWorkflowSnapshot) and the worker builds the run from that (scaling/job-processor.js reloads static data
	 * only for resumed executions). The templates therefore load their state from the portal first (Load Sync
	 * State) and Record Run writes it back, so the delta works on whichever worker runs the flow.
	 */
	it('stock delta in queue mode sends only the 1 % that moved', () => {
		expect(stockDelta.moved).toBeGreaterThan(0);
		expect(stockDelta.sent).toBe(stockDelta.moved);
	});
});
