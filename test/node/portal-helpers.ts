import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { B2bPortal } from '../../nodes/B2bPortal/B2bPortal.node';
import { B2bPortalApi } from '../../credentials/B2bPortalApi.credentials';
import { runNode, type RunNodeResult } from '../harness/n8n-core-harness';
import type { PortalSimulator } from '../simulators/portal/server';

/** Fast retries so fault tests take milliseconds, not the production backoff. */
export const FAST_RETRY = { maxRetries: 3, retryBaseDelayMs: 5, retryMaxDelayMs: 20, timeoutSeconds: 5 };

export async function runPortal(
	sim: PortalSimulator,
	parameters: INodeParameters,
	opts: {
		items?: INodeExecutionData[];
		apiKey?: string;
		authType?: string;
		continueOnFail?: boolean;
		staticData?: IDataObject;
		executionId?: string;
	} = {},
): Promise<RunNodeResult> {
	return await runNode({
		nodeType: new B2bPortal(),
		parameters,
		inputItems: opts.items,
		continueOnFail: opts.continueOnFail,
		staticData: opts.staticData,
		executionId: opts.executionId,
		credentials: {
			b2bPortalApi: {
				type: new B2bPortalApi(),
				data: {
					baseUrl: sim.url,
					authType: opts.authType ?? 'apiKey',
					apiKey: opts.apiKey ?? sim.apiKey,
					webhookSecret: sim.webhookSecret,
				},
			},
		},
	});
}

export const items = (records: object[]): INodeExecutionData[] =>
	records.map((json) => ({ json: json as IDataObject }));

export const json = (r: RunNodeResult): IDataObject[] => (r.output?.[0] ?? []).map((i) => i.json);

export const writes = (sim: PortalSimulator, path: string) =>
	sim.requests.filter((r) => r.method !== 'GET' && r.path.startsWith(path));
