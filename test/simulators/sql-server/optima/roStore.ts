/**
 * The Optima bridge simulator's RO store backed by the Optima SQL simulator's tables, so that an RO the bridge
 * saves is what Optima would hold: a CDN.TraNag row (TrN_TypDokumentu 308, TrN_Rodzaj 308000, TrN_NumerObcy = the
 * portal number, TrN_Bufor per `buffer`, TrN_TS_Mod now), its CDN.TraElem lines, and the reservation raised in
 * CDN.TwrIlosci (a new dated snapshot row per product in the warehouse and in the total, research [FO]: "TwI_Rezerwacje
 * rising when an RO is saved") — the node's SQL reads (status, stock) see it at once.
 *
 * It implements test/simulators/optima-bridge/store.ts's OptimaRoStore (one definition of the RO shapes for both
 * simulators).
 */
import { buildPdf } from '../../common/pdf';
import { money } from '../common';
import { addDoc, DOC, type OptimaDatabase, type TraNag } from './data';

import type { NewRo, OptimaRoStore, RoRecord } from '../../optima-bridge/store';

export type { NewRo, RoLine, RoRecord } from '../../optima-bridge/store';

const same = (a: string, b: string) => a.localeCompare(b, 'pl', { sensitivity: 'accent' }) === 0;

/** money ten-thousandths → "12.5" */
const plain = (v: bigint): string => {
	const neg = v < 0n;
	const a = neg ? -v : v;
	const frac = String(a % 10000n)
		.padStart(4, '0')
		.replace(/0+$/, '');
	return `${neg ? '-' : ''}${a / 10000n}${frac ? `.${frac}` : ''}`;
};

/** "now" as Optima's wall clock (Europe/Warsaw), as a Date whose UTC fields are that wall clock */
function wallNow(now: Date): Date {
	const parts = new Intl.DateTimeFormat('en-GB', {
		timeZone: 'Europe/Warsaw',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
		hourCycle: 'h23',
	}).formatToParts(now);
	const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
	return new Date(Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')));
}

export function optimaRoStore(db: OptimaDatabase, opts: { now?: () => Date } = {}): OptimaRoStore {
	const now = opts.now ?? (() => new Date());

	const record = (ro: TraNag): RoRecord => {
		const client = db.Kontrahenci.find((k) => k.Knt_KntId === ro.TrN_PodID);
		const mag = db.Magazyny.find((x) => x.Mag_MagId === ro.TrN_MagZrdId);
		const notes = db.notes.get(ro.TrN_TrNID);
		return {
			foreignNumber: ro.TrN_NumerObcy,
			clientCode: client?.Knt_Kod ?? '',
			warehouseSymbol: mag?.Mag_Symbol ?? '',
			lines: db.TraElem.filter((e) => e.TrE_TrNId === ro.TrN_TrNID)
				.sort((a, b) => a.TrE_TrEId - b.TrE_TrEId)
				.map((e) => ({ productCode: e.TrE_TwrKod, quantity: plain(e.TrE_Ilosc), unitPrice: plain(e.TrE_CenaT) })),
			buffer: ro.TrN_Bufor === 1,
			...(notes !== undefined ? { notes } : {}),
			id: ro.TrN_TrNID,
			fullNumber: ro.TrN_NumerPelny,
			cancelled: ro.TrN_Anulowany === 1,
			createdAt: new Date(ro.TrN_TS_Zal.getTime() - offsetMs(ro.TrN_TS_Zal)).toISOString(),
		};
	};

	/** raises TwI_Rezerwacje by `quantity`: a new snapshot dated now, copied from the current one */
	const reserve = (twrId: number, magId: number | null, quantity: bigint, at: Date) => {
		const current = db.TwrIlosci.filter(
			(i) => i.TwI_TwrId === twrId && i.TwI_MagId === magId && i.TwI_Data.getTime() <= at.getTime(),
		).sort((a, b) => b.TwI_Data.getTime() - a.TwI_Data.getTime() || b.TwI_TwIId - a.TwI_TwIId)[0];
		db.TwrIlosci.push({
			TwI_TwIId: db.TwrIlosci.reduce((mx, i) => Math.max(mx, i.TwI_TwIId), 0) + 1,
			TwI_TwrId: twrId,
			TwI_MagId: magId,
			TwI_Data: at,
			TwI_Ilosc: current?.TwI_Ilosc ?? 0n,
			TwI_Rezerwacje: (current?.TwI_Rezerwacje ?? 0n) + quantity,
			TwI_Zamowienia: current?.TwI_Zamowienia ?? 0n,
		});
	};

	return {
		/** ROs (308) with this TrN_NumerObcy, oldest first */
		findByForeignNumber(foreignNumber: string): RoRecord[] {
			return db.TraNag.filter((n) => n.TrN_TypDokumentu === DOC.RO && same(n.TrN_NumerObcy, foreignNumber))
				.sort((a, b) => a.TrN_TrNID - b.TrN_TrNID)
				.map(record);
		},

		/** what Optima would refuse: an unknown or inactive client or product, an unknown warehouse */
		refusal(ro: NewRo): string | undefined {
			const client = db.Kontrahenci.find((k) => same(k.Knt_Kod, ro.clientCode));
			if (!client) return `Nie znaleziono kontrahenta o kodzie ${ro.clientCode}`;
			if (client.Knt_Nieaktywny) return `Kontrahent ${ro.clientCode} jest nieaktywny`;
			if (!db.Magazyny.some((x) => same(x.Mag_Symbol, ro.warehouseSymbol)))
				return `Nie znaleziono magazynu o symbolu ${ro.warehouseSymbol}`;
			for (const [n, line] of ro.lines.entries()) {
				const product = db.Towary.find((t) => same(t.Twr_Kod, line.productCode));
				if (!product) return `Pozycja ${n + 1}: nie znaleziono towaru o kodzie ${line.productCode}`;
				if (product.Twr_NieAktywny) return `Pozycja ${n + 1}: towar ${line.productCode} jest nieaktywny`;
			}
			return undefined;
		},

		/** saves the RO: TraNag + TraElem + raised reservations (call refusal first, as the bridge does) */
		save(ro: NewRo): RoRecord {
			const client = db.Kontrahenci.find((k) => same(k.Knt_Kod, ro.clientCode));
			const mag = db.Magazyny.find((x) => same(x.Mag_Symbol, ro.warehouseSymbol));
			if (!client || !mag) throw new Error(`refused: ${this.refusal(ro) ?? 'unknown client or warehouse'}`);
			const at = wallNow(now());
			const stamp = at.toISOString().slice(0, 19).replace('T', ' ');
			const lines = ro.lines.map((l) => {
				const product = db.Towary.find((t) => same(t.Twr_Kod, l.productCode));
				if (!product) throw new Error(`refused: no product ${l.productCode}`);
				return { product, q: money(l.quantity), c: money(l.unitPrice) };
			});
			const net = lines.reduce((s, l) => s + (l.q * l.c) / 10000n, 0n);
			// gross with each product's rate (Twr_Stawka, ten-thousandths of a percent); zw / np lines carry none
			const gross = lines.reduce(
				(s, l) =>
					s +
					(((l.q * l.c) / 10000n) * (1000000n + (l.product.Twr_Flaga === 2 ? l.product.Twr_Stawka : 0n))) / 1000000n,
				0n,
			);
			const count = db.TraNag.filter((n) => n.TrN_TypDokumentu === DOC.RO).length + 1;
			const doc = addDoc(
				db,
				DOC.RO,
				`RO/${count}/${at.getUTCFullYear()}`,
				ro.foreignNumber,
				client.Knt_KntId,
				stamp,
				{ net: plain(net), gross: plain(gross) },
				mag.Mag_MagId,
			);
			doc.TrN_Bufor = ro.buffer ? 1 : 0;
			if (ro.notes !== undefined) db.notes.set(doc.TrN_TrNID, ro.notes);
			for (const l of lines) {
				db.TraElem.push({
					TrE_TrEId: db.TraElem.reduce((mx, e) => Math.max(mx, e.TrE_TrEId), 0) + 1,
					TrE_TrNId: doc.TrN_TrNID,
					TrE_TwrId: l.product.Twr_TwrId,
					TrE_TwrKod: l.product.Twr_Kod,
					TrE_MagId: mag.Mag_MagId,
					TrE_Ilosc: l.q,
					TrE_CenaT: l.c,
					TrE_Rabat: 0n,
					TrE_WartoscNetto: (l.q * l.c) / 10000n,
				});
				reserve(l.product.Twr_TwrId, mag.Mag_MagId, l.q, at);
				reserve(l.product.Twr_TwrId, null, l.q, at);
			}
			return record(doc);
		},

		/** a PDF of the FS with this TrN_TrNID, undefined when there is none */
		invoicePdf(id: number): Buffer | undefined {
			const fs = db.TraNag.find((n) => n.TrN_TrNID === id && n.TrN_TypDokumentu === DOC.FS);
			if (!fs) return undefined;
			const client = db.Kontrahenci.find((k) => k.Knt_KntId === fs.TrN_PodID);
			return buildPdf({
				title: `Faktura ${fs.TrN_NumerPelny}`,
				lines: [
					`Nabywca: ${client?.Knt_Nazwa1 ?? '?'} (${client?.Knt_Kod ?? '?'})`,
					...db.TraElem.filter((e) => e.TrE_TrNId === id).map(
						(e) => `${e.TrE_TwrKod} ${plain(e.TrE_Ilosc)} x ${plain(e.TrE_CenaT)}`,
					),
					`Razem netto ${plain(fs.TrN_RazemNetto)} PLN, brutto ${plain(fs.TrN_RazemBrutto)} PLN`,
				],
			});
		},
	};
}

/** the Europe/Warsaw offset of a wall-clock Date (its UTC fields are the wall clock), in ms */
function offsetMs(wall: Date): number {
	const asUtc = wall.getTime();
	const local = wallNow(new Date(asUtc));
	return local.getTime() - asUtc;
}
