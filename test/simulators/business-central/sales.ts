/**
 * Sales in the Business Central simulator: salesOrders with their salesOrderLines, salesShipments and (posted)
 * salesInvoices with their pdfDocument — what the node's order create / status / invoice operations touch
 * (research erp-facts-wave2.md §1 and §3).
 *
 * What it reproduces, and how strictly:
 * - POST salesOrders → 201 with the full record: status "Draft", number from the "S-ORD" series (101001…),
 *   externalDocumentNumber kept (max 35 characters, BC's field length), empty dates "0001-01-01". Lines may come
 *   in the same POST (deep insert, `salesOrderLines: [...]`); the whole request is one transaction: a refused line
 *   leaves no order behind. Deep insert on the standard v2.0 pages is UNVERIFIED by Microsoft's reference (a
 *   third-party guide shows it); the lines endpoint (POST salesOrders({id})/salesOrderLines) is documented [S4].
 * - A line of lineType "Item" must name an existing item in lineObjectNumber (unknown → 400 in BC's error shape,
 *   code Internal_RecordNotFound, BC's "The Item does not exist. Identification fields and values: No.='X'");
 *   a blocked item → 400 Application_DialogException ("Blocked must be equal to 'No' in Item: No.=X. Current value
 *   is 'Yes'."). A customer blocked "All" or "Invoice" refuses the order ("You cannot create this type of
 *   document when Customer X is blocked with type All"); "Ship" lets it be created but not shipped.
 * - PATCH salesOrders({id}) only with If-Match (none → 400 BadRequest_InvalidToken, stale → 409
 *   Request_EntityChanged; ctx.requireIfMatch does both).
 * - Status: "Draft" → releaseOrder() → "Open" ("In Review", written "In_x0020_Review" as BC writes enum names with spaces, when an approval is pending:
 *   requestApproval()).
 *   POST salesOrders({id})/Microsoft.NAV.shipAndInvoice → 204: ships and invoices what is left, creating one
 *   salesShipment and one salesInvoice (status "Open", later "Paid" through payInvoice()); as in BC, a sales
 *   order fully shipped and invoiced is then DELETED (posted documents keep orderNumber and
 *   externalDocumentNumber) — so a node cannot rely on reading the order after invoicing. shipOrder() posts a
 *   shipment only (partial quantities allowed): shippedQuantity on lines, fullyShipped on the order.
 * - $filter on salesOrders / salesInvoices / salesShipments: `field eq 'x'` joined by and/or, and
 *   `lastModifiedDateTime gt <ISO>`; $expand=salesOrderLines.
 * - GET salesInvoices({id})/pdfDocument → {id, parentId, parentType, pdfDocumentContent@odata.mediaReadLink};
 *   GET …/pdfDocument/pdfDocumentContent → real PDF bytes (common/pdf.ts) with Polish text; Accept-Language
 *   pl-PL (default) or en-US picks the wording.
 * - Lost answer: `state.ext.sales.dropOrderAnswers = n` → the next n POST salesOrders are applied, then the
 *   connection is destroyed without an answer.
 *
 * Writes are announced through ctx.changed('salesOrders' | 'salesInvoices', id, …) for the webhook module.
 */
import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import { buildPdf } from '../common/pdf';
import type { BcContext, BcRoute } from './core';

type Json = Record<string, unknown>;

export const EMPTY_DATE = '0001-01-01';
const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';
const MAX_EXTERNAL_DOCUMENT_NUMBER = 35;

export interface SalesOrder extends Json {
	id: string;
	number: string;
	externalDocumentNumber: string;
	orderDate: string;
	postingDate: string;
	requestedDeliveryDate: string;
	customerId: string;
	customerNumber: string;
	customerName: string;
	currencyCode: string;
	pricesIncludeTax: boolean;
	/** enum names with spaces are written with _x0020_, as BC does in JSON ("In_x0020_Review") */
	status: 'Draft' | 'In_x0020_Review' | 'Open';
	fullyShipped: boolean;
	discountAmount: number;
	totalAmountExcludingTax: number;
	totalTaxAmount: number;
	totalAmountIncludingTax: number;
	lastModifiedDateTime: string;
}

export interface SalesOrderLine extends Json {
	id: string;
	documentId: string;
	sequence: number;
	itemId: string;
	lineType: string;
	lineObjectNumber: string;
	description: string;
	unitOfMeasureCode: string;
	quantity: number;
	unitPrice: number;
	discountPercent: number;
	taxPercent: number;
	amountExcludingTax: number;
	totalTaxAmount: number;
	amountIncludingTax: number;
	shipmentDate: string;
	shippedQuantity: number;
	invoicedQuantity: number;
	locationId: string;
}

export interface SalesShipment extends Json {
	id: string;
	number: string;
	externalDocumentNumber: string;
	orderNumber: string;
	customerNumber: string;
	postingDate: string;
	shipmentDate: string;
	lastModifiedDateTime: string;
}

export interface SalesInvoice extends Json {
	id: string;
	number: string;
	externalDocumentNumber: string;
	invoiceDate: string;
	postingDate: string;
	dueDate: string;
	customerId: string;
	customerNumber: string;
	customerName: string;
	orderId: string;
	orderNumber: string;
	currencyCode: string;
	totalAmountExcludingTax: number;
	totalTaxAmount: number;
	totalAmountIncludingTax: number;
	remainingAmount: number;
	status: 'Draft' | 'Open' | 'Paid' | 'Canceled';
	lastModifiedDateTime: string;
}

export interface SalesState {
	orders: SalesOrder[];
	lines: SalesOrderLine[];
	shipments: SalesShipment[];
	invoices: SalesInvoice[];
	/** invoices' printed lines, kept with the invoice for the PDF */
	invoiceLines: Record<string, Array<{ number: string; description: string; quantity: number; unitPrice: number }>>;
	next: { order: number; shipment: number; invoice: number };
	/** the next n POST salesOrders are applied and their answer lost (socket destroyed) */
	dropOrderAnswers: number;
	/** payment terms: invoice due date = invoice date + this many days */
	dueDays: number;
}

/** A BC error carried through the handlers: status + BC's code + message (sendError adds the CorrelationId). */
export class BcSalesError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
	) {
		super(message);
	}
}

// ── state ───────────────────────────────────────────────────────────────────────────────────────

export function salesOf(ctx: Pick<BcContext, 'state'>): SalesState {
	const state = ctx.state as { ext?: Record<string, unknown> };
	state.ext ??= {};
	const s = (state.ext.sales ??= {}) as Partial<SalesState>;
	s.orders ??= [];
	s.lines ??= [];
	s.shipments ??= [];
	s.invoices ??= [];
	s.invoiceLines ??= {};
	s.next ??= { order: 101001, shipment: 102001, invoice: 103001 };
	s.dropOrderAnswers ??= 0;
	s.dueDays ??= 14;
	return s as SalesState;
}

interface ItemRow {
	id: string;
	number: string;
	displayName?: string;
	blocked?: boolean;
	unitPrice?: number;
	baseUnitOfMeasureCode?: string;
	taxPercent?: number;
}
interface CustomerRow {
	id: string;
	number: string;
	displayName?: string;
	blocked?: string;
	currencyCode?: string;
}

const itemsOf = (ctx: BcContext) => ((ctx.state as { items?: ItemRow[] }).items ?? []) as ItemRow[];
const customersOf = (ctx: BcContext) => ((ctx.state as { customers?: CustomerRow[] }).customers ?? []) as CustomerRow[];

const nowIso = (ctx: BcContext) => new Date(ctx.clock.now()).toISOString();
const today = (ctx: BcContext) => nowIso(ctx).slice(0, 10);
const round2 = (n: number) => Math.round(n * 100) / 100;
const addDaysIso = (date: string, days: number) =>
	new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function touch(ctx: BcContext, rec: { lastModifiedDateTime: string }) {
	rec.lastModifiedDateTime = nowIso(ctx);
}

function linesOf(sales: SalesState, orderId: string): SalesOrderLine[] {
	return sales.lines.filter((l) => l.documentId === orderId).sort((a, b) => a.sequence - b.sequence);
}

function recomputeTotals(sales: SalesState, order: SalesOrder) {
	const lines = linesOf(sales, order.id);
	order.totalAmountExcludingTax = round2(lines.reduce((s, l) => s + l.amountExcludingTax, 0));
	order.totalTaxAmount = round2(lines.reduce((s, l) => s + l.totalTaxAmount, 0));
	order.totalAmountIncludingTax = round2(order.totalAmountExcludingTax + order.totalTaxAmount);
	order.fullyShipped = lines.length > 0 && lines.every((l) => l.lineType !== 'Item' || l.shippedQuantity >= l.quantity);
}

function findCustomer(ctx: BcContext, body: Json): CustomerRow {
	const customers = customersOf(ctx);
	const byId = typeof body.customerId === 'string' ? customers.find((c) => c.id === body.customerId) : undefined;
	const byNumber =
		typeof body.customerNumber === 'string' ? customers.find((c) => c.number === body.customerNumber) : undefined;
	const customer = byId ?? byNumber;
	if (!customer) {
		const no = String(body.customerNumber ?? body.customerId ?? '');
		throw new BcSalesError(
			400,
			'Internal_RecordNotFound',
			`The Customer does not exist. Identification fields and values: No.='${no}'`,
		);
	}
	if (customer.blocked === 'All' || customer.blocked === 'Invoice')
		throw new BcSalesError(
			400,
			'Application_DialogException',
			`You cannot create this type of document when Customer ${customer.number} is blocked with type ${customer.blocked}`,
		);
	return customer;
}

/** A line built from a POST body, checked like BC (unknown / blocked item), not yet stored. */
function buildLine(ctx: BcContext, order: SalesOrder, body: Json, sequence: number): SalesOrderLine {
	const lineType = String(body.lineType ?? 'Item');
	const quantity = Number(body.quantity ?? 0);
	if (!Number.isFinite(quantity) || quantity < 0)
		throw new BcSalesError(400, 'BadRequest', `The quantity ${String(body.quantity)} is not valid.`);
	let item: ItemRow | undefined;
	if (lineType === 'Item') {
		const items = itemsOf(ctx);
		item =
			(typeof body.itemId === 'string' && body.itemId !== EMPTY_GUID
				? items.find((i) => i.id === body.itemId)
				: undefined) ??
			(typeof body.lineObjectNumber === 'string' ? items.find((i) => i.number === body.lineObjectNumber) : undefined);
		if (!item)
			throw new BcSalesError(
				400,
				'Internal_RecordNotFound',
				`The Item does not exist. Identification fields and values: No.='${String(body.lineObjectNumber ?? body.itemId ?? '')}'`,
			);
		if (item.blocked)
			throw new BcSalesError(
				400,
				'Application_DialogException',
				`Blocked must be equal to 'No' in Item: No.=${item.number}. Current value is 'Yes'.`,
			);
	} else if (lineType !== 'Comment') {
		throw new BcSalesError(400, 'BadRequest', `The line type '${lineType}' is not supported by this simulator.`);
	}
	const unitPrice = round2(Number(body.unitPrice ?? item?.unitPrice ?? 0));
	const discountPercent = Number(body.discountPercent ?? 0);
	const taxPercent = item ? (item.taxPercent ?? 23) : 0;
	const net = round2(quantity * unitPrice * (1 - discountPercent / 100));
	const tax = round2((net * taxPercent) / 100);
	return {
		id: randomUUID(),
		documentId: order.id,
		sequence,
		itemId: item?.id ?? EMPTY_GUID,
		lineType,
		lineObjectNumber: item?.number ?? '',
		description: String(body.description ?? item?.displayName ?? ''),
		unitOfMeasureCode: String(body.unitOfMeasureCode ?? item?.baseUnitOfMeasureCode ?? ''),
		quantity,
		unitPrice,
		discountPercent,
		taxPercent,
		amountExcludingTax: net,
		totalTaxAmount: tax,
		amountIncludingTax: round2(net + tax),
		shipmentDate: typeof body.shipmentDate === 'string' ? body.shipmentDate : order.orderDate,
		shippedQuantity: 0,
		invoicedQuantity: 0,
		locationId: typeof body.locationId === 'string' ? body.locationId : EMPTY_GUID,
	};
}

/** POST salesOrders (with deep-inserted lines): one transaction, nothing stored when a line is refused. */
export function createOrder(ctx: BcContext, body: Json): SalesOrder {
	const sales = salesOf(ctx);
	const customer = findCustomer(ctx, body);
	const external = String(body.externalDocumentNumber ?? '');
	if (external.length > MAX_EXTERNAL_DOCUMENT_NUMBER)
		throw new BcSalesError(
			400,
			'BadRequest',
			`The length of the string is ${external.length}, but it must be less than or equal to ${MAX_EXTERNAL_DOCUMENT_NUMBER} characters. Value: ${external}`,
		);
	const date = typeof body.orderDate === 'string' && body.orderDate ? body.orderDate : today(ctx);
	const order: SalesOrder = {
		id: randomUUID(),
		number: String(sales.next.order),
		externalDocumentNumber: external,
		orderDate: date,
		postingDate: date,
		requestedDeliveryDate: typeof body.requestedDeliveryDate === 'string' ? body.requestedDeliveryDate : EMPTY_DATE,
		customerId: customer.id,
		customerNumber: customer.number,
		customerName: customer.displayName ?? '',
		currencyCode: typeof body.currencyCode === 'string' ? body.currencyCode : (customer.currencyCode ?? ''),
		pricesIncludeTax: false,
		status: 'Draft',
		fullyShipped: false,
		discountAmount: 0,
		totalAmountExcludingTax: 0,
		totalTaxAmount: 0,
		totalAmountIncludingTax: 0,
		lastModifiedDateTime: nowIso(ctx),
	};
	const bodies = Array.isArray(body.salesOrderLines) ? (body.salesOrderLines as Json[]) : [];
	// every line is checked before anything is stored: BC rolls the whole request back on an error
	const lines = bodies.map((b, n) => buildLine(ctx, order, b, Number(b.sequence ?? (n + 1) * 10000)));
	sales.next.order++;
	sales.orders.push(order);
	sales.lines.push(...lines);
	recomputeTotals(sales, order);
	ctx.changed('salesOrders', order.id, 'created');
	return order;
}

function orderById(ctx: BcContext, id: string): SalesOrder {
	const order = salesOf(ctx).orders.find((o) => o.id === id.toLowerCase());
	if (!order)
		throw new BcSalesError(
			404,
			'BadRequest_NotFound',
			`The Sales Order does not exist. Identification fields and values: Id='${id}'`,
		);
	return order;
}

export function addLine(ctx: BcContext, orderId: string, body: Json): SalesOrderLine {
	const sales = salesOf(ctx);
	const order = orderById(ctx, orderId);
	if (order.status !== 'Draft')
		throw new BcSalesError(
			400,
			'Application_DialogException',
			`Status must be equal to 'Open' in Sales Header: Document Type=Order, No.=${order.number}. Current value is 'Released'.`,
		);
	const last = linesOf(sales, order.id).pop()?.sequence ?? 0;
	const line = buildLine(ctx, order, body, Number(body.sequence ?? last + 10000));
	sales.lines.push(line);
	recomputeTotals(sales, order);
	touch(ctx, order);
	ctx.changed('salesOrders', order.id, 'updated');
	return line;
}

/** Release (BC's "Released" shows as "Open" in API v2.0). */
export function releaseOrder(ctx: BcContext, id: string): SalesOrder {
	const order = orderById(ctx, id);
	order.status = 'Open';
	touch(ctx, order);
	ctx.changed('salesOrders', order.id, 'updated');
	return order;
}

/** Pending approval shows as "In Review". */
export function requestApproval(ctx: BcContext, id: string): SalesOrder {
	const order = orderById(ctx, id);
	order.status = 'In_x0020_Review';
	touch(ctx, order);
	ctx.changed('salesOrders', order.id, 'updated');
	return order;
}

function checkCanPost(ctx: BcContext, order: SalesOrder, what: 'ship' | 'invoice') {
	const customer = customersOf(ctx).find((c) => c.id === order.customerId);
	const blocked = customer?.blocked;
	if (blocked === 'All' || (blocked === 'Ship' && what === 'ship') || blocked === 'Invoice')
		throw new BcSalesError(
			400,
			'Application_DialogException',
			`You cannot ${what} this type of document when Customer ${order.customerNumber} is blocked with type ${blocked}`,
		);
	if (order.status === 'In_x0020_Review')
		throw new BcSalesError(
			400,
			'Application_DialogException',
			`This document can only be released when the approval process is complete.`,
		);
}

/** Posts a shipment of `quantities` (line id → quantity; all that is left when absent). */
export function shipOrder(ctx: BcContext, id: string, quantities?: Record<string, number>): SalesShipment {
	const sales = salesOf(ctx);
	const order = orderById(ctx, id);
	checkCanPost(ctx, order, 'ship');
	const lines = linesOf(sales, order.id).filter((l) => l.lineType === 'Item');
	let any = false;
	for (const l of lines) {
		const q = Math.min(quantities?.[l.id] ?? l.quantity - l.shippedQuantity, l.quantity - l.shippedQuantity);
		if (q > 0) {
			l.shippedQuantity += q;
			any = true;
		}
	}
	if (!any) throw new BcSalesError(400, 'Application_DialogException', 'There is nothing to post.');
	if (order.status === 'Draft') order.status = 'Open'; // posting releases the order
	const shipment: SalesShipment = {
		id: randomUUID(),
		number: String(sales.next.shipment++),
		externalDocumentNumber: order.externalDocumentNumber,
		orderNumber: order.number,
		customerNumber: order.customerNumber,
		postingDate: today(ctx),
		shipmentDate: today(ctx),
		lastModifiedDateTime: nowIso(ctx),
	};
	sales.shipments.push(shipment);
	recomputeTotals(sales, order);
	touch(ctx, order);
	ctx.changed('salesOrders', order.id, 'updated');
	return shipment;
}

/** Invoices everything shipped and not yet invoiced; a fully invoiced order is deleted, as BC does. */
export function invoiceOrder(ctx: BcContext, id: string): SalesInvoice {
	const sales = salesOf(ctx);
	const order = orderById(ctx, id);
	checkCanPost(ctx, order, 'invoice');
	const lines = linesOf(sales, order.id);
	const printed: SalesState['invoiceLines'][string] = [];
	let net = 0;
	let tax = 0;
	for (const l of lines.filter((x) => x.lineType === 'Item')) {
		const q = l.shippedQuantity - l.invoicedQuantity;
		if (q <= 0) continue;
		const share = q / l.quantity;
		net += l.amountExcludingTax * share;
		tax += l.totalTaxAmount * share;
		l.invoicedQuantity += q;
		printed.push({ number: l.lineObjectNumber, description: l.description, quantity: q, unitPrice: l.unitPrice });
	}
	if (!printed.length) throw new BcSalesError(400, 'Application_DialogException', 'There is nothing to post.');
	const date = today(ctx);
	const gross = round2(round2(net) + round2(tax));
	const invoice: SalesInvoice = {
		id: randomUUID(),
		number: String(sales.next.invoice++),
		externalDocumentNumber: order.externalDocumentNumber,
		invoiceDate: date,
		postingDate: date,
		dueDate: addDaysIso(date, sales.dueDays),
		customerId: order.customerId,
		customerNumber: order.customerNumber,
		customerName: order.customerName,
		orderId: order.id,
		orderNumber: order.number,
		currencyCode: order.currencyCode,
		totalAmountExcludingTax: round2(net),
		totalTaxAmount: round2(tax),
		totalAmountIncludingTax: gross,
		remainingAmount: gross,
		status: 'Open',
		lastModifiedDateTime: nowIso(ctx),
	};
	sales.invoices.push(invoice);
	sales.invoiceLines[invoice.id] = printed;
	ctx.changed('salesInvoices', invoice.id, 'created');
	if (lines.every((l) => l.lineType !== 'Item' || l.invoicedQuantity >= l.quantity)) {
		sales.orders = sales.orders.filter((o) => o.id !== order.id);
		sales.lines = sales.lines.filter((l) => l.documentId !== order.id);
		ctx.changed('salesOrders', order.id, 'deleted');
	} else {
		touch(ctx, order);
		ctx.changed('salesOrders', order.id, 'updated');
	}
	return invoice;
}

/** Microsoft.NAV.shipAndInvoice: ships what is left, then invoices; one shipment + one invoice. */
export function shipAndInvoice(ctx: BcContext, id: string): { shipment?: SalesShipment; invoice: SalesInvoice } {
	const sales = salesOf(ctx);
	const order = orderById(ctx, id);
	const left = linesOf(sales, order.id).some((l) => l.lineType === 'Item' && l.shippedQuantity < l.quantity);
	const shipment = left ? shipOrder(ctx, id) : undefined;
	return { shipment, invoice: invoiceOrder(ctx, id) };
}

export function payInvoice(ctx: BcContext, id: string): SalesInvoice {
	const invoice = salesOf(ctx).invoices.find((i) => i.id === id);
	if (!invoice) throw new Error(`no sales invoice ${id}`);
	invoice.remainingAmount = 0;
	invoice.status = 'Paid';
	touch(ctx, invoice);
	ctx.changed('salesInvoices', invoice.id, 'updated');
	return invoice;
}

// ── OData query bits ──────────────────────────────────────────────────────────────────────────

/**
 * The $filter forms the node uses: `a eq 'x'` / `a eq 12` / `a gt 2026-…Z` joined by `and` / `or` (and binds
 * tighter), optional parentheses around the whole. Anything else → 400 like BC's parser.
 */
export function matchFilter(filter: string | null, rows: Json[]): Json[] {
	if (!filter) return rows;
	let f = filter.trim();
	while (f.startsWith('(') && f.endsWith(')')) f = f.slice(1, -1).trim();
	const ors = splitOutside(f, ' or ');
	const groups = ors.map((o) =>
		splitOutside(o.trim().replace(/^\((.*)\)$/, '$1'), ' and ').map((c) => parseComparison(c.trim())),
	);
	return rows.filter((r) => groups.some((g) => g.every((cmp) => cmp(r))));
}

function splitOutside(s: string, sep: string): string[] {
	const out: string[] = [];
	let depth = 0;
	let quoted = false;
	let start = 0;
	for (let i = 0; i < s.length; i++) {
		const ch = s[i];
		if (ch === "'") quoted = !quoted;
		else if (!quoted && ch === '(') depth++;
		else if (!quoted && ch === ')') depth--;
		else if (!quoted && depth === 0 && s.startsWith(sep, i)) {
			out.push(s.slice(start, i));
			start = i + sep.length;
			i += sep.length - 1;
		}
	}
	out.push(s.slice(start));
	return out;
}

function parseComparison(c: string): (r: Json) => boolean {
	const m = /^(\w+) (eq|ne|gt|ge|lt|le) (?:'((?:[^']|'')*)'|([^\s']+))$/.exec(c);
	if (!m) throw new BcSalesError(400, 'BadRequest', `Invalid filter expression: ${c}`);
	const [, field, op, quoted, bare] = m;
	const value: unknown = quoted !== undefined ? quoted.replace(/''/g, "'") : bare;
	return (r) => {
		const have = r[field];
		let a: number | string = String(have);
		let b: number | string = String(value);
		if (typeof have === 'number') {
			a = have;
			b = Number(value);
		} else if (field.endsWith('DateTime')) {
			a = Date.parse(String(have));
			b = Date.parse(String(value));
		}
		switch (op) {
			case 'eq':
				return a === b;
			case 'ne':
				return a !== b;
			case 'gt':
				return a > b;
			case 'ge':
				return a >= b;
			case 'lt':
				return a < b;
			default:
				return a <= b;
		}
	};
}

function query(req: http.IncomingMessage): URLSearchParams {
	return new URL(req.url ?? '/', 'http://x').searchParams;
}

function withEtag(ctx: BcContext, rec: Json): Json {
	return { '@odata.etag': ctx.etag(rec), ...rec };
}

function orderOut(ctx: BcContext, order: SalesOrder, expand: boolean): Json {
	const out = withEtag(ctx, order);
	if (expand) out.salesOrderLines = linesOf(salesOf(ctx), order.id).map((l) => withEtag(ctx, l));
	return out;
}

// ── PDF ───────────────────────────────────────────────────────────────────────────────────────

const money = (n: number) => n.toFixed(2).replace('.', ',');

export function invoicePdf(ctx: BcContext, invoice: SalesInvoice, language: string): Buffer {
	const lines = salesOf(ctx).invoiceLines[invoice.id] ?? [];
	const pl = !/^en/i.test(language);
	return buildPdf({
		title: pl ? `Faktura sprzedaży ${invoice.number}` : `Sales Invoice ${invoice.number}`,
		lines: [
			`${pl ? 'Nabywca' : 'Customer'}: ${invoice.customerName} (${invoice.customerNumber})`,
			`${pl ? 'Zamówienie' : 'Order'}: ${invoice.orderNumber} / ${invoice.externalDocumentNumber}`,
			`${pl ? 'Data wystawienia' : 'Invoice date'}: ${invoice.invoiceDate}   ${pl ? 'Termin płatności' : 'Due date'}: ${invoice.dueDate}`,
			...lines.map((l) => `${l.number}  ${l.description}  ${l.quantity} × ${money(l.unitPrice)}`),
			`${pl ? 'Razem netto' : 'Total excl. tax'}: ${money(invoice.totalAmountExcludingTax)} ${invoice.currencyCode || 'PLN'}`,
			`${pl ? 'Podatek' : 'Tax'}: ${money(invoice.totalTaxAmount)}`,
			`${pl ? 'Do zapłaty' : 'Total incl. tax'}: ${money(invoice.totalAmountIncludingTax)}`,
		],
		creationDate: new Date(ctx.clock.now()),
	});
}

// ── routes ────────────────────────────────────────────────────────────────────────────────────

const GUID = '([0-9a-fA-F-]{36})';

function guarded(
	fn: (ctx: BcContext, req: http.IncomingMessage, res: http.ServerResponse, m: RegExpMatchArray, body: unknown) => void,
): BcRoute['handle'] {
	return (ctx, req, res, m, body) => {
		try {
			fn(ctx, req, res, m, body);
		} catch (e) {
			if (e instanceof BcSalesError) ctx.sendError(res, e.status, e.code, e.message);
			else throw e;
		}
	};
}

const asJson = (body: unknown): Json => (body && typeof body === 'object' ? (body as Json) : {});

/** the absolute URL of this request's company, for mediaReadLink */
function companyUrl(req: http.IncomingMessage): string {
	const host = req.headers.host ?? '127.0.0.1';
	const path = (req.url ?? '').split('?')[0];
	const at = path.search(/\/companies\([^)]*\)/);
	const end = path.indexOf(')', at) + 1;
	return `http://${host}${path.slice(0, end)}`;
}

function listOf(
	ctx: BcContext,
	req: http.IncomingMessage,
	res: http.ServerResponse,
	rows: Json[],
	map: (r: Json) => Json = (r) => withEtag(ctx, r),
) {
	const q = query(req);
	const picked = matchFilter(q.get('$filter'), rows).map(map);
	ctx.sendJson(res, 200, ctx.page(req, picked, { key: 'id' }));
}

export const salesRoutes: BcRoute[] = [
	{
		method: 'GET',
		scope: 'company',
		pattern: /^\/salesOrders$/,
		handle: guarded((ctx, req, res) => {
			const expand = /salesOrderLines/.test(query(req).get('$expand') ?? '');
			listOf(ctx, req, res, salesOf(ctx).orders, (o) => orderOut(ctx, o as SalesOrder, expand));
		}),
	},
	{
		method: 'GET',
		scope: 'company',
		pattern: new RegExp(`^/salesOrders\\(${GUID}\\)$`),
		handle: guarded((ctx, req, res, m) => {
			const expand = /salesOrderLines/.test(query(req).get('$expand') ?? '');
			ctx.sendJson(res, 200, orderOut(ctx, orderById(ctx, m[1]), expand));
		}),
	},
	{
		method: 'POST',
		scope: 'company',
		pattern: /^\/salesOrders$/,
		handle: guarded((ctx, req, res, _m, body) => {
			const order = createOrder(ctx, asJson(body));
			const sales = salesOf(ctx);
			if (sales.dropOrderAnswers > 0) {
				// the order is saved; the answer never reaches the client (a gateway timeout, a cut connection)
				sales.dropOrderAnswers--;
				req.socket.destroy();
				return;
			}
			const expand = Array.isArray(asJson(body).salesOrderLines);
			ctx.sendJson(res, 201, orderOut(ctx, order, expand));
		}),
	},
	{
		method: 'PATCH',
		scope: 'company',
		pattern: new RegExp(`^/salesOrders\\(${GUID}\\)$`),
		handle: guarded((ctx, req, res, m, body) => {
			const order = orderById(ctx, m[1]);
			if (!ctx.requireIfMatch(req, res, order)) return;
			const patch = asJson(body);
			for (const key of ['externalDocumentNumber', 'requestedDeliveryDate', 'orderDate'] as const) {
				if (typeof patch[key] === 'string') order[key] = patch[key] as string;
			}
			touch(ctx, order);
			ctx.changed('salesOrders', order.id, 'updated');
			ctx.sendJson(res, 200, orderOut(ctx, order, false));
		}),
	},
	{
		method: 'GET',
		scope: 'company',
		pattern: new RegExp(`^/salesOrders\\(${GUID}\\)/salesOrderLines$`),
		handle: guarded((ctx, req, res, m) => {
			const order = orderById(ctx, m[1]);
			listOf(ctx, req, res, linesOf(salesOf(ctx), order.id));
		}),
	},
	{
		method: 'POST',
		scope: 'company',
		pattern: new RegExp(`^/salesOrders\\(${GUID}\\)/salesOrderLines$`),
		handle: guarded((ctx, _req, res, m, body) => {
			ctx.sendJson(res, 201, withEtag(ctx, addLine(ctx, m[1], asJson(body))));
		}),
	},
	{
		method: 'POST',
		scope: 'company',
		pattern: new RegExp(`^/salesOrders\\(${GUID}\\)/Microsoft\\.NAV\\.shipAndInvoice$`),
		handle: guarded((ctx, _req, res, m) => {
			shipAndInvoice(ctx, m[1]);
			res.writeHead(204);
			res.end();
		}),
	},
	{
		method: 'GET',
		scope: 'company',
		pattern: /^\/salesShipments$/,
		handle: guarded((ctx, req, res) => listOf(ctx, req, res, salesOf(ctx).shipments)),
	},
	{
		method: 'GET',
		scope: 'company',
		pattern: /^\/salesInvoices$/,
		handle: guarded((ctx, req, res) => listOf(ctx, req, res, salesOf(ctx).invoices)),
	},
	{
		method: 'GET',
		scope: 'company',
		pattern: new RegExp(`^/salesInvoices\\(${GUID}\\)$`),
		handle: guarded((ctx, _req, res, m) => {
			ctx.sendJson(res, 200, withEtag(ctx, invoiceById(ctx, m[1])));
		}),
	},
	{
		method: 'GET',
		scope: 'company',
		pattern: new RegExp(`^/salesInvoices\\(${GUID}\\)/pdfDocument$`),
		handle: guarded((ctx, req, res, m) => {
			const invoice = invoiceById(ctx, m[1]);
			ctx.sendJson(res, 200, {
				id: invoice.id,
				parentId: invoice.id,
				parentType: 'Sales Invoice',
				'pdfDocumentContent@odata.mediaReadLink': `${companyUrl(req)}/salesInvoices(${invoice.id})/pdfDocument/pdfDocumentContent`,
			});
		}),
	},
	{
		method: 'GET',
		scope: 'company',
		pattern: new RegExp(`^/salesInvoices\\(${GUID}\\)/pdfDocument(?:\\(${GUID}\\))?/pdfDocumentContent$`),
		handle: guarded((ctx, req, res, m) => {
			const invoice = invoiceById(ctx, m[1]);
			const pdf = invoicePdf(ctx, invoice, String(req.headers['accept-language'] ?? 'pl-PL'));
			res.writeHead(200, { 'Content-Type': 'application/pdf', 'Content-Length': pdf.length });
			res.end(pdf);
		}),
	},
];

function invoiceById(ctx: BcContext, id: string): SalesInvoice {
	const invoice = salesOf(ctx).invoices.find((i) => i.id === id.toLowerCase());
	if (!invoice)
		throw new BcSalesError(
			404,
			'BadRequest_NotFound',
			`The Sales Invoice does not exist. Identification fields and values: Id='${id}'`,
		);
	return invoice;
}

const contexts = new WeakMap<object, BcContext>();

export function installSales(ctx: BcContext): void {
	salesOf(ctx);
	contexts.set(ctx.state as object, ctx);
}

/**
 * What a test does in BC's client (release an order, post a shipment, record a payment) on a running simulator:
 * `salesControl(sim)` → functions bound to its context, so changes are stamped and announced like API writes.
 */
export function salesControl(sim: { state: unknown }) {
	const ctx = contexts.get(sim.state as object);
	if (!ctx) throw new Error('the sales module is not installed in this simulator');
	return {
		state: () => salesOf(ctx),
		release: (id: string) => releaseOrder(ctx, id),
		requestApproval: (id: string) => requestApproval(ctx, id),
		ship: (id: string, quantities?: Record<string, number>) => shipOrder(ctx, id, quantities),
		shipAndInvoice: (id: string) => shipAndInvoice(ctx, id),
		pay: (id: string) => payInvoice(ctx, id),
		/** the next n POST salesOrders are saved and their answer lost */
		loseOrderAnswers: (n = 1) => {
			salesOf(ctx).dropOrderAnswers = n;
		},
	};
}
