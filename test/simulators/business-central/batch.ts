/**
 * JSON $batch as BC takes it (research §1, S19/S12): POST {root}/$batch with
 *   {"requests":[{"id":"1","method":"PATCH","url":"companies(…)/items(…)","headers":{"If-Match":"*"},"body":{…}}]}
 * → 200 {"responses":[{"id":"1","status":200,"headers":{…},"body":{…}}]}. At most 100 operations (more → 400).
 * Every operation runs through the server's router (so the orders module's routes are in reach too), one after the
 * other. Without `Isolation: snapshot` each operation stands alone; with it the batch is one transaction: the first
 * failing operation reverts every change made before it, and the operations after it are not run (answered
 * 424 — how BC words the skipped ones is unverified).
 */
import type http from 'node:http';
import { BcError, errors, type BcContext } from './core';
import type { BcState } from './state';

/** a response that is captured instead of sent: $batch operations, and answers held for afterWrite faults */
export class CapturedResponse {
	statusCode = 200;
	headers: Record<string, string> = {};
	body = Buffer.alloc(0);
	headersSent = false;
	writableEnded = false;

	writeHead(status: number, headers: Record<string, string | number | string[]> = {}): this {
		this.statusCode = status;
		for (const [k, v] of Object.entries(headers)) this.headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
		this.headersSent = true;
		return this;
	}

	setHeader(k: string, v: string | number | string[]): this {
		this.headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
		return this;
	}

	getHeader(k: string): string | undefined {
		const key = Object.keys(this.headers).find((h) => h.toLowerCase() === k.toLowerCase());
		return key === undefined ? undefined : this.headers[key];
	}

	end(chunk?: Buffer | string): this {
		if (chunk !== undefined) this.body = Buffer.concat([this.body, Buffer.from(chunk)]);
		this.headersSent = true;
		this.writableEnded = true;
		return this;
	}

	asServerResponse(): http.ServerResponse {
		return this as unknown as http.ServerResponse;
	}

	/** writes the captured answer to a real response */
	flush(res: http.ServerResponse): void {
		res.writeHead(this.statusCode, { ...this.headers, 'Content-Length': String(this.body.length) });
		res.end(this.body);
	}
}

export interface BatchOperation {
	id: string;
	method: string;
	/** path after the API root, still encoded */
	path: string;
	search: string;
	headers: Record<string, string>;
	body: unknown;
}

export interface BatchDeps {
	state: BcState;
	ctx: BcContext;
	maxOperations: number;
	/** the Isolation (or OData-Isolation) header of the $batch request */
	isolation: string;
	/** the API root the $batch was posted to (absolute operation URLs are cut down to it) */
	root: string;
	run(op: BatchOperation, req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;
	onCrash(message: string): void;
}

/** parses the $batch body into operations (400 on anything malformed) */
export function parseOperations(body: unknown, root: string, max: number): BatchOperation[] {
	if (!body || typeof body !== 'object' || !Array.isArray((body as { requests?: unknown }).requests))
		throw errors.badRequest('The batch request body must be a JSON object with a "requests" array.');
	const list = (body as { requests: unknown[] }).requests;
	if (list.length > max)
		throw errors.badRequest(
			`The number of operations in the batch request (${list.length}) exceeds the maximum of ${max}.`,
		);
	const ids = new Set<string>();
	return list.map((raw, n) => {
		if (!raw || typeof raw !== 'object') throw errors.badRequest(`Batch operation ${n + 1} is not a JSON object.`);
		const r = raw as Record<string, unknown>;
		const id = r.id === undefined ? '' : String(r.id);
		if (!id) throw errors.badRequest(`Batch operation ${n + 1} has no "id".`);
		if (ids.has(id)) throw errors.badRequest(`Batch operation id '${id}' is used twice.`);
		ids.add(id);
		const method = String(r.method ?? '').toUpperCase();
		if (!['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].includes(method))
			throw errors.badRequest(`Batch operation '${id}': method '${String(r.method ?? '')}' is not supported.`);
		let url = String(r.url ?? '');
		if (!url) throw errors.badRequest(`Batch operation '${id}' has no "url".`);
		if (/^https?:\/\//i.test(url)) {
			if (!url.startsWith(root + '/'))
				throw errors.badRequest(`Batch operation '${id}': url '${url}' is not under ${root}.`);
			url = url.slice(root.length);
		}
		if (!url.startsWith('/')) url = `/${url}`;
		const q = url.indexOf('?');
		const headers: Record<string, string> = {};
		if (r.headers && typeof r.headers === 'object')
			for (const [k, v] of Object.entries(r.headers as Record<string, unknown>)) headers[k.toLowerCase()] = String(v);
		return {
			id,
			method,
			path: q < 0 ? url : url.slice(0, q),
			search: q < 0 ? '' : url.slice(q + 1),
			headers,
			body: r.body,
		};
	});
}

export interface BatchResult {
	operations: number;
	body: { responses: Array<{ id: string; status: number; headers: Record<string, string>; body?: unknown }> };
}

export async function runBatch(deps: BatchDeps, body: unknown): Promise<BatchResult> {
	const ops = parseOperations(body, deps.root, deps.maxOperations);
	const atomic = /^\s*snapshot\s*$/i.test(deps.isolation);
	const responses: BatchResult['body']['responses'] = [];
	let ran = 0;
	const runOne = async (op: BatchOperation) => {
		ran++;
		const res = new CapturedResponse();
		const req = {
			method: op.method,
			url: op.path + (op.search ? `?${op.search}` : ''),
			headers: op.headers,
		} as unknown as http.IncomingMessage;
		try {
			await deps.run(op, req, res.asServerResponse());
		} catch (err) {
			if (err instanceof BcError)
				deps.ctx.sendError(res.asServerResponse(), err.status, err.code, err.message, err.headers);
			else {
				deps.onCrash(`$batch operation ${op.id} ${op.method} ${op.path}: ${String((err as Error)?.stack ?? err)}`);
				deps.ctx.sendError(
					res.asServerResponse(),
					500,
					'Internal_ServerError',
					`simulator error: ${String((err as Error)?.message ?? err)}`,
				);
			}
		}
		const headers: Record<string, string> = {};
		for (const [k, v] of Object.entries(res.headers))
			if (k.toLowerCase() !== 'content-length') headers[k.toLowerCase()] = v;
		const text = res.body.toString('utf8');
		let parsed: unknown;
		if (text) {
			try {
				parsed = JSON.parse(text);
			} catch {
				parsed = text;
			}
		}
		responses.push({ id: op.id, status: res.statusCode, headers, ...(parsed !== undefined ? { body: parsed } : {}) });
		return res.statusCode;
	};
	if (atomic) {
		await deps.state.transactionAsync(
			async () => {
				for (let n = 0; n < ops.length; n++) {
					const status = await runOne(ops[n]);
					if (status >= 400) {
						for (const skipped of ops.slice(n + 1))
							responses.push({
								id: skipped.id,
								status: 424,
								headers: { 'content-type': 'application/json' },
								body: {
									error: {
										code: 'BadRequest_FailedDependency',
										message: `Not run: operation '${ops[n].id}' of this transactional batch failed and its changes were reverted.`,
									},
								},
							});
						return false;
					}
				}
				return true;
			},
			(ok) => !ok,
		);
	} else for (const op of ops) await runOne(op);
	return { operations: ran, body: { responses } };
}
