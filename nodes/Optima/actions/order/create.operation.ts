/**
 * A canonical portal order → a Comarch ERP Optima customer reservation (RO, Rodzaj 308000), through the Optima
 * bridge (docs/optima-bridge.md). Once per portal order: the bridge finds an existing RO by its foreign number
 * (TrN_NumerObcy = the portal order number) before it calls AddNew, and the node, after an opaque COM error, a lock
 * or a lost answer, asks the bridge whether the RO exists before it posts again (createThroughBridge, shared with Subiekt) — an opaque COM error
 * does not say whether Sesja.Save() ran.
 *
 * What the RO carries: the client's code (Knt_Kod), the warehouse symbol, each line's product code (Twr_Kod),
 * quantity and price (CenaT: the portal's net unit price after the line's discount; VAT comes from Optima's product
 * card), and whether the RO stays in the buffer (TrN_Bufor = 1, as Optima leaves a new RO). The contract takes net
 * PLN prices only, so a gross or foreign-currency order is refused before anything is sent (final: its data cannot
 * pass by trying again) rather than saved with wrong prices.
 *
 * Refusals go to the item's error output with `refusal` (nodes/shared/refusal.ts, table in ../../refusals.ts).
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import {
	divideDecimal,
	formatDecimal,
	multiplyDecimal,
	subtractDecimal,
	trimDecimal,
} from '../../../shared/model/decimal';
import type { Order } from '../../../shared/model/types';
import { allowedVatRatesOption, optionsCollection, readCommonOptions } from '../../../shared/options';
import { createEachOrder, createThroughBridge, orderFieldProperty, orderFromItem } from '../../../shared/orders';
import { renewClaimProperty } from '../../../shared/claimRenewal';
import { OPTIMA_REFUSAL_RULES } from '../../refusals';
import { OPTIMA_BRIDGE_CREDENTIAL, optimaBridgeRequest } from '../../transport/bridge';

const show = { show: { resource: ['order'], operation: ['create'] } };

export const description: INodeProperties[] = [
	orderFieldProperty(show),
	renewClaimProperty(show),
	{
		displayName: 'Warehouse Symbol',
		name: 'warehouse',
		type: 'string',
		default: 'MAGAZYN',
		description: 'The source warehouse of the RO (Mag_Symbol → MagazynZrodlowyID)',
		displayOptions: show,
	},
	{
		displayName: 'Leave in Buffer',
		name: 'buffer',
		type: 'boolean',
		default: true,
		description: 'Whether to leave the RO in the buffer, TrN_Bufor = 1, as Optima does for a new RO',
		displayOptions: show,
	},
	optionsCollection(show, [allowedVatRatesOption]),
];

/** the RO with this foreign number that is not cancelled (TrN_Anulowany = 0), if the bridge has one */
export async function findRo(
	ctx: IExecuteFunctions,
	foreignNumber: string,
	itemIndex: number,
): Promise<IDataObject | undefined> {
	const { body } = await optimaBridgeRequest<{ documents: IDataObject[] }>(ctx, {
		method: 'GET',
		path: `/v1/ro?foreignNumber=${encodeURIComponent(foreignNumber)}`,
		itemIndex,
		action: `Looking up the Optima RO of ${foreignNumber}`,
		policy: readCommonOptions(ctx, itemIndex).policy,
	});
	return body.documents.find((d) => d.cancelled !== true);
}

/** CenaT: the net unit price after the line's discount, to 4 places (the portal's own precision) */
function transactionPrice(unitPrice: string, discountPercent?: string): string {
	if (!discountPercent) return unitPrice;
	const kept = formatDecimal(subtractDecimal('100', discountPercent));
	return trimDecimal(divideDecimal(formatDecimal(multiplyDecimal(unitPrice, kept)), '100', 4), 2);
}

function checkNetPln(ctx: IExecuteFunctions, order: Order, i: number) {
	const problems = [
		order.priceType === 'gross' ? 'gross prices (the bridge takes net prices)' : '',
		order.currency && order.currency !== 'PLN' ? `currency ${order.currency} (the bridge takes PLN)` : '',
	].filter(Boolean);
	if (problems.length)
		throw new NodeOperationError(
			ctx.getNode(),
			`Item ${i}: order ${order.number} has ${problems.join(' and ')}: the Optima bridge cannot create this RO`,
			{ itemIndex: i },
		);
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await createEachOrder(this, items, 'Optima', OPTIMA_REFUSAL_RULES, createOne);
}

async function createOne(this: IExecuteFunctions, items: INodeExecutionData[], i: number): Promise<IDataObject> {
	const order = orderFromItem(this, items[i], i);
	checkNetPln(this, order, i);
	const policy = readCommonOptions(this, i).policy;
	const body: IDataObject = {
		foreignNumber: order.number,
		clientCode: order.clientCode,
		warehouseSymbol: String(this.getNodeParameter('warehouse', i, 'MAGAZYN')).trim(),
		buffer: this.getNodeParameter('buffer', i, true) as boolean,
		lines: order.lines.map((l) => ({
			productCode: l.productCode,
			quantity: l.quantity,
			unitPrice: transactionPrice(l.unitPrice, l.discountPercent),
		})),
		...(order.notes ? { notes: order.notes } : {}),
	};
	const result = (d: IDataObject, action: string): IDataObject => ({
		orderNumber: order.number,
		action,
		documentId: d.id,
		erpDocumentNumber: d.number,
		erpDocumentId: String(d.id),
		buffer: d.buffer,
	});
	return await createThroughBridge(
		this,
		OPTIMA_BRIDGE_CREDENTIAL,
		i,
		policy,
		{ path: '/v1/ro', body, action: `Creating the Optima RO for ${order.number}` },
		async () => await findRo(this, order.number, i),
		result,
	);
}
