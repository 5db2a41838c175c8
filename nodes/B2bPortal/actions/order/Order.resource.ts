import type { INodeProperties } from 'n8n-workflow';
import { operationSelector } from '../common';
import * as acknowledge from './acknowledge.operation';
import * as get from './get.operation';
import * as getNew from './getNew.operation';
import * as updateStatus from './updateStatus.operation';

export { acknowledge, get, getNew, updateStatus };

export const description: INodeProperties[] = [
	operationSelector(
		'order',
		[
			{
				name: 'Acknowledge',
				value: 'acknowledge',
				description: 'Record that the ERP accepted an order, with its document number',
				action: 'Acknowledge an order',
			},
			{ name: 'Get', value: 'get', description: 'Read one order by its number', action: 'Get an order' },
			{
				name: 'Get New',
				value: 'getNew',
				description: 'Orders placed since the last successful run',
				action: 'Get new orders',
			},
			{
				name: 'Update Status',
				value: 'updateStatus',
				description: 'Move orders to confirmed, shipped, invoiced, cancelled or rejected',
				action: 'Update order statuses',
			},
		],
		'getNew',
	),
	...getNew.description,
	...get.description,
	...acknowledge.description,
	...updateStatus.description,
];
