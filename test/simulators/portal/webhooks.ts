/**
 * Signed order webhooks, as the contract's `webhooks.orderEvent` describes:
 *   X-B2B-Signature: t=<unix seconds>,v1=<lowercase hex HMAC-SHA256 of "<t>.<raw body bytes>">
 *   X-B2B-Event-Id:  the event's id (retries keep it)
 * Sent over node:http to loopback addresses only.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { Order } from '../../../nodes/shared/model/types';

export type OrderEventType = 'order.created' | 'order.updated' | 'order.cancelled';

export interface OrderEvent {
	id: string;
	type: OrderEventType;
	createdAt: string;
	data: Order;
}

export interface SendOrderEventOptions {
	type: OrderEventType;
	/** the order, or the number of an order in the simulator's state */
	order: Order | string;
	/** event id (default evt_<uuid>); send the same id again to simulate a retry */
	id?: string;
	/** signature timestamp, unix seconds (default now) — set it in the past to test the receiver's window */
	timestamp?: number;
	/** event createdAt (default now) */
	createdAt?: string;
	/** HMAC secret (default the simulator's webhook secret) */
	secret?: string;
	/**
	 * signature: a wrong v1 (one hex digit changed); body: signed, then the first line's quantity is
	 * changed in the bytes sent; none (default): a correct delivery
	 */
	tamper?: 'signature' | 'body' | 'none';
	/**
	 * how the JSON is written: compact (default), pretty (2-space indent), or escaped (non-ASCII as
	 * \uXXXX and "/" as "\/", as PHP's json_encode does). Receivers must verify the raw bytes.
	 */
	style?: 'compact' | 'pretty' | 'escaped';
	/** extra request headers */
	headers?: Record<string, string>;
	/** default 10000 */
	timeoutMs?: number;
	/** send even if the event breaks the contract's OrderEvent schema (default: throw) */
	allowInvalid?: boolean;
}

export interface WebhookResponse {
	status: number;
	body: string;
	headers: http.IncomingHttpHeaders;
}

export interface WebhookDelivery {
	id: string;
	type: OrderEventType;
	targetUrl: string;
	tamper: 'signature' | 'body' | 'none';
	/** 0 when the request failed (no answer) */
	status: number;
}

export function signatureHeader(secret: string, timestamp: number, rawBody: Buffer | string): string {
	const hmac = createHmac('sha256', secret);
	hmac.update(`${timestamp}.`, 'utf8');
	hmac.update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody);
	return `t=${timestamp},v1=${hmac.digest('hex')}`;
}

/**
 * Verifies a signature header against the raw body, as a receiver must: HMAC over "<t>.<raw bytes>",
 * constant-time comparison, timestamp within `toleranceSeconds` (default 300) of `now`.
 */
export function verifySignature(
	secret: string,
	header: string | undefined,
	rawBody: Buffer,
	opts: { toleranceSeconds?: number; now?: number } = {},
): { ok: true; timestamp: number } | { ok: false; reason: string } {
	const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
	if (!m) return { ok: false, reason: 'malformed signature header' };
	const t = Number(m[1]);
	const now = opts.now ?? Math.floor(Date.now() / 1000);
	if (Math.abs(now - t) > (opts.toleranceSeconds ?? 300)) return { ok: false, reason: 'timestamp outside the window' };
	const expected = Buffer.from(signatureHeader(secret, t, rawBody).split('v1=')[1], 'hex');
	const given = Buffer.from(m[2], 'hex');
	return timingSafeEqual(expected, given) ? { ok: true, timestamp: t } : { ok: false, reason: 'signature mismatch' };
}

export function serialiseEvent(event: OrderEvent, style: SendOrderEventOptions['style'] = 'compact'): Buffer {
	if (style === 'pretty') return Buffer.from(JSON.stringify(event, null, 2), 'utf8');
	const text = JSON.stringify(event);
	if (style !== 'escaped') return Buffer.from(text, 'utf8');
	// "/" and non-ASCII only ever occur inside JSON strings, so replacing them in the text is safe
	const escaped = text
		.replace(/\//g, '\\/')
		.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
	return Buffer.from(escaped, 'utf8');
}

export function buildOrderEvent(
	order: Order,
	opts: Pick<SendOrderEventOptions, 'type' | 'id' | 'createdAt'>,
): OrderEvent {
	return {
		id: opts.id ?? `evt_${randomUUID()}`,
		type: opts.type,
		createdAt: opts.createdAt ?? new Date().toISOString(),
		data: structuredClone(order),
	};
}

/** Sends an already built event, signed as `opts` says. */
export async function deliverOrderEvent(
	targetUrl: string,
	event: OrderEvent,
	secret: string,
	opts: Omit<SendOrderEventOptions, 'type' | 'order' | 'id' | 'createdAt' | 'secret' | 'allowInvalid'> = {},
): Promise<WebhookResponse> {
	const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
	const signed = serialiseEvent(event, opts.style);
	let sent = signed;
	let signature = signatureHeader(secret, timestamp, signed);
	if (opts.tamper === 'signature') {
		const i = signature.length - 1;
		signature = signature.slice(0, i) + (signature[i] === '0' ? '1' : '0');
	} else if (opts.tamper === 'body') {
		const forged = structuredClone(event);
		const line = forged.data.lines[0];
		line.quantity = line.quantity === '999999' ? '1' : '999999';
		sent = serialiseEvent(forged, opts.style);
	}
	return postLoopback(
		targetUrl,
		sent,
		{
			'Content-Type': 'application/json',
			'User-Agent': 'b2b-portal-simulator',
			'X-B2B-Signature': signature,
			'X-B2B-Event-Id': event.id,
			...opts.headers,
		},
		opts.timeoutMs ?? 10_000,
	);
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function postLoopback(
	targetUrl: string,
	body: Buffer,
	headers: Record<string, string>,
	timeoutMs: number,
): Promise<WebhookResponse> {
	const url = new URL(targetUrl);
	if (url.protocol !== 'http:' || !LOOPBACK.has(url.hostname))
		return Promise.reject(
			new Error(`the simulator only sends webhooks to http://127.0.0.1 / localhost, not ${url.origin}`),
		);
	return new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{ method: 'POST', headers: { ...headers, 'Content-Length': String(body.length) }, timeout: timeoutMs },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () =>
					resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }),
				);
				res.on('error', reject);
			},
		);
		req.on('timeout', () => req.destroy(new Error(`webhook to ${targetUrl} timed out after ${timeoutMs} ms`)));
		req.on('error', reject);
		req.end(body);
	});
}
