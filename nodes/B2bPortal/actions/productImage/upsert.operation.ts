/**
 * Product Image → Create or Update. The ERP reads give an image as binary data (nodes/shared/images.ts); this
 * operation puts the bytes of the item's binary field into the record's `dataBase64` when the record has neither
 * `url` nor `dataBase64`, then sends like every other upsert. Images are large: keep the Batch Size small
 * (the templates send 20 per request).
 */
import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { executeUpsert, upsertProperties } from '../upsert';

export const description: INodeProperties[] = [
	...upsertProperties('productImage', 'productImage'),
	{
		displayName: 'Image From Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		description:
			'Binary field holding the image bytes, used when a record has no URL and no dataBase64 (the output of an ERP "Product Image → Get Many"); empty = never',
		displayOptions: { show: { resource: ['productImage'], operation: ['upsert'], source: ['items'] } },
	},
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const source = this.getNodeParameter('source', 0, 'items') as string;
	if (source !== 'items') return await executeUpsert.call(this, items, 'productImage');
	const withBytes: INodeExecutionData[] = [];
	const failedItems: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const item = items[i];
		const property = String(this.getNodeParameter('binaryPropertyName', i, 'data') ?? '').trim();
		const json = item.json;
		const needsBytes = json.url === undefined && json.dataBase64 === undefined && Object.keys(json).length > 0;
		if (needsBytes && json.contentHash !== undefined && !(property && item.binary?.[property])) {
			// the record of an ERP read whose bytes did not come along: the portal needs url or dataBase64
			const error = new NodeOperationError(
				this.getNode(),
				`product image "${String(json.productCode)}" #${String(json.position ?? 0)}: field "dataBase64" is missing: no url, no dataBase64 and no binary field "${property}" with the image bytes`,
				{ itemIndex: i },
			);
			if (!this.continueOnFail()) throw error;
			withBytes.push({ json: {}, pairedItem: { item: i } }); // carries no record
			failedItems.push({ json: { error: error.message }, pairedItem: { item: i } });
			continue;
		}
		if (!property || !needsBytes || !item.binary?.[property]) {
			withBytes.push(item);
			continue;
		}
		let bytes: Buffer;
		try {
			bytes = await this.helpers.getBinaryDataBuffer(i, property);
		} catch (error) {
			throw new NodeOperationError(
				this.getNode(),
				`product image "${String(json.productCode)}" #${String(json.position ?? 0)}: the binary field "${property}" cannot be read: ${(error as Error).message}`,
				{ itemIndex: i },
			);
		}
		withBytes.push({ ...item, json: { ...json, dataBase64: bytes.toString('base64') } });
	}
	return [...failedItems, ...(await executeUpsert.call(this, withBytes, 'productImage'))];
}
