/**
 * Sales orders through the API: POST /Orders (validation, pricing, VAT, totals in integer grosze,
 * Committed stock), PATCH (If-Match is checked by routes.ts), Cancel and Close. The SAP-client side
 * (deliveries, invoices, payments, stock movements) is in movements.ts.
 *
 * Business errors use the DI API style "message [Table.Field][line: N]" with codes -10 / -5002
 * (the wording of "Invalid BP code … , 'X'" and "Item number is missing; specify an item number …"
 * is taken from real answers; the other messages follow the same pattern — see README).
 */
import { errors, SapError } from './errors';
import { grosze, mulDiv, pln, roundQty, toScaled } from './money';
import { amounts, resolvePrice, totals, formatAddress } from './pricing';
import type { BusinessPartner, Document, DocumentLine, DocKind } from './model';
import { DOC_KINDS, SCHEMAS, DOCUMENT_LINE_FIELDS, VAT_GROUPS } from './model';
import type { SapState } from './state';

type Json = Record<string, unknown>;

const HEADER_WRITABLE = new Set([
	'CardCode',
	'NumAtCard',
	'DocDate',
	'DocDueDate',
	'TaxDate',
	'Comments',
	'DocCurrency',
	'Address',
	'JournalMemo',
	'Series',
	'DocType',
	'DocumentLines',
]);
const HEADER_PATCHABLE = new Set([
	'NumAtCard',
	'DocDueDate',
	'TaxDate',
	'Comments',
	'Address',
	'JournalMemo',
	'DocumentLines',
]);
const LINE_WRITABLE = new Set([
	'LineNum',
	'ItemCode',
	'ItemDescription',
	'Quantity',
	'ShipDate',
	'Price',
	'PriceAfterVAT',
	'UnitPrice',
	'DiscountPercent',
	'WarehouseCode',
	'VatGroup',
	'TaxCode',
	'Currency',
	'UoMCode',
]);
const MAX_NUM_AT_CARD = 100;

// ── helpers ──────────────────────────────────────────────────────────────────────────────────

function lineError(code: number, message: string, field: string, lineNo: number): SapError {
	return errors.validation(code, `${message} [DocumentLines.${field}][line: ${lineNo}]`);
}

function num(v: unknown, prop: string, type: string): number | undefined {
	if (v === undefined || v === null) return undefined;
	if (typeof v === 'number' && Number.isFinite(v)) return v;
	if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
	throw errors.badRequest(`Invalid value for property '${prop}' of '${type}': ${JSON.stringify(v)}`);
}

function str(v: unknown, prop: string, type: string): string | undefined {
	if (v === undefined || v === null) return undefined;
	if (typeof v === 'string') return v;
	throw errors.badRequest(`Invalid value for property '${prop}' of '${type}': ${JSON.stringify(v)}`);
}

function dateOf(v: unknown, prop: string): string | undefined {
	if (v === undefined || v === null) return undefined;
	const m = typeof v === 'string' ? /^(\d{4}-\d{2}-\d{2})(T[\d:.]+Z?)?$/.exec(v) : null;
	if (!m || Number.isNaN(Date.parse(m[1])))
		throw errors.badRequest(`Invalid value for property '${prop}' of 'Document': ${JSON.stringify(v)}`);
	return m[1];
}

function object(body: unknown, type: string): Json {
	if (!body || typeof body !== 'object' || Array.isArray(body))
		throw errors.badRequest(`The request body must be a JSON object of type '${type}'`);
	return body as Json;
}

// ── building lines ───────────────────────────────────────────────────────────────────────────

interface LineContext {
	state: SapState;
	bp: BusinessPartner;
	table: string;
	docDate: string;
}

/** validates one input line and prices it; `prev` = the existing line when PATCHing */
function buildLine(ctx: LineContext, input: Json, lineNo: number, lineNum: number, prev?: DocumentLine): DocumentLine {
	const { state } = ctx;
	for (const k of Object.keys(input)) {
		if (!DOCUMENT_LINE_FIELDS.has(k)) throw errors.invalidProperty(k, 'DocumentLine');
		if (!LINE_WRITABLE.has(k))
			throw errors.validation(
				-5002,
				`Property '${k}' of 'DocumentLine' is read-only [DocumentLines.${k}][line: ${lineNo}]`,
			);
	}
	const itemCode = str(input.ItemCode, 'ItemCode', 'DocumentLine') ?? prev?.ItemCode;
	if (!itemCode) throw lineError(-5002, 'Item number is missing; specify an item number', 'ItemCode', lineNo);
	const rec = state.items.get(itemCode);
	if (!rec) throw errors.validation(-10, `Invalid item code [DocumentLines.ItemCode][line: ${lineNo}] , '${itemCode}'`);
	if (rec.Valid !== 'tYES' || rec.Frozen === 'tYES')
		throw lineError(-10, `Item '${itemCode}' is inactive`, 'ItemCode', lineNo);
	if (rec.SalesItem === 'tNO') throw lineError(-10, `Item '${itemCode}' is not a sales item`, 'ItemCode', lineNo);
	const qty = num(input.Quantity, 'Quantity', 'DocumentLine') ?? prev?.Quantity;
	if (qty === undefined || !(qty > 0)) throw lineError(-5002, 'Quantity must be greater than zero', 'Quantity', lineNo);
	const whCode =
		str(input.WarehouseCode, 'WarehouseCode', 'DocumentLine') ?? prev?.WarehouseCode ?? rec.DefaultWarehouse;
	const wh = state.warehouses.get(whCode);
	const wi = state.warehouseIndex(whCode);
	if (!wh || wi === undefined)
		throw errors.validation(-10, `Invalid warehouse code [DocumentLines.WarehouseCode][line: ${lineNo}] , '${whCode}'`);
	if (wh.Inactive === 'tYES') throw lineError(-10, `Warehouse '${whCode}' is inactive`, 'WarehouseCode', lineNo);
	if (rec.locked?.includes(wi))
		throw lineError(-10, `Item '${itemCode}' is locked in warehouse '${whCode}'`, 'WarehouseCode', lineNo);
	const vatGroup =
		str(input.VatGroup, 'VatGroup', 'DocumentLine') ??
		str(input.TaxCode, 'TaxCode', 'DocumentLine') ??
		prev?.VatGroup ??
		rec.SalesVATGroup;
	const rateBp = VAT_GROUPS[vatGroup];
	if (rateBp === undefined)
		throw errors.validation(-10, `Invalid tax code [DocumentLines.VatGroup][line: ${lineNo}] , '${vatGroup}'`);
	if (input.Currency !== undefined && input.Currency !== 'PLN')
		throw lineError(-5002, `Currency '${String(input.Currency)}' is not valid for this document`, 'Currency', lineNo);

	const unitIn = num(input.UnitPrice, 'UnitPrice', 'DocumentLine');
	const priceIn = num(input.Price, 'Price', 'DocumentLine');
	const grossIn = num(input.PriceAfterVAT, 'PriceAfterVAT', 'DocumentLine');
	const discIn = num(input.DiscountPercent, 'DiscountPercent', 'DocumentLine');
	for (const [v, f] of [
		[unitIn, 'UnitPrice'],
		[priceIn, 'Price'],
		[grossIn, 'PriceAfterVAT'],
	] as const)
		if (v !== undefined && v < 0) throw lineError(-5002, 'Price cannot be negative', f, lineNo);
	if (discIn !== undefined && (discIn < 0 || discIn > 100))
		throw lineError(-5002, 'Discount must be between 0 and 100', 'DiscountPercent', lineNo);
	const HUNDRED = 100_000_000n; // 100 % scaled by 1e6
	let unitG: bigint;
	let priceG: bigint;
	let grossG: bigint | undefined;
	let discount: number;
	if (unitIn !== undefined) {
		unitG = grosze(unitIn);
		discount = discIn ?? 0;
		priceG = mulDiv(unitG, HUNDRED - toScaled(discount, 6), HUNDRED);
	} else if (priceIn !== undefined) {
		priceG = grosze(priceIn);
		discount = discIn !== undefined && discIn < 100 ? discIn : 0;
		unitG = discount ? mulDiv(priceG, HUNDRED, HUNDRED - toScaled(discount, 6)) : priceG;
	} else if (grossIn !== undefined) {
		grossG = grosze(grossIn);
		priceG = mulDiv(grossG, 10_000n, BigInt(10_000 + rateBp));
		unitG = priceG;
		discount = 0;
	} else if (prev && input.ItemCode === undefined && discIn === undefined) {
		unitG = grosze(prev.UnitPrice);
		priceG = grosze(prev.Price);
		discount = prev.DiscountPercent;
	} else {
		const r = resolvePrice(state, ctx.bp, rec, qty, ctx.docDate, rateBp);
		unitG = r.listNet;
		priceG = r.specialNet ?? r.listNet;
		grossG = r.gross;
		if (discIn !== undefined) {
			discount = discIn;
			priceG = mulDiv(unitG, HUNDRED - toScaled(discIn, 6), HUNDRED);
			grossG = undefined;
		} else discount = unitG > 0n ? Number(mulDiv(unitG - priceG, 10_000n, unitG)) / 100 : 0;
	}
	const delivered = prev ? roundQty(prev.Quantity - prev.RemainingOpenQuantity) : 0;
	if (qty < delivered)
		throw lineError(
			-5002,
			`Quantity cannot be less than the quantity already delivered (${delivered})`,
			'Quantity',
			lineNo,
		);
	const openQty = roundQty(qty - delivered);
	return {
		LineNum: lineNum,
		ItemCode: itemCode,
		ItemDescription:
			str(input.ItemDescription, 'ItemDescription', 'DocumentLine') ??
			(prev?.ItemCode === itemCode ? prev.ItemDescription : rec.ItemName),
		Quantity: qty,
		ShipDate: dateOf(input.ShipDate, 'ShipDate') ?? prev?.ShipDate ?? null,
		Price: pln(priceG),
		PriceAfterVAT: pln(grossG ?? mulDiv(priceG, BigInt(10_000 + rateBp), 10_000n)),
		Currency: 'PLN',
		DiscountPercent: discount,
		WarehouseCode: whCode,
		VatGroup: vatGroup,
		TaxCode: null,
		TaxPercentagePerRow: rateBp / 100,
		...amounts(priceG, qty, rateBp, openQty),
		UnitPrice: pln(unitG),
		LineStatus: openQty > 0 ? 'bost_Open' : 'bost_Close',
		RemainingOpenQuantity: openQty,
		BaseType: -1,
		BaseEntry: null,
		BaseLine: null,
		UoMCode: str(input.UoMCode, 'UoMCode', 'DocumentLine') ?? rec.SalesUnit,
	};
}

function partnerFor(state: SapState, cardCode: unknown, table: string, allowed: string[]): BusinessPartner {
	const code = typeof cardCode === 'string' ? cardCode : '';
	const bp = state.partners.get(code);
	if (!bp || !allowed.includes(bp.CardType))
		throw errors.validation(-10, `Invalid BP code [${table}.CardCode] , '${code}'`);
	if (bp.Valid !== 'tYES' || bp.Frozen === 'tYES')
		throw errors.validation(-10, `Business partner '${code}' is inactive [${table}.CardCode]`);
	return bp;
}

function commit(state: SapState, doc: Document, sign: 1 | -1): void {
	for (const l of doc.DocumentLines) {
		if (l.LineStatus !== 'bost_Open' || !l.RemainingOpenQuantity) continue;
		const wi = state.warehouseIndex(l.WarehouseCode);
		const rec = state.items.get(l.ItemCode);
		if (wi !== undefined && rec) state.addStock(rec, wi, 'Committed', sign * l.RemainingOpenQuantity);
	}
}

// ── sales orders through the API ────────────────────────────────────────────────────────────

/**
 * POST /Orders. Returns the new order (or, when approval procedures apply, the draft: `draft: true`).
 * NumAtCard is NOT unique in SAP — a retried POST creates a second order.
 */
export function createOrder(
	state: SapState,
	body: unknown,
	opts: { approval: boolean },
): { doc: Document; draft: boolean } {
	const b = object(body, 'Document');
	for (const k of Object.keys(b)) {
		if (!SCHEMAS.Orders.fields[k]) throw errors.invalidProperty(k, 'Document');
	}
	const table = DOC_KINDS.Orders.table;
	const bp = partnerFor(state, b.CardCode, table, ['cCustomer', 'cLid']);
	if (b.DocType !== undefined && b.DocType !== 'dDocument_Items')
		throw errors.notImplemented(`DocType '${String(b.DocType)}'`);
	if (b.DocCurrency !== undefined && b.DocCurrency !== 'PLN')
		throw errors.validation(
			-5002,
			`Currency '${String(b.DocCurrency)}' is not valid for business partner '${bp.CardCode}' [${table}.DocCur]`,
		);
	const numAtCard = str(b.NumAtCard, 'NumAtCard', 'Document');
	if (numAtCard !== undefined && numAtCard.length > MAX_NUM_AT_CARD)
		throw errors.validation(-5002, "Value too long in property 'NumAtCard' of 'Document'");
	const stamp = state.stamp();
	const docDate = dateOf(b.DocDate, 'DocDate') ?? stamp.date;
	const dueDate = dateOf(b.DocDueDate, 'DocDueDate');
	if (!dueDate) throw errors.validation(-5002, `Enter a delivery date [${table}.DocDueDate]`);
	const taxDate = dateOf(b.TaxDate, 'TaxDate') ?? docDate;
	const inputLines = b.DocumentLines;
	if (!Array.isArray(inputLines) || inputLines.length === 0)
		throw errors.validation(-5002, `Add at least one row to the document [${table}.DocumentLines]`);
	const ctx: LineContext = { state, bp, table, docDate };
	const lines = inputLines.map((l, i) => buildLine(ctx, object(l, 'DocumentLine'), i + 1, i));
	for (const k of Object.keys(b)) if (!HEADER_WRITABLE.has(k)) delete b[k]; // read-only header properties are ignored, as SL does
	const kind: DocKind = opts.approval ? 'Drafts' : 'Orders';
	return state.transaction(() => {
		const { entry, num } = state.nextNumbers(kind);
		const doc: Document = {
			DocEntry: entry,
			DocNum: num,
			DocType: 'dDocument_Items',
			DocDate: docDate,
			DocDueDate: dueDate,
			TaxDate: taxDate,
			CardCode: bp.CardCode,
			CardName: bp.CardName,
			Address: str(b.Address, 'Address', 'Document') ?? formatAddress(bp),
			NumAtCard: numAtCard ?? null,
			...totals(lines),
			DocCurrency: 'PLN',
			DocRate: 1,
			Reference1: String(num),
			Comments: str(b.Comments, 'Comments', 'Document') ?? null,
			JournalMemo: str(b.JournalMemo, 'JournalMemo', 'Document') ?? `${DOC_KINDS.Orders.memo} - ${bp.CardCode}`,
			DocTime: `${stamp.time.slice(0, 5)}:00`,
			Series: 1,
			DocObjectCode: DOC_KINDS.Orders.code,
			PaidToDate: 0,
			CreationDate: stamp.date,
			UpdateDate: stamp.date,
			UpdateTime: stamp.time,
			DocumentStatus: 'bost_Open',
			Cancelled: 'tNO',
			CancelStatus: 'csNo',
			CancelDate: null,
			DocumentLines: lines,
		};
		state.insertDoc(kind, doc);
		if (kind === 'Orders') commit(state, doc, 1);
		return { doc, draft: kind === 'Drafts' };
	});
}

function requireOpen(doc: Document, table: string): void {
	if (doc.Cancelled === 'tYES') throw errors.validation(-5002, `Document is already cancelled [${table}.CANCELED]`);
	if (doc.DocumentStatus !== 'bost_Open')
		throw errors.validation(-5002, `Document is already closed [${table}.DocStatus]`);
}

/** PATCH /Orders(n). Lines with LineNum are updated, lines without are added; with replaceCollections, lines not sent are removed. */
export function patchOrder(state: SapState, doc: Document, body: unknown, opts: { replaceCollections: boolean }): void {
	const b = object(body, 'Document');
	const table = DOC_KINDS.Orders.table;
	for (const k of Object.keys(b)) {
		if (!SCHEMAS.Orders.fields[k]) throw errors.invalidProperty(k, 'Document');
		if (!HEADER_PATCHABLE.has(k))
			throw errors.validation(-5002, `Property '${k}' of 'Document' cannot be updated [${table}.${k}]`);
	}
	requireOpen(doc, table);
	const numAtCard = str(b.NumAtCard, 'NumAtCard', 'Document');
	if (numAtCard !== undefined && numAtCard.length > MAX_NUM_AT_CARD)
		throw errors.validation(-5002, "Value too long in property 'NumAtCard' of 'Document'");
	let lines: DocumentLine[] | undefined;
	if (b.DocumentLines !== undefined) {
		if (!Array.isArray(b.DocumentLines))
			throw errors.badRequest("Invalid value for property 'DocumentLines' of 'Document'");
		const bp = partnerFor(state, doc.CardCode, table, ['cCustomer', 'cLid']);
		const ctx: LineContext = { state, bp, table, docDate: doc.DocDate };
		const byNum = new Map(doc.DocumentLines.map((l) => [l.LineNum, l]));
		const touched = new Set<number>();
		let next = Math.max(-1, ...doc.DocumentLines.map((l) => l.LineNum)) + 1;
		const updated = (b.DocumentLines as unknown[]).map((raw, i) => {
			const input = object(raw, 'DocumentLine');
			const ln = num(input.LineNum, 'LineNum', 'DocumentLine');
			if (ln === undefined) return buildLine(ctx, input, i + 1, next++);
			const prev = byNum.get(ln);
			if (!prev) throw lineError(-2028, `Line ${ln} does not exist`, 'LineNum', i + 1);
			if (prev.LineStatus !== 'bost_Open')
				throw lineError(-5002, `Row ${ln} is closed and cannot be changed`, 'LineNum', i + 1);
			if (
				input.ItemCode !== undefined &&
				input.ItemCode !== prev.ItemCode &&
				prev.RemainingOpenQuantity !== prev.Quantity
			)
				throw lineError(-5002, 'Cannot change the item of a row that was partly delivered', 'ItemCode', i + 1);
			touched.add(ln);
			return buildLine(ctx, input, i + 1, ln, prev);
		});
		const kept = doc.DocumentLines.filter((l) => !touched.has(l.LineNum));
		if (opts.replaceCollections) {
			const removed = kept.find((l) => l.RemainingOpenQuantity !== l.Quantity || l.LineStatus !== 'bost_Open');
			if (removed)
				throw errors.validation(
					-5002,
					`Row ${removed.LineNum} was copied to a target document and cannot be removed [${table}.DocumentLines]`,
				);
		}
		lines = [...(opts.replaceCollections ? [] : kept), ...updated].sort((a, c) => a.LineNum - c.LineNum);
		if (lines.length === 0)
			throw errors.validation(-5002, `Add at least one row to the document [${table}.DocumentLines]`);
	}
	state.mutateDoc('Orders', doc);
	if (lines) {
		commit(state, doc, -1);
		doc.DocumentLines = lines;
		Object.assign(doc, totals(lines));
		commit(state, doc, 1);
	}
	if (numAtCard !== undefined) doc.NumAtCard = numAtCard;
	if (b.DocDueDate !== undefined) doc.DocDueDate = dateOf(b.DocDueDate, 'DocDueDate')!;
	if (b.TaxDate !== undefined) doc.TaxDate = dateOf(b.TaxDate, 'TaxDate')!;
	if (b.Comments !== undefined) doc.Comments = str(b.Comments, 'Comments', 'Document') ?? null;
	if (b.Address !== undefined) doc.Address = str(b.Address, 'Address', 'Document') ?? null;
	if (b.JournalMemo !== undefined) doc.JournalMemo = str(b.JournalMemo, 'JournalMemo', 'Document') ?? '';
	state.touch(doc);
}

/** POST /Orders(n)/Cancel: only when nothing was delivered yet; releases Committed */
export function cancelOrder(state: SapState, doc: Document): void {
	const table = DOC_KINDS.Orders.table;
	requireOpen(doc, table);
	if (doc.DocumentLines.some((l) => l.RemainingOpenQuantity !== l.Quantity))
		throw errors.validation(
			-5002,
			`Cannot cancel a document that was copied to a target document [${table}.DocStatus]`,
		);
	state.mutateDoc('Orders', doc);
	commit(state, doc, -1);
	doc.Cancelled = 'tYES';
	doc.CancelStatus = 'csYes';
	doc.DocumentStatus = 'bost_Close';
	doc.CancelDate = state.stamp().date;
	for (const l of doc.DocumentLines) l.LineStatus = 'bost_Close';
	state.touch(doc);
}

/** POST /Orders(n)/Close: closes the open rest; releases its Committed */
export function closeOrder(state: SapState, doc: Document): void {
	requireOpen(doc, DOC_KINDS.Orders.table);
	state.mutateDoc('Orders', doc);
	commit(state, doc, -1);
	doc.DocumentStatus = 'bost_Close';
	for (const l of doc.DocumentLines) l.LineStatus = 'bost_Close';
	state.touch(doc);
}
