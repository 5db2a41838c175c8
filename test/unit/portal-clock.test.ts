/**
 * B2B Portal → Connection → Check, the pure part: the portal's clock from its HTTP Date header against n8n's time in
 * the middle of the request, and the trigger's window rule at its edge (|difference| = window is still accepted).
 */
import { readClock } from '../../nodes/B2bPortal/actions/connection/check.operation';
import { verifySignature, signPayload } from '../../nodes/B2bPortalTrigger/signature';

const at = (iso: string) => Date.parse(iso);

describe('readClock', () => {
	it('reads an IMF-fixdate and compares it with the middle of the request, portal − n8n', () => {
		const r = readClock(
			'Mon, 07 Dec 2026 12:10:00 GMT',
			at('2026-12-07T12:00:00.000Z'),
			at('2026-12-07T12:00:02.000Z'),
			300,
		);
		expect(r).toEqual({
			portalTime: '2026-12-07T12:10:00.000Z',
			n8nTime: '2026-12-07T12:00:01.000Z',
			clockDifferenceSeconds: 599,
			webhookWindowSeconds: 300,
			withinWebhookWindow: false,
		});
		// a portal behind n8n: negative
		const behind = readClock(
			'Mon, 07 Dec 2026 11:59:00 GMT',
			at('2026-12-07T12:00:00Z'),
			at('2026-12-07T12:00:00Z'),
			300,
		);
		expect(behind).toMatchObject({ clockDifferenceSeconds: -60, withinWebhookWindow: true });
	});

	it('the window edge is the trigger’s: exactly the window either way is inside, one second more is outside', () => {
		const now = at('2026-12-07T12:00:00Z');
		const diff = (header: string) => readClock(header, now, now, 300);
		expect(diff('Mon, 07 Dec 2026 12:05:00 GMT')).toMatchObject({
			clockDifferenceSeconds: 300,
			withinWebhookWindow: true,
		});
		expect(diff('Mon, 07 Dec 2026 11:55:00 GMT')).toMatchObject({
			clockDifferenceSeconds: -300,
			withinWebhookWindow: true,
		});
		expect(diff('Mon, 07 Dec 2026 12:05:01 GMT')).toMatchObject({
			clockDifferenceSeconds: 301,
			withinWebhookWindow: false,
		});
		expect(diff('Mon, 07 Dec 2026 11:54:59 GMT')).toMatchObject({
			clockDifferenceSeconds: -301,
			withinWebhookWindow: false,
		});
		// and the trigger itself agrees at both edges: signed 300 s ago accepted, 301 s refused
		const nowS = now / 1000;
		const body = Buffer.from('{}');
		const sig = (t: number) => `t=${t},v1=${signPayload('s', t, body)}`;
		expect(verifySignature(sig(nowS - 300), body, 's', 300, nowS).ok).toBe(true);
		expect(verifySignature(sig(nowS - 301), body, 's', 300, nowS).ok).toBe(false);
		// a narrower window from the parameter
		expect(readClock('Mon, 07 Dec 2026 12:00:30 GMT', now, now, 20)).toMatchObject({ withinWebhookWindow: false });
	});

	it('the obsolete HTTP date forms RFC 9110 still allows are read too; the first of repeated headers counts', () => {
		const now = at('2026-12-07T12:00:00Z');
		expect(readClock('Monday, 07-Dec-26 12:00:10 GMT', now, now, 300).clockDifferenceSeconds).toBe(10);
		expect(readClock('Mon Dec  7 12:00:10 2026', now, now, 300).portalTime).toBe('2026-12-07T12:00:10.000Z');
		expect(readClock(['Mon, 07 Dec 2026 12:00:10 GMT', 'x'], now, now, 300).clockDifferenceSeconds).toBe(10);
	});

	it('a missing, empty or unreadable Date header is an error saying so (and quoting what came)', () => {
		const now = Date.now();
		expect(() => readClock(undefined, now, now, 300)).toThrow(
			'the portal answered GET /v1/sync-status without a Date header, so its clock cannot be read',
		);
		expect(() => readClock('  ', now, now, 300)).toThrow('without a Date header');
		expect(() => readClock('yesterday-ish', now, now, 300)).toThrow(
			'with a Date header that is no HTTP date ("yesterday-ish")',
		);
		// a bare number is no HTTP date (Date.parse would take it as a year)
		expect(() => readClock('1765108800', now, now, 300)).toThrow('no HTTP date ("1765108800")');
	});
});
