/**
 * Subiekt GT → Order (SQL) → Check through n8n-core against the TDS simulator (the real mssql/tedious driver, the
 * statements matched exactly): an order handed over as an EDI++ file gets no answer from Subiekt, so an unknown or
 * blocked client, an unknown (or deleted) product and a blocked product must be found before the file is written,
 * named in Polish and English with the reason texts every ERP's check uses.
 */
import type { IDataObject } from 'n8n-workflow';
import { SubiektGtSqlApi } from '../../credentials/SubiektGtSqlApi.credentials';
import { SubiektGt } from '../../nodes/SubiektGt/SubiektGt.node';
import { runNode } from '../harness/n8n-core-harness';
import { makeOrder } from '../fixtures/polish';
import { DEFAULT_DATABASE, DEFAULT_USER, SqlServerSimulator } from '../simulators/sql-server/server';

let sim: SqlServerSimulator;
beforeAll(async () => {
	sim = new SqlServerSimulator();
	await sim.start();
});
afterAll(async () => sim.stop());
beforeEach(() => (sim.statements.length = 0));

const line = (lineNo: number, productCode: string) => ({
	lineNo,
	productCode,
	quantity: '1',
	unitPrice: '10.00',
	vatRate: '23',
});
const run = (orders: object[], continueOnFail = false) =>
	runNode({
		nodeType: new SubiektGt(),
		parameters: { resource: 'orderStatus', operation: 'check', orderField: 'order' } as never,
		inputItems: orders.map((order) => ({ json: { order, źródło: 'portal' } as never })),
		continueOnFail,
		credentials: {
			subiektGtSqlApi: {
				type: new SubiektGtSqlApi(),
				data: {
					server: '127.0.0.1',
					instanceName: '',
					port: sim.port,
					database: DEFAULT_DATABASE,
					user: DEFAULT_USER.user,
					password: DEFAULT_USER.password,
					encrypt: false,
					trustServer: false,
					connectionTimeoutSeconds: 5,
					requestTimeoutSeconds: 10,
				},
			},
		},
	});
const checks = async (orders: object[]) => {
	const r = await run(orders);
	expect(r.error).toBeUndefined();
	return r.output![0].map((o) => o.json.orderCheck as IDataObject);
};

describe('Subiekt GT › Order (SQL) › Check', () => {
	it('a client and products Subiekt sells → accepted; the input item is kept', async () => {
		const r = await run([makeOrder(1, { clientCode: 'k-święty', lines: [line(1, 'ŁÓD-001'), line(2, 'żag-002')] })]);
		expect(r.output![0][0].json).toMatchObject({ źródło: 'portal', order: { number: 'B2B/2026/000001' } });
		expect(r.output![0][0].json.orderCheck).toEqual({
			accepted: true,
			client: { code: 'k-święty' },
			lines: [
				{ lineNo: 1, productCode: 'ŁÓD-001', ok: true },
				{ lineNo: 2, productCode: 'żag-002', ok: true },
			],
		});
		// one client query, one per line, with typed parameters — nothing else reaches SQL Server
		const sent = sim.statements
			.filter((s) => s.query)
			.map((s) => [s.query, ...s.params.map((p) => `${p.name} ${p.typeName} ${String(p.value)}`)]);
		expect(sent).toEqual([
			['orderClient', '@clientCode nvarchar k-święty'],
			['orderProduct', '@productCode nvarchar ŁÓD-001'],
			['orderProduct', '@productCode nvarchar żag-002'],
		]);
	});

	it('an unknown client and a blocked client refuse the whole order, naming the card; their lines are not read', async () => {
		const [unknown, blocked] = await checks([
			makeOrder(2, { clientCode: 'K-ŹDŹBŁO-404', lines: [line(1, 'ŁÓD-001')] }),
			makeOrder(3, { clientCode: 'K-ŻÓŁW', lines: [line(1, 'ŁÓD-001')] }),
		]);
		expect(unknown).toEqual({
			accepted: false,
			reason: 'Klient K-ŹDŹBŁO-404 nie istnieje w Subiekt GT',
			reasonEn: 'Client K-ŹDŹBŁO-404 does not exist in Subiekt GT',
			client: { code: 'K-ŹDŹBŁO-404', problem: 'missing' },
			lines: [],
		});
		expect(blocked).toMatchObject({
			accepted: false,
			reason: 'Klient K-ŻÓŁW jest zablokowany w Subiekt GT',
			reasonEn: 'Client K-ŻÓŁW is blocked (frozen) in Subiekt GT',
			client: { code: 'K-ŻÓŁW', problem: 'blocked' },
		});
		expect(sim.statements.filter((s) => s.query === 'orderProduct')).toEqual([]);
	});

	it('an unknown, a deleted and a blocked product are each named by line; the good line passes', async () => {
		const [c] = await checks([
			makeOrder(4, {
				clientCode: 'K-ŚWIĘTY',
				lines: [line(1, 'ŁÓD-001'), line(2, 'ŻÓŁW-999'), line(3, 'USU-004'), line(4, 'WIO-003')],
			}),
		]);
		expect(c).toEqual({
			accepted: false,
			reason:
				'Pozycja 2: produkt ŻÓŁW-999 nie istnieje w Subiekt GT; Pozycja 3: produkt USU-004 nie istnieje w Subiekt GT; Pozycja 4: produkt WIO-003 jest zablokowany w Subiekt GT',
			reasonEn:
				'Line 2: product ŻÓŁW-999 does not exist in Subiekt GT; Line 3: product USU-004 does not exist in Subiekt GT; Line 4: product WIO-003 is blocked (frozen) in Subiekt GT',
			client: { code: 'K-ŚWIĘTY' },
			lines: [
				{ lineNo: 1, productCode: 'ŁÓD-001', ok: true },
				expect.objectContaining({ lineNo: 2, ok: false, problem: 'missing' }),
				expect.objectContaining({ lineNo: 3, ok: false, problem: 'missing' }),
				expect.objectContaining({ lineNo: 4, ok: false, problem: 'blocked' }),
			],
		});
	});

	it('a database error names the order and the line; with Continue On Fail the other orders are still checked', async () => {
		// 229: permission denied (not a deadlock, which the SQL layer retries)
		sim.addFault({ kind: 'error', query: 'orderProduct', number: 229 });
		const r = await run(
			[
				makeOrder(5, { clientCode: 'K-ŚWIĘTY', lines: [line(1, 'ŁÓD-001')] }),
				makeOrder(6, { clientCode: 'K-ŚWIĘTY', lines: [line(1, 'ŁÓD-001')] }),
			],
			true,
		);
		const [failed, fine] = r.output![0].map((o) => o.json);
		expect(String(failed.error)).toContain('Checking line 1 (ŁÓD-001) of order B2B/2026/000005');
		expect(fine.orderCheck).toMatchObject({ accepted: true });
		expect(JSON.stringify(r.output)).not.toContain(DEFAULT_USER.password);
	});
});
