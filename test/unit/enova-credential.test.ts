/** credentials/Enova365Api.credentials.ts: where the session and the MethodInvoker password go, and where not. */
import type { IHttpRequestOptions } from 'n8n-workflow';
import { Enova365Api } from '../../credentials/Enova365Api.credentials';
import { enovaBase } from '../../nodes/Enova365/transport/session';
import { bindSession } from '../../nodes/shared/transport/sessionBinding';

const cred = new Enova365Api();
const base = 'https://enova.example.pl:8443/enova';
const dynamic = {
	baseUrl: `${base}/api/`,
	mode: 'dynamic',
	appToken: 'app.token.x',
	// a session as preAuthentication stores it: the token and the fingerprint of the login (sessionBinding.ts)
	session: bindSession('sesja.źródło.jwt', [enovaBase(`${base}/api/`), 'app.token.x']),
	ignoreSslIssues: false,
};
const invoker = {
	baseUrl: base,
	mode: 'methodInvoker',
	databaseHandle: 'Handel Łódź',
	operator: 'Administrator',
	password: 'zażółć123',
	session: 'methodInvoker',
};

describe('enova365 credential › authenticate', () => {
	it('sends no session made with another app token or URL (changed in the form since): enova answers 401, n8n logs in', async () => {
		const request = { baseURL: base, url: '/api/B2BPortalApi/GetTowary', method: 'POST' } as IHttpRequestOptions;
		expect((await cred.authenticate(dynamic, request)).headers?.Authorization).toBe('Bearer sesja.źródło.jwt');
		for (const changed of [
			{ ...dynamic, appToken: 'inny.token.ż' },
			{ ...dynamic, baseUrl: 'https://enova2.example.pl:8443/enova' },
			{ ...dynamic, session: 'sesja.źródło.jwt' }, // stored before fingerprints
		])
			expect(String((await cred.authenticate(changed, request)).headers?.Authorization ?? '')).not.toContain('sesja');
	});

	it('adds the session Bearer only to URLs under the WebAPI base (resolved)', async () => {
		const under = await cred.authenticate(dynamic, {
			baseURL: base,
			url: '/api/B2BPortalApi/GetTowary',
			method: 'POST',
		});
		expect(under.headers?.Authorization).toBe('Bearer sesja.źródło.jwt');
		for (const options of [
			{ url: 'https://evil.example/api/B2BPortalApi/GetTowary' },
			{ baseURL: base, url: '/api/X/../../../elsewhere' },
			{ baseURL: 'https://enova.example.pl:8444/enova', url: '/api/B2BPortalApi/GetTowary' },
			{ baseURL: 'https://enova.example.pl:8443/enova2', url: '/api/B2BPortalApi/GetTowary' },
		] as IHttpRequestOptions[]) {
			const out = await cred.authenticate(dynamic, { ...options, method: 'GET' });
			expect(out.headers?.Authorization).toBeUndefined();
		}
	});

	it('leaves the login request with the app token it carries', async () => {
		const out = await cred.authenticate(dynamic, {
			baseURL: base,
			url: '/api/LoginApi',
			method: 'POST',
			headers: { Authorization: 'Bearer app.token.x' },
		});
		expect(out.headers?.Authorization).toBe('Bearer app.token.x');
	});

	it('MethodInvoker: database, operator and password go into the body of InvokeServiceMethod only', async () => {
		const call = await cred.authenticate(invoker, {
			baseURL: base,
			url: '/api/MethodInvoker/InvokeServiceMethod',
			method: 'POST',
			body: { ServiceName: 'B2BPortalApi', MethodName: 'GetTowary', MethodArgs: {} },
		});
		expect(call.body).toEqual({
			ServiceName: 'B2BPortalApi',
			MethodName: 'GetTowary',
			MethodArgs: {},
			DatabaseHandle: 'Handel Łódź',
			Operator: 'Administrator',
			Password: 'zażółć123',
		});
		expect(call.headers?.Authorization).toBeUndefined();
		const elsewhere = await cred.authenticate(invoker, {
			url: 'https://evil.example/api/MethodInvoker/InvokeServiceMethod',
			method: 'POST',
			body: {},
		});
		expect(elsewhere.body).toEqual({});
	});

	it('MethodInvoker needs no login: the session field gets a marker, nothing is sent', async () => {
		const helpers = { helpers: { httpRequest: jest.fn() } };
		expect(await cred.preAuthentication.call(helpers as never, invoker)).toEqual({ session: 'methodInvoker' });
		expect(helpers.helpers.httpRequest).not.toHaveBeenCalled();
	});

	it('a redirect of the login is not followed and is named', async () => {
		const httpRequest = jest
			.fn()
			.mockResolvedValue({ statusCode: 302, headers: { location: 'https://evil.example/' }, body: '' });
		await expect(cred.preAuthentication.call({ helpers: { httpRequest } } as never, dynamic)).rejects.toThrow(
			/answered HTTP 302 \(a redirect\), which is not followed with the app token/,
		);
		expect(httpRequest.mock.calls[0][0]).toEqual(
			expect.objectContaining({ disableFollowRedirect: true, url: `${base}/api/LoginApi` }),
		);
	});

	it('a login answered with a string is an error with that text', async () => {
		const httpRequest = jest.fn().mockResolvedValue({ statusCode: 200, headers: {}, body: 'Token aplikacji wygasł' });
		await expect(cred.preAuthentication.call({ helpers: { httpRequest } } as never, dynamic)).rejects.toThrow(
			'enova365 login (LoginApi) with the app token failed (HTTP 200): Token aplikacji wygasł',
		);
	});
});
