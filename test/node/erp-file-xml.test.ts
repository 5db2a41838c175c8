/** The ERP File node through n8n-core: Parse File and Build File for XML. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as iconv from 'iconv-lite';
import { ErpFile } from '../../nodes/ErpFile/ErpFile.node';
import { runNode } from '../harness/n8n-core-harness';
import { makeOrder, POLISH_LETTERS } from '../fixtures/polish';
import { GOLDEN_ORDER } from '../fixtures/epp/make-golden';
import { buildXmlFixtures } from '../fixtures/files/make-xml';

const FILES = path.join(__dirname, '../fixtures/files');
const read = (name: string) => readFileSync(path.join(FILES, name));

const fileItem = (bytes: Buffer, fileName: string) => ({
	json: {},
	binary: { data: { data: bytes.toString('base64'), mimeType: 'application/xml', fileName } },
});

const parse = (parameters: Record<string, unknown>, items: object[], continueOnFail = false) =>
	runNode({
		nodeType: new ErpFile(),
		parameters: {
			operation: 'parse',
			binaryPropertyName: 'data',
			format: 'xml',
			encoding: 'auto',
			...parameters,
		} as never,
		inputItems: items as never,
		continueOnFail,
	});

const build = (parameters: Record<string, unknown>, items: object[], continueOnFail = false) =>
	runNode({
		nodeType: new ErpFile(),
		parameters: { operation: 'build', outputFormat: 'xml', outputBinaryPropertyName: 'data', ...parameters } as never,
		inputItems: items.map((json) => ({ json: json as never })),
		continueOnFail,
	});

const PRODUCTS = {
	entity: 'product',
	recordElement: 'Towary/Towar',
	productXmlFields: {
		mapping: {
			code: '@Symbol',
			name: 'Nazwa',
			description: 'Opis',
			ean: 'EAN',
			unit: 'JednostkaMiary',
			vatRate: 'StawkaVAT',
		},
	},
};

const PRICES = {
	entity: 'price',
	recordElement: 'Towar/Ceny/Cena',
	priceXmlFields: {
		mapping: {
			productCode: '../../@Symbol',
			scopeCode: '@Rodzaj',
			net: 'Netto',
			gross: 'Brutto',
			vatRate: '../../StawkaVAT',
			scope: '',
			currency: '',
		},
	},
	defaultScope: 'priceList',
	defaultCurrency: 'PLN',
};

describe('ERP File › XML fixtures', () => {
	it('committed files equal the deterministic generator output, and every text fixture has all Polish letters', () => {
		const built = buildXmlFixtures();
		for (const [name, bytes] of Object.entries(built)) {
			expect({ name, same: read(name).equals(bytes) }).toEqual({ name, same: true });
		}
		const cp = iconv.decode(read('towary-ceny-cp1250.xml'), 'windows-1250');
		for (const ch of POLISH_LETTERS) expect(cp).toContain(ch);
		// real Windows-1250 bytes: "Łódka" is A3 F3 64 6B 61
		expect(read('towary-ceny-cp1250.xml').includes(Buffer.from([0xa3, 0xf3, 0x64, 0x6b, 0x61]))).toBe(true);
	});
});

describe('ERP File › Parse File › XML', () => {
	it('reads a Windows-1250 Subiekt-like export into products (encoding from the XML declaration)', async () => {
		const r = await parse({ ...PRODUCTS, options: { includeSourceInfo: true } }, [
			fileItem(read('towary-ceny-cp1250.xml'), 'towary.xml'),
		]);
		expect(r.error).toBeUndefined();
		const out = r.output![0];
		expect(out.map((o) => o.json.code)).toEqual(['ŁÓD-001', 'ŻAG-002', 'WIO-003']);
		expect(Buffer.from(out[0].json.name as string, 'utf8').toString('hex')).toBe(
			'c581c3b3646b6120c5bcc3b3c582746120c484c498c59a',
		);
		expect(out[2].json.name).toBe('Wiosło ą ć ę ł ń ó ś ź ż');
		expect(out[0].json.description).toBe('Łódka wiosłowa <b>żółta</b> & wiosła w komplecie; zażółć gęślą jaźń');
		expect(out[0].json).toMatchObject({ ean: '5901234123457', unit: 'szt.', vatRate: '23', active: true });
		expect(out[2].json).toMatchObject({ unit: 'para', vatRate: 'zw' });
		expect(out[2].json.ean).toBeUndefined(); // <EAN/> is empty: left out
		expect(out[0].json._source).toEqual({
			fileName: 'towary.xml',
			format: 'xml',
			encoding: 'windows-1250',
			encodingReason: 'XML declaration encoding="windows-1250"',
			line: 9,
			column: 5,
		});
		expect(out.every((o) => (o.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('reads nested prices with parent paths (../../@Symbol)', async () => {
		const r = await parse(PRICES, [fileItem(read('towary-ceny-cp1250.xml'), 'towary.xml')]);
		expect(r.error).toBeUndefined();
		expect(r.output![0].map((o) => o.json)).toEqual([
			{
				productCode: 'ŁÓD-001',
				scope: 'priceList',
				scopeCode: 'Detaliczna',
				currency: 'PLN',
				net: '100.00',
				gross: '123.00',
				vatRate: '23',
			},
			{
				productCode: 'ŁÓD-001',
				scope: 'priceList',
				scopeCode: 'Hurtowa',
				currency: 'PLN',
				net: '81.30',
				gross: '100.00',
				vatRate: '23',
			},
			{
				productCode: 'ŻAG-002',
				scope: 'priceList',
				scopeCode: 'Hurtowa',
				currency: 'PLN',
				net: '12.35',
				gross: '13.34',
				vatRate: '8',
			},
			{
				productCode: 'WIO-003',
				scope: 'priceList',
				scopeCode: 'Hurtowa',
				currency: 'PLN',
				net: '7.50',
				gross: '7.50',
				vatRate: 'zw',
			},
		]);
	});

	it('reads UTF-8 with a byte-order mark, Polish element names and decimal commas (stock per warehouse)', async () => {
		const r = await parse(
			{
				entity: 'stock',
				recordElement: '/StanyMagazynowe/Magazyn/Pozycja',
				stockXmlFields: {
					mapping: {
						productCode: '@Kod',
						warehouseCode: '../@Symbol',
						onHand: 'Ilość',
						reserved: 'Zarezerwowano',
						available: 'Dostępne',
					},
				},
				options: { decimalComma: true, includeSourceInfo: true },
			},
			[fileItem(read('stany-utf8-bom.xml'), 'stany.xml')],
		);
		expect(r.error).toBeUndefined();
		const out = r.output![0].map((o) => o.json);
		expect(out.map((o) => [o.productCode, o.warehouseCode, o.onHand, o.reserved, o.available])).toEqual([
			['ŁÓD-001', 'MAG-ŁÓDŹ', '12.5', '2', '10.5'],
			['ŻAG-002', 'MAG-ŁÓDŹ', '1200', '0', '1200'],
			['ŁÓD-001', 'MAG-GDAŃSK', '3', '3', '0'],
		]);
		expect(out[0]._source).toMatchObject({ encoding: 'utf-8', encodingReason: 'UTF-8 byte-order mark', line: 4 });
	});

	it('an explicit encoding wins over the declaration and says so', async () => {
		const r = await parse({ ...PRODUCTS, encoding: 'windows-1250', options: { includeSourceInfo: true } }, [
			fileItem(read('zle-deklaracja-utf8-bajty-cp1250.xml'), 'deklaracja.xml'),
		]);
		expect(r.error).toBeUndefined();
		expect(r.output![0][1].json.name).toBe('Żagiel źrebięcy ćma ŃÓŹ');
		expect((r.output![0][0].json._source as { encodingReason: string }).encodingReason).toBe(
			'chosen explicitly; the XML declaration encoding="UTF-8" was overridden',
		);
	});

	it('auto detection without a declaration uses the Polish-letter statistics', async () => {
		const text = iconv.decode(read('towary-ceny-cp1250.xml'), 'windows-1250').replace(' encoding="windows-1250"', '');
		const r = await parse({ ...PRODUCTS, options: { includeSourceInfo: true } }, [
			fileItem(iconv.encode(text, 'cp852'), 'dos.xml'),
		]);
		expect(r.error).toBeUndefined();
		expect(r.output![0][0].json.name).toBe('Łódka żółta ĄĘŚ');
		const source = r.output![0][0].json._source as { encoding: string; encodingReason: string };
		expect(source.encoding).toBe('cp852');
		expect(source.encodingReason).toMatch(/^Polish-letter statistics: .*chose cp852$/);
	});

	const failures: Array<[string, RegExp, { line?: number; column?: number; field?: string }]> = [
		[
			'zle-uciete-cp1250.xml',
			/^zle-uciete-cp1250\.xml line 21, column 26: invalid XML: Unclosed root tag/,
			{ line: 21, column: 26 },
		],
		[
			'zle-niedomkniety-tag-cp1250.xml',
			/^zle-niedomkniety-tag-cp1250\.xml line 32, column 38: invalid XML: Unexpected close tag/,
			{ line: 32, column: 38 },
		],
		[
			'zle-xxe.xml',
			/^zle-xxe\.xml line 2, column 1: the file has a DOCTYPE declaration; XML files with a DTD are refused/,
			{ line: 2, column: 1 },
		],
		[
			'zle-billion-laughs.xml',
			/^zle-billion-laughs\.xml line 3, column 1: the file has a DOCTYPE declaration/,
			{ line: 3, column: 1 },
		],
		[
			'zle-deklaracja-utf8-bajty-cp1250.xml',
			/cannot decode as utf-8 at byte offset \d+.*line 2 \(the encoding came from the XML declaration encoding="UTF-8"; if the file does not match its declaration, choose the encoding explicitly\)/,
			{ line: 2 },
		],
		[
			'zle-brak-nazwy-cp1250.xml',
			/^zle-brak-nazwy-cp1250\.xml line 20, column 5 \(<Towar> 2\): no "Nazwa" in the record, mapped to the required field "name"$/,
			{ line: 20, column: 5, field: 'name' },
		],
	];

	it.each(failures)('%s: stops with the file, line and reason, and passes nothing on', async (name, message, where) => {
		const r = await parse(PRODUCTS, [fileItem(read(name), name)]);
		expect(r.output).toBeNull();
		expect(r.error?.message).toMatch(message);
		expect(r.error?.message).not.toMatch(/root:x:0:0/); // /etc/passwd never read
		const c = await parse(PRODUCTS, [fileItem(read(name), name)], true);
		expect(c.output![0]).toHaveLength(1);
		expect(c.output![0][0].json).toMatchObject(where);
		expect(c.output![0][0].json.error).toMatch(message);
	});

	it('names the bad number with the file, the element line and column, and the field', async () => {
		const r = await parse(PRICES, [fileItem(read('zle-cena-cp1250.xml'), 'ceny.xml')]);
		expect(r.output).toBeNull();
		expect(r.error?.message).toMatch(
			/^ceny\.xml line 26, column 9 \(<Cena> 3\): price "ŻAG-002": field "net" must be a decimal number like "12\.50", got "12,3x" \(from "Netto" at line 26, column 32\)$/,
		);
	});

	it('with Continue On Fail: error items for the bad file only, records of the good file', async () => {
		const r = await parse(
			PRICES,
			[fileItem(read('zle-cena-cp1250.xml'), 'ceny.xml'), fileItem(read('towary-ceny-cp1250.xml'), 'dobre.xml')],
			true,
		);
		const out = r.output![0];
		expect(out).toHaveLength(5);
		expect(out[0].json).toMatchObject({ line: 26, column: 32, field: 'net' });
		expect(out[0].pairedItem).toEqual({ item: 0 });
		expect(out.slice(1).map((o) => o.json.productCode)).toEqual(['ŁÓD-001', 'ŁÓD-001', 'ŻAG-002', 'WIO-003']);
		expect(out.slice(1).every((o) => (o.pairedItem as { item: number }).item === 1)).toBe(true);
	});

	it('refuses a file over the size limit before parsing it', async () => {
		const big = Buffer.concat([read('towary-ceny-cp1250.xml'), Buffer.alloc(2 * 1024 * 1024, 0x20)]);
		const r = await parse({ ...PRODUCTS, maxFileSizeMb: 1 }, [fileItem(big, 'duzy.xml')]);
		expect(r.output).toBeNull();
		expect(r.error?.message).toMatch(
			/^duzy\.xml: the file has 2\.0 MB, more than the limit of 1 MB \(option "Max File Size \(MB\)"\)/,
		);
		// when n8n knows the size (binary data stored on disk or in S3), the file is refused before it is loaded
		const known = fileItem(read('towary-ceny-cp1250.xml'), 'znany.xml');
		(known.binary.data as Record<string, unknown>).bytes = 5 * 1024 * 1024;
		const early = await parse({ ...PRODUCTS, maxFileSizeMb: 4 }, [known]);
		expect(early.error?.message).toMatch(/^znany\.xml: the file has 5\.0 MB, more than the limit of 4 MB/);
		// the default limit (50 MB) applies when the parameter is not set
		(known.binary.data as Record<string, unknown>).bytes = 51 * 1024 * 1024;
		const byDefault = await parse(PRODUCTS, [known]);
		expect(byDefault.error?.message).toMatch(/^znany\.xml: the file has 51\.0 MB, more than the limit of 50 MB/);
		const ok = await parse({ ...PRODUCTS, maxFileSizeMb: 3 }, [fileItem(big, 'duzy.xml')]);
		expect(ok.output![0]).toHaveLength(3);
	});

	it('says when the record element is not in the file', async () => {
		const r = await parse({ ...PRODUCTS, recordElement: 'Produkt' }, [
			fileItem(read('towary-ceny-cp1250.xml'), 't.xml'),
		]);
		expect(r.error?.message).toBe(
			't.xml: no <Produkt> element found; check "Record Element" (names are case-sensitive)',
		);
	});

	it('refuses a path that leads to more than one element', async () => {
		const r = await parse(
			{
				...PRODUCTS,
				productXmlFields: { mapping: { ...PRODUCTS.productXmlFields.mapping, description: 'Ceny/Cena' } },
			},
			[fileItem(read('towary-ceny-cp1250.xml'), 't.xml')],
		);
		expect(r.error?.message).toMatch(
			/^t\.xml line 17, column 9: <Cena> appears 2 times in record 1 \(line 9\); the path "Ceny\/Cena" must lead to one element/,
		);
	});

	it('refuses a duplicate product code in one file', async () => {
		const text = iconv
			.decode(read('towary-ceny-cp1250.xml'), 'windows-1250')
			.replace('Symbol="WIO-003"', 'Symbol="ŁÓD-001"');
		const r = await parse(PRODUCTS, [fileItem(iconv.encode(text, 'windows-1250'), 'dup.xml')]);
		expect(r.error?.message).toMatch(
			/dup\.xml line 29, column 5 \(<Towar> 3\): product "ŁÓD-001" appears twice \(first at line 9, column 5 \(<Towar> 1\)\)/,
		);
	});
});

describe('ERP File › Build File › XML', () => {
	it('orders in Windows-1250: declaration, nested lines, Polish letters byte-wise', async () => {
		const orders = [GOLDEN_ORDER, makeOrder(7, { notes: 'Dostawa przed świętami - zażółć gęślą jaźń ĄĆĘŁŃÓŚŹŻ' })];
		const r = await build({ buildEntity: 'order', xmlEncoding: 'windows-1250', fileName: 'zamowienia.xml' }, orders);
		expect(r.error).toBeUndefined();
		const out = r.output![0];
		expect(out).toHaveLength(1);
		expect(out[0].json).toMatchObject({
			fileName: 'zamowienia.xml',
			format: 'xml',
			entity: 'order',
			encoding: 'windows-1250',
			records: 2,
		});
		expect(out[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
		const bytes = Buffer.from(out[0].binary!.data.data, 'base64');
		expect(bytes.subarray(0, 45).toString('latin1')).toBe('<?xml version="1.0" encoding="windows-1250"?>');
		// "zażółć gęślą jaźń" in CP1250: 7A 61 BF F3 B3 E6 20 67 EA 9C 6C B9 20 6A 61 9F F1
		expect(bytes.includes(Buffer.from('7a61bff3b3e62067ea9c6cb9206a619ff1', 'hex'))).toBe(true);
		expect(bytes.includes(Buffer.from('A5C6CAA3D1D38CAFAF'.slice(0, 14), 'hex'))).toBe(true); // ĄĆĘŁŃÓ
		const text = iconv.decode(bytes, 'windows-1250');
		expect(text).toMatch(/<orders>\n {2}<order>\n {4}<number>B2B\/2026\/000123<\/number>/);
		expect(text).toMatch(/<lines>\n {6}<line>\n {8}<lineNo>1<\/lineNo>/);
		expect((text.match(/<line>/g) ?? []).length).toBe(GOLDEN_ORDER.lines.length + makeOrder(7).lines.length);
	});

	it('round trip: products and clients built as CP1250 XML parse back to the same canonical records', async () => {
		const products = [
			{
				code: 'ŁÓD-001',
				name: 'Łódka żółta <ĄĘŚ> & "wiosła"',
				description: 'zażółć gęślą jaźń',
				ean: '5901234123457',
				unit: 'szt.',
				vatRate: '23',
				active: true,
			},
			{
				code: 'ŻAG-002',
				name: 'Żagiel źrebięcy ćma ŃÓŹ',
				unit: 'szt.',
				vatRate: '8',
				active: false,
				updatedAt: '2026-11-26T10:15:00+01:00',
			},
		];
		const built = await build({ buildEntity: 'product', xmlEncoding: 'windows-1250' }, products);
		const bytes = Buffer.from(built.output![0][0].binary!.data.data, 'base64');
		expect(bytes.includes(iconv.encode('Żagiel źrebięcy ćma ŃÓŹ', 'windows-1250'))).toBe(true);
		const back = await parse({ entity: 'product', recordElement: 'product' }, [fileItem(bytes, 'records.xml')]);
		expect(back.error).toBeUndefined();
		expect(back.output![0].map((o) => o.json)).toEqual(products);

		const clients = [
			{
				code: 'ŻÓŁW',
				name: 'Przedsiębiorstwo "Żółw" Sp. z o.o. ĄĆĘŁŃÓŚŹŻ',
				taxId: '5261040828',
				paymentTermsDays: 14,
				creditLimit: '1000.00',
				blocked: false,
				addresses: [
					{ type: 'billing', street: 'ul. Źródlana 7/3', postalCode: '80-001', city: 'Gdańsk', countryCode: 'PL' },
				],
			},
		];
		const builtClients = await build(
			{
				buildEntity: 'client',
				xmlEncoding: 'windows-1250',
				rootElement: 'Kontrahenci',
				xmlRecordElement: 'Kontrahent',
			},
			clients,
		);
		const cbytes = Buffer.from(builtClients.output![0][0].binary!.data.data, 'base64');
		expect(iconv.decode(cbytes, 'windows-1250')).toMatch(
			/^<\?xml version="1.0" encoding="windows-1250"\?>\n<Kontrahenci>\n {2}<Kontrahent>/,
		);
		const backClients = await parse({ entity: 'client', recordElement: 'Kontrahenci/Kontrahent' }, [
			fileItem(cbytes, 'k.xml'),
		]);
		expect(backClients.error).toBeUndefined();
		expect(backClients.output![0].map((o) => o.json)).toEqual(clients);
	});

	it.each(['utf-8', 'iso-8859-2', 'cp852'] as const)(
		'%s: the declaration names the encoding the bytes are in',
		async (encoding) => {
			const r = await build({ buildEntity: 'price', xmlEncoding: encoding }, [
				{ productCode: 'ŹRÓ-003', scope: 'priceList', scopeCode: 'Hurtowa ąćęłńóśźż', currency: 'PLN', net: '7.50' },
			]);
			const bytes = Buffer.from(r.output![0][0].binary!.data.data, 'base64');
			const declared = { 'utf-8': 'UTF-8', 'iso-8859-2': 'ISO-8859-2', cp852: 'IBM852' }[encoding];
			expect(bytes.subarray(0, 60).toString('latin1')).toContain(`encoding="${declared}"`);
			expect(iconv.decode(bytes, encoding)).toContain('<scopeCode>Hurtowa ąćęłńóśźż</scopeCode>');
			const back = await parse({ entity: 'price', recordElement: 'price' }, [fileItem(bytes, 'p.xml')]);
			expect(back.output![0][0].json).toEqual({
				productCode: 'ŹRÓ-003',
				scope: 'priceList',
				scopeCode: 'Hurtowa ąćęłńóśźż',
				currency: 'PLN',
				net: '7.50',
			});
		},
	);

	it('refuses a character the code page cannot hold, naming the item, the record and the field; no file', async () => {
		const dash = await build({ buildEntity: 'order', xmlEncoding: 'cp852' }, [GOLDEN_ORDER, makeOrder(7)]); // notes have "—"
		expect(dash.output).toBeNull();
		expect(dash.error?.message).toMatch(
			/^Item 2: order "B2B\/2026\/000007": field "notes" character "—" \(U\+2014\) at position \d+ cannot be written in cp852$/,
		);
		const base = makeOrder(7, { notes: 'zażółć gęślą jaźń' });
		const order = { ...base, lines: base.lines.map((l, n) => (n === 1 ? { ...l, productCode: 'EUR€-ŁÓD' } : l)) };
		const r = await build({ buildEntity: 'order', xmlEncoding: 'cp852' }, [GOLDEN_ORDER, order]);
		expect(r.output).toBeNull();
		expect(r.error?.message).toBe(
			'Item 2: order "B2B/2026/000007": field "lines.line[2].productCode" character "€" (U+20AC) at position 3 cannot be written in cp852',
		);
		const c = await build({ buildEntity: 'order', xmlEncoding: 'cp852' }, [GOLDEN_ORDER, order], true);
		expect(c.output![0]).toHaveLength(1);
		expect(c.output![0][0].binary).toBeUndefined();
		expect(c.output![0][0].json.field).toBe('lines.line[2].productCode');
		expect(c.output![0][0].pairedItem).toEqual({ item: 1 });
	});

	it('refuses a control character XML cannot carry, and a bad element name', async () => {
		const r = await build({ buildEntity: 'product' }, [{ code: 'A-1', name: 'Łódka\u0007' }]);
		expect(r.error?.message).toBe(
			'Item 1: product "A-1": field "name" contains the character U+0007, which XML 1.0 cannot carry',
		);
		const n = await build({ buildEntity: 'product', xmlRecordElement: '1towar' }, [{ code: 'A-1', name: 'Łódka' }]);
		expect(n.error?.message).toMatch(/^Record element "1towar" is not a valid XML element name/);
	});
});
