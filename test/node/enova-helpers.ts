import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { Enova365 } from '../../nodes/Enova365/Enova365.node';
import { Enova365Api } from '../../credentials/Enova365Api.credentials';
import { runNode, type RunNodeResult } from '../harness/n8n-core-harness';
import type { EnovaSimulator } from '../simulators/enova365/server';

export const FAST = { maxRetries: 3, retryBaseDelayMs: 5, retryMaxDelayMs: 20, timeoutSeconds: 10 };

/** One credential data object per test: n8n writes the renewed session into it, like into its database. */
export function enovaCredential(
	sim: EnovaSimulator,
	mode: 'dynamic' | 'methodInvoker' = 'dynamic',
	overrides: IDataObject = {},
): IDataObject {
	return {
		baseUrl: sim.url,
		mode,
		appToken: mode === 'dynamic' ? sim.appToken : '',
		databaseHandle: mode === 'methodInvoker' ? sim.database : '',
		operator: mode === 'methodInvoker' ? sim.operator : '',
		password: mode === 'methodInvoker' ? sim.password : '',
		sessionExpiredStatus: 401,
		ignoreSslIssues: false,
		session: '',
		...overrides,
	};
}

export async function runEnova(
	credential: IDataObject,
	parameters: INodeParameters,
	opts: { items?: INodeExecutionData[]; staticData?: IDataObject; continueOnFail?: boolean } = {},
): Promise<RunNodeResult> {
	return await runNode({
		nodeType: new Enova365(),
		parameters: { ...parameters, options: { ...FAST, ...((parameters.options as IDataObject) ?? {}) } },
		inputItems: opts.items,
		staticData: opts.staticData,
		continueOnFail: opts.continueOnFail,
		credentials: { enova365Api: { type: new Enova365Api(), data: credential as ICredentialDataDecryptedObject } },
	});
}
