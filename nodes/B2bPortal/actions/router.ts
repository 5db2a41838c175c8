import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import * as client from './client/Client.resource';
import * as connection from './connection/Connection.resource';
import * as invoice from './invoice/Invoice.resource';
import type { B2bPortalType } from './node.type';
import * as order from './order/Order.resource';
import * as price from './price/Price.resource';
import * as product from './product/Product.resource';
import * as productImage from './productImage/ProductImage.resource';
import * as stock from './stock/Stock.resource';
import * as syncStatus from './syncStatus/SyncStatus.resource';

type Operation = { execute: (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]> };

const RESOURCES: Record<string, Record<string, unknown>> = {
	client,
	connection,
	invoice,
	order,
	price,
	product,
	productImage,
	stock,
	syncStatus,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as B2bPortalType['resource'];
	const operation = this.getNodeParameter('operation', 0) as string;
	const op = RESOURCES[resource]?.[operation] as Operation | undefined;
	if (!op?.execute)
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	return [await op.execute.call(this, items)];
}
