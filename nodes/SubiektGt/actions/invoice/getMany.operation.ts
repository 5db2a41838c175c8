/**
 * Sales invoices (FS) from SQL Server → canonical invoices, keyset-paged by dok_Id; all, or issued since the
 * cursor (dok_DataWyst, two-phase: the final Record Run commits it). Invoices of the cursor's day are read
 * again on the next run (harmless: the portal upserts by number).
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { cursorProperties, newestOf, readCursor, saveCursor } from '../../../shared/cursor';
import { rowToInvoice } from '../../sql/mapping';
import { RecordSink, keysetPages, rowRef, sqlOptions, stampOf, stampToSqlDate } from '../../../shared/sql/common';
import { SQL_OPTION, readSqlOptions, withSubiektSql } from '../sqlCommon';

export const INVOICE_STREAM = 'subiektInvoices';

/** "All" reads invoices issued on or after this day (SQL Server datetime starts in 1753) */
const EARLIEST = '1900-01-01 00:00:00';

export const description: INodeProperties[] = [
	...cursorProperties('invoice', ['getMany'], 'invoices', { instants: true }),
	{
		displayName: 'Only Invoices of Portal Orders',
		name: 'onlyPortalOrders',
		type: 'boolean',
		default: true,
		description:
			'Whether to pass on only invoices made from a ZK that carries an original number (the portal order number)',
		displayOptions: { show: { resource: ['invoice'], operation: ['getMany'] } },
	},
	sqlOptions('invoice', ['getMany'], [SQL_OPTION.moneyDecimals, SQL_OPTION.timeZone, SQL_OPTION.pageSize]),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readSqlOptions(this);
	const onlyPortal = this.getNodeParameter('onlyPortalOrders', 0, true) as boolean;
	const cursor = readCursor(this, INVOICE_STREAM, { timeZone: opts.timeZone });
	const issuedFrom = stampToSqlDate(cursor.since ?? EARLIEST);
	let newest = cursor.since;
	const sink = new RecordSink(this, 'Invoice');
	await withSubiektSql(this, async (sql) => {
		await keysetPages(
			opts.pageSize,
			'dok_Id',
			async (afterId) =>
				await sql.query('invoices', { pageSize: opts.pageSize, afterId, issuedFrom }, { action: 'Reading invoices' }),
			(rows) => {
				for (const row of rows) {
					newest = newestOf(newest, stampOf(row.dok_DataWyst));
					if (onlyPortal && !String(row.zk_NrPelnyOryg ?? '').trim()) continue;
					sink.add(row, rowRef(row, 'dok_NrPelny', 'dok_Id'), (r) => rowToInvoice(r, opts));
				}
			},
		);
	});
	saveCursor(this, cursor, newest);
	return sink.items;
}
