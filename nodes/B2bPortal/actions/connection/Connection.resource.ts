import type { INodeProperties } from 'n8n-workflow';
import { operationSelector } from '../common';
import * as check from './check.operation';

export { check };

export const description: INodeProperties[] = [
	operationSelector(
		'connection',
		[
			{
				name: 'Check',
				value: 'check',
				description:
					"One authenticated read: does the portal answer, and is its clock close enough to n8n's for the B2B Portal Trigger to accept its signed webhooks",
				action: 'Check the portal connection and clock',
			},
		],
		'check',
	),
	...check.description,
];
