/**
 * SAP Service Layer errors and their two wire shapes (erp-facts §1 "Error shapes"):
 *   v1  (classic):          {"error":{"code":-2028,"message":{"lang":"en-us","value":"No matching records found (ODBC -2028)"}}}
 *   v10 (10.00.210+ builds): {"error":{"code":"-2028","details":[{"code":"","message":""}],"message":"No matching records found (ODBC -2028)"}}
 * The shape is a property of the server build, not of /b1s/v1 vs /b1s/v2, so one option drives both.
 */

export type ErrorShape = 'v1' | 'v10';

export class SapError extends Error {
	constructor(
		readonly status: number,
		readonly code: number,
		message: string,
	) {
		super(message);
	}
}

export function errorJson(shape: ErrorShape, code: number, message: string): unknown {
	if (shape === 'v10') return { error: { code: String(code), details: [{ code: '', message: '' }], message } };
	return { error: { code, message: { lang: 'en-us', value: message } } };
}

export const SESSION_MESSAGE = 'Invalid session or session already timeout.';

/** the usual errors, with the codes and wording SAP uses (see README for which ones are verified) */
export const errors = {
	session: (status: number) => new SapError(status, 301, SESSION_MESSAGE),
	notFound: () => new SapError(404, -2028, 'No matching records found (ODBC -2028)'),
	/** unknown property in $select/$filter/$orderby or a body */
	invalidProperty: (prop: string, type: string) =>
		new SapError(400, -1000, `Property '${prop}' of '${type}' is invalid`),
	/** query syntax the simulator (or SAP) does not accept */
	query: (message: string) => new SapError(400, -1000, message),
	/** a resource path segment that is not an entity set */
	noSegment: (segment: string) => new SapError(404, -1000, `Resource not found for the segment '${segment}'`),
	badRequest: (message: string) => new SapError(400, -1000, message),
	/** business validation (DI API style) */
	validation: (code: number, message: string) => new SapError(400, code, message),
	methodNotAllowed: (method: string, path: string) =>
		new SapError(405, -1000, `Method '${method}' is not allowed on '${path}'`),
	notImplemented: (what: string) => new SapError(501, -1000, `${what} is not implemented by the SAP B1 simulator`),
	etagMismatch: () =>
		new SapError(
			412,
			-1000,
			'The ETag value in the request header does not match with the current ETag value of the object.',
		),
};
