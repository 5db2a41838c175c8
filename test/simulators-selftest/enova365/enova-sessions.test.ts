import { decodeClaims, startEnovaSimulator, type EnovaSimulator } from '../../simulators/enova365/server';
import { api, http, invoke, login } from './helpers';

let sim: EnovaSimulator;
afterEach(async () => {
	expect(sim.crashes).toEqual([]);
	await sim.close();
});

describe('enova365 simulator: Dynamic WebAPI login', () => {
	beforeEach(async () => {
		sim = await startEnovaSimulator({ clock: { start: '2026-11-26T09:00:00Z', frozen: true }, loginDelayMs: 0 });
	});

	it('LoginApi with the app token gives a JWT-like session token whose exp is iat + 300 s', async () => {
		const app = decodeClaims(sim.appToken)!;
		expect(app).toMatchObject({ iss: 'https://www.enova.pl', aud: 'enova365', 'ath-mth': '1024', 'ath-svc': 'Api' });
		expect((app.exp as number) - (app.iat as number)).toBe(365 * 86400);
		const r = await http<{ Token: string }>(sim, 'POST', '/api/LoginApi', { token: sim.appToken });
		expect(r.status).toBe(200);
		expect(Object.keys(r.body)).toEqual(['Token']);
		expect(r.body.Token.split('.')).toHaveLength(3);
		const c = decodeClaims(r.body.Token)!;
		expect(c).toMatchObject({
			'ath-mth': '2048',
			unique_name: 'Administrator',
			'ath-svc': 'Api B2BPortalApi',
			'ath-db': 'Handel Łódź',
		});
		expect(c.iat).toBe(Date.parse('2026-11-26T09:00:00Z') / 1000);
		expect((c.exp as number) - (c.iat as number)).toBe(300);
		expect(sim.sessions.logins).toBe(1);
	});

	it('refuses LoginApi without, or with a wrong, app token; a session token is not an app token; GET is 405', async () => {
		expect((await http(sim, 'POST', '/api/LoginApi')).status).toBe(401);
		expect((await http(sim, 'POST', '/api/LoginApi', { token: sim.appToken + 'x' })).status).toBe(401);
		const token = await login(sim);
		expect((await http(sim, 'POST', '/api/LoginApi', { token })).status).toBe(401);
		const get = await http(sim, 'GET', '/api/LoginApi', { token: sim.appToken });
		expect(get.status).toBe(405);
		expect(sim.sessions.failedLogins).toBe(3);
	});

	it('the app token itself is refused on business calls (401), and so is no token', async () => {
		expect((await api(sim, sim.appToken, 'GET', 'GetMagazyny')).status).toBe(401);
		expect((await http(sim, 'GET', '/api/B2BPortalApi/GetMagazyny')).status).toBe(401);
	});

	it('a session dies 300 s after login even while used, answering 401 with {"error"}; a new login works', async () => {
		const token = await login(sim);
		sim.clock.advance(150_000);
		expect((await api(sim, token, 'GET', 'GetMagazyny')).status).toBe(200);
		sim.clock.advance(149_000);
		expect((await api(sim, token, 'GET', 'GetMagazyny')).status).toBe(200);
		sim.clock.advance(1_000);
		const r = await api<{ error: { code: string; message: string } }>(sim, token, 'GET', 'GetMagazyny');
		expect(r.status).toBe(401);
		expect(r.body.error.code).toBe('unauthorized');
		expect((await api(sim, token, 'GET', 'GetMagazyny')).status).toBe(401);
		expect(sim.sessions.expiries).toBe(1);
		const again = await login(sim);
		expect((await api(sim, again, 'GET', 'GetMagazyny')).status).toBe(200);
		expect(sim.sessions.loginRounds).toEqual([1, 1]);
	});

	it('LogoutApi answers {"LoggedOut": true} and the token is dead afterwards', async () => {
		const token = await login(sim);
		const r = await http(sim, 'POST', '/api/LogoutApi', { token });
		expect(r).toMatchObject({ status: 200, body: { LoggedOut: true } });
		expect((await api(sim, token, 'GET', 'GetMagazyny')).status).toBe(401);
		expect((await http(sim, 'POST', '/api/LogoutApi', { token })).status).toBe(401);
	});

	it('expireAll() kills every session (an enova restart)', async () => {
		const a = await login(sim);
		const b = await login(sim);
		sim.sessions.expireAll();
		expect((await api(sim, a, 'GET', 'GetMagazyny')).status).toBe(401);
		expect((await api(sim, b, 'GET', 'GetMagazyny')).status).toBe(401);
		expect(sim.sessions.expiries).toBe(2);
	});
});

describe('enova365 simulator: configurable expiry status and lifetime', () => {
	it('answers an expired token with the configured status', async () => {
		sim = await startEnovaSimulator({
			expiredStatus: 403,
			sessionLifetimeSeconds: 60,
			clock: { frozen: true },
			loginDelayMs: 0,
			seed: { products: 3 },
		});
		const token = await login(sim);
		sim.clock.advance(59_000);
		expect((await api(sim, token, 'GET', 'GetMagazyny')).status).toBe(200);
		sim.clock.advance(1_000);
		expect((await api(sim, token, 'GET', 'GetMagazyny')).status).toBe(403);
		expect((await api(sim, 'not-a-token', 'GET', 'GetMagazyny')).status).toBe(403);
		expect((await http(sim, 'GET', '/api/B2BPortalApi/GetMagazyny')).status).toBe(401);
	});
});

describe('enova365 simulator: MethodInvoker', () => {
	beforeEach(async () => {
		sim = await startEnovaSimulator({ clock: { frozen: true }, seed: { products: 5 } });
	});

	it('answers {IsException, ExceptionMessage, ResultInstance}; ResultInstance is a JSON string for some methods', async () => {
		const mag = await invoke<{ IsException: boolean; ResultInstance: unknown }>(sim, 'GetMagazyny', {});
		expect(mag.status).toBe(200);
		expect(mag.body).toEqual({
			IsException: false,
			ExceptionMessage: null,
			ResultInstance: {
				Magazyny: expect.arrayContaining([expect.objectContaining({ Symbol: '1', Nazwa: 'Magazyn główny Łódź' })]),
			},
		});
		const tw = await invoke<{ ResultInstance: string }>(sim, 'GetTowary', { Strona: 1, IloscNaStronie: 2 });
		expect(typeof tw.body.ResultInstance).toBe('string');
		expect(JSON.parse(tw.body.ResultInstance)).toMatchObject({
			Strona: 1,
			CzyJestNastepna: true,
			Towary: [{ Kod: 'ŁÓD-001' }, {}],
		});
	});

	it('checks the database, operator and password of every call, and knows only the add-on methods', async () => {
		for (const over of [{ DatabaseHandle: 'Inna' }, { Operator: 'Gość' }, { Password: 'zazolc123' }]) {
			const r = await invoke<{ IsException: boolean; ExceptionMessage: string }>(sim, 'GetMagazyny', {}, over);
			expect(r.status).toBe(200);
			expect(r.body.IsException).toBe(true);
			expect(r.body.ExceptionMessage).toMatch(/bazy danych|operatora lub hasło/);
		}
		const r = await invoke<{ IsException: boolean }>(sim, 'getmagazyny', {});
		expect(r.body.IsException).toBe(true);
		expect((await http(sim, 'GET', '/api/MethodInvoker/InvokeServiceMethod')).status).toBe(405);
	});

	it('a business error string is the ResultInstance (JSON string where results are JSON strings); bad arguments are IsException', async () => {
		const r = await invoke<{ IsException: boolean; ResultInstance: string }>(sim, 'FindZO', {
			obcyNumer: 'X',
			kontrahent: 'NIKT',
		});
		expect(r.body.IsException).toBe(false);
		expect(JSON.parse(r.body.ResultInstance)).toBe("Nie znaleziono kontrahenta o kodzie 'NIKT'");
		const plain = await invoke<{ ResultInstance: unknown }>(sim, 'GetCeny', { Definicje: ['Nieznana'] });
		expect(plain.body.ResultInstance).toBe("Nie znaleziono definicji ceny 'Nieznana'");
		const bad = await invoke<{ IsException: boolean; ExceptionMessage: string }>(sim, 'GetTowary', { Strona: 0 });
		expect(bad.body).toMatchObject({
			IsException: true,
			ExceptionMessage: expect.stringMatching(/^bad_request: Strona/),
		});
		const missing = await invoke<{ IsException: boolean; ExceptionMessage: string }>(sim, 'FindZO', { obcyNumer: 'X' });
		expect(missing.body.ExceptionMessage).toMatch(/kontrahent/);
	});

	it('invokerServiceName: the old-WebAPI interface name is the ServiceName; the class name then fails', async () => {
		await sim.close();
		const name = 'B2BPortal.Interfaces.IB2BPortalApi, B2BPortal';
		sim = await startEnovaSimulator({ invokerServiceName: name, seed: { products: 1 } });
		const ok = await invoke<{ IsException: boolean }>(sim, 'GetMagazyny', {}, { ServiceName: name });
		expect(ok.body.IsException).toBe(false);
		const old = await invoke<{ IsException: boolean }>(sim, 'GetMagazyny', {});
		expect(old.body.IsException).toBe(true);
	});

	it('invokerStringResults: true makes every ResultInstance a string, false none', async () => {
		await sim.close();
		sim = await startEnovaSimulator({ invokerStringResults: true, seed: { products: 1 } });
		expect(typeof (await invoke<{ ResultInstance: unknown }>(sim, 'GetMagazyny', {})).body.ResultInstance).toBe(
			'string',
		);
		await sim.close();
		sim = await startEnovaSimulator({ invokerStringResults: false, seed: { products: 1 } });
		expect(typeof (await invoke<{ ResultInstance: unknown }>(sim, 'GetTowary', {})).body.ResultInstance).toBe('object');
	});
});
