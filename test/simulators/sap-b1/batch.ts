/**
 * POST /$batch with Content-Type multipart/mixed;boundary=… (OData 3/4 batch as SL speaks it):
 * - top-level parts are single requests (application/http) or change sets (nested multipart/mixed);
 * - a change set is atomic: if one of its requests fails, every change of the set is rolled back and
 *   the set answers with ONE error part (the failed request's error in its body, its Content-ID kept);
 * - a change set must not contain GET (the set fails with 400);
 * - processing stops at the first failure: later parts are neither executed nor answered (B1SLayer #16);
 * - If-Match is not checked inside a batch (B1SLayer #54).
 * Not reproduced: Content-ID references ($1/…) in later URLs; TransactionNotification errors that break
 * the multipart answer (#18).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { errors } from './errors';

export interface InnerRequest {
	method: string;
	/** path after /b1s/vN (with a leading slash), still encoded */
	path: string;
	search: string;
	headers: Record<string, string>;
	body: Buffer;
	contentId?: string;
}

export interface InnerReply {
	status: number;
	headers: Record<string, string>;
	json?: unknown;
	text?: string;
}

type Part = { kind: 'request'; req: InnerRequest } | { kind: 'changeset'; reqs: InnerRequest[] };

export function boundaryOf(contentType: string | undefined): string {
	const m = /^\s*multipart\/mixed\s*;(?:.*;)?\s*boundary\s*=\s*("?)([^";]+)\1/i.exec(contentType ?? '');
	if (!m) throw errors.badRequest('A $batch request needs Content-Type: multipart/mixed;boundary=<boundary>');
	return m[2].trim();
}

/** splits a multipart body (latin1 text, so bytes survive) into its parts */
function splitMultipart(text: string, boundary: string): string[] {
	const delim = `--${boundary}`;
	const parts: string[] = [];
	let pos = text.startsWith(delim) ? 0 : text.indexOf(`\n${delim}`);
	if (pos < 0) throw errors.badRequest(`The $batch body has no part delimited by '${delim}'`);
	if (pos > 0) pos += 1;
	for (;;) {
		const after = pos + delim.length;
		if (text.startsWith('--', after)) return parts; // closing delimiter
		const lineEnd = text.indexOf('\n', after);
		if (lineEnd < 0) throw errors.badRequest('The $batch body ends without a closing delimiter');
		const next = text.indexOf(`\n${delim}`, lineEnd);
		if (next < 0) throw errors.badRequest(`The $batch body has no closing delimiter '${delim}--'`);
		let content = text.slice(lineEnd + 1, next);
		if (content.endsWith('\r')) content = content.slice(0, -1);
		parts.push(content);
		pos = next + 1;
	}
}

/** "headers CRLF CRLF body" → [headers (lower-case names), body] */
function splitHead(text: string): [Record<string, string>, string] {
	const m = /\r?\n\r?\n/.exec(text);
	const head = m ? text.slice(0, m.index) : text;
	const body = m ? text.slice(m.index + m[0].length) : '';
	const headers: Record<string, string> = {};
	for (const line of head.split(/\r?\n/)) {
		const c = line.indexOf(':');
		if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
	}
	return [headers, body];
}

function parseHttpPart(content: string, mime: Record<string, string>, version: string): InnerRequest {
	const nl = content.search(/\r?\n/);
	const requestLine = (nl < 0 ? content : content.slice(0, nl)).trim();
	const rest = nl < 0 ? '' : content.slice(content.indexOf('\n', nl) + 1);
	const m = /^([A-Z]+)\s+(\S+)(?:\s+HTTP\/\d\.\d)?$/.exec(requestLine);
	if (!m) throw errors.badRequest(`Invalid request line in a $batch part: '${requestLine}'`);
	let url = m[2].replace(/^https?:\/\/[^/]+/i, '');
	const prefix = `/b1s/${version}/`;
	if (url.startsWith('/b1s/')) {
		if (!url.startsWith(prefix)) throw errors.badRequest(`A $batch part addresses another service version: ${m[2]}`);
		url = url.slice(prefix.length - 1);
	} else if (!url.startsWith('/')) url = `/${url}`;
	const q = url.indexOf('?');
	const headers: Record<string, string> = {};
	let i = 0;
	while (i < rest.length) {
		const e = rest.indexOf('\n', i);
		const line = (e < 0 ? rest.slice(i) : rest.slice(i, e)).replace(/\r$/, '');
		i = e < 0 ? rest.length : e + 1;
		if (line === '') break;
		const c = line.indexOf(':');
		if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
	}
	let bodyText = rest.slice(i);
	if (bodyText.endsWith('\r\n')) bodyText = bodyText.slice(0, -2);
	else if (bodyText.endsWith('\n')) bodyText = bodyText.slice(0, -1);
	return {
		method: m[1],
		path: q < 0 ? url : url.slice(0, q),
		search: q < 0 ? '' : url.slice(q + 1),
		headers,
		body: Buffer.from(bodyText, 'latin1'),
		...(mime['content-id'] ? { contentId: mime['content-id'] } : {}),
	};
}

export function parseBatch(body: Buffer, contentType: string | undefined, version: string): Part[] {
	const boundary = boundaryOf(contentType);
	const out: Part[] = [];
	for (const raw of splitMultipart(body.toString('latin1'), boundary)) {
		const [mime, content] = splitHead(raw);
		const type = mime['content-type'] ?? '';
		if (/^multipart\/mixed/i.test(type)) {
			const inner = boundaryOf(type);
			const reqs = splitMultipart(content, inner).map((p) => {
				const [m2, c2] = splitHead(p);
				if (!/^application\/http/i.test(m2['content-type'] ?? ''))
					throw errors.badRequest('Every change set part needs Content-Type: application/http');
				return parseHttpPart(c2, m2, version);
			});
			out.push({ kind: 'changeset', reqs });
		} else if (/^application\/http/i.test(type))
			out.push({ kind: 'request', req: parseHttpPart(content, mime, version) });
		else throw errors.badRequest(`Unsupported $batch part Content-Type '${type}'`);
	}
	if (!out.length) throw errors.badRequest('The $batch request has no parts');
	return out;
}

function httpPart(reply: InnerReply, contentId?: string): string {
	const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
	if (contentId) lines.push(`Content-ID: ${contentId}`);
	lines.push('', `HTTP/1.1 ${reply.status} ${http.STATUS_CODES[reply.status] ?? ''}`.trimEnd());
	const payload = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
	for (const [k, v] of Object.entries(reply.headers)) lines.push(`${k}: ${v}`);
	if (payload) lines.push(`Content-Length: ${Buffer.byteLength(payload)}`);
	lines.push('', payload);
	return lines.join('\r\n');
}

/** the change set failed: this error is its only answer */
class ChangeSetFailed extends Error {
	constructor(
		readonly reply: InnerReply,
		readonly contentId?: string,
	) {
		super('change set failed');
	}
}

/**
 * Runs the parts in order. `exec` answers one request (errors already turned into error replies);
 * `transaction` runs a change set atomically (rolls back when its callback throws).
 */
export function runBatch(
	parts: Part[],
	exec: (r: InnerRequest) => InnerReply,
	transaction: <T>(fn: () => T) => T,
	errorReply: (status: number, code: number, message: string) => InnerReply,
): { boundary: string; body: Buffer; answered: number } {
	const boundary = `batchresponse_${randomUUID()}`;
	const out: string[] = [];
	let answered = 0;
	for (const part of parts) {
		if (part.kind === 'request') {
			const reply = exec({ ...part.req, headers: part.req.headers });
			out.push(httpPart(reply, part.req.contentId));
			answered++;
			if (reply.status >= 400) break;
			continue;
		}
		const get = part.reqs.find((r) => r.method === 'GET');
		if (get) {
			out.push(httpPart(errorReply(400, -1000, 'GET requests are not allowed in a change set'), get.contentId));
			answered++;
			break;
		}
		try {
			const replies = transaction(() =>
				part.reqs.map((r) => {
					const reply = exec(r);
					if (reply.status >= 400) throw new ChangeSetFailed(reply, r.contentId);
					return { reply, contentId: r.contentId };
				}),
			);
			const cs = `changesetresponse_${randomUUID()}`;
			const inner = replies.map((x) => `--${cs}\r\n${httpPart(x.reply, x.contentId)}`).join('\r\n');
			out.push(`Content-Type: multipart/mixed;boundary=${cs}\r\n\r\n${inner}\r\n--${cs}--`);
			answered += replies.length;
		} catch (err) {
			if (!(err instanceof ChangeSetFailed)) throw err;
			out.push(httpPart(err.reply, err.contentId));
			answered++;
			break;
		}
	}
	const body = out.map((p) => `--${boundary}\r\n${p}\r\n`).join('') + `--${boundary}--\r\n`;
	return { boundary, body: Buffer.from(body, 'utf8'), answered };
}
