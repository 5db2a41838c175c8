/** One business partner as a canonical client, picked from a searchable list or given by code. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forEachItem } from '../../../shared/items';
import { businessPartnerToClient } from '../../mapping';
import { keyPath, slRequest } from '../../transport';
import { readSapOptions, sapOptions } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Client',
		name: 'cardCode',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchBusinessPartners', searchable: true },
			},
			{
				displayName: 'By Code',
				name: 'id',
				type: 'string',
				placeholder: 'C00001',
			},
		],
		description: 'The SAP business partner (CardCode)',
		displayOptions: { show: { resource: ['client'], operation: ['get'] } },
	},
	sapOptions('client', ['get']),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const code = String(this.getNodeParameter('cardCode', i, '', { extractValue: true })).trim();
		const opts = readSapOptions(this, i);
		const { body } = await slRequest(this, {
			method: 'GET',
			path: keyPath('BusinessPartners', code),
			itemIndex: i,
			action: `Reading client ${code}`,
			policy: opts.policy,
		});
		return businessPartnerToClient(body);
	});
}
