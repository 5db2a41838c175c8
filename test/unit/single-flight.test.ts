/**
 * nodes/shared/transport/singleFlight.ts: one run per key while it is under way, its outcome shared by all
 * who joined, and the key free again once it settled (session renewal, issue #11).
 */
import { flightsInProgress, singleFlight } from '../../nodes/shared/transport/singleFlight';

const deferred = <T>() => {
	let resolve!: (v: T) => void;
	let reject!: (e: unknown) => void;
	const promise = new Promise<T>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject };
};

describe('singleFlight', () => {
	it('runs the work once for everyone who asks while it is under way, then frees the key', async () => {
		const gate = deferred<string>();
		let runs = 0;
		const work = async () => {
			runs++;
			return await gate.promise;
		};
		const flights = [singleFlight('sapB1Api\u001fcred-1\u001fB1SESSION=stara', work)];
		for (let i = 0; i < 3; i++) flights.push(singleFlight('sapB1Api\u001fcred-1\u001fB1SESSION=stara', work));
		const other = singleFlight('sapB1Api\u001fcred-2\u001fB1SESSION=stara', async () => 'inna sesja źródłowa');
		expect(flights.map((f) => f.leader)).toEqual([true, false, false, false]);
		expect(other.leader).toBe(true);
		gate.resolve('nowa sesja – żółw');
		expect(await Promise.all(flights.map((f) => f.done))).toEqual(Array(4).fill('nowa sesja – żółw'));
		expect(await other.done).toBe('inna sesja źródłowa');
		expect(runs).toBe(1);
		expect(flightsInProgress()).toBe(0);
		expect(singleFlight('sapB1Api\u001fcred-1\u001fB1SESSION=stara', async () => 'again').leader).toBe(true);
	});

	it('gives the same failure to the leader and to everyone who joined, and frees the key', async () => {
		const gate = deferred<string>();
		const lead = singleFlight('k', async () => await gate.promise);
		const joined = singleFlight('k', async () => 'never run');
		const failure = new Error('SAP B1 login to company "SBODEMOPL" as "Łukasz" failed (HTTP 401)');
		gate.reject(failure);
		await expect(lead.done).rejects.toBe(failure);
		await expect(joined.done).rejects.toBe(failure);
		expect(flightsInProgress()).toBe(0);
	});
});
