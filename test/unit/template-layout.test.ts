/**
 * A canvas a person can follow (issue #17): every template, as n8n 2.41.1 draws it (test/layout/canvas.ts), reads
 * left to right, no wire runs through a node, no sticky note covers a node, every note's text fits its note, and
 * the notes are readable (≥ 9 px) when the template opens fitted into a 1600 × 1000 window.
 * Templates not laid out yet are listed in NOT_YET_LAID_OUT; a test holds that list to exactly the failing ones,
 * so it can only shrink.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { checkTemplate, isSticky, type Template } from '../layout/canvas';
import { bestLayout, layoutAll } from '../layout/relayout';
import { TEMPLATES_DIR, templateFiles } from '../fixtures/templates';

const templates = templateFiles();
const load = (file: string) => JSON.parse(readFileSync(path.join(TEMPLATES_DIR, file), 'utf8')) as Template;

/**
 * Laid out, but too many steps in a row to read their notes at the fitted zoom (d): only a smaller flow (a
 * sub-workflow) can fix that. Every other check holds for them too.
 */
const NOT_YET_LAID_OUT: string[] = [];

const reports = new Map(templates.map((f) => [f, checkTemplate(load(f))]));

describe('template canvases (static model of n8n 2.41.1)', () => {
	it('prints the layout table', () => {
		const rows = templates.map((f) => {
			const r = reports.get(f)!;
			return [
				f.padEnd(42),
				`${r.fit.stickyPx.toFixed(1).padStart(4)} px`,
				`zoom ${r.fit.zoom.toFixed(2)}`,
				`${r.fit.box.width}×${r.fit.box.height}`.padEnd(10),
				`backward ${r.backward}`,
				`crossings ${r.crossings}`,
				`covered ${r.overlaps}`,
				`overflowing ${r.overflowing}`,
			].join('  ');
		});
		console.log(`template canvases at 1600×1000 (sticky text px at the fitted zoom)\n${rows.join('\n')}`);
		expect(rows).toHaveLength(templates.length);
	});

	it.each(templates.filter((f) => !NOT_YET_LAID_OUT.includes(f)))('%s can be followed', (file) => {
		expect(reports.get(file)!.findings.map((f) => `(${f.check}) ${f.message}`)).toEqual([]);
	});

	// (none left: every long flow is split into a main canvas and parts; jest refuses an empty each table)
	(NOT_YET_LAID_OUT.length ? it.each(NOT_YET_LAID_OUT) : it.skip.each(['(none)']))(
		'%s: left to right, no wire through a node, notes clear of nodes and fitting',
		(file) => {
			const other = reports.get(file as string)!.findings.filter((f) => f.check !== 'd');
			expect(other.map((f) => `(${f.check}) ${f.message}`)).toEqual([]);
		},
	);

	it('NOT_YET_LAID_OUT is exactly the set of templates that still fail', () => {
		const failing = templates.filter((f) => reports.get(f)!.findings.length > 0);
		expect(failing).toEqual([...NOT_YET_LAID_OUT].sort());
	});
});

describe('the canvas model catches what a person would see', () => {
	const base = (): Template => ({
		nodes: [
			{ name: 'A', type: 'n8n-nodes-base.manualTrigger', position: [0, 0], parameters: {} },
			{ name: 'B', type: 'n8n-nodes-base.set', position: [200, 0], parameters: {} },
			{ name: 'C', type: 'n8n-nodes-base.set', position: [400, 0], parameters: {} },
			{
				name: 'Note',
				type: 'n8n-nodes-base.stickyNote',
				position: [0, -240],
				parameters: { content: '## Zażółć gęślą jaźń\nKrótko.', width: 300, height: 160 },
			},
		],
		connections: {
			A: { main: [[{ node: 'B', type: 'main', index: 0 }]] },
			B: { main: [[{ node: 'C', type: 'main', index: 0 }]] },
		},
	});
	const checks = (t: Template) => checkTemplate(t).findings.map((f) => f.check);

	it('passes a plain left-to-right flow', () => expect(checks(base())).toEqual([]));
	it('(a) finds a backward wire', () => {
		const t = base();
		t.nodes[2].position = [100, 200];
		expect(checks(t)).toContain('a');
	});
	it('(b) finds a wire through a node', () => {
		const t = base();
		t.connections.A.main[0]!.push({ node: 'C', type: 'main', index: 0 });
		expect(checks(t)).toEqual(['b']);
	});
	it('(c) finds a note covering a node', () => {
		const t = base();
		t.nodes[3].position = [150, -100];
		expect(checks(t)).toContain('c');
	});
	it('(d) finds notes too small to read at the fitted zoom', () => {
		const t = base();
		t.nodes[2].position = [3000, 0];
		expect(checks(t)).toEqual(['d']);
	});
	it('(e) finds a note too short for its text', () => {
		const t = base();
		t.nodes[3].parameters.content = 'Zamówienie odrzucone, pozycja ŁÓD-001. '.repeat(40);
		expect(checks(t)).toEqual(['e']);
	});
});

describe('test/layout/relayout.ts', () => {
	it('lays out the SAP orders template from a heap, touching nothing but positions and note sizes', () => {
		const original = load('sap-b1/sap-b1-orders.json');
		const heap = structuredClone(original);
		heap.nodes.forEach((n, i) => (n.position = [(i * 37) % 300, (i * 53) % 200]));
		expect(checkTemplate(heap).findings.filter((f) => f.check !== 'd').length).toBeGreaterThan(0);
		const laid = bestLayout(heap).t;
		expect(checkTemplate(laid).findings.filter((f) => f.check !== 'd')).toEqual([]);
		const steps = (t: Template) =>
			JSON.stringify({
				connections: t.connections,
				nodes: t.nodes.map((n) => ({
					...n,
					position: undefined,
					parameters: isSticky(n) ? { ...n.parameters, width: undefined, height: undefined } : n.parameters,
				})),
			});
		expect(steps(laid)).toBe(steps(original));
	});

	// its command line lays out the files it is given: not every member of a TWINS group needs to be among them
	it('lays out a template of no twin group alone, and returns only it', () => {
		const out = layoutAll({ 'file-sync/file-sync-stock.json': load('file-sync/file-sync-stock.json') });
		expect(Object.keys(out)).toEqual(['file-sync/file-sync-stock.json']);
		expect(checkTemplate(out['file-sync/file-sync-stock.json']).findings).toEqual([]);
	});
	it('lays a follower out without its twin exactly as with it (the twin read as shipped, not returned)', () => {
		const follower = 'optima/optima-prices.json';
		const alone = layoutAll({ [follower]: load(follower) });
		expect(Object.keys(alone)).toEqual([follower]);
		const both = layoutAll({
			'subiekt-gt/subiekt-gt-sql-prices.json': load('subiekt-gt/subiekt-gt-sql-prices.json'),
			[follower]: load(follower),
		});
		expect(alone[follower]).toEqual(both[follower]);
	});
});
