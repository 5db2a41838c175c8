/**
 * Resources and operations of the Business Central node: the dropdowns and the router's table (the enova365 shape).
 * Orders and invoices (actions/order, actions/invoice) add their imports, their OPERATIONS lines, their resource
 * options and their operation selectors next to the marked lines.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { operationSelector } from '../../shared/options';
import * as clientGet from './client/get.operation';
import * as clientGetMany from './client/getMany.operation';
import * as priceGetMany from './price/getMany.operation';
import * as productGetMany from './product/getMany.operation';
import * as stockGetMany from './stock/getMany.operation';
import * as warehouseGetMany from './warehouse/getMany.operation';

export type Execute = (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>;

export const OPERATIONS: Record<string, Record<string, Execute>> = {
	product: { getMany: productGetMany.execute },
	price: { getMany: priceGetMany.execute },
	stock: { getMany: stockGetMany.execute },
	client: { get: clientGet.execute, getMany: clientGetMany.execute },
	warehouse: { getMany: warehouseGetMany.execute },
	// order, invoice: added by actions/order and actions/invoice
};

/** the Resource dropdown, alphabetical by label */
export const RESOURCES: INodePropertyOptions[] = [
	{ name: 'Client (Customer)', value: 'client' },
	// Invoice (Sales Invoice), Order (Sales Order): added with their operations
	{ name: 'Price', value: 'price' },
	{ name: 'Product (Item)', value: 'product' },
	{ name: 'Stock (Inventory)', value: 'stock' },
	{ name: 'Warehouse (Location)', value: 'warehouse' },
];

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: RESOURCES,
		default: 'product',
	},
	operationSelector(
		'product',
		[
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'All items, or those changed since the last run, as products',
				action: 'Get many products',
			},
		],
		'getMany',
	),
	operationSelector(
		'price',
		[
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Item unit prices and price list lines (all customers, customers, customer price groups)',
				action: 'Get many prices',
			},
		],
		'getMany',
	),
	operationSelector(
		'stock',
		[
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Stock in total or per location (all, or changed since the last run)',
				action: 'Get many stock levels',
			},
		],
		'getMany',
	),
	operationSelector(
		'client',
		[
			{ name: 'Get', value: 'get', description: 'One customer as a client', action: 'Get a client' },
			{ name: 'Get Many', value: 'getMany', description: 'Customers as clients', action: 'Get many clients' },
		],
		'getMany',
	),
	operationSelector(
		'warehouse',
		[
			{
				name: 'Get Many',
				value: 'getMany',
				description: "Business Central's locations (code, name)",
				action: 'Get many warehouses',
			},
		],
		'getMany',
	),
	// order, invoice operation selectors: added by actions/order and actions/invoice
	...productGetMany.description,
	...priceGetMany.description,
	...stockGetMany.description,
	...clientGet.description,
	...clientGetMany.description,
	...warehouseGetMany.description,
	// order, invoice descriptions: added by actions/order and actions/invoice
];
