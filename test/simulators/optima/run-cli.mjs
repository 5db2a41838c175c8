#!/usr/bin/env node
// Starts cli.ts without a build step (TypeScript transpiled on load by scripts/ts-register.cjs).
//   node test/simulators/optima/run-cli.mjs [--sql-port N] [--bridge-port N] [--products N]
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('../../../scripts/ts-register.cjs');

const { main } = require('./cli.ts');
main().catch((err) => {
	process.stderr.write(`Optima simulators: ${String(err?.stack ?? err)}\n`);
	process.exit(1);
});
