/**
 * Every OPTIMA_QUERIES statement: one read-only SELECT the shared guard accepts, its @parameters exactly the
 * declared ones, parseable by a real T-SQL grammar (node-sql-parser; `TOP (@n)` replaced for the parser only, as in
 * Subiekt's check), and listed verbatim in docs/optima-sql.md for the DBA.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Parser } from 'node-sql-parser';
import { OPTIMA_QUERIES, OPTIMA_SQL } from '../../../nodes/Optima/sql/queries';
import { assertReadOnlySelect, parameterNames, tokenizeSql } from '../../../nodes/shared/sql/guard';

const doc = readFileSync(path.join(__dirname, '../../../docs/optima-sql.md'), 'utf8');
const parser = new Parser();

describe('Optima SQL statements', () => {
	it.each(Object.entries(OPTIMA_QUERIES))('%s: guarded, parameters declared, parses, in the DBA doc', (name, q) => {
		expect(() => assertReadOnlySelect(q.sql)).not.toThrow();
		expect([...new Set(parameterNames(q.sql))].sort()).toEqual(Object.keys(q.params).sort());
		const forParser = q.sql.replace(/TOP \(@\w+\)/g, 'TOP (100)');
		expect(() => parser.astify(forParser, { database: 'transactsql' })).not.toThrow();
		expect(doc).toContain(`### \`${name}\``);
		expect(doc).toContain(q.sql);
	});

	it('never splices values into the SQL: no string literals in any statement', () => {
		for (const [name, q] of Object.entries(OPTIMA_QUERIES))
			expect({ name, literals: tokenizeSql(q.sql).filter((t) => t.kind === 'string') }).toEqual({ name, literals: [] });
	});

	it('reads only the CDN schema and names the ERP in messages', () => {
		for (const q of Object.values(OPTIMA_QUERIES))
			for (const m of q.sql.matchAll(/\b(?:FROM|JOIN)\s+([\w.]+)/g)) expect(m[1]).toMatch(/^CDN\.\w+$/);
		expect(OPTIMA_SQL.erpName).toBe('Comarch ERP Optima');
	});
});
