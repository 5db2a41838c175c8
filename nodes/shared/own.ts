/**
 * Lookups in plain-object tables whose keys come from data (a VAT rate from an order, an event id from the
 * portal, a product code from the ERP, a flow name, an encoding name from a file). Every plain object inherits
 * `constructor`, `toString`, `__proto__`, …: `key in table` and `table[key]` find those for a key nobody
 * stored, so an order line with VAT rate "constructor" once passed as a VAT marker (0 %), and a webhook
 * event id "constructor" counted as already seen. Storing under "__proto__" with `table[key] = v` sets the
 * prototype instead of a key (or does nothing), so such a key was never remembered.
 *
 * Tables that live only in memory can be a Map instead; tables kept in n8n's static data are saved as JSON
 * and come back as plain objects, so they use these helpers (own properties survive JSON both ways).
 */

/** Whether `table` itself holds `key` (inherited names do not count). */
export function hasOwn(table: object, key: string): boolean {
	return Object.prototype.hasOwnProperty.call(table, key);
}

/** The value `table` holds under `key`, or undefined when it holds none (inherited names count as none). */
export function ownValue<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
	return hasOwn(table, key) ? table[key] : undefined;
}

/**
 * Stores `value` under `key` as a plain data property, "__proto__" included (never touches the prototype). The
 * property is defined first when missing, then set by plain assignment: n8n's static data is an observed proxy
 * that notices assignments only (no defineProperty trap), and a change it does not notice is never saved — a
 * webhook event id stored by definition alone was forgotten by the next execution in real n8n.
 */
export function setOwn<T>(table: Record<string, T>, key: string, value: T): void {
	if (!hasOwn(table, key))
		Object.defineProperty(table, key, { value, writable: true, enumerable: true, configurable: true });
	table[key] = value;
}
