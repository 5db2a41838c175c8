import { describeIssues, validateRecord } from '../../nodes/shared/model/validate';
import { isValidNip, normaliseTaxId } from '../../nodes/shared/model/nip';
import { DEFAULT_ORDER_VAT_RATES, isVatMarker, normaliseVatRate, parseVatRateList, vatPercent } from '../../nodes/shared/model/vat';

describe('canonical record validation', () => {
	it('accepts a product with Polish text unchanged and fills defaults', () => {
		const r = validateRecord('product', { code: 'ŁÓD-001', name: 'Łódka żółta ĄĘŚ', description: 'ą ć ę ł ń ó ś ź ż' });
		expect(r.ok).toBe(true);
		expect(r.value).toEqual({
			code: 'ŁÓD-001',
			name: 'Łódka żółta ĄĘŚ',
			description: 'ą ć ę ł ń ó ś ź ż',
			unit: 'szt.',
			vatRate: '23',
			active: true,
		});
	});

	it('names the record and the field: missing ERP code', () => {
		const r = validateRecord('product', { name: 'Gęś bez kodu' });
		expect(r.ok).toBe(false);
		expect(describeIssues('product', r)).toBe('product (no code): field "code" is missing');
	});

	it('names the record and the field: negative quantity', () => {
		const r = validateRecord('stock', { productCode: 'ŻUK-7', warehouseCode: 'MAG-Łódź', onHand: '-3', available: '0' });
		expect(describeIssues('stock', r)).toBe('stock "ŻUK-7": field "onHand" must not be negative, got -3');
	});

	it('names the record and the field: malformed price', () => {
		const r = validateRecord('price', { productCode: 'ŚRUBA-M8', scope: 'priceList', scopeCode: 'HURT', net: '12,50' });
		expect(describeIssues('price', r)).toBe('price "ŚRUBA-M8": field "net" must be a decimal number like "12.50", got "12,50"');
	});

	it('rounds prices half-up to the grosz and keeps them as text', () => {
		const r = validateRecord('price', { productCode: 'A', scope: 'client', scopeCode: 'K1', net: 10.005, gross: '12.3049' });
		expect(r.value).toMatchObject({ net: '10.01', gross: '12.30', currency: 'PLN' });
		const four = validateRecord('price', { productCode: 'A', scope: 'client', scopeCode: 'K1', net: '10.00555' }, { moneyDecimals: 4 });
		expect(four.value?.net).toBe('10.0056');
	});

	it('needs net or gross on a price, and validTo after validFrom', () => {
		expect(describeIssues('price', validateRecord('price', { productCode: 'A', scope: 'client', scopeCode: 'K' }))).toMatch(/field "net" is missing: a price needs net or gross/);
		const r = validateRecord('price', { productCode: 'A', scope: 'client', scopeCode: 'K', net: '1', validFrom: '2026-12-01', validTo: '2026-11-01' });
		expect(r.issues[0]).toEqual({ field: 'validTo', message: 'is before validFrom (2026-12-01)' });
	});

	it('checks every order line and points at it', () => {
		const r = validateRecord('order', {
			number: 'B2B/2026/000123',
			clientCode: 'K-ŚWIĘTY',
			placedAt: '2026-11-26T10:15:00Z',
			lines: [
				{ lineNo: 1, productCode: 'A', quantity: '2', unitPrice: '10.00', vatRate: '23' },
				{ lineNo: 2, productCode: 'B', quantity: '0', unitPrice: 'abc', vatRate: 'xx' },
			],
		});
		expect(r.issues.map((i) => i.field)).toEqual(['lines[1].quantity', 'lines[1].unitPrice', 'lines[1].vatRate']);
	});

	it('rejects text that was decoded with the wrong code page', () => {
		const r = validateRecord('product', { code: 'X', name: 'Ł\uFFFDdka' });
		expect(r.issues[0].message).toMatch(/wrong code page/);
	});

	it('rejects quantities with more than 4 decimals instead of rounding them silently', () => {
		const r = validateRecord('stock', { productCode: 'A', warehouseCode: 'W', onHand: '1.23456', available: '1' });
		expect(r.issues[0]).toEqual({ field: 'onHand', message: 'has more than 4 decimal places: 1.23456' });
		expect(validateRecord('stock', { productCode: 'A', warehouseCode: 'W', onHand: '1.50000', available: 1 }).value).toMatchObject({ onHand: '1.5', available: '1', reserved: '0' });
	});

	it('requires a reason for rejected and cancelled statuses', () => {
		const r = validateRecord('orderStatus', { orderNumber: 'B2B/1', status: 'rejected', changedAt: '2026-11-26T10:00:00+01:00' });
		expect(r.issues[0].field).toBe('reason');
	});

	it('refuses impossible dates', () => {
		const r = validateRecord('invoice', { number: 'FV/1', clientCode: 'K', issueDate: '2026-02-30', totals: { net: '1', vat: '0.23', gross: '1.23' } });
		expect(r.issues[0].field).toBe('issueDate');
	});
});

describe('VAT rates', () => {
	it.each([
		['23', '23'],
		[23, '23'],
		['8%', '8'],
		['ZW', 'zw'],
		['np.', 'np'],
		['oo', 'oo'],
		['0', '0'],
	])('normalises %p to %p', (input, expected) => expect(normaliseVatRate(input)).toBe(expected));
	it.each(['-1', '101', 'vat', '', null])('refuses %p', (input) => expect(normaliseVatRate(input)).toBeUndefined());
	// names an object inherits are data, not VAT markers: "constructor" must not pass as a 0 % marker
	it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'])(
		'refuses the inherited name %p (not a marker, not 0 %%)',
		(input) => {
			expect(normaliseVatRate(input)).toBeUndefined();
			expect(isVatMarker(input)).toBe(false);
			expect(vatPercent(input)).toBe(input);
		},
	);
	it('refuses an order line whose VAT rate is "constructor", naming the order and the field', () => {
		const line = { lineNo: 1, productCode: 'ŁÓD-001', quantity: '1', unitPrice: '10.00', vatRate: 'constructor' };
		const r = validateRecord('order', {
			number: 'B2B/1',
			clientCode: 'K-1',
			placedAt: '2026-11-26T10:00:00+01:00',
			currency: 'PLN',
			priceType: 'gross',
			lines: [line],
		});
		expect(describeIssues('order', r)).toMatch(/^order "B2B\/1": field "lines\[0\]\.vatRate" must be a VAT rate/);
	});
});

describe('order lines: only the VAT rates the ERP side knows (issue #15)', () => {
	const order = (vatRate: unknown, lineNo = 1) => ({
		number: 'B2B/2026/000015',
		clientCode: 'K-1',
		placedAt: '2026-11-26T10:00:00+01:00',
		lines: [
			{ lineNo: 1, productCode: 'ŁÓD-001', quantity: '1', unitPrice: '10.00', vatRate: '23' },
			{ lineNo: lineNo + 1, productCode: 'WIO-003', quantity: '1', unitPrice: '45.00', vatRate },
		],
	});

	it('refuses 22 (a valid 0–100 percentage, but no Polish rate), naming the order, the line and the value', () => {
		const r = validateRecord('order', order('22', 4));
		expect(r.ok).toBe(false);
		expect(r.issues).toHaveLength(1);
		expect(r.issues[0].field).toBe('lines[1].vatRate');
		expect(describeIssues('order', r)).toBe(
			'order "B2B/2026/000015": field "lines[1].vatRate" is 22 on line 5 (WIO-003): not a VAT rate the ERP takes (allowed: 23, 8, 5, 0, zw, np, oo; option "Allowed VAT Rates")',
		);
	});

	it.each(['7', '23.5', '100', 22, '22%'])('refuses %p by default', (rate) => {
		expect(validateRecord('order', order(rate)).issues.map((i) => i.field)).toEqual(['lines[1].vatRate']);
	});

	it.each(['23', '8', '5', '0', 'zw', 'np', 'oo', 'ZW', '23%', 23])('accepts %p by default', (rate) => {
		expect(validateRecord('order', order(rate)).ok).toBe(true);
	});

	it('a configured list lets its own rates through: "23, 8, 5, 0, zw, np, oo, 7" takes 7 and still refuses 22', () => {
		const orderVatRates = parseVatRateList('23, 8, 5, 0, zw, np, oo, 7');
		expect(validateRecord('order', order('7'), { orderVatRates }).ok).toBe(true);
		expect(validateRecord('order', order('7')).ok).toBe(false);
		const r = validateRecord('order', order('22'), { orderVatRates });
		expect(describeIssues('order', r)).toMatch(/field "lines\[1\]\.vatRate" is 22 on line 2 \(WIO-003\): .*allowed: 23, 8, 5, 0, zw, np, oo, 7;/);
	});

	it('holds for order lines only: products and prices keep any rate 0–100', () => {
		expect(validateRecord('product', { code: 'A', name: 'a', vatRate: '22' }).ok).toBe(true);
		expect(validateRecord('price', { productCode: 'A', scope: 'priceList', scopeCode: '1', net: '1', vatRate: '7' }).ok).toBe(true);
	});

	it('reads the option: commas or semicolons, "8%" and "ZW" in canonical form, blank = the default, a wrong entry named', () => {
		expect(parseVatRateList('23; 8% ,ZW, np.')).toEqual(['23', '8', 'zw', 'np']);
		expect(parseVatRateList('')).toEqual([...DEFAULT_ORDER_VAT_RATES]);
		expect(parseVatRateList(undefined)).toEqual(['23', '8', '5', '0', 'zw', 'np', 'oo']);
		expect(() => parseVatRateList('23, 8, xx')).toThrow('"xx" is not a VAT rate');
	});
});

describe('NIP', () => {
	it('checks the Polish checksum and strips formatting', () => {
		expect(normaliseTaxId('PL 526-000-12-46')).toBe('5260001246');
		expect(isValidNip('526-000-12-46')).toBe(true);
		expect(isValidNip('5260001247')).toBe(false);
		expect(normaliseTaxId('DE 123456789')).toBe('DE123456789');
	});
});
