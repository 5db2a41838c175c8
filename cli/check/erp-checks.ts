/**
 * What the set-up check must verify in the ERP, read from the imported workflows: the warehouses and price lists
 * their ERP nodes name. One entry per node type, so adding an ERP means adding its entry here, not editing the
 * command. An empty list or an empty value means "all" / "each item's default" and names nothing to verify; an
 * expression (`={{ … }}`) is only known at run time and is not checked either; a parameter left at its default is
 * not stored in the workflow, so each entry reads the node's default where the default names something (Subiekt's
 * ZK warehouse and the EDI++ order's warehouse code: MAG; Optima's RO and Optima XML warehouse: MAGAZYN). A node
 * that serves several ERPs (the ERP File node builds Subiekt's EDI++ order and Optima's XML order) says per
 * reference which ERP it names.
 *
 * The check reads the ERP with a credential of the entry's lookup type. A node that names a warehouse but holds no
 * such credential — Subiekt's ZK and Optima's RO are made through their bridges, the EDI++ and Optima XML order
 * files are built by the ERP File node — is looked up with the one the set-up's other nodes use (same ERP, same tag): the credential of its own
 * workflow first, else the only one in the set-up. None, or several with none in its workflow, leaves the reference
 * `unverified` with the reason: the table says so (a "?" row), it is never skipped in silence.
 */

export type ReferenceKind = 'warehouse' | 'priceList';

export interface Reference {
	erp: string;
	kind: ReferenceKind;
	value: string;
	workflow: string;
	node: string;
	/** the credential the check reads the ERP with: the node's own, or the set-up's (see the header) */
	credential?: { type: string; id: string; name: string };
	/** why no credential could be chosen: the reference cannot be verified */
	unverified?: string;
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

/** the references of one node; `erp` where it is not the entry's (a node serving several ERPs) */
type Extract = (parameters: Record<string, unknown>) => Array<{ kind: ReferenceKind; value: unknown; erp?: string }>;

const many = (kind: ReferenceKind, v: unknown) => (Array.isArray(v) ? v : []).map((value) => ({ kind, value }));
const one = (kind: ReferenceKind, v: unknown) => [{ kind, value: v }];
/** a list typed as text ("hurtowa 1, 5"), split as the node splits it; an expression stays whole (not checked) */
const listed = (kind: ReferenceKind, v: unknown) =>
	typeof v === 'string' && !v.startsWith('=') ? v.split(/[,;\n]/).map((value) => ({ kind, value })) : one(kind, v);

/** How the check lists what exists in the ERP: its node's read operations, run through n8n (cli/check/probe.ts). */
export interface ErpLookup {
	credentialType: string;
	/**
	 * other credential types the ERP's node takes, each with the parameters that select it on the node (Business
	 * Central: `authentication: businessCentralOnPremApi`); a node holding one is looked up with it
	 */
	otherCredentialTypes?: Record<string, Record<string, unknown>>;
	reads: Partial<Record<ReferenceKind, LookupRead>>;
}

export interface LookupRead {
	parameters: Record<string, unknown>;
	/** the field a workflow names an item by */
	field: string;
	/**
	 * where the node also takes the item's number (Optima's price lists: by name, case-insensitive, or by DfC_Lp):
	 * that field, listed as "number name"
	 */
	orNumber?: string;
	/** the node matches the name without regard to case (Polish rules) */
	ignoreCase?: boolean;
}

/** What exists, as the table shows it, and whether a value names one of them (as the ERP's node would). */
export function availableIn(read: LookupRead, items: unknown[]): { shown: string[]; has: (value: string) => boolean } {
	const fold = (t: string) => (read.ignoreCase ? t.toLocaleLowerCase('pl') : t);
	if (!read.orNumber) {
		const names = items.map(String);
		return { shown: names, has: (v) => names.some((n) => fold(n) === fold(v)) };
	}
	const rows = items.map((i) => i as Record<string, unknown>);
	const name = (r: Record<string, unknown>) => String(r[read.field] ?? '');
	const number = (r: Record<string, unknown>) => String(r[read.orNumber!] ?? '');
	return {
		shown: rows.map((r) => `${number(r)} ${name(r)}`),
		has: (v) => rows.some((r) => fold(name(r)) === fold(v) || (/^\d+$/.test(v) && Number(number(r)) === Number(v))),
	};
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
				// the node keeps a warehouse's levels by its exact code (mapping.ts: warehouses.includes(WarehouseCode))
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
		lookup: {
			credentialType: 'subiektGtSqlApi',
			reads: { warehouse: { parameters: { resource: 'warehouse', operation: 'getMany' }, field: 'code' } },
		},
		// the ZK's warehouse (resource / operation / warehouse at their defaults: order, create, MAG) and the stock
		// read's (empty = every warehouse)
		extract: (p) => {
			const resource = p.resource ?? 'order';
			if (resource === 'order' && (p.operation ?? 'create') === 'create') return one('warehouse', p.warehouse ?? 'MAG');
			if (resource === 'stock') return one('warehouse', p.warehouseCode);
			return [];
		},
	},
	optima: {
		erp: 'optima',
		lookup: {
			credentialType: 'optimaSqlApi',
			reads: {
				// the statements compare Mag_Symbol under Optima's collation, Polish_CI_AS: case does not matter
				warehouse: { parameters: { resource: 'warehouse', operation: 'getMany' }, field: 'code', ignoreCase: true },
				priceList: {
					parameters: { resource: 'priceList', operation: 'getMany' },
					field: 'name',
					orNumber: 'number',
					ignoreCase: true,
				},
			},
		},
		// the RO's warehouse (made through the bridge; operation / warehouse at their defaults: create, MAGAZYN), the
		// stock read's (empty = every warehouse, "total" = Optima's totals: no warehouse) and the price read's lists
		// (empty = every list)
		extract: (p) => {
			const resource = p.resource ?? 'product';
			const operation = p.operation ?? (resource === 'order' ? 'create' : 'getMany');
			if (resource === 'order' && operation === 'create') return one('warehouse', p.warehouse ?? 'MAGAZYN');
			if (
				resource === 'stock' &&
				String(p.warehouseCode ?? '')
					.trim()
					.toLowerCase() !== 'total'
			)
				return one('warehouse', p.warehouseCode);
			if (resource === 'price' && operation === 'getMany') return listed('priceList', p.priceLists);
			return [];
		},
	},
	businessCentral: {
		erp: 'business-central',
		lookup: {
			credentialType: 'businessCentralApi',
			otherCredentialTypes: { businessCentralOnPremApi: { authentication: 'businessCentralOnPremApi' } },
			// the stock read's Location_Filter is compared by BC as the location code, exactly as listed
			reads: { warehouse: { parameters: { resource: 'warehouse', operation: 'getMany' }, field: 'code' } },
		},
		// the per-location stock read's locations (empty = every location; Total names none); the sales order takes
		// BC's default location (no warehouse parameter)
		extract: (p) =>
			(p.resource ?? 'product') === 'stock' && p.stockSource === 'perLocation' ? many('warehouse', p.locations) : [],
	},
	// the EDI++ ZK file for Subiekt's import names a Subiekt warehouse in [INFO] (Options → Warehouse Code, default
	// MAG); Optima's XML order its MAGAZYN_ZRODLOWY (Warehouse Symbol, default MAGAZYN)
	erpFile: {
		erp: 'subiekt-gt',
		extract: (p) => {
			if (p.operation !== 'build') return [];
			const format = p.outputFormat ?? 'epp';
			if (format === 'epp')
				return one('warehouse', (p.buildOptions as Record<string, unknown> | undefined)?.warehouseCode ?? 'MAG');
			if (format === 'optimaXml') return [{ kind: 'warehouse', value: p.optimaWarehouse ?? 'MAGAZYN', erp: 'optima' }];
			return [];
		},
	},
};

const PACKAGE_PREFIX = 'n8n-nodes-erp-b2b.';

type Credential = NonNullable<Reference['credential']>;

/** The warehouses / price lists the enabled ERP nodes of these workflows name, one entry per value and node. */
export function erpReferences(workflows: WorkflowLike[]): Reference[] {
	const out: Reference[] = [];
	// per ERP: the credentials of its lookup type the set-up's enabled nodes hold, by workflow
	const held = new Map<string, Map<string, Credential[]>>();
	for (const w of workflows)
		for (const node of w.nodes) {
			if (node.disabled || !node.type.startsWith(PACKAGE_PREFIX)) continue;
			const entry = ERP_NODE_REFERENCES[node.type.slice(PACKAGE_PREFIX.length)];
			if (!entry) continue;
			const lookup = lookupFor(entry.erp)?.lookup;
			const type = lookup ? credentialTypesOf(lookup).find((t) => node.credentials?.[t]?.id) : undefined;
			const ref = type ? node.credentials?.[type] : undefined;
			const credential = type && ref?.id ? { type, id: ref.id, name: ref.name ?? '' } : undefined;
			if (credential) {
				const byWorkflow = held.get(entry.erp) ?? new Map<string, Credential[]>();
				byWorkflow.set(w.name, [...(byWorkflow.get(w.name) ?? []), credential]);
				held.set(entry.erp, byWorkflow);
			}
			for (const { kind, value, erp } of entry.extract(node.parameters ?? {})) {
				if (value === undefined || value === null) continue;
				const text = String(value).trim();
				if (text === '' || text.startsWith('=')) continue;
				out.push({
					erp: erp ?? entry.erp,
					kind,
					value: text,
					workflow: w.name,
					node: node.name,
					...(credential && (erp ?? entry.erp) === entry.erp ? { credential } : {}),
				});
			}
		}
	return out.map((r) => (r.credential || !lookupFor(r.erp) ? r : { ...r, ...setUpCredential(r, held.get(r.erp)) }));
}

/** every credential type an ERP's node may hold for the look-up, the main one first */
export const credentialTypesOf = (lookup: ErpLookup): string[] => [
	lookup.credentialType,
	...Object.keys(lookup.otherCredentialTypes ?? {}),
];

const distinct = (list: Credential[]) => [...new Map(list.map((c) => [c.id, c])).values()];

/** For a reference whose node holds no credential to read its ERP with: the set-up's, or why there is none. */
function setUpCredential(
	ref: Reference,
	byWorkflow: Map<string, Credential[]> = new Map(),
): { credential: Credential } | { unverified: string } {
	const type = credentialTypesOf(lookupFor(ref.erp)!.lookup).join(' or ');
	const own = distinct(byWorkflow.get(ref.workflow) ?? []);
	if (own.length === 1) return { credential: own[0] };
	const all = distinct([...byWorkflow.values()].flat());
	if (all.length === 1) return { credential: all[0] };
	if (!all.length)
		return {
			unverified: `no node of the set-up holds a ${type} credential, and "${ref.node}" cannot list the ${ref.erp} ${ref.kind === 'warehouse' ? 'warehouses' : 'price lists'} with its own`,
		};
	const names = (own.length ? own : all).map((c) => `"${c.name}" (${c.id})`).join(', ');
	return {
		unverified: `the set-up uses ${own.length || all.length} ${type} credentials (${names}): which database "${ref.node}" works with is not known`,
	};
}

/** The ERP's node type (full) and how to list what exists in it, or undefined when the check cannot list it. */
export function lookupFor(erp: string): { nodeType: string; lookup: ErpLookup } | undefined {
	for (const [type, entry] of Object.entries(ERP_NODE_REFERENCES))
		if (entry.erp === erp && entry.lookup) return { nodeType: PACKAGE_PREFIX + type, lookup: entry.lookup };
	return undefined;
}
