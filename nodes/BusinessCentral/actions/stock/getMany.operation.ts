/**
 * Stock → canonical stock levels, from one of two sources (research §1):
 * - Total: API v2.0 has one figure per item, `items.inventory` (all locations together), sent under the warehouse
 *   code *Total Warehouse Code*.
 * - Per Location: the Item Card page (page 30) published as an OData V4 web service, read with
 *   `$filter=Location_Filter eq 'CODE'` — BC recomputes the Inventory FlowField for that location [S7]. One request
 *   per location and page. The BC admin publishes the page (docs/business-central.md).
 * Only inventory items count (type Inventory); service and non-inventory items have no stock.
 *
 * The delta does NOT use `lastModifiedDateTime`: a receipt, a shipment or a transfer changes stock without touching
 * the item (research §1 [S16]). Every run reads the levels (cheap: one field, 5,000 a page) and compares each with
 * the level sent last time, kept as a short content hash per item and location in the workflow's static data
 * (nodes/shared/delta.ts, the same store the Sync Guard's delta uses): only changed levels come out. The new hashes
 * are pending until Record Run (success) commits them, so a failed run sends the same levels again.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { batchOutputProperties, recordSink } from '../../../shared/batch';
import { contentHash, deltaKey, readDeltaState, writeDeltaPending } from '../../../shared/delta';
import type { StockLevel } from '../../../shared/model/types';
import { ownValue } from '../../../shared/own';
import { itemCardToStock, itemToStockTotal } from '../../mapping';
import { bcPages, companyContext, companyPagePath, odataString, type BcCompanyContext } from '../../transport';
import { bcOptions, mapRecord, readBcOptions, type BcOptions } from '../common';

const show = { show: { resource: ['stock'], operation: ['getMany'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Read',
		name: 'cursorMode',
		type: 'options',
		options: [
			{
				name: 'Changed Since the Last Successful Run',
				value: 'stored',
				description:
					'Every level is read and compared with the one sent last time (receipts do not change the item, so no change stamp is trusted); only changed levels come out',
			},
			{ name: 'All', value: 'all', description: 'Every stock level (a full refresh)' },
		],
		default: 'stored',
		description: 'Which stock levels to pass on',
		displayOptions: show,
	},
	{
		displayName: 'Stock Source',
		name: 'stockSource',
		type: 'options',
		options: [
			{
				name: 'Total (Item Inventory)',
				value: 'total',
				description: 'One figure per item, all locations together (API v2.0 items.inventory)',
			},
			{
				name: 'Per Location (Item Card Page)',
				value: 'perLocation',
				description: 'Per location through the Item Card page published as an OData V4 web service',
			},
		],
		default: 'total',
		displayOptions: show,
	},
	{
		displayName: 'Total Warehouse Code',
		name: 'totalWarehouse',
		type: 'string',
		default: 'ALL',
		description: 'Warehouse code the portal gets the item totals under',
		displayOptions: { show: { ...show.show, stockSource: ['total'] } },
	},
	{
		displayName: 'Location Names or IDs',
		name: 'locations',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getLocations' },
		default: [],
		description:
			'Only these locations; none = every location. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { ...show.show, stockSource: ['perLocation'] } },
	},
	{
		displayName: 'Item Card Service Name',
		name: 'itemCardService',
		type: 'string',
		default: 'ItemCard',
		description: 'Service Name of page 30 "Item Card" on the Web Services page of Business Central',
		displayOptions: { show: { ...show.show, stockSource: ['perLocation'] } },
	},
	...batchOutputProperties('stock', ['getMany'], 'stock levels'),
	bcOptions('stock', ['getMany']),
];

/** The location codes of the company (API v2.0 locations). */
export async function locationCodes(ctx: IExecuteFunctions, bc: BcCompanyContext, opts: BcOptions): Promise<string[]> {
	const codes: string[] = [];
	for await (const page of bcPages(ctx, {
		url: '/locations',
		base: bc.companyApi,
		endpoints: bc,
		query: { $select: 'code' },
		pageSize: opts.pageSize,
		policy: opts.policy,
		action: 'Reading locations',
	}))
		for (const l of page.items) codes.push(String(l.code));
	return codes;
}

const isInventory = (type: unknown) => type === undefined || type === null || type === 'Inventory';

/** Every stock level of the chosen source, one at a time. */
async function* levels(ctx: IExecuteFunctions, bc: BcCompanyContext, opts: BcOptions): AsyncGenerator<StockLevel> {
	const source = ctx.getNodeParameter('stockSource', 0, 'total') as string;
	if (source !== 'perLocation') {
		const warehouse = String(ctx.getNodeParameter('totalWarehouse', 0, 'ALL')).trim() || 'ALL';
		for await (const page of bcPages(ctx, {
			url: '/items',
			base: bc.companyApi,
			endpoints: bc,
			query: { $select: 'number,type,inventory' },
			pageSize: opts.pageSize,
			policy: opts.policy,
			action: 'Reading item inventory',
		}))
			for (const item of page.items)
				if (isInventory(item.type)) yield mapRecord(ctx, () => itemToStockTotal(item, warehouse));
		return;
	}
	const service = String(ctx.getNodeParameter('itemCardService', 0, 'ItemCard')).trim() || 'ItemCard';
	const known = await locationCodes(ctx, bc, opts);
	const chosen = (ctx.getNodeParameter('locations', 0, []) as string[]).map((l) => String(l).trim()).filter(Boolean);
	const unknown = chosen.filter((l) => !known.includes(l));
	if (unknown.length)
		throw new NodeOperationError(
			ctx.getNode(),
			`Location ${unknown.map((l) => `"${l}"`).join(', ')} does not exist in Business Central company "${bc.company.name}" (known: ${known.map((l) => `"${l}"`).join(', ') || 'none'})`,
			{ itemIndex: 0 },
		);
	for (const location of chosen.length ? chosen : known) {
		for await (const page of bcPages<IDataObject>(ctx, {
			url: companyPagePath(bc.company.name, service),
			base: bc.odata,
			endpoints: bc,
			query: { $filter: `Location_Filter eq ${odataString(location)}` },
			pageSize: opts.pageSize,
			policy: opts.policy,
			action: `Reading stock of location ${location} (page ${service})`,
		}))
			for (const row of page.items)
				if (isInventory(row.Type)) yield mapRecord(ctx, () => itemCardToStock(row, location));
	}
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readBcOptions(this);
	const mode = this.getNodeParameter('cursorMode', 0, 'stored') as string;
	const bc = await companyContext(this, opts.policy);
	// one state per node: two stock reads in one workflow do not share their levels
	const state = `businessCentral.stock:${this.getNode().name}`;
	const { committed } = readDeltaState(this, state);
	// a Map, then one object: a key "__proto__" (item codes are data) stays a key
	const set = new Map<string, string>();
	const seen = new Set<string>();
	const sink = recordSink(this, 'stock');
	// when the read began: the portal releases a confirmed order's stock hold only with a figure read after it
	const readAt = new Date().toISOString();
	for await (const level of levels(this, bc, opts)) {
		const key = deltaKey('stock', level as unknown as Record<string, unknown>);
		if (seen.has(key))
			throw new NodeOperationError(
				this.getNode(),
				`Business Central sent the stock of item "${level.productCode}" at "${level.warehouseCode}" twice in one read`,
				{ itemIndex: 0 },
			);
		seen.add(key);
		const hash = contentHash(level);
		const changed = ownValue(committed, key) !== hash;
		if (changed) set.set(key, hash);
		if (changed || mode === 'all') await sink.add({ ...(level as unknown as IDataObject), updatedAt: readAt });
	}
	// levels of items or locations gone since: forgotten (a complete read), so they are sent again if they return
	const remove = Object.keys(committed).filter((k) => !seen.has(k));
	writeDeltaPending(this, state, {
		executionId: this.getExecutionId(),
		set: Object.fromEntries(set) as Record<string, string>,
		remove,
	});
	return await sink.finish();
}
