import type { INodeProperties } from 'n8n-workflow';
import { operationSelector } from '../common';
import * as acknowledge from './acknowledge.operation';
import * as claim from './claim.operation';
import * as get from './get.operation';
import * as getNew from './getNew.operation';
import * as releaseClaim from './releaseClaim.operation';
import * as updateStatus from './updateStatus.operation';

export { acknowledge, claim, get, getNew, releaseClaim, updateStatus };

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
			{
				name: 'Claim for Processing',
				value: 'claim',
				description:
					'Take a lease on a placed order so that only this run creates it in the ERP (any n8n worker): claimed, busy or done',
				action: 'Claim an order for processing',
			},
			{ name: 'Get', value: 'get', description: 'Read one order by its number', action: 'Get an order' },
			{
				name: 'Get New',
				value: 'getNew',
				description: 'Orders placed since the last successful run',
				action: 'Get new orders',
			},
			{
				name: 'Release Claim',
				value: 'releaseClaim',
				description: "Give this run's claim on an order back early (e.g. the ERP refused it)",
				action: 'Release an order claim',
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
	...claim.description,
	...releaseClaim.description,
	...updateStatus.description,
];
