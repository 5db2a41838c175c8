import type { INodeProperties } from 'n8n-workflow';
import { operationSelector, UPSERT_OPERATION } from '../common';
import * as update from './update.operation';
import * as upsert from './upsert.operation';

export { update, upsert };

export const description: INodeProperties[] = [
	operationSelector(
		'client',
		[
			UPSERT_OPERATION('clients'),
			{
				name: 'Update (Partial)',
				value: 'update',
				description:
					'Change only the fields given of clients the portal has (such as blocked = true for a client deleted in the ERP); never creates one',
				action: 'Update clients partially',
			},
		],
		'upsert',
	),
	...upsert.description,
	...update.description,
];
