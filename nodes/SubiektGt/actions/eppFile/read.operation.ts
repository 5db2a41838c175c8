/**
 * Subiekt's own EDI++ (.epp) export in a binary field → canonical products (TOWARY), prices (CENNIK) or
 * clients (KONTRAHENCI). The same reader and all-or-nothing-per-file validation as the ERP File node
 * (nodes/shared/files/parse-records.ts).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { EncodingChoice } from '../../../shared/files/encoding';
import {
	emitParsedFiles,
	readEppRecords,
	readFileSafely,
	DEFAULT_MAX_FILE_MB,
	loadFileWithin,
	maxFileSizeProperty,
	validateFileRecordsInto,
	type FileEntity,
} from '../../../shared/files/parse-records';
import { ROUNDING_MODES, type RoundingMode } from '../../../shared/model/decimal';
import { roundingOptionProperties } from '../../../shared/options';

const ENTITY: Record<string, FileEntity> = { readProducts: 'product', readPrices: 'price', readClients: 'client' };
const OPERATIONS = Object.keys(ENTITY);
const show = { show: { resource: ['eppFile'], operation: OPERATIONS } };

export const description: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field that holds the .epp file',
		displayOptions: show,
	},
	{
		displayName: 'Encoding',
		description: 'Code page of the .epp file (Subiekt writes Windows-1250); Auto reads the [INFO] record and the bytes',
		name: 'encoding',
		type: 'options',
		options: [
			{
				name: 'Auto',
				value: 'auto',
				description: 'The code page the file declares in [INFO], checked against its bytes',
			},
			{ name: 'CP852 (DOS Latin 2)', value: 'cp852' },
			{ name: 'Windows-1250', value: 'windows-1250', description: 'What Subiekt GT writes by default' },
		],
		default: 'auto',
		displayOptions: show,
	},
	{
		displayName: 'Currency',
		name: 'defaultCurrency',
		type: 'string',
		default: 'PLN',
		description: 'Currency of the price list (EDI++ price lists carry none)',
		displayOptions: { show: { resource: ['eppFile'], operation: ['readPrices'] } },
	},
	{
		displayName: 'Options',
		description: 'Further settings of the EDI++ read',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Include Source Info',
				name: 'includeSourceInfo',
				type: 'boolean',
				default: false,
				description:
					'Whether to add "_source" (file name, encoding, why that encoding, record) to every record. Leave off when the records go to the B2B Portal node, which accepts only canonical fields.',
			},
			maxFileSizeProperty(undefined),
			...roundingOptionProperties,
		],
	},
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	const entity = ENTITY[operation];
	return await emitParsedFiles(
		this,
		items,
		async (i, target) => {
			const property = String(this.getNodeParameter('binaryPropertyName', i, 'data'));
			const encoding = this.getNodeParameter('encoding', i, 'auto') as EncodingChoice;
			const currency = String(this.getNodeParameter('defaultCurrency', i, 'PLN') ?? '').trim() || 'PLN';
			const o = this.getNodeParameter('options', i, {}) as IDataObject;
			const file = await loadFileWithin(this, i, property, Number(o.maxFileSizeMb ?? DEFAULT_MAX_FILE_MB));
			if ('problem' in file) return [file.problem];
			const { bytes, fileName } = file;
			const read = await readFileSafely(this.getNode(), i, fileName, () =>
				readEppRecords(bytes, fileName, entity, encoding, currency),
			);
			if ('problems' in read) return read.problems;
			const options = {
				format: 'epp',
				includeSourceInfo: o.includeSourceInfo === true,
				moneyDecimals: typeof o.moneyDecimals === 'number' ? o.moneyDecimals : 2,
				rounding: ROUNDING_MODES.includes(o.rounding as RoundingMode) ? (o.rounding as RoundingMode) : 'halfUp',
			};
			return await validateFileRecordsInto(this.getNode(), i, entity, fileName, read, options, target);
		},
		// one item per record, as the Subiekt GT node always gave them
		() => ({ entity, form: 'items', size: 1 }),
	);
}
