import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';
import { extractErrorBody } from '../nodes/shared/transport/errors';
import { headerSecret } from '../nodes/shared/transport/headerSecret';
import { bindSession, boundSession } from '../nodes/shared/transport/sessionBinding';
import {
	INVOKER_PATH,
	LOGIN_PATH,
	NO_SESSION,
	enovaBase,
	isUnderEnova,
	modeOf,
	resolvedPath,
	tokenOf,
} from '../nodes/Enova365/transport/session';

/**
 * enova365 (Soneta) WebAPI, in one of its two ways in (docs/enova365-webapi-contract.md):
 *
 * - Dynamic WebAPI: the app token generated in enova (an RS256 JWT valid 365 days) logs in at `/api/LoginApi` and
 *   gets a session token that dies 300 s after it was issued. The session token is a hidden, expirable field: n8n
 *   logs in through `preAuthentication` when it is empty and keeps it encrypted in its database, so items, runs and
 *   queue-mode workers share one session. When enova answers the "Session Expired Status" (401 unless set, not
 *   verified on a live enova), the enova365 node empties it for ONE of the requests in flight and every other
 *   request waits for that login (nodes/shared/transport/session.ts, the same renewal SAP's Service Layer uses).
 * - MethodInvoker (older WebAPI): no session; `authenticate` puts database, operator and password into the body of
 *   each `/api/MethodInvoker/InvokeServiceMethod` call. Only over HTTPS.
 *
 * Either way, the token or password goes only to URLs under the WebAPI base (resolved, so `..` in a code from the
 * data cannot lead it elsewhere), and no redirect is followed with it.
 */
export class Enova365Api implements ICredentialType {
	name = 'enova365Api';

	displayName = 'Enova365 API';

	icon: Icon = { light: 'file:../nodes/Enova365/enova365.svg', dark: 'file:../nodes/Enova365/enova365.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-erp-b2b/n8n-nodes-erp-b2b/blob/main/docs/enova365.md';

	properties: INodeProperties[] = [
		{
			displayName: 'WebAPI URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://enova.example.pl:8443',
			required: true,
			description: 'Address of the enova365 WebAPI (without /api)',
		},
		{
			displayName: 'Mode',
			name: 'mode',
			type: 'options',
			options: [
				{
					name: 'Dynamic WebAPI (App Token)',
					value: 'dynamic',
					description: 'An app token generated in enova logs in; business calls carry a 5-minute session token',
				},
				{
					name: 'MethodInvoker (Database, Operator, Password)',
					value: 'methodInvoker',
					description: 'The older WebAPI: every call carries the operator and password (HTTPS only)',
				},
			],
			default: 'dynamic',
		},
		{
			displayName: 'App Token',
			name: 'appToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The token generated in enova365 for the WebAPI (valid 365 days)',
			displayOptions: { show: { mode: ['dynamic'] } },
		},
		{
			displayName: 'Database',
			name: 'databaseHandle',
			type: 'string',
			default: '',
			placeholder: 'Firma_Demo',
			description: 'The database handle (DatabaseHandle) of the enova365 company',
			displayOptions: { show: { mode: ['methodInvoker'] } },
		},
		{
			displayName: 'Operator',
			name: 'operator',
			type: 'string',
			default: '',
			displayOptions: { show: { mode: ['methodInvoker'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { mode: ['methodInvoker'] } },
		},
		{
			displayName: 'Session Expired Status',
			name: 'sessionExpiredStatus',
			type: 'number',
			typeOptions: { minValue: 400, maxValue: 599 },
			default: 401,
			description:
				'HTTP status enova answers for an expired session token (401 assumed, not verified on a live enova): the node then logs in once again',
			displayOptions: { show: { mode: ['dynamic'] } },
		},
		{
			displayName: 'Accept Self-Signed Certificate',
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description:
				'Whether to accept a self-signed TLS certificate of the enova server. The connection stays encrypted but the server is not verified.',
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

	/** Dynamic mode: logs in with the app token; returns the session token n8n stores (encrypted) in `session`. */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		// MethodInvoker has no session: a marker keeps n8n from asking again, nothing is sent
		if (modeOf(credentials) === 'methodInvoker') return { session: NO_SESSION };
		const base = enovaBase(credentials.baseUrl);
		// a token a header cannot carry is refused before anything is sent, naming the field, never the token
		const appToken = headerSecret(credentials.appToken, 'App Token');
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${base}${LOGIN_PATH}`,
			headers: { Authorization: `Bearer ${appToken}`, Accept: 'application/json' },
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			skipSslCertificateValidation: credentials.ignoreSslIssues === true,
			timeout: 60_000,
			// the header carries the app token: never re-sent to whatever host a redirect names
			disableFollowRedirect: true,
		})) as { statusCode: number; body: unknown };
		if (response.statusCode >= 300 && response.statusCode < 400)
			throw new Error(
				`enova365 login answered HTTP ${response.statusCode} (a redirect), which is not followed with the app token: put the WebAPI's final URL into the credential`,
			);
		const token = response.statusCode === 200 ? tokenOf(response.body) : undefined;
		if (!token) {
			const said = extractErrorBody(response.body)?.message ?? 'no session token in the answer';
			throw new Error(`enova365 login (LoginApi) with the app token failed (HTTP ${response.statusCode}): ${said}`);
		}
		return { session: bindSession(token, loginFields(credentials)) };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const base = enovaBase(credentials.baseUrl);
		if (!isUnderEnova(requestOptions, base)) return requestOptions;
		const options: IHttpRequestOptions = {
			...requestOptions,
			skipSslCertificateValidation: requestOptions.skipSslCertificateValidation ?? credentials.ignoreSslIssues === true,
		};
		const path = resolvedPath(requestOptions);
		if (modeOf(credentials) === 'methodInvoker') {
			if (path !== new URL(`${base}${INVOKER_PATH}`).pathname) return options;
			const body = (
				typeof requestOptions.body === 'object' && requestOptions.body !== null ? requestOptions.body : {}
			) as IDataObject;
			return {
				...options,
				body: {
					...body,
					DatabaseHandle: String(credentials.databaseHandle ?? ''),
					Operator: String(credentials.operator ?? ''),
					Password: String(credentials.password ?? ''),
				},
			};
		}
		// the login request carries the app token itself (the credential test sends it)
		if (path === new URL(`${base}${LOGIN_PATH}`).pathname) return options;
		return {
			...options,
			headers: {
				...(requestOptions.headers ?? {}),
				// a token made with another app token or URL (changed since) is not sent: enova answers 401, n8n logs in
				Authorization: `Bearer ${boundSession(credentials.session, loginFields(credentials)) ?? ''}`,
			},
		};
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.trim().replace(/\\/+$/, "").replace(/\\/api$/i, "")}}',
			url: `={{$credentials.mode === "methodInvoker" ? "${INVOKER_PATH}" : "${LOGIN_PATH}"}}`,
			method: 'POST',
			headers: { Authorization: '={{"Bearer " + ($credentials.appToken || "")}}' },
			body: { ServiceName: 'B2BPortalApi', MethodName: 'GetMagazyny', MethodArgs: {} },
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'IsException',
					value: true,
					message: 'enova365 refused the call (check database, operator and password)',
				},
			},
		],
	};
}

/** What a dynamic WebAPI session token belongs to (nodes/shared/transport/sessionBinding.ts). */
function loginFields(credentials: ICredentialDataDecryptedObject): unknown[] {
	return [enovaBase(credentials.baseUrl), credentials.appToken];
}
