/**
 * Delta → Pass Changed Records: lets through only the canonical records whose content changed since the last
 * successful sync (a content hash per ERP key, kept in the workflow's static data — nodes/shared/delta.ts), and
 * from a complete snapshot emits the keys that disappeared on the second output ("Deleted"). The new hashes are
 * only pending until the B2B Portal node's Record Run (success) commits them, so a failed run sends again.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import {
	contentHash,
	deltaKey,
	keyFields,
	KEY_SEPARATOR,
	readDeltaState,
	writeDeltaPending,
	type DeltaEntity,
} from '../../../shared/delta';
import { bothAt, formOf, inputBatches, packWhere, RecordOutput, unpackWhere, whereIs } from '../../../shared/batch';
import { describeIssues, validateRecord } from '../../../shared/model/validate';
import { ownValue } from '../../../shared/own';

const show = { show: { resource: ['delta'], operation: ['passChanged'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Records',
		name: 'entity',
		type: 'options',
		options: [
			{ name: 'Clients', value: 'client' },
			{ name: 'Prices', value: 'price' },
			{ name: 'Product Images', value: 'productImage' },
			{ name: 'Products', value: 'product' },
			{ name: 'Stock Levels', value: 'stock' },
		],
		default: 'product',
		description: 'Which canonical records come in (the output of an ERP node\'s "Get Many")',
		displayOptions: show,
	},
	{
		displayName: 'Record Field',
		name: 'recordField',
		type: 'string',
		default: '',
		description: 'Where the canonical record is in the input item (empty = the item itself)',
		displayOptions: show,
	},
	{
		displayName: 'Input Is Complete Snapshot',
		name: 'snapshot',
		type: 'boolean',
		default: false,
		description:
			'Whether the input holds every record the ERP has (a full read, not "changed since"). Then records that were sent before and are missing now come out of the second output, "Deleted", to deactivate them in the portal.',
		displayOptions: show,
	},
	{
		displayName: 'Options',
		description: 'Deletion safety and other settings of the delta',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Force Full Resend',
				name: 'fullResend',
				type: 'boolean',
				default: false,
				description:
					'Whether to pass every record on, changed or not (e.g. after the portal was restored from a backup). The stored hashes are still updated.',
			},
			{
				displayName: 'Max Deletions (%)',
				name: 'maxDeletePercent',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 100 },
				default: 50,
				description:
					'Stop with an error instead of deleting more than this share of the records sent before (an ERP read that came back nearly empty must not empty the portal). 100 = no limit.',
			},
			{
				displayName: 'State Name',
				name: 'stateName',
				type: 'string',
				default: '',
				description:
					'Name of the stored hashes (default: the record type). Give two guards of the same record type in one workflow different names.',
			},
		],
	},
];

/** "ŁÓD-001 / MAG-ŁÓDŹ" for messages */
const readable = (key: string) => key.split(KEY_SEPARATOR).filter(Boolean).join(' / ');

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const entity = this.getNodeParameter('entity', 0) as DeltaEntity;
	const field = String(this.getNodeParameter('recordField', 0, '') ?? '').trim();
	const snapshot = this.getNodeParameter('snapshot', 0, false) as boolean;
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const fullResend = options.fullResend === true;
	const maxDeletePercent = typeof options.maxDeletePercent === 'number' ? options.maxDeletePercent : 50;
	const name = String(options.stateName ?? '').trim() || entity;

	const { committed } = readDeltaState(this, name);
	const seen = new Map<string, number>();
	// a Map while the records go by (a plain object of 100,000s of keys defined one by one is slow), one object at
	// the end: Object.fromEntries defines own data properties, so a key "__proto__" is a key like any other
	const changedHashes = new Map<string, string>();
	const changed = new RecordOutput(this, entity, formOf(items), items);
	let failed = 0;
	for await (const list of inputBatches(this, items))
		for (const r of list) {
			try {
				const raw = field ? r.json[field] : r.json;
				if (!raw || typeof raw !== 'object')
					throw new NodeOperationError(
						this.getNode(),
						`${whereIs(r)}: no ${entity} record ${field ? `in field "${field}"` : '(not an object)'}`,
						{ itemIndex: r.itemIndex },
					);
				// the normal form is hashed, so "12.5" and "12.50" or a different field order are no change
				const checked = validateRecord(entity, raw, { moneyDecimals: 4 });
				if (!checked.ok || !checked.value)
					throw new NodeOperationError(this.getNode(), `${whereIs(r)}: ${describeIssues(entity, checked)}`, {
						itemIndex: r.itemIndex,
					});
				const record = checked.value as unknown as Record<string, unknown>;
				const key = deltaKey(entity, record);
				const first = seen.get(key);
				if (first !== undefined)
					throw new NodeOperationError(
						this.getNode(),
						`${whereIs(r)}: ${entity} "${readable(key)}" appears twice (${bothAt(unpackWhere(first), r)}): each key may come once per run`,
						{ itemIndex: r.itemIndex },
					);
				seen.set(key, packWhere(r));
				const hash = contentHash(record);
				// keys are data (a product code may be "constructor" or "__proto__"): own keys only
				const isChanged = ownValue(committed, key) !== hash;
				if (isChanged) changedHashes.set(key, hash);
				if (isChanged || fullResend) {
					const closing = changed.add(r, r.json, true);
					if (closing) await closing;
				}
			} catch (error) {
				if (!this.continueOnFail())
					throw error instanceof NodeOperationError
						? error
						: new NodeOperationError(this.getNode(), error as Error, { itemIndex: r.itemIndex });
				failed++;
				await changed.addError(r, (error as Error).message);
			}
		}
	const set = Object.fromEntries(changedHashes) as Record<string, string>;

	// a record that failed has an unknown key: deleting by a snapshot with holes would delete it
	const deleted: INodeExecutionData[] = [];
	const remove: string[] = [];
	if (snapshot && failed === 0) {
		for (const key of Object.keys(committed)) if (!seen.has(key)) remove.push(key);
		const total = Object.keys(committed).length;
		if (remove.length && maxDeletePercent < 100 && remove.length * 100 > total * maxDeletePercent)
			throw new NodeOperationError(
				this.getNode(),
				`The snapshot would delete ${remove.length} of the ${total} ${entity} records sent before (more than Max Deletions, ${maxDeletePercent}%). Nothing was passed on. Check the ERP read; if the deletions are real, raise Max Deletions (%) for one run.`,
				{ itemIndex: 0 },
			);
		for (const key of remove)
			deleted.push({ json: { entity, ...keyFields(entity, key), deleted: true }, pairedItem: { item: 0 } });
	}

	writeDeltaPending(this, name, { executionId: this.getExecutionId(), set, remove });
	return [await changed.finish(), deleted];
}
