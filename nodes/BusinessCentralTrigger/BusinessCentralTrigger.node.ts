/**
 * Starts a workflow when Business Central reports a change of items, customers, sales orders or sales invoices
 * through its change webhooks (API v2.0 `subscriptions`; research erp-facts-wave2 §1 "Webhooks").
 *
 * - Activation creates the subscription (./subscription.ts) with a random clientState kept in the workflow's static
 *   data; BC first calls the Production URL with `?validationToken=…` and wants it echoed (200, text/plain) within
 *   5 s — answered here before anything else, for GET and POST alike (the method BC uses is unverified).
 * - Every notification must carry our subscription id and clientState; a call that does not is answered 401 and
 *   starts nothing. BC sends no record data: one item per change tells the flow which record to read (or, for a
 *   `collection`, since when to read the whole set).
 * - Renewal before the 3-day expiry: on activation, after each notification, and on a GET keep-alive (see
 *   ./subscription.ts for why n8n offers no timer here); deactivation deletes the subscription (404 = already gone).
 * - The answer to a notification is sent before the renewal and before the workflow runs: BC counts a slow answer as
 *   a failed delivery and retries it.
 */
import {
	NodeConnectionTypes,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { BC_ONPREM_CREDENTIAL, BC_SAAS_CREDENTIAL } from '../BusinessCentral/transport';
import { readNotification, TRIGGER_RESOURCES, type TriggerResource } from './notifications';
import {
	DEFAULT_RENEW_BEFORE_HOURS,
	KEEPALIVE_MIN_INTERVAL_MS,
	createSubscription,
	failureText,
	needsRenewal,
	readSubscription,
	removeSubscription,
	renew,
	renewBeforeMs,
	wantedResource,
	type SubscriptionState,
} from './subscription';

/** BC's tokens are short; anything longer is not a handshake (the answer echoes it, so keep it bounded) */
const MAX_TOKEN_LENGTH = 1024;

export class BusinessCentralTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Business Central Trigger',
		name: 'businessCentralTrigger',
		icon: { light: 'file:businessCentral.svg', dark: 'file:businessCentral.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "changes of " + $parameter["resource"] }}',
		description: 'Starts the workflow when Business Central reports a changed record (change webhooks)',
		defaults: { name: 'Business Central Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: BC_SAAS_CREDENTIAL,
				required: true,
				displayOptions: { show: { authentication: [BC_SAAS_CREDENTIAL] } },
			},
			{
				name: BC_ONPREM_CREDENTIAL,
				required: true,
				displayOptions: { show: { authentication: [BC_ONPREM_CREDENTIAL] } },
			},
		],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'business-central' },
			// the validationToken call may come as GET; a GET without one is the keep-alive (see ./subscription.ts)
			{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', path: 'business-central' },
		],
		properties: [
			{
				displayName:
					"Business Central calls this node's Production URL: it must be reachable from Business Central (n8n's WEBHOOK_URL set to its public https address). Subscriptions last 3 days and are renewed on activation and with each change; for days without changes, call the Production URL with GET once a day (Schedule Trigger + HTTP Request).",
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'Business Central Online (Microsoft Entra App)', value: BC_SAAS_CREDENTIAL },
					{ name: 'Business Central On-Premises (Web Service Key)', value: BC_ONPREM_CREDENTIAL },
				],
				default: BC_SAAS_CREDENTIAL,
				description:
					'Which kind of Business Central installation, and so which credential, the subscription is made with',
			},
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: (Object.keys(TRIGGER_RESOURCES) as TriggerResource[]).map((value) => ({
					name: TRIGGER_RESOURCES[value].label,
					value,
				})),
				default: 'product',
				description: 'Which records to watch (one subscription per trigger)',
			},
			{
				displayName: 'Company',
				name: 'company',
				type: 'string',
				default: '',
				placeholder: 'CRONUS Polska S.A. or its ID',
				description: "Company name or ID (GUID); empty = the credential's company",
			},
			{
				displayName: 'Options',
				name: 'options',
				description: 'When the subscription is renewed',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Renew Before (Hours)',
						name: 'renewBeforeHours',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 71 },
						default: DEFAULT_RENEW_BEFORE_HOURS,
						description:
							'The subscription (3 days) is renewed when less than this is left at activation, at a change or at a keep-alive GET',
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const state = this.getWorkflowStaticData('node') as SubscriptionState;
				const url = this.getNodeWebhookUrl('default') as string;
				if (!state.subscriptionId || !state.clientState) return false;
				const resource = await wantedResource(this);
				if (state.notificationUrl !== url || state.resource !== resource) {
					// another URL (WEBHOOK_URL changed) or another resource / company: replace it — but never from the
					// editor's test listen, whose copy of the static data may hold the ACTIVE workflow's subscription
					if (this.getMode() !== 'manual')
						await removeSubscription(this, state.subscriptionId).catch((error) =>
							this.logger.warn(`Business Central Trigger: old subscription not deleted: ${failureText(error)}`),
						);
					return false;
				}
				const current = await readSubscription(this, state.subscriptionId);
				if (!current) return false; // expired or deleted by BC: create a new one
				state.expirationDateTime = String(current.expirationDateTime ?? state.expirationDateTime ?? '');
				if (needsRenewal(state, renewBeforeMs(this))) await renew(this, state, current);
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const state = this.getWorkflowStaticData('node') as SubscriptionState;
				const url = this.getNodeWebhookUrl('default') as string;
				await createSubscription(this, state, url, await wantedResource(this));
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const state = this.getWorkflowStaticData('node') as SubscriptionState;
				if (state.subscriptionId) {
					try {
						await removeSubscription(this, state.subscriptionId);
					} catch (error) {
						this.logger.warn(
							`Business Central Trigger: the subscription ${state.subscriptionId} was not deleted (${failureText(error)}); BC drops it at its expiry ${state.expirationDateTime ?? ''}`,
						);
						return false;
					}
				}
				for (const key of Object.keys(state)) delete state[key];
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const res = this.getResponseObject();
		const query = (req.query ?? {}) as IDataObject;

		// 1. the handshake, first and fast: BC gives 5 s
		if (query.validationToken !== undefined) {
			const token = String(query.validationToken);
			if (!token || token.length > MAX_TOKEN_LENGTH) {
				res.status(400).type('text/plain').send('bad validationToken');
				return { noWebhookResponse: true };
			}
			res.status(200).type('text/plain').send(token);
			return { noWebhookResponse: true };
		}

		const state = this.getWorkflowStaticData('node') as SubscriptionState;

		// 2. GET keep-alive: renew (or re-create) when due; nothing starts
		if (req.method === 'GET') {
			const answer = await keepAlive(this, state);
			res.status(answer.ok ? 200 : 503).json(answer);
			return { noWebhookResponse: true };
		}

		// 3. a notification: ours, or refused as a whole
		const verdict = readNotification(req.body, state);
		if (!verdict.ok) {
			this.logger.warn(`Business Central Trigger refused a call: ${verdict.reason}`);
			res.status(401).json({ error: { code: 'unauthorized', message: 'not a notification of this trigger' } });
			return { noWebhookResponse: true };
		}
		res.status(200).end();
		if (verdict.expirationDateTime) state.expirationDateTime = verdict.expirationDateTime;
		try {
			if (needsRenewal(state, renewBeforeMs(this))) await renew(this, state);
		} catch (error) {
			state.lastError = failureText(error);
			this.logger.warn(
				`Business Central Trigger: renewal failed, tried again with the next change: ${state.lastError}`,
			);
		}
		if (verdict.items.length === 0) return { noWebhookResponse: true };
		return {
			noWebhookResponse: true,
			workflowData: [this.helpers.returnJsonArray(verdict.items)],
		};
	}
}

/**
 * The keep-alive: at most one BC call per KEEPALIVE_MIN_INTERVAL_MS; renews when due, re-creates a subscription BC
 * no longer has (expired, or deleted after failed deliveries). Only for an activated trigger (static data present).
 */
async function keepAlive(ctx: IWebhookFunctions, state: SubscriptionState): Promise<IDataObject> {
	if (!state.subscriptionId || !state.clientState || !state.notificationUrl || !state.resource)
		return { ok: false, status: 'not active: activate the workflow' };
	const checked = Date.parse(state.checkedAt ?? '');
	const beforeMs = renewBeforeMs(ctx);
	if (Number.isFinite(checked) && Date.now() - checked < KEEPALIVE_MIN_INTERVAL_MS && !needsRenewal(state, beforeMs))
		return { ok: true, status: 'active', expirationDateTime: state.expirationDateTime };
	state.checkedAt = new Date().toISOString();
	try {
		const current = await readSubscription(ctx, state.subscriptionId);
		if (!current) {
			const old = state.subscriptionId;
			await createSubscription(ctx, state, state.notificationUrl, state.resource);
			state.checkedAt = new Date().toISOString();
			ctx.logger.info(`Business Central Trigger: subscription ${old} was gone; created ${state.subscriptionId}`);
			return { ok: true, status: 'recreated', expirationDateTime: state.expirationDateTime };
		}
		state.expirationDateTime = String(current.expirationDateTime ?? state.expirationDateTime ?? '');
		if (!needsRenewal(state, beforeMs))
			return { ok: true, status: 'active', expirationDateTime: state.expirationDateTime };
		await renew(ctx, state, current);
		return { ok: true, status: 'renewed', expirationDateTime: state.expirationDateTime };
	} catch (error) {
		state.lastError = failureText(error);
		ctx.logger.warn(`Business Central Trigger: keep-alive failed: ${state.lastError}`);
		// the URL is public: the reason goes to n8n's log only
		return { ok: false, status: 'failed' };
	}
}
