import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { enovaCall } from '../transport';

/**
 * Contractors for a resource locator, 100 a page. The contract filters by exact codes only (`Kody`), so a search
 * text is matched here on the page's codes and names (case-insensitive, Polish letters as they are).
 */
export async function searchContractors(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken ?? 1) || 1;
	const body = await enovaCall(this, {
		method: 'GetKontrahenci',
		args: { Strona: page, IloscNaStronie: 100 },
		policy: { maxRetries: 2 },
	});
	const text = (filter ?? '').trim().toLocaleLowerCase('pl');
	const rows = (Array.isArray(body.Kontrahenci) ? body.Kontrahenci : []) as Array<{ Kod?: unknown; Nazwa?: unknown }>;
	const results = rows
		.filter((k) => !text || `${String(k.Kod)} ${String(k.Nazwa ?? '')}`.toLocaleLowerCase('pl').includes(text))
		.map((k) => ({ name: `${String(k.Kod)} – ${String(k.Nazwa ?? '')}`, value: String(k.Kod) }));
	return { results, paginationToken: body.CzyJestNastepna === true ? String(page + 1) : undefined };
}
