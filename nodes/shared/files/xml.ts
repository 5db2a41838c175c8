/**
 * XML files at the edges of the pack: reading "record" elements out of an ERP export (Subiekt, Optima,
 * any ERP that writes XML) and writing canonical records as XML. Parsing and building go through xml2js
 * (which uses sax); the safety rules are ours and are checked on the decoded text BEFORE xml2js sees it,
 * so that they do not depend on library defaults:
 *
 * - no DOCTYPE and no markup declarations (<!ENTITY, <!ELEMENT, <!ATTLIST, <!NOTATION) anywhere: no XXE,
 *   no entity expansion, a "billion laughs" file is refused before anything is expanded;
 * - an XML declaration only at the very start;
 * - a bounded nesting depth (sax and xml2js keep a stack per open element).
 * Other processing instructions (<?xml-stylesheet?>, <?mso-application?>) are ignored, never acted upon.
 * Entity references other than the five predefined ones and numeric character references are errors
 * (sax in strict mode refuses them, since no DTD can declare any).
 *
 * Pure module: no n8n imports. Text is decoded before (encoding.ts) and encoded after (encodeText).
 */
import { Builder, Parser } from 'xml2js';
import { ownValue } from '../own';

export class XmlFileError extends Error {
	constructor(
		message: string,
		readonly line?: number,
		readonly column?: number,
		/** canonical field (when known) */
		readonly field?: string,
	) {
		super(message);
		this.name = 'XmlFileError';
	}
}

/** deeper nesting than this is refused (ERP exports nest 3–6 levels) */
export const MAX_XML_DEPTH = 64;

/** line starts of a text, for turning character offsets into line/column (both 1-based) */
export class LineIndex {
	private readonly starts: number[] = [0];
	constructor(text: string) {
		for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
	}
	at(offset: number): { line: number; column: number } {
		let lo = 0;
		let hi = this.starts.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if (this.starts[mid] <= offset) lo = mid;
			else hi = mid - 1;
		}
		return { line: lo + 1, column: offset - this.starts[lo] + 1 };
	}
}

const where = (fileName: string, p: { line: number; column: number }) =>
	`${fileName} line ${p.line}, column ${p.column}`;

/**
 * Refuses characters XML 1.0 does not allow (NUL and other control characters), DOCTYPE and markup
 * declarations anywhere outside comments, CDATA sections, processing instructions and attribute values, and
 * an XML declaration anywhere but at the start. Runs over the text before any parser.
 */
export function assertSafeXml(text: string, fileName: string): void {
	const lines = new LineIndex(text);
	// a character XML 1.0 does not allow (NUL, other C0 controls): sax would pass it on silently altered
	let control = -1;
	for (let k = 0; k < text.length && control < 0; k++) {
		const c = text.charCodeAt(k);
		if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff) control = k;
	}
	if (control >= 0) {
		const at = lines.at(control);
		const code = `U+${text.charCodeAt(control).toString(16).toUpperCase().padStart(4, '0')}`;
		throw new XmlFileError(
			`${where(fileName, at)}: the file has the character ${code}, which XML does not allow; the file is damaged or not XML`,
			at.line,
			at.column,
		);
	}
	const refuse = (at: number, message: string): never => {
		const p = lines.at(at);
		throw new XmlFileError(`${where(fileName, p)}: ${message}`, p.line, p.column);
	};
	// Markup in document order, as XML's grammar reads it (XML 1.0 §2.5–2.8, §3.1): a comment ends at the first
	// "-->", a processing instruction at "?>", CDATA at "]]>", a tag at the ">" outside its quoted attribute
	// values. What is inside one of them opens nothing, so "<?pi <!-- ?>" cannot hide a DOCTYPE that follows.
	// Something unterminated ends the scan: the parser then refuses the file.
	const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
	for (let i = text.indexOf('<'); i !== -1; ) {
		let end: number;
		if (text.startsWith('<!--', i)) end = skipPast(text, '-->', i + 4);
		else if (text.startsWith('<![CDATA[', i)) end = skipPast(text, ']]>', i + 9);
		else if (text.startsWith('<?', i)) {
			const target = /^<\?([^\s?]*)/.exec(text.slice(i, i + 64))?.[1] ?? '';
			if (target.toLowerCase() === 'xml' && i !== bom)
				refuse(i, 'invalid XML: an XML declaration (<?xml …?>) is allowed only at the very start of the file');
			end = skipPast(text, '?>', i + 2);
		} else if (text.startsWith('<!', i)) {
			const decl = /^<!\s*([A-Za-z]+)/.exec(text.slice(i, i + 20));
			const kind = decl ? decl[1].toUpperCase() : '';
			if (kind === 'DOCTYPE')
				refuse(
					i,
					'the file has a DOCTYPE declaration; XML files with a DTD are refused ' +
						'(external entities could read local files or URLs, and entity expansion can exhaust memory). ' +
						'Export the file without a DOCTYPE.',
				);
			if (kind === 'ENTITY' || kind === 'ELEMENT' || kind === 'ATTLIST' || kind === 'NOTATION')
				refuse(i, `the file has an <!${kind} declaration; DTD declarations and entities are refused`);
			end = i + 2; // anything else is malformed: the parser reports it
		} else if (/^<\/?[\p{L}_:]/u.test(text.slice(i, i + 3))) end = tagEnd(text, i + 1);
		else end = i + 1; // a "<" that starts no markup is malformed: the parser reports it
		if (end === -1) break;
		i = text.indexOf('<', end);
	}
}

/** the offset just after the first `close` at or after `from`, or -1 */
function skipPast(text: string, close: string, from: number): number {
	const k = text.indexOf(close, from);
	return k === -1 ? -1 : k + close.length;
}

/** the offset just after the ">" that ends a start or end tag, skipping quoted attribute values; -1 if none */
function tagEnd(text: string, from: number): number {
	for (let k = from; k < text.length; k++) {
		const c = text[k];
		if (c === '>') return k + 1;
		if (c === '"' || c === "'") {
			const close = text.indexOf(c, k + 1);
			if (close === -1) return -1;
			k = close;
		} else if (c === '<') return k; // a tag cut short: let the next markup be read as such
	}
	return -1;
}

/** an element as xml2js gives it with the options below (read it with childElements, elementText, xmlAttribute) */
export interface XNode {
	'#'?: string;
	'@'?: Record<string, string>;
	[child: string]: unknown;
}

const POS = '\u0000pos';
const TEXT = '#';
const ATTRS = '@';

/** a record element read from the file: values by source path, and where each came from */
export interface XmlRecord {
	line: number;
	column: number;
	/** 1-based number of the record in the file */
	index: number;
	/** source path (as mapped) → text; missing paths are absent */
	values: Record<string, string>;
	/** source path → position of its element */
	positions: Record<string, { line: number; column: number }>;
}

export interface ReadXmlOptions {
	fileName: string;
	/** element name or path of the record element, e.g. "Towar", "Towary/Towar", "/Export/Towary/Towar" */
	recordPath: string;
	/** source paths to read from each record: "Nazwa", "Ceny/Netto", "@symbol", "Cena/@netto", "../Symbol" */
	sources: string[];
}

/** character offset of an element's start tag (stamped while parsing) */
function offsetOf(node: XNode): number {
	return Number(node[ATTRS]?.[POS] ?? 0);
}

/** the child elements named `name` of an element, in file order */
export function childElements(node: XNode, name: string): XNode[] {
	if (name === TEXT || name === ATTRS) return [];
	const v = node[name];
	return Array.isArray(v) ? (v as XNode[]) : [];
}

function hasChildElements(node: XNode): boolean {
	return Object.keys(node).some((k) => k !== TEXT && k !== ATTRS);
}

/** checks a path typed by the user; returns its segments */
export function splitPath(path: string, what: string): string[] {
	const segments = path
		.trim()
		.replace(/^\/+/, '')
		.split('/')
		.map((s) => s.trim());
	if (!path.trim() || segments.some((s) => s === ''))
		throw new XmlFileError(`${what} "${path}" is not a valid element path`);
	segments.forEach((s, n) => {
		if (s.startsWith('@') && n !== segments.length - 1) {
			throw new XmlFileError(`${what} "${path}": an attribute (@name) can only be the last step`);
		}
	});
	return segments;
}

/**
 * Parses the text with xml2js, every element stamped with the character offset of its start tag (a
 * number: cheap for a file of a million elements; turned into line and column only when needed).
 * Errors carry the position.
 */
function parseTree(text: string, fileName: string, lines: LineIndex): XNode {
	const parser = new Parser({
		strict: true,
		async: false,
		explicitArray: true,
		explicitRoot: true,
		explicitCharkey: true,
		attrkey: ATTRS,
		charkey: TEXT,
		trim: false,
		normalize: false,
		emptyTag: () => ({}),
	});
	// xml2js exposes its sax parser; stamp each element's start tag position into its attributes
	const sax = (parser as unknown as { saxParser: SaxLike }).saxParser;
	const onopentag = sax.onopentag;
	sax.onopentag = (node) => {
		const offset = Math.max(0, sax.startTagPosition - 1);
		if (sax.tags.length > MAX_XML_DEPTH) {
			const p = lines.at(offset);
			throw new XmlFileError(
				`${where(fileName, p)}: elements nested deeper than ${MAX_XML_DEPTH} levels are refused`,
				p.line,
				p.column,
			);
		}
		(node.attributes as Record<string, unknown>)[POS] = offset;
		onopentag.call(sax, node);
	};
	let result: unknown;
	let failure: Error | undefined;
	let done = false;
	parser.parseString(text, (error: Error | null, value: unknown) => {
		if (done) return;
		done = true;
		if (error) failure = error;
		else result = value;
	});
	if (failure instanceof XmlFileError) throw failure;
	if (failure || !done) {
		const message = failure?.message ?? 'the document did not end';
		const m = /^([^\n]*)\nLine: (\d+)\nColumn: (\d+)/.exec(message);
		if (m) {
			const line = Number(m[2]) + 1;
			const column = Number(m[3]);
			throw new XmlFileError(`${fileName} line ${line}, column ${column}: invalid XML: ${m[1]}`, line, column);
		}
		throw new XmlFileError(`${fileName}: invalid XML: ${message}`);
	}
	if (result === null || typeof result !== 'object') throw new XmlFileError(`${fileName}: the file is empty`);
	return result as XNode;
}

interface SaxLike {
	onopentag: (node: { name: string; attributes: Record<string, string> }) => void;
	tags: unknown[];
	startTagPosition: number;
}

/**
 * A whole XML document for readers that walk it themselves (a fixed ERP layout such as Optima's, where one
 * file holds records nested in records): the document element, its name, and where each element starts.
 * The text must have passed `assertSafeXml` first.
 */
export interface XmlDocument {
	rootName: string;
	root: XNode;
	/** line and column (1-based) of an element's start tag */
	positionOf(node: XNode): { line: number; column: number };
}

export function parseXmlDocument(text: string, fileName: string): XmlDocument {
	const lines = new LineIndex(text);
	const top = parseTree(text, fileName, lines);
	const rootName = Object.keys(top)[0];
	return { rootName, root: top[rootName] as XNode, positionOf: (node) => lines.at(offsetOf(node)) };
}

/** an element's attribute (never the position stamp) */
export function xmlAttribute(node: XNode, name: string): string | undefined {
	return name === POS ? undefined : node[ATTRS]?.[name];
}

/** the text of an element without child elements ("" when empty); undefined when it has child elements */
export function elementText(node: XNode): string | undefined {
	return hasChildElements(node) ? undefined : (node[TEXT] ?? '');
}

/** Reads every record element of an XML text (already decoded and checked by `assertSafeXml`). */
export function readXmlRecords(text: string, o: ReadXmlOptions): XmlRecord[] {
	const absolute = o.recordPath.trim().startsWith('/');
	const recordSegments = splitPath(o.recordPath, 'Record element');
	if (recordSegments.some((s) => s.startsWith('@') || s === '..')) {
		throw new XmlFileError(`Record element "${o.recordPath}" must name elements only`);
	}
	const sources = o.sources.map((s) => ({ source: s, segments: splitPath(s, 'Field path') }));
	const doc = parseXmlDocument(text, o.fileName);
	const pos = doc.positionOf;

	// walk the tree (iteratively), collecting the outermost elements whose path ends with the record path
	const found: Array<{ node: XNode; ancestors: XNode[] }> = [];
	const stack: Array<{ node: XNode; names: string[]; ancestors: XNode[] }> = [];
	stack.push({ node: doc.root, names: [doc.rootName], ancestors: [] });
	while (stack.length) {
		const { node, names, ancestors } = stack.pop()!;
		const tail = names.slice(-recordSegments.length);
		const matches = absolute
			? names.length === recordSegments.length && names.every((n, k) => n === recordSegments[k])
			: tail.length === recordSegments.length && tail.every((n, k) => n === recordSegments[k]);
		if (matches) {
			found.push({ node, ancestors });
			continue;
		}
		for (const key of Object.keys(node)) {
			for (const child of childElements(node, key))
				stack.push({ node: child, names: [...names, key], ancestors: [...ancestors, node] });
		}
	}
	found.sort((a, b) => offsetOf(a.node) - offsetOf(b.node)); // document order

	return found.map(({ node, ancestors }, n) => {
		const start = pos(node);
		const rec: XmlRecord = { ...start, index: n + 1, values: {}, positions: {} };
		for (const { source, segments } of sources) {
			let current: XNode | undefined = node;
			let up = ancestors.length;
			for (let k = 0; k < segments.length && current; k++) {
				const s = segments[k];
				if (s === '..') {
					current = up > 0 ? ancestors[--up] : undefined;
				} else if (s === '.') {
					// stays
				} else if (s.startsWith('@')) {
					const v = current[ATTRS]?.[s.slice(1)];
					if (v !== undefined) {
						rec.values[source] = v;
						rec.positions[source] = pos(current);
					}
					current = undefined;
				} else {
					const children = childElements(current, s);
					if (children.length > 1) {
						const p = pos(children[1]);
						throw new XmlFileError(
							`${where(o.fileName, p)}: <${s}> appears ${children.length} times in record ${n + 1} (line ${start.line}); ` +
								`the path "${source}" must lead to one element`,
							p.line,
							p.column,
						);
					}
					current = children[0];
					if (current && k === segments.length - 1) {
						if (hasChildElements(current)) {
							const p = pos(current);
							throw new XmlFileError(
								`${where(o.fileName, p)}: <${s}> in record ${n + 1} has child elements, not a value; map one of them (e.g. "${source}/…")`,
								p.line,
								p.column,
							);
						}
						rec.values[source] = current[TEXT] ?? '';
						rec.positions[source] = pos(current);
					}
				}
			}
		}
		return rec;
	});
}

/* ---------------------------------------------------------------- building */

/** XML 1.0 Name, restricted to what an ERP import will accept: letters (also Polish), digits, _ . - */
const NAME = /^[\p{L}_][\p{L}\p{N}_.-]*$/u;

export function assertElementName(name: string, what: string): void {
	if (!NAME.test(name) || /^xml/i.test(name)) {
		throw new XmlFileError(
			`${what} "${name}" is not a valid XML element name (letters, digits, _ . - ; not starting with a digit or "xml")`,
		);
	}
}

/**
 * The first character XML 1.0 cannot carry at all, even escaped (controls other than tab, LF, CR; U+FFFE,
 * U+FFFF; lone surrogates), as "U+XXXX"; undefined when there is none.
 */
export function invalidXmlCharacter(text: string): string | undefined {
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		let bad = (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff;
		if (c >= 0xd800 && c <= 0xdbff) {
			const next = text.charCodeAt(i + 1);
			if (next >= 0xdc00 && next <= 0xdfff) i++;
			else bad = true;
		} else if (c >= 0xdc00 && c <= 0xdfff) bad = true;
		if (bad) return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
	}
	return undefined;
}

/** name written into <?xml … encoding="…"?> for each output encoding */
export const XML_ENCODING_NAME: Record<string, string> = {
	'utf-8': 'UTF-8',
	'windows-1250': 'windows-1250',
	cp852: 'IBM852',
	'iso-8859-2': 'ISO-8859-2',
};

/** an element's content for the builder: text, attributes under "$", children by name */
export type XmlValue = string | XmlElement | XmlElement[] | string[];
export interface XmlElement {
	[name: string]: XmlValue | Record<string, string> | undefined;
}

/** element name of one entry of a canonical list */
const LIST_ITEM: Record<string, string> = { lines: 'line', addresses: 'address' };

/** canonical record → builder element: scalars become child elements; nested objects, arrays become lists */
export function canonicalToXml(rec: Record<string, unknown>): XmlElement {
	const out: XmlElement = {};
	for (const [key, value] of Object.entries(rec)) {
		if (value === undefined || value === null) continue;
		if (Array.isArray(value)) {
			const item = ownValue(LIST_ITEM, key) ?? `${key}Item`;
			out[key] = {
				[item]: value.map((v) =>
					v !== null && typeof v === 'object' ? canonicalToXml(v as Record<string, unknown>) : String(v),
				),
			} as XmlElement;
		} else if (typeof value === 'object') {
			if (key === 'attributes') {
				// free keys (product attributes) cannot be element names: <attribute name="…">value</attribute>
				out[key] = {
					attribute: Object.entries(value as Record<string, unknown>).map(([k, v]) => ({
						$: { name: k },
						_: String(v),
					})),
				} as unknown as XmlElement;
			} else out[key] = canonicalToXml(value as Record<string, unknown>);
		} else out[key] = String(value);
	}
	return out;
}

/** every text written for one record element (element texts, attribute names and values) with its path */
export function xmlLeafTexts(
	el: XmlValue | Record<string, string>,
	prefix = '',
): Array<{ path: string; text: string }> {
	if (typeof el === 'string') return [{ path: prefix, text: el }];
	if (Array.isArray(el)) {
		return (el as XmlValue[]).flatMap((v, n) => xmlLeafTexts(v, `${prefix}[${n + 1}]`));
	}
	const out: Array<{ path: string; text: string }> = [];
	for (const [key, value] of Object.entries(el)) {
		if (value === undefined) continue;
		if (key === '$') {
			for (const [k, v] of Object.entries(value as Record<string, string>))
				out.push({ path: `${prefix}@${k}`, text: v });
		} else if (key === '_') out.push({ path: prefix, text: String(value) });
		else out.push(...xmlLeafTexts(value as XmlValue, prefix ? `${prefix}.${key}` : key));
	}
	return out;
}

/** builds the XML text (not yet encoded) with a declaration naming `encoding` */
export function buildXmlText(
	records: XmlElement[],
	o: { rootElement: string; recordElement: string; encoding: string; rootAttributes?: Record<string, string> },
): string {
	assertElementName(o.rootElement, 'Root element');
	assertElementName(o.recordElement, 'Record element');
	const builder = new Builder({
		rootName: o.rootElement,
		xmldec: { version: '1.0', encoding: XML_ENCODING_NAME[o.encoding] ?? o.encoding },
		renderOpts: { pretty: true, indent: '  ', newline: '\n' },
		headless: false,
	});
	const root: XmlElement = o.rootAttributes ? { $: o.rootAttributes } : {};
	root[o.recordElement] = records;
	return builder.buildObject(root) + '\n';
}
