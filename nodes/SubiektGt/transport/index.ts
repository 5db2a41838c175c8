/** Requests to the Subiekt GT Sfera bridge (docs/subiekt-sfera-bridge.md) through the shared retrying transport. */
import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';
import type { RetryPolicy } from '../../shared/transport/retry';
import { requestWithRetry, type FullResponse, type RequestContext } from '../../shared/transport/request';

export const BRIDGE_CREDENTIAL = 'subiektBridgeApi';

export async function bridgeRequest<T = IDataObject>(
	ctx: RequestContext,
	req: {
		method: IHttpRequestMethods;
		path: string;
		body?: IDataObject;
		itemIndex?: number;
		action?: string;
		policy?: Partial<RetryPolicy>;
		idempotent?: boolean;
		binary?: boolean;
	},
): Promise<FullResponse<T>> {
	const credentials = await ctx.getCredentials(BRIDGE_CREDENTIAL);
	const baseURL = String(credentials.baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
	return await requestWithRetry<T>(
		ctx,
		BRIDGE_CREDENTIAL,
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
