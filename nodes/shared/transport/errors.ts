/**
 * Turns the error bodies of the ERPs and the portal into one readable sentence. Known shapes:
 * - portal contract:   {"error":{"code":"validation_failed","message":"...","details":[{index,key,field,message}]}}
 * - SAP SL v1:         {"error":{"code":-2028,"message":{"lang":"en-us","value":"No matching records found (ODBC -2028)"}}}
 * - SAP SL 10.0 (210+):{"error":{"code":"-1000","details":[{"code":"","message":""}],"message":"Property ... is invalid"}}
 * - enova MethodInvoker: {"IsException":true,"ExceptionMessage":"..."}
 * - plain {"message": "..."} or text bodies.
 */

export interface ErrorDetail {
	index?: number;
	key?: string;
	field?: string;
	message: string;
}

export interface ExtractedError {
	message: string;
	code?: string;
	details: ErrorDetail[];
}

function text(v: unknown): string | undefined {
	if (typeof v === 'string') return v.trim() || undefined;
	if (typeof v === 'number') return String(v);
	return undefined;
}

export function extractErrorBody(body: unknown): ExtractedError | undefined {
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body === 'string') {
		const trimmed = body.trim();
		if (!trimmed) return undefined;
		try {
			return extractErrorBody(JSON.parse(trimmed));
		} catch {
			return { message: trimmed.length > 500 ? `${trimmed.slice(0, 500)}…` : trimmed, details: [] };
		}
	}
	if (typeof body !== 'object' || body === null) return undefined;
	const b = body as Record<string, unknown>;
	if (b.IsException === true) return { message: text(b.ExceptionMessage) ?? 'ERP reported an exception', details: [] };
	const err = b.error;
	if (typeof err === 'string') return { message: err, details: [] };
	if (typeof err === 'object' && err !== null) {
		const e = err as Record<string, unknown>;
		const msg = e.message;
		let message: string | undefined;
		if (typeof msg === 'object' && msg !== null) message = text((msg as Record<string, unknown>).value);
		else message = text(msg);
		const details: ErrorDetail[] = [];
		if (Array.isArray(e.details)) {
			for (const d of e.details) {
				if (typeof d !== 'object' || d === null) continue;
				const dd = d as Record<string, unknown>;
				const m = text(dd.message);
				if (!m) continue;
				details.push({
					message: m,
					index: typeof dd.index === 'number' ? dd.index : undefined,
					key: text(dd.key),
					field: text(dd.field),
				});
			}
		}
		return { message: message ?? details[0]?.message ?? 'error without message', code: text(e.code), details };
	}
	const message = text(b.message) ?? text(b.Message) ?? text(b.error_description);
	return message ? { message, details: [] } : undefined;
}
