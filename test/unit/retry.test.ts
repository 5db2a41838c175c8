import { DEFAULT_RETRY_POLICY, backoffDelay, isNetworkError, isRetryableStatus, parseRetryAfter } from '../../nodes/shared/transport/retry';
import { retryOptionProperties } from '../../nodes/shared/options';
import { extractErrorBody } from '../../nodes/shared/transport/errors';

describe('retry policy', () => {
	it('retries 429 and 5xx, never a 4xx that cannot succeed', () => {
		for (const s of [408, 425, 429, 500, 502, 503, 504]) expect(isRetryableStatus(s)).toBe(true);
		for (const s of [400, 401, 403, 404, 409, 412, 422, 501, 505]) expect(isRetryableStatus(s)).toBe(false);
	});

	it('reads Retry-After in seconds and as an HTTP date', () => {
		expect(parseRetryAfter('7')).toBe(7000);
		const now = Date.parse('2026-11-26T10:00:00Z');
		expect(parseRetryAfter('Thu, 26 Nov 2026 10:00:30 GMT', now)).toBe(30000);
		expect(parseRetryAfter('soon')).toBeUndefined();
		expect(parseRetryAfter(undefined)).toBeUndefined();
	});

	it('backs off exponentially with full jitter, capped', () => {
		const p = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
		expect(backoffDelay(0, p, () => 1)).toBe(100);
		expect(backoffDelay(3, p, () => 1)).toBe(800);
		expect(backoffDelay(10, p, () => 1)).toBe(1000);
		expect(backoffDelay(3, p, () => 0.5)).toBe(400);
	});

	it('recognises network failures, also when wrapped', () => {
		expect(isNetworkError({ code: 'ECONNRESET' })).toBe(true);
		expect(isNetworkError({ message: 'socket hang up' })).toBe(true);
		expect(isNetworkError({ message: 'x', cause: { code: 'ETIMEDOUT' } })).toBe(true);
		expect(isNetworkError(new Error('Unexpected token'))).toBe(false);
	});

	it('shows the same defaults in the node UI as the policy uses', () => {
		const d = Object.fromEntries(retryOptionProperties.map((p) => [p.name, p.default]));
		expect(d).toEqual({
			maxRetries: DEFAULT_RETRY_POLICY.maxRetries,
			retryBaseDelayMs: DEFAULT_RETRY_POLICY.baseDelayMs,
			retryMaxDelayMs: DEFAULT_RETRY_POLICY.maxDelayMs,
			timeoutSeconds: DEFAULT_RETRY_POLICY.timeoutMs / 1000,
		});
		expect(DEFAULT_RETRY_POLICY.maxRetries).toBeGreaterThan(5);
	});
});

describe('error bodies', () => {
	it('reads both SAP Service Layer shapes', () => {
		expect(extractErrorBody({ error: { code: -2028, message: { lang: 'en-us', value: 'No matching records found (ODBC -2028)' } } })).toMatchObject({ message: 'No matching records found (ODBC -2028)', code: '-2028' });
		expect(extractErrorBody({ error: { code: '-1000', details: [{ code: '', message: '' }], message: 'Property ItemCode is invalid' } })).toMatchObject({ message: 'Property ItemCode is invalid', code: '-1000', details: [] });
	});
	it('reads the portal shape with details, enova exceptions and text', () => {
		expect(extractErrorBody({ error: { code: 'validation_failed', message: 'bad', details: [{ index: 2, key: 'Ż', field: 'name', message: 'is missing' }] } })?.details).toEqual([{ index: 2, key: 'Ż', field: 'name', message: 'is missing' }]);
		expect(extractErrorBody({ IsException: true, ExceptionMessage: 'Nie znaleziono towaru' })?.message).toBe('Nie znaleziono towaru');
		expect(extractErrorBody(Buffer.from('Service Unavailable'))?.message).toBe('Service Unavailable');
		expect(extractErrorBody('')).toBeUndefined();
	});
});
