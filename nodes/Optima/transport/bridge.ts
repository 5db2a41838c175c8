/** Requests to the Optima bridge (docs/optima-bridge.md): the shared bridge transport with its credential. */
import type { IDataObject } from 'n8n-workflow';
import { bridgeRequest, type BridgeRequest } from '../../shared/transport/bridge';
import type { FullResponse, RequestContext } from '../../shared/transport/request';

export const OPTIMA_BRIDGE_CREDENTIAL = 'optimaBridgeApi';

export async function optimaBridgeRequest<T = IDataObject>(
	ctx: RequestContext,
	req: BridgeRequest,
): Promise<FullResponse<T>> {
	return await bridgeRequest<T>(ctx, OPTIMA_BRIDGE_CREDENTIAL, req);
}
