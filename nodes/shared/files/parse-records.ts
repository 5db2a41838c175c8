/**
 * Files → validated canonical records, all or nothing PER FILE. Shared by the ERP File node (CSV, EDI++,
 * JSON, XML) and the Subiekt GT node's "EDI++ Export File" resource.
 *
 * Every record of a file is read and validated first; the file's records are passed on only when the whole
 * file is good. A bad row stops the node with an error naming the file, the line and the field; with Continue
 * On Fail the file gives one error item per bad row (or one for a broken file) and none of its records, and
 * the other input files are processed as usual.
 *
 * In one pass: records are validated as the reader gives them (a CSV file streams from n8n's binary data,
 * see ./csv.ts) and handed to a RecordSink (../batch.ts) while the file is good so far. With "Batch Files" the
 * good records leave memory batch by batch; the items are given out only when the file ended without a
 * problem, else the sink is dropped (files already written belong to no item). So nothing of a bad file is
 * passed on, and a 300,000-row file is never held as bytes, text, rows and records at once.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { EppFormatError, parseEpp } from '../edi/epp';
import { EppMappingError, clientFromKontrahenci, priceFromCennik, productFromTowary } from '../edi/epp-canonical';
import { CENNIK_FIELDS, KONTRAHENCI_FIELDS_105, TOWARY_FIELDS, indexOf, type EppFieldDef } from '../edi/epp-fields';
import { RecordSink, type RecordForm } from '../batch';
import type { RoundingMode } from '../model/decimal';
import { BELOW_ZERO_FIELD, normaliseStock, type StockFigures } from '../model/stock';
import { KEY_FIELD, describeIssues, validateRecord } from '../model/validate';
import { CsvError } from './csv';
import { EncodingError, type EncodingChoice } from './encoding';
import { XmlFileError } from './xml';

export type FileEntity = 'product' | 'price' | 'stock' | 'client';

/** a record read from a file, before validation */
export interface RawRecord {
	/** physical line (CSV, XML start tag), else undefined */
	line?: number;
	/** XML: column of the start tag */
	column?: number;
	/** "line 3" / "record 3" / "TOWARY record 2" */
	where: string;
	value: unknown;
	/** XML: canonical field → where its value came from (element path and position) */
	sources?: Record<string, { path: string; line?: number; column?: number }>;
	/** found while reading (XML: a required element is missing); the record is not validated */
	problem?: FileProblem;
}

export interface FileRead {
	/** read as they are validated; a reader may throw (CsvError, EncodingError…) in the middle */
	records: Iterable<RawRecord> | AsyncIterable<RawRecord>;
	/** '' while not known yet (CSV, auto: a file starting with ASCII is decided at its first other byte) */
	encoding: string;
	encodingReason: string;
}

export class FileProblem extends Error {
	constructor(
		message: string,
		readonly line?: number,
		readonly field?: string,
		readonly column?: number,
	) {
		super(message);
	}
}

/**
 * Default of "Max File Size (MB)". XML, JSON and EDI++ files are read whole: XML needs about 26 bytes of memory per
 * byte (21.7 MB, 100,000 products → +560 MB RSS), JSON and EDI++ a few bytes per byte; so 50 MB of XML needs about
 * 1.3 GB. A CSV file is streamed. Records are held until the whole file is known good (all or nothing) unless
 * they go out as batch files.
 */
export const DEFAULT_MAX_FILE_MB = 50;

/** The "Max File Size (MB)" parameter (name maxFileSizeMb). */
export function maxFileSizeProperty(displayOptions: INodeProperties['displayOptions']): INodeProperties {
	return {
		displayName: 'Max File Size (MB)',
		name: 'maxFileSizeMb',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: DEFAULT_MAX_FILE_MB,
		description:
			'Larger files are refused with an error before they are read (XML, JSON and EDI++ files are read whole, and records are held until the file is known good unless they go out as batch files)',
		...(displayOptions ? { displayOptions } : {}),
	};
}

/**
 * The bytes of the file in binary field `property` of item `i`, or the problem when it is over `maxMb`: refused
 * before it is loaded when n8n knows its size, else right after.
 */
export async function loadFileWithin(
	ctx: IExecuteFunctions,
	i: number,
	property: string,
	maxMb: number,
): Promise<{ bytes: Buffer; fileName: string } | { fileName: string; problem: FileProblem }> {
	const meta = ctx.helpers.assertBinaryData(i, property);
	const fileName = meta.fileName ?? `file in field "${property}" of item ${i + 1}`;
	const limit = (Number.isFinite(maxMb) && maxMb > 0 ? maxMb : DEFAULT_MAX_FILE_MB) * 1024 * 1024;
	const tooBig = (size: number) =>
		new FileProblem(
			`${fileName}: the file has ${(size / 1024 / 1024).toFixed(1)} MB, more than the limit of ${limit / 1024 / 1024} MB ` +
				'(option "Max File Size (MB)"); raise the limit only if the machine has memory for it, or have the ERP export smaller files',
		);
	if (typeof meta.bytes === 'number' && meta.bytes > limit) return { fileName, problem: tooBig(meta.bytes) };
	const bytes = await ctx.helpers.getBinaryDataBuffer(i, property);
	if (bytes.length > limit) return { fileName, problem: tooBig(bytes.length) };
	return { bytes, fileName };
}

/** bytes handed to a streaming reader at a time, from n8n's binary data */
const CHUNK_BYTES = 256 * 1024;

/**
 * The file in binary field `property` of item `i` as a stream of byte chunks, for readers that do not need the
 * whole file (CSV): from n8n's binary data storage when the file is kept there (filesystem / database mode),
 * else the item's in-memory bytes in chunks (no copy). Over `maxMb`: refused before reading when n8n knows the
 * size, else the stream throws the problem as soon as it has read more.
 */
export async function openFileWithin(
	ctx: IExecuteFunctions,
	i: number,
	property: string,
	maxMb: number,
): Promise<{ source: AsyncIterable<Buffer>; fileName: string } | { fileName: string; problem: FileProblem }> {
	const meta = ctx.helpers.assertBinaryData(i, property);
	const fileName = meta.fileName ?? `file in field "${property}" of item ${i + 1}`;
	const limit = (Number.isFinite(maxMb) && maxMb > 0 ? maxMb : DEFAULT_MAX_FILE_MB) * 1024 * 1024;
	const tooBig = (size: number, atLeast = false) =>
		new FileProblem(
			`${fileName}: the file has ${atLeast ? 'more than ' : ''}${(size / 1024 / 1024).toFixed(1)} MB, more than the limit of ${limit / 1024 / 1024} MB ` +
				'(option "Max File Size (MB)"); raise the limit only if the machine has memory for it, or have the ERP export smaller files',
		);
	if (typeof meta.bytes === 'number' && meta.bytes > limit) return { fileName, problem: tooBig(meta.bytes) };
	let chunks: AsyncIterable<Buffer | Uint8Array>;
	if (meta.id) chunks = await ctx.helpers.getBinaryStream(meta.id, CHUNK_BYTES);
	else {
		// kept in the item (n8n's in-memory mode): the bytes are there already
		const bytes = await ctx.helpers.getBinaryDataBuffer(i, property);
		if (bytes.length > limit) return { fileName, problem: tooBig(bytes.length) };
		chunks = inChunks(bytes);
	}
	async function* counted(): AsyncGenerator<Buffer> {
		let total = 0;
		for await (const chunk of chunks) {
			const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
			total += b.length;
			if (total > limit) throw tooBig(total, true);
			yield b;
		}
	}
	return { source: counted(), fileName };
}

async function* inChunks(bytes: Buffer): AsyncGenerator<Buffer> {
	for (let at = 0; at < bytes.length; at += CHUNK_BYTES) yield bytes.subarray(at, at + CHUNK_BYTES);
}

export interface ValidateOptions {
	moneyDecimals: number;
	rounding: RoundingMode;
	includeSourceInfo: boolean;
	/** format name for _source */
	format: string;
}

const EPP_SECTION: Record<Exclude<FileEntity, 'stock'>, string> = {
	product: 'TOWARY',
	price: 'CENNIK',
	client: 'KONTRAHENCI',
};

/** the field table of each section (KONTRAHENCI 1.11 only adds a 31st field, read by no mapping) */
const EPP_FIELDS: Record<Exclude<FileEntity, 'stock'>, EppFieldDef[]> = {
	product: TOWARY_FIELDS,
	price: CENNIK_FIELDS,
	client: KONTRAHENCI_FIELDS_105,
};

/** The products, prices (of the CENNIK section, in `currency`) or clients of an EDI++ file. */
export function readEppRecords(
	bytes: Buffer,
	fileName: string,
	entity: FileEntity,
	encoding: EncodingChoice,
	currency = 'PLN',
): FileRead {
	if (entity === 'stock') throw new FileProblem(`${fileName}: EDI++ files carry no stock levels; choose CSV or JSON`);
	if (encoding === 'iso-8859-2')
		throw new FileProblem(`${fileName}: EDI++ files are written in Windows-1250 or CP852, not ISO-8859-2`);
	const doc = parseEpp(bytes, { encoding, fileName });
	const wanted = EPP_SECTION[entity];
	// record by record, so a bad value (e.g. a VAT rate that is no number) names the file and the record
	const towary = doc.sections.filter((s) => s.name === 'TOWARY').flatMap((s) => s.body);
	const vatRates = new Map<string, string>();
	for (const r of towary) {
		try {
			const p = productFromTowary(r);
			vatRates.set(p.code, p.vatRate);
		} catch {
			// reported when products are read; a price then simply has no VAT rate from the file
		}
	}
	const map = (r: string[]): unknown =>
		entity === 'product'
			? productFromTowary(r)
			: entity === 'price'
				? priceFromCennik(r, { currency: currency || 'PLN', vatRates })
				: clientFromKontrahenci(r);
	const fields = EPP_FIELDS[entity];
	const code = indexOf(fields, 'symbol');
	// mapped one at a time as they are validated (the parsed document is the only full copy)
	function* records(): Generator<RawRecord> {
		let n = 0;
		for (const s of doc.sections.filter((x) => x.name === wanted)) {
			for (let k = 0; k < s.body.length; k++) {
				const r = s.body[k];
				const line = s.lines?.[k];
				const where = line === undefined ? `${wanted} record ${++n}` : `line ${line} (${wanted} record ${++n})`;
				let value: unknown;
				try {
					value = map(r);
				} catch (error) {
					// like the CSV errors: file, line, record, the record's code, the field (EDI++ position and name)
					const message = error instanceof Error ? error.message : String(error);
					const key = error instanceof EppMappingError ? error.field : undefined;
					const pos = key === undefined ? undefined : fields.find((f) => f.key === key)?.pos;
					const who = r[code]
						? `${entity} "${r[code]}"`
						: `${entity} (no ${fields[code].key}, EDI++ field ${code + 1})`;
					const field = pos === undefined ? '' : `EDI++ field ${pos} (${key}): `;
					yield {
						line,
						where,
						value: undefined,
						problem: new FileProblem(
							`${fileName} ${where}: ${who}: ${field}${message}`,
							line,
							pos === undefined ? undefined : `#${pos}`,
						),
					};
					continue;
				}
				yield { line, where, value };
			}
		}
	}
	return { records: records(), encoding: doc.encoding, encodingReason: doc.encodingReason };
}

/** A reader's format error as a problem naming file, line and field; undefined for any other error. */
function readProblem(fileName: string, error: unknown): FileProblem | undefined {
	if (error instanceof CsvError) return new FileProblem(error.message, error.line, error.field);
	if (error instanceof XmlFileError) {
		const message = error.message.startsWith(fileName) ? error.message : `${fileName}: ${error.message}`;
		return new FileProblem(message, error.line, error.field, error.column);
	}
	if (error instanceof EppFormatError) return new FileProblem(error.message, error.line, `#${error.field}`);
	if (error instanceof EncodingError || error instanceof FileProblem) return error;
	if (error instanceof EppMappingError) return new FileProblem(`${fileName}: ${error.message}`);
	return undefined;
}

/** Reads a file with `read`, turning the readers' format errors into problems naming file, line and field. */
export async function readFileSafely(
	node: INode,
	itemIndex: number,
	fileName: string,
	read: () => Promise<FileRead> | FileRead,
): Promise<FileRead | { problems: FileProblem[] }> {
	try {
		return await read();
	} catch (error) {
		const problem = readProblem(fileName, error);
		if (problem) return { problems: [problem] };
		throw new NodeOperationError(node, error as Error, { itemIndex });
	}
}

/** Where the good records of a file go (a RecordSink) while the file is good so far. */
export interface RecordTarget {
	/** called once, before the first record: the file's name (for the below-zero hint) */
	begin?(fileName: string): void;
	add(json: IDataObject): Promise<void>;
}

/**
 * Validates every record of a file as the reader gives it and hands the good ones to `target` until the first
 * problem (then it goes on only to find the others: one per bad record, duplicates too). Returns the problems;
 * none means every record went to `target`. A reader that breaks in the middle (a bad byte, a broken quote, a
 * cut-off file) gives that one problem, as when the whole file was read first. Stock below zero is data, not a
 * bad record: each level goes through the one rule of ../model/stock first.
 */
export async function validateFileRecordsInto(
	node: INode,
	itemIndex: number,
	entity: FileEntity,
	fileName: string,
	read: FileRead,
	o: ValidateOptions,
	target: RecordTarget,
): Promise<FileProblem[]> {
	target.begin?.(fileName);
	const problems: FileProblem[] = [];
	// one key per file: the ERP code is the only key, a second row would silently overwrite the first. The first
	// place of a key is kept as its line when that says it ("line 17"), so 300,000 keys cost no 300,000 strings.
	const seen = entity === 'price' ? undefined : new Map<string, number | string>();
	// _source needs the encoding; a CSV in auto mode may decide it only after its first records
	const held: IDataObject[] = [];
	const release = async () => {
		for (const rec of held.splice(0)) {
			const src = rec._source as IDataObject;
			src.encoding = read.encoding;
			src.encodingReason = read.encodingReason;
			if (!problems.length) await target.add(rec);
		}
	};
	try {
		for await (const r of read.records) {
			const raw = r.value as StockFigures & IDataObject;
			if (seen) {
				const key = (raw as Record<string, unknown> | null)?.[KEY_FIELD[entity]];
				if (typeof key === 'string' || typeof key === 'number') {
					const k = entity === 'stock' ? `${key}@${String(raw.warehouseCode)}` : String(key);
					const first = seen.get(k);
					if (first !== undefined) {
						problems.push(
							new FileProblem(
								`${fileName} ${r.where}: ${entity} "${k}" appears twice (first at ${typeof first === 'number' ? `line ${first}` : first})`,
								r.line,
								KEY_FIELD[entity],
								r.column,
							),
						);
					} else seen.set(k, r.line !== undefined && r.where === `line ${r.line}` ? r.line : r.where);
				}
			}
			if (r.problem) {
				problems.push(r.problem);
				continue;
			}
			// the raw record is this reader's own object (a CSV row, an XML record, a parsed JSON entry): changed in place
			const below =
				entity === 'stock' && typeof raw === 'object' && raw !== null && !Array.isArray(raw) && normaliseStock(raw);
			const result = validateRecord(entity, r.value, { moneyDecimals: o.moneyDecimals, rounding: o.rounding });
			if (!result.ok) {
				const field = result.issues[0]?.field;
				const src = field !== undefined ? r.sources?.[field] : undefined;
				const from = src
					? src.line !== undefined
						? ` (from "${src.path}" at line ${src.line}, column ${src.column})`
						: ` (mapped to "${src.path}")`
					: '';
				problems.push(
					new FileProblem(
						`${fileName} ${r.where}: ${describeIssues(entity, result)}${from}`,
						src?.line ?? r.line,
						field,
						src?.line !== undefined ? src.column : r.column,
					),
				);
				continue;
			}
			if (problems.length) continue; // nothing more is kept of a bad file
			const rec = result.value as unknown as IDataObject;
			if (below) rec[BELOW_ZERO_FIELD] = raw[BELOW_ZERO_FIELD];
			if (o.includeSourceInfo) {
				rec._source = {
					fileName,
					format: o.format,
					encoding: read.encoding,
					encodingReason: read.encodingReason,
					...(r.line !== undefined ? { line: r.line } : { record: r.where }),
					...(r.column !== undefined ? { column: r.column } : {}),
				};
				if (!read.encoding || held.length) {
					held.push(rec);
					if (read.encoding) await release();
					continue;
				}
			}
			await target.add(rec);
		}
	} catch (error) {
		const problem = readProblem(fileName, error);
		if (!problem) throw new NodeOperationError(node, error as Error, { itemIndex });
		return [problem];
	}
	await release();
	return problems;
}

/**
 * Runs `parseOne` for each input item (one file each) with a RecordSink for its records (one item each, or
 * batches / batch files as `output` says, numbered on across the files), and emits them when the file was good;
 * otherwise — with Continue On Fail — its problems as error items; without it, the first problem stops the node
 * (nothing of that file passed on).
 */
export async function emitParsedFiles(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	parseOne: (itemIndex: number, target: RecordTarget) => Promise<FileProblem[]>,
	output: (itemIndex: number) => { entity: string; form: RecordForm; size: number },
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	let batches = 0;
	for (let i = 0; i < items.length; i++) {
		const { entity, form, size } = output(i);
		let hintPrefix = '';
		let sink: RecordSink | undefined;
		const target: RecordTarget = {
			begin: (fileName) => (hintPrefix = `${fileName}: `),
			add: async (json) => {
				sink ??= new RecordSink(ctx, entity, form, size, i, { firstBatch: batches + 1, hintPrefix });
				await sink.add(json);
			},
		};
		let problems: FileProblem[];
		try {
			problems = await parseOne(i, target);
		} catch (error) {
			await sink?.discard();
			if (!ctx.continueOnFail()) {
				throw error instanceof NodeOperationError
					? error
					: new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: i });
			}
			out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
			continue;
		}
		if (problems.length) {
			await sink?.discard();
			if (!ctx.continueOnFail()) {
				const [first, ...rest] = problems;
				const more = rest.length ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''} in this file)` : '';
				throw new NodeOperationError(ctx.getNode(), `${first.message}${more}`, {
					itemIndex: i,
					description:
						problems
							.slice(0, 50)
							.map((p) => p.message)
							.join('\n') +
						'\n\nNothing from this file was passed on: fix the file (or turn on Continue On Fail to get the problems as items).',
				});
			}
			for (const p of problems) {
				out.push({
					json: {
						error: p.message,
						...(p.line !== undefined ? { line: p.line } : {}),
						...(p.column !== undefined ? { column: p.column } : {}),
						...(p.field ? { field: p.field } : {}),
					},
					pairedItem: { item: i },
				});
			}
			continue;
		}
		if (!sink) continue;
		// shown in the node's output pane (and kept with the execution); each such record carries "_belowZero"
		for (const item of await sink.finish()) out.push(item);
		batches += sink.batches;
	}
	return out;
}
