/**
 * A key sent in an HTTP header (X-API-Key, Authorization: Bearer). A header carries ASCII: Node refuses letters
 * beyond Latin-1 with an error that does not say which credential is wrong, and sends Latin-1 ones (ó, ł is not)
 * as single bytes, so a key such as "klucz-żółty" reached the portal as another key or not at all. Refused here,
 * naming the field and what kind of character is wrong, never the key or any character of it.
 */
export function headerSecret(value: unknown, field: string): string {
	// a key pasted with a line break or spaces around it: those are never part of it
	const key = String(value ?? '').trim();
	if (!key) throw new Error(`${field} is empty: fill it in the credential`);
	for (const ch of key) {
		const code = ch.codePointAt(0)!;
		if (code >= 0x21 && code <= 0x7e) continue;
		const kind =
			code === 0x20
				? 'a space'
				: code < 0x20 || code === 0x7f
					? 'a control character (e.g. a line break)'
					: 'a letter or sign outside ASCII (e.g. ą, ł, ó or a typographic dash)';
		throw new Error(
			`${field} contains ${kind}, which an HTTP header cannot carry. Keys are ASCII letters, digits and symbols: copy the key from the portal again.`,
		);
	}
	return key;
}
