/** Business partners of type customer → canonical clients (all, or changed since the cursor). */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { cursorProperties } from '../../../shared/cursor';
import { businessPartnerToClient } from '../../mapping';
import { readIncremental, readSapOptions, sapOptions } from '../common';

export const description: INodeProperties[] = [
	...cursorProperties('client', ['getMany'], 'clients'),
	sapOptions('client', ['getMany']),
];

const SELECT = [
	'CardCode',
	'CardName',
	'CardType',
	'GroupCode',
	'Phone1',
	'EmailAddress',
	'FederalTaxID',
	'PriceListNum',
	'Currency',
	'PayTermsGrpCode',
	'CreditLimit',
	'Valid',
	'Frozen',
	'UpdateDate',
	'UpdateTime',
	'BPAddresses',
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readSapOptions(this);
	const out: INodeExecutionData[] = [];
	const read = {
		stream: 'clients',
		entity: 'BusinessPartners',
		select: SELECT,
		filter: "CardType eq 'cCustomer'",
		orderby: 'CardCode',
		action: 'Reading customers',
	};
	await readIncremental(this, read, opts, (bp) => {
		out.push({ json: businessPartnerToClient(bp), pairedItem: { item: 0 } });
	});
	return out;
}
