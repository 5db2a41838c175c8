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
