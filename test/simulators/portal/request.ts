/**
 * The HTTP side of a request: reading the body (with the size limit), auth, path and query parameters,
 * media type, UTF-8, JSON and schema checks, and writing answers.
 */
import { timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { errorBody, HttpError, type ErrorDetail } from './errors';
import { BODY_KEYS, type Reply } from './handlers';
import type { Operation } from './spec';
import { surrogateDetails, toDetails, validationDetails } from './validation';

/**
 * The parsed request body: JSON checked against the contract (422 with details), or the raw bytes for
 * other media types. `countItems` learns a batch's size as soon as the JSON is parsed.
 */
export function requestBody(
	op: Operation,
	headers: http.IncomingHttpHeaders,
	buf: Buffer,
	countItems: (n: number) => void,
): unknown {
	if (!op.body) return undefined;
	if (buf.length === 0) {
		if (!op.body.required) return undefined;
		throw new HttpError(
			400,
			'body_required',
			`${op.method} ${op.template} needs a ${op.body.mediaTypes.join(' or ')} body`,
		);
	}
	const { mediaType, charset } = parseContentType(headers['content-type']);
	if (!op.body.mediaTypes.includes(mediaType))
		throw new HttpError(
			415,
			'unsupported_media_type',
			`Content-Type must be ${op.body.mediaTypes.join(' or ')}, got ${mediaType || 'none'}`,
		);
	if (mediaType !== 'application/json') return buf;
	if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
		throw new HttpError(415, 'unsupported_media_type', `only UTF-8 JSON is accepted, got charset=${charset}`);
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
	} catch {
		throw new HttpError(
			400,
			'invalid_encoding',
			'the body is not valid UTF-8 (was it encoded as Windows-1250 / ISO-8859-2?)',
		);
	}
	if (text.charCodeAt(0) === 0xfeff)
		throw new HttpError(400, 'invalid_json', 'the body starts with a byte order mark (BOM); JSON must not');
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (err) {
		throw new HttpError(400, 'invalid_json', `the body is not valid JSON: ${(err as Error).message}`);
	}
	const items = (parsed as { items?: unknown } | null)?.items;
	if (Array.isArray(items)) countItems(items.length);
	const keyInfo = BODY_KEYS[op.operationId] ?? { batch: false };
	const detailOpts = { ...keyInfo, body: parsed };
	let details: ErrorDetail[] = op.body.json ? validationDetails(op.body.json, parsed, detailOpts) : [];
	details = [...details, ...surrogateDetails(parsed, detailOpts)];
	if (details.length) {
		const records = new Set(details.filter((d) => d.index !== undefined).map((d) => d.index)).size;
		throw new HttpError(
			422,
			'validation_failed',
			keyInfo.batch
				? `${records ? `${records} record(s)` : 'the batch'} break the contract; nothing was written`
				: 'the body breaks the contract; nothing was written',
			details,
		);
	}
	return parsed;
}

export function pathParams(op: Operation, raw: Record<string, string>): Record<string, string> {
	const out: Record<string, string> = {};
	const details: ErrorDetail[] = [];
	for (const p of op.params.filter((x) => x.in === 'path')) {
		let value: string;
		try {
			value = decodeURIComponent(raw[p.name] ?? '');
		} catch {
			throw new HttpError(400, 'invalid_path', `path parameter ${p.name} is not valid percent-encoded UTF-8`, [
				{ field: p.name, message: 'is not valid percent-encoded UTF-8' },
			]);
		}
		if (!p.validate(value)) details.push(...toDetails(p.validate.errors ?? []).map((d) => ({ ...d, field: p.name })));
		out[p.name] = value;
	}
	if (details.length) throw new HttpError(400, 'invalid_path', 'a path parameter breaks the contract', details);
	return out;
}

export function queryParams(op: Operation, search: string): Record<string, unknown> {
	const given = new Map<string, string[]>();
	for (const part of search.split('&')) {
		if (!part) continue;
		const eq = part.indexOf('=');
		const decode = (s: string) => {
			try {
				return decodeURIComponent(s.replace(/\+/g, ' '));
			} catch {
				throw new HttpError(400, 'invalid_query', 'the query string is not valid percent-encoded UTF-8');
			}
		};
		const name = decode(eq < 0 ? part : part.slice(0, eq));
		given.set(name, [...(given.get(name) ?? []), decode(eq < 0 ? '' : part.slice(eq + 1))]);
	}
	const out: Record<string, unknown> = {};
	const details: ErrorDetail[] = [];
	for (const p of op.params.filter((x) => x.in === 'query')) {
		const values = given.get(p.name);
		if (!values) {
			if (p.default !== undefined) out[p.name] = p.default;
			else if (p.required) details.push({ field: p.name, message: 'is missing' });
			continue;
		}
		if (values.length > 1) {
			details.push({ field: p.name, message: 'is given more than once' });
			continue;
		}
		let value: unknown = values[0];
		if ((p.type === 'integer' || p.type === 'number') && /^-?\d+(\.\d+)?$/.test(values[0])) value = Number(values[0]);
		if (p.type === 'boolean' && (values[0] === 'true' || values[0] === 'false')) value = values[0] === 'true';
		if (!p.validate(value)) details.push(...toDetails(p.validate.errors ?? []).map((d) => ({ ...d, field: p.name })));
		out[p.name] = value;
	}
	if (details.length) throw new HttpError(400, 'invalid_query', 'a query parameter breaks the contract', details);
	return out;
}

export function authorised(headers: http.IncomingHttpHeaders, apiKey: string): boolean {
	const auth = headers.authorization;
	const key = headers['x-api-key'];
	if (auth === undefined && key === undefined) return false;
	if (auth !== undefined) {
		const m = /^Bearer +(\S+) *$/i.exec(auth);
		if (!m || !safeEqual(m[1], apiKey)) return false;
	}
	if (key !== undefined && (typeof key !== 'string' || !safeEqual(key, apiKey))) return false;
	return true;
}

function safeEqual(a: string, b: string): boolean {
	const x = Buffer.from(a, 'utf8');
	const y = Buffer.from(b, 'utf8');
	return x.length === y.length && timingSafeEqual(x, y);
}

export function parseContentType(header: string | undefined): { mediaType: string; charset?: string } {
	if (!header) return { mediaType: '' };
	const [type, ...params] = header.split(';');
	let charset: string | undefined;
	for (const p of params) {
		const [k, v] = p.split('=').map((s) => s?.trim());
		if (k?.toLowerCase() === 'charset' && v) charset = v.replace(/^"|"$/g, '').toLowerCase();
	}
	return { mediaType: type.trim().toLowerCase(), charset };
}

export function errorReply(err: unknown): Reply {
	if (err instanceof HttpError) return { status: err.status, json: err.toBody(), headers: err.headers };
	return {
		status: 500,
		json: errorBody('internal_error', `simulator error: ${String((err as Error)?.message ?? err)}`),
	};
}

export function sendReply(res: http.ServerResponse, reply: Reply): void {
	if (res.destroyed) return;
	if (reply.status === 304 || reply.status === 204) {
		res.writeHead(reply.status, { ...reply.headers });
		res.end();
		return;
	}
	const payload = reply.raw ?? Buffer.from(JSON.stringify(reply.json ?? null), 'utf8');
	res.writeHead(reply.status, {
		...reply.headers,
		'Content-Type': reply.raw ? (reply.contentType ?? 'application/octet-stream') : 'application/json; charset=utf-8',
		'Content-Length': String(payload.length),
	});
	res.end(payload);
}

export function readBody(req: http.IncomingMessage, limit: number): Promise<{ buf: Buffer; tooLarge: boolean }> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) {
				tooLarge = true; // keep reading (and discarding) so that the client gets the 413
				chunks.length = 0;
			} else chunks.push(chunk);
		});
		req.on('end', () => resolve({ buf: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge }));
		req.on('error', reject);
		req.on('close', () => {
			if (!req.complete) reject(new Error('request aborted'));
		});
	});
}
