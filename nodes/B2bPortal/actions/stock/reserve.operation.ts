/**
 * Holds an order's quantities against the portal's available stock (POST /v1/stock/reservations), so that
 * orders placed at the same moment — on any n8n worker, in any workflow — can never take the same last
 * units. The portal does the check and the hold in one step; n8n keeps no stock state of its own.
 *
 * Not enough stock is an outcome, not an error: the item goes on with `reservation.outcome` "insufficient",
 * the short lines and a reason in Polish (`reason`, for the client) and English (`reasonEn`), so the
 * workflow can reject the order. Idempotent per order: running it again for the same order holds nothing more.
 *
 * A hold expires (Options → Hold For (Minutes), default 60, sent as `holdSeconds`; `reservation.expiresAt` by the
 * portal's clock) unless the order is acknowledged before: an order whose run died between this node and the ERP
 * create does not keep its stock for ever. Confirmation ends the expiry.
 *
 * An order the pack refuses as data (a VAT rate the ERP does not take, no client code, a quantity of 0 …) is an
 * outcome too, checked before the portal is asked: `reservation.outcome` "invalid", `invalidOrder: true`, nothing
 * held, and a reason in Polish and English naming the line and the value, so the order templates reject it once
 * while the run's other orders go on (an error here would stop every run on the same order). Only an order
 * without a number — the portal could not be told — stays an error.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { orderFieldProperty, readOrderOfItem, type InvalidOrder } from '../../../shared/orders';
import { allowedVatRatesOption, optionsCollection, readCommonOptions } from '../../../shared/options';
import { forEachItem } from '../../../shared/items';
import { portalRequest } from '../../transport';

const show = { show: { resource: ['stock'], operation: ['reserve'] } };

/** the contract's default holdSeconds (3600) and bounds (60–604800), in minutes */
export const DEFAULT_HOLD_MINUTES = 60;
export const MAX_HOLD_MINUTES = 7 * 24 * 60;

export const holdOption: INodeProperties = {
	displayName: 'Hold For (Minutes)',
	name: 'holdMinutes',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_HOLD_MINUTES },
	default: DEFAULT_HOLD_MINUTES,
	description:
		"How long the portal keeps the hold if the order is not acknowledged, rejected or cancelled before (e.g. the run died before the ERP create): then the stock is available again. Longer than an order can take from here to its acknowledgement, retries included. Confirmation ends the expiry. 1 to 10080 (7 days), by the portal's clock.",
};

export const description: INodeProperties[] = [
	orderFieldProperty(show),
	optionsCollection(show, [holdOption, allowedVatRatesOption]),
];

/** the Hold For (Minutes) option of item i, checked, in seconds */
export function holdSeconds(ctx: IExecuteFunctions, i: number): number {
	const o = ctx.getNodeParameter('options', i, {}) as IDataObject;
	const minutes = o.holdMinutes ?? DEFAULT_HOLD_MINUTES;
	if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > MAX_HOLD_MINUTES)
		throw new NodeOperationError(
			ctx.getNode(),
			`Item ${i}: Hold For (Minutes) must be a whole number from 1 to ${MAX_HOLD_MINUTES}, got ${String(minutes)}`,
			{ itemIndex: i },
		);
	return minutes * 60;
}

export interface ShortLine {
	lineNo?: number;
	productCode: string;
	warehouseCode?: string;
	requested: string;
	available: string;
}

/** the Polish and English reasons for a short order (the Polish one is what the client reads in the portal) */
export function shortfallReasons(short: ShortLine[]): { reason: string; reasonEn: string } {
	const pl = short.map(
		(s) =>
			`${s.lineNo !== undefined ? `pozycja ${s.lineNo} ` : ''}(${s.productCode})${s.warehouseCode ? ` w magazynie ${s.warehouseCode}` : ''}: zamówiono ${s.requested}, dostępne ${s.available}`,
	);
	const en = short.map(
		(s) =>
			`${s.lineNo !== undefined ? `line ${s.lineNo} ` : ''}(${s.productCode})${s.warehouseCode ? ` in warehouse ${s.warehouseCode}` : ''}: ordered ${s.requested}, available ${s.available}`,
	);
	return {
		reason: `Brak wystarczającego stanu magazynowego: ${pl.join('; ')}`,
		reasonEn: `Not enough stock: ${en.join('; ')}`,
	};
}

/** Polish names of the order fields a client can act on (the reason is what the client reads) */
const FIELD_PL: Record<string, string> = {
	number: 'numer zamówienia',
	clientCode: 'kod klienta',
	orderDate: 'data zamówienia',
	currency: 'waluta',
	priceType: 'rodzaj ceny',
	lines: 'pozycje',
	lineNo: 'numer pozycji',
	productCode: 'kod towaru',
	quantity: 'ilość',
	unit: 'jednostka',
	unitPrice: 'cena',
	vatRate: 'stawka VAT',
	discountPercent: 'rabat',
	warehouseCode: 'magazyn',
};

/** the value at a validator path ("lines[1].vatRate") of the raw order, as text */
function rawValueAt(raw: IDataObject, field: string): string {
	let value: unknown = raw;
	for (const part of field.split(/\.|(?=\[)/)) {
		if (value === null || typeof value !== 'object') return '';
		const index = /^\[(\d+)\]$/.exec(part);
		value = index ? (value as unknown[])[Number(index[1])] : (value as IDataObject)[part];
	}
	if (value === undefined || value === null) return '';
	return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

const MAX_LISTED = 10;
/** the portal keeps a reason of up to 2,000 characters */
const MAX_REASON = 1900;
const cut = (text: string) => (text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text);

/**
 * The Polish and English reasons for an order the pack refuses as data, one part per problem, each naming the
 * line (its number and product) and the value: "pozycja 2 (WIO-003): stawka VAT 22 nie jest obsługiwana przez ERP".
 */
export function invalidOrderReasons(invalid: InvalidOrder): { reason: string; reasonEn: string } {
	const pl: string[] = [];
	const en: string[] = [];
	for (const issue of invalid.issues.slice(0, MAX_LISTED)) {
		const inLine = /^lines\[(\d+)\](?:\.(.+))?$/.exec(issue.field);
		let wherePl = '';
		let whereEn = '';
		let name = issue.field;
		if (inLine) {
			const line = (Array.isArray(invalid.raw.lines) ? invalid.raw.lines[Number(inLine[1])] : undefined) as
				| IDataObject
				| undefined;
			const lineNo = typeof line?.lineNo === 'number' ? line.lineNo : Number(inLine[1]) + 1;
			const code = line && typeof line.productCode === 'string' && line.productCode ? ` (${line.productCode})` : '';
			wherePl = `pozycja ${lineNo}${code}: `;
			whereEn = `line ${lineNo}${code}: `;
			name = inLine[2] ?? 'lines';
		}
		const label = FIELD_PL[name.replace(/\..*$/, '')] ?? name;
		const value = rawValueAt(invalid.raw, issue.field);
		if (issue.code === 'vatRateNotAllowed') {
			const allowed = invalid.allowedVatRates.join(', ');
			pl.push(`${wherePl}stawka VAT ${value} nie jest obsługiwana przez ERP (dozwolone: ${allowed})`);
			en.push(`${whereEn}VAT rate ${value} is not one the ERP takes (allowed: ${allowed})`);
		} else if (issue.message.startsWith('is missing')) {
			pl.push(`${wherePl}brak pola „${label}” (${issue.field})`);
			en.push(`${whereEn}field "${issue.field}" ${issue.message}`);
		} else {
			pl.push(`${wherePl}nieprawidłowa wartość pola „${label}” (${issue.field}): ${value || '(pusta)'}`);
			en.push(`${whereEn}field "${issue.field}" ${issue.message}`);
		}
	}
	const more = invalid.issues.length - MAX_LISTED;
	if (more > 0) {
		pl.push(`i ${more} innych błędów`);
		en.push(`and ${more} more`);
	}
	const number = invalid.number ?? '';
	return {
		reason: cut(`Zamówienie ${number} odrzucone, nieprawidłowe dane: ${pl.join('; ')}`),
		reasonEn: cut(`Order ${number} rejected, invalid data: ${en.join('; ')}`),
	};
}

interface ErrorBody {
	error?: { code?: string; message?: string; details?: Array<IDataObject & { index?: number }> };
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const read = readOrderOfItem(this, items[i], i);
		if (read.invalid) {
			// the portal cannot be told about an order without a number: that stays an error
			if (!read.invalid.number)
				throw new NodeOperationError(this.getNode(), `Item ${i}: ${read.invalid.message}`, { itemIndex: i });
			const reservation: IDataObject = {
				outcome: 'invalid',
				invalidOrder: true,
				orderNumber: read.invalid.number,
				issues: read.invalid.issues.map(({ field, message }) => ({ field, message })),
				...invalidOrderReasons(read.invalid),
			};
			return { json: { ...items[i].json, reservation } } as INodeExecutionData;
		}
		const order = read.order;
		const hold = holdSeconds(this, i);
		const lines = order.lines.map((l) => ({
			productCode: l.productCode,
			...(l.warehouseCode ? { warehouseCode: l.warehouseCode } : {}),
			quantity: l.quantity,
		}));
		const response = await portalRequest<IDataObject & ErrorBody>(this, {
			method: 'POST',
			path: '/v1/stock/reservations',
			body: { orderNumber: order.number, holdSeconds: hold, lines },
			itemIndex: i,
			action: `Reserving stock for order ${order.number}`,
			policy: readCommonOptions(this, i).policy,
			acceptStatus: [409],
		});
		let reservation: IDataObject;
		if (response.statusCode === 409) {
			const error = response.body?.error;
			if (error?.code !== 'insufficient_stock')
				throw new NodeOperationError(
					this.getNode(),
					`The portal refused to reserve stock for order ${order.number}: ${error?.message ?? 'conflict (409)'}`,
					{ itemIndex: i },
				);
			const short: ShortLine[] = (error.details ?? []).map((d) => {
				const line = typeof d.index === 'number' ? order.lines[d.index] : undefined;
				return {
					...(line ? { lineNo: line.lineNo } : {}),
					productCode: String(d.key ?? line?.productCode ?? ''),
					...(d.warehouseCode ? { warehouseCode: String(d.warehouseCode) } : {}),
					requested: String(d.requested ?? ''),
					available: String(d.available ?? ''),
				};
			});
			reservation = {
				outcome: 'insufficient',
				orderNumber: order.number,
				shortfall: short as unknown as IDataObject[],
				...shortfallReasons(short),
			};
		} else {
			const body = response.body;
			const closed = body.status === 'released' && body.releaseReason !== 'stockPush';
			reservation = {
				// released because the order was rejected or cancelled: nothing to send to the ERP
				outcome: closed ? 'released' : 'held',
				orderNumber: order.number,
				status: body.status,
				// when the portal lets the hold go if the order is not acknowledged before (portal's clock; absent
				// once confirmed: the ERP document holds the stock then)
				...(body.expiresAt !== undefined ? { expiresAt: body.expiresAt } : {}),
				lines: body.lines,
				...(closed ? { releaseReason: body.releaseReason } : {}),
			};
		}
		return { json: { ...items[i].json, reservation } } as INodeExecutionData;
	});
}
