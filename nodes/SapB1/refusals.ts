/**
 * SAP Business One's refusals of a sales order, classified (nodes/shared/refusal.ts): final → the order is
 * rejected in the portal with SAP's message; temporary → released and tried again by the next run, at most the
 * claim's Max Attempts, then rejected with the last message and an alert.
 *
 * The Service Layer answers business errors with HTTP 400 and the DI API's codes, which are coarse: -10 carries
 * most master-data refusals ("Invalid BP code", "Invalid item code", an inactive partner or item), -5002 the
 * field validations. So the table reads the code and the wording together; the same table is in docs/sap-b1.md
 * ("Which refusals end an order"). Sources: erp-facts.md §1 (error shapes, 301 session, -2028, approval
 * procedures answering -2028 after saving a draft), the public SL clients' issues (B1SLayer: re-login on 401,
 * retries on 500/502/503/504). Codes not in the table are treated as temporary: retried, then rejected.
 */
import type { RefusalRule } from '../shared/refusal';

export const SAP_REFUSAL_RULES: RefusalRule[] = [
	{
		// first: the wording names master data the order points at, which no retry can create or unblock
		message:
			/invalid (?:bp|business partner|item|warehouse|tax) code|business partner .*(?:inactive|frozen|not (?:a )?customer)|item .*(?:inactive|frozen|not a sales item|locked in warehouse)|warehouse .*inactive|not valid for business partner/i,
		final: true,
		meaning: 'the client, product, warehouse or tax code of the order is unknown or blocked in SAP',
	},
	{ codes: ['301'], final: false, meaning: 'session ended (a new login is made on the next try)' },
	{
		message: /another user|being (?:modified|updated)|deadlock|lock(?:ed)? (?:by|conflict)|timed? ?out|try again/i,
		final: false,
		meaning: 'a lock, a conflict with another user or a timeout in SAP',
	},
	{ codes: ['-5002'], final: true, meaning: 'a field SAP refuses (validation)' },
	{ codes: ['-10'], final: true, meaning: 'a business rule of SAP refuses the document' },
	{
		codes: ['-2028'],
		statuses: [400, 404],
		final: true,
		meaning:
			'SAP found no record it needed; with approval procedures on, SAP saved a draft awaiting approval and answers this (never created again)',
	},
];
