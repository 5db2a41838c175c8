/**
 * Webhook signature check: `X-B2B-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256("<t>.<raw body>")>`
 * (docs/portal-api.yaml, webhooks). Constant-time comparison; a timestamp outside the window is refused
 * so a captured request cannot be replayed later, and an event id already accepted inside the window is
 * not processed again, so it cannot be replayed sooner.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { hasOwn, setOwn } from '../shared/own';
import { DEFAULT_WEBHOOK_WINDOW, MAX_WINDOW, MIN_WINDOW, withinWebhookWindow } from '../shared/webhookWindow';

export { MAX_WINDOW, MIN_WINDOW };

export interface SignatureCheck {
	ok: boolean;
	/** why it was refused (safe to show: no secret, no expected signature) */
	reason?: string;
	timestamp?: number;
}

/**
 * The replay window from the trigger's option: unset (undefined/null) is the default 300 s; a finite number
 * (or its digits as text) within the bounds is itself; anything else (other text, '', NaN, Infinity, out of
 * bounds) is undefined. A NaN
 * window would accept every timestamp (`x > NaN` is false), so it must never reach verifySignature.
 */
export function replayWindow(value: unknown): number | undefined {
	if (value === undefined || value === null) return DEFAULT_WEBHOOK_WINDOW;
	// an expression may give the number as text ("300"): only plain digits count
	const n = typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isFinite(n)) return undefined;
	return n >= MIN_WINDOW && n <= MAX_WINDOW ? n : undefined;
}

export function signPayload(secret: string, timestamp: number, rawBody: Buffer | string): string {
	return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

export function verifySignature(
	header: string | undefined,
	rawBody: Buffer,
	secret: string,
	toleranceSeconds: number,
	nowSeconds = Math.floor(Date.now() / 1000),
): SignatureCheck {
	if (!header) return { ok: false, reason: 'missing X-B2B-Signature header' };
	// a second line behind replayWindow: a window that is no number refuses everything instead of nothing
	if (!Number.isFinite(toleranceSeconds) || toleranceSeconds < 0)
		return { ok: false, reason: `the allowed clock difference is not a number of seconds (${toleranceSeconds})` };
	const parts = new Map<string, string[]>();
	for (const piece of header.split(',')) {
		const eq = piece.indexOf('=');
		if (eq < 1) continue;
		const k = piece.slice(0, eq).trim();
		parts.set(k, [...(parts.get(k) ?? []), piece.slice(eq + 1).trim()]);
	}
	const t = Number(parts.get('t')?.[0]);
	if (!Number.isInteger(t) || t <= 0) return { ok: false, reason: 'signature header has no valid timestamp' };
	if (!withinWebhookWindow(nowSeconds - t, toleranceSeconds))
		return {
			ok: false,
			reason: `timestamp is ${nowSeconds - t} s away from now (allowed ±${toleranceSeconds} s)`,
			timestamp: t,
		};
	const expected = Buffer.from(signPayload(secret, t, rawBody), 'hex');
	const candidates = parts.get('v1') ?? [];
	const match = candidates.some((c) => {
		if (!/^[0-9a-f]{64}$/i.test(c)) return false;
		const got = Buffer.from(c, 'hex');
		return got.length === expected.length && timingSafeEqual(got, expected);
	});
	return match ? { ok: true, timestamp: t } : { ok: false, reason: 'signature does not match', timestamp: t };
}

/**
 * Event ids accepted within the window, kept small: ids older than the window are dropped because
 * their timestamps would be refused anyway. `seen` lives in static data (saved as JSON), so ids are own
 * keys: an id "constructor" is not "seen" before it came, and "__proto__" is remembered like any other.
 */
export function rememberEvent(
	seen: Record<string, number>,
	id: string,
	timestamp: number,
	toleranceSeconds: number,
	nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
	for (const [k, t] of Object.entries(seen)) if (t < nowSeconds - 2 * toleranceSeconds) delete seen[k];
	if (hasOwn(seen, id)) return false;
	setOwn(seen, id, timestamp);
	return true;
}
