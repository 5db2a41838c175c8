/**
 * `npm run bench -- --queue` (bench/queue.ts, issue #16) without n8n: its options, the scheduled stock copy it
 * publishes in both modes, the database timestamps it reads, the RSS/CPU measured over given processes only, and
 * the report with its ratios. Only shapes and arithmetic are checked, never timings.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RssSampler, treeCpuMs } from '../../bench/common';
import {
	dbTimeMs,
	queueRatios,
	renderQueueReport,
	scheduledStockCopy,
	SCHEDULED,
	STOCK_CHANGES_SCHEDULE,
	WEBHOOK_ALL,
	type QueueOrdersRun,
	type QueueReport,
	type StockRun,
} from '../../bench/queue';
import { parseArgs, stockReader } from '../../bench/sync';
import { REPO_ROOT } from '../e2e/harness/n8n-instance';
import { redisVersion } from '../e2e/harness/queue';

const template = JSON.parse(
	readFileSync(path.join(REPO_ROOT, 'workflows-templates', 'sap-b1', 'sap-b1-stock.json'), 'utf8'),
);

it('--queue: its own report file, --levels as stock levels (3 warehouses), --items wins, a send rate', () => {
	expect(parseArgs([])).toMatchObject({ queue: false });
	expect(parseArgs([]).out).toBe(path.join(REPO_ROOT, 'bench', 'results', 'latest.md'));
	const q = parseArgs(['--queue', '--orders', '100', '--levels', '20000']);
	expect(q).toMatchObject({ queue: true, orders: 100, items: 6667 });
	expect(q.out).toBe(path.join(REPO_ROOT, 'bench', 'results', 'latest-queue.md'));
	expect(parseArgs(['--queue']).items * 3).toBe(300_000);
	expect(parseArgs(['--queue', '--levels', '300', '--items', '50']).items).toBe(50);
	expect(parseArgs(['--queue', '--queue-rate', '12']).queueRate).toBe(12);
	expect(parseArgs(['--queue']).queueRate).toBeGreaterThan(5);
	expect(parseArgs(['--queue', '--out', '']).out).toBe('');
	expect(() => parseArgs(['--queue', '--levels', 'dużo'])).toThrow('--levels needs a positive number');
});

it('the scheduled stock copy: the changes schedule every N seconds into the stored-cursor reader, no nightly run', () => {
	const wf = scheduledStockCopy(template, 20);
	const schedules = wf.nodes.filter((n) => n.type === 'n8n-nodes-base.scheduleTrigger');
	expect(schedules.map((n) => n.name)).toEqual([STOCK_CHANGES_SCHEDULE]);
	expect(schedules[0].parameters.rule).toEqual({ interval: [{ field: 'seconds', secondsInterval: 20 }] });
	expect(schedules[0].disabled).toBeUndefined();
	// through the template's Load Sync State step (the state a queue-mode worker needs) to the reader
	const load = wf.connections[STOCK_CHANGES_SCHEDULE].main[0][0].node;
	expect(wf.nodes.find((n) => n.name === load)!.parameters.operation).toBe('loadState');
	expect(wf.connections[load].main[0][0].node).toBe(stockReader(template, 'stored'));
	// the nightly full read is gone with its connections; nothing else of the template changes
	for (const name of Object.keys(wf.connections)) expect(wf.nodes.some((n) => n.name === name)).toBe(true);
	// the nightly schedule and the Load Sync State step only it fed
	expect(wf.nodes.length).toBe(template.nodes.length - 2);
	expect(wf.nodes.filter((n) => n.parameters.operation === 'loadState').map((n) => n.name)).toEqual([load]);
	expect(wf.id).toBeUndefined();
	// the template itself is untouched
	expect(JSON.stringify(template)).not.toContain('secondsInterval');

	expect(() => scheduledStockCopy(template, 60)).toThrow('1–59');
	expect(() => scheduledStockCopy(template, 2.5)).toThrow('1–59');
	const renamed = JSON.parse(JSON.stringify(template));
	renamed.nodes.find((n: any) => n.name === STOCK_CHANGES_SCHEDULE).name = 'Co 5 minut (zmiany)';
	expect(() => scheduledStockCopy(renamed, 20)).toThrow(`no Schedule Trigger "${STOCK_CHANGES_SCHEDULE}"`);
	const rewired = JSON.parse(JSON.stringify(template));
	rewired.connections[rewired.connections[STOCK_CHANGES_SCHEDULE].main[0][0].node].main[0][0].node = stockReader(
		template,
		'all',
	);
	expect(() => scheduledStockCopy(rewired, 20)).toThrow('not to the stored-cursor reader');
});

it("timestamps as PostgreSQL (Date) and SQLite (UTC text without a zone) return them; Redis's version from its log", () => {
	const at = Date.UTC(2026, 11, 7, 8, 0, 0, 123);
	expect(dbTimeMs(new Date(at))).toBe(at);
	expect(dbTimeMs('2026-12-07 08:00:00.123')).toBe(at);
	expect(dbTimeMs('2026-12-07T08:00:00.123Z')).toBe(at);
	expect(dbTimeMs('2026-12-07 09:00:00.123+01:00')).toBe(at);
	expect(dbTimeMs(null)).toBeNaN();
	expect(redisVersion('1:M 07 Dec 2026 08:58:00.000 * Redis version=7.0.15, bits=64, commit=00000000')).toBe('7.0.15');
	expect(redisVersion('oO0OoO0OoO0Oo Redis is starting\n1:C * Redis version=6.0.16, bits=64')).toBe('6.0.16');
	expect(redisVersion('nothing')).toBe('unknown');
});

describe('RSS and CPU over the given processes only (queue mode: n8n, not the Redis child of the bench)', () => {
	const children: ChildProcess[] = [];
	const node = (code: string) => {
		const c = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
		children.push(c);
		return c;
	};
	afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

	it('a sampler over one pid does not count a larger sibling; CPU is counted per process tree', async () => {
		// the "n8n" process: small and idle; the sibling: ~200 MB and busy
		const small = node('setInterval(() => {}, 1000)');
		const big = spawn(
			process.execPath,
			[
				'-e',
				"const keep = []; for (let i = 0; i < 200; i++) keep.push(Buffer.alloc(1 << 20, 1)); while (process.cpuUsage().user < 1e6) {} process.stdout.write('ready\\n'); setInterval(() => {}, 1000);",
			],
			{ stdio: ['ignore', 'pipe', 'ignore'] },
		);
		children.push(big);
		// sampled once the sibling holds its 200 MB and has burnt its CPU: a fixed wait was too short on a busy
		// machine (two jest workers beside real n8n: 109 MB seen at 1.5 s)
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error('the 200 MB sibling never said ready')), 30_000);
			big.stdout!.on('data', (chunk: Buffer) => {
				if (chunk.toString().includes('ready')) {
					clearTimeout(timer);
					resolve();
				}
			});
		});
		const only = new RssSampler({ server: true, pids: () => [small.pid!] }).start();
		const both = new RssSampler({ server: true, pids: () => [small.pid!, big.pid!] }).start();
		await new Promise((r) => setTimeout(r, 300));
		// the same array on every call (as bench/queue.ts hands it out): sampling must not use it up
		const pids = [small.pid!];
		const again = new RssSampler({ server: true, pids: () => pids });
		again.sample();
		again.sample();
		expect(pids).toEqual([small.pid!]);
		expect(again.stop()).toBeGreaterThan(10);
		const onlyMB = only.stop();
		const bothMB = both.stop();
		expect(onlyMB).toBeGreaterThan(10);
		expect(onlyMB).toBeLessThan(150);
		expect(bothMB - onlyMB).toBeGreaterThan(150);
		// the busy sibling used CPU; the idle one hardly any
		expect(treeCpuMs([big.pid!])).toBeGreaterThan(100);
		expect(treeCpuMs([small.pid!])).toBeLessThan(treeCpuMs([big.pid!]));
		expect(treeCpuMs([small.pid!, big.pid!])).toBeGreaterThanOrEqual(treeCpuMs([big.pid!]));
	});

	it("a child that ended (a task runner shut down when idle) keeps its CPU in its parent's figure", async () => {
		const parent = node(
			"require('node:child_process').spawnSync(process.execPath, ['-e', 'while (process.cpuUsage().user < 1e6) {}']); setInterval(() => {}, 1000)",
		);
		// the child's 1 s of CPU (not of wall time: the machine may be busy), counted while it runs and after
		await new Promise((r) => setTimeout(r, 500));
		const whileRunning = treeCpuMs([parent.pid!]);
		const ended = () => Number(readFileSync(`/proc/${parent.pid}/stat`, 'utf8').split(') ')[1].split(' ')[13]) > 0;
		const deadline = Date.now() + 20_000;
		while (!ended() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
		const afterItEnded = treeCpuMs([parent.pid!]);
		expect(afterItEnded).toBeGreaterThanOrEqual(whileRunning);
		expect(afterItEnded).toBeGreaterThanOrEqual(1000);
	});
});

const ordersRunOf = (
	workers: number,
	ordersPerSec: number,
	p95Ms: number,
	cpu: Record<string, number>,
): QueueOrdersRun => ({
	workers,
	processes: Object.keys(cpu),
	count: 100,
	sent: 100,
	created: 100,
	p50Ms: p95Ms / 2,
	p95Ms,
	maxMs: p95Ms * 2,
	peakRssMB: 1800 + workers * 400,
	mainRssMB: 500,
	wallMs: 20_000,
	ordersPerSec,
	n8nCpuMsPerOrder: Object.values(cpu).reduce((a, b) => a + b, 0),
	cpuMsPerOrderBy: cpu,
	machineBusyPct: 97,
	startWait: { p50Ms: 800, p95Ms: 3000 },
});

const stockRunOf = (mode: 'queue' | 'regular', execMs: number, wallMs: number, how = SCHEDULED): StockRun => ({
	mode,
	how,
	processes: mode === 'queue' ? ['main', 'webhook-1', 'worker-1'] : ['main'],
	levels: 20001,
	triggerToPortalMs: wallMs,
	triggerToStartMs: 40,
	execMs,
	itemsWritten: 20001,
	sapRequests: 25,
	portalRequests: 22,
	portalFailed: 0,
	cpuMs: 9000,
	peakRssMB: 1500,
	idleRssMB: 1200,
	machineBusyPct: 80,
	nodes: 'Send stock to portal 1.0 s, Źródło 0.2 s',
});

it('the report: both worker counts, both modes, the ratios measured in the run and the CPU bound of the orders ratio', () => {
	const report: QueueReport = {
		when: '2026-12-07T09:00:00.000Z',
		command: 'npm run bench -- --queue --orders 100 --levels 20000',
		options: { items: 6667, orders: 100, queueRate: 20, concurrency: 10, heapMB: 512 },
		versions: { postgres: '15', redis: '7.0.15' },
		loadBefore: [3, 2, 1],
		loadAfter: [1, 1, 1],
		cpus: 2,
		orders: [
			ordersRunOf(1, 4, 2000, { main: 10, 'webhook-1': 40, 'worker-1': 200 }),
			ordersRunOf(2, 6, 1000, { main: 10, 'webhook-1': 40, 'worker-1': 110, 'worker-2': 110 }),
		],
		stock: [
			stockRunOf('queue', 3000, 3500),
			stockRunOf('regular', 2000, 2500),
			stockRunOf('regular', 2500, 2800, WEBHOOK_ALL),
		],
	};
	const r = queueRatios(report);
	expect(r.throughput).toBeCloseTo(1.5);
	expect(r.p95).toBeCloseTo(0.5);
	expect(r.stockExec).toBeCloseTo(1.5);
	expect(r.stockWall).toBeCloseTo(1.4);
	expect(r.stockExecVsA).toBeCloseTo(1.2); // against bench (a), latest.md's path
	expect(r.oneWorkerBoundPerSec).toBeCloseTo(5); // 1000 ms ÷ 200 ms of worker CPU per order
	expect(r.webhookBoundPerSec).toBeCloseTo(25); // 1000 ms ÷ the webhook processor's 40 ms per order
	expect(r.cpuBoundPerSec).toBeCloseTo(2000 / 270); // 2 CPUs ÷ every n8n process's 270 ms per order
	expect(r.cpuBoundRatio).toBeCloseTo(2000 / 270 / 4);

	const text = renderQueueReport(report);
	expect(text).toContain('orders/s **1.50×**, p95 0.50×');
	expect(text).toContain('execution time **1.50×**, trigger → portal holds all levels 1.40×');
	expect(text).toContain("queue ÷ regular bench (a) (latest.md's path): execution time 1.20×");
	expect(text).toContain('MEASURED UNDER LOAD');
	expect(text).toContain('worker-1 110, worker-2 110');
	// 100 orders × 270 ms of n8n CPU in 20 s on 2 CPUs: n8n had 67.5 % of the machine, the machine was 97 % busy
	expect(text).toContain('| 97 (68) |');
	expect(text).toContain('20,001 stock levels');
	const orderRows = text.split('\n').filter((l) => /^\| [12] \| 100\/100/.test(l));
	expect(orderRows).toHaveLength(2);
	for (const line of orderRows) {
		const cells = line.split('|').map((c) => c.trim());
		for (const c of [cells[4], cells[5], cells[6], cells[7], cells[9], cells[12]]) expect(c).toMatch(/^\d+(\.\d+)?$/);
	}
	const stockRows = text.split('\n').filter((l) => /^\| (queue|regular) \|/.test(l));
	expect(stockRows).toHaveLength(3);
	for (const line of stockRows)
		for (const c of line
			.split('|')
			.slice(3, 14)
			.map((x) => x.trim()))
			expect(c).toMatch(/^\d+(\.\d+)?$/);
	// without the 2-worker run there is no ratio to show, and no made-up figure either
	expect(renderQueueReport({ ...report, orders: report.orders.slice(0, 1) })).toContain('orders/s **–**');
});
