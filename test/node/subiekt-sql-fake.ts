/**
 * The driver boundary for the Subiekt GT SQL tests: a stand-in for mssql.ConnectionPool (installed with
 * jest.mock('mssql') in the test, everything else of mssql — types, error classes — is the real module).
 * It records the pool configuration, every statement with its typed inputs, and answers from the recorded
 * result sets in test/fixtures/subiekt-sql (the mssql driver's shape), applying the statements' keyset and
 * filter parameters to those rows the way their WHERE / TOP clauses do.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SUBIEKT_QUERIES, type SubiektQueryName } from '../../nodes/SubiektGt/sql/queries';

export type Row = Record<string, unknown>;

export interface RecordedInput {
	name: string;
	/** SQL type declaration of the driver type given (int, nvarchar, datetime) */
	type: string;
	length?: number;
	value: unknown;
}

export interface RecordedCall {
	query: SubiektQueryName | 'UNKNOWN';
	sql: string;
	inputs: Record<string, RecordedInput>;
}

const FIXTURES = path.join(__dirname, '../fixtures/subiekt-sql');
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

/** A fixture file's rows, datetime columns revived as Date (JSON keeps them as Date.toJSON() text). */
export function fixtureRows(file: string, key?: string): Row[] {
	const data = JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as Record<string, unknown>;
	const set = (key ? data[key] : data) as { recordset: Row[] };
	return set.recordset.map((row) =>
		Object.fromEntries(
			Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && ISO.test(v) ? new Date(v) : v]),
		),
	);
}

export const fake = {
	configs: [] as Array<Record<string, unknown>>,
	calls: [] as RecordedCall[],
	connects: 0,
	closes: 0,
	/** thrown by connect() */
	connectError: undefined as Error | undefined,
	/** thrown by the query of that name: one Error every time, or a list thrown one per call, then the rows */
	queryErrors: {} as Partial<Record<SubiektQueryName, Error | Error[]>>,
	/** rows per query (before the parameters are applied); defaults to the fixtures */
	data: {} as Partial<Record<SubiektQueryName, Row[]>>,
	orders: {} as Record<string, Row[]>,
	reset(): void {
		this.configs = [];
		this.calls = [];
		this.connects = 0;
		this.closes = 0;
		this.connectError = undefined;
		this.queryErrors = {};
		const products = fixtureRows('products.json');
		this.data = {
			checkSubiekt: [{ twp_Id: 1, twp_NazwaCeny1: 'Detaliczna' }],
			products,
			priceLevels: fixtureRows('price-levels.json'),
			clientPriceLists: fixtureRows('client-price-lists.json'),
			stock: fixtureRows('stock.json'),
			clients: fixtureRows('clients.json'),
			invoices: fixtureRows('invoices.json'),
		};
		this.orders = {};
		for (const key of ['invoiced', 'confirmed']) {
			for (const row of fixtureRows('order-by-number.json', key)) {
				const n = String(row.dok_NrPelnyOryg);
				(this.orders[n] ??= []).push(row);
			}
		}
	},
};

function typeName(type: unknown): { type: string; length?: number } {
	const t = type as { declaration?: string; type?: { declaration?: string }; length?: number };
	if (typeof type === 'function') return { type: String(t.declaration) };
	return { type: String(t.type?.declaration), length: t.length };
}

const queryName = (sql: string): SubiektQueryName | 'UNKNOWN' =>
	(Object.keys(SUBIEKT_QUERIES) as SubiektQueryName[]).find((k) => SUBIEKT_QUERIES[k].sql === sql) ?? 'UNKNOWN';

const value = (call: RecordedCall, name: string) => call.inputs[name]?.value;
const time = (v: unknown) => (v instanceof Date ? v.getTime() : Number.NaN);

/** What the statement's WHERE / TOP / ORDER BY do with the fixture rows. */
function answer(call: RecordedCall): Row[] {
	const rows = fake.data[call.query as SubiektQueryName] ?? [];
	const top = (list: Row[]) => list.slice(0, Number(value(call, 'pageSize') ?? list.length));
	const after = Number(value(call, 'afterId') ?? 0);
	switch (call.query) {
		case 'products':
			return top(rows.filter((r) => Number(r.tw_Id) > after));
		case 'priceLevels': {
			const ids = new Map((fake.data.products ?? []).map((p) => [p.tw_Symbol, Number(p.tw_Id)]));
			const upTo = Number(value(call, 'upToId'));
			return rows.filter((r) => {
				const id = ids.get(r.tw_Symbol) ?? -1;
				return id > after && id <= upTo;
			});
		}
		case 'clientPriceLists': {
			const code = value(call, 'clientCode');
			return rows.filter((r) => code === null || r.kh_Symbol === code);
		}
		case 'stock': {
			// WHERE … AND (st_TowId, st_MagId) > (@afterProductId, @afterWarehouseId) ORDER BY st_TowId, st_MagId
			const code = value(call, 'warehouseCode');
			const [p, w] = [Number(value(call, 'afterProductId')), Number(value(call, 'afterWarehouseId'))];
			const key = (r: Row) => [Number(r.st_TowId), Number(r.st_MagId)];
			return top(
				rows
					.filter((r) => code === null || r.mag_Symbol === code)
					.filter((r) => key(r)[0] > p || (key(r)[0] === p && key(r)[1] > w))
					.sort((a, b) => key(a)[0] - key(b)[0] || key(a)[1] - key(b)[1]),
			);
		}
		case 'clients': {
			const since = value(call, 'changedSince');
			return top(
				rows.filter((r) => Number(r.kh_Id) > after && (since === null || time(r.kh_DataZmiany) >= time(since))),
			);
		}
		case 'invoices':
			return top(
				rows.filter((r) => Number(r.dok_Id) > after && time(r.dok_DataWyst) >= time(value(call, 'issuedFrom'))),
			);
		case 'orderByNumber':
			return fake.orders[String(value(call, 'orderNumber'))] ?? [];
		default:
			return rows;
	}
}

class FakeRequest {
	private readonly inputs: Record<string, RecordedInput> = {};

	input(name: string, type: unknown, v: unknown): this {
		this.inputs[name] = { name, ...typeName(type), value: v };
		return this;
	}

	async query(sql: string): Promise<{ recordset: Row[]; recordsets: Row[][]; rowsAffected: number[]; output: object }> {
		const call: RecordedCall = { query: queryName(sql), sql, inputs: this.inputs };
		fake.calls.push(call);
		const planned = fake.queryErrors[call.query as SubiektQueryName];
		const error = Array.isArray(planned) ? planned.shift() : planned;
		if (error) throw error;
		const recordset = answer(call);
		return { recordset, recordsets: [recordset], rowsAffected: [recordset.length], output: {} };
	}
}

export class FakeConnectionPool extends EventEmitter {
	constructor(config: Record<string, unknown>) {
		super();
		fake.configs.push(config);
	}

	async connect(): Promise<this> {
		fake.connects++;
		if (fake.connectError) throw fake.connectError;
		return this;
	}

	request(): FakeRequest {
		return new FakeRequest();
	}

	async close(): Promise<void> {
		fake.closes++;
	}
}

fake.reset();
