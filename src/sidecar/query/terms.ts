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

/**
 * SQL matching text that holds `term` as a whole term: bounded by separators (or the ends)
 * wherever the term itself starts or ends with a letter or digit. Case-insensitive unless
 * asked. On the `raw` column, the tokens that must be present (every one when case-sensitive,
 * the all-digit ones otherwise, like the parts of an IP address) pre-filter through the text
 * index with `hasAllTokens`.
 */
export function termMatch(targetSql: string, isRaw: boolean, term: string, options: TermOptions, params: Params): string {
  const hasWildcard = options.wildcards && term.includes('*');
  if (hasWildcard && term.replace(/\*/g, '') === '') {
    return 'true';
  }
  const segments = hasWildcard ? term.split('*') : [term];
  const singleToken = !hasWildcard && /^[A-Za-z0-9\u0080-\uffff]+$/.test(term);
  const tokens = isRaw ? indexTokens(segments, options.caseSensitive) : [];

  const prefilter = tokens.length > 0 ? `hasAllTokens(${targetSql}, ${params.add('Array(String)', tokens)})` : '';
  if (singleToken && prefilter && (options.caseSensitive || /^[0-9]+$/.test(term))) {
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

/** Tokens the text index must hold for the term to match: whole tokens not cut by a wildcard. */
function indexTokens(segments: string[], caseSensitive: boolean): string[] {
  const tokens = new Set<string>();
  segments.forEach((segment, index) => {
    for (const match of segment.matchAll(TOKEN_RUN)) {
      const start = match.index ?? 0;
      const end = start + match[0].length;
      const cutLeft = start === 0 && index > 0;
      const cutRight = end === segment.length && index < segments.length - 1;
      if (!cutLeft && !cutRight && (caseSensitive || /^[0-9]+$/.test(match[0]))) {
        tokens.add(match[0]);
      }
    }
  });
  return [...tokens];
}
