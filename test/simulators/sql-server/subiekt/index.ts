/**
 * Subiekt GT's company database for the SQL Server simulator: the dbo tables of data.ts, the statements of
 * nodes/SubiektGt/sql/queries.ts (matched by exact text) run by engine.ts.
 */
import { SUBIEKT_QUERIES, type SubiektQueryName } from '../../../../nodes/SubiektGt/sql/queries';
import { matchExact, type SqlSchema } from '../common';
import { KNOWN_TABLES, seedDatabase, type SubiektDatabase } from './data';
import { runQuery } from './engine';

/** The Subiekt schema plug-in; `db` stays the caller's, so a test may change rows while the server runs. */
export function subiektSchema(db: SubiektDatabase = seedDatabase()): SqlSchema & { db: SubiektDatabase } {
	return {
		erp: 'subiekt',
		schemaName: 'dbo',
		knownTables: KNOWN_TABLES,
		db,
		match: (statement) => matchExact(SUBIEKT_QUERIES, statement),
		run: (queryName, params) => runQuery(db, queryName as SubiektQueryName, params),
	};
}
