/**
 * `n8n-nodes-erp-b2b setup`: imports one ERP's template set (its templates for the chosen variants, the parts they
 * call, the watchdog, the error-alert and the Check set-up workflow) into a running n8n through its public API,
 * bound to the credentials that exist there (an n8n API credential for Check set-up is made when n8n has none). Idempotent: it finds its own workflows by tag and name and changes them only with
 * `update`.
 */
import { errorText, N8N_API_CREDENTIAL_TYPE, n8nApi, type ApiWorkflow, type N8nApi } from './n8n-api';
import {
	bindCredentials,
	credentialTypes,
	loadTemplate,
	partsById,
	partsInCreateOrder,
	prepareWorkflow,
	selectTemplates,
	SetupRefused,
	startsOnlyByHand,
	WATCHDOG_FILES,
	type Choice,
	type Credential,
	type Template,
} from './template-set';

export const DEFAULT_TAG = 'erp-b2b';
/** the n8n API credential setup creates for the "Check set-up" workflow when n8n has none */
export const CHECK_CREDENTIAL_NAME = 'n8n API (erp-b2b set-up check)';
/** a credential type of the pack: unknown to an n8n without it */
const PACK_CREDENTIAL_TYPE = 'b2bPortalApi';

export interface SetupOptions {
	url: string;
	apiKey: string;
	erp: string;
	variants: string[];
	credentials: Record<string, string>;
	update: boolean;
	activate: boolean;
	tag?: string;
	/** asks which credential of a type to use (a TTY); undefined: refuse when there are several */
	askCredential?: (type: string, candidates: Credential[]) => Promise<Credential | undefined>;
	/** asks which variant of a kind to import (a TTY); undefined: refuse when undecided */
	askVariant?: (choice: Choice) => Promise<string | undefined>;
	log?: (line: string) => void;
}

export interface SetupRow {
	workflow: string;
	file: string;
	result: 'created' | 'unchanged' | 'updated';
	id: string;
	published: boolean;
}

export async function setup(opts: SetupOptions): Promise<SetupRow[]> {
	const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
	const tag = opts.tag ?? DEFAULT_TAG;
	// 1. the right n8n, the right key, the pack installed
	const api = await connect(opts.url, opts.apiKey, 'setup');

	// 2. the templates
	let variants = [...opts.variants];
	let selection = selectTemplates(opts.erp, variants);
	if (selection.unknownVariants.length)
		throw new SetupRefused(
			`--variant ${selection.unknownVariants.join(',')}: ${opts.erp} has no such variant (its variants: ${knownVariants(opts.erp).join(', ') || 'none'})`,
		);
	for (const choice of selection.undecided) {
		const picked = opts.askVariant ? await opts.askVariant(choice) : undefined;
		if (!picked)
			throw new SetupRefused(
				`${opts.erp} has ${choice.variants.length} ${choice.kind} templates: choose one with --variant ${choice.variants.join(' or --variant ')}`,
			);
		variants = [...variants, picked];
	}
	if (selection.undecided.length) selection = selectTemplates(opts.erp, variants);
	const errorAlert = loadTemplate(WATCHDOG_FILES.errorAlert);
	const mains = [
		...selection.files.map((f) => loadTemplate(f)),
		loadTemplate(WATCHDOG_FILES.watchdog),
		loadTemplate(WATCHDOG_FILES.checkSetup),
	];
	const parts = partsInCreateOrder(mains, partsById());
	const all = [errorAlert, ...parts, ...mains];

	// 3. the credentials
	const existing = (await api.list('/credentials')) as Credential[];
	const types = credentialTypes(all);
	// "Check set-up" talks to this n8n: with no n8n API credential there, this command has what one needs (the URL
	// and key it was given); made only once every other credential is bound, so a refusal leaves nothing behind
	const makeN8nApi =
		types.required.has(N8N_API_CREDENTIAL_TYPE) &&
		opts.credentials[N8N_API_CREDENTIAL_TYPE] === undefined &&
		!existing.some((c) => c.type === N8N_API_CREDENTIAL_TYPE);
	if (makeN8nApi) types.required.delete(N8N_API_CREDENTIAL_TYPE);
	const binding = await bindCredentials(types, existing, opts.credentials, opts.askCredential);
	if (makeN8nApi) {
		const made = await createN8nApiCredential(api, opts.apiKey);
		binding.set(N8N_API_CREDENTIAL_TYPE, made);
		log(
			`created credential ${N8N_API_CREDENTIAL_TYPE} "${made.name}" (${made.id}) for "Check set-up": Base URL ${api.baseUrl}/api/v1 and the API key this command was given (change them in n8n if n8n reaches itself at another address)`,
		);
	}
	for (const [type, c] of [...binding].sort(([a], [b]) => a.localeCompare(b)))
		log(`credential ${type}: "${c.name}" (${c.id})`);

	// 4. what this command made before (tag + name)
	const tagId = await ensureTag(api, tag);
	const ours = new Map<string, ApiWorkflow>();
	for (const w of (await api.list('/workflows', { tags: tag })) as ApiWorkflow[])
		if (!ours.has(w.name)) ours.set(w.name, w);

	// 5. create / update: the error workflow, the parts (callees first), the templates
	const rows: SetupRow[] = [];
	const partIds = new Map<string, { id: string; name: string }>();
	let errorWorkflowId: string | undefined;
	for (const template of all) {
		const isPart = template.id !== undefined && parts.includes(template);
		const body = prepareWorkflow(template, binding, partIds, template === errorAlert ? undefined : errorWorkflowId);
		const found = ours.get(template.name);
		let row: SetupRow;
		if (found && !opts.update) {
			row = {
				workflow: template.name,
				file: template.rel,
				result: 'unchanged',
				id: found.id,
				published: !!found.activeVersionId,
			};
		} else if (found) {
			const r = await api.call('PUT', `/workflows/${encodeURIComponent(found.id)}`, body);
			if (r.status !== 200) throw failed('update', template, api, r);
			// n8n publishes the new version of a published workflow itself (publishIfActive, default true)
			row = {
				workflow: template.name,
				file: template.rel,
				result: 'updated',
				id: found.id,
				published: !!found.activeVersionId,
			};
		} else {
			const r = await api.call('POST', '/workflows', body);
			if (r.status !== 200) throw failed('create', template, api, r);
			const id = (r.body as ApiWorkflow).id;
			const t = await api.call('PUT', `/workflows/${encodeURIComponent(id)}/tags`, [{ id: tagId }]);
			if (t.status !== 200) throw failed(`tag (${tag})`, template, api, t);
			row = { workflow: template.name, file: template.rel, result: 'created', id, published: false };
		}
		if (template === errorAlert) errorWorkflowId = row.id;
		if (isPart) partIds.set(template.id!, { id: row.id, name: template.name });
		// n8n 2.x runs a part's published version: every part is published; the rest only with --activate, except
		// what starts only by hand (Check set-up), which n8n cannot publish
		if ((isPart || (opts.activate && !startsOnlyByHand(template))) && !row.published) {
			const p = await api.call('POST', `/workflows/${encodeURIComponent(row.id)}/publish`, {});
			if (p.status !== 200) throw failed('publish', template, api, p);
			row.published = true;
		}
		rows.push(row);
	}
	log(table(rows));
	const counts = (['created', 'updated', 'unchanged'] as const).map(
		(k) => `${rows.filter((r) => r.result === k).length} ${k}`,
	);
	log(
		`${opts.erp}: ${rows.length} workflows (${counts.join(', ')}), tagged "${tag}", error workflow ${errorWorkflowId}; ${opts.activate ? 'published (but what starts only by hand: run it from the editor)' : 'parts published, the others left inactive (publish them in n8n, or run again with --activate)'}`,
	);
	return rows;
}

/** An API client for the right n8n, the right key, with the pack installed; refuses clearly otherwise. */
export async function connect(url: string, apiKey: string, command: string): Promise<N8nApi> {
	if (!apiKey) throw new SetupRefused('no API key: pass --api-key or set N8N_API_KEY (n8n: Settings → n8n API)');
	const api = n8nApi(url, apiKey);
	const probe = await api.call('GET', '/workflows?limit=1');
	if (probe.status !== 200)
		throw new SetupRefused(
			`n8n at ${api.baseUrl}: GET /api/v1/workflows answered ${probe.status} ${errorText(probe.body, probe.text)}`,
		);
	const schema = await api.call('GET', `/credentials/schema/${PACK_CREDENTIAL_TYPE}`);
	if (schema.status === 404)
		throw new SetupRefused(
			`n8n at ${api.baseUrl} does not have n8n-nodes-erp-b2b installed (it knows no credential type ${PACK_CREDENTIAL_TYPE}): install it (Settings → Community Nodes → Install → n8n-nodes-erp-b2b), restart n8n and run ${command} again`,
		);
	return api;
}

async function createN8nApiCredential(api: N8nApi, apiKey: string): Promise<Credential> {
	const r = await api.call('POST', '/credentials', {
		name: CHECK_CREDENTIAL_NAME,
		type: N8N_API_CREDENTIAL_TYPE,
		data: { apiKey, baseUrl: `${api.baseUrl}/api/v1` },
	});
	if (r.status !== 200)
		throw new Error(
			`n8n at ${api.baseUrl}: creating the credential "${CHECK_CREDENTIAL_NAME}" failed: ${r.status} ${errorText(r.body, r.text).split(apiKey).join('[API key]')}`,
		);
	return { id: String(r.body.id), name: CHECK_CREDENTIAL_NAME, type: N8N_API_CREDENTIAL_TYPE };
}

function knownVariants(erp: string): string[] {
	const { undecided } = selectTemplates(erp, []);
	const all = new Set<string>();
	for (const c of undecided) c.variants.forEach((v) => v && all.add(v));
	return [...all].sort();
}

async function ensureTag(api: N8nApi, name: string): Promise<string> {
	const tags = (await api.list('/tags')) as Array<{ id: string; name: string }>;
	const found = tags.find((t) => t.name === name);
	if (found) return found.id;
	const r = await api.call('POST', '/tags', { name });
	if (r.status !== 200 && r.status !== 201)
		throw new Error(
			`n8n at ${api.baseUrl}: creating the tag "${name}" failed: ${r.status} ${errorText(r.body, r.text)}`,
		);
	return r.body.id as string;
}

function failed(what: string, template: Template, api: N8nApi, r: { status: number; body: any; text: string }): Error {
	const message = errorText(r.body, r.text);
	if (/unrecognized node type|unknown node type/i.test(message) && message.includes('n8n-nodes-erp-b2b'))
		return new SetupRefused(
			`n8n at ${api.baseUrl} does not have n8n-nodes-erp-b2b installed (${message}): install it (Settings → Community Nodes) and run setup again`,
		);
	return new Error(`${what} "${template.name}" (${template.rel}) in n8n at ${api.baseUrl}: ${r.status} ${message}`);
}

/** The result table: workflow, what happened, id, published. */
export function table(rows: SetupRow[]): string {
	const head = ['workflow', 'result', 'id', 'published'];
	const cells = rows.map((r) => [r.workflow, r.result, r.id, r.published ? 'yes' : 'no']);
	const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => [...c[i]].length)));
	const line = (c: string[]) =>
		c
			.map((v, i) => v + ' '.repeat(width[i] - [...v].length))
			.join('  ')
			.trimEnd();
	return [line(head), line(width.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
