/**
 * Resources and operations of the Business Central node: the dropdowns and the router's table (the enova365 shape).
 * Orders and invoices (actions/order, actions/invoice) add their imports, their OPERATIONS lines, their resource
 * options and their operation selectors next to the marked lines.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { operationSelector } from '../../shared/options';
import * as clientGet from './client/get.operation';
import * as clientGetMany from './client/getMany.operation';
import * as invoiceGetMany from './invoice/getMany.operation';
import * as checkPrices from './order/checkPrices.operation';
import * as orderCreate from './order/create.operation';
import * as orderStatus from './order/getStatus.operation';
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
	order: {
		create: orderCreate.execute,
		checkPrices: checkPrices.execute,
		getStatus: orderStatus.execute,
		getStatusChanges: orderStatus.executeChanges,
	},
	invoice: { getMany: invoiceGetMany.execute },
};

/** the Resource dropdown, alphabetical by label */
export const RESOURCES: INodePropertyOptions[] = [
	{ name: 'Client (Customer)', value: 'client' },
	{ name: 'Invoice (Sales Invoice)', value: 'invoice' },
	{ name: 'Order (Sales Order)', value: 'order' },
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
	operationSelector(
		'order',
		[
			{
				name: 'Check Prices',
				value: 'checkPrices',
				description: "Compare a portal order's prices with Business Central's for that customer",
				action: 'Check order prices',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Create the sales order of a portal order (once, even when retried)',
				action: 'Create an order',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				description: 'Status of portal orders in Business Central',
				action: 'Get order status',
			},
			{
				name: 'Get Status Changes',
				value: 'getStatusChanges',
				description: 'Statuses of portal orders changed since the last run',
				action: 'Get order status changes',
			},
		],
		'create',
	),
	operationSelector(
		'invoice',
		[
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Posted sales invoices of portal orders, with PDFs',
				action: 'Get many invoices',
			},
		],
		'getMany',
	),
	...productGetMany.description,
	...priceGetMany.description,
	...stockGetMany.description,
	...clientGet.description,
	...clientGetMany.description,
	...warehouseGetMany.description,
	...orderCreate.description,
	...checkPrices.description,
	...orderStatus.description,
	...invoiceGetMany.description,
];
