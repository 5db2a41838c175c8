/**
 * Sales invoices (FS, 302, out of the buffer) from SQL Server → canonical invoices with their lines (CDN.TraElem),
 * keyset-paged by TrN_TrNID; all, or changed since the cursor (TrN_TS_Mod, two-phase: Record Run commits it). The
 * portal order number is the TrN_NumerObcy of the RO the FS was made from, directly or through its WZ. No PDF here:
 * invoice → Download PDF prints it through the Optima bridge.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { cursorProperties, newestOf, readCursor, saveCursor } from '../../../shared/cursor';
import { keysetPages, RecordSink, rowRef, sqlOptions, stampOf, stampToSqlDate } from '../../../shared/sql/common';
import { rowToInvoice, rowToInvoiceLine, type InvoiceLine } from '../../mapping';
import { readOptimaOptions, SQL_OPTION, withOptimaSql } from '../sqlCommon';

export const INVOICE_STREAM = 'optimaInvoices';

export const description: INodeProperties[] = [
	...cursorProperties('invoice', ['getMany'], 'invoices', { instants: true }),
	{
		displayName: 'Only Invoices of Portal Orders',
		name: 'onlyPortalOrders',
		type: 'boolean',
		default: true,
		description:
			'Whether to pass on only invoices made from an RO that carries a foreign number (the portal order number)',
		displayOptions: { show: { resource: ['invoice'], operation: ['getMany'] } },
	},
	sqlOptions('invoice', ['getMany'], [SQL_OPTION.moneyDecimals, SQL_OPTION.timeZone, SQL_OPTION.pageSize]),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readOptimaOptions(this);
	const onlyPortal = this.getNodeParameter('onlyPortalOrders', 0, true) as boolean;
	const cursor = readCursor(this, INVOICE_STREAM, { timeZone: opts.timeZone });
	const changedSince = cursor.since ? stampToSqlDate(cursor.since) : null;
	let newest = cursor.since;
	const sink = new RecordSink(this, 'Invoice');
	await withOptimaSql(this, async (sql) => {
		await keysetPages(
			opts.pageSize,
			'TrN_TrNID',
			async (afterId) =>
				await sql.query('invoices', { pageSize: opts.pageSize, afterId, changedSince }, { action: 'Reading invoices' }),
			async (rows) => {
				const afterId = Number(rows[0].TrN_TrNID) - 1;
				const upToId = Number(rows[rows.length - 1].TrN_TrNID);
				const lineRows = await sql.query('invoiceLines', { afterId, upToId }, { action: 'Reading invoice lines' });
				const lines = new Map<number, InvoiceLine[]>();
				for (const l of lineRows) {
					const id = Number(l.TrE_TrNId);
					const list = lines.get(id) ?? [];
					const line = sink.map(l, rowRef(l, 'TrE_TwrKod', 'TrE_TrEId'), (r) =>
						rowToInvoiceLine(r, list.length + 1, opts),
					);
					if (line) list.push(line);
					lines.set(id, list);
				}
				for (const row of rows) {
					newest = newestOf(newest, stampOf(row.TrN_TS_Mod));
					if (onlyPortal && !String(row.RO_NumerObcy ?? '').trim()) continue;
					sink.add(row, rowRef(row, 'TrN_NumerPelny', 'TrN_TrNID'), (r) =>
						rowToInvoice(r, lines.get(Number(r.TrN_TrNID)) ?? [], opts),
					);
				}
			},
		);
	});
	saveCursor(this, cursor, newest);
	return sink.items;
}
