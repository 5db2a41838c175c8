/**
 * A stored session belongs to the login that made it. n8n keeps a credential's session in a hidden, expirable
 * field and sends that field back with every save and every credential test from the editor (measured in the
 * browser suite, issue #17): a person who changes the password, the user or the company database of an
 * existing credential and presses Save got "Connection tested successfully" from the OLD session — a wrong
 * password passed the test, and a credential moved from the test company to the production one kept working on
 * the test company until the session expired (30 minutes in SAP B1).
 *
 * So the session is stored with a fingerprint of the login fields it was made with:
 * `<session>\n<sha256(session, fields)>`. `authenticate` sends a session only while the fingerprint still matches
 * the credential's fields; otherwise it sends none, the ERP answers 401, and n8n (credential test) or the node's
 * single-flight renewal (nodes/shared/transport/session.ts) logs in again with the fields as they are now — a
 * wrong password then fails the test with the login's own message. The fingerprint is salted with the session
 * itself (random, made by the ERP), so it says nothing about the password to whoever sees the field.
 */
import { createHash } from 'node:crypto';

const SEPARATOR = '\n';

function fingerprint(session: string, fields: unknown[]): string {
	const hash = createHash('sha256').update(session);
	for (const f of fields) hash.update('\u0000').update(String(f ?? ''));
	return hash.digest('hex').slice(0, 32);
}

/** The value to store in the expirable field: the session and the fingerprint of the login fields. */
export function bindSession(session: string, fields: unknown[]): string {
	return `${session}${SEPARATOR}${fingerprint(session, fields)}`;
}

/**
 * The stored session when it was made with these login fields; undefined when it was made with other ones
 * (or stored before fingerprints, or empty): the caller then sends no session and a fresh login follows.
 */
export function boundSession(stored: unknown, fields: unknown[]): string | undefined {
	const value = typeof stored === 'string' ? stored : '';
	const at = value.lastIndexOf(SEPARATOR);
	if (at <= 0) return undefined;
	const session = value.slice(0, at);
	return value.slice(at + 1) === fingerprint(session, fields) ? session : undefined;
}
