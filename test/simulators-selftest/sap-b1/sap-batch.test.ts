/**
 * $batch of the SAP B1 simulator: multipart/mixed, atomic change sets, no GET in a change set,
 * processing stops at the first failure, errors in each part's body, If-Match not checked.
 */
import { startSapSimulator, type SapSimulator } from '../../simulators/sap-b1/server';
import { login, sl } from './helpers';

let sim: SapSimulator;
let cookie: string;

beforeAll(async () => {
	sim = await startSapSimulator({ loginDelayMs: 0, clock: { start: '2026-11-26T09:00:00Z', frozen: true } });
});
afterAll(() => sim.close());
beforeEach(async () => {
	sim.reset();
	cookie = await login(sim);
	for (const code of ['TW-000001', 'TW-000002'])
		Object.assign(sim.state.items.get(code)!, { Valid: 'tYES', Frozen: 'tNO' });
	Object.assign(sim.state.partners.get('C00001')!, { Valid: 'tYES', Frozen: 'tNO' });
});
afterEach(() => expect(sim.crashes).toEqual([]));

const order = (numAtCard: string, cardCode = 'C00001') => ({
	CardCode: cardCode,
	NumAtCard: numAtCard,
	DocDueDate: '2026-12-03',
	Comments: 'Partia zamówień — śląskie',
	DocumentLines: [{ ItemCode: 'TW-000001', Quantity: 2, UnitPrice: 10.5, WarehouseCode: '01' }],
});

function request(
	method: string,
	url: string,
	body?: unknown,
	headers: Record<string, string> = {},
	contentId?: string,
): string {
	const head = [
		'Content-Type: application/http',
		'Content-Transfer-Encoding: binary',
		...(contentId ? [`Content-ID: ${contentId}`] : []),
	];
	const h = Object.entries({ ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers }).map(
		([k, v]) => `${k}: ${v}`,
	);
	return [...head, '', `${method} ${url} HTTP/1.1`, ...h, '', body === undefined ? '' : JSON.stringify(body)].join(
		'\r\n',
	);
}

function changeset(boundary: string, parts: string[]): string {
	return [
		`Content-Type: multipart/mixed;boundary=${boundary}`,
		'',
		...parts.map((p) => `--${boundary}\r\n${p}`),
		`--${boundary}--`,
	].join('\r\n');
}

function batch(boundary: string, parts: string[]): string {
	return parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('') + `--${boundary}--\r\n`;
}

async function send(
	body: string,
	boundary = 'batch_36522ad7-fc75-4b56-8c71-56071383e77b',
	version: 'v1' | 'v2' = 'v1',
) {
	return sl(sim, 'POST', '/$batch', {
		cookie,
		version,
		body,
		headers: { 'Content-Type': `multipart/mixed;boundary=${boundary}` },
	});
}

/** status codes of the answered parts in order (change set parts flattened), with their bodies */
function parts(text: string): { status: number; contentId?: string; json?: any }[] {
	const out: { status: number; contentId?: string; json?: any }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
	const re = /(?:Content-ID: (\S+)\r\n)?\r\nHTTP\/1\.1 (\d{3})[^\r\n]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*?)\r\n--/g;
	for (const m of text.matchAll(re)) {
		let json: unknown;
		try {
			json = m[4] ? JSON.parse(m[4]) : undefined;
		} catch {
			json = m[4];
		}
		out.push({ status: Number(m[2]), ...(m[1] ? { contentId: m[1] } : {}), json });
	}
	return out;
}

test('a batch with a GET and a change set: 202 multipart answer, parts in order, If-Match ignored inside', async () => {
	const existing = await sl(sim, 'POST', '/Orders', { cookie, body: order('B2B/2026/000001') });
	const body = batch('batch_1', [
		request('GET', "/b1s/v1/Items('TW-000001')?$select=ItemCode,ItemName"),
		changeset('changeset_1', [
			request('POST', 'Orders', order('B2B/2026/000002'), {}, '1'),
			request(
				'PATCH',
				`Orders(${existing.json.DocEntry})`,
				{ Comments: 'Zmienione w partii' },
				{ 'If-Match': 'W/"STALE"' },
				'2',
			),
		]),
		request('GET', `/b1s/v1/Orders?$filter=NumAtCard%20eq%20'B2B%2F2026%2F000002'&$select=DocEntry,Comments`),
	]);
	const a = await send(body, 'batch_1');
	expect(a.status).toBe(202);
	expect(a.headers.get('content-type')).toMatch(/^multipart\/mixed;boundary=batchresponse_[0-9a-f-]{36}$/);
	const p = parts(a.text);
	expect(p.map((x) => x.status)).toEqual([200, 201, 204, 200]);
	expect(p[0].json).toMatchObject({ ItemCode: 'TW-000001' });
	expect(p[1]).toMatchObject({
		contentId: '1',
		json: { NumAtCard: 'B2B/2026/000002', Comments: 'Partia zamówień — śląskie' },
	});
	expect(p[2].contentId).toBe('2');
	expect(p[3].json.value).toEqual([{ DocEntry: p[1].json.DocEntry, Comments: 'Partia zamówień — śląskie' }]);
	expect(sim.state.docs.Orders.get(existing.json.DocEntry)!.Comments).toBe('Zmienione w partii');
	expect(a.text).toContain('Content-Type: multipart/mixed;boundary=changesetresponse_');
	expect(sim.requests.at(-1)).toMatchObject({ path: '/$batch', status: 202, batchParts: 4 });
});

test('a change set is atomic: one failure rolls back every change of it; processing stops there', async () => {
	const committed = sim.state.stockOf('TW-000001', '01').Committed;
	const nextEntry = sim.state.counters.Orders.entry;
	const body = batch('b', [
		changeset('c', [
			request('POST', 'Orders', order('B2B/2026/000010'), {}, '1'),
			request('POST', 'Orders', order('B2B/2026/000011', 'C99999'), {}, '2'),
		]),
		request('GET', "Items('TW-000001')"),
	]);
	const a = await send(body, 'b');
	expect(a.status).toBe(202);
	const p = parts(a.text);
	expect(p).toEqual([
		{
			status: 400,
			contentId: '2',
			json: { error: { code: -10, message: { lang: 'en-us', value: "Invalid BP code [ORDR.CardCode] , 'C99999'" } } },
		},
	]);
	expect(sim.state.findOrdersByNumAtCard('B2B/2026/000010')).toEqual([]);
	expect(sim.state.stockOf('TW-000001', '01').Committed).toBe(committed);
	expect(sim.state.counters.Orders.entry).toBe(nextEntry);
	const after = await sl(sim, 'POST', '/Orders', { cookie, body: order('B2B/2026/000012') });
	expect(after.json.DocEntry).toBe(nextEntry);
	expect((await sl(sim, 'GET', `/Orders?$filter=NumAtCard eq 'B2B/2026/000010'`, { cookie })).json.value).toEqual([]);
});

test('a failing single request stops the batch: later parts are not executed', async () => {
	const body = batch('b', [
		request('GET', "Items('NIE-MA')"),
		changeset('c', [request('POST', 'Orders', order('B2B/2026/000020'))]),
	]);
	const p = parts((await send(body, 'b')).text);
	expect(p.map((x) => x.status)).toEqual([404]);
	expect(p[0].json.error.code).toBe(-2028);
	expect(sim.state.findOrdersByNumAtCard('B2B/2026/000020')).toEqual([]);
});

test('GET is not allowed inside a change set', async () => {
	const body = batch('b', [
		changeset('c', [request('POST', 'Orders', order('B2B/2026/000030')), request('GET', 'Items')]),
	]);
	const p = parts((await send(body, 'b')).text);
	expect(p.map((x) => x.status)).toEqual([400]);
	expect(p[0].json.error.message.value).toBe('GET requests are not allowed in a change set');
	expect(sim.state.findOrdersByNumAtCard('B2B/2026/000030')).toEqual([]);
});

test('v2 batch, absolute URLs, UTF-8 bodies; malformed batches and missing sessions', async () => {
	const body = batch('b2', [
		changeset('c2', [
			request('POST', `${sim.urlV2}/Orders`, { ...order('B2B/2026/000040'), Comments: 'Zażółć gęślą jaźń' }),
		]),
	]);
	const a = await send(body, 'b2', 'v2');
	expect(a.headers.get('odata-version')).toBe('4.0');
	const p = parts(a.text);
	expect(p[0].status).toBe(201);
	expect(p[0].json['@odata.etag']).toMatch(/^W\//);
	expect(p[0].json.Comments).toBe('Zażółć gęślą jaźń');
	expect(p[0].json.DocDate).toBe('2026-11-26T00:00:00Z');
	const noBoundary = await sl(sim, 'POST', '/$batch', {
		cookie,
		body: 'x',
		headers: { 'Content-Type': 'multipart/mixed' },
	});
	expect([noBoundary.status, noBoundary.json.error.code]).toEqual([400, -1000]);
	const wrongVersion = await send(batch('b3', [request('GET', '/b1s/v2/Items')]), 'b3', 'v1');
	expect(wrongVersion.status).toBe(400);
	const noSession = await sl(sim, 'POST', '/$batch', {
		body,
		headers: { 'Content-Type': 'multipart/mixed;boundary=b2' },
	});
	expect(noSession.status).toBe(401);
	const nested = parts((await send(batch('b4', [request('POST', 'Login', { CompanyDB: 'SBODEMOPL' })]), 'b4')).text);
	expect(nested[0].status).toBe(400);
});
