#!/usr/bin/env node
// Starts cli.ts without a build step (TypeScript transpiled on load by scripts/ts-register.cjs).
//   node test/simulators/sap-b1/run-cli.mjs [--port N] [--gateway-port N] [--items N] [--seed N]
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('../../../scripts/ts-register.cjs');

const { main } = require('./cli.ts');
main().catch((err) => {
	process.stderr.write(`sap-b1 simulator: ${String(err?.stack ?? err)}\n`);
	process.exit(1);
});
