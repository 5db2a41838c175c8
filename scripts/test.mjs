// The one test command (`npm test`, also run by .ci/run): gets the pinned Node 24 + n8n, builds the pack,
// type-checks, lints with the n8n node rules, then runs every jest suite (unit, node tests through n8n-core,
// real-n8n end to end) under Node 24, and ends with the line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureRuntime, node24Env } from './runtime.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const extraArgs = process.argv.slice(2);
let passed = 0;
let failed = 0;
const started = Date.now();

function step(name, fn) {
	const t = Date.now();
	process.stdout.write(`\n=== ${name}\n`);
	let ok;
	try {
		ok = fn();
	} catch (error) {
		process.stdout.write(`${error.message}\n`);
		ok = false;
	}
	process.stdout.write(`=== ${name}: ${ok ? 'ok' : 'FAILED'} (${((Date.now() - t) / 1000).toFixed(1)} s)\n`);
	return ok;
}

function run(cmd, args, env = process.env) {
	const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env });
	return r.status === 0;
}

let runtime;
if (!step('runtime: Node 24 and n8n from the npm registry', () => { runtime = ensureRuntime(); return true; })) {
	process.stdout.write('\n0 passed, 1 failed\n');
	process.exit(1);
}
const env = node24Env();
const node = runtime.nodeBin;

for (const [name, args] of [
	['build', [path.join(root, 'scripts/build.mjs')]],
	['typecheck', [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json']],
	['lint (n8n node rules)', [path.join(root, 'node_modules/@n8n/node-cli/bin/n8n-node.mjs'), 'lint']],
]) {
	if (extraArgs.length && name !== 'build') continue; // a focused run (npm test -- test/unit) skips the static checks
	if (step(name, () => run(node, args, env))) passed++;
	else failed++;
}

// Two jest workers: the suite is mostly real-n8n files that wait on n8n, simulators and browsers (one n8n per
// file, each in its own user folder, ports and temp dirs; the harness locks the one shared step, building dist/).
// In band it took 54 min of a 60-min CI run; two files at a time overlap those waits. ERP_B2B_JEST_WORKERS=1 runs
// in band (e.g. to read one failure's log in order).
const workers = Math.max(1, Number(process.env.ERP_B2B_JEST_WORKERS ?? 2) || 1);
const resultsDir = path.join(root, '.test-results');
mkdirSync(resultsDir, { recursive: true });
const resultsFile = path.join(resultsDir, 'jest.json');
step('jest: unit, node and real-n8n tests', () =>
	run(
		node,
		[
			path.join(root, 'node_modules/jest/bin/jest.js'),
			...(workers === 1 ? ['--runInBand'] : [`--maxWorkers=${workers}`]),
			'--json',
			`--outputFile=${resultsFile}`,
			...extraArgs,
		],
		env,
	),
);
if (existsSync(resultsFile)) {
	const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
	passed += r.numPassedTests;
	failed += r.numFailedTests;
	// a suite that fails to load has no failed tests but must still fail the run
	failed += r.testResults.filter((s) => s.status === 'failed' && s.assertionResults.every((a) => a.status !== 'failed')).length;
	if (r.numTotalTests === 0) failed++;
} else failed++;

process.stdout.write(`\ntotal time ${((Date.now() - started) / 1000).toFixed(0)} s\n${passed} passed, ${failed} failed\n`);
process.exit(failed ? 1 : 0);
