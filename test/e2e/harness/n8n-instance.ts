/**
 * A real, self-hosted n8n (the version pinned in scripts/runtime.mjs, on the pinned Node 24) driven through
 * its own CLI and HTTP server, with this pack installed the way n8n's community-package installer does it.
 * Recipe and measurements: /work/shared/research/n8n-runtime.md; findings specific to this harness are in
 * the comments below and in the report that came with it.
 *
 * One source of truth for the versions and paths: scripts/runtime.mjs. It is ESM, and jest (ts-jest, commonjs)
 * cannot `import()` an .mjs file without --experimental-vm-modules, so `runtime()` runs it once in a child
 * process (`node --input-type=module -e ...`) that calls its exported `ensureRuntime()`, `nodePaths()`,
 * `n8nPaths()` and `node24Env()` and prints the result as JSON. That also installs the runtime on a cold
 * machine (minutes; see runtime.mjs).
 *
 * Isolation: every instance has its own N8N_USER_FOLDER (mkdtemp, so its own SQLite database), every spawned
 * n8n process its own task-broker port, and every n8n process preloads ./n8n-preload.cjs, which refuses (and
 * logs to <userFolder>/net-guard.log) any connection or DNS lookup that is not loopback (`outboundAttempts()`
 * reads that log; N8N_E2E_NET_GUARD=log|off in the environment relaxes it), and which ends the n8n process
 * when the test process that started it is gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { INodeExecutionData } from 'n8n-workflow';
import { BATCH_FILE_PROPERTY, isBatchFile, isRecordBatch } from '../../../nodes/shared/batch';
import { partsCalledBy } from '../../fixtures/templates';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const PRELOAD = path.join(__dirname, 'n8n-preload.cjs');
const ENCRYPTION_KEY = 'n8n-nodes-erp-b2b-e2e-fixed-encryption-key';
export interface OwnerAccount {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

const DEFAULT_OWNER: OwnerAccount = {
	email: 'owner@e2e.invalid',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2e-Harness-Passw0rd',
};
const API_KEY_SCOPES = [
	'workflow:read',
	'workflow:list',
	'workflow:activate',
	'workflow:deactivate',
	'execution:read',
	'execution:list',
	'credential:read',
	'credential:list',
	'credential:create',
	// what the set-up command (cli/setup.ts) uses on top: create / update workflows, tag them
	'workflow:create',
	'workflow:update',
	'tag:create',
	'tag:list',
	'workflowTags:update',
	'workflowTags:list',
	// the set-up check's e2e removes the broken credentials it made (a second one of a type makes setup ask)
	'credential:delete',
	// the set-up check deletes the temporary workflow it reads the ERP with
	'workflow:delete',
	// the set-up check's Subiekt e2e points the imported SQL / bridge credentials at simulators started later
	'credential:update',
];
const TIMEOUTS = {
	runtime: 20 * 60_000, // cold install of Node + n8n (≈5 min measured)
	build: 180_000,
	pack: 120_000,
	npmInstall: 300_000,
	cli: 120_000, // import:*, publish:workflow
	execute: 120_000,
	ready: 90_000,
	stop: 10_000,
	sqlite: 30_000,
};

// ---------------------------------------------------------------------------------------------- runtime

export interface RuntimeInfo {
	nodeVersion: string;
	n8nVersion: string;
	nodeBin: string;
	nodeDir: string;
	binDir: string;
	n8nBin: string;
	n8nDir: string;
	cacheDir: string;
	/** What node24Env() adds to/changes in the current environment (PATH, npm_config_nodedir, ...). */
	envDelta: Record<string, string>;
}

const RUNTIME_SCRIPT = `
const rt = await import(process.argv[1]);
const installed = rt.ensureRuntime();
const np = rt.nodePaths();
const nn = rt.n8nPaths();
const env = rt.node24Env();
const envDelta = {};
for (const [k, v] of Object.entries(env)) if (typeof v === 'string' && process.env[k] !== v) envDelta[k] = v;
process.stdout.write(JSON.stringify({
	nodeVersion: rt.NODE_VERSION, n8nVersion: rt.N8N_VERSION,
	nodeBin: installed.nodeBin, nodeDir: np.nodeDir, binDir: np.binDir,
	n8nBin: installed.n8nBin, n8nDir: nn.dir, cacheDir: installed.cacheDir, envDelta,
}));
`;

let runtimePromise: Promise<RuntimeInfo> | undefined;

/** Pinned Node 24 + n8n from scripts/runtime.mjs (installed on first use), resolved once per module instance. */
export function runtime(): Promise<RuntimeInfo> {
	runtimePromise ??= (async () => {
		const script = pathToFileURL(path.join(REPO_ROOT, 'scripts', 'runtime.mjs')).href;
		const r = await runProcess(process.execPath, ['--input-type=module', '-e', RUNTIME_SCRIPT, script], {
			cwd: REPO_ROOT,
			env: { ...process.env },
			timeoutMs: TIMEOUTS.runtime,
		});
		if (r.exitCode !== 0)
			throw new Error(`scripts/runtime.mjs failed (exit ${r.exitCode}):\n${tail(r.stdout + r.stderr, 40)}`);
		return JSON.parse(r.stdout) as RuntimeInfo;
	})();
	runtimePromise.catch(() => (runtimePromise = undefined));
	return runtimePromise;
}

// ---------------------------------------------------------------------------------------------- processes

export interface ProcessResult {
	exitCode: number;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
	timedOut: boolean;
}

/**
 * Process groups we started and that may still be alive: killed if the test process exits first. (Inside jest
 * this hook never fires, because test files get a sandboxed `process`; there the preload's parent watch ends
 * orphaned n8n processes instead.)
 */
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function trackGroup(pid: number): void {
	if (!exitHookInstalled) {
		exitHookInstalled = true;
		process.once('exit', () => {
			for (const g of liveGroups) killGroup(g, 'SIGKILL');
		});
	}
	liveGroups.add(pid);
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pgid, signal);
	} catch {
		// ESRCH: the group is already gone
	}
}

/**
 * Spawns in its own process group (so a timeout or stop also reaches n8n's task-runner child), stdin ignored.
 * After the main process exits, whatever is left of its group is SIGKILLed.
 */
export function runProcess(
	cmd: string,
	args: string[],
	opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<ProcessResult> {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		let timedOut = false;
		child.stdout.on('data', (c: Buffer) => out.push(c));
		child.stderr.on('data', (c: Buffer) => err.push(c));
		if (child.pid !== undefined) trackGroup(child.pid);
		const timer = setTimeout(() => {
			timedOut = true;
			if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
		}, opts.timeoutMs);
		child.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		child.on('exit', () => {
			if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL'); // orphaned task runner, if any
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			if (child.pid !== undefined) liveGroups.delete(child.pid);
			resolve({
				exitCode: code ?? (signal ? 128 : 1),
				signal,
				stdout: Buffer.concat(out).toString('utf8'),
				stderr: Buffer.concat(err).toString('utf8'),
				ms: Date.now() - started,
				timedOut,
			});
		});
	});
}

function tail(text: string, lines: number): string {
	return text.split('\n').slice(-lines).join('\n');
}

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

// ---------------------------------------------------------------------------------------------- http

export interface HttpResponse {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
	json<T = any>(): T;
}

/** Minimal HTTP client (no globals needed inside jest). A body object is sent as JSON. */
export function httpRequest(
	method: string,
	url: string,
	opts: { headers?: Record<string, string>; body?: unknown; timeoutMs?: number } = {},
): Promise<HttpResponse> {
	return new Promise((resolve, reject) => {
		const headers: Record<string, string> = { ...(opts.headers ?? {}) };
		let payload: Buffer | undefined;
		if (opts.body !== undefined) {
			payload = Buffer.isBuffer(opts.body)
				? opts.body
				: Buffer.from(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body));
			if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type') && typeof opts.body !== 'string')
				headers['content-type'] = 'application/json';
			headers['content-length'] = String(payload.length);
		}
		const req = http.request(url, { method, headers, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				const body = Buffer.concat(chunks).toString('utf8');
				resolve({
					status: res.statusCode ?? 0,
					headers: res.headers,
					body,
					json: <T>() => JSON.parse(body) as T,
				});
			});
			res.on('error', reject);
		});
		req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error(`${method} ${url}: timed out`)));
		req.on('error', reject);
		if (payload) req.write(payload);
		req.end();
	});
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------- pack

let packPromise: Promise<{ tgz: string; name: string; version: string }> | undefined;

/**
 * `node scripts/build.mjs` then `npm pack` into <tmp>/n8n-e2e-packs/<pid>-*, once per process (a module
 * variable, plus <pid>-pack.json for the other test files of the same jest process). N8N_E2E_SKIP_BUILD=1
 * packs the existing dist/ as it is. A lock directory in the OS temp dir keeps two harness processes from
 * rebuilding dist/ at the same time. Packs of processes that no longer exist are deleted on the next pack.
 */
export function packOnce(): Promise<{ tgz: string; name: string; version: string }> {
	packPromise ??= (async () => {
		const rt = await runtime();
		const env = { ...cleanEnv(), ...rt.envDelta };
		const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
			name: string;
			version: string;
		};
		const lock = path.join(tmpdir(), `n8n-e2e-build-${Buffer.from(REPO_ROOT).toString('hex').slice(-24)}.lock`);
		await acquireLock(lock);
		try {
			// <tmp>/n8n-e2e-packs/<pid>-...: packs of processes that are gone are removed here
			const packs = path.join(tmpdir(), 'n8n-e2e-packs');
			mkdirSync(packs, { recursive: true });
			for (const entry of readdirSync(packs)) {
				const pid = Number(entry.split('-')[0]);
				if (Number.isInteger(pid) && pid > 0 && !isAlive(pid))
					rmSync(path.join(packs, entry), { recursive: true, force: true });
			}
			// jest gives every test file its own module registry, so the module variable alone would mean once per
			// file; this record makes it once per process
			const record = path.join(packs, `${process.pid}-pack.json`);
			if (existsSync(record)) {
				const previous = JSON.parse(readFileSync(record, 'utf8')) as { tgz: string; name: string; version: string };
				if (
					existsSync(previous.tgz) &&
					previous.name === pkg.name &&
					previous.version === pkg.version &&
					newestSourceMtime() < statSync(previous.tgz).mtimeMs // nothing edited since (jest --watch)
				)
					return previous;
			}
			const dest = await mkdtemp(path.join(packs, `${process.pid}-`));
			if (process.env.N8N_E2E_SKIP_BUILD !== '1') {
				const b = await runProcess(rt.nodeBin, [path.join(REPO_ROOT, 'scripts', 'build.mjs')], {
					cwd: REPO_ROOT,
					env,
					timeoutMs: TIMEOUTS.build,
				});
				if (b.exitCode !== 0)
					throw new Error(`node scripts/build.mjs failed (exit ${b.exitCode}):\n${tail(b.stdout + b.stderr, 40)}`);
			}
			const p = await runProcess('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest], {
				cwd: REPO_ROOT,
				env,
				timeoutMs: TIMEOUTS.pack,
			});
			if (p.exitCode !== 0) throw new Error(`npm pack failed (exit ${p.exitCode}):\n${tail(p.stdout + p.stderr, 40)}`);
			const filename = (JSON.parse(p.stdout.slice(p.stdout.indexOf('['))) as Array<{ filename: string }>)[0].filename;
			const result = { tgz: path.join(dest, filename), name: pkg.name, version: pkg.version };
			await writeFile(record, JSON.stringify(result));
			return result;
		} finally {
			releaseLock(lock);
		}
	})();
	packPromise.catch(() => (packPromise = undefined));
	return packPromise;
}

/** Newest mtime of what the build reads: package.json, tsconfig*.json, nodes/, credentials/. */
function newestSourceMtime(): number {
	let newest = 0;
	const visit = (p: string) => {
		let st;
		try {
			st = statSync(p);
		} catch {
			return;
		}
		if (st.isDirectory()) for (const entry of readdirSync(p)) visit(path.join(p, entry));
		else newest = Math.max(newest, st.mtimeMs);
	};
	for (const p of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'nodes', 'credentials'])
		visit(path.join(REPO_ROOT, p));
	return newest;
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

async function acquireLock(dir: string): Promise<void> {
	const deadline = Date.now() + TIMEOUTS.build + TIMEOUTS.pack;
	for (;;) {
		try {
			mkdirSync(dir);
			return;
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
			try {
				if (Date.now() - statSync(dir).mtimeMs > TIMEOUTS.build + TIMEOUTS.pack) rmdirSync(dir); // stale
			} catch {
				// removed meanwhile
			}
			if (Date.now() > deadline) throw new Error(`timed out waiting for the build lock ${dir}`);
			await sleep(250);
		}
	}
}

function releaseLock(dir: string): void {
	try {
		rmdirSync(dir);
	} catch {
		// already gone
	}
}

// ---------------------------------------------------------------------------------------------- environment

/**
 * The parent environment minus anything that would change how n8n behaves. NODE_ENV matters most: jest sets
 * it to 'test', and n8n then silences its logger (so `execute --rawOutput` prints nothing) and refuses to
 * load nodes ("Not available in tests").
 */
function cleanEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (v === undefined) continue;
		if (
			/^(N8N_|DB_|EXECUTIONS_|QUEUE_|CREDENTIALS_|EXTERNAL_|WEBHOOK_URL$|GENERIC_TIMEZONE$|NODE_ENV$|NODE_OPTIONS$|NODE_PATH$|E2E_TESTS$)/.test(
				k,
			)
		)
			continue;
		env[k] = v;
	}
	return env;
}

/**
 * Every n8n variable the harness sets, and why. Outbound URLs found in n8n 2.41.1's config
 * (@n8n/config, n8n/dist) and what switches them off:
 *   telemetry.n8n.io (RudderStack), ph.n8n.io (PostHog)  -> N8N_DIAGNOSTICS_ENABLED=false (seen without it)
 *   api.n8n.io/api/versions/                              -> N8N_VERSION_NOTIFICATIONS_ENABLED=false
 *   api.n8n.io/api/whats-new                              -> N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED=false
 *   api.n8n.io/api/banners                                -> N8N_DYNAMIC_BANNERS_ENABLED=false
 *   api.n8n.io/api/ (templates)                           -> N8N_TEMPLATES_ENABLED=false
 *   api.n8n.io/api/community-nodes (vetted list)          -> N8N_VERIFIED_PACKAGES_ENABLED=false
 *   registry.npmjs.org (npm outdated / UI installs)       -> N8N_UNVERIFIED_PACKAGES_ENABLED=false,
 *                                                            N8N_REINSTALL_MISSING_PACKAGES=false
 *   api.n8n.io/api/mcp-servers (system task at start-up)  -> N8N_DISABLED_MODULES=mcp-registry (seen without it)
 *   license.n8n.io/v1                                     -> N8N_LICENSE_AUTO_RENEW_ENABLED=false (no cert anyway)
 *   AI assistant / builder endpoints                      -> N8N_AI_ENABLED=false
 *   frontend hook scripts                                 -> EXTERNAL_FRONTEND_HOOKS_URLS=
 * N8N_COMMUNITY_PACKAGES_ENABLED stays true: that module is what loads <userFolder>/.n8n/nodes.
 */
function n8nEnv(rt: RuntimeInfo, userFolder: string, brokerPort: number): NodeJS.ProcessEnv {
	return {
		...cleanEnv(),
		...rt.envDelta, // PATH with the pinned node first, npm_config_nodedir, ...
		NODE_OPTIONS: `--require ${JSON.stringify(PRELOAD)}`,
		N8N_E2E_PARENT_WATCH: '1',
		N8N_E2E_NET_GUARD: process.env.N8N_E2E_NET_GUARD ?? 'block',
		N8N_E2E_NET_GUARD_LOG: path.join(userFolder, 'net-guard.log'),
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_LOG_LEVEL: 'info', // the execute result JSON is printed through the info logger
		N8N_LOG_OUTPUT: 'console',
		DB_TYPE: 'sqlite',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'false',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		N8N_SECURE_COOKIE: 'false',
		N8N_PUBLIC_API_DISABLED: 'false',
	};
}

/** `--max-old-space-size` (MB) of every `n8n start` and CLI run (`n8n execute`): a 1 GB machine's share for n8n's own heap. */
export const N8N_HEAP_MB = 512;
/**
 * NODE_OPTIONS of every `n8n start` unless the caller says otherwise. n8n documents this V8 option, set through
 * NODE_OPTIONS, as the way to size its memory (docs.n8n.io, "Memory-related errors" → "Increase old memory"); it
 * names no size. Without it V8 sizes n8n's heap from the machine's RAM (24 GB here) and collects garbage late:
 * n8n with its task runner peaked at 1,341 MB in the full stock bench and 1,198 MB in the 500-order run, where
 * 512 MB gave 928 MB (bench/results). 512 leaves the rest of 1 GB for what is not V8's old space: n8n's code,
 * buffers, young generation, and its task runner (a separate process that does not inherit NODE_OPTIONS).
 */
export const N8N_START_NODE_OPTIONS = `--max-old-space-size=${N8N_HEAP_MB}`;

/** The harness's preload, then `extra` (default N8N_START_NODE_OPTIONS; '' = none). */
export function startNodeOptions(base: string | undefined, extra: string = N8N_START_NODE_OPTIONS): string {
	return `${base ?? ''} ${extra}`.trim();
}

// ---------------------------------------------------------------------------------------------- results

export interface ExecuteResult {
	ok: boolean;
	exitCode: number;
	/** The run n8n printed: { data: { resultData: { runData, error?, lastNodeExecuted } }, status, finished, ... } */
	data: any;
	/** Why ok is false (first one found), for assertion messages. */
	error?: string;
	stdout: string;
	stderr: string;
	ms: number;
	/** set when the n8n process ended by a signal (after printing a complete run, exitCode is that run's 0/1) */
	signal?: string;
}

/** The JSON n8n prints after its log lines: from the first line starting with '{' to its closing '}' line. */
export function parseCliJson(stdout: string): any {
	const lines = stdout.split('\n');
	const start = lines.findIndex((l) => l.startsWith('{'));
	if (start < 0) return undefined;
	for (let end = start; end < lines.length; end++) {
		if (!lines[end].startsWith('}')) continue;
		try {
			return JSON.parse(lines.slice(start, end + 1).join('\n'));
		} catch {
			// not the matching brace yet
		}
	}
	return undefined;
}

/** The reason a parsed run counts as failed, or undefined when it succeeded. */
export function runFailure(data: any): string | undefined {
	if (data === null || typeof data !== 'object') return 'no JSON result on stdout';
	const resultData = data.data?.resultData ?? data.resultData;
	if (resultData?.error) {
		const e = resultData.error;
		return `${e.node?.name ? `node "${e.node.name}"` : 'workflow'} failed: ${e.message ?? JSON.stringify(e)}${e.description ? ` (${e.description})` : ''}`;
	}
	for (const [nodeName, runs] of Object.entries<any>(resultData?.runData ?? {})) {
		for (const run of runs ?? []) {
			if (run?.error) return `node "${nodeName}" failed: ${run.error.message ?? JSON.stringify(run.error)}`;
		}
	}
	if (typeof data.status === 'string' && !['success', 'new', 'running', 'waiting'].includes(data.status))
		return `execution status ${data.status}`;
	if (data.finished === false && data.status !== 'waiting') return 'execution did not finish';
	return undefined;
}

/** What one `n8n execute` process result means (exported for the harness self-test). */
export function executeOutcome(r: ProcessResult, timeoutMs: number): ExecuteResult {
	const data = parseCliJson(r.stdout);
	let error = runFailure(data);
	// n8n sometimes ends by a signal while shutting down after it printed a complete run (seen on a loaded
	// 2-core machine, for successful and failed runs alike). The printed run is the result: its exit code is
	// what n8n would have returned (0 success, 1 failure); the signal is reported beside it.
	const printedRun = Boolean(r.signal && data && typeof data === 'object' && 'status' in data);
	const exitCode = printedRun ? (error === undefined ? 0 : 1) : r.exitCode;
	if (r.timedOut) error = `timed out after ${timeoutMs} ms`;
	else if (exitCode !== 0)
		error = `exit code ${exitCode}${r.signal && !printedRun ? ` (signal ${r.signal})` : ''}${error ? `; ${error}` : ''}`;
	return {
		ok: error === undefined,
		exitCode,
		data,
		error,
		stdout: r.stdout,
		stderr: r.stderr,
		ms: r.ms,
		...(r.signal ? { signal: r.signal } : {}),
	};
}

/** JSON of the items a node emitted on an output in its last run (default: main output 0). */
export function nodeItems(data: any, nodeName: string, outputIndex = 0): Array<Record<string, unknown>> {
	const runs = (data?.data?.resultData ?? data?.resultData)?.runData?.[nodeName];
	if (!Array.isArray(runs) || runs.length === 0) throw new Error(`node "${nodeName}" did not run`);
	const items = runs[runs.length - 1]?.data?.main?.[outputIndex] ?? [];
	return items.map((i: { json: Record<string, unknown> }) => i.json);
}

/**
 * The canonical records a node emitted: nodeItems(), with batch items (nodes/shared/batch.ts: `entity`, `batch`,
 * `records`) opened up, so a check does not depend on whether the template batches its records. Batch files
 * (binary "records") are read from the instance's binary data storage (`n8n.userFolder`), or from the item
 * when n8n kept them inline.
 */
export function nodeRecords(
	data: any,
	nodeName: string,
	outputIndex = 0,
	userFolder?: string,
): Array<Record<string, unknown>> {
	const runs = (data?.data?.resultData ?? data?.resultData)?.runData?.[nodeName];
	if (!Array.isArray(runs) || runs.length === 0) throw new Error(`node "${nodeName}" did not run`);
	const items: INodeExecutionData[] = runs[runs.length - 1]?.data?.main?.[outputIndex] ?? [];
	return items.flatMap((item) => {
		if (isRecordBatch(item.json)) return item.json.records;
		if (!isBatchFile(item)) return [item.json];
		const file = item.binary![BATCH_FILE_PROPERTY];
		let text: string;
		if (file.id) {
			if (!userFolder) throw new Error(`node "${nodeName}" gave batch files: pass the instance's userFolder`);
			// filesystem mode: "<mode>:<file id>", the file under <n8n folder>/storage (n8n-core BinaryDataService)
			text = readFileSync(path.join(userFolder, '.n8n', 'storage', file.id.slice(file.id.indexOf(':') + 1)), 'utf8');
		} else text = Buffer.from(file.data, 'base64').toString('utf8');
		return JSON.parse(text) as Array<Record<string, unknown>>;
	});
}

// ---------------------------------------------------------------------------------------------- instance

export interface CredentialInput {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface ExecutionSummary {
	id: string;
	status: string;
	finished: boolean;
	mode?: string;
	workflowId?: string;
	startedAt?: string | null;
	stoppedAt?: string | null;
}

export interface RegisteredWebhook {
	workflowId: string;
	webhookPath: string;
	method: string;
	node: string;
	webhookId: string | null;
	pathLength: number | null;
}

export interface BatchResult {
	ok: boolean;
	status: string;
	error?: string;
	/** The run (same shape as ExecuteResult.data) for successful runs (n8n snapshots only those). */
	data?: any;
}

export interface Publication {
	workflowId: string;
	/** completed | partial_success | failed (n8n's workflow_publication_outbox.status) */
	status: string;
	errorMessage: string | null;
}

/** Credential fields whose values are masked in logs(). Short values (< 3 chars) cannot be masked usefully. */
const SECRET_FIELD = /(key|secret|token|password|passwd|pwd|auth(?!type)|private|signature|cookie|session|bearer)/i;

/** n8n's database for the harness's own reads (see N8nInstance.dbQuery). */
export interface SqlDatabase {
	query(sql: string, params?: unknown[]): Promise<Array<Record<string, any>>>;
}

interface RunningProcess {
	child: ChildProcess;
	exited: Promise<void>;
	hasExited: boolean;
}

/** A queue-mode process besides main: `n8n worker` or `n8n webhook`. */
export interface N8nProcess {
	kind: 'worker' | 'webhook';
	name: string;
	/** the worker's health server or the webhook processor's HTTP port */
	port: number;
	url: string;
	pid: number;
	readonly running: boolean;
	exited: Promise<void>;
	/** this process's own output, credential secrets masked */
	logs(): string;
	/** SIGKILL (default) ends it and its task runner at once; SIGTERM lets it finish its jobs (10 s). */
	kill(signal?: NodeJS.Signals): Promise<void>;
}

export class N8nInstance {
	/** Wall-clock of each harness step, for reports. */
	readonly timings: Array<{ step: string; ms: number }> = [];
	private server?: RunningProcess;
	private baseUrlValue?: string;
	private logChunks: string[] = [];
	private logSize = 0;
	private secrets = new Set<string>();
	private apiKey?: string;
	private authCookieValue?: string;
	/** queue mode: the worker and webhook processes started by startWorker() / startWebhookProcessor() */
	readonly processes: N8nProcess[] = [];

	private constructor(
		readonly rt: RuntimeInfo,
		readonly userFolder: string,
		private readonly fixedPort: number | undefined,
		/** the n8n owner account set up on first API use (the login for the editor) */
		readonly owner: OwnerAccount,
		/** n8n settings a test needs on top of the harness's, e.g. N8N_RESTRICT_FILE_ACCESS_TO */
		private readonly extraEnv: Record<string, string> = {},
		/** n8n's database when it is not the user folder's SQLite (queue mode: PostgreSQL) */
		private readonly database?: SqlDatabase,
	) {}

	/**
	 * opts.database: the database n8n uses when opts.env points it elsewhere than SQLite (DB_TYPE=postgresdb); the
	 * harness's own reads (publications, webhooks, executions while stopped) then go there.
	 */
	static async create(
		opts: { port?: number; owner?: OwnerAccount; env?: Record<string, string>; database?: SqlDatabase } = {},
	): Promise<N8nInstance> {
		const t = Date.now();
		const rt = await runtime();
		const userFolder = await mkdtemp(path.join(tmpdir(), 'n8n-e2e-'));
		const instance = new N8nInstance(
			rt,
			userFolder,
			opts.port,
			opts.owner ?? DEFAULT_OWNER,
			opts.env ?? {},
			opts.database,
		);
		instance.timing('create', t);
		return instance;
	}

	get baseUrl(): string {
		if (!this.baseUrlValue) throw new Error('n8n is not started: call start() first');
		return this.baseUrlValue;
	}

	get running(): boolean {
		return this.server !== undefined && !this.server.hasExited;
	}

	/** the started `n8n start` process (its task runner is its child), undefined when not running */
	get pid(): number | undefined {
		return this.running ? this.server?.child.pid : undefined;
	}

	/** <userFolder>/.n8n: database.sqlite, config, nodes/ */
	get n8nFolder(): string {
		return path.join(this.userFolder, '.n8n');
	}

	private timing(step: string, since: number): number {
		const ms = Date.now() - since;
		this.timings.push({ step, ms });
		return ms;
	}

	/** Runs `n8n <args>` with the harness environment, cwd = user folder, a fresh task-broker port. */
	async cli(args: string[], timeoutMs = TIMEOUTS.cli): Promise<ProcessResult> {
		const base = { ...n8nEnv(this.rt, this.userFolder, await freePort()), ...this.extraEnv };
		// `n8n execute` runs the workflow in this process: the same heap as `n8n start` (N8N_START_NODE_OPTIONS)
		const env = { ...base, NODE_OPTIONS: startNodeOptions(base.NODE_OPTIONS) };
		return runProcess(this.rt.nodeBin, [this.rt.n8nBin, ...args], { cwd: this.userFolder, env, timeoutMs });
	}

	private async cliOrThrow(args: string[], timeoutMs?: number): Promise<ProcessResult> {
		const r = await this.cli(args, timeoutMs);
		if (r.exitCode !== 0 || r.timedOut)
			throw new Error(
				`n8n ${args.join(' ')} failed (exit ${r.exitCode}${r.timedOut ? ', timed out' : ''}):\n${this.mask(tail(r.stdout + r.stderr, 40))}`,
			);
		return r;
	}

	/**
	 * Installs the packed pack as n8n's installer does (CommunityPackagesService.downloadPackage): extract
	 * with `tar -xzf --strip-components=1` into .n8n/nodes/node_modules/<name>, drop dev/peer/optional
	 * dependencies from its package.json, install the remaining `dependencies` there, and record the package in
	 * .n8n/nodes/package.json. (n8n also writes an installed_packages row, which only the Settings > Community
	 * nodes page uses; loading scans the folder.) Call it before start()/execute(): n8n loads nodes at start-up.
	 */
	async installPack(): Promise<void> {
		const t = Date.now();
		const pack = await packOnce();
		const nodesDir = path.join(this.n8nFolder, 'nodes');
		const pkgDir = path.join(nodesDir, 'node_modules', pack.name);
		await rm(pkgDir, { recursive: true, force: true });
		await mkdir(pkgDir, { recursive: true });
		const env = { ...cleanEnv(), ...this.rt.envDelta };
		const x = await runProcess('tar', ['-xzf', pack.tgz, '-C', pkgDir, '--strip-components=1'], {
			cwd: this.userFolder,
			env,
			timeoutMs: TIMEOUTS.pack,
		});
		if (x.exitCode !== 0) throw new Error(`tar failed: ${x.stderr}`);
		const pkgJsonPath = path.join(pkgDir, 'package.json');
		const { devDependencies, peerDependencies, optionalDependencies, ...pkgJson } = JSON.parse(
			await readFile(pkgJsonPath, 'utf8'),
		) as Record<string, unknown>;
		void devDependencies;
		void peerDependencies;
		void optionalDependencies;
		await writeFile(pkgJsonPath, JSON.stringify(pkgJson, null, 2), 'utf8');
		const deps = (pkgJson.dependencies ?? {}) as Record<string, string>;
		if (Object.keys(deps).length > 0) {
			const i = await runProcess(
				'npm',
				[
					'install',
					'--omit=dev',
					'--omit=peer',
					'--ignore-scripts',
					'--prefer-offline',
					'--audit=false',
					'--fund=false',
					'--bin-links=false',
					'--install-strategy=shallow',
					'--package-lock=false',
				],
				{ cwd: pkgDir, env, timeoutMs: TIMEOUTS.npmInstall },
			);
			if (i.exitCode !== 0)
				throw new Error(`npm install in ${pkgDir} failed (exit ${i.exitCode}):\n${tail(i.stdout + i.stderr, 40)}`);
		}
		const nodesPkgPath = path.join(nodesDir, 'package.json');
		const nodesPkg = existsSync(nodesPkgPath)
			? (JSON.parse(await readFile(nodesPkgPath, 'utf8')) as { dependencies?: Record<string, string> })
			: { name: 'installed-nodes', private: true, dependencies: {} };
		nodesPkg.dependencies = { ...(nodesPkg.dependencies ?? {}), [pack.name]: pack.version };
		await writeFile(nodesPkgPath, JSON.stringify(nodesPkg, null, 2), 'utf8');
		this.timing('installPack', t);
	}

	/** `n8n import:credentials --input=<file>`; `data` is plain, n8n encrypts it with the instance key. */
	async importCredentials(creds: CredentialInput[]): Promise<void> {
		const t = Date.now();
		for (const c of creds) this.rememberSecrets(c.data);
		const file = path.join(this.userFolder, `credentials-${randomBytes(4).toString('hex')}.json`);
		await writeFile(file, JSON.stringify(creds), { mode: 0o600 });
		try {
			await this.cliOrThrow(['import:credentials', `--input=${file}`]);
		} finally {
			await rm(file, { force: true });
		}
		this.timing('importCredentials', t);
	}

	/**
	 * `n8n import:workflow --input=<file>` (which leaves it unpublished). The id is opts.id, else the
	 * workflow's own id, else a new one (16 alphanumerics with a digit: execute-batch drops ids without one).
	 * credentialIds: for each credential type, every node that references a credential of that type is
	 * pointed at the given {id, name}.
	 */
	async importWorkflow(
		workflow: object,
		opts: { id?: string; credentialIds?: Record<string, { id: string; name: string }> } = {},
	): Promise<string> {
		return (await this.importWorkflows([{ workflow, ...opts }]))[0];
	}

	/**
	 * Like importWorkflow for several workflows in one n8n process (≈2.5 s saved per extra workflow).
	 * Template parts come along: every shipped part (workflows-templates/…/parts/, found by its fixed id) that an
	 * imported workflow calls through an Execute Workflow node, directly or through another part, is imported too
	 * (with the caller's credential binding) and published, because n8n 2.x runs a part's published version
	 * whenever the caller does not run from the editor (when n8n is not running, that costs one start and stop,
	 * ≈ 10 s, so import a file's workflows in one call). Returns the ids of `items` only.
	 */
	async importWorkflows(
		items: Array<{ workflow: object; id?: string; credentialIds?: Record<string, { id: string; name: string }> }>,
	): Promise<string[]> {
		const t = Date.now();
		const given = new Set(items.map((i) => i.id ?? (i.workflow as { id?: string }).id));
		const parts: typeof items = [];
		for (const item of items)
			for (const part of partsCalledBy(item.workflow)) {
				if (given.has(part.workflow.id)) continue;
				given.add(part.workflow.id);
				parts.push({ workflow: part.workflow, id: part.workflow.id, credentialIds: item.credentialIds });
			}
		const prepared = [...items, ...parts].map(({ workflow, id, credentialIds }) => {
			const wf = JSON.parse(JSON.stringify(workflow)) as Record<string, any>;
			wf.id = id ?? (typeof wf.id === 'string' && wf.id ? wf.id : newWorkflowId());
			wf.name ??= `e2e ${wf.id}`;
			wf.active = false;
			wf.connections ??= {};
			wf.settings ??= {};
			for (const node of (wf.nodes ?? []) as Array<Record<string, any>>) {
				for (const [type, ref] of Object.entries(credentialIds ?? {})) {
					if (node.credentials?.[type] !== undefined) node.credentials[type] = { id: ref.id, name: ref.name };
				}
			}
			return wf;
		});
		const file = path.join(this.userFolder, `workflows-${randomBytes(4).toString('hex')}.json`);
		await writeFile(file, JSON.stringify(prepared));
		try {
			await this.cliOrThrow(['import:workflow', `--input=${file}`]);
		} finally {
			await rm(file, { force: true });
		}
		for (const part of parts) await this.publish(part.id!);
		if (parts.length > 0 && !this.running) {
			// publish:workflow only marks the version; n8n 2.x's publication service records it (what a caller's
			// production or CLI run reads) when n8n starts. Start once so that `n8n execute` of a caller finds its
			// parts, as it does on any n8n that has been running since they were published.
			await this.start();
			await this.stop();
		}
		this.timing(prepared.length === 1 ? 'importWorkflow' : `importWorkflows(${prepared.length})`, t);
		return prepared.slice(0, items.length).map((wf) => wf.id as string);
	}

	/**
	 * `n8n execute --id=ID --rawOutput` (a separate n8n process; about 3 s, mostly start-up). ok=false when the
	 * exit code is not 0, the process timed out, there is no JSON on stdout, the JSON carries an error
	 * (resultData.error or a node run with `error`), or its status is not success.
	 */
	async execute(workflowId: string, opts: { timeoutMs?: number } = {}): Promise<ExecuteResult> {
		const r = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], opts.timeoutMs ?? TIMEOUTS.execute);
		this.timings.push({ step: 'execute', ms: r.ms });
		return executeOutcome(r, opts.timeoutMs ?? TIMEOUTS.execute);
	}

	/**
	 * `n8n execute-batch --ids=a,b --retries=0 --output=<file> --snapshot=<dir>`: one n8n start-up for all,
	 * sequential runs. n8n writes run data only for successful runs (snapshots); failures carry the error text.
	 * Caveat: execute-batch rewrites data for nodes whose notes contain CAP_RESULTS_LENGTH / IGNORED_PROPERTIES /
	 * KEEP_ONLY_PROPERTIES, and ignores ids without a digit.
	 */
	async executeBatch(ids: string[], opts: { timeoutMs?: number } = {}): Promise<Record<string, BatchResult>> {
		for (const id of ids)
			if (!/\d/.test(id)) throw new Error(`execute-batch ignores workflow ids without a digit: ${id}`);
		const dir = await mkdtemp(path.join(this.userFolder, 'batch-'));
		const output = path.join(dir, 'output.json');
		const snapshots = path.join(dir, 'snapshots');
		await mkdir(snapshots);
		const timeoutMs = opts.timeoutMs ?? TIMEOUTS.execute * Math.max(1, ids.length);
		const r = await this.cli(
			['execute-batch', `--ids=${ids.join(',')}`, '--retries=0', `--output=${output}`, `--snapshot=${snapshots}`],
			timeoutMs,
		);
		this.timings.push({ step: `executeBatch(${ids.length})`, ms: r.ms });
		const result: Record<string, BatchResult> = {};
		try {
			if (!existsSync(output))
				throw new Error(
					`n8n execute-batch wrote no output (exit ${r.exitCode}${r.timedOut ? ', timed out' : ''}):\n${this.mask(tail(r.stdout + r.stderr, 40))}`,
				);
			const summary = JSON.parse(await readFile(output, 'utf8')) as {
				executions: Array<{ workflowId: string; executionStatus: string; error?: string }>;
			};
			for (const id of ids) {
				const e = summary.executions.find((x) => String(x.workflowId) === id);
				if (!e) {
					result[id] = { ok: false, status: 'missing', error: 'not executed (unknown id?)' };
					continue;
				}
				const snap = path.join(snapshots, `${id}-snapshot.json`);
				const data = existsSync(snap) ? JSON.parse(await readFile(snap, 'utf8')) : undefined;
				const failure =
					e.executionStatus === 'success' ? (data ? runFailure(data) : undefined) : (e.error ?? e.executionStatus);
				result[id] = { ok: failure === undefined, status: e.executionStatus, error: failure, data };
			}
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
		return result;
	}

	/**
	 * Publishes (n8n 1.x: activates) a workflow; needed for webhook/trigger workflows because import leaves
	 * them unpublished. Before start(): `n8n publish:workflow --id=ID` (takes effect at start-up). While
	 * running: POST /api/v1/workflows/{id}/publish, then wait until n8n has applied it (webhooks registered);
	 * throws if the activation failed.
	 */
	async publish(workflowId: string): Promise<void> {
		const t = Date.now();
		if (this.running) {
			const r = await this.api('POST', `/workflows/${encodeURIComponent(workflowId)}/publish`, {});
			if (r.status !== 200) throw new Error(`publish ${workflowId} via API: ${r.status} ${r.body}`);
			const [p] = await this.waitForPublications([workflowId]);
			if (p.status !== 'completed') throw new Error(`publish ${workflowId}: ${p.status}: ${p.errorMessage ?? ''}`);
		} else {
			await this.cliOrThrow(['publish:workflow', `--id=${workflowId}`]);
		}
		this.timing('publish', t);
	}

	/**
	 * `n8n start` on 127.0.0.1:<port>. Ready = /healthz/readiness answers 200, the log says "Editor is now
	 * accessible via", AND waitForPublications() is done. Readiness alone turns 200 as soon as the HTTP server
	 * is up, before published workflows are activated; their webhooks are registered later still, in the
	 * background (calling one right after readiness gave 404 in about half the runs). `publications` lists what
	 * n8n did with each published workflow (status failed = its trigger could not be activated).
	 */
	/**
	 * Starts `n8n start` with the heap of a 1 GB machine (N8N_START_NODE_OPTIONS: what the README tells users to
	 * set). `nodeOptions` replaces those options for this start (after the harness's preload); '' = V8's default
	 * heap, sized from this machine's RAM.
	 */
	async start(opts: { nodeOptions?: string } = {}): Promise<{ baseUrl: string; publications: Publication[] }> {
		if (this.running) return { baseUrl: this.baseUrl, publications: [] };
		const t = Date.now();
		const port = this.fixedPort ?? (await freePort());
		const baseUrl = `http://127.0.0.1:${port}`;
		const base = { ...n8nEnv(this.rt, this.userFolder, await freePort()), ...this.extraEnv };
		const env = {
			...base,
			NODE_OPTIONS: startNodeOptions(base.NODE_OPTIONS, opts.nodeOptions),
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_WEBHOOK_URL: `${baseUrl}/`,
			N8N_EDITOR_BASE_URL: `${baseUrl}/`,
		};
		const server = this.spawnN8n(['start'], env, (c) => this.appendLog(c));
		this.server = server;
		this.baseUrlValue = baseUrl;
		const child = server.child;

		const deadline = Date.now() + TIMEOUTS.ready;
		let ready = false;
		while (Date.now() < deadline) {
			if (server.hasExited) break;
			if (this.rawLogs().includes('Editor is now accessible via')) {
				try {
					const r = await httpRequest('GET', `${baseUrl}/healthz/readiness`, { timeoutMs: 2000 });
					if (r.status === 200) {
						ready = true;
						break;
					}
				} catch {
					// not listening yet
				}
			}
			await sleep(200);
		}
		let publications: Publication[] = [];
		if (ready) {
			this.timing('start: http ready', t);
			const tp = Date.now();
			try {
				publications = await this.waitForPublications(undefined, Math.max(5_000, deadline - Date.now()));
				this.timing('start: publications applied', tp);
			} catch (e) {
				ready = false;
				this.appendLog(`[harness] ${(e as Error).message}\n`);
			}
		}
		if (!ready) {
			const why = server.hasExited
				? `exited (code ${child.exitCode}, signal ${child.signalCode})`
				: `not ready within ${TIMEOUTS.ready / 1000} s`;
			await this.stop();
			throw new Error(`n8n start ${why}; last 60 log lines:\n${tail(this.logs(), 60)}`);
		}
		this.timing('start', t);
		return { baseUrl, publications };
	}

	/** `n8n <args>` as a long-running process in its own process group; output goes to `onOutput`. */
	private spawnN8n(args: string[], env: NodeJS.ProcessEnv, onOutput: (chunk: string) => void): RunningProcess {
		const child = spawn(this.rt.nodeBin, [this.rt.n8nBin, ...args], {
			cwd: this.userFolder,
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		if (child.pid !== undefined) trackGroup(child.pid);
		const server: RunningProcess = {
			child,
			hasExited: false,
			exited: new Promise<void>((resolve) => {
				child.on('exit', () => {
					server.hasExited = true;
					if (child.pid !== undefined) {
						killGroup(child.pid, 'SIGKILL');
						liveGroups.delete(child.pid);
					}
					resolve();
				});
				child.on('error', (e) => {
					onOutput(`[harness] spawn error: ${e.message}\n`);
					server.hasExited = true;
					resolve();
				});
			}),
		};
		child.stdout?.on('data', (c: Buffer) => onOutput(c.toString('utf8')));
		child.stderr?.on('data', (c: Buffer) => onOutput(c.toString('utf8')));
		return server;
	}

	/**
	 * Queue mode: `n8n worker --concurrency=N` (create() with queue-mode settings in opts.env). Ready when its
	 * health server (QUEUE_HEALTH_CHECK_PORT, a free port) answers /healthz/readiness: database and Redis
	 * connected. Its log is kept apart from main's (process.logs()), so a test can tell which worker ran what.
	 */
	async startWorker(opts: { concurrency?: number; nodeOptions?: string; name?: string } = {}): Promise<N8nProcess> {
		const port = await freePort();
		const concurrency = opts.concurrency ?? 10;
		return this.startQueueProcess(
			'worker',
			[`--concurrency=${concurrency}`],
			{ QUEUE_HEALTH_CHECK_PORT: String(port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' },
			port,
			opts,
		);
	}

	/**
	 * Queue mode: `n8n webhook`, a webhook processor on its own port; production webhooks are called there
	 * (webhookUrlFor(id, node, processor.url)). Ready when /healthz/readiness answers 200.
	 */
	async startWebhookProcessor(opts: { nodeOptions?: string; name?: string } = {}): Promise<N8nProcess> {
		const port = await freePort();
		const url = `http://127.0.0.1:${port}`;
		return this.startQueueProcess(
			'webhook',
			[],
			{ N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_HOST: '127.0.0.1', N8N_WEBHOOK_URL: `${url}/` },
			port,
			opts,
		);
	}

	private async startQueueProcess(
		kind: 'worker' | 'webhook',
		args: string[],
		env: Record<string, string>,
		port: number,
		opts: { nodeOptions?: string; name?: string },
	): Promise<N8nProcess> {
		const t = Date.now();
		const base = { ...n8nEnv(this.rt, this.userFolder, await freePort()), ...this.extraEnv, ...env };
		const full = { ...base, NODE_OPTIONS: startNodeOptions(base.NODE_OPTIONS, opts.nodeOptions) };
		const name = opts.name ?? `${kind}-${this.processes.filter((p) => p.kind === kind).length + 1}`;
		const chunks: string[] = [];
		const running = this.spawnN8n([kind, ...args], full, (c) => {
			chunks.push(c);
			this.appendLog(`[${name}] ${c}`);
		});
		const mask = (text: string) => this.mask(text);
		const proc: N8nProcess = {
			kind,
			name,
			port,
			url: `http://127.0.0.1:${port}`,
			pid: running.child.pid ?? -1,
			get running() {
				return !running.hasExited;
			},
			exited: running.exited,
			logs: () => mask(chunks.join('')),
			kill: async (signal: NodeJS.Signals = 'SIGKILL') => {
				if (running.hasExited || running.child.pid === undefined) return;
				// SIGKILL to the group: n8n and its task runner die at once, as when a machine or container is lost
				if (signal === 'SIGKILL') killGroup(running.child.pid, 'SIGKILL');
				else process.kill(running.child.pid, signal);
				let timer: NodeJS.Timeout | undefined;
				await Promise.race([running.exited, new Promise((r) => (timer = setTimeout(r, TIMEOUTS.stop)))]);
				clearTimeout(timer);
				killGroup(running.child.pid, 'SIGKILL');
				await running.exited;
			},
		};
		this.processes.push(proc);
		const deadline = Date.now() + TIMEOUTS.ready;
		for (;;) {
			if (running.hasExited)
				throw new Error(`n8n ${kind} exited (code ${running.child.exitCode}); last lines:\n${tail(proc.logs(), 40)}`);
			try {
				const r = await httpRequest('GET', `${proc.url}/healthz/readiness`, { timeoutMs: 2000 });
				if (r.status === 200) break;
			} catch {
				// not listening yet
			}
			if (Date.now() > deadline) {
				await proc.kill();
				throw new Error(
					`n8n ${kind} not ready within ${TIMEOUTS.ready / 1000} s; last lines:\n${tail(proc.logs(), 40)}`,
				);
			}
			await sleep(200);
		}
		this.timing(`start ${name}`, t);
		return proc;
	}

	/**
	 * n8n 2.x activates published workflows asynchronously (workflow-publication outbox): after start-up
	 * (reason 'startup') and after a publish (reason 'publish'), a record per workflow is processed in the
	 * background, and only then are its webhooks registered. Done = no record pending/in progress and every
	 * published workflow (or the given ones) has a finished record for its active version. Returns those records;
	 * failed ones (e.g. a trigger whose activation threw) carry errorMessage.
	 */
	async waitForPublications(workflowIds?: string[], timeoutMs = 30_000): Promise<Publication[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const active = (await this.dbQuery(
				'SELECT "id", "activeVersionId" FROM "workflow_entity" WHERE "activeVersionId" IS NOT NULL',
			)) as Array<{ id: string; activeVersionId: string }>;
			const wanted = workflowIds === undefined ? active : active.filter((w) => workflowIds.includes(w.id));
			const records = (await this.dbQuery(
				'SELECT "id", "workflowId", "publishedVersionId", "status", "errorMessage" FROM "workflow_publication_outbox" ORDER BY "id"',
			)) as Array<{ workflowId: string; publishedVersionId: string; status: string; errorMessage: string | null }>;
			const busy = records.filter((r) => r.status === 'pending' || r.status === 'in_progress');
			const done: Publication[] = [];
			const missing: string[] = [];
			for (const w of wanted) {
				const last = records.filter((r) => r.workflowId === w.id && r.publishedVersionId === w.activeVersionId).pop();
				if (last && last.status !== 'pending' && last.status !== 'in_progress')
					done.push({ workflowId: w.id, status: last.status, errorMessage: last.errorMessage });
				else missing.push(w.id);
			}
			const unpublished = (workflowIds ?? []).filter((id) => !active.some((w) => w.id === id));
			if (unpublished.length) throw new Error(`not published: ${unpublished.join(', ')}`);
			if (busy.length === 0 && missing.length === 0) return done;
			if (!this.running) throw new Error('n8n stopped while waiting for workflow publications');
			if (Date.now() > deadline)
				throw new Error(
					`workflow publications not finished within ${timeoutMs} ms: waiting for ${[...new Set([...missing, ...busy.map((b) => b.workflowId)])].join(', ')}`,
				);
			await sleep(200);
		}
	}

	/** `${baseUrl}/webhook/${path}`: the production URL of a Webhook node that has a webhookId (as the editor sets). */
	webhookUrl(webhookPath: string): string {
		return `${this.baseUrl}/webhook/${webhookPath.replace(/^\/+/, '')}`;
	}

	/**
	 * What n8n actually registered (table webhook_entity, written on publish/activation). webhookPath is
	 *   <path>                                   Webhook-like node (isFullPath) that has a webhookId
	 *   <webhookId>/<path>                       other trigger nodes with a fixed path (e.g. b2bPortalTrigger)
	 *   <workflowId>/<encodeURIComponent(lowercased node name)>/<path>   any node WITHOUT a webhookId
	 * The last form stores e.g. "my%20hook" literally, so the request must double-encode it: use webhookUrlFor().
	 */
	async registeredWebhooks(workflowId?: string): Promise<RegisteredWebhook[]> {
		const rows = await this.dbQuery(
			workflowId === undefined
				? 'SELECT * FROM "webhook_entity"'
				: 'SELECT * FROM "webhook_entity" WHERE "workflowId" = ?',
			workflowId === undefined ? [] : [workflowId],
		);
		return rows as unknown as RegisteredWebhook[];
	}

	/** The URL to call for a workflow's registered webhook (the node's, if there are several). */
	async webhookUrlFor(workflowId: string, nodeName?: string, base?: string): Promise<string> {
		const hooks = (await this.registeredWebhooks(workflowId)).filter(
			(h) => nodeName === undefined || h.node === nodeName,
		);
		if (hooks.length === 0)
			throw new Error(
				`no webhook registered for workflow ${workflowId}${nodeName ? ` node "${nodeName}"` : ''} (published? started?)`,
			);
		const p = hooks[0].webhookPath
			.split('/')
			.map((s) => (s.startsWith(':') ? s : encodeURIComponent(s)))
			.join('/');
		return `${base ?? this.baseUrl}/webhook/${p}`;
	}

	/**
	 * Executions, newest first. While n8n runs: the public API (owner set up through POST /rest/owner/setup,
	 * an API key from POST /rest/api-keys, then GET /api/v1/executions, following nextCursor). When it does
	 * not run (e.g. after CLI execute), the same fields straight from the SQLite database.
	 */
	async executions(workflowId?: string): Promise<ExecutionSummary[]> {
		if (this.running) {
			const out: ExecutionSummary[] = [];
			let cursor: string | undefined;
			do {
				const q = new URLSearchParams({ includeData: 'false', limit: '250' });
				if (workflowId !== undefined) q.set('workflowId', workflowId);
				if (cursor) q.set('cursor', cursor);
				const r = await this.api('GET', `/executions?${q.toString()}`);
				if (r.status !== 200) throw new Error(`GET /api/v1/executions: ${r.status} ${r.body}`);
				const page = r.json<{ data: Array<Record<string, any>>; nextCursor: string | null }>();
				for (const e of page.data) out.push(toSummary(e));
				cursor = page.nextCursor ?? undefined;
			} while (cursor);
			return out;
		}
		const rows = await this.dbQuery(
			`SELECT "id", "status", "finished", "mode", "workflowId", "startedAt", "stoppedAt" FROM "execution_entity"${workflowId === undefined ? '' : ' WHERE "workflowId" = ?'} ORDER BY "id" DESC`,
			workflowId === undefined ? [] : [workflowId],
		);
		return rows.map(toSummary);
	}

	/** Polls executions(workflowId) until one satisfies `pred` (default: any finished one). */
	async waitForExecution(
		workflowId: string,
		pred: (e: ExecutionSummary) => boolean = (e) => e.finished || !['new', 'running', 'waiting'].includes(e.status),
		timeoutMs = 30_000,
	): Promise<ExecutionSummary> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = (await this.executions(workflowId)).find(pred);
			if (found) return found;
			if (Date.now() > deadline) throw new Error(`no matching execution of ${workflowId} within ${timeoutMs} ms`);
			await sleep(250);
		}
	}

	/** A public-API call (/api/v1 + apiPath) with the harness's API key (created on first use). */
	async api(method: string, apiPath: string, body?: unknown): Promise<HttpResponse> {
		const key = await this.ensureApiKey();
		return httpRequest(method, `${this.baseUrl}/api/v1${apiPath}`, { headers: { 'X-N8N-API-KEY': key }, body });
	}

	/**
	 * The harness's public-API key (created on first use), for a program under test that talks to n8n itself (the
	 * set-up command). Masked in logs() like the other secrets.
	 */
	async publicApiKey(): Promise<string> {
		return this.ensureApiKey();
	}

	/**
	 * The value of the owner's `n8n-auth` session cookie (from the owner setup / login that also made the API key),
	 * for a browser that opens the editor as the owner. Masked in logs() like the other secrets.
	 */
	async authCookie(): Promise<string> {
		await this.ensureApiKey();
		if (!this.authCookieValue) throw new Error('no n8n-auth cookie: owner setup / login gave none');
		return this.authCookieValue;
	}

	private async ensureApiKey(): Promise<string> {
		if (this.apiKey) return this.apiKey;
		if (!this.running) throw new Error('n8n is not running: call start() first');
		let r = await httpRequest('POST', `${this.baseUrl}/rest/owner/setup`, { body: this.owner });
		if (r.status !== 200) {
			// owner already set up (a second start of the same user folder): log in instead
			r = await httpRequest('POST', `${this.baseUrl}/rest/login`, {
				body: { emailOrLdapLoginId: this.owner.email, password: this.owner.password },
			});
			if (r.status !== 200) throw new Error(`owner setup / login failed: ${r.status} ${r.body}`);
		}
		const cookie = ([] as string[])
			.concat(r.headers['set-cookie'] ?? [])
			.map((c) => c.split(';')[0])
			.find((c) => c.startsWith('n8n-auth='));
		if (!cookie) throw new Error('owner setup: no n8n-auth cookie in the response');
		this.secrets.add(cookie.slice('n8n-auth='.length));
		this.authCookieValue = cookie.slice('n8n-auth='.length);
		const k = await httpRequest('POST', `${this.baseUrl}/rest/api-keys`, {
			headers: { cookie },
			body: { label: `e2e-${randomBytes(3).toString('hex')}`, scopes: API_KEY_SCOPES, expiresAt: null },
		});
		if (k.status !== 200) throw new Error(`POST /rest/api-keys: ${k.status} ${k.body}`);
		const rawApiKey = k.json<{ data: { rawApiKey: string } }>().data.rawApiKey;
		this.secrets.add(rawApiKey);
		this.apiKey = rawApiKey;
		return rawApiKey;
	}

	/** SIGTERM to n8n (it stops its task runner), SIGKILL to the whole process group after 10 s. */
	async stop(): Promise<void> {
		await Promise.all(this.processes.map((p) => p.kill('SIGTERM')));
		const server = this.server;
		if (!server) return;
		const t = Date.now();
		const pid = server.child.pid;
		if (!server.hasExited && pid !== undefined) {
			try {
				process.kill(pid, 'SIGTERM');
			} catch {
				// already gone
			}
			let timer: NodeJS.Timeout | undefined;
			const killed = await Promise.race([
				server.exited.then(() => false),
				new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), TIMEOUTS.stop))),
			]);
			clearTimeout(timer);
			if (killed) {
				killGroup(pid, 'SIGKILL');
				await server.exited;
			}
		}
		if (pid !== undefined) killGroup(pid, 'SIGKILL');
		this.server = undefined;
		this.timing('stop', t);
	}

	/** stop() and remove the user folder. */
	async dispose(): Promise<void> {
		await this.stop();
		await rm(this.userFolder, { recursive: true, force: true });
	}

	/** stdout+stderr of start() (all starts of this instance), credential secrets masked. */
	logs(): string {
		return this.mask(this.rawLogs());
	}

	/** Outbound (non-loopback) attempts that n8n-preload.cjs saw in any n8n process of this instance. */
	outboundAttempts(): Array<{ pid: number; kind: string; target: string; blocked: boolean }> {
		const file = path.join(this.userFolder, 'net-guard.log');
		if (!existsSync(file)) return [];
		return readFileSync(file, 'utf8')
			.split('\n')
			.filter(Boolean)
			.map((l) => JSON.parse(l));
	}

	private rawLogs(): string {
		if (this.logChunks.length > 1) this.logChunks = [this.logChunks.join('')];
		return this.logChunks[0] ?? '';
	}

	private appendLog(s: string): void {
		this.logChunks.push(s);
		this.logSize += s.length;
		if (this.logSize > 8_000_000) {
			const all = this.logChunks.join('');
			const kept = all.slice(-4_000_000);
			this.logChunks = [kept];
			this.logSize = kept.length;
		}
	}

	private rememberSecrets(data: Record<string, unknown>): void {
		for (const [k, v] of Object.entries(data)) {
			if (v !== null && typeof v === 'object') this.rememberSecrets(v as Record<string, unknown>);
			else if (
				typeof v === 'string' &&
				v.length >= 3 &&
				(SECRET_FIELD.test(k) || (v.length >= 16 && !v.includes('://')))
			)
				this.secrets.add(v);
		}
	}

	private mask(text: string): string {
		return maskSecrets(text, this.secrets);
	}

	/**
	 * A read on n8n's database, whichever it is: the SQLite file of the user folder, or the database given to
	 * create() (PostgreSQL in queue mode). Quote identifiers ("workflowId") and use ? placeholders: both dialects
	 * take that.
	 */
	async dbQuery(sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
		return this.database ? this.database.query(sql, params) : this.sqlite(sql, params);
	}

	/** Read-only query on this instance's SQLite database, through n8n's own sqlite3 build in a child process. */
	async sqlite(sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
		const db = path.join(this.n8nFolder, 'database.sqlite');
		if (!existsSync(db)) return [];
		const script = `
const sqlite3 = require(process.argv[1]);
const db = new sqlite3.Database(process.argv[2], sqlite3.OPEN_READONLY, (e) => { if (e) { console.error(e.message); process.exit(2); } });
db.configure('busyTimeout', 10000);
db.all(process.argv[3], JSON.parse(process.argv[4]), (e, rows) => {
	if (e) { console.error(e.message); process.exit(3); }
	process.stdout.write(JSON.stringify(rows));
	db.close();
});`;
		const r = await runProcess(
			this.rt.nodeBin,
			['-e', script, path.join(this.rt.n8nDir, 'node_modules', 'sqlite3'), db, sql, JSON.stringify(params)],
			{ cwd: this.userFolder, env: { ...cleanEnv(), ...this.rt.envDelta }, timeoutMs: TIMEOUTS.sqlite },
		);
		if (r.exitCode !== 0) throw new Error(`sqlite query failed (${sql}): ${r.stderr}`);
		return JSON.parse(r.stdout) as Array<Record<string, unknown>>;
	}
}

/** Replaces every occurrence of each secret (longest first) with ***. */
export function maskSecrets(text: string, secrets: Iterable<string>): string {
	let out = text;
	for (const s of [...secrets].filter(Boolean).sort((a, b) => b.length - a.length)) out = out.split(s).join('***');
	return out;
}

function toSummary(e: Record<string, any>): ExecutionSummary {
	return {
		id: String(e.id),
		status: String(e.status),
		finished: e.finished === true || e.finished === 1,
		mode: e.mode,
		workflowId: e.workflowId === undefined ? undefined : String(e.workflowId),
		startedAt: e.startedAt ?? null,
		stoppedAt: e.stoppedAt ?? null,
	};
}

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** 16 alphanumerics like n8n's own ids, with at least one digit (execute-batch filters ids by /\d+/). */
export function newWorkflowId(): string {
	const bytes = randomBytes(16);
	let id = '';
	for (const b of bytes) id += ID_CHARS[b % ID_CHARS.length];
	return /\d/.test(id) ? id : `${id.slice(0, 15)}${bytes[0] % 10}`;
}

/**
 * A copy of a template whose Schedule Trigger (the poll for missed webhooks) is disabled, for the copy a test
 * publishes to call its webhook: n8n fires "every 5 minutes" on the 5-minute marks of the clock, so a published
 * template with its schedule on runs a poll in about one test run in fifteen, and that poll races the webhook
 * cases (it reads the same orders and writes the same sync status). The poll path is tested by `execute`.
 * Throws when the template has no schedule named as expected, so a renamed trigger cannot pass silently.
 */
export function withoutSchedule<T extends { nodes: Array<Record<string, any>> }>(
	workflow: T,
	expectedName = 'Every 5 minutes (missed webhooks)',
): T {
	const copy = JSON.parse(JSON.stringify(workflow)) as T;
	const schedules = copy.nodes.filter((n) => n.type === 'n8n-nodes-base.scheduleTrigger');
	if (schedules.length !== 1 || schedules[0].name !== expectedName) {
		throw new Error(
			`expected one Schedule Trigger "${expectedName}", found ${schedules.map((n) => n.name).join(', ')}`,
		);
	}
	schedules[0].disabled = true;
	return copy;
}
