import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { SapB1 } from '../../nodes/SapB1/SapB1.node';
import { SapB1Api } from '../../credentials/SapB1Api.credentials';
import { CURSOR_STORE, commitPending, type CursorEntry } from '../../nodes/shared/cursor';
import { runNode, type RunNodeResult } from '../harness/n8n-core-harness';
import type { SapSimulator } from '../simulators/sap-b1/server';

export const FAST = { maxRetries: 3, retryBaseDelayMs: 5, retryMaxDelayMs: 20, timeoutSeconds: 10 };

/** One credential data object per test: n8n writes the renewed session into it, like into its database. */
export function sapCredential(sim: SapSimulator, overrides: IDataObject = {}): IDataObject {
	return {
		serviceLayerUrl: sim.url,
		companyDb: sim.companyDb,
		username: 'manager',
		password: '1234',
		gatewayUrl: sim.gatewayUrl,
		gatewayUsername: '',
		gatewayPassword: '',
		ignoreSslIssues: false,
		session: '',
		...overrides,
	};
}

export async function runSap(
	credential: IDataObject,
	parameters: INodeParameters,
	opts: { items?: INodeExecutionData[]; staticData?: IDataObject; continueOnFail?: boolean } = {},
): Promise<RunNodeResult> {
	return await runNode({
		nodeType: new SapB1(),
		parameters: { ...parameters, options: { ...FAST, ...((parameters.options as IDataObject) ?? {}) } },
		inputItems: opts.items,
		staticData: opts.staticData,
		continueOnFail: opts.continueOnFail,
		credentials: { sapB1Api: { type: new SapB1Api(), data: credential as ICredentialDataDecryptedObject } },
	});
}

export const out = (r: RunNodeResult): IDataObject[] => (r.output?.[0] ?? []).map((i) => i.json);

/** What the workflow's final Record Run does: commits the pending read positions (nodes/shared/cursor.ts). */
export function afterRecordRun(staticData: IDataObject): IDataObject {
	const global = (staticData.global ?? {}) as IDataObject;
	const { cursors } = commitPending((global[CURSOR_STORE] ?? {}) as Record<string, CursorEntry>);
	return { ...staticData, global: { ...global, [CURSOR_STORE]: cursors as unknown as IDataObject } };
}
