/**
 * A canonical portal order → a Business Central sales order, once. The portal number goes into
 * externalDocumentNumber (BC's Code[35]: a longer number is refused before anything is sent, as a cut key could
 * match another order). Before posting, the node looks for the customer's sales order with that number — and for
 * a posted invoice carrying it, because BC deletes a sales order once it is fully shipped and invoiced; either
 * found → returned as `existing` instead of a second order. The POST is never blindly re-sent after a lost answer
 * or a gateway error: the node looks again and posts only if BC really has no such order (shared createOnce);
 * two runs of this n8n process handling the same order take turns (shared oneAtATime).
 *
 * The lines go as Item lines in the same POST (deep insert): BC saves the header and its lines in one transaction,
 * so a refused line (an unknown or blocked item) leaves no half order behind and the lost-answer rule covers the
 * whole order. When BC does not create it, the item goes to the error output with `details.refusal`
 * (../../refusals.ts): final for an unknown or blocked customer or item, temporary for locks and server errors.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { createEachOrder, createOnce, oneAtATime, orderFieldProperty, orderFromItem } from '../../../shared/orders';
import { renewClaimProperty } from '../../../shared/claimRenewal';
import { allowedVatRatesOption } from '../../../shared/options';
import type { RetryPolicy } from '../../../shared/transport/retry';
import { MAX_EXTERNAL_DOCUMENT_NUMBER, orderToBcSalesOrder } from '../../mapping/orders';
import { BC_REFUSAL_RULES } from '../../refusals';
import { credentialTypeOf, odataString } from '../../transport';
import { companyRequest } from './sales';
import { bcOptions, readBcOptions } from '../common';

const show = { show: { resource: ['order'], operation: ['create'] } };

export const description: INodeProperties[] = [
	orderFieldProperty(show),
	renewClaimProperty(show),
	{
		displayName: 'Send Portal Prices',
		name: 'sendPrices',
		type: 'boolean',
		default: true,
		description:
			"Whether each line carries the portal's unit price (checked beforehand with Check Prices); off = Business Central prices the lines itself",
		displayOptions: show,
	},
	bcOptions('order', ['create'], [allowedVatRatesOption]),
];

/** What a look-up found: the sales order, or (BC deleted a fully invoiced order) its posted invoice. */
export interface FoundOrder {
	/** the BC sales order number */
	number: string;
	/** the sales order id, when the order still exists */
	id?: string;
	status?: string;
	invoiceNumber?: string;
}

/** The customer's sales order (or posted invoice) whose externalDocumentNumber is the portal number. */
export async function findBcOrder(
	ctx: IExecuteFunctions,
	number: string,
	customerNumber: string,
	policy: RetryPolicy,
	itemIndex: number,
): Promise<FoundOrder | undefined> {
	const filter = `externalDocumentNumber eq ${odataString(number)} and customerNumber eq ${odataString(customerNumber)}`;
	const orders = await companyRequest<{ value?: IDataObject[] }>(ctx, {
		method: 'GET',
		url: '/salesOrders',
		query: { $filter: filter, $select: 'id,number,externalDocumentNumber,customerNumber,status' },
		itemIndex,
		policy,
		action: `Looking up the Business Central sales order of ${number}`,
	});
	const order = orders.body.value?.[0];
	if (order) return { number: String(order.number), id: String(order.id), status: String(order.status) };
	const invoices = await companyRequest<{ value?: IDataObject[] }>(ctx, {
		method: 'GET',
		url: '/salesInvoices',
		query: { $filter: filter, $select: 'id,number,orderNumber,externalDocumentNumber,status' },
		itemIndex,
		policy,
		action: `Looking up the Business Central invoices of ${number}`,
	});
	const invoice = invoices.body.value?.find((v) => v.status !== 'Canceled' && v.orderNumber);
	return invoice ? { number: String(invoice.orderNumber), invoiceNumber: String(invoice.number) } : undefined;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await createEachOrder(this, items, 'Business Central', BC_REFUSAL_RULES, createOne);
}

async function createOne(this: IExecuteFunctions, items: INodeExecutionData[], i: number): Promise<IDataObject> {
	const opts = readBcOptions(this, i);
	const order = orderFromItem(this, items[i], i);
	if (order.number.length > MAX_EXTERNAL_DOCUMENT_NUMBER)
		throw new NodeOperationError(
			this.getNode(),
			`Item ${i}: order "${order.number}": the portal number is ${order.number.length} characters long; Business Central's External Document No. takes at most ${MAX_EXTERNAL_DOCUMENT_NUMBER}`,
			{ itemIndex: i },
		);
	const body = orderToBcSalesOrder(order, { sendPrices: this.getNodeParameter('sendPrices', i, true) as boolean });
	const result = (o: FoundOrder, action: string): IDataObject => ({
		orderNumber: order.number,
		clientCode: order.clientCode,
		action,
		erpDocumentNumber: o.number,
		...(o.id ? { erpDocumentId: o.id } : {}),
		...(o.status ? { bcStatus: o.status } : {}),
		...(o.invoiceNumber ? { invoiceNumber: o.invoiceNumber } : {}),
	});
	const credential = await this.getCredentials(credentialTypeOf(this));
	const where = [credential.tenantId, credential.environment, credential.baseUrl, credential.company]
		.map((v) => String(v ?? ''))
		.join('|');
	return await oneAtATime(`businessCentral|${where}|${order.clientCode}|${order.number}`, async () => {
		const existing = await findBcOrder(this, order.number, order.clientCode, opts.policy, i);
		if (existing) return result(existing, 'existing');
		// the answer was lost (or a gateway failed): BC may have saved the order; look before posting again
		return await createOnce(
			this,
			i,
			opts.policy,
			async () => {
				const { body: created } = await companyRequest<IDataObject>(this, {
					method: 'POST',
					url: '/salesOrders',
					body,
					itemIndex: i,
					action: `Creating the Business Central sales order of ${order.number}`,
					policy: { ...opts.policy, maxRetries: 0 },
					idempotent: false,
				});
				return result(
					{ number: String(created.number), id: String(created.id), status: String(created.status) },
					'created',
				);
			},
			async () => {
				const found = await findBcOrder(this, order.number, order.clientCode, opts.policy, i);
				return found ? result(found, 'created') : undefined;
			},
		);
	});
}
