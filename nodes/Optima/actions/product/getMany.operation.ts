/**
 * Products (CDN.Towary) from SQL Server → canonical products, keyset-paged by Twr_TwrId; all, or changed since the
 * cursor (Twr_TS_Mod, two-phase: the final Record Run commits it). Twr_NieAktywny → not active: Optima keeps a
 * product it no longer sells as inactive, so the portal gets it as not active instead of losing it.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { cursorProperties, newestOf, readCursor, saveCursor } from '../../../shared/cursor';
import { keysetPages, RecordSink, rowRef, sqlOptions, stampOf, stampToSqlDate } from '../../../shared/sql/common';
import { rowToProduct } from '../../mapping';
import { readOptimaOptions, SQL_OPTION, withOptimaSql } from '../sqlCommon';

export const PRODUCT_STREAM = 'optimaProducts';

export const description: INodeProperties[] = [
	...cursorProperties('product', ['getMany'], 'products', { instants: true }),
	sqlOptions('product', ['getMany'], [SQL_OPTION.pageSize, SQL_OPTION.timeZone]),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readOptimaOptions(this);
	const cursor = readCursor(this, PRODUCT_STREAM, { timeZone: opts.timeZone });
	const changedSince = cursor.since ? stampToSqlDate(cursor.since) : null;
	let newest = cursor.since;
	const sink = new RecordSink(this, 'Product');
	await withOptimaSql(this, async (sql) => {
		await keysetPages(
			opts.pageSize,
			'Twr_TwrId',
			async (afterId) =>
				await sql.query('products', { pageSize: opts.pageSize, afterId, changedSince }, { action: 'Reading products' }),
			(rows) => {
				for (const row of rows) {
					newest = newestOf(newest, stampOf(row.Twr_TS_Mod));
					sink.add(row, rowRef(row, 'Twr_Kod', 'Twr_TwrId'), (r) => rowToProduct(r, opts));
				}
			},
		);
	});
	saveCursor(this, cursor, newest);
	return sink.items;
}
