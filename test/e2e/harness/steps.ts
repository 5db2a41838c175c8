/**
 * What every e2e file uses to time its steps for its report and to wait for an asynchronous outcome (a webhook
 * run confirming an order, a scheduled run finishing), written once.
 */

/** `timed(label, fn)` runs fn and records "label: 1.2 s" in `timings`, whether fn resolves or throws. */
export function stepTimings(): { timings: string[]; timed: <T>(label: string, fn: () => Promise<T>) => Promise<T> } {
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
