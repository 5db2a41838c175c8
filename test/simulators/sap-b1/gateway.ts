/**
 * The SAP Business One API Gateway (its own port; erp-facts §1 "Invoice PDF"), as far as a client
 * printing documents needs it. Behaviour follows a real recording (operator-ita/b1sl-python
 * cassettes/test_api_gateway_real) and that client's notes:
 *
 *   POST /login {CompanyDB, UserName, Password}  → 200 {"Version":"0.0.1","SessionTimeout":30} + cookie SESSION,
 *                                                   header CompanyID; bad credentials → HTTP 200 {"code":-1,"message":{…}}
 *   GET  /rs/v1/LoadAuthorizedCRList              → {"result":"Success","resultSet":[{code,name,root_name,root_guid}]}
 *   GET  /rs/v1/LoadCR?DocCode=X                  → the layout's parameters; unknown layout → {}
 *   POST /rs/v1/ExportPDFData?DocCode=X           body [{"name":"DocKey@","type":"xsd:decimal","value":[["1001"]]}, …]
 *        → the PDF as base64 TEXT (Content-Type application/octet-stream), status 201 or 200 (the real
 *          gateway flips between them); unknown DocCode → HTTP 200 "{}"; malformed payload / unknown
 *          document → HTTP 200 "(---)"
 *   POST /logout                                  → 400 (Spring error JSON, as recorded)
 *   no/expired session                            → 401 with an empty body
 * Layout prefixes: INV = A/R invoice (Invoices), RDR = sales order, DLN = delivery.
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import type { SimClock } from './clock';
import { grosze, pln } from './money';
import type { Document } from './model';
import { buildPdf } from './pdf';
import { parseCookies } from './session';
import type { SapState } from './state';

export interface GatewayLayout {
	code: string;
	name: string;
	root_name: string;
	root_guid: string;
	/** which documents it prints */
	kind: 'Invoices' | 'Orders' | 'DeliveryNotes';
	objType: number;
}

export const GATEWAY_LAYOUTS: GatewayLayout[] = [
	{
		code: 'INV20001',
		name: 'Faktura VAT (PL)',
		root_name: 'A/R Invoice',
		root_guid: '13',
		kind: 'Invoices',
		objType: 13,
	},
	{
		code: 'RDR20001',
		name: 'Zamówienie klienta',
		root_name: 'Sales Order',
		root_guid: '17',
		kind: 'Orders',
		objType: 17,
	},
	{
		code: 'DLN20001',
		name: 'Wydanie zewnętrzne WZ',
		root_name: 'Delivery',
		root_guid: '15',
		kind: 'DeliveryNotes',
		objType: 15,
	},
];

const TITLES: Record<GatewayLayout['kind'], string> = {
	Invoices: 'Faktura VAT',
	Orders: 'Zamówienie klienta',
	DeliveryNotes: 'Wydanie zewnętrzne WZ',
};

export interface GatewayReply {
	status: number;
	headers: Record<string, string | string[]>;
	body: string;
}

export interface GatewayOptions {
	state: SapState;
	clock: SimClock;
	companyDb: string;
	users: { name: string; password: string }[];
	/** idle minutes before a gateway session is forgotten (the real lifetime is unknown; default 60) */
	sessionTimeoutMinutes: number;
	/** status of a successful ExportPDFData: 200, 201, or 'flip' (alternate, like the real gateway; default) */
	pdfStatus: 200 | 201 | 'flip';
}

export class Gateway {
	private sessions = new Map<string, number>();
	private exports = 0;
	logins = 0;

	constructor(private opts: GatewayOptions) {}

	expireAll(): void {
		this.sessions.clear();
	}

	reset(): void {
		this.sessions.clear();
		this.exports = 0;
		this.logins = 0;
	}

	/** the login (after the caller's login delay) */
	login(body: Buffer): GatewayReply {
		let creds: Record<string, unknown> = {};
		try {
			creds = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
		} catch {
			/* answered below like bad credentials */
		}
		const ok =
			creds.CompanyDB === this.opts.companyDb &&
			this.opts.users.some((u) => u.name === creds.UserName && u.password === creds.Password);
		if (!ok)
			return json(200, {
				code: -1,
				message: { lang: 'en-us', value: 'Fail to login: invalid company, user name or password' },
			});
		const id = randomBytes(24).toString('base64url');
		this.sessions.set(id, this.opts.clock.now());
		this.logins++;
		return {
			status: 200,
			headers: {
				'Content-Type': 'application/json',
				CompanyID: this.opts.companyDb,
				'Set-Cookie': `SESSION=${id}; Path=/; HttpOnly; SameSite=Lax`,
			},
			body: JSON.stringify({ Version: '0.0.1', SessionTimeout: 30 }),
		};
	}

	handle(
		method: string,
		pathname: string,
		search: URLSearchParams,
		headers: http.IncomingHttpHeaders,
		body: Buffer,
	): GatewayReply {
		if (method === 'POST' && pathname === '/logout')
			return json(400, {
				timestamp: new Date(this.opts.clock.now()).toISOString(),
				status: 400,
				error: 'Bad Request',
				path: '/auth/oidc.logout',
			});
		const known = ['/rs/v1/LoadAuthorizedCRList', '/rs/v1/LoadCR', '/rs/v1/ExportPDFData'];
		if (!known.includes(pathname))
			return json(404, {
				timestamp: new Date(this.opts.clock.now()).toISOString(),
				status: 404,
				error: 'Not Found',
				path: pathname,
			});
		if (!this.checkSession(headers.cookie)) return { status: 401, headers: {}, body: '' };
		const layout = GATEWAY_LAYOUTS.find((l) => l.code === search.get('DocCode'));
		switch (pathname) {
			case '/rs/v1/LoadAuthorizedCRList':
				return json(200, {
					result: 'Success',
					resultSet: GATEWAY_LAYOUTS.map(({ code, name, root_name, root_guid }) => ({
						code,
						name,
						root_name,
						root_guid,
					})),
				});
			case '/rs/v1/LoadCR':
				if (!layout) return json(200, {});
				return json(200, {
					error: false,
					resultSet: [param('DocKey@', '8', ''), param('ObjectId@', '8', String(layout.objType))],
				});
			default:
				if (method !== 'POST') return json(405, { status: 405, error: 'Method Not Allowed', path: pathname });
				if (!layout) return text(200, '{}', 'application/json');
				return this.export(layout, body);
		}
	}

	private checkSession(cookie: string | undefined): boolean {
		const id = parseCookies(cookie).get('SESSION');
		const last = id ? this.sessions.get(id) : undefined;
		if (!id || last === undefined) return false;
		const now = this.opts.clock.now();
		if (now - last > this.opts.sessionTimeoutMinutes * 60_000) {
			this.sessions.delete(id);
			return false;
		}
		this.sessions.set(id, now);
		return true;
	}

	private export(layout: GatewayLayout, body: Buffer): GatewayReply {
		const sentinel = text(200, '(---)', 'text/plain;charset=UTF-8');
		let params: unknown;
		try {
			params = JSON.parse(body.toString('utf8'));
		} catch {
			return sentinel;
		}
		if (!Array.isArray(params)) return sentinel;
		const byName = new Map<string, unknown>();
		for (const p of params as Record<string, unknown>[]) {
			if (!p || typeof p.name !== 'string') return sentinel;
			byName.set(p.name.toLowerCase(), scalar(p.value));
		}
		const key = byName.get('dockey@');
		const docEntry =
			typeof key === 'number' ? key : typeof key === 'string' && /^\d+$/.test(key.trim()) ? Number(key) : NaN;
		if (!Number.isInteger(docEntry)) return sentinel;
		const objectId = byName.get('objectid@');
		if (objectId !== undefined && Number(objectId) !== layout.objType) return sentinel;
		const schema = byName.get('schema@');
		if (schema !== undefined && schema !== this.opts.companyDb) return sentinel;
		const doc = this.opts.state.docs[layout.kind].get(docEntry);
		if (!doc) return sentinel;
		const pdf = renderDocument(layout, doc, this.opts.clock.now());
		this.exports++;
		const status = this.opts.pdfStatus === 'flip' ? (this.exports % 2 === 1 ? 201 : 200) : this.opts.pdfStatus;
		return {
			status,
			headers: {
				'Content-Type': 'application/octet-stream',
				'Content-Disposition': `form-data; name="attachment"; filename="${layout.code}.pdf"`,
			},
			body: pdf.toString('base64'),
		};
	}
}

/** value: [["1001"]], [[1001]], ["1001"] or 1001 → the scalar */
function scalar(v: unknown): unknown {
	let x = v;
	while (Array.isArray(x)) {
		if (x.length !== 1) return undefined;
		x = x[0];
	}
	return x;
}

function param(name: string, length: string, value: string) {
	return {
		parameterType: 'StoredProcedureParameter',
		values: value ? [value] : [],
		defaultValuesDescription: {},
		length,
		isOptionalPrompt: 'false',
		description: '',
		allowNullValue: 'true',
		isShownOnPanel: 'false',
		type: 'xsd:decimal',
		editMask: '',
		minimumValue: '',
		initialValues: [],
		isEditableOnPanel: 'false',
		valueRangeKind: 'Discrete',
		allowMultiValue: 'false',
		name,
		defaultValues: [],
		currentvalues: value ? [value] : [],
		maximumValue: '',
		allowCustomCurrentValues: 'true',
	};
}

function json(status: number, value: unknown): GatewayReply {
	return text(status, JSON.stringify(value), 'application/json;charset=UTF-8');
}

function text(status: number, body: string, type: string): GatewayReply {
	return { status, headers: { 'Content-Type': type }, body };
}

const money = (n: number) => n.toFixed(2).replace('.', ',');

export function renderDocument(layout: GatewayLayout, doc: Document, now: number): Buffer {
	const title = `${TITLES[layout.kind]} nr ${doc.DocNum}`;
	const lines = [
		`Nabywca: ${doc.CardName ?? ''} (${doc.CardCode ?? ''})`,
		`Data dokumentu: ${doc.DocDate}   Termin: ${doc.DocDueDate}`,
		...(doc.NumAtCard ? [`Nr zamówienia klienta: ${doc.NumAtCard}`] : []),
		'',
		'Lp.  Indeks  Nazwa  Ilość  Cena netto  Wartość netto  VAT',
		...doc.DocumentLines.map(
			(l, i) =>
				`${i + 1}. ${l.ItemCode}  ${l.ItemDescription}  ${l.Quantity} ${l.UoMCode}  ${money(l.Price)}  ${money(l.LineTotal)}  ${l.TaxPercentagePerRow}%`,
		),
		'',
		`Razem netto: ${money(pln(grosze(doc.DocTotal) - grosze(doc.VatSum)))} PLN`,
		`VAT: ${money(doc.VatSum)} PLN`,
		`Do zapłaty: ${money(doc.DocTotal)} PLN`,
	];
	return buildPdf({ title: `${title} — ${doc.CardName ?? ''}`, lines, creationDate: new Date(now) });
}
