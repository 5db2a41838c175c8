/**
 * Incremental reads ("changed since the last successful run"), Airbyte-style: a stream keeps one small
 * cursor in the workflow's static data — n8n's database, shared by every queue-mode worker — and n8n
 * saves static data only when the execution succeeds, so a run that fails after reading repeats the same
 * window next time instead of skipping it. Cursors come from the data (the ERP's own change stamps), never
 * from n8n's clock, so time zones and clock skew between n8n and the ERP cannot open gaps.
 */
import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

export type CursorMode = 'stored' | 'explicit' | 'all';

export function cursorProperties(resource: string, operations: string[], what: string): INodeProperties[] {
	const show = { show: { resource: [resource], operation: operations } };
	return [
		{
			displayName: 'Read',
			name: 'cursorMode',
			type: 'options',
			options: [
				{
					name: 'Changed Since the Last Successful Run',
					value: 'stored',
					description: `Only ${what} changed since this node last ran successfully (remembered in the workflow; active workflows only)`,
				},
				{ name: 'Changed Since a Time I Give', value: 'explicit' },
				{ name: 'All', value: 'all', description: `Every ${what.replace(/s$/, '')} (a full refresh)` },
			],
			default: 'stored',
			displayOptions: show,
		},
		{
			displayName: 'Changed Since',
			name: 'since',
			type: 'string',
			default: '',
			placeholder: '2026-11-26 10:15:00',
			description: "The ERP's local date and time (YYYY-MM-DD HH:MM:SS)",
			displayOptions: { show: { ...show.show, cursorMode: ['explicit'] } },
		},
	];
}

export interface Cursor {
	mode: CursorMode;
	/** "YYYY-MM-DD HH:MM:SS" in the ERP's local time, or undefined for a full read */
	since?: string;
	key: string;
}

const STAMP = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?))?$/;

export function readCursor(ctx: IExecuteFunctions, key: string): Cursor {
	const mode = ctx.getNodeParameter('cursorMode', 0, 'stored') as CursorMode;
	if (mode === 'all') return { mode, key };
	if (mode === 'explicit') {
		const text = String(ctx.getNodeParameter('since', 0, '')).trim();
		const m = STAMP.exec(text);
		if (!m)
			throw new NodeOperationError(ctx.getNode(), `Changed Since must look like 2026-11-26 10:15:00, got "${text}"`, {
				itemIndex: 0,
			});
		return { mode, key, since: `${m[1]} ${(m[2] ?? '00:00:00').padEnd(8, ':00').slice(0, 8)}` };
	}
	const stored = ctx.getWorkflowStaticData('node')[key];
	return { mode, key, since: typeof stored === 'string' && STAMP.test(stored) ? stored : undefined };
}

/** Remembers the newest stamp seen; saved by n8n only if the whole execution succeeds. */
export function saveCursor(ctx: IExecuteFunctions, cursor: Cursor, newest: string | undefined): void {
	if (cursor.mode === 'explicit' || !newest) return;
	const data = ctx.getWorkflowStaticData('node');
	const current = data[cursor.key];
	if (typeof current !== 'string' || newest > current) data[cursor.key] = newest;
}

export function splitStamp(stamp: string): { date: string; time: string } {
	const [date, time] = stamp.split(' ');
	return { date, time: time ?? '00:00:00' };
}

export function newestOf(a: string | undefined, b: string | undefined): string | undefined {
	if (!a) return b;
	if (!b) return a;
	return a > b ? a : b;
}
