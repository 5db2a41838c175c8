import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { readPriceLists, readWarehouses } from '../actions/setupData/getMany.operation';

export async function getWarehouses(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return (await readWarehouses(this)).map((w) => ({ name: `${w.code} – ${w.name}`, value: w.code }));
}

export async function getPriceLists(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return (await readPriceLists(this)).map((l) => ({
		name: `${l.number} – ${l.name}${l.gross ? ' (brutto)' : ''}`,
		value: l.number,
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
