/**
 * Runs the SUBIEKT_QUERIES statements over the simulator's tables: a hand-written JS version of each
 * statement's semantics (joins, NULL three-valued logic, TOP/keyset, ORDER BY under a Polish case-insensitive
 * collation). Any other statement is refused by the server (../common.ts refuse), as SQL Server would refuse it
 * for a db_datareader login.
 */
import type { SubiektQueryName } from '../../../../nodes/SubiektGt/sql/queries';
import {
	asDate,
	asInt,
	BIT,
	ch,
	col,
	collate,
	DATETIME,
	INT,
	MONEY,
	textEquals,
	top,
	vc,
	type ResultSet,
} from '../common';
import type { Cell, ParamValue } from '../tds';
import type { Dokument, SubiektDatabase, Towar } from './data';

const gt = (a: number, b: number | null) => b !== null && a > b;

/**
 * The products in tw_Id order: the table itself when it already is (the seed and addGeneratedProducts add them so),
 * else a sorted copy. Checking is one pass; sorting 100,000 rows for every page is a cost SQL Server (a clustered
 * index on tw_Id) does not have, and it made the simulator, not the pack, the slow part of the read benchmarks.
 */
function productsById(list: Towar[]): Towar[] {
	for (let i = 1; i < list.length; i++)
		if (list[i - 1].tw_Id > list[i].tw_Id) return [...list].sort((a, b) => a.tw_Id - b.tw_Id);
	return list;
}

/** index of the first product with tw_Id > after in a tw_Id-ordered list (after NULL: the list's length, no rows) */
function firstAfter(sorted: Towar[], after: number | null): number {
	if (after === null) return sorted.length;
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (sorted[mid].tw_Id > after) hi = mid;
		else lo = mid + 1;
	}
	return lo;
}

export function runQuery(db: SubiektDatabase, name: SubiektQueryName, p: Record<string, ParamValue>): ResultSet {
	let towarById: Map<number, Towar> | undefined;
	const towar = { get: (id: number) => (towarById ??= new Map(db.tw__Towar.map((t) => [t.tw_Id, t]))).get(id) };
	const vat = new Map(db.sl_StawkaVAT.map((v) => [v.vat_Id, v]));
	const param = [...db.tw_Parametr].sort((a, b) => a.twp_Id - b.twp_Id)[0];
	switch (name) {
		case 'checkSubiekt': {
			const first = [...db.tw_Parametr].sort((a, b) => a.twp_Id - b.twp_Id)[0];
			return {
				columns: [col('twp_Id', INT, false), col('twp_NazwaCeny1', vc(50))],
				rows: first ? [[first.twp_Id, first.names[0] ?? null]] : [],
			};
		}
		case 'products': {
			const n = top(p.pageSize);
			const after = asInt(p.afterId);
			const sorted = productsById(db.tw__Towar);
			const page: Towar[] = [];
			for (let i = firstAfter(sorted, after); i < sorted.length && page.length < n; i++)
				if (!sorted[i].tw_Usuniety) page.push(sorted[i]);
			const rows = page.map((t) => {
				const v = t.tw_IdVatSp === null ? undefined : vat.get(t.tw_IdVatSp);
				return [
					t.tw_Id,
					t.tw_Symbol,
					t.tw_Nazwa,
					t.tw_Opis,
					t.tw_JednMiary,
					t.tw_PodstKodKresk,
					t.tw_Zablokowany,
					t.tw_SklepInternet,
					v?.vat_Symbol ?? null,
					v?.vat_Stawka ?? null,
				];
			});
			return {
				columns: [
					col('tw_Id', INT, false),
					col('tw_Symbol', vc(20), false),
					col('tw_Nazwa', vc(50), false),
					col('tw_Opis', vc(255)),
					col('tw_JednMiary', vc(10), false),
					col('tw_PodstKodKresk', vc(20)),
					col('tw_Zablokowany', BIT, false),
					col('tw_SklepInternet', BIT, false),
					col('vat_Symbol', vc(20)),
					col('vat_Stawka', MONEY),
				],
				rows,
			};
		}
		case 'priceLevels': {
			const after = asInt(p.afterId);
			const upTo = asInt(p.upToId);
			const rows: Cell[][] = [];
			if (param && upTo !== null) {
				// the products of the range first, then their tw_Cena rows (one pass, no map of the whole table; the last row of a product wins, as before)
				const sorted = productsById(db.tw__Towar);
				const inRange = new Map<number, Towar>();
				for (let i = firstAfter(sorted, after); i < sorted.length && sorted[i].tw_Id <= upTo; i++)
					if (!sorted[i].tw_Usuniety) inRange.set(sorted[i].tw_Id, sorted[i]);
				const cenaByProduct = new Map<number, (typeof db.tw_Cena)[number]>();
				for (const c of db.tw_Cena) if (inRange.has(c.tc_IdTowar)) cenaByProduct.set(c.tc_IdTowar, c);
				for (const t of inRange.values()) {
					const c = cenaByProduct.get(t.tw_Id);
					if (!c) continue;
					const v = t.tw_IdVatSp === null ? undefined : vat.get(t.tw_IdVatSp);
					for (let level = 1; level <= 10; level++) {
						rows.push([
							t.tw_Symbol,
							level,
							param.names[level - 1] ?? null,
							c.netto[level - 1] ?? null,
							c.brutto[level - 1] ?? null,
							v?.vat_Symbol ?? null,
							v?.vat_Stawka ?? null,
						]);
					}
				}
			}
			return {
				columns: [
					col('tw_Symbol', vc(20), false),
					col('poziom', INT, false),
					col('nazwa_ceny', vc(50)),
					col('cena_netto', MONEY),
					col('cena_brutto', MONEY),
					col('vat_Symbol', vc(20)),
					col('vat_Stawka', MONEY),
				],
				rows,
			};
		}
		case 'clientPriceLists': {
			const code = p.clientCode;
			const kh = new Map(db.kh__Kontrahent.map((k) => [k.kh_Id, k]));
			const out: Array<{ k: string; t: string; id: number; row: Cell[] }> = [];
			for (const c of db.icen__CennikiIndywidualne) {
				if (c.icen_Nieaktywny) continue;
				for (const ck of db.icen_CennikKontrahent.filter((x) => x.icenk_CennikId === c.icen_Id)) {
					const k = kh.get(ck.icenk_KhId);
					if (!k) continue;
					if (code !== null && code !== undefined && !textEquals(k.kh_Symbol, code)) continue;
					for (const ct of db.icen_CennikTowar.filter((x) => x.icent_CennikId === c.icen_Id)) {
						const t = towar.get(ct.icent_TwId);
						if (!t || t.tw_Usuniety) continue;
						out.push({
							k: k.kh_Symbol,
							t: t.tw_Symbol,
							id: c.icen_Id,
							row: [
								k.kh_Symbol,
								t.tw_Symbol,
								c.icen_Id,
								c.icen_Nazwa,
								c.icen_Waluta,
								c.icen_OgraniczonaCzasowo,
								c.icen_Od,
								c.icen_Do,
								ct.icent_CenaNetto,
								ct.icent_CenaBrutto,
							],
						});
					}
				}
			}
			out.sort((a, b) => collate(a.k, b.k) || collate(a.t, b.t) || a.id - b.id);
			return {
				columns: [
					col('kh_Symbol', vc(20), false),
					col('tw_Symbol', vc(20), false),
					col('icen_Id', INT, false),
					col('icen_Nazwa', vc(50), false),
					col('icen_Waluta', ch(3)),
					col('icen_OgraniczonaCzasowo', BIT, false),
					col('icen_Od', DATETIME),
					col('icen_Do', DATETIME),
					col('icent_CenaNetto', MONEY),
					col('icent_CenaBrutto', MONEY),
				],
				rows: out.map((o) => o.row),
			};
		}
		case 'productPictures': {
			const rows = db.tw_ZdjecieTw
				.filter((z) => z.zd_Zdjecie !== null && towar.get(z.zd_IdTowar)?.tw_Usuniety === false)
				.sort((a, b) => a.zd_IdTowar - b.zd_IdTowar || Number(b.zd_Glowne) - Number(a.zd_Glowne) || a.zd_Id - b.zd_Id)
				.map((z) => [z.zd_Id, z.zd_IdTowar, towar.get(z.zd_IdTowar)!.tw_Symbol, z.zd_Glowne]);
			return {
				columns: [
					col('zd_Id', INT, false),
					col('zd_IdTowar', INT, false),
					col('tw_Symbol', vc(20), false),
					col('zd_Glowne', BIT, false),
				],
				rows,
			};
		}
		case 'productPicture': {
			const id = asInt(p.pictureId);
			const z = db.tw_ZdjecieTw.find((x) => id !== null && x.zd_Id === id);
			return {
				columns: [col('zd_Id', INT, false), col('zd_Zdjecie', { kind: 'image', table: 'tw_ZdjecieTw' })],
				rows: z ? [[z.zd_Id, z.zd_Zdjecie]] : [],
			};
		}
		case 'stock': {
			// TOP (@pageSize) … WHERE … AND (st_TowId > @afterProductId OR (st_TowId = @afterProductId AND
			// st_MagId > @afterWarehouseId)) ORDER BY st_TowId, st_MagId: NULL keys compare unknown → no rows
			const n = top(p.pageSize);
			const afterProduct = asInt(p.afterProductId);
			const afterWarehouse = asInt(p.afterWarehouseId);
			const code = p.warehouseCode;
			const mag = new Map(db.sl_Magazyn.map((m) => [m.mag_Id, m]));
			const rows = db.tw_Stan
				.filter((s) => {
					const t = towar.get(s.st_TowId);
					const m = mag.get(s.st_MagId);
					if (!t || !m || t.tw_Usuniety) return false;
					if (code !== null && code !== undefined && !textEquals(m.mag_Symbol, code)) return false;
					return (
						gt(s.st_TowId, afterProduct) ||
						(afterProduct !== null && s.st_TowId === afterProduct && gt(s.st_MagId, afterWarehouse))
					);
				})
				.sort((a, b) => a.st_TowId - b.st_TowId || a.st_MagId - b.st_MagId)
				.slice(0, n)
				.map((s) => {
					const t = towar.get(s.st_TowId)!;
					const m = mag.get(s.st_MagId)!;
					return [
						s.st_TowId,
						s.st_MagId,
						t.tw_Symbol,
						m.mag_Symbol,
						m.mag_Nazwa,
						s.st_Stan,
						s.st_StanRez,
						s.st_Stan - s.st_StanRez,
					];
				});
			return {
				columns: [
					col('st_TowId', INT, false),
					col('st_MagId', INT, false),
					col('tw_Symbol', vc(20), false),
					col('mag_Symbol', vc(3), false),
					col('mag_Nazwa', vc(50), false),
					col('st_Stan', MONEY, false),
					col('st_StanRez', MONEY, false),
					col('st_Dostepne', MONEY, false),
				],
				rows,
			};
		}
		case 'warehouses': {
			// ORDER BY mag_Symbol (Polish_CI_AS), mag_Id; no filter
			const rows = [...db.sl_Magazyn]
				.sort((a, b) => collate(a.mag_Symbol, b.mag_Symbol) || a.mag_Id - b.mag_Id)
				.map((m) => [m.mag_Id, m.mag_Symbol, m.mag_Nazwa, m.mag_Glowny]);
			return {
				columns: [
					col('mag_Id', INT, false),
					col('mag_Symbol', vc(3), false),
					col('mag_Nazwa', vc(50), false),
					col('mag_Glowny', BIT, false),
				],
				rows,
			};
		}
		case 'clients': {
			const n = top(p.pageSize);
			const after = asInt(p.afterId);
			const since = asDate(p.changedSince);
			const pa = new Map(db.sl_Panstwo.map((x) => [x.pa_Id, x]));
			const rows: Cell[][] = [];
			for (const k of [...db.kh__Kontrahent].sort((a, b) => a.kh_Id - b.kh_Id)) {
				if (!gt(k.kh_Id, after)) continue;
				if (since !== null && (k.kh_DataZmiany === null || k.kh_DataZmiany.getTime() < since.getTime())) continue;
				const addresses = db.adr__Ewid.filter((a) => a.adr_IdObiektu === k.kh_Id && a.adr_TypAdresu === 1);
				const levelName =
					param && k.kh_Cena !== null && k.kh_Cena >= 1 && k.kh_Cena <= 10 ? param.names[k.kh_Cena - 1] : null;
				for (const a of addresses.length ? addresses : [undefined]) {
					const country = a?.adr_IdPanstwo == null ? undefined : pa.get(a.adr_IdPanstwo);
					rows.push([
						k.kh_Id,
						k.kh_Symbol,
						k.kh_EMail,
						k.kh_Zablokowany,
						k.kh_Cena,
						levelName ?? null,
						k.kh_DataZmiany,
						a?.adr_Nazwa ?? null,
						a?.adr_NazwaPelna ?? null,
						a?.adr_NIP ?? null,
						a?.adr_Ulica ?? null,
						a?.adr_NrDomu ?? null,
						a?.adr_NrLokalu ?? null,
						a?.adr_Kod ?? null,
						a?.adr_Miejscowosc ?? null,
						a?.adr_Telefon ?? null,
						country?.pa_KodPanstwaISO ?? null,
					]);
				}
			}
			return {
				columns: [
					col('kh_Id', INT, false),
					col('kh_Symbol', vc(20), false),
					col('kh_EMail', vc(255)),
					col('kh_Zablokowany', BIT, false),
					col('kh_Cena', INT),
					col('kh_CenaNazwa', vc(50)),
					col('kh_DataZmiany', DATETIME),
					col('adr_Nazwa', vc(53)),
					col('adr_NazwaPelna', vc(255)),
					col('adr_NIP', vc(20)),
					col('adr_Ulica', vc(60)),
					col('adr_NrDomu', vc(10)),
					col('adr_NrLokalu', vc(10)),
					col('adr_Kod', vc(8)),
					col('adr_Miejscowosc', vc(40)),
					col('adr_Telefon', vc(35)),
					col('pa_KodPanstwaISO', vc(3)),
				],
				rows: rows.slice(0, n),
			};
		}
		case 'orderClient': {
			// WHERE kh_Symbol = @clientCode (Polish_CI_AS; NULL matches nothing) ORDER BY kh_Id, TOP (1)
			const rows = db.kh__Kontrahent
				.filter((k) => textEquals(k.kh_Symbol, p.clientCode))
				.sort((a, b) => a.kh_Id - b.kh_Id)
				.slice(0, 1)
				.map((k) => [k.kh_Id, k.kh_Symbol, k.kh_Zablokowany]);
			return {
				columns: [col('kh_Id', INT, false), col('kh_Symbol', vc(20), false), col('kh_Zablokowany', BIT, false)],
				rows,
			};
		}
		case 'orderProduct': {
			// WHERE tw_Symbol = @productCode ORDER BY tw_Usuniety, tw_Id, TOP (1): deleted rows are NOT filtered out
			const rows = db.tw__Towar
				.filter((t) => textEquals(t.tw_Symbol, p.productCode))
				.sort((a, b) => Number(a.tw_Usuniety) - Number(b.tw_Usuniety) || a.tw_Id - b.tw_Id)
				.slice(0, 1)
				.map((t) => [t.tw_Id, t.tw_Symbol, t.tw_Zablokowany, t.tw_Usuniety]);
			return {
				columns: [
					col('tw_Id', INT, false),
					col('tw_Symbol', vc(20), false),
					col('tw_Zablokowany', BIT, false),
					col('tw_Usuniety', BIT, false),
				],
				rows,
			};
		}
		case 'orderByNumber': {
			const nr = p.orderNumber;
			const docs = db.dok__Dokument;
			const rows = docs
				.filter((zk) => zk.dok_Typ === 16 && textEquals(zk.dok_NrPelnyOryg, nr ?? null))
				.sort((a, b) => b.dok_Id - a.dok_Id)
				.map((zk) => {
					const fs = newest(
						docs,
						(f) => f.dok_Typ === 2 && (f.dok_DoDokId === zk.dok_Id || f.dok_Id === zk.dok_DoDokId),
					);
					return [
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
						fs?.dok_Id ?? null,
						fs?.dok_NrPelny ?? null,
						fs?.dok_DataWyst ?? null,
						fs?.dok_Status ?? null,
					];
				});
			return {
				columns: [
					col('dok_Id', INT, false),
					col('dok_NrPelny', vc(30), false),
					col('dok_NrPelnyOryg', vc(30)),
					col('dok_Status', INT, false),
					col('dok_DataWyst', DATETIME, false),
					col('dok_Waluta', ch(3)),
					col('dok_WartNetto', MONEY, false),
					col('dok_WartVat', MONEY, false),
					col('dok_WartBrutto', MONEY, false),
					col('dok_DoDokId', INT),
					col('fs_Id', INT),
					col('fs_NrPelny', vc(30)),
					col('fs_DataWyst', DATETIME),
					col('fs_Status', INT),
				],
				rows,
			};
		}
		case 'invoices': {
			const n = top(p.pageSize);
			const after = asInt(p.afterId);
			const from = asDate(p.issuedFrom);
			const docs = db.dok__Dokument;
			const kh = new Map(db.kh__Kontrahent.map((k) => [k.kh_Id, k]));
			const rows = docs
				.filter(
					(fs) =>
						fs.dok_Typ === 2 && gt(fs.dok_Id, after) && from !== null && fs.dok_DataWyst.getTime() >= from.getTime(),
				)
				.sort((a, b) => a.dok_Id - b.dok_Id)
				.slice(0, n)
				.map((fs) => {
					const payer = fs.dok_PlatnikId ?? fs.dok_OdbiorcaId;
					const k = payer === null ? undefined : kh.get(payer);
					const zk = newest(
						docs,
						(z) => z.dok_Typ === 16 && (z.dok_Id === fs.dok_DoDokId || z.dok_DoDokId === fs.dok_Id),
					);
					return [
						fs.dok_Id,
						fs.dok_NrPelny,
						fs.dok_DataWyst,
						fs.dok_PlatTermin,
						fs.dok_Waluta,
						fs.dok_WartNetto,
						fs.dok_WartVat,
						fs.dok_WartBrutto,
						k?.kh_Symbol ?? null,
						zk?.dok_NrPelnyOryg ?? null,
					];
				});
			return {
				columns: [
					col('dok_Id', INT, false),
					col('dok_NrPelny', vc(30), false),
					col('dok_DataWyst', DATETIME, false),
					col('dok_PlatTermin', DATETIME),
					col('dok_Waluta', ch(3)),
					col('dok_WartNetto', MONEY, false),
					col('dok_WartVat', MONEY, false),
					col('dok_WartBrutto', MONEY, false),
					col('kh_Symbol', vc(20)),
					col('zk_NrPelnyOryg', vc(30)),
				],
				rows,
			};
		}
	}
	const never: never = name;
	throw new Error(`no simulation for ${String(never)}`);
}

function newest(docs: Dokument[], pred: (d: Dokument) => boolean): Dokument | undefined {
	return docs.filter(pred).sort((a, b) => b.dok_Id - a.dok_Id)[0];
}
