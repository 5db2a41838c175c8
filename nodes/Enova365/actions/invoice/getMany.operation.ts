/**
 * Invoices (FV) of portal orders → canonical invoices, changed since the last successful run or all; with
 * "Download PDF" each comes with its printout as n8n binary data named FV_<number>.pdf. The add-on renders it with
 * enova's IReportService (Sprzedaz.repx) and sends it base64 in `{NazwaPliku, Pdf}` (that transport is the pack's
 * contract, UNVERIFIED on a live enova); bytes that do not start with %PDF- are an error naming the invoice.
 */
import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';
import { cursorProperties, readCounterCursor, saveCounterCursor } from '../../../shared/cursor';
import { invoicePdfName } from '../../../shared/files/fileName';
import { fakturaToInvoice } from '../../mapping';
import { enovaCall, enovaPages } from '../../transport';
import { enovaOptions, mapRecord, readEnovaOptions, type EnovaOptions } from '../common';

const show = { show: { resource: ['invoice'], operation: ['getMany'] } };

export const description: INodeProperties[] = [
	...cursorProperties('invoice', ['getMany'], 'invoices', { counter: true }),
	{
		displayName: 'Only for Portal Order Number',
		name: 'orderNumber',
		type: 'string',
		default: '',
		placeholder: 'B2B/2026/000123',
		description: 'Only the invoices of this portal order (the Obcy.Numer of their ZO); empty = all portal orders',
		displayOptions: show,
	},
	{
		displayName: 'Download PDF',
		name: 'downloadPdf',
		type: 'boolean',
		default: true,
		description: "Whether to fetch each invoice's PDF (GetFakturaPdf)",
		displayOptions: show,
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		hint: 'The name of the output binary field to put the PDF in',
		displayOptions: { show: { ...show.show, downloadPdf: [true] } },
	},
	enovaOptions('invoice', ['getMany']),
];

/** The PDF of one invoice; anything but PDF bytes is an error naming the invoice. */
export async function invoicePdf(
	ctx: IExecuteFunctions,
	id: string,
	number: string,
	opts: EnovaOptions,
): Promise<Buffer> {
	const body = await enovaCall(ctx, {
		method: 'GetFakturaPdf',
		args: { idFaktury: id },
		policy: opts.policy,
		action: `Reading the PDF of invoice ${number}`,
	});
	const text = typeof body.Pdf === 'string' ? body.Pdf.trim() : '';
	const pdf = text ? Buffer.from(text, 'base64') : undefined;
	if (!pdf || pdf.subarray(0, 5).toString('latin1') !== '%PDF-')
		throw new NodeApiError(ctx.getNode(), { message: 'no PDF' } as JsonObject, {
			message: `enova365 sent no PDF for invoice ${number} (ID ${id}): ${text ? 'the bytes are not a PDF' : 'the answer has no "Pdf"'}`,
			description:
				'The add-on renders the invoice with its Sprzedaz.repx template; check that the template prints this document.',
		});
	return pdf;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readEnovaOptions(this);
	const withPdf = this.getNodeParameter('downloadPdf', 0, true) as boolean;
	const property = String(this.getNodeParameter('binaryPropertyName', 0, 'data'));
	const only = String(this.getNodeParameter('orderNumber', 0, '') ?? '').trim();
	const cursor = readCounterCursor(this, 'invoices');
	const out: INodeExecutionData[] = [];
	let next: string | undefined;
	for await (const page of enovaPages(this, {
		method: 'GetFaktury',
		recordsKey: 'Faktury',
		since: cursor.since,
		pageSize: opts.pageSize,
		policy: opts.policy,
		action: 'Reading invoices',
	})) {
		if (page.page === 1) next = page.stamp;
		for (const f of page.records as IDataObject[]) {
			const json = mapRecord(this, () => fakturaToInvoice(f, opts));
			if (!json.orderNumber || (only && json.orderNumber !== only)) continue;
			const item: INodeExecutionData = { json, pairedItem: { item: 0 } };
			if (withPdf) {
				const pdf = await invoicePdf(this, String(f.ID), json.number, opts);
				json.pdfBinaryProperty = property;
				item.binary = {
					[property]: await this.helpers.prepareBinaryData(pdf, invoicePdfName(json.number), 'application/pdf'),
				};
			}
			out.push(item);
		}
	}
	saveCounterCursor(this, cursor, next);
	return out;
}
