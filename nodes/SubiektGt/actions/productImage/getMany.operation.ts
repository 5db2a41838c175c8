/**
 * Product pictures (tw_ZdjecieTw) from SQL Server → product images with their bytes. The list (no bytes) comes
 * first, main picture first per product, so positions are known before any bytes are read; then the bytes of one
 * picture at a time (they are large: one page of them would hold hundreds of MB). Subiekt keeps no modification
 * date for pictures, so every run reads all of them and the Delta guard passes on only new or changed ones (the
 * record's contentHash, nodes/shared/images.ts).
 */
import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { binaryPropertyOption, imageItem } from '../../../shared/images';
import { pictureFileName, rowToPictureRef, type PictureRef } from '../../sql/mapping';
import { RecordSink, rowRef, sqlOptions } from '../../../shared/sql/common';
import { withSubiektSql } from '../sqlCommon';

export const description: INodeProperties[] = [
	{ ...binaryPropertyOption, displayOptions: { show: { resource: ['productImage'], operation: ['getMany'] } } },
	sqlOptions('productImage', ['getMany'], []),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const property = String(this.getNodeParameter('binaryPropertyName', 0, 'data') || 'data');
	const sink = new RecordSink(this, 'Product picture');
	await withSubiektSql(this, async (sql) => {
		const rows = await sql.query('productPictures', {}, { action: 'Reading the list of product pictures' });
		const refs: Array<{ ref: PictureRef; position: number }> = [];
		const count = new Map<string, number>();
		for (const row of rows) {
			const ref = sink.map(row, rowRef(row, 'tw_Symbol', 'zd_Id'), rowToPictureRef);
			if (!ref) continue;
			const position = count.get(ref.productCode) ?? 0;
			count.set(ref.productCode, position + 1);
			refs.push({ ref, position });
		}
		for (const { ref, position } of refs) {
			const [row] = await sql.query(
				'productPicture',
				{ pictureId: ref.pictureId },
				{ action: `Reading picture zd_Id ${ref.pictureId} of product ${ref.productCode}` },
			);
			const bytes = row?.zd_Zdjecie;
			// removed or cleared between the list and this read: nothing to send, the next run sees the new state
			if (!Buffer.isBuffer(bytes)) continue;
			const source = { productCode: ref.productCode, position, fileName: pictureFileName(ref, position) };
			try {
				sink.items.push(await imageItem(this, source, bytes, property, 0));
			} catch (error) {
				const message = `Product picture zd_Id ${ref.pictureId}: ${(error as Error).message}`;
				if (!this.continueOnFail()) throw new NodeOperationError(this.getNode(), message, { itemIndex: 0 });
				sink.items.push({ json: { error: message }, pairedItem: { item: 0 } });
			}
		}
	});
	return sink.items;
}
