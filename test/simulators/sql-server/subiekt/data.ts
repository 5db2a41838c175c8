/**
 * The simulator's Subiekt GT-like database: only the tables and columns that nodes/SubiektGt/sql/queries.ts reads
 * (names from erp-facts §4 and the EF model cited in docs/subiekt-gt-sql.md). Money is kept as bigint
 * ten-thousandths (SQL Server money has 4 decimals); datetimes as Date whose UTC fields are Subiekt's
 * local wall clock (Subiekt stores no zone). Text is Polish; varchar columns go out in code page 1250.
 */
import { money, wallClock } from '../common';

export interface Towar {
	tw_Id: number;
	tw_Symbol: string;
	tw_Nazwa: string;
	tw_Opis: string | null;
	tw_JednMiary: string;
	tw_PodstKodKresk: string | null;
	tw_Zablokowany: boolean;
	tw_Usuniety: boolean;
	tw_SklepInternet: boolean;
	tw_IdVatSp: number | null;
}
/** tw_Cena: one row per product; index 0 = level 1 (tc_CenaNetto1) … index 9 = level 10 */
export interface Cena {
	tc_IdTowar: number;
	netto: Array<bigint | null>;
	brutto: Array<bigint | null>;
}
export interface Parametr {
	twp_Id: number;
	/** twp_NazwaCeny1..10 */
	names: Array<string | null>;
}
export interface StawkaVat {
	vat_Id: number;
	vat_Symbol: string;
	vat_Stawka: bigint;
}
export interface Magazyn {
	mag_Id: number;
	mag_Symbol: string;
	mag_Nazwa: string;
	/** the main warehouse (bit, NOT NULL in [EF]) */
	mag_Glowny: boolean;
}
export interface Stan {
	st_TowId: number;
	st_MagId: number;
	st_Stan: bigint;
	st_StanRez: bigint;
}
export interface Kontrahent {
	kh_Id: number;
	kh_Symbol: string;
	kh_EMail: string | null;
	kh_Zablokowany: boolean;
	kh_Cena: number | null;
	kh_DataZmiany: Date | null;
}
export interface Adres {
	adr_Id: number;
	adr_IdObiektu: number;
	adr_TypAdresu: number;
	adr_Nazwa: string | null;
	adr_NazwaPelna: string | null;
	adr_NIP: string | null;
	adr_Ulica: string | null;
	adr_NrDomu: string | null;
	adr_NrLokalu: string | null;
	adr_Kod: string | null;
	adr_Miejscowosc: string | null;
	adr_Telefon: string | null;
	adr_IdPanstwo: number | null;
}
export interface Panstwo {
	pa_Id: number;
	pa_KodPanstwaISO: string;
}
export interface Cennik {
	icen_Id: number;
	icen_Nazwa: string;
	icen_Waluta: string | null;
	icen_OgraniczonaCzasowo: boolean;
	icen_Od: Date | null;
	icen_Do: Date | null;
	icen_Nieaktywny: boolean;
}
export interface CennikKontrahent {
	icenk_CennikId: number;
	icenk_KhId: number;
}
export interface CennikTowar {
	icent_CennikId: number;
	icent_TwId: number;
	icent_CenaNetto: bigint | null;
	icent_CenaBrutto: bigint | null;
}
export interface Dokument {
	dok_Id: number;
	/** 2 FS, 11 WZ, 16 ZK (erp-facts §4) */
	dok_Typ: number;
	dok_NrPelny: string;
	dok_NrPelnyOryg: string | null;
	dok_Status: number;
	dok_DataWyst: Date;
	dok_PlatTermin: Date | null;
	dok_Waluta: string | null;
	dok_WartNetto: bigint;
	dok_WartVat: bigint;
	dok_WartBrutto: bigint;
	dok_DoDokId: number | null;
	dok_PlatnikId: number | null;
	dok_OdbiorcaId: number | null;
}

/** tw_ZdjecieTw: product pictures, the bytes in zd_Zdjecie (SQL type image) */
export interface Zdjecie {
	zd_Id: number;
	zd_IdTowar: number;
	zd_Zdjecie: Buffer | null;
	zd_Glowne: boolean;
	zd_CRC: number | null;
}

export interface SubiektDatabase {
	tw__Towar: Towar[];
	tw_Cena: Cena[];
	tw_Parametr: Parametr[];
	sl_StawkaVAT: StawkaVat[];
	sl_Magazyn: Magazyn[];
	tw_Stan: Stan[];
	kh__Kontrahent: Kontrahent[];
	adr__Ewid: Adres[];
	sl_Panstwo: Panstwo[];
	icen__CennikiIndywidualne: Cennik[];
	icen_CennikKontrahent: CennikKontrahent[];
	icen_CennikTowar: CennikTowar[];
	dok__Dokument: Dokument[];
	tw_ZdjecieTw: Zdjecie[];
}

/** Tables the simulated login can see (any other name in FROM → error 208). */
export const KNOWN_TABLES: ReadonlySet<string> = new Set([
	'tw__towar',
	'tw_cena',
	'tw_parametr',
	'sl_stawkavat',
	'sl_magazyn',
	'tw_stan',
	'kh__kontrahent',
	'adr__ewid',
	'sl_panstwo',
	'icen__cennikiindywidualne',
	'icen_cennikkontrahent',
	'icen_cenniktowar',
	'dok__dokument',
	'dok_pozycja',
	'tw_zdjecietw',
]);

const levels = (values: Array<string | null>): Array<bigint | null> => {
	const out = values.map((v) => (v === null ? null : money(v)));
	while (out.length < 10) out.push(null);
	return out;
};

/** A small Subiekt GT company ("Zażółć gęślą jaźń Sp. z o.o."), the same shapes as test/fixtures/subiekt-sql. */
export function seedDatabase(): SubiektDatabase {
	return {
		sl_StawkaVAT: [
			{ vat_Id: 100001, vat_Symbol: '23', vat_Stawka: money('23') },
			{ vat_Id: 100002, vat_Symbol: '8', vat_Stawka: money('8') },
			{ vat_Id: 100003, vat_Symbol: '5', vat_Stawka: money('5') },
			{ vat_Id: 100004, vat_Symbol: 'zw', vat_Stawka: money('0') },
		],
		tw__Towar: [
			{
				tw_Id: 101,
				tw_Symbol: 'ŁÓD-001',
				tw_Nazwa: 'Łódka żółta ĄĘŚ',
				tw_Opis: 'Łódka wiosłowa, kolor żółty. Zażółć gęślą jaźń.',
				tw_JednMiary: 'szt.',
				tw_PodstKodKresk: '5901234123457',
				tw_Zablokowany: false,
				tw_Usuniety: false,
				tw_SklepInternet: true,
				tw_IdVatSp: 100001,
			},
			{
				tw_Id: 102,
				tw_Symbol: 'ŻAG-002',
				tw_Nazwa: 'Żagiel źrebięcy ćma ŃÓŹ',
				tw_Opis: '',
				tw_JednMiary: 'kpl.',
				tw_PodstKodKresk: '',
				tw_Zablokowany: false,
				tw_Usuniety: false,
				tw_SklepInternet: false,
				tw_IdVatSp: 100002,
			},
			{
				tw_Id: 103,
				tw_Symbol: 'USU-004',
				tw_Nazwa: 'Usunięty śrubokręt',
				tw_Opis: null,
				tw_JednMiary: 'szt.',
				tw_PodstKodKresk: null,
				tw_Zablokowany: false,
				tw_Usuniety: true,
				tw_SklepInternet: false,
				tw_IdVatSp: 100001,
			},
			{
				tw_Id: 105,
				tw_Symbol: 'WIO-003',
				tw_Nazwa: 'Wiosło ą ć ę ł ń ó ś ź ż',
				tw_Opis: null,
				tw_JednMiary: 'para',
				tw_PodstKodKresk: null,
				tw_Zablokowany: true,
				tw_Usuniety: false,
				tw_SklepInternet: false,
				tw_IdVatSp: 100004,
			},
		],
		tw_Parametr: [
			{
				twp_Id: 1,
				names: ['Detaliczna', 'Hurtowa ŻÓŁTA', 'Specjalna źródłowa', null, null, null, null, null, null, null],
			},
		],
		tw_Cena: [
			{
				tc_IdTowar: 101,
				netto: levels(['121.9512', '99.99', '87.1234']),
				brutto: levels(['150', '122.9877', '107.1618']),
			},
			{ tc_IdTowar: 102, netto: levels(['12.3457', null]), brutto: levels(['13.3334', null]) },
			{ tc_IdTowar: 103, netto: levels(['1']), brutto: levels(['1.23']) },
			{ tc_IdTowar: 105, netto: levels(['40', '35.5']), brutto: levels(['40', '35.5']) },
		],
		sl_Magazyn: [
			{ mag_Id: 1, mag_Symbol: 'MAG', mag_Nazwa: 'Magazyn główny Łódź', mag_Glowny: true },
			{ mag_Id: 2, mag_Symbol: 'ŹRÓ', mag_Nazwa: 'Skład Źródło ćma', mag_Glowny: false },
			// no stock rows: a warehouse with nothing in it is still one a workflow may name
			{ mag_Id: 3, mag_Symbol: 'ŻAK', mag_Nazwa: 'Hurtownia Żółkiewskiego, Gdańsk', mag_Glowny: false },
		],
		tw_Stan: [
			{ st_TowId: 101, st_MagId: 1, st_Stan: money('12.5'), st_StanRez: money('2.25') },
			{ st_TowId: 101, st_MagId: 2, st_Stan: money('0.3333'), st_StanRez: money('0') },
			{ st_TowId: 102, st_MagId: 2, st_Stan: money('3'), st_StanRez: money('5') },
			{ st_TowId: 103, st_MagId: 1, st_Stan: money('7'), st_StanRez: money('0') },
			{ st_TowId: 105, st_MagId: 1, st_Stan: money('0'), st_StanRez: money('0') },
		],
		sl_Panstwo: [
			{ pa_Id: 1, pa_KodPanstwaISO: 'PL' },
			{ pa_Id: 2, pa_KodPanstwaISO: 'DE' },
		],
		kh__Kontrahent: [
			{
				kh_Id: 11,
				kh_Symbol: 'K-ŚWIĘTY',
				kh_EMail: 'zamowienia@swiety.example.pl',
				kh_Zablokowany: false,
				kh_Cena: 2,
				kh_DataZmiany: wallClock('2026-11-20 14:03'),
			},
			{ kh_Id: 12, kh_Symbol: 'K-ŻÓŁW', kh_EMail: '', kh_Zablokowany: true, kh_Cena: 1, kh_DataZmiany: null },
			{ kh_Id: 13, kh_Symbol: 'K-ŃOŹ', kh_EMail: null, kh_Zablokowany: false, kh_Cena: null, kh_DataZmiany: null },
		],
		adr__Ewid: [
			{
				adr_Id: 1,
				adr_IdObiektu: 11,
				adr_TypAdresu: 1,
				adr_Nazwa: 'Święty Łukasz',
				adr_NazwaPelna: 'Przedsiębiorstwo Święty Łukasz Gęślą Jaźń Sp. z o.o.',
				adr_NIP: 'PL 123-456-32-18',
				adr_Ulica: 'ul. Źródlana',
				adr_NrDomu: '12',
				adr_NrLokalu: '3',
				adr_Kod: '25-001',
				adr_Miejscowosc: 'Kielce',
				adr_Telefon: '+48 41 123 45 67',
				adr_IdPanstwo: 1,
			},
			{
				// another address type of the same client: must not duplicate the client row
				adr_Id: 2,
				adr_IdObiektu: 11,
				adr_TypAdresu: 2,
				adr_Nazwa: 'Święty Łukasz – korespondencja',
				adr_NazwaPelna: null,
				adr_NIP: null,
				adr_Ulica: 'ul. Żeglarska',
				adr_NrDomu: '1',
				adr_NrLokalu: null,
				adr_Kod: '25-002',
				adr_Miejscowosc: 'Kielce',
				adr_Telefon: null,
				adr_IdPanstwo: 1,
			},
			{
				adr_Id: 3,
				adr_IdObiektu: 12,
				adr_TypAdresu: 1,
				adr_Nazwa: 'Żółw Ćma',
				adr_NazwaPelna: '',
				adr_NIP: 'DE 123456789',
				adr_Ulica: 'Hauptstraße',
				adr_NrDomu: '5',
				adr_NrLokalu: '',
				adr_Kod: '10115',
				adr_Miejscowosc: 'Berlin',
				adr_Telefon: '',
				adr_IdPanstwo: 2,
			},
		],
		icen__CennikiIndywidualne: [
			{
				icen_Id: 7,
				icen_Nazwa: 'Cennik Świętokrzyski źródłowy',
				icen_Waluta: 'PLN',
				icen_OgraniczonaCzasowo: true,
				icen_Od: wallClock('2026-11-01'),
				icen_Do: wallClock('2026-11-30'),
				icen_Nieaktywny: false,
			},
			{
				icen_Id: 8,
				icen_Nazwa: 'Nieaktywny cennik żółwi',
				icen_Waluta: 'PLN',
				icen_OgraniczonaCzasowo: false,
				icen_Od: null,
				icen_Do: null,
				icen_Nieaktywny: true,
			},
			{
				icen_Id: 9,
				icen_Nazwa: 'Cennik eksportowy ćma',
				icen_Waluta: 'EUR',
				icen_OgraniczonaCzasowo: false,
				icen_Od: wallClock('2026-01-01'),
				icen_Do: wallClock('2026-01-31'),
				icen_Nieaktywny: false,
			},
		],
		icen_CennikKontrahent: [
			{ icenk_CennikId: 7, icenk_KhId: 11 },
			{ icenk_CennikId: 8, icenk_KhId: 12 },
			{ icenk_CennikId: 9, icenk_KhId: 12 },
		],
		icen_CennikTowar: [
			{ icent_CennikId: 7, icent_TwId: 101, icent_CenaNetto: money('109.9'), icent_CenaBrutto: money('135.177') },
			{ icent_CennikId: 7, icent_TwId: 102, icent_CenaNetto: money('12.3457'), icent_CenaBrutto: money('13.3334') },
			{ icent_CennikId: 7, icent_TwId: 103, icent_CenaNetto: money('1'), icent_CenaBrutto: money('1.23') },
			{ icent_CennikId: 8, icent_TwId: 101, icent_CenaNetto: money('1'), icent_CenaBrutto: money('1.23') },
			{ icent_CennikId: 9, icent_TwId: 105, icent_CenaNetto: money('9.5'), icent_CenaBrutto: money('9.5') },
		],
		dok__Dokument: [
			doc(
				5002,
				16,
				'ZK 15/11/2026',
				'B2B/2026/000042',
				8,
				'2026-11-26 10:15',
				null,
				'PLN',
				'1234.5678',
				'283.9506',
				'1518.5184',
				null,
				11,
				11,
			),
			doc(
				6001,
				2,
				'FS 101/11/2026',
				null,
				0,
				'2026-11-27 08:30',
				'2026-12-11',
				'PLN',
				'1234.5678',
				'283.9506',
				'1518.5184',
				5002,
				11,
				11,
			),
			doc(
				5003,
				16,
				'ZK 16/11/2026',
				'B2B/2026/000043',
				6,
				'2026-11-26 23:59:59',
				null,
				'PLN',
				'10',
				'2.3',
				'12.3',
				null,
				12,
				12,
			),
			doc(
				6002,
				2,
				'FS 102/11/2026',
				null,
				0,
				'2026-11-28 00:00',
				null,
				'',
				'0.005',
				'0.0011',
				'0.0061',
				null,
				null,
				12,
			),
			// ZK → FS direction of dok_DoDokId (docs/subiekt-gt-sql.md: both directions seen in public code)
			doc(
				5004,
				16,
				'ZK 3/10/2026',
				'B2B/2026/000044',
				7,
				'2026-10-28 09:00',
				null,
				'PLN',
				'100',
				'23',
				'123',
				6003,
				11,
				11,
			),
			doc(6003, 2, 'FS 90/10/2026', null, 0, '2026-10-30 12:00', '2026-11-13', 'PLN', '100', '23', '123', null, 11, 11),
			// a WZ pointing at the ZK: not an invoice, must not be picked
			doc(7001, 11, 'WZ 5/11/2026', null, 0, '2026-11-26 11:00', null, 'PLN', '10', '2.3', '12.3', 5003, 12, 12),
		],
		// ŁÓD-001: a gallery picture saved before the main one; ŻAG-002: main only; USU-004 is deleted;
		// WIO-003: a row whose picture was cleared (NULL)
		tw_ZdjecieTw: [
			{ zd_Id: 1, zd_IdTowar: 101, zd_Zdjecie: picture('png', 'łódka z boku'), zd_Glowne: false, zd_CRC: null },
			{ zd_Id: 2, zd_IdTowar: 101, zd_Zdjecie: picture('jpeg', 'łódka żółta'), zd_Glowne: true, zd_CRC: null },
			{ zd_Id: 3, zd_IdTowar: 102, zd_Zdjecie: picture('gif', 'żagiel'), zd_Glowne: true, zd_CRC: null },
			{ zd_Id: 4, zd_IdTowar: 103, zd_Zdjecie: picture('jpeg', 'śrubokręt'), zd_Glowne: true, zd_CRC: null },
			{ zd_Id: 5, zd_IdTowar: 105, zd_Zdjecie: null, zd_Glowne: true, zd_CRC: null },
		],
	};
}

const SIGNATURES = {
	jpeg: [0xff, 0xd8, 0xff, 0xe0],
	png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
	gif: [0x47, 0x49, 0x46, 0x38, 0x39, 0x61],
} as const;

/** picture bytes: the format's signature and a payload that names the picture (only the signature is ever read) */
export function picture(kind: keyof typeof SIGNATURES, label: string): Buffer {
	return Buffer.concat([Buffer.from(SIGNATURES[kind]), Buffer.from(` zdjęcie: ${label} `.padEnd(24, '.'), 'utf8')]);
}

function doc(
	id: number,
	typ: number,
	nr: string,
	oryg: string | null,
	status: number,
	wyst: string,
	termin: string | null,
	waluta: string,
	netto: string,
	vat: string,
	brutto: string,
	doDok: number | null,
	platnik: number | null,
	odbiorca: number | null,
): Dokument {
	return {
		dok_Id: id,
		dok_Typ: typ,
		dok_NrPelny: nr,
		dok_NrPelnyOryg: oryg,
		dok_Status: status,
		dok_DataWyst: wallClock(wyst),
		dok_PlatTermin: termin === null ? null : wallClock(termin),
		dok_Waluta: waluta,
		dok_WartNetto: money(netto),
		dok_WartVat: money(vat),
		dok_WartBrutto: money(brutto),
		dok_DoDokId: doDok,
		dok_PlatnikId: platnik,
		dok_OdbiorcaId: odbiorca,
	};
}

const NOUNS = ['Łódka', 'Żagiel', 'Wiosło', 'Kotwica', 'Śruba', 'Źródło', 'Ćma', 'Gęś', 'Jaźń', 'Ńandu'];
const ADJECTIVES = ['żółta', 'zielona', 'ciężka', 'lśniąca', 'źrebięca', 'gęsta', 'mała', 'ślepa', 'ładna', 'ostrożna'];

/**
 * Adds `count` generated products (ids from `firstId`, step 2 so ids have gaps; every 37th deleted) with a
 * tw_Cena row and stock in warehouse MAG. Deterministic: the same call gives the same rows.
 */
export function addGeneratedProducts(db: SubiektDatabase, count: number, firstId = 1000): Towar[] {
	const added: Towar[] = [];
	for (let i = 0; i < count; i++) {
		const id = firstId + i * 2;
		const t: Towar = {
			tw_Id: id,
			tw_Symbol: `GEN-${String(i + 1).padStart(6, '0')}`,
			tw_Nazwa: `${NOUNS[i % 10]} ${ADJECTIVES[Math.floor(i / 10) % 10]} nr ${i + 1}`,
			tw_Opis: i % 3 === 0 ? null : 'Zażółć gęślą jaźń',
			tw_JednMiary: 'szt.',
			tw_PodstKodKresk: null,
			tw_Zablokowany: i % 11 === 0,
			tw_Usuniety: i % 37 === 36,
			tw_SklepInternet: i % 2 === 0,
			tw_IdVatSp: i % 5 === 0 ? 100002 : 100001,
		};
		db.tw__Towar.push(t);
		added.push(t);
		const net = BigInt(10000 + ((i * 7919) % 900000));
		db.tw_Cena.push({
			tc_IdTowar: id,
			netto: levels([]).map((_, n) => (n < 2 ? net - BigInt(n) * 100n : null)),
			brutto: levels([]),
		});
		db.tw_Stan.push({
			st_TowId: id,
			st_MagId: 1,
			st_Stan: BigInt((i % 50) * 10000),
			st_StanRez: BigInt((i % 7) * 2500),
		});
	}
	return added;
}
