/**
 * Proves that no credential value leaks: every secret is searched for in every collected text (outputs,
 * error messages, run data, logs) in the forms a leak takes — as is, URL-encoded (encodeURIComponent and
 * the "+" form), JSON-escaped (\uXXXX for non-ASCII, as n8n and PHP write it), base64 of the value and of
 * "user:password" (a Basic auth header), and hex. A hit names the secret's label, the form and the
 * collection where it was found, with a little context — never the secret itself.
 */

export interface Secret {
	label: string;
	value: string;
	/** for Basic auth: the user name, so that base64("user:value") is searched for too */
	user?: string;
}

export interface Collected {
	/** where the text came from, e.g. "n8n log", "execution 17 run data" */
	source: string;
	text: string;
}

export interface Leak {
	secret: string;
	form: string;
	source: string;
	context: string;
}

const jsonEscaped = (s: string) =>
	JSON.stringify(s)
		.slice(1, -1)
		.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The forms of one secret to look for (deduplicated, each at least 6 characters long). */
export function secretForms(secret: Secret): Array<{ form: string; needle: string }> {
	const v = secret.value;
	const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
	const forms: Array<[string, string]> = [
		['plain', v],
		['URL-encoded', encodeURIComponent(v)],
		['form-encoded', new URLSearchParams({ x: v }).toString().slice(2)],
		['JSON-escaped', jsonEscaped(v)],
		['JSON-escaped upper', jsonEscaped(v).replace(/\\u([0-9a-f]{4})/g, (_, h: string) => `\\u${h.toUpperCase()}`)],
		// base64 of the value anywhere in a longer base64 text: the three alignments (3 bytes = 4 characters)
		['base64', b64(v).replace(/=+$/, '')],
		['base64 (offset 1)', b64(`\0${v}`).slice(4).replace(/=+$/, '').slice(0, -2)],
		['base64 (offset 2)', b64(`\0\0${v}`).slice(4).replace(/=+$/, '').slice(0, -2)],
		['hex', Buffer.from(v, 'utf8').toString('hex')],
	];
	if (secret.user !== undefined) forms.push(['Basic auth', b64(`${secret.user}:${v}`)]);
	const seen = new Set<string>();
	return forms
		.filter(([, needle]) => needle.length >= 6 && !seen.has(needle) && seen.add(needle))
		.map(([form, needle]) => ({ form, needle }));
}

/** Every leak of every secret in every collected text (empty = clean). */
export function scanForSecrets(secrets: Secret[], collected: Collected[]): Leak[] {
	for (const s of secrets)
		if (s.value.length < 8)
			throw new Error(`secret ${s.label} is too short (${s.value.length}) to be searched for reliably`);
	const leaks: Leak[] = [];
	for (const secret of secrets)
		for (const { form, needle } of secretForms(secret))
			for (const { source, text } of collected) {
				const at = text.indexOf(needle);
				if (at < 0) continue;
				const context = `${text.slice(Math.max(0, at - 60), at)}[${secret.label}]${text.slice(at + needle.length, at + needle.length + 60)}`;
				leaks.push({ secret: secret.label, form, source, context });
			}
	return leaks;
}
