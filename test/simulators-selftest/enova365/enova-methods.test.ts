import { FIXTURES, startEnovaSimulator, type EnovaSimulator } from '../../simulators/enova365/server';
import { api, http, login } from './helpers';

let sim: EnovaSimulator;
let token: string;
beforeAll(async () => {
	sim = await startEnovaSimulator({ clock: { start: '2026-11-26T09:00:00Z', frozen: true }, loginDelayMs: 0 });
	token = await login(sim);
});
afterAll(async () => {
	expect(sim.crashes).toEqual([]);
	await sim.close();
});

type Page<K extends string, R> = { Strona: number; CzyJestNastepna: boolean; Stamp: string } & Record<K, R[]>;
type Towar = {
	ID: number;
	Kod: string;
	Nazwa: string;
	Typ: number;
	StawkaVAT: string;
	Blokada: boolean;
	Stamp: string;
};

describe('enova365 simulator: verbs, arguments and error shapes', () => {
	it('each method has its verb: POST to a GET method and GET to a POST method answer 405 with Allow', async () => {
		const a = await api<{ error: { code: string } }>(sim, token, 'POST', 'GetMagazyny', {});
		expect(a.status).toBe(405);
		expect(a.headers.get('allow')).toBe('GET');
		expect(a.body.error.code).toBe('method_not_allowed');
		const b = await api(sim, token, 'GET', 'GetTowary');
		expect(b.status).toBe(405);
		expect(b.headers.get('allow')).toBe('POST');
		expect((await http(sim, 'PUT', '/api/B2BPortalApi/AddZO', { token, body: {} })).status).toBe(405);
	});

	it('unknown class or method → 404 {"error"}; routes are case-insensitive like ASP.NET', async () => {
		const r = await api<{ error: { code: string } }>(sim, token, 'POST', 'GetGoods', {});
		expect(r.status).toBe(404);
		expect(r.body.error.code).toBe('not_found');
		expect((await http(sim, 'GET', '/api/InnaKlasa/GetMagazyny', { token })).status).toBe(404);
		expect((await http(sim, 'GET', '/api/b2bportalapi/getmagazyny', { token })).status).toBe(200);
	});

	it('an object argument is the raw JSON body: no body, not JSON, an array or a non-JSON type are refused', async () => {
		expect((await http(sim, 'POST', '/api/B2BPortalApi/GetTowary', { token })).status).toBe(415);
		expect((await http(sim, 'POST', '/api/B2BPortalApi/GetTowary', { token, raw: '' })).status).toBe(400);
		expect((await http(sim, 'POST', '/api/B2BPortalApi/GetTowary', { token, raw: '{Strona:1' })).status).toBe(400);
		expect((await http(sim, 'POST', '/api/B2BPortalApi/GetTowary', { token, body: [1] })).status).toBe(400);
		expect(
			(await http(sim, 'POST', '/api/B2BPortalApi/GetTowary', { token, raw: '{}', contentType: 'text/plain' })).status,
		).toBe(415);
		expect(
			(await http(sim, 'POST', '/api/B2BPortalApi/GetTowary', { token, raw: '{}', contentType: 'text/json' })).status,
		).toBe(200);
		const wrapped = await api<{ error: { message: string } }>(sim, token, 'POST', 'GetTowary', { args: { Strona: 0 } });
		expect(wrapped.status).toBe(200); // an unknown wrapper is ignored, as a .NET binder does: the defaults apply
		const bad = await api<{ error: { code: string; message: string } }>(sim, token, 'POST', 'GetTowary', {
			Strona: '1',
		});
		expect(bad.status).toBe(400);
		expect(bad.body.error).toMatchObject({ code: 'bad_request', message: expect.stringContaining('Strona') });
	});

	it('simple arguments come from the query, by name (any case) or as args= for a one-argument method', async () => {
		const named = await api<{ Dokumenty: unknown[] }>(
			sim,
			token,
			'GET',
			'FindZO',
			undefined,
			`?obcyNumer=BRAK&kontrahent=${encodeURIComponent(FIXTURES.client)}`,
		);
		expect(named).toMatchObject({ status: 200, body: { Dokumenty: [] } });
		const anyCase = await api(
			sim,
			token,
			'GET',
			'FindZO',
			undefined,
			`?OBCYNUMER=BRAK&Kontrahent=${encodeURIComponent(FIXTURES.client)}`,
		);
		expect(anyCase.status).toBe(200);
		const missing = await api<{ error: { message: string } }>(
			sim,
			token,
			'GET',
			'FindZO',
			undefined,
			'?obcyNumer=BRAK',
		);
		expect(missing.status).toBe(400);
		expect(missing.body.error.message).toMatch(/kontrahent/);
		const args = await api(sim, token, 'GET', 'GetFakturaPdf', undefined, '?args=999999');
		expect(args).toMatchObject({ status: 200, body: 'Nie znaleziono faktury o identyfikatorze 999999' });
		expect((await api(sim, token, 'GET', 'FindZO', undefined, '?args=BRAK')).status).toBe(400);
	});

	it('business errors are HTTP 200 with a plain JSON string, never a record', async () => {
		const r = await api(sim, token, 'POST', 'GetStany', { Magazyny: ['99'] });
		expect(r.status).toBe(200);
		expect(r.headers.get('content-type')).toMatch(/^application\/json/);
		expect(r.body).toBe("Nie znaleziono magazynu o symbolu '99'");
	});
});

describe('enova365 simulator: Soneta value shapes and Polish data', () => {
	it('products: Polish names, Typ as a number, VAT as "23,00%", Stamp a decimal string', async () => {
		const r = await api<Page<'Towary', Towar>>(sim, token, 'POST', 'GetTowary', {
			Kody: [FIXTURES.product, FIXTURES.service, FIXTURES.blockedProduct, 'NIE-MA'],
		});
		expect(r.status).toBe(200);
		expect(r.body.Towary.map((t) => [t.Kod, t.Typ, t.Blokada])).toEqual([
			['ŁÓD-001', 1, false],
			['USŁ-TRANSPORT', 2, false],
			['WYC-ŻURAW', 1, true],
		]);
		expect(r.body.Towary[0]).toMatchObject({ Nazwa: 'Łódka wiosłowa żółta', StawkaVAT: '23,00%', Jednostka: 'szt.' });
		expect(r.body.Towary[0].Stamp).toMatch(/^\d+$/);
		expect(BigInt(r.body.Towary[0].Stamp)).toBeGreaterThan(2n ** 31n - 10000n);
	});

	it('price definitions Podstawowa/Hurtowa/Detaliczna (+ a blocked one); prices as {"Value": "129,99", "Symbol": "PLN"}', async () => {
		const d = await api<{ DefinicjeCen: { Nazwa: string; Blokada: boolean; Brutto: boolean }[] }>(
			sim,
			token,
			'GET',
			'GetDefinicjeCen',
		);
		expect(d.body.DefinicjeCen.map((x) => [x.Nazwa, x.Blokada, x.Brutto])).toEqual([
			['Podstawowa', false, false],
			['Hurtowa', false, false],
			['Detaliczna', false, true],
			['Wyprzedaż 2025', true, false],
		]);
		const c = await api<Page<'Ceny', { Towar: string; Definicja: string; Netto: unknown; Brutto: unknown }>>(
			sim,
			token,
			'POST',
			'GetCeny',
			{ Definicje: ['Podstawowa'], IloscNaStronie: 1 },
		);
		expect(c.body.Ceny).toEqual([
			{
				Towar: 'ŁÓD-001',
				Definicja: 'Podstawowa',
				Netto: { Value: '129,99', Symbol: 'PLN' },
				Brutto: { Value: '159,89', Symbol: 'PLN' },
				Stamp: expect.stringMatching(/^\d+$/),
			},
		]);
		// Value is the decimal's own text: no padding zeros (the Soneta sample answers "5")
		sim.state.setPrice(FIXTURES.product, 'Hurtowa', { netto: '110.00' });
		const h = await api<Page<'Ceny', { Towar: string; Netto: { Value: string } }>>(sim, token, 'POST', 'GetCeny', {
			Definicje: ['Hurtowa'],
			IloscNaStronie: 1,
		});
		expect(h.body.Ceny[0].Netto.Value).toBe('110');
	});

	it('individual prices: client or group, thresholds, discounts as "5,00%", periods with an open end', async () => {
		const r = await api<Page<'Ceny', Record<string, unknown>>>(sim, token, 'POST', 'GetCenyIndywidualne', {
			IloscNaStronie: 4,
		});
		expect(r.body.Ceny).toEqual([
			expect.objectContaining({
				Towar: 'ŁÓD-001',
				Kontrahent: 'HURT-ŁÓDŹ',
				Netto: { Value: '99', Symbol: 'PLN' },
				Rabat: '0,00%',
				Prog: 1,
				Okres: { From: '2026-01-01', To: '9999-12-31' },
			}),
			expect.objectContaining({ Kontrahent: 'HURT-ŁÓDŹ', Netto: { Value: '89', Symbol: 'PLN' }, Prog: 10 }),
			expect.objectContaining({ Kontrahent: 'HURT-ŁÓDŹ', Okres: { From: '2025-01-01', To: '2025-12-31' } }),
			expect.objectContaining({
				Grupa: 'Hurtownie',
				Netto: null,
				Brutto: null,
				Rabat: '5,00%',
				Okres: { From: '2026-01-01', To: '2026-12-31' },
			}),
		]);
		for (const c of r.body.Ceny) expect('Kontrahent' in c !== 'Grupa' in c).toBe(true);
	});

	it('contractors: blocked ones, Adres, Rabat as percent, TerminPlatnosci in days', async () => {
		const r = await api<Page<'Kontrahenci', Record<string, unknown>>>(sim, token, 'POST', 'GetKontrahenci', {
			Kody: [FIXTURES.client, FIXTURES.blockedClient, FIXTURES.salesBlockedClient],
		});
		expect(r.body.Kontrahenci).toEqual([
			expect.objectContaining({
				Kod: 'HURT-ŁÓDŹ',
				Nazwa: 'Hurtownia Łódzka „Żółw” Sp. z o.o.',
				Blokada: false,
				BlokadaSprzedazy: false,
				DefinicjaCeny: 'Hurtowa',
				Grupa: 'Hurtownie',
				Rabat: '2,00%',
				TerminPlatnosci: 30,
				Adres: expect.objectContaining({ Miejscowosc: 'Łódź', Kraj: 'Polska' }),
			}),
			expect.objectContaining({ Kod: 'ZABLOKOWANY', Blokada: true }),
			expect.objectContaining({ Kod: 'BEZ-SPRZEDAŻY', BlokadaSprzedazy: true }),
		]);
		const nip = r.body.Kontrahenci[0] as { NIP: string; EuVAT: string };
		expect(nip.EuVAT).toBe(`PL${nip.NIP}`);
	});

	it('several warehouses; stock per warehouse with Zarezerwowano; services hold no stock', async () => {
		const m = await api<{ Magazyny: { Symbol: string; Nazwa: string }[] }>(sim, token, 'GET', 'GetMagazyny');
		expect(m.body.Magazyny.map((x) => x.Symbol)).toEqual(['1', '2', '3']);
		const s = await api<Page<'Stany', { Towar: string; Magazyn: string; Stan: number; Zarezerwowano: number }>>(
			sim,
			token,
			'POST',
			'GetStany',
			{ Magazyny: ['1'], IloscNaStronie: 1000 },
		);
		expect(s.body.Stany.find((x) => x.Towar === FIXTURES.product)).toMatchObject({
			Magazyn: '1',
			Stan: 40,
			Zarezerwowano: 0,
		});
		expect(s.body.Stany.some((x) => x.Towar === FIXTURES.service)).toBe(false);
		expect(s.body.Stany.every((x) => x.Magazyn === '1')).toBe(true);
	});
});

describe('enova365 simulator: paging and the Stamp cursor', () => {
	it('pages with CzyJestNastepna; Stamp is @@DBTS taken before the page; OdStamp returns only newer rows', async () => {
		const all: string[] = [];
		let strona = 1;
		let first: string | undefined;
		for (;;) {
			const r = await api<Page<'Towary', Towar>>(sim, token, 'POST', 'GetTowary', {
				Strona: strona,
				IloscNaStronie: 25,
			});
			first ??= r.body.Stamp;
			expect(r.body.Strona).toBe(strona);
			all.push(...r.body.Towary.map((t) => t.Kod));
			if (!r.body.CzyJestNastepna) break;
			strona++;
		}
		expect(all).toHaveLength(sim.state.towary.length);
		expect(new Set(all).size).toBe(all.length);
		expect(first).toBe(sim.state.dbts.toString());

		const none = await api<Page<'Towary', Towar>>(sim, token, 'POST', 'GetTowary', { OdStamp: first });
		expect(none.body.Towary).toEqual([]);
		sim.state.renameProduct('TW-00007', 'Śruba zmieniona ęą');
		sim.state.moveStock(FIXTURES.product, '2', 5); // stock does not touch the product row
		const changed = await api<Page<'Towary', Towar>>(sim, token, 'POST', 'GetTowary', { OdStamp: first });
		expect(changed.body.Towary.map((t) => [t.Kod, t.Nazwa])).toEqual([['TW-00007', 'Śruba zmieniona ęą']]);
		expect(BigInt(changed.body.Stamp)).toBe(BigInt(first!) + 2n);
		const stock = await api<Page<'Stany', { Towar: string; Magazyn: string }>>(sim, token, 'POST', 'GetStany', {
			OdStamp: first,
		});
		expect(stock.body.Stany.map((s) => [s.Towar, s.Magazyn])).toEqual([[FIXTURES.product, '2']]);
		// reading changes nothing: the same question gives the same answer
		const again = await api<Page<'Towary', Towar>>(sim, token, 'POST', 'GetTowary', { OdStamp: first });
		expect(again.body).toEqual(changed.body);
	});

	it('every mutator bumps the Stamp of the rows it changes (price, contractor block)', async () => {
		const from = sim.state.dbts.toString();
		sim.state.setPrice(FIXTURES.product, 'Detaliczna', { brutto: '199,99' });
		sim.state.blockContractor('K00001', { blokadaSprzedazy: true });
		const c = await api<Page<'Ceny', { Towar: string; Definicja: string; Brutto: unknown }>>(
			sim,
			token,
			'POST',
			'GetCeny',
			{ OdStamp: from },
		);
		expect(c.body.Ceny).toEqual([
			expect.objectContaining({
				Towar: FIXTURES.product,
				Definicja: 'Detaliczna',
				Brutto: { Value: '199,99', Symbol: 'PLN' },
			}),
		]);
		const k = await api<Page<'Kontrahenci', { Kod: string; BlokadaSprzedazy: boolean }>>(
			sim,
			token,
			'POST',
			'GetKontrahenci',
			{ OdStamp: from },
		);
		expect(k.body.Kontrahenci).toEqual([expect.objectContaining({ Kod: 'K00001', BlokadaSprzedazy: true })]);
	});

	it('IloscNaStronie above the maximum is served as the maximum; a bad OdStamp is 400', async () => {
		expect((await api(sim, token, 'POST', 'GetStany', { OdStamp: '12,5' })).status).toBe(400);
		expect((await api(sim, token, 'POST', 'GetStany', { OdStamp: -1 })).status).toBe(400);
		const small = await startEnovaSimulator({ maxPageSize: 10, seed: { products: 20 }, loginDelayMs: 0 });
		try {
			const t = await login(small);
			const r = await api<Page<'Stany', unknown>>(small, t, 'POST', 'GetStany', { IloscNaStronie: 500 });
			expect(r.body.Stany).toHaveLength(10);
			expect(r.body.CzyJestNastepna).toBe(true);
		} finally {
			await small.close();
		}
	});
});
