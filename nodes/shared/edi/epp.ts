/**
 * EDI++ (.epp) reader and writer — InsERT "Komunikacja – Struktura danych EDI++" 1.05 / 1.11, as written
 * and read by Subiekt GT (and Rewizor, Gestor, Navireo). Pure functions, no n8n imports.
 *
 * File shape (spec §1.1, §1.6): `[INFO]` first; each label (`[INFO]`, `[NAGLOWEK]`, `[ZAWARTOSC]`) on its own
 * line; one record per line; fields separated by commas; text quoted ("...", inner quotes doubled; a quoted
 * text may hold commas and CRLF — the reader accepts that, the writer puts a space for each line break);
 * numbers, booleans (0/1) and dates (yyyymmddhhnnss) unquoted; amounts with
 * "." and 4 places; CRLF; the file ends with an empty line. Code page in [INFO] field 3: 852 or 1250.
 *
 * Field positions live in ONE table: ./epp-fields.ts.
 *
 * Parsing is a quoted-CSV state machine over the decoded text. Structural faults (wrong field count,
 * unterminated quote, truncated file, misplaced labels) throw EppFormatError carrying the file name, the
 * 1-based line and the 1-based field index; nothing partial is returned. Sections this module does not
 * model (GRUPYTOWAROW, CECHYTOWAROW, KONTRAHENCI groups, cash/bank documents, unknown labels, ...) are
 * skipped with a warning and kept verbatim in `skipped` so that writeEpp can reproduce the file byte for byte.
 */
import * as iconv from 'iconv-lite';
import {
	CENNIK_FIELDS,
	CORRECTION_TYPES,
	DOC_HEADER_FIELDS,
	DOC_LINE_CORRECTION_FIELDS,
	DOC_LINE_FIELDS,
	DOCUMENT_TYPES,
	INFO_FIELDS,
	KONTRAHENCI_FIELDS_105,
	KONTRAHENCI_FIELDS_111,
	TOWARY_FIELDS,
	type EppFieldDef,
} from './epp-fields';

export type EppEncoding = 'windows-1250' | 'cp852' | 'utf-8';
export type EppVersion = '1.05' | '1.11';

export interface EppSection {
	/** [NAGLOWEK] record: 62 fields for documents, one field (the keyword) for master data */
	header: string[];
	/** document type ("ZK", "FS", ...) or master-data keyword ("TOWARY", "CENNIK", "KONTRAHENCI") */
	name: string;
	/** [ZAWARTOSC] records */
	body: string[][];
	/** parser only: the 1-based file line of each body record, so a mapping error can name it */
	lines?: number[];
}

/** A section this module does not model, kept verbatim (decoded text, CRLFs included). */
export interface EppSkippedSection {
	name: string;
	/** 1-based line of its label */
	line: number;
	/** it stood just before sections[before] (before === sections.length: after the last one) */
	before: number;
	raw: string;
}

export interface EppDocument {
	/** [INFO] record, 24 fields */
	info: string[];
	sections: EppSection[];
	/** unknown sections to re-emit verbatim (optional on write) */
	skipped?: EppSkippedSection[];
}

export interface EppParseResult extends EppDocument {
	skipped: EppSkippedSection[];
	encoding: EppEncoding;
	encodingReason: string;
	warnings: string[];
}

export interface EppParseOptions {
	encoding?: 'auto' | EppEncoding;
	fileName?: string;
}

export interface EppWriteOptions {
	encoding: 'windows-1250' | 'cp852';
	version: EppVersion;
	/** re-emit `doc.skipped` blocks at their places (default true) */
	keepSkipped?: boolean;
	/**
	 * write line breaks inside text fields as they are (default false: each becomes a space). Only for
	 * reproducing a file read from an ERP byte for byte (a product description over several lines); never for
	 * text that came from the portal or a buyer.
	 */
	keepLineBreaks?: boolean;
}

export class EppFormatError extends Error {
	constructor(
		public readonly fileName: string,
		/** 1-based line */
		public readonly line: number,
		/** 1-based field index within the record */
		public readonly field: number,
		public readonly reason: string,
	) {
		super(`${fileName}: line ${line}, field ${field}: ${reason}`);
		this.name = 'EppFormatError';
	}
}

export const EPP_LABELS = ['INFO', 'NAGLOWEK', 'ZAWARTOSC'] as const;
const CRLF = '\r\n';

// ---------------------------------------------------------------------------------------------- encoding

interface EncodingChoice {
	encoding: EppEncoding;
	reason: string;
	warning?: string;
}

/** Field 3 of the [INFO] record read from raw bytes (ASCII-safe in 852, 1250 and UTF-8). */
export function readInfoCodePage(bytes: Buffer): string | undefined {
	let text = bytes.subarray(0, Math.min(bytes.length, 4096)).toString('latin1');
	if (text.startsWith('\u00ef\u00bb\u00bf')) text = text.slice(3);
	const m = /^\[INFO\]\r?\n/.exec(text);
	if (!m) return undefined;
	let i = m[0].length;
	const fields: string[] = [];
	let cur = '';
	let quoted = false;
	while (i < text.length && fields.length < 3) {
		const c = text[i];
		if (quoted) {
			if (c === '"') {
				if (text[i + 1] === '"') {
					cur += '"';
					i++;
				} else quoted = false;
			} else cur += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') {
			fields.push(cur);
			cur = '';
		} else if (c === '\r' || c === '\n') {
			fields.push(cur);
			break;
		} else cur += c;
		i++;
	}
	return fields.length >= 3 ? fields[2].trim() : undefined;
}

function chooseEncoding(bytes: Buffer, requested: 'auto' | EppEncoding): EncodingChoice {
	const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
	const codePage = readInfoCodePage(bytes);
	const fromInfo: EppEncoding | undefined =
		codePage === '852' ? 'cp852' : codePage === '1250' ? 'windows-1250' : undefined;
	if (requested !== 'auto') {
		const warning =
			fromInfo && fromInfo !== requested
				? `encoding ${requested} was requested but [INFO] field 3 says ${codePage} (${fromInfo}); decoded as requested`
				: undefined;
		return { encoding: requested, reason: `requested by the caller (encoding: '${requested}')`, warning };
	}
	if (hasBom) return { encoding: 'utf-8', reason: 'UTF-8 byte-order mark at the start of the file' };
	if (fromInfo) return { encoding: fromInfo, reason: `[INFO] field 3 (code page) is ${codePage}` };
	return {
		encoding: 'windows-1250',
		reason:
			codePage === undefined
				? '[INFO] field 3 (code page) not readable; defaulted to Windows-1250 (spec §1.6: ANSI code page)'
				: `[INFO] field 3 (code page) is "${codePage}", not 852 or 1250; defaulted to Windows-1250`,
		warning: `unrecognised code page in [INFO] field 3 (${codePage ?? 'missing'}); decoded as Windows-1250`,
	};
}

// ---------------------------------------------------------------------------------------------- tokenizer

interface Field {
	value: string;
	quoted: boolean;
}

type Token =
	| { kind: 'label'; name: string; line: number; start: number; end: number }
	| { kind: 'blank'; line: number; start: number; end: number }
	| { kind: 'record'; fields: Field[]; line: number; start: number; end: number };

const LABEL_RE = /^\[([A-Za-z0-9_]+)\]$/;

/**
 * Quoted-CSV state machine. States: start of field, inside an unquoted field, inside a quoted field,
 * just after a quote inside a quoted field (doubled quote or the closing one).
 */
function tokenize(text: string, fileName: string, warnings: string[]): Token[] {
	const tokens: Token[] = [];
	const enum S {
		FieldStart,
		Unquoted,
		Quoted,
		QuoteInQuoted,
	}
	let state = S.FieldStart;
	let fields: Field[] = [];
	let cur = '';
	let quoted = false;
	let line = 1;
	let recordLine = 1;
	let recordStart = 0;
	let quoteLine = 1;
	let lineHasChars = false;
	let bareLf = false;

	const endRecord = (end: number) => {
		if (!lineHasChars) tokens.push({ kind: 'blank', line: recordLine, start: recordStart, end });
		else {
			fields.push({ value: cur, quoted });
			const label = fields.length === 1 && !fields[0].quoted ? LABEL_RE.exec(fields[0].value) : null;
			if (label) tokens.push({ kind: 'label', name: label[1].toUpperCase(), line: recordLine, start: recordStart, end });
			else tokens.push({ kind: 'record', fields, line: recordLine, start: recordStart, end });
		}
		fields = [];
		cur = '';
		quoted = false;
		state = S.FieldStart;
		lineHasChars = false;
		recordStart = end;
		recordLine = line;
	};
	const fieldNo = () => fields.length + 1;

	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (state === S.Quoted) {
			if (c === '"') state = S.QuoteInQuoted;
			else {
				cur += c;
				if (c === '\n') line++;
			}
			continue;
		}
		if (state === S.QuoteInQuoted) {
			if (c === '"') {
				cur += '"';
				state = S.Quoted;
				continue;
			}
			// closing quote seen: only a comma or the end of the line may follow
			if (c !== ',' && c !== '\r' && c !== '\n') {
				throw new EppFormatError(fileName, line, fieldNo(), `unexpected character ${JSON.stringify(c)} after a closing quote`);
			}
		}
		if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
			if (c === '\n') bareLf = true;
			const end = c === '\r' ? i + 2 : i + 1;
			line++;
			endRecord(end);
			i = end - 1;
			continue;
		}
		lineHasChars = true;
		if (c === ',') {
			fields.push({ value: cur, quoted });
			cur = '';
			quoted = false;
			state = S.FieldStart;
		} else if (c === '"') {
			if (state !== S.FieldStart) {
				throw new EppFormatError(fileName, line, fieldNo(), 'quote inside an unquoted field');
			}
			quoted = true;
			quoteLine = line;
			state = S.Quoted;
		} else {
			cur += c;
			state = S.Unquoted;
		}
	}
	if (state === S.Quoted) {
		throw new EppFormatError(fileName, quoteLine, fieldNo(), 'unterminated quoted field (file ends inside quotes)');
	}
	if (lineHasChars) {
		throw new EppFormatError(
			fileName,
			recordLine,
			fieldNo(),
			'truncated file: the last record is cut (no line end after it, no final empty line)',
		);
	}
	if (bareLf) warnings.push('some lines end with LF instead of CRLF');
	return tokens;
}

// ---------------------------------------------------------------------------------------------- layouts

type SectionKind = 'document' | 'TOWARY' | 'CENNIK' | 'KONTRAHENCI';

function versionAtLeast(version: string, major: number, minor: number): boolean {
	const m = /^(\d+)\.(\d+)/.exec(version.trim());
	if (!m) return false;
	const a = Number(m[1]);
	const b = Number(m[2]);
	return a > major || (a === major && b >= minor);
}

export function kontrahenciFields(version: string): EppFieldDef[] {
	return versionAtLeast(version, 1, 11) ? KONTRAHENCI_FIELDS_111 : KONTRAHENCI_FIELDS_105;
}

function sectionKind(name: string): SectionKind | undefined {
	if ((DOCUMENT_TYPES as readonly string[]).includes(name)) return 'document';
	if (name === 'TOWARY' || name === 'CENNIK' || name === 'KONTRAHENCI') return name;
	return undefined;
}

function headerLayout(kind: SectionKind): EppFieldDef[] | number {
	return kind === 'document' ? DOC_HEADER_FIELDS : 1;
}

function bodyLayout(kind: SectionKind, name: string, version: string): EppFieldDef[] {
	switch (kind) {
		case 'document':
			return CORRECTION_TYPES.includes(name) ? [...DOC_LINE_FIELDS, ...DOC_LINE_CORRECTION_FIELDS] : DOC_LINE_FIELDS;
		case 'TOWARY':
			return TOWARY_FIELDS;
		case 'CENNIK':
			return CENNIK_FIELDS;
		case 'KONTRAHENCI':
			return kontrahenciFields(version);
	}
}

/** The field layout of a section's [ZAWARTOSC] records (undefined for sections not modelled here). */
export function eppBodyLayout(name: string, version: string): EppFieldDef[] | undefined {
	const kind = sectionKind(name);
	return kind ? bodyLayout(kind, name, version) : undefined;
}

function checkCount(fileName: string, line: number, found: number, expected: number, what: string): void {
	if (found === expected) return;
	const field = found > expected ? expected + 1 : found + 1;
	throw new EppFormatError(
		fileName,
		line,
		field,
		`${what} must have ${expected} fields, found ${found}${found > expected ? ' (extra field)' : ' (field missing)'}`,
	);
}

const MAX_TYPE_WARNINGS = 20;

function checkTypes(fields: Field[], layout: EppFieldDef[], line: number, what: string, warnings: string[], budget: { n: number }) {
	for (let i = 0; i < fields.length && i < layout.length; i++) {
		const def = layout[i];
		const f = fields[i];
		let problem: string | undefined;
		if (def.type !== 't' && f.quoted) problem = 'is quoted but is not a text field';
		else if (def.type === 'd' && f.value !== '' && !/^\d{14}$/.test(f.value)) problem = 'is not a date yyyymmddhhnnss';
		else if ((def.type === 'a' || def.type === 'i' || def.type === 'b') && f.value !== '' && !/^-?\d+(\.\d+)?$/.test(f.value))
			problem = 'is not a number';
		if (problem && budget.n++ < MAX_TYPE_WARNINGS) {
			warnings.push(`line ${line}, field ${i + 1} (${what} ${def.key}) ${problem}: ${JSON.stringify(f.value)}`);
		}
	}
}

// ---------------------------------------------------------------------------------------------- parser

/** Parses an .epp file. Throws EppFormatError on any structural fault; never returns a partial result. */
export function parseEpp(bytes: Buffer, opts: EppParseOptions = {}): EppParseResult {
	const fileName = opts.fileName ?? '(epp)';
	const warnings: string[] = [];
	const choice = chooseEncoding(bytes, opts.encoding ?? 'auto');
	if (choice.warning) warnings.push(choice.warning);
	const text = iconv.decode(bytes, choice.encoding);
	if (text.length === 0) throw new EppFormatError(fileName, 1, 1, 'empty file');
	const tokens = tokenize(text, fileName, warnings);
	// not an EDI++ file at all (e.g. a CSV picked up by mistake) says so before anything else
	let ti = 0;
	while (ti < tokens.length && tokens[ti].kind === 'blank') ti++;
	const first = tokens[ti];
	if (!first || first.kind !== 'label' || first.name !== 'INFO') {
		throw new EppFormatError(fileName, first ? first.line : 1, 1, 'the file must start with the [INFO] section');
	}
	const last = tokens[tokens.length - 1];
	if (!last || last.kind !== 'blank') {
		throw new EppFormatError(
			fileName,
			last ? last.line : 1,
			last && last.kind === 'record' ? last.fields.length : 1,
			'truncated file: no final empty line',
		);
	}

	const typeBudget = { n: 0 };
	ti++;
	const infoRecords: Array<Extract<Token, { kind: 'record' }>> = [];
	for (; ti < tokens.length && tokens[ti].kind !== 'label'; ti++) {
		const t = tokens[ti];
		if (t.kind === 'record') infoRecords.push(t);
	}
	if (infoRecords.length !== 1) {
		throw new EppFormatError(
			fileName,
			infoRecords[1]?.line ?? first.line + 1,
			1,
			`[INFO] must hold exactly one record, found ${infoRecords.length}`,
		);
	}
	const infoRec = infoRecords[0];
	checkCount(fileName, infoRec.line, infoRec.fields.length, INFO_FIELDS.length, '[INFO]');
	checkTypes(infoRec.fields, INFO_FIELDS, infoRec.line, 'INFO', warnings, typeBudget);
	const info = infoRec.fields.map((f) => f.value);
	const version = info[0];
	if (!/^1\.(05|1[01])(\.\d+)?$/.test(version)) warnings.push(`unexpected EDI++ version "${version}" in [INFO] field 1`);
	const forAccountingOffice = info[1] === '0';

	const sections: EppSection[] = [];
	const skipped: EppSkippedSection[] = [];

	while (ti < tokens.length) {
		const t = tokens[ti];
		if (t.kind === 'blank') {
			ti++;
			continue;
		}
		if (t.kind === 'record') {
			throw new EppFormatError(fileName, t.line, 1, 'record outside any section (expected a [NAGLOWEK] label)');
		}
		// a label
		if (t.name === 'INFO') throw new EppFormatError(fileName, t.line, 1, '[INFO] may appear only once, first');
		if (t.name === 'ZAWARTOSC') throw new EppFormatError(fileName, t.line, 1, '[ZAWARTOSC] without a preceding [NAGLOWEK]');
		if (t.name !== 'NAGLOWEK') {
			// unknown label: skip up to the next [NAGLOWEK] or EOF
			let j = ti + 1;
			while (j < tokens.length && !(tokens[j].kind === 'label' && (tokens[j] as { name: string }).name === 'NAGLOWEK')) j++;
			const end = j < tokens.length ? tokens[j].start : text.length;
			skipped.push({ name: `[${t.name}]`, line: t.line, before: sections.length, raw: text.slice(t.start, end) });
			warnings.push(`line ${t.line}: unknown label [${t.name}] skipped`);
			ti = j;
			continue;
		}
		// [NAGLOWEK] ... optional [ZAWARTOSC] ...
		const labelTok = t;
		let j = ti + 1;
		const headerRecs: Array<Extract<Token, { kind: 'record' }>> = [];
		for (; j < tokens.length && tokens[j].kind !== 'label'; j++) {
			const r = tokens[j];
			if (r.kind === 'record') headerRecs.push(r);
		}
		const bodyRecs: Array<Extract<Token, { kind: 'record' }>> = [];
		let hasBody = false;
		if (j < tokens.length && (tokens[j] as { name?: string }).name === 'ZAWARTOSC') {
			hasBody = true;
			for (j = j + 1; j < tokens.length && tokens[j].kind !== 'label'; j++) {
				const r = tokens[j];
				if (r.kind === 'record') bodyRecs.push(r);
			}
		}
		const blockEnd = j < tokens.length ? tokens[j].start : text.length;
		if (headerRecs.length !== 1) {
			throw new EppFormatError(
				fileName,
				headerRecs[1]?.line ?? labelTok.line + 1,
				1,
				`[NAGLOWEK] must hold exactly one record, found ${headerRecs.length}`,
			);
		}
		const hrec = headerRecs[0];
		const name = hrec.fields[0].value;
		const kind = sectionKind(name);
		if (!kind || (kind === 'document' && forAccountingOffice)) {
			skipped.push({ name, line: labelTok.line, before: sections.length, raw: text.slice(labelTok.start, blockEnd) });
			warnings.push(
				kind
					? `line ${labelTok.line}: document "${name}" for an accounting office ([INFO] field 2 = 0, VAT-table contents) is not supported; skipped`
					: `line ${labelTok.line}: section "${name}" is not supported; skipped`,
			);
			ti = j;
			continue;
		}
		const hl = headerLayout(kind);
		if (typeof hl === 'number') checkCount(fileName, hrec.line, hrec.fields.length, hl, `[NAGLOWEK] "${name}"`);
		else {
			checkCount(fileName, hrec.line, hrec.fields.length, hl.length, `document header "${name}"`);
			checkTypes(hrec.fields, hl, hrec.line, `${name} header`, warnings, typeBudget);
		}
		const bl = bodyLayout(kind, name, version);
		for (const r of bodyRecs) {
			checkCount(fileName, r.line, r.fields.length, bl.length, `${kind === 'document' ? `document "${name}" line` : name} record`);
			checkTypes(r.fields, bl, r.line, name, warnings, typeBudget);
		}
		const header = hrec.fields.map((f) => f.value);
		if (kind === 'document') {
			const declared = header[24];
			if (/^\d+$/.test(declared) && Number(declared) !== bodyRecs.length && !(bodyRecs.length === 0 && !hasBody)) {
				throw new EppFormatError(
					fileName,
					hrec.line,
					25,
					`document "${name}" declares ${declared} lines but [ZAWARTOSC] holds ${bodyRecs.length} (truncated?)`,
				);
			}
		}
		sections.push({
			header,
			name,
			body: bodyRecs.map((r) => r.fields.map((f) => f.value)),
			lines: bodyRecs.map((r) => r.line),
		});
		ti = j;
	}

	return { info, sections, skipped, encoding: choice.encoding, encodingReason: choice.reason, warnings };
}

// ---------------------------------------------------------------------------------------------- writer

/**
 * A text field on write. The spec lets a quoted text hold CRLF, but importers that read the file line by line
 * (and people who open it in an editor) would see an order note "…\r\n[NAGLOWEK]" as a new section: every line
 * break (CRLF, CR or LF, and VT, FF, NEL, U+2028, U+2029, which some line readers count too) in a text field
 * is written as one space, so one record is always one physical line.
 */
const LINE_BREAK = /\r\n|[\n\v\f\r\u0085\u2028\u2029]/g;
function formatText(value: string, keepLineBreaks: boolean): string {
	if (value === '') return '';
	return `"${(keepLineBreaks ? value : value.replace(LINE_BREAK, ' ')).replace(/"/g, '""')}"`;
}

function formatField(value: string, def: EppFieldDef, where: () => [number, string], keepLineBreaks = false): string {
	if (def.type === 't') return formatText(value, keepLineBreaks);
	if (/[",\r\n]/.test(value)) {
		const [line, what] = where();
		throw new EppFormatError('(writer)', line, def.pos, `${what} field ${def.key} is not text and may not contain quotes, commas or line breaks`);
	}
	return value;
}

/** Serialises an EDI++ document. Sets [INFO] field 1 to opts.version and field 3 to the code page. */
export function writeEpp(doc: EppDocument, opts: EppWriteOptions): Buffer {
	const lines: string[] = [];
	const emit = (s: string) => lines.push(s);
	const outLine = () => lines.length + 1;
	const record = (values: string[], layout: EppFieldDef[], what: string) => {
		const line = outLine();
		checkCount('(writer)', line, values.length, layout.length, what);
		emit(values.map((v, i) => formatField(v, layout[i], () => [line, what], opts.keepLineBreaks === true)).join(','));
	};

	const info = [...doc.info];
	if (info.length > 2) {
		info[0] = opts.version;
		info[2] = opts.encoding === 'cp852' ? '852' : '1250';
	}
	emit('[INFO]');
	record(info, INFO_FIELDS, '[INFO]');
	emit('');

	const skipped = opts.keepSkipped === false ? [] : (doc.skipped ?? []);
	const rawParts: Array<{ at: number; raw: string }> = [];
	const flushSkipped = (before: number) => {
		for (const s of skipped.filter((x) => x.before === before)) rawParts.push({ at: lines.length, raw: s.raw });
	};

	doc.sections.forEach((section, index) => {
		flushSkipped(index);
		const kind = sectionKind(section.name);
		if (!kind) throw new EppFormatError('(writer)', outLine(), 1, `section "${section.name}" is not supported by the writer`);
		emit('[NAGLOWEK]');
		const hl = headerLayout(kind);
		if (typeof hl === 'number') {
			record([section.name], [{ pos: 1, key: 'keyword', type: 't', verified: true }], `[NAGLOWEK] "${section.name}"`);
		} else {
			if (section.header[0] !== section.name) {
				throw new EppFormatError('(writer)', outLine(), 1, `document header type "${section.header[0]}" differs from section name "${section.name}"`);
			}
			record(section.header, hl, `document header "${section.name}"`);
		}
		emit('');
		emit('[ZAWARTOSC]');
		const bl = bodyLayout(kind, section.name, opts.version);
		for (const row of section.body) record(row, bl, `${section.name} record`);
		emit('');
	});
	flushSkipped(doc.sections.length);

	// assemble, splicing verbatim skipped blocks at their places
	let text = '';
	let li = 0;
	for (const part of [...rawParts, { at: lines.length, raw: '' }]) {
		for (; li < part.at; li++) text += lines[li] + CRLF;
		text += part.raw;
	}

	const bytes = iconv.encode(text, opts.encoding);
	const back = iconv.decode(bytes, opts.encoding);
	if (back !== text) {
		let k = 0;
		while (k < text.length && text[k] === back[k]) k++;
		const lineNo = text.slice(0, k).split('\n').length;
		throw new EppFormatError(
			'(writer)',
			lineNo,
			1,
			`character ${JSON.stringify(text[k])} (U+${text.codePointAt(k)?.toString(16).toUpperCase().padStart(4, '0')}) cannot be written in ${opts.encoding}`,
		);
	}
	return bytes;
}
