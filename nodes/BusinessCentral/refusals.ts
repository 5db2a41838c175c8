/**
 * Business Central's refusals of a sales order, classified (nodes/shared/refusal.ts): final → the order is
 * rejected in the portal with BC's message; temporary → released and tried again by the next run, at most the
 * claim's Max Attempts, then rejected with the last message.
 *
 * BC answers `{"error":{"code","message":"… CorrelationId: …"}}` (research erp-facts-wave2.md §1, families
 * BadRequest_, Internal_, Application_). Master data the order points at: "The Item does not exist.
 * Identification fields and values: No.='X'" (Internal_RecordNotFound), "You cannot create this type of document
 * when Customer X is blocked with type All", "Blocked must be equal to 'No' in Item: No.=X" (Application_
 * DialogException). A record locked by another session ("… is being updated in a transaction done by another
 * session") and 409 Request_EntityChanged pass on a later try. The same table is in docs/business-central-orders.md.
 */
import type { RefusalRule } from '../shared/refusal';

export const BC_REFUSAL_RULES: RefusalRule[] = [
	{
		// first: a lock or a conflict is never the order's fault, whatever family its code is in
		// "\blocked": a record locked by someone, not a customer "blocked with type All"
		message: /another session|being updated in a transaction|deadlock|\blocked\b|try again|timed? ?out/i,
		final: false,
		meaning: 'a record locked by another session, a conflict or a timeout in Business Central',
	},
	{ codes: ['Request_EntityChanged'], final: false, meaning: 'the record changed meanwhile (read again, retried)' },
	{
		message:
			/does not exist|blocked with type|Blocked must be equal to 'No'|cannot (?:create|ship|invoice) this type of document/i,
		final: true,
		meaning: 'the customer or an item of the order is unknown or blocked in Business Central',
	},
	{
		codes: ['Internal_RecordNotFound'],
		final: true,
		meaning: 'a record the order names does not exist in Business Central',
	},
	{
		codes: ['Application_DialogException'],
		final: true,
		meaning: 'a business rule of Business Central refuses the order',
	},
	{ codes: ['BadRequest'], statuses: [400], final: true, meaning: 'Business Central refused a field of the order' },
];
