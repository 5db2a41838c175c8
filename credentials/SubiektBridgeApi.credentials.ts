import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';
import { headerSecret } from '../nodes/shared/transport/headerSecret';

/** The Windows service around Subiekt GT's Sfera (docs/subiekt-sfera-bridge.md). */
export class SubiektBridgeApi implements ICredentialType {
	name = 'subiektBridgeApi';

	displayName = 'Subiekt GT Sfera Bridge API';

	icon: Icon = { light: 'file:../nodes/SubiektGt/subiektGt.svg', dark: 'file:../nodes/SubiektGt/subiektGt.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-erp-b2b/n8n-nodes-erp-b2b/blob/main/docs/subiekt-sfera-bridge.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Bridge URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://subiekt-bridge.firma.local:8443',
			required: true,
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: {
				...(requestOptions.headers ?? {}),
				Authorization: `Bearer ${headerSecret(credentials.apiKey, 'API Key')}`,
			},
		};
	}

	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}', url: '/health', method: 'GET' },
	};
}
