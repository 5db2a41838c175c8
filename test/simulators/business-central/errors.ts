/**
 * Business Central's error body (research §1, error codes doc S18):
 *   {"error":{"code":"BadRequest_NotFound","message":"The specified resource could not be found.  CorrelationId:  <guid>."}}
 * Code families: BadRequest_*, Authentication_*, Authorization_*, Internal_* (e.g. Internal_CompanyNotFound),
 * Application_* (DialogException, TooManyRequests). Every message ends with a fresh CorrelationId, as BC's do.
 */
import { randomUUID } from 'node:crypto';

export class BcError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}
}

export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
	return { error: { code, message: `${message}  CorrelationId:  ${randomUUID()}.` } };
}

/** the message BC gives when the company in the URL is not one of the tenant's (research §1, S25) */
export const COMPANY_NOT_FOUND =
	'Cannot process the request because the default company cannot be found. You can specify a default company in the service configuration file, or specify one for each tenant, or you can add a query string in the form of "company=[name]". You can see the available companies by accessing the default OData web service, Company. For more information, see "OData Web Services" in Help.';

export const errors = {
	notFound: () => new BcError(404, 'BadRequest_NotFound', 'The specified resource could not be found.'),
	noSegment: (segment: string) =>
		new BcError(404, 'BadRequest_NotFound', `Resource not found for the segment '${segment}'.`),
	companyNotFound: () => new BcError(404, 'Internal_CompanyNotFound', COMPANY_NOT_FOUND),
	/** ODataV4 Company('x') where x is no company's name — e.g. a GUID put where the name belongs */
	companyNameNotFound: (name: string) =>
		new BcError(404, 'Internal_CompanyNotFound', `The company "${name}" does not exist.`),
	/** a record of an entity set looked up by its id (GET / PATCH `set({id})`), as BC words it */
	recordNotFound: (entity: string, id: string) =>
		new BcError(
			404,
			'BadRequest_NotFound',
			`The ${entity} does not exist. Identification fields and values: Id='${id}'`,
		),
	badRequest: (message: string) => new BcError(400, 'BadRequest', message),
	invalidBody: () => new BcError(400, 'BadRequest', 'Invalid Request Body'),
	methodNotAllowed: (method: string) =>
		new BcError(405, 'BadRequest_MethodNotAllowed', `The '${method}' method is not allowed on this resource.`),
	/** no If-Match on a write (research §1, S17/S18) */
	missingIfMatch: () =>
		new BcError(
			400,
			'BadRequest_InvalidToken',
			'Could not validate the client concurrency token required by the service. Please provide a valid token in the client request.',
		),
	/** stale If-Match: 409, not 412 (research §1) */
	entityChanged: () => new BcError(409, 'Request_EntityChanged', 'Another user has already changed the record.'),
	invalidCredentials: (headers: Record<string, string> = {}) =>
		new BcError(401, 'Authentication_InvalidCredentials', 'The server has rejected the client credentials.', headers),
	pageTooLarge: (asked: number, max: number) =>
		new BcError(
			413,
			'BadRequest_RequestEntityTooLarge',
			`The requested page size ${asked} exceeds the maximum page size ${max}.`,
		),
};

/** The record of `rows` with this id (GUIDs compared in lower case), or BC's 404 naming the entity and the id. */
export function recordById<T extends { id: string }>(rows: T[], id: string, entity: string): T {
	const rec = rows.find((r) => r.id === id.toLowerCase());
	if (!rec) throw errors.recordNotFound(entity, id);
	return rec;
}
