import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { runNode, type HarnessCredentialType } from '../harness/n8n-core-harness';

// ---------------------------------------------------------------- test server (real HTTP)
interface SeenRequest { method: string; url: string; headers: http.IncomingHttpHeaders }
const seen: SeenRequest[] = [];
let baseUrl = '';
let tokenCalls = 0;
const server = http.createServer((req, res) => {
	seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
	const path = new URL(req.url ?? '/', 'http://x').pathname;
	const send = (status: number, body: unknown) => {
		res.writeHead(status, { 'content-type': 'application/json' });
		res.end(JSON.stringify(body));
	};
	if (path === '/token') return send(200, { token: `fresh-${++tokenCalls}` });
	if (path === '/fail') return send(500, { message: 'boom from server' });
	if (path === '/session' && !String(req.headers.authorization).startsWith('Bearer fresh-')) {
		return send(401, { message: 'token expired' });
	}
	send(200, { ok: true, url: req.url });
});
beforeAll(async () => {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
	seen.length = 0;
});

// ---------------------------------------------------------------- test credential types
const genericCred: ICredentialType = {
	name: 'testApi',
	displayName: 'Test API',
	properties: [
		{ displayName: 'API Key', name: 'apiKey', type: 'string', typeOptions: { password: true }, default: '' },
		{ displayName: 'Tenant', name: 'tenant', type: 'string', default: 'default-tenant' },
	],
	authenticate: {
		type: 'generic',
		properties: {
			headers: { 'X-API-Key': '={{$credentials.apiKey}}' },
			qs: { tenant: '={{$credentials.tenant}}' },
		},
	},
};
const functionCred: ICredentialType = {
	name: 'testFnApi',
	displayName: 'Test Fn API',
	properties: [{ displayName: 'Token', name: 'token', type: 'string', default: '' }],
	authenticate: async (credentials, requestOptions: IHttpRequestOptions) => ({
		...requestOptions,
		headers: { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.token)}` },
	}),
};
const sessionCred: ICredentialType = {
	name: 'testSessionApi',
	displayName: 'Test Session API',
	properties: [
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{ displayName: 'Session Token', name: 'sessionToken', type: 'hidden', typeOptions: { expirable: true }, default: '' },
	],
	async preAuthentication(this, credentials) {
		const res = (await this.helpers.httpRequest({ method: 'POST', url: `${String(credentials.baseUrl)}/token` })) as { token: string };
		return { sessionToken: res.token };
	},
	authenticate: { type: 'generic', properties: { headers: { Authorization: '=Bearer {{$credentials.sessionToken}}' } } },
};

// ---------------------------------------------------------------- tiny test-only node type
class HarnessTestNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Test',
		name: 'harnessTest',
		group: ['transform'],
		version: 1,
		description: 'Test-only node for the harness self-test',
		defaults: { name: 'Harness Test' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [
			{ name: 'testApi', required: false },
			{ name: 'testFnApi', required: false },
			{ name: 'testSessionApi', required: false },
		],
		properties: [
			{ displayName: 'Operation', name: 'operation', type: 'string', default: 'request' },
			{ displayName: 'Credential Type', name: 'credentialType', type: 'string', default: 'testApi' },
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const operation = this.getNodeParameter('operation', 0) as string;
		if (operation === 'staticData') {
			const state = this.getWorkflowStaticData('node');
			state.runs = ((state.runs as number | undefined) ?? 0) + 1;
			state.cursor = items[items.length - 1].json.cursor;
			return [[{ json: { runs: state.runs, instanceId: this.getInstanceId() } }]];
		}
		if (operation === 'throwUnhandled') {
			throw new NodeOperationError(this.getNode(), 'Unhandled failure', { itemIndex: 0 });
		}
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				if (operation === 'request') {
					const credentialType = this.getNodeParameter('credentialType', i) as string;
					const url = this.getNodeParameter('url', i) as string;
					const body = (await this.helpers.httpRequestWithAuthentication.call(this, credentialType, { method: 'GET', url, json: true })) as IDataObject;
					out.push({ json: body, pairedItem: { item: i } });
				} else if (operation === 'throw') {
					if (items[i].json.bad) throw new NodeOperationError(this.getNode(), `Bad item ${i}`, { itemIndex: i });
					out.push({ json: { fine: i }, pairedItem: { item: i } });
				} else if (operation === 'writeBinary') {
					const binary = await this.helpers.prepareBinaryData(Buffer.from(String(items[i].json.text)), 'hello.txt', 'text/plain');
					out.push({ json: {}, binary: { data: binary }, pairedItem: { item: i } });
				} else if (operation === 'readBinary') {
					const buffer = await this.helpers.getBinaryDataBuffer(i, 'data');
					out.push({ json: { text: buffer.toString('utf8') }, pairedItem: { item: i } });
				}
			} catch (error) {
				if (this.continueOnFail()) {
					out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				throw error;
			}
		}
		return [out];
	}
}
const nodeType = new HarnessTestNode();

const cred = (type: ICredentialType, data: ICredentialDataDecryptedObject): Record<string, HarnessCredentialType> => ({
	[type.name]: { type, data },
});

// ---------------------------------------------------------------- tests
describe('n8n-core harness', () => {
	test('(a) generic authenticate: header + qs from $credentials, expressions, pairedItem', async () => {
		const result = await runNode({
			nodeType,
			parameters: { operation: 'request', credentialType: 'testApi', url: '={{ $json.base }}/items/{{ $json.id * 2 }}' },
			inputItems: [{ json: { base: baseUrl, id: 21 } }],
			credentials: cred(genericCred, { apiKey: 'secret-123' }),
		});
		expect(result.error).toBeUndefined();
		expect(seen).toHaveLength(1);
		expect(seen[0].headers['x-api-key']).toBe('secret-123');
		expect(seen[0].url).toBe('/items/42?tenant=default-tenant'); // credential default applied
		expect(result.output).toEqual([[{ json: { ok: true, url: '/items/42?tenant=default-tenant' }, pairedItem: { item: 0 } }]]);
		expect(result.runData['Harness Test'][0].executionStatus).toBe('success');
		expect(result.runData.Start).toBeDefined();
	});

	test('(b) function-form authenticate', async () => {
		const result = await runNode({
			nodeType,
			parameters: { operation: 'request', credentialType: 'testFnApi', url: `${baseUrl}/fn` },
			credentials: cred(functionCred, { token: 'tok-fn' }),
		});
		expect(result.error).toBeUndefined();
		expect(seen[0].headers.authorization).toBe('Bearer tok-fn');
		expect(result.output?.[0][0].json).toEqual({ ok: true, url: '/fn' });
	});

	test('(c) NodeOperationError with itemIndex is returned, class kept', async () => {
		const result = await runNode({
			nodeType,
			parameters: { operation: 'throw' },
			inputItems: [{ json: {} }, { json: { bad: true } }],
		});
		expect(result.output).toBeNull();
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(result.error?.message).toBe('Bad item 1');
		expect((result.error as NodeOperationError).context.itemIndex).toBe(1);
		expect(result.runData['Harness Test'][0].executionStatus).toBe('error');
	});

	test('(c2) HTTP 500 surfaces as NodeApiError', async () => {
		const result = await runNode({
			nodeType,
			parameters: { operation: 'request', credentialType: 'testApi', url: `${baseUrl}/fail` },
			credentials: cred(genericCred, { apiKey: 'k' }),
		});
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect((result.error as NodeApiError).httpCode).toBe('500');
		expect(result.error?.message).toBe('The service was not able to process your request');
		expect((result.error as NodeApiError).description).toContain('boom from server');
	});

	test('(d) continueOnFail: node-handled error item; engine-handled passes input through', async () => {
		const handled = await runNode({
			nodeType,
			parameters: { operation: 'throw' },
			inputItems: [{ json: {} }, { json: { bad: true } }],
			continueOnFail: true,
		});
		expect(handled.error).toBeUndefined();
		expect(handled.output).toEqual([[
			{ json: { fine: 0 }, pairedItem: { item: 0 } },
			{ json: { error: 'Bad item 1' }, pairedItem: { item: 1 } },
		]]);

		// Node throws although continueOnFail is set: n8n 2.41 forwards the input items
		// unchanged and still records the error on the task.
		const unhandled = await runNode({
			nodeType,
			parameters: { operation: 'throwUnhandled' },
			inputItems: [{ json: { keep: 1 } }],
			continueOnFail: true,
		});
		expect(unhandled.output?.[0].map((item) => item.json)).toEqual([{ keep: 1 }]);
		expect(unhandled.error).toBeInstanceOf(NodeOperationError);
		expect(unhandled.error?.message).toBe('Unhandled failure');
	});

	test('(e) prepareBinaryData (in-memory) and getBinaryDataBuffer round-trip', async () => {
		const written = await runNode({ nodeType, parameters: { operation: 'writeBinary' }, inputItems: [{ json: { text: 'hello' } }] });
		expect(written.error).toBeUndefined();
		const binary = written.output?.[0][0].binary?.data;
		expect(binary).toMatchObject({ data: Buffer.from('hello').toString('base64'), mimeType: 'text/plain', fileName: 'hello.txt' });

		const read = await runNode({ nodeType, parameters: { operation: 'readBinary' }, inputItems: written.output![0] });
		expect(read.output?.[0][0].json).toEqual({ text: 'hello' });
	});

	test('(f) workflow static data round-trips between runs', async () => {
		const first = await runNode({ nodeType, parameters: { operation: 'staticData' }, inputItems: [{ json: { cursor: 'c1' } }] });
		expect(first.staticData).toEqual({ 'node:Harness Test': { runs: 1, cursor: 'c1' } });
		const second = await runNode({
			nodeType,
			parameters: { operation: 'staticData' },
			inputItems: [{ json: { cursor: 'c2' } }],
			staticData: first.staticData,
		});
		expect(second.output?.[0][0].json).toEqual({ runs: 2, instanceId: 'harness-instance' }); // DI stub in use
		expect(second.staticData).toEqual({ 'node:Harness Test': { runs: 2, cursor: 'c2' } });
		expect(first.staticData).toEqual({ 'node:Harness Test': { runs: 1, cursor: 'c1' } }); // input not mutated
	});

	test('(g) preAuthentication with expirable property, incl. refresh on 401', async () => {
		tokenCalls = 0;
		const credentials = cred(sessionCred, { baseUrl, sessionToken: '' });
		const params = { operation: 'request', credentialType: 'testSessionApi', url: `${baseUrl}/session` };

		const first = await runNode({ nodeType, parameters: params, credentials });
		expect(first.error).toBeUndefined();
		expect(seen.map((r) => r.url)).toEqual(['/token', '/session']);
		expect(seen[1].headers.authorization).toBe('Bearer fresh-1');
		expect(credentials.testSessionApi.data.sessionToken).toBe('fresh-1'); // persisted

		seen.length = 0;
		credentials.testSessionApi.data.sessionToken = 'stale';
		const second = await runNode({ nodeType, parameters: params, credentials });
		expect(second.error).toBeUndefined();
		expect(seen.map((r) => r.url)).toEqual(['/session', '/token', '/session']);
		expect(seen[2].headers.authorization).toBe('Bearer fresh-2');
	});
});
