import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { readCommonOptions } from '../../../shared/options';
import { portalRequest } from '../../transport';
import { forEachItem, orderNumberProperty } from './shared';

export const description: INodeProperties[] = [orderNumberProperty('get')];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const number = (this.getNodeParameter('orderNumber', i) as string).trim();
		const { body } = await portalRequest(this, {
			method: 'GET',
			path: `/v1/orders/${encodeURIComponent(number)}`,
			itemIndex: i,
			action: `Reading order ${number}`,
			policy: readCommonOptions(this, i).policy,
		});
		return body;
	});
}
