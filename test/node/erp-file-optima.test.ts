/** The ERP File node through n8n-core: Comarch ERP Optima XML — Parse File (format optima) and Build File (optimaXml). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as iconv from 'iconv-lite';
import { parseStringPromise } from 'xml2js';
import { ErpFile } from '../../nodes/ErpFile/ErpFile.node';
import { runNode } from '../harness/n8n-core-harness';
import { POLISH_LETTERS } from '../fixtures/polish';
import { RO_ORDER, buildOptimaFixtures } from '../fixtures/files/optima/make-optima';

const FILES = path.join(__dirname, '../fixtures/files/optima');
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
			format: 'optima',
			encoding: 'auto',
			...parameters,
		} as never,
		inputItems: items as never,
		continueOnFail,
	});

const build = (parameters: Record<string, unknown>, items: object[], continueOnFail = false) =>
	runNode({
		nodeType: new ErpFile(),
		parameters: {
			operation: 'build',
			outputFormat: 'optimaXml',
			outputBinaryPropertyName: 'data',
			...parameters,
		} as never,
		inputItems: items.map((json) => ({ json: json as never })),
		continueOnFail,
	});

/** the cp1250 price list as text, changed by `edit`, back in cp1250 */
const editedCennik = (edit: (text: string) => string) =>
	iconv.encode(edit(iconv.decode(read('cennik-cp1250.xml'), 'windows-1250')), 'windows-1250');

describe('ERP File › Optima XML fixtures', () => {
	it('committed files equal the deterministic generator output, and every one has all Polish letters', () => {
		for (const [name, bytes] of Object.entries(buildOptimaFixtures())) {
			expect({ name, same: read(name).equals(bytes) }).toEqual({ name, same: true });
			const text = iconv.decode(bytes, name.includes('utf8') ? 'utf8' : 'windows-1250');
			const letters = [...POLISH_LETTERS.toLowerCase()].filter((c) => !text.toLowerCase().includes(c));
			expect({ name, missing: letters }).toEqual({ name, missing: [] });
		}
	});
});

describe('ERP File › Parse File › Optima price list', () => {
	it.each([
		['cennik-cp1250.xml', 'windows-1250'],
		['cennik-utf8.xml', 'utf-8'],
	])(
		'%s: products with the exact Polish names, inactive flag, VAT flags, group (encoding from the declaration)',
		async (name, encoding) => {
			const r = await parse({ entity: 'product', options: { includeSourceInfo: true } }, [fileItem(read(name), name)]);
			expect(r.error).toBeUndefined();
			const out = r.output![0];
			expect(out.map((o) => o.json.code)).toEqual(['ŁÓD-001', 'ŻAG-002', 'WIO-003']);
			const { _source, ...first } = out[0].json as Record<string, unknown>;
			expect(first).toEqual({
				code: 'ŁÓD-001',
				name: 'Łódka żółta ĄĘŚ',
				ean: '5901234123457',
				unit: 'szt.',
				vatRate: '23',
				active: true,
				attributes: { group: 'ŁODZIE', defaultPriceNumber: '2' },
			});
			expect(
				Buffer.from(String(out[2].json.name), 'utf8').equals(Buffer.from('Wiosło ą ć ę ł ń ó ś ź ż', 'utf8')),
			).toBe(true);
			expect(out[1].json).toMatchObject({ active: false, vatRate: '8', name: 'Żagiel źrebięcy ćma ŃÓŹ' });
			expect(out[1].json.ean).toBeUndefined();
			expect(out[2].json).toMatchObject({ vatRate: 'zw', unit: 'para' });
			expect(_source).toMatchObject({ fileName: name, format: 'optima', encoding, line: 5, column: 5 });
			expect(String((_source as Record<string, unknown>).encodingReason)).toMatch(/XML declaration/);
			expect(out.every((o, n) => (o.pairedItem as { item: number }).item === 0 && n >= 0)).toBe(true);
		},
	);

	it('prices: one per CENA, list by NAZWA, net/gross from TYP (1/2 and netto/brutto), purchase price left out, currency', async () => {
		const r = await parse({ entity: 'price', defaultCurrency: 'PLN' }, [
			fileItem(read('cennik-cp1250.xml'), 'cennik.xml'),
		]);
		expect(r.error).toBeUndefined();
		expect(r.output![0].map((o) => o.json)).toEqual([
			{
				productCode: 'ŁÓD-001',
				scope: 'priceList',
				scopeCode: 'hurtowa 1',
				currency: 'PLN',
				net: '81.30',
				vatRate: '23',
			},
			{
				productCode: 'ŁÓD-001',
				scope: 'priceList',
				scopeCode: 'detaliczna',
				currency: 'PLN',
				gross: '123.00',
				vatRate: '23',
			},
			{
				productCode: 'ŻAG-002',
				scope: 'priceList',
				scopeCode: 'hurtowa 1',
				currency: 'PLN',
				net: '12.35',
				vatRate: '8',
			},
			{
				productCode: 'ŻAG-002',
				scope: 'priceList',
				scopeCode: 'hurtowa 2',
				currency: 'EUR',
				net: '2.90',
				vatRate: '8',
			},
			{
				productCode: 'WIO-003',
				scope: 'priceList',
				scopeCode: 'detaliczna',
				currency: 'PLN',
				gross: '7.50',
				vatRate: 'zw',
			},
		]);
		expect(r.output![0].every((o) => (o.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('prices by NUMER, with the purchase price when asked', async () => {
		const r = await parse({ entity: 'price', optimaPriceListBy: 'number', optimaIncludePurchasePrice: true }, [
			fileItem(read('cennik-utf8.xml'), 'cennik.xml'),
		]);
		expect(r.error).toBeUndefined();
		const out = r.output![0].map((o) => `${String(o.json.productCode)}@${String(o.json.scopeCode)}`);
		expect(out).toEqual([
			'ŁÓD-001@1',
			'ŁÓD-001@2',
			'ŁÓD-001@5',
			'ŻAG-002@1',
			'ŻAG-002@2',
			'ŻAG-002@3',
			'WIO-003@1',
			'WIO-003@5',
		]);
		// another purchase price number: NUMER 1 is then an ordinary list, NUMER 5 left out
		const other = await parse({ entity: 'price', optimaPriceListBy: 'number', optimaPurchasePriceNumber: '5' }, [
			fileItem(read('cennik-utf8.xml'), 'cennik.xml'),
		]);
		expect(other.output![0].map((o) => o.json.scopeCode)).toEqual(['1', '2', '1', '2', '3', '1']);
	});

	it('an unknown TYP names the file, the CENA, the product KOD and the field; its values are configurable', async () => {
		const bytes = editedCennik((t) =>
			t.replace('<TYP>netto</TYP>\r\n          <NUMER>2</NUMER>', '<TYP>3</TYP>\r\n          <NUMER>2</NUMER>'),
		);
		const r = await parse({ entity: 'price' }, [fileItem(bytes, 'cennik.xml')]);
		expect(r.output).toBeNull();
		expect(r.error?.message).toMatch(
			/^cennik\.xml line 65, column 9 \(<CENA> 2 of <TOWAR> "ŻAG-002"\): price "ŻAG-002" \(NUMER 2\): Optima field "CENY\/CENA\/TYP" is "3": expected netto or 1 \(net\) or brutto or 2 \(gross\)/,
		);
		const configured = await parse({ entity: 'price', optimaGrossTypes: 'brutto, 2, 3' }, [
			fileItem(bytes, 'cennik.xml'),
		]);
		expect(configured.error).toBeUndefined();
		expect(configured.output![0][2].json).toMatchObject({
			productCode: 'ŻAG-002',
			scopeCode: 'hurtowa 1',
			gross: '12.35',
		});
		// with Continue On Fail: one error item with the field, nothing of the file
		const cof = await parse({ entity: 'price' }, [fileItem(bytes, 'cennik.xml')], true);
		expect(cof.output![0]).toHaveLength(1);
		expect(cof.output![0][0].json).toMatchObject({ line: 66, column: 11, field: 'CENY/CENA/TYP' });
	});

	it('a bad number names the product KOD, the canonical field and the Optima element with its position', async () => {
		const bytes = editedCennik((t) => t.replace('<WARTOSC>12.35</WARTOSC>', '<WARTOSC>12,3x</WARTOSC>'));
		const r = await parse({ entity: 'price' }, [fileItem(bytes, 'cennik.xml')]);
		expect(r.output).toBeNull();
		expect(r.error?.message).toMatch(
			/^cennik\.xml line 65, column 9 \(<CENA> 2 of <TOWAR> "ŻAG-002"\): price "ŻAG-002": field "net" must be a decimal number.*\(from "CENY\/CENA\/WARTOSC" at line 69, column 11\)/,
		);
		// a bad VAT percentage in a product names KOD and STAWKA_VAT/STAWKA
		const vat = editedCennik((t) => t.replace('<STAWKA>8.00</STAWKA>', '<STAWKA>osiem</STAWKA>'));
		const p = await parse({ entity: 'product' }, [fileItem(vat, 'cennik.xml')]);
		expect(p.error?.message).toMatch(
			/^cennik\.xml line 43, column 5 \(<TOWAR> 2\): product "ŻAG-002": Optima field "STAWKA_VAT\/STAWKA" must be a VAT percentage like "23\.00", got "osiem"/,
		);
		// a NIEAKTYWNY that is neither 0 nor 1
		const flag = editedCennik((t) => t.replace('<NIEAKTYWNY>1</NIEAKTYWNY>', '<NIEAKTYWNY>tak</NIEAKTYWNY>'));
		const f = await parse({ entity: 'product' }, [fileItem(flag, 'cennik.xml')]);
		expect(f.error?.message).toMatch(
			/product "ŻAG-002": Optima field "NIEAKTYWNY" must be 0 \(active\) or 1 \(inactive\), got "tak"/,
		);
	});

	it('a file of the wrong kind for the entity, or not an Optima file, is a clear error', async () => {
		const asClients = await parse({ entity: 'client' }, [fileItem(read('cennik-cp1250.xml'), 'cennik.xml')]);
		expect(asClients.error?.message).toMatch(
			/^cennik\.xml line 2, column 1: the file is a price list \(products and prices\) \(xmlns "http:\/\/www\.cdn\.com\.pl\/optima\/cennik"\), not a contractors file \(clients\)/,
		);
		const asProducts = await parse({ entity: 'product' }, [
			fileItem(read('kontrahenci-cp1250.xml'), 'kontrahenci.xml'),
		]);
		expect(asProducts.error?.message).toMatch(/the file is a contractors file \(clients\) .*not a price list/);
		const ro = await parse({ entity: 'price' }, [fileItem(read('ro-oczekiwany-utf8.xml'), 'ro.xml')]);
		expect(ro.error?.message).toMatch(/the file is a document file/);
		const other = await parse({ entity: 'product' }, [
			fileItem(Buffer.from('<?xml version="1.0"?>\n<Eksport><Towary/></Eksport>\n'), 'inny.xml'),
		]);
		expect(other.error?.message).toMatch(
			/^inny\.xml line 2, column 1: not a Comarch ERP Optima XML export: the document element is <Eksport>, expected <ROOT xmlns="http:\/\/www\.cdn\.com\.pl\/optima\/cennik">/,
		);
		const stock = await parse({ entity: 'stock' }, [fileItem(read('cennik-utf8.xml'), 'cennik.xml')]);
		expect(stock.error?.message).toMatch(/carry no stock levels/);
	});

	it('refuses a file over Max File Size, and a DOCTYPE, before parsing', async () => {
		const big = Buffer.concat([read('cennik-cp1250.xml'), Buffer.alloc(2 * 1024 * 1024, 0x20)]);
		const r = await parse({ entity: 'product', maxFileSizeMb: 1 }, [fileItem(big, 'duzy.xml')]);
		expect(r.output).toBeNull();
		expect(r.error?.message).toMatch(
			/^duzy\.xml: the file has 2\.0 MB, more than the limit of 1 MB \(option "Max File Size \(MB\)"\)/,
		);
		const ok = await parse({ entity: 'product', maxFileSizeMb: 3 }, [fileItem(big, 'duzy.xml')]);
		expect(ok.output![0]).toHaveLength(3);
		const xxe = editedCennik((t) =>
			t
				.replace('<ROOT', '<!DOCTYPE ROOT [<!ENTITY x SYSTEM "file:///etc/passwd">]>\r\n<ROOT')
				.replace('hurtowa 1', '&x;'),
		);
		const refused = await parse({ entity: 'price' }, [fileItem(xxe, 'xxe.xml')]);
		expect(refused.error?.message).toMatch(/^xxe\.xml line 2, column 1: the file has a DOCTYPE declaration/);
	});

	it('a file whose bytes do not match its UTF-8 declaration names the byte offset and the declaration', async () => {
		const lying = editedCennik((t) => t.replace('encoding="windows-1250"', 'encoding="UTF-8"'));
		const r = await parse({ entity: 'product' }, [fileItem(lying, 'cennik.xml')]);
		expect(r.error?.message).toMatch(
			/cannot decode as utf-8 at byte offset .*the encoding came from the XML declaration/,
		);
		const chosen = await parse({ entity: 'product', encoding: 'windows-1250' }, [fileItem(lying, 'cennik.xml')]);
		expect(chosen.output![0][0].json.name).toBe('Łódka żółta ĄĘŚ');
	});
});

describe('ERP File › Parse File › Optima contractors', () => {
	it('clients: code = AKRONIM, name and address from the first ADRES, NIP as the ERP nodes write it', async () => {
		const r = await parse({ entity: 'client' }, [fileItem(read('kontrahenci-cp1250.xml'), 'kontrahenci.xml')]);
		expect(r.error).toBeUndefined();
		expect(r.output![0].map((o) => o.json)).toEqual([
			{
				code: 'K-ŚWIĘTOKRZYSKA',
				name: 'Hurtownia Świętokrzyska "Gęś" sp. z o.o.',
				taxId: '5261040828',
				paymentMethod: 'przelew',
				blocked: false,
				addresses: [
					{
						type: 'billing',
						name: 'Hurtownia Świętokrzyska "Gęś" sp. z o.o.',
						street: 'ul. Źródlana 5',
						postalCode: '25-001',
						city: 'Kielce',
						countryCode: 'PL',
					},
				],
			},
			{
				code: 'ŻÓŁW',
				name: 'Żółw & Ćma GmbH',
				taxId: 'DE123456789',
				paymentMethod: 'gotówka',
				blocked: false,
				addresses: [
					{
						type: 'billing',
						name: 'Żółw & Ćma GmbH',
						street: 'Łąkowa 12',
						postalCode: '02826',
						city: 'Görlitz',
						countryCode: 'PL',
					},
				],
			},
			{
				code: 'JAŹŃ',
				name: 'JAŹŃ',
				blocked: false,
				// the ADRES has no ULICA, and a canonical address needs street, postal code and city: none, no error
				addresses: [],
			},
		]);
		expect(r.output![0].every((o) => (o.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('a contractor without AKRONIM, and a duplicate AKRONIM, name the record', async () => {
		const text = iconv.decode(read('kontrahenci-cp1250.xml'), 'windows-1250');
		const noCode = iconv.encode(text.replace('<AKRONIM>ŻÓŁW</AKRONIM>', '<AKRONIM/>'), 'windows-1250');
		const r = await parse({ entity: 'client' }, [fileItem(noCode, 'k.xml')]);
		expect(r.error?.message).toMatch(
			/^k\.xml line 23, column 5 \(<KONTRAHENT> 2\): client \(no AKRONIM\): Optima field "AKRONIM" is missing or empty/,
		);
		const dup = iconv.encode(text.replace('<AKRONIM>JAŹŃ</AKRONIM>', '<AKRONIM>ŻÓŁW</AKRONIM>'), 'windows-1250');
		const d = await parse({ entity: 'client' }, [fileItem(dup, 'k.xml')]);
		expect(d.error?.message).toMatch(
			/\(<KONTRAHENT> 3\): client "ŻÓŁW" appears twice \(first at line 23, column 5 \(<KONTRAHENT> 2\)\)/,
		);
	});
});

describe('ERP File › Build File › Optima document XML (RO)', () => {
	it.each([
		['windows-1250', 'ro-oczekiwany-cp1250.xml'],
		['utf-8', 'ro-oczekiwany-utf8.xml'],
	])(
		'%s: the RO document equals the hand-written golden file byte for byte, and parses back with xml2js',
		async (encoding, golden) => {
			const r = await build({ optimaXmlEncoding: encoding, optimaWarehouse: 'MAGAZYN' }, [RO_ORDER]);
			expect(r.error).toBeUndefined();
			const out = r.output![0];
			expect(out).toHaveLength(1);
			expect(out[0].json).toEqual({
				fileName: 'B2B_2026_000123_0fc6150f.xml',
				format: 'optimaXml',
				entity: 'order',
				orderNumber: 'B2B/2026/000123',
				encoding,
				records: 1,
				bytes: read(golden).length,
			});
			expect(out[0].pairedItem).toEqual({ item: 0 });
			const bytes = Buffer.from(out[0].binary!.data.data, 'base64');
			expect(bytes.equals(read(golden))).toBe(true);
			// parsed back: namespace, the foreign number, Polish letters exactly (decoded with the declared code page)
			const text = iconv.decode(bytes, encoding);
			const doc = await parseStringPromise(text);
			expect(doc.ROOT.$.xmlns).toBe('http://www.cdn.com.pl/optima/dokument');
			const header = doc.ROOT.DOKUMENT[0].NAGLOWEK[0];
			expect(header.NUMER_OBCY[0]).toBe('B2B/2026/000123');
			expect(header.OPIS[0]).toBe(RO_ORDER.notes);
			expect(header.PLATNIK[0].KOD[0]).toBe('K-ŚWIĘTOKRZYSKA');
			const lines = doc.ROOT.DOKUMENT[0].POZYCJE[0].POZYCJA;
			expect(lines.map((l: { TOWAR: Array<{ KOD: string[] }> }) => l.TOWAR[0].KOD[0])).toEqual(
				RO_ORDER.lines.map((l) => l.productCode),
			);
			// ą ć ę ł ń ó ś ź ż byte-exact in the file's encoding
			const letters = 'zażółć gęślą jaźń ĄĆĘŁŃÓŚŹŻ';
			expect(bytes.includes(iconv.encode(letters, encoding))).toBe(true);
		},
	);

	it('totals are exact decimals (0.1 + 0.2 is 0.30, not 0.30000000000000004), gross orders too', async () => {
		const order = {
			...RO_ORDER,
			number: 'B2B/2026/000777',
			priceType: 'gross',
			notes: undefined,
			lines: [
				{ lineNo: 1, productCode: 'A', quantity: '1', unitPrice: '0.1', vatRate: '23' },
				{ lineNo: 2, productCode: 'B', quantity: '1', unitPrice: '0.2', vatRate: '23' },
				{ lineNo: 3, productCode: 'C', quantity: '3', unitPrice: '33.33', vatRate: '8' },
			],
		};
		const r = await build({ optimaXmlEncoding: 'utf-8' }, [order]);
		expect(r.error).toBeUndefined();
		const doc = await parseStringPromise(Buffer.from(r.output![0][0].binary!.data.data, 'base64').toString('utf8'));
		const header = doc.ROOT.DOKUMENT[0].NAGLOWEK[0];
		expect(header.TYP_NETTO_BRUTTO[0]).toBe('2');
		// gross: 0.10 → VAT 0.02 (0.1 × 23/123 = 0.0187), net 0.08; 0.20 → VAT 0.04, net 0.16; 99.99 → VAT 7.41, net 92.58
		expect(header.KWOTY[0]).toEqual({ RAZEM_NETTO: ['92.82'], RAZEM_VAT: ['7.47'], RAZEM_BRUTTO: ['100.29'] });
		const table = doc.ROOT.DOKUMENT[0].TABELKA_VAT[0].LINIA_VAT;
		expect(table.map((l: Record<string, string[]>) => [l.NETTO[0], l.VAT[0], l.BRUTTO[0]])).toEqual([
			['0.24', '0.06', '0.30'],
			['92.58', '7.41', '99.99'],
		]);
		expect(doc.ROOT.DOKUMENT[0].PLATNOSCI[0].PLATNOSC[0].KWOTA[0]).toBe('100.29');
	});

	it('two orders whose numbers clean alike (B2B/1, B2B_1) get different file names: the cleaned number + a hash of the raw one', async () => {
		const r = await build({ optimaXmlEncoding: 'utf-8' }, [
			{ ...RO_ORDER, number: 'B2B/1' },
			{ ...RO_ORDER, number: 'B2B_1' },
		]);
		expect(r.error).toBeUndefined();
		expect(r.output![0].map((o) => o.json.fileName)).toEqual(['B2B_1_dc4b7b68.xml', 'B2B_1_6a699806.xml']);
	});

	it('one file per order, each paired with its item; the type codes, foreign-number element and warehouse are parameters', async () => {
		const second = { ...RO_ORDER, number: 'B2B/2026/000124', clientCode: 'ŻÓŁW' };
		const r = await build(
			{
				optimaXmlEncoding: 'utf-8',
				optimaDocumentType: '302',
				optimaDocumentKind: '302000',
				optimaForeignNumberElement: 'NUMER_OBCY_ZAMOWIENIA',
				optimaWarehouse: 'MAG-ŁÓDŹ',
				optimaOptions: { generator: 'Portal B2B', paymentForm: 'gotówka', paymentDays: 0 },
			},
			[RO_ORDER, second],
		);
		expect(r.error).toBeUndefined();
		const out = r.output![0];
		expect(out.map((o) => o.json.fileName)).toEqual(['B2B_2026_000123_0fc6150f.xml', 'B2B_2026_000124_24e047d8.xml']);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const doc = await parseStringPromise(Buffer.from(out[1].binary!.data.data, 'base64').toString('utf8'));
		const h = doc.ROOT.DOKUMENT[0].NAGLOWEK[0];
		expect([
			h.GENERATOR[0],
			h.TYP_DOKUMENTU[0],
			h.RODZAJ_DOKUMENTU[0],
			h.NUMER_OBCY_ZAMOWIENIA[0],
			h.MAGAZYN_ZRODLOWY[0],
		]).toEqual(['Portal B2B', '302', '302000', 'B2B/2026/000124', 'MAG-ŁÓDŹ']);
		expect(h.NUMER_OBCY).toBeUndefined();
		expect(h.ODBIORCA[0].KOD[0]).toBe('ŻÓŁW');
		expect(doc.ROOT.DOKUMENT[0].PLATNOSCI[0].PLATNOSC[0]).toMatchObject({ FORMA: ['gotówka'], TERMIN: ['2026-11-27'] });
	});

	it('a bad order makes no file: the error names the item, the order and the field; Continue On Fail keeps the good ones', async () => {
		const bad = { ...RO_ORDER, number: 'B2B/2026/000125', notes: 'Uwaga — emoji 🚚 nie w CP1250' };
		const np = { ...RO_ORDER, number: 'B2B/2026/000126', lines: [{ ...RO_ORDER.lines[0], vatRate: 'np' }] };
		const eur = { ...RO_ORDER, number: 'B2B/2026/000127', currency: 'EUR' };
		const r = await build({ optimaXmlEncoding: 'windows-1250' }, [RO_ORDER, bad]);
		expect(r.output).toBeNull();
		expect(r.error?.message).toMatch(
			/^Item 2: order "B2B\/2026\/000125": field "NAGLOWEK\.OPIS" .*U\+1F69A.*windows-1250/,
		);
		const cof = await build(
			{ optimaXmlEncoding: 'windows-1250' },
			[RO_ORDER, bad, np, eur, { ...RO_ORDER, lines: [] }],
			true,
		);
		const out = cof.output![0];
		expect(out.map((o) => (o.json.error ? `error ${String(o.json.field)}` : String(o.json.fileName)))).toEqual([
			'B2B_2026_000123_0fc6150f.xml',
			'error NAGLOWEK.OPIS',
			'error lines[0].vatRate',
			'error currency',
			'error lines',
		]);
		expect(out.map((o) => o.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(String(out[2].json.error)).toMatch(/VAT rate "np" has no known Optima VAT flag/);
		expect(out.filter((o) => o.binary)).toHaveLength(1);
		// the foreign-number element must be an XML name
		const name = await build({ optimaForeignNumberElement: 'NUMER OBCY' }, [RO_ORDER]);
		expect(name.error?.message).toMatch(/Foreign number element "NUMER OBCY" is not a valid XML element name/);
	});
});
