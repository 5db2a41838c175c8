/**
 * Product images between the ERP reads and the portal (nodes/shared/images.ts): the Delta guard sees a picture
 * replaced under the same name through contentHash; the portal's Create or Update takes the bytes from the binary
 * field; Prepare From Binary builds the same record from a file n8n read (Read Files, FTP).
 */
import { createHash } from 'node:crypto';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { B2bSyncGuard } from '../../nodes/B2bSyncGuard/B2bSyncGuard.node';
import { commitDeltaPending, DELTA_STORE, type DeltaState } from '../../nodes/shared/delta';
import { runNode } from '../harness/n8n-core-harness';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { imageBytes } from '../fixtures/images';
import { json, runPortal } from './portal-helpers';

let sim: PortalSimulator;
beforeAll(async () => {
	sim = await startPortalSimulator({ apiKey: 'klucz-zolc-1', webhookSecret: 'sekret-źdźbło' });
});
afterAll(async () => sim.close());
afterEach(() => expect(sim.contractViolations).toEqual([]));

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const withBinary = (record: IDataObject, bytes: Buffer, fileName = 'zdjęcie.bin'): INodeExecutionData => ({
	json: record,
	binary: { data: { data: bytes.toString('base64'), mimeType: 'application/octet-stream', fileName } },
});
const image = (productCode: string, bytes: Buffer, position = 0): IDataObject => ({
	productCode,
	position,
	fileName: `${productCode}-${position}.png`,
	contentType: 'image/png',
	contentHash: sha(bytes),
});

describe('Delta guard on product images', () => {
	it('passes on a picture replaced under the same name (its contentHash changed) and nothing else', async () => {
		const delta = {
			resource: 'delta',
			operation: 'passChanged',
			entity: 'productImage',
			recordField: '',
			snapshot: true,
			options: {},
		};
		const first = [image('ŁÓD-001', imageBytes.png('a')), image('ŻAG-002', imageBytes.png('b'))];
		const r1 = await runNode({
			nodeType: new B2bSyncGuard(),
			parameters: delta,
			inputItems: first.map((j) => ({ json: j })),
		});
		expect(r1.output![0]).toHaveLength(2);
		// what Record Run does after the portal accepted the run
		const global = r1.staticData.global as IDataObject;
		const committed = commitDeltaPending(global[DELTA_STORE] as Record<string, DeltaState>).states;
		const replaced = imageBytes.png('b, nowe');
		const second = [image('ŁÓD-001', imageBytes.png('a')), image('ŻAG-002', replaced)];
		const r2 = await runNode({
			nodeType: new B2bSyncGuard(),
			parameters: delta,
			inputItems: [withBinary(second[0], imageBytes.png('a')), withBinary(second[1], replaced)],
			staticData: { ...r1.staticData, global: { ...global, [DELTA_STORE]: committed as unknown as IDataObject } },
		});
		expect((r2.output![0] ?? []).map((i) => i.json.productCode)).toEqual(['ŻAG-002']);
		// the bytes go on with the record, for the portal write after the guard
		expect(Buffer.from(r2.output![0][0].binary!.data.data, 'base64')).toEqual(replaced);
	});
});

describe('Portal › Product Image → Create or Update with the bytes in a binary field', () => {
	it('sends the binary field as dataBase64 with the contentHash, for records without url or dataBase64', async () => {
		const bytes = imageBytes.png('łódka');
		const r = await runPortal(
			sim,
			{ resource: 'productImage', operation: 'upsert', source: 'items', binaryPropertyName: 'data', options: {} },
			{
				items: [withBinary(image('ŁÓD-001', bytes), bytes)],
			},
		);
		expect(r.error).toBeUndefined();
		const stored = sim.state.images.get(sim.state.keys.image({ productCode: 'ŁÓD-001', position: 0 }))!;
		expect(Buffer.from(stored.dataBase64!, 'base64')).toEqual(bytes);
		expect(stored.contentHash).toBe(sha(bytes));
	});

	it('a record with no url, dataBase64, content hash or binary field is refused naming it and the field', async () => {
		const r = await runPortal(
			sim,
			{ resource: 'productImage', operation: 'upsert', source: 'items', binaryPropertyName: 'data', options: {} },
			{
				items: [{ json: { productCode: 'ŻÓŁW-9', position: 0, fileName: 'żółw.png', contentType: 'image/png' } }],
			},
		);
		expect(r.error?.message).toContain('productImage "ŻÓŁW-9"');
		expect(r.error?.message).toContain('field "url" is missing: an image needs url or dataBase64');
	});
});

describe('Portal › Product Image → Prepare From Binary (files read by n8n)', () => {
	const prepare = {
		resource: 'productImage',
		operation: 'fromBinary',
		productCode: '={{ $json.kod }}',
		position: 0,
		fileName: '={{ $json.plik }}',
		binaryPropertyName: 'data',
	};

	it('types the image from its bytes, makes the name safe and adds the content hash; the bytes stay', async () => {
		const bytes = imageBytes.webp('gęś');
		const r = await runPortal(sim, prepare, { items: [withBinary({ kod: 'GĘŚ-2', plik: 'gęś biała.JPG' }, bytes)] });
		expect(r.error).toBeUndefined();
		expect(json(r)).toEqual([
			{
				productCode: 'GĘŚ-2',
				position: 0,
				fileName: 'gęś_biała.webp',
				contentType: 'image/webp',
				contentHash: sha(bytes),
			},
		]);
		const bin = r.output![0][0].binary!.data;
		expect(Buffer.from(bin.data, 'base64')).toEqual(bytes);
		expect(bin.mimeType).toBe('image/webp');
	});

	it('names the product and the field for a file name leaving the folder, missing bytes, or a non-image', async () => {
		const r = await runPortal(sim, prepare, {
			continueOnFail: true,
			items: [
				withBinary({ kod: 'ŁÓD-001', plik: '../../etc/hasła.jpg' }, imageBytes.jpeg()),
				{ json: { kod: 'ŻAG-002', plik: 'żagiel.jpg' } },
				withBinary({ kod: 'ŚRUBA-M8', plik: 'śruba.bmp' }, imageBytes.bmp()),
			],
		});
		expect(json(r).map((j) => j.error)).toEqual([
			'product image "ŁÓD-001" #0: field "fileName" contains a path separator (/ or \\): only a file name in the pictures folder is allowed',
			'product image "ŻAG-002" #0: no binary field "data" on the item (did the file read work?)',
			'product image "ŚRUBA-M8" #0 (śruba.bmp): field "dataBase64" is a BMP bitmap: the portal takes JPEG, PNG, WebP or GIF (convert it in the ERP)',
		]);
		expect(r.output![0].map((i) => (i.pairedItem as { item: number }).item)).toEqual([0, 1, 2]);
	});
});

describe('Portal › Create or Update refuses an ERP image record whose bytes did not come along', () => {
	it('names the record and the field; nothing is sent', async () => {
		const bytes = imageBytes.jpeg('ćma');
		const before = sim.requests.length;
		const r = await runPortal(
			sim,
			{ resource: 'productImage', operation: 'upsert', source: 'items', binaryPropertyName: 'data', options: {} },
			{
				items: [{ json: image('ĆMA-5', bytes) }],
			},
		);
		expect(r.error?.message).toBe(
			'product image "ĆMA-5" #0: field "dataBase64" is missing: no url, no dataBase64 and no binary field "data" with the image bytes',
		);
		expect(sim.requests.slice(before).filter((q) => q.method === 'POST')).toEqual([]);
	});
});
