/**
 * Comarch ERP Optima's own XML files ⇄ canonical records. Optima has no REST API; a customer who gives no SQL
 * access exports its price list and its contractors as XML, and imports documents from XML ("Handel → Import
 * dokumentów z pliku XML"). This is the only file that knows those files' element names.
 *
 * What is known, and from where (docs/erp-file.md § Comarch ERP Optima XML; research erp-facts-enova-optima §2):
 * - price list `<ROOT xmlns="http://www.cdn.com.pl/optima/cennik"><TOWARY><TOWAR>` with `CENY/CENA{TYP,NUMER,NAZWA,
 *   WARTOSC,SYMBOL_WALUTY}`; NUMER 1 is the purchase price ("zakupu"); TYP 1 = net, 2 = gross — seen in ONE public
 *   export, so the TYP values, the purchase price number and NIEAKTYWNY's 0/1 are parameters, not constants;
 * - contractors `<ROOT xmlns="http://www.cdn.com.pl/optima/offline"><KONTRAHENCI><KONTRAHENT>` with `ADRESY/ADRES`;
 * - documents `<ROOT xmlns="http://www.cdn.com.pl/optima/dokument"><DOKUMENT>`: documented for FS (302/302000)
 *   only. The RO (customer reservation, 308/308000) in this XML, and the element of the foreign number (the
 *   portal's order number), were NOT found: both are parameters (defaults 308 / 308000 / NUMER_OBCY).
 * - STAWKA_VAT FLAGA: 2 with a percentage in a public Optima-made document; 1 = exempt (zw) is our reading of
 *   Optima's VAT flag, unverified. np / oo have no known FLAGA and are refused.
 *
 * The namespace decides what a file holds, so a contractors file read as products is an error, not an empty list.
 * Reading walks the tree of the shared XML reader (./xml.ts, after assertSafeXml); money is computed with the
 * pack's decimal code and the order line arithmetic of the EDI++ ZK (zkLineAmounts), never with floats.
 */
import { addDecimal, formatDecimal, roundDecimal, trimDecimal } from '../model/decimal';
import { normaliseTaxId } from '../model/nip';
import type { Order } from '../model/types';
import { isVatMarker } from '../model/vat';
import { eppDate, zkLineAmounts } from '../edi/epp-canonical';
import { FileProblem, type FileEntity, type RawRecord } from './parse-records';
import {
	assertElementName,
	buildXmlText,
	childElements,
	elementText,
	parseXmlDocument,
	xmlAttribute,
	type XNode,
	type XmlDocument,
	type XmlElement,
} from './xml';

export const OPTIMA_NAMESPACE = {
	priceList: 'http://www.cdn.com.pl/optima/cennik',
	contractors: 'http://www.cdn.com.pl/optima/offline',
	document: 'http://www.cdn.com.pl/optima/dokument',
} as const;

type OptimaKind = keyof typeof OPTIMA_NAMESPACE;

const KIND_TEXT: Record<OptimaKind, string> = {
	priceList: 'a price list (products and prices)',
	contractors: 'a contractors file (clients)',
	document: 'a document file (Parse File reads price lists and contractors)',
};

const ENTITY_KIND: Record<FileEntity, OptimaKind | undefined> = {
	product: 'priceList',
	price: 'priceList',
	client: 'contractors',
	stock: undefined,
};

export interface OptimaReadOptions {
	fileName: string;
	entity: FileEntity;
	/** prices: the price list code is the CENA's NAZWA ("hurtowa 1") or its NUMER ("2") */
	priceListBy: 'name' | 'number';
	/** prices: also the purchase price (NUMER = purchasePriceNumber) */
	includePurchasePrice: boolean;
	purchasePriceNumber: string;
	/** TYP values (lower case) of net and of gross prices */
	netTypes: string[];
	grossTypes: string[];
	/** prices without SYMBOL_WALUTY */
	defaultCurrency: string;
	/** "12,50" → "12.50" in WARTOSC */
	decimalComma: boolean;
}

/** a value read from the file: its text, and where it stood (path from the record element) */
interface Found {
	text: string;
	path: string;
	line: number;
	column: number;
}

/** one Optima record being read: errors name the file, the element, the record's code and the Optima field */
class RecordReader {
	readonly line: number;
	readonly column: number;
	readonly where: string;
	readonly sources: NonNullable<RawRecord['sources']> = {};
	constructor(
		private readonly doc: XmlDocument,
		private readonly node: XNode,
		readonly fileName: string,
		/** "<TOWAR> 2" */
		element: string,
		/** "price "ŁÓD-001"", set once the code is read */
		public who: string,
	) {
		({ line: this.line, column: this.column } = doc.positionOf(node));
		this.where = `line ${this.line}, column ${this.column} (${element})`;
	}

	/** the raw record read, with where its values came from */
	record(value: Record<string, unknown>): RawRecord {
		return { line: this.line, column: this.column, where: this.where, value, sources: this.sources };
	}

	problem(path: string, message: string, at?: { line: number; column: number }): FileProblem {
		const p = at ?? { line: this.line, column: this.column };
		return new FileProblem(
			`${this.fileName} ${this.where}: ${this.who}: Optima field "${path}" ${message}`,
			p.line,
			path,
			p.column,
		);
	}

	/** the text at `path` ("NAZWA", "STAWKA_VAT/STAWKA") below `from` (default: the record), or undefined */
	value(path: string, from: XNode = this.node, prefix = ''): Found | undefined {
		let current: XNode | undefined = from;
		for (const name of path.split('/')) {
			const children: XNode[] = childElements(current, name);
			if (children.length > 1) {
				throw this.problem(
					`${prefix}${path}`,
					`appears ${children.length} times; Optima writes it once`,
					this.doc.positionOf(children[1]),
				);
			}
			current = children[0];
			if (!current) return undefined;
		}
		const at = this.doc.positionOf(current);
		const text = elementText(current);
		if (text === undefined) throw this.problem(`${prefix}${path}`, 'has child elements, not a value', at);
		return { text: text.trim(), path: `${prefix}${path}`, ...at };
	}

	/** the value at `path`, remembered as the source of canonical `field` (named by validation errors) */
	field(field: string, path: string, from?: XNode, prefix?: string): string | undefined {
		const v = this.value(path, from, prefix);
		if (v) this.sources[field] = { path: v.path, line: v.line, column: v.column };
		return v?.text;
	}

	required(field: string, path: string): string {
		const v = this.field(field, path);
		if (!v) throw this.problem(path, `is missing or empty (it holds the required field "${field}")`);
		return v;
	}
}

/**
 * STAWKA_VAT {STAWKA, FLAGA} → canonical rate: FLAGA 2 = the percentage in STAWKA, FLAGA 1 = exempt ("zw").
 * `prefix` is the path of STAWKA_VAT's parent for the error.
 */
function vatFromOptima(r: RecordReader, from?: XNode, prefix = ''): string | undefined {
	const flag = r.value('STAWKA_VAT/FLAGA', from, prefix);
	const rate = r.value('STAWKA_VAT/STAWKA', from, prefix);
	if (!flag && !rate) return undefined;
	if (flag?.text === '1') return 'zw';
	if (flag && flag.text !== '2') {
		throw r.problem(
			flag.path,
			`is "${flag.text}": expected 2 (a VAT percentage) or 1 (exempt, zw); other Optima VAT flags are not read (unverified meanings)`,
			flag,
		);
	}
	if (!rate?.text) throw r.problem(`${prefix}STAWKA_VAT/STAWKA`, 'is missing or empty', rate ?? flag);
	let pct: string | undefined;
	try {
		pct = trimDecimal(rate.text);
	} catch {
		pct = undefined;
	}
	if (pct === undefined || pct.startsWith('-'))
		throw r.problem(rate.path, `must be a VAT percentage like "23.00", got "${rate.text}"`, rate);
	return pct;
}

/** the root's namespace must be the one of the chosen entity */
function assertKind(doc: XmlDocument, o: OptimaReadOptions): void {
	const kind = ENTITY_KIND[o.entity];
	if (!kind) {
		throw new FileProblem(
			`${o.fileName}: Optima's XML exports carry no stock levels; read stock through the Optima node (SQL)`,
		);
	}
	const ns = xmlAttribute(doc.root, 'xmlns') ?? '';
	const found = (Object.keys(OPTIMA_NAMESPACE) as OptimaKind[]).find((k) => OPTIMA_NAMESPACE[k] === ns);
	const { line, column } = doc.positionOf(doc.root);
	const expected = `<ROOT xmlns="${OPTIMA_NAMESPACE[kind]}">`;
	if (doc.rootName !== 'ROOT' || !found) {
		throw new FileProblem(
			`${o.fileName} line ${line}, column ${column}: not a Comarch ERP Optima XML export: the document element is <${doc.rootName}${ns ? ` xmlns="${ns}"` : ''}>, expected ${expected}`,
			line,
			undefined,
			column,
		);
	}
	if (found !== kind) {
		throw new FileProblem(
			`${o.fileName} line ${line}, column ${column}: the file is ${KIND_TEXT[found]} (xmlns "${ns}"), not ${KIND_TEXT[kind]}; ` +
				`choose the Entity that matches the file (${o.entity} needs ${expected})`,
			line,
			undefined,
			column,
		);
	}
}

/** the record elements `list/item` of the root, in file order, numbered from 1 */
function recordsOf(doc: XmlDocument, list: string, item: string): XNode[] {
	return childElements(doc.root, list).flatMap((l) => childElements(l, item));
}

/**
 * The products, prices or clients of an Optima XML export (text already decoded and checked by assertSafeXml).
 * A record that cannot be read becomes a record with a `problem` (all or nothing per file: parse-records.ts).
 */
export function readOptimaRecords(text: string, o: OptimaReadOptions): RawRecord[] {
	const doc = parseXmlDocument(text, o.fileName);
	assertKind(doc, o);
	const out: RawRecord[] = [];
	if (o.entity === 'client') {
		recordsOf(doc, 'KONTRAHENCI', 'KONTRAHENT').forEach((node, n) => {
			const r = new RecordReader(doc, node, o.fileName, `<KONTRAHENT> ${n + 1}`, 'client (no AKRONIM)');
			guarded(out, r, () => [r.record(readClient(r, node))]);
		});
		return out;
	}
	recordsOf(doc, 'TOWARY', 'TOWAR').forEach((node, n) => {
		const r = new RecordReader(doc, node, o.fileName, `<TOWAR> ${n + 1}`, 'product (no KOD)');
		guarded(out, r, () => (o.entity === 'product' ? [r.record(readProduct(r))] : readPrices(doc, r, node, o)));
	});
	return out;
}

/** the records `read` gives, or one record with the problem it found (the file is then refused whole) */
function guarded(out: RawRecord[], r: RecordReader, read: () => RawRecord[]): void {
	try {
		out.push(...read());
	} catch (error) {
		const problem =
			error instanceof FileProblem
				? error
				: new FileProblem(
						`${r.fileName} ${r.where}: ${r.who}: ${(error as Error).message}`,
						r.line,
						undefined,
						r.column,
					);
		out.push({ line: r.line, column: r.column, where: r.where, value: undefined, problem });
	}
}

function readProduct(r: RecordReader): Record<string, unknown> {
	const code = r.required('code', 'KOD');
	r.who = `product "${code}"`;
	const rec: Record<string, unknown> = { code, name: r.required('name', 'NAZWA') };
	const ean = r.field('ean', 'EAN');
	if (ean) rec.ean = ean;
	const unit = r.field('unit', 'JM');
	if (unit) rec.unit = unit;
	const vat = vatFromOptima(r);
	if (vat === undefined) throw r.problem('STAWKA_VAT', 'is missing (a product needs its VAT rate)');
	rec.vatRate = vat;
	const inactive = r.value('NIEAKTYWNY');
	if (inactive && inactive.text !== '' && inactive.text !== '0' && inactive.text !== '1') {
		throw r.problem(inactive.path, `must be 0 (active) or 1 (inactive), got "${inactive.text}"`, inactive);
	}
	rec.active = inactive?.text !== '1';
	const attributes: Record<string, string> = {};
	const group = r.value('GRUPA')?.text;
	if (group) attributes.group = group;
	const defaultPrice = r.value('NUMER_CENY')?.text;
	if (defaultPrice) attributes.defaultPriceNumber = defaultPrice;
	if (Object.keys(attributes).length) rec.attributes = attributes;
	return rec;
}

function readPrices(doc: XmlDocument, product: RecordReader, node: XNode, o: OptimaReadOptions): RawRecord[] {
	const code = product.required('productCode', 'KOD');
	product.who = `product "${code}"`;
	let vat: string | undefined;
	let vatSource: NonNullable<RawRecord['sources']>[string] | undefined;
	try {
		vat = vatFromOptima(product);
		const at = product.value('STAWKA_VAT/STAWKA');
		if (at) vatSource = { path: at.path, line: at.line, column: at.column };
	} catch {
		vat = undefined; // named when the products are read; a price then carries no VAT rate
	}
	const out: RawRecord[] = [];
	childElements(node, 'CENY')
		.flatMap((c) => childElements(c, 'CENA'))
		.forEach((cena, n) => {
			const r = new RecordReader(doc, cena, o.fileName, `<CENA> ${n + 1} of <TOWAR> "${code}"`, `price "${code}"`);
			r.sources.productCode = product.sources.productCode;
			guarded(out, r, () => {
				const rec = readPrice(r, cena, code, o);
				if (!rec) return [];
				if (vat !== undefined) {
					rec.vatRate = vat;
					if (vatSource) r.sources.vatRate = vatSource;
				}
				return [r.record(rec)];
			});
		});
	return out;
}

const P = 'CENY/CENA/';

function readPrice(
	r: RecordReader,
	cena: XNode,
	code: string,
	o: OptimaReadOptions,
): Record<string, unknown> | undefined {
	const numberText = r.value('NUMER', cena, P)?.text ?? '';
	if (!o.includePurchasePrice && numberText === o.purchasePriceNumber) return undefined;
	r.who = `price "${code}"${numberText ? ` (NUMER ${numberText})` : ''}`;
	const listPath = o.priceListBy === 'number' ? 'NUMER' : 'NAZWA';
	const list = r.field('scopeCode', listPath, cena, P);
	if (!list) throw r.problem(`${P}${listPath}`, 'is missing or empty (it names the price list)');
	const type = r.value('TYP', cena, P);
	const t = type?.text.toLowerCase() ?? '';
	const side = o.netTypes.includes(t) ? 'net' : o.grossTypes.includes(t) ? 'gross' : undefined;
	if (!side) {
		throw r.problem(
			`${P}TYP`,
			`is ${type ? `"${type.text}"` : 'missing'}: expected ${o.netTypes.join(' or ')} (net) or ${o.grossTypes.join(' or ')} (gross); ` +
				'Optima\'s price types are unverified: set them in "Net Price Types" / "Gross Price Types"',
			type,
		);
	}
	let amount = r.field(side, 'WARTOSC', cena, P);
	if (amount === undefined || amount === '') throw r.problem(`${P}WARTOSC`, 'is missing or empty');
	if (o.decimalComma) amount = amount.replace(/\s/g, '').replace(',', '.');
	return {
		productCode: code,
		scope: 'priceList',
		scopeCode: list,
		currency: r.field('currency', 'SYMBOL_WALUTY', cena, P) || o.defaultCurrency || 'PLN',
		[side]: amount,
	};
}

function readClient(r: RecordReader, node: XNode): Record<string, unknown> {
	const code = r.required('code', 'AKRONIM');
	r.who = `client "${code}"`;
	const rec: Record<string, unknown> = { code };
	const payment = r.field('paymentMethod', 'FORMA_PLATNOSCI');
	if (payment) rec.paymentMethod = payment;
	// the first ADRES is the contractor's own (main) address; later ones are not read (their meaning is unverified)
	const adres = childElements(node, 'ADRESY').flatMap((a) => childElements(a, 'ADRES'))[0];
	const A = 'ADRESY/ADRES/';
	const name = adres ? r.field('name', 'NAZWA1', adres, A) : undefined;
	rec.name = name || code;
	if (!name) r.sources.name = { path: 'AKRONIM', line: r.line, column: r.column };
	if (adres) {
		const nip = r.field('taxId', 'NIP', adres, A);
		const country = (r.value('NIP_KRAJ', adres, A)?.text ?? '').toUpperCase();
		if (nip)
			rec.taxId = normaliseTaxId(
				country && country !== 'PL' && !nip.toUpperCase().startsWith(country) ? `${country}${nip}` : nip,
			);
		const street = r.field('addresses', 'ULICA', adres, A) ?? '';
		const city = r.value('MIASTO', adres, A)?.text ?? '';
		const postalCode = r.value('KOD_POCZTOWY', adres, A)?.text ?? '';
		// the address's country is not in the research's list of ADRES elements: PL (as the other file readers)
		// a canonical address needs street, postal code and city: a partial ADRES gives none (it is not an error)
		if (street && city && postalCode)
			rec.addresses = [{ type: 'billing', name: rec.name, street, postalCode, city, countryCode: 'PL' }];
	}
	return rec;
}

/* ---------------------------------------------------------------- building the document */

export interface OptimaDocumentOptions {
	/** TYP_DOKUMENTU, default 308 (RO): UNVERIFIED in this XML (only 302 FS is documented) */
	documentType: string;
	/** RODZAJ_DOKUMENTU, default 308000 (RO): UNVERIFIED */
	documentKind: string;
	/** element of the portal order number, default NUMER_OBCY: UNVERIFIED */
	foreignNumberElement: string;
	/** MAGAZYN_ZRODLOWY: the Optima warehouse symbol */
	warehouse: string;
	/** GENERATOR */
	generator: string;
	/** PLATNOSC FORMA, e.g. "przelew" */
	paymentForm: string;
	/** PLATNOSC TERMIN = order date + days */
	paymentDays: number;
	/** the zone of the document dates (Optima stores local dates), default Europe/Warsaw */
	timeZone?: string;
}

export const OPTIMA_RO_DEFAULTS = {
	documentType: '308',
	documentKind: '308000',
	foreignNumberElement: 'NUMER_OBCY',
} as const;

export class OptimaDocumentError extends Error {
	constructor(
		message: string,
		/** path of the order field that cannot be written */
		readonly field?: string,
	) {
		super(message);
		this.name = 'OptimaDocumentError';
	}
}

/** canonical VAT rate → STAWKA_VAT {STAWKA, FLAGA, ZRODLOWA} */
export function vatToOptima(rate: string, field = 'vatRate'): XmlElement {
	if (rate === 'zw') return { STAWKA: '0.00', FLAGA: '1', ZRODLOWA: '0.00' };
	if (isVatMarker(rate)) {
		throw new OptimaDocumentError(
			`VAT rate "${rate}" has no known Optima VAT flag (only percentages and zw are written)`,
			field,
		);
	}
	return { STAWKA: roundDecimal(rate, 2), FLAGA: '2', ZRODLOWA: '0.00' };
}

/** amounts: 2 places; unit prices: up to 4 places (as validated), at least 2; quantities: 4 places as Optima writes them */
const money = (value: string) => roundDecimal(value, 2);
const unitPrice = (value: string) => trimDecimal(roundDecimal(value, 4), 2);

/** YYYY-MM-DD of an ISO instant in the zone (eppDate gives the wall clock as yyyymmddhhnnss) */
function localDate(iso: string, timeZone: string): string {
	const d = eppDate(iso, timeZone);
	return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
}

function addDays(date: string, days: number): string {
	const [y, m, d] = date.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * A validated canonical order → the <DOKUMENT> element of Optima's document XML. Line values come from the
 * EDI++ ZK arithmetic (unit price after discount to 4 places, values to 2, VAT per line); the header totals and
 * the VAT table are sums of the line values. PLN only: the portal order carries no exchange rate.
 */
export function orderToOptimaDocument(order: Order, o: OptimaDocumentOptions): XmlElement {
	assertElementName(o.foreignNumberElement, 'Foreign number element');
	if (!o.warehouse.trim()) throw new OptimaDocumentError('the Optima warehouse symbol (MAGAZYN_ZRODLOWY) is empty');
	if (order.currency !== 'PLN') {
		throw new OptimaDocumentError(
			`currency "${order.currency}": the Optima XML is written for PLN orders only (the order carries no exchange rate)`,
			'currency',
		);
	}
	const tz = o.timeZone ?? 'Europe/Warsaw';
	const date = localDate(order.placedAt, tz);
	let net = '0';
	let vat = '0';
	let gross = '0';
	const byRate = new Map<string, { rate: string; net: string; vat: string; gross: string }>();
	const lines = order.lines.map((line, n) => {
		const a = zkLineAmounts(line, order.priceType);
		const stawka = vatToOptima(line.vatRate, `lines[${n}].vatRate`);
		net = formatDecimal(addDecimal(net, a.netValue));
		vat = formatDecimal(addDecimal(vat, a.vatValue));
		gross = formatDecimal(addDecimal(gross, a.grossValue));
		const sum = byRate.get(line.vatRate) ?? { rate: line.vatRate, net: '0', vat: '0', gross: '0' };
		sum.net = formatDecimal(addDecimal(sum.net, a.netValue));
		sum.vat = formatDecimal(addDecimal(sum.vat, a.vatValue));
		sum.gross = formatDecimal(addDecimal(sum.gross, a.grossValue));
		byRate.set(line.vatRate, sum);
		const after = order.priceType === 'net' ? a.netPrice : a.grossPrice;
		const element: XmlElement = {
			LP: String(n + 1),
			TOWAR: { KOD: line.productCode, NAZWA: '', EAN: '' },
			STAWKA_VAT: stawka,
			CENY: {
				POCZATKOWA_WAL_CENNIKA: unitPrice(line.unitPrice),
				POCZATKOWA_WAL_DOKUMENTU: unitPrice(line.unitPrice),
				PO_RABACIE_WAL_CENNIKA: unitPrice(after),
				PO_RABACIE_PLN: unitPrice(after),
				PO_RABACIE_WAL_DOKUMENTU: unitPrice(after),
			},
			RABAT: money(line.discountPercent ?? '0'),
			ILOSC: roundDecimal(line.quantity, 4),
			JM: line.unit ?? 'szt.',
			WARTOSC_NETTO: money(a.netValue),
			WARTOSC_BRUTTO: money(a.grossValue),
		};
		return element;
	});
	const header: XmlElement = {
		GENERATOR: o.generator,
		TYP_DOKUMENTU: o.documentType,
		RODZAJ_DOKUMENTU: o.documentKind,
		NUMER_PELNY: '',
		[o.foreignNumberElement]: order.number,
		DATA_DOKUMENTU: date,
		DATA_WYSTAWIENIA: date,
		DATA_OPERACJI: date,
		KOREKTA: '0',
		DETAL: '0',
		TYP_NETTO_BRUTTO: order.priceType === 'net' ? '1' : '2',
		...(order.notes ? { OPIS: order.notes } : {}),
		PLATNIK: { KOD: order.clientCode },
		ODBIORCA: { KOD: order.clientCode },
		MAGAZYN_ZRODLOWY: o.warehouse.trim(),
		WALUTA: { SYMBOL: 'PLN', KURS_L: '1.00', KURS_M: '1' },
		KWOTY: { RAZEM_NETTO: money(net), RAZEM_VAT: money(vat), RAZEM_BRUTTO: money(gross) },
	};
	// the VAT table: one line per rate, the sums of that rate's line values
	const vatLines = [...byRate.values()].map((s) => ({
		STAWKA_VAT: vatToOptima(s.rate),
		NETTO: money(s.net),
		VAT: money(s.vat),
		BRUTTO: money(s.gross),
	}));
	return {
		NAGLOWEK: header,
		POZYCJE: { POZYCJA: lines } as unknown as XmlElement,
		TABELKA_VAT: { LINIA_VAT: vatLines } as unknown as XmlElement,
		PLATNOSCI: {
			PLATNOSC: { FORMA: o.paymentForm, TERMIN: addDays(date, o.paymentDays), KWOTA: money(gross) },
		},
	};
}

/** the whole file's text (not yet encoded): one <DOKUMENT> in <ROOT xmlns="…/optima/dokument"> */
export function optimaDocumentText(document: XmlElement, encoding: string): string {
	return buildXmlText([document], {
		rootElement: 'ROOT',
		recordElement: 'DOKUMENT',
		encoding,
		rootAttributes: { xmlns: OPTIMA_NAMESPACE.document },
	});
}
