/**
 * Prices from SQL Server → canonical prices.
 * - Price lists: CDN.TwrCeny joined to CDN.DefCeny by TwC_TwCNumer = DfC_Lp (not by DfC_DfCId: research [O1] [O6]),
 *   net or gross by DfC_Typ, one price list price per product and list, read page by page of products. The purchase
 *   price (Lp 1) is left out unless named.
 * - Discounts (CDN.Rabaty), when included: Optima's client and group prices are discounts and fixed prices, not
 *   price lists. Each is turned into the price the client (or group) pays — the fixed price, or the base price less
 *   the percentage; the base is the client's own price list (Knt_Ceny), else the product's default price
 *   (Twr_TwCNumer) — with its validity dates. What each Rab_Typ means is the editable "Discount Types" table;
 *   discounts for every client and types not in the table are skipped and counted in a hint.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { batchOutputProperties, recordSink } from '../../../shared/batch';
import type { Price } from '../../../shared/model/types';
import { RecordSink, rowRef, sqlOptions } from '../../../shared/sql/common';
import type { SqlRow } from '../../../shared/sql/types';
import {
	discountCoversProduct,
	discountToPrice,
	parseDiscountTypes,
	rowToDiscount,
	rowToListPrice,
	rowToPriceDefinition,
	selectPriceLists,
	type Discount,
	type PriceDefinition,
} from '../../mapping';
import {
	optimaNow,
	readOptimaOptions,
	SQL_OPTION,
	withOptimaSql,
	productRanges,
	type OptimaSqlOptions,
} from '../sqlCommon';

const show = { show: { resource: ['price'], operation: ['getMany'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Price Lists',
		name: 'priceLists',
		type: 'string',
		default: '',
		placeholder: 'hurtowa 1, detaliczna',
		description:
			'Price lists to read, by name (DfC_Nazwa) or number (DfC_Lp), separated by commas; empty = every list except the purchase price (Lp 1)',
		displayOptions: show,
	},
	{
		displayName: 'Include Discounts',
		name: 'includeDiscounts',
		type: 'boolean',
		default: true,
		description:
			"Whether to turn Optima's discounts and fixed prices for clients and client groups (CDN.Rabaty) into client and group prices",
		displayOptions: show,
	},
	...batchOutputProperties('price', ['getMany'], 'prices'),
	sqlOptions(
		'price',
		['getMany'],
		[
			SQL_OPTION.priceDecimals,
			SQL_OPTION.timeZone,
			SQL_OPTION.discountTypes,
			SQL_OPTION.clientPriceKey,
			SQL_OPTION.pageSize,
		],
	),
];

/** a discount with what the price needs about its subject */
interface SubjectDiscount extends Discount {
	scopeCode: string;
	/** the Lp of the client's own price list, when it has one */
	clientListLp?: number;
}

/** The client's price list Lp from a discounts row (Knt_Ceny read by the option). */
function clientListLp(
	row: SqlRow,
	defs: PriceDefinition[],
	key: OptimaSqlOptions['clientPriceKey'],
): number | undefined {
	const v = row.Knt_Ceny;
	if (v === null || v === undefined || v === '') return undefined;
	const n = Number(v);
	return (key === 'id' ? defs.find((d) => d.id === n) : defs.find((d) => d.lp === n))?.lp;
}

/** Of several discounts of one subject on one product within the same dates: a fixed price, then the narrowest goods. */
function best(list: SubjectDiscount[]): SubjectDiscount {
	const rank = { product: 0, productGroup: 1, all: 2 } as const;
	return [...list].sort(
		(a, b) =>
			Number(a.fixedPrice === undefined) - Number(b.fixedPrice === undefined) ||
			rank[a.what] - rank[b.what] ||
			b.id - a.id,
	)[0];
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readOptimaOptions(this);
	const selection = String(this.getNodeParameter('priceLists', 0, '') ?? '');
	const withDiscounts = this.getNodeParameter('includeDiscounts', 0, true) as boolean;
	// the records go to `out`: one item each, or batch items / batch files (Output); rows that cannot be mapped
	// stop the node, or with Continue On Fail become error items there too — in their record's place, or before
	// the batches (as Subiekt GT's reads)
	const out = recordSink(this, 'price');
	const sink = new RecordSink(this, 'Price', out);
	let skipped = 0;
	await withOptimaSql(this, async (sql) => {
		const defs = (await sql.query('priceDefinitions', {}, { action: 'Reading price definitions' })).map(
			rowToPriceDefinition,
		);
		let lists: Set<number>;
		try {
			lists = selectPriceLists(selection, defs);
		} catch (error) {
			throw new NodeOperationError(this.getNode(), `Price Lists: ${(error as Error).message}`, { itemIndex: 0 });
		}
		const discounts: SubjectDiscount[] = [];
		if (withDiscounts) {
			const types = parseDiscountTypes(opts.discountTypes);
			const rows = await sql.query('discounts', { asOf: optimaNow(opts.timeZone) }, { action: 'Reading discounts' });
			for (const row of rows) {
				const d = sink.map(row, rowRef(row, 'Rab_RabId', 'Rab_Typ'), (r) => rowToDiscount(r, types, opts));
				if (!d || d.who === 'all' || !d.subjectId) {
					skipped++;
					continue;
				}
				if (d.who === 'client') {
					const code = String(row.Knt_Kod ?? '').trim();
					if (!code) {
						skipped++;
						continue;
					}
					discounts.push({ ...d, scopeCode: code, clientListLp: clientListLp(row, defs, opts.clientPriceKey) });
				} else discounts.push({ ...d, scopeCode: String(d.subjectId) });
			}
		}
		await productRanges(sql, opts.pageSize, async (products, { afterId, upToId }) => {
			const rows = await sql.query('prices', { afterId, upToId }, { action: 'Reading prices' });
			// every list's price per product (a discount's base may be a list that is not sent)
			const byProduct = new Map<number, Map<number, Price>>();
			for (const row of rows) {
				const price = sink.map(row, rowRef(row, 'Twr_Kod', 'DfC_Nazwa'), (r) => rowToListPrice(r, opts));
				if (!price) continue;
				const lp = Number(row.DfC_Lp);
				const id = Number(row.Twr_TwrId);
				if (!byProduct.has(id)) byProduct.set(id, new Map());
				byProduct.get(id)!.set(lp, price);
				if (lists.has(lp)) await out.add(price as unknown as IDataObject);
			}
			if (!discounts.length) return;
			for (const product of products) {
				const id = Number(product.Twr_TwrId);
				const group = Number(product.Twr_TwGGIDNumer) || undefined;
				const code = String(product.Twr_Kod ?? '').trim();
				const covering = discounts.filter((d) => discountCoversProduct(d, id, group));
				const bySubject = new Map<string, SubjectDiscount[]>();
				for (const d of covering) {
					const key = `${d.who}|${d.scopeCode}|${d.validFrom ?? ''}|${d.validTo ?? ''}`;
					bySubject.set(key, [...(bySubject.get(key) ?? []), d]);
				}
				for (const list of bySubject.values()) {
					const d = best(list);
					const baseLp = d.clientListLp ?? (Number(product.Twr_TwCNumer) || undefined);
					const base = baseLp === undefined ? undefined : byProduct.get(id)?.get(baseLp);
					const price = sink.map(product, `${code} / Rab_RabId ${d.id}`, () =>
						discountToPrice(d, code, d.scopeCode, base, opts),
					);
					if (price) await out.add(price as unknown as IDataObject);
					else skipped++;
				}
			}
		});
	});
	if (skipped)
		this.addExecutionHints({
			message: `${skipped} discount(s) were not turned into prices: a Rab_Typ not in the Discount Types table, a discount for every client, or no base price for it`,
			type: 'info',
			location: 'outputPane',
		});
	return await out.finish();
}
