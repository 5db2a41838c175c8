/**
 * Loads docs/portal-api.yaml (the contract), compiles its schemas with Ajv (JSON Schema 2020-12, the
 * dialect of OpenAPI 3.1) and builds the route table from its `paths`.
 *
 * The whole document is added to Ajv under DOC_ID, and every schema taken out of it has its local
 * `$ref`s ("#/components/schemas/X") rewritten to "<DOC_ID>#/components/schemas/X", so they resolve
 * against the document wherever the schema sits. Compiled specs are cached per file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

export const DEFAULT_SPEC_PATH = path.resolve(__dirname, '../../../docs/portal-api.yaml');
const DOC_ID = 'https://portal-simulator.invalid/portal-api.yaml';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

type Json = Record<string, unknown>;

export interface ParamSpec {
	name: string;
	in: 'path' | 'query' | 'header' | 'cookie';
	required: boolean;
	/** the JSON type of the (dereferenced) schema, used to coerce query strings */
	type?: string;
	default?: unknown;
	validate: ValidateFunction;
}

export interface BodySpec {
	required: boolean;
	/** media types the contract lists for the body, e.g. application/json, application/pdf */
	mediaTypes: string[];
	/** validator of the application/json body */
	json?: ValidateFunction;
}

export interface Operation {
	operationId: string;
	/** upper case, e.g. POST */
	method: string;
	/** the contract's path template, e.g. /v1/orders/{number} */
	template: string;
	segments: string[];
	params: ParamSpec[];
	body?: BodySpec;
	/** status ("200", "422", "default") → validator of the application/json response, if any */
	responses: Map<string, { json?: ValidateFunction; mediaTypes: string[] }>;
}

export type MatchResult =
	| { kind: 'found'; op: Operation; rawParams: Record<string, string> }
	| { kind: 'methodNotAllowed'; allow: string[] }
	| { kind: 'notFound' };

export interface PortalSpec {
	specPath: string;
	doc: Json;
	operations: Operation[];
	/** validator of `#/components/schemas/<name>` */
	schema(name: string): ValidateFunction;
	/** finds the operation for a method and a raw (still percent-encoded) path relative to the base URL */
	match(method: string, apiPath: string): MatchResult;
}

const cache = new Map<string, PortalSpec>();

export function loadSpec(specPath: string = DEFAULT_SPEC_PATH): PortalSpec {
	const resolved = path.resolve(specPath);
	let spec = cache.get(resolved);
	if (!spec) {
		spec = buildSpec(resolved);
		cache.set(resolved, spec);
	}
	return spec;
}

function buildSpec(specPath: string): PortalSpec {
	const doc = parseYaml(readFileSync(specPath, 'utf8')) as Json;
	if (typeof doc !== 'object' || doc === null || typeof doc.paths !== 'object')
		throw new Error(`${specPath} is not an OpenAPI document (no paths)`);
	// strict: false because the document also holds OpenAPI keys (openapi, info, paths…) that are not
	// JSON Schema keywords; it only concerns how the schemas are written, not how data is checked.
	const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true });
	addFormats(ajv);
	ajv.addSchema(doc, DOC_ID);

	const pointer = (ref: string): unknown => {
		if (!ref.startsWith('#/')) throw new Error(`${specPath}: only local $refs are supported, got ${ref}`);
		let node: unknown = doc;
		for (const raw of ref.slice(2).split('/')) {
			const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
			if (typeof node !== 'object' || node === null || !(key in node))
				throw new Error(`${specPath}: unresolved $ref ${ref}`);
			node = (node as Json)[key];
		}
		return node;
	};
	/** follows a chain of OpenAPI `$ref`s (parameters, responses, request bodies) */
	const deref = <T>(value: unknown): T => {
		let node = value;
		for (let hops = 0; typeof node === 'object' && node !== null && typeof (node as Json).$ref === 'string'; hops++) {
			if (hops > 20) throw new Error(`${specPath}: $ref loop`);
			node = pointer((node as Json).$ref as string);
		}
		return node as T;
	};
	const compile = (schema: unknown): ValidateFunction => ajv.compile(absolutize(schema) as Json);
	const schemaType = (schema: unknown): string | undefined => {
		const s = deref<Json>(schema);
		return typeof s?.type === 'string' ? s.type : undefined;
	};

	const operations: Operation[] = [];
	for (const [template, rawItem] of Object.entries(doc.paths as Json)) {
		const item = deref<Json>(rawItem);
		const shared = (item.parameters as unknown[] | undefined) ?? [];
		for (const method of METHODS) {
			const raw = item[method] as Json | undefined;
			if (!raw) continue;
			// operation-level parameters override path-level ones with the same name and location
			const byKey = new Map<string, Json>();
			for (const p of [...shared, ...((raw.parameters as unknown[] | undefined) ?? [])]) {
				const param = deref<Json>(p);
				byKey.set(`${String(param.in)}:${String(param.name)}`, param);
			}
			const params: ParamSpec[] = [...byKey.values()].map((p) => {
				const schema = (p.schema ?? {}) as Json;
				return {
					name: String(p.name),
					in: p.in as ParamSpec['in'],
					required: p.in === 'path' || p.required === true,
					type: schemaType(schema),
					default: deref<Json>(schema).default,
					validate: compile(schema),
				};
			});
			let body: BodySpec | undefined;
			if (raw.requestBody) {
				const rb = deref<Json>(raw.requestBody);
				const content = (rb.content ?? {}) as Record<string, Json>;
				const jsonSchema = content['application/json']?.schema;
				body = {
					required: rb.required === true,
					mediaTypes: Object.keys(content),
					json: jsonSchema ? compile(jsonSchema) : undefined,
				};
			}
			const responses = new Map<string, { json?: ValidateFunction; mediaTypes: string[] }>();
			for (const [status, r] of Object.entries((raw.responses ?? {}) as Json)) {
				const resp = deref<Json>(r);
				const content = (resp.content ?? {}) as Record<string, Json>;
				const jsonSchema = content['application/json']?.schema;
				responses.set(status, { json: jsonSchema ? compile(jsonSchema) : undefined, mediaTypes: Object.keys(content) });
			}
			operations.push({
				operationId: String(raw.operationId ?? `${method} ${template}`),
				method: method.toUpperCase(),
				template,
				segments: template.split('/'),
				params,
				body,
				responses,
			});
		}
	}

	const schemaCache = new Map<string, ValidateFunction>();
	const schema = (name: string): ValidateFunction => {
		let v = schemaCache.get(name);
		if (!v) {
			pointer(`#/components/schemas/${name}`); // throws a clear error for unknown names
			v = compile({ $ref: `#/components/schemas/${name}` });
			schemaCache.set(name, v);
		}
		return v;
	};

	const match = (method: string, apiPath: string): MatchResult => {
		const segments = apiPath.split('/');
		let best: { op: Operation; rawParams: Record<string, string>; literals: number } | undefined;
		const allow = new Set<string>();
		const candidates = new Map<string, number>(); // template → literal segment count
		for (const op of operations) {
			const rawParams = matchSegments(op.segments, segments);
			if (!rawParams) continue;
			const literals = op.segments.filter((s) => !isParam(s)).length;
			candidates.set(op.template, literals);
			if (op.method !== method.toUpperCase()) continue;
			if (!best || literals > best.literals) best = { op, rawParams, literals };
		}
		if (best) return { kind: 'found', op: best.op, rawParams: best.rawParams };
		if (!candidates.size) return { kind: 'notFound' };
		// only the most literal templates count: /x/{id} must not lend its methods to /x/literal
		const top = Math.max(...candidates.values());
		for (const op of operations) if (candidates.get(op.template) === top) allow.add(op.method);
		return { kind: 'methodNotAllowed', allow: [...allow].sort() };
	};

	return { specPath, doc, operations, schema, match };
}

function isParam(segment: string): boolean {
	return /^\{[^}]+\}$/.test(segment);
}

function matchSegments(template: string[], actual: string[]): Record<string, string> | undefined {
	if (template.length !== actual.length) return undefined;
	const params: Record<string, string> = {};
	for (let i = 0; i < template.length; i++) {
		if (isParam(template[i])) {
			if (actual[i] === '') return undefined;
			params[template[i].slice(1, -1)] = actual[i];
		} else if (template[i] !== actual[i]) return undefined;
	}
	return params;
}

/** deep copy with every local `$ref` made absolute against the document's id */
function absolutize(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(absolutize);
	if (typeof value !== 'object' || value === null) return value;
	const out: Json = {};
	for (const [k, v] of Object.entries(value)) {
		out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#') ? DOC_ID + v : absolutize(v);
	}
	return out;
}
