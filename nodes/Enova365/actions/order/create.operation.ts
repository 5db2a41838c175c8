/**
 * A canonical portal order → an enova365 ZO (customer order), once. The portal number goes into `Obcy.Numer`
 * (`ObcyNumer`, unique per contractor, key WgKontrahentaObcy). Before posting, the node asks FindZO; a ZO found
 * (not cancelled) is returned instead of a second one. AddZO is never blindly re-sent after a lost answer: the
 * node asks FindZO again and posts only if enova has no such ZO (shared createOnce); two runs of this process
 * handling the same order take turns (shared oneAtATime). The add-on's own check (an existing ZO with this
 * ObcyNumer and the same lines → that one, `Istnial: true`) is the guard across processes.
 *
 * When enova does not create it, the item goes to the error output with `details.refusal` (../../refusals.ts):
 * final for an unknown or blocked contractor or product, temporary for locks, conflicts and server errors.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { createEachOrder, createOnce, oneAtATime, orderFieldProperty, orderFromItem } from '../../../shared/orders';
import { renewClaimProperty } from '../../../shared/claimRenewal';
import { allowedVatRatesOption } from '../../../shared/options';
import { orderToZo } from '../../mapping';
import { ENOVA_REFUSAL_RULES } from '../../refusals';
import { enovaCall } from '../../transport';
import { enovaOptions, readEnovaOptions, type EnovaOptions } from '../common';

const show = { show: { resource: ['order'], operation: ['create'] } };

export const description: INodeProperties[] = [
	orderFieldProperty(show),
	renewClaimProperty(show),
	{
		displayName: 'Warehouse Name or ID',
		name: 'warehouse',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getOrderWarehouses' },
		default: '',
		description:
			'Warehouse (Magazyn) of the ZO when the order\'s lines name none; empty = the add-on\'s default. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: show,
	},
	enovaOptions('order', ['create'], [allowedVatRatesOption]),
];

/** The ZO of a portal order (FindZO by Obcy.Numer and contractor), not cancelled; undefined when there is none. */
export async function findZo(
	ctx: IExecuteFunctions,
	number: string,
	clientCode: string,
	opts: EnovaOptions,
	itemIndex: number,
): Promise<IDataObject | undefined> {
	const body = await enovaCall(ctx, {
		method: 'FindZO',
		args: { obcyNumer: number, kontrahent: clientCode },
		itemIndex,
		policy: opts.policy,
		action: `Looking up the enova365 ZO of ${number}`,
	});
	const docs = Array.isArray(body.Dokumenty) ? (body.Dokumenty as IDataObject[]) : [];
	return docs.find((d) => Number(d.Stan) !== 3 && String(d.ObcyNumer ?? number) === number);
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await createEachOrder(this, items, 'enova365', ENOVA_REFUSAL_RULES, createOne);
}

async function createOne(this: IExecuteFunctions, items: INodeExecutionData[], i: number): Promise<IDataObject> {
	const opts = readEnovaOptions(this, i);
	const order = orderFromItem(this, items[i], i);
	const body = orderToZo(order, { warehouse: (this.getNodeParameter('warehouse', i, '') as string) || undefined });
	const result = (doc: IDataObject, action: string): IDataObject => ({
		orderNumber: order.number,
		clientCode: order.clientCode,
		action,
		erpDocumentId: String(doc.ID ?? ''),
		erpDocumentNumber: String(doc.NumerPelnyZapisany ?? ''),
		enovaState: doc.Stan,
	});
	const { baseUrl } = await this.getCredentials('enova365Api');
	return await oneAtATime(`enova365|${String(baseUrl)}|${order.clientCode}|${order.number}`, async () => {
		const existing = await findZo(this, order.number, order.clientCode, opts, i);
		if (existing) return result(existing, 'existing');
		return await createOnce(
			this,
			i,
			opts.policy,
			async () => {
				const answer = await enovaCall(this, {
					method: 'AddZO',
					args: body,
					itemIndex: i,
					action: `Creating the enova365 ZO of ${order.number}`,
					policy: { ...opts.policy, maxRetries: 0 },
					idempotent: false,
				});
				const doc = (answer.Dokument && typeof answer.Dokument === 'object' ? answer.Dokument : answer) as IDataObject;
				const existed = answer.Istnial === true || doc.Istnial === true;
				return result(doc, existed ? 'existing' : 'created');
			},
			async () => {
				const found = await findZo(this, order.number, order.clientCode, opts, i);
				return found ? result(found, 'created') : undefined;
			},
		);
	});
}
