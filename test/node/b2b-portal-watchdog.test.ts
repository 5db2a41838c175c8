/**
 * Sync Status → Find Overdue (the watchdog) through n8n-core's engine against the portal simulator.
 * Times are set relative to the real clock with margins of whole minutes either side of every threshold, so
 * no assertion depends on how long a test takes.
 */
import type { IDataObject } from 'n8n-workflow';
import type { SyncStatus } from '../../nodes/shared/model/types';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { FAST_RETRY, json, runPortal } from './portal-helpers';
import { afterRecordRun } from './sap-helpers';

let sim: PortalSimulator;
beforeAll(async () => {
	sim = await startPortalSimulator();
});
afterAll(async () => sim.close());
beforeEach(() => sim.reset());
afterEach(() => expect(sim.contractViolations).toEqual([]));

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

function heartbeat(flow: string, minutesAgo: number, extra: Partial<SyncStatus> = {}): void {
	sim.state.syncStatus.set(flow, {
		flow,
		status: 'success',
		startedAt: ago(minutesAgo + 1),
		finishedAt: ago(minutesAgo),
		counts: { items: 3 },
		...extra,
	});
}

const find = (extra: IDataObject = {}, options: IDataObject = {}) => ({
	resource: 'syncStatus',
	operation: 'findOverdue',
	alertOnce: false,
	...extra,
	options: { ...FAST_RETRY, timeZone: 'Europe/Warsaw', ...options },
});

describe('B2B Portal › Sync Status › Find Overdue', () => {
	it('emits nothing when every flow ran within its interval', async () => {
		heartbeat('sap-b1 stock', 3, { expectedEveryMinutes: 5 });
		heartbeat('sap-b1 ceny', 40, { expectedEveryMinutes: 30 });
		heartbeat('bez interwału', 10_000); // no interval recorded: not watched for silence
		const r = await runPortal(sim, find());
		expect(r.error).toBeUndefined();
		expect(json(r)).toEqual([]);
		expect(sim.requests.filter((q) => q.path === '/v1/sync-status').map((q) => q.method)).toEqual(['GET']);
	});

	it('reports a flow silent beyond interval × grace with the fields a notification needs (Polish names)', async () => {
		heartbeat('Stany magazynowe – Łódź, Gdańsk', 50, { expectedEveryMinutes: 30, message: 'zażółć gęślą jaźń' });
		const r = await runPortal(sim, find());
		expect(r.error).toBeUndefined();
		const [f] = json(r);
		expect(json(r)).toHaveLength(1);
		expect(f).toMatchObject({
			flow: 'Stany magazynowe – Łódź, Gdańsk',
			problem: 'overdue',
			lastStatus: 'success',
			expectedEveryMinutes: 30,
			allowedSilenceMinutes: 45,
			lastMessage: 'zażółć gęślą jaźń',
		});
		expect(f.minutesSilent).toBeGreaterThanOrEqual(50);
		expect(f.minutesOverdue).toBe((f.minutesSilent as number) - 30);
		expect(f.lastSuccessAt).toBe(sim.state.syncStatus.get('Stany magazynowe – Łódź, Gdańsk')!.finishedAt);
		expect(f.messagePl).toMatch(
			/^Przepływ „Stany magazynowe – Łódź, Gdańsk” milczy od 5\d min \(ostatnie udane uruchomienie 20\d\d-\d\d-\d\d \d\d:\d\d \(Europe\/Warsaw\), oczekiwane co 30 min\)\.$/,
		);
		expect(f.messageEn).toMatch(/^Flow "Stany magazynowe – Łódź, Gdańsk" has been silent for 5\d min/);
		expect(f.text).toBe(`${String(f.messagePl)}\n${String(f.messageEn)}`);
	});

	it('grace: max(interval × factor, interval + minimum slack), both configurable', async () => {
		heartbeat('co 5 min', 9, { expectedEveryMinutes: 5 }); // 5 × 1.5 = 7.5 but slack makes it 10 → fine
		heartbeat('co 60 min', 80, { expectedEveryMinutes: 60 }); // 90 allowed → fine
		heartbeat('co 60 min, za długo', 95, { expectedEveryMinutes: 60 }); // 90 allowed → overdue
		expect(json(await runPortal(sim, find())).map((f) => f.flow)).toEqual(['co 60 min, za długo']);

		const strict = await runPortal(sim, find({}, { graceFactor: 1.2, minimumSlackMinutes: 2 }));
		expect(json(strict).map((f) => [f.flow, f.allowedSilenceMinutes])).toEqual([
			['co 5 min', 7],
			['co 60 min', 72],
			['co 60 min, za długo', 72],
		]);
	});

	it('a failed last run is reported as failing with its message, whenever it happened', async () => {
		heartbeat('sap-b1 zamówienia', 1, {
			status: 'failure',
			expectedEveryMinutes: 5,
			message: 'SAP: Brak towaru „Śruba żółta” w magazynie',
		});
		const [f] = json(await runPortal(sim, find()));
		expect(f).toMatchObject({
			flow: 'sap-b1 zamówienia',
			problem: 'failing',
			lastStatus: 'failure',
			lastSuccessAt: null,
		});
		expect(f.messagePl).toContain('zakończył się błędem');
		expect(f.messagePl).toContain('Brak towaru „Śruba żółta”');
	});

	it('a listed flow the portal never heard of is "never reported"; listed flows that reported are judged as usual', async () => {
		heartbeat('sap-b1 klienci', 10, { expectedEveryMinutes: 1440 });
		const r = await runPortal(
			sim,
			find({
				watchedFlows: {
					flow: [
						{ name: '  Faktury – Kraków ', everyMinutes: 15 },
						{ name: 'sap-b1 klienci', everyMinutes: 0 },
					],
				},
			}),
		);
		expect(json(r)).toEqual([
			expect.objectContaining({
				flow: 'Faktury – Kraków',
				problem: 'never-reported',
				lastRunAt: null,
				expectedEveryMinutes: 15,
				messagePl: 'Przepływ „Faktury – Kraków” nie zgłosił jeszcze żadnego uruchomienia.',
				messageEn: 'Flow "Faktury – Kraków" has never reported a run.',
			}),
		]);
	});

	it('an override replaces the recorded interval, and watches a flow that records none', async () => {
		heartbeat('sap-b1 ceny', 40, { expectedEveryMinutes: 30 }); // overdue by its own 30
		heartbeat('bez interwału', 200);
		const r = await runPortal(
			sim,
			find({
				watchedFlows: {
					flow: [
						{ name: 'sap-b1 ceny', everyMinutes: 60 },
						{ name: 'bez interwału', everyMinutes: 120 },
					],
				},
			}),
		);
		expect(json(r).map((f) => [f.flow, f.problem, f.expectedEveryMinutes])).toEqual([
			['bez interwału', 'overdue', 120],
		]);
	});

	it('clock edges: a run stamped in the future is "just now"; other offsets and DST are compared as instants', async () => {
		heartbeat('zegar portalu się spieszy', -30, { expectedEveryMinutes: 5 });
		// 50 minutes ago written with a +02:00 / −05:00 offset: the same instant, overdue for a 30-minute flow
		const inZone = (ms: number, offsetMin: number) => {
			const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 19);
			const sign = offsetMin < 0 ? '-' : '+';
			const abs = Math.abs(offsetMin);
			return `${local}${sign}${String(Math.trunc(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
		};
		const fifty = Date.now() - 50 * 60_000;
		heartbeat('Warszawa latem', 0, {
			finishedAt: inZone(fifty, 120),
			startedAt: inZone(fifty, 120),
			expectedEveryMinutes: 30,
		});
		heartbeat('Nowy Jork', 0, {
			finishedAt: inZone(fifty, -300),
			startedAt: inZone(fifty, -300),
			expectedEveryMinutes: 30,
		});
		heartbeat('Warszawa zimą, świeże', 0, {
			finishedAt: inZone(Date.now() - 10 * 60_000, 60),
			startedAt: inZone(Date.now() - 11 * 60_000, 60),
			expectedEveryMinutes: 30,
		});
		const r = await runPortal(sim, find());
		const found = json(r);
		expect(found.map((f) => f.flow)).toEqual(['Nowy Jork', 'Warszawa latem']);
		for (const f of found) expect(f.minutesSilent).toBeGreaterThanOrEqual(50);
		expect(found[1].messagePl).toContain(`(Europe/Warsaw)`);
	});

	it('alert once: a problem is output once, again only if it changes, then "recovered" — after Record Run commits', async () => {
		heartbeat('sap-b1 stany', 30, { expectedEveryMinutes: 5 });
		const first = await runPortal(sim, find({ alertOnce: true }));
		expect(json(first).map((f) => [f.flow, f.problem])).toEqual([['sap-b1 stany', 'overdue']]);

		// the alert was not delivered (no Record Run): the next check alerts again
		const notCommitted = await runPortal(sim, find({ alertOnce: true }), { staticData: first.staticData });
		expect(json(notCommitted)).toHaveLength(1);

		const quiet = await runPortal(sim, find({ alertOnce: true }), { staticData: afterRecordRun(first.staticData) });
		expect(json(quiet)).toEqual([]);

		sim.state.syncStatus.set('sap-b1 stany', {
			...sim.state.syncStatus.get('sap-b1 stany')!,
			status: 'failure',
			message: 'błąd sesji',
		});
		const changed = await runPortal(sim, find({ alertOnce: true }), { staticData: afterRecordRun(quiet.staticData) });
		expect(json(changed).map((f) => f.problem)).toEqual(['failing']);

		heartbeat('sap-b1 stany', 1, { expectedEveryMinutes: 5 });
		const recovered = await runPortal(sim, find({ alertOnce: true }), {
			staticData: afterRecordRun(changed.staticData),
		});
		expect(json(recovered)).toEqual([
			expect.objectContaining({ flow: 'sap-b1 stany', problem: 'recovered', lastStatus: 'success' }),
		]);
		expect(json(recovered)[0].messagePl).toMatch(/^Przepływ „sap-b1 stany” znowu działa/);

		const after = await runPortal(sim, find({ alertOnce: true }), { staticData: afterRecordRun(recovered.staticData) });
		expect(json(after)).toEqual([]);
	});

	it('names differing only in Unicode form or spaces are one flow', async () => {
		const nfd = 'Łódź – stany'.normalize('NFD');
		heartbeat(nfd, 2, { expectedEveryMinutes: 5 });
		const r = await runPortal(sim, find({ watchedFlows: { flow: [{ name: 'Łódź – stany ', everyMinutes: 0 }] } }));
		expect(json(r)).toEqual([]);
	});

	it('summary: exactly one item, also when all is well', async () => {
		heartbeat('sap-b1 stany', 1, { expectedEveryMinutes: 5 });
		const ok = await runPortal(sim, find({}, { summary: true }));
		expect(json(ok)).toEqual([
			expect.objectContaining({
				allOk: true,
				flowsChecked: 1,
				problems: [],
				alerts: [],
				messagePl: 'Wszystkie przepływy działają.',
			}),
		]);
		heartbeat('sap-b1 ceny', 100, { expectedEveryMinutes: 30 });
		const bad = json(await runPortal(sim, find({}, { summary: true })));
		expect(bad).toHaveLength(1);
		expect(bad[0]).toMatchObject({ allOk: false, flowsChecked: 2 });
		expect((bad[0].problems as IDataObject[]).map((p) => p.flow)).toEqual(['sap-b1 ceny']);
		expect(bad[0].messageEn).toMatch(/^Flow "sap-b1 ceny" has been silent/);
	});

	it('clear errors: a listed flow without a name, an unknown time zone, a wrong API key (not echoed)', async () => {
		const noName = await runPortal(sim, find({ watchedFlows: { flow: [{ name: ' ', everyMinutes: 5 }] } }));
		expect(noName.error?.message).toBe('Flows That Must Report: entry 1 has no Flow Name');
		const zone = await runPortal(sim, find({}, { timeZone: 'Europa/Warszawa' }));
		expect(zone.error?.message).toBe('Time Zone for Messages: unknown time zone "Europa/Warszawa"');
		const key = await runPortal(sim, find(), { apiKey: 'wrong-klucz-ae-123' });
		expect(key.error).toBeDefined();
		expect(
			JSON.stringify({ m: key.error?.message, d: (key.error as { description?: string }).description }),
		).not.toContain('wrong-klucz-ae-123');
	});
});
