/**
 * The enova365 node's load options and list search (warehouses, price definitions, contractors) against the
 * simulator on 127.0.0.1, in both credential modes: the lists a consultant picks from in the editor must hold what
 * enova holds. Called through a probe node so that n8n-core supplies the credential and the request helpers.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { Enova365Api } from '../../credentials/Enova365Api.credentials';
import { searchContractors } from '../../nodes/Enova365/methods/listSearch';
import { getPriceDefinitions, getWarehouses } from '../../nodes/Enova365/methods/loadOptions';
import { runNode } from '../harness/n8n-core-harness';
import { startEnovaSimulator, type EnovaSimulator } from '../simulators/enova365/server';
import { enovaCredential } from './enova-helpers';

const probe: INodeType = {
	description: {
		displayName: 'enova365 Methods Probe',
		name: 'enovaMethodsProbe',
		group: ['transform'],
		version: 1,
		description: 'Calls the load-options and list-search methods',
		defaults: { name: 'enova365 Methods Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'enova365Api', required: true }],
		properties: [],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const ctx = this as never;
		const warehouses = await getWarehouses.call(ctx);
		const definitions = await getPriceDefinitions.call(ctx);
		const page1 = await searchContractors.call(ctx);
		const found = await searchContractors.call(ctx, 'łódź');
		return [[{ json: { warehouses, definitions, page1, found } as never }]];
	},
};

let sim: EnovaSimulator;
beforeAll(async () => {
	sim = await startEnovaSimulator({ seed: { products: 40, contractors: 150 } });
});
afterAll(async () => sim.close());

describe.each(['dynamic', 'methodInvoker'] as const)('enova365 lists in the editor (%s)', (mode) => {
	it('warehouses, price definitions and contractors come from enova, with Polish names and paging', async () => {
		const r = await runNode({
			nodeType: probe,
			parameters: {},
			credentials: { enova365Api: { type: new Enova365Api(), data: enovaCredential(sim, mode) as never } },
		});
		expect(r.error).toBeUndefined();
		const out = r.output![0][0].json as unknown as {
			warehouses: Array<{ name: string; value: string }>;
			definitions: Array<{ name: string; value: string }>;
			page1: { results: Array<{ name: string; value: string }>; paginationToken?: string };
			found: { results: Array<{ name: string; value: string }> };
		};
		expect(out.warehouses.map((w) => w.value)).toEqual(sim.state.magazyny.map((m) => m.symbol));
		expect(out.warehouses.map((w) => w.name)).toEqual(sim.state.magazyny.map((m) => `${m.symbol} – ${m.nazwa}`));
		expect(out.definitions.map((d) => d.value)).toEqual(sim.state.definicje.map((d) => d.nazwa));
		const blocked = sim.state.definicje.find((d) => d.blokada);
		if (blocked) expect(out.definitions.find((d) => d.value === blocked.nazwa)?.name).toContain('zablokowana');
		// 100 contractors a page, the next page named by the token
		expect(out.page1.results).toHaveLength(Math.min(100, sim.state.kontrahenci.length));
		expect(out.page1.paginationToken).toBe(sim.state.kontrahenci.length > 100 ? '2' : undefined);
		const wanted = sim.state.kontrahenci
			.slice(0, 100)
			.filter((k) => `${k.kod} ${k.nazwa}`.toLocaleLowerCase('pl').includes('łódź'))
			.map((k) => k.kod);
		expect(wanted.length).toBeGreaterThan(0);
		expect(out.found.results.map((k) => k.value)).toEqual(wanted);
	});
});
