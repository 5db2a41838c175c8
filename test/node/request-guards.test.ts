/**
 * Data never steers a request, and credentials never follow a redirect (issue #12 items 1–2), through n8n-core
 * against servers on 127.0.0.1:
 *  - an order line's product code such as `X/../../../other/x` stays one OData key (URL-encoded), so no request
 *    with the SAP session reaches another path of the host;
 *  - the SAP credential adds the session cookie only to URLs that, resolved as the HTTP client sends them, stay
 *    under the Service Layer base;
 *  - a 307 from the portal or from the SAP login is not followed: the API key and the SAP password never reach the
 *    host it names, and the error says where it pointed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { SapB1Api } from '../../credentials/SapB1Api.credentials';
import { isUnderServiceLayer } from '../../nodes/SapB1/transport/session';
import { keyPath } from '../../nodes/SapB1/transport';
import { makeOrder } from '../fixtures/polish';
import { startSapSimulator, type SapSimulator } from '../simulators/sap-b1/server';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { FAST_RETRY, runPortal } from './portal-helpers';
import { out, runSap, sapCredential } from './sap-helpers';
import { bindSession } from '../../nodes/shared/transport/sessionBinding';

interface Seen {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	body: string;
}

/** A server that records every request and answers `answer` (by default 200 "{}"). */
async function recorder(answer?: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
	const seen: Seen[] = [];
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c: Buffer) => (body += c.toString('utf8')));
		req.on('end', () => {
			seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
			if (answer) answer(req, res);
			else res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return { seen, url, close: async () => await new Promise<void>((resolve) => server.close(() => resolve())) };
}

let sap: SapSimulator;
let portal: PortalSimulator;
beforeAll(async () => {
	[sap, portal] = await Promise.all([
		startSapSimulator({
			seed: { items: 30, customers: 4, specialPrices: 0, seed: 5 },
			clock: { start: '2026-11-26T09:00:00Z', frozen: true },
			loginDelayMs: 5,
		}),
		startPortalSimulator(),
	]);
});
afterAll(async () => Promise.all([sap.close(), portal.close()]));
beforeEach(() => sap.reset());

describe('paths built from data', () => {
	it('keyPath encodes every key value; composite keys too', () => {
		expect(keyPath('Items', "X/../../../other/x'?#%")).toBe("/Items('X%2F..%2F..%2F..%2Fother%2Fx''%3F%23%25')");
		expect(keyPath('SpecialPrices', { CardCode: '*1', ItemCode: 'ŁÓD/1' })).toBe(
			"/SpecialPrices(CardCode='*1',ItemCode='%C5%81%C3%93D%2F1')",
		);
	});

	it('a product code with "/../" is one key in the price check: SAP is asked for that item, no other path is reached', async () => {
		const bp = [...sap.state.partners.values()].find(
			(p) => p.CardType === 'cCustomer' && p.Valid === 'tYES' && p.Frozen !== 'tYES',
		)!;
		const evil = 'X/../../../other/x';
		const r = await runSap(
			sapCredential(sap),
			{ resource: 'order', operation: 'checkPrices', orderField: '', toleranceAmount: '0', tolerancePercent: 0 },
			{
				items: [
					{
						json: makeOrder(1, {
							clientCode: bp.CardCode,
							lines: [{ lineNo: 1, productCode: evil, quantity: '1', unitPrice: '1.00', vatRate: '23' }],
						}) as never,
					},
				],
			},
		);
		expect(r.error).toBeUndefined();
		expect(out(r)[0].priceCheck).toMatchObject({
			accepted: false,
			reasonEn: `Line 1: product ${evil} does not exist in SAP`,
		});
		const paths = sap.requests.map((q) => decodeURIComponent(q.path));
		expect(paths).toContain(`/Items('${evil}')`);
		expect(sap.requests.filter((q) => !/^\/(Login|PriceLists|BusinessPartners\(|Items\()/.test(q.path))).toEqual([]);
	});

	it('the session cookie goes only to URLs that resolve under the Service Layer base', async () => {
		const base = 'https://sap.example.pl:50000/b1s/v1';
		expect(isUnderServiceLayer({ baseURL: base, url: "/Items('A')" }, base)).toBe(true);
		expect(isUnderServiceLayer({ baseURL: base, url: "/Items('X/../../../other/x')" }, base)).toBe(false);
		expect(isUnderServiceLayer({ baseURL: base, url: '/../v2/Items' }, base)).toBe(false);
		expect(isUnderServiceLayer({ baseURL: 'https://sap.example.pl:60000', url: '/rs/v1/ExportPDFData' }, base)).toBe(
			false,
		);
		expect(isUnderServiceLayer({ baseURL: 'https://sap.example.pl:50000/b1s/v10', url: '/Items' }, base)).toBe(false);
		const credential = new SapB1Api();
		const cookie = 'B1SESSION=tajne-żółw; ROUTEID=.node1';
		const data = {
			serviceLayerUrl: base,
			companyDb: 'SBODEMOPL',
			username: 'manager',
			password: 'hasło',
			session: bindSession(cookie, [base, 'SBODEMOPL', 'manager', 'hasło']),
		};
		const sent = async (url: string) =>
			(await credential.authenticate(data, { baseURL: base, url, method: 'GET' } as IHttpRequestOptions)).headers ?? {};
		expect(await sent("/Items('A')")).toMatchObject({ Cookie: cookie });
		expect(await sent("/Items('X/../../../other/x')")).not.toHaveProperty('Cookie');
	});
});

describe('redirects are not followed with credentials', () => {
	it('a portal answering 307 to another host: the API key never reaches it, the error names where it pointed', async () => {
		const thief = await recorder();
		const redirecting = await recorder((_req, res) =>
			res.writeHead(307, { Location: `${thief.url}/v1/sync-status` }).end(),
		);
		try {
			const r = await runPortal({ ...portal, url: redirecting.url } as PortalSimulator, {
				resource: 'syncStatus',
				operation: 'getAll',
				options: FAST_RETRY,
			});
			expect(r.error?.message).toContain(`HTTP 307 – the server redirects to ${thief.url}`);
			expect(redirecting.seen).toHaveLength(1);
			expect(thief.seen).toEqual([]);
		} finally {
			await Promise.all([thief.close(), redirecting.close()]);
		}
	});

	it('an SAP login answering 307: the password is not posted to the host it names', async () => {
		const thief = await recorder();
		const sl = await recorder((_req, res) => res.writeHead(307, { Location: `${thief.url}/b1s/v1/Login` }).end());
		try {
			const cred: IDataObject = { ...sapCredential(sap), serviceLayerUrl: `${sl.url}/b1s/v1` };
			const r = await runSap(cred, { resource: 'item', operation: 'get', itemCode: 'ŁÓD-001' });
			expect(r.error?.message).toMatch(/redirect/);
			expect(sl.seen.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /b1s/v1/Login']);
			expect(thief.seen).toEqual([]);
			expect(JSON.stringify(r.error)).not.toContain('1234');
		} finally {
			await Promise.all([thief.close(), sl.close()]);
		}
	});
});

describe('a stored session belongs to the login fields it was made with (sessionBinding.ts)', () => {
	it('SAP B1: after the password, user, company or URL changed in the form, the old session cookie is not sent', async () => {
		const base = 'https://sap.example.pl:50000/b1s/v1';
		const login = { serviceLayerUrl: base, companyDb: 'SBODEMOPL', username: 'manager', password: 'hasło-żółw' };
		const cookie = 'B1SESSION=sesja-łódź; ROUTEID=.node1';
		const data = { ...login, session: bindSession(cookie, [base, login.companyDb, login.username, login.password]) };
		const cookieFor = async (d: ICredentialDataDecryptedObject) =>
			(await new SapB1Api().authenticate(d, { baseURL: base, url: '/Items', method: 'GET' } as IHttpRequestOptions))
				.headers?.Cookie;
		expect(await cookieFor(data)).toBe(cookie);
		expect(await cookieFor({ ...data, serviceLayerUrl: `${base}/` })).toBe(cookie); // the same base
		for (const changed of [
			{ password: 'złe-hasło' },
			{ username: 'kierownik' },
			{ companyDb: 'SBOPRODPL' },
			{ serviceLayerUrl: 'https://sap2.example.pl:50000/b1s/v1' },
			{ session: cookie }, // stored before fingerprints
		])
			expect(await cookieFor({ ...data, ...changed })).toBeFalsy(); // '' or none at all: no session sent
	});
});
