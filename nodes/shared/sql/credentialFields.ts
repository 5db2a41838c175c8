/**
 * The fields of every SQL ERP's read-only SQL Server credential (Subiekt GT, Comarch ERP Optima, ...), read by
 * settingsFromCredential (transport.ts). The names and defaults are what saved credentials hold: never rename
 * them. Each ERP gives only its placeholders and the words naming its database.
 */
import type { INodeProperties } from 'n8n-workflow';

export interface SqlServerCredentialTexts {
	/** e.g. 'subiekt-sql.firma.local' */
	serverPlaceholder: string;
	/** the ERP's usual named instance and what to say about it */
	instanceName: { placeholder: string; description: string };
	/** e.g. 'FIRMA_SP_Z_OO' */
	databasePlaceholder: string;
	/** e.g. 'The Subiekt GT company database' */
	databaseDescription: string;
	/** the set-up page for the DBA, e.g. 'docs/subiekt-gt-sql.md' */
	docsPath: string;
}

export function sqlServerCredentialProperties(erpName: string, texts: SqlServerCredentialTexts): INodeProperties[] {
	return [
		{
			displayName: 'Server',
			name: 'server',
			type: 'string',
			default: '',
			placeholder: texts.serverPlaceholder,
			description: `Host name or IP address of the SQL Server that holds the ${erpName} database`,
			required: true,
		},
		{
			displayName: 'Instance Name',
			name: 'instanceName',
			type: 'string',
			default: '',
			placeholder: texts.instanceName.placeholder,
			description: texts.instanceName.description,
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: 1433,
			description: 'TCP port of the instance; not used when an instance name is given',
		},
		{
			displayName: 'Database',
			name: 'database',
			type: 'string',
			default: '',
			placeholder: texts.databasePlaceholder,
			description: texts.databaseDescription,
			required: true,
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			description: `A SQL login with read access only (db_datareader); see ${texts.docsPath}`,
			required: true,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Encrypt Connection',
			name: 'encrypt',
			type: 'boolean',
			default: true,
			description: 'Whether to use TLS to the SQL Server',
		},
		{
			displayName: 'Trust Server Certificate',
			name: 'trustServer',
			type: 'boolean',
			default: false,
			description:
				"Whether to accept the server's certificate without checking it (needed for SQL Server's self-signed certificate; less safe)",
		},
		{
			displayName: 'Connection Timeout (Seconds)',
			name: 'connectionTimeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 15,
		},
		{
			displayName: 'Request Timeout (Seconds)',
			name: 'requestTimeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 60,
			description: 'How long one query may run before it is cancelled',
		},
	];
}
