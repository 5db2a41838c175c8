/**
 * The BC simulator's doors: the Entra token endpoint (form body, Entra's error shape, expiry on the simulated clock,
 * issued count), Bearer checks on the SaaS API (with and without the tenant segment, tenant id or domain), basic auth
 * on-prem, companies by id. Real HTTP on 127.0.0.1.
 */
import { startBusinessCentralSimulator, type BusinessCentralSimulator } from '../../simulators/business-central/server';
import { basic, call, companyPath, expectBcError, token, tokenRequest } from './helpers';

let sim: BusinessCentralSimulator;

beforeAll(async () => {
	sim = await startBusinessCentralSimulator({
		clock: { start: '2026-12-01T08:00:00Z', frozen: true },
		seed: { items: 12, customers: 6 },
	});
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('token endpoint', () => {
	test('client credentials in a form body give a Bearer token that lives 3599 s, counted', async () => {
		const a = await tokenRequest(sim);
		expect(a.status).toBe(200);
		expect(a.json).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
		expect(a.json.access_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
		const claims = JSON.parse(Buffer.from(a.json.access_token.split('.')[1], 'base64url').toString('utf8'));
		expect(claims).toMatchObject({
			tid: sim.tenant,
			appid: sim.clientId,
			aud: 'https://api.businesscentral.dynamics.com',
		});
		expect(claims.exp - claims.iat).toBe(3599);
		expect(sim.tokensIssued).toBe(1);
		await tokenRequest(sim);
		expect(sim.tokensIssued).toBe(2);
	});

	test('the tenant may be its domain', async () => {
		expect((await tokenRequest(sim, {}, sim.tenantDomain)).status).toBe(200);
	});

	test.each([
		['wrong secret', { client_secret: 'not-it' }, 401, 'invalid_client', 7000215],
		['unknown client id', { client_id: '11111111-2222-3333-4444-555555555555' }, 400, 'unauthorized_client', 700016],
		['other scope', { scope: 'https://graph.microsoft.com/.default' }, 400, 'invalid_scope', 1002012],
		['scope without /.default', { scope: 'https://api.businesscentral.dynamics.com' }, 400, 'invalid_scope', 1002012],
		['password grant', { grant_type: 'password' }, 400, 'unsupported_grant_type', 70003],
	])('%s → Entra error shape', async (_name, fields, status, error, code) => {
		const a = await tokenRequest(sim, fields);
		expect({ status: a.status, error: a.json.error, codes: a.json.error_codes }).toEqual({
			status,
			error,
			codes: [code],
		});
		expect(a.json.error_description).toMatch(
			new RegExp(`^AADSTS${code}: .+ Trace ID: [0-9a-f-]{36} Correlation ID: [0-9a-f-]{36}`),
		);
		expect(a.json.access_token).toBeUndefined();
		expect(sim.tokensIssued).toBe(0);
	});

	test('unknown tenant → 400 AADSTS90002; a JSON body is not a form', async () => {
		const a = await tokenRequest(sim, {}, 'nie-ma-takiego.onmicrosoft.com');
		expect(a.status).toBe(400);
		expect(a.json.error_description).toMatch(/^AADSTS90002: Tenant 'nie-ma-takiego.onmicrosoft.com' not found/);
		const j = await call(sim, 'POST', `${sim.loginHost}/${sim.tenant}/oauth2/v2.0/token`, {
			body: { grant_type: 'client_credentials', client_id: sim.clientId, client_secret: sim.clientSecret },
		});
		expect(j.status).toBe(400);
		expect(j.json.error).toBe('invalid_request');
		expect(sim.tokensIssued).toBe(0);
	});

	test('the secret is never echoed in an error', async () => {
		const a = await tokenRequest(sim, { client_secret: 'SEKRET-ktory-nie-pasuje' });
		expect(a.text).not.toContain('SEKRET-ktory-nie-pasuje');
		expect(a.text).not.toContain(sim.clientSecret);
	});
});

describe('Bearer on the SaaS API', () => {
	test('no token, an unknown one, an expired one → 401 Authentication_InvalidCredentials with a Bearer challenge', async () => {
		const none = await call(sim, 'GET', '/companies');
		expectBcError(none, 401, 'Authentication_InvalidCredentials');
		expect(none.headers.get('www-authenticate')).toMatch(
			/^Bearer authorization_uri="https:\/\/login\.microsoftonline\.com\//,
		);
		expectBcError(
			await call(sim, 'GET', '/companies', { token: 'eyJ.nie.ten' }),
			401,
			'Authentication_InvalidCredentials',
		);
		const t = await token(sim);
		expect((await call(sim, 'GET', '/companies', { token: t })).status).toBe(200);
		sim.clock.advance(3598_000);
		expect((await call(sim, 'GET', '/companies', { token: t })).status).toBe(200);
		sim.clock.advance(2_000);
		expectBcError(await call(sim, 'GET', '/companies', { token: t }), 401, 'Authentication_InvalidCredentials');
		// a new token works again
		expect((await call(sim, 'GET', '/companies', { token: await token(sim) })).status).toBe(200);
	});

	test('tokenLifetimeSeconds and tokens.expireAll()', async () => {
		const short = await startBusinessCentralSimulator({
			tokenLifetimeSeconds: 60,
			clock: { frozen: true },
			seed: { items: 1, customers: 1 },
		});
		try {
			const a = await tokenRequest(short);
			expect(a.json.expires_in).toBe(60);
			short.clock.advance(61_000);
			expect((await call(short, 'GET', '/companies', { token: a.json.access_token })).status).toBe(401);
			const b = await token(short);
			short.tokens.expireAll();
			expect((await call(short, 'GET', '/companies', { token: b })).status).toBe(401);
		} finally {
			await short.close();
		}
	});

	test('URLs with the tenant id, with its domain, and without a tenant all serve; another tenant or environment does not', async () => {
		const t = await token(sim);
		const paths = [
			`${sim.apiHost}/v2.0/${sim.tenant}/${sim.environment}/api/v2.0/companies`,
			`${sim.apiHost}/v2.0/${sim.tenantDomain}/${sim.environment}/api/v2.0/companies`,
			`${sim.apiHost}/v2.0/${sim.environment}/api/v2.0/companies`,
		];
		for (const p of paths) {
			const a = await call(sim, 'GET', p, { token: t });
			expect(a.status).toBe(200);
			expect(a.json.value.map((c: { name: string }) => c.name).sort()).toEqual([
				'Filia Kraków',
				'Hurtownia Żelazna Łódź Sp. z o.o.',
			]);
			expect(a.json['@odata.context']).toBe(`${p.replace(/\/companies$/, '')}/$metadata#companies`);
		}
		expectBcError(
			await call(
				sim,
				'GET',
				`${sim.apiHost}/v2.0/11111111-2222-3333-4444-555555555555/${sim.environment}/api/v2.0/companies`,
				{ token: t },
			),
			401,
			'Authentication_InvalidCredentials',
		);
		const env = await call(sim, 'GET', `${sim.apiHost}/v2.0/${sim.tenant}/sandbox/api/v2.0/companies`, { token: t });
		expect(env.status).toBe(404);
		expect(env.json.error.message).toContain("'sandbox'");
	});

	test('companies list the fields of API v2.0; companies({id}) is one company; an unknown id → 404 Internal_CompanyNotFound', async () => {
		const t = await token(sim);
		const list = await call(sim, 'GET', '/companies', { token: t });
		expect(Object.keys(list.json.value[0])).toEqual([
			'id',
			'systemVersion',
			'timestamp',
			'name',
			'displayName',
			'businessProfileId',
			'systemCreatedAt',
			'systemCreatedBy',
			'systemModifiedAt',
			'systemModifiedBy',
		]);
		const one = await call(sim, 'GET', `/companies(${sim.company.id})`, { token: t });
		expect(one.json).toMatchObject({ id: sim.company.id, name: 'Hurtownia Żelazna Łódź Sp. z o.o.' });
		const upper = await call(sim, 'GET', `/companies(${sim.company.id.toUpperCase()})/locations`, { token: t });
		expect(upper.status).toBe(200);
		const missing = await call(sim, 'GET', companyPath(sim, '/items', '11111111-2222-3333-4444-555555555555'), {
			token: t,
		});
		expectBcError(missing, 404, 'Internal_CompanyNotFound', /default company cannot be found/);
		const byName = await call(sim, 'GET', `/companies(${encodeURIComponent("'Filia Kraków'")})/items`, { token: t });
		expect(byName.status).toBe(400);
		expect(byName.json.error.message).toContain('Edm.Guid');
	});
});

describe('on-premises', () => {
	test('basic auth with the web service access key; wrong key or none → 401', async () => {
		const good = basic(sim.onPremUser, sim.onPremKey);
		const a = await call(sim, 'GET', `${sim.onPremBase}/api/v2.0/companies`, { headers: { Authorization: good } });
		expect(a.status).toBe(200);
		expect(a.json['@odata.context']).toBe(`${sim.onPremBase}/api/v2.0/$metadata#companies`);
		const items = await call(sim, 'GET', `${sim.onPremBase}/api/v2.0/companies(${sim.company.id})/items?$top=2`, {
			headers: { Authorization: good },
		});
		expect(items.json.value).toHaveLength(2);
		const wrong = await call(sim, 'GET', `${sim.onPremBase}/api/v2.0/companies`, {
			headers: { Authorization: basic(sim.onPremUser, 'zly-klucz') },
		});
		expectBcError(wrong, 401, 'Authentication_InvalidCredentials');
		expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic/);
		expect((await call(sim, 'GET', `${sim.onPremBase}/api/v2.0/companies`)).status).toBe(401);
		// a SaaS token is no key on-prem
		const bearer = await call(sim, 'GET', `${sim.onPremBase}/api/v2.0/companies`, { token: await token(sim) });
		expect(bearer.status).toBe(401);
	});
});
