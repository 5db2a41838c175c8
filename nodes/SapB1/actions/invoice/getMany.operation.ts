/**
 * Invoices of portal orders (A/R invoices whose NumAtCard holds a portal order number) → canonical invoices,
 * changed since the cursor or all; with "Download PDF" each comes with its printout from the SAP B1 API
 * Gateway as binary data named FV_<number>.pdf.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';
import { cursorProperties } from '../../../shared/cursor';
import { forEachItem } from '../../../shared/items';
import { invoicePdfName } from '../../../shared/files/fileName';
import { requestWithRetry } from '../../../shared/transport/request';
import { invoiceToCanonical } from '../../mapping';
import { odataString, SAP_CREDENTIAL } from '../../transport';
import { readIncremental, readSapOptions, sapOptions, type SapOptions } from '../common';

const show = { show: { resource: ['invoice'], operation: ['getMany', 'downloadPdf'] } };

export const description: INodeProperties[] = [
	...cursorProperties('invoice', ['getMany'], 'invoices'),
	{
		displayName: 'Only for Portal Order Number',
		name: 'orderNumber',
		type: 'string',
		default: '',
		placeholder: 'B2B/2026/000123',
		description:
			"Only the invoices of this portal order (its number is in the invoice's NumAtCard); empty = all portal orders",
		displayOptions: { show: { resource: ['invoice'], operation: ['getMany'] } },
	},
	{
		displayName: 'Document Entry',
		name: 'docEntry',
		type: 'string',
		default: '={{ $json.docEntry }}',
		required: true,
		description: 'SAP DocEntry of the invoice (not DocNum)',
		displayOptions: { show: { resource: ['invoice'], operation: ['downloadPdf'] } },
	},
	{
		displayName: 'Download PDF',
		name: 'downloadPdf',
		type: 'boolean',
		default: true,
		description: "Whether to fetch each invoice's PDF from the API Gateway (set its URL in the credential)",
		displayOptions: { show: { resource: ['invoice'], operation: ['getMany'] } },
	},
	{
		displayName: 'Layout Code Name or ID',
		name: 'layoutCode',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getInvoiceLayouts' },
		default: '',
		description:
			'Invoice print layout (Crystal report) of the API Gateway, e.g. INV20001. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: show,
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		hint: 'The name of the output binary field to put the PDF in',
		displayOptions: show,
	},
	sapOptions(
		'invoice',
		['getMany', 'downloadPdf'],
		[
			{
				displayName: 'Invoice Number Prefix',
				name: 'numberPrefix',
				type: 'string',
				default: '',
				placeholder: 'FV ',
				description: "Text put before SAP's DocNum to form the invoice number shown in the portal",
			},
		],
	),
];

/** A logged-in API Gateway session for this run (its own cookie; the Service Layer session is not sent). */
export class GatewaySession {
	private cookie?: string;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly opts: SapOptions,
	) {}

	private async base(): Promise<{ url: string; login: IDataObject }> {
		const c = await this.ctx.getCredentials(SAP_CREDENTIAL);
		const url = String(c.gatewayUrl ?? '')
			.trim()
			.replace(/\/+$/, '');
		if (!url)
			throw new NodeOperationError(
				this.ctx.getNode(),
				'The SAP B1 credential has no API Gateway URL: invoice PDFs come from the API Gateway',
			);
		return {
			url,
			login: {
				CompanyDB: String(c.companyDb ?? ''),
				UserName: String(c.gatewayUsername || c.username || ''),
				Password: String(c.gatewayPassword || c.password || ''),
			},
		};
	}

	private async request(itemIndex: number, method: 'GET' | 'POST', path: string, body?: unknown, text = false) {
		const { url } = await this.base();
		return await requestWithRetry<unknown>(
			this.ctx,
			SAP_CREDENTIAL,
			{
				method,
				url: `${url}${path}`,
				body: body as IDataObject,
				headers: { Cookie: this.cookie ?? '', 'Content-Type': 'application/json' },
				json: !text,
				encoding: text ? 'text' : undefined,
			},
			{ itemIndex, policy: this.opts.policy, action: `API Gateway ${path}` },
		);
	}

	async login(itemIndex: number): Promise<void> {
		const { url, login } = await this.base();
		const r = await requestWithRetry<IDataObject>(
			this.ctx,
			SAP_CREDENTIAL,
			{ method: 'POST', url: `${url}/login`, body: login, json: true },
			{ itemIndex, policy: this.opts.policy, action: 'API Gateway login' },
		);
		const cookie = r.headers['set-cookie'];
		const session = ([] as string[])
			.concat(cookie ?? [])
			.map((c) => c.split(';')[0])
			.find((c) => c.startsWith('SESSION='));
		// a failed login is an HTTP 200 with {"code": -1, ...}
		if (!session || (r.body && typeof r.body === 'object' && 'code' in r.body))
			throw new NodeApiError(this.ctx.getNode(), { message: 'API Gateway login failed' } as JsonObject, {
				message: `API Gateway login failed: ${JSON.stringify((r.body as IDataObject)?.message ?? r.body)}`,
				itemIndex,
			});
		this.cookie = session;
	}

	async layouts(): Promise<IDataObject[]> {
		if (!this.cookie) await this.login(0);
		const r = await this.request(0, 'GET', '/rs/v1/LoadAuthorizedCRList');
		return ((r.body as IDataObject)?.resultSet as IDataObject[]) ?? [];
	}

	/** The PDF of a document; the gateway answers base64 text, or HTTP 200 with "(---)" / "{}" on errors. */
	async pdf(itemIndex: number, layout: string, docEntry: number): Promise<Buffer> {
		if (!this.cookie) await this.login(itemIndex);
		const { login } = await this.base();
		const params = [
			{ name: 'DocKey@', type: 'xsd:decimal', value: [[String(docEntry)]] },
			{ name: 'Schema@', type: 'xsd:string', value: [[String(login.CompanyDB)]] },
		];
		let r = await this.request(
			itemIndex,
			'POST',
			`/rs/v1/ExportPDFData?DocCode=${encodeURIComponent(layout)}`,
			params,
			true,
		);
		if (r.statusCode === 401) {
			await this.login(itemIndex);
			r = await this.request(
				itemIndex,
				'POST',
				`/rs/v1/ExportPDFData?DocCode=${encodeURIComponent(layout)}`,
				params,
				true,
			);
		}
		const text = String(r.body ?? '').trim();
		const sentinel =
			text === '(---)'
				? 'the layout could not print this document ((---))'
				: text === '{}'
					? `unknown layout "${layout}" ({})`
					: text.startsWith('{')
						? text.slice(0, 200)
						: undefined;
		const pdf = sentinel ? undefined : Buffer.from(text, 'base64');
		if (!pdf || pdf.subarray(0, 5).toString('latin1') !== '%PDF-')
			throw new NodeApiError(this.ctx.getNode(), { message: 'no PDF' } as JsonObject, {
				message: `The API Gateway sent no PDF for document ${docEntry}: ${sentinel ?? 'the answer is not a PDF'}`,
				description:
					'The gateway reports errors as HTTP 200 with a short marker instead of the PDF. Check the layout code and that the document exists.',
				itemIndex,
			});
		return pdf;
	}
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readSapOptions(this);
	const withPdf = this.getNodeParameter('downloadPdf', 0, true) as boolean;
	const layout = String(this.getNodeParameter('layoutCode', 0, '') ?? '');
	const property = String(this.getNodeParameter('binaryPropertyName', 0, 'data'));
	const gateway = new GatewaySession(this, opts);
	const orderNumber = String(this.getNodeParameter('orderNumber', 0, '') ?? '').trim();
	const out: INodeExecutionData[] = [];
	const read = {
		stream: 'invoices',
		entity: 'Invoices',
		select: [
			'DocEntry',
			'DocNum',
			'CardCode',
			'NumAtCard',
			'DocDate',
			'DocDueDate',
			'DocTotal',
			'VatSum',
			'DocCurrency',
			'Cancelled',
			'UpdateDate',
			'UpdateTime',
		],
		filter: orderNumber ? `NumAtCard eq ${odataString(orderNumber)}` : 'NumAtCard ne null',
		orderby: 'DocEntry',
		action: 'Reading invoices',
	};
	await readIncremental(this, read, opts, async (inv) => {
		if (inv.Cancelled === 'tYES') return;
		const json = invoiceToCanonical(inv, { ...opts, numberPrefix: String(opts.raw.numberPrefix ?? '') });
		const item: INodeExecutionData = { json, pairedItem: { item: 0 } };
		if (withPdf) {
			if (!layout)
				throw new NodeOperationError(this.getNode(), 'Choose the invoice Layout Code (or switch off Download PDF)');
			const pdf = await gateway.pdf(0, layout, Number(inv.DocEntry));
			item.binary = {
				[property]: await this.helpers.prepareBinaryData(pdf, invoicePdfName(String(json.number)), 'application/pdf'),
			};
		}
		out.push(item);
	});
	return out;
}

export async function executeDownload(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const opts = readSapOptions(this);
	const gateway = new GatewaySession(this, opts);
	return await forEachItem(this, items, async (i) => {
		const docEntry = Number(this.getNodeParameter('docEntry', i));
		const layout = String(this.getNodeParameter('layoutCode', i, ''));
		const property = String(this.getNodeParameter('binaryPropertyName', i, 'data'));
		const pdf = await gateway.pdf(i, layout, docEntry);
		const number = String(items[i].json.number ?? docEntry);
		return {
			json: items[i].json,
			binary: {
				...(items[i].binary ?? {}),
				[property]: await this.helpers.prepareBinaryData(pdf, invoicePdfName(number), 'application/pdf'),
			},
		};
	});
}
