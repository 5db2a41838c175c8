import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Read-only SQL Server login to a Subiekt GT company database (docs/subiekt-gt-sql.md). Tested by the
 * Subiekt GT node's credential test (it connects and reads one row of dbo.tw_Parametr).
 */
export class SubiektGtSqlApi implements ICredentialType {
	name = 'subiektGtSqlApi';

	displayName = 'Subiekt GT SQL Server (Read Only) API';

	icon: Icon = { light: 'file:../nodes/SubiektGt/subiektGt.svg', dark: 'file:../nodes/SubiektGt/subiektGt.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-erp-b2b/n8n-nodes-erp-b2b/blob/main/docs/subiekt-gt-sql.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Server',
			name: 'server',
			type: 'string',
			default: '',
			placeholder: 'subiekt-sql.firma.local',
			description: 'Host name or IP address of the SQL Server that holds the Subiekt GT database',
			required: true,
		},
		{
			displayName: 'Instance Name',
			name: 'instanceName',
			type: 'string',
			default: '',
			placeholder: 'INSERTGT',
			description:
				'Named instance (Subiekt installs "INSERTGT" by default). When set, the port is found through the SQL Server Browser (UDP 1434) and the Port field is not used.',
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
			placeholder: 'FIRMA_SP_Z_OO',
			description: 'The Subiekt GT company database',
			required: true,
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			description: 'A SQL login with read access only (db_datareader); see docs/subiekt-gt-sql.md',
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
