/**
 * A minimal but valid PDF 1.4 (one A4 page, Helvetica, correct xref offsets) for the API Gateway's
 * ExportPDFData. Polish letters are drawn with a /Differences encoding onto Helvetica's Latin-2 glyphs
 * (Aogonek … zdotaccent), and the document title is also stored as UTF-8 in an XMP metadata stream and
 * as UTF-16BE in the Info dictionary — so the text can be found in the bytes exactly as written.
 */

const POLISH: [string, string, number][] = [
	['Ą', 'Aogonek', 128],
	['Ć', 'Cacute', 129],
	['Ę', 'Eogonek', 130],
	['Ł', 'Lslash', 131],
	['Ń', 'Nacute', 132],
	['Ś', 'Sacute', 133],
	['Ź', 'Zacute', 134],
	['Ż', 'Zdotaccent', 135],
	['ą', 'aogonek', 136],
	['ć', 'cacute', 137],
	['ę', 'eogonek', 138],
	['ł', 'lslash', 139],
	['ń', 'nacute', 140],
	['ś', 'sacute', 141],
	['ź', 'zacute', 142],
	['ż', 'zdotaccent', 143],
];
const CODE = new Map<string, number>([
	...POLISH.map(([ch, , code]) => [ch, code] as [string, number]),
	// WinAnsi punctuation outside Latin-1 (codes 144–159 are not overridden above)
	['‘', 145],
	['’', 146],
	['“', 147],
	['”', 148],
	['•', 149],
	['–', 150],
	['—', 151],
	['„', 34],
]);

/** a PDF string literal in the font's encoding: ASCII as is, Polish letters and Latin-1 (ó, Ó…) as octal escapes */
function pdfText(s: string): string {
	let out = '(';
	for (const ch of s) {
		const cp = ch.codePointAt(0)!;
		if (ch === '(' || ch === ')' || ch === '\\') out += `\\${ch}`;
		else if (cp >= 32 && cp < 127) out += ch;
		else {
			const code = CODE.get(ch) ?? (cp >= 160 && cp <= 255 ? cp : 63);
			out += `\\${code.toString(8).padStart(3, '0')}`;
		}
	}
	return `${out})`;
}

function utf16Hex(s: string): string {
	const be = Buffer.from(s, 'utf16le').swap16();
	return `<FEFF${be.toString('hex').toUpperCase()}>`;
}

function xmlEscape(s: string): string {
	return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface PdfOptions {
	title: string;
	/** text lines, top to bottom */
	lines: string[];
	creationDate?: Date;
}

export function buildPdf(opts: PdfOptions): Buffer {
	const content = [
		'BT',
		'/F1 14 Tf',
		'50 790 Td',
		`${pdfText(opts.title)} Tj`,
		'/F1 10 Tf',
		'14 TL',
		'T*',
		...opts.lines.map((l) => `T* ${pdfText(l)} Tj`),
		'ET',
	].join('\n');
	const xmp = Buffer.from(
		`<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n` +
			`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
			`<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
			`<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(opts.title)}</rdf:li></rdf:Alt></dc:title>` +
			`<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(opts.lines.join(' | '))}</rdf:li></rdf:Alt></dc:description>` +
			`</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end="r"?>`,
		'utf8',
	);
	const d = opts.creationDate ?? new Date();
	const pdfDate = `D:${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
	const differences = POLISH.map(([, name, code]) => `${code} /${name}`).join(' ');
	const objects: Buffer[] = [
		Buffer.from('<< /Type /Catalog /Pages 2 0 R /Metadata 7 0 R >>'),
		Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
		Buffer.from(
			'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
		),
		Buffer.concat([
			Buffer.from(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n`),
			Buffer.from(content, 'latin1'),
			Buffer.from('\nendstream'),
		]),
		Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding 6 0 R >>'),
		Buffer.from(`<< /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [${differences}] >>`),
		Buffer.concat([
			Buffer.from(`<< /Type /Metadata /Subtype /XML /Length ${xmp.length} >>\nstream\n`),
			xmp,
			Buffer.from('\nendstream'),
		]),
		Buffer.from(`<< /Title ${utf16Hex(opts.title)} /Producer (SAP B1 simulator) /CreationDate (${pdfDate}) >>`),
	];
	const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n%\xE2\xE3\xCF\xD3\n', 'latin1')];
	let offset = chunks[0].length;
	const offsets: number[] = [];
	objects.forEach((body, i) => {
		offsets.push(offset);
		const chunk = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
		chunks.push(chunk);
		offset += chunk.length;
	});
	const xref = [
		`xref`,
		`0 ${objects.length + 1}`,
		'0000000000 65535 f ',
		...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n `),
	].join('\n');
	chunks.push(
		Buffer.from(
			`${xref}\ntrailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 8 0 R >>\nstartxref\n${offset}\n%%EOF\n`,
			'latin1',
		),
	);
	return Buffer.concat(chunks);
}
