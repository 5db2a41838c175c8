/**
 * Character encodings at the edges of the pack: everything inside is UTF-8 (JS strings); files and
 * byte streams from Polish ERPs arrive as UTF-8, Windows-1250 (Subiekt, Optima, Excel "CSV"),
 * CP852 (DOS-era exports, EDI++ with code page 852) or ISO-8859-2. They are decoded here, once, and
 * encoded back here when a file is written for an ERP.
 *
 * Rule: never produce U+FFFD silently. A byte sequence that cannot be decoded in the chosen encoding
 * is an error naming the file and the byte offset, and a character that cannot be encoded is an
 * error naming the character and its position (iconv-lite would otherwise write "?").
 *
 * Pure module: no n8n imports.
 */
import * as iconv from 'iconv-lite';
import { ownValue } from '../own';

export type EncodingChoice = 'auto' | 'utf-8' | 'windows-1250' | 'cp852' | 'iso-8859-2';

/** what `encodeText` can write */
export type OutputEncoding = Exclude<EncodingChoice, 'auto'>;

export interface DecodeHints {
	/** used in error messages (and nothing else) */
	fileName?: string;
}

export interface DecodedText {
	text: string;
	/** the encoding used, e.g. "windows-1250", "utf-8", "utf-16le" */
	encoding: string;
	/** why that encoding (auto mode) or "chosen explicitly" */
	reason: string;
}

export interface EncodingDetection {
	encoding: string;
	reason: string;
	/** length of the byte-order mark to skip (0 when none) */
	bomLength: number;
}

export class EncodingError extends Error {
	constructor(
		message: string,
		readonly fileName: string | undefined,
		readonly byteOffset: number | undefined,
	) {
		super(message);
		this.name = 'EncodingError';
	}
}

/** how many bytes auto detection looks at (streams decide from their first bytes) */
export const DETECTION_SAMPLE_BYTES = 64 * 1024;

const UTF8_BOM = [0xef, 0xbb, 0xbf];

const POLISH_LETTERS = new Set('ąćęłńóśźżĄĆĘŁŃÓŚŹŻ');

/**
 * Characters that Polish business text practically never contains but that show up when Polish
 * letters are decoded with the wrong single-byte code page: C1 controls (Windows-1250 bytes read as
 * ISO-8859-2), box drawing and blocks (Windows-1250/ISO bytes read as CP852), Latin-1 look-alikes
 * (¹ ¿ ¦ ¶ ± ¬ …) and Czech/Slovak letters that sit on the Polish letters' bytes in the other pages.
 */
const UNLIKELY_SYMBOLS = new Set('¹¿¦¶±¬ˇ¤¥¨´¸˘˝˛¼¾½ľĽšŠťŤžŽřŘůŮőŐűŰţŢşŞĺĹŕŔďĎňŇěĚčČ×÷¯');

function isUnlikely(ch: string, code: number): boolean {
	if (code >= 0x80 && code <= 0x9f) return true; // C1 controls
	if (code >= 0x2500 && code <= 0x259f) return true; // box drawing, block elements
	return UNLIKELY_SYMBOLS.has(ch);
}

const SINGLE_BYTE_CANDIDATES = ['windows-1250', 'iso-8859-2', 'cp852'] as const;

/** normalises encoding names found in files (XML declarations, EDI++ headers) and options */
export function normaliseEncodingName(name: string): string | undefined {
	const n = name.trim().toLowerCase().replace(/_/g, '-');
	const aliases: Record<string, string> = {
		'utf-8': 'utf-8',
		utf8: 'utf-8',
		'windows-1250': 'windows-1250',
		cp1250: 'windows-1250',
		'cp-1250': 'windows-1250',
		'win-1250': 'windows-1250',
		'x-cp1250': 'windows-1250',
		'1250': 'windows-1250',
		'iso-8859-2': 'iso-8859-2',
		iso88592: 'iso-8859-2',
		'iso8859-2': 'iso-8859-2',
		latin2: 'iso-8859-2',
		'latin-2': 'iso-8859-2',
		cp852: 'cp852',
		ibm852: 'cp852',
		'ibm-852': 'cp852',
		'852': 'cp852',
		'utf-16': 'utf-16le',
		'utf-16le': 'utf-16le',
		'utf-16be': 'utf-16be',
	};
	// a name from a file is data: "constructor" is no alias
	const alias = ownValue(aliases, n);
	if (alias) return alias;
	return iconv.encodingExists(n) ? n : undefined;
}

function where(fileName: string | undefined): string {
	return fileName ? `file "${fileName}"` : 'input';
}

/** strict UTF-8 validity; `partial` tolerates a multi-byte sequence cut at the end of a sample */
function isValidUtf8(bytes: Uint8Array, partial: boolean): boolean {
	try {
		const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
		decoder.decode(bytes, { stream: partial });
		return true;
	} catch {
		return false;
	}
}

function isAscii(bytes: Uint8Array): boolean {
	for (let i = 0; i < bytes.length; i++) if (bytes[i] > 0x7f) return false;
	return true;
}

export interface PolishLetterScore {
	encoding: (typeof SINGLE_BYTE_CANDIDATES)[number];
	polishLetters: number;
	unlikelySymbols: number;
	undecodable: number;
}

/** decodes `bytes` with each single-byte candidate and counts Polish letters and unlikely symbols */
export function scorePolishLetters(bytes: Uint8Array): PolishLetterScore[] {
	// only the bytes >= 0x80 matter; decoding the whole sample keeps it simple and exact
	const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	return SINGLE_BYTE_CANDIDATES.map((encoding) => {
		const text = iconv.decode(buf, encoding, { stripBOM: false });
		let polishLetters = 0;
		let unlikelySymbols = 0;
		let undecodable = 0;
		for (let i = 0; i < text.length; i++) {
			const code = text.charCodeAt(i);
			if (code < 0x80) continue;
			const ch = text[i];
			if (code === 0xfffd) undecodable++;
			else if (POLISH_LETTERS.has(ch)) polishLetters++;
			else if (isUnlikely(ch, code)) unlikelySymbols++;
		}
		return { encoding, polishLetters, unlikelySymbols, undecodable };
	});
}

function detectDeclared(bytes: Uint8Array): { encoding: string; reason: string } | undefined {
	const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString('latin1');
	const xml = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
	if (xml) {
		const encoding = normaliseEncodingName(xml[1]);
		if (encoding) return { encoding, reason: `XML declaration encoding="${xml[1]}"` };
	}
	// EDI++ (.epp, InsERT Subiekt): "[INFO]" then a record whose 3rd field is the code page 852 or 1250
	const epp = /^\[INFO\]\r?\n([^\r\n]*)/.exec(head);
	if (epp) {
		const fields = epp[1].split(',');
		const cp = (fields[2] ?? '').replace(/"/g, '').trim();
		if (cp === '852' || cp === '1250') {
			return {
				encoding: cp === '852' ? 'cp852' : 'windows-1250',
				reason: `EDI++ [INFO] code page ${cp}`,
			};
		}
	}
	return undefined;
}

/**
 * Auto detection, in this order: byte-order mark, declared encoding (XML declaration, EDI++ [INFO]),
 * strict UTF-8 validity (pure ASCII decides nothing: Windows-1250 is assumed), then Polish-letter
 * statistics among Windows-1250, ISO-8859-2 and CP852.
 *
 * @param sample the first bytes of the file (the whole file, or e.g. its first 64 KiB)
 * @param complete false when `sample` is only a prefix (a multi-byte character may be cut at its end)
 */
export function detectEncoding(sample: Uint8Array, complete = true): EncodingDetection {
	return detectMarkedEncoding(sample) ?? { ...detectEncodingFromContent(sample, complete), bomLength: 0 };
}

/** the first two steps of auto detection: byte-order mark, declared encoding; undefined when neither */
export function detectMarkedEncoding(sample: Uint8Array): EncodingDetection | undefined {
	const b = sample;
	if (b.length >= 3 && b[0] === UTF8_BOM[0] && b[1] === UTF8_BOM[1] && b[2] === UTF8_BOM[2]) {
		return { encoding: 'utf-8', reason: 'UTF-8 byte-order mark', bomLength: 3 };
	}
	if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) {
		return { encoding: 'utf-16le', reason: 'UTF-16 LE byte-order mark', bomLength: 2 };
	}
	if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
		return { encoding: 'utf-16be', reason: 'UTF-16 BE byte-order mark', bomLength: 2 };
	}
	const declared = detectDeclared(b);
	if (declared) return { ...declared, bomLength: 0 };
	return undefined;
}

/** the content steps of auto detection: ASCII, strict UTF-8, Polish-letter statistics */
export function detectEncodingFromContent(b: Uint8Array, complete = true): { encoding: string; reason: string } {
	if (isAscii(b)) {
		return {
			encoding: 'windows-1250',
			reason: 'only ASCII bytes seen, which fit every candidate: assumed windows-1250',
		};
	}
	if (isValidUtf8(b, !complete)) {
		return { encoding: 'utf-8', reason: 'valid UTF-8 (strict decoding succeeded)' };
	}
	const scores = scorePolishLetters(b);
	const value = (s: PolishLetterScore) => s.polishLetters - s.unlikelySymbols - 10 * s.undecodable;
	let best = scores[0];
	for (const s of scores) if (value(s) > value(best)) best = s; // ties keep the earlier (windows-1250 first)
	const counts = scores
		.map((s, i) => `${s.polishLetters}${i === 0 ? ' Polish letters' : ''} as ${s.encoding}`)
		.join(', ');
	const unlikely = scores.map((s) => `${s.unlikelySymbols} as ${s.encoding}`).join(', ');
	return {
		encoding: best.encoding,
		reason: `Polish-letter statistics: ${counts}; unlikely symbols ${unlikely}; chose ${best.encoding}`,
	};
}

export function hasUtf8Bom(bytes: Uint8Array): boolean {
	return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/**
 * Byte offset (in the decoded bytes) of the first U+FFFD in `text`, counted from `textStartOffset`.
 * Exact for single-byte encodings and UTF-8 (all text before the U+FFFD decoded cleanly, so it
 * re-encodes to the same bytes); for UTF-16 two bytes per code unit.
 */
export function replacementByteOffset(text: string, index: number, encoding: string, textStartOffset: number): number {
	const before = text.slice(0, index);
	if (encoding === 'utf-8') return textStartOffset + Buffer.byteLength(before, 'utf8');
	if (encoding.startsWith('utf-16')) return textStartOffset + 2 * before.length;
	return textStartOffset + before.length;
}

export function undecodableError(
	fileName: string | undefined,
	encoding: string,
	byteOffset: number,
	bytes?: Uint8Array,
	bytesStart = 0,
): EncodingError {
	let shown = '';
	if (bytes) {
		const rel = byteOffset - bytesStart;
		if (rel >= 0 && rel < bytes.length) {
			const slice = Array.from(bytes.subarray(rel, Math.min(rel + 4, bytes.length)))
				.map((x) => x.toString(16).padStart(2, '0'))
				.join(' ');
			shown = ` (bytes ${slice})`;
		}
	}
	return new EncodingError(
		`${where(fileName)}: cannot decode as ${encoding} at byte offset ${byteOffset}${shown}: ` +
			'the bytes are not valid in that encoding (refusing to substitute U+FFFD); choose the right encoding',
		fileName,
		byteOffset,
	);
}

/** Decodes a whole file. Throws `EncodingError` instead of producing U+FFFD. */
export function decodeText(bytes: Buffer, choice: EncodingChoice, hints: DecodeHints = {}): DecodedText {
	let encoding: string;
	let reason: string;
	let bomLength = 0;
	if (choice === 'auto') {
		const detected = detectEncoding(bytes, true);
		({ encoding, reason, bomLength } = detected);
	} else {
		encoding = choice;
		reason = 'chosen explicitly';
		if (hasUtf8Bom(bytes)) {
			if (choice !== 'utf-8') {
				throw new EncodingError(
					`${where(hints.fileName)} starts with a UTF-8 byte-order mark but ${choice} was chosen; ` +
						'choose utf-8 or auto',
					hints.fileName,
					0,
				);
			}
			bomLength = 3;
			reason = 'chosen explicitly (UTF-8 byte-order mark stripped)';
		}
	}
	const body = bytes.subarray(bomLength);
	const text = iconv.decode(body, encoding, { stripBOM: false });
	const bad = text.indexOf('\ufffd');
	if (bad !== -1) {
		const offset = replacementByteOffset(text, bad, encoding, bomLength);
		throw undecodableError(hints.fileName, encoding, offset, bytes);
	}
	return { text, encoding, reason };
}

export interface EncodeOptions {
	/** UTF-8 only: write the byte-order mark EF BB BF (Excel needs it to open UTF-8 CSV correctly) */
	bom?: boolean;
}

/**
 * Encodes text for a file. Throws when a character has no representation in the target encoding
 * (instead of iconv-lite's silent "?"), naming the character and its position.
 */
export function encodeText(text: string, encoding: OutputEncoding, options: EncodeOptions = {}): Buffer {
	if (options.bom && encoding !== 'utf-8') {
		throw new Error(`a byte-order mark exists only for UTF-8, not for ${encoding}`);
	}
	if (encoding === 'utf-8') {
		const body = Buffer.from(text, 'utf8');
		return options.bom ? Buffer.concat([Buffer.from(UTF8_BOM), body]) : body;
	}
	const out = iconv.encode(text, encoding, { addBOM: false });
	// single-byte: one byte per UTF-16 code unit when every character maps; verify by round trip
	const back = iconv.decode(out, encoding, { stripBOM: false });
	if (back !== text) {
		let i = 0;
		while (i < text.length && i < back.length && text[i] === back[i]) i++;
		const cp = text.codePointAt(i) ?? 0;
		throw new Error(
			`character "${String.fromCodePoint(cp)}" (U+${cp.toString(16).toUpperCase().padStart(4, '0')}) at position ${i} ` +
				`cannot be written in ${encoding}`,
		);
	}
	return out;
}
