/**
 * Why an ERP did not create an order's document, and whether trying again can change that.
 *
 * An order the ERP can never accept (unknown client or product, a blocked client, an item it does not sell, data
 * it calls invalid) must end rejected in the portal with the ERP's reason, never stay "placed" and be tried on
 * every poll for ever — which is what happened before this existed. A refusal that can pass on a later try (a
 * lock, a 5xx, a session, no answer) is retried by the next run, a bounded number of times: the claim in the
 * portal counts the attempts (B2B Portal → Order → Claim, "Max Attempts"), and the order templates reject the
 * order with the last reason once they are used up. Unknown refusals count as temporary: retried, then rejected.
 *
 * Every ERP node's "create order" classifies its own errors (the ERP's codes and wording) into this one shape;
 * `forEachItem` puts it in the error item (`details.refusal`, beside the message) on the node's error output, so every order
 * template reads the same fields whatever the ERP: `details.refusal.final`, `.reason` (Polish, for the portal
 * user), `.reasonEn`.
 */
import { NodeOperationError, type IDataObject } from 'n8n-workflow';
import { extractedOf, isNoAnswer } from './transport/request';
import { isRetryableStatus } from './transport/retry';

export interface Refusal extends IDataObject {
	/** true = retrying cannot change it: reject the order now */
	final: boolean;
	/** which rule decided ("SAP code -10: unknown business partner", "HTTP 503", …) */
	rule: string;
	/** the ERP's own message */
	message: string;
	/** for the portal user, in Polish */
	reason: string;
	/** the same in English */
	reasonEn: string;
	/** the ERP's error code, when it sent one */
	code?: string;
	httpStatus?: number;
}

/** A rule of an ERP's refusal table: matches the ERP code and/or the message, says whether it is final. */
export interface RefusalRule {
	/** ERP error codes this rule covers (as strings: SAP sends -10 and "-10") */
	codes?: string[];
	/** HTTP statuses this rule covers */
	statuses?: number[];
	/** the message must match this (case-insensitive) */
	message?: RegExp;
	final: boolean;
	/** what the rule means, in English, for the error and the docs */
	meaning: string;
}

const ATTACHED = Symbol('refusal');

/** The refusal attached to an error by `attachRefusal`, if any. */
export function refusalOf(error: unknown): Refusal | undefined {
	return (error as { [ATTACHED]?: Refusal } | undefined)?.[ATTACHED];
}

export function attachRefusal<E>(error: E, refusal: Refusal): E {
	if (error && typeof error === 'object') (error as { [ATTACHED]?: Refusal })[ATTACHED] = refusal;
	return error;
}

function httpStatusOf(error: unknown): number | undefined {
	const code = Number((error as { httpCode?: string } | undefined)?.httpCode);
	return Number.isInteger(code) && code >= 100 ? code : undefined;
}

/**
 * Classifies an error thrown while creating an order's document in `erpName`:
 *   1. no answer (the request may or may not have been applied) → temporary;
 *   2. the ERP's table (`rules`, first match) → final or temporary as the table says;
 *   3. 5xx, 408, 429, and 401/403 (a session refused even after a fresh login) → temporary;
 *   4. our own check of the order before sending (NodeOperationError without an HTTP status) → final: the
 *      order's data cannot become valid by trying again;
 *   5. anything else (an unknown code, an unknown 4xx) → temporary: retried, then rejected when the attempts
 *      are used up — never retried for ever, never rejected on a guess.
 */
export function classifyRefusal(error: unknown, erpName: string, rules: RefusalRule[] = []): Refusal {
	const extracted = extractedOf(error);
	const status = httpStatusOf(error);
	const message = (extracted?.message ?? (error as Error)?.message ?? String(error)).trim();
	const code = extracted?.code;
	const base = {
		message,
		...(code !== undefined ? { code } : {}),
		...(status !== undefined ? { httpStatus: status } : {}),
	};
	const make = (final: boolean, rule: string): Refusal => ({
		...base,
		final,
		rule,
		reason: final
			? `${erpName} odrzucił zamówienie: ${message}`
			: `${erpName} nie przyjął zamówienia (błąd przejściowy): ${message}`,
		reasonEn: final
			? `${erpName} refused the order: ${message}`
			: `${erpName} did not take the order (temporary): ${message}`,
	});
	if (isNoAnswer(error)) return make(false, 'no answer (the document may exist: looked up on the next try)');
	if (status !== undefined || code !== undefined) {
		for (const r of rules) {
			if (r.codes && !(code !== undefined && r.codes.includes(code))) continue;
			if (r.statuses && !(status !== undefined && r.statuses.includes(status))) continue;
			if (r.message && !r.message.test(message)) continue;
			return make(r.final, `${code !== undefined ? `${erpName} code ${code}` : `HTTP ${status}`}: ${r.meaning}`);
		}
	}
	if (status !== undefined && (isRetryableStatus(status) || status === 401 || status === 403))
		return make(false, `HTTP ${status}: the ${erpName} server or session, not the order`);
	if (status === undefined && error instanceof NodeOperationError)
		return make(true, 'the order was refused before it was sent (its data cannot pass)');
	return make(
		false,
		`${code !== undefined ? `unknown ${erpName} code ${code}` : `HTTP ${status ?? '?'}`}: retried, then rejected`,
	);
}

/** Why an ERP will not sell to a client: the same words for every ERP's check before the order is sent. */
export type ClientProblem = 'missing' | 'notCustomer' | 'blocked' | 'inactive';
/** Why an ERP will not sell a product. */
export type ProductProblem = 'missing' | 'notSold' | 'blocked' | 'inactive';

export interface Reasons {
	reason: string;
	reasonEn: string;
}

export function clientProblemReasons(erpName: string, code: string, problem: ClientProblem): Reasons {
	const text: Record<ClientProblem, [string, string]> = {
		missing: [`nie istnieje w ${erpName}`, `does not exist in ${erpName}`],
		notCustomer: [`nie jest w ${erpName} odbiorcą (np. dostawca)`, `is not a customer in ${erpName} (e.g. a supplier)`],
		blocked: [`jest zablokowany w ${erpName}`, `is blocked (frozen) in ${erpName}`],
		inactive: [`jest nieaktywny w ${erpName}`, `is inactive in ${erpName}`],
	};
	const [pl, en] = text[problem];
	return { reason: `Klient ${code} ${pl}`, reasonEn: `Client ${code} ${en}` };
}

export function productProblemReasons(erpName: string, lineNo: number, code: string, problem: ProductProblem): Reasons {
	const text: Record<ProductProblem, [string, string]> = {
		missing: [`nie istnieje w ${erpName}`, `does not exist in ${erpName}`],
		notSold: [`nie jest w ${erpName} towarem sprzedaży`, `is not a sales item in ${erpName}`],
		blocked: [`jest zablokowany w ${erpName}`, `is blocked (frozen) in ${erpName}`],
		inactive: [`jest nieaktywny w ${erpName}`, `is inactive in ${erpName}`],
	};
	const [pl, en] = text[problem];
	return {
		reason: `Pozycja ${lineNo}: produkt ${code} ${pl}`,
		reasonEn: `Line ${lineNo}: product ${code} ${en}`,
	};
}

/** One order line as an ERP's order check saw it (before anything is sent to the ERP). */
export interface OrderCheckLine extends IDataObject {
	lineNo: number;
	productCode: string;
	ok: boolean;
	problem?: ProductProblem;
	reason?: string;
	reasonEn?: string;
}

/**
 * The `orderCheck` object an ERP's check puts on the order item — does the ERP sell to this client and these
 * products? — with the shared reason texts: a client it will not sell to refuses the whole order (its lines are
 * not checked); else every refused line is named, in Polish and English.
 */
export function summariseOrderCheck(
	erpName: string,
	client: { code: string; problem?: ClientProblem },
	lines: Array<{ lineNo: number; productCode: string; problem?: ProductProblem }>,
): IDataObject {
	if (client.problem)
		return {
			accepted: false,
			...clientProblemReasons(erpName, client.code, client.problem),
			client: { code: client.code, problem: client.problem },
			lines: [],
		};
	const checked: OrderCheckLine[] = lines.map((l) =>
		l.problem
			? {
					lineNo: l.lineNo,
					productCode: l.productCode,
					ok: false,
					problem: l.problem,
					...productProblemReasons(erpName, l.lineNo, l.productCode, l.problem),
				}
			: { lineNo: l.lineNo, productCode: l.productCode, ok: true },
	);
	const refused = checked.filter((l) => !l.ok);
	return {
		accepted: refused.length === 0,
		...(refused.length
			? { reason: refused.map((l) => l.reason).join('; '), reasonEn: refused.map((l) => l.reasonEn).join('; ') }
			: {}),
		client: { code: client.code },
		lines: checked,
	};
}
