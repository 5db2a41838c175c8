/**
 * Items with a picture → product images. SAP B1 keeps an item's picture as a file name (Items.Picture) in the
 * company's pictures folder (General Settings → Path → Pictures Folder; PathAdmin.PicturesFolderPath). The
 * Service Layer serves the bytes through the ItemImages media entity, `GET ItemImages('<ItemCode>')/$value`
 * (SAP Learning "Managing Attachments and Images Using Service Layer API"; which SL build added it is not
 * verified — docs/sap-b1.md). Where it does not, "Bytes From: File Name Only" gives the file name and the
 * template reads the file from the folder or FTP the customer points at.
 *
 * Replacing the file under the same name does not touch Items.UpdateDate, so the images template reads all
 * pictures ("Read: All") and lets the Delta guard pass on only new or changed ones (content hash).
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
import { binaryPropertyOption, checkPictureName, imageItem } from '../../../shared/images';
import { pictureOf } from '../../mapping';
import { keyPath, slRequest } from '../../transport';
import { readIncremental, readSapOptions, sapOptions, withTimeZone } from '../common';

const show = { show: { resource: ['productImage'], operation: ['getMany'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Bytes From',
		description: 'Where the picture bytes come from: the Service Layer, or only the file name for a folder or FTP read',
		name: 'bytesFrom',
		type: 'options',
		options: [
			{
				name: 'Service Layer (ItemImages)',
				value: 'serviceLayer',
				description: "GET ItemImages('code')/$value: the SL reads the pictures folder (newer SL builds)",
			},
			{
				name: 'File Name Only (Read From Folder or FTP)',
				value: 'fileName',
				description:
					'No bytes: one item per picture with its file name, for a Read Files or FTP node and the portal node\'s "Prepare From Binary"',
			},
		],
		default: 'serviceLayer',
		displayOptions: show,
	},
	{ ...binaryPropertyOption, displayOptions: { show: { ...show.show, bytesFrom: ['serviceLayer'] } } },
	...cursorProperties('productImage', ['getMany'], 'pictures'),
	sapOptions('productImage', ['getMany']),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = await withTimeZone(this, readSapOptions(this));
	const bytesFrom = this.getNodeParameter('bytesFrom', 0, 'serviceLayer') as string;
	const property = String(this.getNodeParameter('binaryPropertyName', 0, 'data') || 'data');
	const out: INodeExecutionData[] = [];
	const fail = (error: Error) => {
		if (!this.continueOnFail())
			throw error instanceof NodeApiError || error instanceof NodeOperationError
				? error
				: new NodeOperationError(this.getNode(), error, { itemIndex: 0 });
		out.push({ json: { error: error.message }, pairedItem: { item: 0 } });
	};
	await readIncremental(
		this,
		{
			stream: 'itemPictures',
			entity: 'Items',
			select: ['ItemCode', 'Picture', 'UpdateDate', 'UpdateTime'],
			filter: 'Picture ne null',
			orderby: 'ItemCode',
			action: 'Reading item pictures',
		},
		opts,
		async (item) => {
			const picture = pictureOf(item);
			if (!picture) return;
			const where = `product image "${picture.productCode}" #0 (Picture "${picture.fileName}")`;
			const bad = checkPictureName(picture.fileName);
			if (bad) return fail(new Error(`${where}: field "Picture" ${bad}`));
			if (bytesFrom === 'fileName') {
				out.push({ json: picture as unknown as IDataObject, pairedItem: { item: 0 } });
				return;
			}
			const r = await slRequest<Buffer>(this, {
				method: 'GET',
				path: `${keyPath('ItemImages', picture.productCode)}/$value`,
				headers: { Accept: '*/*' },
				encoding: 'arraybuffer',
				policy: opts.policy,
				acceptStatus: [404],
				action: `Reading the picture of item ${picture.productCode}`,
			});
			if (r.statusCode === 404) {
				const noEntity = /Resource not found for the segment/i.test(Buffer.from(r.body ?? '').toString('utf8'));
				if (noEntity)
					throw new NodeOperationError(
						this.getNode(),
						'This Service Layer has no ItemImages: switch Bytes From to "File Name Only" and read the pictures from the folder or FTP (see the SAP images template)',
						{ itemIndex: 0 },
					);
				return fail(
					new NodeApiError(this.getNode(), { message: 'not found', httpCode: '404' } as JsonObject, {
						message: `${where}: SAP has no file for field "Picture" (HTTP 404): is the file in the pictures folder?`,
						httpCode: '404',
						itemIndex: 0,
					}),
				);
			}
			try {
				out.push(await imageItem(this, picture, Buffer.from(r.body), property, 0));
			} catch (error) {
				fail(error as Error);
			}
		},
	);
	return out;
}
