/**
 * Requests of the order and invoice operations under the company's API (`{root}/api/v2.0/companies({id})`, the
 * company resolved once per run by ../../transport companyContext).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { FullResponse } from '../../../shared/transport/request';
import type { RetryPolicy } from '../../../shared/transport/retry';
import { bcPages, bcRequest, companyContext, customApiHint, customCompanyApi, type BcRequest } from '../../transport';
import type { BcOptions } from '../common';

/** A request under the company's API: `url` is a path such as `/salesOrders`, or an absolute link from BC. */
export async function companyRequest<T = IDataObject>(
	ctx: IExecuteFunctions,
	req: Omit<BcRequest, 'base' | 'endpoints'>,
): Promise<FullResponse<T>> {
	const company = await companyContext(ctx, req.policy);
	return await bcRequest<T>(ctx, { ...req, base: company.companyApi, endpoints: company });
}

export interface CompanyPagesOptions {
	url: string;
	query?: Record<string, string | undefined>;
	pageSize: number;
	policy: RetryPolicy;
	itemIndex?: number;
	action: string;
	/** read the pack's custom API (priceListLines, customerPricing) instead of API v2.0 */
	customApi?: BcOptions['customApi'];
}

/** The pages of a collection under the company's API (or the company in the custom API). */
export async function* companyPages(ctx: IExecuteFunctions, opts: CompanyPagesOptions): AsyncGenerator<IDataObject[]> {
	const company = await companyContext(ctx, opts.policy);
	const base = opts.customApi ? customCompanyApi(company, opts.customApi) : company.companyApi;
	const notFoundHint = opts.customApi
		? customApiHint(opts.customApi, opts.url.replace(/^\//, '').split('?')[0])
		: undefined;
	for await (const page of bcPages<IDataObject>(ctx, { ...opts, base, endpoints: company, notFoundHint }))
		yield page.items;
}
