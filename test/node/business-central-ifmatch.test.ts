/**
 * sendWithIfMatch (nodes/BusinessCentral/transport): a write with If-Match that, on BC's 409 Request_EntityChanged
 * (research §1: a stale ETag is 409, not 412), re-reads the record and tries ONCE more. Against a small stand-in for
 * one BC record (the simulator's entity routes are read-only; its sales routes come with the orders work), through
 * n8n-core with the on-premises credential.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { BusinessCentralOnPremApi } from '../../credentials/BusinessCentralOnPremApi.credentials';
import { bcRequest, etagOf, sendWithIfMatch } from '../../nodes/BusinessCentral/transport';
import { runNode } from '../harness/n8n-core-harness';

const RECORD =
	'/BC/api/v2.0/companies(11111111-2222-3333-4444-555555555555)/salesOrders(aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee)';

/** the record: its ETag changes on every write, and `changeOnRead` lets "someone else" change it right after every read */
function standIn(changeOnRead: boolean) {
	let version = 1;
	const calls: string[] = [];
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c: Buffer) => (body += c.toString()));
		req.on('end', () => {
			const etag = `W/"JzE${version};"`;
			calls.push(`${req.method} ${String(req.headers['if-match'] ?? '')}`);
			res.setHeader('content-type', 'application/json');
			const send = (status: number, json: unknown) => {
				res.statusCode = status;
				res.end(JSON.stringify(json));
			};
			if (req.url !== RECORD) return send(404, { error: { code: 'BadRequest_NotFound', message: 'no' } });
			if (req.method === 'GET') {
				send(200, { '@odata.etag': etag, status: 'Draft' });
				// someone else changes the record right after this read
				if (changeOnRead) version++;
				return;
			}
			const ifMatch = req.headers['if-match'];
			if (!ifMatch)
				return send(400, {
					error: {
						code: 'BadRequest_InvalidToken',
						message: 'Could not validate the client concurrency token required by the service. CorrelationId: 5e3b.',
					},
				});
			if (ifMatch !== '*' && ifMatch !== etag)
				return send(409, {
					error: {
						code: 'Request_EntityChanged',
						message: 'Another user has already changed the record. CorrelationId: 7f1c2d.',
					},
				});
			version++;
			return send(200, { '@odata.etag': `W/"JzE${version};"`, ...(JSON.parse(body || '{}') as IDataObject) });
		});
	});
	return { server, calls, bump: () => version++ };
}

const probe: INodeType = {
	description: {
		displayName: 'BC If-Match Probe',
		name: 'bcIfMatchProbe',
		group: ['transform'],
		version: 1,
		description: 'One PATCH with If-Match',
		defaults: { name: 'BC If-Match Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'businessCentralOnPremApi', required: true }],
		properties: [
			{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'businessCentralOnPremApi' },
		],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const { etag } = this.getInputData()[0].json as { etag: string };
		let rereads = 0;
		const { body } = await sendWithIfMatch<IDataObject>(
			this,
			{
				method: 'PATCH',
				url: RECORD.replace('/BC/api/v2.0', ''),
				body: { externalDocumentNumber: 'ZAM/2026/0042' },
				etag,
				action: 'Updating order ZAM/2026/0042',
				policy: { maxRetries: 0 },
			},
			async () => {
				rereads++;
				const { body: current } = await bcRequest<IDataObject>(this, {
					method: 'GET',
					url: RECORD.replace('/BC/api/v2.0', ''),
				});
				return etagOf(current) ?? '';
			},
		);
		return [[{ json: { ...body, rereads } }]];
	},
};

async function run(base: string, etag: string) {
	return await runNode({
		nodeType: probe,
		parameters: {},
		inputItems: [{ json: { etag } }],
		credentials: {
			businessCentralOnPremApi: {
				type: new BusinessCentralOnPremApi(),
				data: { baseUrl: base, username: 'ADMIN', accessKey: 'klucz-123456', company: 'Firma' } as never,
			},
		},
	});
}

describe('Business Central › sendWithIfMatch', () => {
	test('a stale ETag (409 Request_EntityChanged) is re-read and the write sent once more', async () => {
		const s = standIn(false);
		await new Promise<void>((r) => s.server.listen(0, '127.0.0.1', r));
		try {
			const base = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}/BC`;
			s.bump(); // someone changed the order since it was read with W/"JzE1;"
			const r = await run(base, 'W/"JzE1;"');
			expect(r.error).toBeUndefined();
			expect(r.output?.[0][0].json).toMatchObject({ externalDocumentNumber: 'ZAM/2026/0042', rereads: 1 });
			expect(s.calls).toEqual(['PATCH W/"JzE1;"', 'GET ', 'PATCH W/"JzE2;"']);
		} finally {
			s.server.close();
		}
	});

	test("a record that changes again fails with BC's code and CorrelationId after one retry, no loop", async () => {
		const s = standIn(true);
		await new Promise<void>((r) => s.server.listen(0, '127.0.0.1', r));
		try {
			const base = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}/BC`;
			s.bump();
			const r = await run(base, 'W/"JzE1;"');
			expect(r.error?.message).toMatch(
				/^Updating order ZAM\/2026\/0042 failed: HTTP 409 Request_EntityChanged – Another user .*CorrelationId: 7f1c2d/,
			);
			expect(s.calls.filter((c) => c.startsWith('PATCH'))).toHaveLength(2);
		} finally {
			s.server.close();
		}
	});

	test('other refusals are not retried', async () => {
		const s = standIn(false);
		await new Promise<void>((r) => s.server.listen(0, '127.0.0.1', r));
		try {
			const base = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}/BC`;
			const r = await run(base, '');
			expect(r.error?.message).toMatch(/HTTP 400 BadRequest_InvalidToken/);
			expect(s.calls).toEqual(['PATCH ']);
		} finally {
			s.server.close();
		}
	});
});
