/**
 * Whether a request goes to an ERP's own API, judged on the URL as the HTTP client will send it: resolved
 * (`..` and `.` segments applied, as axios does with `new URL`), same origin, and a path under the base path. A
 * plain prefix test on the unresolved text let SAP's `/b1s/v1/Items('X/../../../other')` carry the session cookie
 * anywhere on the host (issue #12). Every credential that adds a session or token to requests asks this first:
 * SAP B1 (the B1SESSION cookie), enova365 (the Bearer session token, the MethodInvoker password).
 */
export function isUnderBase(options: { baseURL?: string; url: string }, base: string): boolean {
	let target: URL;
	let root: URL;
	try {
		root = new URL(`${base.replace(/\/+$/, '')}/`);
		target = new URL(`${options.baseURL ?? ''}${options.url}`);
	} catch {
		return false;
	}
	return target.origin === root.origin && target.pathname.startsWith(root.pathname);
}
