/**
 * Gives an order's claim back early (DELETE /v1/orders/{number}/claim?owner=…), e.g. when the ERP refused the
 * document and the order stays placed: the next run can then claim it at once instead of waiting for the lease
 * to run out. Only this owner's own claim is released; another owner's live lease is left alone and named.
 * Acknowledging or rejecting the order ends its claim by itself, so this is not needed on the normal path.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forEachItem } from '../../../shared/items';
import { optionsCollection, readCommonOptions } from '../../../shared/options';
import { portalRequest } from '../../transport';
import { claimOwner, orderNumberOf, ownerOption, TRIGGER_ORDER_NUMBER } from './claim.operation';
import { orderNumberProperty } from './shared';

const show = { show: { resource: ['order'], operation: ['releaseClaim'] } };

export const description: INodeProperties[] = [
	orderNumberProperty('releaseClaim', {
		default: TRIGGER_ORDER_NUMBER,
		description: 'The portal order whose claim to release',
	}),
	optionsCollection(show, [ownerOption]),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const number = orderNumberOf(this, i);
		const owner = claimOwner(this, i);
		const { body } = await portalRequest<IDataObject>(this, {
			method: 'DELETE',
			path: `/v1/orders/${encodeURIComponent(number)}/claim`,
			qs: { owner },
			itemIndex: i,
			action: `Releasing the claim on order ${number}`,
			policy: readCommonOptions(this, i).policy,
		});
		const claimRelease: IDataObject = {
			orderNumber: number,
			owner,
			released: body.released === true,
			...(body.heldBy ? { heldBy: body.heldBy, expiresAt: body.expiresAt } : {}),
		};
		return { json: { ...items[i].json, claimRelease } } as INodeExecutionData;
	});
}
