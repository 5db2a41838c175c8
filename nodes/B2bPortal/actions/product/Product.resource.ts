import type { INodeProperties } from 'n8n-workflow';
import { operationSelector, UPSERT_OPERATION } from '../common';
import * as update from './update.operation';
import * as upsert from './upsert.operation';

export { update, upsert };

export const description: INodeProperties[] = [
	operationSelector(
		'product',
		[
			UPSERT_OPERATION('products'),
			{
				name: 'Update (Partial)',
				value: 'update',
				description:
					'Change only the fields given of products the portal has (such as active = false for a product deleted in the ERP); never creates one',
				action: 'Update products partially',
			},
		],
		'upsert',
	),
	...upsert.description,
	...update.description,
];
