/**
 * What the SQL Server (read only) operations of the Comarch ERP Optima node add to nodes/shared/sql/common.ts: the
 * credential, Optima's own options (the editable Rab_Typ table, how Knt_Ceny is read), the credential test, and
 * "now" as Optima's wall clock (TwrIlosci snapshots and Rabaty windows are compared with it).
 */
import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeCredentialTestResult,
	INodeProperties,
} from 'n8n-workflow';
import { instantToStamp } from '../../shared/cursor';
import {
	SQL_OPTION as GENERIC_SQL_OPTION,
	keysetPages,
	readGenericSqlOptions,
	stampToSqlDate,
	withErpSql,
} from '../../shared/sql/common';
import {
	describeTarget,
	settingsFromCredential,
	withSqlSource,
	type SqlServerSettings,
	type SqlSource,
} from '../../shared/sql/transport';
import type { SqlRow } from '../../shared/sql/types';
import { DEFAULT_DISCOUNT_TYPES, type ClientPriceKey, type OptimaMappingOptions } from '../mapping';
import { OPTIMA_SQL, type OptimaQueryName } from '../sql/queries';

export const OPTIMA_SQL_CREDENTIAL = 'optimaSqlApi';

/** "resource:operation" of the operations that read SQL Server (the SQL credential is shown for these) */
export const SQL_OPERATIONS: Array<[string, string]> = [
	['product', 'getMany'],
	['price', 'getMany'],
	['stock', 'getMany'],
	['client', 'getMany'],
	['order', 'check'],
	['order', 'getStatus'],
	['order', 'getStatusChanges'],
	['invoice', 'getMany'],
	['priceList', 'getMany'],
	['warehouse', 'getMany'],
];

const timeZone: INodeProperties = {
	...GENERIC_SQL_OPTION.timeZone,
	description: "Time zone of Optima's dates (it stores local time without a zone)",
};

const discountTypes: INodeProperties = {
	displayName: 'Discount Types (Rab_Typ)',
	name: 'discountTypes',
	type: 'string',
	default: DEFAULT_DISCOUNT_TYPES,
	description:
		'What each CDN.Rabaty type means, as "type=who/what" separated by commas: who is client, group or all; what is product, productGroup or all. Types not listed are skipped. The default is one connector\'s reading, not confirmed by Comarch (docs/optima-sql.md).',
};

const clientPriceKey: INodeProperties = {
	displayName: 'Client Price Key (Knt_Ceny)',
	name: 'clientPriceKey',
	type: 'options',
	options: [
		{ name: 'Price Definition ID (DfC_DfCId)', value: 'id' },
		{ name: 'Price Number (DfC_Lp)', value: 'lp' },
	],
	default: 'id',
	description:
		"How the client's default price (Knt_Ceny) names its price list: which one Optima stores is not confirmed (docs/optima-sql.md)",
};

export const SQL_OPTION = { ...GENERIC_SQL_OPTION, timeZone, discountTypes, clientPriceKey };

export interface OptimaSqlOptions extends Required<Omit<OptimaMappingOptions, 'totalWarehouseCode'>> {
	pageSize: number;
	discountTypes: string;
}

export function readOptimaOptions(ctx: IExecuteFunctions, itemIndex = 0): OptimaSqlOptions {
	const o = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const key: ClientPriceKey = o.clientPriceKey === 'lp' ? 'lp' : 'id';
	return {
		...readGenericSqlOptions(o),
		clientPriceKey: key,
		discountTypes:
			typeof o.discountTypes === 'string' && o.discountTypes.trim() ? o.discountTypes : DEFAULT_DISCOUNT_TYPES,
	};
}

/** Runs `fn` with this execution's Optima SQL source (one pool, closed at the end). */
export async function withOptimaSql<T>(
	ctx: IExecuteFunctions,
	fn: (source: SqlSource<OptimaQueryName>, settings: SqlServerSettings) => Promise<T>,
): Promise<T> {
	return await withErpSql(ctx, OPTIMA_SQL_CREDENTIAL, OPTIMA_SQL, fn);
}

/** Now as Optima's wall clock in `timeZone`, as the Date the driver sends for that datetime. */
export function optimaNow(timeZone = 'Europe/Warsaw', now = new Date()): Date {
	const stamp = instantToStamp(now.toISOString().replace(/\.\d+Z$/, 'Z'), timeZone);
	return stampToSqlDate(stamp ?? now.toISOString().slice(0, 19).replace('T', ' '));
}

/** stands in for the node in messages of the credential test (which runs without a workflow) */
const CREDENTIAL_TEST_NODE: INode = {
	id: 'credential-test',
	name: 'Comarch ERP Optima',
	type: 'n8n-nodes-erp-b2b.optima',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** Connects with the credential and reads one row of CDN.DefCeny: proves login, database and Optima's tables. */
export async function optimaSqlConnectionTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	try {
		const rows = await withSqlSource(CREDENTIAL_TEST_NODE, data, OPTIMA_SQL, async (sql) =>
			sql.query('checkOptima', {}, { action: 'Checking the Optima database' }),
		);
		const settings = settingsFromCredential(data);
		if (!rows.length)
			return {
				status: 'Error',
				message: `database "${settings.database}" has an empty CDN.DefCeny table: is it an Optima company database?`,
			};
		return { status: 'OK', message: `Connected: ${describeTarget(settings)} is a Comarch ERP Optima database` };
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
}

/**
 * Product pages for reads keyed by product (prices, stock): keyset pages of `products` (Twr_TwrId), each handed
 * over with its id range (afterId, upToId] for the range statement — a 100,000-product catalogue never needs one
 * huge result.
 */
export async function productRanges(
	sql: SqlSource<OptimaQueryName>,
	pageSize: number,
	onRange: (products: SqlRow[], range: { afterId: number; upToId: number }) => Promise<void>,
): Promise<void> {
	await keysetPages(
		pageSize,
		'Twr_TwrId',
		async (afterId) =>
			await sql.query('products', { pageSize, afterId, changedSince: null }, { action: 'Reading product IDs' }),
		async (products) =>
			await onRange(products, {
				afterId: Number(products[0].Twr_TwrId) - 1,
				upToId: Number(products[products.length - 1].Twr_TwrId),
			}),
	);
}
