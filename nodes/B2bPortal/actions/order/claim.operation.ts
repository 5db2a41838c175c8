/**
 * Claims an order in the portal before its ERP document is created (POST /v1/orders/{number}/claim): a lease
 * that exactly one run holds at a time, on any n8n worker. In queue mode a duplicate webhook delivery, the
 * polling safety net and the webhook run can handle the same order at the same moment in different processes,
 * where no lock inside n8n is shared; the portal checks and takes the claim in one step.
 *
 * Not getting the claim is an outcome, not an error: the item goes on with `claim.status`
 *   - "claimed": this run holds the lease (taken, or renewed when it already held it) — create the ERP document;
 *   - "busy": another run holds a live lease (`heldBy`, `expiresAt`) — skip the order in this run; the holder
 *     finishes it, and if the holder died its lease runs out and a later run claims it;
 *   - "done": the order is no longer placed (acknowledged, rejected, …) — there is nothing to create.
 *
 * A claim also counts attempts: `claim.attempt` is how many times the order has been claimed by a new run (the
 * portal keeps the count across releases and expired leases), and `claim.lastAttempt` is true once it reaches
 * Max Attempts. The order templates reject an order the ERP refused temporarily on its last attempt, with the
 * ERP's last reason, instead of releasing it for the next run: no order is tried for ever.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { isLeaseSeconds, LEASE_SECONDS } from '../../../shared/claimRenewal';
import { forEachItem } from '../../../shared/items';
import { optionsCollection, readCommonOptions } from '../../../shared/options';
import { portalRequest } from '../../transport';
import { orderNumberProperty } from './shared';

const show = { show: { resource: ['order'], operation: ['claim'] } };

export const DEFAULT_LEASE_SECONDS = 300;
export const DEFAULT_MAX_ATTEMPTS = 5;

/** the order number of an item from the B2B Portal Trigger */
export const TRIGGER_ORDER_NUMBER = '={{ $json.order.number }}';

/** the "Owner" option, shared with Release Claim: empty = one owner per execution */
export const ownerOption: INodeProperties = {
	displayName: 'Owner',
	name: 'owner',
	type: 'string',
	default: '',
	placeholder: 'n8n-1234',
	description:
		'Who holds the claim. Empty = "n8n-" + this execution\'s ID, unique per run on every worker. Two runs must never share an owner (both would be let through).',
};

export const description: INodeProperties[] = [
	orderNumberProperty('claim', {
		default: TRIGGER_ORDER_NUMBER,
		description:
			'The portal order number. The default reads it from the "order" field the B2B Portal Trigger puts in each item.',
	}),
	{
		displayName: 'Lease (Seconds)',
		name: 'leaseSeconds',
		type: 'number',
		typeOptions: { minValue: LEASE_SECONDS.min, maxValue: LEASE_SECONDS.max },
		default: DEFAULT_LEASE_SECONDS,
		description:
			'How long the claim holds if this run does not finish the order (e.g. its worker dies). Longer than the ERP create can take with its retries; a later run can claim the order only after that.',
		displayOptions: show,
	},
	{
		displayName: 'Max Attempts',
		name: 'maxAttempts',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 100 },
		default: DEFAULT_MAX_ATTEMPTS,
		description:
			'How many runs may try to create the order in the ERP. The claim of the last one says lastAttempt = true: if the ERP refuses the order then, even for a reason that might pass later (a lock, a server error), the order is rejected with that reason instead of being tried again.',
		displayOptions: show,
	},
	optionsCollection(show, [ownerOption]),
];

/** the owner for item i: the option, or n8n-<execution id> */
export function claimOwner(ctx: IExecuteFunctions, i: number): string {
	const o = ctx.getNodeParameter('options', i, {}) as IDataObject;
	const given = typeof o.owner === 'string' ? o.owner.trim() : '';
	const owner = given || `n8n-${ctx.getExecutionId()}`;
	if (owner.length > 100)
		throw new NodeOperationError(ctx.getNode(), `Item ${i}: the claim owner is longer than 100 characters`, {
			itemIndex: i,
		});
	return owner;
}

export function orderNumberOf(ctx: IExecuteFunctions, i: number): string {
	const number = String(ctx.getNodeParameter('orderNumber', i, '') ?? '').trim();
	if (!number)
		throw new NodeOperationError(ctx.getNode(), `Item ${i}: no order number to claim`, {
			itemIndex: i,
			description: 'Set "Order Number", e.g. {{ $json.order.number }}',
		});
	return number;
}

interface ErrorBody {
	error?: { code?: string; message?: string; details?: IDataObject[] };
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const number = orderNumberOf(this, i);
		const owner = claimOwner(this, i);
		const leaseSeconds = this.getNodeParameter('leaseSeconds', i, DEFAULT_LEASE_SECONDS) as number;
		const maxAttempts = this.getNodeParameter('maxAttempts', i, DEFAULT_MAX_ATTEMPTS) as number;
		if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
			throw new NodeOperationError(
				this.getNode(),
				`Item ${i}: Max Attempts must be a whole number of at least 1, got ${String(maxAttempts)}`,
				{ itemIndex: i },
			);
		if (!isLeaseSeconds(leaseSeconds))
			throw new NodeOperationError(
				this.getNode(),
				`Item ${i}: Lease (Seconds) must be a whole number from ${LEASE_SECONDS.min} to ${LEASE_SECONDS.max}, got ${String(leaseSeconds)}`,
				{ itemIndex: i },
			);
		// a retry after a lost answer is safe: the same owner claiming again is a renewal
		const response = await portalRequest<IDataObject & ErrorBody>(this, {
			method: 'POST',
			path: `/v1/orders/${encodeURIComponent(number)}/claim`,
			body: { owner, leaseSeconds },
			itemIndex: i,
			action: `Claiming order ${number}`,
			policy: readCommonOptions(this, i).policy,
			acceptStatus: [409],
		});
		let claim: IDataObject;
		if (response.statusCode === 409) {
			const error = response.body?.error;
			const detail = error?.details?.[0] ?? {};
			if (error?.code === 'claim_held') {
				claim = {
					status: 'busy',
					orderNumber: number,
					owner,
					heldBy: String(detail.owner ?? ''),
					expiresAt: String(detail.expiresAt ?? ''),
				};
			} else if (error?.code === 'order_closed') {
				claim = {
					status: 'done',
					orderNumber: number,
					owner,
					orderStatus: String(detail.orderStatus ?? ''),
					...(detail.erpDocumentNumber ? { erpDocumentNumber: String(detail.erpDocumentNumber) } : {}),
				};
			} else {
				throw new NodeOperationError(
					this.getNode(),
					`The portal refused to claim order ${number}: ${error?.message ?? 'conflict (409)'}`,
					{ itemIndex: i },
				);
			}
		} else {
			const body = response.body;
			if (body.claimed !== true || body.owner !== owner)
				throw new NodeOperationError(
					this.getNode(),
					`The portal answered the claim of order ${number} without granting it to ${owner}`,
					{ itemIndex: i },
				);
			// without a count the attempts could not be bounded: refuse rather than retry an order for ever
			if (!Number.isInteger(body.attempt) || (body.attempt as number) < 1)
				throw new NodeOperationError(
					this.getNode(),
					`The portal answered the claim of order ${number} without "attempt" (a whole number ≥ 1, required by the portal API)`,
					{ itemIndex: i },
				);
			claim = {
				status: 'claimed',
				orderNumber: number,
				owner,
				expiresAt: body.expiresAt,
				// the ERP create renews the lease with the same length while it works (nodes/shared/claimRenewal.ts)
				leaseSeconds,
				renewed: body.renewed === true,
				attempt: body.attempt,
				maxAttempts,
				lastAttempt: (body.attempt as number) >= maxAttempts,
				...(body.tookOverFrom ? { tookOverFrom: body.tookOverFrom } : {}),
			};
		}
		return { json: { ...items[i].json, claim } } as INodeExecutionData;
	});
}
