import { readFileSync } from 'fs';
import { join } from 'path';
import {
	rowToClient,
	rowToClientPrice,
	rowToInvoice,
	rowToLevelPrice,
	rowToOrderStatus,
	rowToProduct,
	rowToStock,
	vatFromRow,
} from '../../../nodes/SubiektGt/sql/mapping';
import type { SqlRow } from '../../../nodes/shared/sql/types';
import { sqlDateTime, sqlMoney, SqlMappingError } from '../../../nodes/shared/sql/values';
import { validateRecord } from '../../../nodes/shared/model/validate';
import type { EntityMap, EntityName } from '../../../nodes/shared/model/types';

const dir = join(__dirname, '..', '..', 'fixtures', 'subiekt-sql');
const load = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8'));
const rows = (file: string): SqlRow[] => load(file).recordset;

function valid<E extends EntityName>(entity: E, record: unknown, moneyDecimals = 2): EntityMap[E] {
	const r = validateRecord(entity, record, { moneyDecimals });
	if (!r.ok) throw new Error(JSON.stringify(r.issues));
	return r.value as EntityMap[E];
}

describe('Subiekt SQL mapping: recorded result sets → canonical records', () => {
	it('products: VAT from sl_StawkaVAT, markers by symbol, blocked → inactive, Polish bytes exact', () => {
		const products = rows('products.json')
			.map(rowToProduct)
			.map((p) => valid('product', p));
		expect(products).toEqual([
			{
				code: 'ŁÓD-001',
				name: 'Łódka żółta ĄĘŚ',
				description: 'Łódka wiosłowa, kolor żółty. Zażółć gęślą jaźń.',
				ean: '5901234123457',
				unit: 'szt.',
				vatRate: '23',
				active: true,
			},
			{ code: 'ŻAG-002', name: 'Żagiel źrebięcy ćma ŃÓŹ', unit: 'kpl.', vatRate: '8', active: true },
			{ code: 'WIO-003', name: 'Wiosło ą ć ę ł ń ó ś ź ż', unit: 'para', vatRate: 'zw', active: false },
		]);
		expect(Buffer.from(products[2].name, 'utf8').toString('hex')).toBe(
			Buffer.from('Wiosło ą ć ę ł ń ó ś ź ż', 'utf8').toString('hex'),
		);
		expect(products[0].name.normalize('NFC')).toBe(products[0].name);
	});

	it('price levels: 4 decimals kept, named levels, unnamed level keyed by number, NULL level skipped', () => {
		const prices = rows('price-levels.json')
			.map((r) => rowToLevelPrice(r))
			.filter((p) => p !== undefined)
			.map((p) => valid('price', p, 4));
		expect(prices).toEqual([
			{
				productCode: 'ŁÓD-001',
				scope: 'priceList',
				scopeCode: 'Detaliczna',
				currency: 'PLN',
				net: '121.9512',
				gross: '150.0000',
				vatRate: '23',
			},
			{
				productCode: 'ŁÓD-001',
				scope: 'priceList',
				scopeCode: 'Hurtowa ŻÓŁTA',
				currency: 'PLN',
				net: '99.9900',
				gross: '122.9877',
				vatRate: '23',
			},
			{
				productCode: 'ŁÓD-001',
				scope: 'priceList',
				scopeCode: '3',
				currency: 'PLN',
				net: '0.0001',
				gross: '0.0001',
				vatRate: '23',
			},
		]);
	});

	it('price levels rounded to the grosz on request (half-up with decimal.ts)', () => {
		const p = rowToLevelPrice(rows('price-levels.json')[1], { priceDecimals: 2, priceLevelKey: 'number' });
		expect(p).toMatchObject({ scopeCode: '2', net: '99.99', gross: '122.99' });
	});

	it('individual price lists: client scope, validity only when the list is time-limited', () => {
		const prices = rows('client-price-lists.json').map((r) => valid('price', rowToClientPrice(r), 4));
		expect(prices).toEqual([
			{
				productCode: 'ŁÓD-001',
				scope: 'client',
				scopeCode: 'K-ŚWIĘTY',
				currency: 'PLN',
				net: '109.9000',
				gross: '135.1770',
				validFrom: '2026-11-01',
				validTo: '2026-11-30',
			},
			{
				productCode: 'ŻAG-002',
				scope: 'client',
				scopeCode: 'K-ŚWIĘTY',
				currency: 'PLN',
				net: '12.3457',
				gross: '13.3334',
			},
		]);
	});

	it('stock: available = on hand − reserved, clamped at 0', () => {
		const stock = rows('stock.json').map((r) => valid('stock', rowToStock(r)));
		expect(stock).toEqual([
			{ productCode: 'ŁÓD-001', warehouseCode: 'MAG', onHand: '12.5', reserved: '2.25', available: '10.25' },
			{ productCode: 'ŻAG-002', warehouseCode: 'ŹRÓ', onHand: '3', reserved: '5', available: '0' },
			{ productCode: 'WIO-003', warehouseCode: 'MAG', onHand: '0', reserved: '0', available: '0' },
		]);
	});

	it('clients: main address, NIP normalised, foreign VAT id kept, missing address → no address', () => {
		const clients = rows('clients.json').map((r) => valid('client', rowToClient(r)));
		expect(clients[0]).toEqual({
			code: 'K-ŚWIĘTY',
			name: 'Przedsiębiorstwo Święty Łukasz Gęślą Jaźń Sp. z o.o.',
			taxId: '1234563218',
			email: 'zamowienia@swiety.example.pl',
			phone: '+48 41 123 45 67',
			priceListCode: 'Hurtowa ŻÓŁTA',
			blocked: false,
			addresses: [
				{
					type: 'billing',
					name: 'Przedsiębiorstwo Święty Łukasz Gęślą Jaźń Sp. z o.o.',
					street: 'ul. Źródlana 12/3',
					postalCode: '25-001',
					city: 'Kielce',
					countryCode: 'PL',
				},
			],
		});
		expect(clients[1]).toMatchObject({
			code: 'K-ŻÓŁW',
			name: 'Żółw Ćma',
			taxId: 'DE123456789',
			blocked: true,
			priceListCode: 'Detaliczna',
		});
		expect(clients[1].addresses[0]).toMatchObject({ street: 'Hauptstraße 5', countryCode: 'DE' });
		expect(clients[2]).toEqual({ code: 'K-ŃOŹ', name: 'K-ŃOŹ', blocked: false, addresses: [] });
	});

	it('order by number: ZK with an FS → invoiced at the FS date, Warsaw offset', () => {
		const f = load('order-by-number.json');
		expect(valid('orderStatus', rowToOrderStatus(f.invoiced.recordset[0]))).toEqual({
			orderNumber: 'B2B/2026/000042',
			status: 'invoiced',
			erpDocumentNumber: 'FS 101/11/2026',
			changedAt: '2026-11-27T08:30:00+01:00',
		});
		expect(valid('orderStatus', rowToOrderStatus(f.confirmed.recordset[0]))).toEqual({
			orderNumber: 'B2B/2026/000043',
			status: 'confirmed',
			erpDocumentNumber: 'ZK 16/07/2026',
			changedAt: '2026-07-15T09:00:00+02:00',
		});
		expect(f.notFound.recordset).toEqual([]);
	});

	it('invoices: totals rounded half-up to the grosz, order number from the ZK, empty currency → PLN', () => {
		const invoices = rows('invoices.json').map((r) => valid('invoice', rowToInvoice(r)));
		expect(invoices).toEqual([
			{
				number: 'FS 101/11/2026',
				orderNumber: 'B2B/2026/000042',
				clientCode: 'K-ŚWIĘTY',
				issueDate: '2026-11-27',
				dueDate: '2026-12-11',
				currency: 'PLN',
				totals: { net: '1234.57', vat: '283.95', gross: '1518.52' },
			},
			{
				number: 'FS 102/11/2026',
				clientCode: 'K-ŻÓŁW',
				issueDate: '2026-11-28',
				currency: 'PLN',
				totals: { net: '0.01', vat: '0.00', gross: '0.01' },
			},
		]);
	});
});

describe('Subiekt SQL mapping: values', () => {
	it('money arrives as number or string and keeps 4 decimals exactly', () => {
		expect(sqlMoney(12.3457)).toBe('12.3457');
		expect(sqlMoney('12.3457')).toBe('12.3457');
		expect(sqlMoney(0.1)).toBe('0.1000');
		expect(sqlMoney(922337203685477.5807)).toBe('922337203685477.6000'); // beyond double precision: the driver already lost it
		expect(sqlMoney('922337203685477.5807')).toBe('922337203685477.5807');
		expect(sqlMoney(1.00005, 4)).toBe('1.0001');
		expect(sqlMoney(null)).toBeUndefined();
		expect(() => sqlMoney('1 234,56')).toThrow(SqlMappingError);
	});

	it('datetimes: Subiekt wall clock with the Europe/Warsaw offset (winter +01:00, summer +02:00)', () => {
		expect(sqlDateTime(new Date('2026-01-10T12:00:00Z'))).toBe('2026-01-10T12:00:00+01:00');
		expect(sqlDateTime('2026-07-10T12:00:00.000Z')).toBe('2026-07-10T12:00:00+02:00');
		expect(sqlDateTime(null)).toBeUndefined();
	});

	it('VAT: unknown negative-rate markers are refused, not turned into 0 %', () => {
		expect(vatFromRow({ vat_Symbol: 'np', vat_Stawka: 0 })).toBe('np');
		expect(vatFromRow({ vat_Symbol: 'oo', vat_Stawka: 0 })).toBe('oo');
		expect(vatFromRow({ vat_Symbol: '0', vat_Stawka: 0 })).toBe('0');
		expect(vatFromRow({ vat_Symbol: '5', vat_Stawka: '5.0000' })).toBe('5');
		expect(() => vatFromRow({ vat_Symbol: 'ex', vat_Stawka: -2 })).toThrow(/no canonical equivalent/);
		expect(() => vatFromRow({ vat_Symbol: null, vat_Stawka: null })).toThrow(/no sales VAT rate/);
	});

	it('a row without its key column is an error naming the column', () => {
		expect(() => rowToProduct({ tw_Symbol: '  ', tw_Nazwa: 'x', vat_Stawka: 23 })).toThrow(/tw_Symbol is empty/);
		expect(() => rowToStock({ tw_Symbol: 'A', st_Stan: 1, st_StanRez: 0 })).toThrow(/mag_Symbol is empty/);
	});
});
