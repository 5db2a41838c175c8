/**
 * Runs the portal simulator as a process (for the demo and for manual tries):
 *
 *   node test/simulators/portal/run-cli.mjs [--port N]      (no build needed; or run the compiled cli.js)
 *
 * Port: --port N / --port=N / first numeric argument / $PORTAL_PORT / 0 (a free port).
 * Also $PORTAL_API_KEY, $PORTAL_WEBHOOK_SECRET, $PORTAL_MAX_BODY_BYTES.
 * Prints one JSON line to stdout — {"url","apiKey","webhookSecret","adminUrl"} — then serves until
 * SIGTERM or SIGINT. The /__sim/ admin endpoints are on (see admin.ts).
 */
import { startPortalSimulator, type PortalSimulator } from './server';

export interface CliOptions {
	argv?: string[];
	env?: NodeJS.ProcessEnv;
	out?: { write(line: string): unknown };
	/** close and exit on SIGTERM / SIGINT (default true) */
	handleSignals?: boolean;
}

export function parsePort(argv: string[], env: NodeJS.ProcessEnv): number {
	let raw: string | undefined;
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--port') raw = argv[i + 1];
		else if (argv[i].startsWith('--port=')) raw = argv[i].slice(7);
		else if (raw === undefined && /^\d+$/.test(argv[i])) raw = argv[i];
	}
	raw ??= env.PORTAL_PORT ?? '0';
	const port = Number(raw);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`not a port: ${raw}`);
	return port;
}

export async function main(opts: CliOptions = {}): Promise<PortalSimulator> {
	const env = opts.env ?? process.env;
	const sim = await startPortalSimulator({
		port: parsePort(opts.argv ?? process.argv.slice(2), env),
		apiKey: env.PORTAL_API_KEY || undefined,
		webhookSecret: env.PORTAL_WEBHOOK_SECRET || undefined,
		maxBodyBytes: env.PORTAL_MAX_BODY_BYTES ? Number(env.PORTAL_MAX_BODY_BYTES) : undefined,
		admin: true,
	});
	const line = {
		url: sim.url,
		apiKey: sim.apiKey,
		webhookSecret: sim.webhookSecret,
		adminUrl: `http://127.0.0.1:${sim.port}/__sim`,
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
		process.stderr.write(`portal simulator: ${String(err?.stack ?? err)}\n`);
		process.exit(1);
	});
}
