/**
 * What the SQL Server (read only) operations of every SQL ERP node share: the generic options, the execution's
 * SQL source (withErpSql), paging and collecting mapped rows. The ERP's own options and mapping stay in its node
 * (e.g. nodes/SubiektGt/actions/sqlCommon.ts).
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { withSqlSource, type SqlServerSettings, type SqlSource } from './transport';
import type { SqlErp, SqlRow } from './types';

const pageSize: INodeProperties = {
	displayName: 'Page Size',
	name: 'pageSize',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 10000 },
	default: 1000,
	description: 'Rows per query; each page starts after the last record ID of the previous one (keyset paging)',
};

const priceDecimals: INodeProperties = {
	displayName: 'Price Decimal Places',
	name: 'priceDecimals',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 4 },
	default: 4,
	description: 'Unit prices are rounded half up to this many places (SQL Server money has 4)',
};

const moneyDecimals: INodeProperties = {
	displayName: 'Money Decimal Places',
	name: 'moneyDecimals',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 4 },
	default: 2,
	description: 'Document totals are rounded half up to this many places (2 = to the grosz)',
};

const timeZone: INodeProperties = {
	displayName: 'Time Zone',
	name: 'timeZone',
	type: 'string',
	default: 'Europe/Warsaw',
	description: "Time zone of the ERP's dates (it stores local time without a zone)",
};

const defaultCountry: INodeProperties = {
	displayName: 'Default Country',
	name: 'defaultCountry',
	type: 'string',
	default: 'PL',
	description: 'Country code of addresses without one',
};

/** The generic options of a SQL read; an ERP node adds its own (e.g. Subiekt's priceLevelKey). */
export const SQL_OPTION = { pageSize, priceDecimals, moneyDecimals, timeZone, defaultCountry };

/** The Options collection of a SQL operation (no HTTP retry options: a query is not retried). */
export function sqlOptions(resource: string, operations: string[], options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		description: 'Page size, timeouts and other settings of this read',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { resource: [resource], operation: operations } },
		options,
	};
}

/** The generic options as `sqlOptions` collects them (defaults for what is missing or out of range). */
export interface SqlReadOptions {
	pageSize: number;
	priceDecimals: number;
	moneyDecimals: number;
	timeZone: string;
	defaultCountry: string;
}

export function readGenericSqlOptions(o: IDataObject): SqlReadOptions {
	const int = (v: unknown, d: number, min: number, max: number) =>
		typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : d;
	return {
		pageSize: int(o.pageSize, 1000, 1, 10000),
		priceDecimals: int(o.priceDecimals, 4, 0, 4),
		moneyDecimals: int(o.moneyDecimals, 2, 0, 4),
		timeZone: String(o.timeZone || 'Europe/Warsaw').trim(),
		defaultCountry: String(o.defaultCountry || 'PL').trim(),
	};
}

/** Runs `fn` with this execution's SQL source for `erp` (one pool, closed at the end). */
export async function withErpSql<Q extends string, T>(
	ctx: IExecuteFunctions,
	credentialType: string,
	erp: SqlErp<Q>,
	fn: (source: SqlSource<Q>, settings: SqlServerSettings) => Promise<T>,
): Promise<T> {
	const credential = await ctx.getCredentials(credentialType);
	return await withSqlSource(ctx.getNode(), credential, erp, fn);
}

/**
 * Collects mapped records as output items of input item 0 (the read operations run once). A row that cannot
 * be mapped stops the node with an error naming it — or, with Continue On Fail, becomes an error item: in
 * `items`, or handed to `errorsTo` (the read's batch output, nodes/shared/batch.ts, which keeps it in its place).
 */
export class RecordSink {
	readonly items: INodeExecutionData[] = [];

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly what: string,
		private readonly errorsTo?: { addError(json: IDataObject): void },
	) {}

	add<T>(row: SqlRow, describe: string, map: (row: SqlRow) => T | undefined): T | undefined {
		const record = this.map(row, describe, map);
		if (record !== undefined) this.items.push({ json: record as unknown as IDataObject, pairedItem: { item: 0 } });
		return record;
	}

	/** The mapped record, or undefined when there is none or it failed (then an error item, with Continue On Fail). */
	map<T>(row: SqlRow, describe: string, map: (row: SqlRow) => T | undefined): T | undefined {
		try {
			return map(row);
		} catch (error) {
			const message = `${this.what} ${describe}: ${(error as Error).message}`;
			if (!this.ctx.continueOnFail()) throw new NodeOperationError(this.ctx.getNode(), message, { itemIndex: 0 });
			if (this.errorsTo) this.errorsTo.addError({ error: message });
			else this.items.push({ json: { error: message }, pairedItem: { item: 0 } });
			return undefined;
		}
	}
}

/** `row[column]` as text for messages ("tw_Id 101"). */
export const rowRef = (row: SqlRow, ...columns: string[]): string =>
	columns
		.filter((c) => row[c] !== null && row[c] !== undefined && row[c] !== '')
		.map((c) => `${c} ${String(row[c])}`)
		.join(', ') || 'without an ID';

/** Keyset paging: `read(afterId)` until a page is shorter than the page size. */
export async function keysetPages(
	pageSize: number,
	idColumn: string,
	read: (afterId: number) => Promise<SqlRow[]>,
	onPage: (rows: SqlRow[]) => Promise<void> | void,
): Promise<void> {
	await compositeKeysetPages(pageSize, [idColumn], async ([afterId]) => await read(afterId), onPage);
}

/**
 * Keyset paging on a composite integer key (e.g. tw_Stan's primary key st_TowId + st_MagId): `read(after)` with
 * the key of the previous page's last row (zeros first) until a page is shorter than the page size. The statement
 * must order by exactly these columns and take the rows whose key comes after `after` (`a > @a OR (a = @a AND
 * b > @b)`); the key must be unique, so a page boundary never skips or repeats a row.
 */
export async function compositeKeysetPages(
	pageSize: number,
	columns: string[],
	read: (after: number[]) => Promise<SqlRow[]>,
	onPage: (rows: SqlRow[]) => Promise<void> | void,
): Promise<void> {
	let after = columns.map(() => 0);
	for (;;) {
		const rows = await read(after);
		if (rows.length) await onPage(rows);
		if (rows.length < pageSize) return;
		const lastRow = rows[rows.length - 1];
		const last = columns.map((c) => Number(lastRow[c]));
		const order = compareKeys(last, after);
		if (!last.every(Number.isInteger) || order <= 0) {
			const shown = (key: unknown[]) => key.map(String).join(', ');
			throw new Error(
				`keyset paging: ${columns.join(', ')} did not grow (${shown(columns.map((c) => lastRow[c]))} after ${shown(after)})`,
			);
		}
		after = last;
	}
}

function compareKeys(a: number[], b: number[]): number {
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
	return 0;
}

/** A datetime column (Date labelled UTC by useUTC, or ISO text) → "YYYY-MM-DD HH:MM:SS" wall-clock stamp. */
export function stampOf(value: unknown): string | undefined {
	if (value === null || value === undefined || value === '') return undefined;
	const iso = value instanceof Date ? (Number.isNaN(value.getTime()) ? '' : value.toISOString()) : String(value);
	const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})/.exec(iso) ?? /^(\d{4}-\d{2}-\d{2})$/.exec(iso);
	if (!m) return undefined;
	return `${m[1]} ${m[2] ?? '00:00:00'}`;
}

/**
 * A wall-clock stamp "YYYY-MM-DD HH:MM:SS" → the Date the driver sends as that datetime (useUTC: true sends
 * the UTC fields, which Subiekt reads as its local time).
 */
export function stampToSqlDate(stamp: string): Date {
	const [d, t = '00:00:00'] = stamp.split(' ');
	const [y, mo, da] = d.split('-').map(Number);
	const [h, mi, s] = t.split(':').map(Number);
	return new Date(Date.UTC(y, mo - 1, da, h, mi, s || 0));
}
