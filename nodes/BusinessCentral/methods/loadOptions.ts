import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { readLocations } from '../actions/warehouse/getMany.operation';

/** Locations of the company: "MAG-ŁÓDŹ – Magazyn Łódź", value the code. */
export async function getLocations(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return (await readLocations(this)).map((l) => ({ name: `${l.code} – ${l.name}`, value: l.code }));
}
