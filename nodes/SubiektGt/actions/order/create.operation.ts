/**
 * A canonical portal order → a Subiekt GT customer order (ZK) with stock reservation, through the Sfera
 * bridge. Idempotent: the bridge finds an existing ZK by its original number (the portal order number,
 * dok_NrPelnyOryg). After an opaque COM error ("Source: Unknown, Description: Unknown") or a lost answer the
 * node does not post again blindly: it asks the bridge whether the ZK exists and only then retries.
 *
 * When Subiekt does not create it, the item goes to the error output with `refusal` (nodes/shared/refusal.ts,
 * table in ../../refusals.ts): `final` for what no retry can change (the bridge's 422 `rejected`: an unknown or
 * blocked client, an unknown product) — the order templates reject such an order at once with Subiekt's
 * message — else temporary (a lock, a COM error, no answer), tried again a bounded number of times.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { allowedVatRatesOption, optionsCollection, readCommonOptions } from '../../../shared/options';
import { createEachOrder, createThroughBridge, orderFieldProperty, orderFromItem } from '../../../shared/orders';
import { renewClaimProperty } from '../../../shared/claimRenewal';
import { SUBIEKT_REFUSAL_RULES } from '../../refusals';
import { BRIDGE_CREDENTIAL, bridgeRequest } from '../../transport';

const show = { show: { resource: ['order'], operation: ['create'] } };

export const description: INodeProperties[] = [
	orderFieldProperty(show),
	renewClaimProperty(show),
	{
		displayName: 'Warehouse Symbol',
		description: 'Subiekt warehouse symbol (mag_Symbol) the ZK is made in',
		name: 'warehouse',
		type: 'string',
		default: 'MAG',
		displayOptions: show,
	},
	{
		displayName: 'Reserve Stock',
		name: 'reserve',
		type: 'boolean',
		default: true,
		description: 'Whether the ZK reserves the ordered quantities (Rezerwacja)',
		displayOptions: show,
	},
	optionsCollection(show, [allowedVatRatesOption]),
];

/**
 * The ZK with this original number that is not cancelled; with `orCancelled`, a cancelled one when there is no
 * other (for the status: a ZK cancelled in Subiekt must reach the portal as cancelled, not as "not in the ERP").
 */
export async function findZk(ctx: IExecuteFunctions, originalNumber: string, itemIndex: number, orCancelled = false) {
	const { body } = await bridgeRequest<{ documents: IDataObject[] }>(ctx, {
		method: 'GET',
		path: `/v1/zk?originalNumber=${encodeURIComponent(originalNumber)}`,
		itemIndex,
		action: `Looking up the ZK of ${originalNumber}`,
		policy: readCommonOptions(ctx, itemIndex).policy,
	});
	return body.documents.find((d) => d.status !== 'cancelled') ?? (orCancelled ? body.documents.at(-1) : undefined);
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await createEachOrder(this, items, 'Subiekt GT', SUBIEKT_REFUSAL_RULES, createOne);
}

async function createOne(this: IExecuteFunctions, items: INodeExecutionData[], i: number): Promise<IDataObject> {
	const order = orderFromItem(this, items[i], i);
	const policy = readCommonOptions(this, i).policy;
	const body: IDataObject = {
		originalNumber: order.number,
		clientSymbol: order.clientCode,
		warehouseSymbol: this.getNodeParameter('warehouse', i, 'MAG') as string,
		reserve: this.getNodeParameter('reserve', i, true) as boolean,
		priceType: order.priceType,
		currency: order.currency,
		lines: order.lines.map((l) => ({
			symbol: l.productCode,
			quantity: l.quantity,
			unitPrice: l.unitPrice,
			vatRate: l.vatRate,
			...(l.discountPercent ? { discountPercent: l.discountPercent } : {}),
		})),
		...(order.notes ? { notes: order.notes } : {}),
	};
	const result = (d: IDataObject, action: string) => ({
		orderNumber: order.number,
		action,
		documentId: d.id,
		erpDocumentNumber: d.number,
		erpDocumentId: String(d.id),
		totals: d.totals,
	});
	// a COM error or a lost answer does not say whether Subiekt saved the ZK: look before posting again
	return await createThroughBridge(
		this,
		BRIDGE_CREDENTIAL,
		i,
		policy,
		{ path: '/v1/zk', body, action: `Creating the Subiekt ZK for ${order.number}` },
		async () => await findZk(this, order.number, i),
		result,
	);
}
