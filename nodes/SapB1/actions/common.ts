import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { newestOf, readCursor, saveCursor, splitStamp } from '../../shared/cursor';
import {
	optionsCollection,
	readCommonOptions,
	readVatGroupsOption,
	roundingOptionProperties,
} from '../../shared/options';
import { updateStamp } from '../mapping';
import { changedSinceFilter, slPages } from '../transport';
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
	const vatGroups = readVatGroupsOption(ctx, raw, itemIndex);
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

export interface IncrementalRead {
	/** stream name of the read position (nodes/shared/cursor.ts) */
	stream: string;
	entity: string;
	select: string[];
	/** always-applied filter, combined with the "changed since" filter */
	filter?: string;
	orderby: string;
	action: string;
}

/**
 * Streams the records of an entity changed since the stream's committed position (or all of them, by the
 * node's Read option), newest stamp recorded as the pending position for Record Run to commit.
 */
export async function readIncremental(
	ctx: IExecuteFunctions,
	read: IncrementalRead,
	opts: SapOptions,
	onRecord: (record: IDataObject) => Promise<void> | void,
): Promise<void> {
	const cursor = readCursor(ctx, read.stream);
	const changed = cursor.since ? changedSinceFilter(splitStamp(cursor.since)) : undefined;
	const filter =
		[read.filter, changed]
			.filter(Boolean)
			.map((f) => `(${f})`)
			.join(' and ') || undefined;
	let newest: string | undefined = cursor.since;
	for await (const page of slPages(ctx, read.entity, {
		select: read.select,
		filter,
		orderby: read.orderby,
		pageSize: opts.pageSize,
		policy: opts.policy,
		action: read.action,
	})) {
		for (const record of page.items) {
			newest = newestOf(newest, updateStamp(record));
			await onRecord(record);
		}
	}
	saveCursor(ctx, cursor, newest);
}
