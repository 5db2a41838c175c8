import { SUBIEKT_QUERIES } from '../../../nodes/SubiektGt/sql/queries';
import * as queries from '../../../nodes/SubiektGt/sql/queries';
import {
	assertReadOnlySelect,
	bindParameters,
	parameterNames,
	SqlGuardError,
	tokenizeSql,
} from '../../../nodes/shared/sql/guard';

const exportedSql = Object.entries(queries).filter(([name, v]) => name.endsWith('_SQL') && typeof v === 'string') as [
	string,
	string,
][];

describe('Subiekt SQL guard: accepts every shipped query', () => {
	it('exports one *_SQL constant per operation (7 reads + the 2 order-check reads + the 2 picture reads + the warehouses + the credential check) and all are in SUBIEKT_QUERIES', () => {
		expect(exportedSql.length).toBe(13);
		const registered = Object.values(SUBIEKT_QUERIES).map((q) => q.sql);
		for (const [, sql] of exportedSql) expect(registered).toContain(sql);
	});

	it.each(exportedSql)('%s is one read-only SELECT', (_name, sql) => {
		expect(() => assertReadOnlySelect(sql)).not.toThrow();
	});

	it.each(Object.entries(SUBIEKT_QUERIES))('%s declares exactly the parameters it uses', (_name, q) => {
		expect(parameterNames(q.sql).sort()).toEqual(Object.keys(q.params).sort());
	});

	it('never splices values into the SQL: no string literals in any query', () => {
		for (const [, sql] of exportedSql) expect(tokenizeSql(sql).filter((t) => t.kind === 'string')).toEqual([]);
	});
});

describe('Subiekt SQL guard: refuses attacks', () => {
	const attacks: [string, string][] = [
		['stacked statement', 'SELECT tw_Symbol FROM tw__Towar; DROP TABLE tw__Towar'],
		['stacked statement after a trailing comment', 'SELECT 1; -- nothing\nDELETE FROM kh__Kontrahent'],
		['semicolon followed by another SELECT', 'SELECT 1; SELECT 2'],
		['comment hiding ;DROP (line comment ends)', 'SELECT 1 --harmless\n;DROP TABLE dok__Dokument'],
		['block comment around the separator', 'SELECT 1 /* x */;/* y */DROP TABLE dok__Dokument'],
		['nested block comment hiding a drop', 'SELECT 1 /* a /* b */ still comment */ DROP TABLE x'],
		['unterminated block comment', 'SELECT 1 /* DROP'],
		['two statements without semicolon', 'SELECT 1 SELECT name FROM sys.sql_logins'],
		['SELECT … INTO', 'SELECT * INTO dbo.kopia FROM tw__Towar'],
		['EXEC', "EXEC('DROP TABLE tw__Towar')"],
		['EXECUTE after select', 'SELECT 1 EXECUTE dbo.cokolwiek'],
		['xp_cmdshell', "SELECT * FROM tw__Towar WHERE 1 = 1 AND xp_cmdshell('dir') = 0"],
		['sp_ procedure', 'SELECT * FROM OPENJSON(sp_who)'],
		['OPENROWSET', "SELECT * FROM OPENROWSET('SQLNCLI', 'Server=x;', 'SELECT 1')"],
		['OPENQUERY', "SELECT * FROM OPENQUERY(srv, 'SELECT 1')"],
		[
			'CTE followed by DELETE',
			'WITH x AS (SELECT tw_Id FROM tw__Towar) DELETE FROM tw__Towar WHERE tw_Id IN (SELECT tw_Id FROM x)',
		],
		['CTE followed by UPDATE', 'WITH x AS (SELECT 1 AS a) UPDATE tw__Towar SET tw_Nazwa = 1'],
		['CTE with nothing after', 'WITH x AS (SELECT 1 AS a)'],
		['INSERT', "INSERT INTO tw__Towar (tw_Symbol) VALUES ('x')"],
		['UPDATE', "UPDATE tw__Towar SET tw_Nazwa = 'x'"],
		['MERGE', 'MERGE tw__Towar AS t USING x ON 1 = 1 WHEN MATCHED THEN DELETE;'],
		['TRUNCATE', 'TRUNCATE TABLE tw_Stan'],
		['GRANT', 'GRANT SELECT ON tw__Towar TO public'],
		['DENY / REVOKE', 'REVOKE SELECT ON tw__Towar FROM public'],
		['CREATE', 'CREATE TABLE x (a int)'],
		['ALTER', 'ALTER TABLE tw__Towar ADD x int'],
		['DECLARE / SET', "DECLARE @s nvarchar(100) SET @s = 'x' SELECT @s"],
		['WAITFOR', "SELECT 1 WAITFOR DELAY '00:00:10'"],
		['second WITH starting a statement', 'SELECT 1 WITH x AS (SELECT 1) SELECT 2'],
		['not a select', 'SHUTDOWN'],
		['empty', '   '],
		['only a comment', '-- nothing'],
		['unterminated literal', "SELECT 'abc"],
		['unbalanced parenthesis', 'SELECT (1'],
		['bracketed keyword used as statement text', 'SELECT 1 FROM [x]; [DROP]'],
		// issue #12: statements and clauses that change state, raise, loop or reach other servers
		['WHILE loop after the select (a CPU burner)', 'SELECT 1 AS a WHILE 1 = 1 SELECT 2'],
		['WHILE with a BREAK-less body', "SELECT tw_Id FROM tw__Towar WHILE (1 = 1) PRINT 'x'"],
		['NEXT VALUE FOR advances a sequence (a write)', 'SELECT NEXT VALUE FOR dbo.seq_Numer AS n'],
		['NEXT VALUE FOR in a bracketed sequence', 'SELECT tw_Id, NEXT  VALUE /* c */ FOR [dbo].[seq] FROM tw__Towar'],
		['RAISERROR', "SELECT 1 AS a RAISERROR('x', 16, 1)"],
		['RAISERROR … WITH LOG writes the server log', "SELECT 1 AS a RAISERROR('x', 16, 1) WITH LOG"],
		['THROW', "SELECT 1 AS a THROW 50000, 'x', 1"],
		['SETUSER impersonates', "SELECT 1 AS a SETUSER 'dbo'"],
		['CHECKPOINT', 'SELECT 1 AS a CHECKPOINT'],
		['four-part linked-server name', 'SELECT tw_Symbol FROM SERWER2.Subiekt.dbo.tw__Towar'],
		['four-part name in brackets', 'SELECT * FROM [SERWER-2].[Subiekt].[dbo].[tw__Towar]'],
		['four-part name with an empty schema', 'SELECT * FROM SERWER2.Subiekt..tw__Towar'],
		['four-part name in a join', 'SELECT t.a FROM tw__Towar t JOIN srv.db.dbo.kh__Kontrahent k ON 1 = 1'],
		['exclusive table lock hint', 'SELECT tw_Id FROM tw__Towar WITH (TABLOCKX)'],
		['update lock hint among others', 'SELECT tw_Id FROM tw__Towar WITH (NOLOCK, UPDLOCK)'],
		['HOLDLOCK in the old hint syntax', 'SELECT tw_Id FROM tw__Towar (HOLDLOCK)'],
		['XLOCK', 'SELECT tw_Id FROM tw__Towar WITH (XLOCK, ROWLOCK)'],
		['SERIALIZABLE / PAGLOCK / TABLOCK', 'SELECT a FROM t WITH (SERIALIZABLE) JOIN x WITH (PAGLOCK, TABLOCK) ON 1 = 1'],
		['REPEATABLEREAD', 'SELECT tw_Id FROM tw__Towar WITH (REPEATABLEREAD)'],
	];

	it.each(attacks)('%s', (_label, sql) => {
		expect(() => assertReadOnlySelect(sql)).toThrow(SqlGuardError);
	});
});

describe('Subiekt SQL guard: literals and comments are inert', () => {
	it.each([
		["a string literal containing ';DROP'", "SELECT tw_Symbol FROM tw__Towar WHERE tw_Nazwa = ';DROP TABLE tw__Towar'"],
		['an N-literal with doubled quotes and keywords', "SELECT N'it''s; DELETE FROM x; EXEC xp_cmdshell' AS a"],
		['keywords inside comments', 'SELECT 1 AS a -- DROP TABLE x; EXEC sp_who\n/* INSERT INTO y; ;; */'],
		['a trailing semicolon', 'SELECT 1 AS a;'],
		['UNION ALL of two SELECTs', 'SELECT 1 AS a UNION ALL SELECT 2'],
		[
			'a CTE ending in SELECT',
			'WITH x AS (SELECT tw_Id FROM tw__Towar), y AS (SELECT tw_Id FROM x) SELECT tw_Id FROM y',
		],
		['a table hint', 'SELECT tw_Id FROM tw__Towar WITH (NOLOCK)'],
		['a bracketed identifier with a semicolon', 'SELECT [a;b] FROM [dbo].[tw__Towar]'],
		['Polish text in a literal', "SELECT 1 AS a WHERE 'Zażółć gęślą jaźń' <> ''"],
		['three-part names (same server)', 'SELECT t.a FROM Subiekt.dbo.tw__Towar t JOIN [Subiekt]..[kh] k ON 1 = 1'],
		['two-part column names', 'SELECT t.tw_Id, dbo.tw__Towar.tw_Symbol FROM dbo.tw__Towar t'],
		['OFFSET … FETCH NEXT … ROWS', 'SELECT tw_Id FROM tw__Towar ORDER BY tw_Id OFFSET 0 ROWS FETCH NEXT 500 ROWS ONLY'],
		['a decimal literal with dots around it', 'SELECT 1.5 AS a, .5 AS b, t.c FROM t'],
		['the words as text', "SELECT 'WHILE NEXT VALUE FOR RAISERROR SETUSER CHECKPOINT a.b.c.d TABLOCKX' AS a"],
		['NOLOCK and READUNCOMMITTED', 'SELECT tw_Id FROM tw__Towar WITH (NOLOCK) JOIN x WITH (READUNCOMMITTED) ON 1 = 1'],
	])('accepts %s', (_label, sql) => {
		expect(() => assertReadOnlySelect(sql)).not.toThrow();
	});
});

describe('Subiekt SQL parameter binding', () => {
	const q = SUBIEKT_QUERIES.orderByNumber;

	it('binds every used parameter in order of use', () => {
		expect(bindParameters(q.sql, { orderNumber: 'B2B/2026/000042' })).toEqual([
			{ name: 'orderNumber', value: 'B2B/2026/000042' },
		]);
		const inv = SUBIEKT_QUERIES.invoices;
		expect(
			bindParameters(inv.sql, { pageSize: 500, afterId: 0, issuedFrom: new Date('2026-11-01T00:00:00Z') }).map(
				(p) => p.name,
			),
		).toEqual(['pageSize', 'afterId', 'issuedFrom']);
	});

	it('accepts an explicit null for optional filters', () => {
		expect(
			bindParameters(SUBIEKT_QUERIES.stock.sql, {
				pageSize: 1000,
				afterProductId: 0,
				afterWarehouseId: 0,
				warehouseCode: null,
			}).find((p) => p.name === 'warehouseCode'),
		).toEqual({ name: 'warehouseCode', value: null });
	});

	it('refuses a missing parameter', () => {
		expect(() => bindParameters(q.sql, {})).toThrow(/no value for @orderNumber/);
	});

	it('treats undefined as missing', () => {
		expect(() => bindParameters(q.sql, { orderNumber: undefined })).toThrow(/no value for @orderNumber/);
	});

	it('refuses extra values', () => {
		expect(() => bindParameters(q.sql, { orderNumber: 'X', clientCode: 'Y' })).toThrow(/does not use: clientCode/);
	});

	it('reports missing and extra together', () => {
		expect(() => bindParameters(SUBIEKT_QUERIES.clients.sql, { pageSize: 10, afterid: 0 })).toThrow(
			/no value for @afterId, @changedSince; values given for parameters the statement does not use: afterid/,
		);
	});

	it('ignores @names inside literals and comments and @@system functions', () => {
		expect(
			parameterNames("SELECT @@ROWCOUNT AS n, '@fake' AS b -- @alsoFake\n FROM t WHERE a = @real /* @no */"),
		).toEqual(['real']);
	});

	it('runs the read-only guard before binding', () => {
		expect(() => bindParameters('DELETE FROM tw__Towar WHERE tw_Id = @id', { id: 1 })).toThrow(SqlGuardError);
	});
});
