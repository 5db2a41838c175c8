/**
 * The portal's webhook window: the B2B Portal Trigger refuses a signed event whose timestamp is further from n8n's
 * clock than this many seconds (a captured request cannot be replayed later). One definition here, because three
 * places must agree on it: the trigger (nodes/B2bPortalTrigger/signature.ts), the portal node's Connection → Check
 * that reads the portal's clock, and the set-up check (cli/check) that reports whether the clocks fit the window.
 * A portal whose clock is off by more than the window gets every order webhook refused with 401.
 */

/** the trigger's default Allowed Clock Difference (seconds) */
export const DEFAULT_WEBHOOK_WINDOW = 300;
/** bounds of the trigger's Allowed Clock Difference (seconds) */
export const MIN_WINDOW = 10;
export const MAX_WINDOW = 3600;

/** The trigger's rule: an event `differenceSeconds` away from n8n's clock (either way) is accepted. */
export function withinWebhookWindow(differenceSeconds: number, windowSeconds: number): boolean {
	return Math.abs(differenceSeconds) <= windowSeconds;
}
