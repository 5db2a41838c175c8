/**
 * The contract's error shape, `{"error": {"code", "message", "details"?}}`, and the exception the
 * simulator's pipeline throws to produce it.
 */

export interface ErrorDetail {
	/** index of the record in the batch's `items` */
	index?: number;
	/** the record's key (code / productCode / orderNumber / number) when it could be read */
	key?: string;
	/** dotted path inside the record (or the body), e.g. `lines[0].quantity` */
	field?: string;
	message: string;
	/** insufficient_stock: the warehouse short (absent: the product over all warehouses) */
	warehouseCode?: string;
	/** insufficient_stock: what the order asks for / what the portal shows as available */
	requested?: string;
	available?: string;
	/** claim_held: the owner holding the live lease, and when it ends */
	owner?: string;
	expiresAt?: string;
	/** order_closed: the order's status, and the ERP document it was acknowledged with */
	orderStatus?: string;
	erpDocumentNumber?: string;
}

export interface ErrorBody {
	error: { code: string; message: string; details?: ErrorDetail[] };
}

export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly details?: ErrorDetail[],
		readonly headers: Record<string, string> = {},
	) {
		super(message);
		this.name = 'HttpError';
	}

	toBody(): ErrorBody {
		return errorBody(this.code, this.message, this.details);
	}
}

export function errorBody(code: string, message: string, details?: ErrorDetail[]): ErrorBody {
	return { error: details && details.length ? { code, message, details } : { code, message } };
}

/** Default error codes for statuses the simulator can answer (including injected faults). */
export const STATUS_CODES: Record<number, string> = {
	400: 'bad_request',
	401: 'unauthorized',
	403: 'forbidden',
	404: 'not_found',
	405: 'method_not_allowed',
	409: 'conflict',
	413: 'payload_too_large',
	415: 'unsupported_media_type',
	422: 'validation_failed',
	429: 'rate_limited',
	500: 'internal_error',
	502: 'bad_gateway',
	503: 'service_unavailable',
	504: 'gateway_timeout',
};

/** A short, safe rendering of a value for messages (never the whole of a long text). */
export function describeValue(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'null';
	if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	return String(value);
}
