/**
 * Reads from an ERP THROUGH n8n, so the command never sees credential data: a temporary workflow (Webhook → the
 * ERP node's read operations with the flow's own credential → one Set item) is created through the public API,
 * published, called once on its production webhook URL, and deleted again, whatever happened.
 */
import { randomUUID } from 'node:crypto';
import { errorText, type N8nApi } from '../n8n-api';

export const PROBE_NAME_PREFIX = 'erp-b2b check (temporary, deleted after the check)';

export interface ProbeRead {
	/** the node's name in the temporary workflow; also the key of its list in the answer */
	name: string;
	/** full node type, e.g. n8n-nodes-erp-b2b.sapB1 */
	type: string;
	parameters: Record<string, unknown>;
	/** which field of each of its items to list (as text), or several fields: each item as an object of them */
	field: string | string[];
}

/** What one read's items give: the field as text, or an object of the fields (their JSON values). */
function pick(field: string | string[]): string {
	if (typeof field === 'string') return `String(i.json[${JSON.stringify(field)}])`;
	return `({ ${field.map((f) => `${JSON.stringify(f)}: i.json[${JSON.stringify(f)}]`).join(', ')} })`;
}

/**
 * Runs the reads in one temporary workflow with the credential; returns each read's values, by read name (text for a
 * read of one field, objects for a read of several).
 */
export async function probe(
	api: N8nApi,
	credential: { type: string; id: string; name: string },
	reads: ProbeRead[],
	waitMs = 30_000,
): Promise<Record<string, unknown[]>> {
	const path = `erp-b2b-check-${randomUUID()}`;
	const nodes: Array<Record<string, unknown>> = [
		{
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: randomUUID(),
			parameters: { httpMethod: 'GET', path, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} },
		},
		...reads.map((r, i) => ({
			name: r.name,
			type: r.type,
			typeVersion: 1,
			position: [220 * (i + 1), 0],
			parameters: r.parameters,
			credentials: { [credential.type]: { id: credential.id, name: credential.name } },
		})),
		{
			name: 'Answer',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [220 * (reads.length + 1), 0],
			executeOnce: true,
			parameters: {
				mode: 'raw',
				jsonOutput: `={{ JSON.stringify({ ${reads
					.map((r) => `${JSON.stringify(r.name)}: $(${JSON.stringify(r.name)}).all().map(i => ${pick(r.field)})`)
					.join(', ')} }) }}`,
				options: {},
			},
		},
	];
	const order = nodes.map((n) => n.name as string);
	const connections = Object.fromEntries(
		order.slice(0, -1).map((n, i) => [n, { main: [[{ node: order[i + 1], type: 'main', index: 0 }]] }]),
	);
	const created = await api.call('POST', '/workflows', {
		name: `${PROBE_NAME_PREFIX} ${credential.name}`,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
	});
	if (created.status !== 200)
		throw new Error(
			`n8n refused the temporary check workflow: ${created.status} ${errorText(created.body, created.text)}`,
		);
	const id = encodeURIComponent(String(created.body.id));
	let result: Record<string, unknown[]> | undefined;
	let failure: unknown;
	try {
		result = await run(api, id, path, reads, waitMs);
	} catch (error) {
		failure = error;
	}
	const left = await remove(api, id, waitMs);
	if (left)
		throw new Error(
			`${failure ? `${(failure as Error).message}; ` : ''}delete the temporary workflow "${PROBE_NAME_PREFIX} ${credential.name}" (${decodeURIComponent(id)}) in n8n by hand: ${left}`,
		);
	if (failure) throw failure;
	return result!;
}

/** Publishes the temporary workflow and calls its webhook once; its answer, one list per read. */
async function run(
	api: N8nApi,
	id: string,
	path: string,
	reads: ProbeRead[],
	waitMs: number,
): Promise<Record<string, unknown[]>> {
	const published = await api.call('POST', `/workflows/${id}/publish`, {});
	if (published.status !== 200)
		throw new Error(
			`n8n did not publish the temporary check workflow: ${published.status} ${errorText(published.body, published.text)}`,
		);
	// n8n 2.x registers a published workflow's webhook shortly after (publication outbox): 404 until then
	const url = `${api.baseUrl}/webhook/${encodeURIComponent(path)}`;
	const until = Date.now() + waitMs;
	for (;;) {
		const res = await fetch(url, { signal: AbortSignal.timeout(120_000) });
		const text = await res.text();
		if (res.status === 404 && Date.now() < until) {
			await new Promise((r) => setTimeout(r, 500));
			continue;
		}
		let body: any;
		try {
			body = JSON.parse(text);
		} catch {
			body = undefined;
		}
		if (res.status !== 200 || typeof body !== 'object' || body === null)
			throw new Error(`the read through n8n failed: ${res.status} ${errorText(body, text)}`);
		return Object.fromEntries(reads.map((r) => [r.name, Array.isArray(body[r.name]) ? body[r.name] : []]));
	}
}

/** Unpublishes and deletes the temporary workflow; why it is still there, or undefined when it is gone. */
async function remove(api: N8nApi, id: string, waitMs: number): Promise<string | undefined> {
	await api.call('POST', `/workflows/${id}/unpublish`, {});
	// n8n 2.x unpublishes in the background: 409 "still being unpublished" until it has
	let gone = await api.call('DELETE', `/workflows/${id}`);
	for (const until = Date.now() + waitMs; gone.status === 409 && Date.now() < until; ) {
		await new Promise((r) => setTimeout(r, 250));
		gone = await api.call('DELETE', `/workflows/${id}`);
	}
	return gone.status === 200 || gone.status === 404 ? undefined : `${gone.status} ${errorText(gone.body, gone.text)}`;
}
