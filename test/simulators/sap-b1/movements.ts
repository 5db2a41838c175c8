/**
 * The SAP-client side, used by tests as "a user working in SAP": delivery of an order (BaseType 17 lines,
 * stock leaves), invoice (BaseType 15 lines from open deliveries, 17 from still-open order lines),
 * payment, and stock movements recorded as InventoryGenEntries / InventoryGenExits / DeliveryNotes /
 * StockTransfers — none of which touches Items.UpdateDate.
 */
import { addDays } from './clock';
import { errors } from './errors';
import { grosze, mulDiv, pln, roundQty, toScaled } from './money';
import type { BusinessPartner, Document, DocumentLine, DocKind, ItemRec, StockTransfer } from './model';
import { DOC_KINDS, stockAt, VAT_GROUPS } from './model';
import { amounts, copyLine, formatAddress, resolvePrice, totals } from './pricing';
import type { MoveStockOptions, SapState, StockMoveKind } from './state';

export interface DeliverOptions {
	/** LineNum → quantity to deliver (default: every open line, its whole open quantity) */
	lines?: Record<number, number>;
	allowNegative?: boolean;
	/** DocDate of the delivery (default: today on the simulated clock) */
	date?: string;
}

export interface InvoiceOptions {
	date?: string;
	/** payment term in days (DocDueDate = DocDate + dueDays; default 14) */
	dueDays?: number;
}

function negativeCheck(
	state: SapState,
	rec: ItemRec,
	wi: number,
	decrease: number,
	lineNo: number,
	allow?: boolean,
): void {
	if (allow) return;
	if (roundQty(stockAt(rec, wi, 0) - decrease) < 0)
		throw errors.validation(
			-10,
			`10000100 - Quantity falls into negative inventory  [DocumentLines.ItemCode][line: ${lineNo}]`,
		);
}

function newDoc(
	state: SapState,
	kind: DocKind,
	bp: BusinessPartner | null,
	lines: DocumentLine[],
	o: { date?: string; dueDate?: string; numAtCard?: string | null; comments?: string | null },
): Document {
	const stamp = state.stamp();
	const { entry, num } = state.nextNumbers(kind);
	const date = o.date ?? stamp.date;
	const doc: Document = {
		DocEntry: entry,
		DocNum: num,
		DocType: 'dDocument_Items',
		DocDate: date,
		DocDueDate: o.dueDate ?? date,
		TaxDate: date,
		CardCode: bp?.CardCode ?? null,
		CardName: bp?.CardName ?? null,
		Address: bp ? formatAddress(bp) : null,
		NumAtCard: o.numAtCard ?? null,
		...totals(lines),
		DocCurrency: 'PLN',
		DocRate: 1,
		Reference1: String(num),
		Comments: o.comments ?? null,
		JournalMemo: bp ? `${DOC_KINDS[kind].memo} - ${bp.CardCode}` : DOC_KINDS[kind].memo,
		DocTime: `${stamp.time.slice(0, 5)}:00`,
		Series: 1,
		DocObjectCode: DOC_KINDS[kind].code,
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
	return doc;
}

function closeLineOf(order: Document, line: DocumentLine, qty: number): void {
	line.RemainingOpenQuantity = roundQty(line.RemainingOpenQuantity - qty);
	line.OpenAmount = pln(mulDiv(grosze(line.Price), toScaled(line.RemainingOpenQuantity, 6), 1_000_000n));
	if (line.RemainingOpenQuantity <= 0) line.LineStatus = 'bost_Close';
	if (order.DocumentLines.every((l) => l.LineStatus === 'bost_Close')) order.DocumentStatus = 'bost_Close';
}

function orderFor(state: SapState, docEntry: number): Document {
	const order = state.docs.Orders.get(docEntry);
	if (!order) throw new Error(`no sales order with DocEntry ${docEntry}`);
	if (order.Cancelled === 'tYES') throw new Error(`sales order ${docEntry} is cancelled`);
	return order;
}

export function deliverOrder(state: SapState, docEntry: number, opts: DeliverOptions = {}): Document {
	return state.transaction(() => {
		const order = orderFor(state, docEntry);
		if (order.DocumentStatus !== 'bost_Open') throw new Error(`sales order ${docEntry} is closed`);
		const bp = state.partners.get(order.CardCode ?? '') ?? null;
		state.mutateDoc('Orders', order);
		const lines: DocumentLine[] = [];
		for (const line of order.DocumentLines) {
			if (line.LineStatus !== 'bost_Open') continue;
			const qty = opts.lines ? opts.lines[line.LineNum] : line.RemainingOpenQuantity;
			if (!qty) continue;
			if (qty < 0 || qty > line.RemainingOpenQuantity)
				throw new Error(`line ${line.LineNum}: ${qty} is more than the open ${line.RemainingOpenQuantity}`);
			const rec = state.requireItem(line.ItemCode);
			const wi = state.requireWarehouse(line.WarehouseCode);
			negativeCheck(state, rec, wi, qty, lines.length + 1, opts.allowNegative);
			state.addStock(rec, wi, 'InStock', -qty);
			state.addStock(rec, wi, 'Committed', -qty);
			lines.push(copyLine(line, lines.length, qty, DOC_KINDS.Orders.objType, order.DocEntry, true));
			closeLineOf(order, line, qty);
		}
		if (!lines.length) throw new Error(`sales order ${docEntry}: nothing to deliver`);
		state.touch(order);
		return newDoc(state, 'DeliveryNotes', bp, lines, {
			date: opts.date,
			numAtCard: order.NumAtCard,
			comments: `Na podstawie Zamówienia klienta ${order.DocNum}.`,
		});
	});
}

export function invoiceOrder(state: SapState, docEntry: number, opts: InvoiceOptions = {}): Document {
	return state.transaction(() => {
		const order = orderFor(state, docEntry);
		const bp = state.partners.get(order.CardCode ?? '') ?? null;
		const lines: DocumentLine[] = [];
		for (const dn of state.docs.DeliveryNotes.values()) {
			if (dn.DocumentStatus !== 'bost_Open' || dn.Cancelled === 'tYES') continue;
			const based = dn.DocumentLines.filter(
				(l) => l.BaseType === DOC_KINDS.Orders.objType && l.BaseEntry === docEntry && l.LineStatus === 'bost_Open',
			);
			if (!based.length) continue;
			state.mutateDoc('DeliveryNotes', dn);
			for (const l of based) {
				lines.push(
					copyLine(l, lines.length, l.RemainingOpenQuantity, DOC_KINDS.DeliveryNotes.objType, dn.DocEntry, false),
				);
				closeLineOf(dn, l, l.RemainingOpenQuantity);
			}
			state.touch(dn);
		}
		if (order.DocumentStatus === 'bost_Open') {
			state.mutateDoc('Orders', order);
			for (const line of order.DocumentLines) {
				if (line.LineStatus !== 'bost_Open') continue;
				const qty = line.RemainingOpenQuantity;
				const rec = state.requireItem(line.ItemCode);
				const wi = state.requireWarehouse(line.WarehouseCode);
				negativeCheck(state, rec, wi, qty, lines.length + 1);
				state.addStock(rec, wi, 'InStock', -qty);
				state.addStock(rec, wi, 'Committed', -qty);
				lines.push(copyLine(line, lines.length, qty, DOC_KINDS.Orders.objType, order.DocEntry, false));
				closeLineOf(order, line, qty);
			}
			state.touch(order);
		}
		if (!lines.length) throw new Error(`sales order ${docEntry}: nothing left to invoice`);
		const stamp = state.stamp();
		const date = opts.date ?? stamp.date;
		return newDoc(state, 'Invoices', bp, lines, {
			date,
			dueDate: addDays(date, opts.dueDays ?? 14),
			numAtCard: order.NumAtCard,
		});
	});
}

export function payInvoice(state: SapState, docEntry: number): Document {
	const inv = state.docs.Invoices.get(docEntry);
	if (!inv) throw new Error(`no invoice with DocEntry ${docEntry}`);
	state.mutateDoc('Invoices', inv);
	inv.PaidToDate = inv.DocTotal;
	inv.DocumentStatus = 'bost_Close';
	state.touch(inv);
	return inv;
}

export function moveStock(
	state: SapState,
	itemCode: string,
	warehouse: string,
	delta: number,
	kind: StockMoveKind,
	opts: MoveStockOptions,
): Document | StockTransfer {
	const rec = state.requireItem(itemCode);
	const wi = state.requireWarehouse(warehouse);
	if (!Number.isFinite(delta) || delta === 0) throw new Error('moveStock: delta must be a non-zero number');
	const qty = roundQty(Math.abs(delta));
	return state.transaction(() => {
		const line = (
			lineNo: number,
			wh: string,
			priceG: bigint,
			rateBp: number,
			vatGroup: string | null,
		): DocumentLine => ({
			LineNum: lineNo,
			ItemCode: itemCode,
			ItemDescription: rec.ItemName,
			Quantity: qty,
			ShipDate: null,
			Price: pln(priceG),
			PriceAfterVAT: pln(mulDiv(priceG, BigInt(10_000 + rateBp), 10_000n)),
			Currency: 'PLN',
			DiscountPercent: 0,
			WarehouseCode: wh,
			VatGroup: vatGroup,
			TaxCode: null,
			TaxPercentagePerRow: rateBp / 100,
			...amounts(priceG, qty, rateBp, kind === 'delivery' ? qty : 0),
			UnitPrice: pln(priceG),
			LineStatus: kind === 'delivery' ? 'bost_Open' : 'bost_Close',
			RemainingOpenQuantity: kind === 'delivery' ? qty : 0,
			BaseType: -1,
			BaseEntry: null,
			BaseLine: null,
			UoMCode: rec.SalesUnit,
		});
		const cost = BigInt(state.priceOf(rec, state.priceListOrder[0] ?? 1).grosze);
		switch (kind) {
			case 'receipt':
			case 'issue': {
				if ((kind === 'receipt') !== delta > 0)
					throw new Error(`moveStock: a ${kind} needs a ${kind === 'receipt' ? 'positive' : 'negative'} delta`);
				if (delta < 0) negativeCheck(state, rec, wi, qty, 1, opts.allowNegative);
				state.addStock(rec, wi, 'InStock', delta);
				const doc = newDoc(
					state,
					kind === 'receipt' ? 'InventoryGenEntries' : 'InventoryGenExits',
					null,
					[line(0, warehouse, cost, 0, null)],
					{ comments: opts.comments ?? null },
				);
				for (const l of doc.DocumentLines) l.LineStatus = 'bost_Close';
				doc.DocumentStatus = 'bost_Close';
				return doc;
			}
			case 'delivery': {
				if (delta > 0) throw new Error('moveStock: a delivery needs a negative delta (stock leaves)');
				const bp = opts.cardCode
					? state.partners.get(opts.cardCode)
					: [...state.partners.values()].find((p) => p.CardType === 'cCustomer');
				if (!bp) throw new Error('moveStock: no customer for the delivery');
				negativeCheck(state, rec, wi, qty, 1, opts.allowNegative);
				state.addStock(rec, wi, 'InStock', delta);
				const rateBp = VAT_GROUPS[rec.SalesVATGroup] ?? 2300;
				const price = resolvePrice(state, bp, rec, qty, state.stamp().date, rateBp);
				return newDoc(
					state,
					'DeliveryNotes',
					bp,
					[line(0, warehouse, price.specialNet ?? price.listNet, rateBp, rec.SalesVATGroup)],
					{ comments: opts.comments ?? null },
				);
			}
			case 'transfer': {
				const other =
					opts.otherWarehouse ??
					state.warehouseOrder.find((w) => w !== warehouse && state.warehouses.get(w)?.Inactive !== 'tYES');
				if (!other || other === warehouse) throw new Error('moveStock: a transfer needs another warehouse');
				const oi = state.requireWarehouse(other);
				const [from, to, fi, ti] = delta > 0 ? [other, warehouse, oi, wi] : [warehouse, other, wi, oi];
				negativeCheck(state, rec, fi, qty, 1, opts.allowNegative);
				state.addStock(rec, fi, 'InStock', -qty);
				state.addStock(rec, ti, 'InStock', qty);
				const stamp = state.stamp();
				const { entry, num } = state.nextNumbers('StockTransfers');
				const doc: StockTransfer = {
					DocEntry: entry,
					DocNum: num,
					DocDate: stamp.date,
					DueDate: stamp.date,
					TaxDate: stamp.date,
					CardCode: null,
					CardName: null,
					Reference1: String(num),
					Comments: opts.comments ?? null,
					JournalMemo: DOC_KINDS.StockTransfers.memo,
					FromWarehouse: from,
					ToWarehouse: to,
					Series: 1,
					DocObjectCode: DOC_KINDS.StockTransfers.code,
					CreationDate: stamp.date,
					UpdateDate: stamp.date,
					DocumentStatus: 'bost_Close',
					StockTransferLines: [
						{
							LineNum: 0,
							DocEntry: entry,
							ItemCode: itemCode,
							ItemDescription: rec.ItemName,
							Quantity: qty,
							Price: pln(cost),
							Currency: 'PLN',
							WarehouseCode: to,
							FromWarehouseCode: from,
							UoMCode: rec.SalesUnit,
							LineStatus: 'bost_Close',
							BaseType: -1,
							BaseEntry: null,
							BaseLine: null,
						},
					],
				};
				state.insertDoc('StockTransfers', doc);
				return doc;
			}
			default:
				throw new Error(`moveStock: unknown kind ${String(kind)}`);
		}
	});
}
