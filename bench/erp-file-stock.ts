/**
 * Benchmark (not a test: nothing is asserted on time or memory): the ERP File node's "Parse File" of a large
 * Windows-1250 stock CSV, in-process through n8n-core's engine (test/harness/n8n-core-harness.ts).
 *
 *   node --expose-gc bench/run-erp-file-stock.mjs [rows] [--max-old-space-size=512]   (default 300,000 rows)
 *
 * Generates `Symbol;Magazyn;Stan;Rezerwacja;Dostępne` rows with Polish codes and warehouses (ą ć ę ł ń ó ś ź ż)
 * in a temp directory, then runs each case in its own child process (clean heap each):
 *   items/memory  — Output: One Item per Record, the file in the item (n8n's in-memory binary mode)
 *   files/memory  — Output: Batch Files of 5,000, batch files in the items too (in-memory mode)
 *   files/disk    — Output: Batch Files of 5,000, n8n's filesystem binary mode (n8n 2.x's default): the CSV is
 *                   streamed from disk and the batch files are written there
 *   raw           — reading the file's bytes from disk (the floor of any parse)
 * and prints one line per case: time, peak heap (sampled every 20 ms; includes garbage not yet collected) and
 * peak RSS (maxRSS of the child) over the child's start, output items and records.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { BATCH_FILE_PROPERTY, isBatchFile } from '../nodes/shared/batch';
import { encodeText } from '../nodes/shared/files/encoding';
import { runNode } from '../test/harness/n8n-core-harness';

// by its full name: "ErpFile.node" alone would find the codex file ErpFile.node.json first under scripts/ts-register.cjs
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ErpFile } = require('../nodes/ErpFile/ErpFile.node.ts') as typeof import('../nodes/ErpFile/ErpFile.node');

const MB = 1024 * 1024;
const CODES = ['ŁÓD', 'ŻAG', 'ŚRU', 'ĆMA', 'GĘŚ', 'ŹRÓ', 'ŃAB', 'ĄKA', 'WĘŻ'];
const WAREHOUSES = ['MAG-ŁÓDŹ', 'MAG-GDAŃSK', 'MAG-KRAKÓW'];

export interface Measurement {
	mode: string;
	rows: number;
	items: number;
	ms: number;
	heapPeakMB: number;
	rssBaseMB: number;
	rssPeakMB: number;
}

/** a Windows-1250 stock CSV: one row per product and warehouse, decimal commas, a few levels below zero */
export async function generate(file: string, rows: number): Promise<number> {
	const out = fs.createWriteStream(file);
	const write = (b: Buffer) =>
		new Promise<void>((resolve) => (out.write(b) ? resolve() : out.once('drain', () => resolve())));
	await write(encodeText('Symbol;Magazyn;Stan;Rezerwacja;Dostępne\r\n', 'windows-1250'));
	const lines: string[] = [];
	for (let i = 0; i < rows; i++) {
		const product = Math.floor(i / WAREHOUSES.length);
		const onHand = i % 997 === 0 ? -(i % 7) - 1 : (i * 7919) % 1000;
		const reserved = onHand > 0 ? onHand % 5 : 0;
		const q = (n: number) => `${n},${i % 2 ? '5' : '0'}`;
		lines.push(
			`${CODES[product % CODES.length]}-${String(product).padStart(6, '0')};${WAREHOUSES[i % WAREHOUSES.length]};` +
				`${q(onHand)};${reserved};${q(onHand - reserved)}\r\n`,
		);
		if (lines.length === 10000 || i === rows - 1) {
			await write(encodeText(lines.join(''), 'windows-1250'));
			lines.length = 0;
		}
	}
	await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
	return fs.statSync(file).size;
}

const PARAMETERS = {
	operation: 'parse',
	binaryPropertyName: 'data',
	format: 'csv',
	entity: 'stock',
	encoding: 'auto',
	delimiter: 'auto',
	stockColumns: {
		mapping: {
			productCode: 'Symbol',
			warehouseCode: 'Magazyn',
			onHand: 'Stan',
			reserved: 'Rezerwacja',
			available: 'Dostępne',
			incoming: '',
		},
	},
	maxFileSizeMb: 200,
	options: { decimalComma: true },
};

/** n8n-core's BinaryDataService in filesystem mode under `dir` (what n8n 2.x does by default) */
async function filesystemMode(dir: string): Promise<(file: string) => Promise<INodeExecutionData>> {
	// the harness sets up the DI container on its first run
	await runNode({
		nodeType: new ErpFile(),
		parameters: PARAMETERS as never,
		inputItems: [
			{
				json: {},
				binary: {
					data: {
						data: Buffer.from('Symbol;Magazyn;Stan;Rezerwacja;Dostępne\r\n').toString('base64'),
						mimeType: 'text/csv',
						fileName: 'x.csv',
					},
				},
			},
		],
	});
	// eslint-disable-next-line @typescript-eslint/no-require-imports -- n8n-core's own @n8n/di copy (see the harness)
	const { Container } = require(
		require.resolve('@n8n/di', { paths: [require.resolve('n8n-core')] }),
	) as typeof import('@n8n/di');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { BinaryDataService } = require('n8n-core') as typeof import('n8n-core');
	const service = Container.get(BinaryDataService) as unknown as {
		config: { mode: string; localStoragePath: string };
		init(): Promise<void>;
		copyBinaryFile(location: object, binaryData: object, filePath: string): Promise<IDataObject>;
	};
	service.config.mode = 'filesystem';
	service.config.localStoragePath = dir;
	await service.init();
	return async (file) => {
		const binary = await service.copyBinaryFile(
			{ type: 'execution', workflowId: 'bench', executionId: 'input' },
			{ data: '', mimeType: 'text/csv', fileName: path.basename(file) },
			file,
		);
		return { json: {}, binary: { data: binary as never } };
	};
}

async function child(mode: string, file: string, rows: number): Promise<Measurement> {
	const gc = (globalThis as { gc?: () => void }).gc;
	const [output, storage] = mode.split('/');
	let input: INodeExecutionData;
	if (mode === 'raw') input = { json: {} };
	else if (storage === 'disk') input = await (await filesystemMode(path.join(path.dirname(file), 'binary')))(file);
	else {
		const bytes = fs.readFileSync(file);
		input = {
			json: {},
			binary: { data: { data: bytes.toString('base64'), mimeType: 'text/csv', fileName: path.basename(file) } },
		};
	}
	gc?.();
	const rssBase = process.memoryUsage().rss;
	let heapPeak = process.memoryUsage().heapUsed;
	const timer = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 20);
	const t0 = process.hrtime.bigint();
	let items = 0;
	let records = 0;
	if (mode === 'raw') {
		let bytes = 0;
		for await (const c of fs.createReadStream(file, { highWaterMark: 256 * 1024 })) bytes += (c as Buffer).length;
		records = bytes > 0 ? rows : 0;
	} else {
		const r = await runNode({
			nodeType: new ErpFile(),
			parameters: { ...PARAMETERS, outputMode: output, recordsPerBatch: 5000 } as never,
			inputItems: [input],
		});
		if (r.error) throw r.error;
		const out = r.output![0];
		items = out.length;
		records = out.reduce((n, i) => n + (isBatchFile(i) ? Number(i.json.count) : 1), 0);
		if (isBatchFile(out[0]) && !out[0].binary![BATCH_FILE_PROPERTY].id && storage === 'disk')
			throw new Error('the batch files were not written to the filesystem binary data storage');
	}
	const ms = Number(process.hrtime.bigint() - t0) / 1e6;
	clearInterval(timer);
	heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
	return {
		mode,
		rows: records,
		items,
		ms,
		heapPeakMB: heapPeak / MB,
		rssBaseMB: rssBase / MB,
		rssPeakMB: process.resourceUsage().maxRSS / 1024,
	};
}

const fmt = (n: number, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

/** runs the cases; gives the measurements (and prints a line for each) */
export async function main(argv: string[]): Promise<Measurement[]> {
	const childIdx = argv.indexOf('--child');
	if (childIdx !== -1) {
		const m = await child(argv[childIdx + 1], argv[childIdx + 2], Number(argv[childIdx + 3]));
		process.stdout.write(JSON.stringify(m) + '\n');
		return [m];
	}
	const rows = Number(argv.find((a) => /^\d+$/.test(a)) ?? 300_000);
	const heap = argv.find((a) => a.startsWith('--max-old-space-size='));
	const modes = (
		argv.find((a) => a.startsWith('--modes='))?.slice(8) ?? 'raw,files/disk,files/memory,items/memory'
	).split(',');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-file-bench-'));
	const file = path.join(dir, 'stany-cp1250.csv');
	const results: Measurement[] = [];
	try {
		const size = await generate(file, rows);
		process.stdout.write(
			`ERP File › Parse File: ${rows.toLocaleString('en-US')}-row Windows-1250 stock CSV (${fmt(size / MB)} MB), in-process through n8n-core${heap ? `, ${heap}` : ''}\n`,
		);
		const launcher = path.join(__dirname, 'run-erp-file-stock.mjs');
		for (const mode of modes) {
			const r = spawnSync(
				process.execPath,
				['--expose-gc', ...(heap ? [heap] : []), launcher, '--child', mode, file, String(rows)],
				{
					encoding: 'utf8',
					maxBuffer: 16 * MB,
				},
			);
			if (r.status !== 0) throw new Error(`${mode} child failed (${r.status}): ${r.stderr}`);
			const m = JSON.parse(r.stdout.trim().split('\n').pop() as string) as Measurement;
			if (m.rows !== rows) throw new Error(`${mode}: ${m.rows} records, not ${rows}`);
			results.push(m);
			process.stdout.write(
				`  ${mode.padEnd(13)} ${fmt(m.ms / 1000, 2).padStart(6)} s  peak heap ${fmt(m.heapPeakMB).padStart(7)} MB  ` +
					`peak RSS ${fmt(m.rssPeakMB).padStart(7)} MB (start ${fmt(m.rssBaseMB)} MB)  ${m.items.toLocaleString('en-US')} output items\n`,
			);
		}
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
	return results;
}
