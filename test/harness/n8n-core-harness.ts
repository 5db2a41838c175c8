/**
 * Runs one of our node types through n8n-core's real `WorkflowExecute` engine, so parameter and
 * expression resolution, credentials, `continueOnFail`, pairedItem, binary data and static data
 * all go through n8n's own code. Modelled on n8n's `packages/core/nodes-testing/
 * node-test-harness.ts` (minus nock and workflow-JSON fixtures). What it sets up, and why:
 *
 * - DI container (@n8n/di). Every node execution context does `Container.get(InstanceSettings)`
 *   in its constructor. The real InstanceSettings reads/creates `~/.n8n/config`, so we register
 *   a stub (instance id, HMAC secret, encryption key, n8nFolder under the OS temp dir).
 *   Everything else the engine pulls from the container is built on demand from env defaults:
 *   BinaryDataService (never `init()`ed, so it has no storage manager and keeps binary data
 *   inline as base64, i.e. in-memory mode), OutboundHttp (used by httpRequest*), Logger and
 *   ErrorReporter (silenced via N8N_LOG_LEVEL=silent unless you set N8N_LOG_LEVEL yourself).
 *   GOTCHA: n8n-core has its own nested @n8n/di 0.17 while the top-level one is 0.16, and each
 *   copy has a separate registry, so we must resolve @n8n/di from n8n-core's location.
 * - INodeTypes registry: the node under test plus a pass-through `harness.start` node, which is
 *   put on the execution stack with `inputItems` and feeds them over a real `main` connection.
 * - ICredentialsHelper (./credentials-helper.ts): serves the decrypted data passed in, with
 *   n8n's defaults / expressions / authenticate / preAuthentication logic.
 * - IWorkflowExecuteAdditionalData + ExecutionLifecycleHooks: the per-execution bag the engine
 *   and contexts read (credentialsHelper, base URLs, $vars, hooks, ...).
 * - Workflow static data goes into `new Workflow({ staticData })` and is returned after the run.
 * - Error classes: n8n-core stores node errors in runData as plain `{ ...error }` objects, so we
 *   observe the node's `execute()`/`poll()` and return the thrown instance (NodeApiError, ...);
 *   for errors raised elsewhere (declarative/routing nodes) the plain object gets its class back.
 * Poll nodes: WorkflowExecute only calls `poll()` in 'manual' mode (the default here).
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecutionLifecycleHooks, ExternalSecretsProxy, InstanceSettings, WorkflowExecute } from 'n8n-core';
import * as n8nWorkflow from 'n8n-workflow';
import { NodeHelpers, UnexpectedError, Workflow, createRunExecutionData } from 'n8n-workflow';
import type {
	IDataObject, INode, INodeExecutionData, INodeParameters, INodeType,
	INodeTypes, IRunData, IVersionedNodeType, IWorkflowExecuteAdditionalData, WorkflowExecuteMode,
} from 'n8n-workflow';
import { HarnessCredentialsHelper, type HarnessCredentialType } from './credentials-helper';

export type { HarnessCredentialType };

// eslint-disable-next-line @typescript-eslint/no-require-imports -- see GOTCHA above
const { Container } = require(
	require.resolve('@n8n/di', { paths: [require.resolve('n8n-core')] }),
) as typeof import('@n8n/di');

export interface RunNodeOptions {
	nodeType: INodeType | IVersionedNodeType;
	/** Default: `n8n-nodes-erp-b2b.<description.name>` */
	typeName?: string;
	/** Default: `description.defaults.name`, else `displayName`. Static data key is `node:<name>`. */
	nodeName?: string;
	parameters: INodeParameters;
	/** Items the built-in start node feeds into the node. Default: `[{ json: {} }]`. */
	inputItems?: INodeExecutionData[];
	/** Keyed by credential type name. */
	credentials?: Record<string, HarnessCredentialType>;
	/** Sets `onError: 'continueRegularOutput'` on the node. */
	continueOnFail?: boolean;
	/** Default: the node type's latest version. */
	typeVersion?: number;
	/** Workflow static data before the run, e.g. from a previous result. Not mutated. */
	staticData?: IDataObject;
	/** Default 'manual' ($execution.mode === 'test'); use 'trigger' or 'cli' for "production". */
	mode?: WorkflowExecuteMode;
	/** Default: a new id per call; give the same id to runs that stand for steps of one execution. */
	executionId?: string;
}

export interface RunNodeResult {
	/** `data.main` of the node's task; null if it produced none (e.g. it threw). */
	output: INodeExecutionData[][] | null;
	/** Set when the node's task failed, also when continueOnFail swallowed a thrown error. */
	error?: Error;
	runData: IRunData;
	/** Workflow static data after the run; pass it to the next `runNode` call. */
	staticData: IDataObject;
}

const START_TYPE = 'harness.start';
const startNodeType: INodeType = {
	description: {
		displayName: 'Harness Start', name: START_TYPE, group: ['input'], version: 1,
		description: 'Emits the harness input items', defaults: { name: 'Start' },
		inputs: ['main'], outputs: ['main'], properties: [],
	},
	async execute() {
		return [this.getInputData()];
	},
};

let containerReady = false;
export function setupContainer() {
	if (containerReady) return;
	process.env.N8N_LOG_LEVEL ??= 'silent'; // read when the container first builds the Logger
	const n8nFolder = join(tmpdir(), 'n8n-core-harness'); // only used by file-access helpers
	mkdirSync(n8nFolder, { recursive: true });
	const stub = Object.assign(Object.create(InstanceSettings.prototype) as object, {
		n8nFolder, instanceId: 'harness-instance', hmacSignatureSecret: 'harness-hmac-secret',
		settings: { encryptionKey: 'harness-encryption-key' }, instanceType: 'main', instanceRole: 'leader',
	});
	Container.set(InstanceSettings, stub as unknown as InstanceSettings);
	containerReady = true;
}

/** Wraps `execute`/`poll` to record the thrown error instance; the engine sees the same throw. */
function captureErrors(type: INodeType, sink: { error?: Error }): INodeType {
	const wrapper = Object.create(type) as Record<string, unknown>;
	for (const method of ['execute', 'poll'] as const) {
		const original = type[method] as ((...args: unknown[]) => Promise<unknown>) | undefined;
		if (!original) continue; // declarative (routing) nodes have neither: see revive()
		wrapper[method] = async function (this: unknown, ...args: unknown[]) {
			try {
				return await original.apply(this, args);
			} catch (error) {
				sink.error = error as Error;
				throw error;
			}
		};
	}
	return wrapper as unknown as INodeType;
}

/** Fallback (e.g. declarative nodes): give a runData error object back its n8n-workflow class. */
function revive(plain: object): Error {
	const ctor = (n8nWorkflow as Record<string, unknown>)[(plain as Error).name];
	const isErrorClass = typeof ctor === 'function' && ctor.prototype instanceof Error;
	return Object.setPrototypeOf(plain, isErrorClass ? ctor.prototype : Error.prototype) as Error;
}

let executionCounter = 0;

export async function runNode(opts: RunNodeOptions): Promise<RunNodeResult> {
	setupContainer();
	const { nodeType } = opts;
	const { description } = NodeHelpers.getVersionedNodeType(nodeType, opts.typeVersion);
	const mode = opts.mode ?? 'manual';
	const typeName = opts.typeName ?? `n8n-nodes-erp-b2b.${description.name}`;
	const nodeName = opts.nodeName ?? description.defaults.name ?? description.displayName;
	const typeVersion = opts.typeVersion ??
		('currentVersion' in nodeType ? nodeType.currentVersion : Math.max(...[description.version].flat()));

	const thrown: { error?: Error } = {};
	const registry: Record<string, INodeType | IVersionedNodeType> = {
		[START_TYPE]: startNodeType, [typeName]: nodeType,
	};
	const nodeTypes: INodeTypes = {
		getByName: (name) => registry[name],
		getByNameAndVersion: (name, version) => {
			const type = NodeHelpers.getVersionedNodeType(registry[name], version);
			return name === typeName ? captureErrors(type, thrown) : type;
		},
		getKnownTypes: () => ({}),
	};

	const startNode: INode = {
		id: 'harness-start', name: 'Start', type: START_TYPE, typeVersion: 1, position: [0, 0], parameters: {},
	};
	const node: INode = {
		id: 'harness-node', name: nodeName, type: typeName, typeVersion, position: [200, 0],
		parameters: opts.parameters,
		credentials: Object.fromEntries(Object.keys(opts.credentials ?? {})
			.map((type) => [type, { id: `cred-${type}`, name: type }])),
		...(opts.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
	const nodes = [startNode, node];
	const connections = { Start: { main: [[{ node: nodeName, type: 'main' as const, index: 0 }]] } };
	const workflow = new Workflow({
		id: 'harness-workflow', name: 'Harness', nodes, connections, active: false, nodeTypes,
		settings: { executionOrder: 'v1' }, staticData: structuredClone(opts.staticData ?? {}),
	});

	const executionId = opts.executionId ?? `harness-${++executionCounter}`;
	const url = (path: string) => `http://localhost:5678/${path}`;
	const additionalData = {
		credentialsHelper: new HarnessCredentialsHelper(opts.credentials ?? {}),
		hooks: new ExecutionLifecycleHooks(mode, executionId, {
			id: workflow.id, name: 'Harness', active: false, isArchived: false, activeVersionId: null,
			createdAt: new Date(), updatedAt: new Date(), nodes, connections,
		}),
		executionId,
		workflowId: workflow.id,
		externalSecretsProxy: new ExternalSecretsProxy(),
		variables: {},
		currentNodeExecutionIndex: 0,
		instanceBaseUrl: url(''), restApiUrl: url('rest'),
		webhookBaseUrl: url('webhook'), webhookWaitingBaseUrl: url('webhook-waiting'),
		webhookTestBaseUrl: url('webhook-test'), formBaseUrl: url('form'),
		formWaitingBaseUrl: url('form-waiting'), formTestBaseUrl: url('form-test'),
		mcpBaseUrl: url('mcp'), mcpTestBaseUrl: url('mcp-test'),
		executeWorkflow: async () => {
			throw new UnexpectedError('Harness: sub-workflows are not supported');
		},
		startRunnerTask: async () => {
			throw new UnexpectedError('Harness: task runners (Code node) are not supported');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
	} satisfies IWorkflowExecuteAdditionalData;

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: startNode, data: { main: [opts.inputItems ?? [{ json: {} }]] }, source: null },
			],
		},
	});
	const run = await new WorkflowExecute(additionalData, mode, runExecutionData)
		.processRunExecutionData(workflow);

	const { runData, error: workflowError } = run.data.resultData;
	const task = runData[nodeName]?.[0];
	const failed = task?.error ?? workflowError;
	return {
		output: (task?.data?.main as INodeExecutionData[][] | undefined) ?? null,
		error: failed && (thrown.error ?? revive(failed)),
		runData,
		staticData: JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject,
	};
}
