import type { INodeProperties } from 'n8n-workflow';
import { operationSelector, UPSERT_OPERATION } from '../common';
import * as release from './release.operation';
import * as reserve from './reserve.operation';
import * as upsert from './upsert.operation';

export { release, reserve, upsert };

export const description: INodeProperties[] = [
	operationSelector(
		'stock',
		[
			UPSERT_OPERATION('stock levels'),
			{
				name: 'Release Reservation',
				value: 'release',
				description: "Release an order's stock hold in the portal now",
				action: 'Release a stock reservation',
			},
			{
				name: 'Reserve for Order',
				value: 'reserve',
				description:
					"Hold an order's quantities against the portal's available stock until the ERP confirms it (never oversold)",
				action: 'Reserve stock for an order',
			},
		],
		'upsert',
	),
	...upsert.description,
	...reserve.description,
	...release.description,
];
