/**
 * Issue #17: a note must be short enough to read at the fitted zoom, "details go in the docs they link". The order
 * canvases' notes were cut to what a person needs on the canvas; what they said before is in the docs now. This
 * holds both halves: every such note names a doc that exists, and the doc holds the details the notes left out
 * (a fact dropped from a note and from the doc would fail here).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { TEMPLATES_DIR } from '../fixtures/templates';

const ROOT = path.join(TEMPLATES_DIR, '..');
const notesOf = (rel: string): string =>
	(
		JSON.parse(readFileSync(path.join(TEMPLATES_DIR, rel), 'utf8')) as {
			nodes: Array<{ type: string; parameters: { content?: string } }>;
		}
	).nodes
		.filter((n) => n.type === 'n8n-nodes-base.stickyNote')
		.map((n) => String(n.parameters.content))
		.join('\n');
/** the doc's text with line breaks as spaces (prettier may wrap a sentence anywhere) */
const doc = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8').replace(/\s+/g, ' ');

/** canvas → the doc its notes send the reader to, and details that moved there from its notes */
const MOVED: Array<[string, string, string[]]> = [
	[
		'sap-b1/parts/sap-b1-order-into-sap.json',
		'docs/template-parts.md',
		[
			'every third of the lease (100 s)',
			"each item's default warehouse",
			'the part names its accounts only by type',
			'the portal sends its webhook again',
			'check the ERP for a second document',
		],
	],
	['enova365/parts/enova365-order-into-enova365.json', 'docs/template-parts.md', ["the add-on's default warehouse"]],
	[
		'optima/parts/optima-order-into-optima.json',
		'docs/template-parts.md',
		['e.g. MAGAZYN', 'off = the RO is saved confirmed', 'one session at a time'],
	],
	[
		'subiekt-gt/parts/subiekt-gt-order-through-bridge.json',
		'docs/template-parts.md',
		['e.g. MAG)', 'Sfera is slow and serialised'],
	],
	['sap-b1/sap-b1-orders.json', 'docs/sap-b1.md', ['per unit (e.g. 0.01 PLN)', 'it runs whenever a run']],
	['enova365/enova365-orders.json', 'docs/enova365.md', ['_MethodInvoker_ (database, operator, password)']],
	[
		'optima/optima-orders.json',
		'docs/optima.md',
		['_Rezerwacja odbiorcy_', 'after an opaque COM error, a 503 or a lost answer', "the bridge's URL and key"],
	],
	[
		'subiekt-gt/subiekt-gt-orders-epp.json',
		'docs/erp-file.md',
		[
			'/home/node/.n8n-files',
			'"Access to the file is not allowed"',
			'_Execute Command_ is disabled by default',
			'`….epp.part`',
			'"przekazane do Subiekta GT"',
		],
	],
	[
		'subiekt-gt/subiekt-gt-orders-bridge.json',
		'docs/subiekt-gt.md',
		['"Source: Unknown, Description: Unknown"', '"ZK 123/11/2026"', "_Subiekt GT bridge_ (the bridge's URL and key)"],
	],
	[
		'optima/optima-orders-xml.json',
		'docs/erp-file.md',
		['`….xml.part`', '"przekazane do Comarch ERP Optima"', "reading of Comarch's published examples"],
	],
	[
		'business-central/business-central-stock.json',
		'docs/business-central.md',
		[
			'Object ID **30** (Item Card), Service Name **ItemCard**',
			'`Location_Filter`',
			'*Total Warehouse Code* (default `ALL`)',
		],
	],
	[
		'watchdog/check-setup.json',
		'docs/sync-guard.md',
		['POST /api/v1/credentials/{id}/test', 'never checked itself', 'the fixes in its description'],
	],
];

describe.each(MOVED)('%s: short notes, the details in %s', (canvas, docFile, details) => {
	const notes = notesOf(canvas);

	it('its notes name only docs that exist, among them the one with the details', () => {
		const named = [...new Set(notes.match(/docs\/[\w.-]+\.md/g) ?? [])];
		expect(named).toContain(docFile);
		for (const d of named) expect([d, existsSync(path.join(ROOT, d))]).toEqual([d, true]);
	});

	it('the doc holds what the notes leave out', () => {
		const text = doc(docFile);
		for (const d of details) expect([d, text.includes(d)]).toEqual([d, true]);
	});
});
