/**
 * $filter: a tokenizer, a recursive-descent parser and a compiler to a predicate over records.
 *
 * Supported: eq ne gt ge lt le, and, or, not, parentheses; literals 'text' (with '' for a quote),
 * numbers, null, true/false, bare dates 2026-11-20 (OData 4), datetime'2026-11-20' (OData 3) and enum
 * literals SAPB1.BoCardTypes'cCustomer' (OData 4);
 * functions startswith, endswith, contains, substringof, tolower, toupper, trim.
 * Property names are checked against the entity's schema (unknown → 400, collections → 400), and so
 * are literal types (a date property needs a date, a number property a number). Comparisons with a
 * NULL property value are false, as in SQL. String comparison is ordinal and case-sensitive (HANA)
 * unless the request sends B1S-CaseInsensitive: true.
 */
import { errors } from './errors';
import type { FieldType, Schema } from './model';

type Tok =
	| { k: '(' | ')' | ','; at: number }
	| { k: 'str'; v: string; at: number }
	| { k: 'num'; v: number; at: number }
	| { k: 'date'; v: string; at: number }
	| { k: 'id'; v: string; at: number }
	| { k: 'end'; at: number };

type Lit = string | number | boolean | null;
type Node =
	| { t: 'or' | 'and'; a: Node; b: Node }
	| { t: 'not'; a: Node }
	| { t: 'cmp'; op: CmpOp; a: Node; b: Node }
	| { t: 'fn'; name: string; args: Node[] }
	| { t: 'field'; name: string }
	| { t: 'lit'; v: Lit; kind: 'str' | 'num' | 'date' | 'null' | 'bool' };

type CmpOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
const CMP = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const BOOL_FNS = new Set(['startswith', 'endswith', 'contains', 'substringof']);
const STR_FNS = new Set(['tolower', 'toupper', 'trim']);
const UNSUPPORTED = new Set(['add', 'sub', 'mul', 'div', 'mod', 'has', 'in', 'any', 'all']);

function syntax(text: string, at: number, what: string): never {
	throw errors.query(`Syntax error in $filter at position ${at + 1}: ${what} (in: ${text})`);
}

function tokenize(text: string): Tok[] {
	const out: Tok[] = [];
	let i = 0;
	while (i < text.length) {
		const c = text[i];
		if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
			i++;
			continue;
		}
		if (c === '(' || c === ')' || c === ',') {
			out.push({ k: c, at: i++ });
			continue;
		}
		if (c === "'") {
			const at = i;
			let s = '';
			i++;
			for (;;) {
				if (i >= text.length) syntax(text, at, 'unterminated string literal');
				if (text[i] === "'") {
					if (text[i + 1] === "'") {
						s += "'";
						i += 2;
						continue;
					}
					i++;
					break;
				}
				s += text[i++];
			}
			out.push({ k: 'str', v: s, at });
			continue;
		}
		const rest = text.slice(i);
		const date = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?/.exec(rest);
		if (date) {
			out.push({ k: 'date', v: date[0], at: i });
			i += date[0].length;
			continue;
		}
		const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?[mMdDfFlL]?/.exec(rest);
		if (num) {
			out.push({ k: 'num', v: Number(num[0].replace(/[mMdDfFlL]$/, '')), at: i });
			i += num[0].length;
			continue;
		}
		const enumLit = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+'([^']*)'/.exec(rest);
		if (enumLit) {
			// OData 4 enum literal, e.g. SAPB1.BoCardTypes'cCustomer' — compared as its member name
			out.push({ k: 'str', v: enumLit[1], at: i });
			i += enumLit[0].length;
			continue;
		}
		const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
		if (id) {
			const at = i;
			i += id[0].length;
			if (text[i] === '/')
				throw errors.query(`Navigation paths are not supported in $filter by the SAP B1 simulator: ${text}`);
			if (id[0] === 'datetime' && text[i] === "'") {
				const end = text.indexOf("'", i + 1);
				if (end < 0) syntax(text, at, 'unterminated datetime literal');
				const v = text.slice(i + 1, end);
				if (!/^\d{4}-\d{2}-\d{2}/.test(v)) syntax(text, at, `invalid datetime literal '${v}'`);
				out.push({ k: 'date', v, at });
				i = end + 1;
				continue;
			}
			out.push({ k: 'id', v: id[0], at });
			continue;
		}
		syntax(text, i, `unexpected character '${c}'`);
	}
	out.push({ k: 'end', at: text.length });
	return out;
}

function parse(text: string): Node {
	const toks = tokenize(text);
	let p = 0;
	const peek = () => toks[p];
	const isWord = (w: string) => {
		const t = toks[p];
		return t.k === 'id' && t.v === w;
	};
	const expect = (k: Tok['k'], what: string) => {
		const t = toks[p];
		if (t.k !== k) syntax(text, t.at, `expected ${what}`);
		p++;
		return t;
	};

	function orExpr(): Node {
		let a = andExpr();
		while (isWord('or')) {
			p++;
			a = { t: 'or', a, b: andExpr() };
		}
		return a;
	}
	function andExpr(): Node {
		let a = notExpr();
		while (isWord('and')) {
			p++;
			a = { t: 'and', a, b: notExpr() };
		}
		return a;
	}
	function notExpr(): Node {
		if (isWord('not')) {
			p++;
			return { t: 'not', a: notExpr() };
		}
		return cmpExpr();
	}
	function cmpExpr(): Node {
		const a = primary();
		const t = peek();
		if (t.k === 'id' && CMP.has(t.v)) {
			p++;
			return { t: 'cmp', op: t.v as CmpOp, a, b: primary() };
		}
		if (t.k === 'id' && UNSUPPORTED.has(t.v))
			throw errors.query(`Operator '${t.v}' in $filter is not supported by the SAP B1 simulator`);
		return a;
	}
	function primary(): Node {
		const t = peek();
		switch (t.k) {
			case '(': {
				p++;
				const e = orExpr();
				expect(')', "')'");
				return e;
			}
			case 'str':
				p++;
				return { t: 'lit', v: t.v, kind: 'str' };
			case 'num':
				p++;
				return { t: 'lit', v: t.v, kind: 'num' };
			case 'date':
				p++;
				return { t: 'lit', v: t.v, kind: 'date' };
			case 'id': {
				p++;
				if (t.v === 'null') return { t: 'lit', v: null, kind: 'null' };
				if (t.v === 'true' || t.v === 'false') return { t: 'lit', v: t.v === 'true', kind: 'bool' };
				if (peek().k === '(') {
					const name = t.v;
					if (!BOOL_FNS.has(name) && !STR_FNS.has(name))
						throw errors.query(`Function '${name}' in $filter is not supported by the SAP B1 simulator`);
					p++;
					const args: Node[] = [];
					if (peek().k !== ')') {
						args.push(orExpr());
						while (peek().k === ',') {
							p++;
							args.push(orExpr());
						}
					}
					expect(')', "')' after function arguments");
					const want = STR_FNS.has(name) ? 1 : 2;
					if (args.length !== want) syntax(text, t.at, `${name} takes ${want} argument(s)`);
					return { t: 'fn', name, args };
				}
				if (CMP.has(t.v) || t.v === 'and' || t.v === 'or' || t.v === 'not') syntax(text, t.at, `unexpected '${t.v}'`);
				return { t: 'field', name: t.v };
			}
			default:
				syntax(text, t.at, t.k === 'end' ? 'unexpected end of expression' : `unexpected '${t.k}'`);
		}
	}

	const root = orExpr();
	if (peek().k !== 'end') syntax(text, peek().at, 'unexpected token after the expression');
	return root;
}

export interface FilterContext<R> {
	schema: Schema;
	get: (r: R, field: string) => unknown;
	caseInsensitive: boolean;
}

type Val<R> = {
	type: FieldType | 'null' | 'bool' | 'literal-str' | 'literal-num' | 'literal-date';
	get: (r: R) => unknown;
	lit?: Lit;
};

/** compiles the $filter text to a predicate; throws a 400 SapError on any syntax, property or type problem */
export function compileFilter<R>(text: string, ctx: FilterContext<R>): (r: R) => boolean {
	const fold = (s: string) => (ctx.caseInsensitive ? s.toLowerCase() : s);

	function bool(n: Node): (r: R) => boolean {
		switch (n.t) {
			case 'or': {
				const a = bool(n.a);
				const b = bool(n.b);
				return (r) => a(r) || b(r);
			}
			case 'and': {
				const a = bool(n.a);
				const b = bool(n.b);
				return (r) => a(r) && b(r);
			}
			case 'not': {
				const a = bool(n.a);
				return (r) => !a(r);
			}
			case 'cmp':
				return compare(n.op, value(n.a), value(n.b));
			case 'fn': {
				if (!BOOL_FNS.has(n.name)) throw errors.query(`${n.name}() does not return a boolean`);
				let [hay, needle] = n.args.map(value);
				if (n.name === 'substringof') [hay, needle] = [needle, hay];
				for (const v of [hay, needle]) if (!isStringish(v)) throw errors.query(`${n.name}() expects string arguments`);
				const test =
					n.name === 'startswith'
						? (h: string, s: string) => h.startsWith(s)
						: n.name === 'endswith'
							? (h: string, s: string) => h.endsWith(s)
							: (h: string, s: string) => h.includes(s);
				return (r) => {
					const h = hay.get(r);
					const s = needle.get(r);
					if (typeof h !== 'string' || typeof s !== 'string') return false;
					return test(fold(h), fold(s));
				};
			}
			case 'lit':
				if (n.kind === 'bool') return () => n.v === true;
				throw errors.query('A $filter expression must be a condition');
			case 'field':
				throw errors.query(`Property '${n.name}' is not a boolean condition; compare it with eq/ne/gt/ge/lt/le`);
		}
	}

	function value(n: Node): Val<R> {
		switch (n.t) {
			case 'field': {
				const type = ctx.schema.fields[n.name];
				if (!type) throw errors.invalidProperty(n.name, ctx.schema.type);
				if (type === 'collection') throw errors.query(`Collection property '${n.name}' cannot be used in $filter`);
				const name = n.name;
				return { type, get: (r) => ctx.get(r, name) };
			}
			case 'lit': {
				const type =
					n.kind === 'str'
						? 'literal-str'
						: n.kind === 'num'
							? 'literal-num'
							: n.kind === 'date'
								? 'literal-date'
								: n.kind;
				return { type, get: () => n.v, lit: n.v };
			}
			case 'fn': {
				if (!STR_FNS.has(n.name)) throw errors.query(`${n.name}() returns a boolean and cannot be compared`);
				const arg = value(n.args[0]);
				if (!isStringish(arg)) throw errors.query(`${n.name}() expects a string argument`);
				const f =
					n.name === 'tolower'
						? (s: string) => s.toLowerCase()
						: n.name === 'toupper'
							? (s: string) => s.toUpperCase()
							: (s: string) => s.trim();
				return { type: 'string', get: (r) => (typeof arg.get(r) === 'string' ? f(arg.get(r) as string) : null) };
			}
			default:
				throw errors.query('A condition cannot be used as a value in $filter');
		}
	}

	function compare(op: CmpOp, a: Val<R>, b: Val<R>): (r: R) => boolean {
		if (a.type === 'null' || b.type === 'null') {
			if (op !== 'eq' && op !== 'ne') throw errors.query(`null can only be compared with eq or ne`);
			const other = a.type === 'null' ? b : a;
			return op === 'eq' ? (r) => other.get(r) == null : (r) => other.get(r) != null;
		}
		const domain = domainOf(a, b);
		const norm = (v: Val<R>): ((r: R) => unknown) => {
			if (v.lit === undefined)
				return domain === 'string'
					? (r) => (typeof v.get(r) === 'string' ? fold(v.get(r) as string) : v.get(r))
					: v.get;
			const lit = literalFor(domain, v);
			return () => lit;
		};
		const ga = norm(a);
		const gb = norm(b);
		const cmp = (x: unknown, y: unknown): number =>
			x === y ? 0 : (x as number | string) < (y as number | string) ? -1 : 1;
		const test: Record<CmpOp, (c: number) => boolean> = {
			eq: (c) => c === 0,
			ne: (c) => c !== 0,
			gt: (c) => c > 0,
			ge: (c) => c >= 0,
			lt: (c) => c < 0,
			le: (c) => c <= 0,
		};
		const t = test[op];
		return (r) => {
			const x = ga(r);
			const y = gb(r);
			if (x == null || y == null) return false; // SQL: a comparison with NULL is not true
			return t(cmp(x, y));
		};
	}

	function literalFor(domain: 'string' | 'number' | 'date' | 'time', v: Val<R>): string | number {
		const lit = v.lit;
		switch (domain) {
			case 'number':
				if (typeof lit === 'number') return lit;
				if (typeof lit === 'string' && /^-?\d+(\.\d+)?$/.test(lit.trim())) return Number(lit);
				throw errors.query(`A numeric value is expected in $filter, got ${JSON.stringify(lit)}`);
			case 'date': {
				const m = typeof lit === 'string' ? /^(\d{4}-\d{2}-\d{2})(T00:00:00(\.0+)?(Z)?)?$/.exec(lit.trim()) : null;
				if (!m || Number.isNaN(Date.parse(m[1])))
					throw errors.query(`A date value (YYYY-MM-DD) is expected in $filter, got ${JSON.stringify(lit)}`);
				return m[1];
			}
			case 'time': {
				const m = typeof lit === 'string' ? /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(lit.trim()) : null;
				if (!m) throw errors.query(`A time value (HH:MM:SS) is expected in $filter, got ${JSON.stringify(lit)}`);
				return `${m[1]}:${m[2]}:${m[3] ?? '00'}`;
			}
			case 'string':
				if (typeof lit !== 'string' || v.type === 'literal-date')
					throw errors.query(`A string literal in single quotes is expected in $filter, got ${String(lit)}`);
				return fold(lit);
		}
	}

	return bool(parse(text));
}

function isStringish<R>(v: Val<R>): boolean {
	return v.type === 'string' || v.type === 'literal-str';
}

function domainOf<R>(a: Val<R>, b: Val<R>): 'string' | 'number' | 'date' | 'time' {
	const field = [a, b].find((v) => v.lit === undefined);
	if (!field) throw errors.query('A $filter comparison needs a property on at least one side');
	const t = field.type;
	if (t === 'number' || t === 'date' || t === 'time' || t === 'string') {
		const other = field === a ? b : a;
		if (other.lit === undefined && other.type !== t)
			throw errors.query(`Cannot compare properties of different types (${t} and ${other.type})`);
		if (other.type === 'bool') throw errors.query('Boolean literals cannot be compared with properties');
		return t;
	}
	throw errors.query('Unsupported comparison in $filter');
}
