/** Resources and operations of the enova365 node: the dropdowns and the router's table (the SAP node's shape). */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { operationSelector } from '../../shared/options';
import { servicesProperty } from '../transport/services';
import * as clientGet from './client/get.operation';
import * as clientGetMany from './client/getMany.operation';
import * as invoiceGetMany from './invoice/getMany.operation';
import * as checkPrices from './order/checkPrices.operation';
import * as orderCreate from './order/create.operation';
import * as orderStatus from './order/getStatus.operation';
import * as priceGetMany from './price/getMany.operation';
import * as productGetMany from './product/getMany.operation';
import * as stockGetMany from './stock/getMany.operation';

export type Execute = (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>;

export const OPERATIONS: Record<string, Record<string, Execute>> = {
	product: { getMany: productGetMany.execute },
	price: { getMany: priceGetMany.execute },
	stock: { getMany: stockGetMany.execute },
	client: { get: clientGet.execute, getMany: clientGetMany.execute },
	order: {
		create: orderCreate.execute,
		checkPrices: checkPrices.execute,
		getStatus: orderStatus.execute,
		getStatusChanges: orderStatus.executeChanges,
	},
	invoice: { getMany: invoiceGetMany.execute },
};

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Client (Kontrahent)', value: 'client' },
			{ name: 'Invoice (Faktura)', value: 'invoice' },
			{ name: 'Order (ZO)', value: 'order' },
			{ name: 'Price (Cena)', value: 'price' },
			{ name: 'Product (Towar)', value: 'product' },
			{ name: 'Stock (Stan Magazynu)', value: 'stock' },
		],
		default: 'product',
	},
	operationSelector(
		'product',
		[
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'All products, or those changed since the last run',
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
				description: 'Prices of price definitions and individual client and group prices',
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
				description: 'Stock per warehouse (all, or changed since the last run)',
				action: 'Get many stock levels',
			},
		],
		'getMany',
	),
	operationSelector(
		'client',
		[
			{ name: 'Get', value: 'get', description: 'One contractor as a client', action: 'Get a client' },
			{ name: 'Get Many', value: 'getMany', description: 'Contractors as clients', action: 'Get many clients' },
		],
		'getMany',
	),
	operationSelector(
		'order',
		[
			{
				name: 'Check Prices',
				value: 'checkPrices',
				description: "Compare a portal order's prices with enova365's for that client",
				action: 'Check order prices',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Create the ZO of a portal order (once, even when retried)',
				action: 'Create an order',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				description: 'Status of portal orders in enova365',
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
				description: 'Invoices of portal orders, with PDFs',
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
	...orderCreate.description,
	...checkPrices.description,
	...orderStatus.description,
	...invoiceGetMany.description,
	servicesProperty,
];
