// The pack targets self-hosted n8n (it needs SQL Server drivers, code pages and file access, which n8n
// Cloud's verified-node rules forbid), so the n8n rules run without the Cloud-only restrictions.
// Tests, simulators and scripts are not shipped and are not linted by the n8n node rules.
import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

export default [{ ignores: ['dist/**', 'test/**', 'scripts/**', 'bench/**', '.cache/**', 'coverage/**'] }, ...configWithoutCloudSupport];
