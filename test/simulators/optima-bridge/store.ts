/**
 * Where the Optima bridge simulator keeps its customer reservations (RO, TrN_TypDokumentu 308): Optima's company
 * database, seen through what the bridge service needs of it. The default keeps them in memory; the end-to-end
 * tests plug in a store backed by the Optima SQL simulator so that an RO the bridge saves is a `CDN.TraNag` row
 * the node's SQL reads see (erp-facts §3: `TrN_NumerObcy`, `TrN_Bufor`, `TrN_Anulowany`).
 */
import { buildPdf } from '../common/pdf';

// prettier-ignore
export interface RoLine { productCode: string; quantity: string; unitPrice: string }
// prettier-ignore
export interface NewRo { foreignNumber: string; clientCode: string; warehouseSymbol: string; lines: RoLine[]; buffer: boolean; notes?: string }
// prettier-ignore
export interface RoRecord extends NewRo { id: number; fullNumber: string /* e.g. "RO/7/2026" */; cancelled: boolean; createdAt: string }
// prettier-ignore
export interface OptimaRoStore {
	/** ROs (TrN_TypDokumentu 308) with this TrN_NumerObcy, oldest first — the bridge's SQL check-back */
	findByForeignNumber(foreignNumber: string): RoRecord[];
	/** why Optima would refuse it (unknown/inactive client or product, unknown warehouse), or undefined */
	refusal(ro: NewRo): string | undefined;
	save(ro: NewRo): RoRecord;
	/** the PDF of invoice `id`, undefined when there is none */
	invoicePdf(id: number): Buffer | undefined;
}

/** a client (CDN.Kontrahenci: Knt_Kod, Knt_Nazwa1, Knt_Nieaktywny) */
export interface MemoryClient {
	code: string;
	name: string;
	inactive: boolean;
}
/** a product (CDN.Towary: Twr_Kod, Twr_Nazwa, Twr_NieAktywny) */
export interface MemoryProduct {
	code: string;
	name: string;
	inactive: boolean;
}
/** an invoice (FS, 302) that the bridge can print */
export interface MemoryInvoice {
	id: number;
	fullNumber: string;
	clientCode: string;
	lines: string[];
}

/**
 * The default store, seeded with a few clients, products and warehouses with Polish names (one client and one
 * product inactive). Tests change the maps directly.
 */
export class MemoryRoStore implements OptimaRoStore {
	readonly clients = new Map<string, MemoryClient>(
		[
			{ code: 'K-ŚWIĘTOKRZYSKA', name: 'Hurtownia Świętokrzyska Sp. z o.o.', inactive: false },
			{ code: 'ŻABKA-ŁÓDŹ', name: 'Sklep Żelazny „Żabka” Łódź', inactive: false },
			{ code: 'GĄSKA-ŹRÓDŁA', name: 'P.H.U. Gąska Źródła s.c.', inactive: true },
		].map((c) => [c.code, c]),
	);

	readonly products = new Map<string, MemoryProduct>(
		[
			{ code: 'ŁÓD-001', name: 'Łódka żółta', inactive: false },
			{ code: 'WIO-003', name: 'Wiosło ą ć ę ł ń ó ś ź ż', inactive: false },
			{ code: 'ŻAG-002', name: 'Żagiel źrebięcy', inactive: false },
			{ code: 'ĆMA-009', name: 'Ćma nocna (wycofana)', inactive: true },
		].map((p) => [p.code, p]),
	);

	/** Mag_Symbol → name; MAGAZYN is the warehouse every new Optima company has */
	readonly warehouses = new Map<string, string>([
		['MAGAZYN', 'Magazyn główny Łódź'],
		['MAG-KRAKÓW', 'Magazyn Kraków'],
	]);

	readonly ros = new Map<number, RoRecord>();
	readonly invoices = new Map<number, MemoryInvoice>();
	private nextId = 1;
	private readonly year: number;
	private readonly now: () => Date;

	constructor(opts: { now?: () => Date } = {}) {
		this.now = opts.now ?? (() => new Date());
		this.year = this.now().getUTCFullYear();
	}

	findByForeignNumber(foreignNumber: string): RoRecord[] {
		return [...this.ros.values()].filter((r) => r.foreignNumber === foreignNumber).sort((a, b) => a.id - b.id);
	}

	refusal(ro: NewRo): string | undefined {
		const client = this.clients.get(ro.clientCode);
		if (!client) return `Nie znaleziono kontrahenta o kodzie ${ro.clientCode}`;
		if (client.inactive) return `Kontrahent ${ro.clientCode} jest nieaktywny`;
		if (!this.warehouses.has(ro.warehouseSymbol)) return `Nie znaleziono magazynu o symbolu ${ro.warehouseSymbol}`;
		for (const [n, line] of ro.lines.entries()) {
			const product = this.products.get(line.productCode);
			if (!product) return `Pozycja ${n + 1}: nie znaleziono towaru o kodzie ${line.productCode}`;
			if (product.inactive) return `Pozycja ${n + 1}: towar ${line.productCode} jest nieaktywny`;
		}
		return undefined;
	}

	save(ro: NewRo): RoRecord {
		const id = this.nextId++;
		const record: RoRecord = {
			...ro,
			lines: ro.lines.map((l) => ({ ...l })),
			id,
			fullNumber: `RO/${id}/${this.year}`,
			cancelled: false,
			createdAt: this.now().toISOString(),
		};
		this.ros.set(id, record);
		return record;
	}

	invoicePdf(id: number): Buffer | undefined {
		const invoice = this.invoices.get(id);
		if (!invoice) return undefined;
		const client = this.clients.get(invoice.clientCode);
		return buildPdf({
			title: `Faktura sprzedaży ${invoice.fullNumber}`,
			lines: [`Nabywca: ${client?.name ?? invoice.clientCode}`, ...invoice.lines],
		});
	}

	/** an invoice (FS) made from an RO, the way an Optima user would (RO → WZ → FS); returns it */
	invoiceRo(roId: number, invoiceId = 5000 + roId): MemoryInvoice {
		const ro = this.ros.get(roId);
		if (!ro) throw new Error(`no RO ${roId}`);
		const invoice: MemoryInvoice = {
			id: invoiceId,
			fullNumber: `FS/${invoiceId - 5000}/${this.year}`,
			clientCode: ro.clientCode,
			lines: ro.lines.map(
				(l) => `${this.products.get(l.productCode)?.name ?? l.productCode}: ${l.quantity} × ${l.unitPrice} zł`,
			),
		};
		this.invoices.set(invoiceId, invoice);
		return invoice;
	}

	/** cancels an RO (TrN_Anulowany = 1) the way an Optima user would */
	cancel(roId: number): RoRecord {
		const ro = this.ros.get(roId);
		if (!ro) throw new Error(`no RO ${roId}`);
		ro.cancelled = true;
		return ro;
	}
}
