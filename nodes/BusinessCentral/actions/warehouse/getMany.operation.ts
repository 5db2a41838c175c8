/**
 * Business Central's locations as warehouses {code, name}, one item each: what a workflow may name in *Locations*
 * (the stock read's dropdown, methods/loadOptions.ts, reads the same list).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { RequestContext } from '../../../shared/transport/request';
import { locationToWarehouse, type Warehouse } from '../../mapping';
import { bcPages, companyContext } from '../../transport';

export const description: INodeProperties[] = [];

export async function readLocations(ctx: RequestContext): Promise<Warehouse[]> {
	const bc = await companyContext(ctx, { maxRetries: 2 });
	const out: Warehouse[] = [];
	for await (const page of bcPages<IDataObject>(ctx, {
		url: '/locations',
		base: bc.companyApi,
		endpoints: bc,
		query: { $select: 'code,displayName' },
		policy: { maxRetries: 2 },
		action: 'Reading locations',
	}))
		for (const l of page.items) out.push(locationToWarehouse(l));
	return out;
}

export async function execute(this: IExecuteFunctions, input: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return (await readLocations(this)).map((w) => ({
		json: w as IDataObject,
		pairedItem: input.map((_, i) => ({ item: i })),
	}));
}
