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
import { businessCentralConnectionTest, businessCentralOnPremConnectionTest } from './methods/credentialTest';
import { searchCompanies, searchCustomers } from './methods/listSearch';
import { getLocations } from './methods/loadOptions';

export class BusinessCentral implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Business Central',
		name: 'businessCentral',
		icon: { light: 'file:businessCentral.svg', dark: 'file:businessCentral.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Read products, prices, stock, clients and locations from Microsoft Dynamics 365 Business Central (API v2.0)',
		defaults: { name: 'Business Central' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'businessCentralApi',
				required: true,
				displayOptions: { show: { authentication: ['businessCentralApi'] } },
				testedBy: 'businessCentralConnectionTest',
			},
			{
				name: 'businessCentralOnPremApi',
				required: true,
				displayOptions: { show: { authentication: ['businessCentralOnPremApi'] } },
				testedBy: 'businessCentralOnPremConnectionTest',
			},
			{ name: 'b2bPortalApi', required: false, displayOptions: RENEWAL_CREDENTIAL_DISPLAY },
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'Online (SaaS, Microsoft Entra App)', value: 'businessCentralApi' },
					{ name: 'On-Premises (Web Service Access Key)', value: 'businessCentralOnPremApi' },
				],
				default: 'businessCentralApi',
			},
			{
				displayName: 'Company',
				name: 'company',
				type: 'resourceLocator',
				default: { mode: 'id', value: '' },
				modes: [
					{
						displayName: 'From List',
						name: 'list',
						type: 'list',
						typeOptions: { searchListMethod: 'searchCompanies', searchable: true },
					},
					{ displayName: 'By Name or ID', name: 'id', type: 'string', placeholder: 'CRONUS Polska S.A.' },
				],
				description: "The company to read; empty = the credential's Company",
			},
			...properties,
		],
	};

	methods = {
		loadOptions: { getLocations },
		listSearch: { searchCustomers, searchCompanies },
		credentialTest: { businessCentralConnectionTest, businessCentralOnPremConnectionTest },
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
