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
 * The Windows service around Comarch ERP Optima's COM objects (docs/optima-bridge.md). Fields, Bearer key and /health test are the
 * bridges' shared ones (nodes/shared/transport/bridgeCredential.ts); the class stays spelled out because n8n's
 * lint reads a credential's name from its own class.
 */
export class OptimaBridgeApi implements ICredentialType {
	name = 'optimaBridgeApi';

	displayName = 'Comarch ERP Optima Bridge API';

	icon: Icon = { light: 'file:../nodes/Optima/optima.svg', dark: 'file:../nodes/Optima/optima.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-erp-b2b/n8n-nodes-erp-b2b/blob/main/docs/optima-bridge.md';

	properties: INodeProperties[] = bridgeCredentialProperties('https://optima-bridge.firma.local:8443');

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return withBearerKey(credentials, requestOptions);
	}

	test: ICredentialTestRequest = bridgeHealthTest;
}
