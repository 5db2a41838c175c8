/**
 * Orders placed in the portal since the last successful run. The portal's cursor is kept in the workflow's
 * static data (n8n's database, shared by every worker in queue mode) as a *pending* position that the
 * workflow's final "Sync Status → Record Run" commits (nodes/shared/cursor.ts): if a later node fails (e.g.
 * the ERP refused an order), the next run fetches the same orders again instead of skipping them. Creating
 * the ERP document must therefore be idempotent (the ERP nodes look orders up by the portal number first).
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { readCommonOptions, optionsCollection } from '../../../shared/options';
import { committedPosition, setPending } from '../../../shared/cursor';
import { paginate } from '../../../shared/transport/paginate';
import { portalRequest } from '../../transport';

const show = { show: { resource: ['order'], operation: ['getNew'] } };

export const CURSOR_KEY = 'portalOrders';

export const description: INodeProperties[] = [
	{
		displayName: 'Start From',
		description: 'Where the list of orders starts: after the last successful run, a cursor you give, or the beginning',
		name: 'cursorMode',
		type: 'options',
		options: [
			{
				name: 'Where the Last Successful Run Stopped',
				value: 'stored',
				description: 'Remembered in the workflow and moved on by the final "Record Run" (active workflows only)',
			},
			{ name: 'A Cursor I Give', value: 'explicit' },
			{ name: 'The Beginning', value: 'beginning', description: 'Every order the portal still lists' },
		],
		default: 'stored',
		displayOptions: show,
	},
	{
		displayName: 'Cursor',
		name: 'cursor',
		type: 'string',
		default: '',
		displayOptions: { show: { ...show.show, cursorMode: ['explicit'] } },
		description: 'The nextCursor of an earlier listing',
	},
	{
		displayName: 'Only Status',
		description: 'Read only orders in this status (placed = not yet in the ERP)',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Any', value: '' },
			{ name: 'Placed (Not Yet in the ERP)', value: 'placed' },
			{ name: 'Confirmed', value: 'confirmed' },
			{ name: 'Cancelled', value: 'cancelled' },
		],
		default: 'placed',
		displayOptions: show,
	},
	{
		displayName: 'Max Orders per Run',
		name: 'maxOrders',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 500,
		displayOptions: show,
		description: 'The rest waits for the next run (keeps one run short)',
	},
	optionsCollection(show, [
		{
			displayName: 'Page Size',
			description: 'Orders per request to the portal',
			name: 'pageSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 200 },
			default: 50,
		},
	]),
];

interface OrderPage {
	items: IDataObject[];
	nextCursor: string;
	hasMore: boolean;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const mode = this.getNodeParameter('cursorMode', 0) as string;
	let cursor: string | undefined;
	if (mode === 'stored') cursor = committedPosition(this, CURSOR_KEY);
	else if (mode === 'explicit') {
		cursor = (this.getNodeParameter('cursor', 0) as string).trim();
		if (!cursor) throw new NodeOperationError(this.getNode(), 'Cursor is empty', { itemIndex: 0 });
	}
	const status = this.getNodeParameter('status', 0, 'placed') as string;
	const maxOrders = this.getNodeParameter('maxOrders', 0, 500) as number;
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const pageSize = Number(options.pageSize ?? 50);
	const { policy } = readCommonOptions(this, 0);

	const orders: IDataObject[] = [];
	let lastCursor = cursor;
	const pages = paginate<IDataObject, string>(cursor, async (c) => {
		const limit = Math.min(pageSize, maxOrders - orders.length);
		const qs: IDataObject = { limit };
		if (c) qs.cursor = c;
		if (status) qs.status = status;
		const { body } = await portalRequest<OrderPage>(this, {
			method: 'GET',
			path: '/v1/orders',
			qs,
			itemIndex: 0,
			action: 'Listing new orders',
			policy,
		});
		lastCursor = body.nextCursor;
		const more = body.hasMore && orders.length + body.items.length < maxOrders;
		return { items: body.items, next: more ? body.nextCursor : undefined };
	});
	for await (const page of pages) orders.push(...page.items);

	if (mode === 'stored' && lastCursor) setPending(this, CURSOR_KEY, lastCursor);
	return orders.map((order) => ({ json: { ...order, cursor: lastCursor ?? '' }, pairedItem: { item: 0 } }));
}
