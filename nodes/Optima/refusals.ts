/**
 * Comarch ERP Optima's refusals of an RO through the Optima bridge, classified (nodes/shared/refusal.ts): final →
 * the order is rejected in the portal with the bridge's message; temporary → released and tried again by the next
 * run, at most the claim's Max Attempts, then rejected with the last message and an alert.
 *
 * The bridge answers with its own codes (docs/optima-bridge.md, "Errors"): `rejected` (422) is Optima refusing the
 * RO itself — an unknown or inactive client (Knt_Kod) or product (Twr_Kod), an unknown warehouse — which no retry
 * changes; `bad_request` (400) is an order the bridge cannot read. Optima locked by another operator (503
 * `optima_locked`, Retry-After), an opaque COM error (502 `com_error`: the node looks the RO up by its foreign
 * number before the next try) and no answer can pass on a later try. A `conflict` (409: an RO with this foreign
 * number and other lines, usually typed in Optima by hand) needs a person: retried until the attempts are used up,
 * then rejected with the alert — as Subiekt's table does. Unknown codes: temporary.
 */
import type { RefusalRule } from '../shared/refusal';

export const OPTIMA_REFUSAL_RULES: RefusalRule[] = [
	{
		codes: ['rejected'],
		final: true,
		meaning: 'Optima refused the RO (unknown or inactive client or product, unknown warehouse)',
	},
	{ codes: ['bad_request'], final: true, meaning: 'the bridge cannot read the order (a field missing or malformed)' },
	{ codes: ['com_error'], final: false, meaning: "a COM failure in Optima's objects (looked up before the next try)" },
	{
		codes: ['optima_locked'],
		final: false,
		meaning: 'Optima locked by another operator (LockApp) or the bridge restarting',
	},
	{
		codes: ['conflict'],
		final: false,
		meaning: 'an RO with this foreign number and other lines exists in Optima: a person must look; tried again',
	},
];
