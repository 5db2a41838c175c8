/**
 * The set-up command's pure logic (cli/template-set.ts): the ERP list and variants derived from the template folders,
 * the parts in create order, the credential binding (one, several, none, disabled nodes) and the rewrite of a caller
 * to its part's new id.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
	bindCredentials,
	credentialTypes,
	erpNames,
	kindAndVariant,
	loadTemplate,
	partsById,
	partsInCreateOrder,
	prepareWorkflow,
	selectTemplates,
	SetupRefused,
	type Credential,
	type Template,
} from '../../cli/template-set';

const SAP: Credential = { id: '11', name: 'SAP – spółka główna', type: 'sapB1Api' };
const PORTAL: Credential = { id: '21', name: 'Portal B2B – hurtownia Łódź', type: 'b2bPortalApi' };
const PORTAL_TEST: Credential = { id: '22', name: 'Portal B2B – testowy', type: 'b2bPortalApi' };

describe('the ERPs and their variants come from the template folders', () => {
	it('every folder but parts/ and watchdog/ is an ERP', () => {
		expect(erpNames()).toEqual(['business-central', 'enova365', 'file-sync', 'optima', 'sap-b1', 'subiekt-gt']);
	});

	it('a new folder is a new ERP, its file names give kinds and variants', () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'templates-'));
		for (const f of ['parts', 'watchdog', 'comarch-xl']) mkdirSync(path.join(dir, f));
		for (const f of ['comarch-xl-stock.json', 'comarch-xl-api-orders.json', 'comarch-xl-orders-csv.json'])
			writeFileSync(path.join(dir, 'comarch-xl', f), '{}');
		expect(erpNames(dir)).toEqual(['comarch-xl']);
		expect(selectTemplates('comarch-xl', [], dir)).toEqual({
			files: ['comarch-xl/comarch-xl-stock.json'],
			undecided: [{ kind: 'orders', variants: ['api', 'csv'] }],
			unknownVariants: [],
		});
		expect(selectTemplates('comarch-xl', ['csv'], dir).files).toEqual([
			'comarch-xl/comarch-xl-orders-csv.json',
			'comarch-xl/comarch-xl-stock.json',
		]);
	});

	it.each([
		['subiekt-gt', 'subiekt-gt-sql-clients.json', 'clients', 'sql'],
		['subiekt-gt', 'subiekt-gt-file-stock.json', 'stock', 'file'],
		['subiekt-gt', 'subiekt-gt-orders-bridge.json', 'orders', 'bridge'],
		['subiekt-gt', 'subiekt-gt-order-status.json', 'order-status', ''],
		['optima', 'optima-orders-xml.json', 'orders', 'xml'],
		['sap-b1', 'sap-b1-images-folder.json', 'images', 'folder'],
		['file-sync', 'file-sync-folder-stock.json', 'stock', 'folder'],
		['business-central', 'business-central-products-webhook.json', 'products', 'webhook'],
		['business-central', 'business-central-stock.json', 'stock', ''],
	])('%s %s: kind %s, variant "%s"', (erp, file, kind, variant) => {
		expect(kindAndVariant(erp, file)).toEqual({ kind, variant });
	});

	it('SAP: the template without a variant word unless told; Subiekt: sql,bridge picks one of each', () => {
		expect(selectTemplates('sap-b1', []).files).toContain('sap-b1/sap-b1-images.json');
		expect(selectTemplates('sap-b1', ['folder']).files).toContain('sap-b1/sap-b1-images-folder.json');
		expect(selectTemplates('sap-b1', ['folder']).files).not.toContain('sap-b1/sap-b1-images.json');
		expect(selectTemplates('subiekt-gt', ['sql', 'bridge'])).toEqual({
			files: [
				'subiekt-gt/subiekt-gt-images.json',
				'subiekt-gt/subiekt-gt-invoices.json',
				'subiekt-gt/subiekt-gt-order-status.json',
				'subiekt-gt/subiekt-gt-orders-bridge.json',
				'subiekt-gt/subiekt-gt-sql-clients.json',
				'subiekt-gt/subiekt-gt-sql-prices.json',
				'subiekt-gt/subiekt-gt-sql-products.json',
				'subiekt-gt/subiekt-gt-sql-stock.json',
			],
			undecided: [],
			unknownVariants: [],
		});
		expect(selectTemplates('subiekt-gt', ['epp']).undecided).toEqual([{ kind: 'stock', variants: ['file', 'sql'] }]);
		expect(selectTemplates('optima', ['csv']).unknownVariants).toEqual(['csv']);
		// Business Central: the polling products template unless the webhook one is asked for, never both
		const bc = (v: string[]) => selectTemplates('business-central', v).files.filter((f) => f.includes('-products'));
		expect(bc([])).toEqual(['business-central/business-central-products.json']);
		expect(bc(['webhook'])).toEqual(['business-central/business-central-products-webhook.json']);
		expect(() => selectTemplates('comarch-xl', [])).toThrow(
			'unknown ERP "comarch-xl": choose one of business-central, enova365, file-sync, optima, sap-b1, subiekt-gt (--erp)',
		);
	});
});

describe('parts', () => {
	it('the SAP orders template: both parts, each once, callees before callers', () => {
		const orders = loadTemplate('sap-b1/sap-b1-orders.json');
		const parts = partsInCreateOrder([orders, loadTemplate('sap-b1/sap-b1-stock.json'), orders], partsById());
		expect(parts.map((p) => p.id).sort()).toEqual(['erpB2bPortalChk1', 'erpB2bSapOrder01']);
	});

	it('a part that calls a part comes after it', () => {
		const node = (id: string) => ({
			name: `call ${id}`,
			type: 'n8n-nodes-base.executeWorkflow',
			parameters: { source: 'database', workflowId: { __rl: true, mode: 'list', value: id } },
		});
		const inner: Template = {
			rel: 'parts/inner.json',
			name: 'Part: inner',
			id: 'inner00000000001',
			nodes: [],
			connections: {},
		};
		const outer: Template = {
			rel: 'parts/outer.json',
			name: 'Part: outer',
			id: 'outer00000000001',
			nodes: [node(inner.id!)],
			connections: {},
		};
		const main: Template = {
			rel: 'x/x.json',
			name: 'main',
			nodes: [node(outer.id!), node('notAShippedPart1')],
			connections: {},
		};
		const index = new Map([inner, outer].map((p) => [p.id!, p]));
		expect(partsInCreateOrder([main], index).map((p) => p.id)).toEqual([inner.id, outer.id]);
	});
});

describe('binding credentials by type', () => {
	const wf = (nodes: Template['nodes']): Template => ({ rel: 'a/a.json', name: 'a', nodes, connections: {} });
	const alert = wf([
		{
			name: 'Record failure',
			type: 'n8n-nodes-erp-b2b.b2bPortal',
			credentials: { b2bPortalApi: { id: '', name: 'B2B Portal account' } },
		},
		{
			name: 'Send e-mail (disabled)',
			type: 'n8n-nodes-base.emailSend',
			disabled: true,
			credentials: { smtp: { id: '', name: 'SMTP account' } },
		},
	]);
	const stock = wf([
		{
			name: 'SAP: stock',
			type: 'n8n-nodes-erp-b2b.sapB1',
			credentials: { sapB1Api: { id: '', name: 'SAP Business One account' } },
		},
	]);
	const types = credentialTypes([alert, stock]);

	it('running nodes need their types, disabled-only types are optional', () => {
		expect([...types.required].sort()).toEqual(['b2bPortalApi', 'sapB1Api']);
		expect([...types.optional]).toEqual(['smtp']);
	});

	it('one credential of a type: that one; an optional type without one stays unbound', async () => {
		const b = await bindCredentials(types, [SAP, PORTAL], {});
		expect(Object.fromEntries(b)).toEqual({ sapB1Api: SAP, b2bPortalApi: PORTAL });
	});

	it('none of a needed type: refused, naming the type', async () => {
		await expect(bindCredentials(types, [PORTAL], {})).rejects.toThrow(
			new SetupRefused(
				'no credential of type sapB1Api in n8n: create it (Credentials → Add credential) and run setup again',
			),
		);
	});

	it('several of a type: asked, else taken from --credential, else refused listing them', async () => {
		const existing = [SAP, PORTAL, PORTAL_TEST];
		await expect(bindCredentials(types, existing, {})).rejects.toThrow(
			'2 credentials of type b2bPortalApi ("Portal B2B – hurtownia Łódź" = 21, "Portal B2B – testowy" = 22): choose one with --credential b2bPortalApi=<id>',
		);
		expect((await bindCredentials(types, existing, { b2bPortalApi: '22' })).get('b2bPortalApi')).toBe(PORTAL_TEST);
		const asked: string[] = [];
		const b = await bindCredentials(types, existing, {}, async (type, candidates) => {
			asked.push(`${type}: ${candidates.map((c) => c.id).join(',')}`);
			return candidates[1];
		});
		expect(asked).toEqual(['b2bPortalApi: 21,22']);
		expect(b.get('b2bPortalApi')).toBe(PORTAL_TEST);
	});

	it('a --credential that does not exist or has another type is refused', async () => {
		await expect(bindCredentials(types, [SAP, PORTAL], { sapB1Api: '99' })).rejects.toThrow(
			'--credential sapB1Api=99: n8n has no credential with the id 99',
		);
		await expect(bindCredentials(types, [SAP, PORTAL], { sapB1Api: '21' })).rejects.toThrow(
			'--credential sapB1Api=21: credential "Portal B2B – hurtownia Łódź" (21) is of type b2bPortalApi, not sapB1Api',
		);
	});
});

describe('the workflow sent to n8n', () => {
	const orders = loadTemplate('sap-b1/sap-b1-orders.json');
	const binding = new Map([
		['sapB1Api', SAP],
		['b2bPortalApi', PORTAL],
	]);
	const partIds = new Map([
		['erpB2bPortalChk1', { id: 'Nw1', name: 'Part: sprawdź zamówienia' }],
		['erpB2bSapOrder01', { id: 'Nw2', name: 'Part: zamówienie do SAP' }],
	]);
	const body = prepareWorkflow(orders, binding, partIds, 'ErrAlert1');

	it('has only what the public API accepts, the error workflow set', () => {
		expect(Object.keys(body).sort()).toEqual(['connections', 'name', 'nodes', 'settings']);
		expect(body.settings).toEqual({ executionOrder: 'v1', errorWorkflow: 'ErrAlert1' });
		expect(prepareWorkflow(orders, binding, partIds, undefined).settings).toEqual({ executionOrder: 'v1' });
	});

	it('every credential points at the bound one', () => {
		const refs = body.nodes.flatMap((n) => Object.entries(n.credentials ?? {}));
		expect(refs.length).toBeGreaterThan(2);
		for (const [type, ref] of refs)
			expect(ref).toEqual(type === 'sapB1Api' ? { id: '11', name: SAP.name } : { id: '21', name: PORTAL.name });
	});

	it('each part call points at the part’s new id and name, the template is untouched', () => {
		const calls = body.nodes
			.filter((n) => n.type === 'n8n-nodes-base.executeWorkflow')
			.map((n) => n.parameters!.workflowId);
		expect(
			calls
				.map((c: { value: string; cachedResultName: string; __rl: boolean }) => [c.__rl, c.value, c.cachedResultName])
				.sort(),
		).toEqual([
			[true, 'Nw1', 'Part: sprawdź zamówienia'],
			[true, 'Nw2', 'Part: zamówienie do SAP'],
		]);
		const original = orders.nodes
			.filter((n) => n.type === 'n8n-nodes-base.executeWorkflow')
			.map((n) => n.parameters!.workflowId.value);
		expect(original.sort()).toEqual(['erpB2bPortalChk1', 'erpB2bSapOrder01']);
	});
});
