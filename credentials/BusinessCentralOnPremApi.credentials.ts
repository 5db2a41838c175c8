import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';
import { isUnderBase } from '../nodes/shared/transport/url';
import { onPremRoot } from '../nodes/BusinessCentral/transport/auth';

/**
 * Business Central on premises: the API (`{base}/api/v2.0`, off by default: the BC admin enables API services) and
 * published pages (`{base}/ODataV4`) with basic authentication, the user's Web Service Access Key as the password
 * (research erp-facts-wave2 §1 [S2, S5]). Windows (NTLM) authentication is not offered: n8n's request helper cannot
 * do NTLM. The key goes only to URLs under the Base URL (resolved), never after a redirect.
 */
export class BusinessCentralOnPremApi implements ICredentialType {
	name = 'businessCentralOnPremApi';

	displayName = 'Microsoft Dynamics 365 Business Central On-Premises API';

	icon: Icon = {
		light: 'file:../nodes/BusinessCentral/businessCentral.svg',
		dark: 'file:../nodes/BusinessCentral/businessCentral.dark.svg',
	};

	documentationUrl = 'https://github.com/n8n-nodes-erp-b2b/n8n-nodes-erp-b2b/blob/main/docs/business-central.md';

	properties: INodeProperties[] = [
		{
			displayName:
				'Basic authentication with a Web Service Access Key (BC user card). Windows (NTLM) authentication is not supported: n8n cannot send it.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://bc.firma.pl:7048/BC230',
			required: true,
			description: 'The server instance’s OData address, without /api/v2.0 or /ODataV4',
		},
		{
			displayName: 'User',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
		},
		// the key is the user's password for web services: the lint's name heuristic does not know it
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password
		{
			displayName: 'Web Service Access Key',
			name: 'accessKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
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
			displayName: 'Accept Self-Signed Certificate',
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description:
				'Whether to accept a self-signed TLS certificate. The connection stays encrypted but the server is not verified.',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		if (!isUnderBase(requestOptions, onPremRoot(credentials))) return requestOptions;
		const pair = `${String(credentials.username ?? '').trim()}:${String(credentials.accessKey ?? '')}`;
		return {
			...requestOptions,
			headers: {
				...(requestOptions.headers ?? {}),
				Authorization: `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`,
			},
			skipSslCertificateValidation: requestOptions.skipSslCertificateValidation ?? credentials.ignoreSslIssues === true,
		};
	}
	// the connection test is the node's (BusinessCentral.node.ts, testedBy): it reads the companies and names the
	// company when it is not there
}
