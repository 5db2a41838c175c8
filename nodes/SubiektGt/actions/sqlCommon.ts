/** What the SQL Server (read only) operations of the Subiekt GT node add to nodes/shared/sql/common.ts. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { SQL_OPTION as GENERIC_SQL_OPTION, readGenericSqlOptions, withErpSql } from '../../shared/sql/common';
import type { SqlServerSettings, SqlSource } from '../../shared/sql/transport';
import type { SubiektMappingOptions } from '../sql/mapping';
import { SUBIEKT_SQL, type SubiektQueryName } from '../sql/queries';

export const SQL_CREDENTIAL = 'subiektGtSqlApi';

/** resources read from SQL Server (the SQL credential is shown for these) */
export const SQL_RESOURCES = [
	'product',
	'productImage',
	'price',
	'stock',
	'client',
	'orderStatus',
	'invoice',
	'warehouse',
];

const priceLevelKey: INodeProperties = {
	displayName: 'Price Level Key',
	name: 'priceLevelKey',
	type: 'options',
	options: [
		{ name: 'Level Name (From Subiekt Settings)', value: 'name', description: 'For example "Hurtowa" (tw_Parametr)' },
		{ name: 'Level Number (1–10)', value: 'number' },
	],
	default: 'name',
	description: "How price levels are named in the portal (price's scope code, client's price list)",
};

const timeZone: INodeProperties = {
	...GENERIC_SQL_OPTION.timeZone,
	description: "Time zone of Subiekt's dates (it stores local time without a zone)",
};

export const SQL_OPTION = { ...GENERIC_SQL_OPTION, priceLevelKey, timeZone };

export interface SqlOptions extends SubiektMappingOptions {
	pageSize: number;
}

export function readSqlOptions(ctx: IExecuteFunctions, itemIndex = 0): SqlOptions {
	const o = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return { ...readGenericSqlOptions(o), priceLevelKey: o.priceLevelKey === 'number' ? 'number' : 'name' };
}

/** Runs `fn` with this execution's Subiekt SQL source (one pool, closed at the end). */
export async function withSubiektSql<T>(
	ctx: IExecuteFunctions,
	fn: (source: SqlSource<SubiektQueryName>, settings: SqlServerSettings) => Promise<T>,
): Promise<T> {
	return await withErpSql(ctx, SQL_CREDENTIAL, SUBIEKT_SQL, fn);
}
