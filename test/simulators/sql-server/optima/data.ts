/**
 * The simulator's Comarch ERP Optima company database (`CDN_<Firma>`, schema CDN): only the tables and columns that
 * nodes/Optima/sql/queries.ts reads (names from the research, erp-facts §3 and erp-facts-enova-optima §2). Money and
 * quantities are bigint ten-thousandths (4 decimals); datetimes are Date whose UTC fields are Optima's local wall
 * clock (Optima stores no zone). Text is Polish (ą ć ę ł ń ó ś ź ż in names and codes); varchar columns go out in
 * code page 1250, as a Polish_CI_AS database sends them.
 *
 * Column types are an ASSUMPTION where the research says nothing (README.md): ids and flags int, codes and names
 * varchar, prices / quantities / rates money (Optima declares decimal(…,2/4); the driver returns both as numbers).
 *
 * The seed uses the clients, products and warehouses of the Optima bridge simulator's memory store
 * (test/simulators/optima-bridge/store.ts), so an RO the bridge saves through optimaRoStore is readable here.
 */
import { money, wallClock } from '../common';

export interface Towar {
	Twr_TwrId: number;
	Twr_Kod: string;
	Twr_Nazwa: string;
	Twr_EAN: string | null;
	Twr_JM: string;
	Twr_NieAktywny: number;
	/** VAT percentage, ten-thousandths */
	Twr_Stawka: bigint;
	/** 2 = a rate, 1 = zw, 4 = np (UNVERIFIED, docs/optima-sql.md) */
	Twr_Flaga: number;
	/** the product's default price (a DfC_Lp) */
	Twr_TwCNumer: number;
	/** the product group */
	Twr_TwGGIDNumer: number;
	Twr_TS_Mod: Date;
}
export interface DefCena {
	DfC_DfCId: number;
	DfC_Nazwa: string;
	DfC_Lp: number;
	/** 1 = net, 2 = gross */
	DfC_Typ: number;
}
export interface TwrCena {
	TwC_TwCID: number;
	TwC_TwrID: number;
	/** = DfC_Lp */
	TwC_TwCNumer: number;
	TwC_Wartosc: bigint;
	TwC_Waluta: string;
}
export interface Rabat {
	Rab_RabId: number;
	Rab_Typ: number;
	Rab_PodmiotTyp: number | null;
	Rab_PodmiotId: number | null;
	Rab_TwrId: number | null;
	Rab_Rabat: bigint;
	Rab_Cena: bigint | null;
	Rab_Waluta: string | null;
	Rab_DataOd: Date | null;
	Rab_DataDo: Date | null;
}
export interface Magazyn {
	Mag_MagId: number;
	Mag_Symbol: string;
	Mag_Nazwa: string;
}
/** a dated snapshot: the current figure is the latest TwI_Data not after today; MagId null = the total */
export interface TwrIlosc {
	TwI_TwIId: number;
	TwI_TwrId: number;
	TwI_MagId: number | null;
	TwI_Data: Date;
	TwI_Ilosc: bigint;
	TwI_Rezerwacje: bigint;
	TwI_Zamowienia: bigint;
}
export interface Kontrahent {
	Knt_KntId: number;
	Knt_Kod: string;
	Knt_Nazwa1: string;
	Knt_Nazwa2: string | null;
	Knt_Nip: string | null;
	Knt_Grupa: string | null;
	Knt_Nieaktywny: number;
	/** the client's default price: a DfC_DfCId or a DfC_Lp (UNVERIFIED which) */
	Knt_Ceny: number | null;
	Knt_Ulica: string | null;
	Knt_NrDomu: string | null;
	Knt_NrLokalu: string | null;
	Knt_KodPocztowy: string | null;
	Knt_Miasto: string | null;
	Knt_Kraj: string | null;
	Knt_Email: string | null;
	Knt_Telefon1: string | null;
	Knt_TS_Mod: Date;
}
export interface TraNag {
	TrN_TrNID: number;
	/** 302 FS, 306 WZ, 308 RO */
	TrN_TypDokumentu: number;
	/** type × 1000 + variant: 302000, 306000, 308000 */
	TrN_Rodzaj: number;
	TrN_NumerPelny: string;
	TrN_NumerObcy: string;
	TrN_PodID: number;
	/** 1 = a client card */
	TrN_PodmiotTyp: number;
	TrN_MagZrdId: number | null;
	TrN_DataDok: Date;
	TrN_DataWys: Date;
	TrN_Bufor: number;
	TrN_Anulowany: number;
	TrN_RazemNetto: bigint;
	TrN_RazemBrutto: bigint;
	TrN_TS_Zal: Date;
	TrN_TS_Mod: Date;
}
export interface TraElem {
	TrE_TrEId: number;
	TrE_TrNId: number;
	TrE_TwrId: number;
	TrE_TwrKod: string;
	TrE_MagId: number | null;
	TrE_Ilosc: bigint;
	TrE_CenaT: bigint;
	TrE_Rabat: bigint;
	TrE_WartoscNetto: bigint;
}
/** source TrR_TrNId (of type TrR_TrNTyp) → follower TrR_FaId (of type TrR_FaTyp) */
export interface TraNagRelacja {
	TrR_TrRId: number;
	TrR_TrNId: number;
	TrR_TrNTyp: number;
	TrR_FaId: number;
	TrR_FaTyp: number;
}

export interface OptimaDatabase {
	Towary: Towar[];
	DefCeny: DefCena[];
	TwrCeny: TwrCena[];
	Rabaty: Rabat[];
	Magazyny: Magazyn[];
	TwrIlosci: TwrIlosc[];
	Kontrahenci: Kontrahent[];
	TraNag: TraNag[];
	TraElem: TraElem[];
	TraNagRelacje: TraNagRelacja[];
	/** RO notes the bridge passed (Optima keeps them in TrN_Opis, which no statement reads) */
	notes: Map<number, string>;
}

/** lower-case table names the read-only login can see (anything else in FROM / JOIN → error 208) */
export const KNOWN_TABLES: ReadonlySet<string> = new Set([
	'towary',
	'defceny',
	'twrceny',
	'rabaty',
	'magazyny',
	'twrilosci',
	'kontrahenci',
	'tranag',
	'traelem',
	'tranagrelacje',
	'dokatrybuty',
	'twrgrupy',
]);

export const DOC = { FS: 302, WZ: 306, RO: 308 } as const;

const m = money;
const d = wallClock;

/** The five price definitions of a new Optima company (research [O7]); ids differ from Lp on purpose (Knt_Ceny). */
const DEF_CENY: DefCena[] = [
	{ DfC_DfCId: 101, DfC_Nazwa: 'zakupu', DfC_Lp: 1, DfC_Typ: 1 },
	{ DfC_DfCId: 102, DfC_Nazwa: 'hurtowa 1', DfC_Lp: 2, DfC_Typ: 1 },
	{ DfC_DfCId: 103, DfC_Nazwa: 'hurtowa 2', DfC_Lp: 3, DfC_Typ: 1 },
	{ DfC_DfCId: 104, DfC_Nazwa: 'hurtowa 3', DfC_Lp: 4, DfC_Typ: 1 },
	{ DfC_DfCId: 105, DfC_Nazwa: 'detaliczna', DfC_Lp: 5, DfC_Typ: 2 },
];

function towar(id: number, kod: string, nazwa: string, opts: Partial<Towar> & { vat?: string } = {}): Towar {
	return {
		Twr_TwrId: id,
		Twr_Kod: kod,
		Twr_Nazwa: nazwa,
		Twr_EAN: opts.Twr_EAN ?? null,
		Twr_JM: opts.Twr_JM ?? 'szt.',
		Twr_NieAktywny: opts.Twr_NieAktywny ?? 0,
		Twr_Stawka: m(opts.vat ?? '23'),
		Twr_Flaga: opts.Twr_Flaga ?? 2,
		Twr_TwCNumer: opts.Twr_TwCNumer ?? 2,
		Twr_TwGGIDNumer: opts.Twr_TwGGIDNumer ?? 10,
		Twr_TS_Mod: opts.Twr_TS_Mod ?? d('2026-03-01 08:00'),
	};
}

/** The seed: 6 products, 5 price definitions, 4 clients, 2 warehouses, dated stock, discounts, RO → WZ → FS. */
export function seedOptima(): OptimaDatabase {
	const Towary = [
		towar(1, 'ŁÓD-001', 'Łódka żółta', { Twr_EAN: '5901234123457', Twr_TS_Mod: d('2026-03-01 08:00:00.250') }),
		towar(2, 'ŻAG-002', 'Żagiel źrebięcy', { Twr_TwGGIDNumer: 20, Twr_TS_Mod: d('2026-03-02 09:30') }),
		towar(3, 'WIO-003', 'Wiosło ą ć ę ł ń ó ś ź ż', {
			Twr_TwGGIDNumer: 20,
			vat: '8',
			Twr_TS_Mod: d('2026-03-03 10:00'),
		}),
		towar(4, 'ĆMA-009', 'Ćma nocna (wycofana)', { Twr_NieAktywny: 1, Twr_TS_Mod: d('2026-03-04 11:00') }),
		towar(5, 'KSIĄŻKA-ŚĆ', 'Książka „Świeć, ćmo”', { vat: '5', Twr_JM: 'egz.', Twr_TS_Mod: d('2026-03-05 12:00') }),
		towar(6, 'SZKOL-ZW', 'Szkolenie żeglarskie (zw.)', {
			vat: '0',
			Twr_Flaga: 1,
			Twr_JM: 'usł.',
			Twr_TS_Mod: d('2026-03-06 13:00'),
		}),
	];
	// [zakupu, hurtowa 1, hurtowa 2, hurtowa 3, detaliczna (gross)] per product
	const prices: Record<number, string[]> = {
		1: ['80.00', '120.00', '115.50', '110.00', '184.50'],
		2: ['10.00', '15.99', '15.49', '14.99', '24.59'],
		3: ['25.5', '39.90', '38.00', '36.1234', '53.89'],
		4: ['1.00', '2.00', '2.00', '2.00', '2.46'],
		5: ['20.00', '31.00', '30.00', '29.00', '40.95'],
		6: ['0.00', '500.00', '450.00', '400.00', '500.00'],
	};
	const TwrCeny: TwrCena[] = [];
	for (const [twr, list] of Object.entries(prices))
		list.forEach((v, i) =>
			TwrCeny.push({
				TwC_TwCID: TwrCeny.length + 1,
				TwC_TwrID: Number(twr),
				TwC_TwCNumer: i + 1,
				TwC_Wartosc: m(v),
				TwC_Waluta: 'PLN',
			}),
		);
	const Kontrahenci: Kontrahent[] = [
		{
			Knt_KntId: 1,
			Knt_Kod: 'K-ŚWIĘTOKRZYSKA',
			Knt_Nazwa1: 'Hurtownia Świętokrzyska',
			Knt_Nazwa2: 'Sp. z o.o.',
			Knt_Nip: 'PL 657-000-54-12',
			Knt_Grupa: 'HURT-ŁÓDŹ',
			Knt_Nieaktywny: 0,
			Knt_Ceny: 102, // DfC_DfCId of "hurtowa 1"; as a Lp it names nothing
			Knt_Ulica: 'ul. Źródłowa',
			Knt_NrDomu: '12',
			Knt_NrLokalu: '3',
			Knt_KodPocztowy: '25-001',
			Knt_Miasto: 'Kielce',
			Knt_Kraj: 'PL',
			Knt_Email: 'zamowienia@swietokrzyska.pl',
			Knt_Telefon1: '+48 41 000 00 01',
			Knt_TS_Mod: d('2026-02-01 10:00'),
		},
		{
			Knt_KntId: 2,
			Knt_Kod: 'ŻABKA-ŁÓDŹ',
			Knt_Nazwa1: 'Sklep Żelazny „Żabka” Łódź',
			Knt_Nazwa2: null,
			Knt_Nip: '7250000000',
			Knt_Grupa: 'DETAL',
			Knt_Nieaktywny: 0,
			Knt_Ceny: 3, // Lp 3 "hurtowa 2"; as an id it names nothing
			Knt_Ulica: 'Piotrkowska',
			Knt_NrDomu: '100',
			Knt_NrLokalu: null,
			Knt_KodPocztowy: '90-001',
			Knt_Miasto: 'Łódź',
			Knt_Kraj: 'Polska',
			Knt_Email: null,
			Knt_Telefon1: null,
			Knt_TS_Mod: d('2026-02-02 11:00'),
		},
		{
			Knt_KntId: 3,
			Knt_Kod: 'GĄSKA-ŹRÓDŁA',
			Knt_Nazwa1: 'P.H.U. Gąska Źródła s.c.',
			Knt_Nazwa2: null,
			Knt_Nip: null,
			Knt_Grupa: null,
			Knt_Nieaktywny: 1,
			Knt_Ceny: null,
			Knt_Ulica: null,
			Knt_NrDomu: null,
			Knt_NrLokalu: null,
			Knt_KodPocztowy: null,
			Knt_Miasto: null,
			Knt_Kraj: null,
			Knt_Email: null,
			Knt_Telefon1: null,
			Knt_TS_Mod: d('2026-02-03 12:00'),
		},
		{
			Knt_KntId: 4,
			Knt_Kod: 'K-GDAŃSK',
			Knt_Nazwa1: 'Gdańska Szkółka Żeglarska',
			Knt_Nazwa2: null,
			Knt_Nip: null,
			Knt_Grupa: 'HURT-ŁÓDŹ',
			Knt_Nieaktywny: 0,
			Knt_Ceny: 104, // "hurtowa 3" by id
			Knt_Ulica: 'Długa',
			Knt_NrDomu: '1',
			Knt_NrLokalu: null,
			Knt_KodPocztowy: '80-831',
			Knt_Miasto: 'Gdańsk',
			Knt_Kraj: 'PL',
			Knt_Email: 'biuro@szkolka.gda.pl',
			Knt_Telefon1: null,
			Knt_TS_Mod: d('2026-02-04 13:00'),
		},
	];
	const Rabaty: Rabat[] = [
		// 5 % for K-ŚWIĘTOKRZYSKA on every product (Rab_Typ 2), now
		rabat(1, 2, 1, null, '5', null, '2026-01-01', '2099-12-31'),
		// a fixed price for K-ŚWIĘTOKRZYSKA on ŻAG-002 (Rab_Rabat 0 + Rab_Cena): wins over the 5 %
		rabat(2, 1, 1, 2, '0', '13.50', '2026-01-01', '2099-12-31'),
		// ended: never read
		rabat(3, 1, 4, 1, '10', null, '2025-01-01', '2025-12-31'),
		// 12.5 % for K-GDAŃSK on product group 20 (ŻAG-002, WIO-003), Rab_Typ 5
		rabat(4, 5, 4, 20, '12.5', null, '2026-01-01', null),
		// a client-group discount (Rab_Typ 12): group id 7
		rabat(5, 12, 7, null, '3', null, '2026-01-01', '2099-12-31', null),
		// starts in the future: a price with validFrom, not applied by the order check today
		rabat(6, 1, 1, 3, '20', null, '2099-01-01', '2099-12-31'),
		// a type the table does not know: skipped
		rabat(7, 99, 1, 1, '50', null, '2026-01-01', '2099-12-31'),
	];
	const Magazyny: Magazyn[] = [
		{ Mag_MagId: 1, Mag_Symbol: 'MAGAZYN', Mag_Nazwa: 'Magazyn główny Łódź' },
		{ Mag_MagId: 2, Mag_Symbol: 'MAG-KRAKÓW', Mag_Nazwa: 'Magazyn Kraków' },
		// no stock rows: a warehouse with nothing in it is still one a workflow may name
		{ Mag_MagId: 3, Mag_Symbol: 'ŻUŁAWY', Mag_Nazwa: 'Skład Żuławy, Nowy Dwór Gdański' },
	];
	const TwrIlosci: TwrIlosc[] = [];
	const snap = (twr: number, mag: number | null, date: string, ilosc: string, rez = '0', zam = '0') =>
		TwrIlosci.push({
			TwI_TwIId: TwrIlosci.length + 1,
			TwI_TwrId: twr,
			TwI_MagId: mag,
			TwI_Data: d(date),
			TwI_Ilosc: m(ilosc),
			TwI_Rezerwacje: m(rez),
			TwI_Zamowienia: m(zam),
		});
	// ŁÓD-001: an older and the current snapshot, a planned future one that must not be read, and the totals
	snap(1, 1, '2026-01-10', '100', '5');
	snap(1, 1, '2026-03-01', '120', '10', '30');
	snap(1, 1, '2099-01-01', '999', '0');
	snap(1, 2, '2026-02-15', '7.5');
	snap(1, null, '2026-01-10', '100', '5');
	snap(1, null, '2026-03-01', '127.5', '10', '30');
	snap(1, null, '2099-01-01', '1006.5', '0');
	// ŻAG-002: more reserved than on hand (available below 0 → 0, counted)
	snap(2, 1, '2026-03-01', '3', '5');
	snap(2, null, '2026-03-01', '3', '5');
	// WIO-003: fractional quantities, only in Kraków
	snap(3, 2, '2026-02-20', '12.25', '0.25');
	snap(3, null, '2026-02-20', '12.25', '0.25');
	// KSIĄŻKA-ŚĆ: two rows of the same day (the higher TwI_TwIId wins)
	snap(5, 1, '2026-03-02', '40', '0');
	snap(5, 1, '2026-03-02', '38', '2');
	snap(5, null, '2026-03-02', '38', '2');

	const db: OptimaDatabase = {
		Towary,
		DefCeny: DEF_CENY.map((x) => ({ ...x })),
		TwrCeny,
		Rabaty,
		Magazyny,
		TwrIlosci,
		Kontrahenci,
		TraNag: [],
		TraElem: [],
		TraNagRelacje: [],
		notes: new Map(),
	};
	// RO → WZ → FS (invoiced), RO → WZ (shipped), RO in the buffer (placed), a cancelled RO, RO → FS directly,
	// an FS of an RO without a portal number, and an FS still in the buffer
	const ro1 = addDoc(db, DOC.RO, 'RO/1/2026', 'B2B/2026/000101', 1, '2026-03-10 09:00', {
		net: '240.00',
		gross: '295.20',
	});
	addLine(db, ro1, 1, '2', '120.00');
	const wz1 = issueWz(db, ro1.TrN_TrNID, '2026-03-11 10:00');
	issueFs(db, wz1.TrN_TrNID, '2026-03-12 11:00');
	const ro2 = addDoc(db, DOC.RO, 'RO/2/2026', 'B2B/2026/000102', 2, '2026-03-13 09:00', {
		net: '77.47',
		gross: '95.29',
	});
	addLine(db, ro2, 2, '5', '15.49');
	issueWz(db, ro2.TrN_TrNID, '2026-03-14 10:00');
	const ro3 = addDoc(db, DOC.RO, 'RO/3/2026', 'B2B/2026/000103', 1, '2026-03-15 09:00', {
		net: '39.90',
		gross: '43.09',
	});
	ro3.TrN_Bufor = 1;
	addLine(db, ro3, 3, '1', '39.90');
	const ro4 = addDoc(db, DOC.RO, 'RO/4/2026', 'B2B/2026/000104', 4, '2026-03-16 09:00', {
		net: '110.00',
		gross: '135.30',
	});
	ro4.TrN_Anulowany = 1;
	ro4.TrN_TS_Mod = d('2026-03-17 08:00');
	addLine(db, ro4, 1, '1', '110.00');
	const ro5 = addDoc(db, DOC.RO, 'RO/5/2026', 'B2B/2026/000105', 4, '2026-03-18 09:00', {
		net: '29.00',
		gross: '30.45',
	});
	addLine(db, ro5, 5, '1', '29.00');
	issueFs(db, ro5.TrN_TrNID, '2026-03-19 10:00');
	const ro6 = addDoc(db, DOC.RO, 'RO/6/2026', '', 2, '2026-03-20 09:00', { net: '500.00', gross: '500.00' });
	addLine(db, ro6, 6, '1', '500.00');
	issueFs(db, ro6.TrN_TrNID, '2026-03-21 10:00');
	const draft = issueFs(db, ro6.TrN_TrNID, '2026-03-22 10:00');
	draft.TrN_Bufor = 1;
	return db;
}

function rabat(
	id: number,
	typ: number,
	podmiot: number | null,
	twr: number | null,
	procent: string,
	cena: string | null,
	od: string | null,
	doDnia: string | null,
	podmiotTyp: number | null = 1,
): Rabat {
	return {
		Rab_RabId: id,
		Rab_Typ: typ,
		Rab_PodmiotTyp: podmiot === null ? null : podmiotTyp,
		Rab_PodmiotId: podmiot,
		Rab_TwrId: twr,
		Rab_Rabat: m(procent),
		Rab_Cena: cena === null ? null : m(cena),
		Rab_Waluta: cena === null ? null : 'PLN',
		Rab_DataOd: od === null ? null : d(od),
		Rab_DataDo: doDnia === null ? null : d(doDnia),
	};
}

const nextId = (rows: Array<Record<string, unknown>>, key: string) =>
	rows.reduce((max, r) => Math.max(max, Number(r[key])), 0) + 1;

/** Adds a document header (TraNag) and returns it; TS_Zal = TS_Mod = DataDok = `at` (wall clock). */
export function addDoc(
	db: OptimaDatabase,
	typ: number,
	numer: string,
	numerObcy: string,
	podId: number,
	at: string,
	totals: { net: string; gross: string },
	magId: number | null = 1,
): TraNag {
	const when = d(at);
	const doc: TraNag = {
		TrN_TrNID: nextId(db.TraNag as never, 'TrN_TrNID'),
		TrN_TypDokumentu: typ,
		TrN_Rodzaj: typ * 1000,
		TrN_NumerPelny: numer,
		TrN_NumerObcy: numerObcy,
		TrN_PodID: podId,
		TrN_PodmiotTyp: 1,
		TrN_MagZrdId: magId,
		TrN_DataDok: new Date(Date.UTC(when.getUTCFullYear(), when.getUTCMonth(), when.getUTCDate())),
		TrN_DataWys: new Date(Date.UTC(when.getUTCFullYear(), when.getUTCMonth(), when.getUTCDate())),
		TrN_Bufor: 0,
		TrN_Anulowany: 0,
		TrN_RazemNetto: m(totals.net),
		TrN_RazemBrutto: m(totals.gross),
		TrN_TS_Zal: when,
		TrN_TS_Mod: when,
	};
	db.TraNag.push(doc);
	return doc;
}

/** Adds a line (TraElem) to a document: net value = quantity × unit price. */
export function addLine(db: OptimaDatabase, doc: TraNag, twrId: number, ilosc: string, cena: string): TraElem {
	const twr = db.Towary.find((t) => t.Twr_TwrId === twrId);
	if (!twr) throw new Error(`no product ${twrId}`);
	const q = m(ilosc);
	const c = m(cena);
	const el: TraElem = {
		TrE_TrEId: nextId(db.TraElem as never, 'TrE_TrEId'),
		TrE_TrNId: doc.TrN_TrNID,
		TrE_TwrId: twrId,
		TrE_TwrKod: twr.Twr_Kod,
		TrE_MagId: doc.TrN_MagZrdId,
		TrE_Ilosc: q,
		TrE_CenaT: c,
		TrE_Rabat: 0n,
		TrE_WartoscNetto: (q * c) / 10000n,
	};
	db.TraElem.push(el);
	return el;
}

function relate(db: OptimaDatabase, source: TraNag, follower: TraNag): void {
	db.TraNagRelacje.push({
		TrR_TrRId: nextId(db.TraNagRelacje as never, 'TrR_TrRId'),
		TrR_TrNId: source.TrN_TrNID,
		TrR_TrNTyp: source.TrN_TypDokumentu,
		TrR_FaId: follower.TrN_TrNID,
		TrR_FaTyp: follower.TrN_TypDokumentu,
	});
}

function follower(db: OptimaDatabase, sourceId: number, typ: number, symbol: string, at: string): TraNag {
	const source = db.TraNag.find((n) => n.TrN_TrNID === sourceId);
	if (!source) throw new Error(`no document ${sourceId}`);
	const count = db.TraNag.filter((n) => n.TrN_TypDokumentu === typ).length + 1;
	const year = at.slice(0, 4);
	const doc = addDoc(
		db,
		typ,
		`${symbol}/${count}/${year}`,
		'',
		source.TrN_PodID,
		at,
		{
			net: (Number(source.TrN_RazemNetto) / 10000).toFixed(4),
			gross: (Number(source.TrN_RazemBrutto) / 10000).toFixed(4),
		},
		source.TrN_MagZrdId,
	);
	for (const el of db.TraElem.filter((e) => e.TrE_TrNId === source.TrN_TrNID))
		db.TraElem.push({ ...el, TrE_TrEId: nextId(db.TraElem as never, 'TrE_TrEId'), TrE_TrNId: doc.TrN_TrNID });
	relate(db, source, doc);
	return doc;
}

/** Issues a WZ (306) from an RO: the relation RO → WZ, the WZ's TS_Mod = `at`. */
export function issueWz(db: OptimaDatabase, roId: number, at: string): TraNag {
	return follower(db, roId, DOC.WZ, 'WZ', at);
}

/** Issues an FS (302) from an RO (directly) or from its WZ: the relation, the FS's TS_Mod = `at`. */
export function issueFs(db: OptimaDatabase, sourceId: number, at: string): TraNag {
	return follower(db, sourceId, DOC.FS, 'FS', at);
}

/** Cancels a document (TrN_Anulowany = 1) and bumps its TS_Mod. */
export function cancelDoc(db: OptimaDatabase, id: number, at: string): void {
	const doc = db.TraNag.find((n) => n.TrN_TrNID === id);
	if (!doc) throw new Error(`no document ${id}`);
	doc.TrN_Anulowany = 1;
	doc.TrN_TS_Mod = d(at);
}

/** Confirms a document in the buffer (TrN_Bufor 1 → 0) and bumps its TS_Mod. */
export function confirmDoc(db: OptimaDatabase, id: number, at: string): void {
	const doc = db.TraNag.find((n) => n.TrN_TrNID === id);
	if (!doc) throw new Error(`no document ${id}`);
	doc.TrN_Bufor = 0;
	doc.TrN_TS_Mod = d(at);
}

/**
 * `count` more products (ids from `firstId`), each with the five prices and a current snapshot in MAGAZYN and a
 * total — for paging tests.
 */
export function addGeneratedProducts(db: OptimaDatabase, count: number, firstId = 1000): Towar[] {
	const added: Towar[] = [];
	for (let i = 0; i < count; i++) {
		const id = firstId + i;
		const t = towar(id, `GEN-${String(id).padStart(6, '0')}-Ż`, `Towar generowany nr ${id} — żółć`, {
			Twr_TS_Mod: d('2026-01-05 08:00'),
		});
		db.Towary.push(t);
		added.push(t);
		for (let lp = 1; lp <= 5; lp++)
			db.TwrCeny.push({
				TwC_TwCID: nextId(db.TwrCeny as never, 'TwC_TwCID'),
				TwC_TwrID: id,
				TwC_TwCNumer: lp,
				TwC_Wartosc: m(`${10 + lp}.${String(i % 100).padStart(2, '0')}`),
				TwC_Waluta: 'PLN',
			});
		for (const mag of [1, null])
			db.TwrIlosci.push({
				TwI_TwIId: nextId(db.TwrIlosci as never, 'TwI_TwIId'),
				TwI_TwrId: id,
				TwI_MagId: mag,
				TwI_Data: d('2026-03-01'),
				TwI_Ilosc: m(String(i % 50)),
				TwI_Rezerwacje: 0n,
				TwI_Zamowienia: 0n,
			});
	}
	return added;
}
