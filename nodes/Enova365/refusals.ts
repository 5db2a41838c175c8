/**
 * enova365's refusals of a ZO, classified (nodes/shared/refusal.ts): final → the order is rejected in the portal
 * with enova's message; temporary → released and tried again by the next run, at most the claim's Max Attempts,
 * then rejected with the last message.
 *
 * The add-on answers with the contract's codes (docs/enova365-webapi-contract.md, "Errors") in `{"error": {code,
 * message}}` on 4xx/5xx, or — as enova add-ons do (erp-facts-enova-optima §1 [S7]) — HTTP 200 with a plain string,
 * which has no code: there the wording decides. The same table is in docs/enova365.md.
 */
import type { RefusalRule } from '../shared/refusal';

export const ENOVA_REFUSAL_RULES: RefusalRule[] = [
	{
		// first: a lock of the database ("zablokowana przez innego użytkownika") is no blocked contractor
		message:
			/przez innego u|blokada bazy|baza (?:danych )?(?:jest )?zablokowana|deadlock|timeout|spróbuj ponownie|try again/i,
		final: false,
		meaning: 'a lock or a timeout in enova365',
	},
	{
		// then: the wording names master data the order points at (unknown or blocked), which no retry can fix
		message: /nie znaleziono|nie istnieje|nieznan[yae]|zablokowan[yae]|blokad[aęy]|not found|unknown|blocked/i,
		final: true,
		meaning: 'the contractor, product or warehouse of the order is unknown or blocked in enova365',
	},
	{ codes: ['not_found'], final: true, meaning: 'no such product, contractor, warehouse or document in enova365' },
	{
		codes: ['rejected'],
		final: true,
		meaning: 'enova365 refused the document (unknown or blocked contractor or product)',
	},
	{
		codes: ['conflict'],
		final: false,
		meaning: 'a ZO with this portal number and other lines exists in enova365 (retried, then rejected: a person looks)',
	},
	{ codes: ['locked'], final: false, meaning: 'the enova365 database is locked or its session pool busy' },
	{ codes: ['bad_request'], final: true, meaning: 'enova365 refused an argument of the order as malformed' },
];
