/**
 * The Microsoft Entra token endpoint as a service-to-service BC app meets it (research §1, S3):
 *   POST {loginHost}/{tenant}/oauth2/v2.0/token   (application/x-www-form-urlencoded)
 *   grant_type=client_credentials&client_id=…&client_secret=…&scope=https://api.businesscentral.dynamics.com/.default
 *   → 200 {"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"eyJ…"}
 * and Entra's error shape {"error","error_description":"AADSTSnnnn: …\r\nTrace ID: …","error_codes":[n],…}:
 *   unknown tenant → 400 invalid_request AADSTS90002; grant_type not client_credentials → 400 unsupported_grant_type
 *   AADSTS70003; unknown client_id → 400 unauthorized_client AADSTS700016; wrong secret → 401 invalid_client
 *   AADSTS7000215; a scope other than BC's → 400 invalid_scope AADSTS1002012.
 * Tokens expire by the simulated clock; the API answers an unknown, expired or other tenant's token with 401
 * Authentication_InvalidCredentials. The issued count lets tests check that a node caches its token.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { SimClock } from '../common/clock';

export interface TokenOptions {
	clock: SimClock;
	tenant: string;
	tenantDomain: string;
	clientId: string;
	clientSecret: string;
	lifetimeSeconds: number;
	scopes: string[];
}

export interface IssuedToken {
	tenant: string;
	clientId: string;
	/** epoch ms (simulated clock) */
	expiresAt: number;
}

const b64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');

export class Tokens {
	private readonly live = new Map<string, IssuedToken>();
	/** access tokens handed out since start (or reset) */
	issued = 0;
	/** requests to the token endpoint, good or bad */
	requests = 0;

	constructor(private readonly o: TokenOptions) {}

	clear(): void {
		this.live.clear();
		this.issued = 0;
		this.requests = 0;
	}

	/** the tenant segment of a URL names this tenant (its id or its domain, any case) */
	isTenant(t: string | undefined): boolean {
		if (t === undefined) return true;
		const x = t.toLowerCase();
		return x === this.o.tenant || x === this.o.tenantDomain;
	}

	/** ends every token now (as if they expired) */
	expireAll(): void {
		for (const t of this.live.values()) t.expiresAt = 0;
	}

	private aadError(status: number, error: string, code: number, text: string) {
		const trace = randomUUID();
		const correlation = randomUUID();
		const timestamp = new Date(this.o.clock.now())
			.toISOString()
			.replace('T', ' ')
			.replace(/\.\d+Z$/, 'Z');
		return {
			status,
			json: {
				error,
				error_description: `AADSTS${code}: ${text} Trace ID: ${trace} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
				error_codes: [code],
				timestamp,
				trace_id: trace,
				correlation_id: correlation,
				error_uri: `https://login.microsoftonline.com/error?code=${code}`,
			},
		};
	}

	/** POST /{tenant}/oauth2/v2.0/token (path after /login) */
	handle(
		method: string,
		path: string,
		contentType: string | undefined,
		body: Buffer,
	): { status: number; json: unknown } {
		this.requests++;
		const m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
		if (!m)
			return this.aadError(
				404,
				'invalid_request',
				900561,
				'The endpoint only accepts POST requests to /{tenant}/oauth2/v2.0/token.',
			);
		if (method !== 'POST')
			return this.aadError(
				405,
				'invalid_request',
				900561,
				'The endpoint only accepts POST, OPTIONS requests. Received a GET request.',
			);
		const tenant = decodeURIComponent(m[1]);
		if (!this.isTenant(tenant))
			return this.aadError(
				400,
				'invalid_request',
				90002,
				`Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
			);
		if (!/application\/x-www-form-urlencoded/i.test(contentType ?? ''))
			return this.aadError(
				400,
				'invalid_request',
				900144,
				"The request body must contain the following parameter: 'grant_type'.",
			);
		const form = new URLSearchParams(body.toString('utf8'));
		const grant = form.get('grant_type');
		if (!grant)
			return this.aadError(
				400,
				'invalid_request',
				900144,
				"The request body must contain the following parameter: 'grant_type'.",
			);
		if (grant !== 'client_credentials')
			return this.aadError(
				400,
				'unsupported_grant_type',
				70003,
				`The app requested an unsupported grant type '${grant}'.`,
			);
		const clientId = form.get('client_id') ?? '';
		if (!clientId)
			return this.aadError(
				400,
				'invalid_request',
				900144,
				"The request body must contain the following parameter: 'client_id'.",
			);
		if (clientId.toLowerCase() !== this.o.clientId.toLowerCase())
			return this.aadError(
				400,
				'unauthorized_client',
				700016,
				`Application with identifier '${clientId}' was not found in the directory '${this.o.tenantDomain}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
			);
		const scope = form.get('scope') ?? '';
		if (!this.o.scopes.includes(scope))
			return this.aadError(
				400,
				'invalid_scope',
				1002012,
				`The provided value for scope ${scope || '(none)'} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
			);
		if (form.get('client_secret') !== this.o.clientSecret)
			return this.aadError(
				401,
				'invalid_client',
				7000215,
				`Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${this.o.clientId}'.`,
			);
		const now = this.o.clock.now();
		const exp = now + this.o.lifetimeSeconds * 1000;
		const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: 'bc-sim' }));
		const claims = b64url(
			JSON.stringify({
				aud: 'https://api.businesscentral.dynamics.com',
				iss: `https://sts.windows.net/${this.o.tenant}/`,
				iat: Math.floor(now / 1000),
				nbf: Math.floor(now / 1000),
				exp: Math.floor(exp / 1000),
				appid: this.o.clientId,
				tid: this.o.tenant,
				roles: ['API.ReadWrite.All', 'Automation.ReadWrite.All'],
				uti: randomUUID(),
			}),
		);
		const token = `${header}.${claims}.${b64url(randomBytes(48))}`;
		this.live.set(token, { tenant: this.o.tenant, clientId: this.o.clientId, expiresAt: exp });
		this.issued++;
		return {
			status: 200,
			json: {
				token_type: 'Bearer',
				expires_in: this.o.lifetimeSeconds,
				ext_expires_in: this.o.lifetimeSeconds,
				access_token: token,
			},
		};
	}

	/** the Authorization header of an API call: a live token of this tenant */
	check(
		authorization: string | undefined,
		urlTenant: string | undefined,
	): { ok: true; token: IssuedToken } | { ok: false; reason: string } {
		const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
		if (!m) return { ok: false, reason: 'missing' };
		const t = this.live.get(m[1]);
		if (!t) return { ok: false, reason: 'unknown' };
		if (t.expiresAt <= this.o.clock.now()) return { ok: false, reason: 'expired' };
		if (!this.isTenant(urlTenant)) return { ok: false, reason: 'tenant' };
		return { ok: true, token: t };
	}

	/** WWW-Authenticate of a 401 on the SaaS API */
	challenge(): Record<string, string> {
		return {
			'WWW-Authenticate': `Bearer authorization_uri="https://login.microsoftonline.com/${this.o.tenant}/oauth2/authorize", resource_id="https://api.businesscentral.dynamics.com"`,
		};
	}
}
