import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';
import {
	bridgeCredentialProperties,
	bridgeHealthTest,
	withBearerKey,
} from '../nodes/shared/transport/bridgeCredential';

/**
 * The Windows service around Subiekt GT's Sfera (docs/subiekt-sfera-bridge.md). Fields, Bearer key and /health test are the
 * bridges' shared ones (nodes/shared/transport/bridgeCredential.ts); the class stays spelled out because n8n's
 * lint reads a credential's name from its own class.
 */
export class SubiektBridgeApi implements ICredentialType {
	name = 'subiektBridgeApi';

	displayName = 'Subiekt GT Sfera Bridge API';

	icon: Icon = { light: 'file:../nodes/SubiektGt/subiektGt.svg', dark: 'file:../nodes/SubiektGt/subiektGt.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-erp-b2b/n8n-nodes-erp-b2b/blob/main/docs/subiekt-sfera-bridge.md';

	properties: INodeProperties[] = bridgeCredentialProperties('https://subiekt-bridge.firma.local:8443');

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return withBearerKey(credentials, requestOptions);
	}

	test: ICredentialTestRequest = bridgeHealthTest;
}
