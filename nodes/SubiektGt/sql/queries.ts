/**
 * Read-only T-SQL for InsERT Subiekt GT on Microsoft SQL Server. Driver-independent: each statement is
 * one SELECT with `@name` parameters (never concatenated values); the driver adapter binds them with
 * bindParameters (nodes/shared/sql/guard.ts) and the types in SUBIEKT_QUERIES; SUBIEKT_SQL hands them to the
 * shared SQL Server layer (nodes/shared/sql/transport.ts).
 *
 * Sources for table and column names (see docs/subiekt-gt-sql.md for the full list):
 *   [F]   /work/shared/research/erp-facts.md §4
 *   [EF]  github.com/bsdnetpl/SubiektGTModels @3f9a43c, SubiektGTModels/Models/TestowyContext.cs — an
 *         Entity Framework model scaffolded from a Subiekt GT database: ToTable(...) and HasColumnName(...)
 *         prove that a table/column exists, with its SQL type (money, datetime)
 *   [PUB] several independent public integration snippets (found by code search) that use the same join
 * Every column below exists in [EF]. What is NOT verified is marked "UNVERIFIED:" with the assumption.
 * Nothing here has been run against a live Subiekt GT database yet.
 */

import type { QueryDefinition, SqlErp } from '../../shared/sql/types';

/**
 * Products, keyset-paged by tw_Id (pass the last tw_Id of the previous page as @afterId, 0 first).
 * VAT: tw__Towar.tw_IdVatSp → sl_StawkaVAT.vat_Id ([EF] both columns; join seen in [PUB]).
 * No reliable "changed since" filter: tw__Towar has no modification timestamp or rowversion in [EF].
 * Change markers that exist: tw_Zmiana (zt_TowarId, zt_ZmianaNazwa, zt_ZmianaOpis,
 * zt_ZmianaCenaSprzedazy, zt_ZmianaStawkaVATSprzed, ... datetime) and tw_ZmianaTw (twz_TowarId,
 * twz_NrZmiany, twz_CzasModyf) — UNVERIFIED: which writes fill them (they look like the web-shop
 * synchronisation log, possibly only for tw_SklepInternet = 1 products), so a full read is the safe sync.
 */
export const SELECT_PRODUCTS_SQL = `SELECT TOP (@pageSize)
	t.tw_Id,
	t.tw_Symbol,
	t.tw_Nazwa,
	t.tw_Opis,
	t.tw_JednMiary,
	t.tw_PodstKodKresk,
	t.tw_Zablokowany,
	t.tw_SklepInternet,
	v.vat_Symbol,
	v.vat_Stawka
FROM dbo.tw__Towar AS t
LEFT JOIN dbo.sl_StawkaVAT AS v ON v.vat_Id = t.tw_IdVatSp
WHERE t.tw_Usuniety = 0
	AND t.tw_Id > @afterId
ORDER BY t.tw_Id`;

/**
 * Price levels: tw_Cena has one row per product (unique index IX_tw_Cena on tc_IdTowar in [EF]) with
 * tc_CenaNetto1..10 / tc_CenaBrutto1..10 ([EF], type money); the level names are
 * tw_Parametr.twp_NazwaCeny1..10 ([F], [EF]). Unpivoted to one row per product and level.
 * UNVERIFIED: tw_Parametr holds one row (TOP (1) by twp_Id guards against more); level 0
 * (tc_CenaNetto0, no name in tw_Parametr) is left out; the currency of each level (tc_IdWaluta1..10)
 * is not read — levels are taken as PLN.
 */
export const SELECT_PRICE_LEVELS_SQL = `SELECT
	t.tw_Symbol,
	lvl.poziom,
	lvl.nazwa_ceny,
	lvl.cena_netto,
	lvl.cena_brutto,
	v.vat_Symbol,
	v.vat_Stawka
FROM dbo.tw__Towar AS t
INNER JOIN dbo.tw_Cena AS c ON c.tc_IdTowar = t.tw_Id
LEFT JOIN dbo.sl_StawkaVAT AS v ON v.vat_Id = t.tw_IdVatSp
CROSS APPLY (
	SELECT TOP (1)
		twp_NazwaCeny1, twp_NazwaCeny2, twp_NazwaCeny3, twp_NazwaCeny4, twp_NazwaCeny5,
		twp_NazwaCeny6, twp_NazwaCeny7, twp_NazwaCeny8, twp_NazwaCeny9, twp_NazwaCeny10
	FROM dbo.tw_Parametr
	ORDER BY twp_Id
) AS p
CROSS APPLY (VALUES
	(1, p.twp_NazwaCeny1, c.tc_CenaNetto1, c.tc_CenaBrutto1),
	(2, p.twp_NazwaCeny2, c.tc_CenaNetto2, c.tc_CenaBrutto2),
	(3, p.twp_NazwaCeny3, c.tc_CenaNetto3, c.tc_CenaBrutto3),
	(4, p.twp_NazwaCeny4, c.tc_CenaNetto4, c.tc_CenaBrutto4),
	(5, p.twp_NazwaCeny5, c.tc_CenaNetto5, c.tc_CenaBrutto5),
	(6, p.twp_NazwaCeny6, c.tc_CenaNetto6, c.tc_CenaBrutto6),
	(7, p.twp_NazwaCeny7, c.tc_CenaNetto7, c.tc_CenaBrutto7),
	(8, p.twp_NazwaCeny8, c.tc_CenaNetto8, c.tc_CenaBrutto8),
	(9, p.twp_NazwaCeny9, c.tc_CenaNetto9, c.tc_CenaBrutto9),
	(10, p.twp_NazwaCeny10, c.tc_CenaNetto10, c.tc_CenaBrutto10)
) AS lvl (poziom, nazwa_ceny, cena_netto, cena_brutto)
WHERE t.tw_Usuniety = 0
	AND t.tw_Id > @afterId
	AND t.tw_Id <= @upToId
ORDER BY t.tw_Id, lvl.poziom`;

/**
 * Individual price lists assigned to clients: icen__CennikiIndywidualne (icen_Id, icen_Nazwa,
 * icen_Waluta, icen_Od, icen_Do, icen_OgraniczonaCzasowo, icen_Nieaktywny), icen_CennikKontrahent
 * (icenk_CennikId, icenk_KhId), icen_CennikTowar (icent_CennikId, icent_TwId, icent_CenaNetto,
 * icent_CenaBrutto) — all in [EF]; [F] lists the three tables.
 * UNVERIFIED: icent_CenaNetto/Brutto hold the final price (lists defined as a discount —
 * icen_CenaPoRabacie — may store something else); icen_Od/icen_Do apply only when
 * icen_OgraniczonaCzasowo = 1; lists assigned to client groups or features (icen_CennikGrupaKh,
 * icen_CennikCechaKh) are not read.
 */
export const SELECT_CLIENT_PRICE_LISTS_SQL = `SELECT
	k.kh_Symbol,
	t.tw_Symbol,
	c.icen_Id,
	c.icen_Nazwa,
	c.icen_Waluta,
	c.icen_OgraniczonaCzasowo,
	c.icen_Od,
	c.icen_Do,
	ct.icent_CenaNetto,
	ct.icent_CenaBrutto
FROM dbo.icen__CennikiIndywidualne AS c
INNER JOIN dbo.icen_CennikKontrahent AS ck ON ck.icenk_CennikId = c.icen_Id
INNER JOIN dbo.kh__Kontrahent AS k ON k.kh_Id = ck.icenk_KhId
INNER JOIN dbo.icen_CennikTowar AS ct ON ct.icent_CennikId = c.icen_Id
INNER JOIN dbo.tw__Towar AS t ON t.tw_Id = ct.icent_TwId
WHERE c.icen_Nieaktywny = 0
	AND t.tw_Usuniety = 0
	AND (@clientCode IS NULL OR k.kh_Symbol = @clientCode)
ORDER BY k.kh_Symbol, t.tw_Symbol, c.icen_Id`;

/**
 * Stock per warehouse: tw_Stan (PK st_TowId + st_MagId; st_Stan, st_StanRez, type money) and sl_Magazyn
 * (mag_Id, mag_Symbol, mag_Nazwa) — [F], [EF]. available = st_Stan − st_StanRez, computed here and
 * clamped at 0 in mapping.ts. UNVERIFIED: st_StanRez holds the quantity reserved by ZK orders.
 * Keyset-paged by tw_Stan's primary key (st_TowId, st_MagId): pass the last row's pair as @afterProductId,
 * @afterWarehouseId (0, 0 first). The pair is unique, so no row is skipped or read twice at a page boundary, and
 * a product's warehouses may be split over two pages (the Sync Guard sums across batches).
 */
export const SELECT_STOCK_SQL = `SELECT TOP (@pageSize)
	s.st_TowId,
	s.st_MagId,
	t.tw_Symbol,
	m.mag_Symbol,
	m.mag_Nazwa,
	s.st_Stan,
	s.st_StanRez,
	s.st_Stan - s.st_StanRez AS st_Dostepne
FROM dbo.tw_Stan AS s
INNER JOIN dbo.tw__Towar AS t ON t.tw_Id = s.st_TowId
INNER JOIN dbo.sl_Magazyn AS m ON m.mag_Id = s.st_MagId
WHERE t.tw_Usuniety = 0
	AND (@warehouseCode IS NULL OR m.mag_Symbol = @warehouseCode)
	AND (s.st_TowId > @afterProductId OR (s.st_TowId = @afterProductId AND s.st_MagId > @afterWarehouseId))
ORDER BY s.st_TowId, s.st_MagId`;

/**
 * Clients with their main address. kh__Kontrahent (kh_Id, kh_Symbol, kh_EMail, kh_Zablokowany, kh_Cena,
 * kh_DataZmiany) and adr__Ewid (adr_IdObiektu, adr_TypAdresu, adr_Nazwa, adr_NazwaPelna, adr_NIP,
 * adr_Ulica, adr_NrDomu, adr_NrLokalu, adr_Kod, adr_Miejscowosc, adr_Telefon, adr_IdPanstwo) and
 * sl_Panstwo (pa_Id, pa_KodPanstwaISO) — all in [EF].
 * adr_TypAdresu = 1 is the client's main address: used that way by [PUB] (several unrelated
 * integrations join kh__Kontrahent to adr__Ewid with adr_TypAdresu = 1 and read the NIP there), not
 * confirmed by InsERT documentation — UNVERIFIED.
 * kh_Cena = the client's default price level ([F]); UNVERIFIED that it counts 1..10 like twp_NazwaCeny1..10.
 * kh_DataZmiany (datetime, [EF]) is used as an optional change filter — UNVERIFIED that every edit sets it.
 */
export const SELECT_CLIENTS_SQL = `SELECT TOP (@pageSize)
	k.kh_Id,
	k.kh_Symbol,
	k.kh_EMail,
	k.kh_Zablokowany,
	k.kh_Cena,
	CASE k.kh_Cena
		WHEN 1 THEN p.twp_NazwaCeny1 WHEN 2 THEN p.twp_NazwaCeny2 WHEN 3 THEN p.twp_NazwaCeny3
		WHEN 4 THEN p.twp_NazwaCeny4 WHEN 5 THEN p.twp_NazwaCeny5 WHEN 6 THEN p.twp_NazwaCeny6
		WHEN 7 THEN p.twp_NazwaCeny7 WHEN 8 THEN p.twp_NazwaCeny8 WHEN 9 THEN p.twp_NazwaCeny9
		WHEN 10 THEN p.twp_NazwaCeny10
	END AS kh_CenaNazwa,
	k.kh_DataZmiany,
	a.adr_Nazwa,
	a.adr_NazwaPelna,
	a.adr_NIP,
	a.adr_Ulica,
	a.adr_NrDomu,
	a.adr_NrLokalu,
	a.adr_Kod,
	a.adr_Miejscowosc,
	a.adr_Telefon,
	pa.pa_KodPanstwaISO
FROM dbo.kh__Kontrahent AS k
LEFT JOIN dbo.adr__Ewid AS a ON a.adr_IdObiektu = k.kh_Id AND a.adr_TypAdresu = 1
LEFT JOIN dbo.sl_Panstwo AS pa ON pa.pa_Id = a.adr_IdPanstwo
OUTER APPLY (
	SELECT TOP (1)
		twp_NazwaCeny1, twp_NazwaCeny2, twp_NazwaCeny3, twp_NazwaCeny4, twp_NazwaCeny5,
		twp_NazwaCeny6, twp_NazwaCeny7, twp_NazwaCeny8, twp_NazwaCeny9, twp_NazwaCeny10
	FROM dbo.tw_Parametr
	ORDER BY twp_Id
) AS p
WHERE k.kh_Id > @afterId
	AND (@changedSince IS NULL OR k.kh_DataZmiany >= @changedSince)
ORDER BY k.kh_Id`;

/**
 * The ZK (customer order, dok_Typ 16 [F]) whose original number dok_NrPelnyOryg ([F]: the customer's
 * number; Sfera NumerOryginalny) is the portal's order number, with the sales invoice (FS, dok_Typ 2
 * [F]) issued from it. Link: dok_DoDokId ([F], [EF]).
 * UNVERIFIED: the direction of dok_DoDokId. [PUB] shows both: an FS whose dok_DoDokId is the ZK's dok_Id
 * (invoice made from the order) and a ZK whose dok_DoDokId points at the document made from it; both
 * are accepted, newest FS wins. Chains through a WZ (ZK → WZ → FS) and invoices made without
 * "na podstawie" are not followed. dok_Status meanings are not documented publicly ([F]), so the
 * status is read but not interpreted.
 */
export const SELECT_ORDER_BY_NUMBER_SQL = `SELECT
	zk.dok_Id,
	zk.dok_NrPelny,
	zk.dok_NrPelnyOryg,
	zk.dok_Status,
	zk.dok_DataWyst,
	zk.dok_Waluta,
	zk.dok_WartNetto,
	zk.dok_WartVat,
	zk.dok_WartBrutto,
	zk.dok_DoDokId,
	fs.dok_Id AS fs_Id,
	fs.dok_NrPelny AS fs_NrPelny,
	fs.dok_DataWyst AS fs_DataWyst,
	fs.dok_Status AS fs_Status
FROM dbo.dok__Dokument AS zk
OUTER APPLY (
	SELECT TOP (1) f.dok_Id, f.dok_NrPelny, f.dok_DataWyst, f.dok_Status
	FROM dbo.dok__Dokument AS f
	WHERE f.dok_Typ = 2
		AND (f.dok_DoDokId = zk.dok_Id OR f.dok_Id = zk.dok_DoDokId)
	ORDER BY f.dok_Id DESC
) AS fs
WHERE zk.dok_Typ = 16
	AND zk.dok_NrPelnyOryg = @orderNumber
ORDER BY zk.dok_Id DESC`;

/**
 * Sales invoices (FS, dok_Typ 2 [F]), keyset-paged by dok_Id, issued on or after @issuedFrom, with the
 * paying client (dok_PlatnikId, [EF]; falls back to dok_OdbiorcaId [F]) and the original number of the
 * ZK they were made from (same dok_DoDokId link as above, UNVERIFIED direction).
 * dok_WartNetto / dok_WartVat / dok_WartBrutto (money), dok_PlatTermin (due date, datetime), dok_Waluta
 * — [EF]. UNVERIFIED: dok_Waluta holds an ISO code ("PLN"); empty is taken as PLN.
 */
export const SELECT_INVOICES_SQL = `SELECT TOP (@pageSize)
	fs.dok_Id,
	fs.dok_NrPelny,
	fs.dok_DataWyst,
	fs.dok_PlatTermin,
	fs.dok_Waluta,
	fs.dok_WartNetto,
	fs.dok_WartVat,
	fs.dok_WartBrutto,
	k.kh_Symbol,
	zk.dok_NrPelnyOryg AS zk_NrPelnyOryg
FROM dbo.dok__Dokument AS fs
LEFT JOIN dbo.kh__Kontrahent AS k ON k.kh_Id = COALESCE(fs.dok_PlatnikId, fs.dok_OdbiorcaId)
OUTER APPLY (
	SELECT TOP (1) z.dok_NrPelnyOryg
	FROM dbo.dok__Dokument AS z
	WHERE z.dok_Typ = 16
		AND (z.dok_Id = fs.dok_DoDokId OR z.dok_DoDokId = fs.dok_Id)
	ORDER BY z.dok_Id DESC
) AS zk
WHERE fs.dok_Typ = 2
	AND fs.dok_Id > @afterId
	AND fs.dok_DataWyst >= @issuedFrom
ORDER BY fs.dok_Id`;

/**
 * Whether Subiekt sells to the client of an order, before the order is handed over as an EDI++ file (Subiekt imports
 * it later and answers nothing): kh__Kontrahent by kh_Symbol, with kh_Zablokowany ([F], [EF]). No row = Subiekt
 * does not know the client. UNVERIFIED: that kh_Symbol is unique (TOP (1) by kh_Id); Subiekt's marks for a
 * supplier-only card or a deleted card are not verified and not read.
 */
export const SELECT_ORDER_CLIENT_SQL = `SELECT TOP (1)
	k.kh_Id,
	k.kh_Symbol,
	k.kh_Zablokowany
FROM dbo.kh__Kontrahent AS k
WHERE k.kh_Symbol = @clientCode
ORDER BY k.kh_Id`;

/**
 * Whether Subiekt sells a product of an order (one query per order line): tw__Towar by tw_Symbol with
 * tw_Zablokowany and tw_Usuniety ([F], [EF]). No row, or only a deleted one = Subiekt does not know the product.
 * A live product wins over a deleted one with the same symbol (ORDER BY tw_Usuniety). UNVERIFIED: that
 * tw_Zablokowany stops the product from being sold on a ZK (the pack reads it as "not active", as the product sync does).
 */
export const SELECT_ORDER_PRODUCT_SQL = `SELECT TOP (1)
	t.tw_Id,
	t.tw_Symbol,
	t.tw_Zablokowany,
	t.tw_Usuniety
FROM dbo.tw__Towar AS t
WHERE t.tw_Symbol = @productCode
ORDER BY t.tw_Usuniety, t.tw_Id`;

/**
 * Product pictures without their bytes: tw_ZdjecieTw (zd_Id, zd_IdTowar → tw__Towar.tw_Id, zd_Zdjecie the
 * picture of type image, zd_Glowne bit = the main picture, zd_CRC int) — an EF scaffold of a Subiekt database
 * and an unrelated Django model of one (found by code search, repositories not named by the index), plus several
 * integration snippets ([PUB]) that read `zd_Zdjecie FROM tw_ZdjecieTw WHERE zd_IdTowar = … [AND zd_Glowne = 1]`.
 * Not in [EF] nor [F]. Main picture first per product, then by zd_Id: the row's place is its image position.
 * UNVERIFIED: how zd_CRC is computed (not used); whether Subiekt can hold more than one zd_Glowne = 1 per product.
 */
export const SELECT_PRODUCT_PICTURES_SQL = `SELECT
	z.zd_Id,
	z.zd_IdTowar,
	t.tw_Symbol,
	z.zd_Glowne
FROM dbo.tw_ZdjecieTw AS z
INNER JOIN dbo.tw__Towar AS t ON t.tw_Id = z.zd_IdTowar
WHERE t.tw_Usuniety = 0
	AND z.zd_Zdjecie IS NOT NULL
ORDER BY z.zd_IdTowar, z.zd_Glowne DESC, z.zd_Id`;

/** The bytes of one picture (tw_ZdjecieTw.zd_Zdjecie, type image), read one at a time: pictures are large. */
export const SELECT_PRODUCT_PICTURE_SQL = `SELECT
	z.zd_Id,
	z.zd_Zdjecie
FROM dbo.tw_ZdjecieTw AS z
WHERE z.zd_Id = @pictureId`;

/**
 * The warehouses a workflow may name (the stock read's *Warehouse*, the ZK's warehouse symbol, the EDI++ order's
 * warehouse code): sl_Magazyn (mag_Id, mag_Symbol varchar(3), mag_Nazwa, mag_Glowny bit = the main warehouse) —
 * [F], [EF]; the same columns read together in several [PUB] snippets. Every row: mag_Status exists in [EF] but
 * its meanings are not public, so no warehouse is left out on it (UNVERIFIED whether Subiekt marks closed ones there).
 */
export const SELECT_WAREHOUSES_SQL = `SELECT
	m.mag_Id,
	m.mag_Symbol,
	m.mag_Nazwa,
	m.mag_Glowny
FROM dbo.sl_Magazyn AS m
ORDER BY m.mag_Symbol, m.mag_Id`;

/**
 * Connection check (credential test): one row of the Subiekt settings table tw_Parametr ([F], [EF]).
 * A database without it (SQL error 208, invalid object name) is not a Subiekt GT company database.
 */
export const CHECK_SUBIEKT_SQL = `SELECT TOP (1)
	p.twp_Id,
	p.twp_NazwaCeny1
FROM dbo.tw_Parametr AS p
ORDER BY p.twp_Id`;

export const SUBIEKT_QUERIES = {
	checkSubiekt: {
		sql: CHECK_SUBIEKT_SQL,
		params: {},
		description: 'one row of tw_Parametr: proves the login can read a Subiekt GT database (credential test)',
	},
	products: {
		sql: SELECT_PRODUCTS_SQL,
		params: { pageSize: { type: 'int' }, afterId: { type: 'int' } },
		description: 'products not deleted (tw_Usuniety = 0) with their sales VAT rate, keyset-paged by tw_Id',
	},
	priceLevels: {
		sql: SELECT_PRICE_LEVELS_SQL,
		params: { afterId: { type: 'int' }, upToId: { type: 'int' } },
		description:
			'price levels 1..10 per product (tw_Cena unpivoted, names from tw_Parametr), tw_Id in (@afterId, @upToId]',
	},
	clientPriceLists: {
		sql: SELECT_CLIENT_PRICE_LISTS_SQL,
		params: { clientCode: { type: 'nvarchar', optional: true } },
		description: 'active individual price lists assigned directly to clients, per product',
	},
	stock: {
		sql: SELECT_STOCK_SQL,
		params: {
			pageSize: { type: 'int' },
			afterProductId: { type: 'int' },
			afterWarehouseId: { type: 'int' },
			warehouseCode: { type: 'nvarchar', optional: true },
		},
		description: 'stock per product and warehouse: on hand, reserved, available; keyset-paged by (st_TowId, st_MagId)',
	},
	clients: {
		sql: SELECT_CLIENTS_SQL,
		params: { pageSize: { type: 'int' }, afterId: { type: 'int' }, changedSince: { type: 'datetime', optional: true } },
		description: 'clients with their main address (adr_TypAdresu = 1) and default price level, keyset-paged by kh_Id',
	},
	productPictures: {
		sql: SELECT_PRODUCT_PICTURES_SQL,
		params: {},
		description:
			'pictures of products not deleted (tw_ZdjecieTw, no bytes): picture id, product symbol, main flag; main first',
	},
	productPicture: {
		sql: SELECT_PRODUCT_PICTURE_SQL,
		params: { pictureId: { type: 'int' } },
		description: 'the bytes (zd_Zdjecie) of one picture by zd_Id',
	},
	warehouses: {
		sql: SELECT_WAREHOUSES_SQL,
		params: {},
		description: 'every warehouse (sl_Magazyn): symbol, name, main flag, by symbol',
	},
	orderByNumber: {
		sql: SELECT_ORDER_BY_NUMBER_SQL,
		params: { orderNumber: { type: 'nvarchar' } },
		description: 'ZK orders (dok_Typ 16) with dok_NrPelnyOryg = @orderNumber and the FS made from each',
	},
	orderClient: {
		sql: SELECT_ORDER_CLIENT_SQL,
		params: { clientCode: { type: 'nvarchar' } },
		description: 'the client with kh_Symbol = @clientCode and whether it is blocked (order check before an EDI++ file)',
	},
	orderProduct: {
		sql: SELECT_ORDER_PRODUCT_SQL,
		params: { productCode: { type: 'nvarchar' } },
		description: 'the product with tw_Symbol = @productCode, blocked / deleted flags (order check, one per line)',
	},
	invoices: {
		sql: SELECT_INVOICES_SQL,
		params: { pageSize: { type: 'int' }, afterId: { type: 'int' }, issuedFrom: { type: 'datetime' } },
		description: 'sales invoices (dok_Typ 2) issued on/after @issuedFrom with client code and the ZK original number',
	},
} satisfies Record<string, QueryDefinition>;

export type SubiektQueryName = keyof typeof SUBIEKT_QUERIES;

/** Subiekt GT for the shared SQL Server layer: its statements and the words of its messages. */
export const SUBIEKT_SQL: SqlErp<SubiektQueryName> = {
	erpName: 'Subiekt GT',
	queries: SUBIEKT_QUERIES,
	databaseHint: 'Choose the Subiekt company database, and grant the login db_datareader in it.',
	permissionHint: 'Grant the login db_datareader in the Subiekt database.',
};
