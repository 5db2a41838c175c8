/**
 * Patterns that read ERP and portal data must take time in proportion to the field, not its square: a 50 MB file
 * allows fields of megabytes, and a quadratic pattern on one of them stalls n8n's main thread (a 40,000-character
 * field took 0.4–0.5 s with each of the patterns replaced here; 1,000,000 characters would take minutes). These
 * tests measure nothing: they only have to finish, within jest's timeout, on fields of a million characters.
 */
import { stripTrailingZeros } from '../../nodes/shared/model/decimal';
import { normaliseVatRate } from '../../nodes/shared/model/vat';
import { isEmailAddress, validateRecord } from '../../nodes/shared/model/validate';
import { itemToStock } from '../../nodes/SapB1/mapping';

const MILLION = 1_000_000;

describe('patterns on long fields finish (linear)', () => {
	it('e-mail: a million-character address with a dot every other character', () => {
		const long = `a@${'a.'.repeat(MILLION / 2)} x`;
		expect(isEmailAddress(long)).toBe(false);
		expect(isEmailAddress(`łódź@${'ż'.repeat(MILLION)}.pl`)).toBe(true);
		const r = validateRecord('client', { code: 'K-ŁÓDŹ', name: 'Łódź sp. z o.o.', email: long });
		expect(r.ok).toBe(false);
	});

	it('e-mail: the same answers as the pattern it replaces', () => {
		const old = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
		for (const s of [
			'a@b.c',
			'a@b.c.',
			'a@.b.c',
			'a@b.',
			'@b.c',
			'a@@b.c',
			'a@b',
			'a b@c.d',
			'ż@ó.pl',
			'a@b..c',
			'a@.c',
			'',
		]) {
			expect([s, isEmailAddress(s)]).toEqual([s, old.test(s)]);
		}
	});

	it('trailing zeros: a million zeros after the point, then a digit, and the same answers as /\\.?0+$/', () => {
		expect(stripTrailingZeros(`1.${'0'.repeat(MILLION)}1`)).toHaveLength(MILLION + 3);
		expect(stripTrailingZeros(`1.${'0'.repeat(MILLION)}`)).toBe('1');
		for (const s of ['12.5000', '3.000', '40', '0.0', '-0.50', '10.05', '100', '.0', '1.'])
			expect([s, stripTrailingZeros(s)]).toEqual([s, s.includes('.') ? s.replace(/\.?0+$/, '') : s]);
	});

	it('VAT rate: a million spaces before a letter, and "23 %" still reads as 23', () => {
		expect(normaliseVatRate(`${' '.repeat(MILLION)}x`)).toBeUndefined();
		expect(normaliseVatRate(`${'2'.repeat(MILLION)} %`)).toBeUndefined();
		expect(normaliseVatRate('23 %')).toBe('23');
		expect(normaliseVatRate('8%.')).toBe('8');
		expect(normaliseVatRate('ZW')).toBe('zw');
	});

	it('SAP stock quantities with a million-digit fraction', () => {
		const qty = `5.${'0'.repeat(MILLION)}1`;
		const [level] = itemToStock({
			ItemCode: 'ŻUK-1',
			ItemWarehouseInfoCollection: [{ WarehouseCode: '01', InStock: qty, Committed: 0, Ordered: 0 }],
		});
		expect(level.onHand).toBe('5');
	});
});
