/**
 * B2B Sync Guard: the ERP-agnostic checks between any ERP node and the B2B Portal node — pass only changed
 * records (delta, with deletions), keep a stock buffer, check an order's prices at confirmation — and check the
 * set-up (Set-up → Check, the set-up command's check run inside n8n). Only Set-up → Check has a credential: n8n's own
 * "n8n API" (n8n-nodes-base), since what it checks is n8n itself; the guards need none.
 */
import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { OPERATIONS, properties } from './actions/resources';

/** Delta has two outputs (Changed, Deleted); the other operations one. */
const OUTPUTS = `={{ $parameter["resource"] === "price" || $parameter["resource"] === "stock" || $parameter["resource"] === "setup" ? [{ "type": "main" }] : [{ "type": "main", "displayName": "Changed" }, { "type": "main", "displayName": "Deleted" }] }}`;

export class B2bSyncGuard implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'B2B Sync Guard',
		name: 'b2bSyncGuard',
		icon: { light: 'file:b2bSyncGuard.svg', dark: 'file:b2bSyncGuard.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Pass only changed ERP records (and deletions), keep a stock buffer, check order prices against the ERP, check the set-up',
		defaults: { name: 'B2B Sync Guard' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: OUTPUTS,
		credentials: [
			{
				// n8n's own built-in credential type (n8n-nodes-base, in every n8n), not another community package's:
				// what Set-up → Check talks to is n8n's public API, and a key of its own would be a second copy of it
				// eslint-disable-next-line @n8n/community-nodes/no-credential-reuse, @n8n/community-nodes/valid-credential-references
				name: 'n8nApi',
				required: true,
				displayOptions: { show: { resource: ['setup'], operation: ['check'] } },
			},
		],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		const run = OPERATIONS[resource]?.[operation];
		if (!run)
			throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
		return await run.call(this, items);
	}
}
