import * as iconv from 'iconv-lite';
import {
	EncodingError,
	decodeText,
	detectEncoding,
	encodeText,
	normaliseEncodingName,
	type OutputEncoding,
} from '../../../nodes/shared/files/encoding';

/** all 18 Polish letters, lower and upper case */
const LETTERS = 'ąćęłńóśźżĄĆĘŁŃÓŚŹŻ';
/** the same, UTF-8 bytes written out by hand (independent of any encoder) */
const LETTERS_UTF8 =
	'c485c487c499c582c584c3b3c59bc5bac5bc' + 'c484c486c498c581c583c393c59ac5b9c5bb';
/** the same letters in each single-byte code page, byte values from the code page tables */
const LETTERS_BYTES: Record<'windows-1250' | 'iso-8859-2' | 'cp852', string> = {
	'windows-1250': 'b9e6eab3f1f39c9fbfa5c6caa3d1d38c8faf',
	'iso-8859-2': 'b1e6eab3f1f3b6bcbfa1c6caa3d1d3a6acaf',
	cp852: 'a586a988e4a298abbea48fa89de3e0978dbd',
};
const SENTENCE = 'Zażółć gęślą jaźń. ZAŻÓŁĆ GĘŚLĄ JAŹŃ. Łódź, Śląsk, Kraków; cena 12,50 zł; Źródło Ńa ĆMA Ę.';

const hex = (s: string) => Buffer.from(s, 'hex');

describe('decodeText: explicit encodings', () => {
	it('decodes UTF-8 byte-exactly', () => {
		const r = decodeText(hex(LETTERS_UTF8), 'utf-8');
		expect(Buffer.from(r.text, 'utf8')).toEqual(hex(LETTERS_UTF8));
		expect(r.text).toBe(LETTERS);
	});

	it.each(Object.keys(LETTERS_BYTES) as Array<keyof typeof LETTERS_BYTES>)('decodes %s byte-exactly', (enc) => {
		const r = decodeText(hex(LETTERS_BYTES[enc]), enc);
		expect(Buffer.from(r.text, 'utf8')).toEqual(hex(LETTERS_UTF8));
		expect(r.encoding).toBe(enc);
		expect(r.reason).toBe('chosen explicitly');
	});

	it('strips a UTF-8 BOM when utf-8 is chosen', () => {
		const r = decodeText(Buffer.concat([hex('efbbbf'), hex(LETTERS_UTF8)]), 'utf-8');
		expect(Buffer.from(r.text, 'utf8')).toEqual(hex(LETTERS_UTF8));
	});

	it('refuses a UTF-8 BOM file read as windows-1250 (it would be mangled)', () => {
		expect(() => decodeText(Buffer.concat([hex('efbbbf'), hex(LETTERS_UTF8)]), 'windows-1250', { fileName: 'ceny.csv' })).toThrow(
			'file "ceny.csv" starts with a UTF-8 byte-order mark but windows-1250 was chosen; choose utf-8 or auto',
		);
	});
});

describe('decodeText: auto detection', () => {
	it.each(Object.keys(LETTERS_BYTES) as Array<keyof typeof LETTERS_BYTES>)('detects %s from the 18 letters alone', (enc) => {
		const r = decodeText(hex(LETTERS_BYTES[enc]), 'auto');
		expect(r.encoding).toBe(enc);
		expect(Buffer.from(r.text, 'utf8')).toEqual(hex(LETTERS_UTF8));
		expect(r.reason).toMatch(/^Polish-letter statistics: \d+ Polish letters as windows-1250, \d+ as iso-8859-2, \d+ as cp852/);
	});

	it.each(['windows-1250', 'iso-8859-2', 'cp852'] as const)('detects %s on a sentence and says why', (enc) => {
		const bytes = iconv.encode(SENTENCE, enc);
		const r = decodeText(bytes, 'auto');
		expect(r.encoding).toBe(enc);
		expect(Buffer.from(r.text, 'utf8')).toEqual(Buffer.from(SENTENCE, 'utf8'));
	});

	it('reports the letter counts per candidate', () => {
		const r = decodeText(iconv.encode(SENTENCE, 'windows-1250'), 'auto');
		const n = (SENTENCE.match(/[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]/g) ?? []).length;
		expect(n).toBe(31);
		// as ISO-8859-2 the ą/ś/ź group turns into š, C1 controls, ľ …; as CP852 into box drawing
		expect(r.reason).toBe(
			'Polish-letter statistics: 31 Polish letters as windows-1250, 21 as iso-8859-2, 3 as cp852; ' +
				'unlikely symbols 0 as windows-1250, 10 as iso-8859-2, 18 as cp852; chose windows-1250',
		);
		expect(r.reason).toContain('chose windows-1250');
	});

	it.each(['windows-1250', 'iso-8859-2', 'cp852'] as const)('detects %s for each single letter pair (ą/Ą … ż/Ż)', (enc) => {
		for (let i = 0; i < 9; i++) {
			const word = `${LETTERS[i]}${LETTERS[i + 9]}`;
			// a single word is weak evidence; a realistic name with the letter is what files contain
			const bytes = iconv.encode(`Produkt ${word} ${word} ${word}`, enc);
			const r = decodeText(bytes, 'auto');
			// windows-1250 and iso-8859-2 share ć ę ł ń ó ż: either decoding is then the same text
			expect(r.text).toBe(`Produkt ${word} ${word} ${word}`);
		}
	});

	it('UTF-8 without BOM: strict validity', () => {
		const r = decodeText(Buffer.from(SENTENCE, 'utf8'), 'auto');
		expect(r).toEqual({ text: SENTENCE, encoding: 'utf-8', reason: 'valid UTF-8 (strict decoding succeeded)' });
	});

	it('UTF-8 with BOM: BOM stripped', () => {
		const r = decodeText(Buffer.concat([hex('efbbbf'), Buffer.from(SENTENCE, 'utf8')]), 'auto');
		expect(r).toEqual({ text: SENTENCE, encoding: 'utf-8', reason: 'UTF-8 byte-order mark' });
		expect(Buffer.from(r.text, 'utf8')).toEqual(Buffer.from(SENTENCE, 'utf8'));
	});

	it('UTF-16 LE and BE by BOM', () => {
		const le = Buffer.concat([hex('fffe'), Buffer.from(LETTERS, 'utf16le')]);
		expect(decodeText(le, 'auto')).toEqual({ text: LETTERS, encoding: 'utf-16le', reason: 'UTF-16 LE byte-order mark' });
		const be = Buffer.from(LETTERS, 'utf16le').swap16();
		const r = decodeText(Buffer.concat([hex('feff'), be]), 'auto');
		expect(Buffer.from(r.text, 'utf8')).toEqual(hex(LETTERS_UTF8));
		expect(r.encoding).toBe('utf-16be');
	});

	it('pure ASCII says nothing: windows-1250 is assumed, and said', () => {
		const r = decodeText(Buffer.from('code;name\nA1;Plain\n'), 'auto');
		expect(r.encoding).toBe('windows-1250');
		expect(r.reason).toBe('only ASCII bytes seen, which fit every candidate: assumed windows-1250');
	});

	it('an XML declaration wins over statistics', () => {
		const xml = '<?xml version="1.0" encoding="ISO-8859-2"?><ROOT><NAZWA>Zażółć gęślą jaźń</NAZWA></ROOT>';
		const r = decodeText(iconv.encode(xml, 'iso-8859-2'), 'auto');
		expect(r.encoding).toBe('iso-8859-2');
		expect(r.reason).toBe('XML declaration encoding="ISO-8859-2"');
		expect(r.text).toBe(xml);
	});

	it('EDI++ [INFO] code page 852 is honoured', () => {
		const epp = '[INFO]\r\n"1.05",3,852,"Subiekt GT","ŁÓDŹ"\r\n\r\n';
		const r = decodeText(iconv.encode(epp, 'cp852'), 'auto');
		expect(r).toEqual({ text: epp, encoding: 'cp852', reason: 'EDI++ [INFO] code page 852' });
	});

	it('detectEncoding on a prefix tolerates a UTF-8 character cut at the end', () => {
		const bytes = Buffer.from('Łódź', 'utf8');
		expect(detectEncoding(bytes.subarray(0, bytes.length - 1), false).encoding).toBe('utf-8');
	});
});

describe('decodeText never produces U+FFFD silently', () => {
	it('bytes undefined in windows-1250: file name and byte offset', () => {
		const bytes = Buffer.concat([Buffer.from('abc'), hex('b998')]);
		let err: unknown;
		try {
			decodeText(bytes, 'windows-1250', { fileName: 'towary.csv' });
		} catch (e) {
			err = e;
		}
		expect(err).toBeInstanceOf(EncodingError);
		expect((err as EncodingError).message).toBe(
			'file "towary.csv": cannot decode as windows-1250 at byte offset 4 (bytes 98): the bytes are not valid in that encoding ' +
				'(refusing to substitute U+FFFD); choose the right encoding',
		);
		expect((err as EncodingError).byteOffset).toBe(4);
	});

	it('windows-1250 bytes read as utf-8: offset of the first bad byte', () => {
		const bytes = iconv.encode('Kod: Łódź', 'windows-1250');
		expect(() => decodeText(bytes, 'utf-8', { fileName: 'a.csv' })).toThrow(
			'file "a.csv": cannot decode as utf-8 at byte offset 5 (bytes a3 f3 64 9f)',
		);
	});

	it('offset counts multi-byte characters before the bad byte', () => {
		const bytes = Buffer.concat([Buffer.from('żż', 'utf8'), hex('ff')]);
		expect(() => decodeText(bytes, 'utf-8')).toThrow('input: cannot decode as utf-8 at byte offset 4');
	});
});

describe('encodeText', () => {
	it.each(['windows-1250', 'iso-8859-2', 'cp852'] as const)('encodes %s byte-exactly', (enc) => {
		expect(encodeText(LETTERS, enc)).toEqual(hex(LETTERS_BYTES[enc]));
	});

	it('UTF-8 with and without BOM', () => {
		expect(encodeText(LETTERS, 'utf-8')).toEqual(hex(LETTERS_UTF8));
		expect(encodeText(LETTERS, 'utf-8', { bom: true })).toEqual(Buffer.concat([hex('efbbbf'), hex(LETTERS_UTF8)]));
	});

	it('refuses characters the code page lacks instead of writing "?"', () => {
		expect(() => encodeText('Cena 10 € netto', 'iso-8859-2')).toThrow(
			'character "€" (U+20AC) at position 8 cannot be written in iso-8859-2',
		);
		expect(() => encodeText('ok 😀', 'windows-1250')).toThrow('(U+1F600) at position 3 cannot be written in windows-1250');
	});

	it('refuses a BOM for single-byte encodings', () => {
		expect(() => encodeText('a', 'cp852', { bom: true })).toThrow('a byte-order mark exists only for UTF-8, not for cp852');
	});

	it.each(['utf-8', 'windows-1250', 'iso-8859-2', 'cp852'] as OutputEncoding[])('round-trips %s through auto detection', (enc) => {
		const r = decodeText(encodeText(SENTENCE, enc), 'auto');
		expect(r.encoding).toBe(enc);
		expect(r.text).toBe(SENTENCE);
	});
});

describe('normaliseEncodingName: a name from a file is looked up as data', () => {
	it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('%p is no encoding', (name) => {
		expect(normaliseEncodingName(name)).toBeUndefined();
	});
	it.each([
		['CP1250', 'windows-1250'],
		['IBM852', 'cp852'],
		['utf8', 'utf-8'],
	])('%p is %p', (name, expected) => expect(normaliseEncodingName(name)).toBe(expected));
});
