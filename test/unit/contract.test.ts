/**
 * Holds the node's field tables (nodes/shared/model/validate.ts) and the portal contract
 * (docs/portal-api.yaml) together: same fields, same required fields, so a record the node accepts is
 * one the portal accepts, and the other way round.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { FIELDS, type FieldTable } from '../../nodes/shared/model/validate';

const spec = parse(readFileSync(path.join(__dirname, '../../docs/portal-api.yaml'), 'utf8'));
const schemas = spec.components.schemas as Record<
	string,
	{ properties: Record<string, { $ref?: string; items?: { $ref?: string } }>; required: string[] }
>;

const SCHEMA_OF: Record<keyof typeof FIELDS, string> = {
	product: 'Product',
	productPatch: 'ProductPatch',
	productImage: 'ProductImage',
	price: 'Price',
	priceKey: 'PriceKey',
	stock: 'StockLevel',
	client: 'Client',
	clientPatch: 'ClientPatch',
	order: 'Order',
	orderStatus: 'OrderStatus',
	invoice: 'Invoice',
	syncStatus: 'SyncStatus',
};

function compare(table: FieldTable, schemaName: string, where: string): void {
	const schema = schemas[schemaName];
	expect({ where, fields: Object.keys(table).sort() }).toEqual({
		where,
		fields: Object.keys(schema.properties).sort(),
	});
	const required = Object.entries(table)
		.filter(([, s]) => s.required)
		.map(([n]) => n)
		.sort();
	expect({ where, required }).toEqual({ where, required: [...schema.required].sort() });
	for (const [name, spec] of Object.entries(table)) {
		const prop = schema.properties[name];
		if (spec.kind.t === 'object')
			compare(spec.kind.fields, (prop.$ref ?? '').split('/').pop() as string, `${where}.${name}`);
		if (spec.kind.t === 'array')
			compare(spec.kind.of, (prop.items?.$ref ?? '').split('/').pop() as string, `${where}.${name}[]`);
	}
}

describe('portal contract and canonical model agree', () => {
	it.each(Object.entries(SCHEMA_OF))('%s ↔ %s', (entity, schemaName) => {
		compare(FIELDS[entity as keyof typeof FIELDS], schemaName, entity);
	});

	it('every batch endpoint the node calls exists in the contract, with its method', async () => {
		const { UPSERT_PATH, WRITES } = await import('../../nodes/B2bPortal/actions/upsert');
		for (const p of Object.values(UPSERT_PATH)) expect(Object.keys(spec.paths)).toContain(p);
		for (const w of Object.values(WRITES))
			expect({ [w.path]: Object.keys(spec.paths[w.path] ?? {}) }).toEqual({
				[w.path]: expect.arrayContaining([w.method.toLowerCase()]),
			});
	});
});

describe('stock holds: the node and the simulator follow the contract', () => {
	const request = spec.components.schemas.StockReservationRequest.properties.holdSeconds;
	const answer = spec.components.schemas.StockReservation.properties;

	it('holdSeconds: the node option sends whole minutes within the bounds, with the same default', async () => {
		const { DEFAULT_HOLD_MINUTES, MAX_HOLD_MINUTES, holdOption } = await import(
			'../../nodes/B2bPortal/actions/stock/reserve.operation'
		);
		const { DEFAULT_HOLD_SECONDS } = await import('../simulators/portal/reservations');
		expect(request).toMatchObject({ type: 'integer', minimum: 60, maximum: 604800, default: 3600 });
		expect(DEFAULT_HOLD_MINUTES * 60).toBe(request.default);
		expect(DEFAULT_HOLD_SECONDS).toBe(request.default);
		expect(holdOption.default).toBe(DEFAULT_HOLD_MINUTES);
		expect(holdOption.typeOptions).toEqual({ minValue: request.minimum / 60, maxValue: request.maximum / 60 });
		expect(MAX_HOLD_MINUTES * 60).toBe(request.maximum);
	});

	it('StockReservation carries expiresAt (portal clock) and the expired release reason', () => {
		expect(Object.keys(answer)).toContain('expiresAt');
		expect(answer.releaseReason.enum).toEqual(['rejected', 'cancelled', 'stockPush', 'expired']);
		expect(spec.paths['/v1/stock/reservations'].post.description).toContain("portal's clock only");
	});
});
