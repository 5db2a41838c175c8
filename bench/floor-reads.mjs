// The floors of the read benchmarks (bench/reads.ts): the least work that moves the same records from the ERP to the
// portal with no n8n, doing what our template's guards do with the pack's own functions. Run in its own process,
// like n8n, so it does not share the simulators' event loop:
//   node bench/floor-reads.mjs <json: {kind, portalUrl, apiKey, batch?, sap?, sql?, csv?}>
// Prints one JSON line {rows, ms}.
//
// kind            reads (the same requests / statements as the template's ERP node)           guards
// sap-products    SAP login, Items pages ($select as the node, $orderby ItemCode), itemToProduct    delta, portal
// sap-prices      PriceLists, Items listing, each item's ItemPrices (4 at a time, as the node's     delta, portal
//                 Concurrency default), SpecialPrices pages; itemToPrices / specialPriceToPrices,
//                 one price per portal key
// subiekt-products  keyset pages of 'products' (the pack's SQL source), rowToProduct                delta, portal
// subiekt-prices    keyset pages of 'products' + 'priceLevels' per tw_Id range, rowToLevelPrice     delta, portal
// csv-stock       the file from disk, streamed through the pack's CSV reader (encoding and          file validation,
//                 delimiter auto), the template's column mapping and decimal comma                  buffer 95 %, portal
//
// Guards: "delta" = validated as Only changed … validates (money to 4 places), key and content hash kept in a map;
// "portal" = validated as the portal node validates before sending; "file validation" = as ERP File validates a
// parsed record (below-zero stock to 0, validation, one row per product and warehouse); "buffer 95 %" = validated
// and lowered as Stock buffer 95 % does. Portal writes: batches of `batch` (1,000, the API's maxItems), the next
// batch prepared while one is in flight.
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';

const cfg = JSON.parse(process.argv[2]);
const batch = cfg.batch ?? 1000;
const require = createRequire(import.meta.url);
require('../scripts/ts-register.cjs');
const { validateRecord } = require('../nodes/shared/model/validate.ts');
const { contentHash, deltaKey } = require('../nodes/shared/delta.ts');
// every module loaded (and transpiled) before the clock starts, as n8n has the pack loaded before a run
const { normaliseStock } = require('../nodes/shared/model/stock.ts');
const { bufferQuantities } = require('../nodes/B2bSyncGuard/actions/stock/buffer.operation.ts');
const { itemToProduct, itemToPrices, specialPriceToPrices } = require('../nodes/SapB1/mapping.ts');
const { ITEM_SELECT } = require('../nodes/SapB1/actions/item/getMany.operation.ts');
const { keyPath } = require('../nodes/SapB1/transport/index.ts');
const { openSqlSource, settingsFromCredential } = require('../nodes/shared/sql/transport.ts');
const { SUBIEKT_SQL } = require('../nodes/SubiektGt/sql/queries.ts');
const { keysetPages } = require('../nodes/shared/sql/common.ts');
const { rowToProduct, rowToLevelPrice } = require('../nodes/SubiektGt/sql/mapping.ts');
const { readCsvRecords } = require('../nodes/shared/files/csv.ts');
const { recordFromRow, requiredSources, resolveMapping } = require('../nodes/ErpFile/fields.ts');

const ENTITY = {
	'sap-products': 'product',
	'sap-prices': 'price',
	'subiekt-products': 'product',
	'subiekt-prices': 'price',
	'csv-stock': 'stock',
};
const entity = ENTITY[cfg.kind];
if (!entity) throw new Error(`unknown floor kind "${cfg.kind}"`);
const PORTAL_PATH = { product: 'products', price: 'prices', stock: 'stock' }[entity];

const valid = (record, options) => {
	const r = validateRecord(entity, record, options);
	if (!r.ok)
		throw new Error(`bad ${entity} record ${JSON.stringify(record).slice(0, 300)}: ${JSON.stringify(r.issues)}`);
	return r.value;
};

// ------------------------------------------------------------------ guards
const hashes = new Map();
const delta = (record) => {
	const normal = valid(record, { moneyDecimals: 4 });
	hashes.set(deltaKey(entity, normal), contentHash(normal));
	return record;
};
let guard;
if (cfg.kind === 'csv-stock') {
	const buffered = bufferQuantities({ percent: '95', subtract: '0', minimum: '0', decimals: 0 });
	const seen = new Set();
	guard = (raw) => {
		normaliseStock(raw);
		const rec = valid(raw, { moneyDecimals: 2, rounding: 'halfUp' });
		const key = `${rec.productCode}@${rec.warehouseCode}`;
		if (seen.has(key)) throw new Error(`stock "${key}" appears twice`);
		seen.add(key);
		const out = { ...rec, available: buffered(valid(rec).available) };
		return valid(out);
	};
} else {
	guard = (record) => valid(delta(record));
}

// ------------------------------------------------------------------ portal writes
let rows = 0;
let pending = [];
let inFlight = Promise.resolve();
async function json(res, what) {
	const text = await res.text();
	if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${text.slice(0, 300)}`);
	return text ? JSON.parse(text) : {};
}
const post = (items) =>
	fetch(`${cfg.portalUrl}/v1/${PORTAL_PATH}/batch`, {
		method: 'POST',
		headers: { authorization: `Bearer ${cfg.apiKey}`, 'content-type': 'application/json' },
		body: JSON.stringify({ items }),
	}).then((r) => json(r, `POST /v1/${PORTAL_PATH}/batch`));
async function send(record) {
	pending.push(guard(record));
	if (pending.length === batch) await flush();
}
async function flush() {
	if (!pending.length) return;
	const items = pending;
	pending = [];
	rows += items.length;
	await inFlight;
	inFlight = post(items);
}

// ------------------------------------------------------------------ reads
async function sapSession() {
	const s = cfg.sap;
	const login = await fetch(`${s.url}/Login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ CompanyDB: s.companyDb, UserName: s.user, Password: s.password }),
	});
	const { SessionId } = await json(login, 'SAP login');
	const pageSize = String(s.pageSize ?? 1000);
	const headers = {
		cookie: `B1SESSION=${SessionId}`,
		'B1S-PageSize': pageSize,
		Prefer: `odata.maxpagesize=${pageSize}`,
	};
	const get = (pathAndQuery) =>
		fetch(`${s.url}${pathAndQuery}`, { headers }).then((r) => json(r, `GET ${pathAndQuery}`));
	/** every page of an entity set, the next page asked for while this one is worked on */
	async function* pages(entitySet, query) {
		let next = get(`/${entitySet}?${query}`);
		for (;;) {
			const page = await next;
			const link = page['odata.nextLink'] ?? page['@odata.nextLink'];
			if (link) next = get(`/${link.replace(/^\//, '')}`);
			yield page.value ?? [];
			if (!link) return;
		}
	}
	return { get, pages };
}

const TZ = { timeZone: 'Europe/Warsaw', vatGroups: {} };

async function sapProducts() {
	const sap = await sapSession();
	for await (const items of sap.pages('Items', `$select=${ITEM_SELECT.join(',')}&$orderby=ItemCode`))
		for (const item of items) await send(itemToProduct(item, TZ));
}

async function sapPrices() {
	const sap = await sapSession();
	const lists = new Map();
	for await (const page of sap.pages(
		'PriceLists',
		'$select=PriceListNo,IsGrossPrice,DefaultPrimeCurrency&$orderby=PriceListNo',
	))
		for (const l of page) lists.set(Number(l.PriceListNo), l);
	const codes = [];
	for await (const page of sap.pages('Items', '$select=ItemCode,UpdateDate,UpdateTime&$orderby=ItemCode'))
		for (const i of page) codes.push(String(i.ItemCode));
	const byKey = new Map();
	const push = (p) =>
		byKey.set(
			[p.productCode, p.scope, p.scopeCode, p.currency, p.minQuantity ?? '1', p.validFrom ?? '']
				.map(String)
				.join('\u001f'),
			p,
		);
	const results = new Array(codes.length);
	let next = 0;
	const worker = async () => {
		while (next < codes.length) {
			const index = next++;
			const body = await sap.get(`${keyPath('Items', codes[index])}?$select=ItemCode,SalesVATGroup,ItemPrices`);
			results[index] = itemToPrices(body, lists, { ...TZ, priceLists: [] });
		}
	};
	await Promise.all(Array.from({ length: Math.min(cfg.sap.concurrency ?? 4, codes.length) }, worker));
	for (const prices of results) prices?.forEach(push);
	for await (const page of sap.pages('SpecialPrices', '$orderby=ItemCode,CardCode'))
		for (const sp of page) specialPriceToPrices(sp, lists, TZ).forEach(push);
	for (const p of byKey.values()) await send(p);
}

async function subiekt(fn) {
	const node = { name: 'floor', type: 'floor', typeVersion: 1, position: [0, 0], parameters: {} };
	const sql = await openSqlSource(node, settingsFromCredential(cfg.sql), SUBIEKT_SQL);
	try {
		await fn(sql);
	} finally {
		await sql.close();
	}
}
const SQL_OPTS = {
	priceDecimals: 4,
	moneyDecimals: 2,
	timeZone: 'Europe/Warsaw',
	defaultCountry: 'PL',
	priceLevelKey: 'name',
};
const PAGE = 1000;

async function subiektProducts() {
	await subiekt((sql) =>
		keysetPages(
			PAGE,
			'tw_Id',
			(afterId) => sql.query('products', { pageSize: PAGE, afterId }),
			async (page) => {
				for (const row of page) await send(rowToProduct(row));
			},
		),
	);
}

async function subiektPrices() {
	await subiekt((sql) =>
		keysetPages(
			PAGE,
			'tw_Id',
			(afterId) => sql.query('products', { pageSize: PAGE, afterId }),
			async (products) => {
				const afterId = Number(products[0].tw_Id) - 1;
				const upToId = Number(products[products.length - 1].tw_Id);
				for (const row of await sql.query('priceLevels', { afterId, upToId })) {
					const price = rowToLevelPrice(row, SQL_OPTS);
					if (price !== undefined) await send(price);
				}
			},
		),
	);
}

async function csvStock() {
	const mapping = resolveMapping('stock', cfg.csv.mapping);
	const expectedColumns = requiredSources('stock', mapping, {}).map((r) => r.source);
	for await (const r of readCsvRecords(createReadStream(cfg.csv.file), {
		encoding: 'auto',
		delimiter: 'auto',
		header: true,
		fileName: cfg.csv.file,
		expectedColumns,
	}))
		await send(
			recordFromRow('stock', r.record, mapping, { decimalComma: cfg.csv.decimalComma === true, defaults: {} }),
		);
}

const started = performance.now();
await {
	'sap-products': sapProducts,
	'sap-prices': sapPrices,
	'subiekt-products': subiektProducts,
	'subiekt-prices': subiektPrices,
	'csv-stock': csvStock,
}[cfg.kind]();
await flush();
await inFlight;
process.stdout.write(`${JSON.stringify({ rows, ms: Math.round(performance.now() - started) })}\n`);
