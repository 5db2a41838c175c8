/**
 * Keeps the portal claims of an ERP node's input orders alive while the node creates their documents.
 *
 * Why: the order templates claim each order in the portal (B2B Portal → Order → Claim for Processing, a lease of
 * 300 s) and then create it in the ERP in a separate node. n8n runs one node after another, so the claim node cannot
 * renew the lease while the ERP node waits; an ERP slower than the lease (SAP answering after minutes of retries, a
 * Subiekt/Optima bridge waiting on a COM lock) would let the next run — the 5-minute safety net, a duplicate webhook
 * on another worker — claim the order, miss the document that is still being written and create a second one. The
 * ERP node itself therefore renews the claims: the portal renews a claim when the same owner claims again
 * (POST /v1/orders/{number}/claim, docs/portal-api.yaml), so this module sends that request, with the owner and the
 * lease length the claim node put on the item, every lease/3 for as long as the node runs.
 *
 * Every order of the node is renewed, not only the one being created: the claim node claims all orders of a run at
 * once, and the 500th order waits for the 499 before it; an order already created stays renewed until the node ends,
 * so its confirmation (the next node) follows while the claim is still this run's.
 *
 * What a renewal can answer:
 *   - 200 → still this run's (`expiresAt` moves on);
 *   - 409 `claim_held` / `order_closed` → the claim is lost (another run took it after this one's lease ran out, or
 *     the order was confirmed or rejected meanwhile): renewing stops, and the item says so (`claim.status` "lost",
 *     `lostTo` or `orderStatus`). The templates then do not confirm the order — the holder's lookup by the portal
 *     number (NumAtCard, ObcyNumer, original / foreign number) finds this run's document and confirms it — and they
 *     alert, since the holder may have created one too;
 *   - anything else (the portal down, a timeout, 5xx) → a failure: counted and named on the item
 *     (`renewalFailures`, `lastRenewalFailure`), tried again after half the interval; it never fails the ERP call.
 *     A renewal waits half an interval for its answer (1–15 s), four at a time.
 *     One missed renewal is harmless (the lease still has 2/3 left); only a portal down for most of a lease lets
 *     the lease run out.
 *
 * The timer is one setTimeout at a time (never an interval), cleared in `stop()`, which every caller runs in a
 * `finally`: no timer outlives the node, whatever the ERP answered.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { PORTAL_CREDENTIAL, portalRequest } from './transport/portal';

/** the portal's lease bounds (docs/portal-api.yaml, claim): the claim node's Lease (Seconds) and a claim to renew */
export const LEASE_SECONDS = { min: 5, max: 3600 } as const;

/** Whether `n` is a lease length the portal takes: a whole number of seconds within LEASE_SECONDS. */
export function isLeaseSeconds(n: unknown): n is number {
	return Number.isInteger(n) && (n as number) >= LEASE_SECONDS.min && (n as number) <= LEASE_SECONDS.max;
}

/** the "Renew Claim While Creating" parameter of every ERP node's order create */
export function renewClaimProperty(displayOptions: INodeProperties['displayOptions']): INodeProperties {
	return {
		displayName: 'Renew Claim While Creating',
		name: 'renewClaim',
		type: 'boolean',
		default: false,
		description:
			'Whether to keep renewing the portal claim of each order (the "claim" field from B2B Portal → Order → Claim for Processing) while this node runs, so a slow ERP cannot outlast the lease and let another run create the order too. Needs the B2B Portal credential.',
		displayOptions,
	};
}

/**
 * When an ERP node shows its optional B2B Portal credential (`b2bPortalApi`, required: false): only for an order
 * create that renews claims. (Each node lists the credential itself: n8n's lint reads the list literally.)
 */
export const RENEWAL_CREDENTIAL_DISPLAY = {
	show: { resource: ['order'], operation: ['create'], renewClaim: [true] },
};

/** how a claim stood when the node ended; replaces the item's `claim` in the node's output */
export interface ClaimState extends IDataObject {
	status: 'claimed' | 'lost';
	orderNumber: string;
	owner: string;
	leaseSeconds: number;
	/** the lease end after the last renewal the portal granted (portal clock) */
	expiresAt: string;
	/** renewals the portal granted while the node ran */
	renewals: number;
	/** renewals that got no usable answer (portal down, timeout, 5xx) */
	renewalFailures: number;
}

interface Tracked {
	item: number;
	state: ClaimState;
	dueAt: number;
	done: boolean;
}

export interface RenewalSettings {
	/** ms between renewals of one claim; default leaseSeconds × 1000 / 3 */
	intervalMs?: (leaseSeconds: number) => number;
	now?: () => number;
}

const defaultInterval = (leaseSeconds: number) => Math.round((leaseSeconds * 1000) / 3);

/** renewals sent at the same time when several claims are due together (a run of many orders) */
const RENEWALS_AT_ONCE = 4;

/** a renewal waits for its answer half an interval, 1–15 s: the node's end waits at most that for one in flight */
const renewalTimeoutMs = (intervalMs: number) => Math.min(15_000, Math.max(1000, Math.round(intervalMs / 2)));

/**
 * The claim an item carries, to renew: `claim` with status "claimed", an owner, an order number and the lease
 * length. Anything else is an error naming the item and the field (the option is on, so a claim is expected).
 */
export function claimOfItem(ctx: IExecuteFunctions, item: INodeExecutionData, i: number): ClaimState {
	const claim = item.json.claim as IDataObject | undefined;
	const fail = (what: string) =>
		new NodeOperationError(ctx.getNode(), `Item ${i}: "Renew Claim While Creating" is on, but ${what}`, {
			itemIndex: i,
			description:
				'Put B2B Portal → Order → Claim for Processing before this node (only items with claim.status "claimed" reach it in the templates), or turn the option off.',
		});
	if (!claim || typeof claim !== 'object') throw fail('the item has no "claim" field');
	if (claim.status !== 'claimed')
		throw fail(`the item's claim.status is "${String(claim.status)}", not "claimed" (this run does not hold it)`);
	const owner = typeof claim.owner === 'string' ? claim.owner : '';
	const orderNumber = typeof claim.orderNumber === 'string' ? claim.orderNumber : '';
	const leaseSeconds = Number(claim.leaseSeconds);
	if (!owner) throw fail('claim.owner is empty');
	if (!orderNumber) throw fail('claim.orderNumber is empty');
	if (!isLeaseSeconds(leaseSeconds))
		throw fail(
			`claim.leaseSeconds must be a whole number from ${LEASE_SECONDS.min} to ${LEASE_SECONDS.max}, got ${String(claim.leaseSeconds)}`,
		);
	return {
		...(claim as IDataObject),
		status: 'claimed',
		orderNumber,
		owner,
		leaseSeconds,
		expiresAt: String(claim.expiresAt ?? ''),
		renewals: 0,
		renewalFailures: 0,
	};
}

/**
 * Renews the given claims (by item index) until `stop()`. Start it before the first ERP call and stop it in a
 * `finally`; `state(i)` is the claim of item i as it stood when the node ended.
 */
export class ClaimKeeper {
	private readonly tracked: Tracked[] = [];
	private timer: ReturnType<typeof setTimeout> | undefined;
	private running: Promise<void> | undefined;
	private stopped = false;
	private readonly now: () => number;
	private readonly intervalOf: (leaseSeconds: number) => number;

	constructor(
		private readonly ctx: IExecuteFunctions,
		claims: Map<number, ClaimState>,
		settings: RenewalSettings = {},
	) {
		this.now = settings.now ?? Date.now;
		this.intervalOf = settings.intervalMs ?? defaultInterval;
		const start = this.now();
		for (const [item, state] of claims)
			this.tracked.push({ item, state, dueAt: start + this.intervalOf(state.leaseSeconds), done: false });
		this.schedule();
	}

	state(item: number): ClaimState | undefined {
		return this.tracked.find((t) => t.item === item)?.state;
	}

	/** ends the renewals: clears the timer and waits for a renewal already sent (bounded by its timeout) */
	async stop(): Promise<void> {
		this.stopped = true;
		if (this.timer !== undefined) clearTimeout(this.timer);
		this.timer = undefined;
		await this.running;
	}

	private schedule(): void {
		if (this.stopped) return;
		// the earliest due renewal (a loop, not Math.min(...): a run may carry thousands of orders)
		let next = Infinity;
		for (const t of this.tracked) if (!t.done && t.dueAt < next) next = t.dueAt;
		if (next === Infinity) return;
		this.timer = setTimeout(
			() => {
				this.timer = undefined;
				this.running = this.renewDue().finally(() => {
					this.running = undefined;
					this.schedule();
				});
			},
			Math.max(0, next - this.now()),
		);
	}

	/** the due renewals, RENEWALS_AT_ONCE at a time: a hanging portal holds up a few, not every order's in turn */
	private async renewDue(): Promise<void> {
		const due = this.tracked.filter((t) => !t.done && t.dueAt <= this.now());
		const worker = async () => {
			for (let t = due.shift(); t && !this.stopped; t = due.shift()) await this.renew(t);
		};
		await Promise.all(Array.from({ length: Math.min(RENEWALS_AT_ONCE, due.length) }, worker));
	}

	private async renew(t: Tracked): Promise<void> {
		const { state } = t;
		const interval = this.intervalOf(state.leaseSeconds);
		try {
			const response = await portalRequest<IDataObject & { error?: { code?: string; details?: IDataObject[] } }>(
				this.ctx,
				{
					method: 'POST',
					path: `/v1/orders/${encodeURIComponent(state.orderNumber)}/claim`,
					body: { owner: state.owner, leaseSeconds: state.leaseSeconds },
					itemIndex: t.item,
					action: `Renewing the claim of order ${state.orderNumber}`,
					// one try per turn, answered well within the interval: the next turn is the retry
					policy: { maxRetries: 0, timeoutMs: renewalTimeoutMs(interval) },
					acceptStatus: [409],
				},
			);
			const body = response.body ?? {};
			if (response.statusCode === 409) {
				const code = body.error?.code;
				const detail = body.error?.details?.[0] ?? {};
				if (code === 'claim_held' || code === 'order_closed') {
					t.done = true;
					state.status = 'lost';
					if (code === 'claim_held') {
						state.lostTo = String(detail.owner ?? '');
						state.lostReason = `another run (${String(detail.owner ?? '?')}) holds the claim of order ${state.orderNumber}: this run's lease ran out before it was renewed`;
					} else {
						state.orderStatus = String(detail.orderStatus ?? '');
						state.lostReason = `order ${state.orderNumber} is no longer placed (${String(detail.orderStatus ?? '?')}): another run confirmed or rejected it meanwhile`;
					}
					this.ctx.logger?.warn(`Claim lost while creating: ${state.lostReason}`);
					return;
				}
				throw new Error(`HTTP 409 ${code ?? ''}`.trim());
			}
			if (body.claimed !== true || body.owner !== state.owner)
				throw new Error(`the portal answered without granting the claim to ${state.owner}`);
			state.renewals++;
			state.expiresAt = String(body.expiresAt ?? state.expiresAt);
			// a lease that had run out and was taken again by this owner (nobody else took it meanwhile)
			if (body.renewed !== true) state.lapsed = true;
			t.dueAt = this.now() + interval;
		} catch (error) {
			state.renewalFailures++;
			state.lastRenewalFailure = `Renewing the claim of order ${state.orderNumber} failed: ${(error as Error).message}`;
			this.ctx.logger?.warn(String(state.lastRenewalFailure));
			t.dueAt = this.now() + Math.round(interval / 2);
		}
	}
}

/**
 * Starts renewing the claims of `items` when the node's "Renew Claim While Creating" is on (undefined when off).
 * An item without a claim this run holds is an error of that item (`errors`), left to the caller's item loop.
 */
export async function startClaimKeeper(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	settings?: RenewalSettings,
): Promise<{ keeper: ClaimKeeper; errors: Map<number, Error> } | undefined> {
	const claims = new Map<number, ClaimState>();
	const errors = new Map<number, Error>();
	let on = false;
	for (let i = 0; i < items.length; i++) {
		if (!(ctx.getNodeParameter('renewClaim', i, false) as boolean)) continue;
		on = true;
		try {
			claims.set(i, claimOfItem(ctx, items[i], i));
		} catch (error) {
			errors.set(i, error as Error);
		}
	}
	if (!on) return undefined;
	try {
		await ctx.getCredentials(PORTAL_CREDENTIAL);
	} catch {
		throw new NodeOperationError(
			ctx.getNode(),
			'"Renew Claim While Creating" is on, but no B2B Portal credential is selected: choose the portal account the claims were taken with',
		);
	}
	return { keeper: new ClaimKeeper(ctx, claims, settings), errors };
}
