import { itemToProduct, itemToStock, specialPriceToPrices } from '../../nodes/SapB1/mapping';

const lists = new Map([
	[1, { PriceListNo: 1, IsGrossPrice: 'tNO' }],
	[3, { PriceListNo: 3, IsGrossPrice: 'tYES' }],
]);

describe('SAP mapping', () => {
	it('turns special price periods and quantity steps into client prices, and drops periods that end before they start', () => {
		const prices = specialPriceToPrices(
			{
				ItemCode: 'ŁÓD-001',
				CardCode: 'K-ŚWIĘTY',
				PriceListNum: 1,
				Valid: 'tYES',
				Currency: 'PLN',
				SpecialPriceDataAreas: [
					{
						DateFrom: '2026-11-01',
						Dateto: '2026-11-30',
						SpecialPrice: 119.99,
						PriceCurrency: 'PLN',
						SpecialPriceQuantityAreas: [{ Quantity: 10, SpecialPrice: 109.9 }],
					},
					{
						DateFrom: '2026-11-25',
						Dateto: '2026-11-22',
						SpecialPrice: 1,
						PriceCurrency: 'PLN',
						SpecialPriceQuantityAreas: [],
					},
				],
			},
			lists,
		);
		expect(prices).toEqual([
			{
				productCode: 'ŁÓD-001',
				scope: 'client',
				scopeCode: 'K-ŚWIĘTY',
				currency: 'PLN',
				net: '119.99',
				validFrom: '2026-11-01',
				validTo: '2026-11-30',
			},
			{
				productCode: 'ŁÓD-001',
				scope: 'client',
				scopeCode: 'K-ŚWIĘTY',
				currency: 'PLN',
				net: '109.90',
				validFrom: '2026-11-01',
				validTo: '2026-11-30',
				minQuantity: '10',
			},
		]);
	});

	it('a VAT group named like an Object method is unknown (no rate), a known group maps, case-insensitively', () => {
		const item = (group: string) => ({
			ItemCode: 'ŻUK-1',
			ItemName: 'Żuk łańcuch',
			SalesVATGroup: group,
			Valid: 'tYES',
		});
		expect(itemToProduct(item('constructor')).vatRate).toBe('');
		expect(itemToProduct(item('__proto__')).vatRate).toBe('');
		expect(itemToProduct(item('toString'), { vatGroups: { ZW: 'zw' } }).vatRate).toBe('');
		expect(itemToProduct(item('s23')).vatRate).toBe('23');
		expect(itemToProduct(item('zw'), { vatGroups: { ZW: 'zw' } }).vatRate).toBe('zw');
	});

	it('maps *N rows to the price list, gross on gross lists', () => {
		expect(
			specialPriceToPrices({ ItemCode: 'A', CardCode: '*3', Price: 159.89, Currency: 'PLN', Valid: 'tYES' }, lists),
		).toEqual([{ productCode: 'A', scope: 'priceList', scopeCode: '3', currency: 'PLN', gross: '159.89' }]);
	});

	it('computes available as on hand minus committed, never negative, keeps ordered as incoming', () => {
		expect(
			itemToStock({
				ItemCode: 'A',
				ItemWarehouseInfoCollection: [
					{ WarehouseCode: '01', InStock: 12.5, Committed: 2.25, Ordered: 40 },
					{ WarehouseCode: '02', InStock: 3, Committed: 5, Ordered: 0 },
					{ WarehouseCode: '03', InStock: -2, Committed: 0, Ordered: 0 },
					{ WarehouseCode: '04', InStock: 7, Committed: 7.00004, Ordered: -0 },
					{ WarehouseCode: '05', InStock: 100, Committed: 99, Ordered: 1.23456 },
				],
			}),
		).toEqual([
			{ productCode: 'A', warehouseCode: '01', onHand: '12.5', reserved: '2.25', available: '10.25', incoming: '40' },
			// figures below zero: the one rule of shared/model/stock.ts, SAP's figures kept in _belowZero
			{
				productCode: 'A',
				warehouseCode: '02',
				onHand: '3',
				reserved: '5',
				available: '0',
				incoming: '0',
				_belowZero: { available: '-2' },
			},
			{
				productCode: 'A',
				warehouseCode: '03',
				onHand: '0',
				reserved: '0',
				available: '0',
				incoming: '0',
				_belowZero: { onHand: '-2' },
			},
			// 4 decimals, half up: 7.00004 → 7; -0 is 0
			{ productCode: 'A', warehouseCode: '04', onHand: '7', reserved: '7', available: '0', incoming: '0' },
			{ productCode: 'A', warehouseCode: '05', onHand: '100', reserved: '99', available: '1', incoming: '1.2346' },
		]);
	});
});
