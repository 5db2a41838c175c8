/**
 * What every schema plug-in of the SQL Server simulator (server.ts) needs: result sets and SQL Server errors,
 * the column types, the Polish_CI_AS comparison, parameter conversions as SQL Server makes them, matching a
 * statement against the ERP's named statements, and the error SQL Server gives a db_datareader login for
 * anything else (refuse). A schema (subiekt/, optima/) brings only its tables, data and statements.
 */
import { tokenizeSql } from '../../../nodes/shared/sql/guard';
import type { Cell, ColumnDef, ParamValue, ServerMessage, SqlType } from './tds';

/**
 * One ERP's database as the simulator serves it: which statements it knows (`match`, exact text) and how each
 * runs over its tables (`run`); `knownTables` and `schemaName` shape the refusals of everything else.
 */
export interface SqlSchema {
	/** 'subiekt' | 'optima' | ... (for messages) */
	erp: string;
	/** the tables' schema: 'dbo' (Subiekt GT), 'CDN' (Optima) — named in the 229 permission message */
	schemaName: string;
	/** lower-case table names the login can see (any other name in FROM/JOIN → 208) */
	knownTables: ReadonlySet<string>;
	/** the name of the ERP's statement this text is, if any */
	match(statement: string): string | undefined;
	/** runs a statement `match` named; throws SqlError as SQL Server would answer */
	run(queryName: string, params: Record<string, ParamValue>): ResultSet;
}

export interface ResultSet {
	columns: ColumnDef[];
	rows: Cell[][];
}

export class SqlError extends Error {
	constructor(readonly info: ServerMessage) {
		super(info.message);
	}
}

export const sqlError = (number: number, cls: number, message: string, state = 1) =>
	new SqlError({ number, class: cls, state, message });

export const INT: SqlType = { kind: 'int' };
export const BIT: SqlType = { kind: 'bit' };
export const MONEY: SqlType = { kind: 'money' };
export const DATETIME: SqlType = { kind: 'datetime' };
export const vc = (length: number): SqlType => ({ kind: 'varchar', length });
export const ch = (length: number): SqlType => ({ kind: 'char', length });
export const col = (name: string, type: SqlType, nullable = true): ColumnDef => ({ name, type, nullable });

// Polish_CI_AS: case-insensitive, accent-sensitive; trailing spaces are ignored by = (ANSI padding)
const collator = new Intl.Collator('pl', { sensitivity: 'accent' });
const rtrim = (s: string) => s.replace(/ +$/, '');
export const collate = (a: string | null, b: string | null): number => {
	if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1; // NULLs first, as SQL Server sorts
	return collator.compare(rtrim(a), rtrim(b));
};
export const textEquals = (a: string | null, b: ParamValue): boolean =>
	a !== null && b !== null && collate(a, String(b)) === 0;

/** `@stmt` matched against an ERP's named statements after normalising line endings only */
export function matchExact<Q extends string>(queries: Record<Q, { sql: string }>, statement: string): Q | undefined {
	const norm = statement.replace(/\r\n?/g, '\n');
	for (const [name, q] of Object.entries<{ sql: string }>(queries)) {
		if (q.sql.replace(/\r\n?/g, '\n') === norm) return name as Q;
	}
	return undefined;
}

export function asInt(v: ParamValue): number | null {
	if (v === null) return null;
	if (typeof v === 'number' || typeof v === 'bigint') return Number(v);
	if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v);
	throw sqlError(245, 16, `Conversion failed when converting the nvarchar value '${String(v)}' to data type int.`);
}

export function asDate(v: ParamValue): Date | null {
	if (v === null) return null;
	if (v instanceof Date) return v;
	const d = new Date(String(v).replace(' ', 'T') + (/[zZ+]/.test(String(v)) ? '' : 'Z'));
	if (Number.isNaN(d.getTime()))
		throw sqlError(241, 16, 'Conversion failed when converting date and/or time from character string.');
	return d;
}

export function top(v: ParamValue): number {
	const n = asInt(v);
	if (n === null || n < 0) throw sqlError(1014, 15, 'A TOP N or FETCH rows count value may not be negative.');
	return n;
}

/** "12.3457" → 123457n (money, 4 decimals); more than 4 decimals is a seed error */
export function money(text: string): bigint {
	const m = /^(-?)(\d+)(?:\.(\d{1,4}))?$/.exec(text);
	if (!m) throw new Error(`"${text}" is not a money value with at most 4 decimals`);
	const units = BigInt(m[2]) * 10000n + BigInt((m[3] ?? '').padEnd(4, '0'));
	return m[1] ? -units : units;
}

/** "2026-11-26 10:15" → wall-clock datetime (UTC fields = the wall clock, as Subiekt stores it) */
export function wallClock(text: string): Date {
	const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{3}))?)?)?$/.exec(text);
	if (!m) throw new Error(`"${text}" is not "YYYY-MM-DD[ HH:MM[:SS[.mmm]]]"`);
	return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), +(m[7] ?? 0)));
}

/** Parameter names declared in sp_executesql's @params ("@a int,@b nvarchar(20)") */
export function declaredParameters(declaration: string): string[] {
	return [...declaration.matchAll(/@([\p{L}_][\p{L}\p{N}_@#$]*)/gu)].map((m) => m[1]);
}

const WRITE_VERBS: Record<string, string> = {
	INSERT: 'INSERT',
	UPDATE: 'UPDATE',
	DELETE: 'DELETE',
	MERGE: 'INSERT',
	EXEC: 'EXECUTE',
	EXECUTE: 'EXECUTE',
};
const DDL_VERBS = new Set(['CREATE', 'ALTER', 'DROP', 'TRUNCATE', 'GRANT', 'DENY', 'REVOKE']);

/**
 * What SQL Server would answer a db_datareader login for a statement the simulator does not run:
 * 229 for writes and EXEC, 262 for CREATE, 1088 for other DDL, 208 for unknown tables, 102 for
 * text that does not tokenize, 50000 (class 16) for a read the simulator cannot evaluate.
 */
export function refuse(
	statement: string,
	database: string,
	schema: Pick<SqlSchema, 'erp' | 'schemaName' | 'knownTables'>,
): SqlError {
	let tokens;
	try {
		tokens = tokenizeSql(statement);
	} catch {
		return sqlError(105, 15, `Unclosed quotation mark after the character string '${statement.slice(-20)}'.`);
	}
	const first = (tokens[0]?.text ?? '').toUpperCase();
	const objectAfter = (skip: string[]) => {
		let i = 1;
		while (i < tokens.length && skip.includes(tokens[i].text.toUpperCase())) i++;
		const parts: string[] = [];
		for (; i < tokens.length; i++) {
			const t = tokens[i];
			if (t.kind === 'word' || t.kind === 'quotedIdent') parts.push(t.text);
			else if (t.text !== '.') break;
			if (tokens[i + 1]?.text !== '.') break;
			i++;
		}
		return parts[parts.length - 1] ?? '';
	};
	if (first in WRITE_VERBS) {
		const verb = WRITE_VERBS[first];
		const object = objectAfter(['INTO', 'FROM', 'TOP']);
		return sqlError(
			229,
			14,
			`The ${verb} permission was denied on the object '${object}', database '${database}', schema '${schema.schemaName}'.`,
			5,
		);
	}
	if (first === 'CREATE')
		return sqlError(262, 14, `${tokens[1]?.text.toUpperCase() ?? ''} permission denied in database '${database}'.`);
	if (DDL_VERBS.has(first)) {
		const object = objectAfter(['TABLE', 'VIEW', 'PROCEDURE', 'PROC', 'FUNCTION', 'INDEX']);
		return sqlError(
			1088,
			16,
			`Cannot find the object "${object}" because it does not exist or you do not have permissions.`,
		);
	}
	if (first === 'SELECT' || first === 'WITH') {
		for (let i = 0; i < tokens.length - 1; i++) {
			const w = tokens[i].text.toUpperCase();
			if (w !== 'FROM' && w !== 'JOIN') continue;
			let j = i + 1;
			if (tokens[j]?.text === '(') continue;
			let name = tokens[j]?.text ?? '';
			while (tokens[j + 1]?.text === '.' && tokens[j + 2]) {
				j += 2;
				name = tokens[j].text;
			}
			const full = tokens
				.slice(i + 1, j + 1)
				.map((t) => t.text)
				.join('');
			if (!schema.knownTables.has(name.toLowerCase())) return sqlError(208, 16, `Invalid object name '${full}'.`);
		}
		return sqlError(
			50000,
			16,
			`SQL Server simulator: this SELECT is not one of the statements the ${schema.erp} schema simulates.`,
		);
	}
	return sqlError(102, 15, `Incorrect syntax near '${tokens[0]?.text ?? ''}'.`);
}
