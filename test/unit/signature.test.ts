import { rememberEvent, replayWindow, signPayload, verifySignature } from '../../nodes/B2bPortalTrigger/signature';

const secret = 'sekret-żółw';
const body = Buffer.from(JSON.stringify({ id: 'evt_1', type: 'order.created', data: { number: 'B2B/1', note: 'Zażółć gęślą jaźń' } }));
const now = 1_790_000_000;

describe('webhook signature', () => {
	it('accepts a correct signature within the window', () => {
		const header = `t=${now - 10},v1=${signPayload(secret, now - 10, body)}`;
		expect(verifySignature(header, body, secret, 300, now)).toEqual({ ok: true, timestamp: now - 10 });
	});

	it('accepts any of several v1 signatures (secret rotation)', () => {
		const header = `t=${now},v1=${'0'.repeat(64)},v1=${signPayload(secret, now, body)}`;
		expect(verifySignature(header, body, secret, 300, now).ok).toBe(true);
	});

	it.each([
		['missing header', undefined, /missing/],
		['no timestamp', `v1=${'a'.repeat(64)}`, /no valid timestamp/],
		['wrong secret', `t=${now},v1=${signPayload('other', now, body)}`, /does not match/],
		['stale timestamp', `t=${now - 301},v1=${signPayload(secret, now - 301, body)}`, /allowed ±300/],
		['future timestamp', `t=${now + 400},v1=${signPayload(secret, now + 400, body)}`, /allowed ±300/],
		['garbage signature', `t=${now},v1=zz`, /does not match/],
	])('refuses %s', (_name, header, reason) => {
		const r = verifySignature(header, body, secret, 300, now);
		expect(r.ok).toBe(false);
		expect(r.reason).toMatch(reason);
	});

	it.each([Number.NaN, Number.POSITIVE_INFINITY, -1])('a window of %p refuses the event (never "no window")', (w) => {
		const header = `t=${now - 86400},v1=${signPayload(secret, now - 86400, body)}`;
		const check = verifySignature(header, body, secret, w, now);
		expect(check).toEqual({ ok: false, reason: expect.stringMatching(/not a number of seconds/) });
	});

	it.each([
		[undefined, 300],
		[null, 300],
		[10, 10],
		[3600, 3600],
		[9, undefined],
		[3601, undefined],
		[Number.NaN, undefined],
		[Number.POSITIVE_INFINITY, undefined],
		['300', 300],
		[' 60 ', 60],
		['5e2', undefined],
		['', undefined],
		['pięć minut', undefined],
	])('the option %p gives the window %p', (value, expected) => expect(replayWindow(value)).toBe(expected));

	it('refuses a body changed after signing (one byte)', () => {
		const header = `t=${now},v1=${signPayload(secret, now, body)}`;
		const tampered = Buffer.from(body);
		tampered[tampered.length - 3] ^= 1;
		expect(verifySignature(header, tampered, secret, 300, now).ok).toBe(false);
	});

	it('remembers event ids inside the window and forgets old ones', () => {
		const seen: Record<string, number> = {};
		expect(rememberEvent(seen, 'a', now, 300, now)).toBe(true);
		expect(rememberEvent(seen, 'a', now, 300, now)).toBe(false);
		expect(rememberEvent(seen, 'b', now + 1000, 300, now + 1000)).toBe(true);
		expect(Object.keys(seen)).toEqual(['b']);
	});

	it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
		'an event id %p is new the first time and a duplicate the second, also after a JSON round trip of static data',
		(id) => {
			const seen: Record<string, number> = {};
			expect(rememberEvent(seen, id, now, 300, now)).toBe(true);
			expect(rememberEvent(seen, id, now, 300, now)).toBe(false);
			expect(Object.keys(seen)).toEqual([id]);
			// n8n saves static data as JSON and reads it back for the next delivery
			const restored = JSON.parse(JSON.stringify(seen)) as Record<string, number>;
			expect(rememberEvent(restored, id, now, 300, now + 1)).toBe(false);
			expect(Object.getPrototypeOf(restored)).toBe(Object.prototype);
		},
	);
});
