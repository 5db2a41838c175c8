/**
 * Class and method names of the enova365 add-on. enova has no fixed REST catalogue: its WebAPI serves what the
 * installed add-ons register (erp-facts §2), so every name of docs/enova365-webapi-contract.md is a node option
 * (the Services collection) with the contract's name as default. An add-on that splits its methods over several
 * classes: "Class/Method" in the method's field.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { RequestContext } from '../../shared/transport/request';

export const DEFAULT_CLASS = 'B2BPortalApi';

export const METHODS = [
	'GetTowary',
	'GetDefinicjeCen',
	'GetCeny',
	'GetCenyIndywidualne',
	'GetMagazyny',
	'GetStany',
	'GetKontrahenci',
	'FindZO',
	'AddZO',
	'GetStanyZO',
	'GetFaktury',
	'GetFakturaPdf',
] as const;

export type EnovaMethod = (typeof METHODS)[number];

const WHAT: Record<EnovaMethod, string> = {
	GetTowary: 'products (Towary)',
	GetDefinicjeCen: 'price definitions (DefinicjeCen)',
	GetCeny: 'prices of the definitions',
	GetCenyIndywidualne: 'individual prices of clients and groups',
	GetMagazyny: 'warehouses (Magazyny)',
	GetStany: 'stock per warehouse',
	GetKontrahenci: 'contractors (Kontrahenci)',
	FindZO: 'the ZO of a portal order (by Obcy.Numer)',
	AddZO: 'creates a ZO (customer order)',
	GetStanyZO: 'ZO states and their WZ / FV',
	GetFaktury: 'invoices (FV)',
	GetFakturaPdf: 'the PDF of an invoice',
};

/** The Services collection (shown for every resource). */
export const servicesProperty: INodeProperties = {
	displayName: 'Services',
	name: 'services',
	type: 'collection',
	placeholder: 'Add service name',
	default: {},
	description:
		"Class and method names of the enova365 add-on, if yours differ from the pack's contract (docs/enova365-webapi-contract.md)",
	options: [
		{
			displayName: 'Class',
			name: 'className',
			type: 'string',
			default: DEFAULT_CLASS,
			description:
				'Implementation class of the add-on: calls go to /api/Class/Method. MethodInvoker mode: the name the service is registered under, usually the interface with its assembly, e.g. "B2BPortal.Interfaces.IB2BPortalApi, B2BPortal".',
		},
		...METHODS.map(
			(m): INodeProperties => ({
				displayName: `Method ${m}`,
				name: m,
				type: 'string',
				default: m,
				description: `The method that reads ${WHAT[m]}; "Class/Method" for a method of another class`,
			}),
		),
	],
};

export interface Service {
	className: string;
	methodName: string;
	/** "B2BPortalApi/GetTowary", for messages */
	label: string;
}

function servicesOf(ctx: RequestContext): IDataObject {
	try {
		if ('getInputData' in ctx) return (ctx.getNodeParameter('services', 0, {}) as IDataObject) ?? {};
		if ('getCurrentNodeParameter' in ctx) return (ctx.getCurrentNodeParameter('services') as IDataObject) ?? {};
	} catch {
		// a node without the parameter (a probe in tests): the defaults
	}
	return {};
}

/** Class and method of `method`, from the Services collection (defaults: the contract's names). */
export function serviceOf(ctx: RequestContext, method: EnovaMethod): Service {
	return resolveService(servicesOf(ctx), method);
}

export function resolveService(services: IDataObject, method: EnovaMethod): Service {
	const cls = String(services.className ?? '').trim() || DEFAULT_CLASS;
	const named = String(services[method] ?? '').trim() || method;
	const slash = named.indexOf('/');
	const className = slash > 0 ? named.slice(0, slash).trim() : cls;
	const methodName = slash > 0 ? named.slice(slash + 1).trim() : named;
	return { className, methodName, label: `${className}/${methodName}` };
}
