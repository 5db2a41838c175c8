import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { slPages } from '../transport';

async function all(
	ctx: ILoadOptionsFunctions,
	entity: string,
	select: string[],
	orderby: string,
): Promise<IDataObject[]> {
	const out: IDataObject[] = [];
	for await (const page of slPages(ctx, entity, { select, orderby, pageSize: 500, policy: { maxRetries: 2 } }))
		out.push(...page.items);
	return out;
}

export async function getWarehouses(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const rows = await all(this, 'Warehouses', ['WarehouseCode', 'WarehouseName'], 'WarehouseCode');
	return rows.map((w) => ({
		name: `${String(w.WarehouseCode)} – ${String(w.WarehouseName ?? '')}`,
		value: String(w.WarehouseCode),
	}));
}

export async function getPriceLists(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const rows = await all(this, 'PriceLists', ['PriceListNo', 'PriceListName', 'IsGrossPrice'], 'PriceListNo');
	return rows.map((l) => ({
		name: `${String(l.PriceListNo)} – ${String(l.PriceListName ?? '')}${l.IsGrossPrice === 'tYES' ? ' (brutto)' : ''}`,
		value: Number(l.PriceListNo),
	}));
}

export async function getInvoiceLayouts(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { GatewaySession } = await import('../actions/invoice/getMany.operation');
	const session = new GatewaySession(this as never, { pageSize: 500, policy: { maxRetries: 2 } as never, raw: {} });
	const layouts = await session.layouts();
	return layouts
		.filter((l) => String(l.root_guid) === '13' || String(l.code).startsWith('INV'))
		.map((l) => ({ name: `${String(l.code)} – ${String(l.name ?? '')}`, value: String(l.code) }));
}

/**
 * The warehouse of a new order's lines: "each item's default warehouse" (the empty value the templates ship) first,
 * then SAP's warehouses. Without that first entry n8n marks the empty value red in the panel, as a value that is
 * not in the list (seen in the browser suite, issue #17).
 */
export async function getOrderWarehouses(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return [{ name: "Each Item's Default Warehouse", value: '' }, ...(await getWarehouses.call(this))];
}
