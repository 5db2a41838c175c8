/**
 * Runs the OPTIMA_QUERIES statements over the simulator's CDN tables: a hand-written JS version of each statement's
 * semantics (joins, NULL three-valued logic, TOP / keyset, ROW_NUMBER over dated snapshots, OUTER APPLY followers,
 * ORDER BY under Polish_CI_AS). Any other statement is refused by the server (../common.ts refuse), as SQL Server
 * would refuse it for a db_datareader login.
 */
import type { OptimaQueryName } from '../../../../nodes/Optima/sql/queries';
import {
	asDate,
	asInt,
	col,
	collate,
	DATETIME,
	INT,
	MONEY,
	sqlError,
	textEquals,
	top,
	vc,
	type ResultSet,
} from '../common';
import type { Cell, ColumnDef, ParamValue } from '../tds';
import { DOC, type OptimaDatabase, type TraNag } from './data';

const gt = (a: number, b: number | null) => b !== null && a > b;
const le = (a: number, b: number | null) => b !== null && a <= b;
/** a datetime compared with a parameter under SQL's NULL logic: NULL on either side is unknown (false) */
const onOrAfter = (a: Date | null | undefined, b: Date | null) => !!a && b !== null && a.getTime() >= b.getTime();

function bitParam(v: ParamValue): number | null {
	if (v === null) return null;
	if (typeof v === 'boolean') return v ? 1 : 0;
	const n = asInt(v);
	return n === null ? null : n === 0 ? 0 : 1;
}

function result(columns: ColumnDef[], rows: Cell[][]): ResultSet {
	return { columns, rows };
}

const TOWAR_COLUMNS = [
	col('Twr_TwrId', INT, false),
	col('Twr_Kod', vc(50), false),
	col('Twr_Nazwa', vc(255), false),
	col('Twr_EAN', vc(40)),
	col('Twr_JM', vc(20), false),
	col('Twr_NieAktywny', INT, false),
	col('Twr_Stawka', MONEY, false),
	col('Twr_Flaga', INT, false),
	col('Twr_TwCNumer', INT, false),
	col('Twr_TwGGIDNumer', INT, false),
	col('Twr_TS_Mod', DATETIME, false),
];

const STATUS_COLUMNS = [
	col('TrN_TrNID', INT, false),
	col('TrN_NumerPelny', vc(30), false),
	col('TrN_NumerObcy', vc(30), false),
	col('TrN_Bufor', INT, false),
	col('TrN_Anulowany', INT, false),
	col('TrN_DataDok', DATETIME, false),
	col('TrN_TS_Mod', DATETIME, false),
	col('WZ_TrNID', INT),
	col('WZ_NumerPelny', vc(30)),
	col('WZ_DataDok', DATETIME),
	col('WZ_TS_Mod', DATETIME),
	col('FS_TrNID', INT),
	col('FS_NumerPelny', vc(30)),
	col('FS_DataDok', DATETIME),
	col('FS_TS_Mod', DATETIME),
];

/** the newest WZ and the newest FS of an RO (not cancelled), as the statements' OUTER APPLYs find them */
export function followersOf(db: OptimaDatabase, ro: TraNag): { wz?: TraNag; fs?: TraNag } {
	const byId = new Map(db.TraNag.map((n) => [n.TrN_TrNID, n]));
	const wzIds = db.TraNagRelacje.filter((r) => r.TrR_TrNId === ro.TrN_TrNID && r.TrR_FaTyp === DOC.WZ).map(
		(r) => r.TrR_FaId,
	);
	const wz = wzIds
		.map((id) => byId.get(id))
		.filter((n): n is TraNag => !!n && n.TrN_Anulowany === 0)
		.sort((a, b) => b.TrN_TrNID - a.TrN_TrNID)[0];
	const fs = db.TraNagRelacje.filter(
		(r) => r.TrR_FaTyp === DOC.FS && (r.TrR_TrNId === ro.TrN_TrNID || wzIds.includes(r.TrR_TrNId)),
	)
		.map((r) => byId.get(r.TrR_FaId))
		.filter((n): n is TraNag => !!n && n.TrN_Anulowany === 0)
		.sort((a, b) => b.TrN_TrNID - a.TrN_TrNID)[0];
	return { wz, fs };
}

function statusRow(ro: TraNag, wz?: TraNag, fs?: TraNag): Cell[] {
	return [
		ro.TrN_TrNID,
		ro.TrN_NumerPelny,
		ro.TrN_NumerObcy,
		ro.TrN_Bufor,
		ro.TrN_Anulowany,
		ro.TrN_DataDok,
		ro.TrN_TS_Mod,
		wz?.TrN_TrNID ?? null,
		wz?.TrN_NumerPelny ?? null,
		wz?.TrN_DataDok ?? null,
		wz?.TrN_TS_Mod ?? null,
		fs?.TrN_TrNID ?? null,
		fs?.TrN_NumerPelny ?? null,
		fs?.TrN_DataDok ?? null,
		fs?.TrN_TS_Mod ?? null,
	];
}

export function runQuery(db: OptimaDatabase, name: OptimaQueryName, p: Record<string, ParamValue>): ResultSet {
	const towar = new Map(db.Towary.map((t) => [t.Twr_TwrId, t]));
	const knt = new Map(db.Kontrahenci.map((k) => [k.Knt_KntId, k]));
	const defByLp = (lp: number | null) => (lp === null ? undefined : db.DefCeny.find((x) => x.DfC_Lp === lp));
	const defById = (id: number | null) => (id === null ? undefined : db.DefCeny.find((x) => x.DfC_DfCId === id));
	switch (name) {
		case 'checkOptima': {
			const first = [...db.DefCeny].sort((a, b) => a.DfC_Lp - b.DfC_Lp)[0];
			return result(
				[col('DfC_DfCId', INT, false), col('DfC_Nazwa', vc(30), false)],
				first ? [[first.DfC_DfCId, first.DfC_Nazwa]] : [],
			);
		}
		case 'products': {
			const n = top(p.pageSize);
			const after = asInt(p.afterId);
			const since = asDate(p.changedSince ?? null);
			const rows = db.Towary.filter((t) => gt(t.Twr_TwrId, after) && (since === null || onOrAfter(t.Twr_TS_Mod, since)))
				.sort((a, b) => a.Twr_TwrId - b.Twr_TwrId)
				.slice(0, n)
				.map((t) => [
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
					t.Twr_TS_Mod,
				]);
			return result(TOWAR_COLUMNS, rows);
		}
		case 'priceDefinitions':
			return result(
				[
					col('DfC_DfCId', INT, false),
					col('DfC_Nazwa', vc(30), false),
					col('DfC_Lp', INT, false),
					col('DfC_Typ', INT, false),
				],
				[...db.DefCeny].sort((a, b) => a.DfC_Lp - b.DfC_Lp).map((x) => [x.DfC_DfCId, x.DfC_Nazwa, x.DfC_Lp, x.DfC_Typ]),
			);
		case 'warehouses':
			// ORDER BY Mag_Symbol (Polish_CI_AS), Mag_MagId; no filter
			return result(
				[col('Mag_MagId', INT, false), col('Mag_Symbol', vc(20), false), col('Mag_Nazwa', vc(50))],
				[...db.Magazyny]
					.sort((a, b) => collate(a.Mag_Symbol, b.Mag_Symbol) || a.Mag_MagId - b.Mag_MagId)
					.map((m) => [m.Mag_MagId, m.Mag_Symbol, m.Mag_Nazwa]),
			);
		case 'prices': {
			const after = asInt(p.afterId);
			const upTo = asInt(p.upToId);
			const rows: Cell[][] = [];
			for (const c of db.TwrCeny) {
				const t = towar.get(c.TwC_TwrID);
				const def = defByLp(c.TwC_TwCNumer);
				if (!t || !def || !gt(t.Twr_TwrId, after) || !le(t.Twr_TwrId, upTo)) continue;
				rows.push([
					t.Twr_TwrId,
					t.Twr_Kod,
					t.Twr_Stawka,
					t.Twr_Flaga,
					c.TwC_TwCNumer,
					c.TwC_Wartosc,
					c.TwC_Waluta,
					def.DfC_DfCId,
					def.DfC_Nazwa,
					def.DfC_Lp,
					def.DfC_Typ,
				]);
			}
			rows.sort((a, b) => (a[0] as number) - (b[0] as number) || (a[9] as number) - (b[9] as number));
			return result(
				[
					col('Twr_TwrId', INT, false),
					col('Twr_Kod', vc(50), false),
					col('Twr_Stawka', MONEY, false),
					col('Twr_Flaga', INT, false),
					col('TwC_TwCNumer', INT, false),
					col('TwC_Wartosc', MONEY, false),
					col('TwC_Waluta', vc(3)),
					col('DfC_DfCId', INT, false),
					col('DfC_Nazwa', vc(30), false),
					col('DfC_Lp', INT, false),
					col('DfC_Typ', INT, false),
				],
				rows,
			);
		}
		case 'discounts': {
			const asOf = asDate(p.asOf);
			const rows = db.Rabaty.filter((r) => r.Rab_DataDo === null || onOrAfter(r.Rab_DataDo, asOf))
				.sort((a, b) => a.Rab_RabId - b.Rab_RabId)
				.map((r) => {
					const k = r.Rab_PodmiotId === null ? undefined : knt.get(r.Rab_PodmiotId);
					const t = r.Rab_TwrId === null ? undefined : towar.get(r.Rab_TwrId);
					return [
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
						k?.Knt_Kod ?? null,
						k?.Knt_Ceny ?? null,
						t?.Twr_Kod ?? null,
					];
				});
			return result(DISCOUNT_COLUMNS, rows as Cell[][]);
		}
		case 'stock': {
			const after = asInt(p.afterId);
			const upTo = asInt(p.upToId);
			const asOf = asDate(p.asOf);
			const totalOnly = bitParam(p.totalOnly);
			const warehouse = p.warehouseCode ?? null;
			// ROW_NUMBER() OVER (PARTITION BY TwrId, MagId ORDER BY Data DESC, TwIId DESC) = 1, Data <= @asOf
			const latest = new Map<string, (typeof db.TwrIlosci)[number]>();
			for (const i of db.TwrIlosci) {
				if (!gt(i.TwI_TwrId, after) || !le(i.TwI_TwrId, upTo)) continue;
				if (asOf === null || i.TwI_Data.getTime() > asOf.getTime()) continue;
				const key = `${i.TwI_TwrId}|${i.TwI_MagId ?? 'NULL'}`;
				const seen = latest.get(key);
				if (
					!seen ||
					i.TwI_Data.getTime() > seen.TwI_Data.getTime() ||
					(i.TwI_Data.getTime() === seen.TwI_Data.getTime() && i.TwI_TwIId > seen.TwI_TwIId)
				)
					latest.set(key, i);
			}
			const rows: Cell[][] = [];
			for (const s of latest.values()) {
				const t = towar.get(s.TwI_TwrId);
				if (!t) continue;
				const mag = s.TwI_MagId === null ? undefined : db.Magazyny.find((x) => x.Mag_MagId === s.TwI_MagId);
				const keep =
					(totalOnly === 1 && s.TwI_MagId === null) ||
					(totalOnly === 0 &&
						s.TwI_MagId !== null &&
						(warehouse === null || (mag !== undefined && textEquals(mag.Mag_Symbol, warehouse))));
				if (!keep) continue;
				rows.push([
					s.TwI_TwrId,
					t.Twr_Kod,
					s.TwI_MagId,
					mag?.Mag_Symbol ?? null,
					s.TwI_Data,
					s.TwI_Ilosc,
					s.TwI_Rezerwacje,
					s.TwI_Zamowienia,
					s.TwI_Ilosc - s.TwI_Rezerwacje,
				]);
			}
			rows.sort((a, b) => (a[0] as number) - (b[0] as number) || collate(a[3] as string | null, b[3] as string | null));
			return result(
				[
					col('TwI_TwrId', INT, false),
					col('Twr_Kod', vc(50), false),
					col('TwI_MagId', INT),
					col('Mag_Symbol', vc(20)),
					col('TwI_Data', DATETIME, false),
					col('TwI_Ilosc', MONEY, false),
					col('TwI_Rezerwacje', MONEY, false),
					col('TwI_Zamowienia', MONEY, false),
					col('TwI_Dostepne', MONEY, false),
				],
				rows,
			);
		}
		case 'clients': {
			const n = top(p.pageSize);
			const after = asInt(p.afterId);
			const since = asDate(p.changedSince ?? null);
			const rows = db.Kontrahenci.filter(
				(k) => gt(k.Knt_KntId, after) && (since === null || onOrAfter(k.Knt_TS_Mod, since)),
			)
				.sort((a, b) => a.Knt_KntId - b.Knt_KntId)
				.slice(0, n)
				.map((k) => {
					const di = defById(k.Knt_Ceny);
					const dl = defByLp(k.Knt_Ceny);
					return [
						k.Knt_KntId,
						k.Knt_Kod,
						k.Knt_Nazwa1,
						k.Knt_Nazwa2,
						k.Knt_Nip,
						k.Knt_Grupa,
						k.Knt_Nieaktywny,
						k.Knt_Ceny,
						di?.DfC_Nazwa ?? null,
						di?.DfC_Lp ?? null,
						dl?.DfC_Nazwa ?? null,
						dl?.DfC_Lp ?? null,
						k.Knt_Ulica,
						k.Knt_NrDomu,
						k.Knt_NrLokalu,
						k.Knt_KodPocztowy,
						k.Knt_Miasto,
						k.Knt_Kraj,
						k.Knt_Email,
						k.Knt_Telefon1,
						k.Knt_TS_Mod,
					];
				});
			return result(
				[
					col('Knt_KntId', INT, false),
					col('Knt_Kod', vc(50), false),
					col('Knt_Nazwa1', vc(255), false),
					col('Knt_Nazwa2', vc(255)),
					col('Knt_Nip', vc(20)),
					col('Knt_Grupa', vc(50)),
					col('Knt_Nieaktywny', INT, false),
					col('Knt_Ceny', INT),
					col('CenyId_Nazwa', vc(30)),
					col('CenyId_Lp', INT),
					col('CenyLp_Nazwa', vc(30)),
					col('CenyLp_Lp', INT),
					col('Knt_Ulica', vc(100)),
					col('Knt_NrDomu', vc(20)),
					col('Knt_NrLokalu', vc(20)),
					col('Knt_KodPocztowy', vc(10)),
					col('Knt_Miasto', vc(100)),
					col('Knt_Kraj', vc(50)),
					col('Knt_Email', vc(255)),
					col('Knt_Telefon1', vc(50)),
					col('Knt_TS_Mod', DATETIME, false),
				],
				rows as Cell[][],
			);
		}
		case 'orderStatus': {
			const number = p.orderNumber ?? null;
			const rows = db.TraNag.filter((n) => n.TrN_TypDokumentu === DOC.RO && textEquals(n.TrN_NumerObcy, number))
				.sort((a, b) => b.TrN_TrNID - a.TrN_TrNID)
				.map((ro) => {
					const f = followersOf(db, ro);
					return statusRow(ro, f.wz, f.fs);
				});
			return result(STATUS_COLUMNS, rows);
		}
		case 'orderStatusChanges': {
			const n = top(p.pageSize);
			const after = asInt(p.afterId);
			const since = asDate(p.changedSince ?? null);
			const rows = db.TraNag.filter(
				(ro) => ro.TrN_TypDokumentu === DOC.RO && ro.TrN_NumerObcy.trim() !== '' && gt(ro.TrN_TrNID, after),
			)
				.sort((a, b) => a.TrN_TrNID - b.TrN_TrNID)
				.map((ro) => ({ ro, ...followersOf(db, ro) }))
				.filter(
					({ ro, wz, fs }) =>
						since === null ||
						onOrAfter(ro.TrN_TS_Mod, since) ||
						onOrAfter(wz?.TrN_TS_Mod, since) ||
						onOrAfter(fs?.TrN_TS_Mod, since),
				)
				.slice(0, n)
				.map(({ ro, wz, fs }) => statusRow(ro, wz, fs));
			return result(STATUS_COLUMNS, rows);
		}
		case 'invoices': {
			const n = top(p.pageSize);
			const after = asInt(p.afterId);
			const since = asDate(p.changedSince ?? null);
			const byId = new Map(db.TraNag.map((x) => [x.TrN_TrNID, x]));
			const rows = db.TraNag.filter(
				(fs) =>
					fs.TrN_TypDokumentu === DOC.FS &&
					fs.TrN_Bufor === 0 &&
					gt(fs.TrN_TrNID, after) &&
					(since === null || onOrAfter(fs.TrN_TS_Mod, since)),
			)
				.sort((a, b) => a.TrN_TrNID - b.TrN_TrNID)
				.slice(0, n)
				.map((fs) => {
					const k = fs.TrN_PodmiotTyp === 1 ? knt.get(fs.TrN_PodID) : undefined;
					const direct = db.TraNagRelacje.filter((r) => r.TrR_FaId === fs.TrN_TrNID && r.TrR_TrNTyp === DOC.RO).map(
						(r) => r.TrR_TrNId,
					);
					const viaWz = db.TraNagRelacje.filter((r2) => r2.TrR_FaId === fs.TrN_TrNID && r2.TrR_TrNTyp === DOC.WZ)
						.flatMap((r2) => db.TraNagRelacje.filter((r1) => r1.TrR_FaId === r2.TrR_TrNId && r1.TrR_FaTyp === DOC.WZ))
						.map((r1) => r1.TrR_TrNId);
					const ro = [...direct, ...viaWz]
						.map((id) => byId.get(id))
						.filter((x): x is TraNag => !!x && x.TrN_TypDokumentu === DOC.RO)
						.sort((a, b) => b.TrN_TrNID - a.TrN_TrNID)[0];
					return [
						fs.TrN_TrNID,
						fs.TrN_NumerPelny,
						fs.TrN_DataDok,
						fs.TrN_DataWys,
						fs.TrN_RazemNetto,
						fs.TrN_RazemBrutto,
						fs.TrN_TS_Mod,
						k?.Knt_Kod ?? null,
						ro?.TrN_NumerObcy ?? null,
						ro?.TrN_NumerPelny ?? null,
					];
				});
			return result(
				[
					col('TrN_TrNID', INT, false),
					col('TrN_NumerPelny', vc(30), false),
					col('TrN_DataDok', DATETIME, false),
					col('TrN_DataWys', DATETIME, false),
					col('TrN_RazemNetto', MONEY, false),
					col('TrN_RazemBrutto', MONEY, false),
					col('TrN_TS_Mod', DATETIME, false),
					col('Knt_Kod', vc(50)),
					col('RO_NumerObcy', vc(30)),
					col('RO_NumerPelny', vc(30)),
				],
				rows as Cell[][],
			);
		}
		case 'invoiceLines': {
			const after = asInt(p.afterId);
			const upTo = asInt(p.upToId);
			const fsIds = new Set(db.TraNag.filter((x) => x.TrN_TypDokumentu === DOC.FS).map((x) => x.TrN_TrNID));
			const rows = db.TraElem.filter((e) => fsIds.has(e.TrE_TrNId) && gt(e.TrE_TrNId, after) && le(e.TrE_TrNId, upTo))
				.sort((a, b) => a.TrE_TrNId - b.TrE_TrNId || a.TrE_TrEId - b.TrE_TrEId)
				.map((e) => [
					e.TrE_TrEId,
					e.TrE_TrNId,
					e.TrE_TwrKod,
					e.TrE_Ilosc,
					e.TrE_CenaT,
					e.TrE_Rabat,
					e.TrE_WartoscNetto,
				]);
			return result(
				[
					col('TrE_TrEId', INT, false),
					col('TrE_TrNId', INT, false),
					col('TrE_TwrKod', vc(50), false),
					col('TrE_Ilosc', MONEY, false),
					col('TrE_CenaT', MONEY, false),
					col('TrE_Rabat', MONEY, false),
					col('TrE_WartoscNetto', MONEY, false),
				],
				rows,
			);
		}
		case 'orderClient': {
			const code = p.clientCode ?? null;
			const k = db.Kontrahenci.filter((x) => textEquals(x.Knt_Kod, code)).sort((a, b) => a.Knt_KntId - b.Knt_KntId)[0];
			return result(
				[
					col('Knt_KntId', INT, false),
					col('Knt_Kod', vc(50), false),
					col('Knt_Nieaktywny', INT, false),
					col('Knt_Grupa', vc(50)),
					col('Knt_Ceny', INT),
					col('CenyId_Lp', INT),
					col('CenyLp_Lp', INT),
				],
				k
					? [
							[
								k.Knt_KntId,
								k.Knt_Kod,
								k.Knt_Nieaktywny,
								k.Knt_Grupa,
								k.Knt_Ceny,
								defById(k.Knt_Ceny)?.DfC_Lp ?? null,
								defByLp(k.Knt_Ceny)?.DfC_Lp ?? null,
							],
						]
					: [],
			);
		}
		case 'orderProduct': {
			const code = p.productCode ?? null;
			const t = db.Towary.filter((x) => textEquals(x.Twr_Kod, code)).sort((a, b) => a.Twr_TwrId - b.Twr_TwrId)[0];
			return result(
				[
					col('Twr_TwrId', INT, false),
					col('Twr_Kod', vc(50), false),
					col('Twr_NieAktywny', INT, false),
					col('Twr_Stawka', MONEY, false),
					col('Twr_Flaga', INT, false),
					col('Twr_TwCNumer', INT, false),
					col('Twr_TwGGIDNumer', INT, false),
				],
				t
					? [[t.Twr_TwrId, t.Twr_Kod, t.Twr_NieAktywny, t.Twr_Stawka, t.Twr_Flaga, t.Twr_TwCNumer, t.Twr_TwGGIDNumer]]
					: [],
			);
		}
		case 'orderProductPrices': {
			const id = asInt(p.productId);
			const rows: Cell[][] = [];
			for (const c of db.TwrCeny) {
				const def = defByLp(c.TwC_TwCNumer);
				if (!def || id === null || c.TwC_TwrID !== id) continue;
				rows.push([c.TwC_TwCNumer, c.TwC_Wartosc, c.TwC_Waluta, def.DfC_Nazwa, def.DfC_Lp, def.DfC_Typ]);
			}
			rows.sort((a, b) => (a[4] as number) - (b[4] as number));
			return result(
				[
					col('TwC_TwCNumer', INT, false),
					col('TwC_Wartosc', MONEY, false),
					col('TwC_Waluta', vc(3)),
					col('DfC_Nazwa', vc(30), false),
					col('DfC_Lp', INT, false),
					col('DfC_Typ', INT, false),
				],
				rows,
			);
		}
		case 'orderDiscounts': {
			const asOf = asDate(p.asOf);
			const product = asInt(p.productId);
			const group = asInt(p.productGroupId);
			const rows = db.Rabaty.filter(
				(r) =>
					(r.Rab_DataOd === null || (asOf !== null && r.Rab_DataOd.getTime() <= asOf.getTime())) &&
					(r.Rab_DataDo === null || onOrAfter(r.Rab_DataDo, asOf)) &&
					(r.Rab_TwrId === null || r.Rab_TwrId === 0 || r.Rab_TwrId === product || r.Rab_TwrId === group),
			)
				.sort((a, b) => a.Rab_RabId - b.Rab_RabId)
				.map((r) => [
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
				]);
			return result(DISCOUNT_COLUMNS.slice(0, 10), rows as Cell[][]);
		}
		default:
			throw sqlError(50000, 16, `SQL Server simulator: the Optima schema has no engine for "${String(name)}".`);
	}
}

const DISCOUNT_COLUMNS = [
	col('Rab_RabId', INT, false),
	col('Rab_Typ', INT, false),
	col('Rab_PodmiotTyp', INT),
	col('Rab_PodmiotId', INT),
	col('Rab_TwrId', INT),
	col('Rab_Rabat', MONEY, false),
	col('Rab_Cena', MONEY),
	col('Rab_Waluta', vc(3)),
	col('Rab_DataOd', DATETIME),
	col('Rab_DataDo', DATETIME),
	col('Knt_Kod', vc(50)),
	col('Knt_Ceny', INT),
	col('Twr_Kod', vc(50)),
];
