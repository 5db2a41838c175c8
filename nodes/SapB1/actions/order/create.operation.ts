/**
 * A canonical portal order → an SAP sales order, idempotently. The portal order number goes into
 * NumAtCard. Before creating, the node looks for an order of the same client with that NumAtCard; if one
 * exists (an earlier run, or a retry after a lost answer) it is returned instead of a second document.
 * The POST itself is never blindly re-sent after a network failure: the node looks the order up again and
 * only creates it if SAP really has no such order.
 *
 * When SAP does not create it, the item goes to the error output with `refusal` (nodes/shared/refusal.ts,
 * table in ../../refusals.ts): `final` for what no retry can change (an unknown or blocked client or item, a
 * validation error) — the order templates reject such an order at once with SAP's message — else temporary.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { createEachOrder, createOnce, oneAtATime, orderFieldProperty, orderFromItem } from '../../../shared/orders';
import { renewClaimProperty } from '../../../shared/claimRenewal';
import { allowedVatRatesOption } from '../../../shared/options';
import { DEFAULT_VAT_GROUPS, orderToSapOrder } from '../../mapping';
import { odataString, slRequest } from '../../transport';
import { SAP_REFUSAL_RULES } from '../../refusals';
import { readSapOptions, sapOptions, type SapOptions } from '../common';

const show = { show: { resource: ['order'], operation: ['create'] } };

export const description: INodeProperties[] = [
	orderFieldProperty(show),
	renewClaimProperty(show),
	{
		displayName: 'Warehouse Name or ID',
		name: 'warehouse',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getOrderWarehouses' },
		default: '',
		description:
			'For lines without a warehouse; empty = the item\'s default warehouse. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: show,
	},
	{
		displayName: 'Delivery Due In (Days)',
		name: 'dueInDays',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 7,
		description: 'SAP needs a delivery date (DocDueDate): order date plus this many days',
		displayOptions: show,
	},
	sapOptions('order', ['create'], [allowedVatRatesOption]),
];

export async function findOrderByNumber(
	ctx: IExecuteFunctions,
	number: string,
	clientCode: string | undefined,
	opts: SapOptions,
	itemIndex: number,
) {
	const filter = `NumAtCard eq ${odataString(number)}${clientCode ? ` and CardCode eq ${odataString(clientCode)}` : ''}`;
	const { body } = await slRequest<{ value?: IDataObject[] }>(ctx, {
		method: 'GET',
		path: '/Orders',
		query: {
			$select: 'DocEntry,DocNum,CardCode,NumAtCard,Cancelled,DocumentStatus,DocTotal',
			$filter: filter,
			$orderby: 'DocEntry',
		},
		itemIndex,
		action: `Looking up SAP order for ${number}`,
		policy: opts.policy,
	});
	return (body.value ?? []).find((o) => o.Cancelled !== 'tYES');
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await createEachOrder(this, items, 'SAP', SAP_REFUSAL_RULES, createOne);
}

async function createOne(this: IExecuteFunctions, items: INodeExecutionData[], i: number): Promise<IDataObject> {
	const opts = readSapOptions(this, i);
	const order = orderFromItem(this, items[i], i);
	const reverse: Record<string, string> = {};
	for (const [group, rate] of Object.entries({ ...DEFAULT_VAT_GROUPS, ...opts.vatGroups })) reverse[rate] ??= group;
	const body = orderToSapOrder(order, {
		...opts,
		dueInDays: this.getNodeParameter('dueInDays', i, 7) as number,
		defaultWarehouse: (this.getNodeParameter('warehouse', i, '') as string) || undefined,
		vatGroupForRate: reverse,
	});
	const result = (o: IDataObject, action: string) => ({
		orderNumber: order.number,
		clientCode: order.clientCode,
		action,
		docEntry: o.DocEntry,
		docNum: o.DocNum,
		erpDocumentNumber: String(o.DocNum),
		erpDocumentId: String(o.DocEntry),
	});
	const { serviceLayerUrl, companyDb } = await this.getCredentials('sapB1Api');
	// lookup + create as one step per order in this process (a duplicate delivery, or poll next to webhook)
	return await oneAtATime(`sapB1|${String(serviceLayerUrl)}|${String(companyDb)}|${order.number}`, async () => {
		const existing = await findOrderByNumber(this, order.number, order.clientCode, opts, i);
		if (existing) return result(existing, 'existing');
		// the answer was lost (or a gateway failed): SAP may have created the order; look before trying again
		return await createOnce(
			this,
			i,
			opts.policy,
			async () => {
				const { body: created } = await slRequest(this, {
					method: 'POST',
					path: '/Orders',
					body,
					itemIndex: i,
					action: `Creating SAP order for ${order.number}`,
					policy: { ...opts.policy, maxRetries: 0 },
					idempotent: false,
				});
				return result(created, 'created');
			},
			async () => {
				const found = await findOrderByNumber(this, order.number, order.clientCode, opts, i);
				return found ? result(found, 'created') : undefined;
			},
		);
	});
}
