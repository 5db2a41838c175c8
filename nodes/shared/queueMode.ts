/**
 * n8n's queue mode and the state a flow carries from run to run (read positions in cursor.ts, delta hashes in
 * delta.ts, the watchdog's alert memory). That state is workflow static data, and n8n 2.41.1 does not hand it to
 * the worker that runs an execution: the execution is stored without it and the worker reloads it only for a
 * resumed run (docs/deploy.md, "Known gap"). So on a queue-mode worker every run starts without the previous
 * run's state. The templates load it from the portal first (syncState.ts, Load Sync State); for a flow without
 * that step Record Run says so in the run's sync status instead of letting the flow lose its delta silently.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { CURSOR_STORE } from './cursor';
import { DELTA_STORE } from './delta';

/** True in a process of an n8n started with EXECUTIONS_MODE=queue (the workers run every execution there). */
export function inQueueMode(env: NodeJS.ProcessEnv = process.env): boolean {
	return env.EXECUTIONS_MODE === 'queue';
}

/** The run wrote read positions or delta hashes: its next run depends on them. */
export function keepsSyncState(ctx: IExecuteFunctions): boolean {
	const data = ctx.getWorkflowStaticData('global');
	return data[CURSOR_STORE] !== undefined || data[DELTA_STORE] !== undefined;
}

/** What Record Run adds to the run's message on a queue-mode worker when the flow keeps state (Polish, then English). */
export const QUEUE_STATE_NOTICE =
	'Tryb kolejki n8n: stan tego przepływu (pozycja odczytu, skróty zmian) nie dociera do następnego uruchomienia — ' +
	'każde uruchomienie czyta i wysyła wszystko, usunięć w ERP nie widać; dodaj krok „Load Sync State” zaraz po wyzwalaczu. ' +
	"n8n queue mode: this flow's read position and delta state do not reach its next run (n8n gives workers no " +
	'workflow static data) — every run reads and sends everything and deletions in the ERP are not seen; ' +
	'add a "Load Sync State" step right after the trigger (docs/deploy.md).';
