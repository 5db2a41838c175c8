/**
 * What every benchmark scenario shares (bench/sync.ts: SAP stock and orders; bench/reads.ts: products, prices and
 * the CSV stock file): the RSS sampler of n8n + its task runner, the bench copy of a template with its webhook
 * triggers, a measured run through such a webhook, n8n's per-node times, and a floor script run in its own process.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { httpRequest, N8N_HEAP_MB, type N8nInstance, REPO_ROOT } from '../test/e2e/harness/n8n-instance';

/** one row of the bench table */
export interface ScenarioRow {
	scenario: string;
	/** wall time of the n8n process (CLI start-up included) or of the floor script */
	wallMs: number;
	/** n8n's own startedAt → stoppedAt of the execution (undefined for the floor) */
	execMs?: number;
	sapRequests: number;
	portalRequests: number;
	itemsWritten: number;
	/** items written per second of execution (wall for the floor) */
	itemsPerSec: number;
	peakRssMB?: number;
	/** VmHWM of the n8n process alone (without its task runner) */
	mainRssMB?: number;
	note: string;
}

/** a line of the targets table; pass undefined: a figure shown with the targets that is not one (a diagnostic) */
export interface Target {
	what: string;
	target: string;
	value: string;
	pass?: boolean;
}

/** n8n's heap in every bench run: the harness starts n8n with --max-old-space-size for a 1 GB machine */
export const CAPPED_HEAP_MB = N8N_HEAP_MB;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// ------------------------------------------------------------------------------------------------ RSS

function procChildren(pid: number): number[] {
	const out: number[] = [];
	try {
		for (const tid of readdirSync(`/proc/${pid}/task`)) {
			const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
			if (text) out.push(...text.split(/\s+/).map(Number));
		}
	} catch {
		// gone
	}
	return out;
}

function statusKb(pid: number): { rss: number; hwm: number } {
	try {
		const text = readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
		return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
	} catch {
		return { rss: 0, hwm: 0 };
	}
}

/**
 * Peak memory of this process's descendants (n8n and its task runner), sampled every 100 ms. For a process
 * that lives through several phases (a started n8n) only the RSS seen during the phase counts (`server`):
 * its lifetime high-water mark (VmHWM) would carry an earlier phase's peak into the next.
 */
export class RssSampler {
	private peakSumKb = 0;
	private peakHwmKb = 0;
	/** VmHWM (server: peak VmRSS) of this process's direct children (the n8n process itself, not its task runner) */
	private peakMainKb = 0;
	private timer?: NodeJS.Timeout;
	private readonly server: boolean;

	private readonly root: () => number[];

	/**
	 * `pid`: sample that process (and its children) instead of all of this process's children; `pids`: those
	 * processes and their children (queue mode: main, workers and webhook processors, not the Redis server that
	 * is this process's child too)
	 */
	constructor(opts: { server?: boolean; pid?: () => number | undefined; pids?: () => number[] } = {}) {
		this.server = opts.server === true;
		const pid = opts.pid;
		this.root = opts.pids
			? opts.pids
			: pid
				? () => {
						const p = pid();
						return p === undefined ? [] : [p];
					}
				: () => procChildren(process.pid);
	}

	start(): this {
		this.timer = setInterval(() => this.sample(), 100);
		this.timer.unref();
		return this;
	}

	sample(): void {
		const seen = new Set<number>();
		// a copy: the walk below empties it, and a `pids` callback may hand out the same array every time
		const stack = [...this.root()];
		for (const pid of stack) {
			const kb = statusKb(pid);
			this.peakMainKb = Math.max(this.peakMainKb, this.server ? kb.rss : kb.hwm);
		}
		let sum = 0;
		while (stack.length) {
			const pid = stack.pop()!;
			if (seen.has(pid)) continue;
			seen.add(pid);
			const { rss, hwm } = statusKb(pid);
			sum += rss;
			if (!this.server) this.peakHwmKb = Math.max(this.peakHwmKb, hwm);
			stack.push(...procChildren(pid));
		}
		this.peakSumKb = Math.max(this.peakSumKb, sum);
	}

	/** MB: the larger of the peak summed RSS and the largest single-process high-water mark seen */
	stop(): number {
		if (this.timer) clearInterval(this.timer);
		this.sample();
		return Math.round(Math.max(this.peakSumKb, this.peakHwmKb) / 1024);
	}

	/** MB: the n8n process alone (its VmHWM), after stop() */
	get mainMB(): number {
		return Math.round(this.peakMainKb / 1024);
	}
}

/**
 * CPU time (user + system, ms) used so far by this process's descendants: the n8n process and its task runner
 * (the simulators run inside this process, so they are not counted). n8n runs every execution on one thread:
 * at `rate` orders a second, an order may cost it at most 1000/rate ms of CPU before the orders queue up, and
 * other processes on the machine take their share first — a figure that does not depend on the machine's load.
 */
export function descendantsCpuMs(root = process.pid): number {
	return treeCpuMs(procChildren(root));
}

/**
 * CPU time (user + system, ms) used so far by these processes and their descendants (e.g. an n8n worker and its
 * task runner), descendants that have ended included
 */
export function treeCpuMs(roots: number[]): number {
	const tick = 10; // ms per clock tick (USER_HZ = 100 on Linux)
	let sum = 0;
	const stack = [...roots];
	const seen = new Set<number>();
	while (stack.length) {
		const pid = stack.pop()!;
		if (seen.has(pid)) continue;
		seen.add(pid);
		try {
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			// fields after the command name (which may hold spaces) in parentheses: utime is the 14th field, then
			// stime, cutime, cstime: the last two hold the children that ended and were waited for (a task runner
			// that shut down when idle), whose own figures vanished with them — without them a delta can go negative
			const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			sum += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * tick;
		} catch {
			// gone
		}
		stack.push(...procChildren(pid));
	}
	return sum;
}

/** The whole machine's CPU ticks so far (/proc/stat): busy (everything but idle and iowait) and total, all CPUs. */
export function machineCpuTicks(): { busy: number; total: number } {
	try {
		const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
		const total = f.reduce((a, b) => a + b, 0);
		return { busy: total - f[3] - f[4], total };
	} catch {
		return { busy: 0, total: 0 };
	}
}

/** % of all the machine's CPUs busy between two machineCpuTicks() (100 = every CPU busy all the time) */
export function machineBusyPct(from: { busy: number; total: number }, to: { busy: number; total: number }): number {
	const total = to.total - from.total;
	return total > 0 ? ((to.busy - from.busy) / total) * 100 : NaN;
}

// ------------------------------------------------------------------------------------------------ n8n runs

/** "node 1.2 s, node 0.3 s": n8n's executionTime of each node that ran (slowest first) */
export function nodeTimes(data: any): string {
	if (data === undefined) return 'node times not available (run data incomplete on stdout)';
	const runData = (data?.data?.resultData ?? data?.resultData)?.runData ?? {};
	return Object.entries<any>(runData)
		.map(([name, runs]) => [name, (runs ?? []).reduce((n: number, r: any) => n + (r?.executionTime ?? 0), 0)] as const)
		.filter(([, ms]) => ms >= 50)
		.sort((a, b) => b[1] - a[1])
		.map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`)
		.join(', ');
}

/** A workflow run in the started n8n through one of its bench webhooks, measured from the POST to the end. */
export async function runByWebhook(
	n8n: N8nInstance,
	workflowId: string,
	hookPath: string,
	timeoutMs: number,
): Promise<{ ok: boolean; error?: string; ms: number; execMs?: number; executionId: string }> {
	const before = new Set((await n8n.executions(workflowId)).map((e) => e.id));
	const url = await n8n.webhookUrlFor(workflowId, `Bench trigger ${hookPath}`);
	const t = performance.now();
	const r = await httpRequest('POST', url, { body: {}, timeoutMs: 60_000 });
	if (r.status !== 200) throw new Error(`bench webhook ${hookPath} answered ${r.status}: ${r.body.slice(0, 300)}`);
	const e = await n8n.waitForExecution(
		workflowId,
		(x) => !before.has(x.id) && (x.finished || !['new', 'running', 'waiting'].includes(x.status)),
		timeoutMs,
	);
	const ms = performance.now() - t;
	const a = Date.parse(e.startedAt ?? '');
	const b = Date.parse(e.stoppedAt ?? '');
	return {
		ok: e.status === 'success',
		error:
			e.status === 'success'
				? undefined
				: `execution ${e.id} ended ${e.status}; n8n log:\n${n8n.logs().split('\n').slice(-20).join('\n')}`,
		ms,
		execMs: Number.isFinite(a) && Number.isFinite(b) ? b - a : undefined,
		executionId: e.id,
	};
}

/** nodeTimes() of a finished execution, through n8n's API (with its run data) */
export async function nodeTimesOf(n8n: N8nInstance, executionId: string): Promise<string> {
	try {
		const r = await n8n.api('GET', `/executions/${encodeURIComponent(executionId)}?includeData=true`);
		if (r.status !== 200) return `node times not available (${r.status})`;
		return nodeTimes(r.json<any>());
	} catch (e) {
		return `node times not available (${(e as Error).message.slice(0, 100)})`;
	}
}

export type Workflow = { nodes: Array<Record<string, any>>; connections: Record<string, any>; [k: string]: any };

/**
 * The bench copy of a workflow as it runs in production: in a started n8n (the main process of regular
 * mode, where a Schedule Trigger runs it), not through `n8n execute` — that CLI prints the whole run data
 * through its logger at the end (3.5 GB RSS and 10 s for a 100,000-item run, measured), which is not what
 * the workflow costs. Manual and schedule triggers are taken out (nothing may fire on its own during the
 * bench); each `webhooks` entry adds a Webhook node (answers at once) wired to the named node.
 */
export function benchCopy(template: Workflow, name: string, webhooks: Array<{ path: string; to: string }>): Workflow {
	const wf = JSON.parse(JSON.stringify(template)) as Workflow;
	const triggers = wf.nodes
		.filter((n) => n.type === 'n8n-nodes-base.manualTrigger' || n.type === 'n8n-nodes-base.scheduleTrigger')
		.map((n) => n.name as string);
	wf.nodes = wf.nodes.filter((n) => !triggers.includes(n.name));
	for (const t of triggers) delete wf.connections[t];
	webhooks.forEach(({ path: hookPath, to }, i) => {
		if (!wf.nodes.some((n) => n.name === to)) throw new Error(`${name}: no node "${to}" to trigger`);
		const hookName = `Bench trigger ${hookPath}`;
		wf.nodes.push({
			parameters: { httpMethod: 'POST', path: hookPath, responseMode: 'onReceived', options: {} },
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [-400, 200 * i],
			webhookId: `b3c4d5e6-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
			name: hookName,
		});
		wf.connections[hookName] = { main: [[{ node: to, type: 'main', index: 0 }]] };
	});
	wf.name = name;
	delete wf.id;
	return wf;
}

/**
 * (Re)starts n8n and lets it settle; returns its RSS then. Every measured run gets a fresh n8n: a process keeps the
 * memory a run made it take (V8 does not hand it back), which would be counted against the next run. n8n's memory
 * right after start-up is mostly start-up garbage, collected within ~10 s (measured: 880 MB 1 s after start, 554 MB
 * after 10 s, with its task runner). State (cursors, delta hashes) is in n8n's database.
 */
export async function freshN8n(n8n: N8nInstance): Promise<number> {
	await n8n.stop();
	await n8n.start(); // the harness's heap for a 1 GB machine (N8N_START_NODE_OPTIONS)
	await sleep(15_000);
	const idle = new RssSampler({ server: true }).start();
	await sleep(1_000);
	return idle.stop();
}

/**
 * A floor script (bench/*.mjs) in its own process, like n8n, so that it does not share the simulators' event loop.
 * It gets `cfg` as JSON in argv[2] and prints one JSON line at the end; peak RSS is its process's.
 */
export function runFloorScript<T extends { ms: number }>(
	script: string,
	cfg: object,
): Promise<T & { wallMs: number; peakRssMB: number }> {
	const started = Date.now();
	let pid: number | undefined;
	// the floor's process alone: a started n8n is a child of this process too
	const sampler = new RssSampler({ pid: () => pid }).start();
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bench', script), JSON.stringify(cfg)], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		pid = child.pid;
		let out = '';
		let err = '';
		child.stdout.on('data', (c: Buffer) => (out += c.toString()));
		child.stderr.on('data', (c: Buffer) => (err += c.toString()));
		child.on('error', reject);
		child.on('close', (code) => {
			const peakRssMB = sampler.stop();
			if (code !== 0) return reject(new Error(`bench/${script} exited ${code}: ${err.slice(-2000)}`));
			const r = JSON.parse(out.trim().split('\n').pop()!) as T;
			resolve({ ...r, wallMs: Date.now() - started, peakRssMB });
		});
	});
}
