/**
 * A real browser on n8n's editor: headless Chromium from Debian's packages (/usr/bin/chromium, installed by .ci/run
 * when missing) driven by playwright-core, which never downloads a browser here (executablePath is given).
 *
 * What n8n 2.41.1's editor (Vue Flow canvas) shows, found by dumping page.content() and its stores:
 *   [data-test-id="canvas-node"]          every node but sticky notes; data-node-name, data-node-type. Its parent
 *                                         .vue-flow__node carries data-id = the node's id and the canvas position.
 *   [data-test-id="sticky"]               a sticky note (inside a .vue-flow__node-canvas-node with data-id); its
 *                                         text is rendered markdown next to a hidden <textarea> (the editor).
 *   [data-test-id="edge"]                 a connection; [data-test-id="canvas-trigger-node"] marks triggers.
 *   [data-test-id="zoom-to-fit"]          the "fit view" button of [data-test-id="canvas-controls"].
 *   .vue-flow__transformationpane         style transform translate(...) scale(z): z is the canvas zoom.
 *   [data-test-id="node-issues"]          the red triangle on a node: in 2.41.1 only for EXECUTION issues.
 *                                         Validation issues (credentials, parameters) live in node.issues in the
 *                                         workflow document store (pinia id "workflowDocuments/<id>@latest"), which
 *                                         NodeView fills on open (updateNodes{Input,Credentials,Parameter}Issues).
 *   [data-test-id="node-not-installed"]   a node of a community package that is not installed; a node type n8n
 *                                         does not know at all is found through the nodeTypes store (no type).
 *   .el-notification                      toasts; an error toast has the class "error" inside (.el-notification__icon
 *                                         .el-icon-error / the n8n "error" type).
 * Facts measured: a full page load of /workflow/<id> takes about 7 s on the 2-CPU machine (the editor bundle and
 * the node types); moving to the next workflow through the app's own router takes well under a second, so
 * openWorkflow() navigates in-app once the editor is loaded. n8n 2.41.1 has no Save button (it shows "Saved"),
 * Ctrl+S saves (PATCH /rest/workflows/<id>) when the workflow has unsaved changes. For an owner (credential:read
 * scope) a node whose credential is referenced by name only, with no such credential, gets NO issue: n8n raises
 * "Credentials not set" only when the node has no credential entry at all.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

// The functions given to page.evaluate run in the page, not in Node: the DOM globals they use, declared here for this
// module only (tsconfig has no "dom" lib, and adding it would hide DOM-only names used by mistake in Node code).
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const location: any;
declare const getComputedStyle: any;
declare const NodeFilter: any;
type HTMLElement = any;
type Element = any;

export const CHROMIUM = '/usr/bin/chromium';
export const VIEWPORT = { width: 1600, height: 1000 };

export interface EditorBrowser {
	browser: Browser;
	context: BrowserContext;
	page: Page;
	/** Requests the route guard aborted (anything not to 127.0.0.1 / localhost / ::1). */
	offLoopback: string[];
	close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * One headless Chromium with one 1600×1000 context logged in as the n8n owner (its n8n-auth cookie), or, without a
 * cookie, a browser that has never seen this n8n (a new user's first visit: the owner sign-up form). The page may
 * read the clipboard, where n8n's copy buttons put what they copy (the new API key).
 */
export async function openEditorBrowser(baseUrl: string, authCookie?: string): Promise<EditorBrowser> {
	if (!existsSync(CHROMIUM))
		throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run installs it when missing)`);
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
	});
	const context = await browser.newContext({
		viewport: VIEWPORT,
		deviceScaleFactor: 1,
		locale: 'en-US',
		permissions: ['clipboard-read', 'clipboard-write'],
	});
	const url = new URL(baseUrl);
	if (authCookie)
		await context.addCookies([
			{ name: 'n8n-auth', value: authCookie, domain: url.hostname, path: '/', httpOnly: true },
		]);
	const offLoopback: string[] = [];
	await context.route('**/*', (route) => {
		const target = route.request().url();
		let host = '';
		try {
			host = new URL(target).hostname;
		} catch {
			// data: and the like have no host: they never leave the machine
			return route.continue();
		}
		if (host === '' || LOOPBACK.has(host)) return route.continue();
		offLoopback.push(target);
		return route.abort('blockedbyclient');
	});
	const page = await context.newPage();
	return {
		browser,
		context,
		page,
		offLoopback,
		close: async () => {
			await context.close().catch(() => undefined);
			await browser.close();
		},
	};
}

/**
 * Opens /workflow/<id> and waits until the canvas shows every node of the workflow (nodeCount = all nodes,
 * sticky notes included). The first call loads the page; later calls go through the editor's router, as a
 * person clicking from one workflow to the next does (a full reload costs ~7 s of bundle and node types).
 */
export async function openWorkflow(page: Page, baseUrl: string, id: string, nodeCount: number): Promise<void> {
	const target = `/workflow/${encodeURIComponent(id)}`;
	const loaded = await page.evaluate(() => !!(document.querySelector('#app') as any)?.__vue_app__).catch(() => false);
	if (!loaded || !page.url().startsWith(baseUrl)) await page.goto(`${baseUrl}${target}`);
	else
		await page.evaluate(
			(t) => (document.querySelector('#app') as any).__vue_app__.config.globalProperties.$router.push(t),
			target,
		);
	await waitForCanvas(page, id, nodeCount);
}

/** The canvas is ready: the workflow's document store is the one shown and every node is rendered. */
export async function waitForCanvas(page: Page, id: string, nodeCount: number, timeoutMs = 60_000): Promise<void> {
	await page.waitForFunction(
		({ id, nodeCount }) => {
			const pinia = (document.querySelector('#app') as any)?.__vue_app__?.config.globalProperties.$pinia;
			const doc = pinia?._s.get(`workflowDocuments/${id}@latest`);
			if (!doc || (doc.allNodes ?? []).length !== nodeCount) return false;
			const shown =
				document.querySelectorAll('[data-test-id="canvas-node"]').length +
				document.querySelectorAll('[data-test-id="sticky"]').length;
			return shown === nodeCount && location.pathname.endsWith(`/workflow/${id}`);
		},
		{ id, nodeCount },
		{ timeout: timeoutMs },
	);
	// NodeView computes node issues right after the nodes are set (nextTick): let it run
	await page.waitForTimeout(150);
	// and every node's icon has loaded (an icon file is fetched after its node is drawn: a photograph taken at once
	// showed blank nodes); a broken icon fails here, a person would see it too
	await page.waitForFunction(
		() =>
			[...document.querySelectorAll('[data-test-id="canvas-node"] img')].every(
				(img: any) => img.complete && img.naturalWidth > 0,
			),
		undefined,
		{ timeout: 15_000 },
	);
}

/** Clicks the canvas's "zoom to fit" button and waits for the zoom to settle; returns the zoom. */
export async function zoomToFit(page: Page): Promise<number> {
	await page.click('[data-test-id="zoom-to-fit"]');
	// the pointer off the canvas (onto the left sidebar), so no hovered node or edge shows its toolbar in a screenshot
	await page.mouse.move(20, Math.round(VIEWPORT.height / 2));
	let last = -1;
	for (let i = 0; i < 40; i++) {
		await page.waitForTimeout(100);
		const z = await canvasZoom(page);
		if (Math.abs(z - last) < 1e-4) return z;
		last = z;
	}
	return last;
}

/** The canvas zoom (the scale of .vue-flow__transformationpane). */
export function canvasZoom(page: Page): Promise<number> {
	return page.evaluate(() => {
		const pane = document.querySelector('.vue-flow__transformationpane') as HTMLElement | null;
		const m = /scale\(([\d.]+)\)/.exec(pane?.style.transform ?? '');
		return m ? Number(m[1]) : 1;
	});
}

export interface CanvasNodeState {
	id: string;
	name: string;
	type: string;
	/** n8n's node type registry has no such type/version: the canvas shows an unknown-node placeholder */
	unknownType: boolean;
	/** node.issues as n8n computed them on open: { credentials: {type: [messages]}, parameters: {...}, ... } */
	issues: Record<string, unknown>;
	/** the "node-issues" / "node-not-installed" marks in the node's DOM */
	marks: string[];
}

export interface StickyState {
	id: string;
	name: string;
	/** the smallest font size of its visible text, in screen px (computed font-size × canvas zoom) */
	minTextPx: number;
	rect: Rect;
}

export interface Rect {
	x: number;
	y: number;
	width: number;
	height: number;
}

export interface CanvasState {
	zoom: number;
	nodes: Array<CanvasNodeState & { rect: Rect }>;
	stickies: StickyState[];
	edges: number;
}

/** What the canvas shows now: nodes (with type knowledge and issues), sticky notes (text size, rectangle). */
export async function readCanvas(page: Page, workflowId: string): Promise<CanvasState> {
	return page.evaluate((workflowId) => {
		const pinia = (document.querySelector('#app') as any).__vue_app__.config.globalProperties.$pinia;
		const doc = pinia._s.get(`workflowDocuments/${workflowId}@latest`);
		const nodeTypes = pinia._s.get('nodeTypes');
		const pane = document.querySelector('.vue-flow__transformationpane') as HTMLElement | null;
		const m = /scale\(([\d.]+)\)/.exec(pane?.style.transform ?? '');
		const zoom = m ? Number(m[1]) : 1;
		const rectOf = (el: Element) => {
			const r = el.getBoundingClientRect();
			return { x: r.x, y: r.y, width: r.width, height: r.height };
		};
		const byId = new Map<string, any>((doc.allNodes as any[]).map((n) => [n.id, n]));
		const nodes = [...document.querySelectorAll('[data-test-id="canvas-node"]')].map((el) => {
			const wrapper = el.closest('.vue-flow__node') as HTMLElement;
			const id = wrapper?.dataset.id ?? '';
			const n = byId.get(id) ?? {};
			return {
				id,
				name: (el as HTMLElement).dataset.nodeName ?? n.name ?? '',
				type: (el as HTMLElement).dataset.nodeType ?? n.type ?? '',
				unknownType: !nodeTypes.getNodeType(n.type, n.typeVersion),
				issues: JSON.parse(JSON.stringify(n.issues ?? {})),
				marks: [...el.querySelectorAll('[data-test-id="node-issues"], [data-test-id="node-not-installed"]')].map(
					(x) => x.getAttribute('data-test-id') as string,
				),
				rect: rectOf(wrapper ?? el),
			};
		});
		const stickies = [...document.querySelectorAll('[data-test-id="sticky"]')].map((el) => {
			const wrapper = el.closest('.vue-flow__node') as HTMLElement;
			const id = wrapper?.dataset.id ?? '';
			let minTextPx = Infinity;
			const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
			for (let t = walker.nextNode(); t; t = walker.nextNode()) {
				const parent = t.parentElement;
				if (!parent || !t.textContent?.trim() || parent.closest('textarea')) continue;
				const style = getComputedStyle(parent);
				if (style.display === 'none' || style.visibility === 'hidden' || parent.getClientRects().length === 0) continue;
				minTextPx = Math.min(minTextPx, parseFloat(style.fontSize) * zoom);
			}
			return { id, name: byId.get(id)?.name ?? '', minTextPx, rect: rectOf(wrapper ?? el) };
		});
		return { zoom, nodes, stickies, edges: document.querySelectorAll('[data-test-id="edge"]').length };
	}, workflowId);
}

/** Pairs (sticky note, node) whose rectangles overlap by more than `tolerance` px in both directions. */
export function stickyOverlaps(state: CanvasState, tolerance = 1): Array<{ sticky: string; node: string }> {
	const out: Array<{ sticky: string; node: string }> = [];
	for (const s of state.stickies)
		for (const n of state.nodes) {
			const dx = Math.min(s.rect.x + s.rect.width, n.rect.x + n.rect.width) - Math.max(s.rect.x, n.rect.x);
			const dy = Math.min(s.rect.y + s.rect.height, n.rect.y + n.rect.height) - Math.max(s.rect.y, n.rect.y);
			if (dx > tolerance && dy > tolerance) out.push({ sticky: s.name, node: n.name });
		}
	return out;
}

/** Text of the error toasts on screen. */
export function errorToasts(page: Page): Promise<string[]> {
	return page.evaluate(() =>
		[...document.querySelectorAll('.el-notification')]
			.filter((el) => /error/i.test(el.className) || !!el.querySelector('[class*="error"]'))
			.map((el) => (el as HTMLElement).innerText.trim()),
	);
}

/**
 * Saves the open workflow as a person does: Ctrl+S on the canvas. n8n saves only a workflow with unsaved changes,
 * so the editor's own "unsaved changes" flag is raised first (what any edit does). Returns the status of the
 * PATCH /rest/workflows/<id> the editor sent.
 */
export async function saveWithKeyboard(page: Page, workflowId: string): Promise<number> {
	await page.evaluate(() =>
		(document.querySelector('#app') as any).__vue_app__.config.globalProperties.$pinia._s.get('ui').markStateDirty(),
	);
	const saved = page.waitForResponse(
		(r) => r.request().method() === 'PATCH' && new URL(r.url()).pathname === `/rest/workflows/${workflowId}`,
		{ timeout: 15_000 },
	);
	await page.click('[data-test-id="canvas-wrapper"]', { position: { x: 5, y: 5 } });
	await page.keyboard.press('Control+s');
	const response = await saved;
	await page.waitForTimeout(300); // the toast of a failed save appears after the response
	return response.status();
}

/** The canvas's size on the page (the window less n8n's side bar, header and logs panel): what "fit view" fills. */
export function canvasSize(page: Page): Promise<{ width: number; height: number }> {
	return page.evaluate(() => {
		const r = (document.querySelector('.vue-flow') as HTMLElement).getBoundingClientRect();
		return { width: Math.round(r.width), height: Math.round(r.height) };
	});
}

/** Visible elements matching `selector`, as their innerText (trimmed). */
export function visibleTexts(page: Page, selector: string): Promise<string[]> {
	return page.evaluate(
		(selector) =>
			[...document.querySelectorAll(selector)]
				.filter((e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')
				.map((e) => (e as HTMLElement).innerText.trim()),
		selector,
	);
}

/** Opens a node's panel (NDV) as a person does: a double click on the node on the canvas. */
export async function openNodePanel(page: Page, nodeName: string): Promise<void> {
	await page.dblclick(`[data-test-id="canvas-node"][data-node-name="${nodeName.replace(/"/g, '\\"')}"]`);
	await page.waitForSelector('[data-test-id="ndv"] [data-test-id="parameter-input"]', { state: 'visible' });
}

/** Closes the open node panel with its × (the editor's "Back to canvas"). */
export async function closeNodePanel(page: Page): Promise<void> {
	await page.click('[data-test-id="ndv"] [data-test-id="ndv-close-button"]');
	await page.waitForSelector('[data-test-id="ndv"] [data-test-id="parameter-input"]', { state: 'hidden' });
}

/**
 * Opens the dropdown of an options / multiOptions parameter in the open panel (a click on its select) and returns
 * the options it lists once loaded (load options come from the node's method on the server); closes it again.
 */
export async function dropdownOptions(page: Page, parameter: string): Promise<string[]> {
	const items = '.el-select-dropdown .el-select-dropdown__item';
	// measured: the first click into a panel that has just opened is taken by the panel (focus), not the select
	let texts: string[] = [];
	for (let attempt = 0; attempt < 5 && texts.length === 0; attempt++) {
		await page.click(`[data-test-id="ndv"] [data-test-id="parameter-input-${parameter}"] .n8n-select`);
		await page
			.waitForFunction(
				(items) =>
					[...document.querySelectorAll(items)].some(
						(e) => e.getClientRects().length > 0 && (e as any).innerText.trim(),
					),
				items,
				{ timeout: 4_000 },
			)
			.catch(() => undefined);
		texts = await visibleTexts(page, items);
	}
	await page.keyboard.press('Escape');
	await page.waitForTimeout(200);
	return texts;
}

/**
 * Opens the "From List" dropdown of a resource-locator parameter and returns the items it shows; with `search`,
 * types it into the list's search box like a person and returns the items once the node's search has answered.
 */
export async function resourceLocatorItems(page: Page, parameter: string, search?: string): Promise<string[]> {
	const results = (r: { url(): string }) => r.url().includes('/rest/dynamic-node-parameters/resource-locator-results');
	// the list is fetched once and kept by the editor (a second opening sends nothing): wait for its items instead;
	// and the first click into a panel that has just opened can be taken by the panel, so click until it opens
	for (let attempt = 0; attempt < 5; attempt++) {
		await page.click(`[data-test-id="ndv"] [data-test-id="resource-locator-${parameter}"] [data-test-id="rlc-input"]`);
		const open = await page
			.waitForSelector('[data-test-id="rlc-item"]', { state: 'visible', timeout: 6_000 })
			.then(() => true)
			.catch(() => false);
		if (open) break;
	}
	if (search !== undefined) {
		const filtered = page.waitForResponse(
			(r) => results(r) && (r.request().postData() ?? '').includes(JSON.stringify(search).slice(1, -1)),
			{ timeout: 30_000 },
		);
		await page.locator('[data-test-id="rlc-search"]').fill(search);
		await filtered;
		await page.waitForTimeout(300); // the list re-renders after the answer
	}
	const texts = await visibleTexts(page, '[data-test-id="rlc-item"]');
	await page.keyboard.press('Escape');
	await page.waitForTimeout(200);
	return texts;
}

export interface CredentialTest {
	status: 'success' | 'error';
	/** the banner's text; for a failure with "More details" opened, the reason n8n gives */
	text: string;
}

/**
 * The connection test banner of the open credential modal once its test has answered (n8n tests a credential when
 * its form opens and when it is saved). A failure's reason is behind "More details": it is opened and read.
 */
export async function credentialTestResult(page: Page, timeoutMs = 30_000): Promise<CredentialTest> {
	// a success is [data-test-id="credentials-config-container-test-success"]; a failure has no test id in 2.41.1:
	// it is the danger tag ("Couldn’t connect with these settings", "More details") in the same container
	const container = '[data-test-id="editCredential-modal"] [data-test-id="node-credentials-config-container"]';
	const success = `${container} [data-test-id="credentials-config-container-test-success"]`;
	const failure = `${container} .el-tag--danger`;
	const handle = await page.waitForFunction(
		({ success, failure }) => {
			const visible = (s: string) => [...document.querySelectorAll(s)].some((e) => e.getClientRects().length > 0);
			return visible(success) ? 'success' : visible(failure) ? 'error' : '';
		},
		{ success, failure },
		{ timeout: timeoutMs },
	);
	const status = (await handle.jsonValue()) as 'success' | 'error';
	if (status === 'error') {
		const more = page.locator(`${failure} >> text="More details"`);
		if ((await more.count()) > 0) {
			await more.first().click();
			await page.waitForTimeout(300);
		}
	}
	const text = (await visibleTexts(page, status === 'success' ? success : failure)).join('\n');
	return { status, text };
}

/** Opens a credential from Overview → Credentials by its name; returns the first test result of its form. */
export async function openCredential(page: Page, baseUrl: string, name: string): Promise<CredentialTest> {
	await page.goto(`${baseUrl}/home/credentials`);
	await page.click(`[data-test-id="resources-list-item"]:has-text("${name.replace(/"/g, '\\"')}")`);
	await page.waitForSelector('[data-test-id="editCredential-modal"]', { state: 'visible' });
	return await credentialTestResult(page);
}

/**
 * Types `value` into a field of the open credential form and presses Save (n8n saves, then tests); returns the
 * test result that follows the save.
 */
export async function saveCredentialWith(page: Page, field: string, value: string): Promise<CredentialTest> {
	const modal = '[data-test-id="editCredential-modal"]';
	await page.locator(`${modal} [data-test-id="parameter-input-${field}"] input`).first().fill(value);
	const tested = page.waitForResponse(
		(r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/rest/credentials/test',
		{ timeout: 30_000 },
	);
	await page.click(`${modal} [data-test-id="credential-save-button"]`);
	await tested;
	await page.waitForTimeout(300);
	return await credentialTestResult(page);
}

/** Closes the open credential modal. */
export async function closeCredential(page: Page): Promise<void> {
	await page.keyboard.press('Escape');
	await page.waitForSelector('[data-test-id="editCredential-modal"]', { state: 'hidden' });
}
