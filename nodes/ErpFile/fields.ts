/**
 * Which canonical fields a CSV column or an XML element/attribute can map to, per entity, and how a flat
 * row (CSV row, or the values of one XML record) becomes a canonical record (and back). Only the scalar
 * fields are mapped; a client's billing address is flattened into four `address*` columns; product
 * attributes are not mapped (no column layout for a free map).
 */
import type { INodeProperties } from 'n8n-workflow';
import type { EntityName } from '../shared/model/types';
import { normaliseTaxId } from '../shared/model/nip';
import { hasOwn } from '../shared/own';

import type { FileEntity } from '../shared/files/parse-records';
export type { FileEntity };

export interface CsvFieldDef {
	/** canonical field name (or address* for the client's billing address) */
	name: string;
	displayName: string;
	/** money or quantity: a decimal comma may be turned into a dot */
	decimal?: boolean;
	/** the file must have this column (required and without default) */
	required?: boolean;
}

export const CSV_FIELDS: Record<FileEntity, CsvFieldDef[]> = {
	product: [
		{ name: 'code', displayName: 'Code', required: true },
		{ name: 'name', displayName: 'Name', required: true },
		{ name: 'description', displayName: 'Description' },
		{ name: 'ean', displayName: 'EAN' },
		{ name: 'unit', displayName: 'Unit' },
		{ name: 'vatRate', displayName: 'VAT Rate' },
		{ name: 'active', displayName: 'Active' },
		{ name: 'updatedAt', displayName: 'Updated At' },
	],
	price: [
		{ name: 'productCode', displayName: 'Product Code', required: true },
		{ name: 'scope', displayName: 'Scope' },
		{ name: 'scopeCode', displayName: 'Scope Code' },
		{ name: 'currency', displayName: 'Currency' },
		{ name: 'net', displayName: 'Net', decimal: true },
		{ name: 'gross', displayName: 'Gross', decimal: true },
		{ name: 'vatRate', displayName: 'VAT Rate' },
		{ name: 'minQuantity', displayName: 'Min Quantity', decimal: true },
		{ name: 'validFrom', displayName: 'Valid From' },
		{ name: 'validTo', displayName: 'Valid To' },
	],
	stock: [
		{ name: 'productCode', displayName: 'Product Code', required: true },
		{ name: 'warehouseCode', displayName: 'Warehouse Code', required: true },
		{ name: 'onHand', displayName: 'On Hand', decimal: true, required: true },
		{ name: 'reserved', displayName: 'Reserved', decimal: true },
		{ name: 'available', displayName: 'Available', decimal: true, required: true },
		{ name: 'incoming', displayName: 'Incoming', decimal: true },
		{ name: 'updatedAt', displayName: 'Updated At' },
	],
	client: [
		{ name: 'code', displayName: 'Code', required: true },
		{ name: 'name', displayName: 'Name', required: true },
		{ name: 'taxId', displayName: 'Tax ID (NIP)' },
		{ name: 'email', displayName: 'Email' },
		{ name: 'phone', displayName: 'Phone' },
		{ name: 'priceGroup', displayName: 'Price Group' },
		{ name: 'priceListCode', displayName: 'Price List Code' },
		{ name: 'paymentTermsDays', displayName: 'Payment Terms Days' },
		{ name: 'paymentMethod', displayName: 'Payment Method' },
		{ name: 'creditLimit', displayName: 'Credit Limit', decimal: true },
		{ name: 'currency', displayName: 'Currency' },
		{ name: 'blocked', displayName: 'Blocked' },
		{ name: 'addressStreet', displayName: 'Billing Street' },
		{ name: 'addressPostalCode', displayName: 'Billing Postal Code' },
		{ name: 'addressCity', displayName: 'Billing City' },
		{ name: 'addressCountryCode', displayName: 'Billing Country Code' },
	],
};

/** where the mapping points: CSV header texts, or XML element/attribute paths inside the record element */
export type MappingKind = 'csv' | 'xml';

const KIND_TEXT: Record<MappingKind, { displayName: string; placeholder: string; description: string; box: string }> = {
	csv: {
		displayName: 'Columns',
		placeholder: 'Map columns',
		description:
			'Which CSV column (header text) holds each field. Without a mapping the column is expected to be named like the field. Clear a box when the file has no such column.',
		box: 'CSV column',
	},
	xml: {
		displayName: 'Fields',
		placeholder: 'Map fields',
		description:
			'Where each field is inside the record element: a child element ("Nazwa"), a path ("Ceny/Netto"), an attribute ("@symbol", "Cena/@netto") or a parent\'s element ("../Symbol"). Without a mapping a child element named like the field is read. Clear a box when the file has no such value.',
		box: 'Element or attribute path',
	},
};

/** name of the mapping parameter of an entity ("productColumns" for CSV, "productXmlFields" for XML) */
export const columnsParameter = (entity: FileEntity, kind: MappingKind = 'csv') =>
	kind === 'csv' ? `${entity}Columns` : `${entity}XmlFields`;

/** The mapping fixedCollection of one entity: one text box per canonical field, default = the field name. */
export function columnsProperty(
	entity: FileEntity,
	show: Record<string, string[]>,
	kind: MappingKind = 'csv',
): INodeProperties {
	const t = KIND_TEXT[kind];
	return {
		displayName: t.displayName,
		name: columnsParameter(entity, kind),
		type: 'fixedCollection',
		placeholder: t.placeholder,
		default: {},
		description: t.description,
		displayOptions: { show: { ...show, entity: [entity] } },
		options: [
			{
				displayName: 'Mapping',
				description:
					"Which column or element holds each field; leave a field's default when the file uses the canonical name",
				name: 'mapping',
				values: CSV_FIELDS[entity].map((f) => ({
					displayName: f.displayName,
					name: f.name,
					type: 'string' as const,
					default: f.name,
					description: `${t.box} for the field "${f.name}"${f.required ? ' (required)' : ''}`,
				})),
			},
		],
	};
}

/** field → column header / XML path; fields without a mapping use their own name, an empty mapping means "not in the file" */
export function resolveMapping(entity: FileEntity, raw: unknown): Map<string, string> {
	const given = ((raw as { mapping?: Record<string, unknown> } | undefined)?.mapping ?? {}) as Record<string, unknown>;
	const out = new Map<string, string>();
	for (const f of CSV_FIELDS[entity]) {
		const v = hasOwn(given, f.name) ? String(given[f.name] ?? '').trim() : f.name;
		if (v !== '') out.set(f.name, v);
	}
	return out;
}

/**
 * The mapped sources (column / path) the file must have: the required fields, and a price's scope code
 * when no default scope code is set. A required field whose mapping was cleared is left to validation.
 */
export function requiredSources(
	entity: FileEntity,
	mapping: Map<string, string>,
	defaults: Record<string, string>,
): Array<{ field: string; source: string }> {
	return CSV_FIELDS[entity]
		.filter(
			(f) => (f.required && !defaults[f.name]) || (entity === 'price' && f.name === 'scopeCode' && !defaults.scopeCode),
		)
		.filter((f) => mapping.has(f.name))
		.map((f) => ({ field: f.name, source: mapping.get(f.name)! }));
}

/**
 * One CSV row (or the values read from one XML record, keyed by path) → a raw canonical record (not yet
 * validated). Empty cells are left out (defaults apply).
 */
export function recordFromRow(
	entity: FileEntity,
	row: Record<string, string>,
	mapping: Map<string, string>,
	opts: { decimalComma: boolean; defaults: Record<string, string> },
): Record<string, unknown> {
	const rec: Record<string, unknown> = {};
	for (const f of CSV_FIELDS[entity]) {
		const column = mapping.get(f.name);
		let v = column === undefined ? undefined : row[column];
		if (v !== undefined) v = v.trim();
		if (v === undefined || v === '') {
			if (opts.defaults[f.name]) rec[f.name] = opts.defaults[f.name];
			continue;
		}
		if (f.decimal && opts.decimalComma) v = v.replace(/\s/g, '').replace(',', '.');
		rec[f.name] = v;
	}
	if (entity === 'client') {
		// one NIP spelling everywhere, as the ERP mappings write it ("PL 526-104-08-28" → "5261040828")
		if (typeof rec.taxId === 'string') rec.taxId = normaliseTaxId(rec.taxId);
		const street = rec.addressStreet as string | undefined;
		const postalCode = rec.addressPostalCode as string | undefined;
		const city = rec.addressCity as string | undefined;
		const countryCode = (rec.addressCountryCode as string | undefined) ?? 'PL';
		delete rec.addressStreet;
		delete rec.addressPostalCode;
		delete rec.addressCity;
		delete rec.addressCountryCode;
		if (street || city || postalCode) rec.addresses = [{ type: 'billing', street, postalCode, city, countryCode }];
	}
	return rec;
}

/** CSV columns written by Build File, per entity (canonical field names; orders one row per line). */
export const WRITE_COLUMNS: Record<
	Exclude<
		EntityName,
		'productImage' | 'productPatch' | 'clientPatch' | 'priceKey' | 'orderStatus' | 'invoice' | 'syncStatus'
	>,
	string[]
> = {
	product: ['code', 'name', 'description', 'ean', 'unit', 'vatRate', 'active', 'updatedAt'],
	price: CSV_FIELDS.price.map((f) => f.name),
	stock: CSV_FIELDS.stock.map((f) => f.name),
	client: CSV_FIELDS.client.map((f) => f.name),
	order: [
		'number',
		'clientCode',
		'placedAt',
		'currency',
		'priceType',
		'notes',
		'lineNo',
		'productCode',
		'quantity',
		'unit',
		'unitPrice',
		'vatRate',
		'discountPercent',
		'warehouseCode',
	],
};

type Flat = Record<string, string | number | boolean | undefined>;

/** A validated canonical record → flat CSV rows (an order gives one row per line). */
export function rowsForCsv(entity: keyof typeof WRITE_COLUMNS, rec: Record<string, unknown>): Flat[] {
	const scalar = (o: Record<string, unknown>): Flat => {
		const out: Flat = {};
		for (const [k, v] of Object.entries(o)) if (v === null || typeof v !== 'object') out[k] = v as Flat[string];
		return out;
	};
	if (entity === 'order') {
		const head = scalar(rec);
		return ((rec.lines as Array<Record<string, unknown>>) ?? []).map((l) => ({ ...head, ...scalar(l) }));
	}
	const row = scalar(rec);
	if (entity === 'client') {
		const a = ((rec.addresses as Array<Record<string, string>>) ?? []).find((x) => x.type === 'billing');
		if (a)
			Object.assign(row, {
				addressStreet: a.street,
				addressPostalCode: a.postalCode,
				addressCity: a.city,
				addressCountryCode: a.countryCode,
			});
	}
	return [row];
}
