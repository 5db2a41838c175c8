/**
 * What every e2e file uses to time its steps for its report, to run a workflow keeping its output for the
 * credential scan, to read which nodes ran and to wait for an asynchronous outcome (a webhook run confirming an
 * order, a scheduled run finishing), written once.
 */
import type { Collected } from '../../harness/credential-scan';
import type { N8nInstance } from './n8n-instance';

export type Timed = <T>(label: string, fn: () => Promise<T>) => Promise<T>;

/** `timed(label, fn)` runs fn and records "label: 1.2 s" in `timings`, whether fn resolves or throws. */
export function stepTimings(): { timings: string[]; timed: Timed } {
	const timings: string[] = [];
	const timed = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
		const t = Date.now();
		try {
			return await fn();
		} finally {
			timings.push(`${label}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
		}
	};
	return { timings, timed };
}

/** Checks `cond` every 200 ms until it holds; after `ms` throws "timed out waiting for <what>". */
export async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
	const deadline = Date.now() + ms;
	while (!(await cond())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

/**
 * `execute(id, label)`: `n8n execute` of one workflow, timed, its stdout, stderr and error kept in `collected` for
 * the file's credential scan. `n8n` is read at each call (the instance is made in the file's beforeAll).
 */
export function collectingExecute(n8n: () => N8nInstance, timed: Timed, collected: Collected[]) {
	return async (id: string, label: string) => {
		const run = await timed(label, () => n8n().execute(id));
		collected.push({ source: `${label} stdout`, text: run.stdout }, { source: `${label} stderr`, text: run.stderr });
		if (run.error) collected.push({ source: `${label} error`, text: run.error });
		return run;
	};
}

/** The names of the nodes that ran, from a run's data as `n8n execute` prints it (with or without `data`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const ranNodes = (data: any): string[] =>
	Object.keys((data?.data?.resultData ?? data?.resultData)?.runData ?? {});
