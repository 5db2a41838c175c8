/**
 * Deterministic Polish test data for the enova365 simulator (same options → same data). 10,000 products seed in
 * well under a second.
 *
 * Fixed records the selftests and node tests can rely on (FIXTURES): product 'ŁÓD-001' "Łódka wiosłowa żółta",
 * a service 'USŁ-TRANSPORT' (Typ 2, no stock), a blocked product 'WYC-ŻURAW'; contractors 'HURT-ŁÓDŹ' (group
 * "Hurtownie", definition Hurtowa, 30 days), 'DETAL-KRAKÓW' (Detaliczna), 'ZABLOKOWANY' (Blokada) and
 * 'BEZ-SPRZEDAŻY' (BlokadaSprzedazy); warehouses "1" Łódź, "2" Kraków, "3" Gdańsk (then "N"); price
 * definitions Podstawowa (net), Hurtowa (net, 0.85 × Podstawowa), Detaliczna (gross, Brutto = true) and a blocked
 * "Wyprzedaż 2025". Generated products TW-00001… (Typ 1, every 9th Produkt = 4, every 13th in kg with a
 * fractional stock), contractors K00001… with valid NIPs, some blocked; individual prices for HURT-ŁÓDŹ on
 * ŁÓD-001 (99 zł from 1 piece, 89 zł from 10, one expired row) and for the group "Hurtownie" (5 % discount).
 */
import {
	CITIES,
	FIRST_NAMES,
	FORMS,
	NOUNS,
	SERIES,
	SIZES,
	STREETS,
	SUFFIXES,
	SURNAMES,
	WAREHOUSES,
} from '../common/names';
import { prng } from '../common/random';
import type { EnovaState } from './state';
import { OPEN_END, type VatRate } from './values';

export interface SeedOptions {
	/** generated products besides the fixed ones (default 100) */
	products?: number;
	/** warehouses (default 3, at least 1) */
	warehouses?: number;
	/** generated contractors besides the fixed ones (default 20) */
	contractors?: number;
	/** generated individual prices besides the fixed ones (default 30) */
	individualPrices?: number;
	/** PRNG seed (default 1) */
	seed?: number;
	/** the calendar date taken as today (default: the clock's date) */
	today?: string;
}

export interface SeedSummary {
	products: number;
	warehouses: number;
	contractors: number;
	individualPrices: number;
	stamp: string;
	ms: number;
}

export const SEED_DEFAULTS = { products: 100, warehouses: 3, contractors: 20, individualPrices: 30, seed: 1 };

export const FIXTURES = {
	product: 'ŁÓD-001',
	service: 'USŁ-TRANSPORT',
	blockedProduct: 'WYC-ŻURAW',
	client: 'HURT-ŁÓDŹ',
	retailClient: 'DETAL-KRAKÓW',
	blockedClient: 'ZABLOKOWANY',
	salesBlockedClient: 'BEZ-SPRZEDAŻY',
	group: 'Hurtownie',
	warehouse: '1',
	priceDefinitions: ['Podstawowa', 'Hurtowa', 'Detaliczna'],
	blockedPriceDefinition: 'Wyprzedaż 2025',
} as const;

/** a NIP with a valid check digit */
function nip(rnd: () => number): string {
	const w = [6, 5, 7, 2, 3, 4, 5, 6, 7];
	for (;;) {
		const d = Array.from({ length: 9 }, (_, i) => (i === 0 ? 1 + Math.floor(rnd() * 9) : Math.floor(rnd() * 10)));
		const c = d.reduce((s, x, i) => s + x * w[i], 0) % 11;
		if (c !== 10) return d.join('') + String(c);
	}
}

function ean13(n: number): string {
	const body = `590${String(n).padStart(9, '0')}`;
	const sum = body.split('').reduce((s, ch, i) => s + Number(ch) * (i % 2 === 0 ? 1 : 3), 0);
	return body + String((10 - (sum % 10)) % 10);
}

export function seedState(state: EnovaState, options: SeedOptions = {}): SeedSummary {
	const started = performance.now();
	const o = { ...SEED_DEFAULTS, ...options };
	const rnd = prng(o.seed);
	const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
	const today = o.today ?? state.today();
	const year = today.slice(0, 4);
	state.reset();

	for (let i = 0; i < Math.max(1, o.warehouses); i++) {
		const w = WAREHOUSES[i];
		state.addMagazyn({ symbol: String(i + 1), nazwa: w ? w[3] : `Magazyn ${i + 1}` });
	}
	const podst = state.addDefinicja({ nazwa: 'Podstawowa', blokada: false, priorytet: 1, brutto: false });
	state.addDefinicja({ nazwa: 'Hurtowa', blokada: false, priorytet: 2, brutto: false });
	state.addDefinicja({ nazwa: 'Detaliczna', blokada: false, priorytet: 3, brutto: true });
	state.addDefinicja({ nazwa: FIXTURES.blockedPriceDefinition, blokada: true, priorytet: 9, brutto: false });
	void podst;

	const prices = (kod: string, netGrosze: number) => {
		state.setPrice(kod, 'Podstawowa', { netto: netGrosze });
		state.setPrice(kod, 'Hurtowa', { netto: Math.round(netGrosze * 0.85) });
		const t = state.towar(kod);
		const gross = Math.round((netGrosze * (100 + (t.vat === 'zw' ? 0 : t.vat)) * 1.3) / 10000) * 100 - 1;
		state.setPrice(kod, 'Detaliczna', { brutto: Math.max(gross, 99) });
	};
	const stock = (kod: string, kg: boolean) => {
		for (const m of state.magazyny) {
			const q = kg ? Math.round(rnd() * 50000) / 1000 : Math.floor(rnd() * 200);
			const s = state.stanRow(state.towar(kod).id, m.id);
			s.stan = q;
			s.stamp = state.bump();
		}
	};

	// fixed products
	state.addTowar({
		kod: FIXTURES.product,
		nazwa: 'Łódka wiosłowa żółta',
		ean: ean13(1),
		jednostka: 'szt.',
		blokada: false,
		typ: 1,
		vat: 23,
		opis: 'Zażółć gęślą jaźń — łódka dla dzieci',
	});
	prices(FIXTURES.product, 12999);
	stock(FIXTURES.product, false);
	state.setStock(FIXTURES.product, FIXTURES.warehouse, 40);
	state.addTowar({
		kod: FIXTURES.service,
		nazwa: 'Usługa transportowa — dostawa',
		ean: '',
		jednostka: 'usł.',
		blokada: false,
		typ: 2,
		vat: 23,
		opis: '',
	});
	prices(FIXTURES.service, 5000);
	state.addTowar({
		kod: FIXTURES.blockedProduct,
		nazwa: 'Żuraw ogrodowy (wycofany)',
		ean: ean13(3),
		jednostka: 'szt.',
		blokada: true,
		typ: 1,
		vat: 23,
		opis: 'Wycofany ze sprzedaży',
	});
	prices(FIXTURES.blockedProduct, 45000);
	stock(FIXTURES.blockedProduct, false);

	const rates: VatRate[] = [23, 23, 23, 23, 8, 5, 0, 'zw'];
	for (let i = 1; i <= o.products; i++) {
		const kg = i % 13 === 0;
		const kod = `TW-${String(i).padStart(5, '0')}`;
		state.addTowar({
			kod,
			nazwa: `${pick(NOUNS)} ${pick(SIZES)} ${pick(SERIES)}`,
			ean: i % 17 === 0 ? '' : ean13(100 + i),
			jednostka: kg ? 'kg' : 'szt.',
			blokada: i % 47 === 0,
			typ: i % 9 === 0 ? 4 : 1,
			vat: pick(rates),
			opis: i % 5 === 0 ? `Seria ${pick(SERIES)}, wyrób polski` : '',
		});
		prices(kod, 100 + Math.floor(rnd() * 99900));
		stock(kod, kg);
	}

	// contractors
	const city = (i: number) => CITIES[i % CITIES.length];
	const addK = (
		kod: string,
		nazwa: string,
		i: number,
		extra: Partial<Parameters<EnovaState['addKontrahent']>[0]> = {},
	) => {
		const [miejscowosc, kodPocztowy] = city(i);
		const n = nip(rnd);
		return state.addKontrahent({
			kod,
			nazwa,
			nip: n,
			euVat: `PL${n}`,
			email: `biuro${i}@${kod.toLowerCase().replace(/[^a-z0-9]/g, '') || 'firma'}.pl`,
			telefon: `+48 42 ${String(100 + i).padStart(3, '0')} ${String(10 + (i % 90)).padStart(2, '0')} ${String(20 + (i % 70))}`,
			adres: { ulica: `${pick(STREETS)} ${1 + (i % 120)}`, kodPocztowy, miejscowosc, kraj: 'Polska' },
			blokada: false,
			blokadaSprzedazy: false,
			definicjaCeny: 'Podstawowa',
			grupa: '',
			rabat: 0,
			terminPlatnosci: 14,
			...extra,
		});
	};
	const hurt = addK(FIXTURES.client, 'Hurtownia Łódzka „Żółw” Sp. z o.o.', 0, {
		definicjaCeny: 'Hurtowa',
		grupa: FIXTURES.group,
		rabat: 200,
		terminPlatnosci: 30,
	});
	addK(FIXTURES.retailClient, 'Sklep Żelazny Kraków — Wiśniewski', 1, {
		definicjaCeny: 'Detaliczna',
		grupa: 'Detal',
		terminPlatnosci: 7,
	});
	addK(FIXTURES.blockedClient, 'Przedsiębiorstwo Handlowe Źdźbło s.c.', 2, { blokada: true, grupa: FIXTURES.group });
	addK(FIXTURES.salesBlockedClient, 'P.H.U. Gęś i Łabędź Sp. j.', 3, { blokadaSprzedazy: true, grupa: FIXTURES.group });
	for (let i = 1; i <= o.contractors; i++) {
		const company = i % 4 !== 0;
		const nazwa = company
			? `${pick(FORMS)} ${pick(SURNAMES)} ${pick(SUFFIXES)}`.trim()
			: `${pick(FIRST_NAMES)} ${pick(SURNAMES)}`;
		addK(`K${String(i).padStart(5, '0')}`, nazwa, i + 3, {
			grupa: i % 3 === 0 ? FIXTURES.group : 'Detal',
			definicjaCeny: i % 3 === 0 ? 'Hurtowa' : 'Podstawowa',
			blokada: i % 11 === 0,
			blokadaSprzedazy: i % 7 === 0,
			rabat: (i % 5) * 100,
			terminPlatnosci: [7, 14, 21, 30][i % 4],
		});
	}

	// individual prices
	const lod = state.towar(FIXTURES.product);
	state.addCenaIndywidualna({
		towarId: lod.id,
		kontrahentId: hurt.id,
		netto: 9900,
		brutto: 12177,
		rabat: 0,
		prog: 1,
		od: `${year}-01-01`,
		do: OPEN_END,
	});
	state.addCenaIndywidualna({
		towarId: lod.id,
		kontrahentId: hurt.id,
		netto: 8900,
		brutto: 10947,
		rabat: 0,
		prog: 10,
		od: `${year}-01-01`,
		do: OPEN_END,
	});
	state.addCenaIndywidualna({
		towarId: lod.id,
		kontrahentId: hurt.id,
		netto: 7900,
		brutto: 9717,
		rabat: 0,
		prog: 1,
		od: `${Number(year) - 1}-01-01`,
		do: `${Number(year) - 1}-12-31`,
	});
	state.addCenaIndywidualna({
		towarId: lod.id,
		grupa: FIXTURES.group,
		rabat: 500,
		prog: 1,
		od: `${year}-01-01`,
		do: `${year}-12-31`,
	});
	const generated = state.towary.filter((t) => t.kod.startsWith('TW-'));
	const clients = state.kontrahenci;
	for (let i = 0; i < o.individualPrices && generated.length > 0; i++) {
		const t = pick(generated);
		const base = state.cena(t.id, state.definicja('Podstawowa').id)!.netto;
		const period = i % 3 === 0 ? { od: `${year}-01-01`, do: `${year}-06-30` } : { od: `${year}-01-01`, do: OPEN_END };
		if (i % 4 === 0)
			state.addCenaIndywidualna({
				towarId: t.id,
				grupa: i % 8 === 0 ? FIXTURES.group : 'Detal',
				rabat: 100 * (1 + (i % 10)),
				prog: 1,
				...period,
			});
		else {
			const netto = Math.round(base * 0.9);
			state.addCenaIndywidualna({
				towarId: t.id,
				kontrahentId: pick(clients).id,
				netto,
				brutto: Math.round((netto * (100 + (t.vat === 'zw' ? 0 : t.vat))) / 100),
				rabat: 0,
				prog: i % 5 === 0 ? 10 : 1,
				...period,
			});
		}
	}

	return {
		products: state.towary.length,
		warehouses: state.magazyny.length,
		contractors: state.kontrahenci.length,
		individualPrices: state.cenyIndywidualne.length,
		stamp: state.dbts.toString(),
		ms: Math.round(performance.now() - started),
	};
}
