import type { INodeProperties } from 'n8n-workflow';
import { operationSelector, UPSERT_OPERATION } from '../common';
import * as upsert from './upsert.operation';

export { upsert };

export const description: INodeProperties[] = [
	operationSelector('product', [UPSERT_OPERATION('products')], 'upsert'),
	...upsert.description,
];
