/**
 * Runs the SAP B1 simulator as a process (for the demo and for manual tries):
 *
 *   node test/simulators/sap-b1/run-cli.mjs [--port N] [--gateway-port N] [--items N] [--seed N] [--error-shape v1|v10] [--expire-with 401|403]
 *
 * Also $SAP_SIM_PORT, $SAP_SIM_GATEWAY_PORT, $SAP_SIM_ITEMS, $SAP_SIM_SEED, $SAP_SIM_COMPANY_DB.
 * Prints one JSON line — {"url","urlV2","gatewayUrl","companyDb","user","password"} — then serves
 * until SIGTERM or SIGINT.
 */
import { startSapSimulator, type SapSimulator } from './server';
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
		port: 'SAP_SIM_PORT',
		'gateway-port': 'SAP_SIM_GATEWAY_PORT',
		items: 'SAP_SIM_ITEMS',
		seed: 'SAP_SIM_SEED',
		'company-db': 'SAP_SIM_COMPANY_DB',
	});
}

export async function main(opts: CliOptions = {}): Promise<SapSimulator> {
	const a = parseArgs(opts.argv ?? process.argv.slice(2), opts.env ?? process.env);
	const shape = a['error-shape'];
	if (shape !== undefined && shape !== 'v1' && shape !== 'v10')
		throw new Error(`--error-shape: v1 or v10, not ${shape}`);
	const expire = a['expire-with'];
	if (expire !== undefined && expire !== '401' && expire !== '403')
		throw new Error(`--expire-with: 401 or 403, not ${expire}`);
	const sim = await startSapSimulator({
		port: cliInt(a.port, 'port'),
		gatewayPort: cliInt(a['gateway-port'], 'gateway-port'),
		companyDb: a['company-db'] || undefined,
		errorShape: shape as 'v1' | 'v10' | undefined,
		expireWith: expire ? (Number(expire) as 401 | 403) : undefined,
		seed: { items: cliInt(a.items, 'items') ?? 100, seed: cliInt(a.seed, 'seed') ?? 1 },
	});
	const user = sim.users[0];
	const line = {
		url: sim.url,
		urlV2: sim.urlV2,
		gatewayUrl: sim.gatewayUrl,
		companyDb: sim.companyDb,
		user: user.name,
		password: user.password,
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
		process.stderr.write(`sap-b1 simulator: ${String(err?.stack ?? err)}\n`);
		process.exit(1);
	});
}
