import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { odataString, slRequest } from '../transport';

/** Customers for a resource locator, searched by code or name prefix (100 at a time). */
export async function searchBusinessPartners(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const skip = Number(paginationToken ?? 0);
	const text = (filter ?? '').trim();
	let $filter = "CardType eq 'cCustomer'";
	if (text)
		$filter += ` and (startswith(CardCode, ${odataString(text)}) or startswith(CardName, ${odataString(text)}))`;
	const { body } = await slRequest<{
		value?: Array<{ CardCode: string; CardName: string }>;
		'odata.nextLink'?: string;
		'@odata.nextLink'?: string;
	}>(this, {
		method: 'GET',
		path: '/BusinessPartners',
		query: { $select: 'CardCode,CardName', $filter, $orderby: 'CardCode', $skip: skip || undefined },
		headers: { 'B1S-PageSize': '100' },
		policy: { maxRetries: 2 },
	});
	const results = (body.value ?? []).map((bp) => ({ name: `${bp.CardCode} – ${bp.CardName}`, value: bp.CardCode }));
	const more = body['odata.nextLink'] ?? body['@odata.nextLink'];
	return { results, paginationToken: more ? String(skip + results.length) : undefined };
}
