/**
 * Deterministic test data: the same options (seed, today) give the same company, byte for byte.
 * 100,000 items take well under a few seconds; items are compact records (see model.ts ItemRec).
 *
 * Warehouses 01 Łódź, 02 Kraków, 03 Gdańsk, 04 Poznań, 05 Wrocław (then "Magazyn NN"); price lists
 * 1 "Cennik podstawowy", 2 "Hurtowy" (base 1 × 0.85), 3 "Detal brutto" (base 1 × 1.5375, IsGrossPrice
 * tYES), more as "Cennik N"; customers C00001…, suppliers S00001…, leads L00001… with valid NIPs in
 * three spellings (plain, PL-prefixed, dashed) and Polish addresses; special prices per customer and
 * '*N' rows (all BPs on list N), some with validity dates, date periods and quantity steps. Item codes
 * are TW-000001… except the 7th, 'ŁÓD-007' (a code that needs URL encoding). UpdateDate/UpdateTime are
 * spread over the last `days` days at random times, so delta filters matter.
 */
import { addDays } from './clock';
import { mulDiv, pln, toScaled } from './money';
import type { BusinessPartner, CardType, ItemRec, SpecialPrice, SpecialPriceDataArea, YesNo } from './model';
import { prng } from '../common/random';
import { CITIES, FIRST_NAMES, FORMS, NOUNS, SERIES, SIZES, STREETS, SUFFIXES, SURNAMES, WAREHOUSES } from './names';
import type { SapState } from './state';

export interface SeedOptions {
	items?: number;
	warehouses?: number;
	priceLists?: number;
	customers?: number;
	suppliers?: number;
	leads?: number;
	specialPrices?: number;
	/** PRNG seed (default 1) */
	seed?: number;
	/** the calendar date taken as "today" (default: the clock's local date) */
	today?: string;
	/** UpdateDate spread back from today (default 60) */
	days?: number;
	/** keep existing data instead of resetting (default false) */
	append?: boolean;
}

export interface SeedSummary {
	items: number;
	warehouses: number;
	priceLists: number;
	customers: number;
	suppliers: number;
	leads: number;
	specialPrices: number;
	ms: number;
}

export const SEED_DEFAULTS = {
	items: 100,
	warehouses: 3,
	priceLists: 3,
	customers: 20,
	suppliers: 5,
	leads: 2,
	specialPrices: 40,
	seed: 1,
	days: 60,
};

const ASCII: Record<string, string> = { ą: 'a', ć: 'c', ę: 'e', ł: 'l', ń: 'n', ó: 'o', ś: 's', ź: 'z', ż: 'z' };
const slug = (s: string) =>
	s
		.toLowerCase()
		.replace(/[ąćęłńóśźż]/g, (c) => ASCII[c])
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');

function nip(rnd: () => number): string {
	for (;;) {
		const d = Array.from({ length: 9 }, (_, i) => (i === 0 ? 1 + Math.floor(rnd() * 9) : Math.floor(rnd() * 10)));
		const sum = [6, 5, 7, 2, 3, 4, 5, 6, 7].reduce((acc, w, i) => acc + w * d[i], 0) % 11;
		if (sum !== 10) return d.join('') + sum;
	}
}

function ean13(rnd: () => number): string {
	let code = '590';
	let sum = 5 + 9 * 3;
	for (let i = 3; i < 12; i++) {
		const d = Math.floor(rnd() * 10);
		code += d;
		sum += d * (i % 2 ? 3 : 1);
	}
	return code + ((10 - (sum % 10)) % 10);
}

const two = (n: number) => String(n).padStart(2, '0');
const secondsOf = (hms: string) => {
	const [h, m, s] = hms.split(':').map(Number);
	return h * 3600 + m * 60 + s;
};

export function seedState(state: SapState, options: SeedOptions = {}): SeedSummary {
	const started = performance.now();
	const o = { ...SEED_DEFAULTS, ...options };
	const rnd = prng(o.seed);
	const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
	const pickOf = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
	const today = o.today ?? state.stamp().date;
	const dates = Array.from({ length: o.days + 401 }, (_, i) => addDays(today, -i));
	// nothing is stamped in the future: records "updated today" got a time before the clock's now
	const now = state.stamp();
	const capToday = today === now.date ? secondsOf(now.time) : 24 * 3600 - 1;
	const time = (date?: string) => {
		const hi = date === today ? Math.min(22 * 3600 - 1, capToday) : 22 * 3600 - 1;
		const lo = Math.min(6 * 3600, hi);
		const s = int(lo, hi);
		return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
	};
	/** CreateDate/CreateTime ≤ UpdateDate/UpdateTime ≤ now */
	const stamps = (upd: number) => {
		const UpdateDate = dates[upd];
		const UpdateTime = time(UpdateDate);
		const CreateDate = dates[upd + int(0, 399)] ?? dates[dates.length - 1];
		let CreateTime = time(CreateDate);
		if (CreateDate === UpdateDate && CreateTime > UpdateTime) CreateTime = UpdateTime;
		return { CreateDate, CreateTime, UpdateDate, UpdateTime };
	};
	if (!o.append) state.reset();

	for (let w = 0; w < o.warehouses; w++) {
		const [city, zip, street, name] = WAREHOUSES[w] ?? [
			CITIES[w % CITIES.length][0],
			CITIES[w % CITIES.length][1],
			'ul. Magazynowa 1',
			`Magazyn ${two(w + 1)}`,
		];
		state.addWarehouse({
			WarehouseCode: two(w + 1),
			WarehouseName: name,
			Street: street,
			ZipCode: zip,
			City: city,
			Country: 'PL',
			Inactive: 'tNO',
			Nettable: 'tYES',
			DropShip: 'tNO',
		});
	}
	const lists: [string, number, number, YesNo][] = [
		['Cennik podstawowy', 1, 1, 'tNO'],
		['Hurtowy', 1, 0.85, 'tNO'],
		['Detal brutto', 1, 1.5375, 'tYES'],
	];
	for (let p = 0; p < o.priceLists; p++) {
		const [name, base, factor, gross] = lists[p] ?? [`Cennik ${p + 1}`, 1, Number((1 + 0.05 * p).toFixed(2)), 'tNO'];
		state.addPriceList({
			PriceListNo: p + 1,
			PriceListName: name,
			BasePriceList: base,
			Factor: factor,
			RoundingMethod: 'borm_NoRounding',
			GroupNum: 'pltNone',
			IsGrossPrice: gross,
			Active: 'tYES',
			ValidFrom: null,
			ValidTo: null,
			DefaultPrimeCurrency: 'PLN',
			DefaultAdditionalCurrency1: null,
			DefaultAdditionalCurrency2: null,
			FixedAmount: 0,
		});
	}

	const whCount = state.warehouseOrder.length;
	const listCount = state.priceListOrder.length;
	const third = state.warehouseIndex('03');
	for (let i = 0; i < o.items; i++) {
		const code = i === 6 ? 'ŁÓD-007' : `TW-${String(i + 1).padStart(6, '0')}`;
		const noun = pickOf(NOUNS);
		const kg = rnd() < 0.1;
		const base = Math.round(100 + Math.exp(rnd() * 12)); // grosze, skewed to cheap items
		const prices = new Array<number>(listCount).fill(-1);
		prices[0] = base;
		if (listCount > 1 && rnd() < 0.05) prices[1] = Math.round(base * 0.8);
		const stock = new Array<number>(whCount * 3).fill(0);
		for (let w = 0; w < whCount; w++) {
			if (rnd() < 0.2) continue;
			const inStock = kg ? Math.round(rnd() * 5000) / 10 : int(1, 500);
			stock[w * 3] = inStock;
			if (rnd() < 0.3) stock[w * 3 + 1] = Math.min(inStock, int(1, 20));
			if (rnd() < 0.1) stock[w * 3 + 2] = int(10, 100);
		}
		const upd = int(0, o.days);
		const rec: ItemRec = {
			ItemCode: code,
			ItemName: `${noun} ${pickOf(SIZES)} (seria ${pickOf(SERIES)})`,
			ForeignName: null,
			ItemsGroupCode: 100 + int(0, 5),
			BarCode: ean13(rnd),
			SalesVATGroup: ((r) => (r < 0.85 ? 'S23' : r < 0.95 ? 'S8' : 'S5'))(rnd()),
			SalesUnit: kg ? 'kg' : 'szt.',
			Mainsupplier: null,
			DefaultWarehouse: '01',
			Valid: rnd() < 0.02 ? 'tNO' : 'tYES',
			Frozen: rnd() < 0.01 ? 'tYES' : 'tNO',
			...stamps(upd),
			prices,
			stock,
		};
		if (third !== undefined && rnd() < 0.005) rec.locked = [third];
		state.addItem(rec);
	}

	const bps: BusinessPartner[] = [];
	const addBp = (type: CardType, prefix: string, n: number) => {
		for (let i = 0; i < n; i++) {
			const code = `${prefix}${String(i + 1).padStart(5, '0')}`;
			const surname = pickOf(SURNAMES);
			const [city, zip] = pickOf(CITIES);
			const suffix = pickOf(SUFFIXES);
			const name =
				type === 'cSupplier'
					? `Dostawca ${surname} ${suffix}`.trim()
					: `${pickOf(FORMS)} ${surname} ${city} ${suffix}`.trim();
			const tax = nip(rnd);
			const r = rnd();
			const federal =
				type === 'cLid' && r < 0.5
					? null
					: r < 0.7
						? tax
						: r < 0.85
							? `PL${tax}`
							: `${tax.slice(0, 3)}-${tax.slice(3, 6)}-${tax.slice(6, 8)}-${tax.slice(8)}`;
			const street = `${pickOf(STREETS)} ${int(1, 180)}`;
			const domain = `${slug(surname)}-${slug(city)}.pl`;
			const first = pickOf(FIRST_NAMES);
			const upd = int(0, o.days);
			const lr = rnd();
			bps.push({
				CardCode: code,
				CardName: name,
				CardType: type,
				GroupCode: type === 'cSupplier' ? 101 : 100,
				Address: street,
				ZipCode: zip,
				City: city,
				Country: 'PL',
				Phone1: `+48 ${int(12, 91)} ${int(100, 999)} ${two(int(0, 99))} ${two(int(0, 99))}`,
				EmailAddress: `biuro@${domain}`,
				FederalTaxID: federal,
				PriceListNum: type === 'cSupplier' ? 1 : Math.min(listCount, lr < 0.6 ? 1 : lr < 0.9 ? 2 : 3),
				Currency: 'PLN',
				PayTermsGrpCode: type === 'cSupplier' ? 2 : pickOf([1, 2, 3]),
				CreditLimit: type === 'cCustomer' ? int(1, 50) * 1000 : 0,
				DiscountPercent: 0,
				Valid: 'tYES',
				Frozen: type === 'cCustomer' && rnd() < 0.04 ? 'tYES' : 'tNO',
				...stamps(upd),
				BPAddresses: [
					{
						AddressName: 'Siedziba',
						Street: street,
						Block: null,
						ZipCode: zip,
						City: city,
						County: null,
						Country: 'PL',
						State: null,
						FederalTaxID: null,
						AddressType: 'bo_BillTo',
						StreetNo: null,
						BPCode: code,
						RowNum: 0,
					},
					{
						AddressName: 'Magazyn',
						Street: `${pickOf(STREETS)} ${int(1, 180)}`,
						Block: null,
						ZipCode: zip,
						City: city,
						County: null,
						Country: 'PL',
						State: null,
						FederalTaxID: null,
						AddressType: 'bo_ShipTo',
						StreetNo: null,
						BPCode: code,
						RowNum: 1,
					},
				],
				ContactEmployees: [
					{
						CardCode: code,
						Name: `${first} ${surname}`,
						Position: 'Zakupy',
						Phone1: null,
						MobilePhone: `+48 ${int(500, 899)} ${int(100, 999)} ${int(100, 999)}`,
						E_Mail: `${slug(first)}.${slug(surname)}@${domain}`,
						InternalCode: i * 10 + 1,
						Active: 'tYES',
						FirstName: first,
						LastName: surname,
					},
				],
			});
		}
	};
	addBp('cCustomer', 'C', o.customers);
	addBp('cSupplier', 'S', o.suppliers);
	addBp('cLid', 'L', o.leads);
	for (const bp of bps) state.addPartner(bp);

	const customers = bps.filter((b) => b.CardType === 'cCustomer');
	const items = state.itemsInOrder();
	let made = 0;
	for (let tries = 0; made < o.specialPrices && tries < o.specialPrices * 20 && items.length; tries++) {
		const star = rnd() < 0.25 || !customers.length;
		const listNo = star ? Math.min(listCount, rnd() < 0.7 ? 2 : 1) : 0;
		const bp = star ? undefined : pickOf(customers);
		const cardCode = star ? `*${listNo}` : bp!.CardCode;
		const item = pickOf(items);
		if (state.specialPrice(cardCode, item.ItemCode)) continue;
		const pl = star ? listNo : bp!.PriceListNum;
		const listG = BigInt(state.priceOf(item, pl).grosze);
		const off = (pct: number) => pln(mulDiv(listG, toScaled(100 - pct, 6), 100_000_000n));
		const discount = int(3, 20);
		const price = off(discount);
		const dated = rnd() < 0.3;
		const from = dated ? dates[int(0, 30)] : null;
		const to = dated ? (rnd() < 0.3 ? dates[int(1, 5)] : addDays(today, int(10, 90))) : null;
		const areas: SpecialPriceDataArea[] = [];
		if (rnd() < 0.4) {
			const areaPrice = off(discount + 5);
			const steps = rnd() < 0.5;
			areas.push({
				PriceCurrency: 'PLN',
				AutoUpdate: 'tNO',
				DateFrom: addDays(today, -int(1, 10)),
				Dateto: addDays(today, int(5, 30)),
				Discount: discount + 5,
				SpecialPrice: areaPrice,
				BPCode: cardCode,
				PriceListNo: pl,
				ItemNo: item.ItemCode,
				RowNumber: 0,
				SpecialPriceQuantityAreas: steps
					? [10, 50].map((q, i) => ({
							Quantity: q,
							SPDARowNumber: 0,
							SpecialPrice: off(discount + 7 + i * 3),
							ItemNo: item.ItemCode,
							BPCode: cardCode,
							RowNumber: i,
							PriceCurrency: 'PLN',
							Discountin: discount + 7 + i * 3,
							UoMEntry: null,
						}))
					: [],
			});
		}
		const sp: SpecialPrice = {
			ItemCode: item.ItemCode,
			CardCode: cardCode,
			Price: price,
			Currency: 'PLN',
			DiscountPercent: discount,
			PriceListNum: pl,
			AutoUpdate: 'tNO',
			SourcePrice: 'spp_PriceList',
			Valid: rnd() < 0.05 ? 'tNO' : 'tYES',
			ValidFrom: from,
			ValidTo: to,
			SpecialPriceDataAreas: areas,
		};
		state.addSpecialPrice(sp);
		made++;
	}

	return {
		items: o.items,
		warehouses: o.warehouses,
		priceLists: o.priceLists,
		customers: o.customers,
		suppliers: o.suppliers,
		leads: o.leads,
		specialPrices: made,
		ms: Math.round(performance.now() - started),
	};
}
