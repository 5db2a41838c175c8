import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as iconv from 'iconv-lite';
import { EppFormatError, parseEpp, writeEpp, type EppVersion } from '../../../nodes/shared/edi/epp';
import {
	clientsFromEpp,
	orderFromZk,
	orderToZk,
	pricesFromEpp,
	productsFromEpp,
	vatFromEpp,
	vatToEpp,
	zkLineAmounts,
} from '../../../nodes/shared/edi/epp-canonical';
import { roundDecimal } from '../../../nodes/shared/model/decimal';
import type { Order } from '../../../nodes/shared/model/types';
import { buildGoldenFiles, GOLDEN_CLIENT, GOLDEN_ORDER } from '../../fixtures/epp/make-golden';

const DIR = path.join(__dirname, '../../fixtures/epp');
const GOLDEN = ['golden-1.05-cp1250.epp', 'golden-1.11-cp1250.epp', 'golden-1.05-cp852.epp'];
const read = (name: string) => readFileSync(path.join(DIR, name));

function expectEppError(fn: () => unknown, fileName: string, line: number, field: number, reason: RegExp): void {
	let caught: unknown;
	try {
		fn();
	} catch (e) {
		caught = e;
	}
	expect(caught).toBeInstanceOf(EppFormatError);
	const err = caught as EppFormatError;
	expect({ fileName: err.fileName, line: err.line, field: err.field }).toEqual({ fileName, line, field });
	expect(err.reason).toMatch(reason);
	expect(err.message).toBe(`${fileName}: line ${line}, field ${field}: ${err.reason}`);
}

/** golden 1.05 CP1250 as text, modified, re-encoded */
function mutate(edit: (text: string) => string, name = 'golden-1.05-cp1250.epp'): Buffer {
	return iconv.encode(edit(iconv.decode(read(name), 'windows-1250')), 'windows-1250');
}
/** 1-based line number of the first line containing `needle` */
function lineOf(text: string, needle: string): number {
	return text.slice(0, text.indexOf(needle)).split('\r\n').length;
}
const goldenText = () => iconv.decode(read('golden-1.05-cp1250.epp'), 'windows-1250');

describe('EDI++ golden files', () => {
	it('committed files equal the deterministic generator output', () => {
		const built = buildGoldenFiles();
		expect(Object.keys(built).sort()).toEqual([...GOLDEN].sort());
		for (const name of GOLDEN) expect(read(name).equals(built[name])).toBe(true);
	});

	it.each(GOLDEN)('%s: parse → write (keeping line breaks) gives identical bytes', (name) => {
		const bytes = read(name);
		const doc = parseEpp(bytes, { fileName: name });
		const out = writeEpp(doc, {
			encoding: doc.encoding === 'cp852' ? 'cp852' : 'windows-1250',
			version: doc.info[0] as EppVersion,
			keepLineBreaks: true,
		});
		expect(out.equals(bytes)).toBe(true);
		// by default the two-line product description is written on one line
		const flat = iconv.decode(
			writeEpp(doc, { encoding: 'windows-1250', version: doc.info[0] as EppVersion }),
			'windows-1250',
		);
		expect(flat).toContain('"Łódka wiosłowa, kolor żółty. Druga linia opisu: zażółć gęślą jaźń."');
	});

	it.each(GOLDEN)('%s: CRLF only, ends with an empty line, structure as expected', (name) => {
		const bytes = read(name);
		expect(bytes.subarray(-4).toString('latin1')).toBe('\r\n\r\n');
		expect(/[^\r]\n/.test(bytes.toString('latin1'))).toBe(false);
		const doc = parseEpp(bytes, { fileName: name });
		expect(doc.info).toHaveLength(24);
		expect(doc.sections.map((s) => s.name)).toEqual(['TOWARY', 'CENNIK', 'KONTRAHENCI', 'ZK']);
		expect(doc.sections[0].body.every((r) => r.length === 42)).toBe(true);
		expect(doc.sections[1].body.every((r) => r.length === 7)).toBe(true);
		expect(doc.sections[2].body.every((r) => r.length === (name.includes('1.11') ? 31 : 30))).toBe(true);
		expect(doc.sections[3].header).toHaveLength(62);
		expect(doc.sections[3].body.every((r) => r.length === 22)).toBe(true);
	});
});

describe('encoding', () => {
	it('auto-detects 1250 and 852 from [INFO] field 3 and says why', () => {
		const a = parseEpp(read('golden-1.05-cp1250.epp'));
		expect(a.encoding).toBe('windows-1250');
		expect(a.encodingReason).toBe('[INFO] field 3 (code page) is 1250');
		const b = parseEpp(read('golden-1.05-cp852.epp'));
		expect(b.encoding).toBe('cp852');
		expect(b.encodingReason).toBe('[INFO] field 3 (code page) is 852');
		expect(b.warnings.filter((w) => /code page|encoding/.test(w))).toEqual([]);
	});

	it('an explicit encoding wins, with a warning when [INFO] disagrees', () => {
		const r = parseEpp(read('golden-1.05-cp852.epp'), { encoding: 'windows-1250' });
		expect(r.encoding).toBe('windows-1250');
		expect(r.encodingReason).toMatch(/requested by the caller/);
		expect(r.warnings.join('\n')).toMatch(/\[INFO\] field 3 says 852/);
	});

	it('unknown code page defaults to Windows-1250 with a reason and a warning', () => {
		const r = parseEpp(mutate((t) => t.replace('"1.05",3,1250,', '"1.05",3,437,')));
		expect(r.encoding).toBe('windows-1250');
		expect(r.encodingReason).toMatch(/"437", not 852 or 1250/);
		expect(r.warnings.join('\n')).toMatch(/unrecognised code page/);
	});

	it('the raw bytes are real Windows-1250 and CP852 (all Polish letters, both cases)', () => {
		const lower = 'ąćęłńóśźż';
		const upper = 'ĄĆĘŁŃÓŚŹŻ';
		const cp1250 = read('golden-1.05-cp1250.epp');
		expect(cp1250.indexOf(Buffer.from('b9e6eab3f1f39c9fbf', 'hex'))).toBeGreaterThan(0);
		expect(cp1250.indexOf(Buffer.from('a5c6caa3d1d38c8faf', 'hex'))).toBeGreaterThan(0);
		expect(iconv.encode(lower + upper, 'windows-1250').toString('hex')).toBe('b9e6eab3f1f39c9fbfa5c6caa3d1d38c8faf');
		const cp852 = read('golden-1.05-cp852.epp');
		expect(cp852.indexOf(Buffer.from('a586a988e4a298abbe', 'hex'))).toBeGreaterThan(0);
		expect(cp852.indexOf(Buffer.from('a48fa89de3e0978dbd', 'hex'))).toBeGreaterThan(0);
	});

	it.each(GOLDEN)('%s: Polish letters survive → canonical → UTF-8 (byte-wise)', (name) => {
		const doc = parseEpp(read(name));
		const products = productsFromEpp(doc.sections[0]);
		const p = products.find((x) => x.code === 'ŹRÓ-003');
		expect(p).toBeDefined();
		expect(Buffer.from(p!.code, 'utf8').equals(Buffer.from('c5b952c3932d303033', 'hex'))).toBe(true);
		expect(
			Buffer.from(p!.name, 'utf8').equals(
				Buffer.from('c5b972c3b364c5826f20c4876d6120c583c393c5b9c5bb20c485c487c499c582c584c3b3c59bc5bac5bc', 'hex'),
			),
		).toBe(true);
		const clients = clientsFromEpp(doc.sections[2]);
		expect(Buffer.from(clients[0].name, 'utf8').equals(Buffer.from('Przedsiębiorstwo "Żółw", Sp. z o.o. ĄĆĘŁŃÓŚŹŻ', 'utf8'))).toBe(true);
		expect(clients[0].name.endsWith('\u0104\u0106\u0118\u0141\u0143\u00d3\u015a\u0179\u017b')).toBe(true);
	});
});

describe('quoted CSV state machine', () => {
	it('keeps commas, doubled quotes and CRLF inside quotes', () => {
		const doc = parseEpp(read('golden-1.05-cp1250.epp'));
		const t = doc.sections[0].body;
		expect(t[0][5]).toBe('Łódka wiosłowa, kolor żółty.\r\nDruga linia opisu: zażółć gęślą jaźń.');
		expect(t[1][4]).toBe('Wiertło "Żubr", 10 mm');
		expect(t[1][5]).toBe('Opis z "cudzysłowem" i, przecinkiem');
		expect(doc.sections[2].body[0][3]).toBe('Przedsiębiorstwo "Żółw", Sp. z o.o. ĄĆĘŁŃÓŚŹŻ');
	});
});

describe('malformed files → EppFormatError(file, line, field), nothing partial', () => {
	const F = 'bad.epp';

	it('wrong field count (CENNIK record with 6 fields)', () => {
		const text = goldenText();
		const needle = '"WIE-002","Hurtowa",12.3450,13.3326,0.0000,0.0000,0.0000';
		expectEppError(
			() => parseEpp(mutate((t) => t.replace(needle, '"WIE-002","Hurtowa",12.3450,13.3326,0.0000,0.0000')), { fileName: F }),
			F, lineOf(text, needle), 7, /CENNIK record must have 7 fields, found 6 \(field missing\)/,
		);
	});

	it('wrong field count (ZK line with 23 fields)', () => {
		const text = goldenText();
		const needle = '2,1,"WIE-002"';
		expectEppError(
			() => parseEpp(mutate((t) => t.replace(/(2,1,"WIE-002",[^\r]*)\r\n/, '$1,0\r\n')), { fileName: F }),
			F, lineOf(text, needle), 23, /document "ZK" line record must have 22 fields, found 23 \(extra field\)/,
		);
	});

	it('wrong field count ([INFO] with 23 fields)', () => {
		expectEppError(() => parseEpp(mutate((t) => t.replace(/,"","0"?|,0\r\n\r\n\[NAGLOWEK\]/, '\r\n\r\n[NAGLOWEK]')), { fileName: F }), F, 2, 24, /\[INFO\] must have 24 fields, found 23/);
	});

	it('KONTRAHENCI: 31 fields are rejected in 1.05, 30 in 1.11', () => {
		const text = goldenText();
		const needle = '0,"ĆMA"';
		expectEppError(
			() => parseEpp(mutate((t) => t.replace(/(0,"ĆMA",[^\r]*)\r\n/, '$1,"x"\r\n')), { fileName: F }),
			F, lineOf(text, needle), 31, /KONTRAHENCI record must have 30 fields, found 31/,
		);
		const t111 = iconv.decode(read('golden-1.11-cp1250.epp'), 'windows-1250');
		expectEppError(
			() => parseEpp(mutate((t) => t.replace(/(0,"ĆMA",[^\r]*),\r\n/, '$1\r\n'), 'golden-1.11-cp1250.epp'), { fileName: F }),
			F, lineOf(t111, needle), 31, /KONTRAHENCI record must have 31 fields, found 30/,
		);
	});

	it('unterminated quote (file cut inside a quoted field)', () => {
		const text = goldenText();
		const cut = text.indexOf('Druga linia opisu');
		const bytes = iconv.encode(text.slice(0, cut), 'windows-1250');
		expectEppError(() => parseEpp(bytes, { fileName: F }), F, lineOf(text, '1,"ŁÓD-001"'), 6, /unterminated quoted field/);
	});

	it('truncated mid-record (no line end after the last record)', () => {
		const text = goldenText();
		const cut = text.indexOf('2,1,"WIE-002"') + '2,1,"WIE-002",1,0'.length;
		const bytes = iconv.encode(text.slice(0, cut), 'windows-1250');
		expectEppError(() => parseEpp(bytes, { fileName: F }), F, lineOf(text, '2,1,"WIE-002"'), 5, /truncated file: the last record is cut/);
	});

	it('truncated: no final empty line', () => {
		const text = goldenText();
		const bytes = iconv.encode(text.slice(0, -2), 'windows-1250');
		const lastLine = text.split('\r\n').length - 2;
		expectEppError(() => parseEpp(bytes, { fileName: F }), F, lastLine, 22, /no final empty line/);
	});

	it('truncated at a line boundary: ZK declares 3 lines, 2 present', () => {
		const text = goldenText();
		const bytes = mutate((t) => t.replace(/3,1,"ŹRÓ-003"[^\r]*\r\n/, ''));
		expectEppError(() => parseEpp(bytes, { fileName: F }), F, lineOf(text, '"ZK",1,0'), 25, /declares 3 lines but \[ZAWARTOSC\] holds 2/);
	});

	it('quote inside an unquoted field; junk after a closing quote', () => {
		const text = goldenText();
		const needle = '"WIE-002","Hurtowa",12.3450';
		expectEppError(() => parseEpp(mutate((t) => t.replace(needle, '"WIE-002","Hurtowa",12.3"450')), { fileName: F }), F, lineOf(text, needle), 3, /quote inside an unquoted field/);
		expectEppError(() => parseEpp(mutate((t) => t.replace(needle, '"WIE-002","Hurtowa"x,12.3450')), { fileName: F }), F, lineOf(text, needle), 2, /after a closing quote/);
	});

	it('the file must start with [INFO]', () => {
		expectEppError(() => parseEpp(mutate((t) => t.replace('[INFO]', '[NAGLOWEK]')), { fileName: F }), F, 1, 1, /must start with the \[INFO\] section/);
	});
});

describe('unknown sections', () => {
	it('a real-but-unsupported section (GRUPYTOWAROW) is skipped with a warning, never an error', () => {
		const r = parseEpp(read('golden-1.05-cp1250.epp'), { fileName: 'g.epp' });
		expect(r.sections.map((s) => s.name)).not.toContain('GRUPYTOWAROW');
		expect(r.skipped.map((s) => [s.name, s.before])).toEqual([['GRUPYTOWAROW', 2]]);
		expect(r.warnings).toContain(`line ${lineOf(goldenText(), '"GRUPYTOWAROW"') - 1}: section "GRUPYTOWAROW" is not supported; skipped`);
	});

	it('an unknown label ([DODATKOWE]) is skipped with a warning', () => {
		const r = parseEpp(read('golden-1.05-cp852.epp'));
		expect(r.skipped.map((s) => s.name)).toEqual(['[DODATKOWE]']);
		expect(r.warnings.join('\n')).toMatch(/unknown label \[DODATKOWE\] skipped/);
		expect(r.sections).toHaveLength(4);
	});

	it('writer drops skipped blocks on request', () => {
		const r = parseEpp(read('golden-1.05-cp1250.epp'));
		const out = writeEpp(r, { encoding: 'windows-1250', version: '1.05', keepSkipped: false });
		expect(iconv.decode(out, 'windows-1250')).not.toContain('GRUPYTOWAROW');
		expect(parseEpp(out).warnings).toEqual([]);
	});
});

describe('canonical mapping', () => {
	const doc = parseEpp(read('golden-1.05-cp1250.epp'));

	it('TOWARY → Product (code, name, unit, VAT, EAN)', () => {
		const products = productsFromEpp(doc.sections[0]);
		expect(products.map((p) => [p.code, p.unit, p.vatRate, p.ean ?? null])).toEqual([
			['ŁÓD-001', 'szt.', '23', '5901234123457'],
			['WIE-002', 'szt.', '8', null],
			['ŹRÓ-003', 'kg', 'zw', null],
			['USŁ-004', 'godz.', 'oo', null],
		]);
		expect(products[0].active).toBe(true);
	});

	it('VAT symbols with negative rates', () => {
		expect(vatFromEpp('zw', '-1.0000')).toBe('zw');
		expect(vatFromEpp('ex', '-2.0000')).toBe('0');
		expect(vatFromEpp('ue', '-3.0000')).toBe('0');
		expect(vatFromEpp('npo', '-4.0000')).toBe('np');
		expect(vatFromEpp('oo', '-5.0000')).toBe('oo');
		expect(vatFromEpp('23', '23.0000')).toBe('23');
		expect(vatFromEpp('', '-5.0000')).toBe('oo');
		expect(vatFromEpp('5', '5.0000')).toBe('5');
		expect(() => vatFromEpp('zw', '-5.0000')).toThrow(/must carry rate -1/);
		expect(() => vatFromEpp('8', '23.0000')).toThrow(/disagrees/);
		// a symbol that only an object inherits is unknown, not a special rate
		for (const symbol of ['constructor', '__proto__', 'toString'])
			expect(() => vatFromEpp(symbol, '0.0000')).toThrow(`unknown EDI++ VAT symbol "${symbol}"`);
		expect(vatToEpp('np')).toEqual({ symbol: 'npo', rate: '-4.0000' });
		expect(vatToEpp('0')).toEqual({ symbol: '0', rate: '0.0000' });
	});

	it('CENNIK → Price (priceList scope = price name, decimal strings)', () => {
		const prices = pricesFromEpp(doc.sections[1], { products: productsFromEpp(doc.sections[0]) });
		expect(prices[1]).toEqual({
			productCode: 'ŁÓD-001', scope: 'priceList', scopeCode: 'Hurtowa', currency: 'PLN', net: '81.3008', gross: '100.00', vatRate: '23',
		});
		expect(prices[2].net).toBe('12.345');
		expect(prices.every((p) => typeof p.net === 'string' && typeof p.gross === 'string')).toBe(true);
	});

	it('KONTRAHENCI → Client (symbol, names, NIP, address)', () => {
		const [c] = clientsFromEpp(doc.sections[2]);
		expect(c).toEqual({
			code: 'ŻÓŁW',
			name: 'Przedsiębiorstwo "Żółw", Sp. z o.o. ĄĆĘŁŃÓŚŹŻ',
			taxId: '5261040828',
			email: 'biuro@zolw.example',
			phone: '+48 42 000 00 00',
			blocked: false,
			addresses: [{ type: 'billing', name: 'Przedsiębiorstwo "Żółw", Sp. z o.o. ĄĆĘŁŃÓŚŹŻ', street: 'ul. Źródlana 7/3', postalCode: '80-001', city: 'Gdańsk', countryCode: 'PL' }],
		});
	});
});

describe('Order → ZK', () => {
	it('puts the portal order number in header field 10 and computes exact values', () => {
		const zk = orderToZk(GOLDEN_ORDER, { client: GOLDEN_CLIENT });
		expect(zk.header[0]).toBe('ZK');
		expect(zk.header[9]).toBe('B2B/2026/000123');
		expect(zk.header[11]).toBe('ŻÓŁW');
		expect(zk.header[17]).toBe('5261040828');
		expect(zk.header[21]).toBe('20261126101500'); // 09:15Z = 10:15 in Warsaw (CET)
		expect(zk.header[24]).toBe('3');
		expect(zk.header.slice(27, 30)).toEqual(['280.1200', '58.3200', '338.4400']);
		expect(zk.body.map((r) => r.slice(13, 19))).toEqual([
			['81.3008', '100.0000', '23.0000', '243.9000', '56.1000', '300.0000'],
			['11.1105', '11.9993', '8.0000', '27.7800', '2.2200', '30.0000'],
			['7.5000', '7.5000', '-1.0000', '8.4400', '0.0000', '8.4400'],
		]);
		expect(zk.body[1][7]).toBe('3.0800'); // discount value 30.86 − 27.78
	});

	it.each<'net' | 'gross'>(['net', 'gross'])('%s pricing: order → ZK → bytes → parse → order gives the same numbers', (priceType) => {
		const order: Order = { ...GOLDEN_ORDER, priceType };
		const zk = orderToZk(order, { client: GOLDEN_CLIENT });
		const info = parseEpp(read('golden-1.05-cp1250.epp')).info;
		for (const encoding of ['windows-1250', 'cp852'] as const) {
			const bytes = writeEpp({ info, sections: [zk] }, { encoding, version: '1.05' });
			const back = parseEpp(bytes);
			expect(back.encoding).toBe(encoding);
			const again = orderFromZk(back.sections[0]);
			expect(again.number).toBe(order.number);
			expect(again.priceType).toBe(priceType);
			const key = (l: Order['lines'][number]) => [l.productCode, roundDecimal(l.quantity, 4), roundDecimal(l.unitPrice, 4), l.vatRate, roundDecimal(l.discountPercent ?? '0', 4)];
			expect(again.lines.map(key)).toEqual(order.lines.map(key));
			expect(again.lines.map((l) => l.quantity)).toEqual(['3', '2.5', '1.125']);
			let net = 0n, vat = 0n, gross = 0n;
			for (const l of order.lines) {
				const a = zkLineAmounts(l, priceType);
				net += BigInt(a.netValue.replace('.', ''));
				vat += BigInt(a.vatValue.replace('.', ''));
				gross += BigInt(a.grossValue.replace('.', ''));
			}
			const fmt = (u: bigint) => `${u / 100n}.${String(u % 100n).padStart(2, '0')}`;
			expect(again.totals).toEqual({ net: fmt(net), vat: fmt(vat), gross: fmt(gross) });
			expect(net + vat).toBe(gross);
			// and writing the re-read document gives the same bytes
			expect(writeEpp(back, { encoding, version: '1.05' }).equals(bytes)).toBe(true);
		}
	});

	it('rejects characters the code page cannot hold, and too-long order numbers', () => {
		const zk = orderToZk({ ...GOLDEN_ORDER, notes: 'emoji 😀' });
		const info = parseEpp(read('golden-1.05-cp1250.epp')).info;
		expect(() => writeEpp({ info, sections: [zk] }, { encoding: 'windows-1250', version: '1.05' })).toThrow(/cannot be written in windows-1250/);
		expect(() => orderToZk({ ...GOLDEN_ORDER, number: 'X'.repeat(31) })).toThrow(/longer than 30/);
	});
});

describe('writer: line breaks in text fields never start a new physical line', () => {
	const info = () => parseEpp(read('golden-1.05-cp1250.epp')).info;
	it.each([
		['CRLF', 'Pilne\r\n[NAGLOWEK]\r\n"FS",1,0'],
		['LF', 'Pilne\n[NAGLOWEK]\n"FS",1,0'],
		['CR', 'Pilne\r[NAGLOWEK]\r"FS",1,0'],
		['VT and FF', 'Pilne\v[NAGLOWEK]\f"FS",1,0'],
	])('an order note with %s and a fake section label', (_kind, notes) => {
		const zk = orderToZk({ ...GOLDEN_ORDER, notes }, { client: GOLDEN_CLIENT });
		zk.body[0][20] = 'Łódka\r\n[ZAWARTOSC]'; // a line's text field too (service description)
		const bytes = writeEpp({ info: info(), sections: [zk] }, { encoding: 'windows-1250', version: '1.05' });
		const text = iconv.decode(bytes, 'windows-1250');
		// what a line-based importer sees: every physical line (CR, LF or CRLF ends one)
		const physical = text.split(/\r\n|[\n\v\f\r\u0085\u2028\u2029]/);
		expect(physical.filter((l) => l === '[NAGLOWEK]')).toHaveLength(1);
		expect(physical.filter((l) => l === '[ZAWARTOSC]')).toHaveLength(1);
		expect(physical.filter((l) => /^\[[A-Z]+\]$/.test(l))).toEqual(['[INFO]', '[NAGLOWEK]', '[ZAWARTOSC]']);
		expect(text.replace(/\r\n/g, '')).not.toMatch(/[\n\v\f\r]/);
		const back = parseEpp(bytes);
		expect(back.sections).toHaveLength(1);
		expect(orderFromZk(back.sections[0]).notes).toBe('Pilne [NAGLOWEK] "FS",1,0');
		expect(back.sections[0].body[0][20]).toBe('Łódka [ZAWARTOSC]');
	});
});
