import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { BusinessCentral } from '../../nodes/BusinessCentral/BusinessCentral.node';
import { BusinessCentralApi } from '../../credentials/BusinessCentralApi.credentials';
import { BusinessCentralOnPremApi } from '../../credentials/BusinessCentralOnPremApi.credentials';
import { CURSOR_STORE, commitPending, type CursorEntry } from '../../nodes/shared/cursor';
import { commitDeltaPending, DELTA_STORE, type DeltaState } from '../../nodes/shared/delta';
import { runNode, type RunNodeResult } from '../harness/n8n-core-harness';
import type { BusinessCentralSimulator } from '../simulators/business-central/server';

export const FAST = { maxRetries: 3, retryBaseDelayMs: 5, retryMaxDelayMs: 20, timeoutSeconds: 10 };

/** One SaaS credential data object per test: n8n writes the token into it, like into its database. */
export function bcCredential(sim: BusinessCentralSimulator, overrides: IDataObject = {}): IDataObject {
	return {
		tenantId: sim.tenant,
		environment: sim.environment,
		company: sim.company.name,
		clientId: sim.clientId,
		clientSecret: sim.clientSecret,
		apiHost: sim.apiHost,
		loginHost: sim.loginHost,
		accessToken: '',
		...overrides,
	};
}

export function bcOnPremCredential(sim: BusinessCentralSimulator, overrides: IDataObject = {}): IDataObject {
	return {
		baseUrl: sim.onPremBase,
		username: sim.onPremUser,
		accessKey: sim.onPremKey,
		company: sim.company.name,
		ignoreSslIssues: false,
		...overrides,
	};
}

export async function runBc(
	credential: IDataObject,
	parameters: INodeParameters,
	opts: {
		items?: INodeExecutionData[];
		staticData?: IDataObject;
		continueOnFail?: boolean;
		onPrem?: boolean;
	} = {},
): Promise<RunNodeResult> {
	const type = opts.onPrem ? 'businessCentralOnPremApi' : 'businessCentralApi';
	return await runNode({
		nodeType: new BusinessCentral(),
		parameters: {
			authentication: type,
			...parameters,
			options: { ...FAST, ...((parameters.options as IDataObject) ?? {}) },
		},
		inputItems: opts.items,
		staticData: opts.staticData,
		continueOnFail: opts.continueOnFail,
		credentials: {
			[type]: {
				type: opts.onPrem ? new BusinessCentralOnPremApi() : new BusinessCentralApi(),
				data: credential as ICredentialDataDecryptedObject,
			},
		},
	});
}

export const out = (r: RunNodeResult): IDataObject[] => (r.output?.[0] ?? []).map((i) => i.json);

/** What the workflow's final Record Run does: commits the pending cursors and delta hashes. */
export function afterRecordRun(staticData: IDataObject): IDataObject {
	const global = (staticData.global ?? {}) as IDataObject;
	const { cursors } = commitPending((global[CURSOR_STORE] ?? {}) as Record<string, CursorEntry>);
	const { states } = commitDeltaPending((global[DELTA_STORE] ?? {}) as Record<string, DeltaState>);
	return {
		...staticData,
		global: {
			...global,
			[CURSOR_STORE]: cursors as unknown as IDataObject,
			[DELTA_STORE]: states as unknown as IDataObject,
		},
	};
}

/** token requests the simulator answered */
export const logins = (sim: BusinessCentralSimulator) => sim.requests.filter((r) => r.target === 'login').length;
