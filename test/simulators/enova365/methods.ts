/**
 * The add-on's methods (docs/enova365-webapi-contract.md, "Methods"): verb, argument kind and what each reads or
 * writes. The transport (verbs, query/body, both login modes, answer shapes) is server.ts; this file knows the
 * contract's JSON field names.
 *
 * Errors, as the contract says: business errors (unknown or blocked product / contractor / warehouse / document)
 * are `BizError` → HTTP 200 with a plain JSON string [S7] (or, with `errorStyle: 'object'`, 404/422 with
 * `{"error"}`); a ZO with the same ObcyNumer and other lines is `ApiError` 409 `conflict`; malformed arguments
 * 400 `bad_request`.
 */
import { EnovaState, type Cena, type DokumentZO, type PozycjaZO, type Suma, type Towar } from './state';
import {
	InputError,
	isIsoDate,
	money,
	parseDecimalInput,
	parsePercentInput,
	parseVatInput,
	percent,
	roundQty,
	vatText,
	type DecimalSeparator,
	type VatRate,
} from './values';

/** an answer with `{"error": {code, message}}` and an HTTP status */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}
}

/** a business error the add-on answers as HTTP 200 + a JSON string */
export class BizError extends Error {
	constructor(
		readonly code: 'not_found' | 'rejected',
		message: string,
	) {
		super(message);
	}
}

export type Verb = 'GET' | 'POST';

export interface MethodContext {
	state: EnovaState;
	sep: DecimalSeparator;
	/** upper bound of IloscNaStronie (more is served as this many) */
	maxPageSize: number;
	defaultPageSize: number;
}

export interface MethodDef {
	name: string;
	verb: Verb;
	/** 'object': the raw JSON body; 'simple': named query arguments; 'none' */
	arg: 'object' | 'simple' | 'none';
	/** simple arguments, in order (the first is the one `?args=` fills) */
	params?: { name: string; required: boolean }[];
	/** does it write (a lost answer matters) */
	writes?: boolean;
	run(ctx: MethodContext, arg: Record<string, unknown>): unknown;
}

const bad = (message: string) => new ApiError(400, 'bad_request', message);

function strings(v: unknown, what: string): string[] | undefined {
	if (v === undefined || v === null) return undefined;
	if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw bad(`${what} must be an array of strings`);
	return v as string[];
}

interface Paging {
	strona: number;
	size: number;
	od?: bigint;
}

function paging(ctx: MethodContext, a: Record<string, unknown>): Paging {
	const strona = a.Strona ?? 1;
	const size = a.IloscNaStronie ?? ctx.defaultPageSize;
	if (!Number.isInteger(strona) || (strona as number) < 1)
		throw bad(`Strona must be an integer ≥ 1, not ${JSON.stringify(strona)}`);
	if (!Number.isInteger(size) || (size as number) < 1)
		throw bad(`IloscNaStronie must be an integer ≥ 1, not ${JSON.stringify(size)}`);
	let od: bigint | undefined;
	const raw = a.OdStamp;
	if (raw !== undefined && raw !== null && raw !== '') {
		if (typeof raw === 'string' && /^\d{1,20}$/.test(raw)) od = BigInt(raw);
		else if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) od = BigInt(raw);
		else throw bad(`OdStamp must be a decimal rowversion string, not ${JSON.stringify(raw)}`);
	}
	return { strona: strona as number, size: Math.min(size as number, ctx.maxPageSize), od };
}

/**
 * One page: `Stamp` = @@DBTS taken BEFORE the page is read; rows with Stamp > OdStamp, in ID order (the
 * add-on's natural iteration; a row changed between two page calls keeps its place, a new row comes last).
 */
function page<T extends { stamp: bigint }, R>(
	ctx: MethodContext,
	p: Paging,
	rows: readonly T[],
	key: string,
	map: (r: T) => R,
	filter?: (r: T) => boolean,
): Record<string, unknown> {
	const stamp = ctx.state.dbts.toString();
	const from = (p.strona - 1) * p.size;
	const out: R[] = [];
	let seen = 0;
	let more = false;
	for (const r of rows) {
		if (p.od !== undefined && r.stamp <= p.od) continue;
		if (filter && !filter(r)) continue;
		if (seen++ < from) continue;
		if (out.length === p.size) {
			more = true;
			break;
		}
		out.push(map(r));
	}
	return { Strona: p.strona, CzyJestNastepna: more, Stamp: stamp, [key]: out };
}

function suma(s: Suma, sep: DecimalSeparator, waluta: string) {
	return { Netto: money(s.netto, sep, waluta), VAT: money(s.vat, sep, waluta), Brutto: money(s.brutto, sep, waluta) };
}

function dokumentZO(ctx: MethodContext, d: DokumentZO, extra: Record<string, unknown> = {}) {
	const k = ctx.state.kontrahenciById.get(d.kontrahentId)!;
	return {
		ID: d.id,
		NumerPelnyZapisany: d.numer,
		Stan: d.stan,
		ObcyNumer: d.obcyNumer,
		Kontrahent: k.kod,
		Magazyn: ctx.state.magazyny.find((m) => m.id === d.magazynId)?.symbol,
		Data: d.data,
		Suma: { Netto: money(d.suma.netto, ctx.sep, d.waluta), Brutto: money(d.suma.brutto, ctx.sep, d.waluta) },
		...extra,
	};
}

function stanZO(d: DokumentZO) {
	return {
		ID: d.id,
		ObcyNumer: d.obcyNumer,
		NumerPelnyZapisany: d.numer,
		Stan: d.stan,
		Podrzedne: d.podrzedne.map((p) => ({ Typ: p.typ, ID: p.id, NumerPelnyZapisany: p.numer, Data: p.data })),
		Stamp: d.stamp.toString(),
	};
}

function towarJson(t: Towar) {
	return {
		ID: t.id,
		Kod: t.kod,
		Nazwa: t.nazwa,
		EAN: t.ean,
		Jednostka: t.jednostka,
		Blokada: t.blokada,
		Typ: t.typ,
		StawkaVAT: vatText(t.vat),
		Opis: t.opis,
		Stamp: t.stamp.toString(),
	};
}

/** per line: value = round(qty × price × (100 − rabat)%), VAT per line, totals from the rounded lines */
export function sumLines(lines: PozycjaZO[], typCen: 'Netto' | 'Brutto'): Suma {
	let netto = 0;
	let vat = 0;
	let brutto = 0;
	for (const l of lines) {
		const value = Math.round((l.ilosc * l.cena * (10000 - l.rabat)) / 10000);
		const pct = l.vat === 'zw' ? 0 : l.vat;
		if (typCen === 'Netto') {
			const v = Math.round((value * pct) / 100);
			netto += value;
			vat += v;
			brutto += value + v;
		} else {
			const v = Math.round((value * pct) / (100 + pct));
			brutto += value;
			vat += v;
			netto += value - v;
		}
	}
	return { netto, vat, brutto };
}

const sameLines = (a: PozycjaZO[], b: PozycjaZO[]) => {
	const key = (l: PozycjaZO) => `${l.towarId}|${l.ilosc}|${l.cena}|${l.rabat}|${l.vat}`;
	const x = a.map(key).sort();
	const y = b.map(key).sort();
	return x.length === y.length && x.every((v, i) => v === y[i]);
};

function addZO(ctx: MethodContext, a: Record<string, unknown>) {
	const s = ctx.state;
	const need = (k: string) => {
		const v = a[k];
		if (typeof v !== 'string' || v.trim() === '') throw bad(`${k} is required (a non-empty string)`);
		return v;
	};
	const kontrahentKod = need('Kontrahent');
	const obcyNumer = need('ObcyNumer');
	if (obcyNumer.length > 40) throw bad('ObcyNumer is longer than 40 characters');
	const typCen = a.TypCen ?? 'Netto';
	if (typCen !== 'Netto' && typCen !== 'Brutto')
		throw bad(`TypCen must be "Netto" or "Brutto", not ${JSON.stringify(typCen)}`);
	const data = a.Data ?? s.today();
	if (!isIsoDate(data)) throw bad(`Data must be YYYY-MM-DD, not ${JSON.stringify(data)}`);
	const waluta = a.Waluta ?? 'PLN';
	if (typeof waluta !== 'string' || !/^[A-Z]{3}$/.test(waluta))
		throw bad(`Waluta must be a currency code, not ${JSON.stringify(waluta)}`);
	const uwagi = a.Uwagi ?? '';
	if (typeof uwagi !== 'string') throw bad('Uwagi must be a string');
	if (!Array.isArray(a.Pozycje) || a.Pozycje.length === 0) throw bad('Pozycje must be a non-empty array');

	const k = s.kontrahenciByKod.get(kontrahentKod);
	if (!k) throw new BizError('not_found', `Nie znaleziono kontrahenta o kodzie '${kontrahentKod}'`);
	if (k.blokada) throw new BizError('rejected', `Kontrahent '${k.kod}' jest zablokowany (Blokada)`);
	if (k.blokadaSprzedazy)
		throw new BizError('rejected', `Kontrahent '${k.kod}' ma blokadę sprzedaży (BlokadaSprzedazy)`);
	let magazyn = s.magazyny[0];
	if (a.Magazyn !== undefined && a.Magazyn !== null && a.Magazyn !== '') {
		if (typeof a.Magazyn !== 'string') throw bad('Magazyn must be a warehouse symbol (string)');
		const m = s.magazyny.find((x) => x.symbol === a.Magazyn);
		if (!m) throw new BizError('not_found', `Nie znaleziono magazynu o symbolu '${a.Magazyn}'`);
		magazyn = m;
	}
	const pozycje: PozycjaZO[] = [];
	(a.Pozycje as unknown[]).forEach((raw, i) => {
		const n = i + 1;
		if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw bad(`Pozycje[${n}] must be an object`);
		const p = raw as Record<string, unknown>;
		if (typeof p.Towar !== 'string' || p.Towar === '') throw bad(`Pozycje[${n}].Towar is required (a product code)`);
		let ilosc: number;
		let cena: number;
		let vat: VatRate | undefined;
		let rabat = 0;
		try {
			ilosc = roundQty(parseDecimalInput(p.Ilosc, `Pozycje[${n}].Ilosc`));
			if (!(ilosc > 0)) throw new InputError(`Pozycje[${n}].Ilosc must be greater than 0`);
			const c = parseDecimalInput(p.Cena, `Pozycje[${n}].Cena`);
			if (c < 0) throw new InputError(`Pozycje[${n}].Cena must not be negative`);
			cena = Math.round(c * 100);
			if (p.StawkaVAT !== undefined && p.StawkaVAT !== null)
				vat = parseVatInput(p.StawkaVAT, `Pozycje[${n}].StawkaVAT`);
			if (p.Rabat !== undefined && p.Rabat !== null) rabat = parsePercentInput(p.Rabat, `Pozycje[${n}].Rabat`);
			if (rabat < 0 || rabat > 10000) throw new InputError(`Pozycje[${n}].Rabat must be 0–100 %`);
		} catch (err) {
			if (err instanceof InputError) throw bad(err.message);
			throw err;
		}
		const t = s.towaryByKod.get(p.Towar);
		if (!t) throw new BizError('not_found', `Nie znaleziono towaru o kodzie '${p.Towar}'`);
		if (t.blokada) throw new BizError('rejected', `Towar '${t.kod}' jest zablokowany`);
		pozycje.push({ towarId: t.id, kod: t.kod, ilosc, cena, vat: vat ?? t.vat, rabat });
	});

	const existing = s.findZO(k.id, obcyNumer).find((d) => d.stan !== 3);
	if (existing) {
		if (sameLines(existing.pozycje, pozycje)) return dokumentZO(ctx, existing, { Istnial: true });
		throw new ApiError(
			409,
			'conflict',
			`Zamówienie ${existing.numer} kontrahenta '${k.kod}' o numerze obcym '${obcyNumer}' istnieje z innymi pozycjami`,
		);
	}
	const d = s.createZO({
		stan: 0,
		obcyNumer,
		kontrahentId: k.id,
		magazynId: magazyn.id,
		data,
		typCen,
		waluta,
		uwagi,
		pozycje,
		suma: sumLines(pozycje, typCen),
	});
	return dokumentZO(ctx, d, { Istnial: false });
}

export function methods(): MethodDef[] {
	return [
		{
			name: 'GetTowary',
			verb: 'POST',
			arg: 'object',
			run(ctx, a) {
				const kody = strings(a.Kody, 'Kody');
				const set = kody ? new Set(kody) : undefined;
				return page(
					ctx,
					paging(ctx, a),
					ctx.state.towary,
					'Towary',
					towarJson,
					set ? (t) => set.has(t.kod) : undefined,
				);
			},
		},
		{
			name: 'GetDefinicjeCen',
			verb: 'GET',
			arg: 'none',
			run(ctx) {
				return {
					DefinicjeCen: ctx.state.definicje.map((d) => ({
						ID: d.id,
						Nazwa: d.nazwa,
						Blokada: d.blokada,
						Priorytet: d.priorytet,
						Brutto: d.brutto,
					})),
				};
			},
		},
		{
			name: 'GetCeny',
			verb: 'POST',
			arg: 'object',
			run(ctx, a) {
				const s = ctx.state;
				const names = strings(a.Definicje, 'Definicje');
				let ids: Set<number> | undefined;
				if (names) {
					ids = new Set();
					for (const n of names) {
						const d = s.definicje.find((x) => x.nazwa === n);
						if (!d) throw new BizError('not_found', `Nie znaleziono definicji ceny '${n}'`);
						ids.add(d.id);
					}
				}
				const defName = new Map(s.definicje.map((d) => [d.id, d.nazwa]));
				return page(
					ctx,
					paging(ctx, a),
					s.ceny,
					'Ceny',
					(c: Cena) => ({
						Towar: s.towaryById.get(c.towarId)!.kod,
						Definicja: defName.get(c.definicjaId),
						Netto: money(c.netto, ctx.sep),
						Brutto: money(c.brutto, ctx.sep),
						Stamp: c.stamp.toString(),
					}),
					ids ? (c) => ids!.has(c.definicjaId) : undefined,
				);
			},
		},
		{
			name: 'GetCenyIndywidualne',
			verb: 'POST',
			arg: 'object',
			run(ctx, a) {
				const s = ctx.state;
				return page(ctx, paging(ctx, a), s.cenyIndywidualne, 'Ceny', (c) => ({
					Towar: s.towaryById.get(c.towarId)!.kod,
					...(c.kontrahentId !== undefined
						? { Kontrahent: s.kontrahenciById.get(c.kontrahentId)!.kod }
						: { Grupa: c.grupa }),
					Netto: c.netto === undefined ? null : money(c.netto, ctx.sep),
					Brutto: c.brutto === undefined ? null : money(c.brutto, ctx.sep),
					Rabat: percent(c.rabat),
					Prog: c.prog,
					Okres: { From: c.od, To: c.do },
					Stamp: c.stamp.toString(),
				}));
			},
		},
		{
			name: 'GetMagazyny',
			verb: 'GET',
			arg: 'none',
			run(ctx) {
				return { Magazyny: ctx.state.magazyny.map((m) => ({ ID: m.id, Symbol: m.symbol, Nazwa: m.nazwa })) };
			},
		},
		{
			name: 'GetStany',
			verb: 'POST',
			arg: 'object',
			run(ctx, a) {
				const s = ctx.state;
				const symbols = strings(a.Magazyny, 'Magazyny');
				let ids: Set<number> | undefined;
				if (symbols) {
					ids = new Set();
					for (const sym of symbols) {
						const m = s.magazyny.find((x) => x.symbol === sym);
						if (!m) throw new BizError('not_found', `Nie znaleziono magazynu o symbolu '${sym}'`);
						ids.add(m.id);
					}
				}
				const sym = new Map(s.magazyny.map((m) => [m.id, m.symbol]));
				return page(
					ctx,
					paging(ctx, a),
					s.stany,
					'Stany',
					(r) => ({
						Towar: s.towaryById.get(r.towarId)!.kod,
						Magazyn: sym.get(r.magazynId),
						Stan: r.stan,
						Zarezerwowano: r.zarezerwowano,
						Stamp: r.stamp.toString(),
					}),
					(r) => (ids ? ids.has(r.magazynId) : true) && s.towaryById.get(r.towarId)!.typ !== 2,
				);
			},
		},
		{
			name: 'GetKontrahenci',
			verb: 'POST',
			arg: 'object',
			run(ctx, a) {
				const kody = strings(a.Kody, 'Kody');
				const set = kody ? new Set(kody) : undefined;
				return page(
					ctx,
					paging(ctx, a),
					ctx.state.kontrahenci,
					'Kontrahenci',
					(k) => ({
						ID: k.id,
						Kod: k.kod,
						Nazwa: k.nazwa,
						NIP: k.nip,
						EuVAT: k.euVat,
						Email: k.email,
						Telefon: k.telefon,
						Adres: {
							Ulica: k.adres.ulica,
							KodPocztowy: k.adres.kodPocztowy,
							Miejscowosc: k.adres.miejscowosc,
							Kraj: k.adres.kraj,
						},
						Blokada: k.blokada,
						BlokadaSprzedazy: k.blokadaSprzedazy,
						DefinicjaCeny: k.definicjaCeny,
						Grupa: k.grupa,
						Rabat: percent(k.rabat),
						TerminPlatnosci: k.terminPlatnosci,
						Stamp: k.stamp.toString(),
					}),
					set ? (k) => set.has(k.kod) : undefined,
				);
			},
		},
		{
			name: 'FindZO',
			verb: 'GET',
			arg: 'simple',
			params: [
				{ name: 'obcyNumer', required: true },
				{ name: 'kontrahent', required: true },
			],
			run(ctx, a) {
				const k = ctx.state.kontrahenciByKod.get(String(a.kontrahent));
				if (!k) throw new BizError('not_found', `Nie znaleziono kontrahenta o kodzie '${String(a.kontrahent)}'`);
				const found = ctx.state.findZO(k.id, String(a.obcyNumer));
				return {
					Dokumenty: found
						.slice(0, 1)
						.map((d) => dokumentZO(ctx, d, { Podrzedne: stanZO(d).Podrzedne, Stamp: d.stamp.toString() })),
				};
			},
		},
		{ name: 'AddZO', verb: 'POST', arg: 'object', writes: true, run: addZO },
		{
			name: 'GetStanyZO',
			verb: 'POST',
			arg: 'object',
			run(ctx, a) {
				const numbers = strings(a.ObcyNumery, 'ObcyNumery');
				if (numbers) {
					const set = new Set(numbers);
					return {
						Strona: 1,
						CzyJestNastepna: false,
						Stamp: ctx.state.dbts.toString(),
						Dokumenty: ctx.state.zo.filter((d) => set.has(d.obcyNumer)).map(stanZO),
					};
				}
				return page(ctx, paging(ctx, a), ctx.state.zo, 'Dokumenty', stanZO);
			},
		},
		{
			name: 'GetFaktury',
			verb: 'POST',
			arg: 'object',
			run(ctx, a) {
				const s = ctx.state;
				return page(ctx, paging(ctx, a), s.faktury, 'Faktury', (f) => ({
					ID: f.id,
					NumerPelnyZapisany: f.numer,
					Data: f.data,
					TerminPlatnosci: f.terminPlatnosci,
					Kontrahent: s.kontrahenciById.get(f.kontrahentId)!.kod,
					ObcyNumerZO: f.obcyNumerZO,
					Suma: suma(f.suma, ctx.sep, f.waluta),
					Stamp: f.stamp.toString(),
				}));
			},
		},
		{
			name: 'GetFakturaPdf',
			verb: 'GET',
			arg: 'simple',
			params: [{ name: 'idFaktury', required: true }],
			run(ctx, a) {
				const raw = String(a.idFaktury);
				if (!/^\d{1,15}$/.test(raw)) throw bad(`idFaktury must be a whole number, not ${JSON.stringify(raw)}`);
				const f = ctx.state.fakturyById.get(Number(raw));
				if (!f) throw new BizError('not_found', `Nie znaleziono faktury o identyfikatorze ${raw}`);
				return { NazwaPliku: `${f.numer.replace(/\//g, '_')}.pdf`, Pdf: ctx.state.invoicePdf(f).toString('base64') };
			},
		},
	];
}

export { EnovaState };
