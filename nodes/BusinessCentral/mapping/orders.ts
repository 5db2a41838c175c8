/**
 * Business Central's sales documents ⇄ the canonical model: the portal order → a salesOrders POST body, a sales
 * order with its shipments and invoices → the canonical order status, a posted sales invoice → the canonical
 * invoice. The only place of the order / invoice operations that knows BC's field names (research
 * erp-facts-wave2.md §1: salesOrders, salesOrderLines, salesShipments, salesInvoices).
 *
 * Status (the same codes as SAP's and enova's): BC's API shows "Draft" for an order still open for editing,
 * "In Review" for one waiting for approval, "Open" for a released one [S8]. Any of them → `confirmed`: the sales
 * order exists in BC (as SAP's open order and enova's ZO in Bufor), and the orders template confirmed the portal
 * order when it created it — `placed` would move that order back once BC touches it (a user edits the Draft, asks
 * for approval) and the 5-minute poll would take it up again. A posted shipment → `shipped`, a posted invoice (not
 * cancelled) → `invoiced`. BC deletes a sales order once it is fully shipped and invoiced: from then on only its
 * posted documents (orderNumber, externalDocumentNumber) tell its state, so the status reads them too.
 */
import type { IDataObject } from 'n8n-workflow';
import { roundDecimal, formatDecimal, subtractDecimal } from '../../shared/model/decimal';
import type { Invoice, Order, OrderStatusCode } from '../../shared/model/types';
import { bcEnum } from '../mapping';

/** BC's "no date" ("0001-01-01") → undefined; any other date as YYYY-MM-DD. */
export function bcDate(value: unknown): string | undefined {
	if (typeof value !== 'string' || !value || value.startsWith('0001-01-01')) return undefined;
	return value.slice(0, 10);
}

/** BC's enum values ("In_x0020_Review") → names: one reader for the whole node (mapping.ts). */
export { bcEnum };

/** BC's Code[35] External Document No.: the portal number must fit, or the idempotency key would be cut. */
export const MAX_EXTERNAL_DOCUMENT_NUMBER = 35;

export interface BcOrderOptions {
	/** send the portal's unit prices (true) or let BC price the lines (false) */
	sendPrices?: boolean;
	/** location code of every line (empty = the item's / customer's default) */
	locationCode?: string;
	/** days after the order date for requestedDeliveryDate (undefined = none) */
	deliveryInDays?: number;
}

/**
 * The body of POST salesOrders: the portal number in externalDocumentNumber, the customer by number, the lines
 * as Item lines in the same request (deep insert: one transaction, no half order when BC refuses a line).
 */
export function orderToBcSalesOrder(order: Order, opts: BcOrderOptions = {}): IDataObject {
	const date = order.placedAt.slice(0, 10);
	const body: IDataObject = {
		externalDocumentNumber: order.number,
		customerNumber: order.clientCode,
		orderDate: date,
		salesOrderLines: order.lines.map((line, n) => {
			const l: IDataObject = {
				sequence: (n + 1) * 10000,
				lineType: 'Item',
				lineObjectNumber: line.productCode,
				quantity: Number(line.quantity),
			};
			// with the portal's prices, the portal's discount too (0 when none): BC would otherwise add the line
			// discount of its price list line on top of a price that already has it taken off (mapping.ts)
			if (opts.sendPrices) {
				l.unitPrice = Number(line.unitPrice);
				l.discountPercent = Number(line.discountPercent ?? 0);
			} else if (line.discountPercent) l.discountPercent = Number(line.discountPercent);
			if (line.unit) l.unitOfMeasureCode = line.unit;
			return l;
		}),
	};
	if (order.currency && order.currency !== 'PLN') body.currencyCode = order.currency;
	if (opts.deliveryInDays !== undefined) {
		const due = new Date(`${date}T00:00:00Z`);
		due.setUTCDate(due.getUTCDate() + opts.deliveryInDays);
		body.requestedDeliveryDate = due.toISOString().slice(0, 10);
	}
	return body;
}

/** The posted documents of one portal order, matched by the portal number or the BC order number. */
export interface BcOrderDocuments {
	order?: IDataObject;
	shipments: IDataObject[];
	invoices: IDataObject[];
}

const liveInvoice = (inv: IDataObject) => !['Canceled', 'Corrective', 'Draft'].includes(bcEnum(inv.status));

/** Canonical status of a portal order from its BC sales order (if it still exists), shipments and invoices. */
export function bcOrderStatusOf(docs: BcOrderDocuments): OrderStatusCode | undefined {
	if (docs.invoices.some(liveInvoice)) return 'invoiced';
	if (docs.shipments.length || docs.order?.fullyShipped === true) return 'shipped';
	if (!docs.order) return undefined;
	return 'confirmed';
}

/** The status record of a portal order (the same fields as SAP's and enova's getStatus), undefined if BC has none. */
export function bcOrderStatusRecord(number: string, docs: BcOrderDocuments): IDataObject | undefined {
	const status = bcOrderStatusOf(docs);
	if (!status) return undefined;
	const invoices = docs.invoices.filter(liveInvoice);
	const bcNumber = String(docs.order?.number ?? invoices[0]?.orderNumber ?? docs.shipments[0]?.orderNumber ?? '');
	const stamps = [docs.order, ...docs.shipments, ...invoices]
		.map((d) => (typeof d?.lastModifiedDateTime === 'string' ? d.lastModifiedDateTime : undefined))
		.filter((s): s is string => !!s)
		.sort();
	const record: IDataObject = {
		orderNumber: number,
		status,
		erpDocumentNumber: bcNumber,
		changedAt: stamps.pop() ?? new Date().toISOString(),
	};
	if (docs.order) record.bcStatus = bcEnum(docs.order.status);
	if (status === 'shipped' || status === 'invoiced')
		record.shipmentNumbers = docs.shipments.map((s) => String(s.number));
	if (status === 'invoiced') record.invoiceNumbers = invoices.map((v) => String(v.number));
	return record;
}

/** A posted sales invoice → the canonical invoice (the portal number is its externalDocumentNumber). */
export function bcInvoiceToCanonical(
	inv: IDataObject,
	opts: { numberPrefix?: string; moneyDecimals?: number } = {},
): Invoice & IDataObject {
	const places = opts.moneyDecimals ?? 2;
	const gross = roundDecimal(inv.totalAmountIncludingTax ?? 0, places);
	const vat = roundDecimal(inv.totalTaxAmount ?? 0, places);
	const invoice: Invoice & IDataObject = {
		number: `${opts.numberPrefix ?? ''}${String(inv.number)}`,
		clientCode: String(inv.customerNumber ?? ''),
		issueDate: bcDate(inv.invoiceDate) ?? bcDate(inv.postingDate) ?? '',
		currency: (typeof inv.currencyCode === 'string' && inv.currencyCode) || 'PLN',
		totals: { net: formatDecimal(subtractDecimal(gross, vat)), vat, gross },
		bcInvoiceId: String(inv.id),
		bcStatus: bcEnum(inv.status),
		remainingAmount: roundDecimal(inv.remainingAmount ?? 0, places),
	};
	if (inv.externalDocumentNumber) invoice.orderNumber = String(inv.externalDocumentNumber);
	if (inv.orderNumber) invoice.bcOrderNumber = String(inv.orderNumber);
	const due = bcDate(inv.dueDate);
	if (due) invoice.dueDate = due;
	return invoice;
}
