/**
 * The enova365 database behind the simulated add-on: products (Towary), price definitions and prices, individual
 * prices, warehouses and stock, contractors, ZO orders with their WZ and FV children.
 *
 * Every row carries a rowversion `Stamp` taken from ONE database-wide counter (@@DBTS), bumped by every change —
 * the add-on's cursor (docs/enova365-webapi-contract.md, "Paging and the cursor"; erp-facts-enova-optima §1 [S10]:
 * `SELECT CONVERT(BIGINT, @@DBTS)`). The counter starts near 2^31 (option `stampStart`) so a client that keeps it
 * in an int32 breaks at once; stamps are bigints here and decimal strings on the wire.
 *
 * Tests change the data the way an enova user would — `renameProduct`, `setPrice`, `moveStock`, `blockContractor`,
 * `confirmZO`, `cancelZO`, `issueWZ`, `issueFV` — and each bumps the Stamp of exactly the rows it touches.
 * ZO state (`Stan`): 0 Bufor, 1 Zatwierdzony, 2 Zablokowany, 3 Anulowany [S4]; WZ and FV only from a
 * Zatwierdzony ZO [S4][S7]. A saved ZO reserves its quantities in its warehouse (Zarezerwowano); cancelling or
 * issuing the WZ releases them.
 */
import type { SimClock } from '../common/clock';
import { addDays } from '../common/clock';
import { buildPdf } from '../common/pdf';
import { decimalText, grossOf, netOf, OPEN_END, roundQty, type VatRate } from './values';

export interface Towar {
	id: number;
	kod: string;
	nazwa: string;
	ean: string;
	jednostka: string;
	blokada: boolean;
	/** Towar = 1, Usługa = 2, Produkt = 4 */
	typ: 1 | 2 | 4;
	vat: VatRate;
	opis: string;
	stamp: bigint;
}

export interface DefinicjaCeny {
	id: number;
	nazwa: string;
	blokada: boolean;
	priorytet: number;
	/** the definition is kept gross (Detaliczna) */
	brutto: boolean;
	stamp: bigint;
}

export interface Cena {
	towarId: number;
	definicjaId: number;
	/** grosze */
	netto: number;
	brutto: number;
	stamp: bigint;
}

export interface CenaIndywidualna {
	id: number;
	towarId: number;
	/** exactly one of kontrahentId / grupa */
	kontrahentId?: number;
	grupa?: string;
	/** grosze; undefined on a discount-only row */
	netto?: number;
	brutto?: number;
	/** hundredths of a percent */
	rabat: number;
	/** from this quantity on */
	prog: number;
	od: string;
	do: string;
	stamp: bigint;
}

export interface Magazyn {
	id: number;
	symbol: string;
	nazwa: string;
}

export interface Stan {
	towarId: number;
	magazynId: number;
	stan: number;
	zarezerwowano: number;
	stamp: bigint;
}

export interface Kontrahent {
	id: number;
	kod: string;
	nazwa: string;
	nip: string;
	euVat: string;
	email: string;
	telefon: string;
	adres: { ulica: string; kodPocztowy: string; miejscowosc: string; kraj: string };
	blokada: boolean;
	blokadaSprzedazy: boolean;
	definicjaCeny: string;
	grupa: string;
	/** hundredths of a percent */
	rabat: number;
	terminPlatnosci: number;
	stamp: bigint;
}

export interface PozycjaZO {
	towarId: number;
	kod: string;
	ilosc: number;
	/** grosze, in the document's TypCen (net or gross) */
	cena: number;
	vat: VatRate;
	/** hundredths of a percent */
	rabat: number;
}

export interface Suma {
	netto: number;
	vat: number;
	brutto: number;
}

export type StanZO = 0 | 1 | 2 | 3;

export interface Podrzedny {
	typ: 'WZ' | 'FV';
	id: number;
	numer: string;
	data: string;
}

export interface DokumentZO {
	id: number;
	numer: string;
	stan: StanZO;
	obcyNumer: string;
	kontrahentId: number;
	magazynId: number;
	data: string;
	typCen: 'Netto' | 'Brutto';
	waluta: string;
	uwagi: string;
	pozycje: PozycjaZO[];
	suma: Suma;
	podrzedne: Podrzedny[];
	/** quantities still reserved by this ZO */
	reserved: boolean;
	stamp: bigint;
}

export interface Faktura {
	id: number;
	numer: string;
	data: string;
	terminPlatnosci: string;
	kontrahentId: number;
	zoId: number;
	obcyNumerZO: string;
	suma: Suma;
	waluta: string;
	stamp: bigint;
}

export class StateError extends Error {}

export class EnovaState {
	/** @@DBTS: the last rowversion handed out */
	dbts: bigint;
	towary: Towar[] = [];
	towaryByKod = new Map<string, Towar>();
	towaryById = new Map<number, Towar>();
	definicje: DefinicjaCeny[] = [];
	ceny: Cena[] = [];
	private cenyByKey = new Map<string, Cena>();
	cenyIndywidualne: CenaIndywidualna[] = [];
	magazyny: Magazyn[] = [];
	stany: Stan[] = [];
	private stanyByKey = new Map<string, Stan>();
	kontrahenci: Kontrahent[] = [];
	kontrahenciByKod = new Map<string, Kontrahent>();
	kontrahenciById = new Map<number, Kontrahent>();
	zo: DokumentZO[] = [];
	zoById = new Map<number, DokumentZO>();
	faktury: Faktura[] = [];
	fakturyById = new Map<number, Faktura>();
	private nextId = 1000;
	private numbering = new Map<string, number>();

	constructor(
		readonly clock: SimClock,
		readonly stampStart: bigint = 2_147_480_000n,
	) {
		this.dbts = stampStart;
	}

	reset(): void {
		this.dbts = this.stampStart;
		this.towary = [];
		this.towaryByKod.clear();
		this.towaryById.clear();
		this.definicje = [];
		this.ceny = [];
		this.cenyByKey.clear();
		this.cenyIndywidualne = [];
		this.magazyny = [];
		this.stany = [];
		this.stanyByKey.clear();
		this.kontrahenci = [];
		this.kontrahenciByKod.clear();
		this.kontrahenciById.clear();
		this.zo = [];
		this.zoById.clear();
		this.faktury = [];
		this.fakturyById.clear();
		this.nextId = 1000;
		this.numbering.clear();
	}

	/** a new rowversion (every insert and update takes one) */
	bump(): bigint {
		this.dbts += 1n;
		return this.dbts;
	}

	newId(): number {
		return this.nextId++;
	}

	today(): string {
		return this.clock.stamp().date;
	}

	private number(symbol: string, date: string): string {
		const year = date.slice(0, 4);
		const key = `${symbol}/${year}`;
		const n = (this.numbering.get(key) ?? 0) + 1;
		this.numbering.set(key, n);
		return `${symbol}/${String(n).padStart(6, '0')}/${year}`;
	}

	// ---- inserts (the seed and tests) ----

	addTowar(t: Omit<Towar, 'id' | 'stamp'> & { id?: number }): Towar {
		if (this.towaryByKod.has(t.kod)) throw new StateError(`product ${t.kod} exists`);
		const rec: Towar = { ...t, id: t.id ?? this.newId(), stamp: this.bump() };
		this.towary.push(rec);
		this.towaryByKod.set(rec.kod, rec);
		this.towaryById.set(rec.id, rec);
		for (const m of this.magazyny) this.stanRow(rec.id, m.id);
		return rec;
	}

	addDefinicja(d: Omit<DefinicjaCeny, 'id' | 'stamp'>): DefinicjaCeny {
		const rec: DefinicjaCeny = { ...d, id: this.newId(), stamp: this.bump() };
		this.definicje.push(rec);
		return rec;
	}

	addMagazyn(m: Omit<Magazyn, 'id'>): Magazyn {
		const rec: Magazyn = { ...m, id: this.newId() };
		this.magazyny.push(rec);
		for (const t of this.towary) this.stanRow(t.id, rec.id);
		return rec;
	}

	addKontrahent(k: Omit<Kontrahent, 'id' | 'stamp'>): Kontrahent {
		if (this.kontrahenciByKod.has(k.kod)) throw new StateError(`contractor ${k.kod} exists`);
		const rec: Kontrahent = { ...k, id: this.newId(), stamp: this.bump() };
		this.kontrahenci.push(rec);
		this.kontrahenciByKod.set(rec.kod, rec);
		this.kontrahenciById.set(rec.id, rec);
		return rec;
	}

	addCenaIndywidualna(c: Omit<CenaIndywidualna, 'id' | 'stamp'>): CenaIndywidualna {
		if ((c.kontrahentId === undefined) === (c.grupa === undefined))
			throw new StateError('an individual price has exactly one of kontrahentId / grupa');
		const rec: CenaIndywidualna = { ...c, id: this.newId(), stamp: this.bump() };
		this.cenyIndywidualne.push(rec);
		return rec;
	}

	// ---- lookups ----

	towar(kod: string): Towar {
		const t = this.towaryByKod.get(kod);
		if (!t) throw new StateError(`no product ${kod}`);
		return t;
	}

	kontrahent(kod: string): Kontrahent {
		const k = this.kontrahenciByKod.get(kod);
		if (!k) throw new StateError(`no contractor ${kod}`);
		return k;
	}

	magazyn(symbol: string): Magazyn {
		const m = this.magazyny.find((x) => x.symbol === symbol);
		if (!m) throw new StateError(`no warehouse ${symbol}`);
		return m;
	}

	definicja(nazwa: string): DefinicjaCeny {
		const d = this.definicje.find((x) => x.nazwa === nazwa);
		if (!d) throw new StateError(`no price definition ${nazwa}`);
		return d;
	}

	stanRow(towarId: number, magazynId: number): Stan {
		const key = `${towarId}|${magazynId}`;
		let s = this.stanyByKey.get(key);
		if (!s) {
			s = { towarId, magazynId, stan: 0, zarezerwowano: 0, stamp: this.bump() };
			this.stanyByKey.set(key, s);
			this.stany.push(s);
		}
		return s;
	}

	cena(towarId: number, definicjaId: number): Cena | undefined {
		return this.cenyByKey.get(`${towarId}|${definicjaId}`);
	}

	// ---- mutators: each bumps the Stamp of the rows it changes ----

	renameProduct(kod: string, nazwa: string): Towar {
		return this.updateProduct(kod, { nazwa });
	}

	updateProduct(kod: string, patch: Partial<Omit<Towar, 'id' | 'kod' | 'stamp'>>): Towar {
		const t = this.towar(kod);
		Object.assign(t, patch);
		t.stamp = this.bump();
		return t;
	}

	blockProduct(kod: string, blokada = true): Towar {
		return this.updateProduct(kod, { blokada });
	}

	/**
	 * Sets the price of a product in a definition, in grosze or as a decimal string ("129.99"). Give netto or brutto;
	 * the other follows from the product's VAT rate (rounded to the grosz).
	 */
	setPrice(kod: string, definicja: string, price: { netto?: number | string; brutto?: number | string }): Cena {
		const t = this.towar(kod);
		const d = this.definicja(definicja);
		const g = (v: number | string) => (typeof v === 'number' ? v : Math.round(Number(v.replace(',', '.')) * 100));
		let netto: number;
		let brutto: number;
		if (price.netto !== undefined) {
			netto = g(price.netto);
			brutto = price.brutto !== undefined ? g(price.brutto) : grossOf(netto, t.vat);
		} else if (price.brutto !== undefined) {
			brutto = g(price.brutto);
			netto = netOf(brutto, t.vat);
		} else throw new StateError('setPrice needs netto or brutto');
		const key = `${t.id}|${d.id}`;
		let c = this.cenyByKey.get(key);
		if (!c) {
			c = { towarId: t.id, definicjaId: d.id, netto, brutto, stamp: this.bump() };
			this.cenyByKey.set(key, c);
			this.ceny.push(c);
		} else {
			c.netto = netto;
			c.brutto = brutto;
			c.stamp = this.bump();
		}
		return c;
	}

	/** stock moves by `delta` (a receipt > 0, an issue < 0) in a warehouse; the row's Stamp moves, the product's not */
	moveStock(kod: string, magazyn: string, delta: number): Stan {
		const s = this.stanRow(this.towar(kod).id, this.magazyn(magazyn).id);
		s.stan = roundQty(s.stan + delta);
		s.stamp = this.bump();
		return s;
	}

	setStock(kod: string, magazyn: string, stan: number): Stan {
		const s = this.stanRow(this.towar(kod).id, this.magazyn(magazyn).id);
		s.stan = roundQty(stan);
		s.stamp = this.bump();
		return s;
	}

	blockContractor(
		kod: string,
		flags: { blokada?: boolean; blokadaSprzedazy?: boolean } = { blokada: true },
	): Kontrahent {
		return this.updateContractor(kod, {
			...(flags.blokada !== undefined ? { blokada: flags.blokada } : {}),
			...(flags.blokadaSprzedazy !== undefined ? { blokadaSprzedazy: flags.blokadaSprzedazy } : {}),
		});
	}

	updateContractor(kod: string, patch: Partial<Omit<Kontrahent, 'id' | 'kod' | 'stamp'>>): Kontrahent {
		const k = this.kontrahent(kod);
		Object.assign(k, patch);
		k.stamp = this.bump();
		return k;
	}

	// ---- ZO and its children ----

	/** the ZOs of a contractor with this Obcy.Numer (key WgKontrahentaObcy), not cancelled first */
	findZO(kontrahentId: number, obcyNumer: string): DokumentZO[] {
		return this.zo
			.filter((d) => d.kontrahentId === kontrahentId && d.obcyNumer === obcyNumer)
			.sort((a, b) => Number(a.stan === 3) - Number(b.stan === 3) || a.id - b.id);
	}

	/** saves a ZO (already validated by the add-on) and reserves its quantities */
	createZO(d: Omit<DokumentZO, 'id' | 'numer' | 'podrzedne' | 'reserved' | 'stamp'>): DokumentZO {
		const rec: DokumentZO = {
			...d,
			id: this.newId(),
			numer: this.number('ZO', d.data),
			podrzedne: [],
			reserved: true,
			stamp: this.bump(),
		};
		this.zo.push(rec);
		this.zoById.set(rec.id, rec);
		this.reserve(rec, 1);
		return rec;
	}

	private reserve(d: DokumentZO, sign: 1 | -1): void {
		for (const p of d.pozycje) {
			const t = this.towaryById.get(p.towarId);
			if (!t || t.typ === 2) continue; // services hold no stock
			const s = this.stanRow(p.towarId, d.magazynId);
			s.zarezerwowano = roundQty(Math.max(0, s.zarezerwowano + sign * p.ilosc));
			s.stamp = this.bump();
		}
		d.reserved = sign === 1;
	}

	zoDoc(id: number): DokumentZO {
		const d = this.zoById.get(id);
		if (!d) throw new StateError(`no ZO ${id}`);
		return d;
	}

	/** the seller approves the ZO: Bufor (0) → Zatwierdzony (1) */
	confirmZO(id: number): DokumentZO {
		const d = this.zoDoc(id);
		if (d.stan !== 0) throw new StateError(`ZO ${d.numer} is not in Bufor (Stan ${d.stan})`);
		d.stan = 1;
		d.stamp = this.bump();
		return d;
	}

	/** sets Stan directly (e.g. 2 Zablokowany) */
	setZOStan(id: number, stan: StanZO): DokumentZO {
		if (stan === 3) return this.cancelZO(id);
		const d = this.zoDoc(id);
		d.stan = stan;
		d.stamp = this.bump();
		return d;
	}

	/** cancels the ZO (Anulowany, 3) and releases its reservation; not once it has an FV */
	cancelZO(id: number): DokumentZO {
		const d = this.zoDoc(id);
		if (d.stan === 3) throw new StateError(`ZO ${d.numer} is already cancelled`);
		if (d.podrzedne.some((p) => p.typ === 'FV')) throw new StateError(`ZO ${d.numer} has an invoice`);
		if (d.reserved) this.reserve(d, -1);
		d.stan = 3;
		d.stamp = this.bump();
		return d;
	}

	private needConfirmed(d: DokumentZO, what: string): void {
		if (d.stan !== 1) throw new StateError(`${what}: ZO ${d.numer} must be Zatwierdzony (Stan 1), it is ${d.stan}`);
	}

	/** issues the WZ from a confirmed ZO: stock leaves the warehouse, the reservation is released */
	issueWZ(id: number, opts: { date?: string } = {}): Podrzedny {
		const d = this.zoDoc(id);
		this.needConfirmed(d, 'WZ');
		if (d.podrzedne.some((p) => p.typ === 'WZ')) throw new StateError(`ZO ${d.numer} already has a WZ`);
		const date = opts.date ?? this.today();
		if (d.reserved) this.reserve(d, -1);
		for (const p of d.pozycje) {
			const t = this.towaryById.get(p.towarId);
			if (!t || t.typ === 2) continue;
			const s = this.stanRow(p.towarId, d.magazynId);
			s.stan = roundQty(s.stan - p.ilosc);
			s.stamp = this.bump();
		}
		const rel: Podrzedny = { typ: 'WZ', id: this.newId(), numer: this.number('WZ', date), data: date };
		d.podrzedne.push(rel);
		d.stamp = this.bump();
		return rel;
	}

	/** issues the FV from a confirmed ZO (IRelacjeService.NowyPodrzednyIndywidualny(zo, "FV") [S4][S7]) */
	issueFV(id: number, opts: { date?: string; paymentDays?: number } = {}): Faktura {
		const d = this.zoDoc(id);
		this.needConfirmed(d, 'FV');
		if (d.podrzedne.some((p) => p.typ === 'FV')) throw new StateError(`ZO ${d.numer} already has an FV`);
		const k = this.kontrahenciById.get(d.kontrahentId)!;
		const date = opts.date ?? this.today();
		const f: Faktura = {
			id: this.newId(),
			numer: this.number('FV', date),
			data: date,
			terminPlatnosci: addDays(date, opts.paymentDays ?? k.terminPlatnosci),
			kontrahentId: d.kontrahentId,
			zoId: d.id,
			obcyNumerZO: d.obcyNumer,
			suma: { ...d.suma },
			waluta: d.waluta,
			stamp: this.bump(),
		};
		this.faktury.push(f);
		this.fakturyById.set(f.id, f);
		d.podrzedne.push({ typ: 'FV', id: f.id, numer: f.numer, data: f.data });
		d.stamp = this.bump();
		return f;
	}

	/** the invoice printout (Sprzedaz.repx) as PDF bytes */
	invoicePdf(f: Faktura): Buffer {
		const k = this.kontrahenciById.get(f.kontrahentId)!;
		const d = this.zoById.get(f.zoId);
		const lines = [
			`Data wystawienia: ${f.data}   Termin płatności: ${f.terminPlatnosci}`,
			`Nabywca: ${k.nazwa} (${k.kod}), NIP ${k.nip}`,
			`${k.adres.ulica}, ${k.adres.kodPocztowy} ${k.adres.miejscowosc}`,
			`Zamówienie: ${f.obcyNumerZO}`,
			'',
			...(d?.pozycje ?? []).map(
				(p) => `${p.kod}  ${this.towaryById.get(p.towarId)?.nazwa ?? ''}  ${p.ilosc} × ${decimalText(p.cena, ',')}`,
			),
			'',
			`Razem netto ${decimalText(f.suma.netto, ',')}  VAT ${decimalText(f.suma.vat, ',')}  brutto ${decimalText(f.suma.brutto, ',')} ${f.waluta}`,
		];
		return buildPdf({ title: `Faktura VAT ${f.numer}`, lines, creationDate: new Date(this.clock.now()) });
	}

	/** true when the period contains the date */
	static inPeriod(c: { od: string; do: string }, date: string): boolean {
		return c.od <= date && (c.do === OPEN_END || date <= c.do);
	}
}
