/**
 * nodes/Enova365/mapping.ts against the JSON shapes of docs/enova365-webapi-contract.md: Soneta money, percent,
 * dates and periods; every record type; and errors that name the record and the field.
 */
import {
	EnovaValueError,
	dayOfChange,
	cenaIndywidualnaToPrice,
	cenaToPrice,
	fakturaToInvoice,
	isDiscountOnly,
	kontrahentToClient,
	orderToZo,
	sonetaMoney,
	sonetaPercent,
	sonetaPeriod,
	sonetaVat,
	stanToStock,
	towarToProduct,
	zoStatus,
	zoToOrderStatus,
} from '../../nodes/Enova365/mapping';
import { resolveService } from '../../nodes/Enova365/transport/services';
import { enovaBase, isUnderEnova, tokenOf } from '../../nodes/Enova365/transport/session';
import { ENOVA_REFUSAL_RULES } from '../../nodes/Enova365/refusals';
import { classifyRefusal } from '../../nodes/shared/refusal';
import { makeOrder } from '../fixtures/polish';

describe('enova365 mapping › Soneta values', () => {
	it.each([
		[{ Value: '129,99', Symbol: 'PLN' }, '129.99', 'PLN'],
		[{ Value: '5', Symbol: 'PLN' }, '5', 'PLN'],
		[{ Value: '129.9', Symbol: 'eur' }, '129.9', 'EUR'],
		[{ Value: '1 234,50', Symbol: 'PLN' }, '1234.50', 'PLN'],
		[{ Value: 12.5 }, '12.5', undefined],
	])('money %j', (v, amount, currency) => {
		expect(sonetaMoney(v, 'Cena ŁÓD-001', 'Netto')).toEqual(currency ? { amount, currency } : { amount });
	});

	it.each([
		['129,99', 'Netto', /field "Netto" is "129,99", not a Soneta amount/],
		[{ Value: '12,3,4', Symbol: 'PLN' }, 'Netto.Value', /field "Netto.Value" is "12,3,4", not an amount/],
		[{ Value: 'NaN', Symbol: 'PLN' }, 'Netto.Value', /"NaN"/],
		[{ Value: '1', Symbol: 'złoty' }, 'Netto.Symbol', /field "Netto.Symbol" is "złoty", not a currency code/],
		[null, 'Netto', /field "Netto" is null/],
	])('malformed money %j names the record and the field', (v, field, message) => {
		let error: unknown;
		try {
			sonetaMoney(v, 'Cena ŻAG-002 / Hurtowa', 'Netto');
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(EnovaValueError);
		expect((error as EnovaValueError).field).toBe(field);
		expect((error as Error).message).toMatch(/^enova365 Cena ŻAG-002 \/ Hurtowa: /);
		expect((error as Error).message).toMatch(message);
	});

	it('percent, VAT and periods', () => {
		expect(sonetaPercent('50,00%', 'r', 'Rabat')).toBe('50');
		expect(sonetaPercent('7,50%', 'r', 'Rabat')).toBe('7.5');
		expect(sonetaPercent(5, 'r', 'Rabat')).toBe('5');
		expect(() => sonetaPercent('pięć %', 'Kontrahent ŁÓDŹ', 'Rabat')).toThrow(
			'enova365 Kontrahent ŁÓDŹ: field "Rabat" is "pięć %", not a percentage (e.g. "50,00%")',
		);
		expect(sonetaVat('23,00%', 'r', 'StawkaVAT')).toBe('23');
		expect(sonetaVat('8%', 'r', 'StawkaVAT')).toBe('8');
		expect(sonetaVat('zw', 'r', 'StawkaVAT')).toBe('zw');
		expect(() => sonetaVat('dwadzieścia trzy', 'Towar ŁÓD-001', 'StawkaVAT')).toThrow(
			/Towar ŁÓD-001: field "StawkaVAT"/,
		);
		expect(sonetaPeriod({ From: '2026-01-01', To: '9999-12-31' }, 'r', 'Okres')).toEqual({ validFrom: '2026-01-01' });
		expect(sonetaPeriod({ From: '2026-01-01', To: '2026-06-30' }, 'r', 'Okres')).toEqual({
			validFrom: '2026-01-01',
			validTo: '2026-06-30',
		});
		expect(() => sonetaPeriod({ From: '1.1.2026' }, 'Cena', 'Okres')).toThrow(
			'field "Okres.From" is "1.1.2026", not a date',
		);
	});
});

describe('enova365 mapping › records', () => {
	it('Towar → product', () => {
		expect(
			towarToProduct({
				ID: 1,
				Kod: 'ŁÓD-001',
				Nazwa: 'Łódka wiosłowa żółta',
				EAN: '5900000000015',
				Jednostka: 'szt.',
				Blokada: false,
				Typ: 1,
				StawkaVAT: '23,00%',
				Opis: 'Zażółć gęślą jaźń',
				Stamp: '2147480001',
			}),
		).toEqual({
			code: 'ŁÓD-001',
			name: 'Łódka wiosłowa żółta',
			ean: '5900000000015',
			unit: 'szt.',
			vatRate: '23',
			active: true,
			description: 'Zażółć gęślą jaźń',
			attributes: { typ: 'towar' },
		});
		expect(
			towarToProduct({ Kod: 'USŁ-TRANSPORT', Nazwa: 'Usługa transportowa', StawkaVAT: 'zw', Typ: 2, Blokada: true }),
		).toEqual(expect.objectContaining({ active: false, vatRate: 'zw', attributes: { typ: 'usługa' } }));
		expect(() => towarToProduct({ Kod: 'ŻUK-7', StawkaVAT: '23%' })).toThrow(
			'enova365 Towar ŻUK-7: field "Nazwa" is missing, not a text',
		);
	});

	it('Cena → price-list price; CenaIndywidualna → client / group price with threshold and validity', () => {
		expect(
			cenaToPrice({
				Towar: 'ŁÓD-001',
				Definicja: 'Hurtowa',
				Netto: { Value: '84,99', Symbol: 'PLN' },
				Brutto: { Value: '104,54', Symbol: 'PLN' },
			}),
		).toEqual({
			productCode: 'ŁÓD-001',
			scope: 'priceList',
			scopeCode: 'Hurtowa',
			currency: 'PLN',
			net: '84.99',
			gross: '104.54',
		});
		const client = cenaIndywidualnaToPrice({
			Towar: 'ŁÓD-001',
			Kontrahent: 'HURT-ŁÓDŹ',
			Netto: { Value: '89', Symbol: 'PLN' },
			Brutto: { Value: '109,47', Symbol: 'PLN' },
			Rabat: '0,00%',
			Prog: 10,
			Okres: { From: '2026-01-01', To: '9999-12-31' },
		});
		expect(client).toEqual({
			productCode: 'ŁÓD-001',
			scope: 'client',
			scopeCode: 'HURT-ŁÓDŹ',
			currency: 'PLN',
			net: '89.00',
			gross: '109.47',
			minQuantity: '10',
			validFrom: '2026-01-01',
		});
		const group = cenaIndywidualnaToPrice({
			Towar: 'ŁÓD-001',
			Grupa: 'Hurtownie',
			Netto: null,
			Brutto: null,
			Rabat: '5,00%',
			Prog: 1,
			Okres: { From: '2026-01-01', To: '2026-12-31' },
		});
		expect(isDiscountOnly(group)).toBe(true);
		expect(group).toEqual(
			expect.objectContaining({ scope: 'clientGroup', scopeCode: 'Hurtownie', discountPercent: '5' }),
		);
		expect(() =>
			cenaIndywidualnaToPrice({ Towar: 'ŁÓD-001', Kontrahent: 'A', Grupa: 'B', Netto: { Value: '1', Symbol: 'PLN' } }),
		).toThrow(/exactly one of Kontrahent \/ Grupa/);
		expect(() => cenaIndywidualnaToPrice({ Towar: 'ŁÓD-001', Kontrahent: 'A' })).toThrow(/neither Netto nor Brutto/);
		expect(() =>
			cenaToPrice({
				Towar: 'ŁÓD-001',
				Definicja: 'X',
				Netto: { Value: '1', Symbol: 'PLN' },
				Brutto: { Value: '1', Symbol: 'EUR' },
			}),
		).toThrow(/field "Brutto.Symbol" is "PLN\/EUR"/);
	});

	it('Stan → stock: available = on hand − reserved, below zero by the shared rule', () => {
		expect(stanToStock({ Towar: 'ŁÓD-001', Magazyn: '1', Stan: 12.5, Zarezerwowano: '2,5' })).toEqual({
			productCode: 'ŁÓD-001',
			warehouseCode: '1',
			onHand: '12.5',
			reserved: '2.5',
			available: '10',
		});
		expect(stanToStock({ Towar: 'ŻUK-7', Magazyn: '2', Stan: -3, Zarezerwowano: 0 })).toEqual(
			expect.objectContaining({ onHand: '0', available: '0', _belowZero: { onHand: '-3' } }),
		);
		expect(() => stanToStock({ Towar: 'ŻUK-7', Magazyn: '2', Stan: 'dużo' })).toThrow(
			'enova365 Stan ŻUK-7 / 2: field "Stan" is "dużo", not a number (e.g. "12,5")',
		);
	});

	it('Kontrahent → client', () => {
		expect(
			kontrahentToClient({
				ID: 7,
				Kod: 'HURT-ŁÓDŹ',
				Nazwa: 'Hurtownia Łódzka „Żółw” Sp. z o.o.',
				NIP: '725-18-01-126',
				EuVAT: 'PL7251801126',
				Email: ' biuro@zolw.pl ',
				Telefon: '+48 42 100 10 20',
				Adres: { Ulica: 'Piotrkowska 1', KodPocztowy: '90-001', Miejscowosc: 'Łódź', Kraj: 'Polska' },
				Blokada: false,
				BlokadaSprzedazy: false,
				DefinicjaCeny: 'Hurtowa',
				Grupa: 'Hurtownie',
				Rabat: '2,00%',
				TerminPlatnosci: 30,
			}),
		).toEqual({
			code: 'HURT-ŁÓDŹ',
			name: 'Hurtownia Łódzka „Żółw” Sp. z o.o.',
			taxId: '7251801126',
			email: 'biuro@zolw.pl',
			phone: '+48 42 100 10 20',
			priceListCode: 'Hurtowa',
			priceGroup: 'Hurtownie',
			paymentTermsDays: 30,
			discountPercent: '2',
			blocked: false,
			addresses: [{ type: 'billing', street: 'Piotrkowska 1', postalCode: '90-001', city: 'Łódź', countryCode: 'PL' }],
		});
		expect(kontrahentToClient({ Kod: 'X', Nazwa: 'Gęś', BlokadaSprzedazy: true }).blocked).toBe(true);
		// a name from data that is an inherited key of a table is no country and no state
		const odd = kontrahentToClient({
			Kod: 'X',
			Nazwa: 'Gęś',
			Adres: { Ulica: 'Żwirki 1', Miejscowosc: 'Łódź', Kraj: 'constructor' },
		});
		expect(odd.addresses[0].countryCode).toBe('PL');
		expect(() => kontrahentToClient({ Kod: 'X', Nazwa: 'Gęś', TerminPlatnosci: '14,5' })).toThrow(
			/"TerminPlatnosci" is "14,5", not a whole number/,
		);
	});

	it('order → AddZO argument; ZO → canonical status', () => {
		const body = orderToZo(makeOrder(7, { clientCode: 'HURT-ŁÓDŹ' }), { warehouse: '1' });
		expect(body).toEqual({
			Kontrahent: 'HURT-ŁÓDŹ',
			ObcyNumer: 'B2B/2026/000007',
			Data: '2026-11-26',
			TypCen: 'Netto',
			Waluta: 'PLN',
			Magazyn: '1',
			Uwagi: 'Proszę o dostawę przed świętami — zażółć gęślą jaźń',
			Pozycje: [
				{ Towar: 'ŁÓD-001', Ilosc: '2', Cena: '129.99', StawkaVAT: '23%' },
				{ Towar: 'WIO-003', Ilosc: '1', Cena: '45.00', StawkaVAT: 'zw' },
			],
		});
		expect(zoStatus({ Stan: 0 })).toBe('confirmed');
		expect(zoStatus({ Stan: 2 })).toBe('confirmed');
		expect(zoStatus({ Stan: 1, Podrzedne: [{ Typ: 'WZ' }] })).toBe('shipped');
		expect(zoStatus({ Stan: 1, Podrzedne: [{ Typ: 'WZ' }, { Typ: 'FV' }] })).toBe('invoiced');
		expect(zoStatus({ Stan: 3, Podrzedne: [{ Typ: 'FV' }] })).toBe('cancelled');
		expect(() => zoStatus({ Stan: 'constructor' })).toThrow(/field "Stan" is "constructor"/);
		expect(() => zoStatus({ NumerPelnyZapisany: 'ZO/1/2026', Stan: 7 })).toThrow(
			'enova365 ZO ZO/1/2026: field "Stan" is 7, not a ZO state 0–3',
		);
		expect(
			zoToOrderStatus(
				{
					ID: 5,
					ObcyNumer: 'B2B/1',
					NumerPelnyZapisany: 'ZO/5/2026',
					Stan: 1,
					Podrzedne: [{ Typ: 'FV', NumerPelnyZapisany: 'FV/9/2026', Data: '2026-11-27' }],
				},
				'2026-11-28T00:00:00Z',
			),
		).toEqual(
			expect.objectContaining({
				orderNumber: 'B2B/1',
				status: 'invoiced',
				changedAt: '2026-11-27T23:59:59Z',
				invoiceNumbers: ['FV/9/2026'],
			}),
		);
	});

	it("a WZ or FV of today counts from now, one of an earlier day from that day's end (never older than a confirmation that day)", () => {
		expect(dayOfChange('2026-11-27', '2026-11-28T08:00:00.000Z')).toBe('2026-11-27T23:59:59Z');
		expect(dayOfChange('2026-11-28', '2026-11-28T08:00:00.000Z')).toBe('2026-11-28T08:00:00.000Z');
		expect(dayOfChange('2026-11-29', '2026-11-28T08:00:00.000Z')).toBe('2026-11-28T08:00:00.000Z');
	});

	it('Faktura → invoice', () => {
		expect(
			fakturaToInvoice({
				ID: 9,
				NumerPelnyZapisany: 'FV/9/2026',
				Data: '2026-11-27',
				TerminPlatnosci: '2026-12-11',
				Kontrahent: 'HURT-ŁÓDŹ',
				ObcyNumerZO: 'B2B/1',
				Suma: {
					Netto: { Value: '890', Symbol: 'PLN' },
					VAT: { Value: '204,7', Symbol: 'PLN' },
					Brutto: { Value: '1094,7', Symbol: 'PLN' },
				},
			}),
		).toEqual({
			number: 'FV/9/2026',
			orderNumber: 'B2B/1',
			clientCode: 'HURT-ŁÓDŹ',
			issueDate: '2026-11-27',
			dueDate: '2026-12-11',
			currency: 'PLN',
			totals: { net: '890.00', vat: '204.70', gross: '1094.70' },
			erpDocumentId: '9',
		});
		expect(() => fakturaToInvoice({ NumerPelnyZapisany: 'FV/1', Suma: { Netto: { Value: '1' } } })).toThrow(
			'enova365 Faktura FV/1: field "Suma.VAT" is missing',
		);
	});
});

describe('enova365 transport helpers', () => {
	it('base URL, requests under it only, login token', () => {
		expect(enovaBase(' https://enova.example.pl:8443/api/ ')).toBe('https://enova.example.pl:8443');
		expect(() => enovaBase('enova.example.pl')).toThrow(/must start with https/);
		const base = 'https://enova.example.pl:8443';
		expect(isUnderEnova({ baseURL: base, url: '/api/B2BPortalApi/GetTowary' }, base)).toBe(true);
		expect(isUnderEnova({ baseURL: base, url: '/api/X/../../../../elsewhere' }, `${base}/enova`)).toBe(false);
		expect(isUnderEnova({ url: 'https://evil.example/api/LoginApi' }, base)).toBe(false);
		expect(tokenOf({ Token: 'abc.def.ghi' })).toBe('abc.def.ghi');
		expect(tokenOf('"Nieprawidłowy token"')).toBeUndefined();
	});

	it('service names: defaults, another class, Class/Method', () => {
		expect(resolveService({}, 'GetTowary')).toEqual({
			className: 'B2BPortalApi',
			methodName: 'GetTowary',
			label: 'B2BPortalApi/GetTowary',
		});
		expect(resolveService({ className: 'SklepApi', GetTowary: 'PobierzTowary' }, 'GetTowary').label).toBe(
			'SklepApi/PobierzTowary',
		);
		expect(resolveService({ className: 'SklepApi', AddZO: 'Zamówienia/DodajZO' }, 'AddZO').label).toBe(
			'Zamówienia/DodajZO',
		);
	});

	it('refusal table: wording and codes', () => {
		const err = (message: string, httpCode = '200', code?: string) =>
			Object.assign(new Error(message), { httpCode, extracted: { message, code, details: [] } });
		expect(
			classifyRefusal(err("Kontrahent 'ZABLOKOWANY' jest zablokowany (Blokada)"), 'enova365', ENOVA_REFUSAL_RULES)
				.final,
		).toBe(true);
		expect(
			classifyRefusal(err("Kontrahent 'X' ma blokadę sprzedaży (BlokadaSprzedazy)"), 'enova365', ENOVA_REFUSAL_RULES)
				.final,
		).toBe(true);
		expect(classifyRefusal(err("Nie znaleziono towaru o kodzie 'ŁÓD-9'"), 'enova365', ENOVA_REFUSAL_RULES).final).toBe(
			true,
		);
		expect(
			classifyRefusal(err('Baza danych jest zablokowana przez innego użytkownika'), 'enova365', ENOVA_REFUSAL_RULES)
				.final,
		).toBe(false);
		expect(
			classifyRefusal(err('ZO istnieje z innymi pozycjami', '409', 'conflict'), 'enova365', ENOVA_REFUSAL_RULES).final,
		).toBe(false);
		expect(classifyRefusal(err('Kontrahent', '422', 'rejected'), 'enova365', ENOVA_REFUSAL_RULES).final).toBe(true);
		expect(classifyRefusal(err('coś nowego'), 'enova365', ENOVA_REFUSAL_RULES).final).toBe(false);
	});
});
