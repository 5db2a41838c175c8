/** Delta state, stock buffer arithmetic and canonical price precedence as pure functions; 100,000 records measured. */
import { createHash } from 'node:crypto';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { execute as passChanged } from '../../nodes/B2bSyncGuard/actions/delta/passChanged.operation';
import { bufferQuantity } from '../../nodes/B2bSyncGuard/actions/stock/buffer.operation';
import {
	commitDeltaPending,
	contentHash,
	DELTA_STORE,
	deltaKey,
	HASH_LENGTH,
	keyFields,
	stableJson,
	writeDeltaPending,
	type DeltaState,
} from '../../nodes/shared/delta';
import type { OrderLine, Price } from '../../nodes/shared/model/types';
import { AmbiguousPriceError, resolveCanonicalPrice } from '../../nodes/shared/priceCheck';

/** The little of IExecuteFunctions the delta operation uses, over a plain static data object. */
function fakeContext(params: IDataObject, global: IDataObject, executionId = 'e1'): IExecuteFunctions {
	return {
		getNodeParameter: (name: string, _i: number, fallback?: unknown) => (name in params ? params[name] : fallback),
		getWorkflowStaticData: () => global,
		getExecutionId: () => executionId,
		continueOnFail: () => false,
		getNode: () => ({
			name: 'B2B Sync Guard',
			type: 'b2bSyncGuard',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
			id: 'x',
		}),
	} as unknown as IExecuteFunctions;
}

describe('delta state', () => {
	it('hashes the content regardless of field order, and short', () => {
		const a = { code: 'ŁÓD-001', name: 'Łódka', attributes: { kolor: 'żółty', materiał: 'buk' } };
		const b = { attributes: { materiał: 'buk', kolor: 'żółty' }, name: 'Łódka', code: 'ŁÓD-001' };
		expect(stableJson(a)).toBe(stableJson(b));
		expect(contentHash(a)).toBe(contentHash(b));
		expect(contentHash(a)).toHaveLength(HASH_LENGTH);
		expect(contentHash({ ...a, name: 'Łódka ' })).not.toBe(contentHash(a));
		expect(stableJson([{ b: 1, a: [2, { d: null, c: 'ś' }] }])).toBe('[{"a":[2,{"c":"ś","d":null}],"b":1}]');
	});

	it('keeps the stored fingerprint format: SHA-1 (base64, first 10) of the sorted JSON without updatedAt', () => {
		// fingerprints stored by earlier versions stay valid only if this text and hash never change
		const sha = (text: string) => createHash('sha1').update(text).digest('base64').slice(0, HASH_LENGTH);
		const stock = { warehouseCode: 'MAG-ŁÓDŹ', productCode: 'ŁÓD-001', onHand: '12.5', reserved: '0', updatedAt: 'x' };
		expect(contentHash(stock)).toBe(
			sha('{"onHand":"12.5","productCode":"ŁÓD-001","reserved":"0","warehouseCode":"MAG-ŁÓDŹ"}'),
		);
		const nested = { name: 'Ż', attributes: { b: 1, a: null }, skip: undefined, flag: false };
		expect(contentHash(nested)).toBe(sha('{"attributes":{"a":null,"b":1},"flag":false,"name":"Ż"}'));
		// JSON puts array-index-like keys first, in numeric order
		expect(contentHash({ '10': 'a', '9': 'b', x: 1 })).toBe(sha('{"9":"b","10":"a","x":1}'));
		expect(contentHash([{ b: 1, a: 2 }])).toBe(sha('[{"a":2,"b":1}]'));
	});

	it('hashes records one after another each by its own keys (the key order kept from the record before is reused only for the same keys)', () => {
		const sha = (text: string) => createHash('sha1').update(text).digest('base64').slice(0, HASH_LENGTH);
		const own = (r: Record<string, unknown>) => {
			const { updatedAt: _skip, ...rest } = r;
			return sha(stableJson(rest));
		};
		const sequence: Array<Record<string, unknown>> = [
			{ productCode: 'ŁÓD-001', warehouseCode: 'MAG-ŁÓDŹ', onHand: '1' },
			{ productCode: 'ŻUK-7', warehouseCode: 'MAG-ŁÓDŹ', onHand: '2' },
			{ warehouseCode: 'MAG-ŁÓDŹ', productCode: 'ŻUK-7', onHand: '2' },
			{ productCode: 'ŻUK-7', warehouseCode: 'MAG-ŁÓDŹ', reserved: '2' },
			{ productCode: 'ŻUK-7', '10': 'a', '9': 'b' },
			{ productCode: 'ŻUK-7', '10': 'a', x: 'b' },
			{ productCode: 'ŻUK-7', warehouseCode: 'MAG-ŁÓDŹ', updatedAt: '2026-12-07T06:00:00Z' },
			{ productCode: 'ŻUK-7', warehouseCode: 'MAG-ŁÓDŹ', onHand: '2' },
		];
		for (const record of sequence) expect(contentHash(record)).toBe(own(record));
		expect(contentHash(sequence[1])).toBe(contentHash(sequence[2]));
	});

	it('builds composite keys and reads them back', () => {
		const stock = { productCode: 'ŁÓD-001', warehouseCode: 'MAG-ŁÓDŹ', onHand: '1' };
		expect(keyFields('stock', deltaKey('stock', stock))).toEqual({ productCode: 'ŁÓD-001', warehouseCode: 'MAG-ŁÓDŹ' });
		const price = { productCode: 'ŻUK-7', scope: 'clientGroup', scopeCode: 'HURT-Ś', currency: 'PLN', net: '1.00' };
		expect(deltaKey('price', price)).toBe(deltaKey('price', { ...price, minQuantity: '1', net: '2.00' }));
		expect(deltaKey('price', price)).not.toBe(deltaKey('price', { ...price, minQuantity: '10' }));
		expect(deltaKey('price', price)).not.toBe(deltaKey('price', { ...price, validFrom: '2026-12-01' }));
		expect(keyFields('productImage', deltaKey('productImage', { productCode: 'GĘŚ-2', position: 3 }))).toEqual({
			productCode: 'GĘŚ-2',
			position: 3,
		});
	});

	it('commits pending diffs (sets and removals) and leaves states without pending alone', () => {
		const states: Record<string, DeltaState> = {
			product: { committed: { A: 'h1', B: 'h2', C: 'h3' }, pending: { set: { B: 'h2x', D: 'h4' }, remove: ['C'] } },
			stock: { committed: { S: 's1' } },
		};
		const { states: out, committed } = commitDeltaPending(states);
		expect(committed).toEqual(['product']);
		expect(out).toEqual({ product: { committed: { A: 'h1', B: 'h2x', D: 'h4' } }, stock: { committed: { S: 's1' } } });
		expect(states.product.pending).toBeDefined(); // pure: the input is untouched
	});

	it('a second run of the node in the same execution adds to the pending diff; a new execution replaces it', () => {
		const global: IDataObject = {};
		writeDeltaPending(fakeContext({}, global, 'e1'), 'product', { executionId: 'e1', set: { A: '1' }, remove: ['X'] });
		writeDeltaPending(fakeContext({}, global, 'e1'), 'product', { executionId: 'e1', set: { X: '2' }, remove: [] });
		expect((global[DELTA_STORE] as Record<string, DeltaState>).product.pending).toEqual({
			executionId: 'e1',
			set: { A: '1', X: '2' },
			remove: [],
		});
		writeDeltaPending(fakeContext({}, global, 'e2'), 'product', { executionId: 'e2', set: { B: '3' }, remove: [] });
		expect((global[DELTA_STORE] as Record<string, DeltaState>).product.pending).toEqual({
			executionId: 'e2',
			set: { B: '3' },
			remove: [],
		});
		// a run that finds nothing changed drops the obsolete diff; with no diff at all it writes nothing
		writeDeltaPending(fakeContext({}, global, 'e3'), 'product', { executionId: 'e3', set: {}, remove: [] });
		expect((global[DELTA_STORE] as Record<string, DeltaState>).product).toEqual({ committed: {} });
		const untouched: IDataObject = {};
		writeDeltaPending(fakeContext({}, untouched, 'e4'), 'product', { executionId: 'e4', set: {}, remove: [] });
		expect(untouched).toEqual({});
	});

	it('product codes an object inherits ("__proto__", "constructor", "toString") are remembered like any other', async () => {
		const codes = ['__proto__', 'constructor', 'toString', 'ŁÓD-001'];
		const items = (which = codes): INodeExecutionData[] =>
			which.map((code) => ({ json: { code, name: `Towar ${code} żółty`, unit: 'szt.', vatRate: '23', active: true } }));
		let global: IDataObject = {};
		const params = { entity: 'product', recordField: '', snapshot: true, options: { maxDeletePercent: 100 } };
		const [first] = await passChanged.call(fakeContext(params, global, 'run-1'), items());
		expect(first.map((o) => o.json.code)).toEqual(codes);
		const save = () => {
			const { states } = commitDeltaPending(global[DELTA_STORE] as Record<string, DeltaState>);
			global[DELTA_STORE] = states as unknown as IDataObject;
			global = JSON.parse(JSON.stringify(global)) as IDataObject; // what n8n does when it saves and loads
		};
		save();
		expect(Object.keys((global[DELTA_STORE] as Record<string, DeltaState>).product.committed).sort()).toEqual(
			[...codes].sort(),
		);
		const [again, none] = await passChanged.call(fakeContext(params, global, 'run-2'), items());
		expect(again).toEqual([]);
		expect(none).toEqual([]);
		save();
		const [, deleted] = await passChanged.call(fakeContext(params, global, 'run-3'), items(['ŁÓD-001']));
		expect(deleted.map((o) => o.json.code).sort()).toEqual(['__proto__', 'constructor', 'toString']);
		save();
		expect(Object.keys((global[DELTA_STORE] as Record<string, DeltaState>).product.committed)).toEqual(['ŁÓD-001']);
		expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
	});

	it('handles 100,000 products: measures the stored state and the time of a full and a 1 % delta run', async () => {
		const N = 100_000;
		const products = (changedEvery = 0): INodeExecutionData[] =>
			Array.from({ length: N }, (_, i) => ({
				json: {
					code: `TW-ŁĄCZNIK-${String(i).padStart(6, '0')}`,
					name: `Łącznik śrubowy żółty nr ${i}${changedEvery && i % changedEvery === 0 ? ' (nowa cena)' : ''}`,
					unit: 'szt.',
					vatRate: '23',
					active: true,
					attributes: { kolor: 'żółty', gwint: 'M8' },
				},
			}));
		const global: IDataObject = {};
		const params = { entity: 'product', recordField: '', snapshot: true, options: {} };
		let t = process.hrtime.bigint();
		const [first] = await passChanged.call(fakeContext(params, global, 'run-1'), products());
		const fullMs = Number(process.hrtime.bigint() - t) / 1e6;
		expect(first).toHaveLength(N);
		const pendingBytes = Buffer.byteLength(JSON.stringify(global));

		// Record Run (success)
		const { states } = commitDeltaPending(global[DELTA_STORE] as Record<string, DeltaState>);
		global[DELTA_STORE] = states as unknown as IDataObject;
		const committedBytes = Buffer.byteLength(JSON.stringify(global));
		t = process.hrtime.bigint();
		const parsed = JSON.parse(JSON.stringify(global)) as IDataObject; // what n8n does when it saves and loads
		const roundTripMs = Number(process.hrtime.bigint() - t) / 1e6;

		const input = products(100);
		t = process.hrtime.bigint();
		const [changed, deleted] = await passChanged.call(fakeContext(params, parsed, 'run-2'), input);
		const deltaMs = Number(process.hrtime.bigint() - t) / 1e6;
		expect(changed).toHaveLength(N / 100);
		expect(deleted).toHaveLength(0);
		const pending = (parsed[DELTA_STORE] as Record<string, DeltaState>).product.pending!;
		expect(Object.keys(pending.set)).toHaveLength(N / 100);
		const deltaPendingBytes = Buffer.byteLength(JSON.stringify(pending));

		console.log(
			[
				`delta, ${N} products (snapshot mode, validation + hashing included):`,
				`  first run (all new): ${fullMs.toFixed(0)} ms; static data with pending: ${(pendingBytes / 1e6).toFixed(2)} MB`,
				`  committed state: ${(committedBytes / 1e6).toFixed(2)} MB (${(committedBytes / N).toFixed(1)} bytes per record); JSON save+load ${roundTripMs.toFixed(0)} ms`,
				`  second run, 1 % changed: ${deltaMs.toFixed(0)} ms; pending diff ${(deltaPendingBytes / 1e3).toFixed(1)} kB`,
			].join('\n'),
		);
	});
});

describe('stock buffer arithmetic', () => {
	const s = (percent: string, subtract = '0', minimum = '0', decimals = 0) => ({
		percent,
		subtract,
		minimum,
		decimals,
	});
	it.each([
		['0', s('95'), '0'],
		['-5', s('95'), '0'],
		['100', s('95'), '95'],
		['21', s('95'), '19'], // 19.95 down
		['10', s('100', '2.5', '0', 1), '7.5'],
		['10', s('100', '11'), '0'],
		['5', s('100', '0', '5'), '5'],
		['4.9999', s('100', '0', '5', 4), '0'],
		['0.3', s('33.33', '0', '0', 4), '0.0999'], // 0.099990 → 0.0999, exact
		['1000000000.5', s('99.99', '0', '0', 2), '999900000.49'], // 999900000.49995 → down, no float error
	])('available %s with %j → %s', (available, settings, expected) => {
		expect(bufferQuantity(available, settings)).toBe(expected);
	});
});

describe('canonical price precedence', () => {
	const line: OrderLine = { lineNo: 1, productCode: 'ŚRUBA-M8', quantity: '25', unitPrice: '1', vatRate: '23' };
	const p = (scope: Price['scope'], scopeCode: string, net: string, extra: Partial<Price> = {}): Price => ({
		productCode: 'ŚRUBA-M8',
		scope,
		scopeCode,
		currency: 'PLN',
		net,
		...extra,
	});
	const client = { code: 'K-ŻABKA', group: 'HURT', priceList: 'DETAL' };
	const resolve = (prices: Price[], date = '2026-11-26', c = client) =>
		resolveCanonicalPrice(prices, c, line, 'PLN', date, 'net');

	it('prefers the client, then the group, then the price list', () => {
		const list = p('priceList', 'DETAL', '3.00');
		const group = p('clientGroup', 'HURT', '2.50');
		const own = p('client', 'K-ŻABKA', '2.00');
		expect(resolve([list, group, own])?.price).toBe('2.00');
		expect(resolve([list, group])?.price).toBe('2.50');
		expect(resolve([list])?.price).toBe('3.00');
		expect(resolve([p('client', 'K-INNY', '1.00'), p('clientGroup', 'DETAL-INNA', '1.00')])).toBeUndefined();
	});

	it('takes the highest quantity break reached, and the newest dated price of a break', () => {
		const breaks = [
			p('priceList', 'DETAL', '3.00'),
			p('priceList', 'DETAL', '2.80', { minQuantity: '10' }),
			p('priceList', 'DETAL', '2.60', { minQuantity: '50' }),
		];
		expect(resolve(breaks)).toEqual({ price: '2.80', gross: false, source: 'price list DETAL from 10' });
		const dated = [
			p('client', 'K-ŻABKA', '2.00'),
			p('client', 'K-ŻABKA', '1.90', { validFrom: '2026-11-01', validTo: '2026-11-30' }),
		];
		expect(resolve(dated)?.price).toBe('1.90');
		expect(resolve(dated, '2026-12-01')?.price).toBe('2.00');
		expect(resolve(dated, '2026-11-30')?.price).toBe('1.90'); // validTo is inclusive
	});

	it("refuses to guess between two price lists when the client's list is not named", () => {
		const prices = [p('priceList', 'DETAL', '3.00'), p('priceList', 'HURT', '2.00')];
		expect(() => resolve(prices, '2026-11-26', { code: 'K-ŻABKA', group: '', priceList: '' })).toThrow(
			AmbiguousPriceError,
		);
		expect(resolve(prices)?.price).toBe('3.00');
	});
});

describe('delta content hash ignores updatedAt', () => {
	it('a stock level read again later (new updatedAt only) is unchanged; a new figure is a change', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { contentHash } = require('../../nodes/shared/delta') as typeof import('../../nodes/shared/delta');
		const level = { productCode: 'ŁÓD-001', warehouseCode: 'MAG', onHand: '12', reserved: '0', available: '12' };
		const a = contentHash({ ...level, updatedAt: '2026-11-26T10:00:00.000Z' });
		expect(contentHash({ ...level, updatedAt: '2026-11-26T10:05:00.000Z' })).toBe(a);
		expect(contentHash(level)).toBe(a);
		expect(contentHash({ ...level, available: '11', updatedAt: '2026-11-26T10:00:00.000Z' })).not.toBe(a);
	});
});
