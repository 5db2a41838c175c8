/**
 * Pagination as a stream of pages: the caller gives how to fetch a page for a cursor and gets an async
 * iterator, so 100,000 records never sit in memory at once unless the caller collects them.
 * Works for opaque cursors (portal), next links (SAP `odata.nextLink`) and skip/top offsets.
 */
export interface Page<T, C> {
	items: T[];
	/** cursor of the next page, undefined at the end */
	next?: C;
}

export async function* paginate<T, C>(
	first: C | undefined,
	fetchPage: (cursor: C | undefined, pageIndex: number) => Promise<Page<T, C>>,
	maxPages = Number.POSITIVE_INFINITY,
): AsyncGenerator<Page<T, C>> {
	let cursor = first;
	const seen = new Set<string>();
	for (let pageIndex = 0; pageIndex < maxPages; pageIndex++) {
		const page = await fetchPage(cursor, pageIndex);
		yield page;
		if (page.next === undefined) return;
		const key = JSON.stringify(page.next);
		if (seen.has(key))
			throw new Error(`the server sent the same next-page cursor twice (${key}); stopping to avoid an endless loop`);
		seen.add(key);
		cursor = page.next;
	}
}

export async function collectPages<T, C>(pages: AsyncIterable<Page<T, C>>): Promise<{ items: T[]; last?: C }> {
	const items: T[] = [];
	let last: C | undefined;
	for await (const page of pages) {
		items.push(...page.items);
		if (page.next !== undefined) last = page.next;
	}
	return { items, last };
}
