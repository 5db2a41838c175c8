/**
 * Subiekt GT "Product Image → Get Many" through n8n-core's WorkflowExecute and the REAL mssql/tedious driver
 * against the TDS simulator (test/simulators/sql-server): tw_ZdjecieTw's `image` column arrives as bytes,
 * positions put the main picture first, deleted products and cleared pictures are left out.
 */
import { createHash } from 'node:crypto';
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';
import { SubiektGtSqlApi } from '../../credentials/SubiektGtSqlApi.credentials';
import { SubiektGt } from '../../nodes/SubiektGt/SubiektGt.node';
import { runNode, type RunNodeResult } from '../harness/n8n-core-harness';
import { picture, seedDatabase, type SubiektDatabase } from '../simulators/sql-server/subiekt/data';
import { DEFAULT_DATABASE, DEFAULT_USER, SqlServerSimulator } from '../simulators/sql-server/server';
import { subiektSchema } from '../simulators/sql-server/subiekt';
import { imageBytes } from '../fixtures/images';

let sim: SqlServerSimulator;
let db: SubiektDatabase;
beforeEach(async () => {
	db = seedDatabase();
	sim = new SqlServerSimulator({ databases: { [DEFAULT_DATABASE]: subiektSchema(db) } });
	await sim.start();
});
afterEach(async () => sim.stop());

const run = async (parameters: INodeParameters = {}, continueOnFail = false): Promise<RunNodeResult> =>
	await runNode({
		nodeType: new SubiektGt(),
		parameters: { resource: 'productImage', operation: 'getMany', ...parameters },
		continueOnFail,
		credentials: {
			subiektGtSqlApi: {
				type: new SubiektGtSqlApi(),
				data: {
					server: '127.0.0.1',
					port: sim.port,
					database: DEFAULT_DATABASE,
					user: DEFAULT_USER.user,
					password: DEFAULT_USER.password,
					encrypt: false,
					connectionTimeoutSeconds: 5,
					requestTimeoutSeconds: 10,
				} as ICredentialDataDecryptedObject,
			},
		},
	});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const out = (r: RunNodeResult): IDataObject[] => (r.output?.[0] ?? []).map((i) => i.json);

describe('Subiekt GT SQL › product images (tw_ZdjecieTw)', () => {
	it('gives one item per picture with its bytes, main picture at position 0, hash of the bytes', async () => {
		const r = await run();
		expect(r.error).toBeUndefined();
		expect(out(r)).toEqual([
			{
				productCode: 'ŁÓD-001',
				position: 0,
				fileName: 'ŁÓD-001-0.jpg',
				contentType: 'image/jpeg',
				contentHash: sha(picture('jpeg', 'łódka żółta')),
			},
			{
				productCode: 'ŁÓD-001',
				position: 1,
				fileName: 'ŁÓD-001-1.png',
				contentType: 'image/png',
				contentHash: sha(picture('png', 'łódka z boku')),
			},
			{
				productCode: 'ŻAG-002',
				position: 0,
				fileName: 'ŻAG-002-0.gif',
				contentType: 'image/gif',
				contentHash: sha(picture('gif', 'żagiel')),
			},
		]);
		const first = r.output![0][0];
		expect(Buffer.from(first.binary!.data.data, 'base64')).toEqual(picture('jpeg', 'łódka żółta'));
		expect(first.binary!.data.mimeType).toBe('image/jpeg');
		// the list once, then the bytes one picture at a time, by parameter — never concatenated into the SQL
		const statements = sim.statements.filter((s) => s.query?.startsWith('productPicture'));
		expect(statements.map((s) => s.query)).toEqual([
			'productPictures',
			'productPicture',
			'productPicture',
			'productPicture',
		]);
		expect(statements[1].params).toEqual(
			expect.arrayContaining([expect.objectContaining({ name: '@pictureId', value: 2 })]),
		);
	});

	it("a replaced picture changes only that image's hash", async () => {
		const before = out(await run());
		db.tw_ZdjecieTw.find((z) => z.zd_Id === 3)!.zd_Zdjecie = imageBytes.gif('nowy żagiel');
		const after = out(await run());
		const changed = after.filter((a, i) => a.contentHash !== before[i].contentHash);
		expect(changed.map((c) => `${String(c.productCode)} #${String(c.position)}`)).toEqual(['ŻAG-002 #0']);
	});

	it('names the product and the picture when the bytes are not an image the portal takes', async () => {
		db.tw_ZdjecieTw.find((z) => z.zd_Id === 1)!.zd_Zdjecie = imageBytes.bmp('skan');
		const r = await run();
		expect(r.error?.message).toBe(
			'Product picture zd_Id 1: product image "ŁÓD-001" #1 (ŁÓD-001-1): field "dataBase64" is a BMP bitmap: the portal takes JPEG, PNG, WebP or GIF (convert it in the ERP)',
		);
		const soft = await run({}, true);
		expect(out(soft).map((j) => (j.error ? 'error' : `${String(j.productCode)} #${String(j.position)}`))).toEqual([
			'ŁÓD-001 #0',
			'error',
			'ŻAG-002 #0',
		]);
	});
});
