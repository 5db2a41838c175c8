/**
 * The non-developer's story, step by step in n8n's editor (issue #17): a real headless Chromium on the real
 * n8n 2.41.1 with the pack installed, the SAP B1 and portal simulators running, the SAP stock template imported
 * with its two accounts set and run once (the portal holds 95 % of SAP's free stock).
 *   open the workflow → the schedule trigger's panel: every 5 → every 10 minutes → Record run's panel: Expected
 *   Every 5 → 10 (the template's note asks for it) → the buffer's panel: Show (%) 95 → 90 → close the panels →
 *   Ctrl+S → Publish with the editor's button
 * → n8n's database holds the new schedule and buffer in the workflow AND in the published version, and the next
 * run (`n8n execute` of the saved, published workflow: the 5-minute path reads what moved in SAP since the last
 * run) shows 90 % in the portal for a level that was 95 %, rounded down to whole units (docs/sync-guard.md).
 *
 * The gallery: with ERP_B2B_GALLERY=1 the file also writes docs/images/ (one stock canvas per ERP family at the
 * fitted zoom, and the buffer's panel as the template ships it), re-encoded as 8-bit palette PNGs in node
 * (harness/png.ts: no ImageMagick, no new dependency); without it nothing in docs/ is touched (CI must not rewrite
 * committed files), and the same pictures go to test-output/gallery/ for a look.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { N8nInstance, REPO_ROOT } from './harness/n8n-instance';
import {
	closeNodePanel,
	errorToasts,
	openEditorBrowser,
	openNodePanel,
	openWorkflow,
	saveWithKeyboard,
	zoomToFit,
	type EditorBrowser,
} from './harness/browser';
import { toPalettePng } from './harness/png';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { startSapSimulator, type SapSimulator } from '../simulators/sap-b1/server';
import { UNREACHABLE_CREDENTIALS, portalCredential, sapCredential } from '../fixtures/credentials';
import { stepTimings } from './harness/steps';
import { TEMPLATES_DIR } from '../fixtures/templates';

jest.setTimeout(300_000);

const GALLERY = process.env.ERP_B2B_GALLERY === '1';
const SHOTS_DIR = path.join(REPO_ROOT, 'test-output', 'gallery');
const IMAGES_DIR = path.join(REPO_ROOT, 'docs', 'images');
const STORY_ID = 'storySapStock01';
const SCHEDULE = 'Every 5 minutes (changes)';
const BUFFER = 'Stock buffer 95 %';
const RECORD = 'Record run';

const template = (rel: string) => JSON.parse(readFileSync(path.join(TEMPLATES_DIR, rel), 'utf8'));

/** The stock template of each ERP family, photographed for the gallery (file name in docs/images/). */
const CANVASES = [
	{ id: STORY_ID, rel: 'sap-b1/sap-b1-stock.json', image: 'canvas-sap-b1-stock.png' },
	{ id: 'galleryEnova001', rel: 'enova365/enova365-stock.json', image: 'canvas-enova365-stock.png' },
	{ id: 'galleryOptima01', rel: 'optima/optima-stock.json', image: 'canvas-optima-stock.png' },
	{ id: 'gallerySubiekt1', rel: 'subiekt-gt/subiekt-gt-sql-stock.json', image: 'canvas-subiekt-gt-sql-stock.png' },
	{ id: 'galleryFiles001', rel: 'file-sync/file-sync-stock.json', image: 'canvas-file-sync-stock.png' },
].map((c) => ({ ...c, workflow: template(c.rel) }));

let sap: SapSimulator;
let portal: PortalSimulator;
let n8n: N8nInstance;
let editor: EditorBrowser;
const credentialIds: Record<string, { id: string; name: string }> = {};
const started = Date.now();
const { timings, timed } = stepTimings();

/** What the portal may show: `percent` % of SAP's free quantity (on hand − committed, ≥ 0), rounded down. */
const buffered = (inStock: number, committed: number, percent: number): string => {
	const free = Math.max(0, Math.round((inStock - committed) * 10_000));
	return String(Math.floor((free * percent) / 1_000_000));
};

beforeAll(async () => {
	mkdirSync(SHOTS_DIR, { recursive: true });
	[sap, portal] = await Promise.all([
		startSapSimulator({ seed: { items: 30, seed: 17 } }),
		startPortalSimulator({ apiKey: 'e2e-portal-KEY-story-2a9c', webhookSecret: 'e2e-webhook-SECRET-żółć' }),
	]);
	n8n = await N8nInstance.create();
	await timed('install pack', () => n8n.installPack());
	const credentials = [sapCredential(sap), portalCredential(portal), ...UNREACHABLE_CREDENTIALS];
	await n8n.importCredentials(credentials);
	for (const c of credentials) credentialIds[c.type] = { id: c.id, name: c.name };
	await timed('import 5 stock templates', () =>
		n8n.importWorkflows(CANVASES.map((c) => ({ id: c.id, workflow: c.workflow, credentialIds }))),
	);
	// the template as a consultant left it: run once, the portal shows 95 %
	const first = await timed('first run (95 %)', () => n8n.execute(STORY_ID));
	expect(first.error).toBeUndefined();
	expect(first.ok).toBe(true);
	await timed('start n8n', () => n8n.start());
	editor = await openEditorBrowser(n8n.baseUrl, await n8n.authCookie());
	editor.page.setDefaultTimeout(20_000);
});

afterEach(async () => {
	// what the editor showed when a step failed
	await editor?.page.screenshot({ path: path.join(SHOTS_DIR, 'last-step.png') }).catch(() => undefined);
});

afterAll(async () => {
	await editor?.close();
	await n8n?.dispose();
	await Promise.all([sap?.close(), portal?.close()]);
	timings.push(`whole file: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	process.stdout.write(`\neditor-story timings:\n  ${timings.join('\n  ')}\n`);
});

/** A screenshot for the gallery: test-output/gallery/ always, docs/images/ (optimised) with ERP_B2B_GALLERY=1. */
async function photograph(image: string): Promise<void> {
	const shot = path.join(SHOTS_DIR, image);
	await editor.page.screenshot({ path: shot });
	if (!GALLERY) return;
	mkdirSync(IMAGES_DIR, { recursive: true });
	const target = path.join(IMAGES_DIR, image);
	// an 8-bit palette PNG (harness/png.ts): ~320 KB → ~120 KB for a 1600 × 1000 canvas
	writeFileSync(target, toPalettePng(readFileSync(shot)));
	timings.push(`${image}: ${(statSync(target).size / 1024).toFixed(0)} KB`);
}

/** Types a value into a parameter of the open panel like a person: select what is there, type, leave the field. */
async function typeInto(parameter: string, value: string): Promise<void> {
	const input = editor.page.locator(`[data-test-id="ndv"] [data-test-id="parameter-input-${parameter}"] input`).first();
	await input.click();
	await input.press('Control+a');
	await input.pressSequentially(value);
	await input.press('Tab');
	await editor.page.waitForTimeout(200);
}

/** The nodes of the workflow and of its published version, as n8n's database holds them. */
async function storedNodes(): Promise<{ draft: any[]; published: any[] }> {
	const [wf] = await n8n.dbQuery('SELECT "nodes", "activeVersionId" FROM "workflow_entity" WHERE "id" = ?', [STORY_ID]);
	expect(wf?.activeVersionId).toBeTruthy();
	const [version] = await n8n.dbQuery('SELECT "nodes" FROM "workflow_history" WHERE "versionId" = ?', [
		wf.activeVersionId,
	]);
	const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as any[];
	return { draft: parse(wf.nodes), published: parse(version.nodes) };
}

async function waitFor(probe: () => Promise<unknown>, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await probe())) {
		if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

const byName = (nodes: any[], name: string) => nodes.find((n) => n.name === name);

it('every stock canvas of the gallery opens with no issue at the fitted zoom', async () => {
	for (const c of CANVASES) {
		await openWorkflow(editor.page, n8n.baseUrl, c.id, c.workflow.nodes.length);
		await zoomToFit(editor.page);
		await photograph(c.image);
		expect(await errorToasts(editor.page)).toEqual([]);
	}
	expect(editor.offLoopback).toEqual([]);
});

it('a person changes the schedule to every 10 minutes and the buffer to 90 %, saves and publishes; the next run shows 90 %', async () => {
	const page = editor.page;
	await openWorkflow(page, n8n.baseUrl, STORY_ID, CANVASES[0].workflow.nodes.length);

	await timed('edit in the panels', async () => {
		await openNodePanel(page, SCHEDULE);
		await typeInto('minutesInterval', '10');
		await closeNodePanel(page);

		await openNodePanel(page, RECORD);
		await typeInto('expectedEveryMinutes', '10');
		await closeNodePanel(page);

		await openNodePanel(page, BUFFER);
		await photograph('panel-stock-buffer.png');
		await typeInto('percent', '90');
		await closeNodePanel(page);
	});

	expect(await timed('save (Ctrl+S)', () => saveWithKeyboard(page, STORY_ID))).toBe(200);
	expect(await errorToasts(page)).toEqual([]);

	await timed('publish with the editor’s button', async () => {
		// the header's Publish opens n8n 2.x's publish dialog (version name, description); its Publish confirms
		await page.click('[data-test-id="workflow-open-publish-modal-button"]');
		const confirm = page.locator('[data-test-id="workflow-publish-button"]');
		await confirm.waitFor({ state: 'visible', timeout: 15_000 });
		const published = page.waitForResponse(
			(r) => r.request().method() !== 'GET' && r.url().includes(`/rest/workflows/${STORY_ID}`),
			{ timeout: 30_000 },
		);
		await confirm.click();
		expect((await published).status()).toBe(200);
		// n8n confirms with a "Workflow published" dialog: a person presses "Got it"
		await page
			.locator('button:has-text("Got it")')
			.click({ timeout: 5_000 })
			.catch(() => undefined);
		await waitFor(
			async () =>
				(await n8n.dbQuery('SELECT "activeVersionId" FROM "workflow_entity" WHERE "id" = ?', [STORY_ID]))[0]
					?.activeVersionId,
		);
		await n8n.waitForPublications([STORY_ID]);
	});
	expect(await errorToasts(page)).toEqual([]);

	// n8n's database: the workflow and its published version hold the new schedule, expected interval and buffer
	const { draft, published } = await storedNodes();
	for (const nodes of [draft, published]) {
		expect(byName(nodes, SCHEDULE).parameters.rule.interval).toEqual([{ field: 'minutes', minutesInterval: 10 }]);
		expect(byName(nodes, RECORD).parameters.expectedEveryMinutes).toBe(10);
		expect(byName(nodes, BUFFER).parameters.percent).toBe(90);
	}

	// SAP moves: a goods receipt on one item; the next run (5-minute path) sends it with the new buffer
	const code = sap.state.itemsInOrder()[3].ItemCode;
	const key = portal.state.keys.stock({ productCode: code, warehouseCode: '01' });
	const before = sap.state.stockOf(code, '01');
	expect(portal.state.stock.get(key)!.available).toBe(buffered(before.InStock, before.Committed, 95));
	sap.state.moveStock(code, '01', 40, 'receipt');
	const after = sap.state.stockOf(code, '01');
	expect(buffered(after.InStock, after.Committed, 90)).not.toBe(buffered(after.InStock, after.Committed, 95));

	const run = await timed('next run of the published workflow (n8n execute)', () => n8n.execute(STORY_ID));
	expect(run.error).toBeUndefined();
	expect(run.ok).toBe(true);
	expect(portal.state.stock.get(key)).toMatchObject({
		onHand: String(after.InStock),
		reserved: String(after.Committed),
		available: buffered(after.InStock, after.Committed, 90),
	});
	expect(editor.offLoopback).toEqual([]);
});
