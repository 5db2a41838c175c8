/**
 * The company database of the simulator: items (compact records), warehouses, price lists, special
 * prices, business partners and documents, plus the primitives every write goes through (so that a
 * $batch change set can be rolled back, and so that list caches know when data changed).
 *
 * Test helpers (moveStock, deliverOrder, invoiceOrder, payInvoice, touchItem) act like a user working in
 * the SAP client: they do NOT go through the Service Layer and are not in the request log.
 */
import type { LocalStamp, SimClock } from './clock';
import * as docs from './movements';
import { mulDiv, toScaled } from './money';
import type {
	BusinessPartner,
	Document,
	DocKind,
	ItemRec,
	PriceList,
	SpecialPrice,
	StockTransfer,
	Warehouse,
} from './model';
import { DOC_KINDS, spKey, stockAt } from './model';

export { spKey, stockAt } from './model';

export type StockMoveKind = 'receipt' | 'issue' | 'delivery' | 'transfer';

export interface MoveStockOptions {
	/** delivery: the customer (default: the first customer) */
	cardCode?: string;
	/** transfer: the other warehouse (default: the first other active one) */
	otherWarehouse?: string;
	/** allow InStock to go below zero (SAP blocks it by default: "Quantity falls into negative inventory") */
	allowNegative?: boolean;
	comments?: string;
}

export interface StockLevels {
	InStock: number;
	Committed: number;
	Ordered: number;
}

class Journal {
	readonly undo: (() => void)[] = [];
	readonly seen = new Set<unknown>();
	remember(key: unknown, restore: () => void): void {
		if (this.seen.has(key)) return;
		this.seen.add(key);
		this.undo.push(restore);
	}
}

const STOCK_FIELDS = 3;

export class SapState {
	readonly items = new Map<string, ItemRec>();
	readonly warehouses = new Map<string, Warehouse>();
	readonly priceLists = new Map<number, PriceList>();
	/** key: `${CardCode}\u0000${ItemCode}` — see spKey() */
	readonly specialPrices = new Map<string, SpecialPrice>();
	readonly partners = new Map<string, BusinessPartner>();
	/**
	 * The company's pictures folder (General Settings → Path → Pictures Folder): file name → bytes. Items.Picture
	 * names a file here; the Service Layer's ItemImages('code')/$value serves it (server option itemImages).
	 */
	readonly picturesFolder = new Map<string, Buffer>();
	readonly docs: { [K in DocKind]: Map<number, K extends 'StockTransfers' ? StockTransfer : Document> } = {
		Orders: new Map(),
		DeliveryNotes: new Map(),
		Invoices: new Map(),
		InventoryGenEntries: new Map(),
		InventoryGenExits: new Map(),
		StockTransfers: new Map(),
		Drafts: new Map(),
	};
	/** next DocEntry / DocNum per document collection */
	readonly counters = {} as Record<DocKind, { entry: number; num: number }>;
	/** warehouse codes in stock-array order */
	readonly warehouseOrder: string[] = [];
	/** price list numbers in ItemRec.prices order */
	readonly priceListOrder: number[] = [];
	private readonly whIndex = new Map<string, number>();
	private readonly plIndex = new Map<number, number>();
	private readonly versions = new Map<string, number>();
	private sortedItems: ItemRec[] | null = null;
	private journal: Journal | null = null;

	constructor(
		readonly clock: SimClock,
		readonly companyDb: string,
	) {
		this.resetCounters();
	}

	// ── reading ────────────────────────────────────────────────────────────────────────────────

	/** the server-local date/time of now, as SAP stamps records */
	stamp(): LocalStamp {
		return this.clock.stamp();
	}

	version(set: string): number {
		return this.versions.get(set) ?? 0;
	}

	/** items in ItemCode order (ordinal), cached until an item is added */
	itemsInOrder(): ItemRec[] {
		this.sortedItems ??= [...this.items.values()].sort((a, b) =>
			a.ItemCode < b.ItemCode ? -1 : a.ItemCode > b.ItemCode ? 1 : 0,
		);
		return this.sortedItems;
	}

	warehouseIndex(code: string): number | undefined {
		return this.whIndex.get(code);
	}

	stockOf(itemCode: string, warehouse: string): StockLevels {
		const rec = this.requireItem(itemCode);
		const wi = this.requireWarehouse(warehouse);
		return { InStock: stockAt(rec, wi, 0), Committed: stockAt(rec, wi, 1), Ordered: stockAt(rec, wi, 2) };
	}

	/**
	 * price of an item in a price list, in grosze, following BasePriceList/Factor for lists without an
	 * own price (SAP shows them as BasePriceList = base, Factor = f)
	 */
	priceOf(rec: ItemRec, listNo: number, depth = 0): { grosze: number; basePriceList: number; factor: number } {
		const idx = this.plIndex.get(listNo);
		const pl = this.priceLists.get(listNo);
		if (idx === undefined || !pl) return { grosze: 0, basePriceList: listNo, factor: 1 };
		const own = rec.prices[idx];
		if (own !== undefined && own >= 0) return { grosze: own, basePriceList: listNo, factor: 1 };
		if (pl.BasePriceList === listNo || depth > 8) return { grosze: 0, basePriceList: listNo, factor: 1 };
		const base = this.priceOf(rec, pl.BasePriceList, depth + 1).grosze;
		const grosze = Number(mulDiv(BigInt(base), toScaled(pl.Factor, 6), 1_000_000n));
		return { grosze, basePriceList: pl.BasePriceList, factor: pl.Factor };
	}

	specialPrice(cardCode: string, itemCode: string): SpecialPrice | undefined {
		return this.specialPrices.get(spKey(cardCode, itemCode));
	}

	findOrdersByNumAtCard(numAtCard: string): Document[] {
		return [...this.docs.Orders.values()].filter((o) => o.NumAtCard === numAtCard);
	}

	requireItem(code: string): ItemRec {
		const rec = this.items.get(code);
		if (!rec) throw new Error(`no item ${code}`);
		return rec;
	}

	requireWarehouse(code: string): number {
		const wi = this.whIndex.get(code);
		if (wi === undefined) throw new Error(`no warehouse ${code}`);
		return wi;
	}

	// ── master data (seed and tests) ───────────────────────────────────────────────────────────

	addWarehouse(w: Warehouse): void {
		if (!this.whIndex.has(w.WarehouseCode)) {
			this.whIndex.set(w.WarehouseCode, this.warehouseOrder.length);
			this.warehouseOrder.push(w.WarehouseCode);
		}
		this.warehouses.set(w.WarehouseCode, w);
		this.bump('Warehouses');
		this.bump('Items');
	}

	addPriceList(pl: PriceList): void {
		if (!this.plIndex.has(pl.PriceListNo)) {
			this.plIndex.set(pl.PriceListNo, this.priceListOrder.length);
			this.priceListOrder.push(pl.PriceListNo);
		}
		this.priceLists.set(pl.PriceListNo, pl);
		this.bump('PriceLists');
		this.bump('Items');
	}

	addItem(rec: ItemRec): void {
		if (!this.items.has(rec.ItemCode)) this.sortedItems = null;
		this.items.set(rec.ItemCode, rec);
		this.bump('Items');
	}

	addPartner(bp: BusinessPartner): void {
		this.partners.set(bp.CardCode, bp);
		this.bump('BusinessPartners');
	}

	addSpecialPrice(sp: SpecialPrice): void {
		this.specialPrices.set(spKey(sp.CardCode, sp.ItemCode), sp);
		this.bump('SpecialPrices');
	}

	/** sets an item's own price in a list (grosze); -1 = derive from the list's base list again */
	setItemPrice(itemCode: string, listNo: number, grosze: number, opts: { touch?: boolean } = { touch: true }): void {
		const rec = this.requireItem(itemCode);
		const idx = this.plIndex.get(listNo);
		if (idx === undefined) throw new Error(`no price list ${listNo}`);
		this.mutateItem(rec);
		rec.prices[idx] = grosze;
		if (opts.touch !== false) this.touch(rec);
	}

	/** an edit of the item master data in the SAP client: bumps UpdateDate/UpdateTime to the clock's now */
	touchItem(itemCode: string): ItemRec {
		const rec = this.requireItem(itemCode);
		this.mutateItem(rec);
		this.touch(rec);
		return rec;
	}

	/**
	 * an item deleted in the SAP client (SAP allows it only for an item no document uses): it is simply gone
	 * from /Items, with no trace a "changed since" read could find
	 */
	removeItem(itemCode: string): void {
		const rec = this.requireItem(itemCode);
		this.mutateItem(rec);
		this.items.delete(itemCode);
		this.sortedItems = null;
	}

	/**
	 * a picture chosen for the item in the SAP client: Items.Picture = the file name (an item master edit, so
	 * UpdateDate moves); with `bytes` the file is also put into the pictures folder. null removes the picture.
	 */
	setItemPicture(itemCode: string, fileName: string | null, bytes?: Buffer): void {
		const rec = this.requireItem(itemCode);
		this.mutateItem(rec);
		rec.Picture = fileName;
		this.touch(rec);
		if (fileName !== null && bytes) this.picturesFolder.set(fileName, Buffer.from(bytes));
	}

	/** a file replaced in the pictures folder under the same name: no item changes (UpdateDate stays) */
	writePictureFile(fileName: string, bytes: Buffer): void {
		this.picturesFolder.set(fileName, Buffer.from(bytes));
	}

	/** sets UpdateDate/UpdateTime explicitly (server-local date and time) */
	setItemUpdated(itemCode: string, date: string, time: string): void {
		const rec = this.requireItem(itemCode);
		this.mutateItem(rec);
		rec.UpdateDate = date;
		rec.UpdateTime = time;
	}

	/** locks/unlocks an item in a warehouse (ItemWarehouseInfo.Locked) */
	setLocked(itemCode: string, warehouse: string, locked: boolean): void {
		const rec = this.requireItem(itemCode);
		const wi = this.requireWarehouse(warehouse);
		this.mutateItem(rec);
		const set = new Set(rec.locked ?? []);
		if (locked) set.add(wi);
		else set.delete(wi);
		rec.locked = set.size ? [...set] : undefined;
	}

	// ── stock and documents (like a user in the SAP client) ───────────────────────────────────

	/**
	 * A stock movement: changes ItemWarehouseInfoCollection WITHOUT touching Items.UpdateDate (as real
	 * SAP does) and records the document a client could poll to find stock deltas:
	 * receipt → InventoryGenEntries (delta > 0), issue → InventoryGenExits (delta < 0),
	 * delivery → DeliveryNotes (delta < 0), transfer → StockTransfers (delta at `warehouse`, −delta at
	 * the other warehouse). Returns the created document.
	 */
	moveStock(
		itemCode: string,
		warehouse: string,
		delta: number,
		kind: StockMoveKind,
		opts: MoveStockOptions = {},
	): Document | StockTransfer {
		return docs.moveStock(this, itemCode, warehouse, delta, kind, opts);
	}

	/** delivers an open sales order (all open quantities, or `lines` {LineNum: qty}): a DeliveryNote with BaseType 17 lines; stock leaves; the order closes when fully delivered */
	deliverOrder(docEntry: number, opts: docs.DeliverOptions = {}): Document {
		return docs.deliverOrder(this, docEntry, opts);
	}

	/** invoices an order: lines based on its open deliveries (BaseType 15) and on its still-open order lines (BaseType 17, stock leaves) */
	invoiceOrder(docEntry: number, opts: docs.InvoiceOptions = {}): Document {
		return docs.invoiceOrder(this, docEntry, opts);
	}

	/** an incoming payment for the whole invoice: PaidToDate = DocTotal, DocumentStatus bost_Close */
	payInvoice(docEntry: number): Document {
		return docs.payInvoice(this, docEntry);
	}

	// ── write primitives (journaled for $batch change sets) ───────────────────────────────────

	bump(set: string): void {
		this.versions.set(set, (this.versions.get(set) ?? 0) + 1);
	}

	touch(rec: { UpdateDate: string; UpdateTime?: string }): void {
		const s = this.stamp();
		rec.UpdateDate = s.date;
		if ('UpdateTime' in rec) rec.UpdateTime = s.time;
	}

	mutateItem(rec: ItemRec): void {
		this.bump('Items');
		if (this.journal && !this.journal.seen.has(rec)) {
			const saved = { ...rec, prices: [...rec.prices], stock: [...rec.stock], locked: rec.locked && [...rec.locked] };
			this.journal.remember(rec, () => Object.assign(rec, saved));
		}
	}

	/** adds `delta` to InStock/Committed/Ordered of an item in a warehouse */
	addStock(rec: ItemRec, wi: number, field: 'InStock' | 'Committed' | 'Ordered', delta: number): void {
		this.mutateItem(rec);
		const i = wi * STOCK_FIELDS + (field === 'InStock' ? 0 : field === 'Committed' ? 1 : 2);
		while (rec.stock.length < (wi + 1) * STOCK_FIELDS) rec.stock.push(0);
		rec.stock[i] = Number((rec.stock[i] + delta).toFixed(6));
	}

	mutatePartner(bp: BusinessPartner): void {
		this.bump('BusinessPartners');
		if (this.journal && !this.journal.seen.has(bp)) {
			const saved = structuredClone(bp);
			this.journal.remember(bp, () => restoreInPlace(bp, saved));
		}
	}

	mutateDoc(kind: DocKind, doc: Document | StockTransfer): void {
		this.bump(kind);
		if (this.journal && !this.journal.seen.has(doc)) {
			const saved = structuredClone(doc);
			this.journal.remember(doc, () => restoreInPlace(doc, saved));
		}
	}

	/** the next DocEntry and DocNum of a collection (journaled) */
	nextNumbers(kind: DocKind): { entry: number; num: number } {
		const c = this.counters[kind];
		if (this.journal) {
			const saved = { ...c };
			this.journal.remember(c, () => Object.assign(c, saved));
		}
		return { entry: c.entry++, num: c.num++ };
	}

	insertDoc(kind: DocKind, doc: Document | StockTransfer): void {
		const map = this.docs[kind] as Map<number, Document | StockTransfer>;
		map.set(doc.DocEntry, doc);
		this.bump(kind);
		this.journal?.remember(`${kind}:${doc.DocEntry}`, () => map.delete(doc.DocEntry));
	}

	/** runs fn atomically: on a throw every journaled change is undone and the error rethrown */
	transaction<T>(fn: () => T): T {
		if (this.journal) return fn();
		const j = new Journal();
		this.journal = j;
		try {
			const out = fn();
			this.journal = null;
			return out;
		} catch (err) {
			this.journal = null;
			for (const undo of j.undo.reverse()) undo();
			for (const k of [...this.versions.keys()]) this.bump(k);
			throw err;
		}
	}

	reset(): void {
		this.items.clear();
		this.warehouses.clear();
		this.priceLists.clear();
		this.specialPrices.clear();
		this.partners.clear();
		this.picturesFolder.clear();
		for (const m of Object.values(this.docs)) m.clear();
		this.warehouseOrder.length = 0;
		this.priceListOrder.length = 0;
		this.whIndex.clear();
		this.plIndex.clear();
		this.sortedItems = null;
		for (const k of [...this.versions.keys()]) this.bump(k);
		this.resetCounters();
	}

	private resetCounters(): void {
		for (const kind of Object.keys(DOC_KINDS) as DocKind[])
			this.counters[kind] = { entry: 1, num: DOC_KINDS[kind].numStart };
	}
}

function restoreInPlace(target: object, saved: object): void {
	for (const k of Object.keys(target)) delete (target as Record<string, unknown>)[k];
	Object.assign(target, saved);
}
