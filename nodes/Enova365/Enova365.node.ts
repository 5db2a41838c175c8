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
import { searchContractors } from './methods/listSearch';
import { getOrderWarehouses, getPriceDefinitions, getWarehouses } from './methods/loadOptions';

export class Enova365 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'enova365',
		name: 'enova365',
		icon: { light: 'file:enova365.svg', dark: 'file:enova365.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Read products, prices, stock, clients, order statuses and invoices from enova365 and create its customer orders (ZO)',
		defaults: { name: 'enova365' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'enova365Api', required: true },
			{ name: 'b2bPortalApi', required: false, displayOptions: RENEWAL_CREDENTIAL_DISPLAY },
		],
		properties,
	};

	methods = {
		loadOptions: { getWarehouses, getOrderWarehouses, getPriceDefinitions },
		listSearch: { searchContractors },
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
