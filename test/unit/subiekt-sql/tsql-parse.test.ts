/**
 * Parses every shipped query with a real T-SQL grammar, if one is installed. None is a dependency yet:
 * the candidate is `node-sql-parser` (dialect "transactsql"); add it as a devDependency to enable this.
 */
import { SUBIEKT_QUERIES } from '../../../nodes/SubiektGt/sql/queries';

type Parser = { astify(sql: string, opt: { database: string }): unknown };

function loadParser(): Parser | undefined {
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const mod = require('node-sql-parser') as { Parser: new () => Parser };
		return new mod.Parser();
	} catch {
		return undefined;
	}
}

const parser = loadParser();
const SKIP_MESSAGE =
	'T-SQL parse check SKIPPED: no T-SQL parser in node_modules (add devDependency "node-sql-parser", dialect transactsql, to enable)';

if (!parser) {
	describe('Subiekt SQL parses as T-SQL', () => {
		it.skip(SKIP_MESSAGE, () => undefined);
	});
} else {
	describe('Subiekt SQL parses as T-SQL (node-sql-parser, transactsql)', () => {
		it.each(Object.entries(SUBIEKT_QUERIES))('%s', (_name, q) => {
			expect(() => parser.astify(q.sql, { database: 'transactsql' })).not.toThrow();
		});
	});
}
