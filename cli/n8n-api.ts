/**
 * A small client of n8n's public REST API (/api/v1, header X-N8N-API-KEY). Errors name the URL and the call, never
 * the key: it is kept in a closure and never appears in a message.
 */
import { SetupRefused } from './template-set';

export interface ApiWorkflow {
	id: string;
	name: string;
	active: boolean;
	activeVersionId?: string | null;
	versionId?: string;
	updatedAt: string;
	nodes: Array<Record<string, any>>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	tags?: Array<{ id: string; name: string }>;
}

/** n8n's own credential type for its public API (n8n-nodes-base: apiKey, baseUrl ending in /api/v1). */
export const N8N_API_CREDENTIAL_TYPE = 'n8nApi';

export interface N8nApi {
	baseUrl: string;
	call<T = Record<string, any>>(
		method: string,
		apiPath: string,
		body?: unknown,
	): Promise<{ status: number; body: T; text: string }>;
	list<T = Record<string, unknown>>(apiPath: string, query?: Record<string, string>): Promise<T[]>;
}

export function n8nApi(url: string, apiKey: string): N8nApi {
	const baseUrl = url.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
	try {
		new URL(baseUrl);
	} catch {
		throw new SetupRefused(`--url ${url} is not a URL (e.g. http://localhost:5678)`);
	}
	// an HTTP header carries printable ASCII only: anything else is a copy-paste slip, not a key
	if (/[^\x21-\x7e]/.test(apiKey))
		throw new SetupRefused(
			'the API key has spaces or characters no n8n API key has: copy it again from n8n (Settings → n8n API)',
		);
	const call = async (method: string, apiPath: string, body?: unknown) => {
		let res: Response;
		try {
			res = await fetch(`${baseUrl}/api/v1${apiPath}`, {
				method,
				headers: {
					'X-N8N-API-KEY': apiKey,
					accept: 'application/json',
					...(body === undefined ? {} : { 'content-type': 'application/json' }),
				},
				body: body === undefined ? undefined : JSON.stringify(body),
				signal: AbortSignal.timeout(60_000),
			});
		} catch (error) {
			const cause = (error as { cause?: { code?: string; message?: string } }).cause;
			const code = cause?.code ?? (error as Error).name;
			const why =
				code === 'ECONNREFUSED'
					? 'connection refused (is n8n running, on this port?)'
					: code === 'ENOTFOUND'
						? 'host not found'
						: code === 'TimeoutError'
							? 'no answer within 60 s'
							: `${cause?.code ?? cause?.message ?? code}`;
			throw new SetupRefused(`cannot reach n8n at ${baseUrl}: ${why}`);
		}
		const text = await res.text();
		let parsed: any = text;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			/* not JSON: keep the text */
		}
		if (res.status === 401)
			throw new SetupRefused(
				`n8n at ${baseUrl} refused the API key (401): create one in n8n under Settings → n8n API and pass it with --api-key or N8N_API_KEY`,
			);
		if (res.status === 404 && apiPath === '/workflows?limit=1')
			throw new SetupRefused(`${baseUrl} does not answer n8n's public API (/api/v1): is this n8n's address?`);
		return { status: res.status, body: parsed, text };
	};
	return { baseUrl, call, list: pagedList(call) };
}

/** GET of a list endpoint, every page (n8n's cursor paging, 250 a page), for any client's `call`. */
export function pagedList(call: N8nApi['call']): N8nApi['list'] {
	return async (apiPath: string, query: Record<string, string> = {}) => {
		const out: any[] = [];
		let cursor: string | undefined;
		do {
			const q = new URLSearchParams({ ...query, limit: '250' });
			if (cursor) q.set('cursor', cursor);
			const r = await call('GET', `${apiPath}?${q.toString()}`);
			if (r.status !== 200) throw new Error(`GET /api/v1${apiPath}: ${r.status} ${errorText(r.body, r.text)}`);
			out.push(...(r.body.data ?? []));
			cursor = r.body.nextCursor ?? undefined;
		} while (cursor);
		return out;
	};
}

/** n8n's error message in an API answer. */
export function errorText(body: any, text: string): string {
	return typeof body === 'object' && body !== null && typeof body.message === 'string'
		? body.message
		: text.slice(0, 300);
}
