/**
 * Entity sets as the router sees them: schema, records in key order, lookup by key, scalar property
 * access for $filter/$orderby, and the SAP JSON of a record (single read vs list read — in a list read
 * Items.ItemPrices is always [], as on real installs where prices must be re-read item by item).
 */
import { pln } from './money';
import type { Document, ItemRec, Schema } from './model';
import { DOC_KINDS, SCHEMAS, stockAt } from './model';
import type { DocKind } from './model';
import type { SapState } from './state';
import { spKey } from './state';

export type KeyValue = string | number;
export type Entity = Record<string, unknown>;

export interface EntitySet<R = unknown> {
	schema: Schema;
	/** records in default order (by key) */
	list(): R[];
	get(key: Record<string, KeyValue>): R | undefined;
	/** the single string key field, when `get` takes one (a "Key eq 'x' or …" filter then reads by key, as a database would) */
	keyField?: string;
	value(r: R, field: string): unknown;
	/** full SAP JSON (internal date format); mode 'list' for collection reads */
	entity(r: R, mode: 'single' | 'list'): Entity;
}

const ITEM_SCALARS = new Set(Object.keys(SCHEMAS.Items.fields).filter((f) => SCHEMAS.Items.fields[f] !== 'collection'));

function itemScalars(state: SapState, r: ItemRec): Entity {
	let onStock = 0;
	let committed = 0;
	let ordered = 0;
	for (let wi = 0; wi < state.warehouseOrder.length; wi++) {
		onStock += stockAt(r, wi, 0);
		committed += stockAt(r, wi, 1);
		ordered += stockAt(r, wi, 2);
	}
	return {
		ItemCode: r.ItemCode,
		ItemName: r.ItemName,
		ForeignName: r.ForeignName,
		ItemsGroupCode: r.ItemsGroupCode,
		SalesVATGroup: r.SalesVATGroup,
		BarCode: r.BarCode,
		VatLiable: 'tYES',
		PurchaseItem: 'tYES',
		SalesItem: r.SalesItem ?? 'tYES',
		InventoryItem: 'tYES',
		Mainsupplier: r.Mainsupplier,
		QuantityOnStock: round6(onStock),
		QuantityOrderedFromVendors: round6(ordered),
		QuantityOrderedByCustomers: round6(committed),
		ManageStockByWarehouse: 'tYES',
		Valid: r.Valid,
		ValidFrom: null,
		ValidTo: null,
		Frozen: r.Frozen,
		FrozenFrom: null,
		FrozenTo: null,
		SalesUnit: r.SalesUnit,
		InventoryUOM: r.SalesUnit,
		DefaultWarehouse: r.DefaultWarehouse,
		ItemType: 'itItems',
		CreateDate: r.CreateDate,
		CreateTime: r.CreateTime,
		UpdateDate: r.UpdateDate,
		UpdateTime: r.UpdateTime,
		Picture: r.Picture ?? null,
	};
}

function round6(n: number): number {
	return Number(n.toFixed(6));
}

export function itemEntity(state: SapState, r: ItemRec, mode: 'single' | 'list'): Entity {
	const e = itemScalars(state, r);
	e.ItemPrices =
		mode === 'list'
			? []
			: state.priceListOrder.map((no) => {
					const p = state.priceOf(r, no);
					return {
						PriceList: no,
						Price: pln(BigInt(p.grosze)),
						Currency: 'PLN',
						AdditionalPrice1: 0,
						AdditionalCurrency1: null,
						AdditionalPrice2: 0,
						AdditionalCurrency2: null,
						BasePriceList: p.basePriceList,
						Factor: p.factor,
						UoMPrices: [],
					};
				});
	e.ItemWarehouseInfoCollection = state.warehouseOrder.map((code, wi) => ({
		MinimalStock: 0,
		MaximalStock: 0,
		MinimalOrder: 0,
		StandardAveragePrice: 0,
		Locked: r.locked?.includes(wi) ? 'tYES' : 'tNO',
		WarehouseCode: code,
		InStock: stockAt(r, wi, 0),
		Committed: stockAt(r, wi, 1),
		Ordered: stockAt(r, wi, 2),
		ItemCode: r.ItemCode,
	}));
	return e;
}

function mapSet<R extends object>(
	schema: Schema,
	records: () => Map<KeyValue, R>,
	keyOf: (k: Record<string, KeyValue>) => KeyValue,
): EntitySet<R> {
	return {
		schema,
		list: () => {
			const keyName = schema.keys[0].name;
			return [...records().values()].sort((a, b) => {
				const x = (a as Record<string, KeyValue>)[keyName];
				const y = (b as Record<string, KeyValue>)[keyName];
				return x < y ? -1 : x > y ? 1 : 0;
			});
		},
		get: (k) => records().get(keyOf(k)),
		value: (r, f) => (r as Record<string, unknown>)[f],
		entity: (r) => structuredClone(r) as Entity,
	};
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySet = EntitySet<any>;

export function entitySets(state: SapState): Record<string, AnySet> {
	const sets: Record<string, AnySet> = {};
	const items: EntitySet<ItemRec> = {
		schema: SCHEMAS.Items,
		list: () => state.itemsInOrder(),
		get: (k) => state.items.get(String(k.ItemCode)),
		keyField: 'ItemCode',
		value: (r, f) => {
			if (!ITEM_SCALARS.has(f)) return undefined;
			if (f in r && f !== 'prices' && f !== 'stock') return (r as unknown as Record<string, unknown>)[f];
			return itemScalars(state, r)[f];
		},
		entity: (r, mode) => itemEntity(state, r, mode),
	};
	sets.Items = items;
	sets.PriceLists = mapSet(
		SCHEMAS.PriceLists,
		() => state.priceLists as Map<KeyValue, never>,
		(k) => Number(k.PriceListNo),
	);
	sets.BusinessPartners = mapSet(
		SCHEMAS.BusinessPartners,
		() => state.partners as Map<KeyValue, never>,
		(k) => String(k.CardCode),
	);
	sets.Warehouses = {
		...mapSet(
			SCHEMAS.Warehouses,
			() => state.warehouses as Map<KeyValue, never>,
			(k) => String(k.WarehouseCode),
		),
		list: () => state.warehouseOrder.map((c) => state.warehouses.get(c)!),
	};
	sets.SpecialPrices = {
		schema: SCHEMAS.SpecialPrices,
		list: () =>
			[...state.specialPrices.values()].sort((a, b) => {
				const x = spKey(a.CardCode, a.ItemCode);
				const y = spKey(b.CardCode, b.ItemCode);
				return x < y ? -1 : x > y ? 1 : 0;
			}),
		get: (k) => state.specialPrices.get(spKey(String(k.CardCode), String(k.ItemCode))),
		value: (r: Record<string, unknown>, f: string) => r[f],
		entity: (r: object) => structuredClone(r) as Entity,
	};
	for (const kind of Object.keys(DOC_KINDS) as DocKind[]) {
		const map = state.docs[kind] as Map<number, Document>;
		sets[kind] = {
			schema: SCHEMAS[kind],
			list: () => [...map.values()].sort((a, b) => a.DocEntry - b.DocEntry),
			get: (k: Record<string, KeyValue>) => map.get(Number(k.DocEntry)),
			value: (r: Record<string, unknown>, f: string) => r[f],
			entity: (r: object) => structuredClone(r) as Entity,
		};
	}
	return sets;
}
