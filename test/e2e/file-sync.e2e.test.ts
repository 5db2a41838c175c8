/**
 * The file templates (workflows-templates/file-sync/ and workflows-templates/subiekt-gt/subiekt-gt-{epp,file}-*)
 * in a real n8n 2.41.1 with the packed pack: n8n's own FTP node against a real FTP server on 127.0.0.1
 * (ftp-srv, test/simulators/ftp), n8n's Read/Write Files from Disk node for the folder variant, the ERP File
 * node, and the portal simulator. Every assertion is on what the PORTAL ends up holding and what is left on
 * the FTP server: exactly the expected products, prices, stock and clients; Polish names compared as bytes
 * (Windows-1250 in the file, UTF-8 in the portal); the newest export imported, the older one not; files
 * archived only after the portal accepted them; a bad file failing the run with file, line and field named,
 * nothing sent, nothing archived.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { N8nInstance, REPO_ROOT, nodeItems, nodeRecords } from './harness/n8n-instance';
import { partsCalledBy } from '../fixtures/templates';
import { stepTimings, ranNodes as ran } from './harness/steps';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { startFtpSimulator, type FtpSimulator } from '../simulators/ftp/server';
import { writeEpp, type EppSection } from '../../nodes/shared/edi/epp';
import { KONTRAHENCI_FIELDS_111, TOWARY_FIELDS, indexOf } from '../../nodes/shared/edi/epp-fields';

jest.setTimeout(300_000);

const TEMPLATES = path.join(REPO_ROOT, 'workflows-templates');
const MINE = {
	'epp-products': 'subiekt-gt/subiekt-gt-epp-products.json',
	'epp-prices': 'subiekt-gt/subiekt-gt-epp-prices.json',
	'epp-clients': 'subiekt-gt/subiekt-gt-epp-clients.json',
	'subiekt-stock': 'subiekt-gt/subiekt-gt-file-stock.json',
	'csv-products': 'file-sync/file-sync-products.json',
	'csv-prices': 'file-sync/file-sync-prices.json',
	'csv-stock': 'file-sync/file-sync-stock.json',
	'csv-clients': 'file-sync/file-sync-clients.json',
	'folder-stock': 'file-sync/file-sync-folder-stock.json',
} as const;
type Name = keyof typeof MINE;
const template = (name: Name) => JSON.parse(readFileSync(path.join(TEMPLATES, MINE[name]), 'utf8'));
const FTP_CRED = { id: 'ftpCred0000001', name: 'FTP account' };
const PORTAL_CRED = { id: 'portalCred0001', name: 'B2B Portal account' };
const CREDENTIAL_IDS = { ftp: FTP_CRED, b2bPortalApi: PORTAL_CRED };

const cp1250 = (text: string) => iconv.encode(text, 'win1250');
/** the text the way a program that took the Windows-1250 bytes for CP852 would show it */
const misread852 = (text: string) => iconv.decode(cp1250(text), 'cp852');

let portal: PortalSimulator;
let ftp: FtpSimulator;
let n8n: N8nInstance;
const ids = {} as Record<Name, string>;
const started = Date.now();
/** the folder variant reads from inside n8n 2.x's default allowed folder, ~/.n8n-files (see the template) */
const allowedDir = path.join(os.homedir(), '.n8n-files', `e2e-file-sync-${process.pid}-${Date.now()}`);
const { timings, timed } = stepTimings();
const names = (folder: string) => ftp.list(folder).map((f) => f.path.split('/').pop()!);

/** Portal name bytes = the UTF-8 of the expected text, and not the bytes of a mis-decoded file. */
function expectSameBytes(
	stored: string | undefined,
	expected: string,
	fileBytes: Buffer,
	opts: { doubledQuotes?: boolean } = {},
) {
	// the file really holds the Windows-1250 bytes of this text (not UTF-8); EDI++ doubles quotes inside text
	expect(fileBytes.includes(cp1250(opts.doubledQuotes ? expected.replace(/"/g, '""') : expected))).toBe(true);
	expect(fileBytes.includes(Buffer.from(expected, 'utf8'))).toBe(false);
	const got = Buffer.from(stored ?? '', 'utf8');
	expect(got.toString('hex')).toBe(Buffer.from(expected, 'utf8').toString('hex'));
	expect(got.equals(Buffer.from(misread852(expected), 'utf8'))).toBe(false);
	expect(got.equals(Buffer.from(iconv.decode(cp1250(expected), 'latin1'), 'utf8'))).toBe(false);
}

// ------------------------------------------------------------------------------------------- Subiekt exports

const INFO = (version: '1.05' | '1.11') => [
	version,
	'3',
	'1250',
	'Subiekt GT',
	'SUB',
	'Hurtownia Żółć',
	'Hurtownia Żółć Gęślą Jaźń Sp. z o.o.',
	'Łódź',
	'90-001',
	'ul. Świętej Ćmy 5',
	'725-000-00-00',
	'MAG',
	'Magazyn główny',
	'Magazyn główny',
	'',
	'0',
	'',
	'',
	'Szef',
	'20261126020000',
	'Polska',
	'PL',
	'',
	'0',
];

interface EppProduct {
	code: string;
	name: string;
	unit: string;
	vat: [string, string];
	ean?: string;
	description?: string;
	canonicalVat: string;
}
const T = (key: string) => indexOf(TOWARY_FIELDS, key);
function towar(p: EppProduct): string[] {
	const r = new Array<string>(TOWARY_FIELDS.length).fill('');
	r[T('itemType')] = p.code.startsWith('USŁ') ? '2' : '1';
	r[T('symbol')] = p.code;
	r[T('barcode')] = p.ean ?? '';
	r[T('name')] = p.name;
	r[T('description')] = p.description ?? '';
	r[T('fiscalName')] = p.name.slice(0, 40);
	r[T('unit')] = p.unit;
	r[T('vatSymbol')] = p.vat[0];
	r[T('vatRate')] = p.vat[1];
	r[T('purchaseVatSymbol')] = p.vat[0];
	r[T('purchaseVatRate')] = p.vat[1];
	for (const k of ['lastPurchaseNet', 'purchasePriceCurrency', 'minStock', 'volume', 'manHours']) r[T(k)] = '0.0000';
	for (const k of ['purchaseRateKind', 'avgDeliveryDays', 'expiryDays', 'openPrice', 'priceBasis', 'weighed'])
		r[T(k)] = '0';
	return r;
}

const EPP_PRODUCTS: EppProduct[] = [
	{
		code: 'ŁÓD-001',
		name: 'Łódka wiosłowa żółta ĄĆĘŁŃÓŚŹŻ',
		unit: 'szt.',
		vat: ['23', '23.0000'],
		canonicalVat: '23',
		ean: '5901234123457',
		description: 'Zażółć gęślą jaźń, "z wiosłami"',
	},
	{ code: 'WIE-002', name: 'Wiertło "Żubr", 10 mm ąćęłńóśźż', unit: 'szt.', vat: ['8', '8.0000'], canonicalVat: '8' },
	{ code: 'ŹRÓ-003', name: 'Źródło ćma ą ć ę ł ń ó ś ź ż', unit: 'kg', vat: ['zw', '-1.0000'], canonicalVat: 'zw' },
	{ code: 'USŁ-004', name: 'Usługa montażu Śćęń', unit: 'godz.', vat: ['oo', '-5.0000'], canonicalVat: 'oo' },
];
/** [code, price name, net, gross] as Subiekt writes them (4 decimals) and as the portal must hold them */
const EPP_PRICES: Array<[string, string, string, string, { net: string; gross: string }]> = [
	['ŁÓD-001', 'Detaliczna', '100.0000', '123.0000', { net: '100.00', gross: '123.00' }],
	['ŁÓD-001', 'Hurtowa', '81.3008', '100.0000', { net: '81.30', gross: '100.00' }],
	['WIE-002', 'Hurtowa', '12.3450', '13.3326', { net: '12.35', gross: '13.33' }],
	['ŹRÓ-003', 'Hurtowa', '7.5000', '7.5000', { net: '7.50', gross: '7.50' }],
];

function towaryFile(products: EppProduct[], prices: typeof EPP_PRICES): Buffer {
	const sections: EppSection[] = [
		{ header: ['TOWARY'], name: 'TOWARY', body: products.map(towar) },
		{
			header: ['CENNIK'],
			name: 'CENNIK',
			body: prices.map(([c, n, net, gross]) => [c, n, net, gross, '0.0000', '0.0000', '0.0000']),
		},
	];
	return writeEpp({ info: INFO('1.05'), sections }, { encoding: 'windows-1250', version: '1.05' });
}

const K = (key: string) => indexOf(KONTRAHENCI_FIELDS_111, key);
const EPP_CLIENTS = [
	{
		code: 'ŻÓŁW',
		short: 'Żółw',
		name: 'Przedsiębiorstwo "Żółw", Sp. z o.o. ĄĆĘŁŃÓŚŹŻ',
		city: 'Gdańsk',
		postal: '80-001',
		street: 'ul. Źródlana 7/3',
		nip: '526-104-08-28',
		taxId: '5261040828',
		email: 'biuro@zolw.example',
	},
	{
		code: 'ĆMA',
		short: 'Ćma',
		name: 'Ćma Łańcuchy ąćęłńóśźż',
		city: 'Kraków',
		postal: '30-001',
		street: 'Rynek Główny 1',
		nip: '',
		taxId: undefined,
		email: '',
	},
];
function kontrahenciFile(): Buffer {
	const body = EPP_CLIENTS.map((c) => {
		const r = new Array<string>(KONTRAHENCI_FIELDS_111.length).fill('');
		r[K('clientType')] = '0';
		r[K('symbol')] = c.code;
		r[K('shortName')] = c.short;
		r[K('name')] = c.name;
		r[K('city')] = c.city;
		r[K('postalCode')] = c.postal;
		r[K('street')] = c.street;
		r[K('nip')] = c.nip;
		r[K('email')] = c.email;
		r[K('country')] = 'Polska';
		r[K('euPrefix')] = 'PL';
		r[K('isEu')] = '0';
		return r;
	});
	return writeEpp(
		{ info: INFO('1.11'), sections: [{ header: ['KONTRAHENCI'], name: 'KONTRAHENCI', body }] },
		{ encoding: 'windows-1250', version: '1.11' },
	);
}

/** stock as Subiekt/Excel write a CSV: Windows-1250, `;`, decimal commas, CRLF */
const SUBIEKT_STOCK = [
	{
		code: 'ŁÓD-001',
		name: 'Łódka wiosłowa żółta ĄĆĘŁŃÓŚŹŻ',
		wh: 'MAG',
		onHand: '12,5',
		reserved: '2',
		available: '10,5',
	},
	{ code: 'ŁÓD-001', name: 'Łódka wiosłowa żółta ĄĆĘŁŃÓŚŹŻ', wh: 'ŁÓDŹ', onHand: '3', reserved: '0', available: '3' },
	{
		code: 'WIE-002',
		name: 'Wiertło "Żubr", 10 mm ąćęłńóśźż',
		wh: 'MAG',
		onHand: '1 250',
		reserved: '250',
		available: '1 000',
	},
	{
		code: 'ŹRÓ-003',
		name: 'Źródło ćma ą ć ę ł ń ó ś ź ż',
		wh: 'MAG',
		onHand: '0,125',
		reserved: '0',
		available: '0,125',
	},
];
const csvCell = (v: string) => (/[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const stockCsv = (rows: typeof SUBIEKT_STOCK) =>
	cp1250(
		[
			'Symbol;Nazwa;Magazyn;Stan;Rezerwacja;Dostępne',
			...rows.map((r) => [r.code, r.name, r.wh, r.onHand, r.reserved, r.available].map(csvCell).join(';')),
		].join('\r\n') + '\r\n',
	);
const num = (v: string) => v.replace(/\s/g, '').replace(',', '.');
/**
 * what the portal may promise after the templates' stock buffer: 95 % of the file's available quantity, rounded
 * down to whole units (computed here in integer ten-thousandths)
 */
const buffered95 = (v: string): string => {
	const [whole, frac = ''] = num(v).split('.');
	const units = BigInt(whole) * 10_000n + BigInt((frac + '0000').slice(0, 4));
	return String((units * 95n) / 1_000_000n);
};

beforeAll(async () => {
	[portal, ftp] = await Promise.all([
		startPortalSimulator({ apiKey: 'e2e-portal-KEY-ftp-7c1d', webhookSecret: 'e2e-webhook-SECRET-żółć' }),
		startFtpSimulator(),
	]);
	n8n = await N8nInstance.create();
	await timed('install pack', () => n8n.installPack());
	await timed('import credentials', () =>
		n8n.importCredentials([
			{
				...FTP_CRED,
				type: 'ftp',
				data: { host: ftp.host, port: ftp.port, username: ftp.user, password: ftp.password },
			},
			{
				...PORTAL_CRED,
				type: 'b2bPortalApi',
				data: { baseUrl: portal.url, authType: 'apiKey', apiKey: portal.apiKey, webhookSecret: portal.webhookSecret },
			},
		]),
	);
	const names = Object.keys(MINE) as Name[];
	const workflows = names.map((name) => {
		const wf = template(name);
		if (name === 'folder-stock') {
			// what the consultant does: point Settings → filePath at the export
			const settings = wf.nodes.find((n: { name: string }) => n.name === 'Settings');
			settings.parameters.assignments.assignments[0].value = path.join(allowedDir, 'stany.csv');
		}
		return { workflow: wf, credentialIds: CREDENTIAL_IDS };
	});
	// one more copy of the folder template pointed OUTSIDE the allowed folders
	const outside = template('folder-stock');
	outside.name = 'folder stock, outside the allowed folders';
	outside.nodes.find((n: { name: string }) => n.name === 'Settings').parameters.assignments.assignments[0].value =
		path.join(ftp.root, 'stany.csv');
	const imported = await timed('import templates', () =>
		n8n.importWorkflows([...workflows, { workflow: outside, credentialIds: CREDENTIAL_IDS }]),
	);
	names.forEach((name, i) => (ids[name] = imported[i]));
	outsideId = imported[names.length];
});
let outsideId: string;

afterAll(async () => {
	await n8n?.dispose();
	await Promise.all([portal?.close(), ftp?.close()]);
	rmSync(allowedDir, { recursive: true, force: true });
	timings.push(`whole file: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	console.log(`file-sync e2e timings:\n  ${timings.join('\n  ')}`);
});

afterEach(() => {
	expect(portal.contractViolations).toEqual([]);
});

describe('the templates as shipped', () => {
	it.each(Object.values(MINE))(
		'%s: credentials by type only, error workflow ready, sticky notes, Run now first, ends with a heartbeat',
		(file) => {
			const wf = JSON.parse(readFileSync(path.join(TEMPLATES, file), 'utf8'));
			expect(wf.settings).toEqual({ executionOrder: 'v1', errorWorkflow: '' });
			// the steps of the parts it calls (the FTP templates fetch and archive the file in two shared parts)
			const nodes = [wf, ...partsCalledBy(wf).map((p) => p.workflow)].flatMap((w) => w.nodes as any[]);
			for (const node of nodes)
				for (const [type, ref] of Object.entries<{ id: string; name: string }>(node.credentials ?? {})) {
					expect(ref.id).toBe('');
					expect({ type, name: ref.name }).toEqual(
						type === 'ftp' ? { type, name: 'FTP account' } : { type: 'b2bPortalApi', name: 'B2B Portal account' },
					);
				}
			expect(
				wf.nodes.filter((n: { type: string }) => n.type === 'n8n-nodes-base.stickyNote').length,
			).toBeGreaterThanOrEqual(2);
			const heartbeat = wf.nodes.find((n: { name: string }) => n.name === 'Record run');
			expect(heartbeat.parameters).toMatchObject({ resource: 'syncStatus', operation: 'record', status: 'success' });
			expect(wf.connections['Record run']).toBeUndefined();
			const minutes = wf.nodes
				.filter((n: { type: string }) => n.type === 'n8n-nodes-base.scheduleTrigger')
				.map((s: { parameters: { rule: { interval: Array<Record<string, number | string>> } } }) => {
					const r = s.parameters.rule.interval[0];
					return r.field === 'minutes'
						? Number(r.minutesInterval)
						: r.field === 'hours'
							? 60 * Number(r.hoursInterval)
							: 1440;
				});
			expect(minutes.length).toBeGreaterThan(0);
			expect(heartbeat.parameters.expectedEveryMinutes).toBe(Math.min(...minutes));
			const triggers = wf.nodes.filter((n: { type: string }) => /Trigger$/i.test(n.type));
			expect(triggers[0]).toMatchObject({ name: 'Run now (test)', type: 'n8n-nodes-base.manualTrigger' });
			// every node a trigger starts is reachable, and every path ends in Record run
			const types = nodes.map((n: { type: string }) => n.type);
			expect(types).toContain('n8n-nodes-erp-b2b.erpFile');
			expect(types.some((t: string) => t === 'n8n-nodes-base.ftp' || t === 'n8n-nodes-base.readWriteFile')).toBe(true);
		},
	);
});

describe('Subiekt GT: EDI++ exports and a stock CSV on FTP', () => {
	const newest = towaryFile(EPP_PRODUCTS, EPP_PRICES);
	const older = towaryFile(
		[
			{ code: 'ŁÓD-001', name: 'Łódka STARA nazwa', unit: 'szt.', vat: ['23', '23.0000'], canonicalVat: '23' },
			{ code: 'OLD-999', name: 'Wycofany ąę', unit: 'szt.', vat: ['23', '23.0000'], canonicalVat: '23' },
		],
		[['OLD-999', 'Hurtowa', '1.0000', '1.2300', { net: '1.00', gross: '1.23' }]],
	);
	const clients = kontrahenciFile();
	const stock = stockCsv(SUBIEKT_STOCK);
	let results: Awaited<ReturnType<N8nInstance['executeBatch']>>;
	let afterProducts: { export: string[]; products: string[] };

	beforeAll(async () => {
		ftp.put('/export/towary_20261125_0200.epp', older, { mtime: new Date('2026-11-25T01:00:00Z') });
		ftp.put('/export/towary_20261126_0200.epp', newest, { mtime: new Date('2026-11-26T01:00:00Z') });
		ftp.put('/export/kontrahenci_20261126_0200.epp', clients, { mtime: new Date('2026-11-26T01:00:00Z') });
		ftp.put('/export/stany_20261126_0215.csv', stock, { mtime: new Date('2026-11-26T01:15:00Z') });
		ftp.put('/export/README.txt', Buffer.from('not an export'));
		// products alone first: the goods file must still be there for the prices template
		const p = await timed('execute subiekt-gt epp products', () => n8n.execute(ids['epp-products']));
		expect(p.error).toBeUndefined();
		afterProducts = { export: names('/export'), products: [...portal.state.products.keys()].sort() };
		results = await timed('execute-batch subiekt-gt epp prices, clients, file stock', () =>
			n8n.executeBatch([ids['epp-prices'], ids['epp-clients'], ids['subiekt-stock']]),
		);
	});

	it('all runs succeed from "Run now (test)" and record their heartbeat', () => {
		const newestFile = {
			'epp-prices': 'towary_20261126_0200.epp',
			'epp-clients': 'kontrahenci_20261126_0200.epp',
			'subiekt-stock': 'stany_20261126_0215.csv',
		};
		for (const name of ['epp-prices', 'epp-clients', 'subiekt-stock'] as const) {
			expect({ name, ...results[ids[name]] }).toMatchObject({ name, ok: true, status: 'success' });
			expect(ran(results[ids[name]].data)).toEqual(
				expect.arrayContaining([
					'Run now (test)',
					'Get the newest export file',
					'Move the files to the archive',
					'Record run',
				]),
			);
			// the part handed back the newest file, with the older matching ones for the archive
			const [got] = nodeItems(results[ids[name]].data, 'Get the newest export file');
			expect({ name, path: got.path }).toEqual({ name, path: `/export/${newestFile[name]}` });
			expect(got.matchingFiles).toEqual(
				name === 'epp-prices'
					? ['/export/towary_20261126_0200.epp', '/export/towary_20261125_0200.epp']
					: [`/export/${newestFile[name]}`],
			);
		}
		// Record run reads how many files the archive part moved
		const moved = (flow: string) => portal.state.syncStatus.get(flow)!.message;
		expect(moved('subiekt-gt epp prices')).toBe(
			'Imported /export/towary_20261126_0200.epp, 2 file(s) moved to /export/archiwum',
		);
		expect(moved('subiekt-gt epp clients')).toBe(
			'Imported /export/kontrahenci_20261126_0200.epp, 1 file(s) moved to /export/archiwum',
		);
		expect(moved('subiekt-gt file stock')).toBe(
			'Imported /export/stany_20261126_0215.csv, 1 file(s) moved to /export/archiwum',
		);
		expect(moved('subiekt-gt epp products')).toBe(
			'Imported /export/towary_20261126_0200.epp, left in place (no archive folder set)',
		);
		expect(portal.state.syncStatus.get('subiekt-gt epp products')).toMatchObject({
			status: 'success',
			expectedEveryMinutes: 60,
			counts: { files: 1, products: 4, created: 4, failed: 0 },
		});
		expect(portal.state.syncStatus.get('subiekt-gt epp prices')).toMatchObject({ counts: { files: 1, prices: 4 } });
		expect(portal.state.syncStatus.get('subiekt-gt epp clients')).toMatchObject({
			counts: { files: 1, clients: 2 },
			expectedEveryMinutes: 1440,
		});
		expect(portal.state.syncStatus.get('subiekt-gt file stock')).toMatchObject({
			counts: { files: 1, stock: 4 },
			expectedEveryMinutes: 15,
		});
	});

	it('products: exactly the TOWARY of the newest export, names byte for byte from Windows-1250', () => {
		expect(afterProducts.products).toEqual(EPP_PRODUCTS.map((p) => p.code).sort());
		expect([...portal.state.products.keys()].sort()).toEqual(EPP_PRODUCTS.map((p) => p.code).sort());
		for (const p of EPP_PRODUCTS) {
			const got = portal.state.products.get(p.code)!;
			expectSameBytes(got.name, p.name, newest, { doubledQuotes: true });
			expect(got).toMatchObject({ code: p.code, unit: p.unit, vatRate: p.canonicalVat, active: true });
			if (p.ean) expect(got.ean).toBe(p.ean);
		}
		expect(portal.state.products.get('ŁÓD-001')!.description).toBe('Zażółć gęślą jaźń, "z wiosłami"');
	});

	it('the products template leaves the goods file for the prices template, which archives it with the older one', () => {
		expect(afterProducts.export).toEqual(
			expect.arrayContaining(['towary_20261125_0200.epp', 'towary_20261126_0200.epp']),
		);
		expect(portal.state.syncStatus.get('subiekt-gt epp products')!.message).toContain('left in place');
		const archived = names('/export/archiwum');
		const inArchive = (suffix: string) =>
			archived.filter((n) => new RegExp(`^\\d{8}-\\d{6}-${suffix.replace(/\./g, '\\.')}$`).test(n));
		expect(inArchive('towary_20261126_0200.epp')).toHaveLength(1);
		expect(inArchive('towary_20261125_0200.epp')).toHaveLength(1);
		expect(inArchive('kontrahenci_20261126_0200.epp')).toHaveLength(1);
		expect(inArchive('stany_20261126_0215.csv')).toHaveLength(1);
		expect(ftp.read(`/export/archiwum/${inArchive('towary_20261126_0200.epp')[0]}`)!.equals(newest)).toBe(true);
		expect(ftp.read(`/export/archiwum/${inArchive('stany_20261126_0215.csv')[0]}`)!.equals(stock)).toBe(true);
		expect(names('/export')).toEqual(['README.txt']);
	});

	it("prices: exactly the CENNIK of the newest export (the older file's prices never sent)", () => {
		const prices = [...portal.state.prices.values()];
		expect(prices).toHaveLength(EPP_PRICES.length);
		for (const [code, list, , , want] of EPP_PRICES) {
			const got = prices.filter((p) => p.productCode === code && p.scope === 'priceList' && p.scopeCode === list);
			expect(got).toEqual([expect.objectContaining({ currency: 'PLN', ...want })]);
		}
		expect(prices.some((p) => p.productCode === 'OLD-999')).toBe(false);
	});

	it('clients: exactly the KONTRAHENCI (format 1.11), names byte for byte, NIP normalised', () => {
		expect([...portal.state.clients.keys()].sort()).toEqual(EPP_CLIENTS.map((c) => c.code).sort());
		for (const c of EPP_CLIENTS) {
			const got = portal.state.clients.get(c.code)!;
			expectSameBytes(got.name, c.name, clients, { doubledQuotes: true });
			expect(got.taxId).toBe(c.taxId);
			expect(got.addresses).toEqual([
				expect.objectContaining({
					type: 'billing',
					street: c.street,
					postalCode: c.postal,
					city: c.city,
					countryCode: 'PL',
				}),
			]);
		}
		expect(portal.state.clients.get('ŻÓŁW')!.email).toBe('biuro@zolw.example');
	});

	it('stock: exactly the CSV rows per product and warehouse, decimal commas and thousands spaces read, available 95 % rounded down', () => {
		// the buffer as a shop owner reads it: 10.5 → 9, 3 → 2, 1000 → 950, 0.125 → 0
		expect(SUBIEKT_STOCK.map((r) => buffered95(r.available))).toEqual(['9', '2', '950', '0']);
		expect(portal.state.stock.size).toBe(SUBIEKT_STOCK.length);
		for (const r of SUBIEKT_STOCK) {
			const got = portal.state.stock.get(portal.state.keys.stock({ productCode: r.code, warehouseCode: r.wh }));
			expect({ code: r.code, wh: r.wh, ...got }).toMatchObject({
				onHand: num(r.onHand),
				reserved: num(r.reserved),
				available: buffered95(r.available),
			});
		}
		// the warehouse code with Polish letters came through as UTF-8 too
		expect(
			Buffer.from(
				portal.state.stock.get(portal.state.keys.stock({ productCode: 'ŁÓD-001', warehouseCode: 'ŁÓDŹ' }))!
					.warehouseCode,
				'utf8',
			).equals(Buffer.from('ŁÓDŹ', 'utf8')),
		).toBe(true);
	});

	it('a run with no new file sends nothing and still records its heartbeat', async () => {
		portal.state.syncStatus.clear();
		portal.requests.length = 0;
		const run = await timed('execute subiekt-gt epp clients (no file)', () => n8n.execute(ids['epp-clients']));
		expect(run.error).toBeUndefined();
		// the part found nothing: its node passes one empty item on, and the run goes straight to Record run
		expect(nodeItems(run.data, 'Get the newest export file')).toEqual([{}]);
		expect(ran(run.data)).not.toContain('ERP File: read clients');
		expect(ran(run.data)).not.toContain('Move the files to the archive');
		expect(portal.requests.filter((r) => r.path.includes('/batch'))).toEqual([]);
		expect(portal.state.syncStatus.get('subiekt-gt epp clients')).toMatchObject({
			status: 'success',
			counts: { files: 0, clients: 0 },
			message: expect.stringContaining('No file matching'),
		});
	});

	it('a cut-off EDI++ file fails the run naming the file and line; nothing sent, the file stays', async () => {
		const full = kontrahenciFile();
		const cut = full.subarray(0, full.length - 40); // the export was interrupted mid-record
		ftp.put('/export/kontrahenci_20261127_0200.epp', cut, { mtime: new Date('2026-11-27T01:00:00Z') });
		portal.state.syncStatus.clear();
		portal.requests.length = 0;
		const before = JSON.stringify([...portal.state.clients.entries()]);
		const run = await timed('execute subiekt-gt epp clients (cut-off file)', () => n8n.execute(ids['epp-clients']));
		expect(run.ok).toBe(false);
		expect(run.error).toContain('kontrahenci_20261127_0200.epp');
		expect(run.error).toMatch(/line \d+, field \d+/);
		expect(portal.requests.filter((r) => r.path.includes('/batch'))).toEqual([]);
		expect(JSON.stringify([...portal.state.clients.entries()])).toBe(before);
		expect(portal.state.syncStatus.get('subiekt-gt epp clients')).toBeUndefined();
		expect(names('/export')).toContain('kontrahenci_20261127_0200.epp');
		expect(names('/export/archiwum').some((n) => n.endsWith('kontrahenci_20261127_0200.epp'))).toBe(false);
		ftp.put('/export/kontrahenci_20261127_0200.epp', full); // fixed by re-exporting
	});

	it('delta on the goods export: a refused write is sent again next run; a product missing from the new full export is deactivated, a renamed one sent alone; re-reading the file left in place sends nothing', async () => {
		const products = '/v1/products/batch';
		const sentSince = (mark: number) =>
			portal.requests
				.slice(mark)
				.filter((r) => r.method === 'POST' && r.path === products && r.status === 200)
				.reduce((n, r) => n + (r.itemCount ?? 0), 0);
		const renamed = { ...EPP_PRODUCTS[0], name: 'Łódka wiosłowa NOWA zażółć gęślą jaźń' };
		const next = towaryFile([renamed, EPP_PRODUCTS[1], EPP_PRODUCTS[2]], EPP_PRICES); // USŁ-004 gone
		ftp.put('/export/towary_20261127_0200.epp', next, { mtime: new Date('2026-11-27T01:00:00Z') });

		const uslBefore = structuredClone(portal.state.products.get('USŁ-004'));
		expect(uslBefore).toMatchObject({ active: true, name: expect.stringMatching(/\S/) });
		portal.faults.add({ method: 'POST', path: products, kind: 'status', status: 422, times: 1 });
		const refused = await timed('execute subiekt-gt epp products (portal refuses)', () =>
			n8n.execute(ids['epp-products']),
		);
		expect(refused.ok).toBe(false);
		expect(portal.state.products.get('ŁÓD-001')!.name).toBe(EPP_PRODUCTS[0].name);

		portal.state.syncStatus.clear();
		let mark = portal.requests.length;
		const run = await timed('execute subiekt-gt epp products (after the refusal)', () =>
			n8n.execute(ids['epp-products']),
		);
		expect(run.error).toBeUndefined();
		expect(nodeRecords(run.data, 'Only changed products', 0, n8n.userFolder).map((p) => p.code)).toEqual(['ŁÓD-001']);
		expect(nodeItems(run.data, 'Only changed products', 1)).toEqual([
			{ entity: 'product', code: 'USŁ-004', deleted: true },
		]);
		expect(sentSince(mark)).toBe(1);
		expectSameBytes(portal.state.products.get('ŁÓD-001')!.name, renamed.name, next, { doubledQuotes: true });
		// deactivated by a partial update: its name and the rest as the last export had them
		expect(
			portal.requests.slice(mark).filter((r) => r.method === 'PATCH' && r.path === products && r.status === 200),
		).toEqual([expect.objectContaining({ itemCount: 1 })]);
		expect(portal.state.products.get('USŁ-004')).toEqual({ ...uslBefore, active: false });
		expect(portal.state.products.get('WIE-002')).toMatchObject({ active: true, name: EPP_PRODUCTS[1].name });
		expect(portal.state.syncStatus.get('subiekt-gt epp products')).toMatchObject({
			counts: { files: 1, products: 1, deactivated: 1 },
		});

		// the products template leaves the goods file for the prices template: the next run reads it again
		portal.state.syncStatus.clear();
		mark = portal.requests.length;
		const again = await timed('execute subiekt-gt epp products (same file)', () => n8n.execute(ids['epp-products']));
		expect(again.error).toBeUndefined();
		expect(nodeRecords(again.data, 'ERP File: read products', 0, n8n.userFolder)).toHaveLength(3);
		expect(sentSince(mark)).toBe(0);
		expect(portal.state.syncStatus.get('subiekt-gt epp products')).toMatchObject({
			status: 'success',
			counts: { files: 1, products: 0, deactivated: 0 },
		});
		rmSync(path.join(ftp.root, 'export', 'towary_20261127_0200.epp')); // out of the way of the tests below
	});
});

describe('any ERP: CSV files on FTP, and a CSV in a folder', () => {
	// products: the Windows-1250 fixture (Symbol;Nazwa;Jednostka;VAT;EAN)
	const towary = readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'files', 'towary-cp1250.csv'));
	const CSV_PRODUCTS = [
		{ code: 'ŁÓD-001', name: 'Łódka żółta ĄĘŚ', unit: 'szt.', vatRate: '23', ean: '5901234123457' },
		{ code: 'ŻAG-002', name: 'Żagiel źrebięcy ćma ŃÓŹ', unit: 'szt.', vatRate: '8' },
		{ code: 'WIO-003', name: 'Wiosło ą ć ę ł ń ó ś ź ż', unit: 'para', vatRate: 'zw' },
	];
	// prices: UTF-8 with a byte-order mark, `;`, decimal commas, a price list per row
	const ceny = Buffer.concat([
		Buffer.from([0xef, 0xbb, 0xbf]),
		Buffer.from(
			'Symbol;Cennik;Netto;Brutto;Waluta\r\nŁÓD-001;Hurtowa;129,99;159,89;PLN\r\nŁÓD-001;Detaliczna;150;184,50;\r\nŻAG-002;Hurtowa;"1 012,5";;EUR\r\n',
			'utf8',
		),
	]);
	// clients: Windows-1250, `;`
	const kontrahenci = cp1250(
		'Symbol;Nazwa;NIP;Email;Telefon;Cennik;Zablokowany;Ulica;Kod pocztowy;Miasto;Kraj\r\n' +
			'K-ŚWIĘTY;Hurtownia Świętokrzyska „Gęś” ąćęłńóśźż;5261040828;zamowienia@swiety.example;+48 41 000 00 00;Hurtowa;0;ul. Żelazna 5;25-001;Kielce;PL\r\n' +
			'K-ŹDŹBŁO;Źdźbło Sp. z o.o. ĄĆĘŁŃÓŚŹŻ;;;;Detaliczna;1;;;;\r\n',
	);
	const stany = stockCsv(SUBIEKT_STOCK.slice(0, 2));

	beforeAll(() => {
		portal.reset();
		ftp.put('/export/towary_20261128_0100.csv', towary, { mtime: new Date('2026-11-28T00:00:00Z') });
		ftp.put('/export/ceny_20261128_0100.csv', ceny, { mtime: new Date('2026-11-28T00:00:00Z') });
		ftp.put('/export/kontrahenci_20261128_0100.csv', kontrahenci, { mtime: new Date('2026-11-28T00:00:00Z') });
		ftp.put('/export/stany_20261128_0100.csv', stany, { mtime: new Date('2026-11-28T00:00:00Z') });
		// two stock exports in the same minute: the name (later time in it) decides
		ftp.put('/export/stany_20261128_0100b.csv', stockCsv(SUBIEKT_STOCK.slice(2)), {
			mtime: new Date('2026-11-28T00:00:00Z'),
		});
		mkdirSync(allowedDir, { recursive: true });
		writeFileSync(path.join(allowedDir, 'stany.csv'), stockCsv(SUBIEKT_STOCK));
	});

	it('products, prices, clients and stock: exactly what the files hold', async () => {
		const results = await timed('execute-batch csv products, prices, clients, stock', () =>
			n8n.executeBatch([ids['csv-products'], ids['csv-prices'], ids['csv-clients'], ids['csv-stock']]),
		);
		const newestFile = {
			'csv-products': 'towary_20261128_0100.csv',
			'csv-prices': 'ceny_20261128_0100.csv',
			'csv-clients': 'kontrahenci_20261128_0100.csv',
			'csv-stock': 'stany_20261128_0100b.csv',
		};
		for (const name of ['csv-products', 'csv-prices', 'csv-clients', 'csv-stock'] as const) {
			expect({ name, ...results[ids[name]] }).toMatchObject({ name, ok: true });
			// the same two shared parts as the Subiekt GT file templates get the file and archive it
			expect(ran(results[ids[name]].data)).toEqual(
				expect.arrayContaining(['Get the newest export file', 'Move the files to the archive', 'Record run']),
			);
			const [got] = nodeItems(results[ids[name]].data, 'Get the newest export file');
			expect({ name, path: got.path }).toEqual({ name, path: `/export/${newestFile[name]}` });
			expect({ name, matchingFiles: got.matchingFiles }).toEqual({
				name,
				matchingFiles:
					name === 'csv-stock'
						? ['/export/stany_20261128_0100b.csv', '/export/stany_20261128_0100.csv']
						: [`/export/${newestFile[name]}`],
			});
			const flow = `file-sync ${name.slice(4)}`;
			expect({ flow, message: portal.state.syncStatus.get(flow)?.message }).toEqual({
				flow,
				message: `Imported /export/${newestFile[name]}, ${name === 'csv-stock' ? 2 : 1} file(s) moved to /export/archiwum`,
			});
		}

		expect([...portal.state.products.keys()].sort()).toEqual(CSV_PRODUCTS.map((p) => p.code).sort());
		for (const p of CSV_PRODUCTS) {
			const got = portal.state.products.get(p.code)!;
			expectSameBytes(got.name, p.name, towary);
			expect(got).toMatchObject(p);
		}

		const prices = [...portal.state.prices.values()].map((p) => ({ ...p }));
		expect(prices).toHaveLength(3);
		expect(prices).toEqual(
			expect.arrayContaining([
				expect.objectContaining({
					productCode: 'ŁÓD-001',
					scope: 'priceList',
					scopeCode: 'Hurtowa',
					currency: 'PLN',
					net: '129.99',
					gross: '159.89',
				}),
				expect.objectContaining({
					productCode: 'ŁÓD-001',
					scope: 'priceList',
					scopeCode: 'Detaliczna',
					currency: 'PLN',
					net: '150.00',
					gross: '184.50',
				}),
				expect.objectContaining({
					productCode: 'ŻAG-002',
					scope: 'priceList',
					scopeCode: 'Hurtowa',
					currency: 'EUR',
					net: '1012.50',
				}),
			]),
		);

		expect([...portal.state.clients.keys()].sort()).toEqual(['K-ŚWIĘTY', 'K-ŹDŹBŁO'].sort());
		const swiety = portal.state.clients.get('K-ŚWIĘTY')!;
		expectSameBytes(swiety.name, 'Hurtownia Świętokrzyska „Gęś” ąćęłńóśźż', kontrahenci);
		expect(swiety).toMatchObject({
			taxId: '5261040828',
			email: 'zamowienia@swiety.example',
			priceListCode: 'Hurtowa',
			blocked: false,
		});
		expect(swiety.addresses).toEqual([
			expect.objectContaining({ street: 'ul. Żelazna 5', postalCode: '25-001', city: 'Kielce', countryCode: 'PL' }),
		]);
		expect(portal.state.clients.get('K-ŹDŹBŁO')).toMatchObject({ blocked: true, priceListCode: 'Detaliczna' });

		// the newest stock file by name (same minute) is the "b" one: only its rows
		expect(portal.state.stock.size).toBe(2);
		for (const r of SUBIEKT_STOCK.slice(2))
			expect(
				portal.state.stock.get(portal.state.keys.stock({ productCode: r.code, warehouseCode: r.wh })),
			).toMatchObject({
				onHand: num(r.onHand),
				available: buffered95(r.available),
			});
		expect(names('/export').filter((n) => n.endsWith('.csv'))).toEqual([]);
		expect(portal.state.syncStatus.get('file-sync stock')).toMatchObject({
			counts: { files: 1, stock: 2 },
			message: expect.stringContaining('2 file(s) moved to /export/archiwum'),
		});
	});

	it('a CSV row with a bad number fails the run naming file, line and field; the portal receives nothing; the file is not archived', async () => {
		const bad = readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'files', 'ceny-zla-cena-cp1250.csv'));
		ftp.put('/export/ceny_20261129_0100.csv', bad, { mtime: new Date('2026-11-29T00:00:00Z') });
		portal.state.syncStatus.clear();
		portal.requests.length = 0;
		const before = JSON.stringify([...portal.state.prices.entries()]);
		const run = await timed('execute csv prices (bad number)', () => n8n.execute(ids['csv-prices']));
		expect(run.ok).toBe(false);
		expect(run.error).toContain('ceny_20261129_0100.csv');
		expect(run.error).toContain('line 3');
		expect(run.error).toContain('net');
		expect(ran(run.data)).not.toContain('Send prices to portal');
		expect(portal.requests.filter((r) => r.path.startsWith('/v1/prices'))).toEqual([]);
		expect(JSON.stringify([...portal.state.prices.entries()])).toBe(before);
		expect(portal.state.syncStatus.get('file-sync prices')).toBeUndefined();
		expect(names('/export')).toContain('ceny_20261129_0100.csv');
		expect(ftp.read('/export/ceny_20261129_0100.csv')!.equals(bad)).toBe(true);
		expect(names('/export/archiwum').some((n) => n.endsWith('ceny_20261129_0100.csv'))).toBe(false);
		// the FTP password never shows up in what n8n printed
		expect(run.stdout + run.stderr).not.toContain(ftp.password);
	});

	it('an export with a header and no rows: nothing sent, the file archived, the heartbeat says 0', async () => {
		const empty = cp1250('Symbol;Nazwa;NIP;Email;Telefon;Cennik;Zablokowany;Ulica;Kod pocztowy;Miasto;Kraj\r\n');
		ftp.put('/export/kontrahenci_20261129_0100.csv', empty, { mtime: new Date('2026-11-29T00:00:00Z') });
		portal.state.syncStatus.clear();
		portal.requests.length = 0;
		const clientsBefore = portal.state.clients.size;
		const run = await timed('execute csv clients (header only)', () => n8n.execute(ids['csv-clients']));
		expect(run.error).toBeUndefined();
		expect(portal.requests.filter((r) => r.path.startsWith('/v1/clients'))).toEqual([]);
		expect(portal.state.clients.size).toBe(clientsBefore);
		expect(names('/export')).not.toContain('kontrahenci_20261129_0100.csv');
		expect(names('/export/archiwum').filter((n) => n.endsWith('-kontrahenci_20261129_0100.csv'))).toHaveLength(1);
		expect(portal.state.syncStatus.get('file-sync clients')).toMatchObject({
			status: 'success',
			counts: { files: 1, clients: 0 },
			message: expect.stringContaining('Imported /export/kontrahenci_20261129_0100.csv, 1 file(s) moved'),
		});
	});

	it('a CSV run with no new file sends nothing and still records its heartbeat', async () => {
		expect(names('/export').filter((n) => /^towary.*\.csv$/i.test(n))).toEqual([]); // archived by the first run
		portal.state.syncStatus.clear();
		portal.requests.length = 0;
		const run = await timed('execute csv products (no file)', () => n8n.execute(ids['csv-products']));
		expect(run.error).toBeUndefined();
		// the part found nothing: its node passes one empty item on, and the run goes straight to Record run
		expect(nodeItems(run.data, 'Get the newest export file')).toEqual([{}]);
		expect(ran(run.data)).not.toContain('ERP File: read products');
		expect(ran(run.data)).not.toContain('Move the files to the archive');
		expect(portal.requests.filter((r) => r.path.includes('/batch'))).toEqual([]);
		expect(portal.state.syncStatus.get('file-sync products')).toMatchObject({
			status: 'success',
			counts: { files: 0, products: 0 },
			message: 'No file matching /^towary.*\\.csv$/i in /export',
		});
	});

	it('the portal refusing the batch fails the run and leaves the file for the next run, which imports and archives it', async () => {
		const file = stockCsv(SUBIEKT_STOCK);
		ftp.put('/export/stany_20261129_0100.csv', file, { mtime: new Date('2026-11-29T00:00:00Z') });
		portal.state.stock.clear();
		portal.state.syncStatus.clear();
		const refusal = portal.faults.add({
			method: 'POST',
			path: '/v1/stock/batch',
			kind: 'status',
			status: 403,
			times: Infinity,
		});
		const run = await timed('execute csv stock (portal answers 403)', () => n8n.execute(ids['csv-stock']));
		portal.faults.clear();
		expect(run.ok).toBe(false);
		expect(refusal.hits).toBeGreaterThanOrEqual(1);
		expect(run.error).toContain('403');
		expect(ran(run.data)).toContain('Get the newest export file');
		expect(ran(run.data)).not.toContain('Move the files to the archive');
		expect(portal.state.stock.size).toBe(0);
		expect(portal.state.syncStatus.get('file-sync stock')).toBeUndefined();
		expect(names('/export')).toContain('stany_20261129_0100.csv');

		const again = await timed('execute csv stock (portal back)', () => n8n.execute(ids['csv-stock']));
		expect(again.error).toBeUndefined();
		expect(portal.state.stock.size).toBe(SUBIEKT_STOCK.length);
		expect(names('/export')).not.toContain('stany_20261129_0100.csv');
		const archived = names('/export/archiwum').filter((n) => n.endsWith('-stany_20261129_0100.csv'));
		expect(archived).toHaveLength(1);
		expect(ftp.read(`/export/archiwum/${archived[0]}`)!.equals(file)).toBe(true);
		expect(portal.state.syncStatus.get('file-sync stock')).toMatchObject({
			counts: { files: 1, stock: SUBIEKT_STOCK.length, failed: 0 },
		});
	});

	it('stock sold below zero: a Windows-1250 CSV with a -3 row is synced whole, that level is available 0, the run counts it', async () => {
		// goods issued before their receipt is booked: the ERP exports on hand -3 (issue #11)
		const below = { code: 'ŻUK-7', name: 'Żuk ćma ąęłńóśźż', wh: 'MAG', onHand: '-3', reserved: '0', available: '-3' };
		const rows = [...SUBIEKT_STOCK.slice(0, 2), below];
		const file = stockCsv(rows);
		expect(file.includes(cp1250('Żuk ćma ąęłńóśźż'))).toBe(true);
		ftp.put('/export/stany_20261130_0100.csv', file, { mtime: new Date('2026-11-30T00:00:00Z') });
		portal.state.stock.clear();
		portal.state.syncStatus.clear();
		const run = await timed('execute csv stock (a row below zero)', () => n8n.execute(ids['csv-stock']));
		expect(run.error).toBeUndefined();
		// the whole file is synced: the other rows as always, the -3 row as 0 (never the ERP's -3)
		expect(portal.state.stock.size).toBe(rows.length);
		for (const r of rows.slice(0, 2))
			expect(
				portal.state.stock.get(portal.state.keys.stock({ productCode: r.code, warehouseCode: r.wh })),
			).toMatchObject({ onHand: num(r.onHand), available: buffered95(r.available) });
		expect(portal.state.stock.get(portal.state.keys.stock({ productCode: 'ŻUK-7', warehouseCode: 'MAG' }))).toEqual(
			expect.objectContaining({
				productCode: 'ŻUK-7',
				warehouseCode: 'MAG',
				onHand: '0',
				reserved: '0',
				available: '0',
			}),
		);
		expect(
			portal.state.stock.get(portal.state.keys.stock({ productCode: 'ŻUK-7', warehouseCode: 'MAG' })),
		).not.toHaveProperty('_belowZero');
		// the run's summary counts it and names it
		expect(portal.state.syncStatus.get('file-sync stock')).toMatchObject({
			status: 'success',
			counts: { files: 1, stock: rows.length, failed: 0, negativeStock: 1 },
			message: expect.stringContaining('; 1 stock level(s) below zero in the file, sent with available 0: ŻUK-7 / MAG'),
		});
		// the template's read hands over one batch file (Output → Batch Files, 5,000 per batch) that counts the level
		expect(nodeItems(run.data, 'ERP File: read stock')).toEqual([
			{ entity: 'stock', batch: 1, count: rows.length, negativeStock: 1, negativeStockLevels: ['ŻUK-7 / MAG'] },
		]);
		expect(nodeRecords(run.data, 'ERP File: read stock', 0, n8n.userFolder)).toContainEqual(
			expect.objectContaining({
				productCode: 'ŻUK-7',
				onHand: '0',
				available: '0',
				_belowZero: { onHand: '-3', available: '-3' },
			}),
		);
		// archived like any good file
		expect(names('/export')).not.toContain('stany_20261130_0100.csv');
		expect(names('/export/archiwum').filter((n) => n.endsWith('-stany_20261130_0100.csv'))).toHaveLength(1);
	});

	it('folder variant: reads the CSV inside ~/.n8n-files (n8n 2.x default), and is refused outside it', async () => {
		portal.state.stock.clear();
		const run = await timed('execute folder stock', () => n8n.execute(ids['folder-stock']));
		expect(run.error).toBeUndefined();
		expect(portal.state.stock.size).toBe(SUBIEKT_STOCK.length);
		for (const r of SUBIEKT_STOCK)
			expect(
				portal.state.stock.get(portal.state.keys.stock({ productCode: r.code, warehouseCode: r.wh })),
			).toMatchObject({
				onHand: num(r.onHand),
				reserved: num(r.reserved),
				available: buffered95(r.available),
			});
		expect(portal.state.syncStatus.get('file-sync folder stock')).toMatchObject({ counts: { files: 1, stock: 4 } });
		expect(nodeItems(run.data, 'Read the export file')).toEqual([expect.objectContaining({ fileName: 'stany.csv' })]);

		ftp.put('/stany.csv', stockCsv(SUBIEKT_STOCK)); // a real file, but outside the allowed folders
		const refused = await timed('execute folder stock (outside the allowed folders)', () => n8n.execute(outsideId));
		expect(refused.ok).toBe(false);
		expect(refused.error).toMatch(/not allowed|No file/);
		expect(readdirSync(allowedDir)).toEqual(['stany.csv']);
	});
});

describe('activation', () => {
	it('n8n activates every template (schedule rules and parameters accepted)', async () => {
		const all = Object.keys(MINE) as Name[];
		try {
			const { publications } = await timed('publish 9 templates + start n8n', async () => {
				for (const name of all) await n8n.publish(ids[name]);
				return n8n.start();
			});
			expect(
				all.map((name) => ({ name, status: publications.find((p) => p.workflowId === ids[name])?.status })),
			).toEqual(all.map((name) => ({ name, status: 'completed' })));
		} finally {
			await n8n.stop(); // before any schedule can fire
		}
	});
});
