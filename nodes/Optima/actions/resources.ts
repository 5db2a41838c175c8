/**
 * Resources and operations of the Comarch ERP Optima node: the dropdowns, the router's table, which credential
 * each operation uses, and the editor's list methods. Resource values are the canonical names (product, price,
 * stock, client, order, invoice); the label says where the data comes from ("Product (SQL)").
 *
 * Each operation file exports `description` (its fields) and `execute`; adding one = one import, one line in
 * OPERATIONS, its entry in the operation dropdown below, and (for per-item operations) PER_ITEM.
 */
import type {
	IExecuteFunctions,
	INodeCredentialDescription,
	INodeExecutionData,
	INodeProperties,
	INodeType,
} from 'n8n-workflow';
import { operationSelector } from '../../shared/options';
// SQL operations (optimaSqlApi)
import * as clientGetMany from './client/getMany.operation';
import * as invoiceGetMany from './invoice/getMany.operation';
import * as orderCheck from './order/check.operation';
import * as orderGetStatus from './order/getStatus.operation';
import * as orderGetStatusChanges from './order/getStatusChanges.operation';
import * as priceGetMany from './price/getMany.operation';
import * as priceListGetMany from './priceList/getMany.operation';
import * as productGetMany from './product/getMany.operation';
import { SQL_OPERATIONS, optimaSqlConnectionTest } from './sqlCommon';
import * as stockGetMany from './stock/getMany.operation';
import * as warehouseGetMany from './warehouse/getMany.operation';
import { getStockWarehouses } from '../methods/loadOptions';
// bridge operations (optimaBridgeApi)
import * as invoiceDownloadPdf from './invoice/downloadPdf.operation';
import * as orderCreate from './order/create.operation';

export type Execute = (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>;

export const OPERATIONS: Record<string, Record<string, Execute>> = {
	// SQL
	product: { getMany: productGetMany.execute },
	price: { getMany: priceGetMany.execute },
	stock: { getMany: stockGetMany.execute },
	client: { getMany: clientGetMany.execute },
	priceList: { getMany: priceListGetMany.execute },
	warehouse: { getMany: warehouseGetMany.execute },
	order: {
		check: orderCheck.execute,
		getStatus: orderGetStatus.execute,
		getStatusChanges: orderGetStatusChanges.execute,
		// bridge
		create: orderCreate.execute,
	},
	invoice: {
		getMany: invoiceGetMany.execute,
		// bridge
		downloadPdf: invoiceDownloadPdf.execute,
	},
};

/** "resource:operation" of the operations that run once per input item (the others read everything once) */
export const PER_ITEM = new Set<string>([
	// SQL
	'order:check',
	'order:getStatus',
	// bridge
	'order:create',
	'invoice:downloadPdf',
]);

/**
 * Where the SQL credential (optimaSqlApi) is shown: every SQL operation and no other — getMany of product / price /
 * stock / client / invoice / price list / warehouse and the order's check / getStatus / getStatusChanges (order create and invoice
 * downloadPdf use the bridge). The credential entries themselves are written in Optima.node.ts: n8n's lint reads a
 * credential's `testedBy` only from an array literal there.
 */
export const SQL_CREDENTIAL_DISPLAY: INodeCredentialDescription['displayOptions'] = {
	show: { operation: [...new Set(SQL_OPERATIONS.map(([, o]) => o))] },
};

/** Where the bridge credential (optimaBridgeApi) is shown: the operations that go through the Optima bridge. */
export const BRIDGE_CREDENTIAL_DISPLAY: INodeCredentialDescription['displayOptions'] = {
	show: { resource: ['order', 'invoice'], operation: ['create', 'downloadPdf'] },
};

export const METHODS: INodeType['methods'] = {
	credentialTest: { optimaSqlConnectionTest },
	loadOptions: { getStockWarehouses },
};

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Client (SQL)', value: 'client' },
			{ name: 'Invoice (FS)', value: 'invoice' },
			{ name: 'Order (RO)', value: 'order' },
			{ name: 'Price (SQL)', value: 'price' },
			{ name: 'Price List (SQL)', value: 'priceList' },
			{ name: 'Product (SQL)', value: 'product' },
			{ name: 'Stock (SQL)', value: 'stock' },
			{ name: 'Warehouse (SQL)', value: 'warehouse' },
		],
		default: 'product',
	},
	operationSelector(
		'product',
		[
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'All or changed products (CDN.Towary) from SQL Server',
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
				description: 'Price list prices (CDN.TwrCeny) and client / group prices and discounts (CDN.Rabaty)',
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
				description: 'Stock per warehouse (CDN.TwrIlosci): on hand, reserved, available',
				action: 'Get many stock levels',
			},
		],
		'getMany',
	),
	operationSelector(
		'client',
		[
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Clients (CDN.Kontrahenci) with their price list and group, all or changed',
				action: 'Get many clients',
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
				description: "Optima's price lists (CDN.DefCeny): number, name, net or gross",
				action: 'Get many price lists',
			},
		],
		'getMany',
	),
	operationSelector(
		'warehouse',
		[
			{
				name: 'Get Many',
				value: 'getMany',
				description: "Optima's warehouses (CDN.Magazyny): symbol, name",
				action: 'Get many warehouses',
			},
		],
		'getMany',
	),
	operationSelector(
		'order',
		[
			{
				name: 'Check',
				value: 'check',
				description: "Whether Optima sells to the order's client and products at the order's prices (SQL)",
				action: 'Check an order',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Create the RO of a portal order through the Optima bridge (once, even when retried)',
				action: 'Create an order',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				description: 'The RO of a portal order and the WZ / invoice made from it (SQL)',
				action: 'Get an order status',
			},
			{
				name: 'Get Status Changes',
				value: 'getStatusChanges',
				description: 'Statuses of the portal orders whose RO, WZ or invoice changed since the last run (SQL)',
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
				description: 'The PDF of an invoice, printed by the Optima bridge',
				action: 'Download an invoice PDF',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Sales invoices (FS) with their lines, all or issued since the last run (SQL)',
				action: 'Get many invoices',
			},
		],
		'getMany',
	),
	...productGetMany.description,
	...priceGetMany.description,
	...stockGetMany.description,
	...clientGetMany.description,
	...orderCheck.description,
	...orderGetStatus.description,
	...orderGetStatusChanges.description,
	...invoiceGetMany.description,
	// bridge operations' fields
	...orderCreate.description,
	...invoiceDownloadPdf.description,
];
