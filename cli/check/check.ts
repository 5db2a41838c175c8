/**
 * `n8n-nodes-erp-b2b check`: for the workflows `setup` imported (found by its tag), every credential they use is
 * tested by n8n itself (public API POST /credentials/{id}/test runs the credential type's own test: SAP B1 logs in
 * and reads /Warehouses, the portal credential reads /v1/sync-status), the portal's clock is read through n8n and
 * held against the trigger's webhook window, the warehouses / price lists the ERP nodes name are looked up in the
 * ERP, and a ✓ / ✗ table with the fix for each ✗ is printed. Secrets stay in n8n: the command never reads
 * credential data.
 */
import { errorText, type ApiWorkflow, type N8nApi } from '../n8n-api';
import { connect, DEFAULT_TAG } from '../setup';
import { SetupRefused } from '../template-set';
import { availableIn, erpReferences, lookupFor, type Reference, type WorkflowLike } from './erp-checks';
import { probe, PROBE_NAME_PREFIX } from './probe';
import { DEFAULT_WEBHOOK_WINDOW } from '../../nodes/shared/webhookWindow';
import { replayWindow } from '../../nodes/B2bPortalTrigger/signature';
import {
	checkTable,
	clockRow,
	credentialRow,
	exitCode,
	portalRow,
	referenceRow,
	unverifiedRow,
	type CheckRow,
	type ClockReading,
} from './report';

export interface CheckOptions {
	url: string;
	apiKey: string;
	tag?: string;
	log?: (line: string) => void;
}

const PORTAL_CREDENTIAL_TYPE = 'b2bPortalApi';
const PORTAL_NODE_TYPE = 'n8n-nodes-erp-b2b.b2bPortal';
const TRIGGER_TYPE = 'n8n-nodes-erp-b2b.b2bPortalTrigger';

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

/** The command: connects (the URL and key it was given), checks, prints the table. */
export async function check(opts: CheckOptions): Promise<{ rows: CheckRow[]; code: number }> {
	const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
	const api = await connect(opts.url, opts.apiKey, 'check');
	const rows = await runCheck(api, opts.tag ?? DEFAULT_TAG, log);
	log(checkTable(rows));
	return { rows, code: exitCode(rows) };
}

/**
 * The check itself, for any client of n8n's public API: the command's (cli/n8n-api.ts) or the B2B Sync Guard node's
 * Set-up → Check (through n8n's own "n8n API" credential). The rows, one per check; `log` hears what was checked.
 * The check's own temporary workflows are never checked, should one be tagged.
 */
export async function runCheck(api: N8nApi, tag = DEFAULT_TAG, log?: (line: string) => void): Promise<CheckRow[]> {
	const workflows = ((await api.list('/workflows', { tags: tag })) as ApiWorkflow[]).filter(
		(w) => !w.name.startsWith(PROBE_NAME_PREFIX),
	);
	if (!workflows.length)
		throw new SetupRefused(
			`n8n at ${api.baseUrl} has no workflows tagged "${tag}": run \`npx n8n-nodes-erp-b2b setup --erp …\` first`,
		);
	const rows: CheckRow[] = [];
	const failedCredentials = new Set<string>();
	const used = credentialsUsed(workflows);
	for (const c of used) {
		const r = await api.call('POST', `/credentials/${encodeURIComponent(c.id)}/test`, {});
		const failure =
			r.status === 200
				? r.body?.status === 'OK'
					? undefined
					: String(r.body?.message ?? 'the test failed')
				: r.status === 404
					? 'the credential no longer exists in n8n'
					: `n8n could not test it: ${r.status} ${errorText(r.body, r.text)}`;
		if (failure !== undefined) failedCredentials.add(c.id);
		rows.push(
			c.type === PORTAL_CREDENTIAL_TYPE ? portalRow(c, c.workflows, failure) : credentialRow(c, c.workflows, failure),
		);
	}
	for (const c of used)
		if (c.type === PORTAL_CREDENTIAL_TYPE && !failedCredentials.has(c.id))
			rows.push(await clockCheck(api, c, webhookWindow(workflows, c.id)));
	rows.push(...(await referenceRows(api, erpReferences(workflows as unknown as WorkflowLike[]), failedCredentials)));
	log?.(`${workflows.length} workflows tagged "${tag}" in n8n at ${api.baseUrl}`);
	return rows;
}

/**
 * The window the portal's clock must fit: the smallest Allowed Clock Difference of the enabled B2B Portal Triggers
 * that use this credential (the trigger's default where unset, or where an expression decides at run time).
 */
export function webhookWindow(workflows: ApiWorkflow[], credentialId: string): number {
	let window: number | undefined;
	for (const w of workflows)
		for (const node of w.nodes) {
			const ref = (node.credentials as Record<string, { id?: string }> | undefined)?.[PORTAL_CREDENTIAL_TYPE];
			if (node.disabled || node.type !== TRIGGER_TYPE || ref?.id !== credentialId) continue;
			const set = ((node.parameters ?? {}) as { options?: { toleranceSeconds?: unknown } }).options?.toleranceSeconds;
			const seconds = typeof set === 'string' && set.startsWith('=') ? undefined : replayWindow(set);
			const own = seconds ?? DEFAULT_WEBHOOK_WINDOW;
			window = window === undefined ? own : Math.min(window, own);
		}
	return window ?? DEFAULT_WEBHOOK_WINDOW;
}

/**
 * The portal's clock against n8n's, measured inside n8n (the trigger compares the portal's signed timestamps with
 * n8n's clock, not with this machine's): the portal node's Connection → Check run in a temporary workflow with the
 * credential (cli/check/probe.ts).
 */
async function clockCheck(api: N8nApi, c: Used, windowSeconds: number): Promise<CheckRow> {
	try {
		const found = await probe(api, c, [
			{
				name: 'Portal clock',
				type: PORTAL_NODE_TYPE,
				parameters: { resource: 'connection', operation: 'check', webhookWindowSeconds: windowSeconds },
				field: ['portalTime', 'n8nTime', 'clockDifferenceSeconds', 'webhookWindowSeconds'],
			},
		]);
		const reading = found['Portal clock']?.[0] as ClockReading | undefined;
		if (!reading || typeof reading.clockDifferenceSeconds !== 'number')
			throw new Error('the portal node gave no clock reading');
		return clockRow(c, c.workflows, reading);
	} catch (error) {
		return clockRow(c, c.workflows, `could not read the portal's clock through n8n: ${(error as Error).message}`);
	}
}

/**
 * The warehouses / price lists the ERP nodes name, against what the ERP has: listed once per ERP and credential
 * through n8n (a temporary workflow, cli/check/probe.ts). A credential whose test failed is not read again: its ✗
 * is already in the table. A reference no credential could be chosen for (cli/check/erp-checks.ts) is a "?" row
 * saying why.
 */
async function referenceRows(api: N8nApi, refs: Reference[], failedCredentials: Set<string>): Promise<CheckRow[]> {
	const groups = new Map<string, Reference[]>();
	const rows: CheckRow[] = refs.filter((r) => r.unverified).map((r) => unverifiedRow(r, r.unverified!));
	for (const r of refs) {
		if (!r.credential || failedCredentials.has(r.credential.id) || !lookupFor(r.erp)) continue;
		const key = `${r.erp}\u0000${r.credential.id}`;
		groups.set(key, [...(groups.get(key) ?? []), r]);
	}
	for (const group of groups.values()) {
		const { erp, credential } = group[0];
		const { nodeType, lookup } = lookupFor(erp)!;
		const kinds = [...new Set(group.map((r) => r.kind))].filter((k) => lookup.reads[k]);
		let found: Record<string, unknown[]>;
		try {
			found = await probe(
				api,
				credential!,
				kinds.map((k) => {
					const { parameters, field, orNumber } = lookup.reads[k]!;
					// the parameters that make the node take this credential's type (BC on-premises)
					const selects = lookup.otherCredentialTypes?.[credential!.type] ?? {};
					return {
						name: k,
						type: nodeType,
						parameters: { ...parameters, ...selects },
						field: orNumber ? [field, orNumber] : field,
					};
				}),
			);
		} catch (error) {
			const workflows = [...new Set(group.map((r) => r.workflow))];
			rows.push(
				credentialRow(
					credential!,
					workflows,
					`could not list the ${kinds.map((k) => (k === 'warehouse' ? 'warehouses' : 'price lists')).join(' / ')} of ${erp} through n8n: ${(error as Error).message}`,
				),
			);
			continue;
		}
		for (const r of group)
			if (found[r.kind]) {
				const { shown, has } = availableIn(lookup.reads[r.kind]!, found[r.kind]);
				rows.push(referenceRow(r, shown, has(r.value)));
			}
	}
	return rows;
}
