/**
 * Seed generator and CLI of the SAP B1 simulator: determinism, realistic Polish data, 100,000 items
 * (time and memory printed), and the CLI's JSON line.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { seedState } from '../../simulators/sap-b1/seed';
import { startSapSimulator, type SapSimulator } from '../../simulators/sap-b1/server';
import { createClock } from '../../simulators/sap-b1/clock';
import { itemEntity } from '../../simulators/sap-b1/entitysets';
import { SapState } from '../../simulators/sap-b1/state';
import { enc, login, readAll, sl } from './helpers';

const START = '2026-11-26T09:00:00Z';

function company(seed: number, items = 300) {
	const state = new SapState(createClock({ start: START, frozen: true }), 'SBODEMOPL');
	seedState(state, { seed, items, specialPrices: 80 });
	return state;
}

function snapshot(state: SapState) {
	return JSON.stringify({
		items: state.itemsInOrder().map((r) => itemEntity(state, r, 'single')),
		partners: [...state.partners.values()],
		special: [...state.specialPrices.values()],
		lists: [...state.priceLists.values()],
		warehouses: [...state.warehouses.values()],
	});
}

function validNip(raw: string): boolean {
	const d = raw.replace(/^PL/, '').replace(/-/g, '');
	if (!/^\d{10}$/.test(d)) return false;
	const sum = [6, 5, 7, 2, 3, 4, 5, 6, 7].reduce((acc, w, i) => acc + w * Number(d[i]), 0) % 11;
	return sum === Number(d[9]);
}

test('deterministic for a seed (and different for another seed)', () => {
	expect(snapshot(company(7))).toBe(snapshot(company(7)));
	expect(snapshot(company(7))).not.toBe(snapshot(company(8)));
});

test('realistic Polish company: warehouses, price lists, NIPs, addresses, special prices, spread update stamps', () => {
	const s = company(3, 2000);
	expect([...s.warehouses.values()].map((w) => [w.WarehouseCode, w.City])).toEqual([
		['01', 'Łódź'],
		['02', 'Kraków'],
		['03', 'Gdańsk'],
	]);
	expect(
		[...s.priceLists.values()].map((p) => [p.PriceListNo, p.PriceListName, p.BasePriceList, p.Factor, p.IsGrossPrice]),
	).toEqual([
		[1, 'Cennik podstawowy', 1, 1, 'tNO'],
		[2, 'Hurtowy', 1, 0.85, 'tNO'],
		[3, 'Detal brutto', 1, 1.5375, 'tYES'],
	]);
	const bps = [...s.partners.values()];
	expect(bps.filter((b) => b.CardType === 'cCustomer')).toHaveLength(20);
	expect(bps.filter((b) => b.CardType === 'cSupplier')).toHaveLength(5);
	expect(bps.filter((b) => b.CardType === 'cLid')).toHaveLength(2);
	for (const b of bps) {
		if (b.FederalTaxID !== null) expect([b.CardCode, validNip(b.FederalTaxID)]).toEqual([b.CardCode, true]);
		expect(b.BPAddresses.map((a) => a.AddressType)).toEqual(['bo_BillTo', 'bo_ShipTo']);
		expect(b.BPAddresses[0].ZipCode).toMatch(/^\d{2}-\d{3}$/);
	}
	const spellings = new Set(
		bps.map((b) => (b.FederalTaxID?.startsWith('PL') ? 'PL' : b.FederalTaxID?.includes('-') ? 'dashed' : 'plain')),
	);
	expect(spellings).toEqual(new Set(['PL', 'dashed', 'plain']));
	const text = [...s.items.values()].map((r) => r.ItemName).join(' ') + bps.map((b) => b.CardName + b.City).join(' ');
	for (const ch of 'ąćęłńóśźżŁŚŻŹĆ') expect([ch, text.includes(ch)]).toEqual([ch, true]);
	const sp = [...s.specialPrices.values()];
	expect(sp.some((x) => x.CardCode === '*2')).toBe(true);
	expect(sp.some((x) => x.ValidFrom && x.ValidTo)).toBe(true);
	expect(sp.some((x) => x.SpecialPriceDataAreas.some((a) => a.SpecialPriceQuantityAreas.length > 0))).toBe(true);
	const dates = new Set([...s.items.values()].map((r) => r.UpdateDate));
	expect(dates.size).toBeGreaterThan(50);
	const now = s.stamp();
	expect([...s.items.values()].every((r) => `${r.UpdateDate} ${r.UpdateTime}` <= `${now.date} ${now.time}`)).toBe(true);
	expect(
		[...s.items.values()].every((r) => `${r.CreateDate} ${r.CreateTime}` <= `${r.UpdateDate} ${r.UpdateTime}`),
	).toBe(true);
	expect(s.items.has('ŁÓD-007')).toBe(true);
});

describe('100,000 items', () => {
	let sim: SapSimulator;
	beforeAll(async () => {
		sim = await startSapSimulator({ seed: false, loginDelayMs: 0, clock: { start: START, frozen: true } });
	});
	afterAll(() => sim.close());

	test('seeds fast and lean; the API filters and pages through them', async () => {
		(global as { gc?: () => void }).gc?.();
		const heap0 = process.memoryUsage().heapUsed;
		const summary = sim.seed({ items: 100_000, seed: 42 });
		(global as { gc?: () => void }).gc?.();
		const heapMb = (process.memoryUsage().heapUsed - heap0) / 1024 / 1024;
		expect(summary.items).toBe(100_000);
		expect(sim.state.items.size).toBe(100_000);
		const cookie = await login(sim);
		let t = performance.now();
		const count = await sl(sim, 'GET', '/Items/$count', { cookie });
		expect(count.text).toBe('100000');
		const since = enc("(UpdateDate gt '2026-11-20') or (UpdateDate eq '2026-11-20' and UpdateTime ge '10:15:00')");
		const delta = await readAll(sim, `/Items?$filter=${since}&$select=ItemCode,UpdateDate,UpdateTime`, cookie, {
			headers: { 'B1S-PageSize': '5000' },
		});
		const deltaMs = performance.now() - t;
		const expected = [...sim.state.items.values()].filter(
			(r) => r.UpdateDate > '2026-11-20' || (r.UpdateDate === '2026-11-20' && r.UpdateTime >= '10:15:00'),
		).length;
		expect(delta.rows).toHaveLength(expected);
		t = performance.now();
		const all = await readAll(sim, '/Items?$select=ItemCode,QuantityOnStock', cookie, {
			headers: { 'B1S-PageSize': '10000' },
		});
		const allMs = performance.now() - t;
		expect(all.rows).toHaveLength(100_000);
		t = performance.now();
		const page = await sl(sim, 'GET', '/Items?$skip=99980', { cookie });
		const lastPageMs = performance.now() - t;
		expect(page.json.value).toHaveLength(20);
		console.log(
			`SAP B1 simulator, 100,000 items: seed ${summary.ms} ms, heap +${heapMb.toFixed(1)} MB` +
				`${(global as { gc?: unknown }).gc ? '' : ' (without --expose-gc: approximate)'}; ` +
				`delta filter ${expected} rows in ${delta.pages} pages ${deltaMs.toFixed(0)} ms; ` +
				`all 100,000 rows (10 pages of 10,000) ${allMs.toFixed(0)} ms; last default page ${lastPageMs.toFixed(0)} ms`,
		);
		expect(summary.ms).toBeLessThan(5000);
		expect(heapMb).toBeLessThan(200);
	});
});

test('the CLI prints one JSON line the client can log in with', async () => {
	const script = path.resolve(__dirname, '../../simulators/sap-b1/run-cli.mjs');
	const child = spawn(process.execPath, [script, '--items', '50', '--seed', '5'], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	try {
		const line = await new Promise<string>((resolve, reject) => {
			let buf = '';
			let err = '';
			child.stdout.on('data', (d) => {
				buf += d;
				const nl = buf.indexOf('\n');
				if (nl >= 0) resolve(buf.slice(0, nl));
			});
			child.stderr.on('data', (d) => (err += d));
			child.once('exit', (code) => reject(new Error(`cli exited ${code}: ${err}`)));
		});
		const info = JSON.parse(line);
		expect(Object.keys(info)).toEqual(['url', 'urlV2', 'gatewayUrl', 'companyDb', 'user', 'password']);
		expect(info).toMatchObject({ companyDb: 'SBODEMOPL', user: 'manager', password: '1234' });
		const res = await fetch(`${info.url}/Login`, {
			method: 'POST',
			body: JSON.stringify({ CompanyDB: info.companyDb, UserName: info.user, Password: info.password }),
		});
		expect(res.status).toBe(200);
		const c = res.headers
			.getSetCookie()
			.map((x) => x.split(';')[0])
			.join('; ');
		const count = await fetch(`${info.urlV2}/Items/$count`, { headers: { Cookie: c } });
		expect(await count.text()).toBe('50');
		const gw = await fetch(`${info.gatewayUrl}/rs/v1/LoadAuthorizedCRList`);
		expect(gw.status).toBe(401);
	} finally {
		const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
	}
});
