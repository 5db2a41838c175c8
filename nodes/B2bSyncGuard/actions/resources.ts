/** Resources and operations of the B2B Sync Guard node: the dropdowns and the router's table. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { operationSelector } from '../../shared/options';
import * as passChanged from './delta/passChanged.operation';
import * as checkPrices from './price/check.operation';
import * as checkSetup from './setup/check.operation';
import * as stockBuffer from './stock/buffer.operation';

/** Each operation returns one list per output of the node (Delta: Changed and Deleted; the others: one). */
export type Execute = (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[][]>;

export const OPERATIONS: Record<string, Record<string, Execute>> = {
	delta: { passChanged: passChanged.execute },
	stock: { buffer: stockBuffer.execute },
	price: { check: checkPrices.execute },
	setup: { check: checkSetup.execute },
};

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Delta', value: 'delta' },
			{ name: 'Price', value: 'price' },
			{ name: 'Set-Up', value: 'setup' },
			{ name: 'Stock', value: 'stock' },
		],
		default: 'delta',
	},
	operationSelector(
		'delta',
		[
			{
				name: 'Pass Changed Records',
				value: 'passChanged',
				description: 'Only records changed since the last successful sync; deleted ones on a second output',
				action: 'Pass changed records',
			},
		],
		'passChanged',
	),
	operationSelector(
		'stock',
		[
			{
				name: 'Stock Buffer',
				value: 'buffer',
				description: 'Show a share of the ERP stock: percentage, fixed buffer, minimum, optional sum of warehouses',
				action: 'Apply a stock buffer',
			},
		],
		'buffer',
	),
	operationSelector(
		'price',
		[
			{
				name: 'Price Check',
				value: 'check',
				description: "Compare an order's prices with the ERP's prices for the client; accept or reject with reasons",
				action: 'Check order prices',
			},
		],
		'check',
	),
	operationSelector(
		'setup',
		[
			{
				name: 'Check',
				value: 'check',
				description:
					'Check what the set-up command imported, as `npx n8n-nodes-erp-b2b check` does: one item per check, ✓ or ✗ with the fix',
				action: 'Check the set up',
			},
		],
		'check',
	),
	...passChanged.description,
	...stockBuffer.description,
	...checkPrices.description,
	...checkSetup.description,
];
