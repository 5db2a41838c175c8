/**
 * Single flight: while a piece of work for a key is running in this process, others asking for the same key
 * join it instead of starting their own. Made for session renewal (issue #11: a price read running four
 * requests at a time against a session that lasted 37 requests made 50 logins for 13 expiries, each login a
 * licensed SAP session left to idle out). The map lives per process (n8n main or one queue worker); an entry
 * is removed as soon as its work settles, so a key is never served from an old result.
 */

const flights = new Map<string, Promise<unknown>>();

export interface Flight<T> {
	/** true for the caller whose work runs; false for those who joined it */
	leader: boolean;
	/** the work's outcome: the leader's result or error, shared by everyone who joined */
	done: Promise<T>;
}

/** Runs `work` for `key`, or joins the run already under way for it. */
export function singleFlight<T>(key: string, work: () => Promise<T>): Flight<T> {
	const running = flights.get(key);
	if (running) return { leader: false, done: running as Promise<T> };
	const done = work();
	flights.set(key, done);
	const forget = () => {
		if (flights.get(key) === done) flights.delete(key);
	};
	done.then(forget, forget);
	return { leader: true, done };
}

/** Keys with work under way (for tests: the map must be empty once everything settled). */
export function flightsInProgress(): number {
	return flights.size;
}
