/**
 * The gallery's PNGs made small without a new dependency (docs/images/, issue #17): Chromium's screenshots of
 * n8n's editor are 24-bit PNGs of ~320 KB at 1600 × 1000, but the editor's flat UI has few colours besides the
 * anti-aliasing of text and wires. This re-encodes a screenshot as an 8-bit palette PNG: the 256 most frequent
 * colours, every other pixel mapped to the nearest of them (squared RGB distance), no dithering (dithering noise
 * compresses badly and blurs text). Only what Chromium writes is read: 8-bit RGB / RGBA, not interlaced.
 */
import { deflateSync, inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
	const t = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		t[n] = c >>> 0;
	}
	return t;
})();

function crc32(buf: Buffer): number {
	let c = 0xffffffff;
	for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'ascii');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
	return Buffer.concat([head, data, crc]);
}

/** Decodes an 8-bit RGB/RGBA, non-interlaced PNG to RGB bytes. */
function decodeRgb(png: Buffer): { width: number; height: number; rgb: Buffer } {
	if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
	let width = 0;
	let height = 0;
	let channels = 0;
	const idat: Buffer[] = [];
	for (let at = 8; at < png.length; ) {
		const length = png.readUInt32BE(at);
		const type = png.toString('ascii', at + 4, at + 8);
		const data = png.subarray(at + 8, at + 8 + length);
		if (type === 'IHDR') {
			width = data.readUInt32BE(0);
			height = data.readUInt32BE(4);
			const [depth, colourType, , , interlace] = data.subarray(8, 13);
			if (depth !== 8 || interlace !== 0 || (colourType !== 2 && colourType !== 6))
				throw new Error(`unsupported PNG (depth ${depth}, colour type ${colourType}, interlace ${interlace})`);
			channels = colourType === 6 ? 4 : 3;
		} else if (type === 'IDAT') idat.push(data);
		at += 12 + length;
	}
	const raw = inflateSync(Buffer.concat(idat));
	const stride = width * channels;
	const rows = Buffer.alloc(stride * height);
	for (let y = 0; y < height; y++) {
		const filter = raw[y * (stride + 1)];
		const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
		const out = rows.subarray(y * stride, (y + 1) * stride);
		const prev = y > 0 ? rows.subarray((y - 1) * stride, y * stride) : undefined;
		for (let x = 0; x < stride; x++) {
			const a = x >= channels ? out[x - channels] : 0;
			const b = prev ? prev[x] : 0;
			const c = prev && x >= channels ? prev[x - channels] : 0;
			let v = src[x];
			if (filter === 1) v += a;
			else if (filter === 2) v += b;
			else if (filter === 3) v += (a + b) >> 1;
			else if (filter === 4) {
				const p = a + b - c;
				const pa = Math.abs(p - a);
				const pb = Math.abs(p - b);
				const pc = Math.abs(p - c);
				v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
			}
			out[x] = v & 0xff;
		}
	}
	const rgb = Buffer.alloc(width * height * 3);
	for (let i = 0, j = 0; i < rows.length; i += channels, j += 3) rows.copy(rgb, j, i, i + 3);
	return { width, height, rgb };
}

/** The screenshot as an 8-bit palette PNG (256 most frequent colours, nearest colour for the rest). */
export function toPalettePng(png: Buffer): Buffer {
	const { width, height, rgb } = decodeRgb(png);
	const counts = new Map<number, number>();
	for (let i = 0; i < rgb.length; i += 3) {
		const key = (rgb[i] << 16) | (rgb[i + 1] << 8) | rgb[i + 2];
		counts.set(key, (counts.get(key) ?? 0) + 1);
	}
	const palette = [...counts.entries()]
		.sort((a, b) => b[1] - a[1])
		.slice(0, 256)
		.map(([key]) => key);
	const index = new Map<number, number>(palette.map((key, i) => [key, i]));
	const nearest = (key: number): number => {
		const found = index.get(key);
		if (found !== undefined) return found;
		const r = key >> 16;
		const g = (key >> 8) & 0xff;
		const b = key & 0xff;
		let best = 0;
		let bestDistance = Infinity;
		palette.forEach((p, i) => {
			const d = (r - (p >> 16)) ** 2 + (g - ((p >> 8) & 0xff)) ** 2 + (b - (p & 0xff)) ** 2;
			if (d < bestDistance) [best, bestDistance] = [i, d];
		});
		index.set(key, best);
		return best;
	};
	const raw = Buffer.alloc((width + 1) * height);
	for (let y = 0; y < height; y++) {
		raw[y * (width + 1)] = 0; // filter None: palette indices do not predict well
		for (let x = 0; x < width; x++) {
			const i = (y * width + x) * 3;
			raw[y * (width + 1) + 1 + x] = nearest((rgb[i] << 16) | (rgb[i + 1] << 8) | rgb[i + 2]);
		}
	}
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr.set([8, 3, 0, 0, 0], 8); // 8-bit indices, colour type 3 (palette)
	const plte = Buffer.alloc(palette.length * 3);
	palette.forEach((p, i) => plte.set([p >> 16, (p >> 8) & 0xff, p & 0xff], i * 3));
	return Buffer.concat([
		SIGNATURE,
		chunk('IHDR', ihdr),
		chunk('PLTE', plte),
		chunk('IDAT', deflateSync(raw, { level: 9 })),
		chunk('IEND', Buffer.alloc(0)),
	]);
}
