/**
 * The read routes of API v2.0 (items, customers, locations) and of our custom API (priceListLines,
 * customerPricing), with the field names and types of research §1 (S4). Every list goes through ctx.page(), so
 * $filter / $select / $orderby / $top / $skip and server-driven paging behave the same on all of them.
 *
 * items.inventory is computed from the per-location stock (one read-only total, research §1); it changes with
 * stock moves while lastModifiedDateTime does not.
 */
import type http from 'node:http';
import { BcError, companyOf, errors, type BcContext, type BcRoute, type Schema } from './core';
import { recordById } from './errors';
import { unknownProperty } from './query';
import {
	CUSTOMER_BLOCKED,
	type Company,
	type Customer,
	type CustomerBlocked,
	type CustomerPricing,
	type Item,
	type Location,
	type PriceListLine,
} from './state';

const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

export const ITEM_SCHEMA: Schema = {
	id: 'guid',
	number: 'string',
	displayName: 'string',
	displayName2: 'string',
	type: 'string',
	itemCategoryId: 'guid',
	itemCategoryCode: 'string',
	blocked: 'boolean',
	gtin: 'string',
	inventory: 'number',
	unitPrice: 'number',
	priceIncludesTax: 'boolean',
	unitCost: 'number',
	taxGroupId: 'guid',
	taxGroupCode: 'string',
	baseUnitOfMeasureId: 'guid',
	baseUnitOfMeasureCode: 'string',
	generalProductPostingGroupId: 'guid',
	generalProductPostingGroupCode: 'string',
	inventoryPostingGroupId: 'guid',
	inventoryPostingGroupCode: 'string',
	lastModifiedDateTime: 'datetime',
};

export const CUSTOMER_SCHEMA: Schema = {
	id: 'guid',
	number: 'string',
	displayName: 'string',
	type: 'string',
	addressLine1: 'string',
	addressLine2: 'string',
	city: 'string',
	state: 'string',
	country: 'string',
	postalCode: 'string',
	phoneNumber: 'string',
	email: 'string',
	website: 'string',
	salespersonCode: 'string',
	balanceDue: 'number',
	creditLimit: 'number',
	taxLiable: 'boolean',
	taxAreaId: 'guid',
	taxAreaDisplayName: 'string',
	taxRegistrationNumber: 'string',
	currencyId: 'guid',
	currencyCode: 'string',
	paymentTermsId: 'guid',
	shipmentMethodId: 'guid',
	paymentMethodId: 'guid',
	blocked: 'string',
	lastModifiedDateTime: 'datetime',
};

export const LOCATION_SCHEMA: Schema = {
	id: 'guid',
	code: 'string',
	displayName: 'string',
	contact: 'string',
	addressLine1: 'string',
	addressLine2: 'string',
	city: 'string',
	state: 'string',
	country: 'string',
	postalCode: 'string',
	phoneNumber: 'string',
	email: 'string',
	website: 'string',
};

export const PRICE_LIST_LINE_SCHEMA: Schema = {
	id: 'guid',
	priceListCode: 'string',
	sourceType: 'string',
	sourceNo: 'string',
	assetType: 'string',
	assetNo: 'string',
	currencyCode: 'string',
	startingDate: 'date',
	endingDate: 'date',
	minimumQuantity: 'number',
	unitOfMeasureCode: 'string',
	unitPrice: 'number',
	priceIncludesVAT: 'boolean',
	lineDiscountPercent: 'number',
	status: 'string',
	lastModifiedDateTime: 'datetime',
};

export const CUSTOMER_PRICING_SCHEMA: Schema = {
	id: 'guid',
	customerNumber: 'string',
	customerPriceGroup: 'string',
	customerDiscountGroup: 'string',
	lastModifiedDateTime: 'datetime',
};

export const COMPANY_SCHEMA: Schema = {
	id: 'guid',
	systemVersion: 'string',
	timestamp: 'number',
	name: 'string',
	displayName: 'string',
	businessProfileId: 'string',
	systemCreatedAt: 'datetime',
	systemCreatedBy: 'guid',
	systemModifiedAt: 'datetime',
	systemModifiedBy: 'guid',
};

/**
 * Enum fields, which BC writes in JSON under their XML-encoded names: a space is "_x0020_", so the blank is
 * "_x0020_" and "All Customers" is "All_x0020_Customers" (seen in public BC payloads: customers' `blocked`,
 * salesOrders' "In_x0020_Review"). The state keeps the plain names.
 */
const ENUM_FIELDS = new Set(['blocked', 'sourceType', 'assetType', 'status']);
export const bcEnumJson = (v: string): string => v.replace(/ /g, '_x0020_');
/** what a client may send back: the encoded or the plain name */
export const bcEnumName = (v: string): string => v.replace(/_x0020_/g, ' ');

/** a record as the API sends it: the schema's fields in the schema's order (no rowVersion, no internals) */
function project(rec: object, schema: Schema, extra: Record<string, unknown> = {}): Record<string, unknown> {
	const r = { ...(rec as Record<string, unknown>), ...extra };
	const out: Record<string, unknown> = {};
	for (const k of Object.keys(schema))
		out[k] = ENUM_FIELDS.has(k) && schema[k] === 'string' && typeof r[k] === 'string' ? bcEnumJson(r[k]) : r[k];
	// the row version rides along unseen (not enumerable: not in the JSON) so the ETag is the record's, not the view's
	Object.defineProperty(out, 'rowVersion', { value: (rec as { rowVersion?: number }).rowVersion, enumerable: false });
	return out;
}

/** the API's view of an item: inventory = the sum of the stock at every location */
export function itemJson(ctx: BcContext, co: Company, it: Item): Record<string, unknown> {
	return project(it, ITEM_SCHEMA, { inventory: ctx.state.inventory(co, it.number) });
}
export const customerJson = (c: Customer) => project(c, CUSTOMER_SCHEMA);
export const locationJson = (l: Location) => project(l, LOCATION_SCHEMA);
export const priceListLineJson = (l: PriceListLine) => project(l, PRICE_LIST_LINE_SCHEMA);
export const customerPricingJson = (r: CustomerPricing) => project(r, CUSTOMER_PRICING_SCHEMA);
export function companyJson(c: Company): Record<string, unknown> {
	return project(c, COMPANY_SCHEMA, { systemVersion: '24.0.16410.18056', timestamp: c.rowVersion });
}

/** a list route and a by-id route for one entity set of a company */
function entitySet<T extends { id: string; rowVersion: number }>(
	set: string,
	entityName: string,
	api: string,
	schema: Schema,
	key: string,
	rows: (co: Company) => T[],
	json: (ctx: BcContext, co: Company, rec: T) => Record<string, unknown>,
): BcRoute[] {
	const typeName = `Microsoft.NAV.${set.replace(/s$/, '')}`;
	return [
		{
			method: 'GET',
			scope: 'company',
			api,
			pattern: new RegExp(`^/${set}$`),
			handle(ctx, req, res) {
				const co = companyOf(req);
				const list = rows(co).map((r) => json(ctx, co, r));
				ctx.sendJson(res, 200, ctx.page(req, list, { schema, typeName, key }));
			},
		},
		{
			method: 'GET',
			scope: 'company',
			api,
			pattern: new RegExp(`^/${set}\\((${GUID})\\)$`),
			handle(ctx, req: http.IncomingMessage, res, m) {
				const co = companyOf(req);
				const rec = recordById(rows(co), m[1], entityName);
				const out = json(ctx, co, rec);
				const i = ctx.info(req);
				ctx.sendJson(res, 200, {
					'@odata.context': `${i.root}/$metadata#companies(${co.id})/${set}/$entity`,
					'@odata.etag': ctx.etag(out),
					...out,
				});
			},
		},
	];
}

/**
 * PATCH items({id}) / customers({id}) with If-Match (none → 400, stale → 409, `*` → any): changes the writable
 * fields, stamps lastModifiedDateTime, new ETag, a webhook 'updated'. Unknown field → 400 naming it, a read-only
 * one (id, number, inventory, lastModifiedDateTime) → 400 BadRequest_InvalidOperation, a value of the wrong type
 * → 400. Lets $batch (and tests) write without the orders module.
 */
function patchRoute<T extends { id: string; rowVersion: number }>(
	set: 'items' | 'customers',
	entityName: string,
	schema: Schema,
	rows: (co: Company) => T[],
	json: (ctx: BcContext, co: Company, rec: T) => Record<string, unknown>,
	check: (field: string, value: unknown) => string | undefined,
): BcRoute {
	const readOnly = ['id', 'number', 'inventory', 'lastModifiedDateTime', 'balanceDue'];
	return {
		method: 'PATCH',
		scope: 'company',
		pattern: new RegExp(`^/${set}\\((${GUID})\\)$`),
		handle(ctx, req, res, m, body) {
			const co = companyOf(req);
			const rec = recordById(rows(co), m[1], entityName);
			if (!ctx.requireIfMatch(req, res, json(ctx, co, rec))) return;
			if (!body || typeof body !== 'object' || Array.isArray(body)) throw errors.invalidBody();
			const changes = Object.entries(body as Record<string, unknown>).filter(([k]) => !k.startsWith('@odata.'));
			for (const [k, v] of changes) {
				if (!(k in schema)) throw unknownProperty(k, `Microsoft.NAV.${set.replace(/s$/, '')}`);
				if (readOnly.includes(k)) throw new BcError(400, 'BadRequest_InvalidOperation', `Control '${k}' is read-only.`);
				const t = schema[k];
				const ok =
					t === 'number' ? typeof v === 'number' : t === 'boolean' ? typeof v === 'boolean' : typeof v === 'string';
				if (!ok)
					throw new BcError(
						400,
						'BadRequest',
						`Cannot convert the literal '${JSON.stringify(v)}' to the expected type for '${k}'.`,
					);
				const why = check(k, v);
				if (why) throw new BcError(400, 'Application_DialogException', why);
			}
			for (const [k, v] of changes)
				(rec as Record<string, unknown>)[k] = ENUM_FIELDS.has(k) && typeof v === 'string' ? bcEnumName(v) : v;
			ctx.state.touch(rec);
			ctx.changed(set, rec.id, 'updated', co.id);
			const out = json(ctx, co, rec);
			const i = ctx.info(req);
			ctx.sendJson(res, 200, {
				'@odata.context': `${i.root}/$metadata#companies(${co.id})/${set}/$entity`,
				'@odata.etag': ctx.etag(out),
				...out,
			});
		},
	};
}

export function entityRoutes(customApi: string): BcRoute[] {
	return [
		patchRoute(
			'items',
			'Item',
			ITEM_SCHEMA,
			(co) => co.items,
			itemJson,
			(k, v) =>
				k === 'type' && !['Inventory', 'Service', 'Non-Inventory'].includes(String(v))
					? `Type: '${String(v)}' is not one of Inventory, Service, Non-Inventory.`
					: undefined,
		),
		patchRoute(
			'customers',
			'Customer',
			CUSTOMER_SCHEMA,
			(co) => co.customers,
			(_c, _co, r) => customerJson(r),
			(k, v) =>
				k === 'blocked' && !CUSTOMER_BLOCKED.includes(bcEnumName(String(v)) as CustomerBlocked)
					? `Blocked: '${String(v)}' is not one of " ", Ship, Invoice, All.`
					: undefined,
		),
		...entitySet('items', 'Item', 'v2.0', ITEM_SCHEMA, 'number', (co) => co.items, itemJson),
		...entitySet(
			'customers',
			'Customer',
			'v2.0',
			CUSTOMER_SCHEMA,
			'number',
			(co) => co.customers,
			(_c, _co, r) => customerJson(r),
		),
		...entitySet(
			'locations',
			'Location',
			'v2.0',
			LOCATION_SCHEMA,
			'code',
			(co) => co.locations,
			(_c, _co, r) => locationJson(r),
		),
		...entitySet(
			'priceListLines',
			'Price List Line',
			customApi,
			PRICE_LIST_LINE_SCHEMA,
			'id',
			(co) => co.priceListLines,
			(_c, _co, r) => priceListLineJson(r),
		),
		...entitySet(
			'customerPricing',
			'Customer',
			customApi,
			CUSTOMER_PRICING_SCHEMA,
			'customerNumber',
			(co) => co.customerPricing,
			(_c, _co, r) => customerPricingJson(r),
		),
	];
}
