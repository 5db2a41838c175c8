/**
 * Comarch ERP Optima's company database for the SQL Server simulator: the CDN tables of data.ts, the statements of
 * nodes/Optima/sql/queries.ts (matched by exact text) run by engine.ts.
 */
import { OPTIMA_QUERIES, type OptimaQueryName } from '../../../../nodes/Optima/sql/queries';
import { matchExact, type SqlSchema } from '../common';
import { KNOWN_TABLES, seedOptima, type OptimaDatabase } from './data';
import { runQuery } from './engine';

/** the database name tests use for Optima (a company "Żółw" → CDN_Zolw, as Optima names company databases) */
export const OPTIMA_DATABASE = 'CDN_Zolw';

/** The Optima schema plug-in; `db` stays the caller's, so a test may change rows while the server runs. */
export function optimaSchema(db: OptimaDatabase = seedOptima()): SqlSchema & { db: OptimaDatabase } {
	return {
		erp: 'optima',
		schemaName: 'CDN',
		knownTables: KNOWN_TABLES,
		db,
		match: (statement) => matchExact(OPTIMA_QUERIES, statement),
		run: (queryName, params) => runQuery(db, queryName as OptimaQueryName, params),
	};
}

export { addGeneratedProducts, cancelDoc, confirmDoc, issueFs, issueWz, seedOptima, type OptimaDatabase } from './data';
export { optimaRoStore } from './roStore';
