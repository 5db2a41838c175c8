/** Resources and operations of the SAP Business One node: the dropdowns and the router's table. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { operationSelector } from '../../shared/options';
import * as clientGet from './client/get.operation';
import * as clientGetMany from './client/getMany.operation';
import * as invoiceGetMany from './invoice/getMany.operation';
import * as itemGet from './item/get.operation';
import * as itemGetMany from './item/getMany.operation';
import * as checkPrices from './order/checkPrices.operation';
import * as orderCreate from './order/create.operation';
import * as orderGet from './order/get.operation';
import * as orderStatus from './order/getStatus.operation';
import * as priceGetMany from './price/getMany.operation';
import * as productImageGetMany from './productImage/getMany.operation';
import * as logout from './session/logout.operation';
import * as setupData from './setupData/getMany.operation';
import * as stockGetMany from './stock/getMany.operation';

export type Execute = (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>;

export const OPERATIONS: Record<string, Record<string, Execute>> = {
	item: { getMany: itemGetMany.execute, get: itemGet.execute },
	price: { getMany: priceGetMany.execute },
	productImage: { getMany: productImageGetMany.execute },
	stock: { getMany: stockGetMany.execute },
	client: { get: clientGet.execute, getMany: clientGetMany.execute },
	order: {
		create: orderCreate.execute,
		get: orderGet.execute,
		checkPrices: checkPrices.execute,
		getStatus: orderStatus.execute,
		getStatusChanges: orderStatus.executeChanges,
	},
	invoice: { getMany: invoiceGetMany.execute, downloadPdf: invoiceGetMany.executeDownload },
	session: { logout: logout.execute },
	warehouse: { getMany: setupData.executeWarehouses },
	priceList: { getMany: setupData.executePriceLists },
};

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Client (Business Partner)', value: 'client' },
			{ name: 'Invoice', value: 'invoice' },
			{ name: 'Item (Product)', value: 'item' },
			{ name: 'Order', value: 'order' },
			{ name: 'Price', value: 'price' },
			{ name: 'Price List', value: 'priceList' },
			{ name: 'Product Image (Item Picture)', value: 'productImage' },
			{ name: 'Session', value: 'session' },
			{ name: 'Stock', value: 'stock' },
			{ name: 'Warehouse', value: 'warehouse' },
		],
		default: 'item',
	},
	operationSelector(
		'item',
		[
			{ name: 'Get', value: 'get', description: 'One item as a product', action: 'Get an item' },
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'All items, or those changed since the last run, as products',
				action: 'Get many items',
			},
		],
		'getMany',
	),
	operationSelector(
		'price',
		[{ name: 'Get Many', value: 'getMany', description: 'Price-list and special prices', action: 'Get many prices' }],
		'getMany',
	),
	operationSelector(
		'productImage',
		[
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Pictures of items (Items.Picture) as product images with their bytes, or their file names',
				action: 'Get many product images',
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
				description: 'Stock per warehouse (all, or moved since the last run)',
				action: 'Get many stock levels',
			},
		],
		'getMany',
	),
	operationSelector(
		'client',
		[
			{ name: 'Get', value: 'get', description: 'One business partner as a client', action: 'Get a client' },
			{ name: 'Get Many', value: 'getMany', description: 'Customers as clients', action: 'Get many clients' },
		],
		'getMany',
	),
	operationSelector(
		'order',
		[
			{
				name: 'Check Prices',
				value: 'checkPrices',
				description: "Compare a portal order's prices with SAP's for that client",
				action: 'Check order prices',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Create the sales order of a portal order (once, even when retried)',
				action: 'Create an order',
			},
			{ name: 'Get', value: 'get', description: 'The SAP sales order of a portal order', action: 'Get an order' },
			{
				name: 'Get Status',
				value: 'getStatus',
				description: 'Status of portal orders in SAP',
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
				name: 'Download PDF',
				value: 'downloadPdf',
				description: 'The PDF of one invoice from the API Gateway',
				action: 'Download an invoice PDF',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Invoices of portal orders, with PDFs',
				action: 'Get many invoices',
			},
		],
		'getMany',
	),
	operationSelector(
		'session',
		[{ name: 'Log Out', value: 'logout', description: 'End the Service Layer session', action: 'Log out' }],
		'logout',
	),
	operationSelector(
		'warehouse',
		[
			{
				name: 'Get Many',
				value: 'getMany',
				description: "SAP's warehouses (code, name)",
				action: 'Get many warehouses',
			},
		],
		'getMany',
	),
	operationSelector(
		'priceList',
		[
			{
				name: 'Get Many',
				value: 'getMany',
				description: "SAP's price lists (number, name, gross)",
				action: 'Get many price lists',
			},
		],
		'getMany',
	),
	...itemGetMany.description,
	...itemGet.description,
	...priceGetMany.description,
	...productImageGetMany.description,
	...stockGetMany.description,
	...clientGet.description,
	...clientGetMany.description,
	...orderCreate.description,
	...orderGet.description,
	...checkPrices.description,
	...orderStatus.description,
	...invoiceGetMany.description,
	...logout.description,
];
