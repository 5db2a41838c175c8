/**
 * Issue #17: each node's panel shows what its doc promises. Every node doc with resources has a "resource |
 * operation | …" (or "resource → operation") table; every row of it must be a resource and operation the node's
 * panel offers, and every resource/operation the panel offers must be in the table (a person reading the doc finds
 * what they see, and the other way round). ERP File has no resources: its doc's parameter tables are its panel.
 * Names are compared without the ERP's own word in brackets: the doc's "Item" is the panel's "Item (Product)".
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { INodeProperties, INodePropertyOptions, INodeType } from 'n8n-workflow';
import { B2bPortal } from '../../nodes/B2bPortal/B2bPortal.node';
import { B2bSyncGuard } from '../../nodes/B2bSyncGuard/B2bSyncGuard.node';
import { BusinessCentral } from '../../nodes/BusinessCentral/BusinessCentral.node';
import { Enova365 } from '../../nodes/Enova365/Enova365.node';
import { Optima } from '../../nodes/Optima/Optima.node';
import { SapB1 } from '../../nodes/SapB1/SapB1.node';
import { SubiektGt } from '../../nodes/SubiektGt/SubiektGt.node';

const DOCS = path.join(__dirname, '..', '..', 'docs');

const NODES: Array<[string, INodeType]> = [
	['b2b-portal-node.md', new B2bPortal()],
	['business-central.md', new BusinessCentral()],
	['enova365.md', new Enova365()],
	['optima.md', new Optima()],
	['sync-guard.md', new B2bSyncGuard()],
	['sap-b1.md', new SapB1()],
	['subiekt-gt.md', new SubiektGt()],
];

/** "Item (Product)" → "item"; "Order (ZO)" → "order"; markdown emphasis and code marks dropped. */
const base = (name: string) =>
	name
		.replace(/[*_`]/g, '')
		.replace(/\s*\([^)]*\)\s*$/, '')
		.trim()
		.toLowerCase();

/** The panel: "resource › operation" for every operation every resource offers. */
export function panelOperations(node: INodeType): string[] {
	const props = node.description.properties;
	const resources = (props.find((p) => p.name === 'resource')?.options ?? []) as INodePropertyOptions[];
	const out: string[] = [];
	for (const r of resources)
		for (const p of props.filter((x: INodeProperties) => x.name === 'operation'))
			if ((p.displayOptions?.show?.resource ?? []).includes(r.value))
				for (const o of (p.options ?? []) as INodePropertyOptions[]) out.push(`${base(r.name)} › ${base(o.name)}`);
	return [...new Set(out)].sort();
}

/** The doc: the rows of its table whose header starts "resource … | operation". */
export function docOperations(markdown: string): string[] {
	const lines = markdown.split('\n');
	const out: string[] = [];
	for (let i = 0; i < lines.length; i++) {
		const cells = (l: string) =>
			l
				.replace(/^\s*\|/, '')
				.replace(/\|\s*$/, '')
				.split('|')
				.map((c) => c.trim());
		const head = lines[i].trim().startsWith('|') ? cells(lines[i]) : [];
		const twoColumns = head.length >= 2 && /^resource\b/i.test(head[0]) && /^operation$/i.test(head[1]);
		const oneColumn = head.length >= 1 && /^resource → operation$/i.test(head[0]); // "**Delta → Pass Changed Records**"
		if (!twoColumns && !oneColumn) continue;
		for (let j = i + 2; j < lines.length && lines[j].trim().startsWith('|'); j++) {
			const row = cells(lines[j]);
			const [resources, operations] = oneColumn ? row[0].replace(/\*/g, '').split(/\s*→\s*/) : row;
			for (const r of resources.split(/\s*,\s*/))
				for (const o of operations.split(/\s*[/,]\s*/)) out.push(`${base(r)} › ${base(o)}`);
		}
	}
	return [...new Set(out)].sort();
}

describe('the comparison itself', () => {
	it('reads a doc table and a panel the same way, and sees a difference', () => {
		const doc =
			'| resource (enova) | operation | what |\n|---|---|---|\n| Order (ZO) | Create / Get Status |\n| Item, Client | Get |';
		expect(docOperations(doc)).toEqual(['client › get', 'item › get', 'order › create', 'order › get status']);
		const panel = panelOperations(new SapB1());
		expect(panel).toEqual(expect.arrayContaining(['item › get', 'order › create', 'client › get']));
		expect(panel).not.toContain('order › delete');
	});
});

describe.each(NODES)('docs/%s', (doc, node) => {
	const documented = docOperations(readFileSync(path.join(DOCS, doc), 'utf8'));
	const shown = panelOperations(node);
	it('documents every resource and operation the panel shows', () => {
		expect(shown.filter((x) => !documented.includes(x))).toEqual([]);
	});
	it('promises no resource or operation the panel does not show', () => {
		expect(documented.filter((x) => !shown.includes(x))).toEqual([]);
	});
});
