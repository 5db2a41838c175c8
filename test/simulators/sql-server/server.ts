/**
 * A minimal Microsoft SQL Server stand-in for the SQL ERPs' databases, speaking TDS 7.4 over TCP on 127.0.0.1
 * without TLS, so the pack's one SQL layer (nodes/shared/sql) can be tested through the real `mssql`/tedious
 * driver. One server hosts one or more databases, each backed by a schema plug-in (subiekt/, optima/): the
 * database a login opens answers exactly its ERP's statements (sent as sp_executesql); every database answers
 * `SELECT 1` and the SET batch tedious sends after login; everything else gets the error SQL Server would give a
 * db_datareader login (common.ts refuse). Logins, users, faults, the statement log and the encryption behaviour
 * are the server's, the same for every ERP. See README.md in this folder.
 */
import net from 'node:net';
import { parameterNames } from '../../../nodes/shared/sql/guard';
import { declaredParameters, refuse, SqlError, type ResultSet, type SqlSchema } from './common';
import { subiektSchema } from './subiekt';
import {
	buildPreLoginResponse,
	colMetadata,
	done,
	DONE,
	DONE_TOKEN,
	ENCRYPT,
	envCollation,
	envDatabase,
	envLanguage,
	envPacketSize,
	frame,
	loginAck,
	message,
	MessageReader,
	PACKET,
	parseLogin7,
	parsePreLogin,
	parseRpc,
	parseSqlBatch,
	POLISH_CI_AS,
	returnStatus,
	TdsProtocolError,
	row,
	type ParamValue,
	type RpcParam,
	type ServerMessage,
} from './tds';

export interface SqlUser {
	user: string;
	password: string;
}

/** One LOGIN7 as received — never the password. */
export interface LoginRecord {
	user: string;
	database: string;
	appName: string;
	hostName: string;
	readOnlyIntent: boolean;
	tdsVersion: number;
	packetSize: number;
	accepted: boolean;
	/** the error number sent back when refused (18456, 4060) */
	errorNumber?: number;
}

export interface StatementRecord {
	/** 'rpc' = sp_executesql, 'batch' = SQL batch */
	via: 'rpc' | 'batch';
	user: string;
	statement: string;
	/** the database the session had open */
	database: string;
	/** which of the schema's named statements it matched */
	query?: string;
	params: RpcParam[];
	/** SQL Server error number sent back, if any */
	errorNumber?: number;
	rowCount?: number;
}

export type SqlFault =
	/** close the socket after sending COLMETADATA and `afterRows` rows (default 0) */
	| { kind: 'drop'; query?: string; afterRows?: number; times?: number }
	/** wait `delayMs` before answering; an ATTENTION from the client (its request timeout) cancels it */
	| { kind: 'delay'; query?: string; delayMs: number; times?: number }
	/** answer with a SQL Server error instead of rows (default 1205, deadlock victim) */
	| { kind: 'error'; query?: string; number?: number; times?: number }
	/** refuse the next login(s) with 18456 although the credentials are right */
	| { kind: 'loginFailure'; times?: number };

export type { SqlSchema } from './common';

export interface SqlServerOptions {
	port?: number;
	users?: SqlUser[];
	/**
	 * the databases a login may open (names case-insensitive), each with the schema plug-in that answers it;
	 * default `{ SUBIEKT_ZOLW: subiektSchema() }`. A login without a database opens the first.
	 */
	databases?: Record<string, SqlSchema>;
	/**
	 * text columns as nvarchar (UTF-16LE) instead of varchar in code page 1250. Subiekt GT's columns are varchar
	 * (the EF model marks them IsUnicode(false)); nvarchar is here to show the driver handles both the same.
	 */
	unicodeText?: boolean;
	/**
	 * a client asking for encryption: 'close' (default) answers ENCRYPT_NOT_SUP and closes, as MS-TDS says the
	 * pair ends; 'continue' answers ENCRYPT_NOT_SUP and goes on without TLS — a misconfigured server, to show
	 * what the driver does then.
	 */
	onEncryptionRequest?: 'close' | 'continue';
}

export const DEFAULT_USER: SqlUser = { user: 'b2b_czytelnik', password: 'Hasło-żółć-1' };
/** the Subiekt GT database of the default server */
export const DEFAULT_DATABASE = 'SUBIEKT_ZOLW';

const KNOWN_MESSAGES: Record<number, { cls: number; state: number; text: string }> = {
	1205: {
		cls: 13,
		state: 51,
		text: 'Transaction (Process ID 53) was deadlocked on lock resources with another process and has been chosen as the deadlock victim. Rerun the transaction.',
	},
	1222: { cls: 16, state: 56, text: 'Lock request time out period exceeded.' },
};

export class SqlServerSimulator {
	readonly databases: Readonly<Record<string, SqlSchema>>;
	readonly logins: LoginRecord[] = [];
	readonly statements: StatementRecord[] = [];
	private faults: Array<SqlFault & { remaining: number }> = [];
	private server?: net.Server;
	private sockets = new Set<net.Socket>();
	private readonly users: SqlUser[];
	port = 0;
	readonly unicodeText: boolean;
	readonly onEncryptionRequest: 'close' | 'continue';

	constructor(private readonly options: SqlServerOptions = {}) {
		this.databases = options.databases ?? { [DEFAULT_DATABASE]: subiektSchema() };
		this.users = options.users ?? [DEFAULT_USER];
		this.unicodeText = options.unicodeText ?? false;
		this.onEncryptionRequest = options.onEncryptionRequest ?? 'close';
	}

	async start(): Promise<number> {
		this.server = net.createServer((socket) => this.accept(socket));
		await new Promise<void>((resolve, reject) => {
			this.server!.once('error', reject);
			this.server!.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
		});
		this.port = (this.server.address() as net.AddressInfo).port;
		return this.port;
	}

	async stop(): Promise<void> {
		for (const s of this.sockets) s.destroy();
		if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
	}

	addFault(fault: SqlFault): void {
		this.faults.push({ ...fault, remaining: fault.times ?? 1 });
	}

	clearFaults(): void {
		this.faults = [];
	}

	/** the database a login without one opens */
	get defaultDatabase(): string {
		return Object.keys(this.databases)[0] ?? DEFAULT_DATABASE;
	}

	/** the schema of a database by its name (case-insensitive, as SQL Server's catalogue under Polish_CI_AS) */
	schemaOf(database: string): SqlSchema | undefined {
		const name = Object.keys(this.databases).find((d) => d.toLowerCase() === database.toLowerCase());
		return name === undefined ? undefined : this.databases[name];
	}

	/** connections currently open (the driver's pool) */
	get openConnections(): number {
		return this.sockets.size;
	}

	private takeFault(match: (f: SqlFault) => boolean): SqlFault | undefined {
		const f = this.faults.find((x) => x.remaining > 0 && match(x));
		if (!f) return undefined;
		f.remaining--;
		if (f.remaining <= 0) this.faults = this.faults.filter((x) => x !== f);
		return f;
	}

	private accept(socket: net.Socket): void {
		this.sockets.add(socket);
		socket.on('close', () => this.sockets.delete(socket));
		socket.on('error', () => socket.destroy());
		new Session(this, socket);
	}

	/** @internal */
	checkLogin(user: string, password: string, database: string): ServerMessage[] | undefined {
		const failed: ServerMessage = { number: 18456, class: 14, state: 1, message: `Login failed for user '${user}'.` };
		if (this.takeFault((f) => f.kind === 'loginFailure')) return [failed];
		const u = this.users.find((x) => x.user === user && x.password === password);
		if (!u) return [failed];
		if (!this.schemaOf(database)) {
			return [
				{
					number: 4060,
					class: 11,
					state: 1,
					message: `Cannot open database "${database}" requested by the login. The login failed.`,
				},
				{ ...failed },
			];
		}
		return undefined;
	}

	/** @internal */
	faultFor(query: string | undefined): SqlFault | undefined {
		return this.takeFault((f) => f.kind !== 'loginFailure' && (f.query === undefined || f.query === query));
	}

	/** @internal */
	knownError(number: number): ServerMessage {
		const k = KNOWN_MESSAGES[number] ?? { cls: 16, state: 1, text: `Simulated error ${number}.` };
		return { number, class: k.cls, state: k.state, message: k.text };
	}
}

type Outcome = { kind: 'rows'; result: ResultSet } | { kind: 'error'; error: ServerMessage } | { kind: 'done' };

class Session {
	private reader = new MessageReader();
	private state: 'prelogin' | 'login' | 'ready' | 'closed' = 'prelogin';
	private packetSize = 4096;
	private user = '';
	private database = '';
	private schema!: SqlSchema;
	private pending?: { timer: NodeJS.Timeout; cancel: () => void };
	private queue: Promise<void> = Promise.resolve();

	constructor(
		private readonly sim: SqlServerSimulator,
		private readonly socket: net.Socket,
	) {
		socket.on('data', (chunk) => {
			let messages;
			try {
				messages = this.reader.push(chunk);
			} catch {
				socket.destroy();
				return;
			}
			for (const m of messages) {
				if (m.type === PACKET.ATTENTION) this.attention();
				else
					this.queue = this.queue
						.then(() => this.handle(m.type, m.payload))
						.catch(() => {
							socket.destroy();
						});
			}
		});
	}

	private send(tokens: Buffer[], last = true): Promise<void> {
		return new Promise((resolve) => {
			if (this.socket.destroyed) return resolve();
			this.socket.write(frame(PACKET.REPLY, Buffer.concat(tokens), this.packetSize, last), () => resolve());
		});
	}

	/**
	 * ATTENTION (the client's request timeout or cancel). tedious consumes one more message as the answer to the
	 * cancelled request and expects the DONE with DONE_ATTN in the message after it, so a request still pending
	 * (a `delay` fault) is first closed with an empty response, then acknowledged.
	 */
	private attention(): void {
		if (this.pending) {
			clearTimeout(this.pending.timer);
			this.pending.cancel();
			this.pending = undefined;
			void this.send([done(DONE_TOKEN.DONE, DONE.FINAL, 0, 0)]);
		}
		void this.send([done(DONE_TOKEN.DONE, DONE.ATTN, 0, 0)]);
	}

	private async handle(type: number, payload: Buffer): Promise<void> {
		if (this.state === 'prelogin') {
			if (type !== PACKET.PRELOGIN) return void this.socket.destroy();
			const pre = parsePreLogin(payload);
			// TLS is not simulated. A client that asks for encryption (ON/REQ) is told NOT_SUP and the connection is
			// closed, as MS-TDS 2.2.6.5 prescribes for that pair (tedious itself would carry on unencrypted).
			this.socket.write(frame(PACKET.REPLY, buildPreLoginResponse(ENCRYPT.NOT_SUP), this.packetSize));
			if (
				(pre.encryption === ENCRYPT.ON || pre.encryption === ENCRYPT.REQ) &&
				this.sim.onEncryptionRequest !== 'continue'
			) {
				this.state = 'closed';
				this.socket.end();
				return;
			}
			this.state = 'login';
			return;
		}
		if (this.state === 'login') {
			if (type !== PACKET.LOGIN7) return void this.socket.destroy();
			return this.login(payload);
		}
		if (this.state !== 'ready') return;
		if (type === PACKET.SQL_BATCH) return this.batch(parseSqlBatch(payload));
		if (type === PACKET.RPC) return this.rpc(payload);
		this.socket.destroy();
	}

	private async login(payload: Buffer): Promise<void> {
		const l = parseLogin7(payload);
		const record = {
			user: l.userName,
			database: l.database,
			appName: l.appName,
			hostName: l.hostName,
			readOnlyIntent: l.readOnlyIntent,
			tdsVersion: l.tdsVersion,
			packetSize: l.packetSize,
		};
		const refused = this.sim.checkLogin(l.userName, l.password, l.database || this.sim.defaultDatabase);
		if (refused) {
			this.sim.logins.push({ ...record, accepted: false, errorNumber: refused[0].number });
			await this.send([...refused.map((m) => message('error', m)), done(DONE_TOKEN.DONE, DONE.ERROR, 0, 0)]);
			this.state = 'closed';
			this.socket.end();
			return;
		}
		this.sim.logins.push({ ...record, accepted: true });
		this.user = l.userName;
		this.database = l.database || this.sim.defaultDatabase;
		this.schema = this.sim.schemaOf(this.database)!;
		const size = Math.min(Math.max(l.packetSize || 4096, 512), 32767);
		await this.send([
			envDatabase(this.database, 'master'),
			message('info', {
				number: 5701,
				class: 0,
				state: 2,
				message: `Changed database context to '${this.database}'.`,
			}),
			envCollation(POLISH_CI_AS),
			envLanguage('polski', ''),
			message('info', { number: 5703, class: 0, state: 1, message: 'Changed language setting to polski.' }),
			loginAck(),
			envPacketSize(size, 4096),
			done(DONE_TOKEN.DONE, DONE.FINAL, 0, 0),
		]);
		this.packetSize = size;
		this.state = 'ready';
	}

	private async batch(sql: string): Promise<void> {
		const record: StatementRecord = {
			via: 'batch',
			user: this.user,
			database: this.database,
			statement: sql,
			params: [],
		};
		this.sim.statements.push(record);
		const lines = sql
			.split(/\r?\n/)
			.map((x) => x.trim())
			.filter(Boolean);
		// tedious's session-option batch after login (getInitialSql): "set textsize …", "set ansi_nulls on", …
		if (lines.length > 0 && lines.every((x) => /^set\s+[a-z_]+(\s+[a-z_]+)*\s+[\w-]+$/i.test(x))) {
			return this.respond(false, { kind: 'done' }, record);
		}
		if (/^select\s+1\s*;?$/i.test(sql.trim())) return this.respond(false, selectOne(), record);
		const query = this.schema.match(sql);
		if (query) {
			const missing = parameterNames(sql)[0];
			return this.respond(false, { kind: 'error', error: mustDeclare(missing) }, record);
		}
		return this.respond(false, { kind: 'error', error: refuse(sql, this.database, this.schema).info }, record);
	}

	private async rpc(payload: Buffer): Promise<void> {
		let req;
		try {
			req = parseRpc(payload);
		} catch (e) {
			if (!(e instanceof TdsProtocolError)) throw e;
			// SQL Server knows every type; the simulator does not, and says so instead of answering wrongly
			const record: StatementRecord = {
				via: 'rpc',
				user: this.user,
				database: this.database,
				statement: '',
				params: [],
			};
			this.sim.statements.push(record);
			const text = `SQL Server simulator: ${e.message}${e.parameter ? ` (parameter ${e.parameter})` : ''}.`;
			return this.respond(
				true,
				{ kind: 'error', error: { number: 50000, class: 16, state: 1, message: text } },
				record,
			);
		}
		const isExecuteSql = req.procedure === 10 || String(req.procedure).toLowerCase() === 'sp_executesql';
		const [stmt, decl, ...rest] = req.params;
		const statement = stmt && typeof stmt.value === 'string' ? stmt.value : '';
		const record: StatementRecord = { via: 'rpc', user: this.user, database: this.database, statement, params: rest };
		this.sim.statements.push(record);
		if (!isExecuteSql) {
			return this.respond(
				true,
				{ kind: 'error', error: refuse(`EXEC ${String(req.procedure)}`, this.database, this.schema).info },
				record,
			);
		}
		if (/^select\s+1\s*;?$/i.test(statement.trim())) return this.respond(true, selectOne(), record);
		const query = this.schema.match(statement);
		record.query = query;
		if (!query)
			return this.respond(true, { kind: 'error', error: refuse(statement, this.database, this.schema).info }, record);
		const declared = decl && typeof decl.value === 'string' ? declaredParameters(decl.value) : [];
		const values: Record<string, ParamValue> = {};
		for (const p of rest) values[p.name.replace(/^@/, '')] = p.value;
		for (const d of declared) {
			if (!(d in values)) {
				return this.respond(
					true,
					{
						kind: 'error',
						error: {
							number: 8178,
							class: 16,
							state: 1,
							message: `The parameterized query '(${String(decl?.value ?? '')})${statement.slice(0, 40)}' expects the parameter '@${d}', which was not supplied.`,
						},
					},
					record,
				);
			}
		}
		const undeclared = parameterNames(statement).find((n) => !declared.includes(n));
		if (undeclared) return this.respond(true, { kind: 'error', error: mustDeclare(undeclared) }, record);
		let outcome: Outcome;
		try {
			outcome = { kind: 'rows', result: this.schema.run(query, values) };
		} catch (e) {
			if (e instanceof SqlError) outcome = { kind: 'error', error: e.info };
			else throw e;
		}
		return this.respond(true, outcome, record, query);
	}

	private async respond(rpc: boolean, outcome: Outcome, record: StatementRecord, query?: string) {
		const fault = query || record.via === 'rpc' ? this.sim.faultFor(query) : undefined;
		if (outcome.kind === 'rows' && this.sim.unicodeText) {
			const columns = outcome.result.columns.map((c) =>
				c.type.kind === 'varchar' ? { ...c, type: { kind: 'nvarchar' as const, length: c.type.length } } : c,
			);
			outcome = { kind: 'rows', result: { columns, rows: outcome.result.rows } };
		}
		if (fault?.kind === 'delay') {
			const cancelled = await new Promise<boolean>((resolve) => {
				const timer = setTimeout(() => {
					this.pending = undefined;
					resolve(false);
				}, fault.delayMs);
				this.pending = { timer, cancel: () => resolve(true) };
			});
			if (cancelled) return;
		}
		if (fault?.kind === 'error') outcome = { kind: 'error', error: this.sim.knownError(fault.number ?? 1205) };
		if (fault?.kind === 'drop') {
			const rows = outcome.kind === 'rows' ? outcome.result.rows.slice(0, fault.afterRows ?? 0) : [];
			const cols = outcome.kind === 'rows' ? outcome.result.columns : [];
			const tokens = cols.length ? [colMetadata(cols), ...rows.map((r) => row(cols, r))] : [];
			await this.send(tokens, false);
			this.socket.destroy();
			return;
		}
		const endToken = rpc ? DONE_TOKEN.DONEPROC : DONE_TOKEN.DONE;
		if (outcome.kind === 'error') {
			record.errorNumber = outcome.error.number;
			return this.send([message('error', outcome.error), done(endToken, DONE.ERROR, 0)]);
		}
		if (outcome.kind === 'done') return this.send([done(endToken, DONE.FINAL, 0, 0)]);
		const { columns, rows } = outcome.result;
		record.rowCount = rows.length;
		let tokens: Buffer[];
		try {
			tokens = [colMetadata(columns), ...rows.map((r) => row(columns, r))];
		} catch (e) {
			// a seed value the real schema could not hold: say so to the test instead of dropping the connection
			record.errorNumber = 50000;
			const error = { number: 50000, class: 16, state: 1, message: `SQL Server simulator: ${(e as Error).message}` };
			return this.send([message('error', error), done(endToken, DONE.ERROR, 0)]);
		}
		if (rpc)
			tokens.push(done(DONE_TOKEN.DONEINPROC, DONE.COUNT, rows.length), returnStatus(0), done(endToken, DONE.FINAL, 0));
		else tokens.push(done(endToken, DONE.COUNT, rows.length));
		return this.send(tokens);
	}
}

function selectOne(): Outcome {
	return { kind: 'rows', result: { columns: [{ name: '', type: { kind: 'int' }, nullable: false }], rows: [[1]] } };
}

function mustDeclare(name: string): ServerMessage {
	return { number: 137, class: 15, state: 2, message: `Must declare the scalar variable "@${name}".` };
}
