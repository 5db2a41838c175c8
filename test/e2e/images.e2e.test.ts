/**
 * The product-image templates in a real n8n 2.41.1 with the packed pack, one n8n for the file:
 * - sap-b1-images (bytes through the Service Layer's ItemImages) and sap-b1-images-folder (file names from SAP,
 *   files read by n8n's Read Files node from the pictures folder) against the SAP B1 simulator,
 * - subiekt-gt-images against the Subiekt GT SQL (TDS) simulator,
 * all writing to the portal simulator. For each: the first run sends every image (the portal holds their bytes);
 * a second run after ONE picture was replaced under the same name sends exactly that one (content hash through
 * the Delta guard, whose state n8n keeps between `n8n execute` runs).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { N8nInstance, REPO_ROOT } from './harness/n8n-instance';
import { sqlServerCredentialData } from '../fixtures/credentials';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { startSapSimulator, type SapSimulator } from '../simulators/sap-b1/server';
import { picture, seedDatabase, type SubiektDatabase } from '../simulators/sql-server/subiekt/data';
import { DEFAULT_DATABASE, SqlServerSimulator } from '../simulators/sql-server/server';
import { subiektSchema } from '../simulators/sql-server/subiekt';
import { imageBytes } from '../fixtures/images';

jest.setTimeout(240_000);

const template = (file: string) => JSON.parse(readFileSync(path.join(REPO_ROOT, 'workflows-templates', file), 'utf8'));
const SAP_CRED = { id: 'sapB1Cred00001', name: 'SAP Business One account' };
const SQL_CRED = { id: 'subiektSql0001', name: 'Subiekt GT SQL Server account' };
const PORTAL_CRED = { id: 'portalCred0001', name: 'B2B Portal account' };
const CREDENTIAL_IDS = { sapB1Api: SAP_CRED, subiektGtSqlApi: SQL_CRED, b2bPortalApi: PORTAL_CRED };
const IMAGES = '/v1/product-images/batch';

let sap: SapSimulator;
let sql: SqlServerSimulator;
let db: SubiektDatabase;
let portal: PortalSimulator;
let n8n: N8nInstance;
let allowedRoot: string;
let picturesDir: string;
const ids = { sap: '', folder: '', subiekt: '' };

/** SAP items with pictures: file name in Items.Picture, bytes in SAP's pictures folder (and the same file on the share) */
const PICTURES: Array<{ file: string; bytes: Buffer }> = [
	{ file: 'łódka żółta.jpg', bytes: imageBytes.jpeg('łódka') },
	{ file: 'żagiel.png', bytes: imageBytes.png('żagiel') },
	{ file: 'gęś.gif', bytes: imageBytes.gif('gęś') },
	{ file: 'źdźbło.webp', bytes: imageBytes.webp('źdźbło') },
];
let pictured: string[] = [];

const recordsSent = (mark: number) =>
	portal.requests
		.slice(mark)
		.filter((r) => r.method === 'POST' && r.path === IMAGES && r.status === 200)
		.reduce((n, r) => n + (r.itemCount ?? 0), 0);
const portalImage = (productCode: string, position = 0) =>
	portal.state.images.get(portal.state.keys.image({ productCode, position }));

async function run(id: string, label: string): Promise<void> {
	const r = await n8n.execute(id);
	expect({ label, ok: r.ok, error: r.error }).toEqual({ label, ok: true, error: undefined });
}

beforeAll(async () => {
	[sap, portal] = await Promise.all([
		startSapSimulator({ seed: { items: 8, seed: 11 }, clock: { start: Date.now(), frozen: true } }),
		startPortalSimulator({ apiKey: 'e2e-portal-KEY-5ab1c9e2', webhookSecret: 'e2e-webhook-SECRET-żółć' }),
	]);
	db = seedDatabase();
	sql = new SqlServerSimulator({ databases: { [DEFAULT_DATABASE]: subiektSchema(db) } });
	await sql.start();
	allowedRoot = mkdtempSync(path.join(tmpdir(), 'images-e2e-files-'));
	picturesDir = path.join(allowedRoot, 'sap-obrazy');
	mkdirSync(picturesDir);
	pictured = sap.state
		.itemsInOrder()
		.slice(0, PICTURES.length)
		.map((i) => i.ItemCode);
	PICTURES.forEach((p, i) => {
		sap.state.setItemPicture(pictured[i], p.file, p.bytes);
		writeFileSync(path.join(picturesDir, p.file), p.bytes);
	});

	n8n = await N8nInstance.create({ env: { N8N_RESTRICT_FILE_ACCESS_TO: allowedRoot } });
	await n8n.installPack();
	await n8n.importCredentials([
		{
			...SAP_CRED,
			type: 'sapB1Api',
			data: {
				serviceLayerUrl: sap.url,
				companyDb: sap.companyDb,
				username: sap.users[0].name,
				password: sap.users[0].password,
			},
		},
		{
			...SQL_CRED,
			type: 'subiektGtSqlApi',
			data: sqlServerCredentialData(sql),
		},
		{
			...PORTAL_CRED,
			type: 'b2bPortalApi',
			data: { baseUrl: portal.url, authType: 'apiKey', apiKey: portal.apiKey, webhookSecret: portal.webhookSecret },
		},
	]);
	// the one line an installation changes in the folder template: where n8n sees SAP's pictures folder
	const folder = template('sap-b1/sap-b1-images-folder.json');
	const read = folder.nodes.find((n: { name: string }) => n.name === 'Read picture files');
	expect(read.parameters.fileSelector).toBe("={{ '/home/node/.n8n-files/sap-obrazy/' + $json.fileName }}");
	read.parameters.fileSelector = `={{ '${picturesDir}/' + $json.fileName }}`;
	const [a, b, c] = await n8n.importWorkflows(
		[template('sap-b1/sap-b1-images.json'), folder, template('subiekt-gt/subiekt-gt-images.json')].map((workflow) => ({
			workflow,
			credentialIds: CREDENTIAL_IDS,
		})),
	);
	Object.assign(ids, { sap: a, folder: b, subiekt: c });
});

afterAll(async () => {
	await n8n?.dispose();
	await Promise.all([sap?.close(), portal?.close(), sql?.stop()]);
	if (allowedRoot) rmSync(allowedRoot, { recursive: true, force: true });
});

afterEach(() => {
	expect(portal.contractViolations).toEqual([]);
	expect(sap.crashes).toEqual([]);
});

describe('SAP B1 through the Service Layer (ItemImages)', () => {
	it('first run sends every picture with its bytes; the portal holds them', async () => {
		const mark = portal.requests.length;
		await run(ids.sap, 'sap-b1-images, first run');
		expect(recordsSent(mark)).toBe(PICTURES.length);
		PICTURES.forEach((p, i) => {
			const img = portalImage(pictured[i])!;
			expect(Buffer.from(img.dataBase64!, 'base64')).toEqual(p.bytes);
			expect(img.contentType).toBe(['image/jpeg', 'image/png', 'image/gif', 'image/webp'][i]);
		});
		expect(portalImage(pictured[0])!.fileName).toBe('łódka_żółta.jpg');
		expect(portal.state.syncStatus.get('sap-b1 images')).toMatchObject({ status: 'success', expectedEveryMinutes: 30 });
		expect(sap.requests.filter((q) => q.path.startsWith('/ItemImages'))).toHaveLength(PICTURES.length);
	});

	it('a file replaced in the pictures folder (SAP item unchanged) is the only image the next run sends', async () => {
		const before = sap.state.items.get(pictured[1])!.UpdateDate;
		const replaced = imageBytes.png('żagiel, nowe zdjęcie');
		sap.state.writePictureFile(PICTURES[1].file, replaced);
		expect(sap.state.items.get(pictured[1])!.UpdateDate).toBe(before);
		const mark = portal.requests.length;
		await run(ids.sap, 'sap-b1-images, second run');
		expect(recordsSent(mark)).toBe(1);
		expect(Buffer.from(portalImage(pictured[1])!.dataBase64!, 'base64')).toEqual(replaced);
	});
});

describe('SAP B1 from the pictures folder (Read Files)', () => {
	it('first run sends every picture read from the folder', async () => {
		const mark = portal.requests.length;
		const slReads = sap.requests.filter((q) => q.path.startsWith('/ItemImages')).length;
		await run(ids.folder, 'sap-b1-images-folder, first run');
		expect(recordsSent(mark)).toBe(PICTURES.length);
		// the file names come from SAP, the bytes from the folder: no ItemImages request
		expect(sap.requests.filter((q) => q.path.startsWith('/ItemImages')).length).toBe(slReads);
		expect(Buffer.from(portalImage(pictured[3])!.dataBase64!, 'base64')).toEqual(PICTURES[3].bytes);
	});

	it('one file replaced on the share: the next run sends exactly that one', async () => {
		const replaced = imageBytes.gif('gęś, nowe zdjęcie');
		writeFileSync(path.join(picturesDir, PICTURES[2].file), replaced);
		const mark = portal.requests.length;
		await run(ids.folder, 'sap-b1-images-folder, second run');
		expect(recordsSent(mark)).toBe(1);
		expect(Buffer.from(portalImage(pictured[2])!.dataBase64!, 'base64')).toEqual(replaced);
	});
});

describe('Subiekt GT (SQL, tw_ZdjecieTw)', () => {
	it('first run sends every picture, the main one at position 0', async () => {
		const mark = portal.requests.length;
		await run(ids.subiekt, 'subiekt-gt-images, first run');
		expect(recordsSent(mark)).toBe(3);
		expect(Buffer.from(portalImage('ŁÓD-001', 0)!.dataBase64!, 'base64')).toEqual(picture('jpeg', 'łódka żółta'));
		expect(Buffer.from(portalImage('ŁÓD-001', 1)!.dataBase64!, 'base64')).toEqual(picture('png', 'łódka z boku'));
		expect(portalImage('ŻAG-002', 0)!.fileName).toBe('ŻAG-002-0.gif');
		expect(portal.state.syncStatus.get('subiekt-gt images')).toMatchObject({ status: 'success' });
	});

	it('one picture replaced in Subiekt: the next run sends exactly that one', async () => {
		const replaced = imageBytes.jpeg('łódka, nowe zdjęcie');
		db.tw_ZdjecieTw.find((z) => z.zd_Id === 2)!.zd_Zdjecie = replaced;
		const mark = portal.requests.length;
		await run(ids.subiekt, 'subiekt-gt-images, second run');
		expect(recordsSent(mark)).toBe(1);
		expect(Buffer.from(portalImage('ŁÓD-001', 0)!.dataBase64!, 'base64')).toEqual(replaced);
	});
});
