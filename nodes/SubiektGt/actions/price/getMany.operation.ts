/**
 * Prices from SQL Server → canonical prices: the price levels 1..10 of every product (tw_Cena, named by
 * tw_Parametr), read page by page of products (tw_Id ranges), and optionally the individual price lists
 * assigned to clients (icen_*) as client prices. One item each or batch items / batch files (nodes/shared/batch.ts).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { batchOutputProperties, recordSink } from '../../../shared/batch';
import { rowToClientPrice, rowToLevelPrice } from '../../sql/mapping';
import { RecordSink, keysetPages, rowRef, sqlOptions } from '../../../shared/sql/common';
import { SQL_OPTION, readSqlOptions, withSubiektSql } from '../sqlCommon';

const show = { show: { resource: ['price'], operation: ['getMany'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Include Price Levels',
		name: 'includeLevels',
		type: 'boolean',
		default: true,
		description: 'Whether to read the price levels of every product (tw_Cena) as price-list prices',
		displayOptions: show,
	},
	{
		displayName: 'Include Client Price Lists',
		name: 'includeClientPriceLists',
		type: 'boolean',
		default: false,
		description: 'Whether to read the individual price lists assigned directly to clients (icen_*) as client prices',
		displayOptions: show,
	},
	{
		displayName: 'Only for Client Code',
		name: 'clientCode',
		type: 'string',
		default: '',
		placeholder: 'KLIENT-001',
		description: "Only this client's individual prices (kh_Symbol); empty = every client",
		displayOptions: { show: { ...show.show, includeClientPriceLists: [true] } },
	},
	...batchOutputProperties('price', ['getMany'], 'prices'),
	sqlOptions('price', ['getMany'], [SQL_OPTION.priceLevelKey, SQL_OPTION.priceDecimals, SQL_OPTION.pageSize]),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readSqlOptions(this);
	const levels = this.getNodeParameter('includeLevels', 0, true) as boolean;
	const clientLists = this.getNodeParameter('includeClientPriceLists', 0, false) as boolean;
	const clientCode = String(this.getNodeParameter('clientCode', 0, '') ?? '').trim();
	// the records go to `out`: one item each, or batch items / batch files (Output); rows that cannot be mapped
	// stop the node, or with Continue On Fail become error items there too
	const out = recordSink(this, 'price');
	const sink = new RecordSink(this, 'Price', out);
	const emit = async (price: unknown) => {
		if (price) await out.add(price as IDataObject);
	};
	await withSubiektSql(this, async (sql) => {
		if (levels) {
			// a page of product IDs, then the levels of exactly that tw_Id range
			await keysetPages(
				opts.pageSize,
				'tw_Id',
				async (afterId) =>
					await sql.query('products', { pageSize: opts.pageSize, afterId }, { action: 'Reading product IDs' }),
				async (products) => {
					const afterId = Number(products[0].tw_Id) - 1;
					const upToId = Number(products[products.length - 1].tw_Id);
					const rows = await sql.query('priceLevels', { afterId, upToId }, { action: 'Reading price levels' });
					for (const row of rows)
						await emit(sink.map(row, rowRef(row, 'tw_Symbol', 'poziom'), (r) => rowToLevelPrice(r, opts)));
				},
			);
		}
		if (clientLists) {
			const rows = await sql.query(
				'clientPriceLists',
				{ clientCode: clientCode || null },
				{ action: 'Reading individual price lists' },
			);
			for (const row of rows)
				await emit(sink.map(row, rowRef(row, 'kh_Symbol', 'tw_Symbol', 'icen_Id'), (r) => rowToClientPrice(r, opts)));
		}
	});
	return await out.finish();
}
