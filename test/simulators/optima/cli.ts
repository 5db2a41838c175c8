/**
 * Runs Comarch ERP Optima as the pack's tests see it, as a process (for the demo and for manual tries in n8n's
 * editor): the SQL Server simulator holding one Optima company database (`CDN` schema, test/simulators/sql-server/
 * optima) and the Optima bridge simulator (test/simulators/optima-bridge) saving its ROs into that same database,
 * so an order created through the bridge shows up in the SQL reads (status, reservations) as it would in Optima.
 *
 *   node test/simulators/optima/run-cli.mjs [--sql-port N] [--bridge-port N] [--products N]
 *
 * Also $OPTIMA_SIM_SQL_PORT, $OPTIMA_SIM_BRIDGE_PORT, $OPTIMA_SIM_PRODUCTS. Prints one JSON line —
 * {"sql":{"server","port","database","user","password","encrypt"},"bridge":{"url","apiKey"}} — the values of the two
 * n8n credentials, then serves until SIGTERM or SIGINT. The SQL simulator has no TLS: "Encrypt Connection" off.
 */
import { startOptimaBridgeSimulator, type OptimaBridgeSimulator } from '../optima-bridge/server';
import { DEFAULT_USER, SqlServerSimulator } from '../sql-server/server';
import { OPTIMA_DATABASE, addGeneratedProducts, optimaRoStore, optimaSchema, seedOptima } from '../sql-server/optima';
import { cliInt, parseCliArgs } from '../common/cli';

export interface OptimaSimulators {
	sql: SqlServerSimulator;
	bridge: OptimaBridgeSimulator;
	close(): Promise<void>;
}

export interface CliOptions {
	argv?: string[];
	env?: NodeJS.ProcessEnv;
	out?: { write(line: string): unknown };
	/** close and exit on SIGTERM / SIGINT (default true) */
	handleSignals?: boolean;
}

const FLAGS = ['sql-port', 'bridge-port', 'products'] as const;

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): Record<string, string> {
	return parseCliArgs(
		argv,
		env,
		{ 'sql-port': 'OPTIMA_SIM_SQL_PORT', 'bridge-port': 'OPTIMA_SIM_BRIDGE_PORT', products: 'OPTIMA_SIM_PRODUCTS' },
		FLAGS,
	);
}

export async function main(opts: CliOptions = {}): Promise<OptimaSimulators> {
	const a = parseArgs(opts.argv ?? process.argv.slice(2), opts.env ?? process.env);
	const db = seedOptima();
	const generated = cliInt(a.products, 'products') ?? 0;
	if (generated) addGeneratedProducts(db, generated);
	const sql = new SqlServerSimulator({
		port: cliInt(a['sql-port'], 'sql-port'),
		databases: { [OPTIMA_DATABASE]: optimaSchema(db) },
	});
	await sql.start();
	let bridge: OptimaBridgeSimulator;
	try {
		bridge = await startOptimaBridgeSimulator({
			port: cliInt(a['bridge-port'], 'bridge-port'),
			store: optimaRoStore(db),
		});
	} catch (error) {
		await sql.stop();
		throw error;
	}
	const sims: OptimaSimulators = {
		sql,
		bridge,
		async close() {
			await Promise.allSettled([bridge.close(), sql.stop()]);
		},
	};
	const line = {
		sql: {
			server: '127.0.0.1',
			port: sql.port,
			database: OPTIMA_DATABASE,
			user: DEFAULT_USER.user,
			password: DEFAULT_USER.password,
			encrypt: false,
		},
		bridge: { url: bridge.url, apiKey: bridge.apiKey },
	};
	(opts.out ?? process.stdout).write(JSON.stringify(line) + '\n');
	if (opts.handleSignals ?? true) {
		const stop = () => {
			sims.close().then(
				() => process.exit(0),
				() => process.exit(1),
			);
		};
		process.once('SIGTERM', stop);
		process.once('SIGINT', stop);
	}
	return sims;
}
