import { LANGUAGE_KEYWORDS, LANGUAGE_WORD_OPERATORS } from '../../shared/language';
import { COMMON_COLUMNS } from '../query/tables';
import { formatTimespan } from '../query/timespan';
import { RuleSyntaxError } from './errors';

const ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' };
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
/** Names a bare path could be taken for: columns, the columns correlations add (`rule`, `rule_1`), words of the language. */
const TAKEN = new Set([...COMMON_COLUMNS.map((c) => c.name), 'rule', 'datetime', 'matches', 'regex']);
const WORDS = new Set([...LANGUAGE_KEYWORDS, ...LANGUAGE_WORD_OPERATORS].map((w) => w.toLowerCase()));

/** A string literal of the pipeline language that reads back as exactly `value`. */
export function quote(value: string): string {
  return `"${value.replace(/[\\"\u0000-\u001f\u007f\u2028\u2029]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/**
 * The original field `name` of an event, its entry in the `fields` map, as readably as is safe:
 * `userIdentity.type`, `fields.eventName` (a column has that name), `fields["log-status"]`.
 */
export function fieldRef(name: string): string {
  if (!PATH.test(name)) {
    return `fields[${quote(name)}]`;
  }
  const clashes = TAKEN.has(name) || /^(_|rule_\d+$)/.test(name) || name.split('.').some((part) => WORDS.has(part.toLowerCase()));
  return clashes ? `fields.${name}` : name;
}

/** A column name as the language writes it: bare when it is an identifier, else in backticks. */
export function columnName(name: string, construct: string): string {
  if (IDENTIFIER.test(name)) {
    return name;
  }
  if (name === '' || /[`\u0000-\u001f\u007f]/.test(name)) {
    throw new RuleSyntaxError(construct, `${JSON.stringify(name)} cannot name a column (no backticks or control characters)`);
  }
  return `\`${name}\``;
}

/** A number literal of the language. */
export function numberLiteral(value: number, construct: string): string {
  if (!Number.isFinite(value)) {
    throw new RuleSyntaxError(construct, `${value} is not a finite number`);
  }
  const text = String(Math.abs(value));
  return value < 0 ? `-${text}` : text;
}

/** A timespan literal of the language (`3600000` → `1h`). */
export function timespanLiteral(millis: number): string {
  return formatTimespan(Math.round(millis));
}
