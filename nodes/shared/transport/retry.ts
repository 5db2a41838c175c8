/**
 * Retry policy shared by every ERP and the portal: exponential backoff with full jitter for 429, 5xx and
 * network failures, honouring Retry-After; never a retry for a 4xx that cannot succeed (401 bad
 * credentials, 403, 404, 409, 422 ...). n8n's own "Retry On Fail" stops at 5 tries and 5 s between
 * them; this one is configurable per node (Options → Retries).
 */

export interface RetryPolicy {
	/** retries after the first try; 0 = try once */
	maxRetries: number;
	/** first backoff step; attempt n waits random(0 .. min(maxDelayMs, baseDelayMs * 2^n)) */
	baseDelayMs: number;
	maxDelayMs: number;
	/** longest Retry-After the node will sit out; a longer one fails the request with a clear message */
	maxRetryAfterMs: number;
	/** per-request timeout */
	timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: 8,
	baseDelayMs: 500,
	maxDelayMs: 30_000,
	maxRetryAfterMs: 300_000,
	timeoutMs: 60_000,
};

/** 408 Request Timeout, 425 Too Early and 429 are worth another try; so is every 5xx but 501/505. */
export function isRetryableStatus(status: number): boolean {
	if (status === 408 || status === 425 || status === 429) return true;
	return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

const RETRYABLE_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
	'ERR_STREAM_PREMATURE_CLOSE',
]);

/** Network-level failure (no HTTP answer): connection refused/reset, timeout, socket hang up. */
export function isNetworkError(error: unknown): boolean {
	let e = error as { code?: string; message?: string; cause?: unknown } | undefined;
	for (let depth = 0; e && depth < 4; depth++) {
		if (e.code && RETRYABLE_CODES.has(e.code)) return true;
		if (
			typeof e.message === 'string' &&
			/socket hang up|timeout of \d+ms exceeded|aborted|network error/i.test(e.message)
		)
			return true;
		e = e.cause as typeof e;
	}
	return false;
}

/** Retry-After as milliseconds: "120" (seconds) or an HTTP date. undefined when absent or unreadable. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text !== 'string' && typeof text !== 'number') return undefined;
	const s = String(text).trim();
	if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
	const at = Date.parse(s);
	if (Number.isNaN(at)) return undefined;
	return Math.max(0, at - now);
}

/** Full-jitter exponential backoff (AWS architecture blog): spreads retries of parallel workers. */
export function backoffDelay(retryIndex: number, policy: RetryPolicy, random: () => number = Math.random): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
	return Math.round(random() * ceiling);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
