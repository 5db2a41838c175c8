import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { readCommonOptions } from '../../../shared/options';
import { portalRequest } from '../../transport';

export const description: INodeProperties[] = [];

/** The last recorded run of every flow, one item per flow. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const { body } = await portalRequest<{ items: IDataObject[] }>(this, {
		method: 'GET',
		path: '/v1/sync-status',
		itemIndex: 0,
		action: 'Reading sync status',
		policy: readCommonOptions(this, 0).policy,
	});
	return body.items.map((json) => ({ json, pairedItem: { item: 0 } }));
}
