/**
 * Parses every shipped query with a real T-SQL grammar (node-sql-parser, dialect "transactsql").
 * One known gap of that grammar: `TOP (@variable)` — valid T-SQL since SQL Server 2005 — is not in it, so
 * for the parse check only it is replaced by a literal `TOP (100)`; everything else is parsed as shipped.
 */
import { Parser } from 'node-sql-parser';
import { SUBIEKT_QUERIES } from '../../../nodes/SubiektGt/sql/queries';

const parser = new Parser();

describe('Subiekt SQL parses as T-SQL (node-sql-parser, transactsql)', () => {
	it.each(Object.entries(SUBIEKT_QUERIES))('%s', (_name, q) => {
		const sql = q.sql.replace(/TOP \(@\w+\)/g, 'TOP (100)');
		expect(() => parser.astify(sql, { database: 'transactsql' })).not.toThrow();
	});

	it('the grammar really refuses broken T-SQL (the check can fail)', () => {
		expect(() => parser.astify('SELECT t.tw_Symbol FROM dbo.tw__Towar AS t WHERE', { database: 'transactsql' })).toThrow();
	});
});
