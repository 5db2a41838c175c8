/**
 * Comarch ERP Optima. Optima has no vendor REST API (erp-facts §3), so the node has three sources:
 * - SQL Server, read only (credential optimaSqlApi): products, prices, stock, clients, order status and
 *   invoices from the `CDN` schema — named, guarded SELECTs only (sql/queries.ts, nodes/shared/sql);
 * - the Optima bridge (credential optimaBridgeApi, docs/optima-bridge.md): a Windows service around Optima's COM
 *   objects that creates the customer reservation (RO, 308000) once per portal order and serves invoice PDFs;
 * Orders for Optima's own XML import ("Import dokumentów z pliku XML") are built by the ERP File node.
 */
import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
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
		],
		properties,
	};

	methods = METHODS;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		const run = OPERATIONS[resource]?.[operation];
		if (!run)
			throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
		const items = this.getInputData();
		try {
			return [await run.call(this, items)];
		} catch (error) {
			if (!this.continueOnFail()) {
				const known = error instanceof NodeOperationError || error instanceof NodeApiError;
				throw known ? error : new NodeOperationError(this.getNode(), error as Error);
			}
			// a failure of the whole operation (no connection, a query refused): nothing half-read is passed on;
			// read-all operations run once (for item 0), per-item operations give one error item per item
			const message = (error as Error).message;
			const paired = PER_ITEM.has(`${resource}:${operation}`) ? items.map((_, i) => i) : [0];
			return [paired.map((i) => ({ json: { error: message }, pairedItem: { item: i } }))];
		}
	}
}
