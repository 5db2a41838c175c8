/**
 * The set-up check's pure logic (cli/check/): which warehouses / price lists the imported ERP nodes name, and the
 * ✓ / ✗ table with each fix in Polish and English.
 */
import { webhookWindow } from '../../cli/check/check';
import { availableIn, erpReferences, ERP_NODE_REFERENCES } from '../../cli/check/erp-checks';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import {
	checkTable,
	clockRow,
	credentialRow,
	exitCode,
	portalRow,
	referenceRow,
	unverifiedRow,
} from '../../cli/check/report';

/**
 * What `check` finds in one ERP folder's shipped templates (parts included), each node's credentials bound as setup
 * binds them (id `bound-<type>`): workflow, node, value and the credential it is read with. Copies: the required
 * JSON is shared by every test of the file.
 */
const TEMPLATES = path.join(__dirname, '..', '..', 'workflows-templates');

function shippedReferences(erp: string) {
	const root = path.join(TEMPLATES, erp);
	const files = [
		...readdirSync(root).filter((f) => f.endsWith('.json')),
		...readdirSync(path.join(root, 'parts')).map((f) => `parts/${f}`),
	];
	const workflows = files.map((f) => {
		const w = structuredClone(require(path.join(root, f)));
		for (const node of w.nodes)
			for (const [type, ref] of Object.entries((node.credentials ?? {}) as Record<string, { id: string }>))
				ref.id = `bound-${type}`;
		return w;
	});
	return erpReferences(workflows).map((r) => ({
		workflow: r.workflow,
		node: r.node,
		value: r.value,
		credential: r.credential?.id,
	}));
}

const P = 'n8n-nodes-erp-b2b.';

describe('erpReferences: what the ERP nodes name', () => {
	it("SAP lists and the order warehouse, with the node's SAP credential (the check reads SAP with it), else the set-up's; Subiekt warehouse symbols; empty, expressions, disabled and other nodes skipped", () => {
		const refs = erpReferences([
			{
				name: 'SAP B1 → portal: stany magazynowe',
				nodes: [
					{
						name: 'SAP: stany',
						type: `${P}sapB1`,
						parameters: { warehouses: ['01', 'WZ-Łódź'] },
						credentials: { sapB1Api: { id: 'c1', name: 'SAP – spółka' } },
					},
					{ name: 'SAP: ceny', type: `${P}sapB1`, parameters: { priceLists: [1, '={{ $json.list }}'] } },
					{ name: 'SAP: zamówienie', type: `${P}sapB1`, parameters: { warehouse: '' } },
					{ name: 'wyłączony', type: `${P}sapB1`, disabled: true, parameters: { warehouses: ['X'] } },
					{ name: 'Portal', type: `${P}b2bPortal`, parameters: { warehouse: 'nie-ERP' } },
				],
			},
			{
				name: 'Subiekt GT → portal: zamówienia',
				nodes: [
					{ name: 'Subiekt: ZK', type: `${P}subiektGt`, parameters: { warehouse: 'MAG' } },
					{ name: 'Subiekt: stany', type: `${P}subiektGt`, parameters: { resource: 'stock', warehouseCode: '' } },
				],
			},
		]);
		expect(refs).toEqual([
			{
				erp: 'sap-b1',
				kind: 'warehouse',
				value: '01',
				workflow: 'SAP B1 → portal: stany magazynowe',
				node: 'SAP: stany',
				credential: { type: 'sapB1Api', id: 'c1', name: 'SAP – spółka' },
			},
			{
				erp: 'sap-b1',
				kind: 'warehouse',
				value: 'WZ-Łódź',
				workflow: 'SAP B1 → portal: stany magazynowe',
				node: 'SAP: stany',
				credential: { type: 'sapB1Api', id: 'c1', name: 'SAP – spółka' },
			},
			{
				erp: 'sap-b1',
				kind: 'priceList',
				value: '1',
				workflow: 'SAP B1 → portal: stany magazynowe',
				node: 'SAP: ceny',
				// no credential of its own: the set-up's only SAP credential
				credential: { type: 'sapB1Api', id: 'c1', name: 'SAP – spółka' },
			},
			{
				erp: 'subiekt-gt',
				kind: 'warehouse',
				value: 'MAG',
				workflow: 'Subiekt GT → portal: zamówienia',
				node: 'Subiekt: ZK',
				// a bridge node cannot list warehouses, and no node here holds Subiekt's SQL credential
				unverified:
					'no node of the set-up holds a subiektGtSqlApi credential, and "Subiekt: ZK" cannot list the subiekt-gt warehouses with its own',
			},
		]);
	});
});

describe('erpReferences: Subiekt GT warehouses and the credential the check reads them with', () => {
	const sql = (id: string, name = `SQL ${id}`) => ({ subiektGtSqlApi: { id, name } });
	const bridge = { subiektBridgeApi: { id: 'b1', name: 'Mostek Sfera' } };
	const stock = (credentials: Record<string, { id: string; name: string }>, warehouseCode = '') => ({
		name: 'Subiekt: stany',
		type: `${P}subiektGt`,
		parameters: { resource: 'stock', operation: 'getMany', warehouseCode },
		credentials,
	});
	// the ZK node as n8n stores it when resource, operation and warehouse are left at their defaults (order, create, MAG)
	const zk = { name: 'Utwórz ZK', type: `${P}subiektGt`, parameters: {}, credentials: bridge };
	const slim = (refs: ReturnType<typeof erpReferences>) =>
		refs.map((r) => ({ value: r.value, node: r.node, credential: r.credential?.id, unverified: r.unverified }));

	it("a ZK through the bridge is looked up with the set-up's only SQL credential (another workflow's); a stock read with its own; defaults name MAG", () => {
		const refs = erpReferences([
			{ name: 'Zamówienia: ZK przez mostek', nodes: [zk] },
			{ name: 'Stany', nodes: [stock(sql('s1'), 'ŹRÓ')] },
			{
				name: 'Inne',
				nodes: [
					{
						name: 'Status',
						type: `${P}subiektGt`,
						parameters: { resource: 'orderStatus', operation: 'check' },
						credentials: sql('s1'),
					},
					{ ...stock(sql('s1')), name: 'Stany: wszystkie' },
				],
			},
		]);
		expect(slim(refs)).toEqual([
			{ value: 'MAG', node: 'Utwórz ZK', credential: 's1', unverified: undefined },
			{ value: 'ŹRÓ', node: 'Subiekt: stany', credential: 's1', unverified: undefined },
		]);
		expect(refs[0].credential).toEqual({ type: 'subiektGtSqlApi', id: 's1', name: 'SQL s1' });
	});

	it("two SQL credentials: the one of the node's own workflow; none there → ? naming both (which database is unknown)", () => {
		const refs = erpReferences([
			{ name: 'Spółka A', nodes: [zk, stock(sql('a'))] },
			{ name: 'Spółka B', nodes: [stock(sql('b'))] },
			{ name: 'Tylko mostek', nodes: [{ ...zk, parameters: { warehouse: 'ŻAK' } }] },
		]);
		expect(slim(refs)).toEqual([
			{ value: 'MAG', node: 'Utwórz ZK', credential: 'a', unverified: undefined },
			{
				value: 'ŻAK',
				node: 'Utwórz ZK',
				credential: undefined,
				unverified:
					'the set-up uses 2 subiektGtSqlApi credentials ("SQL a" (a), "SQL b" (b)): which database "Utwórz ZK" works with is not known',
			},
		]);
	});

	it('the EDI++ ZK file names a Subiekt warehouse (Options → Warehouse Code, default MAG); other ERP File work names none', () => {
		const file = (parameters: Record<string, unknown>) => ({ name: 'Plik', type: `${P}erpFile`, parameters });
		const refs = erpReferences([
			{
				name: 'Zamówienia EDI++',
				nodes: [
					file({ operation: 'build', outputFormat: 'epp', buildOptions: { warehouseCode: 'ŻAK' } }),
					file({ operation: 'build' }),
					file({ operation: 'build', outputFormat: 'csv', buildOptions: { warehouseCode: 'X' } }),
					file({ operation: 'parse', stockColumns: { mapping: { warehouseCode: 'Magazyn' } } }),
					{
						name: 'Sprawdź zamówienie',
						type: `${P}subiektGt`,
						parameters: { resource: 'orderStatus', operation: 'check' },
						credentials: sql('s1'),
					},
				],
			},
		]);
		expect(slim(refs)).toEqual([
			{ value: 'ŻAK', node: 'Plik', credential: 's1', unverified: undefined },
			{ value: 'MAG', node: 'Plik', credential: 's1', unverified: undefined },
		]);
		expect(refs.every((r) => r.erp === 'subiekt-gt')).toBe(true);
	});

	it('the shipped Subiekt GT templates (parts included), credentials bound as setup binds them: the ZK part and the EDI++ file part each name MAG, read with the SQL credential', () => {
		expect(shippedReferences('subiekt-gt')).toEqual([
			{
				workflow: require(path.join(TEMPLATES, 'subiekt-gt/parts/subiekt-gt-order-into-epp-file.json')).name,
				node: 'Build EPP file (ZK)',
				value: 'MAG',
				credential: 'bound-subiektGtSqlApi',
			},
			{
				workflow: require(path.join(TEMPLATES, 'subiekt-gt/parts/subiekt-gt-order-through-bridge.json')).name,
				node: 'Create ZK in Subiekt',
				value: 'MAG',
				credential: 'bound-subiektGtSqlApi',
			},
		]);
	});
});

describe('erpReferences: Comarch ERP Optima warehouses and price lists', () => {
	const sql = (id: string, name = `SQL ${id}`) => ({ optimaSqlApi: { id, name } });
	const slim = (refs: ReturnType<typeof erpReferences>) =>
		refs.map((r) => ({ erp: r.erp, kind: r.kind, value: r.value, node: r.node, credential: r.credential?.id }));
	// the RO node as n8n stores it with operation and warehouse at their defaults (create, MAGAZYN)
	const ro = {
		name: 'Utwórz RO',
		type: `${P}optima`,
		parameters: { resource: 'order' },
		credentials: { optimaBridgeApi: { id: 'b1', name: 'Mostek Optima' } },
	};
	const optima = (name: string, parameters: Record<string, unknown>, id = 'o1') => ({
		name,
		type: `${P}optima`,
		parameters,
		credentials: sql(id),
	});

	it("the RO through the bridge and the Optima XML file are looked up with the set-up's SQL credential; stock and price reads with their own; total, empty and expressions name nothing", () => {
		const refs = erpReferences([
			{
				name: 'Zamówienia',
				nodes: [
					ro,
					{ ...ro, name: 'RO: Żuławy', parameters: { resource: 'order', operation: 'create', warehouse: 'ŻUŁAWY' } },
					{
						name: 'Plik XML',
						type: `${P}erpFile`,
						parameters: { operation: 'build', outputFormat: 'optimaXml', optimaWarehouse: 'MAG-KRAKÓW' },
					},
					{ name: 'Plik XML 2', type: `${P}erpFile`, parameters: { operation: 'build', outputFormat: 'optimaXml' } },
				],
			},
			{
				name: 'Stany',
				nodes: [
					optima('Optima: stany', { resource: 'stock', operation: 'getMany', warehouseCode: 'MAGAZYN' }),
					optima('Optima: suma', { resource: 'stock', operation: 'getMany', warehouseCode: 'Total' }),
					optima('Optima: wszystkie', { resource: 'stock', operation: 'getMany', warehouseCode: '' }),
				],
			},
			{
				name: 'Ceny',
				nodes: [
					optima('Optima: ceny', { resource: 'price', priceLists: 'hurtowa 1, 5;detaliczna,' }),
					optima('Optima: wszystkie ceny', { resource: 'price', operation: 'getMany', priceLists: '' }),
					optima('Optima: z wyrażenia', { resource: 'price', priceLists: '={{ $json.lists }}' }),
					optima('Optima: produkty', { resource: 'product', operation: 'getMany' }),
				],
			},
		]);
		expect(slim(refs)).toEqual([
			{ erp: 'optima', kind: 'warehouse', value: 'MAGAZYN', node: 'Utwórz RO', credential: 'o1' },
			{ erp: 'optima', kind: 'warehouse', value: 'ŻUŁAWY', node: 'RO: Żuławy', credential: 'o1' },
			{ erp: 'optima', kind: 'warehouse', value: 'MAG-KRAKÓW', node: 'Plik XML', credential: 'o1' },
			{ erp: 'optima', kind: 'warehouse', value: 'MAGAZYN', node: 'Plik XML 2', credential: 'o1' },
			{ erp: 'optima', kind: 'warehouse', value: 'MAGAZYN', node: 'Optima: stany', credential: 'o1' },
			{ erp: 'optima', kind: 'priceList', value: 'hurtowa 1', node: 'Optima: ceny', credential: 'o1' },
			{ erp: 'optima', kind: 'priceList', value: '5', node: 'Optima: ceny', credential: 'o1' },
			{ erp: 'optima', kind: 'priceList', value: 'detaliczna', node: 'Optima: ceny', credential: 'o1' },
		]);
		expect(refs[0].credential).toEqual({ type: 'optimaSqlApi', id: 'o1', name: 'SQL o1' });
	});

	it("an Optima XML file next to a Subiekt SQL credential only: ? (Subiekt's credential cannot read Optima), and the EDI++ file stays Subiekt's", () => {
		const refs = erpReferences([
			{
				name: 'Zamówienia',
				nodes: [
					{ name: 'Plik XML', type: `${P}erpFile`, parameters: { operation: 'build', outputFormat: 'optimaXml' } },
					{ name: 'Plik EPP', type: `${P}erpFile`, parameters: { operation: 'build', outputFormat: 'epp' } },
					{
						name: 'Subiekt',
						type: `${P}subiektGt`,
						parameters: { resource: 'orderStatus', operation: 'check' },
						credentials: { subiektGtSqlApi: { id: 's1', name: 'SQL s1' } },
					},
				],
			},
		]);
		expect(refs.map((r) => [r.erp, r.node, r.value, r.credential?.id, r.unverified])).toEqual([
			[
				'optima',
				'Plik XML',
				'MAGAZYN',
				undefined,
				'no node of the set-up holds a optimaSqlApi credential, and "Plik XML" cannot list the optima warehouses with its own',
			],
			['subiekt-gt', 'Plik EPP', 'MAG', 's1', undefined],
		]);
	});

	it('the shipped Optima templates (parts included), credentials bound as setup binds them: the RO part and the XML file part each name MAGAZYN, read with the SQL credential', () => {
		expect(shippedReferences('optima')).toEqual([
			{
				workflow: require(path.join(TEMPLATES, 'optima/parts/optima-order-into-optima.json')).name,
				node: 'Create RO in Optima',
				value: 'MAGAZYN',
				credential: 'bound-optimaSqlApi',
			},
			{
				workflow: require(path.join(TEMPLATES, 'optima/parts/optima-order-into-xml-file.json')).name,
				node: 'Build Optima XML file (RO)',
				value: 'MAGAZYN',
				credential: 'bound-optimaSqlApi',
			},
		]);
	});

	it("what Optima has, as its node matches it: price lists by name without regard to case or by number, shown as 'number name'; warehouses by symbol without regard to case (Polish_CI_AS)", () => {
		const reads = ERP_NODE_REFERENCES.optima.lookup!.reads;
		const lists = availableIn(reads.priceList!, [
			{ number: 1, name: 'zakupu' },
			{ number: 2, name: 'Hurtowa Łódź' },
			{ number: 5, name: 'detaliczna' },
		]);
		expect(lists.shown).toEqual(['1 zakupu', '2 Hurtowa Łódź', '5 detaliczna']);
		expect(['HURTOWA ŁÓDŹ', 'hurtowa łódź', '2', '05', 'detaliczna'].map(lists.has)).toEqual([
			true,
			true,
			true,
			true,
			true,
		]);
		expect(['hurtowa 1', '3', 'Hurtowa Lodz', ''].map(lists.has)).toEqual([false, false, false, false]);
		const row = referenceRow(
			{ erp: 'optima', kind: 'priceList', value: 'hurtowa 9', workflow: 'Ceny', node: 'Optima: ceny' },
			lists.shown,
			lists.has('hurtowa 9'),
		);
		expect(row).toMatchObject({
			ok: false,
			detail: 'optima has no price list hurtowa 9 (its price lists: 1 zakupu, 2 Hurtowa Łódź, 5 detaliczna)',
		});
		const warehouses = availableIn(reads.warehouse!, ['MAGAZYN', 'ŻUŁAWY']);
		expect(warehouses.shown).toEqual(['MAGAZYN', 'ŻUŁAWY']);
		// Mag_Symbol is compared under Polish_CI_AS, as the stock statement compares it
		expect(['MAGAZYN', 'żuławy', 'ŻÓŁW-99', 'MAGAZYN2'].map(warehouses.has)).toEqual([true, true, false, false]);
	});
});

describe('availableIn: SAP B1', () => {
	it('a warehouse matches only by its exact code, as the SAP node keeps levels (warehouses.includes(WarehouseCode)); price lists by number', () => {
		const reads = ERP_NODE_REFERENCES.sapB1.lookup!.reads;
		const warehouses = availableIn(reads.warehouse!, ['01', 'ŁÓDŹ']);
		expect(['01', 'ŁÓDŹ', 'łódź', 'Łódź', '1'].map(warehouses.has)).toEqual([true, true, false, false, false]);
		const lists = availableIn(reads.priceList!, ['1', '2']);
		expect(['1', '2', '3'].map(lists.has)).toEqual([true, true, false]);
	});
});

describe('rows and the table', () => {
	const ref = { erp: 'sap-b1', kind: 'warehouse' as const, value: 'ŻÓŁW', workflow: 'Stany', node: 'SAP: stany' };

	it('a warehouse that exists is ✓; one that does not is ✗ naming the workflow, node, value and the ones that exist', () => {
		expect(referenceRow(ref, ['01', 'ŻÓŁW']).ok).toBe(true);
		const bad = referenceRow(ref, ['01', '02']);
		expect(bad).toMatchObject({ ok: false, detail: 'sap-b1 has no warehouse ŻÓŁW (its warehouses: 01, 02)' });
		expect(bad.fix!.pl).toBe(
			'W "Stany" → "SAP: stany" wybierz istniejący magazyn (magazyny w sap-b1: 01, 02) albo załóż magazyn ŻÓŁW w sap-b1.',
		);
		expect(bad.fix!.en).toContain('In "Stany" → "SAP: stany" pick an existing warehouse');
	});

	it('a warehouse the check could not look up: "?" with the reason and how to verify it, listed with the fixes, exit 0', () => {
		const gt = {
			erp: 'subiekt-gt',
			kind: 'warehouse' as const,
			value: 'ŻAK',
			workflow: 'Zamówienia',
			node: 'Utwórz ZK',
		};
		const row = unverifiedRow(gt, 'no node of the set-up holds a subiektGtSqlApi credential');
		expect(row).toMatchObject({
			ok: false,
			unverified: true,
			detail: 'not verified: no node of the set-up holds a subiektGtSqlApi credential',
		});
		expect(row.fix!.pl).toContain('Sprawdź w subiekt-gt, że magazyn ŻAK istnieje');
		expect(row.fix!.en).toContain('"Zamówienia" → "Utwórz ZK" uses warehouse ŻAK');
		const good = credentialRow({ type: 'sapB1Api', name: 'SAP', id: '7' }, ['Stany']);
		expect(exitCode([good, row])).toBe(0);
		expect(exitCode([good, row, referenceRow(ref, ['01'])])).toBe(1);
		const text = checkTable([good, row]);
		expect(text.split('\n')[3]).toMatch(/^\? {2}warehouse ŻAK in subiekt-gt +Zamówienia +not verified: /);
		expect(text).toContain(
			'Do poprawienia / To fix:\n1. ? warehouse ŻAK in subiekt-gt\n   PL: "Zamówienia" → "Utwórz ZK" używa',
		);
		expect(text.endsWith('1 ✓, 0 ✗, 1 ?')).toBe(true);
	});

	it('the clock, as n8n measured it: inside the window ✓ (exactly the window too, as the trigger accepts it), beyond it either way ✗ with the difference and the PL/EN fix; unread ✗ with the reason', () => {
		const cred = { name: 'Portal B2B – Łódź', id: '9' };
		const reading = (clockDifferenceSeconds: number, webhookWindowSeconds = 300) => ({
			portalTime: '2026-12-07T12:10:00.000Z',
			n8nTime: '2026-12-07T12:00:00.000Z',
			clockDifferenceSeconds,
			webhookWindowSeconds,
		});
		expect(clockRow(cred, ['Zamówienia'], reading(299))).toMatchObject({
			ok: true,
			check: 'portal clock within 300 s of n8n\'s (credential "Portal B2B – Łódź" (9))',
			workflow: 'Zamówienia',
			detail: '+299 s (portal 2026-12-07T12:10:00.000Z, n8n 2026-12-07T12:00:00.000Z)',
		});
		expect(clockRow(cred, [], reading(-300)).ok).toBe(true);
		expect(clockRow(cred, [], reading(301)).ok).toBe(false);
		expect(clockRow(cred, [], reading(-60, 30)).ok).toBe(false);
		const ahead = clockRow(cred, ['A', 'B'], reading(600));
		expect(ahead).toMatchObject({ ok: false, workflow: '2 workflows' });
		expect(ahead.detail).toBe(
			"+600 s (portal 2026-12-07T12:10:00.000Z, n8n 2026-12-07T12:00:00.000Z): the B2B Portal Trigger refuses webhooks signed more than 300 s from n8n's clock",
		);
		expect(ahead.fix!.pl).toContain('Zegar portalu różni się od zegara n8n o +600 s (portal się spieszy)');
		expect(ahead.fix!.pl).toContain('zsynchronizuj zegary (NTP)');
		expect(ahead.fix!.en).toContain("The portal's clock is +600 s from n8n's (the portal is ahead)");
		expect(clockRow(cred, [], reading(-601)).fix!.en).toContain("-601 s from n8n's (the portal is behind)");
		const unread = clockRow(cred, [], "could not read the portal's clock through n8n: 500 Error in workflow");
		expect(unread).toMatchObject({
			ok: false,
			detail: "could not read the portal's clock through n8n: 500 Error in workflow",
		});
		expect(unread.fix!.en).toContain("Run the B2B Portal node's Connection → Check");
	});

	it('the table: ✓ / ✗ per row, the fixes in Polish and English below, exit 1 only with a ✗', () => {
		const good = credentialRow({ type: 'sapB1Api', name: 'SAP – spółka', id: '7' }, ['Stany', 'Ceny']);
		const wrongPassword = credentialRow(
			{ type: 'sapB1Api', name: 'SAP – spółka', id: '7' },
			['Stany'],
			'SAP refused the login (401)',
		);
		const portal = portalRow({ name: 'Portal B2B – Łódź', id: '9' }, ['Stany'], 'connect ECONNREFUSED');
		expect(exitCode([good])).toBe(0);
		expect(exitCode([good, portal])).toBe(1);
		const text = checkTable([good, wrongPassword, portal]);
		const lines = text.split('\n');
		expect(lines[2]).toMatch(/^✓ {2}credential sapB1Api "SAP – spółka" \(7\) +2 workflows {2}connects$/);
		expect(lines[3]).toMatch(/^✗ {2}credential sapB1Api "SAP – spółka" \(7\) +Stany +SAP refused the login \(401\)$/);
		expect(text).toContain(
			'Do poprawienia / To fix:\n1. ✗ credential sapB1Api "SAP – spółka" (7)\n   PL: Otwórz w n8n',
		);
		expect(text).toContain(
			'2. ✗ portal answers (credential "Portal B2B – Łódź" (9))\n   PL: Sprawdź Base URL i API Key w danych logowania "Portal B2B – Łódź"',
		);
		expect(text.endsWith('1 ✓, 2 ✗')).toBe(true);
		expect(checkTable([good])).not.toContain('To fix');
	});
});

describe('webhookWindow: the window the portal clock must fit', () => {
	const trigger = (credentialId: string, toleranceSeconds?: unknown, disabled = false) => ({
		name: 'Portal: zamówienie',
		type: `${P}b2bPortalTrigger`,
		disabled,
		parameters: { events: ['order.created'], options: toleranceSeconds === undefined ? {} : { toleranceSeconds } },
		credentials: { b2bPortalApi: { id: credentialId, name: 'Portal' } },
	});
	const wf = (...nodes: object[]) => ({ id: 'w', name: 'Zamówienia', nodes }) as never;

	it("the trigger's default without triggers or options; the smallest set one of this credential's enabled triggers", () => {
		expect(webhookWindow([], '9')).toBe(300);
		expect(webhookWindow([wf(trigger('9'))], '9')).toBe(300);
		expect(webhookWindow([wf(trigger('9', 120)), wf(trigger('9', 600))], '9')).toBe(120);
		// another credential's, a disabled one, an expression or nonsense do not narrow it
		expect(
			webhookWindow(
				[wf(trigger('8', 20), trigger('9', 30, true), trigger('9', '={{ 15 }}'), trigger('9', 'abc'))],
				'9',
			),
		).toBe(300);
		expect(webhookWindow([wf(trigger('9', '60'))], '9')).toBe(60);
	});
});

describe('erpReferences: Business Central locations, with either credential type', () => {
	const stock = (credentials: Record<string, { id: string; name: string }>, parameters: Record<string, unknown>) => ({
		name: 'Business Central: stany',
		type: `${P}businessCentral`,
		parameters: { resource: 'stock', operation: 'getMany', ...parameters },
		credentials,
	});
	const slim = (refs: ReturnType<typeof erpReferences>) =>
		refs.map((r) => ({ value: r.value, credential: r.credential, unverified: r.unverified }));

	it('the per-location stock read names its locations, read with the online or the on-premises credential it holds; Total names none', () => {
		const online = { businessCentralApi: { id: 'bc1', name: 'BC – Łódź' } };
		const onPrem = { businessCentralOnPremApi: { id: 'bc2', name: 'BC on-prem' } };
		expect(
			slim(
				erpReferences([
					{ name: 'w1', nodes: [stock(online, { stockSource: 'perLocation', locations: ['ŁÓDŹ', 'KRAKÓW'] })] },
				]),
			),
		).toEqual([
			{
				value: 'ŁÓDŹ',
				credential: { type: 'businessCentralApi', id: 'bc1', name: 'BC – Łódź' },
				unverified: undefined,
			},
			{
				value: 'KRAKÓW',
				credential: { type: 'businessCentralApi', id: 'bc1', name: 'BC – Łódź' },
				unverified: undefined,
			},
		]);
		expect(
			slim(erpReferences([{ name: 'w2', nodes: [stock(onPrem, { stockSource: 'perLocation', locations: ['MAG'] })] }])),
		).toEqual([
			{
				value: 'MAG',
				credential: { type: 'businessCentralOnPremApi', id: 'bc2', name: 'BC on-prem' },
				unverified: undefined,
			},
		]);
		expect(erpReferences([{ name: 'w3', nodes: [stock(online, { locations: ['MAG'] })] }])).toEqual([]);
		expect(ERP_NODE_REFERENCES.businessCentral.lookup?.otherCredentialTypes).toEqual({
			businessCentralOnPremApi: { authentication: 'businessCentralOnPremApi' },
		});
	});
});
