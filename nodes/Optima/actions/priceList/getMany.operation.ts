/**
 * Optima's price lists (CDN.DefCeny, the statement the price read resolves its *Price Lists* with), one item each in
 * SAP's Price List → Get Many shape: number (DfC_Lp — what TwrCeny rows and *Price Lists* name by number), name
 * (DfC_Nazwa — what *Price Lists* names by name), gross (DfC_Typ 2). The purchase price (Lp 1) is listed too: a
 * workflow may name it. `npx n8n-nodes-erp-b2b check` runs this operation through n8n to verify the price lists the
 * imported flows name.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { RecordSink } from '../../../shared/sql/common';
import { rowToPriceDefinition } from '../../mapping';
import { withOptimaSql } from '../sqlCommon';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const sink = new RecordSink(this, 'Reading price lists');
	await withOptimaSql(this, async (sql) => {
		const rows = await sql.query('priceDefinitions', {}, { action: 'Reading price lists' });
		for (const row of rows)
			sink.add(row, '(CDN.DefCeny)', (r) => {
				const d = rowToPriceDefinition(r);
				return { number: d.lp, name: d.name, gross: d.gross } as IDataObject;
			});
	});
	return sink.items;
}
