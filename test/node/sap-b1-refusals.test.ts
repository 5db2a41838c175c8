/**
 * Orders SAP can never take (issue: "an order that can never succeed loops for ever"), through n8n-core against
 * the SAP simulator on 127.0.0.1:
 *  - Check Prices refuses a client SAP will not sell to (missing, supplier, frozen, inactive) and a product it will
 *    not sell (missing, not a sales item, frozen, inactive), naming the card or item in Polish and English — a
 *    missing card used to be priced from price list 1 and accepted;
 *  - Create classifies what SAP answers: final (no retry can change it) or temporary (retried, then rejected).
 */
import type { IDataObject } from 'n8n-workflow';
import { makeOrder } from '../fixtures/polish';
import { startSapSimulator, type SapSimulator } from '../simulators/sap-b1/server';
import { out, runSap, sapCredential } from './sap-helpers';

let sim: SapSimulator;
beforeAll(async () => {
	sim = await startSapSimulator({
		seed: { items: 60, customers: 8, specialPrices: 10, seed: 11 },
		clock: { start: '2026-11-26T09:00:00Z', frozen: true },
		loginDelayMs: 5,
	});
});
afterAll(async () => sim.close());
beforeEach(() => sim.reset());
afterEach(() => expect(sim.crashes).toEqual([]));

const customers = () =>
	[...sim.state.partners.values()].filter(
		(p) => p.CardType === 'cCustomer' && p.Valid === 'tYES' && p.Frozen !== 'tYES',
	);
const sellable = () =>
	[...sim.state.items.values()].filter(
		(i) => i.Valid === 'tYES' && i.Frozen !== 'tYES' && sim.state.stockOf(i.ItemCode, i.DefaultWarehouse).InStock >= 5,
	);
/** the price-list-1 price of an item, as a portal would show it to a client on list 1 */
const list1Price = (code: string) =>
	(sim.state.priceOf(sim.state.items.get(code)!, sim.state.priceListOrder[0]).grosze / 100).toFixed(2);

const checkPrices = {
	resource: 'order',
	operation: 'checkPrices',
	orderField: '',
	toleranceAmount: '100000',
	tolerancePercent: 0,
};
const create = { resource: 'order', operation: 'create', orderField: '', warehouse: '', dueInDays: 7 };

async function check(order: IDataObject) {
	const r = await runSap(sapCredential(sim), checkPrices, { items: [{ json: order }] });
	expect(r.error).toBeUndefined();
	return out(r)[0].priceCheck as IDataObject & { lines: IDataObject[] };
}

describe('SAP Check Prices › clients SAP will not sell to are refused before any price', () => {
	it('a card SAP does not know is rejected naming it (it used to be priced from price list 1 and accepted)', async () => {
		const [item] = sellable();
		const order = makeOrder(1, {
			clientCode: 'KLIENT-ŹDŹBŁO-404',
			lines: [
				{ lineNo: 1, productCode: item.ItemCode, quantity: '1', unitPrice: list1Price(item.ItemCode), vatRate: '23' },
			],
		});
		const pc = await check(order as never);
		expect(pc).toMatchObject({
			accepted: false,
			reason: 'Klient KLIENT-ŹDŹBŁO-404 nie istnieje w SAP',
			reasonEn: 'Client KLIENT-ŹDŹBŁO-404 does not exist in SAP',
			client: { code: 'KLIENT-ŹDŹBŁO-404', problem: 'missing' },
		});
		// nothing priced for a client that could not be read
		expect(sim.requests.filter((r) => r.path.startsWith('/SpecialPrices'))).toEqual([]);
	});

	it.each([
		[
			'a supplier',
			(code: string): void => void (sim.state.partners.get(code)!.CardType = 'cSupplier'),
			'nie jest w SAP odbiorcą (np. dostawca)',
			'notCustomer',
		],
		[
			'a frozen customer',
			(code: string): void => void (sim.state.partners.get(code)!.Frozen = 'tYES'),
			'jest zablokowany w SAP',
			'blocked',
		],
		[
			'an inactive customer',
			(code: string): void => void (sim.state.partners.get(code)!.Valid = 'tNO'),
			'jest nieaktywny w SAP',
			'inactive',
		],
	] as const)('%s is rejected with the reason', async (_what, spoil, text, problem) => {
		const bp = customers()[0];
		spoil(bp.CardCode);
		const [item] = sellable();
		const pc = await check(
			makeOrder(2, {
				clientCode: bp.CardCode,
				lines: [{ lineNo: 1, productCode: item.ItemCode, quantity: '1', unitPrice: '1.00', vatRate: '23' }],
			}) as never,
		);
		expect(pc).toMatchObject({ accepted: false, reason: `Klient ${bp.CardCode} ${text}`, client: { problem } });
	});
});

describe('SAP Check Prices › products SAP will not sell refuse their line', () => {
	it('unknown, not-for-sale, frozen and inactive items each name the line and the item; a good line is still priced', async () => {
		const bp = customers()[0];
		const [good, notSold, frozen, inactive] = sellable();
		sim.state.items.get(notSold.ItemCode)!.SalesItem = 'tNO';
		sim.state.items.get(frozen.ItemCode)!.Frozen = 'tYES';
		sim.state.items.get(inactive.ItemCode)!.Valid = 'tNO';
		const line = (lineNo: number, productCode: string) => ({
			lineNo,
			productCode,
			quantity: '1',
			unitPrice: '1.00',
			vatRate: '23',
		});
		const pc = await check(
			makeOrder(3, {
				clientCode: bp.CardCode,
				lines: [
					line(1, good.ItemCode),
					line(2, 'TOWAR-ŻÓŁW-404'),
					line(3, notSold.ItemCode),
					line(4, frozen.ItemCode),
					line(5, inactive.ItemCode),
				],
			}) as never,
		);
		expect(pc.accepted).toBe(false);
		expect(pc.lines.map((l) => [l.lineNo, l.ok, l.reasonEn])).toEqual([
			[1, true, undefined],
			[2, false, 'Line 2: product TOWAR-ŻÓŁW-404 does not exist in SAP'],
			[3, false, `Line 3: product ${notSold.ItemCode} is not a sales item in SAP`],
			[4, false, `Line 4: product ${frozen.ItemCode} is blocked (frozen) in SAP`],
			[5, false, `Line 5: product ${inactive.ItemCode} is inactive in SAP`],
		]);
		expect(pc.reason).toContain('Pozycja 2: produkt TOWAR-ŻÓŁW-404 nie istnieje w SAP');
		expect(pc.reason).toContain(`Pozycja 3: produkt ${notSold.ItemCode} nie jest w SAP towarem sprzedaży`);
	});

	it('reads each client and item once per run, however many orders name them', async () => {
		const bp = customers()[0];
		const [a] = sellable();
		const orders = [1, 2, 3].map((n) =>
			makeOrder(10 + n, {
				clientCode: bp.CardCode,
				lines: [{ lineNo: 1, productCode: a.ItemCode, quantity: '1', unitPrice: '1.00', vatRate: '23' }],
			}),
		);
		const r = await runSap(sapCredential(sim), checkPrices, { items: orders.map((o) => ({ json: o as never })) });
		expect(r.error).toBeUndefined();
		expect(sim.requests.filter((q) => q.path.startsWith('/BusinessPartners('))).toHaveLength(1);
		expect(sim.requests.filter((q) => q.path.startsWith('/Items('))).toHaveLength(1);
	});
});

describe('SAP Create › what SAP refuses is classified', () => {
	const createWith = async (order: IDataObject): Promise<IDataObject & { refusal?: IDataObject }> => {
		const r = await runSap(sapCredential(sim), create, { items: [{ json: order }], continueOnFail: true });
		const o = out(r)[0];
		return { ...o, refusal: (o.details as IDataObject | undefined)?.refusal as IDataObject | undefined };
	};
	const goodOrder = (n: number, overrides: IDataObject = {}) => {
		const [a] = sellable();
		return makeOrder(n, {
			clientCode: customers()[0].CardCode,
			lines: [{ lineNo: 1, productCode: a.ItemCode, quantity: '1', unitPrice: '10.00', vatRate: '23' }],
			...overrides,
		}) as unknown as IDataObject;
	};

	it("an unknown business partner is final, with the rule and SAP's message in the reason", async () => {
		const o = await createWith({ ...goodOrder(20), clientCode: 'NIE-MA-TAKIEGO-Ż' });
		expect(o.error).toMatch(/Invalid BP code/);
		expect(o.refusal).toMatchObject({
			final: true,
			code: '-10',
			httpStatus: 400,
			rule: expect.stringContaining('unknown or blocked'),
			reason: expect.stringMatching(/^SAP odrzucił zamówienie: Invalid BP code/),
			reasonEn: expect.stringMatching(/^SAP refused the order: Invalid BP code/),
		});
	});

	it('an item that is not a sales item is final', async () => {
		const order = goodOrder(21);
		const code = (order.lines as IDataObject[])[0].productCode as string;
		sim.state.items.get(code)!.SalesItem = 'tNO';
		const o = await createWith(order);
		expect(o.refusal).toMatchObject({
			final: true,
			code: '-10',
			message: expect.stringContaining('is not a sales item'),
		});
		expect(sim.state.findOrdersByNumAtCard(order.number as string)).toEqual([]);
	});

	it('SAP unavailable until the retries run out (503) is temporary', async () => {
		sim.faults.add({ method: 'POST', path: /^\/Orders$/, kind: 'status', status: 503, times: 10 });
		const o = await createWith(goodOrder(22));
		expect(o.refusal).toMatchObject({ final: false, httpStatus: 503, rule: expect.stringContaining('HTTP 503') });
	});

	it('a code SAP does not document (-1 "general error") is temporary: retried, then rejected, never for ever', async () => {
		sim.faults.add({ method: 'POST', path: /^\/Orders$/, kind: 'status', status: 400, times: 1 });
		const o = await createWith(goodOrder(23));
		expect(o.refusal).toMatchObject({ final: false, code: '-1', rule: expect.stringContaining('unknown SAP code -1') });
	});

	it('the refusal is beside the error message only on error items; a created order has none', async () => {
		const o = await createWith(goodOrder(24));
		expect(o).toMatchObject({ action: 'created' });
		expect(o.refusal).toBeUndefined();
	});
});
