/**
 * Benchmark (not a test: nothing is asserted): memory and throughput of the streaming CSV reader.
 *
 *   node --expose-gc bench/run-csv-memory.mjs [rows]      (default 1,000,000 rows)
 *
 * Generates a Windows-1250 CSV with Polish names and prices in a temp directory, then measures each
 * approach in its own child process (same run, same file, clean heap each):
 *   stream — fs.createReadStream → readCsvRecords (encoding auto, delimiter auto), counting rows
 *   naive  — fs.readFileSync → decodeText → Papa.parse of the whole string (header: true)
 *   raw    — fs.createReadStream byte count (the floor)
 * and prints ONE line of ratios. Peak heap is sampled (every 1,000 rows when streaming, after each
 * step when naive; it includes garbage not yet collected), the streaming reader's live heap after a
 * forced GC every 100,000 rows is printed too; peak RSS is the process's maxRSS from getrusage.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Papa from 'papaparse';
import { readCsvRecords } from '../nodes/shared/files/csv';
import { decodeText, encodeText } from '../nodes/shared/files/encoding';

interface Measurement {
	mode: string;
	rows: number;
	bytes: number;
	ms: number;
	heapBaseMB: number;
	heapPeakMB: number;
	rssBaseMB: number;
	rssPeakMB: number;
	/** streaming only: largest live heap over base after a forced GC (every 100,000 rows) */
	liveMaxMB: number;
}

const MB = 1024 * 1024;
const FIRST = ['Łukasz', 'Żaneta', 'Grzegorz', 'Małgorzata', 'Józef', 'Agnieszka', 'Paweł', 'Dorota', 'Bożena', 'Władysław'];
const LAST = ['Wójcik', 'Kowalczyk', 'Woźniak', 'Dąbrowski', 'Kozłowska', 'Jabłoński', 'Król', 'Zieliński', 'Szymańska', 'Wróbel'];
const GOODS = ['Śruba ocynkowana', 'Łożysko kulkowe', 'Gwóźdź stalowy', 'Żarówka LED', 'Przewód miedziany', 'Taśma izolacyjna'];

function gc(): void {
	const g = (globalThis as { gc?: () => void }).gc;
	if (g) g();
}

export async function generate(file: string, rows: number): Promise<number> {
	const out = fs.createWriteStream(file);
	const write = (b: Buffer) => new Promise<void>((resolve) => (out.write(b) ? resolve() : out.once('drain', () => resolve())));
	await write(encodeText('Kod;Nazwa;Kontrahent;Cena netto;VAT;JM\r\n', 'windows-1250'));
	let seed = 12345;
	const rnd = (n: number) => {
		seed = (seed * 1103515245 + 12345) & 0x7fffffff;
		return seed % n;
	};
	const batch: string[] = [];
	for (let i = 1; i <= rows; i++) {
		const price = `${rnd(10000)},${String(rnd(100)).padStart(2, '0')}`;
		const name = `${GOODS[rnd(GOODS.length)]} ${rnd(500)} mm`;
		const client = `"${FIRST[rnd(FIRST.length)]} ${LAST[rnd(LAST.length)]}; sp. z o.o."`;
		batch.push(`TW-${String(i).padStart(7, '0')};${name};${client};${price};23;szt.\r\n`);
		if (batch.length === 10000 || i === rows) {
			await write(encodeText(batch.join(''), 'windows-1250'));
			batch.length = 0;
		}
	}
	await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
	return fs.statSync(file).size;
}

async function child(mode: string, file: string): Promise<Measurement> {
	gc();
	const heapBase = process.memoryUsage().heapUsed;
	const rssBase = process.memoryUsage().rss;
	let heapPeak = heapBase;
	const sample = () => {
		const h = process.memoryUsage().heapUsed;
		if (h > heapPeak) heapPeak = h;
	};
	const t0 = process.hrtime.bigint();
	let rows = 0;
	let bytes = 0;
	let liveMax = 0;
	if (mode === 'stream') {
		for await (const r of readCsvRecords(fs.createReadStream(file, { highWaterMark: 64 * 1024 }), {
			encoding: 'auto',
			header: true,
			fileName: path.basename(file),
			expectedColumns: ['Kod', 'Nazwa', 'Cena netto'],
		})) {
			void r;
			if (++rows % 1000 === 0) sample();
			if (rows % 100_000 === 0) {
				gc();
				liveMax = Math.max(liveMax, process.memoryUsage().heapUsed - heapBase);
			}
		}
		bytes = fs.statSync(file).size;
	} else if (mode === 'naive') {
		const buf = fs.readFileSync(file);
		bytes = buf.length;
		sample();
		const { text } = decodeText(buf, 'auto', { fileName: path.basename(file) });
		sample();
		const parsed = Papa.parse<Record<string, string>>(text, { header: true, delimiter: ';', skipEmptyLines: true });
		sample();
		rows = parsed.data.length;
		if (parsed.errors.length) throw new Error(`naive parse errors: ${parsed.errors.length}`);
	} else {
		for await (const c of fs.createReadStream(file, { highWaterMark: 64 * 1024 })) {
			bytes += (c as Buffer).length;
		}
		sample();
	}
	const ms = Number(process.hrtime.bigint() - t0) / 1e6;
	sample();
	return {
		mode,
		rows,
		bytes,
		ms,
		heapBaseMB: heapBase / MB,
		heapPeakMB: heapPeak / MB,
		rssBaseMB: rssBase / MB,
		// maxRSS is in KiB
		rssPeakMB: process.resourceUsage().maxRSS / 1024,
		liveMaxMB: liveMax / MB,
	};
}

const fmt = (n: number, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export async function main(argv: string[]): Promise<void> {
	const childIdx = argv.indexOf('--child');
	if (childIdx !== -1) {
		const m = await child(argv[childIdx + 1], argv[childIdx + 2]);
		process.stdout.write(JSON.stringify(m) + '\n');
		return;
	}
	const rows = Number(argv.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csv-bench-'));
	const file = path.join(dir, 'towary-cp1250.csv');
	try {
		const size = await generate(file, rows);
		const launcher = path.join(__dirname, 'run-csv-memory.mjs');
		const run = (mode: string): Measurement => {
			const r = spawnSync(process.execPath, ['--expose-gc', launcher, '--child', mode, file], {
				encoding: 'utf8',
				maxBuffer: 16 * MB,
			});
			if (r.status !== 0) throw new Error(`${mode} child failed (${r.status}): ${r.stderr}`);
			return JSON.parse(r.stdout.trim().split('\n').pop() as string) as Measurement;
		};
		const raw = run('raw');
		const stream = run('stream');
		const naive = run('naive');
		if (stream.rows !== rows || naive.rows !== rows) {
			throw new Error(`row counts differ: generated ${rows}, stream ${stream.rows}, naive ${naive.rows}`);
		}
		const sHeap = Math.max(stream.heapPeakMB - stream.heapBaseMB, 0.1);
		const nHeap = naive.heapPeakMB - naive.heapBaseMB;
		const sRss = Math.max(stream.rssPeakMB - stream.rssBaseMB, 0.1);
		const nRss = naive.rssPeakMB - naive.rssBaseMB;
		const rowsPerSec = rows / (stream.ms / 1000);
		process.stdout.write(
			`csv ${rows.toLocaleString('en-US')} rows (${fmt(size / MB)} MB windows-1250): ` +
				`streaming peak heap +${fmt(sHeap)} MB (live after GC ≤ ${fmt(stream.liveMaxMB)} MB) vs naive +${fmt(nHeap)} MB (${fmt(nHeap / sHeap)}×), ` +
				`peak RSS +${fmt(sRss)} MB vs +${fmt(nRss)} MB (${fmt(nRss / sRss)}×); ` +
				`throughput ${Math.round(rowsPerSec).toLocaleString('en-US')} rows/s (${fmt(stream.ms / 1000, 2)} s) = ` +
				`${fmt(stream.ms / raw.ms)}× slower than raw read (${fmt(raw.ms / 1000, 2)} s), ` +
				`naive ${fmt(naive.ms / 1000, 2)} s\n`,
		);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}
