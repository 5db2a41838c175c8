/**
 * Parse File: a CSV, EDI++ or JSON file in a binary field → one item per canonical record.
 * All or nothing PER FILE (nodes/shared/files/parse-records.ts, shared with the Subiekt GT node).
 */
import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { readCsvRecords, type CsvDelimiter } from '../shared/files/csv';
import { decodeText, type EncodingChoice } from '../shared/files/encoding';
import {
	FileProblem,
	emitParsedFiles,
	readEppRecords,
	readFileSafely,
	validateFileRecords,
	type FileRead,
	type RawRecord,
} from '../shared/files/parse-records';
import { ROUNDING_MODES, type RoundingMode } from '../shared/model/decimal';
import { roundingOptionProperties } from '../shared/options';
import { CSV_FIELDS, columnsParameter, columnsProperty, recordFromRow, resolveMapping, type FileEntity } from './fields';

const show = { operation: ['parse'] };
const showCsv = { operation: ['parse'], format: ['csv'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field that holds the file',
		displayOptions: { show },
	},
	{
		displayName: 'Format',
		name: 'format',
		type: 'options',
		options: [
			{ name: 'CSV', value: 'csv', description: 'Comma, semicolon or tab separated text with a header line' },
			{ name: 'EDI++ (.Epp)', value: 'epp', description: 'InsERT EDI++ file (Subiekt GT, Rewizor, Navireo)' },
			{ name: 'JSON', value: 'json', description: 'An array of canonical records, or {"items": [...]}' },
		],
		default: 'csv',
		displayOptions: { show },
	},
	{
		displayName: 'Entity',
		name: 'entity',
		type: 'options',
		options: [
			{ name: 'Client', value: 'client', description: 'EDI++: the KONTRAHENCI section' },
			{ name: 'Price', value: 'price', description: 'EDI++: the CENNIK section' },
			{ name: 'Product', value: 'product', description: 'EDI++: the TOWARY section' },
			{ name: 'Stock Level', value: 'stock', description: 'CSV and JSON only (EDI++ files carry no stock levels)' },
		],
		default: 'product',
		displayOptions: { show },
	},
	{
		displayName: 'Encoding',
		name: 'encoding',
		type: 'options',
		options: [
			{ name: 'Auto', value: 'auto', description: 'Byte-order mark, declared code page, UTF-8 check, then Polish-letter statistics' },
			{ name: 'CP852 (DOS Latin 2)', value: 'cp852' },
			{ name: 'ISO-8859-2', value: 'iso-8859-2', description: 'Not for EDI++ files' },
			{ name: 'UTF-8', value: 'utf-8' },
			{ name: 'Windows-1250', value: 'windows-1250', description: 'Subiekt, Optima and Polish Excel "CSV"' },
		],
		default: 'auto',
		displayOptions: { show },
	},
	{
		displayName: 'Delimiter',
		name: 'delimiter',
		type: 'options',
		options: [
			{ name: 'Auto', value: 'auto' },
			{ name: 'Comma (,)', value: ',' },
			{ name: 'Semicolon (;)', value: ';' },
			{ name: 'Tab', value: '\t' },
		],
		default: 'auto',
		displayOptions: { show: showCsv },
	},
	...(Object.keys(CSV_FIELDS) as FileEntity[]).map((e) => columnsProperty(e, showCsv)),
	{
		displayName: 'Default Scope',
		name: 'defaultScope',
		type: 'options',
		options: [
			{ name: 'Client', value: 'client' },
			{ name: 'Client Group', value: 'clientGroup' },
			{ name: 'Price List', value: 'priceList' },
		],
		default: 'priceList',
		description: 'Scope of rows whose scope column is empty or missing',
		displayOptions: { show: { ...showCsv, entity: ['price'] } },
	},
	{
		displayName: 'Default Scope Code',
		name: 'defaultScopeCode',
		type: 'string',
		default: '',
		placeholder: 'Hurtowa',
		description: 'Price list, client group or client code of rows whose scope code column is empty or missing',
		displayOptions: { show: { ...showCsv, entity: ['price'] } },
	},
	{
		displayName: 'Default Currency',
		name: 'defaultCurrency',
		type: 'string',
		default: 'PLN',
		description:
			'Currency of rows (CSV) or of the whole price list (EDI++, which carries no currency) when the file does not say',
		displayOptions: { show: { operation: ['parse'], format: ['csv', 'epp'], entity: ['price'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Decimal Comma',
				name: 'decimalComma',
				type: 'boolean',
				default: false,
				description:
					'Whether amounts and quantities in the CSV are written like "12,50" (Polish Excel); they are read as 12.50. Spaces inside numbers are removed.',
			},
			{
				displayName: 'Include Source Info',
				name: 'includeSourceInfo',
				type: 'boolean',
				default: false,
				description:
					'Whether to add "_source" (file name, encoding, why that encoding, line) to every record. Leave off when the records go to the B2B Portal node, which accepts only canonical fields.',
			},
			...roundingOptionProperties,
		],
	},
];

interface ParseOptions {
	decimalComma: boolean;
	includeSourceInfo: boolean;
	moneyDecimals: number;
	rounding: RoundingMode;
}

async function readCsv(ctx: IExecuteFunctions, i: number, bytes: Buffer, fileName: string, entity: FileEntity, encoding: EncodingChoice, o: ParseOptions): Promise<FileRead> {
	const delimiter = ctx.getNodeParameter('delimiter', i, 'auto') as 'auto' | CsvDelimiter;
	const mapping = resolveMapping(entity, ctx.getNodeParameter(columnsParameter(entity), i, {}));
	const defaults: Record<string, string> = {};
	if (entity === 'price') {
		defaults.scope = String(ctx.getNodeParameter('defaultScope', i, 'priceList'));
		defaults.scopeCode = String(ctx.getNodeParameter('defaultScopeCode', i, '')).trim();
		defaults.currency = String(ctx.getNodeParameter('defaultCurrency', i, 'PLN')).trim();
	}
	const expectedColumns = CSV_FIELDS[entity]
		.filter((f) => f.required || (entity === 'price' && f.name === 'scopeCode' && !defaults.scopeCode))
		.map((f) => mapping.get(f.name))
		.filter((c): c is string => c !== undefined);
	let enc = { encoding: '', reason: '' };
	const records: RawRecord[] = [];
	const source = (async function* () {
		yield bytes;
	})();
	for await (const r of readCsvRecords(source, {
		encoding,
		delimiter,
		header: true,
		fileName,
		expectedColumns,
		onEncoding: (e, reason) => (enc = { encoding: e, reason }),
	})) {
		records.push({
			line: r.line,
			where: `line ${r.line}`,
			value: recordFromRow(entity, r.record, mapping, { decimalComma: o.decimalComma, defaults }),
		});
	}
	return { records, encoding: enc.encoding, encodingReason: enc.reason };
}

function readEppFile(ctx: IExecuteFunctions, i: number, bytes: Buffer, fileName: string, entity: FileEntity, encoding: EncodingChoice): FileRead {
	const currency = String(ctx.getNodeParameter('defaultCurrency', i, 'PLN')).trim() || 'PLN';
	return readEppRecords(bytes, fileName, entity, encoding, currency);
}

function readJsonFile(bytes: Buffer, fileName: string, encoding: EncodingChoice): FileRead {
	const decoded = decodeText(bytes, encoding, { fileName });
	let data: unknown;
	let syntax: string | undefined;
	try {
		data = JSON.parse(decoded.text);
	} catch (error) {
		syntax = (error as Error).message;
	}
	if (syntax !== undefined) throw new FileProblem(`${fileName}: not valid JSON (${syntax})`);
	const list = Array.isArray(data) ? data : (data as { items?: unknown } | null)?.items;
	if (!Array.isArray(list)) throw new FileProblem(`${fileName}: expected an array of records or {"items": [...]}`);
	return {
		records: list.map((value, n) => ({ where: `record ${n + 1}`, value })),
		encoding: decoded.encoding,
		encodingReason: decoded.reason,
	};
}

function readOptions(ctx: IExecuteFunctions, i: number): ParseOptions {
	const o = ctx.getNodeParameter('options', i, {}) as IDataObject;
	return {
		decimalComma: o.decimalComma === true,
		includeSourceInfo: o.includeSourceInfo === true,
		moneyDecimals: typeof o.moneyDecimals === 'number' ? o.moneyDecimals : 2,
		rounding: ROUNDING_MODES.includes(o.rounding as RoundingMode) ? (o.rounding as RoundingMode) : 'halfUp',
	};
}

/** the file's records, validated, or the problems (one per bad record) */
async function parseOne(ctx: IExecuteFunctions, i: number): Promise<{ records: IDataObject[]; problems: FileProblem[] }> {
	const property = String(ctx.getNodeParameter('binaryPropertyName', i, 'data'));
	const format = ctx.getNodeParameter('format', i) as 'csv' | 'epp' | 'json';
	const entity = ctx.getNodeParameter('entity', i) as FileEntity;
	const encoding = ctx.getNodeParameter('encoding', i, 'auto') as EncodingChoice;
	const o = readOptions(ctx, i);
	const meta = ctx.helpers.assertBinaryData(i, property);
	const fileName = meta.fileName ?? `file in field "${property}" of item ${i + 1}`;
	const bytes = await ctx.helpers.getBinaryDataBuffer(i, property);

	const read = await readFileSafely(ctx.getNode(), i, fileName, () =>
		format === 'csv'
			? readCsv(ctx, i, bytes, fileName, entity, encoding, o)
			: format === 'epp'
				? readEppFile(ctx, i, bytes, fileName, entity, encoding)
				: readJsonFile(bytes, fileName, encoding),
	);
	if ('problems' in read) return { records: [], problems: read.problems };
	return validateFileRecords(entity, fileName, read, { ...o, format });
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await emitParsedFiles(this, items, async (i) => await parseOne(this, i));
}
