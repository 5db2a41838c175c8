/**
 * What the simulators' command lines share (test/simulators/{sap-b1,enova365,optima}/cli.ts): `--flag value` /
 * `--flag=value` arguments, each flag also read from an environment variable when not given, and whole numbers.
 */

/**
 * `--name value` or `--name=value` → { name: value }; a flag not given is taken from its environment variable in
 * `fromEnv` (flag → variable) when that is set. With `known`, any other flag is an error.
 */
export function parseCliArgs(
	argv: string[],
	env: NodeJS.ProcessEnv,
	fromEnv: Record<string, string>,
	known?: readonly string[],
): Record<string, string> {
	const out: Record<string, string> = {};
	for (let i = 0; i < argv.length; i++) {
		const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
		if (!m || (known && !known.includes(m[1]))) throw new Error(`unknown argument: ${argv[i]}`);
		out[m[1]] = m[2] ?? argv[++i] ?? '';
	}
	for (const [flag, variable] of Object.entries(fromEnv)) {
		const v = env[variable];
		if (out[flag] === undefined && v) out[flag] = v;
	}
	return out;
}

/** a flag's value as a non-negative whole number (undefined when not given) */
export function cliInt(v: string | undefined, name: string): number | undefined {
	if (v === undefined) return undefined;
	const n = Number(v);
	if (!Number.isInteger(n) || n < 0) throw new Error(`--${name}: not a non-negative integer: ${v}`);
	return n;
}
