/** The one rule for stock below zero (nodes/shared/model/stock.ts), used by every stock read and the Stock Buffer. */
import {
	BelowZeroTally,
	isBelowZero,
	normaliseStock,
	quantityDifference,
	stockBelowZero,
	type StockFigures,
} from '../../nodes/shared/model/stock';
import { validateRecord } from '../../nodes/shared/model/validate';

const level = (f: StockFigures) => ({ productCode: 'ŻUK-7', warehouseCode: 'MAG-ŁÓDŹ', ...f });

describe('normaliseStock: stock below zero is data', () => {
	it('leaves figures ≥ 0 as they are, adds nothing and says nothing was below zero', () => {
		const l = level({ onHand: '12.5', reserved: '2', available: '10.5', incoming: 0 });
		expect(normaliseStock(l)).toBe(false);
		expect(l).toEqual(level({ onHand: '12.5', reserved: '2', available: '10.5', incoming: 0 }));
		expect(stockBelowZero(l)).toBe(false);
	});

	it('on hand below zero: on hand 0 and available 0, whatever available the ERP gave; the ERP figures kept', () => {
		const l = level({ onHand: '-3', reserved: '0', available: '2' });
		expect(stockBelowZero(l)).toBe(true);
		expect(normaliseStock(l)).toBe(true);
		expect(l).toEqual(level({ onHand: '0', reserved: '0', available: '0', _belowZero: { onHand: '-3' } }));
		expect(validateRecord('stock', l).ok).toBe(true);
	});

	it('reserved, available and incoming below zero become 0 each (numbers from JSON too)', () => {
		const l = level({ onHand: 5, reserved: -1, available: ' -2.5', incoming: '-0.0001' });
		expect(normaliseStock(l)).toBe(true);
		expect(l).toEqual(
			level({
				onHand: 5,
				reserved: '0',
				available: '0',
				incoming: '0',
				_belowZero: { reserved: '-1', available: '-2.5', incoming: '-0.0001' },
			}),
		);
	});

	it('computes available = on hand − reserved for ERPs that give only those, below zero → 0 and counted', () => {
		const a = level({ onHand: '12.5', reserved: '2.25' });
		expect(normaliseStock(a, true)).toBe(false);
		expect(a.available).toBe('10.25');
		const over = level({ onHand: '3', reserved: '5' });
		expect(normaliseStock(over, true)).toBe(true);
		expect(over).toEqual(level({ onHand: '3', reserved: '5', available: '0', _belowZero: { available: '-2' } }));
		// on hand below zero: available from on hand 0, the on hand kept (not a second "available")
		const sold = level({ onHand: '-3', reserved: '1' });
		expect(normaliseStock(sold, true)).toBe(true);
		expect(sold).toEqual(level({ onHand: '0', reserved: '1', available: '0', _belowZero: { onHand: '-3' } }));
		// reserved below zero counts as 0: available never above on hand
		const odd = level({ onHand: '5', reserved: '-2' });
		normaliseStock(odd, true);
		expect(odd).toMatchObject({ onHand: '5', reserved: '0', available: '5' });
	});

	it('leaves text that is no number, and "-0", to validateRecord', () => {
		expect(isBelowZero('-abc')).toBe(false);
		expect(isBelowZero('-0')).toBe(false);
		expect(isBelowZero('3,5')).toBe(false);
		expect(isBelowZero(undefined)).toBe(false);
		const l = level({ onHand: '-x', available: '1' });
		expect(normaliseStock(l)).toBe(false);
		expect(validateRecord('stock', l).issues[0]).toMatchObject({ field: 'onHand' });
	});

	it('quantityDifference keeps exact decimals without trailing zeros', () => {
		expect(quantityDifference('5.25', '0.05')).toBe('5.2');
		expect(quantityDifference('7', '7')).toBe('0');
		expect(quantityDifference('2', '5')).toBe('-3');
		expect(quantityDifference('0.1', '0.3')).toBe('-0.2');
	});
});

describe('BelowZeroTally', () => {
	it('counts every level, names the first 20 and says how many more', () => {
		const t = new BelowZeroTally();
		expect(t.message()).toBeUndefined();
		for (let i = 1; i <= 23; i++) t.add(`ŻUK-${i}`, 'MAG-ŁÓDŹ');
		expect(t.count).toBe(23);
		expect(t.codes).toHaveLength(20);
		expect(t.message()).toMatch(/^23 stock levels below zero in the ERP, sent with available 0: ŻUK-1 \/ MAG-ŁÓDŹ, /);
		expect(t.message()).toMatch(/ŻUK-20 \/ MAG-ŁÓDŹ, … \(3 more\)$/);
	});
});
