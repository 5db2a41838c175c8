/**
 * Price check at confirmation: every line's portal price against the price SAP would charge this client
 * on the order date — the partner's special price (date period, then quantity break), else the special
 * price for everyone on the partner's price list (`*N`), else the price list itself. Net and gross are
 * converted with the line's VAT rate and rounded by the configured rule (half up to the grosz by default);
 * a difference above the tolerance rejects the order with a reason the client can read. The order item is
 * passed on with `priceCheck: {accepted, reason, lines[]}`; nothing is written anywhere.
 *
 * Before any price: a client SAP will not sell to (no such business partner, a supplier, frozen, inactive) rejects
 * the whole order, and a product SAP will not sell (no such item, not a sales item, frozen, inactive) rejects its
 * line — each with the reason naming the card or item. Such an order can never become a sales order, so it must
 * not reach the claim or SAP (it used to be priced from price list 1 and then refused by SAP on every poll).
 *
 * SAP requests per order, fewer and side by side (bench: the price check was ~60 % of an order's time in n8n, and
 * n8n spends more on a request than SAP does): the price lists (once per run), the client (once per run) and the
 * order's items (one read each — SL returns ItemPrices EMPTY in list reads, erp-facts §1 — four at a time) all at
 * once; then ONE read of the special prices of every line, the client's and its list's `*N` together. It used to
 * be 3 requests per line one after another: 8 in a row for a 2-line order, now 2 round trips and 5 requests.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { roundDecimal } from '../../../shared/model/decimal';
import { forEachItem } from '../../../shared/items';
import type { OrderLine } from '../../../shared/model/types';
import {
	checkLinePrice,
	type ErpLinePrice,
	refusedLine,
	summarisePriceCheck,
	type LineCheck,
	type PriceCheckSettings,
	readTolerance,
	toleranceProperties,
} from '../../../shared/priceCheck';
import { sapDate } from '../../mapping';
import { keyPath, odataString, slPages, slRequest, type SlRequest } from '../../transport';
import { readSapOptions, sapOptions, type SapOptions } from '../common';
import { orderFieldProperty, orderFromItem } from '../../../shared/orders';
import { allowedVatRatesOption } from '../../../shared/options';
import {
	clientProblemReasons,
	productProblemReasons,
	type ClientProblem,
	type ProductProblem,
} from '../../../shared/refusal';
import { loadPriceLists } from '../price/getMany.operation';

const show = { show: { resource: ['order'], operation: ['checkPrices'] } };

export const description: INodeProperties[] = [
	orderFieldProperty(show),
	...toleranceProperties(show, 'SAP'),
	sapOptions('order', ['checkPrices'], [allowedVatRatesOption]),
];

type Resolved = ErpLinePrice;

/** codes per list read: ~40 `ItemCode eq '…'` terms keep the URL far below the 8 KB a proxy may allow */
const CODES_PER_READ = 40;
/** item reads in flight at once for one order (the price read's default Concurrency) */
const ITEM_READS_AT_ONCE = 4;

/** `Field eq 'a' or Field eq 'b'` */
function anyOf(field: string, values: string[]): string {
	return values.map((v) => `${field} eq ${odataString(v)}`).join(' or ');
}

/** The record of `code` among `records`: the exact code, else the one code SAP matched case-insensitively (SQL Server). */
function byCode(records: IDataObject[], field: string, code: string): IDataObject | undefined {
	const exact = records.find((r) => r[field] === code);
	if (exact) return exact;
	const folded = records.filter((r) => String(r[field] ?? '').toLowerCase() === code.toLowerCase());
	return folded.length === 1 ? folded[0] : undefined;
}

/** SAP sells on an order to customers and leads (as POST /Orders allows), active and not frozen. */
export function partnerProblem(bp: IDataObject): ClientProblem | undefined {
	if (bp.CardType !== undefined && bp.CardType !== 'cCustomer' && bp.CardType !== 'cLid') return 'notCustomer';
	if (bp.Frozen === 'tYES') return 'blocked';
	if (bp.Valid === 'tNO') return 'inactive';
	return undefined;
}

/** An item SAP will put on a sales order: a sales item, active and not frozen. */
export function itemProblem(item: IDataObject): ProductProblem | undefined {
	if (item.SalesItem === 'tNO') return 'notSold';
	if (item.Frozen === 'tYES') return 'blocked';
	if (item.Valid === 'tNO') return 'inactive';
	return undefined;
}

function pickArea(sp: IDataObject, date: string, qty: number): number | undefined {
	const areas = (sp.SpecialPriceDataAreas as IDataObject[] | undefined) ?? [];
	if (!areas.length) {
		const from = sapDate(sp.ValidFrom);
		const to = sapDate(sp.ValidTo);
		if ((from && date < from) || (to && date > to)) return undefined;
		return Number(sp.Price);
	}
	const area = areas.find((a) => {
		const from = sapDate(a.DateFrom);
		const to = sapDate(a.Dateto);
		return (!from || date >= from) && (!to || date <= to);
	});
	if (!area) return undefined;
	const steps = ((area.SpecialPriceQuantityAreas as IDataObject[] | undefined) ?? [])
		.filter((q) => Number(q.Quantity) <= qty)
		.sort((a, b) => Number(b.Quantity) - Number(a.Quantity));
	return Number(steps[0]?.SpecialPrice ?? area.SpecialPrice);
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const opts = readSapOptions(this);
	// read side by side with the first order's client and items; awaited where a price needs it
	let listsRead: ReturnType<typeof loadPriceLists> | undefined;
	const priceLists = () => (listsRead ??= loadPriceLists(this, opts.policy));
	// one read per client and per product in a run, however many orders and lines name them
	const partners = new Map<string, { listNo: number; problem?: ClientProblem }>();
	const itemReads = new Map<string, IDataObject | undefined>();
	/** special price by `card \u001f item` for every pair read (undefined = SAP has none) */
	const specialPrices = new Map<string, IDataObject | undefined>();
	const spKey = (card: string, item: string) => `${card}\u001f${item}`;
	const get = async (
		path: string,
		i: number,
		action: string,
		query?: SlRequest['query'],
	): Promise<IDataObject | undefined> => {
		const r = await slRequest(this, {
			method: 'GET',
			path,
			query,
			itemIndex: i,
			action,
			policy: opts.policy,
			acceptStatus: [404],
		});
		return r.statusCode === 404 ? undefined : r.body;
	};
	/** the client's price list, or why SAP will not sell to it (never priced from a default list) */
	const readClient = async (card: string, i: number) => {
		let known = partners.get(card);
		if (!known) {
			const bp = await get(keyPath('BusinessPartners', card), i, `Reading client ${card}`, {
				$select: 'CardCode,CardType,PriceListNum,Valid,Frozen',
			});
			known = { listNo: Number(bp?.PriceListNum ?? 1), problem: bp ? partnerProblem(bp) : 'missing' };
			partners.set(card, known);
		}
		return known;
	};
	/** every list read of `entity` matching `filter`, all pages */
	const list = async (entity: string, filter: string, select: string[] | undefined, i: number, action: string) => {
		const out: IDataObject[] = [];
		for await (const page of slPages<IDataObject>(this, entity, {
			select,
			filter,
			pageSize: 100,
			itemIndex: i,
			action,
			policy: opts.policy,
		}))
			out.push(...page.items);
		return out;
	};
	/** the order's items not read yet in this run, ITEM_READS_AT_ONCE at a time */
	const readItems = async (codes: string[], i: number) => {
		const missing = [...new Set(codes)].filter((c) => !itemReads.has(c));
		let next = 0;
		const worker = async () => {
			while (next < missing.length) {
				const code = missing[next++];
				itemReads.set(
					code,
					await get(keyPath('Items', code), i, `Reading item ${code}`, {
						$select: 'ItemCode,ItemPrices,SalesItem,Valid,Frozen',
					}),
				);
			}
		};
		await Promise.all(Array.from({ length: Math.min(ITEM_READS_AT_ONCE, missing.length) }, worker));
	};
	/** the special prices of the client and of its list (`*N`) for the items not read yet, in one request */
	const readSpecialPrices = async (cards: string[], codes: string[], i: number) => {
		const missing = [...new Set(codes)].filter((c) => cards.some((card) => !specialPrices.has(spKey(card, c))));
		for (let k = 0; k < missing.length; k += CODES_PER_READ) {
			const chunk = missing.slice(k, k + CODES_PER_READ);
			const found = await list(
				'SpecialPrices',
				`(${anyOf('CardCode', cards)}) and (${anyOf('ItemCode', chunk)})`,
				undefined,
				i,
				`Reading special prices of ${chunk.join(', ')}`,
			);
			for (const card of cards)
				for (const c of chunk)
					specialPrices.set(
						spKey(card, c),
						byCode(
							found.filter((sp) => sp.CardCode === card),
							'ItemCode',
							c,
						),
					);
		}
	};
	const resolve = async (
		listNo: number,
		card: string,
		line: OrderLine,
		item: IDataObject,
		date: string,
		i: number,
		o: SapOptions,
	): Promise<Resolved | undefined> => {
		const grossList = (await priceLists()).get(listNo)?.IsGrossPrice === 'tYES';
		for (const who of [card, `*${listNo}`]) {
			const sp = specialPrices.get(spKey(who, line.productCode));
			if (!sp || sp.Valid === 'tNO') continue;
			const price = pickArea(sp, date, Number(line.quantity));
			if (price !== undefined && !Number.isNaN(price))
				return {
					price: roundDecimal(price, o.moneyDecimals, o.rounding),
					gross: grossList,
					source: who === card ? 'special price of the client' : `special price of price list ${listNo}`,
				};
		}
		const row = ((item.ItemPrices as IDataObject[] | undefined) ?? []).find((p) => Number(p.PriceList) === listNo);
		if (!row || !Number(row.Price)) return undefined;
		return {
			price: roundDecimal(row.Price as number, o.moneyDecimals, o.rounding),
			gross: grossList,
			source: `price list ${listNo}`,
		};
	};

	return await forEachItem(this, items, async (i) => {
		const o = readSapOptions(this, i);
		const order = orderFromItem(this, items[i], i);
		const date = order.placedAt.slice(0, 10);
		const settings: PriceCheckSettings = {
			tolerance: readTolerance(this, i),
			moneyDecimals: o.moneyDecimals ?? 2,
			rounding: o.rounding ?? 'halfUp',
			erpName: 'SAP',
		};
		const codes = order.lines.map((l) => l.productCode);
		const lists = priceLists();
		const [client] = await Promise.all([readClient(order.clientCode, i), readItems(codes, i), lists]);
		if (client.problem) {
			const reasons = clientProblemReasons('SAP', order.clientCode, client.problem);
			const priceCheck = summarisePriceCheck([], settings.tolerance, {
				code: order.clientCode,
				problem: client.problem,
				reasons,
			});
			return { json: { ...items[i].json, priceCheck } };
		}
		const checks: LineCheck[] = [];
		const priced = codes.filter((c) => {
			const item = itemReads.get(c);
			return item !== undefined && !itemProblem(item);
		});
		if (priced.length) await readSpecialPrices([order.clientCode, `*${client.listNo}`], priced, i);
		for (const line of order.lines) {
			const item = itemReads.get(line.productCode);
			const problem = item ? itemProblem(item) : 'missing';
			if (!item || problem)
				checks.push(
					refusedLine(line, productProblemReasons('SAP', line.lineNo, line.productCode, problem ?? 'missing')),
				);
			else
				checks.push(
					checkLinePrice(order, line, await resolve(client.listNo, order.clientCode, line, item, date, i, o), settings),
				);
		}
		return { json: { ...items[i].json, priceCheck: summarisePriceCheck(checks, settings.tolerance) } };
	});
}
