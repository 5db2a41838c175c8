/**
 * Turns Ajv errors into the contract's error details: `{index, key, field, message}`, where `index`
 * is the record's position in a batch's `items`, `key` its ERP key and `field` a dotted path inside
 * the record (`lines[0].quantity`, `addresses[1].countryCode`) — the notation the nodes use.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { describeValue, type ErrorDetail } from './errors';

export interface DetailOptions {
	/** the body is a batch `{items: [...]}`: errors under items/<n> get index and key */
	batch?: boolean;
	/** name of the key field of one record (code, productCode, orderNumber, number, flow) */
	keyField?: string;
	/** the body, to read records' keys */
	body?: unknown;
}

export function validationDetails(validate: ValidateFunction, data: unknown, opts: DetailOptions = {}): ErrorDetail[] {
	if (validate(data)) return [];
	return toDetails(validate.errors ?? [], opts);
}

export function toDetails(errors: ErrorObject[], opts: DetailOptions = {}): ErrorDetail[] {
	const kept = dropNoise(errors);
	const details: ErrorDetail[] = [];
	const seen = new Set<string>();
	for (const e of kept) {
		const explained = explain(e);
		if (!explained) continue;
		const detail = locate(explained.segments, explained.message, opts);
		const id = JSON.stringify(detail);
		if (seen.has(id)) continue;
		seen.add(id);
		details.push(detail);
	}
	return details.sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
}

/** Dotted path for JSON pointer segments: ["lines","0","quantity"] → "lines[0].quantity". */
export function dottedPath(segments: string[]): string {
	let out = '';
	for (const s of segments) {
		if (/^\d+$/.test(s)) out += `[${s}]`;
		else out += out ? `.${s}` : s;
	}
	return out;
}

function pointerSegments(pointer: string): string[] {
	if (!pointer) return [];
	return pointer
		.slice(1)
		.split('/')
		.map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Ajv (allErrors) also reports every failed branch of an `anyOf` and the failed `if` of an if/then;
 * the anyOf is explained once by its own error, and for if/then the `then` errors say it all.
 */
function dropNoise(errors: ErrorObject[]): ErrorObject[] {
	const anyOfs = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
	return errors.filter((e) => {
		if (e.keyword === 'if') return false;
		return !anyOfs.some(
			(a) => a !== e && a.instancePath === e.instancePath && e.schemaPath.startsWith(a.schemaPath + '/'),
		);
	});
}

function explain(e: ErrorObject): { segments: string[]; message: string } | undefined {
	const at = pointerSegments(e.instancePath);
	const p = e.params as Record<string, unknown>;
	const schema = (e.parentSchema ?? {}) as Record<string, unknown>;
	const hint = typeof schema.description === 'string' ? ` (${schema.description.trim()})` : '';
	switch (e.keyword) {
		case 'required':
			return { segments: [...at, String(p.missingProperty)], message: 'is missing' };
		case 'additionalProperties':
			return { segments: [...at, String(p.additionalProperty)], message: 'is not a field of this record' };
		case 'anyOf':
		case 'oneOf': {
			const branches = (schema[e.keyword] as Array<Record<string, unknown>> | undefined) ?? [];
			const names = branches.flatMap((b) =>
				Array.isArray(b.required) && Object.keys(b).length === 1 ? b.required : [],
			);
			if (names.length && names.length === branches.length)
				return { segments: [...at, String(names[0])], message: `is missing: one of ${names.join(', ')} is required` };
			return {
				segments: at,
				message: `must match ${e.keyword === 'oneOf' ? 'exactly one' : 'one'} of the allowed shapes`,
			};
		}
		case 'type':
			return { segments: at, message: `must be ${String(p.type)}, got ${describeValue(e.data)}` };
		case 'enum':
			return {
				segments: at,
				message: `must be one of ${(p.allowedValues as unknown[]).map(String).join(', ')}, got ${describeValue(e.data)}`,
			};
		case 'const':
			return { segments: at, message: `must be ${describeValue(p.allowedValue)}, got ${describeValue(e.data)}` };
		case 'pattern':
			return { segments: at, message: `must match ${String(p.pattern)}${hint}, got ${describeValue(e.data)}` };
		case 'format':
			return { segments: at, message: `must be a valid ${String(p.format)}, got ${describeValue(e.data)}` };
		case 'minLength':
			return {
				segments: at,
				message: p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters long`,
			};
		case 'maxLength':
			return { segments: at, message: `is longer than ${String(p.limit)} characters` };
		case 'minimum':
		case 'exclusiveMinimum':
			return {
				segments: at,
				message: `must be ${String(p.comparison)} ${String(p.limit)}, got ${describeValue(e.data)}`,
			};
		case 'maximum':
		case 'exclusiveMaximum':
			return {
				segments: at,
				message: `must be ${String(p.comparison)} ${String(p.limit)}, got ${describeValue(e.data)}`,
			};
		case 'minProperties':
			// only ProductPatch and ClientPatch have one: the code alone changes nothing
			return {
				segments: at,
				message: `must have at least ${String(p.limit)} fields: the key and at least one field to change`,
			};
		case 'minItems':
			return { segments: at, message: `must have at least ${String(p.limit)} entries` };
		case 'maxItems':
			return {
				segments: at,
				message: `must have at most ${String(p.limit)} entries, got ${Array.isArray(e.data) ? e.data.length : '?'}`,
			};
		default:
			return { segments: at, message: e.message ?? `fails ${e.keyword}` };
	}
}

function locate(segments: string[], message: string, opts: DetailOptions): ErrorDetail {
	if (opts.batch && segments[0] === 'items' && segments.length >= 2 && /^\d+$/.test(segments[1])) {
		const index = Number(segments[1]);
		const key = recordKey(itemAt(opts.body, index), opts.keyField);
		return {
			index,
			...(key !== undefined ? { key } : {}),
			field: dottedPath(segments.slice(2)) || '(record)',
			message,
		};
	}
	const key = opts.batch ? undefined : recordKey(opts.body, opts.keyField);
	return { ...(key !== undefined ? { key } : {}), field: dottedPath(segments) || '(body)', message };
}

function itemAt(body: unknown, index: number): unknown {
	const items = (body as { items?: unknown } | null)?.items;
	return Array.isArray(items) ? items[index] : undefined;
}

export function recordKey(record: unknown, keyField: string | undefined): string | undefined {
	if (!keyField || typeof record !== 'object' || record === null) return undefined;
	const v = (record as Record<string, unknown>)[keyField];
	return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text that cannot be stored as UTF-8: a JSON `\uD83D` escape without its pair parses into a lone
 * surrogate, which a real portal's database refuses. Yields the dotted paths of such strings (keys too).
 */
export function* loneSurrogates(value: unknown, segments: string[] = []): Generator<string[]> {
	if (typeof value === 'string') {
		if (LONE_SURROGATE.test(value)) yield segments;
	} else if (Array.isArray(value)) {
		for (let i = 0; i < value.length; i++) yield* loneSurrogates(value[i], [...segments, String(i)]);
	} else if (typeof value === 'object' && value !== null) {
		for (const [k, v] of Object.entries(value)) {
			if (LONE_SURROGATE.test(k)) yield [...segments, k];
			yield* loneSurrogates(v, [...segments, k]);
		}
	}
}

export function surrogateDetails(body: unknown, opts: DetailOptions): ErrorDetail[] {
	return [...loneSurrogates(body)].map((segs) =>
		locate(segs, 'is not valid Unicode text (a lone UTF-16 surrogate cannot be stored as UTF-8)', { ...opts, body }),
	);
}
