/** B2B Sync Guard through the n8n-core engine: delta (with Record Run commits), stock buffer, price check. */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { B2bSyncGuard } from '../../nodes/B2bSyncGuard/B2bSyncGuard.node';
import { DELTA_STORE, type DeltaState } from '../../nodes/shared/delta';
import { QUEUE_STATE_NOTICE } from '../../nodes/shared/queueMode';
import { runNode, type RunNodeResult } from '../harness/n8n-core-harness';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { makeOrder } from '../fixtures/polish';
import { FAST_RETRY, runPortal } from './portal-helpers';

async function guard(
	parameters: INodeParameters,
	records: object[],
	opts: { staticData?: IDataObject; continueOnFail?: boolean } = {},
): Promise<RunNodeResult> {
	return await runNode({
		nodeType: new B2bSyncGuard(),
		parameters,
		inputItems: records.map((json) => ({ json: json as IDataObject })),
		staticData: opts.staticData,
		continueOnFail: opts.continueOnFail,
	});
}

const outN = (r: RunNodeResult, n: number): IDataObject[] => (r.output?.[n] ?? []).map((i) => i.json);
const pairs = (r: RunNodeResult, n: number) => (r.output?.[n] ?? []).map((i: INodeExecutionData) => i.pairedItem);
const states = (r: RunNodeResult) =>
	((r.staticData.global as IDataObject | undefined)?.[DELTA_STORE] ?? {}) as Record<string, DeltaState>;

const product = (code: string, name: string, extra: object = {}) => ({
	code,
	name,
	unit: 'szt.',
	vatRate: '23',
	active: true,
	...extra,
});
const catalogue = () => [
	product('ŁÓD-001', 'Łódka żółta'),
	product('ŻUK-7', 'Żuk ćwiczebny'),
	product('ŚRUBA-M8', 'Śruba źdźbłowa'),
	product('GĘŚ-2', 'Gęś ńółta'),
];
const delta = (extra: IDataObject = {}) => ({
	resource: 'delta',
	operation: 'passChanged',
	entity: 'product',
	recordField: '',
	snapshot: false,
	...extra,
});

describe('B2B Sync Guard › Delta', () => {
	let sim: PortalSimulator;
	beforeAll(async () => {
		sim = await startPortalSimulator();
	});
	afterAll(async () => sim.close());
	beforeEach(() => sim.reset());

	/** the workflow's last step: the real B2B Portal node's Record Run, against the portal simulator */
	async function recordRun(staticData: IDataObject, status: 'success' | 'failure' = 'success') {
		const r = await runPortal(
			sim,
			{
				resource: 'syncStatus',
				operation: 'record',
				flow: 'Produkty → portal',
				status,
				expectedEveryMinutes: 0,
				counts: '{}',
				message: '',
				commitCursors: true,
				options: FAST_RETRY,
			},
			{ staticData },
		);
		expect(r.error).toBeUndefined();
		return r;
	}

	it("on a queue-mode worker (EXECUTIONS_MODE=queue) Record Run tells the portal that the flow's state does not reach its next run; a flow without state, or regular mode, records no such message", async () => {
		const saved = process.env.EXECUTIONS_MODE;
		try {
			process.env.EXECUTIONS_MODE = 'queue';
			const run = await guard(delta(), catalogue());
			const recorded = await recordRun(run.staticData);
			expect(recorded.output![0][0].json.stateReachesNextRun).toBe(false);
			expect(sim.state.syncStatus.get('Produkty → portal')!.message).toBe(QUEUE_STATE_NOTICE);
			expect(QUEUE_STATE_NOTICE).toMatch(
				/^Tryb kolejki n8n: .*usunięć w ERP nie widać.* n8n queue mode: .*deletions in the ERP are not seen/,
			);

			// a flow that keeps no read position or delta (e.g. orders): nothing to say
			const stateless = await recordRun({});
			expect(stateless.output![0][0].json.stateReachesNextRun).toBeUndefined();
			expect(sim.state.syncStatus.get('Produkty → portal')!.message).toBeUndefined();

			delete process.env.EXECUTIONS_MODE;
			const regular = await recordRun((await guard(delta(), catalogue())).staticData);
			expect(regular.output![0][0].json.stateReachesNextRun).toBeUndefined();
			expect(sim.state.syncStatus.get('Produkty → portal')!.message).toBeUndefined();
		} finally {
			if (saved === undefined) delete process.env.EXECUTIONS_MODE;
			else process.env.EXECUTIONS_MODE = saved;
		}
	});

	it('passes new and changed records, holds back unchanged ones, and commits only at Record Run (success)', async () => {
		const first = await guard(delta(), catalogue());
		expect(first.error).toBeUndefined();
		expect(outN(first, 0).map((p) => p.code)).toEqual(['ŁÓD-001', 'ŻUK-7', 'ŚRUBA-M8', 'GĘŚ-2']);
		expect(pairs(first, 0)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(outN(first, 1)).toEqual([]);
		expect(states(first).product.committed).toEqual({});
		expect(Object.keys(states(first).product.pending!.set)).toHaveLength(4);

		// the portal write failed (no Record Run, or Record Run with Failure): the same records go again
		const repeated = await guard(delta(), catalogue(), { staticData: first.staticData });
		expect(outN(repeated, 0)).toHaveLength(4);
		const failedRun = await recordRun(repeated.staticData, 'failure');
		expect(json0(failedRun).committedDeltas).toEqual([]);
		const again = await guard(delta(), catalogue(), { staticData: failedRun.staticData });
		expect(outN(again, 0)).toHaveLength(4);

		const ok = await recordRun(again.staticData);
		expect(json0(ok).committedDeltas).toEqual(['product']);
		expect(Object.keys(states(ok).product.committed)).toHaveLength(4);
		expect(states(ok).product.pending).toBeUndefined();

		// nothing changed: nothing passes. Field order and "23 %" vs "23" are no change (the normal form is hashed)
		const reordered = catalogue().map((p) => ({
			active: p.active,
			vatRate: '23%',
			name: p.name,
			unit: p.unit,
			code: p.code,
		}));
		const none = await guard(delta(), reordered, { staticData: ok.staticData });
		expect(outN(none, 0)).toEqual([]);

		// one name changed, one new product
		const next = [...catalogue(), product('ŹDŹBŁO-9', 'Źdźbło nowe')];
		next[1] = product('ŻUK-7', 'Żuk ćwiczebny (nowa nazwa)');
		const changed = await guard(delta(), next, { staticData: ok.staticData });
		expect(outN(changed, 0).map((p) => [p.code, p.name])).toEqual([
			['ŻUK-7', 'Żuk ćwiczebny (nowa nazwa)'],
			['ŹDŹBŁO-9', 'Źdźbło nowe'],
		]);
		expect(pairs(changed, 0)).toEqual([{ item: 1 }, { item: 4 }]);
		// pending holds only the diff
		expect(Object.keys(states(changed).product.pending!.set).sort()).toEqual(['ŹDŹBŁO-9', 'ŻUK-7'].sort());
		const committed = await recordRun(changed.staticData);
		expect(outN(await guard(delta(), next, { staticData: committed.staticData }), 0)).toEqual([]);
	});

	it('emits records missing from a complete snapshot on "Deleted", and forgets them after Record Run', async () => {
		const first = await guard(delta({ snapshot: true }), catalogue());
		const base = (await recordRun(first.staticData)).staticData;
		const fewer = catalogue().filter((p) => p.code !== 'ŚRUBA-M8');
		const r = await guard(delta({ snapshot: true }), fewer, { staticData: base });
		expect(outN(r, 0)).toEqual([]);
		expect(outN(r, 1)).toEqual([{ entity: 'product', code: 'ŚRUBA-M8', deleted: true }]);
		expect(pairs(r, 1)).toEqual([{ item: 0 }]);
		// not a snapshot: a missing record is just unchanged, nothing is deleted
		expect(outN(await guard(delta(), fewer, { staticData: base }), 1)).toEqual([]);
		// the deletion is reported again until a run ends with Record Run
		expect(outN(await guard(delta({ snapshot: true }), fewer, { staticData: r.staticData }), 1)).toHaveLength(1);
		const after = (await recordRun(r.staticData)).staticData;
		expect(outN(await guard(delta({ snapshot: true }), fewer, { staticData: after }), 1)).toEqual([]);
		// it comes back: it is new again
		const back = await guard(delta({ snapshot: true }), catalogue(), { staticData: after });
		expect(outN(back, 0).map((p) => p.code)).toEqual(['ŚRUBA-M8']);
	});

	it('refuses a snapshot that would delete more than Max Deletions, and skips deletions when records failed', async () => {
		const base = (await recordRun((await guard(delta({ snapshot: true }), catalogue())).staticData)).staticData;
		const nearlyEmpty = await guard(delta({ snapshot: true }), [catalogue()[0]], { staticData: base });
		expect(nearlyEmpty.error?.message).toMatch(
			/would delete 3 of the 4 product records sent before \(more than Max Deletions, 50%\)/,
		);
		const allowed = await guard(delta({ snapshot: true, options: { maxDeletePercent: 100 } }), [catalogue()[0]], {
			staticData: base,
		});
		expect(
			outN(allowed, 1)
				.map((d) => d.code)
				.sort(),
		).toEqual(['GĘŚ-2', 'ŚRUBA-M8', 'ŻUK-7'].sort());

		// one bad record (its key may be the missing one): error item, no deletions this run
		const withBad = [catalogue()[0], catalogue()[1], { code: 'ŚRUBA-M8', name: '' }];
		const r = await guard(delta({ snapshot: true }), withBad, { staticData: base, continueOnFail: true });
		expect(outN(r, 0)).toEqual([
			{ error: expect.stringMatching(/^Item 2: product "ŚRUBA-M8": field "name" is missing/) },
		]);
		expect(outN(r, 1)).toEqual([]);
	});

	it('keys prices and stock by their composite keys; Force Full Resend passes everything', async () => {
		const prices = [
			{ productCode: 'ŁÓD-001', scope: 'priceList', scopeCode: 'HURT', currency: 'PLN', net: '100.00' },
			{
				productCode: 'ŁÓD-001',
				scope: 'priceList',
				scopeCode: 'HURT',
				currency: 'PLN',
				net: '95.00',
				minQuantity: '10',
			},
			{
				productCode: 'ŁÓD-001',
				scope: 'client',
				scopeCode: 'K-ŚWIĘTOKRZYSKA',
				currency: 'PLN',
				net: '90.00',
				validFrom: '2026-12-01',
			},
			{ productCode: 'ŁÓD-001', scope: 'client', scopeCode: 'K-ŚWIĘTOKRZYSKA', currency: 'EUR', net: '21.00' },
		];
		const p = { ...delta({ entity: 'price', snapshot: true }) };
		const first = await guard(p, prices);
		expect(outN(first, 0)).toHaveLength(4);
		const base = (await recordRun(first.staticData)).staticData;
		const changed = prices.map((x) => ({ ...x }));
		changed[1].net = '94.99';
		changed[0].net = '100'; // the same amount written differently
		const r = await guard(p, changed.slice(0, 3).concat(changed.slice(3)), { staticData: base });
		expect(outN(r, 0)).toEqual([changed[1]]);
		const gone = await guard({ ...p, options: { maxDeletePercent: 100 } }, prices.slice(0, 2), { staticData: base });
		expect(outN(gone, 1)).toEqual([
			{
				entity: 'price',
				productCode: 'ŁÓD-001',
				scope: 'client',
				scopeCode: 'K-ŚWIĘTOKRZYSKA',
				currency: 'PLN',
				minQuantity: '1',
				validFrom: '2026-12-01',
				deleted: true,
			},
			{
				entity: 'price',
				productCode: 'ŁÓD-001',
				scope: 'client',
				scopeCode: 'K-ŚWIĘTOKRZYSKA',
				currency: 'EUR',
				minQuantity: '1',
				deleted: true,
			},
		]);

		const stock = [
			{ productCode: 'ŁÓD-001', warehouseCode: 'MAG-ŁÓDŹ', onHand: '10', reserved: '0', available: '10' },
			{ productCode: 'ŁÓD-001', warehouseCode: 'MAG-GDAŃSK', onHand: '5', reserved: '0', available: '5' },
		];
		const s = delta({ entity: 'stock', recordField: 'stan' });
		const sFirst = await guard(
			s,
			stock.map((x) => ({ stan: x, inne: 'ąćęłńóśźż' })),
		);
		expect(outN(sFirst, 0)[0]).toEqual({ stan: stock[0], inne: 'ąćęłńóśźż' });
		const sBase = (await recordRun(sFirst.staticData)).staticData;
		expect(
			outN(
				await guard(
					s,
					stock.map((x) => ({ stan: x })),
					{ staticData: sBase },
				),
				0,
			),
		).toEqual([]);
		const full = await guard(
			{ ...s, options: { fullResend: true } },
			stock.map((x) => ({ stan: x })),
			{ staticData: sBase },
		);
		expect(outN(full, 0)).toHaveLength(2);
		// nothing changed: no pending diff, the static data is not rewritten
		expect(states(full).stock).toEqual(states({ staticData: sBase } as RunNodeResult).stock);
		expect(states(full).stock.pending).toBeUndefined();
	});

	it('ignores the empty item of an ERP read that found nothing (Always Output Data)', async () => {
		const base = (await recordRun((await guard(delta({ snapshot: true }), catalogue())).staticData)).staticData;
		const r = await guard(delta(), [{}], { staticData: base });
		expect(r.error).toBeUndefined();
		expect(outN(r, 0)).toEqual([]);
		// as a snapshot it would delete everything: Max Deletions stops it
		const all = await guard(delta({ snapshot: true }), [{}], { staticData: base });
		expect(all.error?.message).toMatch(/would delete 4 of the 4 product records/);
	});

	it('refuses a key that comes twice, naming both items', async () => {
		const r = await guard(delta(), [catalogue()[0], catalogue()[1], catalogue()[0]]);
		expect(r.error?.message).toBe(
			'Item 2: product "ŁÓD-001" appears twice (input items 0 and 2): each key may come once per run',
		);
		expect(states(r)).toEqual({});
	});
});

const json0 = (r: RunNodeResult) => outN(r, 0)[0];

const buffer = (extra: IDataObject = {}) => ({
	resource: 'stock',
	operation: 'buffer',
	percent: 95,
	subtract: 0,
	minimum: 0,
	quantityDecimals: 0,
	sumWarehouses: false,
	...extra,
});
const stockOf = (code: string, wh: string, available: string, onHand = available, reserved = '0') => ({
	productCode: code,
	warehouseCode: wh,
	onHand,
	reserved,
	available,
});

describe('B2B Sync Guard › Stock Buffer', () => {
	it('shows 95 % by default, rounded down to whole units; keeps onHand and reserved', async () => {
		const r = await guard(buffer(), [
			stockOf('ŁÓD-001', 'MAG-ŁÓDŹ', '100', '120', '20'),
			stockOf('ŻUK-7', 'MAG-ŁÓDŹ', '19'),
			stockOf('GĘŚ-2', 'MAG-ŁÓDŹ', '0'),
			stockOf('ŚRUBA-M8', 'MAG-ŁÓDŹ', '1'),
		]);
		expect(r.error).toBeUndefined();
		expect(outN(r, 0)).toEqual([
			stockOf('ŁÓD-001', 'MAG-ŁÓDŹ', '95', '120', '20'),
			{ ...stockOf('ŻUK-7', 'MAG-ŁÓDŹ', '19'), available: '18' }, // 18.05
			stockOf('GĘŚ-2', 'MAG-ŁÓDŹ', '0'),
			{ ...stockOf('ŚRUBA-M8', 'MAG-ŁÓDŹ', '1'), available: '0' }, // 0.95
		]);
		expect(r.output).toHaveLength(1);
	});

	it('subtracts a fixed quantity, shows 0 below the minimum, never negative, negative ERP stock as 0', async () => {
		const r = await guard(buffer({ percent: 100, subtract: 3, minimum: 5 }), [
			stockOf('A-Ą', 'M', '10'), // 7
			stockOf('B-Ć', 'M', '8'), // 5: at the minimum, shown
			stockOf('C-Ę', 'M', '7'), // 4: below the minimum
			stockOf('D-Ł', 'M', '2'), // -1 → 0
			{ ...stockOf('E-Ń', 'M', '-4', '0'), available: -4 }, // Subiekt allows negative stock
		]);
		expect(outN(r, 0).map((s) => s.available)).toEqual(['7', '5', '0', '0', '0']);
		expect(outN(r, 0)[4]).toMatchObject({ onHand: '0', reserved: '0' });
	});

	it('stock below zero from any source follows the one rule of every ERP read: 0 in the portal, the ERP figures kept', async () => {
		// e.g. a Code node or an older read: on hand -3 (goods issued before the receipt is booked), reserved -1
		const negative = { ...stockOf('ŻÓŁW-9', 'MAG-ŁÓDŹ', '-5', '-3', '-1'), incoming: '-2' };
		const input = [stockOf('ŁÓD-001', 'MAG-ŁÓDŹ', '10'), negative];
		const r = await guard(buffer({ percent: 100 }), input);
		expect(r.error).toBeUndefined();
		expect(outN(r, 0)).toEqual([
			stockOf('ŁÓD-001', 'MAG-ŁÓDŹ', '10'),
			{
				...stockOf('ŻÓŁW-9', 'MAG-ŁÓDŹ', '0', '0', '0'),
				incoming: '0',
				_belowZero: { onHand: '-3', reserved: '-1', available: '-5', incoming: '-2' },
			},
		]);
		// the input item is not changed
		expect(input[1]).toEqual({ ...stockOf('ŻÓŁW-9', 'MAG-ŁÓDŹ', '-5', '-3', '-1'), incoming: '-2' });
	});

	it("rounds with the unit's decimals and exact decimals (no floats)", async () => {
		const r = await guard(buffer({ percent: 97.5, quantityDecimals: 3 }), [
			stockOf('MĄKA-KG', 'M', '12.345'),
			stockOf('ŁAŃCUCH-M', 'M', '0.1'),
		]);
		// 12.345 × 0.975 = 12.036375 → 12.036; 0.1 × 0.975 = 0.0975 → 0.097
		expect(outN(r, 0).map((s) => s.available)).toEqual(['12.036', '0.097']);
		const whole = await guard(buffer({ percent: 33.33 }), [stockOf('X-Ż', 'M', '3')]);
		expect(outN(whole, 0)[0].available).toBe('0'); // 0.9999
	});

	it('sums warehouses per product into one record (code configurable), paired with every source item', async () => {
		const r = await guard(buffer({ sumWarehouses: true, sumWarehouseCode: 'WSZYSTKIE' }), [
			stockOf('ŁÓD-001', 'MAG-ŁÓDŹ', '10', '12', '2'),
			stockOf('ŻUK-7', 'MAG-ŁÓDŹ', '4'),
			stockOf('ŁÓD-001', 'MAG-GDAŃSK', '11.5', '11.5'),
		]);
		expect(outN(r, 0)).toEqual([
			{ productCode: 'ŁÓD-001', warehouseCode: 'WSZYSTKIE', onHand: '23.5', reserved: '2', available: '20' }, // 21.5 × 0.95 = 20.425
			{ productCode: 'ŻUK-7', warehouseCode: 'WSZYSTKIE', onHand: '4', reserved: '0', available: '3' },
		]);
		expect(pairs(r, 0)).toEqual([[{ item: 0 }, { item: 2 }], [{ item: 1 }]]);
	});

	it('passes nothing for the empty item of an ERP read that found nothing', async () => {
		expect(outN(await guard(buffer(), [{}]), 0)).toEqual([]);
		expect(outN(await guard(buffer({ sumWarehouses: true }), [{}]), 0)).toEqual([]);
	});

	it('names the record and the field of bad input; Continue On Fail makes it an error item', async () => {
		const bad = [stockOf('ŁÓD-001', 'MAG-ŁÓDŹ', '10'), { ...stockOf('ŻUK-7', 'MAG-ŁÓDŹ', '5'), onHand: '3,5' }];
		const r = await guard(buffer(), bad);
		expect(r.error?.message).toBe(
			'Item 1: stock "ŻUK-7": field "onHand" must be a decimal number like "12.50", got "3,5"',
		);
		const c = await guard(buffer(), bad, { continueOnFail: true });
		expect(outN(c, 0)).toEqual([{ ...bad[0], available: '9' }, { error: expect.stringMatching(/ŻUK-7/) }]);
		expect(pairs(c, 0)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});

const priceCheck = (extra: IDataObject = {}) => ({
	resource: 'price',
	operation: 'check',
	orderField: 'order',
	pricesField: 'prices',
	clientPriceGroup: '',
	clientPriceList: '',
	toleranceAmount: '0.00',
	tolerancePercent: 0,
	...extra,
});
const CLIENT = 'K-ŚWIĘTOKRZYSKA';
const pr = (scope: string, scopeCode: string, net: string | undefined, extra: object = {}) => ({
	productCode: 'ŁÓD-001',
	scope,
	scopeCode,
	currency: 'PLN',
	...(net === undefined ? {} : { net }),
	...extra,
});
const orderWith = (unitPrice: string, extra: object = {}, quantity = '2') =>
	makeOrder(1, { lines: [{ lineNo: 1, productCode: 'ŁÓD-001', quantity, unitPrice, vatRate: '23' }], ...extra });
type Check = { accepted: boolean; reason?: string; reasonEn?: string; lines: IDataObject[] };
const checkOf = (r: RunNodeResult, i = 0) => outN(r, 0)[i].priceCheck as Check;

describe('B2B Sync Guard › Price Check', () => {
	const all = [
		pr('priceList', 'DETAL', '150.00'),
		pr('priceList', 'DETAL', '140.00', { minQuantity: '10' }),
		pr('clientGroup', 'HURT', '130.00'),
		pr('client', CLIENT, '120.00', { validFrom: '2026-12-01' }), // not yet valid on 2026-11-26
		pr('client', 'K-INNY-ŁÓDŹ', '1.00'), // another client's price
	];

	it('applies client > client group > price list, validity dates and quantity breaks', async () => {
		const params = priceCheck({ clientPriceGroup: 'HURT', clientPriceList: 'DETAL' });
		const cases: Array<[object[], string, string, string]> = [
			[all, '2', '130.00', 'price of client group HURT'],
			[all.filter((p) => p.scope !== 'clientGroup'), '2', '150.00', 'price list DETAL'],
			[all.filter((p) => p.scope !== 'clientGroup'), '12', '140.00', 'price list DETAL from 10'],
			[[...all, pr('client', CLIENT, '110.00', { validTo: '2026-11-30' })], '2', '110.00', 'price of the client'],
			[
				[...all, pr('client', CLIENT, '110.00', { validTo: '2026-11-25' })],
				'2',
				'130.00',
				'price of client group HURT',
			],
			[[...all, pr('clientGroup', 'INNA-GRUPA', '1.00')], '2', '130.00', 'price of client group HURT'],
		];
		for (const [prices, qty, expected, source] of cases) {
			const r = await guard(params, [{ order: orderWith(expected, {}, qty), prices }]);
			expect(r.error).toBeUndefined();
			expect(checkOf(r)).toMatchObject({ accepted: true, lines: [{ erpPrice: expected, source, ok: true }] });
		}
	});

	it('rejects a wrong price with reasons in Polish and English, per line and per order', async () => {
		const order = makeOrder(2, {
			lines: [
				{ lineNo: 1, productCode: 'ŁÓD-001', quantity: '1', unitPrice: '125.00', vatRate: '23' },
				{ lineNo: 2, productCode: 'ŻÓŁW-Ę', quantity: '1', unitPrice: '10.00', vatRate: '8' },
			],
		});
		const r = await guard(priceCheck({ clientPriceGroup: 'HURT' }), [{ order, prices: all, inne: 'zostaje' }]);
		const c = checkOf(r);
		expect(outN(r, 0)[0]).toMatchObject({ inne: 'zostaje', order });
		expect(c.accepted).toBe(false);
		expect(c.reason).toBe(
			'Cena pozycji 1 (ŁÓD-001) różni się od cennika: 125.00 zamiast 130.00 PLN netto; Pozycja 2 (ŻÓŁW-Ę): brak ceny w ERP',
		);
		expect(c.reasonEn).toBe(
			'Line 1 (ŁÓD-001) price differs from the price list: 125.00 instead of 130.00 PLN net; Line 2 (ŻÓŁW-Ę): no price in ERP',
		);
		expect(c.lines[0]).toMatchObject({
			ok: false,
			difference: '-5.00',
			reason: expect.stringMatching(/^Cena pozycji 1/),
			reasonEn: expect.stringMatching(/^Line 1/),
		});
		expect(c.lines[1]).toMatchObject({ ok: false, reason: 'Pozycja 2 (ŻÓŁW-Ę): brak ceny w ERP' });
	});

	it('converts net ↔ gross with the VAT rate, rounding half up to the grosz', async () => {
		// ERP net 10.01 × 1.23 = 12.3123 → 12.31 gross
		const net = [pr('client', CLIENT, '10.01')];
		const g = await guard(priceCheck(), [{ order: orderWith('12.31', { priceType: 'gross' }), prices: net }]);
		expect(checkOf(g)).toMatchObject({ accepted: true, lines: [{ erpPrice: '12.31' }] });
		// ERP gross only: 100.00 / 1.23 = 81.3008… → 81.30 net
		const gross = [pr('client', CLIENT, undefined, { gross: '100.00' })];
		const n = await guard(priceCheck(), [{ order: orderWith('81.30'), prices: gross }]);
		expect(checkOf(n)).toMatchObject({ accepted: true, lines: [{ erpPrice: '81.30' }] });
		// half up: net 0.50 × 1.23 = 0.615 → 0.62 (half even would give 0.62 too; down gives 0.61)
		const half = [pr('client', CLIENT, '0.50')];
		const h = await guard(priceCheck(), [{ order: orderWith('0.62', { priceType: 'gross' }), prices: half }]);
		expect(checkOf(h).accepted).toBe(true);
		const down = await guard(priceCheck({ options: { rounding: 'down' } }), [
			{ order: orderWith('0.62', { priceType: 'gross' }), prices: half },
		]);
		expect(checkOf(down)).toMatchObject({ accepted: false, lines: [{ erpPrice: '0.61' }] });
		// the order's price type is used when the ERP has both
		const both = [pr('client', CLIENT, '10.00', { gross: '12.00' })];
		const b = await guard(priceCheck(), [{ order: orderWith('12.00', { priceType: 'gross' }), prices: both }]);
		expect(checkOf(b)).toMatchObject({ accepted: true, lines: [{ erpPrice: '12.00' }] });
		// a price's own VAT rate wins over the line's for the conversion (zw: no VAT)
		const zw = [pr('client', CLIENT, '50.00', { vatRate: 'zw' })];
		expect(
			checkOf(await guard(priceCheck(), [{ order: orderWith('50.00', { priceType: 'gross' }), prices: zw }])).accepted,
		).toBe(true);
	});

	it('accepts within the tolerance (amount or percent, the larger), rejects beyond', async () => {
		const prices = [pr('client', CLIENT, '200.00')];
		const run = async (unitPrice: string, toleranceAmount: string, tolerancePercent: number) =>
			checkOf(await guard(priceCheck({ toleranceAmount, tolerancePercent }), [{ order: orderWith(unitPrice), prices }]))
				.accepted;
		expect(await run('200.01', '0.01', 0)).toBe(true);
		expect(await run('200.02', '0.01', 0)).toBe(false);
		expect(await run('199.98', '0.01', 0)).toBe(false);
		expect(await run('201.00', '0.01', 0.5)).toBe(true); // 0.5 % of 200 = 1.00
		expect(await run('201.01', '0.01', 0.5)).toBe(false);
		expect(await run('200.0049', '0.00', 0)).toBe(true); // the portal's 4 places round to the grosz
	});

	it('uses only prices in the order currency; names ambiguous price lists; bad price records name the field', async () => {
		const eur = [pr('client', CLIENT, '30.00', { currency: 'EUR' }), pr('priceList', 'DETAL', '150.00')];
		expect(checkOf(await guard(priceCheck(), [{ order: orderWith('150.00'), prices: eur }]))).toMatchObject({
			accepted: true,
			lines: [{ source: 'price list DETAL' }],
		});
		const two = [pr('priceList', 'DETAL', '150.00'), pr('priceList', 'HURT-Ś', '140.00')];
		const amb = await guard(priceCheck(), [{ order: orderWith('150.00'), prices: two }]);
		expect(amb.error?.message).toBe(
			'Item 0: order "B2B/2026/000001": ŁÓD-001: prices of priceList "DETAL", "HURT-Ś" all apply; name the client\'s price list',
		);
		const bad = await guard(priceCheck(), [{ order: orderWith('1.00'), prices: [pr('client', CLIENT, '12,50')] }]);
		expect(bad.error?.message).toBe(
			'Item 0: prices[0]: price "ŁÓD-001": field "net" must be a decimal number like "12.50", got "12,50"',
		);
		const none = await guard(priceCheck(), [{ order: orderWith('1.00') }], { continueOnFail: true });
		expect(outN(none, 0)).toEqual([
			{ error: 'Item 0: no list of prices in field "prices" (put the ERP\'s price records for the client there)' },
		]);
	});
});
