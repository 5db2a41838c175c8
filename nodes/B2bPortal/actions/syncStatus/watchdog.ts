/**
 * The watchdog's judgement, as a pure function of the portal's sync statuses and "now" (unit-testable without
 * n8n). Silence is measured from n8n's clock on purpose: the question is "has anything been heard from this
 * flow lately", and a flow that stopped cannot report how late it is — only the one asking can.
 */
import type { SyncStatus } from '../../../shared/model/types';
import { zonedWallClock } from '../../../shared/time';
import { hasOwn, ownValue, setOwn } from '../../../shared/own';

export type Problem = 'overdue' | 'failing' | 'never-reported';

export interface WatchRules {
	/** allowed silence = max(expected × graceFactor, expected + minimumSlackMinutes) */
	graceFactor: number;
	minimumSlackMinutes: number;
	/** flows that must have reported; a number overrides the interval the flow records (0 = keep it) */
	expected: Map<string, number>;
	/** zone for the times in the sentences */
	timeZone: string;
}

export interface FlowFinding {
	flow: string;
	problem: Problem | 'recovered';
	lastStatus: 'success' | 'failure' | null;
	lastRunAt: string | null;
	/** the portal keeps only the last run of a flow: when that run failed, the last success is unknown (null) */
	lastSuccessAt: string | null;
	expectedEveryMinutes: number | null;
	allowedSilenceMinutes: number | null;
	minutesSilent: number | null;
	/** minutes since the next run was due (silence − expected interval) */
	minutesOverdue: number | null;
	lastMessage: string | null;
	messagePl: string;
	messageEn: string;
	/** both sentences, Polish first, ready for an e-mail, Slack or Teams message */
	text: string;
}

/** Flow names compare after trimming and Unicode NFC (so "Łódź" typed on two keyboards is one flow). */
export const flowKey = (name: string): string => name.normalize('NFC').trim();

export function allowedSilence(
	expected: number,
	rules: Pick<WatchRules, 'graceFactor' | 'minimumSlackMinutes'>,
): number {
	return Math.max(expected * rules.graceFactor, expected + rules.minimumSlackMinutes);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-11-26 11:15 (Europe/Warsaw)", or the raw text when it is not a time */
export function formatTime(iso: string | null, timeZone: string): string {
	if (!iso) return '—';
	const ms = Date.parse(iso);
	if (!Number.isFinite(ms)) return iso;
	const w = zonedWallClock(ms, timeZone);
	return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)} (${timeZone})`;
}

function sentences(f: Omit<FlowFinding, 'messagePl' | 'messageEn' | 'text'>, timeZone: string): [string, string] {
	const last = formatTime(f.lastRunAt, timeZone);
	const why = f.lastMessage ? `: ${f.lastMessage}` : '';
	switch (f.problem) {
		case 'never-reported':
			return [
				`Przepływ „${f.flow}” nie zgłosił jeszcze żadnego uruchomienia.`,
				`Flow "${f.flow}" has never reported a run.`,
			];
		case 'failing':
			return [`Przepływ „${f.flow}” zakończył się błędem (${last})${why}`, `Flow "${f.flow}" failed (${last})${why}`];
		case 'overdue':
			if (f.minutesSilent === null)
				return [
					`Przepływ „${f.flow}”: nieczytelny czas ostatniego uruchomienia (${last}).`,
					`Flow "${f.flow}": the time of its last run cannot be read (${last}).`,
				];
			return [
				`Przepływ „${f.flow}” milczy od ${f.minutesSilent} min (ostatnie udane uruchomienie ${last}, oczekiwane co ${f.expectedEveryMinutes} min).`,
				`Flow "${f.flow}" has been silent for ${f.minutesSilent} min (last successful run ${last}, expected every ${f.expectedEveryMinutes} min).`,
			];
		case 'recovered':
			return [
				`Przepływ „${f.flow}” znowu działa (ostatnie udane uruchomienie ${last}).`,
				`Flow "${f.flow}" is working again (last successful run ${last}).`,
			];
	}
}

function finding(base: Omit<FlowFinding, 'messagePl' | 'messageEn' | 'text'>, timeZone: string): FlowFinding {
	const [messagePl, messageEn] = sentences(base, timeZone);
	return { ...base, messagePl, messageEn, text: `${messagePl}\n${messageEn}` };
}

/** One finding per flow that is in trouble now (sorted by flow name); flows that are fine are absent. */
export function judge(statuses: SyncStatus[], nowMs: number, rules: WatchRules): FlowFinding[] {
	const byFlow = new Map<string, SyncStatus>();
	for (const s of statuses) byFlow.set(flowKey(s.flow), s);
	const out: FlowFinding[] = [];
	for (const [flow, override] of rules.expected) {
		if (byFlow.has(flow)) continue;
		const every = override > 0 ? override : null;
		out.push(
			finding(
				{
					flow,
					problem: 'never-reported',
					lastStatus: null,
					lastRunAt: null,
					lastSuccessAt: null,
					expectedEveryMinutes: every,
					allowedSilenceMinutes: every === null ? null : allowedSilence(every, rules),
					minutesSilent: null,
					minutesOverdue: null,
					lastMessage: null,
				},
				rules.timeZone,
			),
		);
	}
	for (const [flow, s] of byFlow) {
		const override = rules.expected.get(flow) ?? 0;
		const every =
			override > 0 ? override : (s.expectedEveryMinutes ?? 0) > 0 ? (s.expectedEveryMinutes as number) : null;
		const allowed = every === null ? null : allowedSilence(every, rules);
		const finishedMs = Date.parse(s.finishedAt);
		// a run stamped in the future (clock skew between machines) counts as "just now", never as negative silence
		const silent = Number.isFinite(finishedMs) ? Math.max(0, Math.floor((nowMs - finishedMs) / 60_000)) : null;
		const base = {
			flow,
			lastStatus: s.status,
			lastRunAt: s.finishedAt,
			lastSuccessAt: s.status === 'success' ? s.finishedAt : null,
			expectedEveryMinutes: every,
			allowedSilenceMinutes: allowed,
			minutesSilent: silent,
			minutesOverdue: null as number | null,
			lastMessage: s.message ?? null,
		};
		if (s.status === 'failure') {
			out.push(finding({ ...base, problem: 'failing' }, rules.timeZone));
			continue;
		}
		if (allowed === null || every === null) continue;
		if (silent === null) {
			out.push(finding({ ...base, problem: 'overdue' }, rules.timeZone));
			continue;
		}
		const silentExactMinutes = Math.max(0, (nowMs - finishedMs) / 60_000);
		if (silentExactMinutes > allowed)
			out.push(finding({ ...base, problem: 'overdue', minutesOverdue: Math.max(0, silent - every) }, rules.timeZone));
	}
	return out.sort((a, b) => (a.flow < b.flow ? -1 : a.flow > b.flow ? 1 : 0));
}

/** What was alerted and not yet recovered: flow → problem. */
export type AlertedState = Record<string, Problem>;

export function parseAlerted(text: string | undefined): AlertedState {
	if (!text) return {};
	try {
		const v = JSON.parse(text) as unknown;
		return v && typeof v === 'object' && !Array.isArray(v) ? (v as AlertedState) : {};
	} catch {
		return {};
	}
}

/**
 * The alerts to send given what was already alerted: problems that are new or changed, and "recovered" for
 * flows alerted before that are fine now. Returns the state to remember once the alerts went out.
 */
export function newAlerts(
	current: FlowFinding[],
	alerted: AlertedState,
	statuses: SyncStatus[],
	rules: WatchRules,
): { alerts: FlowFinding[]; state: AlertedState } {
	// flow names are data (kept as JSON between runs): own keys only, so a flow "constructor" or "__proto__"
	// alerts once and recovers like any other
	const state: AlertedState = {};
	const alerts: FlowFinding[] = [];
	for (const f of current) {
		setOwn(state, f.flow, f.problem as Problem);
		if (ownValue(alerted, f.flow) !== f.problem) alerts.push(f);
	}
	const byFlow = new Map(statuses.map((s) => [flowKey(s.flow), s]));
	for (const flow of Object.keys(alerted).sort()) {
		if (hasOwn(state, flow)) continue;
		const s = byFlow.get(flow);
		alerts.push(
			finding(
				{
					flow,
					problem: 'recovered',
					lastStatus: s?.status ?? null,
					lastRunAt: s?.finishedAt ?? null,
					lastSuccessAt: s?.status === 'success' ? s.finishedAt : null,
					expectedEveryMinutes: s?.expectedEveryMinutes ?? null,
					allowedSilenceMinutes: null,
					minutesSilent: null,
					minutesOverdue: null,
					lastMessage: s?.message ?? null,
				},
				rules.timeZone,
			),
		);
	}
	return { alerts, state };
}
