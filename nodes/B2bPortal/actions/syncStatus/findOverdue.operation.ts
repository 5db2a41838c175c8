/**
 * The watchdog: reads every flow's last run from the portal and outputs one item per flow in trouble —
 * overdue (silent longer than its interval allows), failing (its last run failed) or never reported (listed as
 * expected, never heard of). Nothing when all is well, so a notification node after it only fires on trouble.
 *
 * "Alert Once per Problem" remembers what was alerted in the workflow's static data as a *pending* position
 * (nodes/shared/cursor.ts); Record Run at the end of the watchdog commits it, so an alert that could not be
 * delivered is sent again at the next check instead of being forgotten.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { committedPosition, setPending } from '../../../shared/cursor';
import type { SyncStatus } from '../../../shared/model/types';
import { optionsCollection, readCommonOptions } from '../../../shared/options';
import { portalRequest } from '../../transport';
import { flowKey, judge, newAlerts, parseAlerted, type WatchRules } from './watchdog';

const show = { show: { resource: ['syncStatus'], operation: ['findOverdue'] } };

/** key of the alerted flows among the workflow's two-phase positions */
export const WATCHDOG_STATE_KEY = 'watchdogAlerted';

export const description: INodeProperties[] = [
	{
		displayName: 'Flows That Must Report',
		name: 'watchedFlows',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add flow',
		default: {},
		displayOptions: show,
		description:
			'Flows that must have reported a run: a listed flow the portal has never heard of is reported as "never reported". Optionally give its interval here instead of the one it records.',
		options: [
			{
				displayName: 'Flow',
				description: 'Flow name exactly as its Record Run gives it',
				name: 'flow',
				values: [
					{
						displayName: 'Flow Name',
						name: 'name',
						type: 'string',
						default: '',
						description: 'Exactly as in that flow\'s Record Run → Flow Name, e.g. "sap-b1 stock"',
					},
					{
						displayName: 'Expected Every (Minutes)',
						name: 'everyMinutes',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description: 'How often it should run; 0 = use the interval the flow records itself',
					},
				],
			},
		],
	},
	{
		displayName: 'Alert Once per Problem',
		name: 'alertOnce',
		type: 'boolean',
		default: true,
		displayOptions: show,
		description:
			'Whether to output a flow only when its problem is new (not at every check while it lasts), plus a "recovered" item when it works again. Remembered in n8n (active workflows) once Record Run at the end of the watchdog succeeded.',
	},
	optionsCollection(show, [
		{
			displayName: 'Grace Factor',
			name: 'graceFactor',
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 2 },
			default: 1.5,
			description:
				'A flow is overdue when silent longer than its interval × this factor (1.5: a 30-minute flow after 45 minutes)',
		},
		{
			displayName: 'Minimum Slack (Minutes)',
			name: 'minimumSlackMinutes',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 5,
			description:
				'…and at least this many minutes longer than its interval, so a 5-minute flow that is a little slow does not alert',
		},
		{
			displayName: 'Always Output a Summary',
			name: 'summary',
			type: 'boolean',
			default: false,
			description:
				'Whether to output exactly one item with every flow in trouble (and the alerts), also when all is well — e.g. for a daily report',
		},
		{
			displayName: 'Time Zone for Messages',
			name: 'timeZone',
			type: 'string',
			default: '',
			placeholder: 'Europe/Warsaw',
			description: "Times in the sentences; empty = the workflow's time zone",
		},
	]),
];

function numberOption(options: IDataObject, name: string, def: number, min: number): number {
	const v = options[name];
	return typeof v === 'number' && Number.isFinite(v) && v >= min ? v : def;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const watched = (this.getNodeParameter('watchedFlows', 0, {}) as IDataObject).flow as IDataObject[] | undefined;
	const expected = new Map<string, number>();
	for (const [i, entry] of (watched ?? []).entries()) {
		const name = flowKey(String(entry.name ?? ''));
		if (!name)
			throw new NodeOperationError(this.getNode(), `Flows That Must Report: entry ${i + 1} has no Flow Name`, {
				itemIndex: 0,
			});
		const every = Number(entry.everyMinutes ?? 0);
		expected.set(name, Number.isFinite(every) && every > 0 ? every : 0);
	}
	const timeZone = String(options.timeZone || '').trim() || this.getTimezone();
	try {
		new Intl.DateTimeFormat('en-US', { timeZone });
	} catch {
		throw new NodeOperationError(this.getNode(), `Time Zone for Messages: unknown time zone "${timeZone}"`, {
			itemIndex: 0,
		});
	}
	const rules: WatchRules = {
		graceFactor: numberOption(options, 'graceFactor', 1.5, 1),
		minimumSlackMinutes: numberOption(options, 'minimumSlackMinutes', 5, 0),
		expected,
		timeZone,
	};
	const { body } = await portalRequest<{ items: SyncStatus[] }>(this, {
		method: 'GET',
		path: '/v1/sync-status',
		itemIndex: 0,
		action: 'Reading sync status',
		policy: readCommonOptions(this, 0).policy,
	});
	// n8n's clock, read after the answer: silence is measured up to the moment we looked
	const current = judge(body.items, Date.now(), rules);
	let alerts = current;
	if (this.getNodeParameter('alertOnce', 0, true)) {
		const result = newAlerts(current, parseAlerted(committedPosition(this, WATCHDOG_STATE_KEY)), body.items, rules);
		alerts = result.alerts;
		setPending(this, WATCHDOG_STATE_KEY, JSON.stringify(result.state));
	}
	const paired = items.length ? items.map((_, i) => ({ item: i })) : { item: 0 };
	if (options.summary) {
		const pl = alerts.map((a) => a.messagePl);
		const en = alerts.map((a) => a.messageEn);
		return [
			{
				json: {
					allOk: current.length === 0,
					flowsChecked: new Set([...body.items.map((s) => flowKey(s.flow)), ...expected.keys()]).size,
					problems: current as unknown as IDataObject[],
					alerts: alerts as unknown as IDataObject[],
					messagePl: pl.length ? pl.join('\n') : 'Wszystkie przepływy działają.',
					messageEn: en.length ? en.join('\n') : 'All flows are working.',
					text: pl.length ? [...pl, ...en].join('\n') : 'Wszystkie przepływy działają.\nAll flows are working.',
				},
				pairedItem: paired,
			},
		];
	}
	return alerts.map((a) => ({ json: a as unknown as IDataObject, pairedItem: paired }));
}
