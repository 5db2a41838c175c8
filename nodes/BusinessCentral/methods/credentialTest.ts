/**
 * The connection tests of the two credentials (the node's `testedBy`): they do what a run does first — get a token
 * (SaaS), read the companies, find the credential's Company — and say which step failed. An unknown company is named
 * with the companies found. No message carries the client secret or the access key (n8n redacts them too).
 */
import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	IDataObject,
	IHttpRequestOptions,
	INodeCredentialTestResult,
} from 'n8n-workflow';
import { extractErrorBody } from '../../shared/transport/errors';
import { requestToken, withoutSecret } from '../transport/auth';
import {
	BC_ONPREM_CREDENTIAL,
	BC_SAAS_CREDENTIAL,
	endpointsOf,
	findCompany,
	unknownCompanyMessage,
	whereOf,
	type BcCredentialType,
	type Company,
} from '../transport';

interface Answer {
	statusCode: number;
	body: unknown;
}

/** n8n's legacy request helper (the only one a credential test gets) as a request → {statusCode, body}. */
function sender(ctx: ICredentialTestFunctions) {
	return async (options: IHttpRequestOptions): Promise<Answer> => {
		const headers = (options.headers ?? {}) as IDataObject;
		const response = (await ctx.helpers.request({
			method: options.method ?? 'GET',
			uri: options.url,
			body: options.body,
			headers,
			json: typeof options.body !== 'string',
			simple: false,
			resolveWithFullResponse: true,
			followRedirect: false,
			followAllRedirects: false,
			timeout: 30_000,
			rejectUnauthorized: options.skipSslCertificateValidation !== true,
		})) as { statusCode: number; body: unknown };
		return { statusCode: response.statusCode, body: response.body };
	};
}

async function test(
	ctx: ICredentialTestFunctions,
	type: BcCredentialType,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const secret = type === BC_SAAS_CREDENTIAL ? data.clientSecret : data.accessKey;
	try {
		const ep = endpointsOf(type, data);
		const send = sender(ctx);
		let authorization: string;
		if (type === BC_SAAS_CREDENTIAL) {
			authorization = `Bearer ${await requestToken(send, data)}`;
		} else {
			const pair = `${String(data.username ?? '').trim()}:${String(data.accessKey ?? '')}`;
			authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
		}
		const answer = await send({
			method: 'GET',
			url: `${ep.api}/companies`,
			headers: { Authorization: authorization, Accept: 'application/json' },
			skipSslCertificateValidation: data.ignoreSslIssues === true,
		});
		if (answer.statusCode !== 200) {
			const e = extractErrorBody(answer.body);
			const hint =
				answer.statusCode === 401
					? type === BC_SAAS_CREDENTIAL
						? ' — the token was refused: is the Entra app registered in Business Central ("Microsoft Entra Applications", state Enabled, permission API.ReadWrite.All)?'
						: ' — check User and Web Service Access Key'
					: answer.statusCode === 404
						? ` — check ${type === BC_SAAS_CREDENTIAL ? 'Environment and Tenant ID' : 'Base URL (the API must be enabled on the server instance)'}`
						: '';
			return {
				status: 'Error',
				message: withoutSecret(
					`Reading the companies ${whereOf(ep)} failed (HTTP ${answer.statusCode}${e?.code ? `, ${e.code}` : ''}): ${e?.message ?? 'no message'}${hint}`,
					secret,
				),
			};
		}
		const rows = ((answer.body as { value?: IDataObject[] } | undefined)?.value ?? []) as IDataObject[];
		const companies: Company[] = rows.map((c) => ({
			id: String(c.id),
			name: String(c.name ?? ''),
			displayName: String(c.displayName ?? ''),
		}));
		const wanted = String(data.company ?? '').trim();
		if (!wanted) return { status: 'Error', message: 'Company is empty: fill it in the credential' };
		const company = findCompany(companies, wanted);
		if (!company) return { status: 'Error', message: unknownCompanyMessage(wanted, companies, whereOf(ep)) };
		return { status: 'OK', message: `Connected: company "${company.name}" (${company.id})` };
	} catch (error) {
		return { status: 'Error', message: withoutSecret((error as Error).message, secret) };
	}
}

export async function businessCentralConnectionTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	return await test(this, BC_SAAS_CREDENTIAL, credential);
}

export async function businessCentralOnPremConnectionTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	return await test(this, BC_ONPREM_CREDENTIAL, credential);
}
