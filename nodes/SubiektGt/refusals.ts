/**
 * Subiekt GT's refusals of a ZK through the Sfera bridge, classified (nodes/shared/refusal.ts): final → the order
 * is rejected in the portal with the bridge's message; temporary → released and tried again by the next run, at
 * most the claim's Max Attempts, then rejected with the last message and an alert.
 *
 * The bridge answers with its own codes (docs/subiekt-sfera-bridge.md, "Errors"), not Sfera's: `rejected` (422) is
 * Subiekt refusing the document itself — an unknown client or product symbol, a blocked client, no stock for the
 * reservation — which no retry changes; `bad_request` (400) is an order the bridge cannot read. A locked Subiekt
 * (503 `sfera_unavailable`, Retry-After), the opaque COM errors seen in the wild (502 `com_error`, "Source:
 * Unknown, Description: Unknown", 0x80010105 — erp-facts §4, Lukegpl/api-subiekt-gt #37, #46, #73) and no answer
 * can pass on a later try. A `conflict` (409: a ZK with this original number and other lines, usually typed in
 * Subiekt by hand) needs a person: it is retried until the attempts are used up, then rejected with the alert.
 * The same table is in docs/subiekt-gt.md ("Which refusals end an order"). Unknown codes: temporary.
 */
import type { RefusalRule } from '../shared/refusal';

export const SUBIEKT_REFUSAL_RULES: RefusalRule[] = [
	{
		codes: ['rejected'],
		final: true,
		meaning: 'Subiekt refused the document (unknown client or product, blocked client, no stock to reserve)',
	},
	{ codes: ['bad_request'], final: true, meaning: 'the bridge cannot read the order (a field missing or malformed)' },
	{ codes: ['com_error'], final: false, meaning: 'a COM failure in Sfera (looked up before the next try)' },
	{ codes: ['sfera_unavailable'], final: false, meaning: 'Subiekt locked, its licence busy or the bridge restarting' },
	{
		codes: ['conflict'],
		final: false,
		meaning: 'a ZK with this original number and other lines exists in Subiekt: a person must look; tried again',
	},
];
