/**
 * Self-test of the portal simulator's partial product and client updates (PATCH /v1/products/batch and
 * /v1/clients/batch) and price delete
 * (POST /v1/prices/batch/delete): real HTTP to 127.0.0.1, requests and answers held to docs/portal-api.yaml.
 */
import type { Price } from '../../../nodes/shared/model/types';
import { keys, startPortalSimulator, type PortalSimulator } from '../../simulators/portal/server';
import { jsonApi } from './json-api';

let sim: PortalSimulator;
beforeAll(async () => {
	sim = await startPortalSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());
afterEach(() => expect(sim.contractViolations).toEqual([]));
const api = jsonApi(() => sim);

const LODKA = {
	code: 'ŁÓD-001',
	name: 'Łódka żółta ĄĘŚ',
	ean: '5901234123457',
	unit: 'szt.',
	vatRate: '23',
	active: true,
	attributes: { kolor: 'żółty' },
};
const ZAGIEL = { code: 'ŻAG-002', name: 'Żagiel źdźbło', unit: 'szt.', vatRate: '8', active: true };

const price = (extra: Partial<Price>): Price => ({
	productCode: 'ŁÓD-001',
	scope: 'priceList',
	scopeCode: 'HURT-ŚLĄSK',
	currency: 'PLN',
	net: '129.99',
	...extra,
});

describe('portal simulator › PATCH /v1/products/batch (partial update)', () => {
	beforeEach(async () => {
		expect((await api('POST', '/v1/products/batch', { items: [LODKA, ZAGIEL] })).status).toBe(200);
	});

	it('changes only the fields given: a deactivated product keeps its name, EAN and attributes', async () => {
		const r = await api('PATCH', '/v1/products/batch', { items: [{ code: 'ŁÓD-001', active: false }] });
		expect(r.status).toBe(200);
		expect(r.json).toEqual({
			received: 1,
			updated: 1,
			unchanged: 0,
			notFound: 0,
			results: [{ index: 0, key: 'ŁÓD-001', action: 'updated' }],
		});
		expect(sim.state.products.get('ŁÓD-001')).toEqual({ ...LODKA, active: false });
		expect(sim.state.products.get('ŻAG-002')).toEqual(ZAGIEL);
	});

	it('replaces attributes as a whole, and the same patch again is unchanged', async () => {
		const patch = { code: 'ŁÓD-001', name: 'Łódź wiosłowa', attributes: { długość: '3 m' } };
		expect((await api('PATCH', '/v1/products/batch', { items: [patch] })).json.updated).toBe(1);
		expect(sim.state.products.get('ŁÓD-001')).toEqual({ ...LODKA, ...patch });
		const again = await api('PATCH', '/v1/products/batch', { items: [patch] });
		expect(again.json.results).toEqual([{ index: 0, key: 'ŁÓD-001', action: 'unchanged' }]);
	});

	it('never creates an unknown code: notFound for it, the rest of the batch is written', async () => {
		const r = await api('PATCH', '/v1/products/batch', {
			items: [
				{ code: 'ŚRUBA-M8', active: false },
				{ code: 'ŻAG-002', active: false },
			],
		});
		expect(r.status).toBe(200);
		expect(r.json).toMatchObject({ received: 2, updated: 1, unchanged: 0, notFound: 1 });
		expect(r.json.results).toEqual([
			{ index: 0, key: 'ŚRUBA-M8', action: 'notFound' },
			{ index: 1, key: 'ŻAG-002', action: 'updated' },
		]);
		expect(sim.state.products.has('ŚRUBA-M8')).toBe(false);
		expect(sim.state.products.get('ŻAG-002')?.active).toBe(false);
		expect(sim.requests.at(-1)).toMatchObject({
			method: 'PATCH',
			path: '/v1/products/batch',
			status: 200,
			itemCount: 2,
		});
	});

	it('validates the whole batch first: a code alone, an unknown field or an empty name → 422, nothing written', async () => {
		const r = await api('PATCH', '/v1/products/batch', {
			items: [
				{ code: 'ŁÓD-001', active: false },
				{ code: 'ŻAG-002' },
				{ code: 'ŻAG-002', nazwa: 'Żagiel' },
				{ code: 'ŁÓD-001', name: '' },
			],
		});
		expect(r.status).toBe(422);
		expect(r.json.error.code).toBe('validation_failed');
		expect(r.json.error.details).toEqual(
			expect.arrayContaining([
				expect.objectContaining({
					index: 1,
					key: 'ŻAG-002',
					field: '(record)',
					message: expect.stringMatching(/at least 2 fields/),
				}),
				expect.objectContaining({ index: 2, key: 'ŻAG-002', field: 'nazwa', message: 'is not a field of this record' }),
				expect.objectContaining({ index: 3, key: 'ŁÓD-001', field: 'name', message: 'must not be empty' }),
			]),
		);
		expect(sim.state.products.get('ŁÓD-001')?.active).toBe(true);
	});

	it('answers 405 with both methods for another method on the path', async () => {
		const r = await api('DELETE', '/v1/products/batch', { items: [{ code: 'ŁÓD-001' }] });
		expect(r.status).toBe(405);
		expect(r.json.error.message).toMatch(/use PATCH, POST/);
	});

	it('takes injected faults like every endpoint: a lost answer after the write, then the retry is unchanged', async () => {
		sim.faults.add({ path: '/v1/products/batch', method: 'PATCH', kind: 'drop', afterWrite: true, times: 1 });
		await expect(api('PATCH', '/v1/products/batch', { items: [{ code: 'ŁÓD-001', active: false }] })).rejects.toThrow();
		expect(sim.state.products.get('ŁÓD-001')?.active).toBe(false);
		const retry = await api('PATCH', '/v1/products/batch', { items: [{ code: 'ŁÓD-001', active: false }] });
		expect(retry.json.results[0].action).toBe('unchanged');
	});
});

describe('portal simulator › PATCH /v1/clients/batch (partial update)', () => {
	const ADDRESS = {
		type: 'billing' as const,
		street: 'ul. Źródlana 5',
		postalCode: '25-001',
		city: 'Kielce',
		countryCode: 'PL',
	};
	const SWIETOKRZYSKA = {
		code: 'K-ŚWIĘTOKRZYSKA',
		name: 'Hurtownia Świętokrzyska Sp. z o.o.',
		taxId: '6570001122',
		email: 'zamowienia@swietokrzyska.example',
		priceGroup: 'HURT-ŚLĄSK',
		blocked: false,
		addresses: [ADDRESS],
	};
	const ZOLW = { code: 'K-ŻÓŁW', name: 'Żółw Łódź', blocked: false, addresses: [] };
	beforeEach(async () => {
		expect((await api('POST', '/v1/clients/batch', { items: [SWIETOKRZYSKA, ZOLW] })).status).toBe(200);
	});

	it('changes only the fields given: a blocked client keeps its name, tax ID and addresses', async () => {
		const r = await api('PATCH', '/v1/clients/batch', { items: [{ code: 'K-ŚWIĘTOKRZYSKA', blocked: true }] });
		expect(r.status).toBe(200);
		expect(r.json).toEqual({
			received: 1,
			updated: 1,
			unchanged: 0,
			notFound: 0,
			results: [{ index: 0, key: 'K-ŚWIĘTOKRZYSKA', action: 'updated' }],
		});
		expect(sim.state.clients.get('K-ŚWIĘTOKRZYSKA')).toEqual({ ...SWIETOKRZYSKA, blocked: true });
		expect(sim.state.clients.get('K-ŻÓŁW')).toEqual(ZOLW);
		const again = await api('PATCH', '/v1/clients/batch', { items: [{ code: 'K-ŚWIĘTOKRZYSKA', blocked: true }] });
		expect(again.json.results).toEqual([{ index: 0, key: 'K-ŚWIĘTOKRZYSKA', action: 'unchanged' }]);
	});

	it('replaces addresses as a whole list', async () => {
		const shipping = { ...ADDRESS, type: 'shipping' as const, street: 'ul. Żeglarska 1', city: 'Gdańsk' };
		await api('PATCH', '/v1/clients/batch', { items: [{ code: 'K-ŻÓŁW', addresses: [shipping] }] });
		expect(sim.state.clients.get('K-ŻÓŁW')).toEqual({ ...ZOLW, addresses: [shipping] });
	});

	it('never creates an unknown code: notFound for it, the rest of the batch is written', async () => {
		const r = await api('PATCH', '/v1/clients/batch', {
			items: [
				{ code: 'K-ŹRÓDŁO-404', blocked: true },
				{ code: 'K-ŻÓŁW', blocked: true },
			],
		});
		expect(r.status).toBe(200);
		expect(r.json).toMatchObject({ received: 2, updated: 1, unchanged: 0, notFound: 1 });
		expect(r.json.results.map((x: { action: string }) => x.action)).toEqual(['notFound', 'updated']);
		expect(sim.state.clients.has('K-ŹRÓDŁO-404')).toBe(false);
		expect(sim.state.clients.get('K-ŻÓŁW')?.blocked).toBe(true);
	});

	it('validates the whole batch first: a code alone, an unknown field or a bad flag → 422, nothing written', async () => {
		const r = await api('PATCH', '/v1/clients/batch', {
			items: [
				{ code: 'K-ŻÓŁW', blocked: true },
				{ code: 'K-ŚWIĘTOKRZYSKA' },
				{ code: 'K-ŚWIĘTOKRZYSKA', aktywny: false },
				{ code: 'K-ŻÓŁW', blocked: 'tak' },
			],
		});
		expect(r.status).toBe(422);
		expect(r.json.error.details).toEqual(
			expect.arrayContaining([
				expect.objectContaining({
					index: 1,
					key: 'K-ŚWIĘTOKRZYSKA',
					field: '(record)',
					message: expect.stringMatching(/at least 2 fields/),
				}),
				expect.objectContaining({ index: 2, field: 'aktywny', message: 'is not a field of this record' }),
				expect.objectContaining({ index: 3, key: 'K-ŻÓŁW', field: 'blocked' }),
			]),
		);
		expect(sim.state.clients.get('K-ŻÓŁW')?.blocked).toBe(false);
	});

	it('answers 405 with both methods for another method on the path', async () => {
		const r = await api('DELETE', '/v1/clients/batch', { items: [{ code: 'K-ŻÓŁW' }] });
		expect(r.status).toBe(405);
		expect(r.json.error.message).toMatch(/use PATCH, POST/);
	});
});

describe('portal simulator › POST /v1/prices/batch/delete', () => {
	const list = price({});
	const fromTen = price({ minQuantity: '10', net: '119.99' });
	const clientMay = price({ scope: 'client', scopeCode: 'K-ŚWIĘTOKRZYSKA', validFrom: '2026-05-01', net: '99.50' });
	const key = ({ productCode, scope, scopeCode, currency, minQuantity, validFrom }: Price) => ({
		productCode,
		scope,
		scopeCode,
		currency,
		...(minQuantity !== undefined ? { minQuantity } : {}),
		...(validFrom !== undefined ? { validFrom } : {}),
	});
	beforeEach(async () => {
		expect((await api('POST', '/v1/prices/batch', { items: [list, fromTen, clientMay] })).status).toBe(200);
		expect(sim.state.prices.size).toBe(3);
	});

	it('removes exactly the price of each key (quantity compared as a number), other breaks and periods stay', async () => {
		const r = await api('POST', '/v1/prices/batch/delete', { items: [key({ ...fromTen, minQuantity: '10.000' })] });
		expect(r.status).toBe(200);
		expect(r.json).toEqual({
			received: 1,
			deleted: 1,
			notFound: 0,
			results: [{ index: 0, key: 'ŁÓD-001', action: 'deleted' }],
		});
		expect(sim.state.prices.has(keys.price(fromTen))).toBe(false);
		expect(sim.state.prices.get(keys.price(list))).toEqual(list);
		expect(sim.state.prices.get(keys.price(clientMay))).toEqual(clientMay);
	});

	it('absent minQuantity = "1" and absent validFrom = open start, as the upsert keys them', async () => {
		const r = await api('POST', '/v1/prices/batch/delete', {
			items: [key({ ...clientMay, validFrom: undefined }), key(list)],
		});
		expect(r.json.results.map((x: { action: string }) => x.action)).toEqual(['notFound', 'deleted']);
		expect(sim.state.prices.has(keys.price(clientMay))).toBe(true);
		expect(sim.state.prices.has(keys.price(list))).toBe(false);
	});

	it('is idempotent: deleting an absent price answers notFound, never an error', async () => {
		const body = { items: [key(clientMay)] };
		expect((await api('POST', '/v1/prices/batch/delete', body)).json.deleted).toBe(1);
		const again = await api('POST', '/v1/prices/batch/delete', body);
		expect(again.status).toBe(200);
		expect(again.json).toMatchObject({ received: 1, deleted: 0, notFound: 1 });
	});

	it('validates the whole batch first: a missing scope or an amount → 422 naming record and field, nothing removed', async () => {
		const r = await api('POST', '/v1/prices/batch/delete', {
			items: [
				key(list),
				{ productCode: 'ŁÓD-001', scopeCode: 'HURT-ŚLĄSK', currency: 'PLN' },
				{ ...key(fromTen), net: '119.99' },
			],
		});
		expect(r.status).toBe(422);
		expect(r.json.error.details).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ index: 1, key: 'ŁÓD-001', field: 'scope', message: 'is missing' }),
				expect.objectContaining({ index: 2, key: 'ŁÓD-001', field: 'net', message: 'is not a field of this record' }),
			]),
		);
		expect(sim.state.prices.size).toBe(3);
	});

	it('logs the request with its record count and takes faults (503 before: nothing removed)', async () => {
		sim.faults.add({ path: '/v1/prices/batch/delete', kind: 'status', status: 503, times: 1 });
		expect((await api('POST', '/v1/prices/batch/delete', { items: [key(list)] })).status).toBe(503);
		expect(sim.state.prices.size).toBe(3);
		expect((await api('POST', '/v1/prices/batch/delete', { items: [key(list)] })).status).toBe(200);
		expect(sim.requests.map((r) => [r.method, r.path, r.status, r.itemCount ?? null])).toEqual([
			['POST', '/v1/prices/batch', 200, 3],
			['POST', '/v1/prices/batch/delete', 503, null],
			['POST', '/v1/prices/batch/delete', 200, 1],
		]);
	});
});
