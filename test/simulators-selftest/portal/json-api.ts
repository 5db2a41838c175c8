/** A JSON client for the portal simulator's self-tests: real HTTP to 127.0.0.1 with the simulator's API key. */
import type { PortalSimulator } from '../../simulators/portal/server';

/** `api(method, path, body?)` against the simulator `sim()` gives (read when called, so it can be set in beforeAll). */
export function jsonApi(sim: () => PortalSimulator) {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	return async function api(method: string, apiPath: string, body?: unknown): Promise<{ status: number; json: any }> {
		const res = await fetch(sim().url + apiPath, {
			method,
			headers: {
				Authorization: `Bearer ${sim().apiKey}`,
				...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		return { status: res.status, json: text ? JSON.parse(text) : undefined };
	};
}
