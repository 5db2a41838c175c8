/** One customer as a canonical client, picked from a searchable list or given by its number. */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { forEachItem } from '../../../shared/items';
import { CUSTOMER_FIELDS, customerToClient } from '../../mapping';
import { bcRequest, companyContext, odataString } from '../../transport';
import { bcOptions, customApiOptions, mapRecord, readBcOptions } from '../common';
import { includePriceGroupProperty, readPricing } from './pricing';

export const description: INodeProperties[] = [
	{
		displayName: 'Client',
		name: 'customerNumber',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchCustomers', searchable: true },
			},
			{
				displayName: 'By Number',
				name: 'id',
				type: 'string',
				placeholder: 'K-ŁÓDŹ-01',
			},
		],
		description: 'The Business Central customer (No.)',
		displayOptions: { show: { resource: ['client'], operation: ['get'] } },
	},
	includePriceGroupProperty(['get']),
	bcOptions('client', ['get'], customApiOptions),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const number = String(this.getNodeParameter('customerNumber', i, '', { extractValue: true })).trim();
		const opts = readBcOptions(this, i);
		const withGroup = this.getNodeParameter('includePriceGroup', i, true) as boolean;
		if (!number) throw new NodeOperationError(this.getNode(), `Item ${i}: Client is empty`, { itemIndex: i });
		const bc = await companyContext(this, opts.policy);
		const { body } = await bcRequest<{ value?: IDataObject[] }>(this, {
			method: 'GET',
			url: '/customers',
			base: bc.companyApi,
			endpoints: bc,
			query: { $select: CUSTOMER_FIELDS.join(','), $filter: `number eq ${odataString(number)}` },
			itemIndex: i,
			policy: opts.policy,
			action: `Reading client ${number}`,
		});
		const customer = (body.value ?? []).find((c) => String(c.number) === number);
		if (!customer)
			throw new NodeOperationError(
				this.getNode(),
				`Item ${i}: client "${number}" does not exist in Business Central company "${bc.company.name}"`,
				{ itemIndex: i },
			);
		const pricing = withGroup
			? await readPricing(this, bc, opts, `customerNumber eq ${odataString(number)}`, i)
			: new Map<string, IDataObject>();
		return mapRecord(this, () => customerToClient(customer, pricing.get(number)), i);
	});
}
