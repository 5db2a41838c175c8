/**
 * The benchmark's own code paths, without n8n (the full `npm run bench -- --quick` needs a pack build and five
 * n8n start-ups, minutes on the CI machine): the floor script against the simulators, the template wiring the
 * bench applies to whatever sap-b1-stock.json currently is, the naive workflow's placeholders, and the report
 * renderer. Only shapes are checked — every figure a number — never timings.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
	benchCopy,
	naiveWorkflow,
	orderBreakdown,
	orderNumberOf,
	orderRunsSummary,
	parseArgs,
	renderReport,
	runFloor,
	stockReader,
	type BenchReport,
} from '../../bench/sync';
import { N8N_START_NODE_OPTIONS, REPO_ROOT, startNodeOptions } from '../e2e/harness/n8n-instance';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { startSapSimulator, type SapSimulator } from '../simulators/sap-b1/server';

const template = JSON.parse(
	readFileSync(path.join(REPO_ROOT, 'workflows-templates', 'sap-b1', 'sap-b1-stock.json'), 'utf8'),
);

let sap: SapSimulator;
let portal: PortalSimulator;
beforeAll(async () => {
	[sap, portal] = await Promise.all([startSapSimulator({ seed: { items: 150, seed: 3 } }), startPortalSimulator()]);
});
afterAll(async () => {
	await Promise.all([sap?.close(), portal?.close()]);
});

it('options: defaults, --quick and explicit counts', () => {
	expect(parseArgs([])).toMatchObject({ items: 100_000, orders: 500, naiveRows: 3_000, quick: false });
	expect(parseArgs(['--quick'])).toMatchObject({ quick: true, out: '' });
	expect(parseArgs(['--quick']).items).toBeLessThan(100_000);
	expect(parseArgs(['--items', '5000', '--orders', '7'])).toMatchObject({ items: 5000, orders: 7 });
	expect(parseArgs([]).orderRuns).toBe(3);
	expect(parseArgs(['--order-runs', '1']).orderRuns).toBe(1);
	expect(() => parseArgs(['--items', 'many'])).toThrow('--items needs a positive number');
});

it('the floor script moves every stock level of the SAP simulator into the portal in maximal batches', async () => {
	const r = await runFloor(sap, portal);
	expect(r.rows).toBe(150 * sap.state.warehouseOrder.length);
	expect(portal.state.stock.size).toBe(r.rows);
	for (const v of [r.ms, r.wallMs, r.peakRssMB]) expect(Number.isFinite(v)).toBe(true);
	const batches = portal.requests.filter((q) => q.path === '/v1/stock/batch');
	expect(batches.every((q) => q.status === 200 && (q.itemCount ?? 0) <= 1000)).toBe(true);
	const item = sap.state.itemsInOrder()[5];
	const s = sap.state.stockOf(item.ItemCode, '01');
	expect(
		portal.state.stock.get(portal.state.keys.stock({ productCode: item.ItemCode, warehouseCode: '01' })),
	).toMatchObject({
		onHand: String(s.InStock),
		reserved: String(s.Committed),
	});
});

it("the floor doing the guards' work (d′) writes the buffered figures the template would", async () => {
	portal.reset();
	const r = await runFloor(sap, portal, true);
	expect(r.rows).toBe(150 * sap.state.warehouseOrder.length);
	expect(portal.state.stock.size).toBe(r.rows);
	const lowered = [...sap.state.itemsInOrder()].filter((item) => {
		const s = sap.state.stockOf(item.ItemCode, '01');
		const free = Math.max(0, s.InStock - s.Committed);
		const got = portal.state.stock.get(portal.state.keys.stock({ productCode: item.ItemCode, warehouseCode: '01' }));
		expect(got?.available).toBe(String(Math.floor((free * 95) / 100)));
		return Math.floor((free * 95) / 100) < free;
	});
	expect(lowered.length).toBeGreaterThan(10);
});

it('the bench copy of the stock template: no manual or schedule trigger, a webhook into each SAP read', () => {
	const wf = benchCopy(template, 'bench', [
		{ path: 'full', to: stockReader(template, 'all') },
		{ path: 'delta', to: stockReader(template, 'stored') },
	]);
	expect(
		wf.nodes.filter((n) => ['n8n-nodes-base.manualTrigger', 'n8n-nodes-base.scheduleTrigger'].includes(n.type)),
	).toEqual([]);
	for (const [hook, mode] of [
		['full', 'all'],
		['delta', 'stored'],
	] as const) {
		const trigger = wf.nodes.find((n) => n.type === 'n8n-nodes-base.webhook' && n.parameters.path === hook)!;
		expect(trigger.parameters.responseMode).toBe('onReceived');
		const target = wf.nodes.find((n) => n.name === wf.connections[trigger.name].main[0][0].node)!;
		expect(target).toMatchObject({ type: 'n8n-nodes-erp-b2b.sapB1', parameters: { resource: 'stock' } });
		expect(target.parameters.cursorMode ?? 'stored').toBe(mode);
		expect(target.parameters.outputMode).toBe('files');
	}
	// every trigger of the template is gone from the connections too
	for (const name of Object.keys(wf.connections)) expect(wf.nodes.some((n) => n.name === name)).toBe(true);
	expect(() => stockReader({ nodes: [], connections: {} }, 'all')).toThrow('no SAP stock node');
	expect(() => benchCopy(template, 'x', [{ path: 'p', to: 'Nothing' }])).toThrow('no node "Nothing"');
});

it('the naive workflow gets every placeholder filled and makes one portal request per item', () => {
	const wf = naiveWorkflow(sap, portal);
	expect(JSON.stringify(wf)).not.toMatch(/__[A-Z_]+__/);
	const send = wf.nodes.find((n) => n.name === 'Send to portal (one request per item)')!;
	expect(send.parameters.url).toBe(`${portal.url}/v1/stock/batch`);
	expect(send.parameters.jsonBody).toContain('items: [$json]');
});

it('the report has a number in every figure and PASS/MISS for every target', () => {
	const row = (scenario: string) => ({
		scenario,
		wallMs: 1200,
		execMs: 1000,
		sapRequests: 3,
		portalRequests: 4,
		itemsWritten: 3000,
		itemsPerSec: 3000,
		peakRssMB: 500,
		mainRssMB: 400,
		note: 'ąćęłńóśźż',
	});
	const report: BenchReport = {
		when: '2026-11-26T21:00:00.000Z',
		options: { items: 1000, orders: 5, naiveRows: 300, rate: 10, quick: true },
		loadBefore: [0.5, 0.5, 0.5],
		loadAfter: [3, 1, 1],
		cpus: 2,
		rows: ['(a)', '(b)', '(c)', '(d)'].map(row),
		orders: {
			runs: [80, 95, 120].map((p95Ms) => ({
				count: 5,
				sent: 5,
				created: 5,
				p50Ms: 60,
				p95Ms,
				maxMs: 130,
				peakRssMB: 600,
				mainRssMB: 500,
				wallMs: 900,
			})),
			steps: [{ step: 'webhook sent → n8n execution started', n: 15, p50Ms: 12, p95Ms: 30 }],
		},
		targets: [
			{ what: 'full', target: '≤ 60 s', value: '1.0 s', pass: true },
			{ what: 'diagnostic ratio', target: '—', value: '1.5×' },
		],
	};
	const text = renderReport(report);
	const table = text.split('\n').filter((l) => /^\| \((a|b|c|d)\)/.test(l));
	expect(table).toHaveLength(4);
	for (const line of table) {
		const cells = line
			.split('|')
			.slice(2, 10)
			.map((c) => c.trim());
		for (const c of cells) expect(c).toMatch(/^\d+(\.\d+)?$/);
	}
	// every run's figures, and the spread of their p95
	expect(text).toContain('| 3 | 5/5 | 5 | 60 | 120 | 130 |');
	expect(text).toContain('p95 spread over the runs 80–120 ms');
	expect(text).toContain('| webhook sent → n8n execution started | 12 | 30 | 15 |');
	expect(text).toContain('| PASS |');
	// a diagnostic figure is shown without a verdict
	expect(text).toContain('| diagnostic ratio | — | 1.5× |  |');
	expect(text).toContain('MEASURED UNDER LOAD');
});

it('orders: the verdict takes the worst run, so one lucky run cannot pass the target', () => {
	const run = (p95Ms: number) => ({
		count: 5,
		sent: 5,
		created: 5,
		p50Ms: 100,
		p95Ms,
		maxMs: p95Ms,
		peakRssMB: 600,
		mainRssMB: 500,
		wallMs: 1000,
	});
	expect(orderRunsSummary([run(300), run(420), run(480)])).toEqual({ minP95: 300, maxP95: 480, pass: true });
	expect(orderRunsSummary([run(300), run(974), run(420)])).toMatchObject({ minP95: 300, maxP95: 974, pass: false });
	// a run with no order in SAP has no p95: never a pass
	expect(orderRunsSummary([run(300), run(NaN)]).pass).toBe(false);
});

it("orders: each order's time split into n8n's start, its nodes and the simulators' requests that name it", () => {
	const sentAt = Date.parse('2026-12-07T10:00:00.000Z');
	const trace = (k: number) => ({
		number: `B2B/2026/90000${k}`,
		sentAt: sentAt + k * 200,
		createdAt: sentAt + k * 200 + 150,
		execution: {
			startedAt: new Date(sentAt + k * 200 + 20).toISOString(),
			stoppedAt: new Date(sentAt + k * 200 + 200).toISOString(),
			runData: {
				'New order in portal': [
					{
						startTime: sentAt + k * 200 + 25,
						executionTime: 1,
						data: { main: [[{ json: { order: { number: `B2B/2026/90000${k}` } } }]] },
					},
				],
				'Check prices in SAP': [{ startTime: sentAt + k * 200 + 30, executionTime: 60 }],
				'Create sales order in SAP': [{ startTime: sentAt + k * 200 + 100, executionTime: 55 }],
				'Record run': [{ startTime: sentAt + k * 200 + 170, executionTime: 20 }],
			},
		},
	});
	const traces = [1, 2].map(trace);
	expect(orderNumberOf(traces[0].execution.runData)).toBe('B2B/2026/900001');
	const claim = (k: number) => ({
		method: 'POST',
		path: `/v1/orders/${encodeURIComponent(`B2B/2026/90000${k}`)}/claim`,
		ms: 2,
		at: sentAt + k * 200 + 95,
	});
	const rows = orderBreakdown(
		traces,
		[
			{ method: 'GET', path: "/Items('ŁÓD-001')", ms: 1, at: sentAt + 300 },
			{ method: 'GET', path: "/Items('ŻÓŁW-2')", ms: 3, at: sentAt + 500 },
		],
		[claim(1), claim(2)],
	);
	const row = (step: string) => rows.find((r) => r.step === step);
	expect(row('webhook sent → n8n execution started')).toMatchObject({ n: 2, p50Ms: 20, p95Ms: 20 });
	expect(row('node "Check prices in SAP"')).toMatchObject({ n: 2, p50Ms: 60, note: 'starts at +30 ms (p50)' });
	// 5 ms before the first node, 4 between the trigger and the price check, 10 up to the SAP node; Record run is after
	expect(row("n8n's own time up to the SAP order (before and between nodes)")).toMatchObject({ p50Ms: 19 });
	expect(row('webhook sent → SAP sales order stored (THE LATENCY)')).toMatchObject({ n: 2, p95Ms: 150 });
	expect(row('SAP sales order stored → execution finished')).toMatchObject({ p50Ms: 50 });
	expect(row("SAP GET /Items(…): simulator's answer time")).toMatchObject({
		n: 2,
		p95Ms: 3,
		note: '2 requests, 1.00 per order',
	});
	expect(row('webhook sent → portal POST /v1/orders/{n}/claim answered')).toMatchObject({ n: 2, p50Ms: 95 });
});

it("every n8n the harness starts gets a 1 GB machine's heap unless the caller asks for V8's default", () => {
	expect(N8N_START_NODE_OPTIONS).toBe('--max-old-space-size=512');
	expect(startNodeOptions('--require "/p/preload.cjs"')).toBe('--require "/p/preload.cjs" --max-old-space-size=512');
	expect(startNodeOptions('--require "/p/preload.cjs"', '')).toBe('--require "/p/preload.cjs"');
});
