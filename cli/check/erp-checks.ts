/**
 * What the set-up check must verify in the ERP, read from the imported workflows: the warehouses and price lists
 * their ERP nodes name. One entry per ERP node type, so adding an ERP means adding its entry here, not editing the
 * command. An empty list or an empty value means "all" / "each item's default" and names nothing to verify; an
 * expression (`={{ … }}`) is only known at run time and is not checked either.
 */

export type ReferenceKind = 'warehouse' | 'priceList';

export interface Reference {
	erp: string;
	kind: ReferenceKind;
	value: string;
	workflow: string;
	node: string;
	/** the node's credential of its ERP's type: the check reads the ERP with it */
	credential?: { type: string; id: string; name: string };
}

export interface WorkflowLike {
	name: string;
	nodes: Array<{
		name: string;
		type: string;
		disabled?: boolean;
		parameters?: Record<string, unknown>;
		credentials?: Record<string, { id?: string; name?: string }>;
	}>;
}

type Extract = (parameters: Record<string, unknown>) => Array<{ kind: ReferenceKind; value: unknown }>;

const many = (kind: ReferenceKind, v: unknown) => (Array.isArray(v) ? v : []).map((value) => ({ kind, value }));
const one = (kind: ReferenceKind, v: unknown) => [{ kind, value: v }];

/** How the check lists what exists in the ERP: its node's read operations, run through n8n (cli/check/probe.ts). */
export interface ErpLookup {
	credentialType: string;
	reads: Partial<Record<ReferenceKind, { parameters: Record<string, unknown>; field: string }>>;
}

/**
 * node type (without the package prefix) → ERP name (its template folder), the references it makes and, where the
 * ERP's node can list them, how to read what exists
 */
export const ERP_NODE_REFERENCES: Record<string, { erp: string; extract: Extract; lookup?: ErpLookup }> = {
	sapB1: {
		erp: 'sap-b1',
		lookup: {
			credentialType: 'sapB1Api',
			reads: {
				warehouse: { parameters: { resource: 'warehouse', operation: 'getMany' }, field: 'code' },
				priceList: { parameters: { resource: 'priceList', operation: 'getMany' }, field: 'number' },
			},
		},
		extract: (p) => [
			...many('warehouse', p.warehouses),
			...many('priceList', p.priceLists),
			...one('warehouse', p.warehouse),
		],
	},
	subiektGt: {
		erp: 'subiekt-gt',
		extract: (p) => [...one('warehouse', p.warehouse), ...one('warehouse', p.warehouseCode)],
	},
};

const PACKAGE_PREFIX = 'n8n-nodes-erp-b2b.';

/** The warehouses / price lists the enabled ERP nodes of these workflows name, one entry per value and node. */
export function erpReferences(workflows: WorkflowLike[]): Reference[] {
	const out: Reference[] = [];
	for (const w of workflows)
		for (const node of w.nodes) {
			if (node.disabled || !node.type.startsWith(PACKAGE_PREFIX)) continue;
			const entry = ERP_NODE_REFERENCES[node.type.slice(PACKAGE_PREFIX.length)];
			if (!entry) continue;
			for (const { kind, value } of entry.extract(node.parameters ?? {})) {
				if (value === undefined || value === null) continue;
				const text = String(value).trim();
				if (text === '' || text.startsWith('=')) continue;
				const ref = entry.lookup && node.credentials?.[entry.lookup.credentialType];
				out.push({
					erp: entry.erp,
					kind,
					value: text,
					workflow: w.name,
					node: node.name,
					...(ref?.id ? { credential: { type: entry.lookup!.credentialType, id: ref.id, name: ref.name ?? '' } } : {}),
				});
			}
		}
	return out;
}

/** The ERP's node type (full) and how to list what exists in it, or undefined when the check cannot list it. */
export function lookupFor(erp: string): { nodeType: string; lookup: ErpLookup } | undefined {
	for (const [type, entry] of Object.entries(ERP_NODE_REFERENCES))
		if (entry.erp === erp && entry.lookup) return { nodeType: PACKAGE_PREFIX + type, lookup: entry.lookup };
	return undefined;
}
