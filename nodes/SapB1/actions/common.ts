import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { optionsCollection, readCommonOptions, roundingOptionProperties } from '../../shared/options';
import type { MappingOptions } from '../mapping';

export const pageSizeOption: INodeProperties = {
	displayName: 'Page Size',
	name: 'pageSize',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 5000 },
	default: 500,
	description: 'Records per Service Layer page (B1S-PageSize); SAP answers 20 when not asked',
};

export const vatGroupsOption: INodeProperties = {
	displayName: 'VAT Groups (JSON)',
	name: 'vatGroups',
	type: 'json',
	default: '{}',
	description:
		'Extra SAP VAT group → rate pairs, e.g. {"VAT23": "23", "ZW": "zw"}. Built in: S23/A23 23, S8/A8 8, S5/A5 5, S0/A0 0, SZW/AZW zw, SNP np, SOO oo.',
};

/** The Options collection of an SAP read operation. */
export function sapOptions(resource: string, operations: string[], extra: INodeProperties[] = []): INodeProperties {
	return optionsCollection({ show: { resource: [resource], operation: operations } }, [
		...extra,
		pageSizeOption,
		vatGroupsOption,
		...roundingOptionProperties,
	]);
}

export interface SapOptions extends MappingOptions {
	pageSize: number;
	policy: ReturnType<typeof readCommonOptions>['policy'];
	raw: IDataObject;
}

export function readSapOptions(ctx: IExecuteFunctions, itemIndex = 0): SapOptions {
	const common = readCommonOptions(ctx, itemIndex);
	const raw = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	let vatGroups: Record<string, string> = {};
	const text = raw.vatGroups;
	if (text !== undefined && text !== '') {
		try {
			vatGroups = (typeof text === 'string' ? JSON.parse(text) : text) as Record<string, string>;
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), `VAT Groups (JSON) is not valid JSON: ${(error as Error).message}`, {
				itemIndex,
			});
		}
	}
	return {
		pageSize: Number(raw.pageSize ?? 500),
		policy: common.policy,
		moneyDecimals: common.moneyDecimals,
		rounding: common.rounding,
		vatGroups,
		raw,
	};
}

export const warehousesProperty = (resource: string, operations: string[]): INodeProperties => ({
	displayName: 'Warehouse Names or IDs',
	name: 'warehouses',
	type: 'multiOptions',
	typeOptions: { loadOptionsMethod: 'getWarehouses' },
	default: [],
	description:
		'Only these warehouses; none = all. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	displayOptions: { show: { resource: [resource], operation: operations } },
});

/** The SAP server's time zone from the credential (its UpdateDate/UpdateTime are local time). */
export async function withTimeZone(ctx: IExecuteFunctions, opts: SapOptions): Promise<SapOptions> {
	const credentials = await ctx.getCredentials('sapB1Api');
	return { ...opts, timeZone: String(credentials.timeZone || 'Europe/Warsaw') };
}
