/**
 * The flow's sync state kept in the portal (nodes/shared/syncState.ts): Load Sync State → B2B Sync Guard (delta)
 * → Record Run, through the n8n-core engine. A queue-mode worker is stood for by starting every execution with
 * empty static data, which is what n8n 2.41.1 gives its workers (docs/deploy.md).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { B2bSyncGuard } from '../../nodes/B2bSyncGuard/B2bSyncGuard.node';
import { DELTA_STORE, type DeltaState } from '../../nodes/shared/delta';
import { SYNC_STATE_META, patchBodies, type SyncStateMeta } from '../../nodes/shared/syncState';
import { runNode, type RunNodeResult } from '../harness/n8n-core-harness';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { FAST_RETRY, runPortal } from './portal-helpers';

const product = (code: string, name: string) => ({ code, name, unit: 'szt.', vatRate: '23', active: true });
const catalogue = () => [
	product('ŁÓD-001', 'Łódka żółta'),
	product('ŻUK-7', 'Żuk ćwiczebny'),
	product('ŚRUBA-M8', 'Śruba źdźbłowa'),
	product('GĘŚ-2', 'Gęś ńółta'),
];
const delta = (snapshot = false): INodeParameters => ({
	resource: 'delta',
	operation: 'passChanged',
	entity: 'product',
	recordField: '',
	snapshot,
});
const load = { resource: 'syncStatus', operation: 'loadState', options: FAST_RETRY };
const record = {
	resource: 'syncStatus',
	operation: 'record',
	flow: 'Produkty → portal',
	status: 'success',
	expectedEveryMinutes: 0,
	counts: '{}',
	message: '',
	commitCursors: true,
	options: FAST_RETRY,
};

const global = (r: RunNodeResult) => (r.staticData.global ?? {}) as IDataObject;
const meta = (r: RunNodeResult) => global(r)[SYNC_STATE_META] as SyncStateMeta | undefined;
const committed = (r: RunNodeResult) =>
	((global(r)[DELTA_STORE] ?? {}) as Record<string, DeltaState>).product?.committed ?? {};
const out = (r: RunNodeResult, n = 0) => (r.output?.[n] ?? []).map((i) => i.json);

let executions = 0;

describe('Sync state in the portal (Load Sync State → … → Record Run)', () => {
	let sim: PortalSimulator;
	beforeAll(async () => {
		sim = await startPortalSimulator();
	});
	afterAll(async () => sim.close());
	beforeEach(() => sim.reset());

	/** One execution: Load, the delta guard over `records`, Record Run; static data flows from step to step. */
	async function run(
		records: object[],
		staticData: IDataObject,
		opts: { withLoad?: boolean; snapshot?: boolean } = {},
	) {
		const executionId = `run-${++executions}`;
		let data = staticData;
		let loaded: RunNodeResult | undefined;
		if (opts.withLoad !== false) {
			loaded = await runPortal(sim, load, { staticData: data, executionId, items: [{ json: { trigger: 'ząb' } }] });
			expect(loaded.error).toBeUndefined();
			data = loaded.staticData;
		}
		const guarded = await runNode({
			nodeType: new B2bSyncGuard(),
			parameters: delta(opts.snapshot),
			inputItems: records.map((json) => ({ json: json as IDataObject })),
			staticData: data,
			executionId,
		});
		expect(guarded.error).toBeUndefined();
		const recorded = await runPortal(sim, record, { staticData: guarded.staticData, executionId });
		return { loaded, guarded, recorded };
	}

	it('a worker that starts every run with empty static data continues where the last run stopped: it sends only what changed and sees what the ERP deleted — without Load it sends everything and sees no deletion', async () => {
		const first = await run(catalogue(), {});
		expect(out(first.guarded)).toHaveLength(4);
		expect(first.recorded.error).toBeUndefined();
		const stored = sim.state.syncState.get('harness-workflow')!;
		expect(stored.version).toBe(1);
		expect(Object.keys(stored.deltas.product).sort()).toEqual(['GĘŚ-2', 'ŁÓD-001', 'ŚRUBA-M8', 'ŻUK-7']);
		expect(first.recorded.output![0][0].json).toMatchObject({ syncStateVersion: 1, syncStateRequests: 1 });

		// next run on a worker: no static data at all
		const changed = catalogue();
		changed[1] = product('ŻUK-7', 'Żuk ćwiczebny — nowa nazwa');
		const second = await run(changed, {});
		expect(second.loaded!.output![0].map((i) => i.json)).toEqual([{ trigger: 'ząb' }]);
		expect(second.loaded!.output![0][0].pairedItem).toEqual({ item: 0 });
		expect(out(second.guarded).map((p) => p.code)).toEqual(['ŻUK-7']);
		expect(sim.state.syncState.get('harness-workflow')!.version).toBe(2);

		// the nightly full read (snapshot) on yet another worker: the product gone from the ERP is reported
		const third = await run(changed.slice(0, 3), {}, { snapshot: true });
		expect(out(third.guarded)).toEqual([]);
		expect(out(third.guarded, 1).map((d) => d.code)).toEqual(['GĘŚ-2']);
		expect(Object.keys(sim.state.syncState.get('harness-workflow')!.deltas.product)).not.toContain('GĘŚ-2');

		// the same flow without Load: the worker knows nothing, sends all and misses the deletion
		const blind = await run(changed.slice(0, 2), {}, { withLoad: false, snapshot: true });
		expect(out(blind.guarded)).toHaveLength(2);
		expect(out(blind.guarded, 1)).toEqual([]);
	});

	it('regular mode: the copy in static data is current, so Load costs one 304 and a run with no change writes no state', async () => {
		const first = await run(catalogue(), {});
		sim.requests.length = 0;
		const second = await run(catalogue(), first.recorded.staticData);
		expect(out(second.guarded)).toEqual([]);
		const stateCalls = sim.requests.filter((r) => r.path.startsWith('/v1/sync-state/'));
		expect(stateCalls.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 304']);
		expect(meta(second.recorded)).toEqual({ key: 'harness-workflow', version: 1 });
		expect(second.recorded.output![0][0].json.syncStateRequests).toBe(0);
	});

	it('a flow that kept its state only in n8n so far sends all of it once (the portal had none); a worker then starts from it', async () => {
		const old = await run(catalogue(), {}, { withLoad: false });
		expect(Object.keys(committed(old.recorded))).toHaveLength(4);
		expect(sim.state.syncState.size).toBe(0);

		const upgraded = await run(catalogue(), old.recorded.staticData);
		expect(out(upgraded.guarded)).toEqual([]);
		expect(sim.state.syncState.get('harness-workflow')!.deltas.product).toEqual(committed(old.recorded));

		const onWorker = await run(catalogue(), {});
		expect(out(onWorker.guarded)).toEqual([]);
	});

	it('another writer between Load and Record Run: the copy in n8n is no longer trusted, the next Load reads the whole state', async () => {
		const first = await run(catalogue(), {});
		const changed = catalogue();
		changed[0] = product('ŁÓD-001', 'Łódka zielona');
		const executionId = `run-${++executions}`;
		const loaded = await runPortal(sim, load, { staticData: first.recorded.staticData, executionId });
		const guarded = await runNode({
			nodeType: new B2bSyncGuard(),
			parameters: delta(),
			inputItems: changed.map((json) => ({ json })),
			staticData: loaded.staticData,
			executionId,
		});
		// meanwhile the same workflow's other schedule saved its state from another worker
		const other = sim.state.syncState.get('harness-workflow')!;
		sim.state.syncState.set('harness-workflow', { ...other, version: other.version + 1 });
		const recorded = await runPortal(sim, record, { staticData: guarded.staticData, executionId });
		expect(recorded.error).toBeUndefined();
		expect(sim.state.syncState.get('harness-workflow')!.version).toBe(3);
		expect(meta(recorded)!.version).toBe(0);
		sim.requests.length = 0;
		await run(catalogue(), recorded.staticData);
		const get = sim.requests.find((r) => r.method === 'GET' && r.path.startsWith('/v1/sync-state/'))!;
		expect(get.status).toBe(200);
	});

	it('a failed state write fails Record Run before the heartbeat and commits nothing; the next run sends the same records', async () => {
		await run(catalogue(), {});
		const changed = catalogue();
		changed[2] = product('ŚRUBA-M8', 'Śruba źdźbłowa nierdzewna');
		sim.faults.add({ method: 'PATCH', path: '/v1/sync-state/', kind: 'status', status: 500, times: Infinity });
		const failed = await run(changed, {});
		sim.faults.clear();
		expect(failed.recorded.error?.message).toMatch(/sync state/i);
		expect(sim.state.syncStatus.size).toBe(1); // only the first run's heartbeat
		expect(sim.state.syncState.get('harness-workflow')!.version).toBe(1);
		const retried = await run(changed, {});
		expect(out(retried.guarded).map((p) => p.code)).toEqual(['ŚRUBA-M8']);
	});

	it('large changes go in several PATCH requests of at most the limit, read positions in the last one, "__proto__" kept as a key', () => {
		const set = Object.fromEntries(['a', 'b', '__proto__', 'ć'].map((k) => [k, 'h' + k]));
		Object.defineProperty(set, '__proto__', { value: 'hp', enumerable: true });
		const bodies = patchBodies(
			{ cursors: { 'sap:stock': '2026-12-07 10:00:00' }, deltas: { stock: { set, remove: ['x'] } } },
			{ reset: true, limit: 2 },
		);
		expect(bodies).toHaveLength(3);
		expect(bodies[0].reset).toBe(true);
		expect(bodies.slice(1).every((b) => b.reset === undefined)).toBe(true);
		expect(bodies.map((b) => b.cursors)).toEqual([undefined, undefined, { 'sap:stock': '2026-12-07 10:00:00' }]);
		const keys = bodies.flatMap((b) => [...(b.deltas?.stock.remove ?? []), ...Object.keys(b.deltas?.stock.set ?? {})]);
		expect(keys).toEqual(['x', 'a', 'b', '__proto__', 'ć']);
		expect(
			bodies.every((b) => Object.keys(b.deltas?.stock.set ?? {}).length + (b.deltas?.stock.remove ?? []).length <= 2),
		).toBe(true);
		expect(JSON.parse(JSON.stringify(bodies[1])).deltas.stock.set.__proto__).toBe('hp');
	});

	it('the simulator keeps the contract: 404 before the first write, ETag/304, atomic PATCH, the 50,000-key limit, schema errors named', async () => {
		const url = `${sim.url}/v1/sync-state/${encodeURIComponent('wf/łódź 1')}`;
		const headers = { 'X-API-Key': sim.apiKey, 'Content-Type': 'application/json' };
		expect((await fetch(url, { headers })).status).toBe(404);
		const patch = (body: object) => fetch(url, { method: 'PATCH', headers, body: JSON.stringify(body) });
		const created = await patch({
			baseVersion: 0,
			cursors: { s: '1' },
			deltas: { stock: { set: { 'ŁÓD\u001fMAG': 'abc' } } },
		});
		expect(created.status).toBe(200);
		expect(created.headers.get('etag')).toBe('"1"');
		expect(await created.json()).toEqual({ key: 'wf/łódź 1', version: 1, previousVersion: 0 });
		const notModified = await fetch(url, { headers: { ...headers, 'If-None-Match': 'W/"1"' } });
		expect(notModified.status).toBe(304);
		expect(await notModified.text()).toBe('');
		const tooMany = Object.fromEntries(Array.from({ length: 50_001 }, (_, i) => [`K${i}`, 'h']));
		const refused = await patch({ baseVersion: 1, cursors: { s: '2' }, deltas: { stock: { set: tooMany } } });
		expect(refused.status).toBe(422);
		const bad = await patch({ baseVersion: 1, cursors: { s: 7 } });
		expect(bad.status).toBe(422);
		expect(JSON.stringify(await bad.json())).toContain('cursors');
		const current = await (await fetch(url, { headers })).json();
		expect(current).toEqual({
			key: 'wf/łódź 1',
			version: 1,
			cursors: { s: '1' },
			deltas: { stock: { 'ŁÓD\u001fMAG': 'abc' } },
		});
		const reset = await patch({ baseVersion: 1, reset: true, cursors: { t: '9' } });
		expect(await reset.json()).toEqual({ key: 'wf/łódź 1', version: 2, previousVersion: 1 });
		expect(await (await fetch(url, { headers })).json()).toEqual({
			key: 'wf/łódź 1',
			version: 2,
			cursors: { t: '9' },
			deltas: {},
		});
		expect(sim.contractViolations).toEqual([]);
	});
});
