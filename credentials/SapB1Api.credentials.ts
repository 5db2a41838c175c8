import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';
import { extractErrorBody } from '../nodes/shared/transport/errors';
import { bindSession, boundSession } from '../nodes/shared/transport/sessionBinding';
import { isUnderServiceLayer, serviceLayerBase, sessionCookieFromSetCookie } from '../nodes/SapB1/transport/session';

/**
 * SAP Business One Service Layer (and, optionally, the API Gateway for invoice PDFs).
 *
 * The session is a hidden, expirable field: n8n logs in through `preAuthentication` when it is empty and keeps
 * the cookies encrypted in its database (so every item, execution and queue-mode worker reuses one session).
 * When the Service Layer answers 401 — or 403, which load-balanced installs answer when the session's node was
 * recycled — the SAP B1 node empties the field for ONE of the requests in flight, so n8n logs in once, and the
 * others wait for that session (nodes/shared/transport/session.ts). A wrong password fails at once: the login
 * is never retried in a loop.
 */
export class SapB1Api implements ICredentialType {
	name = 'sapB1Api';

	displayName = 'SAP Business One Service Layer API';

	icon: Icon = { light: 'file:../nodes/SapB1/sapB1.svg', dark: 'file:../nodes/SapB1/sapB1.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-erp-b2b/n8n-nodes-erp-b2b/blob/main/docs/sap-b1.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Service Layer URL',
			name: 'serviceLayerUrl',
			type: 'string',
			default: '',
			placeholder: 'https://sap.example.pl:50000/b1s/v1',
			required: true,
			description: 'Ends in /b1s/v1 (OData 3) or /b1s/v2 (OData 4); /b1s/v1 is added when missing',
		},
		{
			displayName: 'Company Database',
			name: 'companyDb',
			type: 'string',
			default: '',
			placeholder: 'SBODEMOPL',
			required: true,
		},
		{
			displayName: 'User',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Accept Self-Signed Certificate',
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description:
				'Whether to accept the self-signed TLS certificate many SAP servers use. The connection stays encrypted but the server is not verified.',
		},
		{
			displayName: 'SAP Server Time Zone',
			name: 'timeZone',
			type: 'string',
			default: 'Europe/Warsaw',
			description: 'IANA time zone of the SAP server: SAP stamps changes in its local time without a zone',
		},
		{
			displayName: 'API Gateway URL (for Invoice PDFs)',
			name: 'gatewayUrl',
			type: 'string',
			default: '',
			placeholder: 'https://sap.example.pl:60000',
			description: 'SAP B1 API Gateway with the Report Layout API; leave empty if PDFs are not needed',
		},
		{
			displayName: 'API Gateway User',
			name: 'gatewayUsername',
			type: 'string',
			default: '',
			description: 'Leave empty to use the Service Layer user',
			displayOptions: { hide: { gatewayUrl: [''] } },
		},
		{
			displayName: 'API Gateway Password',
			name: 'gatewayPassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Leave empty to use the Service Layer password',
			displayOptions: { hide: { gatewayUrl: [''] } },
		},
		// a live login (cookie / token): the lint's name heuristic does not know it is a secret
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password
		{
			displayName: 'Session',
			name: 'session',
			type: 'hidden',
			// password: n8n redacts it from what the editor loads (the browser never holds a live ERP session)
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	/** Logs in to the Service Layer; returns the session cookies n8n stores (encrypted) in `session`. */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const base = serviceLayerBase(credentials.serviceLayerUrl);
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${base}/Login`,
			body: {
				CompanyDB: String(credentials.companyDb ?? ''),
				UserName: String(credentials.username ?? ''),
				Password: String(credentials.password ?? ''),
			},
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			skipSslCertificateValidation: credentials.ignoreSslIssues === true,
			timeout: 60_000,
			// the body carries the password: never re-sent to whatever host a redirect names
			disableFollowRedirect: true,
		})) as { statusCode: number; headers: Record<string, string | string[] | undefined>; body: unknown };
		if (response.statusCode >= 300 && response.statusCode < 400)
			throw new Error(
				`SAP B1 login answered HTTP ${response.statusCode} (a redirect), which is not followed with the password: put the Service Layer's final URL into the credential`,
			);
		if (response.statusCode !== 200) {
			const sap = extractErrorBody(response.body);
			throw new Error(
				`SAP B1 login to company "${String(credentials.companyDb)}" as "${String(credentials.username)}" failed (HTTP ${response.statusCode}${sap?.code ? `, SAP code ${sap.code}` : ''}): ${sap?.message ?? 'no message'}${response.statusCode === 401 ? ' — check Company Database, User and Password' : ''}`,
			);
		}
		const session = sessionCookieFromSetCookie(response.headers['set-cookie']);
		if (!session) throw new Error('SAP B1 login answered 200 but sent no B1SESSION cookie');
		return { session: bindSession(session, loginFields(credentials)) };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		// the session belongs to the Service Layer only: requests to the API Gateway (another port, its own
		// login) must not carry it
		if (!isUnderServiceLayer(requestOptions, serviceLayerBase(credentials.serviceLayerUrl))) return requestOptions;
		return {
			...requestOptions,
			headers: {
				...(requestOptions.headers ?? {}),
				// a session made with other login fields (the password or company changed since) is not sent
				Cookie: boundSession(credentials.session, loginFields(credentials)) ?? '',
			},
			skipSslCertificateValidation: requestOptions.skipSslCertificateValidation ?? credentials.ignoreSslIssues === true,
		};
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.serviceLayerUrl.replace(/\\/+$/, "")}}',
			url: '/Warehouses?$top=1&$select=WarehouseCode',
			method: 'GET',
		},
	};
}

/** What a Service Layer session belongs to (nodes/shared/transport/sessionBinding.ts). */
function loginFields(credentials: ICredentialDataDecryptedObject): unknown[] {
	return [
		serviceLayerBase(credentials.serviceLayerUrl),
		credentials.companyDb,
		credentials.username,
		credentials.password,
	];
}
