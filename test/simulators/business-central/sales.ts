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
 * - Lists go through the core's paging and $filter/$select (ctx.page); $expand=salesOrderLines on orders.
 * - Data per company in state.ext.sales[companyId]; ETags from the records' rowVersion (state.touch on each write).
 * - GET salesInvoices({id})/pdfDocument → {id, parentId, parentType, pdfDocumentContent@odata.mediaReadLink};
 *   GET …/pdfDocument/pdfDocumentContent → real PDF bytes (common/pdf.ts) with Polish text; Accept-Language
 *   pl-PL (default) or en-US picks the wording.
 * - Lost answer: the server's `sim.faults.loseResponse({ path: /salesOrders$/ })` (the order is saved, the socket
 *   dropped); salesControl(sim).loseOrderAnswers() is that, for POST salesOrders only.
 *
 * Writes are announced through ctx.changed('salesOrders' | 'salesInvoices', id, …) for the webhook module.
 */
import type http from 'node:http';
import { buildPdf } from '../common/pdf';
import { companyOf, sendBcError, type BcContext, type BcRoute } from './core';
import { BcError, recordById } from './errors';
import type { Company, Customer, Item } from './state';

type Json = Record<string, unknown>;

export const EMPTY_DATE = '0001-01-01';
const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

interface Versioned {
	id: string;
	rowVersion: number;
}
const MAX_EXTERNAL_DOCUMENT_NUMBER = 35;

export interface SalesOrder extends Versioned {
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

export interface SalesOrderLine extends Versioned {
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

export interface SalesShipment extends Versioned {
	number: string;
	externalDocumentNumber: string;
	orderNumber: string;
	customerNumber: string;
	postingDate: string;
	shipmentDate: string;
	lastModifiedDateTime: string;
}

export interface SalesInvoice extends Versioned {
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
	/** payment terms: invoice due date = invoice date + this many days */
	dueDays: number;
}

// ── state ───────────────────────────────────────────────────────────────────────────────────────

/** the sales data of one company (state.ext.sales[companyId]) */
export function salesOf(ctx: Pick<BcContext, 'state'>, company: Company): SalesState {
	const all = (ctx.state.ext.sales ??= {}) as Record<string, Partial<SalesState>>;
	const s = (all[company.id] ??= {});
	s.orders ??= [];
	s.lines ??= [];
	s.shipments ??= [];
	s.invoices ??= [];
	s.invoiceLines ??= {};
	s.next ??= { order: 101001, shipment: 102001, invoice: 103001 };
	s.dueDays ??= 14;
	return s as SalesState;
}

/** where a sales function works: the server's context and the request's company */
export interface SalesEnv {
	ctx: BcContext;
	company: Company;
}

/** VAT of an item line: BC's tax group → rate is set-up data the simulator does not model; 23 % (Polish standard) */
const VAT_PERCENT = 23;

const today = (env: SalesEnv) => env.ctx.nowIso().slice(0, 10);
const round2 = (n: number) => Math.round(n * 100) / 100;
const addDaysIso = (date: string, days: number) =>
	new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const dataOf = (env: SalesEnv) => salesOf(env.ctx, env.company);
const newId = (env: SalesEnv) => env.ctx.state.newGuid();
const touch = <T extends Versioned>(env: SalesEnv, rec: T): T => env.ctx.state.touch(rec);
const announce = (
	env: SalesEnv,
	entity: 'salesOrders' | 'salesInvoices',
	id: string,
	type: 'created' | 'updated' | 'deleted',
) => env.ctx.changed(entity, id, type, env.company.id);

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

function findCustomer(env: SalesEnv, body: Json): Customer {
	const customers = env.company.customers;
	const byId = typeof body.customerId === 'string' ? customers.find((c) => c.id === body.customerId) : undefined;
	const byNumber =
		typeof body.customerNumber === 'string' ? customers.find((c) => c.number === body.customerNumber) : undefined;
	const customer = byId ?? byNumber;
	if (!customer) {
		const no = String(body.customerNumber ?? body.customerId ?? '');
		throw new BcError(
			400,
			'Internal_RecordNotFound',
			`The Customer does not exist. Identification fields and values: No.='${no}'`,
		);
	}
	if (customer.blocked === 'All' || customer.blocked === 'Invoice')
		throw new BcError(
			400,
			'Application_DialogException',
			`You cannot create this type of document when Customer ${customer.number} is blocked with type ${customer.blocked}`,
		);
	return customer;
}

/** A line built from a POST body, checked like BC (unknown / blocked item), not yet stored. */
function buildLine(env: SalesEnv, order: SalesOrder, body: Json, sequence: number): SalesOrderLine {
	const lineType = String(body.lineType ?? 'Item');
	const quantity = Number(body.quantity ?? 0);
	if (!Number.isFinite(quantity) || quantity < 0)
		throw new BcError(400, 'BadRequest', `The quantity ${String(body.quantity)} is not valid.`);
	let item: Item | undefined;
	if (lineType === 'Item') {
		const items = env.company.items;
		item =
			(typeof body.itemId === 'string' && body.itemId !== EMPTY_GUID
				? items.find((i) => i.id === body.itemId)
				: undefined) ??
			(typeof body.lineObjectNumber === 'string' ? items.find((i) => i.number === body.lineObjectNumber) : undefined);
		if (!item)
			throw new BcError(
				400,
				'Internal_RecordNotFound',
				`The Item does not exist. Identification fields and values: No.='${String(body.lineObjectNumber ?? body.itemId ?? '')}'`,
			);
		if (item.blocked)
			throw new BcError(
				400,
				'Application_DialogException',
				`Blocked must be equal to 'No' in Item: No.=${item.number}. Current value is 'Yes'.`,
			);
	} else if (lineType !== 'Comment') {
		throw new BcError(400, 'BadRequest', `The line type '${lineType}' is not supported by this simulator.`);
	}
	const unitPrice = round2(Number(body.unitPrice ?? item?.unitPrice ?? 0));
	const discountPercent = Number(body.discountPercent ?? 0);
	const taxPercent = item ? VAT_PERCENT : 0;
	const net = round2(quantity * unitPrice * (1 - discountPercent / 100));
	const tax = round2((net * taxPercent) / 100);
	return {
		id: newId(env),
		rowVersion: 0,
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
export function createOrder(env: SalesEnv, body: Json): SalesOrder {
	const sales = dataOf(env);
	const customer = findCustomer(env, body);
	const external = String(body.externalDocumentNumber ?? '');
	if (external.length > MAX_EXTERNAL_DOCUMENT_NUMBER)
		throw new BcError(
			400,
			'BadRequest',
			`The length of the string is ${external.length}, but it must be less than or equal to ${MAX_EXTERNAL_DOCUMENT_NUMBER} characters. Value: ${external}`,
		);
	const date = typeof body.orderDate === 'string' && body.orderDate ? body.orderDate : today(env);
	const order: SalesOrder = {
		id: newId(env),
		rowVersion: 0,
		number: String(sales.next.order),
		externalDocumentNumber: external,
		orderDate: date,
		postingDate: date,
		requestedDeliveryDate: typeof body.requestedDeliveryDate === 'string' ? body.requestedDeliveryDate : EMPTY_DATE,
		customerId: customer.id,
		customerNumber: customer.number,
		customerName: customer.displayName,
		currencyCode: typeof body.currencyCode === 'string' ? body.currencyCode : customer.currencyCode,
		pricesIncludeTax: false,
		status: 'Draft',
		fullyShipped: false,
		discountAmount: 0,
		totalAmountExcludingTax: 0,
		totalTaxAmount: 0,
		totalAmountIncludingTax: 0,
		lastModifiedDateTime: '',
	};
	const bodies = Array.isArray(body.salesOrderLines) ? (body.salesOrderLines as Json[]) : [];
	// every line is checked before anything is stored: BC rolls the whole request back on an error
	const lines = bodies.map((b, n) => buildLine(env, order, b, Number(b.sequence ?? (n + 1) * 10000)));
	sales.next.order++;
	sales.orders.push(touch(env, order));
	sales.lines.push(...lines.map((l) => touch(env, l)));
	recomputeTotals(sales, order);
	announce(env, 'salesOrders', order.id, 'created');
	return order;
}

function orderById(env: SalesEnv, id: string): SalesOrder {
	return recordById(dataOf(env).orders, id, 'Sales Order');
}

export function addLine(env: SalesEnv, orderId: string, body: Json): SalesOrderLine {
	const sales = dataOf(env);
	const order = orderById(env, orderId);
	if (order.status !== 'Draft')
		throw new BcError(
			400,
			'Application_DialogException',
			`Status must be equal to 'Open' in Sales Header: Document Type=Order, No.=${order.number}. Current value is 'Released'.`,
		);
	const last = linesOf(sales, order.id).pop()?.sequence ?? 0;
	const line = touch(env, buildLine(env, order, body, Number(body.sequence ?? last + 10000)));
	sales.lines.push(line);
	recomputeTotals(sales, order);
	touch(env, order);
	announce(env, 'salesOrders', order.id, 'updated');
	return line;
}

/** Release (BC's "Released" shows as "Open" in API v2.0). */
export function releaseOrder(env: SalesEnv, id: string): SalesOrder {
	const order = orderById(env, id);
	order.status = 'Open';
	touch(env, order);
	announce(env, 'salesOrders', order.id, 'updated');
	return order;
}

/** Pending approval shows as "In Review". */
export function requestApproval(env: SalesEnv, id: string): SalesOrder {
	const order = orderById(env, id);
	order.status = 'In_x0020_Review';
	touch(env, order);
	announce(env, 'salesOrders', order.id, 'updated');
	return order;
}

function checkCanPost(env: SalesEnv, order: SalesOrder, what: 'ship' | 'invoice') {
	const blocked = env.company.customers.find((c) => c.id === order.customerId)?.blocked;
	if (blocked === 'All' || (blocked === 'Ship' && what === 'ship') || blocked === 'Invoice')
		throw new BcError(
			400,
			'Application_DialogException',
			`You cannot ${what} this type of document when Customer ${order.customerNumber} is blocked with type ${blocked}`,
		);
	if (order.status === 'In_x0020_Review')
		throw new BcError(
			400,
			'Application_DialogException',
			'This document can only be released when the approval process is complete.',
		);
}

/** Posts a shipment of `quantities` (line id → quantity; all that is left when absent). */
export function shipOrder(env: SalesEnv, id: string, quantities?: Record<string, number>): SalesShipment {
	const sales = dataOf(env);
	const order = orderById(env, id);
	checkCanPost(env, order, 'ship');
	let any = false;
	for (const l of linesOf(sales, order.id).filter((x) => x.lineType === 'Item')) {
		const left = l.quantity - l.shippedQuantity;
		const q = Math.min(quantities?.[l.id] ?? left, left);
		if (q > 0) {
			l.shippedQuantity += q;
			touch(env, l);
			any = true;
		}
	}
	if (!any) throw new BcError(400, 'Application_DialogException', 'There is nothing to post.');
	if (order.status === 'Draft') order.status = 'Open'; // posting releases the order
	const shipment: SalesShipment = touch(env, {
		id: newId(env),
		rowVersion: 0,
		number: String(sales.next.shipment++),
		externalDocumentNumber: order.externalDocumentNumber,
		orderNumber: order.number,
		customerNumber: order.customerNumber,
		postingDate: today(env),
		shipmentDate: today(env),
		lastModifiedDateTime: '',
	});
	sales.shipments.push(shipment);
	recomputeTotals(sales, order);
	touch(env, order);
	announce(env, 'salesOrders', order.id, 'updated');
	return shipment;
}

/** Invoices everything shipped and not yet invoiced; a fully invoiced order is deleted, as BC does. */
export function invoiceOrder(env: SalesEnv, id: string): SalesInvoice {
	const sales = dataOf(env);
	const order = orderById(env, id);
	checkCanPost(env, order, 'invoice');
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
		touch(env, l);
		printed.push({ number: l.lineObjectNumber, description: l.description, quantity: q, unitPrice: l.unitPrice });
	}
	if (!printed.length) throw new BcError(400, 'Application_DialogException', 'There is nothing to post.');
	const date = today(env);
	const gross = round2(round2(net) + round2(tax));
	const invoice: SalesInvoice = touch(env, {
		id: newId(env),
		rowVersion: 0,
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
		status: 'Open' as const,
		lastModifiedDateTime: '',
	});
	sales.invoices.push(invoice);
	sales.invoiceLines[invoice.id] = printed;
	announce(env, 'salesInvoices', invoice.id, 'created');
	if (lines.every((l) => l.lineType !== 'Item' || l.invoicedQuantity >= l.quantity)) {
		sales.orders = sales.orders.filter((o) => o.id !== order.id);
		sales.lines = sales.lines.filter((l) => l.documentId !== order.id);
		announce(env, 'salesOrders', order.id, 'deleted');
	} else {
		touch(env, order);
		announce(env, 'salesOrders', order.id, 'updated');
	}
	return invoice;
}

/** Microsoft.NAV.shipAndInvoice: ships what is left, then invoices; one shipment + one invoice. */
export function shipAndInvoice(env: SalesEnv, id: string): { shipment?: SalesShipment; invoice: SalesInvoice } {
	const order = orderById(env, id);
	const left = linesOf(dataOf(env), order.id).some((l) => l.lineType === 'Item' && l.shippedQuantity < l.quantity);
	const shipment = left ? shipOrder(env, id) : undefined;
	return { shipment, invoice: invoiceOrder(env, id) };
}

export function payInvoice(env: SalesEnv, id: string): SalesInvoice {
	const invoice = invoiceById(env, id);
	invoice.remainingAmount = 0;
	invoice.status = 'Paid';
	touch(env, invoice);
	announce(env, 'salesInvoices', invoice.id, 'updated');
	return invoice;
}

function invoiceById(env: SalesEnv, id: string): SalesInvoice {
	return recordById(dataOf(env).invoices, id, 'Sales Invoice');
}

// ── answers ───────────────────────────────────────────────────────────────────────────────────

/** a record as the API sends it: no rowVersion (kept non-enumerable for the ETag), with @odata.etag */
function view(ctx: BcContext, rec: Versioned): Json {
	const { rowVersion, ...rest } = rec as Versioned & Json;
	const out: Json = { '@odata.etag': ctx.etag(rec), ...rest };
	Object.defineProperty(out, 'rowVersion', { value: rowVersion, enumerable: false });
	return out;
}

function expandsLines(req: http.IncomingMessage): boolean {
	return /(^|,)\s*salesOrderLines\b/.test(new URL(req.url ?? '/', 'http://x').searchParams.get('$expand') ?? '');
}

function orderOut(env: SalesEnv, order: SalesOrder, expand: boolean): Json {
	const out = view(env.ctx, order);
	if (expand) out.salesOrderLines = linesOf(dataOf(env), order.id).map((l) => view(env.ctx, l));
	return out;
}

// ── PDF ───────────────────────────────────────────────────────────────────────────────────────

const money = (n: number) => n.toFixed(2).replace('.', ',');

export function invoicePdf(env: SalesEnv, invoice: SalesInvoice, language: string): Buffer {
	const lines = dataOf(env).invoiceLines[invoice.id] ?? [];
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
		creationDate: new Date(env.ctx.clock.now()),
	});
}

// ── routes ────────────────────────────────────────────────────────────────────────────────────

const GUID = '([0-9a-fA-F-]{36})';

type Handler = (
	env: SalesEnv,
	req: http.IncomingMessage,
	res: http.ServerResponse,
	m: RegExpExecArray,
	body: unknown,
) => void;

/** the handler with its company; a BcError becomes BC's error answer */
function route(method: string, pattern: RegExp, fn: Handler): BcRoute {
	return {
		method,
		scope: 'company',
		pattern,
		handle(ctx, req, res, m, body) {
			try {
				fn({ ctx, company: companyOf(req) }, req, res, m, body);
			} catch (e) {
				sendBcError(ctx, res, e);
			}
		},
	};
}

const asJson = (body: unknown): Json => (body && typeof body === 'object' ? (body as Json) : {});

function list(
	env: SalesEnv,
	req: http.IncomingMessage,
	res: http.ServerResponse,
	rows: Versioned[],
	map?: (r: Json) => Json,
) {
	const body = env.ctx.page(
		req,
		rows.map((r) => view(env.ctx, r)),
		{ key: 'id' },
	);
	if (map) body.value = body.value.map(map);
	env.ctx.sendJson(res, 200, body);
}

export const salesRoutes: BcRoute[] = [
	route('GET', /^\/salesOrders$/, (env, req, res) => {
		const expand = expandsLines(req);
		const sales = dataOf(env);
		list(env, req, res, sales.orders, (o) =>
			expand ? { ...o, salesOrderLines: linesOf(sales, String(o.id)).map((l) => view(env.ctx, l)) } : o,
		);
	}),
	route('GET', new RegExp(`^/salesOrders\\(${GUID}\\)$`), (env, req, res, m) => {
		env.ctx.sendJson(res, 200, orderOut(env, orderById(env, m[1]), expandsLines(req)));
	}),
	route('POST', /^\/salesOrders$/, (env, _req, res, _m, body) => {
		const json = asJson(body);
		// one transaction: a refused line leaves nothing (createOrder checks all lines first; this is the guard)
		const order = env.ctx.state.transaction(() => createOrder(env, json));
		env.ctx.sendJson(res, 201, orderOut(env, order, Array.isArray(json.salesOrderLines)));
	}),
	route('PATCH', new RegExp(`^/salesOrders\\(${GUID}\\)$`), (env, req, res, m, body) => {
		const order = orderById(env, m[1]);
		if (!env.ctx.requireIfMatch(req, res, order)) return;
		const patch = asJson(body);
		for (const key of ['externalDocumentNumber', 'requestedDeliveryDate', 'orderDate'] as const) {
			if (typeof patch[key] === 'string') order[key] = patch[key] as string;
		}
		touch(env, order);
		announce(env, 'salesOrders', order.id, 'updated');
		env.ctx.sendJson(res, 200, orderOut(env, order, false));
	}),
	route('GET', new RegExp(`^/salesOrders\\(${GUID}\\)/salesOrderLines$`), (env, req, res, m) => {
		const order = orderById(env, m[1]);
		list(env, req, res, linesOf(dataOf(env), order.id));
	}),
	route('POST', new RegExp(`^/salesOrders\\(${GUID}\\)/salesOrderLines$`), (env, _req, res, m, body) => {
		env.ctx.sendJson(res, 201, view(env.ctx, addLine(env, m[1], asJson(body))));
	}),
	route('POST', new RegExp(`^/salesOrders\\(${GUID}\\)/Microsoft\\.NAV\\.shipAndInvoice$`), (env, _req, res, m) => {
		env.ctx.state.transaction(() => shipAndInvoice(env, m[1]));
		env.ctx.sendNoContent(res);
	}),
	route('GET', /^\/salesShipments$/, (env, req, res) => list(env, req, res, dataOf(env).shipments)),
	route('GET', /^\/salesInvoices$/, (env, req, res) => list(env, req, res, dataOf(env).invoices)),
	route('GET', new RegExp(`^/salesInvoices\\(${GUID}\\)$`), (env, _req, res, m) => {
		env.ctx.sendJson(res, 200, view(env.ctx, invoiceById(env, m[1])));
	}),
	route('GET', new RegExp(`^/salesInvoices\\(${GUID}\\)/pdfDocument$`), (env, req, res, m) => {
		const invoice = invoiceById(env, m[1]);
		const i = env.ctx.info(req);
		env.ctx.sendJson(res, 200, {
			id: invoice.id,
			parentId: invoice.id,
			parentType: 'Sales Invoice',
			'pdfDocumentContent@odata.mediaReadLink': `${i.root}/companies(${env.company.id})/salesInvoices(${invoice.id})/pdfDocument/pdfDocumentContent`,
		});
	}),
	route(
		'GET',
		new RegExp(`^/salesInvoices\\(${GUID}\\)/pdfDocument(?:\\(${GUID}\\))?/pdfDocumentContent$`),
		(env, req, res, m) => {
			const invoice = invoiceById(env, m[1]);
			const pdf = invoicePdf(env, invoice, String(req.headers['accept-language'] ?? 'pl-PL'));
			env.ctx.sendBytes(res, 200, pdf, 'application/pdf');
		},
	),
];

export function installSales(ctx: BcContext): void {
	for (const company of ctx.state.companies) salesOf(ctx, company);
}

/**
 * What a test does in BC's client (release an order, post a shipment, record a payment) on a running simulator, in
 * its first company (or the one named): functions bound to the server's context, so changes get new ETags and
 * stamps and reach webhook subscribers like API writes.
 */
export function salesControl(
	sim: {
		ctx: BcContext;
		company: { id: string };
		faults: { loseResponse(o: { path: RegExp; times?: number }): unknown };
	},
	companyId = sim.company.id,
) {
	const env = (): SalesEnv => {
		const company = sim.ctx.company(companyId);
		if (!company) throw new Error(`no company ${companyId} in the simulator`);
		return { ctx: sim.ctx, company };
	};
	return {
		state: () => dataOf(env()),
		release: (id: string) => releaseOrder(env(), id),
		requestApproval: (id: string) => requestApproval(env(), id),
		ship: (id: string, quantities?: Record<string, number>) => shipOrder(env(), id, quantities),
		shipAndInvoice: (id: string) => shipAndInvoice(env(), id),
		pay: (id: string) => payInvoice(env(), id),
		/** the next n POST salesOrders are saved and their answer lost (the server's loseResponse fault) */
		loseOrderAnswers: (n = 1) => sim.faults.loseResponse({ path: /\/salesOrders$/, times: n }),
	};
}
