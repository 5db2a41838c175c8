// Launcher for bench/erp-file-stock.ts (a benchmark, not a test):
//   node --expose-gc bench/run-erp-file-stock.mjs [rows] [--max-old-space-size=512] [--modes=raw,files/disk,...]
// Loads the TypeScript through the repo's transpile-on-require hook (scripts/ts-register.cjs).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('../scripts/ts-register.cjs');
const { main } = require('./erp-file-stock.ts');

main(process.argv.slice(2)).catch((error) => {
	process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
	process.exitCode = 1;
});
