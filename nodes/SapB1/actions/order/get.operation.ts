/** The SAP sales order of a portal order (found by NumAtCard): document numbers, status, totals and lines. */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { forEachItem } from '../../../shared/items';
import { roundDecimal } from '../../../shared/model/decimal';
import { sapDate } from '../../mapping';
import { odataString, slRequest } from '../../transport';
import { readSapOptions, sapOptions } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Portal Order Number',
		name: 'orderNumber',
		type: 'string',
		default: '={{ $json.orderNumber ?? $json.number }}',
		required: true,
		description: "The number stored in the SAP order's NumAtCard",
		displayOptions: { show: { resource: ['order'], operation: ['get'] } },
	},
	sapOptions('order', ['get']),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const opts = readSapOptions(this);
	return await forEachItem(this, items, async (i) => {
		const number = String(this.getNodeParameter('orderNumber', i)).trim();
		const { body } = await slRequest<{ value?: IDataObject[] }>(this, {
			method: 'GET',
			path: '/Orders',
			query: {
				$select:
					'DocEntry,DocNum,CardCode,NumAtCard,DocDate,DocDueDate,DocTotal,VatSum,DocCurrency,Cancelled,DocumentStatus,DocumentLines',
				$filter: `NumAtCard eq ${odataString(number)}`,
				$orderby: 'DocEntry',
			},
			itemIndex: i,
			action: `Reading the SAP order of ${number}`,
			policy: opts.policy,
		});
		const orders = body.value ?? [];
		const order = orders.find((o) => o.Cancelled !== 'tYES') ?? orders[0];
		if (!order)
			throw new NodeOperationError(this.getNode(), `Item ${i}: SAP has no sales order with NumAtCard "${number}"`, {
				itemIndex: i,
			});
		const money = (v: unknown) => roundDecimal((v as number) ?? 0, opts.moneyDecimals, opts.rounding);
		return {
			orderNumber: number,
			clientCode: order.CardCode,
			docEntry: order.DocEntry,
			docNum: order.DocNum,
			erpDocumentNumber: String(order.DocNum),
			documentStatus: order.DocumentStatus,
			cancelled: order.Cancelled === 'tYES',
			date: sapDate(order.DocDate),
			dueDate: sapDate(order.DocDueDate),
			currency: order.DocCurrency,
			totals: { gross: money(order.DocTotal), vat: money(order.VatSum) },
			lines: ((order.DocumentLines as IDataObject[] | undefined) ?? []).map((l) => ({
				lineNum: l.LineNum,
				productCode: l.ItemCode,
				quantity: String(l.Quantity),
				unitPrice: money(l.UnitPrice ?? l.Price),
				warehouseCode: l.WarehouseCode,
				lineStatus: l.LineStatus,
			})),
			...(orders.length > 1 ? { duplicates: orders.length } : {}),
		};
	});
}
