/**
 * InsERT Subiekt GT. This release covers orders through the Sfera bridge (docs/subiekt-sfera-bridge.md):
 * create a ZK with reservation (idempotent by the portal order number), status, invoice PDF. Reading products,
 * prices, stock and clients from SQL Server and EDI++ files comes with issue #4's remaining parts.
 */
import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { operationSelector } from '../B2bPortal/actions/common';
import * as create from './actions/order/create.operation';
import * as status from './actions/order/getStatus.operation';

const OPERATIONS: Record<
	string,
	(this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>
> = {
	create: create.execute,
	getStatus: status.execute,
	downloadInvoicePdf: status.executePdf,
};

export class SubiektGt implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Subiekt GT',
		name: 'subiektGt',
		icon: { light: 'file:subiektGt.svg', dark: 'file:subiektGt.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Create customer orders (ZK) in InsERT Subiekt GT through the Sfera bridge and follow them to the invoice',
		defaults: { name: 'Subiekt GT' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'subiektBridgeApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Order (Sfera Bridge)', value: 'order' }],
				default: 'order',
			},
			operationSelector(
				'order',
				[
					{
						name: 'Create',
						value: 'create',
						description: 'Create the ZK of a portal order (once, even when retried)',
						action: 'Create an order',
					},
					{
						name: 'Download Invoice PDF',
						value: 'downloadInvoicePdf',
						description: 'The PDF of the invoice made from the ZK',
						action: 'Download an invoice PDF',
					},
					{
						name: 'Get Status',
						value: 'getStatus',
						description: 'Status of portal orders in Subiekt',
						action: 'Get order status',
					},
				],
				'create',
			),
			...create.description,
			...status.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		const run = OPERATIONS[operation];
		if (!run) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
		return [await run.call(this, this.getInputData())];
	}
}
