/** Products (tw__Towar, not deleted) from SQL Server → canonical products, keyset-paged by tw_Id. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { rowToProduct } from '../../sql/mapping';
import { RecordSink, keysetPages, rowRef, sqlOptions } from '../../../shared/sql/common';
import { SQL_OPTION, readSqlOptions, withSubiektSql } from '../sqlCommon';

export const description: INodeProperties[] = [sqlOptions('product', ['getMany'], [SQL_OPTION.pageSize])];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const opts = readSqlOptions(this);
	const sink = new RecordSink(this, 'Product');
	await withSubiektSql(this, async (sql) => {
		await keysetPages(
			opts.pageSize,
			'tw_Id',
			async (afterId) =>
				await sql.query('products', { pageSize: opts.pageSize, afterId }, { action: 'Reading products' }),
			(rows) => {
				for (const row of rows) sink.add(row, rowRef(row, 'tw_Symbol', 'tw_Id'), rowToProduct);
			},
		);
	});
	return sink.items;
}
