/**
 * What every ERP node's "create order" shares: reading the canonical order from an input item, and creating
 * the ERP document at most once when the answer to the create request may be lost.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { describeIssues, validateRecord } from './model/validate';
import type { Order } from './model/types';
import { isNoAnswer, retryAfterOf } from './transport/request';
import { isRetryableStatus, sleep, type RetryPolicy } from './transport/retry';

/** The canonical order of an item: in the field named by the node's "Order Field" (empty = the item itself). */
export function orderFromItem(ctx: IExecuteFunctions, item: INodeExecutionData, i: number): Order {
	const field = String(ctx.getNodeParameter('orderField', i, 'order') ?? '').trim();
	const raw = field ? (item.json[field] as IDataObject | undefined) : item.json;
	if (!raw || typeof raw !== 'object')
		throw new NodeOperationError(ctx.getNode(), `Item ${i}: no order in field "${field}"`, { itemIndex: i });
	const checked = validateRecord('order', raw);
	if (!checked.ok || !checked.value)
		throw new NodeOperationError(ctx.getNode(), `Item ${i}: ${describeIssues('order', checked)}`, { itemIndex: i });
	return checked.value;
}

/**
 * Sends a create request that must not be repeated blindly (sent with no retries of its own). After a lost
 * answer or a failure status for which the ERP may still have saved the document (`unsure`), it waits (as long
 * as a Retry-After asks, within the policy's limit; otherwise its backoff), asks
 * `recover` whether the document exists and returns it if so; only otherwise does it post again, up to the
 * policy's retries. Any other failure is thrown as is.
 */
export async function createOnce<R>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	policy: RetryPolicy,
	post: () => Promise<R>,
	recover: () => Promise<R | undefined>,
	unsure: (status: number) => boolean = isRetryableStatus,
): Promise<R> {
	for (let attempt = 0; ; attempt++) {
		try {
			return await post();
		} catch (error) {
			const status = Number((error as { httpCode?: string }).httpCode);
			// a 503/429 may say how long to wait (Retry-After); one longer than the policy allows ends the item
			const asked = retryAfterOf(error);
			const tooLong = asked !== undefined && asked > policy.maxRetryAfterMs;
			if (!(isNoAnswer(error) || unsure(status)) || attempt >= policy.maxRetries || tooLong)
				throw error instanceof NodeApiError
					? error
					: new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
			await sleep(asked ?? Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
			const found = await recover();
			if (found !== undefined) return found;
		}
	}
}
