/** The mssql adapter's configuration (what mssql.ConnectionPool receives) and its error mapping. */
import type { INode } from 'n8n-workflow';
import { mapSqlError, openSqlSource, poolConfig, settingsFromCredential } from '../../../nodes/shared/sql/transport';
import { SUBIEKT_SQL } from '../../../nodes/SubiektGt/sql/queries';

const configs: unknown[] = [];
jest.mock('mssql', () => {
	const actual = jest.requireActual('mssql');
	class Pool {
		constructor(config: unknown) {
			configs.push(config);
		}
		on() {
			return this;
		}
		async connect() {
			return this;
		}
		request() {
			return {};
		}
		async close() {}
	}
	return { ...actual, ConnectionPool: Pool };
});

// eslint-disable-next-line @typescript-eslint/no-require-imports
const mssql = jest.requireActual('mssql') as typeof import('mssql');

const node: INode = { id: '1', name: 'Subiekt GT', type: 'x', typeVersion: 1, position: [0, 0], parameters: {} };
const base = { server: 'sql.local', database: 'FIRMA_ŻÓŁW', user: 'czytelnik', password: 'hasło-ąę' };

beforeEach(() => (configs.length = 0));

describe('Subiekt SQL adapter › pool configuration', () => {
	it('defaults: port 1433, encrypted, certificate checked, read-only intent, our app name, UTC, timeouts in ms', async () => {
		const source = await openSqlSource(node, settingsFromCredential(base), SUBIEKT_SQL);
		await source.close();
		expect(configs).toEqual([
			{
				server: 'sql.local',
				port: 1433,
				database: 'FIRMA_ŻÓŁW',
				user: 'czytelnik',
				password: 'hasło-ąę',
				connectionTimeout: 15000,
				requestTimeout: 60000,
				pool: { min: 0, max: 1, idleTimeoutMillis: 30000 },
				validateConnection: 'socket',
				beforeConnect: expect.any(Function),
				options: {
					encrypt: true,
					trustServerCertificate: false,
					readOnlyIntent: true,
					appName: 'n8n-nodes-erp-b2b',
					useUTC: true,
				},
			},
		]);
	});

	it('passes encrypt off / trust server certificate on from the credential, and the timeouts it gives', () => {
		const c = poolConfig(
			settingsFromCredential({
				...base,
				encrypt: false,
				trustServer: true,
				port: 14330,
				connectionTimeoutSeconds: 5,
				requestTimeoutSeconds: 120,
			}),
		);
		expect(c.options).toMatchObject({ encrypt: false, trustServerCertificate: true, readOnlyIntent: true });
		expect([c.port, c.connectionTimeout, c.requestTimeout]).toEqual([14330, 5000, 120000]);
	});

	it('a named instance replaces the port (tedious asks the SQL Server Browser)', () => {
		const c = poolConfig(settingsFromCredential({ ...base, instanceName: ' INSERTGT ', port: 1433 }));
		expect(c.options?.instanceName).toBe('INSERTGT');
		expect(c).not.toHaveProperty('port');
	});
});

describe('Subiekt SQL adapter › error mapping', () => {
	const s = settingsFromCredential(base);

	it('ELOGIN names user, database and server, and scrubs the password the driver may echo', () => {
		const e = mapSqlError(node, new mssql.ConnectionError(`Login failed: hasło-ąę`, 'ELOGIN'), s, SUBIEKT_SQL);
		expect(e.message).toBe(
			'login failed for user "czytelnik" to database "FIRMA_ŻÓŁW" on sql.local:1433 as "czytelnik"',
		);
		expect(JSON.stringify({ m: e.message, d: e.description })).not.toContain('hasło-ąę');
		expect(e.description).toContain('***');
	});

	it('an unknown driver error still names the target', () => {
		const e = mapSqlError(node, Object.assign(new Error('boom'), { code: 'EDRIVER' }), s, SUBIEKT_SQL, {
			action: 'Reading stock',
		});
		expect(e.message).toBe(
			'Reading stock: SQL Server error on database "FIRMA_ŻÓŁW" on sql.local:1433 as "czytelnik" (EDRIVER)',
		);
	});
});
