/**
 * Ends the Service Layer session (POST /Logout) and forgets it, so the next request logs in afresh. The
 * session is otherwise kept for the next runs (logins are slow and SL sessions idle out after 30 minutes);
 * put this at the end of a workflow that must not leave a session (e.g. when licences are short).
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { slRequest } from '../../transport';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const r = await slRequest(this, {
		method: 'POST',
		path: '/Logout',
		acceptStatus: [401, 403],
		action: 'Logging out of SAP B1',
		policy: { maxRetries: 2 },
	});
	return [
		{
			json: { loggedOut: r.statusCode === 204 || r.statusCode === 200 },
			pairedItem: items.map((_, i) => ({ item: i })),
		},
	];
}
