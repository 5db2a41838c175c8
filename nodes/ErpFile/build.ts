/**
 * Build File: canonical records (orders for EDI++) → one CSV, EDI++ ZK, JSON or XML file in a binary field; or
 * orders → one Comarch ERP Optima document XML file PER ORDER (Optima's XML import takes documents one by one
 * from a folder, and a bad order must not hold back the others; nodes/shared/files/optima-xml.ts).
 *
 * All or nothing: every input record is validated first; when one is bad, no file is made (the error
 * names the item and the field; with Continue On Fail the bad items come out as error items, still
 * without a file, so that an incomplete order file never reaches the ERP).
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { writeCsv, type CsvDelimiter } from '../shared/files/csv';
import { checkedFileName, orderFileStem } from '../shared/files/fileName';
import {
	OPTIMA_RO_DEFAULTS,
	OptimaDocumentError,
	optimaDocumentText,
	orderToOptimaDocument,
	type OptimaDocumentOptions,
} from '../shared/files/optima-xml';
import { encodeText, type OutputEncoding } from '../shared/files/encoding';
import {
	assertElementName,
	buildXmlText,
	canonicalToXml,
	invalidXmlCharacter,
	xmlLeafTexts,
	XmlFileError,
	type XmlElement,
} from '../shared/files/xml';
import { writeEpp, type EppSection, type EppVersion } from '../shared/edi/epp';
import { eppDate, orderToZk } from '../shared/edi/epp-canonical';
import type { EntityName, Order } from '../shared/model/types';
import { KEY_FIELD, describeIssues, validateRecord } from '../shared/model/validate';
import { allowedVatRatesOption, readAllowedVatRates } from '../shared/options';
import { WRITE_COLUMNS, rowsForCsv } from './fields';

const show = { operation: ['build'] };
type WriteEntity = keyof typeof WRITE_COLUMNS;

export const description: INodeProperties[] = [
	{
		displayName: 'Output Format',
		description: 'Kind of file to build',
		name: 'outputFormat',
		type: 'options',
		options: [
			{ name: 'CSV', value: 'csv', description: 'Columns named like the canonical fields' },
			{ name: 'EDI++ ZK (.Epp)', value: 'epp', description: 'Customer orders (ZK) for import into Subiekt GT' },
			{ name: 'JSON', value: 'json', description: 'An array of canonical records, UTF-8' },
			{
				name: 'Optima Document XML (RO)',
				value: 'optimaXml',
				description:
					"One file per order for Comarch ERP Optima's XML import (RO in this XML is UNVERIFIED: only FS is documented)",
			},
			{
				name: 'XML',
				value: 'xml',
				description: 'One element per record (orders with their lines), UTF-8 or a Polish code page',
			},
		],
		default: 'epp',
		displayOptions: { show },
	},
	{
		displayName: 'Entity',
		name: 'buildEntity',
		type: 'options',
		options: [
			{ name: 'Client', value: 'client' },
			{ name: 'Order', value: 'order' },
			{ name: 'Price', value: 'price' },
			{ name: 'Product', value: 'product' },
			{ name: 'Stock Level', value: 'stock' },
		],
		default: 'order',
		description: 'What the input items are (EDI++ ZK and Optima document files are always made from orders)',
		displayOptions: { show: { ...show, outputFormat: ['csv', 'json', 'xml'] } },
	},
	{
		displayName: 'Record Field',
		name: 'recordField',
		type: 'string',
		default: '',
		placeholder: 'order',
		description: 'The field of each input item that holds the canonical record; empty = the whole item',
		displayOptions: { show },
	},
	{
		displayName: 'Code Page',
		description: 'Code page of the EDI++ file (Subiekt GT imports Windows-1250)',
		name: 'eppEncoding',
		type: 'options',
		options: [
			{ name: 'Windows-1250', value: 'windows-1250' },
			{ name: 'CP852 (DOS Latin 2)', value: 'cp852' },
		],
		default: 'windows-1250',
		displayOptions: { show: { ...show, outputFormat: ['epp'] } },
	},
	{
		displayName: 'EDI++ Version',
		description: 'Version written into the [INFO] record; take the one your Subiekt GT imports',
		name: 'eppVersion',
		type: 'options',
		options: [
			{ name: '1.05', value: '1.05' },
			{ name: '1.11', value: '1.11' },
		],
		default: '1.05',
		displayOptions: { show: { ...show, outputFormat: ['epp'] } },
	},
	{
		displayName: 'Encoding',
		description: 'Code page the file is written in (a character the code page cannot hold is an error, never a ?)',
		name: 'csvEncoding',
		type: 'options',
		options: [
			{ name: 'CP852 (DOS Latin 2)', value: 'cp852' },
			{ name: 'ISO-8859-2', value: 'iso-8859-2' },
			{ name: 'UTF-8', value: 'utf-8' },
			{ name: 'UTF-8 With BOM (Excel)', value: 'utf-8-bom' },
			{ name: 'Windows-1250', value: 'windows-1250' },
		],
		default: 'windows-1250',
		displayOptions: { show: { ...show, outputFormat: ['csv'] } },
	},
	{
		displayName: 'Delimiter',
		description: 'Character written between the columns',
		name: 'csvDelimiter',
		type: 'options',
		options: [
			{ name: 'Comma (,)', value: ',' },
			{ name: 'Semicolon (;)', value: ';' },
			{ name: 'Tab', value: '\t' },
		],
		default: ';',
		displayOptions: { show: { ...show, outputFormat: ['csv'] } },
	},
	{
		displayName: 'Escape Formulas',
		name: 'csvEscapeFormulae',
		type: 'boolean',
		default: true,
		description:
			'Whether to put a \' before a text that starts with = + - or @ (e.g. a buyer\'s note "=HYPERLINK(…)"), so that Excel shows it instead of running it as a formula. Plain numbers such as -3 are left alone. Turn off only for a program that reads the file and never a spreadsheet.',
		displayOptions: { show: { ...show, outputFormat: ['csv'] } },
	},
	{
		displayName: 'File Name',
		description: 'Name of the output file; an expression can use the record, e.g. the order number',
		name: 'fileName',
		type: 'string',
		default: 'orders.epp',
		displayOptions: { show: { ...show, outputFormat: ['epp'] } },
	},
	{
		displayName: 'File Name',
		description: 'Name of the output file; an expression can use the record, e.g. the order number',
		name: 'fileName',
		type: 'string',
		default: 'records.csv',
		displayOptions: { show: { ...show, outputFormat: ['csv'] } },
	},
	{
		displayName: 'File Name',
		description: 'Name of the output file; an expression can use the record, e.g. the order number',
		name: 'fileName',
		type: 'string',
		default: 'records.json',
		displayOptions: { show: { ...show, outputFormat: ['json'] } },
	},
	{
		displayName: 'Encoding',
		name: 'xmlEncoding',
		type: 'options',
		options: [
			{ name: 'CP852 (DOS Latin 2)', value: 'cp852' },
			{ name: 'ISO-8859-2', value: 'iso-8859-2' },
			{ name: 'UTF-8', value: 'utf-8' },
			{ name: 'Windows-1250', value: 'windows-1250' },
		],
		default: 'utf-8',
		description: 'Written into the XML declaration too; a character the code page cannot hold is an error',
		displayOptions: { show: { ...show, outputFormat: ['xml'] } },
	},
	{
		displayName: 'Root Element',
		name: 'rootElement',
		type: 'string',
		default: '',
		placeholder: 'orders',
		description:
			'Name of the document element; empty = the entity in plural (orders, products, prices, stockLevels, clients)',
		displayOptions: { show: { ...show, outputFormat: ['xml'] } },
	},
	{
		displayName: 'Record Element',
		name: 'xmlRecordElement',
		type: 'string',
		default: '',
		placeholder: 'order',
		description: 'Name of the element of each record; empty = the entity (order, product, price, stockLevel, client)',
		displayOptions: { show: { ...show, outputFormat: ['xml'] } },
	},
	{
		displayName: 'File Name',
		description: 'Name of the output file; an expression can use the record, e.g. the order number',
		name: 'fileName',
		type: 'string',
		default: 'records.xml',
		displayOptions: { show: { ...show, outputFormat: ['xml'] } },
	},
	{
		displayName: 'Encoding',
		name: 'optimaXmlEncoding',
		type: 'options',
		options: [
			{ name: 'UTF-8', value: 'utf-8' },
			{ name: 'Windows-1250', value: 'windows-1250' },
		],
		default: 'windows-1250',
		description:
			'Written into the XML declaration too (Optima writes both); a character Windows-1250 cannot hold is an error',
		displayOptions: { show: { ...show, outputFormat: ['optimaXml'] } },
	},
	{
		displayName: 'Document Type (TYP_DOKUMENTU)',
		name: 'optimaDocumentType',
		type: 'string',
		default: '308',
		description:
			"308 = RO (customer reservation) in Optima's database. UNVERIFIED for the XML import: only FS (302) is documented there; try one file in a test company first.",
		displayOptions: { show: { ...show, outputFormat: ['optimaXml'] } },
	},
	{
		displayName: 'Document Kind (RODZAJ_DOKUMENTU)',
		name: 'optimaDocumentKind',
		type: 'string',
		default: '308000',
		description:
			'308000 = RO in the database (type × 1000 + variant). UNVERIFIED for the XML import (only 302000 FS is documented).',
		displayOptions: { show: { ...show, outputFormat: ['optimaXml'] } },
	},
	{
		displayName: 'Foreign Number Element',
		name: 'optimaForeignNumberElement',
		type: 'string',
		default: 'NUMER_OBCY',
		description:
			"Header element that carries the portal order number (Optima's TrN_NumerObcy). UNVERIFIED: the element name was not found in any documented file.",
		displayOptions: { show: { ...show, outputFormat: ['optimaXml'] } },
	},
	{
		displayName: 'Warehouse Symbol',
		name: 'optimaWarehouse',
		type: 'string',
		default: 'MAGAZYN',
		required: true,
		description: 'The Optima warehouse the order is reserved in (MAGAZYN_ZRODLOWY): its symbol, e.g. MAGAZYN',
		displayOptions: { show: { ...show, outputFormat: ['optimaXml'] } },
	},
	{
		displayName: 'Put Output File in Field',
		name: 'outputBinaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		description: 'Details of the EDI++ file: place of issue, warehouse, VAT rates the ERP takes',
		name: 'buildOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { ...show, outputFormat: ['epp'] } },
		options: [
			allowedVatRatesOption,
			{
				displayName: 'Place of Issue',
				name: 'place',
				type: 'string',
				default: '',
				description: 'ZK header field 21, e.g. the city of the warehouse',
			},
			{
				displayName: 'Price Name',
				name: 'priceName',
				type: 'string',
				default: '',
				placeholder: 'Hurtowa',
				description: 'The Subiekt price level the orders were priced at (ZK header field 27)',
			},
			{
				displayName: 'Sender Name',
				name: 'senderName',
				type: 'string',
				default: '',
				description: 'Company name written into the [INFO] record',
			},
			{
				displayName: 'Warehouse Code',
				name: 'warehouseCode',
				type: 'string',
				default: 'MAG',
				description: 'Subiekt warehouse symbol written into the [INFO] record',
			},
		],
	},
	{
		displayName: 'Options',
		description: 'Details of the Optima document XML: generator, payment form, VAT rates the ERP takes',
		name: 'optimaOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { ...show, outputFormat: ['optimaXml'] } },
		options: [
			allowedVatRatesOption,
			{
				displayName: 'Generator',
				name: 'generator',
				type: 'string',
				default: 'n8n-nodes-erp-b2b',
				description: 'Written into GENERATOR (the program that made the file)',
			},
			{
				displayName: 'Payment Form',
				name: 'paymentForm',
				type: 'string',
				default: 'przelew',
				description: 'PLATNOSC FORMA: an Optima payment form name (gotówka, przelew, …)',
			},
			{
				displayName: 'Payment Term (Days)',
				name: 'paymentDays',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 14,
				description: 'PLATNOSC TERMIN = the order date plus this many days',
			},
		],
	},
	{
		displayName: 'Options',
		description: 'Details of the order file',
		name: 'orderBuildOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { ...show, outputFormat: ['csv', 'json', 'xml'], buildEntity: ['order'] } },
		options: [allowedVatRatesOption],
	},
];

/** a default [INFO] record (24 fields); purpose "3" as in the pack's golden files (an assumption) */
function infoRecord(version: EppVersion, o: IDataObject): string[] {
	const name = String(o.senderName ?? '');
	return [
		version,
		'3',
		'1250',
		'n8n-nodes-erp-b2b',
		'',
		name.slice(0, 40),
		name,
		'',
		'',
		'',
		'',
		String(o.warehouseCode ?? 'MAG'),
		'',
		'',
		'',
		'0',
		'',
		'',
		'n8n',
		eppDate(new Date().toISOString()),
		'Polska',
		'PL',
		'',
		'0',
	];
}

const XML_NAMES: Record<WriteEntity, [root: string, record: string]> = {
	order: ['orders', 'order'],
	product: ['products', 'product'],
	price: ['prices', 'price'],
	stock: ['stockLevels', 'stockLevel'],
	client: ['clients', 'client'],
};

/**
 * One record as an XML element. Orders keep their structure (lines/line, totals, shippingAddress);
 * the other entities are written flat with the same fields as CSV (a client's billing address as
 * address* elements), so that Parse File → XML reads them back with the default mapping.
 */
function xmlElementFor(entity: WriteEntity, rec: IDataObject): XmlElement {
	if (entity === 'order') return canonicalToXml(rec);
	const row = rowsForCsv(entity, rec)[0];
	const out: XmlElement = {};
	for (const column of WRITE_COLUMNS[entity])
		if (row[column] !== undefined && row[column] !== null) out[column] = String(row[column]);
	return out;
}

/** the first text of a record that cannot be written: an invalid XML character or one outside the code page */
function unwritable(el: XmlElement, encoding: OutputEncoding): { path: string; message: string } | undefined {
	for (const { path, text } of xmlLeafTexts(el)) {
		const invalid = invalidXmlCharacter(text);
		if (invalid) return { path, message: `contains the character ${invalid}, which XML 1.0 cannot carry` };
		if (encoding === 'utf-8') continue;
		try {
			encodeText(text, encoding);
		} catch (error) {
			return { path, message: (error as Error).message };
		}
	}
	return undefined;
}

/**
 * Optima document XML: one file per order item, named after the order number (`orderFileStem`: cleaned + hash). Each order is checked and built
 * on its own: a bad order stops the node (or, with Continue On Fail, becomes an error item) and never makes a
 * file; the output item of a good order is paired with its input item.
 */
async function buildOptimaFiles(ctx: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const recordField = String(ctx.getNodeParameter('recordField', 0, '')).trim();
	const encoding = ctx.getNodeParameter('optimaXmlEncoding', 0, 'windows-1250') === 'utf-8' ? 'utf-8' : 'windows-1250';
	const o = ctx.getNodeParameter('optimaOptions', 0, {}) as IDataObject;
	const options: OptimaDocumentOptions = {
		documentType: String(ctx.getNodeParameter('optimaDocumentType', 0, OPTIMA_RO_DEFAULTS.documentType)).trim(),
		documentKind: String(ctx.getNodeParameter('optimaDocumentKind', 0, OPTIMA_RO_DEFAULTS.documentKind)).trim(),
		foreignNumberElement: String(
			ctx.getNodeParameter('optimaForeignNumberElement', 0, OPTIMA_RO_DEFAULTS.foreignNumberElement),
		).trim(),
		warehouse: String(ctx.getNodeParameter('optimaWarehouse', 0, 'MAGAZYN')),
		generator: String(o.generator ?? 'n8n-nodes-erp-b2b'),
		paymentForm: String(o.paymentForm ?? 'przelew'),
		paymentDays: typeof o.paymentDays === 'number' ? o.paymentDays : 14,
	};
	const property = String(ctx.getNodeParameter('outputBinaryPropertyName', 0, 'data'));
	const orderVatRates = readAllowedVatRates(ctx, 0, 'optimaOptions');
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const raw = recordField ? items[i].json[recordField] : items[i].json;
		const result = validateRecord('order', raw, { moneyDecimals: 4, orderVatRates });
		let message: string;
		let field: string | undefined;
		if (result.ok) {
			const order = result.value!;
			try {
				const document = orderToOptimaDocument(order, options);
				const bad = unwritable(document, encoding);
				if (bad) throw new OptimaDocumentError(`field "${bad.path}" ${bad.message}`, bad.path);
				const bytes = encodeText(optimaDocumentText(document, encoding), encoding);
				const fileName = `${orderFileStem(order.number)}.xml`;
				const binary = await ctx.helpers.prepareBinaryData(bytes, fileName, 'application/xml');
				out.push({
					json: {
						fileName,
						format: 'optimaXml',
						entity: 'order',
						orderNumber: order.number,
						encoding,
						records: 1,
						bytes: bytes.length,
					},
					binary: { [property]: binary },
					pairedItem: { item: i },
				});
				continue;
			} catch (error) {
				if (!(error instanceof OptimaDocumentError) && !(error instanceof XmlFileError))
					throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: i });
				field = error instanceof OptimaDocumentError ? error.field : undefined;
				message = `Item ${i + 1}: order "${order.number}": ${error.message}`;
			}
		} else {
			field = result.issues[0]?.field;
			message = `Item ${i + 1}: ${describeIssues('order', result)}`;
		}
		if (!ctx.continueOnFail()) {
			throw new NodeOperationError(ctx.getNode(), message, {
				itemIndex: i,
				description: 'No file was made for this order.',
			});
		}
		out.push({ json: { error: message, field }, pairedItem: { item: i } });
	}
	return out;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	if (this.getNodeParameter('outputFormat', 0) === 'optimaXml') return await buildOptimaFiles(this, items);
	const format = this.getNodeParameter('outputFormat', 0) as 'epp' | 'csv' | 'json' | 'xml';
	const entity: WriteEntity = format === 'epp' ? 'order' : (this.getNodeParameter('buildEntity', 0) as WriteEntity);
	const recordField = String(this.getNodeParameter('recordField', 0, '')).trim();

	const xml =
		format === 'xml'
			? {
					encoding: this.getNodeParameter('xmlEncoding', 0, 'utf-8') as OutputEncoding,
					root: String(this.getNodeParameter('rootElement', 0, '')).trim() || XML_NAMES[entity][0],
					record: String(this.getNodeParameter('xmlRecordElement', 0, '')).trim() || XML_NAMES[entity][1],
				}
			: undefined;
	if (xml) {
		try {
			assertElementName(xml.root, 'Root element');
			assertElementName(xml.record, 'Record element');
		} catch (error) {
			throw new NodeOperationError(this.getNode(), (error as Error).message);
		}
	}

	// orders: the lines' VAT rates among the "Allowed VAT Rates" option (EDI++ in its Options, CSV / JSON / XML in theirs)
	const orderVatRates =
		entity === 'order'
			? readAllowedVatRates(this, 0, format === 'epp' ? 'buildOptions' : 'orderBuildOptions')
			: undefined;
	const records: IDataObject[] = [];
	const xmlElements: XmlElement[] = [];
	const errors: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const raw = recordField ? items[i].json[recordField] : items[i].json;
		// EDI++ keeps unit prices to 4 places (81.3008): validate without rounding them to the grosz
		const result = validateRecord(entity as EntityName, raw, {
			moneyDecimals: format === 'epp' ? 4 : 2,
			orderVatRates,
		});
		let message: string;
		let field: string | undefined;
		if (result.ok) {
			const rec = result.value as unknown as IDataObject;
			if (!xml) {
				records.push(rec);
				continue;
			}
			const el = xmlElementFor(entity, rec);
			const bad = unwritable(el, xml.encoding);
			if (!bad) {
				records.push(rec);
				xmlElements.push(el);
				continue;
			}
			field = bad.path;
			message = `Item ${i + 1}: ${entity} "${String(rec[KEY_FIELD[entity as EntityName]])}": field "${bad.path}" ${bad.message}`;
		} else {
			field = result.issues[0]?.field;
			message = `Item ${i + 1}: ${describeIssues(entity as EntityName, result)}`;
		}
		if (!this.continueOnFail()) {
			throw new NodeOperationError(this.getNode(), message, {
				itemIndex: i,
				description: 'No file was made: every record must be valid (a file missing some records is not passed on).',
			});
		}
		errors.push({ json: { error: message, field }, pairedItem: { item: i } });
	}
	if (errors.length) return errors;

	// a name, never a path: the node that writes the file chooses the folder
	let fileName: string;
	try {
		fileName = checkedFileName(String(this.getNodeParameter('fileName', 0, '')).trim() || `records.${format}`);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message);
	}
	let bytes: Buffer;
	let encoding: string;
	let mimeType: string;
	try {
		if (format === 'epp') {
			const o = this.getNodeParameter('buildOptions', 0, {}) as IDataObject;
			const version = this.getNodeParameter('eppVersion', 0, '1.05') as EppVersion;
			const eppEncoding = this.getNodeParameter('eppEncoding', 0, 'windows-1250') as 'windows-1250' | 'cp852';
			const sections: EppSection[] = records.map((r) =>
				orderToZk(r as unknown as Order, {
					priceName: o.priceName ? String(o.priceName) : undefined,
					place: o.place ? String(o.place) : undefined,
				}),
			);
			bytes = writeEpp({ info: infoRecord(version, o), sections }, { encoding: eppEncoding, version });
			encoding = eppEncoding;
			mimeType = 'application/octet-stream';
		} else if (format === 'csv') {
			const choice = this.getNodeParameter('csvEncoding', 0, 'windows-1250') as OutputEncoding | 'utf-8-bom';
			const rows = records.flatMap((r) => rowsForCsv(entity, r));
			bytes = writeCsv(rows, {
				columns: WRITE_COLUMNS[entity],
				delimiter: this.getNodeParameter('csvDelimiter', 0, ';') as CsvDelimiter,
				encoding: choice === 'utf-8-bom' ? 'utf-8' : choice,
				bom: choice === 'utf-8-bom',
				escapeFormulae: this.getNodeParameter('csvEscapeFormulae', 0, true) as boolean,
			});
			encoding = choice === 'utf-8-bom' ? 'utf-8' : choice;
			mimeType = 'text/csv';
		} else if (xml) {
			bytes = encodeText(
				buildXmlText(xmlElements, { rootElement: xml.root, recordElement: xml.record, encoding: xml.encoding }),
				xml.encoding,
			);
			encoding = xml.encoding;
			mimeType = 'application/xml';
		} else {
			bytes = encodeText(JSON.stringify(records, null, 2), 'utf-8');
			encoding = 'utf-8';
			mimeType = 'application/json';
		}
	} catch (error) {
		throw new NodeOperationError(this.getNode(), `Building ${fileName} failed: ${(error as Error).message}`);
	}

	const property = String(this.getNodeParameter('outputBinaryPropertyName', 0, 'data'));
	const binary = await this.helpers.prepareBinaryData(bytes, fileName, mimeType);
	return [
		{
			json: { fileName, format, entity, encoding, records: records.length, bytes: bytes.length },
			binary: { [property]: binary },
			pairedItem: items.map((_, i) => ({ item: i })),
		},
	];
}
