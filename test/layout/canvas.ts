/**
 * A static model of how n8n 2.41.1 draws a template on its canvas, so a test can say whether a person can follow
 * it without opening a browser (the browser suite checks the real canvas; this one runs in a second on every
 * template and names the node and the wire).
 *
 * Every size below was read from n8n 2.41.1's editor bundle (.cache/runtime/n8n/node_modules/n8n-editor-ui/dist),
 * which is built from packages/frontend/editor-ui in github:n8n-io/n8n:
 * - src/utils/nodeViewUtils.ts: GRID_SIZE = 16, DEFAULT_NODE_SIZE = [96, 96] (not 100), and calculateNodeSize():
 *   a node with more than 2 main inputs or outputs grows by 2 grid cells per extra handle:
 *   height = 96 + max(0, max(inputs, outputs, 1) - 2) * 32 (a Merge of 11 inputs is 384 px tall). `position` is
 *   the top-left corner; a trigger's rounded left side is inside the same box.
 * - the canvas handles (CanvasHandleRenderer): handle i of n sits at (i + 1) / (n + 1) of the node's height, on
 *   the left side for inputs and the right side for outputs.
 * - wires are Vue Flow's getBezierPath (curvature 0.25): control points at
 *   (sx + o, sy) and (tx - o, ty), o = dx / 2 when the target is to the right (dx >= 0), else 0.25 * 25 * sqrt(-dx).
 * - Canvas.vue's "fit view": fitView({ maxZoom: 1, padding: 0.2 }); Vue Flow turns the numeric padding into
 *   floor((size - size / 1.2) / 2) px on each side, then zoom = min(free width / box width, free height / box
 *   height), at most 1.
 * - sticky notes: n8n-nodes-base StickyNote's defaults width 240, height 160; n8n-design-system's N8nMarkdown
 *   (sticky) sets paragraphs and list items to --font-size--sm = 0.875rem = 14 px, line height 1.35, h2 24 px,
 *   h3 16 px (h1 is 36 px).
 * The window is 1600 × 1000 as the issue asks. Of it the canvas gets 1558 × 898: n8n's side bar is 42 px wide, the
 * header 65 px tall and the collapsed logs panel 37 px (measured in Chromium on n8n 2.41.1; the browser suite
 * checks that the canvas it sees is CANVAS, so the model follows when n8n changes).
 */

export const GRID_SIZE = 16;
export const NODE_SIZE = 96;
export const STICKY_DEFAULT = { width: 240, height: 160 };
export const STICKY_FONT_PX = 14;
export const WINDOW = { width: 1600, height: 1000 };
/** the part of WINDOW the editor gives the canvas (what "fit view" fits into) */
export const CANVAS = { width: 1558, height: 898 };
export const FIT_PADDING = 0.2;
export const MAX_FIT_ZOOM = 1;
/** the smallest sticky body text a person reads without zooming in */
export const MIN_READABLE_PX = 9;
/** a wire is said to cross a node when it comes this close to it (conservative: n8n's wire is 2 px wide) */
export const WIRE_CLEARANCE = 8;
/** n8n writes the node's name under it; wires and notes keep off that label too */
export const LABEL_HEIGHT = 40;
export const LABEL_OVERHANG = 16;
/** a wire needs this much room between its source and its target to read left to right */
export const MIN_WIRE_RUN = 2 * GRID_SIZE;

export interface TemplateNode {
	name: string;
	type: string;
	position: [number, number];
	parameters: Record<string, any>;
	onError?: string;
}
export interface Template {
	name?: string;
	nodes: TemplateNode[];
	connections: Record<string, Record<string, Array<Array<{ node: string; type: string; index: number }> | null>>>;
}
export interface Box {
	name: string;
	x: number;
	y: number;
	width: number;
	height: number;
	sticky: boolean;
	inputs: number;
	outputs: number;
}
export interface Wire {
	from: string;
	output: number;
	to: string;
	input: number;
	/** the loop-back wire of a Loop Over Items node: drawn by n8n as a path under the loop, always backward */
	loopBack: boolean;
}

export const isSticky = (n: TemplateNode) => n.type === 'n8n-nodes-base.stickyNote';
const isTrigger = (n: TemplateNode) => /trigger$/i.test(n.type);

export function wiresOf(t: Template): Wire[] {
	const wires: Wire[] = [];
	for (const [from, byType] of Object.entries(t.connections)) {
		(byType.main ?? []).forEach((targets, output) =>
			(targets ?? []).forEach((c) => wires.push({ from, output, to: c.node, input: c.index, loopBack: false })),
		);
	}
	// a wire into a Loop Over Items node from a node it feeds closes the loop
	const reaches = (from: string, to: string, seen = new Set<string>()): boolean => {
		if (from === to) return true;
		if (seen.has(from)) return false;
		seen.add(from);
		return wires.some((w) => w.from === from && reaches(w.to, to, seen));
	};
	const loops = new Set(t.nodes.filter((n) => n.type === 'n8n-nodes-base.splitInBatches').map((n) => n.name));
	for (const w of wires) if (loops.has(w.to) && reaches(w.to, w.from)) w.loopBack = true;
	return wires;
}

export function boxesOf(t: Template): Map<string, Box> {
	const wires = wiresOf(t);
	const boxes = new Map<string, Box>();
	for (const n of t.nodes) {
		const [x, y] = n.position;
		if (isSticky(n)) {
			const width = n.parameters.width ?? STICKY_DEFAULT.width;
			const height = n.parameters.height ?? STICKY_DEFAULT.height;
			boxes.set(n.name, { name: n.name, x, y, width, height, sticky: true, inputs: 0, outputs: 0 });
			continue;
		}
		const baseOutputs = ['n8n-nodes-base.if', 'n8n-nodes-base.splitInBatches'].includes(n.type) ? 2 : 1;
		const outputs = Math.max(
			baseOutputs + (n.onError === 'continueErrorOutput' ? 1 : 0),
			t.connections[n.name]?.main?.length ?? 0,
		);
		const inputs = isTrigger(n)
			? 0
			: Math.max(
					n.type === 'n8n-nodes-base.merge' ? (n.parameters.numberInputs ?? 2) : 1,
					...wires.filter((w) => w.to === n.name).map((w) => w.input + 1),
				);
		const height = NODE_SIZE + Math.max(0, Math.max(inputs, outputs, 1) - 2) * 2 * GRID_SIZE;
		boxes.set(n.name, { name: n.name, x, y, width: NODE_SIZE, height, sticky: false, inputs, outputs });
	}
	return boxes;
}

/** the node with the label n8n writes under it, grown by `margin` on every side */
export function footprint(b: Box, margin = 0) {
	return {
		left: b.x - LABEL_OVERHANG - margin,
		right: b.x + b.width + LABEL_OVERHANG + margin,
		top: b.y - margin,
		bottom: b.y + b.height + LABEL_HEIGHT + margin,
	};
}

export function wirePoints(w: Wire, boxes: Map<string, Box>, samples = 96): Array<[number, number]> {
	const s = boxes.get(w.from)!;
	const t = boxes.get(w.to)!;
	const sx = s.x + s.width;
	const sy = s.y + (s.height * (w.output + 1)) / (Math.max(s.outputs, 1) + 1);
	const tx = t.x;
	const ty = t.y + (t.height * (w.input + 1)) / (Math.max(t.inputs, 1) + 1);
	const dx = tx - sx;
	const o = dx >= 0 ? dx / 2 : 0.25 * 25 * Math.sqrt(-dx);
	const c1 = [sx + o, sy];
	const c2 = [tx - o, ty];
	const pts: Array<[number, number]> = [];
	for (let i = 0; i <= samples; i++) {
		const u = i / samples;
		const a = (1 - u) ** 3;
		const b = 3 * (1 - u) ** 2 * u;
		const c = 3 * (1 - u) * u ** 2;
		const d = u ** 3;
		pts.push([a * sx + b * c1[0] + c * c2[0] + d * tx, a * sy + b * c1[1] + c * c2[1] + d * ty]);
	}
	return pts;
}

export interface Fit {
	box: { left: number; top: number; width: number; height: number };
	zoom: number;
	stickyPx: number;
}

export function fittedZoom(boxes: Map<string, Box>): Fit {
	const all = [...boxes.values()];
	const left = Math.min(...all.map((b) => b.x));
	const top = Math.min(...all.map((b) => b.y));
	const width = Math.max(...all.map((b) => b.x + b.width)) - left;
	const height = Math.max(...all.map((b) => b.y + b.height)) - top;
	const pad = (size: number) => 2 * Math.floor((size - size / (1 + FIT_PADDING)) * 0.5);
	const zoom = Math.min(
		MAX_FIT_ZOOM,
		(CANVAS.width - pad(CANVAS.width)) / width,
		(CANVAS.height - pad(CANVAS.height)) / height,
	);
	return { box: { left, top, width, height }, zoom, stickyPx: STICKY_FONT_PX * zoom };
}

/**
 * How tall a sticky must be to show all its text at its width, from N8nMarkdown's sizes. Conservative: an
 * average character of 14 px text is taken as 7.5 px wide, and words are not split.
 */
export function stickyTextHeight(content: string, width: number): number {
	const inner = width - 2 * 12;
	const wrap = (text: string, px: number, charPx: number) => {
		const words = text
			.replace(/\*\*|\*|`/g, '')
			.split(/\s+/)
			.filter(Boolean);
		let lines = 1;
		let used = 0;
		for (const w of words) {
			const wpx = (w.length + 1) * charPx;
			if (used > 0 && used + wpx > px) {
				lines++;
				used = 0;
			}
			used += wpx;
		}
		return lines;
	};
	let h = 2 * 12;
	for (const raw of content.split('\n')) {
		const line = raw.trim();
		if (!line) continue;
		const heading = /^(#+)\s+(.*)$/.exec(line);
		if (heading) {
			const px = heading[1].length === 1 ? 36 : heading[1].length === 2 ? 24 : 16;
			h += wrap(heading[2], inner, px * 0.55) * px * 1.25 + 8;
			continue;
		}
		const item = /^(?:[-*]|\d+\.)\s+(.*)$/.exec(line);
		if (item) {
			h += wrap(item[1], inner - 24, 7.5) * STICKY_FONT_PX * 1.25 + 3.5;
			continue;
		}
		h += wrap(line, inner, 7.5) * STICKY_FONT_PX * 1.35 + 8;
	}
	return Math.ceil(h);
}

export interface Finding {
	check: 'a' | 'b' | 'c' | 'd' | 'e';
	message: string;
}
export interface Report {
	findings: Finding[];
	fit: Fit;
	crossings: number;
	backward: number;
	overlaps: number;
	overflowing: number;
}

const intersects = (
	a: { left: number; right: number; top: number; bottom: number },
	b: { left: number; right: number; top: number; bottom: number },
) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

export function checkTemplate(t: Template): Report {
	const boxes = boxesOf(t);
	const wires = wiresOf(t);
	const nodes = [...boxes.values()].filter((b) => !b.sticky);
	const stickies = [...boxes.values()].filter((b) => b.sticky);
	const findings: Finding[] = [];
	let crossings = 0;
	let backward = 0;
	let overlaps = 0;
	let overflowing = 0;
	for (const w of wires) {
		const s = boxes.get(w.from)!;
		const tg = boxes.get(w.to)!;
		if (w.loopBack) continue; // n8n draws it under the loop, backward by design
		const run = tg.x - (s.x + s.width);
		if (run < MIN_WIRE_RUN) {
			backward++;
			findings.push({ check: 'a', message: `wire "${w.from}" → "${w.to}" runs ${run} px (needs ≥ ${MIN_WIRE_RUN})` });
		}
		const pts = wirePoints(w, boxes);
		for (const n of nodes) {
			if (n.name === w.from || n.name === w.to) continue;
			const f = footprint(n, WIRE_CLEARANCE);
			if (pts.some(([x, y]) => x > f.left && x < f.right && y > f.top && y < f.bottom)) {
				crossings++;
				findings.push({ check: 'b', message: `wire "${w.from}" → "${w.to}" crosses node "${n.name}"` });
			}
		}
	}
	for (const s of stickies) {
		const r = { left: s.x, right: s.x + s.width, top: s.y, bottom: s.y + s.height };
		for (const n of nodes) {
			if (intersects(r, footprint(n))) {
				overlaps++;
				findings.push({ check: 'c', message: `sticky "${s.name}" covers node "${n.name}"` });
			}
		}
		const node = t.nodes.find((x) => x.name === s.name)!;
		const need = stickyTextHeight(String(node.parameters.content ?? ''), s.width);
		if (need > s.height) {
			overflowing++;
			findings.push({
				check: 'e',
				message: `sticky "${s.name}" needs about ${need} px for its text at width ${s.width}, has ${s.height}`,
			});
		}
	}
	const fit = fittedZoom(boxes);
	if (stickies.length && fit.stickyPx < MIN_READABLE_PX) {
		findings.push({
			check: 'd',
			message: `sticky text is ${fit.stickyPx.toFixed(1)} px at the fitted zoom ${fit.zoom.toFixed(2)} of a ${fit.box.width} × ${fit.box.height} canvas (needs ≥ ${MIN_READABLE_PX})`,
		});
	}
	return { findings, fit, crossings, backward, overlaps, overflowing };
}
