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
