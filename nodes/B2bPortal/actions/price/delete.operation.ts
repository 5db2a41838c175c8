/**
 * Price → Delete: POST /v1/prices/batch/delete. Each record is a price's key — product code, scope, scope code,
 * currency, minimum quantity (absent = 1), valid from (absent = open start), exactly the fields of the Sync
 * Guard's "Deleted" output for prices — so a price removed in the ERP stops showing in the portal after the next
 * full read. Other fields of the record (net, entity, deleted…) are dropped. A price the portal does not have
 * comes out as notFound, never as an error: a repeated run deletes nothing twice.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { executeUpsert, upsertProperties } from '../upsert';

export const description = upsertProperties('price', 'priceKey', 'delete');

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeUpsert.call(this, items, 'priceKey');
}
