/**
 * Every OPTIMA_QUERIES statement: one read-only SELECT the shared guard accepts, its @parameters exactly the
 * declared ones, parseable by a real T-SQL grammar (node-sql-parser; `TOP (@n)` replaced for the parser only, as in
 * Subiekt's check), and listed verbatim in docs/optima-sql.md for the DBA. The docs' operation tables (optima-sql.md
 * for the SQL operations, optima-bridge.md for the bridge ones) name every parameter and option the node has.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Parser } from 'node-sql-parser';
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { Optima } from '../../../nodes/Optima/Optima.node';
import { SQL_OPERATIONS } from '../../../nodes/Optima/actions/sqlCommon';
import { DEFAULT_DISCOUNT_TYPES } from '../../../nodes/Optima/mapping';
import { OPTIMA_QUERIES, OPTIMA_SQL } from '../../../nodes/Optima/sql/queries';
import { assertReadOnlySelect, parameterNames, tokenizeSql } from '../../../nodes/shared/sql/guard';

const doc = readFileSync(path.join(__dirname, '../../../docs/optima-sql.md'), 'utf8');
const bridgeDoc = readFileSync(path.join(__dirname, '../../../docs/optima-bridge.md'), 'utf8');
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

describe("the Optima bridge's own SQL (docs/optima-bridge.md)", () => {
	// the service's statements, dedented: the bridge doc shows them inside a numbered list
	const bridgeStatements = [...bridgeDoc.matchAll(/^( *)```sql\n([\s\S]*?)\n\1```/gm)].map(([, indent, body]) =>
		body
			.split('\n')
			.map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
			.join('\n'),
	);

	it('reads the RO it compares: client, warehouse and lines, not only the header', () => {
		expect(bridgeStatements.length).toBeGreaterThanOrEqual(2);
		const all = bridgeStatements.join('\n');
		for (const column of [
			'TrN_NumerObcy',
			'TrN_Anulowany',
			'Knt_Kod',
			'Mag_Symbol',
			'TrE_TwrKod',
			'TrE_Ilosc',
			'TrE_CenaT',
		])
			expect(all).toContain(column);
	});

	it('each is a guarded read-only SELECT of the CDN schema that a T-SQL grammar parses, listed in the DBA doc', () => {
		for (const sql of bridgeStatements) {
			expect(() => assertReadOnlySelect(sql)).not.toThrow();
			expect(() => parser.astify(sql, { database: 'transactsql' })).not.toThrow();
			for (const m of sql.matchAll(/\b(?:FROM|JOIN)\s+([\w.]+)/g)) expect(m[1]).toMatch(/^CDN\.\w+$/);
			expect(doc).toContain(sql);
		}
	});
});

describe('the docs name every parameter and option of each operation', () => {
	const properties = new Optima().description.properties;
	const shownFor = (p: INodeProperties, resource: string, operation: string) =>
		(p.displayOptions?.show?.resource as string[] | undefined)?.includes(resource) &&
		(p.displayOptions?.show?.operation as string[] | undefined)?.includes(operation);
	/** the parameter names of one operation, with the names inside its Options collection */
	const namesOf = (resource: string, operation: string) =>
		properties
			.filter((p) => shownFor(p, resource, operation))
			.flatMap((p) => [
				p.name,
				...(p.type === 'collection' ? (p.options as INodeProperties[]).map((o) => o.name) : []),
			]);
	/** "Order → Get Status": the labels the docs use, from the node's own operation dropdown */
	const label = (resource: string, operation: string) => {
		const name = properties
			.filter((p) => p.name === 'operation' && (p.displayOptions?.show?.resource as string[]).includes(resource))
			.flatMap((p) => p.options as INodePropertyOptions[])
			.find((o) => o.value === operation)?.name;
		// the resource as the dropdown names it, without its source: "Price List (SQL)" → "Price List"
		const resourceName = (properties.find((p) => p.name === 'resource')!.options as INodePropertyOptions[])
			.find((o) => o.value === resource)!
			.name.replace(/ \(.*\)$/, '');
		return `${resourceName} → ${name}`;
	};
	it("optima-sql.md gives the Discount Types (Rab_Typ) option's default table as the node has it", () => {
		expect(doc.replace(/\s+/g, ' ')).toContain(`default \`${DEFAULT_DISCOUNT_TYPES}\``);
	});

	const rowOf = (text: string, start: string) => text.split('\n').find((line) => line.startsWith(start));

	it.each(SQL_OPERATIONS)('optima-sql.md: %s → %s', (resource, operation) => {
		const row = rowOf(doc, `| ${label(resource, operation)} |`);
		expect(row).toBeDefined();
		const missing = namesOf(resource, operation).filter((name) => !row!.includes(name));
		expect({ operation: label(resource, operation), missing }).toEqual({
			operation: label(resource, operation),
			missing: [],
		});
	});

	it.each([
		['order', 'create'],
		['invoice', 'downloadPdf'],
	])('optima-bridge.md: %s → %s', (resource, operation) => {
		const row = rowOf(bridgeDoc, `| *${label(resource, operation)}* (`);
		expect(row).toBeDefined();
		const missing = namesOf(resource, operation).filter((name) => !row!.includes(name));
		expect({ operation: label(resource, operation), missing }).toEqual({
			operation: label(resource, operation),
			missing: [],
		});
	});
});
