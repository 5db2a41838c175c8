import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { RENEWAL_CREDENTIAL_DISPLAY } from '../shared/claimRenewal';
import { OPERATIONS, properties } from './actions/resources';
import { searchBusinessPartners } from './methods/listSearch';
import { getInvoiceLayouts, getOrderWarehouses, getPriceLists, getWarehouses } from './methods/loadOptions';

export class SapB1 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SAP Business One',
		name: 'sapB1',
		icon: { light: 'file:sapB1.svg', dark: 'file:sapB1.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Read products, prices, stock, clients, order statuses and invoices from SAP Business One and create its sales orders',
		defaults: { name: 'SAP Business One' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'sapB1Api', required: true },
			{ name: 'b2bPortalApi', required: false, displayOptions: RENEWAL_CREDENTIAL_DISPLAY },
		],
		properties,
	};

	methods = {
		loadOptions: { getWarehouses, getOrderWarehouses, getPriceLists, getInvoiceLayouts },
		listSearch: { searchBusinessPartners },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		const run = OPERATIONS[resource]?.[operation];
		if (!run)
			throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
		return [await run.call(this, items)];
	}
}
