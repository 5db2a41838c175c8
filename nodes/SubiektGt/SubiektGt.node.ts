/**
 * InsERT Subiekt GT. Three sources:
 * - SQL Server, read only (credential subiektGtSqlApi): products, prices, stock, clients, order status,
 *   invoices, warehouses — named, guarded SELECTs only (sql/queries.ts through the shared SQL Server layer nodes/shared/sql);
 * - Subiekt's own EDI++ export files: products, prices, clients;
 * - the Sfera bridge (credential subiektBridgeApi, docs/subiekt-sfera-bridge.md): create a ZK with reservation
 *   (idempotent by the portal order number), its status, the invoice PDF.
 */
import {
	NodeConnectionTypes,
	type ICredentialTestFunctions,
	type ICredentialsDecrypted,
	type IExecuteFunctions,
	type INode,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { RENEWAL_CREDENTIAL_DISPLAY } from '../shared/claimRenewal';
import { runOperation } from '../shared/items';
import { OPERATIONS, properties } from './actions/resources';
import { SQL_RESOURCES } from './actions/sqlCommon';
import { describeTarget, settingsFromCredential, withSqlSource } from '../shared/sql/transport';
import { SUBIEKT_SQL } from './sql/queries';
import { getStockWarehouses } from './methods/loadOptions';

/** resources whose operations run once per input item (the others read everything once) */
const PER_ITEM_RESOURCES = ['order', 'orderStatus', 'eppFile'];

/** stands in for the node in messages of the credential test (which runs without a workflow) */
const CREDENTIAL_TEST_NODE: INode = {
	id: 'credential-test',
	name: 'Subiekt GT',
	type: 'n8n-nodes-erp-b2b.subiektGt',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** Connects with the credential and reads one row of tw_Parametr: proves login, database and Subiekt tables. */
export async function subiektGtSqlConnectionTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	try {
		const rows = await withSqlSource(CREDENTIAL_TEST_NODE, data, SUBIEKT_SQL, async (sql) =>
			sql.query('checkSubiekt', {}, { action: 'Checking the Subiekt database' }),
		);
		const settings = settingsFromCredential(data);
		if (!rows.length)
			return {
				status: 'Error',
				message: `database "${settings.database}" has an empty tw_Parametr table: is it a Subiekt GT company database?`,
			};
		return { status: 'OK', message: `Connected: ${describeTarget(settings)} is a Subiekt GT database` };
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
}

export class SubiektGt implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Subiekt GT',
		name: 'subiektGt',
		icon: { light: 'file:subiektGt.svg', dark: 'file:subiektGt.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Read products, prices, stock, clients, order statuses and invoices from InsERT Subiekt GT (SQL Server, read only, or EDI++ files) and create its orders (ZK) through the Sfera bridge',
		defaults: { name: 'Subiekt GT' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'subiektBridgeApi', required: true, displayOptions: { show: { resource: ['order'] } } },
			{
				name: 'subiektGtSqlApi',
				required: true,
				testedBy: 'subiektGtSqlConnectionTest',
				displayOptions: { show: { resource: SQL_RESOURCES } },
			},
			{ name: 'b2bPortalApi', required: false, displayOptions: RENEWAL_CREDENTIAL_DISPLAY },
		],
		properties,
	};

	methods = {
		credentialTest: { subiektGtSqlConnectionTest },
		loadOptions: { getStockWarehouses },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation(this, OPERATIONS, (resource) => PER_ITEM_RESOURCES.includes(resource));
	}
}
