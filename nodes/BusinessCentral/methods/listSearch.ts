import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { bcRequest, companyContext, endpoints, isOwnLink, listCompanies, odataString } from '../transport';

/**
 * Customers for a resource locator, 100 a page, searched by any part of the number or the name. BC compares
 * `contains()` case-sensitively, so the text is asked as typed, capitalised and in capitals (a person types
 * "łódź", BC holds "Łódź").
 */
export async function searchCustomers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const bc = await companyContext(this, { maxRetries: 2 });
	const text = (filter ?? '').trim();
	const variants = [
		...new Set([text, text.toLocaleUpperCase('pl'), text.charAt(0).toLocaleUpperCase('pl') + text.slice(1)]),
	];
	const $filter = text
		? variants.map((v) => `contains(number,${odataString(v)}) or contains(displayName,${odataString(v)})`).join(' or ')
		: undefined;
	// the next page is BC's own link, followed only under the installation's root (as every page)
	const next = paginationToken && isOwnLink(paginationToken, bc.root) ? paginationToken : undefined;
	const { body } = await bcRequest<{ value?: IDataObject[]; '@odata.nextLink'?: string }>(this, {
		method: 'GET',
		url: next ?? '/customers',
		base: bc.companyApi,
		endpoints: bc,
		query: next ? undefined : { $select: 'number,displayName', $filter },
		headers: { Prefer: 'odata.maxpagesize=100' },
		policy: { maxRetries: 2 },
		action: 'Searching customers',
	});
	const results = (body.value ?? []).map((c) => ({
		name: `${String(c.number)} – ${String(c.displayName ?? '')}`,
		value: String(c.number),
	}));
	return { results, paginationToken: body['@odata.nextLink'] };
}

/** Companies of the environment, for the node's Company: name and ID, value the ID. */
export async function searchCompanies(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const companies = await listCompanies(this, await endpoints(this), { maxRetries: 2 });
	const text = (filter ?? '').trim().toLocaleLowerCase('pl');
	return {
		results: companies
			.filter((c) => !text || `${c.name} ${c.displayName ?? ''}`.toLocaleLowerCase('pl').includes(text))
			.map((c) => ({
				name: c.displayName && c.displayName !== c.name ? `${c.name} – ${c.displayName}` : c.name,
				value: c.id,
			})),
	};
}
