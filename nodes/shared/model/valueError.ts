/**
 * A value an ERP sent in a shape the node does not read: the message names the ERP, the record and the field
 * ("Business Central item 1000: field \"unitPrice\" is \"abc\", not a number") — never a silent 0. Each ERP's
 * mapping throws its own subclass (EnovaValueError, BcValueError) so its node can tell them from other errors.
 */
export class ErpValueError extends Error {
	constructor(
		readonly erp: string,
		readonly record: string,
		readonly field: string,
		readonly value: unknown,
		expected: string,
	) {
		super(`${erp} ${record}: field "${field}" is ${shownValue(value)}, not ${expected}`);
		this.name = 'ErpValueError';
	}
}

/** A value as an error shows it: strings quoted, the rest as JSON, cut at 80 characters. */
export function shownValue(value: unknown): string {
	if (value === undefined) return 'missing';
	let text: string;
	try {
		text = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
	} catch {
		text = String(value);
	}
	return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
