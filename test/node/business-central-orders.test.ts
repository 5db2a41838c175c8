/**
 * Business Central orders and invoices through n8n-core against the BC simulator on 127.0.0.1 (SaaS credential,
 * token from the simulator's login host): create once (lost answer, second run, posted and deleted order),
 * refusals classified per item, order status from orders + posted shipments and invoices, invoices with PDFs.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { BusinessCentral } from '../../nodes/BusinessCentral/BusinessCentral.node';
import { BusinessCentralApi } from '../../credentials/BusinessCentralApi.credentials';
import { makeOrder } from '../fixtures/polish';
import { runNode, type RunNodeResult } from '../harness/n8n-core-harness';
import { startBusinessCentralSimulator } from '../simulators/business-central/server';
import { salesControl } from '../simulators/business-central/sales';

type Sim = Awaited<ReturnType<typeof startBusinessCentralSimulator>>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const FAST = { maxRetries: 3, retryBaseDelayMs: 5, retryMaxDelayMs: 20, timeoutSeconds: 10 };

let sim: Sim;
beforeAll(async () => {
	sim = await startBusinessCentralSimulator({ clock: { start: '2026-11-26T09:00:00Z' } });
});
afterAll(async () => sim.close());

const credential = (): IDataObject => ({
	tenantId: sim.tenant,
	environment: sim.environment,
	company: sim.company.name,
	clientId: sim.clientId,
	clientSecret: sim.clientSecret,
	apiHost: sim.apiHost,
	loginHost: sim.loginHost,
	accessToken: '',
});

async function run(
	parameters: INodeParameters,
	opts: { items?: INodeExecutionData[]; staticData?: IDataObject; continueOnFail?: boolean } = {},
): Promise<RunNodeResult> {
	return await runNode({
		nodeType: new BusinessCentral(),
		parameters: {
			authentication: 'businessCentralApi',
			...parameters,
			options: { ...FAST, ...((parameters.options as IDataObject) ?? {}) },
		},
		inputItems: opts.items,
		staticData: opts.staticData,
		continueOnFail: opts.continueOnFail,
		credentials: {
			businessCentralApi: { type: new BusinessCentralApi(), data: credential() as ICredentialDataDecryptedObject },
		},
	});
}

const out = (r: RunNodeResult): IDataObject[] => (r.output?.[0] ?? []).map((i) => i.json);
const company = () => sim.ctx.company(sim.company.id)!;
const sellable = () => company().items.filter((i) => !i.blocked);
const customers = () => company().customers.filter((c) => c.blocked === ' ');
const sales = () => salesControl(sim);
const ordersOf = (number: string) =>
	sales()
		.state()
		.orders.filter((o) => o.externalDocumentNumber === number);

function order(n: number, overrides: IDataObject = {}): IDataObject {
	const [a, b] = sellable();
	return makeOrder(n, {
		clientCode: customers()[0].number,
		lines: [
			{ lineNo: 1, productCode: a.number, quantity: '2', unitPrice: '10.00', vatRate: '23' },
			{ lineNo: 2, productCode: b.number, quantity: '1', unitPrice: '7.50', vatRate: '23' },
		],
		...overrides,
	}) as unknown as IDataObject;
}

const create = { resource: 'order', operation: 'create', orderField: '' };

describe('Business Central › order create', () => {
	it('creates the sales order once: the portal number in externalDocumentNumber, Item lines, a second run finds it', async () => {
		const o = order(1);
		const first = await run(create, { items: [{ json: o }] });
		expect(first.error).toBeUndefined();
		expect(out(first)[0]).toMatchObject({
			orderNumber: o.number,
			action: 'created',
			erpDocumentNumber: expect.stringMatching(/^\d+$/),
			bcStatus: 'Draft',
		});
		const [saved] = ordersOf(String(o.number));
		const lines = sales()
			.state()
			.lines.filter((l) => l.documentId === saved.id);
		expect(lines.map((l) => [l.lineType, l.lineObjectNumber, l.quantity, l.unitPrice])).toEqual([
			['Item', sellable()[0].number, 2, 10],
			['Item', sellable()[1].number, 1, 7.5],
		]);
		const again = await run(create, { items: [{ json: o }] });
		expect(out(again)[0]).toMatchObject({ action: 'existing', erpDocumentId: saved.id });
		expect(ordersOf(String(o.number))).toHaveLength(1);
	});

	it('after a lost answer looks the order up instead of creating a second one', async () => {
		const o = order(2);
		sales().loseOrderAnswers(1);
		const r = await run(create, { items: [{ json: o }] });
		expect(r.error).toBeUndefined();
		expect(out(r)[0]).toMatchObject({ orderNumber: o.number, action: 'created' });
		expect(ordersOf(String(o.number))).toHaveLength(1);
		const posts = sim.requests.filter((q: Any) => q.method === 'POST' && /\/salesOrders$/.test(q.path));
		expect(posts.length).toBeGreaterThanOrEqual(2);
	});

	it('finds an order BC already invoiced and deleted (through its posted invoice) instead of creating it again', async () => {
		const o = order(3);
		const first = await run(create, { items: [{ json: o }] });
		const id = String(out(first)[0].erpDocumentId);
		const invoice = sales().shipAndInvoice(id).invoice;
		expect(ordersOf(String(o.number))).toHaveLength(0);
		const again = await run(create, { items: [{ json: o }] });
		expect(out(again)[0]).toMatchObject({
			action: 'existing',
			erpDocumentNumber: out(first)[0].erpDocumentNumber,
			invoiceNumber: invoice.number,
		});
		expect(ordersOf(String(o.number))).toHaveLength(0);
	});

	it("refuses a blocked customer and an unknown item as final, per item, with BC's reason; the good order of the same run is created", async () => {
		const blocked = customers()[1];
		const was = blocked.blocked;
		blocked.blocked = 'All';
		try {
			const bad = order(4, { clientCode: blocked.number });
			const unknown = order(5);
			(unknown.lines as IDataObject[])[1].productCode = 'NIE-MA-TAKIEGO-Ż';
			const good = order(6);
			const r = await run(create, {
				items: [{ json: bad }, { json: unknown }, { json: good }],
				continueOnFail: true,
			});
			const items = r.output?.[0] ?? [];
			expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			const [a, b, c] = items.map((i) => i.json);
			const refusal = (x: IDataObject) => (x.details as IDataObject).refusal as IDataObject;
			expect(refusal(a)).toMatchObject({
				final: true,
				httpStatus: 400,
				reason: expect.stringContaining(
					`Business Central odrzucił zamówienie: You cannot create this type of document when Customer ${blocked.number} is blocked with type All`,
				),
				rule: expect.stringContaining('unknown or blocked'),
			});
			expect(refusal(b)).toMatchObject({
				final: true,
				code: 'Internal_RecordNotFound',
				reasonEn: expect.stringContaining(
					"The Item does not exist. Identification fields and values: No.='NIE-MA-TAKIEGO-Ż'",
				),
			});
			expect(c).toMatchObject({ orderNumber: good.number, action: 'created' });
			expect(ordersOf(String(bad.number))).toHaveLength(0);
			expect(ordersOf(String(unknown.number))).toHaveLength(0); // one transaction: no half order
		} finally {
			blocked.blocked = was;
		}
	});

	it("refuses a portal number longer than BC's 35-character External Document No. before sending anything", async () => {
		const o = order(7, { number: `B2B/${'9'.repeat(40)}` });
		const before = sim.requests.length;
		const r = await run(create, { items: [{ json: o }], continueOnFail: true });
		expect(out(r)[0].error).toMatch(/at most 35/);
		expect(((out(r)[0].details as IDataObject).refusal as IDataObject).final).toBe(true);
		expect(sim.requests.slice(before).filter((q: Any) => q.method === 'POST')).toEqual([]);
	});
});

describe('Business Central › order status', () => {
	const getStatus = (number: string) =>
		run({ resource: 'order', operation: 'getStatus', orderNumber: number }, { items: [{ json: {} }] });

	it('Draft, In Review, Open → confirmed, a shipment → shipped, shipAndInvoice → invoiced (order deleted), none → placed + notInBusinessCentral', async () => {
		const o = order(10);
		const created = out(await run(create, { items: [{ json: o }] }))[0];
		const id = String(created.erpDocumentId);
		const number = String(o.number);
		expect(out(await getStatus(number))[0]).toMatchObject({ status: 'confirmed', bcStatus: 'Draft' });
		sales().requestApproval(id);
		expect(out(await getStatus(number))[0]).toMatchObject({ status: 'confirmed', bcStatus: 'In Review' });
		sales().release(id);
		expect(out(await getStatus(number))[0]).toMatchObject({
			status: 'confirmed',
			bcStatus: 'Open',
			erpDocumentNumber: created.erpDocumentNumber,
		});
		const line = sales()
			.state()
			.lines.find((l) => l.documentId === id)!;
		const shipment = sales().ship(id, { [line.id]: 1 });
		expect(out(await getStatus(number))[0]).toMatchObject({ status: 'shipped', shipmentNumbers: [shipment.number] });
		const { invoice } = sales().shipAndInvoice(id);
		const done = out(await getStatus(number))[0];
		expect(done).toMatchObject({
			status: 'invoiced',
			erpDocumentNumber: created.erpDocumentNumber,
			invoiceNumbers: [invoice.number],
		});
		expect(done.bcStatus).toBeUndefined(); // BC deleted the order: the posted documents tell
		expect(out(await getStatus('B2B/2026/NIGDY'))[0]).toEqual({
			orderNumber: 'B2B/2026/NIGDY',
			status: 'placed',
			notInBusinessCentral: true,
		});
	});

	it('Get Status Changes lists the portal orders whose order or invoice changed since the cursor, not the others', async () => {
		const a = order(11);
		const b = order(12);
		const ca = out(await run(create, { items: [{ json: a }] }))[0];
		await run(create, { items: [{ json: b }] });
		const staticData: IDataObject = {};
		const changes = { resource: 'order', operation: 'getStatusChanges', cursorMode: 'explicit' };
		sim.clock.advance(60_000);
		const since = new Date(sim.clock.now()).toISOString().slice(0, 19).replace('T', ' ');
		sim.clock.advance(60_000);
		sales().shipAndInvoice(String(ca.erpDocumentId));
		const r = await run({ ...changes, since }, { staticData });
		expect(r.error).toBeUndefined();
		// a is invoiced after the cursor; b (created before it, untouched since) is not listed. Shipments are read by
		// posting day, so other orders shipped that day are listed again (harmless, documented)
		const listed = out(r);
		expect(listed).toContainEqual(expect.objectContaining({ orderNumber: a.number, status: 'invoiced' }));
		expect(listed.map((s) => s.orderNumber)).not.toContain(b.number);
	});
});

describe('Business Central › invoices', () => {
	it('gives the invoices of portal orders with the PDF as binary data (Polish by default, English on request)', async () => {
		const o = order(20);
		const created = out(await run(create, { items: [{ json: o }] }))[0];
		const { invoice } = sales().shipAndInvoice(String(created.erpDocumentId));
		const params = {
			resource: 'invoice',
			operation: 'getMany',
			cursorMode: 'all',
			orderNumber: String(o.number),
			downloadPdf: true,
			binaryPropertyName: 'data',
		};
		const r = await run(params);
		expect(r.error).toBeUndefined();
		const items = r.output?.[0] ?? [];
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			number: invoice.number,
			orderNumber: o.number,
			clientCode: o.clientCode,
			issueDate: invoice.invoiceDate,
			dueDate: invoice.dueDate,
			currency: 'PLN',
			totals: {
				gross: invoice.totalAmountIncludingTax.toFixed(2),
				vat: invoice.totalTaxAmount.toFixed(2),
				net: invoice.totalAmountExcludingTax.toFixed(2),
			},
			pdfBinaryProperty: 'data',
		});
		const bin = items[0].binary!.data;
		expect(bin).toMatchObject({ mimeType: 'application/pdf', fileName: `FV_${invoice.number}.pdf` });
		const pdf = Buffer.from(bin.data, 'base64');
		expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(pdf.toString('utf8')).toContain(`Faktura sprzedaży ${invoice.number}`);

		// every portal order's invoices (external document number not empty), without PDFs
		const all = await run({ ...params, orderNumber: '', downloadPdf: false });
		expect(all.error).toBeUndefined();
		expect(out(all).map((i) => i.number)).toContain(invoice.number);
		expect((all.output?.[0] ?? []).every((i) => i.binary === undefined)).toBe(true);

		const en = await run({ ...params, options: { pdfLanguage: 'en-US' } });
		const enPdf = Buffer.from((en.output?.[0] ?? [])[0].binary!.data.data, 'base64');
		expect(enPdf.toString('utf8')).toContain(`Sales Invoice ${invoice.number}`);
	});
});

describe('Business Central › check prices', () => {
	const checkPrices = {
		resource: 'order',
		operation: 'checkPrices',
		orderField: '',
		toleranceAmount: '0.00',
		tolerancePercent: 0,
	};
	const priceCheckOf = async (o: IDataObject) => {
		const r = await run(checkPrices, { items: [{ json: o }] });
		expect(r.error).toBeUndefined();
		return out(r)[0].priceCheck as IDataObject & { lines: IDataObject[] };
	};

	it("takes BC's best price: the lowest line for the customer, its price group or all customers (quantity breaks), else the item card", async () => {
		const st = sim.state;
		const [x, y] = sellable().slice(5, 7);
		const [mine, grouped] = customers().slice(2, 4);
		// only the lines set here apply to these two items
		company().priceListLines = company().priceListLines.filter((l) => l.assetNo !== x.number && l.assetNo !== y.number);
		st.addPriceListLine({ assetNo: x.number, unitPrice: 100, priceListCode: 'OGÓLNA' });
		st.addPriceListLine({ assetNo: x.number, unitPrice: 90, sourceType: 'Customer', sourceNo: mine.number });
		st.addPriceListLine({
			assetNo: x.number,
			unitPrice: 95,
			sourceType: 'Customer Price Group',
			sourceNo: 'HURT',
			minimumQuantity: 10,
		});
		st.setCustomerPricing(grouped.number, { customerPriceGroup: 'HURT' });
		st.modifyItem(x.number, { unitPrice: 150, priceIncludesTax: false });
		st.modifyItem(y.number, { unitPrice: 12.34, priceIncludesTax: false });
		const line = (lineNo: number, code: string, quantity: string, unitPrice: string) => ({
			lineNo,
			productCode: code,
			quantity,
			unitPrice,
			vatRate: '23',
		});

		const own = await priceCheckOf(
			order(30, { clientCode: mine.number, lines: [line(1, x.number, '1', '90.00'), line(2, y.number, '1', '12.34')] }),
		);
		expect(own).toMatchObject({ accepted: true });
		expect(own.lines.map((l) => [l.erpPrice, l.source])).toEqual([
			['90.00', 'price of the customer'],
			['12.34', 'unit price of the item card'],
		]);

		const small = await priceCheckOf(
			order(31, { clientCode: grouped.number, lines: [line(1, x.number, '1', '95.00')] }),
		);
		expect(small).toMatchObject({ accepted: false, lines: [{ erpPrice: '100.00', source: 'price list BASE' }] });
		expect(small.reason).toBe(`Cena pozycji 1 (${x.number}) różni się od cennika: 95.00 zamiast 100.00 PLN netto`);
		// the item card's price competes with the lines (Get Many sends the lower of the two on the same list)
		const [z] = sellable().slice(9, 10);
		company().priceListLines = company().priceListLines.filter((l) => l.assetNo !== z.number);
		st.addPriceListLine({ assetNo: z.number, unitPrice: 10 });
		st.modifyItem(z.number, { unitPrice: 8, priceIncludesTax: false });
		const card = await priceCheckOf(order(35, { clientCode: mine.number, lines: [line(1, z.number, '1', '8.00')] }));
		expect(card).toMatchObject({
			accepted: true,
			lines: [{ erpPrice: '8.00', source: 'unit price of the item card' }],
		});
		const big = await priceCheckOf(
			order(32, { clientCode: grouped.number, lines: [line(1, x.number, '10', '95.00')] }),
		);
		expect(big).toMatchObject({
			accepted: true,
			lines: [{ erpPrice: '95.00', source: 'price of customer price group HURT from 10' }],
		});
	});

	it('refuses a blocked customer before any price, and a blocked or unknown item per line', async () => {
		const [x, y] = sellable().slice(7, 9);
		const blockedCustomer = customers()[4];
		sim.state.modifyCustomer(blockedCustomer.number, { blocked: 'Ship' });
		const whole = await priceCheckOf(
			order(33, {
				clientCode: blockedCustomer.number,
				lines: [{ lineNo: 1, productCode: x.number, quantity: '1', unitPrice: '1.00', vatRate: '23' }],
			}),
		);
		expect(whole).toMatchObject({
			accepted: false,
			reason: `Klient ${blockedCustomer.number} jest zablokowany w Business Central`,
			client: { code: blockedCustomer.number, problem: 'blocked' },
		});
		sim.state.modifyItem(y.number, { blocked: true });
		const perLine = await priceCheckOf(
			order(34, {
				lines: [
					{ lineNo: 1, productCode: y.number, quantity: '1', unitPrice: '1.00', vatRate: '23' },
					{ lineNo: 2, productCode: 'NIE-MA-Ż', quantity: '1', unitPrice: '1.00', vatRate: '23' },
				],
			}),
		);
		expect(perLine.accepted).toBe(false);
		expect(perLine.lines.map((l) => l.reason)).toEqual([
			`Pozycja 1: produkt ${y.number} jest zablokowany w Business Central`,
			'Pozycja 2: produkt NIE-MA-Ż nie istnieje w Business Central',
		]);
	});
});
