/**
 * Products (tw__Towar, not deleted) from SQL Server → canonical products, keyset-paged by tw_Id; one item each or
 * in batch items / batch files (nodes/shared/batch.ts) for a 100,000-product catalogue.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { batchOutputProperties, recordSink } from '../../../shared/batch';
import { rowToProduct } from '../../sql/mapping';
import { RecordSink, keysetPages, rowRef, sqlOptions } from '../../../shared/sql/common';
import { SQL_OPTION, readSqlOptions, withSubiektSql } from '../sqlCommon';

export const description: INodeProperties[] = [
	...batchOutputProperties('product', ['getMany'], 'products'),
	sqlOptions('product', ['getMany'], [SQL_OPTION.pageSize]),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readSqlOptions(this);
	// the records go to `out`: one item each, or batch items / batch files (Output); rows that cannot be mapped
	// stop the node, or with Continue On Fail become error items there too
	const out = recordSink(this, 'product');
	const sink = new RecordSink(this, 'Product', out);
	await withSubiektSql(this, async (sql) => {
		await keysetPages(
			opts.pageSize,
			'tw_Id',
			async (afterId) =>
				await sql.query('products', { pageSize: opts.pageSize, afterId }, { action: 'Reading products' }),
			async (rows) => {
				for (const row of rows) {
					const product = sink.map(row, rowRef(row, 'tw_Symbol', 'tw_Id'), rowToProduct);
					if (product) await out.add(product as unknown as IDataObject);
				}
			},
		);
	});
	return await out.finish();
}
