/** Calls to the enova365 simulator over real HTTP, in both login modes. */
import type { EnovaSimulator } from '../../simulators/enova365/server';

export interface Answer<T = unknown> {
	status: number;
	headers: Headers;
	body: T;
}

export async function http<T = unknown>(
	sim: EnovaSimulator,
	method: string,
	path: string,
	opts: { token?: string; body?: unknown; raw?: string; contentType?: string } = {},
): Promise<Answer<T>> {
	const headers: Record<string, string> = {};
	if (opts.token) headers.authorization = `Bearer ${opts.token}`;
	const payload = opts.raw ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined);
	if (payload !== undefined) headers['content-type'] = opts.contentType ?? 'application/json; charset=utf-8';
	const r = await fetch(`${sim.url}${path}`, { method, headers, body: payload });
	const text = await r.text();
	return { status: r.status, headers: r.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

export async function login(sim: EnovaSimulator): Promise<string> {
	const r = await http<{ Token: string }>(sim, 'POST', '/api/LoginApi', { token: sim.appToken });
	if (r.status !== 200) throw new Error(`login: ${r.status} ${JSON.stringify(r.body)}`);
	return r.body.Token;
}

/** a Dynamic WebAPI business call of the default class */
export function api<T = unknown>(
	sim: EnovaSimulator,
	token: string,
	method: 'GET' | 'POST',
	name: string,
	body?: unknown,
	query = '',
) {
	return http<T>(sim, method, `/api/B2BPortalApi/${name}${query}`, { token, body });
}

export function invoke<T = unknown>(
	sim: EnovaSimulator,
	methodName: string,
	methodArgs?: unknown,
	over: Record<string, unknown> = {},
) {
	return http<T>(sim, 'POST', '/api/MethodInvoker/InvokeServiceMethod', {
		body: {
			DatabaseHandle: sim.database,
			Operator: sim.operator,
			Password: sim.password,
			ServiceName: 'B2BPortalApi',
			MethodName: methodName,
			MethodArgs: methodArgs,
			...over,
		},
	});
}

export const zoBody = (over: Record<string, unknown> = {}) => ({
	Kontrahent: 'HURT-ŁÓDŹ',
	Magazyn: '1',
	ObcyNumer: 'B2B/2026/000123',
	Data: '2026-11-26',
	TypCen: 'Netto',
	Waluta: 'PLN',
	Uwagi: 'Zażółć gęślą jaźń',
	Pozycje: [
		{ Towar: 'ŁÓD-001', Ilosc: 2, Cena: '129,99', StawkaVAT: '23,00%' },
		{ Towar: 'USŁ-TRANSPORT', Ilosc: '1', Cena: '45.00', Rabat: '5,00%' },
	],
	...over,
});
