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
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { orderFieldProperty, orderFromItem } from '../../../shared/orders';
import { optionsCollection, readCommonOptions } from '../../../shared/options';
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

export const description: INodeProperties[] = [orderFieldProperty(show), optionsCollection(show, [holdOption])];

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

interface ErrorBody {
	error?: { code?: string; message?: string; details?: Array<IDataObject & { index?: number }> };
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const order = orderFromItem(this, items[i], i);
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
