/**
 * Business Central change webhooks (API v2.0 `subscriptions`), as erp-facts-wave2 §1 "Webhooks" describes them
 * (MicrosoftDocs dev-itpro/api-reference/v2.0/dynamics-subscriptions.md and api/dynamics_subscriptions_*.md):
 *
 * - `POST /api/v2.0/subscriptions` {notificationUrl, resource, clientState}: BC first calls notificationUrl with
 *   `?validationToken=…` and creates the subscription only when the answer is 200 with the token as the body within
 *   5 s; otherwise 400 and nothing is created. The handshake's HTTP method is not documented (POST in every report we
 *   found, unverified): `settings.handshakeMethod` switches it to GET.
 * - resource `[/]api/v2.0/companies({id})/{entity}` (relative or absolute): items, customers, salesOrders and
 *   salesInvoices are accepted; locations, salesShipments and everything else are refused (BC's supported list).
 *   At most 200 subscriptions; each lives 3 days (`expirationDateTime`) unless renewed.
 * - `GET subscriptions`, `GET/PATCH/DELETE subscriptions('{id}')`; PATCH and DELETE need If-Match (weak etag); a
 *   PATCH renews for 3 days and repeats the handshake (a failed handshake leaves the subscription as it was).
 * - Notifications: a change starts a 30 s wait per subscription (`debounceMs`); then one POST per notificationUrl
 *   with `{"value":[{subscriptionId, clientState, expirationDateTime, resource, changeType, lastModifiedDateTime}]}`
 *   and no record data; one entry per changed record, or one `collection` entry whose resource carries a
 *   `$filter=lastModifiedDateTime gt …` when more than 1,000 records changed in the wait.
 * - Delivery answered 408, 429, 5xx or not answered: retried (1, 5, 15, 60 min, then hourly) for 36 h from the first
 *   failure, then the subscription is deleted; any other non-2xx answer deletes the subscription at once.
 *
 * Time is the simulator's clock: a tick every 200 ms delivers what is due by `clock.now()`, so a test advances the
 * clock by 30 s (or calls `flushNotifications()`, which sends everything pending now) instead of waiting.
 * Everything lives in `state.ext.subscriptions` (JSON): records, pending changes, retry state, delivery log.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BcContext, BcRoute } from './core';
import type { ChangeEvent } from './state';

export const WEBHOOK_ENTITIES = ['items', 'customers', 'salesOrders', 'salesInvoices'] as const;
export type WebhookEntity = (typeof WEBHOOK_ENTITIES)[number];

export interface SubscriptionSettings {
	/** method of the validationToken call (unverified: POST) */
	handshakeMethod: 'POST' | 'GET';
	handshakeTimeoutMs: number;
	/** wait after a subscription's first change before its notification is sent (BC online: 30 s) */
	debounceMs: number;
	/** more changed records than this in one wait → one `collection` entry (BC online: 1,000) */
	maxNotifications: number;
	maxSubscriptions: number;
	/** lifetime of a subscription without renewal (3 days) */
	lifetimeMs: number;
	/** how long failed deliveries are retried before the subscription is deleted (36 h) */
	retryWindowMs: number;
	/** waits between retries; the last one repeats */
	retryDelaysMs: number[];
	deliveryTimeoutMs: number;
}

export const DEFAULT_SUBSCRIPTION_SETTINGS: SubscriptionSettings = {
	handshakeMethod: 'POST',
	handshakeTimeoutMs: 5_000,
	debounceMs: 30_000,
	maxNotifications: 1_000,
	maxSubscriptions: 200,
	lifetimeMs: 3 * 24 * 3600_000,
	retryWindowMs: 36 * 3600_000,
	retryDelaysMs: [60_000, 5 * 60_000, 15 * 60_000, 3600_000],
	deliveryTimeoutMs: 10_000,
};

export interface SubscriptionRecord {
	subscriptionId: string;
	notificationUrl: string;
	resource: string;
	timestamp: number;
	userId: string;
	lastModifiedDateTime: string;
	clientState: string;
	expirationDateTime: string;
	systemCreatedAt: string;
	systemModifiedAt: string;
	/** parsed from resource */
	companyId: string;
	entity: WebhookEntity;
	/** behind the weak ETag (core.ts makeEtag): a new one on every PATCH */
	rowVersion: number;
}

export interface PendingChange {
	id: string;
	changeType: 'created' | 'updated' | 'deleted';
	at: number;
}

export interface Delivery {
	at: string;
	notificationUrl: string;
	status: number | null;
	entries: number;
	subscriptionIds: string[];
	outcome: 'delivered' | 'retry' | 'deleted';
	error?: string;
}

export interface SubscriptionsState {
	settings: SubscriptionSettings;
	records: SubscriptionRecord[];
	/** subscriptionId → changes waiting for the debounce */
	pending: Record<string, { since: number; changes: PendingChange[] }>;
	/** subscriptionId → retry state after a failed delivery */
	failing: Record<string, { since: number; attempts: number; nextAt: number }>;
	/** every delivery attempt and handshake, newest last */
	deliveries: Delivery[];
	handshakes: { at: string; notificationUrl: string; method: string; status: number | null; ok: boolean }[];
}

const USER_ID = '5c2b8a3e-0d4f-4f64-9c3a-1b7d2e6f9a10';

function stateOf(ctx: BcContext): SubscriptionsState {
	const s = (ctx.state.ext.subscriptions ??= {}) as Partial<SubscriptionsState>;
	s.settings = { ...DEFAULT_SUBSCRIPTION_SETTINGS, ...(s.settings ?? {}) };
	s.records ??= [];
	s.pending ??= {};
	s.failing ??= {};
	s.deliveries ??= [];
	s.handshakes ??= [];
	return s as SubscriptionsState;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const isoMs = (ms: number) => new Date(ms).toISOString();

/** `/api/v2.0/companies(<guid>)/items`, `companies(<guid>)/items`, or the absolute URL → company id + entity */
export function parseResource(resource: string): { companyId: string; entity: string } | undefined {
	let path = resource.trim();
	if (/^https?:\/\//i.test(path)) {
		try {
			path = new URL(path).pathname;
		} catch {
			return undefined;
		}
	}
	const m = /(?:^|\/)companies\(([0-9a-fA-F-]{36})\)\/([A-Za-z]+)\/?$/.exec(path);
	if (!m) return undefined;
	if (!/^\/?(?:.*\/)?(?:api\/v2\.0\/)?companies\(/.test(path)) return undefined;
	return { companyId: m[1].toLowerCase(), entity: m[2] };
}

function view(ctx: BcContext, r: SubscriptionRecord) {
	return {
		'@odata.etag': ctx.etag({ id: r.subscriptionId, rowVersion: r.rowVersion }),
		subscriptionId: r.subscriptionId,
		notificationUrl: r.notificationUrl,
		resource: r.resource,
		timestamp: r.timestamp,
		userId: r.userId,
		lastModifiedDateTime: r.lastModifiedDateTime,
		clientState: r.clientState,
		expirationDateTime: r.expirationDateTime,
		systemCreatedAt: r.systemCreatedAt,
		systemCreatedBy: USER_ID,
		systemModifiedAt: r.systemModifiedAt,
		systemModifiedBy: USER_ID,
	};
}

export class Subscriptions {
	private timer: ReturnType<typeof setInterval> | undefined;
	private sending = false;

	constructor(private readonly ctx: BcContext) {
		stateOf(ctx);
		ctx.onChange((e: ChangeEvent) => this.changed(e.entity, e.id, e.changeType, e.companyId));
		this.timer = setInterval(() => void this.tick(), 200);
		this.timer.unref();
	}

	get state(): SubscriptionsState {
		return stateOf(this.ctx);
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
	}

	/** drops subscriptions whose expirationDateTime has passed */
	prune(): void {
		const s = this.state;
		const now = this.ctx.clock.now();
		for (const r of [...s.records]) if (Date.parse(r.expirationDateTime) <= now) this.remove(r.subscriptionId);
	}

	private remove(id: string): void {
		const s = this.state;
		s.records = s.records.filter((r) => r.subscriptionId !== id);
		delete s.pending[id];
		delete s.failing[id];
	}

	find(id: string): SubscriptionRecord | undefined {
		this.prune();
		return this.state.records.find((r) => r.subscriptionId === id);
	}

	/** a record changed (core.ts's ctx.changed): every live subscription on that entity waits 30 s, then notifies */
	changed(entity: string, id: string, changeType: PendingChange['changeType'], companyId?: string): void {
		this.prune();
		const s = this.state;
		const now = this.ctx.clock.now();
		for (const r of s.records) {
			if (r.entity !== entity) continue;
			if (companyId && r.companyId !== companyId.toLowerCase()) continue;
			const p = (s.pending[r.subscriptionId] ??= { since: now, changes: [] });
			const before = p.changes.find((c) => c.id === id);
			if (before) {
				// one notification per record per wait; a record created and then changed is still "created",
				// a deletion wins
				before.changeType =
					changeType === 'deleted' ? 'deleted' : before.changeType === 'created' ? 'created' : changeType;
				before.at = now;
			} else p.changes.push({ id, changeType, at: now });
		}
	}

	/** the validationToken call: true when answered 200 with exactly the token as body within the timeout */
	async handshake(notificationUrl: string): Promise<{ ok: boolean; reason: string }> {
		const s = this.state;
		const token = randomBytes(24).toString('base64url');
		const url = new URL(notificationUrl);
		url.searchParams.set('validationToken', token);
		const method = s.settings.handshakeMethod;
		let status: number | null = null;
		let reason = '';
		try {
			const res = await fetch(url, {
				method,
				signal: AbortSignal.timeout(s.settings.handshakeTimeoutMs),
				...(method === 'POST' ? { headers: { 'Content-Length': '0' } } : {}),
			});
			status = res.status;
			const text = await res.text();
			if (res.status !== 200) reason = `answered ${res.status}`;
			else if (text !== token) reason = 'answered 200 without the validationToken as its body';
		} catch (error) {
			reason =
				(error as Error).name === 'TimeoutError'
					? `did not answer within ${s.settings.handshakeTimeoutMs / 1000} s`
					: `could not be reached (${(error as Error).message})`;
		}
		s.handshakes.push({ at: isoMs(this.ctx.clock.now()), notificationUrl, method, status, ok: !reason });
		return { ok: !reason, reason };
	}

	/** sends every pending notification now, without waiting for the 30 s or a retry time (tests) */
	async flushNotifications(): Promise<Delivery[]> {
		return await this.tick(true);
	}

	/** delivers what is due: subscriptions whose wait is over and whose retry time has come */
	async tick(force = false): Promise<Delivery[]> {
		if (this.sending) return [];
		this.sending = true;
		try {
			this.prune();
			const s = this.state;
			const now = this.ctx.clock.now();
			const due = s.records.filter((r) => {
				const p = s.pending[r.subscriptionId];
				if (!p || p.changes.length === 0) return false;
				if (force) return true;
				const f = s.failing[r.subscriptionId];
				if (f) return now >= f.nextAt;
				return now >= p.since + s.settings.debounceMs;
			});
			const byUrl = new Map<string, SubscriptionRecord[]>();
			for (const r of due) byUrl.set(r.notificationUrl, [...(byUrl.get(r.notificationUrl) ?? []), r]);
			const out: Delivery[] = [];
			for (const [url, subs] of byUrl) out.push(await this.deliver(url, subs));
			return out;
		} finally {
			this.sending = false;
		}
	}

	private entries(r: SubscriptionRecord, p: { since: number; changes: PendingChange[] }) {
		const s = this.state;
		const base = `api/v2.0/companies(${r.companyId})/${r.entity}`;
		if (p.changes.length > s.settings.maxNotifications) {
			const last = Math.max(...p.changes.map((c) => c.at));
			return [
				{
					subscriptionId: r.subscriptionId,
					clientState: r.clientState,
					expirationDateTime: r.expirationDateTime,
					resource: `/${base}?$filter=lastModifiedDateTime%20gt%20${iso(p.since - 1000)}`,
					changeType: 'collection',
					lastModifiedDateTime: isoMs(last),
				},
			];
		}
		return p.changes.map((c) => ({
			subscriptionId: r.subscriptionId,
			clientState: r.clientState,
			expirationDateTime: r.expirationDateTime,
			resource: `${base}(${c.id})`,
			changeType: c.changeType,
			lastModifiedDateTime: isoMs(c.at),
		}));
	}

	private async deliver(url: string, subs: SubscriptionRecord[]): Promise<Delivery> {
		const s = this.state;
		const now = this.ctx.clock.now();
		const value = subs.flatMap((r) => this.entries(r, s.pending[r.subscriptionId]));
		const ids = subs.map((r) => r.subscriptionId);
		let status: number | null = null;
		let error: string | undefined;
		try {
			const res = await fetch(url, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ value }),
				signal: AbortSignal.timeout(s.settings.deliveryTimeoutMs),
			});
			status = res.status;
			await res.arrayBuffer();
		} catch (e) {
			error = (e as Error).message;
		}
		let outcome: Delivery['outcome'];
		if (status !== null && status >= 200 && status < 300) {
			outcome = 'delivered';
			for (const id of ids) {
				delete s.pending[id];
				delete s.failing[id];
			}
		} else if (status === null || status === 408 || status === 429 || status >= 500) {
			outcome = 'retry';
			for (const id of ids) {
				const f = s.failing[id] ?? { since: now, attempts: 0, nextAt: now };
				f.attempts += 1;
				const delays = s.settings.retryDelaysMs;
				f.nextAt = now + delays[Math.min(f.attempts - 1, delays.length - 1)];
				s.failing[id] = f;
				if (now - f.since >= s.settings.retryWindowMs) {
					this.remove(id);
					outcome = 'deleted';
				}
			}
		} else {
			// "If subscriber responds with any other code than listed, no retries are attempted and the
			// subscription is deleted."
			outcome = 'deleted';
			for (const id of ids) this.remove(id);
		}
		const d: Delivery = {
			at: isoMs(now),
			notificationUrl: url,
			status,
			entries: value.length,
			subscriptionIds: ids,
			outcome,
			...(error ? { error } : {}),
		};
		s.deliveries.push(d);
		return d;
	}

	// ------------------------------------------------------------------------------------------------ routes

	async create(res: ServerResponse, body: unknown): Promise<void> {
		const { ctx } = this;
		this.prune();
		const s = this.state;
		const b = (body ?? {}) as Record<string, unknown>;
		const checked = this.check(res, b, undefined);
		if (!checked) return;
		if (s.records.length >= s.settings.maxSubscriptions)
			return ctx.sendError(
				res,
				400,
				'BadRequest',
				`The maximum number of subscriptions (${s.settings.maxSubscriptions}) has been reached.`,
			);
		const hs = await this.handshake(checked.notificationUrl);
		if (!hs.ok)
			return ctx.sendError(
				res,
				400,
				'BadRequest',
				`The subscription was not created: the notification URL ${hs.reason} to the validationToken request.`,
			);
		const now = ctx.clock.now();
		const r: SubscriptionRecord = {
			subscriptionId: randomUUID().replace(/-/g, ''),
			notificationUrl: checked.notificationUrl,
			resource: checked.resource,
			timestamp: now,
			userId: USER_ID,
			lastModifiedDateTime: iso(now),
			clientState: checked.clientState,
			expirationDateTime: iso(now + s.settings.lifetimeMs),
			systemCreatedAt: isoMs(now),
			systemModifiedAt: isoMs(now),
			companyId: checked.companyId,
			entity: checked.entity,
			rowVersion: 1,
		};
		s.records.push(r);
		ctx.sendJson(res, 201, { '@odata.context': '$metadata#subscriptions/$entity', ...view(ctx, r) });
	}

	/** validates a POST body (or a PATCH merged over the record) */
	private check(
		res: ServerResponse,
		b: Record<string, unknown>,
		current: SubscriptionRecord | undefined,
	):
		| { notificationUrl: string; resource: string; clientState: string; companyId: string; entity: WebhookEntity }
		| undefined {
		const { ctx } = this;
		const notificationUrl = (b.notificationUrl ?? current?.notificationUrl) as unknown;
		const resource = (b.resource ?? current?.resource) as unknown;
		const clientState = (b.clientState ?? current?.clientState ?? '') as unknown;
		if (typeof notificationUrl !== 'string' || !/^https?:\/\/./i.test(notificationUrl)) {
			ctx.sendError(res, 400, 'BadRequest', 'The notificationUrl must be an absolute http(s) URL.');
			return undefined;
		}
		if (typeof clientState !== 'string' || clientState.length > 2048) {
			ctx.sendError(res, 400, 'BadRequest', 'The clientState must be a string of at most 2048 characters.');
			return undefined;
		}
		const parsed = typeof resource === 'string' ? parseResource(resource) : undefined;
		if (!parsed) {
			ctx.sendError(
				res,
				400,
				'BadRequest',
				`The resource '${String(resource)}' is not a valid resource URL (expected /api/v2.0/companies({id})/{entity}).`,
			);
			return undefined;
		}
		if (!ctx.company(parsed.companyId)) {
			ctx.sendError(res, 404, 'Internal_CompanyNotFound', `Cannot find the company with id '${parsed.companyId}'.`);
			return undefined;
		}
		if (!(WEBHOOK_ENTITIES as readonly string[]).includes(parsed.entity)) {
			ctx.sendError(
				res,
				400,
				'BadRequest_ResourceNotFound',
				`The resource '${parsed.entity}' does not support webhook subscriptions.`,
			);
			return undefined;
		}
		return {
			notificationUrl,
			resource: resource as string,
			clientState,
			companyId: parsed.companyId,
			entity: parsed.entity as WebhookEntity,
		};
	}

	list(res: ServerResponse): void {
		this.prune();
		this.ctx.sendJson(res, 200, {
			'@odata.context': '$metadata#subscriptions',
			value: this.state.records.map((r) => view(this.ctx, r)),
		});
	}

	get(res: ServerResponse, id: string): void {
		const r = this.find(id);
		if (!r) return this.notFound(res, id);
		this.ctx.sendJson(res, 200, { '@odata.context': '$metadata#subscriptions/$entity', ...view(this.ctx, r) });
	}

	async patch(req: IncomingMessage, res: ServerResponse, id: string, body: unknown): Promise<void> {
		const { ctx } = this;
		const r = this.find(id);
		if (!r) return this.notFound(res, id);
		if (!ctx.requireIfMatch(req, res, { id: r.subscriptionId, rowVersion: r.rowVersion })) return;
		const checked = this.check(res, (body ?? {}) as Record<string, unknown>, r);
		if (!checked) return;
		// a renewal is a handshake like a creation: no answer, no renewal (the subscription stays as it was)
		const hs = await this.handshake(checked.notificationUrl);
		if (!hs.ok)
			return ctx.sendError(
				res,
				400,
				'BadRequest',
				`The subscription was not updated: the notification URL ${hs.reason} to the validationToken request.`,
			);
		const now = ctx.clock.now();
		Object.assign(r, {
			notificationUrl: checked.notificationUrl,
			resource: checked.resource,
			clientState: checked.clientState,
			companyId: checked.companyId,
			entity: checked.entity,
			lastModifiedDateTime: iso(now),
			systemModifiedAt: isoMs(now),
			expirationDateTime: iso(now + this.state.settings.lifetimeMs),
			timestamp: now,
			rowVersion: r.rowVersion + 1,
		});
		ctx.sendJson(res, 200, { '@odata.context': '$metadata#subscriptions/$entity', ...view(ctx, r) });
	}

	delete(req: IncomingMessage, res: ServerResponse, id: string): void {
		const r = this.find(id);
		if (!r) return this.notFound(res, id);
		if (!this.ctx.requireIfMatch(req, res, { id: r.subscriptionId, rowVersion: r.rowVersion })) return;
		this.remove(id);
		this.ctx.sendNoContent(res);
	}

	private notFound(res: ServerResponse, id: string): void {
		this.ctx.sendError(
			res,
			404,
			'BadRequest_NotFound',
			`The subscription '${id}' does not exist (it may have expired or been deleted).`,
		);
	}
}

const modules = new WeakMap<object, Subscriptions>();

/** the module installed on a simulator's state (tests reach it through `subscriptionsOf(sim.state)`) */
export function subscriptionsOf(state: object): Subscriptions {
	const m = modules.get(state);
	if (!m) throw new Error('the Business Central simulator has no subscriptions module installed');
	return m;
}

/** `subscriptions('<id>')` (quotes plain or %27), also without quotes */
const ID = String.raw`\(([^)]+)\)`;
const idOf = (m: RegExpExecArray) =>
	decodeURIComponent(m[1])
		.trim()
		.replace(/^'(.*)'$/, '$1');

export const subscriptionRoutes: BcRoute[] = [
	{
		method: 'GET',
		pattern: /^\/subscriptions\/?$/,
		scope: 'root',
		handle: (ctx, _req, res) => subscriptionsOf(ctx.state).list(res),
	},
	{
		method: 'POST',
		pattern: /^\/subscriptions\/?$/,
		scope: 'root',
		handle: (ctx, _req, res, _m, body) => subscriptionsOf(ctx.state).create(res, body),
	},
	{
		method: 'GET',
		pattern: new RegExp(`^/subscriptions${ID}$`),
		scope: 'root',
		handle: (ctx, _req, res, m) => subscriptionsOf(ctx.state).get(res, idOf(m)),
	},
	{
		method: 'PATCH',
		pattern: new RegExp(`^/subscriptions${ID}$`),
		scope: 'root',
		handle: (ctx, req, res, m, body) => subscriptionsOf(ctx.state).patch(req, res, idOf(m), body),
	},
	{
		method: 'DELETE',
		pattern: new RegExp(`^/subscriptions${ID}$`),
		scope: 'root',
		handle: (ctx, req, res, m) => subscriptionsOf(ctx.state).delete(req, res, idOf(m)),
	},
];

export function installSubscriptions(ctx: BcContext): Subscriptions {
	const m = new Subscriptions(ctx);
	modules.set(ctx.state as object, m);
	return m;
}
