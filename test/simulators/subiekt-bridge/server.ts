/**
 * Stand-in for the Windows service around Subiekt GT's Sfera (docs/subiekt-sfera-bridge.md): a real HTTP
 * server on 127.0.0.1 with the contract's endpoints, idempotent ZK creation by original number, stock
 * reservation, invoices made from ZKs, PDFs, and the opaque COM failures seen in the wild — "Source: Unknown,
 * Description: Unknown" (HRESULT 0x80010105) — injectable before or AFTER the document was saved.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	addDecimal,
	divideDecimal,
	formatDecimal,
	multiplyDecimal,
	subtractDecimal,
} from '../../../nodes/shared/model/decimal';
import { Faults, type Fault } from '../common/faults';
import { OPAQUE_COM_ERROR as COM_ERROR } from '../common/com';

export interface BridgeLine {
	symbol: string;
	quantity: string;
	unitPrice: string;
	vatRate: string;
	discountPercent?: string;
}

export interface ZkDocument {
	id: number;
	type: 'ZK';
	number: string;
	originalNumber: string;
	clientSymbol: string;
	warehouseSymbol: string;
	reserve: boolean;
	priceType: 'net' | 'gross';
	currency: string;
	lines: BridgeLine[];
	notes?: string;
	status: 'open' | 'completed' | 'cancelled';
	totals: { net: string; vat: string; gross: string };
	invoice?: BridgeInvoice;
}

/** the sales invoice (FS) made from a ZK, with the data the portal's invoice upload needs */
export interface BridgeInvoice {
	id: number;
	number: string;
	type: 'FS';
	issueDate: string;
	dueDate: string;
	clientSymbol: string;
	currency: string;
	totals: { net: string; vat: string; gross: string };
}

export interface BridgeSimulator {
	url: string;
	apiKey: string;
	state: {
		products: Map<string, { symbol: string; name: string; stock: number; reserved: number }>;
		clients: Map<string, { symbol: string; name: string; blocked: boolean }>;
		documents: Map<number, ZkDocument>;
	};
	faults: Faults<'bridge'>;
	/** the next matching request fails with the opaque COM error; `afterSave`: the ZK IS saved first */
	comError(opts?: { afterSave?: boolean; times?: number }): void;
	/** turns a ZK into an invoice (FS) the way a Subiekt user would (issue date: today, or `issueDate`) */
	invoiceZk(id: number, opts?: { issueDate?: string; paymentDays?: number }): ZkDocument;
	/** cancels a ZK the way a Subiekt user would (its reservation is released) */
	cancelZk(id: number): ZkDocument;
	requests: Array<{ method: string; path: string; status: number }>;
	close(): Promise<void>;
}

/** answers whose request was processed but whose answer an afterWrite fault takes away (the "lost response") */
const lostAnswers = new WeakMap<ServerResponse, Fault<'bridge'>>();

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json; charset=utf-8') {
	const lost = lostAnswers.get(res);
	if (lost) {
		lostAnswers.delete(res);
		if (lost.kind === 'drop' || lost.kind === 'reset') return void res.socket?.destroy();
		if (lost.kind === 'status') {
			status = lost.status ?? 502;
			body = { error: { code: 'gateway_error', message: 'the proxy lost the answer', retryable: true } };
			type = 'application/json; charset=utf-8';
		}
	}
	const data = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body), 'utf8');
	res.writeHead(status, { 'Content-Type': type, 'Content-Length': data.length });
	res.end(data);
}

const fail = (res: ServerResponse, status: number, code: string, message: string, retryable = false) =>
	send(res, status, { error: { code, message, retryable } });

/** Values rounded per line to the grosz (as Subiekt does), totals summed from the rounded values. */
function totals(lines: BridgeLine[], priceType: 'net' | 'gross') {
	let net = '0';
	let vat = '0';
	let gross = '0';
	for (const l of lines) {
		const pct = /^\d/.test(l.vatRate) ? l.vatRate : '0';
		const beforeDiscount = formatDecimal(multiplyDecimal(l.quantity, l.unitPrice));
		const value = divideDecimal(
			formatDecimal(multiplyDecimal(beforeDiscount, formatDecimal(subtractDecimal('100', l.discountPercent ?? '0')))),
			'100',
		);
		if (priceType === 'net') {
			const lineVat = divideDecimal(formatDecimal(multiplyDecimal(value, pct)), '100');
			net = formatDecimal(addDecimal(net, value));
			vat = formatDecimal(addDecimal(vat, lineVat));
			gross = formatDecimal(addDecimal(gross, formatDecimal(addDecimal(value, lineVat))));
		} else {
			const lineVat = divideDecimal(formatDecimal(multiplyDecimal(value, pct)), formatDecimal(addDecimal('100', pct)));
			gross = formatDecimal(addDecimal(gross, value));
			vat = formatDecimal(addDecimal(vat, lineVat));
			net = formatDecimal(subtractDecimal(gross, vat));
		}
	}
	const two = (v: string) => divideDecimal(v, '1');
	return { net: two(net), vat: two(vat), gross: two(gross) };
}

function pdfOf(doc: { number: string; clientSymbol: string }): Buffer {
	const text = `${doc.number} ${doc.clientSymbol}`.replace(/[()\\]/g, '');
	const stream = `BT /F1 12 Tf 50 780 Td (${text.replace(/[^\x20-\x7e]/g, '?')}) Tj ET`;
	const objs = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
	];
	let out = '%PDF-1.4\n';
	const offsets: number[] = [];
	objs.forEach((o, i) => {
		offsets.push(out.length);
		out += `${i + 1} 0 obj\n${o}\nendobj\n`;
	});
	const xref = out.length;
	out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
	out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(out, 'latin1');
}

export async function startBridgeSimulator(opts: { apiKey?: string; port?: number } = {}): Promise<BridgeSimulator> {
	const apiKey = opts.apiKey ?? 'test-bridge-key';
	const state: BridgeSimulator['state'] = { products: new Map(), clients: new Map(), documents: new Map() };
	const faults = new Faults<'bridge'>('bridge');
	const requests: BridgeSimulator['requests'] = [];
	let nextId = 4700;
	let comErrors: Array<{ afterSave: boolean }> = [];

	const sameContent = (a: ZkDocument, b: Omit<ZkDocument, 'id' | 'number' | 'status' | 'totals'>) =>
		a.clientSymbol === b.clientSymbol && JSON.stringify(a.lines) === JSON.stringify(b.lines);

	const handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		if (req.headers.authorization !== `Bearer ${apiKey}`)
			return fail(res, 401, 'unauthorized', 'missing or wrong bridge key');
		if (req.method === 'GET' && url.pathname === '/health')
			return send(res, 200, { status: 'ok', subiekt: '1.78', database: 'FIRMA_DEMO', sferaSession: 'open' });
		if (url.pathname === '/v1/zk' && req.method === 'GET') {
			const original = url.searchParams.get('originalNumber') ?? '';
			return send(res, 200, { documents: [...state.documents.values()].filter((d) => d.originalNumber === original) });
		}
		if (url.pathname === '/v1/zk' && req.method === 'POST') {
			let input: Record<string, unknown>;
			try {
				input = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)) as Record<string, unknown>;
			} catch {
				return fail(res, 400, 'bad_request', 'body is not UTF-8 JSON');
			}
			const original = String(input.originalNumber ?? '');
			const lines = (input.lines as BridgeLine[] | undefined) ?? [];
			if (!original || !input.clientSymbol || !lines.length)
				return fail(res, 400, 'bad_request', 'originalNumber, clientSymbol and lines are required');
			const candidate = {
				type: 'ZK' as const,
				originalNumber: original,
				clientSymbol: String(input.clientSymbol),
				warehouseSymbol: String(input.warehouseSymbol ?? 'MAG'),
				reserve: input.reserve !== false,
				priceType: (input.priceType === 'gross' ? 'gross' : 'net') as 'net' | 'gross',
				currency: typeof input.currency === 'string' && input.currency ? input.currency : 'PLN',
				lines,
				notes: input.notes as string | undefined,
			};
			const existing = [...state.documents.values()].find(
				(d) => d.originalNumber === original && d.status !== 'cancelled',
			);
			if (existing) {
				if (!sameContent(existing, candidate))
					return fail(
						res,
						409,
						'conflict',
						`ZK ${existing.number} already has original number ${original} with other lines`,
					);
				return send(res, 200, { ...existing, created: false });
			}
			const client = state.clients.get(candidate.clientSymbol);
			if (!client) return fail(res, 422, 'rejected', `Nie znaleziono kontrahenta o symbolu ${candidate.clientSymbol}`);
			if (client.blocked) return fail(res, 422, 'rejected', `Kontrahent ${candidate.clientSymbol} jest zablokowany`);
			for (const l of lines) {
				const p = state.products.get(l.symbol);
				if (!p) return fail(res, 422, 'rejected', `Nie znaleziono towaru o symbolu ${l.symbol}`);
				if (candidate.reserve && p.stock - p.reserved < Number(l.quantity))
					return fail(
						res,
						422,
						'rejected',
						`Brak towaru ${l.symbol} do rezerwacji: dostępne ${p.stock - p.reserved}, zamówiono ${l.quantity}`,
					);
			}
			const com = comErrors.shift();
			if (com && !com.afterSave) return send(res, 502, { error: COM_ERROR });
			const id = nextId++;
			const doc: ZkDocument = {
				...candidate,
				id,
				number: `ZK ${id - 4699}/11/2026`,
				status: 'open',
				totals: totals(lines, candidate.priceType),
			};
			state.documents.set(id, doc);
			if (doc.reserve) for (const l of lines) state.products.get(l.symbol)!.reserved += Number(l.quantity);
			if (com?.afterSave) return send(res, 502, { error: COM_ERROR });
			return send(res, 201, { ...doc, created: true });
		}
		const m = /^\/v1\/documents\/(\d+)\/(status|pdf)$/.exec(url.pathname);
		if (m && req.method === 'GET') {
			const id = Number(m[1]);
			// an invoice (FS) is a document of its own: its PDF is printed by its id, not by the ZK's
			const invoiceOf = [...state.documents.values()].find((d) => d.invoice?.id === id);
			if (invoiceOf && m[2] === 'pdf')
				return send(
					res,
					200,
					pdfOf({ number: invoiceOf.invoice!.number, clientSymbol: invoiceOf.clientSymbol }),
					'application/pdf',
				);
			const doc = state.documents.get(id);
			if (!doc) return fail(res, 404, 'not_found', `no document ${m[1]}`);
			if (m[2] === 'pdf') return send(res, 200, pdfOf(doc), 'application/pdf');
			return send(res, 200, {
				id: doc.id,
				type: 'ZK',
				number: doc.number,
				status: doc.status,
				reserved: doc.reserve,
				cancelled: doc.status === 'cancelled',
				...(doc.invoice ? { invoice: doc.invoice } : {}),
			});
		}
		return fail(res, 404, 'not_found', `no route ${req.method} ${url.pathname}`);
	};

	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
			res.on('finish', () => requests.push({ method: req.method ?? '', path, status: res.statusCode }));
			// a dropped connection (no answer) is logged with status 0
			res.on('close', () => {
				if (!res.writableFinished) requests.push({ method: req.method ?? '', path, status: 0 });
			});
			const fault = faults.take(req.method ?? 'GET', path, 'before');
			if (fault?.kind === 'status') {
				if (fault.retryAfter) res.setHeader('Retry-After', fault.retryAfter);
				return send(res, fault.status ?? 503, {
					error: { code: 'sfera_unavailable', message: 'Subiekt is locked', retryable: true },
				});
			}
			if (fault?.kind === 'drop' || fault?.kind === 'reset') {
				req.socket.destroy();
				return;
			}
			const after = faults.take(req.method ?? 'GET', path, 'after');
			if (after) lostAnswers.set(res, after);
			void handle(req, res, Buffer.concat(chunks)).catch((e: Error) => fail(res, 500, 'internal', e.message));
		});
	});
	await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}`,
		apiKey,
		state,
		faults,
		requests,
		comError: (o = {}) => {
			for (let i = 0; i < (o.times ?? 1); i++) comErrors.push({ afterSave: o.afterSave === true });
		},
		invoiceZk: (id, o = {}) => {
			const doc = state.documents.get(id);
			if (!doc) throw new Error(`no ZK ${id}`);
			const fsId = nextId++;
			const issued = new Date(o.issueDate ? `${o.issueDate}T12:00:00Z` : Date.now());
			const due = new Date(issued.getTime() + (o.paymentDays ?? 14) * 86_400_000);
			doc.invoice = {
				id: fsId,
				number: `FS ${fsId - 4699}/11/2026`,
				type: 'FS',
				issueDate: issued.toISOString().slice(0, 10),
				dueDate: due.toISOString().slice(0, 10),
				clientSymbol: doc.clientSymbol,
				currency: doc.currency,
				totals: { ...doc.totals },
			};
			doc.status = 'completed';
			for (const l of doc.lines) {
				const p = state.products.get(l.symbol)!;
				p.stock -= Number(l.quantity);
				if (doc.reserve) p.reserved -= Number(l.quantity);
			}
			return doc;
		},
		cancelZk: (id) => {
			const doc = state.documents.get(id);
			if (!doc) throw new Error(`no ZK ${id}`);
			if (doc.invoice) throw new Error(`ZK ${doc.number} is invoiced (${doc.invoice.number}): it cannot be cancelled`);
			if (doc.reserve && doc.status === 'open')
				for (const l of doc.lines) state.products.get(l.symbol)!.reserved -= Number(l.quantity);
			doc.status = 'cancelled';
			return doc;
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
