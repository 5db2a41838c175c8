/**
 * What the order and invoice operations share: their Options collection and requests under the company's API
 * (`{root}/api/v2.0/companies({id})`, the company resolved once per run by ../../transport companyContext).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { optionsCollection, readCommonOptions, roundingOptionProperties } from '../../../shared/options';
import type { FullResponse } from '../../../shared/transport/request';
import type { RetryPolicy } from '../../../shared/transport/retry';
import { bcPages, bcRequest, companyContext, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type BcRequest } from '../../transport';

export const salesPageSizeOption: INodeProperties = {
	displayName: 'Page Size',
	name: 'pageSize',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_PAGE_SIZE },
	default: DEFAULT_PAGE_SIZE,
	description: 'Records per Business Central page (Prefer: odata.maxpagesize); BC allows at most 20,000',
};

/** The Options collection of an order / invoice operation. */
export function salesOptions(resource: string, operations: string[], extra: INodeProperties[] = []): INodeProperties {
	return optionsCollection({ show: { resource: [resource], operation: operations } }, [
		...extra,
		salesPageSizeOption,
		...roundingOptionProperties,
	]);
}

export interface SalesOptions {
	pageSize: number;
	policy: RetryPolicy;
	moneyDecimals: number;
	rounding: ReturnType<typeof readCommonOptions>['rounding'];
	raw: IDataObject;
}

export function readSalesOptions(ctx: IExecuteFunctions, itemIndex = 0): SalesOptions {
	const common = readCommonOptions(ctx, itemIndex);
	const raw = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		pageSize: Number(raw.pageSize ?? DEFAULT_PAGE_SIZE),
		policy: common.policy,
		moneyDecimals: common.moneyDecimals,
		rounding: common.rounding,
		raw,
	};
}

/** A request under the company's API: `url` is a path such as `/salesOrders`, or an absolute link from BC. */
export async function companyRequest<T = IDataObject>(
	ctx: IExecuteFunctions,
	req: Omit<BcRequest, 'base' | 'endpoints'>,
): Promise<FullResponse<T>> {
	const company = await companyContext(ctx, req.policy);
	return await bcRequest<T>(ctx, { ...req, base: company.companyApi, endpoints: company });
}

/** The pages of a collection under the company's API. */
export async function* companyPages(
	ctx: IExecuteFunctions,
	opts: {
		url: string;
		query?: Record<string, string>;
		pageSize: number;
		policy: RetryPolicy;
		itemIndex?: number;
		action: string;
	},
): AsyncGenerator<IDataObject[]> {
	const company = await companyContext(ctx, opts.policy);
	for await (const page of bcPages<IDataObject>(ctx, { ...opts, base: company.companyApi, endpoints: company }))
		yield page.items;
}
