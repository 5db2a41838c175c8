/**
 * Clients (CDN.Kontrahenci) from SQL Server → canonical clients, keyset-paged by Knt_KntId; all, or changed since
 * the cursor (Knt_TS_Mod, two-phase: Record Run commits it). Knt_Nieaktywny → blocked; Knt_Grupa → price group;
 * Knt_Ceny → price list (read as a DfC_DfCId or a DfC_Lp: the "Client Price Key" option).
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { cursorProperties, newestOf, readCursor, saveCursor } from '../../../shared/cursor';
import { keysetPages, RecordSink, rowRef, sqlOptions, stampOf, stampToSqlDate } from '../../../shared/sql/common';
import { rowToClient } from '../../mapping';
import { readOptimaOptions, SQL_OPTION, withOptimaSql } from '../sqlCommon';

export const CLIENT_STREAM = 'optimaClients';

export const description: INodeProperties[] = [
	...cursorProperties('client', ['getMany'], 'clients', { instants: true }),
	sqlOptions(
		'client',
		['getMany'],
		[SQL_OPTION.clientPriceKey, SQL_OPTION.defaultCountry, SQL_OPTION.pageSize, SQL_OPTION.timeZone],
	),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readOptimaOptions(this);
	const cursor = readCursor(this, CLIENT_STREAM, { timeZone: opts.timeZone });
	const changedSince = cursor.since ? stampToSqlDate(cursor.since) : null;
	let newest = cursor.since;
	const sink = new RecordSink(this, 'Client');
	await withOptimaSql(this, async (sql) => {
		await keysetPages(
			opts.pageSize,
			'Knt_KntId',
			async (afterId) =>
				await sql.query('clients', { pageSize: opts.pageSize, afterId, changedSince }, { action: 'Reading clients' }),
			(rows) => {
				for (const row of rows) {
					newest = newestOf(newest, stampOf(row.Knt_TS_Mod));
					sink.add(row, rowRef(row, 'Knt_Kod', 'Knt_KntId'), (r) => rowToClient(r, opts));
				}
			},
		);
	});
	saveCursor(this, cursor, newest);
	return sink.items;
}
