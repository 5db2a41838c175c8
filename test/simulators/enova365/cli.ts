/**
 * Runs the enova365 simulator as a process (for the demo and for manual tries):
 *
 *   node test/simulators/enova365/run-cli.mjs [--port N] [--products N] [--seed N] [--expired-status N] [--error-style string|object] [--app-token T]
 *
 * Also $ENOVA_SIM_PORT, $ENOVA_SIM_PRODUCTS, $ENOVA_SIM_SEED, $ENOVA_SIM_APP_TOKEN. Prints one JSON line —
 * {"url","appToken","database","operator","password","serviceClass"} — then serves until SIGTERM or SIGINT.
 */
import { startEnovaSimulator, type EnovaSimulator } from './server';
import { cliInt, parseCliArgs } from '../common/cli';

export interface CliOptions {
	argv?: string[];
	env?: NodeJS.ProcessEnv;
	out?: { write(line: string): unknown };
	/** close and exit on SIGTERM / SIGINT (default true) */
	handleSignals?: boolean;
}

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): Record<string, string> {
	return parseCliArgs(argv, env, {
		port: 'ENOVA_SIM_PORT',
		products: 'ENOVA_SIM_PRODUCTS',
		seed: 'ENOVA_SIM_SEED',
		'app-token': 'ENOVA_SIM_APP_TOKEN',
	});
}

export async function main(opts: CliOptions = {}): Promise<EnovaSimulator> {
	const a = parseArgs(opts.argv ?? process.argv.slice(2), opts.env ?? process.env);
	const style = a['error-style'];
	if (style !== undefined && style !== 'string' && style !== 'object')
		throw new Error(`--error-style: string or object, not ${style}`);
	const expired = cliInt(a['expired-status'], 'expired-status');
	if (expired !== undefined && (expired < 400 || expired > 599)) throw new Error('--expired-status: 400–599');
	const sim = await startEnovaSimulator({
		port: cliInt(a.port, 'port'),
		expiredStatus: expired,
		errorStyle: style as 'string' | 'object' | undefined,
		appToken: a['app-token'] || undefined,
		seed: { products: cliInt(a.products, 'products') ?? 100, seed: cliInt(a.seed, 'seed') ?? 1 },
	});
	const line = {
		url: sim.url,
		appToken: sim.appToken,
		database: sim.database,
		operator: sim.operator,
		password: sim.password,
		serviceClass: sim.serviceClass,
	};
	(opts.out ?? process.stdout).write(JSON.stringify(line) + '\n');
	if (opts.handleSignals ?? true) {
		const stop = () => {
			sim.close().then(
				() => process.exit(0),
				() => process.exit(1),
			);
		};
		process.once('SIGTERM', stop);
		process.once('SIGINT', stop);
	}
	return sim;
}

if (require.main === module) {
	main().catch((err) => {
		process.stderr.write(`enova365 simulator: ${String(err?.stack ?? err)}\n`);
		process.exit(1);
	});
}
