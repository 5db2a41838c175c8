/**
 * n8n's public REST API from inside a workflow, through n8n's own built-in "n8n API" credential (type `n8nApi`,
 * n8n-nodes-base: API Key + Base URL such as http://localhost:5678/api/v1, header X-N8N-API-KEY). It is the same
 * `N8nApi` the set-up command gets from cli/n8n-api.ts, so Set-up → Check runs the command's own check
 * (cli/check/check.ts runCheck) and never a second copy of it.
 *
 * The key stays in n8n: the request goes through httpRequestWithAuthentication, which adds the header. Two rules
 * the command keeps too: no error names the key (every text that leaves here has it replaced), and no redirect takes
 * the key to another host — n8n's HTTP helper follows redirects and, by default, sends the credential along to any
 * origin, so redirects are followed here by hand, only to the same host.
 */
import { NodeOperationError, type INode, type IExecuteFunctions } from 'n8n-workflow';
import {
	errorText,
	N8N_API_CREDENTIAL_TYPE as N8N_API_CREDENTIAL,
	pagedList,
	type N8nApi,
} from '../../../../cli/n8n-api';
const API_PATH = '/api/v1';
const MAX_REDIRECTS = 3;

/**
 * A NodeOperationError that keeps this message: n8n swaps a message that mentions ECONNREFUSED, ETIMEDOUT, … for a
 * generic "The service refused the connection", and the check's texts can (a database that refused the connection).
 */
export function checkError(
	node: INode,
	message: string,
	options: ConstructorParameters<typeof NodeOperationError>[2] = {},
): NodeOperationError {
	const error = new NodeOperationError(node, message, options);
	error.message = message;
	return error;
}

export async function n8nApiFromCredential(ctx: IExecuteFunctions): Promise<N8nApi> {
	const node = ctx.getNode();
	const credentialName = node.credentials?.[N8N_API_CREDENTIAL]?.name ?? N8N_API_CREDENTIAL;
	const data = await ctx.getCredentials<{ apiKey?: string; baseUrl?: string }>(N8N_API_CREDENTIAL);
	const apiKey = String(data.apiKey ?? '');
	const apiUrl = String(data.baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
	const fix = `set it to n8n's address followed by ${API_PATH}, e.g. http://localhost:5678${API_PATH} (Ustaw Base URL na adres n8n z ${API_PATH} na końcu.)`;
	let parsed: URL;
	try {
		parsed = new URL(apiUrl);
	} catch {
		throw new NodeOperationError(node, `The Base URL "${apiUrl}" of the credential "${credentialName}" is not a URL`, {
			description: fix,
		});
	}
	if (!apiUrl.endsWith(API_PATH) || !/^https?:$/.test(parsed.protocol))
		throw new NodeOperationError(
			node,
			`The Base URL "${apiUrl}" of the credential "${credentialName}" is not n8n's public API (it ends in ${API_PATH})`,
			{ description: fix },
		);
	// n8n's own address (with any path prefix): the probe calls its production webhooks there
	const baseUrl = apiUrl.slice(0, -API_PATH.length);
	const hide = (text: string) => (apiKey ? text.split(apiKey).join('[API key]') : text);

	const call: N8nApi['call'] = async (method, apiPath, body) => {
		let url = `${apiUrl}${apiPath}`;
		for (let hop = 0; ; hop++) {
			let res: { body: unknown; headers: Record<string, unknown>; statusCode: number };
			try {
				res = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, N8N_API_CREDENTIAL, {
					method: method as 'GET',
					url,
					headers: {
						accept: 'application/json',
						...(body === undefined ? {} : { 'content-type': 'application/json' }),
					},
					// a string, so that `{}` is sent as `{}` (the helper drops an empty object)
					body: body === undefined ? undefined : JSON.stringify(body),
					json: false,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					disableFollowRedirect: true,
					timeout: 60_000,
				})) as typeof res;
			} catch (error) {
				const e = error as { code?: string; cause?: { code?: string }; message?: string };
				const code = e.cause?.code ?? e.code;
				const why =
					code === 'ECONNREFUSED'
						? 'connection refused (is this the address n8n listens on?)'
						: code === 'ENOTFOUND'
							? 'host not found'
							: code === 'ECONNABORTED' || code === 'ETIMEDOUT'
								? 'no answer within 60 s'
								: (code ?? String(e.message ?? error));
				throw checkError(node, hide(`Cannot reach n8n at ${baseUrl} (credential "${credentialName}"): ${why}`));
			}
			const location = header(res.headers, 'location');
			if (res.statusCode >= 300 && res.statusCode < 400 && location) {
				const next = new URL(location, url);
				if (next.host !== parsed.host || hop >= MAX_REDIRECTS)
					throw new NodeOperationError(
						node,
						hide(
							`n8n at ${baseUrl} answered ${method} ${API_PATH}${apiPath.split('?')[0]} with a redirect to ${next.origin}: not followed, the API key would go ${next.host !== parsed.host ? 'to another host' : 'round in circles'}`,
						),
						{
							description: `Set the Base URL of the credential "${credentialName}" to the address n8n answers on itself. (Ustaw w danych logowania "${credentialName}" adres, pod którym odpowiada samo n8n.)`,
						},
					);
				url = next.href;
				continue;
			}
			const raw = res.body;
			const text = hide(
				Buffer.isBuffer(raw) ? raw.toString('utf8') : typeof raw === 'string' ? raw : JSON.stringify(raw ?? ''),
			);
			let parsedBody: unknown = text;
			try {
				parsedBody = text ? JSON.parse(text) : undefined;
			} catch {
				/* not JSON: keep the text */
			}
			if (res.statusCode === 401)
				throw new NodeOperationError(
					node,
					`n8n at ${baseUrl} refused the API key of the credential "${credentialName}" (401): ${errorText(parsedBody, text)}`,
					{
						description:
							'Create a key in n8n under Settings → n8n API and put it in the credential. (Utwórz klucz w n8n: Settings → n8n API, i wpisz go w dane logowania.)',
					},
				);
			return { status: res.statusCode, body: parsedBody as never, text };
		}
	};
	return { baseUrl, call, list: pagedList(call) };
}

function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
	for (const [k, v] of Object.entries(headers ?? {}))
		if (k.toLowerCase() === name) return Array.isArray(v) ? String(v[0]) : v === undefined ? undefined : String(v);
	return undefined;
}
