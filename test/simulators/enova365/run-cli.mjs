#!/usr/bin/env node
// Starts cli.ts without a build step (TypeScript transpiled on load by scripts/ts-register.cjs).
//   node test/simulators/enova365/run-cli.mjs [--port N] [--products N] [--seed N] [--expired-status N] [--error-style string|object]
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('../../../scripts/ts-register.cjs');

const { main } = require('./cli.ts');
main().catch((err) => {
	process.stderr.write(`enova365 simulator: ${String(err?.stack ?? err)}\n`);
	process.exit(1);
});
