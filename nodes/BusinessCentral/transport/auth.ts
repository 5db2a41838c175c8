/**
 * Business Central sign-in, shared by the two credentials and the node: where each kind of installation keeps its
 * API, and the Microsoft Entra token of the SaaS credential (client credentials grant, research erp-facts-wave2 §1
 * [S3]: `POST {login host}/{tenant}/oauth2/v2.0/token`, scope `https://api.businesscentral.dynamics.com/.default`).
 *
 * The client secret travels only in the token request's form body, to the login host, never after a redirect; an
 * error names the tenant, the client ID and Entra's own code and text (AADSTS…), and the secret is cut out of any
 * text that came back, should a server ever echo it.
 */
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';
import { extractErrorBody } from '../../shared/transport/errors';

export const BC_SCOPE = 'https://api.businesscentral.dynamics.com/.default';
export const DEFAULT_API_HOST = 'https://api.businesscentral.dynamics.com';
export const DEFAULT_LOGIN_HOST = 'https://login.microsoftonline.com';

/** An http(s) address without trailing slashes; the field's name in the error when it is none. */
export function hostOf(value: unknown, fallback: string, field: string): string {
	const text =
		String(value ?? '')
			.trim()
			.replace(/\/+$/, '') || fallback;
	if (!/^https?:\/\/[^\s/]+/i.test(text)) throw new Error(`${field} must start with https:// (got "${text}")`);
	return text;
}

const text = (v: unknown) => String(v ?? '').trim();

/** `{API Host}/v2.0/{tenant}/{environment}`: the API (`/api/v2.0`), custom APIs and OData V4 pages are under it. */
export function saasRoot(credentials: ICredentialDataDecryptedObject): string {
	const host = hostOf(credentials.apiHost, DEFAULT_API_HOST, 'API Host');
	return `${host}/v2.0/${encodeURIComponent(text(credentials.tenantId))}/${encodeURIComponent(text(credentials.environment) || 'production')}`;
}

/** On-premises base, e.g. `https://bc.firma.pl:7048/BC230` (`/api/v2.0` and `/ODataV4` are under it). */
export function onPremRoot(credentials: ICredentialDataDecryptedObject): string {
	return hostOf(credentials.baseUrl, '', 'Base URL')
		.replace(/\/api\/v2\.0$/i, '')
		.replace(/\/ODataV4$/i, '');
}

/** What a stored token belongs to (nodes/shared/transport/sessionBinding.ts): a changed secret or tenant gets a new one. */
export function tokenFields(credentials: ICredentialDataDecryptedObject): unknown[] {
	return [
		hostOf(credentials.loginHost, DEFAULT_LOGIN_HOST, 'Login Host'),
		text(credentials.tenantId),
		text(credentials.clientId),
		String(credentials.clientSecret ?? ''),
		hostOf(credentials.apiHost, DEFAULT_API_HOST, 'API Host'),
	];
}

/** `text` with every occurrence of the secret replaced (a server that echoes it must not put it into an error). */
export function withoutSecret(message: string, secret: unknown): string {
	const s = String(secret ?? '');
	return s.length >= 4 ? message.split(s).join('***') : message;
}

type HttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

/** Gets an access token for the credential (one request, no retry: a wrong secret must fail at once). */
export async function requestToken(
	httpRequest: HttpRequest,
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const tenant = text(credentials.tenantId);
	const clientId = text(credentials.clientId);
	const secret = String(credentials.clientSecret ?? '');
	if (!tenant) throw new Error('Tenant ID is empty: fill it in the Business Central credential');
	if (!clientId) throw new Error('Client ID is empty: fill it in the Business Central credential');
	if (!secret) throw new Error('Client Secret is empty: fill it in the Business Central credential');
	const login = hostOf(credentials.loginHost, DEFAULT_LOGIN_HOST, 'Login Host');
	const form = new URLSearchParams({
		grant_type: 'client_credentials',
		client_id: clientId,
		client_secret: secret,
		scope: BC_SCOPE,
	}).toString();
	let response: { statusCode: number; body: unknown } | undefined;
	let failure: unknown;
	try {
		response = (await httpRequest({
			method: 'POST',
			url: `${login}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`,
			body: form,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// the body carries the secret: never re-sent to whatever host a redirect names
			disableFollowRedirect: true,
			timeout: 60_000,
		})) as { statusCode: number; body: unknown };
	} catch (error) {
		failure = error;
	}
	if (!response) {
		// rebuilt from the code only: the original error carries the request, form body (the secret) included
		const code = (failure as { code?: string } | undefined)?.code;
		throw new Error(
			withoutSecret(
				`Microsoft Entra login for tenant "${tenant}" did not answer (${code ?? (failure as Error | undefined)?.message ?? 'no answer'}): check Login Host`,
				secret,
			),
		);
	}
	let body = response.body;
	if (typeof body === 'string') {
		try {
			body = JSON.parse(body);
		} catch {
			// a text answer: shown as it is (without the secret) below
		}
	}
	const token = (body as { access_token?: unknown } | undefined)?.access_token;
	if (response.statusCode === 200 && typeof token === 'string' && token) return token;
	const b = (body ?? {}) as { error?: unknown; error_description?: unknown };
	const code = typeof b.error === 'string' ? b.error : undefined;
	const description =
		typeof b.error_description === 'string' ? b.error_description : extractErrorBody(response.body)?.message;
	const hint =
		code === 'invalid_client' || code === 'unauthorized_client'
			? ' — check Client ID and Client Secret (an expired secret is renewed in the Entra app, Certificates & secrets)'
			: code === 'invalid_request' || response.statusCode === 400
				? ' — check Tenant ID'
				: '';
	const head = `Microsoft Entra login for tenant "${tenant}", client "${clientId}" failed (HTTP ${response.statusCode}${code ? `, ${code}` : ''})`;
	throw new Error(
		withoutSecret(
			`${head}: ${description?.split(/\r?\n/)[0] ?? (response.statusCode === 200 ? 'no access_token in the answer' : 'no message')}${hint}`,
			secret,
		),
	);
}
