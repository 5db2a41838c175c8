/**
 * Deterministic Business Central test data (the same options give the same ids and values): a Polish company
 * "Hurtownia Żelazna Łódź Sp. z o.o." (a name with spaces, dots and Polish letters — the OData V4 Company('…')
 * segment must be encoded) and a second one "Filia Kraków", so a company is always chosen, never assumed.
 *
 * Per company: locations ŁÓDŹ, KRAKÓW, GDAŃSK (then MAG-NN) — codes with Polish letters, as BC's Code fields allow;
 * items 1000, 1001… ("Wiertarka udarowa Żubr M8"), the 7th numbered 'ŻUBR-007', every 10th a Service (no stock),
 * the 5th blocked; stock spread over the locations and the blank location; customers K00010, K00020… with valid
 * NIPs, one blocked Ship, one Invoice, one All; lastModifiedDateTime spread over the last `days` days.
 * Price list lines (our custom API): an All Customers line per item, customer-specific and price-group (HURT) lines,
 * quantity steps (minimumQuantity 10 and 50), date ranges (one ended, one not started), a Draft and an Inactive line
 * that must not count, and a line in EUR.
 */
import { prng } from '../common/random';
import { CITIES, FIRST_NAMES, FORMS, NOUNS, SERIES, SIZES, STREETS, SUFFIXES, SURNAMES } from '../common/names';
import { addDays } from '../common/clock';
import { NO_DATE, round5, type BcState, type Company, type CustomerBlocked } from './state';

export interface SeedOptions {
	/** items per company (default 30) */
	items?: number;
	/** customers per company (default 12) */
	customers?: number;
	/** locations per company (default 3) */
	locations?: number;
	/** company names (default ['Hurtownia Żelazna Łódź Sp. z o.o.', 'Filia Kraków']) */
	companies?: string[];
	/** PRNG seed (default 1) */
	seed?: number;
	/** lastModifiedDateTime spread back from the clock's now (default 30 days) */
	days?: number;
}

export const SEED_DEFAULTS = { items: 30, customers: 12, locations: 3, seed: 1, days: 30 };
export const DEFAULT_COMPANIES = ['Hurtownia Żelazna Łódź Sp. z o.o.', 'Filia Kraków'];
// prettier-ignore
const LOCATIONS: [string, string, string, string, string][] = [
	['ŁÓDŹ', 'Magazyn główny Łódź', 'ul. Piotrkowska 270', 'Łódź', '90-361'],
	['KRAKÓW', 'Magazyn Kraków', 'ul. Zabłocie 43', 'Kraków', '30-702'],
	['GDAŃSK', 'Magazyn Gdańsk', 'ul. Łużycka 8', 'Gdańsk', '80-298'],
	['POZNAŃ', 'Magazyn Poznań', 'ul. Gdańska 2', 'Poznań', '61-131'],
];

/** a valid Polish NIP (checksum weights 6 5 7 2 3 4 5 6 7) */
function nip(rnd: () => number): string {
	for (;;) {
		const d = Array.from({ length: 9 }, (_, i) => (i === 0 ? 1 + Math.floor(rnd() * 9) : Math.floor(rnd() * 10)));
		const sum = [6, 5, 7, 2, 3, 4, 5, 6, 7].reduce((a, w, i) => a + w * d[i], 0) % 11;
		if (sum !== 10) return d.join('') + String(sum);
	}
}

export interface SeedSummary {
	companies: number;
	items: number;
	customers: number;
	locations: number;
	priceListLines: number;
}

export function seedState(state: BcState, opts: SeedOptions = {}): SeedSummary {
	const given = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as SeedOptions;
	const o = { ...SEED_DEFAULTS, ...given };
	state.reset();
	const rnd = prng(o.seed);
	const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
	const now = state.clock.now();
	const stampBack = () => new Date(now - Math.floor(rnd() * o.days * 86_400_000)).toISOString();
	const today = new Date(now).toISOString().slice(0, 10);
	let lines = 0;
	for (const name of o.companies ?? DEFAULT_COMPANIES) {
		const co = state.addCompany(name);
		seedCompany(state, co, o, rnd, pick, stampBack, today);
		lines += co.priceListLines.length;
	}
	return {
		companies: state.companies.length,
		items: o.items,
		customers: o.customers,
		locations: o.locations,
		priceListLines: lines,
	};
}

function seedCompany(
	state: BcState,
	co: Company,
	o: typeof SEED_DEFAULTS & SeedOptions,
	rnd: () => number,
	pick: <T>(a: readonly T[]) => T,
	stampBack: () => string,
	today: string,
): void {
	for (let i = 0; i < o.locations; i++) {
		const [code, displayName, street, city, postalCode] = LOCATIONS[i] ?? [
			`MAG-${String(i + 1).padStart(2, '0')}`,
			`Magazyn ${i + 1}`,
			'ul. Główna 1',
			'Łódź',
			'90-001',
		];
		state.addLocation(
			{ code, displayName, addressLine1: street, city, postalCode, contact: `${pick(FIRST_NAMES)} ${pick(SURNAMES)}` },
			co.id,
		);
	}
	const codes = co.locations.map((l) => l.code);
	for (let i = 0; i < o.items; i++) {
		const number = i === 6 ? 'ŻUBR-007' : String(1000 + i);
		const service = i % 10 === 9;
		const unitPrice = round5(Math.round((5 + rnd() * 495) * 100) / 100);
		const it = state.addItem(
			{
				number,
				displayName: `${NOUNS[i % NOUNS.length]} ${pick(SERIES)} ${pick(SIZES)}`,
				type: service ? 'Service' : 'Inventory',
				blocked: i === 4,
				gtin: service ? '' : `590${String(1_000_000_000 + i * 7919).slice(0, 10)}`,
				unitPrice,
				unitCost: round5(Math.round(unitPrice * 0.6 * 100) / 100),
				baseUnitOfMeasureCode: service ? 'GODZ' : 'SZT',
				// the VAT product posting group a Polish install names the rate by (API v2.0 shows it as taxGroupCode)
				taxGroupCode: i % 7 === 3 ? 'VAT8' : 'VAT23',
				itemCategoryCode: service ? 'USŁUGI' : 'NARZĘDZIA',
			},
			co.id,
		);
		if (!service) {
			co.stock[number] = {};
			for (const c of codes) if (rnd() < 0.8) co.stock[number][c] = Math.floor(rnd() * 200);
			if (rnd() < 0.2) co.stock[number][''] = Math.floor(rnd() * 20);
		}
		it.lastModifiedDateTime = stampBack();
	}
	const blockedAt: Record<number, CustomerBlocked> = { 3: 'Ship', 5: 'Invoice', 7: 'All' };
	for (let i = 0; i < o.customers; i++) {
		const [city, postalCode] = pick(CITIES);
		const person = i % 6 === 5;
		const displayName = person
			? `${pick(FIRST_NAMES)} ${pick(SURNAMES)}`
			: `${pick(FORMS)} ${pick(SURNAMES)}${i === 2 ? " 'Pod Dębem'" : ''} ${pick(SUFFIXES)}`.trim();
		const c = state.addCustomer(
			{
				number: `K${String((i + 1) * 10).padStart(5, '0')}`,
				displayName,
				type: person ? 'Person' : 'Company',
				addressLine1: `${pick(STREETS)} ${1 + Math.floor(rnd() * 120)}`,
				city,
				postalCode,
				email: `biuro${i + 1}@klient${i + 1}.pl`,
				phoneNumber: `+48 42 ${String(100 + i).padStart(3, '0')} 00 00`,
				taxRegistrationNumber: person ? '' : i % 3 === 0 ? `PL${nip(rnd)}` : nip(rnd),
				creditLimit: i % 4 === 0 ? 0 : 10_000 * (1 + (i % 5)),
				blocked: blockedAt[i] ?? ' ',
			},
			co.id,
		);
		c.lastModifiedDateTime = stampBack();
		state.setCustomerPricing(
			c.number,
			{
				customerPriceGroup: i % 3 === 1 ? 'HURT' : i % 3 === 2 ? 'DETAL' : '',
				customerDiscountGroup: i % 4 === 1 ? 'RABAT5' : '',
			},
			co.id,
		);
	}
	// price list lines
	const items = co.items.filter((it) => it.type === 'Inventory');
	const customers = co.customers;
	for (const it of co.items)
		state.addPriceListLine(
			{
				priceListCode: 'S-CENY',
				assetNo: it.number,
				unitPrice: it.unitPrice,
				unitOfMeasureCode: it.baseUnitOfMeasureCode,
			},
			co.id,
		);
	const k = (n: number) => customers[n % Math.max(1, customers.length)]?.number ?? '';
	const p = (n: number) => items[n % Math.max(1, items.length)];
	if (items.length && customers.length) {
		const a = p(0);
		const b = p(1);
		const c = p(2);
		const add = (f: Parameters<BcState['addPriceListLine']>[0]) => state.addPriceListLine(f, co.id);
		// a customer's own price
		add({
			priceListCode: 'S-KLIENCI',
			sourceType: 'Customer',
			sourceNo: k(1),
			assetNo: a.number,
			unitPrice: round5(a.unitPrice * 0.9),
		});
		// price group HURT, with quantity steps
		add({
			priceListCode: 'S-HURT',
			sourceType: 'Customer Price Group',
			sourceNo: 'HURT',
			assetNo: a.number,
			unitPrice: round5(a.unitPrice * 0.85),
		});
		add({
			priceListCode: 'S-HURT',
			sourceType: 'Customer Price Group',
			sourceNo: 'HURT',
			assetNo: a.number,
			minimumQuantity: 10,
			unitPrice: round5(a.unitPrice * 0.8),
		});
		add({
			priceListCode: 'S-HURT',
			sourceType: 'Customer Price Group',
			sourceNo: 'HURT',
			assetNo: a.number,
			minimumQuantity: 50,
			unitPrice: round5(a.unitPrice * 0.75),
		});
		// all customers, quantity step
		add({ priceListCode: 'S-CENY', assetNo: b.number, minimumQuantity: 10, unitPrice: round5(b.unitPrice * 0.95) });
		// date ranges: one that ended, one that has not started, one running
		add({
			priceListCode: 'S-PROMO',
			assetNo: b.number,
			startingDate: addDays(today, -60),
			endingDate: addDays(today, -30),
			unitPrice: round5(b.unitPrice * 0.5),
		});
		add({
			priceListCode: 'S-PROMO',
			assetNo: c.number,
			startingDate: addDays(today, 10),
			endingDate: addDays(today, 40),
			unitPrice: round5(c.unitPrice * 0.5),
		});
		add({
			priceListCode: 'S-PROMO',
			assetNo: c.number,
			sourceType: 'Customer',
			sourceNo: k(2),
			startingDate: addDays(today, -5),
			endingDate: NO_DATE,
			unitPrice: round5(c.unitPrice * 0.7),
			lineDiscountPercent: 5,
		});
		// not in force: a Draft and an Inactive line with tempting prices
		add({ priceListCode: 'S-SZKIC', assetNo: a.number, unitPrice: 0.01, status: 'Draft' });
		add({ priceListCode: 'S-STARE', assetNo: b.number, unitPrice: 0.02, status: 'Inactive' });
		// another currency
		add({ priceListCode: 'S-EUR', assetNo: a.number, currencyCode: 'EUR', unitPrice: round5(a.unitPrice / 4.3) });
	}
	for (const line of co.priceListLines) line.lastModifiedDateTime = stampBack();
}
