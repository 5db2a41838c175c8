import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { executeUpsert, upsertProperties } from '../upsert';

export const description = upsertProperties('product', 'product');

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeUpsert.call(this, items, 'product');
}
