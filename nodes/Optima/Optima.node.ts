/**
 * Comarch ERP Optima. Optima has no vendor REST API (erp-facts §3), so the node has three sources:
 * - SQL Server, read only (credential optimaSqlApi): products, prices, stock, clients, order status and
 *   invoices from the `CDN` schema — named, guarded SELECTs only (sql/queries.ts, nodes/shared/sql);
 * - the Optima bridge (credential optimaBridgeApi, docs/optima-bridge.md): a Windows service around Optima's COM
 *   objects that creates the customer reservation (RO, 308000) once per portal order and serves invoice PDFs;
 * Orders for Optima's own XML import ("Import dokumentów z pliku XML") are built by the ERP File node.
 */
import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import {
	BRIDGE_CREDENTIAL_DISPLAY,
	METHODS,
	OPERATIONS,
	PER_ITEM,
	SQL_CREDENTIAL_DISPLAY,
	properties,
} from './actions/resources';
import { RENEWAL_CREDENTIAL_DISPLAY } from '../shared/claimRenewal';
import { runOperation } from '../shared/items';

export class Optima implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Comarch ERP Optima',
		name: 'optima',
		icon: { light: 'file:optima.svg', dark: 'file:optima.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Read products, prices, stock, clients, order statuses and invoices from Comarch ERP Optima (SQL Server, read only) and create its customer reservations (RO) through the Optima bridge',
		defaults: { name: 'Comarch ERP Optima' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'optimaSqlApi',
				required: true,
				testedBy: 'optimaSqlConnectionTest',
				displayOptions: SQL_CREDENTIAL_DISPLAY,
			},
			{ name: 'optimaBridgeApi', required: true, displayOptions: BRIDGE_CREDENTIAL_DISPLAY },
			{ name: 'b2bPortalApi', required: false, displayOptions: RENEWAL_CREDENTIAL_DISPLAY },
		],
		properties,
	};

	methods = METHODS;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation(this, OPERATIONS, (resource, operation) => PER_ITEM.has(`${resource}:${operation}`));
	}
}
