/**
 * Record batches: n8n's cost is per item (every item of every node is kept, paired and copied), so a
 * 300,000-row stock sync as 300,000 items spends most of its time and memory in n8n, not in the ERP or the
 * portal (bench/: 6 kB of n8n memory per item per node). An ERP read can instead put its canonical records
 * into batch items — one n8n item holding up to N records:
 *
 *   { "entity": "stock", "batch": 1, "count": 1000, "records": [ {…}, {…}, … ] }
 *
 * Every node of the pack that takes canonical records (Sync Guard, B2B Portal "Create or Update") reads both
 * forms, one record per item or batch items, and keeps the form it was given. Errors name the item and the
 * record's position in it.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

export const DEFAULT_RECORDS_PER_BATCH = 1000;

/** Whether an item is a batch of records (and not a record itself). */
export function isRecordBatch(json: IDataObject): json is IDataObject & { records: IDataObject[] } {
	return Array.isArray(json.records) && typeof json.batch === 'number' && typeof json.entity === 'string';
}

/** One record of the input, and where it came from. */
export interface InputRecord {
	json: IDataObject;
	itemIndex: number;
	/** 0-based position in its batch item; undefined when the item is the record */
	pos?: number;
}

/**
 * The records of the input items, in order: a batch item gives its records, any other item is one record.
 * Empty items (what an ERP read with "Always Output Data" gives when it found nothing) carry no record.
 * A batch entry that is not an object comes through as it is, for the caller's validation to name.
 */
export function* inputRecords(items: INodeExecutionData[]): Generator<InputRecord> {
	for (let i = 0; i < items.length; i++) {
		const json = items[i].json;
		if (isRecordBatch(json)) {
			const list = json.records;
			for (let pos = 0; pos < list.length; pos++) yield { json: list[pos], itemIndex: i, pos };
		} else if (Object.keys(json).length > 0) yield { json, itemIndex: i };
	}
}

/** "Item 3" or "Item 3, record 17" (1-based record, as a person counts) for error messages. */
export function whereIs(r: { itemIndex: number; pos?: number }): string {
	return r.pos === undefined ? `Item ${r.itemIndex}` : `Item ${r.itemIndex}, record ${r.pos + 1}`;
}

/** "input items 0 and 2", or "item 0, record 3 and item 2, record 1" when batches are involved */
export function bothAt(a: { itemIndex: number; pos?: number }, b: { itemIndex: number; pos?: number }): string {
	if (a.pos === undefined && b.pos === undefined) return `input items ${a.itemIndex} and ${b.itemIndex}`;
	return `${whereIs(a).toLowerCase()} and ${whereIs(b).toLowerCase()}`;
}

/** Whether any input item is a batch: then a node's record output is batched too. */
export function anyBatch(items: INodeExecutionData[]): boolean {
	return items.some((item) => isRecordBatch(item.json));
}

/**
 * Collects a node's output records and gives them out in the form the input had: per record, one item each
 * (paired with the input item); batched, one batch item per input batch item that produced records.
 */
export class RecordOutput {
	private readonly items: INodeExecutionData[] = [];
	private current?: { itemIndex: number; records: IDataObject[] };
	private batchNo = 0;

	constructor(
		private readonly entity: string,
		private readonly batched: boolean,
	) {}

	add(from: { itemIndex: number }, json: IDataObject): void {
		if (!this.batched) {
			this.items.push({ json, pairedItem: { item: from.itemIndex } });
			return;
		}
		if (!this.current || this.current.itemIndex !== from.itemIndex) {
			this.flush();
			this.current = { itemIndex: from.itemIndex, records: [] };
		}
		this.current.records.push(json);
	}

	/** an error item (Continue On Fail), between the batches */
	addError(from: { itemIndex: number; pos?: number }, message: string): void {
		this.flush();
		this.items.push({
			json: { error: message, ...(from.pos === undefined ? {} : { record: from.pos + 1 }) },
			pairedItem: { item: from.itemIndex },
		});
	}

	private flush(): void {
		if (!this.current) return;
		const { itemIndex, records } = this.current;
		this.current = undefined;
		if (records.length) this.items.push(batchItem(this.entity, ++this.batchNo, records, [itemIndex]));
	}

	finish(): INodeExecutionData[] {
		this.flush();
		return this.items;
	}
}

export function batchItem(entity: string, batch: number, records: IDataObject[], from: number[]): INodeExecutionData {
	return {
		json: { entity, batch, count: records.length, records },
		pairedItem: from.length === 1 ? { item: from[0] } : from.map((item) => ({ item })),
	};
}

/**
 * Where an ERP read puts its records: one item each, or batch items of `size` records. Records are handed
 * over one at a time, so a batch is closed as soon as it is full.
 */
export class RecordSink {
	readonly items: INodeExecutionData[] = [];
	private pending: IDataObject[] = [];

	constructor(
		private readonly entity: string,
		/** 0 = one item per record */
		private readonly size: number,
		private readonly itemIndex = 0,
	) {}

	add(json: IDataObject): void {
		if (this.size <= 0) {
			this.items.push({ json, pairedItem: { item: this.itemIndex } });
			return;
		}
		this.pending.push(json);
		if (this.pending.length >= this.size) this.close();
	}

	private close(): void {
		if (!this.pending.length) return;
		this.items.push(batchItem(this.entity, this.items.length + 1, this.pending, [this.itemIndex]));
		this.pending = [];
	}

	finish(): INodeExecutionData[] {
		this.close();
		return this.items;
	}
}

/** The "Output" and "Records per Batch" parameters of an ERP read. */
export function batchOutputProperties(resource: string, operations: string[], label: string): INodeProperties[] {
	const show = { show: { resource: [resource], operation: operations } };
	return [
		{
			displayName: 'Output',
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
			],
			default: 'items',
			displayOptions: show,
		},
		{
			displayName: 'Records per Batch',
			name: 'recordsPerBatch',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10000 },
			default: DEFAULT_RECORDS_PER_BATCH,
			displayOptions: { show: { ...show.show, outputMode: ['batches'] } },
		},
	];
}

/** A sink set up from the parameters of batchOutputProperties. */
export function recordSink(ctx: IExecuteFunctions, entity: string, itemIndex = 0): RecordSink {
	const mode = ctx.getNodeParameter('outputMode', itemIndex, 'items') as string;
	if (mode !== 'batches') return new RecordSink(entity, 0, itemIndex);
	const size = Math.trunc(Number(ctx.getNodeParameter('recordsPerBatch', itemIndex, DEFAULT_RECORDS_PER_BATCH)));
	return new RecordSink(entity, Number.isFinite(size) && size > 0 ? size : DEFAULT_RECORDS_PER_BATCH, itemIndex);
}
