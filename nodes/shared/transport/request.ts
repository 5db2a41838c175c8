/**
 * The one way the pack talks HTTP: `this.helpers.httpRequestWithAuthentication` wrapped in the retry
 * policy, with error bodies turned into NodeApiError messages that name the item. Credentials are added
 * by n8n from the credential type; they are never put into errors or logs here (errors are built from
 * the status and the response body only, never from the request options). Credentials with a login
 * session (SAP B1) go through ./session.ts, which renews an expired session once for all requests in flight.
 */
import {
	NodeApiError,
	type IExecuteFunctions,
	type IHookFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IPollFunctions,
	type IWebhookFunctions,
	type JsonObject,
} from 'n8n-workflow';
import { extractErrorBody, type ExtractedError } from './errors';
import { sendWithSession, type SessionSettings } from './session';
import {
	DEFAULT_RETRY_POLICY,
	backoffDelay,
	isNetworkError,
	isRetryableStatus,
	parseRetryAfter,
	sleep,
	type RetryPolicy,
} from './retry';

export type RequestContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IPollFunctions
	| IHookFunctions
	| IWebhookFunctions;

export interface FullResponse<T = unknown> {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: T;
}

export interface RequestSettings {
	policy?: Partial<RetryPolicy>;
	/** item the request is made for; goes into NodeApiError.itemIndex */
	itemIndex?: number;
	/**
	 * Whether the request may be sent again after a network failure that may have happened after the server
	 * acted on it (timeout, reset, dropped connection). Upserts keyed by ERP code are idempotent; a POST that
	 * creates a document is not, and its caller must look the document up before trying again.
	 */
	idempotent?: boolean;
	/** statuses the caller handles itself (returned, not thrown), e.g. 404 for "not found → create" */
	acceptStatus?: number[];
	/** what the request was doing, for the error message: "sending products 501–1000" */
	action?: string;
	/**
	 * For credentials with a login session in a hidden expirable field: which field, and the statuses that
	 * mean "session expired" (SAP: 401, and 403 on load-balanced installs). The session is then renewed by
	 * one login shared by every request in flight that met the expiry (./session.ts), and the request sent
	 * once more; a session refused again right after the fresh login fails the request.
	 */
	session?: SessionSettings;
	/** for tests: replaces the wait between tries */
	sleepFn?: (ms: number) => Promise<void>;
	random?: () => number;
}

export class RequestFailure extends Error {
	constructor(
		message: string,
		public readonly statusCode: number | undefined,
		public readonly extracted: ExtractedError | undefined,
		public readonly attempts: number,
	) {
		super(message);
		this.name = 'RequestFailure';
	}
}

function pathOf(options: IHttpRequestOptions): string {
	try {
		return new URL(options.url, options.baseURL ?? 'http://x').pathname;
	} catch {
		return options.url.split('?')[0];
	}
}

/** Sends the request, retrying per policy. Returns the full response of a 2xx (or an accepted status). */
export async function requestWithRetry<T = unknown>(
	ctx: RequestContext,
	credentialType: string,
	options: IHttpRequestOptions,
	settings: RequestSettings = {},
): Promise<FullResponse<T>> {
	const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...settings.policy };
	const wait = settings.sleepFn ?? sleep;
	const idempotent = settings.idempotent ?? true;
	const method = (options.method ?? 'GET').toUpperCase();
	const where = `${method} ${pathOf(options)}`;
	for (let attempt = 0; ; attempt++) {
		let response: FullResponse<T> | undefined;
		let networkError: unknown;
		try {
			const sent: IHttpRequestOptions = {
				...options,
				timeout: options.timeout ?? policy.timeoutMs,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				// never follow a redirect with credentials: n8n would send the API key, bridge key or session
				// cookie on to whatever host a 3xx names (sendCredentialsOnCrossOriginRedirect is on by default)
				disableFollowRedirect: true,
			};
			response = settings.session
				? await sendWithSession<T>(ctx, credentialType, sent, {
						...settings.session,
						// the caller's read is fresh for the first try only; later tries read the stored session again
						credentials: attempt === 0 ? settings.session.credentials : undefined,
					})
				: ((await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, sent)) as FullResponse<T>);
		} catch (error) {
			if (!isNetworkError(error)) throw sanitisedError(ctx, error, settings, where);
			networkError = error;
		}
		const retriesLeft = attempt < policy.maxRetries;
		if (response) {
			const status = response.statusCode;
			if (settings.session?.expiredStatus.includes(status)) throw refusedSession(ctx, response, settings, where);
			if ((status >= 200 && status < 300) || settings.acceptStatus?.includes(status)) return response;
			if (status >= 300 && status < 400) throw redirectError(ctx, response, settings, where);
			if (retriesLeft && isRetryableStatus(status)) {
				const retryAfter = parseRetryAfter(response.headers['retry-after']);
				if (retryAfter !== undefined && retryAfter > policy.maxRetryAfterMs) {
					throw apiError(
						ctx,
						response,
						settings,
						attempt + 1,
						`the server asked to wait ${Math.round(retryAfter / 1000)} s (Retry-After), longer than the ${Math.round(policy.maxRetryAfterMs / 1000)} s allowed`,
					);
				}
				const delay = retryAfter ?? backoffDelay(attempt, policy, settings.random);
				ctx.logger?.warn(`${where} answered ${status}; retry ${attempt + 1}/${policy.maxRetries} in ${delay} ms`);
				await wait(delay);
				continue;
			}
			throw apiError(ctx, response, settings, attempt + 1);
		}
		const code = (networkError as { code?: string }).code ?? 'network error';
		if (retriesLeft && idempotent) {
			const delay = backoffDelay(attempt, policy, settings.random);
			ctx.logger?.warn(`${where} failed (${code}); retry ${attempt + 1}/${policy.maxRetries} in ${delay} ms`);
			await wait(delay);
			continue;
		}
		const reason = idempotent
			? `no answer after ${attempt + 1} tries (${code})`
			: `no answer (${code}); not retried because the request may already have been applied`;
		const noAnswer = new NodeApiError(ctx.getNode(), { message: reason, code } as JsonObject, {
			message: `${settings.action ?? where} failed: ${reason}`,
			description: `The server at ${where} did not answer. Check that it is reachable from n8n.`,
			itemIndex: settings.itemIndex,
		});
		(noAnswer as NodeApiError & { noAnswer?: boolean }).noAnswer = true;
		throw noAnswer;
	}
}

const REFUSED_SESSION =
	'The ERP refused the session even after a fresh login: check user, password and company (no retry: it cannot succeed).';

/** A session refused right after a fresh login (sendWithSession gives it back once, never in a loop). */
function refusedSession(
	ctx: RequestContext,
	response: FullResponse<unknown>,
	settings: RequestSettings,
	where: string,
): NodeApiError {
	const status = response.statusCode;
	const text = extractErrorBody(response.body)?.message ?? `HTTP ${status}`;
	return new NodeApiError(ctx.getNode(), { message: text, httpCode: String(status) } as JsonObject, {
		message: `${settings.action ?? where} failed: HTTP ${status} – ${text}`,
		description: REFUSED_SESSION,
		httpCode: String(status),
		itemIndex: settings.itemIndex,
	});
}

/**
 * An error thrown inside n8n's request helpers (a failed login) rebuilt from its message, status and
 * response body only: the original carries the request options, auth headers included.
 */
function sanitisedError(ctx: RequestContext, error: unknown, settings: RequestSettings, where: string): NodeApiError {
	const e = error as {
		message?: string;
		httpCode?: string | null;
		cause?: { response?: { status?: number; data?: unknown } };
	};
	const status = e.cause?.response?.status ?? (e.httpCode ? Number(e.httpCode) : undefined);
	const body = e.cause?.response?.data;
	const extracted = body !== undefined ? extractErrorBody(body) : undefined;
	const text = extracted?.message ?? e.message ?? 'unknown error';
	return new NodeApiError(ctx.getNode(), { message: text } as JsonObject, {
		message: `${settings.action ?? where} failed${status ? `: HTTP ${status}` : ''} – ${text}`,
		description: status === 401 || status === 403 ? REFUSED_SESSION : undefined,
		httpCode: status ? String(status) : undefined,
		itemIndex: settings.itemIndex,
	});
}

/** A 3xx: not followed (credentials would go along); says where it pointed, never what was sent. */
function redirectError(
	ctx: RequestContext,
	response: FullResponse<unknown>,
	settings: RequestSettings,
	where: string,
): NodeApiError {
	const location = response.headers?.location;
	let target = 'another address';
	try {
		const url = new URL(String(Array.isArray(location) ? location[0] : (location ?? '')), 'http://relative.invalid');
		target = url.host === 'relative.invalid' ? `the path ${url.pathname}` : `${url.protocol}//${url.host}`;
	} catch {
		// an unreadable Location header: say no more than "another address"
	}
	const message = `${settings.action ?? where} failed: HTTP ${response.statusCode} – the server redirects to ${target}`;
	return new NodeApiError(ctx.getNode(), { message, httpCode: String(response.statusCode) } as JsonObject, {
		message,
		description:
			'Redirects are not followed for requests that carry credentials (the API key, bridge key or ERP session would go to the new address). Put the final address (https, host, port, path) into the credential.',
		httpCode: String(response.statusCode),
		itemIndex: settings.itemIndex,
	});
}

function apiError(
	ctx: RequestContext,
	response: FullResponse<unknown>,
	settings: RequestSettings,
	attempts: number,
	extra?: string,
): NodeApiError {
	const extracted = extractErrorBody(response.body);
	const status = response.statusCode;
	const head = settings.action ? `${settings.action} failed` : 'Request failed';
	let message = `${head}: HTTP ${status}${extracted ? ` – ${extracted.message}` : ''}`;
	if (extra) message += ` (${extra})`;
	const details = extracted?.details ?? [];
	const description = [
		...details
			.slice(0, 20)
			.map((d) =>
				[
					d.index !== undefined ? `#${d.index}` : '',
					d.key ? `"${d.key}"` : '',
					d.field ? `field "${d.field}"` : '',
					d.message,
				]
					.filter(Boolean)
					.join(' '),
			),
		details.length > 20 ? `… and ${details.length - 20} more` : '',
		attempts > 1 ? `Gave up after ${attempts} tries.` : '',
		status === 401 ? 'The credential was refused: check the API key / token (no retry: it cannot succeed).' : '',
	]
		.filter(Boolean)
		.join('\n');
	const error = new NodeApiError(
		ctx.getNode(),
		{ message: extracted?.message ?? `HTTP ${status}`, httpCode: String(status) } as JsonObject,
		{ message, description: description || undefined, httpCode: String(status), itemIndex: settings.itemIndex },
	);
	(error as NodeApiError & { extracted?: ExtractedError }).extracted = extracted;
	const retryAfter = parseRetryAfter(response.headers?.['retry-after']);
	if (retryAfter !== undefined) (error as NodeApiError & { retryAfterMs?: number }).retryAfterMs = retryAfter;
	return error;
}

/** How long the server asked to wait (its Retry-After, in ms) with the error status, if it did. */
export function retryAfterOf(error: unknown): number | undefined {
	return (error as { retryAfterMs?: number } | undefined)?.retryAfterMs;
}

/** The parsed error body that came with a NodeApiError raised by requestWithRetry, if any. */
export function extractedOf(error: unknown): ExtractedError | undefined {
	return (error as { extracted?: ExtractedError } | undefined)?.extracted;
}

/** True for the error requestWithRetry throws when the server never answered (the request may have been applied). */
export function isNoAnswer(error: unknown): boolean {
	return (error as { noAnswer?: boolean } | undefined)?.noAnswer === true;
}
