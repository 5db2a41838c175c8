import type {
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';
import { API_KEY_PROPERTY } from '../nodes/shared/transport/bridgeCredential';
import { headerSecret } from '../nodes/shared/transport/headerSecret';

/**
 * Access to a B2B portal that implements the pack's contract (docs/portal-api.yaml): base URL, an API key
 * sent as `X-API-Key` or as a bearer token, and the secret the portal signs its webhooks with.
 */
export class B2bPortalApi implements ICredentialType {
	name = 'b2bPortalApi';

	displayName = 'B2B Portal API';

	icon: Icon = { light: 'file:../nodes/B2bPortal/b2bPortal.svg', dark: 'file:../nodes/B2bPortal/b2bPortal.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-erp-b2b/n8n-nodes-erp-b2b/blob/main/docs/portal-api.yaml';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://b2b.example.pl/api',
			required: true,
			description: 'The portal API address, without /v1',
		},
		{
			displayName: 'Send Key As',
			name: 'authType',
			type: 'options',
			options: [
				{ name: 'X-API-Key Header', value: 'apiKey' },
				{ name: 'Bearer Token (Authorization Header)', value: 'bearer' },
			],
			default: 'apiKey',
		},
		API_KEY_PROPERTY,
		{
			displayName: 'Webhook Signing Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Secret the portal signs order webhooks with (HMAC-SHA256). Needed only by the B2B Portal Trigger node.',
		},
	];

	/** One secret field, sent the way the portal wants it; a function so no empty header is ever sent. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const key = headerSecret(credentials.apiKey, 'API Key');
		const headers = { ...(requestOptions.headers ?? {}) };
		if (credentials.authType === 'bearer') headers.Authorization = `Bearer ${key}`;
		else headers['X-API-Key'] = key;
		return { ...requestOptions, headers };
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/sync-status',
			method: 'GET',
		},
		// n8n shows only the status text ("Unauthorized") for a refused test: say which field to look at
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: 'The portal refused the API key (HTTP 401): check API Key and Send Key As' },
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The portal knows the API key but does not allow it to read the sync status (HTTP 403): ask the portal for a key with the integration rights',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No portal API at this Base URL (HTTP 404 for /v1/sync-status): check Base URL (the part before /v1)',
				},
			},
		],
	};
}
