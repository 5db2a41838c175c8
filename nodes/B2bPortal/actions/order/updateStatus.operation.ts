/**
 * Moves orders to a new status in the portal (confirmed, shipped, invoiced, cancelled, or rejected with
 * a reason the client reads). Statuses go out in batches like the catalogue upserts.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { ORDER_STATUSES } from '../../../shared/model/validate';
import { executeUpsert, upsertProperties } from '../upsert';

const FIELDS: INodeProperties[] = [
	{
		displayName: 'Order Number',
		description: "The portal's order number",
		name: 'orderNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'B2B/2026/000123',
	},
	{
		displayName: 'Status',
		description: "The order's new status in the portal",
		name: 'status',
		type: 'options',
		options: ORDER_STATUSES.map((s) => ({ name: s[0].toUpperCase() + s.slice(1), value: s })),
		default: 'confirmed',
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		default: '',
		description:
			'Shown to the client; required for Rejected and Cancelled (e.g. "Cena pozycji 2 różni się od cennika")',
	},
	{
		displayName: 'ERP Document Number',
		description: 'Number of the ERP document behind this status (order, delivery note, invoice), shown to the client',
		name: 'erpDocumentNumber',
		type: 'string',
		default: '',
	},
	{
		displayName: 'Tracking Number',
		description: "The carrier's tracking number, shown to the client (optional)",
		name: 'trackingNumber',
		type: 'string',
		default: '',
	},
	{
		displayName: 'Changed At',
		name: 'changedAt',
		type: 'string',
		default: '={{ $now.toISO() }}',
		description: 'When the status changed in the ERP (ISO 8601 with time zone)',
	},
];

export const description = upsertProperties('order', 'orderStatus', 'updateStatus', FIELDS);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeUpsert.call(
		this,
		items,
		'orderStatus',
		FIELDS.map((f) => f.name),
	);
}
