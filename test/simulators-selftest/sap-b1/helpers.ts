/**
 * HTTP helpers for the SAP B1 simulator self-tests: real requests with global fetch to 127.0.0.1.
 */
import type { SapSimulator } from '../../simulators/sap-b1/server';

export interface Answer {
	status: number;
	headers: Headers;
	raw: Buffer;
	text: string;
	json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function toAnswer(res: Response): Promise<Answer> {
	const raw = Buffer.from(await res.arrayBuffer());
	const text = raw.toString('utf8');
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, raw, text, json };
}

export interface Call {
	body?: unknown;
	headers?: Record<string, string>;
	cookie?: string;
	version?: 'v1' | 'v2';
}

/** a request to the Service Layer: path after /b1s/vN (e.g. "/Items?$top=3") or an absolute URL */
export async function sl(sim: SapSimulator, method: string, path: string, c: Call = {}): Promise<Answer> {
	const headers: Record<string, string> = { ...(c.headers ?? {}) };
	if (c.cookie) headers.Cookie = c.cookie;
	let body: string | undefined;
	if (typeof c.body === 'string') body = c.body;
	else if (c.body !== undefined) {
		body = JSON.stringify(c.body);
		headers['Content-Type'] ??= 'application/json';
	}
	const base = c.version === 'v2' ? sim.urlV2 : sim.url;
	return toAnswer(await fetch(path.startsWith('http') ? path : base + path, { method, headers, body }));
}

export const LOGIN = { CompanyDB: 'SBODEMOPL', UserName: 'manager', Password: '1234' };

/** logs in and returns the Cookie header value "B1SESSION=…; ROUTEID=…" built from the raw Set-Cookie */
export async function login(sim: SapSimulator, version: 'v1' | 'v2' = 'v1'): Promise<string> {
	const res = await fetch(`${version === 'v2' ? sim.urlV2 : sim.url}/Login`, {
		method: 'POST',
		body: JSON.stringify({ ...LOGIN, CompanyDB: sim.companyDb }),
	});
	if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
	await res.arrayBuffer();
	return cookieFrom(res.headers.getSetCookie());
}

/** parses the Set-Cookie lines by hand (B1SESSION has no Path and a trailing ';') */
export function cookieFrom(setCookies: string[]): string {
	const pairs = setCookies.map((c) => c.split(';')[0].trim());
	return pairs.join('; ');
}

/** follows nextLinks (relative to the service root) and returns every row */
export async function readAll(
	sim: SapSimulator,
	path: string,
	cookie: string,
	c: Call = {},
): Promise<{ rows: any[]; pages: number; links: string[] }> {
	const rows: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
	const links: string[] = [];
	const root = `${c.version === 'v2' ? sim.urlV2 : sim.url}/`;
	let url: string | undefined = root + path.replace(/^\//, '');
	let pages = 0;
	while (url) {
		const a = await sl(sim, 'GET', url, { ...c, cookie });
		if (a.status !== 200) throw new Error(`${url}: ${a.status} ${a.text}`);
		rows.push(...a.json.value);
		pages++;
		const next: string | undefined = a.json['odata.nextLink'] ?? a.json['@odata.nextLink'];
		if (next) links.push(next);
		url = next ? new URL(next, root).href : undefined;
		if (pages > 10_000) throw new Error('too many pages');
	}
	return { rows, pages, links };
}

export const enc = encodeURIComponent;
