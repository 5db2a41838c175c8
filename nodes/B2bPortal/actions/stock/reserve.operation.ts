/**
 * Holds an order's quantities against the portal's available stock (POST /v1/stock/reservations), so that
 * orders placed at the same moment — on any n8n worker, in any workflow — can never take the same last
 * units. The portal does the check and the hold in one step; n8n keeps no stock state of its own.
 *
 * Not enough stock is an outcome, not an error: the item goes on with `reservation.outcome` "insufficient",
 * the short lines and a reason in Polish (`reason`, for the client) and English (`reasonEn`), so the
 * workflow can reject the order. Idempotent per order: running it again for the same order holds nothing more.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { orderFieldProperty, orderFromItem } from '../../../shared/orders';
import { allowedVatRatesOption, optionsCollection, readCommonOptions } from '../../../shared/options';
import { forEachItem } from '../../../shared/items';
import { portalRequest } from '../../transport';

const show = { show: { resource: ['stock'], operation: ['reserve'] } };

export const description: INodeProperties[] = [
	orderFieldProperty(show),
	optionsCollection(show, [allowedVatRatesOption]),
];

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
		const lines = order.lines.map((l) => ({
			productCode: l.productCode,
			...(l.warehouseCode ? { warehouseCode: l.warehouseCode } : {}),
			quantity: l.quantity,
		}));
		const response = await portalRequest<IDataObject & ErrorBody>(this, {
			method: 'POST',
			path: '/v1/stock/reservations',
			body: { orderNumber: order.number, lines },
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
				lines: body.lines,
				...(closed ? { releaseReason: body.releaseReason } : {}),
			};
		}
		return { json: { ...items[i].json, reservation } } as INodeExecutionData;
	});
}
