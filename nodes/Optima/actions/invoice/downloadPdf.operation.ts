/**
 * The PDF of an Optima invoice, printed by the Optima bridge (docs/optima-bridge.md: `GET /v1/invoices/{id}/pdf`).
 * Optima's COM has no documented "print to file" call (erp-facts-enova-optima §2), so the service prints through a
 * configured print definition to a PDF printer or folder; the contract fixes only the HTTP side.
 *
 * The input item's fields are kept (e.g. the canonical invoice from Invoice → Get Many), so the portal's invoice
 * upload can follow directly; the PDF is named FV_<number>.pdf from the item's `number`, else FV_<invoice id>.pdf.
 * The id is one path segment, percent-encoded: an id from an expression cannot reach another endpoint.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { invoicePdfName } from '../../../shared/files/fileName';
import { forEachItem } from '../../../shared/items';
import { optionsCollection, readCommonOptions } from '../../../shared/options';
import { optimaBridgeRequest } from '../../transport/bridge';

const show = { show: { resource: ['invoice'], operation: ['downloadPdf'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Invoice ID',
		name: 'invoiceId',
		type: 'string',
		default: '={{ $json.invoiceId }}',
		required: true,
		description: "The invoice's ID in Optima (TrN_TrNID), e.g. from Invoice → Get Many",
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
	optionsCollection(show),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const invoiceId = String(this.getNodeParameter('invoiceId', i) ?? '').trim();
		if (!invoiceId) throw new NodeOperationError(this.getNode(), `Item ${i}: Invoice ID is empty`, { itemIndex: i });
		const { body } = await optimaBridgeRequest<Buffer>(this, {
			method: 'GET',
			path: `/v1/invoices/${encodeURIComponent(invoiceId)}/pdf`,
			itemIndex: i,
			action: `Downloading the PDF of Optima invoice ${invoiceId}`,
			policy: readCommonOptions(this, i).policy,
			binary: true,
		});
		const pdf = Buffer.from(body);
		if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-')
			throw new NodeOperationError(this.getNode(), `Item ${i}: the bridge sent no PDF for invoice ${invoiceId}`, {
				itemIndex: i,
			});
		const json: IDataObject = { ...items[i].json, invoiceId };
		const number = typeof json.number === 'string' && json.number.trim() ? json.number : invoiceId;
		const property = String(this.getNodeParameter('binaryPropertyName', i, 'data')).trim() || 'data';
		return {
			json,
			binary: { [property]: await this.helpers.prepareBinaryData(pdf, invoicePdfName(number), 'application/pdf') },
		};
	});
}
