import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { refusalOf } from './refusal';

/**
 * Runs `fn` for each item: pairs every output with its item, and with Continue On Fail turns an error into
 * an error item instead of stopping.
 */
export async function forEachItem(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	fn: (itemIndex: number) => Promise<IDataObject | IDataObject[] | INodeExecutionData>,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const result = await fn(i);
			if (result && typeof result === 'object' && 'json' in result && typeof result.json === 'object') {
				out.push({ ...(result as INodeExecutionData), pairedItem: { item: i } });
			} else {
				const list = Array.isArray(result) ? result : [result as IDataObject];
				out.push(
					...ctx.helpers.constructExecutionMetaData(ctx.helpers.returnJsonArray(list), { itemData: { item: i } }),
				);
			}
		} catch (error) {
			if (!ctx.continueOnFail()) {
				const known = error instanceof NodeOperationError || error instanceof NodeApiError;
				throw known ? error : new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: i });
			}
			const refusal = refusalOf(error);
			// only {error, message, details} keep an item an error item for n8n (its error output, merged there with
			// the input item): the refusal travels in `details`
			out.push({
				json: { error: (error as Error).message, ...(refusal ? { details: { refusal } } : {}) },
				pairedItem: { item: i },
			});
		}
	}
	return out;
}

/** One operation of a node's router table: gets the input items, returns the output items. */
export type OperationRun = (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>;

/**
 * The router of the ERP nodes that read through a connection opened once per execution (SQL, a bridge): runs
 * `table[resource][operation]`. A failure of the whole operation (no connection, a query refused) stops the node,
 * or with Continue On Fail becomes error items — nothing half-read is passed on: read-all operations run once
 * (one error item for item 0), per-item operations (`isPerItem`) give one error item per input item.
 */
export async function runOperation(
	ctx: IExecuteFunctions,
	table: Record<string, Record<string, OperationRun>>,
	isPerItem: (resource: string, operation: string) => boolean,
): Promise<INodeExecutionData[][]> {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const run = table[resource]?.[operation];
	if (!run)
		throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	const items = ctx.getInputData();
	try {
		return [await run.call(ctx, items)];
	} catch (error) {
		if (!ctx.continueOnFail()) {
			const known = error instanceof NodeOperationError || error instanceof NodeApiError;
			throw known ? error : new NodeOperationError(ctx.getNode(), error as Error);
		}
		const message = (error as Error).message;
		const paired = isPerItem(resource, operation) ? items.map((_, i) => i) : [0];
		return [paired.map((i) => ({ json: { error: message }, pairedItem: { item: i } }))];
	}
}
