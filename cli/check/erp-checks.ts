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
}

interface WorkflowLike {
	name: string;
	nodes: Array<{ name: string; type: string; disabled?: boolean; parameters?: Record<string, unknown> }>;
}

type Extract = (parameters: Record<string, unknown>) => Array<{ kind: ReferenceKind; value: unknown }>;

const many = (kind: ReferenceKind, v: unknown) => (Array.isArray(v) ? v : []).map((value) => ({ kind, value }));
const one = (kind: ReferenceKind, v: unknown) => [{ kind, value: v }];

/** node type (without the package prefix) → ERP name (its template folder) and the references it makes */
export const ERP_NODE_REFERENCES: Record<string, { erp: string; extract: Extract }> = {
	sapB1: {
		erp: 'sap-b1',
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
				out.push({ erp: entry.erp, kind, value: text, workflow: w.name, node: node.name });
			}
		}
	return out;
}
