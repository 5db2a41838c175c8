/**
 * What a Business Central change notification says, and whether it is ours. BC posts
 * `{"value":[{subscriptionId, clientState, expirationDateTime, resource, changeType, lastModifiedDateTime}]}` with no
 * record data (research erp-facts-wave2 §1 "Webhooks", MicrosoftDocs dynamics-subscriptions.md): `resource` points
 * at the changed record (`api/v2.0/companies({c})/items({id})`), or — for `changeType: "collection"`, sent when more
 * than 1,000 records changed in BC's 30 s wait — at the whole set with a `$filter=lastModifiedDateTime gt …` (the
 * documentation's sample spells it `lastDateTimeModified`: both are read).
 *
 * The only proof that a call comes from BC is the clientState we gave the subscription: every entry must carry it
 * (compared in constant time) and our subscription id, else the whole call is refused and nothing starts.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

/** The trigger's Resource values (the pack's canonical names) and BC's API v2.0 entity set of each. */
export const TRIGGER_RESOURCES = {
	product: { entity: 'items', label: 'Product (Item)' },
	client: { entity: 'customers', label: 'Client (Customer)' },
	order: { entity: 'salesOrders', label: 'Order (Sales Order)' },
	invoice: { entity: 'salesInvoices', label: 'Invoice (Sales Invoice)' },
} as const;
export type TriggerResource = keyof typeof TRIGGER_RESOURCES;

export function resourceOfEntity(entity: string): TriggerResource | undefined {
	return (Object.keys(TRIGGER_RESOURCES) as TriggerResource[]).find(
		(r) => TRIGGER_RESOURCES[r].entity.toLowerCase() === entity.toLowerCase(),
	);
}

export interface ChangeItem extends IDataObject {
	/** product / client / order / invoice */
	resource: string;
	/** created / updated / deleted / collection */
	changeType: string;
	/** the record's id (GUID) — null for a collection */
	id: string | null;
	lastModifiedDateTime: string | null;
	/** true: many records changed; read the set changed since `changedSince` instead of one record */
	collection: boolean;
	changedSince: string | null;
	companyId: string | null;
	/** BC's API v2.0 entity set (items, customers, salesOrders, salesInvoices) */
	entity: string | null;
	subscriptionId: string;
}

export type Verdict = { ok: true; items: ChangeItem[]; expirationDateTime?: string } | { ok: false; reason: string };

function sameSecret(a: string, b: string): boolean {
	const x = Buffer.from(a, 'utf8');
	const y = Buffer.from(b, 'utf8');
	return x.length === y.length && timingSafeEqual(x, y);
}

/** `api/v2.0/companies(c)/items(id)` or `/api/v2.0/companies(c)/items?$filter=…` → its parts */
export function parseNotificationResource(resource: string): {
	companyId: string | null;
	entity: string | null;
	id: string | null;
	changedSince: string | null;
} {
	let path = resource.trim();
	let query = '';
	const q = path.indexOf('?');
	if (q >= 0) {
		query = path.slice(q + 1);
		path = path.slice(0, q);
	}
	const company = /companies\(([^)]+)\)/i.exec(path);
	const tail = /companies\([^)]+\)\/([A-Za-z]+)(?:\(([^)]+)\))?\/?$/i.exec(path);
	let changedSince: string | null = null;
	if (query) {
		let decoded = query;
		try {
			decoded = decodeURIComponent(query.replace(/\+/g, ' '));
		} catch {
			// a malformed escape: read the raw text
		}
		const m = /(?:lastModifiedDateTime|lastDateTimeModified)\s+gt\s+([0-9T:.+\-Z]+)/i.exec(decoded);
		changedSince = m ? m[1] : null;
	}
	const unquote = (v: string | undefined) => (v ? v.replace(/^'(.*)'$/, '$1') : null);
	return {
		companyId: company ? unquote(company[1]) : null,
		entity: tail ? tail[1] : null,
		id: tail ? unquote(tail[2]) : null,
		changedSince,
	};
}

/**
 * Checks a notification body against the subscription we created (id and clientState from the static data) and
 * turns its entries into items. Anything that is not a list of entries of our subscription carrying our clientState
 * is refused as a whole.
 */
export function readNotification(body: unknown, expected: { subscriptionId?: string; clientState?: string }): Verdict {
	if (!expected.clientState || !expected.subscriptionId)
		return { ok: false, reason: 'the trigger has no active subscription (activate the workflow)' };
	const value = (body as { value?: unknown } | null | undefined)?.value;
	if (!Array.isArray(value)) return { ok: false, reason: 'the body has no "value" list of notifications' };
	const items: ChangeItem[] = [];
	let expirationDateTime: string | undefined;
	for (const [i, raw] of value.entries()) {
		const e = (raw ?? {}) as IDataObject;
		if (typeof e.clientState !== 'string' || !sameSecret(e.clientState, expected.clientState))
			return { ok: false, reason: `notification ${i + 1} does not carry this trigger's clientState` };
		if (e.subscriptionId !== expected.subscriptionId)
			return {
				ok: false,
				reason: `notification ${i + 1} is for subscription "${String(e.subscriptionId)}", not this trigger's`,
			};
		const resource = typeof e.resource === 'string' ? e.resource : '';
		const parts = parseNotificationResource(resource);
		const changeType = String(e.changeType ?? '');
		if (typeof e.expirationDateTime === 'string') expirationDateTime = e.expirationDateTime;
		items.push({
			resource: (parts.entity && resourceOfEntity(parts.entity)) || parts.entity || '',
			changeType,
			id: changeType === 'collection' ? null : parts.id,
			lastModifiedDateTime: typeof e.lastModifiedDateTime === 'string' ? e.lastModifiedDateTime : null,
			collection: changeType === 'collection',
			changedSince: parts.changedSince,
			companyId: parts.companyId,
			entity: parts.entity,
			subscriptionId: String(e.subscriptionId),
		});
	}
	return { ok: true, items, expirationDateTime };
}
