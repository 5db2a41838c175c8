/**
 * Business partners of type customer → canonical clients (all, or changed since the cursor), one item each or
 * in batch items / batch files (nodes/shared/batch.ts).
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { batchOutputProperties, recordSink } from '../../../shared/batch';
import { cursorProperties } from '../../../shared/cursor';
import { businessPartnerToClient } from '../../mapping';
import { readIncremental, readSapOptions, sapOptions } from '../common';

export const description: INodeProperties[] = [
	...cursorProperties('client', ['getMany'], 'clients'),
	...batchOutputProperties('client', ['getMany'], 'clients'),
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
	const sink = recordSink(this, 'client');
	const read = {
		stream: 'clients',
		entity: 'BusinessPartners',
		select: SELECT,
		filter: "CardType eq 'cCustomer'",
		orderby: 'CardCode',
		action: 'Reading customers',
	};
	await readIncremental(this, read, opts, async (bp) => await sink.add(businessPartnerToClient(bp)));
	return await sink.finish();
}
