/**
 * The one SQL Server layer of every SQL ERP node (Subiekt GT today, Comarch ERP Optima and ERP XL next): a thin
 * adapter over the `mssql` driver (tedious). An ERP brings only an SqlErp descriptor — its named statements and
 * the words its messages need; everything below is the same for all of them.
 *
 * - One ConnectionPool per node execution, always closed (withSqlSource).
 * - Read-only application intent (tedious `readOnlyIntent`: ApplicationIntent=ReadOnly, routed to a readable
 *   secondary where there is one), TLS settings from the credential, appName 'n8n-nodes-erp-b2b', useUTC.
 * - Runs ONLY the named statements of the ERP's descriptor (`erp.queries`), each through assertReadOnlySelect +
 *   bindParameters (guard.ts), every parameter with the SQL type of its definition. No SQL text is ever built here.
 * - Encrypt on means TLS or nothing: tedious (19.x) sends the login in clear when the server's pre-login answers
 *   "encryption not supported" (EncryptionGuard refuses that before the login is sent).
 * - A pooled connection is checked by its socket state, not by an extra `SELECT 1;` round trip.
 * - A lost connection or a deadlock (1205) is retried a few times: every statement is a read-only SELECT.
 * - Driver errors (ELOGIN, ESOCKET, ETIMEOUT, EREQUEST + SQL error number, ...) become node errors that
 *   name the server, database and user, never the password.
 */
import * as mssql from 'mssql';
import {
	NodeApiError,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type INode,
	type JsonObject,
} from 'n8n-workflow';
import { DEFAULT_RETRY_POLICY, backoffDelay, isNetworkError, sleep, type RetryPolicy } from '../transport/retry';
import { SqlGuardError, bindParameters } from './guard';
import type { QueryDefinition, SqlErp, SqlParamType, SqlRow } from './types';

export type { SqlErp } from './types';

export const APP_NAME = 'n8n-nodes-erp-b2b';

export interface SqlServerSettings {
	server: string;
	instanceName?: string;
	port: number;
	database: string;
	user: string;
	password: string;
	encrypt: boolean;
	trustServerCertificate: boolean;
	connectionTimeoutMs: number;
	requestTimeoutMs: number;
}

/** The driver boundary: everything the node needs from SQL Server. */
export interface SqlSource<Q extends string = string> {
	/** runs one statement of the ERP's queries; errors are mapped (mapSqlError) with `context` */
	query(name: Q, params: Record<string, unknown>, context?: SqlErrorContext): Promise<SqlRow[]>;
	close(): Promise<void>;
}

export function settingsFromCredential(c: ICredentialDataDecryptedObject): SqlServerSettings {
	const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : d);
	return {
		server: String(c.server ?? '').trim(),
		instanceName: String(c.instanceName ?? '').trim() || undefined,
		port: num(c.port, 1433),
		database: String(c.database ?? '').trim(),
		user: String(c.user ?? '').trim(),
		password: String(c.password ?? ''),
		encrypt: c.encrypt !== false,
		trustServerCertificate: c.trustServer === true,
		connectionTimeoutMs: num(c.connectionTimeoutSeconds, 15) * 1000,
		requestTimeoutMs: num(c.requestTimeoutSeconds, 60) * 1000,
	};
}

/** tedious's Connection as far as EncryptionGuard uses it: its public events and one internal step. */
interface TediousConnection {
	on(event: 'secure' | 'connect', listener: (arg?: unknown) => void): unknown;
	close(): void;
	/** tedious 19 (lib/connection.js): runs after the pre-login answer, right before LOGIN7 is sent */
	performTlsNegotiation?: (...args: unknown[]) => Promise<void>;
}

/** error code of a connection refused because the server would not encrypt it although Encrypt is on */
export const UNENCRYPTED = 'EUNENCRYPTED';

/**
 * Encrypt on = TLS or no connection. tedious 19.2.2 with `encrypt: true` starts TLS only when the server's
 * pre-login answer says ON/REQ; an answer of NOT_SUP or OFF (a misconfigured server, or anything between n8n
 * and the server rewriting one byte) makes it send LOGIN7 — user and password only obfuscated — in clear and
 * carry on unencrypted. tedious has no option against it (`encrypt: 'strict'`, TLS before any TDS, needs
 * SQL Server 2022). So, for every connection of the pool (mssql `beforeConnect`):
 * 1. before the login: tedious's own `performTlsNegotiation` step is wrapped; when it returns without TLS
 *    having been set up (tedious's documented 'secure' event), the connection fails with UNENCRYPTED and the
 *    login is never sent. This relies on a tedious internal; a test pins it to the installed tedious.
 * 2. after the login, as a backstop should (1) ever not apply: a connection that logged in without the
 *    'secure' event is closed and marked, and the pool refuses to run any statement (the login was sent
 *    then, but no data is read over the clear connection).
 */
export class EncryptionGuard {
	/** a connection logged in without TLS (only possible when step 1 did not apply) */
	loggedInUnencrypted = false;

	constructor(
		private readonly required: boolean,
		private readonly beforeLogin = true,
	) {}

	/** for mssql's `beforeConnect`: called with each new tedious Connection before it connects */
	readonly attach = (connection: unknown): void => {
		if (!this.required) return;
		const conn = connection as TediousConnection;
		let secure = false;
		conn.on('secure', () => (secure = true));
		const negotiate = conn.performTlsNegotiation;
		if (this.beforeLogin && typeof negotiate === 'function') {
			conn.performTlsNegotiation = async (...args: unknown[]) => {
				// each hop counts on its own (tedious negotiates again after a read-only routing redirect)
				secure = false;
				await negotiate.apply(conn, args);
				if (!secure) throw unencryptedError();
			};
		}
		conn.on('connect', (error) => {
			if (error || secure) return;
			this.loggedInUnencrypted = true;
			conn.close();
		});
	};

	/** throws UNENCRYPTED if a connection of this pool ever logged in without TLS */
	check(): void {
		if (this.loggedInUnencrypted) throw unencryptedError();
	}
}

function unencryptedError(): Error {
	return Object.assign(new Error('the server did not agree to encrypt the connection (pre-login answer without TLS)'), {
		code: UNENCRYPTED,
	});
}

/** Retries of one statement after a lost connection or a deadlock (the statements are read-only SELECTs). */
export const SQL_RETRY_POLICY: RetryPolicy = {
	...DEFAULT_RETRY_POLICY,
	maxRetries: 3,
	baseDelayMs: 250,
	maxDelayMs: 4000,
};

/** SQL Server error 1205: chosen as deadlock victim — "Rerun the transaction." */
const DEADLOCK_VICTIM = 1205;

/**
 * Worth another try of a read-only SELECT: the connection was lost under it (tedious ECONNRESET "socket hang
 * up", ESOCKET, ECLOSE) or SQL Server chose it as deadlock victim (1205). Not a login failure, a
 * refused statement, a request timeout (it would take as long again) or anything else.
 */
export function isRetryableSqlError(error: unknown): boolean {
	const e = error as DriverError | undefined;
	if (!e || typeof e !== 'object') return false;
	if (e.code === 'ELOGIN' || e.code === 'ETIMEOUT' || e.code === UNENCRYPTED) return false;
	const number = e.number ?? e.originalError?.info?.number;
	if (number === DEADLOCK_VICTIM) return true;
	// any other error SQL Server answered with is final (its text is not searched for network words)
	if (e.code === 'EREQUEST') return false;
	if (e.code === 'ESOCKET' || e.code === 'ECONNRESET' || e.code === 'ECLOSE') return true;
	return isNetworkError(e) || isNetworkError(e.originalError);
}

/** The configuration handed to mssql.ConnectionPool (exported for the unit test that inspects it). */
export function poolConfig(s: SqlServerSettings, guard?: EncryptionGuard): mssql.config {
	return {
		server: s.server,
		// with a named instance tedious asks the SQL Server Browser for the port; a port would override it
		...(s.instanceName ? {} : { port: s.port }),
		database: s.database,
		user: s.user,
		password: s.password,
		connectionTimeout: s.connectionTimeoutMs,
		requestTimeout: s.requestTimeoutMs,
		// one node execution runs its statements one after the other
		pool: { min: 0, max: 1, idleTimeoutMillis: 30000 },
		// a pooled connection is checked by its socket and state, not with an extra `SELECT 1;` round trip
		validateConnection: 'socket',
		...(guard ? { beforeConnect: guard.attach } : {}),
		options: {
			encrypt: s.encrypt,
			trustServerCertificate: s.trustServerCertificate,
			readOnlyIntent: true,
			appName: APP_NAME,
			useUTC: true,
			...(s.instanceName ? { instanceName: s.instanceName } : {}),
		},
	};
}

function driverType(type: SqlParamType): mssql.ISqlType | (() => mssql.ISqlType) {
	switch (type) {
		case 'int':
			return mssql.Int;
		case 'nvarchar':
			return mssql.NVarChar(4000);
		case 'datetime':
			return mssql.DateTime;
		case 'bit':
			return mssql.Bit;
	}
}

/** "server\instance / database as user" — for messages; never the password. */
export function describeTarget(s: SqlServerSettings): string {
	const server = s.instanceName ? `${s.server}\\${s.instanceName}` : `${s.server}:${s.port}`;
	return `database "${s.database}" on ${server} as "${s.user}"`;
}

interface DriverError extends Error {
	code?: string;
	number?: number;
	originalError?: Error & { code?: string; info?: { number?: number; message?: string } };
}

/** Removes the password from any text we pass on (drivers may quote connection details back). */
function scrub(text: string, s: SqlServerSettings): string {
	return s.password ? text.split(s.password).join('***') : text;
}

/** the default permission hint of an ERP without its own (SqlErp.permissionHint) */
const grantHint = (erpName: string): string => `Grant the login db_datareader in the ${erpName} database.`;

export interface SqlErrorContext {
	itemIndex?: number;
	/** what was being done, e.g. 'Reading products' */
	action?: string;
}

/** A driver error → NodeOperationError / NodeApiError naming server, database and user (never the password). */
export function mapSqlError(
	node: INode,
	error: unknown,
	s: SqlServerSettings,
	erp: Pick<SqlErp<string>, 'erpName' | 'databaseHint' | 'permissionHint'>,
	ctx: SqlErrorContext = {},
): NodeOperationError | NodeApiError {
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	const e = (error instanceof Error ? error : new Error(String(error))) as DriverError;
	const target = describeTarget(s);
	const doing = ctx.action ? `${ctx.action}: ` : '';
	const driverMessage = scrub(e.message ?? '', s);
	const opts = { itemIndex: ctx.itemIndex };
	if (error instanceof SqlGuardError) {
		return new NodeOperationError(node, `${doing}the SQL statement was refused by the read-only guard: ${e.message}`, {
			...opts,
			description: `Only the read-only SELECT statements shipped with the node may run against ${erp.erpName}.`,
		});
	}
	const api = (message: string, description: string, httpCode?: string) =>
		// the driver's code under its own key: NodeApiError would swap our message for a generic one on `code`
		// values such as ECONNRESET
		new NodeApiError(node, { message: driverMessage, driverCode: e.code ?? '' } as JsonObject, {
			...opts,
			message,
			description: scrub(description, s),
			...(httpCode ? { httpCode } : {}),
		});
	switch (e.code) {
		case 'ELOGIN':
			return api(
				`${doing}login failed for user "${s.user}" to ${target}`,
				`SQL Server refused the login (${driverMessage}). Check the user, the password and that the login may open the database "${s.database}".`,
				'401',
			);
		case UNENCRYPTED:
			return api(
				`${doing}SQL Server for ${target} did not agree to encrypt the connection; the login was refused`,
				'"Encrypt Connection" is on in the credential, but the server answered without TLS (it has encryption switched off or no usable certificate, or something between n8n and the server changed its answer). Nothing was read. Give SQL Server a certificate / fix its TLS settings; only on a network you trust, turn "Encrypt Connection" off.',
			);
		case 'EENCRYPT':
			return api(
				`${doing}SQL Server for ${target} requires an encrypted connection`,
				`${driverMessage}. Turn "Encrypt Connection" on in the credential.`,
			);
		case 'EINSTLOOKUP':
			return api(
				`${doing}SQL Server instance "${s.instanceName ?? ''}" not found on ${s.server}`,
				`${driverMessage}. The SQL Server Browser service (UDP 1434) must run, or give the port instead of the instance name.`,
			);
		case 'ESOCKET':
		case 'ECONNCLOSED':
			return api(
				`${doing}cannot reach SQL Server for ${target}`,
				`${driverMessage}. Check the server name, the port / instance, the firewall and the TLS settings (Encrypt, Trust Server Certificate).`,
			);
		case 'ECONNRESET':
		case 'ECLOSE':
			return api(
				`${doing}the connection to SQL Server was lost (${target})`,
				`${driverMessage}. The server closed the connection in the middle of the answer (restart, failover, network). Run the workflow again; if it keeps happening, check the server's log and the network.`,
			);
		case 'ETIMEOUT':
			return api(
				`${doing}SQL Server did not answer in time (${target})`,
				`${driverMessage}. Raise the timeouts in the credential, or check the network and the server's load.`,
				'408',
			);
		case 'EREQUEST': {
			const number = e.number ?? e.originalError?.info?.number;
			if (number === 208) {
				return api(
					`${doing}database "${s.database}" is not a ${erp.erpName} database (or the login cannot see its tables)`,
					`${driverMessage} (SQL error 208). ${erp.databaseHint}`,
				);
			}
			if (number === 229 || number === 230) {
				return api(
					`${doing}user "${s.user}" may not read ${target}`,
					`${driverMessage} (SQL error ${number}). ${erp.permissionHint ?? grantHint(erp.erpName)}`,
					'403',
				);
			}
			return api(
				`${doing}SQL Server refused the query on ${target}${number !== undefined ? ` (SQL error ${number})` : ''}`,
				driverMessage,
			);
		}
		default:
			return api(`${doing}SQL Server error on ${target}${e.code ? ` (${e.code})` : ''}`, driverMessage);
	}
}

export interface SqlSourceOptions {
	/** retries of a statement (lost connection, deadlock); default SQL_RETRY_POLICY */
	retry?: Partial<RetryPolicy>;
	/** tests only: leave out the before-login step of EncryptionGuard to exercise its backstop */
	encryptionCheckBeforeLogin?: boolean;
}

/** Opens a connection pool that runs only `erp.queries`; errors are mapped (see mapSqlError). */
export async function openSqlSource<Q extends string>(
	node: INode,
	s: SqlServerSettings,
	erp: SqlErp<Q>,
	options: SqlSourceOptions = {},
): Promise<SqlSource<Q>> {
	for (const [field, value] of [
		['Server', s.server],
		['Database', s.database],
		['User', s.user],
	] as const) {
		if (!value) throw new NodeOperationError(node, `The ${erp.erpName} SQL credential has no ${field}`);
	}
	const guard = new EncryptionGuard(s.encrypt, options.encryptionCheckBeforeLogin ?? true);
	const policy = { ...SQL_RETRY_POLICY, ...options.retry };
	const pool = new mssql.ConnectionPool(poolConfig(s, guard));
	// an idle pool's connection may fail later; the error is reported by the next query, not as a crash
	pool.on('error', () => undefined);
	try {
		await pool.connect();
		guard.check();
	} catch (error) {
		await pool.close().catch(() => undefined);
		throw mapSqlError(node, error, s, erp, { action: 'Connecting' });
	}
	const runOnce = async (def: QueryDefinition, params: Record<string, unknown>): Promise<SqlRow[]> => {
		guard.check();
		const bound = bindParameters(def.sql, params);
		const request = pool.request();
		for (const p of bound) {
			const spec = def.params[p.name];
			if (!spec) throw new SqlGuardError(`parameter @${p.name} has no declared type`);
			request.input(p.name, driverType(spec.type), p.value ?? null);
		}
		try {
			const result = await request.query(def.sql);
			return (result.recordset ?? []) as SqlRow[];
		} finally {
			// a connection made during the request (the pool replaced a lost one) must have been encrypted too
			guard.check();
		}
	};
	return {
		async query(name, params, context = {}) {
			const def = erp.queries[name] as QueryDefinition | undefined;
			if (!def) throw new NodeOperationError(node, `Unknown ${erp.erpName} query "${String(name)}"`);
			const action = context.action ?? `Query "${name}"`;
			for (let retry = 0; ; retry++) {
				try {
					return await runOnce(def, params);
				} catch (error) {
					if (retry < policy.maxRetries && isRetryableSqlError(error)) {
						await sleep(backoffDelay(retry, policy));
						continue;
					}
					const mapped = mapSqlError(node, error, s, erp, { ...context, action });
					if (retry > 0 && isRetryableSqlError(error)) mapped.message += ` (after ${retry} retries)`;
					throw mapped;
				}
			}
		},
		async close() {
			await pool.close();
		},
	};
}

/** Runs `fn` with a SQL source for this execution and always closes it. */
export async function withSqlSource<Q extends string, T>(
	node: INode,
	credential: ICredentialDataDecryptedObject,
	erp: SqlErp<Q>,
	fn: (source: SqlSource<Q>, settings: SqlServerSettings) => Promise<T>,
): Promise<T> {
	const settings = settingsFromCredential(credential);
	const source = await openSqlSource(node, settings, erp);
	try {
		return await fn(source, settings);
	} finally {
		await source.close().catch(() => undefined);
	}
}
