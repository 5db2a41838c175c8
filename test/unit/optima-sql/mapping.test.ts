/** nodes/Optima/mapping.ts: Optima rows (as mssql returns them) → canonical records, and the Rab_Typ table. */
import {
	applicableDiscount,
	clientPriceList,
	DEFAULT_DISCOUNT_TYPES,
	discounted,
	discountToPrice,
	optimaVat,
	orderClientProblem,
	orderProductProblem,
	parseDiscountTypes,
	rowToClient,
	rowToDiscount,
	rowToInvoice,
	rowToListPrice,
	rowToOrderStatus,
	rowToProduct,
	rowToStock,
	selectPriceLists,
	type Discount,
} from '../../../nodes/Optima/mapping';

const wall = (s: string) => new Date(`${s.replace(' ', 'T')}Z`);
const TYPES = parseDiscountTypes(DEFAULT_DISCOUNT_TYPES);
const DEFS = [
	{ id: 101, name: 'zakupu', lp: 1, gross: false },
	{ id: 102, name: 'hurtowa 1', lp: 2, gross: false },
	{ id: 105, name: 'detaliczna', lp: 5, gross: true },
];

describe('Optima mapping › products and VAT', () => {
	it('Twr_Flaga 1 = zw, 4 = np, else Twr_Stawka; Twr_NieAktywny → not active; TS_Mod in Warsaw time', () => {
		expect(optimaVat({ Twr_Flaga: 2, Twr_Stawka: 23 })).toBe('23');
		expect(optimaVat({ Twr_Flaga: 2, Twr_Stawka: '8.00' })).toBe('8');
		expect(optimaVat({ Twr_Flaga: 1, Twr_Stawka: 0 })).toBe('zw');
		expect(optimaVat({ Twr_Flaga: 4, Twr_Stawka: 0 })).toBe('np');
		expect(() => optimaVat({ Twr_Flaga: 2, Twr_Stawka: null })).toThrow(/Twr_Stawka/);
		expect(
			rowToProduct({
				Twr_Kod: 'ŁÓD-001 ',
				Twr_Nazwa: 'Łódka',
				Twr_JM: '',
				Twr_NieAktywny: 1,
				Twr_Flaga: 2,
				Twr_Stawka: 23,
				Twr_EAN: null,
				Twr_TS_Mod: wall('2026-07-01 10:00:00'),
			}),
		).toEqual({
			code: 'ŁÓD-001',
			name: 'Łódka',
			unit: 'szt.',
			vatRate: '23',
			active: false,
			updatedAt: '2026-07-01T10:00:00+02:00',
		});
	});
});

describe('Optima mapping › prices', () => {
	it('price lists by name (any case) or Lp; empty = all but the purchase price; unknown = error', () => {
		expect([...selectPriceLists('', DEFS)]).toEqual([2, 5]);
		expect([...selectPriceLists('HURTOWA 1; 1', DEFS)]).toEqual([2, 1]);
		expect(() => selectPriceLists('hurtowa 7', DEFS)).toThrow(/"hurtowa 7" is not in CDN.DefCeny/);
	});

	it('DfC_Typ 2 = gross, else net; money kept to 4 places', () => {
		const row = {
			Twr_Kod: 'A',
			Twr_Flaga: 2,
			Twr_Stawka: 23,
			TwC_Wartosc: 12.3457,
			TwC_Waluta: 'pln',
			DfC_Nazwa: 'detaliczna',
			DfC_Lp: 5,
		};
		expect(rowToListPrice({ ...row, DfC_Typ: 2 })).toEqual({
			productCode: 'A',
			scope: 'priceList',
			scopeCode: 'detaliczna',
			currency: 'PLN',
			vatRate: '23',
			gross: '12.3457',
		});
		expect(rowToListPrice({ ...row, DfC_Typ: 1 }, { priceDecimals: 2 })?.net).toBe('12.35');
		expect(rowToListPrice({ ...row, TwC_Wartosc: null, DfC_Typ: 1 })).toBeUndefined();
	});
});

describe('Optima mapping › discounts (Rab_Typ table)', () => {
	const row = (over: Record<string, unknown>) => ({
		Rab_RabId: 1,
		Rab_Typ: 2,
		Rab_PodmiotId: 7,
		Rab_TwrId: null,
		Rab_Rabat: 5,
		Rab_Cena: null,
		Rab_Waluta: null,
		Rab_DataOd: wall('2026-01-01 00:00:00'),
		Rab_DataDo: null,
		...over,
	});

	it('the default table is the research reading; a malformed entry is refused', () => {
		expect(TYPES.get(2)).toEqual({ who: 'client', what: 'all' });
		expect(TYPES.get(3)).toEqual({ who: 'group', what: 'productGroup' });
		expect(TYPES.get(5)).toEqual({ who: 'client', what: 'productGroup' });
		expect(TYPES.get(12)).toEqual({ who: 'group', what: 'all' });
		expect([1, 6, 13].map((t) => TYPES.get(t))).toEqual(Array(3).fill({ who: 'client', what: 'product' }));
		expect(() => parseDiscountTypes('2=klient/all')).toThrow(/must look like "2=client\/all"/);
	});

	it('percent, fixed price (Rab_Rabat 0 + Rab_Cena), unknown type and a no-op row', () => {
		expect(rowToDiscount(row({}), TYPES)).toMatchObject({
			who: 'client',
			what: 'all',
			percent: '5',
			subjectId: 7,
			validFrom: '2026-01-01',
		});
		expect(rowToDiscount(row({ Rab_Typ: 1, Rab_TwrId: 3, Rab_Rabat: 0, Rab_Cena: 9.99 }), TYPES)).toMatchObject({
			what: 'product',
			goodsId: 3,
			fixedPrice: '9.9900',
			currency: 'PLN',
		});
		expect(rowToDiscount(row({ Rab_Typ: 99 }), TYPES)).toBeUndefined();
		expect(rowToDiscount(row({ Rab_Rabat: 0 }), TYPES)).toBeUndefined();
	});

	it('precedence: a fixed price, then the client over a group over everyone, then the narrowest goods', () => {
		const d = (id: number, over: Partial<Discount>): Discount => ({
			id,
			typ: 1,
			who: 'client',
			what: 'all',
			currency: 'PLN',
			percent: '1',
			...over,
		});
		const list = [
			d(1, { who: 'all', what: 'product', goodsId: 5, percent: '9' }),
			d(2, { who: 'client', subjectId: 7, what: 'all', percent: '5' }),
			d(3, { who: 'client', subjectId: 7, what: 'productGroup', goodsId: 20, percent: '7' }),
			d(4, { who: 'client', subjectId: 8, what: 'product', goodsId: 5, percent: '50' }),
		];
		expect(applicableDiscount(list, { id: 7 }, { id: 5, groupId: 20 })?.id).toBe(3);
		expect(applicableDiscount(list, { id: 7 }, { id: 5, groupId: 21 })?.id).toBe(2);
		expect(applicableDiscount(list, { id: 9 }, { id: 5 })?.id).toBe(1);
		const fixed = [...list, d(5, { who: 'group', subjectId: 3, what: 'all', percent: undefined, fixedPrice: '1.00' })];
		expect(applicableDiscount(fixed, { id: 7, groupId: 3 }, { id: 5 })?.id).toBe(5);
		expect(applicableDiscount(fixed, { id: 7 }, { id: 5 })?.id).toBe(2);
	});

	it('discounted prices: percent of the base, half up; fixed = net', () => {
		expect(discounted({ price: '39.90', gross: false }, { percent: '5' } as Discount, 4)).toEqual({
			price: '37.9050',
			gross: false,
		});
		expect(discounted({ price: '39.90', gross: true }, { percent: '12.5' } as Discount, 2)).toEqual({
			price: '34.91',
			gross: true,
		});
		expect(discounted({ price: '39.90', gross: true }, { fixedPrice: '13.5' } as Discount, 4)).toEqual({
			price: '13.5000',
			gross: false,
		});
		const base = {
			productCode: 'A',
			scope: 'priceList' as const,
			scopeCode: 'detaliczna',
			currency: 'PLN',
			gross: '100.0000',
			vatRate: '23',
		};
		expect(
			discountToPrice(
				{
					id: 1,
					typ: 12,
					who: 'group',
					what: 'all',
					currency: 'PLN',
					percent: '3',
					subjectId: 7,
					validTo: '2099-12-31',
				},
				'A',
				'7',
				base,
			),
		).toEqual({
			productCode: 'A',
			scope: 'clientGroup',
			scopeCode: '7',
			currency: 'PLN',
			gross: '97.0000',
			vatRate: '23',
			validTo: '2099-12-31',
		});
		expect(
			discountToPrice(
				{ id: 1, typ: 2, who: 'client', what: 'all', currency: 'PLN', percent: '3' },
				'A',
				'K',
				undefined,
			),
		).toBeUndefined();
	});
});

describe('Optima mapping › stock, clients, order check', () => {
	it('MagId NULL = the total; available = on hand − reserved, never below 0 (kept in _belowZero)', () => {
		expect(
			rowToStock({
				Twr_Kod: 'A',
				TwI_MagId: null,
				Mag_Symbol: null,
				TwI_Ilosc: 3,
				TwI_Rezerwacje: 5,
				TwI_Zamowienia: 1.5,
			}),
		).toEqual({
			productCode: 'A',
			warehouseCode: 'total',
			onHand: '3',
			reserved: '5',
			available: '0',
			incoming: '1.5',
			_belowZero: { available: '-2' },
		});
		expect(() => rowToStock({ Twr_Kod: 'A', TwI_MagId: 3, Mag_Symbol: null, TwI_Ilosc: 1, TwI_Rezerwacje: 0 })).toThrow(
			/Mag_Symbol/,
		);
	});

	it('Knt_Ceny read as an id or a Lp; address only when complete; a country name → the default country', () => {
		const row = {
			Knt_Kod: 'K',
			Knt_Nazwa1: 'Żabka',
			Knt_Nazwa2: 'Sp. z o.o.',
			Knt_Nieaktywny: 0,
			Knt_Ceny: 3,
			CenyId_Nazwa: null,
			CenyId_Lp: null,
			CenyLp_Nazwa: 'hurtowa 2',
			CenyLp_Lp: 3,
			Knt_Ulica: 'Długa',
			Knt_NrDomu: '1',
			Knt_KodPocztowy: '00-001',
			Knt_Miasto: 'Warszawa',
			Knt_Kraj: 'Polska',
		};
		expect(clientPriceList(row, 'id')).toBeUndefined();
		expect(clientPriceList(row, 'lp')).toEqual({ name: 'hurtowa 2', lp: 3 });
		expect(rowToClient(row, { clientPriceKey: 'lp', defaultCountry: 'pl' })).toMatchObject({
			name: 'Żabka Sp. z o.o.',
			priceListCode: 'hurtowa 2',
			addresses: [{ street: 'Długa 1', countryCode: 'PL' }],
		});
		expect(rowToClient({ ...row, Knt_Miasto: null }).addresses).toEqual([]);
	});

	it('order check problems: none = missing, Nieaktywny = inactive', () => {
		expect(orderClientProblem(undefined)).toBe('missing');
		expect(orderClientProblem({ Knt_Nieaktywny: 1 })).toBe('inactive');
		expect(orderClientProblem({ Knt_Nieaktywny: 0 })).toBeUndefined();
		expect(orderProductProblem({ Twr_NieAktywny: true })).toBe('inactive');
	});
});

describe('Optima mapping › order status and invoices', () => {
	const ro = {
		TrN_NumerObcy: 'B2B/1',
		TrN_NumerPelny: 'RO/1/2026',
		TrN_Bufor: 0,
		TrN_Anulowany: 0,
		TrN_TS_Mod: wall('2026-03-10 09:00:00'),
		WZ_TrNID: null,
		FS_TrNID: null,
	};
	it('cancelled > invoiced > shipped > placed (buffer) > confirmed; changedAt = the newest TS_Mod', () => {
		expect(rowToOrderStatus(ro)).toEqual({
			orderNumber: 'B2B/1',
			status: 'confirmed',
			erpDocumentNumber: 'RO/1/2026',
			changedAt: '2026-03-10T09:00:00+01:00',
		});
		expect(rowToOrderStatus({ ...ro, TrN_Bufor: 1 }).status).toBe('placed');
		const wz = { ...ro, WZ_TrNID: 2, WZ_NumerPelny: 'WZ/1/2026', WZ_TS_Mod: wall('2026-03-11 10:00:00') };
		expect(rowToOrderStatus(wz)).toMatchObject({
			status: 'shipped',
			deliveryNumber: 'WZ/1/2026',
			changedAt: '2026-03-11T10:00:00+01:00',
		});
		const fs = { ...wz, FS_TrNID: 3, FS_NumerPelny: 'FS/1/2026', FS_TS_Mod: wall('2026-03-12 11:00:00') };
		expect(rowToOrderStatus(fs)).toMatchObject({ status: 'invoiced', invoiceNumber: 'FS/1/2026' });
		expect(rowToOrderStatus({ ...fs, TrN_Anulowany: 1 })).toMatchObject({
			status: 'cancelled',
			reason: expect.stringContaining('RO/1/2026'),
		});
	});

	it('invoice totals rounded, VAT = gross − net, the RO foreign number as order number', () => {
		expect(
			rowToInvoice(
				{
					TrN_TrNID: 4711,
					TrN_NumerPelny: 'FS/1',
					TrN_DataWys: wall('2026-03-12 00:00:00'),
					TrN_RazemNetto: 100.005,
					TrN_RazemBrutto: 123.0061,
					Knt_Kod: 'K',
					RO_NumerObcy: 'B2B/1',
				},
				[],
			),
		).toEqual({
			number: 'FS/1',
			invoiceId: '4711',
			clientCode: 'K',
			issueDate: '2026-03-12',
			currency: 'PLN',
			totals: { net: '100.01', vat: '23.00', gross: '123.01' },
			lines: [],
			orderNumber: 'B2B/1',
		});
	});

	it('an invoice without its TrN_TrNID is an error naming it (its PDF could not be asked for)', () => {
		expect(() =>
			rowToInvoice({ TrN_NumerPelny: 'FS/2', TrN_DataWys: wall('2026-03-12 00:00:00'), Knt_Kod: 'K' }, []),
		).toThrow('invoice FS/2: column TrN_TrNID is empty');
	});
});
