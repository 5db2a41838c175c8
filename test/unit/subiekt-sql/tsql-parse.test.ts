/**
 * Parses every shipped query with a real T-SQL grammar (node-sql-parser, dialect "transactsql").
 * One known gap of that grammar: `TOP (@variable)` — valid T-SQL since SQL Server 2005 — is not in it, so
 * for the parse check only it is replaced by a literal `TOP (100)`; everything else is parsed as shipped.
 * Every statement is also listed verbatim in docs/subiekt-gt-sql.md, for the customer's DBA.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Parser } from 'node-sql-parser';
import { SUBIEKT_QUERIES } from '../../../nodes/SubiektGt/sql/queries';

const parser = new Parser();

describe('Subiekt SQL parses as T-SQL (node-sql-parser, transactsql)', () => {
	it.each(Object.entries(SUBIEKT_QUERIES))('%s', (_name, q) => {
		const sql = q.sql.replace(/TOP \(@\w+\)/g, 'TOP (100)');
		expect(() => parser.astify(sql, { database: 'transactsql' })).not.toThrow();
	});

	it.each(Object.entries(SUBIEKT_QUERIES))('%s is listed verbatim in docs/subiekt-gt-sql.md', (_name, q) => {
		expect(readFileSync(path.join(__dirname, '../../../docs/subiekt-gt-sql.md'), 'utf8')).toContain(q.sql);
	});

	it('the grammar really refuses broken T-SQL (the check can fail)', () => {
		expect(() => parser.astify('SELECT t.tw_Symbol FROM dbo.tw__Towar AS t WHERE', { database: 'transactsql' })).toThrow();
	});
});
