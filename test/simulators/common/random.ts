/**
 * The seed generators' PRNG (SAP, enova365): the same seed gives the same data, byte for byte.
 */

/** sfc32: a small fast PRNG (additions, shifts and xors only — quick inside jest's vm sandbox too) */
export function prng(seed: number): () => number {
	let a = seed | 0;
	let b = 0x9e3779b9 | 0;
	let c = 0x243f6a88 | 0;
	let d = 0xb7e15162 | 0;
	const next = () => {
		const t = (((a + b) | 0) + d) | 0;
		d = (d + 1) | 0;
		a = b ^ (b >>> 9);
		b = (c + (c << 3)) | 0;
		c = (c << 21) | (c >>> 11);
		c = (c + t) | 0;
		return (t >>> 0) / 4294967296;
	};
	for (let i = 0; i < 15; i++) next();
	return next;
}
