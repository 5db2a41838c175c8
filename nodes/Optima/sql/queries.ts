/**
 * Read-only T-SQL for Comarch ERP Optima on Microsoft SQL Server: the company database `CDN_<Firma>`, schema `CDN`,
 * collation Polish_CI_AS. Optima has no vendor API for reads, and direct SQL is the way integrators read it
 * (writes through SQL would bypass Optima's business logic: the pack never writes here — orders go through the
 * Optima bridge). Driver-independent: each statement is one SELECT with `@name` parameters, run only by name through
 * the shared SQL layer (nodes/shared/sql: guard, typed parameters, read-only intent).
 *
 * Sources for table and column names (docs/optima-sql.md lists them per statement):
 *   [F]   /work/shared/research/erp-facts.md §3 (tables, columns, document types 302 FS / 306 WZ / 308 RO)
 *   [FO]  /work/shared/research/erp-facts-enova-optima.md §2, with its source numbers [O1]…[O20]: TraNag columns,
 *         TraNagRelacje (source in TrR_TrNId, follower in TrR_FaId), TraElem, TwC_TwCNumer = DfC_Lp, Rabaty,
 *         TwrIlosci dated snapshots, Knt_Grupa / Knt_Nieaktywny / Knt_TS_Mod / Twr_TS_Mod, Knt_Ceny
 *   [PUB] public integration code found by code search that reads the same columns (Knt_Ulica, Knt_NrDomu,
 *         Knt_NrLokalu, Knt_KodPocztowy, Knt_Miasto, Knt_Kraj, Knt_Email, Knt_Telefon1 in several unrelated
 *         projects; Twr_TwGGIDNumer → the product group; TrE_TrEId; Rab_* read as one B2B connector reads them [O9])
 * What is not verified is marked "UNVERIFIED:" with the assumption. Nothing here has been run against a live
 * Optima database yet: the statements are checked against the TDS simulator (test/simulators/sql-server/optima).
 */
import type { QueryDefinition, SqlErp } from '../../shared/sql/types';

/** Document types (TrN_TypDokumentu, [F] [FO] from Comarch's SQL-filter FAQ [O1]). */
export const OPTIMA_DOC = { FS: 302, WZ: 306, RO: 308 } as const;

/**
 * Products, keyset-paged by Twr_TwrId (the last id of the previous page as @afterId, 0 first); with @changedSince
 * only those whose Twr_TS_Mod ([FO] [O12]) is on or after it. Twr_NieAktywny → not active ([F]).
 * Twr_TwCNumer = the product's default price (a DfC_Lp, [FO] [O6]); Twr_TwGGIDNumer = its product group ([PUB]).
 * UNVERIFIED: Twr_Stawka / Twr_Flaga hold the sales VAT rate and its kind (the `cennik` XML's
 * STAWKA_VAT{STAWKA,FLAGA} [FO] [O7] suggests them): Flaga 1 = "zw", 4 = "np", anything else = the rate Twr_Stawka.
 */
export const SELECT_PRODUCTS_SQL = `SELECT TOP (@pageSize)
	t.Twr_TwrId,
	t.Twr_Kod,
	t.Twr_Nazwa,
	t.Twr_EAN,
	t.Twr_JM,
	t.Twr_NieAktywny,
	t.Twr_Stawka,
	t.Twr_Flaga,
	t.Twr_TwCNumer,
	t.Twr_TwGGIDNumer,
	t.Twr_TS_Mod
FROM CDN.Towary AS t
WHERE t.Twr_TwrId > @afterId
	AND (@changedSince IS NULL OR t.Twr_TS_Mod >= @changedSince)
ORDER BY t.Twr_TwrId`;

/**
 * Prices of the products with Twr_TwrId in (@afterId, @upToId] (a page of the products statement): CDN.TwrCeny
 * joined to its definition CDN.DefCeny by TwC_TwCNumer = DfC_Lp ([FO] [O1] [O6]; not by DfC_DfCid). DfC_Typ
 * 1 = net, 2 = gross ([FO] [O7]). Lp 1 is the purchase price ([FO] [O1]): the operation leaves it out unless named.
 * UNVERIFIED: TwC_Waluta holds an ISO code ("PLN"; empty is taken as PLN); TwC_Typ is not read.
 */
export const SELECT_PRICES_SQL = `SELECT
	t.Twr_TwrId,
	t.Twr_Kod,
	t.Twr_Stawka,
	t.Twr_Flaga,
	c.TwC_TwCNumer,
	c.TwC_Wartosc,
	c.TwC_Waluta,
	d.DfC_DfCId,
	d.DfC_Nazwa,
	d.DfC_Lp,
	d.DfC_Typ
FROM CDN.TwrCeny AS c
INNER JOIN CDN.Towary AS t ON t.Twr_TwrId = c.TwC_TwrID
INNER JOIN CDN.DefCeny AS d ON d.DfC_Lp = c.TwC_TwCNumer
WHERE t.Twr_TwrId > @afterId
	AND t.Twr_TwrId <= @upToId
ORDER BY t.Twr_TwrId, d.DfC_Lp`;

/**
 * The price definitions (CDN.DefCeny: DfC_DfCId, DfC_Nazwa, DfC_Lp, DfC_Typ, [F] [FO]) — to resolve the price lists
 * an operation is given by name or number, and a client's Knt_Ceny.
 */
export const SELECT_PRICE_DEFINITIONS_SQL = `SELECT
	d.DfC_DfCId,
	d.DfC_Nazwa,
	d.DfC_Lp,
	d.DfC_Typ
FROM CDN.DefCeny AS d
ORDER BY d.DfC_Lp`;

/**
 * Discounts and fixed prices (CDN.Rabaty: Rab_RabId, Rab_Typ, Rab_PodmiotTyp, Rab_PodmiotId, Rab_TwrId, Rab_Rabat %,
 * Rab_Cena + Rab_Waluta, Rab_DataOd / Rab_DataDo, [FO] [O9]) still valid on @asOf (no end, or an end on/after it),
 * with the client (Knt_Kod, its Knt_Ceny) when Rab_PodmiotId is a client card and the product (Twr_Kod) when
 * Rab_TwrId is one — which Rab_Typ means what is decided by mapping.ts's editable Rab_Typ table, not here.
 * UNVERIFIED: the meaning of each Rab_Typ (one connector's reading [O9] is the default); that Rab_Cena is a net price;
 * that client-group types carry the id of a client group in Rab_PodmiotId (the pack names the group by that id).
 */
export const SELECT_DISCOUNTS_SQL = `SELECT
	r.Rab_RabId,
	r.Rab_Typ,
	r.Rab_PodmiotTyp,
	r.Rab_PodmiotId,
	r.Rab_TwrId,
	r.Rab_Rabat,
	r.Rab_Cena,
	r.Rab_Waluta,
	r.Rab_DataOd,
	r.Rab_DataDo,
	k.Knt_Kod,
	k.Knt_Ceny,
	t.Twr_Kod
FROM CDN.Rabaty AS r
LEFT JOIN CDN.Kontrahenci AS k ON k.Knt_KntId = r.Rab_PodmiotId
LEFT JOIN CDN.Towary AS t ON t.Twr_TwrId = r.Rab_TwrId
WHERE (r.Rab_DataDo IS NULL OR r.Rab_DataDo >= @asOf)
ORDER BY r.Rab_RabId`;

/**
 * Stock of the products with Twr_TwrId in (@afterId, @upToId]. CDN.TwrIlosci holds dated snapshots ([F] [FO]
 * [O9] [O10]): the current figure of a product in a warehouse is its row with the latest TwI_Data not after @asOf
 * (a row dated later is a planned figure and is not read); TwI_MagId IS NULL is the product's total over every
 * warehouse. @totalOnly = 1 reads only the totals, else only the warehouses (all, or the one with Mag_Symbol =
 * @warehouseCode, CDN.Magazyny [F]). available = TwI_Ilosc − TwI_Rezerwacje ([FO]; clamped at 0 in mapping.ts).
 * Ties on TwI_Data: the highest TwI_TwIId wins (the id Optima's CDN.TwrIlosciID function returns [O10]).
 * UNVERIFIED: TwI_RezerwacjeZlecenia (production reservations [FO]) is not subtracted.
 */
export const SELECT_STOCK_SQL = `SELECT
	s.TwI_TwrId,
	t.Twr_Kod,
	s.TwI_MagId,
	m.Mag_Symbol,
	s.TwI_Data,
	s.TwI_Ilosc,
	s.TwI_Rezerwacje,
	s.TwI_Zamowienia,
	s.TwI_Ilosc - s.TwI_Rezerwacje AS TwI_Dostepne
FROM (
	SELECT
		i.TwI_TwrId,
		i.TwI_MagId,
		i.TwI_Data,
		i.TwI_Ilosc,
		i.TwI_Rezerwacje,
		i.TwI_Zamowienia,
		ROW_NUMBER() OVER (PARTITION BY i.TwI_TwrId, i.TwI_MagId ORDER BY i.TwI_Data DESC, i.TwI_TwIId DESC) AS rn
	FROM CDN.TwrIlosci AS i
	WHERE i.TwI_TwrId > @afterId
		AND i.TwI_TwrId <= @upToId
		AND i.TwI_Data <= @asOf
) AS s
INNER JOIN CDN.Towary AS t ON t.Twr_TwrId = s.TwI_TwrId
LEFT JOIN CDN.Magazyny AS m ON m.Mag_MagId = s.TwI_MagId
WHERE s.rn = 1
	AND (
		(@totalOnly = 1 AND s.TwI_MagId IS NULL)
		OR (@totalOnly = 0 AND s.TwI_MagId IS NOT NULL AND (@warehouseCode IS NULL OR m.Mag_Symbol = @warehouseCode))
	)
ORDER BY s.TwI_TwrId, m.Mag_Symbol`;

/**
 * Clients (CDN.Kontrahenci), keyset-paged by Knt_KntId; with @changedSince only those whose Knt_TS_Mod is on or
 * after it ([FO] [O12] [O13]). Knt_Kod, Knt_Nazwa1, Knt_Nip ([F]); Knt_Grupa (text), Knt_Nieaktywny ([FO]);
 * address, e-mail and phone columns ([PUB]). Knt_Ceny = the client's default price: stored as a DfC_DfCId in one
 * project [O13], as a DfC_Lp possibly elsewhere — UNVERIFIED which, so both readings are joined (CenyId_* by
 * DfC_DfCId, CenyLp_* by DfC_Lp) and the operation's "Client Price Key" option chooses.
 * UNVERIFIED: Knt_Kraj holds a country name or code (an ISO code of two letters is used, anything else → the
 * default country); Knt_Nazwa2 continues the name.
 */
export const SELECT_CLIENTS_SQL = `SELECT TOP (@pageSize)
	k.Knt_KntId,
	k.Knt_Kod,
	k.Knt_Nazwa1,
	k.Knt_Nazwa2,
	k.Knt_Nip,
	k.Knt_Grupa,
	k.Knt_Nieaktywny,
	k.Knt_Ceny,
	di.DfC_Nazwa AS CenyId_Nazwa,
	di.DfC_Lp AS CenyId_Lp,
	dl.DfC_Nazwa AS CenyLp_Nazwa,
	dl.DfC_Lp AS CenyLp_Lp,
	k.Knt_Ulica,
	k.Knt_NrDomu,
	k.Knt_NrLokalu,
	k.Knt_KodPocztowy,
	k.Knt_Miasto,
	k.Knt_Kraj,
	k.Knt_Email,
	k.Knt_Telefon1,
	k.Knt_TS_Mod
FROM CDN.Kontrahenci AS k
LEFT JOIN CDN.DefCeny AS di ON di.DfC_DfCId = k.Knt_Ceny
LEFT JOIN CDN.DefCeny AS dl ON dl.DfC_Lp = k.Knt_Ceny
WHERE k.Knt_KntId > @afterId
	AND (@changedSince IS NULL OR k.Knt_TS_Mod >= @changedSince)
ORDER BY k.Knt_KntId`;

/**
 * The columns of an RO with its newest WZ and newest FS, shared by orderStatus and orderStatusChanges.
 * RO = TrN_TypDokumentu 308 ([F] [FO]); TrN_NumerObcy = the portal order number (Comarch's filter "RO by foreign
 * number" [O1]; the bridge writes it as NumerObcy [O3]); TrN_Bufor 1 = in the buffer (not confirmed) [O2] [O14];
 * TrN_Anulowany ([F]). Followers through CDN.TraNagRelacje (source TrR_TrNId, follower TrR_FaId, follower type
 * TrR_FaTyp [FO] [O1]): RO → WZ (306) → FS (302), and RO → FS directly [O5]. Cancelled followers are not counted.
 * UNVERIFIED: that a follower in the buffer already counts (the pack counts it: a WZ in the buffer = goods being
 * issued); corrections (302001–302003, TrN_Rodzaj [FO]) are not told apart from the FS.
 */
const ORDER_STATUS_COLUMNS = `	ro.TrN_TrNID,
	ro.TrN_NumerPelny,
	ro.TrN_NumerObcy,
	ro.TrN_Bufor,
	ro.TrN_Anulowany,
	ro.TrN_DataDok,
	ro.TrN_TS_Mod,
	wz.TrN_TrNID AS WZ_TrNID,
	wz.TrN_NumerPelny AS WZ_NumerPelny,
	wz.TrN_DataDok AS WZ_DataDok,
	wz.TrN_TS_Mod AS WZ_TS_Mod,
	fs.TrN_TrNID AS FS_TrNID,
	fs.TrN_NumerPelny AS FS_NumerPelny,
	fs.TrN_DataDok AS FS_DataDok,
	fs.TrN_TS_Mod AS FS_TS_Mod`;

const ORDER_FOLLOWERS = `OUTER APPLY (
	SELECT TOP (1) w.TrN_TrNID, w.TrN_NumerPelny, w.TrN_DataDok, w.TrN_TS_Mod
	FROM CDN.TraNagRelacje AS r1
	INNER JOIN CDN.TraNag AS w ON w.TrN_TrNID = r1.TrR_FaId
	WHERE r1.TrR_TrNId = ro.TrN_TrNID
		AND r1.TrR_FaTyp = 306
		AND w.TrN_Anulowany = 0
	ORDER BY w.TrN_TrNID DESC
) AS wz
OUTER APPLY (
	SELECT TOP (1) f.TrN_TrNID, f.TrN_NumerPelny, f.TrN_DataDok, f.TrN_TS_Mod
	FROM CDN.TraNagRelacje AS r2
	INNER JOIN CDN.TraNag AS f ON f.TrN_TrNID = r2.TrR_FaId
	WHERE r2.TrR_FaTyp = 302
		AND f.TrN_Anulowany = 0
		AND (
			r2.TrR_TrNId = ro.TrN_TrNID
			OR r2.TrR_TrNId IN (
				SELECT r3.TrR_FaId
				FROM CDN.TraNagRelacje AS r3
				WHERE r3.TrR_TrNId = ro.TrN_TrNID
					AND r3.TrR_FaTyp = 306
			)
		)
	ORDER BY f.TrN_TrNID DESC
) AS fs`;

/** The ROs (newest first) whose TrN_NumerObcy is the portal order number, each with its newest WZ and FS. */
export const SELECT_ORDER_STATUS_SQL = `SELECT
${ORDER_STATUS_COLUMNS}
FROM CDN.TraNag AS ro
${ORDER_FOLLOWERS}
WHERE ro.TrN_TypDokumentu = 308
	AND ro.TrN_NumerObcy = @orderNumber
ORDER BY ro.TrN_TrNID DESC`;

/**
 * ROs carrying a portal number (TrN_NumerObcy not empty), keyset-paged by TrN_TrNID, whose own TrN_TS_Mod
 * ([FO] [O11] [O20]: the delta cursor) or whose newest WZ's or FS's is on or after @changedSince (all with NULL).
 * UNVERIFIED: that Optima bumps the RO's TrN_TS_Mod when it is cancelled or confirmed (the pack assumes so).
 */
export const SELECT_ORDER_STATUS_CHANGES_SQL = `SELECT TOP (@pageSize)
${ORDER_STATUS_COLUMNS}
FROM CDN.TraNag AS ro
${ORDER_FOLLOWERS}
WHERE ro.TrN_TypDokumentu = 308
	AND LEN(ro.TrN_NumerObcy) > 0
	AND ro.TrN_TrNID > @afterId
	AND (
		@changedSince IS NULL
		OR ro.TrN_TS_Mod >= @changedSince
		OR wz.TrN_TS_Mod >= @changedSince
		OR fs.TrN_TS_Mod >= @changedSince
	)
ORDER BY ro.TrN_TrNID`;

/**
 * Sales invoices (FS, 302 [F]) out of the buffer (TrN_Bufor = 0: a buffered FS is still a draft), keyset-paged by
 * TrN_TrNID, with @changedSince on TrN_TS_Mod ([FO]); the paying client's code (TrN_PodID with TrN_PodmiotTyp 1 =
 * a client card [F] [FO]); the RO it was made from, directly (TrR_TrNTyp 308 → 302 [O5]) or through a WZ
 * (RO → WZ → FS [O1]), with its TrN_NumerObcy (the portal order number). Totals TrN_RazemNetto / TrN_RazemBrutto
 * ([F]); VAT = gross − net. TrN_DataWys = issue date ([FO]).
 * UNVERIFIED: the invoice's currency and due date columns are not read (PLN; no due date).
 */
export const SELECT_INVOICES_SQL = `SELECT TOP (@pageSize)
	fs.TrN_TrNID,
	fs.TrN_NumerPelny,
	fs.TrN_DataDok,
	fs.TrN_DataWys,
	fs.TrN_RazemNetto,
	fs.TrN_RazemBrutto,
	fs.TrN_TS_Mod,
	k.Knt_Kod,
	ro.TrN_NumerObcy AS RO_NumerObcy,
	ro.TrN_NumerPelny AS RO_NumerPelny
FROM CDN.TraNag AS fs
LEFT JOIN CDN.Kontrahenci AS k ON k.Knt_KntId = fs.TrN_PodID AND fs.TrN_PodmiotTyp = 1
OUTER APPLY (
	SELECT TOP (1) o.TrN_NumerObcy, o.TrN_NumerPelny
	FROM CDN.TraNag AS o
	WHERE o.TrN_TypDokumentu = 308
		AND (
			o.TrN_TrNID IN (
				SELECT r.TrR_TrNId
				FROM CDN.TraNagRelacje AS r
				WHERE r.TrR_FaId = fs.TrN_TrNID
					AND r.TrR_TrNTyp = 308
			)
			OR o.TrN_TrNID IN (
				SELECT r1.TrR_TrNId
				FROM CDN.TraNagRelacje AS r1
				INNER JOIN CDN.TraNagRelacje AS r2 ON r2.TrR_TrNId = r1.TrR_FaId
				WHERE r2.TrR_FaId = fs.TrN_TrNID
					AND r2.TrR_TrNTyp = 306
					AND r1.TrR_FaTyp = 306
			)
		)
	ORDER BY o.TrN_TrNID DESC
) AS ro
WHERE fs.TrN_TypDokumentu = 302
	AND fs.TrN_Bufor = 0
	AND fs.TrN_TrNID > @afterId
	AND (@changedSince IS NULL OR fs.TrN_TS_Mod >= @changedSince)
ORDER BY fs.TrN_TrNID`;

/**
 * The lines (CDN.TraElem: TrE_TrNId, TrE_TwrKod, TrE_Ilosc, TrE_CenaT, TrE_Rabat, TrE_WartoscNetto [FO] [O5]
 * [O11]; TrE_TrEId [PUB]) of the FS with TrN_TrNID in (@afterId, @upToId] (a page of the invoices statement).
 * UNVERIFIED: TrE_CenaT is the net unit price after the discount TrE_Rabat (%); the line order is TrE_TrEId.
 */
export const SELECT_INVOICE_LINES_SQL = `SELECT
	e.TrE_TrEId,
	e.TrE_TrNId,
	e.TrE_TwrKod,
	e.TrE_Ilosc,
	e.TrE_CenaT,
	e.TrE_Rabat,
	e.TrE_WartoscNetto
FROM CDN.TraElem AS e
INNER JOIN CDN.TraNag AS n ON n.TrN_TrNID = e.TrE_TrNId
WHERE n.TrN_TypDokumentu = 302
	AND e.TrE_TrNId > @afterId
	AND e.TrE_TrNId <= @upToId
ORDER BY e.TrE_TrNId, e.TrE_TrEId`;

/**
 * The client of an order (order check): CDN.Kontrahenci by Knt_Kod ([F]; Knt_Kod is the "akronim" Optima keeps
 * unique — UNVERIFIED, TOP (1) by Knt_KntId), Knt_Nieaktywny, its group and default price (both readings, as the
 * clients statement). No row = Optima does not know the client.
 */
export const SELECT_ORDER_CLIENT_SQL = `SELECT TOP (1)
	k.Knt_KntId,
	k.Knt_Kod,
	k.Knt_Nieaktywny,
	k.Knt_Grupa,
	k.Knt_Ceny,
	di.DfC_Lp AS CenyId_Lp,
	dl.DfC_Lp AS CenyLp_Lp
FROM CDN.Kontrahenci AS k
LEFT JOIN CDN.DefCeny AS di ON di.DfC_DfCId = k.Knt_Ceny
LEFT JOIN CDN.DefCeny AS dl ON dl.DfC_Lp = k.Knt_Ceny
WHERE k.Knt_Kod = @clientCode
ORDER BY k.Knt_KntId`;

/**
 * A product of an order (order check, one per line): CDN.Towary by Twr_Kod with Twr_NieAktywny ([F]), its VAT
 * (as the products statement), default price Twr_TwCNumer and group Twr_TwGGIDNumer (for group discounts).
 * UNVERIFIED: Twr_Kod is unique (TOP (1) by Twr_TwrId).
 */
export const SELECT_ORDER_PRODUCT_SQL = `SELECT TOP (1)
	t.Twr_TwrId,
	t.Twr_Kod,
	t.Twr_NieAktywny,
	t.Twr_Stawka,
	t.Twr_Flaga,
	t.Twr_TwCNumer,
	t.Twr_TwGGIDNumer
FROM CDN.Towary AS t
WHERE t.Twr_Kod = @productCode
ORDER BY t.Twr_TwrId`;

/**
 * The prices of one product on every price list (order check): CDN.TwrCeny joined to CDN.DefCeny by
 * TwC_TwCNumer = DfC_Lp, as the prices statement.
 */
export const SELECT_ORDER_PRODUCT_PRICES_SQL = `SELECT
	c.TwC_TwCNumer,
	c.TwC_Wartosc,
	c.TwC_Waluta,
	d.DfC_Nazwa,
	d.DfC_Lp,
	d.DfC_Typ
FROM CDN.TwrCeny AS c
INNER JOIN CDN.DefCeny AS d ON d.DfC_Lp = c.TwC_TwCNumer
WHERE c.TwC_TwrID = @productId
ORDER BY d.DfC_Lp`;

/**
 * The discounts that may apply to one order line (order check): CDN.Rabaty rows valid on @asOf (both ends
 * inclusive, no end = open) for this product or its group or every product (Rab_TwrId NULL / 0), given to this
 * client, to any group, or to everyone (Rab_PodmiotId NULL / 0). mapping.ts's Rab_Typ table decides which apply.
 */
export const SELECT_ORDER_DISCOUNTS_SQL = `SELECT
	r.Rab_RabId,
	r.Rab_Typ,
	r.Rab_PodmiotTyp,
	r.Rab_PodmiotId,
	r.Rab_TwrId,
	r.Rab_Rabat,
	r.Rab_Cena,
	r.Rab_Waluta,
	r.Rab_DataOd,
	r.Rab_DataDo
FROM CDN.Rabaty AS r
WHERE (r.Rab_DataOd IS NULL OR r.Rab_DataOd <= @asOf)
	AND (r.Rab_DataDo IS NULL OR r.Rab_DataDo >= @asOf)
	AND (r.Rab_TwrId IS NULL OR r.Rab_TwrId = 0 OR r.Rab_TwrId = @productId OR r.Rab_TwrId = @productGroupId)
ORDER BY r.Rab_RabId`;

/**
 * The warehouses a workflow may name (the stock read's *Warehouse Symbol*, the RO's *Warehouse* through the bridge,
 * the Optima XML's *Warehouse Symbol*): CDN.Magazyny (Mag_MagId, Mag_Symbol [F]; Mag_Nazwa UNVERIFIED: named as
 * Optima names its other columns, not seen in a public schema). Every row: whether Optima marks closed warehouses
 * in a column is not known, so none is left out.
 */
export const SELECT_WAREHOUSES_SQL = `SELECT
	m.Mag_MagId,
	m.Mag_Symbol,
	m.Mag_Nazwa
FROM CDN.Magazyny AS m
ORDER BY m.Mag_Symbol, m.Mag_MagId`;

/**
 * Connection check (credential test): one row of CDN.DefCeny ([F]). A database without it (SQL error 208, invalid
 * object name) is not an Optima company database.
 */
export const CHECK_OPTIMA_SQL = `SELECT TOP (1)
	d.DfC_DfCId,
	d.DfC_Nazwa
FROM CDN.DefCeny AS d
ORDER BY d.DfC_Lp`;

export const OPTIMA_QUERIES = {
	checkOptima: {
		sql: CHECK_OPTIMA_SQL,
		params: {},
		description: 'one row of CDN.DefCeny: proves the login can read an Optima company database (credential test)',
	},
	products: {
		sql: SELECT_PRODUCTS_SQL,
		params: {
			pageSize: { type: 'int' },
			afterId: { type: 'int' },
			changedSince: { type: 'datetime', optional: true },
		},
		description: 'products (CDN.Towary), all or changed since @changedSince (Twr_TS_Mod), keyset-paged by Twr_TwrId',
	},
	priceDefinitions: {
		sql: SELECT_PRICE_DEFINITIONS_SQL,
		params: {},
		description: 'price definitions (CDN.DefCeny): id, name, Lp, net/gross type',
	},
	warehouses: {
		sql: SELECT_WAREHOUSES_SQL,
		params: {},
		description: 'every warehouse (CDN.Magazyny): id, symbol, name, by symbol',
	},
	prices: {
		sql: SELECT_PRICES_SQL,
		params: { afterId: { type: 'int' }, upToId: { type: 'int' } },
		description:
			'prices of every price list (TwrCeny ⋈ DefCeny by TwC_TwCNumer = DfC_Lp), Twr_TwrId in (@afterId, @upToId]',
	},
	discounts: {
		sql: SELECT_DISCOUNTS_SQL,
		params: { asOf: { type: 'datetime' } },
		description: 'discounts and fixed prices (CDN.Rabaty) not ended before @asOf, with the client and product codes',
	},
	stock: {
		sql: SELECT_STOCK_SQL,
		params: {
			afterId: { type: 'int' },
			upToId: { type: 'int' },
			asOf: { type: 'datetime' },
			totalOnly: { type: 'bit' },
			warehouseCode: { type: 'nvarchar', optional: true },
		},
		description: 'latest TwrIlosci snapshot not after @asOf per product and warehouse (or the MagId NULL totals)',
	},
	clients: {
		sql: SELECT_CLIENTS_SQL,
		params: {
			pageSize: { type: 'int' },
			afterId: { type: 'int' },
			changedSince: { type: 'datetime', optional: true },
		},
		description: 'clients (CDN.Kontrahenci) with address and default price, all or changed (Knt_TS_Mod), by Knt_KntId',
	},
	orderStatus: {
		sql: SELECT_ORDER_STATUS_SQL,
		params: { orderNumber: { type: 'nvarchar' } },
		description: 'ROs (308) with TrN_NumerObcy = @orderNumber, each with its newest WZ (306) and FS (302)',
	},
	orderStatusChanges: {
		sql: SELECT_ORDER_STATUS_CHANGES_SQL,
		params: {
			pageSize: { type: 'int' },
			afterId: { type: 'int' },
			changedSince: { type: 'datetime', optional: true },
		},
		description: 'ROs with a portal number whose own, WZ or FS TrN_TS_Mod is on/after @changedSince, by TrN_TrNID',
	},
	invoices: {
		sql: SELECT_INVOICES_SQL,
		params: {
			pageSize: { type: 'int' },
			afterId: { type: 'int' },
			changedSince: { type: 'datetime', optional: true },
		},
		description: 'confirmed sales invoices (302, not in the buffer) with client code and the RO foreign number',
	},
	invoiceLines: {
		sql: SELECT_INVOICE_LINES_SQL,
		params: { afterId: { type: 'int' }, upToId: { type: 'int' } },
		description: 'lines (CDN.TraElem) of the FS with TrN_TrNID in (@afterId, @upToId]',
	},
	orderClient: {
		sql: SELECT_ORDER_CLIENT_SQL,
		params: { clientCode: { type: 'nvarchar' } },
		description: 'the client with Knt_Kod = @clientCode: not active flag, group, default price (order check)',
	},
	orderProduct: {
		sql: SELECT_ORDER_PRODUCT_SQL,
		params: { productCode: { type: 'nvarchar' } },
		description: 'the product with Twr_Kod = @productCode: not active flag, VAT, default price, group (order check)',
	},
	orderProductPrices: {
		sql: SELECT_ORDER_PRODUCT_PRICES_SQL,
		params: { productId: { type: 'int' } },
		description: 'the prices of one product on every price list (order check)',
	},
	orderDiscounts: {
		sql: SELECT_ORDER_DISCOUNTS_SQL,
		params: { asOf: { type: 'datetime' }, productId: { type: 'int' }, productGroupId: { type: 'int' } },
		description: 'CDN.Rabaty rows valid on @asOf for the product, its group or every product (order check)',
	},
} satisfies Record<string, QueryDefinition>;

export type OptimaQueryName = keyof typeof OPTIMA_QUERIES;

export const OPTIMA_SQL: SqlErp<OptimaQueryName> = {
	erpName: 'Comarch ERP Optima',
	queries: OPTIMA_QUERIES,
	databaseHint:
		'Choose the Optima company database (CDN_<Firma>, not CDN_KNF_Konfiguracja), and grant the login db_datareader in it.',
};
