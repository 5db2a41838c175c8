import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { odataString, slRequest } from '../transport';

/**
 * Customers for a resource locator, 100 at a time, searched by any part of the code or the name, ignoring case:
 * a person types "łódź" or "kaźmierczak" (a city, a surname from the middle of "P.H.U. Kaźmierczak Bydgoszcz"),
 * not the exact start of SAP's name. Service Layer: contains() and B1S-CaseInsensitive (HANA compares
 * case-sensitively without it; erp-facts).
 */
export async function searchBusinessPartners(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const skip = Number(paginationToken ?? 0);
	const text = (filter ?? '').trim();
	let $filter = "CardType eq 'cCustomer'";
	if (text) $filter += ` and (contains(CardCode, ${odataString(text)}) or contains(CardName, ${odataString(text)}))`;
	const { body } = await slRequest<{
		value?: Array<{ CardCode: string; CardName: string }>;
		'odata.nextLink'?: string;
		'@odata.nextLink'?: string;
	}>(this, {
		method: 'GET',
		path: '/BusinessPartners',
		query: { $select: 'CardCode,CardName', $filter, $orderby: 'CardCode', $skip: skip || undefined },
		headers: { 'B1S-PageSize': '100', 'B1S-CaseInsensitive': 'true' },
		policy: { maxRetries: 2 },
	});
	const results = (body.value ?? []).map((bp) => ({ name: `${bp.CardCode} – ${bp.CardName}`, value: bp.CardCode }));
	const more = body['odata.nextLink'] ?? body['@odata.nextLink'];
	return { results, paginationToken: more ? String(skip + results.length) : undefined };
}
