/**
 * Product → Update (Partial): PATCH /v1/products/batch. Each record is a product code and only the fields to
 * change; the portal keeps every other field as the last full upsert sent it. Made for the delta's "Deleted"
 * output: `{code, active: false}` takes a product deleted in the ERP off sale and keeps its name — a full upsert
 * would have to invent one (the templates used to rename it "<code> (usunięty w ERP)").
 * A code the portal does not have is never created (the answer says notFound): it fails its item, or is passed
 * on as notFound (option Code Not in Portal).
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { executeUpsert, notFoundOption, upsertProperties } from '../upsert';

export const description = upsertProperties('product', 'productPatch', 'update', [], [notFoundOption('productPatch')]);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeUpsert.call(this, items, 'productPatch');
}
