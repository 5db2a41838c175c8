/**
 * Requests on a credential whose session lives in a hidden, expirable field, filled by the credential's
 * `preAuthentication` (the login) — the SAP B1 Service Layer's B1SESSION today. Left to n8n, renewal is per
 * request: every request that meets the expiry runs the login itself (httpRequestWithAuthentication →
 * credentialsHelper.preAuthentication), so a price read with four requests in flight against a session that
 * lasted 37 requests made 50 logins for 13 expiries (issue #11), each a licensed SAP session left to idle out.
 * Here renewal is single-flight per credential, per session value, per process:
 * - each request goes out with the credential data read just before it (n8n's `credentialsDecrypted`), so we
 *   know which session it carried, and with n8n's own re-login off (every status comes back here);
 * - the first request to meet session S expired — or to find no session at all — leads: it is sent again
 *   with the session field emptied, so n8n logs in first, stores the new session (in its database, where
 *   every later `getCredentials` reads it) and sends; the requests that met S meanwhile wait for the leader,
 *   re-read the credential and send once more with the new session;
 * - a request gets one renewal: if the session after the fresh login is refused too, the expired status goes
 *   back to the caller, which fails ("refused the session even after a fresh login") — no loop;
 * - a failed login reaches every waiting request as the same error (the login's message, never the password).
 * Waiters wait for the leader's whole request, not only its login: n8n runs both in one call.
 */
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';
import type { FullResponse, RequestContext } from './request';
import { singleFlight } from './singleFlight';

export interface SessionSettings {
	/** the credential's hidden expirable field holding the session, e.g. "session" */
	field: string;
	/** statuses that mean "this session is no longer valid", e.g. SAP's 401 and 403 */
	expiredStatus: number[];
	/** the credential data just read by the caller (saves one read); read here when absent */
	credentials?: ICredentialDataDecryptedObject;
}

/**
 * Sends the request with the stored session, renewing it (once, shared with the other requests in flight)
 * when it is missing or expired. Returns the response; a status of `expiredStatus` means the session was
 * refused even after a fresh login. Throws what n8n throws: a failed login, or a network failure.
 */
export async function sendWithSession<T>(
	ctx: RequestContext,
	credentialType: string,
	options: IHttpRequestOptions,
	session: SessionSettings,
): Promise<FullResponse<T>> {
	const ref = ctx.getNode().credentials?.[credentialType];
	const scope = `${credentialType}\u001f${ref?.id ?? ref?.name ?? ''}`;
	const read = async () => await ctx.getCredentials<ICredentialDataDecryptedObject>(credentialType);
	const valueOf = (data: ICredentialDataDecryptedObject) => String(data[session.field] ?? '');
	const send = async (data: ICredentialDataDecryptedObject) =>
		(await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			credentialType,
			{ ...options, returnFullResponse: true, ignoreHttpStatusErrors: true },
			{ credentialsDecrypted: { id: ref?.id ?? '', name: ref?.name ?? credentialType, type: credentialType, data } },
		)) as FullResponse<T>;

	let credentials = session.credentials ?? (await read());
	/** the session this request met expired */
	let expired: string | undefined;
	/** a fresh login happened for this request (its own, or the one it waited for) */
	let renewed = false;
	// at most: sent with the old session → waited for the new one → sent with it
	for (let round = 0; round < 3; round++) {
		const current = valueOf(credentials);
		if (!renewed && (current === '' || current === expired)) {
			const flight = singleFlight(
				`${scope}\u001f${current}`,
				async () => await send({ ...credentials, [session.field]: '' }),
			);
			if (flight.leader) return await flight.done;
			const failure = await flight.done.then(
				() => undefined,
				(error: unknown) => error ?? new Error('the login failed'),
			);
			credentials = await read();
			renewed = true;
			// no new session stored: the leader's login failed, and would fail for this request too
			if (failure !== undefined && valueOf(credentials) === current) throw failure;
			continue;
		}
		const response = await send(credentials);
		if (renewed || !session.expiredStatus.includes(response.statusCode)) return response;
		expired = current;
		credentials = await read();
		// renewed by another request since this one was sent: use that session, no login
		if (valueOf(credentials) !== current) renewed = true;
	}
	throw new Error('session renewal did not settle'); // not reached: every path above returns by round 3
}
