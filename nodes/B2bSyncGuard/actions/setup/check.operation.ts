/**
 * Set-up → Check: `npx n8n-nodes-erp-b2b check` inside n8n (issue #20), for whoever has the editor but no terminal.
 * The same check (cli/check/check.ts runCheck: n8n tests every credential the tagged workflows use, the warehouses /
 * price lists their ERP nodes name are looked up through a temporary workflow), over n8n's public API reached with
 * n8n's own "n8n API" credential (./n8nApi.ts). One item per row, in the command's order; with "Fail When Any
 * Check Fails" a ✗ stops the workflow (an error workflow or the watchdog then tells someone).
 */
import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { runCheck } from '../../../../cli/check/check';
import type { CheckRow } from '../../../../cli/check/report';
import { DEFAULT_TAG } from '../../../../cli/setup';
import { checkError, n8nApiFromCredential } from './n8nApi';

const show = { show: { resource: ['setup'], operation: ['check'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Tag',
		name: 'tag',
		type: 'string',
		default: DEFAULT_TAG,
		description:
			'The tag of the workflows to check: the set-up command tags every workflow it imports with it (npx n8n-nodes-erp-b2b setup)',
		displayOptions: show,
	},
	{
		displayName: 'Fail When Any Check Fails',
		name: 'failOnAny',
		type: 'boolean',
		default: false,
		description:
			'Whether to stop the workflow with an error listing the failed (✗) checks, instead of only returning them as items',
		displayOptions: show,
	},
];

/**
 * The row as an item: ok, unverified (a "?" row: not verified, not found wrong), check, workflow, detail and the
 * fix in Polish and English ('' for a ✓).
 */
export const rowJson = (r: CheckRow) => ({
	ok: r.ok,
	unverified: r.unverified === true,
	check: r.check,
	workflow: r.workflow,
	detail: r.detail,
	fixPl: r.fix?.pl ?? '',
	fixEn: r.fix?.en ?? '',
});

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const tag = String(this.getNodeParameter('tag', 0, DEFAULT_TAG)).trim() || DEFAULT_TAG;
	const failOnAny = this.getNodeParameter('failOnAny', 0, false) as boolean;
	const api = await n8nApiFromCredential(this);
	let rows: CheckRow[];
	try {
		rows = await runCheck(api, tag);
	} catch (error) {
		throw error instanceof NodeOperationError
			? error
			: checkError(this.getNode(), (error as Error).message, { itemIndex: 0 });
	}
	// as the command's exit code: a "?" row found nothing wrong
	const failed = rows.filter((r) => !r.ok && !r.unverified);
	if (failOnAny && failed.length)
		throw checkError(
			this.getNode(),
			`${failed.length} of ${rows.length} set-up checks failed (✗): ${failed.map((r) => `${r.check}${r.workflow ? ` [${r.workflow}]` : ''}: ${r.detail}`).join('; ')}`,
			{
				description: failed
					.map((r, i) => `${i + 1}. ✗ ${r.check}\nPL: ${r.fix?.pl ?? ''}\nEN: ${r.fix?.en ?? ''}`)
					.join('\n\n'),
			},
		);
	// one check for the whole input: every row comes from its first item
	const pairedItem = items.length ? { item: 0 } : undefined;
	return [rows.map((r) => ({ json: rowJson(r), ...(pairedItem ? { pairedItem } : {}) }))];
}
