/**
 * The OData query options a sync client uses: $select, $filter, $orderby, $top, $skip, $inlinecount
 * ($count=true too on /b1s/v2). Anything else — $expand, $apply, unknown $options, plain parameters,
 * duplicates, malformed numbers — is a 400 SAP error, never silently ignored.
 */
import { errors } from './errors';

export interface OrderBy {
	field: string;
	desc: boolean;
}

export interface QueryOptions {
	select?: string[];
	filter?: string;
	orderby?: OrderBy[];
	top?: number;
	skip?: number;
	inlinecount: boolean;
	/** the options as the client wrote them (name, raw still-encoded value), for nextLink */
	raw: { name: string; value: string }[];
}

const KNOWN = new Set(['$select', '$filter', '$orderby', '$top', '$skip', '$inlinecount', '$count']);

export function decodeComponent(raw: string): string {
	try {
		return decodeURIComponent(raw.replace(/\+/g, ' '));
	} catch {
		throw errors.query(`Malformed percent-encoding in the query: ${raw}`);
	}
}

export function parseQuery(search: string, version: 'v1' | 'v2'): QueryOptions {
	const out: QueryOptions = { inlinecount: false, raw: [] };
	if (!search) return out;
	const seen = new Set<string>();
	for (const part of search.split('&')) {
		if (!part) continue;
		const eq = part.indexOf('=');
		const name = decodeComponent(eq < 0 ? part : part.slice(0, eq));
		const rawValue = eq < 0 ? '' : part.slice(eq + 1);
		const value = decodeComponent(rawValue);
		if (!KNOWN.has(name)) {
			if (name.startsWith('$')) throw errors.query(`Query option '${name}' is not supported by the SAP B1 simulator`);
			throw errors.query(`Invalid query parameter '${name}'; only OData system query options are accepted`);
		}
		if (seen.has(name)) throw errors.query(`Query option '${name}' is specified more than once`);
		seen.add(name);
		out.raw.push({ name, value: rawValue });
		switch (name) {
			case '$select':
				out.select = list(value, name);
				break;
			case '$filter':
				if (!value.trim()) throw errors.query('The $filter expression is empty');
				out.filter = value;
				break;
			case '$orderby':
				out.orderby = list(value, name).map((item) => {
					const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?$/.exec(item);
					if (!m) throw errors.query(`Invalid $orderby item '${item}'`);
					return { field: m[1], desc: m[2] === 'desc' };
				});
				break;
			case '$top':
				out.top = int(value, name);
				break;
			case '$skip':
				out.skip = int(value, name);
				break;
			case '$inlinecount':
				if (value !== 'allpages' && value !== 'none')
					throw errors.query(`Invalid $inlinecount value '${value}' (allpages or none)`);
				out.inlinecount = value === 'allpages';
				break;
			case '$count':
				if (version === 'v1')
					throw errors.query("Query option '$count' is not supported in OData V3; use $inlinecount=allpages");
				if (value !== 'true' && value !== 'false')
					throw errors.query(`Invalid $count value '${value}' (true or false)`);
				out.inlinecount = out.inlinecount || value === 'true';
				break;
		}
	}
	return out;
}

function list(value: string, name: string): string[] {
	const items = value.split(',').map((s) => s.trim());
	if (items.some((s) => !s)) throw errors.query(`Invalid ${name} value '${value}'`);
	return items;
}

function int(value: string, name: string): number {
	if (!/^\d+$/.test(value)) throw errors.query(`Invalid ${name} value '${value}': a non-negative integer is expected`);
	const n = Number(value);
	if (!Number.isSafeInteger(n)) throw errors.query(`Invalid ${name} value '${value}'`);
	return n;
}
