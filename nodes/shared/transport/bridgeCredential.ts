/**
 * The credential of a Windows bridge service (Subiekt GT's Sfera bridge, the Optima bridge): its URL, a key sent
 * as `Authorization: Bearer` (checked by headerSecret: a key an HTTP header cannot carry is refused naming the
 * field, never the key; spaces and line breaks around it are dropped), and the credential test against the
 * service's `GET /health`. One definition, so both bridges validate their key the same way.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';
import { headerSecret } from './headerSecret';

/** the API Key field of every credential whose key goes into a header (checked by headerSecret when sent) */
export const API_KEY_PROPERTY: INodeProperties = {
	displayName: 'API Key',
	name: 'apiKey',
	type: 'string',
	typeOptions: { password: true },
	default: '',
	required: true,
};

/** Bridge URL and API Key, with the placeholder of the service's usual address */
export function bridgeCredentialProperties(placeholder: string): INodeProperties[] {
	return [
		{
			displayName: 'Bridge URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder,
			required: true,
		},
		API_KEY_PROPERTY,
	];
}

/** the request with `Authorization: Bearer <API Key>` */
export function withBearerKey(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): IHttpRequestOptions {
	return {
		...requestOptions,
		headers: {
			...(requestOptions.headers ?? {}),
			Authorization: `Bearer ${headerSecret(credentials.apiKey, 'API Key')}`,
		},
	};
}

/** n8n's "Test" button: the service's health endpoint, authenticated */
export const bridgeHealthTest: ICredentialTestRequest = {
	request: { baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}', url: '/health', method: 'GET' },
	// n8n shows only the status text ("Unauthorized") for a refused test: say which field to look at
	rules: [
		{
			type: 'responseCode',
			properties: {
				value: 401,
				message:
					"The bridge refused the API key (HTTP 401): check API Key (the key in the bridge service's configuration)",
			},
		},
		{
			type: 'responseCode',
			properties: { value: 404, message: 'No bridge at this Base URL (HTTP 404 for /health): check Base URL' },
		},
	],
};
