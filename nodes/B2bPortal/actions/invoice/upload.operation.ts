/**
 * Sends an invoice to the portal: its data (canonical invoice from the item's JSON) and its PDF from the
 * item's binary property (ERP nodes name it FV_<number>.pdf). The data goes first; the PDF is checked to
 * be a PDF before upload so a failed ERP print (an HTML error page, an empty file) is not shown to clients.
 */
import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { forEachItem } from '../../../shared/items';
import { describeIssues, validateRecord } from '../../../shared/model/validate';
import { readCommonOptions, optionsCollection } from '../../../shared/options';
import { portalRequest } from '../../transport';

const show = { show: { resource: ['invoice'], operation: ['upload'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		displayOptions: show,
		hint: 'The name of the input binary field containing the invoice PDF',
	},
	optionsCollection(show),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const result = validateRecord('invoice', items[i].json);
		if (!result.ok || !result.value)
			throw new NodeOperationError(this.getNode(), `Item ${i}: ${describeIssues('invoice', result)}`, { itemIndex: i });
		const invoice = result.value;
		const property = this.getNodeParameter('binaryPropertyName', i) as string;
		const binary = this.helpers.assertBinaryData(i, property);
		const pdf = await this.helpers.getBinaryDataBuffer(i, property);
		if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-')
			throw new NodeOperationError(
				this.getNode(),
				`Item ${i}: invoice "${invoice.number}": binary field "${property}" (${binary.fileName ?? 'no name'}) is not a PDF`,
				{ itemIndex: i, description: 'The ERP probably returned an error page instead of the printout.' },
			);
		const { policy } = readCommonOptions(this, i);
		const path = `/v1/invoices/${encodeURIComponent(invoice.number)}`;
		await portalRequest(this, {
			method: 'PUT',
			path,
			body: { ...invoice, pdfBinaryProperty: undefined } as never,
			itemIndex: i,
			action: `Sending invoice ${invoice.number}`,
			policy,
		});
		const { body } = await portalRequest(this, {
			method: 'PUT',
			path: `${path}/pdf`,
			body: pdf,
			headers: { 'Content-Type': 'application/pdf' },
			itemIndex: i,
			action: `Uploading the PDF of invoice ${invoice.number}`,
			policy,
		});
		return body;
	});
}
