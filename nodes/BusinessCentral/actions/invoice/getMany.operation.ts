/**
 * Invoices of portal orders (posted sales invoices whose externalDocumentNumber holds a portal order number) →
 * canonical invoices, changed since the cursor (lastModifiedDateTime) or all; with "Download PDF" each comes with
 * its printout as n8n binary data named FV_<number>.pdf. BC prints on request: GET salesInvoices({id})/pdfDocument
 * gives `pdfDocumentContent@odata.mediaReadLink`, whose bytes are the PDF, in the language of the request's
 * Accept-Language (research erp-facts-wave2.md §1). Bytes that do not start with %PDF- are an error naming the
 * invoice.
 */
import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';
import { cursorProperties, newestOf, readCursor, saveCursor } from '../../../shared/cursor';
import { invoicePdfName } from '../../../shared/files/fileName';
import { bcInvoiceToCanonical, bcEnum } from '../../mapping/orders';
import { entityPath, odataString } from '../../transport';
import { companyPages, companyRequest } from '../order/sales';
import { bcOptions, readBcOptions, type BcOptions } from '../common';

const show = { show: { resource: ['invoice'], operation: ['getMany'] } };

export const description: INodeProperties[] = [
	...cursorProperties('invoice', ['getMany'], 'invoices'),
	{
		displayName: 'Only for Portal Order Number',
		name: 'orderNumber',
		type: 'string',
		default: '',
		placeholder: 'B2B/2026/000123',
		description:
			"Only the invoices of this portal order (its number is in the invoice's External Document No.); empty = all portal orders",
		displayOptions: show,
	},
	{
		displayName: 'Download PDF',
		name: 'downloadPdf',
		type: 'boolean',
		default: true,
		description: "Whether to fetch each invoice's PDF (pdfDocument)",
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
	bcOptions(
		'invoice',
		['getMany'],
		[
			{
				displayName: 'PDF Language',
				name: 'pdfLanguage',
				type: 'string',
				default: 'pl-PL',
				placeholder: 'pl-PL',
				description:
					"Accept-Language of the PDF request: Business Central prints the invoice in this language (its report layouts must have it); empty = the user's language in BC",
			},
			{
				displayName: 'Invoice Number Prefix',
				name: 'numberPrefix',
				type: 'string',
				default: '',
				placeholder: 'FV ',
				description: "Text put before BC's invoice number to form the number shown in the portal",
			},
		],
	),
];

const SELECT = [
	'id',
	'number',
	'externalDocumentNumber',
	'invoiceDate',
	'postingDate',
	'dueDate',
	'customerNumber',
	'orderNumber',
	'currencyCode',
	'totalAmountExcludingTax',
	'totalTaxAmount',
	'totalAmountIncludingTax',
	'remainingAmount',
	'status',
	'lastModifiedDateTime',
].join(',');

/** The PDF of one posted sales invoice: the pdfDocument's media link, then its bytes. */
export async function invoicePdf(
	ctx: IExecuteFunctions,
	invoice: IDataObject,
	opts: BcOptions,
	language: string,
): Promise<Buffer> {
	const id = String(invoice.id);
	const name = `invoice ${String(invoice.number)} (id ${id})`;
	const headers: IDataObject = language ? { 'Accept-Language': language } : {};
	const doc = await companyRequest<IDataObject>(ctx, {
		method: 'GET',
		url: `${entityPath('salesInvoices', id)}/pdfDocument`,
		headers,
		policy: opts.policy,
		action: `Reading the PDF link of ${name}`,
	});
	// the reference shows both a single object and a one-row collection: accept either
	const first = Array.isArray(doc.body?.value) ? ((doc.body.value as IDataObject[])[0] ?? {}) : (doc.body ?? {});
	const link = first['pdfDocumentContent@odata.mediaReadLink'];
	const bytes = await companyRequest<Buffer>(ctx, {
		method: 'GET',
		url: typeof link === 'string' && link ? link : `${entityPath('salesInvoices', id)}/pdfDocument/pdfDocumentContent`,
		headers: { ...headers, Accept: 'application/pdf' },
		encoding: 'arraybuffer',
		policy: opts.policy,
		action: `Reading the PDF of ${name}`,
	});
	const pdf = Buffer.isBuffer(bytes.body) ? bytes.body : Buffer.from(bytes.body as unknown as ArrayBuffer);
	if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-')
		throw new NodeApiError(ctx.getNode(), { message: 'no PDF' } as JsonObject, {
			message: `Business Central sent no PDF for ${name}: the bytes are not a PDF`,
			description: 'Check that the invoice report prints this document (Report Selection – Sales, usage Invoice).',
		});
	return pdf;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readBcOptions(this, 0);
	const withPdf = this.getNodeParameter('downloadPdf', 0, true) as boolean;
	const property = String(this.getNodeParameter('binaryPropertyName', 0, 'data'));
	const only = String(this.getNodeParameter('orderNumber', 0, '') ?? '').trim();
	const language = String(opts.raw.pdfLanguage ?? 'pl-PL').trim();
	const cursor = readCursor(this, 'invoices', { timeZone: 'UTC' });
	const filters = [only ? `externalDocumentNumber eq ${odataString(only)}` : "externalDocumentNumber ne ''"];
	if (cursor.since) filters.push(`lastModifiedDateTime gt ${cursor.since.replace(' ', 'T')}Z`);
	const out: INodeExecutionData[] = [];
	let newest: string | undefined;
	for await (const page of companyPages(this, {
		url: '/salesInvoices',
		query: { $filter: filters.join(' and '), $select: SELECT },
		pageSize: opts.pageSize,
		policy: opts.policy,
		action: 'Reading sales invoices',
	})) {
		for (const inv of page) {
			if (typeof inv.lastModifiedDateTime === 'string')
				newest = newestOf(newest, inv.lastModifiedDateTime.slice(0, 19).replace('T', ' '));
			// a draft is no invoice yet; a cancelled one is no longer one
			if (['Draft', 'Canceled'].includes(bcEnum(inv.status)) || !inv.externalDocumentNumber) continue;
			const json = bcInvoiceToCanonical(inv, { numberPrefix: String(opts.raw.numberPrefix ?? '') });
			const item: INodeExecutionData = { json, pairedItem: { item: 0 } };
			if (withPdf) {
				const pdf = await invoicePdf(this, inv, opts, language);
				json.pdfBinaryProperty = property;
				item.binary = {
					[property]: await this.helpers.prepareBinaryData(pdf, invoicePdfName(json.number), 'application/pdf'),
				};
			}
			out.push(item);
		}
	}
	saveCursor(this, cursor, newest);
	return out;
}
