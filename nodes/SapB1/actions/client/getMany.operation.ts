/** Business partners of type customer → canonical clients (all, or changed since the cursor). */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { cursorProperties, newestOf, readCursor, saveCursor, splitStamp } from '../../../shared/cursor';
import { businessPartnerToClient, updateStamp } from '../../mapping';
import { changedSinceFilter, slPages } from '../../transport';
import { readSapOptions, sapOptions } from '../common';

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
	const cursor = readCursor(this, 'clients');
	let filter = "CardType eq 'cCustomer'";
	if (cursor.since) filter += ` and (${changedSinceFilter(splitStamp(cursor.since))})`;
	const out: INodeExecutionData[] = [];
	let newest: string | undefined = cursor.since;
	for await (const page of slPages(this, 'BusinessPartners', {
		select: SELECT,
		filter,
		orderby: 'CardCode',
		pageSize: opts.pageSize,
		policy: opts.policy,
		action: 'Reading customers',
	})) {
		for (const bp of page.items) {
			newest = newestOf(newest, updateStamp(bp));
			out.push({ json: businessPartnerToClient(bp), pairedItem: { item: 0 } });
		}
	}
	saveCursor(this, cursor, newest);
	return out;
}
