/**
 * Queue-mode benchmark (issue #16; not a test: nothing is asserted), `npm run bench -- --queue`:
 *
 *   npm run bench -- --queue [--orders N] [--levels N | --items N] [--queue-rate N] [--out FILE]
 *
 * One deployment as docs/deploy.md describes it (test/e2e/harness/queue.ts: PostgreSQL, Redis, n8n main, one
 * webhook processor, workers with n8n's default concurrency 10), against the same simulators as bench/sync.ts:
 *   stock    the SAP stock template as it runs in production: a copy whose "Every 5 minutes (changes)" schedule
 *            fires every few seconds, published until its first execution has been created, then unpublished.
 *            With no stored cursor the "changes" read reads everything: a full sync into an empty portal. Run
 *            with 1 worker, then the same copy in a regular-mode n8n (SQLite, executions in main) in the same
 *            run → the queue/regular ratio; and, in a fresh regular n8n, bench/sync.ts's (a) (a bench webhook into
 *            "SAP: all stock", the path of latest.md's stock figure) for reference. Measured: n8n's startedAt →
 *            stoppedAt, and the wall time from the trigger (the execution's creation when the schedule fired; the
 *            webhook's POST) to the portal holding every stock level.
 *   orders   the SAP orders template published without its polling schedule (withoutSchedule), bench/sync.ts's
 *            order plan and signed webhooks (ordersRun) sent to the webhook processor at `queueRate`/s — more
 *            than one worker completes — once with 1 worker, once with 2; orders/s completed, p50/p95 webhook →
 *            SAP sales order, CPU per order of every n8n process → the 2-worker / 1-worker ratio. Each measured
 *            run follows a small unmeasured warm-up with the same workers (a fresh worker's first orders pay for
 *            V8's compiling).
 * Peak RSS: every n8n process (main, workers, webhook processor) with its task runner (RssSampler over their
 * pids; the Redis server, also a child of this process, is not counted, PostgreSQL runs as its own account).
 */
import { cpus, loadavg } from 'node:os';
import {
	httpRequest,
	N8N_HEAP_MB,
	N8nInstance,
	withoutSchedule,
	type ExecutionSummary,
} from '../test/e2e/harness/n8n-instance';
import { queueModeEnv, startPostgres, startRedis } from '../test/e2e/harness/queue';
import { orderPlan } from '../test/fixtures/sap-orders';
import { startPortalSimulator, type PortalSimulator } from '../test/simulators/portal/server';
import { startSapSimulator, type SapSimulator } from '../test/simulators/sap-b1/server';
import {
	benchCopy,
	machineBusyPct,
	machineCpuTicks,
	nodeTimesOf,
	RssSampler,
	secs,
	sleep,
	treeCpuMs,
	type Workflow,
} from './common';
import {
	counted,
	CREDENTIAL_IDS,
	importBenchCredentials,
	mark,
	ordersRun,
	sapTemplate,
	stats,
	stockReader,
	type BenchOptions,
	type OrderRun,
} from './sync';

/** the stock template's schedule for changes (its reader with a stored cursor) */
export const STOCK_CHANGES_SCHEDULE = 'Every 5 minutes (changes)';
/** the bench copy's schedule: first firing within this many seconds of publishing */
export const SCHEDULE_SECONDS = 20;
/** n8n's default worker concurrency (`n8n worker --concurrency`) */
export const WORKER_CONCURRENCY = 10;
/** how the stock runs start: the template's own schedule (both modes), or bench/sync.ts's (a) webhook */
export const SCHEDULED = 'schedule "Every 5 minutes (changes)", no cursor yet';
export const WEBHOOK_ALL = 'webhook into "SAP: all stock" (bench (a), as latest.md)';
/** unmeasured orders before each measured orders run */
const WARMUP_ORDERS = 20;

/** A measured n8n process: its name (main, worker-1, webhook-1) and pid (its task runner is its child). */
export interface MeasuredProcess {
	name: string;
	pid: number;
}

/** One full stock sync started by the schedule. */
export interface StockRun {
	mode: 'queue' | 'regular';
	/** how it was started: SCHEDULED, or WEBHOOK_ALL (bench/sync.ts's (a)) */
	how: string;
	/** the n8n processes that were up (each with its task runner) */
	processes: string[];
	levels: number;
	/** the trigger (the schedule: the execution's creation; a webhook: its POST) → the portal holds every stock level */
	triggerToPortalMs: number;
	/** the trigger → n8n's startedAt (queue mode: Redis, a worker taking the job) */
	triggerToStartMs: number;
	/** n8n's startedAt → stoppedAt */
	execMs: number;
	itemsWritten: number;
	sapRequests: number;
	portalRequests: number;
	portalFailed: number;
	/** CPU of every measured n8n process, from publishing to the execution's end */
	cpuMs: number;
	peakRssMB: number;
	/** every measured n8n process settled after start-up, before the run */
	idleRssMB: number;
	machineBusyPct: number;
	nodes: string;
}

export interface QueueOrdersRun extends OrderRun {
	workers: number;
	processes: string[];
	/** webhook sent → n8n's startedAt (queue mode: the webhook processor, Redis, a worker taking the job) */
	startWait: { p50Ms: number; p95Ms: number };
}

export interface QueueReport {
	when: string;
	command?: string;
	options: { items: number; orders: number; queueRate: number; concurrency: number; heapMB: number };
	versions: { postgres: string; redis: string };
	loadBefore: number[];
	loadAfter: number[];
	cpus: number;
	orders: QueueOrdersRun[];
	stock: StockRun[];
}

/**
 * The stock template as the bench runs it in both modes: its changes schedule fires every `seconds` seconds
 * (a cron rule `* /N * * * * *` of the Schedule Trigger), every other schedule is taken out (the nightly full read
 * must not fire). Throws when the template no longer has that schedule wired to its stored-cursor reader.
 */
export function scheduledStockCopy(
	template: Workflow,
	seconds: number,
	name = 'bench: SAP B1 stock (scheduled)',
): Workflow {
	if (!Number.isInteger(seconds) || seconds < 1 || seconds > 59)
		throw new Error(`schedule seconds must be a whole number 1–59 (n8n's seconds interval), got ${seconds}`);
	const wf = JSON.parse(JSON.stringify(template)) as Workflow;
	const schedules = wf.nodes.filter((n) => n.type === 'n8n-nodes-base.scheduleTrigger');
	const changes = schedules.find((n) => n.name === STOCK_CHANGES_SCHEDULE);
	if (!changes)
		throw new Error(
			`sap-b1-stock.json: no Schedule Trigger "${STOCK_CHANGES_SCHEDULE}" (found: ${schedules.map((n) => n.name).join(', ') || 'none'})`,
		);
	const next = (from: string | undefined) => (from ? wf.connections[from]?.main?.[0]?.[0]?.node : undefined);
	// through the template's Load Sync State step to the reader
	let target = next(STOCK_CHANGES_SCHEDULE);
	if (wf.nodes.find((n) => n.name === target)?.parameters?.operation === 'loadState') target = next(target);
	if (target !== stockReader(wf, 'stored'))
		throw new Error(
			`sap-b1-stock.json: "${STOCK_CHANGES_SCHEDULE}" leads to "${target}", not to the stored-cursor reader "${stockReader(wf, 'stored')}"`,
		);
	changes.parameters = {
		...changes.parameters,
		rule: { interval: [{ field: 'seconds', secondsInterval: seconds }] },
	};
	delete changes.disabled;
	const others = schedules.filter((n) => n !== changes).map((n) => n.name as string);
	wf.nodes = wf.nodes.filter((n) => !others.includes(n.name));
	for (const o of others) delete wf.connections[o];
	// a Load Sync State step that only the removed schedules fed goes with them
	const fed = new Set(
		Object.values(wf.connections).flatMap((c: any) => (c.main ?? []).flat().map((x: any) => x.node as string)),
	);
	const orphans = wf.nodes
		.filter((n) => n.parameters?.operation === 'loadState' && !fed.has(n.name as string))
		.map((n) => n.name as string);
	wf.nodes = wf.nodes.filter((n) => !orphans.includes(n.name as string));
	for (const o of orphans) delete wf.connections[o];
	wf.name = name;
	delete wf.id;
	return wf;
}

/** ms since the epoch of a timestamp column as PostgreSQL (Date) or SQLite ("2026-12-07 08:00:00.123", UTC) gives it */
export function dbTimeMs(v: unknown): number {
	if (v instanceof Date) return v.getTime();
	if (typeof v !== 'string') return NaN;
	const iso = v.includes('T') ? v : v.replace(' ', 'T');
	return Date.parse(/(Z|[+-]\d\d(:?\d\d)?)$/.test(iso) ? iso : `${iso}Z`);
}

/** main and every running worker and webhook processor of an instance */
export function n8nProcesses(n8n: N8nInstance): MeasuredProcess[] {
	const out: MeasuredProcess[] = [];
	if (n8n.pid !== undefined) out.push({ name: 'main', pid: n8n.pid });
	for (const p of n8n.processes) if (p.running) out.push({ name: p.name, pid: p.pid });
	return out;
}

/** summed RSS of the given processes (with their task runners) after start-up settled (15 s, as freshN8n) */
async function settledRss(processes: MeasuredProcess[]): Promise<number> {
	await sleep(15_000);
	const s = new RssSampler({ server: true, pids: () => processes.map((p) => p.pid) }).start();
	await sleep(1_000);
	return s.stop();
}

const finished = (e: ExecutionSummary) => e.finished || !['new', 'running', 'waiting'].includes(e.status);

/** How a measured full sync is started: `fire` starts it (returns when, if it knows better than the execution's
 * createdAt), `created` runs once its execution row exists. */
export interface SyncTrigger {
	fire(): Promise<number | undefined>;
	created?(): Promise<void>;
}

/**
 * A full stock sync as production starts it: publish the scheduled copy, wait for the execution its schedule
 * creates, unpublish at once (one run only). The workflow has no stored cursor yet, so its "changes" read reads
 * every stock level.
 */
export function scheduleTrigger(n8n: N8nInstance, workflowId: string): SyncTrigger {
	return {
		fire: async () => {
			await n8n.publish(workflowId);
			return undefined; // the schedule fires on its next tick: the execution's createdAt is the moment
		},
		created: async () => {
			const off = await n8n.api('POST', `/workflows/${encodeURIComponent(workflowId)}/unpublish`, {});
			if (off.status !== 200) throw new Error(`unpublish ${workflowId}: ${off.status} ${off.body.slice(0, 300)}`);
		},
	};
}

/** bench/sync.ts's (a): a POST to the bench copy's webhook into its "SAP: all stock" read (latest.md's path) */
export function webhookTrigger(n8n: N8nInstance, workflowId: string, hookNode: string): SyncTrigger {
	return {
		fire: async () => {
			const url = await n8n.webhookUrlFor(workflowId, hookNode);
			const at = Date.now();
			const r = await httpRequest('POST', url, { body: {}, timeoutMs: 60_000 });
			if (r.status !== 200) throw new Error(`${hookNode} answered ${r.status}: ${r.body.slice(0, 300)}`);
			return at;
		},
	};
}

/**
 * One full stock sync into an empty portal, measured: from its trigger to the portal holding every level, n8n's
 * startedAt → stoppedAt, CPU and peak RSS of every n8n process, the simulators' requests.
 */
export async function measuredFullSync(
	n8n: N8nInstance,
	workflowId: string,
	sap: SapSimulator,
	portal: PortalSimulator,
	trigger: SyncTrigger,
	o: { mode: 'queue' | 'regular'; how: string; levels: number; idleRssMB: number; timeoutMs: number },
): Promise<StockRun> {
	portal.reset();
	const from = mark(sap, portal);
	const processes = n8nProcesses(n8n);
	const pids = processes.map((p) => p.pid);
	const ids = async () =>
		(await n8n.dbQuery('SELECT "id" FROM "execution_entity" WHERE "workflowId" = ?', [workflowId])).map((r) =>
			String(r.id),
		);
	const before = new Set(await ids());
	let fullAt: number | undefined;
	const watch = setInterval(() => {
		if (fullAt === undefined && portal.state.stock.size >= o.levels) fullAt = Date.now();
	}, 20);
	const sampler = new RssSampler({ server: true, pids: () => pids }).start();
	const cpuBefore = treeCpuMs(pids);
	const machineBefore = machineCpuTicks();
	let executionId: string;
	let firedAt: number | undefined;
	let busy: number;
	let cpuMs: number;
	let peakRssMB: number;
	try {
		firedAt = await trigger.fire();
		// the execution row, read from the database: the public API lists an execution only once it has finished
		const deadline = Date.now() + (SCHEDULE_SECONDS + 60) * 1000;
		let first: string | undefined;
		for (;;) {
			first = (await ids()).find((id) => !before.has(id));
			if (first) break;
			if (Date.now() > deadline)
				throw new Error(`${o.how}: no execution of ${workflowId} within ${SCHEDULE_SECONDS + 60} s`);
			await sleep(250);
		}
		executionId = first;
		await trigger.created?.();
		const e = await n8n.waitForExecution(workflowId, (x) => x.id === executionId && finished(x), o.timeoutMs);
		if (e.status !== 'success')
			throw new Error(
				`${o.how}: stock execution ${e.id} ended ${e.status}; n8n log:\n${n8n.logs().split('\n').slice(-30).join('\n')}`,
			);
	} finally {
		clearInterval(watch);
		peakRssMB = sampler.stop();
		cpuMs = treeCpuMs(pids) - cpuBefore;
		busy = machineBusyPct(machineBefore, machineCpuTicks());
	}
	const [row] = await n8n.dbQuery(
		'SELECT "createdAt", "startedAt", "stoppedAt" FROM "execution_entity" WHERE "id" = ?',
		[executionId],
	);
	const extra = (await ids()).filter((id) => !before.has(id) && id !== executionId);
	if (extra.length)
		throw new Error(
			`${o.how}: another execution (${extra.join(', ')}) ran beside the measured one (a second schedule tick before the unpublish took effect?)`,
		);
	if (fullAt === undefined && portal.state.stock.size >= o.levels) fullAt = Date.now();
	if (fullAt === undefined)
		throw new Error(`${o.how}: the portal holds ${portal.state.stock.size} of ${o.levels} stock levels after the run`);
	const triggeredAt = firedAt ?? dbTimeMs(row?.createdAt);
	const startedAt = dbTimeMs(row?.startedAt);
	const stoppedAt = dbTimeMs(row?.stoppedAt);
	const c = counted(sap, portal, from);
	return {
		mode: o.mode,
		how: o.how,
		processes: processes.map((p) => p.name),
		levels: o.levels,
		triggerToPortalMs: fullAt - triggeredAt,
		triggerToStartMs: startedAt - triggeredAt,
		execMs: stoppedAt - startedAt,
		itemsWritten: c.itemsWritten,
		sapRequests: c.sapRequests,
		portalRequests: c.portalRequests,
		portalFailed: c.portalFailed,
		cpuMs,
		peakRssMB,
		idleRssMB: o.idleRssMB,
		machineBusyPct: busy,
		nodes: await nodeTimesOf(n8n, executionId),
	};
}

/** The ratios the issue asks for (2 workers ÷ 1 worker; queue ÷ regular) and the CPU bound of the orders ratio. */
export function queueRatios(r: Pick<QueueReport, 'orders' | 'stock' | 'cpus'>) {
	const w1 = r.orders.find((o) => o.workers === 1);
	const w2 = r.orders.find((o) => o.workers === 2);
	const q = r.stock.find((s) => s.mode === 'queue' && s.how === SCHEDULED);
	const reg = r.stock.find((s) => s.mode === 'regular' && s.how === SCHEDULED);
	const regA = r.stock.find((s) => s.mode === 'regular' && s.how === WEBHOOK_ALL);
	const cpuOf = (o: QueueOrdersRun | undefined, kind: 'worker' | 'webhook') =>
		o?.cpuMsPerOrderBy
			? Object.entries(o.cpuMsPerOrderBy)
					.filter(([k]) => k.startsWith(kind))
					.reduce((a, [, v]) => a + v, 0)
			: NaN;
	// every n8n process's CPU per order (with 2 workers): the machine's CPUs can complete at most this many a second
	const cpuBoundPerSec = w2?.n8nCpuMsPerOrder ? (r.cpus * 1000) / w2.n8nCpuMsPerOrder : NaN;
	return {
		throughput: w1 && w2 ? (w2.ordersPerSec ?? NaN) / (w1.ordersPerSec ?? NaN) : NaN,
		p95: w1 && w2 ? w2.p95Ms / w1.p95Ms : NaN,
		p50: w1 && w2 ? w2.p50Ms / w1.p50Ms : NaN,
		/** one worker runs its orders on one thread: at most 1000 ÷ its CPU per order a second */
		oneWorkerBoundPerSec: 1000 / cpuOf(w1, 'worker'),
		/** the one webhook processor takes every order on one thread too: at most 1000 ÷ its CPU per order a second */
		webhookBoundPerSec: 1000 / cpuOf(w2 ?? w1, 'webhook'),
		cpuBoundPerSec,
		/** the best 2w/1w ratio the CPUs allow: min(2, CPU bound ÷ the 1-worker throughput) */
		cpuBoundRatio: w1?.ordersPerSec ? Math.min(2, cpuBoundPerSec / w1.ordersPerSec) : NaN,
		stockExec: q && reg ? q.execMs / reg.execMs : NaN,
		/** against bench/sync.ts's (a) (webhook into "SAP: all stock"), the figure of latest.md */
		stockExecVsA: q && regA ? q.execMs / regA.execMs : NaN,
		stockWall: q && reg ? q.triggerToPortalMs / reg.triggerToPortalMs : NaN,
	};
}

// ------------------------------------------------------------------------------------------------ run

export async function runQueueBench(opts: BenchOptions): Promise<QueueReport> {
	const log = opts.log;
	const loadBefore = loadavg();
	const t0 = Date.now();
	const step = (s: string) => log(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${s}`);
	const levels = opts.items * 3;
	step(`seeding SAP: ${opts.items} items × 3 warehouses = ${levels} stock levels; PostgreSQL and Redis`);
	const [sap, portal, pg, redis] = await Promise.all([
		startSapSimulator({ seed: { items: opts.items, warehouses: 3, seed: 2026 } }),
		startPortalSimulator({ apiKey: 'bench-portal-key-7c1e', webhookSecret: 'bench-webhook-secret-żółć' }),
		startPostgres(),
		startRedis(),
	]);
	const queued = await N8nInstance.create({ env: queueModeEnv(pg, redis), database: pg });
	let regular: N8nInstance | undefined;
	const stock: StockRun[] = [];
	const orders: QueueOrdersRun[] = [];
	try {
		step(`queue mode (PostgreSQL ${pg.version}, Redis ${redis.version}): pack, credentials, workflows`);
		await queued.installPack();
		await importBenchCredentials(queued, sap, portal);
		const scheduled = scheduledStockCopy(sapTemplate('sap-b1-stock.json'), SCHEDULE_SECONDS);
		// every order through the webhook: the 5-minute poll for missed webhooks is switched off
		const ordersWf = { ...withoutSchedule(sapTemplate('sap-b1-orders.json')), name: 'bench: SAP B1 orders' };
		const [ordersId, stockId] = await queued.importWorkflows([
			{ workflow: ordersWf, credentialIds: CREDENTIAL_IDS },
			{ workflow: scheduled, credentialIds: CREDENTIAL_IDS },
		]);
		await queued.publish(ordersId);
		step('queue mode: main, a webhook processor, worker-1');
		await queued.start();
		const hooks = await queued.startWebhookProcessor();
		await queued.startWorker({ concurrency: WORKER_CONCURRENCY });
		const idleQueue = await settledRss(n8nProcesses(queued));

		// stock with 1 worker: it also fills the portal's stock, which the orders' reservations need
		step(
			`queue mode, 1 worker: full stock sync of ${levels} levels (schedule every ${SCHEDULE_SECONDS} s, idle ${idleQueue} MB)`,
		);
		stock.push(
			await measuredFullSync(queued, stockId, sap, portal, scheduleTrigger(queued, stockId), {
				mode: 'queue',
				how: SCHEDULED,
				levels,
				idleRssMB: idleQueue,
				timeoutMs: 30 * 60_000,
			}),
		);
		step(
			`queue mode stock: execution ${secs(stock[0].execMs)}, trigger → portal full ${secs(stock[0].triggerToPortalMs)}`,
		);

		// orders: warm-up, 1 worker; a second worker, warm-up, 2 workers
		const warm = Math.min(WARMUP_ORDERS, opts.orders);
		const plan = orderPlan(sap, 2 * (warm + opts.orders));
		let next = 0;
		let number = 910_001;
		const batch = async (count: number) => {
			const slice = plan.slice(next, next + count);
			next += count;
			const r = await ordersRun(queued, sap, portal, ordersId, slice, {
				rate: opts.queueRate,
				firstNumber: number,
				webhookBase: hooks.url,
				processes: () => n8nProcesses(queued),
			});
			number += count;
			return r;
		};
		for (const workers of [1, 2]) {
			if (workers === 2) {
				step('starting worker-2');
				await queued.startWorker({ concurrency: WORKER_CONCURRENCY });
				await sleep(10_000);
			}
			step(`${workers} worker${workers > 1 ? 's' : ''}: warm-up, ${warm} orders`);
			await batch(warm);
			step(
				`${workers} worker${workers > 1 ? 's' : ''}: ${opts.orders} signed webhooks at ${opts.queueRate}/s to the webhook processor`,
			);
			const r = await batch(opts.orders);
			const started = r.traces
				.filter((t) => t.execution?.startedAt)
				.map((t) => Date.parse(t.execution!.startedAt!) - t.sentAt);
			const s = stats(started);
			orders.push({
				...r.result,
				workers,
				processes: n8nProcesses(queued).map((p) => p.name),
				startWait: { p50Ms: s.p50Ms, p95Ms: s.p95Ms },
			});
			step(
				`${workers} worker(s): ${r.result.created}/${r.result.count} created, ${(r.result.ordersPerSec ?? 0).toFixed(2)} orders/s, p50 ${Math.round(r.result.p50Ms)} ms, p95 ${Math.round(r.result.p95Ms)} ms, ${Math.round(r.result.n8nCpuMsPerOrder ?? 0)} ms CPU per order`,
			);
		}
		await queued.dispose();

		// regular mode (SQLite, executions in main), into an empty portal again: the same scheduled copy, then in a
		// fresh n8n bench/sync.ts's (a) — the webhook into "SAP: all stock" that latest.md's figure comes from
		step('regular mode: pack, credentials, the same scheduled stock copy and the bench (a) copy');
		regular = await N8nInstance.create();
		await regular.installPack();
		await importBenchCredentials(regular, sap, portal);
		const stockTemplate = sapTemplate('sap-b1-stock.json');
		const fullHook = 'bench-stock-full';
		const [regularStockId, benchAId] = await regular.importWorkflows([
			{ workflow: scheduled, credentialIds: CREDENTIAL_IDS },
			{
				workflow: benchCopy(stockTemplate, 'bench: SAP B1 stock', [
					{ path: fullHook, to: stockReader(stockTemplate, 'all') },
				]),
				credentialIds: CREDENTIAL_IDS,
			},
		]);
		await regular.publish(benchAId);
		const r8n = regular;
		for (const [how, id, trigger] of [
			[SCHEDULED, regularStockId, () => scheduleTrigger(r8n, regularStockId)],
			[WEBHOOK_ALL, benchAId, () => webhookTrigger(r8n, benchAId, `Bench trigger ${fullHook}`)],
		] as const) {
			await r8n.stop();
			await r8n.start();
			const idle = await settledRss(n8nProcesses(r8n));
			step(`regular mode, ${how}: full stock sync of ${levels} levels (idle ${idle} MB)`);
			const run = await measuredFullSync(r8n, id, sap, portal, trigger(), {
				mode: 'regular',
				how,
				levels,
				idleRssMB: idle,
				timeoutMs: 30 * 60_000,
			});
			stock.push(run);
			step(`regular mode stock: execution ${secs(run.execMs)}, trigger → portal full ${secs(run.triggerToPortalMs)}`);
		}
		step('done');
		return {
			when: new Date().toISOString(),
			options: {
				items: opts.items,
				orders: opts.orders,
				queueRate: opts.queueRate,
				concurrency: WORKER_CONCURRENCY,
				heapMB: N8N_HEAP_MB,
			},
			versions: { postgres: pg.version, redis: redis.version },
			loadBefore,
			loadAfter: loadavg(),
			cpus: cpus().length,
			orders,
			stock,
		};
	} catch (e) {
		log(`n8n log tail:\n${(regular ?? queued).logs().split('\n').slice(-40).join('\n')}`);
		throw e;
	} finally {
		await queued.dispose().catch(() => undefined);
		await regular?.dispose().catch(() => undefined);
		await Promise.all([sap.close(), portal.close(), pg.stop(), redis.stop()].map((p) => p.catch(() => undefined)));
	}
}

// ------------------------------------------------------------------------------------------------ report

const ms = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : String(Math.round(v)));
const s1 = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : (v / 1000).toFixed(1));
const x2 = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '–');

/** % of all the machine's CPUs the n8n processes used during an orders run (the rest of "busy": PostgreSQL, Redis,
 * the simulators, anything else running) */
export function n8nSharePct(o: OrderRun, cpuCount: number): number {
	return o.n8nCpuMsPerOrder === undefined || !o.wallMs
		? NaN
		: ((o.n8nCpuMsPerOrder * o.count) / (o.wallMs * cpuCount)) * 100;
}

export function renderQueueReport(r: QueueReport): string {
	const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
	const underLoad = Math.max(r.loadBefore[0], r.loadAfter[0]) >= r.cpus;
	const ratios = queueRatios(r);
	const levels = r.options.items * 3;
	const out: string[] = [];
	out.push('# Benchmark: queue mode (n8n workers) — orders with 1 and 2 workers, full stock sync queue vs regular');
	out.push('');
	out.push(
		`${r.when} · ${r.options.orders} orders per run at ${r.options.queueRate}/s · ${levels.toLocaleString('en')} stock levels (${r.options.items.toLocaleString('en')} SKUs × 3 warehouses) · worker concurrency ${r.options.concurrency} · heap ${r.options.heapMB} MB per n8n process · PostgreSQL ${r.versions.postgres}, Redis ${r.versions.redis}`,
	);
	if (r.command) out.push(`\`${r.command}\``, '');
	out.push(
		`${r.cpus} CPUs, load average ${load(r.loadBefore)} before, ${load(r.loadAfter)} after${underLoad ? ' — MEASURED UNDER LOAD (other processes were competing for the CPUs)' : ''}`,
	);
	out.push('');
	out.push('## Orders: webhook → SAP sales order, 1 worker vs 2 workers');
	out.push('');
	out.push(
		'| workers | created | webhooks answered 2xx | orders/s completed | p50 ms | p95 ms | max ms | webhook → execution start p50 / p95 ms | n8n CPU ms per order (all processes) | CPU ms per order by process | machine CPU busy % (n8n share) | peak RSS MB (all n8n processes + runners) | processes |',
	);
	out.push('|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|---|');
	for (const o of r.orders)
		out.push(
			`| ${o.workers} | ${o.created}/${o.count} | ${o.sent} | ${Number.isFinite(o.ordersPerSec) ? o.ordersPerSec!.toFixed(2) : '–'} | ${ms(o.p50Ms)} | ${ms(o.p95Ms)} | ${ms(o.maxMs)} | ${ms(o.startWait.p50Ms)} / ${ms(o.startWait.p95Ms)} | ${ms(o.n8nCpuMsPerOrder)} | ${Object.entries(
				o.cpuMsPerOrderBy ?? {},
			)
				.map(([k, v]) => `${k} ${Math.round(v)}`)
				.join(
					', ',
				)} | ${ms(o.machineBusyPct)} (${ms(n8nSharePct(o, r.cpus))}) | ${o.peakRssMB} | ${o.processes.join(', ')} |`,
		);
	out.push('');
	out.push(
		`2 workers ÷ 1 worker: orders/s **${x2(ratios.throughput)}**, p95 ${x2(ratios.p95)}, p50 ${x2(ratios.p50)} (measured in this run).`,
		'',
	);
	out.push(
		`What bounds it: one worker runs its orders on one thread, at most 1000 ÷ its CPU per order = ${Number.isFinite(ratios.oneWorkerBoundPerSec) ? ratios.oneWorkerBoundPerSec.toFixed(1) : '–'} orders/s; ` +
			`the webhook processor takes every order on its one thread too, at most ${Number.isFinite(ratios.webhookBoundPerSec) ? ratios.webhookBoundPerSec.toFixed(1) : '–'} orders/s whatever the number of workers; ` +
			`all n8n processes together need ${ms(r.orders.find((o) => o.workers === 2)?.n8nCpuMsPerOrder)} ms CPU per order (2 workers), so ${r.cpus} CPUs complete at most ${Number.isFinite(ratios.cpuBoundPerSec) ? ratios.cpuBoundPerSec.toFixed(1) : '–'} orders/s — ` +
			`before PostgreSQL, Redis, the simulators (this process) and anything else on the machine take their share — which caps the 2-worker ratio at ${x2(ratios.cpuBoundRatio)}, not 2×.`,
		'',
	);
	out.push('## Full stock sync: queue mode (1 worker) vs regular mode');
	out.push('');
	out.push(
		'| mode | started by | trigger → portal holds all levels s | trigger → execution start s | execution s | items written | items/s | SAP requests | portal requests | n8n CPU s | machine CPU busy % | peak RSS MB (all n8n processes + runners) | idle RSS MB | processes | nodes |',
	);
	out.push('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|');
	for (const s of r.stock)
		out.push(
			`| ${s.mode} | ${s.how} | ${s1(s.triggerToPortalMs)} | ${s1(s.triggerToStartMs)} | ${s1(s.execMs)} | ${s.itemsWritten} | ${Math.round(s.itemsWritten / (s.execMs / 1000))} | ${s.sapRequests} | ${s.portalRequests}${s.portalFailed ? ` (${s.portalFailed} failed)` : ''} | ${s1(s.cpuMs)} | ${ms(s.machineBusyPct)} | ${s.peakRssMB} | ${s.idleRssMB} | ${s.processes.join(', ')} | ${s.nodes} |`,
		);
	out.push('');
	out.push(
		`Queue ÷ regular, ${levels.toLocaleString('en')} levels, both started by the schedule: execution time **${x2(ratios.stockExec)}**, trigger → portal holds all levels ${x2(ratios.stockWall)}; queue ÷ regular bench (a) (latest.md's path): execution time ${x2(ratios.stockExecVsA)} (measured in this run).`,
		'',
	);
	out.push(
		`Deployment as docs/deploy.md: PostgreSQL and Redis on 127.0.0.1, n8n main (schedules, API), one webhook processor (production webhooks), workers (\`n8n worker --concurrency=${r.options.concurrency}\`), binary data in the database; every n8n process with NODE_OPTIONS=--max-old-space-size=${r.options.heapMB}. ` +
			`Orders: bench/sync.ts's order plan and signed order.created webhooks sent to the webhook processor at ${r.options.queueRate}/s (more than one worker completes), the orders template without its polling schedule; each measured run follows a ${WARMUP_ORDERS}-order warm-up with the same workers; orders/s = SAP orders created ÷ (first webhook sent → last SAP order stored); latency = webhook sent → the SAP sales order exists. ` +
			`Stock: the stock template with its "${STOCK_CHANGES_SCHEDULE}" schedule firing every ${SCHEDULE_SECONDS} s, published until its first execution exists, then unpublished; no cursor stored yet, so the "changes" read reads every level (a full sync) into an empty portal; the same copy in a regular-mode n8n (SQLite), then, in a fresh n8n, bench/sync.ts's (a): a bench webhook into "SAP: all stock", the path of latest.md's figure. trigger = the execution's createdAt (schedule) or the webhook's POST; execution = n8n's startedAt → stoppedAt. ` +
			"CPU and RSS: every n8n process with its task runner (/proc, sampled every 100 ms), not PostgreSQL or Redis; machine CPU busy = all processes on the machine, all CPUs (100 = every CPU busy), n8n's share = its CPU ÷ (the run's wall time × CPUs): the rest went to PostgreSQL, Redis, the simulators and whatever else ran.",
	);
	return `${out.join('\n')}\n`;
}
