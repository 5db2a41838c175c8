/**
 * EDI++ (.epp) record layouts: THE one table of field positions. Parser, writer and canonical mapping
 * read positions from here only (no magic indexes elsewhere).
 *
 * Source (verified): InsERT "Komunikacja – Struktura danych EDI++" (format 1.05, 1.05.1, 1.05.3;
 * J. Kolasa, P. Halama), public copy: Tabela 2 [INFO] (24 fields), Tabela 3 document header (62),
 * Tabela 7 document positions (22), Tabela 8 extra correction fields (9), Tabela 10 KONTRAHENCI (30),
 * Tabela 13 TOWARY (42), Tabela 14 CENNIK (7), §1.5 VAT symbols and rates, §1.6 value formats.
 * Cross-checked against a public replica of a Subiekt GT export (INFO + "PA" header + TOWARY/CENNIK
 * lines written by a PHP generator): same field counts, booleans 0/1, empty fields written as nothing.
 *
 * NOT verified (assumed, marked `verified: false`): the 31st KONTRAHENCI field of format 1.11 — no
 * public 1.11 specification was found; it is carried as opaque text so files round-trip.
 *
 * Positions in the spec are 1-based; `pos` below is the 1-based spec number, `idx()` gives the array index.
 */

/** t text (quoted when non-empty), i integer/byte/long, b boolean 0/1, d date yyyymmddhhnnss, a amount (".", 4 places) */
export type EppFieldType = 't' | 'i' | 'b' | 'd' | 'a';

export interface EppFieldDef {
	pos: number;
	key: string;
	type: EppFieldType;
	verified: boolean;
}

function table(spec: Array<[string, EppFieldType]>, verified = true): EppFieldDef[] {
	return spec.map(([key, type], i) => ({ pos: i + 1, key, type, verified }));
}

export const INFO_FIELDS = table([
	['version', 't'], ['purpose', 'i'], ['codePage', 'i'], ['program', 't'], ['senderId', 't'],
	['senderShortName', 't'], ['senderName', 't'], ['senderCity', 't'], ['senderPostalCode', 't'], ['senderStreet', 't'],
	['senderNip', 't'], ['warehouseCode', 't'], ['warehouseName', 't'], ['warehouseDescription', 't'], ['warehouseAnalytics', 't'],
	['hasPeriod', 'b'], ['periodFrom', 'd'], ['periodTo', 'd'], ['madeBy', 't'], ['madeAt', 'd'],
	['country', 't'], ['euPrefix', 't'], ['euVatId', 't'], ['senderIsEu', 'b'],
]);

export const DOC_HEADER_FIELDS = table([
	['type', 't'], ['status', 'i'], ['fiscalStatus', 'i'], ['number', 'i'], ['supplierNumber', 't'],
	['numberSuffix', 't'], ['fullNumber', 't'], ['correctedNumber', 't'], ['correctedDate', 'd'], ['orderNumber', 't'],
	['targetWarehouse', 't'], ['clientCode', 't'], ['clientShortName', 't'], ['clientName', 't'], ['clientCity', 't'],
	['clientPostalCode', 't'], ['clientStreet', 't'], ['clientNip', 't'], ['category', 't'], ['categorySubtitle', 't'],
	['place', 't'], ['issueDate', 'd'], ['saleDate', 'd'], ['receiveDate', 'd'], ['lineCount', 'i'],
	['netPricing', 'b'], ['priceName', 't'], ['net', 'a'], ['vat', 'a'], ['gross', 'a'],
	['cost', 'a'], ['discountName', 't'], ['discountPercent', 'a'], ['paymentMethod', 't'], ['paymentDue', 'd'],
	['paidOnReceipt', 'a'], ['toPay', 'a'], ['roundingToPay', 'i'], ['roundingVat', 'i'], ['autoRecalculate', 'b'],
	['extendedStatus', 'i'], ['issuedBy', 't'], ['receivedBy', 't'], ['issueBasis', 't'], ['packagingOut', 'a'],
	['packagingIn', 'a'], ['currency', 't'], ['exchangeRate', 'a'], ['remarks', 't'], ['comment', 't'],
	['subtitle', 't'], ['unused52', 't'], ['importFlags', 'i'], ['exportDocument', 'b'], ['transactionKind', 'i'],
	['cardPaymentName', 't'], ['cardPaymentAmount', 'a'], ['creditPaymentName', 't'], ['creditPaymentAmount', 'a'], ['clientCountry', 't'],
	['clientEuPrefix', 't'], ['clientIsEu', 'b'],
]);

export const DOC_LINE_FIELDS = table([
	['lineNo', 'i'], ['itemType', 'i'], ['productCode', 't'], ['discountIsPercent', 'b'], ['discountFromPrice', 'b'],
	['discountCumulated', 'b'], ['discountBlocked', 'b'], ['discountValue', 'a'], ['discountPercent', 'a'], ['unit', 't'],
	['quantity', 'a'], ['quantityStockUnit', 'a'], ['stockPrice', 'a'], ['netPrice', 'a'], ['grossPrice', 'a'],
	['vatPercent', 'a'], ['netValue', 'a'], ['vatValue', 'a'], ['grossValue', 'a'], ['cost', 'a'],
	['serviceDescription', 't'], ['serviceName', 't'],
]);

/** Tabela 8: appended to DOC_LINE_FIELDS on correction documents (KFZ, KFS, KRZ, KRS). */
export const DOC_LINE_CORRECTION_FIELDS = table([
	['beforePrice1', 'a'], ['beforePrice2', 'a'], ['beforeVatPercent', 'a'], ['beforeQuantity', 'a'], ['beforeUnit', 't'],
	['beforeDiscount', 'a'], ['beforeNetValue', 'a'], ['beforeVatValue', 'a'], ['beforeGrossValue', 'a'],
]).map((f) => ({ ...f, pos: f.pos + 22 }));

export const TOWARY_FIELDS = table([
	['itemType', 'i'], ['symbol', 't'], ['supplierCode', 't'], ['barcode', 't'], ['name', 't'],
	['description', 't'], ['fiscalName', 't'], ['sww', 't'], ['pkwiu', 't'], ['unit', 't'],
	['vatSymbol', 't'], ['vatRate', 'a'], ['purchaseVatSymbol', 't'], ['purchaseVatRate', 'a'], ['lastPurchaseNet', 'a'],
	['purchasePriceCurrency', 'a'], ['purchaseUnit', 't'], ['purchaseRateKind', 'i'], ['currency', 't'], ['packagingCode', 't'],
	['minStockUnit', 't'], ['minStock', 'a'], ['avgDeliveryDays', 'i'], ['supplierId', 't'], ['expiryDate', 'd'],
	['expiryDays', 'i'], ['volumeUnit', 't'], ['volume', 'a'], ['manHours', 'a'], ['manHoursKind', 't'],
	['openPrice', 'b'], ['remarks', 't'], ['priceBasis', 'i'], ['weighed', 'b'], ['user1', 't'],
	['user2', 't'], ['user3', 't'], ['user4', 't'], ['user5', 't'], ['user6', 't'],
	['user7', 't'], ['user8', 't'],
]);

export const CENNIK_FIELDS = table([
	['symbol', 't'], ['priceName', 't'], ['net', 'a'], ['gross', 'a'], ['markupPercent', 'a'], ['marginPercent', 'a'], ['profit', 'a'],
]);

export const KONTRAHENCI_FIELDS_105 = table([
	['clientType', 'i'], ['symbol', 't'], ['shortName', 't'], ['name', 't'], ['city', 't'],
	['postalCode', 't'], ['street', 't'], ['nip', 't'], ['regon', 't'], ['phone', 't'],
	['fax', 't'], ['telex', 't'], ['email', 't'], ['www', 't'], ['contactPerson', 't'],
	['supplierAnalytics', 't'], ['clientAnalytics', 't'], ['user1', 't'], ['user2', 't'], ['user3', 't'],
	['user4', 't'], ['user5', 't'], ['user6', 't'], ['user7', 't'], ['user8', 't'],
	['bankName', 't'], ['bankAccount', 't'], ['country', 't'], ['euPrefix', 't'], ['isEu', 'b'],
]);

/** Format 1.11: 31 fields per erp-facts §4; the 31st is NOT verified (no public 1.11 spec found). */
export const KONTRAHENCI_FIELDS_111: EppFieldDef[] = [
	...KONTRAHENCI_FIELDS_105,
	{ pos: 31, key: 'extra111', type: 't', verified: false },
];

/** Document types of Tabela 3 (all share the 62-field header and 22-field positions). */
export const DOCUMENT_TYPES = [
	'FZ', 'FR', 'FS', 'RZ', 'RS', 'KFZ', 'KFS', 'KRZ', 'KRS', 'MMW', 'PZ', 'WZ', 'VPZ', 'VWZ', 'PW', 'RW', 'ZW',
	'ZD', 'ZK', 'PA', 'FWN', 'FWO', 'KWN', 'KWO', 'FM',
] as const;
export const CORRECTION_TYPES = ['KFZ', 'KFS', 'KRZ', 'KRS'];

/** Master-data sections this module reads and writes (others, e.g. GRUPYTOWAROW, are skipped with a warning). */
export const MASTER_SECTIONS = ['TOWARY', 'CENNIK', 'KONTRAHENCI'] as const;

/** VAT symbols with no percentage and the negative "rate" EDI++ transmits for them (§1.5). */
export const EPP_VAT_SPECIAL: Record<string, string> = { zw: '-1', ex: '-2', ue: '-3', npo: '-4', oo: '-5' };

/** key → 0-based array index, for one table. */
export function indexOf(fields: EppFieldDef[], key: string): number {
	const f = fields.find((d) => d.key === key);
	if (!f) throw new Error(`EDI++ field table has no field "${key}"`);
	return f.pos - 1;
}

/** All keys of a table → 0-based index, typed by key. */
export function indexMap<K extends string>(fields: EppFieldDef[]): Record<K, number> {
	const out: Record<string, number> = {};
	for (const f of fields) out[f.key] = f.pos - 1;
	return out as Record<K, number>;
}
