/**
 * Price Check (at confirmation), for any ERP: each line's portal price against the ERP's price for the client,
 * taken from canonical price records the item carries (e.g. an ERP node's price read gathered with n8n's
 * Aggregate node). Precedence, net/gross conversion, rounding and tolerance are those of every ERP node's
 * price check (nodes/shared/priceCheck.ts). The item is passed on with `priceCheck: {accepted, reason,
 * reasonEn, lines[]}`, the same shape as SAP's "Check Prices", so an If node on `priceCheck.accepted` follows.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { forEachItem } from '../../../shared/items';
import { ROUNDING_MODES, type RoundingMode } from '../../../shared/model/decimal';
import type { Price } from '../../../shared/model/types';
import { describeIssues, validateRecord } from '../../../shared/model/validate';
import { allowedVatRatesOption, roundingOptionProperties } from '../../../shared/options';
import { orderFieldProperty, orderFromItem } from '../../../shared/orders';
import {
	AmbiguousPriceError,
	checkLinePrice,
	resolveCanonicalPrice,
	summarisePriceCheck,
	type LineCheck,
	type PriceCheckSettings,
	readTolerance,
	toleranceProperties,
} from '../../../shared/priceCheck';

const show = { show: { resource: ['price'], operation: ['check'] } };

export const description: INodeProperties[] = [
	orderFieldProperty(show),
	{
		displayName: 'Prices Field',
		name: 'pricesField',
		type: 'string',
		default: 'prices',
		description:
			'Field of the input item holding the ERP\'s canonical price records for this client (a list). After an ERP node\'s price read, gather them with an Aggregate node ("All Item Data" into "prices") and merge them with the order.',
		displayOptions: show,
	},
	{
		displayName: 'Client Price Group',
		name: 'clientPriceGroup',
		type: 'string',
		default: '',
		placeholder: 'HURT',
		description:
			"The client's price group (the canonical client's priceGroup); empty = any client-group price given applies to this client",
		displayOptions: show,
	},
	{
		displayName: 'Client Price List',
		name: 'clientPriceList',
		type: 'string',
		default: '',
		placeholder: '2',
		description:
			"The client's price list (the canonical client's priceListCode); empty = any price-list price given applies to this client",
		displayOptions: show,
	},
	...toleranceProperties(show),
	{
		displayName: 'Options',
		description: 'Rounding, tolerance and other settings of the price check',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'ERP Name',
				name: 'erpName',
				type: 'string',
				default: 'ERP',
				description: 'How the reasons name the ERP ("brak ceny w Subiekt")',
			},
			allowedVatRatesOption,
			...roundingOptionProperties,
		],
	},
];

function pricesOf(ctx: IExecuteFunctions, item: INodeExecutionData, i: number, field: string): Price[] {
	const raw = field ? item.json[field] : undefined;
	if (!Array.isArray(raw))
		throw new NodeOperationError(
			ctx.getNode(),
			`Item ${i}: no list of prices in field "${field}" (put the ERP's price records for the client there)`,
			{ itemIndex: i },
		);
	return raw.map((p, n) => {
		const checked = validateRecord('price', p, { moneyDecimals: 4 });
		if (!checked.ok || !checked.value)
			throw new NodeOperationError(ctx.getNode(), `Item ${i}: ${field}[${n}]: ${describeIssues('price', checked)}`, {
				itemIndex: i,
			});
		return checked.value;
	});
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const out = await forEachItem(this, items, async (i) => {
		const order = orderFromItem(this, items[i], i);
		const prices = pricesOf(this, items[i], i, String(this.getNodeParameter('pricesField', i, 'prices')).trim());
		const o = this.getNodeParameter('options', i, {}) as IDataObject;
		const settings: PriceCheckSettings = {
			tolerance: readTolerance(this, i),
			moneyDecimals: typeof o.moneyDecimals === 'number' ? o.moneyDecimals : 2,
			rounding: ROUNDING_MODES.includes(o.rounding as RoundingMode) ? (o.rounding as RoundingMode) : 'halfUp',
			erpName: String(o.erpName ?? '').trim() || 'ERP',
		};
		const client = {
			code: order.clientCode,
			group: String(this.getNodeParameter('clientPriceGroup', i, '') ?? '').trim(),
			priceList: String(this.getNodeParameter('clientPriceList', i, '') ?? '').trim(),
		};
		const date = order.placedAt.slice(0, 10);
		const checks: LineCheck[] = order.lines.map((line) => {
			try {
				const erp = resolveCanonicalPrice(prices, client, line, order.currency, date, order.priceType);
				return checkLinePrice(order, line, erp, settings);
			} catch (error) {
				if (error instanceof AmbiguousPriceError)
					throw new NodeOperationError(this.getNode(), `Item ${i}: order "${order.number}": ${error.message}`, {
						itemIndex: i,
					});
				throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: i });
			}
		});
		return { json: { ...items[i].json, priceCheck: summarisePriceCheck(checks, settings.tolerance) } };
	});
	return [out];
}
