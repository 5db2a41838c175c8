import type { INodeProperties } from 'n8n-workflow';
import { operationSelector } from '../common';
import * as findOverdue from './findOverdue.operation';
import * as getAll from './getAll.operation';
import * as loadState from './loadState.operation';
import * as record from './record.operation';

export { findOverdue, getAll, loadState, record };

export const description: INodeProperties[] = [
	operationSelector(
		'syncStatus',
		[
			{
				name: 'Find Overdue or Failing Flows',
				value: 'findOverdue',
				description:
					'Watchdog: one item per flow that has gone quiet, whose last run failed, or that never reported (nothing when all is well)',
				action: 'Find overdue or failing flows',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'The last recorded run of every flow',
				action: 'Get sync statuses',
			},
			{
				name: 'Load Sync State',
				value: 'loadState',
				description:
					'Right after the trigger: read what this flow remembers between runs (read positions, record fingerprints) from the portal, so any n8n worker continues where the last run stopped',
				action: 'Load the sync state',
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
	...loadState.description,
	...record.description,
	...findOverdue.description,
];
