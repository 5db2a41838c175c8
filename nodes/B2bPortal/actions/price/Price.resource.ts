import type { INodeProperties } from 'n8n-workflow';
import { operationSelector, UPSERT_OPERATION } from '../common';
import * as del from './delete.operation';
import * as upsert from './upsert.operation';

export { upsert };
// "delete" is a reserved word: the router looks the operation up by its value
export { del as delete };

export const description: INodeProperties[] = [
	operationSelector(
		'price',
		[
			UPSERT_OPERATION('prices'),
			{
				name: 'Delete',
				value: 'delete',
				description:
					'Remove prices by their key (product, scope, scope code, currency, minimum quantity, valid from), as the Sync Guard gives them on its Deleted output',
				action: 'Delete prices',
			},
		],
		'upsert',
	),
	...upsert.description,
	...del.description,
];
