/**
 * The set-up command's pure logic (no network): which templates make an ERP's set, which parts they call, how
 * each node's credential is bound to an existing n8n credential, and how a caller is pointed at a part's new id.
 *
 * An ERP is a folder of workflows-templates/ (every folder except `parts/` and `watchdog/`): adding an ERP is adding
 * its folder. Inside it a template's file name is `<folder>-[variant-]<kind>[-variant].json`; when several templates
 * of one folder do the same kind of work (Subiekt GT's `sql-clients` and `epp-clients`), they are variants of it and
 * the user picks one (`--variant sql`); a kind with a template without a variant word takes that one unless told.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const EXECUTE_WORKFLOW = 'n8n-nodes-base.executeWorkflow';
/** folders of workflows-templates/ that are not an ERP */
const NOT_AN_ERP = new Set(['parts', 'watchdog']);
/** the kinds of work a template does, longest first (order-status before orders) */
const KINDS = ['order-status', 'orders', 'clients', 'prices', 'products', 'stock', 'images', 'invoices'];

export interface TemplateNode {
	name: string;
	type: string;
	disabled?: boolean;
	parameters?: Record<string, any>;
	credentials?: Record<string, { id: string; name: string }>;
	[key: string]: unknown;
}

export interface Template {
	/** path relative to workflows-templates/, with `/` ("sap-b1/sap-b1-stock.json") */
	rel: string;
	name: string;
	/** the fixed id of a part; undefined for a main template */
	id?: string;
	nodes: TemplateNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface Credential {
	id: string;
	name: string;
	type: string;
}

/** Where the templates are: next to the compiled command in the package (dist/workflows-templates), or the repo's. */
export function templatesDir(): string {
	return path.join(__dirname, '..', 'workflows-templates');
}

function readTemplate(dir: string, rel: string): Template {
	const wf = JSON.parse(readFileSync(path.join(dir, rel), 'utf8')) as Template;
	return { ...wf, rel: rel.split(path.sep).join('/') };
}

const jsonFiles = (dir: string): string[] =>
	readdirSync(dir, { withFileTypes: true })
		.filter((e) => e.isFile() && e.name.endsWith('.json'))
		.map((e) => e.name)
		.sort();

/** The ERPs: the template folders, sorted. */
export function erpNames(dir = templatesDir()): string[] {
	return readdirSync(dir, { withFileTypes: true })
		.filter((e) => e.isDirectory() && !NOT_AN_ERP.has(e.name))
		.map((e) => e.name)
		.sort();
}

/** Every shipped part (a `parts/` folder anywhere), by its fixed id. */
export function partsById(dir = templatesDir()): Map<string, Template> {
	const index = new Map<string, Template>();
	const folders = ['parts', ...erpNames(dir).map((e) => path.join(e, 'parts'))];
	for (const folder of folders) {
		let files: string[];
		try {
			files = jsonFiles(path.join(dir, folder));
		} catch {
			continue;
		}
		for (const f of files) {
			const part = readTemplate(dir, path.join(folder, f));
			if (typeof part.id !== 'string' || part.id === '')
				throw new Error(`template part ${part.rel} has no fixed "id" (its callers find it by that id)`);
			const twin = index.get(part.id);
			if (twin) throw new Error(`template parts ${twin.rel} and ${part.rel} share the id ${part.id}`);
			index.set(part.id, part);
		}
	}
	return index;
}

/** The workflow id an Execute Workflow node calls (source "database"), or undefined. */
export function calledWorkflowId(node: { type: string; parameters?: Record<string, any> }): string | undefined {
	if (node.type !== EXECUTE_WORKFLOW) return undefined;
	const p = node.parameters ?? {};
	if (p.source !== undefined && p.source !== 'database') return undefined;
	const ref = p.workflowId;
	const id = typeof ref === 'object' && ref !== null ? ref.value : ref;
	return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * The shipped parts the workflows call, directly or through other parts, each once, every part after the parts it
 * calls (the order to create them in, so that a part's callee already has its new id).
 */
export function partsInCreateOrder(workflows: Template[], parts: Map<string, Template>): Template[] {
	const ordered: Template[] = [];
	const seen = new Set<string>();
	const visit = (w: Template) => {
		for (const node of w.nodes) {
			const id = calledWorkflowId(node);
			if (id === undefined || seen.has(id)) continue;
			const part = parts.get(id);
			if (!part) continue;
			seen.add(id);
			visit(part);
			ordered.push(part);
		}
	};
	for (const w of workflows) visit(w);
	return ordered;
}

/** The kind and variant of a main template file of an ERP folder ("subiekt-gt-sql-clients.json" → clients, sql). */
export function kindAndVariant(erp: string, file: string): { kind: string; variant: string } {
	const stem = path.basename(file, '.json');
	const rest = stem.startsWith(`${erp}-`) ? stem.slice(erp.length + 1) : stem;
	for (const kind of KINDS) {
		const m = new RegExp(`^(?:(.+)-)?${kind}(?:-(.+))?$`).exec(rest);
		if (m) return { kind, variant: [m[1], m[2]].filter(Boolean).join('-') };
	}
	return { kind: rest, variant: '' };
}

export interface Choice {
	kind: string;
	variants: string[];
}

/**
 * The main templates of one ERP for the chosen variants. A kind with one template: that one. A kind with several:
 * the one whose variant is among `variants`, else the one without a variant word; none of them → it is returned in
 * `undecided` (the command asks or refuses naming the choices).
 */
export function selectTemplates(
	erp: string,
	variants: string[],
	dir = templatesDir(),
): { files: string[]; undecided: Choice[]; unknownVariants: string[] } {
	if (!erpNames(dir).includes(erp))
		throw new Error(`unknown ERP "${erp}": choose one of ${erpNames(dir).join(', ')} (--erp)`);
	const byKind = new Map<string, Array<{ file: string; variant: string }>>();
	for (const file of jsonFiles(path.join(dir, erp))) {
		const { kind, variant } = kindAndVariant(erp, file);
		byKind.set(kind, [...(byKind.get(kind) ?? []), { file: `${erp}/${file}`, variant }]);
	}
	const files: string[] = [];
	const undecided: Choice[] = [];
	const known = new Set<string>();
	for (const [kind, options] of byKind) {
		options.forEach((o) => o.variant && known.add(o.variant));
		if (options.length === 1) {
			files.push(options[0].file);
			continue;
		}
		const picked =
			options.find((o) => o.variant !== '' && variants.includes(o.variant)) ?? options.find((o) => o.variant === '');
		if (picked) files.push(picked.file);
		else undecided.push({ kind, variants: options.map((o) => o.variant) });
	}
	return { files: files.sort(), undecided, unknownVariants: variants.filter((v) => !known.has(v)) };
}

/** The error-alert, watchdog and check-set-up workflows every ERP set gets. */
export const WATCHDOG_FILES = {
	errorAlert: 'watchdog/error-alert.json',
	watchdog: 'watchdog/watchdog.json',
	checkSetup: 'watchdog/check-setup.json',
};

/**
 * Does the workflow start only by hand (its enabled triggers are Manual Triggers, e.g. "Check set-up")? n8n refuses
 * to publish such a workflow ("no node to start the workflow"), so `setup --activate` leaves it as it is.
 */
export function startsOnlyByHand(t: Pick<Template, 'nodes'>): boolean {
	const starts = t.nodes.filter(
		(n) => !n.disabled && (/trigger$/i.test(n.type) || n.type === 'n8n-nodes-base.webhook'),
	);
	return starts.length > 0 && starts.every((n) => n.type === 'n8n-nodes-base.manualTrigger');
}

export function loadTemplate(rel: string, dir = templatesDir()): Template {
	return readTemplate(dir, rel);
}

/** The credential types a workflow's nodes use: `required` by nodes that run, `optional` only by disabled ones. */
export function credentialTypes(workflows: Template[]): { required: Set<string>; optional: Set<string> } {
	const required = new Set<string>();
	const optional = new Set<string>();
	for (const w of workflows)
		for (const node of w.nodes)
			for (const type of Object.keys(node.credentials ?? {})) (node.disabled ? optional : required).add(type);
	for (const t of required) optional.delete(t);
	return { required, optional };
}

export type Binding = Map<string, Credential>;

/**
 * Which existing credential each credential type is bound to. `chosen`: type → credential id (the --credential flags).
 * A type with one credential takes it; several → `ask(type, candidates)` (undefined when it cannot ask: refused);
 * none → refused when a running node needs it, left unbound when only disabled nodes use it.
 */
export async function bindCredentials(
	types: { required: Set<string>; optional: Set<string> },
	existing: Credential[],
	chosen: Record<string, string>,
	ask?: (type: string, candidates: Credential[]) => Promise<Credential | undefined>,
): Promise<Binding> {
	const binding: Binding = new Map();
	const problems: string[] = [];
	for (const [type, id] of Object.entries(chosen)) {
		const c = existing.find((e) => e.id === id);
		if (!c) problems.push(`--credential ${type}=${id}: n8n has no credential with the id ${id}`);
		else if (c.type !== type)
			problems.push(`--credential ${type}=${id}: credential "${c.name}" (${id}) is of type ${c.type}, not ${type}`);
	}
	for (const type of [...types.required, ...types.optional].sort()) {
		const needed = types.required.has(type);
		const candidates = existing.filter((e) => e.type === type);
		if (chosen[type] !== undefined) {
			const c = candidates.find((e) => e.id === chosen[type]);
			if (c) binding.set(type, c);
			continue;
		}
		if (candidates.length === 1) binding.set(type, candidates[0]);
		else if (candidates.length === 0) {
			if (needed)
				problems.push(
					`no credential of type ${type} in n8n: create it (Credentials → Add credential) and run setup again`,
				);
		} else {
			const picked = ask ? await ask(type, candidates) : undefined;
			if (picked) binding.set(type, picked);
			else if (needed)
				problems.push(
					`${candidates.length} credentials of type ${type} (${candidates.map((c) => `"${c.name}" = ${c.id}`).join(', ')}): choose one with --credential ${type}=<id>`,
				);
		}
	}
	if (problems.length) throw new SetupRefused(problems.join('\n'));
	return binding;
}

/** A refusal the command prints as is (exit code 1), without a stack. */
export class SetupRefused extends Error {}

/**
 * The workflow body to create / update in n8n: the fields n8n's public API accepts, every node's credential bound,
 * every Execute Workflow node that calls a shipped part pointed at that part's new id, the error workflow set.
 */
export function prepareWorkflow(
	template: Template,
	binding: Binding,
	partIds: Map<string, { id: string; name: string }>,
	errorWorkflowId: string | undefined,
): { name: string; nodes: TemplateNode[]; connections: Record<string, unknown>; settings: Record<string, unknown> } {
	const nodes = (JSON.parse(JSON.stringify(template.nodes)) as TemplateNode[]).map((node) => {
		if (node.credentials) {
			const bound: Record<string, { id: string; name: string }> = {};
			for (const [type, ref] of Object.entries(node.credentials)) {
				const c = binding.get(type);
				bound[type] = c ? { id: c.id, name: c.name } : ref;
			}
			node.credentials = bound;
		}
		const called = calledWorkflowId(node);
		const part = called === undefined ? undefined : partIds.get(called);
		if (part) {
			const ref = node.parameters!.workflowId;
			node.parameters!.workflowId =
				typeof ref === 'object' && ref !== null
					? { ...ref, value: part.id, cachedResultName: part.name }
					: { __rl: true, mode: 'list', value: part.id, cachedResultName: part.name };
		}
		return node;
	});
	const settings: Record<string, unknown> = { ...(template.settings ?? {}) };
	if (errorWorkflowId) settings.errorWorkflow = errorWorkflowId;
	else delete settings.errorWorkflow;
	return { name: template.name, nodes, connections: template.connections ?? {}, settings };
}
