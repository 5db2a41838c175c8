/**
 * Read-only guard of the SQL Server layer shared by every SQL ERP (Subiekt GT, Comarch ERP Optima, ...). Every
 * statement this pack sends to SQL Server passes
 * assertReadOnlySelect first, and its parameters pass bindParameters. The guard is a second line of
 * defence only: the login must be read-only as well (db_datareader, ApplicationIntent=ReadOnly; see
 * docs/subiekt-gt-sql.md).
 *
 * The tokenizer understands T-SQL lexical rules: -- line comments, nested block comments, string
 * literals ('...' and N'...', quotes doubled inside), bracketed identifiers ([...], ]] doubled) and
 * double-quoted identifiers ("...", "" doubled). Keywords inside literals and comments are ignored.
 */

export class SqlGuardError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SqlGuardError';
	}
}

export type SqlTokenKind = 'word' | 'param' | 'number' | 'string' | 'quotedIdent' | 'symbol';

export interface SqlToken {
	kind: SqlTokenKind;
	/** the token's text; for quotedIdent the identifier without its brackets/quotes */
	text: string;
	/** offset in the statement */
	at: number;
}

/** Splits a statement into tokens, dropping whitespace and comments. Throws on unterminated literals/comments. */
export function tokenizeSql(sql: string): SqlToken[] {
	const tokens: SqlToken[] = [];
	let i = 0;
	const n = sql.length;
	while (i < n) {
		const ch = sql[i];
		const next = sql[i + 1];
		if (/\s/.test(ch)) {
			i++;
			continue;
		}
		if (ch === '-' && next === '-') {
			const end = sql.indexOf('\n', i);
			i = end === -1 ? n : end + 1;
			continue;
		}
		if (ch === '/' && next === '*') {
			// T-SQL block comments nest
			let depth = 1;
			let j = i + 2;
			while (j < n && depth > 0) {
				if (sql[j] === '/' && sql[j + 1] === '*') {
					depth++;
					j += 2;
				} else if (sql[j] === '*' && sql[j + 1] === '/') {
					depth--;
					j += 2;
				} else j++;
			}
			if (depth > 0) throw new SqlGuardError(`unterminated block comment starting at offset ${i}`);
			i = j;
			continue;
		}
		if (ch === "'" || ((ch === 'N' || ch === 'n') && next === "'")) {
			const start = i;
			let j = ch === "'" ? i + 1 : i + 2;
			let text = '';
			for (;;) {
				if (j >= n) throw new SqlGuardError(`unterminated string literal starting at offset ${start}`);
				if (sql[j] === "'") {
					if (sql[j + 1] === "'") {
						text += "'";
						j += 2;
						continue;
					}
					j++;
					break;
				}
				text += sql[j];
				j++;
			}
			tokens.push({ kind: 'string', text, at: start });
			i = j;
			continue;
		}
		if (ch === '[' || ch === '"') {
			const close = ch === '[' ? ']' : '"';
			const start = i;
			let j = i + 1;
			let text = '';
			for (;;) {
				if (j >= n) throw new SqlGuardError(`unterminated quoted identifier starting at offset ${start}`);
				if (sql[j] === close) {
					if (sql[j + 1] === close) {
						text += close;
						j += 2;
						continue;
					}
					j++;
					break;
				}
				text += sql[j];
				j++;
			}
			tokens.push({ kind: 'quotedIdent', text, at: start });
			i = j;
			continue;
		}
		const rest = sql.slice(i);
		const word = /^(?:@@?|#{1,2})?[\p{L}_][\p{L}\p{N}_@#$]*/u.exec(rest);
		if (word) {
			const text = word[0];
			tokens.push({ kind: text.startsWith('@') && !text.startsWith('@@') ? 'param' : 'word', text, at: i });
			i += text.length;
			continue;
		}
		const num = /^(?:0x[0-9a-fA-F]*|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)/.exec(rest);
		if (num) {
			tokens.push({ kind: 'number', text: num[0], at: i });
			i += num[0].length;
			continue;
		}
		tokens.push({ kind: 'symbol', text: ch, at: i });
		i++;
	}
	return tokens;
}

/** Words that make a statement something other than a plain read (or run code, or reach other servers). */
export const FORBIDDEN_WORDS: ReadonlySet<string> = new Set([
	'INSERT',
	'UPDATE',
	'DELETE',
	'MERGE',
	'EXEC',
	'EXECUTE',
	'DROP',
	'ALTER',
	'CREATE',
	'TRUNCATE',
	'GRANT',
	'DENY',
	'REVOKE',
	'INTO',
	'OPENROWSET',
	'OPENQUERY',
	'OPENDATASOURCE',
	'OPENXML',
	'BULK',
	'DECLARE',
	'SET',
	'USE',
	'GO',
	'BEGIN',
	'COMMIT',
	'ROLLBACK',
	'SAVE',
	'WAITFOR',
	'SHUTDOWN',
	'KILL',
	'BACKUP',
	'RESTORE',
	'DBCC',
	'RECONFIGURE',
	'UPDATETEXT',
	'WRITETEXT',
	'READTEXT',
	'DISABLE',
	'ENABLE',
	// statements that loop, raise, impersonate or flush: none belongs in a read (issue #12)
	'WHILE',
	'RAISERROR',
	'THROW',
	'PRINT',
	'SETUSER',
	'REVERT',
	'CHECKPOINT',
	'RETURN',
	'GOTO',
	'OPEN',
	'CLOSE',
	'DEALLOCATE',
]);

/**
 * Table hints that take or hold locks beyond a plain read (WITH (…) or the old `FROM t (HOLDLOCK)` form): a
 * long read holding them blocks the ERP's users. NOLOCK / READUNCOMMITTED, which take none, stay allowed.
 */
export const LOCKING_HINTS: ReadonlySet<string> = new Set([
	'HOLDLOCK',
	'UPDLOCK',
	'XLOCK',
	'TABLOCK',
	'TABLOCKX',
	'PAGLOCK',
	'ROWLOCK',
	'SERIALIZABLE',
	'REPEATABLEREAD',
	'READCOMMITTEDLOCK',
]);

const isWord = (t: SqlToken | undefined, word: string) => t?.kind === 'word' && t.text.toUpperCase() === word;
const isDot = (t: SqlToken | undefined) => t?.kind === 'symbol' && t.text === '.';
const isName = (t: SqlToken | undefined) => t?.kind === 'word' || t?.kind === 'quotedIdent';

/**
 * Dots in the multi-part name starting at tokens[i] (`a.b.c` → 2, `srv.db..t` → 3). Four parts
 * (three dots) name an object on another server: a linked server.
 */
function nameDots(tokens: SqlToken[], i: number): number {
	let dots = 0;
	let k = i + 1;
	while (isDot(tokens[k])) {
		dots++;
		k++;
		if (isName(tokens[k])) k++;
	}
	return dots;
}

const SET_OPERATORS = new Set(['UNION', 'ALL', 'EXCEPT', 'INTERSECT']);
const DML_STARTERS = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE']);

/**
 * Throws SqlGuardError unless `sql` is exactly one SELECT statement (optionally introduced by
 * WITH common table expressions, optionally ending in one `;`) that reads only.
 */
export function assertReadOnlySelect(sql: string): void {
	if (typeof sql !== 'string' || sql.trim() === '') throw new SqlGuardError('the statement is empty');
	const tokens = tokenizeSql(sql);
	if (tokens.length === 0) throw new SqlGuardError('the statement has only comments');

	// exactly one statement: a `;` may only be the very last token
	const semi = tokens.findIndex((t) => t.kind === 'symbol' && t.text === ';');
	if (semi !== -1 && semi !== tokens.length - 1) {
		throw new SqlGuardError(`";" at offset ${tokens[semi].at} is followed by more SQL: only one statement is allowed`);
	}
	const body = semi === -1 ? tokens : tokens.slice(0, -1);
	if (body.length === 0) throw new SqlGuardError('the statement is empty');

	for (const t of body) {
		if (t.kind !== 'word' && t.kind !== 'quotedIdent') continue;
		const upper = t.text.toUpperCase();
		if (t.kind === 'word' && FORBIDDEN_WORDS.has(upper)) {
			throw new SqlGuardError(`"${t.text}" at offset ${t.at} is not allowed: only a read-only SELECT may run`);
		}
		if (/^(XP|SP)_/.test(upper) || /(^|\.)(XP|SP)_/.test(upper)) {
			throw new SqlGuardError(`"${t.text}" at offset ${t.at} names a system procedure: not allowed`);
		}
		if (t.kind === 'quotedIdent' && (FORBIDDEN_WORDS.has(upper) || upper === 'OPENROWSET' || upper === 'OPENQUERY')) {
			throw new SqlGuardError(`quoted identifier "${t.text}" at offset ${t.at} is not allowed`);
		}
		if (t.kind === 'word' && LOCKING_HINTS.has(upper)) {
			throw new SqlGuardError(
				`table hint ${t.text} at offset ${t.at} takes locks: only NOLOCK / READUNCOMMITTED are allowed`,
			);
		}
	}
	for (let i = 0; i < body.length; i++) {
		const t = body[i];
		// NEXT VALUE FOR advances a sequence: a write (OFFSET … FETCH NEXT n ROWS stays allowed)
		if (isWord(t, 'NEXT') && isWord(body[i + 1], 'VALUE') && isWord(body[i + 2], 'FOR')) {
			throw new SqlGuardError(`NEXT VALUE FOR at offset ${t.at} advances a sequence: only a read-only SELECT may run`);
		}
		// a name of four parts (server.database.schema.object) reaches a linked server
		if (isName(t) && !isDot(body[i - 1]) && nameDots(body, i) >= 3) {
			throw new SqlGuardError(`"${t.text}" at offset ${t.at} starts a four-part name: linked servers are not allowed`);
		}
	}

	const first = body[0];
	const firstWord = first.kind === 'word' ? first.text.toUpperCase() : '';
	if (firstWord !== 'SELECT' && firstWord !== 'WITH') {
		throw new SqlGuardError(`the statement must start with SELECT or WITH, not "${first.text}"`);
	}

	// walk the top level (parenthesis depth 0)
	let depth = 0;
	let mainSeen = false;
	for (let i = 0; i < body.length; i++) {
		const t = body[i];
		if (t.kind === 'symbol' && t.text === '(') {
			depth++;
			continue;
		}
		if (t.kind === 'symbol' && t.text === ')') {
			depth--;
			if (depth < 0) throw new SqlGuardError(`unbalanced ")" at offset ${t.at}`);
			continue;
		}
		if (depth !== 0 || t.kind !== 'word') continue;
		const w = t.text.toUpperCase();
		if (w === 'WITH' && i > 0) {
			// only a table hint is allowed after the start: WITH (NOLOCK)
			const nx = body[i + 1];
			if (!nx || nx.kind !== 'symbol' || nx.text !== '(') {
				throw new SqlGuardError(`WITH at offset ${t.at} starts another statement: only one SELECT is allowed`);
			}
			continue;
		}
		if (DML_STARTERS.has(w)) {
			if (w !== 'SELECT') {
				throw new SqlGuardError(`the statement's main part is ${w}, not SELECT`);
			}
			if (!mainSeen) {
				mainSeen = true;
				continue;
			}
			const prev = body[i - 1];
			const prevWord = prev && prev.kind === 'word' ? prev.text.toUpperCase() : '';
			if (!SET_OPERATORS.has(prevWord)) {
				throw new SqlGuardError(`a second SELECT at offset ${t.at} starts another statement: only one is allowed`);
			}
		}
	}
	if (depth !== 0) throw new SqlGuardError('unbalanced "(": the statement is incomplete');
	if (!mainSeen) throw new SqlGuardError('WITH must be followed by a SELECT');
}

/** T-SQL parameter names (`@name`, not `@@system`) used outside literals and comments, in order of first use. */
export function parameterNames(sql: string): string[] {
	const seen: string[] = [];
	for (const t of tokenizeSql(sql)) {
		if (t.kind === 'param' && !seen.includes(t.text.slice(1))) seen.push(t.text.slice(1));
	}
	return seen;
}

export interface BoundParameter {
	name: string;
	/** null is an explicit SQL NULL (used for optional filters: `@x IS NULL OR ...`) */
	value: unknown;
}

/**
 * Checks the values for a statement: every `@param` it uses must have a value (null allowed, undefined
 * is missing) and no value may be given that it does not use. Returns the parameters in order of use,
 * for the driver's `request.input(name, type, value)`. Runs assertReadOnlySelect first.
 */
export function bindParameters(sql: string, values: Record<string, unknown>): BoundParameter[] {
	assertReadOnlySelect(sql);
	const used = parameterNames(sql);
	const given = Object.keys(values ?? {});
	const missing = used.filter((p) => !Object.prototype.hasOwnProperty.call(values ?? {}, p) || values[p] === undefined);
	const extra = given.filter((k) => !used.includes(k));
	const problems: string[] = [];
	if (missing.length) problems.push(`no value for ${missing.map((m) => '@' + m).join(', ')}`);
	if (extra.length) problems.push(`values given for parameters the statement does not use: ${extra.join(', ')}`);
	if (problems.length) throw new SqlGuardError(`parameter binding: ${problems.join('; ')}`);
	return used.map((name) => ({ name, value: values[name] }));
}
