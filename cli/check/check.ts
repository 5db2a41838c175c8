/**
 * `n8n-nodes-erp-b2b check`: for the workflows `setup` imported (found by its tag), every credential they use is
 * tested by n8n itself (public API POST /credentials/{id}/test runs the credential type's own test: SAP B1 logs in
 * and reads /Warehouses, the portal credential reads /v1/sync-status), and a ✓ / ✗ table with the fix for each ✗
 * is printed. Secrets stay in n8n: the command never reads credential data.
 */
import { errorText, type ApiWorkflow } from '../n8n-api';
import { connect, DEFAULT_TAG } from '../setup';
import { SetupRefused } from '../template-set';
import { checkTable, credentialRow, exitCode, portalRow, type CheckRow } from './report';

export interface CheckOptions {
	url: string;
	apiKey: string;
	tag?: string;
	log?: (line: string) => void;
}

const PORTAL_CREDENTIAL_TYPE = 'b2bPortalApi';

interface Used {
	id: string;
	name: string;
	type: string;
	workflows: string[];
}

/** The credentials the enabled nodes of these workflows use, each with the workflows that use it. */
export function credentialsUsed(workflows: ApiWorkflow[]): Used[] {
	const used = new Map<string, Used>();
	for (const w of workflows)
		for (const node of w.nodes) {
			if (node.disabled) continue;
			for (const [type, ref] of Object.entries(
				(node.credentials ?? {}) as Record<string, { id?: string; name?: string }>,
			)) {
				if (!ref?.id) continue;
				const u = used.get(ref.id) ?? { id: ref.id, name: ref.name ?? '', type, workflows: [] };
				if (!u.workflows.includes(w.name)) u.workflows.push(w.name);
				used.set(ref.id, u);
			}
		}
	return [...used.values()].sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
}

export async function check(opts: CheckOptions): Promise<{ rows: CheckRow[]; code: number }> {
	const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
	const tag = opts.tag ?? DEFAULT_TAG;
	const api = await connect(opts.url, opts.apiKey, 'check');
	const workflows = (await api.list('/workflows', { tags: tag })) as ApiWorkflow[];
	if (!workflows.length)
		throw new SetupRefused(
			`n8n at ${api.baseUrl} has no workflows tagged "${tag}": run \`npx n8n-nodes-erp-b2b setup --erp …\` first`,
		);
	const rows: CheckRow[] = [];
	for (const c of credentialsUsed(workflows)) {
		const r = await api.call('POST', `/credentials/${encodeURIComponent(c.id)}/test`, {});
		const failure =
			r.status === 200
				? r.body?.status === 'OK'
					? undefined
					: String(r.body?.message ?? 'the test failed')
				: r.status === 404
					? 'the credential no longer exists in n8n'
					: `n8n could not test it: ${r.status} ${errorText(r.body, r.text)}`;
		rows.push(
			c.type === PORTAL_CREDENTIAL_TYPE ? portalRow(c, c.workflows, failure) : credentialRow(c, c.workflows, failure),
		);
	}
	log(`${workflows.length} workflows tagged "${tag}" in n8n at ${api.baseUrl}`);
	log(checkTable(rows));
	return { rows, code: exitCode(rows) };
}
