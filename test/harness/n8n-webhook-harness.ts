/**
 * A webhook trigger node as n8n runs it in production, without n8n: n8n-core's real HookContext calls
 * `webhookMethods.default.checkExists / create / delete` (activation, deactivation), and an HTTP server stands in
 * for n8n's webhook server — each request becomes a real n8n-core WebhookContext for the node's `webhook()`
 * (express-like req/res), the node's answer goes back on the wire, and returned workflowData counts as an
 * execution. Static data lives on one Workflow object shared by hooks and webhooks, as n8n keeps it in its
 * database. Credentials come from the core harness's credentials helper (n8n's defaults, expressions,
 * preAuthentication with the token written back into the test's data object).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HookContext, WebhookContext } from 'n8n-core';
import { NodeHelpers, Workflow } from 'n8n-workflow';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IWebhookData,
	IWorkflowExecuteAdditionalData,
	WebhookType,
} from 'n8n-workflow';
import { HarnessCredentialsHelper, type HarnessCredentialType } from './credentials-helper';
import { setupContainer } from './n8n-core-harness';

export interface WebhookCall {
	method: string;
	query: Record<string, string>;
	status: number;
	/** what the node answered */
	body: string;
	contentType: string | undefined;
	/** items of the execution the call started, undefined when none started */
	execution?: INodeExecutionData[];
}

export interface WebhookHarness {
	/** n8n's Production URL of the node's webhook `name` */
	url(name?: WebhookType): string;
	staticData(): IDataObject;
	/** what n8n does on activation: checkExists, then create when it answered false (test: the editor's test listen) */
	activate(opts?: { test?: boolean }): Promise<{ existed: boolean }>;
	deactivate(opts?: { test?: boolean }): Promise<boolean>;
	/** the static data the editor's test run works on (n8n keeps it apart from the database's) */
	useStaticData(data: IDataObject): void;
	calls: WebhookCall[];
	executions: INodeExecutionData[][];
	logs: string[];
	/** changes a node parameter (n8n would re-activate with it) */
	setParameter(name: string, value: unknown): void;
	close(): Promise<void>;
}

export interface WebhookHarnessOptions {
	nodeType: INodeType;
	typeName: string;
	parameters: INodeParameters;
	credentials: Record<string, HarnessCredentialType>;
	staticData?: IDataObject;
	/** delay before webhook() runs, to test BC's 5 s handshake limit */
	delayMs?: number;
}

const readBody = async (req: IncomingMessage): Promise<Buffer> => {
	const chunks: Buffer[] = [];
	for await (const c of req) chunks.push(c as Buffer);
	return Buffer.concat(chunks);
};

export async function startWebhookHarness(opts: WebhookHarnessOptions): Promise<WebhookHarness> {
	setupContainer();
	const { description } = NodeHelpers.getVersionedNodeType(opts.nodeType);
	const node: INode = {
		id: 'trigger-node',
		name: description.defaults.name ?? description.displayName,
		type: opts.typeName,
		typeVersion: Math.max(...[description.version].flat()),
		position: [0, 0],
		webhookId: '3f1c9a52-7d0e-4c55-9a8e-2b6f4e1d0c77',
		parameters: opts.parameters,
		credentials: Object.fromEntries(
			Object.keys(opts.credentials).map((type) => [type, { id: `cred-${type}`, name: type }]),
		),
	};
	const nodeTypes = {
		getByName: () => opts.nodeType,
		getByNameAndVersion: () => opts.nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({
		id: 'webhook-harness',
		name: 'Webhook harness',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes,
		settings: { executionOrder: 'v1' },
		staticData: structuredClone(opts.staticData ?? {}),
	});
	const logs: string[] = [];
	const calls: WebhookCall[] = [];
	const executions: INodeExecutionData[][] = [];

	let base = '';
	const additional = (extra: Partial<IWorkflowExecuteAdditionalData> = {}) =>
		({
			credentialsHelper: new HarnessCredentialsHelper(opts.credentials),
			executionId: undefined,
			workflowId: workflow.id,
			variables: {},
			currentNodeExecutionIndex: 0,
			instanceBaseUrl: `${base}/`,
			restApiUrl: `${base}/rest`,
			webhookBaseUrl: `${base}/webhook`,
			webhookWaitingBaseUrl: `${base}/webhook-waiting`,
			webhookTestBaseUrl: `${base}/webhook-test`,
			formBaseUrl: `${base}/form`,
			formWaitingBaseUrl: `${base}/form-waiting`,
			formTestBaseUrl: `${base}/form-test`,
			...extra,
		}) as unknown as IWorkflowExecuteAdditionalData;

	const webhookDataOf = (name: WebhookType): IWebhookData => {
		const d = description.webhooks!.find((w) => w.name === name)!;
		return {
			httpMethod: d.httpMethod as IWebhookData['httpMethod'],
			node: node.name,
			path: String(d.path),
			webhookDescription: d,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additional(),
			webhookId: node.webhookId,
		};
	};
	const logger = (level: string) => (message: string) => logs.push(`${level}: ${message}`);
	const withLogger = <T extends object>(ctx: T): T => {
		Object.defineProperty(ctx, 'logger', {
			value: { warn: logger('warn'), info: logger('info'), debug: () => {}, error: logger('error') },
		});
		return ctx;
	};
	/** n8n's production activation ('trigger'), or the editor's "Listen for test event" ('manual', test URL) */
	const hook = (test = false) =>
		withLogger(
			new HookContext(workflow, node, additional(), test ? 'manual' : 'trigger', test ? 'manual' : 'activate', {
				...webhookDataOf('default'),
				...(test ? { isTest: true } : {}),
			}),
		);

	const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
		void (async () => {
			const raw = await readBody(req);
			const url = new URL(req.url ?? '/', base);
			const query = Object.fromEntries(url.searchParams);
			const call: WebhookCall = { method: req.method ?? '', query, status: 0, body: '', contentType: undefined };
			calls.push(call);
			let parsed: unknown = {};
			if (raw.length)
				try {
					parsed = JSON.parse(raw.toString('utf8'));
				} catch {
					parsed = raw.toString('utf8');
				}
			let status = 200;
			let contentType: string | undefined;
			let sent = false;
			const send = (body: string) => {
				if (sent) return;
				sent = true;
				call.status = status;
				call.body = body;
				call.contentType = contentType;
				res.writeHead(status, contentType ? { 'Content-Type': contentType } : {});
				res.end(body);
			};
			const response = {
				status(code: number) {
					status = code;
					return response;
				},
				type(t: string) {
					contentType = t === 'text/plain' ? 'text/plain; charset=utf-8' : t;
					return response;
				},
				setHeader(k: string, v: string) {
					if (k.toLowerCase() === 'content-type') contentType = v;
					return response;
				},
				send(body: unknown) {
					send(typeof body === 'string' ? body : JSON.stringify(body));
					return response;
				},
				json(body: unknown) {
					contentType ??= 'application/json';
					send(JSON.stringify(body));
					return response;
				},
				end(body?: string) {
					send(body ?? '');
					return response;
				},
			};
			const request = Object.assign(req, { query, body: parsed, rawBody: raw, params: {} });
			const name: WebhookType = req.method === 'GET' ? 'setup' : 'default';
			if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
			try {
				const ctx = withLogger(
					new WebhookContext(
						workflow,
						node,
						additional({ httpRequest: request, httpResponse: response } as never),
						'webhook',
						webhookDataOf(name),
						[],
						null,
					),
				);
				const result = await opts.nodeType.webhook!.call(ctx);
				if (!result.noWebhookResponse) send(JSON.stringify({ message: 'Workflow was started' }));
				if (result.workflowData) {
					call.execution = result.workflowData[0];
					executions.push(result.workflowData[0]);
				}
			} catch (error) {
				status = 500;
				logs.push(`error: webhook() threw: ${(error as Error).message}`);
				send(JSON.stringify({ message: (error as Error).message }));
			}
		})();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	return {
		url: (name: WebhookType = 'default') => hook().getNodeWebhookUrl(name) as string,
		staticData: () => workflow.getStaticData('node', node),
		async activate({ test = false } = {}) {
			const methods = opts.nodeType.webhookMethods!.default!;
			const existed = await methods.checkExists.call(hook(test));
			if (!existed) await methods.create.call(hook(test));
			return { existed };
		},
		async deactivate({ test = false } = {}) {
			return await opts.nodeType.webhookMethods!.default!.delete.call(hook(test));
		},
		useStaticData(data) {
			workflow.staticData = data as typeof workflow.staticData;
		},
		calls,
		executions,
		logs,
		setParameter(name, value) {
			node.parameters[name] = value as never;
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
