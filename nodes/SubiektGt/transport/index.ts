/** Requests to the Subiekt GT Sfera bridge (docs/subiekt-sfera-bridge.md): the shared bridge transport with its credential. */
import type { IDataObject } from 'n8n-workflow';
import { bridgeRequest as sharedBridgeRequest, type BridgeRequest } from '../../shared/transport/bridge';
import type { FullResponse, RequestContext } from '../../shared/transport/request';

export const BRIDGE_CREDENTIAL = 'subiektBridgeApi';

export async function bridgeRequest<T = IDataObject>(
	ctx: RequestContext,
	req: BridgeRequest,
): Promise<FullResponse<T>> {
	return await sharedBridgeRequest<T>(ctx, BRIDGE_CREDENTIAL, req);
}
