/**
 * The contract's operations, by operationId. They receive requests that already passed the contract's
 * checks (auth, path and query parameters, media type, UTF-8, JSON, schema) and apply them to the state.
 * Batches: every check runs on every record before the first write, so a batch is written whole or not
 * at all. Write paths are synchronous, so concurrent requests never see half a batch.
 */
import type {
	Client,
	ClientPatch,
	Invoice,
	Order,
	OrderStatus,
	Price,
	PriceKey,
	Product,
	ProductImage,
	ProductPatch,
	StockLevel,
	SyncStatus,
} from '../../../nodes/shared/model/types';
import { HttpError, type ErrorDetail } from './errors';
import { deepEqual, keys, type PortalState, type StoredSyncState } from './state';

export interface OpContext {
	state: PortalState;
	/** path parameters, percent-decoded */
	params: Record<string, string>;
	/** query parameters, coerced to their schema types, with defaults */
	query: Record<string, unknown>;
	/** parsed and validated JSON, or the raw bytes for non-JSON bodies */
	body: unknown;
	/** request headers (lower-case names) */
	headers?: Record<string, string | string[] | undefined>;
}

export interface Reply {
	status: number;
	json?: unknown;
	raw?: Buffer;
	contentType?: string;
	headers?: Record<string, string>;
}

type Handler = (ctx: OpContext) => Reply;

/** keys one PATCH /v1/sync-state/{key} may set or remove (the contract's limit) */
export const SYNC_STATE_PATCH_LIMIT = 50_000;

interface SyncStatePatch {
	baseVersion: number;
	reset?: boolean;
	cursors?: Record<string, string | null>;
	deltas?: Record<string, { set?: Record<string, string>; remove?: string[] }>;
}

/** how each operation's body names its records, for error details */
export const BODY_KEYS: Record<string, { batch: boolean; keyField?: string }> = {
	upsertProducts: { batch: true, keyField: 'code' },
	updateProducts: { batch: true, keyField: 'code' },
	updateClients: { batch: true, keyField: 'code' },
	deletePrices: { batch: true, keyField: 'productCode' },
	upsertProductImages: { batch: true, keyField: 'productCode' },
	upsertPrices: { batch: true, keyField: 'productCode' },
	upsertStock: { batch: true, keyField: 'productCode' },
	upsertClients: { batch: true, keyField: 'code' },
	updateOrderStatuses: { batch: true, keyField: 'orderNumber' },
	acknowledgeOrder: { batch: false },
	putInvoice: { batch: false, keyField: 'number' },
	recordSyncStatus: { batch: false, keyField: 'flow' },
	reserveStock: { batch: false, keyField: 'orderNumber' },
	claimOrder: { batch: false },
};

type Action = 'created' | 'updated' | 'unchanged';

interface BatchResult {
	received: number;
	created: number;
	updated: number;
	unchanged: number;
	results: Array<{ index: number; key: string; action: Action }>;
}

function batchResult(actions: Array<{ key: string; action: Action }>): Reply {
	const count = (a: Action) => actions.filter((r) => r.action === a).length;
	const body: BatchResult = {
		received: actions.length,
		created: count('created'),
		updated: count('updated'),
		unchanged: count('unchanged'),
		results: actions.map((r, index) => ({ index, ...r })),
	};
	return { status: 200, json: body };
}

/**
 * A partial update (PATCH /v1/products/batch, /v1/clients/batch): each field given replaces the stored one
 * (a list or map as a whole), the others stay; a code the store does not have is notFound and is not created.
 */
function patchInto<T extends { code: string }>(
	store: Map<string, T>,
	patches: Array<Partial<T> & { code: string }>,
	keyOf: (r: { code: string }) => string,
): Reply {
	return perRecordResult(
		['updated', 'unchanged', 'notFound'],
		patches.map((patch) => {
			const previous = store.get(keyOf(patch));
			if (previous === undefined) return { key: patch.code, action: 'notFound' as const };
			const next = { ...previous, ...structuredClone(patch) };
			if (deepEqual(previous, next)) return { key: patch.code, action: 'unchanged' as const };
			store.set(keyOf(patch), next);
			return { key: patch.code, action: 'updated' as const };
		}),
	);
}

type PerRecord = 'updated' | 'unchanged' | 'deleted' | 'notFound';

/** a PatchResult or DeleteResult: the counts of the actions the operation can answer, then one result per record */
function perRecordResult(counted: readonly PerRecord[], actions: Array<{ key: string; action: PerRecord }>): Reply {
	const body: Record<string, unknown> = { received: actions.length };
	for (const a of counted) body[a] = actions.filter((r) => r.action === a).length;
	body.results = actions.map((r, index) => ({ index, ...r }));
	return { status: 200, json: body };
}

function reject(details: ErrorDetail[], what = 'records'): never {
	const n = new Set(details.map((d) => d.index)).size;
	throw new HttpError(422, 'validation_failed', `${n} of the ${what} are invalid; nothing was written`, details);
}

function upsertInto<T>(map: Map<string, T>, items: T[], keyOf: (t: T) => string, labelOf: (t: T) => string): Reply {
	return batchResult(
		items.map((item) => {
			const k = keyOf(item);
			const previous = map.get(k);
			if (previous !== undefined && deepEqual(previous, item))
				return { key: labelOf(item), action: 'unchanged' as const };
			map.set(k, structuredClone(item));
			return { key: labelOf(item), action: previous === undefined ? ('created' as const) : ('updated' as const) };
		}),
	);
}

const items = <T>(ctx: OpContext): T[] => (ctx.body as { items: T[] }).items;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const orderReply = (order: Order): Reply => ({ status: 200, json: order });

function encodeCursor(sequence: number): string {
	return Buffer.from(`seq:${sequence}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number {
	const m = /^[A-Za-z0-9_-]+$/.test(cursor)
		? /^seq:(0|[1-9]\d{0,14})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
		: null;
	if (!m || encodeCursor(Number(m[1])) !== cursor)
		throw new HttpError(400, 'invalid_cursor', 'cursor is not one this portal handed out', [
			{ field: 'cursor', message: 'is not a cursor returned by GET /v1/orders' },
		]);
	return Number(m[1]);
}

function latestStatus(history: OrderStatus[]): OrderStatus | undefined {
	// the most recent change by changedAt wins (a late, older status must not move the order back);
	// on a tie the one received last wins
	let best: OrderStatus | undefined;
	for (const entry of history) if (!best || Date.parse(entry.changedAt) >= Date.parse(best.changedAt)) best = entry;
	return best;
}

function invoiceStored(number: string, pdf?: Buffer): Reply {
	return { status: 200, json: pdf ? { number, hasPdf: true, pdfBytes: pdf.length } : { number, hasPdf: false } };
}

/**
 * an order's hold follows its status: rejected/cancelled release it, any later status means the ERP has it;
 * its claim ends as soon as it is no longer placed
 */
function settleReservation(ctx: OpContext, orderNumber: string, status: string | undefined): void {
	if (status !== undefined && status !== 'placed') ctx.state.claims.close(orderNumber);
	if (status === 'rejected' || status === 'cancelled') ctx.state.reservations.release(orderNumber, status);
	else if (status !== undefined && status !== 'placed') ctx.state.reservations.confirm(orderNumber);
}

interface ReservationRequest {
	orderNumber: string;
	holdSeconds?: number;
	lines: Array<{ productCode: string; warehouseCode?: string; quantity: string }>;
}

export const handlers: Record<string, Handler> = {
	upsertProducts: (ctx) => upsertInto(ctx.state.products, items<Product>(ctx), keys.product, (p) => p.code),
	// PATCH: the fields given replace the stored ones; an unknown code is not created (notFound), the rest are written
	updateProducts: (ctx) => patchInto(ctx.state.products, items<ProductPatch>(ctx), keys.product),
	updateClients: (ctx) => patchInto(ctx.state.clients, items<ClientPatch>(ctx), keys.client),
	// by the upsert's key (minQuantity "1" = "1.000", absent validFrom = open start); an absent price is notFound
	deletePrices: (ctx) =>
		perRecordResult(
			['deleted', 'notFound'],
			items<PriceKey>(ctx).map((key) => ({
				key: key.productCode,
				action: ctx.state.prices.delete(keys.price(key)) ? ('deleted' as const) : ('notFound' as const),
			})),
		),
	upsertClients: (ctx) => upsertInto(ctx.state.clients, items<Client>(ctx), keys.client, (c) => c.code),
	upsertPrices: (ctx) => upsertInto(ctx.state.prices, items<Price>(ctx), keys.price, (p) => p.productCode),
	upsertStock: (ctx) => {
		// a push replaces the base available; holds stay, except confirmed ones the new ERP figure already shows
		const list = items<StockLevel>(ctx);
		const reply = upsertInto(ctx.state.stock, list, keys.stock, (s) => s.productCode);
		ctx.state.reservations.afterStockPush(list, ctx.state.clock.now());
		return reply;
	},

	upsertProductImages: (ctx) => {
		const list = items<ProductImage>(ctx);
		// contentEncoding is only an annotation in JSON Schema; a portal that decodes the image refuses bad base64
		const details: ErrorDetail[] = [];
		list.forEach((img, index) => {
			if (img.dataBase64 === undefined) return;
			if (img.dataBase64 === '')
				details.push({ index, key: img.productCode, field: 'dataBase64', message: 'is empty: no image bytes' });
			else if (!BASE64.test(img.dataBase64))
				details.push({
					index,
					key: img.productCode,
					field: 'dataBase64',
					message: 'is not valid base64 (A–Z a–z 0–9 + / with = padding, no line breaks)',
				});
		});
		if (details.length) reject(details, 'images');
		return upsertInto(ctx.state.images, list, keys.image, (i) => i.productCode);
	},

	updateOrderStatuses: (ctx) => {
		const list = items<OrderStatus>(ctx);
		const details: ErrorDetail[] = [];
		list.forEach((s, index) => {
			if (!ctx.state.orders.has(s.orderNumber))
				details.push({
					index,
					key: s.orderNumber,
					field: 'orderNumber',
					message: `no order ${s.orderNumber} in the portal`,
				});
		});
		if (details.length) reject(details, 'status changes');
		return batchResult(
			list.map((s) => {
				const history = ctx.state.orderStatusHistory.get(s.orderNumber) ?? [];
				if (history.some((h) => deepEqual(h, s))) return { key: s.orderNumber, action: 'unchanged' as const };
				history.push(structuredClone(s));
				ctx.state.orderStatusHistory.set(s.orderNumber, history);
				const order = ctx.state.orders.get(s.orderNumber)!;
				order.status = latestStatus(history)!.status;
				if (s.erpDocumentNumber && order.erpDocumentNumber === undefined) order.erpDocumentNumber = s.erpDocumentNumber;
				settleReservation(ctx, s.orderNumber, order.status);
				return { key: s.orderNumber, action: 'updated' as const };
			}),
		);
	},

	listOrders: (ctx) => {
		const cursor = ctx.query.cursor as string | undefined;
		const after = cursor === undefined ? 0 : decodeCursor(cursor);
		const limit = ctx.query.limit as number;
		const status = ctx.query.status as string | undefined;
		const matching = ctx.state
			.ordersInSequence()
			.filter((o) => o.sequence > after && (status === undefined || o.order.status === status));
		const page = matching.slice(0, limit);
		const last = page[page.length - 1];
		return {
			status: 200,
			json: {
				items: page.map((o) => o.order),
				nextCursor: last ? encodeCursor(last.sequence) : (cursor ?? encodeCursor(0)),
				hasMore: matching.length > page.length,
			},
		};
	},

	getOrder: (ctx) => {
		const order = ctx.state.orders.get(ctx.params.number);
		if (!order) throw new HttpError(404, 'not_found', `no order ${ctx.params.number}`);
		return orderReply(order);
	},

	acknowledgeOrder: (ctx) => {
		const number = ctx.params.number;
		const order = ctx.state.orders.get(number);
		if (!order) throw new HttpError(404, 'not_found', `no order ${number}`);
		const { erpDocumentNumber, erpDocumentId } = ctx.body as { erpDocumentNumber: string; erpDocumentId?: string };
		if (order.erpDocumentNumber === undefined) {
			const at = new Date().toISOString();
			order.erpDocumentNumber = erpDocumentNumber;
			if (erpDocumentId) order.erpDocumentId = erpDocumentId;
			ctx.state.acknowledgements.set(number, { erpDocumentNumber, ...(erpDocumentId ? { erpDocumentId } : {}), at });
			if (order.status === 'placed') {
				order.status = 'confirmed';
				const history = ctx.state.orderStatusHistory.get(number) ?? [];
				history.push({ orderNumber: number, status: 'confirmed', erpDocumentNumber, changedAt: at });
				ctx.state.orderStatusHistory.set(number, history);
			}
			settleReservation(ctx, number, 'confirmed');
			return orderReply(order);
		}
		if (order.erpDocumentNumber === erpDocumentNumber) return orderReply(order);
		throw new HttpError(
			409,
			'conflict',
			`order ${number} is already in the ERP as ${order.erpDocumentNumber}, not ${erpDocumentNumber}`,
			[
				{
					key: number,
					field: 'erpDocumentNumber',
					message: `the order was acknowledged as ${order.erpDocumentNumber}`,
				},
			],
		);
	},

	putInvoice: (ctx) => {
		const number = ctx.params.number;
		const data = ctx.body as Invoice;
		if (data.number !== number)
			throw new HttpError(422, 'validation_failed', 'the invoice number in the body is not the one in the path', [
				{
					key: data.number,
					field: 'number',
					message: `is ${JSON.stringify(data.number)} but the path says ${JSON.stringify(number)}`,
				},
			]);
		const previous = ctx.state.invoices.get(number);
		ctx.state.invoices.set(number, { data: structuredClone(data), ...(previous?.pdf ? { pdf: previous.pdf } : {}) });
		return invoiceStored(number, previous?.pdf);
	},

	putInvoicePdf: (ctx) => {
		const number = ctx.params.number;
		const stored = ctx.state.invoices.get(number);
		if (!stored) throw new HttpError(404, 'not_found', `no invoice ${number}: PUT its data before the PDF`);
		const pdf = ctx.body as Buffer;
		const problems: string[] = [];
		if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') problems.push('does not start with %PDF-');
		if (!/%%EOF[\r\n\t \f\0]*$/.test(pdf.subarray(Math.max(0, pdf.length - 1024)).toString('latin1')))
			problems.push('does not end with %%EOF');
		if (problems.length)
			throw new HttpError(
				422,
				'invalid_pdf',
				`the body is not a PDF: it ${problems.join(' and ')}`,
				problems.map((message) => ({ key: number, field: '(body)', message })),
			);
		stored.pdf = Buffer.from(pdf);
		return invoiceStored(number, stored.pdf);
	},

	getInvoicePdf: (ctx) => {
		const number = ctx.params.number;
		const stored = ctx.state.invoices.get(number);
		if (!stored) throw new HttpError(404, 'not_found', `no invoice ${number}`);
		if (!stored.pdf) throw new HttpError(404, 'not_found', `invoice ${number} has no PDF`);
		return { status: 200, raw: stored.pdf, contentType: 'application/pdf' };
	},

	listSyncStatus: (ctx) => ({
		status: 200,
		json: {
			items: [...ctx.state.syncStatus.values()].sort((a, b) => (a.flow < b.flow ? -1 : a.flow > b.flow ? 1 : 0)),
		},
	}),

	getSyncState: (ctx) => {
		const key = ctx.params.key;
		const stored = ctx.state.syncState.get(key);
		if (!stored) throw new HttpError(404, 'not_found', `no sync state for ${key}`);
		const etag = `"${stored.version}"`;
		const ifNoneMatch = String(ctx.headers?.['if-none-match'] ?? '');
		// RFC 9110: a list of entity tags, weak ones compared weakly; "*" matches any current state
		const tags = ifNoneMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
		if (tags.includes(etag) || tags.includes('*')) return { status: 304, headers: { ETag: etag } };
		return {
			status: 200,
			// a copy: PATCH changes the stored state in place, and a delayed answer must still be this version
			json: structuredClone({ key, version: stored.version, cursors: stored.cursors, deltas: stored.deltas }),
			headers: { ETag: etag },
		};
	},

	patchSyncState: (ctx) => {
		const key = ctx.params.key;
		const patch = ctx.body as SyncStatePatch;
		const deltas = Object.entries(patch.deltas ?? {});
		const changes =
			Object.keys(patch.cursors ?? {}).length +
			deltas.reduce((n, [, d]) => n + Object.keys(d.set ?? {}).length + (d.remove ?? []).length, 0);
		if (changes > SYNC_STATE_PATCH_LIMIT)
			throw new HttpError(
				422,
				'validation_failed',
				`a sync state PATCH sets or removes at most ${SYNC_STATE_PATCH_LIMIT} keys; this one has ${changes}`,
				[{ key, field: 'deltas', message: `${changes} changes (limit ${SYNC_STATE_PATCH_LIMIT})` }],
			);
		const current = ctx.state.syncState.get(key);
		const previousVersion = current?.version ?? 0;
		// every check is done above and nothing below can fail, so applying in place is still all or nothing (and
		// a 20,000-key part does not copy a 300,000-key state)
		const next: StoredSyncState =
			!current || patch.reset ? { version: previousVersion, cursors: {}, deltas: {} } : current;
		const put = <V>(target: Record<string, V>, k: string, v: V) =>
			// defineProperty: a record key "__proto__" stays a key
			Object.defineProperty(target, k, { value: v, enumerable: true, writable: true, configurable: true });
		for (const [stream, position] of Object.entries(patch.cursors ?? {})) {
			if (position === null) delete next.cursors[stream];
			else put(next.cursors, stream, position);
		}
		for (const [name, diff] of deltas) {
			if (!Object.hasOwn(next.deltas, name)) put(next.deltas, name, {});
			const hashes = next.deltas[name];
			for (const k of diff.remove ?? []) delete hashes[k];
			for (const [k, v] of Object.entries(diff.set ?? {})) put(hashes, k, v);
		}
		next.version = previousVersion + 1;
		ctx.state.syncState.set(key, next);
		return {
			status: 200,
			json: { key, version: next.version, previousVersion },
			headers: { ETag: `"${next.version}"` },
		};
	},

	recordSyncStatus: (ctx) => {
		const run = structuredClone(ctx.body as SyncStatus);
		ctx.state.syncStatus.set(run.flow, run);
		return { status: 200, json: run };
	},

	reserveStock: (ctx) => {
		const { orderNumber, lines, holdSeconds } = ctx.body as ReservationRequest;
		const order = ctx.state.orders.get(orderNumber);
		if (!order)
			throw new HttpError(404, 'not_found', `no order ${orderNumber} in the portal`, [
				{ key: orderNumber, field: 'orderNumber', message: 'no such order' },
			]);
		const outcome = ctx.state.reservations.reserve(orderNumber, order.status ?? 'placed', lines, holdSeconds);
		if (outcome.kind === 'conflict')
			throw new HttpError(409, 'conflict', outcome.message, [
				{ key: orderNumber, field: 'orderNumber', message: outcome.message },
			]);
		if (outcome.kind === 'insufficient')
			throw new HttpError(
				409,
				'insufficient_stock',
				`not enough stock for order ${orderNumber}; nothing was held`,
				outcome.shortfall.map((f) => ({
					index: f.index,
					key: f.productCode,
					field: 'quantity',
					message: `${f.productCode}${f.warehouseCode !== undefined ? ` in ${f.warehouseCode}` : ''}: requested ${f.requested}, available ${f.available}`,
					...(f.warehouseCode !== undefined ? { warehouseCode: f.warehouseCode } : {}),
					requested: f.requested,
					available: f.available,
				})),
			);
		return { status: 200, json: ctx.state.reservations.view(outcome.reservation) };
	},

	getStockReservation: (ctx) => {
		const r = ctx.state.reservations.get(ctx.params.orderNumber);
		if (!r) throw new HttpError(404, 'not_found', `no reservation for order ${ctx.params.orderNumber}`);
		return { status: 200, json: ctx.state.reservations.view(r) };
	},

	claimOrder: (ctx) => {
		const number = ctx.params.number;
		const order = ctx.state.orders.get(number);
		if (!order) throw new HttpError(404, 'not_found', `no order ${number}`);
		const { owner, leaseSeconds } = ctx.body as { owner: string; leaseSeconds?: number };
		const outcome = ctx.state.claims.claim(number, order.status ?? 'placed', owner, leaseSeconds ?? 300);
		const iso = (ms: number) => new Date(ms).toISOString();
		if (outcome.kind === 'done')
			throw new HttpError(409, 'order_closed', `order ${number} is ${outcome.orderStatus}: nothing to create`, [
				{
					key: number,
					field: 'status',
					message: `the order is ${outcome.orderStatus}${order.erpDocumentNumber ? ` (ERP document ${order.erpDocumentNumber})` : ''}`,
					orderStatus: outcome.orderStatus,
					...(order.erpDocumentNumber ? { erpDocumentNumber: order.erpDocumentNumber } : {}),
				},
			]);
		if (outcome.kind === 'busy')
			throw new HttpError(
				409,
				'claim_held',
				`order ${number} is claimed by ${outcome.holder.owner} until ${iso(outcome.holder.expiresAtMs)}`,
				[
					{
						key: number,
						field: 'owner',
						message: `claimed by ${outcome.holder.owner}`,
						owner: outcome.holder.owner,
						expiresAt: iso(outcome.holder.expiresAtMs),
					},
				],
			);
		return {
			status: 200,
			json: {
				orderNumber: number,
				claimed: true,
				owner: outcome.claim.owner,
				claimedAt: iso(outcome.claim.claimedAtMs),
				expiresAt: iso(outcome.claim.expiresAtMs),
				renewed: outcome.renewed,
				attempt: outcome.claim.attempt,
				...(outcome.tookOverFrom ? { tookOverFrom: outcome.tookOverFrom } : {}),
			},
		};
	},

	releaseOrderClaim: (ctx) => {
		const number = ctx.params.number;
		const { released, holder } = ctx.state.claims.release(number, ctx.query.owner as string);
		return {
			status: 200,
			json: {
				orderNumber: number,
				released,
				...(holder ? { heldBy: holder.owner, expiresAt: new Date(holder.expiresAtMs).toISOString() } : {}),
			},
		};
	},

	releaseStockReservation: (ctx) => ({
		status: 200,
		json: { orderNumber: ctx.params.orderNumber, released: ctx.state.reservations.forget(ctx.params.orderNumber) },
	}),
};
