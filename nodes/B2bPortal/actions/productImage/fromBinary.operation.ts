/**
 * Product Image → Prepare From Binary: turns image files read by n8n (Read Files From Disk, FTP, HTTP Request)
 * into canonical image records, for ERPs whose API cannot serve the picture bytes (SAP B1 without ItemImages:
 * the template reads Items.Picture from SAP and the file from the customer's pictures folder or FTP).
 * Same record as the ERP reads give (nodes/shared/images.ts): type from the bytes, safe file name, contentHash
 * for the Delta guard; the binary data stays on the item for Create or Update.
 */
import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { checkPictureName, imageRecord } from '../../../shared/images';

const show = { show: { resource: ['productImage'], operation: ['fromBinary'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Product Code',
		name: 'productCode',
		type: 'string',
		default: '={{ $json.productCode }}',
		required: true,
		description: "The product's ERP code",
		displayOptions: show,
	},
	{
		displayName: 'Position',
		name: 'position',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1000 },
		default: 0,
		description: '0 = main image',
		displayOptions: show,
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '={{ $json.fileName }}',
		description: "Name for the portal (made safe; the extension follows the real type); empty = the binary's file name",
		displayOptions: show,
	},
	{
		displayName: 'Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		description: 'Binary field holding the image bytes',
		displayOptions: show,
	},
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const productCode = String(this.getNodeParameter('productCode', i, '') ?? '').trim();
			const position = Number(this.getNodeParameter('position', i, 0));
			const property = String(this.getNodeParameter('binaryPropertyName', i, 'data')).trim();
			if (!productCode) throw new Error('product image: field "productCode" is empty');
			const binary = items[i].binary?.[property];
			if (!binary)
				throw new Error(
					`product image "${productCode}" #${position}: no binary field "${property}" on the item (did the file read work?)`,
				);
			const fileName = String(this.getNodeParameter('fileName', i, '') ?? '').trim() || binary.fileName || productCode;
			const bad = checkPictureName(fileName);
			if (bad) throw new Error(`product image "${productCode}" #${position}: field "fileName" ${bad}`);
			const bytes = await this.helpers.getBinaryDataBuffer(i, property);
			const json = imageRecord({ productCode, position, fileName }, bytes);
			out.push({
				json,
				binary: { [property]: { ...binary, fileName: json.fileName, mimeType: json.contentType } },
				pairedItem: { item: i },
			});
		} catch (error) {
			if (!this.continueOnFail()) throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: i });
			out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
		}
	}
	return out;
}
