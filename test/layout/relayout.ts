/**
 * Lays a template out the way test/layout/canvas.ts checks it: columns by the longest path from the triggers (so
 * every wire runs left to right), branches stacked under the step they leave (an If's "true" stays level, its
 * "false" goes below), a lane kept free for every wire that skips columns (so it passes no node), and the notes in
 * a row above the flow, each over the part it explains, as wide as the flow and as tall as their text.
 * Changes only node positions and the notes' width / height — never names, parameters or wires.
 *
 *   node -r ./scripts/ts-register.cjs test/layout/relayout.ts workflows-templates/sap-b1/sap-b1-orders.json …
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import {
	boxesOf,
	checkTemplate,
	GRID_SIZE,
	isSticky,
	LABEL_HEIGHT,
	NODE_SIZE,
	stickyTextHeight,
	wiresOf,
	type Template,
	type TemplateNode,
} from './canvas';

const snap = (v: number) => Math.round(v / GRID_SIZE) * GRID_SIZE;

export function relayout(
	t: Template,
	pitchX = 160,
	noteSpan = 0,
	roomY = 32,
	byPriority = false,
	anchored = true,
): Template {
	const out = structuredClone(t);
	const boxes = boxesOf(out);
	const wires = wiresOf(out).filter((w) => !w.loopBack);
	const flow = out.nodes.filter((n) => !isSticky(n));
	const byName = new Map(flow.map((n) => [n.name, n]));
	// columns: longest path from a node without inputs
	const col = new Map<string, number>();
	const colOf = (name: string, seen = new Set<string>()): number => {
		if (col.has(name)) return col.get(name)!;
		if (seen.has(name)) return 0;
		seen.add(name);
		const preds = wires.filter((w) => w.to === name);
		const c = preds.length ? Math.max(...preds.map((w) => colOf(w.from, seen) + 1)) : 0;
		col.set(name, c);
		return c;
	};
	flow.forEach((n) => colOf(n.name));
	const columns = Math.max(...col.values()) + 1;

	// items per column: nodes, and the lane of each wire that passes the column
	interface Item {
		key: string;
		node?: string;
		wire?: number;
		desired: number;
		order: number;
		y?: number;
		height: number;
		/** how many columns its longest incoming wire runs */
		span?: number;
	}
	const handleY = (name: string, output: number, y: number) => {
		const b = boxes.get(name)!;
		return y + (b.height * (output + 1)) / (Math.max(b.outputs, 1) + 1);
	};
	const inputY = (name: string, input: number) => {
		const b = boxes.get(name)!;
		return (b.height * (input + 1)) / (Math.max(b.inputs, 1) + 1);
	};
	const placedY = new Map<string, number>();
	const laneY = new Map<string, number>(); // `${wire}@${column}`
	let order = 0;
	const originalY = (name: string) => byName.get(name)!.position[1];
	for (let c = 0; c < columns; c++) {
		const items: Item[] = [];
		for (const n of flow.filter((x) => col.get(x.name) === c)) {
			const ins = wires.filter((w) => w.to === n.name);
			const wants = ins.map((w) => {
				const from = col.get(w.from)!;
				const y =
					from === c - 1 ? handleY(w.from, w.output, placedY.get(w.from)!) : laneY.get(`${wires.indexOf(w)}@${c - 1}`)!;
				let want = y - inputY(n.name, w.input) + (from === c - 1 && w.output > 0 ? 1 : 0);
				// a later output of the same source that skips columns leaves level: keep this node above it
				if (from === c - 1) {
					for (const other of wires.filter((o) => o.from === w.from && o.output > w.output)) {
						if (col.get(other.to)! - from > 1) {
							const h = handleY(w.from, other.output, placedY.get(w.from)!);
							// the first node of this output goes above that wire, the others of a fan-out below it
							const first = out.connections[w.from].main[w.output]?.[0]?.node === n.name;
							want = first
								? Math.min(want, h - 12 - 16 - (boxes.get(n.name)!.height + LABEL_HEIGHT))
								: Math.max(want, h + 12 + 16);
						}
					}
				}
				return { want, span: col.get(n.name)! - from };
			});
			// the longest wire in runs level, the short ones bend in their one gap
			const longest = Math.max(...wants.map((w) => w.span));
			const level = wants.filter((w) => w.span === longest).map((w) => w.want);
			items.push({
				key: n.name,
				node: n.name,
				desired: wants.length ? level.reduce((a, b) => a + b, 0) / level.length : -Infinity,
				order: wants.length ? order++ : originalY(n.name),
				height: boxes.get(n.name)!.height + LABEL_HEIGHT,
				span: wants.length ? longest : 0,
			});
		}
		wires.forEach((w, i) => {
			const from = col.get(w.from)!;
			const to = col.get(w.to)!;
			if (from < c && c < to) {
				const y = from === c - 1 ? handleY(w.from, w.output, placedY.get(w.from)!) : laneY.get(`${i}@${c - 1}`)!;
				items.push({ key: `${i}@${c}`, wire: i, desired: y - 12, order: order++, height: 24 });
			}
		});
		items.sort((a, b) => a.desired - b.desired || a.order - b.order);
		// wires that pass the column keep their height (a wire bends over its whole run); nodes make room for them
		let bottom = -Infinity;
		const lanes: number[] = [];
		for (const it of items.filter((x) => !x.node)) {
			it.y = Math.max(it.desired, bottom + 16);
			bottom = it.y + it.height;
			laneY.set(it.key, it.y + 12);
			lanes.push(it.y + 12);
		}
		const clear = 12 + 16;
		if (byPriority) {
			// the node at the end of the longest wire gets its height first, the others the nearest free one
			const placed: Array<[number, number]> = [];
			const nodes = items.filter((x) => x.node && x.desired !== -Infinity);
			nodes.sort((a, b) => b.span! - a.span! || a.desired - b.desired);
			const free = (y: number, h: number) =>
				!lanes.some((l) => l > y - clear && l < y + h + clear) &&
				!placed.some(([a, b]) => y < b + roomY && a < y + h + roomY);
			for (const it of nodes) {
				const base = Math.round(it.desired / GRID_SIZE) * GRID_SIZE;
				let y = base;
				for (let d = 0; d < 4000; d += GRID_SIZE) {
					if (free(base + d, it.height)) {
						y = base + d;
						break;
					}
					if (free(base - d, it.height)) {
						y = base - d;
						break;
					}
				}
				placed.push([y, y + it.height]);
				placedY.set(it.node!, y);
			}
			if (nodes.length === items.filter((x) => x.node).length) continue;
		}
		bottom = -Infinity;
		for (const it of items.filter((x) => x.node)) {
			const start = it.desired === -Infinity ? (bottom === -Infinity ? 0 : bottom + roomY) : it.desired;
			let y = Math.ceil(Math.max(start, bottom + roomY) / GRID_SIZE) * GRID_SIZE;
			for (let guard = 0; guard < 50; guard++) {
				const hit = lanes.find((l) => l > y - clear && l < y + it.height + clear);
				if (hit === undefined) break;
				const above = Math.floor((hit - clear - it.height) / GRID_SIZE) * GRID_SIZE;
				y =
					above >= bottom + roomY &&
					hit - y > y + it.height - hit &&
					!lanes.some((l) => l > above - clear && l < above + it.height + clear)
						? above
						: Math.ceil((hit + clear) / GRID_SIZE) * GRID_SIZE;
			}
			it.y = y;
			bottom = y + it.height;
			placedY.set(it.node!, y);
		}
	}
	for (const n of flow) n.position = [col.get(n.name)! * pitchX, placedY.get(n.name)!];
	const top = Math.min(...flow.map((n) => n.position[1]));
	for (const n of flow) n.position = [n.position[0], n.position[1] - top];

	// notes: one row above the flow, sharing its width by text length; what the flow does and what you may change
	// first (the house style), then each other note over the steps it names
	const anchor = (n: TemplateNode) => {
		if (n.name === 'About this workflow') return -2e6;
		if (n.name === 'What you may change') return -1e6;
		const named = flow.filter((f) => String(n.parameters.content).includes(`*${f.name}*`));
		return named.length ? named.reduce((s, f) => s + f.position[0], 0) / named.length : n.position[0];
	};
	const notes = out.nodes
		.filter(isSticky)
		.map((n) => ({ n, a: anchor(n) }))
		.sort((x, y) => x.a - y.a)
		.map((x) => x.n);
	const flowWidth = (columns - 1) * pitchX + NODE_SIZE;
	const gap = 2 * GRID_SIZE;
	const total = notes.reduce((s, n) => s + String(n.parameters.content).length, 0);
	const span = Math.max(flowWidth, noteSpan, notes.length * 320 + (notes.length - 1) * gap);
	let x = 0;
	const heights = notes.map((n, i) => {
		const share = ((span - (notes.length - 1) * gap) * String(n.parameters.content).length) / total;
		const width = i === notes.length - 1 && !anchored ? snap(Math.max(320, span - x)) : snap(Math.max(320, share));
		n.parameters.width = width;
		n.parameters.height = snap(stickyTextHeight(String(n.parameters.content), width) + GRID_SIZE);
		// a note about some steps starts as far right as it can to sit over them
		const a = anchor(n);
		const over = a > -1e6 ? snap(a + NODE_SIZE / 2 - width / 2) : x;
		n.position = [anchored ? Math.max(x, over) : x, 0];
		x = n.position[0] + width + gap;
		return n.parameters.height as number;
	});
	const rowHeight = Math.max(0, ...heights);
	for (const n of notes) n.position = [n.position[0], -rowHeight - 3 * GRID_SIZE];
	return out;
}

/** moves a node a wire still runs through up or down, a grid step at a time, while that removes findings */
export function repair(t: Template): Template {
	let cur = t;
	let count = checkTemplate(cur).findings.length;
	for (let round = 0; round < 20; round++) {
		const crossed = checkTemplate(cur)
			.findings.filter((f) => f.check === 'b')
			.map((f) => /crosses node "(.*)"$/.exec(f.message)![1]);
		let improved = false;
		for (const name of crossed) {
			for (let d = GRID_SIZE; d <= 24 * GRID_SIZE && !improved; d += GRID_SIZE) {
				for (const dy of [d, -d]) {
					const next = structuredClone(cur);
					const n = next.nodes.find((x) => x.name === name)!;
					n.position = [n.position[0], n.position[1] + dy];
					const c = checkTemplate(next).findings.length;
					if (c < count) {
						cur = next;
						count = c;
						improved = true;
						break;
					}
				}
			}
			if (improved) break;
		}
		if (!improved) break;
	}
	return cur;
}

/** tries a few column pitches and note widths; keeps the one with fewest findings, then the most readable */
export function bestLayout(t: Template): {
	t: Template;
	pitch: number;
	span: number;
	roomY: number;
	byPriority: boolean;
	anchored: boolean;
} {
	let best:
		| { t: Template; pitch: number; span: number; roomY: number; byPriority: boolean; anchored: boolean; score: number }
		| undefined;
	// 16 px between a label and the node under it keeps a branch compact (issue #17: the order parts were too tall)
	for (const anchored of [true, false])
		for (const [roomY, byPriority] of [
			[16, false],
			[32, false],
			[64, false],
			[96, false],
			[16, true],
			[32, true],
			[64, true],
		] as const) {
			for (const pitch of [176, 160, 144, 128]) {
				for (const span of [0, 1200, 1400, 1600, 1800, 2000]) {
					const next = relayout(t, pitch, span, roomY, byPriority, anchored);
					const r = checkTemplate(next);
					// notes over their steps are worth 1 px of text
					const score = r.findings.length * 100 - r.fit.stickyPx - pitch / 100 - (anchored ? 1 : 0);
					if (!best || score < best.score) best = { t: next, pitch, span, roomY, byPriority, anchored, score };
				}
			}
		}
	return { ...best!, t: repair(best!.t) };
}

/**
 * A template made from another ERP's (same nodes in the same order, the ERP's word in a few names) keeps its
 * twin's positions, so a consultant finds every step where they found it in the other ERP; tests/unit/templates-
 * enova365 and templates-optima hold that. The follower's own steps (Optima's invoice PDF) come from its own layout.
 */
export const TWINS: Record<string, string> = {
	'enova365/enova365-products.json': 'sap-b1/sap-b1-products.json',
	'enova365/enova365-prices.json': 'sap-b1/sap-b1-prices.json',
	'enova365/enova365-stock.json': 'sap-b1/sap-b1-stock.json',
	'enova365/enova365-clients.json': 'sap-b1/sap-b1-clients.json',
	'enova365/enova365-orders.json': 'sap-b1/sap-b1-orders.json',
	'enova365/enova365-order-status.json': 'sap-b1/sap-b1-order-status.json',
	'enova365/enova365-invoices.json': 'sap-b1/sap-b1-invoices.json',
	'optima/optima-products.json': 'sap-b1/sap-b1-products.json',
	'optima/optima-prices.json': 'subiekt-gt/subiekt-gt-sql-prices.json',
	'optima/optima-stock.json': 'subiekt-gt/subiekt-gt-sql-stock.json',
	'optima/optima-clients.json': 'subiekt-gt/subiekt-gt-sql-clients.json',
	'optima/optima-orders.json': 'sap-b1/sap-b1-orders.json',
	'optima/optima-orders-xml.json': 'subiekt-gt/subiekt-gt-orders-epp.json',
	'optima/parts/optima-order-into-xml-file.json': 'subiekt-gt/parts/subiekt-gt-order-into-epp-file.json',
	'optima/optima-order-status.json': 'sap-b1/sap-b1-order-status.json',
	'optima/optima-invoices.json': 'sap-b1/sap-b1-invoices.json',
	'business-central/business-central-products.json': 'sap-b1/sap-b1-products.json',
	'business-central/business-central-prices.json': 'sap-b1/sap-b1-prices.json',
	'business-central/business-central-stock.json': 'sap-b1/sap-b1-stock.json',
	'business-central/business-central-clients.json': 'sap-b1/sap-b1-clients.json',
	'enova365/parts/enova365-order-into-enova365.json': 'sap-b1/parts/sap-b1-order-into-sap.json',
	'subiekt-gt/parts/subiekt-gt-order-through-bridge.json': 'sap-b1/parts/sap-b1-order-into-sap.json',
	'optima/parts/optima-order-into-optima.json': 'sap-b1/parts/sap-b1-order-into-sap.json',
	'business-central/business-central-orders.json': 'sap-b1/sap-b1-orders.json',
	'business-central/business-central-order-status.json': 'sap-b1/sap-b1-order-status.json',
	'business-central/business-central-invoices.json': 'sap-b1/sap-b1-invoices.json',
	'business-central/parts/business-central-order-into-bc.json': 'sap-b1/parts/sap-b1-order-into-sap.json',
};

/** a template as shipped (workflows-templates/<file>) */
export const shipped = (file: string): Template =>
	JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'workflows-templates', file), 'utf8')) as Template;

/**
 * Lays out the given templates (by their path under workflows-templates/) and returns them, and only them. A TWINS
 * group need not be given whole: a follower given without its twin takes the positions of the twin as it lays out
 * from its shipped file (not returned), and a group's notes row counts the shipped notes of the members not given,
 * so laying out one member of a group gives what laying out the whole group gives.
 */
export function layoutAll(files: Record<string, Template>, load = shipped): Record<string, Template> {
	const out: Record<string, Template> = {};
	const chosen: Record<string, { pitch: number; span: number; roomY: number; byPriority: boolean; anchored: boolean }> =
		{};
	// the leaders: those given, and the twins of the followers given
	const leaders: Record<string, Template> = {};
	for (const [f, t] of Object.entries(files)) if (!TWINS[f]) leaders[f] = t;
	for (const f of Object.keys(files)) if (TWINS[f] && !leaders[TWINS[f]]) leaders[TWINS[f]] = load(TWINS[f]);
	for (const [f, t] of Object.entries(leaders)) {
		const b = bestLayout(t);
		out[f] = b.t;
		chosen[f] = b;
	}
	for (const [f, t] of Object.entries(files)) {
		const twinFile = TWINS[f];
		if (!twinFile) continue;
		const twin = out[twinFile];
		const c = chosen[twinFile];
		const mine = relayout(t, c.pitch, c.span, c.roomY, c.byPriority, c.anchored);
		const same = mine.nodes.length === twin.nodes.length;
		mine.nodes.forEach((n, i) => {
			const other = twin.nodes[i];
			if (
				!other ||
				(other.type !== n.type &&
					!(n.type.startsWith('n8n-nodes-erp-b2b.') && other.type.startsWith('n8n-nodes-erp-b2b.')))
			)
				return;
			if (!same && !isSticky(n)) return; // a step of its own shifts the rest: its own layout, the twin's pitch
			n.position = [...other.position] as [number, number];
			if (isSticky(n)) {
				n.parameters.width = other.parameters.width;
				n.parameters.height = snap(stickyTextHeight(String(n.parameters.content), n.parameters.width) + GRID_SIZE);
			}
		});
		out[f] = mine;
	}
	// a twin group shares its notes' row: as tall as the tallest note of any of them (as shipped, for those not given)
	const groups = new Map<string, string[]>();
	for (const [f, twin] of Object.entries(TWINS)) groups.set(twin, [...(groups.get(twin) ?? [twin]), f]);
	for (const members of groups.values()) {
		if (!members.some((m) => files[m])) continue;
		const notesOf = (m: string) => (out[m] ?? load(m)).nodes.filter(isSticky);
		const row = Math.max(...members.flatMap((m) => notesOf(m).map((n) => n.parameters.height as number)));
		for (const m of members.filter((x) => files[x]))
			for (const n of out[m].nodes.filter(isSticky)) n.position = [n.position[0], -row - 3 * GRID_SIZE];
	}
	return Object.fromEntries(Object.keys(files).map((f) => [f, out[f]]));
}

if (require.main === module) {
	const files = Object.fromEntries(
		process.argv.slice(2).map((f) => [f.replace(/^.*workflows-templates\//, ''), JSON.parse(readFileSync(f, 'utf8'))]),
	);
	const out = layoutAll(files);
	for (const [f, t] of Object.entries(out)) {
		writeFileSync(`workflows-templates/${f}`, JSON.stringify(t, null, 2) + '\n');
		const r = checkTemplate(t);
		console.log(f, r.fit.stickyPx.toFixed(1), r.findings.map((x) => `(${x.check}) ${x.message}`).join('\n  '));
	}
}
