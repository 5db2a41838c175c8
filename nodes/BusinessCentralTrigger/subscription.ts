/**
 * The trigger's Business Central subscription: created on activation, renewed before its 3-day expiry, deleted on
 * deactivation (research erp-facts-wave2 §1 "Webhooks"; MicrosoftDocs api/dynamics_subscriptions_*.md).
 *
 * n8n has no timer inside a webhook trigger: it calls checkExists / create on activation (also at every n8n start,
 * when active workflows are activated again) and delete on deactivation, nothing in between. A `trigger()` or
 * `poll()` method next to `webhook()` would give one, but n8n-core runs those INSTEAD of passing on the webhook's
 * data when a test event arrives in the editor (WorkflowExecute.runNode checks poll/trigger before webhook), so the
 * trigger could not be tested there. So the subscription is renewed
 *  1. in checkExists, on activation and at every n8n start;
 *  2. after answering each notification, when less than Renew Before (default 24 h) is left;
 *  3. on a GET to the trigger's Production URL (no validationToken): a Schedule Trigger with an HTTP Request
 *     (daily) keeps a subscription alive through days without any change, and re-creates it when BC has deleted it
 *     (BC drops a subscription whose deliveries failed for 36 h or were answered with a 4xx other than 408/429).
 *
 * What is kept in the workflow's static data (node scope): subscriptionId, clientState (the random secret every
 * notification must carry), notificationUrl, resource, expirationDateTime, etag. Nothing secret of the credential.
 */
import { randomBytes } from 'node:crypto';
import { NodeOperationError, type IDataObject } from 'n8n-workflow';
import { bcRequest, companyContext, etagOf, httpStatusOf, bcErrorCode } from '../BusinessCentral/transport';
import type { RequestContext } from '../shared/transport/request';
import { TRIGGER_RESOURCES, type TriggerResource } from './notifications';

export interface SubscriptionState extends IDataObject {
	subscriptionId?: string;
	clientState?: string;
	notificationUrl?: string;
	resource?: string;
	expirationDateTime?: string;
	etag?: string;
	/** when the trigger last asked BC about the subscription (GET keep-alive calls are limited by it) */
	checkedAt?: string;
	/** the last renewal or re-creation that failed, for the keep-alive answer and the log */
	lastError?: string;
}

export const DEFAULT_RENEW_BEFORE_HOURS = 24;
/** a keep-alive GET asks BC at most this often (the URL is public: a flood of GETs must not become BC calls) */
export const KEEPALIVE_MIN_INTERVAL_MS = 5 * 60_000;

const subscriptionPath = (id: string) => `/subscriptions('${encodeURIComponent(id)}')`;

/** `/api/v2.0/companies({id})/{entity}` for the node's Resource and company (override or the credential's) */
export async function wantedResource(ctx: RequestContext): Promise<string> {
	const resource = ctx.getNodeParameter('resource', 'product') as TriggerResource;
	const entry = TRIGGER_RESOURCES[resource];
	if (!entry) throw new NodeOperationError(ctx.getNode(), `Resource "${String(resource)}" cannot be watched`);
	const { company } = await companyContext(ctx);
	return `/api/v2.0/companies(${company.id})/${entry.entity}`;
}

export function renewBeforeMs(ctx: RequestContext): number {
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const hours = Number(options.renewBeforeHours ?? DEFAULT_RENEW_BEFORE_HOURS);
	if (!Number.isFinite(hours) || hours < 1 || hours > 71)
		throw new NodeOperationError(
			ctx.getNode(),
			`Renew Before (Hours) must be a number from 1 to 71, got ${JSON.stringify(options.renewBeforeHours)}: fix the trigger's option`,
		);
	return hours * 3600_000;
}

export function needsRenewal(state: SubscriptionState, beforeMs: number, now = Date.now()): boolean {
	const expires = Date.parse(state.expirationDateTime ?? '');
	return !Number.isFinite(expires) || expires - now < beforeMs;
}

/** the subscription as BC has it, or undefined when BC no longer knows it (404: expired or deleted) */
export async function readSubscription(ctx: RequestContext, id: string): Promise<IDataObject | undefined> {
	const { statusCode, body } = await bcRequest<IDataObject>(ctx, {
		method: 'GET',
		url: subscriptionPath(id),
		acceptStatus: [404],
		action: `Reading the Business Central subscription ${id}`,
	});
	return statusCode === 404 ? undefined : body;
}

function remember(state: SubscriptionState, body: IDataObject): void {
	state.subscriptionId = String(body.subscriptionId ?? state.subscriptionId ?? '');
	if (typeof body.expirationDateTime === 'string') state.expirationDateTime = body.expirationDateTime;
	const etag = etagOf(body);
	if (etag) state.etag = etag;
}

/** BC's 400 after a failed validationToken call, explained: it is n8n's URL that BC could not use */
function handshakeHint(error: unknown, url: string, action: string): unknown {
	if (httpStatusOf(error) !== 400 || !(error instanceof Error)) return error;
	error.message = `${action} failed: ${error.message} — Business Central calls ${url} with a validationToken and needs it answered within 5 s; that URL must be reachable from Business Central (n8n's WEBHOOK_URL set to its public https address)`;
	return error;
}

/**
 * Renews by PATCH with If-Match (BC answers with a new handshake, then 3 more days). The etag is read fresh
 * first: the one in the static data may be older than a renewal made by another call.
 */
export async function renew(ctx: RequestContext, state: SubscriptionState, current?: IDataObject): Promise<void> {
	const id = state.subscriptionId as string;
	const now = current ?? (await readSubscription(ctx, id));
	if (!now) throw new NodeOperationError(ctx.getNode(), `Business Central no longer has the subscription ${id}`);
	const action = `Renewing the Business Central subscription ${id}`;
	try {
		const { body } = await bcRequest<IDataObject>(ctx, {
			method: 'PATCH',
			url: subscriptionPath(id),
			headers: { 'If-Match': etagOf(now) ?? '*', 'Content-Type': 'application/json' },
			body: {
				notificationUrl: state.notificationUrl as string,
				resource: state.resource as string,
				clientState: state.clientState as string,
			},
			action,
		});
		remember(state, body);
		delete state.lastError;
	} catch (error) {
		throw handshakeHint(error, String(state.notificationUrl), action);
	}
}

/** Deletes one subscription; 404 (already expired or deleted) is fine. */
export async function removeSubscription(ctx: RequestContext, id: string, etag = '*'): Promise<void> {
	await bcRequest(ctx, {
		method: 'DELETE',
		url: subscriptionPath(id),
		headers: { 'If-Match': etag },
		acceptStatus: [404],
		action: `Deleting the Business Central subscription ${id}`,
	});
}

/**
 * Creates the subscription with a new random clientState. Subscriptions BC still has for this very URL and resource
 * (left by a workflow whose static data was lost, e.g. re-imported) are deleted first: BC allows 200, and they would
 * post notifications with a clientState nobody knows.
 */
export async function createSubscription(
	ctx: RequestContext,
	state: SubscriptionState,
	notificationUrl: string,
	resource: string,
): Promise<void> {
	const { body: list } = await bcRequest<{ value?: IDataObject[] }>(ctx, {
		method: 'GET',
		url: '/subscriptions',
		action: 'Listing the Business Central subscriptions',
	});
	for (const old of list?.value ?? [])
		if (old.notificationUrl === notificationUrl && sameResource(String(old.resource ?? ''), resource))
			await removeSubscription(ctx, String(old.subscriptionId), etagOf(old) ?? '*');

	const clientState = randomBytes(32).toString('base64url');
	const action = `Creating the Business Central subscription for ${resource}`;
	let body: IDataObject;
	try {
		({ body } = await bcRequest<IDataObject>(ctx, {
			method: 'POST',
			url: '/subscriptions',
			headers: { 'Content-Type': 'application/json' },
			body: { notificationUrl, resource, clientState },
			idempotent: false,
			action,
		}));
	} catch (error) {
		throw handshakeHint(error, notificationUrl, action);
	}
	for (const key of Object.keys(state)) delete state[key];
	Object.assign(state, { clientState, notificationUrl, resource });
	remember(state, body);
}

/** the same resource, written relative or absolute, with or without the leading slash */
export function sameResource(a: string, b: string): boolean {
	const norm = (r: string) =>
		r
			.replace(/^https?:\/\/[^/]+/i, '')
			.replace(/^.*?(?=api\/v2\.0\/)/i, '')
			.replace(/^\//, '')
			.toLowerCase();
	return norm(a) === norm(b);
}

/** a failure message for the log and the keep-alive answer, without anything from the request */
export function failureText(error: unknown): string {
	const code = bcErrorCode(error);
	const message = error instanceof Error ? error.message : String(error);
	return code && !message.includes(code) ? `${code}: ${message}` : message;
}
