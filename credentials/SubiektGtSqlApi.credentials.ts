import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';
import { sqlServerCredentialProperties } from '../nodes/shared/sql/credentialFields';

/**
 * Read-only SQL Server login to a Subiekt GT company database (docs/subiekt-gt-sql.md). Tested by the
 * Subiekt GT node's credential test (it connects and reads one row of dbo.tw_Parametr).
 */
export class SubiektGtSqlApi implements ICredentialType {
	name = 'subiektGtSqlApi';

	displayName = 'Subiekt GT SQL Server (Read Only) API';

	icon: Icon = { light: 'file:../nodes/SubiektGt/subiektGt.svg', dark: 'file:../nodes/SubiektGt/subiektGt.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-erp-b2b/n8n-nodes-erp-b2b/blob/main/docs/subiekt-gt-sql.md';

	properties: INodeProperties[] = sqlServerCredentialProperties('Subiekt GT', {
		serverPlaceholder: 'subiekt-sql.firma.local',
		instanceName: {
			placeholder: 'INSERTGT',
			description:
				'Named instance (Subiekt installs "INSERTGT" by default). When set, the port is found through the SQL Server Browser (UDP 1434) and the Port field is not used.',
		},
		databasePlaceholder: 'FIRMA_SP_Z_OO',
		databaseDescription: 'The Subiekt GT company database',
		docsPath: 'docs/subiekt-gt-sql.md',
	});
}
