/** What every enova365 operation shares: its Options collection, and turning a malformed Soneta value into a node error. */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { optionsCollection, readCommonOptions, roundingOptionProperties } from '../../shared/options';
import { EnovaValueError, type MappingOptions } from '../mapping';

export const pageSizeOption: INodeProperties = {
	displayName: 'Page Size',
	name: 'pageSize',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 5000 },
	default: 500,
	description: 'Records per add-on page (IloscNaStronie)',
};

/** The Options collection of an enova365 operation. */
export function enovaOptions(resource: string, operations: string[], extra: INodeProperties[] = []): INodeProperties {
	return optionsCollection({ show: { resource: [resource], operation: operations } }, [
		...extra,
		pageSizeOption,
		...roundingOptionProperties,
	]);
}

export interface EnovaOptions extends MappingOptions {
	pageSize: number;
	policy: ReturnType<typeof readCommonOptions>['policy'];
	raw: IDataObject;
}

export function readEnovaOptions(ctx: IExecuteFunctions, itemIndex = 0): EnovaOptions {
	const common = readCommonOptions(ctx, itemIndex);
	const raw = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		pageSize: Number(raw.pageSize ?? 500),
		policy: common.policy,
		moneyDecimals: common.moneyDecimals,
		rounding: common.rounding,
		raw,
	};
}

/** Maps one enova record; a malformed value ends the read with an error naming the record and the field. */
export function mapRecord<T>(ctx: IExecuteFunctions, map: () => T, itemIndex = 0): T {
	try {
		return map();
	} catch (error) {
		if (error instanceof EnovaValueError)
			throw new NodeOperationError(ctx.getNode(), error.message, {
				itemIndex,
				description:
					'The enova365 add-on sent a value in a shape the node does not read (docs/enova365-webapi-contract.md, Soneta value shapes).',
			});
		throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
	}
}

export const warehousesProperty = (resource: string, operations: string[]): INodeProperties => ({
	displayName: 'Warehouse Names or IDs',
	name: 'warehouses',
	type: 'multiOptions',
	typeOptions: { loadOptionsMethod: 'getWarehouses' },
	default: [],
	description:
		'Only these warehouses (enova Magazyn symbols); none = all. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	displayOptions: { show: { resource: [resource], operation: operations } },
});
