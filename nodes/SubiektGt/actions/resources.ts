/** Resources and operations of the Subiekt GT node: the dropdowns and the router's table. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { operationSelector } from '../../shared/options';
import * as clientGetMany from './client/getMany.operation';
import * as eppRead from './eppFile/read.operation';
import * as invoiceGetMany from './invoice/getMany.operation';
import * as orderCreate from './order/create.operation';
import * as orderStatusBridge from './order/getStatus.operation';
import * as orderCheck from './orderStatus/check.operation';
import * as orderStatusGet from './orderStatus/get.operation';
import * as priceGetMany from './price/getMany.operation';
import * as productGetMany from './product/getMany.operation';
import * as productImageGetMany from './productImage/getMany.operation';
import * as stockGetMany from './stock/getMany.operation';
import * as warehouseGetMany from './warehouse/getMany.operation';

export type Execute = (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>;

export const OPERATIONS: Record<string, Record<string, Execute>> = {
	order: {
		create: orderCreate.execute,
		getStatus: orderStatusBridge.execute,
		downloadInvoicePdf: orderStatusBridge.executePdf,
	},
	product: { getMany: productGetMany.execute },
	productImage: { getMany: productImageGetMany.execute },
	price: { getMany: priceGetMany.execute },
	stock: { getMany: stockGetMany.execute },
	client: { getMany: clientGetMany.execute },
	orderStatus: { get: orderStatusGet.execute, check: orderCheck.execute },
	invoice: { getMany: invoiceGetMany.execute },
	warehouse: { getMany: warehouseGetMany.execute },
	eppFile: { readProducts: eppRead.execute, readPrices: eppRead.execute, readClients: eppRead.execute },
};

const getMany = (description: string, action: string) => [{ name: 'Get Many', value: 'getMany', description, action }];

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Client (SQL)', value: 'client' },
			{ name: 'EDI++ Export File', value: 'eppFile' },
			{ name: 'Invoice (SQL)', value: 'invoice' },
			{ name: 'Order (Sfera Bridge)', value: 'order' },
			{ name: 'Order (SQL)', value: 'orderStatus' },
			{ name: 'Price (SQL)', value: 'price' },
			{ name: 'Product (SQL)', value: 'product' },
			{ name: 'Product Image (SQL)', value: 'productImage' },
			{ name: 'Stock (SQL)', value: 'stock' },
			{ name: 'Warehouse (SQL)', value: 'warehouse' },
		],
		// existing workflows rely on the default being the bridge's Order resource
		default: 'order',
	},
	operationSelector(
		'order',
		[
			{
				name: 'Create',
				value: 'create',
				description: 'Create the ZK of a portal order (once, even when retried)',
				action: 'Create an order',
			},
			{
				name: 'Download Invoice PDF',
				value: 'downloadInvoicePdf',
				description: 'The PDF of the invoice made from the ZK',
				action: 'Download an invoice PDF',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				description: 'Status of portal orders in Subiekt',
				action: 'Get order status',
			},
		],
		'create',
	),
	operationSelector('product', getMany('All products (tw__Towar) from SQL Server', 'Get many products'), 'getMany'),
	operationSelector(
		'productImage',
		getMany('Product pictures (tw_ZdjecieTw) with their bytes, main picture first', 'Get many product images'),
		'getMany',
	),
	operationSelector(
		'price',
		getMany('Price levels of every product and individual client price lists', 'Get many prices'),
		'getMany',
	),
	operationSelector(
		'stock',
		getMany('Stock per warehouse: on hand, reserved, available', 'Get many stock levels'),
		'getMany',
	),
	operationSelector(
		'client',
		getMany('Clients with their main address, all or changed since the last run', 'Get many clients'),
		'getMany',
	),
	operationSelector(
		'orderStatus',
		[
			{
				name: 'Check',
				value: 'check',
				description: "Whether Subiekt sells to the order's client and its products (before an EDI++ file is written)",
				action: 'Check an order',
			},
			{
				name: 'Get Status',
				value: 'get',
				description: 'The ZK of a portal order and the invoice made from it',
				action: 'Get an order status',
			},
		],
		'get',
	),
	operationSelector(
		'invoice',
		getMany('Sales invoices, all or issued since the last run', 'Get many invoices'),
		'getMany',
	),
	operationSelector(
		'warehouse',
		getMany("Subiekt's warehouses (sl_Magazyn): symbol, name, main warehouse", 'Get many warehouses'),
		'getMany',
	),
	operationSelector(
		'eppFile',
		[
			{
				name: 'Read Clients',
				value: 'readClients',
				description: 'Clients (KONTRAHENCI) of an EDI++ file exported by Subiekt',
				action: 'Read clients from an EDI++ file',
			},
			{
				name: 'Read Prices',
				value: 'readPrices',
				description: 'Prices (CENNIK) of an EDI++ file exported by Subiekt',
				action: 'Read prices from an EDI++ file',
			},
			{
				name: 'Read Products',
				value: 'readProducts',
				description: 'Products (TOWARY) of an EDI++ file exported by Subiekt',
				action: 'Read products from an EDI++ file',
			},
		],
		'readProducts',
	),
	...orderCreate.description,
	...orderStatusBridge.description,
	...productGetMany.description,
	...productImageGetMany.description,
	...priceGetMany.description,
	...stockGetMany.description,
	...clientGetMany.description,
	...orderStatusGet.description,
	...orderCheck.description,
	...invoiceGetMany.description,
	...eppRead.description,
];
