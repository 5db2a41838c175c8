/**
 * File names the pack gives to binary data. n8n keeps the name with the data, and the node after ours
 * (Write Binary File, FTP, SFTP, an e-mail attachment) may use it as the name on disk. A name that comes from
 * data (an invoice number "FV/2026/11/001") or from a parameter filled by an expression must not become a path:
 * "../" or a drive letter would let it write outside the folder the workflow chose.
 *
 * One rule for every name: characters other than ASCII letters, digits, "_", "." and "-" become "_" (so "/",
 * "\", ":", NUL and control characters never survive; Polish letters do not either, which keeps the names
 * safe on FTP servers and old Windows shares).
 */
import { createHash } from 'node:crypto';

/** `text` with every run of characters other than [A-Za-z0-9_.-] replaced by "_" */
export function safeFileNamePart(text: string): string {
	return text.replace(/[^\w.-]+/g, '_');
}

/**
 * The stem of an order's file: the cleaned order number, "_", and the first 8 hex digits of the SHA-256 of the raw
 * number — `B2B/2026/000123` → `B2B_2026_000123_<8 hex>`. The cleaned part keeps the name readable; the hash keeps
 * two numbers that clean alike (`B2B/1`, `B2B_1`) apart. The order templates build the same stem in an n8n
 * expression (`$json.number.hash('sha256').slice(0, 8)`) and add the time of the hand-over.
 */
export function orderFileStem(number: string): string {
	return `${safeFileNamePart(number)}_${createHash('sha256').update(number, 'utf8').digest('hex').slice(0, 8)}`;
}

/** the name of an invoice PDF: FV_<number>.pdf, the number cleaned */
export function invoicePdfName(number: string): string {
	return `FV_${safeFileNamePart(number)}.pdf`;
}

/**
 * A file name given as a parameter: refused when it is a path ("/", "\" or ".."), or nothing but dots;
 * otherwise cleaned like the invoice names. Throws an Error naming the parameter and the value.
 */
export function checkedFileName(name: string, parameter = 'File Name'): string {
	const text = name.trim();
	if (/[/\\]/.test(text) || text.includes('..') || /^\.*$/.test(text))
		throw new Error(
			`${parameter} "${name}" is a path: give a file name only; "/", "\\" and ".." are not allowed (the node that writes the file chooses the folder)`,
		);
	return safeFileNamePart(text);
}
