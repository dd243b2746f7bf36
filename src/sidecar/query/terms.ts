import type { Params } from './params';
import { escapeRegex } from './sql';

export interface TermOptions {
  caseSensitive: boolean;
  /** `*` in the term matches any run of characters. */
  wildcards: boolean;
}

// Token characters as ClickHouse's `splitByNonAlpha` tokenizer and `hasToken` see them:
// ASCII letters and digits, and every non-ASCII character.
const TOKEN_CHAR = /[A-Za-z0-9\u0080-\uffff]/;
const TOKEN_RUN = /[A-Za-z0-9\u0080-\uffff]+/g;
export const TERM_SEPARATOR = '[\\x00-\\x2F\\x3A-\\x40\\x5B-\\x60\\x7B-\\x7F]';
const SEPARATOR = TERM_SEPARATOR;

/** What the events table's text index covers: the words of `raw`, lower-cased (ASCII only, like ClickHouse's `lower`). */
export const indexedText = (rawSql: string) => `lower(${rawSql})`;
export const lowerAscii = (text: string) => text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());

// A token whose every case variant is ASCII: the ASCII letters but k and s, which a
// case-insensitive regex also matches as the Kelvin sign (U+212A) and the long s (U+017F).
const ASCII_CASE_ONLY = /^[0-9A-JL-RT-Za-jl-rt-z]+$/;

/**
 * SQL matching text that holds `term` as a whole term: bounded by separators (or the ends)
 * wherever the term itself starts or ends with a letter or digit. Case-insensitive unless
 * asked. On the `raw` column, the text index over its lower-cased words answers a single word
 * in any case on its own (`hasToken(lower(raw), …)` is `hasTokenCaseInsensitive(raw, …)`), and
 * pre-filters every other term with the tokens that must be present (`hasAllTokens`) before the
 * exact check.
 */
export function termMatch(targetSql: string, isRaw: boolean, term: string, options: TermOptions, params: Params): string {
  const hasWildcard = options.wildcards && term.includes('*');
  if (hasWildcard && term.replace(/\*/g, '') === '') {
    return 'true';
  }
  const segments = hasWildcard ? term.split('*') : [term];
  const singleToken = !hasWildcard && /^[A-Za-z0-9\u0080-\uffff]+$/.test(term);
  if (isRaw && singleToken && !options.caseSensitive) {
    return `hasToken(${indexedText(targetSql)}, ${params.add('String', lowerAscii(term))})`;
  }
  const tokens = isRaw ? indexTokens(segments, options.caseSensitive) : [];
  const prefilter = tokens.length > 0 ? `hasAllTokens(${indexedText(targetSql)}, ${params.add('Array(String)', tokens)})` : '';
  if (singleToken && prefilter && /^[0-9]+$/.test(term)) {
    return prefilter;
  }
  let exact: string;
  if (singleToken) {
    const fn = options.caseSensitive ? 'hasToken' : 'hasTokenCaseInsensitive';
    exact = `${fn}(${targetSql}, ${params.add('String', term)})`;
  } else {
    exact = `match(${targetSql}, ${params.add('String', termRegex(term, segments, options.caseSensitive))})`;
  }
  return prefilter ? `(${prefilter} AND ${exact})` : exact;
}

function termRegex(term: string, segments: string[], caseSensitive: boolean): string {
  const flags = `(?${caseSensitive ? '' : 'i'}s)`;
  const left = TOKEN_CHAR.test(term[0] ?? '') ? `(?:^|${SEPARATOR})` : '';
  const right = TOKEN_CHAR.test(term[term.length - 1] ?? '') ? `(?:${SEPARATOR}|$)` : '';
  return `${flags}${left}${segments.map(escapeRegex).join('.*')}${right}`;
}

/**
 * Tokens the text index must hold for the term to match, lower-cased as the index holds them:
 * whole tokens not cut by a wildcard. Ignoring case, only tokens that have no case variant
 * outside ASCII (which `lower` would leave as they are).
 */
function indexTokens(segments: string[], caseSensitive: boolean): string[] {
  const tokens = new Set<string>();
  segments.forEach((segment, index) => {
    for (const match of segment.matchAll(TOKEN_RUN)) {
      const start = match.index ?? 0;
      const end = start + match[0].length;
      const cutLeft = start === 0 && index > 0;
      const cutRight = end === segment.length && index < segments.length - 1;
      if (!cutLeft && !cutRight && (caseSensitive || ASCII_CASE_ONLY.test(match[0]))) {
        tokens.add(lowerAscii(match[0]));
      }
    }
  });
  return [...tokens];
}
