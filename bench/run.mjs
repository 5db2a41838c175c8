// `npm run bench`: the stock-sync and order-webhook benchmark of bench/sync.ts and the read benchmarks of
// bench/reads.ts (products, prices, CSV stock file), real n8n + simulators, one report.
//   npm run bench                      everything at the issues' sizes → bench/results/latest.md
//   npm run bench -- --quick           smoke counts, printed only
//   npm run bench -- --only products,prices,csv   only these (stock = sync.ts's runs; reads, products, prices,
//                                      csv, sap, subiekt or a scenario name); printed only unless --out is given
//   npm run bench -- --items N --orders N --order-runs N --naive-rows N --rate N      (stock; the orders
//                                      scenario runs --order-runs times, default 3, each in a fresh n8n)
//   npm run bench -- --products N --prices N --csv-rows N              (reads)
//   npm run bench -- --out FILE
//   npm run bench -- --queue [--orders N] [--levels N] [--queue-rate N]   queue mode (bench/queue.ts, issue #16):
//                                      orders with 1 and 2 workers, full stock sync queue vs regular mode
//                                      → bench/results/latest-queue.md
// Loads the TypeScript through the repo's transpile-on-require hook (scripts/ts-register.cjs).
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
require('../scripts/ts-register.cjs');
const sync = require('./sync.ts');
const reads = require('./reads.ts');

async function main(argv) {
	const log = (l) => process.stderr.write(`${l}\n`);
	// queue mode is its own run with its own report (bench/sync.ts's main writes it)
	if (argv.includes('--queue')) return void (await sync.main(argv));
	const only = reads.parseOnly(argv);
	const command = ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' ');
	const parts = [];
	if (only.stock) parts.push(sync.renderReport({ ...(await sync.runBench(sync.parseArgs(argv, log))), command }));
	else parts.push(`\`${command}\`\n`);
	if (only.reads.length) parts.push(await reads.mainReads(argv));
	const text = parts.join('\n');
	process.stdout.write(text);
	const outAt = argv.indexOf('--out');
	const whole = !argv.includes('--only') && !argv.includes('--quick');
	const out =
		outAt >= 0
			? (argv[outAt + 1] ?? '')
			: whole
				? path.join(path.dirname(new URL(import.meta.url).pathname), 'results', 'latest.md')
				: '';
	reads.writeReport(out, text, log);
}

main(process.argv.slice(2)).then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(`bench failed: ${error && error.stack ? error.stack : error}\n`);
		process.exit(1);
	},
);
