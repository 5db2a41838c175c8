/**
 * Calls to the enova365 WebAPI add-on (docs/enova365-webapi-contract.md) through the shared retrying transport:
 *
 * - Dynamic WebAPI: `/api/<Class>/<Method>` with the method's verb; one object argument is the raw JSON body,
 *   simple arguments go in the query by name. The session token is renewed once per expiry for every request in
 *   flight (nodes/shared/transport/session.ts, as SAP's Service Layer), on the credential's expired status.
 * - MethodInvoker: every call is a POST to `/api/MethodInvoker/InvokeServiceMethod` with ServiceName, MethodName
 *   and MethodArgs (the credential adds database, operator and password); `IsException: true` is an error, and
 *   `ResultInstance` is sometimes the result as a JSON string (erp-facts §2) — parsed here.
 *
 * Add-ons answer errors as HTTP 200 with a plain JSON string (erp-facts-enova-optima §1 [S7]): a string where an
 * object is expected is an error, never a record. Every such error names what the node was doing for which item.
 * In MethodInvoker mode the contract's `{"error"}` answers come as IsException with "<code>: <message>": the code is
 * kept for the refusal table, and `locked` is retried with the same backoff as a 503.
 * Class and method names come from the node's Services collection (./services.ts); every segment is URL-encoded.
 */
import { NodeApiError, type IDataObject, type IHttpRequestMethods, type JsonObject } from 'n8n-workflow';
import type { ExtractedError } from '../../shared/transport/errors';
import { extractedOf, requestWithRetry, type RequestContext } from '../../shared/transport/request';
import { DEFAULT_RETRY_POLICY, backoffDelay, sleep, type RetryPolicy } from '../../shared/transport/retry';
import { INVOKER_PATH, enovaBase, expiredStatusOf, modeOf } from './session';
import { serviceOf, type EnovaMethod } from './services';

export const ENOVA_CREDENTIAL = 'enova365Api';

export interface EnovaCall {
	method: EnovaMethod;
	/** the object argument (the raw JSON body); for GET methods, the simple arguments (the query) */
	args?: IDataObject;
	itemIndex?: number;
	action?: string;
	policy?: Partial<RetryPolicy>;
	/** false for a call that creates something (AddZO): not re-sent after a lost answer */
	idempotent?: boolean;
}

/** The verb of each method of the contract (simple arguments of GET methods go into the query). */
const VERB: Record<EnovaMethod, IHttpRequestMethods> = {
	GetTowary: 'POST',
	GetDefinicjeCen: 'GET',
	GetCeny: 'POST',
	GetCenyIndywidualne: 'POST',
	GetMagazyny: 'GET',
	GetStany: 'POST',
	GetKontrahenci: 'POST',
	FindZO: 'GET',
	AddZO: 'POST',
	GetStanyZO: 'POST',
	GetFaktury: 'POST',
	GetFakturaPdf: 'GET',
};

/** `?a=1&b=ŁÓD%2F1`: every value URL-encoded. */
function queryOf(args: IDataObject | undefined): string {
	const parts = Object.entries(args ?? {})
		.filter(([, v]) => v !== undefined && v !== null && v !== '')
		.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
	return parts.length ? `?${parts.join('&')}` : '';
}

/** An error of the enova add-on answered with HTTP 200 (a plain string, or MethodInvoker's IsException). */
export function addOnError(
	ctx: RequestContext,
	call: EnovaCall,
	service: string,
	message: string,
	what = 'answered with an error',
	code?: string,
): NodeApiError {
	const head = call.action ?? `Calling ${service}`;
	const where = call.itemIndex !== undefined ? `Item ${call.itemIndex}: ` : '';
	const text = `${where}${head} failed: enova365 ${service} ${what}: ${code ? `${code}: ` : ''}${message}`;
	const error = new NodeApiError(ctx.getNode(), { message, httpCode: '200' } as JsonObject, {
		message: text,
		description: 'enova365 add-ons report errors as HTTP 200 with a text instead of the data.',
		httpCode: '200',
		itemIndex: call.itemIndex,
	});
	const extracted: ExtractedError = { message, ...(code ? { code } : {}), details: [] };
	(error as NodeApiError & { extracted?: ExtractedError }).extracted = extracted;
	return error;
}

/**
 * Calls one add-on method and returns its result object. A string answer (HTTP 200 error), an IsException, or a
 * result that is no JSON object is thrown as a NodeApiError naming the item, the action and the method.
 */
export async function enovaCall<T extends IDataObject = IDataObject>(ctx: RequestContext, call: EnovaCall): Promise<T> {
	const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...call.policy };
	for (let attempt = 0; ; attempt++) {
		try {
			return await callOnce<T>(ctx, call);
		} catch (error) {
			// MethodInvoker answers a locked database as HTTP 200 + IsException "locked: …": retried like a 503
			if (extractedOf(error)?.code !== 'locked' || attempt >= policy.maxRetries) throw error;
			await sleep(backoffDelay(attempt, policy));
		}
	}
}

/** The codes of the contract's `{"error"}` answers, which MethodInvoker sends as ExceptionMessage "<code>: <message>". */
const CODES = ['not_found', 'rejected', 'conflict', 'locked', 'bad_request', 'unauthorized'];

async function callOnce<T extends IDataObject>(ctx: RequestContext, call: EnovaCall): Promise<T> {
	const credentials = await ctx.getCredentials(ENOVA_CREDENTIAL);
	const base = enovaBase(credentials.baseUrl);
	const service = serviceOf(ctx, call.method);
	const verb = VERB[call.method];
	const invoker = modeOf(credentials) === 'methodInvoker';
	const settings = {
		policy: call.policy,
		itemIndex: call.itemIndex,
		action: call.action ?? `Calling ${service.label}`,
		idempotent: call.idempotent,
		...(invoker ? {} : { session: { field: 'session', expiredStatus: [expiredStatusOf(credentials)], credentials } }),
	};
	const headers = { Accept: 'application/json' };
	const response = invoker
		? await requestWithRetry<unknown>(
				ctx,
				ENOVA_CREDENTIAL,
				{
					method: 'POST',
					baseURL: base,
					url: INVOKER_PATH,
					body: { ServiceName: service.className, MethodName: service.methodName, MethodArgs: call.args ?? {} },
					headers,
					json: true,
				},
				settings,
			)
		: await requestWithRetry<unknown>(
				ctx,
				ENOVA_CREDENTIAL,
				{
					method: verb,
					baseURL: base,
					url: `/api/${encodeURIComponent(service.className)}/${encodeURIComponent(service.methodName)}${verb === 'GET' ? queryOf(call.args) : ''}`,
					...(verb === 'GET' ? {} : { body: call.args ?? {} }),
					headers,
					json: true,
				},
				settings,
			);
	let body: unknown = response.body;
	if (invoker) {
		const envelope = body as IDataObject | string | undefined;
		if (typeof envelope === 'string') throw addOnError(ctx, call, service.label, envelope);
		if (!envelope || typeof envelope !== 'object')
			throw addOnError(ctx, call, service.label, 'an empty answer', 'sent no result');
		if (envelope.IsException === true) {
			const text = String(envelope.ExceptionMessage ?? 'no message');
			const m = /^([a-z_]+):\s*([\s\S]*)$/.exec(text);
			const code = m && CODES.includes(m[1]) ? m[1] : undefined;
			throw addOnError(ctx, call, service.label, code && m ? m[2] : text, 'raised an exception', code);
		}
		body = envelope.ResultInstance;
		if (typeof body === 'string') {
			try {
				body = JSON.parse(body);
			} catch {
				// a text that is no JSON where a result is expected: the add-on's error message
				throw addOnError(ctx, call, service.label, body as string);
			}
		}
	}
	if (typeof body === 'string') throw addOnError(ctx, call, service.label, body);
	if (!body || typeof body !== 'object' || Array.isArray(body))
		throw addOnError(
			ctx,
			call,
			service.label,
			`${body === null || body === undefined ? 'nothing' : Array.isArray(body) ? 'a list' : typeof body} instead of an object`,
			'sent an unexpected answer',
		);
	return body as T;
}

/** The paging arguments of every list method of the contract. */
export interface PageArgs extends IDataObject {
	Strona: number;
	IloscNaStronie: number;
	OdStamp?: string;
}

export interface EnovaPage {
	records: IDataObject[];
	/** the database rowversion taken before the page was read */
	stamp?: string;
	page: number;
}

/**
 * The pages of a list method, one at a time: `{Strona, IloscNaStronie, OdStamp}` in, `{Strona, CzyJestNastepna,
 * Stamp, <records>}` out. A page without its record list, or an answer for another page, is an error naming the
 * method and the page (a silently skipped page would be a gap in the catalogue).
 */
export async function* enovaPages(
	ctx: RequestContext,
	call: Omit<EnovaCall, 'args'> & { args?: IDataObject; recordsKey: string; pageSize?: number; since?: string },
): AsyncGenerator<EnovaPage> {
	const size = call.pageSize ?? 500;
	for (let page = 1; ; page++) {
		const args: PageArgs = { ...(call.args ?? {}), Strona: page, IloscNaStronie: size };
		if (call.since) args.OdStamp = call.since;
		const body = await enovaCall(ctx, {
			...call,
			args,
			action: `${call.action ?? `Reading ${call.method}`} (page ${page})`,
		});
		const records = body[call.recordsKey];
		if (!Array.isArray(records))
			throw addOnError(
				ctx,
				call,
				serviceOf(ctx, call.method).label,
				`page ${page} has no "${call.recordsKey}" list`,
				'sent an unexpected answer',
			);
		if (body.Strona !== undefined && Number(body.Strona) !== page)
			throw addOnError(
				ctx,
				call,
				serviceOf(ctx, call.method).label,
				`asked for page ${page}, got page ${String(body.Strona)}`,
				'sent an unexpected answer',
			);
		const stamp = body.Stamp === undefined || body.Stamp === null ? undefined : String(body.Stamp);
		yield { records: records as IDataObject[], stamp, page };
		if (body.CzyJestNastepna !== true || records.length === 0) return;
	}
}
