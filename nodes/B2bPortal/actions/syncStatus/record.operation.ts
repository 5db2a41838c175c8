/**
 * The heartbeat: records that this flow ran, with its counts, so the portal can show "last sync" and a
 * watchdog can alert when a flow goes quiet. Runs once per execution (not once per item).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { commitCursors } from '../../../shared/cursor';
import { QUEUE_STATE_NOTICE, inQueueMode, keepsSyncState } from '../../../shared/queueMode';
import { commitDeltas } from '../../../shared/delta';
import { describeIssues, validateRecord } from '../../../shared/model/validate';
import { readCommonOptions, optionsCollection } from '../../../shared/options';
import {
	isEmpty,
	loadedThisRun,
	patchBodies,
	pendingChanges,
	stateAfterCommit,
	writeMeta,
	type SyncStateMeta,
} from '../../../shared/syncState';
import { portalRequest } from '../../transport';

const show = { show: { resource: ['syncStatus'], operation: ['record'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Flow Name',
		description: 'Name the portal and the watchdog know this flow by; keep it the same from run to run',
		name: 'flow',
		type: 'string',
		default: '={{ $workflow.name }}',
		required: true,
		displayOptions: show,
	},
	{
		displayName: 'Result',
		description:
			"Success commits the run's read positions and fingerprints; Failure records the run as failed and commits nothing",
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Success', value: 'success' },
			{ name: 'Failure', value: 'failure' },
		],
		default: 'success',
		displayOptions: show,
	},
	{
		displayName: 'Expected Every (Minutes)',
		name: 'expectedEveryMinutes',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		displayOptions: show,
		description: 'How often this flow should run; the watchdog alerts when it is overdue (0 = not watched)',
	},
	{
		displayName: 'Counts (JSON)',
		name: 'counts',
		type: 'json',
		default: '={{ { "items": $input.all().length } }}',
		displayOptions: show,
		description: 'Numbers to record, e.g. {"products": 1200, "failed": 0}',
	},
	{
		displayName: 'Move Read Positions On',
		name: 'commitCursors',
		type: 'boolean',
		default: true,
		displayOptions: show,
		description:
			'Whether a successful run commits the "changed since the last successful run" positions of this workflow\'s ERP and portal reads, and the B2B Sync Guard\'s record hashes. Put Record Run last, after the portal writes: a run that fails before it reads the same records again next time.',
	},
	{
		displayName: 'Message',
		description: 'Optional text shown with the run in the portal (e.g. what was skipped)',
		name: 'message',
		type: 'string',
		default: '',
		displayOptions: show,
	},
	optionsCollection(show, [
		{
			displayName: 'Started At',
			name: 'startedAt',
			type: 'string',
			default: '',
			description: 'ISO 8601; defaults to when this node ran',
		},
	]),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const now = new Date().toISOString();
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	let counts = this.getNodeParameter('counts', 0, {}) as unknown;
	if (typeof counts === 'string') {
		try {
			counts = counts.trim() ? JSON.parse(counts) : {};
		} catch (error) {
			throw new NodeOperationError(this.getNode(), `Counts (JSON) is not valid JSON: ${(error as Error).message}`, {
				itemIndex: 0,
			});
		}
	}
	const record: IDataObject = {
		flow: String(this.getNodeParameter('flow', 0)).trim(),
		status: this.getNodeParameter('status', 0) as string,
		startedAt: (options.startedAt as string) || now,
		finishedAt: now,
		counts: counts as IDataObject,
	};
	const every = this.getNodeParameter('expectedEveryMinutes', 0, 0) as number;
	if (every > 0) record.expectedEveryMinutes = every;
	const message = String(this.getNodeParameter('message', 0, '')).trim();
	const commit = record.status === 'success' && this.getNodeParameter('commitCursors', 0, true);
	// the run loaded its state from the portal (Load Sync State): the portal's copy must follow
	const loaded = loadedThisRun(this);
	// on a queue-mode worker the state a run leaves only in static data does not reach the next run: say so
	const stateLost = inQueueMode() && keepsSyncState(this) && !loaded;
	const text = [message, stateLost ? QUEUE_STATE_NOTICE : ''].filter(Boolean).join('\n');
	if (text) record.message = text;
	const checked = validateRecord('syncStatus', record);
	if (!checked.ok)
		throw new NodeOperationError(this.getNode(), describeIssues('syncStatus', checked), { itemIndex: 0 });
	const policy = readCommonOptions(this, 0).policy;
	// first the state (a failure here fails the run before anything is committed), then the heartbeat
	const saved = loaded && commit ? await saveSyncState(this, loaded, policy) : undefined;
	const { body } = await portalRequest(this, {
		method: 'POST',
		path: '/v1/sync-status',
		body: checked.value as unknown as IDataObject,
		itemIndex: 0,
		action: `Recording the run of "${String(record.flow)}"`,
		policy,
	});
	// the portal has the run: move this workflow's read positions on (see nodes/shared/cursor.ts)
	// and the B2B Sync Guard's delta hashes (see nodes/shared/delta.ts): the records of this run count as sent
	const committed = commit ? commitCursors(this) : [];
	const committedDeltas = commit ? commitDeltas(this) : [];
	if (saved) writeMeta(this, saved.meta);
	return [
		{
			json: {
				...body,
				committedCursors: committed,
				committedDeltas,
				...(saved ? { syncStateVersion: saved.meta.version, syncStateRequests: saved.requests } : {}),
				...(stateLost ? { stateReachesNextRun: false } : {}),
			},
			pairedItem: items.length ? items.map((_, i) => ({ item: i })) : { item: 0 },
		},
	];
}

/**
 * Sends the run's changes to the portal's copy of the sync state (nodes/shared/syncState.ts): the pending read
 * positions and fingerprint diffs, or everything when the portal had none yet. Returns the bookkeeping to keep
 * once the run is committed: the portal's new version, or 0 when another writer came in between (the next Load
 * then reads the whole state instead of trusting the copy in n8n).
 */
async function saveSyncState(
	ctx: IExecuteFunctions,
	loaded: SyncStateMeta,
	policy: ReturnType<typeof readCommonOptions>['policy'],
): Promise<{ meta: SyncStateMeta; requests: number }> {
	const upload = loaded.upload === true;
	const changes = upload ? stateAfterCommit(ctx) : pendingChanges(ctx);
	const meta: SyncStateMeta = { key: loaded.key, version: loaded.version };
	if (!upload && isEmpty(changes)) return { meta, requests: 0 };
	let version = loaded.version;
	let intact = true;
	const bodies = patchBodies(changes, { reset: upload });
	for (const [i, part] of bodies.entries()) {
		const { body } = await portalRequest<{ version: number; previousVersion: number }>(ctx, {
			method: 'PATCH',
			path: `/v1/sync-state/${encodeURIComponent(loaded.key)}`,
			body: { baseVersion: version, ...part } as unknown as IDataObject,
			itemIndex: 0,
			action: `Saving the sync state of this workflow (part ${i + 1} of ${bodies.length})`,
			policy,
		});
		if (!Number.isInteger(body?.version))
			throw new NodeOperationError(ctx.getNode(), 'The portal answered PATCH /v1/sync-state without a "version"', {
				itemIndex: 0,
			});
		if (body.previousVersion !== version) intact = false;
		version = body.version;
	}
	meta.version = intact ? version : 0;
	return { meta, requests: bodies.length };
}
