/**
 * Does Subiekt GT sell to this order's client and its products? Read from SQL Server before the order is handed
 * over as an EDI++ file: Subiekt imports such a file later and answers nothing, so an unknown or blocked client
 * or an unknown product would otherwise be found only by someone reading Subiekt's import log, while the portal
 * shows the order as handed over. One `orderClient` query per order and one `orderProduct` query per line
 * (named, guarded SELECTs: sql/queries.ts); the answer is `orderCheck` on the item, with the reasons every ERP's
 * check uses (nodes/shared/refusal.ts), so the template rejects the order with them before any file is written.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forEachItem } from '../../../shared/items';
import { allowedVatRatesOption } from '../../../shared/options';
import { orderFieldProperty, orderFromItem } from '../../../shared/orders';
import { sqlOptions } from '../../../shared/sql/common';
import { summariseOrderCheck } from '../../../shared/refusal';
import { orderClientProblem, orderProductProblem } from '../../sql/mapping';
import { withSubiektSql } from '../sqlCommon';

export const description: INodeProperties[] = [
	orderFieldProperty({ show: { resource: ['orderStatus'], operation: ['check'] } }),
	sqlOptions('orderStatus', ['check'], [allowedVatRatesOption]),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await withSubiektSql(this, async (sql) => {
		return await forEachItem(this, items, async (i) => {
			const order = orderFromItem(this, items[i], i);
			const context = (what: string) => ({ itemIndex: i, action: `Checking ${what} of order ${order.number}` });
			const [clientRow] = await sql.query(
				'orderClient',
				{ clientCode: order.clientCode },
				context(`client ${order.clientCode}`),
			);
			const clientProblem = orderClientProblem(clientRow);
			const lines = [];
			// a client Subiekt will not sell to refuses the whole order: its lines are not read
			if (!clientProblem)
				for (const line of order.lines) {
					const [productRow] = await sql.query(
						'orderProduct',
						{ productCode: line.productCode },
						context(`line ${line.lineNo} (${line.productCode})`),
					);
					lines.push({ lineNo: line.lineNo, productCode: line.productCode, problem: orderProductProblem(productRow) });
				}
			const orderCheck = summariseOrderCheck('Subiekt GT', { code: order.clientCode, problem: clientProblem }, lines);
			return { json: { ...items[i].json, orderCheck } };
		});
	});
}
