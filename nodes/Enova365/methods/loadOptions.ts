import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { enovaCall } from '../transport';

/** Warehouses (GetMagazyny): "MAG – Magazyn główny", value the symbol. */
export async function getWarehouses(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const body = await enovaCall(this, { method: 'GetMagazyny', policy: { maxRetries: 2 } });
	const rows = (Array.isArray(body.Magazyny) ? body.Magazyny : []) as IDataObject[];
	return rows.map((m) => ({ name: `${String(m.Symbol)} – ${String(m.Nazwa ?? '')}`, value: String(m.Symbol) }));
}

/** Price definitions (GetDefinicjeCen), blocked ones marked; value the name (enova's key for prices). */
export async function getPriceDefinitions(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const body = await enovaCall(this, { method: 'GetDefinicjeCen', policy: { maxRetries: 2 } });
	const rows = (Array.isArray(body.DefinicjeCen) ? body.DefinicjeCen : []) as IDataObject[];
	return rows.map((d) => ({
		name: `${String(d.Nazwa)}${d.Brutto === true ? ' (brutto)' : ''}${d.Blokada === true ? ' – zablokowana' : ''}`,
		value: String(d.Nazwa),
	}));
}

/**
 * The warehouse of a new ZO: "the add-on's default" (the empty value the templates ship) first, then enova's
 * warehouses. Without that first entry n8n marks the empty value red in the panel, as a value that is not in the
 * list (seen in the browser suite, issue #17).
 */
export async function getOrderWarehouses(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return [{ name: "The Add-On's Default Warehouse", value: '' }, ...(await getWarehouses.call(this))];
}
