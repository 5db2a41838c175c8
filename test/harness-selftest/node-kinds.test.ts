// Harness coverage for node shapes other than a plain programmatic node:
// versioned nodes, declarative (routing) nodes and poll triggers.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeApiError, VersionedNodeType } from 'n8n-workflow';
import type { INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { runNode } from '../harness/n8n-core-harness';

let baseUrl = '';
const server = http.createServer((req, res) => {
	res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, { 'content-type': 'application/json' });
	res.end(JSON.stringify({ url: req.url, key: req.headers['x-api-key'] ?? null }));
});
beforeAll(async () => {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

const common = {
	group: ['transform'], description: 'test', defaults: { name: 'Under Test' },
	inputs: ['main'], outputs: ['main'],
} satisfies Partial<INodeTypeDescription>;

test('versioned node: default version and explicit typeVersion', async () => {
	const version = (v: number): INodeType => ({
		description: {
			...common, displayName: 'Versioned', name: 'versioned', version: v,
			properties: [{ displayName: 'P', name: 'p', type: 'string', default: '' }],
		},
		async execute() {
			return [[{ json: { v, p: this.getNodeParameter('p', 0) } }]];
		},
	});
	const nodeType = new VersionedNodeType(
		{ 1: version(1), 2: version(2) },
		{ displayName: 'Versioned', name: 'versioned', group: ['transform'], description: 'test', defaultVersion: 2 },
	);
	const latest = await runNode({ nodeType, parameters: { p: '={{ 1 + 1 }}' } });
	expect(latest.output?.[0][0].json).toEqual({ v: 2, p: 2 });
	const v1 = await runNode({ nodeType, typeVersion: 1, parameters: { p: 'a' } });
	expect(v1.output?.[0][0].json).toEqual({ v: 1, p: 'a' });
});

test('declarative node: requestDefaults + routing + generic credential; error class revived', async () => {
	const nodeType: INodeType = {
		description: {
			...common, displayName: 'Declarative', name: 'declarative', version: 1,
			credentials: [{ name: 'declApi', required: true }],
			requestDefaults: { baseURL: '={{$credentials.url}}' },
			properties: [{
				displayName: 'Path', name: 'path', type: 'string', default: '/ok',
				routing: { request: { method: 'GET', url: '={{$value}}' } },
			}],
		},
	};
	const credentials = {
		declApi: {
			type: {
				name: 'declApi', displayName: 'Decl API',
				properties: [
					{ displayName: 'URL', name: 'url', type: 'string' as const, default: '' },
					{ displayName: 'Key', name: 'key', type: 'string' as const, default: '' },
				],
				authenticate: { type: 'generic' as const, properties: { headers: { 'X-API-Key': '={{$credentials.key}}' } } },
			},
			data: { url: baseUrl, key: 'decl-key' },
		},
	};
	const ok = await runNode({ nodeType, parameters: { path: '/ok' }, credentials });
	expect(ok.output).toEqual([[{ json: { url: '/ok', key: 'decl-key' }, pairedItem: { item: 0 } }]]);

	const missing = await runNode({ nodeType, parameters: { path: '/missing' }, credentials });
	expect(missing.error).toBeInstanceOf(NodeApiError);
	expect((missing.error as NodeApiError).httpCode).toBe('404');
});

test('poll trigger (manual mode): static data persists across runs', async () => {
	const nodeType: INodeType = {
		description: {
			...common, displayName: 'Poller', name: 'poller', version: 1, group: ['trigger'],
			inputs: [], polling: true, properties: [],
		},
		async poll(this: IPollFunctions) {
			const state = this.getWorkflowStaticData('node');
			state.polls = ((state.polls as number | undefined) ?? 0) + 1;
			return [[{ json: { polls: state.polls } }]];
		},
	};
	const first = await runNode({ nodeType, parameters: {} });
	expect(first.output?.[0][0].json).toEqual({ polls: 1 });
	const second = await runNode({ nodeType, parameters: {}, staticData: first.staticData });
	expect(second.output?.[0][0].json).toEqual({ polls: 2 });
	expect(second.staticData).toEqual({ 'node:Under Test': { polls: 2 } });
});
