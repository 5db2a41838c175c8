/**
 * Client → Update (Partial): PATCH /v1/clients/batch. Each record is a client code and only the fields to
 * change; the portal keeps every other field as the last full upsert sent it. Made for the delta's "Deleted"
 * output: `{code, blocked: true}` stops a client deleted in the ERP from ordering and keeps its name, tax ID and
 * addresses — a full upsert would have to invent them (the templates used to rename it "<code> (usunięty w ERP)"
 * and send no addresses). The same write path, options and errors as Product → Update (Partial).
 * A code the portal does not have is never created (the answer says notFound): it fails its item, or is passed
 * on as notFound (option Code Not in Portal).
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { executeUpsert, notFoundOption, upsertProperties } from '../upsert';

export const description = upsertProperties('client', 'clientPatch', 'update', [], [notFoundOption('clientPatch')]);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeUpsert.call(this, items, 'clientPatch');
}
