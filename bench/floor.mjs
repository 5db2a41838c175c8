// The floor of the stock benchmark (scenario d): the least work that moves every stock level from SAP Business
// One to the portal, with no n8n. Logs in once, pages Items (ItemCode + warehouse info only, large pages), maps
// each warehouse row the way the SAP node does (on hand, reserved, available = on hand − reserved, incoming;
// negatives as 0) and posts maximal portal batches (1,000 rows, the API's maxItems). Reading the next SAP page
// overlaps the portal posts of the current one. Run in its own process, like n8n, so it does not share the
// simulators' event loop:
//   node bench/floor.mjs <json: {sapUrl, companyDb, user, password, portalUrl, apiKey, pageSize?, batch?, guards?}>
// Prints one JSON line {rows, ms}.
// With "guards": true (scenario d′) each row also gets the work our template's guards do, with the pack's own
// functions and no n8n: validated as the Stock Buffer reads it, buffered (95 %), validated and hashed as the Delta
// does (fingerprints kept in a map), validated as the portal node does before sending.
import { createRequire } from 'node:module';

const cfg = JSON.parse(process.argv[2]);
const pageSize = cfg.pageSize ?? 1000;
const batch = cfg.batch ?? 1000;

let guard = (row) => row;
if (cfg.guards) {
	const require = createRequire(import.meta.url);
	require('../scripts/ts-register.cjs');
	const { validateRecord } = require('../nodes/shared/model/validate.ts');
	const { contentHash, deltaKey } = require('../nodes/shared/delta.ts');
	const { bufferQuantities } = require('../nodes/B2bSyncGuard/actions/stock/buffer.operation.ts');
	const buffered = bufferQuantities({ percent: '95', subtract: '0', minimum: '0', decimals: 0 });
	const hashes = new Map();
	const valid = (record, options) => {
		const r = validateRecord('stock', record, options);
		if (!r.ok) throw new Error(`bad stock record ${JSON.stringify(record)}`);
		return r.value;
	};
	guard = (row) => {
		const out = { ...row, available: buffered(valid(row).available) };
		const normal = valid(out, { moneyDecimals: 4 });
		hashes.set(deltaKey('stock', normal), contentHash(normal));
		return valid(out);
	};
}

const qty = (n) => {
	const v = Math.max(0, Math.round(Number(n ?? 0) * 10_000) / 10_000);
	return String(v);
};

async function json(res, what) {
	const text = await res.text();
	if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${text.slice(0, 300)}`);
	return text ? JSON.parse(text) : {};
}

const started = performance.now();
const login = await fetch(`${cfg.sapUrl}/Login`, {
	method: 'POST',
	headers: { 'content-type': 'application/json' },
	body: JSON.stringify({ CompanyDB: cfg.companyDb, UserName: cfg.user, Password: cfg.password }),
});
const { SessionId } = await json(login, 'SAP login');
const sapHeaders = { cookie: `B1SESSION=${SessionId}`, 'B1S-PageSize': String(pageSize) };

let next = `${cfg.sapUrl}/Items?$select=ItemCode,ItemWarehouseInfoCollection&$orderby=ItemCode`;
const readPage = (url) => fetch(url, { headers: sapHeaders }).then((r) => json(r, `GET ${url}`));
let rows = 0;
let pending = [];
let inFlight = Promise.resolve();
const post = (items) =>
	fetch(`${cfg.portalUrl}/v1/stock/batch`, {
		method: 'POST',
		headers: { authorization: `Bearer ${cfg.apiKey}`, 'content-type': 'application/json' },
		body: JSON.stringify({ items }),
	}).then((r) => json(r, 'POST /v1/stock/batch'));

let page = await readPage(next);
for (;;) {
	const link = page['odata.nextLink'] ?? page['@odata.nextLink'];
	const nextPage = link ? readPage(`${cfg.sapUrl}/${link}`) : undefined;
	for (const item of page.value) {
		for (const w of item.ItemWarehouseInfoCollection ?? []) {
			const onHand = Math.max(0, Number(w.InStock ?? 0));
			const reserved = Math.max(0, Number(w.Committed ?? 0));
			pending.push(
				guard({
					productCode: item.ItemCode,
					warehouseCode: w.WarehouseCode,
					onHand: qty(onHand),
					reserved: qty(reserved),
					available: qty(onHand - reserved),
					incoming: qty(w.Ordered),
				}),
			);
			if (pending.length === batch) {
				const items = pending;
				pending = [];
				rows += items.length;
				await inFlight;
				inFlight = post(items);
			}
		}
	}
	if (!nextPage) break;
	page = await nextPage;
}
if (pending.length) {
	rows += pending.length;
	await inFlight;
	inFlight = post(pending);
}
await inFlight;
process.stdout.write(`${JSON.stringify({ rows, ms: Math.round(performance.now() - started) })}\n`);
