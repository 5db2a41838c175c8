/**
 * OData V4 query options as Business Central answers them: $filter (eq ne gt ge lt le, and / or / not, parentheses,
 * startswith / endswith / contains), $select, $orderby, $top, $skip. Literals are typed as in OData V4 and compared
 * strictly, like the OData library BC runs on: datetimes and GUIDs are written WITHOUT quotes
 * (`lastModifiedDateTime gt 2019-08-18T20:05:51.603Z`, `id eq 5d115c9c-…`), strings in single quotes with '' for a
 * quote; `lastModifiedDateTime gt '2019-…'` or `number eq 1000` is a 400 "incompatible types", an unknown field a 400
 * "Could not find a property named 'x' on type 'Microsoft.NAV.item'" (research §1; error codes doc S18).
 */
import { BcError } from './errors';

export type FieldType = 'string' | 'number' | 'boolean' | 'datetime' | 'date' | 'guid';
export type Schema = Record<string, FieldType>;

const EDM: Record<FieldType | 'null', string> = {
	string: 'Edm.String',
	number: 'Edm.Decimal',
	boolean: 'Edm.Boolean',
	datetime: 'Edm.DateTimeOffset',
	date: 'Edm.Date',
	guid: 'Edm.Guid',
	null: 'null',
};

type Lit = { kind: 'lit'; type: FieldType | 'null'; value: string | number | boolean | null };
type Field = { kind: 'field'; name: string };
type Node =
	| Lit
	| Field
	| { kind: 'cmp'; op: string; left: Lit | Field; right: Lit | Field }
	| { kind: 'and' | 'or'; left: Node; right: Node }
	| { kind: 'not'; expr: Node }
	| { kind: 'fn'; name: string; args: Array<Lit | Field> };

export type Filter = Node;

const OPS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];
const OP_KIND: Record<string, string> = {
	eq: 'Equal',
	ne: 'NotEqual',
	gt: 'GreaterThan',
	ge: 'GreaterThanOrEqual',
	lt: 'LessThan',
	le: 'LessThanOrEqual',
};
const FUNCS = ['startswith', 'endswith', 'contains'];

const TOKEN =
	/\s*(?:(\()|(\))|(,)|'((?:[^']|'')*)'|([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(?![\w-])|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))|(\d{4}-\d{2}-\d{2})(?![\w:])|(-?\d+(?:\.\d+)?)(?![\w.])|([A-Za-z_][\w]*))/y;

type Tok = { t: '(' | ')' | ',' } | { t: 'lit'; lit: Lit } | { t: 'word'; w: string };

function tokenize(src: string): Tok[] {
	const out: Tok[] = [];
	TOKEN.lastIndex = 0;
	let pos = 0;
	while (pos < src.length) {
		if (/^\s*$/.test(src.slice(pos))) break;
		TOKEN.lastIndex = pos;
		const m = TOKEN.exec(src);
		if (!m) throw syntax(`Syntax error at position ${pos} in '${src}'.`);
		pos = TOKEN.lastIndex;
		if (m[1]) out.push({ t: '(' });
		else if (m[2]) out.push({ t: ')' });
		else if (m[3]) out.push({ t: ',' });
		else if (m[4] !== undefined)
			out.push({ t: 'lit', lit: { kind: 'lit', type: 'string', value: m[4].replace(/''/g, "'") } });
		else if (m[5]) out.push({ t: 'lit', lit: { kind: 'lit', type: 'guid', value: m[5].toLowerCase() } });
		else if (m[6]) {
			if (!Number.isFinite(Date.parse(m[6]))) throw syntax(`Unrecognized 'Edm.DateTimeOffset' literal '${m[6]}'.`);
			out.push({ t: 'lit', lit: { kind: 'lit', type: 'datetime', value: m[6] } });
		} else if (m[7]) out.push({ t: 'lit', lit: { kind: 'lit', type: 'date', value: m[7] } });
		else if (m[8]) out.push({ t: 'lit', lit: { kind: 'lit', type: 'number', value: Number(m[8]) } });
		else {
			const w = m[9];
			if (w === 'true' || w === 'false')
				out.push({ t: 'lit', lit: { kind: 'lit', type: 'boolean', value: w === 'true' } });
			else if (w === 'null') out.push({ t: 'lit', lit: { kind: 'lit', type: 'null', value: null } });
			else out.push({ t: 'word', w });
		}
	}
	return out;
}

function syntax(message: string): BcError {
	return new BcError(400, 'BadRequest', message);
}

export function unknownProperty(name: string, typeName: string): BcError {
	return new BcError(400, 'BadRequest_NotFound', `Could not find a property named '${name}' on type '${typeName}'.`);
}

/** parses a $filter; every field must be in the schema */
export function parseFilter(src: string, schema: Schema, typeName: string): Filter {
	const toks = tokenize(src);
	let i = 0;
	const peekWord = (w: string) => {
		const t = toks[i];
		return t?.t === 'word' && t.w.toLowerCase() === w;
	};
	const expect = (t: '(' | ')' | ',') => {
		if (toks[i]?.t !== t) throw syntax(`'${t}' expected at token ${i + 1} in '${src}'.`);
		i++;
	};
	const operand = (): Lit | Field => {
		const t = toks[i++];
		if (!t) throw syntax(`Expression expected at the end of '${src}'.`);
		if (t.t === 'lit') return t.lit;
		if (t.t === 'word' && !OPS.includes(t.w) && !['and', 'or', 'not'].includes(t.w)) {
			if (!(t.w in schema)) throw unknownProperty(t.w, typeName);
			return { kind: 'field', name: t.w };
		}
		throw syntax(`Expression expected at token ${i} in '${src}'.`);
	};
	const primary = (): Node => {
		if (peekWord('not')) {
			i++;
			return { kind: 'not', expr: primary() };
		}
		if (toks[i]?.t === '(') {
			i++;
			const e = orExpr();
			expect(')');
			return e;
		}
		const t = toks[i];
		if (t?.t === 'word' && FUNCS.includes(t.w.toLowerCase()) && toks[i + 1]?.t === '(') {
			i += 2;
			const args = [operand()];
			expect(',');
			args.push(operand());
			expect(')');
			for (const a of args) {
				const ty = a.kind === 'field' ? schema[a.name] : a.type;
				if (ty !== 'string')
					throw syntax(`No function signature for the function with name '${t.w}' matches the specified arguments.`);
			}
			return { kind: 'fn', name: t.w.toLowerCase(), args };
		}
		const left = operand();
		const opTok = toks[i++];
		if (opTok?.t !== 'word' || !OPS.includes(opTok.w.toLowerCase()))
			throw syntax(`Syntax error: a comparison operator was expected after token ${i - 1} in '${src}'.`);
		const op = opTok.w.toLowerCase();
		const right = operand();
		const lt = left.kind === 'field' ? schema[left.name] : left.type;
		const rt = right.kind === 'field' ? schema[right.name] : right.type;
		const compatible =
			lt === rt ||
			lt === 'null' ||
			rt === 'null' ||
			(lt === 'datetime' && rt === 'date') ||
			(lt === 'date' && rt === 'datetime');
		if (!compatible)
			throw syntax(
				`A binary operator with incompatible types was detected. Found operand types '${EDM[lt]}' and '${EDM[rt]}' for operator kind '${OP_KIND[op]}'.`,
			);
		return { kind: 'cmp', op, left, right };
	};
	const andExpr = (): Node => {
		let l = primary();
		while (peekWord('and')) {
			i++;
			l = { kind: 'and', left: l, right: primary() };
		}
		return l;
	};
	const orExpr = (): Node => {
		let l = andExpr();
		while (peekWord('or')) {
			i++;
			l = { kind: 'or', left: l, right: andExpr() };
		}
		return l;
	};
	const e = orExpr();
	if (i < toks.length) throw syntax(`Syntax error at token ${i + 1} in '${src}'.`);
	return e;
}

type Row = Record<string, unknown>;

function comparable(v: unknown, type: FieldType | 'null'): string | number | boolean | null {
	if (v === null || v === undefined) return null;
	if (type === 'datetime') return Date.parse(String(v));
	if (type === 'guid') return String(v).toLowerCase();
	return v as string | number | boolean;
}

function value(o: Lit | Field, row: Row, schema: Schema): string | number | boolean | null {
	if (o.kind === 'lit') return o.type === 'datetime' ? Date.parse(String(o.value)) : o.value;
	const type = schema[o.name];
	const v = row[o.name];
	// a datetime field against a date literal compares the date part
	return comparable(v, type);
}

export function evalFilter(f: Filter, row: Row, schema: Schema): boolean {
	switch (f.kind) {
		case 'and':
			return evalFilter(f.left, row, schema) && evalFilter(f.right, row, schema);
		case 'or':
			return evalFilter(f.left, row, schema) || evalFilter(f.right, row, schema);
		case 'not':
			return !evalFilter(f.expr, row, schema);
		case 'fn': {
			const [a, b] = f.args.map((x) => String(value(x, row, schema) ?? ''));
			if (f.name === 'startswith') return a.startsWith(b);
			if (f.name === 'endswith') return a.endsWith(b);
			return a.includes(b);
		}
		case 'cmp': {
			let l = value(f.left, row, schema);
			let r = value(f.right, row, schema);
			// datetime vs date literal: compare as dates
			const lt = f.left.kind === 'field' ? schema[f.left.name] : f.left.type;
			const rt = f.right.kind === 'field' ? schema[f.right.name] : f.right.type;
			if (lt === 'datetime' && rt === 'date') r = Date.parse(`${String(r)}T00:00:00Z`);
			if (lt === 'date' && rt === 'datetime') l = Date.parse(`${String(l)}T00:00:00Z`);
			switch (f.op) {
				case 'eq':
					return l === r;
				case 'ne':
					return l !== r;
				default: {
					if (l === null || r === null) return false;
					if (f.op === 'gt') return l > r;
					if (f.op === 'ge') return l >= r;
					if (f.op === 'lt') return l < r;
					return l <= r;
				}
			}
		}
		default:
			return true;
	}
}

/**
 * The value a top-level `and` conjunct compares a field with by `eq` (e.g. Location_Filter eq 'BLUE'): FlowFilters
 * are not data but parameters of the FlowFields, so the page reads them out of the filter.
 */
export function eqConstant(f: Filter | undefined, field: string): string | undefined {
	if (!f) return undefined;
	if (f.kind === 'and') return eqConstant(f.left, field) ?? eqConstant(f.right, field);
	if (f.kind === 'cmp' && f.op === 'eq') {
		if (f.left.kind === 'field' && f.left.name === field && f.right.kind === 'lit') return String(f.right.value);
		if (f.right.kind === 'field' && f.right.name === field && f.left.kind === 'lit') return String(f.left.value);
	}
	return undefined;
}

export interface OrderBy {
	field: string;
	desc: boolean;
}

export function parseOrderBy(src: string, schema: Schema, typeName: string): OrderBy[] {
	return src.split(',').map((part) => {
		const m = /^\s*([A-Za-z_]\w*)(?:\s+(asc|desc))?\s*$/i.exec(part);
		if (!m) throw syntax(`Syntax error in $orderby '${src}'.`);
		if (!(m[1] in schema)) throw unknownProperty(m[1], typeName);
		return { field: m[1], desc: m[2]?.toLowerCase() === 'desc' };
	});
}

export function parseSelect(src: string, schema: Schema, typeName: string): string[] {
	return src.split(',').map((s) => {
		const f = s.trim();
		if (!(f in schema)) throw unknownProperty(f, typeName);
		return f;
	});
}

export function compareRows(a: Row, b: Row, order: OrderBy[], schema: Schema): number {
	for (const o of order) {
		const x = comparable(a[o.field], schema[o.field]);
		const y = comparable(b[o.field], schema[o.field]);
		if (x === y) continue;
		const c = x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
		return o.desc ? -c : c;
	}
	return 0;
}

/** $top / $skip: a non-negative whole number */
export function parseCount(v: string | null, name: string): number | undefined {
	if (v === null) return undefined;
	if (!/^\d+$/.test(v))
		throw syntax(
			`Invalid value '${v}' for ${name} query option found. The ${name} query option requires a non-negative integer value.`,
		);
	return Number(v);
}

/** a schema from a sample record (for modules that do not declare one) */
export function schemaOf(row: Row): Schema {
	const s: Schema = {};
	for (const [k, v] of Object.entries(row)) {
		if (k.startsWith('@')) continue;
		s[k] =
			typeof v === 'number'
				? 'number'
				: typeof v === 'boolean'
					? 'boolean'
					: typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(v) && k.toLowerCase().endsWith('id')
						? 'guid'
						: typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)
							? 'datetime'
							: typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)
								? 'date'
								: 'string';
	}
	return s;
}
