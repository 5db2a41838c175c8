/**
 * Statuses of every portal order whose RO, WZ or FS changed since the last successful run: ROs (308) with a foreign
 * number (TrN_NumerObcy, the portal order number), keyset-paged by TrN_TrNID, whose own TrN_TS_Mod or whose newest
 * WZ's or FS's is on or after the cursor (two-phase: the final Record Run commits it) → one canonical order status
 * per RO (mapping.ts rowToOrderStatus). A poll for the order status template without one query per portal order.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { cursorProperties, newestOf, readCursor, saveCursor } from '../../../shared/cursor';
import { keysetPages, RecordSink, rowRef, sqlOptions, stampOf, stampToSqlDate } from '../../../shared/sql/common';
import { rowToOrderStatus } from '../../mapping';
import { readOptimaOptions, SQL_OPTION, withOptimaSql } from '../sqlCommon';

export const ORDER_STATUS_STREAM = 'optimaOrderStatus';

export const description: INodeProperties[] = [
	...cursorProperties('order', ['getStatusChanges'], 'order statuses', { instants: true }),
	sqlOptions('order', ['getStatusChanges'], [SQL_OPTION.pageSize, SQL_OPTION.timeZone]),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readOptimaOptions(this);
	const cursor = readCursor(this, ORDER_STATUS_STREAM, { timeZone: opts.timeZone });
	const changedSince = cursor.since ? stampToSqlDate(cursor.since) : null;
	let newest = cursor.since;
	const sink = new RecordSink(this, 'Order status');
	await withOptimaSql(this, async (sql) => {
		await keysetPages(
			opts.pageSize,
			'TrN_TrNID',
			async (afterId) =>
				await sql.query(
					'orderStatusChanges',
					{ pageSize: opts.pageSize, afterId, changedSince },
					{ action: 'Reading order status changes' },
				),
			(rows) => {
				for (const row of rows) {
					for (const c of ['TrN_TS_Mod', 'WZ_TS_Mod', 'FS_TS_Mod']) newest = newestOf(newest, stampOf(row[c]));
					sink.add(row, rowRef(row, 'TrN_NumerPelny', 'TrN_NumerObcy'), (r) => rowToOrderStatus(r, opts));
				}
			},
		);
	});
	saveCursor(this, cursor, newest);
	return sink.items;
}
