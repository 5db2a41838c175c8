/**
 * Business Central values as BC writes them in JSON: enum names XML-encoded ("_x0020_" for the blank and for
 * every space — public BC payloads show customers' blocked "_x0020_" and "In_x0020_Review"), gross price list
 * lines, line discounts taken off the price. The simulator writes them the same way (test/simulators/business-central).
 */
import { bcEnum, customerToClient, priceListLineToPrice } from '../../nodes/BusinessCentral/mapping';

const line = (over: Record<string, unknown> = {}) => ({
	id: '6f1c3b1e-0000-4000-8000-000000000001',
	priceListCode: 'S-HURT',
	sourceType: 'Customer_x0020_Price_x0020_Group',
	sourceNo: 'HURT',
	assetType: 'Item',
	assetNo: 'ŻUBR-007',
	currencyCode: '',
	startingDate: '0001-01-01',
	endingDate: '0001-01-01',
	minimumQuantity: 0,
	unitOfMeasureCode: '',
	unitPrice: 100,
	priceIncludesVAT: false,
	lineDiscountPercent: 0,
	status: 'Active',
	...over,
});

describe('Business Central mapping: values as BC writes them', () => {
	test('bcEnum reads XML-encoded enum names back', () => {
		expect(bcEnum('_x0020_')).toBe('');
		expect(bcEnum('In_x0020_Review')).toBe('In Review');
		expect(bcEnum('All_x0020_Customers')).toBe('All Customers');
		expect(bcEnum('Non-Inventory')).toBe('Non-Inventory');
		expect(bcEnum(' ')).toBe('');
		expect(bcEnum(undefined)).toBe('');
	});

	test('source types on the wire map to their scopes', () => {
		expect(priceListLineToPrice(line())).toMatchObject({ scope: 'clientGroup', scopeCode: 'HURT', net: '100.00' });
		expect(
			priceListLineToPrice(line({ sourceType: 'All_x0020_Customers', sourceNo: '' }), { allCustomersList: 'BASE' }),
		).toMatchObject({ scope: 'priceList', scopeCode: 'BASE' });
		expect(priceListLineToPrice(line({ sourceType: 'Customer', sourceNo: 'K00010' }))).toMatchObject({
			scope: 'client',
			scopeCode: 'K00010',
		});
		expect(priceListLineToPrice(line({ sourceType: 'Campaign' }))).toEqual({ skip: 'otherSource' });
		expect(priceListLineToPrice(line({ assetType: 'Item_x0020_Discount_x0020_Group' }))).toEqual({ skip: 'notItem' });
	});

	test('Price Includes VAT gives a gross price, never a net one', () => {
		const gross = priceListLineToPrice(line({ priceIncludesVAT: true, unitPrice: 123 }));
		expect(gross).toMatchObject({ gross: '123.00' });
		expect(gross).not.toHaveProperty('net');
		expect(() => priceListLineToPrice(line({ priceIncludesVAT: 'tak' }))).toThrow(
			/price list line S-HURT\/ŻUBR-007: field "priceIncludesVAT" is "tak"/,
		);
	});

	test('a Line Discount % is taken off the price, from the full unit price, half up', () => {
		// 129.63 less 5 % = 123.1485 → 123.15; 90.741 (BC keeps up to 5 decimals) less 5 % = 86.20395 → 86.20
		expect(priceListLineToPrice(line({ unitPrice: 129.63, lineDiscountPercent: 5 }))).toMatchObject({ net: '123.15' });
		expect(priceListLineToPrice(line({ unitPrice: 90.741, lineDiscountPercent: 5 }))).toMatchObject({ net: '86.20' });
		expect(() => priceListLineToPrice(line({ lineDiscountPercent: 120 }))).toThrow(/"lineDiscountPercent" is 120/);
	});

	test('customers: "_x0020_" is not blocked; Ship / Invoice / All are, with the reason', () => {
		const c = { number: 'K00010', displayName: 'Hurtownia Łódź', blocked: '_x0020_' };
		expect(customerToClient(c)).toMatchObject({ code: 'K00010', blocked: false });
		expect(customerToClient({ ...c, blocked: 'Invoice' })).toMatchObject({ blocked: true, blockedReason: 'Invoice' });
		expect(() => customerToClient({ ...c, blocked: 'Tak' })).toThrow(/customer K00010: field "blocked" is "Tak"/);
	});
});
