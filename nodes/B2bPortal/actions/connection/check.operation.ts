/**
 * Connection → Check: the portal answers the key, and its clock fits the webhook window. The B2B Portal Trigger
 * refuses an event whose signed timestamp (the portal's clock) is more than its window (default 300 s) from n8n's
 * clock, so a portal server whose clock is ten minutes off gets every order webhook refused with 401, while every
 * other request works. The portal's clock is read from the HTTP Date header of one authenticated GET the contract
 * already serves (/v1/sync-status, what the credential test reads): every HTTP origin server with a clock sends one
 * (RFC 9110 §6.6.1), to the second. n8n's time is the middle of the request, so the time on the wire counts half
 * either way. The set-up check (`npx n8n-nodes-erp-b2b check`) runs this operation inside n8n, because the window
 * compares the portal's clock with n8n's, not with the consultant's laptop.
 */
import {
	NodeOperationError,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { DEFAULT_WEBHOOK_WINDOW, MAX_WINDOW, MIN_WINDOW, withinWebhookWindow } from '../../../shared/webhookWindow';
import { portalRequest } from '../../transport';

const PATH = '/v1/sync-status';

export const description: INodeProperties[] = [
	{
		displayName: 'Webhook Window (Seconds)',
		name: 'webhookWindowSeconds',
		type: 'number',
		typeOptions: { minValue: MIN_WINDOW, maxValue: MAX_WINDOW },
		default: DEFAULT_WEBHOOK_WINDOW,
		description:
			"The B2B Portal Trigger's Allowed Clock Difference: the portal's clock must be at most this far from n8n's, either way",
		displayOptions: { show: { resource: ['connection'], operation: ['check'] } },
	},
];

export interface ClockReading {
	/** the portal's time from its Date header (ISO, whole seconds) */
	portalTime: string;
	/** n8n's time in the middle of the request (ISO) */
	n8nTime: string;
	/** portal − n8n, whole seconds: positive = the portal's clock is ahead */
	clockDifferenceSeconds: number;
	webhookWindowSeconds: number;
	withinWebhookWindow: boolean;
}

/**
 * The reading from a Date header and the times the request was sent and answered (ms since the epoch); throws an
 * Error saying what is wrong with the header. Only the HTTP date form (IMF-fixdate, or the obsolete forms
 * Date.parse reads) counts: a bare number is no HTTP date.
 */
export function readClock(
	dateHeader: string | string[] | undefined,
	sentMs: number,
	receivedMs: number,
	windowSeconds: number,
): ClockReading {
	const raw = Array.isArray(dateHeader) ? dateHeader[0] : dateHeader;
	if (raw === undefined || raw.trim() === '')
		throw new Error(`the portal answered GET ${PATH} without a Date header, so its clock cannot be read`);
	// asctime ("Sun Nov  6 08:49:37 1994") is GMT but names no zone: Date.parse would read it as n8n's local time
	const text = /^[a-z]{3} [a-z]{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/i.test(raw.trim()) ? `${raw.trim()} GMT` : raw;
	const portalMs = /[a-z]/i.test(text) ? Date.parse(text) : NaN;
	if (!Number.isFinite(portalMs))
		throw new Error(
			`the portal answered GET ${PATH} with a Date header that is no HTTP date ("${raw.slice(0, 80)}"), so its clock cannot be read`,
		);
	const n8nMs = Math.round((sentMs + receivedMs) / 2);
	const clockDifferenceSeconds = Math.round((portalMs - n8nMs) / 1000);
	return {
		portalTime: new Date(portalMs).toISOString(),
		n8nTime: new Date(n8nMs).toISOString(),
		clockDifferenceSeconds,
		webhookWindowSeconds: windowSeconds,
		withinWebhookWindow: withinWebhookWindow(clockDifferenceSeconds, windowSeconds),
	};
}

/** The window parameter: a number of seconds within the trigger's bounds, or an error naming the field. */
function windowParameter(node: INode, value: unknown): number {
	if (typeof value === 'number' && Number.isFinite(value) && value >= MIN_WINDOW && value <= MAX_WINDOW) return value;
	throw new NodeOperationError(
		node,
		`Webhook Window (Seconds) must be a number of seconds from ${MIN_WINDOW} to ${MAX_WINDOW}, got ${JSON.stringify(value)}`,
		{ itemIndex: 0 },
	);
}

/** One item: the portal's time, n8n's, the difference and whether it fits the window. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const windowSeconds = windowParameter(this.getNode(), this.getNodeParameter('webhookWindowSeconds', 0));
	const sentMs = Date.now();
	const response = await portalRequest(this, {
		method: 'GET',
		path: PATH,
		itemIndex: 0,
		action: "Reading the portal's clock",
		// one try: a retried request would measure the last try against a clock started before the first
		policy: { maxRetries: 0 },
	});
	const receivedMs = Date.now();
	let reading: ClockReading;
	try {
		reading = readClock(response.headers.date, sentMs, receivedMs, windowSeconds);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, {
			itemIndex: 0,
			description:
				'A proxy or load balancer in front of the portal may drop the header: ask the portal admin to pass it through.',
		});
	}
	return [{ json: { ...reading }, pairedItem: { item: 0 } }];
}
