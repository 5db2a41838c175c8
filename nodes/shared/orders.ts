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
	type INodeProperties,
} from 'n8n-workflow';
import { parseDecimal, trimDecimal } from './model/decimal';
import { forEachItem } from './items';
import { readAllowedVatRates } from './options';
import { describeIssues, validateRecord, type ValidationIssue } from './model/validate';
import { attachRefusal, classifyRefusal, type RefusalRule } from './refusal';
import { startClaimKeeper } from './claimRenewal';
import type { Order } from './model/types';
import { bridgeRequest } from './transport/bridge';
import { isNoAnswer, retryAfterOf } from './transport/request';
import { isRetryableStatus, sleep, type RetryPolicy } from './transport/retry';

/** The "Order Field" parameter of every node that reads a canonical order from its input items. */
export function orderFieldProperty(displayOptions: INodeProperties['displayOptions']): INodeProperties {
	return {
		displayName: 'Order Field',
		name: 'orderField',
		type: 'string',
		default: 'order',
		description:
			'Where the canonical order is in the input item: a field name (e.g. "order" from the B2B Portal Trigger), or empty if the item itself is the order',
		displayOptions,
	};
}

/** An order that the validator refuses as data: what is wrong, for a rejection in the portal. */
export interface InvalidOrder {
	/** the order's number when it could be read (a rejection in the portal needs it) */
	number?: string;
	issues: ValidationIssue[];
	/** the raw order as the item carries it (to name a line's number and product in a reason) */
	raw: IDataObject;
	/** the English description, as an error of orderFromItem says it (after "Item N: ") */
	message: string;
	/** the VAT rates the order's lines may carry (the node's "Allowed VAT Rates") */
	allowedVatRates: readonly string[];
}

/**
 * The canonical order of an item, or what is wrong with it: in the field named by the node's "Order Field"
 * (empty = the item itself), its lines' VAT rates among the node's "Allowed VAT Rates" option. No order at all in
 * the field is a workflow error (thrown), not an invalid order.
 */
export function readOrderOfItem(
	ctx: IExecuteFunctions,
	item: INodeExecutionData,
	i: number,
): { order: Order; invalid?: undefined } | { order?: undefined; invalid: InvalidOrder } {
	const field = String(ctx.getNodeParameter('orderField', i, 'order') ?? '').trim();
	const raw = field ? (item.json[field] as IDataObject | undefined) : item.json;
	if (!raw || typeof raw !== 'object')
		throw new NodeOperationError(ctx.getNode(), `Item ${i}: no order in field "${field}"`, { itemIndex: i });
	const allowedVatRates = readAllowedVatRates(ctx, i);
	const number =
		typeof raw.number === 'string' || typeof raw.number === 'number'
			? String(raw.number).trim() || undefined
			: undefined;
	// unit prices are kept exactly as the portal sent them (up to 4 places, as the portal contract allows):
	// rounding a portal price to the grosz here would hide a price mismatch from the ERP and the price check
	const lines = Array.isArray(raw.lines) ? (raw.lines as IDataObject[]) : [];
	for (let n = 0; n < lines.length; n++) {
		let places = 0;
		try {
			places = parseDecimal(lines[n]?.unitPrice).scale;
		} catch {
			continue; // validateRecord names the bad value
		}
		if (places > 4)
			return {
				invalid: {
					number,
					raw,
					allowedVatRates,
					issues: [
						{
							field: `lines[${n}].unitPrice`,
							message: `has more than 4 decimal places (${String(lines[n].unitPrice)})`,
						},
					],
					message: `order "${String(raw.number)}": lines[${n}].unitPrice has more than 4 decimal places (${String(lines[n].unitPrice)})`,
				},
			};
	}
	const checked = validateRecord('order', raw, { moneyDecimals: 4, orderVatRates: allowedVatRates });
	if (!checked.ok || !checked.value)
		return {
			invalid: { number, raw, allowedVatRates, issues: checked.issues, message: describeIssues('order', checked) },
		};
	const order = checked.value;
	for (const line of order.lines) line.unitPrice = trimDecimal(line.unitPrice, 2);
	if (order.totals) {
		for (const [k, v] of Object.entries(order.totals)) {
			if (typeof v === 'string') (order.totals as Record<string, string>)[k] = trimDecimal(v, 2);
		}
	}
	return { order };
}

/** The canonical order of an item (readOrderOfItem); an invalid order is an error naming the field and value. */
export function orderFromItem(ctx: IExecuteFunctions, item: INodeExecutionData, i: number): Order {
	const read = readOrderOfItem(ctx, item, i);
	if (read.invalid) throw new NodeOperationError(ctx.getNode(), `Item ${i}: ${read.invalid.message}`, { itemIndex: i });
	return read.order;
}

/**
 * The execute of every ERP node's "create order": `createOne` per item, and an error classified into the shared
 * refusal shape (final or temporary, with the ERP's table) before it reaches the item's error output, so every
 * order template reads `details.refusal` the same way whatever the ERP. With "Renew Claim While Creating" on, the
 * orders' portal claims are renewed for as long as the node runs (./claimRenewal.ts) and each output item carries
 * `claim` as it stood at the end (status "claimed", or "lost" — then the document must not be confirmed by this run).
 */
export async function createEachOrder(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	erpName: string,
	rules: RefusalRule[],
	createOne: (this: IExecuteFunctions, items: INodeExecutionData[], i: number) => Promise<IDataObject>,
): Promise<INodeExecutionData[]> {
	// the portal claims of the orders are renewed while this node runs, when "Renew Claim While Creating" is on
	const renewal = await startClaimKeeper(ctx, items);
	let out: INodeExecutionData[];
	try {
		out = await forEachItem(ctx, items, async (i) => {
			const noClaim = renewal?.errors.get(i);
			if (noClaim) throw noClaim;
			try {
				return await createOne.call(ctx, items, i);
			} catch (error) {
				throw attachRefusal(error, classifyRefusal(error, erpName, rules));
			}
		});
	} finally {
		await renewal?.keeper.stop();
	}
	// each created (or found) document says how its claim stood at the end: a lost claim must not be confirmed
	if (renewal)
		for (const item of out) {
			const i = (item.pairedItem as { item: number } | undefined)?.item;
			const state = i === undefined ? undefined : renewal.keeper.state(i);
			if (state && item.json.error === undefined) item.json = { ...item.json, claim: { ...state } };
		}
	return out;
}

const inFlight = new Map<string, Promise<void>>();

/**
 * Runs `fn` for one order at a time in this n8n process: "look the order up, create it if SAP has none" is not
 * atomic, and two executions may create the same order at the same moment — a portal delivering a webhook
 * twice, or the 5-minute poll path picking up an order whose webhook run is still under way. Executions of a
 * regular n8n instance share this module, so the second one waits and then finds the first one's document.
 * (n8n in queue mode with several workers runs executions in separate processes: there the ERP's own
 * duplicate check, where it has one, is the only guard.)
 */
export async function oneAtATime<T>(key: string, fn: () => Promise<T>): Promise<T> {
	const before = inFlight.get(key) ?? Promise.resolve();
	let release!: () => void;
	const mine = before.then(() => new Promise<void>((resolve) => (release = resolve)));
	inFlight.set(key, mine);
	await before;
	try {
		return await fn();
	} finally {
		release();
		if (inFlight.get(key) === mine) inFlight.delete(key);
	}
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

/**
 * An order's document created through a bridge service around an ERP's COM objects (Subiekt's Sfera bridge, the
 * Optima bridge): one POST without retries of its own; after a 502 (an opaque COM error, which does not say whether
 * the document was saved), a 503 (the ERP locked) or no answer, `find` looks the document up by the portal number
 * before it is posted again (createOnce). 201 → `created`; 200 → `existing` (the bridge found it itself).
 */
export async function createThroughBridge<R>(
	ctx: IExecuteFunctions,
	credentialType: string,
	itemIndex: number,
	policy: RetryPolicy,
	req: { path: string; body: IDataObject; action: string },
	find: () => Promise<IDataObject | undefined>,
	result: (doc: IDataObject, action: 'created' | 'existing') => R,
): Promise<R> {
	return await createOnce(
		ctx,
		itemIndex,
		policy,
		async () => {
			const { statusCode, body } = await bridgeRequest(ctx, credentialType, {
				method: 'POST',
				path: req.path,
				body: req.body,
				itemIndex,
				action: req.action,
				policy: { ...policy, maxRetries: 0 },
				idempotent: false,
			});
			return result(body, statusCode === 201 ? 'created' : 'existing');
		},
		async () => {
			const found = await find();
			return found ? result(found, 'created') : undefined;
		},
		(status) => status === 502 || status === 503,
	);
}
