/**
 * Record batches (nodes/shared/batch.ts) through the n8n-core engine: an ERP read that puts its records into
 * batch items, and every node that takes canonical records — Sync Guard (Stock Buffer, Delta) and the B2B
 * Portal's Create or Update — giving the same records, the same portal contents and errors that name the item
 * AND the record, as with one item per record.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { B2bSyncGuard } from '../../nodes/B2bSyncGuard/B2bSyncGuard.node';
import { BATCH_FILE_PROPERTY, isBatchFile, isRecordBatch } from '../../nodes/shared/batch';
import { DELTA_STORE, type DeltaState } from '../../nodes/shared/delta';
import { runNode, type RunNodeResult } from '../harness/n8n-core-harness';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { startSapSimulator, type SapSimulator } from '../simulators/sap-b1/server';
import { FAST_RETRY, runPortal } from './portal-helpers';
import { out, runSap, sapCredential } from './sap-helpers';

const stock = (productCode: string, warehouseCode: string, available: string, onHand = available) => ({
	productCode,
	warehouseCode,
	onHand,
	reserved: '0',
	available,
});
const batch = (n: number, records: object[]): INodeExecutionData => ({
	json: { entity: 'stock', batch: n, count: records.length, records: records as IDataObject[] },
});
/** a batch file as n8n-core keeps it without a storage manager (base64 in the item) */
const file = (n: number, records: object[], text = JSON.stringify(records)): INodeExecutionData => ({
	json: { entity: 'stock', batch: n, count: records.length },
	binary: {
		[BATCH_FILE_PROPERTY]: {
			data: Buffer.from(text, 'utf8').toString('base64'),
			mimeType: 'application/json',
			fileName: `stock-batch-${n}.json`,
		},
	},
});
/** the records of a batch file output item */
const fileRecords = (item: INodeExecutionData): IDataObject[] =>
	JSON.parse(Buffer.from(item.binary![BATCH_FILE_PROPERTY].data, 'base64').toString('utf8')) as IDataObject[];
const guard = (parameters: INodeParameters, inputItems: INodeExecutionData[], continueOnFail = false) =>
	runNode({ nodeType: new B2bSyncGuard(), parameters, inputItems, continueOnFail });
const jsonOf = (r: RunNodeResult, n = 0): IDataObject[] => (r.output?.[n] ?? []).map((i) => i.json);
const recordsOf = (r: RunNodeResult, n = 0): IDataObject[] =>
	(r.output?.[n] ?? []).flatMap((i) =>
		isBatchFile(i) ? fileRecords(i) : isRecordBatch(i.json) ? i.json.records : [i.json],
	);
const BUFFER = { resource: 'stock', operation: 'buffer', percent: 95, subtract: 0, minimum: 0, quantityDecimals: 0 };
const DELTA = { resource: 'delta', operation: 'passChanged', entity: 'stock', recordField: '', snapshot: true };

const first = [stock('ŁÓD-001', 'MAG-ŁÓDŹ', '100'), stock('ŻUK-7', 'MAG-ŁÓDŹ', '19')];
const second = [
	stock('ŁÓD-001', 'MAG-GDAŃSK', '10'),
	stock('GĘŚ-2', 'MAG-ŁÓDŹ', '1'),
	stock('ŚRUBA-M8', 'MAG-ŁÓDŹ', '0'),
];

let sap: SapSimulator;
let portal: PortalSimulator;
beforeAll(async () => {
	[sap, portal] = await Promise.all([startSapSimulator({ seed: { items: 25, seed: 11 } }), startPortalSimulator()]);
});
afterAll(async () => Promise.all([sap?.close(), portal?.close()]));
beforeEach(() => portal.reset());

describe('SAP B1 stock in batches', () => {
	it('gives the same records as one item per record, in items of "Records per Batch"', async () => {
		const params = { resource: 'stock', operation: 'getMany', cursorMode: 'all', warehouses: [] };
		const single = await runSap(sapCredential(sap), params);
		const batched = await runSap(sapCredential(sap), { ...params, outputMode: 'batches', recordsPerBatch: 20 });
		expect(single.error).toBeUndefined();
		expect(batched.error).toBeUndefined();
		const rows = out(single);
		expect(rows).toHaveLength(25 * 3);
		const items = out(batched);
		expect(items.map((j) => j.count)).toEqual([20, 20, 20, 15]);
		expect(items.map((j) => j.batch)).toEqual([1, 2, 3, 4]);
		expect(items.every((j) => j.entity === 'stock' && isRecordBatch(j))).toBe(true);
		const strip = (r: IDataObject) => ({ ...r, updatedAt: undefined });
		expect(items.flatMap((j) => j.records as IDataObject[]).map(strip)).toEqual(rows.map(strip));
		expect((batched.output?.[0] ?? []).map((i) => i.pairedItem)).toEqual(items.map(() => ({ item: 0 })));
	});
});

describe('SAP B1 products, prices and clients in batches', () => {
	const reads: Array<[string, INodeParameters, string]> = [
		['item', { resource: 'item', operation: 'getMany', cursorMode: 'all' }, 'product'],
		[
			'price',
			{ resource: 'price', operation: 'getMany', cursorMode: 'all', priceLists: [], includeSpecialPrices: true },
			'price',
		],
		['client', { resource: 'client', operation: 'getMany', cursorMode: 'all' }, 'client'],
	];

	it.each(reads)(
		'%s: one item per record, batches and batch files give the same records in the same order',
		async (_resource, params, entity) => {
			const single = await runSap(sapCredential(sap), params);
			const batched = await runSap(sapCredential(sap), { ...params, outputMode: 'batches', recordsPerBatch: 7 });
			const files = await runSap(sapCredential(sap), { ...params, outputMode: 'files', recordsPerBatch: 7 });
			for (const r of [single, batched, files]) expect(r.error).toBeUndefined();
			const records = out(single);
			expect(records.length).toBeGreaterThan(14);
			expect(records.some((j) => isRecordBatch(j))).toBe(false);
			expect(recordsOf(batched)).toEqual(records);
			expect(recordsOf(files)).toEqual(records);
			const heads = Array.from({ length: Math.ceil(records.length / 7) }, (_, k) => ({
				entity,
				batch: k + 1,
				count: Math.min(7, records.length - 7 * k),
			}));
			expect(jsonOf(batched).map(({ records: _r, ...head }) => head)).toEqual(heads);
			expect(jsonOf(files)).toEqual(heads);
			expect((files.output?.[0] ?? []).every((i) => isBatchFile(i))).toBe(true);
			expect((files.output?.[0] ?? []).map((i) => i.pairedItem)).toEqual(heads.map(() => ({ item: 0 })));
		},
	);
});

describe('Sync Guard with batches', () => {
	it('Stock Buffer keeps the batches: one output batch per input batch, the same figures as per record', async () => {
		const perRecord = await guard(
			BUFFER,
			[...first, ...second].map((json) => ({ json })),
		);
		const r = await guard(BUFFER, [batch(1, first), batch(2, second)]);
		expect(r.error).toBeUndefined();
		expect(jsonOf(r).map((j) => [j.batch, j.count])).toEqual([
			[1, 2],
			[2, 3],
		]);
		expect(recordsOf(r)).toEqual(jsonOf(perRecord));
		expect(recordsOf(r).map((s) => s.available)).toEqual(['95', '18', '9', '0', '0']);
		expect((r.output?.[0] ?? []).map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('Stock Buffer sums a product whose warehouses are in two batches, paired with both', async () => {
		const r = await guard({ ...BUFFER, sumWarehouses: true, sumWarehouseCode: 'ALL' }, [
			batch(1, first),
			batch(2, second),
		]);
		expect(r.error).toBeUndefined();
		expect(recordsOf(r).find((s) => s.productCode === 'ŁÓD-001')).toMatchObject({ onHand: '110', available: '104' });
		expect(r.output?.[0]).toHaveLength(1);
		expect(r.output?.[0][0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('names the item and the record of bad input; Continue On Fail puts an error item between the batches', async () => {
		const bad = [stock('ŁÓD-001', 'MAG-ŁÓDŹ', '10'), { ...stock('ŻUK-7', 'MAG-ŁÓDŹ', '5'), onHand: '3,5' }];
		const r = await guard(BUFFER, [batch(1, first), batch(2, bad)]);
		expect(r.error?.message).toBe(
			'Item 1, record 2: stock "ŻUK-7": field "onHand" must be a decimal number like "12.50", got "3,5"',
		);
		const c = await guard(BUFFER, [batch(1, first), batch(2, bad)], true);
		const items = jsonOf(c);
		expect(items.map((j) => (isRecordBatch(j) ? `batch ${j.count}` : `error ${j.record}`))).toEqual([
			'batch 2',
			'batch 1',
			'error 2',
		]);
		expect(items[2].error).toMatch(/^Item 1, record 2: stock "ŻUK-7"/);
	});

	it('Delta passes only changed records, still in batches; deletions come one per item', async () => {
		const r1 = await guard(DELTA, [batch(1, first), batch(2, second)]);
		expect(r1.error).toBeUndefined();
		expect(recordsOf(r1)).toEqual([...first, ...second]);
		// as if Record Run had committed: the pending diff becomes the committed state
		const staticData = JSON.parse(JSON.stringify(r1.staticData)) as IDataObject;
		const store = (staticData.global as IDataObject)[DELTA_STORE] as unknown as Record<string, DeltaState>;
		store.stock = { committed: store.stock.pending!.set };
		const changed = [stock('ŁÓD-001', 'MAG-ŁÓDŹ', '100'), stock('ŻUK-7', 'MAG-ŁÓDŹ', '20')];
		const r2 = await runNode({
			nodeType: new B2bSyncGuard(),
			parameters: DELTA,
			inputItems: [batch(1, changed), batch(2, second.slice(0, 2))],
			staticData,
		});
		expect(r2.error).toBeUndefined();
		expect(jsonOf(r2, 0)).toEqual([{ entity: 'stock', batch: 1, count: 1, records: [changed[1]] }]);
		expect(jsonOf(r2, 1)).toEqual([
			{ entity: 'stock', productCode: 'ŚRUBA-M8', warehouseCode: 'MAG-ŁÓDŹ', deleted: true },
		]);
	});

	it('Delta names both places of a key that comes twice across batches', async () => {
		const r = await guard(DELTA, [batch(1, first), batch(2, [second[0], first[1]])]);
		expect(r.error?.message).toBe(
			'Item 1, record 2: stock "ŻUK-7 / MAG-ŁÓDŹ" appears twice (item 0, record 2 and item 1, record 2): each key may come once per run',
		);
	});
});

describe('B2B Portal Create or Update with batches', () => {
	const upsert = { resource: 'stock', operation: 'upsert', source: 'items' };

	it('writes every record of every batch, in portal batches of its own size', async () => {
		const r = await runPortal(
			portal,
			{ ...upsert, options: { ...FAST_RETRY, batchSize: 2, output: 'summary' } },
			{ items: [batch(1, first), batch(2, second)] },
		);
		expect(r.error).toBeUndefined();
		expect(jsonOf(r)).toEqual([expect.objectContaining({ received: 5, created: 5, failed: 0, batches: 3 })]);
		expect(portal.state.stock.size).toBe(5);
		expect(portal.state.stock.get(portal.state.keys.stock(second[0]))).toMatchObject(second[0]);
		// Parallel Requests defaults to 1: one batch at a time
		expect(portal.requests.filter((q) => q.path === '/v1/stock/batch').map((q) => q.concurrent)).toEqual([1, 1, 1]);
	});

	it('Parallel Requests 2: two batches in flight at once, output in batch order, counts exact', async () => {
		const many = Array.from({ length: 10 }, (_, i) => stock(`ŻUK-${i}`, 'MAG-ŁÓDŹ', String(i)));
		portal.faults.add({ path: '/v1/stock/batch', kind: 'slow', delayMs: 150, times: 1000 });
		const r = await runPortal(
			portal,
			{ ...upsert, options: { ...FAST_RETRY, batchSize: 2, parallelRequests: 2 } },
			{ items: [batch(1, many.slice(0, 6)), batch(2, many.slice(6))] },
		);
		portal.faults.clear();
		expect(r.error).toBeUndefined();
		expect(jsonOf(r).map((j) => j.key)).toEqual(many.map((s) => `${s.productCode} @ MAG-ŁÓDŹ`));
		expect((r.output?.[0] ?? []).map((i) => i.pairedItem)).toEqual(
			[0, 0, 0, 0, 0, 0, 1, 1, 1, 1].map((item) => ({ item })),
		);
		expect(portal.state.stock.size).toBe(10);
		// each batch takes the portal 150 ms: with two in flight, a batch arrives while another is being written
		const sent = portal.requests.filter((q) => q.path === '/v1/stock/batch');
		expect(sent).toHaveLength(5);
		expect(Math.max(...sent.map((q) => q.concurrent ?? 0))).toBe(2);
	});

	it('Parallel Requests: after a failed batch no new one starts, and the error says which were written', async () => {
		const many = Array.from({ length: 10 }, (_, i) => stock(`ŁÓD-${i}`, 'MAG-ŁÓDŹ', String(i)));
		// the second request fails for good; with two in flight the first and second go out together
		portal.faults.add({ path: '/v1/stock/batch', kind: 'status', status: 502, skip: 1, times: 1000 });
		const r = await runPortal(
			portal,
			{ ...upsert, options: { ...FAST_RETRY, maxRetries: 0, batchSize: 2, parallelRequests: 2 } },
			{ items: [batch(1, many)] },
		);
		portal.faults.clear();
		expect(r.error).toBeDefined();
		const description = String((r.error as { description?: string }).description);
		expect(description).toMatch(
			/Batch 1 of 5 was written; batch 2 and later were not|Batches? [\d, ]+ of 5 (was|were) written; batch 2 was not, nor any other/,
		);
		// nothing started after the failure: at most the two first batches and the one already queued behind batch 1
		expect(portal.requests.filter((q) => q.path === '/v1/stock/batch').length).toBeLessThanOrEqual(3);
	});

	it('refuses a bad record naming item and record, and sends nothing', async () => {
		const bad = [...second.slice(0, 2), { ...second[2], available: 'dużo' }];
		const r = await runPortal(portal, { ...upsert, options: FAST_RETRY }, { items: [batch(1, first), batch(2, bad)] });
		expect(r.error?.message).toMatch(/^Item 1, record 3: stock "ŚRUBA-M8": field "available"/);
		expect(portal.requests.filter((q) => q.method === 'POST')).toEqual([]);
	});
});

describe("batch files (records in n8n's binary data storage, not in the item)", () => {
	it('SAP B1 stock: each batch a JSON file "stock-batch-N.json", the same records as one item per record', async () => {
		const params = { resource: 'stock', operation: 'getMany', cursorMode: 'all', warehouses: [] };
		const single = await runSap(sapCredential(sap), params);
		const files = await runSap(sapCredential(sap), { ...params, outputMode: 'files', recordsPerBatch: 20 });
		expect(files.error).toBeUndefined();
		const items = files.output?.[0] ?? [];
		expect(items.map((i) => i.json)).toEqual(
			[20, 20, 20, 15].map((count, k) => ({ entity: 'stock', batch: k + 1, count })),
		);
		expect(items.every(isBatchFile)).toBe(true);
		expect(items.map((i) => [i.binary!.records.fileName, i.binary!.records.mimeType])).toEqual(
			[1, 2, 3, 4].map((n) => [`stock-batch-${n}.json`, 'application/json']),
		);
		const strip = (r: IDataObject) => ({ ...r, updatedAt: undefined });
		expect(items.flatMap(fileRecords).map(strip)).toEqual(out(single).map(strip));
	});

	it('Stock Buffer and Delta read files and give files, with the same records as the in-item batches', async () => {
		const inItems = await guard(BUFFER, [batch(1, first), batch(2, second)]);
		const r = await guard(BUFFER, [file(1, first), file(2, second)]);
		expect(r.error).toBeUndefined();
		expect((r.output?.[0] ?? []).every(isBatchFile)).toBe(true);
		expect(jsonOf(r)).toEqual([
			{ entity: 'stock', batch: 1, count: 2 },
			{ entity: 'stock', batch: 2, count: 3 },
		]);
		expect(recordsOf(r)).toEqual(recordsOf(inItems));
		const summed = await guard({ ...BUFFER, sumWarehouses: true, sumWarehouseCode: 'ALL' }, [
			file(1, first),
			file(2, second),
		]);
		expect(recordsOf(summed).find((s) => s.productCode === 'ŁÓD-001')).toMatchObject({
			onHand: '110',
			available: '104',
		});
		expect(summed.output?.[0][0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);

		// pretty-printed: a file written again would be compact, so equal data means the very same file
		const inputs = [file(1, first, JSON.stringify(first, null, 2)), file(2, second, JSON.stringify(second, null, 2))];
		const d = await guard(DELTA, inputs);
		expect(d.error).toBeUndefined();
		expect((d.output?.[0] ?? []).every(isBatchFile)).toBe(true);
		expect(recordsOf(d)).toEqual([...first, ...second]);
		// every record of a file passed as it was: the output batch is the input's file, not a copy written again
		expect((d.output?.[0] ?? []).map((i) => i.binary!.records.data)).toEqual(inputs.map((i) => i.binary!.records.data));
		// a second run after Record Run with one record changed: a new file with just that record
		const staticData = JSON.parse(JSON.stringify(d.staticData)) as IDataObject;
		const store = (staticData.global as IDataObject)[DELTA_STORE] as unknown as Record<string, DeltaState>;
		store.stock = { committed: store.stock.pending!.set };
		const moved = { ...second[1], available: '0', onHand: '0' };
		const d2 = await runNode({
			nodeType: new B2bSyncGuard(),
			parameters: DELTA,
			inputItems: [file(1, first), file(2, [second[0], moved, second[2]])],
			staticData,
		});
		expect(jsonOf(d2)).toEqual([{ entity: 'stock', batch: 1, count: 1 }]);
		expect(recordsOf(d2)).toEqual([moved]);
		expect(d2.output?.[0][0].binary!.records.fileName).toBe('stock-batch-1.json');
		const twice = await guard(DELTA, [file(1, first), file(2, [second[0], first[1]])]);
		expect(twice.error?.message).toBe(
			'Item 1, record 2: stock "ŻUK-7 / MAG-ŁÓDŹ" appears twice (item 0, record 2 and item 1, record 2): each key may come once per run',
		);
	});

	it('the portal writes every record of every file; a bad record in a file is named and nothing is sent', async () => {
		const r = await runPortal(
			portal,
			{ resource: 'stock', operation: 'upsert', source: 'items', options: { ...FAST_RETRY, output: 'summary' } },
			{ items: [file(1, first), file(2, second)] },
		);
		expect(r.error).toBeUndefined();
		expect(jsonOf(r)).toEqual([expect.objectContaining({ received: 5, created: 5, failed: 0 })]);
		expect(portal.state.stock.get(portal.state.keys.stock(second[0]))).toMatchObject(second[0]);
		portal.reset();
		const bad = [...second.slice(0, 2), { ...second[2], available: 'dużo' }];
		const b = await runPortal(
			portal,
			{ resource: 'stock', operation: 'upsert', source: 'items', options: FAST_RETRY },
			{ items: [file(1, first), file(2, bad)] },
		);
		expect(b.error?.message).toMatch(/^Item 1, record 3: stock "ŚRUBA-M8": field "available"/);
		expect(portal.requests.filter((q) => q.method === 'POST')).toEqual([]);
	});

	it('a file that is not a JSON list of records is an error naming the item and the file', async () => {
		const broken = await guard(BUFFER, [file(1, first), file(2, second, '[{"productCode": "ŁÓD-001",')]);
		expect(broken.error?.message).toMatch(/^Item 1: batch file "stock-batch-2\.json" cannot be read: /);
		const notList = await guard(DELTA, [file(1, first, JSON.stringify({ records: first }))]);
		expect(notList.error?.message).toBe('Item 0: batch file "stock-batch-1.json" is not a JSON list of records');
	});
});
