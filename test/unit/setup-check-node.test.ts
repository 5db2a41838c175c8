/**
 * B2B Sync Guard → Set-up → Check (the set-up check inside n8n, issue #20) without n8n: the n8n API adapter over
 * a fake httpRequestWithAuthentication (the origin from the credential's Base URL, no redirect to another host, the
 * key in no error) and the operation's items over a fake n8n public API.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { PROBE_NAME_PREFIX } from '../../cli/check/probe';
import { loadTemplate, startsOnlyByHand, WATCHDOG_FILES } from '../../cli/template-set';
import { execute } from '../../nodes/B2bSyncGuard/actions/setup/check.operation';
import { n8nApiFromCredential } from '../../nodes/B2bSyncGuard/actions/setup/n8nApi';

const KEY = 'n8n_api_SEKRET-żółw-0123456789';

interface Answer {
	statusCode: number;
	body?: unknown;
	headers?: Record<string, string>;
}

/** What the fake n8n answers: by "METHOD url"; every request is recorded. */
function fakeContext(
	answer: (method: string, url: string, options: IHttpRequestOptions) => Answer | Promise<Answer>,
	opts: { baseUrl?: string; params?: IDataObject } = {},
) {
	const requests: Array<{ type: string; options: IHttpRequestOptions }> = [];
	const ctx = {
		getNode: () => ({
			name: 'Check set-up',
			type: 'n8n-nodes-erp-b2b.b2bSyncGuard',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
			id: 'n1',
			credentials: { n8nApi: { id: '7', name: 'n8n API (erp-b2b set-up check)' } },
		}),
		getCredentials: async (type: string) => {
			expect(type).toBe('n8nApi');
			return { apiKey: KEY, baseUrl: opts.baseUrl ?? 'http://n8n.example:5678/api/v1/' };
		},
		getNodeParameter: (name: string, _i: number, fallback?: unknown) =>
			opts.params && name in opts.params ? opts.params[name] : fallback,
		continueOnFail: () => false,
		helpers: {
			async httpRequestWithAuthentication(this: unknown, type: string, options: IHttpRequestOptions) {
				requests.push({ type, options });
				const a = await answer(String(options.method), String(options.url), options);
				return { body: a.body, headers: a.headers ?? {}, statusCode: a.statusCode, statusMessage: '' };
			},
		},
	};
	return { ctx: ctx as unknown as IExecuteFunctions, requests };
}

async function errorOf(p: Promise<unknown>): Promise<NodeOperationError> {
	try {
		await p;
	} catch (error) {
		return error as NodeOperationError;
	}
	throw new Error('expected an error');
}

/** Every text an error carries to n8n's UI and logs. */
const texts = (e: NodeOperationError) => `${e.message}\n${e.description ?? ''}\n${JSON.stringify(e)}`;

describe('the n8n API adapter (n8n API credential)', () => {
	it("n8n's origin from the credential's Base URL; calls /api/v1 with the credential, redirects not left to the helper", async () => {
		const { ctx, requests } = fakeContext(() => ({ statusCode: 200, body: { data: [{ id: 'a' }], nextCursor: null } }));
		const api = await n8nApiFromCredential(ctx);
		expect(api.baseUrl).toBe('http://n8n.example:5678');
		expect(await api.list('/workflows', { tags: 'erp-b2b' })).toEqual([{ id: 'a' }]);
		expect(requests).toHaveLength(1);
		expect(requests[0].type).toBe('n8nApi');
		expect(requests[0].options).toMatchObject({
			method: 'GET',
			url: 'http://n8n.example:5678/api/v1/workflows?tags=erp-b2b&limit=250',
			disableFollowRedirect: true,
			returnFullResponse: true,
		});
		// the key is added by n8n's authentication of the credential, never by this code
		expect(JSON.stringify(requests[0].options)).not.toContain(KEY);
	});

	it('a POST body is sent as JSON, also an empty one (the helper drops an empty object)', async () => {
		const { ctx, requests } = fakeContext(() => ({ statusCode: 200, body: '{"status":"OK"}' }));
		const api = await n8nApiFromCredential(ctx);
		const r = await api.call('POST', '/credentials/12%2F3/test', {});
		expect(r).toEqual({ status: 200, body: { status: 'OK' }, text: '{"status":"OK"}' });
		expect(requests[0].options).toMatchObject({
			body: '{}',
			headers: { 'content-type': 'application/json' },
			url: 'http://n8n.example:5678/api/v1/credentials/12%2F3/test',
		});
	});

	it('a redirect to another host is refused, not followed, and the key is named nowhere', async () => {
		const { ctx, requests } = fakeContext((_m, url) =>
			url.startsWith('http://n8n.example:5678/')
				? { statusCode: 302, headers: { Location: 'https://evil.example/api/v1/workflows' } }
				: { statusCode: 200, body: { data: [] } },
		);
		const api = await n8nApiFromCredential(ctx);
		const e = await errorOf(api.call('GET', '/workflows?limit=1'));
		expect(e).toBeInstanceOf(NodeOperationError);
		expect(e.message).toContain('redirect to https://evil.example: not followed, the API key would go to another host');
		expect(requests.map((r) => r.options.url)).toEqual(['http://n8n.example:5678/api/v1/workflows?limit=1']);
		expect(texts(e)).not.toContain(KEY);
	});

	it('a redirect on the same host is followed (a few times at most)', async () => {
		const { ctx, requests } = fakeContext((_m, url) =>
			url.includes('/old/')
				? { statusCode: 200, body: { ok: 1 } }
				: { statusCode: 308, headers: { location: '/old/api/v1/workflows' } },
		);
		const api = await n8nApiFromCredential(ctx);
		expect((await api.call('GET', '/workflows')).body).toEqual({ ok: 1 });
		expect(requests.map((r) => r.options.url)).toEqual([
			'http://n8n.example:5678/api/v1/workflows',
			'http://n8n.example:5678/old/api/v1/workflows',
		]);
		const loop = fakeContext(() => ({ statusCode: 302, headers: { location: '/api/v1/again' } }));
		const e = await errorOf((await n8nApiFromCredential(loop.ctx)).call('GET', '/workflows'));
		expect(e.message).toContain('round in circles');
		expect(loop.requests).toHaveLength(4);
	});

	it('the key is in no error: a failed request, an answer that echoes it, a 401', async () => {
		const thrown = fakeContext(() => {
			throw new Error(`socket hang up (headers: X-N8N-API-KEY=${KEY})`);
		});
		const e1 = await errorOf((await n8nApiFromCredential(thrown.ctx)).call('GET', '/workflows'));
		expect(e1.message).toContain(
			'Cannot reach n8n at http://n8n.example:5678 (credential "n8n API (erp-b2b set-up check)")',
		);
		expect(texts(e1)).not.toContain(KEY);

		const refused = fakeContext(() => {
			throw Object.assign(new Error(`connect ECONNREFUSED (key ${KEY})`), { code: 'ECONNREFUSED' });
		});
		const e2 = await errorOf((await n8nApiFromCredential(refused.ctx)).call('GET', '/workflows'));
		expect(e2.message).toMatch(/connection refused/);
		expect(texts(e2)).not.toContain(KEY);

		const echo = fakeContext(() => ({ statusCode: 400, body: { message: `bad key ${KEY}` } }));
		const r = await (await n8nApiFromCredential(echo.ctx)).call('GET', '/workflows');
		expect(r.status).toBe(400);
		expect(JSON.stringify(r)).not.toContain(KEY);
		expect(r.body.message).toBe('bad key [API key]');

		const unauthorised = fakeContext(() => ({ statusCode: 401, body: { message: `unauthorized ${KEY}` } }));
		const e3 = await errorOf((await n8nApiFromCredential(unauthorised.ctx)).call('GET', '/workflows'));
		expect(e3.message).toContain('refused the API key of the credential "n8n API (erp-b2b set-up check)" (401)');
		expect(texts(e3)).not.toContain(KEY);
	});

	it('a Base URL that is not the public API (no /api/v1) is refused naming it, with the fix', async () => {
		const { ctx, requests } = fakeContext(() => ({ statusCode: 200 }), { baseUrl: 'http://localhost:5678' });
		const e = await errorOf(n8nApiFromCredential(ctx));
		expect(e.message).toBe(
			'The Base URL "http://localhost:5678" of the credential "n8n API (erp-b2b set-up check)" is not n8n\'s public API (it ends in /api/v1)',
		);
		expect(e.description).toContain('http://localhost:5678/api/v1');
		expect(requests).toEqual([]);
	});
});

describe('Set-up → Check (the operation)', () => {
	const WORKFLOWS = [
		{
			id: 'w1',
			name: 'SAP B1 → portal: stock',
			nodes: [
				{
					name: 'SAP: stock',
					type: 'n8n-nodes-erp-b2b.sapB1',
					parameters: {},
					credentials: { sapB1Api: { id: 's1', name: 'SAP – spółka' } },
				},
				{
					// (not the portal's: its clock is read through a temporary workflow, which this fake n8n does not run)
					name: 'Archive on FTP',
					type: 'n8n-nodes-base.ftp',
					parameters: {},
					credentials: { ftp: { id: 'f1', name: 'FTP' } },
				},
			],
		},
		// a temporary check workflow someone tagged: never checked (its credential would be tested otherwise)
		{
			id: 'w2',
			name: `${PROBE_NAME_PREFIX} SAP – inna`,
			nodes: [
				{
					name: 'SAP',
					type: 'n8n-nodes-erp-b2b.sapB1',
					parameters: {},
					credentials: { sapB1Api: { id: 's9', name: 'SAP – inna' } },
				},
			],
		},
	];
	const n8nApi = (sapAnswer: IDataObject) => (method: string, url: string) => {
		const u = new URL(url);
		if (method === 'GET' && u.pathname === '/api/v1/workflows') {
			expect(u.searchParams.get('tags')).toBe('erp-b2b-test');
			return { statusCode: 200, body: { data: WORKFLOWS, nextCursor: null } };
		}
		if (method === 'POST' && u.pathname === '/api/v1/credentials/s1/test') return { statusCode: 200, body: sapAnswer };
		if (method === 'POST' && u.pathname === '/api/v1/credentials/f1/test')
			return { statusCode: 200, body: { status: 'OK' } };
		throw new Error(`unexpected ${method} ${url}`);
	};
	const input: INodeExecutionData[] = [{ json: {} }];

	it("one item per row, in the check's order (credentials by type, then name), {ok, check, workflow, detail, fixPl, fixEn}, paired with the input", async () => {
		const { ctx, requests } = fakeContext(n8nApi({ status: 'Error', message: 'SAP B1 login failed (401)' }), {
			params: { tag: 'erp-b2b-test', failOnAny: false },
		});
		const [out] = await execute.call(ctx, input);
		expect(out).toEqual([
			{
				json: {
					ok: true,
					unverified: false,
					check: 'credential ftp "FTP" (f1)',
					workflow: 'SAP B1 → portal: stock',
					detail: 'connects',
					fixPl: '',
					fixEn: '',
				},
				pairedItem: { item: 0 },
			},
			{
				json: {
					ok: false,
					unverified: false,
					check: 'credential sapB1Api "SAP – spółka" (s1)',
					workflow: 'SAP B1 → portal: stock',
					detail: 'SAP B1 login failed (401)',
					fixPl: expect.stringContaining('Otwórz w n8n dane logowania "SAP – spółka" (Credentials)'),
					fixEn: expect.stringContaining('Open the credential "SAP – spółka" in n8n'),
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(requests.map((r) => r.options.url)).not.toContain('http://n8n.example:5678/api/v1/credentials/s9/test');
	});

	it('Fail When Any Check Fails: a ✗ stops the run listing each ✗ row with its fixes; all ✓ passes', async () => {
		const failing = fakeContext(n8nApi({ status: 'Error', message: 'SAP B1 login failed (401)' }), {
			params: { tag: 'erp-b2b-test', failOnAny: true },
		});
		const e = await errorOf(execute.call(failing.ctx, input));
		expect(e).toBeInstanceOf(NodeOperationError);
		expect(e.message).toBe(
			'1 of 2 set-up checks failed (✗): credential sapB1Api "SAP – spółka" (s1) [SAP B1 → portal: stock]: SAP B1 login failed (401)',
		);
		expect(e.description).toContain('PL: Otwórz w n8n dane logowania "SAP – spółka"');
		expect(e.description).toContain('EN: Open the credential "SAP – spółka"');

		const passing = fakeContext(n8nApi({ status: 'OK' }), { params: { tag: 'erp-b2b-test', failOnAny: true } });
		const [out] = await execute.call(passing.ctx, input);
		expect(out.map((i) => i.json.ok)).toEqual([true, true]);
	});

	it('Fail When Any Check Fails keeps its message when a row names ECONNREFUSED (n8n would swap it for a generic one)', async () => {
		const { ctx } = fakeContext(n8nApi({ status: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:50000' }), {
			params: { tag: 'erp-b2b-test', failOnAny: true },
		});
		const e = await errorOf(execute.call(ctx, input));
		expect(e.message).toBe(
			'1 of 2 set-up checks failed (✗): credential sapB1Api "SAP – spółka" (s1) [SAP B1 → portal: stock]: connect ECONNREFUSED 127.0.0.1:50000',
		);
	});

	it('no workflow with the tag: an error naming the tag and n8n', async () => {
		const { ctx } = fakeContext(() => ({ statusCode: 200, body: { data: [], nextCursor: null } }), {
			params: { tag: 'inny-tag' },
		});
		const e = await errorOf(execute.call(ctx, input));
		expect(e).toBeInstanceOf(NodeOperationError);
		expect(e.message).toContain('n8n at http://n8n.example:5678 has no workflows tagged "inny-tag"');
	});
});

describe('setup --activate leaves what starts only by hand', () => {
	const node = (type: string, disabled?: boolean) => ({
		name: type,
		type,
		parameters: {},
		...(disabled ? { disabled } : {}),
	});
	it('Check set-up starts only by hand; the watchdog, a webhook flow and the parts do not', () => {
		expect(startsOnlyByHand(loadTemplate(WATCHDOG_FILES.checkSetup))).toBe(true);
		expect(startsOnlyByHand(loadTemplate(WATCHDOG_FILES.watchdog))).toBe(false);
		expect(startsOnlyByHand(loadTemplate(WATCHDOG_FILES.errorAlert))).toBe(false);
		expect(startsOnlyByHand({ nodes: [node('n8n-nodes-base.manualTrigger'), node('n8n-nodes-base.webhook')] })).toBe(
			false,
		);
		expect(
			startsOnlyByHand({ nodes: [node('n8n-nodes-base.manualTrigger'), node('n8n-nodes-base.scheduleTrigger', true)] }),
		).toBe(true);
		expect(startsOnlyByHand({ nodes: [node('n8n-nodes-base.set')] })).toBe(false);
	});
});
