import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';
import { bindSession, boundSession } from '../nodes/shared/transport/sessionBinding';
import { isUnderBase } from '../nodes/shared/transport/url';
import { requestToken, saasRoot, tokenFields } from '../nodes/BusinessCentral/transport/auth';

/**
 * Microsoft Dynamics 365 Business Central online (SaaS), service-to-service: a Microsoft Entra app with the client
 * credentials grant (research erp-facts-wave2 §1 [S3]; basic auth for SaaS ended in April 2022).
 *
 * The access token (about an hour) is a hidden, expirable field, as SAP B1's session: n8n gets one through
 * `preAuthentication` when the field is empty and keeps it encrypted in its database, so items, runs and queue-mode
 * workers share it. When BC answers 401 the node empties the field for ONE of the requests in flight and the others
 * wait for that token (nodes/shared/transport/session.ts). The token is stored with a fingerprint of tenant, client
 * ID, secret and hosts (nodes/shared/transport/sessionBinding.ts): after the secret or the tenant changes, the old
 * token is not sent again. The token goes only to URLs under `{API Host}/v2.0/{tenant}/{environment}/` (resolved,
 * so `..` in a code from the data cannot lead it elsewhere); the client secret goes only to the login host.
 */
export class BusinessCentralApi implements ICredentialType {
	name = 'businessCentralApi';

	displayName = 'Microsoft Dynamics 365 Business Central API';

	icon: Icon = {
		light: 'file:../nodes/BusinessCentral/businessCentral.svg',
		dark: 'file:../nodes/BusinessCentral/businessCentral.dark.svg',
	};

	documentationUrl = 'https://github.com/n8n-nodes-erp-b2b/n8n-nodes-erp-b2b/blob/main/docs/business-central.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Tenant ID',
			name: 'tenantId',
			type: 'string',
			default: '',
			placeholder: 'contoso.onmicrosoft.com or 00000000-0000-0000-0000-000000000000',
			required: true,
			description: 'The Microsoft Entra tenant (directory) of the Business Central subscription: its GUID or domain',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'string',
			default: 'production',
			required: true,
			description: 'Name of the Business Central environment (admin center → Environments), e.g. production or sandbox',
		},
		{
			displayName: 'Company',
			name: 'company',
			type: 'string',
			default: '',
			placeholder: 'CRONUS Polska S.A.',
			required: true,
			description: "The company's name or ID (GUID), as GET …/api/v2.0/companies lists them",
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description:
				'Application (client) ID of the Microsoft Entra app, registered in Business Central on the page "Microsoft Entra Applications" with API.ReadWrite.All',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'API Host',
			name: 'apiHost',
			type: 'string',
			default: 'https://api.businesscentral.dynamics.com',
			description: 'Change only for a sovereign cloud or a test server',
		},
		{
			displayName: 'Login Host',
			name: 'loginHost',
			type: 'string',
			default: 'https://login.microsoftonline.com',
			description: 'Microsoft Entra login host; sovereign clouds use others (e.g. https://login.microsoftonline.us)',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			// password: n8n redacts it from what the editor loads
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	/** Gets a token from Microsoft Entra; n8n stores it (encrypted) in `accessToken`. */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const token = await requestToken(this.helpers.httpRequest.bind(this.helpers), credentials);
		return { accessToken: bindSession(token, tokenFields(credentials)) };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		// the token belongs to this tenant's environment only: nothing else on the host (nor another host) gets it
		if (!isUnderBase(requestOptions, saasRoot(credentials))) return requestOptions;
		const token = boundSession(credentials.accessToken, tokenFields(credentials));
		return {
			...requestOptions,
			headers: { ...(requestOptions.headers ?? {}), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
		};
	}

	// no `test` here: n8n prefers a credential's own test to the node's connection test (BusinessCentral.node.ts,
	// testedBy), which gets a token, finds the company and names it when it is not there
}
