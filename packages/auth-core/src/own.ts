/**
 * Reads `table[key]` only when the table itself holds `key`. Keys that come from outside (server error codes,
 * header and JSON field names, parameter, argument and command names) may be `__proto__`, `constructor` or
 * `toString`, which a plain `table[key]` would answer with a property of `Object.prototype`.
 */
export function ownEntry<T>(table: Readonly<Record<PropertyKey, T>>, key: PropertyKey): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** An empty record without a prototype, for maps keyed by outside text (`record["__proto__"] = v` is a plain write). */
export function ownRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
