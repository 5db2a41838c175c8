/**
 * The customer price group of customers: API v2.0 customers have no customerPriceGroup (research §1), so it comes
 * from our custom API page `customerPricing` (customerNumber, customerPriceGroup, customerDiscountGroup,
 * lastModifiedDateTime; docs/business-central.md).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { bcPages, customApiHint, customCompanyApi, odataString, type BcCompanyContext } from '../../transport';
import type { BcOptions } from '../common';

export const includePriceGroupProperty = (operations: string[]) => ({
	displayName: 'Include Price Group',
	name: 'includePriceGroup',
	type: 'boolean' as const,
	default: true,
	description:
		"Whether to read each customer's Customer Price Group through the custom API page customerPricing (needed for group prices)",
	displayOptions: { show: { resource: ['client'], operation: operations } },
});

/** customerNumber → its customerPricing row; `filter` narrows the rows read (a delta, one customer). */
export async function readPricing(
	ctx: IExecuteFunctions,
	bc: BcCompanyContext,
	opts: BcOptions,
	filter?: string,
	itemIndex?: number,
): Promise<Map<string, IDataObject>> {
	const base = customCompanyApi(bc, opts.customApi);
	const out = new Map<string, IDataObject>();
	for await (const page of bcPages<IDataObject>(ctx, {
		url: '/customerPricing',
		base,
		endpoints: bc,
		query: { $filter: filter },
		pageSize: opts.pageSize,
		policy: opts.policy,
		itemIndex,
		notFoundHint: customApiHint(opts.customApi, 'customerPricing', 'Include Price Group'),
		action: `Reading customer price groups (custom API ${opts.customApi.publisher}/${opts.customApi.group}/${opts.customApi.version})`,
	}))
		for (const row of page.items) out.set(String(row.customerNumber), row);
	return out;
}

export const numberFilter = (field: string, numbers: string[]) =>
	numbers.map((n) => `${field} eq ${odataString(n)}`).join(' or ');
