/** A double-quoted ClickHouse identifier; names never contain control characters (checked earlier). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Escapes every RE2 metacharacter so the text matches itself. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}
