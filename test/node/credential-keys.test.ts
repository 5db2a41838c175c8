/**
 * API keys sent in HTTP headers (B2B Portal, Subiekt bridge): a key an HTTP header cannot carry is refused with
 * an error naming the credential field and what is wrong, never the key; nothing is sent. A key pasted with a
 * line break or spaces around it works.
 */
import { SubiektBridgeApi } from '../../credentials/SubiektBridgeApi.credentials';
import { headerSecret } from '../../nodes/shared/transport/headerSecret';
import { SubiektGt } from '../../nodes/SubiektGt/SubiektGt.node';
import { runNode, type RunNodeResult } from '../harness/n8n-core-harness';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { startBridgeSimulator, type BridgeSimulator } from '../simulators/subiekt-bridge/server';
import { FAST_RETRY, runPortal } from './portal-helpers';

let portal: PortalSimulator;
let bridge: BridgeSimulator;
beforeAll(async () => {
	[portal, bridge] = await Promise.all([startPortalSimulator(), startBridgeSimulator()]);
});
afterAll(async () => Promise.all([portal?.close(), bridge?.close()]));
beforeEach(() => portal.reset());

/** everything the run gave back, as text: the error's message, description and fields, and the output */
const allText = (r: RunNodeResult) =>
	JSON.stringify({ error: r.error, message: r.error?.message, ...r.error, output: r.output });

const stock = { productCode: 'ŁÓD-001', warehouseCode: 'MAG-ŁÓDŹ', onHand: '5', reserved: '0', available: '5' };

describe('API keys in HTTP headers', () => {
	it.each([
		['klucz-żółty-7731', /API Key contains a letter or sign outside ASCII/],
		['abc\u2013def-7731', /API Key contains a letter or sign outside ASCII/],
		['abc def-7731', /API Key contains a space/],
		['abc\u0000def-7731', /API Key contains a control character/],
	])('the portal node refuses the key %j before sending anything, naming the field, not the key', async (key, why) => {
		for (const authType of ['apiKey', 'bearer']) {
			const r = await runPortal(
				portal,
				{ resource: 'stock', operation: 'upsert', source: 'items', options: FAST_RETRY },
				{ items: [{ json: stock }], apiKey: key, authType },
			);
			expect(r.error?.message ?? '').toMatch(why);
			expect(allText(r)).not.toContain('7731');
			expect(portal.requests).toEqual([]);
		}
	});

	it('a key pasted with spaces or a line break around it is sent without them', async () => {
		const r = await runPortal(
			portal,
			{ resource: 'stock', operation: 'upsert', source: 'items', options: FAST_RETRY },
			{ items: [{ json: stock }], apiKey: `  ${portal.apiKey}\r\n` },
		);
		expect(r.error).toBeUndefined();
		expect(portal.state.stock.size).toBe(1);
	});

	it('the Subiekt bridge credential refuses a non-ASCII key the same way', async () => {
		const r = await runNode({
			nodeType: new SubiektGt(),
			parameters: {
				resource: 'order',
				operation: 'getStatus',
				orderNumber: 'B2B/2026/000001',
				options: FAST_RETRY,
			} as never,
			inputItems: [{ json: {} }],
			credentials: {
				subiektBridgeApi: { type: new SubiektBridgeApi(), data: { baseUrl: bridge.url, apiKey: 'mostek-ąę-7731' } },
			},
		});
		expect(r.error?.message ?? '').toMatch(/API Key contains a letter or sign outside ASCII/);
		expect(allText(r)).not.toContain('7731');
		expect(bridge.requests.length).toBe(0);
	});

	it('an empty key is named as such', () => {
		expect(() => headerSecret('  ', 'API Key')).toThrow('API Key is empty: fill it in the credential');
		expect(headerSecret('\tabc-DEF_123~!\n', 'API Key')).toBe('abc-DEF_123~!');
	});
});
