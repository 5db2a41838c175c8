#!/usr/bin/env node
// Starts cli.ts without a build step: this folder's .ts files are transpiled on load with the repo's
// own TypeScript (type-only imports vanish, so nothing outside this folder is loaded as .ts).
//   node test/simulators/portal/run-cli.mjs [--port N]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
	const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
		fileName: filename,
		compilerOptions: {
			module: ts.ModuleKind.CommonJS,
			target: ts.ScriptTarget.ES2022,
			esModuleInterop: true,
			verbatimModuleSyntax: false,
		},
	});
	module._compile(outputText, filename);
};

const { main } = require('./cli.ts');
main().catch((err) => {
	process.stderr.write(`portal simulator: ${String(err?.stack ?? err)}\n`);
	process.exit(1);
});
