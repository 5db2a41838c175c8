/**
 * The adapter with the REAL mssql/tedious driver (no SQL Server here): the pool configuration is accepted
 * by tedious (it validates its options when the connection is built), and real driver failures — a closed
 * port, a server that accepts TCP and never answers — come back as node errors naming server, database and
 * user, never the password.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { INode } from 'n8n-workflow';
import { openSqlSource, settingsFromCredential } from '../../../nodes/shared/sql/transport';
import { SUBIEKT_SQL } from '../../../nodes/SubiektGt/sql/queries';

const node: INode = { id: '1', name: 'Subiekt GT', type: 'x', typeVersion: 1, position: [0, 0], parameters: {} };
const PASSWORD = 'Hasło-źdźbło-77';

const listen = (server: Server) =>
	new Promise<number>((resolve) =>
		server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
	);

async function failure(port: number, timeoutSeconds = 2): Promise<Error & { description?: string }> {
	const settings = settingsFromCredential({
		server: '127.0.0.1',
		port,
		database: 'FIRMA_ŹDŹBŁO',
		user: 'czytelnik',
		password: PASSWORD,
		connectionTimeoutSeconds: timeoutSeconds,
	});
	try {
		const source = await openSqlSource(node, settings, SUBIEKT_SQL);
		await source.close();
	} catch (error) {
		return error as Error & { description?: string };
	}
	throw new Error('connected to a server that is not SQL Server');
}

it('a closed port → "cannot reach SQL Server" with server, database and user', async () => {
	const server = createServer();
	const port = await listen(server);
	await new Promise((r) => server.close(r)); // nothing listens there any more
	const e = await failure(port);
	expect(e.message).toBe(
		`Connecting: cannot reach SQL Server for database "FIRMA_ŹDŹBŁO" on 127.0.0.1:${port} as "czytelnik"`,
	);
	expect(e.constructor.name).toBe('NodeApiError');
	expect(JSON.stringify({ m: e.message, d: e.description })).not.toContain(PASSWORD);
});

it('a server that accepts and never answers → timeout error', async () => {
	const sockets: Socket[] = [];
	const server = createServer((s) => sockets.push(s));
	const port = await listen(server);
	try {
		const e = await failure(port, 1);
		expect(e.message).toMatch(
			/^Connecting: SQL Server did not answer in time \(database "FIRMA_ŹDŹBŁO" on 127\.0\.0\.1:\d+ as "czytelnik"\)$/,
		);
		expect(JSON.stringify({ m: e.message, d: e.description })).not.toContain(PASSWORD);
	} finally {
		for (const s of sockets) s.destroy();
		await new Promise((r) => server.close(r));
	}
});
