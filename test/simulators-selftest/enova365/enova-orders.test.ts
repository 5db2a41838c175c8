import { FIXTURES, startEnovaSimulator, type EnovaSimulator } from '../../simulators/enova365/server';
import { api, invoke, login, zoBody } from './helpers';

let sim: EnovaSimulator;
let token: string;
beforeEach(async () => {
	sim = await startEnovaSimulator({
		clock: { start: '2026-11-26T09:00:00Z', frozen: true },
		loginDelayMs: 0,
		seed: { products: 30 },
	});
	token = await login(sim);
});
afterEach(async () => {
	expect(sim.crashes).toEqual([]);
	await sim.close();
});

type Dok = {
	ID: number;
	NumerPelnyZapisany: string;
	Stan: number;
	ObcyNumer: string;
	Kontrahent: string;
	Istnial?: boolean;
	Suma: { Netto: { Value: string }; Brutto: { Value: string } };
};
type StanZO = {
	ID: number;
	ObcyNumer: string;
	Stan: number;
	Podrzedne: { Typ: string; ID: number; NumerPelnyZapisany: string; Data: string }[];
	Stamp: string;
};
const reserved = (kod: string, mag = '1') =>
	sim.state.stanRow(sim.state.towar(kod).id, sim.state.magazyn(mag).id).zarezerwowano;

describe('enova365 simulator: AddZO', () => {
	it('saves a ZO in Bufor with exact totals (per line, rounded to the grosz) and reserves the stock', async () => {
		const r = await api<Dok>(sim, token, 'POST', 'AddZO', zoBody());
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({
			NumerPelnyZapisany: 'ZO/000001/2026',
			Stan: 0,
			ObcyNumer: 'B2B/2026/000123',
			Kontrahent: 'HURT-ŁÓDŹ',
			Istnial: false,
			Suma: { Netto: { Value: '302,73', Symbol: 'PLN' }, Brutto: { Value: '372,36', Symbol: 'PLN' } },
		});
		expect(reserved(FIXTURES.product)).toBe(2);
		expect(sim.state.zo[0].uwagi).toBe('Zażółć gęślą jaźń');
		// the reservation is a change of the stock row: a delta read from before the order sees it
		const stany = await api<{ Stany: { Towar: string; Magazyn: string; Stan: number; Zarezerwowano: number }[] }>(
			sim,
			token,
			'POST',
			'GetStany',
			{ OdStamp: String(BigInt(sim.state.zo[0].stamp) - 1n) },
		);
		expect(stany.body.Stany).toEqual([
			expect.objectContaining({ Towar: FIXTURES.product, Magazyn: '1', Stan: 40, Zarezerwowano: 2 }),
		]);
	});

	it('is idempotent on (Kontrahent, ObcyNumer): the same lines → the same ZO with Istnial, no second reservation', async () => {
		const a = await api<Dok>(sim, token, 'POST', 'AddZO', zoBody());
		const b = await api<Dok>(sim, token, 'POST', 'AddZO', zoBody({ Pozycje: [...zoBody().Pozycje].reverse() }));
		expect(b.body).toMatchObject({ ID: a.body.ID, Istnial: true });
		expect(sim.state.zo).toHaveLength(1);
		expect(reserved(FIXTURES.product)).toBe(2);
		// the same ObcyNumer of ANOTHER contractor is another order
		const other = await api<Dok>(sim, token, 'POST', 'AddZO', zoBody({ Kontrahent: FIXTURES.retailClient }));
		expect(other.body.Istnial).toBe(false);
		expect(sim.state.zo).toHaveLength(2);
	});

	it('the same ObcyNumer with other lines is a 409 conflict, nothing saved', async () => {
		await api(sim, token, 'POST', 'AddZO', zoBody());
		const r = await api<{ error: { code: string; message: string } }>(
			sim,
			token,
			'POST',
			'AddZO',
			zoBody({ Pozycje: [{ Towar: 'ŁÓD-001', Ilosc: 3, Cena: '129,99' }] }),
		);
		expect(r.status).toBe(409);
		expect(r.body.error).toMatchObject({ code: 'conflict', message: expect.stringContaining('B2B/2026/000123') });
		expect(sim.state.zo).toHaveLength(1);
	});

	it.each([
		['unknown contractor', { Kontrahent: 'NIKT' }, "Nie znaleziono kontrahenta o kodzie 'NIKT'"],
		[
			'blocked contractor (Blokada)',
			{ Kontrahent: FIXTURES.blockedClient },
			"Kontrahent 'ZABLOKOWANY' jest zablokowany (Blokada)",
		],
		[
			'sales-blocked contractor (BlokadaSprzedazy)',
			{ Kontrahent: FIXTURES.salesBlockedClient },
			"Kontrahent 'BEZ-SPRZEDAŻY' ma blokadę sprzedaży (BlokadaSprzedazy)",
		],
		['unknown warehouse', { Magazyn: '9' }, "Nie znaleziono magazynu o symbolu '9'"],
		[
			'unknown product',
			{ Pozycje: [{ Towar: 'ŁÓD-999', Ilosc: 1, Cena: 1 }] },
			"Nie znaleziono towaru o kodzie 'ŁÓD-999'",
		],
		[
			'blocked product',
			{ Pozycje: [{ Towar: FIXTURES.blockedProduct, Ilosc: 1, Cena: 1 }] },
			"Towar 'WYC-ŻURAW' jest zablokowany",
		],
	])('%s: HTTP 200 with the error string, nothing saved, nothing reserved', async (_n, over, message) => {
		const r = await api(sim, token, 'POST', 'AddZO', zoBody(over));
		expect(r.status).toBe(200);
		expect(r.body).toBe(message);
		expect(sim.state.zo).toHaveLength(0);
		expect(sim.state.stany.every((s) => s.zarezerwowano === 0)).toBe(true);
	});

	it.each([
		['no lines', { Pozycje: [] }],
		['zero quantity', { Pozycje: [{ Towar: 'ŁÓD-001', Ilosc: 0, Cena: 1 }] }],
		['price with thousands', { Pozycje: [{ Towar: 'ŁÓD-001', Ilosc: 1, Cena: '1 299,00' }] }],
		['bad VAT', { Pozycje: [{ Towar: 'ŁÓD-001', Ilosc: 1, Cena: 1, StawkaVAT: '22,5%' }] }],
		['bad TypCen', { TypCen: 'netto' }],
		['bad date', { Data: '26.11.2026' }],
		['no ObcyNumer', { ObcyNumer: '' }],
	])('malformed: %s → 400 bad_request', async (_n, over) => {
		const r = await api<{ error: { code: string } }>(sim, token, 'POST', 'AddZO', zoBody(over));
		expect(r.status).toBe(400);
		expect(r.body.error.code).toBe('bad_request');
		expect(sim.state.zo).toHaveLength(0);
	});

	it('errorStyle "object" answers the business errors as 404/422 with {"error"}', async () => {
		await sim.close();
		sim = await startEnovaSimulator({ errorStyle: 'object', loginDelayMs: 0, seed: { products: 3 } });
		token = await login(sim);
		const a = await api<{ error: { code: string } }>(sim, token, 'POST', 'AddZO', zoBody({ Kontrahent: 'NIKT' }));
		expect(a).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
		const b = await api<{ error: { code: string } }>(
			sim,
			token,
			'POST',
			'AddZO',
			zoBody({ Kontrahent: FIXTURES.blockedClient }),
		);
		expect(b).toMatchObject({ status: 422, body: { error: { code: 'rejected' } } });
	});
});

describe('enova365 simulator: a lost answer, FindZO and the order life', () => {
	it('loseResponse: the ZO is saved and reserved but the socket drops; FindZO finds it, a retry gets Istnial', async () => {
		sim.faults.loseResponse();
		await expect(api(sim, token, 'POST', 'AddZO', zoBody())).rejects.toThrow();
		expect(sim.state.zo).toHaveLength(1);
		expect(reserved(FIXTURES.product)).toBe(2);
		const q = `?obcyNumer=${encodeURIComponent('B2B/2026/000123')}&kontrahent=${encodeURIComponent(FIXTURES.client)}`;
		const f = await api<{ Dokumenty: Dok[] }>(sim, token, 'GET', 'FindZO', undefined, q);
		expect(f.body.Dokumenty).toEqual([
			expect.objectContaining({ ObcyNumer: 'B2B/2026/000123', Stan: 0, NumerPelnyZapisany: 'ZO/000001/2026' }),
		]);
		const again = await api<Dok>(sim, token, 'POST', 'AddZO', zoBody());
		expect(again.body.Istnial).toBe(true);
		expect(sim.requests.map((r) => [r.path, r.status, r.fault])).toContainEqual(['/B2BPortalApi/AddZO', 0, 'drop']);
	});

	it('loseResponse hits AddZO through MethodInvoker too', async () => {
		sim.faults.loseResponse();
		await expect(invoke(sim, 'AddZO', zoBody())).rejects.toThrow();
		expect(sim.state.zo).toHaveLength(1);
		const again = await invoke<{ ResultInstance: string }>(sim, 'AddZO', zoBody());
		expect(JSON.parse(again.body.ResultInstance)).toMatchObject({ Istnial: true });
	});

	it('a locked database answers 503 locked with Retry-After, and the next call goes through', async () => {
		sim.lock({ retryAfter: '2' });
		const r = await api<{ error: { code: string } }>(sim, token, 'POST', 'AddZO', zoBody());
		expect(r.status).toBe(503);
		expect(r.headers.get('retry-after')).toBe('2');
		expect(r.body.error.code).toBe('locked');
		expect(sim.state.zo).toHaveLength(0);
		expect((await api(sim, token, 'POST', 'AddZO', zoBody())).status).toBe(200);
	});

	it('Stan 0 → 1 → WZ (stock leaves, reservation released) → FV; Podrzedne and Stamps follow; the invoice has a PDF', async () => {
		const zo = (await api<Dok>(sim, token, 'POST', 'AddZO', zoBody())).body;
		const from = sim.state.dbts.toString();
		expect(() => sim.state.issueFV(zo.ID)).toThrow(/Zatwierdzony/); // FV only from a confirmed ZO
		sim.state.confirmZO(zo.ID);
		const stockBefore = sim.state.stanRow(sim.state.towar(FIXTURES.product).id, sim.state.magazyn('1').id).stan;
		const wz = sim.state.issueWZ(zo.ID);
		expect(reserved(FIXTURES.product)).toBe(0);
		expect(sim.state.stanRow(sim.state.towar(FIXTURES.product).id, sim.state.magazyn('1').id).stan).toBe(
			stockBefore - 2,
		);
		sim.clock.advance(86_400_000);
		const fv = sim.state.issueFV(zo.ID);
		expect((await api(sim, token, 'POST', 'GetStanyZO', {})).status).toBe(401); // a day later the session is long dead
		token = await login(sim);
		expect(fv.terminPlatnosci).toBe('2026-12-27'); // HURT-ŁÓDŹ pays in 30 days

		const s = await api<{ Dokumenty: StanZO[]; Stamp: string }>(sim, token, 'POST', 'GetStanyZO', { OdStamp: from });
		expect(s.body.Dokumenty).toEqual([
			{
				ID: zo.ID,
				ObcyNumer: 'B2B/2026/000123',
				NumerPelnyZapisany: 'ZO/000001/2026',
				Stan: 1,
				Podrzedne: [
					{ Typ: 'WZ', ID: wz.id, NumerPelnyZapisany: 'WZ/000001/2026', Data: '2026-11-26' },
					{ Typ: 'FV', ID: fv.id, NumerPelnyZapisany: 'FV/000001/2026', Data: '2026-11-27' },
				],
				Stamp: expect.stringMatching(/^\d+$/),
			},
		]);
		const byNumber = await api<{ Dokumenty: StanZO[] }>(sim, token, 'POST', 'GetStanyZO', {
			ObcyNumery: ['B2B/2026/000123', 'INNY'],
		});
		expect(byNumber.body.Dokumenty.map((d) => d.ID)).toEqual([zo.ID]);

		const f = await api<{ Faktury: Record<string, unknown>[] }>(sim, token, 'POST', 'GetFaktury', { OdStamp: from });
		expect(f.body.Faktury).toEqual([
			expect.objectContaining({
				ID: fv.id,
				NumerPelnyZapisany: 'FV/000001/2026',
				Data: '2026-11-27',
				TerminPlatnosci: '2026-12-27',
				Kontrahent: 'HURT-ŁÓDŹ',
				ObcyNumerZO: 'B2B/2026/000123',
				Suma: {
					Netto: { Value: '302,73', Symbol: 'PLN' },
					VAT: { Value: '69,63', Symbol: 'PLN' },
					Brutto: { Value: '372,36', Symbol: 'PLN' },
				},
			}),
		]);
		const pdf = await api<{ NazwaPliku: string; Pdf: string }>(
			sim,
			token,
			'GET',
			'GetFakturaPdf',
			undefined,
			`?idFaktury=${fv.id}`,
		);
		expect(pdf.body.NazwaPliku).toBe('FV_000001_2026.pdf');
		const bytes = Buffer.from(pdf.body.Pdf, 'base64');
		expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(bytes.subarray(-6).toString('latin1')).toMatch(/%%EOF\s*$/);
		expect(() => sim.state.cancelZO(zo.ID)).toThrow(/invoice/);
	});

	it('cancelling releases the reservation; FindZO prefers the live ZO over a cancelled one; the number can be re-ordered', async () => {
		const zo = (await api<Dok>(sim, token, 'POST', 'AddZO', zoBody())).body;
		sim.state.cancelZO(zo.ID);
		expect(reserved(FIXTURES.product)).toBe(0);
		const again = await api<Dok>(
			sim,
			token,
			'POST',
			'AddZO',
			zoBody({ Pozycje: [{ Towar: 'ŁÓD-001', Ilosc: 1, Cena: '99' }] }),
		);
		expect(again.body).toMatchObject({ Istnial: false, Stan: 0 });
		const q = `?obcyNumer=${encodeURIComponent('B2B/2026/000123')}&kontrahent=${encodeURIComponent(FIXTURES.client)}`;
		const f = await api<{ Dokumenty: Dok[] }>(sim, token, 'GET', 'FindZO', undefined, q);
		expect(f.body.Dokumenty.map((d) => [d.ID, d.Stan])).toEqual([[again.body.ID, 0]]);
		sim.state.cancelZO(again.body.ID);
		const only = await api<{ Dokumenty: Dok[] }>(sim, token, 'GET', 'FindZO', undefined, q);
		expect(only.body.Dokumenty.map((d) => d.Stan)).toEqual([3]);
		expect(only.body.Dokumenty).toHaveLength(1);
	});
});

describe('enova365 simulator: reset', () => {
	it('reset() gives back the seeded data and forgets sessions, faults and the log', async () => {
		const stamp = sim.state.dbts;
		await api(sim, token, 'POST', 'AddZO', zoBody());
		sim.state.renameProduct(FIXTURES.product, 'Inna nazwa');
		sim.faults.loseResponse();
		sim.reset();
		expect(sim.state.zo).toHaveLength(0);
		expect(sim.state.towar(FIXTURES.product).nazwa).toBe('Łódka wiosłowa żółta');
		expect(sim.state.dbts).toBe(stamp);
		expect(sim.faults.pending).toHaveLength(0);
		expect(sim.requests).toHaveLength(0);
		expect((await api(sim, token, 'GET', 'GetMagazyny')).status).toBe(401);
		expect(JSON.stringify(sim.requests)).not.toContain(token);
	});
});

describe('enova365 simulator: names and size', () => {
	it('method and class names are options (a "Class/Method" for split add-ons); the defaults then 404', async () => {
		await sim.close();
		sim = await startEnovaSimulator({
			serviceClass: 'SklepApi',
			methodNames: { GetTowary: 'PobierzTowary', GetMagazyny: 'Magazyny/Lista' },
			loginDelayMs: 0,
			seed: { products: 2 },
		});
		token = await login(sim);
		const r = await fetch(`${sim.url}/api/SklepApi/PobierzTowary`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: '{}',
		});
		expect(r.status).toBe(200);
		const m = await fetch(`${sim.url}/api/Magazyny/Lista`, { headers: { authorization: `Bearer ${token}` } });
		expect(m.status).toBe(200);
		const old = await fetch(`${sim.url}/api/B2BPortalApi/GetTowary`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: '{}',
		});
		expect(old.status).toBe(404);
	});

	it('10,000 products seed and page quickly', async () => {
		await sim.close();
		const t0 = performance.now();
		sim = await startEnovaSimulator({ seed: { products: 10_000 }, loginDelayMs: 0 });
		const seeded = performance.now() - t0;
		token = await login(sim);
		expect(sim.state.towary.length).toBe(10_003);
		const t1 = performance.now();
		let n = 0;
		for (let strona = 1; ; strona++) {
			const r = await api<{ CzyJestNastepna: boolean; Towary: unknown[] }>(sim, token, 'POST', 'GetTowary', {
				Strona: strona,
				IloscNaStronie: 1000,
			});
			n += r.body.Towary.length;
			if (!r.body.CzyJestNastepna) break;
		}
		expect(n).toBe(10_003);
		expect(seeded).toBeLessThan(3000);
		expect(performance.now() - t1).toBeLessThan(3000);
	});
});
