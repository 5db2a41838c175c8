import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** The "Operation" dropdown of one resource. */
export function operationSelector(resource: string, options: INodePropertyOptions[], def: string): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options,
		default: def,
	};
}

export const UPSERT_OPERATION = (what: string): INodePropertyOptions => ({
	name: 'Create or Update',
	value: 'upsert',
	description: 'Create a new record, or update the current one if it already exists (upsert)',
	action: `Create or update ${what}`,
});
