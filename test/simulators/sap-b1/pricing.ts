/**
 * Prices and amounts of document lines: SAP's price determination (special prices, '*N' rows, price
 * lists, gross lists) and exact totals in integer grosze (VAT rounded per line, half away from zero).
 */
import { grosze, mulDiv, pln, toScaled } from './money';
import type { BusinessPartner, DocumentLine, ItemRec } from './model';
import type { SapState } from './state';

export function formatAddress(bp: BusinessPartner): string {
	const a = bp.BPAddresses.find((x) => x.AddressType === 'bo_BillTo');
	return a ? `${a.Street}\r${a.ZipCode} ${a.City}\rPOLSKA` : `${bp.Address}\r${bp.ZipCode} ${bp.City}\rPOLSKA`;
}

export function totals(lines: { LineTotal: number; TaxTotal: number }[]): { DocTotal: number; VatSum: number } {
	let net = 0n;
	let vat = 0n;
	for (const l of lines) {
		net += grosze(l.LineTotal);
		vat += grosze(l.TaxTotal);
	}
	return { DocTotal: pln(net + vat), VatSum: pln(vat) };
}

/** LineTotal/TaxTotal/GrossTotal/OpenAmount of a line from its Price, Quantity and VAT rate, in grosze */
export function amounts(priceG: bigint, qty: number, rateBp: number, openQty: number) {
	const lineTotal = mulDiv(priceG, toScaled(qty, 6), 1_000_000n);
	const tax = mulDiv(lineTotal, BigInt(rateBp), 10_000n);
	const open = mulDiv(priceG, toScaled(openQty, 6), 1_000_000n);
	return { LineTotal: pln(lineTotal), TaxTotal: pln(tax), GrossTotal: pln(lineTotal + tax), OpenAmount: pln(open) };
}

/** a copy of a line for a target document (delivery/invoice) with quantity qty, priced like the source */
export function copyLine(
	src: DocumentLine,
	lineNum: number,
	qty: number,
	baseType: number,
	baseEntry: number,
	open: boolean,
): DocumentLine {
	const rateBp = Math.round(src.TaxPercentagePerRow * 100);
	return {
		...src,
		LineNum: lineNum,
		Quantity: qty,
		...amounts(grosze(src.Price), qty, rateBp, open ? qty : 0),
		LineStatus: open ? 'bost_Open' : 'bost_Close',
		RemainingOpenQuantity: open ? qty : 0,
		BaseType: baseType,
		BaseEntry: baseEntry,
		BaseLine: src.LineNum,
	};
}

export interface ResolvedPrice {
	/** the BP's price list price, net, grosze */
	listNet: bigint;
	/** the special price (if any), net, grosze */
	specialNet?: bigint;
	/** the gross price (gross price lists only) */
	gross?: bigint;
}

/**
 * SAP's price determination when a line has no price: the BP's special price (valid, in its date range,
 * period area by date, quantity area by quantity), else the '*<PriceListNum>' special price, else the
 * item's price in the BP's price list. Gross price lists (IsGrossPrice tYES) give gross prices.
 */
export function resolvePrice(
	state: SapState,
	bp: BusinessPartner,
	rec: ItemRec,
	qty: number,
	date: string,
	rateBp: number,
): ResolvedPrice {
	const listNo = bp.PriceListNum;
	const isGross = state.priceLists.get(listNo)?.IsGrossPrice === 'tYES';
	const net = (g: bigint) => (isGross ? mulDiv(g, 10_000n, BigInt(10_000 + rateBp)) : g);
	const listG = BigInt(state.priceOf(rec, listNo).grosze);
	for (const code of [bp.CardCode, `*${listNo}`]) {
		const sp = state.specialPrice(code, rec.ItemCode);
		if (!sp || sp.Valid !== 'tYES') continue;
		if ((sp.ValidFrom && date < sp.ValidFrom) || (sp.ValidTo && date > sp.ValidTo)) continue;
		let price = sp.Price;
		const area = sp.SpecialPriceDataAreas.find(
			(a) => (!a.DateFrom || a.DateFrom <= date) && (!a.Dateto || date <= a.Dateto),
		);
		if (area) {
			price = area.SpecialPrice;
			const q = area.SpecialPriceQuantityAreas.filter((x) => x.Quantity <= qty).sort(
				(a, b) => b.Quantity - a.Quantity,
			)[0];
			if (q) price = q.SpecialPrice;
		}
		const sg = grosze(price);
		return { listNet: net(listG), specialNet: net(sg), ...(isGross ? { gross: sg } : {}) };
	}
	return { listNet: net(listG), ...(isGross ? { gross: listG } : {}) };
}
