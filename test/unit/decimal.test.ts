import {
	addDecimal,
	compareDecimal,
	formatDecimal,
	fromMinorUnits,
	multiplyDecimal,
	parseDecimal,
	roundDecimal,
	toMinorUnits,
} from '../../nodes/shared/model/decimal';

describe('decimal money', () => {
	it('rounds half-up to the grosz by default, where binary floats go wrong', () => {
		// 1.005 is 1.00499999999999989... as a double: Math.round(1.005 * 100) / 100 === 1
		expect(Math.round(1.005 * 100) / 100).toBe(1);
		expect(roundDecimal('1.005')).toBe('1.01');
		expect(roundDecimal(1.005)).toBe('1.01');
		expect(roundDecimal('2.675')).toBe('2.68');
		expect(roundDecimal('-2.675')).toBe('-2.68');
		expect(roundDecimal('0.004')).toBe('0.00');
	});

	it('supports half-even, down and up when configured', () => {
		expect(roundDecimal('2.665', 2, 'halfEven')).toBe('2.66');
		expect(roundDecimal('2.675', 2, 'halfEven')).toBe('2.68');
		expect(roundDecimal('2.679', 2, 'down')).toBe('2.67');
		expect(roundDecimal('2.671', 2, 'up')).toBe('2.68');
		expect(roundDecimal('-2.671', 2, 'up')).toBe('-2.68');
	});

	it('adds and multiplies exactly', () => {
		expect(formatDecimal(addDecimal('0.1', '0.2'))).toBe('0.3');
		expect(0.1 + 0.2).not.toBe(0.3);
		// 3 × 19.99 net at 23 % VAT
		const net = multiplyDecimal('3', '19.99');
		expect(formatDecimal(net)).toBe('59.97');
		expect(roundDecimal(formatDecimal(multiplyDecimal(formatDecimal(net), '1.23')))).toBe('73.76');
	});

	it('converts to and from integer minor units', () => {
		expect(toMinorUnits('1234.565')).toBe(123457n);
		expect(fromMinorUnits(123457n)).toBe('1234.57');
		expect(fromMinorUnits(-5n)).toBe('-0.05');
	});

	it('reads numbers without exponent surprises', () => {
		expect(formatDecimal(parseDecimal(1e21))).toBe('1000000000000000000000');
		expect(formatDecimal(parseDecimal(1e-7))).toBe('0.0000001');
		expect(compareDecimal('10.50', '10.5')).toBe(0);
		expect(compareDecimal('9.99', '10')).toBe(-1);
	});

	it('compares whole numbers (fast path) exactly like any other decimals', () => {
		const cases: Array<[string, string]> = [
			['-3', '2'],
			['007', '7'],
			['0', '-0'],
			['19', '18'],
			['999999999999999', '1000000000000000'],
			['1000000000000001', '1000000000000000'],
			['5', '5.0001'],
		];
		for (const [a, b] of cases) {
			const [x, y] = [parseDecimal(a), parseDecimal(b)];
			const scale = Math.max(x.scale, y.scale);
			const ux = x.units * 10n ** BigInt(scale - x.scale);
			const uy = y.units * 10n ** BigInt(scale - y.scale);
			expect([a, b, compareDecimal(a, b)]).toEqual([a, b, ux === uy ? 0 : ux < uy ? -1 : 1]);
		}
	});

	it.each(['1,50', '12.3.4', '', 'abc', '1e5', ' . ', NaN, Infinity, null, {}])('refuses %p', (bad) => {
		expect(() => parseDecimal(bad)).toThrow(/not a decimal number/);
	});
});

describe('decimal division', () => {
	it('divides exactly and rounds by the rule', async () => {
		const { divideDecimal } = await import('../../nodes/shared/model/decimal');
		expect(divideDecimal('123.00', '1.23')).toBe('100.00');
		expect(divideDecimal('100', '3')).toBe('33.33');
		expect(divideDecimal('200', '3')).toBe('66.67');
		expect(divideDecimal('0.125', '1', 2)).toBe('0.13');
		expect(divideDecimal('0.125', '1', 2, 'halfEven')).toBe('0.12');
		expect(divideDecimal('-0.125', '1', 2)).toBe('-0.13');
		expect(divideDecimal('159.89', '1.23')).toBe('129.99');
		expect(() => divideDecimal('1', '0')).toThrow();
	});
});

describe('SAP local stamps', () => {
	it('turn into ISO instants with the server zone offset, across DST', async () => {
		const { localStampToIso } = await import('../../nodes/SapB1/mapping');
		expect(localStampToIso('2026-07-01 10:15:00')).toBe('2026-07-01T10:15:00+02:00');
		expect(localStampToIso('2026-11-26 10:15:00')).toBe('2026-11-26T10:15:00+01:00');
		expect(localStampToIso('2026-11-26 10:15:00', 'UTC')).toBe('2026-11-26T10:15:00Z');
		expect(localStampToIso('2026-11-26 10:15:00', 'Nowhere/Land')).toBe('2026-11-26T10:15:00Z');
		expect(new Date(localStampToIso('2026-03-29 03:30:00')).toISOString()).toBe('2026-03-29T01:30:00.000Z');
	});
});
