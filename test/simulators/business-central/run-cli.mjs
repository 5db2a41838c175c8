#!/usr/bin/env node
// Starts cli.ts without a build step (TypeScript transpiled on load by scripts/ts-register.cjs).
//   node test/simulators/business-central/run-cli.mjs [--port N] [--items N] [--customers N] [--seed N] [--page-size N]
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('../../../scripts/ts-register.cjs');

const { main } = require('./cli.ts');
main().catch((err) => {
	process.stderr.write(`business-central simulator: ${String(err?.stack ?? err)}\n`);
	process.exit(1);
});
