/** nodes/shared/files/xml.ts: the safety checks, record paths and the builder, without n8n. */
import * as xml2js from 'xml2js';
import {
	LineIndex,
	MAX_XML_DEPTH,
	XmlFileError,
	assertSafeXml,
	buildXmlText,
	canonicalToXml,
	invalidXmlCharacter,
	readXmlRecords,
} from '../../../nodes/shared/files/xml';

function caught(fn: () => unknown): XmlFileError {
	try {
		fn();
	} catch (error) {
		if (error instanceof XmlFileError) return error;
		throw error;
	}
	throw new Error('expected an XmlFileError');
}

describe('what xml2js / sax do on their own with DTDs (why we do not rely on them)', () => {
	const parse = (text: string) =>
		new Promise<{ error?: string; value?: unknown }>((resolve) =>
			new xml2js.Parser().parseString(text, (error: Error | null, value: unknown) =>
				resolve(error ? { error: error.message } : { value }),
			),
		);

	it('sax 1.x does not expand internal entities declared in a DTD: it reports them as invalid', async () => {
		const r = await parse('<!DOCTYPE r [<!ENTITY e "Żółw">]><r><a>&e;</a></r>');
		expect(r.error).toMatch(/^Invalid character entity/);
	});

	it('an external entity is not fetched either (same error), but a DOCTYPE without entity use passes silently', async () => {
		expect((await parse('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>')).error).toMatch(
			/^Invalid character entity/,
		);
		expect((await parse('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>ąćę</r>')).value).toEqual({
			r: 'ąćę',
		});
	});
});

describe('assertSafeXml', () => {
	it.each([
		['<?xml version="1.0"?>\n<!DOCTYPE r SYSTEM "http://example.com/x.dtd">\n<r/>', 2, 'DOCTYPE'],
		['<!doctype r>\n<r/>', 1, 'DOCTYPE'],
		['<r>\n  <!ENTITY e "x">\n</r>', 2, '<!ENTITY'],
		['<r>\n<!ATTLIST r a CDATA "ą">\n</r>', 2, '<!ATTLIST'],
		['<r><a>ż</a>\n<!DOCTYPE r></r>', 2, 'DOCTYPE'],
		// scanned in document order: a "<!--" or "<![CDATA[" inside a processing instruction or an attribute value
		// opens nothing, so it cannot hide what follows
		['<?pi <!-- ?>\n<!DOCTYPE r [<!ENTITY e "ż">]>\n<r>&e;<!-- --></r>', 2, 'DOCTYPE'],
		['<?pi <![CDATA[ ?>\n<!DOCTYPE r>\n<r>]]></r>', 2, 'DOCTYPE'],
		['<r a="<!--">\n<!DOCTYPE r>\n<b c="-->"/></r>', 2, 'DOCTYPE'],
		["<r a='x>'>\n<!ENTITY e 'ż'></r>", 2, '<!ENTITY'],
		['<!-- ?> -->\n<?pi <!-- ?>\n<!DOCTYPE r><r/><!-- -->', 3, 'DOCTYPE'],
		['<r>a < "b\n<!DOCTYPE r> "</r>', 2, 'DOCTYPE'],
	])('refuses %j at line %i', (text, line, what) => {
		const e = caught(() => assertSafeXml(text, 'f.xml'));
		expect(e.message).toMatch(new RegExp(`^f\\.xml line ${line}, column \\d+: .*${what}`));
		expect(e.line).toBe(line);
	});

	it('refuses a billion-laughs file before xml2js is called at all', () => {
		const spy = jest.spyOn(xml2js.Parser.prototype, 'parseString');
		const laughs = `<!DOCTYPE l [<!ENTITY a "ha">${Array.from({ length: 9 }, (_, k) => `<!ENTITY b${k} "${'&a;'.repeat(10)}">`).join('')}]><l>&b8;</l>`;
		expect(() => readAfterCheck(laughs)).toThrow(/DOCTYPE/);
		expect(spy).not.toHaveBeenCalled();
		spy.mockRestore();
	});

	it('lets DOCTYPE/ENTITY text inside comments and CDATA through, and other processing instructions', () => {
		expect(() =>
			assertSafeXml(
				'<?xml version="1.0" encoding="UTF-8"?><?mso-application progid="Excel.Sheet"?><!-- <!DOCTYPE x> --><r><![CDATA[<!DOCTYPE html><!ENTITY ą>]]></r>',
				'f.xml',
			),
		).not.toThrow();
	});

	it('refuses an XML declaration that is not at the very start', () => {
		expect(caught(() => assertSafeXml('<r>\n<?xml version="1.0"?></r>', 'f.xml')).message).toMatch(
			/^f\.xml line 2, column 1: invalid XML: an XML declaration/,
		);
		expect(() => assertSafeXml('\ufeff<?xml version="1.0"?><r/>', 'f.xml')).not.toThrow();
		expect(caught(() => assertSafeXml('<?pi x?><?xml version="1.0"?><r/>', 'f.xml')).message).toMatch(
			/^f\.xml line 1, column 9: invalid XML: an XML declaration/,
		);
	});

	it('lets "<?xml" and "<!DOCTYPE" through where they are text: in CDATA, comments, PI data and attribute values', () => {
		expect(() =>
			assertSafeXml(
				'<?xml version="1.0"?><r a="<!DOCTYPE x>"><![CDATA[<?xml version="1.0"?>]]><!-- <?xml version="1.0"?> --><?pi <!DOCTYPE x> ?></r>',
				'f.xml',
			),
		).not.toThrow();
	});
});

function readAfterCheck(text: string) {
	assertSafeXml(text, 'f.xml');
	return readXmlRecords(text, { fileName: 'f.xml', recordPath: 'x', sources: [] });
}

describe('readXmlRecords', () => {
	const doc = [
		'<Eksport>',
		'  <Towar kod="A"><Nazwa>Łódka</Nazwa><Towar kod="wewnętrzny"/></Towar>',
		'  <Grupa nazwa="Żółte">',
		'    <Towar kod="B"><Nazwa> Żagiel </Nazwa><Ceny><Netto>1.50</Netto></Ceny></Towar>',
		'  </Grupa>',
		'  <Towar kod="C"/>',
		'</Eksport>',
	].join('\n');

	it('finds the outermost matching elements anywhere, in document order, with their positions', () => {
		const r = readXmlRecords(doc, {
			fileName: 'f.xml',
			recordPath: 'Towar',
			sources: ['@kod', 'Nazwa', 'Ceny/Netto', '../@nazwa'],
		});
		expect(r.map((x) => [x.values['@kod'], x.line, x.column, x.index])).toEqual([
			['A', 2, 3, 1],
			['B', 4, 5, 2],
			['C', 6, 3, 3],
		]);
		expect(r[1].values).toEqual({ '@kod': 'B', Nazwa: ' Żagiel ', 'Ceny/Netto': '1.50', '../@nazwa': 'Żółte' });
		expect(r[1].positions['Ceny/Netto']).toEqual({ line: 4, column: 49 });
		expect(r[2].values).toEqual({ '@kod': 'C' });
		expect(r[0].values['../@nazwa']).toBeUndefined();
	});

	it('matches the end of a path, or the whole path when it starts with "/"', () => {
		const tail = readXmlRecords(doc, { fileName: 'f.xml', recordPath: 'Grupa/Towar', sources: ['@kod'] });
		expect(tail.map((x) => x.values['@kod'])).toEqual(['B']);
		const abs = readXmlRecords(doc, { fileName: 'f.xml', recordPath: '/Eksport/Towar', sources: ['@kod'] });
		expect(abs.map((x) => x.values['@kod'])).toEqual(['A', 'C']);
		expect(readXmlRecords(doc, { fileName: 'f.xml', recordPath: '/Towar', sources: [] })).toEqual([]);
	});

	it('refuses a mapped element that has child elements', () => {
		expect(
			caught(() => readXmlRecords(doc, { fileName: 'f.xml', recordPath: 'Grupa/Towar', sources: ['Ceny'] })).message,
		).toBe(
			'f.xml line 4, column 43: <Ceny> in record 1 has child elements, not a value; map one of them (e.g. "Ceny/…")',
		);
	});

	it('refuses nesting deeper than the limit', () => {
		const deep = '<a>'.repeat(MAX_XML_DEPTH + 1) + '</a>'.repeat(MAX_XML_DEPTH + 1);
		expect(caught(() => readXmlRecords(deep, { fileName: 'f.xml', recordPath: 'a', sources: [] })).message).toBe(
			`f.xml line 1, column ${3 * MAX_XML_DEPTH + 1}: elements nested deeper than ${MAX_XML_DEPTH} levels are refused`,
		);
		expect(
			readXmlRecords('<a>'.repeat(MAX_XML_DEPTH) + '</a>'.repeat(MAX_XML_DEPTH), {
				fileName: 'f.xml',
				recordPath: 'a',
				sources: [],
			}),
		).toHaveLength(1);
	});

	it('refuses bad paths typed by the user', () => {
		expect(() => readXmlRecords(doc, { fileName: 'f.xml', recordPath: 'Towar/@kod', sources: [] })).toThrow(
			/an attribute \(@name\) can only be the last step|must name elements only/,
		);
		expect(() => readXmlRecords(doc, { fileName: 'f.xml', recordPath: 'Towar', sources: ['@kod/Nazwa'] })).toThrow(
			/can only be the last step/,
		);
		expect(() => readXmlRecords(doc, { fileName: 'f.xml', recordPath: 'Towar//x', sources: [] })).toThrow(
			/not a valid element path/,
		);
	});
});

describe('LineIndex', () => {
	it('turns offsets into 1-based line and column, with CRLF', () => {
		const idx = new LineIndex('ab\r\ncd\nę');
		expect([0, 1, 4, 5, 7].map((o) => idx.at(o))).toEqual([
			{ line: 1, column: 1 },
			{ line: 1, column: 2 },
			{ line: 2, column: 1 },
			{ line: 2, column: 2 },
			{ line: 3, column: 1 },
		]);
	});
});

describe('buildXmlText', () => {
	it('escapes text, keeps product attributes as name="…" and reads back with readXmlRecords', () => {
		const el = canonicalToXml({
			code: 'A&B',
			name: 'Łódka <żółta> "ĄĘ"',
			attributes: { 'Kolor ramy': 'źrebięcy' },
			lines: [{ lineNo: 1 }, { lineNo: 2 }],
		});
		const text = buildXmlText([el], { rootElement: 'Towary', recordElement: 'Towar', encoding: 'windows-1250' });
		expect(text).toContain('<?xml version="1.0" encoding="windows-1250"?>');
		expect(text).toContain('<name>Łódka &lt;żółta&gt; "ĄĘ"</name>');
		expect(text).toContain('<attribute name="Kolor ramy">źrebięcy</attribute>');
		const back = readXmlRecords(text, {
			fileName: 'b.xml',
			recordPath: 'Towar',
			sources: ['code', 'name', 'attributes/attribute/@name'],
		});
		expect(back[0].values).toEqual({
			code: 'A&B',
			name: 'Łódka <żółta> "ĄĘ"',
			'attributes/attribute/@name': 'Kolor ramy',
		});
		expect(() => readXmlRecords(text, { fileName: 'b.xml', recordPath: 'Towar', sources: ['lines/line'] })).toThrow(
			/<line> appears 2 times/,
		);
	});
});

describe('invalidXmlCharacter', () => {
	it('finds controls, U+FFFE/U+FFFF and lone surrogates, and accepts tab, line breaks and surrogate pairs', () => {
		expect(invalidXmlCharacter('Łódka\tżółta\r\n😀 ąćę')).toBeUndefined();
		expect(
			['a\u0000', 'a\u0008b', '\u000b', '\u001f', '\ufffe', 'x\ud83d', '\ude00y'].map(invalidXmlCharacter),
		).toEqual(['U+0000', 'U+0008', 'U+000B', 'U+001F', 'U+FFFE', 'U+D83D', 'U+DE00']);
	});
});

describe('readXmlRecords on a one-line file', () => {
	it('keeps document order across nesting', () => {
		const text = '<r><T k="1"/><g><T k="2"/><h><T k="3"/></h></g><T k="4"/><g><T k="5"/></g></r>';
		const r = readXmlRecords(text, { fileName: 'f.xml', recordPath: 'T', sources: ['@k'] });
		expect(r.map((x) => [x.values['@k'], x.line, x.column])).toEqual([
			['1', 1, 4],
			['2', 1, 17],
			['3', 1, 30],
			['4', 1, 48],
			['5', 1, 61],
		]);
	});
});
