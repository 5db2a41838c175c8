/**
 * Batch writes of canonical records into the portal: the logic behind "Create or Update" of products,
 * images, prices, stock, clients and order statuses, and behind the per-record writes that use the same
 * input forms (one-record items, batch items, batch files): Product → Update (Partial) and Client → Update
 * (Partial) (PATCH, the fields given only — how a product or client deleted in the ERP is deactivated or blocked
 * without losing its name) and Price → Delete (by key — how a price removed in the ERP leaves the portal).
 *
 * 1. Every record of every input item is validated and normalised first (money rounded by the
 *    configured rule). An invalid record stops the node before anything is sent, with an error naming
 *    the item, the record's ERP code and the field — unless "Continue On Fail" is on, in which case the
 *    bad records come out as error items and the good ones are sent.
 * 2. A key that appears twice (same ERP code) is an error: the ERP code is the only key, so two
 *    different records for it mean the mapping is wrong.
 * Empty input items (no fields) carry no record and are skipped.
 * 3. Records go out in batches (default 500). The portal writes a batch whole or not at all; batches are
 *    keyed upserts, so re-running after a failure converges and never duplicates.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { bothAt, isBatch, itemRecords, packWhere, unpackWhere, whereIs } from '../../shared/batch';
import { describeIssues, validateRecord } from '../../shared/model/validate';
import type { EntityName } from '../../shared/model/types';
import { readCommonOptions, optionsCollection, roundingOptionProperties } from '../../shared/options';
import { hasOwn } from '../../shared/own';
import { extractedOf } from '../../shared/transport/request';
import { portalRequest } from '../transport';

export type UpsertEntity = Extract<
	EntityName,
	'product' | 'productImage' | 'price' | 'stock' | 'client' | 'orderStatus'
>;

/** a partial update (PATCH): the code and only the fields to change; an unknown code is never created */
export type PatchEntity = Extract<EntityName, 'productPatch' | 'clientPatch'>;

/** what a batch write sends: an upsert's records, a partial update of products or clients, or price keys to delete */
export type WriteEntity = UpsertEntity | PatchEntity | 'priceKey';

export const isPatch = (entity: WriteEntity): entity is PatchEntity =>
	entity === 'productPatch' || entity === 'clientPatch';

export const UPSERT_PATH: Record<UpsertEntity, string> = {
	product: '/v1/products/batch',
	productImage: '/v1/product-images/batch',
	price: '/v1/prices/batch',
	stock: '/v1/stock/batch',
	client: '/v1/clients/batch',
	orderStatus: '/v1/order-statuses/batch',
};

/**
 * How each write goes out (docs/portal-api.yaml): method, path, and the actions its answer counts. An upsert
 * answers created / updated / unchanged; the partial update and the delete answer per record, `notFound` for a
 * code or key the portal does not have (the rest of the batch is still written).
 */
export interface WriteSpec {
	method: 'POST' | 'PATCH';
	path: string;
	/** plural for messages: "Sending products 1–500 of 1,200" */
	label: string;
	/** what one record is called in messages and in the output's `entity` */
	word: UpsertEntity;
	actions: readonly string[];
}

const UPSERT_ACTIONS = ['created', 'updated', 'unchanged'] as const;
const upsertSpec = (entity: UpsertEntity, label: string): WriteSpec => ({
	method: 'POST',
	path: UPSERT_PATH[entity],
	label,
	word: entity,
	actions: UPSERT_ACTIONS,
});

/** a partial update goes to the upsert's path with PATCH and answers per record */
const patchSpec = (word: 'product' | 'client', label: string): WriteSpec => ({
	method: 'PATCH',
	path: UPSERT_PATH[word],
	label,
	word,
	actions: ['updated', 'unchanged', 'notFound'],
});

export const WRITES: Record<WriteEntity, WriteSpec> = {
	product: upsertSpec('product', 'products'),
	productImage: upsertSpec('productImage', 'product images'),
	price: upsertSpec('price', 'prices'),
	stock: upsertSpec('stock', 'stock levels'),
	client: upsertSpec('client', 'clients'),
	orderStatus: upsertSpec('orderStatus', 'order statuses'),
	productPatch: patchSpec('product', 'product updates'),
	clientPatch: patchSpec('client', 'client updates'),
	priceKey: {
		method: 'POST',
		path: '/v1/prices/batch/delete',
		label: 'price deletions',
		word: 'price',
		actions: ['deleted', 'notFound'],
	},
};

/** The identity of a record at the portal (docs/portal-api.yaml, "The ERP's code is the key"). */
export function recordKey(entity: WriteEntity, r: IDataObject): string {
	switch (entity) {
		case 'product':
		case 'productPatch':
		case 'client':
		case 'clientPatch':
			return String(r.code);
		case 'productImage':
			return `${String(r.productCode)} #${String(r.position)}`;
		case 'price':
		case 'priceKey':
			return [r.productCode, r.scope, r.scopeCode, r.currency, r.minQuantity ?? '1', r.validFrom ?? 'open']
				.map(String)
				.join(' / ');
		case 'stock':
			return `${String(r.productCode)} @ ${String(r.warehouseCode)}`;
		case 'orderStatus':
			return String(r.orderNumber);
	}
}

export const DEFAULT_BATCH_SIZE = 500;
const MAX_PARALLEL = 4;
const MAX_BATCH_SIZE = 1000;

export function upsertProperties(
	resource: string,
	entity: WriteEntity,
	operation = 'upsert',
	fields: INodeProperties[] = [],
	/** options of this operation only (e.g. what a code the portal does not have means) */
	extraOptions: INodeProperties[] = [],
): INodeProperties[] {
	const write = WRITES[entity];
	const show = { show: { resource: [resource], operation: [operation] } };
	const fieldsSource = fields.length
		? [
				{
					name: 'Fields Below',
					value: 'fields',
					description: 'One record per input item, from the fields below (expressions welcome)',
				},
			]
		: [];
	return [
		// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- default depends on the operation
		{
			displayName: 'Records From',
			description: 'Where the records to send come from',
			name: 'source',
			type: 'options',
			options: [
				{
					name: 'Each Input Item',
					value: 'items',
					description: 'Each incoming item is one record with the canonical field names (see docs/canonical-model.md)',
				},
				{
					name: 'JSON List',
					value: 'json',
					description: 'A list of records written below or taken from an expression',
				},
				...fieldsSource,
			],
			default: fields.length ? 'fields' : 'items',
			displayOptions: show,
		},
		...fields.map((f) => ({ ...f, displayOptions: { show: { ...show.show, source: ['fields'] } } })),
		{
			displayName: 'Records (JSON)',
			name: 'records',
			type: 'json',
			default: '[]',
			required: true,
			description: `A JSON list of ${entity === 'priceKey' ? 'price keys' : isPatch(entity) ? `${write.word} changes` : write.label} (or one object)`,
			displayOptions: { show: { ...show.show, source: ['json'] } },
		},
		optionsCollection(show, [
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_BATCH_SIZE },
				default: DEFAULT_BATCH_SIZE,
				description: 'Records per request to the portal (each batch is written whole or not at all)',
			},
			{
				displayName: 'Parallel Requests',
				name: 'parallelRequests',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_PARALLEL },
				default: 1,
				description:
					'Batches sent at the same time (1–4). 2 lets the portal write one batch while the next is prepared; after a failure no further batch is started.',
			},
			{
				displayName: 'Output',
				description: 'One output item per record with what happened to it, or one summary item with the counts',
				name: 'output',
				type: 'options',
				options: [
					{
						name: 'One Item per Record',
						value: 'records',
						description: `Key and whether it was ${write.actions.slice(0, -1).join(', ')} or ${write.actions.at(-1)}`,
					},
					{ name: 'Summary Only', value: 'summary', description: 'One item with the counts' },
				],
				default: 'records',
			},
			...extraOptions,
			...(entity === 'priceKey' ? [] : roundingOptionProperties),
		]),
	];
}

/** what each partial update is for, in the words of the delta's deletion it was made for */
const PATCH_GOAL: Record<PatchEntity, { word: string; Word: string; goal: string; deletion: string }> = {
	productPatch: {
		word: 'product',
		Word: 'Product',
		goal: 'the product does not show (deactivating a product deleted in the ERP)',
		deletion: 'deactivating products deleted in the ERP',
	},
	clientPatch: {
		word: 'client',
		Word: 'Client',
		goal: 'the client cannot order (blocking a client deleted in the ERP)',
		deletion: 'blocking clients deleted in the ERP',
	},
};

/** Product / Client → Update (Partial): what a code the portal does not have means (the portal never creates it) */
export function notFoundOption(entity: PatchEntity): INodeProperties {
	const { word, goal } = PATCH_GOAL[entity];
	return {
		displayName: 'Code Not in Portal',
		name: 'notFound',
		type: 'options',
		options: [
			{
				name: 'Fail the Item',
				value: 'error',
				description:
					'The item fails with an error naming the code (with Continue On Fail: an error item); the other records are written',
			},
			{
				name: 'Pass On',
				value: 'output',
				description: `The record comes out with action "notFound" and counts in the summary: right when the goal is only that ${goal}`,
			},
		],
		default: 'error',
		description: `What happens when the portal has no ${word} with the code: it is never created by a partial update`,
	};
}

interface PendingRecord {
	itemIndex: number;
	/** position in a batch item (nodes/shared/batch.ts) */
	pos?: number;
	key: string;
	value: IDataObject;
}

async function readRecords(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	itemIndex: number,
	fieldNames: string[],
): Promise<unknown[]> {
	const source = ctx.getNodeParameter('source', itemIndex, 'items') as string;
	// an empty item is what an ERP read with "Always Output Data" gives when it found nothing: no record, so a
	// template needs no per-item If node in front of this one (measured: the If cost most of a 30,000-row sync)
	if (source === 'items') return await itemRecords(ctx, items, itemIndex);
	if (source === 'fields') {
		const record: IDataObject = {};
		for (const name of fieldNames) {
			const value = ctx.getNodeParameter(name, itemIndex, '') as unknown;
			if (value !== '' && value !== undefined && value !== null) record[name] = value as IDataObject[string];
		}
		return [record];
	}
	let raw = ctx.getNodeParameter('records', itemIndex, '[]') as unknown;
	if (typeof raw === 'string') {
		try {
			raw = JSON.parse(raw);
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), `Records (JSON) is not valid JSON: ${(error as Error).message}`, {
				itemIndex,
			});
		}
	}
	return Array.isArray(raw) ? raw : [raw];
}

export async function executeUpsert(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	entity: WriteEntity,
	/** parameter names of the "Fields Below" source, named as the canonical fields */
	fieldNames: string[] = [],
): Promise<INodeExecutionData[]> {
	const write = WRITES[entity];
	const started = Date.now();
	const continueOnFail = this.continueOnFail();
	const out: INodeExecutionData[] = [];
	const pending: PendingRecord[] = [];
	const seen = new Map<string, number>();
	const common = readCommonOptions(this, 0);
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const batchSize = Math.min(MAX_BATCH_SIZE, Math.max(1, Number(options.batchSize ?? DEFAULT_BATCH_SIZE)));
	const summaryOnly = options.output === 'summary';
	const parallel = Math.min(MAX_PARALLEL, Math.max(1, Math.trunc(Number(options.parallelRequests ?? 1)) || 1));
	// a partial update never creates: by default a code the portal does not have fails its item
	const notFoundFails = isPatch(entity) && options.notFound !== 'output';
	const notFound: PendingRecord[] = [];
	let failed = 0;

	const fail = (error: Error, itemIndex: number) => {
		failed++;
		out.push(errorItem(error, itemIndex));
	};

	// 1. validate everything before sending anything
	for (let i = 0; i < items.length; i++) {
		let records: unknown[];
		try {
			records = await readRecords(this, items, i, fieldNames);
		} catch (error) {
			if (!continueOnFail) throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: i });
			fail(error as Error, i);
			continue;
		}
		const batched = isBatch(items[i]);
		for (let pos = 0; pos < records.length; pos++) {
			const raw = records[pos];
			const at = { itemIndex: i, pos: batched ? pos : undefined };
			const where = whereIs(at);
			const result = validateRecord(entity, raw, { moneyDecimals: common.moneyDecimals, rounding: common.rounding });
			let problem: string | undefined;
			let key = '';
			if (!result.ok) problem = describeIssues(entity, result);
			else {
				key = recordKey(entity, result.value as unknown as IDataObject);
				const first = seen.get(key);
				if (first !== undefined)
					problem = `${write.word} "${key}" appears twice (${bothAt(unpackWhere(first), at)}): the ERP code is the only key, so each may be sent once per run`;
				else seen.set(key, packWhere(at));
			}
			if (problem) {
				const error = new NodeOperationError(this.getNode(), `${where}: ${problem}`, {
					itemIndex: i,
					description: 'Nothing was sent to the portal. Fix the mapping or the ERP data and run again.',
				});
				if (!continueOnFail) throw error;
				fail(error, i);
				continue;
			}
			pending.push({
				itemIndex: i,
				pos: batched ? pos : undefined,
				key,
				value: result.value as unknown as IDataObject,
			});
		}
	}

	// 2. send in batches: up to `parallel` requests in flight (the portal spends its time writing while we
	// prepare the next body); outputs keep the batch order; after a failure no new batch is started
	const counts: Record<string, number> = Object.fromEntries(write.actions.map((a) => [a, 0]));
	const batches = Math.ceil(pending.length / batchSize);
	const results: INodeExecutionData[][] = [];
	const written: number[] = [];
	let next = 0;
	let failure: { error: unknown; b: number } | undefined;
	const sendBatch = async (b: number) => {
		const batch = pending.slice(b * batchSize, (b + 1) * batchSize);
		const range = `${b * batchSize + 1}–${b * batchSize + batch.length} of ${pending.length}`;
		const here: INodeExecutionData[] = (results[b] = []);
		try {
			const response = await portalRequest<{ results?: Array<{ index: number; action: string }> }>(this, {
				method: write.method,
				path: write.path,
				body: { items: batch.map((r) => r.value) },
				itemIndex: batch[0].itemIndex,
				action: `Sending ${write.label} ${range}`,
				policy: common.policy,
			});
			written.push(b);
			const actions: string[] = [];
			for (const r of response.body?.results ?? []) if (typeof r.index === 'number') actions[r.index] = r.action;
			batch.forEach((record, j) => {
				const action = actions[j] ?? 'written';
				if (action === 'notFound' && notFoundFails) {
					notFound.push(record);
					if (continueOnFail) {
						failed++;
						here.push(errorItem(notFoundError(this, record, entity as PatchEntity), record.itemIndex));
					}
					return;
				}
				// the portal's word: own keys only (an action "constructor" counts nowhere)
				if (hasOwn(counts, action)) counts[action]++;
				if (!summaryOnly)
					here.push({
						json: { entity: write.word, key: record.key, action },
						pairedItem: { item: record.itemIndex },
					});
			});
		} catch (error) {
			if (!continueOnFail) {
				if (!failure || b < failure.b) failure = { error, b };
				return;
			}
			const named = nameRejectedRecords(this, error, batch, b, written, batches, write.word);
			for (const record of batch) {
				failed++;
				here.push(errorItem(named, record.itemIndex));
			}
		}
	};
	const worker = async () => {
		while (!failure && next < batches) await sendBatch(next++);
	};
	await Promise.all(Array.from({ length: Math.min(parallel, batches) }, worker));
	if (failure) {
		const batch = pending.slice(failure.b * batchSize, (failure.b + 1) * batchSize);
		throw nameRejectedRecords(this, failure.error, batch, failure.b, written, batches, write.word);
	}
	if (notFound.length && !continueOnFail) {
		const error = notFoundError(this, notFound[0], entity as PatchEntity);
		const others = notFound.length - 1;
		const named = notFound
			.slice(1, 21)
			.map((r) => r.key)
			.join(', ');
		error.description = [
			others ? `${others} more missing from the portal: ${named}${others > 20 ? ', …' : ''}.` : '',
			`The other records were written (${pending.length - notFound.length} of ${pending.length}).`,
			error.description ?? '',
		]
			.filter(Boolean)
			.join('\n');
		throw error;
	}
	for (const list of results) if (list) out.push(...list);

	if (summaryOnly) {
		out.push({
			json: {
				entity: write.word,
				received: pending.length + failed,
				...counts,
				failed,
				batches,
				durationMs: Date.now() - started,
			},
			pairedItem: items.map((_, i) => ({ item: i })),
		});
	}
	return out;
}

/** a partial update of a code the portal does not have: nothing was changed for it, and it was not created */
function notFoundError(ctx: IExecuteFunctions, record: PendingRecord, entity: PatchEntity): NodeOperationError {
	const { word, Word, deletion } = PATCH_GOAL[entity];
	return new NodeOperationError(
		ctx.getNode(),
		`${whereIs(record)}: ${word} "${record.key}" is not in the portal: nothing was changed for it (a partial update never creates a ${word})`,
		{
			itemIndex: record.itemIndex,
			description: `Send the full ${word} with ${Word} → Create or Update to create it, or set Options → Code Not in Portal → Pass On when a missing ${word} is fine (e.g. ${deletion}).`,
		},
	);
}

function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const description = (error as NodeOperationError).description;
	return { json: { error: error.message, ...(description ? { description } : {}) }, pairedItem: { item: itemIndex } };
}

/** Adds which input item and ERP code the portal's 422 details point at, and what was and wasn't written. */
function nameRejectedRecords(
	ctx: IExecuteFunctions,
	error: unknown,
	batch: PendingRecord[],
	batchIndex: number,
	/** the batches the portal accepted (0-based) */
	writtenBatches: number[],
	batches: number,
	entity: UpsertEntity,
): NodeApiError | NodeOperationError {
	if (!(error instanceof NodeApiError)) {
		if (error instanceof NodeOperationError) return error;
		return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: batch[0].itemIndex });
	}
	const extracted = extractedOf(error);
	const named = (extracted?.details ?? [])
		.filter((d) => d.index !== undefined && batch[d.index])
		.map((d) => {
			const rec = batch[d.index as number];
			return `${whereIs(rec).toLowerCase()}, ${entity} "${rec.key}"${d.field ? `, field "${d.field}"` : ''}: ${d.message}`;
		});
	const done = [...writtenBatches].sort((x, y) => x - y);
	const prefix = done.length === batchIndex && done.every((b, i) => b === i);
	const again = 'Running again is safe (upserts are keyed by ERP code).';
	const written =
		done.length === 0
			? 'Nothing was written.'
			: prefix
				? `${batchIndex === 1 ? `Batch 1 of ${batches} was` : `Batches 1–${batchIndex} of ${batches} were`} written; batch ${batchIndex + 1} and later were not. ${again}`
				: `Batch${done.length === 1 ? '' : 'es'} ${done.map((b) => b + 1).join(', ')} of ${batches} ${done.length === 1 ? 'was' : 'were'} written; batch ${batchIndex + 1} was not, nor any other. ${again}`;
	const first = (extracted?.details ?? []).find((d) => d.index !== undefined && batch[d.index]);
	const itemIndex = first ? batch[first.index as number].itemIndex : batch[0].itemIndex;
	return new NodeApiError(
		ctx.getNode(),
		{ message: error.message },
		{
			message: named.length ? `${error.message.split(' – ')[0]} – ${named[0]}` : error.message,
			description: [...named.slice(0, 20), written, error.description ?? ''].filter(Boolean).join('\n'),
			httpCode: error.httpCode ?? undefined,
			itemIndex,
		},
	);
}
