/**
 * Issue #11 part 2: a Service Layer session that expires while several requests are in flight must be
 * renewed by ONE login (per credential and process), not one per request — every login is a licensed SAP
 * session that lingers until its idle timeout. Through n8n-core's WorkflowExecute (the harness) against the
 * SAP simulator on 127.0.0.1, whose sessions here end after K requests and which counts logins per expiry.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { SapB1Api } from '../../credentials/SapB1Api.credentials';
import { odataString, slRequest } from '../../nodes/SapB1/transport';
import { runNode } from '../harness/n8n-core-harness';
import { startSapSimulator, type SapSimulator } from '../simulators/sap-b1/server';
import { out, runSap, sapCredential } from './sap-helpers';

/**
 * A probe node: reads one SAP item per input item, all at the same time (as the price read's workers do),
 * and reports each outcome as an output item, so a test sees every request's result, not only the first error.
 */
const probe: INodeType = {
	description: {
		displayName: 'SAP Probe',
		name: 'sapProbe',
		group: ['transform'],
		version: 1,
		description: 'Reads items concurrently',
		defaults: { name: 'SAP Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'sapB1Api', required: true }],
		properties: [],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const outcomes = await Promise.allSettled(
			items.map((item, i) =>
				slRequest(this, {
					method: 'GET',
					path: `/Items(${odataString(String(item.json.code))})`,
					query: { $select: 'ItemCode,ItemName' },
					itemIndex: i,
					action: `Reading item ${String(item.json.code)}`,
					policy: { maxRetries: 0 },
				}),
			),
		);
		return [
			outcomes.map((o, i) => ({
				json:
					o.status === 'fulfilled'
						? { code: o.value.body.ItemCode, name: o.value.body.ItemName }
						: {
								error: (o.reason as Error).message,
								description: (o.reason as { description?: string }).description ?? '',
								itemIndex: (o.reason as { context?: { itemIndex?: number } }).context?.itemIndex ?? -1,
							},
				pairedItem: { item: i },
			})),
		];
	},
};

const runProbe = async (sim: SapSimulator, credential: IDataObject, count: number) =>
	await runNode({
		nodeType: probe,
		parameters: {},
		inputItems: [...sim.state.items.keys()].slice(0, count).map((code) => ({ json: { code } })),
		credentials: { sapB1Api: { type: new SapB1Api(), data: credential as never } },
	});

const logins = (sim: SapSimulator) => sim.requests.filter((r) => r.path === '/Login').length;

describe('SAP B1 › single-flight re-login (issue #11)', () => {
	let sim: SapSimulator;
	beforeAll(async () => {
		sim = await startSapSimulator({
			seed: { items: 40, seed: 11 },
			clock: { start: '2026-11-26T09:00:00Z', frozen: true },
			loginDelayMs: 40,
		});
	});
	afterAll(async () => sim.close());
	beforeEach(() => sim.reset());
	afterEach(() => expect(sim.crashes).toEqual([]));

	it('many concurrent first requests with no session yet make one login, and all of them use it', async () => {
		const cred = sapCredential(sim);
		const r = await runProbe(sim, cred, 8);
		expect(r.error).toBeUndefined();
		expect(out(r).map((o) => o.error)).toEqual(Array(8).fill(undefined));
		expect(out(r).some((o) => /[ąćęłńóśźż]/i.test(String(o.name)))).toBe(true);
		expect(sim.sessions.logins).toBe(1);
		expect(sim.sessions.active).toHaveLength(1);
	});

	it.each([401, 403] as const)(
		'requests in flight that meet an expired session (%s) wait for one new login and retry with it',
		async (status) => {
			const s = await startSapSimulator({ seed: { items: 20, seed: 12 }, expireWith: status, loginDelayMs: 40 });
			try {
				const cred = sapCredential(s);
				await runProbe(s, cred, 1);
				const old = String(cred.session);
				s.sessions.expireAll();
				const r = await runProbe(s, cred, 8);
				expect(out(r).map((o) => o.error)).toEqual(Array(8).fill(undefined));
				expect(s.requests.filter((q) => q.status === status)).toHaveLength(8);
				expect(s.sessions.loginRounds).toEqual([1, 1]);
				expect(String(cred.session)).not.toBe(old);
				expect(s.sessions.active).toHaveLength(1);
			} finally {
				await s.close();
			}
		},
	);

	it('a refused login reaches every waiting request with the same message, after one login attempt, without the password', async () => {
		const cred = sapCredential(sim, { password: 'złe-hasło-żółć' });
		const r = await runProbe(sim, cred, 6);
		const errors = out(r);
		expect(logins(sim)).toBe(1);
		expect(errors.map((e) => e.itemIndex)).toEqual([0, 1, 2, 3, 4, 5]);
		for (const e of errors)
			expect(e.error).toMatch(
				/^Reading item \S+ failed.* SAP B1 login to company "SBODEMOPL" as "manager" failed \(HTTP 401/,
			);
		expect(new Set(errors.map((e) => String(e.error).replace(/^Reading item \S+/, ''))).size).toBe(1);
		expect(JSON.stringify({ errors, run: r.runData })).not.toContain('złe-hasło-żółć');
	});

	it('a session refused again right after the fresh login fails the request: one login, no loop', async () => {
		const cred = sapCredential(sim);
		await runProbe(sim, cred, 1);
		sim.reset(); // the stored session is now unknown to SAP
		// and SAP refuses every session on item reads (e.g. the user's licence was taken away)
		sim.faults.add({ path: /^\/Items\(/, kind: 'status', status: 401, times: Infinity });
		const r = await runProbe(sim, cred, 4);
		expect(logins(sim)).toBe(1);
		for (const e of out(r)) {
			expect(e.error).toMatch(/^Reading item \S+ failed: HTTP 401/);
			expect(e.description).toMatch(/refused the session even after a fresh login/);
		}
		// each request: once with the old session, once with the new one
		expect(sim.requests.filter((q) => q.path.startsWith('/Items(')).length).toBe(8);
	});
});

describe('SAP B1 › the price read (concurrency 4) against sessions that end every 37 requests', () => {
	it('logs in once per expiry, and reads every price', async () => {
		const sim = await startSapSimulator({
			seed: { items: 500, customers: 4, specialPrices: 10, seed: 37 },
			clock: { start: '2026-11-26T09:00:00Z', frozen: true },
			sessionLifetimeRequests: 37,
			loginDelayMs: 20,
		});
		try {
			const r = await runSap(sapCredential(sim), {
				resource: 'price',
				operation: 'getMany',
				cursorMode: 'all',
				priceLists: [],
				includeSpecialPrices: true,
				options: { concurrency: 4 },
			});
			expect(r.error).toBeUndefined();
			const codes = new Set(out(r).map((p) => p.productCode));
			expect(codes.size).toBe(500);
			const { logins, expiries, loginRounds } = sim.sessions;
			process.stdout.write(`price read: ${logins} logins for ${expiries} expiries\n`);
			expect(expiries).toBeGreaterThanOrEqual(10); // about 520 requests / 37
			expect(loginRounds).toEqual(Array(expiries + 1).fill(1));
			expect(logins).toBe(expiries + 1);
		} finally {
			await sim.close();
		}
	}, 120_000);
});
