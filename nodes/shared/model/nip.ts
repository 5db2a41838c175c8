/** Polish tax id (NIP): 10 digits, the last a weighted checksum. Foreign VAT ids pass through unchanged. */
const WEIGHTS = [6, 5, 7, 2, 3, 4, 5, 6, 7];

/** "PL 123-456-32-18" → "1234563218"; foreign ids ("DE123456789") are only stripped of spaces. */
export function normaliseTaxId(input: string): string {
	const compact = input.replace(/[\s-]/g, '').toUpperCase();
	const pl = /^(PL)?(\d{10})$/.exec(compact);
	return pl ? pl[2] : compact;
}

export function isValidNip(input: string): boolean {
	const nip = normaliseTaxId(input);
	if (!/^\d{10}$/.test(nip)) return false;
	const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(nip[i]), 0);
	const check = sum % 11;
	return check !== 10 && check === Number(nip[9]);
}
