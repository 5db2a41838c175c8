#!/usr/bin/env node
/**
 * The pack's command line: `npx n8n-nodes-erp-b2b <command> [flags]`. One entry per command (`setup`, `check`);
 * flags are parsed here, without a CLI framework.
 */
import { createInterface } from 'node:readline/promises';
import { check } from './check/check';
import { setup } from './setup';
import { erpNames, SetupRefused, type Choice, type Credential } from './template-set';

interface Parsed {
	flags: Record<string, string[]>;
	switches: Set<string>;
	positional: string[];
}

const SWITCHES = new Set(['update', 'activate', 'help']);

export function parseArgs(argv: string[]): Parsed {
	const flags: Record<string, string[]> = {};
	const switches = new Set<string>();
	const positional: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (!a.startsWith('--')) {
			positional.push(a);
			continue;
		}
		const eq = a.indexOf('=');
		const name = a.slice(2, eq === -1 ? undefined : eq);
		if (SWITCHES.has(name) && eq === -1) {
			switches.add(name);
			continue;
		}
		const value = eq === -1 ? argv[++i] : a.slice(eq + 1);
		if (value === undefined) throw new SetupRefused(`--${name} needs a value`);
		(flags[name] ??= []).push(value);
	}
	return { flags, switches, positional };
}

const USAGE = (erps: string[]) => `usage: n8n-nodes-erp-b2b setup --erp <${erps.join('|')}> [flags]

Imports the ERP's workflow templates, the parts they call, the watchdog, the error alert and "Check set-up" into a
running n8n through its public API, bound to the credentials that exist there. A second run changes nothing.

  --url <url>               n8n's address (default: N8N_URL, else http://localhost:5678)
  --api-key <key>           an n8n API key (Settings → n8n API); better: the N8N_API_KEY environment variable
  --erp <name>              ${erps.join(', ')}
  --variant <v>[,<v>]       where the ERP has several templates for one job: e.g. subiekt-gt --variant sql,bridge
                            (SQL reads, orders through the Sfera bridge) or --variant epp,file (EDI++ / CSV files);
                            optima --variant xml (orders as XML files); sap-b1 --variant folder (images from a folder)
  --credential <type>=<id>  the credential to bind where n8n has several of one type (repeatable)
  --update                  overwrite the workflows a previous run imported (default: leave them unchanged)
  --activate                publish every imported workflow but Check set-up, which runs by hand (default: only
                            the parts; the rest stay inactive)

usage: n8n-nodes-erp-b2b check [--url <url>] [--api-key <key>]

Checks what setup imported: every credential its workflows use is tested by n8n (the ERP logs in, the portal
answers). Prints a ✓ / ✗ table with the fix for each ✗ (Polish and English); exit code 1 when any ✗.
Inside n8n: run the imported workflow "Check set-up" (B2B Sync Guard → Set-up → Check), the same check.
`;

async function main(argv: string[]): Promise<number> {
	const [command, ...rest] = argv;
	const erps = erpNames();
	if ((command !== 'setup' && command !== 'check') || rest.includes('--help')) {
		process.stdout.write(USAGE(erps));
		return command === 'setup' || command === 'check' || command === 'help' || command === '--help' ? 0 : 2;
	}
	const { flags, switches, positional } = parseArgs(rest);
	if (positional.length) throw new SetupRefused(`unexpected argument "${positional[0]}"\n\n${USAGE(erps)}`);
	const one = (name: string) => flags[name]?.[flags[name].length - 1];
	const connection = {
		url: one('url') ?? process.env.N8N_URL ?? 'http://localhost:5678',
		apiKey: one('api-key') ?? process.env.N8N_API_KEY ?? '',
	};
	if (command === 'check') return (await check(connection)).code;
	const erp = one('erp');
	if (!erp) throw new SetupRefused(`choose the ERP: --erp ${erps.join('|')}`);
	const credentials: Record<string, string> = {};
	for (const c of flags.credential ?? []) {
		const m = /^([A-Za-z0-9_]+)=(.+)$/.exec(c);
		if (!m) throw new SetupRefused(`--credential ${c}: expected <credential type>=<credential id>, e.g. sapB1Api=12`);
		credentials[m[1]] = m[2];
	}
	const tty = process.stdin.isTTY && process.stdout.isTTY;
	await setup({
		...connection,
		erp,
		variants: (flags.variant ?? [])
			.flatMap((v) => v.split(','))
			.map((v) => v.trim())
			.filter(Boolean),
		credentials,
		update: switches.has('update'),
		activate: switches.has('activate'),
		askCredential: tty ? askCredential : undefined,
		askVariant: tty ? askVariant : undefined,
	});
	return 0;
}

async function ask(question: string, options: string[]): Promise<number | undefined> {
	const rl = createInterface({ input: process.stdin, output: process.stdout });
	try {
		const lines = options.map((o, i) => `  ${i + 1}) ${o}`).join('\n');
		const answer = await rl.question(`${question}\n${lines}\nnumber: `);
		const n = Number(answer.trim());
		return Number.isInteger(n) && n >= 1 && n <= options.length ? n - 1 : undefined;
	} finally {
		rl.close();
	}
}

async function askCredential(type: string, candidates: Credential[]): Promise<Credential | undefined> {
	const i = await ask(
		`n8n has ${candidates.length} credentials of type ${type}; bind the templates to`,
		candidates.map((c) => `"${c.name}" (${c.id})`),
	);
	return i === undefined ? undefined : candidates[i];
}

async function askVariant(choice: Choice): Promise<string | undefined> {
	const i = await ask(`which ${choice.kind} template?`, choice.variants);
	return i === undefined ? undefined : choice.variants[i];
}

if (require.main === module) {
	main(process.argv.slice(2)).then(
		(code) => process.exit(code),
		(error: Error) => {
			const command = process.argv[2] === 'check' ? 'check' : 'setup';
			process.stderr.write(`${command} ${error instanceof SetupRefused ? 'refused' : 'failed'}: ${error.message}\n`);
			process.exit(1);
		},
	);
}
