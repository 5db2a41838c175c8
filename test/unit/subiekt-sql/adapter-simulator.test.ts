/**
 * The adapter (nodes/shared/sql/transport.ts) through the REAL mssql/tedious driver against the TDS simulator
 * (test/simulators/sql-server): Encrypt on refuses a server that will not encrypt — before the login is sent —,
 * pooled connections are not validated with `SELECT 1;`, and a lost connection or a deadlock victim is retried
 * while other errors are not. What the simulator records (logins, statements) is what went over the wire.
 */
import type { INode } from 'n8n-workflow';
import { Connection } from 'tedious';
import { openSqlSource, settingsFromCredential, type SqlSourceOptions } from '../../../nodes/shared/sql/transport';
import { SUBIEKT_QUERIES, SUBIEKT_SQL } from '../../../nodes/SubiektGt/sql/queries';
import { DEFAULT_DATABASE, DEFAULT_USER, SqlServerSimulator } from '../../simulators/sql-server/server';

const node: INode = { id: '1', name: 'Subiekt GT', type: 'x', typeVersion: 1, position: [0, 0], parameters: {} };
const quick: SqlSourceOptions = { retry: { baseDelayMs: 20, maxDelayMs: 50 } };

const settings = (port: number, over: Record<string, unknown> = {}) =>
	settingsFromCredential({
		server: '127.0.0.1',
		port,
		database: DEFAULT_DATABASE,
		user: DEFAULT_USER.user,
		password: DEFAULT_USER.password,
		encrypt: false,
		connectionTimeoutSeconds: 5,
		requestTimeoutSeconds: 10,
		...over,
	});

async function failure(promise: Promise<unknown>): Promise<Error & { description?: string }> {
	try {
		await promise;
	} catch (error) {
		return error as Error & { description?: string };
	}
	throw new Error('expected a failure');
}

describe('Encrypt on = TLS or no connection', () => {
	const unencrypted = `Connecting: SQL Server for database "${DEFAULT_DATABASE}" on 127.0.0.1:PORT as "${DEFAULT_USER.user}" did not agree to encrypt the connection; the login was refused`;

	it('tedious still has the step the guard wraps (pins the guard to the installed tedious)', () => {
		expect(typeof (Connection.prototype as unknown as Record<string, unknown>).performTlsNegotiation).toBe('function');
	});

	it('a server answering "encryption not supported" and carrying on: refused before the login is sent', async () => {
		const sim = new SqlServerSimulator({ onEncryptionRequest: 'continue' });
		await sim.start();
		try {
			const e = await failure(openSqlSource(node, settings(sim.port, { encrypt: true }), SUBIEKT_SQL, quick));
			expect(e.message).toBe(unencrypted.replace('PORT', String(sim.port)));
			expect(e.description).toMatch(/"Encrypt Connection" is on/);
			expect(JSON.stringify({ m: e.message, d: e.description })).not.toContain(DEFAULT_USER.password);
			// the simulator never received a LOGIN7: neither user nor password left n8n
			expect(sim.logins).toEqual([]);
			expect(sim.statements).toEqual([]);
		} finally {
			await sim.stop();
		}
	});

	it('backstop (without the before-login step): the login went, but no statement is sent over the clear connection', async () => {
		const sim = new SqlServerSimulator({ onEncryptionRequest: 'continue' });
		await sim.start();
		try {
			const e = await failure(
				openSqlSource(node, settings(sim.port, { encrypt: true }), SUBIEKT_SQL, {
					...quick,
					encryptionCheckBeforeLogin: false,
				}),
			);
			expect(e.message).toBe(unencrypted.replace('PORT', String(sim.port)));
			expect(sim.logins).toEqual([expect.objectContaining({ accepted: true })]);
			// only tedious's own SET batch, part of its login sequence; no statement of the node
			expect(sim.statements.map((x) => [x.via, x.statement.slice(0, 4)])).toEqual([['batch', 'set ']]);
		} finally {
			await sim.stop();
		}
	});

	it('without the guard the same driver logs in unencrypted (what the guard is for)', async () => {
		// the simulator's own finding, repeated here so the guard test fails if tedious ever stops doing it
		const sim = new SqlServerSimulator({ onEncryptionRequest: 'continue' });
		await sim.start();
		try {
			const conn = new Connection({
				server: '127.0.0.1',
				authentication: { type: 'default', options: { userName: DEFAULT_USER.user, password: DEFAULT_USER.password } },
				options: { port: sim.port, database: DEFAULT_DATABASE, encrypt: true, connectTimeout: 5000 },
			});
			await new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve())));
			conn.close();
			expect(sim.logins).toEqual([expect.objectContaining({ accepted: true })]);
		} finally {
			await sim.stop();
		}
	});

	it('a server that closes after "not supported" (as MS-TDS says): the same refusal, nothing sent', async () => {
		const sim = new SqlServerSimulator();
		await sim.start();
		try {
			const e = await failure(openSqlSource(node, settings(sim.port, { encrypt: true }), SUBIEKT_SQL, quick));
			expect(e.message).toBe(unencrypted.replace('PORT', String(sim.port)));
			expect(sim.logins).toEqual([]);
		} finally {
			await sim.stop();
		}
	});
});

describe('pool validation and retries through the driver', () => {
	let sim: SqlServerSimulator;
	beforeEach(async () => {
		sim = new SqlServerSimulator();
		await sim.start();
	});
	afterEach(async () => sim.stop());

	const sqlTexts = new Set(Object.values(SUBIEKT_QUERIES).map((q) => q.sql));
	/** what the node sent (sp_executesql), without tedious's SET batch after each login */
	const sent = () => sim.statements.filter((x) => x.via === 'rpc');

	it('several statements on the pooled connection: no `SELECT 1;` validation round trips, one connection', async () => {
		const source = await openSqlSource(node, settings(sim.port), SUBIEKT_SQL, quick);
		try {
			for (let i = 0; i < 4; i++)
				await source.query('stock', { pageSize: 1000, afterProductId: 0, afterWarehouseId: 0, warehouseCode: null });
			await source.query('products', { pageSize: 2, afterId: 0 });
		} finally {
			await source.close();
		}
		expect(sent().map((s) => s.query)).toEqual(['stock', 'stock', 'stock', 'stock', 'products']);
		// mssql's pool.connect() opens a test connection and closes it; the statements then share one more
		expect(sim.statements.filter((s) => s.via === 'batch')).toHaveLength(2);
		expect(sent().every((s) => sqlTexts.has(s.statement.replace(/\r\n/g, '\n')))).toBe(true);
		expect(sim.logins).toHaveLength(2);
		for (const login of sim.logins) expect(login).toMatchObject({ readOnlyIntent: true, appName: 'n8n-nodes-erp-b2b' });
	});

	it('a connection dropped in the middle of the rows: a new login, the page again, whole', async () => {
		const source = await openSqlSource(node, settings(sim.port), SUBIEKT_SQL, quick);
		try {
			sim.addFault({ kind: 'drop', query: 'products', afterRows: 1 });
			const rows = await source.query('products', { pageSize: 10, afterId: 0 });
			expect(rows.map((r) => r.tw_Id)).toEqual([101, 102, 105]);
		} finally {
			await source.close();
		}
		expect(sent().map((s) => s.query)).toEqual(['products', 'products']);
		expect(sim.logins.filter((l) => l.accepted)).toHaveLength(3); // test connection, first, replacement
	});

	it('deadlock victim 1205 twice: retried on the same connection, then the rows', async () => {
		const source = await openSqlSource(node, settings(sim.port), SUBIEKT_SQL, quick);
		try {
			sim.addFault({ kind: 'error', query: 'stock', number: 1205, times: 2 });
			const rows = await source.query('stock', {
				pageSize: 1000,
				afterProductId: 0,
				afterWarehouseId: 0,
				warehouseCode: null,
			});
			expect(rows.length).toBeGreaterThan(0);
		} finally {
			await source.close();
		}
		expect(sent().map((s) => [s.query, s.errorNumber])).toEqual([
			['stock', 1205],
			['stock', 1205],
			['stock', undefined],
		]);
	});

	it('a deadlock that does not go away: 1 + 3 tries, then the mapped error saying so', async () => {
		const source = await openSqlSource(node, settings(sim.port), SUBIEKT_SQL, quick);
		try {
			sim.addFault({ kind: 'error', query: 'stock', number: 1205, times: 10 });
			const e = await failure(
				source.query(
					'stock',
					{ pageSize: 1000, afterProductId: 0, afterWarehouseId: 0, warehouseCode: null },
					{ action: 'Reading stock' },
				),
			);
			expect(e.message).toMatch(
				/^Reading stock: SQL Server refused the query on .* \(SQL error 1205\) \(after 3 retries\)$/,
			);
		} finally {
			await source.close();
		}
		expect(sent()).toHaveLength(4);
	});

	it('another SQL error (1222 lock request timeout) is not retried', async () => {
		const source = await openSqlSource(node, settings(sim.port), SUBIEKT_SQL, quick);
		try {
			sim.addFault({ kind: 'error', query: 'stock', number: 1222 });
			const e = await failure(
				source.query('stock', { pageSize: 1000, afterProductId: 0, afterWarehouseId: 0, warehouseCode: null }),
			);
			expect(e.message).toMatch(/\(SQL error 1222\)$/);
		} finally {
			await source.close();
		}
		expect(sent()).toHaveLength(1);
	});

	it('a wrong password is not retried: one login, ELOGIN mapped, no password in the error', async () => {
		const e = await failure(openSqlSource(node, settings(sim.port, { password: 'Złe-hasło-ąę' }), SUBIEKT_SQL, quick));
		expect(e.message).toBe(
			`Connecting: login failed for user "${DEFAULT_USER.user}" to database "${DEFAULT_DATABASE}" on 127.0.0.1:${sim.port} as "${DEFAULT_USER.user}"`,
		);
		expect(JSON.stringify({ m: e.message, d: e.description })).not.toContain('Złe-hasło-ąę');
		expect(sim.logins).toHaveLength(1);
	});
});
