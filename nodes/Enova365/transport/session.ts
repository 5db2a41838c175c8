/**
 * enova365 WebAPI base URL and login, shared by the credential and the node (docs/enova365-webapi-contract.md,
 * "Transport and sessions"). Dynamic WebAPI: `POST <base>/api/LoginApi` with the app token as Bearer and no body
 * answers `{"Token": "<session JWT>"}` (exp = iat + 300 s, erp-facts-enova-optima §1 [S6][S8]); the session token
 * is the Bearer of every business call. MethodInvoker: no session, database, operator and password travel in
 * every body (added by the credential's `authenticate`, so no node code ever holds them).
 */
import { isUnderBase } from '../../shared/transport/url';

export const LOGIN_PATH = '/api/LoginApi';
export const LOGOUT_PATH = '/api/LogoutApi';
export const INVOKER_PATH = '/api/MethodInvoker/InvokeServiceMethod';
/** what the hidden session field holds in MethodInvoker mode: there is no session, only a marker that "logged in" */
export const NO_SESSION = 'methodInvoker';

export type EnovaMode = 'dynamic' | 'methodInvoker';

/** The WebAPI base URL without a trailing slash or `/api` (both are common in what admins paste). */
export function enovaBase(url: unknown): string {
	const text = String(url ?? '')
		.trim()
		.replace(/\/+$/, '')
		.replace(/\/api$/i, '');
	if (!/^https?:\/\//i.test(text)) throw new Error('the enova365 WebAPI URL must start with https:// (or http://)');
	return text;
}

/** Whether a request goes to the enova365 WebAPI (resolved URL, same origin, path under the base). */
export function isUnderEnova(options: { baseURL?: string; url: string }, base: string): boolean {
	return isUnderBase(options, base);
}

/** The path a request will be sent to (resolved), or '' when it cannot be resolved. */
export function resolvedPath(options: { baseURL?: string; url: string }): string {
	try {
		return new URL(`${options.baseURL ?? ''}${options.url}`).pathname;
	} catch {
		return '';
	}
}

export function modeOf(credentials: { mode?: unknown }): EnovaMode {
	return credentials.mode === 'methodInvoker' ? 'methodInvoker' : 'dynamic';
}

/** The "Session Expired Status" setting: the status enova answers for an expired session token (UNVERIFIED: 401). */
export function expiredStatusOf(credentials: { sessionExpiredStatus?: unknown }): number {
	const n = Number(credentials.sessionExpiredStatus);
	return Number.isInteger(n) && n >= 400 && n < 600 ? n : 401;
}

/** The session token of a LoginApi answer (`{"Token": "…"}`), or undefined. */
export function tokenOf(body: unknown): string | undefined {
	let b = body;
	if (typeof b === 'string') {
		try {
			b = JSON.parse(b);
		} catch {
			return undefined;
		}
	}
	if (!b || typeof b !== 'object') return undefined;
	const token = (b as Record<string, unknown>).Token ?? (b as Record<string, unknown>).token;
	return typeof token === 'string' && token.trim() ? token.trim() : undefined;
}
