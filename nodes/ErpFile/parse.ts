/**
 * Parse File: a CSV, EDI++, JSON, XML or Comarch ERP Optima XML file in a binary field → one item per canonical
 * record, or batches / batch files of records ("Output", nodes/shared/batch.ts) for large files. All or nothing PER
 * FILE (nodes/shared/files/parse-records.ts, shared with the Subiekt GT node). A CSV file is streamed from n8n's
 * binary data and its records are validated and batched as they come.
 */
import { type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { readCsvRecords, type CsvDelimiter } from '../shared/files/csv';
import { EncodingError, decodeText, detectMarkedEncoding, type EncodingChoice } from '../shared/files/encoding';
import { assertSafeXml, readXmlRecords } from '../shared/files/xml';
import { readOptimaRecords } from '../shared/files/optima-xml';
import {
	FileProblem,
	emitParsedFiles,
	readEppRecords,
	readFileSafely,
	DEFAULT_MAX_FILE_MB,
	loadFileWithin,
	maxFileSizeProperty,
	openFileWithin,
	validateFileRecordsInto,
	type FileRead,
	type RawRecord,
	type RecordTarget,
} from '../shared/files/parse-records';
import { outputChoice, outputProperties } from '../shared/batch';
import { ROUNDING_MODES, type RoundingMode } from '../shared/model/decimal';
import { roundingOptionProperties } from '../shared/options';
import {
	CSV_FIELDS,
	columnsParameter,
	columnsProperty,
	recordFromRow,
	requiredSources,
	resolveMapping,
	type FileEntity,
} from './fields';

const show = { operation: ['parse'] };
const showCsv = { operation: ['parse'], format: ['csv'] };
const showXml = { operation: ['parse'], format: ['xml'] };
const showMapped = { operation: ['parse'], format: ['csv', 'xml'] };
const showOptimaPrices = { operation: ['parse'], format: ['optima'], entity: ['price'] };

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
		description: 'Kind of file to read',
		name: 'format',
		type: 'options',
		options: [
			{
				name: 'Comarch ERP Optima XML',
				value: 'optima',
				description:
					"Optima's price list export (products, prices) or contractors export (clients); the file's namespace must match the Entity",
			},
			{ name: 'CSV', value: 'csv', description: 'Comma, semicolon or tab separated text with a header line' },
			{ name: 'EDI++ (.Epp)', value: 'epp', description: 'InsERT EDI++ file (Subiekt GT, Rewizor, Navireo)' },
			{ name: 'JSON', value: 'json', description: 'An array of canonical records, or {"items": [...]}' },
			{
				name: 'XML',
				value: 'xml',
				description: 'One element per record (e.g. Towar), fields mapped to child elements or attributes',
			},
		],
		default: 'csv',
		displayOptions: { show },
	},
	{
		displayName: 'Entity',
		description: "What the file's records are",
		name: 'entity',
		type: 'options',
		options: [
			{
				name: 'Client',
				value: 'client',
				description: 'EDI++: the KONTRAHENCI section; Optima: the contractors export',
			},
			{ name: 'Price', value: 'price', description: 'EDI++: the CENNIK section; Optima: each CENA of the price list' },
			{
				name: 'Product',
				value: 'product',
				description: 'EDI++: the TOWARY section; Optima: each TOWAR of the price list',
			},
			{
				name: 'Stock Level',
				value: 'stock',
				description: 'CSV, JSON and XML only (EDI++ and Optima XML files carry no stock levels)',
			},
		],
		default: 'product',
		displayOptions: { show },
	},
	{
		displayName: 'Encoding',
		description: "Code page of the file's bytes; everything inside the pack is UTF-8",
		name: 'encoding',
		type: 'options',
		options: [
			{
				name: 'Auto',
				value: 'auto',
				description:
					'Byte-order mark, declared code page (EDI++ [INFO], XML declaration), UTF-8 check, then Polish-letter statistics',
			},
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
		description:
			'Character between the columns; Auto picks the one of comma, semicolon or tab that splits the header line',
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
		displayName: 'Record Element',
		name: 'recordElement',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Towary/Towar',
		description:
			'The element that holds one record: its name ("Towar"), the end of its path ("Towary/Towar") or the full path from the root ("/Eksport/Towary/Towar")',
		displayOptions: { show: showXml },
	},
	...(Object.keys(CSV_FIELDS) as FileEntity[]).map((e) => columnsProperty(e, showXml, 'xml')),
	maxFileSizeProperty({ show }),
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
		description: 'Scope of records whose scope column or element is empty or missing',
		displayOptions: { show: { ...showMapped, entity: ['price'] } },
	},
	{
		displayName: 'Default Scope Code',
		name: 'defaultScopeCode',
		type: 'string',
		default: '',
		placeholder: 'Hurtowa',
		description:
			'Price list, client group or client code of records whose scope code column or element is empty or missing',
		displayOptions: { show: { ...showMapped, entity: ['price'] } },
	},
	{
		displayName: 'Default Currency',
		name: 'defaultCurrency',
		type: 'string',
		default: 'PLN',
		description:
			'Currency of records (CSV, XML) or of the whole price list (EDI++, which carries no currency) when the file does not say',
		displayOptions: { show: { operation: ['parse'], format: ['csv', 'epp', 'optima', 'xml'], entity: ['price'] } },
	},
	{
		displayName: 'Default Warehouse Code',
		name: 'defaultWarehouseCode',
		type: 'string',
		default: '',
		placeholder: 'MAG',
		description:
			'Warehouse of every stock level whose file has no warehouse column (or an empty cell), e.g. a one-warehouse Subiekt export. Use the ERP warehouse code.',
		displayOptions: { show: { operation: ['parse'], format: ['csv', 'xml'], entity: ['stock'] } },
	},
	{
		displayName: 'Price List From',
		name: 'optimaPriceListBy',
		type: 'options',
		options: [
			{ name: 'Price Name (NAZWA)', value: 'name', description: 'E.g. "hurtowa 1".' },
			{ name: 'Price Number (NUMER)', value: 'number', description: 'E.g. "2" (Optima\'s DfC_Lp).' },
		],
		default: 'name',
		description: 'Which element of an Optima CENA becomes the price list code (scope code) of the price',
		displayOptions: { show: showOptimaPrices },
	},
	{
		displayName: 'Include Purchase Price',
		name: 'optimaIncludePurchasePrice',
		type: 'boolean',
		default: false,
		description:
			'Whether to pass on the purchase price too (the CENA whose NUMER is the Purchase Price Number); it is left out by default, as a B2B portal must not show it',
		displayOptions: { show: showOptimaPrices },
	},
	{
		displayName: 'Purchase Price Number',
		name: 'optimaPurchasePriceNumber',
		type: 'string',
		default: '1',
		description:
			'NUMER of the purchase price ("zakupu") in the export: 1 in Optima\'s default price list (seen in one export: unverified)',
		displayOptions: { show: showOptimaPrices },
	},
	{
		displayName: 'Net Price Types',
		name: 'optimaNetTypes',
		type: 'string',
		default: 'netto, 1',
		description:
			'TYP values of a net price, comma-separated (case does not matter). UNVERIFIED: one export shows 1 = net; a TYP that is neither net nor gross is an error naming the product.',
		displayOptions: { show: showOptimaPrices },
	},
	{
		displayName: 'Gross Price Types',
		name: 'optimaGrossTypes',
		type: 'string',
		default: 'brutto, 2',
		description: 'TYP values of a gross price, comma-separated. UNVERIFIED: one export shows 2 = gross.',
		displayOptions: { show: showOptimaPrices },
	},
	...outputProperties({ show }, 'records'),
	{
		displayName: 'Options',
		description: 'Further settings of the file read',
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
					'Whether amounts and quantities in the CSV or XML (Optima: WARTOSC) are written like "12,50" (Polish Excel); they are read as 12.50. Spaces inside numbers are removed.',
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

/** defaults for empty or missing price columns/elements (CSV and XML) */
function mappingDefaults(ctx: IExecuteFunctions, i: number, entity: FileEntity): Record<string, string> {
	const defaults: Record<string, string> = {};
	if (entity === 'price') {
		defaults.scope = String(ctx.getNodeParameter('defaultScope', i, 'priceList'));
		defaults.scopeCode = String(ctx.getNodeParameter('defaultScopeCode', i, '')).trim();
		defaults.currency = String(ctx.getNodeParameter('defaultCurrency', i, 'PLN')).trim();
	}
	if (entity === 'stock') {
		const warehouse = String(ctx.getNodeParameter('defaultWarehouseCode', i, '')).trim();
		if (warehouse) defaults.warehouseCode = warehouse;
	}
	return defaults;
}

/** A CSV file, streamed: records are read, mapped and validated as its bytes come (nodes/shared/files/csv.ts). */
function readCsv(
	ctx: IExecuteFunctions,
	i: number,
	bytes: AsyncIterable<Buffer>,
	fileName: string,
	entity: FileEntity,
	encoding: EncodingChoice,
	o: ParseOptions,
): FileRead {
	const delimiter = ctx.getNodeParameter('delimiter', i, 'auto') as 'auto' | CsvDelimiter;
	const mapping = resolveMapping(entity, ctx.getNodeParameter(columnsParameter(entity), i, {}));
	const defaults = mappingDefaults(ctx, i, entity);
	const expectedColumns = requiredSources(entity, mapping, defaults).map((r) => r.source);
	const read: FileRead = { records: [], encoding: '', encodingReason: '' };
	async function* records(): AsyncGenerator<RawRecord> {
		for await (const r of readCsvRecords(bytes, {
			encoding,
			delimiter,
			header: true,
			fileName,
			expectedColumns,
			onEncoding: (e, reason) => {
				read.encoding = e;
				read.encodingReason = reason;
			},
		})) {
			yield {
				line: r.line,
				where: `line ${r.line}`,
				value: recordFromRow(entity, r.record, mapping, { decimalComma: o.decimalComma, defaults }),
			};
		}
	}
	read.records = records();
	return read;
}

function readEppFile(
	ctx: IExecuteFunctions,
	i: number,
	bytes: Buffer,
	fileName: string,
	entity: FileEntity,
	encoding: EncodingChoice,
): FileRead {
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
		records: (function* () {
			for (let n = 0; n < list.length; n++) yield { where: `record ${n + 1}`, value: list[n] as unknown };
		})(),
		encoding: decoded.encoding,
		encodingReason: decoded.reason,
	};
}

/**
 * The text of an XML file: decoded (Auto: BOM, the XML declaration, UTF-8 check, Polish-letter statistics), the
 * reason for that encoding, and checked by assertSafeXml (no DTD, no entities) before any parser sees it.
 */
function decodeXml(
	bytes: Buffer,
	fileName: string,
	encoding: EncodingChoice,
): { text: string; encoding: string; reason: string } {
	const marked = detectMarkedEncoding(bytes);
	let decoded: ReturnType<typeof decodeText> | undefined;
	let failure: unknown;
	try {
		decoded = decodeText(bytes, encoding, { fileName });
	} catch (error) {
		failure = error;
	}
	if (!decoded) {
		if (!(failure instanceof EncodingError) || failure.byteOffset === undefined) throw failure;
		// the line of the bad byte, and a hint when the declaration is what chose the encoding
		let line = 1;
		for (let k = 0; k < failure.byteOffset && k < bytes.length; k++) if (bytes[k] === 0x0a) line++;
		const hint =
			encoding === 'auto' && marked?.reason.startsWith('XML declaration')
				? ` (the encoding came from the ${marked.reason}; if the file does not match its declaration, choose the encoding explicitly)`
				: '';
		throw new FileProblem(`${failure.message}; line ${line}${hint}`, line);
	}
	let reason = decoded.reason;
	if (encoding !== 'auto' && marked?.reason.startsWith('XML declaration') && marked.encoding !== decoded.encoding) {
		reason = `${reason}; the ${marked.reason} was overridden`;
	}
	const text = decoded.text.charCodeAt(0) === 0xfeff ? decoded.text.slice(1) : decoded.text;
	assertSafeXml(text, fileName);
	return { text, encoding: decoded.encoding, reason };
}

function readXmlFile(
	ctx: IExecuteFunctions,
	i: number,
	bytes: Buffer,
	fileName: string,
	entity: FileEntity,
	encoding: EncodingChoice,
	o: ParseOptions,
): FileRead {
	const recordPath = String(ctx.getNodeParameter('recordElement', i, '')).trim();
	if (!recordPath)
		throw new FileProblem(`${fileName}: set "Record Element" (the element that holds one record, e.g. "Towar")`);
	const { text, encoding: used, reason } = decodeXml(bytes, fileName, encoding);

	const mapping = resolveMapping(entity, ctx.getNodeParameter(columnsParameter(entity, 'xml'), i, {}));
	const defaults = mappingDefaults(ctx, i, entity);
	const read = readXmlRecords(text, { fileName, recordPath, sources: [...new Set(mapping.values())] });
	if (read.length === 0) {
		throw new FileProblem(
			`${fileName}: no <${recordPath}> element found; check "Record Element" (names are case-sensitive)`,
		);
	}
	const required = requiredSources(entity, mapping, defaults);
	const tag = recordPath.split('/').pop();
	function* records(): Generator<RawRecord> {
		for (const r of read) {
			const where = `line ${r.line}, column ${r.column} (<${tag}> ${r.index})`;
			const missing = required.find((q) => r.values[q.source] === undefined);
			const problem = missing
				? new FileProblem(
						`${fileName} ${where}: no "${missing.source}" in the record, mapped to the required field "${missing.field}"`,
						r.line,
						missing.field,
						r.column,
					)
				: undefined;
			const sources: NonNullable<RawRecord['sources']> = {};
			for (const [field, path] of mapping) sources[field] = { path, ...r.positions[path] };
			yield {
				line: r.line,
				column: r.column,
				where,
				value: recordFromRow(entity, r.values, mapping, { decimalComma: o.decimalComma, defaults }),
				sources,
				problem,
			};
		}
	}
	return { records: records(), encoding: used, encodingReason: reason };
}

/** Optima's price list or contractors export (nodes/shared/files/optima-xml.ts) */
function readOptimaFile(
	ctx: IExecuteFunctions,
	i: number,
	bytes: Buffer,
	fileName: string,
	entity: FileEntity,
	encoding: EncodingChoice,
	o: ParseOptions,
): FileRead {
	const { text, encoding: used, reason } = decodeXml(bytes, fileName, encoding);
	const list = (name: string, fallback: string) =>
		String(ctx.getNodeParameter(name, i, fallback))
			.split(',')
			.map((t) => t.trim().toLowerCase())
			.filter((t) => t !== '');
	const records = readOptimaRecords(text, {
		fileName,
		entity,
		priceListBy: ctx.getNodeParameter('optimaPriceListBy', i, 'name') === 'number' ? 'number' : 'name',
		includePurchasePrice: ctx.getNodeParameter('optimaIncludePurchasePrice', i, false) === true,
		purchasePriceNumber: String(ctx.getNodeParameter('optimaPurchasePriceNumber', i, '1')).trim(),
		netTypes: list('optimaNetTypes', 'netto, 1'),
		grossTypes: list('optimaGrossTypes', 'brutto, 2'),
		defaultCurrency: String(ctx.getNodeParameter('defaultCurrency', i, 'PLN')).trim() || 'PLN',
		decimalComma: o.decimalComma,
	});
	return { records, encoding: used, encodingReason: reason };
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

/** the file's records, validated, into `target`; the problems (one per bad record) */
async function parseOne(ctx: IExecuteFunctions, i: number, target: RecordTarget): Promise<FileProblem[]> {
	const property = String(ctx.getNodeParameter('binaryPropertyName', i, 'data'));
	const format = ctx.getNodeParameter('format', i) as 'csv' | 'epp' | 'json' | 'optima' | 'xml';
	const entity = ctx.getNodeParameter('entity', i) as FileEntity;
	const encoding = ctx.getNodeParameter('encoding', i, 'auto') as EncodingChoice;
	const o = readOptions(ctx, i);
	const maxMb = Number(ctx.getNodeParameter('maxFileSizeMb', i, DEFAULT_MAX_FILE_MB));
	let read: FileRead | { problems: FileProblem[] };
	let fileName: string;
	if (format === 'csv') {
		// streamed: the bytes are never all in memory when n8n keeps them on disk, nor the text or the rows
		const file = await openFileWithin(ctx, i, property, maxMb);
		if ('problem' in file) return [file.problem];
		fileName = file.fileName;
		read = readCsv(ctx, i, file.source, fileName, entity, encoding, o);
	} else {
		const file = await loadFileWithin(ctx, i, property, maxMb);
		if ('problem' in file) return [file.problem];
		const bytes = file.bytes;
		fileName = file.fileName;
		read = await readFileSafely(ctx.getNode(), i, fileName, () =>
			format === 'epp'
				? readEppFile(ctx, i, bytes, fileName, entity, encoding)
				: format === 'xml'
					? readXmlFile(ctx, i, bytes, fileName, entity, encoding, o)
					: format === 'optima'
						? readOptimaFile(ctx, i, bytes, fileName, entity, encoding, o)
						: readJsonFile(bytes, fileName, encoding),
		);
	}
	if ('problems' in read) return read.problems;
	return await validateFileRecordsInto(ctx.getNode(), i, entity, fileName, read, { ...o, format }, target);
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await emitParsedFiles(
		this,
		items,
		async (i, target) => await parseOne(this, i, target),
		(i) => ({ entity: this.getNodeParameter('entity', i) as string, ...outputChoice(this, i) }),
	);
}
