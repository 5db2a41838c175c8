/**
 * slPages (nodes/SapB1/transport): paging by SAP's next links, and "read ahead" — the next page asked for while
 * the caller works on this one — with the order of events recorded by a fake n8n context (no timing involved).
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { slPages } from '../../nodes/SapB1/transport';

/** A context whose HTTP helper answers page N of `pages` (2 records each) when the caller lets it. */
function fakeSap(pages: number, events: string[]) {
	const waiting: Array<() => void> = [];
	const ctx = {
		// a stored session, as after the first login (an empty one would make the first request log in alone)
		getCredentials: async () => ({ serviceLayerUrl: 'http://127.0.0.1:1/b1s/v1', session: 'B1SESSION=źdźbło' }),
		getNode: () => ({ name: 'SAP B1', credentials: { sapB1Api: { id: 'cred-1', name: 'SAP B1' } } }),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: { url: string }) => {
				const skip = Number(/\$skip=(\d+)/.exec(decodeURIComponent(options.url))?.[1] ?? 0);
				events.push(`request ${skip}`);
				await new Promise<void>((resolve) => waiting.push(resolve));
				const last = skip / 2 + 1 >= pages;
				return {
					statusCode: 200,
					headers: {},
					body: {
						value: [{ ItemCode: `Ł-${skip}` }, { ItemCode: `Ż-${skip + 1}` }],
						...(last ? {} : { 'odata.nextLink': `Items?$skip=${skip + 2}` }),
					},
				};
			},
		},
	} as unknown as IExecuteFunctions;
	/** answers every request made so far */
	const answer = async () => {
		for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
		while (waiting.length) waiting.shift()!();
	};
	return { ctx, answer };
}

async function read(readAhead: boolean, pages: number) {
	const events: string[] = [];
	const { ctx, answer } = fakeSap(pages, events);
	const codes: string[] = [];
	const it = slPages(ctx, 'Items', { pageSize: 2, readAhead })[Symbol.asyncIterator]();
	for (;;) {
		const next = it.next();
		await answer();
		const r = await next;
		if (r.done) break;
		events.push(`got ${r.value.skip}`);
		await answer(); // the caller works on the page: anything asked for meanwhile is answered
		codes.push(...r.value.items.map((i) => String(i.ItemCode)));
	}
	return { events, codes };
}

describe('SAP B1 paging', () => {
	it('without read ahead: the next page is asked for only when the caller wants it', async () => {
		const { events, codes } = await read(false, 3);
		expect(events).toEqual(['request 0', 'got 0', 'request 2', 'got 2', 'request 4', 'got 4']);
		expect(codes).toEqual(['Ł-0', 'Ż-1', 'Ł-2', 'Ż-3', 'Ł-4', 'Ż-5']);
	});

	it('with read ahead: the next page is asked for before the caller gets this one; same pages, none extra', async () => {
		const { events, codes } = await read(true, 3);
		expect(events).toEqual(['request 0', 'request 2', 'got 0', 'request 4', 'got 2', 'got 4']);
		expect(codes).toEqual(['Ł-0', 'Ż-1', 'Ł-2', 'Ż-3', 'Ł-4', 'Ż-5']);
	});

	it.each([false, true])(
		'a next link that does not advance stops the read after that page (read ahead %p)',
		async (readAhead) => {
			const requests: string[] = [];
			const ctx = {
				// a stored session, as after the first login (an empty one would make the first request log in alone)
				getCredentials: async () => ({ serviceLayerUrl: 'http://127.0.0.1:1/b1s/v1', session: 'B1SESSION=źdźbło' }),
				getNode: () => ({ name: 'SAP B1', credentials: { sapB1Api: { id: 'cred-1', name: 'SAP B1' } } }),
				helpers: {
					httpRequestWithAuthentication: async (_type: string, options: { url: string }) => {
						requests.push(options.url);
						return {
							statusCode: 200,
							headers: {},
							body: { value: [{ ItemCode: 'Ś' }], 'odata.nextLink': 'Items?$skip=0' },
						};
					},
				},
			} as unknown as IExecuteFunctions;
			const got: number[] = [];
			await expect(
				(async () => {
					for await (const page of slPages(ctx, 'Items', { pageSize: 1, readAhead })) got.push(page.items.length);
				})(),
			).rejects.toThrow('SAP sent a next link that does not advance ($skip=0 after 0)');
			expect(got).toEqual([1]);
			expect(requests).toHaveLength(1);
		},
	);
});
