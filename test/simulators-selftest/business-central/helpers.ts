/**
 * HTTP helpers for the Business Central simulator self-tests: real requests with global fetch to 127.0.0.1.
 */
import { BC_SCOPE, type BusinessCentralSimulator } from '../../simulators/business-central/server';

export interface Answer {
	status: number;
	headers: Headers;
	text: string;
	json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function toAnswer(res: Response): Promise<Answer> {
	const text = Buffer.from(await res.arrayBuffer()).toString('utf8');
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, text, json };
}

/** POST to the token endpoint with a form body; fields override the good ones (undefined leaves one out) */
export async function tokenRequest(
	sim: BusinessCentralSimulator,
	fields: Record<string, string | undefined> = {},
	tenant: string = sim.tenant,
): Promise<Answer> {
	const form = new URLSearchParams();
	const all: Record<string, string | undefined> = {
		grant_type: 'client_credentials',
		client_id: sim.clientId,
		client_secret: sim.clientSecret,
		scope: BC_SCOPE,
		...fields,
	};
	for (const [k, v] of Object.entries(all)) if (v !== undefined) form.set(k, v);
	return toAnswer(
		await fetch(`${sim.loginHost}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`, { method: 'POST', body: form }),
	);
}

export async function token(sim: BusinessCentralSimulator): Promise<string> {
	const a = await tokenRequest(sim);
	if (a.status !== 200) throw new Error(`token: ${a.status} ${a.text}`);
	return a.json.access_token as string;
}

export interface Call {
	token?: string;
	headers?: Record<string, string>;
	body?: unknown;
}

/** a request to an absolute URL, or to a path under sim.apiRoot */
export async function call(sim: BusinessCentralSimulator, method: string, url: string, c: Call = {}): Promise<Answer> {
	const headers: Record<string, string> = { ...(c.headers ?? {}) };
	if (c.token) headers.Authorization = `Bearer ${c.token}`;
	let body: string | undefined;
	if (c.body !== undefined) {
		body = typeof c.body === 'string' ? c.body : JSON.stringify(c.body);
		headers['Content-Type'] ??= 'application/json';
	}
	return toAnswer(await fetch(url.startsWith('http') ? url : sim.apiRoot + url, { method, headers, body }));
}

/** GET under the company: `${apiRoot}/companies(${id})${path}` */
export function companyPath(sim: BusinessCentralSimulator, path: string, companyId = sim.company.id): string {
	return `/companies(${companyId})${path}`;
}

export const basic = (user: string, key: string) => `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`;

/** BC's error body: {"error":{"code","message":"… CorrelationId:  <guid>."}} */
export function expectBcError(a: Answer, status: number, code: string, messagePart?: string | RegExp): void {
	expect({ status: a.status, code: a.json?.error?.code }).toEqual({ status, code });
	expect(a.json.error.message).toMatch(
		/CorrelationId:\s+[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.$/,
	);
	if (messagePart !== undefined) expect(a.json.error.message).toMatch(messagePart);
}
