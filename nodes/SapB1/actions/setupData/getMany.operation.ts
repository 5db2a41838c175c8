/**
 * SAP's warehouses and price lists, one item each: what a workflow may name in *Warehouses*, *Warehouse* and
 * *Price Lists*. The panel's dropdowns (methods/loadOptions.ts) read the same lists; `npx n8n-nodes-erp-b2b check`
 * runs these operations through n8n to verify that the warehouses and price lists the imported flows name exist.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { RequestContext } from '../../../shared/transport/request';
import { slPages } from '../../transport';

export const description: INodeProperties[] = [];

async function all(ctx: RequestContext, entity: string, select: string[], orderby: string): Promise<IDataObject[]> {
	const out: IDataObject[] = [];
	for await (const page of slPages(ctx, entity, { select, orderby, pageSize: 500, policy: { maxRetries: 2 } }))
		out.push(...page.items);
	return out;
}

export interface Warehouse {
	code: string;
	name: string;
}

export interface PriceList {
	number: number;
	name: string;
	gross: boolean;
}

export async function readWarehouses(ctx: RequestContext): Promise<Warehouse[]> {
	const rows = await all(ctx, 'Warehouses', ['WarehouseCode', 'WarehouseName'], 'WarehouseCode');
	return rows.map((w) => ({ code: String(w.WarehouseCode), name: String(w.WarehouseName ?? '') }));
}

export async function readPriceLists(ctx: RequestContext): Promise<PriceList[]> {
	const rows = await all(ctx, 'PriceLists', ['PriceListNo', 'PriceListName', 'IsGrossPrice'], 'PriceListNo');
	return rows.map((l) => ({
		number: Number(l.PriceListNo),
		name: String(l.PriceListName ?? ''),
		gross: l.IsGrossPrice === 'tYES',
	}));
}

const items = (records: object[], input: INodeExecutionData[]): INodeExecutionData[] =>
	records.map((r) => ({ json: r as IDataObject, pairedItem: input.map((_, i) => ({ item: i })) }));

export async function executeWarehouses(
	this: IExecuteFunctions,
	input: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return items(await readWarehouses(this), input);
}

export async function executePriceLists(
	this: IExecuteFunctions,
	input: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return items(await readPriceLists(this), input);
}
