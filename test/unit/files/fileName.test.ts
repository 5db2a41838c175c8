/** nodes/shared/files/fileName.ts: an order's file stem is readable and unique per raw order number. */
import { orderFileStem } from '../../../nodes/shared/files/fileName';

describe('orderFileStem', () => {
	it('the cleaned number, then the first 8 hex digits of the SHA-256 of the raw number', () => {
		expect(orderFileStem('B2B/2026/000123')).toBe('B2B_2026_000123_0fc6150f');
	});

	it('numbers that clean alike get different stems', () => {
		const stems = ['B2B/1', 'B2B_1', 'B2B 1', 'B2B\\1'].map(orderFileStem);
		expect(stems.map((s) => s.slice(0, 5))).toEqual(['B2B_1', 'B2B_1', 'B2B_1', 'B2B_1']);
		expect(new Set(stems).size).toBe(4);
	});
});
