// The pack targets self-hosted n8n (it needs SQL Server drivers, code pages and file access, which n8n
// Cloud's verified-node rules forbid), so the n8n rules run without the Cloud-only restrictions.
// Runtime dependencies are allowed on purpose: iconv-lite (CP852/Windows-1250 encoders that Node lacks) and
// papaparse (streaming CSV); n8n's community-package installer installs them with the pack, and the
// real-n8n tests install the packed pack the same way. Each new dependency is justified in its commit.
// Tests, simulators and scripts are not shipped and are not linted by the n8n node rules.
import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

export default [
	{ ignores: ['dist/**', 'test/**', 'scripts/**', 'bench/**', '.cache/**', 'coverage/**'] },
	...configWithoutCloudSupport,
	{ files: ['package.json'], rules: { '@n8n/community-nodes/no-runtime-dependencies': 'off' } },
	// the set-up command (cli/) is a Node program talking to n8n's REST API, not a node: it has no node to hand to
	// NodeApiError, it refuses with its own error, and n8n's public-API answers are untyped JSON
	{
		files: ['cli/**/*.ts'],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off', '@typescript-eslint/no-explicit-any': 'off' },
	},
];
