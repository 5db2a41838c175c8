/**
 * The SQL Server side of the Subiekt GT node: a thin adapter over the `mssql` driver (tedious).
 *
 * - One ConnectionPool per node execution, always closed (withSqlSource).
 * - Read-only application intent (tedious `readOnlyIntent`: ApplicationIntent=ReadOnly, routed to a readable
 *   secondary where there is one), TLS settings from the credential, appName 'n8n-nodes-erp-b2b', useUTC.
 * - Runs ONLY the named statements of SUBIEKT_QUERIES, each through assertReadOnlySelect + bindParameters
 *   (sql/guard.ts), every parameter with the SQL type of its definition. No SQL text is ever built here.
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
import { SqlGuardError, bindParameters } from '../sql/guard';
import type { SqlRow } from '../sql/mapping';
import { SUBIEKT_QUERIES, type QueryDefinition, type SqlParamType, type SubiektQueryName } from '../sql/queries';

export const SQL_CREDENTIAL = 'subiektGtSqlApi';
export const APP_NAME = 'n8n-nodes-erp-b2b';

export interface SubiektSqlSettings {
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
export interface SqlSource {
	/** runs one statement of SUBIEKT_QUERIES; errors are mapped (mapSqlError) with `context` */
	query(name: SubiektQueryName, params: Record<string, unknown>, context?: SqlErrorContext): Promise<SqlRow[]>;
	close(): Promise<void>;
}

export function settingsFromCredential(c: ICredentialDataDecryptedObject): SubiektSqlSettings {
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

/** The configuration handed to mssql.ConnectionPool (exported for the unit test that inspects it). */
export function poolConfig(s: SubiektSqlSettings): mssql.config {
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
	}
}

/** "server\instance / database as user" — for messages; never the password. */
export function describeTarget(s: SubiektSqlSettings): string {
	const server = s.instanceName ? `${s.server}\\${s.instanceName}` : `${s.server}:${s.port}`;
	return `database "${s.database}" on ${server} as "${s.user}"`;
}

interface DriverError extends Error {
	code?: string;
	number?: number;
	originalError?: Error & { code?: string; info?: { number?: number; message?: string } };
}

/** Removes the password from any text we pass on (drivers may quote connection details back). */
function scrub(text: string, s: SubiektSqlSettings): string {
	return s.password ? text.split(s.password).join('***') : text;
}

export interface SqlErrorContext {
	itemIndex?: number;
	/** what was being done, e.g. 'Reading products' */
	action?: string;
}

/** A driver error → NodeOperationError / NodeApiError naming server, database and user (never the password). */
export function mapSqlError(
	node: INode,
	error: unknown,
	s: SubiektSqlSettings,
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
			description: 'Only the read-only SELECT statements shipped with the node may run against Subiekt GT.',
		});
	}
	const api = (message: string, description: string, httpCode?: string) =>
		new NodeApiError(node, { message: driverMessage, code: e.code ?? '' } as JsonObject, {
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
					`${doing}database "${s.database}" is not a Subiekt GT database (or the login cannot see its tables)`,
					`${driverMessage} (SQL error 208). Choose the Subiekt company database, and grant the login db_datareader in it.`,
				);
			}
			if (number === 229 || number === 230) {
				return api(
					`${doing}user "${s.user}" may not read ${target}`,
					`${driverMessage} (SQL error ${number}). Grant the login db_datareader in the Subiekt database.`,
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

/** Opens a connection pool; errors are mapped (see mapSqlError). */
export async function openSqlSource(node: INode, s: SubiektSqlSettings): Promise<SqlSource> {
	for (const [field, value] of [
		['Server', s.server],
		['Database', s.database],
		['User', s.user],
	] as const) {
		if (!value) throw new NodeOperationError(node, `The Subiekt GT SQL credential has no ${field}`);
	}
	const pool = new mssql.ConnectionPool(poolConfig(s));
	// an idle pool's connection may fail later; the error is reported by the next query, not as a crash
	pool.on('error', () => undefined);
	try {
		await pool.connect();
	} catch (error) {
		await pool.close().catch(() => undefined);
		throw mapSqlError(node, error, s, { action: 'Connecting' });
	}
	return {
		async query(name, params, context = {}) {
			const def = SUBIEKT_QUERIES[name] as QueryDefinition | undefined;
			if (!def) throw new NodeOperationError(node, `Unknown Subiekt query "${String(name)}"`);
			const action = context.action ?? `Query "${name}"`;
			try {
				const bound = bindParameters(def.sql, params);
				const request = pool.request();
				for (const p of bound) {
					const spec = def.params[p.name];
					if (!spec) throw new SqlGuardError(`parameter @${p.name} has no declared type`);
					request.input(p.name, driverType(spec.type), p.value ?? null);
				}
				const result = await request.query(def.sql);
				return (result.recordset ?? []) as SqlRow[];
			} catch (error) {
				throw mapSqlError(node, error, s, { ...context, action });
			}
		},
		async close() {
			await pool.close();
		},
	};
}

/** Runs `fn` with a SQL source for this execution and always closes it. */
export async function withSqlSource<T>(
	node: INode,
	credential: ICredentialDataDecryptedObject,
	fn: (source: SqlSource, settings: SubiektSqlSettings) => Promise<T>,
): Promise<T> {
	const settings = settingsFromCredential(credential);
	const source = await openSqlSource(node, settings);
	try {
		return await fn(source, settings);
	} finally {
		await source.close().catch(() => undefined);
	}
}
