/**
 * Requests to a Windows bridge service around an ERP's COM objects (Subiekt GT's Sfera:
 * docs/subiekt-sfera-bridge.md; Comarch ERP Optima: docs/optima-bridge.md), through the shared retrying
 * transport. Both contracts are the same kind of HTTP: a base URL and a Bearer key in the credential (added by
 * the credential's authenticate, never here), JSON in UTF-8, and PDFs as raw bytes. Each node names its own
 * credential type; everything else is one piece of code.
 */
import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';
import type { RetryPolicy } from './retry';
import { requestWithRetry, type FullResponse, type RequestContext } from './request';

export interface BridgeRequest {
	method: IHttpRequestMethods;
	/** path and query, every value from data already encoded (encodeURIComponent) */
	path: string;
	body?: IDataObject;
	itemIndex?: number;
	action?: string;
	policy?: Partial<RetryPolicy>;
	/** false for a create: a lost answer is then not sent again, the caller looks the document up first */
	idempotent?: boolean;
	/** the answer is a file (a PDF), returned as bytes */
	binary?: boolean;
}

export async function bridgeRequest<T = IDataObject>(
	ctx: RequestContext,
	credentialType: string,
	req: BridgeRequest,
): Promise<FullResponse<T>> {
	const credentials = await ctx.getCredentials(credentialType);
	const baseURL = String(credentials.baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
	return await requestWithRetry<T>(
		ctx,
		credentialType,
		{
			method: req.method,
			baseURL,
			url: req.path,
			body: req.body,
			headers: { Accept: req.binary ? 'application/pdf' : 'application/json' },
			json: !req.binary,
			...(req.binary ? { encoding: 'arraybuffer' as const } : {}),
		},
		{ itemIndex: req.itemIndex, action: req.action, policy: req.policy, idempotent: req.idempotent },
	);
}
