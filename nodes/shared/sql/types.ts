/**
 * What an ERP's SQL statements look like to the shared SQL Server layer (transport.ts): each ERP ships a
 * Record<name, QueryDefinition> of read-only SELECTs with `@name` parameters and their SQL types; the layer
 * runs nothing else. Driver-independent, so the tests and the simulators import it without `mssql`.
 */

/** SQL type a parameter is bound with (transport.ts maps it to the driver's type). */
export type SqlParamType = 'int' | 'nvarchar' | 'datetime' | 'bit';

export interface QueryDefinition {
	/** the T-SQL statement */
	sql: string;
	/** every @parameter the statement uses, with its SQL type; optional ones accept null (= no filter) */
	params: Record<string, { type: SqlParamType; optional?: boolean }>;
	/** what it returns, one line for the DBA review */
	description: string;
}

/** One row as the driver returns it: column name → value. */
export type SqlRow = Record<string, unknown>;

/** What one SQL ERP brings to the shared layer: its name for messages and its named statements. */
export interface SqlErp<Q extends string> {
	/** the ERP as messages name it, e.g. 'Subiekt GT' */
	erpName: string;
	/** the only statements the layer runs for this ERP */
	queries: Record<Q, QueryDefinition>;
	/**
	 * what to do when the database is not the ERP's (SQL error 208), e.g. 'Choose the Subiekt company database,
	 * and grant the login db_datareader in it.'
	 */
	databaseHint: string;
	/** what to do on a permission error (229, 230); default `Grant the login db_datareader in the <erpName> database.` */
	permissionHint?: string;
}
