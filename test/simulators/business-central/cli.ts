/**
 * Runs the Business Central simulator as a process (for the demo and for manual tries):
 *
 *   node test/simulators/business-central/run-cli.mjs [--port N] [--items N] [--customers N] [--seed N]
 *        [--page-size N] [--environment NAME] [--token-lifetime SECONDS]
 *
 * Also $BC_SIM_PORT, $BC_SIM_ITEMS, $BC_SIM_CUSTOMERS, $BC_SIM_SEED, $BC_SIM_PAGE_SIZE, $BC_SIM_ENVIRONMENT.
 * Prints one JSON line — {"apiHost","loginHost","onPremBase","apiRoot","tenant","environment","company",
 * "companyId","clientId","clientSecret","onPremUser","onPremKey"} — then serves until SIGTERM or SIGINT.
 * Test admin (add items, stock moves, clock…): /__sim/… (admin.ts).
 */
import { cliInt, parseCliArgs } from '../common/cli';
import { startBusinessCentralSimulator, type BusinessCentralSimulator } from './server';

export interface CliOptions {
	argv?: string[];
	env?: NodeJS.ProcessEnv;
	out?: { write(line: string): unknown };
	/** close and exit on SIGTERM / SIGINT (default true) */
	handleSignals?: boolean;
}

const FLAGS = ['port', 'items', 'customers', 'seed', 'page-size', 'environment', 'token-lifetime'] as const;

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): Record<string, string> {
	return parseCliArgs(
		argv,
		env,
		{
			port: 'BC_SIM_PORT',
			items: 'BC_SIM_ITEMS',
			customers: 'BC_SIM_CUSTOMERS',
			seed: 'BC_SIM_SEED',
			'page-size': 'BC_SIM_PAGE_SIZE',
			environment: 'BC_SIM_ENVIRONMENT',
		},
		FLAGS,
	);
}

export async function main(opts: CliOptions = {}): Promise<BusinessCentralSimulator> {
	const a = parseArgs(opts.argv ?? process.argv.slice(2), opts.env ?? process.env);
	const pageSize = cliInt(a['page-size'], 'page-size');
	if (pageSize === 0) throw new Error('--page-size: at least 1');
	const sim = await startBusinessCentralSimulator({
		port: cliInt(a.port, 'port'),
		pageSize,
		environment: a.environment || undefined,
		tokenLifetimeSeconds: cliInt(a['token-lifetime'], 'token-lifetime'),
		seed: {
			items: cliInt(a.items, 'items'),
			customers: cliInt(a.customers, 'customers'),
			seed: cliInt(a.seed, 'seed'),
		},
	});
	const line = {
		apiHost: sim.apiHost,
		loginHost: sim.loginHost,
		onPremBase: sim.onPremBase,
		apiRoot: sim.apiRoot,
		tenant: sim.tenant,
		environment: sim.environment,
		company: sim.company.name,
		companyId: sim.company.id,
		clientId: sim.clientId,
		clientSecret: sim.clientSecret,
		onPremUser: sim.onPremUser,
		onPremKey: sim.onPremKey,
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
