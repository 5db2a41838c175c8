/**
 * One LoginApi per expired enova365 session, shared by every request in flight (the shared single-flight renewal,
 * nodes/shared/transport/session.ts, which SAP's Service Layer uses too): a probe node sends N add-on calls at the
 * same time through the node's transport, against the enova365 simulator on 127.0.0.1.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { Enova365Api } from '../../credentials/Enova365Api.credentials';
import { enovaCall } from '../../nodes/Enova365/transport';
import { runNode } from '../harness/n8n-core-harness';
import { startEnovaSimulator, type EnovaSimulator } from '../simulators/enova365/server';
import { out } from './sap-helpers';
import { enovaCredential } from './enova-helpers';

const probe: INodeType = {
	description: {
		displayName: 'enova365 Probe',
		name: 'enovaProbe',
		group: ['transform'],
		version: 1,
		description: 'Calls the add-on concurrently',
		defaults: { name: 'enova365 Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'enova365Api', required: true }],
		properties: [],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const outcomes = await Promise.allSettled(
			items.map((item, i) =>
				enovaCall(this, {
					method: 'GetTowary',
					args: { Strona: 1, IloscNaStronie: 5, Kody: [String(item.json.code)] },
					itemIndex: i,
					action: `Reading product ${String(item.json.code)}`,
					policy: { maxRetries: 0 },
				}),
			),
		);
		return [
			outcomes.map((o, i) => ({
				json:
					o.status === 'fulfilled'
						? { name: ((o.value.Towary as IDataObject[])[0] ?? {}).Nazwa ?? null }
						: { error: (o.reason as Error).message },
				pairedItem: { item: i },
			})),
		];
	},
};

const runProbe = async (sim: EnovaSimulator, credential: IDataObject, count: number) =>
	await runNode({
		nodeType: probe,
		parameters: {},
		inputItems: sim.state.towary.slice(0, count).map((t) => ({ json: { code: t.kod } })),
		credentials: { enova365Api: { type: new Enova365Api(), data: credential as never } },
	});

describe('enova365 › single-flight re-login', () => {
	let sim: EnovaSimulator;
	beforeAll(async () => {
		sim = await startEnovaSimulator({ seed: { products: 20, seed: 5 }, loginDelayMs: 40 });
	});
	afterAll(async () => sim.close());
	beforeEach(() => sim.reset());
	afterEach(() => expect(sim.crashes).toEqual([]));

	it('concurrent first requests make one login and all use it', async () => {
		const r = await runProbe(sim, enovaCredential(sim), 8);
		expect(out(r).map((o) => o.error)).toEqual(Array(8).fill(undefined));
		expect(out(r).some((o) => /[ąćęłńóśźż]/i.test(String(o.name)))).toBe(true);
		expect(sim.sessions.logins).toBe(1);
	});

	it('requests in flight that meet an expired session wait for one new login', async () => {
		const cred = enovaCredential(sim);
		await runProbe(sim, cred, 1);
		const old = String(cred.session);
		sim.clock.advance(301_000); // past exp = iat + 300 s
		const r = await runProbe(sim, cred, 8);
		expect(out(r).map((o) => o.error)).toEqual(Array(8).fill(undefined));
		expect(sim.requests.filter((q) => q.status === 401)).toHaveLength(8);
		expect(sim.sessions.logins).toBe(2);
		expect(String(cred.session)).not.toBe(old);
	});

	it('a custom Session Expired Status is the one that renews', async () => {
		const other = await startEnovaSimulator({ seed: { products: 5 }, expiredStatus: 440, loginDelayMs: 5 });
		try {
			const cred = enovaCredential(other, 'dynamic', { sessionExpiredStatus: 440 });
			await runProbe(other, cred, 1);
			other.clock.advance(301_000);
			const r = await runProbe(other, cred, 3);
			expect(out(r).map((o) => o.error)).toEqual(Array(3).fill(undefined));
			expect(other.sessions.logins).toBe(2);
		} finally {
			await other.close();
		}
	});
});
