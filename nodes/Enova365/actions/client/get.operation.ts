/**
 * One contractor as a canonical client, picked from a searchable list or given by code (GetKontrahenci filtered by
 * `Kody`). A code enova does not know is an error naming it (per item, Continue On Fail gives an error item).
 */
import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { forEachItem } from '../../../shared/items';
import { kontrahentToClient } from '../../mapping';
import { enovaPages } from '../../transport';
import { enovaOptions, mapRecord, readEnovaOptions } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Client',
		name: 'clientCode',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchContractors', searchable: true },
			},
			{
				displayName: 'By Code',
				name: 'id',
				type: 'string',
				placeholder: 'HURT-ŁÓDŹ',
			},
		],
		description: 'The enova365 contractor (Kontrahent.Kod)',
		displayOptions: { show: { resource: ['client'], operation: ['get'] } },
	},
	enovaOptions('client', ['get']),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const code = String(this.getNodeParameter('clientCode', i, '', { extractValue: true })).trim();
		const opts = readEnovaOptions(this, i);
		for await (const page of enovaPages(this, {
			method: 'GetKontrahenci',
			recordsKey: 'Kontrahenci',
			args: { Kody: [code] },
			pageSize: 10,
			policy: opts.policy,
			itemIndex: i,
			action: `Reading client ${code}`,
		}))
			for (const k of page.records) if (String(k.Kod) === code) return mapRecord(this, () => kontrahentToClient(k), i);
		throw new NodeOperationError(this.getNode(), `Item ${i}: client "${code}" does not exist in enova365`, {
			itemIndex: i,
		});
	});
}
