// Lets plain Node scripts (the demo, the simulator CLI) load this repo's TypeScript test code without a
// build step: each .ts file is transpiled on load with the repo's own TypeScript compiler (no type check;
// `npm test` type-checks everything with tsc).
const { readFileSync } = require('node:fs');
const ts = require('typescript');

if (!require.extensions['.ts']) {
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
}
