import { NodeApiError, VersionedNodeType } from 'n8n-workflow';
import type { INodeType, INodeTypeDescription, IPollFunctions, INodeTypeBaseDescription } from 'n8n-workflow';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runNode } from '../harness/n8n-core-harness';

let baseUrl = '';
const server = http.createServer((req, res) => { res.writeHead(req.url?.startsWith('/bad') ? 404 : 200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ url: req.url, key: req.headers['x-api-key'] ?? null })); });
beforeAll(async () => { await new Promise<void>((r) => server.listen(0, '127.0.0.1', r)); baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`; });
afterAll(async () => new Promise<void>((r) => server.close(() => r())));

const base: Omit<INodeTypeDescription, 'version'|'name'|'displayName'> = { group: ['transform'], description: 'x', defaults: { name: 'X' }, inputs: ['main'], outputs: ['main'], properties: [] };

test('versioned', async () => {
  const mk = (v: number): INodeType => ({ description: { ...base, displayName: 'V', name: 'vNode', version: v, properties: [{ displayName: 'p', name: 'p', type: 'string', default: '' }] }, async execute() { return [[{ json: { v, p: this.getNodeParameter('p', 0) } }]]; } });
  const baseDesc: INodeTypeBaseDescription = { displayName: 'V', name: 'vNode', group: ['transform'], description: 'x', defaultVersion: 2 };
  const vt = new VersionedNodeType({ 1: mk(1), 2: mk(2) }, baseDesc);
  const r0 = await runNode({ nodeType: vt, parameters: { p: '={{ 1+1 }}' } }); console.log(JSON.stringify(r0.output), r0.error, Object.keys(r0.runData));
  expect(r0.output?.[0][0].json).toEqual({ v: 2, p: 2 });
  expect((await runNode({ nodeType: vt, typeVersion: 1, parameters: { p: 'a' } })).output?.[0][0].json).toEqual({ v: 1, p: 'a' });
});

test('declarative', async () => {
  const decl: INodeType = { description: { ...base, displayName: 'D', name: 'dNode', version: 1,
    credentials: [{ name: 'k', required: true }],
    requestDefaults: { baseURL: '={{$credentials.url}}' },
    properties: [{ displayName: 'Path', name: 'path', type: 'string', default: '/ok', routing: { request: { method: 'GET', url: '={{$value}}' } } }] } };
  const creds = { k: { type: { name: 'k', displayName: 'K', properties: [{ displayName: 'u', name: 'url', type: 'string' as const, default: '' }, { displayName: 'key', name: 'key', type: 'string' as const, default: '' }], authenticate: { type: 'generic' as const, properties: { headers: { 'X-API-Key': '={{$credentials.key}}' } } } }, data: { url: baseUrl, key: 'dk' } } };
  const r = await runNode({ nodeType: decl, parameters: { path: '/ok' }, credentials: creds });
  console.log(JSON.stringify(r.output), r.error);
  expect(r.output?.[0][0].json).toEqual({ url: '/ok', key: 'dk' });
  const bad = await runNode({ nodeType: decl, parameters: { path: '/bad' }, credentials: creds });
  console.log(bad.error?.constructor?.name, bad.error instanceof NodeApiError, bad.error?.message, (bad.error as NodeApiError).httpCode, bad.error?.stack?.slice(0,200));
});

test('poll with static data', async () => {
  const poll: INodeType = { description: { ...base, displayName: 'P', name: 'pNode', version: 1, group: ['trigger'], inputs: [], polling: true },
    async poll(this: IPollFunctions) { const s = this.getWorkflowStaticData('node'); s.n = ((s.n as number) ?? 0) + 1; return [[{ json: { n: s.n, mode: this.getMode() } }]]; } };
  const r1 = await runNode({ nodeType: poll, parameters: {} });
  console.log(JSON.stringify(r1.output), r1.error, r1.staticData);
  const r2 = await runNode({ nodeType: poll, parameters: {}, staticData: r1.staticData });
  expect(r2.output?.[0][0].json.n).toBe(2);
});
