/**
 * Clients (kh__Kontrahent with their main address from adr__Ewid) from SQL Server → canonical clients,
 * keyset-paged by kh_Id; all, or changed since the cursor (kh_DataZmiany, two-phase: Record Run commits it).
 * One item each or batch items / batch files (nodes/shared/batch.ts).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { batchOutputProperties, recordSink } from '../../../shared/batch';
import { cursorProperties, newestOf, readCursor, saveCursor } from '../../../shared/cursor';
import { rowToClient } from '../../sql/mapping';
import { RecordSink, keysetPages, rowRef, sqlOptions, stampOf, stampToSqlDate } from '../../../shared/sql/common';
import { SQL_OPTION, readSqlOptions, withSubiektSql } from '../sqlCommon';

export const CLIENT_STREAM = 'subiektClients';

export const description: INodeProperties[] = [
	...cursorProperties('client', ['getMany'], 'clients', { instants: true }),
	...batchOutputProperties('client', ['getMany'], 'clients'),
	sqlOptions(
		'client',
		['getMany'],
		[SQL_OPTION.priceLevelKey, SQL_OPTION.defaultCountry, SQL_OPTION.timeZone, SQL_OPTION.pageSize],
	),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readSqlOptions(this);
	const cursor = readCursor(this, CLIENT_STREAM, { timeZone: opts.timeZone });
	const changedSince = cursor.since ? stampToSqlDate(cursor.since) : null;
	let newest = cursor.since;
	// the records go to `out`: one item each, or batch items / batch files (Output); rows that cannot be mapped
	// stop the node, or with Continue On Fail become error items there too
	const out = recordSink(this, 'client');
	const sink = new RecordSink(this, 'Client', out);
	await withSubiektSql(this, async (sql) => {
		await keysetPages(
			opts.pageSize,
			'kh_Id',
			async (afterId) =>
				await sql.query('clients', { pageSize: opts.pageSize, afterId, changedSince }, { action: 'Reading clients' }),
			async (rows) => {
				for (const row of rows) {
					newest = newestOf(newest, stampOf(row.kh_DataZmiany));
					const client = sink.map(row, rowRef(row, 'kh_Symbol', 'kh_Id'), (r) => rowToClient(r, opts));
					if (client) await out.add(client as unknown as IDataObject);
				}
			},
		);
	});
	const items = await out.finish();
	saveCursor(this, cursor, newest);
	return items;
}
