import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';
import { sqlServerCredentialProperties } from '../nodes/shared/sql/credentialFields';

/**
 * Read-only SQL Server login to a Comarch ERP Optima company database (CDN_<Firma>, docs/optima-sql.md). Tested by
 * the Comarch ERP Optima node's credential test (it connects and reads one row of CDN.DefCeny).
 */
export class OptimaSqlApi implements ICredentialType {
	name = 'optimaSqlApi';

	displayName = 'Comarch ERP Optima SQL Server (Read Only) API';

	icon: Icon = { light: 'file:../nodes/Optima/optima.svg', dark: 'file:../nodes/Optima/optima.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-erp-b2b/n8n-nodes-erp-b2b/blob/main/docs/optima-sql.md';

	properties: INodeProperties[] = sqlServerCredentialProperties('Comarch ERP Optima', {
		serverPlaceholder: 'optima-sql.firma.local',
		instanceName: {
			placeholder: 'OPTIMA',
			description:
				'Named instance (Optima\'s installer creates "OPTIMA" by default). When set, the port is found through the SQL Server Browser (UDP 1434) and the Port field is not used.',
		},
		databasePlaceholder: 'CDN_Firma',
		databaseDescription:
			'The Optima company database (CDN_<company>), not the configuration database CDN_KNF_Konfiguracja',
		docsPath: 'docs/optima-sql.md',
	});
}
