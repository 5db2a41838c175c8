/**
 * n8n's queue mode, for real: PostgreSQL and Redis from Debian's packages, each started here on 127.0.0.1 with its
 * own data directory in a temp folder and its own port, stopped (and the folder removed) at the end. PostgreSQL
 * refuses to run as root, and the issue (#16) wants it as its own user anyway: when the tests run as root, the
 * cluster belongs to Debian's `postgres` account (created by the package) and initdb / pg_ctl run through
 * `runuser -u postgres`; otherwise they run as the current user. `.ci/run` installs the packages when missing.
 *
 * queueModeEnv() is the single list of n8n settings a queue-mode deployment needs; docs/deploy.md's
 * docker-compose.yml uses the same variables (test/unit/deploy-doc.test.ts holds the two together).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { freePort, runProcess, runtime } from './n8n-instance';

// ---------------------------------------------------------------------------------------------- PostgreSQL

export interface PostgresServer {
	host: '127.0.0.1';
	port: number;
	database: string;
	user: string;
	password: string;
	/** the OS account the server runs as */
	runsAs: string;
	/** the server's major version (Debian's package) */
	version: string;
	/** a query as n8n's user, over TCP with its password; `?` placeholders become $1, $2, … */
	query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
	stop(): Promise<void>;
}

/** Debian's server binaries (/usr/lib/postgresql/<major>/bin), the newest major installed. */
export function postgresBinDir(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const majors = readdirSync(root)
		.filter((d) => existsSync(path.join(root, d, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return majors.length ? path.join(root, majors[0], 'bin') : undefined;
}

const PG_HELP =
	'PostgreSQL server binaries not found under /usr/lib/postgresql/<version>/bin: install Debian\'s "postgresql" package (.ci/run does it when missing)';

async function asAccount(
	account: string | undefined,
	cmd: string,
	args: string[],
	opts: { cwd: string; timeoutMs: number },
): Promise<void> {
	const [c, a] = account ? ['runuser', ['-u', account, '--', cmd, ...args]] : [cmd, args];
	const r = await runProcess(c, a, {
		cwd: opts.cwd,
		env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' },
		timeoutMs: opts.timeoutMs,
	});
	if (r.exitCode !== 0 || r.timedOut)
		throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed (exit ${r.exitCode}):\n${r.stdout}${r.stderr}`);
}

/**
 * initdb into a fresh temp folder (UTF-8, trust over the folder's Unix socket only for the set-up, scram-sha-256
 * over TCP), start on 127.0.0.1:<free port>, create n8n's role (with a password) and database. Durability
 * settings off (fsync, synchronous_commit): a throw-away test cluster, never a production setting.
 */
export async function startPostgres(opts: { database?: string; user?: string } = {}): Promise<PostgresServer> {
	const bin = postgresBinDir();
	if (!bin) throw new Error(PG_HELP);
	const root = await mkdtemp(path.join(tmpdir(), 'n8n-pg-'));
	const isRoot = process.getuid?.() === 0;
	const account = isRoot ? 'postgres' : undefined;
	if (isRoot) {
		const { uid, gid } = await accountIds('postgres');
		await chown(root, uid, gid);
	}
	const data = path.join(root, 'data');
	const port = await freePort();
	const database = opts.database ?? 'n8n';
	const user = opts.user ?? 'n8n';
	const password = `pg-${Math.random().toString(36).slice(2)}-źdźbło`;
	await asAccount(
		account,
		path.join(bin, 'initdb'),
		['-D', data, '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--auth-local=trust', '--auth-host=scram-sha-256'],
		{ cwd: root, timeoutMs: 120_000 },
	);
	const settings = [
		`-p ${port}`,
		`-k ${root}`,
		"-c listen_addresses='127.0.0.1'",
		'-c fsync=off',
		'-c synchronous_commit=off',
		'-c full_page_writes=off',
		'-c max_connections=100',
	].join(' ');
	await asAccount(
		account,
		path.join(bin, 'pg_ctl'),
		['-D', data, '-l', path.join(root, 'server.log'), '-o', settings, '-w', 'start'],
		{
			cwd: root,
			timeoutMs: 60_000,
		},
	);
	const stop = async () => {
		await pool?.end().catch(() => undefined);
		await asAccount(account, path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop'], {
			cwd: root,
			timeoutMs: 60_000,
		}).catch(() => undefined);
		await rm(root, { recursive: true, force: true });
	};
	let pool: { query: (s: string, p?: unknown[]) => Promise<{ rows: unknown[] }>; end: () => Promise<void> } | undefined;
	try {
		// the role and database, as the cluster's superuser over the folder's socket (psql from postgresql-client)
		const sql = `CREATE ROLE ${user} LOGIN PASSWORD '${password.replace(/'/g, "''")}'; CREATE DATABASE ${database} OWNER ${user} ENCODING 'UTF8';`;
		const psql = existsSync(path.join(bin, 'psql')) ? path.join(bin, 'psql') : 'psql';
		for (const statement of sql.split(';').filter((s) => s.trim()))
			await asAccount(
				account,
				psql,
				['-X', '-q', '-h', root, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-c', statement],
				{
					cwd: root,
					timeoutMs: 30_000,
				},
			);
		// queries from the tests go through n8n's own `pg` client, as n8n's user over TCP (what n8n itself does)
		const rt = await runtime();
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const pg = require(path.join(rt.n8nDir, 'node_modules', 'pg')) as {
			Pool: new (o: object) => NonNullable<typeof pool>;
		};
		pool = new pg.Pool({ host: '127.0.0.1', port, database, user, password, max: 2 });
	} catch (e) {
		await stop();
		throw e;
	}
	const version = path.basename(path.dirname(bin));
	return {
		host: '127.0.0.1',
		port,
		database,
		user,
		password,
		runsAs: account ?? userInfo().username,
		version,
		async query<T>(text: string, params: unknown[] = []): Promise<T[]> {
			let n = 0;
			const r = await pool!.query(
				text.replace(/\?/g, () => `$${++n}`),
				params,
			);
			return r.rows as T[];
		},
		stop,
	};
}

async function accountIds(name: string): Promise<{ uid: number; gid: number }> {
	const r = await runProcess('id', ['-u', name], {
		cwd: '/',
		env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
		timeoutMs: 10_000,
	});
	const g = await runProcess('id', ['-g', name], {
		cwd: '/',
		env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
		timeoutMs: 10_000,
	});
	if (r.exitCode !== 0 || g.exitCode !== 0)
		throw new Error(`no "${name}" account: Debian's postgresql package creates it (apt-get install postgresql)`);
	return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

// ---------------------------------------------------------------------------------------------- Redis

export interface RedisServer {
	host: '127.0.0.1';
	port: number;
	version: string;
	stop(): Promise<void>;
}

/** redis-server from Debian's package on 127.0.0.1:<free port>, no persistence, its own folder. */
export async function startRedis(): Promise<RedisServer> {
	const bin = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((b) => existsSync(b));
	if (!bin)
		throw new Error('redis-server not found: install Debian\'s "redis-server" package (.ci/run does it when missing)');
	const dir = await mkdtemp(path.join(tmpdir(), 'n8n-redis-'));
	const port = await freePort();
	const conf = path.join(dir, 'redis.conf');
	await writeFile(
		conf,
		[
			`port ${port}`,
			'bind 127.0.0.1',
			'protected-mode yes',
			`dir ${dir}`,
			'save ""',
			'appendonly no',
			'daemonize no',
			'loglevel notice',
		].join('\n') + '\n',
	);
	const child: ChildProcess = spawn(bin, [conf], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	let log = '';
	child.stdout?.on('data', (c: Buffer) => (log += c.toString('utf8')));
	child.stderr?.on('data', (c: Buffer) => (log += c.toString('utf8')));
	let exited = false;
	const gone = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
	const stop = async () => {
		if (!exited && child.pid !== undefined) {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				// gone
			}
			await gone;
		}
		await rm(dir, { recursive: true, force: true });
	};
	const deadline = Date.now() + 30_000;
	while (!/Ready to accept connections/.test(log)) {
		if (exited || Date.now() > deadline) {
			await stop();
			throw new Error(`redis-server did not start:\n${log}`);
		}
		await new Promise((r) => setTimeout(r, 50));
	}
	return { host: '127.0.0.1', port, version: redisVersion(log), stop };
}

/** "7.0.15" from redis-server's start-up log ("Redis version=7.0.15, bits=64, …"; older ones print "v=6.0.16") */
export function redisVersion(log: string): string {
	return /Redis version=(\d+(?:\.\d+)*)/.exec(log)?.[1] ?? /\bv=(\d+(?:\.\d+)*)/.exec(log)?.[1] ?? 'unknown';
}

// ---------------------------------------------------------------------------------------------- n8n settings

/**
 * What every n8n process of a queue-mode deployment (main, workers, webhook processors) needs on top of the
 * harness's usual settings: the same database, the same Redis, the same encryption key (set by the harness for
 * every process), binary data in the database (n8n 2.x's default in queue mode, set explicitly: a worker's
 * batch file must be readable by every other process), production webhooks served by the webhook processors
 * only. docs/deploy.md uses exactly these names.
 */
export function queueModeEnv(pg: PostgresServer, redis: RedisServer): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: pg.host,
		DB_POSTGRESDB_PORT: String(pg.port),
		DB_POSTGRESDB_DATABASE: pg.database,
		DB_POSTGRESDB_USER: pg.user,
		DB_POSTGRESDB_PASSWORD: pg.password,
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		N8N_DEFAULT_BINARY_DATA_MODE: 'database',
		N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
		// n8n 2.41.1 still runs editor ("Run now (test)") executions in main unless told (it warns: the next major
		// always offloads them); workers are where the memory is sized for a big sync
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		EXECUTIONS_DATA_PRUNE: 'true',
	};
}
