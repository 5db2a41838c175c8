import type { INodeProperties } from 'n8n-workflow';
import { operationSelector, UPSERT_OPERATION } from '../common';
import * as fromBinary from './fromBinary.operation';
import * as upsert from './upsert.operation';

export { fromBinary, upsert };

export const description: INodeProperties[] = [
	operationSelector(
		'productImage',
		[
			UPSERT_OPERATION('product images'),
			{
				name: 'Prepare From Binary',
				value: 'fromBinary',
				description: 'Image records (type, safe name, content hash) from image files read by another node',
				action: 'Prepare product images from binary data',
			},
		],
		'upsert',
	),
	...upsert.description,
	...fromBinary.description,
];
