import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ObservableObject } from 'n8n-workflow';
import { hasOwn, ownValue, setOwn } from '../../nodes/shared/own';

const createObservable = (o: object) => ObservableObject.create(o as never);
import {
	newAlerts,
	parseAlerted,
	type FlowFinding,
	type WatchRules,
} from '../../nodes/B2bPortal/actions/syncStatus/watchdog';

describe('own-property tables (keys that come from data)', () => {
	const INHERITED = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

	it.each(INHERITED)('%p is not in a table that does not hold it', (key) => {
		const table: Record<string, string> = { zw: 'exempt' };
		expect(hasOwn(table, key)).toBe(false);
		expect(ownValue(table, key)).toBeUndefined();
	});

	it.each(INHERITED)('%p can be stored and read back as plain data, and survives JSON', (key) => {
		const table: Record<string, number> = {};
		setOwn(table, key, 7);
		expect(hasOwn(table, key)).toBe(true);
		expect(ownValue(table, key)).toBe(7);
		expect(Object.getPrototypeOf(table)).toBe(Object.prototype);
		expect(Object.keys(table)).toEqual([key]);
		const back = JSON.parse(JSON.stringify(table)) as Record<string, number>;
		expect(ownValue(back, key)).toBe(7);
	});

	it('a store is seen by n8n\'s observed static data (assignments only), for every key, "__proto__" included', () => {
		for (const key of ['evt-ŻÓŁW-1', 'constructor', '__proto__']) {
			const staticData = createObservable({ seen: {} as Record<string, number> }) as {
				seen: Record<string, number>;
				__dataChanged?: boolean;
			};
			expect(staticData.__dataChanged).toBe(false);
			setOwn(staticData.seen, key, 1);
			expect([key, staticData.__dataChanged]).toEqual([key, true]);
			expect(hasOwn(staticData.seen, key)).toBe(true);
			expect(JSON.parse(JSON.stringify(staticData.seen))).toEqual(JSON.parse(`{"${key}":1}`));
		}
	});

	it('storing "__proto__" never changes what other keys read', () => {
		const table: Record<string, unknown> = {};
		setOwn(table, '__proto__', { polluted: 'yes' });
		expect(ownValue(table, 'polluted')).toBeUndefined();
		expect((table as { polluted?: unknown }).polluted).toBeUndefined();
		expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
	});
});

describe('watchdog: flow names are data', () => {
	const rules: WatchRules = { graceFactor: 2, minimumSlackMinutes: 10, expected: new Map(), timeZone: 'Europe/Warsaw' };
	const finding = (flow: string, problem: FlowFinding['problem']) => ({ flow, problem }) as FlowFinding;

	it.each(['constructor', '__proto__', 'toString'])('a flow named %p alerts once, then recovers', (flow) => {
		const first = newAlerts([finding(flow, 'failing')], {}, [], rules);
		expect(first.alerts.map((a) => [a.flow, a.problem])).toEqual([[flow, 'failing']]);
		const alerted = parseAlerted(JSON.stringify(first.state)); // remembered as JSON between runs
		expect(Object.keys(alerted)).toEqual([flow]);
		expect(newAlerts([finding(flow, 'failing')], alerted, [], rules).alerts).toEqual([]);
		const recovered = newAlerts([], alerted, [], rules);
		expect(recovered.alerts.map((a) => [a.flow, a.problem])).toEqual([[flow, 'recovered']]);
		expect(recovered.state).toEqual({});
	});
});

describe('no "key in table" lookups in the pack (a key from data may be an inherited name)', () => {
	const root = path.join(__dirname, '../..');
	const files = (dir: string): string[] =>
		readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
			e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
		);
	// `x in y` outside comments, strings and `for (… in …)`: use hasOwn / ownValue (nodes/shared/own.ts) or a Map
	const IN_LOOKUP = /(?:^|[^\w$'"`.])(?!in\b)[\w$.[\]]+\s+in\s+[\w$]/;
	const code = (line: string) =>
		line
			.replace(/\/\/.*$/, '')
			.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''")
			// regular expression literals (after an operator, a bracket or at the start of the line)
			.replace(/(^|[(,=:[!&|?{};]\s*|^\s*)\/(?![/*])(?:[^/\\\n[]|\\.|\[(?:[^\]\\]|\\.)*\])+\/[a-z]*/g, "$1''")
			.replace(/for\s*\(\s*(?:const|let|var)\s+[\w$]+\s+in\s/g, '');

	it('the check finds such a lookup (it can fail)', () => {
		expect(IN_LOOKUP.test(code('\tif (text in VAT_MARKERS) return text;'))).toBe(true);
		expect(IN_LOOKUP.test(code('\t\tif (!(flow in state)) continue;'))).toBe(true);
		expect(IN_LOOKUP.test(code("\tconst s = 'a b in c'; // x in y"))).toBe(false);
		expect(IN_LOOKUP.test(code('\tfor (const k in table) n++;'))).toBe(false);
		expect(IN_LOOKUP.test(code('\t\t/item .*(?:locked in warehouse)/i,'))).toBe(false);
	});

	it('nodes/ and credentials/ have none', () => {
		const found: string[] = [];
		for (const file of [...files(path.join(root, 'nodes')), ...files(path.join(root, 'credentials'))]) {
			let inComment = false;
			readFileSync(file, 'utf8')
				.split('\n')
				.forEach((line, k) => {
					const t = line.trim();
					if (inComment || t.startsWith('/*')) inComment = !t.includes('*/');
					if (inComment || t.startsWith('*') || t.startsWith('/*')) return;
					if (IN_LOOKUP.test(code(line))) found.push(`${path.relative(root, file)}:${k + 1}: ${t}`);
				});
		}
		expect(found).toEqual([]);
	});
});
