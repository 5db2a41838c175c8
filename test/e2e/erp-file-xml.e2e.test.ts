/**
 * The ERP File node's XML support in a real n8n with the packed pack (xml2js must travel with the pack):
 * a Windows-1250 Subiekt-like export becomes a binary file through n8n's own Convert to File node, is parsed
 * into products, built back into CP1250 XML and parsed again; an XXE file is refused with the node's error.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { N8nInstance, REPO_ROOT, nodeItems } from './harness/n8n-instance';

jest.setTimeout(240_000);

const FILES = path.join(REPO_ROOT, 'test', 'fixtures', 'files');

const PRODUCT_FIELDS = {
	mapping: {
		code: '@Symbol',
		name: 'Nazwa',
		description: 'Opis',
		ean: 'EAN',
		unit: 'JednostkaMiary',
		vatRate: 'StawkaVAT',
	},
};

function workflow(fixture: string, parseOnError?: string) {
	const b64 = readFileSync(path.join(FILES, fixture)).toString('base64');
	const node = (
		name: string,
		type: string,
		typeVersion: number,
		x: number,
		parameters: object,
		extra: object = {},
	) => ({
		id: randomUUID(),
		name,
		type,
		typeVersion,
		position: [x, 0],
		parameters,
		...extra,
	});
	const nodes = [
		node('Run now (test)', 'n8n-nodes-base.manualTrigger', 1, 0, {}),
		node('File as Base64', 'n8n-nodes-base.set', 3.4, 200, {
			mode: 'manual',
			assignments: { assignments: [{ id: 'a1', name: 'b64', value: b64, type: 'string' }] },
			options: {},
		}),
		node('To File', 'n8n-nodes-base.convertToFile', 1.1, 400, {
			operation: 'toBinary',
			sourceProperty: 'b64',
			binaryPropertyName: 'data',
			options: { fileName: fixture, mimeType: 'application/xml' },
		}),
		node(
			'Parse Products',
			'n8n-nodes-erp-b2b.erpFile',
			1,
			600,
			{
				operation: 'parse',
				binaryPropertyName: 'data',
				format: 'xml',
				entity: 'product',
				encoding: 'auto',
				recordElement: 'Towary/Towar',
				productXmlFields: PRODUCT_FIELDS,
				options: { includeSourceInfo: false },
			},
			parseOnError ? { onError: parseOnError } : {},
		),
		node('Build XML', 'n8n-nodes-erp-b2b.erpFile', 1, 800, {
			operation: 'build',
			outputFormat: 'xml',
			buildEntity: 'product',
			xmlEncoding: 'windows-1250',
			rootElement: 'Towary',
			xmlRecordElement: 'Towar',
			fileName: 'towary-z-n8n.xml',
			outputBinaryPropertyName: 'data',
		}),
		node('Parse Again', 'n8n-nodes-erp-b2b.erpFile', 1, 1000, {
			operation: 'parse',
			binaryPropertyName: 'data',
			format: 'xml',
			entity: 'product',
			encoding: 'auto',
			recordElement: 'Towar',
			options: { includeSourceInfo: true },
		}),
	];
	if (parseOnError) nodes.splice(4); // the refused file: nothing after Parse Products
	const chain = nodes.map((n) => n.name);
	const connections: Record<string, object> = {};
	for (let k = 0; k < chain.length - 1; k++)
		connections[chain[k]] = { main: [[{ node: chain[k + 1], type: 'main', index: 0 }]] };
	return { name: `ERP File XML ${fixture}`, nodes, connections, settings: {} };
}

let n8n: N8nInstance;
const ids: Record<string, string> = {};

beforeAll(async () => {
	n8n = await N8nInstance.create();
	await n8n.installPack();
	const [good, xxe] = await n8n.importWorkflows([
		{ workflow: workflow('towary-ceny-cp1250.xml'), id: 'erpFileXml0001' },
		{ workflow: workflow('zle-xxe.xml', 'continueRegularOutput'), id: 'erpFileXml0002' },
	]);
	Object.assign(ids, { good, xxe });
});

afterAll(async () => {
	await n8n?.dispose();
});

it('parses a CP1250 export, builds CP1250 XML and parses it back to the same products', async () => {
	const r = await n8n.execute(ids.good);
	expect(r.error).toBeUndefined();
	const first = nodeItems(r.data, 'Parse Products');
	expect(first.map((p) => p.code)).toEqual(['ŁÓD-001', 'ŻAG-002', 'WIO-003']);
	expect(Buffer.from(first[0].name as string, 'utf8').toString('hex')).toBe(
		'c581c3b3646b6120c5bcc3b3c582746120c484c498c59a',
	);
	expect(nodeItems(r.data, 'Build XML')[0]).toMatchObject({ format: 'xml', encoding: 'windows-1250', records: 3 });
	const again = nodeItems(r.data, 'Parse Again');
	expect(again.map(({ _source, ...p }) => p)).toEqual(first);
	expect(again[0]._source).toMatchObject({ fileName: 'towary-z-n8n.xml', encoding: 'windows-1250' });
});

it('refuses an XXE file with the node error (as an error item under "continue")', async () => {
	const r = await n8n.execute(ids.xxe);
	const items = nodeItems(r.data, 'Parse Products');
	expect(items).toHaveLength(1);
	expect(String(items[0].error)).toMatch(
		/^zle-xxe\.xml line 2, column 1: the file has a DOCTYPE declaration; XML files with a DTD are refused/,
	);
	expect(JSON.stringify(r.data)).not.toMatch(/root:x:0:0/);
});
