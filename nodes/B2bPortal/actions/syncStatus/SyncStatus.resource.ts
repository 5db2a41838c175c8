import type { INodeProperties } from 'n8n-workflow';
import { operationSelector } from '../common';
import * as getAll from './getAll.operation';
import * as record from './record.operation';

export { getAll, record };

export const description: INodeProperties[] = [
	operationSelector(
		'syncStatus',
		[
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'The last recorded run of every flow',
				action: 'Get sync statuses',
			},
			{
				name: 'Record Run',
				value: 'record',
				description: 'Record that this flow ran (heartbeat) with its counts',
				action: 'Record a sync run',
			},
		],
		'record',
	),
	...record.description,
];
