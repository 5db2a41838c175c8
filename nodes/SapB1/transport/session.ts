/**
 * SAP Business One Service Layer session handling, shared by the credential (login) and the node
 * (requests). Login is `POST <base>/Login` (exact case) with {CompanyDB, UserName, Password}; the session
 * travels in the cookies B1SESSION and ROUTEID. SL sends `B1SESSION=<guid>;HttpOnly;` without a Path and
 * with a trailing ";", which some cookie jars drop — so Set-Cookie is parsed here by hand.
 */
import { isUnderBase } from '../../shared/transport/url';

/** Service Layer base URL ending in /b1s/v1 or /b1s/v2 (without a trailing slash). */
export function serviceLayerBase(url: unknown): string {
	const text = String(url ?? '')
		.trim()
		.replace(/\/+$/, '');
	if (!/^https?:\/\//i.test(text)) throw new Error('the Service Layer URL must start with https:// (or http://)');
	if (/\/b1s\/v[12]$/i.test(text)) return text;
	if (/\/b1s$/i.test(text)) return `${text}/v1`;
	return `${text}/b1s/v1`;
}

/** Whether a request goes to the Service Layer itself (resolved URL, same origin, path under the base). */
export function isUnderServiceLayer(options: { baseURL?: string; url: string }, base: string): boolean {
	return isUnderBase(options, base);
}

export function isV2(base: string): boolean {
	return /\/b1s\/v2$/i.test(base);
}

/** Cookie header value ("B1SESSION=…; ROUTEID=…") from the Set-Cookie header(s) of a login answer. */
export function sessionCookieFromSetCookie(setCookie: string | string[] | undefined): string | undefined {
	const lines = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
	const jar = new Map<string, string>();
	for (const line of lines) {
		// one header line may also carry several cookies joined by ", " (some proxies fold them)
		for (const part of line.split(/,(?=\s*[A-Za-z0-9_]+=)/)) {
			const first = part.split(';')[0].trim();
			const eq = first.indexOf('=');
			if (eq < 1) continue;
			const name = first.slice(0, eq).trim();
			if (name === 'B1SESSION' || name === 'ROUTEID') jar.set(name, first.slice(eq + 1).trim());
		}
	}
	if (!jar.get('B1SESSION')) return undefined;
	return [...jar.entries()].map(([k, v]) => `${k}=${v}`).join('; ');
}
