/**
 * Static checks of workflows-templates/business-central/: every catalogue template is its SAP twin
 * (workflows-templates/sap-b1/) with the Business Central node in place of SAP's — the same node names for the same
 * steps ("SAP: all stock" → "Business Central: all stock"), the same triggers, guards, heartbeat, wiring and
 * positions — so a consultant who set up one sets up the other without reading the notes. What is Business Central's
 * own is held here: every Business Central node's parameters exist in the node's description (n8n drops an unknown
 * name without a word), the credential is bound by type only (the online one; on-premises is the node's
 * Authentication), stock is read per location through the Item Card page, prices include the price list lines of
 * the custom API, clients their price group, and what the notes tell a consultant to open exists in the node.
 * The webhook variant of products is the polling template with Business Central's change webhook in place of the
 * 30-minute schedule, and a daily keep-alive GET so a quiet week does not let the subscription lapse.
 * The real runs are in test/e2e/business-central.e2e.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { INodeProperties } from 'n8n-workflow';
import { BusinessCentral } from '../../nodes/BusinessCentral/BusinessCentral.node';
import { BusinessCentralTrigger } from '../../nodes/BusinessCentralTrigger/BusinessCentralTrigger.node';
import { credentialTypes, loadTemplate } from '../../cli/template-set';

interface Node {
	name: string;
	type: string;
	onError?: string;
	alwaysOutputData?: boolean;
	parameters: Record<string, any>;
	credentials?: Record<string, { id: string; name: string }>;
	position: [number, number];
}
interface Template {
	name: string;
	nodes: Node[];
	connections: Record<string, { main: Array<Array<{ node: string; index: number }>> }>;
	settings: Record<string, unknown>;
}
const ROOT = path.join(__dirname, '../../workflows-templates');
const load = (file: string) => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as Template;
const FLOWS = ['products', 'prices', 'stock', 'clients'] as const;
const BC = 'n8n-nodes-erp-b2b.businessCentral';
const STICKY = 'n8n-nodes-base.stickyNote';
const NODE = new BusinessCentral().description;
const PROPS = NODE.properties;

/** SAP's node name → Business Central's: the ERP's word changes, the step's name does not. */
const bcName = (sap: string) => sap.replace(/^SAP:/, 'Business Central:').replaceAll('SAP', 'Business Central');

const renamedConnections = (c: Template['connections']) =>
	Object.fromEntries(
		Object.entries(c).map(([from, v]) => [
			bcName(from),
			{ main: v.main.map((out) => out.map((x) => ({ ...x, node: bcName(x.node) }))) },
		]),
	);

function shown(prop: INodeProperties, params: Record<string, unknown>): boolean {
	for (const [key, allowed] of Object.entries(prop.displayOptions?.show ?? {})) {
		if (key.startsWith('@')) continue;
		const value = key in params ? params[key] : PROPS.find((p) => p.name === key)?.default;
		if (!(allowed as unknown[]).includes(value)) return false;
	}
	return true;
}
/** the display name of a parameter as the panel shows it for these parameters */
const label = (name: string, params: Record<string, unknown>) =>
	PROPS.find((p) => p.name === name && shown(p, params))?.displayName;
const optionName = (name: string, value: string, params: Record<string, unknown>) =>
	(PROPS.find((p) => p.name === name && shown(p, params))?.options as Array<{ name: string; value: unknown }>)?.find(
		(o) => o.value === value,
	)?.name;
const notes = (t: Template) =>
	t.nodes
		.filter((n) => n.type === STICKY)
		.map((n) => String(n.parameters.content))
		.join('\n');
const bcNodes = (t: Template) => t.nodes.filter((n) => n.type === BC);

describe.each(FLOWS)(
	'business-central/business-central-%s.json: the SAP twin with the Business Central node',
	(flow) => {
		const t = load(`business-central/business-central-${flow}.json`);
		const sap = load(`sap-b1/sap-b1-${flow}.json`);

		it('has the SAP template’s nodes (renamed), wiring, settings, and its steps where SAP has them', () => {
			expect(t.nodes.map((n) => n.name).sort()).toEqual(sap.nodes.map((n) => bcName(n.name)).sort());
			expect(t.connections).toEqual(renamedConnections(sap.connections));
			for (const n of sap.nodes) {
				const mine = t.nodes.find((x) => x.name === bcName(n.name))!;
				expect([mine.name, mine.type]).toEqual([mine.name, n.type === 'n8n-nodes-erp-b2b.sapB1' ? BC : n.type]);
				// the notes may be taller (Business Central's facts), never elsewhere; every step is where SAP has it
				if (n.type === STICKY) expect([mine.name, mine.position[0]]).toEqual([mine.name, n.position[0]]);
				else
					expect({ name: mine.name, position: mine.position, onError: mine.onError }).toEqual({
						name: mine.name,
						position: n.position,
						onError: n.onError,
					});
				if (n.type !== 'n8n-nodes-erp-b2b.sapB1' && n.type !== STICKY && !/b2bPortal$/.test(n.type))
					expect([mine.name, mine.parameters]).toEqual([mine.name, JSON.parse(bcName(JSON.stringify(n.parameters)))]);
			}
			expect(t.settings).toEqual({ executionOrder: 'v1', errorWorkflow: '' });
			expect(t.name).toBe(sap.name.replace('SAP B1', 'Business Central'));
			expect(JSON.stringify(t)).not.toMatch(/SAP|sapB1/);
		});

		it('the portal steps and the heartbeat are SAP’s, under the flow name "business-central <flow>"', () => {
			for (const n of sap.nodes.filter((x) => /b2bPortal$/.test(x.type))) {
				const mine = t.nodes.find((x) => x.name === n.name)!;
				const expected = JSON.parse(bcName(JSON.stringify(n.parameters)));
				if (n.name === 'Record run') expected.flow = `business-central ${flow}`;
				expect([n.name, mine.parameters]).toEqual([n.name, expected]);
				expect(mine.credentials).toEqual({ b2bPortalApi: { id: '', name: 'B2B Portal account' } });
			}
		});

		it('Business Central nodes: parameters the node knows, SAP’s cursor mode, batch files, the online credential by type only', () => {
			const nodes = bcNodes(t);
			expect(nodes.length).toBe(sap.nodes.filter((n) => n.type === 'n8n-nodes-erp-b2b.sapB1').length);
			for (const n of nodes) {
				for (const key of Object.keys(n.parameters))
					expect([n.name, key, PROPS.some((p) => p.name === key && shown(p, n.parameters))]).toEqual([
						n.name,
						key,
						true,
					]);
				expect(n.parameters).toMatchObject({
					resource: { products: 'product', prices: 'price', stock: 'stock', clients: 'client' }[flow],
					operation: 'getMany',
					outputMode: 'files',
					recordsPerBatch: 5000,
				});
				// Authentication left at its default: the online (SaaS) credential, the one bound below
				expect(n.parameters.authentication).toBeUndefined();
				expect(PROPS.find((p) => p.name === 'authentication')!.default).toBe('businessCentralApi');
				expect(n.credentials).toEqual({ businessCentralApi: { id: '', name: 'Business Central account' } });
				expect(n.alwaysOutputData).toBe(true);
				const twin = sap.nodes.find((x) => bcName(x.name) === n.name)!;
				expect([n.name, n.parameters.cursorMode]).toEqual([n.name, twin.parameters.cursorMode]);
			}
		});

		it('the set-up command binds a Business Central and a portal account, nothing else', () => {
			const types = credentialTypes([loadTemplate(`business-central/business-central-${flow}.json`)]);
			expect([...types.required].sort()).toEqual(['b2bPortalApi', 'businessCentralApi']);
			expect([...types.optional]).toEqual([]);
			expect(NODE.credentials!.map((c) => c.name)).toEqual(
				expect.arrayContaining(['businessCentralApi', 'businessCentralOnPremApi']),
			);
		});

		it('its notes name docs that exist and the node’s own labels for what they tell you to change', () => {
			const text = notes(t);
			for (const doc of new Set(text.match(/docs\/[\w.-]+\.md/g) ?? []))
				expect([doc, existsSync(path.join(ROOT, '..', doc))]).toEqual([doc, true]);
			const params = bcNodes(t)[0].parameters;
			expect(text).toContain(
				`*Authentication* → *${optionName('authentication', 'businessCentralOnPremApi', params)!.replace(/ \(.*$/, '')}*`,
			);
			expect(text).toContain('*Business Central* and *B2B Portal* accounts');
			expect(text).not.toMatch(/SAP|enova/);
		});
	},
);

describe('business-central-stock.json: per location, levels compared (receipts do not change the item)', () => {
	const t = load('business-central/business-central-stock.json');
	const reads = bcNodes(t);

	it('both reads take every location through the Item Card page; the 5-minute read compares levels', () => {
		expect(reads.map((n) => n.name).sort()).toEqual([
			'Business Central: all stock',
			'Business Central: stock changed since last run',
		]);
		for (const n of reads)
			expect(n.parameters).toMatchObject({ stockSource: 'perLocation', locations: [], itemCardService: 'ItemCard' });
		const stored = reads.find((n) => n.parameters.cursorMode === 'stored')!;
		expect(PROPS.find((p) => p.name === 'cursorMode' && shown(p, stored.parameters))!.options).toContainEqual(
			expect.objectContaining({
				value: 'stored',
				description: expect.stringMatching(/compared with the one sent last time/),
			}),
		);
		// the node's own default for the service is the one the notes name
		expect(PROPS.find((p) => p.name === 'itemCardService')!.default).toBe('ItemCard');
	});

	it('its notes say what a BC admin must publish, why no change stamp is trusted, and the fallback to the total', () => {
		const text = notes(t);
		const params = reads[0].parameters;
		expect(text).toContain('page 30 *Item Card* published as the web service *ItemCard* (docs/business-central.md)');
		expect(text).toMatch(/does not change the item's \*lastModifiedDateTime\*, so no change stamp is trusted/);
		expect(text).toContain(`*${label('locations', params)}* in both Business Central nodes (empty = all)`);
		const total = { ...params, stockSource: 'total' };
		expect(text).toContain(
			`*${label('stockSource', params)}* → *${optionName('stockSource', 'total', params)}* in both Business Central nodes`,
		);
		expect(text).toContain(
			`as warehouse *${PROPS.find((p) => p.name === 'totalWarehouse' && shown(p, total))!.default}*`,
		);
		// the Item Card has no reserved figure: the note must not promise one
		expect(text).toContain('*reserved* is 0');
		expect(text).not.toMatch(/reserved\*? \(committed|held by customer orders/);
	});
});

describe('business-central-prices.json: unit prices and the price list lines of the custom API', () => {
	const t = load('business-central/business-central-prices.json');

	it('both reads send unit prices and every kind of price list line', () => {
		for (const n of bcNodes(t))
			expect(n.parameters).toMatchObject({
				includeUnitPrice: true,
				allCustomersList: 'BASE',
				includePriceListLines: true,
				sourceTypes: ['allCustomers', 'customer', 'customerPriceGroup'],
			});
		const sources = PROPS.find((p) => p.name === 'sourceTypes')!;
		expect((sources.options as Array<{ value: string }>).map((o) => o.value).sort()).toEqual(
			['allCustomers', 'customer', 'customerPriceGroup'].sort(),
		);
	});

	it('its notes name the switches by the node’s labels and the custom API’s doc', () => {
		const text = notes(t);
		const params = bcNodes(t)[0].parameters;
		for (const name of ['includePriceListLines', 'sourceTypes', 'includeUnitPrice', 'allCustomersList'])
			expect([name, text.includes(`*${label(name, params)}*`)]).toEqual([name, true]);
		expect(text).toContain('docs/business-central-al-api.md');
		expect(text).toContain(`(${PROPS.find((p) => p.name === 'allCustomersList')!.default})`);
	});
});

describe('business-central-clients.json and -products.json: price group, VAT groups', () => {
	it('clients: every run reads all customers with their price group', () => {
		const t = load('business-central/business-central-clients.json');
		const [read] = bcNodes(t);
		expect(read.parameters).toMatchObject({ cursorMode: 'all', includePriceGroup: true });
		expect(notes(t)).toContain(`*${label('includePriceGroup', read.parameters)}*`);
		expect(notes(t)).toMatch(/\*Blocked\* for Ship, Invoice or All are sent as \*\*blocked\*\*/);
	});

	it('products: the VAT group option the note sends you to exists, with the codes it lists built in', () => {
		const t = load('business-central/business-central-products.json');
		const options = PROPS.find((p) => p.name === 'options' && shown(p, bcNodes(t)[0].parameters))!;
		const vat = (options.options as INodeProperties[]).find((o) => o.name === 'vatGroups')!;
		expect(notes(t)).toContain(`*Options → ${vat.displayName}*`);
		for (const code of ['VAT23', 'VAT8', 'VAT5', 'VAT0', 'ZW', 'NP', 'OO']) expect(vat.description).toContain(code);
	});
});

describe('business-central-products-webhook.json: the products flow started by Business Central’s change webhook', () => {
	const t = load('business-central/business-central-products-webhook.json');
	const polling = load('business-central/business-central-products.json');
	const TRIGGER = 'Business Central: item changed';
	const KEEP_TRIGGER = 'Every day at 6:00 (keep the webhook alive)';
	const KEEP = 'Keep the change webhook alive';
	const trigger = t.nodes.find((n) => n.name === TRIGGER) as Node & { webhookId: string };
	const TRIGGER_DESC = new BusinessCentralTrigger().description;
	const next = (name: string) => (t.connections[name]?.main ?? []).flat().map((c) => c.node);

	it('is the polling products template with the 30-minute schedule replaced by the trigger, plus a daily keep-alive', () => {
		const swap = (name: string) => (name === 'Every 30 minutes (changes)' ? TRIGGER : name);
		expect(t.nodes.map((n) => n.name).sort()).toEqual(
			[...polling.nodes.map((n) => swap(n.name)), KEEP_TRIGGER, KEEP].sort(),
		);
		const { [KEEP_TRIGGER]: keep, ...rest } = t.connections;
		expect(rest).toEqual(Object.fromEntries(Object.entries(polling.connections).map(([from, v]) => [swap(from), v])));
		expect(keep).toEqual({ main: [[{ node: KEEP, type: 'main', index: 0 }]] });
		for (const n of polling.nodes.filter((x) => x.type !== STICKY && x.name !== 'Every 30 minutes (changes)')) {
			const mine = t.nodes.find((x) => x.name === n.name)!;
			const expected = structuredClone(n.parameters);
			if (n.name === 'Record run')
				Object.assign(expected, { flow: 'business-central products-webhook', expectedEveryMinutes: 1440 });
			expect([n.name, mine.type, mine.parameters, mine.credentials]).toEqual([n.name, n.type, expected, n.credentials]);
		}
		expect(t.settings).toEqual({ executionOrder: 'v1', errorWorkflow: '' });
	});

	it('the trigger watches items with the online credential, a fixed webhook id, and leads to the changed-since read only', () => {
		expect(trigger.type).toBe('n8n-nodes-erp-b2b.businessCentralTrigger');
		expect(trigger.parameters).toEqual({ resource: 'product', options: {} });
		for (const key of Object.keys(trigger.parameters))
			expect([key, TRIGGER_DESC.properties.some((p) => p.name === key)]).toEqual([key, true]);
		expect(TRIGGER_DESC.properties.find((p) => p.name === 'authentication')!.default).toBe('businessCentralApi');
		expect(trigger.credentials).toEqual({ businessCentralApi: { id: '', name: 'Business Central account' } });
		expect(trigger.webhookId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
		expect(next(TRIGGER)).toEqual(['Load sync state (changes)']);
		expect(next('Load sync state (changes)')).toEqual(['Business Central: items changed since last run']);
		expect(
			t.nodes.find((n) => n.name === 'Business Central: items changed since last run')!.parameters.cursorMode,
		).toBe('stored');
		// the manual run stays first among the triggers (n8n execute starts there)
		expect(t.nodes.filter((n) => /Trigger$/i.test(n.type))[0].name).toBe('Run now (test)');
	});

	it('the keep-alive GETs the trigger’s own Production URL every day and fails the run (alert) when it cannot', () => {
		const keep = t.nodes.find((n) => n.name === KEEP)!;
		const path = (TRIGGER_DESC.webhooks ?? []).find((w) => w.name === 'default')!.path;
		expect(TRIGGER_DESC.webhooks!.some((w) => w.httpMethod === 'GET' && w.path === path)).toBe(true);
		expect(keep).toMatchObject({ type: 'n8n-nodes-base.httpRequest', parameters: { method: 'GET' } });
		expect(keep.parameters.url).toBe(
			`={{ $execution.resumeUrl.split('/webhook-waiting/')[0] }}/webhook/${trigger.webhookId}/${path}`,
		);
		expect(keep.onError).toBeUndefined();
		expect(t.nodes.find((n) => n.name === KEEP_TRIGGER)!.parameters.rule).toEqual({
			interval: [{ field: 'days', daysInterval: 1, triggerAtHour: 6, triggerAtMinute: 0 }],
		});
	});

	it('its notes say what Business Central needs of n8n, and name docs that exist', () => {
		const text = notes(t);
		expect(text).toContain("set n8n's `WEBHOOK_URL` to its public https address (docs/business-central-trigger.md)");
		expect(text).toContain('lapses after 3 days without a change');
		expect(text).toContain('*or* the polling template, not both');
		for (const doc of new Set(text.match(/docs\/[\w.-]+\.md/g) ?? []))
			expect([doc, existsSync(path.join(ROOT, '..', doc))]).toEqual([doc, true]);
		expect(text).toContain('Only changes are sent');
	});
});
