/**
 * Starts a workflow when the portal sends an order event. Every request is checked before anything
 * runs: a missing or wrong signature or a stale timestamp is answered 401 and no workflow starts; an
 * event id already accepted is answered 200 (so the portal stops retrying) and starts nothing.
 */
import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { DEFAULT_WEBHOOK_WINDOW } from '../shared/webhookWindow';
import { MAX_WINDOW, MIN_WINDOW, rememberEvent, replayWindow, verifySignature } from './signature';

const EVENTS = [
	{ name: 'Order Created', value: 'order.created' },
	{ name: 'Order Updated', value: 'order.updated' },
	{ name: 'Order Cancelled', value: 'order.cancelled' },
];

// The portal contract has no webhook-registration endpoint: the consultant pastes the Production URL into
// the portal's settings once (see the notice in the node), so there is nothing to create or delete.
// eslint-disable-next-line @n8n/community-nodes/webhook-lifecycle-complete
export class B2bPortalTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'B2B Portal Trigger',
		name: 'b2bPortalTrigger',
		icon: { light: 'file:b2bPortal.svg', dark: 'file:b2bPortal.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["events"].join(", ") }}',
		description: 'Starts the workflow when the B2B portal sends a signed order event',
		defaults: { name: 'B2B Portal Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'b2bPortalApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'b2b-portal',
			},
		],
		properties: [
			{
				displayName:
					"Give the portal this node's Production URL as its order webhook, and the same signing secret as in the credential.",
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				description: 'Which order events start the workflow (others are answered 200 and ignored)',
				name: 'events',
				type: 'multiOptions',
				options: EVENTS,
				default: ['order.created'],
				required: true,
			},
			{
				displayName: 'Options',
				name: 'options',
				description: 'Clock difference allowed for signatures and other settings of the webhook',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Allowed Clock Difference (Seconds)',
						name: 'toleranceSeconds',
						type: 'number',
						typeOptions: { minValue: MIN_WINDOW, maxValue: MAX_WINDOW },
						default: DEFAULT_WEBHOOK_WINDOW,
						description: 'Events signed longer ago than this (or this far in the future) are refused as replays',
					},
				],
			},
		],
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const res = this.getResponseObject();
		const refuse = (status: number, code: string, message: string): IWebhookResponseData => {
			this.logger.warn(`B2B Portal Trigger refused a request: ${message}`);
			res.status(status).json({ error: { code, message } });
			return { noWebhookResponse: true };
		};

		const credentials = await this.getCredentials('b2bPortalApi');
		const secret = String(credentials.webhookSecret ?? '');
		if (!secret) return refuse(401, 'not_configured', 'the B2B Portal credential has no webhook signing secret');
		const options = this.getNodeParameter('options', {}) as IDataObject;
		// an expression that gives text, '' or NaN once made the window NaN, and NaN let every old event through:
		// anything but a number within the field's bounds is a set-up error (500, so the portal delivers again)
		const tolerance = replayWindow(options.toleranceSeconds);
		if (tolerance === undefined)
			return refuse(
				500,
				'not_configured',
				`Allowed Clock Difference (Seconds) must be a number of seconds from ${MIN_WINDOW} to ${MAX_WINDOW}, got ${typeof options.toleranceSeconds === 'string' ? `"${options.toleranceSeconds}"` : String(options.toleranceSeconds)}: fix the trigger's option`,
			);

		const raw = (req as unknown as { rawBody?: Buffer }).rawBody;
		const rawBody = Buffer.isBuffer(raw)
			? raw
			: Buffer.from(typeof raw === 'string' ? raw : JSON.stringify(req.body ?? {}));
		const header = req.headers['x-b2b-signature'];
		const check = verifySignature(Array.isArray(header) ? header[0] : header, rawBody, secret, tolerance);
		if (!check.ok) return refuse(401, 'bad_signature', check.reason ?? 'bad signature');

		let event: IDataObject;
		try {
			event = JSON.parse(rawBody.toString('utf8')) as IDataObject;
		} catch {
			return refuse(400, 'bad_request', 'body is not JSON');
		}
		const id = typeof event.id === 'string' ? event.id : '';
		const type = typeof event.type === 'string' ? event.type : '';
		if (!id || !type || typeof event.data !== 'object' || event.data === null)
			return refuse(400, 'bad_request', 'event needs id, type and data');

		const staticData = this.getWorkflowStaticData('node');
		const seen = (staticData.seenEvents ??= {}) as Record<string, number>;
		if (!rememberEvent(seen, id, check.timestamp as number, tolerance)) {
			// a portal retry after a lost answer, or a replay: answer 200 so retries stop, start nothing
			this.logger.info(`B2B Portal Trigger: event ${id} was already accepted; not processed again`);
			res.status(200).json({ received: true, duplicate: true });
			return { noWebhookResponse: true };
		}

		const events = this.getNodeParameter('events', []) as string[];
		if (!events.includes(type)) {
			res.status(200).json({ received: true, ignored: `event type ${type} is not selected` });
			return { noWebhookResponse: true };
		}
		// answer ourselves: n8n's default on-received body for trigger nodes is not useful to a portal
		res.status(200).json({ received: true, eventId: id });
		return {
			noWebhookResponse: true,
			workflowData: [
				[
					{
						json: {
							event: { id, type, createdAt: event.createdAt ?? null },
							order: event.data as IDataObject,
						},
					},
				],
			],
		};
	}
}
