import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import * as client from './actions/client/Client.resource';
import * as connection from './actions/connection/Connection.resource';
import * as invoice from './actions/invoice/Invoice.resource';
import * as order from './actions/order/Order.resource';
import * as price from './actions/price/Price.resource';
import * as product from './actions/product/Product.resource';
import * as productImage from './actions/productImage/ProductImage.resource';
import * as stock from './actions/stock/Stock.resource';
import * as syncStatus from './actions/syncStatus/SyncStatus.resource';

import { router } from './actions/router';

export class B2bPortal implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'B2B Portal',
		name: 'b2bPortal',
		icon: { light: 'file:b2bPortal.svg', dark: 'file:b2bPortal.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Send ERP products, prices, stock, clients, order statuses and invoices to a B2B portal, take its orders, and check its connection and clock',
		defaults: { name: 'B2B Portal' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'b2bPortalApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Client', value: 'client' },
					{ name: 'Connection', value: 'connection' },
					{ name: 'Invoice', value: 'invoice' },
					{ name: 'Order', value: 'order' },
					{ name: 'Price', value: 'price' },
					{ name: 'Product', value: 'product' },
					{ name: 'Product Image', value: 'productImage' },
					{ name: 'Stock Level', value: 'stock' },
					{ name: 'Sync Status', value: 'syncStatus' },
				],
				default: 'product',
			},
			...client.description,
			...connection.description,
			...invoice.description,
			...order.description,
			...price.description,
			...product.description,
			...productImage.description,
			...stock.description,
			...syncStatus.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
