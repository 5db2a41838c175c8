/** What every Business Central read shares: its Options collection, the cursor stamps, and mapping errors as node errors. */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import {
	optionsCollection,
	readCommonOptions,
	readVatGroupsOption,
	roundingOptionProperties,
} from '../../shared/options';
import { BcValueError, type MappingOptions } from '../mapping';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../transport';

export const pageSizeOption: INodeProperties = {
	displayName: 'Page Size',
	name: 'pageSize',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_PAGE_SIZE },
	default: DEFAULT_PAGE_SIZE,
	description:
		'Records per page (Prefer: odata.maxpagesize). Business Central allows up to 20,000; 5,000 keeps each answer a few MB.',
};

export const vatGroupsOption: INodeProperties = {
	displayName: 'VAT Groups (JSON)',
	name: 'vatGroups',
	type: 'json',
	default: '{}',
	description:
		'Extra tax group / VAT product posting group → rate pairs, e.g. {"VAT-23": "23", "ZW": "zw"}. Built in: VAT23 23, VAT8 8, VAT5 5, VAT0 0, ZW zw, NP np, OO oo.',
};

export const localCurrencyOption: INodeProperties = {
	displayName: 'Local Currency',
	name: 'localCurrency',
	type: 'string',
	default: 'PLN',
	description: "The company's local currency (LCY): the currency of prices Business Central keeps without one",
};

/** The custom API of the price list lines and customer price groups (docs/business-central.md). */
export const customApiOptions: INodeProperties[] = [
	{
		displayName: 'Custom API Publisher',
		name: 'customApiPublisher',
		type: 'string',
		default: 'erpB2b',
		description: 'APIPublisher of the custom API pages installed in Business Central',
	},
	{
		displayName: 'Custom API Group',
		name: 'customApiGroup',
		type: 'string',
		default: 'sync',
		description: 'APIGroup of the custom API pages',
	},
	{
		displayName: 'Custom API Version',
		name: 'customApiVersion',
		type: 'string',
		default: 'v1.0',
		description: 'APIVersion of the custom API pages',
	},
];

/** The Options collection of a Business Central operation. */
export function bcOptions(resource: string, operations: string[], extra: INodeProperties[] = []): INodeProperties {
	return optionsCollection({ show: { resource: [resource], operation: operations } }, [
		...extra,
		pageSizeOption,
		...roundingOptionProperties,
	]);
}

export interface BcOptions extends MappingOptions {
	pageSize: number;
	policy: ReturnType<typeof readCommonOptions>['policy'];
	customApi: { publisher: string; group: string; version: string };
	raw: IDataObject;
}

export function readBcOptions(ctx: IExecuteFunctions, itemIndex = 0): BcOptions {
	const common = readCommonOptions(ctx, itemIndex);
	const raw = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const vatGroups = readVatGroupsOption(ctx, raw, itemIndex);
	const str = (v: unknown, d: string) => (typeof v === 'string' && v.trim() ? v.trim() : d);
	return {
		pageSize: Number(raw.pageSize ?? DEFAULT_PAGE_SIZE),
		policy: common.policy,
		moneyDecimals: common.moneyDecimals,
		rounding: common.rounding,
		vatGroups,
		localCurrency: str(raw.localCurrency, 'PLN').toUpperCase(),
		customApi: {
			publisher: str(raw.customApiPublisher, 'erpB2b'),
			group: str(raw.customApiGroup, 'sync'),
			version: str(raw.customApiVersion, 'v1.0'),
		},
		raw,
	};
}

/** Maps one BC record; a malformed value ends the read with an error naming the record and the field. */
export function mapRecord<T>(ctx: IExecuteFunctions, map: () => T, itemIndex = 0): T {
	try {
		return map();
	} catch (error) {
		if (error instanceof BcValueError)
			throw new NodeOperationError(ctx.getNode(), error.message, {
				itemIndex,
				description: 'Business Central sent a value in a shape the node does not read.',
			});
		throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
	}
}

/**
 * BC's `lastModifiedDateTime` (UTC, "2026-11-26T10:15:00.123Z") → the cursor's stamp "2026-11-26 10:15:00" (UTC,
 * the fraction dropped: the next read asks `gt` the whole second, so records of that second are read once more —
 * never one lost).
 */
export function stampOf(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const ms = Date.parse(value);
	if (Number.isNaN(ms)) return undefined;
	return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** The cursor's stamp (UTC) → `lastModifiedDateTime gt 2026-11-26T10:15:00Z`. */
export function changedSinceFilter(since: string, field = 'lastModifiedDateTime'): string {
	return `${field} gt ${since.replace(' ', 'T')}Z`;
}
