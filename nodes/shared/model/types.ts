/**
 * The canonical model: the one shape every ERP node produces or consumes and the portal contract
 * (docs/portal-api.yaml) carries. The ERP's product code (`productCode` / `code`) is the key
 * everywhere; there are no parallel codes.
 *
 * Money: decimal strings ("1234.50"), never binary floats; amounts are rounded half-up to the grosz
 * (2 places) unless a node is configured otherwise. Unit prices may carry up to 4 places (as ERPs
 * store them). Quantities: decimal strings too, up to 4 places (kg, m, litres).
 * Dates: ISO 8601 (`2026-11-26` for dates, `2026-11-26T10:15:00Z` for instants).
 */

/** Polish VAT: a percentage ("23", "8", "5", "0") or a marker with no rate. */
export type VatRate = string;

export type PriceScope = 'priceList' | 'clientGroup' | 'client';

export type OrderStatusCode = 'placed' | 'confirmed' | 'shipped' | 'invoiced' | 'cancelled' | 'rejected';

export interface Product {
	/** ERP product code (SAP ItemCode, Subiekt tw_Symbol, Optima Twr_Kod): the key */
	code: string;
	name: string;
	description?: string;
	ean?: string;
	unit: string;
	vatRate: VatRate;
	active: boolean;
	attributes?: Record<string, string>;
	updatedAt?: string;
}

/** A partial update (PATCH /v1/products/batch): the code and only the fields to change, e.g. `{code, active: false}`. */
export type ProductPatch = Pick<Product, 'code'> & Partial<Omit<Product, 'code'>>;

export interface ProductImage {
	productCode: string;
	/** 0 = main image */
	position: number;
	fileName: string;
	contentType: string;
	/** either a URL the portal downloads, or the image bytes in base64 */
	url?: string;
	dataBase64?: string;
	/** SHA-256 (hex) of the image bytes: lets the Delta guard see a replaced picture without holding its bytes */
	contentHash?: string;
}

export interface Price {
	productCode: string;
	scope: PriceScope;
	/** price list code / client group code / client ERP code, by scope */
	scopeCode: string;
	currency: string;
	net?: string;
	gross?: string;
	vatRate?: VatRate;
	/** quantity from which this price applies (quantity breaks), default "1" */
	minQuantity?: string;
	validFrom?: string;
	validTo?: string;
}

/** The key of one price (POST /v1/prices/batch/delete): minQuantity absent = "1", validFrom absent = open start. */
export type PriceKey = Pick<Price, 'productCode' | 'scope' | 'scopeCode' | 'currency' | 'minQuantity' | 'validFrom'>;

export interface StockLevel {
	productCode: string;
	warehouseCode: string;
	onHand: string;
	reserved: string;
	available: string;
	/** ordered from suppliers, not yet received (SAP Ordered); informational */
	incoming?: string;
	updatedAt?: string;
}

export interface Address {
	type: 'billing' | 'shipping';
	name?: string;
	street: string;
	postalCode: string;
	city: string;
	countryCode: string;
}

export interface Client {
	/** ERP client code (SAP CardCode, Subiekt kh_Symbol) */
	code: string;
	name: string;
	/** NIP for Polish companies (10 digits), or a foreign VAT id with its country prefix */
	taxId?: string;
	email?: string;
	phone?: string;
	priceGroup?: string;
	priceListCode?: string;
	paymentTermsDays?: number;
	paymentMethod?: string;
	creditLimit?: string;
	currency?: string;
	blocked: boolean;
	addresses: Address[];
}

/** A partial update (PATCH /v1/clients/batch): the code and only the fields to change, e.g. `{code, blocked: true}`. */
export type ClientPatch = Pick<Client, 'code'> & Partial<Omit<Client, 'code'>>;

export interface OrderLine {
	lineNo: number;
	productCode: string;
	quantity: string;
	unit?: string;
	/** net or gross by the order's priceType */
	unitPrice: string;
	vatRate: VatRate;
	discountPercent?: string;
	warehouseCode?: string;
}

export interface Order {
	/** the portal's order number: sent to the ERP as the customer reference (SAP NumAtCard, Subiekt dok_NrPelnyOryg) */
	number: string;
	clientCode: string;
	placedAt: string;
	currency: string;
	priceType: 'net' | 'gross';
	lines: OrderLine[];
	totals?: { net: string; vat: string; gross: string };
	shippingAddress?: Address;
	notes?: string;
	status?: OrderStatusCode;
	erpDocumentNumber?: string;
	erpDocumentId?: string;
}

export interface OrderStatus {
	orderNumber: string;
	status: OrderStatusCode;
	/** required for rejected and cancelled */
	reason?: string;
	erpDocumentNumber?: string;
	trackingNumber?: string;
	changedAt: string;
}

export interface Invoice {
	number: string;
	orderNumber?: string;
	clientCode: string;
	issueDate: string;
	dueDate?: string;
	currency: string;
	totals: { net: string; vat: string; gross: string };
	/** name of the n8n binary property that holds the PDF (default "data"), file name FV_<number>.pdf */
	pdfBinaryProperty?: string;
}

export interface SyncStatus {
	flow: string;
	status: 'success' | 'failure';
	startedAt: string;
	finishedAt: string;
	counts?: Record<string, number>;
	/** expected interval in minutes, used by the watchdog */
	expectedEveryMinutes?: number;
	message?: string;
}

export type EntityName =
	| 'product'
	| 'productPatch'
	| 'productImage'
	| 'price'
	| 'priceKey'
	| 'stock'
	| 'client'
	| 'clientPatch'
	| 'order'
	| 'orderStatus'
	| 'invoice'
	| 'syncStatus';

export interface EntityMap {
	product: Product;
	productPatch: ProductPatch;
	productImage: ProductImage;
	price: Price;
	priceKey: PriceKey;
	stock: StockLevel;
	client: Client;
	clientPatch: ClientPatch;
	order: Order;
	orderStatus: OrderStatus;
	invoice: Invoice;
	syncStatus: SyncStatus;
}
