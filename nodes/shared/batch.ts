/**
 * Record batches: n8n's cost is per item (every item of every node is kept, paired and copied), so a
 * 300,000-row stock sync as 300,000 items spends most of its time and memory in n8n, not in the ERP or the
 * portal (bench/: 6 kB of n8n memory per item per node). An ERP read can instead put its canonical records
 * into batch items — one n8n item holding up to N records, in one of two forms:
 *
 *   in the item:  { "entity": "stock", "batch": 1, "count": 1000, "records": [ {…}, {…}, … ] }
 *   as a file:    { "entity": "stock", "batch": 1, "count": 1000 }  + binary "records": stock-batch-1.json
 *
 * A batch file is a JSON list of the records kept in n8n's binary data storage (a folder in regular mode, the
 * database in queue mode), not in the execution's memory: n8n holds every node's output until the run ends
 * and saves it all, so a 300,000-row run with its records in the items holds and saves each copy of them.
 * A node reads one file at a time.
 *
 * Every node of the pack that takes canonical records (Sync Guard, B2B Portal "Create or Update") reads all
 * forms, one record per item or batch items, and keeps the form it was given. Errors name the item and the
 * record's position in it.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { BELOW_ZERO_FIELD, BelowZeroTally } from './model/stock';

export const DEFAULT_RECORDS_PER_BATCH = 1000;

/** The binary property a batch file is kept in. */
export const BATCH_FILE_PROPERTY = 'records';

/** How records travel between nodes: one item each, batch items with the records inside, batch files. */
export type RecordForm = 'items' | 'batches' | 'files';

/** Whether an item is a batch of records in the item (and not a record itself). */
export function isRecordBatch(json: IDataObject): json is IDataObject & { records: IDataObject[] } {
	return Array.isArray(json.records) && typeof json.batch === 'number' && typeof json.entity === 'string';
}

/** Whether an item is a batch file: batch header fields and the records in binary property "records". */
export function isBatchFile(item: INodeExecutionData): boolean {
	const json = item.json;
	return (
		typeof json.batch === 'number' &&
		typeof json.entity === 'string' &&
		json.records === undefined &&
		item.binary?.[BATCH_FILE_PROPERTY] !== undefined
	);
}

/** Whether an item is a batch in either form. */
export function isBatch(item: INodeExecutionData): boolean {
	return isRecordBatch(item.json) || isBatchFile(item);
}

/** The form of the input: files if any item is a batch file, else batches if any item is a batch. */
export function formOf(items: INodeExecutionData[]): RecordForm {
	let form: RecordForm = 'items';
	for (const item of items) {
		if (isBatchFile(item)) return 'files';
		if (isRecordBatch(item.json)) form = 'batches';
	}
	return form;
}

/**
 * The records of batch item `itemIndex` (read from its file if it is one), or undefined when the item is not a
 * batch. A file that is not a JSON list is an error naming the item and the file.
 */
export async function batchRecords(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	itemIndex: number,
): Promise<unknown[] | undefined> {
	const item = items[itemIndex];
	if (isRecordBatch(item.json)) return item.json.records;
	if (!isBatchFile(item)) return undefined;
	const file = item.binary![BATCH_FILE_PROPERTY];
	const name = file.fileName ?? BATCH_FILE_PROPERTY;
	let list: unknown;
	try {
		const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, BATCH_FILE_PROPERTY);
		list = JSON.parse(buffer.toString('utf8'));
	} catch (error) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Item ${itemIndex}: batch file "${name}" cannot be read: ${(error as Error).message}`,
			{
				itemIndex,
			},
		);
	}
	if (!Array.isArray(list))
		throw new NodeOperationError(
			ctx.getNode(),
			`Item ${itemIndex}: batch file "${name}" is not a JSON list of records`,
			{
				itemIndex,
			},
		);
	return list;
}

/**
 * The records input item `itemIndex` carries: a batch's records (its file read), no record for an empty item
 * (what an ERP read with "Always Output Data" gives when it found nothing), else the item itself.
 */
export async function itemRecords(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	itemIndex: number,
): Promise<unknown[]> {
	const batch = await batchRecords(ctx, items, itemIndex);
	if (batch) return batch;
	return Object.keys(items[itemIndex].json).length === 0 ? [] : [items[itemIndex].json];
}

/** One record of the input, and where it came from. */
export interface InputRecord {
	json: IDataObject;
	itemIndex: number;
	/** 0-based position in its batch item; undefined when the item is the record */
	pos?: number;
	/** how many records its batch item holds */
	of?: number;
}

/**
 * The records of the input items, in order: a batch item gives its records (a batch file is read when its turn
 * comes, so one file's records are in memory at a time), any other item is one record. Empty items (what an ERP
 * read with "Always Output Data" gives when it found nothing) carry no record. A batch entry that is not an
 * object comes through as it is, for the caller's validation to name.
 */
export async function* inputRecords(ctx: IExecuteFunctions, items: INodeExecutionData[]): AsyncGenerator<InputRecord> {
	for await (const list of inputBatches(ctx, items)) yield* list;
}

/**
 * The same records as inputRecords, one list per input item (a batch file's records, or the one record of a
 * plain item): a node that works through 100,000s of records loops over each list without an await per record
 * (measured: the per-record awaits of the async generator and the output were a quarter of the delta's time).
 */
export async function* inputBatches(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
): AsyncGenerator<InputRecord[]> {
	// the next batch file is read while this one's records are worked on (two files in memory at most)
	const load = (i: number) => {
		const p = i < items.length ? itemRecords(ctx, items, i) : Promise.resolve([]);
		p.catch(() => undefined); // handled when its turn comes
		return p;
	};
	let next = load(0);
	for (let i = 0; i < items.length; i++) {
		const list = await next;
		next = load(i + 1);
		if (!isBatch(items[i])) {
			if (list.length) yield [{ json: list[0] as IDataObject, itemIndex: i }];
			continue;
		}
		const records: InputRecord[] = new Array(list.length);
		for (let pos = 0; pos < list.length; pos++)
			records[pos] = { json: list[pos] as IDataObject, itemIndex: i, pos, of: list.length };
		yield records;
	}
}

/** "Item 3" or "Item 3, record 17" (1-based record, as a person counts) for error messages. */
export function whereIs(r: { itemIndex: number; pos?: number }): string {
	return r.pos === undefined ? `Item ${r.itemIndex}` : `Item ${r.itemIndex}, record ${r.pos + 1}`;
}

/**
 * Where a record came from as one number (for duplicate checks over 100,000s of keys: a map to the record
 * itself would keep every record of every batch file in memory until the node ends).
 */
export function packWhere(r: { itemIndex: number; pos?: number }): number {
	return r.itemIndex * 2 ** 26 + (r.pos === undefined ? 0 : r.pos + 1);
}

export function unpackWhere(n: number): { itemIndex: number; pos?: number } {
	const itemIndex = Math.floor(n / 2 ** 26);
	const p = n - itemIndex * 2 ** 26;
	return p === 0 ? { itemIndex } : { itemIndex, pos: p - 1 };
}

/** "input items 0 and 2", or "item 0, record 3 and item 2, record 1" when batches are involved */
export function bothAt(a: { itemIndex: number; pos?: number }, b: { itemIndex: number; pos?: number }): string {
	if (a.pos === undefined && b.pos === undefined) return `input items ${a.itemIndex} and ${b.itemIndex}`;
	return `${whereIs(a).toLowerCase()} and ${whereIs(b).toLowerCase()}`;
}

/** A batch item in the given form; a file is written to n8n's binary data storage. */
export async function batchItem(
	ctx: IExecuteFunctions,
	form: Exclude<RecordForm, 'items'>,
	entity: string,
	batch: number,
	records: IDataObject[],
	from: number[],
	/** more header fields (an ERP read's `negativeStock`) */
	extra?: IDataObject,
): Promise<INodeExecutionData> {
	const pairedItem = from.length === 1 ? { item: from[0] } : from.map((item) => ({ item }));
	if (form === 'batches') return { json: { entity, batch, count: records.length, ...extra, records }, pairedItem };
	const file = await ctx.helpers.prepareBinaryData(
		Buffer.from(JSON.stringify(records), 'utf8'),
		`${entity}-batch-${batch}.json`,
		'application/json',
	);
	return {
		json: { entity, batch, count: records.length, ...extra },
		binary: { [BATCH_FILE_PROPERTY]: file },
		pairedItem,
	};
}

/**
 * Output items in order, with batch files written behind: up to two writes in flight while the node works
 * on the next batch. A failed write is thrown by the next add or by finish.
 */
class OrderedItems {
	private readonly list: Array<INodeExecutionData | Promise<INodeExecutionData>> = [];
	private inFlight: Array<Promise<INodeExecutionData>> = [];

	push(item: INodeExecutionData): void {
		this.list.push(item);
	}

	async pushLater(item: Promise<INodeExecutionData>): Promise<void> {
		item.catch(() => undefined); // thrown by the await below or by all()
		this.list.push(item);
		this.inFlight.push(item);
		if (this.inFlight.length > 2) await this.inFlight.shift();
	}

	get length(): number {
		return this.list.length;
	}

	async all(): Promise<INodeExecutionData[]> {
		return await Promise.all(this.list);
	}
}

/**
 * Collects a node's output records and gives them out in the form the input had: per record, one item each
 * (paired with the input item); batched, one batch item (or file) per input batch item that produced records.
 * A batch is closed as soon as a record of another input item comes, so a file's records leave memory then.
 */
export class RecordOutput {
	private readonly items = new OrderedItems();
	private current?: { itemIndex: number; records: IDataObject[]; asIs: boolean; of?: number };
	private batchNo = 0;

	/** `inputs`: the node's input items, so that a batch file passed on whole and unchanged is not written again */
	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly entity: string,
		private readonly form: RecordForm,
		private readonly inputs?: INodeExecutionData[],
	) {}

	/**
	 * One output record from input record `from`. `asIs`: `json` is the input record itself, unchanged — when
	 * every record of an input batch file comes out as it is (a delta's full run), the output batch is that file.
	 * A promise only when the record closes the batch before it (await it then), else undefined: a loop over
	 * 100,000s of records need not await every record.
	 */
	add(
		from: { itemIndex: number; pos?: number; of?: number },
		json: IDataObject,
		asIs = false,
	): Promise<void> | undefined {
		if (this.form === 'items') {
			// a record passed on as it is keeps its item's binary data (an image's bytes: nodes/shared/images.ts)
			const binary = asIs && from.pos === undefined ? this.inputs?.[from.itemIndex]?.binary : undefined;
			this.items.push({ json, ...(binary ? { binary } : {}), pairedItem: { item: from.itemIndex } });
			return undefined;
		}
		if (!this.current || this.current.itemIndex !== from.itemIndex) return this.addToNewBatch(from, json, asIs);
		const current = this.current;
		current.asIs &&= asIs && from.pos === current.records.length;
		current.records.push(json);
		return undefined;
	}

	private async addToNewBatch(
		from: { itemIndex: number; pos?: number; of?: number },
		json: IDataObject,
		asIs: boolean,
	): Promise<void> {
		await this.flush();
		this.current = { itemIndex: from.itemIndex, records: [json], asIs: asIs && from.pos === 0, of: from.of };
	}

	/** an error item (Continue On Fail), between the batches */
	async addError(from: { itemIndex: number; pos?: number }, message: string): Promise<void> {
		await this.flush();
		this.items.push({
			json: { error: message, ...(from.pos === undefined ? {} : { record: from.pos + 1 }) },
			pairedItem: { item: from.itemIndex },
		});
	}

	private async flush(): Promise<void> {
		if (!this.current || this.form === 'items') return;
		const { itemIndex, records, asIs, of } = this.current;
		this.current = undefined;
		if (!records.length) return;
		const input = this.inputs?.[itemIndex];
		if (this.form === 'files' && asIs && records.length === of && input && isBatchFile(input)) {
			// the same records in the same order: the output batch is the input's file (stored files never change)
			const batch = ++this.batchNo;
			const file = { ...input.binary![BATCH_FILE_PROPERTY], fileName: `${this.entity}-batch-${batch}.json` };
			this.items.push({
				json: { entity: this.entity, batch, count: records.length },
				binary: { [BATCH_FILE_PROPERTY]: file },
				pairedItem: { item: itemIndex },
			});
			return;
		}
		await this.items.pushLater(batchItem(this.ctx, this.form, this.entity, ++this.batchNo, records, [itemIndex]));
	}

	async finish(): Promise<INodeExecutionData[]> {
		await this.flush();
		return await this.items.all();
	}
}

/**
 * Where an ERP read puts its records: one item each, or batch items (or files) of `size` records. Records are
 * handed over one at a time, so a batch is closed (and a file written) as soon as it is full.
 *
 * Stock levels that were below zero in the ERP (marked `_belowZero` by model/stock.ts's normaliseStock) are the
 * read's summary: each batch header counts its own (`negativeStock`, absent when 0) and names the first 20 of them
 * (`negativeStockLevels`: "ŻUK-7 / MAG"), so a Record Run can sum and name them without opening the files, and the
 * node shows the count and the first codes as a hint in its output.
 */
export class RecordSink {
	private readonly items = new OrderedItems();
	private readonly errors: INodeExecutionData[] = [];
	private pending: IDataObject[] = [];
	private pendingBelowZero = new BelowZeroTally();
	private readonly belowZero = new BelowZeroTally();

	private readonly firstBatch: number;
	private readonly hintPrefix: string;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly entity: string,
		private readonly form: RecordForm,
		private readonly size: number,
		private readonly itemIndex = 0,
		/**
		 * firstBatch: the number of this sink's first batch (a node that fills one sink per input item numbers its
		 * batches on across them); hintPrefix: put before the below-zero hint (the file's name)
		 */
		options: { firstBatch?: number; hintPrefix?: string } = {},
	) {
		this.firstBatch = options.firstBatch ?? 1;
		this.hintPrefix = options.hintPrefix ?? '';
	}

	/** how many batch items (or, one per record, items) this sink has given so far */
	get batches(): number {
		return this.items.length;
	}

	async add(json: IDataObject): Promise<void> {
		if (json[BELOW_ZERO_FIELD] !== undefined) {
			this.belowZero.add(json.productCode, json.warehouseCode);
			this.pendingBelowZero.add(json.productCode, json.warehouseCode);
		}
		if (this.form === 'items') {
			this.items.push({ json, pairedItem: { item: this.itemIndex } });
			return;
		}
		this.pending.push(json);
		if (this.pending.length >= this.size) await this.close();
	}

	/**
	 * An error item (Continue On Fail: a record that could not be mapped). One item per record: in its place
	 * among the records; batched: before the batches, so that every batch stays "Records per Batch" long.
	 */
	addError(json: IDataObject): void {
		const item = { json, pairedItem: { item: this.itemIndex } };
		if (this.form === 'items') this.items.push(item);
		else this.errors.push(item);
	}

	private async close(): Promise<void> {
		if (!this.pending.length || this.form === 'items') return;
		const records = this.pending;
		const below = this.pendingBelowZero;
		const extra = below.count ? { negativeStock: below.count, negativeStockLevels: below.codes } : undefined;
		this.pending = [];
		this.pendingBelowZero = new BelowZeroTally();
		await this.items.pushLater(
			batchItem(
				this.ctx,
				this.form,
				this.entity,
				this.firstBatch + this.items.length,
				records,
				[this.itemIndex],
				extra,
			),
		);
	}

	async finish(): Promise<INodeExecutionData[]> {
		await this.close();
		const below = this.belowZero.message();
		if (below)
			this.ctx.addExecutionHints({ message: `${this.hintPrefix}${below}`, type: 'info', location: 'outputPane' });
		return [...this.errors, ...(await this.items.all())];
	}

	/**
	 * Drops everything given so far (a file that turned out bad: nothing of it is passed on). Batch files already
	 * written stay in the execution's binary data until n8n prunes the execution; no item points to them.
	 */
	async discard(): Promise<void> {
		this.errors.length = 0;
		this.pending = [];
		this.pendingBelowZero = new BelowZeroTally();
		try {
			await this.items.all();
		} catch {
			// a failed write of a batch that is dropped anyway
		}
	}
}

/** The "Output" and "Records per Batch" parameters of an ERP read. */
export function batchOutputProperties(resource: string, operations: string[], label: string): INodeProperties[] {
	return outputProperties({ show: { resource: [resource], operation: operations } }, label);
}

/** The "Output" and "Records per Batch" parameters, shown where `show` says (a node without resources). */
export function outputProperties(
	show: { show: NonNullable<NonNullable<INodeProperties['displayOptions']>['show']> },
	label: string,
): INodeProperties[] {
	return [
		{
			displayName: 'Output',
			description:
				"One n8n item per record, or batch files of many records (for large catalogues: n8n's cost is per item)",
			name: 'outputMode',
			type: 'options',
			options: [
				{
					name: 'One Item per Record',
					value: 'items',
					description: `Each of the ${label} is one item (easiest to map and inspect)`,
				},
				{
					name: 'Batches of Records',
					value: 'batches',
					description: `Items that each hold up to "Records per Batch" ${label} in "records". For large catalogues: n8n's cost is per item. The B2B Sync Guard and B2B Portal nodes read batches as they are.`,
				},
				{
					name: 'Batch Files',
					value: 'files',
					description: `Like batches, but each batch's ${label} are a JSON file (binary "records") in n8n's binary data storage instead of the execution's memory. For 100,000+ records. The B2B Sync Guard and B2B Portal nodes read them one file at a time.`,
				},
			],
			default: 'items',
			displayOptions: show,
		},
		{
			displayName: 'Records per Batch',
			description: 'Records in each batch file',
			name: 'recordsPerBatch',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10000 },
			default: DEFAULT_RECORDS_PER_BATCH,
			displayOptions: { show: { ...show.show, outputMode: ['batches', 'files'] } },
		},
	];
}

/** The output form and batch size the parameters of batchOutputProperties / outputProperties ask for. */
export function outputChoice(ctx: IExecuteFunctions, itemIndex = 0): { form: RecordForm; size: number } {
	const mode = ctx.getNodeParameter('outputMode', itemIndex, 'items') as string;
	const form: RecordForm = mode === 'batches' || mode === 'files' ? mode : 'items';
	const size = Math.trunc(Number(ctx.getNodeParameter('recordsPerBatch', itemIndex, DEFAULT_RECORDS_PER_BATCH)));
	return { form, size: Number.isFinite(size) && size > 0 ? size : DEFAULT_RECORDS_PER_BATCH };
}

/** A sink set up from the parameters of batchOutputProperties. */
export function recordSink(ctx: IExecuteFunctions, entity: string, itemIndex = 0): RecordSink {
	const { form, size } = outputChoice(ctx, itemIndex);
	return new RecordSink(ctx, entity, form, size, itemIndex);
}
