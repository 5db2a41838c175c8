/**
 * Issue #17: a person opening any node's panel finds every field explained. Every parameter of every node of the
 * pack — at any depth (collections, fixed collections) — has a description or a hint, and every operation in the
 * Operation list says what it does. Notices are text themselves; the Resource and Operation selectors are explained
 * by their options.
 */
import type { INodeProperties, INodePropertyOptions, INodeType } from 'n8n-workflow';
import { B2bPortal } from '../../nodes/B2bPortal/B2bPortal.node';
import { B2bPortalTrigger } from '../../nodes/B2bPortalTrigger/B2bPortalTrigger.node';
import { B2bSyncGuard } from '../../nodes/B2bSyncGuard/B2bSyncGuard.node';
import { BusinessCentralTrigger } from '../../nodes/BusinessCentralTrigger/BusinessCentralTrigger.node';
import { Enova365 } from '../../nodes/Enova365/Enova365.node';
import { ErpFile } from '../../nodes/ErpFile/ErpFile.node';
import { Optima } from '../../nodes/Optima/Optima.node';
import { SapB1 } from '../../nodes/SapB1/SapB1.node';
import { SubiektGt } from '../../nodes/SubiektGt/SubiektGt.node';

const NODES: INodeType[] = [
	new B2bPortal(),
	new B2bPortalTrigger(),
	new B2bSyncGuard(),
	new BusinessCentralTrigger(),
	new Enova365(),
	new ErpFile(),
	new Optima(),
	new SapB1(),
	new SubiektGt(),
];

function undescribed(props: INodeProperties[], path: string[] = []): string[] {
	const out: string[] = [];
	for (const p of props) {
		const here = [...path, `${p.displayName} (${p.name})`];
		if (p.type === 'notice') continue;
		const selector = path.length === 0 && (p.name === 'resource' || p.name === 'operation');
		if (!selector && !p.description && !p.hint) out.push(here.join(' › '));
		if (p.name === 'operation' && p.type === 'options')
			for (const o of (p.options ?? []) as INodePropertyOptions[])
				if (!o.description) out.push([...here, `operation "${o.name}"`].join(' › '));
		if (p.type === 'collection') out.push(...undescribed((p.options ?? []) as INodeProperties[], here));
		if (p.type === 'fixedCollection')
			for (const group of (p.options ?? []) as Array<{ displayName: string; values: INodeProperties[] }>)
				out.push(...undescribed(group.values, [...here, group.displayName]));
	}
	return out;
}

describe.each(NODES.map((n) => [n.description.displayName, n] as const))('node %s', (_name, node) => {
	it('every field and every operation has a description (or a hint) a person can read in the panel', () => {
		expect(undescribed(node.description.properties)).toEqual([]);
	});
});
