/**
 * Authenticated, retried requests to the portal contract (docs/portal-api.yaml). On the ground floor because the
 * ERP nodes call the portal too: their order create renews the order's claim while the ERP works (../claimRenewal.ts).
 */
import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';
import type { RetryPolicy } from './retry';
import { requestWithRetry, type FullResponse, type RequestContext } from './request';

export const PORTAL_CREDENTIAL = 'b2bPortalApi';

export interface PortalRequest {
	method: IHttpRequestMethods;
	/** path under the base URL, e.g. "/v1/products/batch" */
	path: string;
	body?: IDataObject | Buffer;
	qs?: IDataObject;
	headers?: IDataObject;
	itemIndex?: number;
	action?: string;
	policy?: Partial<RetryPolicy>;
	acceptStatus?: number[];
	binaryResponse?: boolean;
}

export async function portalBaseUrl(ctx: RequestContext): Promise<string> {
	const credentials = await ctx.getCredentials(PORTAL_CREDENTIAL);
	const base = String(credentials.baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
	if (!/^https?:\/\//i.test(base))
		throw new Error('The B2B Portal credential needs a Base URL starting with http:// or https://');
	return base;
}

export async function portalRequest<T = IDataObject>(
	ctx: RequestContext,
	req: PortalRequest,
): Promise<FullResponse<T>> {
	const baseURL = await portalBaseUrl(ctx);
	const isBuffer = Buffer.isBuffer(req.body);
	const options: IHttpRequestOptions = {
		method: req.method,
		baseURL,
		url: req.path,
		qs: req.qs,
		body: req.body,
		headers: { Accept: 'application/json', ...(req.headers ?? {}) },
		json: !isBuffer && !req.binaryResponse,
	};
	if (req.binaryResponse) options.encoding = 'arraybuffer';
	return await requestWithRetry<T>(ctx, PORTAL_CREDENTIAL, options, {
		policy: req.policy,
		itemIndex: req.itemIndex,
		action: req.action,
		acceptStatus: req.acceptStatus,
	});
}

export type PortalContext = IExecuteFunctions;
