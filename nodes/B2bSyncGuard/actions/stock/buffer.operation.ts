/**
 * Stock Buffer: what the portal may promise is less than what the ERP has — a percentage of `available`
 * (95 % by default), minus a fixed quantity, rounded down to whole units (or the unit's decimals), shown as 0
 * below a minimum, never negative; optionally summed per product over all warehouses first. Only `available`
 * changes: `onHand` and `reserved` stay as the ERP gave them (figures below zero: model/stock.ts's rule, like every
 * stock read). Exact decimals throughout (no binary floats).
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import {
	addDecimal,
	compareDecimal,
	formatDecimal,
	multiplyDecimal,
	parseDecimal,
	rescale,
	subtractDecimal,
	trimDecimal,
	type ScaledDecimal,
} from '../../../shared/model/decimal';
import {
	batchItem,
	DEFAULT_RECORDS_PER_BATCH,
	formOf,
	inputBatches,
	inputRecords,
	RecordOutput,
	whereIs,
	type InputRecord,
} from '../../../shared/batch';
import { describeIssues, validateRecord } from '../../../shared/model/validate';
import { BELOW_ZERO_FIELD, normaliseStock, stockBelowZero, type StockFigures } from '../../../shared/model/stock';
import type { StockLevel } from '../../../shared/model/types';

const show = { show: { resource: ['stock'], operation: ['buffer'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Show (%)',
		name: 'percent',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100, numberPrecision: 2 },
		default: 95,
		description: "Share of the ERP's available quantity the portal shows (95 = keep 5 % back)",
		displayOptions: show,
	},
	{
		displayName: 'Subtract',
		name: 'subtract',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 4 },
		default: 0,
		description: 'Quantity to keep back in addition, after the percentage',
		displayOptions: show,
	},
	{
		displayName: 'Show 0 Below',
		name: 'minimum',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 4 },
		default: 0,
		description: 'When the buffered quantity is below this, the portal shows 0 (the last units are not offered)',
		displayOptions: show,
	},
	{
		displayName: 'Quantity Decimal Places',
		name: 'quantityDecimals',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 4 },
		default: 0,
		description: 'The buffered quantity is rounded down to this many places (0 = whole units; 3 for kg to the gram)',
		displayOptions: show,
	},
	{
		displayName: 'Sum Warehouses per Product',
		name: 'sumWarehouses',
		type: 'boolean',
		default: false,
		description: "Whether to add up each product's stock over all warehouses into one record before the buffer",
		displayOptions: show,
	},
	{
		displayName: 'Warehouse Code of the Sum',
		name: 'sumWarehouseCode',
		type: 'string',
		default: 'ALL',
		description: 'Warehouse code the summed records carry',
		displayOptions: { show: { ...show.show, sumWarehouses: [true] } },
	},
];

export interface BufferSettings {
	percent: string;
	subtract: string;
	minimum: string;
	decimals: number;
}

/**
 * bufferQuantity per settings, remembered by `available` text: stock figures repeat (a 300,000-level catalogue
 * had ~700 distinct ones), and each is exact decimal arithmetic. Bounded, so odd data cannot grow it without end.
 */
export function bufferQuantities(s: BufferSettings): (available: string) => string {
	const known = new Map<string, string>();
	return (available) => {
		let out = known.get(available);
		if (out === undefined) {
			out = bufferQuantity(available, s);
			if (known.size < 50_000) known.set(available, out);
		}
		return out;
	};
}

/** The buffered available quantity (decimal text, trailing zeros dropped). */
export function bufferQuantity(available: string, s: BufferSettings): string {
	let value: ScaledDecimal = parseDecimal(available);
	if (value.units < 0n) value = { units: 0n, scale: 0 };
	// × percent / 100: exact, the division by 100 is two more decimal places
	const product = multiplyDecimal(formatDecimal(value), s.percent);
	value = { units: product.units, scale: product.scale + 2 };
	value = subtractDecimal(formatDecimal(value), s.subtract);
	value = rescale(value, s.decimals, 'down');
	if (value.units < 0n || compareDecimal(formatDecimal(value), s.minimum) < 0) return '0';
	return trimDecimal(formatDecimal(value));
}

function settingsOf(ctx: IExecuteFunctions): BufferSettings {
	const num = (name: string, def: number) => {
		const v = ctx.getNodeParameter(name, 0, def) as number;
		if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
			throw new NodeOperationError(ctx.getNode(), `${name} must be a number ≥ 0, got ${String(v)}`);
		return formatDecimal(parseDecimal(v));
	};
	const percent = num('percent', 95);
	if (compareDecimal(percent, '100') > 0)
		throw new NodeOperationError(ctx.getNode(), `Show (%) must be at most 100, got ${percent}`);
	const decimals = ctx.getNodeParameter('quantityDecimals', 0, 0) as number;
	return {
		percent,
		subtract: num('subtract', 0),
		minimum: num('minimum', 0),
		decimals: Math.min(4, Math.max(0, Math.trunc(Number(decimals) || 0))),
	};
}

/**
 * The stock record (`raw`: the input record, or its copy with figures below zero set by the one rule of
 * model/stock.ts, as every ERP read does: records from a Code node or an older read get the same treatment).
 */
function readStock(ctx: IExecuteFunctions, r: InputRecord): { stock: StockLevel; raw: IDataObject } {
	let raw = r.json;
	// a copy only when there is something to change ("-3" → "0"); an unreadable value is left to validateRecord
	if (stockBelowZero(raw)) {
		raw = { ...raw };
		if (raw[BELOW_ZERO_FIELD]) raw[BELOW_ZERO_FIELD] = { ...(raw[BELOW_ZERO_FIELD] as IDataObject) };
		normaliseStock(raw as StockFigures);
	}
	const checked = validateRecord('stock', raw);
	if (!checked.ok || !checked.value)
		throw new NodeOperationError(ctx.getNode(), `${whereIs(r)}: ${describeIssues('stock', checked)}`, {
			itemIndex: r.itemIndex,
		});
	return { stock: checked.value, raw };
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const s = settingsOf(this);
	const sum = this.getNodeParameter('sumWarehouses', 0, false) as boolean;
	const form = formOf(items);
	const out = new RecordOutput(this, 'stock', form);
	const fail = async (error: unknown, r: InputRecord) => {
		if (!this.continueOnFail())
			throw error instanceof NodeOperationError
				? error
				: new NodeOperationError(this.getNode(), error as Error, { itemIndex: r.itemIndex });
		await out.addError(r, (error as Error).message);
	};
	if (!sum) {
		const buffered = bufferQuantities(s);
		for await (const list of inputBatches(this, items))
			for (const r of list) {
				try {
					const { stock, raw } = readStock(this, r);
					const closing = out.add(r, { ...raw, available: buffered(stock.available) });
					if (closing) await closing;
				} catch (error) {
					await fail(error, r);
				}
			}
		return [await out.finish()];
	}
	const warehouse = String(this.getNodeParameter('sumWarehouseCode', 0, 'ALL') ?? '').trim() || 'ALL';
	const groups = new Map<string, { stock: StockLevel[]; items: Set<number> }>();
	for await (const r of inputRecords(this, items)) {
		try {
			const { stock } = readStock(this, r);
			const g = groups.get(stock.productCode) ?? { stock: [], items: new Set<number>() };
			g.stock.push(stock);
			g.items.add(r.itemIndex);
			groups.set(stock.productCode, g);
		} catch (error) {
			await fail(error, r);
		}
	}
	const total = (list: StockLevel[], f: 'onHand' | 'reserved' | 'available' | 'incoming') =>
		trimDecimal(
			formatDecimal(
				list.reduce<ScaledDecimal>((acc, x) => addDecimal(formatDecimal(acc), x[f] ?? '0'), { units: 0n, scale: 0 }),
			),
		);
	const summed: Array<{ json: IDataObject; from: number[] }> = [];
	for (const [productCode, g] of groups) {
		const json: IDataObject = {
			productCode,
			warehouseCode: warehouse,
			onHand: total(g.stock, 'onHand'),
			reserved: total(g.stock, 'reserved'),
			available: bufferQuantity(total(g.stock, 'available'), s),
		};
		if (g.stock.some((x) => x.incoming !== undefined)) json.incoming = total(g.stock, 'incoming');
		const stamps = g.stock
			.map((x) => x.updatedAt)
			.filter((x): x is string => !!x)
			.sort();
		if (stamps.length) json.updatedAt = stamps[stamps.length - 1];
		summed.push({ json, from: [...g.items] });
	}
	const result = await out.finish();
	if (form === 'items') {
		for (const { json, from } of summed) result.push({ json, pairedItem: from.map((item) => ({ item })) });
		return [result];
	}
	// a product's warehouses may span two input batches: a sum batch is paired with every batch it drew on
	for (let k = 0; k < summed.length; k += DEFAULT_RECORDS_PER_BATCH) {
		const part = summed.slice(k, k + DEFAULT_RECORDS_PER_BATCH);
		const from = [...new Set(part.flatMap((p) => p.from))].sort((a, b) => a - b);
		result.push(
			await batchItem(
				this,
				form,
				'stock',
				k / DEFAULT_RECORDS_PER_BATCH + 1,
				part.map((p) => p.json),
				from,
			),
		);
	}
	return [result];
}
