/** Canonical status of portal orders in Subiekt GT (through the Sfera bridge), and the invoice PDF. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { forEachItem } from '../../../shared/items';
import { invoicePdfName } from '../../../shared/files/fileName';
import { optionsCollection, readCommonOptions } from '../../../shared/options';
import { bridgeRequest } from '../../transport';
import { findZk } from './create.operation';

export const description: INodeProperties[] = [
	{
		displayName: 'Portal Order Number',
		name: 'orderNumber',
		type: 'string',
		default: '={{ $json.orderNumber ?? $json.number }}',
		required: true,
		description: "The ZK's original number (dok_NrPelnyOryg)",
		displayOptions: { show: { resource: ['order'], operation: ['getStatus', 'downloadInvoicePdf'] } },
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		hint: 'The name of the output binary field to put the PDF in',
		displayOptions: { show: { resource: ['order'], operation: ['downloadInvoicePdf'] } },
	},
	optionsCollection({ show: { resource: ['order'], operation: ['getStatus', 'downloadInvoicePdf'] } }),
];

async function statusOf(
	ctx: IExecuteFunctions,
	number: string,
	i: number,
): Promise<{ record: IDataObject; doc?: IDataObject }> {
	const zk = await findZk(ctx, number, i, true);
	if (!zk) return { record: { orderNumber: number, status: 'placed', notInErp: true } };
	const { body: doc } = await bridgeRequest(ctx, {
		method: 'GET',
		path: `/v1/documents/${String(zk.id)}/status`,
		itemIndex: i,
		action: `Reading the status of ${String(zk.number)}`,
		policy: readCommonOptions(ctx, i).policy,
	});
	const invoice = doc.invoice as IDataObject | undefined;
	const status = doc.cancelled || doc.status === 'cancelled' ? 'cancelled' : invoice ? 'invoiced' : 'confirmed';
	const record: IDataObject = {
		orderNumber: number,
		status,
		erpDocumentNumber: doc.number,
		changedAt: new Date().toISOString(),
	};
	if (status === 'cancelled') record.reason = `Zamówienie anulowane w Subiekcie (${String(doc.number)})`;
	if (invoice) record.invoiceNumber = invoice.number;
	return { record, doc };
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(
		this,
		items,
		async (i) => (await statusOf(this, String(this.getNodeParameter('orderNumber', i)).trim(), i)).record,
	);
}

export async function executePdf(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const number = String(this.getNodeParameter('orderNumber', i)).trim();
		const { record, doc } = await statusOf(this, number, i);
		const invoice = doc?.invoice as IDataObject | undefined;
		if (!invoice)
			throw new NodeOperationError(this.getNode(), `Item ${i}: order ${number} has no invoice in Subiekt yet`, {
				itemIndex: i,
			});
		// the invoice is a document of its own: its printout comes by its id (the ZK's id would print the ZK)
		const { body } = await bridgeRequest<Buffer>(this, {
			method: 'GET',
			path: `/v1/documents/${String(invoice.id)}/pdf`,
			itemIndex: i,
			action: `Downloading the PDF of ${String(invoice.number)}`,
			policy: readCommonOptions(this, i).policy,
			binary: true,
		});
		const pdf = Buffer.from(body);
		if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-')
			throw new NodeOperationError(this.getNode(), `Item ${i}: the bridge sent no PDF for ${String(invoice.number)}`, {
				itemIndex: i,
			});
		const property = String(this.getNodeParameter('binaryPropertyName', i, 'data'));
		// the canonical invoice (docs/canonical-model.md) from the status answer's invoice data, for the portal upload
		const data: IDataObject = {
			number: invoice.number,
			orderNumber: number,
			...(invoice.clientSymbol !== undefined ? { clientCode: invoice.clientSymbol } : {}),
			...(invoice.issueDate !== undefined ? { issueDate: invoice.issueDate } : {}),
			...(invoice.dueDate !== undefined ? { dueDate: invoice.dueDate } : {}),
			...(invoice.currency !== undefined ? { currency: invoice.currency } : {}),
			...(invoice.totals !== undefined ? { totals: invoice.totals } : {}),
		};
		return {
			json: { ...record, ...data, invoiceNumber: invoice.number },
			binary: {
				[property]: await this.helpers.prepareBinaryData(
					pdf,
					invoicePdfName(String(invoice.number)),
					'application/pdf',
				),
			},
		};
	});
}
