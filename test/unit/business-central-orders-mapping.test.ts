/**
 * Business Central order / invoice mapping (nodes/BusinessCentral/mapping/orders.ts) and refusal table
 * (nodes/BusinessCentral/refusals.ts), without a server.
 */
import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';
import {
	bcDate,
	bcEnum,
	bcInvoiceToCanonical,
	bcOrderStatusOf,
	bcOrderStatusRecord,
	orderToBcSalesOrder,
} from '../../nodes/BusinessCentral/mapping/orders';
import { BC_REFUSAL_RULES } from '../../nodes/BusinessCentral/refusals';
import { classifyRefusal } from '../../nodes/shared/refusal';
import { makeOrder } from '../fixtures/polish';

describe('BC order mapping', () => {
	it('puts the portal number in externalDocumentNumber and the lines as Item lines in the same body', () => {
		const order = makeOrder(1, { clientCode: 'K-10000' });
		expect(orderToBcSalesOrder(order, { sendPrices: true })).toEqual({
			externalDocumentNumber: 'B2B/2026/000001',
			customerNumber: 'K-10000',
			orderDate: '2026-11-26',
			salesOrderLines: [
				// with the portal's prices goes the portal's discount, 0 when none: BC must not add its line discount
				// on top of a price that already has it taken off
				{
					sequence: 10000,
					lineType: 'Item',
					lineObjectNumber: 'ŁÓD-001',
					quantity: 2,
					unitPrice: 129.99,
					discountPercent: 0,
				},
				{
					sequence: 20000,
					lineType: 'Item',
					lineObjectNumber: 'WIO-003',
					quantity: 1,
					unitPrice: 45,
					discountPercent: 0,
				},
			],
		});
		const unpriced = orderToBcSalesOrder(order, { sendPrices: false });
		expect((unpriced.salesOrderLines as Array<Record<string, unknown>>).map((l) => 'unitPrice' in l)).toEqual([
			false,
			false,
		]);
	});

	it('reads enum names and empty dates as BC writes them', () => {
		expect(bcEnum('In_x0020_Review')).toBe('In Review');
		expect(bcEnum('_x0020_')).toBe('');
		expect(bcDate('0001-01-01')).toBeUndefined();
		expect(bcDate('2026-12-01')).toBe('2026-12-01');
	});

	it.each([
		[{ order: { status: 'Draft' }, shipments: [], invoices: [] }, 'confirmed'],
		[{ order: { status: 'In_x0020_Review' }, shipments: [], invoices: [] }, 'confirmed'],
		[{ order: { status: 'Open' }, shipments: [], invoices: [] }, 'confirmed'],
		[{ order: { status: 'Open', fullyShipped: true }, shipments: [], invoices: [] }, 'shipped'],
		[{ order: { status: 'Open' }, shipments: [{ number: 'S1' }], invoices: [] }, 'shipped'],
		[{ shipments: [{ number: 'S1' }], invoices: [{ number: 'F1', status: 'Open' }] }, 'invoiced'],
		[{ shipments: [{ number: 'S1' }], invoices: [{ number: 'F1', status: 'Paid' }] }, 'invoiced'],
		[{ order: { status: 'Open' }, shipments: [], invoices: [{ number: 'F1', status: 'Canceled' }] }, 'confirmed'],
		[{ shipments: [], invoices: [] }, undefined],
	])('status of %j is %s', (docs, status) => {
		expect(bcOrderStatusOf(docs as never)).toBe(status);
	});

	it('a status record names the BC order (from the posted invoice once BC deleted the order) and the newest change', () => {
		const rec = bcOrderStatusRecord('B2B/1', {
			shipments: [{ number: '102001', orderNumber: '101001', lastModifiedDateTime: '2026-11-26T10:00:00Z' }],
			invoices: [
				{ number: '103001', orderNumber: '101001', status: 'Open', lastModifiedDateTime: '2026-11-26T11:00:00Z' },
			],
		});
		expect(rec).toEqual({
			orderNumber: 'B2B/1',
			status: 'invoiced',
			erpDocumentNumber: '101001',
			changedAt: '2026-11-26T11:00:00Z',
			shipmentNumbers: ['102001'],
			invoiceNumbers: ['103001'],
		});
	});

	it('maps a posted invoice to the canonical invoice (net = gross − tax, due date, the portal number)', () => {
		expect(
			bcInvoiceToCanonical(
				{
					id: 'a1',
					number: '103001',
					externalDocumentNumber: 'B2B/1',
					orderNumber: '101001',
					customerNumber: 'K-1',
					invoiceDate: '2026-11-26',
					dueDate: '2026-12-10',
					currencyCode: '',
					totalAmountIncludingTax: 123,
					totalTaxAmount: 23,
					remainingAmount: 123,
					status: 'Open',
				},
				{ numberPrefix: 'FV ' },
			),
		).toMatchObject({
			number: 'FV 103001',
			orderNumber: 'B2B/1',
			bcOrderNumber: '101001',
			clientCode: 'K-1',
			issueDate: '2026-11-26',
			dueDate: '2026-12-10',
			currency: 'PLN',
			totals: { net: '100.00', vat: '23.00', gross: '123.00' },
		});
	});
});

describe('BC refusals', () => {
	const node = { name: 'BC', type: 'businessCentral' } as INode;
	// the error requestWithRetry throws: HTTP status in httpCode, BC's body extracted in `extracted`
	const classify = (status: number, code: string, message: string) => {
		const e = new NodeApiError(node, { message } as JsonObject, { httpCode: String(status), message });
		Object.assign(e, { extracted: { code, message, details: [] } });
		return classifyRefusal(e, 'Business Central', BC_REFUSAL_RULES);
	};

	it.each([
		[
			400,
			'Application_DialogException',
			'You cannot create this type of document when Customer 10000 is blocked with type All  CorrelationId: x.',
			true,
		],
		[
			400,
			'Internal_RecordNotFound',
			"The Item does not exist. Identification fields and values: No.='X'  CorrelationId: x.",
			true,
		],
		[
			400,
			'Application_DialogException',
			"Blocked must be equal to 'No' in Item: No.=1000. Current value is 'Yes'.",
			true,
		],
		[409, 'Request_EntityChanged', 'Another user has already changed the record.', false],
		[
			400,
			'Application_DialogException',
			"We can't save your changes right now, because a record in table 'Sales Header' is being updated in a transaction done by another session.",
			false,
		],
		[500, 'Internal_ServerError', 'Something went wrong.', false],
	])('HTTP %s %s "%s" → final %s', (status, code, message, final) => {
		expect(classify(status, code, message).final).toBe(final);
	});
});
