/**
 * ICredentialsHelper for the harness. n8n's CLI implementation (packages/cli/src/
 * credentials-helper.ts) loads and decrypts credentials from the DB; this one serves the
 * decrypted data the test passes in and ports the parts of the CLI logic that nodes rely on:
 * - getDecrypted: credential property defaults, and expressions inside credential fields;
 * - authenticate: function form, and generic object form (`={{$credentials.x}}` is resolved in
 *   both keys and values of headers / qs / body / auth);
 * - preAuthentication: calls the type's `preAuthentication()` when its hidden `expirable`
 *   property is empty or expired (n8n-core retries once on 401 with `credentialsExpired`), and
 *   writes the result back into the `data` object the test passed, as n8n writes it to the DB;
 * - getParentTypes: from `extends` (n8n-core uses it to detect oAuth1Api/oAuth2Api children).
 */
import { getAdditionalKeys } from 'n8n-core';
import { ICredentialsHelper, NodeHelpers, UnexpectedError, isExpression } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject, ICredentialsExpressionResolveValues, ICredentialType,
	IExecuteData, IHttpRequestHelper, IHttpRequestOptions, INode, INodeParameters,
	IRequestOptionsSimplified, IWorkflowExecuteAdditionalData, Workflow, WorkflowExecuteMode,
} from 'n8n-workflow';

export interface HarnessCredentialType {
	type: ICredentialType;
	data: ICredentialDataDecryptedObject;
}

export class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly creds: Record<string, HarnessCredentialType>) {
		super();
	}

	private entry(name: string): HarnessCredentialType {
		const entry = this.creds[name];
		if (!entry) throw new UnexpectedError(`Harness: no credentials of type "${name}" were passed`);
		return entry;
	}

	getParentTypes(name: string): string[] {
		return (this.creds[name]?.type.extends ?? []).flatMap((p) => [p, ...this.getParentTypes(p)]);
	}

	isCredentialUsableByNode = () => true;

	getCredentialsProperties = (type: string) => this.entry(type).type.properties;

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData, _nodeCredentials: unknown, type: string,
		mode: WorkflowExecuteMode, executeData?: IExecuteData, raw?: boolean,
		resolve?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = this.entry(type).data;
		if (raw) return { ...stored };
		// As n8n's CredentialsHelper.applyDefaultsAndOverwrites (minus overwrites).
		let data = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type), stored as INodeParameters, true, false, null, null,
		) as ICredentialDataDecryptedObject;
		if (stored.oauthTokenData !== undefined) data.oauthTokenData = stored.oauthTokenData;
		if (resolve) {
			const keys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
			data = resolve.workflow.expression.getParameterValue(
				data as INodeParameters, resolve.runExecutionData, resolve.runIndex, resolve.itemIndex,
				resolve.node.name, resolve.connectionInputData, mode, keys, executeData, false, data,
			) as ICredentialDataDecryptedObject;
		}
		return data;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject, typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified, workflow?: Workflow, node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.entry(typeName).type;
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (authenticate?.type === 'generic' && workflow && node) {
			// As n8n's CredentialsHelper.authenticate: resolve `={{$credentials.x}}` keys and values.
			const resolve = (value: string) => !isExpression(value) ? value : String(
				workflow.expression.getSimpleParameterValue(
					node, value, 'internal', { $credentials: credentials }, undefined, '') ?? '');
			const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
			target.headers ??= {};
			for (const [outerKey, values] of Object.entries(authenticate.properties)) {
				target[outerKey] ??= {};
				for (const [key, value] of Object.entries(values as Record<string, string>)) {
					target[outerKey][resolve(key)] = resolve(value);
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject, typeName: string,
		_node: INode, credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const { type, data } = this.entry(typeName);
		const expirable = type.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output?.[expirable.name] === undefined) return undefined;
		Object.assign(data, output); // "persist", as n8n's updateCredentials does
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject, typeName: string,
	) {
		const { preAuthentication } = this.entry(typeName).type;
		if (typeof preAuthentication !== 'function') return undefined;
		return (await preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
	}

	async getCredentials(): Promise<never> {
		throw new UnexpectedError('Harness: encrypted credentials (getCredentials) are not supported');
	}

	async updateCredentials(_: unknown, type: string, data: ICredentialDataDecryptedObject) {
		Object.assign(this.entry(type).data, data);
	}

	async updateCredentialsOauthTokenData(_: unknown, type: string, data: ICredentialDataDecryptedObject) {
		this.entry(type).data.oauthTokenData = data.oauthTokenData;
	}
}
