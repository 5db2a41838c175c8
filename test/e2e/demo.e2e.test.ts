/** The README's first quick-start command, as a new user runs it (with --exit so it ends). */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './harness/n8n-instance';

jest.setTimeout(300_000);

it('npm run demo starts everything, syncs SAP into the portal, takes orders into SAP and reports the webhooks', () => {
	const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/demo.mjs'), '--exit'], {
		cwd: REPO_ROOT,
		encoding: 'utf8',
		env: { ...process.env, NODE_ENV: '', DEMO_N8N_PORT: '0', N8N_E2E_SKIP_BUILD: '1' },
		timeout: 280_000,
	});
	expect(r.stderr).not.toMatch(/demo failed/);
	expect(r.status).toBe(0);
	expect(r.stdout).toMatch(/SAP → portal in [\d.]+ s: 500 products, \d+ prices \(\d+ per client\), 1500 stock levels, 20 clients/);
	expect(r.stdout).toContain('ŁÓD-001  Łódka żółta ĄĘŚ');
	expect(r.stdout).toMatch(/portal order B2B\/2026\/000002: confirmed as SAP sales order \d+/);
	expect(r.stdout).toMatch(/portal order B2B\/2026\/000003: rejected – Cena pozycji 1 .* różni się od cennika/);
	expect(r.stdout).toMatch(/signed order webhook: +HTTP 200 → workflow execution \d+ \(success\)/);
	expect(r.stdout).toMatch(/badly signed webhook: +HTTP 401/);
	expect(r.stdout).toMatch(/n8n editor: +http:\/\/127\.0\.0\.1:\d+\/ +login demo@example\.com/);
});
