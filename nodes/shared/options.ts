/**
 * Node options every pack node shares: retries (beyond n8n's 5-try cap), timeout, money rounding.
 * One definition here so every node shows the same names and defaults (the literal defaults equal
 * DEFAULT_RETRY_POLICY; a unit test holds them together).
 */
import {
	NodeOperationError,
	type IDataObject,
	type IDisplayOptions,
	type IExecuteFunctions,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';
import { ROUNDING_MODES, type RoundingMode } from './model/decimal';
import { DEFAULT_ORDER_VAT_RATES, parseVatRateList } from './model/vat';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './transport/retry';

export const retryOptionProperties: INodeProperties[] = [
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100 },
		default: 8,
		description:
			'How many times to try again after a 429, a 5xx or a lost connection (with growing, randomised waits). Errors that cannot succeed, like a wrong API key, are never retried.',
	},
	{
		displayName: 'Retry Base Delay (Ms)',
		name: 'retryBaseDelayMs',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 500,
		description: 'First wait before a retry; each further retry waits up to twice as long (random, to spread load)',
	},
	{
		displayName: 'Max Retry Delay (Ms)',
		name: 'retryMaxDelayMs',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 30000,
		description: 'Longest wait between two tries (a Retry-After header from the server is honoured up to 5 minutes)',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 60,
		description: 'How long to wait for one answer before counting it as lost',
	},
];

export const roundingOptionProperties: INodeProperties[] = [
	{
		displayName: 'Money Decimal Places',
		name: 'moneyDecimals',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 4 },
		default: 2,
		description: 'Prices and amounts are rounded to this many places (2 = to the grosz)',
	},
	{
		displayName: 'Rounding',
		description: 'How money is rounded to the grosz: half up (Polish practice) unless your ERP rounds otherwise',
		name: 'rounding',
		type: 'options',
		options: [
			{ name: 'Half Up (0.005 → 0.01)', value: 'halfUp' },
			{ name: 'Half Even (Banker’s)', value: 'halfEven' },
			{ name: 'Down (Truncate)', value: 'down' },
			{ name: 'Up', value: 'up' },
		],
		default: 'halfUp',
	},
];

/**
 * "Allowed VAT Rates": in the options of every operation that reads a portal order (orderFromItem, the ERP File
 * order builds), so one list decides for the create, the checks and the files alike.
 */
export const allowedVatRatesOption: INodeProperties = {
	displayName: 'Allowed VAT Rates',
	name: 'allowedVatRates',
	type: 'string',
	default: DEFAULT_ORDER_VAT_RATES.join(', '),
	description:
		'The VAT rates an order line may carry, separated by commas: percentages and the markers zw (exempt), np (not subject), oo (reverse charge). An order with a line at any other rate (22, 7, 23.5, …) is refused, naming the line and the rate. Add a rate here only when the ERP has a VAT group / symbol for it.',
};

/** The "Allowed VAT Rates" option of a collection (default `options`), in canonical form; blank = the default. */
export function readAllowedVatRates(ctx: IExecuteFunctions, itemIndex: number, collection = 'options'): string[] {
	const o = ctx.getNodeParameter(collection, itemIndex, {}) as Record<string, unknown>;
	try {
		return parseVatRateList(o.allowedVatRates);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `Allowed VAT Rates: ${(error as Error).message}`, { itemIndex });
	}
}

export interface CommonOptions {
	policy: RetryPolicy;
	moneyDecimals: number;
	rounding: RoundingMode;
}

export function readCommonOptions(ctx: IExecuteFunctions, itemIndex: number): CommonOptions {
	const o = ctx.getNodeParameter('options', itemIndex, {}) as Record<string, unknown>;
	const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);
	const rounding = ROUNDING_MODES.includes(o.rounding as RoundingMode) ? (o.rounding as RoundingMode) : 'halfUp';
	return {
		policy: {
			...DEFAULT_RETRY_POLICY,
			maxRetries: num(o.maxRetries, DEFAULT_RETRY_POLICY.maxRetries),
			baseDelayMs: num(o.retryBaseDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs),
			maxDelayMs: num(o.retryMaxDelayMs, DEFAULT_RETRY_POLICY.maxDelayMs),
			timeoutMs: num(o.timeoutSeconds, DEFAULT_RETRY_POLICY.timeoutMs / 1000) * 1000,
		},
		moneyDecimals: num(o.moneyDecimals, 2),
		rounding,
	};
}

/** The "Options" collection of an operation: its own options first, then the retry options. */
export function optionsCollection(displayOptions: IDisplayOptions, options: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		description: 'Retries, timeouts and other settings of this operation',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions,
		options: [...options, ...retryOptionProperties],
	};
}

/** The Operation dropdown of one resource (every node with resources and operations). */
export function operationSelector(resource: string, options: INodePropertyOptions[], def: string): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options,
		default: def,
	};
}

/**
 * The *VAT Groups (JSON)* option (an ERP's VAT / tax group code → canonical rate, added to the node's own table):
 * an object, or its JSON text; anything else stops the node with the option named.
 */
export function readVatGroupsOption(
	ctx: IExecuteFunctions,
	raw: IDataObject,
	itemIndex: number,
): Record<string, string> {
	const text = raw.vatGroups;
	if (text === undefined || text === '') return {};
	try {
		return (typeof text === 'string' ? JSON.parse(text) : text) as Record<string, string>;
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `VAT Groups (JSON) is not valid JSON: ${(error as Error).message}`, {
			itemIndex,
		});
	}
}
