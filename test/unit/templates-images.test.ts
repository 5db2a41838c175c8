/**
 * Static checks of the product-image templates (SAP B1 through the Service Layer, SAP B1 from the pictures
 * folder, Subiekt GT SQL): the Delta guard on product images sits between every ERP read and the portal write,
 * sees a complete snapshot only after a full read, images no longer in the ERP are reported by Record Run (the
 * portal cannot delete images), the portal write takes the bytes from the binary field in small batches, and
 * every parameter of a pack node exists and is shown for its resource/operation. The real-n8n runs are in
 * test/e2e/images.e2e.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';
import { B2bPortal } from '../../nodes/B2bPortal/B2bPortal.node';
import { B2bSyncGuard } from '../../nodes/B2bSyncGuard/B2bSyncGuard.node';
import { SapB1 } from '../../nodes/SapB1/SapB1.node';
import { SubiektGt } from '../../nodes/SubiektGt/SubiektGt.node';

const ROOT = path.join(__dirname, '../../workflows-templates');
const PACK: Record<string, INodeTypeDescription> = {
	'n8n-nodes-erp-b2b.sapB1': new SapB1().description,
	'n8n-nodes-erp-b2b.subiektGt': new SubiektGt().description,
	'n8n-nodes-erp-b2b.b2bPortal': new B2bPortal().description,
	'n8n-nodes-erp-b2b.b2bSyncGuard': new B2bSyncGuard().description,
};
const ERP = ['n8n-nodes-erp-b2b.sapB1', 'n8n-nodes-erp-b2b.subiektGt'];

interface Node {
	name: string;
	type: string;
	parameters: Record<string, any>;
	alwaysOutputData?: boolean;
}
interface Template {
	nodes: Node[];
	connections: Record<string, { main: Array<Array<{ node: string; index: number }>> }>;
	settings: Record<string, unknown>;
}
const load = (file: string) => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as Template;
const named = (t: Template, name: string) => t.nodes.find((n) => n.name === name)!;

function reach(t: Template, from: string[], stop = (_n: string) => false): Set<string> {
	const seen = new Set<string>();
	const queue = [...from];
	while (queue.length) {
		const n = queue.shift()!;
		for (const c of (t.connections[n]?.main ?? []).flat())
			if (!seen.has(c.node) && !stop(c.node)) queue.push(seen.add(c.node) && c.node);
	}
	return seen;
}

function shown(prop: { displayOptions?: INodeProperties['displayOptions'] }, params: Record<string, unknown>): boolean {
	for (const [key, allowed] of Object.entries(prop.displayOptions?.show ?? {})) {
		if (key.startsWith('@') || !(key in params)) continue;
		if (!(allowed as unknown[]).includes(params[key])) return false;
	}
	return true;
}

const TEMPLATES: Array<[string, { bytes: 'serviceLayer' | 'fileName' | 'sql'; flow: string }]> = [
	['sap-b1/sap-b1-images.json', { bytes: 'serviceLayer', flow: 'sap-b1 images' }],
	['sap-b1/sap-b1-images-folder.json', { bytes: 'fileName', flow: 'sap-b1 images' }],
	['subiekt-gt/subiekt-gt-images.json', { bytes: 'sql', flow: 'subiekt-gt images' }],
];

describe.each(TEMPLATES)('%s', (file, want) => {
	const t = load(file);
	const reads = t.nodes.filter((n) => ERP.includes(n.type));
	const guards = t.nodes.filter((n) => n.type === 'n8n-nodes-erp-b2b.b2bSyncGuard');
	const send = named(t, 'Send images to portal');
	const record = named(t, 'Record run');

	it('reads product images from the ERP (bytes as the ERP can give them)', () => {
		expect(reads.length).toBeGreaterThan(0);
		for (const r of reads) {
			expect(r.parameters).toMatchObject({ resource: 'productImage', operation: 'getMany' });
			expect(r.alwaysOutputData).toBe(true); // no picture at all still ends in the heartbeat
			if (want.bytes !== 'sql') expect(r.parameters.bytesFrom).toBe(want.bytes);
		}
	});

	it('passes every image through one Delta guard on product images, before the portal write', () => {
		expect(guards).toHaveLength(1);
		const g = guards[0];
		expect(g.parameters).toMatchObject({
			resource: 'delta',
			operation: 'passChanged',
			entity: 'productImage',
			recordField: '',
		});
		expect(g.alwaysOutputData).toBe(true);
		const bypass = reach(
			t,
			reads.map((r) => r.name),
			(n) => n === g.name,
		);
		expect(bypass.has(send.name)).toBe(false);
		expect(
			reach(
				t,
				reads.map((r) => r.name),
			).has(send.name),
		).toBe(true);
		const full = reads.filter((r) => r.parameters.cursorMode !== 'stored');
		expect(full).toHaveLength(1);
		expect(g.parameters.snapshot).toBe(reads.length === 1 ? true : `={{ $('${full[0].name}').isExecuted }}`);
	});

	it('images no longer in the ERP are reported by Record Run, not sent (the portal cannot delete images)', () => {
		const g = guards[0];
		expect(t.connections[g.name].main[1] ?? []).toEqual([]);
		expect(record.parameters.counts).toContain(`"removedInErp": $('${g.name}').all(1).length`);
		expect(record.parameters.message).toContain('the portal cannot delete images');
		expect(record.parameters).toMatchObject({
			resource: 'syncStatus',
			operation: 'record',
			status: 'success',
			flow: want.flow,
		});
		expect(t.connections['Record run']).toBeUndefined();
		expect(reach(t, [send.name]).has('Record run')).toBe(true);
	});

	it('sends the bytes from the binary field, 20 images per request', () => {
		expect(send.parameters).toMatchObject({
			resource: 'productImage',
			operation: 'upsert',
			source: 'items',
			binaryPropertyName: 'data',
			options: { batchSize: 20, output: 'summary' },
		});
	});

	it('uses only parameters the pack nodes have, shown for their resource and operation, with valid option values', () => {
		for (const n of t.nodes.filter((x) => PACK[x.type])) {
			for (const [key, value] of Object.entries(n.parameters)) {
				const prop = PACK[n.type].properties.find((p) => p.name === key && shown(p, n.parameters));
				expect([n.name, key, prop !== undefined]).toEqual([n.name, key, true]);
				if (prop?.type === 'options' && typeof value === 'string' && !value.startsWith('='))
					expect((prop.options as INodePropertyOptions[]).map((o) => o.value)).toContain(value);
				if (prop?.type === 'collection')
					for (const k of Object.keys(value as object))
						expect([n.name, key, k, (prop.options as INodeProperties[]).some((o) => o.name === k)]).toEqual([
							n.name,
							key,
							k,
							true,
						]);
			}
		}
	});

	it('sticky notes explain the delta (content hash), the 50 % safety and what to change', () => {
		const text = t.nodes
			.filter((n) => n.type === 'n8n-nodes-base.stickyNote')
			.map((n) => String(n.parameters.content))
			.join('\n');
		expect(text).toContain('Only changes are sent');
		expect(text).toContain('contentHash');
		expect(text).toContain('Max Deletions');
		expect(text).toContain('50 %');
		expect(text).toContain('## What you may change');
		expect(t.settings).toEqual({ executionOrder: 'v1', errorWorkflow: '' });
	});
});

describe('sap-b1-images-folder.json: the file is read by n8n, named by Items.Picture', () => {
	const t = load('sap-b1/sap-b1-images-folder.json');
	it('reads the file SAP names, and builds the record with the SAP item of the same run', () => {
		const readNode = named(t, 'Read picture files');
		expect(readNode.type).toBe('n8n-nodes-base.readWriteFile');
		expect(readNode.parameters.fileSelector).toMatch(
			/^=\{\{ '\/home\/node\/\.n8n-files\/[^']+\/' \+ \$json\.fileName \}\}$/,
		);
		const prep = named(t, 'Picture file → image record');
		expect(prep.parameters).toMatchObject({
			resource: 'productImage',
			operation: 'fromBinary',
			productCode: "={{ $('SAP: all pictures (file names)').item.json.productCode }}",
			fileName: "={{ $('SAP: all pictures (file names)').item.json.fileName }}",
		});
		// a run without any picture skips the file read and still reaches the guard (and so Record Run)
		expect(t.connections['Any pictures?'].main[1]).toEqual([{ node: 'Only changed images', type: 'main', index: 0 }]);
	});
});
