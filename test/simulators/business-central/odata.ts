/**
 * OData V4 page web services: `.../ODataV4/Company('<company NAME>')/<Service>` (research §1, S7). The one BC
 * documents for stock per location is page 30 Item Card published as a web service (default service name
 * 'ItemCard'), read with `$filter=Location_Filter eq 'GREEN'`: the FlowField Inventory is then recomputed for that
 * location (S7). `Location_Filter eq 'A|B'` sums both, as BC's filter syntax does.
 *
 * The company segment takes the NAME. A GUID there — what the community node msdyn365bc sends (research §1, S24) —
 * is no company's name and gets Internal_CompanyNotFound, as the real server answers.
 * Also `.../ODataV4/Company` lists the companies (Name, Display_Name, Id).
 */
import type http from 'node:http';
import { errors, type BcContext, type Schema } from './core';
import { eqConstant, parseFilter } from './query';
import type { Company } from './state';

export const ITEM_CARD_SCHEMA: Schema = {
	No: 'string',
	Description: 'string',
	Type: 'string',
	Base_Unit_of_Measure: 'string',
	Unit_Price: 'number',
	Blocked: 'boolean',
	Inventory: 'number',
	Last_Date_Modified: 'date',
	Location_Filter: 'string',
};

const COMPANY_PAGE_SCHEMA: Schema = {
	Name: 'string',
	Evaluating_Company: 'boolean',
	Display_Name: 'string',
	Id: 'guid',
	Business_Profile_Id: 'string',
};

/** Company('Hurtownia%20%C5%BBelazna') → the name, '' unescaped */
function companyName(segment: string): string {
	let s: string;
	try {
		s = decodeURIComponent(segment);
	} catch {
		throw errors.badRequest(`Bad Request - Error in query syntax.`);
	}
	const m = /^'((?:[^']|'')*)'$/.exec(s);
	if (!m) throw errors.badRequest(`Bad Request - Error in query syntax.`);
	return m[1].replace(/''/g, "'");
}

export function handleOData(
	ctx: BcContext,
	req: http.IncomingMessage,
	res: http.ServerResponse,
	path: string,
	itemCardServices: string[],
): void {
	const i = ctx.info(req);
	if (req.method !== 'GET') throw errors.methodNotAllowed(req.method ?? '');
	if (path === '' || path === '/') {
		ctx.sendJson(res, 200, {
			'@odata.context': `${i.root}/$metadata`,
			value: [
				{ name: 'Company', kind: 'EntitySet', url: 'Company' },
				...itemCardServices.map((s) => ({ name: s, kind: 'EntitySet', url: s })),
			],
		});
		return;
	}
	if (path === '/Company') {
		const rows = ctx.state.companies.map((c) => ({
			Name: c.name,
			Evaluating_Company: false,
			Display_Name: c.displayName,
			Id: c.id,
			Business_Profile_Id: c.businessProfileId,
		}));
		ctx.sendJson(
			res,
			200,
			ctx.page(req, rows, {
				schema: COMPANY_PAGE_SCHEMA,
				typeName: 'NAV.Company',
				key: 'Name',
				etag: false,
				context: 'Company',
			}),
		);
		return;
	}
	const m = /^\/Company\(([^)]*)\)(?:\/([^/]+))?$/.exec(path);
	let company: Company | undefined;
	let service: string | undefined;
	if (m) {
		const name = companyName(m[1]);
		company = ctx.state.companies.find((c) => c.name === name);
		if (!company) throw errors.companyNameNotFound(name);
		service = m[2] ? decodeURIComponent(m[2]) : undefined;
	} else {
		// no Company('…') segment: only ?company=<name> names one; without a default company BC refuses
		const s = /^\/([^/]+)$/.exec(path);
		if (!s) throw errors.noSegment(path.split('/')[1] ?? '');
		const q = i.query.get('company');
		company = q === null ? undefined : ctx.state.companies.find((c) => c.name === q);
		if (!company) throw q === null ? errors.companyNotFound() : errors.companyNameNotFound(q);
		service = decodeURIComponent(s[1]);
	}
	i.company = company;
	if (service === undefined) {
		ctx.sendJson(res, 200, {
			'@odata.context': `${i.root}/$metadata#Company/$entity`,
			Name: company.name,
			Evaluating_Company: false,
			Display_Name: company.displayName,
			Id: company.id,
			Business_Profile_Id: company.businessProfileId,
		});
		return;
	}
	if (!itemCardServices.includes(service)) throw errors.noSegment(service);
	const filterSrc = i.query.get('$filter');
	const filter = filterSrc ? parseFilter(filterSrc, ITEM_CARD_SCHEMA, `NAV.${service}`) : undefined;
	const locFilter = eqConstant(filter, 'Location_Filter');
	const codes = locFilter === undefined ? undefined : locFilter.split('|');
	const co = company;
	const rows = co.items.map((it) => {
		const inventory =
			codes === undefined
				? ctx.state.inventory(co, it.number)
				: codes.reduce((a, c) => a + ctx.state.inventoryAt(co, it.number, c), 0);
		const row: Record<string, unknown> = {
			No: it.number,
			Description: it.displayName,
			Type: it.type,
			Base_Unit_of_Measure: it.baseUnitOfMeasureCode,
			Unit_Price: it.unitPrice,
			Blocked: it.blocked,
			Inventory: Math.round(inventory * 100000) / 100000,
			Last_Date_Modified: it.lastModifiedDateTime.slice(0, 10),
			Location_Filter: locFilter ?? '',
		};
		Object.defineProperty(row, 'rowVersion', { value: it.rowVersion, enumerable: false });
		Object.defineProperty(row, 'id', { value: it.id, enumerable: false });
		return row;
	});
	const body = ctx.page(req, rows, {
		schema: ITEM_CARD_SCHEMA,
		typeName: `NAV.${service}`,
		key: 'No',
		filter,
		context: `Company('${encodeURIComponent(co.name.replace(/'/g, "''"))}')/${service}`,
	});
	ctx.sendJson(res, 200, body);
}
