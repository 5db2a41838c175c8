/**
 * Load Sync State: right after the trigger, puts the flow's read positions and record fingerprints kept by the
 * portal into the workflow's static data, so the ERP reads and the B2B Sync Guard find them on whichever n8n
 * process runs the execution (queue-mode workers get no static data from n8n: nodes/shared/syncState.ts).
 * The items pass through unchanged.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { optionsCollection, readCommonOptions } from '../../../shared/options';
import { applyPortalState, hasLocalState, readMeta, writeMeta, type PortalSyncState } from '../../../shared/syncState';
import { portalRequest } from '../../transport';

export const description: INodeProperties[] = [
	{
		displayName:
			'Put this step right after the trigger. It reads what the flow remembers between runs (read positions, fingerprints of the records the portal has) from the portal, so every n8n worker continues where the last run stopped; Record Run writes it back. Items pass through unchanged.',
		name: 'loadStateNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['syncStatus'], operation: ['loadState'] } },
	},
	optionsCollection({ show: { resource: ['syncStatus'], operation: ['loadState'] } }),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const passThrough = items.map((item, i) => ({ ...item, pairedItem: { item: i } }));
	const key = this.getWorkflow().id;
	if (!key) {
		// an unsaved workflow run from the editor has no id: there is nothing to keep state under
		this.addExecutionHints({
			message: 'Save the workflow first: its sync state is kept in the portal under the workflow id',
			location: 'outputPane',
		});
		return passThrough;
	}
	const meta = readMeta(this);
	const local = hasLocalState(this);
	// static data holds the portal's version (regular mode): ask whether it is still current
	const held = meta && meta.key === key && meta.version > 0 && local ? meta.version : 0;
	const { statusCode, body } = await portalRequest<PortalSyncState>(this, {
		method: 'GET',
		path: `/v1/sync-state/${encodeURIComponent(key)}`,
		headers: held ? { 'If-None-Match': `"${held}"` } : {},
		acceptStatus: [304, 404],
		itemIndex: 0,
		action: 'Loading the sync state of this workflow',
		policy: readCommonOptions(this, 0).policy,
	});
	const executionId = this.getExecutionId();
	let message: string;
	if (statusCode === 304) {
		writeMeta(this, { key, version: held, loadedIn: executionId });
		message = `Sync state unchanged since version ${held}: kept the copy in n8n`;
	} else if (statusCode === 404) {
		// no state in the portal: a first run, or a flow that kept its state only in n8n so far (sent whole at Record Run)
		writeMeta(this, { key, version: 0, loadedIn: executionId, ...(local ? { upload: true } : {}) });
		message = local
			? 'The portal holds no sync state for this workflow yet: the copy in n8n is used and sent to the portal at Record Run'
			: 'No sync state yet (first run): everything is read and sent';
	} else {
		if (!body || typeof body !== 'object' || !Number.isInteger(body.version) || body.version < 1)
			throw new NodeOperationError(
				this.getNode(),
				`The portal answered GET /v1/sync-state/${key} without a valid "version"`,
				{ itemIndex: 0 },
			);
		applyPortalState(this, body);
		writeMeta(this, { key, version: body.version, loadedIn: executionId });
		const streams = Object.keys(body.cursors ?? {}).length;
		const prints = Object.values(body.deltas ?? {}).reduce((n, h) => n + Object.keys(h).length, 0);
		message = `Loaded sync state version ${body.version}: ${streams} read position(s), ${prints} record fingerprint(s)`;
	}
	this.addExecutionHints({ message, location: 'outputPane' });
	return passThrough;
}
