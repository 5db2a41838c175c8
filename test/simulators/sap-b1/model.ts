/**
 * Record types and entity schemas (field names and types follow the SL 1.27 metadata: Item, ItemPrice,
 * ItemWarehouseInfo, PriceList, SpecialPrice(+DataArea/QuantityArea), BusinessPartner, Warehouse,
 * Document/DocumentLine, StockTransfer/StockTransferLine). Only the fields a B2B sync touches are kept.
 *
 * Dates are held as 'YYYY-MM-DD' (server-local calendar date) and rendered per protocol version:
 * v1 "2026-11-26", v2 "2026-11-26T00:00:00Z". Times are "HH:MM:SS" strings.
 */

export type YesNo = 'tYES' | 'tNO';
export type FieldType = 'string' | 'number' | 'date' | 'time' | 'collection';

export interface Schema {
	/** entity set, e.g. 'Items' */
	set: string;
	/** entity type used in messages, e.g. 'Item' */
	type: string;
	keys: { name: string; type: 'string' | 'number' }[];
	fields: Record<string, FieldType>;
}

/** property names that hold dates, in any entity or nested collection */
export const DATE_FIELDS = new Set([
	'DocDate',
	'DocDueDate',
	'TaxDate',
	'CreationDate',
	'UpdateDate',
	'CreateDate',
	'CancelDate',
	'ClosingDate',
	'DueDate',
	'ValidFrom',
	'ValidTo',
	'FrozenFrom',
	'FrozenTo',
	'DateFrom',
	'Dateto',
	'ShipDate',
]);

/** compact storage of an item (100,000 of them must stay light); the SAP entity is built on read */
export interface ItemRec {
	ItemCode: string;
	ItemName: string;
	ForeignName: string | null;
	ItemsGroupCode: number;
	BarCode: string | null;
	SalesVATGroup: string;
	SalesUnit: string;
	Mainsupplier: string | null;
	DefaultWarehouse: string;
	Valid: YesNo;
	Frozen: YesNo;
	/** 'tNO' = not a sales item: SAP refuses it on a sales order (absent = 'tYES') */
	SalesItem?: YesNo;
	CreateDate: string;
	CreateTime: string;
	UpdateDate: string;
	UpdateTime: string;
	/** price in grosze per price list (index = position in state.priceListOrder); -1 = derived from the list's base list and factor */
	prices: number[];
	/** per warehouse index: [InStock, Committed, Ordered] × warehouses */
	stock: number[];
	/** warehouse indexes where the item is locked (ItemWarehouseInfo.Locked = tYES) */
	locked?: number[];
	/** Items.Picture: a file name in the company's pictures folder (state.picturesFolder), not the bytes */
	Picture?: string | null;
}

export interface Warehouse {
	WarehouseCode: string;
	WarehouseName: string;
	Street: string;
	ZipCode: string;
	City: string;
	Country: string;
	Inactive: YesNo;
	Nettable: YesNo;
	DropShip: YesNo;
}

export interface PriceList {
	PriceListNo: number;
	PriceListName: string;
	BasePriceList: number;
	Factor: number;
	RoundingMethod: string;
	GroupNum: string;
	IsGrossPrice: YesNo;
	Active: YesNo;
	ValidFrom: string | null;
	ValidTo: string | null;
	DefaultPrimeCurrency: string;
	DefaultAdditionalCurrency1: string | null;
	DefaultAdditionalCurrency2: string | null;
	FixedAmount: number;
}

export interface SpecialPriceQuantityArea {
	Quantity: number;
	SPDARowNumber: number;
	SpecialPrice: number;
	ItemNo: string;
	BPCode: string;
	RowNumber: number;
	PriceCurrency: string;
	Discountin: number;
	UoMEntry: number | null;
}

export interface SpecialPriceDataArea {
	PriceCurrency: string;
	AutoUpdate: YesNo;
	Dateto: string | null;
	Discount: number;
	SpecialPrice: number;
	DateFrom: string | null;
	BPCode: string;
	PriceListNo: number;
	ItemNo: string;
	RowNumber: number;
	SpecialPriceQuantityAreas: SpecialPriceQuantityArea[];
}

export interface SpecialPrice {
	ItemCode: string;
	/** a BP code, or '*N' = every BP on price list N */
	CardCode: string;
	Price: number;
	Currency: string;
	DiscountPercent: number;
	PriceListNum: number;
	AutoUpdate: YesNo;
	SourcePrice: string;
	Valid: YesNo;
	ValidFrom: string | null;
	ValidTo: string | null;
	SpecialPriceDataAreas: SpecialPriceDataArea[];
}

export type CardType = 'cCustomer' | 'cSupplier' | 'cLid';

export interface BPAddress {
	AddressName: string;
	Street: string;
	Block: string | null;
	ZipCode: string;
	City: string;
	County: string | null;
	Country: string;
	State: string | null;
	FederalTaxID: string | null;
	AddressType: 'bo_BillTo' | 'bo_ShipTo';
	StreetNo: string | null;
	BPCode: string;
	RowNum: number;
}

export interface ContactEmployee {
	CardCode: string;
	Name: string;
	Position: string | null;
	Phone1: string | null;
	MobilePhone: string | null;
	E_Mail: string | null;
	InternalCode: number;
	Active: YesNo;
	FirstName: string;
	LastName: string;
}

export interface BusinessPartner {
	CardCode: string;
	CardName: string;
	CardType: CardType;
	GroupCode: number;
	Address: string;
	ZipCode: string;
	City: string;
	Country: string;
	Phone1: string | null;
	EmailAddress: string | null;
	FederalTaxID: string | null;
	PriceListNum: number;
	Currency: string;
	PayTermsGrpCode: number;
	CreditLimit: number;
	DiscountPercent: number;
	Valid: YesNo;
	Frozen: YesNo;
	CreateDate: string;
	CreateTime: string;
	UpdateDate: string;
	UpdateTime: string;
	BPAddresses: BPAddress[];
	ContactEmployees: ContactEmployee[];
}

export type DocStatus = 'bost_Open' | 'bost_Close' | 'bost_Paid' | 'bost_Delivered';

export interface DocumentLine {
	LineNum: number;
	ItemCode: string;
	ItemDescription: string;
	Quantity: number;
	ShipDate: string | null;
	Price: number;
	PriceAfterVAT: number;
	Currency: string;
	DiscountPercent: number;
	WarehouseCode: string;
	VatGroup: string | null;
	TaxCode: string | null;
	TaxPercentagePerRow: number;
	TaxTotal: number;
	LineTotal: number;
	GrossTotal: number;
	UnitPrice: number;
	LineStatus: 'bost_Open' | 'bost_Close';
	RemainingOpenQuantity: number;
	OpenAmount: number;
	BaseType: number;
	BaseEntry: number | null;
	BaseLine: number | null;
	UoMCode: string;
	/** StockTransferLines only */
	FromWarehouseCode?: string;
}

export interface Document {
	DocEntry: number;
	DocNum: number;
	DocType: 'dDocument_Items';
	DocDate: string;
	DocDueDate: string;
	TaxDate: string;
	CardCode: string | null;
	CardName: string | null;
	Address: string | null;
	NumAtCard: string | null;
	DocTotal: number;
	VatSum: number;
	DocCurrency: string;
	DocRate: number;
	Reference1: string;
	Comments: string | null;
	JournalMemo: string;
	DocTime: string;
	Series: number;
	DocObjectCode: string;
	PaidToDate: number;
	CreationDate: string;
	UpdateDate: string;
	UpdateTime: string;
	DocumentStatus: DocStatus;
	Cancelled: YesNo;
	CancelStatus: 'csNo' | 'csYes' | 'csCancellation';
	CancelDate: string | null;
	DocumentLines: DocumentLine[];
}

/** StockTransfers have their own shape: no UpdateTime (SL 1.27 metadata), lines in StockTransferLines */
export interface StockTransfer {
	DocEntry: number;
	DocNum: number;
	DocDate: string;
	DueDate: string;
	TaxDate: string;
	CardCode: string | null;
	CardName: string | null;
	Reference1: string;
	Comments: string | null;
	JournalMemo: string;
	FromWarehouse: string;
	ToWarehouse: string;
	Series: number;
	DocObjectCode: string;
	CreationDate: string;
	UpdateDate: string;
	DocumentStatus: DocStatus;
	StockTransferLines: {
		LineNum: number;
		DocEntry: number;
		ItemCode: string;
		ItemDescription: string;
		Quantity: number;
		Price: number;
		Currency: string;
		WarehouseCode: string;
		FromWarehouseCode: string;
		UoMCode: string;
		LineStatus: 'bost_Open' | 'bost_Close';
		BaseType: number;
		BaseEntry: number | null;
		BaseLine: number | null;
	}[];
}

/** document collections: set name → SAP object type, table names (for messages), DocObjectCode */
export const DOC_KINDS = {
	Orders: { objType: 17, table: 'ORDR', lines: 'RDR1', code: 'oOrders', memo: 'Zamówienie klienta', numStart: 200001 },
	DeliveryNotes: {
		objType: 15,
		table: 'ODLN',
		lines: 'DLN1',
		code: 'oDeliveryNotes',
		memo: 'Wydanie zewnętrzne',
		numStart: 300001,
	},
	Invoices: {
		objType: 13,
		table: 'OINV',
		lines: 'INV1',
		code: 'oInvoices',
		memo: 'Faktura sprzedaży',
		numStart: 400001,
	},
	InventoryGenEntries: {
		objType: 59,
		table: 'OIGN',
		lines: 'IGN1',
		code: 'oInventoryGenEntry',
		memo: 'Przyjęcie towaru',
		numStart: 500001,
	},
	InventoryGenExits: {
		objType: 60,
		table: 'OIGE',
		lines: 'IGE1',
		code: 'oInventoryGenExit',
		memo: 'Rozchód towaru',
		numStart: 600001,
	},
	StockTransfers: {
		objType: 67,
		table: 'OWTR',
		lines: 'WTR1',
		code: 'oStockTransfer',
		memo: 'Przesunięcie międzymagazynowe',
		numStart: 700001,
	},
	Drafts: { objType: 112, table: 'ODRF', lines: 'DRF1', code: 'oOrders', memo: 'Wersja robocza', numStart: 1 },
} as const;
export type DocKind = keyof typeof DOC_KINDS;

/** VAT groups of the simulated Polish company (code → rate in basis points) */
export const VAT_GROUPS: Record<string, number> = { S23: 2300, S8: 800, S5: 500, S0: 0, SZW: 0 };

const s = 'string' as const;
const n = 'number' as const;
const d = 'date' as const;
const t = 'time' as const;
const c = 'collection' as const;

// prettier-ignore
export const SCHEMAS: Record<string, Schema> = {
	Items: {
		set: 'Items',
		type: 'Item',
		keys: [{ name: 'ItemCode', type: 'string' }],
		fields: {
			ItemCode: s, ItemName: s, ForeignName: s, ItemsGroupCode: n, SalesVATGroup: s, BarCode: s,
			VatLiable: s, PurchaseItem: s, SalesItem: s, InventoryItem: s, Mainsupplier: s, QuantityOnStock: n,
			QuantityOrderedFromVendors: n, QuantityOrderedByCustomers: n, ManageStockByWarehouse: s, Valid: s,
			ValidFrom: d, ValidTo: d, Frozen: s, FrozenFrom: d, FrozenTo: d, SalesUnit: s, InventoryUOM: s,
			DefaultWarehouse: s, ItemType: s, CreateDate: d, CreateTime: t, UpdateDate: d, UpdateTime: t,
			Picture: s, ItemPrices: c, ItemWarehouseInfoCollection: c,
		},
	},
	PriceLists: {
		set: 'PriceLists',
		type: 'PriceList',
		keys: [{ name: 'PriceListNo', type: 'number' }],
		fields: {
			RoundingMethod: s, GroupNum: s, BasePriceList: n, Factor: n, PriceListNo: n, PriceListName: s,
			IsGrossPrice: s, Active: s, ValidFrom: d, ValidTo: d, DefaultPrimeCurrency: s,
			DefaultAdditionalCurrency1: s, DefaultAdditionalCurrency2: s, FixedAmount: n,
		},
	},
	SpecialPrices: {
		set: 'SpecialPrices',
		type: 'SpecialPrice',
		keys: [
			{ name: 'CardCode', type: 'string' },
			{ name: 'ItemCode', type: 'string' },
		],
		fields: {
			ItemCode: s, CardCode: s, Price: n, Currency: s, DiscountPercent: n, PriceListNum: n,
			AutoUpdate: s, SourcePrice: s, Valid: s, ValidFrom: d, ValidTo: d, SpecialPriceDataAreas: c,
		},
	},
	BusinessPartners: {
		set: 'BusinessPartners',
		type: 'BusinessPartner',
		keys: [{ name: 'CardCode', type: 'string' }],
		fields: {
			CardCode: s, CardName: s, CardType: s, GroupCode: n, Address: s, ZipCode: s, City: s, Country: s,
			Phone1: s, EmailAddress: s, FederalTaxID: s, PriceListNum: n, Currency: s, PayTermsGrpCode: n,
			CreditLimit: n, DiscountPercent: n, Valid: s, Frozen: s, CreateDate: d, CreateTime: t,
			UpdateDate: d, UpdateTime: t, BPAddresses: c, ContactEmployees: c,
		},
	},
	Warehouses: {
		set: 'Warehouses',
		type: 'Warehouse',
		keys: [{ name: 'WarehouseCode', type: 'string' }],
		fields: {
			WarehouseCode: s, WarehouseName: s, Street: s, ZipCode: s, City: s, Country: s, Inactive: s,
			Nettable: s, DropShip: s,
		},
	},
	StockTransfers: {
		set: 'StockTransfers',
		type: 'StockTransfer',
		keys: [{ name: 'DocEntry', type: 'number' }],
		fields: {
			DocEntry: n, DocNum: n, DocDate: d, DueDate: d, TaxDate: d, CardCode: s, CardName: s,
			Reference1: s, Comments: s, JournalMemo: s, FromWarehouse: s, ToWarehouse: s, Series: n,
			DocObjectCode: s, CreationDate: d, UpdateDate: d, DocumentStatus: s, StockTransferLines: c,
		},
	},
};

// prettier-ignore
const DOCUMENT_FIELDS: Record<string, FieldType> = {
	DocEntry: n, DocNum: n, DocType: s, DocDate: d, DocDueDate: d, TaxDate: d, CardCode: s,
	CardName: s, Address: s, NumAtCard: s, DocTotal: n, VatSum: n, DocCurrency: s, DocRate: n,
	Reference1: s, Comments: s, JournalMemo: s, DocTime: s, Series: n, DocObjectCode: s, PaidToDate: n,
	CreationDate: d, UpdateDate: d, UpdateTime: t, DocumentStatus: s, Cancelled: s, CancelStatus: s,
	CancelDate: d, DocumentLines: c,
};
for (const set of [
	'Orders',
	'DeliveryNotes',
	'Invoices',
	'InventoryGenEntries',
	'InventoryGenExits',
	'Drafts',
] as const)
	SCHEMAS[set] = { set, type: 'Document', keys: [{ name: 'DocEntry', type: 'number' }], fields: DOCUMENT_FIELDS };

/** DocumentLine properties (for body validation) */
export const DOCUMENT_LINE_FIELDS = new Set([
	'LineNum',
	'ItemCode',
	'ItemDescription',
	'Quantity',
	'ShipDate',
	'Price',
	'PriceAfterVAT',
	'Currency',
	'DiscountPercent',
	'WarehouseCode',
	'VatGroup',
	'TaxCode',
	'TaxPercentagePerRow',
	'TaxTotal',
	'LineTotal',
	'GrossTotal',
	'UnitPrice',
	'LineStatus',
	'RemainingOpenQuantity',
	'OpenAmount',
	'BaseType',
	'BaseEntry',
	'BaseLine',
	'UoMCode',
]);

export function spKey(cardCode: string, itemCode: string): string {
	return `${cardCode}\u0000${itemCode}`;
}

/** InStock (0), Committed (1) or Ordered (2) of an item in a warehouse (by index) */
export function stockAt(rec: ItemRec, wi: number, field: 0 | 1 | 2): number {
	return rec.stock[wi * 3 + field] ?? 0;
}
