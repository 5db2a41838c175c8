// `npm run bench`: the stock-sync and order-webhook benchmark of bench/sync.ts (real n8n + simulators).
//   npm run bench                      100,000 SKUs × 3 warehouses, 500 orders → bench/results/latest.md
//   npm run bench -- --quick           smoke counts (2,000 SKUs, 20 orders), printed only
//   npm run bench -- --items N --orders N --order-runs N --naive-rows N --rate N --out FILE
//   (the orders scenario runs --order-runs times, default 3, each in a fresh n8n; the verdict takes the worst p95)
// Loads the TypeScript through the repo's transpile-on-require hook (scripts/ts-register.cjs).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('../scripts/ts-register.cjs');
const { main } = require('./sync.ts');

main(process.argv.slice(2)).then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(`bench failed: ${error && error.stack ? error.stack : error}\n`);
		process.exit(1);
	},
);
