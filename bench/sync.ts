/**
 * Benchmark (not a test: nothing is asserted) of the SAP Business One → portal stock sync and of the order
 * webhook, in a real n8n (test/e2e/harness) against the simulators. One command, one run, one table:
 *
 *   npm run bench [-- --items N] [--orders N] [--order-runs N] [--naive-rows N] [--rate N] [--quick] [--out FILE]
 *   npm run bench -- --queue [--orders N] [--levels N] [--queue-rate N]   queue mode instead: bench/queue.ts
 *
 * Scenarios, all against the same SAP simulator (N items × 3 warehouses) and the same portal simulator:
 *   (a) full    our template workflows-templates/sap-b1/sap-b1-stock.json, read at run time, with its manual
 *               trigger wired to its "all" SAP node (the nightly path)
 *   (b) delta   the same workflow (its cursor carried over from (a)) with the manual trigger on its
 *               "changed since last run" node, after goods receipts for 1% of the items
 *   (c) naive   bench/workflows/naive-stock.json: HTTP Request login + paging (SAP's default page of 20),
 *               a Code node, one portal request per stock level — on a SUBSET (its own SAP simulator with
 *               naive-rows / 3 items, same seed), compared by throughput (rows/s)
 *   (d) floor   bench/floor.mjs in its own process, no n8n: login, large pages, 1,000-row portal batches
 *   orders      the SAP orders template published (its 5-minute polling trigger removed so that every order
 *               takes the webhook path), `orders` signed order.created webhooks at `rate`/s from the portal
 *               simulator; latency = webhook sent → the SAP sales order exists in the simulator. Run
 *               `orderRuns` times (default 3), each in a fresh n8n: one lucky run cannot pass the target, the
 *               verdict takes the worst p95. Per order, where the time went: n8n's execution start and each
 *               node's start and duration (its run data, read through n8n's API after the run) and the
 *               simulators' own request log (when each request was answered, how long it took).
 * Every n8n start has the heap of a 1 GB machine (the harness's N8N_START_NODE_OPTIONS, as the README tells users).
 * Requests are counted from the simulators' request logs, items written from the portal's batch bodies
 * (rows of 2xx POST /v1/stock/batch). Peak RSS: every 100 ms the sum of VmRSS over this process's
 * descendants (the n8n process and its task runner — nothing else runs meanwhile), and the largest VmHWM seen.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { N8N_HEAP_MB, N8nInstance, REPO_ROOT } from '../test/e2e/harness/n8n-instance';
import {
	benchCopy,
	descendantsCpuMs,
	freshN8n,
	machineBusyPct,
	machineCpuTicks,
	nodeTimesOf,
	RssSampler,
	runByWebhook,
	runFloorScript,
	sleep,
	treeCpuMs,
	type ScenarioRow,
	type Workflow,
} from './common';

export { benchCopy, descendantsCpuMs, nodeTimes, RssSampler, runByWebhook, type ScenarioRow } from './common';
import { orderPlan, planOrder } from '../test/fixtures/sap-orders';
import { startPortalSimulator, type PortalSimulator } from '../test/simulators/portal/server';
import type { BusinessPartner, ItemRec } from '../test/simulators/sap-b1/model';
import { startSapSimulator, type SapSimulator } from '../test/simulators/sap-b1/server';

export interface BenchOptions {
	items: number;
	orders: number;
	/** how many times the orders scenario runs, each in a fresh n8n */
	orderRuns: number;
	/** stock rows (product × warehouse) of the naive subset */
	naiveRows: number;
	/** webhooks per second */
	rate: number;
	quick: boolean;
	/** where the Markdown report goes (default bench/results/latest.md, with --queue latest-queue.md; '' = nowhere) */
	out: string;
	/** `--queue`: the queue-mode bench of bench/queue.ts instead (issue #16) */
	queue: boolean;
	/** --queue: order webhooks per second sent to the webhook processor (above what one worker completes) */
	queueRate: number;
	/** progress lines (default stderr) */
	log: (line: string) => void;
}

export interface OrderRun {
	count: number;
	sent: number;
	created: number;
	p50Ms: number;
	p95Ms: number;
	maxMs: number;
	peakRssMB: number;
	mainRssMB: number;
	/** n8n + task runner settled after start-up, before the run */
	idleRssMB?: number;
	wallMs: number;
	/** CPU time n8n and its task runner used during the run, per order */
	n8nCpuMsPerOrder?: number;
	/** orders completed per second: created ÷ (first webhook sent → last SAP sales order stored) */
	ordersPerSec?: number;
	/** CPU ms per order of each measured process (with its task runner), when ordersRun was given the processes */
	cpuMsPerOrderBy?: Record<string, number>;
	/** % of all the machine's CPUs busy during the run (every process on the machine, not only n8n) */
	machineBusyPct?: number;
	/** requests the simulators answered during the run, and the time they spent answering (summed) */
	sapRequests?: number;
	sapMs?: number;
	portalRequests?: number;
	portalMs?: number;
}

/** One line of the per-order breakdown: a step's duration (or a moment, from the webhook's sending) over all orders. */
export interface StepRow {
	step: string;
	/** orders (or requests, for a simulator row) it was measured on */
	n: number;
	p50Ms: number;
	p95Ms: number;
	note?: string;
}

export interface BenchReport {
	when: string;
	options: Pick<BenchOptions, 'items' | 'orders' | 'naiveRows' | 'rate' | 'quick'> &
		Partial<Pick<BenchOptions, 'orderRuns'>>;
	/** the command that produced it */
	command?: string;
	loadBefore: number[];
	loadAfter: number[];
	cpus: number;
	rows: ScenarioRow[];
	/** each run of the orders scenario, and where the time went per order (all runs' orders together) */
	orders: { runs: OrderRun[]; steps: StepRow[] };
	/** pass undefined: a figure shown with the targets that is not one (a diagnostic) */
	targets: Array<{ what: string; target: string; value: string; pass?: boolean }>;
	/** n8n + task runner RSS after start-up settled, before the first run */
	idleRssMB?: number;
}

const DEFAULTS = { items: 100_000, orders: 500, naiveRows: 3_000, rate: 5, orderRuns: 3 };
/** --queue: webhooks per second, above one worker's throughput (regular mode's n8n used ~206 ms CPU per order) */
const QUEUE_RATE = 20;
const QUICK = { items: 2_000, orders: 20, naiveRows: 300, rate: 5, orderRuns: 3 };
/** the issue's target: webhook sent → SAP sales order, p95 of the worst run */
const ORDER_P95_TARGET_MS = 500;
const SAP_CRED = { id: 'benchSapB1Cred01', name: 'SAP Business One (bench)' };
const PORTAL_CRED = { id: 'benchPortalCred1', name: 'B2B Portal (bench)' };
export const CREDENTIAL_IDS = { sapB1Api: SAP_CRED, b2bPortalApi: PORTAL_CRED };

/** The bench's SAP and portal credentials, pointing at the simulators, imported into an n8n (CREDENTIAL_IDS). */
export function importBenchCredentials(n8n: N8nInstance, sap: SapSimulator, portal: PortalSimulator): Promise<void> {
	return n8n.importCredentials([
		{
			...PORTAL_CRED,
			type: 'b2bPortalApi',
			data: { baseUrl: portal.url, authType: 'apiKey', apiKey: portal.apiKey, webhookSecret: portal.webhookSecret },
		},
		{
			...SAP_CRED,
			type: 'sapB1Api',
			data: {
				serviceLayerUrl: sap.url,
				companyDb: sap.companyDb,
				username: 'manager',
				password: '1234',
				gatewayUrl: sap.gatewayUrl,
				timeZone: 'Europe/Warsaw',
			},
		},
	]);
}

/** A SAP Business One template as the repo has it now (workflows-templates/sap-b1/<name>). */
export const sapTemplate = (name: string) =>
	JSON.parse(readFileSync(path.join(REPO_ROOT, 'workflows-templates', 'sap-b1', name), 'utf8')) as Workflow;

export function parseArgs(
	argv: string[],
	log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): BenchOptions {
	const quick = argv.includes('--quick');
	const base = quick ? QUICK : DEFAULTS;
	const num = (flag: string, dflt: number) => {
		const i = argv.indexOf(flag);
		if (i < 0) return dflt;
		const v = Number(argv[i + 1]);
		if (!Number.isFinite(v) || v <= 0) throw new Error(`${flag} needs a positive number, got "${argv[i + 1]}"`);
		return v;
	};
	const outAt = argv.indexOf('--out');
	const queue = argv.includes('--queue');
	// --levels N: stock levels (items × 3 warehouses), the size the issues speak of; --items wins when both are given
	const levels = argv.includes('--levels') ? num('--levels', 1) : undefined;
	const items = argv.includes('--items') || levels === undefined ? num('--items', base.items) : Math.ceil(levels / 3);
	const results = path.join(REPO_ROOT, 'bench', 'results');
	return {
		items: Math.round(items),
		orders: Math.round(num('--orders', base.orders)),
		orderRuns: Math.round(num('--order-runs', base.orderRuns)),
		naiveRows: Math.round(num('--naive-rows', base.naiveRows)),
		rate: num('--rate', base.rate),
		quick,
		// a --quick run prints only: its smoke counts must not replace the committed figures
		out:
			outAt >= 0 ? (argv[outAt + 1] ?? '') : quick ? '' : path.join(results, queue ? 'latest-queue.md' : 'latest.md'),
		queue,
		queueRate: num('--queue-rate', QUEUE_RATE),
		log,
	};
}

// ------------------------------------------------------------------------------------------------ helpers

interface Counters {
	sap: number;
	portal: number;
}
export const mark = (sap: SapSimulator, portal: PortalSimulator): Counters => ({
	sap: sap.requests.length,
	portal: portal.requests.length,
});

export function counted(sap: SapSimulator, portal: PortalSimulator, from: Counters) {
	const portalReqs = portal.requests.slice(from.portal);
	const itemsWritten = portalReqs
		.filter((r) => r.method === 'POST' && r.path.startsWith('/v1/stock/batch') && r.status >= 200 && r.status < 300)
		.reduce((n, r) => n + (r.itemCount ?? 0), 0);
	const failed = portalReqs.filter((r) => r.status >= 400 || r.status === 0).length;
	return {
		sapRequests: sap.requests.length - from.sap,
		portalRequests: portalReqs.length,
		itemsWritten,
		portalFailed: failed,
	};
}

/** The name of the template's SAP stock node of the given read mode. */
export function stockReader(template: Workflow, cursorMode: 'all' | 'stored'): string {
	const reader = template.nodes.find(
		(n) =>
			n.type === 'n8n-nodes-erp-b2b.sapB1' &&
			n.parameters?.resource === 'stock' &&
			(n.parameters?.cursorMode ?? 'stored') === cursorMode,
	);
	if (!reader) throw new Error(`sap-b1-stock.json: no SAP stock node with cursorMode ${cursorMode}`);
	return reader.name as string;
}

export function naiveWorkflow(sap: SapSimulator, portal: PortalSimulator): Workflow {
	let text = readFileSync(path.join(REPO_ROOT, 'bench', 'workflows', 'naive-stock.json'), 'utf8');
	const values: Record<string, string> = {
		__SAP_URL__: sap.url,
		__SAP_COMPANY__: sap.companyDb,
		__SAP_USER__: 'manager',
		__SAP_PASSWORD__: '1234',
		__PORTAL_URL__: portal.url,
		__PORTAL_KEY__: portal.apiKey,
	};
	for (const [k, v] of Object.entries(values)) text = text.split(k).join(v);
	return JSON.parse(text) as Workflow;
}

export function runFloor(
	sap: SapSimulator,
	portal: PortalSimulator,
	guards = false,
): Promise<{ rows: number; ms: number; wallMs: number; peakRssMB: number }> {
	const cfg = {
		guards,
		sapUrl: sap.url,
		companyDb: sap.companyDb,
		user: 'manager',
		password: '1234',
		portalUrl: portal.url,
		apiKey: portal.apiKey,
	};
	return runFloorScript<{ rows: number; ms: number }>('floor.mjs', cfg);
}

const percentile = (sorted: number[], p: number) =>
	sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : NaN;

// ------------------------------------------------------------------------------------------------ orders

/** What the breakdown needs of one order: when its webhook was sent, when SAP stored it, and its n8n execution. */
export interface OrderTrace {
	number: string;
	/** Date.now() when the bench sent the webhook */
	sentAt: number;
	/** Date.now() when the SAP simulator stored the sales order */
	createdAt?: number;
	execution?: {
		startedAt?: string;
		stoppedAt?: string;
		runData: Record<string, Array<{ startTime?: number; executionTime?: number }>>;
	};
}

/** A simulator's request log entry, as much as the breakdown reads. */
export interface LoggedRequest {
	method: string;
	path: string;
	query?: string;
	ms: number;
	at?: number;
}

/** "GET /Items(…)", "POST /v1/orders/{n}/claim": a request's kind, keys and order numbers taken out. */
export function requestKind(r: Pick<LoggedRequest, 'method' | 'path'>): string {
	const p = r.path
		.replace(/\([^)]*\)/g, '(…)')
		.replace(/\/v1\/orders\/[^/]+/, '/v1/orders/{n}')
		.replace(/\/v1\/sync-status\/[^/]+/, '/v1/sync-status/{flow}');
	return `${r.method} ${p}`;
}

const ORDER_NUMBER_IN_URL = /B2B%2F\d+%2F\d+/;

export function stats(values: number[]): { n: number; p50Ms: number; p95Ms: number } {
	const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
	return { n: sorted.length, p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95) };
}

/**
 * Where each order's time went, p50/p95 over the orders: the webhook → n8n's execution start, every node's
 * duration (n8n's executionTime) with when it started, n8n's own time between the nodes up to the SAP order,
 * the SAP order → the execution's end; then from the simulators' logs, when the requests that name the order
 * were answered (claim, acknowledge, SAP's look-up) and, for every kind of request, how many per order and how
 * long the simulator took to answer.
 */
export function orderBreakdown(traces: OrderTrace[], sapLog: LoggedRequest[], portalLog: LoggedRequest[]): StepRow[] {
	const rows: StepRow[] = [];
	const add = (step: string, values: number[], note?: string) => {
		const s = stats(values);
		if (s.n) rows.push({ step, ...s, ...(note ? { note } : {}) });
	};
	const withRun = traces.filter((t) => t.execution);
	add(
		'webhook sent → n8n execution started',
		withRun.map((t) => Date.parse(t.execution!.startedAt ?? '') - t.sentAt),
		"n8n's startedAt: the trigger node's webhook method, queueing, the execution row",
	);
	// nodes in the order they usually start
	const starts = new Map<string, number[]>();
	const durations = new Map<string, number[]>();
	const gaps: number[] = [];
	for (const t of withRun) {
		const started = Date.parse(t.execution!.startedAt ?? '');
		const runs = Object.entries(t.execution!.runData)
			.map(([name, r]) => ({ name, start: r?.[0]?.startTime, ms: r?.[0]?.executionTime }))
			.filter(
				(r): r is { name: string; start: number; ms: number } => Number.isFinite(r.start) && Number.isFinite(r.ms),
			)
			.sort((a, b) => a.start - b.start);
		for (const r of runs) {
			(starts.get(r.name) ?? starts.set(r.name, []).get(r.name)!).push(r.start - t.sentAt);
			(durations.get(r.name) ?? durations.set(r.name, []).get(r.name)!).push(r.ms);
		}
		if (t.createdAt !== undefined && runs.length) {
			// n8n's own time until SAP has the order: before the first node and between nodes, not inside one
			let gap = Math.max(0, runs[0].start - started);
			for (let k = 1; k < runs.length && runs[k].start <= t.createdAt; k++)
				gap += Math.max(0, runs[k].start - (runs[k - 1].start + runs[k - 1].ms));
			gaps.push(gap);
		}
	}
	const byStart = [...starts.entries()].sort((a, b) => stats(a[1]).p50Ms - stats(b[1]).p50Ms);
	for (const [name, st] of byStart)
		add(`node "${name}"`, durations.get(name)!, `starts at +${Math.round(stats(st).p50Ms)} ms (p50)`);
	add("n8n's own time up to the SAP order (before and between nodes)", gaps);
	add(
		'webhook sent → SAP sales order stored (THE LATENCY)',
		traces.filter((t) => t.createdAt !== undefined).map((t) => t.createdAt! - t.sentAt),
	);
	add(
		'SAP sales order stored → execution finished',
		withRun
			.filter((t) => t.createdAt !== undefined)
			.map((t) => Date.parse(t.execution!.stoppedAt ?? '') - t.createdAt!),
	);
	// the simulators' side
	const sentOf = new Map(traces.map((t) => [encodeURIComponent(t.number), t.sentAt]));
	for (const [who, log] of [
		['SAP', sapLog],
		['portal', portalLog],
	] as const) {
		const kinds = new Map<string, LoggedRequest[]>();
		for (const r of log) {
			const k = requestKind(r);
			(kinds.get(k) ?? kinds.set(k, []).get(k)!).push(r);
		}
		for (const [kind, reqs] of [...kinds.entries()].sort((a, b) => b[1].length - a[1].length)) {
			const per = traces.length ? (reqs.length / traces.length).toFixed(2) : '–';
			add(
				`${who} ${kind}: simulator's answer time`,
				reqs.map((r) => r.ms),
				`${reqs.length} requests, ${per} per order`,
			);
			const moments = reqs
				.map((r) => {
					const m = ORDER_NUMBER_IN_URL.exec(`${r.path}?${r.query ?? ''}`);
					const sent = m ? sentOf.get(m[0]) : undefined;
					return sent !== undefined && r.at !== undefined ? r.at - sent : NaN;
				})
				.filter((v) => Number.isFinite(v));
			if (moments.length) add(`webhook sent → ${who} ${kind} answered`, moments);
		}
	}
	return rows;
}

/** The order of the run data: the trigger's item names it. */
export function orderNumberOf(runData: Record<string, any>): string | undefined {
	for (const runs of Object.values<any>(runData)) {
		const json = runs?.[0]?.data?.main?.[0]?.[0]?.json;
		const n = json?.order?.number ?? json?.reservation?.orderNumber;
		if (typeof n === 'string') return n;
	}
	return undefined;
}

/** p95 spread over the runs and the verdict on the worst one. */
export function orderRunsSummary(runs: OrderRun[]): { minP95: number; maxP95: number; pass: boolean } {
	const p95s = runs.map((r) => r.p95Ms);
	const maxP95 = p95s.some((v) => !Number.isFinite(v)) ? NaN : Math.max(...p95s);
	return {
		minP95: Math.min(...p95s),
		maxP95,
		pass: runs.length > 0 && Number.isFinite(maxP95) && maxP95 <= ORDER_P95_TARGET_MS,
	};
}

/**
 * One run of the orders scenario in the started n8n: the plan's orders seeded in the portal, their webhooks sent
 * at `rate`/s, then (after measuring) each order's execution with its run data read through n8n's API.
 * Queue mode: `webhookBase` is the webhook processor's URL, `processes` the n8n processes (main, workers,
 * webhook processors) whose RSS and CPU are measured, each with its task runner (default: every child of
 * this process — regular mode's n8n and its runner).
 */
export async function ordersRun(
	n8n: N8nInstance,
	sap: SapSimulator,
	portal: PortalSimulator,
	ordersId: string,
	plan: Array<{ bp: BusinessPartner; items: ItemRec[] }>,
	o: {
		rate: number;
		firstNumber: number;
		webhookBase?: string;
		processes?: () => Array<{ name: string; pid: number }>;
	},
): Promise<{ result: OrderRun; traces: OrderTrace[]; sapLog: LoggedRequest[]; portalLog: LoggedRequest[] }> {
	const before = new Set((await n8n.executions(ordersId)).map((e) => e.id));
	const createdAt = new Map<string, number>();
	const sapOrders = sap.state.docs.Orders;
	const originalSet = sapOrders.set.bind(sapOrders);
	sapOrders.set = (k, v) => {
		const numAtCard = (v as { NumAtCard?: string }).NumAtCard;
		if (numAtCard && !createdAt.has(numAtCard)) createdAt.set(numAtCard, Date.now());
		return originalSet(k, v);
	};
	const from = mark(sap, portal);
	const numbers = plan.map(({ bp, items }, n) => portal.seedOrder(planOrder(sap, o.firstNumber + n, bp, items)).number);
	const url = await n8n.webhookUrlFor(ordersId, 'New order in portal', o.webhookBase);
	const measuredProcesses = o.processes?.();
	const sampler = new RssSampler({
		server: true,
		...(measuredProcesses ? { pids: () => measuredProcesses.map((p) => p.pid) } : {}),
	}).start();
	const cpuOf = () =>
		measuredProcesses
			? Object.fromEntries(measuredProcesses.map((p) => [p.name, treeCpuMs([p.pid])]))
			: { n8n: descendantsCpuMs() };
	const cpuBefore = cpuOf();
	const machineBefore = machineCpuTicks();
	const sentAt = new Map<string, number>();
	const started = performance.now();
	const sends: Array<Promise<unknown>> = [];
	let sent = 0;
	try {
		for (let n = 0; n < numbers.length; n++) {
			const wait = started + (n * 1000) / o.rate - performance.now();
			if (wait > 0) await sleep(wait);
			sentAt.set(numbers[n], Date.now());
			sends.push(
				portal
					.sendOrderEvent(url, {
						type: 'order.created',
						order: numbers[n],
						id: `bench-evt-${numbers[n]}`,
						timeoutMs: 60_000,
					})
					.then(
						(r) => {
							if (r.status >= 200 && r.status < 300) sent++;
						},
						() => undefined,
					),
			);
		}
		await Promise.all(sends);
		const deadline = Date.now() + 120_000 + numbers.length * 500;
		while (createdAt.size < numbers.length && Date.now() < deadline) await sleep(100);
	} finally {
		sapOrders.set = originalSet;
	}
	const wallMs = performance.now() - started;
	const rss = sampler.stop();
	const cpuAfter = cpuOf();
	const busy = machineBusyPct(machineBefore, machineCpuTicks());
	const cpuBy = Object.fromEntries(Object.entries(cpuAfter).map(([k, v]) => [k, v - (cpuBefore[k] ?? 0)]));
	const cpuMs = Object.values(cpuBy).reduce((a, b) => a + b, 0);
	// let the last executions finish (acknowledge, Record run) before their run data is read
	await sleep(2_000);
	const lat = numbers
		.filter((n) => createdAt.has(n))
		.map((n) => createdAt.get(n)! - sentAt.get(n)!)
		.sort((a, b) => a - b);
	const sapLog = sap.requests.slice(from.sap);
	const portalLog = portal.requests.slice(from.portal);
	const firstSent = Math.min(...sentAt.values());
	const lastCreated = Math.max(...numbers.filter((n) => createdAt.has(n)).map((n) => createdAt.get(n)!));
	const result: OrderRun = {
		count: numbers.length,
		sent,
		created: lat.length,
		p50Ms: percentile(lat, 50),
		p95Ms: percentile(lat, 95),
		maxMs: lat.length ? lat[lat.length - 1] : NaN,
		peakRssMB: rss,
		mainRssMB: sampler.mainMB,
		wallMs,
		n8nCpuMsPerOrder: numbers.length ? cpuMs / numbers.length : undefined,
		ordersPerSec: lat.length ? lat.length / ((lastCreated - firstSent) / 1000) : 0,
		...(measuredProcesses && numbers.length
			? {
					cpuMsPerOrderBy: Object.fromEntries(Object.entries(cpuBy).map(([k, v]) => [k, v / numbers.length])),
				}
			: {}),
		machineBusyPct: busy,
		sapRequests: sapLog.length,
		sapMs: sapLog.reduce((n, q) => n + q.ms, 0),
		portalRequests: portalLog.length,
		portalMs: portalLog.reduce((n, q) => n + q.ms, 0),
	};
	// each order's execution with its run data (node start times and durations), four requests at a time
	const ids = (await n8n.executions(ordersId)).map((e) => e.id).filter((id) => !before.has(id));
	const executions = new Map<string, NonNullable<OrderTrace['execution']>>();
	for (let k = 0; k < ids.length; k += 4)
		await Promise.all(
			ids.slice(k, k + 4).map(async (id) => {
				const r = await n8n.api('GET', `/executions/${encodeURIComponent(id)}?includeData=true`);
				if (r.status !== 200) return;
				const e = r.json<any>();
				const runData = e?.data?.resultData?.runData ?? {};
				const number = orderNumberOf(runData);
				if (number) executions.set(number, { startedAt: e.startedAt, stoppedAt: e.stoppedAt, runData });
			}),
		);
	const traces = numbers.map((number) => ({
		number,
		sentAt: sentAt.get(number)!,
		createdAt: createdAt.get(number),
		execution: executions.get(number),
	}));
	return { result, traces, sapLog, portalLog };
}

// ------------------------------------------------------------------------------------------------ run

export async function runBench(opts: BenchOptions): Promise<BenchReport> {
	const log = opts.log;
	const loadBefore = loadavg();
	const t0 = Date.now();
	const step = (s: string) => log(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${s}`);
	const naiveItems = Math.max(1, Math.round(opts.naiveRows / 3));
	step(`seeding SAP: ${opts.items} items × 3 warehouses; naive subset ${naiveItems} items`);
	const [sap, sapSmall, portal, portalSmall] = await Promise.all([
		startSapSimulator({ seed: { items: opts.items, warehouses: 3, seed: 2026 } }),
		startSapSimulator({ seed: { items: naiveItems, warehouses: 3, seed: 2026 } }),
		startPortalSimulator({ apiKey: 'bench-portal-key-7c1e', webhookSecret: 'bench-webhook-secret-żółć' }),
		startPortalSimulator({ apiKey: 'bench-portal-key-7c1e' }),
	]);
	const n8n = await N8nInstance.create();
	const rows: ScenarioRow[] = [];
	try {
		step('build + pack + install the pack, import credentials and workflows');
		await n8n.installPack();
		await importBenchCredentials(n8n, sap, portal);
		const stock = sapTemplate('sap-b1-stock.json');
		const orders = sapTemplate('sap-b1-orders.json');
		// every order through the webhook: the 5-minute polling safety net is taken out of the bench copy
		const polling = orders.nodes.filter((n) => n.type === 'n8n-nodes-base.scheduleTrigger').map((n) => n.name);
		orders.nodes = orders.nodes.filter((n) => !polling.includes(n.name));
		for (const p of polling) delete orders.connections[p];
		const fullHook = 'bench-stock-full';
		const deltaHook = 'bench-stock-delta';
		const naiveHook = 'bench-stock-naive';
		const naive = naiveWorkflow(sapSmall, portalSmall);
		const [stockId, naiveId, ordersId] = await n8n.importWorkflows([
			{
				workflow: benchCopy(stock, 'bench: SAP B1 stock', [
					{ path: fullHook, to: stockReader(stock, 'all') },
					{ path: deltaHook, to: stockReader(stock, 'stored') },
				]),
				credentialIds: CREDENTIAL_IDS,
			},
			{
				workflow: benchCopy(naive, naive.name ?? 'bench: naive stock', [
					{ path: naiveHook, to: naive.nodes.find((n) => n.type === 'n8n-nodes-base.httpRequest')!.name },
				]),
			},
			{ workflow: { ...orders, name: 'bench: SAP B1 orders' }, credentialIds: CREDENTIAL_IDS },
		]);
		for (const id of [stockId, naiveId, ordersId]) await n8n.publish(id);
		const fresh = () => freshN8n(n8n);
		/** [row index, n8n execution id] of each measured run, for its node times at the end */
		const executionIds: Array<[number, string]> = [];
		step('start n8n (regular mode: executions run in its main process, as a Schedule Trigger would)');
		const idleRss = await fresh();

		/** one run in the started n8n, measured: requests from the simulators' logs, RSS while it ran */
		const measured = async (
			scenario: string,
			workflowId: string,
			hook: string,
			timeoutMs: number,
			[s, p]: [SapSimulator, PortalSimulator],
			note: () => string,
			idleMB: number,
		) => {
			const from = mark(s, p);
			const sampler = new RssSampler({ server: true }).start();
			const run = await runByWebhook(n8n, workflowId, hook, timeoutMs);
			const rss = sampler.stop();
			if (!run.ok) throw new Error(`${scenario} failed: ${run.error}`);
			const c = counted(s, p, from);
			executionIds.push([rows.length, run.executionId]);
			rows.push({
				scenario,
				wallMs: run.ms,
				execMs: run.execMs,
				sapRequests: c.sapRequests,
				portalRequests: c.portalRequests,
				itemsWritten: c.itemsWritten,
				itemsPerSec: c.itemsWritten / ((run.execMs ?? run.ms) / 1000),
				peakRssMB: rss,
				mainRssMB: sampler.mainMB,
				note: `${note()}${c.portalFailed ? `; ${c.portalFailed} portal requests failed` : ''}; fresh n8n at ${idleMB} MB`,
			});
		};

		// (a) full
		step(`(a) full stock sync: ${opts.items * 3} stock levels (n8n idle: ${idleRss} MB with its task runner)`);
		await measured(
			'(a) full, our template',
			stockId,
			fullHook,
			30 * 60_000,
			[sap, portal],
			() => `${opts.items} items × 3 warehouses; portal holds ${portal.state.stock.size}`,
			idleRss,
		);

		// (b) delta: the same workflow, so the cursor and fingerprints of (a) are its own static data
		const changed = Math.max(1, Math.round(opts.items / 100));
		sap.clock.advance(60_000); // the goods receipts come a minute after the full read
		const codes = sap.state.itemsInOrder().map((i) => i.ItemCode);
		const step100 = codes.length / changed;
		for (let k = 0; k < changed; k++) sap.state.moveStock(codes[Math.floor(k * step100)], '01', 5, 'receipt');
		step(`(b) delta: goods receipts for ${changed} items (1%)`);
		const idleB = await fresh();
		await measured(
			'(b) delta 1%, our template',
			stockId,
			deltaHook,
			10 * 60_000,
			[sap, portal],
			() => `${changed} items moved in warehouse 01 → expected ${changed} changed levels`,
			idleB,
		);

		// (c) naive, on the subset
		step(`(c) naive workflow on ${naiveItems * 3} stock levels (subset)`);
		const idleC = await fresh();
		await measured(
			'(c) naive (SUBSET)',
			naiveId,
			naiveHook,
			30 * 60_000,
			[sapSmall, portalSmall],
			() => `subset: ${naiveItems} items × 3 = ${naiveItems * 3} levels; compare items/s`,
			idleC,
		);

		// (d) floor, against the big simulators again
		// (d) and (d′) into an empty portal, as (a) wrote into one
		const floorRun = async (scenario: string, guards: boolean, note: string) => {
			portal.reset();
			const from = mark(sap, portal);
			const floor = await runFloor(sap, portal, guards);
			const c = counted(sap, portal, from);
			rows.push({
				scenario,
				wallMs: floor.wallMs,
				execMs: floor.ms,
				sapRequests: c.sapRequests,
				portalRequests: c.portalRequests,
				itemsWritten: c.itemsWritten,
				itemsPerSec: c.itemsWritten / (floor.ms / 1000),
				peakRssMB: floor.peakRssMB,
				note,
			});
		};
		step(`(d) floor script: ${opts.items * 3} stock levels`);
		await floorRun(
			'(d) floor, script, no n8n',
			false,
			'its own process; 1,000 items per SAP page, 1,000 rows per portal batch',
		);
		step(`(d′) floor script doing the guards' work too`);
		await floorRun(
			"(d′) floor + the guards' work, script, no n8n",
			true,
			"as (d), and per row what our buffer, delta and portal node compute (the pack's functions: 3 validations, 95 % buffer, content hash kept per key)",
		);

		// node times of the stock runs, read after their measuring (a 100,000-item run's data is ~100 MB)
		for (const [row, id] of executionIds) rows[row].note += `; nodes: ${await nodeTimesOf(n8n, id)}`;

		// orders: webhook → SAP sales order, `orderRuns` times, each in a fresh n8n
		const plan = orderPlan(sap, opts.orders * opts.orderRuns);
		const runs: OrderRun[] = [];
		const traces: OrderTrace[] = [];
		const sapLog: LoggedRequest[] = [];
		const portalLog: LoggedRequest[] = [];
		for (let run = 0; run < opts.orderRuns; run++) {
			step(`orders run ${run + 1} of ${opts.orderRuns}: restart n8n`);
			const idle = await fresh();
			step(`orders run ${run + 1}: ${opts.orders} signed webhooks at ${opts.rate}/s (n8n idle: ${idle} MB)`);
			const r = await ordersRun(n8n, sap, portal, ordersId, plan.slice(run * opts.orders, (run + 1) * opts.orders), {
				rate: opts.rate,
				firstNumber: 900_001 + run * opts.orders,
			});
			runs.push({ ...r.result, idleRssMB: idle });
			traces.push(...r.traces);
			sapLog.push(...r.sapLog);
			portalLog.push(...r.portalLog);
			step(
				`orders run ${run + 1}: ${r.result.created}/${r.result.count} created, p50 ${Math.round(r.result.p50Ms)} ms, p95 ${Math.round(r.result.p95Ms)} ms, peak RSS ${r.result.peakRssMB} MB`,
			);
		}
		await n8n.stop();
		const steps = orderBreakdown(traces, sapLog, portalLog);
		const summary = orderRunsSummary(runs);
		const ordersPeak = Math.max(...runs.map((r) => r.peakRssMB));
		const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
		const targets: BenchReport['targets'] = [];
		const [a, b, naiveRow, floorRow, guardedFloor] = rows;
		const oursVsNaive = a.itemsPerSec / naiveRow.itemsPerSec;
		const oursVsFloor = (a.execMs ?? a.wallMs) / (floorRow.execMs ?? floorRow.wallMs);
		const oursVsGuardedFloor = (a.execMs ?? a.wallMs) / (guardedFloor.execMs ?? guardedFloor.wallMs);
		// our template's runs; the naive workflow's memory is not the pack's
		const stockPeak = Math.max(a.peakRssMB ?? 0, b.peakRssMB ?? 0);
		targets.push(
			{
				what: '(a) full sync, execution time',
				target: '≤ 60 s',
				value: secs(a.execMs ?? a.wallMs),
				pass: (a.execMs ?? a.wallMs) <= 60_000,
			},
			{
				what: '(b) delta 1%, execution time',
				target: '≤ 10 s',
				value: secs(b.execMs ?? b.wallMs),
				pass: (b.execMs ?? b.wallMs) <= 10_000,
			},
			{ what: 'ours / naive, items/s', target: '≥ 20×', value: `${oursVsNaive.toFixed(1)}×`, pass: oursVsNaive >= 20 },
			{
				// issue #15: the target compares like with like — the floor doing the same guard work (d′)
				what: "ours / floor doing the guards' work (d′), time",
				target: '≤ 2×',
				value: `${oursVsGuardedFloor.toFixed(2)}×`,
				pass: oursVsGuardedFloor <= 2,
			},
			{
				// the bare floor (no validation, buffer or delta): how much of the gap is the guards' own work
				what: '(diagnostic) ours / bare floor (d), time',
				target: '—',
				value: `${oursVsFloor.toFixed(2)}×`,
			},
			{
				what: `n8n peak RSS with its task runner, our stock runs (a) and (b), heap ${N8N_HEAP_MB} MB`,
				target: '≤ 1024 MB',
				value: `${stockPeak} MB`,
				pass: stockPeak <= 1024,
			},
		);
		targets.push(
			{
				what: `orders: p95 webhook → SAP sales order, worst of ${runs.length} runs`,
				target: `≤ ${ORDER_P95_TARGET_MS} ms`,
				value: `${Math.round(summary.maxP95)} ms (runs: ${Math.round(summary.minP95)}–${Math.round(summary.maxP95)} ms)`,
				pass: summary.pass,
			},
			{
				what: `n8n peak RSS with its task runner, orders (worst run), heap ${N8N_HEAP_MB} MB`,
				target: '≤ 1024 MB',
				value: `${ordersPeak} MB`,
				pass: ordersPeak <= 1024,
			},
			{
				what: `orders: all ${opts.orders} in SAP, every run`,
				target: `${opts.orders}`,
				value: runs.map((r) => r.created).join(' / '),
				pass: runs.every((r) => r.created === r.count),
			},
		);
		step('done');
		return {
			when: new Date().toISOString(),
			options: {
				items: opts.items,
				orders: opts.orders,
				naiveRows: naiveItems * 3,
				rate: opts.rate,
				quick: opts.quick,
				orderRuns: opts.orderRuns,
			},
			loadBefore,
			loadAfter: loadavg(),
			cpus: cpus().length,
			rows,
			orders: { runs, steps },
			targets,
			idleRssMB: idleRss,
		};
	} catch (e) {
		log(`n8n log tail:\n${n8n.logs().split('\n').slice(-30).join('\n')}`);
		throw e;
	} finally {
		await n8n.dispose().catch(() => undefined);
		await Promise.all(
			[sap.close(), sapSmall.close(), portal.close(), portalSmall.close()].map((p) => p.catch(() => undefined)),
		);
	}
}

// ------------------------------------------------------------------------------------------------ report

export function renderReport(r: BenchReport): string {
	const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
	const underLoad = Math.max(r.loadBefore[0], r.loadAfter[0]) >= r.cpus;
	const secs = (ms: number | undefined) => (ms === undefined ? '–' : (ms / 1000).toFixed(1));
	const out: string[] = [];
	out.push(`# Benchmark: SAP Business One → portal stock, order webhook → SAP`);
	out.push('');
	out.push(
		`${r.when} · ${r.options.items.toLocaleString('en')} SKUs × 3 warehouses · naive subset ${r.options.naiveRows.toLocaleString('en')} stock levels · ${r.options.orderRuns ?? 1} × ${r.options.orders} orders at ${r.options.rate}/s${r.options.quick ? ' · QUICK (smoke counts, figures not comparable to the targets)' : ''}`,
	);
	if (r.command) out.push(`\`${r.command}\``, '');
	out.push(
		`${r.cpus} CPUs, load average ${load(r.loadBefore)} before, ${load(r.loadAfter)} after${underLoad ? ' — MEASURED UNDER LOAD (other processes were competing for the CPUs)' : ''}`,
	);
	out.push('');
	out.push(
		'| scenario | wall s | execution s | SAP requests | portal requests | items written | items/s | peak RSS MB (n8n + runner) | n8n process peak RSS MB | note |',
	);
	out.push('|---|--:|--:|--:|--:|--:|--:|--:|--:|---|');
	for (const row of r.rows)
		out.push(
			`| ${row.scenario} | ${secs(row.wallMs)} | ${secs(row.execMs)} | ${row.sapRequests} | ${row.portalRequests} | ${row.itemsWritten} | ${Math.round(row.itemsPerSec)} | ${row.peakRssMB ?? '–'} | ${row.mainRssMB ?? '–'} | ${row.note} |`,
		);
	out.push('');
	if (r.idleRssMB !== undefined)
		out.push(`n8n before the first run (settled after start-up): ${r.idleRssMB} MB RSS with its task runner.`, '');
	const { runs, steps } = r.orders;
	const summary = orderRunsSummary(runs);
	out.push(
		`Order webhook → SAP sales order: ${runs.length} run${runs.length === 1 ? '' : 's'} of ${r.options.orders} orders at ${r.options.rate}/s, each in a freshly started n8n; p95 spread over the runs ${Math.round(summary.minP95)}–${Math.round(summary.maxP95)} ms (the target is judged on the worst).`,
		'',
	);
	out.push(
		'| run | created | webhooks answered 2xx | p50 ms | p95 ms | max ms | wall s | peak RSS MB (n8n + runner) | n8n process MB | n8n idle MB | n8n CPU ms per order | SAP requests (s answering) | portal requests (s answering) |',
	);
	out.push('|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
	runs.forEach((o, k) =>
		out.push(
			`| ${k + 1} | ${o.created}/${o.count} | ${o.sent} | ${Math.round(o.p50Ms)} | ${Math.round(o.p95Ms)} | ${Math.round(o.maxMs)} | ${secs(o.wallMs)} | ${o.peakRssMB} | ${o.mainRssMB} | ${o.idleRssMB ?? '–'} | ${o.n8nCpuMsPerOrder === undefined ? '–' : Math.round(o.n8nCpuMsPerOrder)} | ${o.sapRequests ?? '–'} (${secs(o.sapMs)}) | ${o.portalRequests ?? '–'} (${secs(o.portalMs)}) |`,
		),
	);
	out.push('');
	if (steps.length) {
		out.push(
			"Where each order's time goes (all runs' orders; ms; a node's figure is its duration, a \"→\" row a moment counted from the webhook's sending, a simulator row the time the simulator took to answer):",
			'',
		);
		out.push('| step | p50 ms | p95 ms | n | note |');
		out.push('|---|--:|--:|--:|---|');
		for (const st of steps)
			out.push(`| ${st.step} | ${Math.round(st.p50Ms)} | ${Math.round(st.p95Ms)} | ${st.n} | ${st.note ?? ''} |`);
		out.push('');
	}
	out.push('| target (issues #5, #15) | target | measured | |');
	out.push('|---|---|---|---|');
	for (const t of r.targets)
		out.push(`| ${t.what} | ${t.target} | ${t.value} | ${t.pass === undefined ? '' : t.pass ? 'PASS' : 'MISS'} |`);
	out.push('');
	out.push(
		`Runs (a)–(c) and each orders run in a freshly started n8n (regular mode, NODE_OPTIONS=--max-old-space-size=${N8N_HEAP_MB} as the README tells users; the delta hashes are in n8n's database, so (b) follows (a) as without a restart), each stock run triggered by a bench-only webhook. wall = that POST → the execution seen finished (polled every 250 ms); execution = n8n's startedAt → stoppedAt (the floor: its own timer). ` +
			"Requests from the simulators' logs; items written = rows of 2xx portal stock batches. (c) runs on a subset: ours/naive compares items/s. " +
			"Peak RSS = n8n + task runner, the largest sum of their RSS sampled every 100 ms during the run (n8n settled after start-up first; the floor row: the script's process). " +
			'Ratios: ours/naive = (a) items/s ÷ (c) items/s; ours/floor = (a) execution ÷ (d) time.',
	);
	return `${out.join('\n')}\n`;
}

/** `--queue`: bench/queue.ts's run and report (loaded here: it builds on this file's pieces) */
async function queueText(opts: BenchOptions, command: string): Promise<string> {
	const queue = await import('./queue');
	return queue.renderQueueReport({ ...(await queue.runQueueBench(opts)), command });
}

export async function main(argv: string[]): Promise<BenchReport | undefined> {
	const opts = parseArgs(argv);
	const command = ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' ');
	let report: BenchReport | undefined;
	let text: string;
	if (opts.queue) text = await queueText(opts, command);
	else {
		report = { ...(await runBench(opts)), command };
		text = renderReport(report);
	}
	process.stdout.write(text);
	if (opts.out) {
		if (!existsSync(path.dirname(opts.out))) mkdirSync(path.dirname(opts.out), { recursive: true });
		writeFileSync(opts.out, text);
		opts.log(`written to ${path.relative(process.cwd(), opts.out)}`);
	}
	return report;
}
