/**
 * CSV files from and for ERPs, in bounded memory.
 *
 * Reading: bytes are decoded chunk by chunk with iconv-lite's streaming decoder (a multi-byte UTF-8
 * character split across chunks is fine), text is parsed in batches of about 64 Ki characters with
 * papaparse's incremental parser (a row that spans batches is carried over), and records are yielded
 * one by one. Memory is bounded by the batch size and the longest row, not by the file.
 *
 * !!! STREAMING CANNOT BE ALL-OR-NOTHING !!!
 * `readCsvRecords` yields the good records it has seen BEFORE it finds a broken row, a bad byte or a
 * truncated end. A thrown error therefore means: DISCARD EVERYTHING ALREADY RECEIVED FROM THIS FILE
 * (or stage the records and commit only after the generator finished without error). When the
 * records must not be acted on before the whole file is known to be good, call `validateCsvFile`
 * first (one streaming pass that checks and counts without keeping rows), then read it again.
 *
 * Errors name the file, the physical line (1-based, counting line breaks inside quoted fields) and
 * the field: `CsvError` for structure, `EncodingError` (from ./encoding) for undecodable bytes.
 *
 * Pure module: no n8n imports.
 */
import * as iconv from 'iconv-lite';
import Papa from 'papaparse';
import {
	DETECTION_SAMPLE_BYTES,
	EncodingError,
	detectEncodingFromContent,
	detectMarkedEncoding,
	encodeText,
	hasUtf8Bom,
	replacementByteOffset,
	undecodableError,
	type EncodingChoice,
	type OutputEncoding,
} from './encoding';

export type CsvDelimiter = ',' | ';' | '\t';

export type CsvErrorCode =
	| 'MissingQuotes'
	| 'InvalidQuotes'
	| 'TooFewFields'
	| 'TooManyFields'
	| 'WrongDelimiter'
	| 'MissingColumns'
	| 'BadHeader'
	| 'EmptyFile';

export class CsvError extends Error {
	constructor(
		message: string,
		readonly code: CsvErrorCode,
		readonly fileName: string,
		readonly line: number,
		/** column name, `#n` (1-based) for a column beyond the header, undefined for whole-header errors */
		readonly field: string | undefined,
	) {
		super(message);
		this.name = 'CsvError';
	}
}

export interface CsvFileInfo {
	fileName: string;
	delimiter: CsvDelimiter;
	/** how the delimiter was chosen */
	delimiterReason: string;
	newline: '\r\n' | '\n' | '\r';
	columns: string[];
}

export interface CsvReadOptions {
	encoding: EncodingChoice;
	/** default 'auto': the most frequent of , ; TAB in the header line (a header that yields all expectedColumns wins) */
	delimiter?: 'auto' | CsvDelimiter;
	/** the first non-blank line is the header (the only mode supported) */
	header: true;
	/** for error messages */
	fileName: string;
	/** columns that must be present (others are allowed) */
	expectedColumns?: string[];
	/** called once, after the header line was read */
	onInfo?: (info: CsvFileInfo) => void;
	/**
	 * called once when the encoding is decided. In auto mode a file that starts with ASCII is decided at
	 * its first non-ASCII byte (ASCII is the same in every candidate), so this may come after records.
	 */
	onEncoding?: (encoding: string, reason: string) => void;
	/** characters parsed per batch (default 65536); tests use small values */
	batchChars?: number;
}

export interface CsvRecord {
	/** physical line (1-based) where the row starts */
	line: number;
	record: Record<string, string>;
}

type ByteSource = AsyncIterable<Buffer | Uint8Array | string> | NodeJS.ReadableStream;

function toBuffer(chunk: unknown, fileName: string): Buffer {
	if (Buffer.isBuffer(chunk)) return chunk;
	if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
	throw new Error(
		`${fileName}: the stream yields ${typeof chunk} chunks; it must yield bytes (do not call setEncoding on it)`,
	);
}

function encodedLength(text: string, encoding: string): number {
	if (encoding === 'utf-8') return Buffer.byteLength(text, 'utf8');
	if (encoding.startsWith('utf-16')) return text.length * 2;
	return text.length;
}

function firstNonAscii(buf: Buffer): number {
	for (let i = 0; i < buf.length; i++) if (buf[i] > 0x7f) return i;
	return -1;
}

/**
 * Decodes a byte stream to text pieces. Auto mode: BOM / declaration in the first 64 KiB, otherwise
 * the decision waits for the first non-ASCII byte and looks at the 64 KiB from there.
 */
async function* decodeChunks(
	source: ByteSource,
	choice: EncodingChoice,
	fileName: string,
	report: (encoding: string, reason: string) => void,
): AsyncGenerator<string> {
	const it = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
	let eof = false;
	const nextChunk = async (): Promise<Buffer | undefined> => {
		if (eof) return undefined;
		const r = await it.next();
		if (r.done) {
			eof = true;
			return undefined;
		}
		return toBuffer(r.value, fileName);
	};
	const gather = async (parts: Buffer[], min: number): Promise<Buffer> => {
		let len = parts.reduce((n, p) => n + p.length, 0);
		while (len < min) {
			const c = await nextChunk();
			if (!c) break;
			parts.push(c);
			len += c.length;
		}
		return parts.length === 1 ? parts[0] : Buffer.concat(parts);
	};
	try {
		/** input bytes already turned into text */
		let consumed = 0;
		let buf = await gather([], choice === 'auto' ? DETECTION_SAMPLE_BYTES : 3);
		let encoding: string;
		let bomLength = 0;
		if (choice !== 'auto') {
			encoding = choice;
			let reason = 'chosen explicitly';
			if (hasUtf8Bom(buf)) {
				if (choice !== 'utf-8') {
					throw new EncodingError(
						`file "${fileName}" starts with a UTF-8 byte-order mark but ${choice} was chosen; choose utf-8 or auto`,
						fileName,
						0,
					);
				}
				bomLength = 3;
				reason = 'chosen explicitly (UTF-8 byte-order mark stripped)';
			}
			report(encoding, reason);
		} else {
			const marked = detectMarkedEncoding(buf);
			if (marked) {
				encoding = marked.encoding;
				bomLength = marked.bomLength;
				report(encoding, marked.reason);
			} else {
				// ASCII is identical in every candidate: pass it through until the first non-ASCII byte
				for (;;) {
					const high = firstNonAscii(buf);
					if (high === -1) {
						if (buf.length) yield buf.toString('latin1');
						consumed += buf.length;
						const c = await nextChunk();
						if (!c) {
							report('windows-1250', 'only ASCII bytes in the whole file, which fit every candidate: assumed windows-1250');
							return;
						}
						buf = c;
						continue;
					}
					if (high > 0) {
						yield buf.toString('latin1', 0, high);
						consumed += high;
						buf = buf.subarray(high);
					}
					buf = await gather([buf], DETECTION_SAMPLE_BYTES);
					const d = detectEncodingFromContent(buf.subarray(0, DETECTION_SAMPLE_BYTES), eof && buf.length <= DETECTION_SAMPLE_BYTES);
					encoding = d.encoding;
					report(encoding, consumed > 0 ? `${d.reason} (first non-ASCII byte at offset ${consumed})` : d.reason);
					break;
				}
			}
		}
		const decoder = iconv.getDecoder(encoding, { stripBOM: false });
		/** byte offset of the next decoded character */
		let textOffset = consumed + bomLength;
		const check = (s: string): string => {
			const bad = s.indexOf('\ufffd');
			if (bad !== -1) throw undecodableError(fileName, encoding, replacementByteOffset(s, bad, encoding, textOffset));
			textOffset += encodedLength(s, encoding);
			return s;
		};
		let s = check(decoder.write(buf.subarray(bomLength)));
		if (s) yield s;
		for (let c = await nextChunk(); c; c = await nextChunk()) {
			s = check(decoder.write(c));
			if (s) yield s;
		}
		s = check(decoder.end() ?? '');
		if (s) yield s;
	} finally {
		if (!eof && it.return) await it.return();
	}
}

const DELIMITERS: CsvDelimiter[] = [',', ';', '\t'];

function showDelimiter(d: string): string {
	return d === '\t' ? 'TAB' : `"${d}"`;
}

/** counts delimiter candidates outside quotes in the header line */
function countOutsideQuotes(line: string, d: string): number {
	let n = 0;
	let inQuotes = false;
	for (let i = 0; i < line.length; i++) {
		const ch = line[i];
		if (ch === '"') inQuotes = !inQuotes;
		else if (!inQuotes && ch === d) n++;
	}
	return n;
}

function splitHeader(line: string, d: string): string[] {
	const r = new Papa.Parser({ delimiter: d, newline: '\n' }).parse(line, 0, false) as { data: string[][] };
	return (r.data[0] ?? []).map((h) => h.trim());
}

function chooseDelimiter(
	headerLine: string,
	expected: string[] | undefined,
): { delimiter: CsvDelimiter; reason: string } {
	if (expected && expected.length > 0) {
		for (const d of DELIMITERS) {
			const cols = splitHeader(headerLine, d);
			if (expected.every((e) => cols.includes(e))) {
				return { delimiter: d, reason: `the header split by ${showDelimiter(d)} has all expected columns` };
			}
		}
	}
	const counts = DELIMITERS.map((d) => countOutsideQuotes(headerLine, d));
	let best = 0;
	for (let i = 1; i < counts.length; i++) if (counts[i] > counts[best]) best = i;
	const summary = DELIMITERS.map((d, i) => `${counts[i]}×${showDelimiter(d)}`).join(', ');
	return { delimiter: DELIMITERS[best], reason: `most frequent in the header line (${summary})` };
}

function countBreaks(text: string, from: number, to: number, brk: string): number {
	let n = 0;
	for (let i = text.indexOf(brk, from); i !== -1 && i < to; i = text.indexOf(brk, i + 1)) n++;
	return n;
}

/** index of the field that contains `pos` (the row is well formed before `pos`) */
function fieldIndexAt(text: string, rowStart: number, pos: number, delimiter: string): number {
	let field = 0;
	let atStart = true;
	let inQuotes = false;
	for (let i = rowStart; i < pos; i++) {
		const ch = text[i];
		if (inQuotes) {
			if (ch === '"') {
				if (text[i + 1] === '"') i++;
				else inQuotes = false;
			}
		} else if (atStart && ch === '"') {
			inQuotes = true;
			atStart = false;
		} else if (ch === delimiter) {
			field++;
			atStart = true;
		} else atStart = false;
	}
	return field;
}

interface PapaError {
	code: string;
	index: number;
}

interface ParsedRow {
	fields: string[];
	start: number;
	end: number;
	errors: PapaError[];
}

/**
 * Streams the records of a CSV file with a header line.
 *
 * !!! Records are yielded before the whole file has been checked. If this throws (CsvError,
 * EncodingError, or a read error), DISCARD EVERY RECORD ALREADY RECEIVED FROM THIS FILE. Use
 * `validateCsvFile` first when partial processing is not acceptable. !!!
 *
 * Blank lines are skipped (and counted in line numbers). Header names are trimmed; values are not.
 */
export async function* readCsvRecords(source: ByteSource, opts: CsvReadOptions): AsyncGenerator<CsvRecord> {
	const fileName = opts.fileName;
	const batchChars = opts.batchChars ?? 65536;
	const where = (line: number, field: string | undefined) =>
		`${fileName} line ${line}, ${field === undefined ? 'header' : field.startsWith('#') ? `field ${field}` : `field "${field}"`}`;

	let pending = '';
	let parseAt = batchChars;
	let parser: Papa.Parser | undefined;
	let delimiter: CsvDelimiter = ',';
	let newline: '\r\n' | '\n' | '\r' = '\n';
	let lineBreak = '\n';
	let header: string[] | undefined;
	/** line where `pending` starts */
	let line = 1;
	/** a short row is an error, but whether it is the (truncated?) last row is known only later */
	let shortRow: { line: number; count: number } | undefined;

	const shortRowError = (last: boolean): CsvError => {
		const sr = shortRow as { line: number; count: number };
		const cols = header as string[];
		const missing = cols[sr.count];
		return new CsvError(
			`${where(sr.line, missing)}: row has ${sr.count} field${sr.count === 1 ? '' : 's'}, expected ${cols.length} (TooFewFields)` +
				(last ? '; it is the last row of the file: truncated file?' : ''),
			'TooFewFields',
			fileName,
			sr.line,
			missing,
		);
	};

	let rows: ParsedRow[] = [];
	let rowStart = 0;
	let delimiterReason = '';

	/** chooses delimiter and line break from the header line; false while that line is incomplete */
	const setUp = (final: boolean): boolean => {
		const m = /^(?:[ \t]*(?:\r\n|\n|\r))*([^\r\n]*)(\r\n|\n|\r)?/.exec(pending) as RegExpExecArray;
		if (m[2] === undefined && !final) return false;
		// "\r" at the very end of a chunk may be the first half of "\r\n"
		if (m[2] === '\r' && m.index + m[0].length === pending.length && !final) return false;
		newline = (m[2] as '\r\n' | '\n' | '\r' | undefined) ?? '\n';
		lineBreak = newline === '\r' ? '\r' : '\n';
		if (!opts.delimiter || opts.delimiter === 'auto') {
			({ delimiter, reason: delimiterReason } = chooseDelimiter(m[1], opts.expectedColumns));
		} else {
			delimiter = opts.delimiter;
			delimiterReason = 'chosen explicitly';
		}
		parser = new Papa.Parser({
			delimiter,
			newline,
			// the raw Parser passes { data: [row], errors of that row, meta.cursor = end of the row }
			step: (r: Papa.ParseStepResult<unknown>) => {
				const meta = r.meta as unknown as { cursor: number };
				const fields = (r.data as unknown as string[][])[0];
				const errors = r.errors.map((e) => ({ code: e.code as string, index: e.index ?? 0 }));
				rows.push({ fields, start: rowStart, end: meta.cursor, errors });
				rowStart = r.meta.cursor;
			},
		});
		return true;
	};

	const acceptHeader = (fields: string[], at: number): void => {
		const cols = fields.map((f) => f.trim());
		const expected = opts.expectedColumns ?? [];
		if (cols.length === 1 && expected.length > 1) {
			const guess = DELIMITERS.filter((d) => d !== delimiter).find((d) => splitHeader(fields[0], d).length > 1);
			throw new CsvError(
				`${where(at, undefined)}: wrong delimiter? found 1 column "${fields[0]}" splitting by ${showDelimiter(delimiter)}, ` +
					`expected ${expected.length} (${expected.join(', ')})` +
					(guess ? `; the header looks ${showDelimiter(guess)}-separated` : ''),
				'WrongDelimiter',
				fileName,
				at,
				undefined,
			);
		}
		const seen = new Set<string>();
		cols.forEach((c, i) => {
			if (c === '') {
				throw new CsvError(`${where(at, undefined)}: column ${i + 1} has an empty name`, 'BadHeader', fileName, at, `#${i + 1}`);
			}
			if (seen.has(c)) {
				throw new CsvError(`${where(at, undefined)}: column "${c}" appears twice`, 'BadHeader', fileName, at, c);
			}
			seen.add(c);
		});
		const missing = expected.filter((e) => !seen.has(e));
		if (missing.length) {
			throw new CsvError(
				`${where(at, undefined)}: missing column${missing.length === 1 ? '' : 's'} ${missing.map((m) => `"${m}"`).join(', ')}; ` +
					`found ${cols.map((c) => `"${c}"`).join(', ')} (delimiter ${showDelimiter(delimiter)})`,
				'MissingColumns',
				fileName,
				at,
				undefined,
			);
		}
		header = cols;
		opts.onInfo?.({ fileName, delimiter, delimiterReason, newline, columns: cols });
	};

	/** parses `pending` (all of it when final, up to the last complete row otherwise) */
	function* parseBatch(final: boolean): Generator<CsvRecord> {
		rows = [];
		rowStart = 0;
		(parser as Papa.Parser).parse(pending, 0, !final);
		const consumed = final ? pending.length : rowStart;
		let lastNonBlank = -1;
		for (let i = rows.length - 1; i >= 0; i--) {
			if (!(rows[i].fields.length === 1 && rows[i].fields[0] === '')) {
				lastNonBlank = i;
				break;
			}
		}
		for (let i = 0; i < rows.length; i++) {
			const row = rows[i];
			const rowLine = line;
			line += countBreaks(pending, row.start, row.end, lineBreak);
			const quoteError = row.errors.find((e) => e.code === 'MissingQuotes' || e.code === 'InvalidQuotes');
			if (quoteError) {
				const quotePos = quoteError.index - 1; // papaparse reports the position after the opening quote
				const errLine = rowLine + countBreaks(pending, row.start, quotePos, lineBreak);
				const idx = fieldIndexAt(pending, row.start, quotePos, delimiter);
				const field = header ? (header[idx] ?? `#${idx + 1}`) : `#${idx + 1}`;
				const detail =
					quoteError.code === 'MissingQuotes'
						? 'unbalanced quotes: the quoted field opened here is never closed (MissingQuotes); truncated file or a stray quote?'
						: 'malformed quotes: a closing quote must be followed by the delimiter or the end of the line (InvalidQuotes)';
				throw new CsvError(`${where(errLine, field)}: ${detail}`, quoteError.code as CsvErrorCode, fileName, errLine, field);
			}
			if (row.fields.length === 1 && row.fields[0] === '') continue; // blank line
			if (shortRow) throw shortRowError(false);
			if (!header) {
				acceptHeader(row.fields, rowLine);
				continue;
			}
			const cols = header;
			if (row.fields.length < cols.length) {
				shortRow = { line: rowLine, count: row.fields.length };
				if (final && i === lastNonBlank) throw shortRowError(true);
				continue;
			}
			if (row.fields.length > cols.length) {
				const field = `#${cols.length + 1}`;
				throw new CsvError(
					`${where(rowLine, field)}: row has ${row.fields.length} fields, expected ${cols.length} (TooManyFields)`,
					'TooManyFields',
					fileName,
					rowLine,
					field,
				);
			}
			const record: Record<string, string> = {};
			for (let c = 0; c < cols.length; c++) record[cols[c]] = row.fields[c];
			yield { line: rowLine, record };
		}
		if (final && shortRow) throw shortRowError(true);
		pending = pending.slice(consumed);
		rows = [];
	}

	const decoded = decodeChunks(source, opts.encoding, fileName, (enc, reason) => opts.onEncoding?.(enc, reason));
	for await (const piece of decoded) {
		pending += piece;
		if (pending.length < parseAt) continue;
		if (!parser) {
			if (!setUp(false)) {
				parseAt = pending.length * 2;
				continue;
			}
		}
		yield* parseBatch(false);
		// a row longer than the batch: wait for more text before parsing again (no quadratic re-parsing)
		parseAt = Math.max(batchChars, pending.length * 2);
	}
	if (!parser) setUp(true);
	yield* parseBatch(true);
	if (!header) {
		throw new CsvError(`${fileName} line 1, header: the file is empty (no header line)`, 'EmptyFile', fileName, 1, undefined);
	}
}

export type CsvValidation =
	| {
			ok: true;
			fileName: string;
			rows: number;
			columns: string[];
			delimiter: CsvDelimiter;
			encoding: string;
			encodingReason: string;
	  }
	| {
			ok: false;
			fileName: string;
			/** good rows seen before the error */
			rowsBeforeError: number;
			error: CsvError | EncodingError;
	  };

/**
 * Streams the file once and checks it (encoding, header, every row) without keeping rows. Returns
 * `{ ok: false, error }` for a CSV or encoding problem; read errors of the source are thrown.
 */
export async function validateCsvFile(source: ByteSource, opts: CsvReadOptions): Promise<CsvValidation> {
	let rows = 0;
	let columns: string[] = [];
	let delimiter: CsvDelimiter = ',';
	let encoding = '';
	let encodingReason = '';
	let caught: { error: unknown } | undefined;
	try {
		for await (const r of readCsvRecords(source, {
			...opts,
			onInfo: (info) => {
				columns = info.columns;
				delimiter = info.delimiter;
				opts.onInfo?.(info);
			},
			onEncoding: (e, reason) => {
				encoding = e;
				encodingReason = reason;
				opts.onEncoding?.(e, reason);
			},
		})) {
			void r;
			rows++;
		}
	} catch (error) {
		caught = { error };
	}
	if (caught) {
		const { error } = caught;
		if (error instanceof CsvError || error instanceof EncodingError) {
			return { ok: false, fileName: opts.fileName, rowsBeforeError: rows, error };
		}
		// a read error of the source is not a verdict on the file: propagate it unchanged
		throw error;
	}
	return { ok: true, fileName: opts.fileName, rows, columns, delimiter, encoding, encodingReason };
}

export interface CsvWriteOptions {
	/** written in this order; other keys of the records are not written */
	columns: string[];
	/** default ';' — what Polish Excel expects */
	delimiter?: CsvDelimiter;
	/** default 'utf-8' */
	encoding?: OutputEncoding;
	/** UTF-8 byte-order mark (Excel needs it for UTF-8); default false */
	bom?: boolean;
	/** default CRLF */
	newline?: '\r\n' | '\n';
	/**
	 * default true: a text cell that starts with = + - @ TAB or CR gets a leading ' (and quotes), so that Excel or
	 * LibreOffice shows it instead of running it as a formula (`=HYPERLINK(…)` in a buyer's order note). Plain
	 * numbers ("-3", "+5", "-12.50") are left alone.
	 */
	escapeFormulae?: boolean;
}

/** a cell a spreadsheet would read as a formula (OWASP "CSV injection"), but not a plain signed number */
export const CSV_FORMULA = /^(?![-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$)[=+\-@\t\r]/;

type CsvValue = string | number | boolean | bigint | null | undefined;

/**
 * Writes records as CSV bytes (header line, CRLF, final line break). Quotes fields that contain the
 * delimiter, quotes, line breaks or leading/trailing spaces; escapes formulae (see escapeFormulae).
 * Throws when a character cannot be written in the chosen encoding.
 */
export function writeCsv(records: Iterable<Record<string, CsvValue>>, opts: CsvWriteOptions): Buffer {
	const delimiter = opts.delimiter ?? ';';
	const newline = opts.newline ?? '\r\n';
	const data: string[][] = [];
	for (const r of records) {
		data.push(
			opts.columns.map((c) => {
				const v = r[c];
				if (v === null || v === undefined) return '';
				if (typeof v === 'object') throw new Error(`writeCsv: column "${c}" holds an object, not a scalar`);
				return String(v);
			}),
		);
	}
	const text = Papa.unparse(
		{ fields: opts.columns, data },
		{
			delimiter,
			newline,
			header: true,
			quotes: false,
			escapeFormulae: opts.escapeFormulae === false ? false : CSV_FORMULA,
		},
	);
	return encodeText(text + newline, opts.encoding ?? 'utf-8', { bom: opts.bom });
}
