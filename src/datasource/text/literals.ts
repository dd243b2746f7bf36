import { LANGUAGE_KEYWORDS, LANGUAGE_STAGES } from '../../shared/language';

const RESERVED = new Set([...LANGUAGE_KEYWORDS, ...LANGUAGE_STAGES.map((s) => s.name), 'in', 'has', 'contains', 'between', 'matches']);
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** A value as a string literal of the language: `"..."` with its escapes. */
export function stringLiteral(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    if (ch === '"' || ch === '\\') {
      out += `\\${ch}`;
    } else if (ch === '\n') {
      out += '\\n';
    } else if (ch === '\t') {
      out += '\\t';
    } else if (ch === '\r') {
      out += '\\r';
    } else if (code < 0x20 || code === 0x7f) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else {
      out += ch;
    }
  }
  return `${out}"`;
}

/** A field or column name as the language reads it: `userIdentity.arn`, `` `log-status` ``, `["a`b"]`. */
export function fieldRef(name: string): string {
  if (PATH.test(name) && !RESERVED.has(name.toLowerCase())) {
    return name;
  }
  if (!name.includes('`') && !/[\r\n]/.test(name)) {
    return `\`${name}\``;
  }
  return `[${stringLiteral(name)}]`;
}

const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/** A number literal when the text is one, a string literal otherwise. */
export function scalarLiteral(value: string): string {
  return NUMBER.test(value.trim()) ? value.trim() : stringLiteral(value);
}

/** A list for `in (...)`. */
export function listLiteral(values: readonly string[]): string {
  return `(${values.map(stringLiteral).join(', ')})`;
}
