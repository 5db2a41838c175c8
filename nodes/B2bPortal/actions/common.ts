import type { INodePropertyOptions } from 'n8n-workflow';

/** The "Operation" dropdown of one resource: one definition for every node (style.md), in nodes/shared/options.ts. */
// one definition for every node (style.md): it lives in nodes/shared/options.ts
export { operationSelector } from '../../shared/options';

export const UPSERT_OPERATION = (what: string): INodePropertyOptions => ({
	name: 'Create or Update',
	value: 'upsert',
	description: 'Create a new record, or update the current one if it already exists (upsert)',
	action: `Create or update ${what}`,
});
